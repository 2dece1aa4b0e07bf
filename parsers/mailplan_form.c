/*
 * mailplan_form: each work's registration form (报名表), read from the
 * cells the caller handed in for its .docx (regform.h) by the labels its
 * kind maps (form.LABEL = FIELD), and judged: sent blank (form_blank),
 * saying otherwise than the work's name (form_check).  Forms that are
 * not read (a .doc, a PDF, a scan) are said to staff only: the notices
 * allow them, so they are never the submitter's problem.
 */
#include <string.h>

#include "grammar.h"
#include "mailplan-private.h"
#include "normalize.h"
#include "regform.h"

/* Labels named in a form-blank text before "等". */
#define BLANK_LABELS_SAID	6

struct plan_form {
	size_t file;
	struct regform_result *res;
};

static const struct campaign_form *
file_form(const struct mailplan *p, size_t i)
{
	const struct campaign_file_kind *k = plan_file_kind(p,
	    &g_array_index(p->files, struct mailplan_file, i));

	return k != NULL ? k->form : NULL;
}

/* Whether file i is a .docx by content, or by name when its content was
 * not looked at. */
static bool
file_docx(const struct mailplan *p, size_t i)
{
	const struct mailplan_file *f = &g_array_index(p->files,
	    struct mailplan_file, i);

	if (f->content != NULL && *f->content != '\0')
		return strcmp(f->content, REGFORM_DOCX_MIME) == 0;
	return f->ext != NULL && strcmp(f->ext, "docx") == 0;
}

bool
mailplan_file_wants_form(const struct mailplan *p, size_t i)
{
	return i < p->attachments && i < p->files->len &&
	    file_form(p, i) != NULL && file_docx(p, i);
}

/* The first file of work w with a form and cells read. */
static int
work_form_file(struct mailplan *p, size_t w)
{
	const struct mailplan_work *work = pwork(p, w);
	size_t j;

	for (j = 0; j < work->file_count; j++) {
		size_t i = work->files[j];

		if (i < p->attachments && p->in->files[i].form != NULL &&
		    file_form(p, i) != NULL && file_docx(p, i))
			return (int)i;
	}
	return -1;
}

/* A label as a sentence shows it: the campaign writes 名 称 as the form
 * spaces it; the text says 名称 (g_free). */
static char *
label_shown(const char *label)
{
	GString *s = g_string_new(NULL);

	for (; *label != '\0'; label = g_utf8_next_char(label)) {
		gunichar c = g_utf8_get_char(label);

		if (!g_unichar_isspace(c) && c != 0x3000)
			g_string_append_unichar(s, c);
	}
	return g_string_free(s, FALSE);
}

/* The labels found blank, "名称、制作单位" (g_free). */
static char *
blank_labels(const struct regform_result *r)
{
	GString *s = g_string_new(NULL);
	size_t i, said = 0;

	for (i = 0; i < regform_value_count(r); i++) {
		const struct regform_value *v = regform_value(r, i);

		if (*v->value != '\0')
			continue;
		if (said++ == BLANK_LABELS_SAID) {
			g_string_append(s, "等");
			break;
		}
		{
			g_autofree char *shown = label_shown(v->label);

			g_string_append_printf(s, "%s%s", s->len > 0 ? "、" :
			    "", shown);
		}
	}
	return g_string_free(s, FALSE);
}

/* The labels of a form, "名称、制作单位等" for a note (g_free). */
static char *
form_labels(const struct campaign_form *form)
{
	GString *s = g_string_new(NULL);
	size_t i;

	for (i = 0; i < form->label_count && i < 3; i++) {
		g_autofree char *shown = label_shown(form->labels[i].label);

		g_string_append_printf(s, "%s%s", i > 0 ? "、" : "", shown);
	}
	if (form->label_count > 3)
		g_string_append(s, "等");
	return g_string_free(s, FALSE);
}

/* The spellings a form's value stands for: each ticked option (";"
 * apart), and for an option offering several sub-types the notice's
 * own way, 视频类（微视频/微电影）, each of them: 视频类(微视频),
 * 视频类(微电影). */
