/* db_staff: what the staff commands and fsck read and decide; see
 * include/db.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <sqlite3.h>

#include "db.h"
#include "db-private.h"
#include "fault.h"

/*
 * Staff queries: listing cases, the replies of a case, counts, reviews.
 */

int
db_case_list(struct db *db, const struct db_case_query *q,
    int (*fn)(const struct db_case *c, void *ctx), void *ctx,
    char **error_r)
{
	sqlite3_stmt *st;
	int rc;

	/* A case without a unit field counts under its sender, as staff
	 * see it in every table. */
	if (db_prepare_bind(db, &st, error_r, "SELECT receipt, campaign,"
	    " category, title, unit, sender, status, dir, fields_json,"
	    " received_at, seq, batch, group_pos, form_json FROM cases WHERE"
	    " (?1 IS NULL OR campaign = ?1) AND (?2 IS NULL OR category = ?2)"
	    " AND (?3 IS NULL OR COALESCE(unit, sender) = ?3)"
	    " AND (?4 IS NULL OR status = ?4)"
	    " AND (?5 IS NULL OR received_at >= ?5)"
	    " AND (?6 IS NULL OR receipt = ?6)"
	    " AND seq >= ?7 AND (?8 = 0 OR seq <= ?8)"
	    " AND (?9 IS NULL OR batch = ?9)"
	    " ORDER BY campaign, seq", "ssssssiis", q->campaign, q->category,
	    q->unit, q->status, q->since, q->receipt, q->seq_from,
	    q->seq_to, q->batch) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_case c = {
			.receipt = (const char *)sqlite3_column_text(st, 0),
			.campaign = (const char *)sqlite3_column_text(st, 1),
			.category = (const char *)sqlite3_column_text(st, 2),
			.title = (const char *)sqlite3_column_text(st, 3),
			.unit = (const char *)sqlite3_column_text(st, 4),
			.sender = (const char *)sqlite3_column_text(st, 5),
			.status = (const char *)sqlite3_column_text(st, 6),
			.dir = (const char *)sqlite3_column_text(st, 7),
			.fields_json = (const char *)sqlite3_column_text(st, 8),
			.received_at = (const char *)sqlite3_column_text(st, 9),
			.seq = sqlite3_column_int64(st, 10),
			.batch = (const char *)sqlite3_column_text(st, 11),
			.group_pos = (unsigned)sqlite3_column_int64(st, 12),
			.form_json = (const char *)sqlite3_column_text(st, 13),
		};

		if (fn(&c, ctx) < 0)
			break;
	}
	return db_walk_end(db, st, rc, "cases", "listing cases stopped",
	    error_r);
}

/* The refused works with the number of their mail's last case (NULL:
 * none), the one subquery db_refused_works and db_case_pages share. */
#define DB_REFUSED_WORKS \
	"(SELECT w.*, (SELECT MAX(c.seq) FROM cases c" \
	" WHERE c.message_row = w.message_row) AS last_seq" \
	" FROM message_works w WHERE w.receipt IS NULL)"

