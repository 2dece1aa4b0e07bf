/*
 * cases: staff browse and export the cases in a terminal, a spreadsheet or
 * a browser, never in a database shell:
 *
 *   subgate cases list    an aligned table (CJK-width aware) or JSON lines
 *   subgate cases show    everything about one case, its replies, reviews
 *   subgate cases export  the summary table (汇总表) as CSV or XLSX
 *   subgate cases index   <store>/<campaign>/index.html, for the browser
 *   subgate cases accept|reject   a staff decision (decision.c)
 *   subgate cases confirm|refuse  a decision on the case's sender for its
 *                                 unit (decision.c)
 *
 * Staff commands do not take the store lock: they read while the daemon
 * runs, and every file they write is replaced atomically.
 */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "archivelist.h"
#include "campaign.h"
#include "case_record.h"
#include "cli.h"
#include "config.h"
#include "config_file.h"
#include "contentrule.h"
#include "inspect.h"
#include "mediarule.h"
#include "db.h"
#include "export.h"
#include "htmlindex.h"
#include "json.h"
#include "progress.h"
#include "reply.h"
#include "textcell.h"
#include "cases-private.h"

/* Column caps of `cases list`, in terminal columns. */
#define LIST_UNIT_WIDTH		24
#define LIST_CATEGORY_WIDTH	16
#define LIST_TITLE_WIDTH	36

/* "media" ("image", "text"): the facts as case.json keeps them. */
static void
append_media_json(GString *j, const struct media_facts *m)
{
	g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);
	g_autofree char *text = NULL;

	json_node_take_object(node, inspect_media_object(m));
	text = json_to_string(node, FALSE);
	json_append_key(j, inspect_facts_member(m), 0);
	g_string_append(j, text);
}

static void
append_findings_json(GString *j, const struct case_record *c)
{
	size_t i;

	json_append_key(j, "findings", 0);
	g_string_append_c(j, '[');
	for (i = 0; i < c->finding_count; i++) {
		g_string_append(j, i > 0 ? ",{" : "{");
		json_append_key(j, "code", 1);
		json_append_string(j, c->findings[i].code);
		json_append_key(j, "severity", 0);
		json_append_string(j, c->findings[i].severity);
		json_append_key(j, "file", 0);
		json_append_string(j, c->findings[i].file);
		if (c->findings[i].entry_name != NULL) {
			json_append_key(j, "entry", 0);
			json_append_string(j, c->findings[i].entry_name);
		}
		json_append_key(j, "text", 0);
		json_append_string(j, c->findings[i].text);
		g_string_append_c(j, '}');
	}
	g_string_append_c(j, ']');
}

/* "form": {"mark", "fields": {FIELD: value}}, null without a form. */
static void
append_form_json(GString *j, const struct case_record *c)
{
	const char *mark = case_record_form_mark(c);
	size_t i;

	json_append_key(j, "form", 0);
	if (mark == NULL) {
		g_string_append(j, "null");
		return;
	}
	g_string_append_c(j, '{');
	json_append_key(j, "mark", 1);
	json_append_string(j, mark);
	json_append_key(j, "fields", 0);
	g_string_append_c(j, '{');
	for (i = 0; i < c->form_count; i++) {
		json_append_key(j, c->form[i].name, i == 0);
		json_append_string(j, c->form[i].value);
	}
	g_string_append(j, "}}");
}

/* "links": the case's cloud attachments as case.json records them. */
static void
cases_append_links_json(GString *j, const struct case_record *c)
{
	size_t i;

	json_append_key(j, "links", 0);
	g_string_append_c(j, '[');
	for (i = 0; i < c->link_count; i++) {
		const struct case_link *l = &c->links[i];

		if (i > 0)
			g_string_append_c(j, ',');
		g_string_append_c(j, '{');
		json_append_key(j, "provider", 1);
		json_append_string(j, l->provider);
		json_append_key(j, "url", 0);
		json_append_string(j, l->url);
		json_append_key(j, "name", 0);
		json_append_string(j, l->name);
		json_append_key(j, "size", 0);
		g_string_append_printf(j, "%llu", (unsigned long long)l->size);
		json_append_key(j, "expires_at", 0);
		json_append_string(j, l->expires_at);
		json_append_key(j, "pass_code", 0);
		json_append_string(j, l->pass_code);
		g_string_append_c(j, '}');
	}
	g_string_append_c(j, ']');
}

