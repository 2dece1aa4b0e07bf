/* reprocess: see include/reprocess.h. */
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "campaign.h"
#include "config.h"
#include "db.h"
#include "ingest.h"
#include "progress.h"
#include "reprocess.h"
#include "store.h"

struct reprocess_run {
	const struct config *config;
	struct db *db;
	struct store *store;
	struct ingest *ingest;
	reprocess_report_fn *report;
	void *ctx;
	struct progress *progress;
	char *error;
};

/* Judges the stored mail at path again, or reports it missing (what
 * names it in the report: path, or else missing_what). */
static int
reprocess_path(struct reprocess_run *run, const struct campaign *campaign,
    int64_t row, const char *path, const char *missing_what,
    char *missing_why)
{
	struct ingest_source source = { .reprocess_row = row };
	struct ingest_result result = { 0 };
	int ret = 0;

	if (path == NULL || access(path, R_OK) < 0) {
		result.outcome = OUTCOME_FAILED;
		result.reason = missing_why;
		run->report(path ? path : missing_what, &result, run->ctx);
		ingest_result_clear(&result);
		return 0;
	}
	g_free(missing_why);
	if (ingest_message(run->ingest, campaign, path, &source, &result,
	    &run->error) < 0)
		ret = -1;
	else
		run->report(path, &result, run->ctx);
	ingest_result_clear(&result);
	return ret;
}

static int
reprocess_one(int64_t row, const struct db_message *m, void *ctx)
{
	struct reprocess_run *run = ctx;
	const struct campaign *campaign = config_campaign_find(run->config,
	    m->campaign);
	g_autofree char *name = NULL, *path = NULL;

	progress_step(run->progress, 1);
	if (campaign == NULL)
		return 0;	/* a campaign no longer configured */
	/* Only the header of a message over the size limit was ever
	 * fetched: there is nothing to judge again. */
	if (strcmp(m->outcome, outcome_name(OUTCOME_TOO_LARGE)) == 0)
		return 0;
	/* Kept under its name with the 查询码, or (stored before) without */
	path = ingest_unaccepted_find(store_dir(run->store), m->campaign, m->folder,
	    m->uidvalidity, m->uid, m->sha256);
	if (path == NULL) {
		name = ingest_unaccepted_name(m->folder, m->uidvalidity, m->uid,
		    m->sha256);
		path = store_unaccepted_path(run->store, m->campaign, name);
	}
	return reprocess_path(run, campaign, row, path, NULL,
	    g_strdup_printf("kept message %s is missing", path));
}

static int
reprocess_case_dir(const struct db_case *c, void *ctx)
{
	*(char **)ctx = g_strdup(c->dir);
	return 0;
}

/* A mail that filed some of its works and not others: read again from
 * its first case's original.eml (it never went to _unaccepted); ingest
 * leaves the works it filed, files those that now pass and answers for
 * them alone. */
static int
reprocess_works(int64_t row, const struct db_message *m, void *ctx)
{
	struct reprocess_run *run = ctx;
	const struct campaign *campaign = config_campaign_find(run->config,
	    m->campaign);
	struct db_case_query q = { .receipt = m->receipt };
	g_autofree char *dir = NULL, *path = NULL;

	progress_step(run->progress, 1);
	if (campaign == NULL)
		return 0;
	if (db_case_list(run->db, &q, reprocess_case_dir, &dir,
	    &run->error) < 0)
		return -1;
	path = dir != NULL ? g_build_filename(store_dir(run->store), dir,
	    "original.eml", NULL) : NULL;
	return reprocess_path(run, campaign, row, path, m->receipt,
	    g_strdup_printf("the message of %s is missing from its case",
	    m->receipt));
}

int
reprocess_split(struct db *db, struct store *store, struct ingest *ingest,
    const struct campaign *campaign, const char *receipt, int64_t *row_r,
    struct ingest_result *result, char **error_r)
{
	struct ingest_source source = { .split_receipt = receipt };
	struct db_case_query q = { .receipt = receipt };
	g_autofree char *dir = NULL, *path = NULL;
	unsigned work_count;
	int r;

	memset(result, 0, sizeof(*result));
	if ((r = db_case_message(db, receipt, &source.reprocess_row,
	    &work_count, error_r)) <= 0 || work_count > 0)
		return r < 0 ? r : 0;
	*row_r = source.reprocess_row;
	if (db_case_list(db, &q, reprocess_case_dir, &dir, error_r) < 0)
		return -1;
	path = g_build_filename(store_dir(store), dir, "original.eml", NULL);
	if (access(path, R_OK) < 0) {
		result->outcome = OUTCOME_FAILED;
		result->reason = g_strdup_printf("the message of %s is missing "
		    "from its case", receipt);
		return 1;
	}
	if ((r = ingest_message(ingest, campaign, path, &source, result,
	    error_r)) < 0)
		return r;
	return 1;
}

int
reprocess_outcome(const struct config *config, struct db *db,
    struct store *store, struct ingest *ingest, const char *campaign,
    const char *outcome, reprocess_report_fn *report, void *ctx,
    char **error_r)
{
	struct reprocess_run run = { config, db, store, ingest, report, ctx,
	    NULL, NULL };
	g_autofree char *dberr = NULL;
	int ret;

	run.progress = progress_new("reprocess", 0);
	/* The mails that filed works first: a mail that files its first
	 * works below is not judged twice in one run. */
	ret = db_message_list_refused_works(db, campaign, outcome,
	    reprocess_works, &run, &dberr);
	if (ret == 0)
		ret = db_message_list_uncased(db, campaign, outcome,
		    reprocess_one, &run, &dberr);
	progress_done(&run.progress);
	if (ret < 0)
		*error_r = run.error != NULL ? run.error :
		    g_steal_pointer(&dberr);
	else
		g_free(run.error);
	return ret;
}
