/* db_message: folders, messages, attempts and the cases ingest makes; see
 * include/db.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <sqlite3.h>

#include "db.h"
#include "db-private.h"
#include "fault.h"

static const char outcome_accepted[] = "accepted";

int
db_folder_get(struct db *db, const char *campaign, const char *folder,
    uint32_t *uidvalidity_r, uint32_t *last_uid_r, char **error_r)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = db_prepare_bind(db, &st, error_r, "SELECT uidvalidity, "
	    "last_uid FROM folders WHERE campaign = ? AND folder = ?", "ss",
	    campaign, folder)) < 0)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*uidvalidity_r = (uint32_t)sqlite3_column_int64(st, 0);
		*last_uid_r = (uint32_t)sqlite3_column_int64(st, 1);
		sqlite3_finalize(st);
		return 1;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(db, "folders", error_r);
	*uidvalidity_r = 0;
	*last_uid_r = 0;
	return 0;
}

int
db_folder_set(struct db *db, const char *campaign, const char *folder,
    uint32_t uidvalidity, uint32_t last_uid, char **error_r)
{
	return db_run(db, "update folder", error_r, "INSERT INTO folders"
	    " (campaign, folder, uidvalidity, last_uid) VALUES (?, ?, ?, ?)"
	    " ON CONFLICT (campaign, folder) DO UPDATE SET"
	    " uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid",
	    "ssuu", campaign, folder, uidvalidity, last_uid);
}

int
db_message_known(struct db *db, const char *campaign, const char *message_id,
    const char *sender, const char *sha256, char **error_r)
{
	/* An empty Message-ID identifies nothing: only the hash counts.  A
	 * Message-ID is anyone's to write, so it names a message only
	 * together with its sender: a stranger who reuses another's
	 * Message-ID must not make the real submission a "duplicate". */
	/* Two lookups, each by its own index: one OR across the columns
	 * made SQLite read the whole table for every message. */
	return db_query_exists(db, "messages", error_r,
	    "SELECT 1 WHERE EXISTS (SELECT 1 FROM messages WHERE "
	    "campaign = ?1 AND sha256 = ?3 AND outcome NOT IN ('failed')) OR "
	    "(?2 <> '' AND EXISTS (SELECT 1 FROM messages WHERE "
	    "campaign = ?1 AND message_id = ?2 AND "
	    "lower(coalesce(sender, '')) = lower(?4) AND "
	    "outcome NOT IN ('failed')))", "ssss", campaign,
	    message_id ? message_id : "", sha256, sender ? sender : "");
}

/* The reason code of a message (pos 0) or of its work pos: replaced, or
 * forgotten when code is NULL (the mail or work was filed). */
static int
db_reason_code_set(struct db *db, int64_t row, unsigned pos,
    const char *code, char **error_r)
{
	if (code == NULL)
		return db_run(db, "forget reason code", error_r, "DELETE FROM"
		    " reason_codes WHERE message_row = ? AND pos = ?", "iu",
		    row, pos);
	return db_run(db, "record reason code", error_r, "INSERT INTO"
	    " reason_codes (message_row, pos, code) VALUES (?1, ?2, ?3)"
	    " ON CONFLICT (message_row, pos) DO UPDATE SET code = ?3", "ius",
	    row, pos, code);
}

int
db_message_add(struct db *db, const struct db_message *m, int64_t *row_r,
    char **error_r)
{
	sqlite3_stmt *st;
	int r;

	if ((r = db_prepare(db, "INSERT INTO messages (campaign, folder, "
	    "uidvalidity, uid, message_id, sha256, sender, subject, "
	    "received_at, outcome, reason, receipt, work_count) VALUES "
	    "(?,?,?,?,?,?,?,?,?,?,?,?,?)", &st, error_r)) < 0)
		return r;
	db_bind_text(st, 1, m->campaign);
	db_bind_text(st, 2, m->folder);
	if (m->folder != NULL) {
		sqlite3_bind_int64(st, 3, m->uidvalidity);
		sqlite3_bind_int64(st, 4, m->uid);
	}
	db_bind_text(st, 5, m->message_id);
	db_bind_text(st, 6, m->sha256);
	db_bind_text(st, 7, m->sender);
	db_bind_text(st, 8, m->subject);
	db_bind_text(st, 9, m->received_at);
	db_bind_text(st, 10, m->outcome);
	db_bind_text(st, 11, m->reason);
	db_bind_text(st, 12, m->receipt);
	if (m->work_count > 0)
		sqlite3_bind_int64(st, 13, m->work_count);
	if ((r = db_step_done(db, st, "record message", error_r)) < 0)
		return r;
	*row_r = sqlite3_last_insert_rowid(db->sqlite);
	return db_reason_code_set(db, *row_r, 0, m->reason_code, error_r);
}

