/* export: see include/export.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <xlsxwriter.h>

#include "campaign.h"
#include "case_record.h"
#include "export.h"
#include "mediarule.h"
#include "store.h"
#include "textcell.h"

/* Spreadsheet column widths, in characters, whatever the content. */
#define EXPORT_COLUMN_MIN	6
#define EXPORT_COLUMN_MAX	48

int
export_format_parse(const char *name, enum export_format *format_r)
{
	if (g_ascii_strcasecmp(name, "csv") == 0)
		*format_r = EXPORT_CSV;
	else if (g_ascii_strcasecmp(name, "xlsx") == 0)
		*format_r = EXPORT_XLSX;
	else
		return -1;
	return 0;
}

void
export_csv_append_field(GString *out, const char *s)
{
	bool quote, guard;
	const char *p;

	if (s == NULL)
		s = "";
	/* A spreadsheet runs =, +, - and @ cells as formulas, even from
	 * CSV: an apostrophe makes it show the text instead. */
	guard = strchr("=+-@\t\r", *s) != NULL && *s != '\0';
	quote = guard || strpbrk(s, ",\"\r\n") != NULL ||
	    (*s != '\0' && (*s == ' ' || s[strlen(s) - 1] == ' '));
	if (!quote) {
		g_string_append(out, s);
		return;
	}
	g_string_append_c(out, '"');
	if (guard)
		g_string_append_c(out, '\'');
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			g_string_append_c(out, '"');
		g_string_append_c(out, *p);
	}
	g_string_append_c(out, '"');
}

/* A cell from mail: clean, and not longer than a spreadsheet takes. */
static char *
export_cell(const char *s, gboolean keep_newlines)
{
	char *clean = textcell_clean(s, keep_newlines);

	if (g_utf8_strlen(clean, -1) > EXPORT_CELL_MAX_CHARS) {
		char *end = g_utf8_offset_to_pointer(clean,
		    EXPORT_CELL_MAX_CHARS);

		*end = '\0';
	}
	return clean;
}

/* "2024-06-01T09:30:05+08:00" -> "2024-06-01 09:30:05", the local time
 * of the campaign, which is what deadlines are stated in. */
static char *
export_time(const char *iso)
{
	char *t;

	if (iso == NULL)
		return g_strdup("");
	t = g_strndup(iso, 19);
	if (strlen(t) > 10 && t[10] == 'T')
		t[10] = ' ';
	return t;
}

static void
export_row_free(gpointer row)
{
	g_strfreev(row);
}

/* What a column of the summary table shows: a column of the campaign's
 * [export] list, or one of the default set's, which fall back the way
 * staff expect (a title from the subject, a unit from the sender). */
enum export_value {
	EXPORT_VALUE_COLUMN,		/* column.kind says */
	EXPORT_VALUE_TITLE,		/* the title, else the subject */
	EXPORT_VALUE_CATEGORY,
	EXPORT_VALUE_SUBMITTER,		/* case_record_submitter() */
};

struct export_column {
	enum export_value value;
	struct campaign_column column;
};

/* The campaign's [export] columns, else the default set: the notices'
 * own 汇总表 (序号, 作品名称, 类别, the unit) and then what staff need to
 * find the mail again. */
static GArray *
export_columns(const struct campaign *campaign)
{
	static const struct {
		enum export_value value;
		enum campaign_column_kind kind;
		const char *header;
	} defaults[] = {
		{ EXPORT_VALUE_COLUMN, CAMPAIGN_COLUMN_SEQ, NULL },
		{ EXPORT_VALUE_TITLE, CAMPAIGN_COLUMN_FIELD, "作品名称" },
		{ EXPORT_VALUE_CATEGORY, CAMPAIGN_COLUMN_FIELD, "类别" },
		{ EXPORT_VALUE_SUBMITTER, CAMPAIGN_COLUMN_FIELD, NULL },
		{ EXPORT_VALUE_COLUMN, CAMPAIGN_COLUMN_RECEIPT, NULL },
		{ EXPORT_VALUE_COLUMN, CAMPAIGN_COLUMN_SENDER, NULL },
		{ EXPORT_VALUE_COLUMN, CAMPAIGN_COLUMN_ARRIVAL, NULL },
		{ EXPORT_VALUE_COLUMN, CAMPAIGN_COLUMN_STATUS, NULL },
		{ EXPORT_VALUE_COLUMN, CAMPAIGN_COLUMN_ATTACHMENTS, NULL },
	};
	GArray *cols = g_array_new(FALSE, TRUE, sizeof(struct export_column));
	const struct campaign_column *set;
	size_t n = campaign_export_columns(campaign, &set), i;

	for (i = 0; i < n; i++) {
		struct export_column col = { EXPORT_VALUE_COLUMN, set[i] };

		g_array_append_val(cols, col);
	}
	if (n > 0)
		return cols;
	for (i = 0; i < G_N_ELEMENTS(defaults); i++) {
		struct export_column col = { defaults[i].value, {
			.kind = defaults[i].kind,
			.header = defaults[i].header,
		} };
		const char *unit_field = campaign_unit_field(campaign);

		if (col.value == EXPORT_VALUE_SUBMITTER)
			col.column.header = unit_field ? unit_field : "投稿人";
		else if (col.column.header == NULL)
			col.column.header = campaign_column_label(col.column.kind);
		g_array_append_val(cols, col);
		/* units off an open roster, for staff to check */
		if (col.value == EXPORT_VALUE_SUBMITTER && unit_field != NULL &&
		    campaign_unit_open(campaign)) {
			struct export_column fresh = { EXPORT_VALUE_COLUMN, {
				.kind = CAMPAIGN_COLUMN_UNIT_NEW,
				.header = campaign_column_label(
				    CAMPAIGN_COLUMN_UNIT_NEW),
			} };

			g_array_append_val(cols, fresh);
		}
	}
	return cols;
}

