/*
 * linkfetch: the stage that downloads cloud attachments (超大附件) into
 * their cases, for the hosts a campaign's [links] fetch lists, and checks
 * them as an attachment would have been checked.
 *
 * A link is recorded pending when its case is filed (ingest_links.c);
 * here, one link at a time:
 *   1. Resolve: the download page becomes the file's URL, by a table of
 *      resolvers (QQ's JSON answer, QQ's old page, NetEase's prepare
 *      call, or "direct" for a host that serves the file itself).  An
 *      answer that the link expired or was deleted (QQ ret != 0, NetEase
 *      400/404, HTTP 404/410) ends it: state expired, said at once.
 *   2. Download with libcurl into <store>/.fetch/<receipt>-<pos>.part
 *      (the store's file system: the last step is a rename): https only
 *      unless the page itself was http (QQ's old links), redirects to
 *      https only, certificates always verified ([links] ca_file for
 *      tests), at most the campaign's fetch_max_bytes whatever the
 *      server announces (chunked replies announce nothing), aborted when
 *      slower than LINKFETCH_LOW_SPEED_BYTES a second for
 *      LINKFETCH_LOW_SPEED_SECONDS.  A retry resumes from the part's
 *      size (Range); a 200 to a Range starts again from 0.
 *   3. Check: the size and MD5 the provider gave, the SHA-256; clamd
 *      where the campaign scans (infected: the file to the quarantine,
 *      state infected, never into the store); the type by content and,
 *      where the kind has rules, what the file measures (inspect.h),
 *      judged by the campaign's rules for the link's kind and its case's
 *      category (linkanswer.h).
 *   4. Record, in this order: the name in the case folder and the
 *      SHA-256 written to the row (state fetching); the part renamed into
 *      the case folder; case.json rewritten (the attachment, its
 *      findings, the link's "fetch"); then one transaction: the row
 *      fetched and, when a finding refuses the file, the follow-up mail
 *      (REPLY_LINK_CHECK, kind link-check) queued to where the receipt
 *      went.  A crash after the rename leaves the file and the row: the
 *      next run finds no part, the file under saved_as with that SHA-256,
 *      and finishes steps 3 and 4 (idempotent).  The case's status is
 *      never changed: staff decide.
 * A failure is tried again after linkanswer_backoff(), never past the
 * link's expiry, at most LIMIT_FETCH_ATTEMPTS times, then left to staff
 * (not-fetched).  A failure of our disk or database (fault.h), the
 * budget running out or a stop is no attempt: the row stays as it was.
 * Links that expire within the campaign's expiry_warn and are not
 * downloaded are logged once each.
 *
 * Returns: 0, or <0 with *error_r (FAULT_ENVIRONMENT for the disk or
 * the database); how a link ended is in its row, not the return code.
 */
#ifndef SUBGATE_LINKFETCH_H
#define SUBGATE_LINKFETCH_H

#include <stdbool.h>
#include <stdint.h>

struct config;
struct db;
struct db_link;
struct linkfetch;

#define LINKFETCH_LOW_SPEED_BYTES	1024
#define LINKFETCH_LOW_SPEED_SECONDS	60
#define LINKFETCH_CONNECT_SECONDS	30
/* A provider's page or API call, whole. */
#define LINKFETCH_API_SECONDS		60
/* Seconds between the thread's looks for links come due. */
#define LINKFETCH_LOOK_SECONDS		60
#define LINKFETCH_PART_DIR		".fetch"

struct linkfetch_ctx {
	const struct config *config;
	struct db *db;
	const char *store_dir;
	/* Stop what is under way (the budget, a signal): true to stop. */
	bool (*cut)(void *cut_ctx);
	void *cut_ctx;
	/* Whom to tell that a follow-up mail was queued; may be NULL. */
	void (*queued)(void *queued_ctx);
	void *queued_ctx;
};

struct linkfetch_stats {
	unsigned fetched, failed, expired;
};

/* One link (a row from db_links_due() or db_links_list()), now. */
int linkfetch_one(const struct linkfetch_ctx *ctx, const struct db_link *l,
    char **error_r);
/* Staff downloaded link l by hand (links mark): the file at path is
 * copied into the case, checked and recorded as a fetch is (state
 * manual), the follow-up mail included; attempts are not counted. */
int linkfetch_mark(const struct linkfetch_ctx *ctx, const struct db_link *l,
    const char *path, char **error_r);
/* Every link due, one after the other, until none is or ctx->cut says
 * stop; then the expiry warnings. */
int linkfetch_drain(const struct linkfetch_ctx *ctx,
    struct linkfetch_stats *stats_r, char **error_r);

/* `run`: a thread with its own database connection that drains every
 * LINKFETCH_LOOK_SECONDS, and at once when woken.  stop (may be NULL) is
 * the process's stop flag. */
int linkfetch_start(const struct config *config, const char *store_dir,
    const volatile int *stop, void (*queued)(void *), void *queued_ctx,
    struct linkfetch **lf_r, char **error_r);
void linkfetch_wake(struct linkfetch *lf);
/* The download under way stops (its part kept), the thread is joined. */
void linkfetch_free(struct linkfetch **lf);

#endif
