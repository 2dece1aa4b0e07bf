/* remind: see include/remind.h. */
#include <string.h>

#include "campaign.h"
#include "grammar.h"
#include "remind.h"

/* Examples tried for one that can carry the unit's own name: the
 * grammar cycles through its values and examples. */
#define REMIND_EXAMPLE_TRIES	8

const char *
remind_verdict_name(enum remind_verdict v)
{
	static const char *const names[] = {
		[REMIND_DUE] = "due",
		[REMIND_MET] = "met",
		[REMIND_NO_ADDRESS] = "no-address",
		[REMIND_RECENT] = "recent",
	};

	g_assert((size_t)v < G_N_ELEMENTS(names));
	return names[v];
}

int
remind_campaign_open(const struct campaign *c, GDateTime *now,
    GDateTime **deadline_r, const char **why_r)
{
	GDateTime *closes = campaign_closes_for(c, NULL, NULL);

	if (deadline_r != NULL)
		*deadline_r = closes;
	*why_r = NULL;
	if (campaign_unit_field(c) == NULL || campaign_unit_count(c) == 0)
		*why_r = "the campaign has no roster of units to remind";
	else if (closes == NULL)
		*why_r = "the campaign has no deadline";
	else if (campaign_window(c, now) < 0)
		*why_r = "the campaign is not open yet";
	else if (g_date_time_compare(now, closes) >= 0)
		*why_r = "the campaign is past its deadline";
	return *why_r == NULL;
}

unsigned
remind_tally_count(const char *unit, const char *category, void *ctx)
{
	const struct remind_tally *t = ctx;
	size_t i;

	(void)unit;
	for (i = 0; i < t->ncounts; i++)
		if (g_strcmp0(t->counts[i].category, category) == 0)
			return t->counts[i].n;
	return 0;
}

enum remind_verdict
remind_unit_verdict(const struct campaign *c, const struct campaign_unit *u,
    const struct remind_tally *t, GDateTime *now,
    struct unit_shortfall *short_r, size_t *nshort_r)
{
	size_t n = unit_minimum_shortfalls(u, remind_tally_count, (void *)t,
	    short_r), i, kept = 0;
	g_auto(GStrv) addresses = NULL;
	int64_t interval = campaign_remind_interval(c);

	/* A category whose own window is shut is no longer asked for. */
	for (i = 0; i < n; i++)
		if (campaign_window_for(c, short_r[i].category, now, NULL,
		    NULL) == 0)
			short_r[kept++] = short_r[i];
	*nshort_r = kept;
	if (t->total > 0 && kept == 0)
		return REMIND_MET;
	addresses = remind_unit_addresses(c, u, t->confirmed);
	if (addresses == NULL)
		return REMIND_NO_ADDRESS;
	if (t->last_reminded > 0 && interval > 0 &&
	    g_date_time_to_unix(now) - t->last_reminded < interval)
		return REMIND_RECENT;
	return REMIND_DUE;
}

/* address, lower case, into out unless it is there already. */
static void
address_add(GPtrArray *out, const char *address)
{
	char *a = g_ascii_strdown(address, -1);

	if (g_ptr_array_find_with_equal_func(out, a, g_str_equal, NULL))
		g_free(a);
	else
		g_ptr_array_add(out, a);
}

char **
remind_unit_addresses(const struct campaign *c, const struct campaign_unit *u,
    const char *const *confirmed)
{
	const char *const *listed = NULL;
	GPtrArray *out;
	size_t i;

	(void)campaign_sender_allowed(c, u->name, "", &listed);
	out = g_ptr_array_new();
	for (i = 0; listed != NULL && listed[i] != NULL; i++)
		if (listed[i][0] != '@')
			address_add(out, listed[i]);
	for (i = 0; confirmed != NULL && confirmed[i] != NULL; i++)
		if (strchr(confirmed[i], '@') != NULL && confirmed[i][0] != '@')
			address_add(out, confirmed[i]);
	if (out->len == 0) {
		g_ptr_array_free(out, TRUE);
		return NULL;
	}
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(out, FALSE);
}

