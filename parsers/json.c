/* json: see include/json.h. */
#include <stdio.h>
#include <string.h>

#include "json.h"

void
json_append_string(GString *out, const char *s)
{
	g_autofree char *valid = NULL;
	const unsigned char *p;

	if (s == NULL) {
		g_string_append(out, "null");
		return;
	}
	valid = g_utf8_make_valid(s, -1);
	g_string_append_c(out, '"');
	for (p = (const unsigned char *)valid; *p != '\0'; p++) {
		switch (*p) {
		case '"':
			g_string_append(out, "\\\"");
			break;
		case '\\':
			g_string_append(out, "\\\\");
			break;
		case '\n':
			g_string_append(out, "\\n");
			break;
		case '\r':
			g_string_append(out, "\\r");
			break;
		case '\t':
			g_string_append(out, "\\t");
			break;
		default:
			if (*p < 0x20)
				g_string_append_printf(out, "\\u%04x", *p);
			else
				g_string_append_c(out, (char)*p);
		}
	}
	g_string_append_c(out, '"');
}

void
json_append_key(GString *out, const char *key, int first)
{
	if (!first)
		g_string_append_c(out, ',');
	json_append_string(out, key);
	g_string_append_c(out, ':');
}