/* A spreadsheet keeps these as numbers, so they sort and sum. */
static bool
export_column_numeric(const struct export_column *col)
{
	return col->value == EXPORT_VALUE_COLUMN &&
	    (col->column.kind == CAMPAIGN_COLUMN_SEQ ||
	    col->column.kind == CAMPAIGN_COLUMN_ATTACHMENT_COUNT);
}

/* A field's value; where the case has none recorded, the database's
 * column for the field's role. */
static const char *
export_field_value(const struct campaign *campaign,
    const struct case_record *c, const char *field)
{
	const char *v = case_record_field(c, field);
	const char *tf = campaign_title_field(campaign);
	const char *cf = campaign_category_field(campaign);
	const char *uf = campaign_unit_field(campaign);

	if (v != NULL)
		return v;
	if (tf != NULL && strcmp(field, tf) == 0)
		return c->title;
	if (cf != NULL && strcmp(field, cf) == 0)
		return c->category;
	if (uf != NULL && strcmp(field, uf) == 0)
		return c->unit;
	return NULL;
}

/* "云附件：初心如磐.mp4（QQ邮箱·1.2 GB·至 2024-09-12 10:30·未下载）\nURL"
 * lines of the case's links into s (staff copy the URL from the table). */
static void
export_links_text(GString *s, const struct case_record *c)
{
	size_t k;

	for (k = 0; k < c->link_count; k++) {
		const struct case_link *l = &c->links[k];
		g_autofree char *what = case_link_label(l);

		if (s->len > 0)
			g_string_append_c(s, '\n');
		g_string_append_printf(s, "云附件：%s（%s·%s）\n%s",
		    l->name != NULL ? l->name : "（无文件名）", what,
		    case_link_downloaded(l) ? "已下载" : "未下载", l->url);
		if (l->pass_code != NULL)
			g_string_append_printf(s, " 提取码 %s", l->pass_code);
	}
}

static char *
export_links(const struct case_record *c)
{
	GString *s = g_string_new(NULL);
	char *cell;

	export_links_text(s, c);
	cell = export_cell(s->str, TRUE);
	g_string_free(s, TRUE);
	return cell;
}

static char *
export_attachments(const struct case_record *c)
{
	GString *att = g_string_new(NULL);
	size_t k;
	char *cell;

	for (k = 0; k < c->attachment_count; k++) {
		g_autofree char *size = textcell_human_size(
		    c->attachments[k].size);
		g_autofree char *label = case_attachment_label(
		    &c->attachments[k]);
		const struct media_facts *m = c->attachments[k].media;

		if (k > 0)
			g_string_append_c(att, '\n');
		g_string_append_printf(att, "%s%s%s（%s", label ? label : "",
		    label ? "：" : "", c->attachments[k].name, size);
		/* A video's length is what staff check first. */
		if (m != NULL && m->readable && m->duration_ms >= 0) {
			g_autofree char *d = mediarule_duration_text(
			    m->duration_ms, 0);

			g_string_append_printf(att, "，时长 %s", d);
		} else if (m != NULL && m->kind == FACTS_TEXT &&
		    m->text.state == TEXT_COUNTED)
			g_string_append_printf(att, "，约 %" G_GINT64_FORMAT
			    " 字", m->text.characters);
		g_string_append(att, "）");
		if (c->attachments[k].moved_to != NULL)
			g_string_append_printf(att, "（已拆分至 %s）",
			    c->attachments[k].moved_to);
	}
	export_links_text(att, c);
	cell = export_cell(att->str, TRUE);
	g_string_free(att, TRUE);
	return cell;
}

/* What the roster says of the case's unit: read from the campaign at
 * export time, so that a roster corrected later shows in the table. */
