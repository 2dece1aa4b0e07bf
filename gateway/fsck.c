/* fsck: see include/fsck.h.  The run, the case rows, the outbox and the
 * database's own checks; the store's folders are in fsck_store.c. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <glib.h>

#include "case_record.h"
#include "db.h"
#include "fsck-private.h"
#include "progress.h"
#include "store.h"

#define FSCK_REVIEWER		"subgate fsck"

static const char *const fsck_kinds[FSCK_KIND_COUNT] = {
	[FSCK_ORPHAN_FOLDER] = "orphan-folder",
	[FSCK_MOVED_FOLDER] = "moved-folder",
	[FSCK_DUPLICATE_RECEIPT] = "duplicate-receipt",
	[FSCK_MISSING_FOLDER] = "missing-folder",
	[FSCK_MARKED_MISSING] = "marked-missing",
	[FSCK_CASE_JSON] = "case-json",
	[FSCK_MISSING_FILE] = "missing-file",
	[FSCK_CHANGED_FILE] = "changed-file",
	[FSCK_EXTRA_FILE] = "extra-file",
	[FSCK_LEFTOVER] = "leftover",
	[FSCK_REPLY_SENDING] = "reply-sending",
	[FSCK_REPLY_ORPHAN] = "reply-orphan",
	[FSCK_DATABASE] = "database",
	[FSCK_GROUP] = "group",
};

const char *
fsck_kind_name(enum fsck_kind kind)
{
	g_assert((size_t)kind < G_N_ELEMENTS(fsck_kinds));
	return fsck_kinds[kind];
}

void
fsck_found(struct fsck *f, enum fsck_kind kind, const char *receipt,
    const char *path, const char *problem, enum fsck_repair repair,
    const char *action)
{
	struct fsck_finding finding = {
		.kind = kind, .receipt = receipt, .path = path,
		.problem = problem, .repair = repair, .action = action,
	};

	f->totals.found++;
	if (repair == FSCK_REPAIR_DONE)
		f->totals.repaired++;
	else if (repair == FSCK_REPAIR_AVAILABLE)
		f->totals.repairable++;
	f->report(&finding, f->ctx);
}

void
fsck_repaired(struct fsck *f, enum fsck_kind kind, const char *receipt,
    const char *path, const char *problem, int ret, const char *done,
    const char *error)
{
	if (ret < 0)
		fsck_found(f, kind, receipt, path, problem, FSCK_REPAIR_FAILED,
		    error);
	else
		fsck_found(f, kind, receipt, path, problem, FSCK_REPAIR_DONE,
		    done);
}

bool
fsck_is_dir(const struct fsck *f, const char *rel)
{
	g_autofree char *path = g_build_filename(f->root, rel, NULL);
	struct stat st;

	return lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void
fsck_row_free(gpointer p)
{
	struct fsck_row *row = p;

	g_free(row->receipt);
	g_free(row->dir);
	g_free(row->status);
	g_free(row);
}

static int
fsck_load_row(const struct db_case *c, void *ctx)
{
	struct fsck *f = ctx;
	struct fsck_row *row = g_new0(struct fsck_row, 1);

	row->receipt = g_strdup(c->receipt);
	row->dir = g_strdup(c->dir ? c->dir : "");
	row->status = g_strdup(c->status ? c->status : "");
	g_ptr_array_add(f->rows, row);
	/* A second row for a receipt (or a folder) is reported by the
	 * database checks; the first one stands for it here. */
	if (!g_hash_table_contains(f->by_receipt, row->receipt))
		g_hash_table_insert(f->by_receipt, row->receipt, row);
	if (!g_hash_table_contains(f->by_dir, row->dir))
		g_hash_table_insert(f->by_dir, row->dir, row);
	return 0;
}

/* A recorded folder must lie inside the store: no absolute path, no "..". */
static bool
fsck_dir_inside(const char *dir)
{
	g_auto(GStrv) parts = NULL;
	size_t i;

	if (*dir == '\0' || *dir == '/')
		return false;
	parts = g_strsplit(dir, "/", -1);
	for (i = 0; parts[i] != NULL; i++)
		if (strcmp(parts[i], "..") == 0)
			return false;
	return true;
}

/* The row and the case.json-less truth: the status says the folder is
 * gone, so staff see it in every list, and a review says since when and
 * what the status was.  Nothing of the row is deleted. */
static int
fsck_mark_missing(struct fsck *f, const struct fsck_row *row,
    char **error_r)
{
	g_autofree char *reason = g_strdup_printf(
	    "案卷目录缺失：%s（原状态：%s）", row->dir,
	    case_status_label(row->status));
	struct db_case_review r = {
		.receipt = row->receipt,
		.action = case_review_action_name(REVIEW_FSCK),
		.status = case_status_name(CASE_MISSING),
		.reason = reason,
		.reviewer = FSCK_REVIEWER,
	};

	if (db_begin(f->db, error_r) < 0)
		return -1;
	if (db_case_review(f->db, &r, error_r) < 0 ||
	    db_commit(f->db, error_r) < 0) {
		db_rollback(f->db);
		return -1;
	}
	return 0;
}

