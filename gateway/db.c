/* db: opening, migrating and the query helpers; see include/db.h and
 * db-private.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
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
#include "reasoncode.h"

/* Waiting for another subgate command holding the write lock (a staff
 * export, say) is better than failing a cycle. */
#define DB_BUSY_TIMEOUT_MS	10000

/*
 * Schema migrations, applied in order; user_version records how many ran.
 * Never edit a migration that has shipped: add a new one.
 */
static const char *const db_migrations[] = {
	"CREATE TABLE folders ("
	"  campaign TEXT NOT NULL, folder TEXT NOT NULL,"
	"  uidvalidity INTEGER NOT NULL, last_uid INTEGER NOT NULL,"
	"  PRIMARY KEY (campaign, folder));"
	"CREATE TABLE messages ("
	"  id INTEGER PRIMARY KEY,"
	"  campaign TEXT NOT NULL, folder TEXT,"
	"  uidvalidity INTEGER, uid INTEGER,"
	"  message_id TEXT, sha256 TEXT NOT NULL,"
	"  sender TEXT, subject TEXT, received_at TEXT,"
	"  outcome TEXT NOT NULL, reason TEXT, receipt TEXT,"
	"  processed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));"
	"CREATE UNIQUE INDEX messages_uid ON messages (campaign, folder, uidvalidity, uid)"
	"  WHERE folder IS NOT NULL;"
	"CREATE INDEX messages_msgid ON messages (campaign, message_id);"
	"CREATE INDEX messages_sha ON messages (campaign, sha256);"
	"CREATE TABLE cases ("
	"  receipt TEXT PRIMARY KEY,"
	"  campaign TEXT NOT NULL, seq INTEGER NOT NULL,"
	"  category TEXT, title TEXT, unit TEXT, sender TEXT,"
	"  status TEXT NOT NULL, dir TEXT NOT NULL, fields_json TEXT,"
	"  received_at TEXT, message_row INTEGER REFERENCES messages(id),"
	"  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
	"  UNIQUE (campaign, seq));"
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  message_row INTEGER REFERENCES messages(id),"
	"  kind TEXT NOT NULL, recipient TEXT NOT NULL,"
	"  in_reply_to TEXT, reply_message_id TEXT NOT NULL,"
	"  data BLOB NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'queued',"
	"  attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT,"
	"  next_attempt_at INTEGER NOT NULL DEFAULT 0,"
	"  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
	"  sent_at TEXT);"
	"CREATE INDEX outbox_state ON outbox (state, id);",
	/* 2: failed attempts per UID, so one message that keeps failing is
	 * quarantined instead of blocking the folder; case lookups for
	 * quotas and resubmission. */
	"CREATE TABLE attempts ("
	"  campaign TEXT NOT NULL, folder TEXT NOT NULL,"
	"  uidvalidity INTEGER NOT NULL, uid INTEGER NOT NULL,"
	"  count INTEGER NOT NULL, last_error TEXT,"
	"  PRIMARY KEY (campaign, folder, uidvalidity, uid));"
	"CREATE INDEX cases_unit ON cases (campaign, unit, category);"
	"CREATE INDEX cases_sender ON cases (campaign, sender);",
	/* 3: staff decisions on a case: who, when, what changed and why. */
	"CREATE TABLE case_reviews ("
	"  id INTEGER PRIMARY KEY,"
	"  receipt TEXT NOT NULL REFERENCES cases(receipt),"
	"  action TEXT NOT NULL, status TEXT NOT NULL, reason TEXT,"
	"  changes_json TEXT, reviewer TEXT NOT NULL,"
	"  reviewed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));"
	"CREATE INDEX case_reviews_receipt ON case_reviews (receipt, id);",
	/* 4: the responder's lookups: a bounce or a reply to one of our
	 * replies names it by Message-ID; rate limits count what went to one
	 * recipient, and to everyone, lately. */
	"CREATE INDEX outbox_reply_id ON outbox (reply_message_id);"
	"CREATE INDEX outbox_recipient_sent ON outbox (recipient, sent_at);"
	"CREATE INDEX outbox_sent ON outbox (sent_at);",
	/* 5: the outbox's circuit breaker per SMTP server, so that a relay
	 * that hangs is left alone across cycles and across processes
	 * (`once` from a timer, `outbox send`). */
	"CREATE TABLE smtp_breaker ("
	"  server TEXT PRIMARY KEY,"
	"  failures INTEGER NOT NULL, opened INTEGER NOT NULL,"
	"  open_until INTEGER NOT NULL);",
	/* 6: cases by folder: start-up recovery asks for each case folder
	 * in the store whether a case records it, and without this index
	 * each question read the whole table (2.4 s of processor time at
	 * 10,000 cases, before every once and ingest). */
	"CREATE INDEX cases_dir ON cases (dir);",
	/* 7: the batch a case arrived in (campaign_batch_for(): the date
	 * of the campaign's next cut-off), so staff hand on one batch at a
	 * time; NULL for a campaign without batches and older cases. */
	"ALTER TABLE cases ADD COLUMN batch TEXT;",
	/* 8: one case per work.  A mail of several works (per_mail = many)
	 * makes several cases, numbered 1..N by group_pos within their
	 * message (NULL: a case made one per mail), and the message records
	 * how many works it carried (NULL: judged before works).  A group is
	 * its message_row, never adjacent receipt numbers; the index finds
	 * it. */
	"ALTER TABLE cases ADD COLUMN group_pos INTEGER;"
	"ALTER TABLE messages ADD COLUMN work_count INTEGER;"
	"CREATE INDEX IF NOT EXISTS cases_message ON cases (message_row);",
	/* Staff decisions on who speaks for a unit ([policy] sender_check =
	 * confirm): a sender's mailbox (db_address_key()) confirmed or
	 * refused for one unit of one campaign, by whom and when.  Written
	 * to stand on its own (IF NOT EXISTS, no other migration's
	 * columns), whichever number it runs as. */
	"CREATE TABLE IF NOT EXISTS unit_senders ("
	"  campaign TEXT NOT NULL, unit TEXT NOT NULL, address TEXT NOT NULL,"
	"  state TEXT NOT NULL CHECK (state IN ('confirmed', 'refused')),"
	"  decided_by TEXT NOT NULL,"
	"  decided_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
	"  PRIMARY KEY (campaign, unit, address));",
	/* Every work of a mail, filed or not, written with its cases: a
	 * work refused beside filed ones (over a quota, a short series) is
	 * on record for stats, the index and reprocess, not only in the
	 * reply.  receipt is the work's case, NULL when it was refused.  A
	 * mail judged before this has none: readers go by its messages row.
	 * IF NOT EXISTS: it stands alone, whatever runs before it. */
	"CREATE TABLE IF NOT EXISTS message_works ("
	"  message_row INTEGER NOT NULL REFERENCES messages(id),"
	"  pos INTEGER NOT NULL,"
	"  title TEXT, category TEXT, unit TEXT, work_key TEXT,"
	"  outcome TEXT NOT NULL, policy TEXT, reason TEXT,"
	"  receipt TEXT REFERENCES cases(receipt),"
	"  PRIMARY KEY (message_row, pos));"
	"CREATE INDEX IF NOT EXISTS message_works_refused"
	"  ON message_works (message_row) WHERE receipt IS NULL;",
	/* Files the virus scanner found infected ([policy] scan = clamd),
	 * one row each, recorded with the mail refused for them: the
	 * signature, the file as the submitter named it, and where the file
	 * (path) and the mail that carried it (message_path) are kept,
	 * relative to the quarantine directory (never the store).  IF NOT
	 * EXISTS: it stands alone, whatever runs before it. */
	"CREATE TABLE IF NOT EXISTS quarantine ("
	"  id INTEGER PRIMARY KEY,"
	"  campaign TEXT NOT NULL,"
	"  message_row INTEGER NOT NULL REFERENCES messages(id),"
	"  sha256 TEXT NOT NULL, original_name TEXT, signature TEXT NOT NULL,"
	"  path TEXT NOT NULL, message_path TEXT NOT NULL,"
	"  created_at TEXT NOT NULL"
	"    DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));"
	"CREATE INDEX IF NOT EXISTS quarantine_message"
	"  ON quarantine (message_row);",
	/* The cloud attachment links (超大附件, shares) filed with a case,
	 * one per (receipt, pos): recorded on arrival (state pending),
	 * what a fetch learns written later.  expires_at is UTC ISO 8601
	 * (2024-09-12T02:30:00Z), so it compares with strftime('now');
	 * NULL: no expiry known, or none.  IF NOT EXISTS: it stands alone,
	 * whatever runs before it. */
	"CREATE TABLE IF NOT EXISTS case_links ("
	"  receipt TEXT NOT NULL REFERENCES cases(receipt), pos INTEGER NOT NULL,"
	"  provider TEXT NOT NULL, url TEXT NOT NULL, name TEXT, size INTEGER,"
	"  expires_at TEXT, pass_code TEXT, role TEXT, kind TEXT,"
	"  state TEXT NOT NULL DEFAULT 'pending',"
	"  fetched_bytes INTEGER NOT NULL DEFAULT 0, sha256 TEXT, saved_as TEXT,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt_at INTEGER NOT NULL DEFAULT 0,"
	"  last_error TEXT, warned_at TEXT,"
	"  PRIMARY KEY (receipt, pos));"
	"CREATE INDEX IF NOT EXISTS case_links_due"
	"  ON case_links (state, next_attempt_at);"
	"CREATE INDEX IF NOT EXISTS case_links_expiry"
	"  ON case_links (state, expires_at);",
	/* People's questions (question.h): a mail that answers a reply of
	 * ours without files, from a person.  answers is the receipt or
	 * 查询码 of the reply it answers; forwarded_to the staff address it
	 * went to (NULL: kept for staff only); acknowledged whether the
	 * asker was told (once per interval).  IF NOT EXISTS: it stands
	 * alone, whatever runs before it. */
	"CREATE TABLE IF NOT EXISTS questions ("
	"  id INTEGER PRIMARY KEY,"
	"  campaign TEXT NOT NULL,"
	"  message_row INTEGER NOT NULL REFERENCES messages(id),"
	"  sender TEXT NOT NULL, subject TEXT, body TEXT, answers TEXT,"
	"  received_at TEXT, forwarded_to TEXT,"
	"  acknowledged INTEGER NOT NULL DEFAULT 0,"
	"  state TEXT NOT NULL DEFAULT 'open'"
	"    CHECK (state IN ('open', 'done')),"
	"  done_by TEXT, done_at TEXT,"
	"  created_at TEXT NOT NULL"
	"    DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));"
	"CREATE INDEX IF NOT EXISTS questions_state"
	"  ON questions (campaign, state);"
	"CREATE INDEX IF NOT EXISTS questions_sender"
	"  ON questions (sender, created_at);",
	/* Mail of ours that answers no message (notice.h): a reminder to a
	 * roster unit before the deadline, the staff's daily summary, and
	 * each [remind] at point `run` has acted on (a row without a
	 * mail).  Its outbox row has no message_row; outbox_id names it.
	 * One summary per campaign and local day, one run per point, by
	 * unique indexes: a second is refused by the database itself.  IF
	 * NOT EXISTS: it stands alone, whatever runs before it. */
	"CREATE TABLE IF NOT EXISTS notices ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL"
	"    CHECK (kind IN ('reminder', 'summary', 'remind-point')),"
	"  campaign TEXT NOT NULL,"
	"  unit TEXT, day TEXT, point TEXT, since TEXT, until TEXT,"
	"  outbox_id INTEGER REFERENCES outbox(id),"
	"  created_at TEXT NOT NULL"
	"    DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));"
	"CREATE INDEX IF NOT EXISTS notices_unit"
	"  ON notices (campaign, kind, unit, created_at);"
	"CREATE INDEX IF NOT EXISTS notices_outbox ON notices (outbox_id);"
	"CREATE UNIQUE INDEX IF NOT EXISTS notices_summary_day"
	"  ON notices (campaign, day) WHERE kind = 'summary';"
	"CREATE UNIQUE INDEX IF NOT EXISTS notices_point"
	"  ON notices (campaign, point) WHERE kind = 'remind-point';",
	/* Why a mail (pos 0) or its work pos was not filed, as a code staff
	 * count by (reasoncode.h): the text of reason is the reply's,
	 * different for every unit and title.  No row: filed, or recorded
	 * before codes (readers then guess it from the outcome and policy).
	 * A table of its own, IF NOT EXISTS: it stands alone, whatever runs
	 * before it. */
	"CREATE TABLE IF NOT EXISTS reason_codes ("
	"  message_row INTEGER NOT NULL REFERENCES messages(id),"
	"  pos INTEGER NOT NULL, code TEXT NOT NULL,"
	"  PRIMARY KEY (message_row, pos));",
	/* What a case's registration form (报名表) said, read from its
	 * .docx by the campaign's form.LABEL = FIELD keys: the fields
	 * object ({"制作单位": "..."}), so that the index and the summary
	 * table show them without opening case.json.  NULL: no form read.
	 * It needs only migration 1's cases table, whatever runs before it. */
	"ALTER TABLE cases ADD COLUMN form_json TEXT;",
};

