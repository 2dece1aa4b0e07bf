/*
 * campaign_policy: what a campaign file says beyond its conventions:
 * [policy] (quotas, resubmission, sizes, extensions, who may submit for a
 * unit), [reply] (the campaign's own reply templates) and [export] (the
 * summary table's columns).  See include/campaign_private.h.
 */
#include <string.h>

#include "campaign-private.h"
#include "normalize.h"
#include "template.h"

#define EXTENSION_MAX		10
/* Bytes of one reply template file. */
#define REPLY_TEMPLATE_MAX	(64 * 1024)
/* Most columns [export] columns may list. */
#define EXPORT_COLUMNS_MAX	64

static bool
parse_size(const char *s, uint64_t *v_r)
{
	char *end;
	guint64 v, mult = 1;

	if (!g_ascii_isdigit(*s))
		return FALSE;
	v = g_ascii_strtoull(s, &end, 10);
	while (*end == ' ')
		end++;
	switch (g_ascii_toupper(*end)) {
	case 'K': mult = 1024ULL; end++; break;
	case 'M': mult = 1024ULL * 1024; end++; break;
	case 'G': mult = 1024ULL * 1024 * 1024; end++; break;
	case '\0': break;
	default: return FALSE;
	}
	if (g_ascii_toupper(*end) == 'B')
		end++;
	if (*end != '\0' || v == 0 || v > G_MAXUINT64 / mult)
		return FALSE;
	*v_r = v * mult;
	return TRUE;
}

char *
loader_category_canonical(const struct loader *l, const char *name)
{
	const struct field_def *f = loader_field_find(l, l->c->category_field);
	char *key, *k, *found = NULL;
	size_t i;

	if (f == NULL || f->values == NULL)
		return normalize_text(name, 0);
	key = normalize_text(name, NORMALIZE_KEY);
	for (i = 0; f->values[i] != NULL && found == NULL; i++) {
		k = normalize_text(f->values[i], NORMALIZE_KEY);
		if (strcmp(k, key) == 0)
			found = normalize_text(f->values[i], 0);
		g_free(k);
	}
	for (i = 0; i < f->nalias && found == NULL; i++) {
		k = normalize_text(f->aliases[2 * i], NORMALIZE_KEY);
		if (strcmp(k, key) == 0)
			found = normalize_text(f->aliases[2 * i + 1], 0);
		g_free(k);
	}
	g_free(key);
	return found;
}

/*
 * [policy] senders.UNIT = a@x.cn;@jintan.gov.cn: only these addresses or
 * domains may submit in the name of UNIT.  The unit is matched in its
 * normalised form, so full-width spellings in the key still find it.
 */
static void
load_unit_senders(struct loader *l)
{
	struct campaign *c = l->c;
	char **keys = g_key_file_get_keys(l->kf, "policy", NULL, NULL);
	size_t i, j;

	for (i = 0; keys != NULL && keys[i] != NULL; i++) {
		const char *unit = keys[i] + strlen("senders.");
		char **list;

		if (!g_str_has_prefix(keys[i], "senders."))
			continue;
		if (c->unit_field == NULL) {
			loader_problem(l, "policy", keys[i], "needs unit_field in "
			    "[campaign]");
			continue;
		}
		list = loader_list(l, "policy", keys[i]);
		for (j = 0; list != NULL && list[j] != NULL; j++) {
			char *low = g_ascii_strdown(g_strstrip(list[j]), -1);
			const char *at = strchr(low, '@');

			if (at == NULL || at[1] == '\0' || strchr(at + 1, '@'))
				loader_problem(l, "policy", keys[i], "\"%s\" is neither "
				    "an address nor an @domain", list[j]);
			g_free(list[j]);
			list[j] = low;
		}
		if (list == NULL || list[0] == NULL) {
			loader_problem(l, "policy", keys[i], "lists no address");
			g_strfreev(list);
			continue;
		}
		if (c->unit_senders == NULL)
			c->unit_senders = g_hash_table_new_full(g_str_hash,
			    g_str_equal, g_free, (GDestroyNotify)g_strfreev);
		g_hash_table_replace(c->unit_senders,
		    normalize_text(unit, NORMALIZE_KEY), list);
	}
	g_strfreev(keys);
}

