/* db: the quarantine table (see include/db.h). */
#include <glib.h>

#include "db.h"
#include "db-private.h"

int
db_quarantine_add(struct db *db, const struct db_quarantine *q,
    char **error_r)
{
	return db_run(db, "record a quarantined file", error_r,
	    "INSERT INTO quarantine (campaign, message_row, sha256,"
	    " original_name, signature, path, message_path)"
	    " VALUES (?,?,?,?,?,?,?)", "sisssss", q->campaign, q->message_row,
	    q->sha256, q->original_name, q->signature, q->path,
	    q->message_path);
}

int
db_quarantine_list(struct db *db, const char *campaign,
    int (*fn)(const struct db_quarantine *q, void *ctx), void *ctx,
    char **error_r)
{
	sqlite3_stmt *st;
	int rc;

	*error_r = NULL;
	if (db_prepare_bind(db, &st, error_r, "SELECT q.id, q.campaign,"
	    " q.message_row, q.sha256, q.original_name, q.signature, q.path,"
	    " q.message_path, q.created_at, m.sender, m.subject, m.message_id"
	    " FROM quarantine q LEFT JOIN messages m ON m.id = q.message_row"
	    " WHERE ?1 IS NULL OR q.campaign = ?1 ORDER BY q.id", "s",
	    campaign) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_quarantine q = {
			.id = sqlite3_column_int64(st, 0),
			.campaign = (const char *)sqlite3_column_text(st, 1),
			.message_row = sqlite3_column_int64(st, 2),
			.sha256 = (const char *)sqlite3_column_text(st, 3),
			.original_name = (const char *)sqlite3_column_text(st,
			    4),
			.signature = (const char *)sqlite3_column_text(st, 5),
			.path = (const char *)sqlite3_column_text(st, 6),
			.message_path = (const char *)sqlite3_column_text(st,
			    7),
			.created_at = (const char *)sqlite3_column_text(st, 8),
			.sender = (const char *)sqlite3_column_text(st, 9),
			.subject = (const char *)sqlite3_column_text(st, 10),
			.message_id = (const char *)sqlite3_column_text(st, 11),
		};

		if (fn(&q, ctx) < 0)
			break;
	}
	return db_walk_end(db, st, rc, "quarantine", "listing the quarantine "
	    "stopped", error_r);
}
