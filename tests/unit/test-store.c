/* store: building, committing and recovering case folders. */
#include <fcntl.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store.h"
#include "test.h"

static int
only_first_committed(const char *relpath, void *ctx, char **error_r)
{
	(void)ctx;
	(void)error_r;
	return strcmp(relpath, "camp/视频类(微视频)/T-00001-星城_大爱") == 0;
}

static int
exists(const char *dir, const char *rel)
{
	g_autofree char *p = g_build_filename(dir, rel, NULL);

	return g_file_test(p, G_FILE_TEST_EXISTS);
}

int
main(void)
{
	g_autofree char *dir = g_dir_make_tmp("subgate-store-XXXXXX", NULL);
	g_autofree char *error = NULL;
	g_autofree char *n1 = NULL, *n2 = NULL, *n3 = NULL, *n4 = NULL;
	struct store *store = NULL, *other = NULL;
	struct store_case *c = NULL;

	TEST_CHECK("open", store_open(dir, &store, &error) == 0);
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
	TEST_CHECK("commit", store_case_commit(&c, &error) == 0 && c == NULL);
	TEST_CHECK("visible-after-commit",
	    exists(dir, "camp/视频类(微视频)/T-00001-星城_大爱/作品.mp4"));

	/* A case renamed into place whose database commit never happened,
	 * and a half-built one in .tmp: recovery removes both. */
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
	}
	TEST_CHECK("tmp-leftover", exists(dir, ".tmp/T-00003"));
	TEST_CHECK("reopen", store_open(dir, &store, &error) == 0);
	TEST_CHECK("recover", store_recover(store, only_first_committed, NULL,
	    &error) == 0);
	TEST_CHECK("recover-keeps-committed",
	    exists(dir, "camp/视频类(微视频)/T-00001-星城_大爱/作品.mp4"));
	TEST_CHECK("recover-removes-uncommitted",
	    !exists(dir, "camp/图片类/T-00002-uncommitted"));
	TEST_CHECK("recover-cleans-tmp", !exists(dir, ".tmp/T-00003"));
	TEST_CHECK("recover-keeps-staff-folders",
	    exists(dir, "camp/评审结果/第一轮-意见/notes.txt"));
	TEST_CHECK("recover-keeps-folders-without-case-json",
	    exists(dir, "camp/图片类/T-00009-备份"));
	store_case_abort(&c);
	store_close(&store);
	TEST_CHECK("close-nulls", store == NULL);
	return TEST_EXIT();
}
