/*
 * reprocess: after a campaign file was fixed, judge again either the mail
 * that made no case (--status OUTCOME: through the pipeline, see
 * include/reprocess.h) or the naming convention of the cases named by
 * receipt (their fields corrected as a staff decision would, fields staff
 * set kept), or split such cases, filed before works were recorded, into
 * their works (--split).
 */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "campaign.h"
#include "case_json.h"
#include "case_record.h"
#include "cli.h"
#include "config.h"
#include "config_file.h"
#include "db.h"
#include "grammar.h"
#include "htmlindex.h"
#include "ingest.h"
#include "log.h"
#include "reprocess.h"
#include "store.h"
#include "textcell.h"

#define REPROCESS_REVIEWER	"subgate reprocess"

/* Fields a staff decision set (accept or reject --set), by name. */
static int
reprocess_staff_field(const struct db_case_review *r, const char *reviewed_at,
    void *ctx)
{
	GHashTable *staff = ctx;
	g_autofree char *error = NULL;
	struct case_field *changed;
	size_t i, n;

	(void)reviewed_at;
	if (r->changes_json == NULL || strcmp(r->action,
	    case_review_action_name(REVIEW_REPROCESS)) == 0)
		return 0;
	if (case_json_fields_parse(r->changes_json, &changed, &n, &error) < 0)
		return 0;
	for (i = 0; i < n; i++)
		g_hash_table_add(staff, g_strdup(changed[i].name));
	case_fields_free(changed, n);
	return 0;
}

/* Text for one line of the report: no tabs, no line breaks. */
static char *
reprocess_one_line(const char *s)
{
	char *t = textcell_clean(s, FALSE);

	return g_strstrip(t);
}

/*
 * One case: its original.eml judged again under the campaign as it is
 * now.  Changed fields are recorded as a staff correction would be,
 * except those staff set themselves, which are kept.  Returns an exit
 * status: EX_OK (updated or unchanged), 1 (no longer matches), else the
 * error's.
 */
static int
reprocess_case(struct cli_state *s, const char *receipt,
    GHashTable *touched)
{
	struct db_case_review r = { 0 };
	const struct campaign *campaign;
	struct case_record *c;
	struct grammar_result *fields = NULL;
	g_autofree char *path = NULL, *diagnostics = NULL, *error = NULL;
	g_autofree char *changes_json = NULL, *fields_json = NULL;
	JsonObject *changes = NULL;
	GHashTable *staff = NULL;
	GString *details = NULL;
	GPtrArray *cases = NULL;
	size_t i, n;
	int ret = EX_OK, m;

	if ((ret = cli_find_case(s, receipt, &cases, &c, &campaign)) !=
	    EX_OK)
		goto out;
	path = g_build_filename(s->config->store_dir, c->dir, "original.eml",
	    NULL);
	if ((m = ingest_rematch(campaign, &s->config->limits, path, c->title,
	    c->category, &fields, &diagnostics, &error)) < 0) {
		fprintf(stderr, "subgate: %s: %s\n", receipt, error);
		ret = EX_NOINPUT;
		goto out;
	}
	if (m == 0) {
		g_autofree char *d = reprocess_one_line(diagnostics ?
		    diagnostics : "");

		printf("%s\tno-match\t%s\n", receipt, d);
		ret = 1;
		goto out;
	}

	staff = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	if (db_case_reviews(s->db, receipt, reprocess_staff_field, staff,
	    &error) < 0) {
		fprintf(stderr, "subgate: %s\n", error);
		ret = EX_TEMPFAIL;
		goto out;
	}
	changes = json_object_new();
	details = g_string_new(NULL);
	n = grammar_result_field_count(fields);
	for (i = 0; i < n; i++) {
		const char *name, *value, *was;
		g_autofree char *v = NULL, *w = NULL;

		grammar_result_field(fields, i, &name, &value, NULL);
		/* An optional field left out stays as recorded. */
		if (value == NULL || *value == '\0')
			continue;
		was = case_record_field(c, name);
		if (was != NULL && strcmp(was, value) == 0)
			continue;
		v = reprocess_one_line(value);
		w = reprocess_one_line(was ? was : "");
		if (details->len > 0)
			g_string_append(details, "; ");
		if (g_hash_table_contains(staff, name)) {
			g_string_append_printf(details, "%s: kept %s (set by "
			    "staff; the convention now reads %s)", name, w, v);
			continue;
		}
		g_string_append_printf(details, "%s: %s -> %s", name,
		    was ? w : "(none)", v);
		json_object_set_string_member(changes, name, value);
	}
	if (json_object_get_size(changes) == 0) {
		printf("%s\tunchanged\t%s\n", receipt, details->str);
		goto out;
	}
	r.receipt = c->receipt;
	r.action = case_review_action_name(REVIEW_REPROCESS);
	r.status = c->status;
	r.reason = "按修改后的活动文件重新识别命名";
	r.reviewer = REPROCESS_REVIEWER;
	decision_set_fields(campaign, c, changes, &r, &changes_json,
	    &fields_json);
	if ((ret = decision_commit(s, c, &r, changes, NULL, NULL,
	    &error)) != EX_OK) {
		fprintf(stderr, "subgate: %s\n", error);
		goto out;
	}
	printf("%s\tupdated\t%s\n", receipt, details->str);
	g_hash_table_add(touched, (gpointer)campaign);
out:
	if (details != NULL)
		g_string_free(details, TRUE);
	if (changes != NULL)
		json_object_unref(changes);
	if (staff != NULL)
		g_hash_table_unref(staff);
	grammar_result_free(&fields);
	if (cases != NULL)
		g_ptr_array_unref(cases);
	return ret;
}