int
db_refused_works(struct db *db, const struct db_case_query *q,
    bool with_cases_only,
    int (*fn)(const struct db_refused_work *r, void *ctx), void *ctx,
    char **error_r)
{
	sqlite3_stmt *st;
	int rc;

	*error_r = NULL;
	if (db_prepare_bind(db, &st, error_r, "SELECT w.message_row,"
	    " m.campaign, w.pos, w.title, w.category, w.unit, w.work_key,"
	    " w.outcome, w.policy, w.reason, m.receipt, w.last_seq, m.sender,"
	    " m.subject, m.received_at FROM " DB_REFUSED_WORKS " w"
	    " JOIN messages m ON m.id = w.message_row WHERE"
	    " (?1 IS NULL OR m.campaign = ?1) AND (?2 IS NULL OR w.category = ?2)"
	    " AND (?3 IS NULL OR COALESCE(w.unit, m.sender) = ?3)"
	    " AND (?4 IS NULL OR w.outcome = ?4)"
	    " AND (?5 IS NULL OR m.received_at >= ?5) AND ?6 IS NULL"
	    " AND (NOT ?7 OR w.last_seq IS NOT NULL)"
	    " AND (?8 = 0 OR w.last_seq >= ?8) AND (?9 = 0 OR w.last_seq <= ?9)"
	    " ORDER BY m.campaign, w.last_seq IS NULL, w.last_seq,"
	    " w.message_row, w.pos", "ssssssuii", q->campaign, q->category,
	    q->unit, q->status, q->since, q->batch, with_cases_only ? 1u : 0u,
	    q->seq_from, q->seq_to) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_message_work w = {
			.pos = (unsigned)sqlite3_column_int64(st, 2),
			.title = (const char *)sqlite3_column_text(st, 3),
			.category = (const char *)sqlite3_column_text(st, 4),
			.unit = (const char *)sqlite3_column_text(st, 5),
			.work_key = (const char *)sqlite3_column_text(st, 6),
			.outcome = (const char *)sqlite3_column_text(st, 7),
			.policy = (const char *)sqlite3_column_text(st, 8),
			.reason = (const char *)sqlite3_column_text(st, 9),
		};
		struct db_refused_work r = {
			.message_row = sqlite3_column_int64(st, 0),
			.campaign = (const char *)sqlite3_column_text(st, 1),
			.work = &w,
			.first_receipt = (const char *)sqlite3_column_text(st, 10),
			.last_seq = sqlite3_column_int64(st, 11),
			.sender = (const char *)sqlite3_column_text(st, 12),
			.subject = (const char *)sqlite3_column_text(st, 13),
			.received_at = (const char *)sqlite3_column_text(st, 14),
		};

		if (fn(&r, ctx) < 0)
			break;
	}
	return db_walk_end(db, st, rc, "works", "listing works stopped",
	    error_r);
}

int
db_case_groups(struct db *db, const char *campaign, bool unit_field,
    int (*fn)(const struct db_case_group *g, void *ctx), void *ctx,
    char **error_r)
{
	sqlite3_stmt *st;
	int rc;

	*error_r = NULL;
	if (db_prepare_bind(db, &st, error_r, "SELECT NULLIF(unit, ''),"
	    " sender, category, status, CASE WHEN ?2 AND COALESCE(unit, '') ="
	    " '' THEN receipt END, COUNT(*) FROM cases WHERE campaign = ?1"
	    " GROUP BY 1, 2, 3, 4, 5", "su", campaign,
	    unit_field ? 1u : 0u) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_case_group g = {
			.unit = (const char *)sqlite3_column_text(st, 0),
			.sender = (const char *)sqlite3_column_text(st, 1),
			.category = (const char *)sqlite3_column_text(st, 2),
			.status = (const char *)sqlite3_column_text(st, 3),
			.receipt = (const char *)sqlite3_column_text(st, 4),
			.count = (unsigned)sqlite3_column_int64(st, 5),
		};

		if (fn(&g, ctx) < 0)
			break;
	}
	return db_walk_end(db, st, rc, "cases", "counting cases stopped",
	    error_r);
}

int
db_case_pages(struct db *db, const char *campaign, unsigned per_page,
    int (*fn)(const struct db_case_page *p, void *ctx), void *ctx,
    char **error_r)
{
	sqlite3_stmt *st;
	int rc;

	*error_r = NULL;
	/* Each page's hash, of its cases and of the refused works shown
	 * beside them, is the sum of the two: the sum of 64-bit values is
	 * taken here, as SQL would turn an overflow into a float. */
	if (db_prepare_bind(db, &st, error_r, "SELECT page, n, (SELECT receipt"
	    " FROM cases WHERE campaign = ?1 AND seq = lo), (SELECT receipt"
	    " FROM cases WHERE campaign = ?1 AND seq = hi), h,"
	    " (SELECT row_hash(w.message_row, w.pos, w.title, w.category,"
	    " w.unit, w.outcome, w.reason, m.receipt, w.last_seq) FROM "
	    DB_REFUSED_WORKS " w JOIN messages m ON m.id = w.message_row"
	    " WHERE m.campaign = ?1 AND w.last_seq BETWEEN (page - 1) * ?2 + 1"
	    " AND page * ?2) FROM"
	    " (SELECT (seq - 1) / ?2 + 1 AS page, COUNT(*) AS n,"
	    " MIN(seq) AS lo, MAX(seq) AS hi, row_hash(receipt, category,"
	    " title, unit, sender, status, dir, received_at, fields_json,"
	    " form_json, (SELECT group_concat(l.pos || l.state) FROM case_links l"
	    "  WHERE l.receipt = cases.receipt))"
	    " AS h FROM cases"
	    " WHERE campaign = ?1 GROUP BY page) ORDER BY page", "su",
	    campaign, per_page) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_case_page p = {
			.number = (unsigned)sqlite3_column_int64(st, 0),
			.count = (unsigned)sqlite3_column_int64(st, 1),
			.first_receipt =
			    (const char *)sqlite3_column_text(st, 2),
			.last_receipt =
			    (const char *)sqlite3_column_text(st, 3),
			.hash = (uint64_t)sqlite3_column_int64(st, 4) +
			    (uint64_t)sqlite3_column_int64(st, 5),
		};

		if (fn(&p, ctx) < 0)
			break;
	}
	return db_walk_end(db, st, rc, "cases", "paging cases stopped",
	    error_r);
}

