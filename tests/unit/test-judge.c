/*
 * judge: every policy, and the order between them, from a table of facts.
 * The messages are parsed for real (GMime, from memory) and the campaign
 * from its text; the database counts and the
 * loop guard's finding are set in the facts, as ingest would read them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <gmime/gmime.h>

#include "campaign.h"
#include "config_file.h"
#include "grammar.h"
#include "judge.h"
#include "mail_limits.h"
#include "mailplan.h"
#include "message.h"
#include "test.h"

static const char campaign_text[] =
"[campaign]\n"
"id = judgetest\n"
"name = 测试征集\n"
"folder = INBOX\n"
"opens = 2024-01-01 00:00\n"
"closes = 2024-12-31 23:59:59\n"
"timezone = Asia/Shanghai\n"
"convention = subject\n"
"subject = 征集-{单位}-{类别}-{作品名称}\n"
"category_field = 类别\n"
"title_field = 作品名称\n"
"unit_field = 单位\n"
"[field 单位]\n"
"type = unit\n"
"units = 甲单位;乙单位\n"
"open = *学院\n"
"[unit 丁单位]\n"
"quota = 1\n"
"[field 类别]\n"
"type = enum\n"
"values = 视频;图片\n"
"[field 作品名称]\n"
"type = text\n"
"min = 1\n"
"max = 40\n"
"[policy]\n"
"quota_per_unit = 3\n"
"quota_per_unit_category = 视频:1\n"
"quota_per_submitter = 5\n"
"quota_per_open_unit = 2\n"
"resubmission = %s\n"
"max_message_size = 1M\n"
"allowed_extensions = mp4;docx\n"
"senders.甲单位 = @jia.example\n";

/* A message: subject, sender, one attachment name (NULL: none). */
static struct message *
make_message(const char *subject, const char *from, const char *file)
{
	g_autofree char *enc = g_mime_utils_header_encode_text(NULL, subject,
	    "utf-8");
	GString *m = g_string_new(NULL);
	struct message *msg = NULL;
	g_autofree char *error = NULL;

	g_string_append_printf(m, "From: <%s>\r\nTo: <gate@example.test>\r\n"
	    "Subject: %s\r\nMessage-ID: <j%u@example.test>\r\n"
	    "Date: Mon, 1 Jul 2024 10:00:00 +0800\r\nMIME-Version: 1.0\r\n",
	    from, enc, g_random_int());
	if (file == NULL) {
		g_string_append(m, "Content-Type: text/plain; charset=utf-8\r\n"
		    "\r\nbody\r\n");
	} else {
		g_autofree char *fenc = g_mime_utils_header_encode_text(NULL,
		    file, "utf-8");

		g_string_append_printf(m, "Content-Type: multipart/mixed; "
		    "boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
		    "body\r\n--b\r\nContent-Type: application/octet-stream\r\n"
		    "Content-Disposition: attachment; filename=\"%s\"\r\n"
		    "Content-Transfer-Encoding: base64\r\n\r\nAAAA\r\n--b--\r\n",
		    fenc);
	}
	if (message_parse_data(m->str, m->len, NULL, &msg, &error) < 0) {
		printf("FAIL setup: %s\n", error);
		exit(1);
	}
	g_string_free(m, TRUE);
	return msg;
}

/* The campaign parsed from text, as the loader hands it over. */
static struct campaign *
make_campaign(const char *resubmission)
{
	g_autofree char *text = g_strdup_printf(campaign_text, resubmission);
	g_autofree char *error = NULL;
	struct campaign *c = NULL;

	if (campaign_parse("judgetest.campaign", text, strlen(text), NULL,
	    NULL, &c, &error) < 0) {
		printf("FAIL setup: campaign: %s\n", error);
		exit(1);
	}
	return c;
}

#define GOOD_SUBJECT	"征集-甲单位-视频-春天"
#define GOOD_FROM	"clerk@jia.example"
#define GOOD_FILE	"春天.mp4"