int
db_message_update(struct db *db, int64_t row, const struct db_message *m,
    char **error_r)
{
	int r;

	if ((r = db_run(db, "update message", error_r, "UPDATE messages SET"
	    " outcome = ?2, reason = ?3, receipt = ?4,"
	    " work_count = NULLIF(?5, 0),"
	    " processed_at = strftime('%Y-%m-%dT%H:%M:%SZ','now')"
	    " WHERE id = ?1", "isssu", row, m->outcome, m->reason,
	    m->receipt, m->work_count)) < 0)
		return r;
	if (sqlite3_changes(db->sqlite) != 1) {
		*error_r = g_strdup_printf("database: no message row %lld",
		    (long long)row);
		return -1;
	}
	return db_reason_code_set(db, row, 0, m->reason_code, error_r);
}

/*
 * Hands each message st selects to fn, the columns being id, campaign,
 * folder, uidvalidity, uid, sha256, sender, subject, message_id and
 * receipt.  All rows are read first and st finalized, because fn
 * changes the tables being read.
 */
static int
db_message_collect(struct db *db, sqlite3_stmt *st, const char *outcome,
    int (*fn)(int64_t row, const struct db_message *m, void *ctx), void *ctx,
    char **error_r)
{
	GArray *rows = g_array_new(FALSE, TRUE, sizeof(struct db_message));
	GArray *ids = g_array_new(FALSE, FALSE, sizeof(int64_t));
	int rc, ret = 0;
	guint i;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_message m = { 0 };
		int64_t id = sqlite3_column_int64(st, 0);

		m.campaign = db_column_dup(st, 1);
		m.folder = db_column_dup(st, 2);
		m.uidvalidity = (uint32_t)sqlite3_column_int64(st, 3);
		m.uid = (uint32_t)sqlite3_column_int64(st, 4);
		m.sha256 = db_column_dup(st, 5);
		m.sender = db_column_dup(st, 6);
		m.subject = db_column_dup(st, 7);
		m.message_id = db_column_dup(st, 8);
		m.receipt = db_column_dup(st, 9);
		m.outcome = outcome;
		g_array_append_val(rows, m);
		g_array_append_val(ids, id);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		ret = db_error(db, "list messages", error_r);
	for (i = 0; i < rows->len; i++) {
		struct db_message *m = &g_array_index(rows, struct db_message, i);

		if (ret == 0 && fn(g_array_index(ids, int64_t, i), m, ctx) < 0)
			ret = -1;
		g_free((char *)m->campaign);
		g_free((char *)m->folder);
		g_free((char *)m->sha256);
		g_free((char *)m->sender);
		g_free((char *)m->subject);
		g_free((char *)m->message_id);
		g_free((char *)m->receipt);
	}
	g_array_free(rows, TRUE);
	g_array_free(ids, TRUE);
	return ret;
}

int
db_message_list_uncased(struct db *db, const char *campaign,
    const char *outcome, int (*fn)(int64_t row, const struct db_message *m,
    void *ctx), void *ctx, char **error_r)
{
	sqlite3_stmt *st;

	/* A mail refused as infected is kept in the quarantine, not among
	 * the unaccepted: it is not judged again. */
	if (db_prepare_bind(db, &st, error_r, "SELECT id, campaign, folder,"
	    " uidvalidity, uid, sha256, sender, subject, message_id, receipt"
	    " FROM messages WHERE (?1 IS NULL OR campaign = ?1)"
	    " AND outcome = ?2 AND receipt IS NULL AND NOT EXISTS"
	    " (SELECT 1 FROM quarantine q WHERE q.message_row = messages.id)"
	    " ORDER BY id", "ss", campaign, outcome) < 0)
		return -1;
	return db_message_collect(db, st, outcome, fn, ctx, error_r);
}