/* The worse of two exit statuses: a failure over a mismatch over OK. */
static int
reprocess_worse(int a, int b)
{
	if (a == EX_OK || (a == 1 && b != EX_OK))
		return b;
	return a;
}

/* The index of every campaign a run touched, every page of it: a case
 * made again or split may list other files, which the rows' fingerprint
 * does not cover.  Frees touched. */
static void
reprocess_indexes(struct cli_state *s, GHashTable *touched)
{
	GHashTableIter it;
	gpointer campaign;

	g_hash_table_iter_init(&it, touched);
	while (g_hash_table_iter_next(&it, &campaign, NULL)) {
		g_autofree char *error = NULL;

		if (htmlindex_write(s->config->store_dir, s->db, campaign,
		    true, &error) < 0)
			log_warnx("%s: index not updated: %s",
			    campaign_id(campaign), error);
	}
	g_hash_table_unref(touched);
}

static int
reprocess_cases(const char *config_path, const char *store_dir,
    const char *database, char *const *receipts, size_t count)
{
	struct cli_state s = { 0 };
	GHashTable *touched;
	size_t i;
	int ret = EX_OK, r;

	if (cli_open(config_path, store_dir, database, &s, &ret) < 0)
		return ret;
	touched = g_hash_table_new(g_direct_hash, g_direct_equal);
	for (i = 0; i < count; i++) {
		r = reprocess_case(&s, receipts[i], touched);
		ret = reprocess_worse(ret, r);
		/* The database itself failing stops the run. */
		if (r == EX_TEMPFAIL)
			break;
	}
	fflush(stdout);
	reprocess_indexes(&s, touched);
	cli_close(&s);
	return ret;
}

/* ---- --split ---- */

/* The works of the split mail, for its report line. */
struct split_report {
	const char *kept;		/* the case split, or NULL */
	GString *details;
	unsigned count;
};

static int
split_report_work(const struct db_message_work *w, void *ctx)
{
	struct split_report *sr = ctx;
	g_autofree char *title = reprocess_one_line(w->title ? w->title : "");

	g_string_append_printf(sr->details, "%s%u 《%s》 ", sr->count ? "; " :
	    "", w->pos, title);
	if (w->receipt == NULL)
		g_string_append_printf(sr->details, "not filed (%s)",
		    w->outcome);
	else
		g_string_append_printf(sr->details, "%s%s", w->receipt,
		    g_strcmp0(w->receipt, sr->kept) == 0 ? " (kept)" : "");
	sr->count++;
	return 0;
}

/*
 * One case split into its works.  Returns an exit status: EX_OK (split,
 * or one work recorded), 1 (left as it was: its works were on record, or
 * the mail cannot be read as works now), else the error's.
 */
static int
reprocess_split_case(struct cli_state *s, struct store *store,
    struct ingest *ingest, const char *receipt, GHashTable *touched)
{
	const struct campaign *campaign;
	struct case_record *c;
	struct ingest_result res = { 0 };
	struct split_report sr = { .kept = receipt };
	g_autofree char *error = NULL, *why = NULL;
	GPtrArray *cases = NULL;
	int64_t row = 0;
	int ret, r;

	if ((ret = cli_find_case(s, receipt, &cases, &c, &campaign)) != EX_OK)
		return ret;
	g_ptr_array_unref(cases);
	sr.details = g_string_new(NULL);
	r = reprocess_split(s->db, store, ingest, campaign, receipt, &row,
	    &res, &error);
	if (r < 0) {
		fprintf(stderr, "subgate: %s: %s\n", receipt, error);
		ret = EX_TEMPFAIL;
	} else if (r == 0) {
		sr.kept = NULL;
		if (db_message_works(s->db, 0, receipt, split_report_work, &sr,
		    &error) < 0)
			ret = EX_TEMPFAIL;
		printf("%s\tnothing-to-split\tits mail's %u works are on "
		    "record: %s\n", receipt, sr.count, sr.details->str);
		ret = ret == EX_OK ? 1 : ret;
	} else if (res.outcome != OUTCOME_ACCEPTED) {
		why = reprocess_one_line(res.reason ? res.reason : "");
		printf("%s\tnot-split\t%s\n", receipt, why);
		ret = 1;
	} else if (db_message_works(s->db, row, NULL, split_report_work, &sr,
	    &error) < 0) {
		fprintf(stderr, "subgate: %s: %s\n", receipt, error);
		ret = EX_TEMPFAIL;
	} else if (sr.count == 1) {
		printf("%s\tone-work\t1 work, nothing to split\n", receipt);
	} else {
		printf("%s\tsplit\t%u works: %s\n", receipt, sr.count,
		    sr.details->str);
		g_hash_table_add(touched, (gpointer)campaign);
	}
	ingest_result_clear(&res);
	g_string_free(sr.details, TRUE);
	return ret;
}

