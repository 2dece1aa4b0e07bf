/*
 * grammar: a campaign's naming convention compiled to a PCRE2 pattern,
 * the accessors, and the readable format and examples every correction
 * shows.  The contract is in include/grammar.h; how the work is shared
 * with grammar_field.c, grammar_match.c and grammar_diagnose.c is in
 * grammar-private.h.
 */

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "grammar-private.h"
#include "mail_limits.h"
#include "normalize.h"

/* ------------------------------------------------------------------ */
/* the readable format and examples */

void
grammar_append_list(GString *s, char *const *values, size_t n, size_t max)
{
	size_t i;

	for (i = 0; i < n && i < max; i++) {
		if (i > 0)
			g_string_append(s, "、");
		g_string_append(s, values[i]);
	}
	if (n > max)
		g_string_append(s, "等");
}

char *
grammar_open_example(const char *glob)
{
	GString *s = g_string_new(NULL);
	const char *p;

	for (p = glob; *p != '\0'; p++) {
		if (*p == '*')
			g_string_append(s, "某某");
		else
			g_string_append_c(s, *p);
	}
	return g_string_free(s, FALSE);
}

void
grammar_append_open_hint(GString *s, const struct gfield *f)
{
	size_t i;

	for (i = 0; i < f->nopen; i++) {
		const char *g = f->open[i], *star = strchr(g, '*');
		size_t n = strlen(g);

		g_string_append(s, i == 0 ? "，" : "，或");
		if (star == g && strchr(g + 1, '*') == NULL) {
			g_string_append(s, "以“");
			g_string_append(s, g + 1);
			g_string_append(s, "”结尾");
		} else if (star == g + n - 1) {
			g_string_append(s, "以“");
			g_string_append_len(s, g, (gssize)(n - 1));
			g_string_append(s, "”开头");
		} else {
			char *e = grammar_open_example(g);

			g_string_append(s, "形如“");
			g_string_append(s, e);
			g_string_append(s, "”");
			g_free(e);
		}
	}
}

static void
format_field_line(GString *s, const struct gfield *f)
{
	g_string_append_printf(s, "\n· %s：", f->name);
	switch (f->type) {
	case GRAMMAR_FIELD_ENUM:
		grammar_append_list(s, f->values, f->nvalues, SIZE_MAX);
		break;
	case GRAMMAR_FIELD_UNIT:
		if (field_has_list(f) || field_has_globs(f)) {
			grammar_append_list(s, f->values, f->nvalues, SIZE_MAX);
			if (field_has_globs(f)) {
				g_string_append(s, f->nvalues > 0 ?
				    "；名单以外的单位写全称" : "单位全称");
				grammar_append_open_hint(s, f);
			}
			break;
		}
		g_string_append(s, "单位全称");
		if (f->nvalues > 0) {
			g_string_append(s, "，如");
			grammar_append_list(s, f->values, f->nvalues, 6);
		}
		/* FALLTHROUGH */
	case GRAMMAR_FIELD_TEXT:
		if (f->type == GRAMMAR_FIELD_TEXT)
			g_string_append(s, "文字");
		if (f->has_max && f->has_min && f->min > 1)
			g_string_append_printf(s, "，%lld至%lld个字",
			    f->min, f->max);
		else if (f->has_max)
			g_string_append_printf(s, "，不超过%lld个字", f->max);
		else if (f->has_min && f->min > 1)
			g_string_append_printf(s, "，至少%lld个字", f->min);
		break;
	case GRAMMAR_FIELD_NAME:
		g_string_append_printf(s, "姓名（%lld至%lld个汉字，"
		    "少数民族姓名可含“·”，或英文字母）",
		    f->has_min ? f->min : NAME_MIN_CHARS,
		    f->has_max ? f->max : NAME_MAX_CHARS);
		break;
	case GRAMMAR_FIELD_INTEGER:
		g_string_append(s, "数字");
		if (f->has_min && f->has_max)
			g_string_append_printf(s, "，%lld至%lld",
			    f->min, f->max);
		break;
	}
	if (f->optional)
		g_string_append(s, "（可省略）");
}

