/*
 * Loads every campaign file in contrib/campaigns/, runs its table
 * tests/tables/<id>.tsv, checks that each grammar's generated examples
 * match the grammar, and checks the loader's error reporting on broken
 * campaign files.  Run from the top of the source tree.
 *
 * Table format: target<TAB>input<TAB>expect<TAB>detail, `#` comments;
 * for "ok", detail is field=value;... (normalised canonical values); for
 * "fail", a ;-list of diagnostic codes that must all be present, of
 * text~WORDS (text!~WORDS) for words the correction must (not) say, of
 * line=LINE for a whole line it must have, and fix=TEXT for the text it
 * offers to copy (fix= alone: none offered).  Every correction offered
 * must match once its blanks are filled, and none says 字段.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "campaign.h"
#include "config_file.h"
#include "grammar.h"
#include "test.h"

#define CAMPAIGN_DIR	"contrib/campaigns"
#define TABLE_DIR	"tests/tables"
/* Examples checked per grammar (they cycle through every value). */
#define EXAMPLES_CHECKED	40

static void
print_result(const struct grammar_result *r)
{
	size_t i;

	for (i = 0; i < grammar_result_field_count(r); i++) {
		const char *n, *v, *o;

		grammar_result_field(r, i, &n, &v, &o);
		printf("#   field %s=%s (typed \"%s\")\n", n, v, o);
	}
	for (i = 0; i < grammar_result_diag_count(r); i++)
		printf("#   code %s\n", grammar_result_diag_code(r, i));
	if (grammar_result_diagnostics(r) != NULL)
		printf("#   text: %s\n", grammar_result_diagnostics(r));
}

static bool
check_ok(const struct grammar_result *r, const char *detail, GString *why)
{
	char **pairs = g_strsplit(detail, ";", -1);
	bool ok = TRUE;
	size_t i;

	for (i = 0; pairs[i] != NULL; i++) {
		char *eq = strchr(pairs[i], '=');
		const char *got;

		if (*pairs[i] == '\0')
			continue;
		if (eq == NULL) {
			g_string_append_printf(why, "bad detail \"%s\"; ",
			    pairs[i]);
			ok = FALSE;
			continue;
		}
		*eq = '\0';
		got = grammar_result_get(r, pairs[i]);
		if (got == NULL || strcmp(got, eq + 1) != 0) {
			g_string_append_printf(why, "%s: got \"%s\", want "
			    "\"%s\"; ", pairs[i], got ? got : "(none)", eq + 1);
			ok = FALSE;
		}
	}
	g_strfreev(pairs);
	return ok;
}

static bool
check_fail(const struct grammar_result *r, const char *detail, GString *why)
{
	char **codes = g_strsplit(detail, ";", -1);
	bool ok = TRUE;
	size_t i;

	for (i = 0; codes[i] != NULL; i++) {
		const char *text = grammar_result_diagnostics(r);

		g_strstrip(codes[i]);
		if (*codes[i] == '\0')
			continue;
		/* text~WORDS: the correction says them; text!~: it does not */
		if (g_str_has_prefix(codes[i], "text~") ||
		    g_str_has_prefix(codes[i], "text!~")) {
			bool want = codes[i][4] == '~';
			const char *words = strchr(codes[i], '~') + 1;

			if ((text != NULL && strstr(text, words) != NULL) != want) {
				g_string_append_printf(why, "text %s \"%s\"; ",
				    want ? "lacks" : "has", words);
				ok = FALSE;
			}
			continue;
		}
		if (g_str_has_prefix(codes[i], "fix=")) {
			const char *fix = grammar_result_correction(r);

			if (g_strcmp0(fix, codes[i][4] != '\0' ?
			    codes[i] + 4 : NULL) != 0) {
				g_string_append_printf(why, "correction "
				    "\"%s\"; ", fix != NULL ? fix : "(none)");
				ok = FALSE;
			}
			continue;
		}
		if (g_str_has_prefix(codes[i], "line=")) {
			g_autofree char *line = g_strconcat("\n",
			    codes[i] + 5, "\n", NULL);
			g_autofree char *all = g_strconcat("\n", text, NULL);

			if (text == NULL || strstr(all, line) == NULL) {
				g_string_append_printf(why, "no line \"%s\"; ",
				    codes[i] + 5);
				ok = FALSE;
			}
			continue;
		}
		if (!grammar_result_has_diag(r, codes[i])) {
			g_string_append_printf(why, "code %s missing; ",
			    codes[i]);
			ok = FALSE;
		}
	}
	if (grammar_result_diag_count(r) == 0) {
		g_string_append(why, "no diagnostic at all; ");
		ok = FALSE;
	}
	if (grammar_result_diagnostics(r) == NULL ||
	    strstr(grammar_result_diagnostics(r), "示例") == NULL) {
		g_string_append(why, "text lacks the example; ");
		ok = FALSE;
	}
	if (grammar_result_diagnostics(r) != NULL &&
	    strstr(grammar_result_diagnostics(r), "字段") != NULL) {
		g_string_append(why, "text says 字段; ");
		ok = FALSE;
	}
	g_strfreev(codes);
	return ok;
}

/* A correction offered is taken once its blanks are filled (with the
 * field's first listed value or example), and shows no {field}. */
static bool
check_correction(const struct grammar *g, const struct grammar_result *r,
    GString *why)
{
	const char *fix = grammar_result_correction(r);
	GString *filled;
	struct grammar_result *again = NULL;
	char *err = NULL;
	size_t i;
	bool ok;

	if (fix == NULL)
		return TRUE;
	filled = g_string_new(fix);
	for (i = 0; i < grammar_field_count(g); i++) {
		g_autofree char *blank = g_strdup_printf("【请填写%s】",
		    grammar_field_name(g, i));
		g_autofree char *ex = grammar_example(g, 0);
		struct grammar_result *er = NULL;
		const char *v;

		if (ex == NULL || grammar_match(g, ex, &er, &err) != 1)
			break;
		v = grammar_result_get(er, grammar_field_name(g, i));
		if (v != NULL)
			g_string_replace(filled, blank, v, 0);
		grammar_result_free(&er);
	}
	ok = strchr(fix, '{') == NULL &&
	    grammar_match(g, filled->str, &again, &err) == 1;
	if (!ok)
		g_string_append_printf(why, "correction \"%s\" (filled: \"%s\") "
		    "is refused; ", fix, filled->str);
	grammar_result_free(&again);
	g_free(err);
	g_string_free(filled, TRUE);
	return ok;
}