static char *
export_unit_value(const struct campaign *campaign,
    enum campaign_column_kind kind, const struct case_record *c)
{
	const char *uf = campaign_unit_field(campaign);
	const char *unit = uf ? export_field_value(campaign, c, uf) : NULL;
	const struct campaign_unit *u = campaign_unit_find(campaign, unit);

	if (kind == CAMPAIGN_COLUMN_UNIT_NEW)
		return g_strdup(campaign_unit_is_new(campaign, unit) ?
		    "新单位" : "");
	if (u == NULL)
		return g_strdup("");
	return export_cell(kind == CAMPAIGN_COLUMN_UNIT_CONTACT ? u->contact :
	    u->phone, FALSE);
}

static char *export_value(const struct campaign *campaign,
    const struct export_column *col, const struct case_record *c, guint seq);

/* form.FIELD|FALLBACK: the form's value, else the fallback's (制作单位
 * from the 报名表, else the 报送单位 of the file name). */
static char *
export_form_value(const struct campaign *campaign,
    const struct campaign_column *column, const struct case_record *c,
    guint seq)
{
	const char *v = case_record_form(c, column->field);
	struct export_column fallback;

	if ((v != NULL && *v != '\0') || column->fallback == NULL)
		return export_cell(v, FALSE);
	fallback = (struct export_column){ EXPORT_VALUE_COLUMN,
	    *column->fallback };
	return export_value(campaign, &fallback, c, seq);
}

/* The cell of one column for the seq-th case (from 1). */
static char *
export_value(const struct campaign *campaign, const struct export_column *col,
    const struct case_record *c, guint seq)
{
	switch (col->value) {
	case EXPORT_VALUE_TITLE:
		return export_cell(c->title ? c->title : c->subject, FALSE);
	case EXPORT_VALUE_CATEGORY:
		return export_cell(c->category, FALSE);
	case EXPORT_VALUE_SUBMITTER:
		return export_cell(case_record_submitter(c), FALSE);
	case EXPORT_VALUE_COLUMN:
		break;
	}
	switch (col->column.kind) {
	case CAMPAIGN_COLUMN_FIELD:
		return export_cell(export_field_value(campaign, c,
		    col->column.field), FALSE);
	case CAMPAIGN_COLUMN_SEQ:
		return g_strdup_printf("%u", seq);
	case CAMPAIGN_COLUMN_RECEIPT:
		return export_cell(c->receipt, FALSE);
	case CAMPAIGN_COLUMN_SENDER:
		return export_cell(c->sender, FALSE);
	case CAMPAIGN_COLUMN_SENDER_NAME:
		return export_cell(c->from_name, FALSE);
	case CAMPAIGN_COLUMN_ARRIVAL:
		return export_time(c->received_at);
	case CAMPAIGN_COLUMN_STATUS:
		return g_strdup(case_status_label(c->status));
	case CAMPAIGN_COLUMN_ATTACHMENTS:
		return export_attachments(c);
	case CAMPAIGN_COLUMN_ATTACHMENT_COUNT:
		return g_strdup_printf("%zu", c->attachment_count);
	case CAMPAIGN_COLUMN_TOTAL_SIZE:
		return textcell_human_size(c->total_size);
	case CAMPAIGN_COLUMN_BATCH:
		return export_cell(c->batch, FALSE);
	case CAMPAIGN_COLUMN_UNIT_CONTACT:
	case CAMPAIGN_COLUMN_UNIT_PHONE:
	case CAMPAIGN_COLUMN_UNIT_NEW:
		return export_unit_value(campaign, col->column.kind, c);
	case CAMPAIGN_COLUMN_LINKS:
		return export_links(c);
	case CAMPAIGN_COLUMN_FORM:
		return export_form_value(campaign, &col->column, c, seq);
	}
	g_assert_not_reached();
}

/* The header row and one row per case, numbered from 1. */
static GPtrArray *
export_table(const struct campaign *campaign, GArray *cols, GPtrArray *cases)
{
	GPtrArray *table = g_ptr_array_new_with_free_func(export_row_free);
	char **row;
	guint i, k;

	row = g_new0(char *, cols->len + 1);
	for (k = 0; k < cols->len; k++)
		row[k] = export_cell(g_array_index(cols, struct export_column,
		    k).column.header, FALSE);
	g_ptr_array_add(table, row);
	for (i = 0; i < cases->len; i++) {
		row = g_new0(char *, cols->len + 1);
		for (k = 0; k < cols->len; k++)
			row[k] = export_value(campaign, &g_array_index(cols,
			    struct export_column, k), cases->pdata[i], i + 1);
		g_ptr_array_add(table, row);
	}
	return table;
}

GPtrArray *
export_summary_table(const struct campaign *campaign, GPtrArray *cases)
{
	GArray *cols = export_columns(campaign);
	GPtrArray *table = export_table(campaign, cols, cases);

	g_array_unref(cols);
	return table;
}

