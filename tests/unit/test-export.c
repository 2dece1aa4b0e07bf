/* Table tests for the pure parts of the staff side: display width, CSV
 * quoting, text cleaning, sizes, HTML escaping, path encoding. */
#include <glib.h>

#include "cases.h"
#include "export.h"
#include "htmlindex.h"
#include "test.h"

static void
test_display_width(void)
{
	static const struct {
		const char *s;
		size_t width;
	} t[] = {
		{ "", 0 },
		{ "abc", 3 },
		{ "星城大爱", 8 },
		{ "视频类(微视频)", 14 },
		{ "ＡＢ", 4 },		/* full-width Latin */
		{ "e\xcc\x81", 1 },	/* e + combining acute */
		{ "a\xe2\x80\x8b" "b", 2 },	/* zero-width space */
		{ "\xff\xfe", 2 },	/* invalid bytes: a column each */
		{ "报送单位:A", 10 },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(t); i++) {
		g_autofree char *name = g_strdup_printf("display-width-%zu", i);

		TEST_CHECK(name, export_display_width(t[i].s) == t[i].width);
	}
	TEST_CHECK("display-width-null", export_display_width(NULL) == 0);
}

static void
test_padded(void)
{
	static const struct {
		const char *s;
		size_t width;
		const char *want;
	} t[] = {
		{ "ab", 4, "ab  " },
		{ "星城", 6, "星城  " },
		{ "星城大爱", 8, "星城大爱" },
		{ "星城大爱", 7, "星城大…" },
		{ "星城大爱", 6, "星城… " },	/* a wide char does not fit */
		{ "abcdef", 4, "abc…" },
		{ "", 3, "   " },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(t); i++) {
		GString *out = g_string_new(NULL);
		g_autofree char *name = g_strdup_printf("padded-%zu", i);

		export_append_padded(out, t[i].s, t[i].width);
		TEST_CHECK_STR(name, out->str, t[i].want);
		TEST_CHECK(name, export_display_width(out->str) == t[i].width);
		g_string_free(out, TRUE);
	}
}