static void
cases_append_record_json(GString *j, const struct case_record *c,
    const char *store_dir)
{
	g_autofree char *full = g_build_filename(store_dir, c->dir, NULL);
	size_t i;

	g_string_append_c(j, '{');
	json_append_key(j, "receipt", 1);
	json_append_string(j, c->receipt);
	json_append_key(j, "campaign", 0);
	json_append_string(j, c->campaign);
	json_append_key(j, "status", 0);
	json_append_string(j, c->status);
	json_append_key(j, "category", 0);
	json_append_string(j, c->category);
	json_append_key(j, "title", 0);
	json_append_string(j, c->title);
	json_append_key(j, "unit", 0);
	json_append_string(j, c->unit);
	json_append_key(j, "sender", 0);
	json_append_string(j, c->sender);
	json_append_key(j, "from_name", 0);
	json_append_string(j, c->from_name);
	json_append_key(j, "subject", 0);
	json_append_string(j, c->subject);
	json_append_key(j, "message_id", 0);
	json_append_string(j, c->message_id);
	json_append_key(j, "received_at", 0);
	json_append_string(j, c->received_at);
	json_append_key(j, "batch", 0);
	json_append_string(j, c->batch);
	json_append_key(j, "dir", 0);
	json_append_string(j, full);
	json_append_key(j, "fields", 0);
	g_string_append_c(j, '{');
	for (i = 0; i < c->field_count; i++) {
		json_append_key(j, c->fields[i].name, i == 0);
		json_append_string(j, c->fields[i].value);
	}
	g_string_append_c(j, '}');
	json_append_key(j, "attachment_count", 0);
	g_string_append_printf(j, "%zu", c->attachment_count);
	json_append_key(j, "total_size", 0);
	g_string_append_printf(j, "%llu", (unsigned long long)c->total_size);
	json_append_key(j, "attachments", 0);
	g_string_append_c(j, '[');
	for (i = 0; i < c->attachment_count; i++) {
		const struct case_attachment *a = &c->attachments[i];

		if (i > 0)
			g_string_append_c(j, ',');
		g_string_append_c(j, '{');
		json_append_key(j, "name", 1);
		json_append_string(j, a->name);
		json_append_key(j, "original_name", 0);
		json_append_string(j, a->original_name);
		json_append_key(j, "size", 0);
		g_string_append_printf(j, "%llu", (unsigned long long)a->size);
		json_append_key(j, "sha256", 0);
		json_append_string(j, a->sha256);
		if (a->content_mime != NULL) {
			json_append_key(j, "content_mime", 0);
			json_append_string(j, a->content_mime);
		}
		if (a->scan != NULL) {
			json_append_key(j, "scan", 0);
			json_append_string(j, a->scan);
			json_append_key(j, "scan_note", 0);
			json_append_string(j, a->scan_note);
		}
		if (a->role != NULL) {
			json_append_key(j, "role", 0);
			json_append_string(j, a->role);
		}
		if (a->kind != NULL) {
			json_append_key(j, "kind", 0);
			json_append_string(j, a->kind);
		}
		if (a->marker != NULL) {
			json_append_key(j, "marker", 0);
			json_append_string(j, a->marker);
		}
		if (a->moved_to != NULL) {
			json_append_key(j, "moved_to", 0);
			json_append_string(j, a->moved_to);
		}
		if (a->media != NULL)
			append_media_json(j, a->media);
		g_string_append_c(j, '}');
	}
	g_string_append_c(j, ']');
	append_findings_json(j, c);
	cases_append_links_json(j, c);
	append_form_json(j, c);
	json_append_key(j, "case_json_error", 0);
	json_append_string(j, c->json_error);
	g_string_append_c(j, '}');
}

static void
cases_append_refused_json(GString *j, const struct case_refused *r)
{
	g_string_append_c(j, '{');
	json_append_key(j, "refused", 1);
	g_string_append(j, "true");
	json_append_key(j, "campaign", 0);
	json_append_string(j, r->campaign);
	json_append_key(j, "position", 0);
	g_string_append_printf(j, "%u", r->pos);
	json_append_key(j, "title", 0);
	json_append_string(j, r->title);
	json_append_key(j, "category", 0);
	json_append_string(j, r->category);
	json_append_key(j, "unit", 0);
	json_append_string(j, r->unit);
	json_append_key(j, "sender", 0);
	json_append_string(j, r->sender);
	json_append_key(j, "subject", 0);
	json_append_string(j, r->subject);
	json_append_key(j, "received_at", 0);
	json_append_string(j, r->received_at);
	json_append_key(j, "outcome", 0);
	json_append_string(j, r->outcome);
	json_append_key(j, "policy", 0);
	json_append_string(j, r->policy);
	json_append_key(j, "reason", 0);
	json_append_string(j, r->reason);
	json_append_key(j, "same_mail", 0);
	json_append_string(j, r->first_receipt);
	g_string_append_c(j, '}');
}

enum list_col {
	COL_RECEIPT, COL_TIME, COL_UNIT, COL_CATEGORY, COL_TITLE, COL_STATUS,
	COL_COUNT, COL_SIZE, COL_SAME, COL_WHY, COL_N,
};

/* The unit cell: "（新单位）" after a unit off its campaign's roster,
 * judged by the campaign as it is now. */
static char *
cases_unit_cell(const struct config *config, const struct case_record *c)
{
	const struct campaign *campaign = config_campaign_find(config,
	    c->campaign);

	if (campaign != NULL && c->unit != NULL &&
	    campaign_unit_is_new(campaign, c->unit)) {
		g_autofree char *u = g_strconcat(c->unit, "（新单位）", NULL);

		return cli_cell(u);
	}
	return cli_cell(case_record_submitter(c));
}

/* A case's cells in the table. */
static char **
cases_case_cells(const struct config *config, const struct case_record *c)
{
	char **cells = g_new0(char *, COL_N + 1);

	cells[COL_RECEIPT] = cli_cell(c->receipt);
	cells[COL_TIME] = case_time_short(c->received_at);
	cells[COL_UNIT] = cases_unit_cell(config, c);
	cells[COL_CATEGORY] = cli_cell(c->category);
	cells[COL_TITLE] = cli_cell(c->title ? c->title : c->subject);
	cells[COL_STATUS] = g_strdup(case_status_label(c->status));
	cells[COL_COUNT] = g_strdup_printf("%zu", c->attachment_count);
	cells[COL_SIZE] = textcell_human_size(c->total_size);
	cells[COL_SAME] = g_strdup("");
	cells[COL_WHY] = g_strdup("");
	return cells;
}

