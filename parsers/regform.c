/* regform: see include/regform.h. */
#include <string.h>

#include <glib.h>

#include "normalize.h"
#include "regform.h"

/* An unknown label a value runs into is taken as this many characters
 * (推荐时间, 联系电话, 工作单位: the forms' labels are mostly four). */
#define UNKNOWN_LABEL_CHARS	4

struct regform_cells {
	GArray *cells;			/* struct regform_cell, text owned */
	GArray *paras;			/* struct regform_paragraph, owned */
	size_t max_items, max_bytes, bytes;
	bool cut;
};

struct regform_cells *
regform_cells_new(size_t max_items, size_t max_bytes)
{
	struct regform_cells *c = g_new0(struct regform_cells, 1);

	c->cells = g_array_new(FALSE, TRUE, sizeof(struct regform_cell));
	c->paras = g_array_new(FALSE, TRUE, sizeof(struct regform_paragraph));
	c->max_items = max_items;
	c->max_bytes = max_bytes;
	return c;
}

void
regform_cells_free(struct regform_cells **cp)
{
	struct regform_cells *c = *cp;
	guint i;

	if (c == NULL)
		return;
	for (i = 0; i < c->cells->len; i++)
		g_free((char *)g_array_index(c->cells, struct regform_cell,
		    i).text);
	for (i = 0; i < c->paras->len; i++)
		g_free((char *)g_array_index(c->paras, struct regform_paragraph,
		    i).text);
	g_array_free(c->cells, TRUE);
	g_array_free(c->paras, TRUE);
	g_free(c);
	*cp = NULL;
}

/* Room for len more bytes of text in one more item. */
static bool
cells_room(struct regform_cells *c, GArray *a, size_t len)
{
	if (a->len >= c->max_items || c->bytes + len > c->max_bytes) {
		c->cut = true;
		return false;
	}
	c->bytes += len;
	return true;
}

bool
regform_cells_add_cell(struct regform_cells *c,
    const struct regform_cell *cell)
{
	const char *text = cell->text != NULL ? cell->text : "";
	struct regform_cell copy = *cell;

	if (!cells_room(c, c->cells, strlen(text)))
		return false;
	copy.text = g_utf8_make_valid(text, -1);
	if (copy.span == 0)
		copy.span = 1;
	g_array_append_val(c->cells, copy);
	return true;
}

/* ---- marks, colons, separators ---- */

/* What a checkbox mark at p is: 1 ticked, 0 not, -1 no mark; its bytes
 * in *len_r. */
static int
box_mark(const char *p, size_t *len_r)
{
	static const struct {
		const char *mark;
		int ticked;
	} marks[] = {
		{ "☑", 1 }, { "■", 1 }, { "√", 1 }, { "✓", 1 }, { "✔", 1 },
		{ "☒", 1 }, { "⊠", 1 }, { "▣", 1 }, { "[x]", 1 }, { "[X]", 1 },
		{ "[√]", 1 }, { "□", 0 }, { "☐", 0 }, { "[ ]", 0 }, { "[]", 0 },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(marks); i++)
		if (strncmp(p, marks[i].mark, strlen(marks[i].mark)) == 0) {
			*len_r = strlen(marks[i].mark);
			return marks[i].ticked;
		}
	return -1;
}

static bool
has_mark(const char *s)
{
	size_t len;

	for (; *s != '\0'; s++)
		if (box_mark(s, &len) >= 0)
			return true;
	return false;
}

static bool
is_colon(gunichar c)
{
	return c == ':' || c == 0xff1a || c == 0xfe30 || c == 0xfe55;
}

/* What ends a label read backwards from its colon. */
static bool
is_label_stop(gunichar c)
{
	return is_colon(c) || c == '_' || c == 0xff3f || c == '\n' ||
	    c == '\t' || strchr("()[]<>,;.", (int)(c < 128 ? c : 1)) != NULL ||
	    (c >= 128 && g_utf8_strchr("（）【】〔〕《》，。；、□☐☑■√✓✔☒⊠▣",
	    -1, c) != NULL);
}

