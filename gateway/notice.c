/* notice: see include/notice.h. */
#include <string.h>

#include <glib.h>

#include "campaign.h"
#include "cloudlink.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "notice.h"
#include "remind.h"
#include "reply.h"
#include "summary.h"
#include "unit_minimum.h"

/* Summaries further back than this are not caught up: the period starts
 * at most this long before now. */
#define NOTICE_SUMMARY_MAX_SPAN	(7 * 24 * 3600)

/* ------------------------------------------------------------------ */
/* each unit's works, from the database */

struct notice_unit {
	struct remind_tally t;
	GArray *counts;			/* struct remind_count */
	GPtrArray *confirmed;		/* its senders staff confirmed */
};

struct notice_tally {
	GHashTable *units;		/* unit -> struct notice_unit */
	GPtrArray *owned;		/* category names */
};

static void
notice_unit_free(gpointer p)
{
	struct notice_unit *u = p;

	g_array_free(u->counts, TRUE);
	if (u->confirmed != NULL)
		g_ptr_array_free(u->confirmed, TRUE);
	g_free(u);
}

static struct notice_unit *
notice_unit_get(struct notice_tally *tally, const char *unit)
{
	struct notice_unit *u = g_hash_table_lookup(tally->units,
	    unit ? unit : "");

	if (u == NULL) {
		u = g_new0(struct notice_unit, 1);
		u->counts = g_array_new(FALSE, FALSE,
		    sizeof(struct remind_count));
		g_hash_table_insert(tally->units, g_strdup(unit ? unit : ""),
		    u);
	}
	return u;
}

static int
notice_count_category(const char *unit, const char *category, int64_t n,
    void *ctx)
{
	struct notice_tally *tally = ctx;
	struct notice_unit *u = notice_unit_get(tally, unit);
	struct remind_count rc = { NULL, (unsigned)n };

	if (category != NULL) {
		rc.category = g_strdup(category);
		g_ptr_array_add(tally->owned, (char *)rc.category);
	}
	g_array_append_val(u->counts, rc);
	return 0;
}

static int
notice_count_total(const char *unit, const char *key2, int64_t n, void *ctx)
{
	(void)key2;
	notice_unit_get(ctx, unit)->t.total = (unsigned)n;
	return 0;
}

static int
notice_count_pending(const char *unit, const char *key2, int64_t n,
    void *ctx)
{
	(void)key2;
	notice_unit_get(ctx, unit)->t.pending = (unsigned)n;
	return 0;
}

static int
notice_count_reminded(const char *unit, int64_t at, void *ctx)
{
	notice_unit_get(ctx, unit)->t.last_reminded = at;
	return 0;
}

static int
notice_confirmed_sender(const struct db_unit_sender *s, void *ctx)
{
	struct notice_unit *u;

	if (strcmp(s->state, DB_UNIT_SENDER_CONFIRMED) != 0 ||
	    s->unit == NULL || s->address == NULL)
		return 0;
	u = notice_unit_get(ctx, s->unit);
	if (u->confirmed == NULL)
		u->confirmed = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(u->confirmed, g_strdup(s->address));
	return 0;
}

static void
notice_tally_clear(struct notice_tally *tally)
{
	g_clear_pointer(&tally->units, g_hash_table_unref);
	if (tally->owned != NULL)
		g_ptr_array_free(tally->owned, TRUE);
	tally->owned = NULL;
}

/* The works that count per unit and category (as stats counts them),
 * the pending ones, and when each unit was last reminded. */
static int
notice_tally_load(struct db *db, const struct campaign *c,
    struct notice_tally *tally, char **error_r)
{
	const char *id = campaign_id(c);
	GHashTableIter it;
	gpointer v;

