/* outbox: see include/outbox.h. */
#include <signal.h>
#include <stdbool.h>
#include <string.h>

#include <glib.h>

#include "breaker.h"
#include "config.h"
#include "crashpoint.h"
#include "db.h"
#include "log.h"
#include "message.h"
#include "outbox.h"
#include "reply.h"
#include "smtp.h"

static const char *const outbox_state_names[OUTBOX_STATE_COUNT] = {
	[OUTBOX_QUEUED] = "queued",
	[OUTBOX_SENDING] = "sending",
	[OUTBOX_SENT] = "sent",
	[OUTBOX_FAILED] = "failed",
	[OUTBOX_BOUNCED] = "bounced",
};

const char *
outbox_state_name(enum outbox_state state)
{
	g_assert((size_t)state < G_N_ELEMENTS(outbox_state_names));
	return outbox_state_names[state];
}

int
outbox_state_parse(const char *name, enum outbox_state *state_r)
{
	size_t i;

	for (i = 0; name != NULL && i < G_N_ELEMENTS(outbox_state_names); i++) {
		if (strcmp(name, outbox_state_names[i]) == 0) {
			*state_r = (enum outbox_state)i;
			return 0;
		}
	}
	return -1;
}

#define OUTBOX_HOUR	3600
#define OUTBOX_MINUTE	60

/* The circuit breaker: three attempts in a row that get no answer at all
 * leave the server alone for a minute, then 2, 4 ... up to half an hour
 * while the one attempt after each pause gets none either. */
static const struct breaker_policy outbox_breaker_policy = {
	.threshold = 3,
	.first_pause = 60,
	.max_pause = 1800,
};

struct outbox_run {
	struct db *db;
	const struct config_smtp *smtp;
	struct outbox_stats *stats;
	const char *refusal_kinds;	/* JSON array, for the database */
	bool global_full;
	bool refusals_full;	/* their share of the minute is used up */
	struct breaker breaker;	/* the server's, as kept in the database */
	const struct outbox_bounds *bounds;	/* NULL: none */
	bool out_of_time;
};

/* Whether to log a notice a series of drains gives once: flag is NULL
 * (no series: every drain logs), or the notice's flag, set from now on. */
static bool
outbox_first(bool *flag)
{
	if (flag == NULL)
		return true;
	if (*flag)
		return false;
	*flag = true;
	return true;
}

#define OUTBOX_FIRST(said, notice) \
	outbox_first((said) != NULL ? &(said)->notice : NULL)

static struct outbox_said *
outbox_said_of(const struct outbox_run *run)
{
	return run->bounds != NULL ? run->bounds->said : NULL;
}

/* Wall-clock seconds: the breaker is kept across processes. */
static int64_t
outbox_now(void)
{
	return g_get_real_time() / G_USEC_PER_SEC;
}

/* Set by outbox_set_stop: asked to stop, no further reply is started. */
static const volatile sig_atomic_t *outbox_stop;

void
outbox_set_stop(const volatile sig_atomic_t *stop)
{
	outbox_stop = stop;
}

/* The reply is not tried in this run: subgate is asked to stop, intake
 * asks the sender to finish, the time budget is spent, or the server is
 * being left alone. */
static bool
outbox_postponed(struct outbox_run *run)
{
	const struct outbox_bounds *b = run->bounds;

	/* Set by a signal handler in intake's thread, read here by the
	 * sender's: atomically on both sides. */
	if (outbox_stop != NULL && g_atomic_int_get(outbox_stop))
		return true;
	if (b != NULL && b->cut != NULL && b->cut(b->cut_ctx))
		return true;
	if (run->out_of_time || (b != NULL && b->deadline > 0 &&
	    g_get_monotonic_time() >= b->deadline)) {
		run->out_of_time = true;
		return true;
	}
	return !breaker_allows(&run->breaker, &outbox_breaker_policy,
	    outbox_now());
}

/* An attempt's outcome for the breaker: kept when it changed, logged
 * when the breaker opens or closes.  <0 when the database failed. */
static int
outbox_breaker_note(struct outbox_run *run, bool answered, char **error_r)
{
	struct breaker before = run->breaker;
	const char *url = run->smtp->url;
	int64_t now = outbox_now();
	enum breaker_event event = breaker_note(&run->breaker,
	    &outbox_breaker_policy, answered, now);
	unsigned wait = breaker_wait(&run->breaker, now);

	if ((before.failures != run->breaker.failures ||
	    before.opened != run->breaker.opened ||
	    before.open_until != run->breaker.open_until) &&
	    db_breaker_put(run->db, url, &run->breaker, error_r) < 0)
		return -1;
	switch (event) {
	case BREAKER_OPENED:
		log_warnx("outbox: %s did not answer %u times in a row: no "
		    "reply is handed to it for %u s; replies stay queued", url,
		    run->breaker.failures, wait);
		break;
	case BREAKER_REOPENED:
		log_info("outbox: %s still does not answer: next try in %u s",
		    url, wait);
		break;
	case BREAKER_CLOSED:
		log_info("outbox: %s answers again: sending resumes", url);
		break;
	case BREAKER_UNCHANGED:
		break;
	}
	return 0;
}

