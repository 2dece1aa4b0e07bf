/* reply: see include/reply.h. */
#include <string.h>

#include <glib.h>
#include <gmime/gmime.h>

#include "reply.h"

/* Per kind: its name in the outbox and the subject tag people see. */
static const struct {
	const char *name;
	const char *tag;
} reply_kinds[] = {
	[REPLY_RECEIPT] = { "receipt", "【已收到】" },
	[REPLY_SUPERSEDED] = { "superseded-notice", "【已收到·替换】" },
	[REPLY_CORRECTION] = { "correction", "【请更正】" },
	[REPLY_LATE] = { "late", "【未受理·不在征集时间内】" },
	[REPLY_OVER_QUOTA] = { "over-quota", "【未受理·超出名额】" },
	[REPLY_FROZEN] = { "frozen", "【未受理·不接受更改】" },
	[REPLY_TOO_LARGE] = { "too-large", "【未受理·邮件过大】" },
};

const char *
reply_kind_name(enum reply_kind kind)
{
	g_assert((size_t)kind < G_N_ELEMENTS(reply_kinds));
	return reply_kinds[kind].name;
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

static void
reply_append_attachments(GString *body, const struct reply *r)
{
	size_t i;

	if (r->attachment_count == 0) {
		g_string_append(body, "收到的附件：无\n");
		return;
	}
	g_string_append_printf(body, "收到的附件（共 %zu 个）：\n",
	    r->attachment_count);
	for (i = 0; i < r->attachment_count; i++) {
		const struct reply_attachment *a = &r->attachments[i];
		g_autofree char *size = NULL;

		/* Attachments of a rejected mail were never saved: their
		 * size and hash are unknown, and only the name is told. */
		if (a->sha256 == NULL) {
			g_string_append_printf(body, "  %zu. %s\n", i + 1,
			    a->name);
			continue;
		}
		size = reply_format_size(a->size);
		g_string_append_printf(body, "  %zu. %s（%s，SHA-256 %s）\n",
		    i + 1, a->name, size, a->sha256);
	}
}

static void
reply_append_footer(GString *body, const struct reply *r)
{
	g_string_append(body, "\n本邮件由 subgate 征集系统自动发送。");
	if (r->contact != NULL && *r->contact != '\0')
		g_string_append_printf(body, "如有疑问，请联系：%s。",
		    r->contact);
	g_string_append_c(body, '\n');
}

static void
reply_append_receipt(GString *body, const struct reply *r)
{
	size_t i;

	g_string_append_printf(body,
	    "您向“%s”的投稿已收到并登记。\n\n"
	    "回执编号：%s\n"
	    "收到时间：%s\n"
	    "邮件主题：%s\n",
	    r->campaign_name, r->receipt, r->arrival, r->orig_subject);
	if (r->kind == REPLY_SUPERSEDED && r->superseded != NULL)
		g_string_append_printf(body,
		    "替换：本投稿替换您此前的投稿 %s，原投稿不再参评。\n",
		    r->superseded);
	g_string_append_c(body, '\n');
	if (r->field_count > 0) {
		g_string_append(body, "登记信息：\n");
		for (i = 0; i < r->field_count; i++)
			g_string_append_printf(body, "  %s：%s\n",
			    r->fields[i].name, r->fields[i].value);
		g_string_append_c(body, '\n');
	}
	reply_append_attachments(body, r);
	g_string_append(body, "\n请保存本回执编号，查询或更正时请提供。\n");
}

static void
reply_append_refusal(GString *body, const struct reply *r)
{
	g_string_append_printf(body,
	    "我们收到了您发往“%s”的邮件，但未能登记为投稿。\n\n"
	    "收到时间：%s\n"
	    "邮件主题：%s\n",
	    r->campaign_name, r->arrival,
	    *r->orig_subject ? r->orig_subject : "（无主题）");
	reply_append_attachments(body, r);
	if (r->kind == REPLY_CORRECTION) {
		g_string_append_printf(body, "\n问题：\n%s\n",
		    r->diagnostics ? r->diagnostics : "");
		g_string_append(body,
		    "\n请按上述要求修改后，重新发送邮件并附上全部材料。\n");
		return;
	}
	g_string_append_printf(body, "\n原因：%s\n",
	    r->notice ? r->notice : "");
	if (r->kind == REPLY_TOO_LARGE)
		g_string_append(body,
		    "\n请压缩或分卷后分多封邮件发送，或使用网盘发送下载链接。"
		    "原邮件仍保留在征集邮箱中。\n");
}

static char *
reply_body(const struct reply *r)
{
	GString *body = g_string_new(NULL);
	const char *name = r->to_name && *r->to_name ? r->to_name : NULL;

	g_string_append_printf(body, "%s您好：\n\n", name ? name : "");
	if (r->kind == REPLY_RECEIPT || r->kind == REPLY_SUPERSEDED)
		reply_append_receipt(body, r);
	else
		reply_append_refusal(body, r);
	reply_append_footer(body, r);
	return g_string_free(body, FALSE);
}

static char *
reply_subject(const struct reply *r)
{
	const char *tag = reply_kinds[r->kind].tag;

	/* Unique per case: 163's filter refuses bursts of identical
	 * subjects (554 DT:SPM). */
	if (r->kind == REPLY_RECEIPT || r->kind == REPLY_SUPERSEDED)
		return g_strdup_printf("%s%s %s", tag, r->receipt,
		    r->title ? r->title : "");
	return g_strdup_printf("%s%s", tag,
	    *r->orig_subject ? r->orig_subject : "（无主题）");
}

int
reply_compose(const struct reply *r, char **data_r, size_t *len_r,
    char **message_id_r, char **error_r)
{
	GMimeMessage *msg;
	GMimeTextPart *text;
	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	g_autofree char *subject = reply_subject(r);
	g_autofree char *body = reply_body(r);
	const char *domain = strchr(r->from, '@');
	GMimeFormatOptions *fo;
	char *id, *data;

	if (domain == NULL) {
		*error_r = g_strdup_printf("reply: bad sender address %s", r->from);
		return -1;
	}
	id = g_strdup_printf("%s.%s@%s", reply_kind_name(r->kind), r->token,
	    domain + 1);
	/* GMime 3.2 has no g_autoptr support: unreffed below. */
	msg = g_mime_message_new(TRUE);
	text = g_mime_text_part_new_with_subtype("plain");
	g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_FROM,
	    r->from_name ? r->from_name : "", r->from);
	g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_TO,
	    r->to_name ? r->to_name : "", r->to);
	g_mime_message_set_subject(msg, subject, "utf-8");
	g_mime_message_set_date(msg, now);
	g_mime_message_set_message_id(msg, id);
	if (r->orig_message_id != NULL && *r->orig_message_id != '\0') {
		g_autofree char *irt = g_strdup_printf("<%s>", r->orig_message_id);
		g_autofree char *refs = r->orig_references && *r->orig_references
		    ? g_strdup_printf("%s %s", r->orig_references, irt)
		    : g_strdup(irt);

		g_mime_object_set_header(GMIME_OBJECT(msg), "In-Reply-To", irt,
		    NULL);
		g_mime_object_set_header(GMIME_OBJECT(msg), "References", refs,
		    NULL);
	}
	g_mime_object_set_header(GMIME_OBJECT(msg), "Auto-Submitted",
	    "auto-replied", NULL);
	g_mime_object_set_header(GMIME_OBJECT(msg), "X-Auto-Response-Suppress",
	    "All", NULL);
	if (r->contact != NULL && strchr(r->contact, '@') != NULL)
		g_mime_object_set_header(GMIME_OBJECT(msg), "Reply-To",
		    r->contact, NULL);
	g_mime_text_part_set_text(text, body);
	g_mime_text_part_set_charset(text, "utf-8");
	g_mime_part_set_content_encoding(GMIME_PART(text),
	    GMIME_CONTENT_ENCODING_BASE64);
	g_mime_message_set_mime_part(msg, GMIME_OBJECT(text));
	g_object_unref(text);

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