	tally->units = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    notice_unit_free);
	tally->owned = g_ptr_array_new_with_free_func(g_free);
	if (db_count(db, DB_COUNT_UNIT_CATEGORY, id, notice_count_category,
	    tally, error_r) < 0 ||
	    db_count(db, DB_COUNT_UNIT, id, notice_count_total, tally,
	    error_r) < 0 ||
	    db_count(db, DB_COUNT_UNIT_PENDING, id, notice_count_pending,
	    tally, error_r) < 0 ||
	    db_notice_reminded(db, id, notice_count_reminded, tally,
	    error_r) < 0 ||
	    db_unit_sender_list(db, id, notice_confirmed_sender, tally,
	    error_r) < 0)
		return -1;
	g_hash_table_iter_init(&it, tally->units);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		struct notice_unit *u = v;

		u->t.counts = (const struct remind_count *)u->counts->data;
		u->t.ncounts = u->counts->len;
		if (u->confirmed != NULL) {
			g_ptr_array_add(u->confirmed, NULL);
			u->t.confirmed = (const char *const *)
			    u->confirmed->pdata;
		}
	}
	return 0;
}

static const struct remind_tally *
notice_tally_of(const struct notice_tally *tally, const char *unit)
{
	static const struct remind_tally none;
	const struct notice_unit *u = g_hash_table_lookup(tally->units, unit);

	return u != NULL ? &u->t : &none;
}

/* A token for a Message-ID: unique per mail, and nothing a stranger
 * could learn from. */
static char *
notice_token(const char *a, const char *b, const char *c, GDateTime *now)
{
	g_autofree char *seed = g_strdup_printf("%s\n%s\n%s\n%lld", a,
	    b ? b : "", c ? c : "", (long long)g_date_time_to_unix(now));
	char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, seed, -1);

	sum[24] = '\0';
	return sum;
}

/* "8月24日 08:00": a time as staff read it, in the campaign's zone. */
static char *
notice_when(GDateTime *t, GTimeZone *tz)
{
	g_autoptr(GDateTime) local = g_date_time_to_timezone(t, tz);

	return g_strdup_printf("%d月%d日 %02d:%02d",
	    g_date_time_get_month(local), g_date_time_get_day_of_month(local),
	    g_date_time_get_hour(local), g_date_time_get_minute(local));
}

static char *
notice_when_iso(const char *iso, GTimeZone *tz)
{
	g_autoptr(GTimeZone) utc = g_time_zone_new_utc();
	g_autoptr(GDateTime) t = iso != NULL ?
	    g_date_time_new_from_iso8601(iso, utc) : NULL;

	return t != NULL ? notice_when(t, tz) : g_strdup(iso ? iso : "");
}

static char *
notice_utc_text(GDateTime *t)
{
	g_autoptr(GDateTime) utc = g_date_time_to_utc(t);

	return g_date_time_format(utc, "%Y-%m-%dT%H:%M:%SZ");
}

/* ------------------------------------------------------------------ */
/* reminders */

struct notice_remind_run {
	struct db *db;
	const struct config *config;
	const struct campaign *c;
	GDateTime *now;
	const char *point;
	bool dry_run;
	notice_report_fn *report;
	void *ctx;
	char *deadline;			/* 8月31日24时 */
	unsigned queued;
};

static void
notice_report(const struct notice_remind_run *run,
    const struct notice_item *item)
{
	if (run->report != NULL)
		run->report(item, run->ctx);
}

/* One mail to one mailbox of a unit due: composed, and queued with its
 * record unless this is a dry run. */
static int
notice_remind_mail(struct notice_remind_run *run,
    const struct campaign_unit *u, const struct reply *tmpl,
    const char *address, char **error_r)
{
	struct reply r = *tmpl;
	g_autofree char *token = notice_token(campaign_id(run->c), u->name,
	    address, run->now);
	g_autofree char *subject = NULL, *text = NULL, *data = NULL;
	g_autofree char *id = NULL;
	struct notice_item item = {
		.kind = DB_NOTICE_REMINDER, .campaign = campaign_id(run->c),
		.unit = u->name, .verdict = remind_verdict_name(REMIND_DUE),
		.recipient = address,
	};
	size_t len;

	r.to = address;
	r.token = token;
	reply_render(&r, &subject, &text);
	item.subject = subject;
	item.text = text;
	if (!run->dry_run) {
		struct db_notice n = {
			.kind = DB_NOTICE_REMINDER,
			.campaign = campaign_id(run->c), .unit = u->name,
			.point = run->point, .recipient = address,
		};

		if (reply_compose(&r, &data, &len, &id, error_r) < 0)
			return -1;
		n.reply_message_id = id;
		n.data = data;
		n.len = len;
		if (db_notice_add(run->db, &n, error_r) < 0)
			return -1;
		run->queued++;
	}
	notice_report(run, &item);
	return 0;
}

