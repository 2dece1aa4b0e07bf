/* db: schema, folder positions, duplicates, the outbox. */
#include <glib.h>
#include <stdlib.h>
#include <unistd.h>

#include "db.h"
#include "test.h"

static int
count_cb(struct db_outbox_entry *e, void *ctx)
{
	unsigned *n = ctx;

	(void)e;
	(*n)++;
	return 0;
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
	    "other", &error) == 1);
	TEST_CHECK("known-by-hash", db_message_known(db, "c1", "", "00ff",
	    &error) == 1);
	TEST_CHECK("empty-message-id-not-a-match", db_message_known(db, "c1",
	    "", "beef", &error) == 0);
	TEST_CHECK("known-per-campaign", db_message_known(db, "c2", "a@b",
	    "00ff", &error) == 0);
	TEST_CHECK("outbox-pending", db_outbox_due(db, 10, false, count_cb,
	    &n, &error) == 0 && n == 1);
	TEST_CHECK("outbox-defer", db_outbox_mark(db, 1, "queued", "421 busy",
	    &error) == 0);
	n = 0;
	TEST_CHECK("outbox-deferred-waits", db_outbox_due(db, 10, false, count_cb,
	    &n, &error) == 0 && n == 0);

	/* A rolled-back transaction leaves nothing. */
	m.uid = 4;
	m.message_id = "b@b";
	m.sha256 = "11";
	TEST_CHECK("begin-2", db_begin(db, &error) == 0);
	TEST_CHECK("message-add-2", db_message_add(db, &m, &row, &error) == 0);
	db_rollback(db);
	TEST_CHECK("rollback-forgets", db_message_known(db, "c1", "b@b", "11",
	    &error) == 0);
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
	db_close(&db);
	unlink(path);
	return TEST_EXIT();
}
