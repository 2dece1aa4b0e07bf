/*
 * grammar_match: a subject or file name normalised, matched against the
 * grammar's pattern, and the result built from what matched, or from the
 * diagnosis when nothing did.  See grammar-private.h.
 */
#include <string.h>

#include "grammar-private.h"
#include "mail_limits.h"
#include "normalize.h"

/* Longest file-name extension split off before matching. */
#define EXTENSION_MAX_BYTES	10

/* ------------------------------------------------------------------ */
/* results */

static struct grammar_result *
result_new(void)
{
	struct grammar_result *r = g_new0(struct grammar_result, 1);

	r->fields = g_array_new(FALSE, TRUE, sizeof(struct rfield));
	r->codes = g_ptr_array_new_with_free_func(g_free);
	r->lines = g_ptr_array_new_with_free_func(g_free);
	return r;
}

void
grammar_result_free(struct grammar_result **rp)
{
	struct grammar_result *r = *rp;
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->fields->len; i++) {
		struct rfield *f = &g_array_index(r->fields, struct rfield, i);

		g_free(f->name);
		g_free(f->value);
		g_free(f->original);
	}
	g_array_free(r->fields, TRUE);
	g_ptr_array_free(r->codes, TRUE);
	g_ptr_array_free(r->lines, TRUE);
	g_free(r->diagnostics);
	g_free(r->correction);
	g_free(r->extension);
	g_free(r->normalized);
	g_free(r);
	*rp = NULL;
}

bool
grammar_result_has_diag(const struct grammar_result *r, const char *code)
{
	size_t i;

	for (i = 0; i < r->codes->len; i++)
		if (strcmp(g_ptr_array_index(r->codes, i), code) == 0)
			return TRUE;
	return FALSE;
}

/* Takes ownership of message (may be NULL). */
void
grammar_result_add_diag(struct grammar_result *r, const char *kind,
    const char *field, char *message)
{
	char *code = field == NULL ? g_strdup(kind) :
	    g_strconcat(kind, ":", field, NULL);

	if (grammar_result_has_diag(r, code)) {
		/* said once is enough */
		g_free(code);
		g_free(message);
		return;
	}
	g_ptr_array_add(r->codes, code);
	if (message != NULL)
		g_ptr_array_add(r->lines, message);
}

/* Takes ownership of message. */
void
grammar_result_add_line(struct grammar_result *r, char *message)
{
	g_ptr_array_add(r->lines, message);
}

static void
result_field(struct grammar_result *r, const char *name, char *value,
    char *original)
{
	struct rfield f;

	f.name = g_strdup(name);
	f.value = value;
	f.original = original;
	g_array_append_val(r->fields, f);
}

size_t
grammar_result_field_count(const struct grammar_result *r)
{
	return r->fields->len;
}

void
grammar_result_field(const struct grammar_result *r, size_t i,
    const char **name_r, const char **value_r, const char **original_r)
{
	const struct rfield *f;

	g_assert(i < r->fields->len);
	f = &g_array_index(r->fields, struct rfield, i);
	if (name_r != NULL)
		*name_r = f->name;
	if (value_r != NULL)
		*value_r = f->value;
	if (original_r != NULL)
		*original_r = f->original;
}

const char *
grammar_result_get(const struct grammar_result *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->fields->len; i++) {
		const struct rfield *f =
		    &g_array_index(r->fields, struct rfield, i);

		if (strcmp(f->name, name) == 0)
			return f->value;
	}
	return NULL;
}

const char *
grammar_result_extension(const struct grammar_result *r)
{
	return r->extension;
}

const char *
grammar_result_normalized(const struct grammar_result *r)
{
	return r->normalized;
}

size_t
grammar_result_diag_count(const struct grammar_result *r)
{
	return r->codes->len;
}

const char *
grammar_result_diag_code(const struct grammar_result *r, size_t i)
{
	g_assert(i < r->codes->len);
	return g_ptr_array_index(r->codes, i);
}

const char *
grammar_result_diagnostics(const struct grammar_result *r)
{
	return r->matched ? NULL : r->diagnostics;
}

const char *
grammar_result_correction(const struct grammar_result *r)
{
	return r->matched ? NULL : r->correction;
}

/* ------------------------------------------------------------------ */
/* matching */

