/*
 * cases_mail: the staff views of mail that made no case, beside the
 * cases (cases-private.h): each with when it came, from whom, what it was
 * about, what was decided and what the sender was told, and `cases show`
 * of one mail by the 查询码 its reply gave (what a clerk reads out on
 * the phone).
 */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include <glib.h>

#include "campaign.h"
#include "case_record.h"
#include "cli.h"
#include "config.h"
#include "config_file.h"
#include "db.h"
#include "json.h"
#include "mail_record.h"
#include "reasoncode.h"
#include "textcell.h"
#include "cases-private.h"

/* Column caps of the mail table, in terminal columns. */
#define MAIL_SENDER_WIDTH	28
#define MAIL_SUBJECT_WIDTH	36
#define MAIL_OUTCOME_WIDTH	40
#define MAIL_TOLD_WIDTH		200

int
cases_mail_load(struct cli_state *s, const struct db_case_query *q,
    GPtrArray **mail_r)
{
	struct db_mail_query mq = {
		.campaign = q->campaign, .uncased_only = true,
		.unit = q->unit, .category = q->category,
		.outcome = q->status, .since = q->since,
	};
	g_autofree char *error = NULL;

	if (q->receipt != NULL || q->batch != NULL || q->seq_from > 0 ||
	    q->seq_to > 0) {
		*mail_r = g_ptr_array_new();
		return 0;
	}
	if (mail_records_load(s->db, s->config->store_dir, &mq, 0, mail_r,
	    NULL, &error) < 0) {
		fprintf(stderr, "subgate: %s\n", error);
		return -1;
	}
	return 0;
}

/* "逾期·不在征集时间内（已截止）": the outcome and, where it says more,
 * the reason code's label. */
static char *
mail_outcome_text(const struct mail_record *m)
{
	static const char *const says_all[] = {
		"automatic", "question", "duplicate", "failed",
	};
	g_autofree char *label = reasoncode_label(m->reason_code);
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(says_all); i++)
		if (g_strcmp0(m->reason_code, says_all[i]) == 0)
			return g_strdup(mail_outcome_label(m->outcome));
	return g_strdup_printf("%s·%s", mail_outcome_label(m->outcome),
	    label);
}

enum mail_col {
	MCOL_CODE, MCOL_TIME, MCOL_SENDER, MCOL_SUBJECT, MCOL_OUTCOME,
	MCOL_TOLD, MCOL_N,
};

void
cases_mail_print_table(const struct cli_state *s, GPtrArray *mail)
{
	static const char *const head[MCOL_N] = { "查询码", "收到时间",
		"发件人", "邮件主题", "处理结果", "告知发件人" };
	static const size_t cap[MCOL_N] = { 8, 16, MAIL_SENDER_WIDTH,
		MAIL_SUBJECT_WIDTH, MAIL_OUTCOME_WIDTH, MAIL_TOLD_WIDTH };
	GPtrArray *rows = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)g_strfreev);
	size_t width[MCOL_N], k;
	guint i;

	(void)s;
	if (mail->len == 0)
		return;
	printf("\n未登记的邮件（没有生成案卷）:\n");
	for (i = 0; i < mail->len; i++) {
		const struct mail_record *m = mail->pdata[i];
		char **cells = g_new0(char *, MCOL_N + 1);
		g_autofree char *outcome = mail_outcome_text(m);
		g_autofree char *told = mail_record_told(m, " / ");

		cells[MCOL_CODE] = g_strdup(m->query_code);
		cells[MCOL_TIME] = case_time_short(m->received_at);
		cells[MCOL_SENDER] = cli_cell(m->sender ? m->sender : "-");
		cells[MCOL_SUBJECT] = cli_cell(m->subject ? m->subject :
		    "（无主题）");
		cells[MCOL_OUTCOME] = cli_cell(outcome);
		cells[MCOL_TOLD] = cli_cell(told);
		g_ptr_array_add(rows, cells);
	}
	for (k = 0; k < MCOL_N; k++)
		width[k] = textcell_display_width(head[k]);
	for (i = 0; i < rows->len; i++)
		for (k = 0; k < MCOL_N; k++)
			width[k] = MAX(width[k], MIN(cap[k],
			    textcell_display_width(((char **)rows->pdata[i])[k])));
	for (i = 0; i <= rows->len; i++) {
		const char *const *row = i == 0 ? head :
		    (const char *const *)rows->pdata[i - 1];
		GString *line = g_string_new(NULL);

		for (k = 0; k < MCOL_N; k++) {
			if (k > 0)
				g_string_append(line, "  ");
			textcell_append_padded(line, row[k], width[k]);
		}
		while (line->len > 0 && line->str[line->len - 1] == ' ')
			g_string_truncate(line, line->len - 1);
		puts(line->str);
		g_string_free(line, TRUE);
	}
	g_ptr_array_unref(rows);
}

