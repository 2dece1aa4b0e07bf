/*
 * campaign_notify: [remind] and [summary], what a campaign says about the
 * mail it sends of its own accord rather than in answer to one: the
 * reminder a unit gets before the deadline (remind.h) and the summary
 * staff get each day (summary.h).  See include/campaign_private.h.
 *
 *   [remind]
 *   interval = 3d        never twice to one unit within this (Nd, Nh; 0)
 *   at = 7d 2d           `run` reminds this many days before the deadline
 *   time = 09:00         at this time of that day
 *   [summary]
 *   at = 08:00           `run` sends the day's summary at this time
 */
#include <stdio.h>
#include <string.h>

#include "campaign-private.h"

/* Default [remind] interval: a unit reminded on Monday is not reminded
 * again before Thursday, however often staff run the command. */
#define NOTIFY_REMIND_INTERVAL	(3 * 24 * 3600)
/* Default [remind] time: office hours, when a clerk reads the mail. */
#define NOTIFY_REMIND_TIME	(9 * 3600)
/* Days before a deadline a reminder point may name; notices run for
 * months, not years. */
#define NOTIFY_MAX_DAYS		366
/* Reminder points one campaign may list. */
#define NOTIFY_MAX_POINTS	16

/* "HH:MM", 00:00 to 23:59, in seconds; -1 when it is not. */
static int
notify_clock(const char *s)
{
	unsigned h, m;
	int n = 0;

	if (sscanf(s, "%2u:%2u%n", &h, &m, &n) != 2 || s[n] != '\0' ||
	    !g_ascii_isdigit(s[0]) || h > 23 || m > 59 ||
	    strlen(s) < 4 || s[strlen(s) - 3] != ':')
		return -1;
	return (int)(h * 3600 + m * 60);
}

/* "3d", "72h" or "0" in seconds; false when it is none of these. */
static bool
notify_span(const char *s, unsigned *secs_r)
{
	long long v;
	size_t len = strlen(s);
	g_autofree char *digits = NULL;

	if (strcmp(s, "0") == 0) {
		*secs_r = 0;
		return true;
	}
	if (len < 2 || (s[len - 1] != 'd' && s[len - 1] != 'h'))
		return false;
	digits = g_strndup(s, len - 1);
	if (!loader_parse_integer(digits, &v) || v < 0 ||
	    v > NOTIFY_MAX_DAYS * 24)
		return false;
	*secs_r = (unsigned)v * (s[len - 1] == 'd' ? 24 * 3600 : 3600);
	return true;
}

static gint
notify_days_desc(gconstpointer a, gconstpointer b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return x < y ? 1 : x > y ? -1 : 0;
}

/* [remind] at = 7d 2d: days before the deadline, most first, each
 * once. */
static void
notify_points(struct loader *l, const char *value)
{
	struct campaign *c = l->c;
	g_auto(GStrv) words = g_strsplit_set(value, " \t;；", -1);
	GArray *days = g_array_new(FALSE, FALSE, sizeof(unsigned));
	size_t i, j;

	for (i = 0; words[i] != NULL; i++) {
		const char *w = words[i];
		size_t len = strlen(w);
		g_autofree char *digits = NULL;
		long long v;
		unsigned d;
		bool dup = false;

		if (len == 0)
			continue;
		digits = len > 1 && w[len - 1] == 'd' ? g_strndup(w, len - 1) :
		    NULL;
		if (digits == NULL || !loader_parse_integer(digits, &v) ||
		    v < 0 || v > NOTIFY_MAX_DAYS) {
			loader_problem(l, "remind", "at", "\"%s\": days before "
			    "the deadline, as 7d (0d to %dd)", w,
			    NOTIFY_MAX_DAYS);
			continue;
		}
		d = (unsigned)v;
		for (j = 0; j < days->len; j++)
			dup |= g_array_index(days, unsigned, j) == d;
		if (!dup)
			g_array_append_val(days, d);
	}
	if (days->len > NOTIFY_MAX_POINTS)
		loader_problem(l, "remind", "at", "%u points; at most %d",
		    days->len, NOTIFY_MAX_POINTS);
	g_array_sort(days, notify_days_desc);
	c->nremind_days = days->len;
	c->remind_days = (unsigned *)g_array_free(days, FALSE);
}

void
loader_notify(struct loader *l)
{
	static const char *const remind_known[] = {
		"interval", "at", "time", NULL,
	};
	static const char *const summary_known[] = { "at", NULL };
	struct campaign *c = l->c;
	char *s;

	c->remind_interval = NOTIFY_REMIND_INTERVAL;
	c->remind_time = NOTIFY_REMIND_TIME;
	c->summary_at = -1;
	if (g_key_file_has_group(l->kf, "remind")) {
		loader_check_keys(l, "remind", remind_known, NULL);
		if ((s = loader_string(l, "remind", "interval")) != NULL &&
		    !notify_span(s, &c->remind_interval))
			loader_problem(l, "remind", "interval", "\"%s\": a "
			    "span such as 3d or 36h (0: none)", s);
		g_free(s);
		if ((s = loader_string(l, "remind", "at")) != NULL)
			notify_points(l, s);
		g_free(s);
		if ((s = loader_string(l, "remind", "time")) != NULL &&
		    (c->remind_time = notify_clock(s)) < 0) {
			loader_problem(l, "remind", "time", "\"%s\": a time "
			    "of day, HH:MM", s);
			c->remind_time = NOTIFY_REMIND_TIME;
		}
		g_free(s);
		if (c->nremind_days > 0 && c->unit_field == NULL)
			loader_problem(l, "remind", "at", "needs unit_field in "
			    "[campaign], with a roster: reminders go to units");
	}
	if (g_key_file_has_group(l->kf, "summary")) {
		loader_check_keys(l, "summary", summary_known, NULL);
		if ((s = loader_string(l, "summary", "at")) != NULL &&
		    (c->summary_at = notify_clock(s)) < 0)
			loader_problem(l, "summary", "at", "\"%s\": a time of "
			    "day, HH:MM", s);
		g_free(s);
		if (c->summary_at >= 0 && c->staff == NULL)
			loader_problem(l, "summary", "at", "needs staff in "
			    "[campaign]: the summary goes there");
	}
}

/* ------------------------------------------------------------------ */
/* getters */

unsigned int
campaign_remind_interval(const struct campaign *c)
{
	return c->remind_interval;
}

size_t
campaign_remind_points(const struct campaign *c, const unsigned int **days_r)
{
	*days_r = c->remind_days;
	return c->nremind_days;
}

int
campaign_remind_time(const struct campaign *c)
{
	return c->remind_time;
}

int
campaign_summary_at(const struct campaign *c)
{
	return c->summary_at;
}
