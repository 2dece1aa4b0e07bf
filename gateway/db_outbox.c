/* db_outbox: the replies, the sender lock and the circuit breaker; see
 * include/db.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <glib.h>
#include <sqlite3.h>

#include "breaker.h"
#include "db.h"
#include "db-private.h"
#include "fault.h"

int
db_sender_claim(struct db *db, char **error_r)
{
	g_autofree char *lock = g_strconcat(db->path, ".sending", NULL);
	int fd;

	if (db->sender_fd >= 0)
		return 1;
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0660);
	if (fd < 0) {
		*error_r = g_strdup_printf("%s: %s", lock, g_strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;

		close(fd);
		if (e == EWOULDBLOCK)
			return 0;
		*error_r = g_strdup_printf("%s: %s", lock, g_strerror(e));
		return -1;
	}
	db->sender_fd = fd;
	return 1;
}

void
db_sender_release(struct db *db)
{
	if (db->sender_fd < 0)
		return;
	close(db->sender_fd);	/* drops the lock */
	db->sender_fd = -1;
}

int
db_outbox_add(struct db *db, int64_t message_row, const char *kind,
    const char *recipient, const char *in_reply_to,
    const char *reply_message_id, const char *data, size_t len,
    char **error_r)
{
	return db_run(db, "queue reply", error_r, "INSERT INTO outbox"
	    " (message_row, kind, recipient, in_reply_to, reply_message_id,"
	    " data) VALUES (?,?,?,?,?,?)", "issssb", message_row, kind,
	    recipient, in_reply_to, reply_message_id, data, len);
}

int
db_case_outbox_add(struct db *db, const char *receipt, const char *kind,
    const char *recipient, const char *in_reply_to,
    const char *reply_message_id, const char *data, size_t len,
    char **error_r)
{
	if (db_run(db, "queue reply", error_r, "INSERT INTO outbox"
	    " (message_row, kind, recipient, in_reply_to, reply_message_id,"
	    " data) SELECT message_row, ?2, ?3, ?4, ?5, ?6 FROM cases"
	    " WHERE receipt = ?1", "sssssb", receipt, kind, recipient,
	    in_reply_to, reply_message_id, data, len) < 0)
		return -1;
	if (sqlite3_changes(db->sqlite) != 1) {
		*error_r = g_strdup_printf("database: no case %s", receipt);
		return -1;
	}
	return 0;
}

int
db_outbox_mark(struct db *db, int64_t id, const char *state,
    const char *last_error, char **error_r)
{
	/* A temporary failure stays queued and waits longer each time
	 * (1, 2, 4 ... minutes, at most an hour). */
	return db_run(db, "update outbox", error_r, "UPDATE outbox SET"
	    " state = ?2, last_error = ?3, attempts = attempts + 1,"
	    " next_attempt_at = CASE WHEN ?2 = 'queued' THEN"
	    "   strftime('%s','now') + MIN(3600, 60 * (1 << MIN(attempts, 6)))"
	    "   ELSE next_attempt_at END,"
	    " sent_at = CASE WHEN ?2 = 'sent' THEN"
	    "   strftime('%Y-%m-%dT%H:%M:%SZ','now') ELSE sent_at END"
	    " WHERE id = ?1", "iss", id, state, last_error);
}

int
db_outbox_set_sending(struct db *db, int64_t id, char **error_r)
{
	/* Its own committed statement: what the next start finds in this
	 * state was, perhaps, handed to the server by a process that died. */
	if (db_run(db, "update outbox", error_r, "UPDATE outbox SET"
	    " state = 'sending' WHERE id = ?1 AND state = 'queued'", "i",
	    id) < 0)
		return -1;
	return sqlite3_changes(db->sqlite) == 1;
}

int
db_outbox_resume_sending(struct db *db, const char *why, unsigned *count_r,
    char **error_r)
{
	/* The interrupted attempt counts as one; the reply is due at once. */
	if (db_run(db, "requeue interrupted replies", error_r, "UPDATE outbox"
	    " SET state = 'queued', attempts = attempts + 1, last_error = ?1,"
	    " next_attempt_at = 0 WHERE state = 'sending'", "s", why) < 0)
		return -1;
	*count_r = (unsigned)sqlite3_changes(db->sqlite);
	return 0;
}

