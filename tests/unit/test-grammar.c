/* Tests of grammar compilation, matching and diagnosis. */
#include <string.h>

#include <glib.h>

#include "grammar.h"
#include "mail_limits.h"
#include "test.h"

static const char *const modes[] = { "推荐", "自荐" };
static const char *const kinds[] = {
	"文字类", "图片类", "视频类（微视频）", "视频类(微电影)",
};
static const char *const kind_aliases[] = {
	"微视频", "视频类(微视频)",
	"微电影", "视频类(微电影)",
	"文学类", "文字类",
};
static const char *const titles[] = { "星城大爱", "脱贫路上" };

static const struct grammar_field_spec fupin[] = {
	{ .name = "方式", .type = GRAMMAR_FIELD_ENUM, .values = modes,
	  .value_count = 2 },
	{ .name = "类别", .type = GRAMMAR_FIELD_ENUM, .values = kinds,
	  .value_count = 4, .aliases = kind_aliases, .alias_count = 3 },
	{ .name = "作品名称", .type = GRAMMAR_FIELD_TEXT, .has_min = true,
	  .min = 1, .has_max = true, .max = 20, .examples = titles,
	  .example_count = 2 },
};
#define FUPIN_TEMPLATE "扶贫征集-{方式}-{类别}-{作品名称}"

static struct grammar *
compile(enum grammar_target t, const char *tmpl, const char *raw,
    const struct grammar_field_spec *f, size_t n)
{
	struct grammar *g = NULL;
	char *err = NULL;

	if (grammar_compile(t, tmpl, raw, f, n, &g, &err) < 0) {
		printf("# compile \"%s\": %s\n", tmpl ? tmpl : raw, err);
		g_free(err);
	}
	return g;
}

static int
match(const struct grammar *g, const char *text, struct grammar_result **r)
{
	char *err = NULL;
	int rc = grammar_match(g, text, r, &err);

	if (rc < 0) {
		printf("# match error: %s\n", err);
		g_free(err);
	}
	return rc;
}

static void
expect_compile_error(const char *name, const char *tmpl, const char *raw,
    const struct grammar_field_spec *f, size_t n, const char *want)
{
	struct grammar *g = NULL;
	char *err = NULL;
	int rc = grammar_compile(GRAMMAR_SUBJECT, tmpl, raw, f, n, &g, &err);

	TEST_CHECK(name, rc < 0 && g == NULL && err != NULL &&
	    strstr(err, want) != NULL);
	if (err != NULL && strstr(err, want) == NULL)
		printf("# got: %s\n", err);
	g_free(err);
	grammar_free(&g);
}

static void
test_compile_errors(void)
{
	static const struct grammar_field_spec two_text[] = {
		{ .name = "a", .type = GRAMMAR_FIELD_TEXT },
		{ .name = "b", .type = GRAMMAR_FIELD_TEXT },
	};
	static const struct grammar_field_spec empty_enum[] = {
		{ .name = "a", .type = GRAMMAR_FIELD_ENUM },
	};

	expect_compile_error("compile:undefined", "X-{nope}", NULL, fupin, 3,
	    "{nope} is not a defined field");
	expect_compile_error("compile:twice", "{方式}-{方式}", NULL, fupin, 3,
	    "used twice");
	expect_compile_error("compile:unclosed", "X-{方式", NULL, fupin, 3,
	    "without \"}\"");
	expect_compile_error("compile:stray-close", "X}-{方式}", NULL, fupin,
	    3, "unmatched");
	expect_compile_error("compile:no-field", "扶贫征集", NULL, fupin, 3,
	    "no {field}");
	expect_compile_error("compile:adjacent-free", "{a}{b}", NULL,
	    two_text, 2, "need literal text between them");
	expect_compile_error("compile:enum-without-values", "x-{a}", NULL,
	    empty_enum, 1, "needs values");
	expect_compile_error("compile:nothing", NULL, NULL, fupin, 3,
	    "neither");
	expect_compile_error("compile:bad-regex", NULL, "^(?<方式>推荐", fupin,
	    3, "pattern at offset");
	expect_compile_error("compile:regex-unknown-group", NULL,
	    "^(?<nope>.+)$", fupin, 3, "{nope} is not a defined field");
}

