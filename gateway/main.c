/*
 * subgate: the command line.  Each command is a thin shell around the
 * stages: it loads the configuration, opens what it needs, calls into the
 * modules and turns their results into output and an exit code
 * (sysexits.h; parse-subject uses 0/1/2 so scripts can test a subject).
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include <curl/curl.h>
#include <glib.h>
#include <gmime/gmime.h>

#include "campaign.h"
#include "cases.h"
#include "config.h"
#include "config_file.h"
#include "db.h"
#include "grammar.h"
#include "htmlindex.h"
#include "ingest.h"
#include "json.h"
#include "log.h"
#include "outbox.h"
#include "poll.h"
#include "reprocess.h"
#include "store.h"

#define SUBGATE_VERSION		"0.1"
/* Longest pause between cycles after repeated failures. */
#define RUN_MAX_BACKOFF		600

static volatile sig_atomic_t main_stop;

static const char main_usage[] =
"usage: subgate COMMAND [options]\n"
"\n"
"commands:\n"
"  once -c CONFIG            fetch, ingest and reply once, then exit\n"
"  run -c CONFIG             the same, continuously: waits with IDLE where the\n"
"                            server has it, else every poll_interval seconds\n"
"  ingest -c CONFIG [--campaign ID] [--store DIR] [--database FILE] [--json]\n"
"         [--arrival TIME] FILE.eml... | --maildir DIR\n"
"                            run saved messages through the pipeline\n"
"  reprocess -c CONFIG [--campaign ID] --status OUTCOME | RECEIPT...\n"
"                            judge again the mail that made no case (rejected,\n"
"                            late, over-quota, frozen, failed) after a campaign fix,\n"
"                            or the fields of the cases named\n"
"  check-config -c CONFIG    validate the configuration and campaigns\n"
"  parse-subject -c CONFIG [--campaign ID] [--file-name] [--json] TEXT\n"
"                            test a subject (or file name) against a convention\n"
"  outbox list|show|send -c CONFIG [--json] [--now] [ID]\n"
"                            the replies: list them, print one as sent,\n"
"                            deliver queued ones now\n"
"  cases list|show|export|index|accept|reject -c CONFIG ...\n"
"                            browse, export and decide on cases (staff)\n"
"  stats -c CONFIG [--campaign ID]\n"
"                            counts per category, unit, reason and reply\n"
"\n"
"CONFIG is the main configuration (subgate.conf(5)) or one campaign file\n"
"(subgate.campaign(5)).  --store and --database override the configured paths.\n"
"subgate COMMAND --help prints the usage of one command.\n";

#define MAIN_USAGE_CONFIG \
"\n" \
"CONFIG is the main configuration (subgate.conf(5)) or one campaign file\n" \
"(subgate.campaign(5)).  --store DIR and --database FILE override the\n" \
"configured paths.\n"

/* Each command's own usage, for `subgate COMMAND --help` and its usage
 * errors; cases, stats and outbox have theirs in their modules. */
