/*
 * sender: the thread of `once` and `run` that hands replies to SMTP while
 * intake goes on, so that a receipt goes out as soon as its message is
 * committed, not after the whole batch, and a slow or hanging server
 * never holds intake up.
 *
 * The thread has its own database connection (SQLite connections are not
 * shared between threads; WAL lets it read and write beside intake) and
 * sends through the outbox's one code path (outbox.h): the sender claim
 * for each drain, the circuit breaker, the rate limits, the reply marked
 * sending and that committed before its SMTP transaction.  It drains when
 * intake says a message was committed (sender_wake) and, to retry what
 * has come due, every SENDER_RETRY_SECONDS on its own (one indexed query
 * when nothing is due; every SENDER_HELD_SECONDS while all that is due
 * waits for a rate limit or the circuit breaker).  Notices about
 * held replies, a full minute or another sending process are logged once
 * a cycle (between two sender_take_stats()).
 *
 * sender_finish(): intake is done.  The reply in hand finishes (within
 * its own bounds, smtp.h), then one last drain sends what is due for no
 * longer than [smtp] send_budget counted from the call, and the thread is
 * joined.  Asked to stop (outbox_set_stop), that drain starts nothing.
 *
 * Nothing of the intake thread's (its struct db, its IMAP connection,
 * GMime) is touched by the sender; the configuration is only read.
 */
#ifndef SUBGATE_SENDER_H
#define SUBGATE_SENDER_H

struct config_smtp;
struct sender;

/* Seconds between the looks the thread takes on its own. */
#define SENDER_RETRY_SECONDS	1
/* Seconds between them while what is due is held back: limits free up
 * by the minute, the breaker's pauses last a minute and more. */
#define SENDER_HELD_SECONDS	10

struct sender_stats {
	unsigned sent;
	/* attempts that failed, and the replies the latest drain left
	 * waiting (held by a limit, postponed by the breaker or the budget) */
	unsigned deferred;
};

/* Opens database (the path intake uses) and starts the thread; smtp must
 * outlive the sender.  0, or <0 with *error_r. */
int sender_start(const char *database, const struct config_smtp *smtp,
    struct sender **sender_r, char **error_r);
/* A message was committed: its reply, if any, is due now. */
void sender_wake(struct sender *sender);
/* The counts since the last call, for the cycle's report; a new cycle's
 * notices may be logged again.  <0 when a drain failed (logged by the
 * thread) since the last call. */
int sender_take_stats(struct sender *sender, struct sender_stats *stats_r);
/* See above; does nothing the second time. */
void sender_finish(struct sender *sender);
/* sender_finish(), then frees and NULLs *sender. */
void sender_free(struct sender **sender);

#endif
