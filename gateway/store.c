/* store: see include/store.h. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <glib.h>
#include <gmime/gmime.h>

#include "fault.h"
#include "fdio.h"
#include "safename.h"
#include "sha256.h"
#include "store.h"

/* Bytes of a title used in a folder name: long titles make paths that
 * Windows file shares refuse. */
#define STORE_TITLE_BYTES	80
/* Duplicate attachment names get " (2)" ... up to this many. */
#define STORE_MAX_DUPLICATES	999

struct store {
	char *dir;
	int root_fd;		/* the root as opened, held so that a store
				   deleted or replaced under the daemon is
				   noticed (its inode cannot be reused) */
	int lock_fd;
	unsigned serial;
	char *clean_stamp;	/* what the last clean stop left, or NULL */
	unsigned unsettled;	/* case folders in place, commit not known */
	bool marked;		/* the mark is (still) in the root */
	bool recovered;
};

/* Left in the root by a stop with nothing in flight (store_mark_clean),
 * removed before the next case folder is put in place: present at start
 * means the store holds no half-committed case folder. */
#define STORE_CLEAN_FILE	".clean"
#define STORE_CLEAN_MAX		256

struct store_case {
	struct store *store;
	char *tmp_path;
	char *final_rel;
	int dirfd;
	GHashTable *names;
};

/* The reason, and whose fault it is (include/fault.h): a store that is
 * full, read-only or closed to subgate is not the message's doing. */
static int
store_errno(char **error_r, const char *what, const char *path)
{
	int e = errno;

	*error_r = g_strdup_printf("%s %s: %s", what, path, g_strerror(e));
	return fault_errno(e);
}

/* The same for a name relative to a directory. */
static int
store_errno_at(char **error_r, const char *what, const char *name, int e)
{
	*error_r = g_strdup_printf("%s %s: %s", what, name, g_strerror(e));
	return fault_errno(e);
}

static int
store_fsync_path(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -1;
	ret = fsync(fd);
	close(fd);
	return ret;
}

/*
 * mkdir -p, durably: every directory created is fsynced into its parent.
 * After a power cut the database may say a case is committed; the folders
 * leading to it must exist then too, not only the case folder itself.
 */
static int
store_mkdirs(const char *path, char **error_r)
{
	g_autofree char *parent = NULL;

	if (g_file_test(path, G_FILE_TEST_IS_DIR))
		return 0;
	parent = g_path_get_dirname(path);
	if (strcmp(parent, path) != 0 && store_mkdirs(parent, error_r) < 0)
		return -1;
	if (mkdir(path, 02770) < 0 && errno != EEXIST)
		return store_errno(error_r, "cannot create", path);
	if (store_fsync_path(parent) < 0)
		return store_errno(error_r, "cannot sync", parent);
	return 0;
}

/*
 * A directory beneath the store, reached one component at a time from the
 * store's root without following a symbolic link (O_NOFOLLOW on each), and
 * made where missing (fsynced into its parent, as store_mkdirs does).
 * Staff work in the store; a link one of them (or anyone with a share)
 * puts where a category folder or _unaccepted belongs must not carry a
 * submission outside it.  The directory's fd, or <0.
 */