static const struct row {
	const char *name;
	const char *resubmission;	/* freeze | replace | keep-all */
	const char *subject, *from, *file;
	bool known;
	const char *automatic;
	bool unverified;		/* From: failed SPF/DKIM/DMARC */
	uint64_t size;			/* 0: small */
	const char *arrival;		/* NULL: inside the window */
	const char *same;		/* an earlier case of the same work */
	unsigned unit, unit_category, submitter;
	/* expected */
	enum outcome outcome;
	const char *policy;
	bool reply;
	enum reply_kind kind;
	const char *says;		/* in the reason or diagnostics */
	const char *code;		/* reasoncode.h; NULL: not checked,
					   or (accepted) none */
} rows[] = {
	/* Each policy on its own. */
	{ "accepted", "freeze", GOOD_SUBJECT, GOOD_FROM, GOOD_FILE,
	  .outcome = OUTCOME_ACCEPTED, .policy = "accepted", .reply = true,
	  .kind = REPLY_RECEIPT },
	{ "duplicate", "freeze", GOOD_SUBJECT, GOOD_FROM, GOOD_FILE,
	  .known = true, .outcome = OUTCOME_DUPLICATE, .policy = "duplicate",
	  .says = "already processed", .code = "duplicate" },
	{ "ignored", "freeze", GOOD_SUBJECT, GOOD_FROM, GOOD_FILE,
	  .automatic = "automatic reply", .outcome = OUTCOME_IGNORED,
	  .policy = "ignored", .says = "automatic reply", .code = "automatic" },
	{ "too-large", "freeze", GOOD_SUBJECT, GOOD_FROM, GOOD_FILE,
	  .size = 2 * 1024 * 1024, .outcome = OUTCOME_TOO_LARGE,
	  .policy = "too-large", .reply = true, .kind = REPLY_TOO_LARGE,
	  .says = "上限", .code = "too-large" },
	{ "late-after", "freeze", GOOD_SUBJECT, GOOD_FROM, GOOD_FILE,
	  .arrival = "2025-01-01T00:00:01+08:00", .outcome = OUTCOME_LATE,
	  .policy = "late", .reply = true, .kind = REPLY_LATE,
	  .says = "截止", .code = "late" },
	{ "late-before", "freeze", GOOD_SUBJECT, GOOD_FROM, GOOD_FILE,
	  .arrival = "2023-12-31T23:59:00+08:00", .outcome = OUTCOME_LATE,
	  .policy = "late", .reply = true, .kind = REPLY_LATE,
	  .says = "尚未开始", .code = "not-open" },
	{ "naming", "freeze", "征集-甲单位-音乐-春天", GOOD_FROM, GOOD_FILE,
	  .outcome = OUTCOME_REJECTED, .policy = "naming", .reply = true,
	  .kind = REPLY_CORRECTION, .says = "邮件主题", .code = "naming" },
	{ "senders", "freeze", GOOD_SUBJECT, "someone@else.example",
	  GOOD_FILE, .outcome = OUTCOME_REJECTED, .policy = "senders",
	  .reply = true, .kind = REPLY_CORRECTION, .says = "@jia.example",
	  .code = "sender-not-listed" },
	/* a listed address that did not pass authentication may be forged */
	{ "senders-listed-unverified", "freeze", GOOD_SUBJECT, GOOD_FROM,
	  GOOD_FILE, .unverified = true, .outcome = OUTCOME_REJECTED,
	  .policy = "senders", .reply = true, .kind = REPLY_CORRECTION,
	  .says = "未能通过发件邮箱验证", .code = "sender-unverified" },
	{ "senders-other-unit-free", "freeze", "征集-乙单位-视频-春天",
	  "someone@else.example", GOOD_FILE, .outcome = OUTCOME_ACCEPTED,
	  .policy = "accepted", .reply = true, .kind = REPLY_RECEIPT },
	{ "types", "freeze", GOOD_SUBJECT, GOOD_FROM, "春天.exe",
	  .outcome = OUTCOME_REJECTED, .policy = "naming", .reply = true,
	  .kind = REPLY_CORRECTION, .says = "mp4、docx", .code = "type" },
	/* A mail with no work in it is never a receipt. */
	{ "no-attachment", "freeze", GOOD_SUBJECT, GOOD_FROM, NULL,
	  .outcome = OUTCOME_REJECTED, .policy = "naming", .reply = true,
	  .kind = REPLY_CORRECTION, .says = "邮件中没有附件",
	  .code = "no-attachment" },
	{ "frozen", "freeze", GOOD_SUBJECT, GOOD_FROM, GOOD_FILE,
	  .same = "JUDGETEST-00001", .outcome = OUTCOME_FROZEN,
	  .policy = "resubmission", .reply = true, .kind = REPLY_FROZEN,
	  .says = "JUDGETEST-00001", .code = "frozen" },
	{ "replace", "replace", GOOD_SUBJECT, GOOD_FROM, GOOD_FILE,
	  .same = "JUDGETEST-00001", .outcome = OUTCOME_ACCEPTED,
	  .policy = "accepted", .reply = true, .kind = REPLY_SUPERSEDED },
	{ "keep-all-same-ignored", "keep-all", GOOD_SUBJECT, GOOD_FROM,
	  GOOD_FILE, .same = "JUDGETEST-00001", .outcome = OUTCOME_ACCEPTED,
	  .policy = "accepted", .reply = true, .kind = REPLY_RECEIPT },
	{ "quota-unit", "freeze", "征集-甲单位-图片-春天", GOOD_FROM,
	  GOOD_FILE, .unit = 3, .outcome = OUTCOME_OVER_QUOTA,
	  .policy = "quotas", .reply = true, .kind = REPLY_OVER_QUOTA,
	  .says = "最多报送 3 件", .code = "quota-unit" },
	{ "quota-unit-category", "freeze", GOOD_SUBJECT, GOOD_FROM, GOOD_FILE,
	  .unit = 1, .unit_category = 1, .outcome = OUTCOME_OVER_QUOTA,
	  .policy = "quotas", .reply = true, .kind = REPLY_OVER_QUOTA,
	  .says = "“视频”最多报送 1 件", .code = "quota-unit-category" },
	{ "quota-category-other-free", "freeze", "征集-甲单位-图片-春天",
	  GOOD_FROM, GOOD_FILE, .unit = 1, .unit_category = 1,
	  .outcome = OUTCOME_ACCEPTED, .policy = "accepted", .reply = true,
	  .kind = REPLY_RECEIPT },
	{ "quota-submitter", "freeze", "征集-甲单位-图片-春天", GOOD_FROM,
	  GOOD_FILE, .submitter = 5, .outcome = OUTCOME_OVER_QUOTA,
	  .policy = "quotas", .reply = true, .kind = REPLY_OVER_QUOTA,
	  .says = "每位投稿人最多报送 5 件", .code = "quota-submitter" },
	{ "quota-unit-own", "freeze", "征集-丁单位-图片-春天", GOOD_FROM,
	  GOOD_FILE, .unit = 1, .outcome = OUTCOME_OVER_QUOTA,
	  .policy = "quotas", .reply = true, .kind = REPLY_OVER_QUOTA,
	  .says = "最多报送 1 件" },
	{ "quota-open-unit", "freeze", "征集-理工学院-图片-春天", GOOD_FROM,
	  GOOD_FILE, .unit = 2, .outcome = OUTCOME_OVER_QUOTA,
	  .policy = "quotas", .reply = true, .kind = REPLY_OVER_QUOTA,
	  .says = "“理工学院”已登记 2 件" },
	{ "quota-open-unit-under", "freeze", "征集-理工学院-图片-春天",
	  GOOD_FROM, GOOD_FILE, .unit = 1, .outcome = OUTCOME_ACCEPTED,
	  .policy = "accepted", .reply = true, .kind = REPLY_RECEIPT },
	{ "quota-under", "freeze", GOOD_SUBJECT, GOOD_FROM, GOOD_FILE,
	  .unit = 2, .submitter = 4, .outcome = OUTCOME_ACCEPTED,
	  .policy = "accepted", .reply = true, .kind = REPLY_RECEIPT },

	/* The order: each pair, the earlier policy decides. */
	{ "order:duplicate-before-ignored", "freeze", GOOD_SUBJECT, GOOD_FROM,
	  GOOD_FILE, .known = true, .automatic = "bulk mail",
	  .outcome = OUTCOME_DUPLICATE, .policy = "duplicate" },
	{ "order:ignored-before-too-large", "freeze", GOOD_SUBJECT, GOOD_FROM,
	  GOOD_FILE, .automatic = "bulk mail", .size = 5 * 1024 * 1024,
	  .outcome = OUTCOME_IGNORED, .policy = "ignored" },
	{ "order:too-large-before-late", "freeze", GOOD_SUBJECT, GOOD_FROM,
	  GOOD_FILE, .size = 5 * 1024 * 1024,
	  .arrival = "2025-02-01T00:00:00+08:00",
	  .outcome = OUTCOME_TOO_LARGE, .policy = "too-large", .reply = true,
	  .kind = REPLY_TOO_LARGE },
	{ "order:late-before-naming", "freeze", "随便写的主题", GOOD_FROM,
	  GOOD_FILE, .arrival = "2025-02-01T00:00:00+08:00",
	  .outcome = OUTCOME_LATE, .policy = "late", .reply = true,
	  .kind = REPLY_LATE },
	{ "order:naming-before-senders", "freeze", "征集-甲单位-音乐-春天",
	  "x@else.example", GOOD_FILE, .outcome = OUTCOME_REJECTED,
	  .policy = "naming", .reply = true, .kind = REPLY_CORRECTION },
	{ "order:types-before-senders", "freeze", GOOD_SUBJECT,
	  "x@else.example", "春天.exe", .outcome = OUTCOME_REJECTED,
	  .policy = "naming", .reply = true, .kind = REPLY_CORRECTION },
	{ "order:types-before-resubmission", "freeze", GOOD_SUBJECT,
	  GOOD_FROM, "春天.exe", .same = "JUDGETEST-00001",
	  .outcome = OUTCOME_REJECTED, .policy = "naming", .reply = true,
	  .kind = REPLY_CORRECTION },
	{ "order:resubmission-before-quotas", "freeze", GOOD_SUBJECT,
	  GOOD_FROM, GOOD_FILE, .same = "JUDGETEST-00001", .unit = 9,
	  .outcome = OUTCOME_FROZEN, .policy = "resubmission", .reply = true,
	  .kind = REPLY_FROZEN },
	{ "order:replacement-skips-quotas", "replace", GOOD_SUBJECT,
	  GOOD_FROM, GOOD_FILE, .same = "JUDGETEST-00001", .unit = 9,
	  .unit_category = 9, .submitter = 9, .outcome = OUTCOME_ACCEPTED,
	  .policy = "accepted", .reply = true, .kind = REPLY_SUPERSEDED },
};

