/*
 * libFuzzer target: the raw-byte scan of a message against the MIME
 * limits (mime_scan), checked against itself and against GMime.  The
 * first byte chooses how the rest is cut into pieces; the scan must come
 * to the same result fed whole or in pieces.  Then the bound it promises:
 * GMime, handed what the scan allows (all of it, or the bytes before the
 * cut), builds no more leaf parts than the part limit allows, counted as
 * the scan's backstop counts them.  (The scan's own count follows GMime
 * closely, but GMime's reading of a damaged header depends on where its
 * read buffer ends, which no model follows; FUZZ_MIME_SCAN_EXACT=1 holds
 * GMime to the count itself, to find such places.)  Low limits, so that
 * small inputs reach them.  Nothing may crash, leak or hang.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <gmime/gmime.h>

#include "mail_limits.h"
#include "mime_scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct mail_limits limits = {
	.mime_depth = 5,
	.mime_parts = 20,
	.header_bytes = 4096,
	.header_fields = 100,
	.preamble_bytes = 4096,
};

static unsigned
gmime_leaves(GMimeObject *obj)
{
	unsigned n = 0;
	int i;

	if (obj == NULL)
		return 0;
	if (GMIME_IS_MULTIPART(obj)) {
		for (i = 0; i < g_mime_multipart_get_count(GMIME_MULTIPART(obj));
		    i++)
			n += gmime_leaves(g_mime_multipart_get_part(
			    GMIME_MULTIPART(obj), i));
		return n;
	}
	if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *inner = g_mime_message_part_get_message(
		    GMIME_MESSAGE_PART(obj));

		return inner ? gmime_leaves(g_mime_message_get_mime_part(inner)) :
		    0;
	}
	return 1;
}

static struct mime_scan *
scan_run(const char *text, size_t len, size_t step)
{
	struct mime_scan *scan = mime_scan_new(&limits, NULL);
	size_t off = 0;

	while (off < len) {
		size_t n = step == 0 ? len : MIN(step, len - off);

		if (mime_scan_feed(scan, text + off, n) > 0)
			break;
		off += n;
	}
	mime_scan_finish(scan);
	return scan;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static gboolean initialised, exact;
	struct mime_scan *whole, *pieces;
	const char *text = (const char *)data + 1, *a, *b;
	size_t len, allowed;
	GMimeStream *stream;
	GMimeParser *parser;
	GMimeMessage *mime;

	if (size < 1)
		return 0;
	if (!initialised) {
		g_mime_init();
		exact = g_getenv("FUZZ_MIME_SCAN_EXACT") != NULL;
		initialised = TRUE;
	}
	len = size - 1;
	whole = scan_run(text, len, 0);
	pieces = scan_run(text, len, data[0] % 64 + 1);
	a = mime_scan_limit(whole);
	b = mime_scan_limit(pieces);
	if ((a == NULL) != (b == NULL) || (a != NULL && (strcmp(a, b) != 0 ||
	    mime_scan_cut(whole) != mime_scan_cut(pieces))) ||
	    mime_scan_leaves(whole) != mime_scan_leaves(pieces))
		abort();	/* the result depends on how bytes arrive */
	allowed = a == NULL ? len : (size_t)mime_scan_cut(whole);
	if (allowed > len)
		abort();
	/* The message's own header cut: the parse sees a rebuilt header
	 * and no body, nothing for this bound. */
	if (a == NULL || !mime_scan_cut_in_headers(whole)) {
		stream = g_mime_stream_mem_new_with_buffer(text, allowed);
		parser = g_mime_parser_new_with_stream(stream);
		mime = g_mime_parser_construct_message(parser, NULL);
		unsigned built = mime != NULL ?
		    gmime_leaves(g_mime_message_get_mime_part(mime)) : 0;

		if (built > 4 * limits.mime_parts + 1000 + 1)
			abort();	/* past the backstop: no bound at all */
		if (exact && built > mime_scan_leaves(whole) +
		    (a != NULL ? 1 : 0))
			abort();	/* GMime built more than was counted */
		if (mime != NULL)
			g_object_unref(mime);
		g_object_unref(parser);
		g_object_unref(stream);
	}
	mime_scan_free(&whole);
	mime_scan_free(&pieces);
	return 0;
}
