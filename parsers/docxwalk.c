/* docxwalk: see include/docxwalk.h. */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "docxwalk.h"

struct docxwalk {
	GMarkupParseContext *ctx;
	GString *text;
	size_t max_text, max_cells;
	bool cut;
	unsigned in_t;			/* inside w:t */
	unsigned tbl_depth;		/* tables open */
	int table, row, col;		/* of the outermost table */
	GString *cell;			/* the open outermost cell, or NULL */
	unsigned span;			/* of the open cell */
	enum docx_vmerge vmerge;
	GArray *cells;			/* struct docx_cell */
	unsigned tables_done;		/* outermost tables ended */
	GString *para;			/* the open paragraph outside tables */
	GArray *paras;			/* struct docx_paragraph */
};

/* Word's checkbox buttons insert a Wingdings symbol, not a character:
 * w:char is the glyph's code (F000 + the byte, or the byte). */
static const struct {
	const char *font;
	unsigned code;
	const char *utf8;
} sym_boxes[] = {
	{ "Wingdings 2", 0x52, "☑" }, { "Wingdings 2", 0x53, "☒" },
	{ "Wingdings 2", 0x54, "☒" }, { "Wingdings 2", 0x50, "✓" },
	{ "Wingdings 2", 0xa3, "□" }, { "Wingdings 2", 0x2a, "□" },
	{ "Wingdings", 0xfe, "☑" }, { "Wingdings", 0xfd, "☒" },
	{ "Wingdings", 0xfc, "✓" }, { "Wingdings", 0xa8, "□" },
	{ "Wingdings", 0x6f, "□" }, { "Wingdings", 0x71, "□" },
};

/* "w:t" -> "t": the prefix is the document's choice. */
static const char *
local_name(const char *name)
{
	const char *colon = strchr(name, ':');

	return colon != NULL ? colon + 1 : name;
}

static void
put(struct docxwalk *w, const char *s, size_t len)
{
	if (w->text->len + len > w->max_text) {
		w->cut = true;
		return;
	}
	g_string_append_len(w->text, s, (gssize)len);
	if (w->cell != NULL && w->cell->len + len <= w->max_text)
		g_string_append_len(w->cell, s, (gssize)len);
	if (w->para != NULL && w->para->len + len <= w->max_text)
		g_string_append_len(w->para, s, (gssize)len);
}

/* The value of attribute local name want ("w:val" -> "val"), or NULL. */
static const char *
attr(const char **names, const char **values, const char *want)
{
	size_t i;

	for (i = 0; names[i] != NULL; i++) {
		const char *colon = strchr(names[i], ':');

		if (strcmp(colon != NULL ? colon + 1 : names[i], want) == 0)
			return values[i];
	}
	return NULL;
}

static void
put_sym(struct docxwalk *w, const char **names, const char **values)
{
	const char *font = attr(names, values, "font");
	const char *code = attr(names, values, "char");
	unsigned long c;
	size_t i;

	if (font == NULL || code == NULL)
		return;
	c = strtoul(code, NULL, 16) & 0xff;
	for (i = 0; i < G_N_ELEMENTS(sym_boxes); i++)
		if (g_ascii_strcasecmp(font, sym_boxes[i].font) == 0 &&
		    c == sym_boxes[i].code) {
			put(w, sym_boxes[i].utf8, strlen(sym_boxes[i].utf8));
			return;
		}
}

/* w:gridSpan and w:vMerge of the open cell's properties. */
static void
cell_property(struct docxwalk *w, const char *n, const char **names,
    const char **values)
{
	const char *val = attr(names, values, "val");

	if (strcmp(n, "gridSpan") == 0) {
		unsigned long span = val != NULL ? strtoul(val, NULL, 10) : 1;

		w->span = span >= 1 && span <= 64 ? (unsigned)span : 1;
	} else if (strcmp(n, "vMerge") == 0)
		w->vmerge = val != NULL && strcmp(val, "restart") == 0 ?
		    DOCX_VMERGE_RESTART : DOCX_VMERGE_CONTINUE;
}

static void
on_start(GMarkupParseContext *ctx, const char *name, const char **attr_names,
    const char **attr_values, gpointer data, GError **error)
{
	struct docxwalk *w = data;
	const char *n = local_name(name);

	(void)ctx, (void)error;
	if (strcmp(n, "t") == 0)
		w->in_t++;
	else if (strcmp(n, "tab") == 0 || strcmp(n, "br") == 0 ||
	    strcmp(n, "cr") == 0)
		put(w, " ", 1);
	else if (strcmp(n, "sym") == 0)
		put_sym(w, attr_names, attr_values);
	else if (strcmp(n, "p") == 0 && w->tbl_depth == 0 &&
	    w->max_cells > 0 && w->para == NULL)
		w->para = g_string_new(NULL);
	else if ((strcmp(n, "gridSpan") == 0 || strcmp(n, "vMerge") == 0) &&
	    w->cell != NULL && w->tbl_depth == 1)
		cell_property(w, n, attr_names, attr_values);
	else if (strcmp(n, "tbl") == 0) {
		if (w->tbl_depth++ == 0) {
			w->table++;
			w->row = -1;
		}
	} else if (strcmp(n, "tr") == 0 && w->tbl_depth == 1) {
		w->row++;
		w->col = -1;
	} else if (strcmp(n, "tc") == 0 && w->tbl_depth == 1) {
		w->col++;
		if (w->cell == NULL)
			w->cell = g_string_new(NULL);
		w->span = 1;
		w->vmerge = DOCX_VMERGE_NONE;
	}
}

