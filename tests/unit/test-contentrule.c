/*
 * contentrule: a file judged by what libmagic says its first bytes are,
 * from tables: the verdict and the sentence a clerk reads, the values
 * content = takes, and the loader's word on a wrong one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "campaign.h"
#include "contentrule.h"
#include "test.h"

#define PE	"application/vnd.microsoft.portable-executable"
#define DOCX	"application/vnd.openxmlformats-officedocument." \
    "wordprocessingml.document"

static void
test_judge(void)
{
	static const struct {
		const char *name;
		const char *rule;		/* content = ...; NULL: none */
		const char *file, *mime;
		enum content_verdict want;
		const char *text;		/* NULL: none */
	} rows[] = {
		{ "program-as-mp4", NULL, "星城大爱.mp4", PE, CONTENT_PROGRAM,
		    "附件“星城大爱.mp4”实际是 Windows 程序，不能作为作品提交。" },
		{ "program-whatever-the-rule", "any", "星城大爱.mp4",
		    "application/x-dosexec", CONTENT_PROGRAM,
		    "附件“星城大爱.mp4”实际是 Windows 程序，不能作为作品提交。" },
		{ "elf-as-mp4", "video", "星城大爱.mp4",
		    "application/x-pie-executable", CONTENT_PROGRAM,
		    "附件“星城大爱.mp4”实际是可执行程序，不能作为作品提交。" },
		{ "shortcut", NULL, "作品.jpg", "application/x-ms-shortcut",
		    CONTENT_PROGRAM,
		    "附件“作品.jpg”实际是 Windows 快捷方式，不能作为作品提交。" },
		{ "script", NULL, "说明.txt", "text/x-shellscript",
		    CONTENT_PROGRAM,
		    "附件“说明.txt”实际是脚本程序，不能作为作品提交。" },
		{ "docx-as-mp4", "video/*", "星城大爱.mp4", DOCX,
		    CONTENT_MISFIT, "附件“星城大爱.mp4”实际是 Word 文档，不是本次"
		    "征集接受的作品文件格式（接受：视频）。" },
		{ "docx-as-mp4-no-rule", NULL, "星城大爱.mp4", DOCX,
		    CONTENT_FITS, NULL },
		{ "real-mp4", "video/*;audio/*", "星城大爱.mp4", "video/mp4",
		    CONTENT_FITS, NULL },
		{ "real-mp4-word", "video", "星城大爱.mp4", "video/mp4",
		    CONTENT_FITS, NULL },
		{ "audio-family", "video/*;audio/*", "朗诵.mp3", "audio/mpeg",
		    CONTENT_FITS, NULL },
		{ "unknown-no-rule", NULL, "星城大爱.mp4",
		    "application/octet-stream", CONTENT_FITS, NULL },
		{ "unknown-any", "any", "星城大爱.mp4",
		    "application/octet-stream", CONTENT_FITS, NULL },
		{ "unknown-video", "video", "星城大爱.mp4",
		    "application/octet-stream", CONTENT_MISFIT,
		    "附件“星城大爱.mp4”的内容无法识别，不是本次征集接受的作品文件格式"
		    "（接受：视频），可能已损坏或格式不对。" },
		{ "not-looked-at", "video", "星城大爱.mp4", "", CONTENT_FITS,
		    NULL },
		{ "mov-for-mp4", "video/mp4", "星城大爱.mp4", "video/quicktime",
		    CONTENT_MISFIT, "附件“星城大爱.mp4”实际是 MOV 视频，不是本次征集"
		    "接受的作品文件格式（接受：MP4 视频）。" },
		/* no MIME type in a clerk's reply */
		{ "unnamed-type", "image/jpeg;image/png", "山村新貌.jpg",
		    "application/x-foo", CONTENT_MISFIT, "附件“山村新貌.jpg”的内容"
		    "无法识别，不是本次征集接受的作品文件格式（接受：JPG 图片、PNG "
		    "图片），可能已损坏或格式不对。" },
		{ "old-office-wrapping", "word", "报名表.doc",
		    "application/x-ole-storage", CONTENT_MISFIT, "附件“报名表.doc”"
		    "实际是旧版 Office 格式文件（无法确认是 Word 文档，可能已损坏），"
		    "不是本次征集接受的作品文件格式（接受：Word 文档）。" },
		{ "case-folded", "Video/MP4", "星城大爱.mp4", "video/mp4",
		    CONTENT_FITS, NULL },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *name = g_strdup_printf("judge:%s",
		    rows[i].name);
		g_autofree char *tname = g_strdup_printf("judge:%s:text",
		    rows[i].name);
		g_autofree char *text = NULL, *err = NULL;
		char **types = NULL;
		struct content_rule rule = { 0 };
		enum content_verdict v;

		if (rows[i].rule != NULL && contentrule_parse(rows[i].rule,
		    &types, &rule.warn, &err) < 0) {
			printf("FAIL %s: %s\n", name, err);
			test_failures++;
			continue;
		}
		rule.types = (const char *const *)types;
		v = contentrule_judge(rows[i].rule != NULL ? &rule : NULL,
		    rows[i].mime);
		TEST_CHECK(name, v == rows[i].want);
		text = contentrule_text(v, rows[i].file, rows[i].mime,
		    rule.types, "作品文件");
		if (rows[i].text == NULL)
			TEST_CHECK(tname, text == NULL);
		else
			TEST_CHECK_STR(tname, text, rows[i].text);
		g_strfreev(types);
	}
}