/* One unit: its verdict, and the reminder to each of its mailboxes when
 * it is due. */
static int
notice_remind_unit(struct notice_remind_run *run,
    const struct campaign_unit *u, const struct remind_tally *t,
    char **error_r)
{
	const struct campaign *c = run->c;
	struct unit_shortfall *shortfalls = g_new0(struct unit_shortfall,
	    u->nmins + 1);
	size_t nshort = 0, i;
	enum remind_verdict v = remind_unit_verdict(c, u, t, run->now,
	    shortfalls, &nshort);
	g_auto(GStrv) addresses = NULL;
	g_autofree char *counts = NULL, *missing = NULL, *how = NULL;
	g_autofree char *format = NULL, *example = NULL, *error = NULL;
	struct reply r;
	int ret = 0;

	if (v != REMIND_DUE) {
		struct notice_item item = {
			.kind = DB_NOTICE_REMINDER, .campaign = campaign_id(c),
			.unit = u->name, .verdict = remind_verdict_name(v),
		};

		notice_report(run, &item);
		g_free(shortfalls);
		return 0;
	}
	addresses = remind_unit_addresses(c, u, t->confirmed);
	counts = remind_counts_text(c, t, run->now);
	missing = remind_missing_text(c, shortfalls, nshort);
	remind_how(c, u->name, &how, &format, &example);
	r = (struct reply){
		.kind = REPLY_REMINDER, .campaign_name = campaign_name(c),
		.contact = campaign_contact(c),
		.from = run->config->smtp.from ? run->config->smtp.from : "",
		.from_name = run->config->smtp.from_name, .to_name = u->contact,
		.orig_message_id = "", .orig_references = "", .arrival = "",
		.deadline = run->deadline, .format = format, .example = example,
		.campaign = c, .unit = u->name, .counts = counts,
		.missing = missing, .how = how,
	};
	for (i = 0; addresses[i] != NULL && ret == 0; i++)
		ret = notice_remind_mail(run, u, &r, addresses[i], &error);
	if (ret < 0)
		*error_r = g_strdup_printf("the reminder to %s: %s", u->name,
		    error);
	g_free(shortfalls);
	return ret;
}

/* Every roster unit, in the roster's order. */
static int
notice_remind_units(struct notice_remind_run *run, char **error_r)
{
	struct notice_tally tally = { 0 };
	size_t i;
	int ret = 0;

	if (notice_tally_load(run->db, run->c, &tally, error_r) < 0) {
		notice_tally_clear(&tally);
		return -1;
	}
	for (i = 0; i < campaign_unit_count(run->c) && ret == 0; i++) {
		const struct campaign_unit *u = campaign_unit_at(run->c, i);

		ret = notice_remind_unit(run, u, notice_tally_of(&tally,
		    u->name), error_r);
	}
	notice_tally_clear(&tally);
	return ret;
}

int
notice_remind(struct db *db, const struct config *config,
    const struct campaign *c, GDateTime *now, const char *point,
    bool dry_run, notice_report_fn *report, void *ctx, unsigned *queued_r,
    char **error_r)
{
	struct notice_remind_run run = {
		.db = db, .config = config, .c = c, .now = now,
		.point = point, .dry_run = dry_run, .report = report,
		.ctx = ctx,
	};
	GDateTime *deadline = NULL;
	const char *why = NULL;
	int r = 0;

	*queued_r = 0;
	if (!dry_run && config->smtp.from == NULL) {
		*error_r = g_strdup_printf("%s has no [smtp] from: reminders "
		    "need an address to come from", config->path);
		return -1;
	}
	/* Under the write lock: the interval is read and the reminders
	 * recorded by one transaction, so two runs cannot both send. */
	if (!dry_run && db_begin(db, error_r) < 0)
		return -1;
	if (point != NULL && (r = db_notice_exists(db, DB_NOTICE_POINT,
	    campaign_id(c), point, error_r)) != 0)
		goto done;
	if (!remind_campaign_open(c, now, &deadline, &why)) {
		struct notice_item item = {
			.kind = DB_NOTICE_REMINDER, .campaign = campaign_id(c),
			.why = why,
		};

		notice_report(&run, &item);
	} else {
		run.deadline = remind_time_text(deadline, campaign_timezone(c),
		    now);
		r = notice_remind_units(&run, error_r);
		g_free(run.deadline);
	}
	if (r == 0 && point != NULL && !dry_run) {
		struct db_notice n = {
			.kind = DB_NOTICE_POINT, .campaign = campaign_id(c),
			.point = point,
		};

		r = db_notice_add(db, &n, error_r);
	}
done:
	if (dry_run)
		return r < 0 ? -1 : 0;
	if (r < 0 || (r = db_commit(db, error_r)) < 0) {
		db_rollback(db);
		return -1;
	}
	*queued_r = run.queued;
	return 0;
}

