/*
 * campaign: a loaded campaign and its getters.  See include/campaign.h
 * and subgate.campaign(5); the loader is in campaign_load.c and the files
 * include/campaign_private.h lists.
 */
#include <string.h>

#include "campaign-private.h"
#include "contentrule.h"
#include "mail_limits.h"
#include "normalize.h"
#include "template.h"

void
campaign_column_clear(struct campaign_column *col)
{
	g_free((char *)col->header);
	g_free((char *)col->field);
	if (col->fallback != NULL) {
		campaign_column_clear(col->fallback);
		g_free(col->fallback);
	}
	memset(col, 0, sizeof(*col));
}

static void
campaign_free_contents(struct campaign *c)
{
	size_t i;

	g_free(c->path);
	g_free(c->id);
	g_free(c->name);
	g_free(c->folder);
	g_free(c->contact);
	g_free(c->contacts);
	g_free(c->staff);
	g_free(c->signature);
	g_free(c->next_steps);
	if (c->category_steps != NULL)
		g_ptr_array_free(c->category_steps, TRUE);
	g_free(c->results);
	if (c->tz != NULL)
		g_time_zone_unref(c->tz);
	if (c->opens != NULL)
		g_date_time_unref(c->opens);
	if (c->closes != NULL)
		g_date_time_unref(c->closes);
	grammar_free(&c->subject);
	grammar_free(&c->filename);
	g_free(c->category_field);
	g_free(c->title_field);
	g_free(c->unit_field);
	for (i = 0; i < c->nquota_cat; i++)
		g_free(c->quota_cat[i].category);
	g_free(c->quota_cat);
	g_strfreev(c->allowed_extensions);
	g_strfreev(c->links_fetch);
	if (c->unit_senders != NULL)
		g_hash_table_destroy(c->unit_senders);
	for (i = 0; i < REPLY_KINDS; i++) {
		size_t j;

		for (j = 0; j < REPLY_PARTS; j++)
			g_free(c->reply[i][j]);
	}
	for (i = 0; i < c->nexport_columns; i++)
		campaign_column_clear(&c->export_columns[i]);
	g_free(c->export_columns);
	g_free(c->export_title);
	g_free(c->export_counts);
	g_strfreev(c->export_counts_values);
	if (c->owned != NULL)
		g_ptr_array_free(c->owned, TRUE);
	campaign_schedule_free(&c->schedule);
	campaign_units_free(c);
	g_free(c->remind_days);
}

void
campaign_free(struct campaign **cp)
{
	if (*cp == NULL)
		return;
	campaign_free_contents(*cp);
	g_free(*cp);
	*cp = NULL;
}

/* ------------------------------------------------------------------ */
/* getters */

const char *campaign_path(const struct campaign *c) { return c->path; }
const char *campaign_id(const struct campaign *c) { return c->id; }
const char *campaign_name(const struct campaign *c) { return c->name; }
const char *campaign_folder(const struct campaign *c) { return c->folder; }
const char *campaign_contact(const struct campaign *c) { return c->contact; }
const char *campaign_contacts(const struct campaign *c) { return c->contacts; }
const char *campaign_staff(const struct campaign *c) { return c->staff; }
const char *campaign_signature(const struct campaign *c) { return c->signature; }
const char *campaign_submission_word(const struct campaign *c)
{
	return c->nomination ? "报名" : "投稿";
}
bool campaign_is_nomination(const struct campaign *c) { return c->nomination; }
GDateTime *campaign_opens(const struct campaign *c) { return c->opens; }
GDateTime *campaign_closes(const struct campaign *c) { return c->closes; }
GTimeZone *campaign_timezone(const struct campaign *c) { return c->tz; }

enum convention_scope
campaign_scope(const struct campaign *c)
{
	return c->scope;
}

int
campaign_window(const struct campaign *c, GDateTime *at)
{
	return campaign_window_for(c, NULL, at, NULL, NULL);
}

const struct grammar *
campaign_grammar(const struct campaign *c, enum grammar_target t)
{
	return t == GRAMMAR_SUBJECT ? c->subject : c->filename;
}

const char *
campaign_category_field(const struct campaign *c)
{
	return c->category_field;
}

const char *
campaign_title_field(const struct campaign *c)
{
	return c->title_field;
}

const char *
campaign_unit_field(const struct campaign *c)
{
	return c->unit_field;
}

unsigned int
campaign_quota_per_unit(const struct campaign *c)
{
	return c->quota_per_unit;
}

unsigned int
campaign_quota_per_submitter(const struct campaign *c)
{
	return c->quota_per_submitter;
}