int
db_case_next_seq(struct db *db, const char *campaign, unsigned *seq_r,
    char **error_r)
{
	int64_t seq;
	int r;

	if ((r = db_query_int64(db, "case sequence", &seq, error_r,
	    "SELECT COALESCE(MAX(seq), 0) + 1 FROM cases WHERE campaign = ?",
	    "s", campaign)) < 0)
		return r;
	*seq_r = (unsigned)seq;
	return 0;
}

int
db_case_add(struct db *db, const struct db_case *c, int64_t message_row,
    char **error_r)
{
	const char *dash = strrchr(c->receipt, '-');
	int64_t seq = dash ? strtoll(dash + 1, NULL, 10) : 0;

	return db_run(db, "record case", error_r, "INSERT INTO cases (receipt,"
	    " campaign, seq, category, title, unit, sender, status, dir,"
	    " fields_json, received_at, message_row, batch, group_pos,"
	    " form_json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,NULLIF(?,0),?)",
	    "ssissssssssisus", c->receipt, c->campaign, seq, c->category,
	    c->title, c->unit, c->sender, c->status, c->dir, c->fields_json,
	    c->received_at, message_row, c->batch, c->group_pos, c->form_json);
}

int
db_case_link_add(struct db *db, const struct db_case_link *l, char **error_r)
{
	return db_run(db, "record cloud attachment", error_r, "INSERT INTO"
	    " case_links (receipt, pos, provider, url, name, size, expires_at,"
	    " pass_code, role, kind) VALUES (?,?,?,?,?,NULLIF(?,0),?,?,?,?)",
	    "susssissss", l->receipt, l->pos, l->provider, l->url, l->name,
	    (int64_t)l->size, l->expires_at, l->pass_code, l->role, l->kind);
}

int
db_case_dir_exists(struct db *db, const char *dir, char **error_r)
{
	return db_query_exists(db, "cases", error_r,
	    "SELECT 1 FROM cases WHERE dir = ?", "s", dir);
}

int
db_case_stamp(struct db *db, char **stamp_r, char **error_r)
{
	sqlite3_stmt *st;
	int rc;

	*stamp_r = NULL;
	/* Each by the end of a b-tree: a COUNT(*) would read the whole
	 * table at every start and stop. */
	if (db_prepare_bind(db, &st, error_r, "SELECT (SELECT COALESCE("
	    "MAX(id), 0) FROM messages), COALESCE(MAX(rowid), 0), (SELECT dir "
	    "FROM cases ORDER BY rowid DESC LIMIT 1) FROM cases", "") < 0)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *dir = (const char *)sqlite3_column_text(st, 2);

		*stamp_r = g_strdup_printf("messages %lld cases %lld %s\n",
		    (long long)sqlite3_column_int64(st, 0),
		    (long long)sqlite3_column_int64(st, 1), dir ? dir : "-");
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return db_error(db, "cases", error_r);
	return 0;
}

int
db_case_exists(struct db *db, const char *receipt, char **error_r)
{
	return db_query_exists(db, "cases", error_r,
	    "SELECT 1 FROM cases WHERE receipt = ?", "s", receipt);
}

int
db_case_count(struct db *db, const char *campaign, const char *unit,
    const char *sender, const char *category, unsigned *count_r,
    char **error_r)
{
	int64_t count;
	int r;

	if ((r = db_query_int64(db, "count cases", &count, error_r,
	    "SELECT COUNT(*) FROM cases WHERE campaign = ?1"
	    " AND status = 'accepted'"
	    " AND (?2 IS NULL OR unit = ?2) AND (?3 IS NULL OR sender = ?3)"
	    " AND (?4 IS NULL OR category = ?4)", "ssss", campaign, unit,
	    sender, category)) < 0)
		return r;
	*count_r = (unsigned)count;
	return 0;
}

