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
 *
 * A mail that filed some of its works and had others refused (a third
 * work over the quota) is judged again from its first case's
 * original.eml: the works it filed (same message, same work key) stay as
 * they are and are neither judged nor filed again; works that pass now
 * are filed with new receipt numbers, in one transaction with the
 * message's works and one receipt naming them alone.  When none passes,
 * nothing is written.  --status rejected takes such a mail whatever
 * refused its works; another outcome, when a work was refused so.
 *
 * A case filed alone before works were recorded (its message has no
 * works on record) may hold several: reprocess_split() reads its
 * original.eml under the campaign as it is now.  The case keeps its
 * receipt as the work its title, category and unit name (else the
 * first); the others are judged and filed as above, beside it, and its
 * case.json names where each of their files went (the folder keeps them
 * all).  Every work is recorded, filed or not, with the new cases in
 * one transaction; a mail of one work gains only its record.
 */
#ifndef SUBGATE_REPROCESS_H
#define SUBGATE_REPROCESS_H

#include <stdint.h>

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
 * this outcome and no case, and each that made cases and has a work
 * refused so (above).  0, or <0 when the environment failed (what was
 * committed before stays committed). */
int reprocess_outcome(const struct config *config, struct db *db,
    struct store *store, struct ingest *ingest, const char *campaign,
    const char *outcome, reprocess_report_fn *report, void *ctx,
    char **error_r);

/* Splits the case of receipt (above): 1 when its mail was judged again,
 * *result saying how (accepted: its works are now on record, the
 * case's and any filed beside it; otherwise why nothing was written),
 * 0 when its message has its works on record already or no case has
 * that receipt (nothing done), <0 when the environment failed.
 * *row_r is the message's row. */
int reprocess_split(struct db *db, struct store *store,
    struct ingest *ingest, const struct campaign *campaign,
    const char *receipt, int64_t *row_r, struct ingest_result *result,
    char **error_r);

#endif
