/* question: see include/question.h. */
#include <string.h>

#include <glib.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gmime/gmime.h>

#include "question.h"
#include "reply.h"

char *
question_answers_label(const char *answers)
{
	if (answers == NULL || *answers == '\0')
		return g_strdup("");
	/* Receipts are CAMPAIGN-00012; a 查询码 is hex without a dash. */
	return g_strdup_printf("%s %s", strchr(answers, '-') != NULL ?
	    "回执" : "查询码", answers);
}

static char *
question_forward_text(const struct question_forward *f, const char *label)
{
	g_autofree char *text = reply_clip(f->text, QUESTION_TEXT_CHARS);
	g_autofree char *subject = reply_clip(f->subject, REPLY_QUOTE_CHARS);
	g_autofree char *name = reply_clip(f->asker_name, REPLY_NAME_CHARS);
	GString *out = g_string_new(NULL);

	g_string_append_printf(out, "“%s”收到一封咨询邮件（不是投稿），"
	    "由征集邮箱转交工作人员。\n\n", f->campaign_name);
	g_string_append_printf(out, "提问人：%s%s<%s>\n", name ? name : "",
	    name && *name ? " " : "", f->asker);
	g_string_append_printf(out, "收到时间：%s\n", f->arrival);
	g_string_append_printf(out, "邮件主题：%s\n", subject && *subject ?
	    subject : "（无主题）");
	if (*label != '\0')
		g_string_append_printf(out, "所答复的邮件：%s\n", label);
	g_string_append_printf(out, "\n咨询内容：\n%s\n", text && *text ?
	    text : "（邮件正文为空）");
	g_string_append(out, "\n直接回复本邮件即可答复提问人（回复地址为提问人的"
	    "邮箱）。答复后可用 subgate questions done 标记为已处理。\n"
	    "（本邮件为征集邮箱自动转发。）\n");
	return g_string_free(out, FALSE);
}

int
question_forward_compose(const struct question_forward *f,
    char **data_r, size_t *len_r, char **message_id_r, char **error_r)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	g_autofree char *label = question_answers_label(f->answers);
	g_autofree char *subject_text = reply_clip(f->subject,
	    REPLY_QUOTE_CHARS);
	g_autofree char *subject = NULL, *body = NULL, *asker_name = NULL;
	const char *domain = strchr(f->from, '@');
	char random_hex[2 * REPLY_ID_RANDOM_BYTES + 1];
	GMimeFormatOptions *fo;
	GMimeMessage *msg;
	GMimeTextPart *part;
	char *id, *data;

	if (domain == NULL) {
		*error_r = g_strdup_printf("question: bad sender address %s",
		    f->from);
		return -1;
	}
	if (reply_random_hex(random_hex, sizeof(random_hex), error_r) < 0)
		return -1;
	subject = g_strdup_printf("【咨询】%s%s%s%s", subject_text &&
	    *subject_text ? subject_text : "（无主题）", *label ? "（" : "",
	    label, *label ? "）" : "");
	g_strdelimit(subject, "\r\n\t", ' ');
	body = question_forward_text(f, label);
	asker_name = reply_clip(f->asker_name, REPLY_NAME_CHARS);
	id = g_strdup_printf("%s.%.24s.%s@%s", QUESTION_FORWARD_KIND, f->token,
	    random_hex, domain + 1);
	msg = g_mime_message_new(TRUE);
	g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_FROM,
	    f->from_name ? f->from_name : "", f->from);
	g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_TO, "", f->staff);
	/* Staff answer the asker, not the gateway. */
	g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_REPLY_TO,
	    asker_name ? asker_name : "", f->asker);
	g_mime_message_set_subject(msg, subject, "utf-8");
	g_mime_message_set_date(msg, now);
	g_mime_message_set_message_id(msg, id);
	g_mime_object_set_header(GMIME_OBJECT(msg), "Auto-Submitted",
	    "auto-generated", NULL);
	g_mime_object_set_header(GMIME_OBJECT(msg), "X-Auto-Response-Suppress",
	    "All", NULL);
	if (f->orig_message_id != NULL && *f->orig_message_id != '\0' &&
	    strlen(f->orig_message_id) <= 250) {
		g_autofree char *ref = g_strdup_printf("<%s>",
		    f->orig_message_id);

		g_mime_object_set_header(GMIME_OBJECT(msg), "References", ref,
		    NULL);
	}
	part = g_mime_text_part_new_with_subtype("plain");
	g_mime_text_part_set_text(part, body);
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