int
db_case_replies(struct db *db, const char *receipt,
    int (*fn)(const struct db_reply *r, void *ctx), void *ctx,
    char **error_r)
{
	sqlite3_stmt *st;
	int rc;

	if (db_prepare_bind(db, &st, error_r, "SELECT o.kind, o.recipient,"
	    " o.state, o.attempts, o.last_error, o.created_at, o.sent_at,"
	    " o.reply_message_id"
	    " FROM outbox o JOIN cases c ON o.message_row = c.message_row"
	    " WHERE c.receipt = ? ORDER BY o.id", "s", receipt) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_reply r = {
			.kind = (const char *)sqlite3_column_text(st, 0),
			.recipient = (const char *)sqlite3_column_text(st, 1),
			.state = (const char *)sqlite3_column_text(st, 2),
			.attempts = sqlite3_column_int(st, 3),
			.last_error = (const char *)sqlite3_column_text(st, 4),
			.created_at = (const char *)sqlite3_column_text(st, 5),
			.sent_at = (const char *)sqlite3_column_text(st, 6),
			.reply_message_id =
			    (const char *)sqlite3_column_text(st, 7),
		};

		if (fn(&r, ctx) < 0)
			break;
	}
	return db_walk_end(db, st, rc, "outbox", "listing replies stopped",
	    error_r);
}

int
db_message_replies(struct db *db, int64_t message_row,
    int (*fn)(const struct db_reply *r, void *ctx), void *ctx,
    char **error_r)
{
	sqlite3_stmt *st;
	int rc;

	*error_r = NULL;
	if (db_prepare_bind(db, &st, error_r, "SELECT kind, recipient, state,"
	    " attempts, last_error, created_at, sent_at, reply_message_id, data"
	    " FROM outbox WHERE message_row = ? ORDER BY id", "i",
	    message_row) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_reply r = {
			.kind = (const char *)sqlite3_column_text(st, 0),
			.recipient = (const char *)sqlite3_column_text(st, 1),
			.state = (const char *)sqlite3_column_text(st, 2),
			.attempts = sqlite3_column_int(st, 3),
			.last_error = (const char *)sqlite3_column_text(st, 4),
			.created_at = (const char *)sqlite3_column_text(st, 5),
			.sent_at = (const char *)sqlite3_column_text(st, 6),
			.reply_message_id =
			    (const char *)sqlite3_column_text(st, 7),
			.data = sqlite3_column_blob(st, 8),
			.data_len = (size_t)sqlite3_column_bytes(st, 8),
		};

		if (fn(&r, ctx) < 0)
			break;
	}
	return db_walk_end(db, st, rc, "outbox", "listing replies stopped",
	    error_r);
}