static void
fsck_row_missing(struct fsck *f, const struct fsck_row *row)
{
	static const char problem[] = "the case's folder is gone";
	g_autofree char *error = NULL;
	bool marked = strcmp(row->status,
	    case_status_name(CASE_MISSING)) == 0;
	int ret;

	/* Reported as found elsewhere, where it can be moved back. */
	if (row->found_elsewhere)
		return;
	if (marked) {
		fsck_found(f, FSCK_MISSING_FOLDER, row->receipt, row->dir,
		    "the case's folder is gone (marked missing)",
		    FSCK_REPAIR_NONE, NULL);
		return;
	}
	if (!f->repair) {
		fsck_found(f, FSCK_MISSING_FOLDER, row->receipt, row->dir,
		    problem, FSCK_REPAIR_AVAILABLE, "mark the case missing");
		return;
	}
	ret = fsck_mark_missing(f, row, &error);
	fsck_repaired(f, FSCK_MISSING_FOLDER, row->receipt, row->dir, problem,
	    ret, "marked the case missing", error);
}

static int
fsck_check_rows(struct fsck *f, char **error_r)
{
	struct progress *progress = progress_new("fsck", f->rows->len);
	guint i;
	int ret = 0;

	for (i = 0; ret == 0 && i < f->rows->len; i++) {
		const struct fsck_row *row = f->rows->pdata[i];

		progress_step(progress, 1);
		if (!fsck_dir_inside(row->dir)) {
			fsck_found(f, FSCK_MISSING_FOLDER, row->receipt,
			    row->dir, "the recorded folder is not a path "
			    "inside the store", FSCK_REPAIR_NONE, NULL);
			continue;
		}
		if (!fsck_is_dir(f, row->dir)) {
			fsck_row_missing(f, row);
			continue;
		}
		if (strcmp(row->status, case_status_name(CASE_MISSING)) == 0)
			fsck_found(f, FSCK_MARKED_MISSING, row->receipt,
			    row->dir, "marked missing, but its folder is "
			    "there: decide with `subgate cases accept` or "
			    "`reject`", FSCK_REPAIR_NONE, NULL);
		ret = fsck_case_contents(f, row, error_r);
	}
	progress_done(&progress);
	return ret;
}

static int
fsck_duplicate_receipt(const char *receipt, int64_t count, void *ctx)
{
	g_autofree char *problem = g_strdup_printf("the database records "
	    "this receipt for %lld cases", (long long)count);

	fsck_found(ctx, FSCK_DUPLICATE_RECEIPT, receipt, NULL, problem,
	    FSCK_REPAIR_NONE, NULL);
	return 0;
}

static int
fsck_integrity_problem(const char *problem, void *ctx)
{
	g_autofree char *text = g_strdup_printf("integrity_check: %s",
	    problem);

	fsck_found(ctx, FSCK_DATABASE, NULL, NULL, text, FSCK_REPAIR_NONE,
	    NULL);
	return 0;
}

static int
fsck_foreign_key(const char *table, int64_t rowid, const char *parent,
    void *ctx)
{
	g_autofree char *text = NULL;

	/* A reply without its message, a work without its case, have a
	 * finding of their own. */
	if ((g_strcmp0(table, "outbox") == 0 &&
	    g_strcmp0(parent, "messages") == 0) ||
	    (g_strcmp0(table, "message_works") == 0 &&
	    g_strcmp0(parent, "cases") == 0))
		return 0;
	text = g_strdup_printf("foreign_key_check: %s row %lld refers to a "
	    "row of %s that is not there", table, (long long)rowid, parent);
	fsck_found(ctx, FSCK_DATABASE, NULL, NULL, text, FSCK_REPAIR_NONE,
	    NULL);
	return 0;
}

/* An outbox row as found, kept until the walk is over (the repair
 * writes). */
struct fsck_reply {
	int64_t id;
	char *state;
	char *recipient;
	char *receipt;
	int64_t message_row;
	bool message_gone;
};

static void
fsck_reply_free(gpointer p)
{
	struct fsck_reply *r = p;

	g_free(r->state);
	g_free(r->recipient);
	g_free(r->receipt);
	g_free(r);
}

static int
fsck_collect_reply(const struct db_outbox_problem *p, void *ctx)
{
	struct fsck_reply *r = g_new0(struct fsck_reply, 1);

	r->id = p->id;
	r->state = g_strdup(p->state);
	r->recipient = g_strdup(p->recipient);
	r->receipt = g_strdup(p->receipt);
	r->message_row = p->message_row;
	r->message_gone = p->message_gone;
	g_ptr_array_add(ctx, r);
	return 0;
}

