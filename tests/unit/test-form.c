/*
 * The registration form in a campaign and in a mail's plan: form.LABEL
 * = FIELD, form_check and form_blank loaded (and refused with FILE:LINE
 * when wrong), and a mail's 报名表 read from the cells of its .docx and
 * judged: values that agree by alias and roster, a title that does not
 * (form-contradicts, a warning), a form sent blank (form-blank, as
 * form_blank says), a PDF or an unrelated Word file (notes for staff,
 * never in a reply).
 */
#include <string.h>

#include <glib.h>

#include "campaign.h"
#include "mailplan.h"
#include "mediarule.h"
#include "regform.h"
#include "test.h"

#define BASE \
	"[campaign]\n" \
	"id = cz\n" \
	"name = 党员教育作品\n" \
	"convention = filename\n" \
	"filename = {作品名}-{分类}-{报送单位}\n" \
	"category_field = 分类\n" \
	"title_field = 作品名\n" \
	"unit_field = 报送单位\n" \
	"[field 作品名]\n" \
	"type = text\n" \
	"[field 分类]\n" \
	"type = enum\n" \
	"values = 微视频;纪录片\n" \
	"alias.微视频 = 微党课\n" \
	"[field 报送单位]\n" \
	"type = unit\n" \
	"units = 溧阳市委组织部\n" \
	"[unit 金坛区委组织部]\n" \
	"alias = 中共金坛区委组织部\n" \
	"[works]\n" \
	"per_mail = many\n" \
	"[file 作品]\n" \
	"role = work\n" \
	"types = mp4\n" \
	"[file 报名表]\n" \
	"match = *报名表*\n" \
	"types = docx;doc;pdf;jpg\n"

#define FORM \
	"form.名 称 = 作品名\n" \
	"form.制作单位 = 制作单位\n" \
	"form.类 别 = 分类\n" \
	"form.报送单位 = 报送单位\n" \
	"form_check = 作品名;分类;报送单位\n"

static struct campaign *
parse(const char *extra, char **err_r)
{
	g_autofree char *text = g_strconcat(BASE, extra, NULL);
	struct campaign *c = NULL;

	*err_r = NULL;
	(void)campaign_parse("mem", text, strlen(text), NULL, NULL, &c,
	    err_r);
	return c;
}

static void
load_error(const char *name, const char *extra, const char *want)
{
	g_autofree char *err = NULL;
	struct campaign *c = parse(extra, &err);
	bool ok = c == NULL && err != NULL && strstr(err, want) != NULL;

	if (!ok)
		printf("# %s: want \"%s\" in:\n# %s\n", name, want,
		    err != NULL ? err : "(no error)");
	TEST_CHECK(name, ok);
	campaign_free(&c);
}

static void
test_load(void)
{
	g_autofree char *err = NULL;
	struct campaign *c = parse(FORM "form_blank = reject\n", &err);
	const struct campaign_form *f;
	const char **fields;

	TEST_CHECK("load: ok", c != NULL);
	if (c == NULL) {
		printf("# %s\n", err);
		return;
	}
	f = campaign_file_kind(c, 1)->form;
	TEST_CHECK("load: the 报名表 has a form", f != NULL &&
	    f->label_count == 4 && campaign_file_kind(c, 0)->form == NULL);
	TEST_CHECK_STR("load: label as written", f ? f->labels[0].label : NULL,
	    "名 称");
	TEST_CHECK_STR("load: its key", f ? f->labels[0].key : NULL, "名称");
	TEST_CHECK_STR("load: its field", f ? f->labels[1].field : NULL,
	    "制作单位");
	TEST_CHECK("load: form_check", f != NULL && f->check != NULL &&
	    g_strv_length((char **)f->check) == 3);
	TEST_CHECK("load: form_blank", f != NULL &&
	    f->blank == CAMPAIGN_FORM_BLANK_REJECT);
	TEST_CHECK("load: form field", campaign_form_field(c, "制作单位") &&
	    !campaign_form_field(c, "联系电话"));
	fields = campaign_form_fields(c);
	TEST_CHECK("load: form fields", fields != NULL &&
	    g_strv_length((char **)fields) == 4);
	g_free(fields);
	campaign_free(&c);
	c = parse("form.制作单位 = 制作单位\n", &err);
	TEST_CHECK("load: form_blank defaults to warn", c != NULL &&
	    campaign_file_kind(c, 1)->form->blank == CAMPAIGN_FORM_BLANK_WARN &&
	    campaign_file_kind(c, 1)->form->check == NULL);
	campaign_free(&c);

	load_error("load: form_check of no label",
	    "form.制作单位 = 制作单位\nform_check = 作品名\n",
	    "mem:29: [file 报名表] form_check: 作品名 is read from no label: "
	    "add form.LABEL = 作品名");
	load_error("load: form_check off the convention",
	    "form.制作单位 = 制作单位\nform_check = 制作单位\n",
	    "mem:29: [file 报名表] form_check: 制作单位 is not a field of the "
	    "convention: only its fields (作品名、分类、报送单位) are compared "
	    "with the form");
	load_error("load: form_blank value",
	    "form.制作单位 = 制作单位\nform_blank = maybe\n",
	    "mem:29: [file 报名表] form_blank: \"maybe\" is not warn, reject "
	    "or off");
	load_error("load: form_check without labels", "form_check = 作品名\n",
	    "mem:28: [file 报名表] form_check: no form.LABEL = FIELD to check");
	load_error("load: form_blank without labels", "form_blank = warn\n",
	    "[file 报名表] form_blank: no form.LABEL = FIELD");
	load_error("load: the same label twice",
	    "form.名 称 = 作品名\nform.名称： = 作品名\n",
	    "[file 报名表] form.名称：: the same label as form.名 称");
	load_error("load: a field's name",
	    "form.名称 = 作品;名\n",
	    "[file 报名表] form.名称: \"作品;名\": a field's name is at most");
	load_error("load: no .docx",
	    "form.名称 = 作品名\n[file 扫描件]\nmatch = *扫描*\ntypes = pdf\n"
	    "form.名称 = 作品名\n",
	    "[file 扫描件]: form.* reads Word .docx files, and types leaves "
	    "out docx");
}

