/* store: building, committing and recovering case folders; writing an
 * attachment's stream. */
#include <fcntl.h>
#include <glib.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gmime/gmime.h>

#include "fault.h"
#include "ingest.h"
#include "store.h"
#include "test.h"

static int
only_first_committed(const char *relpath, void *ctx, char **error_r)
{
	(void)ctx;
	(void)error_r;
	/* Staff moved this one: its receipt is recorded elsewhere. */
	if (strcmp(relpath, "camp/初审/T-00004-moved") == 0)
		return STORE_CASE_ELSEWHERE;
	return strcmp(relpath, "camp/视频类(微视频)/T-00001-星城_大爱") == 0;
}

static int
exists(const char *dir, const char *rel)
{
	g_autofree char *p = g_build_filename(dir, rel, NULL);

	return g_file_test(p, G_FILE_TEST_EXISTS);
}

/* store_write_stream: the bytes, their size and SHA-256, mode 0640, no
 * overwrite, and nothing left behind when the stream fails. */
static void
test_write_stream(const char *dir)
{
	g_autofree char *error = NULL;
	g_autofree char *want_sha = NULL, *got = NULL, *path = NULL;
	GByteArray *bytes = g_byte_array_new();
	GMimeStream *in, *bad;
	struct rlimit saved;
	char sha[65] = "";
	uint64_t size = 0;
	struct stat st;
	gsize got_len = 0;
	guint i;
	int dirfd, baddir;

	umask(022);
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	/* Larger than one buffer, with every byte value. */
	for (i = 0; i < 200 * 1024 + 7; i++) {
		guint8 b = (guint8)(i * 7 + i / 256);

		g_byte_array_append(bytes, &b, 1);
	}
	want_sha = g_compute_checksum_for_data(G_CHECKSUM_SHA256, bytes->data,
	    bytes->len);

	in = g_mime_stream_mem_new_with_buffer((const char *)bytes->data,
	    bytes->len);
	TEST_CHECK("stream-write", store_write_stream(dirfd, "作品.bin", in,
	    &size, sha, &error) == 0);
	TEST_CHECK("stream-size", size == bytes->len);
	TEST_CHECK_STR("stream-sha256", sha, want_sha);
	path = g_build_filename(dir, "作品.bin", NULL);
	TEST_CHECK("stream-bytes", g_file_get_contents(path, &got, &got_len,
	    NULL) && got_len == bytes->len &&
	    memcmp(got, bytes->data, got_len) == 0);
	TEST_CHECK("stream-mode-0640", stat(path, &st) == 0 &&
	    (st.st_mode & 0777) == 0640);
	g_object_unref(in);

	/* O_EXCL: an existing name is refused and left as it was. */
	in = g_mime_stream_mem_new_with_buffer("other", 5);
	TEST_CHECK("stream-no-overwrite", store_write_stream(dirfd, "作品.bin",
	    in, &size, sha, &error) < 0 && error != NULL);
	/* A name taken is no fault of the disk's: the message is blamed. */
	g_clear_pointer(&error, g_free);
	g_mime_stream_reset(in);
	TEST_CHECK("stream-exists-not-environment", store_write_stream(dirfd,
	    "作品.bin", in, &size, sha, &error) == -1);
	g_clear_pointer(&error, g_free);
	TEST_CHECK("stream-first-kept", stat(path, &st) == 0 &&
	    (uint64_t)st.st_size == bytes->len);
	g_object_unref(in);

	/* Empty content is an empty file. */
	in = g_mime_stream_mem_new();
	TEST_CHECK("stream-empty", store_write_stream(dirfd, "empty", in,
	    &size, sha, &error) == 0 && size == 0 && strcmp(sha,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
	    == 0);
	g_object_unref(in);

	/* A stream that cannot be read (a directory: EISDIR): an error,
	 * and the file just created is gone. */
	baddir = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	bad = g_mime_stream_fs_new(baddir);
	TEST_CHECK("stream-read-error", store_write_stream(dirfd, "unread",
	    bad, &size, sha, &error) < 0 && error != NULL &&
	    strstr(error, "unread") != NULL);
	g_clear_pointer(&error, g_free);
	TEST_CHECK("stream-read-error-removed", !exists(dir, "unread"));
	g_object_unref(bad);

	/* A write that fails halfway (the file size limit stands in for a
	 * full disk): an error, and no partial file. */
	if (getrlimit(RLIMIT_FSIZE, &saved) == 0) {
		struct rlimit small = saved;

		small.rlim_cur = 100 * 1024;
		signal(SIGXFSZ, SIG_IGN);
		in = g_mime_stream_mem_new_with_buffer(
		    (const char *)bytes->data, bytes->len);
		if (setrlimit(RLIMIT_FSIZE, &small) == 0) {
			int r = store_write_stream(dirfd, "partial", in, &size,
			    sha, &error);

			setrlimit(RLIMIT_FSIZE, &saved);
			TEST_CHECK("stream-write-error", r < 0 &&
			    error != NULL && strstr(error, "write") != NULL);
			g_clear_pointer(&error, g_free);
			TEST_CHECK("stream-partial-removed",
			    !exists(dir, "partial"));
		}
		g_object_unref(in);
		signal(SIGXFSZ, SIG_DFL);
	}

	(void)unlinkat(dirfd, "作品.bin", 0);
	(void)unlinkat(dirfd, "empty", 0);
	close(dirfd);
	(void)rmdir(dir);
	g_byte_array_free(bytes, TRUE);
}

/* A store out of file descriptors (as good as out of space: the machine,
 * not the message) says so in the return code (include/fault.h). */
static void
test_environment_fault(struct store *store)
{
	g_autofree char *error = NULL, *path = NULL;
	struct rlimit saved, none;
	int fd = -1, lowest = dup(0), r;

	if (lowest < 0 || getrlimit(RLIMIT_NOFILE, &saved) < 0) {
		printf("FAIL environment-fault: no descriptor to start from\n");
		return;
	}
	close(lowest);
	/* Every descriptor from the lowest free one on is out of reach. */
	none = saved;
	none.rlim_cur = (rlim_t)lowest;
	if (setrlimit(RLIMIT_NOFILE, &none) < 0) {
		printf("FAIL environment-fault: setrlimit\n");
		return;
	}
	r = store_spool_create(store, &fd, &path, &error);
	setrlimit(RLIMIT_NOFILE, &saved);
	TEST_CHECK("spool-emfile-environment", r == FAULT_ENVIRONMENT &&
	    error != NULL && strstr(error, ".spool") != NULL);
	if (r == 0) {
		close(fd);
		unlink(path);
	}
}

/* Nothing is written through a symbolic link in the store: not a case
 * under a linked category or campaign folder, not a kept message under
 * a linked _unaccepted. */
static void
test_no_links(void)
{
	g_autofree char *dir = g_dir_make_tmp("subgate-links-XXXXXX", NULL);
	g_autofree char *outside = g_dir_make_tmp("subgate-outside-XXXXXX",
	    NULL);
	g_autofree char *error = NULL, *camp = NULL, *link = NULL;
	g_autofree char *src = NULL, *cmd = NULL;
	struct store *store = NULL;
	struct store_case *c = NULL;
	GDir *d;
	int left = 0;

	if (store_open(dir, &store, &error) < 0) {
		printf("FAIL links: %s\n", error);
		return;
	}
	camp = g_build_filename(dir, "camp", NULL);
	mkdir(camp, 0700);
	link = g_build_filename(camp, "图片类", NULL);
	TEST_CHECK("links: category link made", symlink(outside, link) == 0);
	TEST_CHECK("links: case begins", store_case_begin(store, "camp",
	    "图片类", "L-00001", "作品", &c, &error) == 0);
	TEST_CHECK("links: no case through a linked category",
	    c != NULL && store_case_commit(&c, &error) < 0 && error != NULL &&
	    strstr(error, "symbolic link") != NULL);
	g_clear_pointer(&error, g_free);
	g_free(link);
	link = g_build_filename(camp, "_unaccepted", NULL);
	TEST_CHECK("links: _unaccepted link made", symlink(outside, link) == 0);
	src = g_build_filename(dir, "mail.eml", NULL);
	g_file_set_contents(src, "Subject: x\r\n\r\nx\r\n", -1, NULL);
	TEST_CHECK("links: nothing kept through a linked _unaccepted",
	    store_keep_unaccepted(store, "camp", src, "1-1", false, &error) < 0);
	g_clear_pointer(&error, g_free);
	g_free(link);
	link = g_build_filename(dir, "camp2", NULL);
	TEST_CHECK("links: campaign link made", symlink(outside, link) == 0);
	TEST_CHECK("links: nothing kept through a linked campaign",
	    store_keep_unaccepted(store, "camp2", src, "1-2", false, &error) < 0);
	g_clear_pointer(&error, g_free);
	d = g_dir_open(outside, 0, NULL);
	while (d != NULL && g_dir_read_name(d) != NULL)
		left++;
	if (d != NULL)
		g_dir_close(d);
	TEST_CHECK("links: nothing written outside the store", left == 0);
	store_close(&store);
	cmd = g_strdup_printf("rm -rf '%s' '%s'", dir, outside);
	if (system(cmd) != 0)
		printf("FAIL links: cleanup\n");
}

/* A store deleted or replaced under a running gateway: the lock stays
 * (no second gateway starts on the new one) and the first one notices. */
static void
test_store_swapped(void)
{
	g_autofree char *parent = g_dir_make_tmp("subgate-swap-XXXXXX", NULL);
	g_autofree char *dir = g_build_filename(parent, "store", NULL);
	g_autofree char *error = NULL, *cmd = NULL, *old = NULL;
	struct store *store = NULL, *second = NULL;

	TEST_CHECK("swap: open", store_open(dir, &store, &error) == 0);
	TEST_CHECK("swap: root checks out", store != NULL &&
	    store_check(store, &error) == 0);
	/* Moved aside, and a new folder made in its place. */
	old = g_strconcat(dir, ".old", NULL);
	TEST_CHECK("swap: store moved aside", rename(dir, old) == 0 &&
	    mkdir(dir, 0700) == 0);
	TEST_CHECK("swap: replaced store noticed", store != NULL &&
	    store_check(store, &error) < 0 && strstr(error, "replaced"));
	g_clear_pointer(&error, g_free);
	/* Deleted outright. */
	cmd = g_strdup_printf("rm -rf '%s' '%s'", dir, old);
	TEST_CHECK("swap: store deleted", system(cmd) == 0);
	TEST_CHECK("swap: deleted store noticed", store != NULL &&
	    store_check(store, &error) < 0 && strstr(error, "deleted"));
	g_clear_pointer(&error, g_free);
	TEST_CHECK("swap: no second gateway on a new store",
	    store_open(dir, &second, &error) < 0);
	g_clear_pointer(&error, g_free);
	store_close(&store);
	store_close(&second);
	g_free(cmd);
	cmd = g_strdup_printf("rm -rf '%s'", parent);
	if (system(cmd) != 0)
		printf("FAIL swap: cleanup\n");
}

static int
nothing_committed(const char *relpath, void *ctx, char **error_r)
{
	(void)relpath;
	(void)ctx;
	(void)error_r;
	return 0;
}

static void
make_case(const char *dir, const char *rel)
{
	g_autofree char *path = g_build_filename(dir, rel, NULL);
	g_autofree char *json = g_build_filename(path, "case.json", NULL);

	g_mkdir_with_parents(path, 0750);
	g_file_set_contents(json, "{}", -1, NULL);
}

/* What fsck needs of the store: a busy lock told apart, folders set aside
 * under _fsck/ without ever replacing one, a move that refuses to
 * overwrite, and recovery that leaves _fsck/ alone. */
static void
test_set_aside(void)
{
	g_autofree char *dir = g_dir_make_tmp("subgate-aside-XXXXXX", NULL);
	g_autofree char *error = NULL, *to = NULL, *cmd = NULL;
	g_autofree char *case_path = NULL;
	g_auto(GStrv) moved = NULL;
	g_auto(GStrv) kept = NULL;
	struct store *store = NULL, *second = NULL;
	int r;

	TEST_CHECK("aside: open", store_open(dir, &store, &error) == 0);
	r = store_open(dir, &second, &error);
	TEST_CHECK("aside: busy told apart", r == STORE_BUSY && second == NULL);
	g_clear_pointer(&error, g_free);
	make_case(dir, "camp/cat/T-00001-a");
	case_path = g_build_filename(dir, "camp/cat/T-00001-a", NULL);
	TEST_CHECK("aside: is a case", store_is_case_folder(case_path,
	    "T-00001-a"));
	TEST_CHECK("aside: moved", store_set_aside(store, "camp/cat/T-00001-a",
	    &to, &error) == 0);
	TEST_CHECK_STR("aside: where", to, "_fsck/camp/cat/T-00001-a");
	TEST_CHECK("aside: there",
	    exists(dir, "_fsck/camp/cat/T-00001-a/case.json") &&
	    !exists(dir, "camp/cat/T-00001-a"));
	g_clear_pointer(&to, g_free);
	make_case(dir, "camp/cat/T-00001-a");
	TEST_CHECK("aside: second copy", store_set_aside(store,
	    "camp/cat/T-00001-a", &to, &error) == 0);
	TEST_CHECK_STR("aside: second not replacing", to,
	    "_fsck/camp/cat/T-00001-a (2)");
	g_clear_pointer(&to, g_free);
	make_case(dir, ".tmp/T-00002");
	TEST_CHECK("aside: tmp", store_set_aside(store, ".tmp/T-00002", &to,
	    &error) == 0);
	TEST_CHECK_STR("aside: tmp shown", to, "_fsck/tmp/T-00002");
	make_case(dir, "camp/cat/T-00003-b");
	make_case(dir, "camp/other/T-00003-b");
	TEST_CHECK("rename: never replaces", store_rename(store,
	    "camp/other/T-00003-b", "camp/cat/T-00003-b", &error) < 0 &&
	    exists(dir, "camp/other/T-00003-b/case.json"));
	g_clear_pointer(&error, g_free);
	TEST_CHECK("rename: moves", store_rename(store, "camp/other/T-00003-b",
	    "camp/new/T-00003-b", &error) == 0 &&
	    exists(dir, "camp/new/T-00003-b/case.json"));
	TEST_CHECK("aside: recovery leaves it", store_recover(store, true,
	    nothing_committed, NULL, &moved, &kept, &error) == 0 &&
	    exists(dir, "_fsck/tmp/T-00002/case.json") &&
	    exists(dir, "_fsck/camp/cat/T-00001-a/case.json"));
	store_close(&store);
	cmd = g_strdup_printf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("FAIL aside: cleanup\n");
}

/* A spool file is kept by a link, not copied: the case's original.eml
 * and the unaccepted copy are the spool's inode, and stay when the spool
 * is unlinked. */
static void
test_adopt_spool(void)
{
	g_autofree char *dir = g_dir_make_tmp("subgate-adopt-XXXXXX", NULL);
	g_autofree char *error = NULL, *spool = NULL, *cmd = NULL;
	g_autofree char *orig = NULL, *kept = NULL, *data = NULL;
	struct store *store = NULL;
	struct store_case *c = NULL;
	struct stat sp, so, sk;
	int fd = -1;

	TEST_CHECK("adopt: open", store_open(dir, &store, &error) == 0);
	TEST_CHECK("adopt: spool", store_spool_create(store, &fd, &spool,
	    &error) == 0 && write(fd, "Subject: x\r\n\r\nbody\r\n", 21) == 21);
	if (fd >= 0)
		close(fd);
	TEST_CHECK("adopt: case", store_case_begin(store, "camp", "cat",
	    "A-00001", "作品", &c, &error) == 0 &&
	    store_case_adopt(c, "original.eml", spool, &error) == 0 &&
	    store_case_write(c, "case.json", "{}", 2, &error) == 0 &&
	    store_case_commit(&c, &error) == 0);
	TEST_CHECK("adopt: unaccepted", store_keep_unaccepted(store, "camp",
	    spool, "1-1", true, &error) == 0);
	orig = g_build_filename(dir, "camp", "cat", "A-00001-作品",
	    "original.eml", NULL);
	kept = g_build_filename(dir, "camp", "_unaccepted", "1-1.eml", NULL);
	TEST_CHECK("adopt: one inode, no copy", stat(spool, &sp) == 0 &&
	    stat(orig, &so) == 0 && stat(kept, &sk) == 0 &&
	    sp.st_ino == so.st_ino && sp.st_ino == sk.st_ino);
	unlink(spool);
	TEST_CHECK("adopt: kept past the spool", g_file_get_contents(orig,
	    &data, NULL, NULL) && strcmp(data, "Subject: x\r\n\r\nbody\r\n")
	    == 0);
	store_close(&store);
	cmd = g_strdup_printf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("FAIL adopt: cleanup\n");
}

/* What made no case is kept under a name that carries its 查询码, the
 * code its reply gave the sender, and is found by that name or by the
 * one stores used before. */
static void
test_unaccepted_names(void)
{
	static const char sha[] = "3f9a2c1b77ab01cd00112233445566778899aabbccd"
	    "deeff0011223344556677";
	g_autofree char *dir = g_dir_make_tmp("subgate-keep-XXXXXX", NULL);
	g_autofree char *error = NULL, *cmd = NULL, *src = NULL;
	g_autofree char *imap = ingest_unaccepted_name("INBOX", 7, 42, sha);
	g_autofree char *offline = ingest_unaccepted_name(NULL, 0, 0, sha);
	g_autofree char *found = NULL, *old = NULL, *want = NULL;
	struct store *store = NULL;

	TEST_CHECK_STR("keep-name: imap", imap, "7-42-3F9A2C1B");
	TEST_CHECK_STR("keep-name: offline", offline,
	    "offline-3F9A2C1B-77ab01cd");
	src = g_build_filename(dir, "src.eml", NULL);
	TEST_CHECK("keep-name: setup", store_open(dir, &store, &error) == 0 &&
	    g_file_set_contents(src, "Subject: x\r\n\r\n", -1, NULL));
	TEST_CHECK("keep-name: none kept", store != NULL &&
	    ingest_unaccepted_find(dir, "camp", "INBOX", 7, 42, sha) == NULL);
	/* a store from before: found by the old name */
	TEST_CHECK("keep-name: old kept", store != NULL &&
	    store_keep_unaccepted(store, "camp", src, "7-42", false,
	    &error) == 0);
	old = store != NULL ? ingest_unaccepted_find(dir, "camp", "INBOX", 7,
	    42, sha) : NULL;
	TEST_CHECK("keep-name: old found", old != NULL &&
	    g_str_has_suffix(old, "/_unaccepted/7-42.eml"));
	TEST_CHECK("keep-name: new kept", store != NULL &&
	    store_keep_unaccepted(store, "camp", src, imap, false,
	    &error) == 0);
	found = store != NULL ? ingest_unaccepted_find(dir, "camp", "INBOX",
	    7, 42, sha) : NULL;
	want = g_build_filename(dir, "camp", "_unaccepted", "7-42-3F9A2C1B.eml",
	    NULL);
	TEST_CHECK_STR("keep-name: new found first", found, want);
	store_close(&store);
	cmd = g_strdup_printf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("FAIL keep-name: cleanup\n");
}

int
main(void)
{
	g_autofree char *dir = g_dir_make_tmp("subgate-store-XXXXXX", NULL);
	g_autofree char *error = NULL;
	g_autofree char *n1 = NULL, *n2 = NULL, *n3 = NULL, *n4 = NULL;
	char **moved = NULL, **kept = NULL;
	struct store *store = NULL, *other = NULL;
	struct store_case *c = NULL;

	test_no_links();
	test_store_swapped();
	test_set_aside();
	test_adopt_spool();
	test_unaccepted_names();
	TEST_CHECK("open", store_open(dir, &store, &error) == 0);
	test_environment_fault(store);
	TEST_CHECK("lock-excludes-second", store_open(dir, &other, &error) < 0);
	g_clear_pointer(&error, g_free);

	TEST_CHECK("begin", store_case_begin(store, "camp", "视频类(微视频)",
	    "T-00001", "星城/大爱", &c, &error) == 0);
	TEST_CHECK_STR("relpath-safe", store_case_relpath(c),
	    "camp/视频类(微视频)/T-00001-星城_大爱");
	n1 = store_case_name(c, "作品.mp4", "附件1");
	n2 = store_case_name(c, "作品.mp4", "附件2");
	n3 = store_case_name(c, "../../etc/passwd", "附件3");
	n4 = store_case_name(c, "CASE.JSON", "附件4");
	TEST_CHECK_STR("name-kept", n1, "作品.mp4");
	TEST_CHECK_STR("name-deduped", n2, "作品 (2).mp4");
	TEST_CHECK("name-no-traversal", strchr(n3, '/') == NULL &&
	    strstr(n3, "..") == NULL);
	TEST_CHECK("name-not-ours-any-case", g_ascii_strcasecmp(n4,
	    "case.json") != 0);
	{
		g_autofree char *u = store_case_name(c, "IMG_0001.JPG", "x");
		g_autofree char *l = store_case_name(c, "img_0001.jpg", "x");

		TEST_CHECK_STR("case-differing-name-kept", u, "IMG_0001.JPG");
		TEST_CHECK_STR("case-differing-name-numbered", l,
		    "img_0001 (2).jpg");
	}
	TEST_CHECK("write", store_case_write(c, n1, "abc", 3, &error) == 0 &&
	    store_case_write(c, "case.json", "{}", 2, &error) == 0);
	TEST_CHECK("not-visible-before-commit",
	    !exists(dir, "camp/视频类(微视频)/T-00001-星城_大爱"));
	/* Something already where the case goes (staff made it, or a
	 * crash left it): set aside, never deleted. */
	{
		g_autofree char *there = g_build_filename(dir, "camp",
		    "视频类(微视频)", "T-00001-星城_大爱", NULL);
		g_autofree char *note = g_build_filename(there, "备注.txt", NULL);

		g_mkdir_with_parents(there, 0750);
		g_file_set_contents(note, "staff", -1, NULL);
	}
	TEST_CHECK("commit", store_case_commit(&c, &error) == 0 && c == NULL);
	TEST_CHECK("visible-after-commit",
	    exists(dir, "camp/视频类(微视频)/T-00001-星城_大爱/作品.mp4"));
	TEST_CHECK("commit-sets-aside-what-was-there",
	    exists(dir, "_fsck/camp/视频类(微视频)/T-00001-星城_大爱/备注.txt") &&
	    !exists(dir, "camp/视频类(微视频)/T-00001-星城_大爱/备注.txt"));

	/* A case renamed into place whose database commit never happened,
	 * and a half-built one in .tmp: recovery sets the first aside and
	 * removes the second. */
	TEST_CHECK("begin-2", store_case_begin(store, "camp", "图片类",
	    "T-00002", "uncommitted", &c, &error) == 0 &&
	    store_case_write(c, "case.json", "{}", 2, &error) == 0);
	TEST_CHECK("commit-2", store_case_commit(&c, &error) == 0);
	TEST_CHECK("begin-3", store_case_begin(store, "camp", "图片类",
	    "T-00003", "half", &c, &error) == 0);
	store_close(&store);	/* "crash": the case is left in .tmp */
	/* Staff's own folders in the shared store, named with dashes. */
	{
		g_autofree char *staff = g_build_filename(dir, "camp", "评审结果",
		    "第一轮-意见", NULL);
		g_autofree char *lookalike = g_build_filename(dir, "camp",
		    "图片类", "T-00009-备份", NULL);
		g_autofree char *note = g_build_filename(staff, "notes.txt",
		    NULL);

		g_mkdir_with_parents(staff, 0750);
		g_mkdir_with_parents(lookalike, 0750);
		g_file_set_contents(note, "意见", -1, NULL);
		make_case(dir, "camp/初审/T-00004-moved");
	}
	TEST_CHECK("tmp-leftover", exists(dir, ".tmp/T-00003"));
	TEST_CHECK("reopen", store_open(dir, &store, &error) == 0);
	TEST_CHECK("recover", store_recover(store, true, only_first_committed, NULL,
	    &moved, &kept, &error) == 0);
	TEST_CHECK("recover-leaves-moved-by-hand",
	    exists(dir, "camp/初审/T-00004-moved/case.json") &&
	    kept != NULL && kept[0] != NULL &&
	    strcmp(kept[0], "camp/初审/T-00004-moved") == 0 && kept[1] == NULL);
	g_clear_pointer(&kept, g_strfreev);
	TEST_CHECK("recover-keeps-committed",
	    exists(dir, "camp/视频类(微视频)/T-00001-星城_大爱/作品.mp4"));
	/* A folder the database does not know there may be a crash's
	 * leftover, or a case in a folder staff renamed: never deleted. */
	TEST_CHECK("recover-sets-aside-uncommitted",
	    !exists(dir, "camp/图片类/T-00002-uncommitted") &&
	    exists(dir, "_fsck/camp/图片类/T-00002-uncommitted/case.json"));
	TEST_CHECK("recover-says-what-it-set-aside", moved != NULL &&
	    moved[0] != NULL && strcmp(moved[0], "camp/图片类/T-00002-"
	    "uncommitted -> _fsck/camp/图片类/T-00002-uncommitted") == 0 &&
	    moved[1] == NULL);
	g_clear_pointer(&moved, g_strfreev);
	TEST_CHECK("recover-cleans-tmp", !exists(dir, ".tmp/T-00003"));
	TEST_CHECK("recover-keeps-staff-folders",
	    exists(dir, "camp/评审结果/第一轮-意见/notes.txt"));
	TEST_CHECK("recover-keeps-folders-without-case-json",
	    exists(dir, "camp/图片类/T-00009-备份"));
	store_case_abort(&c);
	store_close(&store);
	TEST_CHECK("close-nulls", store == NULL);
	{
		g_autofree char *sdir = g_dir_make_tmp("subgate-stream-XXXXXX",
		    NULL);

		test_write_stream(sdir);
	}
	return TEST_EXIT();
}