/* Whether an outbox kind is a refusal (reply.h). */
static bool
outbox_kind_is_refusal(const char *kind)
{
	int k;

	for (k = 0; k < REPLY_KIND_COUNT; k++)
		if (strcmp(kind, reply_kind_name((enum reply_kind)k)) == 0)
			return reply_kind_is_refusal((enum reply_kind)k);
	return false;
}

/* Of the relay's limit per minute, what refusals may use: half (at least
 * one).  Anyone can provoke corrections, in any number, and each goes out
 * as soon as its message is committed: without a share of their own, a
 * flood processed first would take the whole minute from the receipts
 * committed after it. */
static unsigned
outbox_refusal_share(unsigned per_minute)
{
	return MAX(1u, per_minute / 2);
}

/* 1 when the reply must wait for a rate limit, 0 when it may go. */
static int
outbox_rate_limited(struct outbox_run *run, const struct db_outbox_entry *e,
    char **error_r)
{
	const struct config_smtp *smtp = run->smtp;
	bool refusal = outbox_kind_is_refusal(e->kind);
	unsigned n, share = outbox_refusal_share(smtp->rate_global_minute);

	/* The hourly limits were applied when the batch was chosen
	 * (db_outbox_due); the limit per minute is the relay's, and counts
	 * what this run has sent too. */
	if (run->global_full || (refusal && run->refusals_full))
		return 1;
	if (smtp->rate_global_minute == 0)
		return 0;
	if (db_outbox_sent_since(run->db, NULL, NULL, OUTBOX_MINUTE, &n,
	    error_r) < 0)
		return -1;
	if (n >= smtp->rate_global_minute) {
		if (OUTBOX_FIRST(outbox_said_of(run), minute))
			log_info("outbox: %u replies in the last minute, the "
			    "rest wait for the next run", n);
		run->global_full = true;
		return 1;
	}
	if (!refusal)
		return 0;
	if (db_outbox_sent_since(run->db, NULL, run->refusal_kinds,
	    OUTBOX_MINUTE, &n, error_r) < 0)
		return -1;
	if (n >= share) {
		if (OUTBOX_FIRST(outbox_said_of(run), refusals))
			log_info("outbox: %u corrections and other refusals "
			    "in the last minute, their share of the relay's "
			    "%u: the rest wait; receipts still go out", n,
			    smtp->rate_global_minute);
		run->refusals_full = true;
		return 1;
	}
	return 0;
}

static int
outbox_send_one(struct db_outbox_entry *e, void *ctx)
{
	struct outbox_run *run = ctx;
	g_autofree char *error = NULL;
	g_autofree char *dberr = NULL;
	enum smtp_failure failure = SMTP_FAIL_LOCAL;
	bool permanent = false, tried = true, answered = true;
	const char *state;
	int r;

	if (outbox_postponed(run)) {
		run->stats->postponed++;
		return 0;
	}
	r = outbox_rate_limited(run, e, &dberr);
	if (r < 0) {
		log_warnx("%s", dberr);
		return -1;
	}
	if (r > 0) {
		run->stats->held++;
		return 0;
	}
	/* Committed before the transaction starts: a process that dies
	 * in it leaves the reply sending, and the next sender knows. */
	r = db_outbox_set_sending(run->db, e->id, &dberr);
	if (r <= 0) {
		if (r < 0)
			log_warnx("%s", dberr);
		return r;
	}
	if (smtp_send(run->smtp, e->recipient, e->data, e->data_len,
	    &failure, &error) == 0) {
		crashpoint("after-smtp");
		state = outbox_state_name(OUTBOX_SENT);
		run->stats->sent++;
		log_info("reply %s <%s> to %s sent", e->kind,
		    e->reply_message_id, e->recipient);
	} else {
		permanent = failure == SMTP_FAIL_PERMANENT;
		/* No token: the server was not asked, and said nothing
		 * either way. */
		tried = failure != SMTP_FAIL_LOCAL;
		answered = failure != SMTP_FAIL_UNANSWERED;
		state = outbox_state_name(permanent ? OUTBOX_FAILED :
		    OUTBOX_QUEUED);
		if (permanent)
			run->stats->failed++;
		else
			run->stats->deferred++;
		log_warnx("reply %s <%s> to %s %s (attempt %d): %s", e->kind,
		    e->reply_message_id, e->recipient,
		    permanent ? "refused" : "deferred", e->attempts + 1, error);
	}
	if (db_outbox_mark(run->db, e->id, state, error, &dberr) < 0 ||
	    (tried && outbox_breaker_note(run, answered, &dberr) < 0)) {
		/* A sent reply we cannot mark would be sent again: stop. */
		log_warnx("%s", dberr);
		return -1;
	}
	return 0;
}

