/*
 * ingest_works: a mail of several works (per_mail = many), one case per
 * work.  See ingest-private.h.
 *
 * The order keeps the crash guarantees of one case (README, "Nothing
 * lost, nothing twice"): every folder of the group is built in .tmp; they
 * are renamed into place one by one; then one transaction records the
 * message, every case and the one reply.  A crash before that commit
 * leaves folders the database does not know: the next start sets them
 * aside, and the message is processed again to the same receipt numbers
 * (nothing was recorded, so db_case_next_seq gives the same first one).
 * A commit that fails takes every folder of the group away.
 */
#include <string.h>

#include <glib.h>

#include "campaign.h"
#include "case_record.h"
#include "crashpoint.h"
#include "grammar.h"
#include "ingest-private.h"
#include "log.h"
#include "mailplan.h"
#include "message.h"
#include "reasoncode.h"
#include "store.h"

/* One work of the mail on its way through ingest. */
struct ingest_work {
	const struct mailplan_work *pw;
	char *refusal, *warnings;	/* its problems, one a line */
	char *same_receipt, *same_dir;
	struct verdict v;
	const char *kept;		/* reprocessing: its case, filed
					   before (job->filed) */
	/* filed: */
	struct store_case *sc;
	char *receipt, *case_dir, *fields_json, *batch;
	struct ingest_form form;	/* its registration form */
	unsigned pos;			/* 1..N among the filed */
	bool placed;			/* renamed into place */
	GArray *saved;			/* struct case_attachment */
	struct reply_attachment *ratt;
	struct ingest_case_links clinks;
};

/* Collects the filed works of the message being reprocessed. */
static int
works_filed_row(const struct db_message_work *w, void *ctx)
{
	struct ingest_job *job = ctx;
	char *receipt;

	if (w->receipt == NULL)
		return 0;
	receipt = g_strdup(w->receipt);
	g_ptr_array_add(job->filed_rows, receipt);
	job->filed_count++;
	if (job->filed_first == NULL)
		job->filed_first = g_strdup(receipt);
	if (w->work_key != NULL)
		g_hash_table_insert(job->filed, g_strdup(w->work_key), receipt);
	return 0;
}

int
ingest_works_load_filed(struct ingest_job *job, char **error_r)
{
	int r;

	job->filed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    NULL);
	job->filed_rows = g_ptr_array_new_with_free_func(g_free);
	r = db_message_works(job->ingest->db, job->source->reprocess_row, NULL,
	    works_filed_row, job, error_r);
	if (r < 0 || job->filed_count == 0) {
		g_clear_pointer(&job->filed, g_hash_table_unref);
		g_clear_pointer(&job->filed_rows, g_ptr_array_unref);
		g_clear_pointer(&job->filed_first, g_free);
		job->filed_count = 0;
	}
	return r;
}

/* Work i into the judgement: its plan, texts and the database's counts
 * (a refused work needs nothing from the database). */
static int
works_gather(struct ingest_job *job, const struct judge_facts *f, size_t i,
    struct judge_work *jw, char **error_r)
{
	struct ingest_work *w = &job->works[i];
	struct judge_facts wf = *f;
	int r;

	w->refusal = mailplan_work_text(job->names.plan, (int)i, PLAN_REFUSE);
	w->warnings = mailplan_work_text(job->names.plan, (int)i, PLAN_WARN);
	jw->fields = w->pw->fields;
	jw->title = w->pw->title;
	jw->refusal = w->refusal;
	jw->refusal_code = reasoncode_for_plan(job->names.plan, (int)i);
	if (w->refusal != NULL)
		return 0;
	wf.same_receipt = NULL;
	wf.unit_count = wf.unit_category_count = wf.submitter_count = 0;
	wf.sender = JUDGE_SENDER_UNKNOWN;
	r = ingest_read_counts(job->ingest, job->campaign, w->pw->fields, &wf,
	    &w->same_receipt, &w->same_dir, error_r);
	jw->same_receipt = w->same_receipt;
	jw->sender = wf.sender;
	jw->unit_count = wf.unit_count;
	jw->unit_category_count = wf.unit_category_count;
	jw->submitter_count = wf.submitter_count;
	return r;
}

