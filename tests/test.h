/*
 * A tiny table-test harness.  Every check prints one line, "PASS name" or
 * "FAIL name: why", which tests/run counts into the final
 * "N passed, N failed" line.  A test binary exits non-zero when any check
 * failed.
 */
#ifndef SUBGATE_TEST_H
#define SUBGATE_TEST_H

#include <stdio.h>
#include <string.h>

static int test_failures;
static int test_passes;

#define TEST_CHECK(name, cond) do {					\
	if (cond) {							\
		test_passes++;						\
		printf("PASS %s\n", (name));				\
	} else {							\
		test_failures++;					\
		printf("FAIL %s: %s (%s:%d)\n", (name), #cond,		\
		    __FILE__, __LINE__);				\
	}								\
} while (0)

#define TEST_CHECK_STR(name, got, want) do {				\
	const char *test_got_ = (got), *test_want_ = (want);		\
	if (test_got_ != NULL && test_want_ != NULL &&			\
	    strcmp(test_got_, test_want_) == 0) {			\
		test_passes++;						\
		printf("PASS %s\n", (name));				\
	} else {							\
		test_failures++;					\
		printf("FAIL %s: got \"%s\", want \"%s\" (%s:%d)\n",	\
		    (name), test_got_ ? test_got_ : "(null)",		\
		    test_want_ ? test_want_ : "(null)", __FILE__, __LINE__); \
	}								\
} while (0)

#define TEST_EXIT() (test_failures == 0 ? 0 : 1)

#endif
