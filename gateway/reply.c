/* reply: see include/reply.h. */
#include <stdbool.h>
#include <string.h>

#include <glib.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gmime/gmime.h>

#include "campaign.h"
#include "cloudlink.h"
#include "grammar.h"
#include "reply.h"
#include "replytag.h"
#include "template.h"
#include "timetext.h"

/*
 * The default templates (subgate.campaign(5) lists the placeholders).
 * A subject tag tells at a glance in the mailbox list what happened.
 */
/* Who to call and who signs: the notice's people and phones, and the
 * office, never the program that sends the mail. */
#define REPLY_FOOTER \
	"\n{?contact}如有疑问，请联系：{contact}。\n{/contact}" \
	"{?contacts}联系人：{contacts}\n{/contacts}" \
	"{?signature}\n{signature}\n{/signature}" \
	"（本邮件为自动发送。）\n"

/* What the notice still asks once the mail is in, and when results come:
 * a receipt is not the end of the clerk's work where paper or a disc
 * must follow. */
#define REPLY_NEXT \
	"{?next_steps}\n还需办理：\n{next_steps}\n{/next_steps}" \
	"{?results}\n结果公布：{results}\n{/results}"

#define REPLY_RECEIPT_BODY \
	"{name}您好：\n\n" \
	"您向“{campaign}”的{submission}已收到并登记。\n\n" \
	"回执编号：{receipt}\n" \
	"收到时间：{arrival}\n" \
	"邮件主题：{subject}\n" \
	"{?superseded}替换：本{submission}替换您此前的{submission} {superseded}，" \
	"原{submission}不再参评。\n{/superseded}" \
	"\n" \
	"{?fields}登记信息：\n{fields}\n{/fields}" \
	"{attachments}" \
	"{?warnings}\n请注意：\n{warnings}\n{/warnings}" \
	REPLY_NEXT \
	"\n请保存本回执编号，查询或更正时请提供。\n" \
	REPLY_FOOTER

/* A mail of several works: each filed one with its receipt number and
 * files, each refused one with why ({works}). */
#define REPLY_WORKS_BODY \
	"{name}您好：\n\n" \
	"您向“{campaign}”发来的邮件已收到，其中识别出 {works_counted}。\n\n" \
	"收到时间：{arrival}\n" \
	"邮件主题：{subject}\n" \
	"\n" \
	"{works}" \
	"{?warnings}\n请注意：\n{warnings}\n{/warnings}" \
	REPLY_NEXT \
	"\n请保存各作品的回执编号，查询或更正时请提供。\n" \
	REPLY_FOOTER

#define REPLY_REFUSAL_HEAD \
	"{name}您好：\n\n" \
	"我们收到了您发往“{campaign}”的邮件，但未能登记为{submission}。\n\n" \
	"收到时间：{arrival}\n" \
	"邮件主题：{subject}\n" \
	"{attachments}"

#define REPLY_NOTICE_BODY \
	REPLY_REFUSAL_HEAD \
	"\n原因：{notice}\n"

#define REPLY_DECISION_HEAD \
	"{name}您好：\n\n" \
	"您向“{campaign}”提交的{submission}已经工作人员审核，结果如下。\n\n" \
	"回执编号：{receipt}\n" \
	"{?title}{title_label}：{title}\n{/title}" \
	"收到时间：{arrival}\n" \
	"审核结果：{decision}\n"

#define REPLY_DECISION_TAIL \
	"{?changes}\n工作人员更正了以下登记信息：\n{changes}{/changes}" \
	"{?fields}\n登记信息：\n{fields}{/fields}"

/* A decision on several cases at once (cases confirm): each receipt and
 * title, then staff's reason on its own line. */
#define REPLY_DECISION_WORKS_BODY \
	"{name}您好：\n\n" \
	"您向“{campaign}”提交的{submission}已经工作人员审核，结果如下。\n\n" \
	"审核结果：{decision}\n" \
	"{?notice}{notice}\n{/notice}" \
	"\n{works}" \
	"{?reason}\n说明：{reason}\n{/reason}" \
	REPLY_FOOTER

#define REPLY_DECISION_REJECTED_HEAD \
	REPLY_DECISION_HEAD \
	"原因：{reason}\n" \
	"{?notice}{notice}\n{/notice}" \
	REPLY_DECISION_TAIL

/* Where sending again changes nothing (resubmission = freeze forbids
 * changes; a refused sender's later mail for the unit is refused), it
 * is not offered. */
#define REPLY_DECISION_REJECTED_FINAL_BODY \
	REPLY_DECISION_REJECTED_HEAD \
	"\n如对审核结果有异议，请在征集截止前联系工作人员。\n" \
	REPLY_FOOTER

