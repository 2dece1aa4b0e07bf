/*
 * db: subgate's SQLite database: every processed message, every case, the
 * reply outbox, the IMAP position per folder and the circuit breaker per
 * SMTP server.
 *
 * The database is the commit point.  A case folder becomes real, a reply
 * becomes due and a UID counts as done only in the same transaction
 * (db_begin .. db_commit); anything before that commit is redone after a
 * crash, anything after it is never done twice.
 *
 * WAL mode, a busy timeout, a versioned schema with migrations, prepared
 * statements only.  Functions return 0 on success, <0 on error with the
 * reason in *error_r (g_free).
 */
#ifndef SUBGATE_DB_H
#define SUBGATE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct breaker;
struct db;

struct db_message {
	const char *campaign;
	const char *folder;		/* NULL for offline ingest */
	uint32_t uidvalidity;
	uint32_t uid;
	const char *message_id;
	const char *sha256;		/* of the raw message */
	const char *sender;
	const char *subject;
	const char *received_at;	/* ISO 8601 with offset */
	const char *outcome;		/* accepted, rejected, ignored, ... */
	const char *reason;
	const char *reason_code;	/* reasoncode.h; NULL: filed */
	const char *receipt;		/* NULL unless a case was made; of
					   several, the first */
	unsigned work_count;		/* works it carried; 0: not
					   recorded (NULL) */
};

/*
 * One work of a recorded message (message_works), filed or not, written
 * in the transaction that records the message and its cases.  A mail
 * judged before works were recorded has none: every reader then goes by
 * its messages row, as it did.
 */
struct db_message_work {
	unsigned pos;			/* 1..N in the mail's order */
	const char *title;
	const char *category;
	const char *unit;
	const char *work_key;		/* the mail plan's comparison key */
	const char *outcome;		/* outcome_name() */
	const char *policy;		/* the policy that decided */
	const char *reason;		/* why refused, or why filed pending;
					   NULL for a work filed accepted */
	const char *reason_code;	/* reasoncode.h; NULL: filed */
	const char *receipt;		/* its case; NULL: refused */
};

struct db_case {
	const char *receipt;
	const char *campaign;
	const char *category;
	const char *title;
	const char *unit;
	const char *sender;
	const char *status;
	const char *dir;		/* relative to the store */
	const char *fields_json;
	const char *received_at;
	/* The registration form's fields object ({"制作单位": "..."}),
	 * NULL: none was read. */
	const char *form_json;
	int64_t seq;			/* the receipt's number */
	const char *batch;		/* campaign_batch_for(), or NULL */
	unsigned group_pos;		/* 1..N among the cases of one
					   message; 0: the only one (NULL) */
};

struct db_outbox_entry {
	int64_t id;
	char *kind;
	char *recipient;
	char *in_reply_to;
	char *reply_message_id;
	char *state;
	int attempts;
	char *last_error;
	char *data;			/* the RFC 5322 message as sent */
	size_t data_len;
};

int db_open(const char *path, struct db **db_r, char **error_r);
/* The mailbox an address names, for counting replies to it: lower case,
 * and without a +tag in the local part (victim+1@ and Victim+2@ are one
 * mailbox).  g_free. */
char *db_address_key(const char *address);
void db_close(struct db **db);

/*
 * The right to hand replies to SMTP: one process at a time (the daemon, or
 * `subgate outbox send` beside it), or each would send every due reply.
 * A lock file beside the database (<database>.sending), held from
 * db_sender_claim() until db_sender_release() or db_close().  1 when this
 * process holds it, 0 when another does, <0 on error.
 */
int db_sender_claim(struct db *db, char **error_r);
void db_sender_release(struct db *db);

int db_begin(struct db *db, char **error_r);
int db_commit(struct db *db, char **error_r);
void db_rollback(struct db *db);

/* 1 and the recorded state when the folder is known, 0 when new. */
int db_folder_get(struct db *db, const char *campaign, const char *folder,
    uint32_t *uidvalidity_r, uint32_t *last_uid_r, char **error_r);
int db_folder_set(struct db *db, const char *campaign, const char *folder,
    uint32_t uidvalidity, uint32_t last_uid, char **error_r);

