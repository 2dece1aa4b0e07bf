/*
 * libFuzzer target: the small parsers of untrusted text, each fed what
 * mail hands it.  The first input byte picks one:
 *   0  normalize_text (every flag combination, from the second byte)
 *   1  safename_make and safename_dedupe (file names from attachments)
 *   2  mutf7_encode (folder names)
 *   3  template_check and template_render (a campaign's reply wording,
 *      with values that are themselves hostile)
 *   4  textcell_clean, _display_width and _append_padded (terminal and
 *      spreadsheet cells of mail text)
 *   5  replytag_strip (a subject answering our replies; with the second
 *      byte odd, the subject is also a campaign's reply template)
 * Invariants that would mean a bug abort().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "mutf7.h"
#include "normalize.h"
#include "replytag.h"
#include "safename.h"
#include "template.h"
#include "textcell.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *
lookup_echo(const char *name, void *ctx)
{
	(void)name;
	return ctx;
}

static bool
known_any(const char *name, void *ctx)
{
	(void)ctx;
	return strlen(name) < 16;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree char *text = NULL, *out = NULL, *error = NULL;
	unsigned flags;

	if (size < 2)
		return 0;
	flags = data[1] & 7u;
	text = g_strndup((const char *)data + 2, size - 2);
	switch (data[0] % 6) {
	case 0:
		out = normalize_text(text, flags);
		/* The result is text the grammar matches: valid UTF-8. */
		if (out != NULL && !g_utf8_validate(out, -1, NULL))
			abort();
		break;
	case 1: {
		g_autofree char *dedup = NULL;

		out = safename_make(text, "附件1");
		/* Never empty, never a path, never a dot name. */
		if (out == NULL || *out == '\0' || strchr(out, '/') != NULL ||
		    strcmp(out, ".") == 0 || strcmp(out, "..") == 0 ||
		    !g_utf8_validate(out, -1, NULL))
			abort();
		dedup = safename_dedupe(out, (unsigned)data[1] + 2);
		if (dedup == NULL || strchr(dedup, '/') != NULL)
			abort();
		break;
	}
	case 2:
		if (g_utf8_validate(text, -1, NULL)) {
			out = mutf7_encode(text);
			/* Modified UTF-7 is 7-bit. */
			for (const char *p = out; p != NULL && *p; p++)
				if ((unsigned char)*p > 0x7e)
					abort();
		}
		break;
	case 4: {
		GString *line = g_string_new(NULL);
		size_t width = data[1] % 40;

		out = textcell_clean(text, data[1] & 1);
		/* A clean cell is valid UTF-8 without line breaks (unless
		 * kept), and padding makes it exactly as wide as asked. */
		if (!g_utf8_validate(out, -1, NULL) ||
		    (!(data[1] & 1) && strchr(out, '\n') != NULL))
			abort();
		textcell_append_padded(line, out, width);
		if (textcell_display_width(line->str) != width)
			abort();
		g_string_free(line, TRUE);
		break;
	}
	case 5: {
		const char *templates[] = { "【请更正】{subject}（查询码 {ref}）",
		    "【未受理·超出名额】{subject}（查询码 {ref}）",
		    (data[1] & 1) ? text : NULL, NULL };

		out = replytag_strip(text, templates);
		/* What is left is a piece of the subject, never more. */
		if (out == NULL || strstr(text, out) == NULL)
			abort();
		break;
	}
	default:
		(void)template_check(text, known_any, NULL, &error);
		out = template_render(text, lookup_echo, text, data[1] & 1);
		break;
	}
	return 0;
}