static const struct {
	const char *subject;
	const char *body;
} reply_defaults[] = {
	/* Every decision is a mail of its own (a case may be rejected,
	 * then accepted once corrected): {receipt} keeps the subjects
	 * apart from other cases', the tag from earlier decisions'. */
	[REPLY_DECISION_ACCEPTED] = { "【审核通过】{receipt} {title}",
	    REPLY_DECISION_HEAD
	    "{?notice}{notice}\n{/notice}"
	    "{?reason}说明：{reason}\n{/reason}"
	    REPLY_DECISION_TAIL
	    REPLY_FOOTER },
	[REPLY_DECISION_REJECTED] = { "【审核未通过】{receipt} {title}",
	    REPLY_DECISION_REJECTED_HEAD
	    "\n如对审核结果有异议，请在征集截止前联系工作人员或重新{submission}。\n"
	    REPLY_FOOTER },
	[REPLY_RECEIPT] = { "【已收到】{receipt} {title}{?pending}（待核实）"
	    "{/pending}", REPLY_RECEIPT_BODY },
	[REPLY_SUPERSEDED] = { "【已收到·替换】{receipt} {title}",
	    REPLY_RECEIPT_BODY },
	[REPLY_CORRECTION] = { "【请更正】{subject}（查询码 {ref}）",
	    REPLY_REFUSAL_HEAD
	    "\n问题：\n{diagnostics}\n"
	    "\n请按上述要求修改后，重新发送邮件并附上全部材料。\n"
	    "{?deadline}征集截止时间：{deadline}。\n{/deadline}"
	    REPLY_FOOTER },
	[REPLY_LATE] = { "【未受理·不在征集时间内】{subject}（查询码 {ref}）",
	    REPLY_NOTICE_BODY REPLY_FOOTER },
	[REPLY_OVER_QUOTA] = { "【未受理·超出名额】{subject}（查询码 {ref}）",
	    REPLY_NOTICE_BODY REPLY_FOOTER },
	[REPLY_FROZEN] = { "【未受理·不接受更改】{subject}（查询码 {ref}）",
	    REPLY_NOTICE_BODY REPLY_FOOTER },
	/* A person's question, not a submission: said once (the caller
	 * limits how often), and never in a way that asks for an answer. */
	[REPLY_QUESTION] = { "【已转工作人员】{subject}（查询码 {ref}）",
	    "{name}您好：\n\n"
	    "您发往“{campaign}”的邮件没有附带{submission}材料，已作为咨询{forwarded}。\n\n"
	    "收到时间：{arrival}\n"
	    "邮件主题：{subject}\n"
	    "{?question}您的问题：\n{question}\n{/question}"
	    "\n工作人员会尽快答复，请勿重复发送同一问题；同一邮箱的后续咨询"
	    "将直接转交，不再逐一确认。\n"
	    "如需{submission}，请按征集要求另发一封邮件并附上全部材料。\n"
	    REPLY_FOOTER },
	/* Before the deadline, to a unit that has sent nothing or less
	 * than its minimum: what is on record, what is missing, how to
	 * send; never a reproach, and a way out for mail crossing it. */
	[REPLY_REMINDER] = { "【报送提醒】{unit}：“{campaign}”将于{deadline}截止",
	    "{unit}：\n\n"
	    "您好！“{campaign}”征集将于{deadline}截止。\n\n"
	    "{counts}\n"
	    "{?missing}\n按通知要求，贵单位还需报送：\n{missing}{/missing}"
	    "\n请在截止时间前报送。{how}\n"
	    "{?format}{format}\n{/format}"
	    "{?example}示例：{example}\n{/example}"
	    "\n如近日已经报送，请以收到的回执为准，不必理会本提醒。\n"
	    REPLY_FOOTER },
	/* Sent when the file is downloaded, days after the receipt: the
	 * receipt number says which work, the findings what to fix. */
	[REPLY_LINK_CHECK] = { "【云附件检查】{receipt} {title}",
	    "{name}您好：\n\n"
	    "您向“{campaign}”提交的投稿（回执编号 {receipt}）以云附件发送的"
	    "文件已下载，经检查：\n\n"
	    "{notice}\n"
	    "\n请在截止时间前重新发送符合要求的文件。\n"
	    "{?deadline}征集截止时间：{deadline}。\n{/deadline}"
	    REPLY_FOOTER },
	[REPLY_TOO_LARGE] = { "【未受理·邮件过大】{subject}（查询码 {ref}）",
	    REPLY_NOTICE_BODY
	    "\n{links_route}原邮件仍保留在征集邮箱中。\n"
	    REPLY_FOOTER },
};

/* Characters of the reference that names a reply to mail without a case. */
#define REPLY_REF_CHARS		8
/* Characters of the token in a Message-ID (a receipt number, or 96 bits
 * of the message's SHA-256): what staff recognise in it.  A longer ID no
 * longer fits on one header line, which some mail clients then fold or
 * even RFC 2047-encode when they reply. */
#define REPLY_ID_TOKEN_CHARS	24
/* Message-IDs kept of the submission's References: its first and the
 * last ones, as mail clients do.  Real IDs are under 100 bytes; a longer
 * one is not kept (nor answered In-Reply-To), or a forged one would carry
 * kilobytes of a stranger's text in our reply's header. */
#define REPLY_REFERENCES_KEPT	10
#define REPLY_ID_MAX_BYTES	250

/*
 * The kinds' names: the Message-ID prefix, the outbox's kind and the
 * [reply] keys of subgate.campaign(5).  The campaign loader reads keys
 * for the kinds template_reply_kinds lists; a kind it does not list uses
 * the default template.
 */
static const char *const reply_kind_names[] = {
	[REPLY_RECEIPT] = "receipt",
	[REPLY_SUPERSEDED] = "superseded-notice",
	[REPLY_CORRECTION] = "correction",
	[REPLY_LATE] = "late",
	[REPLY_OVER_QUOTA] = "over-quota",
	[REPLY_FROZEN] = "frozen",
	[REPLY_TOO_LARGE] = "too-large",
	[REPLY_DECISION_ACCEPTED] = "decision-accepted",
	[REPLY_DECISION_REJECTED] = "decision-rejected",
	[REPLY_QUESTION] = "question",
	[REPLY_REMINDER] = "reminder",
	[REPLY_LINK_CHECK] = "link-check",
};

bool
reply_kind_is_refusal(enum reply_kind kind)
{
	switch (kind) {
	case REPLY_CORRECTION:
	case REPLY_LATE:
	case REPLY_OVER_QUOTA:
	case REPLY_FROZEN:
	case REPLY_TOO_LARGE:
	/* an acknowledgement goes wherever a mail without files claims to
	 * come from */
	case REPLY_QUESTION:
		return true;
	case REPLY_RECEIPT:
	case REPLY_SUPERSEDED:
	case REPLY_DECISION_ACCEPTED:
	case REPLY_DECISION_REJECTED:
	/* to the addresses the roster lists, not to whoever wrote */
	case REPLY_REMINDER:
	case REPLY_LINK_CHECK:
	case REPLY_KIND_COUNT:
		break;
	}
	return false;
}

const char *
reply_kind_name(enum reply_kind kind)
{
	G_STATIC_ASSERT(G_N_ELEMENTS(reply_kind_names) == REPLY_KIND_COUNT &&
	    G_N_ELEMENTS(reply_defaults) == REPLY_KIND_COUNT);
	g_assert((size_t)kind < G_N_ELEMENTS(reply_kind_names));
	return reply_kind_names[kind];
}