static void
test_match_basic(void)
{
	struct grammar *g = compile(GRAMMAR_SUBJECT, FUPIN_TEMPLATE, NULL,
	    fupin, 3);
	struct grammar_result *r = NULL;
	const char *n, *v, *o;
	char *ex;

	TEST_CHECK("basic:compiled", g != NULL);
	if (g == NULL)
		return;
	TEST_CHECK("basic:match",
	    match(g, "回复：扶贫征集－自荐－视频类（微视频）－星城 大爱", &r) == 1);
	TEST_CHECK("basic:field-count", grammar_result_field_count(r) == 3);
	TEST_CHECK_STR("basic:get-mode", grammar_result_get(r, "方式"), "自荐");
	TEST_CHECK_STR("basic:get-kind", grammar_result_get(r, "类别"),
	    "视频类(微视频)");
	grammar_result_field(r, 1, &n, &v, &o);
	TEST_CHECK_STR("basic:field-name", n, "类别");
	TEST_CHECK_STR("basic:field-original", o, "视频类（微视频）");
	grammar_result_field(r, 2, &n, &v, &o);
	TEST_CHECK_STR("basic:title", v, "星城 大爱");
	TEST_CHECK_STR("basic:title-original", o, "星城 大爱");
	TEST_CHECK("basic:get-unknown", grammar_result_get(r, "x") == NULL);
	TEST_CHECK("basic:no-diagnostics",
	    grammar_result_diagnostics(r) == NULL &&
	    grammar_result_diag_count(r) == 0);
	TEST_CHECK("basic:no-extension",
	    grammar_result_extension(r) == NULL);
	grammar_result_free(&r);
	TEST_CHECK("basic:result-free-nulls", r == NULL);

	TEST_CHECK("basic:alias", match(g, "扶贫征集-推荐-微电影-X", &r) == 1 &&
	    strcmp(grammar_result_get(r, "类别"), "视频类(微电影)") == 0);
	grammar_result_free(&r);
	TEST_CHECK("basic:title-with-separator",
	    match(g, "扶贫征集-推荐-文字类-A-B-C", &r) == 1 &&
	    strcmp(grammar_result_get(r, "作品名称"), "A-B-C") == 0);
	grammar_result_free(&r);
	TEST_CHECK("basic:spaces-inside-value",
	    match(g, "扶贫征集-推荐-视频类 (微 视频)-X", &r) == 1);
	grammar_result_free(&r);

	TEST_CHECK_STR("basic:pattern-starts", grammar_pattern(g) != NULL &&
	    g_str_has_prefix(grammar_pattern(g), "^扶贫征集") ? "y" : "n", "y");
	TEST_CHECK("basic:format-lists-values",
	    strstr(grammar_format(g), FUPIN_TEMPLATE) != NULL &&
	    strstr(grammar_format(g), "视频类(微电影)") != NULL);
	ex = grammar_example(g, 0);
	TEST_CHECK_STR("basic:example-0", ex, "扶贫征集-推荐-文字类-星城大爱");
	g_free(ex);
	ex = grammar_example(g, 1);
	TEST_CHECK_STR("basic:example-1", ex, "扶贫征集-自荐-文字类-星城大爱");
	g_free(ex);
	ex = grammar_example(g, 2 * 4);
	TEST_CHECK_STR("basic:example-8", ex, "扶贫征集-推荐-文字类-脱贫路上");
	g_free(ex);
	TEST_CHECK("basic:target", grammar_target(g) == GRAMMAR_SUBJECT);
	TEST_CHECK("basic:uses", grammar_uses_field(g, "类别") &&
	    !grammar_uses_field(g, "x"));
	TEST_CHECK("basic:field-count", grammar_field_count(g) == 3 &&
	    strcmp(grammar_field_name(g, 0), "方式") == 0);
	grammar_free(&g);
	TEST_CHECK("basic:free-nulls", g == NULL);
}

