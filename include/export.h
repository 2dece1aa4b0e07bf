/*
 * export: the summary table (汇总表) of a campaign as CSV or XLSX, and the
 * text helpers the staff commands share for terminals and spreadsheets.
 *
 * By default the columns follow the notices' own 汇总表 (序号, 作品名称,
 * 类别, 制作单位/报送单位), mapped from the campaign's title_field,
 * category_field and unit_field (the submitter when there is no unit
 * field), then 回执编号, 投稿邮箱, 收到时间, 状态, 附件.  A campaign's
 * [export] columns (campaign_export_columns) replaces that set with its
 * own list of built-in columns and field values, in its order and under
 * its headings; 序号 and 附件数 are numbers in XLSX.
 *
 * The table comes in sheets (struct export_sheet): the whole list as one
 * (汇总表), or, in the per-unit layout, one per unit as notice 003's 附件4
 * prints it: the unit's name, 联系人 and 联系电话 (the roster's) above its
 * works, numbered from 1.  [export] counts adds a sheet counting each
 * unit's accepted cases by a field's value, with totals.  XLSX writes a
 * worksheet per sheet, named within Excel's rules; CSV writes them one
 * after the other, a blank line apart.
 *
 * CSV is UTF-8 with a byte order mark (Excel and WPS otherwise read it as
 * GBK) and RFC 4180 quoting.  A cell that a spreadsheet would run as a
 * formula (leading = + - @, tab or CR) gets a leading apostrophe: titles
 * come from strangers' mail.  XLSX cells are always text, so they need no
 * such guard.
 *
 * Everything taken from mail passes export_clean_text() first: control
 * characters, which would move a terminal's cursor or make an XLSX file
 * invalid XML, become spaces.
 */
#ifndef SUBGATE_EXPORT_H
#define SUBGATE_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include <stdbool.h>

#include <glib.h>

#include "campaign.h"

/* Longest cell written (Excel's own limit is 32767 characters). */
#define EXPORT_CELL_MAX_CHARS	32000

enum export_format {
	EXPORT_CSV,
	EXPORT_XLSX,
};

/* "csv" or "xlsx" -> 0 and *format_r; anything else <0. */
int export_format_parse(const char *name, enum export_format *format_r);

/* Appends one CSV field, quoted when needed (RFC 4180). */
void export_csv_append_field(GString *out, const char *s);

/* The summary table in the campaign's columns: rows of cells, the header
 * first (each row a NULL-terminated char *[]; free with g_ptr_array_unref).
 * cases holds struct case_record *. */
GPtrArray *export_summary_table(const struct campaign *campaign,
    GPtrArray *cases);

/* How a spreadsheet sets a row out. */
enum export_row_kind {
	EXPORT_ROW_TITLE,	/* one cell: [export] title, a count's title */
	EXPORT_ROW_LABEL,	/* a unit's header block: “报送单位：”, NAME */
	EXPORT_ROW_HEADER,	/* the columns' headings */
	EXPORT_ROW_DATA,
};

struct export_row {
	enum export_row_kind kind;
	char **cells;		/* NULL-terminated */
	bool *numeric;		/* per cell, a number in XLSX; NULL: none */
};

/* One worksheet of the XLSX file, one block of the CSV. */
struct export_sheet {
	char *name;		/* valid and unique in the workbook */
	GPtrArray *rows;	/* struct export_row *, in order */
	guint header;		/* the index of the HEADER row */
};

/* The summary table in layout (the campaign's, or staff's choice), as
 * sheets (struct export_sheet *; free with g_ptr_array_unref).  A
 * per-unit table of no case is the empty list. */
GPtrArray *export_summary_sheets(const struct campaign *campaign,
    GPtrArray *cases, enum campaign_export_layout layout);
/* The sheets as CSV rows (RFC 4180, CRLF), a blank line apart. */
void export_csv_append_sheets(GString *out, GPtrArray *sheets);
/* A sheet name Excel takes, as close to want as its rules allow and not
 * in taken (case-folded names, g_free'd keys), where it is then added. */
char *export_sheet_name(const char *want, GHashTable *taken);

/* Writes the summary table to path; for CSV, path NULL or "-" means
 * standard output.  The file appears complete or not at all. */
int export_summary(const struct campaign *campaign, GPtrArray *cases,
    enum campaign_export_layout layout, enum export_format format,
    const char *path, char **error_r);

#endif