static void
export_sheet_row_free(gpointer p)
{
	struct export_row *row = p;

	g_strfreev(row->cells);
	g_free(row->numeric);
	g_free(row);
}

static void
export_sheet_free(gpointer p)
{
	struct export_sheet *sheet = p;

	g_free(sheet->name);
	g_ptr_array_unref(sheet->rows);
	g_free(sheet);
}

static struct export_sheet *
export_sheet_new(const char *want, GHashTable *taken)
{
	struct export_sheet *sheet = g_new0(struct export_sheet, 1);

	sheet->name = export_sheet_name(want, taken);
	sheet->rows = g_ptr_array_new_with_free_func(export_sheet_row_free);
	return sheet;
}

/* Adds a row of kind, taking cells (and numeric, may be NULL). */
static void
export_sheet_add(struct export_sheet *sheet, enum export_row_kind kind,
    char **cells, bool *numeric)
{
	struct export_row *row = g_new0(struct export_row, 1);

	row->kind = kind;
	row->cells = cells;
	row->numeric = numeric;
	if (kind == EXPORT_ROW_HEADER)
		sheet->header = sheet->rows->len;
	g_ptr_array_add(sheet->rows, row);
}

static void
export_sheet_add_text(struct export_sheet *sheet, enum export_row_kind kind,
    const char *first, const char *second)
{
	char **cells = g_new0(char *, 3);

	cells[0] = export_cell(first, FALSE);
	if (second != NULL)
		cells[1] = export_cell(second, FALSE);
	export_sheet_add(sheet, kind, cells, NULL);
}

/* The title, the header and the cases' rows, numbered from 1. */
static void
export_sheet_add_table(struct export_sheet *sheet,
    const struct campaign *campaign, GArray *cols, GPtrArray *cases)
{
	GPtrArray *table = export_table(campaign, cols, cases);
	guint i, k;

	for (i = 0; i < table->len; i++) {
		bool *numeric = NULL;

		if (i > 0) {
			numeric = g_new0(bool, cols->len);
			for (k = 0; k < cols->len; k++)
				numeric[k] = export_column_numeric(
				    &g_array_index(cols, struct export_column, k));
		}
		export_sheet_add(sheet, i == 0 ? EXPORT_ROW_HEADER :
		    EXPORT_ROW_DATA, table->pdata[i], numeric);
		table->pdata[i] = NULL;
	}
	g_ptr_array_unref(table);
}

/*
 * Excel's rules for a sheet's name: at most 31 characters (UTF-16 units,
 * so a character outside the BMP counts two), none of : \ / ? * [ ], no
 * apostrophe at either end, unique whatever the case, and not "History",
 * which Excel keeps for itself.  A unit's name is kept as readable as
 * those allow: forbidden characters become their full-width forms, and a
 * repeat gets "(2)", "(3)", ...
 */
/* Excel's units of c: two for a character outside the BMP. */
static size_t
sheet_units(gunichar c)
{
	return c > 0xFFFF ? 2 : 1;
}

/*
 * s into name within room units.  A longer name keeps its start and its
 * end with "…" between: units' long names share their start and differ at
 * the end (…公共交通集团有限公司党委, …有限公司第一分公司党委), which is
 * what a clerk tells the tabs apart by.
 */
static void
sheet_name_fit(GString *name, const char *s, size_t room)
{
	size_t total = 0, head, tail, used = 0;
	const char *p, *end = s + strlen(s);

	for (p = s; *p != '\0'; p = g_utf8_next_char(p))
		total += sheet_units(g_utf8_get_char(p));
	if (total <= room) {
		g_string_append(name, s);
		return;
	}
	head = (room - 1) / 3;
	tail = room - 1 - head;
	for (p = s; *p != '\0'; p = g_utf8_next_char(p)) {
		size_t u = sheet_units(g_utf8_get_char(p));

		if (used + u > head)
			break;
		used += u;
		g_string_append_len(name, p, g_utf8_next_char(p) - p);
	}
	g_string_append(name, "…");
	/* The tail: back from the end while it fits. */
	for (p = end, used = 0; p > s;) {
		const char *prev = g_utf8_prev_char(p);
		size_t u = sheet_units(g_utf8_get_char(prev));

		if (used + u > tail)
			break;
		used += u;
		p = prev;
	}
	g_string_append_len(name, p, end - p);
}