unsigned int
campaign_quota_per_unit_category(const struct campaign *c,
    const char *category)
{
	char *key = normalize_text(category, NORMALIZE_KEY), *k;
	unsigned int q = 0;
	size_t i;

	for (i = 0; i < c->nquota_cat && q == 0; i++) {
		k = normalize_text(c->quota_cat[i].category, NORMALIZE_KEY);
		if (strcmp(k, key) == 0)
			q = c->quota_cat[i].quota;
		g_free(k);
	}
	g_free(key);
	return q;
}

size_t
campaign_quota_category_count(const struct campaign *c)
{
	return c->nquota_cat;
}

void
campaign_quota_category(const struct campaign *c, size_t i,
    const char **category_r, unsigned int *quota_r)
{
	g_assert(i < c->nquota_cat);
	*category_r = c->quota_cat[i].category;
	*quota_r = c->quota_cat[i].quota;
}

enum campaign_resubmission
campaign_resubmission(const struct campaign *c)
{
	return c->resubmission;
}

const char *
campaign_resubmission_name(enum campaign_resubmission r)
{
	switch (r) {
	case CAMPAIGN_RESUBMISSION_KEEP_ALL:
		return "keep-all";
	case CAMPAIGN_RESUBMISSION_REPLACE:
		return "replace";
	case CAMPAIGN_RESUBMISSION_FREEZE:
		return "freeze";
	}
	return "keep-all";
}

uint64_t
campaign_max_message_size(const struct campaign *c)
{
	return c->max_message_size;
}

enum campaign_scan
campaign_scan(const struct campaign *c)
{
	return c->scan;
}

uint64_t
campaign_scan_max_bytes(const struct campaign *c)
{
	return c->scan_max_bytes > 0 ? c->scan_max_bytes :
	    CAMPAIGN_SCAN_MAX_BYTES;
}

const char *const *
campaign_allowed_extensions(const struct campaign *c)
{
	return (const char *const *)c->allowed_extensions;
}

bool
campaign_extension_allowed(const struct campaign *c, const char *filename)
{
	const char *dot;
	size_t i;

	if (c->allowed_extensions == NULL)
		return TRUE;
	dot = filename == NULL ? NULL : strrchr(filename, '.');
	if (dot == NULL)
		return FALSE;
	for (i = 0; c->allowed_extensions[i] != NULL; i++)
		if (g_ascii_strcasecmp(dot + 1, c->allowed_extensions[i]) == 0)
			return TRUE;
	return FALSE;
}

const char *
campaign_reply_template(const struct campaign *c, const char *kind,
    const char *part)
{
	size_t k, p;

	for (k = 0; k < REPLY_KINDS; k++)
		if (strcmp(template_reply_kinds[k], kind) == 0)
			break;
	if (strcmp(part, "subject") == 0)
		p = 0;
	else if (strcmp(part, "body") == 0)
		p = 1;
	else
		p = 2;
	if (k == REPLY_KINDS)
		return NULL;
	return c->reply[k][p];
}

bool
campaign_sender_allowed(const struct campaign *c, const char *unit,
    const char *sender, const char *const **allowed_r)
{
	g_autofree char *key = NULL;
	char **list;
	size_t i, n;

	if (allowed_r != NULL)
		*allowed_r = NULL;
	if (c->unit_senders == NULL || unit == NULL)
		return true;
	key = normalize_text(unit, NORMALIZE_KEY);
	list = g_hash_table_lookup(c->unit_senders, key);
	if (list == NULL)
		return true;
	if (allowed_r != NULL)
		*allowed_r = (const char *const *)list;
	n = strlen(sender);
	for (i = 0; list[i] != NULL; i++) {
		size_t m = strlen(list[i]);

		if (list[i][0] == '@' ? n > m &&
		    g_ascii_strcasecmp(sender + n - m, list[i]) == 0 :
		    g_ascii_strcasecmp(sender, list[i]) == 0)
			return true;
	}
	return false;
}

bool
campaign_sender_listed(const struct campaign *c, const char *unit,
    const char *sender)
{
	const char *const *list = NULL;

	return campaign_sender_allowed(c, unit, sender, &list) && list != NULL;
}

bool
campaign_link_accepted(const struct campaign *c, int provider)
{
	return provider >= 0 && provider < LINK_PROVIDER_COUNT &&
	    c->links_accept[provider];
}

bool
campaign_link_fetch_host(const struct campaign *c, const char *host)
{
	g_autofree char *h = host != NULL ? g_ascii_strdown(host, -1) : NULL;

	return h != NULL && c->links_fetch != NULL &&
	    g_strv_contains((const char *const *)c->links_fetch, h);
}

uint64_t
campaign_link_fetch_max(const struct campaign *c)
{
	return c->links_fetch_max > 0 ? c->links_fetch_max :
	    LIMIT_FETCH_BYTES;
}

unsigned
campaign_link_expiry_warn(const struct campaign *c)
{
	return c->links_expiry_warn > 0 ? c->links_expiry_warn :
	    CAMPAIGN_DEFAULT_EXPIRY_WARN;
}

