/*
 * mailplan with archives: the entries of a zip the caller listed judged
 * in the shipped fupin2020 campaign (“作品请以附件或压缩包的形式补充”): a
 * zip of pictures with the 报名表 inside is a whole 图片类 work, its form
 * counted; a program inside refuses the mail, by content or by name; a
 * Word file where pictures are asked is refused naming the entry; a
 * password, a bomb and a broken zip refuse the work; an archive inside is
 * a note; a picture entry is measured against the category's rules.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "archivelist.h"
#include "campaign.h"
#include "config_file.h"
#include "mailplan.h"
#include "mediarule.h"
#include "test.h"

#define SUBJECT	"扶贫征集-自荐-图片类-山村新貌"
#define JPEG	"image/jpeg"
#define DOCX	"application/vnd.openxmlformats-officedocument." \
	"wordprocessingml.document"
#define PE	"application/vnd.microsoft.portable-executable"

static struct campaign *fupin;

/* An archive's facts with entries NAME, TYPE, ... (NULL-terminated). */
static struct media_facts *
listing(const char *first, ...)
{
	struct media_facts *f = g_new0(struct media_facts, 1);
	const char *name = first;
	va_list ap;

	f->kind = FACTS_ARCHIVE;
	f->duration_ms = -1;
	f->archive = archivelist_new();
	f->archive->opened = true;
	f->archive->size = 1000;
	va_start(ap, first);
	while (name != NULL) {
		struct archive_item *it = archivelist_add(f->archive,
		    g_strdup(name));

		g_strlcpy(it->mime, va_arg(ap, const char *), sizeof(it->mime));
		it->size = 100;
		f->archive->entries++;
		name = va_arg(ap, const char *);
	}
	va_end(ap);
	return f;
}

/* The plan of one mail: SUBJECT with zip NAME listed as f. */
static struct mailplan *
plan_of(const char *subject, const char *name, const struct media_facts *f)
{
	struct mailplan_file_in files[] = {
		{ .name = name, .size = 1000, .content = "application/zip",
		    .media = f },
	};
	struct mailplan_input in = { .subject = subject, .files = files,
	    .file_count = 1 };
	struct mailplan *p = NULL;
	g_autofree char *why = NULL;

	(void)mailplan_build(fupin, &in, &p, &why);
	return p;
}

/* The first problem with code, or NULL. */
static const struct mailplan_problem *
problem(const struct mailplan *p, const char *code)
{
	size_t i;

	for (i = 0; p != NULL && i < mailplan_problem_count(p); i++)
		if (strcmp(mailplan_problem(p, i)->code, code) == 0)
			return mailplan_problem(p, i);
	return NULL;
}

static void
test_whole_work(void)
{
	struct media_facts *f = listing("山村新貌/山村新貌1.jpg", JPEG,
	    "山村新貌/山村新貌2.jpg", JPEG, "山村新貌/报名表.docx", DOCX, NULL);
	struct mailplan *p = plan_of(SUBJECT, "山村新貌.zip", f);

	TEST_CHECK("whole:accepted", p != NULL &&
	    !mailplan_has(p, PLAN_REFUSE));
	TEST_CHECK("whole:form-counted", problem(p,
	    "companion-missing:报名表") == NULL);
	TEST_CHECK("whole:entries-wanted", p != NULL &&
	    mailplan_file_wants_media(p, 0) &&
	    !mailplan_file_wants_entries(p, 0));
	mailplan_free(&p);
	media_facts_free(&f);

	/* Listed and no form inside: missing, as for attachments (a
	 * warning in this campaign), not the "maybe inside" note. */
	f = listing("山村新貌1.jpg", JPEG, NULL);
	p = plan_of(SUBJECT, "山村新貌.zip", f);
	TEST_CHECK("whole:form-missing", problem(p,
	    "companion-missing:报名表") != NULL &&
	    problem(p, "companion-missing:报名表")->severity == PLAN_WARN &&
	    strstr(problem(p, "companion-missing:报名表")->text,
	    "如已放在压缩包内") == NULL);
	mailplan_free(&p);
	media_facts_free(&f);
}