char *
export_sheet_name(const char *want, GHashTable *taken)
{
	static const char forbidden[] = ":\\/?*[]";
	static const char *const wide[] = { "：", "＼", "／", "？", "＊", "［",
	    "］" };
	g_autofree char *clean = textcell_clean(want, FALSE);
	GString *base = g_string_new(NULL);
	const char *p;
	unsigned int n;

	for (p = g_strstrip(clean); *p != '\0'; p = g_utf8_next_char(p)) {
		const char *bad = strchr(forbidden, *p);

		if (bad != NULL)
			g_string_append(base, wide[bad - forbidden]);
		else
			g_string_append_unichar(base, g_utf8_get_char(p));
	}
	while (base->len > 0 && base->str[0] == '\'')
		g_string_erase(base, 0, 1);
	for (n = 1;; n++) {
		g_autofree char *suffix = n > 1 ? g_strdup_printf("(%u)", n) :
		    g_strdup("");
		GString *name = g_string_new(NULL);
		size_t units = strlen(suffix);
		char *key;

		sheet_name_fit(name, base->str, 31 - units);
		while (name->len > 0 && name->str[name->len - 1] == '\'')
			g_string_truncate(name, name->len - 1);
		if (name->len == 0)
			g_string_append(name, "Sheet");
		g_string_append(name, suffix);
		key = g_utf8_casefold(name->str, -1);
		if (strcmp(key, "history") != 0 &&
		    !g_hash_table_contains(taken, key)) {
			g_hash_table_add(taken, key);
			g_string_free(base, TRUE);
			return g_string_free(name, FALSE);
		}
		g_free(key);
		g_string_free(name, TRUE);
	}
}

/* The unit a case counts under: the roster's name for any spelling of a
 * roster unit, else the name as written; "" when it names none. */
static const char *
export_unit_key(const struct campaign *campaign, const struct case_record *c)
{
	const char *uf = campaign_unit_field(campaign);
	const char *unit = uf ? export_field_value(campaign, c, uf) : NULL;
	const struct campaign_unit *u = campaign_unit_find(campaign, unit);

	if (u != NULL)
		return u->name;
	return unit != NULL ? unit : "";
}

/* The units of cases, each once: the roster's order first (all of the
 * roster when with_roster), then the others as they first come, the
 * cases naming none last.  Each entry's data is the unit's cases. */
static GPtrArray *
export_units(const struct campaign *campaign, GPtrArray *cases,
    bool with_roster, GHashTable **by_name_r)
{
	GHashTable *by_name = g_hash_table_new_full(g_str_hash, g_str_equal,
	    NULL, (GDestroyNotify)g_ptr_array_unref);
	GPtrArray *order = g_ptr_array_new(), *units = g_ptr_array_new();
	size_t i, n = campaign_unit_count(campaign);

	for (i = 0; i < cases->len; i++) {
		const char *key = export_unit_key(campaign, cases->pdata[i]);
		GPtrArray *of = g_hash_table_lookup(by_name, key);

		if (of == NULL) {
			of = g_ptr_array_new();
			g_hash_table_insert(by_name, (gpointer)key, of);
			g_ptr_array_add(order, (gpointer)key);
		}
		g_ptr_array_add(of, cases->pdata[i]);
	}
	for (i = 0; i < n; i++) {
		const char *name = campaign_unit_at(campaign, i)->name;

		if (with_roster || g_hash_table_contains(by_name, name))
			g_ptr_array_add(units, (gpointer)name);
	}
	for (i = 0; i < order->len; i++) {
		const char *key = order->pdata[i];

		if (*key != '\0' && campaign_unit_find(campaign, key) == NULL)
			g_ptr_array_add(units, (gpointer)key);
	}
	if (g_hash_table_contains(by_name, ""))
		g_ptr_array_add(units, (gpointer)"");
	g_ptr_array_unref(order);
	*by_name_r = by_name;
	return units;
}

/* 附件4: a sheet per unit, its name, contact and phone above its
 * works, numbered from 1. */
static void
export_per_unit(GPtrArray *sheets, GHashTable *taken,
    const struct campaign *campaign, GArray *cols, GPtrArray *cases)
{
	GHashTable *by_name;
	GPtrArray *units = export_units(campaign, cases, false, &by_name);
	const char *title = campaign_export_title(campaign);
	g_autofree char *unit_label = g_strdup_printf("%s：",
	    campaign_unit_field(campaign));
	guint i;

	for (i = 0; i < units->len; i++) {
		const char *name = units->pdata[i];
		const struct campaign_unit *u = campaign_unit_find(campaign,
		    name);
		struct export_sheet *sheet = export_sheet_new(*name != '\0' ?
		    name : "未注明单位", taken);

		if (title != NULL)
			export_sheet_add_text(sheet, EXPORT_ROW_TITLE, title,
			    NULL);
		export_sheet_add_text(sheet, EXPORT_ROW_LABEL, unit_label, name);
		export_sheet_add_text(sheet, EXPORT_ROW_LABEL, "联系人：",
		    u != NULL && u->contact != NULL ? u->contact : "");
		export_sheet_add_text(sheet, EXPORT_ROW_LABEL, "联系电话：",
		    u != NULL && u->phone != NULL ? u->phone : "");
		export_sheet_add_table(sheet, campaign, cols,
		    g_hash_table_lookup(by_name, name));
		g_ptr_array_add(sheets, sheet);
	}
	g_ptr_array_unref(units);
	g_hash_table_unref(by_name);
}

