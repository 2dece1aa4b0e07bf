/*
 * ingest: saved messages (files or a Maildir) through the pipeline as if
 * fetched, one result line (or JSON object) per message.
 */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include <glib.h>

#include "campaign.h"
#include "cli.h"
#include "config.h"
#include "config_file.h"
#include "htmlindex.h"
#include "ingest.h"
#include "json.h"
#include "log.h"
#include "store.h"

/* "YYYY-MM-DD HH:MM[:SS]" (or ISO 8601) in tz, to a Unix time. */
static int
arrival_parse(const char *text, GTimeZone *tz, time_t *time_r)
{
	g_autofree char *iso = g_strdup(text);
	g_autoptr(GDateTime) dt = NULL;
	char *space = strchr(iso, ' ');

	if (space != NULL)
		*space = 'T';
	if (strlen(iso) == 16) {	/* no seconds */
		char *full = g_strconcat(iso, ":00", NULL);

		g_free(iso);
		iso = full;
	}
	dt = g_date_time_new_from_iso8601(iso, tz);
	if (dt == NULL)
		return -1;
	*time_r = (time_t)g_date_time_to_unix(dt);
	return 0;
}

static gint
maildir_compare(gconstpointer a, gconstpointer b)
{
	g_autofree char *x = g_path_get_basename(*(char *const *)a);
	g_autofree char *y = g_path_get_basename(*(char *const *)b);

	return strcmp(x, y);
}

/* The messages of a Maildir (new/ and cur/), oldest name first: Maildir
 * names start with the delivery time. */
static int
maildir_files(const char *dir, GPtrArray *files, char **error_r)
{
	static const char *const subdirs[] = { "new", "cur" };
	size_t i, found = 0;

	for (i = 0; i < G_N_ELEMENTS(subdirs); i++) {
		g_autofree char *sub = g_build_filename(dir, subdirs[i], NULL);
		GDir *d = g_dir_open(sub, 0, NULL);
		const char *name;

		if (d == NULL)
			continue;
		found++;
		while ((name = g_dir_read_name(d)) != NULL)
			if (name[0] != '.')
				g_ptr_array_add(files,
				    g_build_filename(sub, name, NULL));
		g_dir_close(d);
	}
	if (found == 0) {
		*error_r = g_strdup_printf("%s is not a Maildir (no new/ or cur/)",
		    dir);
		return -1;
	}
	g_ptr_array_sort(files, maildir_compare);
	return 0;
}

/* One line per message, or (store given) one JSON object with the case
 * folder's full path. */
static void
ingest_print_result(const char *file, const struct ingest_result *res,
    const struct store *store)
{
	if (store != NULL) {
		GString *j = g_string_new("{");

		json_append_key(j, "file", 1);
		json_append_string(j, file);
		json_append_key(j, "outcome", 0);
		json_append_string(j, outcome_name(res->outcome));
		json_append_key(j, "receipt", 0);
		json_append_string(j, res->receipt);
		json_append_key(j, "reason", 0);
		json_append_string(j, res->reason);
		json_append_key(j, "case_dir", 0);
		if (res->case_dir != NULL) {
			g_autofree char *full = g_build_filename(
			    store_dir(store), res->case_dir, NULL);

			json_append_string(j, full);
		} else {
			json_append_string(j, NULL);
		}
		g_string_append_c(j, '}');
		puts(j->str);
		g_string_free(j, TRUE);
	} else {
		cli_print_result(file, res);
	}
}

int
cmd_ingest(int argc, char **argv)
{
	struct cli_opts o = { 0 };
	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
	time_t arrival = 0;
	const struct campaign *campaign;
	struct config *config;
	struct store *store = NULL;
	struct db *db = NULL;
	struct ingest *ingest = NULL;
	int first, i, ret = EX_OK;

	if ((first = cli_parse_opts(argc, argv, &o)) < 0)
		return first == -2 ? EX_OK : EX_USAGE;
	if ((first >= argc) == (o.maildir == NULL)) {
		fprintf(stderr, "subgate ingest: give message files or "
		    "--maildir DIR, not both\n");
		return EX_USAGE;
	}
	if (o.maildir != NULL) {
		g_autofree char *error = NULL;

		if (maildir_files(o.maildir, files, &error) < 0) {
			fprintf(stderr, "subgate ingest: %s\n", error);
			return EX_NOINPUT;
		}
	} else {
		for (i = first; i < argc; i++)
			g_ptr_array_add(files, g_strdup(argv[i]));
	}
	if ((config = config_load_cli(o.config, o.store, o.database)) == NULL)
		return EX_CONFIG;
	if ((campaign = config_campaign_pick(config, o.campaign)) == NULL) {
		config_free(&config);
		return EX_USAGE;
	}
	if (o.arrival != NULL &&
	    arrival_parse(o.arrival, campaign_timezone(campaign), &arrival) < 0) {
		fprintf(stderr, "subgate ingest: --arrival \"%s\" is not a time "
		    "(YYYY-MM-DD HH:MM[:SS], in the campaign's time zone)\n",
		    o.arrival);
		config_free(&config);
		return EX_USAGE;
	}
	if (cli_open_pipeline(config, &store, &db, &ingest) < 0) {
		cli_close_pipeline(&store, &db, &ingest);
		config_free(&config);
		return EX_TEMPFAIL;
	}
	for (i = 0; i < (int)files->len; i++) {
		const char *file = files->pdata[i];
		struct ingest_source source = { .arrival = arrival };
		struct ingest_result res = { 0 };
		g_autofree char *error = NULL;

		if (ingest_message(ingest, campaign, file, &source, &res,
		    &error) < 0) {
			log_warnx("%s", error);
			printf("%s\tfailed\t-\t%s\n", file, error);
			ret = EX_TEMPFAIL;
			continue;
		}
		ingest_print_result(file, &res, o.json ? store : NULL);
		ingest_result_clear(&res);
	}
	htmlindex_refresh(config->store_dir, db, campaign);
	cli_close_pipeline(&store, &db, &ingest);
	config_free(&config);
	return ret;
}