/* 1 when this campaign already processed a message with these raw bytes
 * (SHA-256), or with this Message-ID from this sender (compared without
 * regard to case): a duplicate delivery.  0 when not. */
int db_message_known(struct db *db, const char *campaign,
    const char *message_id, const char *sender, const char *sha256,
    char **error_r);
int db_message_add(struct db *db, const struct db_message *m,
    int64_t *row_r, char **error_r);
/* A new outcome, reason and receipt for a recorded message. */
int db_message_update(struct db *db, int64_t row, const struct db_message *m,
    char **error_r);
/* Recorded messages of a campaign (NULL: all) that made no case, have
 * this outcome and were not quarantined as infected, oldest first: fn gets the row id and the message with
 * campaign, folder, uidvalidity, uid, sha256, sender and subject set. */
int db_message_list_uncased(struct db *db, const char *campaign,
    const char *outcome, int (*fn)(int64_t row, const struct db_message *m,
    void *ctx), void *ctx, char **error_r);

/* The next receipt sequence number of a campaign (1, 2, ...).  Only
 * meaningful inside the transaction that then records the case. */
int db_case_next_seq(struct db *db, const char *campaign, unsigned *seq_r,
    char **error_r);
int db_case_add(struct db *db, const struct db_case *c, int64_t message_row,
    char **error_r);
/* A cloud attachment link filed with a case (case_links), state
 * pending; inside the transaction that records the case. */
struct db_case_link {
	const char *receipt;
	unsigned pos;			/* 1.. within the case */
	const char *provider;		/* cloudlink_provider_name() */
	const char *url;
	const char *name;		/* may be NULL */
	uint64_t size;			/* 0: unknown (NULL) */
	const char *expires_at;		/* UTC, 2024-09-12T02:30:00Z; NULL */
	const char *pass_code;
	const char *role, *kind;
};
int db_case_link_add(struct db *db, const struct db_case_link *l,
    char **error_r);
/* A link as the fetcher and staff see it: its case_links row, and
 * what its case says (campaign, folder, category, title, status; the
 * Message-ID and sender of the mail that made it).  db_link_clear. */
struct db_link {
	char *receipt;
	unsigned pos;
	char *provider, *url, *name;
	uint64_t size;			/* 0: unknown */
	char *expires_at;		/* UTC ISO 8601, or NULL */
	char *pass_code, *role, *kind;
	char *state;	/* pending|fetching|fetched|failed|expired|infected|
			   manual|not-fetched */
	uint64_t fetched_bytes;
	char *sha256, *saved_as;	/* saved_as: in the case folder */
	unsigned attempts;
	int64_t next_attempt_at;	/* unix time */
	char *last_error, *warned_at;
	char *campaign, *dir, *category, *title, *case_status;
	char *message_id, *sender;
};
void db_link_clear(struct db_link *l);
void db_links_free(struct db_link *links, size_t n);
/* Links to try now: pending, failed and due, or left fetching by a
 * process that stopped, of cases not superseded or rejected; oldest
 * due first. */
int db_links_due(struct db *db, int64_t now, struct db_link **links_r,
    size_t *n_r, char **error_r);
/* Links of a campaign and/or a receipt (NULL: any), or (expiring_before
 * an ISO 8601 UTC time) those not yet downloaded that expire before it. */
int db_links_list(struct db *db, const char *campaign, const char *receipt,
    const char *expiring_before, struct db_link **links_r, size_t *n_r,
    char **error_r);
/* The fetcher took the link (state fetching). */
int db_link_claim(struct db *db, const char *receipt, unsigned pos,
    char **error_r);
/* What an attempt made of the link; sha256 and saved_as NULL: kept. */
struct db_link_update {
	const char *receipt;
	unsigned pos;
	const char *state;
	uint64_t fetched_bytes;
	unsigned attempts;
	int64_t next_attempt_at;
	const char *last_error;
	const char *sha256, *saved_as;
};
int db_link_settle(struct db *db, const struct db_link_update *u,
    char **error_r);
/* Staff asked for it (pos 0: every link of the receipt): due at once,
 * attempts forgotten; a link already downloaded is left alone. */
int db_link_due_now(struct db *db, const char *receipt, unsigned pos,
    char **error_r);
