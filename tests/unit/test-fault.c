/* test-fault: whose fault an errno is (include/fault.h), and the errno a
 * fail point names (include/crashpoint.h). */
#include <errno.h>
#include <stdlib.h>

#include "crashpoint.h"
#include "fault.h"
#include "test.h"

static const struct {
	const char *what;
	int err;
	int want;
} errnos[] = {
	{ "enospc", ENOSPC, FAULT_ENVIRONMENT },
	{ "edquot", EDQUOT, FAULT_ENVIRONMENT },
	{ "erofs", EROFS, FAULT_ENVIRONMENT },
	{ "eacces", EACCES, FAULT_ENVIRONMENT },
	{ "eperm", EPERM, FAULT_ENVIRONMENT },
	{ "eio", EIO, FAULT_ENVIRONMENT },
	{ "emfile", EMFILE, FAULT_ENVIRONMENT },
	{ "enomem", ENOMEM, FAULT_ENVIRONMENT },
	{ "estale", ESTALE, FAULT_ENVIRONMENT },
	/* What a message can bring about, or our own mistake: counted. */
	{ "eexist", EEXIST, -1 },
	{ "enametoolong", ENAMETOOLONG, -1 },
	{ "einval", EINVAL, -1 },
	{ "efbig", EFBIG, -1 },
	{ "eloop", ELOOP, -1 },
	{ "none", 0, -1 },
};

static const struct {
	const char *what;
	const char *armed;		/* NULL: unset */
	int fails;
	int err;
} points[] = {
	{ "unset", NULL, 0, 0 },
	{ "other point", "mid-case", 0, 0 },
	{ "prefix only", "ingestion", 0, 0 },
	{ "the message's", "ingest", 1, 0 },
	{ "eio", "ingest:EIO", 1, EIO },
	{ "enospc", "ingest:ENOSPC", 1, ENOSPC },
	{ "einval", "ingest:EINVAL", 1, EINVAL },
	{ "in a list", "forgive:EIO,ingest:ENOSPC", 1, ENOSPC },
	{ "not in the list", "forgive:EIO,mid-case", 0, 0 },
};

int
main(void)
{
	char name[128];
	size_t i;

	for (i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++) {
		snprintf(name, sizeof(name), "errno-%s", errnos[i].what);
		TEST_CHECK(name, fault_errno(errnos[i].err) == errnos[i].want);
	}
	for (i = 0; i < sizeof(points) / sizeof(points[0]); i++) {
		bool fails;

		if (points[i].armed != NULL)
			setenv("SUBGATE_TEST_FAIL_POINT", points[i].armed, 1);
		else
			unsetenv("SUBGATE_TEST_FAIL_POINT");
		errno = 12345;
		fails = failpoint("ingest");
		snprintf(name, sizeof(name), "failpoint-%s", points[i].what);
		TEST_CHECK(name, fails == (points[i].fails != 0) &&
		    (!fails || errno == points[i].err));
	}
	return TEST_EXIT();
}
