/*
 * message_auto: what kind of mail this is when it is not a submission:
 * a bounce (delivery status notification) and the Message-IDs it names,
 * or an auto-reply.  Separate from the MIME walk because it answers a
 * different question for different callers (the loop guard, which keeps
 * subgate from answering robots, and the outbox, which marks the replies
 * a bounce returns; not the case store), and because the list of
 * auto-reply markers grows with every provider that invents one.
 * See message-private.h.
 */
#include <string.h>

#include "htmltext.h"
#include "message-private.h"

/* ------------------------------------------------------------------ */
/* bounces */

/*
 * RFC 3464: a bounce says so in the type of its top-level part (the
 * message object's own type is not it: GMime keeps the body's type on
 * the part).  The walk also marks one when it meets a
 * message/delivery-status part, which some servers send without the
 * report wrapper: enough never to answer it, not enough to mark a reply
 * bounced.
 */
void
message_dsn_detect(struct message *m)
{
	GMimeObject *top = g_mime_message_get_mime_part(m->mime);
	GMimeContentType *ct = top != NULL ?
	    g_mime_object_get_content_type(top) : NULL;

	if (ct != NULL && g_mime_content_type_is_type(ct, "multipart", "report")) {
		const char *rt = g_mime_content_type_get_parameter(ct,
		    "report-type");

		if (rt != NULL && g_ascii_strcasecmp(rt, "delivery-status") == 0)
			m->is_dsn = m->is_dsn_report = TRUE;
	}
}

int
message_is_dsn(const struct message *m)
{
	return m->is_dsn ? 1 : 0;
}

int
message_is_dsn_report(const struct message *m)
{
	return m->is_dsn_report ? 1 : 0;
}

/* How many Message-IDs and recipients a bounce may name to us. */
#define DSN_MAX_IDS		16

/* What one bounce scan has read: at most the limits' dsn_parts parts, and
 * of each at most dsn_part_bytes (a forged bounce can return a message of
 * any size). */
struct dsn_scan {
	const struct mail_limits *limits;
	unsigned parts;
};

static void
dsn_add_id(GPtrArray *ids, const char *start, size_t len)
{
	guint i;

	if (len == 0 || len > 998 || ids->len >= DSN_MAX_IDS)
		return;
	for (i = 0; i < ids->len; i++)
		if (strlen(ids->pdata[i]) == len &&
		    strncmp(ids->pdata[i], start, len) == 0)
			return;
	g_ptr_array_add(ids, g_strndup(start, len));
}

/* Every <id> in a header value such as References. */
static void
dsn_add_ids_from_value(GPtrArray *ids, const char *v)
{
	const char *p = v, *lt, *gt;

	while (p != NULL && (lt = strchr(p, '<')) != NULL &&
	    (gt = strchr(lt, '>')) != NULL) {
		dsn_add_id(ids, lt + 1, (size_t)(gt - lt - 1));
		p = gt + 1;
	}
}

/* "Message-ID: <id>" lines (possibly folded) in returned headers or a
 * bounce's text. */
static void
dsn_scan_text(GPtrArray *ids, const char *text)
{
	static const char key[] = "message-id:";
	const char *p = text;

	while ((p = strchr(p, '\n')) != NULL) {
		const char *lt, *gt;

		p++;
		while (*p == ' ' || *p == '\t' || *p == '>')
			p++;
		if (g_ascii_strncasecmp(p, key, sizeof(key) - 1) != 0)
			continue;
		p += sizeof(key) - 1;
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (*p != '<' || (gt = strchr(p, '>')) == NULL)
			continue;
		lt = p;
		if (memchr(lt, '\n', (size_t)(gt - lt)) == NULL)
			dsn_add_id(ids, lt + 1, (size_t)(gt - lt - 1));
		p = gt;
	}
}

/* A leaf's decoded content, at most the limits' dsn_part_bytes of it, with
 * a leading newline so that the first line scans like the others; NULL
 * when it has none or the scan has read its dsn_parts parts. */
