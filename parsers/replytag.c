/*
 * replytag: our own reply's wrapping taken off a subject (replytag.h).
 *
 * Matching is loose where people's software is: white space anywhere in
 * the wrapping may be there or not, and the full-width forms of ASCII
 * are their ASCII selves.  It is exact where the wrapping is ours: a
 * bracketed word must be ours to go.
 */
#include <stdbool.h>
#include <string.h>

#include <glib.h>

#include "replytag.h"

/* Characters of one placeholder's token (a 查询码 is 8, a receipt number
 * such as FP-2024-0001 about 12): more is not a token of ours. */
#define REPLYTAG_TOKEN_MAX	64

static bool
is_space(gunichar c)
{
	return c == ' ' || c == '\t' || c == 0x3000 || c == 0xA0;
}

/* The character at *p (advanced past it), as compared: full-width ASCII
 * as ASCII, ASCII letters in lower case; invalid bytes one by one. */
static gunichar
next_folded(const char **p, const char *end)
{
	gunichar c = g_utf8_get_char_validated(*p, end - *p);

	if (c == (gunichar)-1 || c == (gunichar)-2) {
		c = 0xFFFD;
		(*p)++;
		return c;
	}
	*p = g_utf8_next_char(*p);
	if (c >= 0xFF01 && c <= 0xFF5E)
		c -= 0xFEE0;
	if (c < 0x80)
		c = g_ascii_tolower((char)c);
	return c;
}

static const char *
skip_space(const char *p, const char *end)
{
	while (p < end) {
		const char *q = p;

		if (!is_space(next_folded(&q, end)))
			break;
		p = q;
	}
	return p;
}

static bool
is_token_char(gunichar c)
{
	return c < 0x80 && (g_ascii_isalnum((char)c) || c == '-');
}

/* A placeholder at *s: one or more token characters. */
static bool
match_token(const char **s, const char *end)
{
	const char *p = *s;
	unsigned n = 0;

	while (p < end && n <= REPLYTAG_TOKEN_MAX) {
		const char *q = p;

		if (!is_token_char(next_folded(&q, end)))
			break;
		p = q;
		n++;
	}
	if (n == 0 || n > REPLYTAG_TOKEN_MAX)
		return false;
	*s = p;
	return true;
}

/* Whether the wrapping text [w, wend) is at s; *end_r: past it. */
static bool
match_at(const char *w, const char *wend, const char *s, const char *end,
    const char **end_r)
{
	for (;;) {
		w = skip_space(w, wend);
		s = skip_space(s, end);
		if (w == wend) {
			*end_r = s;
			return true;
		}
		if (*w == '{') {
			const char *close = memchr(w, '}', wend - w);

			if (close == NULL || !match_token(&s, end))
				return false;
			w = close + 1;
			continue;
		}
		if (s == end || next_folded(&w, wend) != next_folded(&s, end))
			return false;
	}
}

/* A mail client's "Re:", "回复：", "Re[2]:"... at s: past it, or NULL. */
static const char *
skip_client_prefix(const char *s, const char *end)
{
	static const char *const words[] = {
		"re", "fw", "fwd", "回复", "答复", "转发", "aw", "wg", "sv",
	};
	size_t i;
	const char *p;

	for (i = 0; i < G_N_ELEMENTS(words); i++) {
		const char *w = words[i], *wend = w + strlen(w);
		gunichar c;

		if (!match_at(w, wend, s, end, &p))
			continue;
		/* "Re[2]:" and "Re(2):" */
		if (p < end && (*p == '[' || *p == '(')) {
			const char *q = p + 1;

			while (q < end && g_ascii_isdigit(*q))
				q++;
			if (q > p + 1 && q < end && *q == (*p == '[' ?
			    ']' : ')'))
				p = q + 1;
		}
		p = skip_space(p, end);
		if (p < end && ((c = next_folded(&p, end)) == ':'))
			return p;
	}
	return NULL;
}

/* One template's text before and after {subject}; false: none. */
static bool
wrapping(const char *t, const char **before_end, const char **after)
{
	const char *at = strstr(t, "{subject}");

	if (at == NULL)
		return false;
	*before_end = at;
	*after = at + strlen("{subject}");
	return true;
}

/* [*from, *to) without one layer of wrapping; false: none was there. */
static bool
strip_once(const char *s, size_t *from, size_t *to,
    const char *const *templates)
{
	const char *start = s + *from, *end = s + *to, *p, *b, *a;
	size_t i;

	if ((p = skip_client_prefix(start, end)) != NULL) {
		*from = (size_t)(p - s);
		return true;
	}
	for (i = 0; templates != NULL && templates[i] != NULL; i++) {
		if (!wrapping(templates[i], &b, &a))
			continue;
		/* a wrapping of white space alone takes nothing off */
		if (b > templates[i] && match_at(templates[i], b, start, end,
		    &p) && p > start) {
			*from = (size_t)(p - s);
			return true;
		}
		if (*skip_space(a, a + strlen(a)) == '\0')
			continue;
		/* the wrapping's tail: where it starts and runs to the end */
		for (p = start; p < end; p = g_utf8_find_next_char(p, end)) {
			const char *past;

			if (p == NULL)
				break;
			if (match_at(a, a + strlen(a), p, end, &past) &&
			    past == end && p > start) {
				*to = (size_t)(p - s);
				return true;
			}
		}
	}
	return false;
}

char *
replytag_strip(const char *subject, const char *const *templates)
{
	const char *s = subject != NULL ? subject : "";
	size_t from = 0, to = strlen(s);

	/* each round takes at least one character off */
	for (;;) {
		from = (size_t)(skip_space(s + from, s + to) - s);
		while (to > from && (s[to - 1] == ' ' || s[to - 1] == '\t'))
			to--;
		if (!strip_once(s, &from, &to, templates))
			break;
	}
	return g_strndup(s + from, to - from);
}
