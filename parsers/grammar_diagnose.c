/*
 * grammar_diagnose: what is wrong with a text the grammar's pattern
 * refused, field by field and in Chinese, so that the correction mail
 * tells people what to change.  See grammar-private.h.
 *
 * The text is cut into segments at separators and the template's
 * punctuation, the segments are aligned to the template's fields by
 * the best total score, and every field is then judged by what it got.
 */
#include <limits.h>
#include <string.h>

#include "grammar-private.h"
#include "normalize.h"

/* Suggestions offered for a value not in an enumeration. */
#define DIAG_MAX_SUGGESTIONS	4
/* Allowed values listed when nothing is close. */
#define DIAG_MAX_LISTED		12

/* ------------------------------------------------------------------ */
/* segments of the text, and how well they fit a field */

/* Bytes of text that lit covers (separators match each other, case and
 * spaces in text ignored), or -1. */
static long
literal_prefix(const char *text, const char *lit)
{
	const char *t = text, *l = lit;

	while (*l != '\0') {
		gunichar a, b;

		if (*l == ' ') {
			l++;
			continue;
		}
		while (*t == ' ')
			t++;
		if (*t == '\0')
			return -1;
		a = g_utf8_get_char(t);
		b = g_utf8_get_char(l);
		if (!(a == b || (normalize_is_separator(a) &&
		    normalize_is_separator(b)) ||
		    g_unichar_tolower(a) == g_unichar_tolower(b)))
			return -1;
		t = g_utf8_next_char(t);
		l = g_utf8_next_char(l);
	}
	return (long)(t - text);
}

static char *
trim_delims(const struct grammar *g, const char *lit)
{
	const char *b = lit, *e = lit + strlen(lit), *p;

	while (*b != '\0' && (grammar_is_delim(g, g_utf8_get_char(b)) || *b == ' '))
		b = g_utf8_next_char(b);
	while (e > b) {
		p = g_utf8_find_prev_char(b, e);
		if (p == NULL || !(grammar_is_delim(g, g_utf8_get_char(p)) ||
		    *p == ' '))
			break;
		e = p;
	}
	return g_strndup(b, (size_t)(e - b));
}

/* What every diagnosis of g needs that depends on g alone; called once
 * the format, the example and the delimiters are known. */
void
grammar_prepare_diagnosis(struct grammar *g)
{
	GString *s = g_string_new(NULL);
	size_t i, j;

	g_string_append_printf(s, "规定的%s格式：%s\n", grammar_what(g),
	    g->format);
	if (g->example0 != NULL)
		g_string_append_printf(s, "示例：%s", g->example0);
	g->diag_tail_len = s->len;
	g->diag_tail = g_string_free(s, FALSE);

	if (g->ntokens > 0 && !g->tokens[0].is_field) {
		g->prefix_core = trim_delims(g, g->tokens[0].literal);
		g->prefix_core_key = normalize_text(g->prefix_core,
		    NORMALIZE_KEY);
		g->prefix_core_chars = (size_t)g_utf8_strlen(
		    g->prefix_core_key, -1);
	}

	g->slot_keys = g_hash_table_new(g_str_hash, g_str_equal);
	for (i = 0; i < g->nslots; i++) {
		const struct gfield *f = &g->fields[i];

		/* a unit open to any name still knows its roster's */
		if (!field_has_list(f) && f->type != GRAMMAR_FIELD_UNIT)
			continue;
		for (j = 0; j < f->nkeys; j++) {
			guint32 mask = GPOINTER_TO_UINT(g_hash_table_lookup(
			    g->slot_keys, f->keys[j].key));

			/* keys borrowed from the field, which lives as
			 * long as g */
			g_hash_table_insert(g->slot_keys, f->keys[j].key,
			    GUINT_TO_POINTER(mask | (1u << i)));
		}
	}
}

#define SCORE_NONE	INT_MIN

/* The signature of the key of tokens [a, b) and what lies between them:
 * when it has a character no value of a field has, the key cannot be
 * one of them, and neither making it nor looking it up is needed. */
