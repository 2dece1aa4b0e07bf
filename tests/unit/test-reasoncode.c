/* reasoncode: labels for the codes staff count, the code of a row
 * recorded before codes, and why a mail got no reply. */
#include <stdlib.h>

#include <glib.h>

#include "reasoncode.h"
#include "test.h"

static void
check_labels(void)
{
	static const struct {
		const char *code, *label;
	} rows[] = {
		{ "late", "不在征集时间内（已截止）" },
		{ "quota-unit", "超出单位名额" },
		{ "companion-missing", "缺少必需的材料（报名表等）" },
		{ "media-duration", "时长不符合要求" },
		{ "no-such-code", "其他（no-such-code）" },
		{ NULL, "其他（未记录）" },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *name = g_strdup_printf("label:%s",
		    rows[i].code ? rows[i].code : "null");
		g_autofree char *got = reasoncode_label(rows[i].code);

		TEST_CHECK_STR(name, got, rows[i].label);
	}
	TEST_CHECK("known:late", reasoncode_known("late"));
	TEST_CHECK("known:not-made-up", !reasoncode_known("made-up"));
}

/* Rows recorded before codes: by the work's policy, else the message's
 * outcome, else the reason's words. */
static void
check_guess(void)
{
	static const struct {
		const char *name, *outcome, *policy, *reason, *code;
	} rows[] = {
		{ "work-quotas", "over-quota", "quotas", "最多 10 件", "quota" },
		{ "work-naming", "rejected", "naming", "邮件主题…", "naming" },
		{ "work-senders", "rejected", "senders", "…", "sender-not-listed" },
		{ "work-late", "late", "late", "已截止", "late" },
		{ "message-late", "late", NULL, "已截止", "late" },
		{ "message-frozen", "frozen", NULL, "…", "frozen" },
		{ "message-ignored", "ignored", NULL, "automatic reply",
		  "automatic" },
		{ "message-failed", "failed", NULL, "not a mail", "failed" },
		{ "message-infected", "rejected", NULL, "infected: Eicar",
		  "infected" },
		{ "message-rejected", "rejected", NULL, "邮件主题“x”不符合",
		  "rejected" },
		{ "nothing", NULL, NULL, NULL, "rejected" },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *name = g_strdup_printf("guess:%s",
		    rows[i].name);

		TEST_CHECK_STR(name, reasoncode_guess(rows[i].outcome,
		    rows[i].policy, rows[i].reason), rows[i].code);
	}
	TEST_CHECK_STR("plan:none", reasoncode_for_plan(NULL,
	    REASONCODE_ANY_WORK), "naming");
}

static void
check_unanswered(void)
{
	static const struct {
		const char *name, *outcome, *reason, *sender, *says;
	} rows[] = {
		{ "auto-reply", "ignored", "automatic reply", "a@x",
		  "防邮件循环" },
		{ "auto-reply-reason", "ignored", "mailing list", "a@x",
		  "mailing list" },
		{ "question-limit", "question", "a question for staff: …; "
		  "acknowledged earlier", "a@x", "确认频率限制" },
		{ "duplicate", "duplicate", "already processed", "a@x",
		  "重复投递" },
		{ "failed", "failed", "not a mail", "a@x", "无法解析" },
		{ "no-address", "rejected", "…", "", "没有可答复的发件地址" },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *name = g_strdup_printf("unanswered:%s",
		    rows[i].name);
		g_autofree char *got = reasoncode_unanswered(rows[i].outcome,
		    rows[i].reason, rows[i].sender);

		TEST_CHECK(name, strstr(got, rows[i].says) != NULL);
	}
}

int
main(void)
{
	check_labels();
	check_guess();
	check_unanswered();
	return TEST_EXIT();
}