static char *
dsn_part_text(struct dsn_scan *scan, GMimePart *part)
{
	GMimeStream *decoded;
	GString *text;
	size_t max = scan->limits->dsn_part_bytes;
	ssize_t n;

	if (scan->parts >= scan->limits->dsn_parts ||
	    (decoded = message_part_decoded(part)) == NULL)
		return NULL;
	scan->parts++;
	text = g_string_sized_new(MIN(max, 4096) + 2);
	g_string_append_c(text, '\n');
	while (text->len - 1 < max) {
		char buf[4096];

		n = g_mime_stream_read(decoded, buf,
		    MIN(sizeof(buf), max - (text->len - 1)));
		if (n <= 0)
			break;
		/* The scanners read up to the first NUL, as they always
		 * have. */
		g_string_append_len(text, buf, n);
	}
	g_object_unref(decoded);
	return g_string_free(text, FALSE);
}

static void
dsn_walk(struct dsn_scan *scan, GPtrArray *ids, GMimeObject *obj,
    unsigned depth)
{
	GMimeContentType *ct;
	int i, n;

	if (obj == NULL || depth > scan->limits->mime_depth ||
	    scan->parts >= scan->limits->dsn_parts)
		return;
	if (GMIME_IS_MULTIPART(obj)) {
		n = g_mime_multipart_get_count(GMIME_MULTIPART(obj));
		for (i = 0; i < n && scan->parts < scan->limits->dsn_parts; i++)
			dsn_walk(scan, ids, g_mime_multipart_get_part(
			    GMIME_MULTIPART(obj), i), depth + 1);
		return;
	}
	if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *inner = g_mime_message_part_get_message(
		    GMIME_MESSAGE_PART(obj));
		const char *id = inner ? g_mime_message_get_message_id(inner) :
		    NULL;

		if (id != NULL)
			dsn_add_id(ids, id, strlen(id));
		return;
	}
	ct = g_mime_object_get_content_type(obj);
	if (!GMIME_IS_PART(obj) || ct == NULL)
		return;
	/* The returned headers, and the human-readable text where many
	 * servers (163, QQ, qmail) quote them instead. */
	if (g_mime_content_type_is_type(ct, "text", "rfc822-headers") ||
	    g_mime_content_type_is_type(ct, "message", "rfc822-headers") ||
	    g_mime_content_type_is_type(ct, "text", "plain") ||
	    g_mime_content_type_is_type(ct, "message", "delivery-status")) {
		g_autofree char *text = dsn_part_text(scan, GMIME_PART(obj));

		if (text != NULL)
			dsn_scan_text(ids, text);
	}
}

/* The address of a "Final-Recipient: rfc822; user@example.cn" (or
 * Original-Recipient) field: after the address type, without <>. */
static void
dsn_add_recipient(GPtrArray *rcpts, const char *value, size_t len)
{
	g_autofree char *v = g_strndup(value, len);
	char *semi = strchr(v, ';'), *a = semi ? semi + 1 : v;
	guint i;

	g_strstrip(a);
	if (*a == '<') {
		a++;
		a[strcspn(a, ">")] = '\0';
	}
	if (*a == '\0' || strchr(a, '@') == NULL || rcpts->len >= DSN_MAX_IDS)
		return;
	for (i = 0; i < rcpts->len; i++)
		if (g_ascii_strcasecmp(rcpts->pdata[i], a) == 0)
			return;
	g_ptr_array_add(rcpts, g_strdup(a));
}

/* Final-Recipient and Original-Recipient fields of a delivery-status
 * body (RFC 3464 2.3): one line each, case-insensitive names. */
static void
dsn_scan_recipients(GPtrArray *rcpts, const char *text)
{
	static const char *const keys[] = { "final-recipient:",
	    "original-recipient:" };
	const char *p = text;

	while ((p = strchr(p, '\n')) != NULL) {
		size_t i;

		p++;
		for (i = 0; i < G_N_ELEMENTS(keys); i++) {
			size_t k = strlen(keys[i]);

			if (g_ascii_strncasecmp(p, keys[i], k) == 0)
				dsn_add_recipient(rcpts, p + k,
				    strcspn(p + k, "\r\n"));
		}
	}
}

char **
message_dsn_recipients(const struct message *m)
{
	GPtrArray *rcpts = g_ptr_array_new();
	GMimeObject *top = g_mime_message_get_mime_part(m->mime);
	struct dsn_scan scan = { &m->limits, 0 };
	int i, n;

	/* Only the report's own parts: a delivery-status part deeper down
	 * (in a forwarded mail, say) reports nothing to us. */
	if (m->is_dsn_report && GMIME_IS_MULTIPART(top)) {
		n = g_mime_multipart_get_count(GMIME_MULTIPART(top));
		for (i = 0; i < n && scan.parts < m->limits.dsn_parts; i++) {
			GMimeObject *part = g_mime_multipart_get_part(
			    GMIME_MULTIPART(top), i);
			GMimeContentType *ct =
			    g_mime_object_get_content_type(part);
			g_autofree char *text = NULL;

			if (!GMIME_IS_PART(part) || ct == NULL ||
			    !g_mime_content_type_is_type(ct, "message",
			    "delivery-status"))
				continue;
			if ((text = dsn_part_text(&scan, GMIME_PART(part))) !=
			    NULL)
				dsn_scan_recipients(rcpts, text);
		}
	}
	g_ptr_array_add(rcpts, NULL);
	return (char **)g_ptr_array_free(rcpts, FALSE);
}

