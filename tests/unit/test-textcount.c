/*
 * textcount: Word's 字数 of mixed text, row by row, and the same text fed
 * in pieces.
 */
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "docxwalk.h"
#include "textcount.h"
#include "test.h"

static const struct {
	const char *text;
	int64_t want;
} rows[] = {
	{ "", 0 },
	{ "   \n\t ", 0 },
	{ "我的扶贫路", 5 },
	{ "我的扶贫路。", 6 },
	{ "Hello world", 2 },
	{ "2020年脱贫攻坚", 6 },		/* 2020 + 5 Han */
	{ "共有 1,234 户、3.5% 的人口", 9 },	/* 共 有 1,234 户 、 3.5% 的 人 口 */
	{ "“扶贫”——精准！", 9 },
	{ "ＡＢＣ，ｄｅｆ", 7 },		/* full-width letters count alone */
	{ "e-mail地址：a@b.cn", 5 },	/* e-mail 地 址 ： a@b.cn */
	{ "第一段\n\n第二段", 6 },
	{ "中\xe3\x80\x80文", 2 },		/* ideographic space */
	{ "word\xff" "word", 2 },		/* a bad byte ends a run */
	{ "한국어 text", 4 },
};

int
main(void)
{
	const char *text = "我们 village 的 road 修通了，2020 年";
	size_t len = strlen(text), cut;
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(rows); i++) {
		char label[160];
		int64_t got = textcount_utf8(rows[i].text,
		    strlen(rows[i].text));

		snprintf(label, sizeof(label), "\"%s\" = %lld (got %lld)",
		    rows[i].text, (long long)rows[i].want, (long long)got);
		TEST_CHECK(label, got == rows[i].want);
	}
	/* In two pieces at every character boundary: the same count, a
	 * word split across pieces still one. */
	for (cut = 0; cut <= len; cut++) {
		struct textcount tc = { 0, false };
		char label[64];

		if (cut < len && (text[cut] & 0xc0) == 0x80)
			continue;
		textcount_feed(&tc, text, cut);
		textcount_feed(&tc, text + cut, len - cut);
		snprintf(label, sizeof(label), "pieces at %zu: 11", cut);
		TEST_CHECK(label, tc.count == 11);
	}
	return TEST_EXIT();
}