static guint64
span_sig(const struct diag_ctx *c, size_t a, size_t b)
{
	guint64 sig = c->tok[a].probe.sig;
	const char *p, *end;
	size_t k, nb;
	gunichar ch;

	for (k = a + 1; k < b; k++) {
		sig |= c->tok[k].probe.sig;
		end = c->norm + c->tok[k].start;
		for (p = c->norm + c->tok[k - 1].end; p < end; p += nb) {
			ch = utf8_char(p, &nb);
			if (ch != ' ')
				sig |= char_sig(ch < 0x80 ?
				    (gunichar)g_ascii_tolower((char)ch) :
				    g_unichar_tolower(ch));
		}
	}
	return sig;
}

/* How well tokens [a, b) fit slot i (higher is better). */
static int
span_score(const struct diag_ctx *c, size_t i, size_t a, size_t b)
{
	const struct gfield *f = &c->g->fields[i];
	const struct dtoken *t = &c->tok[a];
	int score = 0;
	size_t k;

	if (field_has_list(f)) {
		if (b - a > 1) {
			char kbuf[KEY_STACK_BYTES], *key;
			bool hit;

			/* an alias may hold a separator: 视频类-微视频 */
			if (b - a > 3)
				return SCORE_NONE;
			if ((span_sig(c, a, b) & ~f->keys_sig) != 0)
				return SCORE_NONE;
			key = grammar_key_make(c->norm + t->start,
			    c->tok[b - 1].end - t->start, kbuf);
			hit = g_hash_table_contains(f->lookup, key);
			grammar_key_done(key, kbuf);
			return hit ? 6 : SCORE_NONE;
		}
		if ((t->exact & (1u << i)) != 0)
			return 6;
		if (t->exact != 0)
			return -3;
		if (*t->key == '\0')
			return -4;
		if (field_has_globs(f) && gfield_open_match(f, t->key))
			return 4;
		return grammar_suggest_any(f, &t->probe) ? 0 : -2;
	}
	if (field_is_free(f)) {
		/* free text spans separators, never the template's brackets */
		for (k = a; k + 1 < b; k++)
			if (!c->tok[k].sep_after)
				return SCORE_NONE;
		for (k = a; k < b; k++) {
			if ((c->tok[k].exact & ~(1u << i)) != 0)
				score -= 3;
			if (k > a && i != c->last_free)
				score -= 1;
		}
		return score + (b - a == 1 && t->start == t->end ? 0 : 1);
	}
	/* name, integer: one segment */
	if (b - a > 1)
		return SCORE_NONE;
	if (t->exact != 0)
		return -3;
	if (t->start == t->end)
		return -4;
	{
		char *v = slice(c->norm, t->start, t->end), *canon;
		enum vcheck vc = gfield_check_value(f, v, &canon);
		int sc = vc == V_OK ? 3 : -1;

		if (vc == V_OK && !name_is_likely(f, canon))
			sc = 1;
		g_free(v);
		g_free(canon);
		return sc;
	}
}

/* ------------------------------------------------------------------ */
/* the lines of the correction */

static void
append_quoted_list(GString *s, GPtrArray *a, size_t max)
{
	size_t i;

	for (i = 0; i < a->len && i < max; i++) {
		if (i > 0)
			g_string_append(s, "、");
		g_string_append(s, g_ptr_array_index(a, i));
	}
}

static void
diag_list_value(struct grammar_result *r, const struct gfield *f,
    const char *v, const char *key)
{
	gunichar kc[EDIT_MAX_CHARS];
	struct probe q;
	GPtrArray *s;
	bool unit = f->type == GRAMMAR_FIELD_UNIT;
	GString *m;

	q.key = key;
	q.chars = kc;
	q.nchars = grammar_chars_of(key, kc, EDIT_MAX_CHARS, &q.sig);
	s = grammar_suggest(f, &q);
	m = g_string_new(NULL);

	g_string_append(m, "“");
	g_string_append(m, v);
	g_string_append(m, unit ? "”不在“" : "”不是有效的“");
	g_string_append(m, f->name);
	g_string_append(m, unit ? "”的名单中。" : "”。");
	if (s->len > 0) {
		g_string_append(m, "您是否指：");
		append_quoted_list(m, s, DIAG_MAX_SUGGESTIONS);
		g_string_append(m, "？");
	} else if (unit && f->nvalues > DIAG_MAX_LISTED) {
		/* a long roster is no help in a mail */
		g_string_append(m, "请写名单中的单位全称。");
	} else if (f->nvalues > 0) {
		g_string_append(m, unit ? "名单：" : "可选的“");
		if (!unit) {
			g_string_append(m, f->name);
			g_string_append(m, "”：");
		}
		grammar_append_list(m, f->values, f->nvalues, DIAG_MAX_LISTED);
		g_string_append(m, "。");
	}
	if (unit && f->nopen > 0) {
		GString *h = g_string_new(NULL);

		/* which names off the roster are admitted */
		grammar_append_open_hint(h, f);
		g_string_append(m, "名单以外的单位请写全称");
		g_string_append(m, h->str);
		g_string_append(m, "。");
		g_string_free(h, TRUE);
	}
	g_ptr_array_free(s, TRUE);
	grammar_result_add_diag(r, unit ? "unit" : "enum", f->name,
	    g_string_free(m, FALSE));
}