/* The state of the link whose file is name in receipt's folder: 1 and
 * *state_r (g_free), or 0 when no link saved it there. */
int db_link_saved_state(struct db *db, const char *receipt, const char *name,
    char **state_r, char **error_r);
/* Its expiry was logged (once). */
int db_link_set_warned(struct db *db, const char *receipt, unsigned pos,
    char **error_r);
/* 1 when a case lives in this folder (relative to the store), 0 when not. */
int db_case_dir_exists(struct db *db, const char *dir, char **error_r);
/* A short text (g_free) that changes when a message or a case is added,
 * or the database is replaced by an older copy (the last rows): the
 * store's clean-stop mark carries it (store.h). */
int db_case_stamp(struct db *db, char **stamp_r, char **error_r);
/* 1 when a case with this receipt is recorded, 0 when not. */
int db_case_exists(struct db *db, const char *receipt, char **error_r);

/* Accepted cases of a campaign matching every non-NULL filter. */
int db_case_count(struct db *db, const char *campaign, const char *unit,
    const char *sender, const char *category, unsigned *count_r,
    char **error_r);
/* The accepted case that a new submission would resubmit: same unit (or,
 * when unit is NULL, same sender) and, when title and category are not
 * NULL, same title and category (the work as the mail plan tells works
 * apart).  1 with *receipt_r and *dir_r (g_free) when there is one. */
int db_case_find_same(struct db *db, const char *campaign, const char *unit,
    const char *sender, const char *title, const char *category,
    char **receipt_r, char **dir_r, char **error_r);
int db_case_set_status(struct db *db, const char *receipt,
    const char *status, char **error_r);
/* The case's place among the cases of its message (a case filed alone
 * before works were recorded, now the first of several); inside the
 * transaction that records the others. */
int db_case_set_group_pos(struct db *db, const char *receipt,
    unsigned group_pos, char **error_r);
/* The message that made the case: 1 with its row id and how many works
 * it carried (*work_count_r 0: not recorded, a mail judged before works
 * were), 0 when no case has that receipt. */
int db_case_message(struct db *db, const char *receipt, int64_t *row_r,
    unsigned *work_count_r, char **error_r);

/* A work of message_row; inside the transaction that records the message
 * (db_message_works_clear() first when the message is judged again). */
int db_message_work_add(struct db *db, int64_t message_row,
    const struct db_message_work *w, char **error_r);
int db_message_works_clear(struct db *db, int64_t message_row,
    char **error_r);
/* The works of a message in their order, or (receipt set, row 0) of the
 * message that made that case; none for a mail judged before works. */
int db_message_works(struct db *db, int64_t message_row, const char *receipt,
    int (*fn)(const struct db_message_work *w, void *ctx), void *ctx,
    char **error_r);
/* Recorded messages of a campaign (NULL: all) that made a case and have a
 * refused work of this outcome ("rejected": of any), oldest first: fn
 * gets the row id and the message with campaign, sha256, sender, subject
 * and receipt (its first case) set. */
int db_message_list_refused_works(struct db *db, const char *campaign,
    const char *outcome, int (*fn)(int64_t row, const struct db_message *m,
    void *ctx), void *ctx, char **error_r);

/* Counts one more failed attempt at a UID; *count_r is the new total. */
int db_attempt_fail(struct db *db, const char *campaign, const char *folder,
    uint32_t uidvalidity, uint32_t uid, const char *error,
    unsigned *count_r, char **error_r);
/* The attempt under way (counted when it began) failed with error: the
 * count as it stands.  Forgive: the failure was the environment's, the
 * attempt does not count. */
int db_attempt_note(struct db *db, const char *campaign, const char *folder,
    uint32_t uidvalidity, uint32_t uid, const char *error,
    unsigned *count_r, char **error_r);
int db_attempt_forgive(struct db *db, const char *campaign,
    const char *folder, uint32_t uidvalidity, uint32_t uid, char **error_r);
/* The message was recorded: its attempts are settled. */
int db_attempt_clear(struct db *db, const char *campaign, const char *folder,
    uint32_t uidvalidity, uint32_t uid, char **error_r);