/*
 * Whose fault a SQLite result code is (include/fault.h).  Busy and locked
 * outlasted the busy timeout: another process holds the database.  The
 * rest are the disk or the file under the database, never the row being
 * written.
 */
int
db_fault(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_READONLY:
	case SQLITE_CANTOPEN:
	case SQLITE_PERM:
	case SQLITE_NOMEM:
	case SQLITE_PROTOCOL:
	case SQLITE_NOLFS:
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return FAULT_ENVIRONMENT;
	default:
		return -1;
	}
}

/* The handle keeps the code of the last failure, finalize or not. */
int
db_error(struct db *db, const char *what, char **error_r)
{
	*error_r = g_strdup_printf("database: %s: %s", what,
	    sqlite3_errmsg(db->sqlite));
	return db_fault(sqlite3_extended_errcode(db->sqlite));
}

int
db_walk_end(struct db *db, sqlite3_stmt *st, int rc, const char *what,
    const char *stopped, char **error_r)
{
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW) {
		/* The caller's callback stopped the walk and, most often,
		 * said why. */
		if (*error_r == NULL)
			*error_r = g_strdup(stopped);
		return -1;
	}
	if (rc != SQLITE_DONE)
		return db_error(db, what, error_r);
	return 0;
}

int
db_exec(struct db *db, const char *sql, char **error_r)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db->sqlite, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		*error_r = g_strdup_printf("database: %s", msg ? msg : "error");
		sqlite3_free(msg);
		return db_fault(rc);
	}
	return 0;
}

