/* summary: see include/summary.h. */
#include <string.h>

#include <glib.h>
#include <gmime/gmime.h>

#include "reply.h"
#include "summary.h"

static const char *const chinese_numbers[] = {
	"一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
};

const char *
summary_outcome_label(const char *outcome)
{
	static const struct {
		const char *outcome, *label;
	} labels[] = {
		{ "accepted", "已登记" },
		{ "rejected", "退回更正" },
		{ "question", "咨询" },
		{ "late", "逾期未受理" },
		{ "over-quota", "超出名额" },
		{ "frozen", "不接受更改" },
		{ "too-large", "邮件过大" },
		{ "duplicate", "重复发送" },
		{ "ignored", "自动回复等，未处理" },
		{ "failed", "无法读取，留待人工处理" },
	};
	size_t i;

	for (i = 0; outcome != NULL && i < G_N_ELEMENTS(labels); i++)
		if (strcmp(outcome, labels[i].outcome) == 0)
			return labels[i].label;
	return outcome != NULL ? outcome : "其他";
}

char *
summary_subject(const struct summary *s)
{
	return g_strdup_printf("【每日汇总】%s（%s）", s->campaign_name, s->day);
}

static unsigned
summary_total(const struct summary_count *c, size_t n)
{
	unsigned total = 0;
	size_t i;

	for (i = 0; i < n; i++)
		total += c[i].n;
	return total;
}

/* "已登记 3 封、退回更正 1 封" on one line, the rest counted. */
static void
summary_counts_line(GString *out, const char *head,
    const struct summary_count *c, size_t n, const char *unit, bool outcomes)
{
	size_t i;

	g_string_append_printf(out, "  %s", head);
	for (i = 0; i < n && i < SUMMARY_LIST_MAX; i++) {
		g_autofree char *key = reply_clip(outcomes ?
		    summary_outcome_label(c[i].key) : c[i].key != NULL &&
		    *c[i].key != '\0' ? c[i].key : "（未填）",
		    REPLY_QUOTE_CHARS);

		g_string_append_printf(out, "%s%s %u %s", i > 0 ? "、" : "",
		    key, c[i].n, unit);
	}
	if (n > SUMMARY_LIST_MAX)
		g_string_append_printf(out, "，另有 %zu 项未列出",
		    n - SUMMARY_LIST_MAX);
	g_string_append_c(out, '\n');
}

static void
summary_questions(GString *out, const struct summary *s)
{
	size_t i;

	if (s->nquestions == 0) {
		g_string_append(out, "  无\n");
		return;
	}
	for (i = 0; i < s->nquestions && i < SUMMARY_LIST_MAX; i++) {
		const struct summary_question *q = &s->questions[i];
		g_autofree char *text = reply_clip(q->text, SUMMARY_QUESTION_CHARS);
		g_autofree char *subject = reply_clip(q->subject,
		    SUMMARY_QUESTION_CHARS);

		/* One line each: what was asked, not how it was quoted. */
		if (text != NULL)
			g_strdelimit(text, "\r\n\t", ' ');
		if (subject != NULL)
			g_strdelimit(subject, "\r\n\t", ' ');
		g_string_append_printf(out, "  · %s %s，主题“%s”：%s\n", q->when,
		    q->sender, subject && *subject ? subject : "（无主题）",
		    text && *text ? text : "（正文为空）");
	}
	if (s->nquestions > SUMMARY_LIST_MAX)
		g_string_append_printf(out, "  ……另有 %zu 条\n",
		    s->nquestions - SUMMARY_LIST_MAX);
	g_string_append(out, "  如需答复，请直接写信给提问人。\n");
}

static void
summary_pending(GString *out, const struct summary *s)
{
	size_t i;

	if (s->npending == 0) {
		g_string_append(out, "  无（各单位均已报送并达到最低要求）\n");
		return;
	}
	for (i = 0; i < s->npending && i < SUMMARY_LIST_MAX; i++)
		g_string_append_printf(out, "  · %s：%s\n", s->pending[i].unit,
		    s->pending[i].why);
	if (s->npending > SUMMARY_LIST_MAX)
		g_string_append_printf(out, "  ……另有 %zu 个单位\n",
		    s->npending - SUMMARY_LIST_MAX);
}

static void
summary_links(GString *out, const struct summary *s)
{
	size_t i;

	if (s->nlinks == 0) {
		g_string_append_printf(out, "  无（%d 小时内没有到期的云附件）\n",
		    SUMMARY_LINK_HOURS);
		return;
	}
	for (i = 0; i < s->nlinks && i < SUMMARY_LIST_MAX; i++) {
		const struct summary_link *l = &s->links[i];
		g_autofree char *name = reply_clip(l->name, REPLY_QUOTE_CHARS);

		if (name != NULL)
			g_string_append_printf(out, "  · 回执 %s《%s》（%s）", l->receipt,
			    name, l->provider);
		else
			g_string_append_printf(out, "  · 回执 %s 的%s链接", l->receipt,
			    l->provider);
		g_string_append_printf(out, "：%s %s\n", l->expires,
		    l->expired ? "已过期，尚未下载" : "到期");
	}
	if (s->nlinks > SUMMARY_LIST_MAX)
		g_string_append_printf(out, "  ……另有 %zu 个\n",
		    s->nlinks - SUMMARY_LIST_MAX);
}

