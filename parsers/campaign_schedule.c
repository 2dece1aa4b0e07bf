/*
 * campaign_schedule: deadlines and batches per category.  Notices set
 * different dates per item ("学员标兵/优秀学员报名截止期为8月30日24时",
 * volunteers "招募全年有效"), and staff hand lists on at fixed cut-offs
 * ("每周二、五", "每个月28日18时前"), so [policy] may give
 *
 *   closes.VALUE = YYYY-MM-DD HH:MM[:SS] | none	opens.VALUE likewise
 *   batch = CUTOFF; ...				batch.VALUE likewise
 *   CUTOFF = YYYY-MM-DD HH:MM | monthly DD HH:MM | weekly mon,fri HH:MM
 *
 * where 24:00 is the end of the day, as notices write 24时.  A value
 * without its own time keeps the campaign's [campaign] opens/closes; the
 * envelope of all windows is what campaign_window() judges a whole mail
 * by.  See include/campaign_private.h.
 */
#include <string.h>

#include "campaign-private.h"
#include "normalize.h"

#define SECONDS_PER_DAY		86400

/* An opening or closing: set is whether the key was given (else the
 * campaign's applies); at NULL is none (never closes, no opening). */
struct schedule_edge {
	bool set;
	GDateTime *at;
	char *text;		/* as written; NULL for none or [campaign] */
};

enum cutoff_kind { CUTOFF_ONCE, CUTOFF_MONTHLY, CUTOFF_WEEKLY };

struct cutoff {
	enum cutoff_kind kind;
	GDate day;		/* ONCE: the day as written */
	int mday;		/* MONTHLY: 1-31; past a month's end: its last */
	unsigned weekdays;	/* WEEKLY: 1 << GDateWeekday */
	int secs;		/* time of day; SECONDS_PER_DAY: 24:00 */
};

struct cutoffs {
	struct cutoff *v;
	size_t n;
};

struct item_schedule {
	char *category;		/* canonical, normalised */
	struct schedule_edge opens, closes;
	struct cutoffs batch;	/* none: the campaign's batch */
};

struct campaign_schedule {
	struct item_schedule *items;
	size_t nitems;
	struct cutoffs batch;
	/* The envelope: at NULL is unbounded. */
	struct schedule_edge env_opens, env_closes;
};

static void
edge_clear(struct schedule_edge *e)
{
	if (e->at != NULL)
		g_date_time_unref(e->at);
	g_free(e->text);
	memset(e, 0, sizeof(*e));
}

void
campaign_schedule_free(struct campaign_schedule **sp)
{
	struct campaign_schedule *s = *sp;
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nitems; i++) {
		g_free(s->items[i].category);
		edge_clear(&s->items[i].opens);
		edge_clear(&s->items[i].closes);
		g_free(s->items[i].batch.v);
	}
	g_free(s->items);
	g_free(s->batch.v);
	edge_clear(&s->env_opens);
	edge_clear(&s->env_closes);
	g_free(s);
	*sp = NULL;
}

/* ---- parsing ---- */

/* min..max ASCII digits at *p, advancing it. */
static bool
read_number(const char **p, int min, int max, int *v_r)
{
	int n = 0, v = 0;

	while (n < max && g_ascii_isdigit((*p)[n]))
		v = v * 10 + ((*p)[n++] - '0');
	if (n < min || g_ascii_isdigit((*p)[n]))
		return false;
	*p += n;
	*v_r = v;
	return true;
}

/* "HH:MM[:SS]", 00:00 to 23:59:59 or 24:00[:00], in seconds. */
static bool
parse_clock(const char *s, int *secs_r)
{
	int h, m, sec = 0;

	if (!read_number(&s, 1, 2, &h) || *s++ != ':' ||
	    !read_number(&s, 2, 2, &m))
		return false;
	if (*s == ':') {
		s++;
		if (!read_number(&s, 2, 2, &sec))
			return false;
	}
	if (*s != '\0' || m > 59 || sec > 59 || h > 24 ||
	    (h == 24 && (m != 0 || sec != 0)))
		return false;
	*secs_r = h * 3600 + m * 60 + sec;
	return true;
}