static int
db_migrate(struct db *db, char **error_r)
{
	sqlite3_stmt *st;
	int version;
	size_t i;

	if (sqlite3_prepare_v2(db->sqlite, "PRAGMA user_version", -1, &st,
	    NULL) != SQLITE_OK)
		return db_error(db, "user_version", error_r);
	version = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	if (version > (int)G_N_ELEMENTS(db_migrations)) {
		*error_r = g_strdup_printf("database: schema version %d is newer "
		    "than this subgate knows (%zu)", version,
		    G_N_ELEMENTS(db_migrations));
		return -1;
	}
	for (i = (size_t)version; i < G_N_ELEMENTS(db_migrations); i++) {
		g_autofree char *bump = g_strdup_printf(
		    "PRAGMA user_version = %zu", i + 1);

		if (db_exec(db, "BEGIN IMMEDIATE", error_r) < 0)
			return -1;
		if (db_exec(db, db_migrations[i], error_r) < 0 ||
		    db_exec(db, bump, error_r) < 0) {
			db_rollback(db);
			return -1;
		}
		if (db_exec(db, "COMMIT", error_r) < 0)
			return -1;
	}
	return 0;
}

char *
db_address_key(const char *address)
{
	const char *at = address != NULL ? strrchr(address, '@') : NULL;
	const char *plus = at != NULL ?
	    memchr(address, '+', (size_t)(at - address)) : NULL;
	g_autofree char *key = NULL;

	if (address == NULL)
		return g_strdup("");
	if (plus != NULL && plus > address)
		key = g_strdup_printf("%.*s%s", (int)(plus - address), address,
		    at);
	else
		key = g_strdup(address);
	return g_ascii_strdown(key, -1);
}

