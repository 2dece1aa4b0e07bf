/*
 * fsck: whether the case store and the database agree, and, asked to
 * repair, the fixes that lose nothing.
 *
 * Checked: every case folder has its case row and every row its folder;
 * each file case.json lists is there with the recorded size and SHA-256,
 * and nothing unlisted lies beside them; no leftovers of interrupted work
 * (.tmp/, .spool/, the temporary files of an atomic write); receipts are
 * unique among the rows and among the folders; no reply is stuck in state
 * "sending", none refers to a message row that is gone; each work a mail
 * filed names a case that is recorded, and no two cases of one mail hold
 * the same place in its group; SQLite's own integrity_check and
 * foreign_key_check.
 *
 * Repairs never delete data: a folder no row records is moved to _fsck/
 * (or, when it is the folder of a case recorded elsewhere and missing
 * there, moved back); a row whose folder is gone is marked "missing" with
 * a review saying so; a reply stuck in "sending" is queued again with the
 * same stored message.  Only what is provably temporary and that no
 * recorded case points at is removed.  A changed or missing file has
 * nothing to be repaired from and is only reported.
 *
 * The caller holds the store (store_open(): its lock keeps the daemon
 * out, whose work in progress would otherwise look like damage).  fsck
 * takes the sender lock of the database itself, for as long as it runs,
 * so that `outbox send` cannot be mid-delivery of a reply it requeues.
 *
 * fsck_run() returns 0 when every check ran (whatever it found), <0 with
 * *error_r when the store or the database could not be read; what was
 * found before that was reported.
 */
#ifndef SUBGATE_FSCK_H
#define SUBGATE_FSCK_H

#include <stdbool.h>

struct db;
struct store;

enum fsck_kind {
	FSCK_ORPHAN_FOLDER,	/* a case folder no row records */
	FSCK_MOVED_FOLDER,	/* a case's folder, away from its place */
	FSCK_DUPLICATE_RECEIPT,	/* one receipt, two folders (or rows) */
	FSCK_MISSING_FOLDER,	/* a row whose folder is gone */
	FSCK_MARKED_MISSING,	/* marked missing, its folder back */
	FSCK_CASE_JSON,		/* unreadable, or another case's */
	FSCK_MISSING_FILE,	/* listed in case.json, not in the folder */
	FSCK_CHANGED_FILE,	/* size or SHA-256 not as recorded */
	FSCK_EXTRA_FILE,	/* in the folder, not in case.json */
	FSCK_LEFTOVER,		/* a temporary file or folder */
	FSCK_REPLY_SENDING,	/* a reply stuck in state "sending" */
	FSCK_REPLY_ORPHAN,	/* a reply whose message row is gone */
	FSCK_DATABASE,		/* integrity_check, foreign_key_check */
	FSCK_GROUP,		/* a mail's works and cases disagree */
	FSCK_KIND_COUNT,
};

enum fsck_repair {
	FSCK_REPAIR_NONE,	/* nothing to repair from: reported only */
	FSCK_REPAIR_AVAILABLE,	/* --repair would: action says what */
	FSCK_REPAIR_DONE,	/* repaired: action says how */
	FSCK_REPAIR_FAILED,	/* the repair failed: action says why */
};

struct fsck_finding {
	enum fsck_kind kind;
	const char *receipt;	/* NULL when none */
	const char *path;	/* relative to the store; NULL when none */
	const char *problem;
	enum fsck_repair repair;
	const char *action;	/* NULL with FSCK_REPAIR_NONE */
};

struct fsck_totals {
	unsigned found;
	unsigned repaired;
	unsigned repairable;	/* what --repair would fix */
};

/* The finding's strings live during the call only. */
typedef void fsck_report_fn(const struct fsck_finding *finding, void *ctx);

/* "orphan-folder", "missing-file", ... (the names the output uses). */
const char *fsck_kind_name(enum fsck_kind kind);

int fsck_run(struct store *store, struct db *db, bool repair,
    fsck_report_fn *report, void *ctx, struct fsck_totals *totals_r,
    char **error_r);

#endif
