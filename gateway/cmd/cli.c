/* cli: see include/cli.h. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>

#include <glib.h>

#include "campaign.h"
#include "case_record.h"
#include "cli.h"
#include "config.h"
#include "config_file.h"
#include "db.h"
#include "ingest.h"
#include "log.h"
#include "store.h"
#include "textcell.h"

const char cli_usage[] =
"usage: subgate COMMAND [options]\n"
"\n"
"commands:\n"
"  once -c CONFIG            fetch, ingest and reply once, then exit\n"
"  run -c CONFIG             the same, continuously: waits with IDLE where the\n"
"                            server has it, else every poll_interval seconds\n"
"  ingest -c CONFIG [--campaign ID] [--store DIR] [--database FILE] [--json]\n"
"         [--arrival TIME] FILE.eml... | --maildir DIR\n"
"                            run saved messages through the pipeline\n"
"  reprocess -c CONFIG [--campaign ID] --status OUTCOME | [--split] RECEIPT...\n"
"                            judge again the mail that made no case (rejected,\n"
"                            late, over-quota, frozen, failed) after a campaign fix,\n"
"                            or the fields of the cases named, or split them\n"
"                            into their works\n"
"  check-config -c CONFIG [--clamd]\n"
"                            validate the configuration and campaigns\n"
"  parse-subject -c CONFIG [--campaign ID] [--file-name] [--json] TEXT\n"
"                            test a subject (or file name) against a convention\n"
"  outbox list|show|send -c CONFIG [--json] [--now] [ID]\n"
"                            the replies: list them, print one as sent,\n"
"                            deliver queued ones now\n"
"  cases list|show|export|index|accept|reject|confirm|refuse -c CONFIG ...\n"
"                            browse, export and decide on cases (staff)\n"
"  stats -c CONFIG [--campaign ID]\n"
"                            counts per category, unit, reason and reply\n"
"  quarantine list -c CONFIG [--campaign ID] [--json]\n"
"                            the files the virus scanner found infected\n"
"  links list|fetch|mark -c CONFIG [--expiring] [RECEIPT[/POS]]\n"
"                            cloud attachment links: their state and expiry,\n"
"                            fetch one now, record one downloaded by hand\n"
"  questions list|done -c CONFIG [--campaign ID] [--json] [--open] [ID]\n"
"                            people's questions (replies without files)\n"
"  remind -c CONFIG [--campaign ID] [--dry-run]\n"
"                            remind the roster units that have sent nothing,\n"
"                            or less than their minimum, before the deadline\n"
"  summary -c CONFIG [--campaign ID] [--dry-run]\n"
"                            mail staff the day's summary\n"
"  fsck -c CONFIG [--repair] check that the store and the database agree,\n"
"                            and repair what can be without losing anything\n"
"  inspect [--json] FILE...  what files are by content; duration, resolution,\n"
"                            frame rate, bitrate and sound of video and audio\n"
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
} cli_command_usages[] = {
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
"       subgate reprocess -c CONFIG [--store DIR] [--database FILE] --split\n"
"                         RECEIPT...\n"
"\n"
"Judge again, after the campaign file was fixed, the mail that made no\n"
"case with that outcome; or, given receipts, the naming convention of\n"
"those cases: fields that now read differently are corrected in the\n"
"database and case.json (fields staff set are kept).  One line per case:\n"
"RECEIPT, updated|unchanged|no-match, details.  Exit 1 when a case no\n"
"longer meets the convention (it is left as it was), 65 for an unknown\n"
"receipt.\n"
"\n"
"--split: a case filed before a mail's works were recorded is read again\n"
"as works (per_mail = many): it keeps its receipt as its own work, the\n"
"others are judged and filed as new cases, and one receipt names them.\n"
"One line per case: RECEIPT, split|one-work|not-split|nothing-to-split,\n"
"details.  Exit 1 when a case was left as it was.\n" MAIN_USAGE_CONFIG },
	{ "check-config",
"usage: subgate check-config -c CONFIG [--clamd]\n"
"\n"
"Validate the configuration and every campaign, and print each campaign's\n"
"conventions with their patterns and examples.  --clamd also asks the\n"
"[clamd] scanner: a PING, then a stream of scan_max_bytes (the largest of\n"
"the campaigns that scan) that must come back clean, which proves clamd's\n"
"StreamMaxLength is large enough.  Exit 69 when clamd cannot be reached,\n"
"78 when its limits are too small.\n" MAIN_USAGE_CONFIG },
	{ "parse-subject",
"usage: subgate parse-subject -c CONFIG [--campaign ID] [--file-name] [--json]\n"
"                             TEXT\n"
"\n"
"Match TEXT against the campaign's subject convention (--file-name: its\n"
"file-name convention).  Exit 0 and print FIELD=VALUE lines on a match, 1\n"
"and the correction mail's diagnostics otherwise, 2 on a usage or\n"
"configuration error.\n" MAIN_USAGE_CONFIG },
};

const char *
cli_command_usage(const char *cmd)
{
	size_t i;

	for (i = 0; cmd != NULL && i < G_N_ELEMENTS(cli_command_usages); i++)
		if (strcmp(cmd, cli_command_usages[i].command) == 0)
			return cli_command_usages[i].usage;
	return cli_usage;
}


enum { OPT_CAMPAIGN = 256, OPT_STORE, OPT_DATABASE, OPT_JSON, OPT_FILE_NAME,
    OPT_ARRIVAL, OPT_MAILDIR, OPT_STATUS, OPT_CATEGORY, OPT_UNIT, OPT_SINCE,
    OPT_FORMAT, OPT_REASON, OPT_SET, OPT_NOTIFY, OPT_BATCH, OPT_ALL,
    OPT_SPLIT, OPT_CLAMD, OPT_LAYOUT };

static const struct option cli_long[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "campaign", required_argument, NULL, OPT_CAMPAIGN },
	{ "store", required_argument, NULL, OPT_STORE },
	{ "database", required_argument, NULL, OPT_DATABASE },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "file-name", no_argument, NULL, OPT_FILE_NAME },
	{ "arrival", required_argument, NULL, OPT_ARRIVAL },
	{ "maildir", required_argument, NULL, OPT_MAILDIR },
	{ "status", required_argument, NULL, OPT_STATUS },
	{ "split", no_argument, NULL, OPT_SPLIT },
	{ "clamd", no_argument, NULL, OPT_CLAMD },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int
cli_parse_opts(int argc, char **argv, struct cli_opts *o)
{
	int ch;

	optind = 1;
	/* getopt would name the command without "subgate". */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "c:vh", cli_long, NULL)) != -1) {
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
		case OPT_SPLIT:
			o->split = true;
			break;
		case OPT_CLAMD:
			o->clamd = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			fputs(cli_command_usage(argv[0]), stdout);
			return -2;
		default:
			fprintf(stderr, "subgate %s: unknown option or missing "
			    "argument: %s\n", argv[0], argv[optind - 1]);
			fputs(cli_command_usage(argv[0]), stderr);
			return -1;
		}
	}
	if (o->config == NULL) {
		fprintf(stderr, "subgate %s: -c CONFIG is required\n%s",
		    argv[0], cli_command_usage(argv[0]));
		return -1;
	}
	return optind;
}


