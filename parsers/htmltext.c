/*
 * htmltext: see include/htmltext.h.  One pass over the bytes: text
 * between tags is decoded into the document's text, tags are read for
 * their name and the few attributes anchors need.
 */
#include <string.h>

#include <glib.h>

#include "htmltext.h"

/* Bytes of one anchor's text kept in the document's anchor (the rest is
 * still text): a file name, not an essay. */
#define HTMLTEXT_ANCHOR_TEXT	1024

struct htmltext {
	GString *text;
	GArray *anchors;		/* struct htmltext_anchor */
	GPtrArray *owned;
	GArray *quoted;			/* size_t pairs: [start, end) */
	size_t max_anchors;
	/* while parsing */
	unsigned blockquote;		/* depth */
	size_t quote_start;
	bool rest_quoted;		/* after a reply separator */
	bool in_anchor;
	struct htmltext_anchor open;
	bool space;			/* a collapsed space is owed */
};

static const struct {
	const char *name;
	const char *text;
} entities[] = {
	{ "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" },
	{ "apos", "'" }, { "nbsp", " " }, { "ensp", " " }, { "emsp", " " },
	{ "thinsp", " " }, { "middot", "·" }, { "ldquo", "“" },
	{ "rdquo", "”" }, { "lsquo", "‘" }, { "rsquo", "’" },
	{ "mdash", "—" }, { "ndash", "–" }, { "hellip", "…" },
	{ "times", "×" }, { "copy", "©" }, { "reg", "®" },
};

/* Elements whose start or end begins a new line of text. */
static const char *const block_tags[] = {
	"div", "p", "br", "tr", "li", "table", "h1", "h2", "h3", "h4", "h5",
	"h6", "ul", "ol", "blockquote", "hr", "center", "pre", "dt", "dd",
	NULL,
};

/* Elements whose content is not text at all. */
static const char *const skip_tags[] = {
	"style", "script", "head", "title", "xml", NULL,
};

static const char *
own(struct htmltext *d, char *s)
{
	g_ptr_array_add(d->owned, s);
	return s;
}

/* One entity at s (after the '&'), its text appended to out; the bytes it
 * took, or 0 when it is none (the '&' is then text). */