/* "YYYY-MM-DD". */
static bool
parse_day(const char *s, GDate *day)
{
	int y, m, d;

	if (!read_number(&s, 4, 4, &y) || *s++ != '-' ||
	    !read_number(&s, 1, 2, &m) || *s++ != '-' ||
	    !read_number(&s, 1, 2, &d) || *s != '\0' ||
	    !g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y))
		return false;
	g_date_clear(day, 1);
	g_date_set_dmy(day, (GDateDay)d, (GDateMonth)m, (GDateYear)y);
	return true;
}

/* The instant a day's time of day falls on; 24:00 is the next midnight. */
static GDateTime *
day_at(const GDate *day, int secs, GTimeZone *tz)
{
	GDateTime *midnight = g_date_time_new(tz, g_date_get_year(day),
	    g_date_get_month(day), g_date_get_day(day), 0, 0, 0);
	GDateTime *t;

	if (midnight == NULL)
		return NULL;
	if (secs == SECONDS_PER_DAY) {
		t = g_date_time_add_days(midnight, 1);
	} else {
		t = g_date_time_new(tz, g_date_get_year(day),
		    g_date_get_month(day), g_date_get_day(day), secs / 3600,
		    secs / 60 % 60, secs % 60);
	}
	g_date_time_unref(midnight);
	return t;
}

/* The words of a value, split at spaces, without empty ones. */
static char **
split_words(const char *s)
{
	char **w = g_strsplit_set(s, " \t", -1);
	size_t i, j = 0;

	for (i = 0; w[i] != NULL; i++) {
		if (*w[i] == '\0')
			g_free(w[i]);
		else
			w[j++] = w[i];
	}
	w[j] = NULL;
	return w;
}

/* "YYYY-MM-DD HH:MM[:SS]" (24:00 allowed). */
static GDateTime *
parse_moment(const char *s, GTimeZone *tz)
{
	char **w = split_words(s);
	GDateTime *t = NULL;
	GDate day;
	int secs;

	if (g_strv_length(w) == 2 && parse_day(w[0], &day) &&
	    parse_clock(w[1], &secs))
		t = day_at(&day, secs, tz);
	g_strfreev(w);
	return t;
}

/* "mon,tue" (or the full English names) as bits 1 << GDateWeekday. */
static bool
parse_weekdays(const char *s, unsigned *bits_r)
{
	static const char *const names[] = { "mon", "tue", "wed", "thu",
		"fri", "sat", "sun" };
	static const char *const full[] = { "monday", "tuesday", "wednesday",
		"thursday", "friday", "saturday", "sunday" };
	char **days = g_strsplit(s, ",", -1);
	unsigned bits = 0;
	bool ok = days[0] != NULL;
	size_t i, k;

	for (i = 0; days[i] != NULL && ok; i++) {
		ok = false;
		for (k = 0; k < G_N_ELEMENTS(names) && !ok; k++) {
			if (g_ascii_strcasecmp(days[i], names[k]) == 0 ||
			    g_ascii_strcasecmp(days[i], full[k]) == 0) {
				bits |= 1u << (G_DATE_MONDAY + k);
				ok = true;
			}
		}
	}
	g_strfreev(days);
	*bits_r = bits;
	return ok;
}

/* One cut-off of a batch list. */
static bool
parse_cutoff(const char *s, struct cutoff *cut)
{
	char **w = split_words(s);
	const char *p;
	bool ok = false;

	memset(cut, 0, sizeof(*cut));
	if (g_strv_length(w) != (w[0] != NULL && g_ascii_isdigit(*w[0]) ?
	    2u : 3u))
		goto out;
	if (strcmp(w[0], "monthly") == 0) {
		p = w[1];
		cut->kind = CUTOFF_MONTHLY;
		ok = read_number(&p, 1, 2, &cut->mday) && *p == '\0' &&
		    cut->mday >= 1 && cut->mday <= 31 &&
		    parse_clock(w[2], &cut->secs);
	} else if (strcmp(w[0], "weekly") == 0) {
		cut->kind = CUTOFF_WEEKLY;
		ok = parse_weekdays(w[1], &cut->weekdays) &&
		    parse_clock(w[2], &cut->secs);
	} else {
		cut->kind = CUTOFF_ONCE;
		ok = parse_day(w[0], &cut->day) && parse_clock(w[1], &cut->secs);
	}
out:
	g_strfreev(w);
	return ok;
}

/* ---- loading ---- */

static struct campaign_schedule *
schedule_get(struct loader *l)
{
	if (l->c->schedule == NULL)
		l->c->schedule = g_new0(struct campaign_schedule, 1);
	return l->c->schedule;
}

