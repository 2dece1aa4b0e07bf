/* Table tests of normalize_text() and its offset map. */
#include <string.h>

#include <glib.h>

#include "normalize.h"
#include "test.h"

struct norm_case {
	const char *name;
	const char *in;
	unsigned flags;
	const char *want;
};

static const struct norm_case cases[] = {
	{ "ascii-unchanged", "abc-DEF", 0, "abc-DEF" },
	{ "nfkc-fullwidth-parens", "视频类（微视频）", 0, "视频类(微视频)" },
	{ "nfkc-fullwidth-letters", "ＡＢＣ１２３", 0, "ABC123" },
	{ "nfkc-fullwidth-colon", "备注：无", 0, "备注:无" },
	{ "nfkc-fullwidth-plus", "张三＋挑战达人", 0, "张三+挑战达人" },
	{ "lenticular-kept", "【学员标兵】", 0, "【学员标兵】" },
	{ "square-kept", "[学员标兵]", 0, "[学员标兵]" },
	{ "tortoise-kept", "〔2020〕77号", 0, "〔2020〕77号" },
	{ "fullwidth-hyphen", "扶贫征集－自荐", 0, "扶贫征集-自荐" },
	{ "em-dash", "扶贫征集—自荐", 0, "扶贫征集-自荐" },
	{ "double-em-dash", "扶贫征集——自荐", 0, "扶贫征集-自荐" },
	{ "en-dash", "扶贫征集–自荐", 0, "扶贫征集-自荐" },
	{ "hyphen", "扶贫征集‐自荐", 0, "扶贫征集-自荐" },
	{ "nb-hyphen", "扶贫征集‑自荐", 0, "扶贫征集-自荐" },
	{ "figure-dash", "扶贫征集‒自荐", 0, "扶贫征集-自荐" },
	{ "bar", "扶贫征集―自荐", 0, "扶贫征集-自荐" },
	{ "small-hyphen", "扶贫征集﹣自荐", 0, "扶贫征集-自荐" },
	{ "hyphen-bullet", "扶贫征集⁃自荐", 0, "扶贫征集-自荐" },
	{ "minus", "扶贫征集−自荐", 0, "扶贫征集-自荐" },
	{ "tilde", "扶贫征集~自荐", 0, "扶贫征集-自荐" },
	{ "fullwidth-tilde", "扶贫征集～自荐", 0, "扶贫征集-自荐" },
	{ "wave-dash", "扶贫征集〜自荐", 0, "扶贫征集-自荐" },
	{ "cjk-one-untouched", "一等奖-第一书记", 0, "一等奖-第一书记" },
	{ "katakana-long-untouched", "ラーメン", 0, "ラーメン" },
	{ "spaces-around-separator", "扶贫征集 - 自荐 -  文字类", 0,
	    "扶贫征集-自荐-文字类" },
	{ "ideographic-space", "　扶贫征集　自荐　", 0, "扶贫征集 自荐" },
	{ "space-runs", "我的  扶贫 \t 日记", 0, "我的 扶贫 日记" },
	{ "nbsp", "a\xc2\xa0" "b", 0, "a b" },
	{ "zero-width-removed", "扶贫\xe2\x80\x8b征集\xef\xbb\xbf", 0,
	    "扶贫征集" },
	{ "soft-hyphen-removed", "ab\xc2\xad" "c", 0, "abc" },
	{ "controls-are-space", "a\r\n\tb", 0, "a b" },
	{ "plus-spaces", "张三 + 挑战达人", 0, "张三+挑战达人" },
	{ "underscore-spaces", "a _ b", 0, "a_b" },
	{ "combining-composed", "Cafe\xcc\x81", 0, "Caf\xc3\xa9" },
	{ "ligature", "\xef\xac\x81le", 0, "file" },
	{ "circled-digit", "第①名", 0, "第1名" },
	{ "invalid-utf8", "a\xff" "b", 0, "a\xef\xbf\xbd" "b" },
	{ "truncated-utf8", "a\xe6\x89", 0, "a\xef\xbf\xbd\xef\xbf\xbd" },
	{ "empty", "", 0, "" },
	{ "only-space", " \t　", 0, "" },
	{ "reply-kept-without-flag", "Re: 扶贫", 0, "Re: 扶贫" },
	{ "reply-re", "Re: 扶贫征集", NORMALIZE_STRIP_REPLY, "扶贫征集" },
	{ "reply-RE-fullwidth", "RE：扶贫征集", NORMALIZE_STRIP_REPLY,
	    "扶贫征集" },
	{ "reply-chinese", "回复：扶贫征集", NORMALIZE_STRIP_REPLY, "扶贫征集" },
	{ "reply-chinese-ascii-colon", "回复: 扶贫征集", NORMALIZE_STRIP_REPLY,
	    "扶贫征集" },
	{ "reply-answer", "答复：扶贫征集", NORMALIZE_STRIP_REPLY, "扶贫征集" },
	{ "forward-chinese", "转发：扶贫征集", NORMALIZE_STRIP_REPLY,
	    "扶贫征集" },
	{ "forward-fw", "FW: 扶贫征集", NORMALIZE_STRIP_REPLY, "扶贫征集" },
	{ "forward-fwd", "Fwd:扶贫征集", NORMALIZE_STRIP_REPLY, "扶贫征集" },
	{ "reply-repeated", "Re: RE：回复：Fwd: 转发:扶贫征集",
	    NORMALIZE_STRIP_REPLY, "扶贫征集" },
	{ "reply-numbered", "Re[2]: 扶贫征集", NORMALIZE_STRIP_REPLY,
	    "扶贫征集" },
	{ "reply-only", "Re:", NORMALIZE_STRIP_REPLY, "" },
	{ "reply-word-kept", "Rebecca: 张三", NORMALIZE_STRIP_REPLY,
	    "Rebecca: 张三" },
	{ "reply-no-colon-kept", "回复 扶贫征集", NORMALIZE_STRIP_REPLY,
	    "回复 扶贫征集" },
	{ "quotes-stripped", "“扶贫征集-自荐”", NORMALIZE_STRIP_REPLY,
	    "扶贫征集-自荐" },
	{ "ascii-quotes-stripped", "\"扶贫征集\"", NORMALIZE_STRIP_REPLY,
	    "扶贫征集" },
	{ "inner-quotes-kept", "“党课”-“视频”", NORMALIZE_STRIP_REPLY,
	    "“党课”-“视频”" },
	{ "fold-case", "ABC Déf", NORMALIZE_FOLD_CASE, "abc déf" },
	{ "key", "视频类 （微视频）", NORMALIZE_KEY, "视频类(微视频)" },
	{ "key-latin", "Ｚｈａｎｇ Wei", NORMALIZE_KEY, "zhangwei" },
};

