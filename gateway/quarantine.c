/* quarantine: see include/quarantine.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "fault.h"
#include "quarantine.h"
#include "store.h"

struct quarantine {
	int dirfd;
	char *rel;			/* <campaign>/<YYYY-MM> */
};

/* Whether a is b or lies under it. */
static bool
path_within(const char *a, const char *b)
{
	size_t n = strlen(b);

	return strncmp(a, b, n) == 0 && (a[n] == '\0' || a[n] == '/' ||
	    (n > 0 && b[n - 1] == '/'));
}

/* The quarantine is no part of the store, which staff browse and copy
 * from: an infected file must not reach it by a path that overlaps. */
static int
quarantine_apart(const char *dir, const char *store_dir, char **error_r)
{
	g_autofree char *q = realpath(dir, NULL);
	g_autofree char *s = realpath(store_dir, NULL);

	if (q == NULL) {
		int e = errno;

		*error_r = g_strdup_printf("quarantine %s: %s", dir,
		    g_strerror(e));
		return FAULT_ENVIRONMENT;
	}
	/* No store yet: nothing to overlap. */
	if (s != NULL && (path_within(q, s) || path_within(s, q))) {
		*error_r = g_strdup_printf("quarantine %s overlaps the store %s: "
		    "set [clamd] quarantine to a directory outside it", dir,
		    store_dir);
		return FAULT_ENVIRONMENT;
	}
	return 0;
}

int
quarantine_open(const char *dir, const char *store_dir, const char *campaign,
    const char *month, struct quarantine **q_r, char **error_r)
{
	g_autofree char *rel = g_build_filename(campaign, month, NULL);
	g_autofree char *full = g_build_filename(dir, rel, NULL);
	struct quarantine *q;
	int fd, r;

	*q_r = NULL;
	if (g_mkdir_with_parents(full, 0700) < 0) {
		int e = errno;

		*error_r = g_strdup_printf("quarantine %s: %s", full,
		    g_strerror(e));
		return FAULT_ENVIRONMENT;
	}
	if ((r = quarantine_apart(dir, store_dir, error_r)) < 0)
		return r;
	fd = open(full, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		int e = errno;

		*error_r = g_strdup_printf("quarantine %s: %s", full,
		    g_strerror(e));
		return FAULT_ENVIRONMENT;
	}
	q = g_new0(struct quarantine, 1);
	q->dirfd = fd;
	q->rel = g_steal_pointer(&rel);
	*q_r = q;
	return 0;
}

int
quarantine_put(struct quarantine *q, GMimeStream *in, const char *suffix,
    char sha_r[65], char **relpath_r, char **error_r)
{
	g_autofree char *tmp = g_strdup_printf(".tmp-%08x%08x",
	    g_random_int(), g_random_int());
	g_autofree char *name = NULL;
	uint64_t size;

	*relpath_r = NULL;
	if (store_write_stream(q->dirfd, tmp, in, &size, sha_r, error_r) < 0) {
		g_autofree char *why = *error_r;

		*error_r = g_strdup_printf("quarantine %s: %s", q->rel, why);
		return FAULT_ENVIRONMENT;
	}
	/* The same name holds the same bytes: an earlier attempt at the
	 * same mail, cut short before its commit, is simply replaced. */
	name = g_strconcat(sha_r, suffix, NULL);
	if (renameat(q->dirfd, tmp, q->dirfd, name) < 0) {
		int e = errno;

		(void)unlinkat(q->dirfd, tmp, 0);
		*error_r = g_strdup_printf("quarantine %s/%s: %s", q->rel,
		    name, g_strerror(e));
		return FAULT_ENVIRONMENT;
	}
	*relpath_r = g_build_filename(q->rel, name, NULL);
	return 0;
}

int
quarantine_close(struct quarantine **qp, char **error_r)
{
	struct quarantine *q = *qp;
	int r = 0;

	if (q == NULL)
		return 0;
	*qp = NULL;
	if (error_r != NULL && fsync(q->dirfd) < 0) {
		int e = errno;

		*error_r = g_strdup_printf("quarantine %s: fsync: %s", q->rel,
		    g_strerror(e));
		r = FAULT_ENVIRONMENT;
	}
	close(q->dirfd);
	g_free(q->rel);
	g_free(q);
	return r;
}