int db_outbox_add(struct db *db, int64_t message_row, const char *kind,
    const char *recipient, const char *in_reply_to,
    const char *reply_message_id, const char *data, size_t len,
    char **error_r);
/* db_outbox_add() for a mail about a case (a staff decision), queued
 * under the message that made the case so it shows with its replies.
 * Fails when no case has that receipt. */
int db_case_outbox_add(struct db *db, const char *receipt, const char *kind,
    const char *recipient, const char *in_reply_to,
    const char *reply_message_id, const char *data, size_t len,
    char **error_r);
int db_outbox_mark(struct db *db, int64_t id, const char *state,
    const char *last_error, char **error_r);
/* A queued reply is about to be handed to SMTP: 1 when it was queued and
 * is now sending (committed), 0 when it was not queued. */
int db_outbox_set_sending(struct db *db, int64_t id, char **error_r);
/* Every reply left sending goes back to the queue, due now, its attempt
 * counted and why as its last error; *count_r says how many.  Only for
 * the holder of db_sender_claim(): then no live process is sending. */
int db_outbox_resume_sending(struct db *db, const char *why,
    unsigned *count_r, char **error_r);

/* The circuit breaker kept for an SMTP server (its URL); a zeroed one
 * (closed, no failures) when none is kept. */
int db_breaker_get(struct db *db, const char *server, struct breaker *b_r,
    char **error_r);
int db_breaker_put(struct db *db, const char *server,
    const struct breaker *b, char **error_r);

/*
 * Staff queries.  Callbacks get rows whose strings live only during the
 * call; a callback returning <0 stops the walk (the function then returns
 * -1, with *error_r set by the callback or a generic reason).  Callbacks
 * must not write to the database.
 */

/* NULL members do not filter; since compares received_at as text (ISO
 * 8601 in the campaign's zone, so "2024-06-01" means that local day). */
struct db_case_query {
	const char *campaign;
	const char *category;
	const char *unit;		/* unit, or sender when no unit */
	const char *status;
	const char *since;
	const char *receipt;
	int64_t seq_from, seq_to;	/* receipt numbers, 0: no bound */
	const char *batch;		/* a batch label ("2020-08-28") */
};
/* Cases in campaign and receipt order. */
int db_case_list(struct db *db, const struct db_case_query *q,
    int (*fn)(const struct db_case *c, void *ctx), void *ctx,
    char **error_r);

/* A work refused in a mail, for the views that show it beside the mail's
 * cases: the query's campaign, category, unit (or sender), status (the
 * work's outcome) and since filter; a batch filters every one out (a
 * refused work has none); seq_from/seq_to bound last_seq. */
struct db_refused_work {
	int64_t message_row;
	const char *campaign;
	const struct db_message_work *work;
	const char *first_receipt;	/* the mail's first case (同一邮件),
					   NULL when it made none */
	int64_t last_seq;		/* the mail's last case's number, 0:
					   none */
	const char *sender;
	const char *subject;
	const char *received_at;
};
/* In campaign order, then by last_seq (the mails that made no case
 * last, with_cases_only leaving them out), then the mail and the work. */
int db_refused_works(struct db *db, const struct db_case_query *q,
    bool with_cases_only,
    int (*fn)(const struct db_refused_work *r, void *ctx), void *ctx,
    char **error_r);

/* A campaign's cases counted by who, category and status: the index's
 * summary without reading every row.  unit is NULL when empty; receipt
 * is set only for a case without a unit in a campaign that has the
 * field (whose submitter is named in its case.json), one row each. */
struct db_case_group {
	const char *unit;
	const char *sender;
	const char *category;
	const char *status;
	const char *receipt;
	unsigned count;
};
int db_case_groups(struct db *db, const char *campaign, bool unit_field,
    int (*fn)(const struct db_case_group *g, void *ctx), void *ctx,
    char **error_r);

/* A campaign's cases in pages of receipt numbers [(number - 1) *
 * per_page + 1, number * per_page]: how many, the first and last receipt,
 * and a hash of what their rows hold, and of the refused works shown
 * beside them (db_refused_works(): on the page of the mail's last case). */