char *
remind_time_text(GDateTime *t, GTimeZone *tz, GDateTime *now)
{
	g_autoptr(GDateTime) local = g_date_time_to_timezone(t, tz);
	g_autoptr(GDateTime) local_now = g_date_time_to_timezone(now, tz);
	g_autoptr(GDateTime) day = NULL;
	int h = g_date_time_get_hour(local), m = g_date_time_get_minute(local);
	int s = g_date_time_get_second(local);
	g_autofree char *clock = NULL;
	GString *out = g_string_new(NULL);

	/* Midnight ends the day before, and a minute to midnight ends its
	 * own: both are that day's 24时, as notices write it. */
	if (h == 0 && m == 0 && s == 0) {
		day = g_date_time_add_days(local, -1);
		clock = g_strdup("24时");
	} else if (h == 23 && m == 59) {
		day = g_date_time_ref(local);
		clock = g_strdup("24时");
	} else {
		day = g_date_time_ref(local);
		clock = m == 0 ? g_strdup_printf("%d时", h) :
		    g_strdup_printf("%d时%d分", h, m);
	}
	if (g_date_time_get_year(day) != g_date_time_get_year(local_now))
		g_string_append_printf(out, "%d年", g_date_time_get_year(day));
	g_string_append_printf(out, "%d月%d日%s", g_date_time_get_month(day),
	    g_date_time_get_day_of_month(day), clock);
	return g_string_free(out, FALSE);
}

char *
remind_counts_text(const struct campaign *c, const struct remind_tally *t,
    GDateTime *now)
{
	g_autofree char *asof = remind_time_text(now, campaign_timezone(c),
	    now);
	GString *out = g_string_new(NULL);
	size_t i, listed = 0;

	if (t->total == 0) {
		g_string_append_printf(out, "截至%s，本征集邮箱尚未收到贵单位报送"
		    "的作品。", asof);
	} else {
		g_string_append_printf(out, "截至%s，已登记贵单位报送的作品 %u 件",
		    asof, t->total);
		for (i = 0; campaign_category_field(c) != NULL &&
		    i < t->ncounts; i++) {
			if (t->counts[i].category == NULL || t->counts[i].n == 0)
				continue;
			g_string_append_printf(out, "%s%s %u 件", listed++ ?
			    "、" : "（", t->counts[i].category, t->counts[i].n);
		}
		g_string_append(out, listed ? "）。" : "。");
	}
	if (t->pending > 0)
		g_string_append_printf(out, "另有 %u 件待核实（发件邮箱尚待工作人员"
		    "确认），确认后计入。", t->pending);
	return g_string_free(out, FALSE);
}

char *
remind_missing_text(const struct campaign *c,
    const struct unit_shortfall *shortfalls, size_t nshort)
{
	GString *out;
	size_t i;

	if (nshort == 0)
		return NULL;
	out = g_string_new(NULL);
	for (i = 0; i < nshort; i++) {
		const struct unit_shortfall *s = &shortfalls[i];
		const char *own = NULL;
		GDateTime *closes = campaign_closes_for(c, s->category, &own);

		g_string_append_printf(out, "  · %s：至少 %u 件，现有 %u 件，"
		    "还差 %u 件", s->category, s->min, s->have,
		    s->min - s->have);
		/* A category of its own deadline says it. */
		if (own != NULL && closes != NULL) {
			g_autofree char *when = remind_time_text(closes,
			    campaign_timezone(c), closes);

			g_string_append_printf(out, "（%s截止）", when);
		}
		g_string_append_c(out, '\n');
	}
	return g_string_free(out, FALSE);
}

/* The convention a reminder explains: the subject's, else the file
 * names'. */
static const struct grammar *
remind_grammar(const struct campaign *c)
{
	const struct grammar *g = campaign_grammar(c,
	    campaign_scope(c) == CONVENTION_FILENAME ? GRAMMAR_FILENAME :
	    GRAMMAR_SUBJECT);

	return g != NULL ? g : campaign_grammar(c, GRAMMAR_FILENAME);
}

/* The format without the unit field's list of every unit: its line says
 * which name this unit writes. */
static char *
remind_format(const struct campaign *c, const struct grammar *g,
    const char *unit)
{
	g_auto(GStrv) lines = g_strsplit(grammar_format(g), "\n", -1);
	g_autofree char *prefix = g_strdup_printf("· %s：",
	    campaign_unit_field(c) ? campaign_unit_field(c) : "");
	GString *out = g_string_new(NULL);
	size_t i;

	for (i = 0; lines[i] != NULL; i++) {
		if (*lines[i] == '\0')
			continue;
		if (out->len > 0)
			g_string_append_c(out, '\n');
		if (campaign_unit_field(c) != NULL &&
		    g_str_has_prefix(g_strchug(lines[i]), prefix))
			g_string_append_printf(out, "%s贵单位请写“%s”", prefix,
			    unit);
		else
			g_string_append(out, lines[i]);
	}
	return g_string_free(out, FALSE);
}

