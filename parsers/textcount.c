/* textcount: see include/textcount.h. */
#include <glib.h>

#include "textcount.h"

/* A character Word counts on its own, not as part of a word. */
static bool
counts_alone(gunichar c)
{
	switch (g_unichar_get_script(c)) {
	case G_UNICODE_SCRIPT_HAN:
	case G_UNICODE_SCRIPT_HIRAGANA:
	case G_UNICODE_SCRIPT_KATAKANA:
	case G_UNICODE_SCRIPT_HANGUL:
	case G_UNICODE_SCRIPT_BOPOMOFO:
		return true;
	default:
		break;
	}
	return (c >= 0x3000 && c <= 0x303f) || (c >= 0xff00 && c <= 0xffef) ||
	    (c >= 0x2018 && c <= 0x201f) || c == 0x2014 || c == 0x2026;
}

void
textcount_feed(struct textcount *tc, const char *s, size_t len)
{
	const char *p = s, *end = s + len;

	while (p < end) {
		gunichar c = g_utf8_get_char_validated(p, end - p);

		if (c == (gunichar)-1 || c == (gunichar)-2) {
			tc->in_run = false;
			p++;
			continue;
		}
		p = g_utf8_next_char(p);
		if (g_unichar_isspace(c) || c == 0xa0 || c == 0x3000 ||
		    g_unichar_iszerowidth(c) || c == 0xfeff) {
			if (!g_unichar_iszerowidth(c) && c != 0xfeff)
				tc->in_run = false;
			continue;
		}
		if (counts_alone(c)) {
			tc->count++;
			tc->in_run = false;
		} else if (g_unichar_iscntrl(c)) {
			tc->in_run = false;
		} else if (!tc->in_run) {
			tc->count++;
			tc->in_run = true;
		}
	}
}

int64_t
textcount_utf8(const char *s, size_t len)
{
	struct textcount tc = { 0, false };

	textcount_feed(&tc, s, len);
	return tc.count;
}
