/* normalize: see include/normalize.h for the rules. */
#include <string.h>

#include "normalize.h"

struct normalize_map {
	/* For every output byte, the input range of the character that
	 * produced it; one extra entry maps the end of the text. */
	size_t *start;
	size_t *end;
	size_t len;
};

struct out {
	char *buf;		/* the normalised text, not NUL-terminated */
	size_t len;
	size_t bufcap;		/* bytes allocated in buf */
	size_t *start;		/* per byte of buf, when want_map */
	size_t *end;
	size_t cap;		/* entries allocated in start and end */
	gunichar last;		/* last character written, 0 at first */
	bool pending_space;
	size_t space_start, space_end;
	bool want_map;
};

bool
normalize_is_separator(gunichar c)
{
	return c == '-' || c == '+' || c == '_';
}

/* Rule 4: characters people type, or input methods produce, for "-".
 * Listed after NFKC, which already turned U+FF0D, U+FE63, U+2011 and
 * U+FE58 into one of these. */
static bool
is_dash(gunichar c)
{
	switch (c) {
	case 0x2010: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
	case 0x2043: case 0x2053: case 0x2212: case 0x2E3A: case 0x2E3B:
	case 0x2500: case 0x2501: case 0x2796: case 0x301C: case 0x3030:
	case 0x2E17: case 0x1806: case '~':
		return TRUE;
	default:
		return FALSE;
	}
}

static bool
is_space(gunichar c)
{
	return c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) ||
	    g_unichar_isspace(c);
}

static inline void
out_put(struct out *o, gunichar c, size_t os, size_t oe)
{
	size_t i, at = o->len;
	int n;

	/* room for the longest UTF-8 sequence and a final NUL */
	if (at + 7 > o->bufcap) {
		o->bufcap = MAX(o->bufcap * 2, at + 7);
		o->buf = g_realloc(o->buf, o->bufcap);
	}
	if (c < 0x80) {
		o->buf[at] = (char)c;
		n = 1;
	} else {
		n = g_unichar_to_utf8(c, o->buf + at);
	}
	o->len += (size_t)n;
	o->last = c;
	if (!o->want_map)
		return;
	if (at + (size_t)n > o->cap) {
		o->cap = MAX(o->cap * 2, at + (size_t)n + 64);
		o->start = g_renew(size_t, o->start, o->cap);
		o->end = g_renew(size_t, o->end, o->cap);
	}
	for (i = 0; i < (size_t)n; i++) {
		o->start[at + i] = os;
		o->end[at + i] = oe;
	}
}

/* Characters that are neither format characters, dashes, white space
 * nor cased: ASCII letters, digits and most punctuation, and the CJK
 * ideographs.  Rules 3, 4 and 7's case folding skip GLib's tables for
 * them, which is most of every subject. */
static bool
plain_char(gunichar c)
{
	return (c > 0x20 && c < 0x7F && c != '~' && !g_ascii_isupper(c)) ||
	    (c >= 0x4E00 && c <= 0x9FFF);
}

/* Rules 3-5 for one character of NFKC output. */
static void
out_char(struct out *o, gunichar c, size_t os, size_t oe, unsigned flags)
{
	gunichar last;

	if (plain_char(c) && !normalize_is_separator(c)) {
		if (o->pending_space) {
			o->pending_space = FALSE;
			out_put(o, ' ', o->space_start, o->space_end);
		}
		out_put(o, c, os, oe);
		return;
	}
	if (g_unichar_type(c) == G_UNICODE_FORMAT)
		return;
	if (is_dash(c))
		c = '-';
	if (is_space(c)) {
		if ((flags & NORMALIZE_NO_SPACE) != 0)
			return;
		last = o->last;
		if (last == 0 || normalize_is_separator(last))
			return;
		if (!o->pending_space) {
			o->pending_space = TRUE;
			o->space_start = os;
		}
		o->space_end = oe;
		return;
	}
	if (normalize_is_separator(c)) {
		o->pending_space = FALSE;
		if (c == '-' && o->last == '-') {
			if (o->want_map)
				o->end[o->len - 1] = oe;
			return;
		}
	} else if (o->pending_space) {
		o->pending_space = FALSE;
		out_put(o, ' ', o->space_start, o->space_end);
	}
	if ((flags & NORMALIZE_FOLD_CASE) != 0)
		c = g_unichar_tolower(c);
	out_put(o, c, os, oe);
}

/* Characters NFKC provably leaves alone, so the common case of ASCII and
 * CJK ideographs skips g_utf8_normalize()'s allocation. */