/* The message's reason, reprocessing: what all its works came to, the
 * ones filed before among them, as when it was first judged. */
static void
works_reason_all(struct ingest_job *job)
{
	GString *refused = g_string_new(NULL);
	size_t i, filed = 0;

	for (i = 0; i < job->work_count; i++) {
		const struct verdict *v = &job->works[i].v;

		if (v->outcome == OUTCOME_ACCEPTED)
			filed++;
		else
			g_string_append_printf(refused, "%s%s", refused->len ?
			    ", " : "", v->policy);
	}
	g_free(job->verdict.reason);
	/* What this run did beside what the mail now comes to: staff who
	 * reprocess read it in the report. */
	job->verdict.reason = filed == job->work_count ?
	    g_strdup_printf("%zu works filed (%zu new)", filed, job->works_new) :
	    g_strdup_printf("%zu works filed (%zu new), %zu refused (%s)", filed,
	    job->works_new, job->work_count - filed, refused->str);
	g_string_free(refused, TRUE);
}

/*
 * Each work judged, in the plan's order, with a tally.  Reprocessing, a
 * work the message filed before (same message, same work key) is left
 * as it is, neither judged nor filed again: the database's counts hold
 * it already.
 */
int
ingest_works_judge(struct ingest_job *job, const struct judge_facts *f,
    char **error_r)
{
	const struct mailplan *plan = job->names.plan;
	size_t i, k = 0, n = mailplan_work_count(plan);
	struct judge_work *jw = g_new0(struct judge_work, n);
	struct verdict *v = g_new0(struct verdict, n), mail;
	size_t *at = g_new0(size_t, n);
	int r = 0;

	job->works = g_new0(struct ingest_work, n);
	job->work_count = n;
	job->row.work_count = (unsigned)n;
	for (i = 0; i < n && r == 0; i++) {
		struct ingest_work *w = &job->works[i];

		w->pw = mailplan_work(plan, i);
		if (job->filed != NULL && (w->kept = g_hash_table_lookup(
		    job->filed, w->pw->key)) != NULL) {
			w->v.outcome = OUTCOME_ACCEPTED;
			w->v.policy = "accepted";
			continue;
		}
		at[k] = i;
		r = works_gather(job, f, i, &jw[k++], error_r);
	}
	if (r == 0 && k > 0) {
		judge_works(f, jw, k, v, &mail);
		for (i = 0; i < k; i++) {
			job->works[at[i]].v = v[i];
			job->works_new += v[i].outcome == OUTCOME_ACCEPTED;
		}
		verdict_clear(&job->verdict);
		job->verdict = mail;
		/* Reprocessing, the works filed before stand: the mail made
		 * cases, whatever the works judged now come to. */
		if (job->filed != NULL && job->verdict.outcome !=
		    OUTCOME_ACCEPTED) {
			job->verdict.outcome = OUTCOME_ACCEPTED;
			job->verdict.policy = "works";
			job->verdict.kind = REPLY_RECEIPT;
		}
		if (job->filed != NULL)
			works_reason_all(job);
	}
	g_free(at);
	g_free(jw);
	g_free(v);
	return r;
}

/* ---- the folders ---- */

/* Filed now (not before, when reprocessing). */
static bool
work_filed(const struct ingest_work *w)
{
	return w->v.outcome == OUTCOME_ACCEPTED && w->kept == NULL;
}

/* Each filed work's folder begun in .tmp, its receipt the next of the
 * N consecutive numbers, original.eml in each (linked from the first). */
