/* db: see include/db.h. */
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
#include "fault.h"

/* Waiting for another subgate command holding the write lock (a staff
 * export, say) is better than failing a cycle. */
#define DB_BUSY_TIMEOUT_MS	10000

struct db {
	sqlite3 *sqlite;
	char *path;
	int sender_fd;		/* the sender lock while held, else -1 */
};

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
};

/*
 * Whose fault a SQLite result code is (include/fault.h).  Busy and locked
 * outlasted the busy timeout: another process holds the database.  The
 * rest are the disk or the file under the database, never the row being
 * written.
 */
static int
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
static int
db_error(struct db *db, const char *what, char **error_r)
{
	*error_r = g_strdup_printf("database: %s: %s", what,
	    sqlite3_errmsg(db->sqlite));
	return db_fault(sqlite3_extended_errcode(db->sqlite));
}

static int
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

static int
db_prepare(struct db *db, const char *sql, sqlite3_stmt **st_r,
    char **error_r)
{
	if (sqlite3_prepare_v2(db->sqlite, sql, -1, st_r, NULL) != SQLITE_OK)
		return db_error(db, "prepare", error_r);
	return 0;
}

static char *db_column_dup(sqlite3_stmt *st, int i);

static void
db_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

/* Steps a statement that returns no rows, then finalizes it. */
static int
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
static int
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
static int
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
static int
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
static int
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
	return db_query_exists(db, "messages", error_r,
	    "SELECT 1 FROM messages WHERE campaign = ?1 AND "
	    "(sha256 = ?3 OR (?2 <> '' AND message_id = ?2 AND "
	    "lower(coalesce(sender, '')) = lower(?4))) AND "
	    "outcome NOT IN ('failed') LIMIT 1", "ssss", campaign,
	    message_id ? message_id : "", sha256, sender ? sender : "");
}

int
db_message_add(struct db *db, const struct db_message *m, int64_t *row_r,
    char **error_r)
{
	sqlite3_stmt *st;
	int r;

	if ((r = db_prepare(db, "INSERT INTO messages (campaign, folder, "
	    "uidvalidity, uid, message_id, sha256, sender, subject, "
	    "received_at, outcome, reason, receipt) VALUES "
	    "(?,?,?,?,?,?,?,?,?,?,?,?)", &st, error_r)) < 0)
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
	if ((r = db_step_done(db, st, "record message", error_r)) < 0)
		return r;
	*row_r = sqlite3_last_insert_rowid(db->sqlite);
	return 0;
}

int
db_message_update(struct db *db, int64_t row, const struct db_message *m,
    char **error_r)
{
	int r;

	if ((r = db_run(db, "update message", error_r, "UPDATE messages SET"
	    " outcome = ?2, reason = ?3, receipt = ?4,"
	    " processed_at = strftime('%Y-%m-%dT%H:%M:%SZ','now')"
	    " WHERE id = ?1", "isss", row, m->outcome, m->reason,
	    m->receipt)) < 0)
		return r;
	if (sqlite3_changes(db->sqlite) != 1) {
		*error_r = g_strdup_printf("database: no message row %lld",
		    (long long)row);
		return -1;
	}
	return 0;
}

int
db_message_list_uncased(struct db *db, const char *campaign,
    const char *outcome, int (*fn)(int64_t row, const struct db_message *m,
    void *ctx), void *ctx, char **error_r)
{
	sqlite3_stmt *st;
	GArray *rows = g_array_new(FALSE, TRUE, sizeof(struct db_message));
	GArray *ids = g_array_new(FALSE, FALSE, sizeof(int64_t));
	int rc, ret = 0;
	guint i;

	/* Collect first: fn changes the table. */
	if (db_prepare_bind(db, &st, error_r, "SELECT id, campaign, folder,"
	    " uidvalidity, uid, sha256, sender, subject, message_id"
	    " FROM messages WHERE (?1 IS NULL OR campaign = ?1)"
	    " AND outcome = ?2 AND receipt IS NULL ORDER BY id", "ss",
	    campaign, outcome) < 0) {
		g_array_free(rows, TRUE);
		g_array_free(ids, TRUE);
		return -1;
	}
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
	}
	g_array_free(rows, TRUE);
	g_array_free(ids, TRUE);
	return ret;
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
	    " fields_json, received_at, message_row)"
	    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", "ssissssssssi", c->receipt,
	    c->campaign, seq, c->category, c->title, c->unit, c->sender,
	    c->status, c->dir, c->fields_json, c->received_at, message_row);
}

