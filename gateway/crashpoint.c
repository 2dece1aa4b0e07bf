/* crashpoint: see include/crashpoint.h. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crashpoint.h"

void
crashpoint(const char *name)
{
	static const char *armed;
	static int looked;

	if (!looked) {
		armed = getenv("SUBGATE_TEST_CRASH_POINT");
		looked = 1;
	}
	if (armed != NULL && strcmp(armed, name) == 0)
		kill(getpid(), SIGKILL);
}

bool
failpoint(const char *name)
{
	const char *armed = getenv("SUBGATE_TEST_FAIL_POINT");

	return armed != NULL && strcmp(armed, name) == 0;
}
