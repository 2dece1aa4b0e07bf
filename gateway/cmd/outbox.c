/*
 * outbox_cmd: `subgate outbox list|show|send`, the staff's view of the
 * replies: what is waiting, what went out, what failed or bounced, and
 * each reply exactly as it is or was sent.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include <glib.h>

#include "cli.h"
#include "config.h"
#include "config_file.h"
#include "db.h"
#include "json.h"
#include "log.h"
#include "outbox.h"

static const char outbox_usage[] =
"usage: subgate outbox list -c CONFIG [--state S] [--campaign ID] [--json]\n"
"       subgate outbox show -c CONFIG ID\n"
"       subgate outbox send -c CONFIG [--now]\n"
"       subgate outbox requeue -c CONFIG ID | --state failed|bounced\n"
"\n"
"Every command also takes --database FILE.  States: queued, sending, sent,\n"
"failed, bounced.  send --now also retries replies still waiting out a\n"
"backoff, and tries once through the pause of a server that did not\n"
"answer lately.  A reply left sending by a process that died goes out again.\n"
"requeue puts failed or bounced replies back in the queue, due now (after\n"
"a recipient's mailbox was fixed, say); send or the daemon delivers them.\n";

struct outbox_opts {
	const char *config;
	const char *database;
	const char *state;
	const char *campaign;
	bool json;
	bool now;
};

enum { OUTBOX_OPT_DATABASE = 256, OUTBOX_OPT_STATE, OUTBOX_OPT_CAMPAIGN,
    OUTBOX_OPT_JSON, OUTBOX_OPT_NOW };

static const struct option outbox_long[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "database", required_argument, NULL, OUTBOX_OPT_DATABASE },
	{ "state", required_argument, NULL, OUTBOX_OPT_STATE },
	{ "campaign", required_argument, NULL, OUTBOX_OPT_CAMPAIGN },
	{ "json", no_argument, NULL, OUTBOX_OPT_JSON },
	{ "now", no_argument, NULL, OUTBOX_OPT_NOW },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* The index of the first operand; -1 after printing usage (help: -2). */
static int
outbox_parse_opts(int argc, char **argv, struct outbox_opts *o)
{
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:h", outbox_long, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->config = optarg;
			break;
		case OUTBOX_OPT_DATABASE:
			o->database = optarg;
			break;
		case OUTBOX_OPT_STATE:
			o->state = optarg;
			break;
		case OUTBOX_OPT_CAMPAIGN:
			o->campaign = optarg;
			break;
		case OUTBOX_OPT_JSON:
			o->json = true;
			break;
		case OUTBOX_OPT_NOW:
			o->now = true;
			break;
		case 'h':
			fputs(outbox_usage, stdout);
			return -2;
		default:
			fputs(outbox_usage, stderr);
			return -1;
		}
	}
	if (o->config == NULL) {
		fprintf(stderr, "subgate outbox: -c CONFIG is required\n");
		return -1;
	}
	return optind;
}

static void
outbox_json_int(GString *j, const char *key, int64_t v)
{
	json_append_key(j, key, 0);
	g_string_append_printf(j, "%lld", (long long)v);
}

/* "in 3 min" or "" for a queued reply's next attempt. */
static char *
outbox_next_text(const struct db_outbox_row *r)
{
	time_t now = time(NULL);
	enum outbox_state state;

	if (outbox_state_parse(r->state, &state) < 0 ||
	    state != OUTBOX_QUEUED || r->next_attempt_at <= now)
		return g_strdup("");
	return g_strdup_printf("next try in %lld s",
	    (long long)(r->next_attempt_at - now));
}

static int
outbox_print_row(const struct db_outbox_row *r, void *ctx)
{
	const struct outbox_opts *o = ctx;

	if (o->json) {
		GString *j = g_string_new("{");

		json_append_key(j, "id", 1);
		g_string_append_printf(j, "%lld", (long long)r->id);
		json_append_key(j, "campaign", 0);
		json_append_string(j, r->campaign);
		json_append_key(j, "kind", 0);
		json_append_string(j, r->kind);
		json_append_key(j, "recipient", 0);
		json_append_string(j, r->recipient);
		json_append_key(j, "submission_message_id", 0);
		json_append_string(j, r->in_reply_to);
		json_append_key(j, "reply_message_id", 0);
		json_append_string(j, r->reply_message_id);
		json_append_key(j, "state", 0);
		json_append_string(j, r->state);
		outbox_json_int(j, "attempts", r->attempts);
		json_append_key(j, "last_error", 0);
		json_append_string(j, r->last_error);
		json_append_key(j, "created_at", 0);
		json_append_string(j, r->created_at);
		json_append_key(j, "sent_at", 0);
		json_append_string(j, r->sent_at);
		outbox_json_int(j, "next_attempt_at", r->next_attempt_at);
		g_string_append_c(j, '}');
		puts(j->str);
		g_string_free(j, TRUE);
	} else {
		g_autofree char *next = outbox_next_text(r);

		/* A reminder or a summary answers no submission: "-". */
		g_autofree char *irt = r->in_reply_to != NULL ?
		    g_strdup_printf("<%s>", r->in_reply_to) : g_strdup("-");

		printf("%lld\t%s\t%s\t%d\t%s\t%s\t%s%s%s\n",
		    (long long)r->id, r->state, r->kind, r->attempts,
		    r->recipient, irt,
		    r->sent_at ? r->sent_at : next,
		    r->last_error ? "\t" : "",
		    r->last_error ? r->last_error : "");
	}
	return 0;
}