int
db_breaker_get(struct db *db, const char *server, struct breaker *b_r,
    char **error_r)
{
	sqlite3_stmt *st;
	int rc;

	memset(b_r, 0, sizeof(*b_r));
	if (db_prepare_bind(db, &st, error_r, "SELECT failures, opened,"
	    " open_until FROM smtp_breaker WHERE server = ?", "s", server) < 0)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		b_r->failures = (unsigned)sqlite3_column_int64(st, 0);
		b_r->opened = (unsigned)sqlite3_column_int64(st, 1);
		b_r->open_until = sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(db, "smtp breaker", error_r);
	return 0;
}

int
db_breaker_put(struct db *db, const char *server, const struct breaker *b,
    char **error_r)
{
	/* A closed breaker with no failures is the absence of a row. */
	if (b->failures == 0 && b->opened == 0)
		return db_run(db, "smtp breaker", error_r, "DELETE FROM"
		    " smtp_breaker WHERE server = ?", "s", server);
	return db_run(db, "smtp breaker", error_r, "INSERT OR REPLACE INTO"
	    " smtp_breaker (server, failures, opened, open_until)"
	    " VALUES (?, ?, ?, ?)", "suui", server, b->failures, b->opened,
	    b->open_until);
}

/*
 * The responder: the outbox as the sender, staff and the loop guard see it.
 */

static void
db_outbox_entry_free(struct db_outbox_entry *e)
{
	g_free(e->kind);
	g_free(e->recipient);
	g_free(e->in_reply_to);
	g_free(e->reply_message_id);
	g_free(e->state);
	g_free(e->last_error);
	g_free(e->data);
	g_free(e);
}

static struct db_outbox_entry *
db_outbox_entry_read(sqlite3_stmt *st)
{
	struct db_outbox_entry *e = g_new0(struct db_outbox_entry, 1);
	const void *blob;

	e->id = sqlite3_column_int64(st, 0);
	e->kind = db_column_dup(st, 1);
	e->recipient = db_column_dup(st, 2);
	e->in_reply_to = db_column_dup(st, 3);
	e->reply_message_id = db_column_dup(st, 4);
	e->state = db_column_dup(st, 5);
	e->attempts = sqlite3_column_int(st, 6);
	e->last_error = db_column_dup(st, 7);
	blob = sqlite3_column_blob(st, 8);
	e->data_len = (size_t)sqlite3_column_bytes(st, 8);
	e->data = g_malloc(e->data_len + 1);
	if (e->data_len > 0)
		memcpy(e->data, blob, e->data_len);
	e->data[e->data_len] = '\0';
	return e;
}

/*
 * The queued replies that are due (?2: also those waiting out a backoff),
 * and which of them the hourly limits let go now.  The limits are judged
 * in stages, each over what the stage before let through, so that
 * replies one limit holds take no place under the next: a victim's
 * thousand held corrections do not use up its domain's allowance, and a
 * flooded domain does not use up everyone's.
 *   by_mbox:   place among its mailbox's queued replies of its class
 *              (receipts, or refusals) plus what that mailbox was sent of
 *              that class in the last hour (?3 per mailbox and class: a
 *              stranger's forged mail naming someone's address must not
 *              use up the allowance their own receipts need);
 *   by_domain: capped kinds only (?6, a JSON array: the refusals), the
 *              same per recipient domain (?4);
 *   by_all:    capped kinds only, all together (?5).
 * 0 is no limit.  Kinds not capped (receipts) are limited per mailbox
 * only: no one else's mail can delay them.
 */
#define DB_OUTBOX_HOUR_AGO \
	"strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-3600 seconds')"
