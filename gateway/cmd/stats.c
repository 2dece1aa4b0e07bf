/*
 * stats: counts per category, per unit against the quotas, per reason
 * code of what was not filed (reasoncode.h) and per reply state, for the
 * campaign office.  What was not accepted is counted by work: each
 * refused work of a mail (a third work over the quota beside two filed),
 * and a mail judged before works were recorded, or carrying none, as one.
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
#include "reasoncode.h"
#include "textcell.h"

/* The column of a reason code's label in `stats`, in terminal columns. */
#define STATS_REASON_WIDTH	40


struct stats_ctx {
	const struct campaign *campaign;
	GHashTable *unit_cats;		/* "unit\ncategory" -> count */
	GHashTable *unit_counts;	/* unit -> count */
	GHashTable *unit_pending;	/* unit -> pending cases */
	GPtrArray *units;		/* units with cases, as counted */
};

static void
stats_row(const char *label, int64_t n, const char *extra)
{
	GString *line = g_string_new("  ");
	g_autofree char *l = cli_cell(label);

	/* Whole: long unit names differ at their end (…有限公司党委,
	 * …有限公司第一分公司党委). */
	textcell_append_whole(line, l, 30);
	g_string_append_printf(line, "%6lld", (long long)n);
	if (extra != NULL)
		g_string_append_printf(line, "  %s", extra);
	puts(line->str);
	g_string_free(line, TRUE);
}

static int
stats_plain(const char *key, const char *key2, int64_t n, void *ctx)
{
	(void)key2;
	(void)ctx;
	stats_row(key ? key : "（未填）", n, NULL);
	return 0;
}

static int
stats_outcome(const char *key, const char *key2, int64_t n, void *ctx)
{
	static const struct {
		const char *outcome, *label;
	} labels[] = {
		{ "accepted", "已受理" },
		{ "rejected", "命名或材料不符，已发更正通知" },
		{ "ignored", "自动邮件，已忽略" },
		{ "duplicate", "重复投递" },
		{ "late", "逾期" },
		{ "too-large", "邮件过大" },
		{ "over-quota", "超出限额" },
		{ "frozen", "已报送，不再接收" },
		{ "failed", "无法解析" },
		{ "question", "咨询，已转工作人员" },
	};
	const char *label = "";
	g_autofree char *l = NULL;
	size_t i;

	(void)key2;
	(void)ctx;
	for (i = 0; key != NULL && i < G_N_ELEMENTS(labels); i++)
		if (strcmp(key, labels[i].outcome) == 0)
			label = labels[i].label;
	l = g_strdup_printf("%s (%s)", label, key ? key : "");
	stats_row(l, n, NULL);
	return 0;
}

static int
stats_status(const char *key, const char *key2, int64_t n, void *ctx)
{
	g_autofree char *l = g_strdup_printf("%s (%s)", case_status_label(key),
	    key ? key : "");

	(void)key2;
	(void)ctx;
	stats_row(l, n, NULL);
	return 0;
}

static int
stats_unit_cat(const char *key, const char *key2, int64_t n, void *ctx)
{
	struct stats_ctx *s = ctx;

	g_hash_table_insert(s->unit_cats, g_strdup_printf("%s\n%s",
	    key ? key : "", key2 ? key2 : ""), GINT_TO_POINTER((int)n));
	return 0;
}

static int
stats_unit(const char *key, const char *key2, int64_t n, void *ctx)
{
	struct stats_ctx *s = ctx;

	(void)key2;
	g_ptr_array_add(s->units, g_strdup(key ? key : ""));
	g_hash_table_insert(s->unit_counts, g_strdup(key ? key : ""),
	    GINT_TO_POINTER((int)n));
	return 0;
}

/* A unit's pending cases (待核实): said on its line; a unit with nothing
 * else is listed too, with 0. */
static int
stats_unit_pending(const char *key, const char *key2, int64_t n, void *ctx)
{
	struct stats_ctx *s = ctx;
	const char *unit = key ? key : "";

	(void)key2;
	if (!g_hash_table_contains(s->unit_counts, unit)) {
		g_ptr_array_add(s->units, g_strdup(unit));
		g_hash_table_insert(s->unit_counts, g_strdup(unit),
		    GINT_TO_POINTER(0));
	}
	g_hash_table_insert(s->unit_pending, g_strdup(unit),
	    GINT_TO_POINTER((int)n));
	return 0;
}