/* A 附件2 form's cells: the 报送单位 line above, then the table. */
static struct regform_cells *
cz_cells(const char *unit, const char *title, const char *maker,
    const char *cat)
{
	struct regform_cells *c = regform_cells_new(400, 1 << 16);
	g_autofree char *line = g_strdup_printf("报送单位：%s", unit);
	const char *cells[][2] = {
		{ "名 称", title }, { "制作单位", maker }, { "类 别", cat },
	};
	unsigned r;

	regform_cells_add_paragraph(c, 0, line);
	for (r = 0; r < G_N_ELEMENTS(cells); r++) {
		struct regform_cell a = { 0, r, 0, 1, REGFORM_VMERGE_NONE,
		    cells[r][0] };
		struct regform_cell b = { 0, r, 1, 5, REGFORM_VMERGE_NONE,
		    cells[r][1] };

		regform_cells_add_cell(c, &a);
		regform_cells_add_cell(c, &b);
	}
	return c;
}

/* The plan of a work and its form (a .docx with cells, or of another
 * type: content, name). */
static struct mailplan *
plan_of(const struct campaign *c, const char *form_name, const char *mime,
    const struct regform_cells *cells)
{
	struct mailplan_file_in files[] = {
		{ .name = "初心如磐-微视频-金坛区委组织部.mp4", .size = 1000,
		  .content = "video/mp4" },
		{ .name = form_name, .size = 1000, .content = mime,
		  .form = cells },
	};
	struct mailplan_input in = { .files = files, .file_count = 2 };
	struct mailplan *p = NULL;
	g_autofree char *err = NULL;

	(void)mailplan_build(c, &in, &p, &err);
	return p;
}

/* The problems with this code prefix, "code:severity:text" a line. */
static char *
problems(const struct mailplan *p, const char *prefix)
{
	GString *s = g_string_new(NULL);
	size_t i;

	for (i = 0; i < mailplan_problem_count(p); i++) {
		const struct mailplan_problem *pr = mailplan_problem(p, i);

		if (g_str_has_prefix(pr->code, prefix))
			g_string_append_printf(s, "%s%s:%d%s:%s", s->len > 0 ?
			    "\n" : "", pr->code, pr->severity,
			    pr->staff_only ? ":staff" : "", pr->text);
	}
	return g_string_free(s, FALSE);
}