static void
cell_close(struct docxwalk *w)
{
	struct docx_cell c;

	if (w->cells->len < w->max_cells && w->row >= 0 && w->col >= 0) {
		/* The paragraph mark of the cell's last paragraph. */
		while (w->cell->len > 0 && w->cell->str[w->cell->len - 1] ==
		    '\n')
			g_string_truncate(w->cell, w->cell->len - 1);
		c.table = (unsigned)w->table;
		c.row = (unsigned)w->row;
		c.col = (unsigned)w->col;
		c.span = w->span;
		c.vmerge = w->vmerge;
		c.text = g_string_free(w->cell, FALSE);
		g_array_append_val(w->cells, c);
	} else
		g_string_free(w->cell, TRUE);
	w->cell = NULL;
}

static void
para_close(struct docxwalk *w)
{
	struct docx_paragraph p;
	char *text = g_strstrip(g_string_free(w->para, FALSE));

	w->para = NULL;
	if (*text == '\0' || w->paras->len >= w->max_cells) {
		g_free(text);
		return;
	}
	p.tables_before = w->tables_done;
	p.text = text;
	g_array_append_val(w->paras, p);
}

static void
on_end(GMarkupParseContext *ctx, const char *name, gpointer data,
    GError **error)
{
	struct docxwalk *w = data;
	const char *n = local_name(name);

	(void)ctx, (void)error;
	if (strcmp(n, "t") == 0 && w->in_t > 0)
		w->in_t--;
	else if (strcmp(n, "p") == 0) {
		if (w->para != NULL && w->tbl_depth == 0)
			para_close(w);
		put(w, "\n", 1);
	} else if (strcmp(n, "tbl") == 0 && w->tbl_depth > 0) {
		if (--w->tbl_depth == 0)
			w->tables_done++;
	}
	else if (strcmp(n, "tc") == 0 && w->tbl_depth == 1 && w->cell != NULL)
		cell_close(w);
}

static void
on_text(GMarkupParseContext *ctx, const char *text, gsize len, gpointer data,
    GError **error)
{
	struct docxwalk *w = data;

	(void)ctx, (void)error;
	if (w->in_t > 0)
		put(w, text, len);
}

static const GMarkupParser walk_parser = {
	.start_element = on_start,
	.end_element = on_end,
	.text = on_text,
};

struct docxwalk *
docxwalk_new(size_t max_text, size_t max_cells)
{
	struct docxwalk *w = g_new0(struct docxwalk, 1);

	w->ctx = g_markup_parse_context_new(&walk_parser, 0, w, NULL);
	w->text = g_string_new(NULL);
	w->max_text = max_text;
	w->max_cells = max_cells;
	w->table = -1;
	w->cells = g_array_new(FALSE, TRUE, sizeof(struct docx_cell));
	w->paras = g_array_new(FALSE, TRUE, sizeof(struct docx_paragraph));
	return w;
}

void
docxwalk_free(struct docxwalk **wp)
{
	struct docxwalk *w = *wp;
	guint i;

	if (w == NULL)
		return;
	g_markup_parse_context_free(w->ctx);
	g_string_free(w->text, TRUE);
	if (w->cell != NULL)
		g_string_free(w->cell, TRUE);
	for (i = 0; i < w->cells->len; i++)
		g_free(g_array_index(w->cells, struct docx_cell, i).text);
	g_array_free(w->cells, TRUE);
	if (w->para != NULL)
		g_string_free(w->para, TRUE);
	for (i = 0; i < w->paras->len; i++)
		g_free(g_array_index(w->paras, struct docx_paragraph, i).text);
	g_array_free(w->paras, TRUE);
	g_free(w);
	*wp = NULL;
}

static int
markup_result(gboolean ok, GError *gerr, char **error_r)
{
	if (ok)
		return 0;
	*error_r = g_strdup_printf("document.xml: %s", gerr != NULL ?
	    gerr->message : "not well-formed");
	g_clear_error(&gerr);
	return -1;
}

int
docxwalk_feed(struct docxwalk *w, const char *buf, size_t len,
    char **error_r)
{
	GError *gerr = NULL;

	return markup_result(g_markup_parse_context_parse(w->ctx, buf,
	    (gssize)len, &gerr), gerr, error_r);
}

int
docxwalk_end(struct docxwalk *w, char **error_r)
{
	GError *gerr = NULL;

	return markup_result(g_markup_parse_context_end_parse(w->ctx, &gerr),
	    gerr, error_r);
}

const char *
docxwalk_text(const struct docxwalk *w, size_t *len_r)
{
	*len_r = w->text->len;
	return w->text->str;
}

bool
docxwalk_cut(const struct docxwalk *w)
{
	return w->cut;
}

size_t
docxwalk_cell_count(const struct docxwalk *w)
{
	return w->cells->len;
}

const struct docx_cell *
docxwalk_cell(const struct docxwalk *w, size_t i)
{
	return i < w->cells->len ? &g_array_index(w->cells, struct docx_cell,
	    i) : NULL;
}

size_t
docxwalk_paragraph_count(const struct docxwalk *w)
{
	return w->paras->len;
}

const struct docx_paragraph *
docxwalk_paragraph(const struct docxwalk *w, size_t i)
{
	return i < w->paras->len ? &g_array_index(w->paras,
	    struct docx_paragraph, i) : NULL;
}