static void
expect_codes(const struct grammar *g, const char *name, const char *text,
    const char *codes)
{
	struct grammar_result *r = NULL;
	char **want = g_strsplit(codes, ";", -1);
	bool ok;
	size_t i;
	int rc = match(g, text, &r);

	ok = rc == 0 && r != NULL && grammar_result_diagnostics(r) != NULL;
	for (i = 0; ok && want[i] != NULL; i++)
		ok = grammar_result_has_diag(r, want[i]);
	if (!ok && r != NULL) {
		printf("# %s: \"%s\" rc %d codes:", name, text, rc);
		for (i = 0; i < grammar_result_diag_count(r); i++)
			printf(" %s", grammar_result_diag_code(r, i));
		printf("\n");
	}
	TEST_CHECK(name, ok);
	g_strfreev(want);
	grammar_result_free(&r);
}

static void
test_diagnostics(void)
{
	struct grammar *g = compile(GRAMMAR_SUBJECT, FUPIN_TEMPLATE, NULL,
	    fupin, 3);
	struct grammar_result *r = NULL;
	const char *text;
	GString *big;

	if (g == NULL)
		return;
	TEST_CHECK("diag:enum-rc", match(g, "扶贫征集-自荐-视频类-星城大爱",
	    &r) == 0);
	text = grammar_result_diagnostics(r);
	TEST_CHECK("diag:enum-code", grammar_result_diag_count(r) == 1 &&
	    strcmp(grammar_result_diag_code(r, 0), "enum:类别") == 0);
	TEST_CHECK("diag:enum-suggests", text != NULL && strstr(text,
	    "“视频类”不是有效的“类别”。您是否指：视频类(微视频)、视频类(微电影)？")
	    != NULL);
	TEST_CHECK("diag:has-format", text != NULL &&
	    strstr(text, FUPIN_TEMPLATE) != NULL);
	TEST_CHECK("diag:has-example", text != NULL &&
	    strstr(text, "示例：扶贫征集-推荐-文字类-星城大爱") != NULL);
	grammar_result_free(&r);

	TEST_CHECK("diag:edit-distance", match(g, "扶贫征集-自荐-图画类-X",
	    &r) == 0 && strstr(grammar_result_diagnostics(r),
	    "您是否指：图片类？") != NULL);
	grammar_result_free(&r);
	TEST_CHECK("diag:nothing-close", match(g, "扶贫征集-自荐-音乐-X",
	    &r) == 0 && strstr(grammar_result_diagnostics(r),
	    "可选的“类别”：文字类、图片类") != NULL);
	grammar_result_free(&r);
	TEST_CHECK("diag:order-text", match(g, "扶贫征集-文字类-自荐-X",
	    &r) == 0 && strstr(grammar_result_diagnostics(r),
	    "“文字类”是“类别”") != NULL);
	grammar_result_free(&r);

	expect_codes(g, "diag:missing", "扶贫征集-自荐-X", "missing:类别");
	expect_codes(g, "diag:missing-title", "扶贫征集-自荐-文字类",
	    "missing:作品名称");
	expect_codes(g, "diag:empty-title", "扶贫征集-自荐-文字类-",
	    "too-short:作品名称");
	expect_codes(g, "diag:too-long", "扶贫征集-自荐-文字类-"
	    "一二三四五六七八九十一二三四五六七八九十一", "too-long:作品名称");
	expect_codes(g, "diag:order", "扶贫征集-文字类-自荐-X", "order");
	expect_codes(g, "diag:prefix-missing", "自荐-文字类-X", "prefix");
	expect_codes(g, "diag:prefix-wrong", "扶贫征文-自荐-文字类-X",
	    "prefix");
	expect_codes(g, "diag:prefix-elsewhere", "自荐-扶贫征集-文字类-X",
	    "prefix");
	expect_codes(g, "diag:empty", "", "empty");
	expect_codes(g, "diag:empty-after-reply", "Re: 回复：", "empty");
	expect_codes(g, "diag:typo-mode", "扶贫征集-自建-文字类-X",
	    "enum:方式");

	big = g_string_new(NULL);
	while (big->len <= LIMIT_SUBJECT_BYTES)
		g_string_append(big, "扶贫征集-");
	expect_codes(g, "diag:over-limit", big->str, "too-long");
	g_string_free(big, TRUE);

	/* invalid UTF-8 is replaced, never matched as a value */
	expect_codes(g, "diag:invalid-utf8", "扶贫征集-自\xff荐-文字类-X",
	    "enum:方式");
	TEST_CHECK("diag:invalid-utf8-title",
	    match(g, "扶贫征集-自荐-文字类-\xe6\x98", &r) == 1);
	grammar_result_free(&r);
	TEST_CHECK("diag:null-text", match(g, NULL, &r) == 0 &&
	    grammar_result_has_diag(r, "empty"));
	grammar_result_free(&r);
	grammar_free(&g);
}

