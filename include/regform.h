/*
 * regform: the values of a registration form (报名表) read by label from
 * a Word document's table cells and paragraphs, as a campaign's
 * form.LABEL = FIELD keys ask (subgate.campaign(5)).  The cells come from
 * docxwalk.h, in the inspecting process, and reach the daemon as JSON;
 * this module only reads them.
 *
 * Labels compare by key (regform_label_key): NFKC, case folded, without
 * white space, colons, "*" and （必填）/（选填）, so that 名 称, 名称： and
 * 名　称 are all 名称.  The rules, in order:
 *   1. In a table row, a cell whose key is a label takes as its value the
 *      next cell to its right that is neither a label nor a unit word (集,
 *      分钟, 年 月 日): 003's row [类 别][微视频][总 集 数][1][集][每集时长]
 *      [7][分钟] gives 类别 微视频, 总集数 1, 每集时长 7.  A cell merged
 *      across (gridSpan) is one cell; one merged down (vMerge) shows the
 *      text of the cell it continues.
 *   2. A cell or paragraph “LABEL：VALUE” (报送单位：金坛区委组织部) gives
 *      VALUE, up to the next “X：” in the same text.  Where a value runs
 *      into a label the campaign does not map (推荐单位:湖南省人社厅推荐时
 *      间：), that label is taken as its last four characters.
 *   3. Checkboxes: of options marked ☑ ■ √ ✓ ✔ ☒ ⊠ ▣ or [x], the ticked
 *      ones are the value (joined by ";"); □ ☐ and [ ] are not ticked, so
 *      a row of boxes none of which is ticked is empty.
 *   4. Underscore blanks (推荐单位:_______) are empty; a bracketed hint
 *      with 填 in it (（自主报名无需填写）) is no value; nor is a template's
 *      sample of only X (XXX).
 *   5. The form is the first table holding at least half of the labels
 *      (prefer_field/prefer_key choose among several: 报名表（一） and
 *      （二） in one file, the one naming the work); the paragraphs just
 *      above it, then just below it, give what it lacks.  A document with
 *      no such table is read from its paragraphs alone, if they hold half
 *      of the labels.
 * Several labels may name one field (作者姓名 and 姓名): the first
 * non-empty value wins.
 *
 * Bounds: regform_cells keeps at most max_items cells and as many
 * paragraphs, and max_bytes of their text (then it is cut, and says so):
 * what the child sends stays within its answer's limit.  Values are the
 * text as typed, white space collapsed.
 *
 * Pure: no I/O.  Strings returned are borrowed from the result.
 */
#ifndef SUBGATE_REGFORM_H
#define SUBGATE_REGFORM_H

#include <stdbool.h>
#include <stddef.h>

/* What libmagic calls a Word .docx: the one kind of form read. */
#define REGFORM_DOCX_MIME	"application/vnd.openxmlformats-" \
	"officedocument.wordprocessingml.document"

enum regform_vmerge {
	REGFORM_VMERGE_NONE,
	REGFORM_VMERGE_RESTART,
	REGFORM_VMERGE_CONTINUE,	/* shows the text of the cell above */
};

struct regform_cell {
	unsigned table, row, col;	/* from 0, in document order */
	unsigned span;			/* grid columns; 0 counts as 1 */
	enum regform_vmerge vmerge;
	const char *text;
};

struct regform_paragraph {
	unsigned tables_before;		/* tables that ended before it */
	const char *text;
};

/* A form's cells and paragraphs, as the walk of a document gives them. */
struct regform_cells;

struct regform_cells *regform_cells_new(size_t max_items, size_t max_bytes);
void regform_cells_free(struct regform_cells **c);
/* The text is copied.  false when a bound left it out. */
bool regform_cells_add_cell(struct regform_cells *c,
    const struct regform_cell *cell);
/* Only a paragraph with a colon or a box in it can hold a value (rules 2
 * and 3): the others are not kept, and true is returned. */
bool regform_cells_add_paragraph(struct regform_cells *c,
    unsigned tables_before, const char *text);
size_t regform_cells_cell_count(const struct regform_cells *c);
const struct regform_cell *regform_cells_cell(const struct regform_cells *c,
    size_t i);
size_t regform_cells_paragraph_count(const struct regform_cells *c);
const struct regform_paragraph *regform_cells_paragraph(
    const struct regform_cells *c, size_t i);
bool regform_cells_cut(const struct regform_cells *c);

/* One form.LABEL = FIELD of a campaign. */
struct regform_label {
	const char *label;		/* as the campaign writes it */
	const char *key;		/* regform_label_key(label) */
	const char *field;
};

/* The comparison key of a label (g_free); "" when nothing is left. */
char *regform_label_key(const char *label);

struct regform_value {
	const char *field;
	const char *label;		/* the campaign's label that found it */
	const char *value;		/* "" when the form leaves it blank */
	int table, row, col;		/* table -1: paragraph row */
};

struct regform_result;

/* The form in cells by the n labels.  prefer_field (may be NULL): among
 * several tables that are the form, the first whose value of that field
 * has the comparison key (normalize.h NORMALIZE_KEY) prefer_key.  Never
 * fails on content: a document that holds no form gives a result that
 * says so (regform_found false). */
void regform_read(const struct regform_cells *cells,
    const struct regform_label *labels, size_t n, const char *prefer_field,
    const char *prefer_key, struct regform_result **res_r);
void regform_result_free(struct regform_result **r);

/* Whether a table (or the paragraphs) held half of the labels. */
bool regform_found(const struct regform_result *r);
/* The table read, -1: the paragraphs (or none found). */
int regform_table(const struct regform_result *r);
/* One value per field whose label the form has, in the labels' order. */
size_t regform_value_count(const struct regform_result *r);
const struct regform_value *regform_value(const struct regform_result *r,
    size_t i);
/* A field's value ("" blank), NULL when the form has no label for it. */
const char *regform_get(const struct regform_result *r, const char *field);
/* Found, and every value blank: a template sent as it came. */
bool regform_blank(const struct regform_result *r);

#endif