static int
store_dir_beneath(const struct store *store, const char *rel, char **error_r)
{
	g_auto(GStrv) parts = g_strsplit(rel, "/", -1);
	g_autoptr(GString) path = g_string_new(store->dir);
	int fd = open(store->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	size_t i;

	if (fd < 0)
		return store_errno(error_r, "cannot open", store->dir);
	for (i = 0; parts[i] != NULL; i++) {
		const char *sofar;
		int next;

		if (*parts[i] == '\0' || strcmp(parts[i], ".") == 0)
			continue;
		g_string_append_printf(path, "/%s", parts[i]);
		sofar = path->str;
		if (strcmp(parts[i], "..") == 0) {
			close(fd);
			*error_r = g_strdup_printf("%s: leaves the store", sofar);
			return -1;
		}
		if (mkdirat(fd, parts[i], 02770) == 0) {
			if (fsync(fd) < 0) {
				int e = errno;

				close(fd);
				return store_errno_at(error_r, "cannot sync",
				    sofar, e);
			}
		} else if (errno != EEXIST) {
			int e = errno;

			close(fd);
			return store_errno_at(error_r, "cannot create", sofar,
			    e);
		}
		next = openat(fd, parts[i], O_RDONLY | O_DIRECTORY |
		    O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		if (next < 0 && (errno == ELOOP || errno == ENOTDIR)) {
			*error_r = g_strdup_printf("%s: \"%s\" is a symbolic "
			    "link or not a folder; subgate writes nothing "
			    "through links in the store", sofar, parts[i]);
			return -1;
		}
		if (next < 0)
			return store_errno(error_r, "cannot open", sofar);
		fd = next;
	}
	return fd;
}

/* Reads the clean-stop mark; it stays until a case folder is about to
 * be put in place (store_unmark), so that a run that changes nothing,
 * fsck's check among them, leaves it as it was. */
static int
store_read_clean(struct store *store, char **error_r)
{
	char buf[STORE_CLEAN_MAX + 1];
	ssize_t n;
	int fd;

	fd = openat(store->root_fd, STORE_CLEAN_FILE,
	    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 :
		    store_errno(error_r, "cannot open", STORE_CLEAN_FILE);
	n = read(fd, buf, STORE_CLEAN_MAX);
	close(fd);
	store->marked = true;
	if (n > 0) {
		buf[n] = '\0';
		store->clean_stamp = g_strdup(buf);
	}
	return 0;
}

/* Its removal is made durable before the first case folder goes in: a
 * mark that came back after a crash would hide a half-committed folder
 * from the next start. */
static int
store_unmark(struct store *store, char **error_r)
{
	if (!store->marked)
		return 0;
	if ((unlinkat(store->root_fd, STORE_CLEAN_FILE, 0) < 0 &&
	    errno != ENOENT) || fsync(store->root_fd) < 0)
		return store_errno(error_r, "cannot remove", STORE_CLEAN_FILE);
	store->marked = false;
	return 0;
}

const char *
store_clean_stamp(const struct store *store)
{
	return store->clean_stamp;
}

void
store_case_settled(struct store *store)
{
	if (store->unsettled > 0)
		store->unsettled--;
}

int
store_mark_clean(struct store *store, const char *stamp, char **error_r)
{
	static const char tmp[] = STORE_CLEAN_FILE ".new";
	size_t len = strlen(stamp);
	int fd;

	/* Not after a recovery that failed, nor with a case folder whose
	 * commit is not known: the next start must look at everything. */
	if (!store->recovered || store->unsettled > 0 ||
	    len > STORE_CLEAN_MAX)
		return 0;
	(void)unlinkat(store->root_fd, tmp, 0);
	fd = openat(store->root_fd, tmp, O_WRONLY | O_CREAT | O_EXCL |
	    O_NOFOLLOW | O_CLOEXEC, 0640);
	if (fd < 0)
		return store_errno(error_r, "cannot create", tmp);
	/* Not synced: a mark lost or cut short only costs the next start
	 * a full look (its stamp no longer matches). */
	if (fd_write_all(fd, stamp, len) < 0 || close(fd) < 0 ||
	    renameat(store->root_fd, tmp, store->root_fd,
	    STORE_CLEAN_FILE) < 0) {
		int e = errno;

		(void)unlinkat(store->root_fd, tmp, 0);
		errno = e;
		return store_errno(error_r, "cannot write", STORE_CLEAN_FILE);
	}
	return 0;
}

int
store_open(const char *dir, struct store **store_r, char **error_r)
{
	struct store *store;
	/* Beside the store, not in it: deleting the store while the daemon
	 * runs must not drop the lock and let a second one start. */
	g_autofree char *root = g_strdup(dir);
	g_autofree char *lock = NULL;
	struct stat sb;
	g_autofree char *tmp = g_build_filename(dir, STORE_TMP_DIR, NULL);
	g_autofree char *spool = g_build_filename(dir, STORE_SPOOL_DIR, NULL);
	int fd;

	*store_r = NULL;
	if (store_mkdirs(dir, error_r) < 0 || store_mkdirs(tmp, error_r) < 0 ||
	    store_mkdirs(spool, error_r) < 0)
		return -1;
	while (strlen(root) > 1 && root[strlen(root) - 1] == '/')
		root[strlen(root) - 1] = '\0';
	lock = g_strconcat(root, ".lock", NULL);
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (fd < 0)
		return store_errno(error_r, "cannot open", lock);
	/* Two gateways on one store would hand out the same receipt. */
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		*error_r = g_strdup_printf("store %s is in use by another "
		    "subgate process", dir);
		close(fd);
		return STORE_BUSY;
	}
	store = g_new0(struct store, 1);
	store->dir = g_strdup(dir);
	store->lock_fd = fd;
	store->root_fd = -1;
	store->root_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (store->root_fd < 0 || fstat(store->root_fd, &sb) < 0) {
		store_close(&store);
		return store_errno(error_r, "cannot open", dir);
	}
	if (store_read_clean(store, error_r) < 0) {
		store_close(&store);
		return -1;
	}
	*store_r = store;
	return 0;
}

void
store_close(struct store **storep)
{
	struct store *store = *storep;

	if (store == NULL)
		return;
	*storep = NULL;
	if (store->root_fd >= 0)
		close(store->root_fd);
	close(store->lock_fd);
	g_free(store->clean_stamp);
	g_free(store->dir);
	g_free(store);
}

int
store_check(const struct store *store, char **error_r)
{
	struct stat now, was;

	if (fstat(store->root_fd, &was) < 0 || was.st_nlink == 0 ||
	    stat(store->dir, &now) < 0) {
		*error_r = g_strdup_printf("store %s was deleted since subgate "
		    "opened it; restore it, or restart subgate on a new one",
		    store->dir);
		return -1;
	}
	if (now.st_dev != was.st_dev || now.st_ino != was.st_ino) {
		*error_r = g_strdup_printf("store %s was replaced since subgate "
		    "opened it; restart subgate to use the new one", store->dir);
		return -1;
	}
	return 0;
}

const char *
store_dir(const struct store *store)
{
	return store->dir;
}

static int
store_rm_entry(const char *path, const struct stat *sb, int flag,
    struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

static int
store_rm_tree(const char *path)
{
	if (nftw(path, store_rm_entry, 16, FTW_DEPTH | FTW_PHYS) < 0 &&
	    errno != ENOENT)
		return -1;
	return 0;
}

/* Empties a directory of ours, .tmp/ or .spool/, keeping the directory
 * itself: it may be a mount point (a spool on a file system of its own).
 * Anything else in its place (a link, a file) is replaced by one. */
static int
store_empty_dir(const char *path, char **error_r)
{
	struct stat st;
	struct dirent *de;
	DIR *d;
	int ret = 0;

	if (lstat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
		if (store_rm_tree(path) < 0)
			return store_errno(error_r, "cannot clean", path);
		return store_mkdirs(path, error_r);
	}
	if ((d = opendir(path)) == NULL)
		return store_errno(error_r, "cannot clean", path);
	while (ret == 0 && (de = readdir(d)) != NULL) {
		g_autofree char *child = NULL;

		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		child = g_build_filename(path, de->d_name, NULL);
		if (store_rm_tree(child) < 0)
			ret = store_errno(error_r, "cannot clean", child);
	}
	closedir(d);
	return ret;
}

/*
 * Whether a folder is one subgate made: named <PREFIX>-<NNNNN>[-title] and
 * holding a case.json.  The store is shared with staff, whose own folders
 * (评审结果/第一轮-意见) must never be taken for cases.
 */
bool
store_is_case_folder(const char *path, const char *name)
{
	g_autofree char *json = g_build_filename(path, "case.json", NULL);
	const char *p = name, *digits;
	struct stat st;

	while (g_ascii_isupper(*p) || g_ascii_isdigit(*p))
		p++;
	if (p == name || *p != '-')
		return false;
	digits = ++p;
	while (g_ascii_isdigit(*p))
		p++;
	if (p - digits < 5 || (*p != '\0' && *p != '-'))
		return false;
	return lstat(json, &st) == 0 && S_ISREG(st.st_mode);
}

struct recover_lists {
	GPtrArray *set_aside;
	GPtrArray *moved;
};

static int
store_recover_level(struct store *store, const char *path, const char *rel,
    int depth, int (*is_committed)(const char *, void *, char **), void *ctx,
    struct recover_lists *lists, char **error_r)
{
	DIR *d = opendir(path);
	struct dirent *de;
	int ret = 0;

	if (d == NULL)
		return errno == ENOENT ? 0 : store_errno(error_r, "cannot read", path);
	while (ret == 0 && (de = readdir(d)) != NULL) {
		g_autofree char *child = NULL, *child_rel = NULL;
		struct stat st;

		/* What fsck set aside stays until staff look at it. */
		if (de->d_name[0] == '.' ||
		    strcmp(de->d_name, STORE_UNACCEPTED_DIR) == 0 ||
		    strcmp(de->d_name, STORE_FSCK_DIR) == 0)
			continue;
		child = g_build_filename(path, de->d_name, NULL);
		child_rel = rel != NULL ? g_build_filename(rel, de->d_name, NULL) :
		    g_strdup(de->d_name);
		if (lstat(child, &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		if (depth < 2) {
			ret = store_recover_level(store, child, child_rel,
			    depth + 1, is_committed, ctx, lists, error_r);
			continue;
		}
		if (!store_is_case_folder(child, de->d_name))
			continue;
		/* Committed means this very folder is a case in the database:
		 * a receipt alone could be reused after a failed commit. */
		ret = is_committed(child_rel, ctx, error_r);
		if (ret < 0)
			break;
		if (ret == 0) {
			/* Not this path's case: a commit a crash cut short,
			 * but just as well a category folder staff renamed or
			 * a database restored from an older copy.  Which, only
			 * staff can tell: set aside, never deleted. */
			char *moved = NULL;

			ret = store_set_aside(store, child_rel, &moved, error_r);
			if (ret == 0)
				g_ptr_array_add(lists->set_aside,
				    g_strdup_printf("%s -> %s", child_rel,
				    moved));
			g_free(moved);
		} else if (ret == STORE_CASE_ELSEWHERE) {
			/* Its receipt is a case recorded at another path:
			 * no crash leaves that (an unclean stop is followed
			 * by this walk before any new commit), a folder
			 * moved by hand does.  Where it is, for fsck. */
			g_ptr_array_add(lists->moved, g_strdup(child_rel));
			ret = 0;
		} else {
			ret = 0;
		}
	}
	closedir(d);
	return ret;
}

int
store_recover(struct store *store, bool walk,
    int (*is_committed)(const char *, void *, char **), void *ctx,
    char ***set_aside_r, char ***moved_r, char **error_r)
{
	struct recover_lists lists = {
		.set_aside = g_ptr_array_new(),
		.moved = g_ptr_array_new(),
	};
	int ret;

	g_autofree char *tmp = g_build_filename(store->dir, STORE_TMP_DIR, NULL);
	g_autofree char *spool = g_build_filename(store->dir, STORE_SPOOL_DIR, NULL);

	/* Nothing in .tmp or .spool is committed: the message it came from
	 * is still unprocessed and will be fetched again. */
	ret = store_empty_dir(tmp, error_r);
	if (ret == 0)
		ret = store_empty_dir(spool, error_r);
	if (ret == 0 && walk)
		ret = store_recover_level(store, store->dir, NULL, 0,
		    is_committed, ctx, &lists, error_r);
	store->recovered = ret == 0;
	g_ptr_array_add(lists.set_aside, NULL);
	*set_aside_r = (char **)g_ptr_array_free(lists.set_aside, FALSE);
	g_ptr_array_add(lists.moved, NULL);
	*moved_r = (char **)g_ptr_array_free(lists.moved, FALSE);
	return ret;
}

int
store_spool_create(struct store *store, int *fd_r, char **path_r,
    char **error_r)
{
	char *path = g_strdup_printf("%s/%s/msg-%ld-%u.eml", store->dir,
	    STORE_SPOOL_DIR, (long)getpid(), ++store->serial);
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
	    0640);
	int r;

	if (fd < 0) {
		r = store_errno(error_r, "cannot create", path);
		g_free(path);
		return r;
	}
	*fd_r = fd;
	*path_r = path;
	return 0;
}

/* Writes data to a new fd durably and closes it; -1 with errno. */
static int
store_write_close(int fd, const void *data, size_t len)
{
	if (fd_write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	return close(fd);
}

static int
store_copy_fd(int in, int out)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (fd_write_all(out, buf, (size_t)n) < 0)
			return -1;
	}
	return fsync(out);
}

int
store_write_stream(int dirfd, const char *name, GMimeStream *in,
    uint64_t *size_r, char sha256_hex_r[65], char **error_r)
{
	struct sha256 sha;
	char buf[64 * 1024];
	uint64_t size = 0;
	ssize_t n;
	int fd, ret = -1;

	/* The store is shared with the staff group: never follow a link
	 * someone left where subgate writes, never replace a file. */
	fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
	    O_NOFOLLOW, 0640);
	if (fd < 0)
		return store_errno_at(error_r, "create", name, errno);
	/* GnuTLS fails only when memory runs out: not the message's fault. */
	if (sha256_init(&sha, error_r) < 0) {
		close(fd);
		(void)unlinkat(dirfd, name, 0);
		return FAULT_ENVIRONMENT;
	}
	/* A buffer at a time: an attachment may be far larger than memory
	 * should hold. */
	while ((n = g_mime_stream_read(in, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			ret = store_errno_at(error_r, "read", name, errno);
			goto out;
		}
		if (fd_write_all(fd, buf, (size_t)n) < 0) {
			ret = store_errno_at(error_r, "write", name, errno);
			goto out;
		}
		sha256_update(&sha, buf, (size_t)n);
		size += (uint64_t)n;
	}
	if (fsync(fd) < 0) {
		ret = store_errno_at(error_r, "fsync", name, errno);
		goto out;
	}
	ret = 0;
out:
	if (close(fd) < 0 && ret == 0)
		ret = store_errno_at(error_r, "close", name, errno);
	if (ret < 0) {
		(void)unlinkat(dirfd, name, 0);
		sha256_abort(&sha);
	} else {
		sha256_final_hex(&sha, sha256_hex_r);
		*size_r = size;
	}
	return ret;
}

static int
store_copy_path(int dirfd, const char *name, const char *src, char **error_r)
{
	int in, out, ret;

	in = open(src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (in < 0)
		return store_errno(error_r, "cannot open", src);
	/* The store is shared with the staff group: never follow a link
	 * someone left where subgate writes. */
	out = openat(dirfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
	    O_NOFOLLOW,
	    0640);
	if (out < 0) {
		ret = store_errno(error_r, "cannot create", name);
		close(in);
		return ret;
	}
	ret = store_copy_fd(in, out);
	if (ret < 0)
		ret = store_errno(error_r, "cannot copy to", name);
	close(in);
	if (close(out) < 0 && ret == 0)
		ret = store_errno(error_r, "cannot write", name);
	return ret;
}

/*
 * The spool file itself under a second name: a message of a gigabyte is
 * not copied.  Only for subgate's own spool, on the store's file system
 * and unlinked once processed; elsewhere (another file system, a link
 * refused) it is copied.  Its data are made durable here, as a copy's.
 */
static int
store_adopt_path(int dirfd, const char *name, const char *src,
    char **error_r)
{
	int fd, ret = 0;

	if (linkat(AT_FDCWD, src, dirfd, name, 0) < 0) {
		if (errno == EXDEV || errno == EPERM || errno == EMLINK ||
		    errno == EOPNOTSUPP)
			return store_copy_path(dirfd, name, src, error_r);
		return store_errno(error_r, "cannot link", name);
	}
	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || fsync(fd) < 0)
		ret = store_errno(error_r, "cannot sync", name);
	if (fd >= 0)
		close(fd);
	return ret;
}

char *
store_unaccepted_path(const struct store *store, const char *campaign,
    const char *name)
{
	g_autofree char *file = g_strdup_printf("%s.eml", name);

	return g_build_filename(store->dir, campaign, STORE_UNACCEPTED_DIR, file,
	    NULL);
}

int
store_keep_unaccepted(struct store *store, const char *campaign,
    const char *src_path, const char *name, bool spool, char **error_r)
{
	g_autofree char *rel = g_build_filename(campaign, STORE_UNACCEPTED_DIR,
	    NULL);
	g_autofree char *file = g_strdup_printf("%s.eml", name);
	int dirfd, ret;

	if ((dirfd = store_dir_beneath(store, rel, error_r)) < 0)
		return dirfd;
	ret = spool ? store_adopt_path(dirfd, file, src_path, error_r) :
	    store_copy_path(dirfd, file, src_path, error_r);
	if (ret == 0)
		fsync(dirfd);
	close(dirfd);
	return ret;
}

/* Names are compared as Windows, macOS and SMB shares compare them:
 * IMG_0001.JPG and img_0001.jpg are one file there. */
static char *
store_name_key(const char *name)
{
	g_autofree char *nfc = g_utf8_normalize(name, -1,
	    G_NORMALIZE_DEFAULT_COMPOSE);

	return g_utf8_casefold(nfc ? nfc : name, -1);
}

static bool
store_case_name_taken(struct store_case *c, const char *name)
{
	g_autofree char *key = store_name_key(name);

	return g_hash_table_contains(c->names, key);
}

static void
store_case_name_take(struct store_case *c, const char *name)
{
	g_hash_table_add(c->names, store_name_key(name));
}

int
store_case_begin(struct store *store, const char *campaign,
    const char *category, const char *receipt, const char *title,
    struct store_case **case_r, char **error_r)
{
	g_autofree char *safe_cat = safename_make(category ? category : "",
	    "未分类");
	g_autofree char *short_title = NULL;
	g_autofree char *folder = NULL;
	g_autofree char *safe_folder = NULL;
	struct store_case *c;
	const char *end;
	int r;

	*case_r = NULL;
	/* Cut the title on a character boundary before making it safe. */
	title = title ? title : "";
	if (strlen(title) > STORE_TITLE_BYTES) {
		end = title + STORE_TITLE_BYTES;
		while (end > title && (*end & 0xC0) == 0x80)
			end--;
		short_title = g_strndup(title, (gsize)(end - title));
	} else {
		short_title = g_strdup(title);
	}
	folder = *short_title ? g_strdup_printf("%s-%s", receipt, short_title)
	    : g_strdup(receipt);
	safe_folder = safename_make(folder, receipt);

	c = g_new0(struct store_case, 1);
	c->store = store;
	c->tmp_path = g_strdup_printf("%s/%s/%s", store->dir, STORE_TMP_DIR,
	    receipt);
	c->final_rel = g_build_filename(campaign, safe_cat, safe_folder, NULL);
	c->names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	c->dirfd = -1;
	/* A leftover of an interrupted attempt at the same receipt. */
	if (store_rm_tree(c->tmp_path) < 0 || mkdir(c->tmp_path, 02750) < 0) {
		r = store_errno(error_r, "cannot create", c->tmp_path);
		store_case_abort(&c);
		return r;
	}
	c->dirfd = open(c->tmp_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c->dirfd < 0) {
		r = store_errno(error_r, "cannot open", c->tmp_path);
		store_case_abort(&c);
		return r;
	}
	/* Names subgate writes itself are taken from the start. */
	store_case_name_take(c, "original.eml");
	store_case_name_take(c, "case.json");
	*case_r = c;
	return 0;
}

int
store_case_dirfd(const struct store_case *c)
{
	return c->dirfd;
}

const char *
store_case_relpath(const struct store_case *c)
{
	return c->final_rel;
}

char *
store_case_name(struct store_case *c, const char *original,
    const char *fallback)
{
	char *safe = safename_make(original, fallback);
	unsigned n;

	if (!store_case_name_taken(c, safe)) {
		store_case_name_take(c, safe);
		return safe;
	}
	for (n = 2; n <= STORE_MAX_DUPLICATES; n++) {
		char *candidate = safename_dedupe(safe, n);

		if (!store_case_name_taken(c, candidate)) {
			g_free(safe);
			store_case_name_take(c, candidate);
			return candidate;
		}
		g_free(candidate);
	}
	/* Past that many, a numbered name that cannot collide. */
	g_free(safe);
	safe = g_strdup_printf("附件-%u", g_hash_table_size(c->names));
	store_case_name_take(c, safe);
	return safe;
}

int
store_case_write(struct store_case *c, const char *name, const void *data,
    size_t len, char **error_r)
{
	int fd = openat(c->dirfd, name, O_WRONLY | O_CREAT | O_TRUNC |
	    O_CLOEXEC | O_NOFOLLOW,
	    0640);

	if (fd < 0)
		return store_errno(error_r, "cannot create", name);
	if (store_write_close(fd, data, len) < 0)
		return store_errno(error_r, "cannot write", name);
	return 0;
}

int
store_case_copy(struct store_case *c, const char *name, const char *src_path,
    char **error_r)
{
	return store_copy_path(c->dirfd, name, src_path, error_r);
}

int
store_case_adopt(struct store_case *c, const char *name,
    const char *spool_path, char **error_r)
{
	return store_adopt_path(c->dirfd, name, spool_path, error_r);
}

int
store_case_link(struct store_case *c, const char *name,
    const struct store_case *from, const char *from_name, char **error_r)
{
	g_autofree char *src = g_build_filename(from->tmp_path, from_name,
	    NULL);

	return store_adopt_path(c->dirfd, name, src, error_r);
}

int
store_case_commit(struct store_case **cp, char **error_r)
{
	struct store_case *c = *cp;
	g_autofree char *final = g_build_filename(c->store->dir, c->final_rel,
	    NULL);
	g_autofree char *parent_rel = g_path_get_dirname(c->final_rel);
	g_autofree char *leaf = g_path_get_basename(c->final_rel);
	int ret = 0, pfd = -1;

	if (fsync(c->dirfd) < 0) {
		ret = store_errno(error_r, "cannot sync", c->tmp_path);
	} else if (store_unmark(c->store, error_r) < 0) {
		ret = -1;
	} else if ((pfd = store_dir_beneath(c->store, parent_rel,
	    error_r)) < 0) {
		ret = pfd;
		pfd = -1;
	} else {
		/* A folder already there under this name was never committed
		 * (a committed one would have a different receipt), but who
		 * put it there only staff can tell: it is set aside, as
		 * store_recover does, never deleted. */
		g_autofree char *moved = NULL;
		g_autofree char *aside_error = NULL;

		if (g_file_test(final, G_FILE_TEST_EXISTS) &&
		    store_set_aside(c->store, c->final_rel, &moved,
		    &aside_error) < 0) {
			*error_r = g_steal_pointer(&aside_error);
			ret = -1;
		} else if (renameat(AT_FDCWD, c->tmp_path, pfd, leaf) < 0)
			ret = store_errno(error_r, "cannot move case to", final);
		else {
			/* In place, not yet recorded: until the caller says
			 * which way its commit went, the next start must
			 * look at the whole store. */
			c->store->unsettled++;
			if (fsync(pfd) < 0)
				ret = store_errno(error_r, "cannot sync",
				    final);
		}
	}
	if (pfd >= 0)
		close(pfd);
	if (ret < 0) {
		store_case_abort(cp);
		return ret;
	}
	close(c->dirfd);
	g_hash_table_destroy(c->names);
	g_free(c->tmp_path);
	g_free(c->final_rel);
	g_free(c);
	*cp = NULL;
	return 0;
}

void
store_case_abort(struct store_case **cp)
{
	struct store_case *c = *cp;

	if (c == NULL)
		return;
	*cp = NULL;
	if (c->dirfd >= 0)
		close(c->dirfd);
	(void)store_rm_tree(c->tmp_path);
	g_hash_table_destroy(c->names);
	g_free(c->tmp_path);
	g_free(c->final_rel);
	g_free(c);
}

int
store_write_file_atomic(const char *path, const void *data, size_t len,
    char **error_r)
{
	g_autofree char *dir = g_path_get_dirname(path);
	g_autofree char *base = g_path_get_basename(path);
	/* A fresh hidden name per writer: an attachment called
	 * case.json.tmp, or a staff decision racing the gateway, cannot
	 * collide with it. */
	g_autofree char *tmp = g_strdup_printf("%s/.%s.XXXXXX", dir, base);
	int fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, 0640);

	if (fd < 0)
		return store_errno(error_r, "cannot create", tmp);
	if (store_write_close(fd, data, len) < 0) {
		store_errno(error_r, "cannot write", tmp);
		(void)unlink(tmp);
		return -1;
	}
	if (rename(tmp, path) < 0) {
		store_errno(error_r, "cannot rename", path);
		(void)unlink(tmp);
		return -1;
	}
	(void)store_fsync_path(dir);
	return 0;
}

int
store_case_remove(struct store *store, const char *relpath, char **error_r)
{
	g_autofree char *path = g_build_filename(store->dir, relpath, NULL);

	if (store_rm_tree(path) < 0)
		return store_errno(error_r, "cannot remove", path);
	return 0;
}

/* renameat2(RENAME_NOREPLACE) between folders reached from the root; on
 * failure errno is kept for store_set_aside (EEXIST: to_rel is taken). */
int
store_rename(struct store *store, const char *from_rel, const char *to_rel,
    char **error_r)
{
	g_autofree char *from_parent = g_path_get_dirname(from_rel);
	g_autofree char *from_leaf = g_path_get_basename(from_rel);
	g_autofree char *to_parent = g_path_get_dirname(to_rel);
	g_autofree char *to_leaf = g_path_get_basename(to_rel);
	g_autofree char *to = g_build_filename(store->dir, to_rel, NULL);
	int from_fd, to_fd = -1, ret = -1, saved;

	if ((from_fd = store_dir_beneath(store, from_parent, error_r)) < 0)
		return -1;
	if ((to_fd = store_dir_beneath(store, to_parent, error_r)) < 0)
		goto out;
	if (renameat2(from_fd, from_leaf, to_fd, to_leaf,
	    RENAME_NOREPLACE) < 0) {
		store_errno(error_r, "cannot move to", to);
		goto out;
	}
	/* Both folders changed: a power cut must not leave it in both, or
	 * in neither. */
	if (fsync(to_fd) < 0 || fsync(from_fd) < 0) {
		store_errno(error_r, "cannot sync", to);
		goto out;
	}
	ret = 0;
out:
	saved = errno;
	close(from_fd);
	if (to_fd >= 0)
		close(to_fd);
	errno = saved;
	return ret;
}

int
store_set_aside(struct store *store, const char *relpath, char **moved_to_r,
    char **error_r)
{
	unsigned n;

	/* .tmp/ and .spool/ become tmp/ and spool/: staff are to see what
	 * was set aside, and shares hide dot files. */
	const char *shown = relpath[0] == '.' ? relpath + 1 : relpath;

	*moved_to_r = NULL;
	for (n = 1; n <= STORE_MAX_DUPLICATES; n++) {
		g_autofree char *to = n == 1 ?
		    g_build_filename(STORE_FSCK_DIR, shown, NULL) :
		    g_strdup_printf("%s/%s (%u)", STORE_FSCK_DIR, shown, n);

		if (store_rename(store, relpath, to, error_r) == 0) {
			*moved_to_r = g_steal_pointer(&to);
			return 0;
		}
		if (errno != EEXIST)
			return -1;
		g_clear_pointer(error_r, g_free);
	}
	*error_r = g_strdup_printf("%s: %u copies already set aside in %s",
	    relpath, STORE_MAX_DUPLICATES, STORE_FSCK_DIR);
	return -1;
}

uint64_t
store_free_bytes(const struct store *store)
{
	struct statvfs sv;

	/* Unknown counts as plenty: the caller only uses it to be lenient. */
	if (statvfs(store->dir, &sv) < 0)
		return UINT64_MAX;
	return (uint64_t)sv.f_bavail * sv.f_frsize;
}
