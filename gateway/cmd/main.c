/*
 * subgate: the command line.  Each command is a thin shell around the
 * stages: it loads the configuration, opens what it needs, calls into the
 * modules and turns their results into output and an exit code
 * (sysexits.h; parse-subject uses 0/1/2 so scripts can test a subject).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include <curl/curl.h>
#include <glib.h>
#include <gmime/gmime.h>

#include "cli.h"
#include "inspect.h"
#include "log.h"
#include "tnef.h"

#define SUBGATE_VERSION		"0.1"

/* The commands, in the order `subgate --help` lists them. */
static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{ "once", cmd_once },
	{ "run", cmd_run },
	{ "ingest", cmd_ingest },
	{ "reprocess", cmd_reprocess },
	{ "check-config", cmd_check_config },
	{ "parse-subject", cmd_parse_subject },
	{ "outbox", cmd_outbox },
	{ "cases", cmd_cases },
	{ "stats", cmd_stats },
	{ "quarantine", cmd_quarantine },
	{ "links", cmd_links },
	{ "questions", cmd_questions },
	{ "remind", cmd_remind },
	{ "summary", cmd_summary },
	{ "fsck", cmd_fsck },
	{ "inspect", cmd_inspect },
};

/* Standard output while libytnef runs: /dev/null, then back.  A copy of
 * the real descriptor is kept in between (-1 when none could be made:
 * then nothing is redirected). */
static int main_saved_stdout = -1;

static void
main_quiet_begin(void)
{
	int null_fd;

	fflush(stdout);
	main_saved_stdout = dup(STDOUT_FILENO);
	null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (main_saved_stdout < 0 || null_fd < 0 ||
	    dup2(null_fd, STDOUT_FILENO) < 0) {
		if (main_saved_stdout >= 0)
			close(main_saved_stdout);
		main_saved_stdout = -1;
	}
	if (null_fd >= 0)
		close(null_fd);
}

static void
main_quiet_end(void)
{
	if (main_saved_stdout < 0)
		return;
	fflush(stdout);
	(void)dup2(main_saved_stdout, STDOUT_FILENO);
	close(main_saved_stdout);
	main_saved_stdout = -1;
}

int
main(int argc, char **argv)
{
	const char *cmd;
	size_t i;
	int ret;

	log_init("subgate", getenv("SUBGATE_DEBUG") ? LOG_LEVEL_DEBUG :
	    LOG_LEVEL_INFO);
	if (argc < 2) {
		fputs(cli_usage, stderr);
		return EX_USAGE;
	}
	cmd = argv[1];
	/* this program is the one that answers `subgate inspect` */
	inspect_use_child();
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
	    strcmp(cmd, "help") == 0) {
		fputs(cli_usage, stdout);
		return EX_OK;
	}
	if (strcmp(cmd, "--version") == 0) {
		printf("subgate %s\n", SUBGATE_VERSION);
		return EX_OK;
	}
	for (i = 0; i < G_N_ELEMENTS(commands); i++)
		if (strcmp(cmd, commands[i].name) == 0)
			break;
	if (i == G_N_ELEMENTS(commands)) {
		fprintf(stderr, "subgate: unknown command \"%s\"\n%s", cmd,
		    cli_usage);
		return EX_USAGE;
	}
	g_mime_init();
	/* libytnef writes to stdout, where ingest --json and the staff
	 * commands write theirs. */
	tnef_set_library_guard(main_quiet_begin, main_quiet_end);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	ret = commands[i].fn(argc - 1, argv + 1);
	curl_global_cleanup();
	g_mime_shutdown();
	return ret;
}