static int
stats_unit_cat_count(const struct stats_ctx *s, const char *unit,
    const char *cat)
{
	g_autofree char *k = g_strdup_printf("%s\n%s", unit, cat);

	return GPOINTER_TO_INT(g_hash_table_lookup(s->unit_cats, k));
}

/* One unit's line: its works against its quotas, the minimums it has
 * not met (未达最低) and whether it is off the roster (新单位). */
static void
stats_unit_line(const struct stats_ctx *s, const char *unit, int n)
{
	const struct campaign *c = s->campaign;
	bool has_unit = campaign_unit_field(c) != NULL;
	unsigned quota = has_unit ? campaign_unit_quota(c, unit, NULL) :
	    campaign_quota_per_submitter(c);
	const struct campaign_unit *u = has_unit ?
	    campaign_unit_find(c, unit) : NULL;
	size_t nqc = campaign_quota_category_count(c), q;
	GString *extra = g_string_new(NULL);
	int pending = GPOINTER_TO_INT(g_hash_table_lookup(s->unit_pending,
	    unit));

	if (has_unit && campaign_unit_is_new(c, unit))
		g_string_append(extra, "新单位");
	if (pending > 0)
		g_string_append_printf(extra, "%s待核实 %d 件（未计入）",
		    extra->len ? "，" : "", pending);
	if (quota > 0)
		g_string_append_printf(extra, "%s限额 %d/%u%s",
		    extra->len ? "，" : "", n, quota,
		    (unsigned)n > quota ? " 超出" : "");
	for (q = 0; q < nqc; q++) {
		const char *cat;
		unsigned lim;
		int used;

		campaign_quota_category(c, q, &cat, &lim);
		if (has_unit)
			lim = campaign_unit_quota(c, unit, cat);
		if (lim == 0)
			continue;
		used = stats_unit_cat_count(s, unit, cat);
		g_string_append_printf(extra, "%s%s %d/%u%s",
		    extra->len ? "，" : "", cat, used, lim,
		    (unsigned)used > lim ? " 超出" : "");
	}
	for (q = 0; u != NULL && q < u->nmins; q++) {
		int used = stats_unit_cat_count(s, unit, u->mins[q].category);

		if ((unsigned)used < u->mins[q].n)
			g_string_append_printf(extra, "%s%s 至少 %u 件，现 %d 件，"
			    "未达最低", extra->len ? "；" : "",
			    u->mins[q].category, u->mins[q].n, used);
	}
	stats_row(unit, n, extra->len ? extra->str : NULL);
	g_string_free(extra, TRUE);
}

/* Every roster unit first, in the campaign's order and with 0 when it
 * has sent nothing (the office chases those), then the others. */
static void
stats_units(struct stats_ctx *s)
{
	const struct campaign *c = s->campaign;
	GHashTable *shown = g_hash_table_new(g_str_hash, g_str_equal);
	size_t i, nu = campaign_unit_field(c) ? campaign_unit_count(c) : 0;

	for (i = 0; i < nu; i++) {
		const char *name = campaign_unit_at(c, i)->name;

		g_hash_table_add(shown, (gpointer)name);
		stats_unit_line(s, name, GPOINTER_TO_INT(g_hash_table_lookup(
		    s->unit_counts, name)));
	}
	for (i = 0; i < s->units->len; i++) {
		const char *unit = g_ptr_array_index(s->units, i);

		if (g_hash_table_contains(shown, unit))
			continue;
		stats_unit_line(s, unit, GPOINTER_TO_INT(g_hash_table_lookup(
		    s->unit_counts, unit)));
	}
	g_hash_table_destroy(shown);
}

/* The roster units the office chases: those that sent nothing yet
 * (nothing counted, nothing waiting), and those below a minimum of
 * theirs ([policy] min_per_unit_category, a unit's own min.CATEGORY). */
