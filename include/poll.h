/*
 * poll: one cycle of the gateway: for every campaign, fetch the mail that
 * arrived in its folder since the last committed UID, ingest it message by
 * message, then deliver the replies that were queued.
 *
 * A failing environment (server down, disk full) ends the cycle with an
 * error: nothing past the last commit counts as done, and the next cycle
 * starts from there.
 */
#ifndef SUBGATE_POLL_H
#define SUBGATE_POLL_H

struct config;
struct db;
struct ingest;
struct store;

struct poll_stats {
	unsigned fetched;
	unsigned accepted;
	unsigned rejected;
	unsigned other;
	unsigned replies_sent;
	unsigned replies_deferred;
};

int poll_cycle(const struct config *config, struct db *db,
    struct store *store, struct ingest *ingest, struct poll_stats *stats,
    char **error_r);

#endif
