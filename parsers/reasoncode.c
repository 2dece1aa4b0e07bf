/* reasoncode: see include/reasoncode.h. */
#include <string.h>

#include <glib.h>

#include "mailplan.h"
#include "reasoncode.h"

/* Every code a refusal can carry, with what staff read for it; the mail
 * plan's codes as mailplan_text.c and mediarule.c name them. */
static const struct {
	const char *code, *label;
} reasoncode_labels[] = {
	/* the policies (judge.h) */
	{ "late", "不在征集时间内（已截止）" },
	{ "not-open", "征集尚未开始" },
	{ "too-large", "邮件过大" },
	{ "mime-limit", "邮件结构超出限制（附件过多等）" },
	{ "infected", "附件未通过安全检查" },
	{ "frozen", "已报送，不接受更改" },
	{ "quota", "超出名额" },
	{ "quota-unit", "超出单位名额" },
	{ "quota-unit-category", "超出单位该类别名额" },
	{ "quota-submitter", "超出投稿人名额" },
	{ "sender-not-listed", "发件邮箱不是该单位登记的邮箱" },
	{ "sender-refused", "发件邮箱已被工作人员拒绝" },
	{ "sender-unverified", "发件邮箱未通过验证" },
	{ "automatic", "自动邮件，未答复" },
	{ "failed", "无法解析的邮件" },
	{ "duplicate", "重复投递" },
	{ "question", "咨询" },
	/* a row recorded before codes, refused for a reason not told apart */
	{ "rejected", "需更正（未细分）" },
	/* the mail plan (mailplan.h) */
	{ "naming", "主题或文件名不符合命名要求" },
	{ "no-attachment", "未附作品文件" },
	{ "no-work", "未找到作品文件" },
	{ "type", "文件类型不符合要求" },
	{ "empty-file", "空文件" },
	{ "other-file", "附有不接收的其他文件" },
	{ "work-without-file", "作品缺少文件" },
	{ "program", "附件为程序文件" },
	{ "content-program", "文件内容为程序" },
	{ "content-type", "文件内容与类型不符" },
	{ "unit-swapped", "报送单位写在了其他位置" },
	{ "one-work-per-mail", "一封邮件只能报送一件作品" },
	{ "work-unpaired", "附件无法对应到作品" },
	{ "companion-unpaired", "材料无法对应到作品" },
	{ "too-many-works", "作品数超过上限" },
	{ "version-missing", "缺少要求的版本" },
	{ "version-unmarked", "文件名未注明版本" },
	{ "version-copy", "两个版本是同一个文件" },
	{ "series-short", "系列作品集数不足" },
	{ "episode-gap", "系列作品集数不连续" },
	{ "companion-missing", "缺少必需的材料（报名表等）" },
	{ "companion-count", "材料份数不符" },
	{ "link-unnamed", "云附件未写明文件名" },
	{ "link-expired", "云附件已过期" },
	{ "link-not-accepted", "不接收云附件" },
	{ "too-many-links", "云附件过多" },
	{ "media-duration", "时长不符合要求" },
	{ "media-too-short", "时长过短" },
	{ "media-resolution", "分辨率不符合要求" },
	{ "media-aspect", "画面比例不符合要求" },
	{ "media-fps", "帧率不符合要求" },
	{ "media-bitrate", "码率不符合要求" },
	{ "media-audio", "声音不符合要求" },
	{ "media-no-video", "视频没有画面" },
	{ "media-unreadable", "音视频文件无法读取" },
	{ "media-incomplete", "视频文件不完整" },
	{ "archive-unreadable", "压缩包无法打开或已损坏" },
	{ "archive-limit", "压缩包解压后过大或文件过多" },
	{ "archive-encrypted", "压缩包有密码" },
	{ "archive-program", "压缩包内有程序文件" },
	{ "archive-nested", "压缩包内又有压缩包" },
	{ "form-blank", "报名表未填写" },
	{ "duplicate-file", "同一文件重复附上" },
	{ "image-pixels", "图片像素不符合要求" },
	{ "image-colorspace", "图片色彩模式不符合要求" },
	{ "image-dpi", "图片分辨率（dpi）不符合要求" },
	{ "text-characters", "字数不符合要求" },
};

