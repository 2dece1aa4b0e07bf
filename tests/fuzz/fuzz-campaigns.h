/*
 * The campaigns the fuzz targets judge against: every campaign file in
 * contrib/campaigns (or $SUBGATE_CAMPAIGNS), parsed as the gateway parses
 * them, the roster files they name read from beside them.  The parser
 * reads no file itself: the harness hands it the text.  Any failure
 * abort()s: a target without its campaigns would fuzz nothing.
 */
#ifndef SUBGATE_FUZZ_CAMPAIGNS_H
#define SUBGATE_FUZZ_CAMPAIGNS_H

#include <stdlib.h>

#include <glib.h>

#include "campaign.h"

static int
fuzz_read_beside(void *ctx, const char *path, char **text_r, size_t *len_r,
    char **error_r)
{
	gsize len = 0;

	(void)ctx;
	if (!g_file_get_contents(path, text_r, &len, NULL)) {
		*error_r = g_strdup_printf("%s: cannot read", path);
		return -1;
	}
	*len_r = len;
	return 0;
}

/* struct campaign *, one per file, never freed (they live as long as
 * the fuzzer). */
static GPtrArray *
fuzz_load_campaigns(void)
{
	const char *dirname = g_getenv("SUBGATE_CAMPAIGNS");
	GPtrArray *campaigns = g_ptr_array_new();
	const char *ent;
	GDir *dir;

	if (dirname == NULL)
		dirname = "contrib/campaigns";
	if ((dir = g_dir_open(dirname, 0, NULL)) == NULL)
		abort();
	while ((ent = g_dir_read_name(dir)) != NULL) {
		char *path, *text = NULL, *err = NULL;
		struct campaign *c = NULL;
		gsize len = 0;

		if (!g_str_has_suffix(ent, ".campaign"))
			continue;
		path = g_build_filename(dirname, ent, NULL);
		if (!g_file_get_contents(path, &text, &len, NULL) ||
		    campaign_parse(path, text, len, fuzz_read_beside, NULL, &c,
		    &err) < 0)
			abort();
		g_free(text);
		g_free(path);
		g_ptr_array_add(campaigns, c);
	}
	g_dir_close(dir);
	if (campaigns->len == 0)
		abort();
	return campaigns;
}

#endif