static char *
build_format(const struct grammar *g)
{
	GString *s = g_string_new(NULL);
	size_t i;

	if (g->ntokens == 0) {
		g_string_append_printf(s, "符合规则 %s", g->pattern);
	} else {
		for (i = 0; i < g->ntokens; i++) {
			if (g->tokens[i].is_field)
				g_string_append_printf(s, "{%s}",
				    g->fields[g->tokens[i].field].name);
			else
				g_string_append(s, g->tokens[i].literal);
		}
	}
	for (i = 0; i < g->nfields; i++)
		format_field_line(s, &g->fields[i]);
	return g_string_free(s, FALSE);
}

/* The example text of a free field: its own examples, else made up and
 * kept within min..max. */
static char *
default_example(const struct gfield *f, size_t choice)
{
	static const char *const names[] = { "张三", "李四", "王芳" };
	GString *s;
	long long minc, maxc, n;

	switch (f->type) {
	case GRAMMAR_FIELD_NAME:
		return g_strdup(names[choice % G_N_ELEMENTS(names)]);
	case GRAMMAR_FIELD_INTEGER:
		return g_strdup_printf("%lld", f->has_min ? f->min :
		    (f->has_max && f->max < 1 ? f->max : 1));
	default:
		break;
	}
	if (field_has_globs(f))
		return grammar_open_example(f->open[choice % f->nopen]);
	s = g_string_new(f->type == GRAMMAR_FIELD_UNIT ? "某某单位" : "示例");
	if (f->type == GRAMMAR_FIELD_TEXT)
		g_string_append(s, f->name);
	minc = f->has_min ? f->min : 1;
	maxc = f->has_max ? f->max : LLONG_MAX;
	while ((n = (long long)g_utf8_strlen(s->str, -1)) < minc)
		g_string_append(s, "示例");
	if (n > maxc) {
		const char *cut = g_utf8_offset_to_pointer(s->str,
		    maxc < 1 ? 1 : (glong)maxc);

		g_string_truncate(s, (gsize)(cut - s->str));
	}
	return g_string_free(s, FALSE);
}

/* How many example values f cycles through. */
static size_t
example_count(const struct gfield *f)
{
	return field_has_list(f) ? f->nvalues :
	    (f->nexamples > 0 ? f->nexamples :
	    (field_has_globs(f) ? f->nopen : 1));
}

char *
grammar_example_value(const struct gfield *f, size_t choice)
{
	choice %= example_count(f);
	if (field_has_list(f))
		return g_strdup(f->values[choice]);
	if (f->nexamples > 0)
		return g_strdup(f->examples[choice]);
	return default_example(f, choice);
}

char *
grammar_example(const struct grammar *g, unsigned n)
{
	GString *s;
	size_t i, count;

	if (g->ntokens == 0)
		return NULL;
	s = g_string_new(NULL);
	for (i = 0; i < g->ntokens; i++) {
		const struct gfield *f;
		char *e;

		if (!g->tokens[i].is_field) {
			g_string_append(s, g->tokens[i].literal);
			continue;
		}
		f = &g->fields[g->tokens[i].field];
		count = example_count(f);
		e = grammar_example_value(f, n % count);
		n /= (unsigned)count;
		g_string_append(s, e);
		g_free(e);
	}
	return g_string_free(s, FALSE);
}

const char *
grammar_format(const struct grammar *g)
{
	return g->format;
}

const char *
grammar_pattern(const struct grammar *g)
{
	return g->pattern;
}

enum grammar_target
grammar_target(const struct grammar *g)
{
	return g->target;
}

size_t
grammar_field_count(const struct grammar *g)
{
	return g->nfields;
}