int
db_case_find_same(struct db *db, const char *campaign, const char *unit,
    const char *sender, const char *title, const char *category,
    char **receipt_r, char **dir_r, char **error_r)
{
	sqlite3_stmt *st;
	int rc;

	*receipt_r = *dir_r = NULL;
	if ((rc = db_prepare_bind(db, &st, error_r, "SELECT receipt, dir FROM "
	    "cases WHERE campaign = ?1 AND status = 'accepted'"
	    " AND ((?2 IS NOT NULL AND unit = ?2) OR (?2 IS NULL AND sender = ?3))"
	    " AND (?4 IS NULL OR title = ?4)"
	    " AND (?5 IS NULL OR category IS ?5) ORDER BY seq DESC LIMIT 1",
	    "sssss", campaign, unit, sender, title, category)) < 0)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*receipt_r = db_column_dup(st, 0);
		*dir_r = db_column_dup(st, 1);
		sqlite3_finalize(st);
		return 1;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(db, "find case", error_r);
	return 0;
}

int
db_case_set_status(struct db *db, const char *receipt, const char *status,
    char **error_r)
{
	return db_run(db, "update case", error_r,
	    "UPDATE cases SET status = ? WHERE receipt = ?", "ss", status,
	    receipt);
}

int
db_case_set_group_pos(struct db *db, const char *receipt, unsigned group_pos,
    char **error_r)
{
	return db_run(db, "update case", error_r,
	    "UPDATE cases SET group_pos = NULLIF(?, 0) WHERE receipt = ?", "us",
	    group_pos, receipt);
}

int
db_case_message(struct db *db, const char *receipt, int64_t *row_r,
    unsigned *work_count_r, char **error_r)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = db_prepare_bind(db, &st, error_r, "SELECT m.id,"
	    " COALESCE(m.work_count, (SELECT COUNT(*) FROM message_works w"
	    " WHERE w.message_row = m.id)) FROM cases c JOIN messages m"
	    " ON m.id = c.message_row WHERE c.receipt = ?", "s", receipt)) < 0)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*row_r = sqlite3_column_int64(st, 0);
		*work_count_r = (unsigned)sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc != SQLITE_DONE)
		return db_error(db, "find case", error_r);
	return 0;
}

int
db_message_work_add(struct db *db, int64_t message_row,
    const struct db_message_work *w, char **error_r)
{
	if (db_run(db, "record work", error_r, "INSERT INTO message_works"
	    " (message_row, pos, title, category, unit, work_key, outcome,"
	    " policy, reason, receipt) VALUES (?,?,?,?,?,?,?,?,?,?)",
	    "iussssssss", message_row, w->pos, w->title, w->category, w->unit,
	    w->work_key, w->outcome, w->policy, w->reason, w->receipt) < 0)
		return -1;
	return db_reason_code_set(db, message_row, w->pos, w->reason_code,
	    error_r);
}

int
db_message_works_clear(struct db *db, int64_t message_row, char **error_r)
{
	if (db_run(db, "forget works' reason codes", error_r, "DELETE FROM"
	    " reason_codes WHERE message_row = ? AND pos > 0", "i",
	    message_row) < 0)
		return -1;
	return db_run(db, "forget works", error_r, "DELETE FROM message_works"
	    " WHERE message_row = ?", "i", message_row);
}

int
db_message_works(struct db *db, int64_t message_row, const char *receipt,
    int (*fn)(const struct db_message_work *w, void *ctx), void *ctx,
    char **error_r)
{
	sqlite3_stmt *st;
	int rc;

	*error_r = NULL;
	if (db_prepare_bind(db, &st, error_r, "SELECT pos, title, category,"
	    " unit, work_key, outcome, policy, reason, receipt, (SELECT code"
	    " FROM reason_codes c WHERE c.message_row = w.message_row AND"
	    " c.pos = w.pos) FROM message_works w WHERE message_row = CASE"
	    " WHEN ?2 IS NULL THEN ?1 ELSE (SELECT message_row FROM cases"
	    " WHERE receipt = ?2) END ORDER BY pos", "is", message_row,
	    receipt) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_message_work w = {
			.pos = (unsigned)sqlite3_column_int64(st, 0),
			.title = (const char *)sqlite3_column_text(st, 1),
			.category = (const char *)sqlite3_column_text(st, 2),
			.unit = (const char *)sqlite3_column_text(st, 3),
			.work_key = (const char *)sqlite3_column_text(st, 4),
			.outcome = (const char *)sqlite3_column_text(st, 5),
			.policy = (const char *)sqlite3_column_text(st, 6),
			.reason = (const char *)sqlite3_column_text(st, 7),
			.receipt = (const char *)sqlite3_column_text(st, 8),
			.reason_code = (const char *)sqlite3_column_text(st, 9),
		};

		if (fn(&w, ctx) < 0)
			break;
	}
	return db_walk_end(db, st, rc, "works", "listing works stopped",
	    error_r);
}