/*
 * The category a key names: its canonical value, exactly.  An alias is
 * refused rather than followed: a deadline in a campaign file is read by
 * people, who should see the value the replies and the table show.
 */
static char *
schedule_category(struct loader *l, const char *key, const char *name)
{
	const struct field_def *f = l->c->category_field == NULL ? NULL :
	    loader_field_find(l, l->c->category_field);
	g_autofree char *want = normalize_text(name, NORMALIZE_KEY);
	char *found = NULL, *k;
	GString *all;
	size_t i;

	if (f == NULL) {
		loader_problem(l, "policy", key, "needs category_field in "
		    "[campaign]");
		return NULL;
	}
	if (f->values == NULL)	/* free text: any value is one */
		return normalize_text(name, 0);
	for (i = 0; f->values[i] != NULL && found == NULL; i++) {
		k = normalize_text(f->values[i], NORMALIZE_KEY);
		if (strcmp(k, want) == 0)
			found = normalize_text(f->values[i], 0);
		g_free(k);
	}
	for (i = 0; i < f->nalias && found == NULL; i++) {
		k = normalize_text(f->aliases[2 * i], NORMALIZE_KEY);
		if (strcmp(k, want) == 0) {
			g_free(k);
			loader_problem(l, "policy", key, "\"%s\" is an alias of "
			    "%s: name the value itself", name,
			    f->aliases[2 * i + 1]);
			return NULL;
		}
		g_free(k);
	}
	if (found != NULL)
		return found;
	all = g_string_new(NULL);
	for (i = 0; f->values[i] != NULL; i++)
		g_string_append_printf(all, "%s%s", i ? "、" : "", f->values[i]);
	loader_problem(l, "policy", key, "\"%s\" is not a value of the "
	    "category field %s (%s)", name, f->name, all->str);
	g_string_free(all, TRUE);
	return NULL;
}

static struct item_schedule *
schedule_item(struct campaign_schedule *s, const char *category)
{
	size_t i;

	for (i = 0; i < s->nitems; i++)
		if (strcmp(s->items[i].category, category) == 0)
			return &s->items[i];
	s->items = g_renew(struct item_schedule, s->items, s->nitems + 1);
	memset(&s->items[s->nitems], 0, sizeof(s->items[0]));
	s->items[s->nitems].category = g_strdup(category);
	return &s->items[s->nitems++];
}

/* closes.VALUE or opens.VALUE. */
static void
load_edge(struct loader *l, const char *key, struct schedule_edge *e)
{
	char *v = loader_string(l, "policy", key);

	if (v == NULL)
		return;
	if (e->set) {
		/* Two spellings (full and half width) of one value. */
		loader_problem(l, "policy", key, "a second time for the same "
		    "category");
		g_free(v);
		return;
	}
	e->set = true;
	if (strcmp(v, "none") == 0) {
		g_free(v);
		return;
	}
	e->at = parse_moment(v, l->c->tz);
	if (e->at == NULL) {
		loader_problem(l, "policy", key, "\"%s\" is not a time "
		    "\"YYYY-MM-DD HH:MM[:SS]\" (24:00 for the end of a day) "
		    "or none", v);
		g_free(v);
		return;
	}
	e->text = v;
}

/* batch or batch.VALUE: cut-offs separated by ";". */
static void
load_batch(struct loader *l, const char *key, struct cutoffs *b)
{
	char **list = loader_list(l, "policy", key);
	size_t i;

	for (i = 0; list != NULL && list[i] != NULL; i++) {
		struct cutoff cut;

		if (!parse_cutoff(list[i], &cut)) {
			loader_problem(l, "policy", key, "\"%s\" is not a cut-off "
			    "\"YYYY-MM-DD HH:MM\", \"monthly DD HH:MM\" or "
			    "\"weekly mon,tue,... HH:MM\"", list[i]);
			continue;
		}
		b->v = g_renew(struct cutoff, b->v, b->n + 1);
		b->v[b->n++] = cut;
	}
	g_strfreev(list);
}

/* Whether a is a wider bound than best (none yet: yes). */
static bool
edge_wider(GDateTime *a, GDateTime *best, bool closes)
{
	if (best == NULL)
		return true;
	return closes ? g_date_time_compare(a, best) > 0 :
	    g_date_time_compare(a, best) < 0;
}