static void
stats_roster_gaps(const struct stats_ctx *s)
{
	const struct campaign *c = s->campaign;
	size_t i, q, nu = campaign_unit_field(c) ? campaign_unit_count(c) : 0;
	GString *none = g_string_new(NULL), *low = g_string_new(NULL);
	unsigned nnone = 0, nlow = 0;

	for (i = 0; i < nu; i++) {
		const struct campaign_unit *u = campaign_unit_at(c, i);
		bool below = false;

		if (GPOINTER_TO_INT(g_hash_table_lookup(s->unit_counts,
		    u->name)) == 0 && GPOINTER_TO_INT(g_hash_table_lookup(
		    s->unit_pending, u->name)) == 0) {
			g_string_append_printf(none, "%s%s", nnone ? "、" : "",
			    u->name);
			nnone++;
		}
		for (q = 0; q < u->nmins; q++) {
			int used = stats_unit_cat_count(s, u->name,
			    u->mins[q].category);
			GString *line;

			if ((unsigned)used >= u->mins[q].n)
				continue;
			line = g_string_new("  ");
			textcell_append_whole(line, u->name, 24);
			g_string_append_printf(line, "  %s 至少 %u 件，现 %d 件\n",
			    u->mins[q].category, u->mins[q].n, used);
			g_string_append(low, line->str);
			g_string_free(line, TRUE);
			below = true;
		}
		nlow += below;
	}
	if (nu > 0) {
		g_autofree char *names = cli_cell(none->str);

		printf("尚未报送的单位（%u 个）:%s%s\n", nnone,
		    nnone ? " " : " 无", names);
	}
	if (nlow > 0)
		printf("未达最低件数的单位（%u 个）:\n%s", nlow, low->str);
	g_string_free(none, TRUE);
	g_string_free(low, TRUE);
}

/* The decisions on senders as lines, their times in the campaign's zone
 * (the database keeps UTC). */
struct stats_senders_ctx {
	GPtrArray *lines;
	GTimeZone *tz;
};

/* One decision on a sender, as a line. */
static int
stats_sender(const struct db_unit_sender *us, void *ctx)
{
	struct stats_senders_ctx *sc = ctx;
	g_autofree char *local = case_time_local(us->decided_at, sc->tz);
	g_autofree char *at = case_time_short(local);
	g_autofree char *by = g_strdup_printf("%s %s %s",
	    strcmp(us->state, DB_UNIT_SENDER_REFUSED) == 0 ? "已拒绝" :
	    "已确认", us->decided_by, at);
	GString *line = g_string_new("  ");
	g_autofree char *unit = cli_cell(us->unit);
	g_autofree char *address = cli_cell(us->address);
	g_autofree char *who = cli_cell(by);

	textcell_append_padded(line, unit, 24);
	g_string_append_c(line, ' ');
	textcell_append_padded(line, address, 30);
	g_string_append_printf(line, " %s", who);
	g_ptr_array_add(sc->lines, g_string_free(line, FALSE));
	return 0;
}

/* Who staff confirmed or refused as speaking for a unit: under
 * sender_check = confirm always, else when they decided any. */
static int
stats_senders(struct db *db, const struct campaign *campaign,
    char **error_r)
{
	GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
	struct stats_senders_ctx sc = { lines, campaign_timezone(campaign) };
	bool confirm = campaign_sender_check(campaign) ==
	    CAMPAIGN_SENDER_CHECK_CONFIRM;
	guint i;

	if (db_unit_sender_list(db, campaign_id(campaign), stats_sender,
	    &sc, error_r) < 0) {
		g_ptr_array_unref(lines);
		return -1;
	}
	if (confirm || lines->len > 0)
		printf("报送邮箱（工作人员核实）:\n");
	for (i = 0; i < lines->len; i++)
		puts(lines->pdata[i]);
	if (confirm && lines->len == 0)
		printf("  （尚无）\n");
	g_ptr_array_unref(lines);
	return 0;
}

/* One reason code's line: how many works, what staff read for it, and
 * the code (reasoncode.h) as subgate records it. */
static int
stats_reason(const char *key, const char *key2, int64_t n, void *ctx)
{
	g_autofree char *label = reasoncode_label(key);
	GString *line = g_string_new(NULL);

	(void)key2;
	(void)ctx;
	g_string_append_printf(line, "  %6lld  ", (long long)n);
	textcell_append_padded(line, label, STATS_REASON_WIDTH);
	g_string_append_printf(line, "  %s", key ? key : "");
	while (line->len > 0 && line->str[line->len - 1] == ' ')
		g_string_truncate(line, line->len - 1);
	puts(line->str);
	g_string_free(line, TRUE);
	return 0;
}