/* The diagnosis of a value the field refuses; vc is not V_OK. */
void
grammar_diag_value(struct grammar_result *r, const struct gfield *f,
    const char *v, enum vcheck vc)
{
	long long n = (long long)g_utf8_strlen(v, -1);
	char kbuf[KEY_STACK_BYTES], *key;

	switch (vc) {
	case V_OK:
		break;
	case V_ENUM:
	case V_UNIT:
		key = grammar_key_make(v, strlen(v), kbuf);
		diag_list_value(r, f, v, key);
		grammar_key_done(key, kbuf);
		break;
	case V_TOO_LONG:
		grammar_result_add_diag(r, "too-long", f->name, g_strdup_printf(
		    "“%s”太长：%lld个字，最多%lld个字。", f->name, n, f->max));
		break;
	case V_TOO_SHORT:
		grammar_result_add_diag(r, "too-short", f->name, n == 0 ?
		    g_strconcat("“", f->name, "”是空的。", NULL) :
		    g_strdup_printf("“%s”太短：%lld个字，至少%lld个字。",
		    f->name, n, f->has_min ? f->min : 1));
		break;
	case V_TYPE:
		if (f->type == GRAMMAR_FIELD_NAME)
			grammar_result_add_diag(r, "type", f->name,
			    g_strdup_printf("“%s”不像是“%s”：应为%lld至%lld个"
			    "汉字（可含“·”）或英文字母。", v, f->name,
			    f->has_min ? f->min : NAME_MIN_CHARS,
			    f->has_max ? f->max : NAME_MAX_CHARS));
		else if (f->has_min && f->has_max)
			grammar_result_add_diag(r, "type", f->name,
			    g_strdup_printf("“%s”不是有效的“%s”：应为%lld至"
			    "%lld之间的数字。", v, f->name, f->min, f->max));
		else
			grammar_result_add_diag(r, "type", f->name,
			    g_strdup_printf("“%s”不是有效的“%s”：应为数字。",
			    v, f->name));
		break;
	}
}

/* ------------------------------------------------------------------ */
/* the diagnosis, phase by phase */

/* Neither part of a word, nor a separator, nor a space: a bracket or a
 * quotation mark. */
static bool
is_wrapping(gunichar ch)
{
	return ch != ' ' && !g_unichar_isalnum(ch) &&
	    !normalize_is_separator(ch);
}

/* The prefix's word in brackets or quotation marks, "【扶贫征集】-…":
 * the length of the text up to the end of what wraps it, which goes to
 * *wrap; -1 when the text does not start so. */
static long
wrapped_prefix(const char *norm, const char *core, GString *wrap)
{
	const char *p = norm;
	long n;

	while (*p != '\0' && is_wrapping(g_utf8_get_char(p))) {
		g_string_append_unichar(wrap, g_utf8_get_char(p));
		p = g_utf8_next_char(p);
	}
	if ((n = literal_prefix(p, core)) < 0)
		return -1;
	for (p += n; *p != '\0' && is_wrapping(g_utf8_get_char(p));
	    p = g_utf8_next_char(p))
		g_string_append_unichar(wrap, g_utf8_get_char(p));
	return wrap->len > 0 ? (long)(p - norm) : -1;
}

