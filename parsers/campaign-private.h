/*
 * campaign_private: what the files of the campaign module share, and no
 * other module may use: the campaign itself and the loader that reads it
 * from a campaign file's text.
 *
 *   campaign.c          a loaded campaign: getters, campaign_free()
 *   campaign_load.c     the loader: problems with FILE:LINE, typed values,
 *                       [campaign], and the entry points of campaign.h
 *   campaign_fields.c   [field NAME] groups, the conventions built on them
 *   campaign_policy.c   [policy], [reply] and [export]
 *   campaign_works.c    [works] and [file KIND]
 *   campaign_form.c     a [file KIND]'s form.LABEL = FIELD, form_check,
 *                       form_blank: its files read as registration forms
 *   campaign_schedule.c [policy] closes.VALUE, opens.VALUE and batch:
 *                       windows per category, batches, the envelope
 *   campaign_units.c    the unit field's roster: units, roster file,
 *                       [unit NAME], open, and their [policy] keys
 *   campaign_notify.c   [remind] and [summary]: reminders before the
 *                       deadline and the staff's daily summary
 *
 * The loader's functions report through loader_problem() and carry on,
 * so that one run of check-config shows every problem of a file.
 */
#ifndef SUBGATE_CAMPAIGN_PRIVATE_H
#define SUBGATE_CAMPAIGN_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

#include "campaign.h"
#include "cloudlink.h"
#include "grammar.h"
#include "keyfile.h"

/* Kinds of reply (template_reply_kinds) and parts of a template. */
#define REPLY_KINDS		12
#define REPLY_PARTS		3

struct campaign_schedule;

struct quota_category {
	char *category;
	unsigned int quota;
};

struct campaign {
	char *path;
	char *id;
	char *name;
	char *folder;
	char *contact;
	char *contacts;
	char *staff;		/* [campaign] staff: questions go there */
	char *signature;
	/* submission = 报名: people put forward, not works (campaign.h) */
	bool nomination;
	/* next_steps, next_steps.CATEGORY and results (campaign_steps.c) */
	char *next_steps;
	GPtrArray *category_steps;	/* category, text, category, text... */
	char *results;
	GTimeZone *tz;
	GDateTime *opens;
	GDateTime *closes;
	enum convention_scope scope;
	struct grammar *subject;
	struct grammar *filename;
	char *category_field;
	char *title_field;
	char *unit_field;
	unsigned int quota_per_unit;
	unsigned int quota_per_submitter;
	struct quota_category *quota_cat;
	size_t nquota_cat;
	enum campaign_resubmission resubmission;
	uint64_t max_message_size;
	char **allowed_extensions;
	/* [policy] senders.UNIT: normalised unit -> addresses and @domains
	 * (lower case) that may submit for it. */
	GHashTable *unit_senders;
	bool has_sender_check;		/* [policy] sender_check is set */
	enum campaign_sender_check sender_check;
	enum campaign_scan scan;
	uint64_t scan_max_bytes;	/* 0: CAMPAIGN_SCAN_MAX_BYTES */
	char *reply[REPLY_KINDS][REPLY_PARTS];	/* subject, body, html */
	/* [export] columns; NULL: the summary table's default columns. */
	struct campaign_column *export_columns;
	size_t nexport_columns;
	enum campaign_export_layout export_layout;
	char *export_title;
	char *export_counts;		/* the field; NULL: no count table */
	char **export_counts_values;	/* its enumeration, canonical */
	/* [works] and [file KIND]; what they point to is in owned. */
	struct campaign_works works;
	struct campaign_file_kind *kinds;
	size_t nkinds;
	GPtrArray *owned;		/* g_free'd with the campaign */
	/* [policy] closes.VALUE, opens.VALUE, batch and batch.VALUE; NULL
	 * when none is set (campaign_schedule.c). */
	struct campaign_schedule *schedule;
	/* The unit field's roster (campaign_units.c). */
	struct campaign_unit *units;
	size_t nunits;
	GHashTable *unit_index;	/* key of a name or alias -> index + 1 */
	bool unit_roster;	/* the unit field has units or open globs */
	bool unit_open;
	/* [links] accept: the cloud attachment providers whose links count
	 * as files (cloudlink.h), by enum cloudlink_provider. */
	bool links_accept[LINK_PROVIDER_COUNT];
	/* [links] fetch: the hosts whose links subgate downloads (lower
	 * case, a provider's name expanded), NULL: none; the largest
	 * download, and how long before expiry staff are warned. */
	char **links_fetch;
	uint64_t links_fetch_max;
	unsigned links_expiry_warn;	/* seconds; 0: the default */
	bool has_open_quota;	/* [policy] quota_per_open_unit is set */
	unsigned int quota_per_open_unit;
	/* [remind] and [summary] (campaign_notify.c). */
	unsigned int remind_interval;	/* seconds */
	unsigned int *remind_days;	/* [remind] at, most days first */
	size_t nremind_days;
	int remind_time;		/* seconds into the day */
	int summary_at;			/* seconds into the day; -1: unset */
};

