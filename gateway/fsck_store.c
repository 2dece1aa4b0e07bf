/* fsck: the store's folders and files; see include/fsck.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "case_json.h"
#include "db.h"
#include "fsck-private.h"
#include "store.h"

static gint
fsck_name_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names, sorted so that the report reads the same every time, of the
 * entries of <store>/rel; an empty list when it does not exist. */
static int
fsck_list(const struct fsck *f, const char *rel, GPtrArray **names_r,
    char **error_r)
{
	g_autofree char *path = g_build_filename(f->root, rel, NULL);
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	DIR *d = opendir(path);
	struct dirent *de;

	*names_r = names;
	if (d == NULL) {
		if (errno == ENOENT)
			return 0;
		*error_r = g_strdup_printf("cannot read %s: %s", path,
		    g_strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			g_ptr_array_add(names, g_strdup(de->d_name));
	closedir(d);
	g_ptr_array_sort(names, fsck_name_cmp);
	return 0;
}

/* store_write_file_atomic()'s temporary name for base: ".base.XXXXXX". */
static bool
fsck_is_atomic_temp(const char *name, const char *base)
{
	size_t blen = strlen(base), i;

	if (name[0] != '.' || strncmp(name + 1, base, blen) != 0 ||
	    name[1 + blen] != '.' || strlen(name + 2 + blen) != 6)
		return false;
	for (i = 2 + blen; name[i] != '\0'; i++)
		if (!g_ascii_isalnum(name[i]))
			return false;
	return true;
}

/* The temporary of index.html or of one of its pages, index-NNNN.html. */
static bool
fsck_is_index_temp(const char *name)
{
	char base[32];
	size_t n = 0;
	const char *p;

	if (fsck_is_atomic_temp(name, "index.html"))
		return true;
	if (strncmp(name, ".index-", 7) != 0)
		return false;
	for (p = name + 7; g_ascii_isdigit(*p) && n < 10; p++)
		n++;
	if (n < 4 || strncmp(p, ".html.", 6) != 0)
		return false;
	g_snprintf(base, sizeof(base), "%.*s", (int)(p + 5 - (name + 1)),
	    name + 1);
	return fsck_is_atomic_temp(name, base);
}

/* A leftover: removed when repairing, else reported as removable. */
static void
fsck_leftover(struct fsck *f, const char *receipt, const char *rel,
    const char *problem)
{
	g_autofree char *error = NULL;
	int ret;

	if (!f->repair) {
		fsck_found(f, FSCK_LEFTOVER, receipt, rel, problem,
		    FSCK_REPAIR_AVAILABLE, "remove it");
		return;
	}
	ret = store_case_remove(f->store, rel, &error);
	fsck_repaired(f, FSCK_LEFTOVER, receipt, rel, problem, ret, "removed",
	    error);
}

/* A folder that is not where the database has it: to _fsck/ when
 * repairing (never deleted), else reported as movable. */
static void
fsck_set_aside(struct fsck *f, enum fsck_kind kind, const char *receipt,
    const char *rel, const char *problem)
{
	g_autofree char *error = NULL, *to = NULL, *done = NULL;
	int ret;

	if (!f->repair) {
		fsck_found(f, kind, receipt, rel, problem,
		    FSCK_REPAIR_AVAILABLE, "move it to " STORE_FSCK_DIR "/");
		return;
	}
	ret = store_set_aside(f->store, rel, &to, &error);
	if (ret == 0)
		done = g_strdup_printf("moved to %s", to);
	fsck_repaired(f, kind, receipt, rel, problem, ret, done, error);
}

/* The receipt a case folder claims: its case.json's, else its name's
 * <PREFIX>-<NNNNN> (g_free). */
static char *
fsck_folder_receipt(const struct fsck *f, const char *rel, const char *name)
{
	g_autofree char *data = NULL, *error = NULL;
	struct case_json_summary s;
	const char *p = name;
	char *receipt = NULL;
	size_t len = 0;

	if (case_json_read(f->root, rel, &data, &len, &error) == 0 &&
	    case_json_summarize(data, len, &s, &error) == 0) {
		receipt = g_steal_pointer(&s.receipt);
		case_json_summary_clear(&s);
	}
	if (receipt != NULL)
		return receipt;
	/* store_is_case_folder() checked the shape. */
	p = strchr(name, '-') + 1;
	while (g_ascii_isdigit(*p))
		p++;
	return g_strndup(name, (gsize)(p - name));
}

/* A case folder found in the store, by its path. */
static void
fsck_found_folder(struct fsck *f, const char *rel, const char *name)
{
	g_autofree char *receipt = NULL, *problem = NULL, *error = NULL;
	struct fsck_row *row;
	int ret;

	if (g_hash_table_contains(f->by_dir, rel))
		return;		/* its row checks it */
	receipt = fsck_folder_receipt(f, rel, name);
	row = g_hash_table_lookup(f->by_receipt, receipt);
	if (row == NULL) {
		fsck_set_aside(f, FSCK_ORPHAN_FOLDER, receipt, rel,
		    "no case row records this folder");
		return;
	}
	if (row->found_elsewhere || fsck_is_dir(f, row->dir)) {
		problem = g_strdup_printf("a copy: the case with this receipt "
		    "is recorded at %s", row->dir);
		fsck_set_aside(f, FSCK_DUPLICATE_RECEIPT, receipt, rel,
		    problem);
		return;
	}
	/* Moved, or its folders renamed, by hand: the case is whole, only
	 * not where the database has it. */
	row->found_elsewhere = true;
	problem = g_strdup_printf("the case's folder, recorded at %s",
	    row->dir);
	if (!f->repair) {
		fsck_found(f, FSCK_MOVED_FOLDER, receipt, rel, problem,
		    FSCK_REPAIR_AVAILABLE, "move it back");
		return;
	}
	ret = store_rename(f->store, rel, row->dir, &error);
	if (ret == 0)
		row->found_elsewhere = false;
	fsck_repaired(f, FSCK_MOVED_FOLDER, receipt, rel, problem, ret,
	    "moved back", error);
}

/* <store>/<campaign>/<category>/: its case folders (others are staff's). */
static int
fsck_walk_category(struct fsck *f, const char *rel, char **error_r)
{
	GPtrArray *names;
	guint i;

	if (fsck_list(f, rel, &names, error_r) < 0) {
		g_ptr_array_unref(names);
		return -1;
	}
	for (i = 0; i < names->len; i++) {
		const char *name = names->pdata[i];
		g_autofree char *child = g_build_filename(rel, name, NULL);
		g_autofree char *path = g_build_filename(f->root, child, NULL);

		if (fsck_is_dir(f, child) && store_is_case_folder(path, name))
			fsck_found_folder(f, child, name);
	}
	g_ptr_array_unref(names);
	return 0;
}

/* <store>/<campaign>/: category folders, and the index's temporaries. */
static int
fsck_walk_campaign(struct fsck *f, const char *rel, char **error_r)
{
	GPtrArray *names;
	guint i;
	int ret = 0;

	if (fsck_list(f, rel, &names, error_r) < 0) {
		g_ptr_array_unref(names);
		return -1;
	}
	for (i = 0; ret == 0 && i < names->len; i++) {
		const char *name = names->pdata[i];
		g_autofree char *child = g_build_filename(rel, name, NULL);

		if (fsck_is_index_temp(name))
			fsck_leftover(f, NULL, child, "the temporary file of "
			    "an interrupted index.html");
		else if (name[0] != '.' &&
		    strcmp(name, STORE_UNACCEPTED_DIR) != 0 &&
		    fsck_is_dir(f, child))
			ret = fsck_walk_category(f, child, error_r);
	}
	g_ptr_array_unref(names);
	return ret;
}

/*
 * .tmp/ holds cases being built, .spool/ messages being fetched: neither
 * is recorded anywhere, and the message each came from stays in the
 * mailbox until its commit, so it is fetched again.  A folder in .tmp/
 * named by the receipt of a recorded case is set aside instead: nothing
 * should build a recorded case again, so it may be all that is left of
 * one.
 */
static int
fsck_walk_leftovers(struct fsck *f, const char *dir, char **error_r)
{
	GPtrArray *names;
	guint i;

	if (fsck_list(f, dir, &names, error_r) < 0) {
		g_ptr_array_unref(names);
		return -1;
	}
	for (i = 0; i < names->len; i++) {
		const char *name = names->pdata[i];
		g_autofree char *rel = g_build_filename(dir, name, NULL);
		bool spool = strcmp(dir, STORE_SPOOL_DIR) == 0;

		if (!spool && g_hash_table_contains(f->by_receipt, name))
			fsck_set_aside(f, FSCK_LEFTOVER, name, rel, "a case "
			    "being built when subgate stopped, with the "
			    "receipt of a recorded case");
		else
			fsck_leftover(f, spool ? NULL : name, rel, spool ?
			    "a message being fetched when subgate stopped" :
			    "a case being built when subgate stopped");
	}
	g_ptr_array_unref(names);
	return 0;
}

/* Why the open file fd is not size bytes (<0: not recorded) with this
 * SHA-256 (NULL: not recorded), or NULL when it is (g_free). */
static char *
fsck_file_differs(int fd, int64_t size, const char *sha256)
{
	g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
	char buf[64 * 1024];
	struct stat st;
	ssize_t n;

	if (fstat(fd, &st) < 0)
		return g_strdup_printf("cannot read it: %s", g_strerror(errno));
	if (!S_ISREG(st.st_mode))
		return g_strdup("not a plain file");
	if (size >= 0 && st.st_size != size)
		return g_strdup_printf("%lld bytes, case.json records %lld",
		    (long long)st.st_size, (long long)size);
	if (sha256 == NULL)
		return NULL;
	/* A buffer at a time: an attachment may be larger than memory. */
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return g_strdup_printf("cannot read it: %s",
			    g_strerror(errno));
		g_checksum_update(sum, (const guchar *)buf, (gsize)n);
	}
	if (g_ascii_strcasecmp(g_checksum_get_string(sum), sha256) != 0)
		return g_strdup("its SHA-256 is not the one case.json records");
	return NULL;
}

/* One file case.json lists (original.eml: the message it records). */
static void
fsck_check_file(struct fsck *f, const struct fsck_row *row, int dirfd,
    const char *name, int64_t size, const char *sha256)
{
	g_autofree char *rel = g_build_filename(row->dir, name, NULL);
	g_autofree char *why = NULL;
	/* O_NONBLOCK: a FIFO left there must not hang the check. */
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC);

	if (fd < 0 && errno == ENOENT) {
		fsck_found(f, FSCK_MISSING_FILE, row->receipt, rel,
		    "listed in case.json, not in the folder", FSCK_REPAIR_NONE,
		    NULL);
		return;
	}
	if (fd < 0)
		why = g_strdup_printf("cannot open it: %s", errno == ELOOP ?
		    "a symbolic link" : g_strerror(errno));
	else
		why = fsck_file_differs(fd, size, sha256);
	if (fd >= 0)
		close(fd);
	if (why != NULL)
		fsck_found(f, FSCK_CHANGED_FILE, row->receipt, rel, why,
		    FSCK_REPAIR_NONE, NULL);
}