int
db_case_dir_exists(struct db *db, const char *dir, char **error_r)
{
	return db_query_exists(db, "cases", error_r,
	    "SELECT 1 FROM cases WHERE dir = ?", "s", dir);
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
    const char *sender, const char *title, char **receipt_r, char **dir_r,
    char **error_r)
{
	sqlite3_stmt *st;
	int rc;

	*receipt_r = *dir_r = NULL;
	if ((rc = db_prepare_bind(db, &st, error_r, "SELECT receipt, dir FROM "
	    "cases WHERE campaign = ?1 AND status = 'accepted'"
	    " AND ((?2 IS NOT NULL AND unit = ?2) OR (?2 IS NULL AND sender = ?3))"
	    " AND (?4 IS NULL OR title = ?4) ORDER BY seq DESC LIMIT 1", "ssss",
	    campaign, unit, sender, title)) < 0)
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

static char *
db_column_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *v = sqlite3_column_text(st, i);

	return v ? g_strdup((const char *)v) : NULL;
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
	    " received_at FROM cases WHERE"
	    " (?1 IS NULL OR campaign = ?1) AND (?2 IS NULL OR category = ?2)"
	    " AND (?3 IS NULL OR COALESCE(unit, sender) = ?3)"
	    " AND (?4 IS NULL OR status = ?4)"
	    " AND (?5 IS NULL OR received_at >= ?5)"
	    " AND (?6 IS NULL OR receipt = ?6)"
	    " ORDER BY campaign, seq", "ssssss", q->campaign, q->category,
	    q->unit, q->status, q->since, q->receipt) < 0)
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
		};

		if (fn(&c, ctx) < 0) {
			sqlite3_finalize(st);
			if (*error_r == NULL)
				*error_r = g_strdup("listing cases stopped");
			return -1;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(db, "cases", error_r);
	return 0;
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

		if (fn(&r, ctx) < 0) {
			sqlite3_finalize(st);
			if (*error_r == NULL)
				*error_r = g_strdup("listing replies stopped");
			return -1;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(db, "outbox", error_r);
	return 0;
}

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
		    " AND status NOT IN ('rejected', 'superseded', 'missing')"
		    " GROUP BY 1 ORDER BY 3 DESC, 1",
		[DB_COUNT_UNIT_CATEGORY] = "SELECT COALESCE(unit, sender),"
		    " category, COUNT(*) FROM cases"
		    " WHERE (?1 IS NULL OR campaign = ?1)"
		    " AND status NOT IN ('rejected', 'superseded', 'missing')"
		    " GROUP BY 1, 2 ORDER BY 1, 2",
		[DB_COUNT_STATUS] = "SELECT status, NULL, COUNT(*) FROM cases"
		    " WHERE (?1 IS NULL OR campaign = ?1)"
		    " GROUP BY 1 ORDER BY 3 DESC, 1",
		[DB_COUNT_OUTCOME] = "SELECT outcome, NULL, COUNT(*) FROM"
		    " messages WHERE (?1 IS NULL OR campaign = ?1)"
		    " GROUP BY 1 ORDER BY 3 DESC, 1",
		[DB_COUNT_REJECTION] = "SELECT reason, outcome, COUNT(*) FROM"
		    " messages WHERE (?1 IS NULL OR campaign = ?1)"
		    " AND outcome NOT IN ('accepted', 'duplicate')"
		    " GROUP BY 1, 2 ORDER BY 3 DESC, 1",
		[DB_COUNT_REPLY_STATE] = "SELECT o.kind, o.state, COUNT(*)"
		    " FROM outbox o JOIN messages m ON o.message_row = m.id"
		    " WHERE (?1 IS NULL OR m.campaign = ?1)"
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
		    sqlite3_column_int64(st, 2), ctx) < 0) {
			sqlite3_finalize(st);
			if (*error_r == NULL)
				*error_r = g_strdup("counting stopped");
			return -1;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(db, "count", error_r);
	return 0;
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

		if (fn(&r, (const char *)sqlite3_column_text(st, 5), ctx) < 0) {
			sqlite3_finalize(st);
			if (*error_r == NULL)
				*error_r = g_strdup("listing reviews stopped");
			return -1;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(db, "case reviews", error_r);
	return 0;
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
 *   by_mbox:   place among its mailbox's queued replies plus what that
 *              mailbox was sent in the last hour (?3 per mailbox);
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
	" by_mbox AS (SELECT due.*, ROW_NUMBER() OVER (PARTITION BY mbox" \
	"  ORDER BY id) + (SELECT COUNT(*) FROM sent" \
	"  WHERE sent.mbox = due.mbox) AS n FROM due)," \
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
	 * else's receipts. */
	if (db_prepare_bind(db, &st, error_r, DB_OUTBOX_JUDGED
	    "SELECT id, kind, recipient, in_reply_to, reply_message_id, state,"
	    " attempts, last_error, data FROM ready ORDER BY id LIMIT ?1",
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
db_outbox_sent_since(struct db *db, const char *recipient, unsigned seconds,
    unsigned *count_r, char **error_r)
{
	int64_t count;

	/* sent_at is UTC text in one fixed format: compared as text. */
	if (db_query_int64(db, "count replies", &count, error_r,
	    "SELECT COUNT(*) FROM outbox WHERE sent_at >="
	    " strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-' || ?1 || ' seconds')"
	    " AND (?2 IS NULL OR addr_key(recipient) = addr_key(?2))", "us",
	    seconds, recipient) < 0)
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
	if (db_prepare_bind(db, &st, error_r, "SELECT o.id, m.campaign,"
	    " o.kind, o.recipient, o.in_reply_to, o.reply_message_id, o.state,"
	    " o.attempts, o.last_error, o.created_at, o.sent_at,"
	    " o.next_attempt_at"
	    " FROM outbox o LEFT JOIN messages m ON o.message_row = m.id"
	    " WHERE (?1 IS NULL OR o.state = ?1)"
	    " AND (?2 IS NULL OR m.campaign = ?2) ORDER BY o.id", "ss", state,
	    campaign) < 0)
		return -1;
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

		if (fn(&r, ctx) < 0) {
			sqlite3_finalize(st);
			if (*error_r == NULL)
				*error_r = g_strdup("listing replies stopped");
			return -1;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(db, "outbox", error_r);
	return 0;
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
		if (fn(line, ctx) < 0) {
			sqlite3_finalize(st);
			if (*error_r == NULL)
				*error_r = g_strdup("integrity check stopped");
			return -1;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(db, "integrity check", error_r);
	return 0;
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
		    (const char *)sqlite3_column_text(st, 2), ctx) < 0) {
			sqlite3_finalize(st);
			if (*error_r == NULL)
				*error_r = g_strdup("foreign key check stopped");
			return -1;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(db, "foreign key check", error_r);
	return 0;
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
		    sqlite3_column_int64(st, 1), ctx) < 0) {
			sqlite3_finalize(st);
			if (*error_r == NULL)
				*error_r = g_strdup("receipt check stopped");
			return -1;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(db, "receipt check", error_r);
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

		if (fn(&p, ctx) < 0) {
			sqlite3_finalize(st);
			if (*error_r == NULL)
				*error_r = g_strdup("outbox check stopped");
			return -1;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(db, "outbox check", error_r);
	return 0;
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
