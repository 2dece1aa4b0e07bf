/*
 * libFuzzer target: a mail's body read for cloud attachments, HTML
 * through the tokenizer (htmltext.h) and the link parser (cloudlink.h).
 * The first input byte picks how the rest is handed in:
 *   0  as an HTML body
 *   1  as a plain body
 *   2  split at the first NUL: HTML before it, plain after
 *   3  the tokenizer alone, with few anchors kept
 * Invariants that would mean a bug abort(): every link is a provider's
 * http(s) URL within the bounds, listed once, with valid UTF-8 strings
 * and a name of one non-empty line within 255 bytes;
 * no more links than the limit; every anchor's text lies in the text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "cloudlink.h"
#include "htmltext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_LINKS	5

static void
check_links(const struct cloudlink_set *set)
{
	GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
	size_t i;

	if (cloudlink_count(set) > MAX_LINKS)
		abort();
	for (i = 0; i < cloudlink_count(set); i++) {
		const struct cloudlink *l = cloudlink_get(set, i);

		if (l->url == NULL || strlen(l->url) > CLOUDLINK_URL_BYTES ||
		    cloudlink_provider_of(l->url) != (int)l->provider ||
		    !g_hash_table_add(seen, (gpointer)l->url))
			abort();
		/* a name is one line at most, from the block or the URL */
		if (l->name != NULL && (*l->name == '\0' ||
		    strchr(l->name, '\n') != NULL || strlen(l->name) > 255))
			abort();
		if ((l->name != NULL && !g_utf8_validate(l->name, -1, NULL)) ||
		    (l->expires_text != NULL &&
		    !g_utf8_validate(l->expires_text, -1, NULL)) ||
		    (l->pass_code != NULL &&
		    !g_utf8_validate(l->pass_code, -1, NULL)))
			abort();
	}
	g_hash_table_destroy(seen);
}

static void
check_doc(const char *html, size_t len)
{
	struct htmltext *doc = htmltext_parse(html, len, 3);
	size_t tlen, i;
	const char *t = htmltext_text(doc, &tlen);

	if (strlen(t) != tlen || htmltext_anchor_count(doc) > 3)
		abort();
	for (i = 0; i < htmltext_anchor_count(doc); i++) {
		const struct htmltext_anchor *a = htmltext_anchor(doc, i);

		if (a->href == NULL || a->start > a->end || a->end > tlen)
			abort();
	}
	(void)htmltext_quoted_at(doc, tlen / 2);
	htmltext_free(&doc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GTimeZone) zone = g_time_zone_new_identifier("Asia/Shanghai");
	struct cloudlink_input in = { .zone = zone, .max_links = MAX_LINKS };
	struct cloudlink_set *set = NULL;
	g_autofree char *error = NULL;
	const char *body, *nul;
	size_t len;

	if (size < 1)
		return 0;
	body = (const char *)data + 1;
	len = size - 1;
	switch (data[0] % 4) {
	case 0:
		in.html = body;
		in.html_len = len;
		break;
	case 1:
		in.plain = body;
		in.plain_len = len;
		break;
	case 2:
		nul = memchr(body, '\0', len);
		in.html = body;
		in.html_len = nul != NULL ? (size_t)(nul - body) : len;
		if (nul != NULL) {
			in.plain = nul + 1;
			in.plain_len = len - in.html_len - 1;
		}
		break;
	default:
		check_doc(body, len);
		return 0;
	}
	if (cloudlink_find(&in, &set, &error) < 0)
		abort();
	check_links(set);
	cloudlink_set_free(&set);
	return 0;
}
