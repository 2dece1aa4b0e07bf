/*
 * libFuzzer target: campaign files and the main configuration from
 * untrusted text.  A campaign office writes these by hand, often from a
 * notice pasted out of a PDF; the parsers must report, never crash.  The
 * first byte picks the parser; a campaign the main file names, a secret
 * file and an environment variable all resolve to the fuzzer's own text
 * or to nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "campaign.h"
#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_ctx {
	const char *text;
	size_t len;
};

static int
fuzz_read_file(void *ctx, const char *path, char **text_r, size_t *len_r,
    char **error_r)
{
	const struct fuzz_ctx *f = ctx;

	/* Half the names resolve to the same text, the rest are missing. */
	if (strlen(path) % 2 == 0) {
		*error_r = g_strdup_printf("%s: No such file or directory", path);
		return -1;
	}
	*text_r = g_strndup(f->text, f->len);
	*len_r = f->len;
	return 0;
}

static const char *
fuzz_env(void *ctx, const char *name)
{
	(void)ctx;
	return strlen(name) % 2 == 0 ? NULL : "secret";
}

static int
fuzz_load_campaign(void *ctx, const char *path, struct campaign **campaign_r,
    char **error_r)
{
	const struct fuzz_ctx *f = ctx;

	return campaign_parse(path, f->text, f->len, NULL, NULL, campaign_r,
	    error_r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_ctx f;
	g_autofree char *error = NULL;

	if (size < 1)
		return 0;
	f.text = (const char *)data + 1;
	f.len = size - 1;
	if (data[0] & 1) {
		struct campaign *c = NULL;

		if (campaign_parse("fuzz.campaign", f.text, f.len,
		    fuzz_read_file, &f, &c, &error) == 0 && c == NULL)
			abort();
		campaign_free(&c);
	} else {
		struct config_sources sources = {
			.read_file = fuzz_read_file,
			.env_value = fuzz_env,
			.load_campaign = fuzz_load_campaign,
			.ctx = &f,
		};
		struct config *config = NULL;

		if (config_parse("/etc/subgate/subgate.conf", f.text, f.len,
		    &sources, &config, &error) == 0 && config == NULL)
			abort();
		config_free(&config);
	}
	return 0;
}
