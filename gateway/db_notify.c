/* db_notify: reminders, summaries and what a summary counts; see
 * include/db.h. */
#include <glib.h>
#include <sqlite3.h>

#include "db.h"
#include "db-private.h"

int
db_notice_add(struct db *db, const struct db_notice *n, char **error_r)
{
	int64_t outbox_id = 0;

	/* The caller holds the transaction: the mail is queued and
	 * recorded together, or neither is, so a crash can neither send
	 * a reminder twice nor lose one. */
	if (n->data != NULL) {
		if (db_run(db, "queue notice", error_r, "INSERT INTO outbox"
		    " (message_row, kind, recipient, reply_message_id, data)"
		    " VALUES (NULL, ?, ?, ?, ?)", "sssb", n->kind,
		    n->recipient, n->reply_message_id, n->data, n->len) < 0)
			return -1;
		outbox_id = sqlite3_last_insert_rowid(db->sqlite);
	}
	return db_run(db, "record notice", error_r, "INSERT INTO notices"
	    " (kind, campaign, unit, day, point, since, until, outbox_id)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULLIF(?8, 0))", "sssssssi",
	    n->kind, n->campaign, n->unit, n->day, n->point, n->since,
	    n->until, outbox_id);
}

int
db_notice_reminded(struct db *db, const char *campaign,
    int (*fn)(const char *unit, int64_t at, void *ctx), void *ctx,
    char **error_r)
{
	sqlite3_stmt *st;
	int rc;

	*error_r = NULL;
	if (db_prepare_bind(db, &st, error_r, "SELECT unit,"
	    " MAX(CAST(strftime('%s', created_at) AS INTEGER)) FROM notices"
	    " WHERE kind = 'reminder' AND campaign = ? AND unit IS NOT NULL"
	    " GROUP BY unit", "s", campaign) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (fn((const char *)sqlite3_column_text(st, 0),
		    sqlite3_column_int64(st, 1), ctx) < 0)
			break;
	return db_walk_end(db, st, rc, "reminders", "reading reminders "
	    "stopped", error_r);
}

int
db_notice_exists(struct db *db, const char *kind, const char *campaign,
    const char *key, char **error_r)
{
	return db_query_exists(db, "notices", error_r, "SELECT 1 FROM notices"
	    " WHERE kind = ?1 AND campaign = ?2 AND (CASE ?1 WHEN 'summary'"
	    " THEN day ELSE point END) = ?3", "sss", kind, campaign, key);
}

int
db_notice_last_summary(struct db *db, const char *campaign, char **until_r,
    char **error_r)
{
	sqlite3_stmt *st;
	int rc;

	*until_r = NULL;
	if (db_prepare_bind(db, &st, error_r, "SELECT until FROM notices"
	    " WHERE kind = 'summary' AND campaign = ? ORDER BY id DESC"
	    " LIMIT 1", "s", campaign) < 0)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*until_r = db_column_dup(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(db, "notices", error_r);
	return rc == SQLITE_ROW;
}

int
db_count_period(struct db *db, enum db_period_count what,
    const char *campaign, const char *since, const char *until,
    int (*fn)(const char *key, int64_t n, void *ctx), void *ctx,
    char **error_r)
{
	/* Times are written strftime('%Y-%m-%dT%H:%M:%SZ'): they compare
	 * as text. */
	static const char *const sql[] = {
		[DB_PERIOD_OUTCOME] = "SELECT outcome, COUNT(*) FROM messages"
		    " WHERE campaign = ?1 AND processed_at >= ?2"
		    " AND processed_at < ?3 GROUP BY 1 ORDER BY 2 DESC, 1",
		[DB_PERIOD_CATEGORY] = "SELECT category, COUNT(*) FROM cases"
		    " WHERE campaign = ?1 AND created_at >= ?2"
		    " AND created_at < ?3 GROUP BY 1 ORDER BY 2 DESC, 1",
		[DB_PERIOD_UNIT] = "SELECT COALESCE(unit, sender), COUNT(*)"
		    " FROM cases WHERE campaign = ?1 AND created_at >= ?2"
		    " AND created_at < ?3 GROUP BY 1 ORDER BY 2 DESC, 1",
	};
	sqlite3_stmt *st;
	int rc;

	*error_r = NULL;
	g_assert((size_t)what < G_N_ELEMENTS(sql));
	if (db_prepare_bind(db, &st, error_r, sql[what], "sss", campaign,
	    since, until) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (fn((const char *)sqlite3_column_text(st, 0),
		    sqlite3_column_int64(st, 1), ctx) < 0)
			break;
	return db_walk_end(db, st, rc, "count", "counting stopped", error_r);
}

int
db_links_expiring(struct db *db, const char *campaign, unsigned hours,
    int (*fn)(const struct db_link_due *l, void *ctx), void *ctx,
    char **error_r)
{
	g_autofree char *modifier = g_strdup_printf("+%u hours", hours);
	sqlite3_stmt *st;
	int rc;

	*error_r = NULL;
	if (db_prepare_bind(db, &st, error_r, "SELECT l.receipt, l.name,"
	    " l.provider, l.expires_at,"
	    " l.expires_at < strftime('%Y-%m-%dT%H:%M:%SZ','now')"
	    " FROM case_links l JOIN cases c ON c.receipt = l.receipt"
	    " WHERE c.campaign = ?1 AND l.state = 'pending'"
	    " AND c.status NOT IN ('rejected', 'superseded')"
	    " AND l.expires_at IS NOT NULL"
	    " AND l.expires_at < strftime('%Y-%m-%dT%H:%M:%SZ','now', ?2)"
	    " ORDER BY l.expires_at, l.receipt, l.pos", "ss", campaign,
	    modifier) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_link_due l = {
			.receipt = (const char *)sqlite3_column_text(st, 0),
			.name = (const char *)sqlite3_column_text(st, 1),
			.provider = (const char *)sqlite3_column_text(st, 2),
			.expires_at = (const char *)sqlite3_column_text(st, 3),
			.expired = sqlite3_column_int(st, 4) != 0,
		};

		if (fn(&l, ctx) < 0)
			break;
	}
	return db_walk_end(db, st, rc, "cloud links", "listing links stopped",
	    error_r);
}