static bool
reply_is_decision(enum reply_kind kind)
{
	return kind == REPLY_DECISION_ACCEPTED ||
	    kind == REPLY_DECISION_REJECTED;
}

char *
reply_format_size(uint64_t bytes)
{
	if (bytes < 1024)
		return g_strdup_printf("%llu 字节", (unsigned long long)bytes);
	if (bytes < 1024 * 1024)
		return g_strdup_printf("%.1f KB", (double)bytes / 1024);
	if (bytes < 1024ULL * 1024 * 1024)
		return g_strdup_printf("%.1f MB", (double)bytes / (1024 * 1024));
	return g_strdup_printf("%.2f GB", (double)bytes / (1024.0 * 1024 * 1024));
}

/*
 * The sender's text as a reply may show it: valid UTF-8, without the
 * controls that change how the text around them reads (bidirectional
 * overrides and isolates: U+202E then "gpj.exe" shows "exe.jpg") or what a
 * terminal does; line breaks stay, for the diagnosis.
 */
static char *
reply_plain(const char *text)
{
	g_autofree char *valid = g_utf8_make_valid(text, -1);
	GString *out = g_string_sized_new(strlen(valid));
	const char *p;

	for (p = valid; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if ((c >= 0x202A && c <= 0x202E) ||
		    (c >= 0x2066 && c <= 0x2069) || c == 0x200E ||
		    c == 0x200F || c == 0x061C ||
		    (c < 0x20 && c != '\n' && c != '\t') ||
		    (c >= 0x7F && c < 0xA0))
			continue;
		g_string_append_unichar(out, c);
	}
	return g_string_free(out, FALSE);
}

char *
reply_clip(const char *text, size_t max_chars)
{
	g_autofree char *valid = NULL;
	g_autofree char *cut = NULL;

	if (text == NULL)
		return NULL;
	valid = reply_plain(text);
	if (g_utf8_strlen(valid, -1) <= (glong)max_chars)
		return g_steal_pointer(&valid);
	cut = g_utf8_substring(valid, 0, (glong)(max_chars > 0 ?
	    max_chars - 1 : 0));
	return g_strconcat(cut, "…", NULL);
}

/* "已登记云附件《星城大爱.mp4》（1.2 GB），有效期至 …；工作人员将在有效期内
 * 下载。" lines, each after indent. */
static void
reply_links_text(GString *out, const char *indent,
    const struct reply_link *links, size_t count)
{
	size_t i;

	for (i = 0; i < count && i < REPLY_LIST_ATTACHMENTS; i++) {
		const struct reply_link *l = &links[i];
		g_autofree char *name = reply_clip(l->name, REPLY_QUOTE_CHARS);
		g_autofree char *size = l->size > 0 ?
		    cloudlink_size_text(l->size) : NULL;
		g_autofree char *code = reply_clip(l->pass_code, 16);
		GString *what = g_string_new(NULL);

		if (size != NULL)
			g_string_append(what, size);
		if (code != NULL)
			g_string_append_printf(what, "%s提取码 %s",
			    what->len > 0 ? "，" : "", code);
		if (name != NULL)
			g_string_append_printf(out, "%s已登记云附件《%s》", indent,
			    name);
		else
			g_string_append_printf(out, "%s已登记云附件（%s链接）",
			    indent, l->provider);
		if (what->len > 0)
			g_string_append_printf(out, "（%s）", what->str);
		g_string_free(what, TRUE);
		if (l->expires != NULL && strcmp(l->expires, "无限期") == 0)
			g_string_append(out, "，长期有效；工作人员将尽快下载。\n");
		else if (l->expires != NULL)
			g_string_append_printf(out, "，有效期至 %s；工作人员将在"
			    "有效期内下载。\n", l->expires);
		else
			g_string_append(out, "；工作人员将尽快下载。\n");
	}
	if (count > REPLY_LIST_ATTACHMENTS)
		g_string_append_printf(out, "%s……另有 %zu 个云附件未逐一列出\n",
		    indent, count - REPLY_LIST_ATTACHMENTS);
}

/* What the campaign takes when a mail is too large (too-large's
 * {links_route}): the cloud attachments its [links] accept. */
static char *
reply_links_route(const struct reply *r)
{
	static const int mail[] = { LINK_QQ, LINK_NETEASE, LINK_SINA };
	const struct campaign *c = r->campaign;
	GString *via = g_string_new(NULL);
	size_t i, n = 0, k = 0;
	bool zip;

	for (i = 0; c != NULL && i < G_N_ELEMENTS(mail); i++)
		n += campaign_link_accepted(c, mail[i]);
	/* "QQ邮箱、网易邮箱或新浪邮箱的“超大附件”功能" */
	for (i = 0; c != NULL && i < G_N_ELEMENTS(mail); i++) {
		if (!campaign_link_accepted(c, mail[i]))
			continue;
		g_string_append_printf(via, "%s%s", k == 0 ? "" : k + 1 == n ?
		    "或" : "、", cloudlink_provider_label(mail[i]));
		k++;
	}
	if (n > 0)
		g_string_append(via, "的“超大附件”功能");
	if (c != NULL && campaign_link_accepted(c, LINK_BAIDU))
		g_string_append_printf(via, "%s百度网盘分享链接（附提取码）",
		    n > 0 ? "，或" : "");
	/* Zipping is offered only where a work may come zipped: a campaign
	 * that takes MP4 alone would refuse the archive it advised. */
	zip = c == NULL || campaign_takes_archives(c);
	if (c == NULL || via->len == 0) {
		g_string_free(via, TRUE);
		return g_strdup(zip ? "请压缩或分卷后分多封邮件发送。" :
		    "请联系工作人员商定报送方式。");
	}
	{
		g_autofree char *text = g_string_free(via, FALSE);
		bool named = campaign_grammar(c, GRAMMAR_FILENAME) != NULL &&
		    campaign_scope(c) != CONVENTION_SUBJECT;

		return g_strdup_printf("请使用%s发送%s，本邮箱可接收并登记云附件"
		    "链接%s", text, named ?
		    "（云附件的文件名同样须符合作品文件名的格式）" : "", zip ?
		    "；也可压缩或分卷后分多封邮件发送。" : "。");
	}
}

