/*
 * grammar_field: the fields of a grammar, built from a campaign's field
 * specs, and the one check of a value against a field that matching and
 * the diagnosis share.  See grammar-private.h.
 */
#include <string.h>

#include "grammar-private.h"
#include "normalize.h"

/* ------------------------------------------------------------------ */
/* fields */

void
gfield_clear(struct gfield *f)
{
	size_t i;

	g_free(f->name);
	g_strfreev(f->values);
	g_strfreev(f->examples);
	g_strfreev(f->open);
	g_strfreev(f->open_keys);
	g_strfreev(f->prefixes);
	if (f->lookup != NULL)
		g_hash_table_destroy(f->lookup);
	for (i = 0; i < f->nkeys; i++) {
		g_free(f->keys[i].key);
		g_free(f->keys[i].chars);
	}
	g_free(f->keys);
	memset(f, 0, sizeof(*f));
}

static guint64
chars_sig(const gunichar *chars, size_t n)
{
	guint64 sig = 0;
	size_t i;

	for (i = 0; i < n; i++)
		sig |= char_sig(chars[i]);
	return sig;
}

static void
field_add_key(struct gfield *f, const char *text, const char *canonical,
    GString *err)
{
	char *key = normalize_text(text, NORMALIZE_KEY);
	const char *old;
	glong clen;

	if (*key == '\0') {
		g_string_append_printf(err, "field %s: empty value\n", f->name);
		g_free(key);
		return;
	}
	old = g_hash_table_lookup(f->lookup, key);
	if (old != NULL) {
		if (strcmp(old, canonical) != 0)
			g_string_append_printf(err, "field %s: \"%s\" means "
			    "both \"%s\" and \"%s\"\n", f->name, text, old,
			    canonical);
		else if (strcmp(text, canonical) == 0)
			g_string_append_printf(err, "field %s: value \"%s\" "
			    "listed twice\n", f->name, text);
		g_free(key);
		return;
	}
	g_hash_table_insert(f->lookup, key, (gpointer)canonical);
	f->keys = g_renew(struct gkey, f->keys, f->nkeys + 1);
	f->keys[f->nkeys].key = g_strdup(key);
	f->keys[f->nkeys].canonical = canonical;
	f->keys[f->nkeys].chars = g_utf8_to_ucs4_fast(key, -1, &clen);
	f->keys[f->nkeys].nchars = (size_t)clen;
	f->keys[f->nkeys].sig = chars_sig(f->keys[f->nkeys].chars,
	    (size_t)clen);
	f->keys_sig |= f->keys[f->nkeys].sig;
	f->nkeys++;
}

/* The open globs of a unit field; "**" is "*". */
static void
field_open(struct gfield *f, const struct grammar_field_spec *s)
{
	size_t i, n = 0;

	f->open = g_new0(char *, s->open_count + 1);
	f->open_keys = g_new0(char *, s->open_count + 1);
	for (i = 0; i < s->open_count; i++) {
		char *key = normalize_text(s->open[i], NORMALIZE_KEY), *p;

		while ((p = strstr(key, "**")) != NULL)
			memmove(p, p + 1, strlen(p + 1) + 1);
		if (*key == '\0') {
			g_free(key);
			continue;
		}
		if (strcmp(key, "*") == 0)
			f->open_any = TRUE;
		f->open[n] = normalize_text(s->open[i], 0);
		f->open_keys[n++] = key;
	}
	f->nopen = n;
}

/* What an alias puts before its unit's name: "中共常州市" of
 * 中共常州市金坛区委组织部 for 金坛区委组织部. */
static void
field_prefixes(struct gfield *f)
{
	GPtrArray *a = g_ptr_array_new();
	size_t i, kl, cl;

	for (i = 0; i < f->nkeys; i++) {
		char *ckey = normalize_text(f->keys[i].canonical,
		    NORMALIZE_KEY);
		char *pre;

		kl = strlen(f->keys[i].key);
		cl = strlen(ckey);
		if (kl > cl && strcmp(f->keys[i].key + kl - cl, ckey) == 0) {
			pre = g_strndup(f->keys[i].key, kl - cl);
			if (g_ptr_array_find_with_equal_func(a, pre,
			    g_str_equal, NULL))
				g_free(pre);
			else
				g_ptr_array_add(a, pre);
		}
		g_free(ckey);
	}
	f->nprefixes = a->len;
	g_ptr_array_add(a, NULL);
	f->prefixes = (char **)g_ptr_array_free(a, FALSE);
}

