/* mail_record: see include/mail_record.h. */
#include <string.h>

#include <glib.h>

#include "db.h"
#include "ingest.h"
#include "mail_record.h"
#include "message.h"
#include "reasoncode.h"
#include "reply.h"
#include "replygist.h"
#include "store.h"

const char *
mail_outcome_label(const char *outcome)
{
	static const struct {
		const char *outcome, *label;
	} labels[] = {
		{ "accepted", "已受理" },
		{ "rejected", "需更正" },
		{ "ignored", "自动邮件" },
		{ "duplicate", "重复投递" },
		{ "late", "逾期" },
		{ "too-large", "邮件过大" },
		{ "over-quota", "超出名额" },
		{ "frozen", "不接受更改" },
		{ "failed", "无法解析" },
		{ "question", "咨询" },
	};
	size_t i;

	for (i = 0; outcome != NULL && i < G_N_ELEMENTS(labels); i++)
		if (strcmp(outcome, labels[i].outcome) == 0)
			return labels[i].label;
	return outcome != NULL ? outcome : "";
}

const char *
mail_reply_kind_label(const char *kind)
{
	static const struct {
		const char *kind, *label;
	} labels[] = {
		{ "receipt", "回执" },
		{ "superseded-notice", "替换回执" },
		{ "correction", "更正通知" },
		{ "late", "逾期通知" },
		{ "over-quota", "超额通知" },
		{ "frozen", "不接受更改通知" },
		{ "too-large", "邮件过大通知" },
		{ "question", "咨询确认" },
		{ "decision-accepted", "审核通过通知" },
		{ "decision-rejected", "审核未通过通知" },
	};
	size_t i;

	for (i = 0; kind != NULL && i < G_N_ELEMENTS(labels); i++)
		if (strcmp(kind, labels[i].kind) == 0)
			return labels[i].label;
	return kind != NULL ? kind : "";
}

const char *
mail_reply_state_label(const char *state)
{
	static const struct {
		const char *state, *label;
	} labels[] = {
		{ "queued", "待发送" }, { "sending", "发送中" },
		{ "sent", "已发送" }, { "failed", "发送失败" },
		{ "bounced", "被退回" },
	};
	size_t i;

	for (i = 0; state != NULL && i < G_N_ELEMENTS(labels); i++)
		if (strcmp(state, labels[i].state) == 0)
			return labels[i].label;
	return state != NULL ? state : "";
}

static void
mail_reply_free(gpointer p)
{
	struct mail_reply *r = p;

	g_free(r->kind);
	g_free(r->state);
	g_free(r->recipient);
	g_free(r->subject);
	g_free(r->gist);
	g_free(r->created_at);
	g_free(r->sent_at);
	g_free(r->last_error);
	g_free(r);
}

void
mail_record_free(struct mail_record *m)
{
	if (m == NULL)
		return;
	g_free(m->campaign);
	g_free(m->sha256);
	g_free(m->query_code);
	g_free(m->message_id);
	g_free(m->sender);
	g_free(m->subject);
	g_free(m->received_at);
	g_free(m->outcome);
	g_free(m->reason);
	g_free(m->reason_code);
	g_free(m->receipt);
	g_free(m->folder);
	g_ptr_array_unref(m->replies);
	g_free(m->unanswered);
	g_free(m->kept);
	g_free(m->kept_where);
	g_free(m);
}

char *
mail_record_told(const struct mail_record *m, const char *sep)
{
	GString *out = g_string_new(NULL);
	guint i;

	if (m->replies->len == 0) {
		g_string_append_printf(out, "未答复：%s", m->unanswered ?
		    m->unanswered : "");
		return g_string_free(out, FALSE);
	}
	for (i = 0; i < m->replies->len; i++) {
		const struct mail_reply *r = m->replies->pdata[i];
		g_auto(GStrv) lines = g_strsplit(r->gist ? r->gist : "", "\n",
		    -1);
		size_t k;

		if (i > 0)
			g_string_append(out, sep);
		g_string_append_printf(out, "%s（%s）", mail_reply_kind_label(
		    r->kind), mail_reply_state_label(r->state));
		if (r->subject != NULL)
			g_string_append_printf(out, "：%s", r->subject);
		for (k = 0; lines[k] != NULL; k++)
			if (*lines[k] != '\0')
				g_string_append_printf(out, "%s%s", sep,
				    lines[k]);
	}
	return g_string_free(out, FALSE);
}

