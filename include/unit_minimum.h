/*
 * unit_minimum: which minimums a roster unit has not met.  A campaign
 * may ask each unit for at least N works of a category ([policy]
 * min_per_unit_category, a unit's own min.CATEGORY: campaign.h's struct
 * campaign_unit mins); nothing is refused for it, but staff chase the
 * units below it (stats, the index) and the units are reminded before
 * the deadline (remind.h).  This is the one place that decides who is
 * below: every view asks here, with its own way of counting.
 *
 * Pure: the caller counts the unit's works that count (not rejected,
 * superseded, missing or pending: DB_COUNT_UNIT_CATEGORY) and hands them
 * in through a callback.  Categories are the canonical values of
 * category_field, as the minimums and the database write them.
 */
#ifndef SUBGATE_UNIT_MINIMUM_H
#define SUBGATE_UNIT_MINIMUM_H

#include <stddef.h>

struct campaign_unit;

/* One minimum not met: at least min works of category, have so far. */
struct unit_shortfall {
	const char *category;	/* borrowed from the unit */
	unsigned min;
	unsigned have;
};

/* How many works of unit count in category. */
typedef unsigned unit_minimum_count_fn(const char *unit, const char *category,
    void *ctx);

/*
 * The minimums of u not met, in the order the campaign gives them,
 * written to out (room for u->nmins entries; NULL to count only): their
 * number, 0 when every minimum is met or u has none.
 */
size_t unit_minimum_shortfalls(const struct campaign_unit *u,
    unit_minimum_count_fn *count, void *ctx, struct unit_shortfall *out);

#endif