static char *
reply_attachments_text(const struct reply *r)
{
	GString *out = g_string_new(NULL);
	size_t i, listed = MIN(r->attachment_count, REPLY_LIST_ATTACHMENTS);

	if (r->attachment_count == 0 && r->link_count > 0) {
		g_string_append_printf(out, "收到的云附件（共 %zu 个）：\n",
		    r->link_count);
		reply_links_text(out, "  ", r->links, r->link_count);
		return g_string_free(out, FALSE);
	}
	if (r->attachment_count == 0) {
		g_string_append(out, "收到的附件：无\n");
		return g_string_free(out, FALSE);
	}
	/* A mail cut off at a limit has more than were read: never state
	 * the count read as the mail's. */
	if (r->attachments_cut)
		g_string_append_printf(out, "收到的附件（超过 %zu 个，邮件超出"
		    "处理上限，以下只列出已读取的部分）：\n", r->attachment_count);
	else
		g_string_append_printf(out, "收到的附件（共 %zu 个）：\n",
		    r->attachment_count);
	for (i = 0; i < listed; i++) {
		const struct reply_attachment *a = &r->attachments[i];
		g_autofree char *name = reply_clip(a->name, REPLY_QUOTE_CHARS);
		g_autofree char *size = NULL;
		g_autofree char *label = a->label != NULL ?
		    g_strconcat(a->label, "：", NULL) : g_strdup("");

		/* Attachments of a rejected mail were never saved: their
		 * size and hash are unknown, and only the name is told. */
		if (a->sha256 == NULL) {
			g_string_append_printf(out, "  %zu. %s%s\n", i + 1, label,
			    name);
			continue;
		}
		size = reply_format_size(a->size);
		/* Staff find it under the name the folder gives it. */
		if (a->saved_as != NULL && a->name != NULL &&
		    strcmp(a->saved_as, a->name) != 0) {
			g_autofree char *as = reply_clip(a->saved_as,
			    REPLY_QUOTE_CHARS);

			g_string_append_printf(out, "  %zu. %s%s（保存为“%s”，%s，"
			    "SHA-256 %s）\n", i + 1, label, name, as, size,
			    a->sha256);
			continue;
		}
		g_string_append_printf(out, "  %zu. %s%s（%s，SHA-256 %s）\n",
		    i + 1, label, name, size, a->sha256);
	}
	if (listed < r->attachment_count)
		g_string_append_printf(out, "  ……另有 %zu 个附件未逐一列出\n",
		    r->attachment_count - listed);
	if (r->link_count > 0) {
		g_string_append_printf(out, "收到的云附件（共 %zu 个）：\n",
		    r->link_count);
		reply_links_text(out, "  ", r->links, r->link_count);
	}
	return g_string_free(out, FALSE);
}

/* "  作品文件：name（size，SHA-256 …）" lines of one filed work. */
static void
reply_work_files(GString *out, const struct reply_work *w)
{
	size_t i, listed = MIN(w->file_count, REPLY_LIST_ATTACHMENTS);

	for (i = 0; i < listed; i++) {
		const struct reply_attachment *a = &w->files[i];
		g_autofree char *name = reply_clip(a->name, REPLY_QUOTE_CHARS);
		g_autofree char *size = reply_format_size(a->size);

		g_string_append_printf(out, "     %s：%s（%s，SHA-256 %s）\n",
		    a->label ? a->label : "附件", name, size,
		    a->sha256 ? a->sha256 : "-");
	}
	if (listed < w->file_count)
		g_string_append_printf(out, "     ……另有 %zu 个附件未逐一列出\n",
		    w->file_count - listed);
	reply_links_text(out, "     ", w->links, w->link_count);
}

/* One work's heading: "3. 回执编号 X　《title》　category" or, not
 * filed, "3. 《title》　category". */
static void
reply_work_head(GString *out, size_t number, const struct reply_work *w)
{
	g_autofree char *title = reply_clip(w->title ? w->title : "作品",
	    REPLY_QUOTE_CHARS);
	g_autofree char *category = reply_clip(w->category, REPLY_QUOTE_CHARS);

	g_string_append_printf(out, "  %zu. ", number);
	if (w->receipt != NULL)
		g_string_append_printf(out, "回执编号 %s　", w->receipt);
	g_string_append_printf(out, "《%s》%s%s\n", title,
	    category ? "　" : "", category ? category : "");
}

/* text after a label, its further lines indented under the first. */
static void
reply_indented(GString *out, const char *label, const char *text)
{
	g_auto(GStrv) lines = g_strsplit(text ? text : "", "\n", -1);
	size_t i;

	for (i = 0; lines[i] != NULL; i++)
		g_string_append_printf(out, "     %s%s\n", i == 0 ? label :
		    "　　　", lines[i]);
}

/* The sections of {works}, in the order a receipt lists them. */
enum reply_section {
	REPLY_SECTION_FILED,		/* 已登记 */
	REPLY_SECTION_PENDING,		/* 已登记，待核实 */
	REPLY_SECTION_REFUSED,		/* 未登记 */
};

static enum reply_section
reply_work_section(const struct reply_work *w)
{
	if (w->receipt == NULL)
		return REPLY_SECTION_REFUSED;
	return w->pending != NULL ? REPLY_SECTION_PENDING :
	    REPLY_SECTION_FILED;
}

/* Why the works of the pending section wait, each reason once (a mail's
 * works share one, unless they name different units). */
static void
reply_pending_why(GString *out, const struct reply *r)
{
	GPtrArray *said = g_ptr_array_new();
	size_t i;

	for (i = 0; i < r->work_count; i++) {
		const char *why = r->works[i].pending;
		g_autofree char *text = NULL;

		if (reply_work_section(&r->works[i]) != REPLY_SECTION_PENDING ||
		    g_ptr_array_find_with_equal_func(said, why, g_str_equal,
		    NULL))
			continue;
		g_ptr_array_add(said, (gpointer)why);
		text = reply_clip(why, REPLY_DIAGNOSTICS_CHARS);
		g_string_append_printf(out, "  说明：%s\n", text);
	}
	g_ptr_array_free(said, TRUE);
}

