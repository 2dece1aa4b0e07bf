/*
 * notice: the mail the gateway sends of its own accord, not in answer to
 * a message: reminders to roster units before the deadline (remind.h,
 * REPLY_REMINDER) and the staff's daily summary (summary.h).  Both go
 * through the outbox like every reply: each mail is queued together with
 * its record (db_notice_add) in one transaction, whose interval and
 * once-a-day checks read the database under the same write lock, so a
 * crash loses none and two runs never send one twice; the sender
 * delivers them.
 *
 * `subgate remind` and `subgate summary` call these by hand (a dry run
 * composes and reports, and queues nothing); `run` and `once` call
 * notice_schedule() after each cycle for the campaigns whose [remind] at
 * or [summary] at says one is due.  What each campaign and unit came to
 * is handed to a report callback: the command prints it.
 */
#ifndef SUBGATE_NOTICE_H
#define SUBGATE_NOTICE_H

#include <stdbool.h>

#include <glib.h>

struct campaign;
struct config;
struct db;

/* One outcome: a mail (queued, or composed in a dry run) or why none. */
struct notice_item {
	const char *kind;		/* DB_NOTICE_REMINDER or _SUMMARY */
	const char *campaign;		/* its id */
	const char *unit;		/* reminders: the unit, NULL for the
					   campaign as a whole */
	const char *verdict;		/* reminders: remind_verdict_name() */
	const char *recipient;		/* NULL: no mail */
	const char *subject;
	const char *text;		/* the plain text */
	const char *why;		/* no mail: why (English, for staff's
					   terminal) */
};
typedef void notice_report_fn(const struct notice_item *item, void *ctx);

/*
 * Reminders of campaign c at now, one mail per mailbox of each unit due
 * (remind.h); point is the [remind] at point a scheduled run acts on
 * (recorded, even when no unit was due), NULL by hand.  0 with
 * *queued_r, <0 with *error_r (nothing queued then).
 */
int notice_remind(struct db *db, const struct config *config,
    const struct campaign *c, GDateTime *now, const char *point,
    bool dry_run, notice_report_fn *report, void *ctx, unsigned *queued_r,
    char **error_r);
/* The staff's summary of campaign c for now's day: none when that day's
 * was sent already, or the campaign has no staff address. */
int notice_summary(struct db *db, const struct config *config,
    const struct campaign *c, GDateTime *now, bool dry_run,
    notice_report_fn *report, void *ctx, unsigned *queued_r,
    char **error_r);
/* What [remind] at and [summary] at make due at now, for every campaign:
 * queued, logged; *queued_r counts the mails (the sender is to be
 * woken).  A campaign that fails is logged and the others go on: <0 when
 * any failed, the last reason in *error_r. */
int notice_schedule(struct db *db, const struct config *config,
    GDateTime *now, unsigned *queued_r, char **error_r);
/* The summary's line for roster unit u with tally t: "尚未报送（应报…）",
 * the minimums it has not met, and the works waiting for its sender to
 * be confirmed (g_free); NULL: nothing to chase. */
struct campaign_unit;
struct remind_tally;
char *notice_unit_pending(const struct campaign_unit *u,
    const struct remind_tally *t);

#endif
