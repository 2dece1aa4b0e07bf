/* db: schema, folder positions, duplicates, the outbox, staff queries. */
#include <glib.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "mail_record.h"
#include "test.h"

/* The schema version before message_works (migration 10) was added: the
 * migrations after it stand alone (IF NOT EXISTS), so a database rewound
 * to it runs them again harmlessly, however many are appended. */
#define DB_VERSION_BEFORE_WORKS	9

/* No hourly limit: the plain due-list. */
static const struct db_outbox_limits no_limits = { 0, 0, 0, "[]" };

static int
count_cb(struct db_outbox_entry *e, void *ctx)
{
	unsigned *n = ctx;

	(void)e;
	(*n)++;
	return 0;
}

static int
uncased_cb(int64_t row, const struct db_message *m, void *ctx)
{
	unsigned *n = ctx;

	(*n)++;
	return row == 1 && m->uidvalidity == 7 && m->uid == 3 &&
	    strcmp(m->sha256, "00ff") == 0 ? 0 : -1;
}

/* Stops a walk at its first row; says why when ctx is not NULL. */
static int
stop_cb(const struct db_case *c, void *ctx)
{
	(void)c;
	if (ctx != NULL)
		*(char **)ctx = g_strdup("stopped here");
	return -1;
}

static int
case_cb(const struct db_case *c, void *ctx)
{
	unsigned *n = ctx;

	(void)c;
	(*n)++;
	return 0;
}

/* Counts cases that carry a batch. */
static int
batch_cb(const struct db_case *c, void *ctx)
{
	unsigned *n = ctx;

	if (c->batch != NULL)
		(*n)++;
	return 0;
}

/* The first case's batch, "(null)" for none. */
static int
first_batch_cb(const struct db_case *c, void *ctx)
{
	char **got = ctx;

	if (*got == NULL)
		*got = g_strdup(c->batch ? c->batch : "(null)");
	return 0;
}

static int
reply_cb(const struct db_reply *r, void *ctx)
{
	unsigned *n = ctx;

	(void)r;
	(*n)++;
	return 0;
}

static int
row_cb(const struct db_outbox_row *r, void *ctx)
{
	unsigned *n = ctx;

	(void)r;
	(*n)++;
	return 0;
}

static int
review_cb(const struct db_case_review *r, const char *reviewed_at, void *ctx)
{
	unsigned *n = ctx;

	(void)reviewed_at;
	(*n)++;
	return strcmp(r->action, "accept") == 0 ? 0 : -1;
}

static int
count_group_cb(const char *key, const char *key2, int64_t n, void *ctx)
{
	int64_t *total = ctx;

	(void)key;
	(void)key2;
	*total += n;
	return 0;
}

/* The queries staff and the responder use, each parameter checked to reach
 * its place: numbers bound out of text order, UIDs with the top bit set, a
 * reply body with a NUL in it. */