/* The lines, the text to copy, the format and the example. */
static void
finish_diagnostics(const struct grammar *g, struct grammar_result *r)
{
	size_t i, total, n, extlen = r->extension != NULL ?
	    strlen(r->extension) : 0;
	char *s, *p, *fix = NULL;

	if (r->correction != NULL)
		fix = g_strdup_printf("请将%s改为：%s\n", grammar_what(g),
		    r->correction);
	total = g->diag_tail_len + 3 + extlen + (fix != NULL ? strlen(fix) : 0);
	for (i = 0; i < r->lines->len; i++)
		total += strlen(g_ptr_array_index(r->lines, i)) + 1;
	p = s = g_malloc(total);
	for (i = 0; i < r->lines->len; i++) {
		const char *line = g_ptr_array_index(r->lines, i);

		n = strlen(line);
		memcpy(p, line, n);
		p += n;
		*p++ = '\n';
	}
	if (fix != NULL) {
		n = strlen(fix);
		memcpy(p, fix, n);
		p += n;
		g_free(fix);
	}
	memcpy(p, g->diag_tail, g->diag_tail_len);
	p += g->diag_tail_len;
	if (g->example0 != NULL) {
		if (r->extension != NULL) {
			*p++ = '.';
			memcpy(p, r->extension, extlen);
			p += extlen;
		}
		*p++ = '\n';
	}
	*p = '\0';
	r->diagnostics = s;
}

/* "name.mp4" -> "mp4": a final dot followed by 1-10 ASCII letters or
 * digits; NULL otherwise ("第1.5版" keeps its dot). */
static const char *
find_extension(const char *name, size_t len)
{
	size_t i = len;

	while (i > 0 && len - i <= EXTENSION_MAX_BYTES &&
	    g_ascii_isalnum(name[i - 1]))
		i--;
	if (i == 0 || i == len || name[i - 1] != '.' ||
	    len - i > EXTENSION_MAX_BYTES)
		return NULL;
	return name + i;
}

static void
take_fields(const struct grammar *g, const char *norm,
    const struct normalize_map *map, const char *input,
    const PCRE2_SIZE *ov, uint32_t npairs, struct grammar_result *r)
{
	bool seen[GRAMMAR_MAX_FIELDS] = { FALSE };
	uint32_t gi;

	for (gi = 1; gi < npairs && gi <= g->ngroups; gi++) {
		int fi = g->group_field[gi];
		const struct gfield *f;
		size_t os, oe;
		char *v, *canon;
		enum vcheck vc;

		if (fi < 0 || (size_t)fi >= g->nfields || seen[fi] ||
		    ov[2 * gi] == PCRE2_UNSET)
			continue;
		seen[fi] = TRUE;
		f = &g->fields[fi];
		v = slice(norm, ov[2 * gi], ov[2 * gi + 1]);
		g_strstrip(v);
		vc = gfield_check_value(f, v, &canon);
		if (vc != V_OK) {
			grammar_diag_value(r, f, v, vc);
			canon = g_strdup(v);
		}
		normalize_map_span(map, ov[2 * gi], ov[2 * gi + 1], &os, &oe);
		result_field(r, f->name, canon, slice(input, os, oe));
		g_free(v);
	}
	/* a required field left unset by an author's pattern */
	for (gi = 0; gi < g->nfields; gi++)
		if (!seen[gi] && !g->fields[gi].optional)
			grammar_result_add_diag(r, "missing",
			    g->fields[gi].name, g_strconcat("缺少“",
			    g->fields[gi].name, "”。", NULL));
}

static void
correction_extension(struct grammar_result *r, const char *ext)
{
	char *with = g_strconcat(r->correction, ".", ext, NULL);

	g_free(r->correction);
	r->correction = with;
	/* too long to be taken: the correction would be refused */
	if (strlen(with) > LIMIT_SUBJECT_BYTES)
		g_clear_pointer(&r->correction, g_free);
}

/* Every field the pattern set takes its value, and no required one is
 * left unset: what take_fields() would find no fault with. */
static bool
fields_valid(const struct grammar *g, const char *norm,
    const PCRE2_SIZE *ov, uint32_t npairs)
{
	bool seen[GRAMMAR_MAX_FIELDS] = { FALSE };
	uint32_t gi;

	for (gi = 1; gi < npairs && gi <= g->ngroups; gi++) {
		int fi = g->group_field[gi];
		char *v, *canon;
		enum vcheck vc;

		if (fi < 0 || (size_t)fi >= g->nfields || seen[fi] ||
		    ov[2 * gi] == PCRE2_UNSET)
			continue;
		seen[fi] = TRUE;
		v = g_strstrip(slice(norm, ov[2 * gi], ov[2 * gi + 1]));
		vc = gfield_check_value(&g->fields[fi], v, &canon);
		g_free(canon);
		g_free(v);
		if (vc != V_OK)
			return FALSE;
	}
	for (gi = 0; gi < g->nfields; gi++)
		if (!seen[gi] && !g->fields[gi].optional)
			return FALSE;
	return TRUE;
}