static void
run_row(const struct campaign *c, const char *id, unsigned int lineno,
    char **cols)
{
	char *name = g_strdup_printf("%s:%u", id, lineno);
	const struct grammar *g;
	struct grammar_result *r = NULL;
	GString *why = g_string_new(NULL);
	char *err = NULL;
	bool want_ok, ok = FALSE;
	int rc;

	if (strcmp(cols[0], "subject") != 0 &&
	    strcmp(cols[0], "filename") != 0) {
		printf("# %s: target must be subject or filename\n", name);
		TEST_CHECK(name, FALSE);
		goto out;
	}
	if (strcmp(cols[2], "ok") != 0 && strcmp(cols[2], "fail") != 0) {
		printf("# %s: expect must be ok or fail\n", name);
		TEST_CHECK(name, FALSE);
		goto out;
	}
	want_ok = strcmp(cols[2], "ok") == 0;
	g = campaign_grammar(c, strcmp(cols[0], "subject") == 0 ?
	    GRAMMAR_SUBJECT : GRAMMAR_FILENAME);
	if (g == NULL) {
		printf("# %s: campaign has no %s convention\n", name, cols[0]);
		TEST_CHECK(name, FALSE);
		goto out;
	}
	rc = grammar_match(g, cols[1], &r, &err);
	if (rc < 0) {
		g_string_append_printf(why, "error: %s", err);
	} else if (want_ok) {
		ok = rc == 1 && check_ok(r, cols[3], why);
		if (rc != 1)
			g_string_append(why, "did not match; ");
	} else {
		ok = rc == 0 && check_fail(r, cols[3], why);
		ok = rc == 0 && check_correction(g, r, why) && ok;
		if (rc != 0)
			g_string_append(why, "matched; ");
	}
	if (!ok) {
		printf("# %s: input \"%s\": %s\n", name, cols[1], why->str);
		if (r != NULL)
			print_result(r);
	}
	TEST_CHECK(name, ok);
out:
	grammar_result_free(&r);
	g_free(err);
	g_string_free(why, TRUE);
	g_free(name);
}

static void
run_table(const struct campaign *c)
{
	const char *id = campaign_id(c);
	char *path = g_strdup_printf("%s/%s.tsv", TABLE_DIR, id);
	char *text = NULL, **lines;
	unsigned int i;

	if (!g_file_get_contents(path, &text, NULL, NULL)) {
		printf("# %s: no table %s\n", id, path);
		g_free(path);
		return;
	}
	lines = g_strsplit(text, "\n", -1);
	for (i = 0; lines[i] != NULL; i++) {
		char **cols;
		size_t n;

		g_strchomp(lines[i]);
		if (lines[i][0] == '#' || lines[i][0] == '\0')
			continue;
		cols = g_strsplit(lines[i], "\t", 4);
		n = g_strv_length(cols);
		if (n < 3) {
			char *name = g_strdup_printf("%s:%u", id, i + 1);

			printf("# %s: needs target, input, expect, detail\n",
			    name);
			TEST_CHECK(name, FALSE);
			g_free(name);
		} else {
			char *row[4] = { cols[0], cols[1], cols[2],
			    n > 3 ? cols[3] : (char *)"" };

			run_row(c, id, i + 1, row);
		}
		g_strfreev(cols);
	}
	g_strfreev(lines);
	g_free(text);
	g_free(path);
}

/* Every generated example must match its own grammar, and its format and
 * pattern must be there for check-config to show. */
static void
check_examples(const struct campaign *c, enum grammar_target t)
{
	const struct grammar *g = campaign_grammar(c, t);
	char *name;
	unsigned int n;
	bool ok = TRUE;

	if (g == NULL)
		return;
	name = g_strdup_printf("%s:%s-examples", campaign_id(c),
	    t == GRAMMAR_SUBJECT ? "subject" : "filename");
	for (n = 0; n < EXAMPLES_CHECKED; n++) {
		char *ex = grammar_example(g, n), *err = NULL;
		struct grammar_result *r = NULL;

		if (ex == NULL)
			break;
		if (grammar_match(g, ex, &r, &err) != 1) {
			printf("# %s: example \"%s\" does not match\n", name,
			    ex);
			if (r != NULL)
				print_result(r);
			ok = FALSE;
		}
		grammar_result_free(&r);
		g_free(err);
		g_free(ex);
	}
	TEST_CHECK(name, ok && grammar_format(g) != NULL &&
	    grammar_pattern(g) != NULL);
	g_free(name);
}

static void
test_contrib_campaigns(void)
{
	GDir *dir;
	const char *ent;
	GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
	size_t i;

	dir = g_dir_open(CAMPAIGN_DIR, 0, NULL);
	TEST_CHECK("campaigns:directory", dir != NULL);
	if (dir == NULL) {
		g_ptr_array_free(files, TRUE);
		return;
	}
	while ((ent = g_dir_read_name(dir)) != NULL)
		if (g_str_has_suffix(ent, ".campaign"))
			g_ptr_array_add(files, g_strdup_printf("%s/%s",
			    CAMPAIGN_DIR, ent));
	g_dir_close(dir);
	g_ptr_array_sort(files, (GCompareFunc)(void (*)(void))g_strcmp0);
	TEST_CHECK("campaigns:some", files->len > 0);

	for (i = 0; i < files->len; i++) {
		const char *path = g_ptr_array_index(files, i);
		char *name = g_strdup_printf("load:%s", path);
		char *base = g_path_get_basename(path), *err = NULL;
		struct campaign *c = NULL;
		int rc;

		rc = campaign_load(path, &c, &err);
		if (rc < 0)
			printf("# %s\n", err);
		TEST_CHECK(name, rc == 0);
		g_free(name);
		if (rc == 0) {
			/* the file is named after its id */
			char *want = g_strdup_printf("%s.campaign",
			    campaign_id(c));

			name = g_strdup_printf("%s:file-name", campaign_id(c));
			TEST_CHECK(name, strcmp(want, base) == 0);
			g_free(name);
			g_free(want);
			check_examples(c, GRAMMAR_SUBJECT);
			check_examples(c, GRAMMAR_FILENAME);
			run_table(c);
		}
		campaign_free(&c);
		g_free(err);
		g_free(base);
	}
	g_ptr_array_free(files, TRUE);
}

/* ------------------------------------------------------------------ */
/* the loader on files of our own */

static char *tmpdir;

static char *
write_campaign(const char *name, const char *text)
{
	char *path = g_build_filename(tmpdir, name, NULL);

	if (!g_file_set_contents(path, text, -1, NULL)) {
		printf("# cannot write %s\n", path);
		exit(1);
	}
	return path;
}

#define BASE_CAMPAIGN \
	"[campaign]\n" \
	"id = t1\n" \
	"name = 测试\n" \
	"subject = 扶贫征集-{方式}-{作品名称}\n" \
	"title_field = 作品名称\n" \
	"\n" \
	"[field 方式]\n" \
	"type = enum\n" \
	"values = 推荐;自荐\n" \
	"\n" \
	"[field 作品名称]\n" \
	"type = text\n" \
	"max = 60\n"

static void
expect_error(const char *name, const char *text, const char *want)
{
	char *path = write_campaign("bad.campaign", text), *err = NULL;
	char *full = NULL;
	struct campaign *c = NULL;
	int rc;
	bool ok;

	rc = campaign_load(path, &c, &err);
	full = g_strdup_printf("%s:%s", path, want);
	ok = rc < 0 && c == NULL && err != NULL && strstr(err, full) != NULL;
	if (!ok)
		printf("# %s: want \"%s\" in:\n# %s\n", name, full,
		    err != NULL ? err : "(no error)");
	TEST_CHECK(name, ok);
	campaign_free(&c);
	g_free(err);
	g_free(full);
	g_unlink(path);
	g_free(path);
}

#define STEPS_CAMPAIGN(extra) \
	"[campaign]\nid = t1\nname = 测试\n" \
	"subject = 扶贫征集-{方式}-{作品名称}\n" \
	"title_field = 作品名称\ncategory_field = 方式\n" extra \
	"\n[field 方式]\ntype = enum\nvalues = 推荐;自荐\n" \
	"\n[field 作品名称]\ntype = text\nmax = 60\n"