/* A reply as staff read it: what it was and what it said, from the
 * message as it was sent. */
static int
mail_reply_add(const struct db_reply *dr, void *ctx)
{
	struct mail_reply *r = g_new0(struct mail_reply, 1);
	struct message *msg = NULL;
	g_autofree char *error = NULL;

	r->kind = g_strdup(dr->kind);
	r->state = g_strdup(dr->state);
	r->recipient = g_strdup(dr->recipient);
	r->created_at = g_strdup(dr->created_at);
	r->sent_at = g_strdup(dr->sent_at);
	r->last_error = g_strdup(dr->last_error);
	if (dr->data != NULL && message_parse_data(dr->data, dr->data_len,
	    NULL, &msg, &error) == 0) {
		g_autofree char *plain = NULL, *html = NULL;

		r->subject = g_strdup(message_subject(msg));
		message_body_text(msg, &plain, &html);
		r->gist = replygist_lines(plain, REPLYGIST_LINES);
		message_free(&msg);
	}
	g_ptr_array_add(ctx, r);
	return 0;
}

static int
mail_record_add(const struct db_mail *dm, void *ctx)
{
	const struct db_message *m = dm->m;
	struct mail_record *r = g_new0(struct mail_record, 1);

	r->row = dm->row;
	r->campaign = g_strdup(m->campaign);
	r->sha256 = g_strdup(m->sha256 ? m->sha256 : "");
	r->query_code = reply_query_code(r->sha256);
	r->message_id = g_strdup(m->message_id);
	r->sender = g_strdup(m->sender);
	r->subject = g_strdup(m->subject);
	r->received_at = g_strdup(m->received_at);
	r->outcome = g_strdup(m->outcome);
	r->reason = g_strdup(m->reason);
	r->reason_code = g_strdup(m->reason_code != NULL ? m->reason_code :
	    reasoncode_guess(m->outcome, NULL, m->reason));
	r->receipt = g_strdup(m->receipt);
	r->folder = g_strdup(m->folder);
	r->uidvalidity = m->uidvalidity;
	r->uid = m->uid;
	r->quarantined = dm->quarantined;
	r->replies = g_ptr_array_new_with_free_func(mail_reply_free);
	g_ptr_array_add(ctx, r);
	return 0;
}

/* Where the raw mail is: under the store, else in words. */
static void
mail_record_where(struct mail_record *r, const char *store_dir)
{
	g_autofree char *path = ingest_unaccepted_find(store_dir, r->campaign,
	    r->folder, r->uidvalidity, r->uid, r->sha256);
	size_t n = strlen(store_dir);

	if (path != NULL) {
		r->kept = g_strdup(strncmp(path, store_dir, n) == 0 &&
		    path[n] == '/' ? path + n + 1 : path);
		return;
	}
	if (r->quarantined)
		r->kept_where = g_strdup("隔离区（subgate quarantine list）");
	else if (r->receipt != NULL)
		r->kept_where = g_strdup_printf("案卷 %s 的 original.eml",
		    r->receipt);
	else if (r->folder != NULL)
		r->kept_where = g_strdup_printf("未存入存储；仍在邮箱文件夹 %s"
		    "（UIDVALIDITY %u，UID %u）", r->folder, r->uidvalidity,
		    r->uid);
	else
		r->kept_where = g_strdup("未存入存储");
}

int
mail_records_load(struct db *db, const char *store_dir,
    const struct db_mail_query *q, unsigned newest, GPtrArray **mail_r,
    unsigned *total_r, char **error_r)
{
	GPtrArray *mail = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)mail_record_free);
	guint i;

	*mail_r = NULL;
	if (db_mail_list(db, q, mail_record_add, mail, error_r) < 0)
		goto fail;
	if (total_r != NULL)
		*total_r = mail->len;
	if (newest > 0 && mail->len > newest)
		g_ptr_array_remove_range(mail, 0, mail->len - newest);
	/* The replies after the walk: one statement at a time. */
	for (i = 0; i < mail->len; i++) {
		struct mail_record *r = mail->pdata[i];

		if (db_message_replies(db, r->row, mail_reply_add, r->replies,
		    error_r) < 0)
			goto fail;
		if (r->replies->len == 0)
			r->unanswered = reasoncode_unanswered(r->outcome,
			    r->reason, r->sender);
		mail_record_where(r, store_dir);
	}
	*mail_r = mail;
	return 0;
fail:
	g_ptr_array_unref(mail);
	return -1;
}
