/* reply: what a receipt and a correction look like on the wire. */
#include <glib.h>
#include <glib/gstdio.h>
#include <gmime/gmime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign.h"
#include "message.h"
#include "reply.h"
#include "test.h"

/* The subject as subgate's own parser decodes it (GMime 3.2's decoder
 * drops an encoded word that follows one ending in base64 padding). */
static char *
decoded_subject(const char *data)
{
	g_autofree char *path = g_build_filename(g_get_tmp_dir(),
	    "test-reply-subject.eml", NULL);
	struct message *m = NULL;
	g_autofree char *error = NULL;
	char *subject;

	if (!g_file_set_contents(path, data, -1, NULL) ||
	    message_parse_file(path, NULL, &m, &error) < 0)
		return NULL;
	subject = g_strdup(message_subject(m));
	message_free(&m);
	g_unlink(path);
	return subject;
}

static GMimeMessage *
parse(const char *data, size_t len)
{
	GMimeStream *s = g_mime_stream_mem_new_with_buffer(data, len);
	GMimeParser *p = g_mime_parser_new_with_stream(s);
	GMimeMessage *m = g_mime_parser_construct_message(p, NULL);

	g_object_unref(p);
	g_object_unref(s);
	return m;
}

static char *
body_text(GMimeMessage *m)
{
	GMimeObject *part = g_mime_message_get_body(m);

	return GMIME_IS_TEXT_PART(part) ?
	    g_mime_text_part_get_text(GMIME_TEXT_PART(part)) : NULL;
}

/*
 * Whatever the sender writes (a subject up to the parser's 4 KB, a long
 * display name, 499 tiny attachments, a References header of hundreds of
 * IDs), the reply quotes a bounded part of it: the gateway answers any
 * address a mail names, so it must not become a way to send a victim
 * large mail of someone else's choosing.
 */