/* One side of the envelope: the earliest opening (latest closing) of
 * all windows, none when any is unbounded.  The campaign's own takes
 * part unless every value of an enumerated category sets its own. */
static void
schedule_envelope_side(struct loader *l, struct campaign_schedule *s,
    bool closes)
{
	const struct field_def *f = loader_field_find(l, l->c->category_field);
	size_t nvalues = f != NULL && f->values != NULL ?
	    g_strv_length(f->values) : 0;
	struct schedule_edge *env = closes ? &s->env_closes : &s->env_opens;
	GDateTime *dflt = closes ? l->c->closes : l->c->opens, *best = NULL;
	const char *text = NULL;
	bool unbounded = false;
	size_t i, own = 0;

	for (i = 0; i < s->nitems; i++) {
		const struct schedule_edge *e = closes ? &s->items[i].closes :
		    &s->items[i].opens;

		if (!e->set)
			continue;
		own++;
		if (e->at == NULL)
			unbounded = true;
		else if (edge_wider(e->at, best, closes))
			best = e->at, text = e->text;
	}
	if (nvalues == 0 || own < nvalues) {
		if (dflt == NULL)
			unbounded = true;
		else if (edge_wider(dflt, best, closes))
			best = dflt, text = NULL;
	}
	env->set = true;
	if (unbounded || best == NULL)
		return;
	env->at = g_date_time_ref(best);
	env->text = g_strdup(text);
}

void
loader_schedule(struct loader *l)
{
	char **keys = g_key_file_get_keys(l->kf, "policy", NULL, NULL);
	struct campaign_schedule *s;
	size_t i;

	for (i = 0; keys != NULL && keys[i] != NULL; i++) {
		const char *dot = strchr(keys[i], '.');
		g_autofree char *what = NULL, *cat = NULL;
		struct item_schedule *item;

		if (strcmp(keys[i], "batch") == 0) {
			load_batch(l, keys[i], &schedule_get(l)->batch);
			continue;
		}
		if (dot == NULL || dot[1] == '\0')
			continue;
		what = g_strndup(keys[i], (gsize)(dot - keys[i]));
		if (strcmp(what, "closes") != 0 && strcmp(what, "opens") != 0 &&
		    strcmp(what, "batch") != 0)
			continue;
		if ((cat = schedule_category(l, keys[i], dot + 1)) == NULL)
			continue;
		item = schedule_item(schedule_get(l), cat);
		if (strcmp(what, "batch") == 0)
			load_batch(l, keys[i], &item->batch);
		else
			load_edge(l, keys[i], strcmp(what, "closes") == 0 ?
			    &item->closes : &item->opens);
	}
	g_strfreev(keys);
	if ((s = l->c->schedule) == NULL)
		return;
	for (i = 0; i < s->nitems; i++) {
		const struct item_schedule *it = &s->items[i];
		GDateTime *o = it->opens.set ? it->opens.at : l->c->opens;
		GDateTime *c = it->closes.set ? it->closes.at : l->c->closes;

		if (o != NULL && c != NULL && g_date_time_compare(o, c) >= 0)
			loader_problem(l, "policy", NULL, "the window of %s closes "
			    "before it opens", it->category);
	}
	schedule_envelope_side(l, s, false);
	schedule_envelope_side(l, s, true);
}

/* ---- getters ---- */

static const struct item_schedule *
schedule_find(const struct campaign *c, const char *category)
{
	const struct campaign_schedule *s = c->schedule;
	g_autofree char *key = NULL;
	size_t i;

	if (s == NULL || category == NULL)
		return NULL;
	key = normalize_text(category, NORMALIZE_KEY);
	for (i = 0; i < s->nitems; i++) {
		g_autofree char *k = normalize_text(s->items[i].category,
		    NORMALIZE_KEY);

		if (strcmp(k, key) == 0)
			return &s->items[i];
	}
	return NULL;
}

/* One side of a category's window (the envelope's for NULL). */
static GDateTime *
window_edge(const struct campaign *c, const char *category, bool closes,
    const char **text_r)
{
	const struct item_schedule *it = schedule_find(c, category);
	const struct schedule_edge *e = NULL;

	if (category == NULL && c->schedule != NULL)
		e = closes ? &c->schedule->env_closes :
		    &c->schedule->env_opens;
	else if (it != NULL)
		e = closes ? &it->closes : &it->opens;
	if (e != NULL && e->set) {
		*text_r = e->text;
		return e->at;
	}
	*text_r = NULL;
	return closes ? c->closes : c->opens;
}