struct db_case_page {
	unsigned number;
	unsigned count;
	const char *first_receipt;
	const char *last_receipt;
	uint64_t hash;
};
int db_case_pages(struct db *db, const char *campaign, unsigned per_page,
    int (*fn)(const struct db_case_page *p, void *ctx), void *ctx,
    char **error_r);

struct db_reply {
	const char *kind;
	const char *recipient;
	const char *state;		/* queued sent failed ... */
	int attempts;
	const char *last_error;
	const char *created_at;
	const char *sent_at;
	const char *reply_message_id;
	const char *data;		/* the message as sent, for
					   db_message_replies() only */
	size_t data_len;
};
/* The replies queued for the message that made this case. */
int db_case_replies(struct db *db, const char *receipt,
    int (*fn)(const struct db_reply *r, void *ctx), void *ctx,
    char **error_r);
/* The replies queued for a message, oldest first, each with its data. */
int db_message_replies(struct db *db, int64_t message_row,
    int (*fn)(const struct db_reply *r, void *ctx), void *ctx,
    char **error_r);

/* Recorded messages for the staff views of mail (mail_record.h); NULL
 * members do not filter. */
struct db_mail_query {
	const char *campaign;
	const char *query_code;		/* 查询码 (reply_query_code()), in
					   either case */
	bool uncased_only;		/* only mail that made no case */
	const char *unit;		/* the sender, or the unit of one
					   of its works */
	const char *category;		/* of one of its works */
	const char *outcome;
	const char *since;		/* received_at, as db_case_query */
};
struct db_mail {
	int64_t row;
	const struct db_message *m;	/* reason_code as recorded (NULL:
					   none, or before codes) */
	bool quarantined;		/* its files are in the quarantine */
};
/* In campaign order, then as they arrived. */
int db_mail_list(struct db *db, const struct db_mail_query *q,
    int (*fn)(const struct db_mail *m, void *ctx), void *ctx,
    char **error_r);

enum db_count {
	DB_COUNT_CATEGORY,	/* cases by category */
	/* These two count only cases that count against quotas (not
	 * rejected, superseded, missing or pending). */
	DB_COUNT_UNIT,		/* cases by unit (or sender) */
	DB_COUNT_UNIT_CATEGORY,	/* cases by unit and category (key2) */
	DB_COUNT_STATUS,	/* cases by status */
	DB_COUNT_OUTCOME,	/* messages by outcome */
	/* Why not accepted: each refused work (message_works), and each
	 * message without works recorded that made no case, by reason code
	 * (reasoncode.h; guessed for rows recorded before codes). */
	DB_COUNT_REJECTION,
	/* Works: "filed" (the cases made) and "refused" (as
	 * DB_COUNT_REJECTION counts them). */
	DB_COUNT_WORKS,
	DB_COUNT_REPLY_STATE,	/* replies: kind, state */
	DB_COUNT_UNIT_PENDING,	/* pending cases by unit (or sender) */
	/* Cloud attachment links not yet downloaded, of cases that count
	 * or wait (not rejected or superseded): "pending", "expiring"
	 * (within 72 hours), "expired". */
	DB_COUNT_LINKS,
	DB_COUNT_QUESTIONS,	/* people's questions: "open", "done" */
};
/* Grouped counts, one callback per group; campaign NULL: all. */
int db_count(struct db *db, enum db_count what, const char *campaign,
    int (*fn)(const char *key, const char *key2, int64_t n, void *ctx),
    void *ctx, char **error_r);

/* A staff decision.  NULL category/title/unit/fields_json keep the
 * recorded value. */
struct db_case_review {
	const char *receipt;
	const char *action;		/* accept, reject */
	const char *status;		/* the case's new status */
	const char *reason;
	const char *changes_json;	/* {"field": "new value", ...} or NULL */
	const char *reviewer;
	const char *category;
	const char *title;
	const char *unit;
	const char *fields_json;
};
/* Updates the case row and records the review; call inside
 * db_begin/db_commit.  Fails when no case has that receipt. */
int db_case_review(struct db *db, const struct db_case_review *r,
    char **error_r);
/* The reviews of a case, oldest first. */
int db_case_reviews(struct db *db, const char *receipt,
    int (*fn)(const struct db_case_review *r, const char *reviewed_at,
    void *ctx), void *ctx, char **error_r);

