/*
 * mailplan_name: one file name taken apart before it is judged.  People
 * mark what the convention has no field for inside the name: the version
 * (初心如磐（有字幕）), the episode (党建业务十讲（第3集）), a note for
 * themselves (（盖章）, 定稿), and Windows adds " (1)" or "- 副本" to a
 * copy.  Only words the campaign declares are taken out, so a title's own
 * brackets (我和我的祖国（之一）) stay.  See parsers/mailplan-private.h.
 */
#include <string.h>

#include "mailplan-private.h"
#include "normalize.h"

/* A file name's extension: 1-10 ASCII letters or digits after a dot. */
#define EXT_MAX		10

static const char *const opening[] = { "(", "[", "【", "〔", "《", NULL };
static const char *const closing[] = { ")", "]", "】", "〕", "》", NULL };

static unsigned
cn_digit(const char *s)
{
	static const char *const d[] = {
		"一", "二", "三", "四", "五", "六", "七", "八", "九",
	};
	unsigned i;

	for (i = 0; i < G_N_ELEMENTS(d); i++)
		if (strncmp(s, d[i], 3) == 0)
			return i + 1;
	return strncmp(s, "两", 3) == 0 ? 2 : 0;
}

unsigned
plan_number(const char *s, size_t len)
{
	unsigned tens = 0, units = 0, v, d;
	bool ten = false;
	size_t i;

	if (len >= 1 && len <= 2 && g_ascii_isdigit(s[0]) &&
	    (len == 1 || g_ascii_isdigit(s[1]))) {
		v = (unsigned)(s[0] - '0');
		if (len == 2)
			v = v * 10 + (unsigned)(s[1] - '0');
		return v >= 1 && v <= 99 ? v : 0;
	}
	/* 三, 十, 十二, 二十, 二十三: every character is three bytes. */
	if (len == 0 || len % 3 != 0 || len > 9)
		return 0;
	for (i = 0; i < len; i += 3) {
		if (strncmp(s + i, "十", 3) == 0) {
			if (ten)
				return 0;
			ten = true;
			tens = units == 0 ? 1 : units;
			units = 0;
		} else if ((d = cn_digit(s + i)) == 0 || units != 0) {
			return 0;
		} else {
			units = d;
		}
	}
	v = ten ? tens * 10 + units : units;
	return v >= 1 && v <= 99 ? v : 0;
}

/* The episode a word is, by one pattern's key ("第{n}集", "上"); 0: none. */
static unsigned
episode_of(const char *pattern, const char *key)
{
	const char *n = strstr(pattern, "{n}");
	size_t pre, suf, len = strlen(key);

	if (n == NULL) {
		if (strcmp(pattern, key) != 0)
			return 0;
		return strstr(pattern, "下") != NULL ? 2 : 1;
	}
	pre = (size_t)(n - pattern);
	suf = strlen(n + 3);
	if (len <= pre + suf || strncmp(key, pattern, pre) != 0 ||
	    strcmp(key + len - suf, n + 3) != 0)
		return 0;
	return plan_number(key + pre, len - pre - suf);
}

bool
plan_paren_episodes(const struct campaign_works *w)
{
	return w->episodes != NULL && g_strv_contains(w->episodes, "({n})");
}

bool
plan_glob_any(const char *const *globs, const char *key)
{
	size_t i;

	if (globs == NULL)
		return true;
	for (i = 0; globs[i] != NULL; i++)
		if (g_pattern_match_simple(globs[i], key))
			return true;
	return false;
}

/* What a word inside a name is: 1 a version (*marker_r), 2 a note, 3 an
 * episode (*episode_r); 0 none of these. */
static int
word_kind(const struct campaign_works *w, const char *word,
    const char **marker_r, unsigned *episode_r)
{
	g_autofree char *key = normalize_text(word, NORMALIZE_KEY);
	size_t i;

	if (*key == '\0')
		return 0;
	for (i = 0; i < w->version_count; i++) {
		if (g_strv_contains(w->versions[i].keys, key)) {
			*marker_r = w->versions[i].name;
			return 1;
		}
	}
	if (w->notes != NULL && g_strv_contains(w->notes, key))
		return 2;
	for (i = 0; w->episodes != NULL && w->episodes[i] != NULL; i++)
		if ((*episode_r = episode_of(w->episodes[i], key)) > 0)
			return 3;
	return 0;
}

static void
splice(GString *s, size_t at, size_t len)
{
	g_string_erase(s, (gssize)at, (gssize)len);
}

/* Bracketed words: （有字幕）, 【盖章】, (第3集). */
static void
strip_brackets(const struct campaign_works *w, GString *s,
    struct plan_name *n)
{
	size_t at = 0, k;

	while (at < s->len) {
		const char *close, *end;
		size_t olen = 0;

		for (k = 0; opening[k] != NULL; k++) {
			olen = strlen(opening[k]);
			if (strncmp(s->str + at, opening[k], olen) == 0)
				break;
		}
		if (opening[k] == NULL || (close = strstr(s->str + at + olen,
		    closing[k])) == NULL) {
			at++;
			continue;
		}
		end = close + strlen(closing[k]);
		{
			g_autofree char *whole = g_strndup(s->str + at,
			    (size_t)(end - s->str) - at);
			g_autofree char *inner = g_strndup(s->str + at + olen,
			    (size_t)(close - s->str) - at - olen);
			unsigned ep = 0;
			int kind = word_kind(w, whole, &n->marker, &ep);

			if (kind == 0)
				kind = word_kind(w, inner, &n->marker, &ep);
			if (kind == 0) {
				at++;
				continue;
			}
			if (kind == 3)
				n->episode = ep;
			splice(s, at, (size_t)(end - s->str) - at);
		}
	}
}