/* The count table's columns: the field's values in the campaign's order,
 * then any other value the cases give as they first come, "" (none)
 * last; each maps to its index in values. */
static GPtrArray *
export_count_values(const struct campaign *campaign, GPtrArray *cases,
    const char *field, GHashTable **index_r)
{
	GHashTable *index = g_hash_table_new(g_str_hash, g_str_equal);
	GPtrArray *values = g_ptr_array_new();
	const char *const *declared;
	bool blank = false;
	guint i;

	(void)campaign_export_counts(campaign, &declared);
	for (i = 0; declared != NULL && declared[i] != NULL; i++) {
		g_hash_table_insert(index, (gpointer)declared[i],
		    GUINT_TO_POINTER(values->len));
		g_ptr_array_add(values, (gpointer)declared[i]);
	}
	for (i = 0; i < cases->len; i++) {
		const char *v = export_field_value(campaign, cases->pdata[i],
		    field);

		if (v == NULL || *v == '\0')
			blank = true;
		else if (!g_hash_table_contains(index, v)) {
			g_hash_table_insert(index, (gpointer)v,
			    GUINT_TO_POINTER(values->len));
			g_ptr_array_add(values, (gpointer)v);
		}
	}
	if (blank) {
		g_hash_table_insert(index, (gpointer)"",
		    GUINT_TO_POINTER(values->len));
		g_ptr_array_add(values, (gpointer)"");
	}
	*index_r = index;
	return values;
}

/* One row of counts: the label, then each number and their sum. */
static void
export_counts_row(struct export_sheet *sheet, const char *label,
    const guint *counts, guint n)
{
	char **cells = g_new0(char *, n + 3);
	bool *numeric = g_new0(bool, n + 2);
	guint k, sum = 0;

	cells[0] = export_cell(label, FALSE);
	for (k = 0; k < n; k++) {
		cells[k + 1] = g_strdup_printf("%u", counts[k]);
		numeric[k + 1] = true;
		sum += counts[k];
	}
	cells[n + 1] = g_strdup_printf("%u", sum);
	numeric[n + 1] = true;
	export_sheet_add(sheet, EXPORT_ROW_DATA, cells, numeric);
}

/*
 * [export] counts = 系列: the accepted works of each unit by the field's
 * value (notice 000 sets its targets per series and county), every
 * roster unit with its 0s, and the totals of each row and column.
 */
static struct export_sheet *
export_counts(GHashTable *taken, const struct campaign *campaign,
    GPtrArray *cases)
{
	const char *field = campaign_export_counts(campaign, NULL);
	g_autofree char *name = g_strdup_printf("按%s统计", field);
	g_autofree char *title = g_strdup_printf("按%s统计（已受理，件）",
	    field);
	struct export_sheet *sheet = export_sheet_new(name, taken);
	GPtrArray *accepted = g_ptr_array_new(), *units, *values;
	GHashTable *by_unit, *index;
	guint *totals, i, k;
	char **head;

	for (i = 0; i < cases->len; i++) {
		const struct case_record *c = cases->pdata[i];

		if (g_strcmp0(c->status, "accepted") == 0)
			g_ptr_array_add(accepted, cases->pdata[i]);
	}
	units = export_units(campaign, accepted, true, &by_unit);
	values = export_count_values(campaign, accepted, field, &index);
	export_sheet_add_text(sheet, EXPORT_ROW_TITLE, title, NULL);
	head = g_new0(char *, values->len + 3);
	head[0] = export_cell(campaign_unit_field(campaign), FALSE);
	for (k = 0; k < values->len; k++)
		head[k + 1] = export_cell(*(const char *)values->pdata[k] ?
		    values->pdata[k] : "（未填）", FALSE);
	head[values->len + 1] = g_strdup("合计");
	export_sheet_add(sheet, EXPORT_ROW_HEADER, head, NULL);
	totals = g_new0(guint, values->len);
	for (i = 0; i < units->len; i++) {
		GPtrArray *of = g_hash_table_lookup(by_unit, units->pdata[i]);
		guint *counts = g_new0(guint, values->len);

		for (k = 0; of != NULL && k < of->len; k++) {
			const char *v = export_field_value(campaign,
			    of->pdata[k], field);
			guint at = GPOINTER_TO_UINT(g_hash_table_lookup(index,
			    v != NULL ? v : ""));

			counts[at]++;
			totals[at]++;
		}
		export_counts_row(sheet, *(const char *)units->pdata[i] ?
		    units->pdata[i] : "（未注明）", counts, values->len);
		g_free(counts);
	}
	export_counts_row(sheet, "合计", totals, values->len);
	g_free(totals);
	g_hash_table_unref(index);
	g_ptr_array_unref(values);
	g_ptr_array_unref(units);
	g_hash_table_unref(by_unit);
	g_ptr_array_unref(accepted);
	return sheet;
}

