/*
 * check-config and parse-subject: what a campaign office runs while it
 * writes a campaign file, before any mail arrives.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include <glib.h>

#include "campaign.h"
#include "clamd.h"
#include "cli.h"
#include "config.h"
#include "config_file.h"
#include "grammar.h"
#include "json.h"

static void
check_print_grammar(const char *label, const struct grammar *g)
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

/* clamd's reader for check-config --clamd: zeros, as many as asked. */
static ssize_t
check_zeros(void *ctx, void *buf, size_t len)
{
	uint64_t *left = ctx;
	size_t n = (size_t)MIN((uint64_t)len, *left);

	memset(buf, 0, n);
	*left -= n;
	return (ssize_t)n;
}

/* The scanner answers, and takes the largest file a campaign streams. */
static int
check_clamd(const struct config *config)
{
	const struct config_clamd *cc = &config->clamd;
	g_autofree char *error = NULL;
	struct clamd_result res;
	uint64_t max = 0, left;
	size_t i;
	int r;

	if (cc->socket == NULL) {
		fprintf(stderr, "subgate: check-config --clamd: no [clamd] "
		    "socket in %s\n", config->path);
		return EX_CONFIG;
	}
	if (clamd_ping(cc->socket, cc->timeout * 1000, &error) < 0) {
		fprintf(stderr, "subgate: %s\n", error);
		return EX_UNAVAILABLE;
	}
	printf("clamd %s: PONG\n", cc->socket);
	for (i = 0; i < config->campaign_count; i++)
		if (campaign_scan(config->campaigns[i]) == CAMPAIGN_SCAN_CLAMD)
			max = MAX(max, campaign_scan_max_bytes(
			    config->campaigns[i]));
	if (max == 0)
		return EX_OK;
	left = max;
	r = clamd_scan(cc->socket, cc->timeout * 1000, check_zeros, &left,
	    &res, &error);
	/* Over clamd's MaxFileSize (under AlertExceedsMax): files of that
	 * size are filed unscanned with a note, which may be what staff
	 * chose; said, not refused. */
	if (r == 0 && res.state == CLAMD_SKIPPED) {
		printf("clamd %s: note: %llu bytes are over its own limits "
		    "(%s): such files are filed with a note, unscanned; raise "
		    "MaxFileSize and MaxScanSize to scan them\n", cc->socket,
		    (unsigned long long)max, res.signature);
		return EX_OK;
	}
	if (r == 0 && res.state == CLAMD_FOUND) {
		fprintf(stderr, "subgate: clamd: zero bytes reported as %s\n",
		    res.signature);
		return EX_UNAVAILABLE;
	}
	if (r < 0) {
		fprintf(stderr, "subgate: %s\n", error);
		return r == CLAMD_SIZE_LIMIT ? EX_CONFIG : EX_UNAVAILABLE;
	}
	printf("clamd %s: %llu bytes (scan_max_bytes) scanned clean\n",
	    cc->socket, (unsigned long long)max);
	return EX_OK;
}

int
cmd_check_config(int argc, char **argv)
{
	struct cli_opts o = { 0 };
	struct config *config;
	size_t i;
	int r;

	if ((r = cli_parse_opts(argc, argv, &o)) < 0)
		return r == -2 ? EX_OK : EX_USAGE;
	if ((config = config_load_cli(o.config, o.store, o.database)) == NULL)
		return EX_CONFIG;
	printf("%s: OK, %zu campaign%s\n", config->path,
	    config->campaign_count, config->campaign_count == 1 ? "" : "s");
	for (i = 0; i < config->campaign_count; i++) {
		const struct campaign *c = config->campaigns[i];

		printf("campaign %s (%s), folder %s\n", campaign_id(c),
		    campaign_name(c), campaign_folder(c));
		check_print_grammar("subject",
		    campaign_grammar(c, GRAMMAR_SUBJECT));
		check_print_grammar("file name",
		    campaign_grammar(c, GRAMMAR_FILENAME));
		if (campaign_scan(c) == CAMPAIGN_SCAN_CLAMD)
			printf("  scan: clamd, files up to %llu bytes\n",
			    (unsigned long long)campaign_scan_max_bytes(c));
	}
	r = o.clamd ? check_clamd(config) : EX_OK;
	config_free(&config);
	return r;
}

int
cmd_parse_subject(int argc, char **argv)
{
	struct cli_opts o = { 0 };
	const struct campaign *campaign;
	const struct grammar *g;
	struct grammar_result *res = NULL;
	struct config *config;
	g_autofree char *error = NULL;
	int first, r;
	size_t i, n;

	if ((first = cli_parse_opts(argc, argv, &o)) < 0)
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
		json_append_key(j, "correction", 0);
		json_append_string(j, grammar_result_correction(res));
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