/* A refused work's cells: no receipt, no files of its own; the mail's
 * first case (同一邮件) and why. */
static char **
cases_refused_cells(const struct case_refused *r)
{
	char **cells = g_new0(char *, COL_N + 1);
	g_autofree char *why = g_strdup_printf("%s：%s", r->outcome ?
	    r->outcome : "", r->reason ? r->reason : "");

	cells[COL_RECEIPT] = g_strdup("（未登记）");
	cells[COL_TIME] = case_time_short(r->received_at);
	cells[COL_UNIT] = cli_cell(r->unit ? r->unit : r->sender);
	cells[COL_CATEGORY] = cli_cell(r->category);
	cells[COL_TITLE] = cli_cell(r->title ? r->title : r->subject);
	cells[COL_STATUS] = g_strdup("未登记");
	cells[COL_COUNT] = g_strdup("-");
	cells[COL_SIZE] = g_strdup("-");
	cells[COL_SAME] = cli_cell(r->first_receipt ? r->first_receipt : "-");
	cells[COL_WHY] = cli_cell(why);
	return cells;
}

/* The rows in order: each mail's refused works (refused: NULL or the
 * struct case_refused of --all) after its cases. */
static GPtrArray *
cases_table_rows(const struct config *config, GPtrArray *cases,
    GPtrArray *refused)
{
	GPtrArray *rows = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)g_strfreev);
	guint i, j = 0;

	for (i = 0; i < cases->len; i++) {
		const struct case_record *c = cases->pdata[i];

		for (; refused != NULL && j < refused->len &&
		    case_refused_before(refused->pdata[j], c); j++)
			g_ptr_array_add(rows, cases_refused_cells(
			    refused->pdata[j]));
		g_ptr_array_add(rows, cases_case_cells(config, c));
	}
	for (; refused != NULL && j < refused->len; j++)
		g_ptr_array_add(rows, cases_refused_cells(refused->pdata[j]));
	return rows;
}

static void
cases_print_table(const struct config *config, GPtrArray *cases,
    GPtrArray *refused)
{
	static const char *const head[COL_N] = { "回执编号", "收到时间",
		"单位/投稿人", "类别", "作品名称", "状态", "附件", "大小",
		"同一邮件", "未登记原因" };
	static const size_t cap[COL_N] = { 32, 16, LIST_UNIT_WIDTH,
		LIST_CATEGORY_WIDTH, LIST_TITLE_WIDTH, 12, 6, 10, 32, 200 };
	/* The two columns of works not filed, with --all only. */
	size_t ncol = refused != NULL ? COL_N : COL_SAME;
	size_t width[COL_N], k;
	GPtrArray *cells = cases_table_rows(config, cases, refused);
	guint i;

	for (k = 0; k < ncol; k++)
		width[k] = textcell_display_width(head[k]);
	for (i = 0; i < cells->len; i++)
		for (k = 0; k < ncol; k++)
			width[k] = MAX(width[k], MIN(cap[k],
			    textcell_display_width(((char **)cells->pdata[i])[k])));
	for (i = 0; i <= cells->len; i++) {
		GString *line = g_string_new(NULL);
		const char *const *row = i == 0 ? head :
		    (const char *const *)cells->pdata[i - 1];

		for (k = 0; k < ncol; k++) {
			if (k > 0)
				g_string_append(line, "  ");
			if ((k == COL_COUNT || k == COL_SIZE) && i > 0) {
				size_t w = textcell_display_width(row[k]);

				while (w++ < width[k])
					g_string_append_c(line, ' ');
				g_string_append(line, row[k]);
			} else {
				textcell_append_padded(line, row[k], width[k]);
			}
		}
		while (line->len > 0 && line->str[line->len - 1] == ' ')
			g_string_truncate(line, line->len - 1);
		puts(line->str);
		g_string_free(line, TRUE);
	}
	g_ptr_array_unref(cells);
}

/* JSON lines, each mail's refused works (--all) after its cases. */
static void
cases_print_json(const char *store_dir, GPtrArray *cases, GPtrArray *refused)
{
	GString *j = g_string_new(NULL);
	guint i, k = 0;

	for (i = 0; i <= cases->len; i++) {
		const struct case_record *c = i < cases->len ?
		    cases->pdata[i] : NULL;

		for (; refused != NULL && k < refused->len && (c == NULL ||
		    case_refused_before(refused->pdata[k], c)); k++) {
			g_string_truncate(j, 0);
			cases_append_refused_json(j, refused->pdata[k]);
			puts(j->str);
		}
		if (c == NULL)
			break;
		g_string_truncate(j, 0);
		cases_append_record_json(j, c, store_dir);
		puts(j->str);
	}
	g_string_free(j, TRUE);
}