void
gfield_init(struct gfield *f, const struct grammar_field_spec *s,
    GString *err)
{
	size_t i;

	memset(f, 0, sizeof(*f));
	f->name = g_strdup(s->name);
	f->type = s->type;
	f->optional = s->optional;
	f->has_min = s->has_min;
	f->has_max = s->has_max;
	f->min = s->min;
	f->max = s->max;
	f->lookup = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    NULL);
	f->values = g_new0(char *, s->value_count + 1);
	for (i = 0; i < s->value_count; i++)
		f->values[i] = normalize_text(s->values[i], 0);
	f->nvalues = s->value_count;
	for (i = 0; i < f->nvalues; i++)
		field_add_key(f, f->values[i], f->values[i], err);
	for (i = 0; i < s->alias_count; i++) {
		const char *alias = s->aliases[2 * i];
		char *ckey = normalize_text(s->aliases[2 * i + 1],
		    NORMALIZE_KEY);
		const char *canon = g_hash_table_lookup(f->lookup, ckey);

		g_free(ckey);
		if (canon == NULL) {
			g_string_append_printf(err, "field %s: alias for "
			    "\"%s\", which is not one of its values\n",
			    f->name, s->aliases[2 * i + 1]);
			continue;
		}
		field_add_key(f, alias, canon, err);
	}
	f->examples = g_new0(char *, s->example_count + 1);
	for (i = 0; i < s->example_count; i++)
		f->examples[i] = normalize_text(s->examples[i], 0);
	f->nexamples = s->example_count;
	if (f->type == GRAMMAR_FIELD_UNIT) {
		field_open(f, s);
		field_prefixes(f);
	}
	if (f->type == GRAMMAR_FIELD_ENUM && f->nvalues == 0)
		g_string_append_printf(err, "field %s: an enumeration needs "
		    "values\n", f->name);
	if (f->has_min && f->has_max && f->min > f->max)
		g_string_append_printf(err, "field %s: min %lld is over max "
		    "%lld\n", f->name, f->min, f->max);
}

/* ------------------------------------------------------------------ */
/* value checks, shared by a successful match and the diagnosis */

/* The comparison key of text that is already normalised: NFKC is
 * idempotent, so only case folding and space removal are left, and
 * this is the hot path of every match.  out has KEY_MAX_BYTES(len)
 * bytes; returns the key's length. */
size_t
grammar_key_into(const char *norm, size_t len, char *out)
{
	const char *p = norm, *end = norm + len;
	char *o = out;

	while (p < end) {
		guchar b = (guchar)*p;
		size_t n;
		gunichar c;

		if (b < 0x80) {
			if (b != ' ')
				*o++ = g_ascii_tolower((char)b);
			p++;
			continue;
		}
		c = utf8_char(p, &n);
		if (c >= 0x4E00 && c <= 0x9FFF) {
			/* CJK ideographs have no case (and take three
			 * bytes, too few for memcpy() to pay) */
			o[0] = p[0];
			o[1] = p[1];
			o[2] = p[2];
			o += 3;
		} else {
			o += g_unichar_to_utf8(g_unichar_tolower(c), o);
		}
		p += n;
	}
	*o = '\0';
	return (size_t)(o - out);
}

/* The key of norm[0, len) in stackbuf (KEY_STACK_BYTES) when it fits,
 * else allocated; free with grammar_key_done(). */
char *
grammar_key_make(const char *norm, size_t len, char *stackbuf)
{
	char *key = KEY_MAX_BYTES(len) <= KEY_STACK_BYTES ? stackbuf :
	    g_malloc(KEY_MAX_BYTES(len));

	grammar_key_into(norm, len, key);
	return key;
}

void
grammar_key_done(char *key, char *stackbuf)
{
	if (key != stackbuf)
		g_free(key);
}

static bool
is_name_dot(gunichar c)
{
	return c == 0x00B7 || c == 0x30FB || c == 0x2022 || c == 0x2027 ||
	    c == 0x22C5 || c == 0x2219 || c == '.';
}

/* A person's name: Han characters with an optional middle dot between
 * them, or Latin letters with spaces, dots, hyphens or apostrophes.
 * Returns the canonical form (dots unified to U+00B7) or NULL. */