/* An example of the convention naming unit: a generated example whose
 * unit value is replaced, kept only when it still matches with unit in
 * the unit field; else the plain example. */
static char *
remind_example(const struct campaign *c, const struct grammar *g,
    const char *unit)
{
	const char *field = campaign_unit_field(c);
	unsigned n;

	for (n = 0; field != NULL && n < REMIND_EXAMPLE_TRIES; n++) {
		g_autofree char *ex = grammar_example(g, n), *error = NULL;
		struct grammar_result *res = NULL;
		const char *typed = NULL, *name;
		GString *swapped;
		size_t i;
		char *at;
		bool ok;

		if (ex == NULL || grammar_match(g, ex, &res, &error) != 1)
			continue;
		for (i = 0; i < grammar_result_field_count(res); i++) {
			grammar_result_field(res, i, &name, NULL, &typed);
			if (strcmp(name, field) == 0)
				break;
		}
		at = i < grammar_result_field_count(res) && typed != NULL &&
		    *typed != '\0' ? strstr(ex, typed) : NULL;
		if (at == NULL) {
			grammar_result_free(&res);
			continue;
		}
		swapped = g_string_new_len(ex, at - ex);
		g_string_append(swapped, unit);
		g_string_append(swapped, at + strlen(typed));
		grammar_result_free(&res);
		ok = grammar_match(g, swapped->str, &res, &error) == 1 &&
		    g_strcmp0(grammar_result_get(res, field), unit) == 0;
		grammar_result_free(&res);
		if (ok)
			return g_string_free(swapped, FALSE);
		g_string_free(swapped, TRUE);
	}
	return grammar_example(g, 0);
}

void
remind_how(const struct campaign *c, const char *unit, char **how_r,
    char **format_r, char **example_r)
{
	const struct grammar *g = remind_grammar(c);
	enum convention_scope scope = campaign_scope(c);

	*format_r = NULL;
	*example_r = NULL;
	if (g == NULL) {
		*how_r = g_strdup("");
		return;
	}
	if (grammar_target(g) == GRAMMAR_FILENAME)
		*how_r = g_strdup("作品附件的文件名请按以下格式命名：");
	else if (scope == CONVENTION_BOTH)
		*how_r = g_strdup("邮件主题和作品附件的文件名均请按以下格式填写：");
	else if (scope == CONVENTION_EITHER)
		*how_r = g_strdup("邮件主题（或作品附件的文件名）请按以下格式填写：");
	else
		*how_r = g_strdup("邮件主题请按以下格式填写：");
	*format_r = remind_format(c, g, unit);
	*example_r = remind_example(c, g, unit);
}

/* The day a deadline ends: 24:00 (the next midnight) ends the day
 * before. */
static GDateTime *
remind_deadline_day(GDateTime *closes, GTimeZone *tz)
{
	g_autoptr(GDateTime) local = g_date_time_to_timezone(closes, tz);
	g_autoptr(GDateTime) before = g_date_time_add_seconds(local, -1);

	return g_date_time_new(tz, g_date_time_get_year(before),
	    g_date_time_get_month(before),
	    g_date_time_get_day_of_month(before), 0, 0, 0);
}

char *
remind_point_due(const struct campaign *c, GDateTime *now)
{
	const unsigned *days;
	size_t n = campaign_remind_points(c, &days), i;
	GDateTime *closes = campaign_closes_for(c, NULL, NULL);
	g_autoptr(GDateTime) day = NULL;
	char *key = NULL;

	if (n == 0 || closes == NULL || g_date_time_compare(now, closes) >= 0)
		return NULL;
	day = remind_deadline_day(closes, campaign_timezone(c));
	/* Most days first: the last point whose time has come wins, so a
	 * gateway down for a week sends one reminder, not every one it
	 * missed. */
	for (i = 0; i < n; i++) {
		g_autoptr(GDateTime) d = g_date_time_add_days(day,
		    -(gint)days[i]);
		g_autoptr(GDateTime) at = g_date_time_add_seconds(d,
		    campaign_remind_time(c));

		if (g_date_time_compare(at, now) > 0 ||
		    g_date_time_compare(at, closes) >= 0)
			continue;
		g_free(key);
		{
			g_autoptr(GDateTime) lc = g_date_time_to_timezone(closes,
			    campaign_timezone(c));
			g_autofree char *iso = g_date_time_format_iso8601(lc);

			key = g_strdup_printf("%ud@%s", days[i], iso);
		}
	}
	return key;
}