/* ------------------------------------------------------------------ */
/* the staff's summary */

struct notice_summary_build {
	struct summary s;
	GArray *outcomes, *categories, *units;	/* struct summary_count */
	GArray *questions;			/* struct summary_question */
	GArray *pending;			/* struct summary_unit */
	GArray *links;				/* struct summary_link */
	GPtrArray *owned;
	GTimeZone *tz;
	const char *since, *until;		/* UTC ISO 8601 */
};

static const char *
notice_own(struct notice_summary_build *b, char *s)
{
	g_ptr_array_add(b->owned, s);
	return s;
}

static int
notice_summary_count(const char *key, int64_t n, void *ctx)
{
	GArray *a = ((void **)ctx)[1];
	struct notice_summary_build *b = ((void **)ctx)[0];
	struct summary_count sc = {
		key ? notice_own(b, g_strdup(key)) : NULL, (unsigned)n,
	};

	g_array_append_val(a, sc);
	return 0;
}

static int
notice_summary_question(const struct db_question *q, void *ctx)
{
	struct notice_summary_build *b = ctx;
	struct summary_question sq;

	if (q->created_at == NULL || strcmp(q->created_at, b->since) < 0 ||
	    strcmp(q->created_at, b->until) >= 0)
		return 0;
	sq = (struct summary_question){
		.sender = notice_own(b, g_strdup(q->sender)),
		.subject = q->subject ? notice_own(b, g_strdup(q->subject)) :
		    NULL,
		.text = q->body ? notice_own(b, g_strdup(q->body)) : NULL,
		.when = notice_own(b, notice_when_iso(q->created_at, b->tz)),
	};
	g_array_append_val(b->questions, sq);
	return 0;
}

/* "QQ邮箱": the provider as people call it. */
static const char *
notice_provider_label(const char *name)
{
	int p = cloudlink_provider_parse(name);

	return p >= 0 ? cloudlink_provider_label((enum cloudlink_provider)p) :
	    "网盘";
}

static int
notice_summary_link(const struct db_link_due *l, void *ctx)
{
	struct notice_summary_build *b = ctx;
	struct summary_link sl = {
		.receipt = notice_own(b, g_strdup(l->receipt)),
		.name = l->name ? notice_own(b, g_strdup(l->name)) : NULL,
		.provider = notice_provider_label(l->provider),
		.expires = notice_own(b, notice_when_iso(l->expires_at, b->tz)),
		.expired = l->expired,
	};

	g_array_append_val(b->links, sl);
	return 0;
}

/* Why staff may chase unit: "尚未报送", "新媒体作品 至少 1 件，现 0 件",
 * and the works waiting for its sender to be confirmed;
 * NULL when it has sent and met every minimum (all categories: staff
 * see what a closed category lacks too). */
char *
notice_unit_pending(const struct campaign_unit *u,
    const struct remind_tally *t)
{
	struct unit_shortfall *sf = g_new0(struct unit_shortfall,
	    u->nmins + 1);
	size_t n = unit_minimum_shortfalls(u, remind_tally_count, (void *)t,
	    sf), i;
	/* Works waiting for staff are no silence: the unit has sent. */
	bool none = t->total == 0 && t->pending == 0;
	GString *why = g_string_new(none ? "尚未报送" : NULL);

	/* Nothing sent says it all; the minimums are what it should send. */
	for (i = 0; i < n; i++) {
		if (none)
			g_string_append_printf(why, "%s%s至少 %u 件",
			    i == 0 ? "（应报" : "、", sf[i].category, sf[i].min);
		else
			g_string_append_printf(why, "%s%s 至少 %u 件，现 %u 件",
			    i > 0 ? "；" : "", sf[i].category, sf[i].min,
			    sf[i].have);
	}
	if (none && n > 0)
		g_string_append(why, "）");
	/* A sender to confirm rather than a unit to chase, as stats and
	 * the index say. */
	if (t->pending > 0 && why->len > 0)
		g_string_append_printf(why, "；另有待核实 %u 件（确认发件邮箱后"
		    "计入）", t->pending);
	g_free(sf);
	if (why->len == 0) {
		g_string_free(why, TRUE);
		return NULL;
	}
	return g_string_free(why, FALSE);
}

