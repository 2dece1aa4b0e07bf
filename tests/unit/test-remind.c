/*
 * remind and summary: who is reminded before the deadline (the interval,
 * the deadline, the minimums of categories still open, a mailbox on the
 * roster), the deadline as notices write it, the schedule of [remind]
 * at, and the text of both mails, kept as snapshots a person reads in a
 * diff (tests/snapshots/; SUBGATE_UPDATE_SNAPSHOTS=1 rewrites them).
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <gmime/gmime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign.h"
#include "notice.h"
#include "remind.h"
#include "reply.h"
#include "summary.h"
#include "test.h"
#include "unit_minimum.h"

#define CAMPAIGN_TEXT \
	"[campaign]\n" \
	"id = remind-test\n" \
	"name = 我所经历的脱贫攻坚故事\n" \
	"opens = 2020-07-30 00:00\n" \
	"closes = 2020-08-31 23:59:59\n" \
	"contact = info@hnmsw.example.cn\n" \
	"contacts = 谢甜甜（人才就业社保信息报社）15874066157；雷雨（省人社厅）" \
	"0731-84900363\n" \
	"signature = 湖南省人力资源和社会保障厅\n" \
	"staff = staff@hnmsw.example.cn\n" \
	"subject = 扶贫征集-{类别}-{作品名称}-{报送单位}\n" \
	"category_field = 类别\n" \
	"title_field = 作品名称\n" \
	"unit_field = 报送单位\n" \
	"[field 类别]\n" \
	"type = enum\n" \
	"values = 文字类;图片类;视频类\n" \
	"[field 作品名称]\n" \
	"type = text\n" \
	"max = 60\n" \
	"example = 脱贫路上\n" \
	"[field 报送单位]\n" \
	"type = unit\n" \
	"[unit 长沙市人社局]\n" \
	"contact = 张三\n" \
	"senders = Office@cs.example.cn;@cs.example.cn\n" \
	"[unit 株洲市人社局]\n" \
	"senders = @zz.example.cn\n" \
	"[unit 湘潭市人社局]\n" \
	"senders = xt@xt.example.cn\n" \
	"min.视频类 = 2\n" \
	"[policy]\n" \
	"min_per_unit_category = 文字类:1\n" \
	"closes.图片类 = 2020-08-20 24:00\n"

static struct campaign *
load(const char *extra, char **error_r)
{
	g_autofree char *text = g_strconcat(CAMPAIGN_TEXT, extra, NULL);
	struct campaign *c = NULL;

	*error_r = NULL;
	if (campaign_parse("remind-test.campaign", text, strlen(text), NULL,
	    NULL, &c, error_r) < 0)
		return NULL;
	return c;
}

static GDateTime *
at(const char *iso)
{
	return g_date_time_new_from_iso8601(iso, NULL);
}

/* got against tests/snapshots/NAME: equal, or rewritten when asked. */
static void
snapshot(const char *name, const char *got)
{
	g_autofree char *path = g_build_filename("tests", "snapshots", name,
	    NULL);
	g_autofree char *want = NULL, *test = g_strdup_printf("snapshot:%s",
	    name);
	const char *update = getenv("SUBGATE_UPDATE_SNAPSHOTS");

	if (update != NULL && strcmp(update, "1") == 0)
		g_file_set_contents(path, got, -1, NULL);
	if (!g_file_get_contents(path, &want, NULL, NULL))
		want = NULL;
	TEST_CHECK(test, want != NULL && strcmp(want, got) == 0);
	if (want == NULL || strcmp(want, got) != 0) {
		g_autofree char *fresh = g_strconcat(path, ".new", NULL);

		g_file_set_contents(fresh, got, -1, NULL);
		printf("# %s differs: diff -u %s %s\n", name, path, fresh);
	}
}