#define DB_OUTBOX_JUDGED \
	"WITH due AS (SELECT o.*, addr_key(o.recipient) AS mbox," \
	"  o.kind IN (SELECT value FROM json_each(?6)) AS capped" \
	"  FROM outbox o WHERE o.state = 'queued' AND (?2 OR" \
	"  o.next_attempt_at <= CAST(strftime('%s','now') AS INTEGER)))," \
	" sent AS MATERIALIZED (SELECT addr_key(recipient) AS mbox," \
	"  kind IN (SELECT value FROM json_each(?6)) AS capped" \
	"  FROM outbox WHERE sent_at >= " DB_OUTBOX_HOUR_AGO ")," \
	" by_mbox AS (SELECT due.*, ROW_NUMBER() OVER (PARTITION BY mbox," \
	"  capped ORDER BY id) + (SELECT COUNT(*) FROM sent WHERE" \
	"  sent.mbox = due.mbox AND sent.capped = due.capped) AS n FROM due)," \
	" pass_mbox AS (SELECT * FROM by_mbox WHERE ?3 = 0 OR n <= ?3)," \
	" by_domain AS (SELECT pass_mbox.*, CASE WHEN capped THEN" \
	"  ROW_NUMBER() OVER (PARTITION BY capped, addr_domain(mbox)" \
	"  ORDER BY id) + (SELECT COUNT(*) FROM sent WHERE sent.capped AND" \
	"  addr_domain(sent.mbox) = addr_domain(pass_mbox.mbox))" \
	"  ELSE 0 END AS nd FROM pass_mbox)," \
	" pass_domain AS (SELECT * FROM by_domain" \
	"  WHERE NOT capped OR ?4 = 0 OR nd <= ?4)," \
	" by_all AS (SELECT pass_domain.*, CASE WHEN capped THEN" \
	"  ROW_NUMBER() OVER (PARTITION BY capped ORDER BY id) +" \
	"  (SELECT COUNT(*) FROM sent WHERE sent.capped) ELSE 0 END AS na" \
	"  FROM pass_domain)," \
	" ready AS (SELECT * FROM by_all WHERE NOT capped OR ?5 = 0 OR" \
	"  na <= ?5) "

int
db_outbox_held(struct db *db, bool ignore_backoff,
    const struct db_outbox_limits *limits, struct db_outbox_held *held_r,
    char **error_r)
{
	sqlite3_stmt *st;
	int rc;

	memset(held_r, 0, sizeof(*held_r));
	if (db_prepare_bind(db, &st, error_r, DB_OUTBOX_JUDGED
	    "SELECT (SELECT COUNT(*) FROM due) - (SELECT COUNT(*) FROM"
	    " pass_mbox), (SELECT COUNT(*) FROM pass_mbox) - (SELECT COUNT(*)"
	    " FROM pass_domain), (SELECT COUNT(*) FROM pass_domain) -"
	    " (SELECT COUNT(*) FROM ready)", "uuuuus", 0u,
	    ignore_backoff ? 1u : 0u, limits->per_mailbox_hour,
	    limits->per_domain_hour, limits->capped_hour,
	    limits->capped_kinds) < 0)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		held_r->mailbox = (unsigned)sqlite3_column_int64(st, 0);
		held_r->domain = (unsigned)sqlite3_column_int64(st, 1);
		held_r->all = (unsigned)sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return db_error(db, "count held replies", error_r);
	return 0;
}