bool
regform_cells_add_paragraph(struct regform_cells *c, unsigned tables_before,
    const char *text)
{
	struct regform_paragraph p = { tables_before, NULL };
	const char *s;

	if (text == NULL)
		return true;
	for (s = text; *s != '\0'; s = g_utf8_next_char(s))
		if (is_colon(g_utf8_get_char_validated(s, -1)))
			break;
	if (*s == '\0' && !has_mark(text))
		return true;
	if (!cells_room(c, c->paras, strlen(text)))
		return false;
	p.text = g_utf8_make_valid(text, -1);
	g_array_append_val(c->paras, p);
	return true;
}

size_t
regform_cells_cell_count(const struct regform_cells *c)
{
	return c->cells->len;
}

const struct regform_cell *
regform_cells_cell(const struct regform_cells *c, size_t i)
{
	return i < c->cells->len ? &g_array_index(c->cells,
	    struct regform_cell, i) : NULL;
}

size_t
regform_cells_paragraph_count(const struct regform_cells *c)
{
	return c->paras->len;
}

const struct regform_paragraph *
regform_cells_paragraph(const struct regform_cells *c, size_t i)
{
	return i < c->paras->len ? &g_array_index(c->paras,
	    struct regform_paragraph, i) : NULL;
}

bool
regform_cells_cut(const struct regform_cells *c)
{
	return c->cut;
}

/* ---- keys and values ---- */

static void
remove_all(GString *s, const char *what)
{
	char *at;

	while ((at = strstr(s->str, what)) != NULL)
		g_string_erase(s, at - s->str, (gssize)strlen(what));
}

char *
regform_label_key(const char *label)
{
	g_autofree char *norm = normalize_text(label, NORMALIZE_KEY);
	GString *key = g_string_new(norm);

	/* NFKC made （必填） (必填) and ： : already. */
	remove_all(key, "(必填)");
	remove_all(key, "(选填)");
	remove_all(key, ":");
	remove_all(key, "*");
	return g_string_free(key, FALSE);
}

/* Collapses white space (the full-width space too) to one space and
 * trims: a value as typed, one line. */
static char *
collapse(const char *s)
{
	GString *out = g_string_new(NULL);
	bool space = false;

	for (; *s != '\0'; s = g_utf8_next_char(s)) {
		gunichar c = g_utf8_get_char(s);

		if (g_unichar_isspace(c) || c == 0x3000) {
			space = out->len > 0;
			continue;
		}
		if (space)
			g_string_append_c(out, ' ');
		space = false;
		g_string_append_unichar(out, c);
	}
	return g_string_free(out, FALSE);
}

/* Rule 4: bracketed hints with 填 in them taken out. */
static void
remove_hints(GString *s)
{
	static const char *const opens[] = { "（", "(" };
	size_t i, from = 0;

	for (;;) {
		const char *open = NULL, *close;
		size_t olen = 0;

		for (i = 0; i < G_N_ELEMENTS(opens); i++) {
			const char *o = strstr(s->str + from, opens[i]);

			if (o != NULL && (open == NULL || o < open)) {
				open = o;
				olen = strlen(opens[i]);
			}
		}
		if (open == NULL)
			return;
		close = open + olen;
		while (*close != '\0' && strncmp(close, "）", 3) != 0 &&
		    *close != ')')
			close++;
		if (*close == '\0')
			return;
		close += *close == ')' ? 1 : 3;
		if (g_strstr_len(open, close - open, "填") != NULL)
			g_string_erase(s, open - s->str, close - open);
		else
			from = (size_t)(close - s->str);
	}
}

/* Rule 3: the ticked options of a text with boxes, ";" apart. */
static char *
ticked_options(const char *s)
{
	GString *out = g_string_new(NULL);
	const char *p = s, *opt = NULL;
	int ticked = -1;
	size_t len;

	for (;;) {
		int m = *p != '\0' ? box_mark(p, &len) : 2;

		if (m < 0) {
			p = g_utf8_next_char(p);
			continue;
		}
		if (ticked == 1 && opt != NULL) {
			g_autofree char *o = g_strndup(opt, (gsize)(p - opt));
			g_autofree char *c = collapse(o);

			if (*c != '\0')
				g_string_append_printf(out, "%s%s",
				    out->len > 0 ? ";" : "", c);
		}
		if (m == 2)
			break;
		ticked = m;
		p += len;
		opt = p;
	}
	return g_string_free(out, FALSE);
}