static void
test_time_text(void)
{
	static const struct {
		const char *t, *now, *want;
	} cases[] = {
		{ "2020-08-31T23:59:59+08:00", "2020-08-24T09:00:00+08:00",
		  "8月31日24时" },
		{ "2020-08-31T23:59:00+08:00", "2020-08-24T09:00:00+08:00",
		  "8月31日24时" },
		/* 2020-08-30 24:00, as the campaign writes it */
		{ "2020-08-31T00:00:00+08:00", "2020-08-24T09:00:00+08:00",
		  "8月30日24时" },
		{ "2020-09-02T18:00:00+08:00", "2020-08-24T09:00:00+08:00",
		  "9月2日18时" },
		{ "2020-09-02T17:30:00+08:00", "2020-08-24T09:00:00+08:00",
		  "9月2日17时30分" },
		/* UTC instants shown in the campaign's zone */
		{ "2020-08-31T15:59:59Z", "2020-08-24T01:00:00Z", "8月31日24时" },
		{ "2021-01-04T00:00:00+08:00", "2020-12-28T09:00:00+08:00",
		  "2021年1月3日24时" },
	};
	g_autoptr(GTimeZone) tz = g_time_zone_new_identifier("Asia/Shanghai");
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GDateTime) t = at(cases[i].t);
		g_autoptr(GDateTime) now = at(cases[i].now);
		g_autofree char *got = remind_time_text(t, tz, now);
		g_autofree char *name = g_strdup_printf("time:%zu", i);

		TEST_CHECK_STR(name, got, cases[i].want);
	}
}

static unsigned
count_fixed(const char *unit, const char *category, void *ctx)
{
	(void)unit;
	(void)ctx;
	return strcmp(category, "视频类") == 0 ? 1 : 0;
}

static void
test_shortfalls(const struct campaign *c)
{
	const struct campaign_unit *xt = campaign_unit_find(c, "湘潭市人社局");
	const struct campaign_unit *cs = campaign_unit_find(c, "长沙市人社局");
	struct unit_shortfall sf[4];
	size_t n;

	TEST_CHECK("minimum:units", xt != NULL && cs != NULL);
	if (xt == NULL || cs == NULL)
		return;
	/* the campaign's 文字类:1 and its own 视频类 2, 1 sent */
	n = unit_minimum_shortfalls(xt, count_fixed, NULL, sf);
	TEST_CHECK("minimum:two", n == 2);
	TEST_CHECK("minimum:text", n == 2 && strcmp(sf[0].category, "文字类")
	    == 0 && sf[0].min == 1 && sf[0].have == 0);
	TEST_CHECK("minimum:video", n == 2 && strcmp(sf[1].category, "视频类")
	    == 0 && sf[1].min == 2 && sf[1].have == 1);
	TEST_CHECK("minimum:count-only",
	    unit_minimum_shortfalls(cs, count_fixed, NULL, NULL) == 1);
}

static enum remind_verdict
verdict(const struct campaign *c, const char *unit,
    const struct remind_tally *t, const char *now_iso, size_t *nshort_r)
{
	const struct campaign_unit *u = campaign_unit_find(c, unit);
	g_autoptr(GDateTime) now = at(now_iso);
	struct unit_shortfall sf[8];
	size_t n = 0;
	enum remind_verdict v;

	g_assert(u != NULL && u->nmins < G_N_ELEMENTS(sf));
	v = remind_unit_verdict(c, u, t, now, sf, &n);
	if (nshort_r != NULL)
		*nshort_r = n;
	return v;
}