static void
expect_fix(const struct grammar *g, const char *name, const char *text,
    const char *want)
{
	struct grammar_result *r = NULL;
	const char *fix;

	TEST_CHECK(name, match(g, text, &r) == 0);
	fix = r != NULL ? grammar_result_correction(r) : NULL;
	if (g_strcmp0(fix, want) != 0)
		printf("# %s: \"%s\" -> \"%s\"\n", name, text,
		    fix != NULL ? fix : "(none)");
	TEST_CHECK(name, g_strcmp0(fix, want) == 0);
	grammar_result_free(&r);
}

/* The text to copy: built from what was sent, literals as the template
 * writes them, a blank where a value cannot be told, and never a text
 * that would be refused again. */
static void
test_correction(void)
{
	struct grammar *g = compile(GRAMMAR_SUBJECT, "扶贫征集－{方式}－{类别}－"
	    "{作品名称}", NULL, fupin, 3);
	struct grammar_result *r = NULL;
	const char *d;

	if (g == NULL)
		return;
	TEST_CHECK("fix:none-on-match", match(g, "扶贫征集-自荐-文字类-X", &r) ==
	    1 && grammar_result_correction(r) == NULL);
	grammar_result_free(&r);
	/* the literals as written (full-width dashes), values canonical */
	expect_fix(g, "fix:order", "扶贫征集-微视频-自荐-星城大爱",
	    "扶贫征集－自荐－视频类(微视频)－星城大爱");
	expect_fix(g, "fix:near-miss", "扶贫征集-自荐-图画类-星城大爱",
	    "扶贫征集－自荐－图片类－星城大爱");
	expect_fix(g, "fix:two-close-is-blank", "扶贫征集-自荐-视频类-星城大爱",
	    "扶贫征集－自荐－【请填写类别】－星城大爱");
	expect_fix(g, "fix:missing-is-blank", "扶贫征集 文字类 星城大爱",
	    "扶贫征集－【请填写方式】－文字类－星城大爱");
	expect_fix(g, "fix:extra-dropped", "扶贫征集-自荐-某某县-文字类-X",
	    "扶贫征集－自荐－文字类－X");
	expect_fix(g, "fix:title-keeps-spaces", "扶贫征集-自荐-文字类 我的 日记",
	    "扶贫征集－自荐－文字类－我的 日记");
	/* a title over its maximum is no value to offer */
	expect_fix(g, "fix:too-long-title", "扶贫征集-自荐-微视频-"
	    "一二三四五六七八九十一二三四五六七八九十一", NULL);
	/* more blanks than values: the format says as much */
	expect_fix(g, "fix:mostly-blank", "随便写的", NULL);
	TEST_CHECK("fix:line-before-format", match(g,
	    "扶贫征集-推荐-某某县-图片类-X", &r) == 0 &&
	    (d = grammar_result_diagnostics(r)) != NULL &&
	    strstr(d, "多出“某某县”，请删除。\n请将邮件主题改为：扶贫征集－推荐－"
	    "图片类－X\n规定的邮件主题格式") != NULL);
	grammar_result_free(&r);
	grammar_free(&g);

	g = compile(GRAMMAR_FILENAME, "{作品名称}-{类别}", NULL, fupin, 3);
	if (g == NULL)
		return;
	expect_fix(g, "fix:extension-as-typed", "文字类-星城大爱.DOCX",
	    "星城大爱-文字类.DOCX");
	TEST_CHECK("fix:file-line", match(g, "文字类-星城大爱.DOCX", &r) == 0 &&
	    strstr(grammar_result_diagnostics(r),
	    "请将文件名改为：星城大爱-文字类.DOCX\n") != NULL);
	grammar_result_free(&r);
	grammar_free(&g);
}

