/*
 * timetext: times as the notices write them.
 */
#include <glib.h>

#include "test.h"
#include "timetext.h"

struct row {
	const char *iso;	/* in UTC */
	const char *tz;
	const char *moment, *deadline, *opening, *shorter;
};

static const struct row rows[] = {
	/* the end of a day is 24时, whether written 23:59:59 or 24:00 */
	{ "2020-08-31T15:59:59Z", "Asia/Shanghai",
	  "2020年8月31日23:59:59（北京时间）", "2020年8月31日24时（北京时间）",
	  "2020年8月31日23:59（北京时间）", "2020年8月31日23:59:59" },
	{ "2020-08-30T16:00:00Z", "Asia/Shanghai",
	  "2020年8月31日0:00（北京时间）", "2020年8月30日24时（北京时间）",
	  "2020年8月31日（北京时间）", "2020年8月31日0:00" },
	/* an hour and minute; no zero before the hour, none of the :00 */
	{ "2024-09-05T09:00:00Z", "Asia/Shanghai",
	  "2024年9月5日17:00（北京时间）", "2024年9月5日17:00（北京时间）",
	  "2024年9月5日17:00（北京时间）", "2024年9月5日17:00" },
	{ "2020-08-01T00:30:00Z", "Asia/Shanghai",
	  "2020年8月1日8:30（北京时间）", "2020年8月1日8:30（北京时间）",
	  "2020年8月1日8:30（北京时间）", "2020年8月1日8:30" },
	/* elsewhere the offset is said */
	{ "2024-01-09T08:00:00Z", "Europe/Berlin",
	  "2024年1月9日9:00 (UTC+01:00)", "2024年1月9日9:00 (UTC+01:00)",
	  "2024年1月9日9:00 (UTC+01:00)", "2024年1月9日9:00" },
};

int
main(void)
{
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(rows); i++) {
		const struct row *r = &rows[i];
		g_autoptr(GTimeZone) utc = g_time_zone_new_utc();
		g_autoptr(GTimeZone) tz = g_time_zone_new_identifier(r->tz);
		g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601(r->iso,
		    utc);
		g_autofree char *m = NULL, *d = NULL, *o = NULL, *s = NULL;

		/* Without tzdata GLib falls back to UTC: the zone is
		 * required, as subgate's Debian dependencies have it. */
		TEST_CHECK(r->tz, tz != NULL &&
		    strcmp(g_time_zone_get_identifier(tz), r->tz) == 0);
		m = timetext_moment(dt, tz);
		d = timetext_deadline(dt, tz);
		o = timetext_opening(dt, tz);
		s = timetext_short(dt, tz);

		TEST_CHECK_STR("moment", m, r->moment);
		TEST_CHECK_STR("deadline", d, r->deadline);
		TEST_CHECK_STR("opening", o, r->opening);
		TEST_CHECK_STR("short", s, r->shorter);
	}
	return TEST_EXIT();
}