/* What receipts say comes after the mail, and what a nomination is
 * called. */
static void
test_steps(void)
{
	static const char *const recommended[] = { "推荐", "推荐", NULL };
	static const char *const own[] = { "自荐", NULL };
	struct campaign *c = NULL;
	char *path, *err = NULL, *t;

	path = write_campaign("steps.campaign", STEPS_CAMPAIGN(
	    "next_steps = 纸质件另寄。\nnext_steps.推荐 = 推荐单位盖章。\n"
	    "results = 9月公布。\nsubmission = 报名\n"));
	TEST_CHECK("steps:load", campaign_load(path, &c, &err) == 0);
	if (c != NULL) {
		t = campaign_next_steps(c, recommended);
		TEST_CHECK_STR("steps:category-once", t,
		    "纸质件另寄。\n推荐单位盖章。");
		g_free(t);
		t = campaign_next_steps(c, own);
		TEST_CHECK_STR("steps:campaign-only", t, "纸质件另寄。");
		g_free(t);
		TEST_CHECK_STR("steps:results", campaign_results(c), "9月公布。");
		TEST_CHECK_STR("steps:nomination",
		    campaign_submission_word(c), "报名");
	}
	campaign_free(&c);
	g_free(err);
	g_unlink(path);
	g_free(path);
	expect_error("steps:unknown-category", STEPS_CAMPAIGN(
	    "next_steps.他荐 = 盖章。\n"),
	    "7: [campaign] next_steps.他荐: \"他荐\" is not a category");
	expect_error("steps:bad-submission", STEPS_CAMPAIGN(
	    "submission = 征文\n"),
	    "7: [campaign] submission: \"征文\": 投稿");
}

static void
test_loader(void)
{
	struct campaign *c = NULL;
	char *path, *err = NULL;
	GDateTime *t;

	path = write_campaign("good.campaign", BASE_CAMPAIGN
	    "\n[policy]\nquota_per_unit = 10\nmax_message_size = 50M\n"
	    "resubmission = freeze\nallowed_extensions = .MP4;jpg\n");
	TEST_CHECK("loader:good", campaign_load(path, &c, &err) == 0);
	if (c != NULL) {
		TEST_CHECK_STR("loader:folder-default", campaign_folder(c),
		    "INBOX");
		TEST_CHECK("loader:contact-unset", campaign_contact(c) == NULL);
		TEST_CHECK("loader:opens-unset", campaign_opens(c) == NULL);
		TEST_CHECK("loader:scope-default",
		    campaign_scope(c) == CONVENTION_SUBJECT);
		TEST_CHECK("loader:no-filename-grammar",
		    campaign_grammar(c, GRAMMAR_FILENAME) == NULL);
		TEST_CHECK("loader:category-unset",
		    campaign_category_field(c) == NULL);
		TEST_CHECK_STR("loader:title", campaign_title_field(c),
		    "作品名称");
		TEST_CHECK("loader:quota", campaign_quota_per_unit(c) == 10);
		TEST_CHECK("loader:size",
		    campaign_max_message_size(c) == 50ULL * 1024 * 1024);
		TEST_CHECK("loader:resubmission",
		    campaign_resubmission(c) == CAMPAIGN_RESUBMISSION_FREEZE);
		TEST_CHECK("loader:ext-allowed",
		    campaign_extension_allowed(c, "a.Mp4"));
		TEST_CHECK("loader:ext-refused",
		    !campaign_extension_allowed(c, "a.exe"));
		TEST_CHECK("loader:ext-none",
		    !campaign_extension_allowed(c, "README"));
		t = g_date_time_new_utc(2020, 1, 1, 0, 0, 0);
		TEST_CHECK("loader:window-open", campaign_window(c, t) == 0);
		g_date_time_unref(t);
	} else {
		printf("# %s\n", err);
	}
	campaign_free(&c);
	TEST_CHECK("loader:free-nulls", c == NULL);
	g_free(err);
	err = NULL;
	g_unlink(path);
	g_free(path);

	path = write_campaign("fupin.campaign",
	    "[campaign]\nid = t2\nname = x\nopens = 2020-07-30 00:00\n"
	    "closes = 2020-08-31 23:59:59\nsubject = A-{f}\n"
	    "[field f]\ntype = text\n"
	    "[policy]\nquota_per_unit_category = 文字类:2\n");
	TEST_CHECK("loader:quota-needs-category",
	    campaign_load(path, &c, &err) < 0 && err != NULL &&
	    strstr(err, "quota_per_unit_category") != NULL);
	g_free(err);
	err = NULL;
	g_unlink(path);
	g_free(path);

	path = write_campaign("window.campaign",
	    "[campaign]\nid = t3\nname = x\nopens = 2020-07-30 00:00\n"
	    "closes = 2020-08-31 23:59:59\nsubject = A-{f}\n"
	    "[field f]\ntype = text\n");
	TEST_CHECK("loader:window-file", campaign_load(path, &c, &err) == 0);
	if (c != NULL) {
		GDateTime *before = g_date_time_new_utc(2020, 7, 29, 15, 59, 0);
		GDateTime *inside = g_date_time_new_utc(2020, 7, 29, 16, 0, 0);
		GDateTime *last = g_date_time_new_utc(2020, 8, 31, 15, 59, 59);
		GDateTime *after = g_date_time_new_utc(2020, 8, 31, 16, 0, 0);

		TEST_CHECK("loader:window-before",
		    campaign_window(c, before) < 0);
		TEST_CHECK("loader:window-opens-beijing",
		    campaign_window(c, inside) == 0);
		TEST_CHECK("loader:window-last-second",
		    campaign_window(c, last) == 0);
		TEST_CHECK("loader:window-after",
		    campaign_window(c, after) > 0);
		g_date_time_unref(before);
		g_date_time_unref(inside);
		g_date_time_unref(last);
		g_date_time_unref(after);
	}
	campaign_free(&c);
	g_free(err);
	err = NULL;
	g_unlink(path);
	g_free(path);

	expect_error("loader:unknown-key", BASE_CAMPAIGN "colour = red\n",
	    "14: [field 作品名称] colour: unknown key");
	expect_error("loader:per-mail", BASE_CAMPAIGN
	    "[works]\nper_mail = several\n",
	    "15: [works] per_mail: \"several\" is not one or many");
	expect_error("loader:joiners-letter", BASE_CAMPAIGN
	    "[works]\njoiners = ；和\n",
	    "15: [works] joiners: \"和\" cannot join works: write punctuation "
	    "such as ；、 or the word space");
	expect_error("loader:joiners-none", BASE_CAMPAIGN
	    "[works]\njoiners = -\n",
	    "15: [works] joiners: \"-\" cannot join works");
	expect_error("loader:unknown-group", BASE_CAMPAIGN "[polcy]\n",
	    "14: [polcy]: unknown group");
	expect_error("loader:undefined-field",
	    "[campaign]\nid = t1\nname = x\nsubject = A-{方式}-{类}\n"
	    "[field 方式]\ntype = enum\nvalues = a;b\n",
	    "4: [campaign] subject: {类} is not a defined field");
	expect_error("loader:unused-field", BASE_CAMPAIGN
	    "[field 多余]\ntype = text\n",
	    "14: [field 多余]: defined but not used");
	expect_error("loader:enum-no-values",
	    "[campaign]\nid = t1\nname = x\nsubject = A-{f}\n"
	    "[field f]\ntype = enum\n",
	    "5: [field f]: an enum needs values");
	expect_error("loader:min-over-max", BASE_CAMPAIGN "min = 70\n",
	    "14: [field 作品名称] min: 70 is over max 60");
	expect_error("loader:bad-date", BASE_CAMPAIGN
	    "[campaign]\nopens = 2020-13-01 00:00\n",
	    "15: [campaign] opens: \"2020-13-01 00:00\" is not a time");
	expect_error("loader:bad-tz",
	    "[campaign]\nid = t1\nname = x\ntimezone = Mars/Olympus\n"
	    "subject = A-{f}\n[field f]\ntype = text\n",
	    "4: [campaign] timezone: \"Mars/Olympus\" is not a known time "
	    "zone");
	expect_error("loader:bad-id",
	    "[campaign]\nid = Bad Id\nname = x\nsubject = A-{f}\n"
	    "[field f]\ntype = text\n", "2: [campaign] id:");
	expect_error("loader:closes-before-opens",
	    "[campaign]\nid = t1\nname = x\nopens = 2020-09-01 00:00\n"
	    "closes = 2020-08-01 00:00\nsubject = A-{f}\n"
	    "[field f]\ntype = text\n", "5: [campaign] closes: not after");
	expect_error("loader:bad-type", BASE_CAMPAIGN "[field x]\ntype = "
	    "date\n", "15: [field x] type: \"date\" is not");
	expect_error("loader:alias-unknown-value",
	    "[campaign]\nid = t1\nname = x\nsubject = A-{f}\n"
	    "[field f]\ntype = enum\nvalues = a;b\nalias.c = x\n",
	    "8: [field f] alias.c: \"c\" is not one of the values");
	expect_error("loader:duplicate-key", BASE_CAMPAIGN "max = 20\n",
	    "14: [field 作品名称] max: set twice (first on line 13)");
	expect_error("loader:convention-needs-filename",
	    "[campaign]\nid = t1\nname = x\nconvention = both\n"
	    "subject = A-{f}\n[field f]\ntype = text\n",
	    "1: [campaign] filename: required by convention = both");
	expect_error("loader:bad-resubmission", BASE_CAMPAIGN
	    "[policy]\nresubmission = sometimes\n",
	    "15: [policy] resubmission: \"sometimes\" is not");
	expect_error("loader:bad-size", BASE_CAMPAIGN
	    "[policy]\nmax_message_size = lots\n",
	    "15: [policy] max_message_size:");
	expect_error("loader:template-twice",
	    "[campaign]\nid = t1\nname = x\nsubject = {f}-{f}\n"
	    "[field f]\ntype = text\n", "4: [campaign] subject: template: "
	    "{f} used twice");
	expect_error("loader:bad-regex",
	    "[campaign]\nid = t1\nname = x\nsubject_regex = ^(?<f>a\n"
	    "[field f]\ntype = text\n", "4: [campaign] subject_regex: "
	    "pattern at offset");

	/* every problem is reported, not just the first */
	{
		char *p = write_campaign("many.campaign",
		    "[campaign]\nid = X\nname = x\nsubject = A-{f}-{g}\n"
		    "colour = red\n[field f]\ntype = enum\n");
		int lines = 0;
		const char *q;

		(void)campaign_load(p, &c, &err);
		for (q = err; q != NULL && *q != '\0'; q++)
			if (*q == '\n')
				lines++;
		TEST_CHECK("loader:all-problems", err != NULL && lines >= 3);
		if (err != NULL && lines < 3)
			printf("# %s\n", err);
		g_free(err);
		err = NULL;
		g_unlink(p);
		g_free(p);
	}

	/* a campaign embedded in a main configuration */
	{
		GKeyFile *kf = g_key_file_new();
		const char *text = "[subgate]\nstore = /tmp\n" BASE_CAMPAIGN;

		TEST_CHECK("loader:keyfile-parse", g_key_file_load_from_data(kf,
		    text, (gsize)-1, G_KEY_FILE_NONE, NULL));
		TEST_CHECK("loader:keyfile", campaign_parse_keyfile(kf,
		    "subgate.conf", text, NULL, NULL, &c, &err) == 0 &&
		    c != NULL);
		if (err != NULL)
			printf("# %s\n", err);
		TEST_CHECK("loader:keyfile-id", c != NULL &&
		    strcmp(campaign_id(c), "t1") == 0);
		campaign_free(&c);
		g_free(err);
		err = NULL;
		g_key_file_free(kf);
	}
	TEST_CHECK("loader:missing-file",
	    campaign_load("/nonexistent/x.campaign", &c, &err) < 0 &&
	    err != NULL);
	g_free(err);
}