/* addr_key(x) in SQL: db_address_key(), so the rate limits count one
 * mailbox once however its address is written. */
static void
db_sql_address_key(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char *v = argc == 1 ? sqlite3_value_text(argv[0]) : NULL;
	char *key;

	if (v == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	key = db_address_key((const char *)v);
	sqlite3_result_text(ctx, key, -1, g_free);
}

/* addr_domain(key) in SQL: the domain of an address key, for the hourly
 * limit per recipient domain. */
static void
db_sql_address_domain(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *v = argc == 1 ?
	    (const char *)sqlite3_value_text(argv[0]) : NULL;
	const char *at = v != NULL ? strrchr(v, '@') : NULL;

	if (v == NULL)
		sqlite3_result_null(ctx);
	else
		sqlite3_result_text(ctx, at != NULL ? at + 1 : "", -1,
		    SQLITE_TRANSIENT);
}

/* reason_code(code, outcome, policy, reason) in SQL: the code recorded,
 * else reasoncode_guess() of a row recorded before codes, so that counts
 * group old rows and new ones alike. */
static void
db_sql_reason_code(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *v[4] = { NULL, NULL, NULL, NULL };
	int i;

	for (i = 0; i < argc && i < 4; i++)
		v[i] = (const char *)sqlite3_value_text(argv[i]);
	sqlite3_result_text(ctx, v[0] != NULL ? v[0] :
	    reasoncode_guess(v[1], v[2], v[3]), -1, SQLITE_TRANSIENT);
}

/* row_hash(v, ...): an aggregate, the sum of an FNV-1a hash of each
 * row's values: what a page of the index shows changes it, and the order
 * the rows come in does not. */
static void
db_sql_row_hash_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	sqlite3_uint64 *sum = sqlite3_aggregate_context(ctx, sizeof(*sum));
	sqlite3_uint64 h = 0xcbf29ce484222325ULL;
	int i;

	if (sum == NULL)
		return;
	for (i = 0; i < argc; i++) {
		const unsigned char *p = sqlite3_value_text(argv[i]);

		if (p == NULL)
			h = (h ^ 0x01) * 0x100000001b3ULL;
		else
			for (; *p != '\0'; p++)
				h = (h ^ *p) * 0x100000001b3ULL;
		h = (h ^ 0x1f) * 0x100000001b3ULL;
	}
	*sum += h;
}