static const struct {
	const char *command;
	const char *usage;
} main_command_usages[] = {
	{ "once",
"usage: subgate once -c CONFIG [--store DIR] [--database FILE]\n"
"\n"
"Fetch new mail from every campaign's folder, file and answer it, send the\n"
"replies that are due, then exit.\n" MAIN_USAGE_CONFIG },
	{ "run",
"usage: subgate run -c CONFIG [--store DIR] [--database FILE]\n"
"\n"
"Like once, again and again: wait for new mail with IDLE where the server\n"
"has it, else poll every poll_interval seconds; reconnect with backoff.\n"
"SIGTERM or SIGINT stops it.\n" MAIN_USAGE_CONFIG },
	{ "ingest",
"usage: subgate ingest -c CONFIG [--campaign ID] [--store DIR] [--database FILE]\n"
"                      [--json] [--arrival TIME] FILE.eml...\n"
"       subgate ingest -c CONFIG [--campaign ID] [--store DIR] [--database FILE]\n"
"                      [--json] [--arrival TIME] --maildir DIR\n"
"\n"
"Run saved messages through the pipeline as if fetched: judge, file, queue\n"
"the reply.  --campaign is needed when CONFIG has several campaigns.\n"
"--arrival \"YYYY-MM-DD HH:MM[:SS]\" (the campaign's time zone) is the time\n"
"the window is judged by.  --json prints one JSON object per message.\n"
	    MAIN_USAGE_CONFIG },
	{ "reprocess",
"usage: subgate reprocess -c CONFIG [--campaign ID] [--store DIR]\n"
"                         [--database FILE]\n"
"                         --status rejected|late|over-quota|frozen|failed\n"
"       subgate reprocess -c CONFIG [--store DIR] [--database FILE] RECEIPT...\n"
"\n"
"Judge again, after the campaign file was fixed, the mail that made no\n"
"case with that outcome; or, given receipts, the naming convention of\n"
"those cases: fields that now read differently are corrected in the\n"
"database and case.json (fields staff set are kept).  One line per case:\n"
"RECEIPT, updated|unchanged|no-match, details.  Exit 1 when a case no\n"
"longer meets the convention (it is left as it was), 65 for an unknown\n"
"receipt.\n" MAIN_USAGE_CONFIG },
	{ "check-config",
"usage: subgate check-config -c CONFIG\n"
"\n"
"Validate the configuration and every campaign, and print each campaign's\n"
"conventions with their patterns and examples.\n" MAIN_USAGE_CONFIG },
	{ "parse-subject",
"usage: subgate parse-subject -c CONFIG [--campaign ID] [--file-name] [--json]\n"
"                             TEXT\n"
"\n"
"Match TEXT against the campaign's subject convention (--file-name: its\n"
"file-name convention).  Exit 0 and print FIELD=VALUE lines on a match, 1\n"
"and the correction mail's diagnostics otherwise, 2 on a usage or\n"
"configuration error.\n" MAIN_USAGE_CONFIG },
};

/* The usage of the command named cmd, or the general one. */
static const char *
main_command_usage(const char *cmd)
{
	size_t i;

	for (i = 0; cmd != NULL && i < G_N_ELEMENTS(main_command_usages); i++)
		if (strcmp(cmd, main_command_usages[i].command) == 0)
			return main_command_usages[i].usage;
	return main_usage;
}

struct main_opts {
	const char *config;
	const char *campaign;
	const char *store;
	const char *database;
	bool json;
	bool file_name;
	const char *arrival;
	const char *maildir;
	const char *status;
	bool verbose;
};

enum { OPT_CAMPAIGN = 256, OPT_STORE, OPT_DATABASE, OPT_JSON, OPT_FILE_NAME,
    OPT_ARRIVAL, OPT_MAILDIR, OPT_STATUS };

static const struct option main_long[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "campaign", required_argument, NULL, OPT_CAMPAIGN },
	{ "store", required_argument, NULL, OPT_STORE },
	{ "database", required_argument, NULL, OPT_DATABASE },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "file-name", no_argument, NULL, OPT_FILE_NAME },
	{ "arrival", required_argument, NULL, OPT_ARRIVAL },
	{ "maildir", required_argument, NULL, OPT_MAILDIR },
	{ "status", required_argument, NULL, OPT_STATUS },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Parses options after the command name (argv[0]); returns the index of
 * the first operand, or -1 after printing usage (help: -2). */
static int
main_parse_opts(int argc, char **argv, struct main_opts *o)
{
	int ch;

	optind = 1;
	/* getopt would name the command without "subgate". */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "c:vh", main_long, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->config = optarg;
			break;
		case OPT_CAMPAIGN:
			o->campaign = optarg;
			break;
		case OPT_STORE:
			o->store = optarg;
			break;
		case OPT_DATABASE:
			o->database = optarg;
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_FILE_NAME:
			o->file_name = true;
			break;
		case OPT_ARRIVAL:
			o->arrival = optarg;
			break;
		case OPT_MAILDIR:
			o->maildir = optarg;
			break;
		case OPT_STATUS:
			o->status = optarg;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			fputs(main_command_usage(argv[0]), stdout);
			return -2;
		default:
			fprintf(stderr, "subgate %s: unknown option or missing "
			    "argument: %s\n", argv[0], argv[optind - 1]);
			fputs(main_command_usage(argv[0]), stderr);
			return -1;
		}
	}
	if (o->config == NULL) {
		fprintf(stderr, "subgate %s: -c CONFIG is required\n%s",
		    argv[0], main_command_usage(argv[0]));
		return -1;
	}
	return optind;
}

