/*
 * libFuzzer target: image headers (imagehead.h), the bytes a mailed
 * picture begins with.  Each input is also parsed cut short at each of
 * its first 64 lengths, and no parse may read past its cut (the copy is
 * exactly as long, for ASan to see).  Invariants that would mean a bug abort(): a result other than
 * the three; a successful parse that names no format, or a CMYK image
 * that is not of four components.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "imagehead.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
one(const uint8_t *data, size_t size)
{
	struct imagehead h;
	/* A copy of exactly size bytes, so ASan sees any read past it. */
	uint8_t *copy = malloc(size > 0 ? size : 1);
	int r;

	memcpy(copy, data, size);
	r = imagehead_parse(copy, size, &h);
	if (r != IMAGEHEAD_OK && r != IMAGEHEAD_SHORT && r != IMAGEHEAD_UNKNOWN)
		abort();
	if (r == IMAGEHEAD_OK && (h.format == NULL || (h.cmyk &&
	    h.components != 4)))
		abort();
	free(copy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t cut;

	one(data, size);
	for (cut = 0; cut < size && cut < 64; cut++)
		one(data, cut);
	return 0;
}