/* The prefix's word is there but not as the template writes it: in
 * brackets ("请去掉“【】”") or followed by a space where a separator
 * belongs (said with the other spaces once the segments are cut).
 * Returns where the segments start, or -1. */
static long
diag_prefix_near(struct diag_ctx *c, const char *lit, const char *core)
{
	GString *wrap = g_string_new(NULL);
	long n = wrapped_prefix(c->norm, core, wrap);

	if (n >= 0) {
		grammar_result_add_diag(c->r, "prefix", NULL, g_strdup_printf(
		    "请去掉“%s”，%s应直接以“%s”开头。", wrap->str,
		    grammar_what(c->g), lit));
	} else if ((n = literal_prefix(c->norm, core)) >= 0 &&
	    c->norm[n] == ' ') {
		c->spaced = TRUE;
	} else {
		n = -1;
	}
	g_string_free(wrap, TRUE);
	return n;
}

/* The word part of the template's leading literal ("扶贫征集" of
 * "扶贫征集-"): returns the position after it in the text and adds the
 * prefix diagnosis when it is wrong; *drop_first_r asks to drop a first
 * segment that looks like a mistyped prefix. */
static size_t
diag_prefix(struct diag_ctx *c, bool *drop_first_r, const char **core_r)
{
	const struct grammar *g = c->g;
	const char *lit, *core;
	long n;

	*drop_first_r = FALSE;
	*core_r = NULL;
	if (g->ntokens == 0 || g->tokens[0].is_field)
		return 0;
	lit = g->tokens[0].literal;
	core = g->prefix_core;
	if (*core == '\0') {
		/* a bracket: the segments are found all the same */
		if (literal_prefix(c->norm, lit) < 0)
			grammar_result_add_diag(c->r, "prefix", NULL,
			    g_strconcat(grammar_what(g), "应以“", lit,
			    "”开头。", NULL));
		return 0;
	}
	if ((n = literal_prefix(c->norm, lit)) >= 0 ||
	    (n = diag_prefix_near(c, lit, core)) >= 0)
		return (size_t)n;
	grammar_result_add_diag(c->r, "prefix", NULL,
	    g_strconcat(grammar_what(g), "应以“", lit, "”开头。", NULL));
	if ((n = literal_prefix(c->norm, core)) >= 0)
		return (size_t)n;
	if (strstr(c->norm, core) == NULL)
		*drop_first_r = TRUE;
	*core_r = core;
	return 0;
}

/* A prefix typed in the wrong place ("微视频-扶贫征集-…") or mistyped in
 * its own place ("扶贫证集-…") is not a field value: left among the
 * segments, it would be aligned to a field and reported as a wrong
 * value of it.  Called only when the prefix was found wrong. */
static void
drop_prefix_segments(struct diag_ctx *c, bool drop_first)
{
	const struct grammar *g = c->g;
	const char *ckey = g->prefix_core_key;
	size_t i, k, required = 0;

	for (k = 0; k < c->ntok; k++)
		if (strcmp(c->tok[k].key, ckey) == 0) {
			memmove(&c->tok[k], &c->tok[k + 1],
			    (c->ntok - k - 1) * sizeof(*c->tok));
			c->ntok--;
			break;
		}
	if (!drop_first || c->ntok == 0 || c->tok[0].exact != 0)
		return;
	/* a first segment is a mistyped prefix when there are more
	 * segments than required fields, or when it is close to the
	 * prefix */
	for (i = 0; i < g->nslots; i++)
		if (!g->fields[i].optional)
			required++;
	if (c->ntok > required ||
	    grammar_edit_distance_str(c->tok[0].key, ckey,
	    g->prefix_core_chars / 2) != SIZE_MAX) {
		memmove(&c->tok[0], &c->tok[1],
		    (c->ntok - 1) * sizeof(*c->tok));
		c->ntok--;
	}
}

/* What a segment no field takes costs: as much as a value refused
 * where it stands would (-3), so that a part inserted between two
 * fields ("扶贫征集-推荐-某某县-图片类-…") is not taken for a field's
 * value with every field after it shifted. */
#define SCORE_EXTRA	3
/* What a required field left empty costs. */
#define SCORE_MISSING	5