static void
mail_append_replies_json(GString *j, const struct mail_record *m)
{
	guint i;

	json_append_key(j, "replies", 0);
	g_string_append_c(j, '[');
	for (i = 0; i < m->replies->len; i++) {
		const struct mail_reply *r = m->replies->pdata[i];

		g_string_append(j, i > 0 ? ",{" : "{");
		json_append_key(j, "kind", 1);
		json_append_string(j, r->kind);
		json_append_key(j, "state", 0);
		json_append_string(j, r->state);
		json_append_key(j, "recipient", 0);
		json_append_string(j, r->recipient);
		json_append_key(j, "subject", 0);
		json_append_string(j, r->subject);
		json_append_key(j, "text", 0);
		json_append_string(j, r->gist);
		json_append_key(j, "queued_at", 0);
		json_append_string(j, r->created_at);
		json_append_key(j, "sent_at", 0);
		json_append_string(j, r->sent_at);
		json_append_key(j, "last_error", 0);
		json_append_string(j, r->last_error);
		g_string_append_c(j, '}');
	}
	g_string_append_c(j, ']');
}

static void
mail_append_json(GString *j, const struct cli_state *s,
    const struct mail_record *m)
{
	g_autofree char *label = reasoncode_label(m->reason_code);
	g_autofree char *kept = m->kept ? g_build_filename(
	    s->config->store_dir, m->kept, NULL) : NULL;

	g_string_append_c(j, '{');
	json_append_key(j, "mail", 1);
	g_string_append(j, "true");
	json_append_key(j, "query_code", 0);
	json_append_string(j, m->query_code);
	json_append_key(j, "campaign", 0);
	json_append_string(j, m->campaign);
	json_append_key(j, "received_at", 0);
	json_append_string(j, m->received_at);
	json_append_key(j, "sender", 0);
	json_append_string(j, m->sender);
	json_append_key(j, "subject", 0);
	json_append_string(j, m->subject);
	json_append_key(j, "message_id", 0);
	json_append_string(j, m->message_id);
	json_append_key(j, "outcome", 0);
	json_append_string(j, m->outcome);
	json_append_key(j, "reason_code", 0);
	json_append_string(j, m->reason_code);
	json_append_key(j, "reason_label", 0);
	json_append_string(j, label);
	json_append_key(j, "reason", 0);
	json_append_string(j, m->reason);
	json_append_key(j, "receipt", 0);
	json_append_string(j, m->receipt);
	mail_append_replies_json(j, m);
	json_append_key(j, "unanswered", 0);
	json_append_string(j, m->unanswered);
	json_append_key(j, "kept", 0);
	json_append_string(j, kept);
	json_append_key(j, "kept_where", 0);
	json_append_string(j, m->kept_where);
	g_string_append_c(j, '}');
}

void
cases_mail_print_json(const struct cli_state *s, GPtrArray *mail)
{
	GString *j = g_string_new(NULL);
	guint i;

	for (i = 0; i < mail->len; i++) {
		g_string_truncate(j, 0);
		mail_append_json(j, s, mail->pdata[i]);
		puts(j->str);
	}
	g_string_free(j, TRUE);
}

static void
mail_line(const char *label, const char *value)
{
	GString *line = g_string_new("");
	g_autofree char *v = cli_cell(value ? value : "-");

	textcell_append_padded(line, label, 12);
	g_string_append(line, v);
	puts(line->str);
	g_string_free(line, TRUE);
}

/* The works the mail carried (message_works), each with why it was not
 * filed. */
static int
mail_show_work(const struct db_message_work *w, void *ctx)
{
	g_autofree char *title = cli_cell(w->title ? w->title : "作品");
	g_autofree char *why = cli_cell(w->reason);
	g_autofree char *label = reasoncode_label(w->reason_code ?
	    w->reason_code : reasoncode_guess(w->outcome, w->policy,
	    w->reason));

	if ((*(unsigned *)ctx)++ == 0)
		printf("作品:\n");
	if (w->receipt != NULL)
		printf("  %u. 《%s》 已登记 %s\n", w->pos, title, w->receipt);
	else
		printf("  %u. 《%s》 未登记（%s）：%s\n", w->pos, title, label,
		    why);
	return 0;
}