static void
test_types(void)
{
	static const char *const items[] = { "学员标兵", "挑战达人" };
	static const char *const units[] = { "金坛区委组织部", "市级机关工委" };
	static const char *const unit_aliases[] = {
		"中共金坛区委组织部", "金坛区委组织部",
	};
	static const struct grammar_field_spec f[] = {
		{ .name = "姓名", .type = GRAMMAR_FIELD_NAME },
		{ .name = "项目", .type = GRAMMAR_FIELD_ENUM, .values = items,
		  .value_count = 2 },
		{ .name = "序号", .type = GRAMMAR_FIELD_INTEGER,
		  .has_min = true, .min = 1, .has_max = true, .max = 99,
		  .optional = true },
		{ .name = "单位", .type = GRAMMAR_FIELD_UNIT, .values = units,
		  .value_count = 2, .aliases = unit_aliases,
		  .alias_count = 1 },
	};
	struct grammar *g;
	struct grammar_result *r = NULL;
	char *ex;

	g = compile(GRAMMAR_SUBJECT, "{姓名}+{项目}-{序号}-{单位}", NULL, f,
	    4);
	if (g == NULL) {
		TEST_CHECK("types:compiled", FALSE);
		return;
	}
	TEST_CHECK("types:all", match(g, "张三+学员标兵-3-金坛区委组织部",
	    &r) == 1 && strcmp(grammar_result_get(r, "序号"), "3") == 0);
	grammar_result_free(&r);
	TEST_CHECK("types:optional-absent", match(g,
	    "张三＋挑战达人-市级机关工委", &r) == 1 &&
	    grammar_result_get(r, "序号") == NULL);
	grammar_result_free(&r);
	TEST_CHECK("types:dash-for-plus", match(g,
	    "张三-挑战达人-市级机关工委", &r) == 1);
	grammar_result_free(&r);
	TEST_CHECK("types:leading-zero", match(g,
	    "张三+学员标兵-007-金坛区委组织部", &r) == 1 &&
	    strcmp(grammar_result_get(r, "序号"), "7") == 0);
	grammar_result_free(&r);
	TEST_CHECK("types:unit-alias", match(g,
	    "张三+学员标兵-中共金坛区委组织部", &r) == 1 &&
	    strcmp(grammar_result_get(r, "单位"), "金坛区委组织部") == 0);
	grammar_result_free(&r);
	TEST_CHECK("types:ethnic-name", match(g,
	    "阿依古丽・买买提+学员标兵-市级机关工委", &r) == 1 &&
	    strcmp(grammar_result_get(r, "姓名"), "阿依古丽·买买提") == 0);
	grammar_result_free(&r);
	TEST_CHECK("types:latin-name", match(g,
	    "Zhang Wei+学员标兵-市级机关工委", &r) == 1);
	grammar_result_free(&r);
	expect_codes(g, "types:bad-name", "张三3+学员标兵-市级机关工委",
	    "type:姓名");
	expect_codes(g, "types:one-char-name", "张+学员标兵-市级机关工委",
	    "type:姓名");
	expect_codes(g, "types:bad-integer", "张三+学员标兵-abc-市级机关工委",
	    "type:序号");
	expect_codes(g, "types:integer-range", "张三+学员标兵-100-市级机关工委",
	    "type:序号");
	expect_codes(g, "types:unit-unknown", "张三+学员标兵-1-武进区委组织部",
	    "unit:单位");
	expect_codes(g, "types:swapped-name", "学员标兵+张三-市级机关工委",
	    "order");
	ex = grammar_example(g, 0);
	TEST_CHECK_STR("types:example", ex, "张三+学员标兵-1-金坛区委组织部");
	g_free(ex);
	grammar_free(&g);
}