/* The works of one section, numbered on from *number. */
static void
reply_works_section(GString *out, const struct reply *r,
    enum reply_section section, size_t *number, size_t *listed)
{
	size_t i;

	for (i = 0; i < r->work_count; i++) {
		const struct reply_work *w = &r->works[i];
		g_autofree char *text = NULL;

		if (reply_work_section(w) != section)
			continue;
		++*number;
		if (++*listed > REPLY_LIST_WORKS)
			continue;
		reply_work_head(out, *number, w);
		if (section == REPLY_SECTION_REFUSED) {
			text = reply_clip(w->reason, REPLY_DIAGNOSTICS_CHARS);
			reply_indented(out, "原因：", text);
			continue;
		}
		if (w->superseded != NULL)
			g_string_append_printf(out, "     替换：此前的投稿 %s 不再参评\n",
			    w->superseded);
		reply_work_files(out, w);
		if (w->warnings != NULL) {
			text = reply_clip(w->warnings, REPLY_DIAGNOSTICS_CHARS);
			reply_indented(out, "提示：", text);
		}
	}
}

/* {works} of a decision on several cases: each receipt and title. */
static char *
reply_decided_works_text(GString *out, const struct reply *r)
{
	size_t i;

	g_string_append_printf(out, "作品（共 %zu 件）：\n", r->work_count);
	for (i = 0; i < r->work_count && i < REPLY_LIST_WORKS; i++)
		reply_work_head(out, i + 1, &r->works[i]);
	if (r->work_count > REPLY_LIST_WORKS)
		g_string_append_printf(out, "  ……另有 %zu 件作品未逐一列出\n",
		    r->work_count - REPLY_LIST_WORKS);
	return g_string_free(out, FALSE);
}

/* {works}: "一、已登记", then "已登记，待核实" with why said once, then
 * "未登记", the sections that have works numbered in turn; empty for one
 * work. */
static char *
reply_works_text(const struct reply *r)
{
	static const char *const numerals[] = { "一", "二", "三" };
	static const char *const headings[] = {
		[REPLY_SECTION_FILED] = "已登记",
		[REPLY_SECTION_PENDING] = "已登记，待核实",
		[REPLY_SECTION_REFUSED] = "未登记",
	};
	GString *out = g_string_new(NULL);
	size_t i, count[3] = { 0 }, number = 0, listed = 0, shown = 0;

	if (r->work_count <= 1)
		return g_string_free(out, FALSE);
	if (reply_is_decision(r->kind))
		return reply_decided_works_text(out, r);
	for (i = 0; i < r->work_count; i++)
		count[reply_work_section(&r->works[i])]++;
	for (i = 0; i < G_N_ELEMENTS(headings); i++) {
		/* 已登记 is said even when none is, unless some wait for
		 * 待核实: the clerk looks for what was registered */
		if (count[i] == 0 && (i != REPLY_SECTION_FILED ||
		    count[REPLY_SECTION_PENDING] > 0))
			continue;
		g_string_append_printf(out, "%s%s、%s（共 %zu 件）\n",
		    shown > 0 ? "\n" : "", numerals[shown], headings[i],
		    count[i]);
		shown++;
		if (i == REPLY_SECTION_PENDING)
			reply_pending_why(out, r);
		reply_works_section(out, r, (enum reply_section)i, &number,
		    &listed);
	}
	if (listed > REPLY_LIST_WORKS)
		g_string_append_printf(out, "  ……另有 %zu 件作品未逐一列出\n",
		    listed - REPLY_LIST_WORKS);
	return g_string_free(out, FALSE);
}

/* The placeholders' values for one reply. */
struct reply_values {
	const struct reply *r;
	char *ref;
	char *fields;
	char *changes;
	char *attachments;
	char *attachment_count;
	char *deadline;		/* from the campaign, when not given */
	const char *format;
	char *example;
	/* The sender's own text, clipped (REPLY_QUOTE_CHARS and the
	 * others); field_values[i] is r->fields[i].value. */
	char *subject;
	char *name;
	char *title;
	char *diagnostics;
	char *warnings;
	char **field_values;
	char *works;
	char *work_count;
	char *works_counted;	/* "2 件作品", "2 份报名" */
	char *next_steps;	/* the campaign's, for the works' categories */
	char *links_route;
	char *question;
};

/* The deadline, format and example a reply tells, from its campaign. */
static void
reply_values_campaign(struct reply_values *v, const struct reply *r)
{
	const struct campaign *c = r->campaign;
	const struct grammar *g;

	if (c == NULL)
		return;
	if (r->deadline == NULL && campaign_closes(c) != NULL)
		v->deadline = timetext_deadline(campaign_closes(c),
		    campaign_timezone(c));
	g = campaign_grammar(c, campaign_scope(c) == CONVENTION_FILENAME ?
	    GRAMMAR_FILENAME : GRAMMAR_SUBJECT);
	if (g == NULL)
		g = campaign_grammar(c, GRAMMAR_FILENAME);
	if (g == NULL)
		return;
	if (r->format == NULL)
		v->format = grammar_format(g);
	if (r->example == NULL)
		v->example = grammar_example(g, 0);
}

/* "初心如磐 等3件": the subject names the first receipt and how many were
 * filed with it, and whether they wait for 待核实, so that no subject
 * calls a pending work registered without saying so. */
static void
reply_values_works_title(struct reply_values *v, const struct reply *r)
{
	size_t i, filed = 0, pending = 0;
	char *t;

	for (i = 0; i < r->work_count; i++) {
		filed += r->works[i].receipt != NULL;
		pending += r->works[i].receipt != NULL &&
		    r->works[i].pending != NULL;
	}
	/* One work filed beside refused ones: the subject names it alone,
	 * and still says it waits. */
	if (filed == 1 && pending == 1) {
		t = g_strdup_printf("%s（待核实）", v->title ? v->title : "");
		g_free(v->title);
		v->title = t;
		return;
	}
	if (filed <= 1)
		return;
	if (pending == filed)
		t = g_strdup_printf("%s 等%zu件（待核实）", v->title ? v->title :
		    "", filed);
	else if (pending > 0)
		t = g_strdup_printf("%s 等%zu件（其中%zu件待核实）", v->title ?
		    v->title : "", filed, pending);
	else
		t = g_strdup_printf("%s 等%zu件", v->title ? v->title : "",
		    filed);
	g_free(v->title);
	v->title = t;
}

