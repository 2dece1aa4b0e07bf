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

static int
export_write_csv(GPtrArray *table, const char *path, char **error_r)
{
	GString *out = g_string_new("\xef\xbb\xbf");
	guint i;
	int ret = 0;

	for (i = 0; i < table->len; i++) {
		char **row = table->pdata[i];
		size_t k;

		for (k = 0; row[k] != NULL; k++) {
			if (k > 0)
				g_string_append_c(out, ',');
			export_csv_append_field(out, row[k]);
		}
		g_string_append(out, "\r\n");
	}
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

static int
export_write_xlsx(GPtrArray *table, GArray *cols, const char *path,
    char **error_r)
{
	g_autofree char *tmp = g_strdup_printf("%s.tmp", path);
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *head, *body;
	size_t ncols = g_strv_length(table->pdata[0]), k;
	size_t *widths = g_new0(size_t, ncols);
	guint i;
	int ret = 0;

	/* libxlsxwriter writes the whole file at close: build it beside
	 * the target and rename, so staff never open half a workbook. */
	wb = workbook_new(tmp);
	if (wb == NULL) {
		*error_r = g_strdup_printf("%s: cannot create workbook", tmp);
		g_free(widths);
		return -1;
	}
	ws = workbook_add_worksheet(wb, "汇总表");
	head = workbook_add_format(wb);
	format_set_bold(head);
	format_set_align(head, LXW_ALIGN_CENTER);
	format_set_align(head, LXW_ALIGN_VERTICAL_CENTER);
	format_set_bg_color(head, 0xD9E1F2);
	format_set_border(head, LXW_BORDER_THIN);
	body = workbook_add_format(wb);
	format_set_text_wrap(body);
	format_set_align(body, LXW_ALIGN_VERTICAL_TOP);
	format_set_border(body, LXW_BORDER_THIN);
	for (i = 0; i < table->len && ret == 0; i++) {
		char **row = table->pdata[i];

		for (k = 0; k < ncols && row[k] != NULL && ret == 0; k++) {
			lxw_error err;

			widths[k] = MAX(widths[k], export_cell_width(row[k]));
			if (i > 0 && export_column_numeric(&g_array_index(cols,
			    struct export_column, k)))
				err = worksheet_write_number(ws, (lxw_row_t)i,
				    (lxw_col_t)k, g_ascii_strtod(row[k], NULL),
				    body);
			else
				err = worksheet_write_string(ws, (lxw_row_t)i,
				    (lxw_col_t)k, row[k], i == 0 ? head : body);
			ret = export_xlsx_check(err, path, error_r);
		}
	}
	for (k = 0; k < ncols && ret == 0; k++) {
		size_t w = CLAMP(widths[k] + 2, (size_t)EXPORT_COLUMN_MIN,
		    (size_t)EXPORT_COLUMN_MAX);

		ret = export_xlsx_check(worksheet_set_column(ws, (lxw_col_t)k,
		    (lxw_col_t)k, (double)w, NULL), path, error_r);
	}
	if (ret == 0) {
		worksheet_freeze_panes(ws, 1, 0);
		ret = export_xlsx_check(worksheet_autofilter(ws, 0, 0,
		    (lxw_row_t)(table->len - 1), (lxw_col_t)(ncols - 1)), path,
		    error_r);
	}
	g_free(widths);
	{
		/* Always close: it frees the workbook. */
		lxw_error err = workbook_close(wb);

		if (ret == 0)
			ret = export_xlsx_check(err, path, error_r);
	}
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
    enum export_format format, const char *path, char **error_r)
{
	GArray *cols = export_columns(campaign);
	GPtrArray *table = export_table(campaign, cols, cases);
	int ret;

	if (format == EXPORT_XLSX) {
		if (path == NULL || strcmp(path, "-") == 0) {
			*error_r = g_strdup("an XLSX export needs a file name "
			    "(-o FILE)");
			ret = -1;
		} else {
			ret = export_write_xlsx(table, cols, path, error_r);
		}
	} else {
		ret = export_write_csv(table, path, error_r);
	}
	g_ptr_array_unref(table);
	g_array_unref(cols);
	return ret;
}