static int
main_is_committed(const char *relpath, void *ctx, char **error_r)
{
	return db_case_dir_exists(ctx, relpath, error_r);
}

/* Opens the store and database and cleans up after an interrupted run. */
static int
main_open_state(const struct config *config, struct store **store_r,
    struct db **db_r, struct ingest **ingest_r)
{
	g_autofree char *error = NULL;

	umask((mode_t)config->umask);
	if (store_open(config->store_dir, store_r, &error) < 0 ||
	    db_open(config->database, db_r, &error) < 0 ||
	    store_recover(*store_r, main_is_committed, *db_r, &error) < 0 ||
	    ingest_new(config, *store_r, *db_r, ingest_r, &error) < 0) {
		log_warnx("%s", error);
		return -1;
	}
	return 0;
}

static void
main_close_state(struct store **store, struct db **db, struct ingest **ingest)
{
	ingest_free(ingest);
	db_close(db);
	store_close(store);
}

static void
main_on_signal(int sig)
{
	(void)sig;
	main_stop = 1;
}

static int
cmd_cycle(int argc, char **argv, bool loop)
{
	struct main_opts o = { 0 };
	struct config *config;
	struct store *store = NULL;
	struct db *db = NULL;
	struct ingest *ingest = NULL;
	struct imap *imap = NULL;
	/* First pause after a failure, doubled at each further one. */
	const unsigned first_retry = 2;
	unsigned failures = 0;
	int ret = EX_OK, r;

	if ((r = main_parse_opts(argc, argv, &o)) < 0)
		return r == -2 ? EX_OK : EX_USAGE;
	if ((config = config_load_cli(o.config, o.store, o.database)) == NULL)
		return EX_CONFIG;
	if (main_open_state(config, &store, &db, &ingest) < 0) {
		main_close_state(&store, &db, &ingest);
		config_free(&config);
		return EX_TEMPFAIL;
	}
	poll_set_stop(&main_stop);
	signal(SIGTERM, main_on_signal);
	signal(SIGINT, main_on_signal);
	signal(SIGPIPE, SIG_IGN);
	do {
		struct poll_stats stats;
		g_autofree char *error = NULL;
		unsigned backoff;
		int cycle;

		/* `run` keeps the IMAP connection between cycles to wait on
		 * it with IDLE. */
		cycle = poll_cycle(config, db, store, ingest,
		    loop ? &imap : NULL, &stats, &error);
		if (cycle < 0) {
			log_warnx("cycle failed: %s", error);
			ret = EX_TEMPFAIL;
			failures++;
			/* Not kept through a backoff the server would
			 * time out. */
			poll_disconnect(&imap);
		} else {
			ret = EX_OK;
		}
		log_info("cycle: %u fetched, %u accepted, %u rejected, "
		    "%u other, %u replies sent, %u deferred", stats.fetched,
		    stats.accepted, stats.rejected, stats.other,
		    stats.replies_sent, stats.replies_deferred);
		if (!loop || main_stop)
			break;
		if (cycle == 0) {
			g_clear_pointer(&error, g_free);
			r = poll_wait(config, db, &imap,
			    (unsigned)config->poll_interval, &main_stop, &error);
			if (r < 0) {
				/* The connection broke: reconnect soon, but a
				 * server that drops every IDLE must not make
				 * us spin. */
				log_warnx("waiting for mail: %s", error);
				failures++;
			} else {
				failures = 0;
			}
		}
		if (failures == 0 || main_stop)
			continue;
		/* Exponential backoff with jitter (a random pause between half
		 * and all of it), so that many gateways cut off together do
		 * not all come back in the same second. */
		backoff = MIN((unsigned)RUN_MAX_BACKOFF,
		    first_retry << MIN(failures - 1, 10u));
		if (cycle == 0)
			backoff = MIN(backoff, (unsigned)config->poll_interval);
		backoff = backoff / 2 + (unsigned)g_random_int_range(0,
		    (gint32)(backoff - backoff / 2) + 1);
		log_info("next attempt in %u s", backoff);
		while (!main_stop && backoff-- > 0)
			sleep(1);
	} while (loop && !main_stop);
	poll_disconnect(&imap);
	main_close_state(&store, &db, &ingest);
	config_free(&config);
	return ret;
}