int
db_outbox_due(struct db *db, unsigned limit, bool ignore_backoff,
    const struct db_outbox_limits *limits,
    int (*fn)(struct db_outbox_entry *e, void *ctx), void *ctx,
    char **error_r)
{
	sqlite3_stmt *st;
	GPtrArray *entries = g_ptr_array_new();
	int rc, ret = 0;
	guint i;

	*error_r = NULL;
	/* Collect first, then call back: the callback updates the table.
	 * Replies the hourly limits hold are not selected at all: a flood
	 * to one address must not fill the batch and hold back everyone
	 * else's receipts.  Receipts come first: corrections queued ahead
	 * of them (anyone can provoke those) must not take the batch or the
	 * relay's allowance per minute before them. */
	if (db_prepare_bind(db, &st, error_r, DB_OUTBOX_JUDGED
	    "SELECT id, kind, recipient, in_reply_to, reply_message_id, state,"
	    " attempts, last_error, data FROM ready ORDER BY capped, id"
	    " LIMIT ?1",
	    "uuuuus", limit, ignore_backoff ? 1u : 0u,
	    limits->per_mailbox_hour, limits->per_domain_hour,
	    limits->capped_hour, limits->capped_kinds) < 0) {
		g_ptr_array_free(entries, TRUE);
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		g_ptr_array_add(entries, db_outbox_entry_read(st));
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		ret = db_error(db, "outbox", error_r);
	for (i = 0; i < entries->len; i++) {
		if (ret == 0 && fn(entries->pdata[i], ctx) < 0)
			ret = -1;
		db_outbox_entry_free(entries->pdata[i]);
	}
	g_ptr_array_free(entries, TRUE);
	if (ret < 0 && *error_r == NULL)
		*error_r = g_strdup("outbox: sending stopped");
	return ret;
}

int
db_outbox_any_due(struct db *db, char **error_r)
{
	/* The outbox_state index answers it without reading a reply. */
	return db_query_exists(db, "outbox", error_r, "SELECT 1 FROM outbox"
	    " WHERE state = 'sending' OR (state = 'queued' AND"
	    " next_attempt_at <= CAST(strftime('%s','now') AS INTEGER))"
	    " LIMIT 1", "");
}

int
db_outbox_sent_since(struct db *db, const char *recipient, const char *kinds,
    unsigned seconds, unsigned *count_r, char **error_r)
{
	int64_t count;

	/* sent_at is UTC text in one fixed format: compared as text. */
	if (db_query_int64(db, "count replies", &count, error_r,
	    "SELECT COUNT(*) FROM outbox WHERE sent_at >="
	    " strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-' || ?1 || ' seconds')"
	    " AND (?2 IS NULL OR addr_key(recipient) = addr_key(?2))"
	    " AND (?3 IS NULL OR kind IN (SELECT value FROM json_each(?3)))",
	    "uss", seconds, recipient, kinds) < 0)
		return -1;
	*count_r = (unsigned)count;
	return 0;
}

int
db_outbox_find(struct db *db, const char *reply_message_id, int64_t *id_r,
    char **state_r, char **recipient_r, char **error_r)
{
	sqlite3_stmt *st;
	int rc;

	if (db_prepare_bind(db, &st, error_r, "SELECT id, state, recipient"
	    " FROM outbox WHERE reply_message_id = ? ORDER BY id DESC LIMIT 1",
	    "s",
	    reply_message_id) < 0)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (id_r != NULL)
			*id_r = sqlite3_column_int64(st, 0);
		if (state_r != NULL)
			*state_r = db_column_dup(st, 1);
		if (recipient_r != NULL)
			*recipient_r = db_column_dup(st, 2);
		sqlite3_finalize(st);
		return 1;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(db, "outbox", error_r);
	return 0;
}

int
db_outbox_set_bounced(struct db *db, int64_t id, const char *why,
    char **error_r)
{
	/* A bounce may come back before we noted the reply as sent (a
	 * crash between SMTP and the update): it was sent all the same. */
	return db_run(db, "mark bounced", error_r, "UPDATE outbox SET"
	    " state = 'bounced', last_error = ?2, sent_at = COALESCE(sent_at,"
	    " strftime('%Y-%m-%dT%H:%M:%SZ','now')) WHERE id = ?1", "is", id,
	    why);
}

int
db_outbox_list(struct db *db, const char *state, const char *campaign,
    int (*fn)(const struct db_outbox_row *r, void *ctx), void *ctx,
    char **error_r)
{
	sqlite3_stmt *st;
	int rc;

	*error_r = NULL;
	/* A reminder or a summary answers no message: its campaign is
	 * its notice's. */
#define OUTBOX_LIST_SQL(state_test) "SELECT o.id," \
	    " COALESCE(m.campaign, n.campaign)," \
	    " o.kind, o.recipient, o.in_reply_to, o.reply_message_id," \
	    " o.state, o.attempts, o.last_error, o.created_at, o.sent_at," \
	    " o.next_attempt_at" \
	    " FROM outbox o LEFT JOIN messages m ON o.message_row = m.id" \
	    " LEFT JOIN notices n ON n.outbox_id = o.id" \
	    " WHERE " state_test \
	    " AND (?2 IS NULL OR COALESCE(m.campaign, n.campaign) = ?2)" \
	    " ORDER BY o.id"

	/* With a state, by its index: every start and every drain asks for
	 * the few replies left `sending`, and must not read the whole
	 * outbox of a full campaign to find none. */
	if (db_prepare_bind(db, &st, error_r, state != NULL ?
	    OUTBOX_LIST_SQL("o.state = ?1") : OUTBOX_LIST_SQL("?1 IS NULL"),
	    "ss", state, campaign) < 0)
		return -1;
#undef OUTBOX_LIST_SQL
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_outbox_row r = {
			.id = sqlite3_column_int64(st, 0),
			.campaign = (const char *)sqlite3_column_text(st, 1),
			.kind = (const char *)sqlite3_column_text(st, 2),
			.recipient = (const char *)sqlite3_column_text(st, 3),
			.in_reply_to = (const char *)sqlite3_column_text(st, 4),
			.reply_message_id =
			    (const char *)sqlite3_column_text(st, 5),
			.state = (const char *)sqlite3_column_text(st, 6),
			.attempts = sqlite3_column_int(st, 7),
			.last_error = (const char *)sqlite3_column_text(st, 8),
			.created_at = (const char *)sqlite3_column_text(st, 9),
			.sent_at = (const char *)sqlite3_column_text(st, 10),
			.next_attempt_at = sqlite3_column_int64(st, 11),
		};

		if (fn(&r, ctx) < 0)
			break;
	}
	return db_walk_end(db, st, rc, "outbox", "listing replies stopped",
	    error_r);
}