char **
message_dsn_message_ids(const struct message *m)
{
	GPtrArray *ids = g_ptr_array_new();
	struct dsn_scan scan = { &m->limits, 0 };

	dsn_walk(&scan, ids, g_mime_message_get_mime_part(m->mime), 0);
	/* Some bounces (Exchange) also thread under the returned mail. */
	dsn_add_ids_from_value(ids, g_hash_table_lookup(m->headers,
	    "in-reply-to"));
	dsn_add_ids_from_value(ids, g_hash_table_lookup(m->headers,
	    "references"));
	g_ptr_array_add(ids, NULL);
	return (char **)g_ptr_array_free(ids, FALSE);
}

/* ------------------------------------------------------------------ */
/* auto-replies */

/* The subject of an out-of-office or vacation reply, as 163, QQ, Foxmail,
 * Outlook and Exchange write it (also after a 【 or [ tag opener). */
static int
subject_is_auto_reply(const char *subject)
{
	static const char *const prefixes[] = {
		"自动回复", "自动答复", "自動回覆", "自動回復", "自动应答",
		"自動應答", "休假回复", "外出自动回复", "Auto:",
		"Automatic reply", "Auto Reply", "Auto-Reply", "Autoreply",
		"Auto Response", "Automatic Response", "Out of Office",
		"Out of the office", "Out-of-office", "OOO:",
		"Automatische Antwort", "Abwesenheitsnotiz",
		"Réponse automatique",
	};
	const char *s = subject;
	size_t i;

	while (*s == ' ' || *s == '[' || *s == '(')
		s++;
	if (g_str_has_prefix(s, "【"))
		s += strlen("【");
	else if (g_str_has_prefix(s, "（"))
		s += strlen("（");
	for (i = 0; i < G_N_ELEMENTS(prefixes); i++) {
		size_t len = strlen(prefixes[i]);

		if (g_ascii_strncasecmp(s, prefixes[i], len) == 0)
			return 1;
	}
	return 0;
}

/* X-Auto-Response-Suppress (Exchange): a list such as "DR, OOF,
 * AutoReply" or "All".  Exchange puts All on its own out-of-office
 * replies and automatic messages; a person's mail carries none. */
static int
header_suppresses_auto_reply(const char *v)
{
	g_auto(GStrv) words = NULL;
	size_t i;

	if (v == NULL)
		return 0;
	words = g_strsplit_set(v, ", \t", -1);
	for (i = 0; words[i] != NULL; i++)
		if (g_ascii_strcasecmp(words[i], "All") == 0 ||
		    g_ascii_strcasecmp(words[i], "OOF") == 0 ||
		    g_ascii_strcasecmp(words[i], "AutoReply") == 0)
			return 1;
	return 0;
}

int
message_is_auto_reply(const struct message *m)
{
	const char *v;

	v = g_hash_table_lookup(m->headers, "auto-submitted");
	if (v != NULL && *v != '\0' && g_ascii_strncasecmp(v, "no", 2) != 0)
		return 1;
	if (g_hash_table_contains(m->headers, "x-autoreply") ||
	    g_hash_table_contains(m->headers, "x-autorespond") ||
	    g_hash_table_contains(m->headers, "x-autogenerated") ||
	    g_hash_table_contains(m->headers, "x-auto-reply"))
		return 1;
	if (header_suppresses_auto_reply(g_hash_table_lookup(m->headers,
	    "x-auto-response-suppress")))
		return 1;
	v = g_hash_table_lookup(m->headers, "precedence");
	if (v != NULL && (g_ascii_strcasecmp(v, "auto_reply") == 0 ||
	    g_ascii_strcasecmp(v, "bulk") == 0 ||
	    g_ascii_strcasecmp(v, "junk") == 0))
		return 1;
	return subject_is_auto_reply(m->subject);
}