/*
 * [policy] sender_check = listed | confirm | off.  confirm needs a unit
 * field: it is the unit whose quota a stranger would spend.
 */
static void
load_sender_check(struct loader *l)
{
	static const enum campaign_sender_check checks[] = {
		CAMPAIGN_SENDER_CHECK_OFF, CAMPAIGN_SENDER_CHECK_LISTED,
		CAMPAIGN_SENDER_CHECK_CONFIRM,
	};
	struct campaign *c = l->c;
	g_autofree char *s = loader_string(l, "policy", "sender_check");
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < G_N_ELEMENTS(checks); i++) {
		if (strcmp(s, campaign_sender_check_name(checks[i])) == 0) {
			c->has_sender_check = true;
			c->sender_check = checks[i];
		}
	}
	if (!c->has_sender_check)
		loader_problem(l, "policy", "sender_check", "\"%s\" is not "
		    "listed, confirm or off", s);
	else if (c->sender_check != CAMPAIGN_SENDER_CHECK_OFF &&
	    c->unit_field == NULL)
		loader_problem(l, "policy", "sender_check", "%s needs "
		    "unit_field in [campaign]", s);
}

/* [policy] scan = clamd | off, scan_max_bytes = SIZE. */
static void
load_scan(struct loader *l)
{
	struct campaign *c = l->c;
	g_autofree char *s = loader_string(l, "policy", "scan");
	g_autofree char *max = loader_string(l, "policy", "scan_max_bytes");

	if (s != NULL && strcmp(s, "clamd") == 0)
		c->scan = CAMPAIGN_SCAN_CLAMD;
	else if (s != NULL && strcmp(s, "off") != 0)
		loader_problem(l, "policy", "scan", "\"%s\" is not clamd or "
		    "off", s);
	if (max != NULL && !parse_size(max, &c->scan_max_bytes))
		loader_problem(l, "policy", "scan_max_bytes", "\"%s\" is not "
		    "a size such as 100M", max);
}

