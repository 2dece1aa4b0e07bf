/*
 * docxwalk: the text of a Word document's word/document.xml, fed in
 * chunks as it comes out of the zip (a chunk may end inside a tag or
 * inside a UTF-8 character).  GLib's GMarkup parses it: no DTD, no
 * entities beyond XML's five, so nothing outside the bytes is ever read.
 *
 * What Word shows is kept: the text of w:t (not w:delText, not field
 * codes), w:tab, w:br and w:cr as a space, the end of each w:p as a
 * newline.  A symbol (w:sym) in the Wingdings fonts Word's checkbox
 * buttons insert is kept as its Unicode box (☑ ☒ □ ✓), since a form says
 * which option was ticked with it.  Table cells (w:tbl/w:tr/w:tc) are
 * kept apart as well, with their table, row and column, how many grid
 * columns they span (w:gridSpan) and whether they continue the cell
 * above (w:vMerge), for a reader of registration forms (regform.h); a
 * table inside a cell is read into that cell.  So are the non-empty
 * paragraphs outside tables, with how many tables came before each (a
 * form's “报送单位：” line stands above its table).  Footnotes, headers
 * and comments live in other parts of the zip and are not here.
 *
 * Bounds: the text kept stops growing at max_text bytes (the walk goes on
 * and says it was cut), and at most max_cells cells and max_cells
 * paragraphs are kept (0: neither).
 *
 * Pure: no I/O.  docxwalk_feed/_end return 0, or <0 with *error_r
 * (g_free) for bytes that are not well-formed XML.
 */
#ifndef SUBGATE_DOCXWALK_H
#define SUBGATE_DOCXWALK_H

#include <stdbool.h>
#include <stddef.h>

struct docxwalk;

enum docx_vmerge {
	DOCX_VMERGE_NONE,
	DOCX_VMERGE_RESTART,		/* the top of cells merged down */
	DOCX_VMERGE_CONTINUE,		/* under it: Word shows no text */
};

struct docx_cell {
	unsigned table, row, col;	/* from 0, in document order */
	unsigned span;			/* grid columns, 1 or more */
	enum docx_vmerge vmerge;
	char *text;			/* the cell's paragraphs, "\n" apart */
};

struct docx_paragraph {
	unsigned tables_before;		/* tables that ended before it */
	char *text;
};

struct docxwalk *docxwalk_new(size_t max_text, size_t max_cells);
void docxwalk_free(struct docxwalk **w);

int docxwalk_feed(struct docxwalk *w, const char *buf, size_t len,
    char **error_r);
int docxwalk_end(struct docxwalk *w, char **error_r);

/* Borrowed, valid until docxwalk_free. */
const char *docxwalk_text(const struct docxwalk *w, size_t *len_r);
bool docxwalk_cut(const struct docxwalk *w);
size_t docxwalk_cell_count(const struct docxwalk *w);
const struct docx_cell *docxwalk_cell(const struct docxwalk *w, size_t i);
size_t docxwalk_paragraph_count(const struct docxwalk *w);
const struct docx_paragraph *docxwalk_paragraph(const struct docxwalk *w,
    size_t i);

#endif