static int
cases_list(struct cli_staff_opts *o, struct cli_state *s,
    const char *sub G_GNUC_UNUSED, const char *receipt G_GNUC_UNUSED)
{
	g_autofree char *error = NULL;
	GPtrArray *cases = NULL, *refused = NULL, *mail = NULL;
	struct db_case_query q = o->q;
	int ret = EX_OK;

	if (o->all) {
		/* A status names a case's; a refused work's outcome the
		 * same way, so --status over-quota finds those.  The works
		 * of a mail that made no case are shown with their mail,
		 * after the cases. */
		q.receipt = NULL;
		if (case_refused_load(s->db, &q, true, &refused,
		    &error) < 0) {
			fprintf(stderr, "subgate: %s\n", error);
			return EX_TEMPFAIL;
		}
		if (cases_mail_load(s, &o->q, &mail) < 0) {
			ret = EX_TEMPFAIL;
			goto out;
		}
	}
	if (cli_load_cases(s, &o->q, &cases) < 0) {
		ret = EX_TEMPFAIL;
		goto out;
	}
	if (o->json) {
		cases_print_json(s->config->store_dir, cases, refused);
		if (mail != NULL)
			cases_mail_print_json(s, mail);
	} else {
		cases_print_table(s->config, cases, refused);
		if (mail != NULL)
			cases_mail_print_table(s, mail);
		if (refused != NULL)
			printf("共 %u 件，另有未登记的作品 %u 件，未登记的邮件 %u "
			    "封\n", cases->len, refused->len, mail->len);
		else
			printf("共 %u 件\n", cases->len);
	}
out:
	if (refused != NULL)
		g_ptr_array_unref(refused);
	if (mail != NULL)
		g_ptr_array_unref(mail);
	if (cases != NULL)
		g_ptr_array_unref(cases);
	return ret;
}

/* One "label  value" line of `cases show`. */
/* The cloud attachment links the case was filed with: what each is to
 * the work, its name, provider, size, expiry and the time left, then its
 * URL and 提取码 for staff to download it by hand. */
static void
show_links(const struct case_record *c)
{
	int64_t now = g_get_real_time() / G_USEC_PER_SEC;
	size_t i, got = 0;

	if (c->link_count == 0)
		return;
	for (i = 0; i < c->link_count; i++)
		got += case_link_downloaded(&c->links[i]);
	if (got == 0)
		printf("云附件: %zu 个（未下载）\n", c->link_count);
	else
		printf("云附件: %zu 个（已下载 %zu）\n", c->link_count, got);
	for (i = 0; i < c->link_count; i++) {
		const struct case_link *l = &c->links[i];
		struct case_attachment as = { .role = l->role, .kind = l->kind };
		g_autofree char *label = case_attachment_label(&as);
		g_autofree char *shown = label ? cli_cell(label) : NULL;
		g_autofree char *name = cli_cell(l->name ? l->name : "（无文件名）");
		g_autofree char *what = case_link_label(l);
		g_autofree char *left = case_link_countdown(l, now, NULL);
		g_autofree char *url = cli_cell(l->url);

		printf("  %s%s%s%s  %s·%s\n", shown ? "[" : "", shown ? shown : "",
		    shown ? "] " : "", name, what, left);
		printf("    %s\n", url);
		if (l->pass_code != NULL) {
			g_autofree char *code = cli_cell(l->pass_code);

			printf("    提取码 %s\n", code);
		}
	}
}

static void
show_line(const char *label, const char *value)
{
	GString *line = g_string_new("");
	g_autofree char *v = cli_cell(value);

	textcell_append_padded(line, label, 12);
	g_string_append(line, v);
	puts(line->str);
	g_string_free(line, TRUE);
}

/* What the replies and reviews of a case are shown with: the JSON being
 * built, or (text, j NULL) the campaign's zone the times are given in. */
struct show_ctx {
	GString *j;
	GTimeZone *tz;
};

static int
show_reply(const struct db_reply *r, void *ctx)
{
	struct show_ctx *sc = ctx;
	GString *j = sc->j;
	g_autofree char *sent = NULL, *queued = NULL;

	if (j != NULL) {
		if (j->str[j->len - 1] != '[')
			g_string_append_c(j, ',');
		g_string_append_c(j, '{');
		json_append_key(j, "kind", 1);
		json_append_string(j, r->kind);
		json_append_key(j, "recipient", 0);
		json_append_string(j, r->recipient);
		json_append_key(j, "state", 0);
		json_append_string(j, r->state);
		json_append_key(j, "attempts", 0);
		g_string_append_printf(j, "%d", r->attempts);
		json_append_key(j, "last_error", 0);
		json_append_string(j, r->last_error);
		json_append_key(j, "queued_at", 0);
		json_append_string(j, r->created_at);
		json_append_key(j, "sent_at", 0);
		json_append_string(j, r->sent_at);
		json_append_key(j, "message_id", 0);
		json_append_string(j, r->reply_message_id);
		g_string_append_c(j, '}');
		return 0;
	}
	sent = case_time_local(r->sent_at, sc->tz);
	queued = case_time_local(r->created_at, sc->tz);
	printf("  %s -> %s: %s", r->kind, r->recipient, r->state);
	if (sent != NULL)
		printf(" %s", sent);
	printf(" (queued %s, %d attempt%s)\n", queued ? queued : "?",
	    r->attempts, r->attempts == 1 ? "" : "s");
	if (r->last_error != NULL) {
		g_autofree char *e = cli_cell(r->last_error);

		printf("    last error: %s\n", e);
	}
	return 0;
}