/* "  name：value" lines. */
static char *
reply_fields_text(const struct reply_field *fields, size_t count)
{
	GString *out = g_string_new(NULL);
	size_t i;

	for (i = 0; i < count; i++) {
		g_autofree char *value = reply_clip(fields[i].value,
		    REPLY_QUOTE_CHARS);

		g_string_append_printf(out, "  %s：%s\n", fields[i].name,
		    value);
	}
	return g_string_free(out, FALSE);
}

char *
reply_query_code(const char *sha256)
{
	return g_ascii_strup(sha256, MIN(strlen(sha256), REPLY_REF_CHARS));
}

bool
reply_is_query_code(const char *text)
{
	size_t i;

	for (i = 0; i < REPLY_REF_CHARS; i++)
		if (!g_ascii_isxdigit(text[i]))
			return false;
	return text[i] == '\0';
}

/* The campaign's next steps for what the reply is about: the categories
 * of the works filed (a mail of several), else of its fields. */
static char *
reply_next_steps(const struct reply *r)
{
	const struct campaign *c = r->campaign;
	const char *cf = c != NULL ? campaign_category_field(c) : NULL;
	g_autofree const char **cats = NULL;
	size_t i, n = 0;

	if (c == NULL)
		return NULL;
	cats = g_new0(const char *, r->work_count + r->field_count + 1);
	for (i = 0; i < r->work_count; i++)
		if (r->works[i].receipt != NULL && r->works[i].category != NULL)
			cats[n++] = r->works[i].category;
	for (i = 0; n == 0 && cf != NULL && i < r->field_count; i++)
		if (strcmp(r->fields[i].name, cf) == 0 &&
		    r->fields[i].value != NULL)
			cats[n++] = r->fields[i].value;
	return campaign_next_steps(c, cats);
}

static void
reply_values_init(struct reply_values *v, const struct reply *r)
{
	size_t i;

	v->r = r;
	v->ref = r->receipt != NULL && (r->kind == REPLY_RECEIPT ||
	    r->kind == REPLY_SUPERSEDED || reply_is_decision(r->kind)) ?
	    g_strdup(r->receipt) :
	    reply_query_code(r->token);
	v->fields = reply_fields_text(r->fields, r->field_count);
	v->changes = reply_fields_text(r->changes, r->change_count);
	v->attachments = reply_attachments_text(r);
	v->attachment_count = g_strdup_printf("%zu", r->attachment_count);
	/* A correction answered with 回复 echoes what the clerk wrote,
	 * not our earlier tags around it. */
	if (r->orig_subject != NULL) {
		g_autofree char *own = reply_submitted_subject(r->campaign,
		    r->orig_subject);

		v->subject = reply_clip(own, REPLY_QUOTE_CHARS);
	}
	v->name = reply_clip(r->to_name, REPLY_NAME_CHARS);
	v->title = reply_clip(r->title, REPLY_QUOTE_CHARS);
	v->works = reply_works_text(r);
	v->work_count = g_strdup_printf("%zu", r->work_count);
	v->works_counted = g_strdup_printf(r->campaign != NULL &&
	    campaign_is_nomination(r->campaign) ? "%zu 份报名" : "%zu 件作品",
	    r->work_count);
	v->links_route = reply_links_route(r);
	if (r->work_count > 1)
		reply_values_works_title(v, r);
	v->diagnostics = reply_clip(r->diagnostics, REPLY_DIAGNOSTICS_CHARS);
	v->warnings = reply_clip(r->warnings, REPLY_DIAGNOSTICS_CHARS);
	v->question = reply_clip(r->question, REPLY_QUESTION_CHARS);
	v->field_values = g_new0(char *, r->field_count + 1);
	for (i = 0; i < r->field_count; i++)
		v->field_values[i] = reply_clip(r->fields[i].value,
		    REPLY_QUOTE_CHARS);
	reply_values_campaign(v, r);
	v->next_steps = reply_next_steps(r);
}

static void
reply_values_clear(struct reply_values *v)
{
	g_free(v->ref);
	g_free(v->fields);
	g_free(v->changes);
	g_free(v->attachments);
	g_free(v->attachment_count);
	g_free(v->deadline);
	g_free(v->subject);
	g_free(v->name);
	g_free(v->title);
	g_free(v->diagnostics);
	g_free(v->warnings);
	g_strfreev(v->field_values);
	g_free(v->example);
	g_free(v->works);
	g_free(v->work_count);
	g_free(v->works_counted);
	g_free(v->next_steps);
	g_free(v->links_route);
	g_free(v->question);
}

