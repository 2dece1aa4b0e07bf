/*
 * notice: `subgate remind` and `subgate summary`, the mail the campaign
 * sends of its own accord (notice.h), by hand.  Each prints one line per
 * unit (remind) or campaign (summary): campaign, unit, what happened
 * (due, met, no-address, recent; queued, or why not) and the mailbox;
 * with --dry-run also the whole text of each mail, and nothing is
 * queued.  Otherwise what was queued is then delivered, as `outbox send`
 * would (the running daemon does it when it holds the sender).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include <glib.h>

#include "campaign.h"
#include "cli.h"
#include "config.h"
#include "config_file.h"
#include "db.h"
#include "log.h"
#include "notice.h"
#include "outbox.h"

static const char remind_usage[] =
"usage: subgate remind -c CONFIG [--campaign ID] [--dry-run]\n"
"                      [--database FILE]\n"
"\n"
"Before a campaign's deadline, mail each roster unit that has sent nothing,\n"
"or less than its minimum, a reminder at the mailboxes the roster lists;\n"
"never twice within [remind] interval, never after the deadline.  One line\n"
"per unit: campaign, unit, due|met|no-address|recent, mailbox.  --dry-run\n"
"prints each reminder's text and sends nothing.\n";

static const char summary_usage[] =
"usage: subgate summary -c CONFIG [--campaign ID] [--dry-run]\n"
"                       [--database FILE]\n"
"\n"
"Mail [campaign] staff the day's summary: mail and works since the last\n"
"summary (or 24 hours) by outcome, category and unit, new questions, the\n"
"units still to send, cloud links about to expire.  One a day: a second\n"
"is not sent.  --dry-run prints it and sends nothing.\n";

struct notice_opts {
	const char *config;
	const char *database;
	const char *campaign;
	bool dry_run;
};

enum { NOTICE_OPT_DATABASE = 256, NOTICE_OPT_CAMPAIGN, NOTICE_OPT_DRY_RUN };

static const struct option notice_long[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "database", required_argument, NULL, NOTICE_OPT_DATABASE },
	{ "campaign", required_argument, NULL, NOTICE_OPT_CAMPAIGN },
	{ "dry-run", no_argument, NULL, NOTICE_OPT_DRY_RUN },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* 0, or the exit status after printing usage (help: EX_OK). */
static int
notice_parse_opts(int argc, char **argv, const char *usage,
    struct notice_opts *o)
{
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:h", notice_long, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->config = optarg;
			break;
		case NOTICE_OPT_DATABASE:
			o->database = optarg;
			break;
		case NOTICE_OPT_CAMPAIGN:
			o->campaign = optarg;
			break;
		case NOTICE_OPT_DRY_RUN:
			o->dry_run = true;
			break;
		case 'h':
			fputs(usage, stdout);
			return -2;
		default:
			fputs(usage, stderr);
			return -1;
		}
	}
	if (optind != argc || o->config == NULL) {
		fputs(usage, stderr);
		return -1;
	}
	return 0;
}

struct notice_print {
	bool dry_run;
	unsigned mails;
};

static void
notice_print(const struct notice_item *it, void *ctx)
{
	struct notice_print *p = ctx;
	g_autofree char *unit = cli_cell(it->unit ? it->unit : "-");
	const char *what = it->why != NULL ? it->why : it->verdict != NULL ?
	    it->verdict : "due";

	printf("%s\t%s\t%s\t%s\n", it->campaign, unit, what,
	    it->recipient ? it->recipient : "-");
	if (it->recipient == NULL)
		return;
	p->mails++;
	/* The mail as the recipient reads it: what a dry run is for. */
	if (p->dry_run)
		printf("---- %s\n主题：%s\n\n%s----\n", it->recipient, it->subject,
		    it->text);
}

/* What was queued goes out now, unless the daemon holds the sender:
 * then it does. */
static int
notice_deliver(struct db *db, const struct config *config)
{
	struct outbox_stats stats;
	g_autofree char *error = NULL;

	if (config->smtp.url == NULL) {
		printf("queued; no [smtp] url here to send it\n");
		return EX_OK;
	}
	if (outbox_drain(db, &config->smtp, false, &stats, &error) < 0) {
		log_warnx("%s", error);
		return EX_TEMPFAIL;
	}
	printf("%u sent, %u deferred, %u failed, %u held by rate limits, "
	    "%u postponed\n", stats.sent, stats.deferred, stats.failed,
	    stats.held, stats.postponed);
	return EX_OK;
}

typedef int notice_fn(struct db *db, const struct config *config,
    const struct campaign *c, GDateTime *now, bool dry_run,
    notice_report_fn *report, void *ctx, unsigned *queued_r,
    char **error_r);

static int
notice_remind_by_hand(struct db *db, const struct config *config,
    const struct campaign *c, GDateTime *now, bool dry_run,
    notice_report_fn *report, void *ctx, unsigned *queued_r, char **error_r)
{
	return notice_remind(db, config, c, now, NULL, dry_run, report, ctx,
	    queued_r, error_r);
}

static int
notice_cmd(int argc, char **argv, const char *usage, notice_fn *fn)
{
	struct notice_opts o = { 0 };
	struct notice_print p = { 0 };
	struct config *config;
	struct db *db = NULL;
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autofree char *error = NULL;
	unsigned queued = 0, n;
	size_t i;
	int ret = EX_OK, r;

	if ((r = notice_parse_opts(argc, argv, usage, &o)) < 0)
		return r == -2 ? EX_OK : EX_USAGE;
	p.dry_run = o.dry_run;
	if ((config = config_load_cli(o.config, NULL, o.database)) == NULL)
		return EX_CONFIG;
	if (o.campaign != NULL && config_campaign_pick(config,
	    o.campaign) == NULL) {
		config_free(&config);
		return EX_USAGE;
	}
	if (db_open(config->database, &db, &error) < 0) {
		log_warnx("%s", error);
		config_free(&config);
		return EX_TEMPFAIL;
	}
	for (i = 0; i < config->campaign_count && ret == EX_OK; i++) {
		const struct campaign *c = config->campaigns[i];

		if (o.campaign != NULL && strcmp(o.campaign, campaign_id(c)) != 0)
			continue;
		if (fn(db, config, c, now, o.dry_run, notice_print, &p, &n,
		    &error) < 0) {
			log_warnx("campaign %s: %s", campaign_id(c), error);
			ret = EX_TEMPFAIL;
		}
		queued += n;
	}
	if (o.dry_run)
		printf("%u mails composed, none sent (dry run)\n", p.mails);
	else
		printf("%u queued\n", queued);
	if (ret == EX_OK && queued > 0)
		ret = notice_deliver(db, config);
	db_close(&db);
	config_free(&config);
	return ret;
}

int
cmd_remind(int argc, char **argv)
{
	return notice_cmd(argc, argv, remind_usage, notice_remind_by_hand);
}

int
cmd_summary(int argc, char **argv)
{
	return notice_cmd(argc, argv, summary_usage, notice_summary);
}