static int
outbox_log_interrupted(const struct db_outbox_row *r, void *ctx)
{
	unsigned *count = ctx;

	(*count)++;
	log_warnx("reply %s <%s> to %s was being handed to the server when "
	    "a subgate process died: it goes out again, with the same "
	    "Message-ID", r->kind, r->reply_message_id, r->recipient);
	return 0;
}

/* The caller holds the sender claim: a reply still sending was left by a
 * process that died in its SMTP transaction.  Whether the server took it
 * is unknown; sending it again risks a second copy, never a lost one. */
static int
outbox_resume_interrupted(struct db *db, char **error_r)
{
	unsigned found = 0, n = 0;

	if (db_outbox_list(db, outbox_state_name(OUTBOX_SENDING), NULL,
	    outbox_log_interrupted, &found, error_r) < 0)
		return -1;
	/* No write when there is nothing to requeue: the sender thread
	 * drains every second, beside intake's transactions. */
	if (found > 0 && db_outbox_resume_sending(db, "interrupted: subgate "
	    "stopped while handing it to the server", &n, error_r) < 0)
		return -1;
	return (int)n;
}

int
outbox_recover(struct db *db, char **error_r)
{
	int ret;

	*error_r = NULL;
	if ((ret = db_sender_claim(db, error_r)) <= 0)
		return ret;
	ret = outbox_resume_interrupted(db, error_r);
	db_sender_release(db);
	return ret;
}

/* The hourly limits from [smtp]; capped_kinds (g_free) lists the
 * refusals as a JSON array of outbox kinds. */
static void
outbox_limits(const struct config_smtp *smtp, struct db_outbox_limits *l)
{
	GString *kinds = g_string_new("[");
	int k;

	for (k = 0; k < REPLY_KIND_COUNT; k++) {
		if (!reply_kind_is_refusal((enum reply_kind)k))
			continue;
		g_string_append_printf(kinds, "%s\"%s\"", kinds->len > 1 ?
		    "," : "", reply_kind_name((enum reply_kind)k));
	}
	g_string_append_c(kinds, ']');
	l->per_mailbox_hour = smtp->rate_per_recipient_hour;
	l->per_domain_hour = smtp->rate_per_domain_hour;
	l->capped_hour = smtp->rate_refusals_hour;
	l->capped_kinds = g_string_free(kinds, FALSE);
}

/* Held replies are news only when someone may be using the gateway
 * against an address or a domain (or a loop runs): said once a run. */
static void
outbox_log_held(const struct db_outbox_held *held,
    const struct config_smtp *smtp, struct outbox_said *said)
{
	if (held->mailbox > 0 && OUTBOX_FIRST(said, held_mailbox))
		log_warnx("outbox: %u replies wait for their mailbox's hourly "
		    "limit (%u): a mail loop, or someone using the gateway "
		    "against an address?", held->mailbox,
		    smtp->rate_per_recipient_hour);
	if (held->domain > 0 && OUTBOX_FIRST(said, held_domain))
		log_warnx("outbox: %u corrections and other refusals wait for "
		    "their domain's hourly limit (%u): someone using the "
		    "gateway against a domain?", held->domain,
		    smtp->rate_per_domain_hour);
	if (held->all > 0 && OUTBOX_FIRST(said, held_all))
		log_warnx("outbox: %u corrections and other refusals wait for "
		    "the hourly limit on all of them (%u); receipts still go "
		    "out", held->all, smtp->rate_refusals_hour);
}

