/* config_file: see include/config_file.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "campaign.h"
#include "config.h"
#include "config_file.h"

/*
 * The text of a configuration or campaign file.  The messages are those
 * GKeyFile gives when it opens a file itself ("PATH: No such file or
 * directory", "PATH: Not a regular file"), as check-config has always
 * printed them.
 */
static int
config_file_read_keyfile(const char *path, char **text_r, size_t *len_r,
    char **error_r)
{
	struct stat st;
	GString *buf;
	char chunk[4096];
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		*error_r = g_strdup_printf("%s: %s", path, g_strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		*error_r = g_strdup_printf("%s: %s", path, g_strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		*error_r = g_strdup_printf("%s: Not a regular file", path);
		close(fd);
		return -1;
	}
	buf = g_string_sized_new((gsize)st.st_size + 1);
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*error_r = g_strdup_printf("%s: %s", path,
			    g_strerror(errno));
			g_string_free(buf, TRUE);
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		g_string_append_len(buf, chunk, n);
	}
	close(fd);
	*len_r = buf->len;
	*text_r = g_string_free(buf, FALSE);
	return 0;
}

/* A file the configuration names: a secret, a reply template. */
static int
config_file_read(void *ctx, const char *path, char **text_r, size_t *len_r,
    char **error_r)
{
	GError *err = NULL;
	gsize len = 0;

	(void)ctx;
	if (!g_file_get_contents(path, text_r, &len, &err)) {
		*text_r = NULL;
		*error_r = g_strdup(err->message);
		g_error_free(err);
		return -1;
	}
	*len_r = len;
	return 0;
}

static const char *
config_file_env(void *ctx, const char *name)
{
	(void)ctx;
	return getenv(name);
}

static int
config_file_campaign(void *ctx, const char *path,
    struct campaign **campaign_r, char **error_r)
{
	(void)ctx;
	return campaign_load(path, campaign_r, error_r);
}

static const struct config_sources config_file_sources = {
	.read_file = config_file_read,
	.env_value = config_file_env,
	.load_campaign = config_file_campaign,
	.ctx = NULL,
};

int
campaign_load(const char *path, struct campaign **campaign_r,
    char **error_r)
{
	g_autofree char *text = NULL;
	size_t len;

	*campaign_r = NULL;
	if (config_file_read_keyfile(path, &text, &len, error_r) < 0)
		return -1;
	return campaign_parse(path, text, len, config_file_read, NULL,
	    campaign_r, error_r);
}

int
config_load(const char *path, struct config **config_r, char **error_r)
{
	g_autofree char *text = NULL;
	size_t len;

	*config_r = NULL;
	if (config_file_read_keyfile(path, &text, &len, error_r) < 0)
		return -1;
	return config_parse(path, text, len, &config_file_sources, config_r,
	    error_r);
}

struct config *
config_load_cli(const char *path, const char *store, const char *database)
{
	struct config *config = NULL;
	g_autofree char *error = NULL;

	if (config_load(path, &config, &error) < 0) {
		fprintf(stderr, "subgate: %s\n", error);
		return NULL;
	}
	if (store != NULL) {
		g_free(config->store_dir);
		config->store_dir = g_strdup(store);
	}
	if (database != NULL) {
		g_free(config->database);
		config->database = g_strdup(database);
	}
	return config;
}

const struct campaign *
config_campaign_pick(const struct config *config, const char *id)
{
	const struct campaign *c;

	if (id != NULL) {
		c = config_campaign_find(config, id);
		if (c == NULL)
			fprintf(stderr, "subgate: no campaign \"%s\" in %s\n",
			    id, config->path);
		return c;
	}
	if (config->campaign_count == 1)
		return config->campaigns[0];
	fprintf(stderr, "subgate: %s defines %zu campaigns: say which with "
	    "--campaign ID\n", config->path, config->campaign_count);
	return NULL;
}