/* 1: the case of this folder; STORE_CASE_ELSEWHERE: its receipt names a
 * case recorded at another path; 0: neither. */
static int
cli_is_committed(const char *relpath, void *ctx, char **error_r)
{
	const char *name = strrchr(relpath, '/');
	g_autofree char *receipt = NULL;
	const char *p;
	int r;

	if ((r = db_case_dir_exists(ctx, relpath, error_r)) != 0)
		return r;
	/* <PREFIX>-<NNNNN>[-title]: store_is_case_folder() said so. */
	name = name != NULL ? name + 1 : relpath;
	p = strchr(name, '-');
	if (p == NULL)
		return 0;
	for (p++; g_ascii_isdigit(*p); p++)
		;
	receipt = g_strndup(name, (gsize)(p - name));
	r = db_case_exists(ctx, receipt, error_r);
	return r > 0 ? STORE_CASE_ELSEWHERE : r;
}

/* The whole store is looked at only after a stop that was not clean, or
 * when the database is not the one the clean stop left. */
static int
cli_recover(struct store *store, struct db *db, char ***set_aside_r,
    char ***moved_r, char **error_r)
{
	const char *mark = store_clean_stamp(store);
	g_autofree char *stamp = NULL;
	bool walk = true;

	if (mark != NULL) {
		if (db_case_stamp(db, &stamp, error_r) < 0) {
			*set_aside_r = g_new0(char *, 1);
			*moved_r = g_new0(char *, 1);
			return -1;
		}
		walk = strcmp(mark, stamp) != 0;
	}
	return store_recover(store, walk, cli_is_committed, db, set_aside_r,
	    moved_r, error_r);
}

int
cli_open_pipeline(const struct config *config, struct store **store_r,
    struct db **db_r, struct ingest **ingest_r)
{
	g_autofree char *error = NULL;
	g_auto(GStrv) set_aside = NULL;
	g_auto(GStrv) moved = NULL;
	int r;

