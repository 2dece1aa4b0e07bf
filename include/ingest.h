/*
 * ingest: one message, from a spool file to a decision, in the order that
 * makes a crash harmless:
 *
 *   1. parse and judge (the verdict is pure: judge.h);
 *   2. accepted: build the case folder in the store's .tmp, fsync, rename
 *      into place;
 *   3. one SQLite transaction records the message, the case, the reply in
 *      the outbox and the folder's new last UID;
 *   4. only after that commit may anyone touch the IMAP mailbox or send.
 *
 * Step 1 gathers the facts (the parse, the loop guard's finding, what the
 * naming convention found, the counts the quotas need) and hands them to
 * judge_run(): the policies and their order are in judge.h.
 *
 * A crash before 3 leaves no trace the next start does not clean away
 * (store_recover) and the UID is fetched again; after 3 the message is
 * never processed twice.
 *
 * ingest_message() returns 0 when the message was dealt with (whatever the
 * outcome: bad input is an outcome, not an error), <0 when it was not:
 * nothing was recorded and the caller retries.  FAULT_ENVIRONMENT
 * (fault.h) when the environment failed (a disk full, read-only or closed
 * to subgate, the database busy or full): the message is not to blame;
 * -1 for anything else, which the caller counts against the message.
 */
#ifndef SUBGATE_INGEST_H
#define SUBGATE_INGEST_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "judge.h"

struct campaign;
struct config;
struct mail_limits;
struct grammar_result;
struct db;
struct store;
struct ingest;

struct ingest_source {
	const char *folder;		/* IMAP folder; NULL for offline */
	uint32_t uidvalidity;
	uint32_t uid;
	time_t arrival;			/* server arrival; 0: from headers */
	uint64_t size;			/* the whole message's size; 0: the file's */
	bool headers_only;		/* the file holds only the header (a
					   message too large to fetch) */
	bool spool;			/* the file is subgate's spool, unlinked
					   once processed: kept by a link */
	/* Re-judging a recorded message that made no case (after a campaign
	 * file was fixed): its row is updated instead of added, it is not a
	 * duplicate of itself, and only a message now accepted is answered
	 * (the submitter already had the first refusal). */
	int64_t reprocess_row;
	/* With reprocess_row: the case of that message, filed alone before
	 * works were recorded, to be split into its works (ingest_split.c).
	 * The file is the case's original.eml. */
	const char *split_receipt;
};

struct ingest_result {
	enum outcome outcome;		/* outcome_name(): judge.h */
	char *receipt;	/* when a case was made */
	char *reason;	/* why, as the submitter is told */
	char *case_dir;	/* relative to the store */
};

int ingest_new(const struct config *config, struct store *store,
    struct db *db, struct ingest **ingest_r, char **error_r);
void ingest_free(struct ingest **ingest);

int ingest_message(struct ingest *ingest, const struct campaign *campaign,
    const char *path, const struct ingest_source *source,
    struct ingest_result *result, char **error_r);
void ingest_result_clear(struct ingest_result *result);

/* Gives up on a message that failed LIMIT_MESSAGE_ATTEMPTS times: keeps it
 * under _unaccepted, records it as failed and moves the folder on, so one
 * bad message never blocks the ones after it.  The mail stays in the
 * mailbox; staff see it in stats and can reprocess it.  look_inside: parse
 * it for its sender and subject (not for one whose processing ended the
 * process: parsing it may do so again). */
int ingest_quarantine(struct ingest *ingest, const struct campaign *campaign,
    const char *path, const struct ingest_source *source, const char *reason,
    bool look_inside, struct ingest_result *result, char **error_r);

/* The name under which a message that made no case is kept in the
 * store's _unaccepted folder (see store_unaccepted_path), without .eml:
 * UIDVALIDITY-UID-查询码 for mail from a folder, offline-查询码-… for
 * mail ingested from files (reply_query_code()).  g_free. */
char *ingest_unaccepted_name(const char *folder, uint32_t uidvalidity,
    uint32_t uid, const char *sha256);
/* The name a store kept it under before names carried the 查询码
 * (UIDVALIDITY-UID, offline-SHA256[16]).  g_free. */
char *ingest_unaccepted_name_before(const char *folder, uint32_t uidvalidity,
    uint32_t uid, const char *sha256);
/* The path of the kept copy (g_free) by either name, or NULL when the
 * store keeps none (an automatic mail, a repeated delivery, one filed
 * since by reprocess, one quarantined). */
char *ingest_unaccepted_find(const char *store_dir, const char *campaign,
    const char *folder, uint32_t uidvalidity, uint32_t uid,
    const char *sha256);

/* The naming convention alone, judged again on a stored message (a case's
 * original.eml) under the campaign as it is now: 1 and the fields
 * (grammar_result_free) when it is met, 0 and the diagnostics (g_free)
 * when not, <0 when the file cannot be read.  A mail of several works
 * gives the fields of the one the case was filed for, told by its title
 * and category as recorded (either may be NULL).  The message is parsed
 * under limits (the configuration's; NULL: the defaults). */
int ingest_rematch(const struct campaign *campaign,
    const struct mail_limits *limits, const char *path, const char *title,
    const char *category, struct grammar_result **fields_r,
    char **diagnostics_r, char **error_r);

/* The largest message a campaign takes, in bytes: its own maximum, else
 * the limits' message_bytes (limits NULL: the default). */
uint64_t ingest_max_size(const struct campaign *campaign,
    const struct mail_limits *limits);

#endif