static void
test_filename(void)
{
	static const char *const kinds2[] = { "微视频", "纪录片" };
	static const struct grammar_field_spec f[] = {
		{ .name = "作品名", .type = GRAMMAR_FIELD_TEXT, .has_max = true,
		  .max = 60 },
		{ .name = "分类", .type = GRAMMAR_FIELD_ENUM, .values = kinds2,
		  .value_count = 2 },
		{ .name = "报送单位", .type = GRAMMAR_FIELD_UNIT },
	};
	struct grammar *g = compile(GRAMMAR_FILENAME, "{作品名}-{分类}-{报送单位}",
	    NULL, f, 3);
	struct grammar_result *r = NULL;

	if (g == NULL) {
		TEST_CHECK("filename:compiled", FALSE);
		return;
	}
	TEST_CHECK("filename:match", match(g, "初心-微视频-XX市（区）委组织部.MP4",
	    &r) == 1);
	TEST_CHECK_STR("filename:ext", grammar_result_extension(r), "mp4");
	TEST_CHECK_STR("filename:unit", grammar_result_get(r, "报送单位"),
	    "XX市(区)委组织部");
	grammar_result_free(&r);
	TEST_CHECK("filename:dash-in-first-title", match(g,
	    "我和我的祖国-献礼-纪录片-某单位.mp4", &r) == 1 &&
	    strcmp(grammar_result_get(r, "作品名"), "我和我的祖国-献礼") == 0);
	grammar_result_free(&r);
	TEST_CHECK("filename:no-ext", match(g, "A-微视频-B", &r) == 1 &&
	    grammar_result_extension(r) == NULL);
	grammar_result_free(&r);
	TEST_CHECK("filename:dot-not-ext", match(g, "A-微视频-第1.5版单位",
	    &r) == 1);
	grammar_result_free(&r);
	expect_codes(g, "filename:only-ext", ".mp4", "empty");
	expect_codes(g, "filename:typo", "初心-微视屏-某单位.mp4", "enum:分类");
	expect_codes(g, "filename:empty-title", "-微视频-某单位.mp4",
	    "too-short:作品名");
	TEST_CHECK("filename:diag-keeps-ext", match(g, "x.mp4", &r) == 0 &&
	    strstr(grammar_result_diagnostics(r), "文件名") != NULL &&
	    strstr(grammar_result_diagnostics(r), ".mp4") != NULL);
	grammar_result_free(&r);
	grammar_free(&g);
}

static void
test_raw_regex(void)
{
	struct grammar *g;
	struct grammar_result *r = NULL;

	/* field names as group names, in Chinese */
	g = compile(GRAMMAR_SUBJECT, NULL,
	    "^扶贫征集-(?<方式>推荐|自荐)-(?<类别>[^-]+)-(?<作品名称>.+)$",
	    fupin, 3);
	if (g == NULL) {
		TEST_CHECK("raw:compiled", FALSE);
		return;
	}
	TEST_CHECK("raw:renamed", strstr(grammar_pattern(g), "(?<f0>") != NULL);
	TEST_CHECK("raw:match", match(g, "扶贫征集-自荐-微视频-星城", &r) == 1 &&
	    strcmp(grammar_result_get(r, "类别"), "视频类(微视频)") == 0);
	grammar_result_free(&r);
	/* values are still checked after the pattern matched */
	expect_codes(g, "raw:enum-checked", "扶贫征集-自荐-视频类-星城",
	    "enum:类别");
	expect_codes(g, "raw:no-match", "随便", "format");
	TEST_CHECK("raw:no-example", grammar_example(g, 0) == NULL);
	grammar_free(&g);

	/* both: the pattern decides, the template explains */
	g = compile(GRAMMAR_SUBJECT, FUPIN_TEMPLATE,
	    "^扶贫征集-(?'方式'推荐|自荐)-(?P<类别>[^-]+)-(?<作品名称>.+)$",
	    fupin, 3);
	TEST_CHECK("raw+template:compiled", g != NULL);
	if (g != NULL) {
		char *ex = grammar_example(g, 3);

		TEST_CHECK("raw+template:example-matches",
		    match(g, ex, &r) == 1);
		grammar_result_free(&r);
		g_free(ex);
		expect_codes(g, "raw+template:diagnosis",
		    "扶贫征集-自荐-星城", "missing:类别");
		grammar_free(&g);
	}
}