void
loader_policy(struct loader *l)
{
	static const char *const known[] = {
		"quota_per_unit", "quota_per_unit_category",
		"quota_per_submitter", "resubmission", "max_message_size",
		"allowed_extensions", "batch", "quota_per_open_unit",
		"min_per_unit_category", "sender_check", "scan",
		"scan_max_bytes", NULL,
	};
	static const char *const prefixes[] = {
		"senders.", "closes.", "opens.", "batch.", NULL,
	};
	struct campaign *c = l->c;
	char *s, **list;
	long long v;
	size_t i;

	if (!g_key_file_has_group(l->kf, "policy"))
		return;
	loader_check_keys_prefixed(l, "policy", known, prefixes);
	if (loader_integer(l, "policy", "quota_per_unit", 0, &v))
		c->quota_per_unit = (unsigned int)MIN(v, G_MAXUINT);
	if (loader_integer(l, "policy", "quota_per_submitter", 0, &v))
		c->quota_per_submitter = (unsigned int)MIN(v, G_MAXUINT);

	list = loader_list(l, "policy", "quota_per_unit_category");
	for (i = 0; list != NULL && list[i] != NULL; i++) {
		char *colon = strrchr(list[i], ':'), *cat;

		if (colon == NULL) {
			char *full = strstr(list[i], "：");

			if (full != NULL) {
				*full = '\0';
				colon = full + strlen("：") - 1;
			}
		}
		if (colon == NULL || !loader_parse_integer(g_strstrip(colon + 1),
		    &v) || v < 0) {
			loader_problem(l, "policy", "quota_per_unit_category",
			    "\"%s\": write CATEGORY:NUMBER", list[i]);
			continue;
		}
		*colon = '\0';
		cat = loader_category_canonical(l, g_strstrip(list[i]));
		if (cat == NULL) {
			loader_problem(l, "policy", "quota_per_unit_category",
			    "\"%s\" is not a value of the category field %s",
			    list[i], c->category_field);
			continue;
		}
		c->quota_cat = g_renew(struct quota_category, c->quota_cat,
		    c->nquota_cat + 1);
		c->quota_cat[c->nquota_cat].category = cat;
		c->quota_cat[c->nquota_cat].quota =
		    (unsigned int)MIN(v, G_MAXUINT);
		c->nquota_cat++;
	}
	if (list != NULL && c->category_field == NULL)
		loader_problem(l, "policy", "quota_per_unit_category", "needs "
		    "category_field in [campaign]");
	g_strfreev(list);

	s = loader_string(l, "policy", "resubmission");
	if (s != NULL) {
		if (strcmp(s, "keep-all") == 0)
			c->resubmission = CAMPAIGN_RESUBMISSION_KEEP_ALL;
		else if (strcmp(s, "replace") == 0)
			c->resubmission = CAMPAIGN_RESUBMISSION_REPLACE;
		else if (strcmp(s, "freeze") == 0)
			c->resubmission = CAMPAIGN_RESUBMISSION_FREEZE;
		else
			loader_problem(l, "policy", "resubmission", "\"%s\" is not "
			    "freeze, replace or keep-all", s);
		g_free(s);
	}
	s = loader_string(l, "policy", "max_message_size");
	if (s != NULL) {
		if (!parse_size(s, &c->max_message_size))
			loader_problem(l, "policy", "max_message_size", "\"%s\" is "
			    "not a size such as 50M", s);
		g_free(s);
	}
	list = loader_list(l, "policy", "allowed_extensions");
	for (i = 0; list != NULL && list[i] != NULL; i++) {
		char *e = list[i] + (list[i][0] == '.' ? 1 : 0), *low;
		size_t n = strlen(e);

		low = g_ascii_strdown(e, -1);
		if (n == 0 || n > EXTENSION_MAX ||
		    strspn(low, "abcdefghijklmnopqrstuvwxyz0123456789") != n)
			loader_problem(l, "policy", "allowed_extensions", "\"%s\" is "
			    "not an extension such as mp4", list[i]);
		g_free(list[i]);
		list[i] = low;
	}
	c->allowed_extensions = list;
	load_unit_senders(l);
	load_sender_check(l);
	load_scan(l);
	loader_schedule(l);
}

static bool
reply_name_known(const char *name, void *ctx)
{
	const struct loader *l = ctx;

	if (g_str_has_prefix(name, "field."))
		return loader_field_find(l, name + strlen("field.")) != NULL;
	return g_strv_contains((const char *const *)template_reply_names, name);
}

/* A template file, relative to the campaign file, read by the caller. */
static char *
reply_read_file(struct loader *l, const char *key)
{
	char *name = loader_string(l, "reply", key), *full, *text = NULL;
	char *err = NULL;
	size_t len = 0;

	if (name == NULL)
		return NULL;
	full = keyfile_path_relative(l->path, name);
	if (l->read_file == NULL) {
		loader_problem(l, "reply", key, "%s: no file can be read here",
		    full);
	} else if (l->read_file(l->read_ctx, full, &text, &len, &err) < 0) {
		loader_problem(l, "reply", key, "%s", err);
		g_free(err);
		text = NULL;
	} else if (len > REPLY_TEMPLATE_MAX) {
		loader_problem(l, "reply", key, "%s is over %u bytes", full,
		    (unsigned)REPLY_TEMPLATE_MAX);
		g_clear_pointer(&text, g_free);
	} else if (!g_utf8_validate(text, (gssize)len, NULL) ||
	    strlen(text) != len) {
		loader_problem(l, "reply", key, "%s is not UTF-8 text", full);
		g_clear_pointer(&text, g_free);
	}
	g_free(full);
	g_free(name);
	return text;
}