static void
test_verdicts(const struct campaign *c)
{
	static const struct remind_count text_one[] = { { "文字类", 1 } };
	static const struct remind_count video_two[] = {
		{ "文字类", 1 }, { "视频类", 2 },
	};
	const char *now = "2020-08-24T09:00:00+08:00";
	g_autoptr(GDateTime) n = at(now);
	struct remind_tally none = { 0 };
	struct remind_tally complete = { 1, 0, text_one, 1, 0, NULL };
	struct remind_tally xt_short = { 1, 0, text_one, 1, 0, NULL };
	struct remind_tally xt_done = { 3, 0, video_two, 2, 0, NULL };
	struct remind_tally recent = { 0 };
	size_t nshort;
	g_auto(GStrv) cs = NULL, zz = NULL;
	static const char *const confirmed_zz[] = { "Clerk@zz.example.cn",
	    NULL };
	static const char *const confirmed_cs[] = { "OFFICE@cs.example.cn",
	    NULL };

	TEST_CHECK("verdict:nothing-sent-due", verdict(c, "长沙市人社局",
	    &none, now, &nshort) == REMIND_DUE && nshort == 1);
	TEST_CHECK("verdict:complete-met", verdict(c, "长沙市人社局",
	    &complete, now, NULL) == REMIND_MET);
	TEST_CHECK("verdict:below-own-minimum-due", verdict(c, "湘潭市人社局",
	    &xt_short, now, &nshort) == REMIND_DUE && nshort == 1);
	TEST_CHECK("verdict:own-minimum-met", verdict(c, "湘潭市人社局",
	    &xt_done, now, NULL) == REMIND_MET);
	TEST_CHECK("verdict:domain-only-no-address", verdict(c,
	    "株洲市人社局", &none, now, NULL) == REMIND_NO_ADDRESS);
	recent.last_reminded = g_date_time_to_unix(n) - 2 * 24 * 3600;
	TEST_CHECK("verdict:within-interval", verdict(c, "长沙市人社局",
	    &recent, now, NULL) == REMIND_RECENT);
	recent.last_reminded = g_date_time_to_unix(n) - 3 * 24 * 3600;
	TEST_CHECK("verdict:interval-over", verdict(c, "长沙市人社局",
	    &recent, now, NULL) == REMIND_DUE);
	cs = remind_unit_addresses(c, campaign_unit_find(c, "长沙市人社局"),
	    NULL);
	TEST_CHECK("addresses:mailboxes-only", cs != NULL &&
	    g_strv_length(cs) == 1 && strcmp(cs[0], "office@cs.example.cn") ==
	    0);
	zz = remind_unit_addresses(c, campaign_unit_find(c, "株洲市人社局"),
	    NULL);
	TEST_CHECK("addresses:domain-none", zz == NULL);
	g_strfreev(zz);
	/* A sender staff confirmed reaches a unit known by its domain, and
	 * one the roster lists is not written to twice. */
	zz = remind_unit_addresses(c, campaign_unit_find(c, "株洲市人社局"),
	    confirmed_zz);
	TEST_CHECK("addresses:confirmed-reached", zz != NULL &&
	    g_strv_length(zz) == 1 && strcmp(zz[0], "clerk@zz.example.cn") == 0);
	g_strfreev(cs);
	cs = remind_unit_addresses(c, campaign_unit_find(c, "长沙市人社局"),
	    confirmed_cs);
	TEST_CHECK("addresses:confirmed-once", cs != NULL &&
	    g_strv_length(cs) == 1);
}

/* A category whose own window has shut is not asked for any more. */
static void
test_category_closed(void)
{
	g_autofree char *err = NULL;
	struct campaign *c = load("min_per_unit_category = 图片类:1\n", &err);
	static const struct remind_count text_one[] = { { "文字类", 1 } };
	struct remind_tally sent = { 1, 0, text_one, 1, 0, NULL };
	size_t nshort = 9;

	/* the key set twice: the loader says so */
	TEST_CHECK("closed:duplicate-key-refused", c == NULL && err != NULL);
	campaign_free(&c);
	g_clear_pointer(&err, g_free);
	{
		g_autofree char *text = g_strdup(CAMPAIGN_TEXT);
		char *p = strstr(text, "min_per_unit_category = 文字类:1");

		memcpy(p, "min_per_unit_category = 图片类:1", strlen(
		    "min_per_unit_category = 图片类:1"));
		if (campaign_parse("closed.campaign", text, strlen(text), NULL,
		    NULL, &c, &err) < 0)
			printf("# %s\n", err);
	}
	TEST_CHECK("closed:loads", c != NULL);
	if (c == NULL)
		return;
	TEST_CHECK("closed:open-category-due", verdict(c, "长沙市人社局",
	    &sent, "2020-08-18T09:00:00+08:00", &nshort) == REMIND_DUE &&
	    nshort == 1);
	TEST_CHECK("closed:shut-category-met", verdict(c, "长沙市人社局",
	    &sent, "2020-08-24T09:00:00+08:00", &nshort) == REMIND_MET &&
	    nshort == 0);
	campaign_free(&c);
}