static int
show_review(const struct db_case_review *r, const char *reviewed_at,
    void *ctx)
{
	struct show_ctx *sc = ctx;
	GString *j = sc->j;
	g_autofree char *reason = cli_cell(r->reason);
	g_autofree char *at = NULL;

	if (j != NULL) {
		if (j->str[j->len - 1] != '[')
			g_string_append_c(j, ',');
		g_string_append_c(j, '{');
		json_append_key(j, "action", 1);
		json_append_string(j, r->action);
		json_append_key(j, "status", 0);
		json_append_string(j, r->status);
		json_append_key(j, "reason", 0);
		json_append_string(j, r->reason);
		json_append_key(j, "reviewer", 0);
		json_append_string(j, r->reviewer);
		json_append_key(j, "reviewed_at", 0);
		json_append_string(j, reviewed_at);
		json_append_key(j, "changes", 0);
		g_string_append(j, r->changes_json ? r->changes_json : "null");
		g_string_append_c(j, '}');
		return 0;
	}
	at = case_time_local(reviewed_at, sc->tz);
	printf("  %s %s by %s: %s -> %s", at, r->action, r->reviewer,
	    reason, case_status_label(r->status));
	if (r->changes_json != NULL) {
		g_autofree char *ch = cli_cell(r->changes_json);

		printf(" %s", ch);
	}
	putchar('\n');
	return 0;
}

/* The other works of the mail that made a case (message_works): filed
 * with their receipt, or not, with why.  ctx: the case's receipt, and
 * the JSON being built or NULL. */
struct show_works {
	const char *receipt;
	GString *j;
	unsigned shown;
	struct db *db;		/* the filed works' status, for people */
};

static int
show_case_status(const struct db_case *c, void *ctx)
{
	*(char **)ctx = g_strdup(c->status);
	return 0;
}

static int
show_work(const struct db_message_work *w, void *ctx)
{
	struct show_works *sw = ctx;
	GString *j = sw->j;
	g_autofree char *title = cli_cell(w->title);
	g_autofree char *why = cli_cell(w->reason);

	if (g_strcmp0(w->receipt, sw->receipt) == 0)
		return 0;
	if (j != NULL) {
		if (j->str[j->len - 1] != '[')
			g_string_append_c(j, ',');
		g_string_append_c(j, '{');
		json_append_key(j, "position", 1);
		g_string_append_printf(j, "%u", w->pos);
		json_append_key(j, "title", 0);
		json_append_string(j, w->title);
		json_append_key(j, "category", 0);
		json_append_string(j, w->category);
		json_append_key(j, "unit", 0);
		json_append_string(j, w->unit);
		json_append_key(j, "outcome", 0);
		json_append_string(j, w->outcome);
		json_append_key(j, "reason", 0);
		json_append_string(j, w->reason);
		json_append_key(j, "receipt", 0);
		json_append_string(j, w->receipt);
		g_string_append_c(j, '}');
		return 0;
	}
	if (sw->shown++ == 0)
		printf("同一邮件的其他作品:\n");
	if (w->receipt != NULL) {
		struct db_case_query q = { .receipt = w->receipt };
		g_autofree char *status = NULL, *error = NULL;

		/* Filed is not the same as counted: say 待核实, 已退回 … */
		if (sw->db != NULL)
			(void)db_case_list(sw->db, &q, show_case_status, &status,
			    &error);
		printf("  %u. 《%s》 %s %s\n", w->pos, title, status != NULL ?
		    case_status_label(status) : "已登记", w->receipt);
	}
	else
		printf("  %u. 《%s》 未登记（%s）：%s\n", w->pos, title,
		    w->outcome ? w->outcome : "", why);
	return 0;
}

/* The reason recorded for one receipt's work (ctx: receipt, then the
 * reason found). */
struct own_reason {
	const char *receipt;
	char *reason;
};

static int
show_own_reason(const struct db_message_work *w, void *ctx)
{
	struct own_reason *o = ctx;

	if (o->reason == NULL && g_strcmp0(w->receipt, o->receipt) == 0)
		o->reason = g_strdup(w->reason);
	return 0;
}

/*
 * A pending case: why it waits, as its receipt said, and where its
 * sender stands with staff now.  A sender confirmed while the case stays
 * pending was confirmed when the case did not fit (the unit's quota, a
 * work already on file) or the mail failed authentication.
 */
static int
show_pending(struct cli_state *s, const struct case_record *c,
    char **error_r)
{
	struct own_reason o = { .receipt = c->receipt };
	g_autofree char *state = NULL, *why = NULL;
	const char *standing;
	bool confirmed;
	int r;

	if (g_strcmp0(c->status, case_status_name(CASE_PENDING)) != 0 ||
	    c->unit == NULL || c->sender == NULL)
		return 0;
	if (db_message_works(s->db, 0, c->receipt, show_own_reason, &o,
	    error_r) < 0 || (r = db_unit_sender_get(s->db, c->campaign,
	    c->unit, c->sender, &state, error_r)) < 0) {
		g_free(o.reason);
		return -1;
	}
	why = o.reason != NULL ? cli_cell(o.reason) : NULL;
	g_free(o.reason);
	confirmed = r > 0 && strcmp(state, DB_UNIT_SENDER_CONFIRMED) == 0;
	/* Once the sender is confirmed, the reason given at filing is
	 * history: say so. */
	if (why != NULL)
		show_line(confirmed ? "登记时原因" : "待核实原因", why);
	if (r == 0)
		standing = "尚未确认为该单位的报送邮箱（cases confirm 确认并计入"
		    "名额，cases refuse --reason … 拒绝）";
	else if (!confirmed)
		standing = "已被拒绝为该单位的报送邮箱（cases reject 结案）";
	else
		standing = "已确认为该单位的报送邮箱，本件确认时未能计入，原因"
		    "见审核记录（cases accept 直接接受，超出名额时提示；cases "
		    "reject 拒绝）";
	show_line("发件邮箱", standing);
	return 0;
}