/* An inline value: GKeyFile has already turned \n into line breaks. */
static char *
reply_inline(struct loader *l, const char *key)
{
	char *v;

	if (!g_key_file_has_key(l->kf, "reply", key, NULL))
		return NULL;
	v = g_key_file_get_string(l->kf, "reply", key, NULL);
	if (v == NULL || *v == '\0') {
		loader_problem(l, "reply", key, "empty value");
		g_free(v);
		return NULL;
	}
	return v;
}

/*
 * [reply]: KIND.subject, KIND.body or KIND.body_file, KIND.html_file.
 * Every placeholder must be known, and a subject must carry {receipt} or
 * {ref}: mail providers (163's DT:SPM) refuse bursts of one subject.
 */
void
loader_reply(struct loader *l)
{
	char **keys;
	size_t i, k, p;

	if (!g_key_file_has_group(l->kf, "reply"))
		return;
	keys = g_key_file_get_keys(l->kf, "reply", NULL, NULL);
	for (i = 0; keys != NULL && keys[i] != NULL; i++) {
		char *dot = strrchr(keys[i], '.');
		bool ok = FALSE;

		for (k = 0; dot != NULL && k < REPLY_KINDS && !ok; k++)
			ok = strlen(template_reply_kinds[k]) ==
			    (size_t)(dot - keys[i]) &&
			    strncmp(keys[i], template_reply_kinds[k],
			    (size_t)(dot - keys[i])) == 0 &&
			    (strcmp(dot, ".subject") == 0 ||
			    strcmp(dot, ".body") == 0 ||
			    strcmp(dot, ".body_file") == 0 ||
			    strcmp(dot, ".html_file") == 0);
		if (!ok)
			loader_problem(l, "reply", keys[i], "unknown key (KIND.subject, "
			    "KIND.body, KIND.body_file or KIND.html_file, KIND "
			    "one of receipt, superseded-notice, correction, "
			    "late, over-quota, frozen, too-large, "
			    "decision-accepted, decision-rejected, question, "
			    "link-check)");
	}
	g_strfreev(keys);
	for (k = 0; k < REPLY_KINDS; k++) {
		const char *kind = template_reply_kinds[k];
		char *skey = g_strdup_printf("%s.subject", kind);
		char *bkey = g_strdup_printf("%s.body", kind);
		char *fkey = g_strdup_printf("%s.body_file", kind);
		char *hkey = g_strdup_printf("%s.html_file", kind);
		const char *keyof[REPLY_PARTS];

		l->c->reply[k][0] = reply_inline(l, skey);
		if (g_key_file_has_key(l->kf, "reply", bkey, NULL) &&
		    g_key_file_has_key(l->kf, "reply", fkey, NULL))
			loader_problem(l, "reply", fkey, "give %s or %s, not both",
			    bkey, fkey);
		l->c->reply[k][1] = g_key_file_has_key(l->kf, "reply", fkey,
		    NULL) ? reply_read_file(l, fkey) : reply_inline(l, bkey);
		l->c->reply[k][2] = reply_read_file(l, hkey);
		keyof[0] = skey;
		keyof[1] = g_key_file_has_key(l->kf, "reply", fkey, NULL) ?
		    fkey : bkey;
		keyof[2] = hkey;
		for (p = 0; p < REPLY_PARTS; p++) {
			char *err = NULL;

			if (l->c->reply[k][p] == NULL)
				continue;
			if (template_check(l->c->reply[k][p], reply_name_known,
			    l, &err) < 0) {
				loader_problem(l, "reply", keyof[p], "%s", err);
				g_free(err);
			}
		}
		if (l->c->reply[k][0] != NULL) {
			const char *sub = l->c->reply[k][0];

			if (strchr(sub, '\n') != NULL)
				loader_problem(l, "reply", skey, "a subject is one line");
			/* A reminder has no receipt: its unit tells one
			 * unit's from another's. */
			if (strcmp(kind, "reminder") == 0) {
				if (strstr(sub, "{unit}") == NULL &&
				    strstr(sub, "{ref}") == NULL)
					loader_problem(l, "reply", skey, "needs "
					    "{unit} or {ref}, so that no two "
					    "reminders share a subject");
				if (strstr(sub, "{receipt}") != NULL)
					loader_problem(l, "reply", skey, "{receipt} "
					    "is empty for reminders: use {unit}");
			} else if (strstr(sub, "{receipt}") == NULL &&
			    strstr(sub, "{ref}") == NULL)
				loader_problem(l, "reply", skey, "needs {receipt} or "
				    "{ref}, so that no two replies share a "
				    "subject");
			/* Kinds 2-6 (correction ... too-large) refuse a
			 * submission: there is no case, so no receipt. */
			if (strstr(sub, "{receipt}") != NULL && k >= 2 &&
			    k <= 6)
				loader_problem(l, "reply", skey, "{receipt} is empty "
				    "for %s replies: use {ref}", kind);
		}
		g_free(skey);
		g_free(bkey);
		g_free(fkey);
		g_free(hkey);
	}
}