/* One [field NAME] group, as read. */
struct field_def {
	char *group;
	char *name;
	struct grammar_field_spec spec;
	char **values;
	char **aliases;		/* flattened pairs */
	size_t nalias;
	char **examples;
	char **open;		/* a unit's open globs */
	bool used;
};

/* One campaign being read: its text, what is found wrong, and the fields
 * read so far (conventions and policy refer to them by name). */
struct loader {
	GKeyFile *kf;
	const char *path;
	const char *text;		/* for line numbers */
	struct keyfile_lines *lines;
	keyfile_read_fn *read_file;	/* reply templates; may be NULL */
	void *read_ctx;
	GString *err;	/* every problem, one a line */
	struct campaign *c;
	struct field_def *fields;
	size_t nfields;
	/* the unit field's roster while it is read (campaign_units.c) */
	struct loader_roster *roster;
};

/* campaign.c */
void campaign_column_clear(struct campaign_column *col);

/* campaign_load.c: "PATH:LINE: [group] key: problem", one a line; the
 * line of the key, else of the group, else none. */
void loader_problem(struct loader *l, const char *group, const char *key,
    const char *fmt, ...) G_GNUC_PRINTF(4, 5);
/* A key's value, stripped; NULL (and a problem when set but empty) when
 * there is none. */
char *loader_string(struct loader *l, const char *group, const char *key);
/* A ;-separated list without empty elements; NULL when unset. */
char **loader_list(struct loader *l, const char *group, const char *key);
bool loader_parse_integer(const char *s, long long *v_r);
/* An integer >= min; false (with a problem when set) otherwise. */
bool loader_integer(struct loader *l, const char *group, const char *key,
    long long min, long long *v_r);
/* Every key of group is in known or starts with prefix_allowed. */
void loader_check_keys(struct loader *l, const char *group,
    const char *const *known, const char *prefix_allowed);
/* The same with several prefixes (NULL-terminated). */
void loader_check_keys_prefixed(struct loader *l, const char *group,
    const char *const *known, const char *const *prefixes);

/* campaign_works.c: after [policy] (allowed_extensions). */
void loader_works(struct loader *l);
/* campaign_form.c: form.LABEL, form_check and form_blank of one [file
 * KIND] (after the convention: form_check names its fields). */
void loader_form(struct loader *l, const char *group,
    struct campaign_file_kind *k);

/* campaign_fields.c */
void loader_field(struct loader *l, const char *group);
/* The subject and file name conventions, compiled against the fields,
 * and the fields given roles (category, title, unit). */
void loader_convention(struct loader *l);
const struct field_def *loader_field_find(const struct loader *l,
    const char *name);
void loader_fields_clear(struct loader *l);

/* campaign_policy.c */
void loader_policy(struct loader *l);
/* [campaign] next_steps, next_steps.CATEGORY and results; after the
 * fields, which name the categories. */
void loader_steps(struct loader *l);
/* [links] (campaign_policy.c). */
void loader_links(struct loader *l);
/* The canonical spelling of a category named in the file; NULL when it
 * is not a value of category_field (g_free). */
char *loader_category_canonical(const struct loader *l, const char *name);
void loader_reply(struct loader *l);
void loader_export(struct loader *l);

/* campaign_schedule.c: the [policy] keys closes.*, opens.*, batch and
 * batch.*, after the fields and [campaign]. */
void loader_schedule(struct loader *l);
void campaign_schedule_free(struct campaign_schedule **s);
/* campaign_units.c */
/* roster, open, and (for the unit field) [unit NAME]: merged into f's
 * values and aliases, so that the grammar knows every spelling. */
void loader_field_roster(struct loader *l, const char *group,
    struct field_def *f);
/* What the roster says about each unit, and [policy]
 * quota_per_open_unit and min_per_unit_category; after loader_policy. */
void loader_units(struct loader *l);
void loader_roster_clear(struct loader *l);
void campaign_units_free(struct campaign *c);
/* campaign_notify.c: [remind] and [summary]. */
void loader_notify(struct loader *l);

#endif
