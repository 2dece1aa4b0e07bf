/*
 * archivelist: entry names as zips carry them (UTF-8, GBK without the
 * flag, CP437, control characters), the limits counted entry by entry
 * and byte by byte, what going over one says, and a copy that owns its
 * own listing.
 */
#include <string.h>

#include <glib.h>

#include "archivelist.h"
#include "mail_limits.h"
#include "mediarule.h"
#include "test.h"

static const struct {
	const char *label, *raw, *want, *charset;
} names[] = {
	{ "ascii", "works/a.jpg", "works/a.jpg", "UTF-8" },
	{ "utf8", "星城大爱/报名表.docx", "星城大爱/报名表.docx", "UTF-8" },
	/* 星城大爱/报名表.docx as Explorer on a Chinese Windows writes it */
	{ "gbk", "\xd0\xc7\xb3\xc7\xb4\xf3\xb0\xae/\xb1\xa8\xc3\xfb\xb1\xed"
	    ".docx", "星城大爱/报名表.docx", "GB18030" },
	/* 山村新貌1.jpg in GBK */
	{ "gbk-digits", "\xc9\xbd\xb4\xe5\xd0\xc2\xc3\xb2" "1.jpg",
	    "山村新貌1.jpg", "GB18030" },
	/* café.txt from a Western DOS zip: 0x82 alone is no GB18030 */
	{ "cp437", "caf\x82.txt", "café.txt", "CP437" },
	{ "control", "a\nb\x01.txt", "a?b?.txt", "UTF-8" },
};

static void
test_names(void)
{
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(names); i++) {
		const char *charset = NULL;
		g_autofree char *got = archivelist_name(names[i].raw,
		    strlen(names[i].raw), &charset);
		char label[64];

		g_snprintf(label, sizeof(label), "name:%s", names[i].label);
		TEST_CHECK_STR(label, got, names[i].want);
		g_snprintf(label, sizeof(label), "charset:%s", names[i].label);
		TEST_CHECK_STR(label, charset, names[i].charset);
	}
}

static void
test_limits(void)
{
	struct inspect_limits lim;
	struct archive_facts *a = archivelist_new();
	g_autofree char *text = NULL;
	unsigned i;

	inspect_limits_resolve(&lim, &(struct inspect_limits){
	    .archive_entries = 3, .archive_bytes = 1000,
	    .archive_ratio = 10, .archive_ratio_from = 100,
	    .archive_name_bytes = 8 });
	a->size = 5;
	/* 3 entries of 40 bytes declared: 120 > 100 bytes and > 10 x 5. */
	TEST_CHECK("limits:first", archivelist_account(a, &lim, 5, 40) ==
	    ARCHIVE_WITHIN);
	TEST_CHECK("limits:second", archivelist_account(a, &lim, 5, 40) ==
	    ARCHIVE_WITHIN);
	TEST_CHECK("limits:ratio", archivelist_account(a, &lim, 5, 40) ==
	    ARCHIVE_OVER_RATIO && a->limit == 10);
	text = archivelist_over_text(a);
	TEST_CHECK_STR("limits:ratio-said", text, "原大小的 10 倍");
	/* Counting stops at the first. */
	TEST_CHECK("limits:sticks", archivelist_account(a, &lim, 50, 0) ==
	    ARCHIVE_OVER_RATIO && a->entries == 3);
	archivelist_free(&a);
	TEST_CHECK("limits:freed", a == NULL);

	a = archivelist_new();
	a->size = 1 << 20;
	for (i = 0; i < 3; i++)
		(void)archivelist_account(a, &lim, 1, 0);
	TEST_CHECK("limits:entries", archivelist_account(a, &lim, 1, 0) ==
	    ARCHIVE_OVER_ENTRIES && a->limit == 3);
	archivelist_free(&a);

	a = archivelist_new();
	a->size = 1 << 20;
	TEST_CHECK("limits:name", archivelist_account(a, &lim, 9, 0) ==
	    ARCHIVE_OVER_NAME);
	archivelist_free(&a);

	/* An entry that declares little and expands to more. */
	a = archivelist_new();
	a->size = 1 << 20;
	TEST_CHECK("limits:declared-small", archivelist_account(a, &lim, 1,
	    10) == ARCHIVE_WITHIN);
	TEST_CHECK("limits:read-more", archivelist_more(a, &lim, 995) ==
	    ARCHIVE_OVER_BYTES && a->expanded == 1005);
	g_clear_pointer(&text, g_free);
	text = archivelist_over_text(a);
	TEST_CHECK_STR("limits:bytes-said", text, "1 MB");
	archivelist_free(&a);

	/* A declared 2^64-1 saturates, never wraps to within. */
	a = archivelist_new();
	a->size = 1;
	(void)archivelist_account(a, &lim, 1, 10);
	TEST_CHECK("limits:saturates", archivelist_account(a, &lim, 1,
	    UINT64_MAX) == ARCHIVE_OVER_BYTES && a->expanded == UINT64_MAX);
	archivelist_free(&a);

	/* Defaults: a 16 MiB text in an 80 KB zip is over 200 times. */
	inspect_limits_resolve(&lim, NULL);
	a = archivelist_new();
	a->size = 80 * 1000;
	TEST_CHECK("limits:default-ratio", archivelist_account(a, &lim, 8,
	    LIMIT_ARCHIVE_RATIO_FROM + 1) == ARCHIVE_OVER_RATIO);
	archivelist_free(&a);
	a = archivelist_new();
	a->size = 1000;
	TEST_CHECK("limits:small-no-ratio", archivelist_account(a, &lim, 8,
	    1000 * 1000) == ARCHIVE_WITHIN);
	archivelist_free(&a);
}

static void
test_copy(void)
{
	struct media_facts f = { .kind = FACTS_ARCHIVE };
	struct media_facts *c;
	struct archive_item *it;

	f.archive = archivelist_new();
	it = archivelist_add(f.archive, g_strdup("报名表.docx"));
	it->media = g_new0(struct media_facts, 1);
	it->media->kind = FACTS_TEXT;
	c = media_facts_copy(&f);
	TEST_CHECK("copy:own-listing", c->archive != f.archive &&
	    c->archive->count == 1 && c->archive->items[0].name !=
	    f.archive->items[0].name && strcmp(c->archive->items[0].name,
	    "报名表.docx") == 0 && c->archive->items[0].media->kind ==
	    FACTS_TEXT);
	archivelist_free(&f.archive);
	media_facts_free(&c);
	TEST_CHECK("copy:freed", c == NULL);
}

int
main(void)
{
	test_names();
	test_limits();
	test_copy();
	return TEST_EXIT();
}
