/*
 * campaign: one call for submissions, read from a campaign file
 * (subgate.campaign(5)): its identity, open/close times, the naming
 * convention(s) submissions must follow, compiled to grammars, and the
 * policy later stages enforce.
 *
 * Loading is strict: an unknown group or key, a template naming an
 * undefined field, a field never used, an enumeration without values,
 * min > max, a bad date or time zone are all errors.  Every problem found
 * is reported, one per line, as "FILE:LINE: [group] key: problem", so one
 * run of check-config shows them all.
 *
 * A unit field may carry a roster: its units, their aliases, contacts,
 * senders and own quotas, from units/alias.X, a roster file and [unit
 * NAME] groups, merged; and open globs admitting names off the roster,
 * which are then "new" (derived from the campaign whenever asked, never
 * stored).
 *
 * The optional [export] group sets the columns of the summary table
 * (汇总表) staff export: built-in columns and fields, each optionally
 * renamed as HEADER:SOURCE; and its shape: one list or a block per unit
 * under the notice's title, and a count table of one field by unit.
 *
 * A loaded campaign is immutable; getters return borrowed pointers that
 * live as long as the campaign.
 */
#ifndef SUBGATE_CAMPAIGN_H
#define SUBGATE_CAMPAIGN_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

#include "grammar.h"
#include "keyfile.h"

struct campaign;
struct content_rule;
struct media_rule;
struct regform_label;

enum convention_scope {
	CONVENTION_SUBJECT,	/* the subject must match */
	CONVENTION_FILENAME,	/* at least one attachment's file name
				   must match (the work; the form beside
				   it need not) */
	CONVENTION_BOTH,	/* the subject and a file name */
	CONVENTION_EITHER,	/* the subject, or failing that a file name */
};

enum campaign_resubmission {
	CAMPAIGN_RESUBMISSION_KEEP_ALL,	/* every submission is a case */
	CAMPAIGN_RESUBMISSION_REPLACE,	/* a later one replaces the earlier */
	CAMPAIGN_RESUBMISSION_FREEZE,	/* the first one stands, later refused */
};

/* Whether each attachment is scanned for malware ([policy] scan). */
enum campaign_scan {
	CAMPAIGN_SCAN_OFF,
	CAMPAIGN_SCAN_CLAMD,		/* through [clamd] of subgate.conf */
};

/* Files streamed to the scanner at most, by default ([policy]
 * scan_max_bytes): clamd's own default StreamMaxLength. */
#define CAMPAIGN_SCAN_MAX_BYTES		(100ULL * 1024 * 1024)

/* Who may spend a unit's quota ([policy] sender_check). */
enum campaign_sender_check {
	CAMPAIGN_SENDER_CHECK_OFF,	/* anyone may name any unit */
	CAMPAIGN_SENDER_CHECK_LISTED,	/* a unit with listed senders takes
					   mail from them only (a correction
					   to others); the rest from anyone */
	CAMPAIGN_SENDER_CHECK_CONFIRM,	/* a unit's listed senders and those
					   staff confirmed; anyone else's
					   work waits as pending (待核实),
					   counted nowhere, and one staff
					   refused gets a correction */
};

/*
 * The campaign in text (len bytes, NUL-terminated), which path names in
 * messages and beside which the files it names are found: 0 and
 * *campaign_r (campaign_free), or -1 and *error_r (g_free): every
 * problem, one per line.  Pure: reply template files ([reply]
 * KIND.body_file, KIND.html_file) are read by the caller, through
 * read_file with read_ctx; NULL for a caller with no files to give (a
 * fuzzer), for which naming one is a problem.  campaign_load()
 * (config_file.h) reads a campaign file from the disk.
 */
int campaign_parse(const char *path, const char *text, size_t len,
    keyfile_read_fn *read_file, void *read_ctx,
    struct campaign **campaign_r, char **error_r);
/* The same for a file already parsed, e.g. a main configuration that
 * embeds one campaign: only the [campaign], [field ...], [unit ...],
 * [policy], [reply], [export], [links], [works], [file ...], [remind]
 * and [summary] groups are read, other groups are the caller's.
 * text is kf's text, for line numbers. */