/* The summary table's own columns, by their Chinese heading and an
 * ASCII name for those who cannot type it. */
static const struct {
	enum campaign_column_kind kind;
	const char *label, *ascii;
} export_builtin[] = {
	{ CAMPAIGN_COLUMN_SEQ, "序号", "seq" },
	{ CAMPAIGN_COLUMN_RECEIPT, "回执编号", "receipt" },
	{ CAMPAIGN_COLUMN_SENDER, "投稿邮箱", "sender" },
	{ CAMPAIGN_COLUMN_SENDER_NAME, "投稿人", "sender_name" },
	{ CAMPAIGN_COLUMN_ARRIVAL, "收到时间", "arrival" },
	{ CAMPAIGN_COLUMN_STATUS, "状态", "status" },
	{ CAMPAIGN_COLUMN_ATTACHMENTS, "附件", "attachments" },
	{ CAMPAIGN_COLUMN_ATTACHMENT_COUNT, "附件数", "attachment_count" },
	{ CAMPAIGN_COLUMN_TOTAL_SIZE, "大小", "total_size" },
	{ CAMPAIGN_COLUMN_BATCH, "批次", "batch" },
	{ CAMPAIGN_COLUMN_UNIT_CONTACT, "联系人", "unit_contact" },
	{ CAMPAIGN_COLUMN_UNIT_PHONE, "联系电话", "unit_phone" },
	{ CAMPAIGN_COLUMN_UNIT_NEW, "新单位", "unit_new" },
	{ CAMPAIGN_COLUMN_LINKS, "云附件", "links" },
};

/* A column's source: a field of the campaign first (the campaign's own
 * names win), then a built-in column.  false when it is neither. */
static bool
export_source_find(const struct loader *l, const char *source,
    struct campaign_column *col);

/* form.FIELD, or form.FIELD|FALLBACK: a field some [file KIND] reads
 * from its forms, else what FALLBACK (a field or a column) shows. */
static bool
export_form_find(struct loader *l, const char *source,
    struct campaign_column *col)
{
	const char *bar = strchr(source, '|');
	g_autofree char *field = g_strstrip(bar != NULL ? g_strndup(source +
	    strlen("form."), (gsize)(bar - source) - strlen("form.")) :
	    g_strdup(source + strlen("form.")));
	g_autofree char *fallback = bar != NULL ? g_strstrip(g_strdup(bar + 1)) :
	    NULL;

