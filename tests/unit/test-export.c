/* Table tests for the pure parts of the staff side: display width, CSV
 * quoting, text cleaning, sizes, HTML escaping, path encoding, and the
 * summary table's columns (the default set and a campaign's [export]). */
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "campaign.h"
#include "case_record.h"
#include "config_file.h"
#include "export.h"
#include "htmlindex.h"
#include "test.h"
#include "textcell.h"

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

		TEST_CHECK(name, textcell_display_width(t[i].s) == t[i].width);
	}
	TEST_CHECK("display-width-null", textcell_display_width(NULL) == 0);
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

		textcell_append_padded(out, t[i].s, t[i].width);
		TEST_CHECK_STR(name, out->str, t[i].want);
		TEST_CHECK(name, textcell_display_width(out->str) == t[i].width);
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
		g_autofree char *got = textcell_clean(t[i].s,
		    t[i].keep_newlines);

		TEST_CHECK_STR(name, got, t[i].want);
	}
	{
		g_autofree char *got = textcell_clean(NULL, FALSE);

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
		g_autofree char *got = textcell_human_size(t[i].size);

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


/* The seed 003 campaign (file-name convention 作品名-分类-报送单位), with
 * extra appended to the file. */
static const char export_campaign_base[] =
"[campaign]\n"
"id = dangjiao\n"
"name = 党员教育作品\n"
"convention = filename\n"
"filename = {作品名}-{分类}-{报送单位}\n"
"category_field = 分类\n"
"title_field = 作品名\n"
"unit_field = 报送单位\n"
"\n"
"[field 作品名]\n"
"type = text\n"
"\n"
"[field 分类]\n"
"type = enum\n"
"values = 微视频;纪录片\n"
"\n"
"[field 报送单位]\n"
"type = unit\n"
"units = 金坛区委组织部;武进区委组织部\n";

/* Loads the base campaign plus extra; NULL and *error_r on failure. */
static struct campaign *
export_campaign(const char *extra, char **error_r)
{
	g_autofree char *dir = g_dir_make_tmp("test-export-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "c.campaign", NULL);
	g_autofree char *text = g_strconcat(export_campaign_base, extra, NULL);
	struct campaign *c = NULL;

	*error_r = NULL;
	if (!g_file_set_contents(path, text, -1, NULL)) {
		*error_r = g_strdup("cannot write campaign file");
		return NULL;
	}
	(void)campaign_load(path, &c, error_r);
	unlink(path);
	rmdir(dir);
	if (*error_r != NULL) {
		/* Name the file by its base name, which tests can match. */
		char *at = strstr(*error_r, "c.campaign");

		if (at != NULL) {
			char *tail = g_strdup(at);

			g_free(*error_r);
			*error_r = tail;
		}
	}
	return c;
}

static struct case_record *
export_case(const char *receipt, const char *title, const char *unit)
{
	struct case_record *c = g_new0(struct case_record, 1);

	c->receipt = g_strdup(receipt);
	c->campaign = g_strdup("dangjiao");
	c->category = g_strdup("微视频");
	c->title = g_strdup(title);
	c->unit = g_strdup(unit);
	c->sender = g_strdup("office@jintan.example");
	c->from_name = g_strdup("金坛组织部");
	c->status = g_strdup("accepted");
	c->received_at = g_strdup("2024-06-01T09:30:05+08:00");
	c->batch = g_strdup("2024-06-04");
	c->field_count = 3;
	c->fields = g_new0(struct case_field, 4);
	c->fields[0].name = g_strdup("作品名");
	c->fields[0].value = g_strdup(title);
	c->fields[1].name = g_strdup("分类");
	c->fields[1].value = g_strdup("微视频");
	c->fields[2].name = g_strdup("报送单位");
	c->fields[2].value = g_strdup(unit);
	c->attachment_count = 2;
	c->attachments = g_new0(struct case_attachment, 3);
	c->attachments[0].name = g_strdup("a.mp4");
	c->attachments[0].size = 300000;
	c->attachments[1].name = g_strdup("b.docx");
	c->attachments[1].size = 1536;
	c->total_size = 301536;
	return c;
}

static char *
export_row_text(GPtrArray *table, guint i)
{
	return g_strjoinv("|", table->pdata[i]);
}

static void
test_export_columns(void)
{
	static const struct {
		const char *name, *columns;
		const char *header, *row;	/* cells joined by | */
	} t[] = {
		/* No [export]: the default set, unchanged. */
		{ "default", NULL,
		    "序号|作品名称|类别|报送单位|回执编号|投稿邮箱|收到时间|状态|附件",
		    "1|初心如磐|微视频|金坛区委组织部|DJ-00001|"
		    "office@jintan.example|2024-06-01 09:30:05|已受理|"
		    "a.mp4（293.0 KB）\nb.docx（1.5 KB）" },
		/* Seed 003's 附件4 汇总表. */
		{ "seed-003", "序号;作品名称:作品名;类别:分类;制作单位:报送单位",
		    "序号|作品名称|类别|制作单位",
		    "1|初心如磐|微视频|金坛区委组织部" },
		{ "fields-as-named", "作品名;报送单位",
		    "作品名|报送单位", "初心如磐|金坛区委组织部" },
		{ "every-builtin", "序号;回执编号;投稿邮箱;投稿人;收到时间;状态;"
		    "附件;附件数;大小",
		    "序号|回执编号|投稿邮箱|投稿人|收到时间|状态|附件|附件数|大小",
		    "1|DJ-00001|office@jintan.example|金坛组织部|"
		    "2024-06-01 09:30:05|已受理|a.mp4（293.0 KB）\nb.docx（1.5 KB）|"
		    "2|294.5 KB" },
		{ "ascii-names", "seq;RECEIPT;sender;sender_name;arrival;status;"
		    "attachment_count;total_size",
		    "序号|回执编号|投稿邮箱|投稿人|收到时间|状态|附件数|大小",
		    "1|DJ-00001|office@jintan.example|金坛组织部|"
		    "2024-06-01 09:30:05|已受理|2|294.5 KB" },
		/* The batch staff hand the case on in. */
		{ "batch", "回执编号;批次;报送批次:batch",
		    "回执编号|批次|报送批次", "DJ-00001|2024-06-04|2024-06-04" },
		{ "renamed-builtin", "编号:回执编号; 邮箱 : sender ;单位：报送单位",
		    "编号|邮箱|单位",
		    "DJ-00001|office@jintan.example|金坛区委组织部" },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(t); i++) {
		g_autofree char *extra = t[i].columns ? g_strdup_printf(
		    "\n[export]\ncolumns = %s\n", t[i].columns) : g_strdup("");
		g_autofree char *error = NULL, *head = NULL, *row = NULL;
		g_autofree char *name = g_strdup_printf("export-columns-%s",
		    t[i].name);
		struct campaign *c = export_campaign(extra, &error);
		GPtrArray *cases, *table;

		if (c == NULL) {
			TEST_CHECK_STR(name, error, "");
			continue;
		}
		cases = g_ptr_array_new_with_free_func(
		    (GDestroyNotify)case_record_free);
		g_ptr_array_add(cases, export_case("DJ-00001", "初心如磐",
		    "金坛区委组织部"));
		table = export_summary_table(c, cases);
		head = export_row_text(table, 0);
		row = export_row_text(table, 1);
		TEST_CHECK_STR(name, head, t[i].header);
		TEST_CHECK_STR(name, row, t[i].row);
		g_ptr_array_unref(table);
		g_ptr_array_unref(cases);
		campaign_free(&c);
	}
}

/* A field with no recorded value (an old case.json) takes the database's
 * column for its role; a default table names the sender when there is no
 * unit. */
static void
test_export_fallbacks(void)
{
	g_autofree char *error = NULL, *row = NULL;
	struct campaign *c = export_campaign("[export]\ncolumns = 作品名;分类;"
	    "报送单位;序号\n", &error);
	GPtrArray *cases, *table;
	struct case_record *r;

	if (c == NULL) {
		TEST_CHECK_STR("export-fallback-load", error, "");
		return;
	}
	cases = g_ptr_array_new_with_free_func((GDestroyNotify)case_record_free);
	r = export_case("DJ-00002", "产业链上的党旗红", "武进区委组织部");
	for (; r->field_count > 0; r->field_count--) {
		g_free(r->fields[r->field_count - 1].name);
		g_free(r->fields[r->field_count - 1].value);
	}
	g_ptr_array_add(cases, export_case("DJ-00001", "初心如磐",
	    "金坛区委组织部"));
	g_ptr_array_add(cases, r);
	table = export_summary_table(c, cases);
	row = export_row_text(table, 2);
	TEST_CHECK_STR("export-fallback-roles", row,
	    "产业链上的党旗红|微视频|武进区委组织部|2");
	TEST_CHECK("export-fallback-rows", table->len == 3);
	g_ptr_array_unref(table);
	g_ptr_array_unref(cases);
	campaign_free(&c);
}

/* 附件4's 制作单位 from the 报名表 (form.制作单位), the 报送单位 where a
 * case has no form or left the cell blank. */
static void
test_export_form(void)
{
	g_autofree char *error = NULL, *r1 = NULL, *r2 = NULL, *r3 = NULL;
	g_autofree char *head = NULL;
	struct campaign *c = export_campaign("\n[file 作品]\nrole = work\n"
	    "\n[file 报名表]\nmatch = *报名表*\nform.名 称 = 作品名\n"
	    "form.制作单位 = 制作单位\n"
	    "[export]\ncolumns = 序号;制作单位:form.制作单位|报送单位;"
	    "form.制作单位\n", &error);
	GPtrArray *cases, *table;
	struct case_record *r;

	if (c == NULL) {
		TEST_CHECK_STR("export-form-load", error, "");
		return;
	}
	cases = g_ptr_array_new_with_free_func((GDestroyNotify)case_record_free);
	r = export_case("DJ-00001", "初心如磐", "金坛区委组织部");
	r->form_count = 2;
	r->form = g_new0(struct case_field, 2);
	r->form[0].name = g_strdup("作品名");
	r->form[0].value = g_strdup("初心如磐");
	r->form[1].name = g_strdup("制作单位");
	r->form[1].value = g_strdup("金坛区融媒体中心");
	g_ptr_array_add(cases, r);
	g_ptr_array_add(cases, export_case("DJ-00002", "产业链上的党旗红",
	    "武进区委组织部"));
	r = export_case("DJ-00003", "村里来了新书记", "金坛区委组织部");
	r->form_count = 1;
	r->form = g_new0(struct case_field, 1);
	r->form[0].name = g_strdup("制作单位");
	r->form[0].value = g_strdup("");
	g_ptr_array_add(cases, r);
	table = export_summary_table(c, cases);
	/* What the index and `cases show` say of each form. */
	TEST_CHECK_STR("form-mark-read", case_record_form_mark(cases->pdata[0]),
	    "✓");
	TEST_CHECK("form-mark-none", case_record_form_mark(cases->pdata[1]) ==
	    NULL);
	r = cases->pdata[2];
	r->finding_count = 1;
	r->findings = g_new0(struct case_finding, 1);
	r->findings[0].code = g_strdup("form-blank");
	TEST_CHECK_STR("form-mark-blank", case_record_form_mark(r), "未填");
	r = cases->pdata[0];
	r->finding_count = 1;
	r->findings = g_new0(struct case_finding, 1);
	r->findings[0].code = g_strdup("form-contradicts:作品名");
	TEST_CHECK_STR("form-mark-contradicts", case_record_form_mark(r),
	    "不一致");
	{
		g_autofree char *text = case_record_form_text(r, 3);

		TEST_CHECK_STR("form-text: not the convention's", text,
		    "制作单位：金坛区融媒体中心");
	}
	head = export_row_text(table, 0);
	r1 = export_row_text(table, 1);
	r2 = export_row_text(table, 2);
	r3 = export_row_text(table, 3);
	TEST_CHECK_STR("export-form-header", head, "序号|制作单位|制作单位");
	TEST_CHECK_STR("export-form-read", r1, "1|金坛区融媒体中心|金坛区融媒体中心");
	TEST_CHECK_STR("export-form-none-falls-back", r2,
	    "2|武进区委组织部|");
	TEST_CHECK_STR("export-form-blank-falls-back", r3,
	    "3|金坛区委组织部|");
	g_ptr_array_unref(table);
	g_ptr_array_unref(cases);
	campaign_free(&c);
}

/* A sheet's rows joined as "cell|cell", one a line. */
static char *
export_sheet_text(const struct export_sheet *sheet)
{
	GString *out = g_string_new(NULL);
	guint i;

	for (i = 0; i < sheet->rows->len; i++) {
		const struct export_row *row = sheet->rows->pdata[i];
		g_autofree char *line = g_strjoinv("|", row->cells);

		g_string_append_printf(out, "%s\n", line);
	}
	return g_string_free(out, FALSE);
}

static struct case_record *
export_case_as(const char *receipt, const char *title, const char *category,
    const char *unit, const char *status)
{
	struct case_record *c = export_case(receipt, title, unit);

	g_free(c->category);
	c->category = g_strdup(category);
	g_free(c->fields[1].value);
	c->fields[1].value = g_strdup(category);
	g_free(c->status);
	c->status = g_strdup(status);
	return c;
}

/* 附件4 of notice 003: a header block per unit (its name, and the
 * roster's contact and phone) above its works, numbered from 1 per
 * unit; roster units in the roster's order, by any spelling, then the
 * others as they come. */
static void
test_export_per_unit(void)
{
	g_autofree char *error = NULL;
	struct campaign *c = export_campaign("\n[unit 溧阳市委组织部]\n"
	    "alias = 中共溧阳市委组织部\ncontact = 李明\nphone = 0519-87000000\n"
	    "\n[export]\nlayout = per-unit\n"
	    "title = 全市党员教育作品观摩交流活动汇总表\n"
	    "columns = 序号;作品名称:作品名;类别:分类;制作单位:报送单位\n",
	    &error);
	GPtrArray *cases, *sheets;
	GString *csv;

	if (c == NULL) {
		TEST_CHECK_STR("per-unit-load", error, "");
		return;
	}
	TEST_CHECK("per-unit-layout", campaign_export_layout(c) ==
	    CAMPAIGN_EXPORT_PER_UNIT);
	cases = g_ptr_array_new_with_free_func((GDestroyNotify)case_record_free);
	g_ptr_array_add(cases, export_case("DJ-00001", "初心如磐",
	    "市委党校党委"));
	g_ptr_array_add(cases, export_case("DJ-00002", "产业链上的党旗红",
	    "中共溧阳市委组织部"));
	g_ptr_array_add(cases, export_case("DJ-00003", "村里来了新书记",
	    "金坛区委组织部"));
	g_ptr_array_add(cases, export_case("DJ-00004", "运河之光",
	    "溧阳市委组织部"));
	sheets = export_summary_sheets(c, cases, campaign_export_layout(c));
	TEST_CHECK("per-unit-sheets", sheets->len == 3);
	if (sheets->len == 3) {
		const struct export_sheet *jt = sheets->pdata[0];
		const struct export_sheet *ly = sheets->pdata[1];
		const struct export_sheet *dx = sheets->pdata[2];
		g_autofree char *t_jt = export_sheet_text(jt);
		g_autofree char *t_ly = export_sheet_text(ly);
		g_autofree char *t_dx = export_sheet_text(dx);

		TEST_CHECK_STR("per-unit-roster-first", jt->name,
		    "金坛区委组织部");
		TEST_CHECK_STR("per-unit-roster-order", ly->name,
		    "溧阳市委组织部");
		TEST_CHECK_STR("per-unit-new-last", dx->name, "市委党校党委");
		TEST_CHECK_STR("per-unit-block", t_jt,
		    "全市党员教育作品观摩交流活动汇总表\n"
		    "报送单位：|金坛区委组织部\n"
		    "联系人：|\n"
		    "联系电话：|\n"
		    "序号|作品名称|类别|制作单位\n"
		    "1|村里来了新书记|微视频|金坛区委组织部\n");
		/* An alias counts under the roster's name, numbered on. */
		TEST_CHECK_STR("per-unit-contact-and-numbering", t_ly,
		    "全市党员教育作品观摩交流活动汇总表\n"
		    "报送单位：|溧阳市委组织部\n"
		    "联系人：|李明\n"
		    "联系电话：|0519-87000000\n"
		    "序号|作品名称|类别|制作单位\n"
		    "1|产业链上的党旗红|微视频|中共溧阳市委组织部\n"
		    "2|运河之光|微视频|溧阳市委组织部\n");
		TEST_CHECK("per-unit-header-index", ly->header == 4);
		TEST_CHECK("per-unit-seq-numeric", ((const struct export_row *)
		    ly->rows->pdata[5])->numeric[0]);
		TEST_CHECK("per-unit-new-unit", strstr(t_dx,
		    "报送单位：|市委党校党委\n联系人：|\n") != NULL);
	}
	g_ptr_array_unref(sheets);
	/* The CSV: the blocks a blank line apart. */
	g_ptr_array_set_size(cases, 2);
	g_ptr_array_remove_index(cases, 0);
	sheets = export_summary_sheets(c, cases, CAMPAIGN_EXPORT_PER_UNIT);
	csv = g_string_new(NULL);
	export_csv_append_sheets(csv, sheets);
	TEST_CHECK_STR("per-unit-csv", csv->str,
	    "全市党员教育作品观摩交流活动汇总表\r\n"
	    "报送单位：,溧阳市委组织部\r\n"
	    "联系人：,李明\r\n"
	    "联系电话：,0519-87000000\r\n"
	    "序号,作品名称,类别,制作单位\r\n"
	    "1,产业链上的党旗红,微视频,中共溧阳市委组织部\r\n");
	g_string_free(csv, TRUE);
	g_ptr_array_unref(sheets);
	/* Staff may still ask for the one list (--layout flat). */
	sheets = export_summary_sheets(c, cases, CAMPAIGN_EXPORT_FLAT);
	{
		g_autofree char *t = export_sheet_text(sheets->pdata[0]);

		TEST_CHECK_STR("per-unit-as-flat", t,
		    "序号|作品名称|类别|制作单位\n"
		    "1|产业链上的党旗红|微视频|中共溧阳市委组织部\n");
		TEST_CHECK_STR("per-unit-as-flat-name",
		    ((struct export_sheet *)sheets->pdata[0])->name, "汇总表");
	}
	g_ptr_array_unref(sheets);
	/* No case: the empty list, so that a workbook has its sheet. */
	g_ptr_array_set_size(cases, 0);
	sheets = export_summary_sheets(c, cases, CAMPAIGN_EXPORT_PER_UNIT);
	TEST_CHECK("per-unit-empty", sheets->len == 1 &&
	    ((struct export_sheet *)sheets->pdata[0])->rows->len == 1);
	g_ptr_array_unref(sheets);
	g_ptr_array_unref(cases);
	campaign_free(&c);
}

/* Notice 000's targets are per series and county: a count table of the
 * accepted works by unit and value, every roster unit with its 0s, and
 * the totals; after the list, a blank line apart in CSV. */
static void
test_export_counts(void)
{
	g_autofree char *error = NULL, *text = NULL;
	struct campaign *c = export_campaign("\n[export]\ncounts = 分类\n"
	    "columns = 序号;作品名\n", &error);
	GPtrArray *cases, *sheets;
	GString *csv;

	if (c == NULL) {
		TEST_CHECK_STR("counts-load", error, "");
		return;
	}
	cases = g_ptr_array_new_with_free_func((GDestroyNotify)case_record_free);
	g_ptr_array_add(cases, export_case_as("DJ-00001", "甲", "纪录片",
	    "市委党校党委", "accepted"));
	g_ptr_array_add(cases, export_case_as("DJ-00002", "乙", "微视频",
	    "金坛区委组织部", "accepted"));
	g_ptr_array_add(cases, export_case_as("DJ-00003", "丙", "微视频",
	    "金坛区委组织部", "accepted"));
	/* refused and waiting works are listed, never counted */
	g_ptr_array_add(cases, export_case_as("DJ-00004", "丁", "微视频",
	    "市委党校党委", "rejected"));
	g_ptr_array_add(cases, export_case_as("DJ-00005", "戊", "纪录片",
	    "金坛区委组织部", "pending"));
	sheets = export_summary_sheets(c, cases, CAMPAIGN_EXPORT_FLAT);
	TEST_CHECK("counts-sheets", sheets->len == 2);
	if (sheets->len == 2) {
		const struct export_sheet *n = sheets->pdata[1];
		const struct export_row *total = n->rows->pdata[
		    n->rows->len - 1];

		text = export_sheet_text(n);
		TEST_CHECK_STR("counts-name", n->name, "按分类统计");
		TEST_CHECK_STR("counts-table", text,
		    "按分类统计（已受理，件）\n"
		    "报送单位|微视频|纪录片|合计\n"
		    "金坛区委组织部|2|0|2\n"
		    "武进区委组织部|0|0|0\n"
		    "市委党校党委|0|1|1\n"
		    "合计|2|1|3\n");
		TEST_CHECK("counts-numeric", !total->numeric[0] &&
		    total->numeric[1] && total->numeric[3]);
		TEST_CHECK("counts-list-whole", ((struct export_sheet *)
		    sheets->pdata[0])->rows->len == 6);
	}
	csv = g_string_new(NULL);
	export_csv_append_sheets(csv, sheets);
	TEST_CHECK("counts-csv-after-list", strstr(csv->str,
	    "5,戊\r\n\r\n按分类统计（已受理，件）\r\n报送单位,微视频,纪录片,合计\r\n")
	    != NULL);
	g_string_free(csv, TRUE);
	g_ptr_array_unref(sheets);
	/* per unit too: the count sheet follows the units' */
	sheets = export_summary_sheets(c, cases, CAMPAIGN_EXPORT_PER_UNIT);
	TEST_CHECK("counts-per-unit", sheets->len == 3 && strcmp(
	    ((struct export_sheet *)sheets->pdata[2])->name, "按分类统计") == 0);
	g_ptr_array_unref(sheets);
	g_ptr_array_unref(cases);
	campaign_free(&c);
}

/* Excel refuses a workbook whose sheet names break its rules. */
static void
test_export_sheet_names(void)
{
	static const struct {
		const char *want, *name;
	} t[] = {
		{ "金坛区委组织部", "金坛区委组织部" },
		{ "金坛区委组织部", "金坛区委组织部(2)" },
		{ "A/B:C?D*E[F]G\\H", "A／B：C？D＊E［F］G＼H" },
		{ "'引号'", "引号" },
		{ "History", "History(2)" },
		{ "abc", "abc" },
		{ "ABC", "ABC(2)" },
		/* too long: its start and its end, which tell units apart */
		{ "中共常州市级机关工作委员会机关党委第一党支部第二党小组报送的作品汇总",
		    "中共常州市级机关工作…关党委第一党支部第二党小组报送的作品汇总" },
		{ "中共常州市级机关工作委员会机关党委第一党支部第二党小组报送的作品汇总",
		    "中共常州市级机关工…委第一党支部第二党小组报送的作品汇总(2)" },
		{ "中共常州市交通运输局直属机关委员会所属常州市公共交通集团有限公司党委",
		    "中共常州市交通运输局…委员会所属常州市公共交通集团有限公司党委" },
		{ "中共常州市交通运输局直属机关委员会所属常州市公共交通集团有限公司第一分公司党委",
		    "中共常州市交通运输局…常州市公共交通集团有限公司第一分公司党委" },
		/* outside the BMP: two of Excel's 31 */
		{ "𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀", "𠀀𠀀𠀀𠀀𠀀…𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀" },
		{ "", "Sheet" },
	};
	GHashTable *taken = g_hash_table_new_full(g_str_hash, g_str_equal,
	    g_free, NULL);
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(t); i++) {
		g_autofree char *name = g_strdup_printf("sheet-name-%zu", i);
		g_autofree char *got = export_sheet_name(t[i].want, taken);

		TEST_CHECK_STR(name, got, t[i].name);
	}
	g_hash_table_unref(taken);
}

static void
test_export_errors(void)
{
	static const struct {
		const char *name, *extra, *want;
	} t[] = {
		{ "unknown", "[export]\ncolumns = 序号;作者\n",
		    "c.campaign:21: [export] columns: \"作者\" is neither a field "
		    "of this campaign nor a column" },
		{ "unknown-renamed", "[export]\ncolumns = 序号;制作单位:单位\n",
		    "c.campaign:21: [export] columns: \"单位\" is neither" },
		{ "empty-header", "[export]\ncolumns = :作品名\n",
		    "c.campaign:21: [export] columns: \":作品名\": write "
		    "HEADER:SOURCE with both parts" },
		{ "empty-source", "[export]\ncolumns = 标题:\n",
		    "c.campaign:21: [export] columns: \"标题:\": write" },
		{ "unknown-key", "[export]\ncolumns = 序号\nsheet = 汇总表\n",
		    "c.campaign:22: [export] sheet: unknown key" },
		{ "no-columns", "[export]\n",
		    "c.campaign:20: [export]: no columns" },
		{ "form-unread", "[export]\ncolumns = 序号;form.制作单位\n",
		    "c.campaign:21: [export] columns: \"form.制作单位\": no [file "
		    "KIND] reads 制作单位 from its form (form.LABEL = 制作单位)" },
		{ "layout", "[export]\nlayout = sheets\n",
		    "c.campaign:21: [export] layout: \"sheets\": flat or "
		    "per-unit" },
		{ "counts-unknown", "[export]\ncounts = 系列\n",
		    "c.campaign:21: [export] counts: \"系列\" is not a field of "
		    "this campaign" },
		{ "counts-unit", "[export]\ncounts = 报送单位\n",
		    "c.campaign:21: [export] counts: counts by unit: name a field "
		    "other than the unit_field" },
		{ "form-fallback", "[file 报名表]\nform.制作单位 = 制作单位\n"
		    "[export]\ncolumns = 制作单位:form.制作单位|单位\n",
		    "c.campaign:23: [export] columns: \"form.制作单位|单位\": after "
		    "| comes a field or a column of this campaign" },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(t); i++) {
		g_autofree char *name = g_strdup_printf("export-error-%s",
		    t[i].name);
		g_autofree char *error = NULL, *got = NULL;
		struct campaign *c = export_campaign(t[i].extra, &error);

		/* The message's start: the list of columns may grow. */
		got = g_strndup(error ? error : "(loaded)", strlen(t[i].want));
		TEST_CHECK_STR(name, got, t[i].want);
		campaign_free(&c);
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
	test_export_columns();
	test_export_fallbacks();
	test_export_form();
	test_export_per_unit();
	test_export_counts();
	test_export_sheet_names();
	test_export_errors();
	return TEST_EXIT();
}
