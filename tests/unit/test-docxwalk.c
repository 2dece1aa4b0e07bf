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

/* A form's shapes: a merged row (gridSpan), a photo cell merged down
 * (vMerge), Word's checkbox buttons as Wingdings symbols, a nested table,
 * and the lines above and below the table. */
static const char form_doc[] =
"<w:document xmlns:w=\"x\"><w:body>"
"<w:p><w:r><w:t>报送单位：金坛区委组织部</w:t></w:r></w:p>"
"<w:p/>"
"<w:tbl><w:tr>"
"<w:tc><w:tcPr><w:tcW w:w=\"1\"/></w:tcPr><w:p><w:r><w:t>名 称</w:t></w:r></w:p></w:tc>"
"<w:tc><w:tcPr><w:gridSpan w:val=\"5\"/></w:tcPr><w:p><w:r><w:t>初心如磐</w:t></w:r></w:p></w:tc>"
"<w:tc><w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr><w:p><w:r><w:t>照片</w:t></w:r></w:p></w:tc>"
"</w:tr><w:tr>"
"<w:tc><w:p><w:r><w:t>作品类别</w:t></w:r></w:p></w:tc>"
"<w:tc><w:tcPr><w:gridSpan w:val=\"5\"/></w:tcPr><w:p>"
"<w:r><w:sym w:font=\"Wingdings 2\" w:char=\"F0A3\"/><w:t>文学类</w:t></w:r>"
"<w:r><w:sym w:font=\"Wingdings 2\" w:char=\"F052\"/><w:t>视频类</w:t></w:r>"
"<w:r><w:sym w:font=\"Symbol\" w:char=\"F0B7\"/></w:r>"
"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>内</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
"</w:p></w:tc>"
"<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>"
"</w:tr></w:tbl>"
"<w:p><w:r><w:t>注：本表纸质版报送 1 式 2 份。</w:t></w:r></w:p>"
"</w:body></w:document>";

static void
test_form(void)
{
	struct docxwalk *w = docxwalk_new(1 << 16, 100);
	const struct docx_cell *c;
	const struct docx_paragraph *p;
	g_autofree char *why = NULL;
	int r = docxwalk_feed(w, form_doc, strlen(form_doc), &why);

	if (r == 0)
		r = docxwalk_end(w, &why);
	TEST_CHECK("form: parsed", r == 0);
	TEST_CHECK("form: 6 cells", docxwalk_cell_count(w) == 6);
	c = docxwalk_cell(w, 0);
	TEST_CHECK("form: plain cell spans 1", c != NULL && c->span == 1 &&
	    c->vmerge == DOCX_VMERGE_NONE);
	c = docxwalk_cell(w, 1);
	TEST_CHECK("form: gridSpan 5", c != NULL && c->span == 5);
	c = docxwalk_cell(w, 2);
	TEST_CHECK("form: vMerge restart", c != NULL &&
	    c->vmerge == DOCX_VMERGE_RESTART);
	c = docxwalk_cell(w, 4);
	TEST_CHECK_STR("form: Wingdings boxes, the nested table in the cell",
	    c != NULL ? c->text : NULL, "□文学类☑视频类内");
	c = docxwalk_cell(w, 5);
	TEST_CHECK("form: vMerge continue, col 2", c != NULL &&
	    c->vmerge == DOCX_VMERGE_CONTINUE && c->col == 2 && c->row == 1);
	TEST_CHECK("form: 2 paragraphs outside the table",
	    docxwalk_paragraph_count(w) == 2);
	p = docxwalk_paragraph(w, 0);
	TEST_CHECK("form: the line above, before any table", p != NULL &&
	    p->tables_before == 0);
	TEST_CHECK_STR("form: its text", p != NULL ? p->text : NULL,
	    "报送单位：金坛区委组织部");
	p = docxwalk_paragraph(w, 1);
	TEST_CHECK("form: the line below, after one table", p != NULL &&
	    p->tables_before == 1);
	docxwalk_free(&w);

	w = docxwalk_new(1 << 16, 0);
	r = docxwalk_feed(w, form_doc, strlen(form_doc), &why);
	TEST_CHECK("no cells wanted: none kept, no paragraphs", r == 0 &&
	    docxwalk_cell_count(w) == 0 && docxwalk_paragraph_count(w) == 0);
	docxwalk_free(&w);
}

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
	test_form();
	return TEST_EXIT();
}
