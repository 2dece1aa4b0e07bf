/*
 * timetext: times in mail to submitters, written as the notices write
 * them (“8月31日24时”, “9月5日17:00前”), not as a computer does
 * (“2020-08-31 23:59:59”).  A clerk compares the reply with the notice on
 * the wall; the two should read alike.
 *
 * A deadline at the end of a day (23:59:59, or 24:00 written as the next
 * day's 00:00) is that day's 24时; any other time is written with its
 * hour and minute, seconds only where they are not :00 (an arrival at
 * 23:59:30 says so).  The year is kept: receipts are filed for years.
 * In the campaign's zone, followed by （北京时间） for Asia/Shanghai, or by
 * the UTC offset elsewhere; the short forms leave the zone out, for a
 * time already said to be the campaign's.
 *
 * Pure: GLib dates only.  Every function returns a string to g_free.
 */
#ifndef SUBGATE_TIMETEXT_H
#define SUBGATE_TIMETEXT_H

#include <glib.h>

/* An arrival or a decision: 2020年8月1日10:00（北京时间）. */
char *timetext_moment(GDateTime *dt, GTimeZone *tz);
/* A closing: 2020年8月31日24时（北京时间）. */
char *timetext_deadline(GDateTime *dt, GTimeZone *tz);
/* An opening: 2020年7月30日（北京时间） at midnight, else with its time. */
char *timetext_opening(GDateTime *dt, GTimeZone *tz);
/* Without the zone: 2024年9月12日10:30 (a link's expiry). */
char *timetext_short(GDateTime *dt, GTimeZone *tz);

#endif
