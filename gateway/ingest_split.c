/*
 * ingest_split: a case filed alone before works were recorded (one case
 * per mail, every attachment in its folder, no message_works rows), read
 * again under a campaign that files one case per work.  See
 * ingest-private.h.
 *
 * The case stays, with its receipt, as the work its own title, category
 * and unit name (else the plan's first): to ingest_works.c it is a work
 * the message filed before, left as it is.  The others are judged and
 * filed as a reprocessed mail's are, in the same crash-safe order (their
 * folders built in .tmp, renamed, then one transaction).  That
 * transaction also gives the case its place in the group, and replaces
 * its case.json with one that names, for each file now another case's,
 * where it went: nothing is taken out of the folder, so what staff saw
 * there stays, and its files still match their recorded digests.  A
 * crash between that write and the commit leaves case.json naming
 * receipts never recorded beside folders the next start sets aside; the
 * mail still has no works on record, and splitting it again writes every
 * mark anew.
 */
#include <string.h>

#include <glib.h>

#include "case_json.h"
#include "case_record.h"
#include "db.h"
#include "ingest-private.h"
#include "mailplan.h"
#include "message.h"
#include "store.h"

struct ingest_split {
	char *title, *category, *unit, *dir, *status;
	int work;			/* the plan's work the case is */
	char *refusal;			/* why it cannot be split, or NULL */
	char *json_old;			/* its case.json as it is */
	size_t json_old_len;
	char *json, *json_path;		/* as it is to be, or NULL */
	struct ingest_kept_case kept;
};

static int
split_case_row(const struct db_case *c, void *ctx)
{
	struct ingest_split *sp = ctx;

	sp->title = g_strdup(c->title);
	sp->category = g_strdup(c->category);
	sp->unit = g_strdup(c->unit);
	sp->dir = g_strdup(c->dir);
	sp->status = g_strdup(c->status);
	return 0;
}

/* The names of the mail's files, in its order, as case.json lists them
 * (g_free the array, not the strings). */
static const char **
split_file_names(const struct ingest_job *job, size_t *n_r)
{
	size_t i, n = message_attachment_count(job->msg);
	const char **names = g_new0(const char *, n + 1);

	for (i = 0; i < n; i++)
		names[i] = message_attachment_name(job->msg, i);
	*n_r = n;
	return names;
}

/* The case's row and case.json; a case.json that does not list the
 * mail's files as the mail has them is a refusal. */
static int
split_read_case(struct ingest_job *job, struct ingest_split *sp,
    char **error_r)
{
	const char *receipt = job->source->split_receipt;
	struct db_case_query q = { .receipt = receipt };
	g_autofree char *error = NULL, *checked = NULL;
	g_autofree const char **names = NULL;
	const char **none;
	size_t n;

	if (db_case_list(job->ingest->db, &q, split_case_row, sp,
	    error_r) < 0)
		return -1;
	if (sp->dir == NULL) {
		*error_r = g_strdup_printf("no case %s", receipt);
		return -1;
	}
	if (case_json_read(store_dir(job->ingest->store), sp->dir,
	    &sp->json_old, &sp->json_old_len, &error) < 0) {
		sp->refusal = g_steal_pointer(&error);
		return 0;
	}
	names = split_file_names(job, &n);
	none = g_new0(const char *, n + 1);
	checked = case_json_with_moves(sp->json_old, sp->json_old_len, names,
	    none, n, &error);
	g_free(none);
	if (checked == NULL)
		sp->refusal = g_strdup_printf("%s: %s", sp->dir, error);
	return 0;
}

/* Why the mail, as the campaign reads it now, cannot be split; NULL when
 * it can. */
static char *
split_refusal(const struct ingest_job *job, const struct ingest_split *sp)
{
	size_t n = mailplan_work_count(job->names.plan);
	const GString *diag = job->names.diagnostics;

	/* Staff decided on the mail as a whole: its works are theirs to
	 * file again, not a campaign's. */
	if (strcmp(sp->status, case_status_name(CASE_ACCEPTED)) != 0 &&
	    strcmp(sp->status, case_status_name(CASE_PENDING)) != 0)
		return g_strdup_printf("the case is %s", sp->status);
	if (n == 0)
		return g_strdup_printf("the campaign now reads no work in the "
		    "mail%s%s", diag ? ": " : "", diag ? diag->str : "");
	if (n > 1 && !job->names.several)
		return g_strdup_printf("%zu works, and the campaign takes one "
		    "work per mail ([works] per_mail)", n);
	if (n > 1 && !job->names.met)
		return g_strdup(diag ? diag->str : "the mail is refused");
	return NULL;
}

