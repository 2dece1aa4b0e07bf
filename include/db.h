/*
 * db: subgate's SQLite database: every processed message, every case, the
 * reply outbox and the IMAP position per folder.
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
	const char *receipt;		/* NULL unless a case was made */
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
void db_close(struct db **db);

int db_begin(struct db *db, char **error_r);
int db_commit(struct db *db, char **error_r);
void db_rollback(struct db *db);

/* 1 and the recorded state when the folder is known, 0 when new. */
int db_folder_get(struct db *db, const char *campaign, const char *folder,
    uint32_t *uidvalidity_r, uint32_t *last_uid_r, char **error_r);
int db_folder_set(struct db *db, const char *campaign, const char *folder,
    uint32_t uidvalidity, uint32_t last_uid, char **error_r);

/* 1 when this campaign already processed a message with this Message-ID
 * or raw SHA-256 (a duplicate delivery), 0 when not. */
int db_message_known(struct db *db, const char *campaign,
    const char *message_id, const char *sha256, char **error_r);
int db_message_add(struct db *db, const struct db_message *m,
    int64_t *row_r, char **error_r);

/* The next receipt sequence number of a campaign (1, 2, ...).  Only
 * meaningful inside the transaction that then records the case. */
int db_case_next_seq(struct db *db, const char *campaign, unsigned *seq_r,
    char **error_r);
int db_case_add(struct db *db, const struct db_case *c, int64_t message_row,
    char **error_r);
/* 1 when a case with this receipt is recorded, 0 when not. */
int db_case_exists(struct db *db, const char *receipt, char **error_r);

int db_outbox_add(struct db *db, int64_t message_row, const char *kind,
    const char *recipient, const char *in_reply_to,
    const char *reply_message_id, const char *data, size_t len,
    char **error_r);
/* Calls fn for each queued entry (oldest first), up to limit entries. */
int db_outbox_pending(struct db *db, unsigned limit,
    int (*fn)(struct db_outbox_entry *e, void *ctx), void *ctx,
    char **error_r);
int db_outbox_mark(struct db *db, int64_t id, const char *state,
    const char *last_error, char **error_r);

#endif