/* The roster units with nothing sent, or below a minimum. */
static int
notice_summary_pending(struct db *db, const struct campaign *c,
    struct notice_summary_build *b, char **error_r)
{
	struct notice_tally tally = { 0 };
	size_t i;

	if (notice_tally_load(db, c, &tally, error_r) < 0) {
		notice_tally_clear(&tally);
		return -1;
	}
	for (i = 0; campaign_unit_field(c) && i < campaign_unit_count(c); i++) {
		const struct campaign_unit *u = campaign_unit_at(c, i);
		char *why = notice_unit_pending(u, notice_tally_of(&tally,
		    u->name));
		struct summary_unit su = { u->name, why };

		if (why == NULL)
			continue;
		notice_own(b, why);
		g_array_append_val(b->pending, su);
	}
	b->s.roster_units = campaign_unit_field(c) ? campaign_unit_count(c) : 0;
	notice_tally_clear(&tally);
	return 0;
}

static void
notice_summary_build_init(struct notice_summary_build *b)
{
	memset(b, 0, sizeof(*b));
	b->outcomes = g_array_new(FALSE, FALSE, sizeof(struct summary_count));
	b->categories = g_array_new(FALSE, FALSE,
	    sizeof(struct summary_count));
	b->units = g_array_new(FALSE, FALSE, sizeof(struct summary_count));
	b->questions = g_array_new(FALSE, FALSE,
	    sizeof(struct summary_question));
	b->pending = g_array_new(FALSE, FALSE, sizeof(struct summary_unit));
	b->links = g_array_new(FALSE, FALSE, sizeof(struct summary_link));
	b->owned = g_ptr_array_new_with_free_func(g_free);
}

static void
notice_summary_build_clear(struct notice_summary_build *b)
{
	g_array_free(b->outcomes, TRUE);
	g_array_free(b->categories, TRUE);
	g_array_free(b->units, TRUE);
	g_array_free(b->questions, TRUE);
	g_array_free(b->pending, TRUE);
	g_array_free(b->links, TRUE);
	g_ptr_array_free(b->owned, TRUE);
}

/* Everything the summary says, from the database, for [since, until). */
static int
notice_summary_gather(struct db *db, const struct campaign *c,
    struct notice_summary_build *b, char **error_r)
{
	const char *id = campaign_id(c);
	void *outcomes[] = { b, b->outcomes }, *categories[] = { b,
	    b->categories }, *units[] = { b, b->units };

	if (db_count_period(db, DB_PERIOD_OUTCOME, id, b->since, b->until,
	    notice_summary_count, outcomes, error_r) < 0 ||
	    db_count_period(db, DB_PERIOD_CATEGORY, id, b->since, b->until,
	    notice_summary_count, categories, error_r) < 0 ||
	    db_count_period(db, DB_PERIOD_UNIT, id, b->since, b->until,
	    notice_summary_count, units, error_r) < 0 ||
	    db_question_list(db, id, false, notice_summary_question, b,
	    error_r) < 0 ||
	    notice_summary_pending(db, c, b, error_r) < 0 ||
	    db_links_expiring(db, id, SUMMARY_LINK_HOURS, notice_summary_link,
	    b, error_r) < 0)
		return -1;
	b->s.outcomes = (const struct summary_count *)b->outcomes->data;
	b->s.noutcomes = b->outcomes->len;
	b->s.categories = (const struct summary_count *)b->categories->data;
	b->s.ncategories = campaign_category_field(c) ? b->categories->len : 0;
	b->s.units = (const struct summary_count *)b->units->data;
	b->s.nunits = b->units->len;
	b->s.by_unit = campaign_unit_field(c) != NULL;
	b->s.questions = (const struct summary_question *)b->questions->data;
	b->s.nquestions = b->questions->len;
	b->s.pending = (const struct summary_unit *)b->pending->data;
	b->s.npending = b->pending->len;
	b->s.links = (const struct summary_link *)b->links->data;
	b->s.nlinks = b->links->len;
	return 0;
}