static void
test_plan(void)
{
	g_autofree char *err = NULL;
	struct campaign *c = parse(FORM, &err);
	struct regform_cells *cells;
	struct mailplan *p;
	const struct regform_result *r;
	size_t file = 9;
	char *got, *text;

	if (c == NULL) {
		printf("# %s\n", err);
		TEST_CHECK("plan: campaign", false);
		return;
	}
	/* Filled; 微党课 is an alias of 微视频, 中共金坛区委组织部 the
	 * roster's 金坛区委组织部. */
	cells = cz_cells("中共金坛区委组织部", "初心如磐", "金坛区融媒体中心",
	    "微党课");
	p = plan_of(c, "初心如磐报名表.docx", REGFORM_DOCX_MIME, cells);
	TEST_CHECK("plan: wants the .docx's cells",
	    mailplan_file_wants_form(p, 1) && !mailplan_file_wants_form(p, 0));
	r = mailplan_work_form(p, 0, &file);
	TEST_CHECK("plan: the form read", r != NULL && file == 1 &&
	    regform_found(r));
	TEST_CHECK_STR("plan: 制作单位", r ? regform_get(r, "制作单位") : NULL,
	    "金坛区融媒体中心");
	got = problems(p, "form-");
	TEST_CHECK_STR("plan: alias and roster agree", got, "");
	g_free(got);
	mailplan_free(&p);
	regform_cells_free(&cells);

	/* 名称 and 报送单位 differ from the file name's. */
	cells = cz_cells("溧阳市委组织部", "初心如磐（微党课）", "金坛区融媒体中心",
	    "微视频");
	p = plan_of(c, "初心如磐报名表.docx", REGFORM_DOCX_MIME, cells);
	got = problems(p, "form-");
	TEST_CHECK_STR("plan: contradictions, warned", got,
	    "form-contradicts:作品名:1:报名表中的名称为“初心如磐（微党课）”，"
	    "与文件名中的“初心如磐”不一致，请核对。\n"
	    "form-contradicts:报送单位:1:报名表中的报送单位为“溧阳市委组织部”，"
	    "与文件名中的“金坛区委组织部”不一致，请核对。");
	g_free(got);
	text = mailplan_text(p, PLAN_WARN);
	TEST_CHECK("plan: said in the receipt", text != NULL &&
	    strstr(text, "初心如磐（微党课）") != NULL);
	TEST_CHECK("plan: refuses nothing", !mailplan_has(p, PLAN_REFUSE));
	g_free(text);
	mailplan_free(&p);
	regform_cells_free(&cells);

	/* Sent blank. */
	cells = cz_cells("", "", "", "");
	p = plan_of(c, "初心如磐报名表.docx", REGFORM_DOCX_MIME, cells);
	got = problems(p, "form-");
	TEST_CHECK_STR("plan: blank, warned", got,
	    "form-blank:1:报名表“初心如磐报名表.docx”未填写（名称、制作单位、"
	    "类别、报送单位为空），请填写后与作品一并发送。已先行登记。");
	g_free(got);
	mailplan_free(&p);
	campaign_free(&c);
	c = parse(FORM "form_blank = reject\n", &err);
	p = plan_of(c, "初心如磐报名表.docx", REGFORM_DOCX_MIME, cells);
	TEST_CHECK("plan: blank, refused", mailplan_has(p, PLAN_REFUSE));
	mailplan_free(&p);
	campaign_free(&c);
	c = parse(FORM "form_blank = off\n", &err);
	p = plan_of(c, "初心如磐报名表.docx", REGFORM_DOCX_MIME, cells);
	got = problems(p, "form-");
	TEST_CHECK_STR("plan: blank, off", got, "");
	g_free(got);
	mailplan_free(&p);
	regform_cells_free(&cells);

	/* A scan: a note for staff, not in any reply. */
	p = plan_of(c, "初心如磐报名表.pdf", "application/pdf", NULL);
	got = problems(p, "form-");
	TEST_CHECK_STR("plan: PDF form, a staff note", got,
	    "form-unreadable:2:staff:报名表“初心如磐报名表.pdf”为 PDF 文件，"
	    "未读取其中的栏目，请工作人员核对。");
	g_free(got);
	text = mailplan_text(p, PLAN_NOTE);
	TEST_CHECK("plan: the note in no reply", text == NULL);
	g_free(text);
	TEST_CHECK("plan: no cells wanted of a PDF",
	    !mailplan_file_wants_form(p, 1));
	mailplan_free(&p);

	/* A .docx that holds another table. */
	cells = regform_cells_new(400, 1 << 16);
	regform_cells_add_cell(cells, &(struct regform_cell){ 0, 0, 0, 1,
	    REGFORM_VMERGE_NONE, "序号" });
	p = plan_of(c, "初心如磐报名表.docx", REGFORM_DOCX_MIME, cells);
	got = problems(p, "form-");
	TEST_CHECK_STR("plan: no form in it, a staff note", got,
	    "form-unrecognised:2:staff:附件“初心如磐报名表.docx”中未找到报名表"
	    "的栏目（名称、制作单位、类别等），未读取。");
	g_free(got);
	mailplan_free(&p);
	regform_cells_free(&cells);

	/* A .docx the inspection could not open: a note for staff. */
	{
		struct media_facts bad = { .kind = FACTS_TEXT,
		    .duration_ms = -1 };
		struct mailplan_file_in files[] = {
			{ .name = "初心如磐-微视频-金坛区委组织部.mp4",
			  .size = 1000, .content = "video/mp4" },
			{ .name = "初心如磐报名表.docx", .size = 1000,
			  .content = REGFORM_DOCX_MIME, .media = &bad },
		};
		struct mailplan_input in = { .files = files, .file_count = 2 };
		g_autofree char *why = NULL;

		bad.text.state = TEXT_UNREADABLE;
		g_strlcpy(bad.error, "zip: Truncated ZIP file data",
		    sizeof(bad.error));
		(void)mailplan_build(c, &in, &p, &why);
		got = problems(p, "form-");
		TEST_CHECK_STR("plan: damaged .docx, a staff note", got,
		    "form-unreadable:2:staff:报名表“初心如磐报名表.docx”无法读取"
		    "（zip: Truncated ZIP file data），未读取其中的栏目，请工作人员"
		    "核对。");
		g_free(got);
		mailplan_free(&p);
	}

	/* Not read (no cells handed in): nothing said. */
	p = plan_of(c, "初心如磐报名表.docx", REGFORM_DOCX_MIME, NULL);
	got = problems(p, "form-");
	TEST_CHECK("plan: no cells, no form", mailplan_work_form(p, 0, NULL) ==
	    NULL && *got == '\0');
	g_free(got);
	mailplan_free(&p);
	campaign_free(&c);
}

int
main(void)
{
	test_load();
	test_plan();
	return TEST_EXIT();
}
