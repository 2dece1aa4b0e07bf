/*
 * replytag: subjects of mail that answers our replies, with our wrapping
 * and mail clients' prefixes taken off, from a table.
 */
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

#include "replytag.h"
#include "test.h"

static const char *const defaults[] = {
	"【已收到】{receipt} {title}",
	"【请更正】{subject}（查询码 {ref}）",
	"【未受理·不在征集时间内】{subject}（查询码 {ref}）",
	"【未受理·超出名额】{subject}（查询码 {ref}）",
	NULL,
};

static void
test_strip(void)
{
	static const struct {
		const char *name, *subject, *want;
	} rows[] = {
		{ "untouched", "扶贫征集-推荐-图片类-山乡巨变",
		    "扶贫征集-推荐-图片类-山乡巨变" },
		{ "reply-once", "回复：【请更正】扶贫征集-推荐-图片类-山乡巨变"
		    "（查询码 3F9A2C1B）", "扶贫征集-推荐-图片类-山乡巨变" },
		/* what a second round looked like: our tag outside the
		 * client's, two 查询码 */
		{ "reply-twice", "【请更正】回复：【请更正】扶贫征集-推荐-图片类-"
		    "山乡巨变（查询码 3F9A2C1B）（查询码 77AB01CD）",
		    "扶贫征集-推荐-图片类-山乡巨变" },
		{ "half-width", "Re: 【请更正】扶贫征集-推荐-图片类-山乡巨变 "
		    "(查询码 3F9A2C1B)", "扶贫征集-推荐-图片类-山乡巨变" },
		{ "no-space-in-ref", "回复:【请更正】星城大爱（查询码3F9A2C1B）",
		    "星城大爱" },
		{ "outlook-re-fw", "RE: FW: 【未受理·超出名额】星城大爱（查询码 "
		    "AB12CD34）", "星城大爱" },
		{ "re-n", "Re[2]: 【请更正】星城大爱（查询码 AB12CD34）",
		    "星城大爱" },
		{ "full-width-space", "回复：　【请更正】　星城大爱　（查询码　"
		    "AB12CD34）　", "星城大爱" },
		{ "client-only", "回复：扶贫征集-推荐-图片类-山乡巨变",
		    "扶贫征集-推荐-图片类-山乡巨变" },
		/* not ours: left alone */
		{ "their-brackets", "【扶贫征集】-自荐-文字类-我的扶贫路",
		    "【扶贫征集】-自荐-文字类-我的扶贫路" },
		{ "their-parens", "星城大爱（第二版）", "星城大爱（第二版）" },
		{ "ref-not-a-token", "星城大爱（查询码 我的）",
		    "星城大爱（查询码 我的）" },
		{ "ref-in-middle", "星城大爱（查询码 AB12CD34）续集",
		    "星城大爱（查询码 AB12CD34）续集" },
		{ "receipt-template-wraps-nothing", "【已收到】FP-2024-0001 山乡巨变",
		    "【已收到】FP-2024-0001 山乡巨变" },
		{ "red-is-no-re", "Red Star-推荐", "Red Star-推荐" },
		{ "only-tags", "回复：【请更正】（查询码 AB12CD34）",
		    "（查询码 AB12CD34）" },
		{ "empty", "", "" },
		{ "invalid-utf8", "\xff\xfe【请更正】", "\xff\xfe【请更正】" },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *got = replytag_strip(rows[i].subject,
		    defaults);
		g_autofree char *name = g_strdup_printf("strip-%s",
		    rows[i].name);

		TEST_CHECK_STR(name, got, rows[i].want);
	}
}

static void
test_campaign_templates(void)
{
	static const char *const own[] = {
		"[更正] {subject} / ref {ref}", NULL,
	};
	g_autofree char *got = replytag_strip("Re: [更正] 星城大爱 / ref "
	    "XYZ-1", own);
	g_autofree char *none = replytag_strip("【请更正】星城大爱", NULL);
	g_autofree char *null = replytag_strip(NULL, own);

	TEST_CHECK_STR("campaign-own-wrapping", got, "星城大爱");
	/* without templates only the client's prefixes go */
	TEST_CHECK_STR("no-templates", none, "【请更正】星城大爱");
	TEST_CHECK_STR("null-subject", null, "");
	/* a template whose wrapping is white space takes nothing off, and
	 * returns */
	{
		static const char *const blank[] = { " {subject} ", NULL };
		g_autofree char *b = replytag_strip("星城大爱", blank);

		TEST_CHECK_STR("blank-wrapping", b, "星城大爱");
	}
}

/* A hostile subject of many wrappers: bounded work, everything off. */
static void
test_many(void)
{
	GString *s = g_string_new("");
	unsigned i;

	for (i = 0; i < 300; i++)
		g_string_append(s, "回复：【请更正】");
	g_string_append(s, "星城大爱");
	for (i = 0; i < 300; i++)
		g_string_append(s, "（查询码 AB12CD34）");
	{
		g_autofree char *got = replytag_strip(s->str, defaults);

		TEST_CHECK_STR("many-wrappers", got, "星城大爱");
	}
	g_string_free(s, TRUE);
}

int
main(void)
{
	test_strip();
	test_campaign_templates();
	test_many();
	return test_failures == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