static void
test_csv(void)
{
	static const struct {
		const char *s, *want;
	} t[] = {
		{ "plain", "plain" },
		{ "星城大爱", "星城大爱" },
		{ "a,b", "\"a,b\"" },
		{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
		{ "line1\nline2", "\"line1\nline2\"" },
		{ "cr\rhere", "\"cr\rhere\"" },
		{ " lead", "\" lead\"" },
		{ "trail ", "\"trail \"" },
		{ "=1+1", "\"'=1+1\"" },
		{ "+86 123", "\"'+86 123\"" },
		{ "-x", "\"'-x\"" },
		{ "@SUM(A1)", "\"'@SUM(A1)\"" },
		{ "a=b", "a=b" },
		{ "", "" },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(t); i++) {
		GString *out = g_string_new(NULL);
		g_autofree char *name = g_strdup_printf("csv-field-%zu", i);

		export_csv_append_field(out, t[i].s);
		TEST_CHECK_STR(name, out->str, t[i].want);
		g_string_free(out, TRUE);
	}
	{
		GString *out = g_string_new(NULL);

		export_csv_append_field(out, NULL);
		TEST_CHECK_STR("csv-field-null", out->str, "");
		g_string_free(out, TRUE);
	}
}

static void
test_clean(void)
{
	static const struct {
		const char *s;
		gboolean keep_newlines;
		const char *want;
	} t[] = {
		{ "ok 星城", FALSE, "ok 星城" },
		{ "a\nb", FALSE, "a b" },
		{ "a\r\nb", TRUE, "a\nb" },
		{ "\x1b[31mred", FALSE, " [31mred" },
		{ "a\tb", FALSE, "a b" },
		{ "evil\xe2\x80\xaegpj.exe", FALSE, "evil gpj.exe" },
		{ "bad\xff", FALSE, "bad\xef\xbf\xbd" },
		{ "c1\xc2\x85x", FALSE, "c1 x" },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(t); i++) {
		g_autofree char *name = g_strdup_printf("clean-%zu", i);
		g_autofree char *got = export_clean_text(t[i].s,
		    t[i].keep_newlines);

		TEST_CHECK_STR(name, got, t[i].want);
	}
	{
		g_autofree char *got = export_clean_text(NULL, FALSE);

		TEST_CHECK_STR("clean-null", got, "");
	}
}

static void
test_sizes(void)
{
	static const struct {
		uint64_t size;
		const char *want;
	} t[] = {
		{ 0, "0 B" },
		{ 1023, "1023 B" },
		{ 1024, "1.0 KB" },
		{ 1536, "1.5 KB" },
		{ 300000, "293.0 KB" },
		{ 5 * 1024 * 1024, "5.0 MB" },
		{ (uint64_t)3 << 30, "3.0 GB" },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(t); i++) {
		g_autofree char *name = g_strdup_printf("size-%zu", i);
		g_autofree char *got = export_human_size(t[i].size);

		TEST_CHECK_STR(name, got, t[i].want);
	}
}

static void
test_html(void)
{
	static const struct {
		const char *s, *want;
	} t[] = {
		{ "<script>alert(1)</script>",
		    "&lt;script&gt;alert(1)&lt;/script&gt;" },
		{ "a & b", "a &amp; b" },
		{ "\"q\" 'a'", "&quot;q&quot; &#39;a&#39;" },
		{ "星城大爱", "星城大爱" },
		{ "x\ny", "x y" },
		{ NULL, "" },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(t); i++) {
		g_autofree char *name = g_strdup_printf("html-escape-%zu", i);
		g_autofree char *got = htmlindex_escape(t[i].s);

		TEST_CHECK_STR(name, got, t[i].want);
	}
}

static void
test_path(void)
{
	static const struct {
		const char *s, *want;
	} t[] = {
		{ "plain/file.txt", "plain/file.txt" },
		{ "a b/c#d%e", "a%20b/c%23d%25e" },
		{ "星城", "%E6%98%9F%E5%9F%8E" },
		{ "视频类(微视频)/X-1", "%E8%A7%86%E9%A2%91%E7%B1%BB%28%E5%BE%AE"
		    "%E8%A7%86%E9%A2%91%29/X-1" },
		{ "q?x=1&y", "q%3Fx%3D1%26y" },
		{ "../up", "../up" },
		{ "~a_b.c-d", "~a_b.c-d" },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(t); i++) {
		g_autofree char *name = g_strdup_printf("path-encode-%zu", i);
		g_autofree char *got = htmlindex_path_encode(t[i].s);

		TEST_CHECK_STR(name, got, t[i].want);
	}
}

static void
test_case_helpers(void)
{
	g_autofree char *t1 = case_time_short("2024-06-01T09:30:05+08:00");
	g_autofree char *t2 = case_time_short(NULL);

	TEST_CHECK_STR("time-short", t1, "2024-06-01 09:30");
	TEST_CHECK_STR("time-short-null", t2, "");
	TEST_CHECK_STR("status-accepted", case_status_label("accepted"),
	    "已受理");
	TEST_CHECK_STR("status-rejected", case_status_label("rejected"),
	    "已退回");
	TEST_CHECK_STR("status-unknown", case_status_label("odd"), "odd");
	{
		enum export_format f;

		TEST_CHECK("format-csv", export_format_parse("csv", &f) == 0 &&
		    f == EXPORT_CSV);
		TEST_CHECK("format-xlsx", export_format_parse("XLSX", &f) == 0 &&
		    f == EXPORT_XLSX);
		TEST_CHECK("format-bad", export_format_parse("xls", &f) < 0);
	}
}

int
main(void)
{
	test_display_width();
	test_padded();
	test_csv();
	test_clean();
	test_sizes();
	test_html();
	test_path();
	test_case_helpers();
	return TEST_EXIT();
}