/* The works received: filed (each case) and refused. */
struct stats_works {
	int64_t filed, refused;
};

static int
stats_works(const char *key, const char *key2, int64_t n, void *ctx)
{
	struct stats_works *w = ctx;

	(void)key2;
	if (g_strcmp0(key, "filed") == 0)
		w->filed = n;
	else
		w->refused = n;
	return 0;
}

/* Cloud attachment links not yet downloaded, by how much time is left. */
struct stats_links {
	int64_t pending, expiring, expired;
};

static int
stats_links(const char *key, const char *key2, int64_t n, void *ctx)
{
	struct stats_links *l = ctx;

	(void)key2;
	if (g_strcmp0(key, "expired") == 0)
		l->expired += n;
	else if (g_strcmp0(key, "expiring") == 0)
		l->expiring += n;
	else
		l->pending += n;
	return 0;
}

/* People's questions (question.h): open and done. */
struct stats_questions {
	int64_t open, done;
};

static int
stats_questions(const char *key, const char *key2, int64_t n, void *ctx)
{
	struct stats_questions *q = ctx;

	(void)key2;
	if (g_strcmp0(key, "done") == 0)
		q->done += n;
	else
		q->open += n;
	return 0;
}

static int
stats_reply(const char *key, const char *key2, int64_t n, void *ctx)
{
	g_autofree char *l = g_strdup_printf("%s %s", key ? key : "",
	    key2 ? key2 : "");

	(void)ctx;
	stats_row(l, n, NULL);
	return 0;
}

/* Infected files by signature: what the virus scanner found. */
static int
stats_quarantine_row(const struct db_quarantine *q, void *ctx)
{
	GHashTable *bysig = ctx;
	gpointer n = g_hash_table_lookup(bysig, q->signature);

	g_hash_table_replace(bysig, g_strdup(q->signature),
	    GINT_TO_POINTER(GPOINTER_TO_INT(n) + 1));
	return 0;
}

static int
stats_quarantine(struct db *db, const char *id, char **error_r)
{
	g_autoptr(GHashTable) bysig = g_hash_table_new_full(g_str_hash,
	    g_str_equal, g_free, NULL);
	g_autoptr(GList) keys = NULL;
	GList *l;

	if (db_quarantine_list(db, id, stats_quarantine_row, bysig,
	    error_r) < 0)
		return -1;
	if (g_hash_table_size(bysig) == 0)
		return 0;
	printf("隔离的文件（病毒扫描，subgate quarantine list）:\n");
	keys = g_list_sort(g_hash_table_get_keys(bysig),
	    (GCompareFunc)strcmp);
	/* Signatures are long and all matter: not cut to a column. */
	for (l = keys; l != NULL; l = l->next) {
		g_autofree char *sig = cli_cell(l->data);

		printf("  %6d  %s\n", GPOINTER_TO_INT(g_hash_table_lookup(
		    bysig, l->data)), sig);
	}
	return 0;
}

