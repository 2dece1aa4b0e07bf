/* breaker: when a server that stops answering is left alone, and for how
 * long, as a table of attempts in time. */
#include <glib.h>

#include "breaker.h"
#include "test.h"

enum { ALLOWS, FAIL, OK };

struct step {
	int64_t now;
	int what;		/* ALLOWS: ask; FAIL, OK: note an attempt */
	int want;		/* ALLOWS: 1 or 0; else the breaker_event */
	unsigned wait;		/* breaker_wait() after the step */
};

static void
run_table(const char *name, const struct breaker_policy *p,
    const struct step *steps, size_t n)
{
	struct breaker b = { 0 };
	size_t i;

	for (i = 0; i < n; i++) {
		const struct step *s = &steps[i];
		g_autofree char *label = g_strdup_printf("%s step %zu (t=%lld)",
		    name, i + 1, (long long)s->now);
		int got;

		if (s->what == ALLOWS)
			got = breaker_allows(&b, p, s->now) ? 1 : 0;
		else
			got = (int)breaker_note(&b, p, s->what == OK, s->now);
		TEST_CHECK(label, got == s->want &&
		    breaker_wait(&b, s->now) == s->wait);
		if (got != s->want || breaker_wait(&b, s->now) != s->wait)
			printf("  got %d wait %u, want %d wait %u\n", got,
			    breaker_wait(&b, s->now), s->want, s->wait);
	}
}

static void
test_opens_grows_closes(void)
{
	/* Three failures in a row, a minute's pause doubling up to 300 s. */
	static const struct breaker_policy p = { 3, 60, 300 };
	static const struct step steps[] = {
		{ 0, ALLOWS, 1, 0 },
		{ 0, FAIL, BREAKER_UNCHANGED, 0 },
		{ 1, FAIL, BREAKER_UNCHANGED, 0 },
		/* A server that answers (even 4xx) breaks the run. */
		{ 2, OK, BREAKER_UNCHANGED, 0 },
		{ 3, FAIL, BREAKER_UNCHANGED, 0 },
		{ 4, FAIL, BREAKER_UNCHANGED, 0 },
		{ 5, ALLOWS, 1, 0 },
		{ 5, FAIL, BREAKER_OPENED, 60 },
		{ 6, ALLOWS, 0, 59 },
		{ 64, ALLOWS, 0, 1 },
		/* The pause is over: one attempt; it fails, twice as long. */
		{ 65, ALLOWS, 1, 0 },
		{ 65, FAIL, BREAKER_REOPENED, 120 },
		{ 100, ALLOWS, 0, 85 },
		{ 185, FAIL, BREAKER_REOPENED, 240 },
		{ 425, FAIL, BREAKER_REOPENED, 300 },
		/* Capped. */
		{ 725, FAIL, BREAKER_REOPENED, 300 },
		{ 1025, ALLOWS, 1, 0 },
		/* The server answers again: closed, counting from zero. */
		{ 1025, OK, BREAKER_CLOSED, 0 },
		{ 1026, ALLOWS, 1, 0 },
		{ 1026, OK, BREAKER_UNCHANGED, 0 },
		{ 1027, FAIL, BREAKER_UNCHANGED, 0 },
		{ 1028, FAIL, BREAKER_UNCHANGED, 0 },
		{ 1029, FAIL, BREAKER_OPENED, 60 },
	};

	run_table("breaker", &p, steps, G_N_ELEMENTS(steps));
}

static void
test_edges(void)
{
	static const struct breaker_policy one = { 1, 10, 10 };
	static const struct step first_failure[] = {
		{ 100, FAIL, BREAKER_OPENED, 10 },
		{ 105, ALLOWS, 0, 5 },
		/* The clock went back an hour: a pause beyond max_pause
		 * is not waited out. */
		{ -3500, ALLOWS, 1, 3610 },
		{ 110, ALLOWS, 1, 0 },
		{ 110, FAIL, BREAKER_REOPENED, 10 },
	};
	struct breaker_policy huge = { 1, 60, 4000000000u };
	struct breaker b = { 0 };
	int i;

	run_table("threshold 1", &one, first_failure,
	    G_N_ELEMENTS(first_failure));
	/* Many pauses in a row neither overflow nor pass the cap. */
	for (i = 0; i < 100; i++)
		breaker_note(&b, &huge, false, 0);
	TEST_CHECK("doubling capped", breaker_wait(&b, 0) <= huge.max_pause &&
	    breaker_wait(&b, 0) >= 60);
	TEST_CHECK("zeroed is closed", breaker_allows(&(struct breaker){ 0 },
	    &huge, 0));
}

int
main(void)
{
	test_opens_grows_closes();
	test_edges();
	return TEST_EXIT();
}