/* Whether a value is a template's sample: only X, x and punctuation. */
static bool
sample_only(const char *s)
{
	bool x = false;

	for (; *s != '\0'; s = g_utf8_next_char(s)) {
		gunichar c = g_utf8_get_char(s);

		if (c == 'X' || c == 'x' || c == 0xff38 || c == 0xff58)
			x = true;
		else if (!g_unichar_ispunct(c) && !g_unichar_isspace(c))
			return false;
	}
	return x;
}

static bool
only_punct(const char *s)
{
	for (; *s != '\0'; s = g_utf8_next_char(s)) {
		gunichar c = g_utf8_get_char(s);

		if (!g_unichar_ispunct(c) && !g_unichar_isspace(c))
			return false;
	}
	return true;
}

/* A close bracket at the end with no opening one, or the reverse at the
 * start: what a “（推荐单位:…）” line leaves at the ends of a value. */
static void
strip_lone_brackets(GString *s)
{
	bool open = strstr(s->str, "（") != NULL || strchr(s->str, '(');
	bool close = strstr(s->str, "）") != NULL || strchr(s->str, ')');

	if (close && !open) {
		if (g_str_has_suffix(s->str, "）"))
			g_string_truncate(s, s->len - 3);
		else if (g_str_has_suffix(s->str, ")"))
			g_string_truncate(s, s->len - 1);
	}
	if (open && !close) {
		if (g_str_has_prefix(s->str, "（"))
			g_string_erase(s, 0, 3);
		else if (s->str[0] == '(')
			g_string_erase(s, 0, 1);
	}
}

/* A value as rules 3 and 4 read it (g_free). */
static char *
clean_value(const char *raw)
{
	GString *s = g_string_new(raw);
	char *flat;

	remove_hints(s);
	if (has_mark(s->str)) {
		char *ticks = ticked_options(s->str);

		g_string_assign(s, ticks);
		g_free(ticks);
	}
	remove_all(s, "_");
	remove_all(s, "＿");
	flat = collapse(s->str);
	g_string_assign(s, flat);
	g_free(flat);
	strip_lone_brackets(s);
	flat = collapse(s->str);
	g_string_free(s, TRUE);
	if (sample_only(flat) || only_punct(flat))
		*flat = '\0';
	return flat;
}

/* ---- reading ---- */

struct hit {
	bool have;
	char *value;
	int table, row, col;
};

struct reader {
	const struct regform_label *labels;
	size_t n;
	struct hit *hits;		/* one per label */
};

static int
label_index(const struct reader *rd, const char *key)
{
	size_t i;

	if (*key == '\0')
		return -1;
	for (i = 0; i < rd->n; i++)
		if (strcmp(rd->labels[i].key, key) == 0)
			return (int)i;
	return -1;
}

/* A value found for label i: kept unless the label has one already
 * (a later blank never hides an earlier value). */
static void
hit_set(struct reader *rd, int i, const char *raw, int table, int row,
    int col)
{
	struct hit *h = &rd->hits[i];
	char *v;

	if (h->have && *h->value != '\0')
		return;
	v = clean_value(raw);
	if (h->have && *v == '\0') {
		g_free(v);
		return;
	}
	g_free(h->value);
	*h = (struct hit){ true, v, table, row, col };
}

static void
reader_reset(struct reader *rd)
{
	size_t i;

	for (i = 0; i < rd->n; i++) {
		g_free(rd->hits[i].value);
		memset(&rd->hits[i], 0, sizeof(rd->hits[i]));
	}
}

static size_t
reader_found(const struct reader *rd)
{
	size_t i, n = 0;

	for (i = 0; i < rd->n; i++)
		n += rd->hits[i].have;
	return n;
}

/* Where the label before the colon at byte c of text starts, read back
 * over label characters; a known label at its end wins, else an unknown
 * one is its last UNKNOWN_LABEL_CHARS characters. */