static int
outbox_cmd_list(struct db *db, const struct outbox_opts *o)
{
	g_autofree char *error = NULL;

	if (!o->json)
		printf("ID\tSTATE\tKIND\tATTEMPTS\tRECIPIENT\tSUBMISSION\t"
		    "SENT\tLAST ERROR\n");
	if (db_outbox_list(db, o->state, o->campaign, outbox_print_row,
	    (void *)o, &error) < 0) {
		log_warnx("%s", error);
		return EX_SOFTWARE;
	}
	return EX_OK;
}

static int
outbox_cmd_show(struct db *db, const char *arg)
{
	struct db_outbox_entry *e = NULL;
	g_autofree char *error = NULL;
	char *end;
	gint64 id = g_ascii_strtoll(arg, &end, 10);
	int r;

	if (*arg == '\0' || *end != '\0' || id <= 0) {
		fprintf(stderr, "subgate outbox show: \"%s\" is not an outbox "
		    "ID (see outbox list)\n", arg);
		return EX_USAGE;
	}
	r = db_outbox_get(db, id, &e, &error);
	if (r < 0) {
		log_warnx("%s", error);
		return EX_SOFTWARE;
	}
	if (r == 0) {
		fprintf(stderr, "subgate outbox show: no reply %s\n", arg);
		return EX_DATAERR;
	}
	/* The bytes as they went (or go) on the wire, CRLF and all. */
	fwrite(e->data, 1, e->data_len, stdout);
	db_outbox_entry_free_ptr(&e);
	return EX_OK;
}

static int
outbox_cmd_requeue(struct db *db, const char *arg, const char *state)
{
	g_autofree char *error = NULL;
	gint64 id = 0;
	enum outbox_state which;
	unsigned n = 0;

	if (arg != NULL) {
		char *end;

		id = g_ascii_strtoll(arg, &end, 10);
		if (*arg == '\0' || *end != '\0' || id <= 0) {
			fprintf(stderr, "subgate outbox requeue: \"%s\" is not "
			    "an outbox ID (see outbox list)\n", arg);
			return EX_USAGE;
		}
	} else if (outbox_state_parse(state, &which) < 0 ||
	    (which != OUTBOX_FAILED && which != OUTBOX_BOUNCED)) {
		fprintf(stderr, "subgate outbox requeue: --state failed or "
		    "--state bounced\n");
		return EX_USAGE;
	}
	if (db_outbox_requeue(db, id, state, &n, &error) < 0) {
		log_warnx("%s", error);
		return EX_TEMPFAIL;
	}
	printf("%u requeued\n", n);
	return arg != NULL && n == 0 ? EX_DATAERR : EX_OK;
}

static int
outbox_cmd_send(struct db *db, const struct config *config,
    const struct outbox_opts *o)
{
	struct outbox_stats stats;
	g_autofree char *error = NULL;

	if (config->smtp.url == NULL) {
		fprintf(stderr, "subgate outbox send: %s has no [smtp] url\n",
		    config->path);
		return EX_CONFIG;
	}
	if (outbox_drain(db, &config->smtp, o->now, &stats, &error) < 0) {
		log_warnx("%s", error);
		return EX_TEMPFAIL;
	}
	printf("%u sent, %u deferred, %u failed, %u held by rate limits, "
	    "%u postponed\n", stats.sent, stats.deferred, stats.failed,
	    stats.held, stats.postponed);
	if (stats.paused > 0)
		printf("%s did not answer lately: the next attempt in %u s "
		    "(--now tries at once)\n", config->smtp.url, stats.paused);
	return stats.deferred + stats.postponed > 0 ? EX_TEMPFAIL : EX_OK;
}

int
cmd_outbox(int argc, char **argv)
{
	struct outbox_opts o = { 0 };
	struct config *config = NULL;
	struct db *db = NULL;
	g_autofree char *error = NULL;
	const char *sub;
	int first, ret;

	if (argc < 2 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0) {
		fputs(outbox_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EX_USAGE : EX_OK;
	}
	sub = argv[1];
	if (strcmp(sub, "list") != 0 && strcmp(sub, "show") != 0 &&
	    strcmp(sub, "send") != 0 && strcmp(sub, "requeue") != 0) {
		fprintf(stderr, "subgate outbox: unknown command \"%s\"\n%s",
		    sub, outbox_usage);
		return EX_USAGE;
	}
	if ((first = outbox_parse_opts(argc - 1, argv + 1, &o)) < 0)
		return first == -2 ? EX_OK : EX_USAGE;
	first++;	/* index into argv */
	if (strcmp(sub, "requeue") == 0 ? (first == argc - 1) ==
	    (o.state != NULL) || first < argc - 1 :
	    strcmp(sub, "show") == 0 ? first != argc - 1 : first != argc) {
		fprintf(stderr, "%s", outbox_usage);
		return EX_USAGE;
	}
	if ((config = config_load_cli(o.config, NULL, o.database)) == NULL)
		return EX_CONFIG;
	if (db_open(config->database, &db, &error) < 0) {
		log_warnx("%s", error);
		config_free(&config);
		return EX_TEMPFAIL;
	}
	if (strcmp(sub, "list") == 0)
		ret = outbox_cmd_list(db, &o);
	else if (strcmp(sub, "show") == 0)
		ret = outbox_cmd_show(db, argv[first]);
	else if (strcmp(sub, "requeue") == 0)
		ret = outbox_cmd_requeue(db, first < argc ? argv[first] : NULL,
		    o.state);
	else
		ret = outbox_cmd_send(db, config, &o);
	db_close(&db);
	config_free(&config);
	return ret;
}
