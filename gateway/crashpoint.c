/* crashpoint: see include/crashpoint.h. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "crashpoint.h"

void
crashpoint(const char *name)
{
	/* Looked up once, by whichever thread (intake or the sender) gets
	 * to a crash point first. */
	static gsize looked;
	static const char *armed;

	if (g_once_init_enter(&looked)) {
		armed = getenv("SUBGATE_TEST_CRASH_POINT");
		g_once_init_leave(&looked, 1);
	}
	if (armed != NULL && strcmp(armed, name) == 0)
		kill(getpid(), SIGKILL);
}

/* The errnos a fail point can name: those a disk produces. */
static const struct {
	const char *name;
	int value;
} failpoint_errnos[] = {
	{ "EIO", EIO }, { "ENOSPC", ENOSPC }, { "EDQUOT", EDQUOT },
	{ "EROFS", EROFS }, { "EACCES", EACCES }, { "EPERM", EPERM },
	{ "ENOMEM", ENOMEM }, { "EINVAL", EINVAL },
};

/* Whether item ("name" or "name:ERRNO") arms the point name; errno then
 * as the item says. */
static bool
failpoint_item(const char *item, const char *name)
{
	size_t len = strlen(name), i;

	if (strncmp(item, name, len) != 0)
		return false;
	if (item[len] == '\0') {
		errno = 0;
		return true;
	}
	if (item[len] != ':')
		return false;
	for (i = 0; i < G_N_ELEMENTS(failpoint_errnos); i++) {
		if (strcmp(item + len + 1, failpoint_errnos[i].name) == 0) {
			errno = failpoint_errnos[i].value;
			return true;
		}
	}
	/* A name the table lacks is the test's mistake. */
	g_error("SUBGATE_TEST_FAIL_POINT: %s: unknown errno", item);
}

bool
failpoint(const char *name)
{
	const char *armed = getenv("SUBGATE_TEST_FAIL_POINT");
	g_auto(GStrv) items = NULL;
	size_t i;

	if (armed == NULL)
		return false;
	items = g_strsplit(armed, ",", -1);
	for (i = 0; items[i] != NULL; i++)
		if (failpoint_item(items[i], name))
			return true;
	return false;
}