static void
test_campaign_open(const struct campaign *c)
{
	static const struct {
		const char *now;
		int want;
	} cases[] = {
		{ "2020-07-01T09:00:00+08:00", 0 },	/* not open yet */
		{ "2020-08-24T09:00:00+08:00", 1 },
		{ "2020-08-31T23:59:58+08:00", 1 },
		{ "2020-08-31T23:59:59+08:00", 0 },	/* the deadline */
		{ "2020-09-10T09:00:00+08:00", 0 },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GDateTime) now = at(cases[i].now);
		g_autofree char *name = g_strdup_printf("open:%zu", i);
		const char *why = NULL;

		TEST_CHECK(name, remind_campaign_open(c, now, NULL, &why) ==
		    cases[i].want && (cases[i].want == 1) == (why == NULL));
	}
}

static void
test_points(void)
{
	static const struct {
		const char *now, *want;
	} cases[] = {
		{ "2020-08-24T08:59:59+08:00", NULL },
		{ "2020-08-24T09:00:00+08:00",
		  "7d@2020-08-31T23:59:59+08" },
		{ "2020-08-28T20:00:00+08:00",
		  "7d@2020-08-31T23:59:59+08" },
		{ "2020-08-29T09:00:00+08:00",
		  "2d@2020-08-31T23:59:59+08" },
		/* down for a week: the latest point, once */
		{ "2020-08-30T10:00:00+08:00",
		  "2d@2020-08-31T23:59:59+08" },
		{ "2020-09-01T09:00:00+08:00", NULL },
	};
	g_autofree char *err = NULL;
	struct campaign *c = load("[remind]\nat = 2d 7d\ntime = 09:00\n", &err);
	size_t i;

	TEST_CHECK("points:loads", c != NULL);
	if (c == NULL) {
		printf("# %s\n", err);
		return;
	}
	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GDateTime) now = at(cases[i].now);
		g_autofree char *got = remind_point_due(c, now);
		g_autofree char *name = g_strdup_printf("points:%zu", i);

		if (cases[i].want == NULL)
			TEST_CHECK(name, got == NULL);
		else
			TEST_CHECK(name, got != NULL &&
			    g_str_has_prefix(got, cases[i].want));
	}
	campaign_free(&c);
}