enum campaign_sender_check
campaign_sender_check(const struct campaign *c)
{
	if (c->has_sender_check)
		return c->sender_check;
	/* Read here, not at load: the roster's senders are merged after
	 * [policy] is read. */
	return c->unit_senders != NULL ? CAMPAIGN_SENDER_CHECK_LISTED :
	    CAMPAIGN_SENDER_CHECK_OFF;
}

const char *
campaign_sender_check_name(enum campaign_sender_check check)
{
	switch (check) {
	case CAMPAIGN_SENDER_CHECK_LISTED:
		return "listed";
	case CAMPAIGN_SENDER_CHECK_CONFIRM:
		return "confirm";
	case CAMPAIGN_SENDER_CHECK_OFF:
		break;
	}
	return "off";
}

size_t
campaign_export_columns(const struct campaign *c,
    const struct campaign_column **columns_r)
{
	*columns_r = c->export_columns;
	return c->nexport_columns;
}

enum campaign_export_layout
campaign_export_layout(const struct campaign *c)
{
	return c->export_layout;
}

int
campaign_export_layout_parse(const char *name,
    enum campaign_export_layout *layout_r)
{
	if (strcmp(name, "flat") == 0)
		*layout_r = CAMPAIGN_EXPORT_FLAT;
	else if (strcmp(name, "per-unit") == 0)
		*layout_r = CAMPAIGN_EXPORT_PER_UNIT;
	else
		return -1;
	return 0;
}

const char *
campaign_export_title(const struct campaign *c)
{
	return c->export_title;
}

const char *
campaign_export_counts(const struct campaign *c, const char *const **values_r)
{
	if (values_r != NULL)
		*values_r = (const char *const *)c->export_counts_values;
	return c->export_counts;
}

char *
campaign_receipt_prefix(const struct campaign *c)
{
	GString *prefix = g_string_new(NULL);
	const char *p;

	for (p = c->id; *p != '\0'; p++)
		if (g_ascii_isalnum(*p))
			g_string_append_c(prefix, g_ascii_toupper(*p));
	return g_string_free(prefix, FALSE);
}


/* ------------------------------------------------------------------ */
/* [works] and [file KIND] */

const struct campaign_works *
campaign_works(const struct campaign *c)
{
	return &c->works;
}

size_t
campaign_file_kind_count(const struct campaign *c)
{
	return c->nkinds;
}

const struct campaign_file_kind *
campaign_file_kind(const struct campaign *c, size_t i)
{
	g_assert(i < c->nkinds);
	return &c->kinds[i];
}

const char *const *
campaign_required_versions(const struct campaign *c, const char *category)
{
	const struct campaign_works *w = &c->works;
	const char *const *all = NULL;
	size_t i;

	for (i = 0; i < w->required_version_count; i++) {
		const struct campaign_version_rule *r = &w->required_versions[i];

		if (r->category == NULL)
			all = r->versions;
		else if (category != NULL && strcmp(r->category, category) == 0)
			return r->versions;
	}
	return all;
}

unsigned int
campaign_count_for(const struct campaign_count *count, const char *category)
{
	size_t i;

	for (i = 0; category != NULL && count->categories != NULL &&
	    count->categories[i] != NULL; i++)
		if (strcmp(count->categories[i], category) == 0)
			return count->values[i];
	return count->fallback;
}

bool
campaign_types_allow(const char *const *types, const char *ext)
{
	size_t i;

	if (types == NULL)
		return true;
	for (i = 0; ext != NULL && types[i] != NULL; i++)
		if (g_ascii_strcasecmp(types[i], ext) == 0)
			return true;
	return false;
}

bool
campaign_takes_archives(const struct campaign *c)
{
	static const char *const archives[] = { "zip", "rar", "7z" };
	size_t i, j;

	for (i = 0; i < campaign_file_kind_count(c); i++) {
		const struct campaign_file_kind *k = campaign_file_kind(c, i);

		for (j = 0; j < G_N_ELEMENTS(archives); j++)
			if (k->role == CAMPAIGN_FILE_WORK &&
			    campaign_types_allow(k->types, archives[j]))
				return true;
	}
	return false;
}

const struct content_rule *
campaign_content_rule(const struct campaign_file_kind *k,
    const char *category)
{
	const struct content_rule *any = NULL;
	size_t i;

	for (i = 0; i < k->content_count; i++) {
		const struct content_rule *r = &k->content[i];

		if (r->category == NULL)
			any = r;
		else if (category != NULL && strcmp(r->category, category) == 0)
			return r;
	}
	return any;
}

bool
campaign_file_kind_applies(const struct campaign_file_kind *k,
    const char *category)
{
	if (k->categories == NULL)
		return true;
	return category != NULL &&
	    g_strv_contains(k->categories, category);
}