/* Fills the alignment table: score[i][j] is the best fit of the first
 * i fields to the first j segments and from[i][j] where field i - 1's
 * segments start in it, or -1 when segment j - 1 is left out. */
static void
align_table(const struct diag_ctx *c, int *score, int *from)
{
	const struct grammar *g = c->g;
	size_t n = g->nslots, k = c->ntok, i, j, e;
	int base, s, sc;

	for (i = 0; i < (n + 1) * (k + 1); i++) {
		score[i] = SCORE_NONE;
		from[i] = -1;
	}
	score[0] = 0;
	for (i = 0; i < n; i++) {
		for (j = 0; j <= k; j++) {
			if (j > 0 && score[i * (k + 1) + j - 1] != SCORE_NONE &&
			    score[i * (k + 1) + j - 1] - SCORE_EXTRA >
			    score[i * (k + 1) + j]) {
				score[i * (k + 1) + j] =
				    score[i * (k + 1) + j - 1] - SCORE_EXTRA;
				from[i * (k + 1) + j] = -1;
			}
			base = score[i * (k + 1) + j];
			if (base == SCORE_NONE)
				continue;
			s = base - (g->fields[i].optional ? 0 : SCORE_MISSING);
			if (s > score[(i + 1) * (k + 1) + j]) {
				score[(i + 1) * (k + 1) + j] = s;
				from[(i + 1) * (k + 1) + j] = (int)j;
			}
			for (e = j + 1; e <= k; e++) {
				sc = span_score(c, i, j, e);
				if (sc == SCORE_NONE) {
					/* only free text grows past
					 * three segments */
					if (!field_is_free(&g->fields[i]) &&
					    e - j > 3)
						break;
					continue;
				}
				s = base + sc;
				if (s > score[(i + 1) * (k + 1) + e]) {
					score[(i + 1) * (k + 1) + e] = s;
					from[(i + 1) * (k + 1) + e] = (int)j;
				}
			}
		}
	}
}

/* Gives every field its segments, [span_a, span_b), sets used, the
 * segments up to the end of the last field's, and marks extra the
 * segments no field takes.  The best alignment as a whole, rather than
 * field after field from the left, so that one missing, mistyped or
 * inserted value does not shift every field after it. */
static void
align(struct diag_ctx *c)
{
	size_t n = c->g->nslots, k = c->ntok, i, j, a;
	int *score = g_new(int, (n + 1) * (k + 1));
	int *from = g_new(int, (n + 1) * (k + 1));
	int s, best = SCORE_NONE;

	align_table(c, score, from);
	c->used = 0;
	for (j = 0; j <= k; j++) {
		s = score[n * (k + 1) + j];
		if (s == SCORE_NONE)
			continue;
		s -= SCORE_EXTRA * (int)(k - j);
		if (s > best) {
			best = s;
			c->used = j;
		}
	}
	for (j = c->used; j < k; j++)
		c->tok[j].extra = TRUE;
	for (i = n, j = c->used; i > 0 || j > 0;) {
		if (from[i * (k + 1) + j] < 0) {
			/* only a skip leads here, and never from row n */
			g_assert(j > 0 && i < n);
			c->tok[--j].extra = TRUE;
			continue;
		}
		a = (size_t)from[i * (k + 1) + j];
		c->span_a[i - 1] = a;
		c->span_b[i - 1] = j;
		j = a;
		i--;
	}
	g_free(score);
	g_free(from);
}

/* A value that belongs to another field, sitting in this one (or in no
 * field's place), means the fields are in the wrong order; the message
 * then names every recognised value with its field. */
static void
find_misplaced(struct diag_ctx *c)
{
	size_t n = c->g->nslots, i, j;
	guint32 ex;

	for (i = 0; i < n; i++) {
		for (j = c->span_a[i]; j < c->span_b[i]; j++) {
			ex = c->tok[j].exact;
			if (ex == 0 || (ex & (1u << i)) != 0)
				continue;
			c->order = TRUE;
			c->misplaced |= ex;
		}
	}
	for (j = 0; j < c->ntok; j++) {
		if (!c->tok[j].extra || c->tok[j].exact == 0)
			continue;
		c->order = TRUE;
		c->misplaced |= c->tok[j].exact;
	}
}

