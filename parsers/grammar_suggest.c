/*
 * grammar_suggest: the listed values of a field closest to what was
 * typed, for "您是否指：…" in a correction, and the edit distances that
 * find them.  Every comparison of a diagnosis may come here, so the
 * signatures rule out most pairs before any distance is computed.  See
 * grammar-private.h.
 */
#include <string.h>

#include "grammar-private.h"

/* Levenshtein distance over code points, or SIZE_MAX when it is over
 * limit (the length difference alone tells, most of the time).  A row
 * of the table never holds less than the row before, so the work stops
 * at the first row that is all over the limit. */
static size_t
edit_distance(const gunichar *ca, size_t la, const gunichar *cb, size_t lb,
    size_t limit)
{
	size_t row[EDIT_MAX_CHARS + 1];
	size_t i, j, diag, tmp, low;

	if (la > EDIT_MAX_CHARS || lb > EDIT_MAX_CHARS ||
	    (la > lb ? la - lb : lb - la) > limit)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = i;
		low = row[0];
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			row[j] = MIN(MIN(row[j] + 1, row[j - 1] + 1),
			    diag + (ca[i - 1] == cb[j - 1] ? 0 : 1));
			diag = tmp;
			low = MIN(low, row[j]);
		}
		if (low > limit)
			return SIZE_MAX;
	}
	return row[lb] > limit ? SIZE_MAX : row[lb];
}

/* The code points of s (at most max of them stored in out) and, in
 * *sig_r, their signature; returns how many s has.  edit_distance()
 * needs no more than EDIT_MAX_CHARS. */
size_t
grammar_chars_of(const char *s, gunichar *out, size_t max, guint64 *sig_r)
{
	size_t n = 0, nb;
	guint64 sig = 0;
	const char *p;
	gunichar c;

	for (p = s; *p != '\0'; p += nb) {
		c = utf8_char(p, &nb);
		if (n < max)
			out[n] = c;
		sig |= char_sig(c);
		n++;
	}
	*sig_r = sig;
	return n;
}

size_t
grammar_edit_distance_str(const char *a, const char *b, size_t limit)
{
	gunichar ca[EDIT_MAX_CHARS], cb[EDIT_MAX_CHARS];
	guint64 sa, sb;
	size_t la = grammar_chars_of(a, ca, EDIT_MAX_CHARS, &sa);
	size_t lb = grammar_chars_of(b, cb, EDIT_MAX_CHARS, &sb);

	return edit_distance(ca, la, cb, lb, limit);
}

static void
add_unique(GPtrArray *a, const char *s)
{
	size_t i;

	for (i = 0; i < a->len; i++)
		if (strcmp(g_ptr_array_index(a, i), s) == 0)
			return;
	g_ptr_array_add(a, (gpointer)s);
}

/* Whether the probe and value key k are part of one another, the test
 * that comes before edit distances. */
static bool
key_contains(const struct gkey *k, const struct probe *q)
{
	return ((q->sig & ~k->sig) == 0 && strstr(k->key, q->key) != NULL) ||
	    (k->nchars >= 2 && (k->sig & ~q->sig) == 0 &&
	    strstr(q->key, k->key) != NULL);
}

static guint
popcount64(guint64 x)
{
	return (guint)__builtin_popcountll(x);
}

static size_t
key_distance(const struct gkey *k, const struct probe *q)
{
	size_t la = q->nchars, lb = k->nchars;
	size_t limit = MAX(1, MIN(la, lb) / 2);

	if (la > EDIT_MAX_CHARS || lb > EDIT_MAX_CHARS ||
	    (la > lb ? la - lb : lb - la) > limit)
		return SIZE_MAX;
	/* each character one side has and the other lacks costs an
	 * edit, so more of them than limit is over it */
	if (popcount64(q->sig & ~k->sig) > limit ||
	    popcount64(k->sig & ~q->sig) > limit)
		return SIZE_MAX;
	return edit_distance(q->chars, la, k->chars, lb, limit);
}

/*
 * A unit is offered only a listed name one edit away, or one the text
 * is once a prefix its aliases use (中共, 常州市) is dropped: two units
 * often differ by one word (金坛区委宣传部, 金坛区委组织部), and offering
 * the other would steer a unit into another's quota.
 */
static void
suggest_unit(const struct gfield *f, const struct probe *q, GPtrArray *out)
{
	size_t i, plen;
	const char *canon;

	for (i = 0; i < f->nprefixes; i++) {
		plen = strlen(f->prefixes[i]);
		if (strncmp(q->key, f->prefixes[i], plen) == 0 &&
		    (canon = g_hash_table_lookup(f->lookup,
		    q->key + plen)) != NULL)
			add_unique(out, canon);
	}
	for (i = 0; i < f->nkeys; i++)
		if (f->keys[i].nchars <= EDIT_MAX_CHARS &&
		    q->nchars <= EDIT_MAX_CHARS &&
		    edit_distance(q->chars, q->nchars, f->keys[i].chars,
		    f->keys[i].nchars, 1) != SIZE_MAX)
			add_unique(out, f->keys[i].canonical);
}

/* The canonical values closest to the probe: first those it is part of
 * (or that are part of it), else those at the smallest edit distance if
 * that is small; for a unit, see suggest_unit().  Borrowed strings;
 * empty when nothing is close. */
GPtrArray *
grammar_suggest(const struct gfield *f, const struct probe *q)
{
	GPtrArray *out = g_ptr_array_new();
	size_t i, d, best = SIZE_MAX;

	if (f->type == GRAMMAR_FIELD_UNIT) {
		suggest_unit(f, q, out);
		return out;
	}
	if (q->nchars >= 2) {
		for (i = 0; i < f->nkeys; i++)
			if (key_contains(&f->keys[i], q))
				add_unique(out, f->keys[i].canonical);
		if (out->len > 0)
			return out;
	}
	for (i = 0; i < f->nkeys; i++) {
		d = key_distance(&f->keys[i], q);
		if (d == SIZE_MAX)
			continue;
		if (d < best) {
			best = d;
			g_ptr_array_set_size(out, 0);
		}
		if (d == best)
			add_unique(out, f->keys[i].canonical);
	}
	return out;
}

/* Whether grammar_suggest() would offer anything, without making the list. */
bool
grammar_suggest_any(const struct gfield *f, const struct probe *q)
{
	size_t i;

	if (f->type == GRAMMAR_FIELD_UNIT) {
		GPtrArray *a = g_ptr_array_new();
		bool any;

		suggest_unit(f, q, a);
		any = a->len > 0;
		g_ptr_array_free(a, TRUE);
		return any;
	}

	if (q->nchars >= 2)
		for (i = 0; i < f->nkeys; i++)
			if (key_contains(&f->keys[i], q))
				return TRUE;
	for (i = 0; i < f->nkeys; i++)
		if (key_distance(&f->keys[i], q) != SIZE_MAX)
			return TRUE;
	return FALSE;
}