	umask((mode_t)config->umask);
	if (store_open(config->store_dir, store_r, &error) < 0 ||
	    db_open(config->database, db_r, &error) < 0) {
		log_warnx("%s", error);
		return -1;
	}
	r = cli_recover(*store_r, *db_r, &set_aside, &moved, &error);
	for (size_t i = 0; set_aside[i] != NULL; i++)
		log_warnx("store: a case folder the database does not record "
		    "there (a crash during its commit, a renamed folder or an "
		    "older database) was set aside: %s; see subgate fsck",
		    set_aside[i]);
	for (size_t i = 0; moved[i] != NULL; i++)
		log_warnx("store: a case folder was moved by hand: %s (the "
		    "database has the case at another path); left where it "
		    "is: subgate fsck --repair moves it back", moved[i]);
	if (r < 0 || ingest_new(config, *store_r, *db_r, ingest_r,
	    &error) < 0) {
		log_warnx("%s", error);
		return -1;
	}
	return 0;
}

void
cli_close_pipeline(struct store **store, struct db **db, struct ingest **ingest)
{
	g_autofree char *stamp = NULL;
	g_autofree char *error = NULL;

	ingest_free(ingest);
	if (*store != NULL && *db != NULL &&
	    (db_case_stamp(*db, &stamp, &error) < 0 ||
	    store_mark_clean(*store, stamp, &error) < 0))
		log_warnx("%s", error);
	db_close(db);
	store_close(store);
}


/* ---- the staff commands ---- */

const char cli_staff_usage[] =
"usage: subgate cases list -c CONFIG [--campaign ID] [--category C] [--unit U]\n"
"                          [--status S] [--since DATE] [--batch LABEL] [--all]\n"
"                          [--json]\n"
"       subgate cases show -c CONFIG [--json] RECEIPT|查询码\n"
"       subgate cases export -c CONFIG [--campaign ID] [--batch LABEL]\n"
"                            --format csv|xlsx [--layout flat|per-unit]\n"
"                            [-o FILE]\n"
"       subgate cases index -c CONFIG [--campaign ID]\n"
"       subgate cases accept -c CONFIG [--reason TEXT] [--set FIELD=VALUE]...\n"
"                            [--notify] RECEIPT\n"
"       subgate cases reject -c CONFIG --reason TEXT [--set FIELD=VALUE]...\n"
"                            [--notify] RECEIPT\n"
"       subgate cases confirm -c CONFIG [--reason TEXT] [--notify] RECEIPT\n"
"       subgate cases refuse -c CONFIG --reason TEXT [--notify] RECEIPT\n"
"       subgate stats -c CONFIG [--campaign ID]\n"
"\n"
"`cases list --all` also lists each work a mail carried that was not filed,\n"
"after the mail's cases, with why (--status then also names its outcome),\n"
"then every mail that made no case, with its 查询码 and what its sender was\n"
"told; `cases show 3F9A2C1B` shows one such mail by the 查询码 of its reply.\n"
"Every command also takes --store DIR and --database FILE.  --notify queues\n"
"a mail to the submitter with the decision, the reason and the corrected\n"
"fields (sent by `subgate outbox send` or the running daemon); without it\n"
"the submitter is not told.  confirm and refuse decide on the case's sender\n"
"for its unit ([policy] sender_check = confirm): confirm accepts the unit's\n"
"pending cases from that mailbox while they fit its quota (one mail for all\n"
"with --notify), refuse rejects the case and answers the sender's later\n"
"mail for the unit with a correction.\n";

static const struct option cli_staff_long[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "campaign", required_argument, NULL, OPT_CAMPAIGN },
	{ "store", required_argument, NULL, OPT_STORE },
	{ "database", required_argument, NULL, OPT_DATABASE },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "category", required_argument, NULL, OPT_CATEGORY },
	{ "unit", required_argument, NULL, OPT_UNIT },
	{ "status", required_argument, NULL, OPT_STATUS },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "batch", required_argument, NULL, OPT_BATCH },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "layout", required_argument, NULL, OPT_LAYOUT },
	{ "output", required_argument, NULL, 'o' },
	{ "reason", required_argument, NULL, OPT_REASON },
	{ "set", required_argument, NULL, OPT_SET },
	{ "notify", no_argument, NULL, OPT_NOTIFY },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* "2024-06-01", "2024-06-01 08:00" or "2024-06-01T08:00:00" to the form
 * received_at is stored in, so the two compare as text. */
static int
cases_parse_since(const char *s, char out[20])
{
	static const char shape[] = "dddd-dd-dd?dd:dd:dd";
	size_t len = strlen(s), i;

	if (len != 10 && len != 16 && len != 19)
		return -1;
	for (i = 0; i < len; i++) {
		if (shape[i] == 'd' && !g_ascii_isdigit(s[i]))
			return -1;
		if (shape[i] == '?' && s[i] != ' ' && s[i] != 'T')
			return -1;
		if ((shape[i] == '-' || shape[i] == ':') && s[i] != shape[i])
			return -1;
	}
	memcpy(out, s, len);
	out[len] = '\0';
	if (len > 10)
		out[10] = 'T';
	return 0;
}