/* ------------------------------------------------------------------ */
/* campaign_parse on strings: template files from a table */

struct template_table {
	const char *path, *text;
	GString *asked;
};

static int
table_read(void *ctx, const char *path, char **text_r, size_t *len_r,
    char **error_r)
{
	struct template_table *t = ctx;

	g_string_append_printf(t->asked, "%s;", path);
	if (strcmp(path, t->path) != 0) {
		*text_r = NULL;
		*error_r = g_strdup_printf("no file %s in the table", path);
		return -1;
	}
	*text_r = g_strdup(t->text);
	*len_r = strlen(t->text);
	return 0;
}

static void
test_parse_text(void)
{
	struct template_table table = {
		"/srv/c/tpl/receipt.txt", "收到《{field.作品名称}》，回执 {receipt}\n",
		g_string_new(NULL),
	};
	const char *text = BASE_CAMPAIGN
	    "[reply]\nreceipt.subject = 回执 {receipt}\n"
	    "receipt.body_file = tpl/receipt.txt\n";
	struct campaign *c = NULL;
	char *err = NULL;

	TEST_CHECK("text:parse", campaign_parse("/srv/c/t1.campaign", text,
	    strlen(text), table_read, &table, &c, &err) == 0 && c != NULL);
	if (err != NULL)
		printf("# %s\n", err);
	TEST_CHECK_STR("text:id", c == NULL ? NULL : campaign_id(c), "t1");
	TEST_CHECK_STR("text:path", c == NULL ? NULL : campaign_path(c),
	    "/srv/c/t1.campaign");
	TEST_CHECK_STR("text:template-beside-campaign", table.asked->str,
	    "/srv/c/tpl/receipt.txt;");
	TEST_CHECK_STR("text:template-read", c == NULL ? NULL :
	    campaign_reply_template(c, "receipt", "body"), table.text);
	campaign_free(&c);
	g_clear_pointer(&err, g_free);

	/* The caller's failure is reported on the key that named the
	 * file, with its line. */
	table.path = "/elsewhere";
	TEST_CHECK("text:template-missing", campaign_parse("/srv/c/t1.campaign",
	    text, strlen(text), table_read, &table, &c, &err) < 0 &&
	    c == NULL);
	TEST_CHECK_STR("text:template-missing-line", err,
	    "/srv/c/t1.campaign:16: [reply] receipt.body_file: no file "
	    "/srv/c/tpl/receipt.txt in the table");
	g_clear_pointer(&err, g_free);

	/* Without a reader, a template file is a problem, not a crash. */
	TEST_CHECK("text:no-reader", campaign_parse("t1.campaign", text,
	    strlen(text), NULL, NULL, &c, &err) < 0 && err != NULL &&
	    strstr(err, "t1.campaign:16: [reply] receipt.body_file: "
	    "./tpl/receipt.txt: no file can be read here") != NULL);
	g_clear_pointer(&err, g_free);

	/* Lines count from the text handed in; a key set twice is said
	 * first, with both lines. */
	{
		const char *twice = BASE_CAMPAIGN "max = 20\n";

		TEST_CHECK("text:twice", campaign_parse("mem", twice,
		    strlen(twice), NULL, NULL, &c, &err) < 0);
		TEST_CHECK_STR("text:twice-line", err, "mem:14: [field 作品名称] "
		    "max: set twice (first on line 13)");
		g_clear_pointer(&err, g_free);
	}
	TEST_CHECK("text:syntax", campaign_parse("mem", "[campaign\n", 10,
	    NULL, NULL, &c, &err) < 0 && err != NULL &&
	    g_str_has_prefix(err, "mem: "));
	g_clear_pointer(&err, g_free);
	g_string_free(table.asked, TRUE);
}