int campaign_parse_keyfile(GKeyFile *kf, const char *path, const char *text,
    keyfile_read_fn *read_file, void *read_ctx,
    struct campaign **campaign_r, char **error_r);
void campaign_free(struct campaign **campaign);

const char *campaign_path(const struct campaign *c);
const char *campaign_id(const struct campaign *c);
/* The id's letters and digits, upper case: receipts are PREFIX-NNNNN
 * (g_free).  Two campaigns of one configuration must not share it. */
char *campaign_receipt_prefix(const struct campaign *c);
const char *campaign_name(const struct campaign *c);
const char *campaign_folder(const struct campaign *c);
const char *campaign_contact(const struct campaign *c);	/* NULL: unset */
/* The people the notice names, with their phones, and who signs the
 * replies: free text for every reply's foot; NULL: unset. */
const char *campaign_contacts(const struct campaign *c);
const char *campaign_signature(const struct campaign *c);
/* What a submission is called in replies: 投稿 (works, the default) or
 * 报名 ([campaign] submission = 报名: people put forward, whose "title" is
 * a person's name, so no reply calls it a work in 《》). */
const char *campaign_submission_word(const struct campaign *c);
bool campaign_is_nomination(const struct campaign *c);
/*
 * What the notice still asks once the mail is in, for receipts: the
 * paper copies, the disc by 机要交换, the QR code to scan ([campaign]
 * next_steps, and next_steps.CATEGORY for one category's own); the
 * campaign's text, then that of each of categories (NULL-terminated, may
 * be NULL) that has one, each once, a line each (g_free); NULL: none.
 */
char *campaign_next_steps(const struct campaign *c,
    const char *const *categories);
/* When and where results are announced ([campaign] results); NULL. */
const char *campaign_results(const struct campaign *c);
/* The staff mailbox people's questions are forwarded to (question.h);
 * NULL: kept for staff in the gateway only. */
const char *campaign_staff(const struct campaign *c);
GDateTime *campaign_opens(const struct campaign *c);	/* NULL: unset */
GDateTime *campaign_closes(const struct campaign *c);	/* NULL: unset */
GTimeZone *campaign_timezone(const struct campaign *c);
/* <0 not open yet at `at`, 0 open, >0 closed: by the envelope of every
 * window (the earliest opening, the latest closing of any category), so
 * that a mail is late as a whole only when no item takes it. */
int campaign_window(const struct campaign *c, GDateTime *at);
/*
 * The window of one category (a canonical value of category_field;
 * [policy] closes.VALUE and opens.VALUE, else the campaign's), or the
 * envelope for NULL.  <0 not open yet, 0 open, >0 closed.  *edge_r (may
 * be NULL) gets the opening (<0) or the closing (>0, and 0: the closing
 * ahead, NULL when it never closes) that decided, borrowed; *text_r (may
 * be NULL) that time as the campaign file writes it ("2020-08-30 24:00",
 * 24:00 being the end of that day), or NULL for [campaign] opens/closes.
 */
int campaign_window_for(const struct campaign *c, const char *category,
    GDateTime *at, GDateTime **edge_r, const char **text_r);
/* The closing of one category's window (the envelope's for NULL): NULL
 * when it never closes; *text_r as campaign_window_for() gives it. */
GDateTime *campaign_closes_for(const struct campaign *c,
    const char *category, const char **text_r);
/*
 * The batch an arrival at `at` falls into ([policy] batch.VALUE, else
 * batch): the date of the first cut-off at or after `at`, in the
 * campaign's time zone, as "2020-08-28" (g_free); a 24:00 cut-off is
 * labelled with the day it ends.  NULL when no batch is set, or when
 * every cut-off is past.
 */
char *campaign_batch_for(const struct campaign *c, const char *category,
    GDateTime *at);
