/*
 * reprocess: runs the grammar and the policies again over messages that
 * made no case, after staff fixed a campaign file (a new alias, a wider
 * window, a corrected unit list).
 *
 * Each message is taken from the store's _unaccepted folder and goes
 * through ingest with the same crash-safe order as new mail: a case folder
 * first, then one transaction that updates the message's row, records the
 * case and queues its receipt.  A message still not accepted keeps its
 * row, updated with the new outcome and reason, and gets no second reply.
 */
#ifndef SUBGATE_REPROCESS_H
#define SUBGATE_REPROCESS_H

struct campaign;
struct config;
struct db;
struct ingest;
struct ingest_result;
struct store;

/* Called once per message with its kept file and the new result. */
typedef void reprocess_report_fn(const char *file,
    const struct ingest_result *result, void *ctx);

/* Every recorded message of campaign (NULL: every campaign of config) with
 * this outcome and no case.  0, or <0 when the environment failed (what was
 * committed before stays committed). */
int reprocess_outcome(const struct config *config, struct db *db,
    struct store *store, struct ingest *ingest, const char *campaign,
    const char *outcome, reprocess_report_fn *report, void *ctx,
    char **error_r);

#endif