static int
stats_campaign(struct db *db, const struct campaign *campaign)
{
	struct stats_ctx s = {
		.campaign = campaign,
		.unit_cats = g_hash_table_new_full(g_str_hash, g_str_equal,
		    g_free, NULL),
		.unit_counts = g_hash_table_new_full(g_str_hash, g_str_equal,
		    g_free, NULL),
		.unit_pending = g_hash_table_new_full(g_str_hash, g_str_equal,
		    g_free, NULL),
		.units = g_ptr_array_new_with_free_func(g_free),
	};
	const char *id = campaign_id(campaign);
	g_autofree char *error = NULL;
	struct stats_works works = { 0 };
	struct stats_links links = { 0 };
	struct stats_questions questions = { 0 };
	int ret = 0;

	printf("%s（%s）\n", campaign_name(campaign), id);
	/* Works, not mails: a mail of three works, two filed, is three
	 * received, and its third is among the reasons below. */
	if (db_count(db, DB_COUNT_WORKS, id, stats_works, &works, &error) < 0)
		goto fail;
	printf("作品: 收到 %lld 件，已登记 %lld 件，未登记 %lld 件\n",
	    (long long)(works.filed + works.refused), (long long)works.filed,
	    (long long)works.refused);
	if (db_count(db, DB_COUNT_LINKS, id, stats_links, &links, &error) < 0)
		goto fail;
	/* Staff download them by hand: what is left, and what runs out. */
	if (links.pending + links.expiring + links.expired > 0)
		printf("云附件: 待下载 %lld，%d 小时内到期 %lld，已过期未下载 %lld\n",
		    (long long)(links.pending + links.expiring),
		    CASE_LINK_URGENT_HOURS, (long long)links.expiring,
		    (long long)links.expired);
	if (db_count(db, DB_COUNT_QUESTIONS, id, stats_questions, &questions,
	    &error) < 0)
		goto fail;
	/* Staff answer them by hand: what is still open. */
	if (questions.open + questions.done > 0)
		printf("咨询: 待答复 %lld，已处理 %lld（subgate questions list）\n",
		    (long long)questions.open, (long long)questions.done);
	printf("案卷状态:\n");
	if (db_count(db, DB_COUNT_STATUS, id, stats_status, &s, &error) < 0)
		goto fail;
	printf("按类别:\n");
	if (db_count(db, DB_COUNT_CATEGORY, id, stats_plain, &s, &error) < 0)
		goto fail;
	printf(campaign_unit_field(campaign) ? "按单位（有效件数）:\n" :
	    "按投稿人（有效件数）:\n");
	if (db_count(db, DB_COUNT_UNIT_CATEGORY, id, stats_unit_cat, &s,
	    &error) < 0 ||
	    db_count(db, DB_COUNT_UNIT, id, stats_unit, &s, &error) < 0 ||
	    db_count(db, DB_COUNT_UNIT_PENDING, id, stats_unit_pending, &s,
	    &error) < 0)
		goto fail;
	stats_units(&s);
	stats_roster_gaps(&s);
	if (stats_senders(db, campaign, &error) < 0)
		goto fail;
	printf("邮件处理结果:\n");
	if (db_count(db, DB_COUNT_OUTCOME, id, stats_outcome, &s, &error) < 0)
		goto fail;
	/* By code, not by text: the text names each unit and title, so
	 * the same reason would be a line per unit. */
	printf("未登记原因（按原因代码，每件作品计一次）:\n");
	if (db_count(db, DB_COUNT_REJECTION, id, stats_reason, &s,
	    &error) < 0)
		goto fail;
	if (stats_quarantine(db, id, &error) < 0)
		goto fail;
	printf("回复:\n");
	if (db_count(db, DB_COUNT_REPLY_STATE, id, stats_reply, &s,
	    &error) < 0)
		goto fail;
	goto out;
fail:
	fprintf(stderr, "subgate: %s\n", error);
	ret = -1;
out:
	g_hash_table_unref(s.unit_cats);
	g_hash_table_unref(s.unit_counts);
	g_hash_table_unref(s.unit_pending);
	g_ptr_array_unref(s.units);
	return ret;
}

int
cmd_stats(int argc, char **argv)
{
	struct cli_staff_opts o = { 0 };
	struct cli_state s = { 0 };
	size_t i;
	int first, ret = EX_OK;

	if ((first = cli_staff_parse_opts(argc, argv, &o)) < 0)
		return first == -2 ? EX_OK : EX_USAGE;
	if (first != argc) {
		fprintf(stderr, "subgate stats: unexpected \"%s\"\n",
		    argv[first]);
		return EX_USAGE;
	}
	if (cli_open(o.config, o.store, o.database, &s, &ret) < 0)
		return ret;
	if (o.q.campaign != NULL &&
	    config_campaign_pick(s.config, o.q.campaign) == NULL) {
		cli_close(&s);
		return EX_USAGE;
	}
	for (i = 0; i < s.config->campaign_count; i++) {
		const struct campaign *c = s.config->campaigns[i];

		if (o.q.campaign != NULL &&
		    strcmp(o.q.campaign, campaign_id(c)) != 0)
			continue;
		if (i > 0 && o.q.campaign == NULL)
			putchar('\n');
		if (stats_campaign(s.db, c) < 0)
			ret = EX_TEMPFAIL;
	}
	cli_close(&s);
	return ret;
}