static void
check_queries(struct db *db)
{
	g_autofree char *error = NULL;
	g_autofree char *receipt = NULL, *dir = NULL, *state = NULL;
	struct db_outbox_entry *e = NULL;
	uint32_t v = 0, last = 0;
	unsigned n = 0;
	int64_t id = 0, total = 0;
	struct db_case c2 = {
		.receipt = "C1-00002", .campaign = "c1", .status = "accepted",
		.dir = "c1/u/C1-00002-t", .unit = "U1", .sender = "s@x",
		.title = "T", .batch = "2020-08-28",
	};
	struct db_message failed = { .outcome = "failed", .reason = "io" };
	struct db_case_review r = {
		.receipt = "C1-00002", .action = "accept", .status = "accepted",
		.reviewer = "staff", .category = "cat",
	};
	struct db_case_query q = { .campaign = "c1", .unit = "U1" };
	static const char body[] = "hello\0world";

	TEST_CHECK("folder-high-uids", db_folder_set(db, "c1", "Big",
	    4000000000u, 4294967295u, &error) == 0 && db_folder_get(db, "c1",
	    "Big", &v, &last, &error) == 1 && v == 4000000000u &&
	    last == 4294967295u);
	TEST_CHECK("dir-exists", db_case_dir_exists(db, "c1/x/C1-00001-t",
	    &error) == 1);
	TEST_CHECK("dir-missing", db_case_dir_exists(db, "c1/x/nope",
	    &error) == 0);
	TEST_CHECK("case-add-unit", db_case_add(db, &c2, 1, &error) == 0);
	TEST_CHECK("count-campaign", db_case_count(db, "c1", NULL, NULL, NULL,
	    &n, &error) == 0 && n == 2);
	TEST_CHECK("count-unit", db_case_count(db, "c1", "U1", "s@x", NULL,
	    &n, &error) == 0 && n == 1);
	TEST_CHECK("count-category", db_case_count(db, "c1", NULL, NULL, "x",
	    &n, &error) == 0 && n == 0);
	TEST_CHECK("find-same", db_case_find_same(db, "c1", "U1", NULL, "T",
	    NULL, &receipt, &dir, &error) == 1);
	TEST_CHECK_STR("find-same-receipt", receipt, "C1-00002");
	TEST_CHECK_STR("find-same-dir", dir, "c1/u/C1-00002-t");
	g_clear_pointer(&receipt, g_free);
	g_clear_pointer(&dir, g_free);
	TEST_CHECK("find-same-other-title", db_case_find_same(db, "c1", "U1",
	    NULL, "T2", NULL, &receipt, &dir, &error) == 0 && receipt == NULL);
	TEST_CHECK("find-same-other-category", db_case_find_same(db, "c1",
	    "U1", NULL, "T", "纪录片", &receipt, &dir, &error) == 0 &&
	    receipt == NULL);
	TEST_CHECK("set-status", db_case_set_status(db, "C1-00002",
	    "superseded", &error) == 0 && db_case_count(db, "c1", "U1", NULL,
	    NULL, &n, &error) == 0 && n == 0);
	TEST_CHECK("attempt-first", db_attempt_fail(db, "c1", "INBOX",
	    4000000000u, 9, "boom", &n, &error) == 0 && n == 1);
	TEST_CHECK("attempt-again", db_attempt_fail(db, "c1", "INBOX",
	    4000000000u, 9, "boom", &n, &error) == 0 && n == 2);
	TEST_CHECK("attempt-other-uid", db_attempt_fail(db, "c1", "INBOX",
	    4000000000u, 10, "boom", &n, &error) == 0 && n == 1);

	TEST_CHECK("message-update", db_message_update(db, 1, &failed,
	    &error) == 0);
	TEST_CHECK("failed-not-known", db_message_known(db, "c1", "a@b",
	    "unit@example.test", "00ff", &error) == 0);
	TEST_CHECK("message-update-missing", db_message_update(db, 999,
	    &failed, &error) < 0);
	g_clear_pointer(&error, g_free);
	n = 0;
	TEST_CHECK("list-uncased", db_message_list_uncased(db, "c1", "failed",
	    uncased_cb, &n, &error) == 0 && n == 1);

	TEST_CHECK("case-outbox-add", db_case_outbox_add(db, "C1-00002",
	    "decision", "s@x", NULL, "dec.1@z", body, sizeof(body) - 1,
	    &error) == 0);
	TEST_CHECK("case-outbox-add-missing", db_case_outbox_add(db,
	    "C1-09999", "decision", "s@x", NULL, "dec.2@z", "x", 1,
	    &error) < 0);
	g_clear_pointer(&error, g_free);
	TEST_CHECK("outbox-find", db_outbox_find(db, "dec.1@z", &id, &state,
	    NULL, &error) == 1 && id == 2);
	TEST_CHECK_STR("outbox-find-state", state, "queued");
	TEST_CHECK("outbox-get", db_outbox_get(db, id, &e, &error) == 1 &&
	    e != NULL && e->data_len == sizeof(body) - 1 &&
	    memcmp(e->data, body, sizeof(body) - 1) == 0);
	db_outbox_entry_free_ptr(&e);
	TEST_CHECK("outbox-get-missing", db_outbox_get(db, 999, &e,
	    &error) == 0 && e == NULL);
	n = 0;
	TEST_CHECK("outbox-due-limit", db_outbox_due(db, 1, true, &no_limits,
	    count_cb, 	    &n, &error) == 0 && n == 1);
	n = 0;
	TEST_CHECK("outbox-due-now", db_outbox_due(db, 10, true, &no_limits, count_cb,
	    &n, &error) == 0 && n == 2);
	n = 0;
	TEST_CHECK("outbox-due-backoff", db_outbox_due(db, 10, false, &no_limits,
	    count_cb, &n, &error) == 0 && n == 1);
	TEST_CHECK("outbox-sent", db_outbox_mark(db, 2, "sent", NULL,
	    &error) == 0);
	TEST_CHECK("sent-since-all", db_outbox_sent_since(db, NULL, NULL,
	    3600, &n, &error) == 0 && n == 1);
	TEST_CHECK("sent-since-nocase", db_outbox_sent_since(db, "S@X", NULL,
	    3600, &n, &error) == 0 && n == 1);
	TEST_CHECK("sent-since-other", db_outbox_sent_since(db, "t@x", NULL,
	    3600, &n, &error) == 0 && n == 0);
	TEST_CHECK("sent-since-kind", db_outbox_sent_since(db, NULL,
	    "[\"decision\"]", 3600, &n, &error) == 0 && n == 1);
	TEST_CHECK("sent-since-other-kind", db_outbox_sent_since(db, NULL,
	    "[\"correction\",\"late\"]", 3600, &n, &error) == 0 && n == 0);
	g_clear_pointer(&state, g_free);
	TEST_CHECK("bounced", db_outbox_set_bounced(db, 2, "550 no", &error)
	    == 0 && db_outbox_find(db, "dec.1@z", NULL, &state, NULL, &error) == 1);
	TEST_CHECK_STR("bounced-state", state, "bounced");
	TEST_CHECK("requeue-other-id", db_outbox_requeue(db, 1, NULL, &n,
	    &error) == 0 && n == 0);
	TEST_CHECK("requeue-state", db_outbox_requeue(db, 0, "bounced", &n,
	    &error) == 0 && n == 1);
	n = 0;
	TEST_CHECK("outbox-list", db_outbox_list(db, "queued", "c1", row_cb,
	    &n, &error) == 0 && n == 2);
	n = 0;
	TEST_CHECK("case-replies", db_case_replies(db, "C1-00002", reply_cb,
	    &n, &error) == 0 && n == 2);

	TEST_CHECK("begin-review", db_begin(db, &error) == 0);
	TEST_CHECK("review", db_case_review(db, &r, &error) == 0);
	TEST_CHECK("commit-review", db_commit(db, &error) == 0);
	r.receipt = "C1-09999";
	TEST_CHECK("review-missing", db_case_review(db, &r, &error) < 0);
	g_clear_pointer(&error, g_free);
	n = 0;
	TEST_CHECK("reviews", db_case_reviews(db, "C1-00002", review_cb, &n,
	    &error) == 0 && n == 1);
	n = 0;
	TEST_CHECK("case-list-unit", db_case_list(db, &q, case_cb, &n,
	    &error) == 0 && n == 1);
	TEST_CHECK("count-groups", db_count(db, DB_COUNT_CATEGORY, "c1",
	    count_group_cb, &total, &error) == 0 && total == 2);
	/* A callback that fails ends the walk: its own reason, or one. */
	q.unit = NULL;
	TEST_CHECK("case-list-stopped", db_case_list(db, &q, stop_cb, NULL,
	    &error) == -1 && error != NULL &&
	    strcmp(error, "listing cases stopped") == 0);
	g_clear_pointer(&error, g_free);
	TEST_CHECK("case-list-stopped-says-why", db_case_list(db, &q, stop_cb,
	    &error, &error) == -1 && error != NULL &&
	    strcmp(error, "stopped here") == 0);
	g_clear_pointer(&error, g_free);
	n = 0;
	TEST_CHECK("case-list-walks-again", db_case_list(db, &q, case_cb, &n,
	    &error) == 0 && n > 1);
	/* A batch names only its own cases. */
	q.batch = "2020-08-28";
	n = 0;
	TEST_CHECK("case-list-batch", db_case_list(db, &q, batch_cb, &n,
	    &error) == 0 && n == 1);
	q.batch = "2020-09-28";
	n = 0;
	TEST_CHECK("case-list-batch-other", db_case_list(db, &q, case_cb, &n,
	    &error) == 0 && n == 0);
}

/*
 * A database of the schema before cases.batch (version 6) with a case
 * in it: opening it adds the column, the case keeps no batch, and new
 * cases record theirs.
 */
static void
check_migration_batch(const char *dir)
{
	g_autofree char *path = g_build_filename(dir, "v6.db", NULL);
	g_autofree char *error = NULL;
	struct db *db = NULL;
	sqlite3 *raw = NULL;
	struct db_case old = {
		.receipt = "M-00001", .campaign = "m", .status = "accepted",
		.dir = "m/x/M-00001",
	};
	struct db_case fresh = {
		.receipt = "M-00002", .campaign = "m", .status = "accepted",
		.dir = "m/x/M-00002", .batch = "2020-09-01",
	};
	struct db_case_query q = { .campaign = "m" };
	char *got = NULL;
	unsigned n = 0;
	bool ok;

	ok = db_open(path, &db, &error) == 0;
	db_close(&db);
	ok = ok && sqlite3_open(path, &raw) == SQLITE_OK &&
	    sqlite3_exec(raw, "ALTER TABLE cases DROP COLUMN batch;"
	    /* what version 6 had not either */
	    "DROP INDEX cases_message;"
	    "ALTER TABLE cases DROP COLUMN group_pos;"
	    "ALTER TABLE messages DROP COLUMN work_count;"
	    "ALTER TABLE cases DROP COLUMN form_json;"
	    "PRAGMA user_version = 6;"
	    "INSERT INTO messages (id, campaign, sha256, outcome)"
	    " VALUES (1, 'm', '00', 'accepted');"
	    "INSERT INTO cases (receipt, campaign, seq, status, dir)"
	    " VALUES ('M-00001', 'm', 1, 'accepted', 'm/x/M-00001');",
	    NULL, NULL, NULL) == SQLITE_OK;
	sqlite3_close(raw);
	TEST_CHECK("migrate-7:setup", ok);
	TEST_CHECK("migrate-7:open", db_open(path, &db, &error) == 0);
	TEST_CHECK("migrate-7:old-case-kept", db != NULL &&
	    db_case_exists(db, old.receipt, &error) == 1);
	TEST_CHECK("migrate-7:new-case-batch", db != NULL &&
	    db_case_add(db, &fresh, 1, &error) == 0);
	q.batch = "2020-09-01";
	TEST_CHECK("migrate-7:batch-listed", db != NULL &&
	    db_case_list(db, &q, batch_cb, &n, &error) == 0 && n == 1);
	q.batch = NULL;
	TEST_CHECK("migrate-7:old-case-no-batch", db != NULL &&
	    db_case_list(db, &q, first_batch_cb, &got, &error) == 0 &&
	    got != NULL && strcmp(got, "(null)") == 0);
	g_free(got);
	db_close(&db);
	unlink(path);
}