static void
test_programs(void)
{
	struct media_facts *f = listing("山村新貌1.jpg", JPEG,
	    "工具/setup.mp4", PE, NULL);
	struct mailplan *p = plan_of(SUBJECT, "山村新貌.zip", f);
	const struct mailplan_problem *pr = problem(p, "content-program");

	TEST_CHECK("program:refused", pr != NULL &&
	    pr->severity == PLAN_REFUSE && pr->work == -1 && pr->entry == 1);
	TEST_CHECK_STR("program:text", pr != NULL ? pr->text : "",
	    "压缩包“山村新貌.zip”中的“工具/setup.mp4”实际是 Windows 程序，"
	    "不能作为作品提交。为安全起见，本邮件不予登记；请从压缩包中删去该"
	    "文件后重新发送。");
	mailplan_free(&p);
	media_facts_free(&f);

	/* Encrypted, so not typed: its name says it. */
	f = listing("山村新貌1.jpg", JPEG, "安装.exe", "", NULL);
	f->archive->items[1].encrypted = f->archive->encrypted = true;
	p = plan_of(SUBJECT, "山村新貌.zip", f);
	TEST_CHECK("program:by-name", problem(p, "archive-program") != NULL &&
	    strstr(problem(p, "archive-program")->text, "“安装.exe”是可执行"
	    "程序") != NULL);
	TEST_CHECK("program:encrypted-too", problem(p, "archive-encrypted") !=
	    NULL);
	mailplan_free(&p);
	media_facts_free(&f);
}

static void
test_misfit(void)
{
	struct media_facts *f = listing("山村新貌1.jpg", JPEG, "说明.docx",
	    DOCX, NULL);
	struct mailplan *p = plan_of(SUBJECT, "山村新貌.zip", f);
	const struct mailplan_problem *pr = problem(p, "content-type");

	TEST_CHECK("misfit:refused", pr != NULL &&
	    pr->severity == PLAN_REFUSE && pr->work == 0 && pr->entry == 1);
	TEST_CHECK("misfit:text", pr != NULL && strstr(pr->text,
	    "压缩包“山村新貌.zip”中的“说明.docx”实际是 Word 文档，不是本次征集"
	    "接受的图片类作品格式（接受：") != NULL);
	mailplan_free(&p);
	media_facts_free(&f);

	/* The same Word file is a 文字类 work's. */
	f = listing("山村新貌.docx", DOCX, NULL);
	p = plan_of("扶贫征集-自荐-文字类-山村新貌", "山村新貌.zip", f);
	TEST_CHECK("misfit:text-work-fits", p != NULL &&
	    !mailplan_has(p, PLAN_REFUSE));
	mailplan_free(&p);
	media_facts_free(&f);
}