GPtrArray *
export_summary_sheets(const struct campaign *campaign, GPtrArray *cases,
    enum campaign_export_layout layout)
{
	GPtrArray *sheets = g_ptr_array_new_with_free_func(export_sheet_free);
	GHashTable *taken = g_hash_table_new_full(g_str_hash, g_str_equal,
	    g_free, NULL);
	GArray *cols = export_columns(campaign);

	/* A per-unit table of nothing would be no sheet at all, and a
	 * workbook needs one: the empty list stands in. */
	if (layout == CAMPAIGN_EXPORT_PER_UNIT &&
	    campaign_unit_field(campaign) != NULL && cases->len > 0) {
		export_per_unit(sheets, taken, campaign, cols, cases);
	} else {
		/* The one list is staff's: its header stays the first
		 * row, for whatever reads the CSV. */
		struct export_sheet *sheet = export_sheet_new("汇总表", taken);

		export_sheet_add_table(sheet, campaign, cols, cases);
		g_ptr_array_add(sheets, sheet);
	}
	if (campaign_export_counts(campaign, NULL) != NULL &&
	    campaign_unit_field(campaign) != NULL)
		g_ptr_array_add(sheets, export_counts(taken, campaign, cases));
	g_array_unref(cols);
	g_hash_table_unref(taken);
	return sheets;
}

void
export_csv_append_sheets(GString *out, GPtrArray *sheets)
{
	guint i, r;

	for (i = 0; i < sheets->len; i++) {
		const struct export_sheet *sheet = sheets->pdata[i];

		/* Blocks apart by a blank line, as the notice's forms are. */
		if (i > 0)
			g_string_append(out, "\r\n");
		for (r = 0; r < sheet->rows->len; r++) {
			const struct export_row *row = sheet->rows->pdata[r];
			size_t k;

			for (k = 0; row->cells[k] != NULL; k++) {
				if (k > 0)
					g_string_append_c(out, ',');
				export_csv_append_field(out, row->cells[k]);
			}
			g_string_append(out, "\r\n");
		}
	}
}

static int
export_write_csv(GPtrArray *sheets, const char *path, char **error_r)
{
	GString *out = g_string_new("\xef\xbb\xbf");
	int ret = 0;

	export_csv_append_sheets(out, sheets);
	if (path == NULL || strcmp(path, "-") == 0) {
		if (fwrite(out->str, 1, out->len, stdout) != out->len ||
		    fflush(stdout) != 0) {
			*error_r = g_strdup_printf("standard output: %s",
			    g_strerror(errno));
			ret = -1;
		}
	} else {
		ret = store_write_file_atomic(path, out->str, out->len,
		    error_r);
	}
	g_string_free(out, TRUE);
	return ret;
}

/* Widest line of a cell, in spreadsheet characters (CJK count two). */
static size_t
export_cell_width(const char *cell)
{
	g_auto(GStrv) lines = g_strsplit(cell, "\n", -1);
	size_t best = 0, i;

	for (i = 0; lines[i] != NULL; i++)
		best = MAX(best, textcell_display_width(lines[i]));
	return best;
}

static int
export_xlsx_check(lxw_error err, const char *path, char **error_r)
{
	if (err == LXW_NO_ERROR)
		return 0;
	*error_r = g_strdup_printf("%s: %s", path, lxw_strerror(err));
	return -1;
}

/* The formats of the kinds of rows, by enum export_row_kind; the data
 * rows' is the body. */
struct export_formats {
	lxw_format *title, *label, *head, *body;
};

static void
export_formats_init(lxw_workbook *wb, struct export_formats *f)
{
	f->title = workbook_add_format(wb);
	format_set_bold(f->title);
	format_set_font_size(f->title, 14);
	format_set_align(f->title, LXW_ALIGN_CENTER);
	f->label = workbook_add_format(wb);
	format_set_bold(f->label);
	f->head = workbook_add_format(wb);
	format_set_bold(f->head);
	format_set_align(f->head, LXW_ALIGN_CENTER);
	format_set_align(f->head, LXW_ALIGN_VERTICAL_CENTER);
	format_set_bg_color(f->head, 0xD9E1F2);
	format_set_border(f->head, LXW_BORDER_THIN);
	f->body = workbook_add_format(wb);
	format_set_text_wrap(f->body);
	format_set_align(f->body, LXW_ALIGN_VERTICAL_TOP);
	format_set_border(f->body, LXW_BORDER_THIN);
}

