/* loopguard: see include/loopguard.h. */
#include <string.h>

#include <glib.h>
#include <gmime/gmime.h>

#include "config.h"
#include "db.h"
#include "log.h"
#include "loopguard.h"
#include "message.h"
#include "question.h"
#include "reply.h"
#include "summary.h"

/* Local parts of addresses that no person reads, squashed (lower case,
 * without "-", "_" and "."): bounces, list robots, no-reply senders. */
static const char *const loopguard_robot_locals[] = {
	"mailerdaemon", "postmaster", "noreply", "donotreply", "dontreply",
	"noresponse", "autoreply", "autoresponder", "bounce", "bounces",
	"listserv", "majordomo", "daemon", "notreply",
};

/* 1 when the address belongs to a mail system or says "no reply". */
static int
loopguard_is_robot_address(const char *address)
{
	const char *at = strrchr(address, '@');
	g_autofree char *local = g_ascii_strdown(address,
	    at ? (gssize)(at - address) : -1);
	GString *squashed = g_string_new(NULL);
	char *plus = strchr(local, '+');
	const char *p;
	size_t i;
	int robot = 0;

	if (plus != NULL)
		*plus = '\0';
	for (p = local; *p != '\0'; p++)
		if (*p != '-' && *p != '_' && *p != '.')
			g_string_append_c(squashed, *p);
	for (i = 0; i < G_N_ELEMENTS(loopguard_robot_locals) && !robot; i++)
		robot = strcmp(squashed->str, loopguard_robot_locals[i]) == 0;
	if (!robot)
		robot = g_str_has_prefix(squashed->str, "noreply") ||
		    g_str_has_prefix(squashed->str, "donotreply") ||
		    g_str_has_prefix(local, "owner-") ||
		    g_str_has_suffix(local, "-request") ||
		    g_str_has_suffix(local, "-bounces") ||
		    g_str_has_suffix(local, "-owner");
	g_string_free(squashed, TRUE);
	return robot;
}

/* One of the addresses subgate itself sends or receives as. */
static bool
loopguard_is_our_address(const struct config *config, const char *address)
{
	const char *mine[] = { config->smtp.from, config->smtp.user,
	    config->imap.user };
	size_t i;

	if (*address == '\0')
		return false;
	for (i = 0; i < G_N_ELEMENTS(mine); i++)
		if (mine[i] != NULL && g_ascii_strcasecmp(address, mine[i]) == 0)
			return true;
	for (i = 0; config->smtp.also_ours != NULL &&
	    config->smtp.also_ours[i] != NULL; i++)
		if (g_ascii_strcasecmp(address, config->smtp.also_ours[i]) == 0)
			return true;
	return false;
}

/* The outbox's view of the thread: each Message-ID of In-Reply-To, then
 * References, looked up once. */
void
loopguard_thread_read(struct db *db, const struct message *msg,
    struct loopguard_thread *thread)
{
	/* Enough to see two rounds in any real thread. */
	const unsigned max_ids = 32;
	const char *raw[] = { message_header(msg, "In-Reply-To"),
	    message_references(msg) };
	GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal,
	    g_free, NULL);
	unsigned looked = 0;
	size_t i;

	memset(thread, 0, sizeof(*thread));
	for (i = 0; i < G_N_ELEMENTS(raw); i++) {
		/* Some clients (Python's email) RFC 2047-encode a long
		 * Message-ID when they fold the header it is in. */
		g_autofree char *decoded = raw[i] != NULL ?
		    g_mime_utils_header_decode_text(NULL, raw[i]) : NULL;
		const char *p = decoded, *lt, *gt;

		while (p != NULL && looked < max_ids &&
		    (lt = strchr(p, '<')) != NULL &&
		    (gt = strchr(lt, '>')) != NULL) {
			char *id = g_strndup(lt + 1, (gsize)(gt - lt - 1));
			g_autofree char *error = NULL, *kind = NULL;
			g_autofree char *ref = NULL;
			int r;

			p = gt + 1;
			if (!g_hash_table_add(seen, id))
				continue;
			looked++;
			r = db_outbox_answered(db, id, &kind, &ref, &error);
			if (r < 0)
				log_warnx("%s", error);
			if (r <= 0)
				continue;
			thread->replies++;
			/* An answer to an acknowledgement, a forward or a
			 * staff summary comes from a responder or from
			 * staff: forwarding it to staff as a question
			 * would start a loop. */
			if (g_strcmp0(kind, reply_kind_name(REPLY_QUESTION)) ==
			    0 || g_strcmp0(kind, QUESTION_FORWARD_KIND) == 0 ||
			    g_strcmp0(kind, SUMMARY_KIND) == 0)
				thread->acknowledged = true;
			if (thread->answers == NULL)
				thread->answers = g_steal_pointer(&ref);
		}
	}
	g_hash_table_destroy(seen);
}

void
loopguard_thread_clear(struct loopguard_thread *thread)
{
	g_clear_pointer(&thread->answers, g_free);
}

/* "sender@domain": does a result of an Authentication-Results header
 * speak for domain (the same, or a parent or child of it)? */
static bool
loopguard_domain_aligned(const char *value, const char *domain)
{
	const char *at = strrchr(value, '@');
	const char *d = at ? at + 1 : value;
	size_t dl = strlen(d), ml = strlen(domain);

	if (dl == 0)
		return false;
	if (g_ascii_strcasecmp(d, domain) == 0)
		return true;
	if (dl > ml && d[dl - ml - 1] == '.' &&
	    g_ascii_strcasecmp(d + dl - ml, domain) == 0)
		return true;
	return ml > dl && domain[ml - dl - 1] == '.' &&
	    g_ascii_strcasecmp(domain + ml - dl, d) == 0;
}