/* Whether segment j, which slot h holds (-1: left over), can be the
 * value of the missing field f: f accepts it and h, if any, refuses it
 * and holds nothing else. */
static bool
fits_missing(const struct diag_ctx *c, const struct gfield *f, size_t j,
    int h)
{
	const struct grammar *g = c->g;
	char *v, *canon;
	enum vcheck vc;

	if (h >= 0 && (field_is_free(&g->fields[h]) ||
	    c->span_b[h] - c->span_a[h] != 1))
		return FALSE;
	v = slice(c->norm, c->tok[j].start, c->tok[j].end);
	vc = gfield_check_value(f, v, &canon);
	g_free(canon);
	if (vc == V_OK && h >= 0) {
		/* only when refused where it is */
		vc = gfield_check_value(&g->fields[h], v, &canon) == V_OK ?
		    V_TYPE : V_OK;
		g_free(canon);
	}
	g_free(v);
	return vc == V_OK;
}

/* A segment left over, or refused where it sits, that is a valid value
 * of a field found missing ("学员标兵+张三"): the fields are swapped too.
 * Such a segment is "rescued" for that field, and the field that held
 * it counts as empty. */
static void
rescue_missing(struct diag_ctx *c)
{
	const struct grammar *g = c->g;
	size_t n = g->nslots, k = c->ntok, i, j;
	int holder[DIAG_MAX_TOKENS + 1];

	for (j = 0; j < k; j++)
		holder[j] = -1;
	for (i = 0; i < n; i++)
		for (j = c->span_a[i]; j < c->span_b[i]; j++)
			holder[j] = (int)i;
	for (i = 0; i < n; i++) {
		const struct gfield *f = &g->fields[i];

		if (c->span_a[i] != c->span_b[i] || f->optional ||
		    field_is_free(f))
			continue;
		for (j = 0; j < k; j++) {
			if (c->rescued[j] != 0 || c->tok[j].exact != 0 ||
			    c->tok[j].start == c->tok[j].end ||
			    !fits_missing(c, f, j, holder[j]))
				continue;
			c->rescued[j] = (int)i + 1;
			if (holder[j] >= 0)
				c->vacated |= 1u << holder[j];
			c->misplaced |= 1u << i;
			c->order = TRUE;
			break;
		}
	}
}

/* A free-text field found empty while one segment no field takes is
 * left ("扶贫征集-脱贫路上-推荐-图片类"): that segment is its value,
 * typed out of order.  With two or more such segments, which one is
 * meant cannot be told, and each is said to be extra. */
static void
rescue_free(struct diag_ctx *c)
{
	const struct grammar *g = c->g;
	size_t i, j, found = SIZE_MAX;
	guint32 free_slots = 0;

	for (i = 0; i < g->nslots; i++)
		if (field_is_free(&g->fields[i]))
			free_slots |= 1u << i;
	for (j = 0; j < c->ntok; j++) {
		/* a roster's unit may be free text's value, never another
		 * list's */
		if (!c->tok[j].extra || (c->tok[j].exact & ~free_slots) != 0 ||
		    c->rescued[j] != 0 || c->tok[j].start == c->tok[j].end)
			continue;
		if (found != SIZE_MAX)
			return;
		found = j;
	}
	for (i = 0; found != SIZE_MAX && i < g->nslots; i++) {
		char *v, *canon;
		enum vcheck vc;

		if (c->span_a[i] != c->span_b[i] || g->fields[i].optional ||
		    !field_is_free(&g->fields[i]))
			continue;
		v = slice(c->norm, c->tok[found].start, c->tok[found].end);
		vc = gfield_check_value(&g->fields[i], v, &canon);
		g_free(canon);
		g_free(v);
		if (vc != V_OK)
			continue;
		c->rescued[found] = (int)i + 1;
		c->tok[found].extra = FALSE;
		c->misplaced |= 1u << i;
		c->order = TRUE;
		return;
	}
}

/* One line for the order: every recognised value, in the order typed,
 * with the field it belongs to ("“微视频”是“类别”"), which tells people
 * where each goes better than a list of fields out of place would. */
