/*
 * docxwalk: a document.xml fed whole and in chunks cut at every byte (so
 * inside a tag, an entity and a UTF-8 character), the text Word shows
 * and the table cells; what is not text (field codes, deleted text) left
 * out; the text bound; bytes that are not XML.
 */
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "docxwalk.h"
#include "textcount.h"
#include "test.h"

static const char doc[] =
"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
"<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
"<w:body>"
"<w:p><w:r><w:t>我的扶贫路</w:t></w:r></w:p>"
"<w:p><w:r><w:t xml:space=\"preserve\">第一书记 </w:t></w:r>"
"<w:r><w:tab/><w:t>A&amp;B</w:t><w:br/><w:t>村</w:t></w:r>"
"<w:r><w:instrText> PAGE </w:instrText></w:r>"
"<w:del><w:r><w:delText>删去</w:delText></w:r></w:del></w:p>"
"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>作品名称</w:t></w:r></w:p></w:tc>"
"<w:tc><w:p><w:r><w:t>我的</w:t></w:r><w:r><w:t>扶贫路</w:t></w:r></w:p></w:tc></w:tr>"
"<w:tr><w:tc><w:p><w:r><w:t>作者</w:t></w:r></w:p></w:tc>"
"<w:tc><w:p/></w:tc></w:tr></w:tbl>"
"<w:sectPr/></w:body></w:document>";

static const char want_text[] =
"我的扶贫路\n第一书记  A&B 村\n作品名称\n我的扶贫路\n作者\n\n";

static struct docxwalk *
walk(size_t chunk, size_t max_text, int *r)
{
	struct docxwalk *w = docxwalk_new(max_text, 100);
	size_t len = strlen(doc), off;
	g_autofree char *why = NULL;

	*r = 0;
	for (off = 0; off < len && *r == 0; off += chunk)
		*r = docxwalk_feed(w, doc + off, MIN(chunk, len - off), &why);
	if (*r == 0)
		*r = docxwalk_end(w, &why);
	return w;
}

int
main(void)
{
	struct docxwalk *w;
	const struct docx_cell *c;
	const char *text;
	size_t len, chunk;
	g_autofree char *why = NULL;
	int r;
	bool same = true;

	w = walk(strlen(doc), 1 << 20, &r);
	TEST_CHECK("whole: parsed", r == 0);
	text = docxwalk_text(w, &len);
	TEST_CHECK_STR("whole: text", text, want_text);
	TEST_CHECK("whole: 字数 22", textcount_utf8(text, len) == 22);
	TEST_CHECK("whole: 4 cells", docxwalk_cell_count(w) == 4);
	c = docxwalk_cell(w, 1);
	TEST_CHECK("cell 0,0,1 position", c != NULL && c->table == 0 &&
	    c->row == 0 && c->col == 1);
	TEST_CHECK_STR("cell 0,0,1 text", c != NULL ? c->text : NULL,
	    "我的扶贫路");
	c = docxwalk_cell(w, 3);
	TEST_CHECK_STR("blank cell", c != NULL ? c->text : NULL, "");
	TEST_CHECK("not cut", !docxwalk_cut(w));
	docxwalk_free(&w);
	TEST_CHECK("free nulls", w == NULL);

	for (chunk = 1; chunk < 64; chunk++) {
		w = walk(chunk, 1 << 20, &r);
		text = docxwalk_text(w, &len);
		if (r != 0 || strcmp(text, want_text) != 0 ||
		    docxwalk_cell_count(w) != 4) {
			printf("chunk %zu: r=%d text=\"%s\"\n", chunk, r, text);
			same = false;
		}
		docxwalk_free(&w);
	}
	TEST_CHECK("chunks of 1..63 bytes: the same text and cells", same);

	w = walk(7, 10, &r);
	text = docxwalk_text(w, &len);
	TEST_CHECK("bounded: parsed to the end", r == 0);
	TEST_CHECK("bounded: cut", docxwalk_cut(w) && len <= 10);
	docxwalk_free(&w);

	w = docxwalk_new(100, 100);
	r = docxwalk_feed(w, "<w:document><w:t>x</w:p>", 24, &why);
	TEST_CHECK("mismatched tag: error", r < 0 && why != NULL);
	docxwalk_free(&w);
	g_clear_pointer(&why, g_free);
	w = docxwalk_new(100, 100);
	r = docxwalk_feed(w, "<!DOCTYPE x [<!ENTITY e SYSTEM \"/etc/passwd\">]>"
	    "<w:t>&e;</w:t>", 61, &why);
	if (r == 0)
		r = docxwalk_end(w, &why);
	TEST_CHECK("external entity: refused, nothing read", r < 0);
	docxwalk_free(&w);
	return TEST_EXIT();
}
