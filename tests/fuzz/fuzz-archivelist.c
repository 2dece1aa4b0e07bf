/*
 * libFuzzer target: an archive's entry names and its accounting
 * (archivelist.h), the part of listing a zip that needs no library.
 * Each input is cut at NUL bytes into names as libarchive hands them
 * over (any bytes: GBK, CP437, broken UTF-8); each name is decoded, and
 * counted with a declared size taken from its bytes, then more bytes
 * read.  Invariants that would mean a bug abort(): a name that is not
 * valid UTF-8 or keeps a control character, a charset not one of the
 * three, expanded bytes that shrink, a limit crossed that is forgotten,
 * or entries counted past the first limit.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "archivelist.h"
#include "mail_limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_name(const char *raw, size_t len)
{
	const char *charset = NULL;
	char *name = archivelist_name(raw, len, &charset);
	const unsigned char *c;

	if (name == NULL || !g_utf8_validate(name, -1, NULL))
		abort();
	for (c = (const unsigned char *)name; *c != '\0'; c++)
		if (*c < 0x20 || *c == 0x7f)
			abort();
	if (charset == NULL || (strcmp(charset, "UTF-8") != 0 &&
	    strcmp(charset, "GB18030") != 0 && strcmp(charset, "CP437") != 0))
		abort();
	g_free(name);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Small limits, so that inputs reach them. */
	struct inspect_limits lim;
	struct archive_facts *a = archivelist_new();
	const char *p = (const char *)data, *end = p + size;
	enum archive_over before = ARCHIVE_WITHIN;

	inspect_limits_resolve(&lim, &(struct inspect_limits){
	    .archive_entries = 8, .archive_bytes = 1 << 20,
	    .archive_ratio = 4, .archive_ratio_from = 1024,
	    .archive_name_bytes = 64 });
	a->size = size;
	while (p < end) {
		const char *nul = memchr(p, '\0', (size_t)(end - p));
		size_t len = nul != NULL ? (size_t)(nul - p) : (size_t)(end - p);
		uint64_t declared = 0, was = a->expanded;
		unsigned entries = a->entries;
		size_t i;

		check_name(p, len);
		for (i = 0; i < len && i < 8; i++)
			declared = declared << 8 | (uint8_t)p[i];
		if (archivelist_account(a, &lim, len, declared >> 40) !=
		    ARCHIVE_WITHIN)
			(void)archivelist_more(a, &lim, declared & 0xffff);
		else
			(void)archivelist_more(a, &lim, len * 97);
		if (a->expanded < was || (before != ARCHIVE_WITHIN &&
		    (a->over != before || a->entries != entries)))
			abort();
		before = a->over;
		p += len + 1;
	}
	archivelist_free(&a);
	return 0;
}