/* ------------------------------------------------------------------ */
/* the unit field's roster */

#define ROSTER_CAMPAIGN \
	"[campaign]\n" \
	"id = r1\n" \
	"name = 名单\n" \
	"filename = {作品名}-{分类}-{报送单位}\n" \
	"title_field = 作品名\n" \
	"category_field = 分类\n" \
	"unit_field = 报送单位\n" \
	"\n" \
	"[field 作品名]\n" \
	"type = text\n" \
	"\n" \
	"[field 分类]\n" \
	"type = enum\n" \
	"values = 微视频;新媒体作品\n" \
	"\n" \
	"[field 报送单位]\n" \
	"type = unit\n"

/* A problem found in a file the campaign names: its text, wherever. */
static void
expect_error_in(const char *name, const char *text, const char *want)
{
	char *path = write_campaign("bad.campaign", text), *err = NULL;
	struct campaign *c = NULL;
	bool ok;

	ok = campaign_load(path, &c, &err) < 0 && err != NULL &&
	    strstr(err, want) != NULL;
	if (!ok)
		printf("# %s: want \"%s\" in:\n# %s\n", name, want,
		    err != NULL ? err : "(no error)");
	TEST_CHECK(name, ok);
	campaign_free(&c);
	g_free(err);
	g_unlink(path);
	g_free(path);
}

static void
test_roster(void)
{
	struct campaign *c = NULL;
	const struct campaign_unit *u;
	char *path, *roster, *bad, *err = NULL;

	roster = write_campaign("units.tsv",
	    "# 名称\t别名\t联系人\t电话\t邮箱\t名额\n"
	    "金坛区委组织部\t中共金坛区委组织部;常州市金坛区委组织部\t钟天翼\t"
	    "0519-85680635\tjt@example.cn;@jintan.gov.cn\t\n"
	    "溧阳市委组织部\t中共溧阳市委组织部\n"
	    "  # an indented comment\n"
	    "\n"
	    "武进区委组织部\t\t\t\t\t3\n");
	path = write_campaign("roster.campaign", ROSTER_CAMPAIGN
	    "units = 市级机关工委\n"
	    "alias.市级机关工委 = 常州市级机关工委\n"
	    "roster = units.tsv\n"
	    "open = *党委\n"
	    "\n"
	    "[unit 新北区委组织部]\n"
	    "alias = 中共新北区委组织部\n"
	    "contact = 王芳\n"
	    "quota = 5\n"
	    "quota.新媒体作品 = 1\n"
	    "min.微视频 = 2\n"
	    "\n"
	    "[policy]\n"
	    "quota_per_unit = 10\n"
	    "quota_per_unit_category = 新媒体作品:2\n"
	    "quota_per_open_unit = 0\n"
	    "min_per_unit_category = 新媒体作品:1\n");
	TEST_CHECK("roster:load", campaign_load(path, &c, &err) == 0);
	if (err != NULL)
		printf("# %s\n", err);
	if (c != NULL) {
		const struct grammar *g = campaign_grammar(c,
		    GRAMMAR_FILENAME);
		struct grammar_result *r = NULL;
		char *merr = NULL;

		TEST_CHECK("roster:count", campaign_unit_count(c) == 5);
		TEST_CHECK_STR("roster:order-units-first",
		    campaign_unit_at(c, 0)->name, "市级机关工委");
		TEST_CHECK_STR("roster:order-group-last",
		    campaign_unit_at(c, 4)->name, "新北区委组织部");
		u = campaign_unit_find(c, "中共金坛区委组织部");
		TEST_CHECK("roster:alias-finds", u != NULL &&
		    strcmp(u->name, "金坛区委组织部") == 0 &&
		    g_strcmp0(u->contact, "钟天翼") == 0 &&
		    g_strcmp0(u->phone, "0519-85680635") == 0);
		TEST_CHECK("roster:senders", campaign_sender_allowed(c,
		    "金坛区委组织部", "a@jintan.gov.cn", NULL) &&
		    !campaign_sender_allowed(c, "金坛区委组织部",
		    "a@qq.com", NULL));
		/* a unit lists senders: listed, as before the key */
		TEST_CHECK("roster:sender-check-default",
		    campaign_sender_check(c) == CAMPAIGN_SENDER_CHECK_LISTED);
		TEST_CHECK("roster:sender-listed", campaign_sender_listed(c,
		    "金坛区委组织部", "a@jintan.gov.cn") &&
		    !campaign_sender_listed(c, "金坛区委组织部", "a@qq.com") &&
		    !campaign_sender_listed(c, "溧阳市委组织部", "a@qq.com"));
		TEST_CHECK("roster:new", campaign_unit_is_new(c, "常州大学党委") &&
		    !campaign_unit_is_new(c, "常州市级机关工委"));
		TEST_CHECK("roster:open", campaign_unit_open(c));
		/* quotas: the campaign's, a unit's own, the open units' */
		TEST_CHECK("roster:quota-default",
		    campaign_unit_quota(c, "溧阳市委组织部", NULL) == 10 &&
		    campaign_unit_quota(c, "溧阳市委组织部", "新媒体作品") == 2);
		TEST_CHECK("roster:quota-row", campaign_unit_quota(c,
		    "武进区委组织部", NULL) == 3);
		TEST_CHECK("roster:quota-group", campaign_unit_quota(c,
		    "中共新北区委组织部", NULL) == 5 && campaign_unit_quota(c,
		    "新北区委组织部", "新媒体作品") == 1 &&
		    campaign_unit_quota(c, "新北区委组织部", "微视频") == 0);
		TEST_CHECK("roster:quota-open", campaign_unit_quota(c,
		    "常州大学党委", NULL) == 0 && campaign_unit_quota(c,
		    "常州大学党委", "新媒体作品") == 0);
		u = campaign_unit_find(c, "新北区委组织部");
		TEST_CHECK("roster:mins", u != NULL && u->nmins == 2);
		u = campaign_unit_find(c, "溧阳市委组织部");
		TEST_CHECK("roster:mins-policy", u != NULL && u->nmins == 1 &&
		    strcmp(u->mins[0].category, "新媒体作品") == 0 &&
		    u->mins[0].n == 1);
		TEST_CHECK("roster:grammar-alias", g != NULL &&
		    grammar_match(g, "初心-微视频-中共溧阳市委组织部.mp4", &r,
		    &merr) == 1 && strcmp(grammar_result_get(r, "报送单位"),
		    "溧阳市委组织部") == 0);
		grammar_result_free(&r);
		TEST_CHECK("roster:grammar-open", g != NULL &&
		    grammar_match(g, "初心-微视频-常州大学党委.mp4", &r,
		    &merr) == 1);
		grammar_result_free(&r);
		g_free(merr);
	}
	campaign_free(&c);
	g_clear_pointer(&err, g_free);
	g_unlink(path);
	g_free(path);

	expect_error("roster:alias-two-units", ROSTER_CAMPAIGN
	    "roster = units.tsv\n[unit 天宁区委组织部]\n"
	    "alias = 中共溧阳市委组织部\n",
	    "20: [unit 天宁区委组织部] alias: alias \"中共溧阳市委组织部\" of "
	    "\"天宁区委组织部\" is already an alias of \"溧阳市委组织部\"");
	expect_error("roster:alias-is-unit", ROSTER_CAMPAIGN
	    "roster = units.tsv\n[unit 天宁区委组织部]\n"
	    "alias = 溧阳市委组织部\n",
	    "20: [unit 天宁区委组织部] alias: alias \"溧阳市委组织部\" of "
	    "\"天宁区委组织部\" is the name of another unit");
	expect_error("roster:unit-twice", ROSTER_CAMPAIGN
	    "units = 溧阳市委组织部\nroster = units.tsv\n",
	    "19: [field 报送单位] roster: ");
	expect_error_in("roster:unit-twice-text", ROSTER_CAMPAIGN
	    "units = 溧阳市委组织部\nroster = units.tsv\n",
	    "units.tsv:3: unit \"溧阳市委组织部\" is listed twice");
	expect_error("roster:bad-quota", ROSTER_CAMPAIGN
	    "roster = units.tsv\n[unit 天宁区委组织部]\nquota = -1\n",
	    "20: [unit 天宁区委组织部] quota: -1 is below 0");
	bad = write_campaign("bad.tsv", "某单位\t\t\t\t\tabc\n"
	    "甲单位\t\t\t\tnot-an-address\n");
	expect_error("roster:bad-quota-row", ROSTER_CAMPAIGN
	    "roster = bad.tsv\n", "18: [field 报送单位] roster: ");
	expect_error_in("roster:bad-quota-row-text", ROSTER_CAMPAIGN
	    "roster = bad.tsv\n", "bad.tsv:1: 名额 \"abc\" is not a number");
	expect_error_in("roster:bad-sender-row", ROSTER_CAMPAIGN
	    "roster = bad.tsv\n", "bad.tsv:2: \"not-an-address\" is neither");
	g_unlink(bad);
	g_free(bad);
	expect_error("roster:bad-category", ROSTER_CAMPAIGN
	    "roster = units.tsv\n[unit 天宁区委组织部]\nmin.纪录片 = 1\n",
	    "20: [unit 天宁区委组织部] min.纪录片: \"纪录片\" is not a value");
	expect_error("roster:open-stars", ROSTER_CAMPAIGN
	    "open = *党*委*\n", "18: [field 报送单位] open: \"*党*委*\": at "
	    "most 2");
	expect_error("roster:open-quota-needs-open", ROSTER_CAMPAIGN
	    "roster = units.tsv\n[policy]\nquota_per_open_unit = 3\n",
	    "20: [policy] quota_per_open_unit: needs open");
	expect_error("roster:unit-group-needs-field",
	    BASE_CAMPAIGN "[unit 某单位]\ncontact = 张三\n",
	    "14: [unit 某单位]: needs unit_field");
	expect_error("roster:not-unit", BASE_CAMPAIGN "roster = units.tsv\n",
	    "14: [field 作品名称] roster: only for type = unit");
	expect_error("roster:missing-file", ROSTER_CAMPAIGN
	    "roster = nowhere.tsv\n", "18: [field 报送单位] roster: ");
	g_unlink(roster);
	g_free(roster);
}