static size_t
label_start(const struct reader *rd, const char *text, size_t c,
    size_t floor)
{
	static const char *const marks_required[] = {
		"（必填）", "(必填)", "（选填）", "(选填)",
	};
	const char *p = text + c, *start, *q;
	size_t chars = 0;

	/* 姓名（必填）： and 姓名*： */
	while (p > text + floor) {
		const char *prev = g_utf8_prev_char(p);

		size_t room = (size_t)(p - text) - floor, k;

		if (*prev == '*' || *prev == ' ') {
			p = prev;
			continue;
		}
		for (k = 0; k < G_N_ELEMENTS(marks_required); k++) {
			size_t len = strlen(marks_required[k]);

			if (room >= len && strncmp(p - len, marks_required[k],
			    len) == 0) {
				p -= len;
				break;
			}
		}
		if (k == G_N_ELEMENTS(marks_required))
			break;
	}
	start = p;
	while (start > text + floor) {
		const char *prev = g_utf8_prev_char(start);
		gunichar ch = g_utf8_get_char(prev);

		if (is_label_stop(ch) || (ch == ' ' && prev > text &&
		    *g_utf8_prev_char(prev) == ' '))
			break;
		start = prev;
	}
	/* The whole run, else a known label at its end: a two-character
	 * one (单位, 名称) only as the whole run, so that 推荐单位： is not
	 * taken for 单位. */
	for (q = start; q < p; q = g_utf8_next_char(q)) {
		g_autofree char *cand = g_strndup(q, (gsize)(text + c - q));
		g_autofree char *key = regform_label_key(cand);

		if (label_index(rd, key) >= 0 && (q == start ||
		    g_utf8_strlen(key, -1) >= 3))
			return (size_t)(q - text);
	}
	for (q = p; q > start && chars < UNKNOWN_LABEL_CHARS; ) {
		q = g_utf8_prev_char(q);
		if (*q != ' ')
			chars++;
	}
	return (size_t)(q - text);
}

/* Rule 2 on one text: every “LABEL：VALUE” of a known label. */
static void
read_pairs(struct reader *rd, const char *text, int table, int row, int col)
{
	GArray *colons = g_array_new(FALSE, FALSE, sizeof(size_t));
	const char *s;
	size_t i, floor = 0;

	for (s = text; *s != '\0'; s = g_utf8_next_char(s))
		if (is_colon(g_utf8_get_char(s))) {
			size_t at = (size_t)(s - text);

			g_array_append_val(colons, at);
		}
	for (i = 0; i < colons->len; i++) {
		size_t c = g_array_index(colons, size_t, i);
		size_t ls = label_start(rd, text, c, floor);
		size_t vs = c + (size_t)(g_utf8_next_char(text + c) - (text + c));
		size_t ve = strlen(text);
		g_autofree char *label = g_strndup(text + ls, c - ls);
		g_autofree char *key = regform_label_key(label);
		g_autofree char *value = NULL;
		int li = label_index(rd, key);

		if (i + 1 < colons->len)
			ve = label_start(rd, text, g_array_index(colons, size_t,
			    i + 1), vs);
		floor = vs;
		if (li < 0)
			continue;
		value = g_strndup(text + vs, ve - vs);
		hit_set(rd, li, value, table, row, col);
	}
	g_array_free(colons, TRUE);
}

/* A cell's text as Word shows it: a cell merged down shows the text of
 * the cell it continues (the nearest above in its grid column). */
static const char *
shown_text(const struct regform_cells *cells, const unsigned *grid, size_t i)
{
	const struct regform_cell *c = regform_cells_cell(cells, i);
	size_t j;

	if (c->vmerge != REGFORM_VMERGE_CONTINUE)
		return c->text;
	for (j = i; j-- > 0; ) {
		const struct regform_cell *up = regform_cells_cell(cells, j);

		if (up->table != c->table)
			break;
		if (up->row < c->row && grid[j] == grid[i] &&
		    up->vmerge != REGFORM_VMERGE_CONTINUE)
			return up->text;
	}
	return c->text;
}