int
db_mail_list(struct db *db, const struct db_mail_query *q,
    int (*fn)(const struct db_mail *m, void *ctx), void *ctx,
    char **error_r)
{
	sqlite3_stmt *st;
	int rc;

	*error_r = NULL;
	/* A 查询码 is read by no index: staff ask for one mail at a time,
	 * and a campaign's messages are thousands, not millions. */
	if (db_prepare_bind(db, &st, error_r, "SELECT m.id, m.campaign,"
	    " m.folder, m.uidvalidity, m.uid, m.message_id, m.sha256,"
	    " m.sender, m.subject, m.received_at, m.outcome, m.reason,"
	    " m.receipt, (SELECT c.code FROM reason_codes c"
	    " WHERE c.message_row = m.id AND c.pos = 0),"
	    " EXISTS (SELECT 1 FROM quarantine x WHERE x.message_row = m.id)"
	    " FROM messages m WHERE (?1 IS NULL OR m.campaign = ?1)"
	    " AND (?2 IS NULL OR upper(substr(m.sha256, 1, 8)) = upper(?2))"
	    " AND (NOT ?3 OR (m.receipt IS NULL AND NOT EXISTS (SELECT 1"
	    " FROM cases c WHERE c.message_row = m.id)))"
	    " AND (?4 IS NULL OR m.sender = ?4 OR EXISTS (SELECT 1"
	    " FROM message_works w WHERE w.message_row = m.id AND w.unit = ?4))"
	    " AND (?5 IS NULL OR EXISTS (SELECT 1 FROM message_works w"
	    " WHERE w.message_row = m.id AND w.category = ?5))"
	    " AND (?6 IS NULL OR m.outcome = ?6)"
	    " AND (?7 IS NULL OR m.received_at >= ?7)"
	    " ORDER BY m.campaign, m.id", "ssussss", q->campaign,
	    q->query_code, q->uncased_only ? 1u : 0u, q->unit, q->category,
	    q->outcome, q->since) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_message m = {
			.campaign = (const char *)sqlite3_column_text(st, 1),
			.folder = (const char *)sqlite3_column_text(st, 2),
			.uidvalidity = (uint32_t)sqlite3_column_int64(st, 3),
			.uid = (uint32_t)sqlite3_column_int64(st, 4),
			.message_id = (const char *)sqlite3_column_text(st, 5),
			.sha256 = (const char *)sqlite3_column_text(st, 6),
			.sender = (const char *)sqlite3_column_text(st, 7),
			.subject = (const char *)sqlite3_column_text(st, 8),
			.received_at = (const char *)sqlite3_column_text(st, 9),
			.outcome = (const char *)sqlite3_column_text(st, 10),
			.reason = (const char *)sqlite3_column_text(st, 11),
			.receipt = (const char *)sqlite3_column_text(st, 12),
			.reason_code = (const char *)sqlite3_column_text(st, 13),
		};
		struct db_mail mail = {
			.row = sqlite3_column_int64(st, 0), .m = &m,
			.quarantined = sqlite3_column_int(st, 14) != 0,
		};

		if (fn(&mail, ctx) < 0)
			break;
	}
	return db_walk_end(db, st, rc, "messages", "listing mail stopped",
	    error_r);
}

/* What was not accepted: each refused work where the mail's works are
 * recorded, else the message that made no case (judged before works, or
 * carrying none: no attachment, a form only). */
#define DB_REFUSALS \
	"SELECT reason_code((SELECT c.code FROM reason_codes c" \
	" WHERE c.message_row = w.message_row AND c.pos = w.pos)," \
	" w.outcome, w.policy, w.reason) AS code FROM message_works w" \
	" JOIN messages m ON m.id = w.message_row" \
	" WHERE (?1 IS NULL OR m.campaign = ?1) AND w.receipt IS NULL" \
	" UNION ALL SELECT reason_code((SELECT c.code FROM reason_codes c" \
	" WHERE c.message_row = m.id AND c.pos = 0), m.outcome, NULL," \
	" m.reason) FROM messages m" \
	" WHERE (?1 IS NULL OR m.campaign = ?1)" \
	" AND m.outcome NOT IN ('accepted', 'duplicate', 'question')" \
	" AND NOT EXISTS (SELECT 1 FROM message_works w" \
	" WHERE w.message_row = m.id)"