static void
test_optional_and_literals(void)
{
	static const char *const items[] = { "A", "Bc" };
	static const struct grammar_field_spec f[] = {
		{ .name = "x", .type = GRAMMAR_FIELD_ENUM, .values = items,
		  .value_count = 2, .optional = true },
		{ .name = "t", .type = GRAMMAR_FIELD_TEXT },
	};
	struct grammar *g;
	struct grammar_result *r = NULL;

	g = compile(GRAMMAR_SUBJECT, "{x}-{t}{{1}}", NULL, f, 2);
	if (g == NULL) {
		TEST_CHECK("optional:compiled", FALSE);
		return;
	}
	TEST_CHECK("optional:present", match(g, "bc-hello{1}", &r) == 1 &&
	    strcmp(grammar_result_get(r, "x"), "Bc") == 0 &&
	    strcmp(grammar_result_get(r, "t"), "hello") == 0);
	grammar_result_free(&r);
	TEST_CHECK("optional:absent", match(g, "hello{1}", &r) == 1 &&
	    grammar_result_get(r, "x") == NULL);
	grammar_result_free(&r);
	TEST_CHECK("optional:case-insensitive", match(g, "ＢＣ-hi{1}", &r) == 1);
	grammar_result_free(&r);
	grammar_free(&g);
}

/* Hostile input: long runs of separators and near-matches must finish
 * quickly, never hit the PCRE2 limits, never crash. */
static void
test_hostile(void)
{
	static const char *const pieces[] = {
		"-", "扶贫征集-", "自荐-", "视频类(", "a+", "(", "【", " ",
		"\xff", "视频类-微视频-", "自荐 文字类-", "x 图片 y z ",
	};
	struct grammar *g = compile(GRAMMAR_SUBJECT, FUPIN_TEMPLATE, NULL,
	    fupin, 3);
	size_t i;
	bool ok = TRUE;

	if (g == NULL)
		return;
	for (i = 0; i < G_N_ELEMENTS(pieces); i++) {
		GString *s = g_string_new(NULL);
		struct grammar_result *r = NULL;
		char *err = NULL;
		int rc;

		while (s->len + strlen(pieces[i]) <= LIMIT_SUBJECT_BYTES)
			g_string_append(s, pieces[i]);
		rc = grammar_match(g, s->str, &r, &err);
		if (rc < 0 || r == NULL) {
			printf("# hostile %zu: rc %d %s\n", i, rc,
			    err ? err : "");
			ok = FALSE;
		}
		g_free(err);
		grammar_result_free(&r);
		g_string_free(s, TRUE);
	}
	TEST_CHECK("hostile:bounded", ok);
	grammar_free(&g);
}

/* A unit field with a roster, aliases and open globs: listed names and
 * aliases become the roster name, names an open glob admits are kept as
 * written, and a miss is offered only a unit one edit away. */
