/*
 * remind: who is reminded before a campaign's deadline, and what the
 * reminder says.  A roster unit with a mailbox on the roster (its
 * senders that are addresses, not @domains) is due one when it has sent
 * nothing, or fewer works of a category than its minimum
 * (unit_minimum.h), while the campaign is open; never twice within
 * [remind] interval, never after the deadline, never to a unit that
 * has met every minimum.  A category whose own window (closes.VALUE) has
 * closed, or not opened, is not asked for.
 *
 * Pure: the caller counts the unit's works and says when it was last
 * reminded; the texts are the placeholders of the reminder template
 * (reply.h REPLY_REMINDER) and say nothing of how they are sent.  The
 * schedule of `run` ([remind] at) is here too: which point before the
 * deadline is due now.
 */
#ifndef SUBGATE_REMIND_H
#define SUBGATE_REMIND_H

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "unit_minimum.h"

struct campaign;
struct campaign_unit;

/* One unit's works as the database counts them. */
struct remind_count {
	const char *category;		/* canonical; NULL: the campaign has
					   no category field */
	unsigned n;
};

struct remind_tally {
	unsigned total;			/* works that count (accepted) */
	unsigned pending;		/* 待核实: filed, not counted */
	const struct remind_count *counts;	/* by category */
	size_t ncounts;
	int64_t last_reminded;		/* Unix time; 0: never */
	/* Mailboxes staff confirmed as the unit's senders (`cases
	 * confirm`), lower case, NULL-terminated; NULL: none.  A unit the
	 * roster knows by its @domain alone is reached through them. */
	const char *const *confirmed;
};

/* A unit_minimum_count_fn over a struct remind_tally (ctx). */
unsigned remind_tally_count(const char *unit, const char *category,
    void *ctx);

enum remind_verdict {
	REMIND_DUE,
	REMIND_MET,		/* has sent, and met every minimum still open */
	REMIND_NO_ADDRESS,	/* the roster gives no mailbox for it */
	REMIND_RECENT,		/* reminded within the interval */
};

/* "due", "met", "no-address", "recent": for the command's output. */
const char *remind_verdict_name(enum remind_verdict v);

/*
 * Whether the campaign reminds anyone at now: 1, or 0 with *why_r (a
 * sentence, static) when it does not: no roster, no deadline, not open
 * yet, past its deadline.  *deadline_r (may be NULL) gets the deadline
 * that applies (borrowed from the campaign).
 */
int remind_campaign_open(const struct campaign *c, GDateTime *now,
    GDateTime **deadline_r, const char **why_r);

/*
 * Whether unit u is due at now.  short_r (room for u->nmins) gets the
 * minimums it has not met in categories still open (*nshort_r of them),
 * whatever the verdict.
 */
enum remind_verdict remind_unit_verdict(const struct campaign *c,
    const struct campaign_unit *u, const struct remind_tally *t,
    GDateTime *now, struct unit_shortfall *short_r, size_t *nshort_r);

/* The mailboxes the roster gives u, then those staff confirmed for it
 * (confirmed, may be NULL), each once, lower case (NULL-terminated,
 * g_strfreev); NULL when none: a unit known by its @domain alone, with
 * no sender confirmed, has no one to write to. */
char **remind_unit_addresses(const struct campaign *c,
    const struct campaign_unit *u, const char *const *confirmed);

/*
 * A deadline as a notice writes it: 8月31日24时 (23:59, 23:59:59 and the
 * next 00:00 are 24时 of the day), 9月2日18时, 9月2日17时30分; the year
 * first (2021年1月3日24时) when it is not now's.  In the campaign's zone.
 * g_free.
 */
char *remind_time_text(GDateTime *t, GTimeZone *tz, GDateTime *now);

/* {counts}: "截至8月24日9时，已登记贵单位报送的作品 1 件（文字类 1 件）。"
 * or "…尚未收到贵单位报送的作品。", and the works 待核实.  g_free. */
char *remind_counts_text(const struct campaign *c,
    const struct remind_tally *t, GDateTime *now);
/* {missing}: "  · 新媒体作品：至少 1 件，现有 0 件，还差 1 件" lines; NULL
 * when nshort is 0.  g_free. */
char *remind_missing_text(const struct campaign *c,
    const struct unit_shortfall *shortfalls, size_t nshort);
/* {how}, {format} and {example} for unit: where the convention goes (the
 * subject, the file names), its format with the unit's own name in the
 * unit field's place, and an example that names the unit where the
 * convention can.  Each g_free; format and example NULL when the
 * campaign has no convention. */
void remind_how(const struct campaign *c, const char *unit, char **how_r,
    char **format_r, char **example_r);

/*
 * `run`'s schedule: the point of [remind] at due at now (the latest
 * whose time has come, before the deadline), as a key naming the point
 * and the deadline ("7d@2020-08-31T23:59:59+08:00", so that a deadline
 * moved later has points of its own), g_free; NULL when none is due.
 * The caller runs each key once.
 */
char *remind_point_due(const struct campaign *c, GDateTime *now);

#endif
