/* test-safename: the rules in include/safename.h, one table row each. */
#include <stdlib.h>

#include <glib.h>

#include "mail_limits.h"
#include "safename.h"
#include "test.h"

static const struct {
	const char *what;
	const char *original;
	const char *fallback;
	const char *want;
} cases[] = {
	{ "plain chinese", "扶贫征集-自荐-视频类(微视频)-星城大爱.mp4", "x",
	  "扶贫征集-自荐-视频类(微视频)-星城大爱.mp4" },
	{ "slash", "a/b.mp4", "x", "a_b.mp4" },
	{ "backslash", "C:\\fakepath\\作品.mp4", "x", "C：_fakepath_作品.mp4" },
	{ "dot dot", "..", "fallback.bin", "fallback.bin" },
	{ "dot dot path", "../../etc/passwd", "x", "_._etc_passwd" },
	{ "single dot", ".", "f", "f" },
	{ "hidden", ".bashrc", "x", "bashrc" },
	{ "option", "-rf.mp4", "x", "rf.mp4" },
	{ "leading dots dashes spaces", " .-. 作品.mp4", "x", "作品.mp4" },
	{ "trailing dots spaces", "作品.mp4. . ", "x", "作品.mp4" },
	{ "windows reserved", "a<b>c:d\"e|f?g*h.doc", "x",
	  "a＜b＞c：d＂e｜f？g＊h.doc" },
	{ "control", "a\001b\177c\302\205d.txt", "x", "abcd.txt" },
	{ "tab newline", "a\tb\r\nc.txt", "x", "a b  c.txt" },
	{ "bidi override", "作品\342\200\2564pm.exe", "x", "作品4pm.exe" },
	{ "invalid utf-8", "\377\376\326.mp4", "x", "___.mp4" },
	{ "truncated utf-8", "作品\344\275", "x", "作品__" },
	{ "empty", "", "附件1.mp4", "附件1.mp4" },
	{ "null", NULL, "附件1.mp4", "附件1.mp4" },
	{ "only bad", "...", "...", "file" },
	{ "CON", "CON", "x", "_CON" },
	{ "con ext", "con.txt", "x", "_con.txt" },
	{ "nul ext", "Nul.tar.gz", "x", "_Nul.tar.gz" },
	{ "com1", "COM1.mp4", "x", "_COM1.mp4" },
	{ "lpt9", "lpt9", "x", "_lpt9" },
	/* Windows's naming rules list COM0 and LPT0 too. */
	{ "com0", "COM0.mp4", "x", "_COM0.mp4" },
	{ "lpt0", "lpt0.txt", "x", "_lpt0.txt" },
	{ "com10 is fine", "COM10.mp4", "x", "COM10.mp4" },
	{ "console is fine", "CONSOLE.mp4", "x", "CONSOLE.mp4" },
	{ "device with space", "AUX .txt", "x", "_AUX .txt" },
	{ "conin$", "CONIN$", "x", "_CONIN$" },
	{ "conout$ ext", "conout$.log", "x", "_conout$.log" },
	{ "com superscript", "COM\302\271.mp4", "x", "_COM\302\271.mp4" },
	{ "lpt superscript", "lpt\302\263", "x", "_lpt\302\263" },
	{ "com superscript 4 is fine", "COM\342\201\264.mp4", "x",
	  "COM\342\201\264.mp4" },
	{ "conin is fine", "CONIN.txt", "x", "CONIN.txt" },
	{ "nfc", "e\314\201.txt", "x", "\303\251.txt" },
	{ "dot runs collapse", "作品..终版.mp4", "x", "作品.终版.mp4" },
};

static void
test_table(void)
{
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		char name[128];
		char *got = safename_make(cases[i].original, cases[i].fallback);

		g_snprintf(name, sizeof(name), "safename %s", cases[i].what);
		TEST_CHECK_STR(name, got, cases[i].want);
		g_free(got);
	}
}

static void
test_length(void)
{
	GString *in = g_string_new(NULL);
	char *got, *ext;
	int i;

	/* 100 three-byte characters: 300 bytes, over the 255 limit. */
	for (i = 0; i < 100; i++)
		g_string_append(in, "作");
	g_string_append(in, ".mp4");
	got = safename_make(in->str, "x");
	TEST_CHECK("safename long within limit",
	    strlen(got) <= LIMIT_FILENAME_BYTES);
	TEST_CHECK("safename long valid utf-8", g_utf8_validate(got, -1, NULL));
	TEST_CHECK("safename long keeps extension", g_str_has_suffix(got, "作.mp4"));
	TEST_CHECK("safename long cut on 3-byte boundary",
	    strlen(got) == 83 * 3 + 4);
	g_free(got);

	/* An absurd extension is not kept whole. */
	g_string_assign(in, "a.");
	for (i = 0; i < 300; i++)
		g_string_append_c(in, 'x');
	got = safename_make(in->str, "x");
	TEST_CHECK("safename long extension cut",
	    strlen(got) == LIMIT_FILENAME_BYTES && got[0] == 'a');
	g_free(got);

	/* A cut that would end the stem in a space or dot drops those. */
	g_string_truncate(in, 0);
	for (i = 0; i < 265; i++)
		g_string_append_c(in, i < 245 ? 'a' : ' ');
	g_string_append(in, "b.mp4");
	got = safename_make(in->str, "x");
	ext = strstr(got, ".mp4");
	TEST_CHECK("safename cut stem trimmed", ext != NULL && ext[-1] == 'a' &&
	    strlen(got) == 245 + 4);
	g_free(got);
	g_string_free(in, TRUE);
}

static void
test_dedupe(void)
{
	GString *in = g_string_new(NULL);
	char *got;
	int i;

	got = safename_dedupe("作品.mp4", 2);
	TEST_CHECK_STR("safename dedupe 2", got, "作品 (2).mp4");
	g_free(got);
	got = safename_dedupe("作品.mp4", 1);
	TEST_CHECK_STR("safename dedupe 1 unchanged", got, "作品.mp4");
	g_free(got);
	got = safename_dedupe("README", 12);
	TEST_CHECK_STR("safename dedupe no extension", got, "README (12)");
	g_free(got);
	got = safename_dedupe("a.tar.gz", 3);
	TEST_CHECK_STR("safename dedupe last extension", got, "a.tar (3).gz");
	g_free(got);

	for (i = 0; i < 83; i++)
		g_string_append(in, "作");
	g_string_append(in, ".mp4");	/* 253 bytes */
	got = safename_dedupe(in->str, 4294967295u);
	TEST_CHECK("safename dedupe within limit",
	    strlen(got) <= LIMIT_FILENAME_BYTES &&
	    g_utf8_validate(got, -1, NULL) &&
	    g_str_has_suffix(got, "作 (4294967295).mp4"));
	g_free(got);
	g_string_free(in, TRUE);
}

int
main(void)
{
	test_table();
	test_length();
	test_dedupe();
	return TEST_EXIT();
}