static void
mail_show_replies(const struct mail_record *m, GTimeZone *tz)
{
	guint i;

	printf("告知发件人:\n");
	if (m->replies->len == 0) {
		g_autofree char *why = cli_cell(m->unanswered);

		printf("  未答复：%s\n", why);
		return;
	}
	for (i = 0; i < m->replies->len; i++) {
		const struct mail_reply *r = m->replies->pdata[i];
		g_autofree char *sent = case_time_local(r->sent_at, tz);
		g_autofree char *queued = case_time_local(r->created_at, tz);
		g_autofree char *subject = cli_cell(r->subject);
		g_auto(GStrv) lines = g_strsplit(r->gist ? r->gist : "", "\n",
		    -1);
		size_t k;

		printf("  %s（%s） -> %s: %s %s\n", mail_reply_kind_label(r->kind),
		    r->kind, r->recipient, r->state, sent ? sent :
		    queued ? queued : "");
		if (r->subject != NULL)
			printf("    主题 %s\n", subject);
		for (k = 0; lines[k] != NULL; k++) {
			g_autofree char *l = cli_cell(lines[k]);

			if (*l != '\0')
				printf("    %s\n", l);
		}
		if (r->last_error != NULL) {
			g_autofree char *e = cli_cell(r->last_error);

			printf("    last error: %s\n", e);
		}
	}
}

static int
mail_show_text(struct cli_state *s, const struct mail_record *m,
    char **error_r)
{
	const struct campaign *c = config_campaign_find(s->config,
	    m->campaign);
	g_autofree char *outcome = g_strdup_printf("%s (%s)",
	    mail_outcome_label(m->outcome), m->outcome);
	g_autofree char *label = reasoncode_label(m->reason_code);
	g_autofree char *code = g_strdup_printf("%s (%s)", label,
	    m->reason_code);
	g_autofree char *kept = m->kept ? g_build_filename(
	    s->config->store_dir, m->kept, NULL) : NULL;
	unsigned works = 0;

	mail_line("查询码", m->query_code);
	mail_line("活动", m->campaign);
	mail_line("收到时间", m->received_at);
	mail_line("发件人", m->sender);
	mail_line("邮件主题", m->subject);
	mail_line("Message-ID", m->message_id);
	mail_line("处理结果", outcome);
	if (m->receipt == NULL)
		mail_line("原因代码", code);
	if (m->reason != NULL) {
		g_auto(GStrv) lines = g_strsplit(m->reason, "\n", -1);
		size_t k;

		/* The reply's own text, as the log has it: line by line. */
		printf("原因:\n");
		for (k = 0; lines[k] != NULL; k++) {
			g_autofree char *l = cli_cell(lines[k]);

			if (*l != '\0')
				printf("  %s\n", l);
		}
	}
	if (m->receipt != NULL)
		mail_line("已登记", m->receipt);
	if (db_message_works(s->db, m->row, NULL, mail_show_work, &works,
	    error_r) < 0)
		return -1;
	mail_show_replies(m, c != NULL ? campaign_timezone(c) : NULL);
	mail_line("原始邮件", kept != NULL ? kept : m->kept_where);
	return 0;
}

int
cases_mail_show(struct cli_state *s, const char *code, bool json)
{
	struct db_mail_query q = { .query_code = code };
	g_autofree char *error = NULL;
	GPtrArray *mail = NULL;
	guint i;
	int ret = EX_OK;

	if (mail_records_load(s->db, s->config->store_dir, &q, 0, &mail, NULL,
	    &error) < 0) {
		fprintf(stderr, "subgate: %s\n", error);
		return EX_TEMPFAIL;
	}
	if (mail->len == 0) {
		fprintf(stderr, "subgate: no case or mail %s\n", code);
		g_ptr_array_unref(mail);
		return EX_DATAERR;
	}
	if (json)
		cases_mail_print_json(s, mail);
	/* Two deliveries of one mail share the code: each is shown. */
	for (i = 0; !json && i < mail->len && ret == EX_OK; i++) {
		if (i > 0)
			putchar('\n');
		if (mail_show_text(s, mail->pdata[i], &error) < 0) {
			fprintf(stderr, "subgate: %s\n", error);
			ret = EX_TEMPFAIL;
		}
	}
	g_ptr_array_unref(mail);
	return ret;
}