/* ---- [policy] sender_check ---- */

static void
test_sender_check(void)
{
	static const struct {
		const char *name, *text;
		enum campaign_sender_check want;
	} good[] = {
		{ "sender-check:default-off", BASE_CAMPAIGN,
		  CAMPAIGN_SENDER_CHECK_OFF },
		{ "sender-check:default-listed", ROSTER_CAMPAIGN
		  "units = 甲单位\n[policy]\nsenders.甲单位 = @jia.example\n",
		  CAMPAIGN_SENDER_CHECK_LISTED },
		{ "sender-check:confirm", ROSTER_CAMPAIGN
		  "units = 甲单位\n[policy]\nsender_check = confirm\n",
		  CAMPAIGN_SENDER_CHECK_CONFIRM },
		{ "sender-check:off-over-list", ROSTER_CAMPAIGN
		  "units = 甲单位\n[policy]\nsenders.甲单位 = @jia.example\n"
		  "sender_check = off\n", CAMPAIGN_SENDER_CHECK_OFF },
		{ "sender-check:off-without-unit", BASE_CAMPAIGN
		  "[policy]\nsender_check = off\n", CAMPAIGN_SENDER_CHECK_OFF },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(good); i++) {
		struct campaign *c = NULL;
		g_autofree char *err = NULL;

		if (campaign_parse("mem", good[i].text, strlen(good[i].text),
		    NULL, NULL, &c, &err) < 0)
			printf("# %s: %s\n", good[i].name, err);
		TEST_CHECK(good[i].name, c != NULL &&
		    campaign_sender_check(c) == good[i].want);
		campaign_free(&c);
	}
	expect_error("sender-check:bad-value", BASE_CAMPAIGN
	    "[policy]\nsender_check = sometimes\n",
	    "15: [policy] sender_check: \"sometimes\" is not listed, "
	    "confirm or off");
	expect_error("sender-check:confirm-needs-unit", BASE_CAMPAIGN
	    "[policy]\nsender_check = confirm\n",
	    "15: [policy] sender_check: confirm needs unit_field");
	expect_error("sender-check:empty", BASE_CAMPAIGN
	    "[policy]\nsender_check =\n", "15: [policy] sender_check:");
}

/* ---- [policy] closes.VALUE, opens.VALUE and batch ---- */

/* 13 lines: [policy] is line 14, its first key line 15. */
#define SCHEDULE_BASE \
	"[campaign]\n" \
	"id = s1\n" \
	"name = 学习之星\n" \
	"opens = 2020-08-14 00:00\n" \
	"closes = 2020-09-02 18:00\n" \
	"subject = {姓名}+{填报项目}\n" \
	"category_field = 填报项目\n" \
	"[field 姓名]\n" \
	"type = name\n" \
	"[field 填报项目]\n" \
	"type = enum\n" \
	"values = 学员标兵;挑战达人;志愿审读员\n" \
	"alias.学员标兵 = 学习标兵\n"

static struct campaign *
schedule_parse(const char *name, const char *policy, char **err_r)
{
	g_autofree char *text = g_strconcat(SCHEDULE_BASE, "[policy]\n",
	    policy, NULL);
	struct campaign *c = NULL;

	*err_r = NULL;
	if (campaign_parse("mem", text, strlen(text), NULL, NULL, &c,
	    err_r) < 0 && strcmp(name, "") != 0)
		printf("# %s: %s\n", name, *err_r);
	return c;
}