enum convention_scope campaign_scope(const struct campaign *c);
/* NULL when the campaign has no convention for that target. */
const struct grammar *campaign_grammar(const struct campaign *c,
    enum grammar_target t);
/* Field names, NULL when unset. */
const char *campaign_category_field(const struct campaign *c);
const char *campaign_title_field(const struct campaign *c);
const char *campaign_unit_field(const struct campaign *c);

/* [policy]; 0 means no limit. */
unsigned int campaign_quota_per_unit(const struct campaign *c);
unsigned int campaign_quota_per_submitter(const struct campaign *c);
/* The quota of one category (canonical value of category_field) per
 * unit; 0 when none is set for it. */
unsigned int campaign_quota_per_unit_category(const struct campaign *c,
    const char *category);
size_t campaign_quota_category_count(const struct campaign *c);
void campaign_quota_category(const struct campaign *c, size_t i,
    const char **category_r, unsigned int *quota_r);
enum campaign_resubmission campaign_resubmission(const struct campaign *c);
const char *campaign_resubmission_name(enum campaign_resubmission r);
uint64_t campaign_max_message_size(const struct campaign *c);
/* Lower-case extensions without the dot, NULL-terminated; NULL when the
 * campaign accepts any. */
const char *const *campaign_allowed_extensions(const struct campaign *c);
/* Whether a file name's extension is allowed (true when no list is set). */
/* Whether sender may submit for unit ([policy] senders.UNIT); true when
 * the unit has no list.  *allowed_r (may be NULL) gets the list. */
bool campaign_sender_allowed(const struct campaign *c, const char *unit,
    const char *sender, const char *const **allowed_r);
/* Whether sender is on unit's list of senders; false when it has none. */
bool campaign_sender_listed(const struct campaign *c, const char *unit,
    const char *sender);
/* [policy] sender_check; unset: listed when any unit lists senders (the
 * behaviour before the key existed), else off. */
enum campaign_sender_check campaign_sender_check(const struct campaign *c);
/* Whether [links] accept takes links of this provider (enum
 * cloudlink_provider) as files of a work; unset: all but "other". */
bool campaign_link_accepted(const struct campaign *c, int provider);
/* [links] fetch: whether subgate downloads links on host (any case);
 * fetch_max_bytes (LIMIT_FETCH_BYTES when unset); expiry_warn in
 * seconds (CAMPAIGN_DEFAULT_EXPIRY_WARN when unset). */
#define CAMPAIGN_DEFAULT_EXPIRY_WARN	(72 * 3600)
bool campaign_link_fetch_host(const struct campaign *c, const char *host);
uint64_t campaign_link_fetch_max(const struct campaign *c);
unsigned campaign_link_expiry_warn(const struct campaign *c);
const char *campaign_sender_check_name(enum campaign_sender_check check);
bool campaign_extension_allowed(const struct campaign *c,
    const char *filename);
/* [policy] scan (off unless set) and scan_max_bytes: a larger file is
 * not scanned, and staff are told so. */
enum campaign_scan campaign_scan(const struct campaign *c);
uint64_t campaign_scan_max_bytes(const struct campaign *c);

/*
 * [works] and [file KIND]: what a mail carries.  A campaign names the
 * kinds of file it expects (the work itself, and companions such as the
 * 报名表 or the unit's 汇总表), how each is recognised, and which are
 * required; versions of one work (有字幕/无字幕), episodes of a series and
 * notes such as （盖章） are markers that names shed before they are judged.
 * A campaign that declares no work kind has one, "作品", taking the
 * types of [policy] allowed_extensions (any when unset).
 */
enum campaign_file_role {
	CAMPAIGN_FILE_WORK,		/* the work (or a version, an episode) */
	CAMPAIGN_FILE_COMPANION,	/* beside the work: a form, a photo */
};

enum campaign_file_scope {
	CAMPAIGN_SCOPE_WORK,		/* belongs to one work */
	CAMPAIGN_SCOPE_MAIL,		/* to every work of the mail */
	CAMPAIGN_SCOPE_UNIT,		/* to the unit (a 汇总表) */
};