int
db_count(struct db *db, enum db_count what, const char *campaign,
    int (*fn)(const char *key, const char *key2, int64_t n, void *ctx),
    void *ctx, char **error_r)
{
	static const char *const sql[] = {
		[DB_COUNT_CATEGORY] = "SELECT category, NULL, COUNT(*) FROM"
		    " cases WHERE (?1 IS NULL OR campaign = ?1)"
		    " GROUP BY 1 ORDER BY 3 DESC, 1",
		[DB_COUNT_UNIT] = "SELECT COALESCE(unit, sender), NULL,"
		    " COUNT(*) FROM cases WHERE (?1 IS NULL OR campaign = ?1)"
		    " AND status NOT IN ('rejected', 'superseded', 'missing',"
		    " 'pending')"
		    " GROUP BY 1 ORDER BY 3 DESC, 1",
		[DB_COUNT_UNIT_CATEGORY] = "SELECT COALESCE(unit, sender),"
		    " category, COUNT(*) FROM cases"
		    " WHERE (?1 IS NULL OR campaign = ?1)"
		    " AND status NOT IN ('rejected', 'superseded', 'missing',"
		    " 'pending')"
		    " GROUP BY 1, 2 ORDER BY 1, 2",
		[DB_COUNT_STATUS] = "SELECT status, NULL, COUNT(*) FROM cases"
		    " WHERE (?1 IS NULL OR campaign = ?1)"
		    " GROUP BY 1 ORDER BY 3 DESC, 1",
		[DB_COUNT_OUTCOME] = "SELECT outcome, NULL, COUNT(*) FROM"
		    " messages WHERE (?1 IS NULL OR campaign = ?1)"
		    " GROUP BY 1 ORDER BY 3 DESC, 1",
		[DB_COUNT_REJECTION] = "SELECT code, NULL, COUNT(*) FROM"
		    " (" DB_REFUSALS ") GROUP BY 1 ORDER BY 3 DESC, 1",
		[DB_COUNT_WORKS] = "SELECT 'filed', NULL, COUNT(*) FROM cases"
		    " WHERE (?1 IS NULL OR campaign = ?1) UNION ALL"
		    " SELECT 'refused', NULL, COUNT(*) FROM (" DB_REFUSALS ")",
		[DB_COUNT_UNIT_PENDING] = "SELECT COALESCE(unit, sender),"
		    " NULL, COUNT(*) FROM cases WHERE (?1 IS NULL OR"
		    " campaign = ?1) AND status = 'pending'"
		    " GROUP BY 1 ORDER BY 1",
		[DB_COUNT_QUESTIONS] = "SELECT state, NULL, COUNT(*) FROM"
		    " questions WHERE (?1 IS NULL OR campaign = ?1)"
		    " GROUP BY 1 ORDER BY 1",
		[DB_COUNT_LINKS] = "SELECT CASE"
		    " WHEN l.expires_at IS NULL THEN 'pending'"
		    " WHEN l.expires_at < strftime('%Y-%m-%dT%H:%M:%SZ','now')"
		    " THEN 'expired' WHEN l.expires_at < strftime("
		    "'%Y-%m-%dT%H:%M:%SZ','now','+72 hours') THEN 'expiring'"
		    " ELSE 'pending' END, NULL, COUNT(*) FROM case_links l"
		    " JOIN cases c ON c.receipt = l.receipt"
		    " WHERE (?1 IS NULL OR c.campaign = ?1)"
		    " AND l.state IN ('pending', 'failed', 'fetching')"
		    " AND c.status NOT IN ('rejected', 'superseded')"
		    " GROUP BY 1 ORDER BY 1",
		[DB_COUNT_REPLY_STATE] = "SELECT o.kind, o.state, COUNT(*)"
		    " FROM outbox o LEFT JOIN messages m"
		    " ON o.message_row = m.id LEFT JOIN notices n"
		    " ON n.outbox_id = o.id"
		    " WHERE COALESCE(m.campaign, n.campaign) IS NOT NULL"
		    " AND (?1 IS NULL OR COALESCE(m.campaign, n.campaign) = ?1)"
		    " GROUP BY 1, 2 ORDER BY 1, 2",
	};
	sqlite3_stmt *st;
	int rc;

	g_assert((size_t)what < G_N_ELEMENTS(sql) && sql[what] != NULL);
	if (db_prepare_bind(db, &st, error_r, sql[what], "s", campaign) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (fn((const char *)sqlite3_column_text(st, 0),
		    (const char *)sqlite3_column_text(st, 1),
		    sqlite3_column_int64(st, 2), ctx) < 0)
			break;
	}
	return db_walk_end(db, st, rc, "count", "counting stopped", error_r);
}