static int
works_begin(struct ingest_job *job, char **error_r)
{
	const struct campaign *c = job->campaign;
	const char *cf = campaign_category_field(c);
	struct ingest_work *first = NULL;
	unsigned seq, pos = job->filed_count, seq_at = 0;
	size_t i;
	int r;

	/* One subgate per store (store lock): these numbers are still free
	 * when the transaction records them. */
	if ((r = db_case_next_seq(job->ingest->db, campaign_id(c), &seq,
	    error_r)) < 0)
		return r;
	for (i = 0; i < job->work_count; i++) {
		struct ingest_work *w = &job->works[i];
		const char *title = w->pw->title;

		if (!work_filed(w))
			continue;
		w->pos = ++pos;
		w->receipt = ingest_receipt(c, seq + seq_at++);
		w->batch = campaign_batch_for(c, cf == NULL ? NULL :
		    grammar_result_get(w->pw->fields, cf), job->arrival);
		w->saved = g_array_new(FALSE, TRUE,
		    sizeof(struct case_attachment));
		g_array_set_clear_func(w->saved, saved_attachment_clear);
		if ((r = store_case_begin(job->ingest->store, campaign_id(c),
		    w->pw->category, w->receipt, title ? title :
		    message_subject(job->msg), &w->sc, error_r)) < 0)
			return r;
		/* Reprocessing a mail that filed works, the path is its
		 * first case's original.eml: linked, as the spool is. */
		if (first != NULL)
			r = store_case_link(w->sc, "original.eml", first->sc,
			    "original.eml", error_r);
		else
			r = (job->source->spool || job->filed != NULL ?
			    store_case_adopt : store_case_copy)(w->sc,
			    "original.eml", job->path, error_r);
		if (r < 0)
			return r;
		if (first == NULL)
			first = w;
	}
	return 0;
}

/* Whether attachment i goes into work w's folder: the work's own files
 * into its own; what belongs to no work (a mail or unit companion,
 * another file, a companion no title claims) into every one. */
static bool
file_goes_to(const struct ingest_job *job, size_t i, size_t w)
{
	const struct mailplan_file *f = mailplan_file(job->names.plan, i);

	return f->work == (int)w || f->work < 0;
}

/* Attachment i: written into the first folder that takes it, linked into
 * the others. */
static int
works_save_file(struct ingest_job *job, size_t i, char **error_r)
{
	struct ingest_work *first = NULL;
	struct case_attachment a0 = { 0 };
	size_t w;
	int r;

	for (w = 0; w < job->work_count; w++) {
		struct ingest_work *wk = &job->works[w];
		struct case_attachment a = { 0 };
		g_autofree char *fallback = g_strdup_printf("附件%zu", i + 1);

		if (!work_filed(wk) || !file_goes_to(job, i, w))
			continue;
		a.original_name = g_strdup(message_attachment_name(job->msg, i));
		a.content_type = g_strdup(message_attachment_content_type(
		    job->msg, i));
		a.name = store_case_name(wk->sc, a.original_name, fallback);
		if (first == NULL) {
			GMimeStream *content = message_attachment_stream(job->msg,
			    i);
			char sha256[65];

			r = store_write_stream(store_case_dirfd(wk->sc), a.name,
			    content, &a.size, sha256, error_r);
			g_object_unref(content);
			a.sha256 = g_strdup(sha256);
		} else {
			r = store_case_link(wk->sc, a.name, first->sc, a0.name,
			    error_r);
			a.size = a0.size;
			a.sha256 = g_strdup(a0.sha256);
		}
		if (r < 0) {
			saved_attachment_clear(&a);
			return r;
		}
		ingest_attachment_role(job->names.plan, i, &a);
		ingest_scan_note(job, i, &a);
		g_array_append_val(wk->saved, a);
		if (first == NULL) {
			first = wk;
			a0 = g_array_index(wk->saved, struct case_attachment,
			    wk->saved->len - 1);
		}
	}
	return 0;
}

/* Work w's case.json and its row. */
static int
works_finish(struct ingest_job *job, struct ingest_work *w,
    struct db_case *dcase, char **error_r)
{
	const struct campaign *c = job->campaign;
	const char *status = case_status_name(w->v.pending ? CASE_PENDING :
	    CASE_ACCEPTED);
	g_autofree char *json = NULL;
	struct ingest_fields f;

