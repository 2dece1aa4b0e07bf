/*
 * ingest_form: a work's registration form as its case records it
 * (mailplan.h read it, regform.h's values): case.json's "form" object
 * and the fields object cases.form_json keeps for the index and the
 * summary table.  A form the plan found no labels in is recorded with
 * its file and problem and no fields; a case without a form has neither.
 */
#include <string.h>

#include <glib.h>

#include "case_json.h"
#include "mailplan.h"
#include "message.h"
#include "regform.h"
#include "ingest-private.h"

void
ingest_form_collect(const struct mailplan *plan, int work,
    const struct message *msg, GArray *saved, struct ingest_form *out)
{
	const struct regform_result *r;
	const char *original;
	GPtrArray *fields, *values, *labels, *problems;
	size_t file, i, n;

	memset(out, 0, sizeof(*out));
	if (plan == NULL || work < 0 ||
	    (r = mailplan_work_form(plan, (size_t)work, &file)) == NULL)
		return;
	original = message_attachment_name(msg, file);
	for (i = 0; i < saved->len; i++) {
		const struct case_attachment *a = &g_array_index(saved,
		    struct case_attachment, i);

		if (g_strcmp0(a->original_name, original) == 0) {
			out->json.file = a->name;
			break;
		}
	}
	n = regform_value_count(r);
	fields = g_ptr_array_new();
	values = g_ptr_array_new();
	labels = g_ptr_array_new();
	problems = g_ptr_array_new();
	for (i = 0; i < n; i++) {
		g_ptr_array_add(fields, (gpointer)regform_value(r, i)->field);
		g_ptr_array_add(values, (gpointer)regform_value(r, i)->value);
		g_ptr_array_add(labels, (gpointer)regform_value(r, i)->label);
	}
	for (i = 0; i < mailplan_problem_count(plan); i++) {
		const struct mailplan_problem *pr = mailplan_problem(plan, i);

		if (g_str_has_prefix(pr->code, "form-") && (pr->work == work ||
		    pr->file == (int)file))
			g_ptr_array_add(problems, (gpointer)pr->code);
	}
	g_ptr_array_add(problems, NULL);
	out->json.count = n;
	out->json.fields = (const char *const *)g_ptr_array_free(fields, FALSE);
	out->json.values = (const char *const *)g_ptr_array_free(values, FALSE);
	out->json.labels = (const char *const *)g_ptr_array_free(labels, FALSE);
	out->json.problems = (const char *const *)g_ptr_array_free(problems,
	    FALSE);
	if (regform_found(r))
		out->fields_json = case_json_fields_text(out->json.fields,
		    out->json.values, n);
	out->read = true;
}

void
ingest_form_clear(struct ingest_form *f)
{
	g_free((gpointer)f->json.fields);
	g_free((gpointer)f->json.values);
	g_free((gpointer)f->json.labels);
	g_free((gpointer)f->json.problems);
	g_free(f->fields_json);
	memset(f, 0, sizeof(*f));
}