/* Each case's group_pos, "0" for none, joined. */
static int
group_pos_cb(const struct db_case *c, void *ctx)
{
	GString *got = ctx;

	g_string_append_printf(got, "%s%s:%u", got->len ? "," : "",
	    c->receipt, c->group_pos);
	return 0;
}

/* An integer from a raw query, -1 for NULL. */
static long long
raw_int(const char *path, const char *sql)
{
	sqlite3 *raw = NULL;
	sqlite3_stmt *st = NULL;
	long long v = -2;

	if (sqlite3_open(path, &raw) == SQLITE_OK &&
	    sqlite3_prepare_v2(raw, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_type(st, 0) == SQLITE_NULL ? -1 :
		    sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(raw);
	return v;
}

/*
 * A database of the schema before groups (version 7) with a mail and its
 * one case: opening it adds cases.group_pos and messages.work_count, both
 * NULL for what was there; a mail of three works then records its three
 * cases, numbered 1..3, in one transaction, the message naming the first.
 */
static void
check_migration_groups(const char *dir)
{
	g_autofree char *path = g_build_filename(dir, "v7.db", NULL);
	g_autofree char *error = NULL;
	struct db *db = NULL;
	sqlite3 *raw = NULL;
	struct db_message m = {
		.campaign = "g", .sha256 = "11", .outcome = "accepted",
		.receipt = "G-00002", .work_count = 3,
	};
	struct db_case group[3] = {
		{ .receipt = "G-00002", .campaign = "g", .status = "accepted",
		  .dir = "g/x/G-00002", .group_pos = 1 },
		{ .receipt = "G-00003", .campaign = "g", .status = "accepted",
		  .dir = "g/x/G-00003", .group_pos = 2 },
		{ .receipt = "G-00004", .campaign = "g", .status = "accepted",
		  .dir = "g/x/G-00004", .group_pos = 3 },
	};
	struct db_case_query q = { .campaign = "g" };
	GString *got = g_string_new(NULL);
	int64_t row = 0;
	unsigned seq = 0;
	bool ok;
	size_t i;

	ok = db_open(path, &db, &error) == 0;
	db_close(&db);
	ok = ok && sqlite3_open(path, &raw) == SQLITE_OK &&
	    sqlite3_exec(raw, "DROP INDEX cases_message;"
	    "ALTER TABLE cases DROP COLUMN group_pos;"
	    "ALTER TABLE messages DROP COLUMN work_count;"
	    "ALTER TABLE cases DROP COLUMN form_json;"
	    "PRAGMA user_version = 7;"
	    "INSERT INTO messages (id, campaign, sha256, outcome, receipt)"
	    " VALUES (1, 'g', '00', 'accepted', 'G-00001');"
	    "INSERT INTO cases (receipt, campaign, seq, status, dir,"
	    " message_row) VALUES ('G-00001', 'g', 1, 'accepted',"
	    " 'g/x/G-00001', 1);", NULL, NULL, NULL) == SQLITE_OK;
	sqlite3_close(raw);
	TEST_CHECK("migrate-8:setup", ok);
	TEST_CHECK("migrate-8:open", db_open(path, &db, &error) == 0);
	TEST_CHECK("migrate-8:old-message-no-count", raw_int(path,
	    "SELECT work_count FROM messages WHERE id = 1") == -1);
	TEST_CHECK("migrate-8:next-seq", db != NULL &&
	    db_case_next_seq(db, "g", &seq, &error) == 0 && seq == 2);
	ok = db != NULL && db_begin(db, &error) == 0 &&
	    db_message_add(db, &m, &row, &error) == 0;
	for (i = 0; ok && i < G_N_ELEMENTS(group); i++)
		ok = db_case_add(db, &group[i], row, &error) == 0;
	ok = ok && db_commit(db, &error) == 0;
	TEST_CHECK("migrate-8:group-insert", ok);
	TEST_CHECK("migrate-8:group-listed", db != NULL &&
	    db_case_list(db, &q, group_pos_cb, got, &error) == 0 &&
	    strcmp(got->str, "G-00001:0,G-00002:1,G-00003:2,G-00004:3") == 0);
	TEST_CHECK("migrate-8:work-count", raw_int(path,
	    "SELECT work_count FROM messages WHERE receipt = 'G-00002'") == 3);
	TEST_CHECK("migrate-8:group-by-message", raw_int(path,
	    "SELECT COUNT(*) FROM cases WHERE message_row = (SELECT id FROM"
	    " messages WHERE receipt = 'G-00002')") == 3);
	TEST_CHECK("migrate-8:indexed", raw_int(path, "SELECT COUNT(*) FROM"
	    " sqlite_master WHERE name = 'cases_message'") == 1);
	if (!ok)
		printf("# %s\n", error ? error : "");
	g_string_free(got, TRUE);
	db_close(&db);
	unlink(path);
}

/* "pos:outcome:receipt" of each work, joined. */
static int
work_row_cb(const struct db_message_work *w, void *ctx)
{
	GString *got = ctx;

	g_string_append_printf(got, "%s%u:%s:%s", got->len ? "," : "", w->pos,
	    w->outcome, w->receipt ? w->receipt : "-");
	return 0;
}

/* "outcome=n" of each group of a count, joined. */
static int
count_text_cb(const char *key, const char *key2, int64_t n, void *ctx)
{
	GString *got = ctx;

	g_string_append_printf(got, "%s%s=%lld", got->len ? "," : "",
	    key2 ? key2 : key, (long long)n);
	return 0;
}

static int
refused_cb(const struct db_refused_work *r, void *ctx)
{
	GString *got = ctx;

	g_string_append_printf(got, "%s%s:%s:%lld", got->len ? "," : "",
	    r->work->title, r->first_receipt ? r->first_receipt : "-",
	    (long long)r->last_seq);
	return 0;
}

static int
refused_message_cb(int64_t row, const struct db_message *m, void *ctx)
{
	GString *got = ctx;

	g_string_append_printf(got, "%s%lld:%s", got->len ? "," : "",
	    (long long)row, m->receipt);
	return 0;
}

static int
form_json_cb(const struct db_case *c, void *ctx)
{
	GString *got = ctx;

	g_string_append_printf(got, "%s=%s;", c->receipt,
	    c->form_json != NULL ? c->form_json : "(null)");
	return 0;
}

/*
 * A database from before cases.form_json with a case in it: opening it
 * adds the column, the old case has no form, and a new case keeps what
 * its registration form said.
 */
static void
check_migration_form(const char *dir)
{
	g_autofree char *path = g_build_filename(dir, "form.db", NULL);
	g_autofree char *error = NULL;
	struct db *db = NULL;
	sqlite3 *raw = NULL;
	struct db_case fresh = {
		.receipt = "F-00002", .campaign = "f", .status = "accepted",
		.dir = "f/x/F-00002",
		.form_json = "{\"制作单位\":\"金坛区融媒体中心\"}",
	};
	struct db_case_query q = { .campaign = "f" };
	GString *got = g_string_new(NULL);
	long long version;
	bool ok;

	ok = db_open(path, &db, &error) == 0;
	db_close(&db);
	version = raw_int(path, "PRAGMA user_version");
	ok = ok && sqlite3_open(path, &raw) == SQLITE_OK &&
	    sqlite3_exec(raw, "ALTER TABLE cases DROP COLUMN form_json;"
	    "INSERT INTO messages (id, campaign, sha256, outcome)"
	    " VALUES (1, 'f', '00', 'accepted');"
	    "INSERT INTO cases (receipt, campaign, seq, status, dir)"
	    " VALUES ('F-00001', 'f', 1, 'accepted', 'f/x/F-00001');",
	    NULL, NULL, NULL) == SQLITE_OK;
	if (ok) {
		g_autofree char *bump = g_strdup_printf(
		    "PRAGMA user_version = %lld", version - 1);

		ok = sqlite3_exec(raw, bump, NULL, NULL, NULL) == SQLITE_OK;
	}
	sqlite3_close(raw);
	TEST_CHECK("migrate-form:setup", ok);
	TEST_CHECK("migrate-form:open", db_open(path, &db, &error) == 0);
	TEST_CHECK("migrate-form:latest", raw_int(path,
	    "PRAGMA user_version") == version);
	TEST_CHECK("migrate-form:add", db != NULL &&
	    db_case_add(db, &fresh, 1, &error) == 0);
	TEST_CHECK("migrate-form:listed", db != NULL &&
	    db_case_list(db, &q, form_json_cb, got, &error) == 0 &&
	    strcmp(got->str, "F-00001=(null);F-00002={\"制作单位\":"
	    "\"金坛区融媒体中心\"};") == 0);
	g_string_free(got, TRUE);
	db_close(&db);
}

/*
 * A database of the schema before message_works (DB_VERSION_BEFORE_WORKS)
 * with a refused mail and an accepted
 * one: opening it adds the table, the old mails have no works and are
 * counted by their messages rows; a mail of three works, two filed and
 * one over the quota, records its works with its cases, in the one
 * transaction, and what rolls back leaves no work behind.
 */
static void
check_migration_works(const char *dir)
{
	g_autofree char *path = g_build_filename(dir, "works.db", NULL);
	g_autofree char *error = NULL, *setup = NULL;
	struct db *db = NULL;
	sqlite3 *raw = NULL;
	struct db_message m = {
		.campaign = "w", .sha256 = "22", .outcome = "accepted",
		.receipt = "W-00002", .work_count = 3, .sender = "u@x",
		.received_at = "2024-06-10T09:00:00+08:00",
	};
	struct db_case group[2] = {
		{ .receipt = "W-00002", .campaign = "w", .status = "accepted",
		  .dir = "w/x/W-00002", .group_pos = 1, .title = "甲" },
		{ .receipt = "W-00003", .campaign = "w", .status = "accepted",
		  .dir = "w/x/W-00003", .group_pos = 2, .title = "乙" },
	};
	struct db_message_work works[3] = {
		{ .pos = 1, .title = "甲", .work_key = "甲\x1fu", .outcome =
		  "accepted", .policy = "accepted", .receipt = "W-00002" },
		{ .pos = 2, .title = "乙", .work_key = "乙\x1fu", .outcome =
		  "accepted", .policy = "accepted", .receipt = "W-00003" },
		{ .pos = 3, .title = "丙", .work_key = "丙\x1fu", .outcome =
		  "over-quota", .policy = "quotas", .reason = "最多报送 10 件" },
	};
	struct db_case_query q = { .campaign = "w" };
	GString *got = g_string_new(NULL);
	long long version;
	int64_t row = 0;
	bool ok;
	size_t i;

	ok = db_open(path, &db, &error) == 0;
	db_close(&db);
	version = raw_int(path, "PRAGMA user_version");
	/* A database from before message_works: the migrations after it
	 * (quarantine, case_links) stand alone too, and run again. */
	setup = g_strdup_printf("DROP TABLE case_links;"
	    "DROP TABLE message_works;"
	    "ALTER TABLE cases DROP COLUMN form_json;"
	    "PRAGMA user_version = %lld;"
	    "INSERT INTO messages (id, campaign, sha256, outcome, reason)"
	    " VALUES (1, 'w', '00', 'rejected', 'old refusal');"
	    "INSERT INTO messages (id, campaign, sha256, outcome, receipt)"
	    " VALUES (2, 'w', '01', 'accepted', 'W-00001');"
	    "INSERT INTO cases (receipt, campaign, seq, status, dir,"
	    " message_row) VALUES ('W-00001', 'w', 1, 'accepted',"
	    " 'w/x/W-00001', 2);", (long long)DB_VERSION_BEFORE_WORKS);
	ok = ok && version > DB_VERSION_BEFORE_WORKS &&
	    sqlite3_open(path, &raw) == SQLITE_OK &&
	    sqlite3_exec(raw, setup, NULL, NULL, NULL) == SQLITE_OK;
	sqlite3_close(raw);
	TEST_CHECK("migrate-works:setup", ok);
	TEST_CHECK("migrate-works:open", db_open(path, &db, &error) == 0);
	TEST_CHECK("migrate-works:latest", raw_int(path,
	    "PRAGMA user_version") == version);
	TEST_CHECK("migrate-works:table", raw_int(path, "SELECT COUNT(*) FROM"
	    " message_works") == 0);
	TEST_CHECK("migrate-works:old-none", db != NULL &&
	    db_message_works(db, 2, NULL, work_row_cb, got, &error) == 0 &&
	    got->len == 0);
	TEST_CHECK("migrate-works:old-by-message", db != NULL &&
	    db_count(db, DB_COUNT_REJECTION, "w", count_text_cb, got,
	    &error) == 0 && strcmp(got->str, "rejected=1") == 0);

	/* Rolled back: neither the cases nor the works. */
	ok = db != NULL && db_begin(db, &error) == 0 &&
	    db_message_add(db, &m, &row, &error) == 0 &&
	    db_case_add(db, &group[0], row, &error) == 0 &&
	    db_message_work_add(db, row, &works[0], &error) == 0;
	db_rollback(db);
	TEST_CHECK("works-rollback", ok && raw_int(path, "SELECT COUNT(*)"
	    " FROM message_works") == 0 && raw_int(path, "SELECT COUNT(*)"
	    " FROM cases") == 1);

	ok = db != NULL && db_begin(db, &error) == 0 &&
	    db_message_add(db, &m, &row, &error) == 0;
	for (i = 0; ok && i < G_N_ELEMENTS(group); i++)
		ok = db_case_add(db, &group[i], row, &error) == 0;
	for (i = 0; ok && i < G_N_ELEMENTS(works); i++)
		ok = db_message_work_add(db, row, &works[i], &error) == 0;
	ok = ok && db_commit(db, &error) == 0;
	TEST_CHECK("works-with-cases", ok);
	g_string_truncate(got, 0);
	TEST_CHECK_STR("works-listed", db != NULL &&
	    db_message_works(db, row, NULL, work_row_cb, got, &error) == 0 ?
	    got->str : "", "1:accepted:W-00002,2:accepted:W-00003,"
	    "3:over-quota:-");
	g_string_truncate(got, 0);
	TEST_CHECK_STR("works-by-receipt", db != NULL &&
	    db_message_works(db, 0, "W-00003", work_row_cb, got,
	    &error) == 0 ? got->str : "", "1:accepted:W-00002,"
	    "2:accepted:W-00003,3:over-quota:-");
	g_string_truncate(got, 0);
	TEST_CHECK_STR("works-rejections", db != NULL &&
	    db_count(db, DB_COUNT_REJECTION, "w", count_text_cb, got,
	    &error) == 0 ? got->str : "", "quota=1,rejected=1");
	g_string_truncate(got, 0);
	TEST_CHECK_STR("works-totals", db != NULL &&
	    db_count(db, DB_COUNT_WORKS, "w", count_text_cb, got,
	    &error) == 0 ? got->str : "", "filed=3,refused=2");
	g_string_truncate(got, 0);
	TEST_CHECK_STR("works-refused-beside", db != NULL &&
	    db_refused_works(db, &q, true, refused_cb, got, &error) == 0 ?
	    got->str : "", "丙:W-00002:3");
	g_string_truncate(got, 0);
	q.seq_from = 1;
	q.seq_to = 2;
	TEST_CHECK("works-refused-other-page", db != NULL &&
	    db_refused_works(db, &q, true, refused_cb, got, &error) == 0 &&
	    got->len == 0);
	q.seq_from = q.seq_to = 0;
	g_string_truncate(got, 0);
	TEST_CHECK_STR("works-reprocess-rejected", db != NULL &&
	    db_message_list_refused_works(db, "w", "rejected",
	    refused_message_cb, got, &error) == 0 ? got->str : "",
	    "3:W-00002");
	g_string_truncate(got, 0);
	TEST_CHECK("works-reprocess-late-none", db != NULL &&
	    db_message_list_refused_works(db, "w", "late", refused_message_cb,
	    got, &error) == 0 && got->len == 0);
	TEST_CHECK("works-clear", db != NULL && db_begin(db, &error) == 0 &&
	    db_message_works_clear(db, row, &error) == 0 &&
	    db_commit(db, &error) == 0 && raw_int(path, "SELECT COUNT(*)"
	    " FROM message_works") == 0);
	if (error != NULL)
		printf("# %s\n", error);
	g_string_free(got, TRUE);
	db_close(&db);
	unlink(path);
}

static int
outbox_problem_cb(const struct db_outbox_problem *p, void *ctx)
{
	GString *seen = ctx;

	g_string_append_printf(seen, "%lld:%s:%s:%d;", (long long)p->id,
	    p->state, p->receipt ? p->receipt : "-", p->message_gone);
	return 0;
}

static int
problem_cb(const char *problem, void *ctx)
{
	unsigned *n = ctx;

	(void)problem;
	(*n)++;
	return 0;
}

static int
foreign_key_cb(const char *table, int64_t rowid, const char *parent,
    void *ctx)
{
	unsigned *n = ctx;

	(void)table;
	(void)rowid;
	(void)parent;
	(*n)++;
	return 0;
}

static int
duplicate_cb(const char *receipt, int64_t count, void *ctx)
{
	unsigned *n = ctx;

	(void)receipt;
	(void)count;
	(*n)++;
	return 0;
}

static int
unit_sender_cb(const struct db_unit_sender *s, void *ctx)
{
	GString *seen = ctx;

	g_string_append_printf(seen, "%s:%s:%s:%s;", s->unit, s->address,
	    s->state, s->decided_by);
	return 0;
}

/* Counts per group into a "key/key2=n;" text. */
static int
count_slash_cb(const char *key, const char *key2, int64_t n, void *ctx)
{
	GString *seen = ctx;

	g_string_append_printf(seen, "%s/%s=%lld;", key ? key : "-",
	    key2 ? key2 : "-", (long long)n);
	return 0;
}

/*
 * A pending case (a sender not known for its unit) counts nowhere: not
 * against the unit's quotas, not as the work a resubmission would meet;
 * it is counted as pending.  Staff decisions on senders are kept per
 * campaign, unit and mailbox, the later replacing the earlier.
 */
static void
check_pending(struct db *db, const char *path)
{
	g_autofree char *error = NULL, *receipt = NULL, *dir = NULL;
	g_autofree char *state = NULL;
	g_autoptr(GString) seen = g_string_new(NULL);
	struct db_case pending = {
		.receipt = "P1-00001", .campaign = "p1", .status = "pending",
		.dir = "p1/v/P1-00001-a", .unit = "金坛区委组织部",
		.category = "微视频", .sender = "x@qq.com", .title = "甲",
	};
	struct db_case accepted = {
		.receipt = "P1-00002", .campaign = "p1", .status = "accepted",
		.dir = "p1/v/P1-00002-b", .unit = "金坛区委组织部",
		.category = "微视频", .sender = "jt@jintan.gov.cn", .title = "乙",
	};
	struct db_unit_sender us = {
		.campaign = "p1", .unit = "金坛区委组织部",
		.address = "Clerk+tag@QQ.com", .state = DB_UNIT_SENDER_CONFIRMED,
		.decided_by = "staff",
	};
	unsigned n = 0;

	TEST_CHECK("pending:add", db_case_add(db, &pending, 1, &error) == 0 &&
	    db_case_add(db, &accepted, 1, &error) == 0);
	TEST_CHECK("pending:count-unit", db_case_count(db, "p1",
	    "金坛区委组织部", NULL, NULL, &n, &error) == 0 && n == 1);
	TEST_CHECK("pending:count-sender", db_case_count(db, "p1", NULL,
	    "x@qq.com", NULL, &n, &error) == 0 && n == 0);
	TEST_CHECK("pending:not-the-same-work", db_case_find_same(db, "p1",
	    "金坛区委组织部", NULL, "甲", "微视频", &receipt, &dir,
	    &error) == 0 && receipt == NULL);
	TEST_CHECK("pending:count-by-unit", db_count(db, DB_COUNT_UNIT, "p1",
	    count_slash_cb, seen, &error) == 0);
	TEST_CHECK_STR("pending:count-by-unit-text", seen->str,
	    "金坛区委组织部/-=1;");
	g_string_truncate(seen, 0);
	TEST_CHECK("pending:count-by-unit-category", db_count(db,
	    DB_COUNT_UNIT_CATEGORY, "p1", count_slash_cb, seen, &error) == 0);
	TEST_CHECK_STR("pending:count-by-unit-category-text", seen->str,
	    "金坛区委组织部/微视频=1;");
	g_string_truncate(seen, 0);
	TEST_CHECK("pending:count-pending", db_count(db, DB_COUNT_UNIT_PENDING,
	    "p1", count_slash_cb, seen, &error) == 0);
	TEST_CHECK_STR("pending:count-pending-text", seen->str,
	    "金坛区委组织部/-=1;");

	/* the table is there at the latest version, and stays on reopening */
	TEST_CHECK("unit-senders:table", raw_int(path, "SELECT COUNT(*) FROM"
	    " sqlite_master WHERE name = 'unit_senders'") == 1);
	TEST_CHECK("unit-senders:unknown", db_unit_sender_get(db, "p1",
	    "金坛区委组织部", "clerk@qq.com", &state, &error) == 0 &&
	    state == NULL);
	TEST_CHECK("unit-senders:confirm", db_unit_sender_set(db, &us,
	    &error) == 0);
	TEST_CHECK("unit-senders:one-mailbox", db_unit_sender_get(db, "p1",
	    "金坛区委组织部", "CLERK@qq.com", &state, &error) == 1 &&
	    g_strcmp0(state, "confirmed") == 0);
	g_clear_pointer(&state, g_free);
	TEST_CHECK("unit-senders:per-unit", db_unit_sender_get(db, "p1",
	    "溧阳市委组织部", "clerk@qq.com", &state, &error) == 0);
	us.state = DB_UNIT_SENDER_REFUSED;
	us.decided_by = "lead";
	TEST_CHECK("unit-senders:refuse-later", db_unit_sender_set(db, &us,
	    &error) == 0 && db_unit_sender_get(db, "p1", "金坛区委组织部",
	    "clerk@qq.com", &state, &error) == 1 &&
	    g_strcmp0(state, "refused") == 0);
	g_string_truncate(seen, 0);
	TEST_CHECK("unit-senders:list", db_unit_sender_list(db, "p1",
	    unit_sender_cb, seen, &error) == 0);
	TEST_CHECK_STR("unit-senders:list-text", seen->str,
	    "金坛区委组织部:clerk@qq.com:refused:lead;");
	us.state = "maybe";
	TEST_CHECK("unit-senders:state-checked", db_unit_sender_set(db, &us,
	    &error) < 0);
}

/* fsck's queries: a healthy database has nothing to say; a reply left in
 * "sending" is found with its case's receipt and put back to queued once,
 * its message untouched. */
static void
check_fsck_queries(struct db *db)
{
	g_autofree char *error = NULL;
	g_autoptr(GString) seen = g_string_new(NULL);
	struct db_outbox_entry *e = NULL;
	unsigned n = 0;

	TEST_CHECK("fsck-integrity-ok", db_check_integrity(db, problem_cb,
	    &n, &error) == 0 && n == 0);
	TEST_CHECK("fsck-foreign-keys-ok", db_check_foreign_keys(db,
	    foreign_key_cb, &n, &error) == 0 && n == 0);
	TEST_CHECK("fsck-receipts-unique", db_case_duplicate_receipts(db,
	    duplicate_cb, &n, &error) == 0 && n == 0);
	TEST_CHECK("fsck-outbox-clean", db_outbox_check(db, outbox_problem_cb,
	    seen, &error) == 0 && seen->len == 0);
	TEST_CHECK("fsck-unstick-not-sending", db_outbox_unstick(db, 1,
	    &error) == 0);
	TEST_CHECK("fsck-mark-sending", db_outbox_mark(db, 1, "sending", NULL,
	    &error) == 0);
	TEST_CHECK("fsck-outbox-sending", db_outbox_check(db,
	    outbox_problem_cb, seen, &error) == 0);
	TEST_CHECK_STR("fsck-outbox-sending-found", seen->str,
	    "1:sending:C1-00001:0;");
	TEST_CHECK("fsck-unstick", db_outbox_unstick(db, 1, &error) == 1);
	TEST_CHECK("fsck-unstick-once", db_outbox_unstick(db, 1, &error) == 0);
	TEST_CHECK("fsck-unstuck-same-message", db_outbox_get(db, 1, &e,
	    &error) == 1 && strcmp(e->state, "queued") == 0 &&
	    strcmp(e->reply_message_id, "receipt.C1-00001@z") == 0 &&
	    e->data_len == 4 && memcmp(e->data, "data", 4) == 0);
	db_outbox_entry_free_ptr(&e);
}

static int
quarantine_cb(const struct db_quarantine *q, void *ctx)
{
	g_string_append_printf(ctx, "%s:%s:%s:%s;", q->original_name,
	    q->signature, q->sender, q->message_path);
	return 0;
}

static int
quarantine_uncased_cb(int64_t row, const struct db_message *m, void *ctx)
{
	(void)m;
	g_string_append_printf(ctx, "%lld;", (long long)row);
	return 0;
}

/* An infected file's row is recorded with its mail, listed with the
 * mail's sender, and the mail is not among those reprocess judges again
 * (it is in the quarantine, not the store). */
static void
check_quarantine(const char *dir)
{
	g_autofree char *path = g_build_filename(dir, "q.db", NULL);
	g_autofree char *error = NULL;
	struct db *db = NULL;
	struct db_message infected = {
		.campaign = "q", .sha256 = "aa", .sender = "u@x",
		.outcome = "rejected", .reason = "infected: Test.Sig-1",
	}, other = {
		.campaign = "q", .sha256 = "bb", .sender = "v@x",
		.outcome = "rejected", .reason = "naming",
	};
	struct db_quarantine qr = {
		.campaign = "q", .sha256 = "cc", .original_name = "表.pdf",
		.signature = "Test.Sig-1", .path = "q/2024-06/cc",
		.message_path = "q/2024-06/aa.eml",
	};
	GString *got = g_string_new(NULL);
	int64_t row = 0, row2 = 0;

	TEST_CHECK("quarantine:open", db_open(path, &db, &error) == 0);
	TEST_CHECK("quarantine:add", db != NULL &&
	    db_begin(db, &error) == 0 &&
	    db_message_add(db, &infected, &row, &error) == 0 &&
	    (qr.message_row = row) > 0 &&
	    db_quarantine_add(db, &qr, &error) == 0 &&
	    db_message_add(db, &other, &row2, &error) == 0 &&
	    db_commit(db, &error) == 0);
	TEST_CHECK("quarantine:listed", db != NULL && db_quarantine_list(db,
	    "q", quarantine_cb, got, &error) == 0);
	TEST_CHECK_STR("quarantine:row", got->str,
	    "表.pdf:Test.Sig-1:u@x:q/2024-06/aa.eml;");
	g_string_truncate(got, 0);
	TEST_CHECK("quarantine:other-campaign", db != NULL &&
	    db_quarantine_list(db, "z", quarantine_cb, got, &error) == 0 &&
	    got->len == 0);
	g_string_truncate(got, 0);
	TEST_CHECK("quarantine:not-reprocessed", db != NULL &&
	    db_message_list_uncased(db, "q", "rejected",
	    quarantine_uncased_cb, got,
	    &error) == 0);
	{
		g_autofree char *want = g_strdup_printf("%lld;",
		    (long long)row2);

		TEST_CHECK_STR("quarantine:only-the-other", got->str, want);
	}
	g_string_free(got, TRUE);
	db_close(&db);
}

/* The cloud attachment links of a case: recorded pending, and counted
 * by the time left, only for cases that count or wait. */
static void
test_case_links(const char *path)
{
	struct db *db = NULL;
	g_autofree char *error = NULL;
	GString *got = g_string_new(NULL);
	struct db_message m = { .campaign = "lk", .sha256 = "l1",
	    .outcome = "accepted", .receipt = "LK-00001" };
	struct db_case cases[2] = {
		{ .receipt = "LK-00001", .campaign = "lk", .status = "accepted",
		  .dir = "lk/x/LK-00001" },
		{ .receipt = "LK-00002", .campaign = "lk", .status = "rejected",
		  .dir = "lk/x/LK-00002" },
	};
	struct db_case_link links[] = {
		{ "LK-00001", 1, "qq", "https://wx.mail.qq.com/ftn/download?k=1",
		  "a.mp4", 1024, "2099-01-01T00:00:00Z", NULL, "work", "作品" },
		{ "LK-00001", 2, "baidu", "https://pan.baidu.com/s/1x", NULL, 0,
		  NULL, "3005", "work", NULL },
		{ "LK-00001", 3, "qq", "https://wx.mail.qq.com/ftn/download?k=3",
		  "c.mp4", 0, "2001-01-01T00:00:00Z", NULL, "work", NULL },
		{ "LK-00002", 1, "qq", "https://wx.mail.qq.com/ftn/download?k=4",
		  "d.mp4", 0, "2001-01-01T00:00:00Z", NULL, "work", NULL },
	};
	int64_t row = 0;
	bool ok;
	size_t i;

	ok = db_open(path, &db, &error) == 0 && db_begin(db, &error) == 0 &&
	    db_message_add(db, &m, &row, &error) == 0;
	for (i = 0; ok && i < G_N_ELEMENTS(cases); i++)
		ok = db_case_add(db, &cases[i], row, &error) == 0;
	for (i = 0; ok && i < G_N_ELEMENTS(links); i++)
		ok = db_case_link_add(db, &links[i], &error) == 0;
	ok = ok && db_commit(db, &error) == 0;
	TEST_CHECK("links:add", ok);
	TEST_CHECK("links:pending-null-size", raw_int(path, "SELECT COUNT(*)"
	    " FROM case_links WHERE state = 'pending' AND size IS NULL") == 3);
	TEST_CHECK("links:count", db != NULL && db_count(db, DB_COUNT_LINKS,
	    "lk", count_text_cb, got, &error) == 0 &&
	    strcmp(got->str, "expired=1,pending=2") == 0);
	g_string_free(got, TRUE);
	db_close(&db);
}

static int
question_cb(const struct db_question *q, void *ctx)
{
	GString *got = ctx;

	g_string_append_printf(got, "%s%lld:%s:%s:%s:%s:%d", got->len ? "," : "",
	    (long long)q->id, q->sender, q->answers ? q->answers : "-",
	    q->forwarded_to ? q->forwarded_to : "-", q->state,
	    q->acknowledged);
	return 0;
}

/* People's questions: recorded with the message, bounded by sender
 * (one acknowledgement per interval, forwards per day, one mailbox
 * however it is written), listed open or all, marked done. */
static void
test_questions(const char *path)
{
	struct db *db = NULL;
	g_autofree char *error = NULL;
	GString *got = g_string_new(NULL);
	struct db_message m = { .campaign = "qs", .sha256 = "q1",
	    .outcome = "question", .sender = "clerk@county.example.cn" };
	struct db_question q = { .campaign = "qs",
	    .sender = "clerk@county.example.cn", .subject = "Re: x",
	    .body = "请问视频超过8分钟怎么办？", .answers = "QS-00012",
	    .forwarded_to = "staff@example.cn", .acknowledged = true };
	bool ok, acked = false;
	unsigned forwarded = 99;

	ok = db_open(path, &db, &error) == 0 && db_begin(db, &error) == 0 &&
	    db_message_add(db, &m, &q.message_row, &error) == 0 &&
	    db_question_add(db, &q, &error) == 0;
	q.acknowledged = false;
	q.forwarded_to = NULL;
	ok = ok && db_question_add(db, &q, &error) == 0 &&
	    db_commit(db, &error) == 0;
	TEST_CHECK("questions:add", ok);
	TEST_CHECK("questions:recent", db != NULL && db_question_recent(db,
	    "Clerk@County.Example.CN", 3600, &acked, &forwarded, &error) == 0 &&
	    acked && forwarded == 1);
	TEST_CHECK("questions:other sender", db != NULL &&
	    db_question_recent(db, "other@county.example.cn", 3600, &acked,
	    &forwarded, &error) == 0 && !acked && forwarded == 0);
	TEST_CHECK("questions:list", db != NULL && db_question_list(db, "qs",
	    false, question_cb, got, &error) == 0 && strcmp(got->str,
	    "1:clerk@county.example.cn:QS-00012:staff@example.cn:open:1,"
	    "2:clerk@county.example.cn:QS-00012:-:open:0") == 0);
	TEST_CHECK("questions:done", db != NULL &&
	    db_question_done(db, 1, "staff", &error) == 1 &&
	    db_question_done(db, 99, "staff", &error) == 0);
	g_string_truncate(got, 0);
	TEST_CHECK("questions:open only", db != NULL && db_question_list(db,
	    NULL, true, question_cb, got, &error) == 0 &&
	    g_str_has_prefix(got->str, "2:") && strchr(got->str, ',') == NULL);
	g_string_truncate(got, 0);
	TEST_CHECK("questions:count", db != NULL && db_count(db,
	    DB_COUNT_QUESTIONS, "qs", count_text_cb, got, &error) == 0 &&
	    strcmp(got->str, "done=1,open=1") == 0);
	TEST_CHECK("questions:not a refusal", raw_int(path, "SELECT COUNT(*)"
	    " FROM messages WHERE outcome = 'question'") == 1);
	g_string_free(got, TRUE);
	db_close(&db);
}

static int
mail_cb(const struct db_mail *m, void *ctx)
{
	GString *got = ctx;

	g_string_append_printf(got, "%s%s:%s:%s", got->len ? "," : "",
	    m->m->sha256, m->m->outcome, m->m->reason_code ?
	    m->m->reason_code : "-");
	return 0;
}

/*
 * The staff views of mail: those that made no case, by campaign, found
 * by the 查询码 in either case, and filtered by sender or a work's unit;
 * a mail that made a case only when asked for by its code.
 */
static void
check_mail_list(const char *dir)
{
	g_autofree char *path = g_build_filename(dir, "mail.db", NULL);
	g_autofree char *error = NULL;
	struct db *db = NULL;
	struct db_message late = {
		.campaign = "k", .sha256 = "3f9a2c1b00", .outcome = "late",
		.sender = "a@x", .reason_code = "late",
	}, filed = {
		.campaign = "k", .sha256 = "77ab01cd00", .outcome = "accepted",
		.sender = "b@x", .receipt = "K-00001",
	}, quota = {
		.campaign = "k", .sha256 = "0011223300", .outcome = "over-quota",
		.sender = "c@x", .reason_code = "quota-unit", .work_count = 1,
	}, other = {
		.campaign = "j", .sha256 = "3f9a2c1b99", .outcome = "ignored",
		.sender = "d@x",
	};
	struct db_message_work w = {
		.pos = 1, .title = "丙", .unit = "甲单位", .outcome = "over-quota",
		.policy = "quotas", .reason_code = "quota-unit",
	};
	struct db_case c = {
		.receipt = "K-00001", .campaign = "k", .status = "accepted",
		.dir = "k/x/K-00001",
	};
	struct db_mail_query q = { .campaign = "k", .uncased_only = true };
	GString *got = g_string_new(NULL);
	GPtrArray *newest = NULL;
	unsigned total = 0;
	int64_t row = 0;
	bool ok;

	ok = db_open(path, &db, &error) == 0 &&
	    db_message_add(db, &late, &row, &error) == 0 &&
	    db_message_add(db, &filed, &row, &error) == 0 &&
	    db_case_add(db, &c, row, &error) == 0 &&
	    db_message_add(db, &quota, &row, &error) == 0 &&
	    db_message_work_add(db, row, &w, &error) == 0 &&
	    db_message_add(db, &other, &row, &error) == 0;
	TEST_CHECK("mail:setup", ok);
	TEST_CHECK_STR("mail:uncased", ok && db_mail_list(db, &q, mail_cb, got,
	    &error) == 0 ? got->str : "", "3f9a2c1b00:late:late,"
	    "0011223300:over-quota:quota-unit");
	g_string_truncate(got, 0);
	q.unit = "甲单位";
	TEST_CHECK_STR("mail:by-work-unit", ok && db_mail_list(db, &q, mail_cb,
	    got, &error) == 0 ? got->str : "", "0011223300:over-quota:quota-unit");
	g_string_truncate(got, 0);
	q = (struct db_mail_query){ .query_code = "3f9a2c1B" };
	TEST_CHECK_STR("mail:by-code-any-campaign", ok && db_mail_list(db, &q,
	    mail_cb, got, &error) == 0 ? got->str : "", "3f9a2c1b99:ignored:-,"
	    "3f9a2c1b00:late:late");
	g_string_truncate(got, 0);
	q.query_code = "77AB01CD";
	TEST_CHECK_STR("mail:by-code-filed", ok && db_mail_list(db, &q,
	    mail_cb, got, &error) == 0 ? got->str : "",
	    "77ab01cd00:accepted:-");
	/* the index's newest only, with how many there are */
	q = (struct db_mail_query){ .campaign = "k", .uncased_only = true };
	ok = ok && mail_records_load(db, dir, &q, 1, &newest, &total,
	    &error) == 0;
	TEST_CHECK("mail:newest", ok && total == 2 && newest->len == 1 &&
	    strcmp(((struct mail_record *)newest->pdata[0])->query_code,
	    "00112233") == 0 && ((struct mail_record *)
	    newest->pdata[0])->kept == NULL);
	if (newest != NULL)
		g_ptr_array_unref(newest);
	g_string_free(got, TRUE);
	db_close(&db);
}

/*
 * Reason codes: recorded with a refused mail and its refused works, they
 * are what stats counts by; a work recorded again (reprocess) loses the
 * old ones; a mail filed on a second judgement has none.
 */
static void
check_reason_codes(const char *dir)
{
	g_autofree char *path = g_build_filename(dir, "codes.db", NULL);
	g_autofree char *error = NULL;
	struct db *db = NULL;
	struct db_message late = {
		.campaign = "r", .sha256 = "a1", .outcome = "late",
		.reason = "已截止", .reason_code = "late",
	}, quota = {
		.campaign = "r", .sha256 = "a2", .outcome = "over-quota",
		.reason = "1 works refused (quotas)", .reason_code =
		"quota-unit-category", .work_count = 1,
	};
	struct db_message_work w = {
		.pos = 1, .title = "丙", .outcome = "over-quota",
		.policy = "quotas", .reason = "最多 2 件",
		.reason_code = "quota-unit-category",
	};
	GString *got = g_string_new(NULL);
	int64_t row1 = 0, row2 = 0;
	bool ok;

	ok = db_open(path, &db, &error) == 0 &&
	    db_message_add(db, &late, &row1, &error) == 0 &&
	    db_message_add(db, &quota, &row2, &error) == 0 &&
	    db_message_work_add(db, row2, &w, &error) == 0;
	TEST_CHECK("codes:recorded", ok);
	TEST_CHECK_STR("codes:counted", ok && db_count(db, DB_COUNT_REJECTION,
	    "r", count_text_cb, got, &error) == 0 ? got->str : "",
	    "late=1,quota-unit-category=1");
	/* judged again: filed now */
	late.outcome = "accepted";
	late.reason = NULL;
	late.reason_code = NULL;
	late.receipt = NULL;
	ok = ok && db_message_update(db, row1, &late, &error) == 0 &&
	    db_message_works_clear(db, row2, &error) == 0;
	TEST_CHECK("codes:cleared", ok && raw_int(path, "SELECT COUNT(*) FROM"
	    " reason_codes") == 1);
	g_string_free(got, TRUE);
	db_close(&db);
}

int
main(void)
{
	g_autofree char *dir = g_dir_make_tmp("subgate-db-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "t.db", NULL);
	g_autofree char *error = NULL;
	struct db *db = NULL;
	uint32_t v = 0, last = 0;
	unsigned seq = 0, n = 0;
	int64_t row = 0;
	struct db_message m = {
		.campaign = "c1", .folder = "INBOX", .uidvalidity = 7,
		.uid = 3, .message_id = "a@b", .sha256 = "00ff",
		.sender = "Unit@Example.test",
		.outcome = "accepted", .receipt = "C1-00001",
	};
	struct db_case c = {
		.receipt = "C1-00001", .campaign = "c1", .status = "accepted",
		.dir = "c1/x/C1-00001-t",
	};

	TEST_CHECK("db-open", db_open(path, &db, &error) == 0);
	TEST_CHECK("folder-unknown", db_folder_get(db, "c1", "INBOX", &v,
	    &last, &error) == 0);
	TEST_CHECK("folder-set", db_folder_set(db, "c1", "INBOX", 7, 3,
	    &error) == 0);
	TEST_CHECK("folder-known", db_folder_get(db, "c1", "INBOX", &v, &last,
	    &error) == 1 && v == 7 && last == 3);
	TEST_CHECK("seq-first", db_case_next_seq(db, "c1", &seq, &error) == 0 &&
	    seq == 1);
	TEST_CHECK("begin", db_begin(db, &error) == 0);
	TEST_CHECK("message-add", db_message_add(db, &m, &row, &error) == 0 &&
	    row > 0);
	TEST_CHECK("case-add", db_case_add(db, &c, row, &error) == 0);
	TEST_CHECK("outbox-add", db_outbox_add(db, row, "receipt", "x@y",
	    "a@b", "receipt.C1-00001@z", "data", 4, &error) == 0);
	TEST_CHECK("commit", db_commit(db, &error) == 0);
	TEST_CHECK("seq-next", db_case_next_seq(db, "c1", &seq, &error) == 0 &&
	    seq == 2);
	TEST_CHECK("seq-other-campaign", db_case_next_seq(db, "c2", &seq,
	    &error) == 0 && seq == 1);
	TEST_CHECK("case-exists", db_case_exists(db, "C1-00001", &error) == 1);
	TEST_CHECK("case-missing", db_case_exists(db, "C1-00002", &error) == 0);
	TEST_CHECK("known-by-message-id", db_message_known(db, "c1", "a@b",
	    "unit@example.test", "other", &error) == 1);
	TEST_CHECK("message-id-of-another-sender", db_message_known(db, "c1",
	    "a@b", "stranger@example.test", "other", &error) == 0);
	TEST_CHECK("known-by-hash", db_message_known(db, "c1", "",
	    "stranger@example.test", "00ff", &error) == 1);
	TEST_CHECK("empty-message-id-not-a-match", db_message_known(db, "c1",
	    "", "unit@example.test", "beef", &error) == 0);
	TEST_CHECK("known-per-campaign", db_message_known(db, "c2", "a@b",
	    "unit@example.test", "00ff", &error) == 0);
	TEST_CHECK("outbox-pending", db_outbox_due(db, 10, false, &no_limits, count_cb,
	    &n, &error) == 0 && n == 1);
	TEST_CHECK("outbox-defer", db_outbox_mark(db, 1, "queued", "421 busy",
	    &error) == 0);
	n = 0;
	TEST_CHECK("outbox-deferred-waits", db_outbox_due(db, 10, false, &no_limits, count_cb,
	    &n, &error) == 0 && n == 0);

	/* A rolled-back transaction leaves nothing. */
	m.uid = 4;
	m.message_id = "b@b";
	m.sha256 = "11";
	TEST_CHECK("begin-2", db_begin(db, &error) == 0);
	TEST_CHECK("message-add-2", db_message_add(db, &m, &row, &error) == 0);
	db_rollback(db);
	TEST_CHECK("rollback-forgets", db_message_known(db, "c1", "b@b", NULL,
	    "11", &error) == 0);
	/* The same UID twice is refused by the schema. */
	m.uid = 3;
	TEST_CHECK("uid-unique", db_message_add(db, &m, &row, &error) < 0);
	g_clear_pointer(&error, g_free);
	db_close(&db);
	TEST_CHECK("close-nulls", db == NULL);

	/* Reopening runs no migration twice. */
	TEST_CHECK("reopen", db_open(path, &db, &error) == 0);
	TEST_CHECK("reopen-keeps-data", db_case_exists(db, "C1-00001",
	    &error) == 1);
	check_fsck_queries(db);
	check_queries(db);
	check_pending(db, path);
	db_close(&db);
	test_case_links(path);
	test_questions(path);
	/* Start-up recovery asks, for each case folder, whether a case
	 * records it: answered from an index, not by reading every case. */
	{
		sqlite3 *raw = NULL;
		sqlite3_stmt *st = NULL;
		bool indexed = false;

		if (sqlite3_open(path, &raw) == SQLITE_OK &&
		    sqlite3_prepare_v2(raw, "EXPLAIN QUERY PLAN SELECT 1 FROM"
		    " cases WHERE dir = 'x'", -1, &st, NULL) == SQLITE_OK)
			while (sqlite3_step(st) == SQLITE_ROW)
				indexed |= strstr((const char *)
				    sqlite3_column_text(st, 3),
				    "INDEX cases_dir") != NULL;
		sqlite3_finalize(st);
		sqlite3_close(raw);
		TEST_CHECK("case-by-folder-indexed", indexed);
	}
	check_migration_batch(dir);
	check_migration_groups(dir);
	check_migration_works(dir);
	check_reason_codes(dir);
	check_mail_list(dir);
	check_migration_form(dir);
	check_quarantine(dir);
	unlink(path);
	return TEST_EXIT();
}