	ingest_links_collect(c, job->links, job->names.plan,
	    (int)(w - job->works), w->receipt, &w->clinks);
	ingest_fields_get(w->pw->fields, &f);
	ingest_form_collect(job->names.plan, (int)(w - job->works), job->msg,
	    w->saved, &w->form);
	json = ingest_case_json(c, w->receipt, status, job->msg, &f,
	    job->arrival_iso, w->batch, job->sha, w->saved, &w->clinks,
	    &w->form);
	w->fields_json = case_json_fields_text(f.names, f.values, f.count);
	ingest_fields_clear(&f);
	w->case_dir = g_strdup(store_case_relpath(w->sc));
	*dcase = (struct db_case){
		.receipt = w->receipt,
		.campaign = campaign_id(c),
		.category = w->pw->category,
		.title = w->pw->title,
		.unit = w->pw->unit,
		.sender = message_from_address(job->msg),
		.status = status,
		.dir = w->case_dir,
		.fields_json = w->fields_json,
		.form_json = w->form.fields_json,
		.received_at = job->arrival_iso,
		.batch = w->batch,
		.group_pos = w->pos,
	};
	return store_case_write(w->sc, "case.json", json, strlen(json),
	    error_r);
}

const char *
ingest_works_receipt(const struct ingest_job *job, size_t w)
{
	g_assert(w < job->work_count);
	return work_filed(&job->works[w]) ? job->works[w].receipt : NULL;
}

/* ---- the reply ---- */

/* The works the reply names: all of them, or, reprocessing, those filed
 * now (the submitter had the first reply about the rest). */
static bool
works_in_reply(const struct ingest_job *job, const struct ingest_work *w)
{
	return job->filed == NULL ? true : work_filed(w);
}

static void
works_reply(struct ingest_job *job)
{
	const struct ingest_work *first = NULL;
	size_t i, j, n = message_attachment_count(job->msg);

	job->rworks = g_new0(struct reply_work, job->work_count);
	for (i = 0; i < job->work_count; i++) {
		struct ingest_work *w = &job->works[i];
		struct reply_work *rw = &job->rworks[job->rwork_count];

		if (!works_in_reply(job, w))
			continue;
		job->rwork_count++;
		rw->title = w->pw->title;
		rw->category = w->pw->category;
		if (!work_filed(w)) {
			rw->reason = w->v.notice ? w->v.notice :
			    w->v.diagnostics ? w->v.diagnostics : w->v.reason;
			continue;
		}
		if (first == NULL)
			first = w;
		rw->receipt = w->receipt;
		rw->warnings = w->warnings;
		/* why it waits: said once, under its own heading */
		rw->pending = w->v.pending ? w->v.notice : NULL;
		rw->superseded = w->v.supersedes ? w->same_receipt : NULL;
		w->ratt = g_new0(struct reply_attachment, w->saved->len + 1);
		for (j = 0; j < w->saved->len; j++) {
			const struct case_attachment *a = &g_array_index(
			    w->saved, struct case_attachment, j);

			w->ratt[j].name = a->original_name;
			w->ratt[j].saved_as = a->name;
			w->ratt[j].size = a->size;
			w->ratt[j].sha256 = a->sha256;
		}
		rw->files = w->ratt;
		rw->file_count = w->saved->len;
		rw->links = w->clinks.reply;
		rw->link_count = w->clinks.count;
	}
	/* The labels, in the order of the saved files (the mail's). */
	for (i = 0; i < job->work_count; i++) {
		struct ingest_work *w = &job->works[i];
		size_t k = 0;

		for (j = 0; work_filed(w) && j < n && k < w->saved->len; j++)
			if (file_goes_to(job, j, i))
				w->ratt[k++].label = mailplan_file_label(
				    job->names.plan, j);
	}
	g_assert(first != NULL);
	job->reply.receipt = first->receipt;
	job->reply.title = first->pw->title;
	job->reply.token = first->receipt;
	job->reply.warnings = job->names.warnings;
	job->reply.works = job->rworks;
	job->reply.work_count = job->rwork_count;
	/* {attachments} in a campaign's own template: the first work's */
	job->reply.attachments = first->ratt;
	job->reply.attachment_count = first->saved->len;
	job->reply.superseded = first->v.supersedes ? first->same_receipt :
	    NULL;
}