static void
diag_order(struct diag_ctx *c)
{
	const struct grammar *g = c->g;
	size_t n = g->nslots, j, owner;
	GString *m;
	guint32 ex;

	if (!c->order)
		return;
	m = g_string_new(NULL);
	for (j = 0; j < c->ntok; j++) {
		ex = c->tok[j].exact;
		if (ex == 0 && c->rescued[j] == 0)
			continue;
		for (owner = 0; owner < n && ex != 0; owner++)
			if ((ex & (1u << owner)) != 0)
				break;
		if (ex == 0)
			owner = (size_t)c->rescued[j] - 1;
		g_string_append(m, m->len > 0 ? "，“" : "“");
		g_string_append_len(m, c->norm + c->tok[j].start,
		    (gssize)(c->tok[j].end - c->tok[j].start));
		g_string_append(m, "”是“");
		g_string_append(m, g->fields[owner].name);
		g_string_append(m, "”");
	}
	grammar_result_add_diag(c->r, "order", NULL, g_strconcat(
	    "各部分的顺序不对：", m->str, "。请按规定的顺序排列。", NULL));
	g_string_free(m, TRUE);
}

/* Every field judged by the segments it got: missing, or a value it
 * refuses.  A field whose value sits elsewhere, or that holds another
 * field's value, is left to the order line: saying it is wrong too
 * would only repeat it. */
static void
diag_fields(struct diag_ctx *c)
{
	const struct grammar *g = c->g;
	size_t i, j, a, b;
	bool elsewhere;
	char *v, *canon;
	enum vcheck vc;

	for (i = 0; i < g->nslots; i++) {
		const struct gfield *f = &g->fields[i];

		a = c->span_a[i];
		b = c->span_b[i];
		/* an empty segment where a value from a list belongs */
		if (b - a == 1 && c->tok[a].start == c->tok[a].end &&
		    !field_is_free(f))
			b = a;
		if ((c->vacated & (1u << i)) != 0)
			b = a;
		if (a == b) {
			if (f->optional || (c->misplaced & (1u << i)) != 0)
				continue;
			grammar_result_add_diag(c->r, "missing", f->name,
			    g_strconcat("缺少“", f->name, "”。", NULL));
			continue;
		}
		elsewhere = (c->misplaced & (1u << i)) != 0;
		for (j = a; j < b; j++)
			if (c->tok[j].exact != 0 &&
			    (c->tok[j].exact & (1u << i)) == 0)
				elsewhere = TRUE;
		if (elsewhere)
			continue;
		v = slice(c->norm, c->tok[a].start, c->tok[b - 1].end);
		vc = gfield_check_value(f, v, &canon);
		if (vc != V_OK && !(field_has_list(f) && b - a > 1))
			grammar_diag_value(c->r, f, v, vc);
		g_free(canon);
		g_free(v);
	}
}

/* The segments no field takes and no other line explains, in one
 * line, as they were typed, so that people see what to delete. */
static void
diag_extra(struct diag_ctx *c)
{
	GString *m = g_string_new(NULL);
	size_t j;

	for (j = 0; j < c->ntok; j++) {
		if (!c->tok[j].extra || c->tok[j].exact != 0 ||
		    c->rescued[j] != 0 || c->tok[j].start == c->tok[j].end)
			continue;
		g_string_append(m, m->len > 0 ? "、“" : "多出“");
		g_string_append_len(m, c->norm + c->tok[j].start,
		    (gssize)(c->tok[j].end - c->tok[j].start));
		g_string_append(m, "”");
	}
	if (m->len > 0) {
		g_string_append(m, "，请删除。");
		grammar_result_add_diag(c->r, "extra", NULL,
		    g_string_free(m, FALSE));
	} else {
		g_string_free(m, TRUE);
	}
}

/* The separator the template puts between two fields ("-", "+"), or
 * NULL when its fields are set off by brackets alone. */
static const char *
template_separator(const struct grammar *g, char *buf)
{
	size_t i;
	const char *p;

	for (i = 0; i < g->ntokens; i++) {
		if (g->tokens[i].is_field)
			continue;
		for (p = g->tokens[i].literal; *p != '\0'; p++)
			if (normalize_is_separator((guchar)*p)) {
				buf[0] = *p;
				buf[1] = '\0';
				return buf;
			}
	}
	return NULL;
}

/* Parts set apart by spaces where the template has separators or
 * brackets. */
