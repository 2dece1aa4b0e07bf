/*
 * grammar_segment: a text the grammar's pattern refused, cut into the
 * segments the diagnosis aligns to the template's fields: at separators
 * and the template's punctuation, and at spaces where one of the words
 * is a listed value (people type "扶贫征集 图片类 老屋新颜").  See
 * grammar-private.h.
 */
#include <string.h>

#include "grammar-private.h"
#include "normalize.h"

/* Words of one segment cut apart where spaces stand for separators;
 * a segment of more words is taken to be one text. */
#define DIAG_MAX_SPACED_WORDS	16

bool
grammar_is_delim(const struct grammar *g, gunichar c)
{
	size_t i;

	for (i = 0; i < g->ndelims; i++)
		if (g->delims[i] == c)
			return TRUE;
	return FALSE;
}

/* Cuts the text from pos into segments at the delimiters. */
static void
tokenize_bounds(struct diag_ctx *c, size_t pos)
{
	const struct grammar *g = c->g;
	const char *s = c->norm;
	size_t len = strlen(s), start = pos, i = pos, b, e;
	/* the start of the text, or of what follows the prefix, counts as
	 * a separator: "-微视频-..." has an empty first field */
	bool prev_sep = pos == 0 || normalize_is_separator((guchar)s[pos - 1]);

	c->ntok = 0;
	while (i <= len) {
		size_t nb = 1;
		gunichar ch = i < len ? utf8_char(s + i, &nb) : 0;
		bool sep = ch != 0 && normalize_is_separator(ch);

		if (i < len && !(grammar_is_delim(g, ch) &&
		    c->ntok + 1 < DIAG_MAX_TOKENS)) {
			i += nb;
			continue;
		}
		for (b = start, e = i; b < e && s[b] == ' '; b++)
			;
		while (e > b && s[e - 1] == ' ')
			e--;
		/* An empty segment counts only between separators ("a--b"
		 * cannot occur, "a-" can): an empty field. */
		if ((b < e || (prev_sep && (sep || i == len))) &&
		    !(b == e && start == pos && i == len)) {
			struct dtoken *t = &c->tok[c->ntok++];

			memset(t, 0, sizeof(*t));
			t->start = b;
			t->end = e;
			t->sep_after = sep;
		}
		prev_sep = sep;
		i += nb;
		start = i;
	}
}

/* Whether norm[a, b) is, or is close to, a value of one of the
 * template's list fields: a part people meant as a field of its own. */
static bool
piece_recognised(const struct grammar *g, const char *norm, size_t a,
    size_t b)
{
	char kbuf[KEY_STACK_BYTES], *key = grammar_key_make(norm + a, b - a,
	    kbuf);
	gunichar chars[EDIT_MAX_CHARS];
	struct probe q;
	bool hit = g_hash_table_contains(g->slot_keys, key);
	size_t i;

	q.key = key;
	q.chars = chars;
	q.nchars = grammar_chars_of(key, chars, EDIT_MAX_CHARS, &q.sig);
	for (i = 0; !hit && q.nchars >= 2 && i < g->nslots; i++) {
		const struct gfield *f = &g->fields[i];

		if (field_has_globs(f) && gfield_open_match(f, key))
			hit = TRUE;
		else if (field_has_list(f) && grammar_suggest_any(f, &q))
			hit = TRUE;
	}
	grammar_key_done(key, kbuf);
	return hit;
}

/* Whether norm[a, b) is a word of Latin letters, which with the next
 * such word may be one name ("Zhang Wei"). */
static bool
latin_word(const char *norm, size_t a, size_t b)
{
	for (; a < b; a++)
		if (!g_ascii_isalpha(norm[a]))
			return FALSE;
	return TRUE;
}

/* A segment that holds spaces where separators belong ("图片类 老屋新颜"),
 * as one of its words, or one close to it, is a listed value: cut at
 * the spaces, words of Latin letters staying together.  Free text may
 * span the parts, and keeps its spaces, since a value is a slice of the
 * text.  Adds the parts to out (*n of them so far), leaving room for
 * the rest segments after t, and returns TRUE when it cut. */
static bool
split_spaced(struct diag_ctx *c, const struct dtoken *t, size_t rest,
    struct dtoken *out, size_t *n)
{
	const char *s = c->norm;
	size_t at[DIAG_MAX_SPACED_WORDS + 1], nat = 0, i, k = *n, from;
	bool any = FALSE;
	char kbuf[KEY_STACK_BYTES], *key;

	if (memchr(s + t->start, ' ', t->end - t->start) == NULL)
		return FALSE;
	/* the words: [at[i], at[i + 1] - 1), the last up to t->end */
	for (i = t->start; i < t->end; i++)
		if (i == t->start || s[i - 1] == ' ') {
			if (nat == DIAG_MAX_SPACED_WORDS)
				return FALSE;
			at[nat++] = i;
		}
	at[nat] = t->end + 1;
	/* room for the parts and the segments after them */
	if (k + nat + rest >= DIAG_MAX_TOKENS)
		return FALSE;
	key = grammar_key_make(s + t->start, t->end - t->start, kbuf);
	if (g_hash_table_contains(c->g->slot_keys, key))
		nat = 0;	/* a value that holds a space */
	grammar_key_done(key, kbuf);
	for (i = 0; i < nat && !any; i++)
		any = piece_recognised(c->g, s, at[i], at[i + 1] - 1);
	if (!any)
		return FALSE;
	for (i = 0, from = 0; i < nat; i++) {
		if (i + 1 < nat && latin_word(s, at[i], at[i + 1] - 1) &&
		    latin_word(s, at[i + 1], at[i + 2] - 1))
			continue;	/* the next word joins this part */
		memset(&out[k], 0, sizeof(out[k]));
		out[k].start = at[from];
		out[k].end = at[i + 1] - 1;
		out[k].sep_after = i + 1 < nat || t->sep_after;
		k++;
		from = i + 1;
	}
	*n = k;
	return TRUE;
}

static void
split_spaces(struct diag_ctx *c)
{
	struct dtoken out[DIAG_MAX_TOKENS];
	size_t i, n = 0;

	for (i = 0; i < c->ntok; i++) {
		if (split_spaced(c, &c->tok[i], c->ntok - i - 1, out, &n))
			c->spaced = TRUE;
		else
			out[n++] = c->tok[i];
	}
	memcpy(c->tok, out, n * sizeof(*out));
	c->ntok = n;
}

void
grammar_segment(struct diag_ctx *c, size_t pos)
{
	const char *s = c->norm;
	size_t len = strlen(s), i;
	char *kp;
	gunichar *cp;

	tokenize_bounds(c, pos);
	split_spaces(c);
	/* Tokens are disjoint slices of s: their keys take at most
	 * KEY_MAX_BYTES(len) bytes each, their code points no more than
	 * len all together. */
	c->keys = kp = g_malloc(KEY_MAX_BYTES(len) + c->ntok);
	c->chars = cp = g_new(gunichar, len + 1);
	for (i = 0; i < c->ntok; i++) {
		struct dtoken *t = &c->tok[i];
		size_t klen = grammar_key_into(s + t->start, t->end - t->start,
		    kp);

		t->key = kp;
		kp += klen + 1;
		t->probe.key = t->key;
		t->probe.chars = cp;
		t->probe.nchars = grammar_chars_of(t->key, cp, EDIT_MAX_CHARS,
		    &t->probe.sig);
		cp += MIN(t->probe.nchars, EDIT_MAX_CHARS);
		if (*t->key != '\0')
			t->exact = GPOINTER_TO_UINT(g_hash_table_lookup(
			    c->g->slot_keys, t->key));
	}
}