static int
reprocess_split_cases(const struct cli_opts *o, char *const *receipts,
    size_t count)
{
	struct cli_state s = { 0 };
	struct store *store = NULL;
	struct ingest *ingest = NULL;
	GHashTable *touched;
	size_t i;
	int ret = EX_OK, r;

	if ((s.config = config_load_cli(o->config, o->store,
	    o->database)) == NULL)
		return EX_CONFIG;
	if (cli_open_pipeline(s.config, &store, &s.db, &ingest) < 0) {
		cli_close_pipeline(&store, &s.db, &ingest);
		config_free(&s.config);
		return EX_TEMPFAIL;
	}
	touched = g_hash_table_new(g_direct_hash, g_direct_equal);
	for (i = 0; i < count; i++) {
		r = reprocess_split_case(&s, store, ingest, receipts[i],
		    touched);
		ret = reprocess_worse(ret, r);
		if (r == EX_TEMPFAIL)
			break;
	}
	fflush(stdout);
	reprocess_indexes(&s, touched);
	cli_close_pipeline(&store, &s.db, &ingest);
	config_free(&s.config);
	return ret;
}

static void
reprocess_report(const char *file, const struct ingest_result *res,
    void *ctx)
{
	(void)ctx;
	cli_print_result(file, res);
}

int
cmd_reprocess(int argc, char **argv)
{
	struct cli_opts o = { 0 };
	struct config *config;
	struct store *store = NULL;
	struct db *db = NULL;
	struct ingest *ingest = NULL;
	g_autofree char *error = NULL;
	enum outcome outcome;
	int first, ret = EX_OK;
	size_t i;

	if ((first = cli_parse_opts(argc, argv, &o)) < 0)
		return first == -2 ? EX_OK : EX_USAGE;
	if (o.split) {
		if (first == argc || o.status != NULL || o.campaign != NULL) {
			fprintf(stderr, "%s", cli_command_usage("reprocess"));
			return EX_USAGE;
		}
		return reprocess_split_cases(&o, argv + first,
		    (size_t)(argc - first));
	}
	/* Receipts name cases; --status names mail that made none. */
	if (first < argc && o.status == NULL && o.campaign == NULL)
		return reprocess_cases(o.config, o.store, o.database,
		    argv + first, (size_t)(argc - first));
	/* Mail that made no case and may make one once the campaign is
	 * fixed; a duplicate, an ignored, an accepted one or a question
	 * (no files: staff answer it) never. */
	if (o.status == NULL || first != argc ||
	    outcome_parse(o.status, &outcome) < 0 ||
	    outcome == OUTCOME_ACCEPTED || outcome == OUTCOME_DUPLICATE ||
	    outcome == OUTCOME_IGNORED || outcome == OUTCOME_TOO_LARGE ||
	    outcome == OUTCOME_QUESTION) {
		fprintf(stderr, "%s", cli_command_usage("reprocess"));
		return EX_USAGE;
	}
	if ((config = config_load_cli(o.config, o.store, o.database)) == NULL)
		return EX_CONFIG;
	if (o.campaign != NULL && config_campaign_find(config, o.campaign) ==
	    NULL) {
		fprintf(stderr, "subgate: no campaign \"%s\" in %s\n",
		    o.campaign, config->path);
		config_free(&config);
		return EX_USAGE;
	}
	if (cli_open_pipeline(config, &store, &db, &ingest) < 0) {
		cli_close_pipeline(&store, &db, &ingest);
		config_free(&config);
		return EX_TEMPFAIL;
	}
	if (reprocess_outcome(config, db, store, ingest, o.campaign, o.status,
	    reprocess_report, NULL, &error) < 0) {
		log_warnx("reprocess: %s", error);
		ret = EX_TEMPFAIL;
	}
	for (i = 0; i < config->campaign_count; i++)
		if (o.campaign == NULL ||
		    strcmp(o.campaign, campaign_id(config->campaigns[i])) == 0)
			htmlindex_refresh(config->store_dir, db,
			    config->campaigns[i]);
	cli_close_pipeline(&store, &db, &ingest);
	config_free(&config);
	return ret;
}