static void
diag_separator(struct diag_ctx *c)
{
	char buf[2];
	const char *sep = template_separator(c->g, buf);

	if (!c->spaced)
		return;
	grammar_result_add_diag(c->r, "separator", NULL, sep != NULL ?
	    g_strdup_printf("各部分之间请用“%s”连接（不要用空格）。", sep) :
	    g_strdup("请按规定的格式加上括号，不要只用空格隔开各部分。"));
}

static bool
any_missing(const struct grammar_result *r)
{
	size_t i;

	for (i = 0; i < r->codes->len; i++)
		if (g_str_has_prefix(g_ptr_array_index(r->codes, i),
		    "missing:"))
			return TRUE;
	return FALSE;
}

/* Where a part is said to be missing, or the parts were cut at spaces,
 * the listed values understood: people then see that 图片类 was taken
 * as the 类别 and that only the 方式 is wanting.  Free text and names
 * are not said: which part is the title is a guess, which the line to
 * copy shows. */
static void
diag_recognised(struct diag_ctx *c)
{
	const struct grammar *g = c->g;
	GString *m;
	size_t i, a, b;
	char *v, *canon;

	if (c->order || (!c->spaced && !any_missing(c->r)))
		return;
	m = g_string_new(NULL);
	for (i = 0; i < g->nslots; i++) {
		a = c->span_a[i];
		b = c->span_b[i];
		if (a == b || !(field_has_list(&g->fields[i]) ||
		    field_has_globs(&g->fields[i])))
			continue;
		v = slice(c->norm, c->tok[a].start, c->tok[b - 1].end);
		if (gfield_check_value(&g->fields[i], v, &canon) == V_OK &&
		    name_is_likely(&g->fields[i], canon))
			g_string_append_printf(m, "%s%s“%s”",
			    m->len > 0 ? "，" : "已识别：", g->fields[i].name,
			    canon);
		g_free(canon);
		g_free(v);
	}
	if (m->len > 0) {
		g_string_append(m, "。");
		grammar_result_add_line(c->r, g_string_free(m, FALSE));
	} else {
		g_string_free(m, TRUE);
	}
}

/* Every field found its value, yet the pattern refused the text: what
 * is wrong lies between the fields, in the prefix or the punctuation.
 * A correction must always say something. */
static void
diag_fallback(struct diag_ctx *c)
{
	const struct grammar *g = c->g;

	if (!g->tokens[0].is_field &&
	    literal_prefix(c->norm, g->tokens[0].literal) < 0)
		grammar_result_add_diag(c->r, "prefix", NULL,
		    g_strconcat(grammar_what(g), "应以“",
		    g->tokens[0].literal, "”开头。", NULL));
	else
		grammar_result_add_diag(c->r, "format", NULL,
		    g_strconcat(grammar_what(g), "的分隔符号或括号"
		    "不符合规定的格式。", NULL));
}

void
grammar_diagnose(const struct grammar *g, const char *norm,
    struct grammar_result *r)
{
	struct diag_ctx c;
	size_t i, pos;
	bool drop_first;
	const char *core;

	memset(&c, 0, sizeof(c));
	c.g = g;
	c.norm = norm;
	c.r = r;
	/* a raw pattern alone has no fields to align to */
	if (g->ntokens == 0 || g->nslots == 0) {
		grammar_result_add_diag(r, "format", NULL,
		    g_strconcat(grammar_what(g), "不符合规定的格式。", NULL));
		return;
	}
	c.last_free = SIZE_MAX;
	for (i = 0; i < g->nslots; i++)
		if (field_is_free(&g->fields[i]))
			c.last_free = i;

	pos = diag_prefix(&c, &drop_first, &core);
	grammar_segment(&c, pos);
	if (core != NULL)
		drop_prefix_segments(&c, drop_first);
	align(&c);
	find_misplaced(&c);
	rescue_missing(&c);
	rescue_free(&c);
	diag_separator(&c);
	diag_order(&c);
	diag_fields(&c);
	diag_extra(&c);
	diag_recognised(&c);
	if (r->codes->len == 0)
		diag_fallback(&c);
	r->correction = grammar_fix_build(&c);

	g_free(c.keys);
	g_free(c.chars);
}
