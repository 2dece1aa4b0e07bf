/*
 * grammar_fix: the text a submitter should have written, built from what
 * they wrote once the diagnosis has cut it into segments and aligned the
 * segments to the fields: the line 请将邮件主题改为：… that clerks copy.
 * See grammar-private.h.
 *
 * A field that is not free text takes, in this order: the segments
 * aligned to it, when it takes them; else the one segment anywhere that
 * is one of its listed values (typed in another field's place); else the
 * segment the diagnosis rescued for it; else, for a list, the one listed
 * value close to what stands in its place (图画类 -> 图片类).  Free text
 * then takes a unit of its roster, or what is aligned to it and no other
 * field took, or (the last free field without a value) the one run of
 * segments no field took.  What is left is a blank, 【请填写FIELD】, which reads as something to fill in,
 * where {FIELD} was copied as it stood and refused again.  A text that
 * would be more blanks than values is not offered.
 */
#include <string.h>

#include "grammar-private.h"
#include "normalize.h"

struct fix {
	const struct diag_ctx *c;
	bool claimed[DIAG_MAX_TOKENS];
	char *value[GRAMMAR_MAX_FIELDS];	/* NULL: a blank */
	size_t from_text;	/* values taken from the text */
};

/* What field i makes of segments [a, b), or NULL when it refuses them
 * (or they are unlikely to be the name it wants). */
static char *
span_value(const struct diag_ctx *c, size_t i, size_t a, size_t b)
{
	char *v, *canon;

	if (a >= b || c->tok[a].start == c->tok[b - 1].end)
		return NULL;
	v = slice(c->norm, c->tok[a].start, c->tok[b - 1].end);
	(void)gfield_check_value(&c->g->fields[i], v, &canon);
	g_free(v);
	if (canon != NULL && !name_is_likely(&c->g->fields[i], canon))
		g_clear_pointer(&canon, g_free);
	return canon;
}

static void
take(struct fix *fx, size_t i, size_t a, size_t b, char *value)
{
	size_t j;

	if (value == NULL)
		return;
	fx->value[i] = value;
	for (j = a; j < b; j++)
		fx->claimed[j] = TRUE;
	fx->from_text++;
}

/* Whether segments [a, b) are free to be field i's: none claimed, none
 * another field's listed value or rescued for another field. */
static bool
span_free_for(const struct fix *fx, size_t i, size_t a, size_t b)
{
	const struct diag_ctx *c = fx->c;
	size_t j;

	for (j = a; j < b; j++) {
		if (fx->claimed[j] || (c->tok[j].exact != 0 &&
		    (c->tok[j].exact & (1u << i)) == 0) ||
		    (c->rescued[j] != 0 && c->rescued[j] != (int)i + 1))
			return FALSE;
	}
	return TRUE;
}

static void
fix_aligned(struct fix *fx, size_t i)
{
	const struct diag_ctx *c = fx->c;
	size_t a = c->span_a[i], b = c->span_b[i];

	if ((c->vacated & (1u << i)) != 0 || !span_free_for(fx, i, a, b))
		return;
	take(fx, i, a, b, span_value(c, i, a, b));
}

/* The one unclaimed segment that is a listed value of field i. */
static void
fix_listed(struct fix *fx, size_t i)
{
	const struct diag_ctx *c = fx->c;
	const struct gfield *f = &c->g->fields[i];
	size_t j, found = SIZE_MAX;

	for (j = 0; j < c->ntok; j++) {
		if (fx->claimed[j] || (c->tok[j].exact & (1u << i)) == 0)
			continue;
		if (found != SIZE_MAX)
			return;	/* two: which one is meant cannot be told */
		found = j;
	}
	if (found != SIZE_MAX)
		take(fx, i, found, found + 1, g_strdup(g_hash_table_lookup(
		    f->lookup, c->tok[found].key)));
}

static void
fix_rescued(struct fix *fx, size_t i)
{
	const struct diag_ctx *c = fx->c;
	size_t j;

	for (j = 0; j < c->ntok; j++)
		if (c->rescued[j] == (int)i + 1 && !fx->claimed[j]) {
			take(fx, i, j, j + 1, span_value(c, i, j, j + 1));
			return;
		}
}

/* The one listed value close to the segment in field i's place. */
static void
fix_near(struct fix *fx, size_t i)
{
	const struct diag_ctx *c = fx->c;
	size_t a = c->span_a[i];
	GPtrArray *s;

	if (c->span_b[i] != a + 1 || !span_free_for(fx, i, a, a + 1) ||
	    *c->tok[a].key == '\0')
		return;
	s = grammar_suggest(&c->g->fields[i], &c->tok[a].probe);
	if (s->len == 1)
		take(fx, i, a, a + 1, g_strdup(g_ptr_array_index(s, 0)));
	g_ptr_array_free(s, TRUE);
}

/* What is left for free text: the one run of segments, side by side,
 * that no field took and no other field could have. */