	if (!campaign_form_field(l->c, field))
		loader_problem(l, "export", "columns", "\"%s\": no [file KIND] "
		    "reads %s from its form (form.LABEL = %s)", source, field,
		    field);
	col->kind = CAMPAIGN_COLUMN_FORM;
	col->field = g_steal_pointer(&field);
	if (fallback == NULL)
		return true;
	col->fallback = g_new0(struct campaign_column, 1);
	if (*fallback == '\0' || g_str_has_prefix(fallback, "form.") ||
	    !export_source_find(l, fallback, col->fallback)) {
		loader_problem(l, "export", "columns", "\"%s\": after | comes a "
		    "field or a column of this campaign", source);
		campaign_column_clear(col->fallback);
		g_clear_pointer(&col->fallback, g_free);
	}
	return true;
}

static bool
export_source_find(const struct loader *l, const char *source,
    struct campaign_column *col)
{
	const struct field_def *f = loader_field_find(l, source);
	size_t i;

	if (g_str_has_prefix(source, "form."))
		return export_form_find((struct loader *)l, source, col);

	if (f != NULL) {
		col->kind = CAMPAIGN_COLUMN_FIELD;
		col->field = g_strdup(f->name);
		return true;
	}
	for (i = 0; i < G_N_ELEMENTS(export_builtin); i++) {
		if (strcmp(source, export_builtin[i].label) == 0 ||
		    g_ascii_strcasecmp(source, export_builtin[i].ascii) == 0) {
			col->kind = export_builtin[i].kind;
			return true;
		}
	}
	return false;
}

/*
 * [export] columns = 序号;作品名称;制作单位:报送单位;...  Each entry is a
 * built-in column or a field, optionally as HEADER:SOURCE to title the
 * column the way the notice's own form does.
 */
static void
loader_export_columns(struct loader *l)
{
	GString *names;
	char **list;
	size_t i, n;

	if ((list = loader_list(l, "export", "columns")) == NULL)
		return;
	n = g_strv_length(list);
	if (n > EXPORT_COLUMNS_MAX) {
		loader_problem(l, "export", "columns", "%zu columns; at most %d", n,
		    EXPORT_COLUMNS_MAX);
		g_strfreev(list);
		return;
	}
	names = g_string_new(NULL);
	for (i = 0; i < G_N_ELEMENTS(export_builtin); i++)
		g_string_append_printf(names, "%s%s", i ? "、" : "",
		    export_builtin[i].label);
	l->c->export_columns = g_new0(struct campaign_column, n);
	for (i = 0; i < n; i++) {
		struct campaign_column *col =
		    &l->c->export_columns[l->c->nexport_columns];
		const char *colon = strchr(list[i], ':');
		const char *wide = strstr(list[i], "：");
		g_autofree char *header = NULL, *source = NULL;

		/* Either colon: people type the full-width one in Chinese. */
		if (wide != NULL && (colon == NULL || wide < colon)) {
			header = g_strndup(list[i], (gsize)(wide - list[i]));
			source = g_strdup(wide + strlen("："));
		} else if (colon != NULL) {
			header = g_strndup(list[i], (gsize)(colon - list[i]));
			source = g_strdup(colon + 1);
		} else {
			source = g_strdup(list[i]);
		}
		g_strstrip(source);
		if (header != NULL && (*g_strstrip(header) == '\0' ||
		    *source == '\0')) {
			loader_problem(l, "export", "columns", "\"%s\": write HEADER:"
			    "SOURCE with both parts", list[i]);
			continue;
		}
		if (!export_source_find(l, source, col)) {
			loader_problem(l, "export", "columns", "\"%s\" is neither a "
			    "field of this campaign nor a column (%s)", source,
			    names->str);
			campaign_column_clear(col);
			continue;
		}
		if (header != NULL)
			col->header = g_steal_pointer(&header);
		else if (col->kind == CAMPAIGN_COLUMN_FIELD ||
		    col->kind == CAMPAIGN_COLUMN_FORM)
			col->header = g_strdup(col->field);
		else
			col->header = g_strdup(campaign_column_label(col->kind));
		l->c->nexport_columns++;
	}
	g_string_free(names, TRUE);
	g_strfreev(list);
}