static void
test_config(void)
{
	static const struct {
		const char *extra, *problem;	/* NULL: loads */
	} cases[] = {
		{ "[remind]\ninterval = 36h\nat = 7d\n", NULL },
		{ "[remind]\ninterval = 0\n", NULL },
		{ "[summary]\nat = 08:00\n", NULL },
		{ "[remind]\ninterval = 3 days\n", "[remind] interval" },
		{ "[remind]\nat = 7\n", "[remind] at" },
		{ "[remind]\ntime = 9am\n", "[remind] time" },
		{ "[remind]\nevery = 1d\n", "unknown key" },
		{ "[summary]\nat = 25:00\n", "[summary] at" },
		/* the office's own words, one subject per unit */
		{ "[reply]\nreminder.subject = 【催报】{unit}\n"
		  "reminder.body = {unit}：请于{deadline}前报送。{missing}\n",
		  NULL },
		{ "[reply]\nreminder.subject = 【催报】\n",
		  "needs {unit} or {ref}" },
		{ "[reply]\nreminder.subject = 【催报】{unit}{receipt}\n",
		  "{receipt} is empty for reminders" },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *err = NULL;
		struct campaign *c = load(cases[i].extra, &err);
		g_autofree char *name = g_strdup_printf("config:%zu", i);

		if (cases[i].problem == NULL)
			TEST_CHECK(name, c != NULL);
		else
			TEST_CHECK(name, c == NULL && err != NULL &&
			    strstr(err, cases[i].problem) != NULL);
		if (c == NULL && cases[i].problem == NULL)
			printf("# %s\n", err);
		campaign_free(&c);
	}
	{
		g_autofree char *err = NULL;
		struct campaign *c = load("[remind]\ninterval = 36h\nat = 7d 2d "
		    "7d\n[summary]\nat = 08:30\n", &err);
		const unsigned *days = NULL;

		TEST_CHECK("config:values", c != NULL &&
		    campaign_remind_interval(c) == 36 * 3600 &&
		    campaign_remind_points(c, &days) == 2 && days[0] == 7 &&
		    days[1] == 2 && campaign_remind_time(c) == 9 * 3600 &&
		    campaign_summary_at(c) == 8 * 3600 + 30 * 60);
		campaign_free(&c);
		c = load("", &err);
		TEST_CHECK("config:defaults", c != NULL &&
		    campaign_remind_interval(c) == 3 * 24 * 3600 &&
		    campaign_remind_points(c, &days) == 0 &&
		    campaign_summary_at(c) == -1);
		campaign_free(&c);
	}
}

/* The reminder as the unit reads it: subject, then text. */
static char *
reminder_text(const struct campaign *c, const char *unit_name,
    const struct remind_tally *t, const char *now_iso)
{
	const struct campaign_unit *u = campaign_unit_find(c, unit_name);
	g_autoptr(GDateTime) now = at(now_iso);
	struct unit_shortfall sf[8];
	size_t nshort = 0;
	g_autofree char *counts = NULL, *missing = NULL, *how = NULL;
	g_autofree char *format = NULL, *example = NULL, *deadline = NULL;
	g_autofree char *subject = NULL, *text = NULL;
	struct reply r;

	(void)remind_unit_verdict(c, u, t, now, sf, &nshort);
	counts = remind_counts_text(c, t, now);
	missing = remind_missing_text(c, sf, nshort);
	remind_how(c, u->name, &how, &format, &example);
	deadline = remind_time_text(campaign_closes(c), campaign_timezone(c),
	    now);
	r = (struct reply){
		.kind = REPLY_REMINDER, .campaign_name = campaign_name(c),
		.contact = campaign_contact(c), .from = "gw@example.cn",
		.to = "office@cs.example.cn", .to_name = u->contact,
		.orig_message_id = "", .orig_references = "", .arrival = "",
		.token = "0123456789abcdef01234567", .deadline = deadline,
		.format = format, .example = example, .campaign = c,
		.unit = u->name, .counts = counts, .missing = missing,
		.how = how,
	};
	reply_render(&r, &subject, &text);
	return g_strdup_printf("主题：%s\n\n%s", subject, text);
}