int
ingest_works_file(struct ingest_job *job, char **error_r)
{
	size_t i, k = 0, filed = 0, n = message_attachment_count(job->msg);
	int r;

	if ((r = works_begin(job, error_r)) < 0)
		return r;
	for (i = 0; i < n; i++)
		if ((r = works_save_file(job, i, error_r)) < 0)
			return r;
	crashpoint("mid-case");
	for (i = 0; i < job->work_count; i++)
		filed += work_filed(&job->works[i]);
	if (filed == 0) {
		/* Splitting a case whose other works are all refused: the
		 * works alone are recorded, under the case as it was. */
		g_assert(job->filed_first != NULL);
		job->row.receipt = job->filed_first;
		job->receipt = g_strdup(job->filed_first);
		return 0;
	}
	job->dcases = g_new0(struct db_case, filed);
	job->superseded = g_new0(const char *, filed);
	for (i = 0; i < job->work_count; i++) {
		struct ingest_work *w = &job->works[i];

		if (!work_filed(w))
			continue;
		if ((r = works_finish(job, w, &job->dcases[k], error_r)) < 0)
			return r;
		if (w->v.supersedes && w->same_receipt != NULL)
			job->superseded[job->rec.superseded_count++] =
			    w->same_receipt;
		k++;
	}
	job->rec.dcases = job->dcases;
	job->rec.case_count = filed;
	job->dlinks = g_array_new(FALSE, FALSE, sizeof(struct db_case_link));
	for (i = 0; i < job->work_count; i++)
		if (work_filed(&job->works[i]))
			g_array_append_vals(job->dlinks, job->works[i].clinks.rows,
			    job->works[i].clinks.count);
	job->rec.links = (const struct db_case_link *)job->dlinks->data;
	job->rec.link_count = job->dlinks->len;
	/* The message keeps naming its first case: the group's. */
	job->row.receipt = job->filed_first != NULL ? job->filed_first :
	    job->dcases[0].receipt;
	/* The result names the group by its first case. */
	job->receipt = g_strdup(job->dcases[0].receipt);
	job->case_dir = g_strdup(job->dcases[0].dir);
	job->rec.superseded = job->superseded;
	works_reply(job);
	return 0;
}

/* ---- into place, then the one transaction ---- */

/* Takes every folder of the group away (its commit failed). */
static void
works_remove(struct ingest_job *job)
{
	size_t i;

	for (i = 0; i < job->work_count; i++) {
		struct ingest_work *w = &job->works[i];
		g_autofree char *rm_error = NULL;

		if (!w->placed)
			continue;
		w->placed = false;
		if (store_case_remove(job->ingest->store, w->case_dir,
		    &rm_error) < 0)
			log_warnx("%s", rm_error);
		else
			store_case_settled(job->ingest->store);
	}
}

static void
works_settled(struct ingest_job *job)
{
	size_t i;

	for (i = 0; i < job->work_count; i++)
		if (job->works[i].placed)
			store_case_settled(job->ingest->store);
}

int
ingest_works_record(struct ingest_job *job, char **error_r)
{
	size_t i, placed = 0;
	int r;

	for (i = 0; i < job->work_count; i++) {
		struct ingest_work *w = &job->works[i];

		if (w->sc == NULL)
			continue;
		if (placed == 1)
			crashpoint("between-cases");
		if ((r = store_case_commit(&w->sc, error_r)) < 0) {
			works_remove(job);
			return r;
		}
		w->placed = true;
		placed++;
	}
	crashpoint("after-case-rename");
	if ((r = ingest_commit(job->ingest, &job->rec, job->source,
	    error_r)) < 0) {
		works_remove(job);
		return r;
	}
	works_settled(job);
	crashpoint("after-commit");
	for (i = 0; i < job->work_count; i++) {
		struct ingest_work *w = &job->works[i];

		if (work_filed(w) && w->v.supersedes && w->same_dir != NULL)
			ingest_mark_superseded(job->ingest, w->same_dir);
	}
	/* A reprocessed message that made its first cases now lives on as
	 * their original.eml; its copy among the unaccepted goes (one that
	 * filed before was read from its case, and stays there). */
	if (job->source->reprocess_row > 0 && placed > 0 && job->filed == NULL)
		(void)unlink(job->path);
	return 0;
}

