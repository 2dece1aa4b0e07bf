/*
 * libFuzzer target: what a cloud attachment provider answers
 * (linkanswer.h), bytes from the network.  The first byte chooses the
 * reader: QQ's JSON, QQ's page, NetEase's prepare answer, or a
 * Content-Range value; the rest is the answer, copied to exactly its
 * length (plus the NUL a header value has) so ASan sees a read past it.
 * Invariants that would mean a bug abort(): a result other than the
 * three; an OK answer without an http(s) URL; a gone one without why;
 * a Content-Range accepted with its last byte before its first.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "linkanswer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int (*const readers[])(const char *, size_t,
	    struct linkanswer *, char **) = { linkanswer_qq_json,
		linkanswer_qq_page, linkanswer_netease };
	struct linkanswer a;
	char *copy, *error = NULL;
	uint64_t first, last, total;
	unsigned sel;
	int r;

	if (size < 1)
		return 0;
	sel = data[0] % 4;
	copy = malloc(size);
	memcpy(copy, data + 1, size - 1);
	copy[size - 1] = '\0';
	if (sel == 3) {
		if (linkanswer_content_range(copy, &first, &last, &total) &&
		    last < first)
			abort();
		free(copy);
		return 0;
	}
	r = readers[sel](copy, size - 1, &a, &error);
	if (r != LINKANSWER_OK && r != LINKANSWER_GONE &&
	    r != LINKANSWER_MALFORMED)
		abort();
	if (r == LINKANSWER_OK && (a.url == NULL ||
	    (!g_str_has_prefix(a.url, "https://") &&
	    !g_str_has_prefix(a.url, "http://"))))
		abort();
	if (r == LINKANSWER_GONE && a.why_gone == NULL)
		abort();
	if (r == LINKANSWER_MALFORMED && error == NULL)
		abort();
	linkanswer_clear(&a);
	g_free(error);
	free(copy);
	return 0;
}