/* form_blank: what a registration form sent as it came costs. */
enum campaign_form_blank {
	CAMPAIGN_FORM_BLANK_WARN,	/* accepted; the receipt says so */
	CAMPAIGN_FORM_BLANK_REJECT,	/* refused with a correction */
	CAMPAIGN_FORM_BLANK_OFF,	/* not judged */
};

/* form.LABEL = FIELD, form_check and form_blank of a [file KIND]: the
 * kind's .docx files are read as forms (regform.h). */
struct campaign_form {
	const struct regform_label *labels;	/* in the file's order */
	size_t label_count;
	/* form_check: fields of the convention the form's value is
	 * compared with (the work's); NULL-terminated, NULL: none. */
	const char *const *check;
	enum campaign_form_blank blank;
};

/* required, missing_version, other_files: what an absence (or a stray
 * file) costs the mail. */
enum campaign_need {
	CAMPAIGN_NEED_NO,		/* nothing: kept and listed */
	CAMPAIGN_NEED_WARN,		/* accepted; the receipt says so */
	CAMPAIGN_NEED_YES,		/* refused with a correction */
};

/* A number per value of the category field, with a default. */
struct campaign_count {
	unsigned int fallback;
	const char *const *categories;	/* canonical values, NULL-terminated */
	const unsigned int *values;	/* one per category */
};

struct campaign_file_kind {
	const char *name;		/* what replies call it: 报名表 */
	enum campaign_file_role role;
	enum campaign_file_scope scope;
	/* Globs on the name's comparison key (normalize.h NORMALIZE_KEY,
	 * without the extension); NULL: any name. */
	const char *const *globs;
	/* Lower-case extensions without the dot; NULL: any. */
	const char *const *types;
	enum campaign_need required;
	struct campaign_count count;	/* at least; 1 by default */
	/* Where required and count apply; NULL: every category. */
	const char *const *categories;
	/* content = and content.CATEGORY = (contentrule.h): the types its
	 * files may be by content; none: any. */
	const struct content_rule *content;
	size_t content_count;
	/* duration, resolution, aspect, fps, bitrate, audio and their
	 * .CATEGORY (mediarule.h), as written; none: no media is
	 * inspected for this kind. */
	const struct media_rule *media;
	size_t media_count;
	/* form.LABEL = FIELD ...: NULL when its files are not read as
	 * forms. */
	const struct campaign_form *form;
};

struct campaign_version {
	const char *name;		/* 有字幕 */
	const char *const *keys;	/* comparison keys of its spellings */
	const char *const *types;	/* extensions that mark it; NULL: none */
};

struct campaign_version_rule {
	const char *category;		/* NULL: every category */
	const char *const *versions;	/* names in versions[] */
};

struct campaign_works {
	/* [works] per_mail: false (one, the default) refuses a second
	 * distinct work in one mail; true (many) makes each its own case. */
	bool per_mail_many;
	/* [works] joiners: where a subject naming several works is cut
	 * (per_mail = many): single characters, normalised (；is ";"), and
	 * whether runs of spaces (the full-width one too) are cuts. */
	const char *const *joiners;
	bool join_at_spaces;
	/* Whether the campaign has [file] groups; false: the one work kind
	 * stands in for allowed_extensions, and every attachment is judged
	 * by it, as before kinds existed. */
	bool kinds_declared;
	enum campaign_need other_files;	/* a file of no declared kind */
	const struct campaign_version *versions;
	size_t version_count;
	/* The versions a work must come in: the rule of its category, else
	 * the rule without one. */
	const struct campaign_version_rule *required_versions;
	size_t required_version_count;
	enum campaign_need missing_version;
	const char *const *notes;	/* comparison keys of 盖章, 定稿 ... */
	/* Episode patterns, "{n}" for the number: 第{n}集, ({n}), 上. */
	const char *const *episodes;
	struct campaign_count min_episodes;	/* 0: no minimum */
};