static void
fix_left(struct fix *fx, size_t i)
{
	const struct diag_ctx *c = fx->c;
	size_t j, a = SIZE_MAX, b = 0;

	for (j = 0; j < c->ntok; j++) {
		if (c->tok[j].start == c->tok[j].end ||
		    !span_free_for(fx, i, j, j + 1))
			continue;
		if (a != SIZE_MAX && j != b)
			return;	/* two runs: which is meant cannot be told */
		if (a == SIZE_MAX)
			a = j;
		b = j + 1;
	}
	if (a != SIZE_MAX)
		take(fx, i, a, b, span_value(c, i, a, b));
}

/* Free text: a unit of its roster typed anywhere; else the segments
 * aligned to it that no other field took; else the segment rescued for
 * it; else, for the last free field left, what is left. */
static void
fix_free(struct fix *fx, size_t i, bool last)
{
	const struct diag_ctx *c = fx->c;
	size_t a = c->span_a[i], b = c->span_b[i];

	fix_listed(fx, i);
	if (fx->value[i] != NULL)
		return;
	while (a < b && fx->claimed[a])
		a++;
	while (b > a && fx->claimed[b - 1])
		b--;
	if (a < b && span_free_for(fx, i, a, b))
		take(fx, i, a, b, span_value(c, i, a, b));
	if (fx->value[i] == NULL)
		fix_rescued(fx, i);
	if (fx->value[i] == NULL && last)
		fix_left(fx, i);
}

static void
fix_values(struct fix *fx)
{
	const struct grammar *g = fx->c->g;
	size_t i, free_left = 0;

	for (i = 0; i < g->nslots; i++)
		if (!field_is_free(&g->fields[i]))
			fix_aligned(fx, i);
	for (i = 0; i < g->nslots; i++)
		if (fx->value[i] == NULL && field_has_list(&g->fields[i]))
			fix_listed(fx, i);
	for (i = 0; i < g->nslots; i++)
		if (fx->value[i] == NULL && !field_is_free(&g->fields[i]))
			fix_rescued(fx, i);
	for (i = 0; i < g->nslots; i++)
		if (fx->value[i] == NULL && field_has_list(&g->fields[i]))
			fix_near(fx, i);
	for (i = 0; i < g->nslots; i++)
		if (field_is_free(&g->fields[i]))
			free_left++;
	for (i = 0; i < g->nslots; i++)
		if (field_is_free(&g->fields[i])) {
			fix_free(fx, i, free_left == 1);
			if (fx->value[i] != NULL)
				free_left--;
		}
}

static bool
ends_with_separator(const GString *s)
{
	const char *p = s->len > 0 ?
	    g_utf8_find_prev_char(s->str, s->str + s->len) : NULL;

	return p != NULL && normalize_is_separator(g_utf8_get_char(p));
}

/* The text with every value in its place; a blank is 【请填写FIELD】, or,
 * with sample, the field's first example, to check what the text would
 * be once filled in.  An optional field without a value is left out
 * with the separator before (or else after) it. */
static char *
assemble(const struct fix *fx, bool sample, size_t *blanks_r)
{
	const struct grammar *g = fx->c->g;
	GString *s = g_string_new(NULL);
	bool skip_sep = FALSE;
	const char *lit;
	size_t i, fi;

	for (i = 0; i < g->ntokens; i++) {
		if (!g->tokens[i].is_field) {
			lit = g->tokens[i].written;
			if (skip_sep && normalize_is_separator(
			    g_utf8_get_char(lit)))
				lit = g_utf8_next_char(lit);
			g_string_append(s, lit);
			skip_sep = FALSE;
			continue;
		}
		fi = g->tokens[i].field;
		if (fx->value[fi] != NULL) {
			g_string_append(s, fx->value[fi]);
		} else if (g->fields[fi].optional) {
			if (ends_with_separator(s))
				g_string_truncate(s, (gsize)(g_utf8_find_prev_char(
				    s->str, s->str + s->len) - s->str));
			else
				skip_sep = TRUE;
		} else if (sample) {
			char *e = grammar_example_value(&g->fields[fi], 0);

			g_string_append(s, e);
			g_free(e);
		} else {
			g_string_append_printf(s, "【请填写%s】",
			    g->fields[fi].name);
			(*blanks_r)++;
		}
	}
	return g_string_free(s, FALSE);
}

char *
grammar_fix_build(const struct diag_ctx *c)
{
	struct fix fx;
	char *text = NULL, *filled;
	size_t i, blanks = 0;

	memset(&fx, 0, sizeof(fx));
	fx.c = c;
	fix_values(&fx);
	if (fx.from_text > 0) {
		text = assemble(&fx, FALSE, &blanks);
		/* offered only if, filled in, it would be taken */
		filled = blanks > 0 ? assemble(&fx, TRUE, &blanks) : NULL;
		if (!grammar_accepts(c->g, filled != NULL ? filled : text,
		    c->r->extension != NULL))
			g_clear_pointer(&text, g_free);
		g_free(filled);
	}
	/* Mostly blanks, it would be the format again, with a guess at
	 * where the little that was typed goes ("党史十讲" for the author). */
	if (blanks > fx.from_text)
		g_clear_pointer(&text, g_free);
	for (i = 0; i < c->g->nslots; i++)
		g_free(fx.value[i]);
	return text;
}