/* `cases show --json`: the case, its replies, the other works of its
 * mail and its reviews, in one object. */
static int
cases_show_json(struct cli_state *s, const struct case_record *c,
    const char *receipt, char **error_r)
{
	struct show_works sw = { .receipt = receipt };
	GString *j = g_string_new(NULL);
	struct show_ctx sc = { .j = j };
	int ret = EX_OK;

	cases_append_record_json(j, c, s->config->store_dir);
	g_string_truncate(j, j->len - 1);
	json_append_key(j, "replies", 0);
	g_string_append_c(j, '[');
	if (db_case_replies(s->db, receipt, show_reply, &sc, error_r) < 0)
		ret = EX_TEMPFAIL;
	g_string_append(j, "]");
	json_append_key(j, "same_mail", 0);
	g_string_append_c(j, '[');
	sw.j = j;
	if (ret == EX_OK && db_message_works(s->db, 0, receipt, show_work,
	    &sw, error_r) < 0)
		ret = EX_TEMPFAIL;
	g_string_append(j, "]");
	json_append_key(j, "reviews", 0);
	g_string_append_c(j, '[');
	if (ret == EX_OK && db_case_reviews(s->db, receipt, show_review, &sc,
	    error_r) < 0)
		ret = EX_TEMPFAIL;
	g_string_append(j, "]}");
	if (ret == EX_OK)
		puts(j->str);
	g_string_free(j, TRUE);
	return ret;
}

/* What its registration form said (cases.form_json), and whether it
 * agrees with the name: "报名表: ✓" and a line per field. */
static void
show_form(const struct case_record *c)
{
	const char *mark = case_record_form_mark(c);
	size_t i;

	if (mark == NULL)
		return;
	printf("报名表: %s\n", mark);
	for (i = 0; i < c->form_count; i++) {
		GString *line = g_string_new("  ");
		g_autofree char *v = cli_cell(c->form[i].value);
		g_autofree char *n = cli_cell(c->form[i].name);

		textcell_append_padded(line, n, 10);
		g_string_append(line, *v != '\0' ? v : "（空）");
		puts(line->str);
		g_string_free(line, TRUE);
	}
}

/* `cases show`: the case for people, times in the campaign's zone. */
/* An archive's files, one a line: its path inside, size, what it is
 * by content, what it measures. */
static void
show_entries(const struct archive_facts *a)
{
	size_t i;

	for (i = 0; a != NULL && i < a->count; i++) {
		const struct archive_item *it = &a->items[i];
		g_autofree char *name = cli_cell(it->name);
		g_autofree char *size = textcell_human_size(it->size);
		const char *words = it->encrypted ? "有密码" :
		    contentrule_words(it->mime);
		g_autofree char *facts = it->media != NULL ?
		    mediarule_facts_text(it->media) : NULL;
		g_autofree char *cell = facts != NULL ? cli_cell(facts) : NULL;

		printf("    压缩包内 %s  %s  %s%s%s\n", name, size,
		    words != NULL ? words : *it->mime != '\0' ? it->mime :
		    "类型未知", cell != NULL ? "  " : "", cell != NULL ?
		    cell : "");
	}
}

/* What checking the files' content found: warnings the receipt gave,
 * notes for staff. */
static void
show_findings(const struct case_record *c)
{
	size_t i;

	if (c->finding_count == 0)
		return;
	printf("检查结果:\n");
	for (i = 0; i < c->finding_count; i++) {
		const struct case_finding *f = &c->findings[i];
		g_autofree char *text = cli_cell(f->text);
		const char *sev = g_strcmp0(f->severity, "note") == 0 ?
		    "备注" : "警告";

		printf("  [%s] %s\n", sev, text);
	}
}