const char *
grammar_field_name(const struct grammar *g, size_t i)
{
	g_assert(i < g->nfields);
	return g->fields[i].name;
}

bool
grammar_uses_field(const struct grammar *g, const char *name)
{
	size_t i;

	for (i = 0; i < g->nfields; i++)
		if (strcmp(g->fields[i].name, name) == 0)
			return TRUE;
	return FALSE;
}

/* ------------------------------------------------------------------ */
/* compiling */

/* One literal character of the pattern.  Separators match each other,
 * since normalisation leaves "-", "+" or "_" where people typed any
 * dash or plus; a space may be there or not. */
static void
regex_char(GString *re, gunichar c)
{
	if (c == ' ')
		g_string_append(re, " ?");
	else if (normalize_is_separator(c))
		g_string_append(re, "[-+_]");
	else if (c < 0x80 && !g_ascii_isalnum((char)c))
		g_string_append_printf(re, "\\%c", (char)c);
	else
		g_string_append_unichar(re, c);
}

static void
regex_literal(GString *re, const char *lit)
{
	const char *p;

	for (p = lit; *p != '\0'; p = g_utf8_next_char(p))
		regex_char(re, g_utf8_get_char(p));
}

static gint
cmp_longer_first(gconstpointer a, gconstpointer b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	size_t lx = strlen(x), ly = strlen(y);

	if (lx != ly)
		return lx > ly ? -1 : 1;
	return strcmp(x, y);
}

/* An open glob: its "*" takes no separator (gfield_open_match() says
 * the same), so that a field after a title still anchors the title's
 * end; spaces between characters are tolerated as in a value. */
static void
regex_glob(GString *re, const char *glob)
{
	const char *p;

	for (p = glob; *p != '\0'; p = g_utf8_next_char(p)) {
		if (p != glob)
			g_string_append(re, " ?");
		if (*p == '*')
			g_string_append(re, "[^-+_]+?");
		else
			regex_char(re, g_utf8_get_char(p));
	}
}

/* An alternation of every value and alias, spaces between characters
 * tolerated; the match is then looked up by key. */
static void
regex_enum(GString *re, const struct gfield *f)
{
	GPtrArray *alts = g_ptr_array_new_with_free_func(g_free);
	GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
	size_t i;

	for (i = 0; i < f->nkeys; i++) {
		GString *a = g_string_new(NULL);
		const char *p;

		for (p = f->keys[i].key; *p != '\0'; p = g_utf8_next_char(p)) {
			if (p != f->keys[i].key)
				g_string_append(a, " ?");
			regex_char(a, g_utf8_get_char(p));
		}
		if (g_hash_table_contains(seen, a->str)) {
			g_string_free(a, TRUE);
			continue;
		}
		g_ptr_array_add(alts, g_string_free(a, FALSE));
		g_hash_table_add(seen, g_ptr_array_index(alts, alts->len - 1));
	}
	g_ptr_array_sort(alts, cmp_longer_first);
	g_string_append(re, "(?:");
	for (i = 0; i < alts->len; i++) {
		if (i > 0)
			g_string_append_c(re, '|');
		g_string_append(re, g_ptr_array_index(alts, i));
	}
	/* the open globs after the list, so that a listed name wins */
	for (i = 0; field_has_globs(f) && i < f->nopen; i++) {
		if (i > 0 || alts->len > 0)
			g_string_append_c(re, '|');
		regex_glob(re, f->open_keys[i]);
	}
	g_string_append(re, ")");
	g_hash_table_destroy(seen);
	g_ptr_array_free(alts, TRUE);
}

static void
regex_field(GString *re, const struct grammar *g, size_t fi)
{
	g_string_append_printf(re, "(?<f%zu>", fi);
	if (field_has_list(&g->fields[fi]) || field_has_globs(&g->fields[fi]))
		regex_enum(re, &g->fields[fi]);
	else
		/* Free fields take as little as they can, so that separators
		 * in a title go to the last free field, as documented. */
		g_string_append(re, ".+?");
	g_string_append_c(re, ')');
}