static void
test_parse(void)
{
	static const struct {
		const char *name, *text;
		int ok;
		const char *types;		/* joined by ","; NULL: any */
		bool warn;
	} rows[] = {
		{ "list", "video/mp4;video/quicktime", 1,
		    "video/mp4,video/quicktime", false },
		{ "spaces", " video/mp4 ; image/* ", 1, "video/mp4,image/*",
		    false },
		{ "words", "video;word;pdf", 1, "video,word,pdf", false },
		{ "warn", "video warn", 1, "video", true },
		{ "reject", "video;image reject", 1, "video,image", false },
		{ "any", "any", 1, NULL, false },
		{ "any-warn", "any warn", 1, NULL, true },
		{ "upper", "VIDEO/MP4", 1, "video/mp4", false },
		{ "typo", "vidoe", 0, NULL, false },
		{ "bad-top", "movie/mp4", 0, NULL, false },
		{ "bad-sub", "video/m p4", 0, NULL, false },
		{ "empty", ";", 0, NULL, false },
		{ "severity-only", "warn", 0, NULL, false },
		/* an empty entry, then a kept one, then a bad one: the kept
		 * entry was freed twice (found by fuzz-campaign) */
		{ "empty-kept-bad", ";video;bogus", 0, NULL, false },
		{ "empty-between", "video;;image", 1, "video,image", false },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *name = g_strdup_printf("parse:%s",
		    rows[i].name);
		g_autofree char *err = NULL, *got = NULL;
		char **types = NULL;
		bool warn = false;
		int r = contentrule_parse(rows[i].text, &types, &warn, &err);

		if (!rows[i].ok) {
			TEST_CHECK(name, r < 0 && err != NULL && types == NULL);
			continue;
		}
		got = types != NULL ? g_strjoinv(",", types) : NULL;
		TEST_CHECK(name, r == 0 && warn == rows[i].warn &&
		    g_strcmp0(got, rows[i].types) == 0);
		g_strfreev(types);
	}
}

#define BASE \
	"[campaign]\n" \
	"id = c1\n" \
	"name = 征集\n" \
	"opens = 2024-06-01 00:00\n" \
	"closes = 2024-07-01 00:00\n" \
	"subject = {作品名称}-{类别}\n" \
	"category_field = 类别\n" \
	"title_field = 作品名称\n" \
	"[field 作品名称]\n" \
	"type = text\n" \
	"[field 类别]\n" \
	"type = enum\n" \
	"values = 微视频;纪录片\n" \
	"[file 作品]\n" \
	"role = work\n" \
	"types = mp4;mov\n"

static struct campaign *
parse(const char *extra, char **err_r)
{
	g_autofree char *text = g_strconcat(BASE, extra, NULL);
	struct campaign *c = NULL;

	*err_r = NULL;
	(void)campaign_parse("mem", text, strlen(text), NULL, NULL, &c,
	    err_r);
	return c;
}

static void
load_error(const char *name, const char *extra, const char *want)
{
	g_autofree char *err = NULL;
	struct campaign *c = parse(extra, &err);
	bool ok = c == NULL && err != NULL && strstr(err, want) != NULL;

	if (!ok)
		printf("# %s: want \"%s\" in:\n# %s\n", name, want,
		    err != NULL ? err : "(no error)");
	TEST_CHECK(name, ok);
	campaign_free(&c);
}

static void
test_load(void)
{
	g_autofree char *err = NULL;
	struct campaign *c = parse("content = video;image/jpeg\n"
	    "content.纪录片 = video/mp4 warn\n", &err);
	const struct campaign_file_kind *k;
	const struct content_rule *r;

	TEST_CHECK("load:ok", c != NULL);
	if (c == NULL) {
		printf("# %s\n", err);
		return;
	}
	k = campaign_file_kind(c, 0);
	r = campaign_content_rule(k, "微视频");
	TEST_CHECK("load:default", r != NULL && r->category == NULL &&
	    !r->warn && g_strv_length((char **)r->types) == 2);
	r = campaign_content_rule(k, "纪录片");
	TEST_CHECK("load:category", r != NULL && r->warn &&
	    g_strcmp0(r->category, "纪录片") == 0 &&
	    strcmp(r->types[0], "video/mp4") == 0);
	r = campaign_content_rule(k, NULL);
	TEST_CHECK("load:no-category", r != NULL && r->category == NULL);
	campaign_free(&c);

	c = parse("", &err);
	TEST_CHECK("load:none", c != NULL &&
	    campaign_content_rule(campaign_file_kind(c, 0), "纪录片") == NULL);
	campaign_free(&c);

	load_error("load:bad-type", "content = vidoe\n",
	    "mem:17: [file 作品] content: \"vidoe\" is not a MIME type");
	load_error("load:bad-category", "content.电影 = video\n",
	    "mem:17: [file 作品] content.电影: \"电影\" is not a value of the "
	    "category field 类别");
	load_error("load:empty", "content = ;\n",
	    "mem:17: [file 作品] content: names no type");
}

int
main(void)
{
	test_judge();
	test_parse();
	test_load();
	return TEST_EXIT();
}