static void
test_whole_refused(void)
{
	struct media_facts *f = listing(NULL, NULL);
	struct mailplan *p;

	f->archive->over = ARCHIVE_OVER_RATIO;
	f->archive->limit = 200;
	p = plan_of(SUBJECT, "山村新貌.zip", f);
	TEST_CHECK_STR("bomb:text", problem(p, "archive-limit") != NULL ?
	    problem(p, "archive-limit")->text : "",
	    "压缩包“山村新貌.zip”解压后超过原大小的 200 倍，可能已损坏或不是正常"
	    "作品，请检查后重新压缩发送，或直接发送作品文件。");
	mailplan_free(&p);
	media_facts_free(&f);

	f = listing("山村新貌1.jpg", "", NULL);
	f->archive->items[0].encrypted = f->archive->encrypted = true;
	p = plan_of(SUBJECT, "山村新貌.zip", f);
	TEST_CHECK("encrypted:refused", problem(p, "archive-encrypted") !=
	    NULL && problem(p, "archive-encrypted")->severity == PLAN_REFUSE);
	mailplan_free(&p);
	media_facts_free(&f);

	f = listing(NULL, NULL);
	f->archive->opened = false;
	p = plan_of(SUBJECT, "山村新貌.zip", f);
	TEST_CHECK("broken:refused", problem(p, "archive-unreadable") != NULL &&
	    problem(p, "archive-unreadable")->severity == PLAN_REFUSE);
	mailplan_free(&p);
	media_facts_free(&f);

	/* The inspecting child died: no listing, a note, filed. */
	f = g_new0(struct media_facts, 1);
	f->kind = FACTS_ARCHIVE;
	f->failed = true;
	p = plan_of(SUBJECT, "山村新貌.zip", f);
	TEST_CHECK("failed:note", problem(p, "inspect-failed") != NULL &&
	    problem(p, "inspect-failed")->severity == PLAN_NOTE &&
	    !mailplan_has(p, PLAN_REFUSE));
	mailplan_free(&p);
	media_facts_free(&f);

	f = listing("山村新貌1.jpg", JPEG, "旧稿.rar", "application/x-rar",
	    NULL);
	p = plan_of(SUBJECT, "山村新貌.zip", f);
	/* Never opened, so a program or a bomb in it would pass unseen. */
	TEST_CHECK("nested:refused", problem(p, "archive-nested") != NULL &&
	    problem(p, "archive-nested")->severity == PLAN_REFUSE);
	mailplan_free(&p);
	media_facts_free(&f);

	/* A path out of the unpacking folder: staff told, the work filed. */
	f = listing("../../山村新貌1.jpg", JPEG, "/etc/山村新貌2.jpg", JPEG,
	    "组图/山村新貌3.jpg", JPEG, NULL);
	p = plan_of(SUBJECT, "山村新貌.zip", f);
	TEST_CHECK("path:staff-note", problem(p, "archive-path") != NULL &&
	    problem(p, "archive-path")->severity == PLAN_NOTE &&
	    problem(p, "archive-path")->staff_only &&
	    !mailplan_has(p, PLAN_REFUSE));
	mailplan_free(&p);
	media_facts_free(&f);

	/* What a Mac adds when zipping, unseen by the clerk: passed over. */
	f = listing("秋收1.jpg", JPEG, "__MACOSX/._秋收1.jpg",
	    "application/octet-stream", ".DS_Store", "application/octet-stream",
	    "秋收/Thumbs.db", "application/octet-stream", NULL);
	p = plan_of(SUBJECT, "山村新貌.zip", f);
	TEST_CHECK("mac-entries:passed-over", !mailplan_has(p, PLAN_REFUSE) &&
	    problem(p, "content-type") == NULL);
	mailplan_free(&p);
	media_facts_free(&f);
}

/* A 视频类(微视频) zip: its clip judged by the category's media rules. */
static void
test_media(void)
{
	struct media_facts *f = listing("星城大爱.mp4", "video/mp4", NULL);
	struct media_facts *clip = g_new0(struct media_facts, 1);
	struct mailplan *p;
	const struct mailplan_problem *pr;

	clip->readable = clip->video = clip->audio = true;
	clip->duration_ms = 5 * 60 * 1000;
	clip->width = 1920, clip->height = 1080;
	clip->fps_num = 25, clip->fps_den = 1;
	clip->bitrate = 20000000;
	f->archive->items[0].media = clip;
	p = plan_of("扶贫征集-自荐-视频类(微视频)-星城大爱", "星城大爱.zip", f);
	pr = problem(p, "media-duration");
	TEST_CHECK("media:wants-entries", p != NULL &&
	    mailplan_file_wants_entries(p, 0));
	TEST_CHECK("media:duration", pr != NULL &&
	    pr->severity == PLAN_REFUSE && pr->entry == 0);
	TEST_CHECK("media:text", pr != NULL && g_str_has_prefix(pr->text,
	    "压缩包“星城大爱.zip”中的“星城大爱.mp4”：时长 5分00秒"));
	mailplan_free(&p);
	media_facts_free(&f);
}

int
main(void)
{
	g_autofree char *err = NULL;

	if (campaign_load("contrib/campaigns/fupin2020.campaign", &fupin,
	    &err) < 0) {
		printf("# %s\n", err);
		TEST_CHECK("load", false);
		return TEST_EXIT();
	}
	test_whole_work();
	test_programs();
	test_misfit();
	test_whole_refused();
	test_media();
	campaign_free(&fupin);
	return TEST_EXIT();
}