bool
reasoncode_known(const char *code)
{
	size_t i;

	for (i = 0; code != NULL && i < G_N_ELEMENTS(reasoncode_labels); i++)
		if (strcmp(code, reasoncode_labels[i].code) == 0)
			return true;
	return false;
}

char *
reasoncode_label(const char *code)
{
	size_t i;

	for (i = 0; code != NULL && i < G_N_ELEMENTS(reasoncode_labels); i++)
		if (strcmp(code, reasoncode_labels[i].code) == 0)
			return g_strdup(reasoncode_labels[i].label);
	return g_strdup_printf("其他（%s）", code != NULL ? code : "未记录");
}

const char *
reasoncode_for_plan(const struct mailplan *plan, int work)
{
	size_t i, n = plan != NULL ? mailplan_problem_count(plan) : 0;

	for (i = 0; i < n; i++) {
		const struct mailplan_problem *pr = mailplan_problem(plan, i);
		const char *colon;

		if (pr->severity != PLAN_REFUSE || (work != REASONCODE_ANY_WORK &&
		    pr->work != work))
			continue;
		/* "companion-missing:报名表": the kind is the campaign's
		 * word, not part of what is counted. */
		colon = strchr(pr->code, ':');
		if (colon == NULL)
			return g_intern_string(pr->code);
		{
			g_autofree char *head = g_strndup(pr->code,
			    (gsize)(colon - pr->code));

			return g_intern_string(head);
		}
	}
	return "naming";
}

const char *
reasoncode_guess(const char *outcome, const char *policy, const char *reason)
{
	static const struct {
		const char *from, *code;
	} policies[] = {
		{ "naming", "naming" }, { "late", "late" },
		{ "senders", "sender-not-listed" }, { "resubmission", "frozen" },
		{ "quotas", "quota" }, { "malware", "infected" },
		{ "limits", "mime-limit" }, { "too-large", "too-large" },
		{ "ignored", "automatic" }, { "duplicate", "duplicate" },
		{ "question", "question" },
	}, outcomes[] = {
		{ "late", "late" }, { "too-large", "too-large" },
		{ "over-quota", "quota" }, { "frozen", "frozen" },
		{ "ignored", "automatic" }, { "failed", "failed" },
		{ "duplicate", "duplicate" }, { "question", "question" },
	};
	size_t i;

	for (i = 0; policy != NULL && i < G_N_ELEMENTS(policies); i++)
		if (strcmp(policy, policies[i].from) == 0)
			return policies[i].code;
	for (i = 0; outcome != NULL && i < G_N_ELEMENTS(outcomes); i++)
		if (strcmp(outcome, outcomes[i].from) == 0)
			return outcomes[i].code;
	/* judge.c's reason for an infected mail */
	if (reason != NULL && g_str_has_prefix(reason, "infected: "))
		return "infected";
	return "rejected";
}

char *
reasoncode_unanswered(const char *outcome, const char *reason,
    const char *sender)
{
	const char *why = reason != NULL && *reason != '\0' ? reason : NULL;

	if (g_strcmp0(outcome, "ignored") == 0)
		return g_strdup_printf("自动邮件，按防邮件循环规则不予答复（%s）",
		    why ? why : "自动回复");
	if (g_strcmp0(outcome, "question") == 0)
		return g_strdup("同一邮箱的咨询近期已确认过，按确认频率限制不再"
		    "逐一答复（已记录并交工作人员）");
	if (g_strcmp0(outcome, "duplicate") == 0)
		return g_strdup("重复投递，已处理过同一邮件，不再答复");
	if (g_strcmp0(outcome, "failed") == 0)
		return g_strdup_printf("邮件无法解析，未答复（%s）", why ? why :
		    "原因未记录");
	if (sender == NULL || *sender == '\0')
		return g_strdup("没有可答复的发件地址");
	return g_strdup("未答复（重新处理时只答复新登记的作品，或未配置发件"
	    "地址）");
}
