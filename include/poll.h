/*
 * poll: one cycle of the gateway's intake: for every campaign, fetch the
 * mail that arrived in its folder since the last committed UID and ingest
 * it message by message.  The cycle sends no reply itself: after each
 * commit it wakes the sender thread (sender.h), which hands the reply to
 * SMTP while intake goes on, so that a hanging SMTP server never holds up
 * intake and no receipt waits for the rest of its batch.
 *
 * A failing environment (server down, disk full) ends the cycle with an
 * error: nothing past the last commit counts as done, and the next cycle
 * starts from there.  poll_cycle() returns FAULT_ENVIRONMENT (fault.h)
 * when the store or the database failed in a way that is no message's
 * doing: intake pauses, no attempt is counted against the message being
 * processed, and the next cycle that gets through resumes it.
 */
#ifndef SUBGATE_POLL_H
#define SUBGATE_POLL_H

#include <signal.h>

struct config;
struct db;
struct imap;
struct ingest;
struct sender;
struct store;

struct poll_stats {
	unsigned fetched;
	unsigned accepted;
	unsigned rejected;
	unsigned other;
};

/* A flag (set by a signal handler) that ends a cycle between messages. */
void poll_set_stop(const volatile sig_atomic_t *stop);

/* imap: NULL for a connection of the cycle's own; otherwise the
 * connection kept between cycles (opened when *imap is NULL, left open
 * for poll_wait(), closed and NULLed when it failed).  sender: woken after
 * each message committed; NULL: the replies stay queued. */
int poll_cycle(const struct config *config, struct db *db,
    struct store *store, struct ingest *ingest, struct imap **imap,
    struct sender *sender, struct poll_stats *stats, char **error_r);
/*
 * Between two cycles of `run`: waits up to seconds for new mail.  With a
 * server that offers IDLE (and [imap] idle not off) it watches the first
 * campaign's folder and returns early when mail arrives there; other
 * folders are looked at when the time is up.  Without IDLE it closes the
 * connection and sleeps.  *stop ends the wait within a second.
 * Returns 1 when there is mail to fetch now, 0 when the time ran out or
 * *stop was set, <0 when the connection failed (it is then closed).
 */
int poll_wait(const struct config *config, struct db *db, struct imap **imap,
    unsigned seconds, const volatile sig_atomic_t *stop, char **error_r);
/* Closes a connection kept by poll_cycle(). */
void poll_disconnect(struct imap **imap);

#endif