/* The due replies, the sender claim held. */
static int
outbox_run_batch(struct outbox_run *run, bool ignore_backoff,
    char **error_r)
{
	const struct config_smtp *smtp = run->smtp;
	struct db_outbox_limits limits;
	struct db_outbox_held held = { 0 };
	int ret;

	if (db_breaker_get(run->db, smtp->url, &run->breaker, error_r) < 0)
		return -1;
	/* Asked to send now, staff get one attempt through a pause; it
	 * closes the breaker or lengthens the pause as any other would. */
	if (ignore_backoff && !breaker_allows(&run->breaker,
	    &outbox_breaker_policy, outbox_now()))
		run->breaker.open_until = outbox_now();
	outbox_limits(smtp, &limits);
	/* Replies beyond an hourly limit are left out of the batch, so that
	 * they delay no one else's reply; they wait all the same, and are
	 * counted (before the run changes who is due). */
	ret = db_outbox_held(run->db, ignore_backoff, &limits, &held, error_r);
	if (ret == 0) {
		outbox_log_held(&held, smtp, outbox_said_of(run));
		run->stats->held += held.mailbox + held.domain + held.all;
		run->refusal_kinds = limits.capped_kinds;
		ret = db_outbox_due(run->db, OUTBOX_BATCH, ignore_backoff,
		    &limits, outbox_send_one, run, error_r);
	}
	run->refusal_kinds = NULL;
	g_free((char *)limits.capped_kinds);
	if (ret < 0)
		return -1;
	run->stats->paused = breaker_wait(&run->breaker, outbox_now());
	return 0;
}

/* bounds: NULL, or what else ends the drain early (outbox.h). */
static int
outbox_run_drain(struct db *db, const struct config_smtp *smtp,
    bool ignore_backoff, const struct outbox_bounds *bounds,
    struct outbox_stats *stats, char **error_r)
{
	struct outbox_run run = { .db = db, .smtp = smtp, .stats = stats,
	    .bounds = bounds };
	int ret;

	*error_r = NULL;
	memset(stats, 0, sizeof(*stats));
	if (smtp->url == NULL)
		return 0;
	if ((ret = db_sender_claim(db, error_r)) <= 0) {
		if (ret == 0 && OUTBOX_FIRST(outbox_said_of(&run), busy))
			log_info("outbox: another subgate process is sending "
			    "replies; this one sends none now");
		return ret;
	}
	ret = outbox_resume_interrupted(db, error_r);
	if (ret >= 0)
		ret = outbox_run_batch(&run, ignore_backoff, error_r);
	if (ret >= 0 && run.out_of_time)
		log_info("outbox: %u s of sending used up after intake; the "
		    "other due replies go out in the next cycle",
		    bounds->budget);
	db_sender_release(db);
	return ret < 0 ? -1 : 0;
}

int
outbox_drain(struct db *db, const struct config_smtp *smtp,
    bool ignore_backoff, struct outbox_stats *stats, char **error_r)
{
	return outbox_run_drain(db, smtp, ignore_backoff, NULL, stats,
	    error_r);
}

int
outbox_drain_bounded(struct db *db, const struct config_smtp *smtp,
    const struct outbox_bounds *bounds, struct outbox_stats *stats,
    char **error_r)
{
	return outbox_run_drain(db, smtp, false, bounds, stats, error_r);
}

int
outbox_note_bounce(struct db *db, const struct message *dsn, char **error_r)
{
	g_auto(GStrv) ids = NULL;
	g_auto(GStrv) rcpts = NULL;
	const char *subject = message_subject(dsn);
	int marked = 0;
	size_t i;

	/* Anyone can send mail that looks automatic and names our replies
	 * (their Message-IDs travel in every answer): only an RFC 3464
	 * report about a reply already sent, to the very recipient it
	 * reports on, marks it.  A queued reply is never cancelled. */
	if (!message_is_dsn_report(dsn))
		return 0;
	rcpts = message_dsn_recipients(dsn);
	if (rcpts[0] == NULL)
		return 0;
	ids = message_dsn_message_ids(dsn);
	for (i = 0; ids[i] != NULL; i++) {
		g_autofree char *state = NULL, *recipient = NULL, *why = NULL;
		int64_t id;
		int r = db_outbox_find(db, ids[i], &id, &state, &recipient,
		    error_r);
		size_t k;

		if (r < 0)
			return -1;
		if (r == 0 || strcmp(state, outbox_state_name(OUTBOX_SENT)) != 0)
			continue;
		for (k = 0; rcpts[k] != NULL; k++)
			if (recipient != NULL &&
			    g_ascii_strcasecmp(rcpts[k], recipient) == 0)
				break;
		if (rcpts[k] == NULL)
			continue;
		why = g_strdup_printf("bounced: <%s> %s",
		    message_id(dsn), *subject ? subject : "(no subject)");
		if (db_outbox_set_bounced(db, id, why, error_r) < 0)
			return -1;
		log_warnx("reply <%s> bounced (%s)", ids[i], why);
		marked++;
	}
	return marked;
}