static const char *
reply_lookup(const char *name, void *ctx)
{
	const struct reply_values *v = ctx;
	const struct reply *r = v->r;
	size_t i;

	if (g_str_has_prefix(name, "field.")) {
		for (i = 0; i < r->field_count; i++)
			if (strcmp(r->fields[i].name, name + 6) == 0)
				return v->field_values[i];
		return "";
	}
#define REPLY_VALUE(key, expr) \
	if (strcmp(name, key) == 0) \
		return (expr) != NULL ? (expr) : ""
	REPLY_VALUE("receipt", r->receipt);
	REPLY_VALUE("ref", v->ref);
	REPLY_VALUE("campaign", r->campaign_name);
	REPLY_VALUE("title", v->title);
	if (strcmp(name, "subject") == 0)
		return v->subject && *v->subject ? v->subject : "（无主题）";
	REPLY_VALUE("name", v->name);
	REPLY_VALUE("sender", r->to);
	REPLY_VALUE("arrival", r->arrival);
	REPLY_VALUE("deadline", r->deadline ? r->deadline : v->deadline);
	REPLY_VALUE("contact", r->contact);
	REPLY_VALUE("contacts", r->campaign != NULL ?
	    campaign_contacts(r->campaign) : NULL);
	REPLY_VALUE("signature", r->campaign != NULL ?
	    campaign_signature(r->campaign) : NULL);
	REPLY_VALUE("fields", v->fields);
	REPLY_VALUE("attachments", v->attachments);
	REPLY_VALUE("attachment_count", v->attachment_count);
	REPLY_VALUE("diagnostics", v->diagnostics);
	REPLY_VALUE("format", r->format ? r->format : v->format);
	REPLY_VALUE("example", r->example ? r->example : v->example);
	REPLY_VALUE("notice", r->notice);
	REPLY_VALUE("superseded", r->superseded);
	REPLY_VALUE("kind", reply_kind_name(r->kind));
	REPLY_VALUE("reason", r->reason);
	REPLY_VALUE("changes", v->changes);
	REPLY_VALUE("warnings", v->warnings);
	REPLY_VALUE("works", v->works);
	REPLY_VALUE("work_count", v->work_count);
	REPLY_VALUE("works_counted", v->works_counted);
	REPLY_VALUE("next_steps", v->next_steps);
	REPLY_VALUE("results", r->campaign != NULL ?
	    campaign_results(r->campaign) : NULL);
	REPLY_VALUE("submission", r->campaign != NULL ?
	    campaign_submission_word(r->campaign) : "投稿");
	REPLY_VALUE("title_label", r->campaign != NULL &&
	    campaign_title_field(r->campaign) != NULL ?
	    campaign_title_field(r->campaign) : "作品名称");
	REPLY_VALUE("links_route", v->links_route);
	REPLY_VALUE("question", v->question);
	REPLY_VALUE("unit", r->unit);
	REPLY_VALUE("counts", r->counts);
	REPLY_VALUE("missing", r->missing);
	REPLY_VALUE("how", r->how);
	if (strcmp(name, "forwarded") == 0)
		return r->forwarded ? "转交工作人员" : "留存，由工作人员处理";
	/* One work filed pending: the subject must not read as plainly
	 * registered (several works say it in {title}). */
	if (strcmp(name, "pending") == 0)
		return r->pending && r->work_count <= 1 ? "待核实" : "";
	if (strcmp(name, "decision") == 0)
		return r->kind == REPLY_DECISION_ACCEPTED ? "通过，已受理" :
		    r->kind == REPLY_DECISION_REJECTED ? "未通过，已退回" : "";
#undef REPLY_VALUE
	return NULL;
}

static const char *
reply_template(const struct reply *r, const char *part)
{
	const char *t = r->campaign != NULL ? campaign_reply_template(
	    r->campaign, reply_kind_name(r->kind), part) : NULL;

	if (t != NULL || strcmp(part, "html") == 0)
		return t;
	if (strcmp(part, "body") == 0 && r->work_count > 1 &&
	    (r->kind == REPLY_RECEIPT || r->kind == REPLY_SUPERSEDED))
		return REPLY_WORKS_BODY;
	if (strcmp(part, "body") == 0 && r->work_count > 1 &&
	    reply_is_decision(r->kind))
		return REPLY_DECISION_WORKS_BODY;
	if (strcmp(part, "body") == 0 && r->kind == REPLY_DECISION_REJECTED &&
	    (r->sender_refused || (r->campaign != NULL &&
	    campaign_resubmission(r->campaign) ==
	    CAMPAIGN_RESUBMISSION_FREEZE)))
		return REPLY_DECISION_REJECTED_FINAL_BODY;
	return strcmp(part, "subject") == 0 ? reply_defaults[r->kind].subject :
	    reply_defaults[r->kind].body;
}

const char **
reply_subject_templates(const struct campaign *c)
{
	const char **t = g_new0(const char *, REPLY_KIND_COUNT + 1);
	size_t i, n = 0;

	for (i = 0; i < REPLY_KIND_COUNT; i++) {
		const char *own = c != NULL ? campaign_reply_template(c,
		    reply_kind_name(i), "subject") : NULL;

		t[n++] = own != NULL ? own : reply_defaults[i].subject;
	}
	return t;
}

char *
reply_submitted_subject(const struct campaign *c, const char *subject)
{
	g_autofree const char **t = reply_subject_templates(c);

	return replytag_strip(subject, t);
}

/*
 * Template part of r rendered.  A campaign whose name carries its own
 * quotation marks (“学习强国”学习之星…) is not quoted again: “{campaign}”
 * would read ““学习强国”学习之星…”, with one mark left unmatched.
 */
static char *
reply_part_render(const struct reply *r, struct reply_values *v,
    const char *part, bool html)
{
	const char *t = reply_template(r, part);
	const char *name = r->campaign_name;
	g_autofree char *plain = NULL;

	if (t != NULL && name != NULL && (strstr(name, "“") != NULL ||
	    strstr(name, "”") != NULL || strstr(name, "《") != NULL) &&
	    strstr(t, "“{campaign}”") != NULL) {
		g_auto(GStrv) pieces = g_strsplit(t, "“{campaign}”", -1);

		plain = g_strjoinv("{campaign}", pieces);
		t = plain;
	}
	return template_render(t, reply_lookup, v, html);
}

/* One line, without the stray spaces an empty placeholder leaves. */
static char *
reply_subject(const struct reply *r, struct reply_values *v)
{
	char *s = reply_part_render(r, v, "subject", false);

	g_strdelimit(s, "\r\n\t", ' ');
	return g_strstrip(s);
}

static GMimeObject *
reply_text_part(const char *subtype, const char *text)
{
	GMimeTextPart *part = g_mime_text_part_new_with_subtype(subtype);

	g_mime_text_part_set_text(part, text);
	g_mime_text_part_set_charset(part, "utf-8");
	/* Base64 keeps long Chinese lines intact through every relay. */
	g_mime_part_set_content_encoding(GMIME_PART(part),
	    GMIME_CONTENT_ENCODING_BASE64);
	return GMIME_OBJECT(part);
}