static bool
ends_with_separator(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && normalize_is_separator((guchar)s[n - 1]);
}

static char *
template_regex(const struct grammar *g)
{
	GString *re = g_string_new("^");
	size_t i;
	bool skip_first_sep = FALSE;

	for (i = 0; i < g->ntokens; i++) {
		const struct gtoken *t = &g->tokens[i];
		const struct gtoken *next = i + 1 < g->ntokens ?
		    &g->tokens[i + 1] : NULL;
		const struct gtoken *prev = i > 0 ? &g->tokens[i - 1] : NULL;

		if (!t->is_field) {
			const char *lit = t->literal;
			char *trimmed;

			if (skip_first_sep && normalize_is_separator(
			    (guchar)*lit))
				lit++;
			skip_first_sep = FALSE;
			trimmed = g_strdup(lit);
			/* an optional field that follows takes the
			 * separator before it into its own group */
			if (next != NULL && g->fields[next->field].optional &&
			    ends_with_separator(trimmed))
				trimmed[strlen(trimmed) - 1] = '\0';
			if (prev != NULL)
				g_string_append(re, " ?");
			regex_literal(re, trimmed);
			if (next != NULL)
				g_string_append(re, " ?");
			g_free(trimmed);
			continue;
		}
		if (!g->fields[t->field].optional) {
			regex_field(re, g, t->field);
			continue;
		}
		if (prev != NULL && ends_with_separator(prev->literal)) {
			g_string_append(re, "(?:[-+_] ?");
			regex_field(re, g, t->field);
			g_string_append(re, ")?");
		} else if (next != NULL && !next->is_field &&
		    normalize_is_separator((guchar)*next->literal)) {
			g_string_append(re, "(?:");
			regex_field(re, g, t->field);
			g_string_append(re, " ?[-+_])?");
			skip_first_sep = TRUE;
		} else {
			g_string_append(re, "(?:");
			regex_field(re, g, t->field);
			g_string_append(re, ")?");
		}
	}
	g_string_append(re, "\\z");
	return g_string_free(re, FALSE);
}

static const struct grammar_field_spec *
spec_find(const struct grammar_field_spec *specs, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(specs[i].name, name) == 0)
			return &specs[i];
	return NULL;
}

/* Index of the field in g, adding it from the specs on first use;
 * -1 (and an error line) when no spec has that name. */
static int
grammar_use_field(struct grammar *g, const struct grammar_field_spec *specs,
    size_t nspecs, const char *name, GString *err)
{
	const struct grammar_field_spec *s;
	size_t i;

	for (i = 0; i < g->nfields; i++)
		if (strcmp(g->fields[i].name, name) == 0)
			return (int)i;
	s = spec_find(specs, nspecs, name);
	if (s == NULL) {
		g_string_append_printf(err, "{%s} is not a defined field\n",
		    name);
		return -1;
	}
	if (g->nfields >= GRAMMAR_MAX_FIELDS) {
		g_string_append_printf(err, "more than %d fields\n",
		    GRAMMAR_MAX_FIELDS);
		return -1;
	}
	g->fields = g_renew(struct gfield, g->fields, g->nfields + 1);
	gfield_init(&g->fields[g->nfields], s, err);
	return (int)g->nfields++;
}

static void
add_token(struct grammar *g, bool is_field, char *literal, char *written,
    size_t field)
{
	g->tokens = g_renew(struct gtoken, g->tokens, g->ntokens + 1);
	g->tokens[g->ntokens].is_field = is_field;
	g->tokens[g->ntokens].literal = literal;
	g->tokens[g->ntokens].written = written;
	g->tokens[g->ntokens].field = field;
	g->ntokens++;
}