/*
 * The backscatter guard: whether the receiving server's
 * Authentication-Results (RFC 8601; the topmost, which it wrote, or the
 * one from authserv_id) shows SPF, DKIM or DMARC pass for the domain we
 * would answer.  Forged senders are how an auto-responder becomes a spam
 * cannon; a sender that passes none of the three is not answered.
 */
bool
loopguard_sender_authenticated(const struct config_smtp *smtp,
    const struct message *msg, const char *address)
{
	const char *ar = message_header(msg, "Authentication-Results");
	const char *at = strrchr(address, '@');
	g_auto(GStrv) results = NULL;
	g_autofree char *authserv = NULL;
	size_t i;

	if (ar == NULL || at == NULL)
		return false;
	results = g_strsplit(ar, ";", -1);
	authserv = g_strstrip(g_strdup(results[0]));
	authserv[strcspn(authserv, " \t")] = '\0';
	if (smtp->authserv_id != NULL &&
	    g_ascii_strcasecmp(authserv, smtp->authserv_id) != 0)
		return false;
	for (i = 1; results[i] != NULL; i++) {
		g_auto(GStrv) words = g_strsplit_set(results[i], " \t", -1);
		const char *method = NULL;
		size_t w;
		bool pass = false;

		for (w = 0; words[w] != NULL; w++) {
			char *eq = strchr(words[w], '=');

			if (eq == NULL || *words[w] == '(')
				continue;
			*eq = '\0';
			if (method == NULL) {
				method = words[w];
				pass = g_ascii_strcasecmp(eq + 1, "pass") == 0 &&
				    (g_ascii_strcasecmp(method, "spf") == 0 ||
				    g_ascii_strcasecmp(method, "dkim") == 0 ||
				    g_ascii_strcasecmp(method, "dmarc") == 0);
				continue;
			}
			if (pass && (g_ascii_strcasecmp(words[w],
			    "smtp.mailfrom") == 0 || g_ascii_strcasecmp(words[w],
			    "header.d") == 0 || g_ascii_strcasecmp(words[w],
			    "header.i") == 0 || g_ascii_strcasecmp(words[w],
			    "header.from") == 0) &&
			    loopguard_domain_aligned(eq + 1, at + 1))
				return true;
		}
	}
	return false;
}

/* A text-only answer to a reply of ours: a question, unless it reads
 * as a responder's. */
static bool
loopguard_text_reply(const struct message *msg,
    const struct loopguard_thread *thread, struct loopguard_finding *finding)
{
	g_autofree char *text = message_reply_text(msg);

	if (thread->acknowledged) {
		finding->why = "answers subgate's acknowledgement of a question "
		    "or a question forwarded to staff";
		return true;
	}
	if (message_text_is_auto_reply(text)) {
		finding->why = "automatic reply (by its text)";
		return true;
	}
	/* A careless responder's "收到，谢谢。" asks nothing of staff. */
	if (message_text_is_thanks(text)) {
		finding->why = "answers subgate's reply without any attachment, "
		    "only to acknowledge it";
		return true;
	}
	finding->question = true;
	return false;
}

/*
 * Mail that must not be answered, or an automatic answer could start a
 * loop or hit someone who never wrote: bounces, automatic replies,
 * mailing lists, robots and ourselves.  Such mail is recorded as ignored
 * with the reason; a bounce first marks the reply it is about.
 */
bool
loopguard_check(const struct config *config, const struct message *msg,
    bool headers_only, const struct loopguard_thread *thread,
    struct loopguard_finding *finding)
{
	const char *from = message_from_address(msg);
	const char *return_path = message_header(msg, "Return-Path");
	const char *precedence = message_header(msg, "Precedence");
	const char **why_r = &finding->why;

	finding->why = NULL;
	finding->bounce = false;
	finding->question = false;
	if (message_is_dsn(msg)) {
		finding->bounce = true;
		*why_r = "delivery status notification";
		return true;
	}
	if (*from == '\0') {
		*why_r = "no sender address";
		return true;
	}
	/* The delivering server writes the envelope sender here; <> is
	 * how bounces and other automatic mail are sent (RFC 5321 4.5.5). */
	if (return_path != NULL && (strcmp(return_path, "<>") == 0 ||
	    strspn(return_path, " <>") == strlen(return_path))) {
		*why_r = "empty return path (a bounce or other automatic mail)";
		return true;
	}
	if (loopguard_is_our_address(config, from) ||
	    loopguard_is_our_address(config, message_reply_address(msg))) {
		*why_r = "sent by subgate itself";
		return true;
	}
	if (loopguard_is_robot_address(from) ||
	    loopguard_is_robot_address(message_reply_address(msg))) {
		*why_r = "sent by a mail system or a no-reply address";
		return true;
	}
	if (message_header(msg, "List-Id") != NULL ||
	    message_header(msg, "List-Unsubscribe") != NULL ||
	    (precedence != NULL && g_ascii_strcasecmp(precedence, "list") == 0)) {
		*why_r = "mailing list";
		return true;
	}
	if (precedence != NULL && (g_ascii_strcasecmp(precedence, "bulk") == 0 ||
	    g_ascii_strcasecmp(precedence, "junk") == 0)) {
		*why_r = "bulk mail";
		return true;
	}
	if (message_is_auto_reply(msg)) {
		*why_r = "automatic reply";
		return true;
	}
	if (thread->replies == 0 || headers_only ||
	    message_attachment_count(msg) > 0)
		return false;
	/* A person who answers our reply brings the corrected files, or
	 * asks something.  A message too large to fetch shows no
	 * attachments: it is judged on its size instead. */
	return loopguard_text_reply(msg, thread, finding);
}