static void
test_hostile_sender(struct reply *r)
{
	struct reply_attachment many[499];
	char names[499][80];
	g_autofree char *data = NULL, *id = NULL, *error = NULL, *body = NULL;
	g_autofree char *subject = NULL;
	GString *long_subject = g_string_new(NULL);
	GString *refs = g_string_new(NULL);
	size_t len = 0, i;
	GMimeMessage *m;
	const char *to, *references;

	for (i = 0; i < G_N_ELEMENTS(many); i++) {
		g_snprintf(names[i], sizeof(names[i]), "买药请访问-%03zu.txt", i);
		many[i] = (struct reply_attachment){ names[i], 10, NULL, NULL, NULL };
	}
	for (i = 0; i < 1000; i++)
		g_string_append(long_subject, "广告");
	for (i = 0; i < 500; i++)
		g_string_append_printf(refs, "<ref%zu@spam.example> ", i);
	r->kind = REPLY_CORRECTION;
	r->orig_subject = long_subject->str;
	r->to_name = long_subject->str;
	r->orig_message_id = "orig@example.test";
	r->orig_references = refs->str;
	r->attachments = many;
	r->attachment_count = G_N_ELEMENTS(many);
	r->diagnostics = long_subject->str;
	TEST_CHECK("hostile-compose", reply_compose(r, &data, &len, &id,
	    &error) == 0);
	/* 499 names and 4 KB quoted four times came to about 400 KB. */
	TEST_CHECK("hostile-reply-small", data != NULL && len < 24 * 1024);
	m = data != NULL ? parse(data, len) : NULL;
	body = m != NULL ? body_text(m) : NULL;
	TEST_CHECK("hostile-count-told", body &&
	    strstr(body, "收到的附件（共 499 个）") != NULL);
	TEST_CHECK("hostile-names-bounded", body &&
	    strstr(body, "买药请访问-029.txt") != NULL &&
	    strstr(body, "买药请访问-030.txt") == NULL &&
	    strstr(body, "另有 469 个附件未逐一列出") != NULL);
	TEST_CHECK("hostile-diagnostics-clipped", body &&
	    g_utf8_strlen(body, -1) < 6000 && strstr(body, "…\n") != NULL);
	subject = data != NULL ? decoded_subject(data) : NULL;
	TEST_CHECK("hostile-subject-clipped", subject != NULL &&
	    g_utf8_strlen(subject, -1) < REPLY_QUOTE_CHARS + 40 &&
	    strstr(subject, "…（查询码") != NULL);
	to = m != NULL ? g_mime_object_get_header(GMIME_OBJECT(m), "To") : NULL;
	TEST_CHECK("hostile-name-clipped", to != NULL && strlen(to) < 400);
	references = m != NULL ? g_mime_object_get_header(GMIME_OBJECT(m),
	    "References") : NULL;
	TEST_CHECK("hostile-references-trimmed", references != NULL &&
	    g_str_has_prefix(references, "<ref0@spam.example> <ref491@") &&
	    strstr(references, "<ref490@") == NULL &&
	    g_str_has_suffix(references, "<ref499@spam.example> "
	    "<orig@example.test>"));
	{
		g_autofree char *cut = reply_clip("一二三四五", 3);
		g_autofree char *whole = reply_clip("一二三", 3);

		g_autofree char *bidi = reply_clip("附件\u202egpj.exe\x1b[2J", 50);

		TEST_CHECK_STR("clip-cuts-at-character", cut, "一二…");
		TEST_CHECK_STR("clip-keeps-short", whole, "一二三");
		/* An override would show the name as "exe.jpg". */
		TEST_CHECK_STR("clip-drops-bidi-and-controls", bidi,
		    "附件gpj.exe[2J");
	}
	/* A forged Message-ID of kilobytes is not carried into our header. */
	{
		g_autofree char *data2 = NULL, *id2 = NULL;
		size_t len2 = 0;
		char big[4001];
		GMimeMessage *m2;

		memset(big, 'x', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		memcpy(big + 3990, "@spam.test", 10);
		r->orig_message_id = big;
		r->orig_references = "<ok@example.test>";
		TEST_CHECK("hostile-long-id-compose", reply_compose(r, &data2,
		    &len2, &id2, &error) == 0);
		m2 = data2 != NULL ? parse(data2, len2) : NULL;
		TEST_CHECK("hostile-long-id-not-quoted", m2 != NULL &&
		    g_mime_object_get_header(GMIME_OBJECT(m2),
		    "In-Reply-To") == NULL && strstr(data2, "xxxxxxxxxx") == NULL);
		if (m2 != NULL)
			g_object_unref(m2);
	}
	if (m != NULL)
		g_object_unref(m);
	g_string_free(long_subject, TRUE);
	g_string_free(refs, TRUE);
}

/*
 * A mail of several works: one receipt lists each filed work with its
 * receipt number and files and each refused one with why; the subject
 * names the first receipt and how many were filed; past REPLY_LIST_WORKS
 * the rest are counted.  One work reads as it always did.
 */
static void
test_works(const struct reply *base)
{
	struct reply_attachment f1[] = {
	    { "初心如磐-纪录片-金坛区委组织部.mp4", 2048, "aa11", "作品文件", NULL },
	    { "报名表（一）初心如磐.docx", 300, "bb22", "报名表", NULL } };
	struct reply_attachment f2[] = {
	    { "使命-纪录片-金坛区委组织部.mp4", 4096, "cc33", "作品文件", NULL } };
	struct reply_work works[3] = {
		{ .receipt = "CZ-00012", .title = "初心如磐", .category = "纪录片",
		  .files = f1, .file_count = 2,
		  .warnings = "作品《初心如磐》未附解说词，已先行登记。" },
		{ .receipt = "CZ-00013", .title = "使命", .category = "纪录片",
		  .files = f2, .file_count = 1 },
		{ .title = "党建业务十讲", .category = "培训片",
		  .reason = "系列片《党建业务十讲》只收到第1、2、3集。" },
	};
	struct reply_work many[40];
	struct reply r = *base;
	g_autofree char *data = NULL, *id = NULL, *error = NULL;
	g_autofree char *body = NULL, *subject = NULL;
	size_t len = 0, i;
	GMimeMessage *m;

	r.kind = REPLY_RECEIPT;
	r.receipt = r.token = "CZ-00012";
	r.title = "初心如磐";
	r.works = works;
	r.work_count = 3;
	TEST_CHECK("works:compose", reply_compose(&r, &data, &len, &id,
	    &error) == 0);
	m = parse(data, len);
	subject = decoded_subject(data);
	TEST_CHECK_STR("works:subject", subject, "【已收到】CZ-00012 初心如磐 等2件");
	body = body_text(m);
	TEST_CHECK("works:count", body && strstr(body, "识别出 3 件作品"));
	TEST_CHECK("works:filed", body && strstr(body, "一、已登记（共 2 件）") &&
	    strstr(body, "1. 回执编号 CZ-00012　《初心如磐》　纪录片") &&
	    strstr(body, "2. 回执编号 CZ-00013　《使命》　纪录片"));
	TEST_CHECK("works:files", body && strstr(body,
	    "报名表：报名表（一）初心如磐.docx（300 字节"));
	TEST_CHECK("works:warning", body && strstr(body,
	    "提示：作品《初心如磐》未附解说词"));
	TEST_CHECK("works:refused", body && strstr(body,
	    "二、未登记（共 1 件）") && strstr(body, "3. 《党建业务十讲》　培训片") &&
	    strstr(body, "原因：系列片《党建业务十讲》只收到第1、2、3集。"));
	g_object_unref(m);
	g_clear_pointer(&data, g_free);
	g_clear_pointer(&body, g_free);
	g_clear_pointer(&id, g_free);

	for (i = 0; i < G_N_ELEMENTS(many); i++)
		many[i] = works[1];
	r.works = many;
	r.work_count = G_N_ELEMENTS(many);
	TEST_CHECK("works:compose-many", reply_compose(&r, &data, &len, &id,
	    &error) == 0);
	m = parse(data, len);
	body = body_text(m);
	TEST_CHECK("works:capped", body && strstr(body, "30. 回执编号") &&
	    !strstr(body, "31. 回执编号") &&
	    strstr(body, "另有 10 件作品未逐一列出"));
	g_object_unref(m);
	g_clear_pointer(&data, g_free);
	g_clear_pointer(&body, g_free);
	g_clear_pointer(&id, g_free);

	/* One work: the receipt of one case, as before. */
	r.works = works;
	r.work_count = 1;
	TEST_CHECK("works:compose-one", reply_compose(&r, &data, &len, &id,
	    &error) == 0);
	m = parse(data, len);
	body = body_text(m);
	TEST_CHECK("works:one-as-before", body &&
	    strstr(body, "回执编号：CZ-00012") && !strstr(body, "一、已登记"));
	g_object_unref(m);
}

/* The body of r composed (g_free), and its subject in *subject_r. */
static char *
composed(const struct reply *r, char **subject_r)
{
	g_autofree char *data = NULL, *id = NULL, *error = NULL;
	size_t len = 0;
	GMimeMessage *m;
	char *body;

	if (reply_compose(r, &data, &len, &id, &error) < 0)
		return NULL;
	m = parse(data, len);
	body = body_text(m);
	g_object_unref(m);
	if (subject_r != NULL)
		*subject_r = decoded_subject(data);
	return body;
}

/* Works filed 待核实 (sender_check = confirm): under a heading of their
 * own, why said once; the subject does not call them registered without
 * saying so. */
static void
test_pending_works(const struct reply *base)
{
	static const char why[] = "本邮箱（x@qq.example）尚未登记为“金坛区委组织部”"
	    "的报送邮箱。作品已登记，状态为“待核实”，工作人员确认后计入该单位名额；"
	    "确认前不占名额。";
	struct reply_work works[3] = {
		{ .receipt = "CZ-00001", .title = "初心如磐", .category = "纪录片",
		  .pending = why },
		{ .receipt = "CZ-00002", .title = "使命", .category = "纪录片",
		  .pending = why, .warnings = "作品《使命》未附解说词。" },
		{ .title = "党建业务十讲", .category = "培训片",
		  .reason = "系列片《党建业务十讲》只收到第1、2、3集。" },
	};
	struct reply r = *base;
	g_autofree char *body = NULL, *subject = NULL;
	const char *at;

	r.kind = REPLY_RECEIPT;
	r.receipt = r.token = "CZ-00001";
	r.title = "初心如磐";
	r.works = works;
	r.work_count = 2;
	body = composed(&r, &subject);
	TEST_CHECK_STR("pending:subject", subject,
	    "【已收到】CZ-00001 初心如磐 等2件（待核实）");
	TEST_CHECK("pending:heading", body &&
	    strstr(body, "一、已登记，待核实（共 2 件）") &&
	    !strstr(body, "已登记（共"));
	at = body ? strstr(body, "尚未登记为") : NULL;
	TEST_CHECK("pending:why-once", at && !strstr(at + 1, "尚未登记为"));
	TEST_CHECK("pending:own-warning", body &&
	    strstr(body, "提示：作品《使命》未附解说词。"));
	g_clear_pointer(&body, g_free);
	g_clear_pointer(&subject, g_free);

	/* one work, pending: its subject says so too */
	r.works = NULL;
	r.work_count = 0;
	r.pending = true;
	body = composed(&r, &subject);
	TEST_CHECK_STR("pending:subject-one", subject,
	    "【已收到】CZ-00001 初心如磐（待核实）");
	g_clear_pointer(&body, g_free);
	g_clear_pointer(&subject, g_free);
	r.pending = false;
	body = composed(&r, &subject);
	TEST_CHECK_STR("pending:subject-one-plain", subject,
	    "【已收到】CZ-00001 初心如磐");
	g_clear_pointer(&body, g_free);
	g_clear_pointer(&subject, g_free);
	r.works = works;

	/* one pending beside one refused: the subject still says 待核实 */
	{
		struct reply_work two[2] = { works[0], works[2] };

		two[0].pending = why;
		r.works = two;
		r.work_count = 2;
		body = composed(&r, &subject);
		TEST_CHECK_STR("pending:subject-one-of-two", subject,
		    "【已收到】CZ-00001 初心如磐（待核实）");
		g_clear_pointer(&body, g_free);
		g_clear_pointer(&subject, g_free);
		r.works = works;
	}

	/* one filed, one pending, one refused: three sections */
	works[0].pending = NULL;
	r.work_count = 3;
	body = composed(&r, &subject);
	TEST_CHECK_STR("pending:subject-some", subject,
	    "【已收到】CZ-00001 初心如磐 等2件（其中1件待核实）");
	TEST_CHECK("pending:three-sections", body &&
	    strstr(body, "一、已登记（共 1 件）") &&
	    strstr(body, "二、已登记，待核实（共 1 件）") &&
	    strstr(body, "三、未登记（共 1 件）") &&
	    strstr(body, "3. 《党建业务十讲》"));
}

/* A mail the MIME walk stopped reading at a limit had more attachments
 * than were read: the reply says "more than", never the read count as
 * the mail's. */
static void
test_attachments_cut(const struct reply *base)
{
	struct reply_attachment some[3] = {
		{ "a-001.txt", 10, NULL, NULL, NULL },
		{ "a-002.txt", 10, NULL, NULL, NULL },
		{ "a-003.txt", 10, NULL, NULL, NULL },
	};
	struct reply r = *base;
	g_autofree char *body = NULL, *subject = NULL;

	r.kind = REPLY_CORRECTION;
	r.attachments = some;
	r.attachment_count = G_N_ELEMENTS(some);
	r.attachments_cut = true;
	r.diagnostics = "本次征集每封邮件最多接收 2 个附件。";
	body = composed(&r, &subject);
	TEST_CHECK("cut:more-than", body &&
	    strstr(body, "收到的附件（超过 3 个，") != NULL &&
	    strstr(body, "共 3 个") == NULL);
	g_clear_pointer(&body, g_free);
	g_clear_pointer(&subject, g_free);
	r.attachments_cut = false;
	body = composed(&r, &subject);
	TEST_CHECK("cut:whole-count", body &&
	    strstr(body, "收到的附件（共 3 个）") != NULL);
}

/* A person's question: 【已转工作人员】, what happens next, the question
 * quoted back (bounded), the contacts; kept for staff says so. */
static void
test_question(const struct reply *base)
{
	struct reply r = *base;
	g_autofree char *body = NULL, *subject = NULL, *longq = NULL;
	GString *q = g_string_new(NULL);
	size_t i;

	r.kind = REPLY_QUESTION;
	r.orig_subject = "回复：【请更正】扶贫故事（查询码 1A2B3C4D）";
	r.question = "请问视频超过8分钟怎么办？";
	r.forwarded = true;
	body = composed(&r, &subject);
	TEST_CHECK("question:subject", subject != NULL &&
	    g_str_has_prefix(subject, "【已转工作人员】扶贫故事（查询码 ") &&
	    strstr(subject, "【请更正】") == NULL);
	TEST_CHECK("question:forwarded", body != NULL &&
	    strstr(body, "已作为咨询转交工作人员") != NULL);
	TEST_CHECK("question:quoted", body != NULL &&
	    strstr(body, "请问视频超过8分钟怎么办？") != NULL);
	TEST_CHECK("question:next", body != NULL &&
	    strstr(body, "工作人员会尽快答复") != NULL &&
	    strstr(body, "不再逐一确认") != NULL);
	TEST_CHECK("question:contact", body != NULL && (r.contact == NULL ||
	    strstr(body, r.contact) != NULL));
	TEST_CHECK_STR("question:kind", reply_kind_name(REPLY_QUESTION),
	    "question");
	TEST_CHECK("question:a refusal for the rate limits",
	    reply_kind_is_refusal(REPLY_QUESTION));
	g_clear_pointer(&body, g_free);
	g_clear_pointer(&subject, g_free);
	r.forwarded = false;
	for (i = 0; i < 2 * REPLY_QUESTION_CHARS; i++)
		g_string_append(q, "问");
	longq = g_string_free(q, FALSE);
	r.question = longq;
	body = composed(&r, &subject);
	TEST_CHECK("question:kept for staff", body != NULL &&
	    strstr(body, "已作为咨询留存，由工作人员处理") != NULL);
	TEST_CHECK("question:bounded", body != NULL &&
	    strstr(body, longq) == NULL && strstr(body, "问…") != NULL);
}

/* A decision on several cases (cases confirm) lists each receipt and
 * title, staff's reason on a line of its own; a rejection offers sending
 * again only where it would change something. */
static void
test_decisions(const struct reply *base)
{
	static const char frozen_text[] =
	    "[campaign]\nid = dt\nname = 测试\nfolder = INBOX\n"
	    "timezone = Asia/Shanghai\nconvention = subject\n"
	    "subject = {单位}-{作品名称}\ntitle_field = 作品名称\n"
	    "[field 单位]\ntype = text\n[field 作品名称]\ntype = text\n"
	    "[policy]\nresubmission = %s\n";
	struct reply_work works[2] = {
		{ .receipt = "CZ-00001", .title = "初心如磐", .category = "纪录片" },
		{ .receipt = "CZ-00002", .title = "使命", .category = "微视频" },
	};
	struct reply r = *base;
	g_autofree char *body = NULL, *subject = NULL, *error = NULL;
	struct campaign *c = NULL;
	const char *kinds[] = { "freeze", "keep-all" };
	size_t i;

	r.kind = REPLY_DECISION_ACCEPTED;
	r.receipt = r.token = "CZ-00001";
	r.title = "初心如磐";
	r.works = works;
	r.work_count = 2;
	r.notice = "您的作品已确认计入“金坛区委组织部”的名额。";
	r.reason = "电话核实";
	body = composed(&r, &subject);
	TEST_CHECK_STR("decision:works-subject", subject,
	    "【审核通过】CZ-00001 初心如磐 等2件");
	TEST_CHECK("decision:every-work", body &&
	    strstr(body, "1. 回执编号 CZ-00001　《初心如磐》　纪录片") &&
	    strstr(body, "2. 回执编号 CZ-00002　《使命》　微视频"));
	TEST_CHECK("decision:notice", body &&
	    strstr(body, "您的作品已确认计入“金坛区委组织部”的名额。\n"));
	TEST_CHECK("decision:reason-own-line", body &&
	    strstr(body, "\n说明：电话核实\n") && !strstr(body, "。电话核实"));
	g_clear_pointer(&body, g_free);
	g_clear_pointer(&subject, g_free);

	r.kind = REPLY_DECISION_REJECTED;
	r.works = NULL;
	r.work_count = 0;
	r.notice = NULL;
	r.reason = "作品名称与附件内容不符";
	for (i = 0; i < G_N_ELEMENTS(kinds); i++) {
		g_autofree char *text = g_strdup_printf(frozen_text, kinds[i]);
		g_autofree char *name = g_strdup_printf("decision:reject-%s",
		    kinds[i]);

		if (campaign_parse("dt.campaign", text, strlen(text), NULL,
		    NULL, &c, &error) < 0) {
			printf("FAIL setup: %s\n", error);
			exit(1);
		}
		r.campaign = c;
		body = composed(&r, NULL);
		/* freeze forbids changes: no sending again */
		TEST_CHECK(name, body != NULL && (strstr(body, "重新投稿") ==
		    NULL) == (i == 0) && strstr(body, "联系工作人员"));
		g_clear_pointer(&body, g_free);
		r.campaign = NULL;
		campaign_free(&c);
	}
	/* a refused sender: what it sends again is refused */
	r.sender_refused = true;
	r.notice = "经工作人员核实，本邮箱不是“金坛区委组织部”的报送邮箱。";
	body = composed(&r, NULL);
	TEST_CHECK("decision:refused-no-resubmission", body &&
	    !strstr(body, "重新投稿") && strstr(body, "不是“金坛区委组织部”"));
}

/* Every reply ends with the notice's people and phones and the office
 * that signs it; the program that sends it is never named. */
static void
test_footer(const struct reply *base)
{
	static const char text[] =
	    "[campaign]\nid = ft\nname = 测试\nfolder = INBOX\n"
	    "timezone = Asia/Shanghai\nconvention = subject\n"
	    "contact = info@hnmsw.com\n"
	    "contacts = 谢甜甜（人才就业社保信息报社）15874066157\n"
	    "signature = 湖南省人力资源和社会保障厅\n"
	    "subject = {单位}-{作品名称}\ntitle_field = 作品名称\n"
	    "[field 单位]\ntype = text\n[field 作品名称]\ntype = text\n";
	enum reply_kind kinds[] = { REPLY_RECEIPT, REPLY_CORRECTION,
	    REPLY_LATE, REPLY_DECISION_REJECTED };
	struct reply r = *base;
	struct campaign *c = NULL;
	g_autofree char *error = NULL;
	size_t i;

	if (campaign_parse("ft.campaign", text, strlen(text), NULL, NULL, &c,
	    &error) < 0) {
		printf("FAIL setup: %s\n", error);
		exit(1);
	}
	for (i = 0; i < G_N_ELEMENTS(kinds); i++) {
		g_autofree char *body = NULL;
		g_autofree char *name = g_strdup_printf("footer:%s",
		    reply_kind_name(kinds[i]));

		r.kind = kinds[i];
		r.campaign = c;
		r.contact = campaign_contact(c);
		body = composed(&r, NULL);
		TEST_CHECK(name, body != NULL &&
		    strstr(body, "如有疑问，请联系：info@hnmsw.com。") &&
		    strstr(body, "联系人：谢甜甜（人才就业社保信息报社）"
		    "15874066157\n") &&
		    strstr(body, "\n湖南省人力资源和社会保障厅\n") &&
		    strstr(body, "subgate") == NULL);
	}
	/* none set: no empty lines for them, and still no program name */
	r.campaign = NULL;
	r.contact = NULL;
	{
		g_autofree char *body = composed(&r, NULL);

		TEST_CHECK("footer:unset", body != NULL &&
		    strstr(body, "联系人：") == NULL &&
		    strstr(body, "subgate") == NULL &&
		    strstr(body, "（本邮件为自动发送。）"));
	}
	campaign_free(&c);
}

/* Cloud attachment links in a receipt: registered, with the time staff
 * have to download them, in place of "附件：无"; the too-large reply
 * names the route the campaign's [links] accept. */
static void
test_links(const struct reply *base)
{
	static const char campaign_text[] =
	    "[campaign]\nid = lk\nname = 测试\nfolder = INBOX\n"
	    "timezone = Asia/Shanghai\nconvention = subject\n"
	    "subject = {单位}-{作品名称}\ntitle_field = 作品名称\n"
	    "[field 单位]\ntype = text\n[field 作品名称]\ntype = text\n%s";
	struct reply_link links[] = {
		{ "星城大爱.mp4", 1288490189, "QQ邮箱", "2024-09-12 10:30", NULL },
		{ NULL, 0, "百度网盘", NULL, "3005" },
		{ "旧作.mp4", 0, "网易邮箱", "无限期", NULL },
	};
	struct reply r = *base;
	g_autofree char *body = NULL;
	struct campaign *c = NULL;
	char *error = NULL;
	size_t i;

	r.kind = REPLY_RECEIPT;
	r.attachments = NULL;
	r.attachment_count = 0;
	r.links = links;
	r.link_count = G_N_ELEMENTS(links);
	body = composed(&r, NULL);
	TEST_CHECK("links:registered", body && strstr(body,
	    "已登记云附件《星城大爱.mp4》（1.2 GB），有效期至 2024-09-12 10:30；"
	    "工作人员将在有效期内下载。"));
	TEST_CHECK("links:no-attachment-none", body &&
	    !strstr(body, "收到的附件：无") && strstr(body, "收到的云附件（共 3 个）"));
	TEST_CHECK("links:unnamed-code", body && strstr(body,
	    "已登记云附件（百度网盘链接）（提取码 3005）；工作人员将尽快下载。"));
	TEST_CHECK("links:unlimited", body && strstr(body,
	    "已登记云附件《旧作.mp4》，长期有效；工作人员将尽快下载。"));
	g_clear_pointer(&body, g_free);

	r.links = NULL;
	r.link_count = 0;
	r.kind = REPLY_TOO_LARGE;
	r.notice = "邮件大小为 300 MB，超过了本次征集每封邮件 200 MB 的上限。";
	for (i = 0; i < 3; i++) {
		static const char *const groups[] = { "",
		    "[links]\naccept = qq;baidu\n", "[links]\naccept = none\n" };
		static const char *const want[] = {
		    ("请使用QQ邮箱、网易邮箱或新浪邮箱的“超大附件”功能，或百度网盘"
		    "分享链接（附提取码）发送，本邮箱可接收并登记云附件链接"),
		    "请使用QQ邮箱的“超大附件”功能，或百度网盘分享链接（附提取码）发送",
		    "请压缩或分卷后分多封邮件发送。原邮件" };
		g_autofree char *text = g_strdup_printf(campaign_text, groups[i]);
		g_autofree char *name = g_strdup_printf("links:too-large-route-%zu",
		    i);

		if (campaign_parse("lk.campaign", text, strlen(text), NULL,
		    NULL, &c, &error) < 0) {
			printf("FAIL setup: %s\n", error);
			exit(1);
		}
		r.campaign = c;
		body = composed(&r, NULL);
		TEST_CHECK(name, body != NULL && strstr(body, want[i]) &&
		    !strstr(body, "或使用网盘发送下载链接"));
		g_clear_pointer(&body, g_free);
		r.campaign = NULL;
		campaign_free(&c);
	}
}

/* The 查询码 as the subject of a refusal gives it, and as staff type it. */
static void
check_query_code(void)
{
	g_autofree char *code = reply_query_code("3f9a2c1b77ab01cd");

	TEST_CHECK_STR("query-code", code, "3F9A2C1B");
	TEST_CHECK("query-code-is", reply_is_query_code("3F9A2C1B"));
	TEST_CHECK("query-code-lower", reply_is_query_code("3f9a2c1b"));
	TEST_CHECK("query-code-not-receipt",
	    !reply_is_query_code("FUPIN2020-00001"));
	TEST_CHECK("query-code-not-short", !reply_is_query_code("3F9A2C1"));
	TEST_CHECK("query-code-not-long", !reply_is_query_code("3F9A2C1B0"));
	TEST_CHECK("query-code-not-hex", !reply_is_query_code("3F9A2C1G"));
}

int
main(void)
{
	struct reply_field fields[] = { { "类别", "视频类(微视频)" },
	    { "作品名称", "星城大爱" } };
	struct reply_attachment att[] = { { "作品.mp4", 3 * 1024 * 1024,
	    "ab12", "作品文件", NULL }, { "作品.mp4", 1024, "cd34", "作品文件",
	    "作品 (2).mp4" } };
	struct reply r = {
		.kind = REPLY_RECEIPT, .campaign_name = "脱贫攻坚故事",
		.contact = "staff@example.test", .from = "campaign@example.test",
		.from_name = "征集组委会", .to = "unit@example.test",
		.to_name = "星城人社局",
		.orig_subject = "扶贫征集-自荐-视频类(微视频)-星城大爱",
		.orig_message_id = "orig@example.test",
		.orig_references = "<older@example.test>",
		.receipt = "FUPIN2020-00007", .title = "星城大爱",
		.token = "FUPIN2020-00007", .arrival = "2020-08-01 10:00:00",
		.fields = fields, .field_count = 2,
		.attachments = att, .attachment_count = 2,
	};
	g_autofree char *data = NULL, *id = NULL, *error = NULL, *data2 = NULL,
	    *id2 = NULL, *body = NULL, *size = NULL;
	size_t len = 0, len2 = 0;
	GMimeMessage *m;

	g_mime_init();
	TEST_CHECK("compose", reply_compose(&r, &data, &len, &id, &error) == 0);
	TEST_CHECK("message-id-from-case", id != NULL &&
	    g_str_has_prefix(id, "receipt.FUPIN2020-00007.") &&
	    g_str_has_suffix(id, "@example.test"));
	TEST_CHECK("crlf", strstr(data, "\r\n") != NULL &&
	    strstr(data, "\n\n") == NULL);
	m = parse(data, len);
	TEST_CHECK("parses", m != NULL);
	TEST_CHECK_STR("subject-decoded", g_mime_message_get_subject(m),
	    "【已收到】FUPIN2020-00007 星城大爱");
	TEST_CHECK_STR("auto-submitted", g_mime_object_get_header(
	    GMIME_OBJECT(m), "Auto-Submitted"), "auto-replied");
	TEST_CHECK_STR("in-reply-to", g_mime_object_get_header(GMIME_OBJECT(m),
	    "In-Reply-To"), "<orig@example.test>");
	TEST_CHECK_STR("references", g_mime_object_get_header(GMIME_OBJECT(m),
	    "References"), "<older@example.test> <orig@example.test>");
	TEST_CHECK_STR("suppress", g_mime_object_get_header(GMIME_OBJECT(m),
	    "X-Auto-Response-Suppress"), "All");
	TEST_CHECK("reply-to-contact", strstr(g_mime_object_get_header(
	    GMIME_OBJECT(m), "Reply-To"), "staff@example.test") != NULL);
	body = body_text(m);
	TEST_CHECK("body-receipt", body && strstr(body,
	    "回执编号：FUPIN2020-00007"));
	TEST_CHECK("body-field", body && strstr(body, "作品名称：星城大爱"));
	TEST_CHECK("body-attachment", body && strstr(body,
	    "作品文件：作品.mp4（3.0 MB"));
	/* Two files of one name: the receipt says where the second went. */
	TEST_CHECK("body-saved-as", body && strstr(body,
	    "作品文件：作品.mp4（保存为“作品 (2).mp4”，1.0 KB"));
	g_object_unref(m);
	g_clear_pointer(&body, g_free);

	r.kind = REPLY_CORRECTION;
	r.token = "deadbeef";
	r.diagnostics = "“视频类”不是有效的“类别”。";
	r.orig_message_id = "";
	TEST_CHECK("compose-correction", reply_compose(&r, &data2, &len2, &id2,
	    &error) == 0);
	/* Two replies with one token still get IDs no one can predict. */
	{
		g_autofree char *d3 = NULL, *id3 = NULL;
		size_t len3 = 0;

		TEST_CHECK("message-id-unpredictable", reply_compose(&r, &d3,
		    &len3, &id3, &error) == 0 && id2 != NULL &&
		    id3 != NULL && strcmp(id2, id3) != 0);
	}
	m = parse(data2, len2);
	{
		g_autofree char *subject = decoded_subject(data2);

		TEST_CHECK_STR("correction-subject", subject,
		    "【请更正】扶贫征集-自荐-视频类(微视频)-星城大爱（查询码 DEADBEEF）");
	}
	/* A correction answered with 回复 and corrected again: the new
	 * correction's subject wraps what the clerk wrote, once. */
	{
		const char *orig = r.orig_subject;
		g_autofree char *d4 = NULL, *id4 = NULL, *subject = NULL;
		size_t len4 = 0;

		r.orig_subject = "回复：【请更正】扶贫征集-自荐-视频类(微视频)-"
		    "星城大爱（查询码 0BADF00D）";
		TEST_CHECK("compose-correction-again", reply_compose(&r, &d4,
		    &len4, &id4, &error) == 0);
		subject = decoded_subject(d4);
		TEST_CHECK_STR("correction-again-subject", subject,
		    "【请更正】扶贫征集-自荐-视频类(微视频)-星城大爱（查询码 "
		    "DEADBEEF）");
		r.orig_subject = orig;
	}
	TEST_CHECK("no-in-reply-to-without-id", g_mime_object_get_header(
	    GMIME_OBJECT(m), "In-Reply-To") == NULL);
	body = body_text(m);
	TEST_CHECK("correction-diagnostics", body && strstr(body,
	    "“视频类”不是有效的“类别”。"));
	g_object_unref(m);

	test_works(&r);
	test_pending_works(&r);
	test_attachments_cut(&r);
	test_decisions(&r);
	test_question(&r);
	test_footer(&r);
	test_links(&r);
	test_hostile_sender(&r);

	size = reply_format_size(512);
	TEST_CHECK_STR("size-bytes", size, "512 字节");
	g_mime_shutdown();
	check_query_code();
	return TEST_EXIT();
}