int
cli_staff_parse_opts(int argc, char **argv, struct cli_staff_opts *o)
{
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:o:h", cli_staff_long, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->config = optarg;
			break;
		case OPT_CAMPAIGN:
			o->q.campaign = optarg;
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
		case OPT_CATEGORY:
			o->q.category = optarg;
			break;
		case OPT_UNIT:
			o->q.unit = optarg;
			break;
		case OPT_STATUS:
			o->q.status = optarg;
			break;
		case OPT_SINCE:
			if (cases_parse_since(optarg, o->since) < 0) {
				fprintf(stderr, "subgate: --since %s: give a date "
				    "as YYYY-MM-DD or YYYY-MM-DD HH:MM\n", optarg);
				return -1;
			}
			o->q.since = o->since;
			break;
		case OPT_BATCH:
			o->q.batch = optarg;
			break;
		case OPT_FORMAT:
			o->format = optarg;
			break;
		case OPT_LAYOUT:
			o->layout = optarg;
			break;
		case 'o':
			o->output = optarg;
			break;
		case OPT_REASON:
			o->reason = optarg;
			break;
		case OPT_SET:
			if (o->nsets == CLI_MAX_SETS) {
				fprintf(stderr, "subgate: at most %d --set\n",
				    CLI_MAX_SETS);
				return -1;
			}
			o->sets[o->nsets++] = optarg;
			break;
		case OPT_ALL:
			o->all = true;
			break;
		case OPT_NOTIFY:
			o->notify = true;
			break;
		case 'h':
			fputs(cli_staff_usage, stdout);
			return -2;
		default:
			fputs(cli_staff_usage, stderr);
			return -1;
		}
	}
	if (o->config == NULL) {
		fprintf(stderr, "subgate: -c CONFIG is required\n");
		return -1;
	}
	return optind;
}

char *
cli_cell(const char *s)
{
	return textcell_clean(s, FALSE);
}


int
cli_open(const char *config, const char *store, const char *database,
    struct cli_state *s, int *ret_r)
{
	g_autofree char *error = NULL;

	if ((s->config = config_load_cli(config, store, database)) == NULL) {
		*ret_r = EX_CONFIG;
		return -1;
	}
	if (db_open(s->config->database, &s->db, &error) < 0) {
		fprintf(stderr, "subgate: %s\n", error);
		config_free(&s->config);
		*ret_r = EX_TEMPFAIL;
		return -1;
	}
	return 0;
}

void
cli_close(struct cli_state *s)
{
	db_close(&s->db);
	config_free(&s->config);
}

int
cli_load_cases(struct cli_state *s, const struct db_case_query *q,
    GPtrArray **cases_r)
{
	g_autofree char *error = NULL;

	if (case_records_load(s->db, s->config->store_dir, q, NULL,
	    cases_r, &error) < 0) {
		fprintf(stderr, "subgate: %s\n", error);
		return -1;
	}
	return 0;
}

int
cli_load_case(struct cli_state *s, const char *receipt,
    GPtrArray **cases_r, struct case_record **c_r)
{
	struct db_case_query q = { .receipt = receipt };
	GPtrArray *cases;

	*cases_r = NULL;
	if (cli_load_cases(s, &q, &cases) < 0)
		return EX_TEMPFAIL;
	if (cases->len == 0) {
		fprintf(stderr, "subgate: no case %s\n", receipt);
		g_ptr_array_unref(cases);
		return EX_DATAERR;
	}
	*cases_r = cases;
	*c_r = cases->pdata[0];
	return EX_OK;
}

int
cli_find_case(struct cli_state *s, const char *receipt,
    GPtrArray **cases_r, struct case_record **c_r,
    const struct campaign **campaign_r)
{
	struct case_record *c;
	GPtrArray *cases;
	int ret;

	if ((ret = cli_load_case(s, receipt, &cases, &c)) != EX_OK)
		return ret;
	if ((*campaign_r = config_campaign_find(s->config, c->campaign)) ==
	    NULL) {
		fprintf(stderr, "subgate: case %s belongs to campaign %s, which "
		    "%s does not define\n", receipt, c->campaign,
		    s->config->path);
		g_ptr_array_unref(cases);
		return EX_CONFIG;
	}
	*cases_r = cases;
	*c_r = c;
	return EX_OK;
}

void
cli_print_result(const char *file, const struct ingest_result *res)
{
	g_autofree char *reason = g_strdup(res->reason ? res->reason : "");

	g_strdelimit(reason, "\r\n\t", ' ');
	printf("%s\t%s\t%s\t%s\n", file, outcome_name(res->outcome),
	    res->receipt ? res->receipt : "-", reason);
}