/* The period: from the last summary's end (at most a week back), else
 * the last 24 hours, to now. */
static int
notice_summary_period(struct db *db, const struct campaign *c,
    GDateTime *now, struct notice_summary_build *b, char **error_r)
{
	g_autoptr(GTimeZone) utc = g_time_zone_new_utc();
	g_autoptr(GDateTime) since = NULL, floor = NULL;
	g_autofree char *last = NULL;
	int r;

	if ((r = db_notice_last_summary(db, campaign_id(c), &last,
	    error_r)) < 0)
		return -1;
	floor = g_date_time_add_seconds(now, -NOTICE_SUMMARY_MAX_SPAN);
	since = last != NULL ? g_date_time_new_from_iso8601(last, utc) : NULL;
	b->s.since_last = since != NULL &&
	    g_date_time_compare(since, floor) > 0 &&
	    g_date_time_compare(since, now) < 0;
	if (!b->s.since_last) {
		g_clear_pointer(&since, g_date_time_unref);
		since = g_date_time_add_hours(now, -24);
	}
	b->since = notice_own(b, notice_utc_text(since));
	b->until = notice_own(b, notice_utc_text(now));
	b->s.since = notice_own(b, notice_when(since, b->tz));
	b->s.until = notice_own(b, notice_when(now, b->tz));
	return 0;
}

/* The summary composed and, unless a dry run, queued with its record. */
static int
notice_summary_send(struct db *db, const struct config *config,
    const struct campaign *c, GDateTime *now, const char *day,
    struct notice_summary_build *b, bool dry_run, struct notice_item *item,
    char **error_r)
{
	g_autofree char *subject = summary_subject(&b->s);
	g_autofree char *text = summary_text(&b->s);
	g_autofree char *token = notice_token(campaign_id(c), day, NULL, now);
	g_autofree char *data = NULL, *id = NULL;
	struct summary_mail m = {
		.from = config->smtp.from, .from_name = config->smtp.from_name,
		.staff = campaign_staff(c), .subject = subject, .text = text,
		.token = token,
	};
	struct db_notice n = {
		.kind = DB_NOTICE_SUMMARY, .campaign = campaign_id(c),
		.day = day, .since = b->since, .until = b->until,
		.recipient = campaign_staff(c),
	};
	size_t len;

	item->recipient = campaign_staff(c);
	item->subject = notice_own(b, g_steal_pointer(&subject));
	item->text = notice_own(b, g_steal_pointer(&text));
	if (dry_run)
		return 0;
	if (summary_compose(&m, &data, &len, &id, error_r) < 0)
		return -1;
	n.reply_message_id = id;
	n.data = data;
	n.len = len;
	return db_notice_add(db, &n, error_r);
}

