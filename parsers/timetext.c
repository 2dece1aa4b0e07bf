/*
 * timetext: times written as the notices write them.  See timetext.h.
 */
#include <string.h>

#include <glib.h>

#include "timetext.h"

enum timetext_style {
	TT_MOMENT,
	TT_DEADLINE,
	TT_OPENING,
};

/* “2020年8月31日” and, unless the style drops it, the time of day. */
static char *
day_and_time(GDateTime *local, enum timetext_style style)
{
	int h = g_date_time_get_hour(local), m = g_date_time_get_minute(local);
	int s = g_date_time_get_second(local);
	g_autoptr(GDateTime) day = NULL;

	if (style == TT_DEADLINE && h == 0 && m == 0 && s == 0) {
		/* 24:00 of the day before: the file's “2020-08-30 24:00”. */
		day = g_date_time_add_seconds(local, -1);
		return g_date_time_format(day, "%Y年%-m月%-d日24时");
	}
	if (style == TT_DEADLINE && h == 23 && m == 59 && s == 59)
		return g_date_time_format(local, "%Y年%-m月%-d日24时");
	if (style == TT_OPENING && h == 0 && m == 0 && s == 0)
		return g_date_time_format(local, "%Y年%-m月%-d日");
	if (s != 0 && style == TT_MOMENT)
		return g_date_time_format(local, "%Y年%-m月%-d日%-H:%M:%S");
	return g_date_time_format(local, "%Y年%-m月%-d日%-H:%M");
}

static char *
with_zone(GDateTime *dt, GTimeZone *tz, enum timetext_style style)
{
	g_autoptr(GDateTime) local = g_date_time_to_timezone(dt, tz);
	g_autofree char *text = NULL, *offset = NULL;

	if (local == NULL)
		return g_strdup("");
	text = day_and_time(local, style);
	/* People in these campaigns read 北京时间, not a zone name. */
	if (strcmp(g_time_zone_get_identifier(tz), "Asia/Shanghai") == 0)
		return g_strconcat(text, "（北京时间）", NULL);
	offset = g_date_time_format(local, "%:z");
	return g_strdup_printf("%s (UTC%s)", text, offset);
}

char *
timetext_moment(GDateTime *dt, GTimeZone *tz)
{
	return with_zone(dt, tz, TT_MOMENT);
}

char *
timetext_deadline(GDateTime *dt, GTimeZone *tz)
{
	return with_zone(dt, tz, TT_DEADLINE);
}

char *
timetext_opening(GDateTime *dt, GTimeZone *tz)
{
	return with_zone(dt, tz, TT_OPENING);
}

char *
timetext_short(GDateTime *dt, GTimeZone *tz)
{
	g_autoptr(GDateTime) local = g_date_time_to_timezone(dt, tz);

	return local != NULL ? day_and_time(local, TT_MOMENT) : g_strdup("");
}
