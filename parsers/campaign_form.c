/*
 * campaign_form: a [file KIND]'s form.LABEL = FIELD keys, form_check and
 * form_blank (subgate.campaign(5)): the kind's .docx files are read as
 * registration forms (regform.h), their values stored as FIELD, and the
 * fields form_check names compared with the work's.  See
 * campaign-private.h for the loader's habits.
 */
#include <string.h>

#include "campaign-private.h"
#include "grammar.h"
#include "regform.h"

/* Labels one kind's form may map: a form is a page, not a database. */
#define FORM_LABELS_MAX		32
/* Characters of a form field's name: it heads an export column. */
#define FORM_FIELD_MAX		20

static void *
own(struct loader *l, void *p)
{
	if (l->c->owned == NULL)
		l->c->owned = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(l->c->owned, p);
	return p;
}

/* Whether the convention (subject or file name) has field name. */
static bool
convention_field(const struct campaign *c, const char *name)
{
	const struct grammar *s = campaign_grammar(c, GRAMMAR_SUBJECT);
	const struct grammar *f = campaign_grammar(c, GRAMMAR_FILENAME);

	return (s != NULL && grammar_uses_field(s, name)) ||
	    (f != NULL && grammar_uses_field(f, name));
}

/* The convention's fields, "作品名、分类、报送单位" (g_free). */
static char *
convention_fields_text(const struct campaign *c)
{
	const struct grammar *g = campaign_grammar(c, GRAMMAR_SUBJECT);
	GString *s = g_string_new(NULL);
	size_t i;

	if (g == NULL)
		g = campaign_grammar(c, GRAMMAR_FILENAME);
	for (i = 0; g != NULL && i < grammar_field_count(g); i++)
		g_string_append_printf(s, "%s%s", i > 0 ? "、" : "",
		    grammar_field_name(g, i));
	return g_string_free(s, FALSE);
}

/* form.LABEL = FIELD, each into labels (a problem for what is wrong). */
static void
load_labels(struct loader *l, const char *group, GArray *labels)
{
	g_auto(GStrv) keys = g_key_file_get_keys(l->kf, group, NULL, NULL);
	size_t i, j;

	for (i = 0; keys != NULL && keys[i] != NULL; i++) {
		struct regform_label lab;
		char *field, *key;

		if (!g_str_has_prefix(keys[i], "form."))
			continue;
		key = regform_label_key(keys[i] + strlen("form."));
		if (*key == '\0') {
			loader_problem(l, group, keys[i], "names no label: write "
			    "form.制作单位 = 制作单位");
			g_free(key);
			continue;
		}
		if ((field = loader_string(l, group, keys[i])) == NULL) {
			g_free(key);
			continue;
		}
		if (g_utf8_strlen(field, -1) > FORM_FIELD_MAX ||
		    strpbrk(field, ";:|{}") != NULL ||
		    g_str_has_prefix(field, "form.")) {
			loader_problem(l, group, keys[i], "\"%s\": a field's name is "
			    "at most %d characters, without ; : | { }", field,
			    FORM_FIELD_MAX);
			g_free(field);
			g_free(key);
			continue;
		}
		for (j = 0; j < labels->len; j++)
			if (strcmp(g_array_index(labels, struct regform_label,
			    j).key, key) == 0)
				loader_problem(l, group, keys[i], "the same label "
				    "as form.%s (spaces and colons do not count)",
				    g_array_index(labels, struct regform_label,
				    j).label);
		lab.label = own(l, g_strdup(keys[i] + strlen("form.")));
		lab.key = own(l, key);
		lab.field = own(l, field);
		g_array_append_val(labels, lab);
	}
	if (labels->len > FORM_LABELS_MAX)
		loader_problem(l, group, NULL, "%u form.LABEL keys; at most %d",
		    labels->len, FORM_LABELS_MAX);
}

static bool
labels_give(GArray *labels, const char *field)
{
	size_t i;

	for (i = 0; i < labels->len; i++)
		if (strcmp(g_array_index(labels, struct regform_label,
		    i).field, field) == 0)
			return true;
	return false;
}