static void
test_unit_roster(void)
{
	static const char *const units[] = {
		"金坛区委组织部", "溧阳市委组织部", "市级机关工委",
	};
	static const char *const unit_aliases[] = {
		"中共金坛区委组织部", "金坛区委组织部",
		"常州市金坛区委组织部", "金坛区委组织部",
	};
	static const char *const open[] = { "*党委" };
	static const char *const any[] = { "*" };
	static const char *const cats[] = { "微视频", "新媒体作品" };
	struct grammar_field_spec f[] = {
		{ .name = "作品名", .type = GRAMMAR_FIELD_TEXT },
		{ .name = "分类", .type = GRAMMAR_FIELD_ENUM, .values = cats,
		  .value_count = 2 },
		{ .name = "报送单位", .type = GRAMMAR_FIELD_UNIT, .values = units,
		  .value_count = 3, .aliases = unit_aliases, .alias_count = 2,
		  .open = open, .open_count = 1 },
	};
	struct grammar *g;
	struct grammar_result *r = NULL;
	const char *d;
	char *ex;

	g = compile(GRAMMAR_FILENAME, "{作品名}-{分类}-{报送单位}", NULL, f, 3);
	if (g == NULL) {
		TEST_CHECK("roster:compiled", FALSE);
		return;
	}
	TEST_CHECK("roster:alias", match(g, "初心如磐-微视频-中共金坛区委组织部"
	    ".mp4", &r) == 1 &&
	    strcmp(grammar_result_get(r, "报送单位"), "金坛区委组织部") == 0);
	grammar_result_free(&r);
	TEST_CHECK("roster:open", match(g, "红色引擎-微视频-常州大学党委.mp4",
	    &r) == 1 &&
	    strcmp(grammar_result_get(r, "报送单位"), "常州大学党委") == 0);
	grammar_result_free(&r);
	/* the glob takes no dash, so the title keeps its own */
	TEST_CHECK("roster:open-anchors", match(g,
	    "红色-微视频-引擎-微视频-常州大学党委.mp4", &r) == 1 &&
	    strcmp(grammar_result_get(r, "作品名"), "红色-微视频-引擎") == 0 &&
	    strcmp(grammar_result_get(r, "分类"), "微视频") == 0 &&
	    strcmp(grammar_result_get(r, "报送单位"), "常州大学党委") == 0);
	grammar_result_free(&r);
	TEST_CHECK("roster:open-only-suffix", match(g,
	    "初心如磐-微视频-党委.mp4", &r) == 0 &&
	    grammar_result_has_diag(r, "unit:报送单位"));
	grammar_result_free(&r);

	TEST_CHECK("roster:typo", match(g, "初心如磐-微视频-金坛区委组织布.mp4",
	    &r) == 0 && grammar_result_has_diag(r, "unit:报送单位") &&
	    (d = grammar_result_diagnostics(r)) != NULL &&
	    strstr(d, "您是否指：金坛区委组织部") != NULL);
	grammar_result_free(&r);
	TEST_CHECK("roster:other-unit-not-offered", match(g,
	    "初心如磐-微视频-金坛区委宣传部.mp4", &r) == 0 &&
	    grammar_result_has_diag(r, "unit:报送单位") &&
	    (d = grammar_result_diagnostics(r)) != NULL &&
	    strstr(d, "您是否指") == NULL &&
	    strstr(d, "名单：金坛区委组织部、溧阳市委组织部、市级机关工委") !=
	    NULL && strstr(d, "以“党委”结尾") != NULL);
	if (r != NULL && strstr(grammar_result_diagnostics(r), "您是否指"))
		printf("# %s\n", grammar_result_diagnostics(r));
	grammar_result_free(&r);
	TEST_CHECK("roster:prefix-dropped", match(g,
	    "初心如磐-微视频-常州市溧阳市委组织部.mp4", &r) == 0 &&
	    (d = grammar_result_diagnostics(r)) != NULL &&
	    strstr(d, "您是否指：溧阳市委组织部") != NULL);
	grammar_result_free(&r);
	ex = grammar_example(g, 0);
	TEST_CHECK_STR("roster:example", ex, "示例作品名-微视频-金坛区委组织部");
	g_free(ex);
	grammar_free(&g);

	/* "*": any name, and the roster's spellings still canonical */
	f[2].open = any;
	g = compile(GRAMMAR_FILENAME, "【{分类}】{作品名}（{报送单位}）", NULL,
	    f, 3);
	if (g == NULL) {
		TEST_CHECK("roster:any-compiled", FALSE);
		return;
	}
	TEST_CHECK("roster:any-alias", match(g, "【微视频】初心（中共金坛区委"
	    "组织部）.docx", &r) == 1 &&
	    strcmp(grammar_result_get(r, "报送单位"), "金坛区委组织部") == 0);
	grammar_result_free(&r);
	TEST_CHECK("roster:any-new", match(g, "【微视频】初心（太原学院）.docx",
	    &r) == 1 &&
	    strcmp(grammar_result_get(r, "报送单位"), "太原学院") == 0);
	grammar_result_free(&r);
	grammar_free(&g);
}

int
main(void)
{
	test_compile_errors();
	test_match_basic();
	test_diagnostics();
	test_correction();
	test_types();
	test_unit_roster();
	test_filename();
	test_raw_regex();
	test_optional_and_literals();
	test_hostile();
	return TEST_EXIT();
}