static GPtrArray *
value_spellings(const char *value)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) opts = g_strsplit(value, ";", -1);
	size_t i, j;

	for (i = 0; opts[i] != NULL; i++) {
		g_autofree char *norm = normalize_text(opts[i], 0);
		char *open = strchr(norm, '('), *close;

		g_ptr_array_add(out, g_strdup(opts[i]));
		if (open == NULL || (close = strchr(open, ')')) == NULL ||
		    memchr(open, '/', (size_t)(close - open)) == NULL)
			continue;
		*close = '\0';
		{
			g_auto(GStrv) subs = g_strsplit(open + 1, "/", -1);

			for (j = 0; subs[j] != NULL; j++)
				g_ptr_array_add(out, g_strdup_printf("%.*s(%s)%s",
				    (int)(open - norm), norm, subs[j],
				    close + 1));
		}
	}
	return out;
}

/* The comparison key of a field's value: its canonical value where the
 * convention knows it (an alias: 文学类 is 文字类), else its own. */
static char *
value_key(const struct campaign *c, const char *field, const char *value)
{
	const struct grammar *g = campaign_grammar(c, GRAMMAR_SUBJECT);
	g_autofree char *canonical = NULL;

	if (g == NULL || !grammar_uses_field(g, field))
		g = campaign_grammar(c, GRAMMAR_FILENAME);
	if (g != NULL && grammar_field_value(g, field, value, &canonical) > 0)
		return normalize_text(canonical, NORMALIZE_KEY);
	return normalize_text(value, NORMALIZE_KEY);
}

/* Whether the form's value and the work's name the same: for the unit,
 * the roster decides (山大 is 山西大学). */
static bool
values_agree(const struct campaign *c, const char *field,
    const char *form_value, const char *work_value)
{
	const char *uf = campaign_unit_field(c);
	g_autofree char *want = value_key(c, field, work_value);
	GPtrArray *spellings;
	bool same = false;
	guint i;

	if (uf != NULL && strcmp(field, uf) == 0) {
		const struct campaign_unit *a = campaign_unit_find(c,
		    form_value);
		const struct campaign_unit *b = campaign_unit_find(c,
		    work_value);

		if (a != NULL && b != NULL)
			return a == b;
	}
	spellings = value_spellings(form_value);
	for (i = 0; i < spellings->len && !same; i++) {
		g_autofree char *key = value_key(c, field,
		    spellings->pdata[i]);

		same = strcmp(key, want) == 0;
	}
	g_ptr_array_free(spellings, TRUE);
	return same;
}

static void
form_check(struct mailplan *p, size_t w, size_t file,
    const struct campaign_form *form, const struct regform_result *r)
{
	const struct mailplan_work *work = pwork(p, w);
	size_t i, j;

	for (i = 0; form->check != NULL && form->check[i] != NULL; i++) {
		const char *field = form->check[i];
		const char *fv = regform_get(r, field);
		const char *wv = work->fields != NULL ?
		    grammar_result_get(work->fields, field) : NULL;
		const char *label = field;
		g_autofree char *shown = NULL;

		if (fv == NULL || *fv == '\0' || wv == NULL || *wv == '\0' ||
		    values_agree(p->c, field, fv, wv))
			continue;
		for (j = 0; j < regform_value_count(r); j++)
			if (strcmp(regform_value(r, j)->field, field) == 0)
				label = regform_value(r, j)->label;
		shown = label_shown(label);
		plan_text_form_contradicts(p, w, file, field, shown, fv, wv);
	}
}

