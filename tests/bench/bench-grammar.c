/*
 * bench-grammar: subjects / file names parsed per second by the campaign
 * grammars, for text that matches and for text that fails and is
 * diagnosed.  Usage: bench-grammar CAMPAIGN-DIR [SECONDS-PER-SET]
 *
 * The inputs are each grammar's generated examples (valid) and mutations
 * of them that no longer match (swapped, truncated or misspelt fields).
 * Every parse of an invalid text includes its full diagnosis (codes and
 * the Chinese correction text).  The aim is TARGET_PER_SECOND for both
 * sets on one core.  Each set reports its rate per second of the
 * process's CPU time, which decides "ok" and does not drop when other
 * work shares the machine, and per second of wall-clock time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glib.h>

#include "campaign.h"
#include "config_file.h"
#include "grammar.h"

#define EXAMPLES_PER_GRAMMAR	64
#define TARGET_PER_SECOND	100000

struct input {
	const struct grammar *g;
	char *text;
};

static void
add_input(GArray *set, const struct grammar *g, char *text)
{
	struct input in = { g, text };

	g_array_append_val(set, in);
}

/* Variants of a valid example that should fail in different ways. */
static void
mutate(const struct grammar *g, const char *ex, GArray *valid,
    GArray *invalid)
{
	char *v[4];
	char *dash;
	size_t i, n = 0, len = strlen(ex);

	dash = strchr(ex, '-');
	if (dash != NULL) {
		char *second = strchr(dash + 1, '-');

		if (second != NULL)
			/* the first two segments swapped */
			v[n++] = g_strdup_printf("%.*s-%.*s%s",
			    (int)(second - dash - 1), dash + 1,
			    (int)(dash - ex), ex, second);
		/* the last segment dropped */
		v[n++] = g_strndup(ex, (size_t)(strrchr(ex, '-') - ex));
	}
	/* a misspelt character in the middle, and a reply prefix */
	{
		const char *mid = g_utf8_offset_to_pointer(ex,
		    g_utf8_strlen(ex, -1) / 2);

		v[n++] = g_strdup_printf("Re: %.*s错%s", (int)(mid - ex), ex,
		    g_utf8_next_char(mid));
	}
	v[n++] = g_strdup_printf("%s%s", ex, len % 2 ? "-多余" : "");
	for (i = 0; i < n; i++) {
		struct grammar_result *r = NULL;
		char *err = NULL;
		int rc = grammar_match(g, v[i], &r, &err);

		if (rc == 1)
			add_input(valid, g, v[i]);
		else if (rc == 0)
			add_input(invalid, g, v[i]);
		else
			g_free(v[i]);
		grammar_result_free(&r);
		g_free(err);
	}
}

static double
cpu_seconds(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) < 0)
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
run_set(const char *label, GArray *set, double seconds)
{
	gint64 start, now;
	unsigned long count = 0, diags = 0;
	double rate, cpu_rate, cpu_start;
	size_t i;

	if (set->len == 0) {
		printf("%-8s no inputs\n", label);
		return 0;
	}
	/* a first pass outside the clock: caches, lazily made state */
	for (i = 0; i < set->len; i++) {
		const struct input *in = &g_array_index(set, struct input, i);
		struct grammar_result *r = NULL;
		char *err = NULL;

		(void)grammar_match(in->g, in->text, &r, &err);
		grammar_result_free(&r);
		g_free(err);
	}
	start = g_get_monotonic_time();
	cpu_start = cpu_seconds();
	do {
		for (i = 0; i < set->len; i++) {
			const struct input *in = &g_array_index(set,
			    struct input, i);
			struct grammar_result *r = NULL;
			char *err = NULL;

			if (grammar_match(in->g, in->text, &r, &err) == 0)
				diags += grammar_result_diag_count(r);
			grammar_result_free(&r);
			g_free(err);
		}
		count += set->len;
		now = g_get_monotonic_time();
	} while ((double)(now - start) / G_USEC_PER_SEC < seconds);
	rate = (double)count / ((double)(now - start) / G_USEC_PER_SEC);
	cpu_rate = (double)count / MAX(cpu_seconds() - cpu_start, 1e-9);
	printf("%-8s %8.0f per CPU second (%.2f us each), %.0f per second "
	    "of wall clock  %s (aim %d/s)\n"
	    "         %lu parsed, %u distinct inputs, %lu diagnostic codes\n",
	    label, cpu_rate, 1e6 / cpu_rate, rate,
	    cpu_rate < TARGET_PER_SECOND ? "BELOW AIM" : "ok",
	    TARGET_PER_SECOND, count, set->len, diags);
	return cpu_rate;
}

int
main(int argc, char **argv)
{
	GArray *valid = g_array_new(FALSE, FALSE, sizeof(struct input));
	GArray *invalid = g_array_new(FALSE, FALSE, sizeof(struct input));
	GPtrArray *campaigns = g_ptr_array_new();
	double seconds = argc > 2 ? atof(argv[2]) : 2.0;
	const char *ent;
	GDir *dir;
	size_t i;
	unsigned int n;
	int t;

	if (argc < 2) {
		fprintf(stderr, "usage: %s CAMPAIGN-DIR [SECONDS]\n", argv[0]);
		return 2;
	}
	dir = g_dir_open(argv[1], 0, NULL);
	if (dir == NULL) {
		fprintf(stderr, "%s: cannot open %s\n", argv[0], argv[1]);
		return 1;
	}
	while ((ent = g_dir_read_name(dir)) != NULL) {
		char *path, *err = NULL;
		struct campaign *c = NULL;

		if (!g_str_has_suffix(ent, ".campaign"))
			continue;
		path = g_build_filename(argv[1], ent, NULL);
		if (campaign_load(path, &c, &err) < 0) {
			fprintf(stderr, "%s\n", err);
			return 1;
		}
		g_ptr_array_add(campaigns, c);
		g_free(path);
	}
	g_dir_close(dir);

	for (i = 0; i < campaigns->len; i++) {
		for (t = GRAMMAR_SUBJECT; t <= GRAMMAR_FILENAME; t++) {
			const struct grammar *g = campaign_grammar(
			    g_ptr_array_index(campaigns, i),
			    (enum grammar_target)t);

			for (n = 0; g != NULL && n < EXAMPLES_PER_GRAMMAR;
			    n++) {
				char *ex = grammar_example(g, n);

				if (ex == NULL)
					break;
				mutate(g, ex, valid, invalid);
				add_input(valid, g, ex);
			}
		}
	}
	printf("%u campaigns, one core, %.1f s per set\n", campaigns->len,
	    seconds);
	run_set("valid", valid, seconds);
	run_set("invalid", invalid, seconds);

	for (i = 0; i < valid->len; i++)
		g_free(g_array_index(valid, struct input, i).text);
	for (i = 0; i < invalid->len; i++)
		g_free(g_array_index(invalid, struct input, i).text);
	g_array_free(valid, TRUE);
	g_array_free(invalid, TRUE);
	for (i = 0; i < campaigns->len; i++) {
		struct campaign *c = g_ptr_array_index(campaigns, i);

		campaign_free(&c);
	}
	g_ptr_array_free(campaigns, TRUE);
	return 0;
}