static int
cases_show_text(struct cli_state *s, const struct case_record *c,
    const char *receipt, char **error_r)
{
	const struct campaign *campaign = config_campaign_find(s->config,
	    c->campaign);
	struct show_works sw = { .receipt = receipt, .db = s->db };
	struct show_ctx sc = { .tz = campaign ? campaign_timezone(campaign) :
	    NULL };
	size_t i;
	int ret = EX_OK;
	g_autofree char *full = g_build_filename(s->config->store_dir,
	    c->dir, NULL);
	g_autofree char *status = g_strdup_printf("%s (%s)",
	    case_status_label(c->status), c->status);
	g_autofree char *from = c->from_name && *c->from_name ?
	    g_strdup_printf("%s <%s>", c->from_name, c->sender) :
	    g_strdup(c->sender);
	g_autofree char *total = textcell_human_size(c->total_size);

	show_line("回执编号", c->receipt);
	show_line("活动", c->campaign);
	show_line("状态", status);
	if (show_pending(s, c, error_r) < 0)
		ret = EX_TEMPFAIL;
	show_line("收到时间", c->received_at);
	if (c->batch != NULL)
		show_line("批次", c->batch);
	show_line("投稿人", from);
	if (c->unit != NULL)
		show_line("单位", c->unit);
	show_line("类别", c->category);
	show_line("作品名称", c->title);
	show_line("邮件主题", c->subject);
	show_line("Message-ID", c->message_id);
	show_line("案卷目录", full);
	if (c->json_error != NULL)
		show_line("case.json", c->json_error);
	printf("字段:\n");
	for (i = 0; i < c->field_count; i++) {
		GString *line = g_string_new("  ");
		g_autofree char *v = cli_cell(c->fields[i].value);
		g_autofree char *n = cli_cell(c->fields[i].name);

		textcell_append_padded(line, n, 10);
		g_string_append(line, v);
		puts(line->str);
		g_string_free(line, TRUE);
	}
	printf("附件: %zu 个，共 %s\n", c->attachment_count, total);
	for (i = 0; i < c->attachment_count; i++) {
		const struct case_attachment *a = &c->attachments[i];
		g_autofree char *size = textcell_human_size(a->size);
		g_autofree char *name = cli_cell(a->name);
		g_autofree char *orig = cli_cell(a->original_name);
		g_autofree char *label = case_attachment_label(a);
		g_autofree char *shown = label != NULL ?
		    cli_cell(label) : NULL;

		printf("  %s%s%s%s  %s  sha256 %s\n", shown ? "[" : "",
		    shown ? shown : "", shown ? "] " : "", name, size,
		    a->sha256 ? a->sha256 : "?");
		if (a->original_name != NULL &&
		    strcmp(a->original_name, a->name) != 0)
			printf("    原文件名 %s\n", orig);
		if (a->content_mime != NULL) {
			g_autofree char *mime = cli_cell(a->content_mime);
			const char *words = contentrule_words(a->content_mime);

			/* What it is, for people, then what libmagic said. */
			printf("    内容类型 %s%s%s%s\n", words ? words : "",
			    words ? "（" : "", mime, words ? "）" : "");
		}
		if (a->scan != NULL) {
			g_autofree char *said = cli_cell(a->scan_note ?
			    a->scan_note : a->scan);

			printf("    病毒扫描 %s\n", a->scan_note == NULL &&
			    strcmp(a->scan, "clean") == 0 ? "未发现问题" : said);
		}
		if (a->media != NULL) {
			g_autofree char *facts = mediarule_facts_text(a->media);
			g_autofree char *cell = cli_cell(facts);

			printf("    技术指标 %s\n", cell);
			show_entries(a->media->archive);
		}
		if (a->moved_to != NULL) {
			g_autofree char *to = cli_cell(a->moved_to);

			printf("    已拆分至 %s\n", to);
		}
	}
	show_form(c);
	show_findings(c);
	show_links(c);
	if (ret == EX_OK && db_message_works(s->db, 0, receipt,
	    show_work, &sw, error_r) < 0)
		ret = EX_TEMPFAIL;
	printf("回复:\n");
	if (ret == EX_OK && db_case_replies(s->db, receipt, show_reply,
	    &sc, error_r) < 0)
		ret = EX_TEMPFAIL;
	printf("审核记录:\n");
	if (ret == EX_OK && db_case_reviews(s->db, receipt,
	    show_review, &sc, error_r) < 0)
		ret = EX_TEMPFAIL;
	return ret;
}

static int
cases_show(struct cli_staff_opts *o, struct cli_state *s,
    const char *sub G_GNUC_UNUSED, const char *receipt)
{
	g_autofree char *error = NULL;
	struct case_record *c;
	GPtrArray *cases;
	int ret;

	/* A 查询码 names a mail (its refusal's subject gave it), never a
	 * case: a receipt carries its campaign and a dash. */
	if (reply_is_query_code(receipt))
		return cases_mail_show(s, receipt, o->json);
	if ((ret = cli_load_case(s, receipt, &cases, &c)) != EX_OK)
		return ret;
	ret = o->json ? cases_show_json(s, c, receipt, &error) :
	    cases_show_text(s, c, receipt, &error);
	if (ret != EX_OK)
		fprintf(stderr, "subgate: %s\n", error);
	g_ptr_array_unref(cases);
	return ret;
}

static int
cases_count_one(const struct db_case *row, void *ctx)
{
	(void)row;
	(*(uint64_t *)ctx)++;
	return 0;
}