static void
schedule_error(const char *name, const char *policy, const char *want)
{
	char *err = NULL;
	struct campaign *c = schedule_parse("", policy, &err);
	bool ok = c == NULL && err != NULL && strstr(err, want) != NULL;

	if (!ok)
		printf("# %s: want \"%s\" in:\n# %s\n", name, want,
		    err != NULL ? err : "(no error)");
	TEST_CHECK(name, ok);
	campaign_free(&c);
	g_free(err);
}

/* [campaign] staff: one address where questions go, or none. */
static void
test_staff(void)
{
	static const char base[] = "[campaign]\nid = s1\nname = 学习之星\n"
	    "subject = {姓名}\n%s[field 姓名]\ntype = name\n";
	struct campaign *c = NULL;
	g_autofree char *good = g_strdup_printf(base, "staff = zj@example.cn\n");
	g_autofree char *none = g_strdup_printf(base, "");
	g_autofree char *bad = g_strdup_printf(base,
	    "staff = 张三 <zj@example.cn>\n");
	g_autofree char *err = NULL;

	TEST_CHECK("staff:set", campaign_parse("mem", good, strlen(good), NULL,
	    NULL, &c, &err) == 0 && g_strcmp0(campaign_staff(c),
	    "zj@example.cn") == 0);
	campaign_free(&c);
	TEST_CHECK("staff:unset", campaign_parse("mem", none, strlen(none), NULL,
	    NULL, &c, &err) == 0 && campaign_staff(c) == NULL);
	campaign_free(&c);
	g_clear_pointer(&err, g_free);
	TEST_CHECK("staff:one address", campaign_parse("mem", bad, strlen(bad),
	    NULL, NULL, &c, &err) < 0 && err != NULL &&
	    strstr(err, "one mail address") != NULL);
	campaign_free(&c);
}

/* A time in Beijing. */
static GDateTime *
bj(int y, int mo, int d, int h, int mi, int s)
{
	g_autoptr(GTimeZone) tz = g_time_zone_new_offset(8 * 3600);

	return g_date_time_new(tz, y, mo, d, h, mi, s);
}

static void
check_window(const char *name, const struct campaign *c, const char *cat,
    GDateTime *at, int want, const char *want_text)
{
	const char *text = NULL;
	GDateTime *edge = NULL;
	int r = campaign_window_for(c, cat, at, &edge, &text);
	bool ok = (want < 0 ? r < 0 : want > 0 ? r > 0 : r == 0) &&
	    (want_text == NULL ? text == NULL :
	    text != NULL && strcmp(text, want_text) == 0);

	if (!ok)
		printf("# %s: got %d \"%s\"\n", name, r, text ? text : "(null)");
	TEST_CHECK(name, ok);
	g_date_time_unref(at);
}

static void
check_batch(const char *name, const struct campaign *c, const char *cat,
    GDateTime *at, const char *want)
{
	g_autofree char *got = campaign_batch_for(c, cat, at);

	if (want == NULL) {
		if (got != NULL)
			printf("# %s: got \"%s\"\n", name, got);
		TEST_CHECK(name, got == NULL);
	} else {
		TEST_CHECK_STR(name, got, want);
	}
	g_date_time_unref(at);
}

static void
test_schedule_windows(void)
{
	char *err = NULL;
	struct campaign *c = schedule_parse("schedule:load",
	    "closes.学员标兵 = 2020-08-30 24:00\n"
	    "closes.志愿审读员 = none\n"
	    "batch.挑战达人 = 2020-08-25 24:00; monthly 28 18:00\n"
	    "batch = weekly tue,fri 18:00\n", &err);
	const char *text = NULL;
	GDateTime *edge = NULL, *at;

	TEST_CHECK("schedule:load", c != NULL);
	g_free(err);
	if (c == NULL)
		return;
	/* 24:00 is the next midnight, and that very second still counts. */
	check_window("schedule:24h-last-second", c, "学员标兵",
	    bj(2020, 8, 30, 23, 59, 59), 0, "2020-08-30 24:00");
	check_window("schedule:24h-midnight", c, "学员标兵",
	    bj(2020, 8, 31, 0, 0, 0), 0, "2020-08-30 24:00");
	check_window("schedule:24h-after", c, "学员标兵",
	    bj(2020, 8, 31, 0, 0, 1), 1, "2020-08-30 24:00");
	at = bj(2020, 8, 31, 10, 0, 0);
	TEST_CHECK("schedule:24h-edge", campaign_window_for(c, "学员标兵", at,
	    &edge, &text) > 0 && edge != NULL &&
	    g_date_time_to_unix(edge) == g_date_time_to_unix(at) - 10 * 3600);
	g_date_time_unref(at);
	/* The canonical value in any width matches, as the grammar gives it. */
	check_window("schedule:none-open-next-year", c, "志愿审读员",
	    bj(2021, 10, 1, 0, 0, 0), 0, NULL);
	check_window("schedule:none-still-opens", c, "志愿审读员",
	    bj(2020, 8, 13, 23, 0, 0), -1, NULL);
	/* Without its own time, the campaign's. */
	check_window("schedule:default-open", c, "挑战达人",
	    bj(2020, 9, 2, 18, 0, 0), 0, NULL);
	check_window("schedule:default-closed", c, "挑战达人",
	    bj(2020, 9, 2, 18, 0, 1), 1, NULL);
	check_window("schedule:unknown-category-default", c, "其他",
	    bj(2020, 9, 3, 0, 0, 0), 1, NULL);
	/* The envelope: the volunteers never close, so no mail is late as
	 * a whole after the opening. */
	check_window("schedule:envelope-open", c, NULL,
	    bj(2021, 10, 1, 0, 0, 0), 0, NULL);
	check_window("schedule:envelope-before", c, NULL,
	    bj(2020, 8, 13, 0, 0, 0), -1, NULL);
	at = bj(2021, 10, 1, 0, 0, 0);
	TEST_CHECK("schedule:campaign-window-is-envelope",
	    campaign_window(c, at) == 0);
	g_date_time_unref(at);
	TEST_CHECK("schedule:closes-for-none",
	    campaign_closes_for(c, "志愿审读员", NULL) == NULL &&
	    campaign_closes_for(c, NULL, NULL) == NULL);
	TEST_CHECK("schedule:closes-for-item",
	    campaign_closes_for(c, "学员标兵", &text) != NULL &&
	    text != NULL && strcmp(text, "2020-08-30 24:00") == 0);
	TEST_CHECK("schedule:closes-for-default",
	    campaign_closes_for(c, "挑战达人", &text) == campaign_closes(c) &&
	    text == NULL);

	/* 挑战达人: first round 8月25日24时, then by the 28th 18时. */
	check_batch("batch:once-before", c, "挑战达人",
	    bj(2020, 8, 20, 9, 0, 0), "2020-08-25");
	check_batch("batch:once-24h-exactly", c, "挑战达人",
	    bj(2020, 8, 26, 0, 0, 0), "2020-08-25");
	check_batch("batch:once-24h-second-after", c, "挑战达人",
	    bj(2020, 8, 26, 0, 0, 1), "2020-08-28");
	check_batch("batch:monthly-exactly", c, "挑战达人",
	    bj(2020, 8, 28, 18, 0, 0), "2020-08-28");
	check_batch("batch:monthly-second-after", c, "挑战达人",
	    bj(2020, 8, 28, 18, 0, 1), "2020-09-28");
	check_batch("batch:monthly-year-end", c, "挑战达人",
	    bj(2020, 12, 29, 0, 0, 0), "2021-01-28");
	/* The others: Tuesdays and Fridays at 18:00 (2020-08-30 is a
	 * Sunday). */
	check_batch("batch:weekly-sunday", c, "学员标兵",
	    bj(2020, 8, 30, 10, 0, 0), "2020-09-01");
	check_batch("batch:weekly-exactly", c, "学员标兵",
	    bj(2020, 9, 1, 18, 0, 0), "2020-09-01");
	check_batch("batch:weekly-second-after", c, "学员标兵",
	    bj(2020, 9, 1, 18, 0, 1), "2020-09-04");
	check_batch("batch:weekly-friday-to-tuesday", c, "志愿审读员",
	    bj(2020, 9, 4, 20, 0, 0), "2020-09-08");
	check_batch("batch:unknown-category", c, NULL,
	    bj(2020, 9, 4, 20, 0, 0), "2020-09-08");
	campaign_free(&c);

	c = schedule_parse("batch:month-ends",
	    "batch = monthly 31 18:00\n"
	    "batch.志愿审读员 = 2020-08-25 18:00\n", &err);
	g_free(err);
	TEST_CHECK("batch:month-ends-load", c != NULL);
	if (c != NULL) {
		check_batch("batch:monthly-31-in-30", c, NULL,
		    bj(2020, 9, 15, 0, 0, 0), "2020-09-30");
		check_batch("batch:monthly-31-in-leap-feb", c, NULL,
		    bj(2020, 2, 10, 0, 0, 0), "2020-02-29");
		check_batch("batch:monthly-31-in-feb", c, NULL,
		    bj(2021, 2, 28, 18, 0, 1), "2021-03-31");
		check_batch("batch:monthly-31-in-31", c, "学员标兵",
		    bj(2020, 8, 31, 17, 0, 0), "2020-08-31");
		check_batch("batch:once-past", c, "志愿审读员",
		    bj(2020, 8, 25, 18, 0, 1), NULL);
		/* No window of its own: the envelope is the campaign's. */
		check_window("schedule:no-items-envelope", c, NULL,
		    bj(2020, 9, 2, 18, 0, 1), 1, NULL);
	}
	campaign_free(&c);

	c = schedule_parse("batch:none", "opens.挑战达人 = 2020-08-01 08:00\n",
	    &err);
	g_free(err);
	TEST_CHECK("batch:none-load", c != NULL);
	if (c != NULL) {
		check_batch("batch:none", c, "挑战达人",
		    bj(2020, 8, 20, 0, 0, 0), NULL);
		/* An earlier opening widens the envelope. */
		check_window("schedule:envelope-earliest-opening", c, NULL,
		    bj(2020, 8, 1, 8, 0, 0), 0, NULL);
	}
	campaign_free(&c);
}

