/* textcell: see include/textcell.h. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "textcell.h"

static size_t
textcell_char_width(gunichar ch)
{
	if (g_unichar_iszerowidth(ch))
		return 0;
	return g_unichar_iswide(ch) ? 2 : 1;
}

size_t
textcell_display_width(const char *s)
{
	size_t width = 0;

	while (s != NULL && *s != '\0') {
		gunichar ch = g_utf8_get_char_validated(s, -1);

		if (ch == (gunichar)-1 || ch == (gunichar)-2) {
			width++;
			s++;
			continue;
		}
		width += textcell_char_width(ch);
		s = g_utf8_next_char(s);
	}
	return width;
}

void
textcell_append_whole(GString *out, const char *s, size_t width)
{
	size_t w = textcell_display_width(s);

	g_string_append(out, s ? s : "");
	while (w++ < width)
		g_string_append_c(out, ' ');
}

void
textcell_append_padded(GString *out, const char *s, size_t width)
{
	size_t used = 0, w = textcell_display_width(s);

	if (w <= width) {
		g_string_append(out, s ? s : "");
		used = w;
	} else if (width > 0) {
		/* Room for the ellipsis, which takes one column. */
		while (*s != '\0') {
			gunichar ch = g_utf8_get_char_validated(s, -1);
			size_t cw;

			if (ch == (gunichar)-1 || ch == (gunichar)-2)
				break;
			cw = textcell_char_width(ch);
			if (used + cw > width - 1)
				break;
			g_string_append_unichar(out, ch);
			used += cw;
			s = g_utf8_next_char(s);
		}
		g_string_append(out, "…");
		used++;
	}
	while (used++ < width)
		g_string_append_c(out, ' ');
}

/* Invisible characters that reorder what follows: a title could make a
 * terminal line or a cell read differently from what it holds. */
static bool
textcell_is_bidi_control(gunichar ch)
{
	return (ch >= 0x202a && ch <= 0x202e) ||
	    (ch >= 0x2066 && ch <= 0x2069) || ch == 0x200e || ch == 0x200f;
}

char *
textcell_clean(const char *s, gboolean keep_newlines)
{
	g_autofree char *valid = NULL;
	GString *out;
	const char *p;

	if (s == NULL)
		return g_strdup("");
	valid = g_utf8_make_valid(s, -1);
	out = g_string_sized_new(strlen(valid));
	for (p = valid; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar ch = g_utf8_get_char(p);

		if (ch == '\r' && keep_newlines)
			continue;
		if (ch == '\n' && keep_newlines)
			g_string_append_c(out, '\n');
		else if (g_unichar_iscntrl(ch) || textcell_is_bidi_control(ch))
			g_string_append_c(out, ' ');
		else
			g_string_append_unichar(out, ch);
	}
	return g_string_free(out, FALSE);
}

char *
textcell_human_size(uint64_t size)
{
	static const char *const units[] = { "KB", "MB", "GB", "TB" };
	double v = (double)size;
	size_t i = 0;

	if (size < 1024)
		return g_strdup_printf("%llu B", (unsigned long long)size);
	v /= 1024;
	while (v >= 1024 && i + 1 < G_N_ELEMENTS(units)) {
		v /= 1024;
		i++;
	}
	return g_strdup_printf("%.1f %s", v, units[i]);
}