static void
run_row(const struct row *row)
{
	struct campaign *campaign = make_campaign(row->resubmission);
	struct message *msg = make_message(row->subject, row->from,
	    row->file);
	g_autoptr(GDateTime) arrival = g_date_time_new_from_iso8601(
	    row->arrival ? row->arrival : "2024-07-01T10:00:00+08:00", NULL);
	struct judge_names names;
	struct judge_facts f = {
		.campaign = campaign, .msg = msg, .arrival = arrival,
		.size = row->size ? row->size : 4096, .max_size = 1024 * 1024,
		.known = row->known, .automatic = row->automatic,
		.sender_unverified = row->unverified,
		.names = &names, .same_receipt = row->same,
		.unit_count = row->unit,
		.unit_category_count = row->unit_category,
		.submitter_count = row->submitter,
	};
	struct verdict v;
	g_autofree char *n1 = g_strdup_printf("%s:outcome", row->name);
	g_autofree char *n2 = g_strdup_printf("%s:policy", row->name);
	g_autofree char *n3 = g_strdup_printf("%s:reply", row->name);
	g_autofree char *n4 = g_strdup_printf("%s:says", row->name);
	g_autofree char *n5 = g_strdup_printf("%s:code", row->name);

	judge_names(campaign, msg, NULL, NULL, &names);
	judge_run(&f, &v);
	TEST_CHECK_STR(n1, outcome_name(v.outcome), outcome_name(row->outcome));
	TEST_CHECK_STR(n2, v.policy, row->policy);
	TEST_CHECK(n3, v.reply == row->reply &&
	    (!row->reply || v.kind == row->kind));
	if (row->says != NULL) {
		g_autofree char *all = g_strconcat(v.reason ? v.reason : "",
		    "\n", v.diagnostics ? v.diagnostics : "", NULL);

		TEST_CHECK(n4, strstr(all, row->says) != NULL);
	}
	if (row->code != NULL)
		TEST_CHECK_STR(n5, v.code, row->code);
	else if (row->outcome == OUTCOME_ACCEPTED)
		TEST_CHECK(n5, v.code == NULL);
	verdict_clear(&v);
	judge_names_clear(&names);
	message_free(&msg);
	campaign_free(&campaign);
}

/* Too many parts: the sender is told in Chinese how many attachments a
 * mail takes and to split it; the limit's own words stay in the reason
 * for the log and the statistics. */
/* An infected file refuses the whole mail before anything that would
 * keep it in the store (here: over the size limit too), in words that
 * name the files and not the finding. */
static void
test_malware(void)
{
	struct campaign *campaign = make_campaign("freeze");
	static const char mail[] = "From: <" GOOD_FROM ">\r\n"
	    "To: <gate@example.test>\r\nSubject: x\r\n"
	    "Message-ID: <mal@example.test>\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: text/plain\r\n\r\nbody\r\n";
	static const char *const infected[] = { "表.pdf", "说明.txt", NULL };
	g_autoptr(GDateTime) arrival = g_date_time_new_from_iso8601(
	    "2024-07-01T10:00:00+08:00", NULL);
	g_autofree char *error = NULL;
	struct message *msg = NULL;
	struct judge_names names;
	struct judge_facts f = {
		.campaign = campaign, .arrival = arrival, .size = 4096,
		.max_size = 1024, .names = &names, .infected = infected,
		.infected_signature = "Test.Sig-1.UNOFFICIAL",
	};
	struct verdict v;

	if (message_parse_data(mail, strlen(mail), NULL, &msg, &error) < 0) {
		printf("FAIL setup: %s\n", error);
		exit(1);
	}
	f.msg = msg;
	judge_names(campaign, msg, NULL, NULL, &names);
	judge_run(&f, &v);
	TEST_CHECK("malware:correction", v.outcome == OUTCOME_REJECTED &&
	    v.reply && v.kind == REPLY_CORRECTION);
	TEST_CHECK_STR("malware:policy", v.policy, "malware");
	TEST_CHECK_STR("malware:reason-for-staff", v.reason,
	    "infected: Test.Sig-1.UNOFFICIAL");
	TEST_CHECK("malware:names-the-files", v.diagnostics != NULL &&
	    strstr(v.diagnostics, "附件“表.pdf”、“说明.txt”未通过安全检查，未予登记"
	    ) != NULL && strstr(v.diagnostics, "如有疑问请联系") != NULL);
	TEST_CHECK("malware:not-the-finding", v.diagnostics != NULL &&
	    strstr(v.diagnostics, "Test.Sig") == NULL &&
	    strstr(v.diagnostics, "病毒") == NULL);
	verdict_clear(&v);
	f.infected = NULL;
	judge_run(&f, &v);
	TEST_CHECK("malware:none-then-too-large",
	    v.outcome == OUTCOME_TOO_LARGE);
	verdict_clear(&v);
	judge_names_clear(&names);
	message_free(&msg);
	campaign_free(&campaign);
}

