/*
 * outbox: delivers the replies that ingest queued in the database, and
 * keeps their fate: queued, sent, failed (refused for good) or bounced
 * (a delivery status notification came back for it).
 *
 * Sending happens only after the transaction that queued a reply has
 * committed, so a crash can delay a reply but never lose it or send it
 * for a case that does not exist.  A 4xx or network failure keeps the
 * reply queued with exponential backoff (1, 2, 4 ... minutes, at most an
 * hour); a 5xx marks it failed.
 *
 * Each reply is marked sending, and that committed, before its SMTP
 * transaction starts; sent, queued or failed replaces it after.  Only the
 * holder of db_sender_claim() sends, so a reply found sending by the
 * holder was left by a process that died mid-transaction: it is logged
 * and sent again, the same bytes with the same Message-ID (a mail client
 * shows one message).  The window that remains: killed between the
 * server's final OK and the sent commit, the reply goes out twice.
 *
 * Rate limits ([smtp] rate_per_recipient_hour, rate_global_minute) hold
 * replies back in the outbox, never drop them: a recipient over its limit
 * is logged (a mail loop shows there first) and its replies go out in a
 * later run.  Refusals (reply_kind_is_refusal) may use at most half of
 * rate_global_minute, so that receipts always keep the rest.
 *
 * Sending never holds intake up.  `once` and `run` send from a thread of
 * their own (sender.h), each reply as soon as its message is committed;
 * the end of `once` waits for sending no longer than [smtp] send_budget
 * seconds (a reply under way finishes, within its own bounds: see smtp.h),
 * and the rest go out in the next cycle.  A server that does not answer
 * at all (unreachable, or silent until a timeout) three times in a row is
 * left alone by a circuit breaker (breaker.h): for a minute, then for
 * twice as long after each further silent attempt, up to half an hour,
 * until one attempt gets an answer.  The breaker is kept in the database
 * per server URL, so `once` from a timer and `outbox send` see it too;
 * opening and closing are logged once each.  Replies it holds back stay
 * queued, never dropped, and their attempts are not counted.  One process
 * sends at a time (db_sender_claim), for as long as one drain lasts.
 */
#ifndef SUBGATE_OUTBOX_H
#define SUBGATE_OUTBOX_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

struct config_smtp;
struct db;
struct message;

/* Replies one drain selects at most; the sender thread drains again
 * while more are due. */
#define OUTBOX_BATCH	100

/* Where a reply stands; one name table (outbox_state_name), the names the
 * database and `outbox list` use. */
enum outbox_state {
	OUTBOX_QUEUED,		/* due now, or after a backoff */
	OUTBOX_SENDING,		/* handed to SMTP, the answer not recorded */
	OUTBOX_SENT,
	OUTBOX_FAILED,		/* refused for good by the relay */
	OUTBOX_BOUNCED,		/* a bounce reported it undelivered */
	OUTBOX_STATE_COUNT,
};
const char *outbox_state_name(enum outbox_state state);
/* <0 for an unknown name. */
int outbox_state_parse(const char *name, enum outbox_state *state_r);

struct outbox_stats {
	unsigned sent;
	unsigned deferred;	/* temporary failure: retried later */
	unsigned failed;	/* refused for good (5xx) */
	unsigned held;		/* over a rate limit: waits */
	unsigned postponed;	/* not tried: out of time, or breaker open */
	unsigned paused;	/* seconds the breaker leaves the server alone */
};

/* 0 (with counts), or <0 when the database failed.  ignore_backoff
 * also sends replies whose next attempt is not due yet, and makes one
 * attempt through an open circuit breaker's pause. */
int outbox_drain(struct db *db, const struct config_smtp *smtp,
    bool ignore_backoff, struct outbox_stats *stats, char **error_r);
/* Notices that a series of drains gives once rather than at each drain
 * (held replies, a full minute, another process sending): each flag is
 * set when its notice is logged, and cleared by the owner of the series
 * (the sender thread, once a cycle). */
struct outbox_said {
	bool held_mailbox, held_domain, held_all;
	bool minute, refusals, busy;
};

/* What else ends a drain early, for the sender thread. */
struct outbox_bounds {
	int64_t deadline;	/* g_get_monotonic_time(): no reply starts
				   after it; 0: none */
	unsigned budget;	/* the seconds deadline stands for, to log */
	bool (*cut)(void *ctx);	/* true: start no further reply */
	void *cut_ctx;
	struct outbox_said *said; /* NULL: every notice is logged */
};

/* outbox_drain() within bounds (due replies only, no --now): stats count
 * what this drain did; replies cut off or out of time are postponed. */
int outbox_drain_bounded(struct db *db, const struct config_smtp *smtp,
    const struct outbox_bounds *bounds, struct outbox_stats *stats,
    char **error_r);
/* At start-up: replies a dead process left sending go back to the queue,
 * due now (each drain does the same first).  The number requeued, 0 when
 * another live process holds the sender claim, or <0. */
int outbox_recover(struct db *db, char **error_r);

/* Once *stop is set (by a signal handler, with g_atomic_int_set: the
 * sender thread reads it), no further reply is started: the one being
 * sent finishes, the rest stay queued for the next start. */
void outbox_set_stop(const volatile sig_atomic_t *stop);

/* A delivery status notification: marks bounced each reply of ours it
 * names (message_dsn_message_ids()) that was sent, to a recipient the
 * report is about (message_dsn_recipients()); only an RFC 3464 report
 * counts.  A queued reply is never touched.  The number marked, or <0. */
int outbox_note_bounce(struct db *db, const struct message *dsn,
    char **error_r);

#endif
