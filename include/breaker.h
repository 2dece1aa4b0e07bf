/*
 * breaker: a circuit breaker for a server that stops answering.
 *
 * After `threshold` failures in a row the breaker opens: nothing is tried
 * for a pause (first_pause seconds).  When the pause is over one attempt
 * is let through; if it fails too the breaker opens again for twice as
 * long, up to max_pause; the first success closes it.  The outbox keeps
 * one per SMTP server, so a relay that accepts connections and then
 * never answers costs a few timeouts, not one per queued reply, and the
 * replies wait in the queue instead.
 *
 * Pure: the caller passes the time (seconds, any clock that does not
 * jump much) and keeps the state; breaker_note() says when the breaker
 * changed, so the caller logs an opening and a closing once each.  A
 * zeroed struct breaker is a closed one with no failures.
 */
#ifndef SUBGATE_BREAKER_H
#define SUBGATE_BREAKER_H

#include <stdbool.h>
#include <stdint.h>

struct breaker_policy {
	unsigned threshold;	/* failures in a row that open it (>= 1) */
	unsigned first_pause;	/* seconds of the first pause */
	unsigned max_pause;	/* the longest pause */
};

struct breaker {
	unsigned failures;	/* failures in a row */
	unsigned opened;	/* pauses in a row: 0 while closed */
	int64_t open_until;	/* nothing is tried before this time */
};

enum breaker_event {
	BREAKER_UNCHANGED,
	BREAKER_OPENED,		/* was closed */
	BREAKER_REOPENED,	/* the attempt after a pause failed too */
	BREAKER_CLOSED,		/* was open; an attempt succeeded */
};

/* Whether an attempt may be made at now: closed, or open with its pause
 * over.  A pause that ends further ahead than max_pause (the clock went
 * back) counts as over. */
bool breaker_allows(const struct breaker *b, const struct breaker_policy *p,
    int64_t now);
/* Records an attempt's outcome: answered is false for a failure of the
 * kind the breaker counts (for the outbox: no answer at all). */
enum breaker_event breaker_note(struct breaker *b,
    const struct breaker_policy *p, bool answered, int64_t now);
/* Seconds until the next attempt may be made (0: now). */
unsigned breaker_wait(const struct breaker *b, int64_t now);

#endif