static void
flush_literal(struct grammar *g, GString *lit)
{
	char *norm;

	if (lit->len == 0)
		return;
	norm = normalize_text(lit->str, 0);
	/* a literal of spaces only still separates two fields */
	if (*norm == '\0') {
		g_free(norm);
		norm = g_strdup(" ");
	}
	add_token(g, FALSE, norm, g_strdup(lit->str), 0);
	g_string_truncate(lit, 0);
}

static void
parse_template(struct grammar *g, const char *tmpl,
    const struct grammar_field_spec *specs, size_t nspecs, GString *err)
{
	GString *lit = g_string_new(NULL);
	const char *p = tmpl, *close;
	size_t i;

	while (*p != '\0') {
		if ((p[0] == '{' && p[1] == '{') ||
		    (p[0] == '}' && p[1] == '}')) {
			g_string_append_c(lit, p[0]);
			p += 2;
			continue;
		}
		if (*p == '}') {
			g_string_append(err, "template: unmatched \"}\" "
			    "(write \"}}\" for a literal brace)\n");
			p++;
			continue;
		}
		if (*p != '{') {
			g_string_append_c(lit, *p++);
			continue;
		}
		close = strchr(p + 1, '}');
		if (close == NULL) {
			g_string_append(err, "template: \"{\" without \"}\"\n");
			break;
		}
		{
			char *name = g_strstrip(g_strndup(p + 1,
			    (size_t)(close - p - 1)));
			int fi;

			flush_literal(g, lit);
			fi = *name == '\0' ? -1 :
			    grammar_use_field(g, specs, nspecs, name, err);
			if (*name == '\0')
				g_string_append(err, "template: empty {}\n");
			for (i = 0; fi >= 0 && i < g->ntokens; i++)
				if (g->tokens[i].is_field &&
				    g->tokens[i].field == (size_t)fi) {
					g_string_append_printf(err, "template: "
					    "{%s} used twice\n", name);
					fi = -1;
				}
			if (fi >= 0)
				add_token(g, TRUE, NULL, NULL, (size_t)fi);
			g_free(name);
		}
		p = close + 1;
	}
	flush_literal(g, lit);
	g_string_free(lit, TRUE);

	g->nslots = g->nfields;
	if (g->nslots == 0 && err->len == 0)
		g_string_append(err, "template: no {field} in it\n");
	for (i = 0; i + 1 < g->ntokens; i++) {
		const struct gfield *a, *b;

		if (!g->tokens[i].is_field || !g->tokens[i + 1].is_field)
			continue;
		a = &g->fields[g->tokens[i].field];
		b = &g->fields[g->tokens[i + 1].field];
		if (!field_has_list(a) && !field_has_list(b))
			g_string_append_printf(err, "template: {%s}{%s}: two "
			    "free fields need literal text between them\n",
			    a->name, b->name);
	}
}

/* The characters that end a segment when a failed text is split for the
 * diagnosis: the separators and every punctuation mark of the template's
 * literals. */
static void
add_delim(GArray *d, gunichar c)
{
	size_t j;

	for (j = 0; j < d->len; j++)
		if (g_array_index(d, gunichar, j) == c)
			return;
	g_array_append_val(d, c);
}

/* Brackets people type for one another: 【】 for [] or 〔〕, () for []. */
static const gunichar bracket_families[][8] = {
	{ 0x3010, '[', 0x3014, 0x3016, 0 },	/* 【 [ 〔 〖 */
	{ 0x3011, ']', 0x3015, 0x3017, 0 },	/* 】 ] 〕 〗 */
	{ '(', '[', 0 },
	{ ')', ']', 0 },
};