static bool
is_sep(char c)
{
	return c == '-' || c == '_' || c == ' ';
}

/* A version, a note or an episode ending a word: 党建业务十讲第3集,
 * 张三(山西大学)盖章.  The offset where it starts, or 0. */
static size_t
word_suffix(const struct campaign_works *w, const char *word, size_t len,
    struct plan_name *n)
{
	const char *p = word;

	while ((p = g_utf8_next_char(p)) < word + len) {
		g_autofree char *tail = g_strndup(p, len - (size_t)(p - word));
		const char *marker = NULL;
		unsigned ep = 0;
		int kind = word_kind(w, tail, &marker, &ep);

		if (kind == 1)
			n->marker = marker;
		else if (kind == 3)
			n->episode = ep;
		if (kind != 0)
			return (size_t)(p - word);
	}
	return 0;
}

/* Words between separators (初心如磐-有字幕-微视频), or ending one
 * (党建业务十讲第3集-培训片). */
static void
strip_words(const struct campaign_works *w, GString *s, struct plan_name *n)
{
	size_t at = 0;

	while (at < s->len) {
		size_t end = at, cut;
		g_autofree char *word = NULL;
		unsigned ep = 0;
		int kind;

		while (end < s->len && !is_sep(s->str[end]))
			end++;
		word = g_strndup(s->str + at, end - at);
		kind = (at > 0 || end < s->len) ?
		    word_kind(w, word, &n->marker, &ep) : 0;
		if (kind != 0) {
			if (kind == 3)
				n->episode = ep;
			/* the word and the separator before it, so that what
			 * followed keeps its own (先锋足迹 第1集-纪录片) */
			if (at > 0) {
				splice(s, at - 1, end - at + 1);
				at--;
			} else {
				splice(s, at, end - at + (end < s->len ? 1 : 0));
			}
			continue;
		}
		if ((cut = word_suffix(w, word, end - at, n)) > 0) {
			splice(s, at + cut, end - at - cut);
			end = at + cut;
		}
		at = end + 1;
	}
}

static void
trim_seps(GString *s)
{
	while (s->len > 0 && is_sep(s->str[s->len - 1]))
		g_string_truncate(s, s->len - 1);
	while (s->len > 0 && is_sep(s->str[0]))
		splice(s, 0, 1);
}

/* " (1)" and "- 副本": what Windows names a copy. */
static void
strip_copy(GString *s, struct plan_name *n)
{
	size_t i;

	if (s->len >= 3 && s->str[s->len - 1] == ')') {
		for (i = s->len - 1; i > 0 && g_ascii_isdigit(s->str[i - 1]);
		    i--)
			;
		if (i > 1 && i < s->len - 1 && s->str[i - 1] == '(' &&
		    (n->trailing = plan_number(s->str + i,
		    s->len - 1 - i)) > 0) {
			g_string_truncate(s, i - 1);
			trim_seps(s);
		}
	}
	/* "- 副本 (2)": the second copy */
	if (g_str_has_suffix(s->str, "副本")) {
		g_string_truncate(s, s->len - strlen("副本"));
		n->copy = true;
		n->trailing = 0;
		trim_seps(s);
	}
}

void
plan_name_parse(const struct campaign_works *w, const char *name,
    struct plan_name *n)
{
	g_autofree char *norm = normalize_text(name, 0);
	const char *dot = strrchr(norm, '.');
	GString *s;
	size_t elen;

	memset(n, 0, sizeof(*n));
	elen = dot != NULL ? strlen(dot + 1) : 0;
	if (dot != NULL && dot != norm && elen >= 1 && elen <= EXT_MAX &&
	    strspn(dot + 1, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == elen) {
		n->ext = g_ascii_strdown(dot + 1, -1);
		s = g_string_new_len(norm, dot - norm);
	} else {
		n->ext = g_strdup("");
		s = g_string_new(norm);
	}
	strip_copy(s, n);
	strip_brackets(w, s, n);
	strip_words(w, s, n);
	trim_seps(s);
	/* A name that is nothing but markers keeps its text. */
	if (s->len == 0)
		g_string_assign(s, norm);
	n->stem = normalize_text(s->str, 0);
	g_string_free(s, TRUE);
}

char *
plan_subject_strip(const struct campaign_works *w, const char *subject)
{
	g_autofree char *norm = normalize_text(subject, NORMALIZE_STRIP_REPLY);
	struct plan_name n = { 0 };
	GString *s = g_string_new(norm);

	strip_brackets(w, s, &n);
	strip_words(w, s, &n);
	trim_seps(s);
	if (s->len == 0)
		g_string_assign(s, norm);
	return g_string_free(s, FALSE);
}

void
plan_name_clear(struct plan_name *n)
{
	g_clear_pointer(&n->stem, g_free);
	g_clear_pointer(&n->work_key, g_free);
	g_clear_pointer(&n->ext, g_free);
}

char *
plan_name_markers(const struct campaign_works *w, const struct plan_name *n)
{
	GString *s = g_string_new(NULL);
	const char *pat = w->episodes != NULL ? w->episodes[0] : NULL;
	const char *at;

	if (n->marker != NULL)
		g_string_append_printf(s, "（%s）", n->marker);
	if (n->episode > 0 && pat != NULL &&
	    (at = strstr(pat, "{n}")) != NULL) {
		bool bracketed = *pat == '(';

		if (!bracketed)
			g_string_append(s, "（");
		g_string_append_len(s, pat, at - pat);
		g_string_append_printf(s, "%u%s", n->episode, at + 3);
		if (!bracketed)
			g_string_append(s, "）");
	}
	return g_string_free(s, FALSE);
}