static void
fsck_reply_sending(struct fsck *f, const struct fsck_reply *r)
{
	g_autofree char *problem = g_strdup_printf("reply %lld to %s is "
	    "stuck in state sending", (long long)r->id, r->recipient);
	g_autofree char *error = NULL;
	int ret;

	if (!f->sender_held) {
		g_autofree char *busy = g_strdup_printf("reply %lld to %s is "
		    "in state sending while another subgate process sends "
		    "replies: run fsck again when it is done", (long long)r->id,
		    r->recipient);

		fsck_found(f, FSCK_REPLY_SENDING, r->receipt, NULL, busy,
		    FSCK_REPAIR_NONE, NULL);
		return;
	}
	if (!f->repair) {
		fsck_found(f, FSCK_REPLY_SENDING, r->receipt, NULL, problem,
		    FSCK_REPAIR_AVAILABLE, "queue it again, same Message-ID");
		return;
	}
	ret = db_outbox_unstick(f->db, r->id, &error);
	if (ret == 0)
		error = g_strdup("it is no longer in state sending");
	fsck_repaired(f, FSCK_REPLY_SENDING, r->receipt, NULL, problem,
	    ret > 0 ? 0 : -1, "queued again, same Message-ID", error);
}

static int
fsck_check_outbox(struct fsck *f, char **error_r)
{
	GPtrArray *replies = g_ptr_array_new_with_free_func(fsck_reply_free);
	guint i;

	if (db_outbox_check(f->db, fsck_collect_reply, replies, error_r) < 0) {
		g_ptr_array_unref(replies);
		return -1;
	}
	for (i = 0; i < replies->len; i++) {
		const struct fsck_reply *r = replies->pdata[i];

		if (strcmp(r->state, "sending") == 0)
			fsck_reply_sending(f, r);
		if (r->message_gone) {
			g_autofree char *problem = g_strdup_printf("%s reply "
			    "%lld to %s refers to message row %lld, which is "
			    "gone", r->state, (long long)r->id, r->recipient,
			    (long long)r->message_row);

			fsck_found(f, FSCK_REPLY_ORPHAN, r->receipt, NULL,
			    problem, FSCK_REPAIR_NONE, NULL);
		}
	}
	g_ptr_array_unref(replies);
	return 0;
}

/* Nothing to repair from: which case the work was filed as, or which
 * place in the group each case holds, only staff can tell. */
static int
fsck_group_problem(int64_t message_row, unsigned pos, const char *receipt,
    int64_t count, void *ctx)
{
	g_autofree char *problem = receipt != NULL ?
	    g_strdup_printf("work %u of message row %lld was filed as %s, "
	    "which no case records", pos, (long long)message_row, receipt) :
	    g_strdup_printf("%lld cases of message row %lld hold place %u "
	    "of its group", (long long)count, (long long)message_row, pos);

	fsck_found(ctx, FSCK_GROUP, receipt, NULL, problem, FSCK_REPAIR_NONE,
	    NULL);
	return 0;
}

/* The database's checks that read past the rows fsck loaded. */
static int
fsck_check_database(struct fsck *f, char **error_r)
{
	if (db_check_integrity(f->db, fsck_integrity_problem, f,
	    error_r) < 0 ||
	    db_check_foreign_keys(f->db, fsck_foreign_key, f, error_r) < 0 ||
	    db_case_duplicate_receipts(f->db, fsck_duplicate_receipt, f,
	    error_r) < 0 ||
	    db_check_groups(f->db, fsck_group_problem, f, error_r) < 0)
		return -1;
	return 0;
}

int
fsck_run(struct store *store, struct db *db, bool repair,
    fsck_report_fn *report, void *ctx, struct fsck_totals *totals_r,
    char **error_r)
{
	struct db_case_query all = { 0 };
	struct fsck f = {
		.store = store, .db = db, .root = store_dir(store),
		.repair = repair, .report = report, .ctx = ctx,
		.rows = g_ptr_array_new_with_free_func(fsck_row_free),
		.by_dir = g_hash_table_new(g_str_hash, g_str_equal),
		.by_receipt = g_hash_table_new(g_str_hash, g_str_equal),
	};
	int ret = -1, held;

	/* A reply in "sending" is stuck only if no one is sending it. */
	if ((held = db_sender_claim(db, error_r)) < 0)
		goto out;
	f.sender_held = held > 0;
	/* The database first: if it is damaged, that is the news. */
	if (fsck_check_database(&f, error_r) < 0 ||
	    db_case_list(db, &all, fsck_load_row, &f, error_r) < 0 ||
	    fsck_store_walk(&f, error_r) < 0 ||
	    fsck_check_rows(&f, error_r) < 0 ||
	    fsck_check_outbox(&f, error_r) < 0)
		goto out;
	ret = 0;
out:
	if (f.sender_held)
		db_sender_release(db);
	*totals_r = f.totals;
	g_hash_table_destroy(f.by_dir);
	g_hash_table_destroy(f.by_receipt);
	g_ptr_array_unref(f.rows);
	return ret;
}