static bool
nfkc_stable(gunichar c)
{
	return c < 0x80 || (c >= 0x4E00 && c <= 0x9FFF);
}

static gunichar
next_char(const char *p, const char *end, size_t *nbytes_r)
{
	gunichar c;

	const guchar *u = (const guchar *)p;

	if (u[0] < 0x80) {
		*nbytes_r = 1;
		/* an embedded NUL: a control character, i.e. white space */
		return u[0] == '\0' ? ' ' : u[0];
	}
	/* a well-formed three-byte sequence (CJK and most punctuation),
	 * decoded here; anything else is GLib's to judge */
	if (u[0] >= 0xE0 && u[0] <= 0xEF && end - p >= 3 &&
	    (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80 &&
	    (u[0] != 0xE0 || u[1] >= 0xA0) &&
	    (u[0] != 0xED || u[1] < 0xA0)) {
		*nbytes_r = 3;
		return ((gunichar)(u[0] & 0x0F) << 12) |
		    ((gunichar)(u[1] & 0x3F) << 6) | (u[2] & 0x3F);
	}
	c = g_utf8_get_char_validated(p, end - p);
	if (c == (gunichar)-1 || c == (gunichar)-2) {
		*nbytes_r = 1;
		return 0xFFFD;
	}
	*nbytes_r = g_utf8_skip[*(const guchar *)p];
	return c;
}

/* Rule 6: a leading "Re:", "回复：", "Re[2]:"... at p, or NULL. */
static const char *
skip_reply_prefix(const char *p)
{
	static const char *const words[] = {
		"re", "fw", "fwd", "回复", "答复", "转发", "aw", "wg", "sv",
	};
	size_t i, n;
	const char *q;

	for (i = 0; i < G_N_ELEMENTS(words); i++) {
		n = strlen(words[i]);
		if (g_ascii_strncasecmp(p, words[i], n) != 0)
			continue;
		q = p + n;
		if (*q == ' ')
			q++;
		if (*q == '[' || *q == '(') {
			char close = *q == '[' ? ']' : ')';
			const char *d = q + 1;

			while (g_ascii_isdigit(*d))
				d++;
			if (d == q + 1 || *d != close)
				continue;
			q = d + 1;
		}
		if (*q == ' ')
			q++;
		if (*q != ':')
			continue;
		q++;
		if (*q == ' ')
			q++;
		return q;
	}
	return NULL;
}

static size_t
strip_quotes(const char *s, size_t from, size_t *to)
{
	static const char *const pairs[][2] = {
		{ "\xe2\x80\x9c", "\xe2\x80\x9d" },	/* “ ” */
		{ "\"", "\"" },
		{ "\xe3\x80\x8c", "\xe3\x80\x8d" },	/* 「 」 */
		{ "\xe3\x80\x8e", "\xe3\x80\x8f" },	/* 『 』 */
	};
	size_t i, ol, cl;

	for (i = 0; i < G_N_ELEMENTS(pairs); i++) {
		ol = strlen(pairs[i][0]);
		cl = strlen(pairs[i][1]);
		if (*to - from < ol + cl + 1)
			continue;
		if (memcmp(s + from, pairs[i][0], ol) != 0 ||
		    memcmp(s + *to - cl, pairs[i][1], cl) != 0)
			continue;
		/* only when the pair wraps the whole text, not “a”-“b” */
		if (g_strstr_len(s + from + ol, *to - cl - from - ol,
		    pairs[i][1]) != NULL)
			continue;
		*to -= cl;
		from += ol;
		while (from < *to && s[from] == ' ')
			from++;
		while (*to > from && s[*to - 1] == ' ')
			(*to)--;
		return from;
	}
	return from;
}

/* Whether c starts a new character cluster, i.e. is not a combining
 * mark; below U+0300 and among the CJK ideographs none is. */
static bool
starts_cluster(gunichar c)
{
	return c < 0x300 || (c >= 0x4E00 && c <= 0x9FFF) ||
	    g_unichar_combining_class(c) == 0;
}

/* Rule 2 for a base character and the combining marks after it, [p, q)
 * of text (q is past the marks).  The usual cluster is one character:
 * its full compatibility decomposition is then NFKC unless it has
 * several characters that composition may join again, and only that
 * case pays for g_utf8_normalize(). */
static void
out_cluster(struct out *o, const char *text, const char *p, const char *q,
    const char *end, unsigned flags)
{
	gunichar dec[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
	char stackbuf[64], *cl = stackbuf, *norm, *n;
	size_t clen = 0, cap = sizeof(stackbuf), nb, os, oe;
	const char *r;
	gunichar c;

	os = (size_t)(p - text);
	oe = (size_t)(q - text);
	c = next_char(p, end, &nb);
	if (p + nb == q && g_unichar_fully_decompose(c, TRUE, dec,
	    G_N_ELEMENTS(dec)) == 1) {
		out_char(o, dec[0], os, oe, flags);
		return;
	}
	for (r = p; r < q; r += nb) {
		c = next_char(r, end, &nb);
		if (clen + 6 > cap) {
			cap *= 2;
			cl = cl == stackbuf ? memcpy(g_malloc(cap), stackbuf,
			    clen) : g_realloc(cl, cap);
		}
		clen += (size_t)g_unichar_to_utf8(c, cl + clen);
	}
	norm = g_utf8_normalize(cl, (gssize)clen, G_NORMALIZE_NFKC);
	if (norm == NULL)
		norm = g_strndup(cl, clen);
	for (n = norm; *n != '\0'; n = g_utf8_next_char(n))
		out_char(o, g_utf8_get_char(n), os, oe, flags);
	g_free(norm);
	if (cl != stackbuf)
		g_free(cl);
}

char *
normalize_text_len(const char *text, size_t len, unsigned flags,
    struct normalize_map **map_r)
{
	struct out o;
	const char *p, *end, *q;
	size_t from, to, nb, mb;
	gunichar c, m = 0;

	memset(&o, 0, sizeof(o));
	o.bufcap = len + 8;
	o.buf = g_malloc(o.bufcap);
	o.want_map = map_r != NULL;
	if (o.want_map) {
		o.cap = len + 16;
		o.start = g_new(size_t, o.cap);
		o.end = g_new(size_t, o.cap);
	}
	if (text == NULL)
		len = 0;
	p = text;
	end = text == NULL ? NULL : text + len;
	if (p < end)
		m = next_char(p, end, &mb);
	while (p < end) {
		c = m;
		nb = mb;
		q = p + nb;
		/* q is past the cluster, m the character that follows it */
		while (q < end) {
			m = next_char(q, end, &mb);
			if (starts_cluster(m))
				break;
			q += mb;
		}
		if (q == p + nb && nfkc_stable(c))
			out_char(&o, c, (size_t)(p - text), (size_t)(q - text),
			    flags);
		else
			out_cluster(&o, text, p, q, end, flags);
		p = q;
	}

	o.buf[o.len] = '\0';
	from = 0;
	to = o.len;
	if ((flags & NORMALIZE_STRIP_REPLY) != 0) {
		for (;;) {
			const char *rest = skip_reply_prefix(o.buf + from);

			if (rest == NULL)
				break;
			from = (size_t)(rest - o.buf);
		}
		from = strip_quotes(o.buf, from, &to);
	}

	if (map_r != NULL) {
		struct normalize_map *map = g_new0(struct normalize_map, 1);
		size_t tail;

		/* the arrays become the map's: one entry more than the
		 * normalised text, which out_put's growth leaves room for
		 * only when asked */
		if (to + 1 > o.cap) {
			o.cap = to + 1;
			o.start = g_renew(size_t, o.start, o.cap);
			o.end = g_renew(size_t, o.end, o.cap);
		}
		map->len = to - from;
		memmove(o.start, o.start + from, map->len * sizeof(size_t));
		memmove(o.end, o.end + from, map->len * sizeof(size_t));
		tail = map->len == 0 ? 0 : o.end[map->len - 1];
		o.start[map->len] = tail;
		o.end[map->len] = tail;
		map->start = o.start;
		map->end = o.end;
		*map_r = map;
	}
	if (from > 0)
		memmove(o.buf, o.buf + from, to - from);
	o.buf[to - from] = '\0';
	return o.buf;
}

char *
normalize_text(const char *utf8, unsigned flags)
{
	return normalize_text_len(utf8, utf8 == NULL ? 0 : strlen(utf8),
	    flags, NULL);
}

void
normalize_map_span(const struct normalize_map *map, size_t start, size_t end,
    size_t *start_r, size_t *end_r)
{
	if (start > map->len)
		start = map->len;
	if (end > map->len)
		end = map->len;
	if (end <= start) {
		*start_r = *end_r = map->start[start];
		return;
	}
	*start_r = map->start[start];
	*end_r = map->end[end - 1];
	if (*end_r < *start_r)
		*end_r = *start_r;
}

void
normalize_map_free(struct normalize_map **map)
{
	if (*map == NULL)
		return;
	g_free((*map)->start);
	g_free((*map)->end);
	g_free(*map);
	*map = NULL;
}