/*
 * Who speaks for a unit ([policy] sender_check = confirm): staff confirm
 * or refuse a sender's mailbox for one unit of one campaign.  Addresses
 * are compared as db_address_key() writes them.
 */
#define DB_UNIT_SENDER_CONFIRMED	"confirmed"
#define DB_UNIT_SENDER_REFUSED		"refused"
struct db_unit_sender {
	const char *campaign;
	const char *unit;
	const char *address;		/* db_address_key() */
	const char *state;		/* DB_UNIT_SENDER_* */
	const char *decided_by;
	const char *decided_at;		/* ISO 8601, UTC */
};
/* 1 and the state staff gave address for unit (*state_r, g_free), 0
 * when they gave none. */
int db_unit_sender_get(struct db *db, const char *campaign, const char *unit,
    const char *address, char **state_r, char **error_r);
/* Records (or changes) the state of address for unit; call inside the
 * decision's transaction. */
int db_unit_sender_set(struct db *db, const struct db_unit_sender *s,
    char **error_r);
/* A campaign's decisions (NULL: every campaign's), by campaign, unit and
 * address. */
int db_unit_sender_list(struct db *db, const char *campaign,
    int (*fn)(const struct db_unit_sender *s, void *ctx), void *ctx,
    char **error_r);

/*
 * The responder's view of the outbox.
 */

/* The hourly limits on replies; 0 is no limit.  Replies of the capped
 * kinds (capped_kinds: a JSON array of outbox kinds, e.g. the refusals)
 * are also limited per recipient domain and all together; the others
 * per mailbox only. */
struct db_outbox_limits {
	unsigned per_mailbox_hour;	/* per db_address_key() */
	unsigned per_domain_hour;	/* capped kinds, per domain */
	unsigned capped_hour;		/* capped kinds, all together */
	const char *capped_kinds;
};
/* Due replies the limits hold back now, by the first limit that holds
 * each. */
struct db_outbox_held {
	unsigned mailbox;
	unsigned domain;
	unsigned all;
};

/* Calls fn for each queued entry whose next attempt is due, oldest first,
 * up to limit entries; ignore_backoff also takes those still waiting out a
 * backoff (`outbox send --now`).  Entries the limits hold back (counting
 * what was sent in the last hour) are left out, so they take no place in
 * the batch. */
int db_outbox_due(struct db *db, unsigned limit, bool ignore_backoff,
    const struct db_outbox_limits *limits,
    int (*fn)(struct db_outbox_entry *e, void *ctx), void *ctx,
    char **error_r);
/* How many due replies db_outbox_due() leaves out, and for which limit. */
int db_outbox_held(struct db *db, bool ignore_backoff,
    const struct db_outbox_limits *limits, struct db_outbox_held *held_r,
    char **error_r);
/* 1 when a drain has something to look at: a queued reply due now, or
 * one left sending; 0 when not, <0 on error. */
int db_outbox_any_due(struct db *db, char **error_r);
/* Replies sent in the last `seconds`, to recipient (case-insensitive), or
 * to anyone when recipient is NULL; of the kinds named in kinds (a JSON
 * array of outbox kinds), or of any kind when kinds is NULL. */
int db_outbox_sent_since(struct db *db, const char *recipient,
    const char *kinds, unsigned seconds, unsigned *count_r, char **error_r);
/* 1 with the newest entry whose reply has this Message-ID (without <>):
 * *id_r, *state_r and *recipient_r (g_free; any may be NULL), 0 when
 * none. */
int db_outbox_find(struct db *db, const char *reply_message_id,
    int64_t *id_r, char **state_r, char **recipient_r, char **error_r);
/* 1 when a mail of ours has this Message-ID: its outbox kind and what
 * it answered (the message's receipt, else its 查询码: the first 8 of its
 * SHA-256 in capitals), g_free; 0 when none. */
int db_outbox_answered(struct db *db, const char *reply_message_id,
    char **kind_r, char **ref_r, char **error_r);