static void
db_sql_row_hash_final(sqlite3_context *ctx)
{
	sqlite3_uint64 *sum = sqlite3_aggregate_context(ctx, 0);

	sqlite3_result_int64(ctx, sum != NULL ? (sqlite3_int64)*sum : 0);
}

int
db_open(const char *path, struct db **db_r, char **error_r)
{
	struct db *db = g_new0(struct db, 1);

	*db_r = NULL;
	db->path = g_strdup(path);
	db->sender_fd = -1;
	if (sqlite3_open_v2(path, &db->sqlite, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		*error_r = g_strdup_printf("database %s: %s", path,
		    db->sqlite ? sqlite3_errmsg(db->sqlite) : "out of memory");
		db_close(&db);
		return -1;
	}
	sqlite3_busy_timeout(db->sqlite, DB_BUSY_TIMEOUT_MS);
	sqlite3_create_function(db->sqlite, "addr_key", 1, SQLITE_UTF8 |
	    SQLITE_DETERMINISTIC, NULL, db_sql_address_key, NULL, NULL);
	sqlite3_create_function(db->sqlite, "addr_domain", 1, SQLITE_UTF8 |
	    SQLITE_DETERMINISTIC, NULL, db_sql_address_domain, NULL, NULL);
	sqlite3_create_function(db->sqlite, "reason_code", 4, SQLITE_UTF8 |
	    SQLITE_DETERMINISTIC, NULL, db_sql_reason_code, NULL, NULL);
	sqlite3_create_function(db->sqlite, "row_hash", -1, SQLITE_UTF8 |
	    SQLITE_DETERMINISTIC, NULL, NULL, db_sql_row_hash_step,
	    db_sql_row_hash_final);
	/* WAL: staff commands read while the daemon writes.  synchronous
	 * FULL: a committed case survives a power cut, because the mailbox
	 * is touched only after the commit. */
	if (db_exec(db, "PRAGMA journal_mode = WAL", error_r) < 0 ||
	    db_exec(db, "PRAGMA synchronous = FULL", error_r) < 0 ||
	    db_exec(db, "PRAGMA foreign_keys = ON", error_r) < 0 ||
	    db_migrate(db, error_r) < 0) {
		char *e = g_strdup_printf("%s: %s", path, *error_r);

		g_free(*error_r);
		*error_r = e;
		db_close(&db);
		return -1;
	}
	*db_r = db;
	return 0;
}

void
db_close(struct db **dbp)
{
	struct db *db = *dbp;

	if (db == NULL)
		return;
	*dbp = NULL;
	db_sender_release(db);
	sqlite3_close(db->sqlite);
	g_free(db->path);
	g_free(db);
}

int
db_begin(struct db *db, char **error_r)
{
	return db_exec(db, "BEGIN IMMEDIATE", error_r);
}

int
db_commit(struct db *db, char **error_r)
{
	return db_exec(db, "COMMIT", error_r);
}

void
db_rollback(struct db *db)
{
	sqlite3_exec(db->sqlite, "ROLLBACK", NULL, NULL, NULL);
}

int
db_prepare(struct db *db, const char *sql, sqlite3_stmt **st_r,
    char **error_r)
{
	if (sqlite3_prepare_v2(db->sqlite, sql, -1, st_r, NULL) != SQLITE_OK)
		return db_error(db, "prepare", error_r);
	return 0;
}

char *db_column_dup(sqlite3_stmt *st, int i);

void
db_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

/* Steps a statement that returns no rows, then finalizes it. */
int
db_step_done(struct db *db, sqlite3_stmt *st, const char *what,
    char **error_r)
{
	int rc = sqlite3_step(st);

	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(db, what, error_r);
	return 0;
}

/*
 * Prepare, bind and step in one place.  Nearly every query below is the
 * same few calls; written out by hand thirty times, sooner or later one
 * forgets to finalize its statement on some path or to look at what the
 * step returned.  The parameters follow as varargs, one letter of types
 * each, in parameter order ?1, ?2, ... (not the order in which they appear
 * in the SQL text, which may well be ?3 before ?2):
 *
 *   's'  const char *; NULL binds SQL NULL
 *   'i'  int64_t.  Varargs do not convert to it: a plain int or unsigned
 *        passed here is read as 64 bits that were never passed, so pass
 *        an int64_t variable or cast to one.
 *   'u'  unsigned int, and so uint32_t (the same type here)
 *   'b'  const void *data, then size_t length: a BLOB, NULL data binds NULL
 *
 * A types string that does not match the statement's parameters is our
 * bug and asserts.  Queries that read several columns or walk rows step
 * a db_prepare_bind() statement themselves; the one statement that binds
 * some parameters only sometimes (db_message_add) binds by hand.
 */
G_STATIC_ASSERT(sizeof(uint32_t) == sizeof(unsigned));

static int
db_prepare_bindv(struct db *db, sqlite3_stmt **st_r, char **error_r,
    const char *sql, const char *types, va_list ap)
{
	sqlite3_stmt *st;
	int i, r;

	if ((r = db_prepare(db, sql, &st, error_r)) < 0)
		return r;
	g_assert(strlen(types) == (size_t)sqlite3_bind_parameter_count(st));
	for (i = 0; types[i] != '\0'; i++) {
		switch (types[i]) {
		case 's':
			db_bind_text(st, i + 1, va_arg(ap, const char *));
			break;
		case 'i':
			sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
			break;
		case 'u':
			sqlite3_bind_int64(st, i + 1, va_arg(ap, unsigned));
			break;
		case 'b': {
			const void *data = va_arg(ap, const void *);
			size_t len = va_arg(ap, size_t);

			sqlite3_bind_blob64(st, i + 1, data, len,
			    SQLITE_TRANSIENT);
			break;
		}
		default:
			g_assert_not_reached();
		}
	}
	*st_r = st;
	return 0;
}

/* A statement ready to step, for queries that walk their rows. */
int
db_prepare_bind(struct db *db, sqlite3_stmt **st_r, char **error_r,
    const char *sql, const char *types, ...)
{
	va_list ap;
	int ret;

	va_start(ap, types);
	ret = db_prepare_bindv(db, st_r, error_r, sql, types, ap);
	va_end(ap);
	return ret;
}

/* Runs a statement that returns no rows; a step that does not finish is
 * an error named what. */
int
db_run(struct db *db, const char *what, char **error_r, const char *sql,
    const char *types, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	int ret;

	va_start(ap, types);
	ret = db_prepare_bindv(db, &st, error_r, sql, types, ap);
	va_end(ap);
	if (ret < 0)
		return ret;
	return db_step_done(db, st, what, error_r);
}

/*
 * Steps a query once: 1 with the integer in column 0 in *v_r (may be
 * NULL) when a row came back, 0 when none did.  A statement that writes
 * (INSERT ... RETURNING) is stepped to its end: in autocommit its commit
 * happens only there, and a commit that fails (a full disk) must not
 * leave a value that was never stored looking as if it were.
 */
static int
db_query_onev(struct db *db, const char *what, int64_t *v_r,
    char **error_r, const char *sql, const char *types, va_list ap)
{
	sqlite3_stmt *st;
	int64_t v = 0;
	int rc, end = SQLITE_DONE, r;

	if ((r = db_prepare_bindv(db, &st, error_r, sql, types, ap)) < 0)
		return r;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		v = sqlite3_column_int64(st, 0);
		if (!sqlite3_stmt_readonly(st))
			while ((end = sqlite3_step(st)) == SQLITE_ROW)
				;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW && end == SQLITE_DONE) {
		if (v_r != NULL)
			*v_r = v;
		return 1;
	}
	if (rc == SQLITE_DONE)
		return 0;
	return db_error(db, what, error_r);
}

/* 1 when the query yields a row, 0 when not. */
int
db_query_exists(struct db *db, const char *what, char **error_r,
    const char *sql, const char *types, ...)
{
	va_list ap;
	int ret;

	va_start(ap, types);
	ret = db_query_onev(db, what, NULL, error_r, sql, types, ap);
	va_end(ap);
	return ret;
}

/* The one integer a query always yields (a COUNT, a RETURNING); no row
 * is an error like a failed step. */
int
db_query_int64(struct db *db, const char *what, int64_t *v_r,
    char **error_r, const char *sql, const char *types, ...)
{
	va_list ap;
	int ret;

	va_start(ap, types);
	ret = db_query_onev(db, what, v_r, error_r, sql, types, ap);
	va_end(ap);
	if (ret == 0)
		return db_error(db, what, error_r);
	return ret < 0 ? ret : 0;
}

char *
db_column_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *v = sqlite3_column_text(st, i);

	return v ? g_strdup((const char *)v) : NULL;
}
