/*
 * check-config and parse-subject: what a campaign office runs while it
 * writes a campaign file, before any mail arrives.
 */
#include <stdio.h>
#include <sysexits.h>

#include <glib.h>

#include "campaign.h"
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
	}
	config_free(&config);
	return EX_OK;
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
