/*
 * case_record: a case as staff tools see it, joining the database row
 * (authoritative for status, category, title, unit and fields, which
 * staff may correct) with the case folder's case.json (attachments,
 * sender name, subject).  A missing or unreadable case.json is not an
 * error: the record says why in json_error and the row is still listed.
 *
 * Used by the staff commands (gateway/cmd/) and by the daemon's own index
 * page (htmlindex), so it lives with the daemon's stages and knows nothing
 * of the command line.  Staff commands do not take the store lock: they
 * read while the daemon runs.
 */
#ifndef SUBGATE_CASE_RECORD_H
#define SUBGATE_CASE_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "case_json.h"

struct db;
struct db_case_query;
struct progress;

enum case_status {
	CASE_ACCEPTED,
	CASE_REJECTED,		/* by a staff decision */
	CASE_SUPERSEDED,	/* replaced by a later submission */
	CASE_MISSING,		/* its folder is gone (found by fsck) */
	CASE_PENDING,		/* filed from a sender not known for its
				   unit ([policy] sender_check = confirm):
				   waits for staff, counts nowhere */
	CASE_STATUS_COUNT,
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
	char *status;		/* case_status_name(); unknown ones kept */
	char *dir;		/* relative to the store */
	char *received_at;	/* ISO 8601 with offset */
	char *batch;		/* campaign_batch_for(), or NULL */
	struct case_field *fields;
	size_t field_count;
	/* What its registration form said (cases.form_json): NULL and 0
	 * when no form was read. */
	struct case_field *form;
	size_t form_count;
	struct case_attachment *attachments;
	size_t attachment_count;
	uint64_t total_size;
	struct case_finding *findings;	/* what checking content found */
	size_t finding_count;
	struct case_link *links;	/* cloud attachments (case.json) */
	size_t link_count;
	char *json_error;	/* why case.json could not be read, or NULL */
	int64_t seq;		/* the receipt's number */
};

/* The cases matching q (campaign and receipt order) as a GPtrArray of
 * struct case_record *, freed with g_ptr_array_unref().  progress (may be
 * NULL) advances one step per case read. */
int case_records_load(struct db *db, const char *store_dir,
    const struct db_case_query *q, struct progress *progress,
    GPtrArray **cases_r, char **error_r);
void case_record_free(struct case_record *c);

/* Who submitted it, as staff name it: the unit, else the sender's name,
 * else the address.  Never NULL. */
const char *case_record_submitter(const struct case_record *c);
/* The value of a field, or NULL. */
const char *case_record_field(const struct case_record *c,
    const char *name);
/* The value of a form field, or NULL (no form read, or no such label);
 * "" when the form left it blank. */
const char *case_record_form(const struct case_record *c, const char *name);
/* What staff see of its registration form: "不一致" (a field differs from
 * the name, form-contradicts), "未填" (sent blank), "未读取" (a .doc, a
 * PDF or a scan, or no labels found in it), "✓" (read); NULL: no form. */
const char *case_record_form_mark(const struct case_record *c);
/* The form's fields that are not the convention's, "制作单位：金坛区融媒
 * 体中心；集数：1", at most max of them, blank ones left out (g_free);
 * NULL when there are none. */
char *case_record_form_text(const struct case_record *c, size_t max);
/* Whether the case counts against quotas (not rejected, superseded,
 * missing or pending: a submitter whose files the store lost may send
 * them again, and a stranger's work waits for staff before it counts). */
bool case_record_counts(const struct case_record *c);

/*
 * A work a mail carried and did not file (message_works), as the views
 * that list cases show it beside them: after the mail's last case, with
 * the mail's first receipt as 同一邮件.
 */
struct case_refused {
	char *campaign, *title, *category, *unit, *sender, *subject;
	char *received_at, *outcome, *policy, *reason;
	char *first_receipt;	/* NULL when the mail made no case */
	int64_t last_seq;	/* the mail's last case's number, 0: none */
	unsigned pos;		/* its place among the mail's works */
};
/* The refused works matching q (db_refused_works(): q's status is the
 * work's outcome) as a GPtrArray of struct case_refused *, in the order
 * they are shown. */
int case_refused_load(struct db *db, const struct db_case_query *q,
    bool with_cases_only, GPtrArray **refused_r, char **error_r);
/* Whether r is shown before case c in a list in campaign and receipt
 * order: after its mail's last case; those of a mail that made none
 * after their campaign's cases. */
bool case_refused_before(const struct case_refused *r,
    const struct case_record *c);

/* What a review of a case was: a staff decision (on the case, or on its
 * sender for its unit), a reprocess run, or fsck marking a case whose
 * folder is gone. */
enum case_review_action {
	REVIEW_ACCEPT,
	REVIEW_REJECT,
	REVIEW_REPROCESS,
	REVIEW_FSCK,
	REVIEW_CONFIRM,		/* the sender speaks for the unit */
	REVIEW_REFUSE,		/* the sender does not */
	REVIEW_ACTION_COUNT,
};
/* "accept", "reject", "reprocess", "fsck", "confirm", "refuse"; parse
 * returns <0 for another name. */
const char *case_review_action_name(enum case_review_action action);
int case_review_action_parse(const char *name,
    enum case_review_action *action_r);

/* The one name table of case statuses: "accepted", "rejected",
 * "superseded", "missing", "pending"; case_status_parse() returns <0 for
 * another name. */
const char *case_status_name(enum case_status status);
int case_status_parse(const char *name, enum case_status *status_r);
/* The Chinese label staff read for a status name ("accepted" ->
 * "已受理"); an unknown name is returned as is, NULL as "". */
const char *case_status_label(const char *status);
/* "2024-06-01T09:30:00+08:00" -> "2024-06-01 09:30" (g_free). */
char *case_time_short(const char *iso);
/* An ISO 8601 time the database wrote in UTC (…Z), in tz, as ISO 8601
 * with its offset: what staff read beside times of arrival.  NULL for
 * NULL; iso itself when it does not parse or tz is NULL (g_free). */
char *case_time_local(const char *iso, GTimeZone *tz);

#endif