/* A person's question (question.h), as recorded and listed. */
struct db_question {
	int64_t id;			/* listing only */
	const char *campaign;
	int64_t message_row;		/* set by the caller of _add */
	const char *sender;
	const char *subject;
	const char *body;
	const char *answers;		/* receipt or 查询码; NULL */
	const char *received_at;
	const char *forwarded_to;	/* NULL: kept for staff only */
	bool acknowledged;
	const char *state;		/* listing only: open, done */
	const char *done_by, *done_at;	/* listing only */
	const char *created_at;		/* listing only */
};
int db_question_add(struct db *db, const struct db_question *q,
    char **error_r);
/* What limits a sender's next question: whether it was acknowledged
 * within the last ack_seconds, and how many of its questions went to
 * staff within the last day. */
int db_question_recent(struct db *db, const char *sender,
    unsigned ack_seconds, bool *acknowledged_r, unsigned *forwarded_r,
    char **error_r);
/* Questions in id order; campaign NULL: all; open_only: not done. */
int db_question_list(struct db *db, const char *campaign, bool open_only,
    int (*fn)(const struct db_question *q, void *ctx), void *ctx,
    char **error_r);
/* Marks question id answered by who: 1, or 0 when there is none. */
int db_question_done(struct db *db, int64_t id, const char *who,
    char **error_r);
/* A delivery status notification came back for this reply. */
int db_outbox_set_bounced(struct db *db, int64_t id, const char *why,
    char **error_r);

struct db_outbox_row {
	int64_t id;
	const char *campaign;		/* NULL when unknown */
	const char *kind;
	const char *recipient;
	const char *in_reply_to;	/* the submission's Message-ID */
	const char *reply_message_id;
	const char *state;		/* queued sending sent failed bounced */
	int attempts;
	const char *last_error;
	const char *created_at;
	const char *sent_at;
	int64_t next_attempt_at;	/* Unix time; 0: at once */
};
/* Outbox entries in id order; NULL filters do not filter. */
int db_outbox_list(struct db *db, const char *state, const char *campaign,
    int (*fn)(const struct db_outbox_row *r, void *ctx), void *ctx,
    char **error_r);
/* 1 and the entry (with its data) in *e_r, 0 when there is no such id. */
int db_outbox_get(struct db *db, int64_t id, struct db_outbox_entry **e_r,
    char **error_r);
void db_outbox_entry_free_ptr(struct db_outbox_entry **e);

/* Puts failed or bounced replies back in the queue, due now: one (id > 0)
 * or all in state; *count_r says how many. */
int db_outbox_requeue(struct db *db, int64_t id, const char *state,
    unsigned *count_r, char **error_r);

/*
 * fsck: the database's own checks, and what it says about the store.
 * Walks as for the staff queries: strings live during the call, a
 * callback returning <0 stops the walk, callbacks must not write.
 */

/* PRAGMA integrity_check: fn once per problem SQLite reports (none when
 * it says "ok"). */
int db_check_integrity(struct db *db,
    int (*fn)(const char *problem, void *ctx), void *ctx, char **error_r);
/* PRAGMA foreign_key_check: fn once per row whose reference names no row
 * of parent. */
int db_check_foreign_keys(struct db *db,
    int (*fn)(const char *table, int64_t rowid, const char *parent,
    void *ctx), void *ctx, char **error_r);
/* Receipts recorded for more than one case, read past the primary key's
 * index (which may be what is damaged). */
int db_case_duplicate_receipts(struct db *db,
    int (*fn)(const char *receipt, int64_t count, void *ctx), void *ctx,
    char **error_r);
/* The groups of cases one mail made: fn once per work whose receipt no
 * case records (receipt set, count 0), and once per position that more
 * than one case of a message holds (receipt NULL, group_pos, count). */
int db_check_groups(struct db *db,
    int (*fn)(int64_t message_row, unsigned pos, const char *receipt,
    int64_t count, void *ctx), void *ctx, char **error_r);

struct db_outbox_problem {
	int64_t id;
	const char *state;
	const char *recipient;
	int64_t message_row;		/* 0: none recorded */
	bool message_gone;		/* message_row names no message */
	const char *receipt;		/* the case of its message, or NULL */
};
/* Replies in state "sending" (a sender that stopped between handing a
 * reply to SMTP and noting the answer), and replies whose message row is
 * gone, in id order.  The state is compared as text. */