static void
collect_delims(struct grammar *g)
{
	GArray *d = g_array_new(FALSE, FALSE, sizeof(gunichar));
	gunichar sep[] = { '-', '+', '_' };
	size_t i, j, k;
	const char *p;

	g_array_append_vals(d, sep, G_N_ELEMENTS(sep));
	for (i = 0; i < g->ntokens; i++) {
		if (g->tokens[i].is_field)
			continue;
		for (p = g->tokens[i].literal; *p != '\0';
		    p = g_utf8_next_char(p)) {
			gunichar c = g_utf8_get_char(p);

			if (g_unichar_isalnum(c) || c == ' ')
				continue;
			add_delim(d, c);
			for (j = 0; j < G_N_ELEMENTS(bracket_families); j++) {
				if (bracket_families[j][0] != c)
					continue;
				for (k = 1; bracket_families[j][k] != 0; k++)
					add_delim(d, bracket_families[j][k]);
			}
		}
	}
	g->ndelims = d->len;
	g->delims = (gunichar *)(void *)g_array_free(d, FALSE);
}

/* Name references in a raw pattern become f<N>; a name that is not a
 * field is an error.  Handles (?<n>, (?'n', (?P<n>, (?P=n), (?P>n),
 * (?&n), \k<n>, \k'n', \k{n}, \g{n}; skips \Q...\E and classes. */
static char *
rewrite_raw(struct grammar *g, const char *raw,
    const struct grammar_field_spec *specs, size_t nspecs, GString *err)
{
	GString *out = g_string_new(NULL);
	const char *p = raw;
	bool in_class = FALSE;

	while (*p != '\0') {
		const char *open = NULL;
		char close = 0;

		if (*p == '\\' && p[1] == 'Q') {
			const char *e = strstr(p + 2, "\\E");

			if (e == NULL)
				e = p + strlen(p);
			else
				e += 2;
			g_string_append_len(out, p, e - p);
			p = e;
			continue;
		}
		if (*p == '\\' && !in_class && (p[1] == 'k' || p[1] == 'g') &&
		    (p[2] == '<' || p[2] == '\'' || p[2] == '{') &&
		    !(p[1] == 'g' && p[2] != '{')) {
			open = p + 3;
			close = p[2] == '<' ? '>' : p[2] == '{' ? '}' : '\'';
			if (p[1] == 'g' && (g_ascii_isdigit(*open) ||
			    *open == '-' || *open == '+'))
				open = NULL;
		} else if (*p == '\\') {
			g_string_append_c(out, *p++);
			if (*p != '\0') {
				const char *n = g_utf8_next_char(p);

				g_string_append_len(out, p, n - p);
				p = n;
			}
			continue;
		} else if (in_class) {
			if (*p == ']')
				in_class = FALSE;
		} else if (*p == '[') {
			in_class = TRUE;
			g_string_append_c(out, *p++);
			if (*p == '^')
				g_string_append_c(out, *p++);
			if (*p == ']')
				g_string_append_c(out, *p++);
			continue;
		} else if (p[0] == '(' && p[1] == '?') {
			if (p[2] == '<' && p[3] != '=' && p[3] != '!') {
				open = p + 3;
				close = '>';
			} else if (p[2] == '\'') {
				open = p + 3;
				close = '\'';
			} else if (p[2] == 'P' && p[3] == '<') {
				open = p + 4;
				close = '>';
			} else if (p[2] == 'P' && (p[3] == '=' || p[3] == '>')) {
				open = p + 4;
				close = ')';
			} else if (p[2] == '&') {
				open = p + 3;
				close = ')';
			}
		}
		if (open != NULL) {
			const char *e = strchr(open, close);

			if (e != NULL && e > open) {
				char *name = g_strndup(open, e - open);
				int fi = grammar_use_field(g, specs, nspecs,
				    name, err);

				g_string_append_len(out, p, open - p);
				g_string_append_printf(out, "f%d", fi < 0 ?
				    0 : fi);
				g_free(name);
				p = e;
				continue;
			}
		}
		g_string_append_c(out, *p++);
	}
	return g_string_free(out, FALSE);
}