bool
grammar_accepts(const struct grammar *g, const char *text, bool extension)
{
	char *norm = normalize_text(text, g->target == GRAMMAR_SUBJECT ?
	    NORMALIZE_STRIP_REPLY : 0);
	pcre2_match_data *md = pcre2_match_data_create(g->ngroups + 1, NULL);
	/* A stem that would lose its end as an extension ("…-v1.2"), were
	 * no extension put after it, is not the text it seems. */
	bool cut = g->target == GRAMMAR_FILENAME && !extension &&
	    find_extension(text, strlen(text)) != NULL;
	bool ok = FALSE;

	/* its own match data: the caller's may still be in use */
	if (!cut && md != NULL && strlen(text) <= LIMIT_SUBJECT_BYTES &&
	    pcre2_match(g->code, (PCRE2_SPTR)norm, strlen(norm), 0, 0, md,
	    g->mctx) >= 0)
		ok = fields_valid(g, norm, pcre2_get_ovector_pointer(md),
		    pcre2_get_ovector_count(md));
	pcre2_match_data_free(md);
	g_free(norm);
	return ok;
}

static void
match_data_free(gpointer md)
{
	pcre2_match_data_free(md);
}

/* pcre2_match() keeps its backtracking frames in the match data and
 * allocates them on first use: rather than a match data (and frames) for
 * every text, each thread keeps one, sized for the grammar with the
 * most groups it has matched, and frees it when the thread ends.  A
 * grammar stays immutable, so grammar_match() stays safe to run from
 * several threads at once. */
static GPrivate thread_md = G_PRIVATE_INIT(match_data_free);

static pcre2_match_data *
thread_match_data(const struct grammar *g)
{
	pcre2_match_data *md = g_private_get(&thread_md);

	if (md == NULL || pcre2_get_ovector_count(md) < g->ngroups + 1) {
		md = pcre2_match_data_create(g->ngroups + 1, NULL);
		/* out of memory: pcre2_match() then says so */
		if (md == NULL)
			return NULL;
		/* frees the smaller one */
		g_private_replace(&thread_md, md);
	}
	return md;
}

int
grammar_match(const struct grammar *g, const char *text,
    struct grammar_result **result_r, char **error_r)
{
	struct grammar_result *r;
	struct normalize_map *map = NULL;
	pcre2_match_data *md;
	const char *ext;
	size_t len, stem;
	int rc;

	*result_r = NULL;
	r = result_new();
	if (text == NULL)
		text = "";
	len = strlen(text);
	if (len > LIMIT_SUBJECT_BYTES) {
		grammar_result_add_diag(r, "too-long", NULL, g_strdup_printf(
		    "%s太长：%zu字节，最多%d字节。", grammar_what(g), len,
		    LIMIT_SUBJECT_BYTES));
		finish_diagnostics(g, r);
		*result_r = r;
		return 0;
	}
	stem = len;
	if (g->target == GRAMMAR_FILENAME &&
	    (ext = find_extension(text, len)) != NULL) {
		r->extension = g_ascii_strdown(ext, -1);
		stem = (size_t)(ext - text) - 1;
	}
	r->normalized = normalize_text_len(text, stem,
	    g->target == GRAMMAR_SUBJECT ? NORMALIZE_STRIP_REPLY : 0, &map);
	if (*r->normalized == '\0') {
		grammar_result_add_diag(r, "empty", NULL,
		    g_strconcat(grammar_what(g), "是空的。", NULL));
		finish_diagnostics(g, r);
		normalize_map_free(&map);
		*result_r = r;
		return 0;
	}
	md = thread_match_data(g);
	rc = pcre2_match(g->code, (PCRE2_SPTR)r->normalized,
	    strlen(r->normalized), 0, 0, md, g->mctx);
	if (rc == PCRE2_ERROR_NOMATCH) {
		grammar_diagnose(g, r->normalized, r);
		/* the extension as typed: the name people copy is theirs */
		if (r->correction != NULL && stem < len)
			correction_extension(r, text + stem + 1);
	} else if (rc < 0) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(rc, msg, sizeof(msg));
		*error_r = g_strdup_printf("matching %s: %s", grammar_what(g),
		    (const char *)msg);
		normalize_map_free(&map);
		grammar_result_free(&r);
		return -1;
	} else {
		take_fields(g, r->normalized, map, text,
		    pcre2_get_ovector_pointer(md),
		    pcre2_get_ovector_count(md), r);
	}
	normalize_map_free(&map);
	if (r->codes->len == 0) {
		r->matched = TRUE;
		*result_r = r;
		return 1;
	}
	finish_diagnostics(g, r);
	*result_r = r;
	return 0;
}