/* The case's work as one the message filed before (ingest_works.c). */
static void
split_filed(struct ingest_job *job, struct ingest_split *sp)
{
	const char *receipt = job->source->split_receipt;
	int w = mailplan_work_find(job->names.plan, sp->title, sp->category,
	    sp->unit);

	sp->work = w >= 0 ? w : 0;
	job->filed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    NULL);
	job->filed_rows = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(job->filed_rows, g_strdup(receipt));
	g_hash_table_insert(job->filed, g_strdup(mailplan_work(
	    job->names.plan, (size_t)sp->work)->key),
	    job->filed_rows->pdata[0]);
	job->filed_first = g_strdup(receipt);
	job->filed_count = 1;
}

int
ingest_split_judge(struct ingest_job *job, const struct judge_facts *f,
    char **error_r)
{
	struct ingest_split *sp = g_new0(struct ingest_split, 1);
	struct verdict *v = &job->verdict;
	int r;

	job->split = sp;
	if ((r = split_read_case(job, sp, error_r)) < 0)
		return r;
	if (sp->refusal == NULL)
		sp->refusal = split_refusal(job, sp);
	if (sp->refusal != NULL) {
		memset(v, 0, sizeof(*v));
		v->outcome = OUTCOME_REJECTED;
		v->policy = "naming";
		v->reason = g_strdup(sp->refusal);
		return 0;
	}
	split_filed(job, sp);
	if (mailplan_work_count(job->names.plan) == 1) {
		/* One work: it is the case; nothing to judge or file. */
		memset(v, 0, sizeof(*v));
		v->outcome = OUTCOME_ACCEPTED;
		v->policy = "accepted";
		v->reason = g_strdup("1 work filed");
	} else {
		judge_run(f, v);
	}
	job->deadline = judge_deadline_text(f);
	if (v->outcome != OUTCOME_ACCEPTED)
		return 0;
	return ingest_works_judge(job, f, error_r);
}

int
ingest_split_file(struct ingest_job *job, char **error_r)
{
	struct ingest_split *sp = job->split;
	const struct mailplan *plan = job->names.plan;
	g_autofree const char **names = NULL, **moved = NULL;
	size_t i, n;

	names = split_file_names(job, &n);
	moved = g_new0(const char *, n + 1);
	for (i = 0; i < n && i < mailplan_file_count(plan); i++) {
		const struct mailplan_file *pf = mailplan_file(plan, i);

		/* A file of the mail's (a 汇总表) stays the case's too. */
		if (pf->work < 0 || pf->work == sp->work)
			continue;
		moved[i] = ingest_works_receipt(job, (size_t)pf->work);
	}
	sp->kept.receipt = job->source->split_receipt;
	/* The first of the group, as the first case of a mail of several
	 * is; a mail of one work has none. */
	sp->kept.group_pos = mailplan_work_count(plan) > 1 ? 1 : 0;
	/* Written even when no file moved (every other work refused): the
	 * marks of a split interrupted before its commit go. */
	if (sp->kept.group_pos > 0) {
		sp->json = case_json_with_moves(sp->json_old,
		    sp->json_old_len, names, moved, n, error_r);
		if (sp->json == NULL)
			return -1;
		sp->json_path = g_build_filename(store_dir(job->ingest->store),
		    sp->dir, "case.json", NULL);
		sp->kept.json = sp->json;
		sp->kept.json_path = sp->json_path;
		sp->kept.json_old = sp->json_old;
		sp->kept.json_old_len = sp->json_old_len;
	}
	job->rec.kept = &sp->kept;
	return 0;
}

void
ingest_split_clear(struct ingest_job *job)
{
	struct ingest_split *sp = job->split;

	if (sp == NULL)
		return;
	g_free(sp->title);
	g_free(sp->category);
	g_free(sp->unit);
	g_free(sp->dir);
	g_free(sp->status);
	g_free(sp->refusal);
	g_free(sp->json_old);
	g_free(sp->json);
	g_free(sp->json_path);
	g_clear_pointer(&job->split, g_free);
}