static void
map_groups(struct grammar *g)
{
	uint32_t count = 0, size = 0, i;
	PCRE2_SPTR table = NULL;

	(void)pcre2_pattern_info(g->code, PCRE2_INFO_CAPTURECOUNT, &g->ngroups);
	g->group_field = g_new(int, g->ngroups + 1);
	for (i = 0; i <= g->ngroups; i++)
		g->group_field[i] = -1;
	(void)pcre2_pattern_info(g->code, PCRE2_INFO_NAMECOUNT, &count);
	(void)pcre2_pattern_info(g->code, PCRE2_INFO_NAMEENTRYSIZE, &size);
	(void)pcre2_pattern_info(g->code, PCRE2_INFO_NAMETABLE, &table);
	for (i = 0; i < count; i++) {
		PCRE2_SPTR e = table + (size_t)i * size;
		uint32_t group = ((uint32_t)e[0] << 8) | e[1];
		const char *name = (const char *)e + 2;

		if (name[0] == 'f' && group <= g->ngroups)
			g->group_field[group] = atoi(name + 1);
	}
}

void
grammar_free(struct grammar **gp)
{
	struct grammar *g = *gp;
	size_t i;

	if (g == NULL)
		return;
	for (i = 0; i < g->ntokens; i++) {
		g_free(g->tokens[i].literal);
		g_free(g->tokens[i].written);
	}
	g_free(g->tokens);
	for (i = 0; i < g->nfields; i++)
		gfield_clear(&g->fields[i]);
	g_free(g->fields);
	g_free(g->group_field);
	g_free(g->delims);
	g_free(g->pattern);
	g_free(g->format);
	g_free(g->example0);
	g_free(g->diag_tail);
	g_free(g->prefix_core);
	g_free(g->prefix_core_key);
	if (g->slot_keys != NULL)
		g_hash_table_destroy(g->slot_keys);
	if (g->code != NULL)
		pcre2_code_free(g->code);
	if (g->mctx != NULL)
		pcre2_match_context_free(g->mctx);
	g_free(g);
	*gp = NULL;
}

int
grammar_compile(enum grammar_target target, const char *template_text,
    const char *raw_regex, const struct grammar_field_spec *fields,
    size_t field_count, struct grammar **g_r, char **error_r)
{
	struct grammar *g;
	GString *err = g_string_new(NULL);
	int errcode;
	PCRE2_SIZE erroff;

	*g_r = NULL;
	g = g_new0(struct grammar, 1);
	g->target = target;
	if (template_text == NULL && raw_regex == NULL)
		g_string_append(err, "neither a template nor a pattern\n");
	if (template_text != NULL)
		parse_template(g, template_text, fields, field_count, err);
	if (raw_regex != NULL)
		g->pattern = rewrite_raw(g, raw_regex, fields, field_count,
		    err);
	else if (err->len == 0)
		g->pattern = template_regex(g);
	if (err->len == 0) {
		g->code = pcre2_compile((PCRE2_SPTR)g->pattern,
		    PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP |
		    PCRE2_CASELESS | PCRE2_NEVER_BACKSLASH_C, &errcode,
		    &erroff, NULL);
		if (g->code == NULL) {
			PCRE2_UCHAR msg[256];

			pcre2_get_error_message(errcode, msg, sizeof(msg));
			g_string_append_printf(err, "pattern at offset %zu: "
			    "%s\n", (size_t)erroff, (const char *)msg);
		}
	}
	if (err->len > 0) {
		g_strchomp(err->str);
		*error_r = g_string_free(err, FALSE);
		grammar_free(&g);
		return -1;
	}
	g_string_free(err, TRUE);
	g->mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(g->mctx, LIMIT_REGEX_MATCH);
	pcre2_set_depth_limit(g->mctx, LIMIT_REGEX_DEPTH);
	map_groups(g);
	collect_delims(g);
	g->format = build_format(g);
	g->example0 = grammar_example(g, 0);
	grammar_prepare_diagnosis(g);
	*g_r = g;
	return 0;
}