/* ------------------------------------------------------------------ */
/* text replies */

/* "在 2024年5月1日 10:00，征集活动组委会 写道：" (QQ, Foxmail, Apple
 * Mail in Chinese) and "On Mon, ... wrote:": the line above a quote. */
static bool
line_introduces_quote(const char *line, size_t len)
{
	g_autofree char *l = g_strstrip(g_strndup(line, len));

	return (g_str_has_prefix(l, "在") && (g_str_has_suffix(l, "写道：") ||
	    g_str_has_suffix(l, "写道:"))) ||
	    (g_str_has_prefix(l, "On ") && g_str_has_suffix(l, "wrote:"));
}

/* The lines of text before the first quoted one. */
static char *
own_lines(const char *text)
{
	GString *out = g_string_new(NULL);
	const char *p = text;

	while (*p != '\0') {
		size_t len = strcspn(p, "\n");
		const char *q = p;

		while (q < p + len && (*q == ' ' || *q == '\t'))
			q++;
		if (*q == '>' || htmltext_is_separator(p, len) ||
		    line_introduces_quote(p, len))
			break;
		g_string_append_len(out, p, (gssize)len);
		g_string_append_c(out, '\n');
		p += len;
		if (*p == '\n')
			p++;
	}
	g_strstrip(out->str);
	out->len = strlen(out->str);
	return g_string_free(out, FALSE);
}

char *
message_reply_text(const struct message *m)
{
	g_autofree char *plain = NULL, *html = NULL;
	char *own;

	message_body_text(m, &plain, &html);
	if (plain == NULL && html != NULL) {
		struct htmltext *doc = htmltext_parse(html, strlen(html), 0);
		size_t len, i;
		const char *text = htmltext_text(doc, &len);

		/* Up to where the quoted earlier mail begins. */
		for (i = 0; i < len && !htmltext_quoted_at(doc, i); i++)
			;
		plain = g_strndup(text, i);
		htmltext_free(&doc);
	}
	if (plain == NULL)
		return g_strdup("");
	g_strdelimit(plain, "\r", ' ');
	own = own_lines(plain);
	return own;
}

static bool
text_asks(const char *text)
{
	return strstr(text, "？") != NULL || strchr(text, '?') != NULL;
}

bool
message_text_is_auto_reply(const char *text)
{
	/* What QQ, 163, Foxmail and Outlook put in the text of a vacation
	 * or "received" auto-reply whose headers say nothing. */
	static const char *const markers[] = {
		"自动回复", "自動回覆", "自动答复", "自动应答",
		"您的邮件已收到", "您的来信已收到", "您的邮件我已收到",
		"来信已收到", "邮件已收到", "正在休假", "休假中",
		"不在办公室", "auto-reply", "automatic reply",
		"out of the office", "out of office",
	};
	g_autofree char *lower = g_utf8_strdown(text, -1);
	size_t i;

	/* A person who mentions an auto-reply asks about it. */
	if (text_asks(text))
		return false;
	for (i = 0; i < G_N_ELEMENTS(markers); i++)
		if (strstr(lower, markers[i]) != NULL)
			return true;
	return false;
}

bool
message_text_is_thanks(const char *text)
{
	/* Longest first: each is taken away where it stands. */
	static const char *const words[] = {
		"thank you", "已经收到", "收到了", "已收到", "谢谢您", "谢谢你",
		"非常感谢", "感谢", "谢谢", "多谢", "收到", "好的", "您好",
		"你好", "thanks", "noted", "ok", "好",
	};
	g_autofree char *lower = g_utf8_strdown(text, -1);
	GString *rest = g_string_new(lower);
	const char *p;
	bool only, found = false;
	size_t i;

	if (*text == '\0' || text_asks(text)) {
		g_string_free(rest, TRUE);
		return false;
	}
	for (i = 0; i < G_N_ELEMENTS(words); i++) {
		char *at;

		while ((at = strstr(rest->str, words[i])) != NULL) {
			g_string_erase(rest, at - rest->str,
			    (gssize)strlen(words[i]));
			found = true;
		}
	}
	/* What is left must be punctuation, space or a name signing it. */
	for (p = rest->str, i = 0; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (!g_unichar_isspace(c) && !g_unichar_ispunct(c))
			i++;
	}
	only = found && i <= MESSAGE_THANKS_REST_CHARS;
	g_string_free(rest, TRUE);
	return only;
}