int
db_case_review(struct db *db, const struct db_case_review *r,
    char **error_r)
{
	/* The caller holds the transaction: the case row, the review and
	 * the rewritten case.json change together. */
	if (db_run(db, "update case", error_r, "UPDATE cases SET status = ?2,"
	    " category = COALESCE(?3, category), title = COALESCE(?4, title),"
	    " unit = COALESCE(?5, unit),"
	    " fields_json = COALESCE(?6, fields_json) WHERE receipt = ?1",
	    "ssssss", r->receipt, r->status, r->category, r->title, r->unit,
	    r->fields_json) < 0)
		return -1;
	if (sqlite3_changes(db->sqlite) != 1) {
		*error_r = g_strdup_printf("no case %s", r->receipt);
		return -1;
	}
	return db_run(db, "record review", error_r, "INSERT INTO case_reviews"
	    " (receipt, action, status, reason, changes_json, reviewer)"
	    " VALUES (?,?,?,?,?,?)", "ssssss", r->receipt, r->action,
	    r->status, r->reason, r->changes_json, r->reviewer);
}

int
db_case_reviews(struct db *db, const char *receipt,
    int (*fn)(const struct db_case_review *r, const char *reviewed_at,
    void *ctx), void *ctx, char **error_r)
{
	sqlite3_stmt *st;
	int rc;

	if (db_prepare_bind(db, &st, error_r, "SELECT action, status, reason,"
	    " changes_json, reviewer, reviewed_at FROM case_reviews"
	    " WHERE receipt = ? ORDER BY id", "s", receipt) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_case_review r = {
			.receipt = receipt,
			.action = (const char *)sqlite3_column_text(st, 0),
			.status = (const char *)sqlite3_column_text(st, 1),
			.reason = (const char *)sqlite3_column_text(st, 2),
			.changes_json = (const char *)sqlite3_column_text(st, 3),
			.reviewer = (const char *)sqlite3_column_text(st, 4),
		};

		if (fn(&r, (const char *)sqlite3_column_text(st, 5), ctx) < 0)
			break;
	}
	return db_walk_end(db, st, rc, "case reviews",
	    "listing reviews stopped", error_r);
}

/*
 * Who speaks for a unit.
 */

int
db_unit_sender_get(struct db *db, const char *campaign, const char *unit,
    const char *address, char **state_r, char **error_r)
{
	g_autofree char *key = db_address_key(address);
	sqlite3_stmt *st;
	int rc;

	*state_r = NULL;
	if (db_prepare_bind(db, &st, error_r, "SELECT state FROM unit_senders"
	    " WHERE campaign = ? AND unit = ? AND address = ?", "sss",
	    campaign, unit, key) < 0)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*state_r = db_column_dup(st, 0);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc != SQLITE_DONE)
		return db_error(db, "unit senders", error_r);
	return 0;
}

int
db_unit_sender_set(struct db *db, const struct db_unit_sender *s,
    char **error_r)
{
	g_autofree char *key = db_address_key(s->address);

	/* A later decision replaces an earlier one, and its time. */
	return db_run(db, "record unit sender", error_r, "INSERT INTO"
	    " unit_senders (campaign, unit, address, state, decided_by)"
	    " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (campaign, unit, address)"
	    " DO UPDATE SET state = ?4, decided_by = ?5, decided_at ="
	    " strftime('%Y-%m-%dT%H:%M:%SZ','now')", "sssss", s->campaign,
	    s->unit, key, s->state, s->decided_by);
}