/* form_check: fields the form reads and the convention has. */
static const char *const *
load_check(struct loader *l, const char *group, GArray *labels)
{
	char **list = loader_list(l, group, "form_check");
	size_t i;

	for (i = 0; list != NULL && list[i] != NULL; i++) {
		g_autofree char *fields = NULL;

		if (!labels_give(labels, list[i]))
			loader_problem(l, group, "form_check", "%s is read from no "
			    "label: add form.LABEL = %s", list[i], list[i]);
		else if (!convention_field(l->c, list[i])) {
			fields = convention_fields_text(l->c);
			loader_problem(l, group, "form_check", "%s is not a field "
			    "of the convention: only its fields (%s) are "
			    "compared with the form", list[i], fields);
		}
		own(l, list[i]);
	}
	return list != NULL ? own(l, list) : NULL;
}

static void
load_blank(struct loader *l, const char *group, struct campaign_form *f)
{
	g_autofree char *v = loader_string(l, group, "form_blank");

	f->blank = CAMPAIGN_FORM_BLANK_WARN;
	if (v == NULL)
		return;
	if (strcmp(v, "warn") == 0)
		f->blank = CAMPAIGN_FORM_BLANK_WARN;
	else if (strcmp(v, "reject") == 0 || strcmp(v, "refuse") == 0)
		f->blank = CAMPAIGN_FORM_BLANK_REJECT;
	else if (strcmp(v, "off") == 0 || strcmp(v, "no") == 0)
		f->blank = CAMPAIGN_FORM_BLANK_OFF;
	else
		loader_problem(l, group, "form_blank", "\"%s\" is not warn, "
		    "reject or off", v);
}

void
loader_form(struct loader *l, const char *group, struct campaign_file_kind *k)
{
	GArray *labels = g_array_new(FALSE, TRUE, sizeof(struct regform_label));
	struct campaign_form *f;

	load_labels(l, group, labels);
	if (labels->len == 0) {
		if (g_key_file_has_key(l->kf, group, "form_check", NULL))
			loader_problem(l, group, "form_check", "no form.LABEL = "
			    "FIELD to check: add the labels to read");
		if (g_key_file_has_key(l->kf, group, "form_blank", NULL))
			loader_problem(l, group, "form_blank", "no form.LABEL = "
			    "FIELD: a form is read only for its labels");
		g_array_free(labels, TRUE);
		return;
	}
	if (k->types != NULL && !campaign_types_allow(k->types, "docx"))
		loader_problem(l, group, NULL, "form.* reads Word .docx files, "
		    "and types leaves out docx");
	f = own(l, g_new0(struct campaign_form, 1));
	f->check = load_check(l, group, labels);
	load_blank(l, group, f);
	f->label_count = labels->len;
	f->labels = own(l, g_array_free(labels, FALSE));
	k->form = f;
}

bool
campaign_form_field(const struct campaign *c, const char *field)
{
	size_t i, j;

	for (i = 0; i < campaign_file_kind_count(c); i++) {
		const struct campaign_form *f = campaign_file_kind(c, i)->form;

		for (j = 0; f != NULL && j < f->label_count; j++)
			if (strcmp(f->labels[j].field, field) == 0)
				return true;
	}
	return false;
}

const char **
campaign_form_fields(const struct campaign *c)
{
	GPtrArray *fields = g_ptr_array_new();
	size_t i, j;

	for (i = 0; i < campaign_file_kind_count(c); i++) {
		const struct campaign_form *f = campaign_file_kind(c, i)->form;

		for (j = 0; f != NULL && j < f->label_count; j++)
			if (!g_ptr_array_find_with_equal_func(fields,
			    f->labels[j].field, g_str_equal, NULL))
				g_ptr_array_add(fields,
				    (gpointer)f->labels[j].field);
	}
	if (fields->len == 0) {
		g_ptr_array_free(fields, TRUE);
		return NULL;
	}
	g_ptr_array_add(fields, NULL);
	return (const char **)g_ptr_array_free(fields, FALSE);
}