/* Whether name is a cloud attachment's file that linkfetch renamed into
 * the folder before a crash cut its record short (linkfetch.h, step 4);
 * a database that cannot say is no reason to stop the walk. */
static bool
fsck_link_interrupted(struct fsck *f, const char *receipt, const char *name)
{
	g_autofree char *state = NULL, *error = NULL;

	return db_link_saved_state(f->db, receipt, name, &state, &error) > 0 &&
	    strcmp(state, "fetching") == 0;
}

/* What lies in the folder besides case.json, original.eml and the files
 * it lists. */
static int
fsck_check_unlisted(struct fsck *f, const struct fsck_row *row,
    GHashTable *listed, char **error_r)
{
	GPtrArray *names;
	guint i;

	if (fsck_list(f, row->dir, &names, error_r) < 0) {
		g_ptr_array_unref(names);
		return -1;
	}
	for (i = 0; i < names->len; i++) {
		const char *name = names->pdata[i];
		g_autofree char *rel = g_build_filename(row->dir, name, NULL);

		if (g_hash_table_contains(listed, name))
			continue;
		if (fsck_is_atomic_temp(name, "case.json"))
			fsck_leftover(f, row->receipt, rel, "the temporary "
			    "file of an interrupted case.json update");
		else if (fsck_link_interrupted(f, row->receipt, name))
			fsck_found(f, FSCK_EXTRA_FILE, row->receipt, rel,
			    "a cloud attachment downloaded, its record "
			    "interrupted: the next fetch (once, run or links "
			    "fetch) records it", FSCK_REPAIR_NONE, NULL);
		else
			fsck_found(f, FSCK_EXTRA_FILE, row->receipt, rel,
			    fsck_is_dir(f, rel) ? "a folder case.json does not "
			    "list" : "a file case.json does not list",
			    FSCK_REPAIR_NONE, NULL);
	}
	g_ptr_array_unref(names);
	return 0;
}