static void
test_too_many_parts(void)
{
	struct campaign *campaign = make_campaign("freeze");
	struct mail_limits limits = { .mime_parts = 5 };
	GString *m = g_string_new(NULL);
	g_autoptr(GDateTime) arrival = g_date_time_new_from_iso8601(
	    "2024-07-01T10:00:00+08:00", NULL);
	g_autofree char *error = NULL;
	struct message *msg = NULL;
	struct judge_names names;
	struct judge_facts f = {
		.campaign = campaign, .arrival = arrival, .size = 4096,
		.max_size = 1024 * 1024, .names = &names,
	};
	struct verdict v;
	unsigned i;

	g_string_append(m, "From: <" GOOD_FROM ">\r\nTo: <gate@example.test>\r\n"
	    "Subject: parts\r\nMessage-ID: <parts@example.test>\r\n"
	    "Date: Mon, 1 Jul 2024 10:00:00 +0800\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
	    "--b\r\nContent-Type: text/plain\r\n\r\nbody\r\n");
	for (i = 0; i < 20; i++)
		g_string_append_printf(m, "--b\r\nContent-Type: image/jpeg\r\n"
		    "Content-Disposition: attachment; filename=\"p%u.jpg\"\r\n"
		    "\r\nAAAA\r\n", i);
	g_string_append(m, "--b--\r\n");
	if (message_parse_data(m->str, m->len, &limits, &msg, &error) < 0) {
		printf("FAIL setup: %s\n", error);
		exit(1);
	}
	f.msg = msg;
	judge_names(campaign, msg, NULL, NULL, &names);
	judge_run(&f, &v);
	TEST_CHECK("parts:correction", v.outcome == OUTCOME_REJECTED &&
	    v.reply && v.kind == REPLY_CORRECTION);
	TEST_CHECK("parts:reason-for-log", v.reason != NULL &&
	    strstr(v.reason, "too many MIME parts") != NULL);
	TEST_CHECK("parts:told-how-many", v.diagnostics != NULL &&
	    strstr(v.diagnostics, "最多接收 3 个附件") != NULL &&
	    strstr(v.diagnostics, "分成几封邮件") != NULL);
	/* in Chinese only; the campaign takes no archive, so none is
	 * offered */
	TEST_CHECK("parts:chinese-only", v.diagnostics != NULL &&
	    strstr(v.diagnostics, "MIME") == NULL &&
	    strstr(v.diagnostics, "压缩包") == NULL);
	verdict_clear(&v);
	judge_names_clear(&names);
	message_free(&msg);
	campaign_free(&campaign);
	g_string_free(m, TRUE);
}

static void
test_names(void)
{
	struct campaign *campaign = make_campaign("freeze");
	struct message *msg = make_message("征集－甲单位－视频－春天",
	    GOOD_FROM, GOOD_FILE);
	struct judge_names names;

	judge_names(campaign, msg, NULL, NULL, &names);
	TEST_CHECK("names:met-fields", names.met && names.fields != NULL &&
	    g_strcmp0(grammar_result_get(names.fields, "单位"), "甲单位") == 0);
	judge_names_clear(&names);
	message_free(&msg);
	msg = make_message("征集-丙单位-视频-春天", GOOD_FROM, GOOD_FILE);
	judge_names(campaign, msg, NULL, NULL, &names);
	TEST_CHECK("names:not-met-diagnosed", !names.met &&
	    names.diagnostics != NULL &&
	    strstr(names.diagnostics->str, "丙单位") != NULL);
	judge_names_clear(&names);
	message_free(&msg);
	/* a correction answered with 回复, twice: our tags are no part of
	 * what the clerk wrote, nor of the title */
	msg = make_message("【请更正】回复：【请更正】征集-甲单位-视频-春天"
	    "（查询码 3F9A2C1B）（查询码 77AB01CD）", GOOD_FROM, GOOD_FILE);
	judge_names(campaign, msg, NULL, NULL, &names);
	TEST_CHECK("names:reply-to-correction-met", names.met &&
	    names.fields != NULL &&
	    g_strcmp0(grammar_result_get(names.fields, "作品名称"),
	    "春天") == 0);
	judge_names_clear(&names);
	message_free(&msg);
	campaign_free(&campaign);
}

/* A text that defeats the matcher (a PCRE2 limit) is answered as not
 * recognised, and the limit is handed out for the log. */
