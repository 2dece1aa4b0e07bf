/*
 * libFuzzer target: normalisation, matching and diagnosis of untrusted
 * subjects and file names against every campaign in contrib/campaigns
 * (or $SUBGATE_CAMPAIGNS).  The first input byte picks the grammar, the
 * rest is the text, cut at LIMIT_SUBJECT_BYTES + 1 so the over-limit path
 * runs too.  Invariants that would mean a bug abort(), among them that a
 * correction offered without blanks is taken (check_correction).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "campaign.h"
#include "fuzz-campaigns.h"
#include "grammar.h"
#include "mail_limits.h"
#include "normalize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static GPtrArray *campaigns;
static GPtrArray *grammars;

static void
load_campaigns(void)
{
	size_t i;
	int t;

	campaigns = fuzz_load_campaigns();
	grammars = g_ptr_array_new();
	for (i = 0; i < campaigns->len; i++)
		for (t = GRAMMAR_SUBJECT; t <= GRAMMAR_FILENAME; t++)
			if (campaign_grammar(campaigns->pdata[i],
			    (enum grammar_target)t) != NULL)
				g_ptr_array_add(grammars, (gpointer)
				    campaign_grammar(campaigns->pdata[i],
				    (enum grammar_target)t));
	if (grammars->len == 0)
		abort();
}

static void
check_map(const uint8_t *data, size_t size)
{
	struct normalize_map *map = NULL;
	char *out = normalize_text_len((const char *)data, size,
	    NORMALIZE_STRIP_REPLY, &map);
	size_t len = strlen(out), s, e;

	if (!g_utf8_validate(out, -1, NULL))
		abort();
	normalize_map_span(map, 0, len, &s, &e);
	if (s > e || e > size)
		abort();
	if (len > 0) {
		normalize_map_span(map, len / 2, len, &s, &e);
		if (s > e || e > size)
			abort();
	}
	normalize_map_free(&map);
	g_free(out);
}

/* A correction offered is valid UTF-8, stated in the diagnostics, and,
 * with no blank to fill, taken as it stands. */
static void
check_correction(const struct grammar *g, const struct grammar_result *r)
{
	const char *fix = grammar_result_correction(r);
	struct grammar_result *again = NULL;
	char *err = NULL;
	int rc;

	if (fix == NULL)
		return;
	if (!g_utf8_validate(fix, -1, NULL) ||
	    strstr(grammar_result_diagnostics(r), fix) == NULL)
		abort();
	if (strstr(fix, "【请填写") != NULL)
		return;
	rc = grammar_match(g, fix, &again, &err);
	/* a PCRE2 limit may stop it; a refusal may not */
	if (rc == 0)
		abort();
	grammar_result_free(&again);
	g_free(err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct grammar *g;
	struct grammar_result *r = NULL;
	char *text, *err = NULL;
	size_t i, n;
	int rc;

	if (campaigns == NULL)
		load_campaigns();
	if (size == 0)
		return 0;
	g = g_ptr_array_index(grammars, data[0] % grammars->len);
	data++;
	size--;
	if (size > LIMIT_SUBJECT_BYTES + 1)
		size = LIMIT_SUBJECT_BYTES + 1;
	check_map(data, size);

	text = g_strndup((const char *)data, size);
	rc = grammar_match(g, text, &r, &err);
	if (rc < 0) {
		/* a PCRE2 limit: allowed, but must say why */
		if (err == NULL || r != NULL)
			abort();
	} else if (rc == 1) {
		n = grammar_result_field_count(r);
		for (i = 0; i < n; i++) {
			const char *name, *value, *orig;

			grammar_result_field(r, i, &name, &value, &orig);
			if (name == NULL || value == NULL || orig == NULL ||
			    !g_utf8_validate(value, -1, NULL))
				abort();
		}
		if (grammar_result_diagnostics(r) != NULL ||
		    grammar_result_diag_count(r) != 0)
			abort();
	} else {
		if (grammar_result_diag_count(r) == 0 ||
		    grammar_result_diagnostics(r) == NULL ||
		    !g_utf8_validate(grammar_result_diagnostics(r), -1, NULL))
			abort();
		check_correction(g, r);
	}
	grammar_result_free(&r);
	g_free(err);
	g_free(text);
	return 0;
}
