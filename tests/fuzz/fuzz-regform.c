/*
 * libFuzzer target: the registration-form reader (regform.h) on cells and
 * paragraphs cut from the input.  Items are separated by a 0x1e byte; an
 * item's first byte chooses a paragraph or a cell and the cell's table,
 * row, span and vertical merge, the rest (made valid UTF-8, as the walk
 * of a document gives it) is its text.  The labels are the shipped
 * campaigns' own.  Invariants that would mean a bug abort(): values are
 * valid UTF-8, at most one per field, a blank form was found, and a
 * value's place names a cell or paragraph that exists.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "regform.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const pairs[] = {
	"名称", "作品名", "制作单位", "制作单位", "类别", "分类",
	"总集数", "集数", "每集时长", "每集时长", "报送单位", "报送单位",
	"作者姓名", "作者", "姓名", "作者", "推荐单位", "推荐单位",
	"作品类别", "分类",
};
#define NLABELS	(G_N_ELEMENTS(pairs) / 2)

static void
add_item(struct regform_cells *c, const uint8_t *p, size_t len,
    unsigned *row, unsigned *col)
{
	g_autofree char *text = NULL;
	uint8_t b;

	if (len == 0)
		return;
	b = p[0];
	text = g_utf8_make_valid((const char *)p + 1, (gssize)(len - 1));
	if ((b & 0x80) != 0) {
		regform_cells_add_paragraph(c, b & 3, text);
		return;
	}
	if ((b & 0x40) != 0) {
		(*row)++;
		*col = 0;
	}
	regform_cells_add_cell(c, &(struct regform_cell){
		.table = (b >> 4) & 3, .row = *row, .col = (*col)++,
		.span = b & 3, .vmerge = (b >> 2) % 3, .text = text });
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct regform_label labels[NLABELS];
	struct regform_cells *c = regform_cells_new(64, 4096);
	struct regform_result *r = NULL;
	size_t i, j, start = 0;
	unsigned row = 0, col = 0;

	for (i = 0; i <= size; i++)
		if (i == size || data[i] == 0x1e) {
			add_item(c, data + start, i - start, &row, &col);
			start = i + 1;
		}
	for (i = 0; i < NLABELS; i++) {
		labels[i].label = pairs[2 * i];
		labels[i].key = regform_label_key(pairs[2 * i]);
		labels[i].field = pairs[2 * i + 1];
	}
	regform_read(c, labels, NLABELS, "作品名", "初心如磐", &r);
	if (regform_blank(r) && !regform_found(r))
		abort();
	for (i = 0; i < regform_value_count(r); i++) {
		const struct regform_value *v = regform_value(r, i);

		if (!g_utf8_validate(v->value, -1, NULL))
			abort();
		for (j = 0; j < i; j++)
			if (strcmp(regform_value(r, j)->field, v->field) == 0)
				abort();
		if (v->table < 0 && (size_t)v->row >=
		    regform_cells_paragraph_count(c))
			abort();
	}
	regform_result_free(&r);
	regform_cells_free(&c);
	for (i = 0; i < NLABELS; i++)
		g_free((char *)labels[i].key);
	return 0;
}