const struct campaign_works *campaign_works(const struct campaign *c);
size_t campaign_file_kind_count(const struct campaign *c);
const struct campaign_file_kind *campaign_file_kind(const struct campaign *c,
    size_t i);
/* The versions required of a work in category (may be NULL); NULL:
 * none. */
const char *const *campaign_required_versions(const struct campaign *c,
    const char *category);
/* A count's value for one category (NULL: the default). */
unsigned int campaign_count_for(const struct campaign_count *count,
    const char *category);
/* Whether ext (without the dot, any case) is in types; true for NULL. */
bool campaign_types_allow(const char *const *types, const char *ext);
/* Whether a work may come as an archive (zip, rar, 7z) by its kinds'
 * types: then a clerk may be told to zip files. */
bool campaign_takes_archives(const struct campaign *c);
/* The content rule for a kind's file in a category (NULL: the work has
 * none): content.CATEGORY, else content =; NULL when neither is set. */
const struct content_rule *campaign_content_rule(
    const struct campaign_file_kind *k, const char *category);
/* Whether some [file KIND] reads field from its forms (form.LABEL =
 * field): a form field export columns may name as form.FIELD. */
bool campaign_form_field(const struct campaign *c, const char *field);
/* The fields the kinds' forms give, each once, in the file's order
 * (NULL-terminated, g_free the array only); NULL: no kind has a form. */
const char **campaign_form_fields(const struct campaign *c);
/* Whether a kind's required and count apply in a category. */
bool campaign_file_kind_applies(const struct campaign_file_kind *k,
    const char *category);

/* The roster of the unit field: units in the order the campaign lists
 * them (units, the roster file, then [unit NAME] groups). */
struct campaign_limit {
	const char *category;	/* canonical value of category_field */
	unsigned int n;
};

struct campaign_unit {
	const char *name;		/* canonical, normalised */
	const char *const *aliases;	/* NULL-terminated */
	const char *contact;		/* NULL: not given */
	const char *phone;		/* NULL: not given */
	bool has_quota;			/* quota (0: no limit) overrides */
	unsigned int quota;		/* [policy] quota_per_unit */
	const struct campaign_limit *quota_cat;	/* its own quota.CATEGORY */
	size_t nquota_cat;
	/* The minimums it is held to: [policy] min_per_unit_category
	 * with its own min.CATEGORY over them; never refused, shown. */
	const struct campaign_limit *mins;
	size_t nmins;
};

size_t campaign_unit_count(const struct campaign *c);
const struct campaign_unit *campaign_unit_at(const struct campaign *c,
    size_t i);
/* The roster entry of a unit by its name or an alias (any spelling that
 * normalises alike); NULL when it is not on the roster. */
const struct campaign_unit *campaign_unit_find(const struct campaign *c,
    const char *unit);
/* Whether the unit field has open globs (names off the roster admitted). */
bool campaign_unit_open(const struct campaign *c);
/* Whether unit was admitted by an open glob: the unit field has a roster
 * or globs, and unit is not on the roster.  false for NULL. */
bool campaign_unit_is_new(const struct campaign *c, const char *unit);
/* The quota of unit (NULL: the sender stands in) in category (NULL: all
 * its works); 0 means no limit.  A roster unit's own quota wins, a new
 * unit has [policy] quota_per_open_unit (0 there lifts the category
 * quotas too), the rest have quota_per_unit / quota_per_unit_category. */
unsigned int campaign_unit_quota(const struct campaign *c, const char *unit,
    const char *category);

/*
 * [remind] and [summary]: the mail the campaign sends of its own accord
 * (remind.h, summary.h).  The interval in seconds (default 3 days; 0:
 * none) within which a unit is never reminded twice; the days before the
 * deadline `run` reminds at ([remind] at, most days first; none: only by
 * hand), at campaign_remind_time() seconds into that day (default
 * 09:00); and the time of day `run` sends the staff's daily summary
 * ([summary] at), -1 when it does not.
 */
unsigned int campaign_remind_interval(const struct campaign *c);
size_t campaign_remind_points(const struct campaign *c,
    const unsigned int **days_r);
