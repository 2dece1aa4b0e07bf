/* replygist: see include/replygist.h. */
#include <stdbool.h>
#include <string.h>

#include <glib.h>

#include "replygist.h"

/* Labels whose line only repeats what arrived, never what was decided. */
static const char *const replygist_echoes[] = {
	"收到时间：", "邮件主题：",
};

/* Where a reply says what was decided; the text may follow on the line. */
static const char *const replygist_anchors[] = {
	"原因：", "问题：", "审核结果：",
};

/* s without ASCII and full-width (U+3000) spaces at either end, in
 * place. */
static char *
replygist_trim(char *s)
{
	static const char ideo[] = "\xe3\x80\x80";
	size_t n;

	for (;;) {
		if (*s == ' ' || *s == '\t' || *s == '\r')
			s++;
		else if (strncmp(s, ideo, 3) == 0)
			s += 3;
		else
			break;
	}
	n = strlen(s);
	for (;;) {
		if (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
		    s[n - 1] == '\r'))
			n--;
		else if (n >= 3 && strncmp(s + n - 3, ideo, 3) == 0)
			n -= 3;
		else
			break;
	}
	s[n] = '\0';
	return s;
}

static const char *
replygist_after(const char *line, const char *const *labels, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (g_str_has_prefix(line, labels[i]))
			return line + strlen(labels[i]);
	return NULL;
}

/* The greeting: "单位您好：", "您好:". */
static bool
replygist_greeting(const char *line)
{
	return g_str_has_suffix(line, "您好：") ||
	    g_str_has_suffix(line, "您好:") || g_str_has_suffix(line, "您好，");
}

char *
replygist_lines(const char *body, size_t max_lines)
{
	g_auto(GStrv) lines = g_strsplit(body != NULL ? body : "", "\n", -1);
	GString *out = g_string_new(NULL);
	size_t i, start = 0, taken = 0;
	bool anchored = false;

	for (i = 0; lines[i] != NULL; i++) {
		const char *line = replygist_trim(lines[i]);
		const char *rest = replygist_after(line, replygist_anchors,
		    G_N_ELEMENTS(replygist_anchors));

		if (rest != NULL) {
			/* "原因：…" keeps its text, "问题：" alone leads to it */
			memmove(lines[i], rest, strlen(rest) + 1);
			start = i;
			anchored = true;
			break;
		}
	}
	for (i = start; lines[i] != NULL && taken < max_lines; i++) {
		const char *line = replygist_trim(lines[i]);

		/* What was decided is one paragraph: the footer (如有疑问…)
		 * follows a blank line. */
		if (anchored && taken > 0 && *line == '\0')
			break;
		/* a heading ("邮件主题“…”：") says nothing of its own */
		if (*line == '\0' || (!(anchored && i == start) &&
		    (g_str_has_suffix(line, "：") ||
		    g_str_has_suffix(line, ":"))))
			continue;
		if (!anchored && (replygist_greeting(line) ||
		    replygist_after(line, replygist_echoes,
		    G_N_ELEMENTS(replygist_echoes)) != NULL))
			continue;
		g_string_append_printf(out, "%s%s", taken > 0 ? "\n" : "",
		    line);
		taken++;
	}
	return g_string_free(out, FALSE);
}