/* [export] counts = 系列: a field of the campaign other than the unit
 * field, counted by unit; an enumeration keeps its values' order. */
static void
loader_export_counts(struct loader *l)
{
	g_autofree char *name = loader_string(l, "export", "counts");
	const struct field_def *f;
	size_t i;

	if (name == NULL)
		return;
	f = loader_field_find(l, name);
	if (f == NULL) {
		loader_problem(l, "export", "counts", "\"%s\" is not a field of "
		    "this campaign", name);
		return;
	}
	if (l->c->unit_field == NULL ||
	    strcmp(f->name, l->c->unit_field) == 0) {
		loader_problem(l, "export", "counts", "counts by unit: name a "
		    "field other than the unit_field, in a campaign that has "
		    "one");
		return;
	}
	l->c->export_counts = g_strdup(f->name);
	if (f->spec.type != GRAMMAR_FIELD_ENUM || f->values == NULL)
		return;
	l->c->export_counts_values = g_new0(char *,
	    g_strv_length(f->values) + 1);
	for (i = 0; f->values[i] != NULL; i++)
		l->c->export_counts_values[i] = normalize_text(f->values[i], 0);
}

/*
 * [export]: the columns, the layout (flat, or per-unit as the notices'
 * 汇总表 are printed: one per submitting unit), a title above each table
 * and a count table (counts = FIELD).
 */
void
loader_export(struct loader *l)
{
	static const char *const known[] = { "columns", "layout", "title",
	    "counts", NULL };
	g_autofree char *layout = NULL;
	g_auto(GStrv) keys = NULL;

	if (!g_key_file_has_group(l->kf, "export"))
		return;
	loader_check_keys(l, "export", known, NULL);
	keys = g_key_file_get_keys(l->kf, "export", NULL, NULL);
	if (keys == NULL || keys[0] == NULL) {
		loader_problem(l, "export", NULL, "no columns");
		return;
	}
	loader_export_columns(l);
	if ((layout = loader_string(l, "export", "layout")) != NULL &&
	    campaign_export_layout_parse(layout, &l->c->export_layout) < 0)
		loader_problem(l, "export", "layout", "\"%s\": flat or per-unit",
		    layout);
	if (l->c->export_layout == CAMPAIGN_EXPORT_PER_UNIT &&
	    l->c->unit_field == NULL)
		loader_problem(l, "export", "layout", "per-unit needs a "
		    "unit_field");
	l->c->export_title = loader_string(l, "export", "title");
	loader_export_counts(l);
}

const char *
campaign_column_label(enum campaign_column_kind kind)
{
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(export_builtin); i++)
		if (export_builtin[i].kind == kind)
			return export_builtin[i].label;
	return "";
}

/* The hosts each provider's links are fetched from (cloudlink.h's
 * table): what fetch = qq or netease stands for.  Sina and Baidu ask for
 * a form or a login, so they are never fetched. */
static const struct {
	const char *provider;
	const char *const hosts[5];
} fetch_providers[] = {
	{ "qq", { "mail.qq.com", "exmail.qq.com", "wx.mail.qq.com",
	    "iwx.mail.qq.com", NULL } },
	{ "netease", { "mail.163.com", "mail.126.com", "dashi.163.com",
	    NULL } },
};

/* One entry of fetch =: a provider's name, or a host name (a file
 * served as it is, the "direct" way). */