int db_outbox_check(struct db *db,
    int (*fn)(const struct db_outbox_problem *p, void *ctx), void *ctx,
    char **error_r);
/* A reply in state "sending" back to "queued", its stored message (and so
 * its Message-ID) unchanged: 1 when it was put back, 0 when it was no
 * longer sending. */
int db_outbox_unstick(struct db *db, int64_t id, char **error_r);

/* ---- reminders and summaries (gateway/db_notify.c) ---- */

/*
 * Mail of ours that answers no message (notice.h): a reminder to a unit,
 * the staff's summary of a day, or a point of [remind] at that a
 * scheduled run acted on (kind "remind-point", no mail).  Queued with
 * its record in the caller's transaction; its outbox row has no
 * message_row.  A second summary of one campaign's day, or a second run
 * of one point, fails (a unique index).
 */
#define DB_NOTICE_REMINDER	"reminder"
#define DB_NOTICE_SUMMARY	"summary"
#define DB_NOTICE_POINT		"remind-point"
struct db_notice {
	const char *kind;		/* DB_NOTICE_* */
	const char *campaign;
	const char *unit;		/* reminders */
	const char *day;		/* summaries: YYYY-MM-DD, local */
	const char *point;		/* the [remind] at point, or NULL */
	const char *since, *until;	/* summaries: UTC ISO 8601 */
	/* The mail; data NULL: a record without one. */
	const char *recipient;
	const char *reply_message_id;
	const char *data;
	size_t len;
};
int db_notice_add(struct db *db, const struct db_notice *n, char **error_r);
/* When each unit of campaign was last reminded (Unix time). */
int db_notice_reminded(struct db *db, const char *campaign,
    int (*fn)(const char *unit, int64_t at, void *ctx), void *ctx,
    char **error_r);
/* 1 when a notice of this kind is recorded for campaign and key (a
 * summary's day, a point), 0 when not. */
int db_notice_exists(struct db *db, const char *kind, const char *campaign,
    const char *key, char **error_r);
/* 1 with the newest summary's period end (UTC ISO 8601, g_free), 0 when
 * the campaign has had none. */
int db_notice_last_summary(struct db *db, const char *campaign,
    char **until_r, char **error_r);

/* What a summary counts in [since, until) (UTC ISO 8601): messages by
 * outcome, cases made by category, and by unit (or sender). */
enum db_period_count {
	DB_PERIOD_OUTCOME,
	DB_PERIOD_CATEGORY,
	DB_PERIOD_UNIT,
};
int db_count_period(struct db *db, enum db_period_count what,
    const char *campaign, const char *since, const char *until,
    int (*fn)(const char *key, int64_t n, void *ctx), void *ctx,
    char **error_r);
/* Cloud attachment links not downloaded (cases not rejected or
 * superseded) that expire before `hours` from now, expired ones
 * included, soonest first. */
struct db_link_due {
	const char *receipt;
	const char *name;		/* may be NULL */
	const char *provider;
	const char *expires_at;		/* UTC ISO 8601 */
	bool expired;
};
int db_links_expiring(struct db *db, const char *campaign, unsigned hours,
    int (*fn)(const struct db_link_due *l, void *ctx), void *ctx,
    char **error_r);

/* ---- quarantine (gateway/db_quarantine.c) ---- */

/* A file the scanner found infected, as recorded with its mail. */
struct db_quarantine {
	int64_t id;			/* listing only */
	const char *campaign;
	int64_t message_row;
	const char *sha256;		/* of the file */
	const char *original_name;	/* as the submitter named it */
	const char *signature;
	const char *path;		/* the file, in the quarantine dir */
	const char *message_path;	/* the whole mail, likewise */
	const char *created_at;		/* listing only */
	/* Listing only: the mail's. */
	const char *sender;
	const char *subject;
	const char *message_id;
};

/* Inside the transaction that records the mail (message_row). */
int db_quarantine_add(struct db *db, const struct db_quarantine *q,
    char **error_r);
/* The rows of a campaign (NULL: all), oldest first. */
int db_quarantine_list(struct db *db, const char *campaign,
    int (*fn)(const struct db_quarantine *q, void *ctx), void *ctx,
    char **error_r);

#endif
