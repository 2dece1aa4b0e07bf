/*
 * libFuzzer target: a Word document's document.xml (docxwalk.h), fed in
 * chunks whose sizes the first input byte chooses (1 to 256 bytes, so
 * cuts fall inside tags, entities and UTF-8 characters), with small
 * bounds on the text and the cells.  Invariants that would mean a bug
 * abort(): the text kept is valid UTF-8 within its bound, the cells
 * within theirs, and its 字数 (textcount.h) no more than its bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "docxwalk.h"
#include "textcount.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_TEXT	4096
#define MAX_CELLS	16

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct docxwalk *w;
	size_t chunk, off, len, i;
	const char *text;
	char *why = NULL;
	int r = 0;

	if (size == 0)
		return 0;
	chunk = (size_t)data[0] + 1;
	data++, size--;
	w = docxwalk_new(MAX_TEXT, MAX_CELLS);
	for (off = 0; off < size && r == 0; off += chunk)
		r = docxwalk_feed(w, (const char *)data + off,
		    MIN(chunk, size - off), &why);
	if (r == 0)
		r = docxwalk_end(w, &why);
	if (r < 0 && why == NULL)
		abort();
	g_free(why);
	text = docxwalk_text(w, &len);
	if (len > MAX_TEXT || !g_utf8_validate(text, (gssize)len, NULL) ||
	    textcount_utf8(text, len) > (int64_t)len)
		abort();
	if (docxwalk_cell_count(w) > MAX_CELLS)
		abort();
	for (i = 0; i < docxwalk_cell_count(w); i++)
		if (!g_utf8_validate(docxwalk_cell(w, i)->text, -1, NULL))
			abort();
	docxwalk_free(&w);
	return 0;
}
