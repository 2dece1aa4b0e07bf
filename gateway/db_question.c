/* db: people's questions (question.h); see include/db.h. */
#include <glib.h>
#include <sqlite3.h>

#include "db.h"
#include "db-private.h"

int
db_question_add(struct db *db, const struct db_question *q, char **error_r)
{
	return db_run(db, "record question", error_r, "INSERT INTO questions"
	    " (campaign, message_row, sender, subject, body, answers,"
	    " received_at, forwarded_to, acknowledged)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", "sissssssi", q->campaign,
	    q->message_row, q->sender, q->subject, q->body, q->answers,
	    q->received_at, q->forwarded_to, (int64_t)q->acknowledged);
}

int
db_question_recent(struct db *db, const char *sender, unsigned ack_seconds,
    bool *acknowledged_r, unsigned *forwarded_r, char **error_r)
{
	int64_t acked, forwarded;

	/* created_at is UTC text in one fixed format: compared as text. */
	if (db_query_int64(db, "questions", &acked, error_r,
	    "SELECT COUNT(*) FROM questions WHERE acknowledged = 1"
	    " AND addr_key(sender) = addr_key(?1) AND created_at >="
	    " strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-' || ?2 || ' seconds')",
	    "su", sender, ack_seconds) < 0 ||
	    db_query_int64(db, "questions", &forwarded, error_r,
	    "SELECT COUNT(*) FROM questions WHERE forwarded_to IS NOT NULL"
	    " AND addr_key(sender) = addr_key(?1) AND created_at >="
	    " strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 day')", "s",
	    sender) < 0)
		return -1;
	*acknowledged_r = acked > 0;
	*forwarded_r = (unsigned)forwarded;
	return 0;
}

int
db_question_list(struct db *db, const char *campaign, bool open_only,
    int (*fn)(const struct db_question *q, void *ctx), void *ctx,
    char **error_r)
{
	sqlite3_stmt *st;
	int rc;

	*error_r = NULL;
	if (db_prepare_bind(db, &st, error_r, "SELECT id, campaign,"
	    " message_row, sender, subject, body, answers, received_at,"
	    " forwarded_to, acknowledged, state, done_by, done_at, created_at"
	    " FROM questions WHERE (?1 IS NULL OR campaign = ?1)"
	    " AND (?2 = 0 OR state = 'open') ORDER BY id", "si", campaign,
	    (int64_t)open_only) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
#define COL(i) ((const char *)sqlite3_column_text(st, i))
		struct db_question q = {
			.id = sqlite3_column_int64(st, 0),
			.campaign = COL(1),
			.message_row = sqlite3_column_int64(st, 2),
			.sender = COL(3), .subject = COL(4), .body = COL(5),
			.answers = COL(6), .received_at = COL(7),
			.forwarded_to = COL(8),
			.acknowledged = sqlite3_column_int(st, 9) != 0,
			.state = COL(10), .done_by = COL(11),
			.done_at = COL(12), .created_at = COL(13),
		};
#undef COL

		if (fn(&q, ctx) < 0)
			break;
	}
	return db_walk_end(db, st, rc, "questions", "listing questions stopped",
	    error_r);
}

int
db_question_done(struct db *db, int64_t id, const char *who, char **error_r)
{
	if (db_run(db, "question done", error_r, "UPDATE questions SET"
	    " state = 'done', done_by = ?2,"
	    " done_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?1",
	    "is", id, who) < 0)
		return -1;
	return sqlite3_changes(db->sqlite) > 0 ? 1 : 0;
}