static char *
name_canonical(const char *v, long long minc, long long maxc)
{
	const char *p;
	GString *s;
	bool han = FALSE, latin = FALSE, last_dot = TRUE;
	long long n = 0;

	s = g_string_new(NULL);
	for (p = v; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		n++;
		if (g_unichar_get_script(c) == G_UNICODE_SCRIPT_HAN &&
		    g_unichar_isalpha(c)) {
			han = TRUE;
			last_dot = FALSE;
			g_string_append_unichar(s, c);
		} else if (g_unichar_get_script(c) == G_UNICODE_SCRIPT_LATIN &&
		    g_unichar_isalpha(c)) {
			latin = TRUE;
			last_dot = FALSE;
			g_string_append_unichar(s, c);
		} else if (is_name_dot(c) && !last_dot) {
			last_dot = TRUE;
			g_string_append_unichar(s, latin && c == '.' ?
			    '.' : 0x00B7);
		} else if ((c == ' ' || c == '-' || c == '\'') && latin &&
		    !last_dot) {
			last_dot = TRUE;
			g_string_append_unichar(s, c);
		} else {
			g_string_free(s, TRUE);
			return NULL;
		}
	}
	if ((han && latin) || (!han && !latin) || (last_dot && han) ||
	    n < minc || n > maxc) {
		g_string_free(s, TRUE);
		return NULL;
	}
	return g_string_free(s, FALSE);
}

/* Whether key fits glob (both keys): "*" is one or more characters
 * other than a separator, so that an open name never reaches over a
 * "-" into the next field.  The loader bounds the stars of a glob. */
static bool
glob_match(const char *glob, const char *key)
{
	const char *p;

	for (; *glob != '\0' && *glob != '*'; glob++, key++)
		if (*key != *glob)
			return FALSE;
	if (*glob == '\0')
		return *key == '\0';
	for (p = key; *p != '\0' && !normalize_is_separator((guchar)*p);) {
		p = g_utf8_next_char(p);
		if (glob_match(glob + 1, p))
			return TRUE;
	}
	return FALSE;
}

bool
gfield_open_match(const struct gfield *f, const char *key)
{
	size_t i;

	for (i = 0; i < f->nopen; i++)
		if (glob_match(f->open_keys[i], key))
			return TRUE;
	return FALSE;
}

/* One check for both paths, so that a value the diagnosis calls wrong
 * is exactly a value the match refuses. */
enum vcheck
gfield_check_value(const struct gfield *f, const char *v, char **canon_r)
{
	long long n, minc;
	const char *canon;
	char kbuf[KEY_STACK_BYTES], *key, *end;

	*canon_r = NULL;
	switch (f->type) {
	case GRAMMAR_FIELD_ENUM:
	case GRAMMAR_FIELD_UNIT:
		if (f->nvalues > 0 || f->nopen > 0) {
			bool open;

			key = grammar_key_make(v, strlen(v), kbuf);
			canon = g_hash_table_lookup(f->lookup, key);
			/* a name off the list is kept as written */
			open = canon == NULL && !f->open_any &&
			    gfield_open_match(f, key);
			grammar_key_done(key, kbuf);
			if (canon != NULL || open) {
				*canon_r = g_strdup(canon != NULL ? canon : v);
				return V_OK;
			}
			if (!f->open_any)
				return f->type == GRAMMAR_FIELD_ENUM ?
				    V_ENUM : V_UNIT;
		}
		/* FALLTHROUGH */
	case GRAMMAR_FIELD_TEXT:
		n = (long long)g_utf8_strlen(v, -1);
		minc = f->has_min ? f->min : 1;
		if (n < minc || n == 0)
			return V_TOO_SHORT;
		if (f->has_max && n > f->max)
			return V_TOO_LONG;
		*canon_r = g_strdup(v);
		return V_OK;
	case GRAMMAR_FIELD_NAME:
		*canon_r = name_canonical(v,
		    f->has_min ? f->min : NAME_MIN_CHARS,
		    f->has_max ? f->max : NAME_MAX_CHARS);
		return *canon_r == NULL ? V_TYPE : V_OK;
	case GRAMMAR_FIELD_INTEGER:
		if (*v == '\0' || strlen(v) > 18 ||
		    strspn(v, "0123456789") != strlen(v))
			return V_TYPE;
		n = g_ascii_strtoll(v, &end, 10);
		if ((f->has_min && n < f->min) || (f->has_max && n > f->max))
			return V_TYPE;
		*canon_r = g_strdup_printf("%lld", n);
		return V_OK;
	}
	return V_TYPE;
}

int
grammar_field_value(const struct grammar *g, const char *name,
    const char *value, char **canonical_r)
{
	g_autofree char *norm = NULL;
	size_t i;

	*canonical_r = NULL;
	for (i = 0; i < g->nfields; i++)
		if (strcmp(g->fields[i].name, name) == 0)
			break;
	if (i == g->nfields)
		return -1;
	/* Normalised as a subject is before it is matched. */
	norm = normalize_text(value, 0);
	if (norm == NULL)
		return 0;
	return gfield_check_value(&g->fields[i], norm, canonical_r) == V_OK;
}