int
db_unit_sender_list(struct db *db, const char *campaign,
    int (*fn)(const struct db_unit_sender *s, void *ctx), void *ctx,
    char **error_r)
{
	sqlite3_stmt *st;
	int rc;

	*error_r = NULL;
	if (db_prepare_bind(db, &st, error_r, "SELECT campaign, unit, address,"
	    " state, decided_by, decided_at FROM unit_senders"
	    " WHERE ?1 IS NULL OR campaign = ?1"
	    " ORDER BY campaign, unit, address", "s", campaign) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_unit_sender s = {
			.campaign = (const char *)sqlite3_column_text(st, 0),
			.unit = (const char *)sqlite3_column_text(st, 1),
			.address = (const char *)sqlite3_column_text(st, 2),
			.state = (const char *)sqlite3_column_text(st, 3),
			.decided_by = (const char *)sqlite3_column_text(st, 4),
			.decided_at = (const char *)sqlite3_column_text(st, 5),
		};

		if (fn(&s, ctx) < 0)
			break;
	}
	return db_walk_end(db, st, rc, "unit senders",
	    "listing unit senders stopped", error_r);
}

/*
 * fsck.
 */

int
db_check_integrity(struct db *db, int (*fn)(const char *problem, void *ctx),
    void *ctx, char **error_r)
{
	sqlite3_stmt *st;
	int rc;

	*error_r = NULL;
	if (db_prepare(db, "PRAGMA integrity_check", &st, error_r) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *line = (const char *)sqlite3_column_text(st, 0);

		if (line == NULL || strcmp(line, "ok") == 0)
			continue;
		if (fn(line, ctx) < 0)
			break;
	}
	return db_walk_end(db, st, rc, "integrity check",
	    "integrity check stopped", error_r);
}

int
db_check_foreign_keys(struct db *db,
    int (*fn)(const char *table, int64_t rowid, const char *parent,
    void *ctx), void *ctx, char **error_r)
{
	sqlite3_stmt *st;
	int rc;

	*error_r = NULL;
	if (db_prepare(db, "PRAGMA foreign_key_check", &st, error_r) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (fn((const char *)sqlite3_column_text(st, 0),
		    sqlite3_column_int64(st, 1),
		    (const char *)sqlite3_column_text(st, 2), ctx) < 0)
			break;
	}
	return db_walk_end(db, st, rc, "foreign key check",
	    "foreign key check stopped", error_r);
}

int
db_case_duplicate_receipts(struct db *db,
    int (*fn)(const char *receipt, int64_t count, void *ctx), void *ctx,
    char **error_r)
{
	sqlite3_stmt *st;
	int rc;

	*error_r = NULL;
	/* NOT INDEXED: through the primary key's own index every receipt
	 * would look unique, whatever the table holds. */
	if (db_prepare(db, "SELECT receipt, COUNT(*) FROM cases NOT INDEXED"
	    " GROUP BY receipt HAVING COUNT(*) > 1 ORDER BY receipt", &st,
	    error_r) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (fn((const char *)sqlite3_column_text(st, 0),
		    sqlite3_column_int64(st, 1), ctx) < 0)
			break;
	}
	return db_walk_end(db, st, rc, "receipt check", "receipt check stopped",
	    error_r);
}

int
db_check_groups(struct db *db,
    int (*fn)(int64_t message_row, unsigned pos, const char *receipt,
    int64_t count, void *ctx), void *ctx, char **error_r)
{
	sqlite3_stmt *st;
	int rc;

	*error_r = NULL;
	if (db_prepare(db, "SELECT w.message_row, w.pos, w.receipt, 0"
	    " FROM message_works w WHERE w.receipt IS NOT NULL"
	    " AND NOT EXISTS (SELECT 1 FROM cases c"
	    " WHERE c.receipt = w.receipt)"
	    " UNION ALL SELECT message_row, group_pos, NULL, COUNT(*)"
	    " FROM cases WHERE group_pos IS NOT NULL"
	    " GROUP BY message_row, group_pos HAVING COUNT(*) > 1"
	    " ORDER BY 1, 2", &st, error_r) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (fn(sqlite3_column_int64(st, 0),
		    (unsigned)sqlite3_column_int64(st, 1),
		    (const char *)sqlite3_column_text(st, 2),
		    sqlite3_column_int64(st, 3), ctx) < 0)
			break;
	}
	return db_walk_end(db, st, rc, "group check", "group check stopped",
	    error_r);
}
