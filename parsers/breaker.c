/* breaker: see include/breaker.h. */
#include <glib.h>

#include "breaker.h"

/* Doubling beyond this many pauses only overflows: the cap has long
 * been reached. */
#define BREAKER_DOUBLINGS_MAX	20

bool
breaker_allows(const struct breaker *b, const struct breaker_policy *p,
    int64_t now)
{
	if (b->opened == 0 || now >= b->open_until)
		return true;
	return b->open_until - now > (int64_t)p->max_pause;
}

static unsigned
breaker_pause(const struct breaker_policy *p, unsigned opened)
{
	uint64_t pause = (uint64_t)p->first_pause <<
	    MIN(opened, BREAKER_DOUBLINGS_MAX);

	return (unsigned)MIN(pause, (uint64_t)p->max_pause);
}

enum breaker_event
breaker_note(struct breaker *b, const struct breaker_policy *p,
    bool answered, int64_t now)
{
	g_assert(p->threshold >= 1);
	if (answered) {
		bool was_open = b->opened > 0;

		b->failures = 0;
		b->opened = 0;
		b->open_until = 0;
		return was_open ? BREAKER_CLOSED : BREAKER_UNCHANGED;
	}
	if (b->failures < G_MAXUINT)
		b->failures++;
	if (b->opened > 0) {
		/* The one attempt after a pause failed: a longer pause. */
		b->open_until = now + breaker_pause(p, b->opened);
		if (b->opened < G_MAXUINT)
			b->opened++;
		return BREAKER_REOPENED;
	}
	if (b->failures < p->threshold)
		return BREAKER_UNCHANGED;
	b->opened = 1;
	b->open_until = now + breaker_pause(p, 0);
	return BREAKER_OPENED;
}

unsigned
breaker_wait(const struct breaker *b, int64_t now)
{
	if (b->opened == 0 || now >= b->open_until)
		return 0;
	return (unsigned)MIN(b->open_until - now, (int64_t)G_MAXUINT);
}
