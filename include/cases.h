/*
 * cases: the staff side.  Staff browse, correct and export the cases in
 * a terminal, a spreadsheet or a browser, never in a database shell:
 *
 *   subgate cases list    an aligned table (CJK-width aware) or JSON lines
 *   subgate cases show    everything about one case, its replies, reviews
 *   subgate cases export  the summary table (汇总表) as CSV or XLSX
 *   subgate cases index   <store>/<campaign>/index.html, for the browser
 *   subgate cases accept|reject   a staff decision, recorded with who/when
 *   subgate reprocess RECEIPT...  a case's naming convention judged again
 *                         after a campaign fix, corrected like a decision
 *   subgate stats         counts per category, unit (against quotas),
 *                         rejection reason and reply state
 *
 * A case_record joins the database row (authoritative for status,
 * category, title, unit and fields, which staff may correct) with the
 * case folder's case.json (attachments, sender name, subject).  A missing
 * or unreadable case.json is not an error: the record says why in
 * json_error and the row is still listed.
 *
 * Staff commands do not take the store lock: they read while the daemon
 * runs, and every file they write is replaced atomically.
 */
#ifndef SUBGATE_CASES_H
#define SUBGATE_CASES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

struct campaign;
struct db;
struct db_case_query;

/* Largest case.json read; subgate writes a few kilobytes. */
#define CASES_JSON_MAX_BYTES	(4 * 1024 * 1024)

struct case_attachment {
	char *name;		/* in the case folder */
	char *original_name;	/* as the submitter named it */
	char *content_type;
	uint64_t size;
	char *sha256;
};

struct case_field {
	char *name;
	char *value;
};

struct case_record {
	char *receipt;
	char *campaign;
	char *category;
	char *title;
	char *unit;		/* NULL when the campaign has no unit field */
	char *sender;		/* address */
	char *from_name;
	char *subject;
	char *message_id;
	char *status;
	char *dir;		/* relative to the store */
	char *received_at;	/* ISO 8601 with offset */
	struct case_field *fields;
	size_t field_count;
	struct case_attachment *attachments;
	size_t attachment_count;
	uint64_t total_size;
	char *json_error;	/* why case.json could not be read, or NULL */
};

/* The cases matching q (campaign and receipt order) as a GPtrArray of
 * struct case_record *, freed with g_ptr_array_unref(). */
int cases_load(struct db *db, const char *store_dir,
    const struct db_case_query *q, GPtrArray **cases_r, char **error_r);
void case_record_free(struct case_record *c);

/* Who submitted it, as staff name it: the unit, else the sender's name,
 * else the address.  Never NULL. */
const char *case_record_submitter(const struct case_record *c);
/* The value of a field, or NULL. */
const char *case_record_field(const struct case_record *c,
    const char *name);
/* Whether the case counts against quotas (not rejected or superseded). */
bool case_record_counts(const struct case_record *c);

/* The Chinese label staff read for a status ("accepted" -> "已受理"); an
 * unknown status is returned as is. */
const char *case_status_label(const char *status);
/* "2024-06-01T09:30:00+08:00" -> "2024-06-01 09:30" (g_free). */
char *case_time_short(const char *iso);

/* Commands; argv[0] is the command name. */
int cmd_cases(int argc, char **argv);
int cmd_stats(int argc, char **argv);

/*
 * `subgate reprocess -c CONFIG RECEIPT...`: each case's original.eml is
 * judged again under its campaign file as it is now (ingest_rematch).
 * Fields that now read differently are corrected as `cases accept --set`
 * would (database and case.json in one transaction, a review with action
 * "reprocess" by "subgate reprocess", status unchanged), except fields a
 * staff decision set, which are kept; the index is refreshed.  Prints
 * "RECEIPT<TAB>updated|unchanged|no-match<TAB>details" per case.  Returns
 * the exit status: 0, 1 when a case no longer meets the convention
 * (nothing changed), EX_DATAERR for an unknown receipt, or the error's.
 * store_dir and database may be NULL (the configured ones).
 */
int cases_reprocess(const char *config_path, const char *store_dir,
    const char *database, char *const *receipts, size_t count);

#endif
