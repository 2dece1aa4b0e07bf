/*
 * once and run: the daemon's cycle from the command line.  run loops with
 * IDLE (or a poll interval) and an exponential backoff after failures;
 * SIGTERM and SIGINT end it between messages.  A fault of the environment
 * (a full disk, a busy database: include/fault.h) pauses intake: run says
 * so when it starts and when it clears, not at every cycle it lasts.
 * Replies go out from the sender thread (sender.h) as their messages are
 * committed; once waits for it after intake, within [smtp] send_budget.
 * After each cycle, the reminders and summaries a campaign's [remind] at
 * and [summary] at make due are queued (notice.h) and the sender woken.
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
#include "linkfetch.h"
#include "log.h"
#include "notice.h"
#include "outbox.h"
#include "poll.h"
#include "sender.h"

/* Longest pause between cycles after repeated failures. */
#define RUN_MAX_BACKOFF		600

static volatile sig_atomic_t main_stop;

static void
main_on_signal(int sig)
{
	(void)sig;
	/* Atomic: the sender thread reads it too (outbox_set_stop); a
	 * lock-free atomic store is safe in a signal handler. */
	g_atomic_int_set(&main_stop, 1);
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

/* The pause after failures in a row: exponential, with jitter (a random
 * part between half and all of it), so that many gateways cut off
 * together do not all come back in the same second. */
static unsigned
cycle_backoff(unsigned failures, bool cycle_ok, unsigned poll_interval)
{
	/* First pause after a failure, doubled at each further one. */
	const unsigned first_retry = 2;
	unsigned backoff = MIN((unsigned)RUN_MAX_BACKOFF,
	    first_retry << MIN(failures - 1, 10u));

	if (cycle_ok)
		backoff = MIN(backoff, poll_interval);
	return backoff / 2 + (unsigned)g_random_int_range(0,
	    (gint32)(backoff - backoff / 2) + 1);
}

/* What [remind] at and [summary] at make due now, queued for the
 * sender; a failure is logged (notice_schedule) and retried next cycle. */
static void
cycle_notices(const struct config *config, struct db *db,
    struct sender *sender)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autofree char *error = NULL;
	unsigned queued = 0;

	(void)notice_schedule(db, config, now, &queued, &error);
	if (queued > 0)
		sender_wake(sender);
}

/* A follow-up mail of the link fetcher: out with the replies. */
static void
cycle_link_queued(void *ctx)
{
	sender_wake(ctx);
}

struct cycle_budget {
	gint64 deadline;		/* monotonic */
};

static bool
cycle_budget_cut(void *ctx)
{
	const struct cycle_budget *b = ctx;

	return g_atomic_int_get(&main_stop) ||
	    g_get_monotonic_time() >= b->deadline;
}

/* once: after intake, the cloud attachments due, for at most [links]
 * fetch_budget seconds; a download the budget cuts resumes next time. */
static int
cycle_fetch_links(const struct config *config, struct db *db,
    struct sender *sender)
{
	struct cycle_budget b = { g_get_monotonic_time() +
	    (gint64)config->links.fetch_budget * G_USEC_PER_SEC };
	struct linkfetch_ctx ctx = { .config = config, .db = db,
		.store_dir = config->store_dir, .cut = cycle_budget_cut,
		.cut_ctx = &b, .queued = cycle_link_queued,
		.queued_ctx = sender };
	struct linkfetch_stats st;
	g_autofree char *error = NULL;

	if (linkfetch_drain(&ctx, &st, &error) < 0) {
		log_warnx("fetching links: %s", error);
		return -1;
	}
	return 0;
}

/* The cycle's line, with what the sender did since the last one; once
 * waits for the sender first.  <0 when a drain failed. */
static int
cycle_log(const struct poll_stats *stats, struct sender *sender, bool loop)
{
	struct sender_stats sent;
	int r;

	if (!loop)
		sender_finish(sender);
	r = sender_take_stats(sender, &sent);
	log_info("cycle: %u fetched, %u accepted, %u rejected, %u other, "
	    "%u replies sent, %u deferred", stats->fetched, stats->accepted,
	    stats->rejected, stats->other, sent.sent, sent.deferred);
	return r;
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
	struct sender *sender = NULL;
	struct linkfetch *fetcher = NULL;
	g_autofree char *start_error = NULL;
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
	if (outbox_recover(db, &start_error) < 0) {
		log_warnx("%s", start_error);
		g_clear_pointer(&start_error, g_free);
	}
	poll_set_stop(&main_stop);
	outbox_set_stop(&main_stop);
	signal(SIGTERM, main_on_signal);
	signal(SIGINT, main_on_signal);
	signal(SIGPIPE, SIG_IGN);
	if (sender_start(config->database, &config->smtp, &sender,
	    &start_error) < 0) {
		log_warnx("%s", start_error);
		cli_close_pipeline(&store, &db, &ingest);
		config_free(&config);
		return EX_TEMPFAIL;
	}
	/* run: downloads go on beside intake, in a thread of their own. */
	if (loop && linkfetch_start(config, config->store_dir, &main_stop,
	    cycle_link_queued, sender, &fetcher, &start_error) < 0) {
		log_warnx("%s", start_error);
		g_clear_pointer(&start_error, g_free);
	}
	do {
		struct poll_stats stats;
		g_autofree char *error = NULL;
		unsigned backoff;
		int cycle;

		/* `run` keeps the IMAP connection between cycles to wait on
		 * it with IDLE. */
		cycle = poll_cycle(config, db, store, ingest,
		    loop ? &imap : NULL, sender, &stats, &error);
		cycle_report(cycle, error, &paused);
		if (cycle != FAULT_ENVIRONMENT)
			cycle_notices(config, db, sender);
		if (cycle < 0) {
			ret = EX_TEMPFAIL;
			failures++;
			/* Not kept through a backoff the server would
			 * time out. */
			poll_disconnect(&imap);
		} else {
			ret = EX_OK;
		}
		if (!loop && cycle >= 0 &&
		    cycle_fetch_links(config, db, sender) < 0)
			ret = EX_TEMPFAIL;
		linkfetch_wake(fetcher);
		/* A reply the database would not let `once` mark is a cycle
		 * that did not get through (the sender logged why). */
		if (cycle_log(&stats, sender, loop) < 0 && !loop)
			ret = EX_TEMPFAIL;
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
		backoff = cycle_backoff(failures, cycle == 0,
		    (unsigned)config->poll_interval);
		log_info("next attempt in %u s", backoff);
		while (!main_stop && backoff-- > 0)
			sleep(1);
	} while (loop && !main_stop);
	/* After SIGTERM the download under way stops (resumed next time),
	 * the reply in hand finishes and no other starts. */
	linkfetch_free(&fetcher);
	sender_free(&sender);
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