GDateTime *
campaign_closes_for(const struct campaign *c, const char *category,
    const char **text_r)
{
	const char *text;
	GDateTime *at = window_edge(c, category, true, &text);

	if (text_r != NULL)
		*text_r = text;
	return at;
}

int
campaign_window_for(const struct campaign *c, const char *category,
    GDateTime *at, GDateTime **edge_r, const char **text_r)
{
	const char *otext, *ctext;
	GDateTime *o = window_edge(c, category, false, &otext);
	GDateTime *cl = window_edge(c, category, true, &ctext);
	int r = 0;

	if (o != NULL && g_date_time_compare(at, o) < 0)
		r = -1;
	else if (cl != NULL && g_date_time_compare(at, cl) > 0)
		r = 1;
	if (edge_r != NULL)
		*edge_r = r < 0 ? o : cl;
	if (text_r != NULL)
		*text_r = r < 0 ? otext : ctext;
	return r;
}

/* The first instant of one cut-off at or after `at`, and its label day;
 * NULL when a one-off is past. */
static GDateTime *
cutoff_next(const struct cutoff *cut, GDateTime *at, GTimeZone *tz,
    GDate *label)
{
	g_autoptr(GDateTime) local = g_date_time_to_timezone(at, tz);
	GDateTime *best = NULL;
	GDate today, day;
	int k;

	if (cut->kind == CUTOFF_ONCE) {
		best = day_at(&cut->day, cut->secs, tz);
		if (best != NULL && g_date_time_compare(best, at) < 0)
			g_clear_pointer(&best, g_date_time_unref);
		*label = cut->day;
		return best;
	}
	g_date_clear(&today, 1);
	g_date_set_dmy(&today, (GDateDay)g_date_time_get_day_of_month(local),
	    (GDateMonth)g_date_time_get_month(local),
	    (GDateYear)g_date_time_get_year(local));
	/* From the day before: a 24:00 cut-off ends on the next day. */
	for (k = -1; k <= (cut->kind == CUTOFF_WEEKLY ? 7 : 1); k++) {
		GDateTime *t;

		day = today;
		if (cut->kind == CUTOFF_WEEKLY) {
			if (k < 0)
				g_date_subtract_days(&day, 1);
			else
				g_date_add_days(&day, (guint)k);
			if (!(cut->weekdays & (1u << g_date_get_weekday(&day))))
				continue;
		} else {
			g_date_set_day(&day, 1);
			if (k < 0)
				g_date_subtract_months(&day, 1);
			else
				g_date_add_months(&day, (guint)k);
			g_date_set_day(&day, (GDateDay)MIN(cut->mday,
			    g_date_get_days_in_month(g_date_get_month(&day),
			    g_date_get_year(&day))));
		}
		t = day_at(&day, cut->secs, tz);
		if (t == NULL || g_date_time_compare(t, at) < 0 ||
		    (best != NULL && g_date_time_compare(t, best) >= 0)) {
			if (t != NULL)
				g_date_time_unref(t);
			continue;
		}
		if (best != NULL)
			g_date_time_unref(best);
		best = t;
		*label = day;
	}
	return best;
}

char *
campaign_batch_for(const struct campaign *c, const char *category,
    GDateTime *at)
{
	const struct item_schedule *it = schedule_find(c, category);
	const struct cutoffs *b;
	GDateTime *best = NULL;
	GDate label;
	size_t i;

	g_date_clear(&label, 1);
	if (c->schedule == NULL)
		return NULL;
	b = it != NULL && it->batch.n > 0 ? &it->batch : &c->schedule->batch;
	for (i = 0; i < b->n; i++) {
		GDate day;
		GDateTime *t = cutoff_next(&b->v[i], at, c->tz, &day);

		if (t == NULL)
			continue;
		if (best == NULL || g_date_time_compare(t, best) < 0) {
			if (best != NULL)
				g_date_time_unref(best);
			best = t;
			label = day;
		} else {
			g_date_time_unref(t);
		}
	}
	if (best == NULL)
		return NULL;
	g_date_time_unref(best);
	return g_strdup_printf("%04d-%02d-%02d", g_date_get_year(&label),
	    g_date_get_month(&label), g_date_get_day(&label));
}