static int
cases_export(struct cli_staff_opts *o, struct cli_state *s,
    const char *sub G_GNUC_UNUSED, const char *receipt G_GNUC_UNUSED)
{
	const struct campaign *campaign;
	enum export_format format;
	enum campaign_export_layout layout;
	g_autofree char *error = NULL, *path = NULL, *label = NULL;
	struct progress *progress;
	GPtrArray *cases;
	uint64_t total = 0;
	int ret = EX_OK;

	if (o->format == NULL || export_format_parse(o->format, &format) < 0) {
		fprintf(stderr, "subgate cases export: --format csv or xlsx\n");
		return EX_USAGE;
	}
	if ((campaign = config_campaign_pick(s->config, o->q.campaign)) == NULL)
		return EX_USAGE;
	o->q.campaign = campaign_id(campaign);
	layout = campaign_export_layout(campaign);
	if (o->layout != NULL && campaign_export_layout_parse(o->layout,
	    &layout) < 0) {
		fprintf(stderr, "subgate cases export: --layout flat or "
		    "per-unit\n");
		return EX_USAGE;
	}
	if (layout == CAMPAIGN_EXPORT_PER_UNIT &&
	    campaign_unit_field(campaign) == NULL) {
		fprintf(stderr, "subgate cases export: --layout per-unit: "
		    "campaign %s has no unit_field\n", campaign_id(campaign));
		return EX_USAGE;
	}
	if (o->output != NULL)
		path = g_strdup(o->output);
	else if (format == EXPORT_XLSX)
		path = g_strdup_printf("%s-汇总表.xlsx", campaign_id(campaign));
	/* Counting first costs one query; reading every case folder is
	 * what takes the time, and what the progress follows. */
	if (db_case_list(s->db, &o->q, cases_count_one, &total, &error) < 0) {
		fprintf(stderr, "subgate: %s\n", error);
		return EX_TEMPFAIL;
	}
	label = g_strdup_printf("export %s", campaign_id(campaign));
	progress = progress_new(label, total);
	if (case_records_load(s->db, s->config->store_dir, &o->q, progress,
	    &cases, &error) < 0) {
		progress_done(&progress);
		fprintf(stderr, "subgate: %s\n", error);
		return EX_TEMPFAIL;
	}
	ret = export_summary(campaign, cases, layout, format, path, &error);
	progress_done(&progress);
	if (ret < 0) {
		fprintf(stderr, "subgate: %s\n", error);
		ret = EX_CANTCREAT;
	} else if (path != NULL && strcmp(path, "-") != 0) {
		fprintf(stderr, "%s: %u cases\n", path, cases->len);
	}
	g_ptr_array_unref(cases);
	return ret;
}

static int
cases_index(struct cli_staff_opts *o, struct cli_state *s,
    const char *sub G_GNUC_UNUSED, const char *receipt G_GNUC_UNUSED)
{
	size_t i;
	int ret = EX_OK;

	if (o->q.campaign != NULL &&
	    config_campaign_pick(s->config, o->q.campaign) == NULL)
		return EX_USAGE;
	for (i = 0; i < s->config->campaign_count; i++) {
		const struct campaign *c = s->config->campaigns[i];
		g_autofree char *error = NULL;

		if (o->q.campaign != NULL &&
		    strcmp(o->q.campaign, campaign_id(c)) != 0)
			continue;
		if (htmlindex_write(s->config->store_dir, s->db, c,
		    true, &error) < 0) {
			fprintf(stderr, "subgate: %s: %s\n", campaign_id(c),
			    error);
			ret = EX_CANTCREAT;
			continue;
		}
		printf("%s/%s/index.html\n", s->config->store_dir,
		    campaign_id(c));
	}
	return ret;
}

static int
cases_decide(struct cli_staff_opts *o, struct cli_state *s, const char *sub,
    const char *receipt)
{
	return decision_run(s, o, sub, receipt);
}

static int
cases_confirm(struct cli_staff_opts *o, struct cli_state *s,
    const char *sub G_GNUC_UNUSED, const char *receipt)
{
	return decision_confirm(s, o, receipt);
}

/* The subcommands; a decision names one case, so do show and the
 * decisions, the others take none. */
static const struct cases_command {
	const char *name;
	bool one_receipt;
	int (*run)(struct cli_staff_opts *o, struct cli_state *s,
	    const char *sub, const char *receipt);
} cases_commands[] = {
	{ "list", false, cases_list },
	{ "show", true, cases_show },
	{ "export", false, cases_export },
	{ "index", false, cases_index },
	{ "accept", true, cases_decide },
	{ "reject", true, cases_decide },
	{ "confirm", true, cases_confirm },
	{ "refuse", true, cases_decide },
};

int
cmd_cases(int argc, char **argv)
{
	struct cli_staff_opts o = { 0 };
	struct cli_state s = { 0 };
	const struct cases_command *cmd = NULL;
	const char *sub;
	int first, ret;
	size_t i;

	if (argc < 2 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0) {
		fputs(cli_staff_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EX_USAGE : EX_OK;
	}
	sub = argv[1];
	for (i = 0; i < G_N_ELEMENTS(cases_commands) && cmd == NULL; i++)
		if (strcmp(sub, cases_commands[i].name) == 0)
			cmd = &cases_commands[i];
	if (cmd == NULL) {
		fprintf(stderr, "subgate cases: unknown command \"%s\"\n%s",
		    sub, cli_staff_usage);
		return EX_USAGE;
	}
	if ((first = cli_staff_parse_opts(argc - 1, argv + 1, &o)) < 0)
		return first == -2 ? EX_OK : EX_USAGE;
	first++;	/* index into argv */
	if (cmd->one_receipt) {
		if (first != argc - 1) {
			fprintf(stderr, "subgate cases %s: give one RECEIPT\n",
			    sub);
			return EX_USAGE;
		}
	} else if (first != argc) {
		fprintf(stderr, "subgate cases %s: unexpected \"%s\"\n", sub,
		    argv[first]);
		return EX_USAGE;
	}
	if (cli_open(o.config, o.store, o.database, &s, &ret) < 0)
		return ret;
	ret = cmd->run(&o, &s, sub, cmd->one_receipt ? argv[first] : NULL);
	cli_close(&s);
	return ret;
}