void
plan_form_work(struct mailplan *p, size_t w)
{
	const struct campaign_form *form;
	struct plan_form *pf;
	g_autofree char *title_key = NULL;
	int file = work_form_file(p, w);

	if (file < 0)
		return;
	form = file_form(p, (size_t)file);
	if (p->forms == NULL)
		p->forms = g_ptr_array_new();
	while (p->forms->len <= w)
		g_ptr_array_add(p->forms, NULL);
	pf = g_new0(struct plan_form, 1);
	pf->file = (size_t)file;
	if (pwork(p, w)->title != NULL)
		title_key = normalize_text(pwork(p, w)->title, NORMALIZE_KEY);
	regform_read(p->in->files[file].form, form->labels, form->label_count,
	    campaign_title_field(p->c), title_key, &pf->res);
	p->forms->pdata[w] = pf;
	if (!regform_found(pf->res)) {
		g_autofree char *labels = form_labels(form);

		plan_problem_staff(p, "form-unrecognised", (int)w, file,
		    g_strdup_printf("附件“%s”中未找到%s的栏目（%s），未读取。",
		    plan_own(p, g_utf8_make_valid(p->in->files[file].name, -1)),
		    pfile(p, (size_t)file)->kind, labels));
		return;
	}
	if (regform_blank(pf->res)) {
		g_autofree char *labels = blank_labels(pf->res);

		if (form->blank != CAMPAIGN_FORM_BLANK_OFF)
			plan_text_form_blank(p, w, (size_t)file, labels,
			    form->blank == CAMPAIGN_FORM_BLANK_REJECT ?
			    PLAN_REFUSE : PLAN_WARN);
		return;
	}
	form_check(p, w, (size_t)file, form, pf->res);
}

/* What a form file that is not read is, for the note. */
static const char *
unread_what(const struct mailplan *p, size_t i)
{
	const struct mailplan_file *f = &g_array_index(p->files,
	    struct mailplan_file, i);
	const char *mime = f->content != NULL ? f->content : "";

	if (strcmp(mime, "application/pdf") == 0 || strcmp(f->ext, "pdf") == 0)
		return " PDF 文件";
	if (g_str_has_prefix(mime, "image/"))
		return "图片";
	if (strcmp(f->ext, "wps") == 0)
		return " .wps 文件";
	if (strcmp(f->ext, "doc") == 0)
		return " .doc 文件";
	return NULL;
}

void
plan_form_files(struct mailplan *p)
{
	size_t i;

	for (i = 0; i < p->attachments && i < p->files->len; i++) {
		const struct mailplan_file *f = pfile(p, i);
		const struct media_facts *m = p->in->files[i].media;
		const char *what;
		g_autofree char *name = NULL;

		if (file_form(p, i) == NULL || p->in->files[i].size == 0)
			continue;
		name = g_utf8_make_valid(p->in->files[i].name, -1);
		if (!file_docx(p, i) && (what = unread_what(p, i)) != NULL)
			plan_problem_staff(p, "form-unreadable", f->work,
			    (int)i, g_strdup_printf("%s“%s”为%s，未读取其中的"
			    "栏目，请工作人员核对。", f->kind, name, what));
		else if (file_docx(p, i) && p->in->files[i].form == NULL &&
		    m != NULL && (m->failed || (m->kind == FACTS_TEXT &&
		    m->text.state == TEXT_UNREADABLE)))
			plan_problem_staff(p, "form-unreadable", f->work,
			    (int)i, g_strdup_printf("%s“%s”无法读取（%s），未读"
			    "取其中的栏目，请工作人员核对。", f->kind, name,
			    *m->error != '\0' ? m->error : "原因不明"));
	}
}

void
plan_forms_free(struct mailplan *p)
{
	guint i;

	if (p->forms == NULL)
		return;
	for (i = 0; i < p->forms->len; i++) {
		struct plan_form *pf = p->forms->pdata[i];

		if (pf != NULL) {
			regform_result_free(&pf->res);
			g_free(pf);
		}
	}
	g_ptr_array_free(p->forms, TRUE);
	p->forms = NULL;
}

const struct regform_result *
mailplan_work_form(const struct mailplan *p, size_t w, size_t *file_r)
{
	const struct plan_form *pf;

	if (p->forms == NULL || w >= p->forms->len ||
	    (pf = p->forms->pdata[w]) == NULL)
		return NULL;
	if (file_r != NULL)
		*file_r = pf->file;
	return pf->res;
}
