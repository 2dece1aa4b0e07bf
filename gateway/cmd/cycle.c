/*
 * once and run: the daemon's cycle from the command line.  run loops with
 * IDLE (or a poll interval) and an exponential backoff after failures;
 * SIGTERM and SIGINT end it between messages.  A fault of the environment
 * (a full disk, a busy database: include/fault.h) pauses intake: run says
 * so when it starts and when it clears, not at every cycle it lasts.
 */
#include <signal.h>
#include <stdbool.h>
#include <sysexits.h>
#include <unistd.h>

#include <glib.h>

#include "cli.h"
#include "config.h"
#include "config_file.h"
#include "fault.h"
#include "ingest.h"
#include "log.h"
#include "outbox.h"
#include "outbox.h"
#include "poll.h"

/* Longest pause between cycles after repeated failures. */
#define RUN_MAX_BACKOFF		600

static volatile sig_atomic_t main_stop;

static void
main_on_signal(int sig)
{
	(void)sig;
	main_stop = 1;
}

/*
 * Logs how a cycle ended.  A fault of the environment lasts many cycles
 * (a disk stays full until someone frees it): said when it starts and
 * when a cycle gets through again, in between only at the debug level
 * (SUBGATE_DEBUG).
 */
static void
cycle_report(int cycle, const char *error, bool *paused)
{
	if (cycle == FAULT_ENVIRONMENT && *paused) {
		log_debug("intake still paused: %s", error);
	} else if (cycle == FAULT_ENVIRONMENT) {
		log_warnx("intake paused until the environment recovers: %s",
		    error);
		*paused = true;
	} else if (cycle < 0) {
		log_warnx("cycle failed: %s", error);
	} else if (*paused) {
		log_warnx("intake resumed: the environment recovered");
		*paused = false;
	}
}

static int
cmd_cycle(int argc, char **argv, bool loop)
{
	struct cli_opts o = { 0 };
	struct config *config;
	struct store *store = NULL;
	struct db *db = NULL;
	struct ingest *ingest = NULL;
	struct imap *imap = NULL;
	g_autofree char *recover_error = NULL;
	/* First pause after a failure, doubled at each further one. */
	const unsigned first_retry = 2;
	unsigned failures = 0;
	bool paused = false;
	int ret = EX_OK, r;

	if ((r = cli_parse_opts(argc, argv, &o)) < 0)
		return r == -2 ? EX_OK : EX_USAGE;
	if ((config = config_load_cli(o.config, o.store, o.database)) == NULL)
		return EX_CONFIG;
	if (cli_open_pipeline(config, &store, &db, &ingest) < 0) {
		cli_close_pipeline(&store, &db, &ingest);
		config_free(&config);
		return EX_TEMPFAIL;
	}
	/* A reply a killed daemon left in its SMTP transaction is back in
	 * the queue before anything else happens (and logged). */
	if (outbox_recover(db, &recover_error) < 0)
		log_warnx("%s", recover_error);
	poll_set_stop(&main_stop);
	outbox_set_stop(&main_stop);
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
		cycle_report(cycle, error, &paused);
		if (cycle < 0) {
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
	cli_close_pipeline(&store, &db, &ingest);
	config_free(&config);
	return ret;
}


int
cmd_once(int argc, char **argv)
{
	return cmd_cycle(argc, argv, false);
}

int
cmd_run(int argc, char **argv)
{
	return cmd_cycle(argc, argv, true);
}