static bool
unit_word(const char *key)
{
	static const char *const words[] = {
		"集", "分钟", "分", "秒", "小时", "年月日", "年", "月", "日",
		"字", "个", "部", "人", "页",
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(words); i++)
		if (strcmp(key, words[i]) == 0)
			return true;
	return false;
}

/* Rule 1 (and 2 in cells) over the cells [from, to) of one table. */
static void
read_table(struct reader *rd, const struct regform_cells *cells,
    const unsigned *grid, size_t from, size_t to)
{
	size_t i, j;

	for (i = from; i < to; i++) {
		const struct regform_cell *c = regform_cells_cell(cells, i);
		const char *text = shown_text(cells, grid, i);
		g_autofree char *key = regform_label_key(text);
		int li = label_index(rd, key);
		bool valued = false;

		if (li < 0) {
			read_pairs(rd, text, (int)c->table, (int)c->row,
			    (int)c->col);
			continue;
		}
		for (j = i + 1; j < to && !valued; j++) {
			const struct regform_cell *v = regform_cells_cell(cells,
			    j);
			const char *vt = shown_text(cells, grid, j);
			g_autofree char *vk = regform_label_key(vt);

			if (v->row != c->row)
				break;
			if (label_index(rd, vk) >= 0 || unit_word(vk))
				continue;
			hit_set(rd, li, vt, (int)v->table, (int)v->row,
			    (int)v->col);
			valued = true;
		}
		if (!valued)
			hit_set(rd, li, "", (int)c->table, (int)c->row, -1);
	}
}

/* The paragraphs with tables_before == after, for what is still
 * missing; after < 0: every paragraph. */
static void
read_paragraphs(struct reader *rd, const struct regform_cells *cells,
    long after)
{
	size_t i;

	for (i = 0; i < regform_cells_paragraph_count(cells); i++) {
		const struct regform_paragraph *p =
		    regform_cells_paragraph(cells, i);

		if (after < 0 || (long)p->tables_before == after)
			read_pairs(rd, p->text, -1, (int)i, -1);
	}
}

struct regform_result {
	bool found;
	int table;
	GArray *values;			/* struct regform_value */
	GPtrArray *owned;
};

/* The hits into the result: per field, its first label's non-empty value,
 * else its first label found. */
static void
result_fill(struct regform_result *r, struct reader *rd)
{
	size_t i, j;

	for (i = 0; i < rd->n; i++) {
		const struct hit *best = NULL;
		size_t bi = 0;
		struct regform_value v;

		for (j = 0; j < i; j++)
			if (strcmp(rd->labels[j].field, rd->labels[i].field) == 0)
				break;
		if (j < i)
			continue;	/* the field's first label did it */
		for (j = i; j < rd->n; j++) {
			const struct hit *h = &rd->hits[j];

			if (!h->have || strcmp(rd->labels[j].field,
			    rd->labels[i].field) != 0)
				continue;
			if (best == NULL || (*best->value == '\0' &&
			    *h->value != '\0')) {
				best = h;
				bi = j;
			}
		}
		if (best == NULL)
			continue;
		v.field = rd->labels[i].field;
		v.label = rd->labels[bi].label;
		v.value = g_strdup(best->value);
		g_ptr_array_add(r->owned, (char *)v.value);
		v.table = best->table;
		v.row = best->row;
		v.col = best->col;
		g_array_append_val(r->values, v);
	}
}

/* Whether label i's field of the hits has the comparison key want. */
static bool
hits_prefer(const struct reader *rd, const char *field, const char *want)
{
	size_t i;

	for (i = 0; i < rd->n; i++) {
		g_autofree char *key = NULL;

		if (!rd->hits[i].have || strcmp(rd->labels[i].field, field) != 0)
			continue;
		key = normalize_text(rd->hits[i].value, NORMALIZE_KEY);
		if (strcmp(key, want) == 0)
			return true;
	}
	return false;
}

/* Rule 5: the table that is the form, -1 for none; grid: each cell's
 * grid column. */