static size_t
entity_decode(const char *s, size_t len, GString *out)
{
	size_t i, n;

	if (len > 1 && s[0] == '#') {
		bool hex = len > 2 && (s[1] == 'x' || s[1] == 'X');
		gunichar c = 0;

		for (i = hex ? 2 : 1; i < len && i < 12 &&
		    (hex ? g_ascii_isxdigit(s[i]) : g_ascii_isdigit(s[i])); i++)
			c = c * (hex ? 16 : 10) + (gunichar)(hex ?
			    g_ascii_xdigit_value(s[i]) :
			    g_ascii_digit_value(s[i]));
		if (i == (hex ? 2u : 1u))
			return 0;
		if (c == 0 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			c = 0xfffd;
		if (c == 0xa0)
			c = ' ';
		g_string_append_unichar(out, c);
		return i < len && s[i] == ';' ? i + 1 : i;
	}
	for (i = 0; i < G_N_ELEMENTS(entities); i++) {
		n = strlen(entities[i].name);
		if (len >= n && memcmp(s, entities[i].name, n) == 0) {
			g_string_append(out, entities[i].text);
			return len > n && s[n] == ';' ? n + 1 : n;
		}
	}
	return 0;
}

/* s..len decoded (entities), whitespace kept as it is. */
static char *
decode(const char *s, size_t len)
{
	GString *out = g_string_sized_new(len);
	size_t i = 0, n;

	while (i < len) {
		if (s[i] == '&' && (n = entity_decode(s + i + 1, len - i - 1,
		    out)) > 0) {
			i += n + 1;
			continue;
		}
		g_string_append_c(out, s[i++]);
	}
	return g_string_free(out, FALSE);
}

static void
newline(struct htmltext *d)
{
	d->space = false;
	if (d->text->len > 0 && d->text->str[d->text->len - 1] != '\n')
		g_string_append_c(d->text, '\n');
}

/* Text as a browser shows it: whitespace collapsed. */
static void
append_text(struct htmltext *d, const char *s)
{
	for (; *s != '\0'; s++) {
		if (g_ascii_isspace(*s)) {
			d->space = true;
			continue;
		}
		if (d->space && d->text->len > 0 &&
		    d->text->str[d->text->len - 1] != '\n')
			g_string_append_c(d->text, ' ');
		d->space = false;
		g_string_append_c(d->text, *s);
	}
}

bool
htmltext_is_separator(const char *text, size_t len)
{
	g_autofree char *s = g_strndup(text, len);

	if (strstr(s, "---") == NULL)
		return false;
	return strstr(s, "原始邮件") != NULL || strstr(s, "回复的原邮件") != NULL ||
	    strstr(s, "Original Message") != NULL ||
	    strstr(s, "Original") != NULL;
}

static void
quote_begin(struct htmltext *d)
{
	d->quote_start = d->text->len;
}

static void
quote_end(struct htmltext *d)
{
	g_array_append_val(d->quoted, d->quote_start);
	g_array_append_val(d->quoted, d->text->len);
}

static bool
quoted_now(const struct htmltext *d)
{
	return d->blockquote > 0 || d->rest_quoted;
}

/* The text between two tags. */
static void
text_run(struct htmltext *d, const char *s, size_t len)
{
	g_autofree char *t = decode(s, len);

	if (!d->rest_quoted && htmltext_is_separator(t, strlen(t))) {
		newline(d);
		d->rest_quoted = true;
		if (d->blockquote == 0)
			quote_begin(d);
	}
	append_text(d, t);
}

struct tag {
	char name[16];
	bool closing;
	char *href, *filename, *filesize, *expiretime, *title;
};

static void
tag_clear(struct tag *t)
{
	g_free(t->href);
	g_free(t->filename);
	g_free(t->filesize);
	g_free(t->expiretime);
	g_free(t->title);
	memset(t, 0, sizeof(*t));
}

static void
tag_attr(struct tag *t, const char *name, size_t nlen, const char *v,
    size_t vlen)
{
	static const struct {
		const char *name;
		size_t off;
	} wanted[] = {
		{ "href", offsetof(struct tag, href) },
		{ "filename", offsetof(struct tag, filename) },
		{ "filesize", offsetof(struct tag, filesize) },
		{ "expiretime", offsetof(struct tag, expiretime) },
		{ "title", offsetof(struct tag, title) },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(wanted); i++) {
		char **slot = (char **)((char *)t + wanted[i].off);

		if (strlen(wanted[i].name) == nlen &&
		    g_ascii_strncasecmp(name, wanted[i].name, nlen) == 0 &&
		    *slot == NULL) {
			*slot = decode(v, vlen);
			return;
		}
	}
}

/* The tag at s (after '<') up to its '>'; the bytes it took, with the
 * '>', or 0 when it is no tag (the '<' is text). */
static size_t
tag_read(const char *s, size_t len, struct tag *t)
{
	size_t i = 0, n = 0;

	memset(t, 0, sizeof(*t));
	if (i < len && s[i] == '/') {
		t->closing = true;
		i++;
	}
	if (i >= len || !g_ascii_isalpha(s[i]))
		return 0;
	while (i < len && (g_ascii_isalnum(s[i]) || s[i] == ':' ||
	    s[i] == '-')) {
		if (n + 1 < sizeof(t->name))
			t->name[n++] = g_ascii_tolower(s[i]);
		i++;
	}
	while (i < len && s[i] != '>') {
		const char *an, *av = NULL;
		size_t al, vl = 0;

		if (g_ascii_isspace(s[i]) || s[i] == '/') {
			i++;
			continue;
		}
		an = s + i;
		while (i < len && !g_ascii_isspace(s[i]) && s[i] != '=' &&
		    s[i] != '>')
			i++;
		al = (size_t)(s + i - an);
		while (i < len && g_ascii_isspace(s[i]))
			i++;
		if (i < len && s[i] == '=') {
			i++;
			while (i < len && g_ascii_isspace(s[i]))
				i++;
			if (i < len && (s[i] == '"' || s[i] == '\'')) {
				char q = s[i++];

				av = s + i;
				while (i < len && s[i] != q)
					i++;
				vl = (size_t)(s + i - av);
				if (i < len)
					i++;
			} else {
				av = s + i;
				while (i < len && !g_ascii_isspace(s[i]) &&
				    s[i] != '>')
					i++;
				vl = (size_t)(s + i - av);
			}
		}
		if (al > 0 && av != NULL)
			tag_attr(t, an, al, av, vl);
		if (al == 0)
			i++;
	}
	return i < len ? i + 1 : len;
}

static void
anchor_close(struct htmltext *d)
{
	if (!d->in_anchor)
		return;
	d->in_anchor = false;
	d->open.end = d->text->len;
	if (d->open.end - d->open.start > HTMLTEXT_ANCHOR_TEXT)
		d->open.end = d->open.start + HTMLTEXT_ANCHOR_TEXT;
	g_array_append_val(d->anchors, d->open);
}

static void
anchor_open(struct htmltext *d, struct tag *t)
{
	struct htmltext_anchor a = { 0 };

	anchor_close(d);
	if (t->href == NULL || d->anchors->len >= d->max_anchors)
		return;
	a.href = own(d, g_strdup(g_strstrip(t->href)));
	a.filename = t->filename ? own(d, g_steal_pointer(&t->filename)) : NULL;
	a.filesize = t->filesize ? own(d, g_steal_pointer(&t->filesize)) : NULL;
	a.expiretime = t->expiretime ?
	    own(d, g_steal_pointer(&t->expiretime)) : NULL;
	a.title = t->title ? own(d, g_steal_pointer(&t->title)) : NULL;
	a.quoted = quoted_now(d);
	/* A space owed before the anchor's text stays outside it. */
	if (d->space && d->text->len > 0 &&
	    d->text->str[d->text->len - 1] != '\n')
		g_string_append_c(d->text, ' ');
	d->space = false;
	a.start = d->text->len;
	d->open = a;
	d->in_anchor = true;
}

/* Where the element skipped from s ends (after its end tag), or len. */
static size_t
skip_element(const char *s, size_t len, const char *name)
{
	g_autofree char *end = g_strdup_printf("</%s", name);
	size_t n = strlen(end), i;

	for (i = 0; i + n <= len; i++) {
		if (s[i] == '<' && g_ascii_strncasecmp(s + i, end, n) == 0) {
			const char *gt = memchr(s + i, '>', len - i);

			return gt != NULL ? (size_t)(gt - s) + 1 : len;
		}
	}
	return (size_t)-1;
}

static void
tag_apply(struct htmltext *d, struct tag *t)
{
	if (strcmp(t->name, "a") == 0) {
		if (t->closing)
			anchor_close(d);
		else
			anchor_open(d, t);
		return;
	}
	if (strcmp(t->name, "blockquote") == 0) {
		if (!t->closing && d->blockquote++ == 0 && !d->rest_quoted)
			quote_begin(d);
		else if (t->closing && d->blockquote > 0 &&
		    --d->blockquote == 0 && !d->rest_quoted)
			quote_end(d);
	}
	if (g_strv_contains(block_tags, t->name))
		newline(d);
	/* QQ Mail's cloud attachment: name, size and expiry in a title. */
	if (!t->closing && t->title != NULL && *t->title != '\0') {
		newline(d);
		g_string_append(d->text, t->title);
		newline(d);
	}
}

struct htmltext *
htmltext_parse(const char *html, size_t len, size_t max_anchors)
{
	struct htmltext *d = g_new0(struct htmltext, 1);
	const char *nul = memchr(html, '\0', len);
	size_t i = 0, run = 0, n;

	if (nul != NULL)
		len = (size_t)(nul - html);
	d->text = g_string_sized_new(len / 2 + 16);
	d->anchors = g_array_new(FALSE, TRUE, sizeof(struct htmltext_anchor));
	d->quoted = g_array_new(FALSE, FALSE, sizeof(size_t));
	d->owned = g_ptr_array_new_with_free_func(g_free);
	d->max_anchors = max_anchors;
	while (i < len) {
		struct tag t;

		if (html[i] != '<') {
			i++;
			continue;
		}
		text_run(d, html + run, i - run);
		if (len - i >= 4 && memcmp(html + i, "<!--", 4) == 0) {
			const char *end = g_strstr_len(html + i + 4,
			    (gssize)(len - i - 4), "-->");

			i = end != NULL ? (size_t)(end - html) + 3 : len;
		} else if (len - i >= 2 && (html[i + 1] == '!' ||
		    html[i + 1] == '?')) {
			const char *gt = memchr(html + i, '>', len - i);

			i = gt != NULL ? (size_t)(gt - html) + 1 : len;
		} else if ((n = tag_read(html + i + 1, len - i - 1, &t)) > 0) {
			i += n + 1;
			if (!t.closing && g_strv_contains(skip_tags, t.name)) {
				size_t s = skip_element(html + i, len - i,
				    t.name);

				/* <head> unclosed: the body is still read */
				if (s != (size_t)-1)
					i += s;
				else if (strcmp(t.name, "head") != 0)
					i = len;
			} else {
				tag_apply(d, &t);
			}
			tag_clear(&t);
		} else {
			/* a stray '<' is text */
			run = i;
			i++;
			continue;
		}
		run = i;
	}
	text_run(d, html + run, len - run);
	anchor_close(d);
	if (d->blockquote > 0 && !d->rest_quoted)
		quote_end(d);
	if (d->rest_quoted) {
		g_array_append_val(d->quoted, d->quote_start);
		g_array_append_val(d->quoted, d->text->len);
	}
	return d;
}

void
htmltext_free(struct htmltext **dp)
{
	struct htmltext *d = *dp;

	if (d == NULL)
		return;
	g_string_free(d->text, TRUE);
	g_array_free(d->anchors, TRUE);
	g_array_free(d->quoted, TRUE);
	g_ptr_array_free(d->owned, TRUE);
	g_free(d);
	*dp = NULL;
}

const char *
htmltext_text(const struct htmltext *d, size_t *len_r)
{
	if (len_r != NULL)
		*len_r = d->text->len;
	return d->text->str;
}

size_t
htmltext_anchor_count(const struct htmltext *d)
{
	return d->anchors->len;
}

const struct htmltext_anchor *
htmltext_anchor(const struct htmltext *d, size_t i)
{
	return i < d->anchors->len ? &g_array_index(d->anchors,
	    struct htmltext_anchor, i) : NULL;
}

bool
htmltext_quoted_at(const struct htmltext *d, size_t offset)
{
	size_t i;

	for (i = 0; i + 1 < d->quoted->len; i += 2)
		if (offset >= g_array_index(d->quoted, size_t, i) &&
		    offset < g_array_index(d->quoted, size_t, i + 1))
			return true;
	return false;
}