int
notice_summary(struct db *db, const struct config *config,
    const struct campaign *c, GDateTime *now, bool dry_run,
    notice_report_fn *report, void *ctx, unsigned *queued_r,
    char **error_r)
{
	struct notice_summary_build b;
	g_autoptr(GDateTime) local = g_date_time_to_timezone(now,
	    campaign_timezone(c));
	g_autofree char *day = g_date_time_format(local, "%Y-%m-%d");
	struct notice_item item = {
		.kind = DB_NOTICE_SUMMARY, .campaign = campaign_id(c),
	};
	GDateTime *closes = campaign_closes_for(c, NULL, NULL);
	int r;

	*queued_r = 0;
	if (campaign_staff(c) == NULL || (!dry_run &&
	    config->smtp.from == NULL)) {
		item.why = campaign_staff(c) == NULL ? "the campaign has no "
		    "[campaign] staff address" : "no [smtp] from to send it";
		if (report != NULL)
			report(&item, ctx);
		return 0;
	}
	notice_summary_build_init(&b);
	b.tz = campaign_timezone(c);
	b.s.campaign_name = campaign_name(c);
	b.s.day = notice_own(&b, g_strdup_printf("%d月%d日",
	    g_date_time_get_month(local), g_date_time_get_day_of_month(local)));
	if (closes != NULL && g_date_time_compare(now, closes) < 0)
		b.s.deadline = notice_own(&b, remind_time_text(closes, b.tz,
		    now));
	/* The day's check and its record in one transaction: one summary
	 * a day, however many processes try. */
	if (!dry_run && db_begin(db, error_r) < 0) {
		notice_summary_build_clear(&b);
		return -1;
	}
	r = db_notice_exists(db, DB_NOTICE_SUMMARY, campaign_id(c), day,
	    error_r);
	if (r > 0)
		item.why = "today's summary was sent already";
	else if (r == 0 && (r = notice_summary_period(db, c, now, &b,
	    error_r)) == 0 && (r = notice_summary_gather(db, c, &b,
	    error_r)) == 0)
		r = notice_summary_send(db, config, c, now, day, &b, dry_run,
		    &item, error_r);
	if (!dry_run && r >= 0 && db_commit(db, error_r) < 0)
		r = -1;
	if (!dry_run && r < 0)
		db_rollback(db);
	if (r >= 0 && report != NULL)
		report(&item, ctx);
	if (r >= 0 && item.why == NULL && !dry_run)
		*queued_r = 1;
	notice_summary_build_clear(&b);
	return r < 0 ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* run's schedule */

static void
notice_log(const struct notice_item *item, void *ctx)
{
	(void)ctx;
	if (item->recipient != NULL)
		log_info("campaign %s: %s%s%s queued for %s", item->campaign,
		    item->kind, item->unit ? " to " : "",
		    item->unit ? item->unit : "", item->recipient);
}

/* Seconds into the local day of now. */
static int
notice_day_seconds(GDateTime *now, GTimeZone *tz)
{
	g_autoptr(GDateTime) local = g_date_time_to_timezone(now, tz);

	return g_date_time_get_hour(local) * 3600 +
	    g_date_time_get_minute(local) * 60 +
	    g_date_time_get_second(local);
}

/* One campaign's due reminders and summary; <0 when either failed. */
static int
notice_schedule_campaign(struct db *db, const struct config *config,
    const struct campaign *c, GDateTime *now, unsigned *queued_r,
    char **error_r)
{
	g_autofree char *point = remind_point_due(c, now);
	g_autoptr(GDateTime) local = g_date_time_to_timezone(now,
	    campaign_timezone(c));
	g_autofree char *day = g_date_time_format(local, "%Y-%m-%d");
	unsigned n = 0;
	int r;

	if (point != NULL) {
		if ((r = db_notice_exists(db, DB_NOTICE_POINT, campaign_id(c),
		    point, error_r)) < 0)
			return -1;
		if (r == 0) {
			log_info("campaign %s: reminders of %s", campaign_id(c),
			    point);
			if (notice_remind(db, config, c, now, point, false,
			    notice_log, NULL, &n, error_r) < 0)
				return -1;
			*queued_r += n;
		}
	}
	if (campaign_summary_at(c) < 0 || notice_day_seconds(now,
	    campaign_timezone(c)) < campaign_summary_at(c))
		return 0;
	if ((r = db_notice_exists(db, DB_NOTICE_SUMMARY, campaign_id(c), day,
	    error_r)) != 0)
		return r < 0 ? -1 : 0;
	if (notice_summary(db, config, c, now, false, notice_log, NULL, &n,
	    error_r) < 0)
		return -1;
	*queued_r += n;
	return 0;
}

int
notice_schedule(struct db *db, const struct config *config, GDateTime *now,
    unsigned *queued_r, char **error_r)
{
	size_t i;
	int ret = 0;

	*queued_r = 0;
	*error_r = NULL;
	for (i = 0; i < config->campaign_count; i++) {
		g_autofree char *error = NULL;

		if (notice_schedule_campaign(db, config, config->campaigns[i],
		    now, queued_r, &error) == 0)
			continue;
		/* Each campaign's failure is said; the caller gets the
		 * last. */
		log_warnx("campaign %s: %s", campaign_id(config->campaigns[i]),
		    error);
		g_free(*error_r);
		*error_r = g_strdup_printf("campaign %s: %s",
		    campaign_id(config->campaigns[i]), error);
		ret = -1;
	}
	return ret;
}