static void
links_fetch_entry(struct loader *l, GPtrArray *hosts, const char *entry)
{
	g_autofree char *e = g_ascii_strdown(entry, -1);
	size_t i, j;

	for (i = 0; i < G_N_ELEMENTS(fetch_providers); i++) {
		if (strcmp(e, fetch_providers[i].provider) != 0)
			continue;
		for (j = 0; fetch_providers[i].hosts[j] != NULL; j++)
			g_ptr_array_add(hosts,
			    g_strdup(fetch_providers[i].hosts[j]));
		return;
	}
	if (strcmp(e, "sina") == 0 || strcmp(e, "baidu") == 0 ||
	    strcmp(e, "other") == 0) {
		loader_problem(l, "links", "fetch", "%s links cannot be "
		    "fetched (the provider asks for a login or a form): "
		    "staff download them", e);
		return;
	}
	if (strchr(e, '.') == NULL || strspn(e,
	    "abcdefghijklmnopqrstuvwxyz0123456789.-") != strlen(e)) {
		loader_problem(l, "links", "fetch", "\"%s\" is neither qq, "
		    "netease nor a host name", entry);
		return;
	}
	g_ptr_array_add(hosts, g_steal_pointer(&e));
}

/* fetch = qq;netease;HOST..., fetch_max_bytes = SIZE, expiry_warn =
 * HOURS (72h, 3d). */
static void
loader_links_fetch(struct loader *l)
{
	struct campaign *c = l->c;
	g_autofree char *max = loader_string(l, "links", "fetch_max_bytes");
	g_autofree char *warn = loader_string(l, "links", "expiry_warn");
	char **list = loader_list(l, "links", "fetch");
	GPtrArray *hosts = g_ptr_array_new();
	size_t i;

	for (i = 0; list != NULL && list[i] != NULL; i++)
		if (g_ascii_strcasecmp(list[i], "none") != 0)
			links_fetch_entry(l, hosts, list[i]);
	g_strfreev(list);
	g_ptr_array_add(hosts, NULL);
	c->links_fetch = (char **)g_ptr_array_free(hosts, FALSE);
	if (c->links_fetch[0] == NULL)
		g_clear_pointer(&c->links_fetch, g_strfreev);
	if (max != NULL && !parse_size(max, &c->links_fetch_max))
		loader_problem(l, "links", "fetch_max_bytes", "\"%s\" is not "
		    "a size (4G, 700M)", max);
	if (warn != NULL) {
		char *end;
		guint64 v = g_ascii_strtoull(warn, &end, 10);
		unsigned unit = 3600;

		if (g_ascii_tolower(*end) == 'd')
			unit = 86400, end++;
		else if (g_ascii_tolower(*end) == 'h')
			end++;
		if (!g_ascii_isdigit(*warn) || *end != '\0' || v == 0 ||
		    v > 24 * 365)
			loader_problem(l, "links", "expiry_warn", "\"%s\" is "
			    "not a number of hours (72h) or days (3d)", warn);
		else
			c->links_expiry_warn = (unsigned)v * unit;
	}
}

/* [links] accept = qq;netease;sina;baidu;other (or none).  Unset: every
 * provider but "other": the mail providers' 超大附件 and Baidu are what
 * units use, the other share sites are asked for by name. */
void
loader_links(struct loader *l)
{
	static const char *const known[] = { "accept", "fetch",
		"fetch_max_bytes", "expiry_warn", NULL };
	struct campaign *c = l->c;
	char **list;
	size_t i;
	int p;

	for (p = 0; p < LINK_PROVIDER_COUNT; p++)
		c->links_accept[p] = p != LINK_OTHER;
	if (!g_key_file_has_group(l->kf, "links"))
		return;
	loader_check_keys(l, "links", known, NULL);
	loader_links_fetch(l);
	if ((list = loader_list(l, "links", "accept")) == NULL)
		return;
	for (p = 0; p < LINK_PROVIDER_COUNT; p++)
		c->links_accept[p] = false;
	for (i = 0; list[i] != NULL; i++) {
		if (g_ascii_strcasecmp(list[i], "none") == 0)
			continue;
		if ((p = cloudlink_provider_parse(list[i])) < 0) {
			loader_problem(l, "links", "accept", "\"%s\" is not one "
			    "of qq, netease, sina, baidu, other, none", list[i]);
			continue;
		}
		c->links_accept[p] = true;
	}
	g_strfreev(list);
}