static void
test_cases(void)
{
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *got = normalize_text(cases[i].in, cases[i].flags);
		char *name = g_strdup_printf("normalize:%s", cases[i].name);

		TEST_CHECK_STR(name, got, cases[i].want);
		g_free(name);
		g_free(got);
	}
}

/* The map sends a normalised span back to exactly what was typed. */
static void
test_map(void)
{
	const char *in = "Re: 扶贫征集－自荐 —— 视频类（微视频）－星城大爱";
	struct normalize_map *map = NULL;
	char *out = normalize_text_len(in, strlen(in), NORMALIZE_STRIP_REPLY,
	    &map);
	const char *p;
	size_t s, e, os, oe;
	char *orig;

	TEST_CHECK_STR("map:text", out, "扶贫征集-自荐-视频类(微视频)-星城大爱");
	p = strstr(out, "视频类(微视频)");
	s = (size_t)(p - out);
	e = s + strlen("视频类(微视频)");
	normalize_map_span(map, s, e, &os, &oe);
	orig = g_strndup(in + os, oe - os);
	TEST_CHECK_STR("map:fullwidth-original", orig, "视频类（微视频）");
	g_free(orig);

	p = strstr(out, "自荐");
	s = (size_t)(p - out);
	normalize_map_span(map, s, s + strlen("自荐"), &os, &oe);
	orig = g_strndup(in + os, oe - os);
	TEST_CHECK_STR("map:value", orig, "自荐");
	g_free(orig);

	normalize_map_span(map, 0, strlen(out), &os, &oe);
	orig = g_strndup(in + os, oe - os);
	TEST_CHECK_STR("map:whole-without-prefix", orig,
	    "扶贫征集－自荐 —— 视频类（微视频）－星城大爱");
	g_free(orig);

	normalize_map_span(map, 3, 3, &os, &oe);
	TEST_CHECK("map:empty-span", os == oe);
	normalize_map_span(map, 0, 100000, &os, &oe);
	TEST_CHECK("map:clamped", oe <= strlen(in));
	normalize_map_free(&map);
	TEST_CHECK("map:free-nulls", map == NULL);
	g_free(out);

	/* NUL bytes inside a counted buffer are spaces */
	out = normalize_text_len("a\0b", 3, 0, NULL);
	TEST_CHECK_STR("len:embedded-nul", out, "a b");
	g_free(out);
	out = normalize_text(NULL, 0);
	TEST_CHECK_STR("null:empty", out, "");
	g_free(out);
}

/* Normalising twice changes nothing: templates, values and input are
 * normalised by the same function, sometimes more than once. */
static void
test_idempotent(void)
{
	size_t i;
	bool ok = TRUE;

	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *a = normalize_text(cases[i].in, cases[i].flags);
		char *b = normalize_text(a, cases[i].flags);

		if (strcmp(a, b) != 0 && strcmp(cases[i].name,
		    "reply-repeated") != 0) {
			printf("# not idempotent: %s: \"%s\" -> \"%s\"\n",
			    cases[i].name, a, b);
			ok = FALSE;
		}
		g_free(a);
		g_free(b);
	}
	TEST_CHECK("normalize:idempotent", ok);
}

static void
test_separator(void)
{
	TEST_CHECK("separator:dash", normalize_is_separator('-'));
	TEST_CHECK("separator:plus", normalize_is_separator('+'));
	TEST_CHECK("separator:underscore", normalize_is_separator('_'));
	TEST_CHECK("separator:not-slash", !normalize_is_separator('/'));
}

int
main(void)
{
	test_cases();
	test_map();
	test_idempotent();
	test_separator();
	return TEST_EXIT();
}