int
db_outbox_get(struct db *db, int64_t id, struct db_outbox_entry **e_r,
    char **error_r)
{
	sqlite3_stmt *st;
	int rc;

	*e_r = NULL;
	if (db_prepare_bind(db, &st, error_r, "SELECT id, kind, recipient,"
	    " in_reply_to, reply_message_id, state, attempts, last_error, data"
	    " FROM outbox WHERE id = ?", "i", id) < 0)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*e_r = db_outbox_entry_read(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc != SQLITE_DONE)
		return db_error(db, "outbox", error_r);
	return 0;
}

void
db_outbox_entry_free_ptr(struct db_outbox_entry **e)
{
	if (*e == NULL)
		return;
	db_outbox_entry_free(*e);
	*e = NULL;
}

int
db_outbox_requeue(struct db *db, int64_t id, const char *state,
    unsigned *count_r, char **error_r)
{
	/* Only what ended badly: a queued or sent reply stays as it is. */
	if (db_run(db, "requeue", error_r, "UPDATE outbox SET state = 'queued',"
	    " next_attempt_at = 0 WHERE state IN ('failed', 'bounced')"
	    " AND (?1 = 0 OR id = ?1) AND (?2 IS NULL OR state = ?2)", "is",
	    id, state) < 0)
		return -1;
	*count_r = (unsigned)sqlite3_changes(db->sqlite);
	return 0;
}

int
db_outbox_check(struct db *db,
    int (*fn)(const struct db_outbox_problem *p, void *ctx), void *ctx,
    char **error_r)
{
	sqlite3_stmt *st;
	int rc;

	*error_r = NULL;
	if (db_prepare(db, "SELECT o.id, o.state, o.recipient,"
	    " COALESCE(o.message_row, 0),"
	    " o.message_row IS NOT NULL AND m.id IS NULL,"
	    " (SELECT c.receipt FROM cases c WHERE c.message_row = o.message_row"
	    "  ORDER BY c.seq LIMIT 1)"
	    " FROM outbox o LEFT JOIN messages m ON m.id = o.message_row"
	    " WHERE o.state = 'sending'"
	    " OR (o.message_row IS NOT NULL AND m.id IS NULL) ORDER BY o.id",
	    &st, error_r) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_outbox_problem p = {
			.id = sqlite3_column_int64(st, 0),
			.state = (const char *)sqlite3_column_text(st, 1),
			.recipient = (const char *)sqlite3_column_text(st, 2),
			.message_row = sqlite3_column_int64(st, 3),
			.message_gone = sqlite3_column_int(st, 4) != 0,
			.receipt = (const char *)sqlite3_column_text(st, 5),
		};

		if (fn(&p, ctx) < 0)
			break;
	}
	return db_walk_end(db, st, rc, "outbox check", "outbox check stopped",
	    error_r);
}

int
db_outbox_unstick(struct db *db, int64_t id, char **error_r)
{
	/* Only the state: the stored message, its Message-ID and the
	 * attempts made stay as they were, so a reply that did go out is
	 * sent again under the same Message-ID and the recipient's client
	 * shows it once. */
	if (db_run(db, "requeue reply", error_r, "UPDATE outbox SET"
	    " state = 'queued' WHERE id = ?1 AND state = 'sending'", "i",
	    id) < 0)
		return -1;
	return sqlite3_changes(db->sqlite) == 1 ? 1 : 0;
}

int
db_outbox_answered(struct db *db, const char *reply_message_id,
    char **kind_r, char **ref_r, char **error_r)
{
	sqlite3_stmt *st;
	int rc;

	if (db_prepare_bind(db, &st, error_r, "SELECT o.kind,"
	    " COALESCE(m.receipt, upper(substr(m.sha256, 1, 8)))"
	    " FROM outbox o LEFT JOIN messages m ON m.id = o.message_row"
	    " WHERE o.reply_message_id = ? ORDER BY o.id DESC LIMIT 1", "s",
	    reply_message_id) < 0)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*kind_r = db_column_dup(st, 0);
		*ref_r = db_column_dup(st, 1);
		sqlite3_finalize(st);
		return 1;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(db, "outbox", error_r);
	return 0;
}