static void
test_matcher_defeated(void)
{
	static const char text[] =
	    "[campaign]\nid = redos\nname = 测试\nfolder = INBOX\n"
	    "convention = subject\n"
	    "subject_regex = ^征集-(?<作品名称>(a+)+)$\n"
	    "title_field = 作品名称\n"
	    "[field 作品名称]\ntype = text\n";
	g_autofree char *error = NULL;
	g_autofree char *subject = g_strconcat("征集-",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", NULL);
	struct campaign *c = NULL;
	struct message *msg;
	struct judge_names names;

	if (campaign_parse("redos.campaign", text, strlen(text), NULL, NULL,
	    &c, &error) < 0) {
		printf("FAIL matcher-defeated:setup: %s\n", error);
		return;
	}
	msg = make_message(subject, GOOD_FROM, GOOD_FILE);
	judge_names(c, msg, NULL, NULL, &names);
	TEST_CHECK("matcher-defeated:not-met", !names.met);
	TEST_CHECK("matcher-defeated:said", names.diagnostics != NULL &&
	    strstr(names.diagnostics->str, "无法识别") != NULL);
	TEST_CHECK("matcher-defeated:for-the-log", names.matcher_error != NULL);
	judge_names_clear(&names);
	TEST_CHECK("matcher-defeated:cleared", names.matcher_error == NULL);
	message_free(&msg);
	campaign_free(&c);
}

static void
test_tables(void)
{
	const char *const *p = judge_policy_names();
	static const char *const want[] = { "duplicate", "ignored", "question",
	    "malware",
	    "too-large", "late", "limits", "naming", "senders",
	    "resubmission", "quotas", NULL };
	enum outcome o;
	size_t i;
	bool same = true;

	for (i = 0; want[i] != NULL || p[i] != NULL; i++)
		if (want[i] == NULL || p[i] == NULL || strcmp(want[i], p[i]) != 0)
			same = false;
	TEST_CHECK("policies:order", same);
	for (i = 0; i < OUTCOME_COUNT; i++)
		TEST_CHECK(outcome_name((enum outcome)i),
		    outcome_parse(outcome_name((enum outcome)i), &o) == 0 &&
		    o == (enum outcome)i);
	TEST_CHECK("outcome:unknown", outcome_parse("maybe", &o) < 0);
}

/* Per-item deadlines, as the Shanxi 2020 notice sets them. */
static const char deadlines_text[] =
"[campaign]\n"
"id = xuexi\n"
"name = 学习之星\n"
"opens = 2020-08-14 00:00\n"
"closes = 2020-09-02 18:00\n"
"timezone = Asia/Shanghai\n"
"convention = subject\n"
"subject = {姓名}+{填报项目}\n"
"category_field = 填报项目\n"
"title_field = 姓名\n"
"submission = 报名\n"
"[field 姓名]\n"
"type = name\n"
"[field 填报项目]\n"
"type = enum\n"
"values = 学员标兵;挑战达人;志愿审读员\n"
"alias.志愿审读员 = 审读员\n"
"[policy]\n"
"closes.学员标兵 = 2020-08-30 24:00\n"
"closes.志愿审读员 = none\n"
"opens.挑战达人 = 2020-08-20 08:00\n";

struct deadline_row {
	const char *name, *subject, *arrival;
	enum outcome outcome;
	const char *says;	/* the whole notice, or NULL */
	const char *deadline;	/* judge_deadline_text() */
};

static void
run_deadline_row(const struct campaign *c, const struct deadline_row *row)
{
	struct message *msg = make_message(row->subject, GOOD_FROM, "推荐表.docx");
	g_autoptr(GDateTime) arrival = g_date_time_new_from_iso8601(
	    row->arrival, NULL);
	struct judge_names names;
	struct judge_facts f = {
		.campaign = c, .msg = msg, .arrival = arrival, .size = 4096,
		.max_size = 1024 * 1024, .names = &names,
	};
	struct verdict v;
	g_autofree char *n1 = g_strdup_printf("deadline:%s:outcome",
	    row->name);
	g_autofree char *n2 = g_strdup_printf("deadline:%s:says", row->name);
	g_autofree char *n3 = g_strdup_printf("deadline:%s:deadline",
	    row->name);
	g_autofree char *deadline = NULL;

	judge_names(c, msg, NULL, NULL, &names);
	judge_run(&f, &v);
	deadline = judge_deadline_text(&f);
	TEST_CHECK_STR(n1, outcome_name(v.outcome), outcome_name(row->outcome));
	if (row->says != NULL)
		TEST_CHECK_STR(n2, v.notice, row->says);
	TEST_CHECK_STR(n3, deadline, row->deadline);
	verdict_clear(&v);
	judge_names_clear(&names);
	message_free(&msg);
}

static void
test_deadlines(void)
{
	static const struct deadline_row drows[] = {
		{ "item-late", "张三+学员标兵", "2020-08-31T10:00:00+08:00",
		  OUTCOME_LATE, "学员标兵的报名已于2020年8月30日24时（北京时间）截止，"
		  "您的邮件到达时已超过截止时间。", "2020年8月30日24时（北京时间）" },
		{ "item-24h-midnight", "张三+学员标兵",
		  "2020-08-31T00:00:00+08:00", OUTCOME_ACCEPTED, NULL,
		  "2020年8月30日24时（北京时间）" },
		{ "never-closes", "王五+志愿审读员", "2020-10-01T10:00:00+08:00",
		  OUTCOME_ACCEPTED, NULL, "" },
		{ "never-closes-by-alias", "王五+审读员",
		  "2021-06-01T10:00:00+08:00", OUTCOME_ACCEPTED, NULL, "" },
		{ "item-not-open", "李四+挑战达人", "2020-08-19T10:00:00+08:00",
		  OUTCOME_LATE, "挑战达人的报名自2020年8月20日8:00（北京时间）起接收，"
		  "您的邮件到达时尚未开始。", "2020年9月2日18:00（北京时间）" },
		{ "default-closes", "李四+挑战达人", "2020-09-03T10:00:00+08:00",
		  OUTCOME_LATE, "本次征集已于2020年9月2日18:00（北京时间）截止，"
		  "您的邮件到达时已超过截止时间。",
		  "2020年9月2日18:00（北京时间）" },
		/* Unknown category: the envelope, which the volunteers keep
		 * open; the naming convention then answers. */
		{ "unknown-category-envelope", "王五报名", "2020-10-01T10:00:00+08:00",
		  OUTCOME_REJECTED, NULL, "" },
		{ "unknown-category-before", "王五报名", "2020-08-13T10:00:00+08:00",
		  OUTCOME_LATE, "本次征集自2020年8月14日（北京时间）起接收报名，"
		  "您的邮件到达时尚未开始。", "" },
	};
	g_autofree char *error = NULL;
	struct campaign *c = NULL;
	size_t i;

	if (campaign_parse("xuexi.campaign", deadlines_text,
	    strlen(deadlines_text), NULL, NULL, &c, &error) < 0) {
		printf("FAIL deadline:setup: %s\n", error);
		return;
	}
	for (i = 0; i < G_N_ELEMENTS(drows); i++)
		run_deadline_row(c, &drows[i]);
	campaign_free(&c);
}


/* ---- several works in one mail (per_mail = many) ---- */

static const char works_campaign_text[] =
"[campaign]\n"
"id = workstest\n"
"name = 作品征集\n"
"folder = INBOX\n"
"opens = 2024-01-01 00:00\n"
"closes = 2024-12-31 23:59:59\n"
"timezone = Asia/Shanghai\n"
"convention = filename\n"
"filename = {作品名称}-{类别}-{单位}\n"
"category_field = 类别\n"
"title_field = 作品名称\n"
"unit_field = 单位\n"
"[field 单位]\n"
"type = unit\n"
"units = 甲单位;乙单位\n"
"[field 类别]\n"
"type = enum\n"
"values = 微视频;新媒体\n"
"[field 作品名称]\n"
"type = text\n"
"max = 40\n"
"[works]\n"
"per_mail = many\n"
"[file 作品]\n"
"role = work\n"
"types = mp4;png\n"
"[file 报名表]\n"
"match = *报名表*\n"
"types = docx\n"
"required = yes\n"
"[policy]\n"
"quota_per_unit = 10\n"
"quota_per_unit_category = 新媒体:2\n"
"resubmission = freeze\n";

/* A message with several attachments ("a | b | c"). */
static struct message *
make_message_files(const char *from, const char *files)
{
	g_auto(GStrv) names = g_strsplit(files, " | ", -1);
	GString *m = g_string_new(NULL);
	struct message *msg = NULL;
	g_autofree char *error = NULL;
	size_t i;

	g_string_append_printf(m, "From: <%s>\r\nTo: <gate@example.test>\r\n"
	    "Subject: works\r\nMessage-ID: <w%u@example.test>\r\n"
	    "Date: Mon, 1 Jul 2024 10:00:00 +0800\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
	    "Content-Type: text/plain\r\n\r\nbody\r\n", from, g_random_int());
	for (i = 0; names[i] != NULL; i++) {
		g_autofree char *fenc = g_mime_utils_header_encode_text(NULL,
		    names[i], "utf-8");

		g_string_append_printf(m, "--b\r\nContent-Type: "
		    "application/octet-stream\r\nContent-Disposition: "
		    "attachment; filename=\"%s\"\r\nContent-Transfer-Encoding: "
		    "base64\r\n\r\nAAAA\r\n", fenc);
	}
	g_string_append(m, "--b--\r\n");
	if (message_parse_data(m->str, m->len, NULL, &msg, &error) < 0) {
		printf("FAIL setup: %s\n", error);
		exit(1);
	}
	g_string_free(m, TRUE);
	return msg;
}

static const struct works_row {
	const char *name;
	const char *files;
	unsigned unit, unit_category;	/* each work's, before the mail */
	const char *same;		/* an earlier case of work 2 */
	/* expected: each work's outcome, then the mail's */
	const char *works;		/* "accepted,accepted,over-quota" */
	enum outcome outcome;
	enum reply_kind kind;
	const char *says;		/* in the mail's reason or texts */
} works_rows[] = {
	{ "works:three-accepted",
	  "甲-微视频-甲单位.mp4 | 报名表甲.docx | 乙-微视频-甲单位.mp4 | "
	  "报名表乙.docx | 丙-微视频-甲单位.mp4 | 报名表丙.docx",
	  .works = "accepted,accepted,accepted", .outcome = OUTCOME_ACCEPTED,
	  .kind = REPLY_RECEIPT, .says = "3 works filed" },
	/* the unit has 8: the tally lets two in and stops the third */
	{ "works:quota-tally",
	  "甲-微视频-甲单位.mp4 | 报名表甲.docx | 乙-微视频-甲单位.mp4 | "
	  "报名表乙.docx | 丙-微视频-甲单位.mp4 | 报名表丙.docx",
	  .unit = 8, .works = "accepted,accepted,over-quota",
	  .outcome = OUTCOME_ACCEPTED, .kind = REPLY_RECEIPT,
	  .says = "2 works filed, 1 refused (quotas)" },
	{ "works:quota-category-tally",
	  "甲-新媒体-甲单位.png | 报名表甲.docx | 乙-新媒体-甲单位.png | "
	  "报名表乙.docx | 丙-新媒体-甲单位.png | 报名表丙.docx",
	  .works = "accepted,accepted,over-quota",
	  .outcome = OUTCOME_ACCEPTED, .kind = REPLY_RECEIPT,
	  .says = "“新媒体”最多报送 2 件" },
	/* another unit's works do not count towards this one's quota */
	{ "works:quota-other-unit",
	  "甲-新媒体-甲单位.png | 报名表甲.docx | 乙-新媒体-甲单位.png | "
	  "报名表乙.docx | 丙-新媒体-乙单位.png | 报名表丙.docx",
	  .works = "accepted,accepted,accepted",
	  .outcome = OUTCOME_ACCEPTED, .kind = REPLY_RECEIPT },
	{ "works:all-over-quota",
	  "甲-微视频-甲单位.mp4 | 报名表甲.docx | 乙-微视频-甲单位.mp4 | "
	  "报名表乙.docx", .unit = 10, .works = "over-quota,over-quota",
	  .outcome = OUTCOME_OVER_QUOTA, .kind = REPLY_OVER_QUOTA,
	  .says = "《乙》：每个报送单位最多报送 10 件" },
	{ "works:one-lacks-form",
	  "甲-微视频-甲单位.mp4 | 报名表甲.docx | 乙-微视频-甲单位.mp4",
	  .works = "accepted,rejected", .outcome = OUTCOME_ACCEPTED,
	  .kind = REPLY_RECEIPT, .says = "1 refused (naming)" },
	{ "works:all-refused-mixed",
	  "甲-微视频-甲单位.mp4 | 乙-微视频-甲单位.mp4 | 报名表乙.docx",
	  .unit = 10, .works = "rejected,over-quota",
	  .outcome = OUTCOME_REJECTED, .kind = REPLY_CORRECTION,
	  .says = "《甲》：作品《甲》缺少报名表" },
	{ "works:frozen-second",
	  "甲-微视频-甲单位.mp4 | 报名表甲.docx | 乙-微视频-甲单位.mp4 | "
	  "报名表乙.docx", .same = "WORKSTEST-00001",
	  .works = "accepted,frozen", .outcome = OUTCOME_ACCEPTED,
	  .kind = REPLY_RECEIPT, .says = "1 refused (resubmission)" },
	/* what refuses the whole mail still does */
	{ "works:mail-refused",
	  "甲-微视频-甲单位.mp4 | 报名表甲.docx | 乙-微视频-甲单位.mp4 | "
	  "报名表乙.docx | 丙.mp4", .works = "",
	  .outcome = OUTCOME_REJECTED, .kind = REPLY_CORRECTION,
	  .says = "丙.mp4" },
};

static void
run_works_row(const struct works_row *row)
{
	g_autofree char *error = NULL;
	struct campaign *c = NULL;
	struct message *msg = make_message_files(GOOD_FROM, row->files);
	g_autoptr(GDateTime) arrival = g_date_time_new_from_iso8601(
	    "2024-07-01T10:00:00+08:00", NULL);
	struct judge_names names;
	struct judge_facts f = {
		.msg = msg, .arrival = arrival, .size = 4096,
		.max_size = 1024 * 1024, .names = &names,
	};
	struct judge_work w[8];
	struct verdict v[8], mv, mail;
	GString *got = g_string_new(NULL);
	char *texts[8] = { 0 };
	size_t i, n = 0;
	g_autofree char *all = NULL;

	if (campaign_parse("workstest.campaign", works_campaign_text,
	    strlen(works_campaign_text), NULL, NULL, &c, &error) < 0) {
		printf("FAIL setup: campaign: %s\n", error);
		exit(1);
	}
	f.campaign = c;
	judge_names(c, msg, NULL, NULL, &names);
	judge_run(&f, &mail);
	if (mail.outcome == OUTCOME_ACCEPTED && names.several) {
		n = MIN(mailplan_work_count(names.plan), G_N_ELEMENTS(w));
		for (i = 0; i < n; i++) {
			const struct mailplan_work *pw = mailplan_work(names.plan,
			    i);

			texts[i] = mailplan_work_text(names.plan, (int)i,
			    PLAN_REFUSE);
			w[i] = (struct judge_work){
				.fields = pw->fields, .title = pw->title,
				.refusal = texts[i],
				.same_receipt = i == 1 ? row->same : NULL,
				.unit_count = row->unit,
				.unit_category_count = row->unit_category,
			};
		}
		judge_works(&f, w, n, v, &mv);
		verdict_clear(&mail);
		mail = mv;
	}
	for (i = 0; i < n; i++)
		g_string_append_printf(got, "%s%s", i ? "," : "",
		    outcome_name(v[i].outcome));
	TEST_CHECK_STR(row->name, got->str, row->works);
	TEST_CHECK_STR(row->name, outcome_name(mail.outcome),
	    outcome_name(row->outcome));
	TEST_CHECK(row->name, mail.reply && mail.kind == row->kind);
	all = g_strconcat(mail.reason ? mail.reason : "", "\n",
	    mail.diagnostics ? mail.diagnostics : "", "\n",
	    mail.notice ? mail.notice : "", NULL);
	for (i = 0; i < n; i++) {
		char *more = g_strconcat(all, "\n", v[i].reason ? v[i].reason :
		    "", NULL);

		g_free(all);
		all = more;
	}
	if (row->says != NULL && strstr(all, row->says) == NULL)
		printf("# %s: want \"%s\" in:\n# %s\n", row->name, row->says,
		    all);
	TEST_CHECK(row->name, row->says == NULL ||
	    strstr(all, row->says) != NULL);
	for (i = 0; i < n; i++) {
		verdict_clear(&v[i]);
		g_free(texts[i]);
	}
	verdict_clear(&mail);
	g_string_free(got, TRUE);
	judge_names_clear(&names);
	message_free(&msg);
	campaign_free(&c);
}

/* ---- who may spend a unit's quota (sender_check = confirm) ---- */

static const char senders_campaign_text[] =
"[campaign]\n"
"id = senderstest\n"
"name = 党员教育电视片\n"
"folder = INBOX\n"
"opens = 2024-01-01 00:00\n"
"closes = 2024-12-31 23:59:59\n"
"timezone = Asia/Shanghai\n"
"convention = filename\n"
"filename = {作品名称}-{类别}-{报送单位}\n"
"category_field = 类别\n"
"title_field = 作品名称\n"
"unit_field = 报送单位\n"
"[field 报送单位]\n"
"type = unit\n"
"units = 金坛区委组织部\n"
"[unit 溧阳市委组织部]\n"
"senders = @liyang.gov.cn\n"
"[field 类别]\n"
"type = enum\n"
"values = 微视频;新媒体作品\n"
"[field 作品名称]\n"
"type = text\n"
"max = 40\n"
"[works]\n"
"per_mail = many\n"
"[file 作品]\n"
"role = work\n"
"types = mp4\n"
"[policy]\n"
"quota_per_unit = 10\n"
"quota_per_submitter = 12\n"
"resubmission = freeze\n"
"sender_check = confirm\n";

#define JT "金坛区委组织部"
#define LY "溧阳市委组织部"
#define TEN_JT \
	"一-微视频-" JT ".mp4 | 二-微视频-" JT ".mp4 | 三-微视频-" JT ".mp4 | " \
	"四-微视频-" JT ".mp4 | 五-微视频-" JT ".mp4 | 六-微视频-" JT ".mp4 | " \
	"七-微视频-" JT ".mp4 | 八-微视频-" JT ".mp4 | 九-微视频-" JT ".mp4 | " \
	"十-微视频-" JT ".mp4"

static const struct senders_row {
	const char *name;
	const char *from, *files;
	const char *confirmed, *refused;	/* the unit staff decided on */
	bool unverified;		/* From: failed SPF/DKIM/DMARC */
	unsigned unit, submitter;		/* counts before the mail */
	const char *same;			/* an earlier case of work 1 */
	/* expected: each work ("pending" for one filed pending), the
	 * mail's outcome and reply, and a text in what it says */
	const char *works;
	enum outcome outcome;
	enum reply_kind kind;
	const char *says;
	/* a shipped campaign (contrib/campaigns/ID.campaign) in place of
	 * the one above, and when the mail came (ISO 8601) */
	const char *shipped, *when;
} senders_rows[] = {
	/* J1: a stranger names a unit that has no senders yet */
	{ "senders:J1-stranger-pending", "someone@qq.com",
	  "初心-微视频-" JT ".mp4", .works = "pending",
	  .outcome = OUTCOME_ACCEPTED, .kind = REPLY_RECEIPT,
	  .says = "本邮箱（someone@qq.com）尚未登记为“金坛区委组织部”的报送"
	  "邮箱。作品已登记，状态为“待核实”" },
	/* ...and takes no place: a full unit does not refuse it, nor does
	 * its earlier case of the same work freeze it */
	{ "senders:J1-full-unit-still-pending", "someone@qq.com",
	  "初心-微视频-" JT ".mp4", .unit = 10, .same = "SENDERSTEST-00001",
	  .works = "pending", .outcome = OUTCOME_ACCEPTED,
	  .kind = REPLY_RECEIPT, .says = "待核实" },
	{ "senders:J1-several-pending", "someone@qq.com",
	  "甲-微视频-" JT ".mp4 | 乙-微视频-" JT ".mp4 | 丙-微视频-" JT ".mp4",
	  .unit = 9, .works = "pending,pending,pending",
	  .outcome = OUTCOME_ACCEPTED, .kind = REPLY_RECEIPT,
	  .says = "3 pending (senders)" },
	/* J2: the strangers took nothing (the database counts none of
	 * theirs); the unit's confirmed address sends its ten */
	{ "senders:J2-confirmed-ten", "office@jintan.example", TEN_JT,
	  .confirmed = JT, .works = "accepted,accepted,accepted,accepted,"
	  "accepted,accepted,accepted,accepted,accepted,accepted",
	  .outcome = OUTCOME_ACCEPTED, .kind = REPLY_RECEIPT,
	  .says = "10 works filed" },
	{ "senders:J2-confirmed-eleventh-over", "office@jintan.example",
	  "十一-微视频-" JT ".mp4", .confirmed = JT, .unit = 10,
	  .works = "over-quota", .outcome = OUTCOME_OVER_QUOTA,
	  .kind = REPLY_OVER_QUOTA, .says = "最多报送 10 件" },
	{ "senders:listed", "clerk@liyang.gov.cn", "初心-微视频-" LY ".mp4",
	  .works = "accepted", .outcome = OUTCOME_ACCEPTED,
	  .kind = REPLY_RECEIPT },
	/* confirmed for one unit says nothing of another */
	{ "senders:confirmed-elsewhere", "office@jintan.example",
	  "初心-微视频-" LY ".mp4", .confirmed = JT, .works = "pending",
	  .outcome = OUTCOME_ACCEPTED, .kind = REPLY_RECEIPT,
	  .says = "“溧阳市委组织部”的报送邮箱" },
	/* a confirmed or listed address that did not pass authentication
	 * may be forged: it spends no quota until staff look */
	{ "senders:unverified-confirmed-pending", "office@jintan.example",
	  "初心-微视频-" JT ".mp4", .confirmed = JT, .unverified = true,
	  .works = "pending", .outcome = OUTCOME_ACCEPTED,
	  .kind = REPLY_RECEIPT, .says = "本邮件未能通过发件邮箱验证" },
	{ "senders:unverified-listed-pending", "clerk@liyang.gov.cn",
	  "初心-微视频-" LY ".mp4", .unverified = true, .works = "pending",
	  .outcome = OUTCOME_ACCEPTED, .kind = REPLY_RECEIPT,
	  .says = "无法确认发自“溧阳市委组织部”的报送邮箱" },
	{ "senders:unverified-refused-still-refused", "someone@qq.com",
	  "初心-微视频-" JT ".mp4", .refused = JT, .unverified = true,
	  .works = "rejected", .outcome = OUTCOME_REJECTED,
	  .kind = REPLY_CORRECTION },
	/* J3: staff refused the sender for the unit */
	{ "senders:J3-refused", "someone@qq.com", "初心-微视频-" JT ".mp4",
	  .refused = JT, .works = "rejected", .outcome = OUTCOME_REJECTED,
	  .kind = REPLY_CORRECTION,
	  .says = "不是“金坛区委组织部”的报送邮箱" },
	{ "senders:J3-refused-over-list", "clerk@liyang.gov.cn",
	  "初心-微视频-" LY ".mp4", .refused = LY, .works = "rejected",
	  .outcome = OUTCOME_REJECTED, .kind = REPLY_CORRECTION },
	/* the tally: the pending works of one mail are not the sender's
	 * (12 per submitter, 10 before the mail) */
	{ "senders:tally-skips-pending", "office@jintan.example",
	  "乙-微视频-" LY ".mp4 | 丙-微视频-" LY ".mp4 | 甲-微视频-" JT ".mp4 | "
	  "丁-微视频-" JT ".mp4 | 戊-微视频-" JT ".mp4",
	  .confirmed = JT, .submitter = 10,
	  .works = "pending,pending,accepted,accepted,over-quota",
	  .outcome = OUTCOME_ACCEPTED, .kind = REPLY_RECEIPT,
	  .says = "每位投稿人最多报送 12 件" },
	/* Shanxi 2022 takes a school's nominations in one mail, under one
	 * 推荐总表 (per_mail = many), and 每校每项限保1个 holds within it:
	 * 山大 is 山西大学, so its second 学员标兵 is over the quota, in the
	 * one receipt the mail gets */
	{ "senders:x22-school-batch", "xc@sxu.example.test",
	  "【优秀学员】李娜（山西大学）.docx | 李娜.jpg | "
	  "【挑战达人】王磊（山西大学）.docx | 王磊.jpg | "
	  "【模范学习组织】外国语学院党委（山西大学）.docx | 外国语学院党委.jpg | "
	  "山西大学推荐总表.xlsx", .confirmed = "山西大学",
	  .works = "accepted,accepted,accepted", .outcome = OUTCOME_ACCEPTED,
	  .kind = REPLY_RECEIPT, .says = "3 works filed",
	  .shipped = "xuexizhixing-2022", .when = "2023-01-04T10:00:00+08:00" },
	{ "senders:x22-second-of-item-over", "xc@sxu.example.test",
	  "【学员标兵】张三（山西大学）.docx | 张三.jpg | "
	  "【学员标兵】李四（山大）.docx | 李四.jpg | "
	  "【优秀学员】王五（山西大学）.docx | 王五.jpg", .confirmed = "山西大学",
	  .works = "accepted,over-quota,accepted", .outcome = OUTCOME_ACCEPTED,
	  .kind = REPLY_RECEIPT, .says = "“学员标兵”最多报送 1 件",
	  .shipped = "xuexizhixing-2022", .when = "2023-01-04T10:00:00+08:00" },
};

/* What staff said of the sender for the unit of fields. */
static enum judge_sender
senders_standing(const struct senders_row *row, const struct campaign *c,
    const struct grammar_result *fields)
{
	const char *unit = grammar_result_get(fields, campaign_unit_field(c));

	if (row->refused != NULL && g_strcmp0(unit, row->refused) == 0)
		return JUDGE_SENDER_REFUSED;
	if (row->confirmed != NULL && g_strcmp0(unit, row->confirmed) == 0)
		return JUDGE_SENDER_CONFIRMED;
	return JUDGE_SENDER_UNKNOWN;
}

static const char *
senders_outcome(const struct verdict *v)
{
	return v->outcome == OUTCOME_ACCEPTED && v->pending ? "pending" :
	    outcome_name(v->outcome);
}

/* Work i's facts, as ingest reads them from the database. */
static struct judge_work
senders_work(const struct senders_row *row, const struct campaign *c,
    const struct mailplan *plan, size_t i)
{
	const struct mailplan_work *pw = mailplan_work(plan, i);

	return (struct judge_work){
		.fields = pw->fields, .title = pw->title,
		.same_receipt = i == 0 ? row->same : NULL,
		.unit_count = row->unit, .submitter_count = row->submitter,
		.sender = senders_standing(row, c, pw->fields),
	};
}

static void
run_senders_row(const struct senders_row *row)
{
	g_autofree char *error = NULL, *all = NULL;
	struct campaign *c = NULL;
	struct message *msg = make_message_files(row->from, row->files);
	g_autoptr(GDateTime) arrival = g_date_time_new_from_iso8601(
	    row->when != NULL ? row->when : "2024-07-01T10:00:00+08:00", NULL);
	struct judge_names names;
	struct judge_facts f = {
		.msg = msg, .arrival = arrival, .size = 4096,
		.max_size = 1024 * 1024, .names = &names,
		.sender_unverified = row->unverified,
	};
	struct judge_work w[12];
	struct verdict v[12], mv, mail;
	GString *got = g_string_new(NULL), *texts = g_string_new(NULL);
	g_autofree char *path = row->shipped != NULL ? g_strdup_printf(
	    "contrib/campaigns/%s.campaign", row->shipped) : NULL;
	size_t i, n = 0;

	if (path != NULL ? campaign_load(path, &c, &error) < 0 :
	    campaign_parse("senderstest.campaign", senders_campaign_text,
	    strlen(senders_campaign_text), NULL, NULL, &c, &error) < 0) {
		printf("FAIL setup: campaign: %s\n", error);
		exit(1);
	}
	f.campaign = c;
	judge_names(c, msg, NULL, NULL, &names);
	if (!names.several && names.fields != NULL) {
		struct judge_work one = senders_work(row, c, names.plan, 0);

		f.same_receipt = one.same_receipt;
		f.unit_count = one.unit_count;
		f.submitter_count = one.submitter_count;
		f.sender = one.sender;
	}
	judge_run(&f, &mail);
	if (!names.several)
		g_string_append(got, senders_outcome(&mail));
	if (mail.outcome == OUTCOME_ACCEPTED && names.several) {
		n = MIN(mailplan_work_count(names.plan), G_N_ELEMENTS(w));
		for (i = 0; i < n; i++)
			w[i] = senders_work(row, c, names.plan, i);
		judge_works(&f, w, n, v, &mv);
		verdict_clear(&mail);
		mail = mv;
	}
	for (i = 0; i < n; i++) {
		g_string_append_printf(got, "%s%s", i ? "," : "",
		    senders_outcome(&v[i]));
		g_string_append_printf(texts, "\n%s\n%s", v[i].notice ?
		    v[i].notice : "", v[i].reason ? v[i].reason : "");
	}
	TEST_CHECK_STR(row->name, got->str, row->works);
	TEST_CHECK_STR(row->name, outcome_name(mail.outcome),
	    outcome_name(row->outcome));
	TEST_CHECK(row->name, mail.reply && mail.kind == row->kind);
	all = g_strconcat(mail.reason ? mail.reason : "", "\n",
	    mail.diagnostics ? mail.diagnostics : "", "\n",
	    mail.notice ? mail.notice : "", texts->str, NULL);
	if (row->says != NULL && strstr(all, row->says) == NULL)
		printf("# %s: want \"%s\" in:\n# %s\n", row->name, row->says,
		    all);
	TEST_CHECK(row->name, row->says == NULL ||
	    strstr(all, row->says) != NULL);
	for (i = 0; i < n; i++)
		verdict_clear(&v[i]);
	verdict_clear(&mail);
	g_string_free(got, TRUE);
	g_string_free(texts, TRUE);
	judge_names_clear(&names);
	message_free(&msg);
	campaign_free(&c);
}

int
main(void)
{
	size_t i;

	g_mime_init();
	test_tables();
	test_names();
	test_too_many_parts();
	test_malware();
	test_matcher_defeated();
	test_deadlines();
	for (i = 0; i < G_N_ELEMENTS(rows); i++)
		run_row(&rows[i]);
	for (i = 0; i < G_N_ELEMENTS(works_rows); i++)
		run_works_row(&works_rows[i]);
	for (i = 0; i < G_N_ELEMENTS(senders_rows); i++)
		run_senders_row(&senders_rows[i]);
	g_mime_shutdown();
	return TEST_EXIT();
}