/* "YYYY-MM-DD HH:MM[:SS]" (or ISO 8601) in tz, to a Unix time. */
static int
main_parse_time(const char *text, GTimeZone *tz, time_t *time_r)
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
main_compare_basename(gconstpointer a, gconstpointer b)
{
	g_autofree char *x = g_path_get_basename(*(char *const *)a);
	g_autofree char *y = g_path_get_basename(*(char *const *)b);

	return strcmp(x, y);
}

/* The messages of a Maildir (new/ and cur/), oldest name first: Maildir
 * names start with the delivery time. */
static int
main_maildir_files(const char *dir, GPtrArray *files, char **error_r)
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
	g_ptr_array_sort(files, main_compare_basename);
	return 0;
}

static int
cmd_ingest(int argc, char **argv)
{
	struct main_opts o = { 0 };
	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
	time_t arrival = 0;
	const struct campaign *campaign;
	struct config *config;
	struct store *store = NULL;
	struct db *db = NULL;
	struct ingest *ingest = NULL;
	int first, i, ret = EX_OK;

	if ((first = main_parse_opts(argc, argv, &o)) < 0)
		return first == -2 ? EX_OK : EX_USAGE;
	if ((first >= argc) == (o.maildir == NULL)) {
		fprintf(stderr, "subgate ingest: give message files or "
		    "--maildir DIR, not both\n");
		return EX_USAGE;
	}
	if (o.maildir != NULL) {
		g_autofree char *error = NULL;

		if (main_maildir_files(o.maildir, files, &error) < 0) {
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
	    main_parse_time(o.arrival, campaign_timezone(campaign), &arrival) < 0) {
		fprintf(stderr, "subgate ingest: --arrival \"%s\" is not a time "
		    "(YYYY-MM-DD HH:MM[:SS], in the campaign's time zone)\n",
		    o.arrival);
		config_free(&config);
		return EX_USAGE;
	}
	if (main_open_state(config, &store, &db, &ingest) < 0) {
		main_close_state(&store, &db, &ingest);
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
		if (o.json) {
			GString *j = g_string_new("{");

			json_append_key(j, "file", 1);
			json_append_string(j, file);
			json_append_key(j, "outcome", 0);
			json_append_string(j, res.outcome);
			json_append_key(j, "receipt", 0);
			json_append_string(j, res.receipt);
			json_append_key(j, "reason", 0);
			json_append_string(j, res.reason);
			json_append_key(j, "case_dir", 0);
			if (res.case_dir != NULL) {
				g_autofree char *full = g_build_filename(
				    store_dir(store), res.case_dir, NULL);

				json_append_string(j, full);
			} else {
				json_append_string(j, NULL);
			}
			g_string_append_c(j, '}');
			puts(j->str);
			g_string_free(j, TRUE);
		} else {
			/* One line per message: a multi-line reason (the
			 * diagnostics of a correction) is joined. */
			g_autofree char *reason = g_strdup(res.reason ?
			    res.reason : "");

			g_strdelimit(reason, "\r\n\t", ' ');
			printf("%s\t%s\t%s\t%s\n", file, res.outcome,
			    res.receipt ? res.receipt : "-", reason);
		}
		ingest_result_clear(&res);
	}
	htmlindex_refresh(config->store_dir, db, campaign);
	main_close_state(&store, &db, &ingest);
	config_free(&config);
	return ret;
}

static void
main_report_reprocessed(const char *file, const struct ingest_result *res,
    void *ctx)
{
	g_autofree char *reason = g_strdup(res->reason ? res->reason : "");

	(void)ctx;
	g_strdelimit(reason, "\r\n\t", ' ');
	printf("%s\t%s\t%s\t%s\n", file, res->outcome,
	    res->receipt ? res->receipt : "-", reason);
}

static int
cmd_reprocess(int argc, char **argv)
{
	static const char *const outcomes[] = { "rejected", "late",
	    "over-quota", "frozen", "failed", NULL };
	struct main_opts o = { 0 };
	struct config *config;
	struct store *store = NULL;
	struct db *db = NULL;
	struct ingest *ingest = NULL;
	g_autofree char *error = NULL;
	int first, ret = EX_OK;
	size_t i;

	if ((first = main_parse_opts(argc, argv, &o)) < 0)
		return first == -2 ? EX_OK : EX_USAGE;
	/* Receipts name cases; --status names mail that made none. */
	if (first < argc && o.status == NULL && o.campaign == NULL)
		return cases_reprocess(o.config, o.store, o.database,
		    argv + first, (size_t)(argc - first));
	if (o.status == NULL || first != argc ||
	    !g_strv_contains(outcomes, o.status)) {
		fprintf(stderr, "%s", main_command_usage("reprocess"));
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
	if (main_open_state(config, &store, &db, &ingest) < 0) {
		main_close_state(&store, &db, &ingest);
		config_free(&config);
		return EX_TEMPFAIL;
	}
	if (reprocess_outcome(config, db, store, ingest, o.campaign, o.status,
	    main_report_reprocessed, NULL, &error) < 0) {
		log_warnx("reprocess: %s", error);
		ret = EX_TEMPFAIL;
	}
	for (i = 0; i < config->campaign_count; i++)
		if (o.campaign == NULL ||
		    strcmp(o.campaign, campaign_id(config->campaigns[i])) == 0)
			htmlindex_refresh(config->store_dir, db,
			    config->campaigns[i]);
	main_close_state(&store, &db, &ingest);
	config_free(&config);
	return ret;
}

static void
main_print_grammar(const char *label, const struct grammar *g)
{
	unsigned n;

	if (g == NULL)
		return;
	{
		/* The format runs over several lines (one per field). */
		g_auto(GStrv) lines = g_strsplit(grammar_format(g), "\n", -1);
		size_t i;

		printf("  %s: %s\n", label, lines[0]);
		for (i = 1; lines[i] != NULL; i++)
			if (*lines[i] != '\0')
				printf("    %s\n", lines[i]);
	}
	printf("    pattern: %s\n", grammar_pattern(g));
	for (n = 0; n < 2; n++) {
		g_autofree char *ex = grammar_example(g, n);

		printf("    example: %s\n", ex);
	}
}

static int
cmd_check_config(int argc, char **argv)
{
	struct main_opts o = { 0 };
	struct config *config;
	size_t i;
	int r;

	if ((r = main_parse_opts(argc, argv, &o)) < 0)
		return r == -2 ? EX_OK : EX_USAGE;
	if ((config = config_load_cli(o.config, o.store, o.database)) == NULL)
		return EX_CONFIG;
	printf("%s: OK, %zu campaign%s\n", config->path,
	    config->campaign_count, config->campaign_count == 1 ? "" : "s");
	for (i = 0; i < config->campaign_count; i++) {
		const struct campaign *c = config->campaigns[i];

		printf("campaign %s (%s), folder %s\n", campaign_id(c),
		    campaign_name(c), campaign_folder(c));
		main_print_grammar("subject",
		    campaign_grammar(c, GRAMMAR_SUBJECT));
		main_print_grammar("file name",
		    campaign_grammar(c, GRAMMAR_FILENAME));
	}
	config_free(&config);
	return EX_OK;
}

static int
cmd_parse_subject(int argc, char **argv)
{
	struct main_opts o = { 0 };
	const struct campaign *campaign;
	const struct grammar *g;
	struct grammar_result *res = NULL;
	struct config *config;
	g_autofree char *error = NULL;
	int first, r;
	size_t i, n;

	if ((first = main_parse_opts(argc, argv, &o)) < 0)
		return first == -2 ? 0 : 2;
	if (first != argc - 1) {
		fprintf(stderr, "subgate parse-subject: give exactly one TEXT\n");
		return 2;
	}
	if ((config = config_load_cli(o.config, o.store, o.database)) == NULL)
		return 2;
	if ((campaign = config_campaign_pick(config, o.campaign)) == NULL) {
		config_free(&config);
		return 2;
	}
	g = campaign_grammar(campaign, o.file_name ? GRAMMAR_FILENAME :
	    GRAMMAR_SUBJECT);
	if (g == NULL) {
		fprintf(stderr, "subgate: campaign %s has no %s convention\n",
		    campaign_id(campaign), o.file_name ? "file-name" : "subject");
		config_free(&config);
		return 2;
	}
	r = grammar_match(g, argv[first], &res, &error);
	if (r < 0) {
		fprintf(stderr, "subgate: %s\n", error);
		config_free(&config);
		return 2;
	}
	n = grammar_result_field_count(res);
	if (o.json) {
		GString *j = g_string_new("{");

		json_append_key(j, "match", 1);
		g_string_append(j, r > 0 ? "true" : "false");
		json_append_key(j, "fields", 0);
		g_string_append_c(j, '{');
		for (i = 0; r > 0 && i < n; i++) {
			const char *name, *value, *orig;

			grammar_result_field(res, i, &name, &value, &orig);
			json_append_key(j, name, i == 0);
			json_append_string(j, value);
		}
		g_string_append_c(j, '}');
		json_append_key(j, "diagnostics", 0);
		g_string_append_c(j, '[');
		for (i = 0; i < grammar_result_diag_count(res); i++) {
			if (i > 0)
				g_string_append_c(j, ',');
			json_append_string(j, grammar_result_diag_code(res, i));
		}
		g_string_append_c(j, ']');
		json_append_key(j, "message", 0);
		json_append_string(j, r > 0 ? NULL :
		    grammar_result_diagnostics(res));
		g_string_append_c(j, '}');
		puts(j->str);
		g_string_free(j, TRUE);
	} else if (r > 0) {
		for (i = 0; i < n; i++) {
			const char *name, *value, *orig;

			grammar_result_field(res, i, &name, &value, &orig);
			printf("%s=%s\n", name, value);
		}
	} else {
		printf("%s\n", grammar_result_diagnostics(res));
	}
	grammar_result_free(&res);
	config_free(&config);
	return r > 0 ? 0 : 1;
}

static int
cmd_outbox(int argc, char **argv)
{
	return outbox_cmd(argc, argv);
}

int
main(int argc, char **argv)
{
	const char *cmd;
	int ret;

	log_init("subgate", getenv("SUBGATE_DEBUG") ? LOG_LEVEL_DEBUG :
	    LOG_LEVEL_INFO);
	if (argc < 2) {
		fputs(main_usage, stderr);
		return EX_USAGE;
	}
	cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
	    strcmp(cmd, "help") == 0) {
		fputs(main_usage, stdout);
		return EX_OK;
	}
	if (strcmp(cmd, "--version") == 0) {
		printf("subgate %s\n", SUBGATE_VERSION);
		return EX_OK;
	}
	g_mime_init();
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (strcmp(cmd, "once") == 0)
		ret = cmd_cycle(argc - 1, argv + 1, false);
	else if (strcmp(cmd, "run") == 0)
		ret = cmd_cycle(argc - 1, argv + 1, true);
	else if (strcmp(cmd, "reprocess") == 0)
		ret = cmd_reprocess(argc - 1, argv + 1);
	else if (strcmp(cmd, "ingest") == 0)
		ret = cmd_ingest(argc - 1, argv + 1);
	else if (strcmp(cmd, "check-config") == 0)
		ret = cmd_check_config(argc - 1, argv + 1);
	else if (strcmp(cmd, "parse-subject") == 0)
		ret = cmd_parse_subject(argc - 1, argv + 1);
	else if (strcmp(cmd, "outbox") == 0)
		ret = cmd_outbox(argc - 1, argv + 1);
	else if (strcmp(cmd, "cases") == 0)
		ret = cmd_cases(argc - 1, argv + 1);
	else if (strcmp(cmd, "stats") == 0)
		ret = cmd_stats(argc - 1, argv + 1);
	else {
		fprintf(stderr, "subgate: unknown command \"%s\"\n%s", cmd,
		    main_usage);
		ret = EX_USAGE;
	}
	curl_global_cleanup();
	g_mime_shutdown();
	return ret;
}