static void
test_reminder_text(const struct campaign *c)
{
	static const struct remind_count some[] = {
		{ "视频类", 1 },
	};
	struct remind_tally none = { 0 };
	struct remind_tally xt = { 1, 1, some, 1, 0, NULL };
	g_autofree char *a = reminder_text(c, "长沙市人社局", &none,
	    "2020-08-24T09:00:00+08:00");
	g_autofree char *b = reminder_text(c, "湘潭市人社局", &xt,
	    "2020-08-29T09:00:00+08:00");
	g_autofree char *both = g_strconcat(a, "\n==========\n\n", b, NULL);

	snapshot("reminder.txt", both);
	{
		g_autofree char *err = NULL;
		struct campaign *own = load("[reply]\nreminder.subject = "
		    "【催报】{unit}\nreminder.body = {unit}：请于{deadline}前"
		    "报送。\\n{missing}", &err);
		g_autofree char *o = own != NULL ? reminder_text(own,
		    "长沙市人社局", &none, "2020-08-24T09:00:00+08:00") : NULL;

		TEST_CHECK_STR("reminder:campaign-wording", o,
		    "主题：【催报】长沙市人社局\n\n长沙市人社局：请于8月31日24时前"
		    "报送。\n  · 文字类：至少 1 件，现有 0 件，还差 1 件\n");
		campaign_free(&own);
	}
	TEST_CHECK("reminder:no-program-name", strstr(both, "subgate") ==
	    NULL);
	TEST_CHECK("reminder:deadline", strstr(a, "8月31日24时截止") != NULL);
	TEST_CHECK("reminder:unit-in-example",
	    strstr(a, "示例：扶贫征集-") != NULL &&
	    strstr(a, "-长沙市人社局\n") != NULL);
	TEST_CHECK("reminder:contacts", strstr(a, "联系人：谢甜甜") != NULL &&
	    strstr(a, "湖南省人力资源和社会保障厅") != NULL);
	TEST_CHECK("reminder:missing", strstr(b, "视频类：至少 2 件，现有 1 件，"
	    "还差 1 件") != NULL);
	TEST_CHECK("reminder:pending", strstr(b, "另有 1 件待核实") != NULL);
}

/* The reminder on the wire: generated, not a reply, and no thread. */
static void
test_reminder_mail(const struct campaign *c)
{
	struct reply r = {
		.kind = REPLY_REMINDER, .campaign_name = campaign_name(c),
		.from = "gw@example.cn", .to = "office@cs.example.cn",
		.orig_message_id = "", .orig_references = "", .arrival = "",
		.token = "0123456789abcdef01234567", .deadline = "8月31日24时",
		.campaign = c, .unit = "长沙市人社局", .counts = "…",
		.how = "",
	};
	g_autofree char *data = NULL, *id = NULL, *error = NULL;
	size_t len;

	TEST_CHECK("mail:compose", reply_compose(&r, &data, &len, &id,
	    &error) == 0);
	TEST_CHECK("mail:generated", data != NULL &&
	    strstr(data, "Auto-Submitted: auto-generated") != NULL);
	TEST_CHECK("mail:no-thread", data != NULL &&
	    strstr(data, "In-Reply-To") == NULL);
	TEST_CHECK("mail:id-kind", id != NULL &&
	    g_str_has_prefix(id, "reminder."));
	TEST_CHECK("mail:not-refusal", !reply_kind_is_refusal(REPLY_REMINDER));
}