void
ingest_works_clear(struct ingest_job *job)
{
	size_t i;

	for (i = 0; i < job->work_count; i++) {
		struct ingest_work *w = &job->works[i];

		store_case_abort(&w->sc);
		if (w->saved != NULL)
			g_array_free(w->saved, TRUE);
		g_free(w->ratt);
		ingest_links_clear(&w->clinks);
		g_free(w->refusal);
		g_free(w->warnings);
		g_free(w->same_receipt);
		g_free(w->same_dir);
		g_free(w->receipt);
		g_free(w->case_dir);
		g_free(w->fields_json);
		ingest_form_clear(&w->form);
		g_free(w->batch);
		verdict_clear(&w->v);
	}
	g_clear_pointer(&job->works, g_free);
	job->work_count = 0;
	g_clear_pointer(&job->dcases, g_free);
	if (job->dlinks != NULL)
		g_array_free(job->dlinks, TRUE);
	job->dlinks = NULL;
	g_clear_pointer(&job->superseded, g_free);
	g_clear_pointer(&job->rworks, g_free);
	g_clear_pointer(&job->mworks, g_free);
	g_clear_pointer(&job->filed, g_hash_table_unref);
	g_clear_pointer(&job->filed_rows, g_ptr_array_unref);
	g_clear_pointer(&job->filed_first, g_free);
}

/* ---- message_works ---- */

/* Work i's row: its own verdict when each work was judged (jwork), else
 * the mail's (ok: the case the mail made, if any). */
static void
works_row(const struct ingest_job *job, size_t i, struct db_message_work *m)
{
	const struct mailplan_work *pw = mailplan_work(job->names.plan, i);
	const struct verdict *v = &job->verdict;
	const struct ingest_work *w = job->works != NULL ? &job->works[i] :
	    NULL;

	if (w != NULL)
		v = &w->v;
	m->pos = (unsigned)i + 1;
	m->title = pw->title;
	m->category = pw->category;
	m->unit = pw->unit;
	m->work_key = pw->key;
	m->outcome = outcome_name(v->outcome);
	m->policy = v->policy;
	m->reason_code = v->outcome == OUTCOME_ACCEPTED ? NULL : v->code;
	m->reason = v->outcome == OUTCOME_ACCEPTED && !v->pending ? NULL :
	    v->reason;	/* a pending work: why it waits */
	if (w != NULL)
		m->receipt = w->kept ? w->kept : w->receipt;
	else if (v->outcome == OUTCOME_ACCEPTED)
		m->receipt = job->receipt;
}

void
ingest_works_rows(struct ingest_job *job)
{
	const struct verdict *v = &job->verdict;
	size_t i, n = job->names.plan != NULL ?
	    mailplan_work_count(job->names.plan) : 0;

	/* Not a submission: a repeated delivery, an automatic mail. */
	if (n == 0 || v->outcome == OUTCOME_DUPLICATE ||
	    v->outcome == OUTCOME_IGNORED)
		return;
	/* A case of the whole mail is one work's (one work per mail). */
	if (job->works == NULL && v->outcome == OUTCOME_ACCEPTED && n != 1)
		return;
	job->mworks = g_new0(struct db_message_work, n);
	for (i = 0; i < n; i++)
		works_row(job, i, &job->mworks[i]);
	job->rec.mworks = job->mworks;
	job->rec.mwork_count = n;
}