/* case.json as the row's: readable, and of the same receipt. */
static int
fsck_read_case_json(struct fsck *f, const struct fsck_row *row,
    struct case_json_summary *s)
{
	g_autofree char *data = NULL, *error = NULL, *rel = NULL;
	g_autofree char *problem = NULL;
	size_t len = 0;

	rel = g_build_filename(row->dir, "case.json", NULL);
	if (case_json_read(f->root, row->dir, &data, &len, &error) < 0 ||
	    case_json_summarize(data, len, s, &error) < 0) {
		problem = g_strdup_printf("cannot be read: %s", error);
		fsck_found(f, FSCK_CASE_JSON, row->receipt, rel, problem,
		    FSCK_REPAIR_NONE, NULL);
		return -1;
	}
	if (s->receipt != NULL && strcmp(s->receipt, row->receipt) != 0) {
		problem = g_strdup_printf("it is the case.json of receipt %s",
		    s->receipt);
		fsck_found(f, FSCK_CASE_JSON, row->receipt, rel, problem,
		    FSCK_REPAIR_NONE, NULL);
	}
	return 0;
}

int
fsck_case_contents(struct fsck *f, const struct fsck_row *row,
    char **error_r)
{
	g_autofree char *path = g_build_filename(f->root, row->dir, NULL);
	GHashTable *listed;
	struct case_json_summary s;
	size_t i;
	int dirfd, ret;

	if (fsck_read_case_json(f, row, &s) < 0)
		return 0;
	dirfd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dirfd < 0) {
		*error_r = g_strdup_printf("cannot open %s: %s", path,
		    g_strerror(errno));
		case_json_summary_clear(&s);
		return -1;
	}
	listed = g_hash_table_new(g_str_hash, g_str_equal);
	g_hash_table_add(listed, (gpointer)"case.json");
	g_hash_table_add(listed, (gpointer)"original.eml");
	fsck_check_file(f, row, dirfd, "original.eml", -1, s.message_sha256);
	for (i = 0; i < s.attachment_count; i++) {
		const struct case_attachment *a = &s.attachments[i];

		g_hash_table_add(listed, a->name);
		fsck_check_file(f, row, dirfd, a->name, (int64_t)a->size,
		    a->sha256);
	}
	close(dirfd);
	ret = fsck_check_unlisted(f, row, listed, error_r);
	g_hash_table_destroy(listed);
	case_json_summary_clear(&s);
	return ret;
}

int
fsck_store_walk(struct fsck *f, char **error_r)
{
	GPtrArray *names;
	guint i;
	int ret = 0;

	if (fsck_list(f, ".", &names, error_r) < 0) {
		g_ptr_array_unref(names);
		return -1;
	}
	for (i = 0; ret == 0 && i < names->len; i++) {
		const char *name = names->pdata[i];

		/* As store_recover() sees the store. */
		if (name[0] != '.' && strcmp(name, STORE_FSCK_DIR) != 0 &&
		    fsck_is_dir(f, name))
			ret = fsck_walk_campaign(f, name, error_r);
	}
	g_ptr_array_unref(names);
	if (ret < 0 || fsck_walk_leftovers(f, STORE_TMP_DIR, error_r) < 0 ||
	    fsck_walk_leftovers(f, STORE_SPOOL_DIR, error_r) < 0)
		return -1;
	return 0;
}