static void
test_summary_text(void)
{
	static const struct summary_count outcomes[] = {
		{ "accepted", 3 }, { "rejected", 1 }, { "question", 1 },
	};
	static const struct summary_count categories[] = {
		{ "文字类", 2 }, { "视频类", 1 },
	};
	static const struct summary_count units[] = {
		{ "长沙市人社局", 2 }, { "湘潭市人社局", 1 },
	};
	static const struct summary_question questions[] = {
		{ "clerk@xt.example.cn", "回复：【请更正】扶贫征集-视频",
		  "请问视频超过8分钟怎么办？\n谢谢", "8月23日 15:20" },
	};
	static const struct summary_unit pending[] = {
		{ "株洲市人社局", "尚未报送（应报文字类至少 1 件）" },
		{ "湘潭市人社局", "视频类 至少 2 件，现 1 件" },
	};
	static const struct summary_link links[] = {
		{ "REMINDTEST-00002", "山乡巨变.mp4", "QQ邮箱", "8月25日 10:30",
		  false },
		{ "REMINDTEST-00001", NULL, "百度网盘", "8月22日 09:00", true },
	};
	struct summary s = {
		.campaign_name = "我所经历的脱贫攻坚故事", .day = "8月24日",
		.since = "8月23日 08:00", .until = "8月24日 08:00",
		.since_last = true, .deadline = "8月31日24时",
		.outcomes = outcomes, .noutcomes = G_N_ELEMENTS(outcomes),
		.categories = categories,
		.ncategories = G_N_ELEMENTS(categories),
		.units = units, .nunits = G_N_ELEMENTS(units), .by_unit = true,
		.questions = questions, .nquestions = 1,
		.pending = pending, .npending = 2, .roster_units = 3,
		.links = links, .nlinks = 2,
	};
	struct summary empty = {
		.campaign_name = "我所经历的脱贫攻坚故事", .day = "8月25日",
		.since = "8月24日 08:00", .until = "8月25日 08:00",
		.roster_units = 3,
	};
	g_autofree char *subject = summary_subject(&s);
	g_autofree char *text = summary_text(&s);
	g_autofree char *quiet = summary_text(&empty);
	g_autofree char *both = g_strdup_printf("主题：%s\n\n%s\n==========\n\n%s",
	    subject, text, quiet);
	struct summary_mail m = {
		.from = "gw@example.cn", .staff = "staff@example.cn",
		.subject = subject, .text = text,
		.token = "0123456789abcdef01234567",
	};
	g_autofree char *data = NULL, *id = NULL, *error = NULL;
	size_t len;

	snapshot("summary.txt", both);
	TEST_CHECK("summary:no-program-name", strstr(both, "subgate") == NULL);
	TEST_CHECK("summary:question-one-line",
	    strstr(text, "8分钟怎么办？ 谢谢") != NULL);
	TEST_CHECK("summary:compose", summary_compose(&m, &data, &len, &id,
	    &error) == 0 && strstr(data, "Auto-Submitted: auto-generated") !=
	    NULL && g_str_has_prefix(id, SUMMARY_KIND "."));
}

/* What the summary says of a unit: a unit that sent works still waiting
 * for its sender to be confirmed has not "sent nothing". */
static void
test_unit_pending(void)
{
	static const struct campaign_limit mins[] = { { "新媒体作品", 1 } };
	static const struct remind_count one[] = { { "新媒体作品", 1 } };
	const struct campaign_unit u = { .name = "溧阳市委组织部", .mins = mins,
	    .nmins = 1 };
	struct remind_tally none = { 0 }, waiting = { .pending = 2 };
	struct remind_tally met = { .total = 1, .counts = one, .ncounts = 1 };
	g_autofree char *a = notice_unit_pending(&u, &none);
	g_autofree char *b = notice_unit_pending(&u, &waiting);
	g_autofree char *c = notice_unit_pending(&u, &met);

	TEST_CHECK_STR("pending:nothing-sent", a,
	    "尚未报送（应报新媒体作品至少 1 件）");
	TEST_CHECK_STR("pending:waiting-not-silent", b,
	    "新媒体作品 至少 1 件，现 0 件；另有待核实 2 件（确认发件邮箱后计入）");
	TEST_CHECK("pending:met", c == NULL);
}

int
main(void)
{
	g_autofree char *err = NULL;
	struct campaign *c;

	g_mime_init();
	c = load("", &err);
	TEST_CHECK("campaign:loads", c != NULL);
	if (c == NULL) {
		printf("# %s\n", err);
		return TEST_EXIT();
	}
	test_time_text();
	test_shortfalls(c);
	test_verdicts(c);
	test_category_closed();
	test_campaign_open(c);
	test_points();
	test_config();
	test_reminder_text(c);
	test_reminder_mail(c);
	test_summary_text();
	test_unit_pending();
	campaign_free(&c);
	g_mime_shutdown();
	return TEST_EXIT();
}