int campaign_remind_time(const struct campaign *c);
int campaign_summary_at(const struct campaign *c);

/* [reply]: the campaign's own template for one kind of reply (a name in
 * template_reply_kinds) and part ("subject", "body" or "html"); NULL
 * when the campaign keeps subgate's default. */
const char *campaign_reply_template(const struct campaign *c,
    const char *kind, const char *part);

/* [export]: what one column of the summary table shows. */
enum campaign_column_kind {
	CAMPAIGN_COLUMN_FIELD,		/* a field's value */
	CAMPAIGN_COLUMN_SEQ,		/* 序号: 1, 2, ... */
	CAMPAIGN_COLUMN_RECEIPT,	/* 回执编号 */
	CAMPAIGN_COLUMN_SENDER,		/* 投稿邮箱: the sender's address */
	CAMPAIGN_COLUMN_SENDER_NAME,	/* 投稿人: the sender's display name */
	CAMPAIGN_COLUMN_ARRIVAL,	/* 收到时间 */
	CAMPAIGN_COLUMN_STATUS,		/* 状态 */
	CAMPAIGN_COLUMN_ATTACHMENTS,	/* 附件: name (size), one a line */
	CAMPAIGN_COLUMN_ATTACHMENT_COUNT, /* 附件数 */
	CAMPAIGN_COLUMN_TOTAL_SIZE,	/* 大小: of all attachments */
	CAMPAIGN_COLUMN_BATCH,		/* 批次: campaign_batch_for() */
	CAMPAIGN_COLUMN_UNIT_CONTACT,	/* 联系人: the roster's, of the unit */
	CAMPAIGN_COLUMN_UNIT_PHONE,	/* 联系电话: likewise */
	CAMPAIGN_COLUMN_UNIT_NEW,	/* 新单位: the unit is off the roster */
	CAMPAIGN_COLUMN_LINKS,		/* 云附件: the cloud attachment links,
					   one a line (also in 附件) */
	CAMPAIGN_COLUMN_FORM,		/* form.FIELD: read from the work's
					   registration form */
};

struct campaign_column {
	enum campaign_column_kind kind;
	const char *header;	/* the heading in the table's first row */
	const char *field;	/* CAMPAIGN_COLUMN_FIELD: the field's name;
				   _FORM: the form field's */
	/* form.FIELD|FALLBACK: what shows where the form gives nothing
	 * (no form read, or its cell blank); NULL: an empty cell. */
	struct campaign_column *fallback;
};

/* The Chinese heading of a built-in column ("序号"); "" for a field. */
const char *campaign_column_label(enum campaign_column_kind kind);
/* The columns [export] columns lists, in order (borrowed); 0 and NULL
 * when the campaign keeps the default columns. */
size_t campaign_export_columns(const struct campaign *c,
    const struct campaign_column **columns_r);

/* [export] layout: how the summary table is cut. */
enum campaign_export_layout {
	CAMPAIGN_EXPORT_FLAT,		/* one list of every case (default) */
	CAMPAIGN_EXPORT_PER_UNIT,	/* a table per unit, under its name,
					   contact and phone, numbered from 1
					   (附件4 of notice 003) */
};
enum campaign_export_layout campaign_export_layout(const struct campaign *c);
/* "flat" or "per-unit" -> 0 and *layout_r; anything else <0. */
int campaign_export_layout_parse(const char *name,
    enum campaign_export_layout *layout_r);
/* [export] title: the line above each unit's table, as the notice prints
 * it (“全市党员教育作品观摩交流活动汇总表”); NULL: none.  The flat list has
 * none: its header stays the first row. */
const char *campaign_export_title(const struct campaign *c);
/* [export] counts: the field whose values a count table sets against
 * the units, with totals; NULL: no count table.  *values_r (may be NULL)
 * gets the field's values in the campaign's order, canonical and
 * NULL-terminated, or NULL when the field is not an enumeration. */
const char *campaign_export_counts(const struct campaign *c,
    const char *const **values_r);

#endif