int
db_message_list_refused_works(struct db *db, const char *campaign,
    const char *outcome, int (*fn)(int64_t row, const struct db_message *m,
    void *ctx), void *ctx, char **error_r)
{
	sqlite3_stmt *st;

	/* A refused work of a mail that filed others is "rejected" in the
	 * sense of --status rejected, whatever refused it. */
	if (db_prepare_bind(db, &st, error_r, "SELECT id, campaign, folder,"
	    " uidvalidity, uid, sha256, sender, subject, message_id, receipt"
	    " FROM messages m"
	    " WHERE (?1 IS NULL OR campaign = ?1) AND receipt IS NOT NULL"
	    " AND EXISTS (SELECT 1 FROM message_works w"
	    " WHERE w.message_row = m.id AND w.receipt IS NULL"
	    " AND (?2 = 'rejected' OR w.outcome = ?2)) ORDER BY id", "ss",
	    campaign, outcome) < 0)
		return -1;
	return db_message_collect(db, st, outcome_accepted, fn, ctx, error_r);
}

/* The attempt row for one UID, its count raised by add (1: an attempt
 * begins or fails, 0: the one under way fails), with the error kept. */
static int
db_attempt_record(struct db *db, const char *campaign, const char *folder,
    uint32_t uidvalidity, uint32_t uid, const char *error, unsigned add,
    unsigned *count_r, char **error_r)
{
	int64_t count;
	int r;

	if ((r = db_query_int64(db, "count attempt", &count, error_r,
	    "INSERT INTO attempts (campaign, folder, uidvalidity, uid, count,"
	    " last_error) VALUES (?1, ?2, ?3, ?4, 1, ?5)"
	    " ON CONFLICT (campaign, folder, uidvalidity, uid) DO UPDATE SET"
	    " count = count + ?6, last_error = excluded.last_error"
	    " RETURNING count", "ssuusu", campaign, folder, uidvalidity, uid,
	    error, add)) < 0)
		return r;
	*count_r = (unsigned)count;
	return 0;
}

int
db_attempt_fail(struct db *db, const char *campaign, const char *folder,
    uint32_t uidvalidity, uint32_t uid, const char *error, unsigned *count_r,
    char **error_r)
{
	return db_attempt_record(db, campaign, folder, uidvalidity, uid, error,
	    1, count_r, error_r);
}

int
db_attempt_note(struct db *db, const char *campaign, const char *folder,
    uint32_t uidvalidity, uint32_t uid, const char *error, unsigned *count_r,
    char **error_r)
{
	return db_attempt_record(db, campaign, folder, uidvalidity, uid, error,
	    0, count_r, error_r);
}

int
db_attempt_clear(struct db *db, const char *campaign, const char *folder,
    uint32_t uidvalidity, uint32_t uid, char **error_r)
{
	return db_run(db, "clear attempts", error_r, "DELETE FROM attempts"
	    " WHERE campaign = ?1 AND folder = ?2 AND uidvalidity = ?3"
	    " AND uid = ?4", "ssuu", campaign, folder, uidvalidity, uid);
}

int
db_attempt_forgive(struct db *db, const char *campaign, const char *folder,
    uint32_t uidvalidity, uint32_t uid, char **error_r)
{
	int r;

	/* Down to nothing, the row goes: no attempt was held against it. */
	if ((r = db_run(db, "forgive attempt", error_r, "UPDATE attempts SET"
	    " count = count - 1 WHERE campaign = ?1 AND folder = ?2"
	    " AND uidvalidity = ?3 AND uid = ?4", "ssuu", campaign, folder,
	    uidvalidity, uid)) < 0)
		return r;
	return db_run(db, "forgive attempt", error_r, "DELETE FROM attempts"
	    " WHERE campaign = ?1 AND folder = ?2 AND uidvalidity = ?3"
	    " AND uid = ?4 AND count <= 0", "ssuu", campaign, folder,
	    uidvalidity, uid);
}