static int
choose_table(struct reader *rd, const struct regform_cells *cells,
    const unsigned *grid, const char *prefer_field, const char *prefer_key)
{
	size_t i = 0, n = regform_cells_cell_count(cells);
	int first = -1;

	while (i < n) {
		unsigned t = regform_cells_cell(cells, i)->table;
		size_t end = i;

		while (end < n && regform_cells_cell(cells, end)->table == t)
			end++;
		reader_reset(rd);
		read_table(rd, cells, grid, i, end);
		i = end;
		if (reader_found(rd) * 2 < rd->n || reader_found(rd) == 0)
			continue;
		if (first < 0)
			first = (int)t;
		if (prefer_field == NULL || prefer_key == NULL ||
		    hits_prefer(rd, prefer_field, prefer_key))
			return (int)t;
	}
	return first;
}

static unsigned *
grid_columns(const struct regform_cells *cells)
{
	size_t i, n = regform_cells_cell_count(cells);
	unsigned *grid = g_new0(unsigned, n + 1), at = 0;

	for (i = 0; i < n; i++) {
		const struct regform_cell *c = regform_cells_cell(cells, i);

		if (i == 0 || c->row != regform_cells_cell(cells, i - 1)->row ||
		    c->table != regform_cells_cell(cells, i - 1)->table)
			at = 0;
		grid[i] = at;
		at += c->span > 0 ? c->span : 1;
	}
	return grid;
}

/* The cells of table t read again, then its paragraphs. */
static void
read_form(struct reader *rd, const struct regform_cells *cells,
    const unsigned *grid, int t)
{
	size_t i = 0, n = regform_cells_cell_count(cells), end;

	reader_reset(rd);
	while (i < n && regform_cells_cell(cells, i)->table != (unsigned)t)
		i++;
	for (end = i; end < n && regform_cells_cell(cells, end)->table ==
	    (unsigned)t; end++)
		;
	read_table(rd, cells, grid, i, end);
	read_paragraphs(rd, cells, t);
	read_paragraphs(rd, cells, (long)t + 1);
}

void
regform_read(const struct regform_cells *cells,
    const struct regform_label *labels, size_t n, const char *prefer_field,
    const char *prefer_key, struct regform_result **res_r)
{
	struct regform_result *r = g_new0(struct regform_result, 1);
	struct reader rd = { labels, n, g_new0(struct hit, n + 1) };
	g_autofree unsigned *grid = grid_columns(cells);
	int t = n > 0 ? choose_table(&rd, cells, grid, prefer_field,
	    prefer_key) : -1;

	r->values = g_array_new(FALSE, TRUE, sizeof(struct regform_value));
	r->owned = g_ptr_array_new_with_free_func(g_free);
	r->table = t;
	if (t >= 0) {
		read_form(&rd, cells, grid, t);
		r->found = true;
	} else if (n > 0) {
		reader_reset(&rd);
		read_paragraphs(&rd, cells, -1);
		r->found = reader_found(&rd) * 2 >= n && reader_found(&rd) > 0;
	}
	if (r->found)
		result_fill(r, &rd);
	reader_reset(&rd);
	g_free(rd.hits);
	*res_r = r;
}

void
regform_result_free(struct regform_result **rp)
{
	struct regform_result *r = *rp;

	if (r == NULL)
		return;
	g_array_free(r->values, TRUE);
	g_ptr_array_free(r->owned, TRUE);
	g_free(r);
	*rp = NULL;
}

bool
regform_found(const struct regform_result *r)
{
	return r->found;
}

int
regform_table(const struct regform_result *r)
{
	return r->table;
}

size_t
regform_value_count(const struct regform_result *r)
{
	return r->values->len;
}

const struct regform_value *
regform_value(const struct regform_result *r, size_t i)
{
	return i < r->values->len ? &g_array_index(r->values,
	    struct regform_value, i) : NULL;
}

const char *
regform_get(const struct regform_result *r, const char *field)
{
	size_t i;

	for (i = 0; i < r->values->len; i++)
		if (strcmp(regform_value(r, i)->field, field) == 0)
			return regform_value(r, i)->value;
	return NULL;
}

bool
regform_blank(const struct regform_result *r)
{
	size_t i;

	if (!r->found)
		return false;
	for (i = 0; i < r->values->len; i++)
		if (*regform_value(r, i)->value != '\0')
			return false;
	return true;
}
