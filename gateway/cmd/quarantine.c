/*
 * quarantine: what the virus scanner found, for staff.  `subgate
 * quarantine list` prints one line per infected file: when, the campaign,
 * the signature, the file as the submitter named it, who sent it, and
 * where the file and the mail that carried it are kept (relative to the
 * quarantine directory, printed first).
 */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include <glib.h>

#include "cli.h"
#include "config.h"
#include "config_file.h"
#include "db.h"
#include "json.h"

static const char quarantine_usage[] =
"usage: subgate quarantine list -c CONFIG [--campaign ID] [--json]\n"
"                               [--store DIR] [--database FILE]\n"
"\n"
"The files the virus scanner ([policy] scan = clamd) found infected, oldest\n"
"first: time, campaign, signature, file name, sender, and where the file\n"
"and the whole mail are kept under the quarantine directory.\n";

struct quarantine_out {
	bool json;
	unsigned n;
};

static int
quarantine_row(const struct db_quarantine *q, void *ctx)
{
	struct quarantine_out *out = ctx;
	g_autofree char *name = NULL, *sender = NULL, *sig = NULL;
	GString *j;

	out->n++;
	if (!out->json) {
		name = cli_cell(q->original_name ? q->original_name : "");
		sender = cli_cell(q->sender ? q->sender : "");
		sig = cli_cell(q->signature);
		printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", (long long)q->id,
		    q->created_at, q->campaign, sig, name, sender, q->path,
		    q->message_path);
		return 0;
	}
	j = g_string_new("{");
	json_append_key(j, "id", 1);
	g_string_append_printf(j, "%lld", (long long)q->id);
	json_append_key(j, "created_at", 0);
	json_append_string(j, q->created_at);
	json_append_key(j, "campaign", 0);
	json_append_string(j, q->campaign);
	json_append_key(j, "signature", 0);
	json_append_string(j, q->signature);
	json_append_key(j, "original_name", 0);
	json_append_string(j, q->original_name);
	json_append_key(j, "sha256", 0);
	json_append_string(j, q->sha256);
	json_append_key(j, "sender", 0);
	json_append_string(j, q->sender);
	json_append_key(j, "subject", 0);
	json_append_string(j, q->subject);
	json_append_key(j, "message_id", 0);
	json_append_string(j, q->message_id);
	json_append_key(j, "path", 0);
	json_append_string(j, q->path);
	json_append_key(j, "message_path", 0);
	json_append_string(j, q->message_path);
	g_string_append_c(j, '}');
	puts(j->str);
	g_string_free(j, TRUE);
	return 0;
}

int
cmd_quarantine(int argc, char **argv)
{
	struct cli_staff_opts o = { 0 };
	struct cli_state s = { 0 };
	struct quarantine_out out = { 0 };
	g_autofree char *error = NULL, *dir = NULL;
	int first, ret = EX_OK;

	if (argc < 2 || strcmp(argv[1], "list") != 0) {
		bool help = argc >= 2 && (strcmp(argv[1], "-h") == 0 ||
		    strcmp(argv[1], "--help") == 0);

		fputs(quarantine_usage, help ? stdout : stderr);
		return help ? EX_OK : EX_USAGE;
	}
	if ((first = cli_staff_parse_opts(argc - 1, argv + 1, &o)) < 0)
		return first == -2 ? EX_OK : EX_USAGE;
	if (first + 1 != argc) {
		fprintf(stderr, "subgate quarantine list: unexpected \"%s\"\n",
		    argv[first + 1]);
		return EX_USAGE;
	}
	if (cli_open(o.config, o.store, o.database, &s, &ret) < 0)
		return ret;
	out.json = o.json;
	dir = config_quarantine_dir(s.config);
	if (!o.json)
		printf("# quarantine: %s\n", dir);
	if (db_quarantine_list(s.db, o.q.campaign, quarantine_row, &out,
	    &error) < 0) {
		fprintf(stderr, "subgate: %s\n", error);
		ret = EX_TEMPFAIL;
	}
	cli_close(&s);
	return ret;
}