static lxw_error
export_xlsx_cell(lxw_worksheet *ws, const struct export_formats *f,
    const struct export_row *row, lxw_row_t r, size_t k, size_t ncols)
{
	const char *cell = row->cells[k];

	switch (row->kind) {
	case EXPORT_ROW_TITLE:
		/* Above the table and centred on it, as printed. */
		if (ncols > 1)
			return worksheet_merge_range(ws, r, 0, r,
			    (lxw_col_t)(ncols - 1), cell, f->title);
		return worksheet_write_string(ws, r, 0, cell, f->title);
	case EXPORT_ROW_LABEL:
		return worksheet_write_string(ws, r, (lxw_col_t)k, cell,
		    k == 0 ? f->label : NULL);
	case EXPORT_ROW_HEADER:
		return worksheet_write_string(ws, r, (lxw_col_t)k, cell,
		    f->head);
	case EXPORT_ROW_DATA:
		break;
	}
	if (row->numeric != NULL && row->numeric[k])
		return worksheet_write_number(ws, r, (lxw_col_t)k,
		    g_ascii_strtod(cell, NULL), f->body);
	return worksheet_write_string(ws, r, (lxw_col_t)k, cell, f->body);
}

static int
export_xlsx_sheet(lxw_workbook *wb, const struct export_formats *f,
    const struct export_sheet *sheet, const char *path, char **error_r)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, sheet->name);
	const struct export_row *header = sheet->rows->pdata[sheet->header];
	size_t ncols = g_strv_length(header->cells), k;
	size_t *widths = g_new0(size_t, ncols);
	guint i;
	int ret = 0;

	if (ws == NULL) {
		g_free(widths);
		*error_r = g_strdup_printf("%s: cannot add sheet %s", path,
		    sheet->name);
		return -1;
	}
	for (i = 0; i < sheet->rows->len && ret == 0; i++) {
		const struct export_row *row = sheet->rows->pdata[i];

		for (k = 0; row->cells[k] != NULL && ret == 0; k++) {
			if (row->kind != EXPORT_ROW_TITLE && k < ncols)
				widths[k] = MAX(widths[k],
				    export_cell_width(row->cells[k]));
			ret = export_xlsx_check(export_xlsx_cell(ws, f, row,
			    (lxw_row_t)i, k, ncols), path, error_r);
		}
	}
	for (k = 0; k < ncols && ret == 0; k++) {
		size_t w = CLAMP(widths[k] + 2, (size_t)EXPORT_COLUMN_MIN,
		    (size_t)EXPORT_COLUMN_MAX);

		ret = export_xlsx_check(worksheet_set_column(ws, (lxw_col_t)k,
		    (lxw_col_t)k, (double)w, NULL), path, error_r);
	}
	g_free(widths);
	if (ret == 0) {
		worksheet_freeze_panes(ws, (lxw_row_t)(sheet->header + 1), 0);
		ret = export_xlsx_check(worksheet_autofilter(ws,
		    (lxw_row_t)sheet->header, 0,
		    (lxw_row_t)(sheet->rows->len - 1), (lxw_col_t)(ncols - 1)),
		    path, error_r);
	}
	return ret;
}

static int
export_write_xlsx(GPtrArray *sheets, const char *path, char **error_r)
{
	g_autofree char *tmp = g_strdup_printf("%s.tmp", path);
	struct export_formats formats;
	lxw_workbook *wb;
	lxw_error err;
	guint i;
	int ret = 0;

	/* libxlsxwriter writes the whole file at close: build it beside
	 * the target and rename, so staff never open half a workbook. */
	wb = workbook_new(tmp);
	if (wb == NULL) {
		*error_r = g_strdup_printf("%s: cannot create workbook", tmp);
		return -1;
	}
	export_formats_init(wb, &formats);
	for (i = 0; i < sheets->len && ret == 0; i++)
		ret = export_xlsx_sheet(wb, &formats, sheets->pdata[i], path,
		    error_r);
	/* Always close: it frees the workbook. */
	err = workbook_close(wb);
	if (ret == 0)
		ret = export_xlsx_check(err, path, error_r);
	if (ret == 0 && rename(tmp, path) < 0) {
		*error_r = g_strdup_printf("%s: %s", path, g_strerror(errno));
		ret = -1;
	}
	if (ret < 0)
		(void)unlink(tmp);
	return ret;
}

int
export_summary(const struct campaign *campaign, GPtrArray *cases,
    enum campaign_export_layout layout, enum export_format format,
    const char *path, char **error_r)
{
	GPtrArray *sheets;
	int ret;

	if (format == EXPORT_XLSX && (path == NULL || strcmp(path, "-") == 0)) {
		*error_r = g_strdup("an XLSX export needs a file name "
		    "(-o FILE)");
		return -1;
	}
	sheets = export_summary_sheets(campaign, cases, layout);
	if (format == EXPORT_XLSX)
		ret = export_write_xlsx(sheets, path, error_r);
	else
		ret = export_write_csv(sheets, path, error_r);
	g_ptr_array_unref(sheets);
	return ret;
}
