/* mutf7: see include/mutf7.h. */
#include <string.h>

#include <glib.h>

#include "mutf7.h"

/* Base64 with ',' for '/' (RFC 3501): '/' is the hierarchy separator. */
static const char mutf7_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

static void
mutf7_flush(GString *out, const guint8 *bytes, size_t len)
{
	size_t i;

	g_string_append_c(out, '&');
	for (i = 0; i + 2 < len; i += 3) {
		g_string_append_c(out, mutf7_alphabet[bytes[i] >> 2]);
		g_string_append_c(out, mutf7_alphabet[((bytes[i] & 3) << 4) |
		    (bytes[i + 1] >> 4)]);
		g_string_append_c(out, mutf7_alphabet[((bytes[i + 1] & 15) << 2) |
		    (bytes[i + 2] >> 6)]);
		g_string_append_c(out, mutf7_alphabet[bytes[i + 2] & 63]);
	}
	/* No padding: the run simply ends. */
	if (len - i == 1) {
		g_string_append_c(out, mutf7_alphabet[bytes[i] >> 2]);
		g_string_append_c(out, mutf7_alphabet[(bytes[i] & 3) << 4]);
	} else if (len - i == 2) {
		g_string_append_c(out, mutf7_alphabet[bytes[i] >> 2]);
		g_string_append_c(out, mutf7_alphabet[((bytes[i] & 3) << 4) |
		    (bytes[i + 1] >> 4)]);
		g_string_append_c(out, mutf7_alphabet[(bytes[i + 1] & 15) << 2]);
	}
	g_string_append_c(out, '-');
}

char *
mutf7_encode(const char *utf8)
{
	GString *out, *run;
	const char *p;

	if (!g_utf8_validate(utf8, -1, NULL))
		return NULL;
	out = g_string_new(NULL);
	run = g_string_new(NULL);	/* UTF-16BE bytes of a non-ASCII run */
	for (p = utf8; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (c >= 0x20 && c <= 0x7e) {
			if (run->len > 0) {
				mutf7_flush(out, (const guint8 *)run->str,
				    run->len);
				g_string_truncate(run, 0);
			}
			if (c == '&')
				g_string_append(out, "&-");
			else
				g_string_append_c(out, (char)c);
			continue;
		}
		if (c > 0xffff) {
			gunichar v = c - 0x10000;
			gunichar hi = 0xd800 + (v >> 10), lo = 0xdc00 + (v & 0x3ff);

			g_string_append_c(run, (char)(hi >> 8));
			g_string_append_c(run, (char)(hi & 0xff));
			g_string_append_c(run, (char)(lo >> 8));
			g_string_append_c(run, (char)(lo & 0xff));
		} else {
			g_string_append_c(run, (char)(c >> 8));
			g_string_append_c(run, (char)(c & 0xff));
		}
	}
	if (run->len > 0)
		mutf7_flush(out, (const guint8 *)run->str, run->len);
	g_string_free(run, TRUE);
	return g_string_free(out, FALSE);
}