static void
test_schedule_errors(void)
{
	schedule_error("schedule:err-unknown-value",
	    "closes.其他 = 2020-08-30 18:00\n",
	    "mem:15: [policy] closes.其他: \"其他\" is not a value of the "
	    "category field 填报项目 (学员标兵、挑战达人、志愿审读员)");
	schedule_error("schedule:err-alias",
	    "closes.学习标兵 = 2020-08-30 18:00\n",
	    "mem:15: [policy] closes.学习标兵: \"学习标兵\" is an alias of "
	    "学员标兵: name the value itself");
	schedule_error("schedule:err-no-time", "closes.学员标兵 = 2020-08-30\n",
	    "mem:15: [policy] closes.学员标兵: \"2020-08-30\" is not a time");
	schedule_error("schedule:err-25h",
	    "closes.学员标兵 = 2020-08-30 25:00\n",
	    "mem:15: [policy] closes.学员标兵: \"2020-08-30 25:00\" is not a time");
	schedule_error("schedule:err-24h01",
	    "opens.学员标兵 = 2020-08-30 24:01\n",
	    "mem:15: [policy] opens.学员标兵: \"2020-08-30 24:01\" is not a time");
	schedule_error("schedule:err-no-such-day",
	    "closes.学员标兵 = 2020-02-30 18:00\n",
	    "mem:15: [policy] closes.学员标兵: \"2020-02-30 18:00\" is not a time");
	schedule_error("schedule:err-closes-before-opens",
	    "opens.学员标兵 = 2020-08-20 00:00\n"
	    "closes.学员标兵 = 2020-08-19 24:00\n",
	    "[policy]: the window of 学员标兵 closes before it opens");
	schedule_error("schedule:err-twice-by-width",
	    "closes.学员标兵 = 2020-08-30 24:00\n"
	    "closes.学员标兵　 = 2020-08-31 24:00\n",
	    "a second time for the same category");
	schedule_error("schedule:err-unknown-key",
	    "deadline.学员标兵 = 2020-08-30 24:00\n",
	    "mem:15: [policy] deadline.学员标兵: unknown key");
	schedule_error("batch:err-monthly-32", "batch = monthly 32 18:00\n",
	    "mem:15: [policy] batch: \"monthly 32 18:00\" is not a cut-off");
	schedule_error("batch:err-monthly-no-time", "batch = monthly 28\n",
	    "mem:15: [policy] batch: \"monthly 28\" is not a cut-off");
	schedule_error("batch:err-weekday",
	    "batch.挑战达人 = weekly tue,xyz 18:00\n",
	    "mem:15: [policy] batch.挑战达人: \"weekly tue,xyz 18:00\" is not a "
	    "cut-off");
	schedule_error("batch:err-word", "batch = fortnightly 18:00\n",
	    "mem:15: [policy] batch: \"fortnightly 18:00\" is not a cut-off");
	schedule_error("batch:err-second-of-two",
	    "batch = 2020-08-25 24:00; monthly 28 18:60\n",
	    "mem:15: [policy] batch: \"monthly 28 18:60\" is not a cut-off");
	schedule_error("batch:err-alias", "batch.学习标兵 = monthly 28 18:00\n",
	    "is an alias of 学员标兵");

	/* A campaign without a category field has no items to date. */
	{
		const char *text = BASE_CAMPAIGN
		    "[policy]\ncloses.自荐 = 2020-08-30 24:00\n";
		struct campaign *c = NULL;
		char *err = NULL;

		TEST_CHECK("schedule:err-no-category-field",
		    campaign_parse("mem", text, strlen(text), NULL, NULL, &c,
		    &err) < 0 && err != NULL && strstr(err, "mem:15: [policy] "
		    "closes.自荐: needs category_field in [campaign]") != NULL);
		campaign_free(&c);
		g_free(err);
	}
}

int
main(void)
{
	GError *gerr = NULL;

	tmpdir = g_dir_make_tmp("test-campaigns-XXXXXX", &gerr);
	if (tmpdir == NULL) {
		printf("FAIL tmpdir: %s\n", gerr->message);
		return 1;
	}
	test_contrib_campaigns();
	test_loader();
	test_steps();
	test_parse_text();
	test_schedule_windows();
	test_schedule_errors();
	test_roster();
	test_sender_check();
	g_rmdir(tmpdir);
	g_free(tmpdir);
	test_staff();
	return TEST_EXIT();
}