char *
summary_text(const struct summary *s)
{
	GString *out = g_string_new(NULL);
	unsigned mails = summary_total(s->outcomes, s->noutcomes);
	unsigned works = summary_total(s->categories, s->ncategories);
	unsigned section = 0;

	g_string_append_printf(out, "“%s”每日汇总（%s）\n\n", s->campaign_name,
	    s->day);
	g_string_append_printf(out, "统计时段：%s 至 %s（%s）\n", s->since,
	    s->until, s->since_last ? "自上次汇总以来" : "过去24小时");
	if (s->deadline != NULL)
		g_string_append_printf(out, "征集截止：%s\n", s->deadline);
	g_string_append_printf(out, "\n%s、收到的邮件：%u 封\n",
	    chinese_numbers[section++], mails);
	if (mails > 0)
		summary_counts_line(out, "", s->outcomes, s->noutcomes, "封",
		    true);
	g_string_append_printf(out, "\n%s、新登记的作品：%u 件\n",
	    chinese_numbers[section++], works);
	if (works > 0 && s->ncategories > 0 && (s->ncategories > 1 ||
	    s->categories[0].key != NULL))
		summary_counts_line(out, "按类别：", s->categories,
		    s->ncategories, "件", false);
	if (works > 0)
		summary_counts_line(out, s->by_unit ? "按单位：" : "按投稿人：",
		    s->units, s->nunits, "件", false);
	g_string_append_printf(out, "\n%s、新的咨询：%zu 条\n",
	    chinese_numbers[section++], s->nquestions);
	summary_questions(out, s);
	if (s->roster_units > 0) {
		g_string_append_printf(out, "\n%s、尚未报送或未达最低要求的单位："
		    "%zu 个（名单共 %zu 个）\n", chinese_numbers[section++],
		    s->npending, s->roster_units);
		summary_pending(out, s);
	}
	g_string_append_printf(out, "\n%s、需在有效期内下载的云附件：%zu 个\n",
	    chinese_numbers[section++], s->nlinks);
	summary_links(out, s);
	g_string_append(out, "\n（本邮件由征集邮箱每日自动汇总发送给工作人员。）\n");
	return g_string_free(out, FALSE);
}

int
summary_compose(const struct summary_mail *m, char **data_r, size_t *len_r,
    char **message_id_r, char **error_r)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	const char *domain = strchr(m->from, '@');
	char random_hex[2 * REPLY_ID_RANDOM_BYTES + 1];
	g_autofree char *subject = g_strdup(m->subject);
	GMimeFormatOptions *fo;
	GMimeMessage *msg;
	GMimeTextPart *part;
	char *id, *data;

	if (domain == NULL) {
		*error_r = g_strdup_printf("summary: bad sender address %s",
		    m->from);
		return -1;
	}
	if (reply_random_hex(random_hex, sizeof(random_hex), error_r) < 0)
		return -1;
	g_strdelimit(subject, "\r\n\t", ' ');
	id = g_strdup_printf("%s.%.24s.%s@%s", SUMMARY_KIND, m->token,
	    random_hex, domain + 1);
	msg = g_mime_message_new(TRUE);
	g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_FROM,
	    m->from_name ? m->from_name : "", m->from);
	g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_TO, "", m->staff);
	g_mime_message_set_subject(msg, subject, "utf-8");
	g_mime_message_set_date(msg, now);
	g_mime_message_set_message_id(msg, id);
	/* Generated, not an answer: a staff mailbox's responder leaves it
	 * alone, and the gateway never takes an answer to it for a
	 * question (loopguard.h). */
	g_mime_object_set_header(GMIME_OBJECT(msg), "Auto-Submitted",
	    "auto-generated", NULL);
	g_mime_object_set_header(GMIME_OBJECT(msg), "X-Auto-Response-Suppress",
	    "All", NULL);
	part = g_mime_text_part_new_with_subtype("plain");
	g_mime_text_part_set_text(part, m->text);
	g_mime_text_part_set_charset(part, "utf-8");
	g_mime_part_set_content_encoding(GMIME_PART(part),
	    GMIME_CONTENT_ENCODING_BASE64);
	g_mime_message_set_mime_part(msg, GMIME_OBJECT(part));
	g_object_unref(part);
	fo = g_mime_format_options_new();
	g_mime_format_options_set_newline_format(fo, GMIME_NEWLINE_FORMAT_DOS);
	data = g_mime_object_to_string(GMIME_OBJECT(msg), fo);
	g_mime_format_options_free(fo);
	g_object_unref(msg);
	*data_r = data;
	*len_r = strlen(data);
	*message_id_r = id;
	return 0;
}