/* text/plain, or multipart/alternative with the HTML version. */
static GMimeObject *
reply_body(const struct reply *r, struct reply_values *v)
{
	g_autofree char *text = reply_part_render(r, v, "body", false);
	const char *html_tmpl = reply_template(r, "html");
	g_autofree char *html = NULL;
	GMimeMultipart *alt;
	GMimeObject *part;

	if (html_tmpl == NULL)
		return reply_text_part("plain", text);
	html = reply_part_render(r, v, "html", true);
	alt = g_mime_multipart_new_with_subtype("alternative");
	part = reply_text_part("plain", text);
	g_mime_multipart_add(alt, part);
	g_object_unref(part);
	part = reply_text_part("html", html);
	g_mime_multipart_add(alt, part);
	g_object_unref(part);
	return GMIME_OBJECT(alt);
}

void
reply_render(const struct reply *r, char **subject_r, char **text_r)
{
	struct reply_values values = { 0 };

	reply_values_init(&values, r);
	*subject_r = reply_subject(r, &values);
	*text_r = reply_part_render(r, &values, "body", false);
	reply_values_clear(&values);
}

int
reply_random_hex(char *out, size_t size, char **error_r)
{
	unsigned char bytes[REPLY_ID_RANDOM_BYTES];
	size_t i;
	int r;

	g_assert(size == 2 * sizeof(bytes) + 1);
	if ((r = gnutls_rnd(GNUTLS_RND_NONCE, bytes, sizeof(bytes))) < 0) {
		*error_r = g_strdup_printf("reply: no random bytes: %s",
		    gnutls_strerror(r));
		return -1;
	}
	for (i = 0; i < sizeof(bytes); i++)
		g_snprintf(out + 2 * i, 3, "%02x", bytes[i]);
	return 0;
}

/*
 * The References we carry on: the thread's first message and its last
 * few, as RFC 5322 3.6.4 allows a long thread to be shortened.  The
 * header is the sender's to write, up to the parser's header limit, and
 * must not make our reply large; an identifier longer than a mail line
 * is not one.
 */
static char *
reply_references_trim(const char *refs)
{
	g_auto(GStrv) ids = NULL;
	GString *out = g_string_new(NULL);
	guint n, i, first_tail;

	if (refs == NULL)
		return g_string_free(out, FALSE);
	ids = g_strsplit_set(refs, " \t\r\n", -1);
	for (n = 0, i = 0; ids[i] != NULL; i++)
		if (*ids[i] != '\0' && strlen(ids[i]) <= REPLY_ID_MAX_BYTES)
			ids[n++] = ids[i];
		else
			g_free(ids[i]);
	ids[n] = NULL;
	first_tail = n > REPLY_REFERENCES_KEPT ?
	    n - (REPLY_REFERENCES_KEPT - 1) : 1;
	for (i = 0; i < n; i++) {
		if (i > 0 && i < first_tail)
			continue;
		if (out->len > 0)
			g_string_append_c(out, ' ');
		g_string_append(out, ids[i]);
	}
	return g_string_free(out, FALSE);
}

int
reply_compose(const struct reply *r, char **data_r, size_t *len_r,
    char **message_id_r, char **error_r)
{
	GMimeMessage *msg;
	GMimeObject *body;
	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	g_autofree char *subject = NULL;
	g_autofree char *to_name = NULL;
	struct reply_values values = { 0 };
	const char *domain = strchr(r->from, '@');
	GMimeFormatOptions *fo;
	char random_hex[2 * REPLY_ID_RANDOM_BYTES + 1];
	char *id, *data;

	if (domain == NULL) {
		*error_r = g_strdup_printf("reply: bad sender address %s", r->from);
		return -1;
	}
	reply_values_init(&values, r);
	subject = reply_subject(r, &values);
	body = reply_body(r, &values);
	to_name = g_steal_pointer(&values.name);
	reply_values_clear(&values);
	if (reply_random_hex(random_hex, sizeof(random_hex), error_r) < 0) {
		g_object_unref(body);
		return -1;
	}
	id = g_strdup_printf("%s.%.*s.%s@%s", reply_kind_name(r->kind),
	    REPLY_ID_TOKEN_CHARS, r->token, random_hex, domain + 1);
	/* GMime 3.2 has no g_autoptr support: unreffed below.  GMime
	 * encodes the subject and display names (RFC 2047) as needed. */
	msg = g_mime_message_new(TRUE);
	g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_FROM,
	    r->from_name ? r->from_name : "", r->from);
	g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_TO,
	    to_name ? to_name : "", r->to);
	g_mime_message_set_subject(msg, subject, "utf-8");
	g_mime_message_set_date(msg, now);
	g_mime_message_set_message_id(msg, id);
	if (r->orig_message_id != NULL && *r->orig_message_id != '\0' &&
	    strlen(r->orig_message_id) <= REPLY_ID_MAX_BYTES) {
		g_autofree char *irt = g_strdup_printf("<%s>", r->orig_message_id);
		g_autofree char *kept = reply_references_trim(
		    r->orig_references);
		g_autofree char *refs = *kept != '\0' ?
		    g_strdup_printf("%s %s", kept, irt) : g_strdup(irt);

		g_mime_object_set_header(GMIME_OBJECT(msg), "In-Reply-To", irt,
		    NULL);
		g_mime_object_set_header(GMIME_OBJECT(msg), "References", refs,
		    NULL);
	}
	/* RFC 3834, and Exchange's own way of saying the same.  A
	 * reminder answers nothing: it is generated. */
	g_mime_object_set_header(GMIME_OBJECT(msg), "Auto-Submitted",
	    r->kind == REPLY_REMINDER ? "auto-generated" : "auto-replied",
	    NULL);
	g_mime_object_set_header(GMIME_OBJECT(msg), "X-Auto-Response-Suppress",
	    "All", NULL);
	if (r->contact != NULL && strchr(r->contact, '@') != NULL)
		g_mime_object_set_header(GMIME_OBJECT(msg), "Reply-To",
		    r->contact, NULL);
	g_mime_message_set_mime_part(msg, body);
	g_object_unref(body);

	/* CRLF on the wire, as SMTP wants. */
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
