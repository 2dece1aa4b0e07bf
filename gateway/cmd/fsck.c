/*
 * fsck: `subgate fsck [--repair]`, whether the store and the database
 * agree (include/fsck.h): one line per finding, then a summary line.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sysexits.h>

#include <glib.h>

#include "cli.h"
#include "config.h"
#include "config_file.h"
#include "db.h"
#include "fsck.h"
#include "store.h"

static const char fsck_usage[] =
"usage: subgate fsck -c CONFIG [--store DIR] [--database FILE] [--repair]\n"
"\n"
"Check that the case store and the database agree: every case folder has\n"
"its row and every row its folder, every file case.json lists is there as\n"
"recorded, no leftovers of interrupted work, receipts unique, no reply\n"
"stuck in sending, and SQLite's own integrity and foreign key checks.\n"
"One line per finding: KIND, RECEIPT, PATH, PROBLEM, what --repair does\n"
"or did; then a summary.  --repair fixes what can be fixed without losing\n"
"anything (folders are moved to _fsck/, never deleted).  The daemon must\n"
"be stopped: fsck takes the store's lock.  Exit 0 when no problem\n"
"remains, 65 when some do, 75 when the store is in use.\n";

struct fsck_opts {
	const char *config;
	const char *store;
	const char *database;
	bool repair;
};

enum { FSCK_OPT_STORE = 256, FSCK_OPT_DATABASE, FSCK_OPT_REPAIR };

static const struct option fsck_long[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "store", required_argument, NULL, FSCK_OPT_STORE },
	{ "database", required_argument, NULL, FSCK_OPT_DATABASE },
	{ "repair", no_argument, NULL, FSCK_OPT_REPAIR },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* EX_OK to go on, else the exit status (help: -1, then EX_OK). */
static int
fsck_parse_opts(int argc, char **argv, struct fsck_opts *o)
{
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:h", fsck_long, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->config = optarg;
			break;
		case FSCK_OPT_STORE:
			o->store = optarg;
			break;
		case FSCK_OPT_DATABASE:
			o->database = optarg;
			break;
		case FSCK_OPT_REPAIR:
			o->repair = true;
			break;
		case 'h':
			fputs(fsck_usage, stdout);
			return -1;
		default:
			fputs(fsck_usage, stderr);
			return EX_USAGE;
		}
	}
	if (o->config == NULL || optind != argc) {
		fprintf(stderr, "subgate fsck: %s\n%s", o->config == NULL ?
		    "-c CONFIG is required" : "no operands are taken",
		    fsck_usage);
		return EX_USAGE;
	}
	return EX_OK;
}

static void
fsck_print(const struct fsck_finding *finding, void *ctx)
{
	g_autofree char *receipt = cli_cell(finding->receipt ?
	    finding->receipt : "-");
	g_autofree char *path = cli_cell(finding->path ? finding->path : "-");
	g_autofree char *problem = cli_cell(finding->problem);
	g_autofree char *action = cli_cell(finding->action ? finding->action :
	    "");
	static const char *const how[] = {
		[FSCK_REPAIR_NONE] = "not repairable",
		[FSCK_REPAIR_AVAILABLE] = "repairable: ",
		[FSCK_REPAIR_DONE] = "repaired: ",
		[FSCK_REPAIR_FAILED] = "repair failed: ",
	};

	(void)ctx;
	printf("%s\t%s\t%s\t%s\t%s%s\n", fsck_kind_name(finding->kind),
	    receipt, path, problem, how[finding->repair],
	    finding->repair == FSCK_REPAIR_NONE ? "" : action);
}

static void
fsck_print_summary(const struct fsck_totals *t, bool repair)
{
	if (t->found == 0)
		printf("fsck: no problems found\n");
	else if (repair)
		printf("fsck: %u problem%s found, %u repaired, %u remain\n",
		    t->found, t->found == 1 ? "" : "s", t->repaired,
		    t->found - t->repaired);
	else
		printf("fsck: %u problem%s found, %u repairable with "
		    "--repair\n", t->found, t->found == 1 ? "" : "s",
		    t->repairable);
}

/* The store and the database must be there: opened, a missing one would
 * be created empty, and every case of the other would look lost. */
static int
fsck_inputs_exist(const struct config *config)
{
	struct stat st;

	if (stat(config->store_dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "subgate fsck: store %s: %s\n",
		    config->store_dir, errno == ENOENT ? g_strerror(errno) :
		    "not a folder");
		return -1;
	}
	if (stat(config->database, &st) < 0) {
		fprintf(stderr, "subgate fsck: database %s: %s\n",
		    config->database, g_strerror(errno));
		return -1;
	}
	return 0;
}

/* The store (locked) and the database: EX_OK, or the exit status after
 * telling the user why. */
static int
fsck_open(const struct config *config, struct store **store_r,
    struct db **db_r)
{
	g_autofree char *error = NULL;
	int r;

	if (fsck_inputs_exist(config) < 0)
		return EX_NOINPUT;
	if ((r = store_open(config->store_dir, store_r, &error)) < 0) {
		fprintf(stderr, "subgate fsck: %s%s\n", error, r == STORE_BUSY ?
		    "; stop the daemon first, fsck must not race it" : "");
		return r == STORE_BUSY ? EX_TEMPFAIL : EX_IOERR;
	}
	if (db_open(config->database, db_r, &error) < 0) {
		fprintf(stderr, "subgate fsck: %s\n", error);
		store_close(store_r);
		return EX_IOERR;
	}
	return EX_OK;
}

int
cmd_fsck(int argc, char **argv)
{
	struct fsck_opts o = { 0 };
	struct fsck_totals totals = { 0 };
	struct config *config;
	struct store *store = NULL;
	struct db *db = NULL;
	g_autofree char *error = NULL;
	int ret;

	if ((ret = fsck_parse_opts(argc, argv, &o)) != EX_OK)
		return ret < 0 ? EX_OK : ret;
	if ((config = config_load_cli(o.config, o.store, o.database)) == NULL)
		return EX_CONFIG;
	/* What --repair creates (_fsck/) is the store's like the rest. */
	umask((mode_t)config->umask);
	if ((ret = fsck_open(config, &store, &db)) != EX_OK) {
		config_free(&config);
		return ret;
	}
	if (fsck_run(store, db, o.repair, fsck_print, NULL, &totals,
	    &error) < 0) {
		fflush(stdout);
		fprintf(stderr, "subgate fsck: the check stopped: %s\n", error);
		ret = EX_IOERR;
	} else {
		fsck_print_summary(&totals, o.repair);
		ret = totals.found > totals.repaired ? EX_DATAERR : EX_OK;
	}
	db_close(&db);
	store_close(&store);
	config_free(&config);
	return ret;
}
