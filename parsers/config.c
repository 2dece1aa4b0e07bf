/*
 * config: the main configuration file.  See include/config.h and
 * subgate.conf(5).
 *
 * Secrets never sit in the file itself: passwords come from a file that
 * only the daemon's user can read, or from the environment, so a config
 * can be world-readable and shared with staff.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "campaign.h"
#include "config.h"

#define CONFIG_DEFAULT_POLL	60

/* Line of "key" inside "[group]" in path, for error messages; 0 if unknown. */
static unsigned
config_key_line(const char *path, const char *group, const char *key)
{
	g_autofree char *text = NULL;
	char **lines;
	unsigned found = 0, i;
	int in_group = group == NULL;

	if (!g_file_get_contents(path, &text, NULL, NULL))
		return 0;
	lines = g_strsplit(text, "\n", -1);
	for (i = 0; lines[i] != NULL && found == 0; i++) {
		char *l = g_strstrip(lines[i]);

		if (l[0] == '[') {
			size_t n = strlen(l);
			in_group = n > 2 && l[n - 1] == ']' &&
			    strlen(group) == n - 2 &&
			    strncmp(l + 1, group, n - 2) == 0;
			if (in_group && key == NULL)
				found = i + 1;
			continue;
		}
		if (in_group && key != NULL &&
		    strncmp(l, key, strlen(key)) == 0) {
			const char *rest = l + strlen(key);

			while (*rest == ' ' || *rest == '\t')
				rest++;
			if (*rest == '=')
				found = i + 1;
		}
	}
	g_strfreev(lines);
	return found;
}

static void
config_problem(GString *errors, const char *path, const char *group,
    const char *key, const char *what)
{
	unsigned line = config_key_line(path, group, key);

	if (errors->len > 0)
		g_string_append_c(errors, '\n');
	g_string_append_printf(errors, "%s:%u: [%s]%s%s: %s", path, line,
	    group, key ? " " : "", key ? key : "", what);
}

static char *
config_path_relative(const char *base_path, const char *value)
{
	g_autofree char *dir = NULL;

	if (g_path_is_absolute(value))
		return g_strdup(value);
	dir = g_path_get_dirname(base_path);
	return g_build_filename(dir, value, NULL);
}

static char *
config_string(GKeyFile *kf, const char *group, const char *key,
    const char *def)
{
	char *v = g_key_file_get_string(kf, group, key, NULL);

	if (v == NULL)
		return def ? g_strdup(def) : NULL;
	g_strstrip(v);
	if (*v == '\0') {
		g_free(v);
		return def ? g_strdup(def) : NULL;
	}
	return v;
}

/* A secret from KEY_file (first line) or KEY_env; never inline. */
static char *
config_secret(GKeyFile *kf, const char *path, const char *group,
    const char *what, GString *errors)
{
	g_autofree char *file_key = g_strdup_printf("%s_file", what);
	g_autofree char *env_key = g_strdup_printf("%s_env", what);
	g_autofree char *file = config_string(kf, group, file_key, NULL);
	g_autofree char *env = config_string(kf, group, env_key, NULL);
	g_autoptr(GError) err = NULL;
	char *secret = NULL;

	if (g_key_file_has_key(kf, group, what, NULL)) {
		config_problem(errors, path, group, what,
		    "secrets are not allowed inline; use password_file or password_env");
		return NULL;
	}
	if (file != NULL) {
		g_autofree char *full = config_path_relative(path, file);
		char *nl;

		if (!g_file_get_contents(full, &secret, NULL, &err)) {
			config_problem(errors, path, group, file_key,
			    err->message);
			return NULL;
		}
		if ((nl = strpbrk(secret, "\r\n")) != NULL)
			*nl = '\0';
		return secret;
	}
	if (env != NULL) {
		const char *v = getenv(env);

		if (v == NULL) {
			g_autofree char *msg = g_strdup_printf(
			    "environment variable %s is not set", env);
			config_problem(errors, path, group, env_key, msg);
			return NULL;
		}
		return g_strdup(v);
	}
	return NULL;
}

static const char *const config_known_keys[][12] = {
	{ "subgate", "store", "database", "poll_interval", "campaigns", NULL },
	{ "imap", "host", "port", "tls", "ca_file", "user", "password",
	  "password_file", "password_env", NULL },
	{ "smtp", "url", "ca_file", "user", "password", "password_file",
	  "password_env", "from", "from_name", "starttls", NULL },
};

static void
config_check_keys(GKeyFile *kf, const char *path, GString *errors)
{
	g_auto(GStrv) groups = g_key_file_get_groups(kf, NULL);
	size_t g, k, t;

	for (g = 0; groups[g] != NULL; g++) {
		const char *const *known = NULL;
		g_auto(GStrv) keys = NULL;

		for (t = 0; t < G_N_ELEMENTS(config_known_keys); t++)
			if (strcmp(config_known_keys[t][0], groups[g]) == 0)
				known = &config_known_keys[t][1];
		if (known == NULL) {
			config_problem(errors, path, groups[g], NULL,
			    "unknown section");
			continue;
		}
		keys = g_key_file_get_keys(kf, groups[g], NULL, NULL);
		for (k = 0; keys != NULL && keys[k] != NULL; k++) {
			if (!g_strv_contains(known, keys[k]))
				config_problem(errors, path, groups[g],
				    keys[k], "unknown key");
		}
	}
}

static int
config_load_main(struct config *config, GKeyFile *kf, GString *errors)
{
	const char *path = config->path;
	g_autofree char *store = config_string(kf, "subgate", "store", NULL);
	g_autofree char *db = config_string(kf, "subgate", "database", NULL);
	g_autofree char *tls = NULL;
	g_auto(GStrv) files = NULL;
	GError *err = NULL;
	size_t i;

	config_check_keys(kf, path, errors);
	config->store_dir = config_path_relative(path, store ? store : "store");
	config->database = config_path_relative(path, db ? db : "subgate.db");
	if (g_key_file_has_key(kf, "subgate", "poll_interval", NULL)) {
		config->poll_interval = g_key_file_get_integer(kf, "subgate",
		    "poll_interval", &err);
		if (err != NULL || config->poll_interval < 1) {
			config_problem(errors, path, "subgate",
			    "poll_interval", "must be a number of seconds >= 1");
			g_clear_error(&err);
		}
	}

	if (g_key_file_has_group(kf, "imap")) {
		struct config_imap *imap = &config->imap;

		imap->host = config_string(kf, "imap", "host", NULL);
		if (imap->host == NULL)
			config_problem(errors, path, "imap", "host",
			    "missing");
		tls = config_string(kf, "imap", "tls", "imaps");
		if (strcmp(tls, "imaps") != 0 && strcmp(tls, "starttls") != 0 &&
		    strcmp(tls, "plain") != 0)
			config_problem(errors, path, "imap", "tls",
			    "must be imaps, starttls or plain");
		imap->tls = g_strdup(tls);
		imap->port = strcmp(tls, "imaps") == 0 ? 993 : 143;
		if (g_key_file_has_key(kf, "imap", "port", NULL)) {
			imap->port = g_key_file_get_integer(kf, "imap", "port",
			    &err);
			if (err != NULL || imap->port < 1 || imap->port > 65535) {
				config_problem(errors, path, "imap", "port",
				    "must be a port number");
				g_clear_error(&err);
			}
		}
		imap->ca_file = config_string(kf, "imap", "ca_file", NULL);
		if (imap->ca_file != NULL) {
			char *full = config_path_relative(path, imap->ca_file);

			g_free(imap->ca_file);
			imap->ca_file = full;
		}
		imap->user = config_string(kf, "imap", "user", NULL);
		if (imap->user == NULL)
			config_problem(errors, path, "imap", "user", "missing");
		imap->password = config_secret(kf, path, "imap", "password",
		    errors);
		if (imap->password == NULL && imap->user != NULL &&
		    !g_key_file_has_key(kf, "imap", "password", NULL))
			config_problem(errors, path, "imap", NULL,
			    "password_file or password_env is required");
	}

	if (g_key_file_has_group(kf, "smtp")) {
		struct config_smtp *smtp = &config->smtp;

		smtp->url = config_string(kf, "smtp", "url", NULL);
		if (smtp->url == NULL || (!g_str_has_prefix(smtp->url, "smtp://") &&
		    !g_str_has_prefix(smtp->url, "smtps://")))
			config_problem(errors, path, "smtp", "url",
			    "must be smtp://HOST:PORT or smtps://HOST:PORT");
		smtp->ca_file = config_string(kf, "smtp", "ca_file", NULL);
		if (smtp->ca_file != NULL) {
			char *full = config_path_relative(path, smtp->ca_file);

			g_free(smtp->ca_file);
			smtp->ca_file = full;
		}
		smtp->user = config_string(kf, "smtp", "user", NULL);
		smtp->password = config_secret(kf, path, "smtp", "password",
		    errors);
		smtp->from = config_string(kf, "smtp", "from", NULL);
		if (smtp->from == NULL || strchr(smtp->from, '@') == NULL)
			config_problem(errors, path, "smtp", "from",
			    "must be the address replies come from");
		smtp->from_name = config_string(kf, "smtp", "from_name", NULL);
		smtp->starttls = g_key_file_get_boolean(kf, "smtp", "starttls",
		    NULL);
	}

	files = g_key_file_get_string_list(kf, "subgate", "campaigns", NULL,
	    NULL);
	if (files == NULL || files[0] == NULL) {
		config_problem(errors, path, "subgate", "campaigns",
		    "no campaign files listed");
		return errors->len > 0 ? -1 : 0;
	}
	config->campaigns = g_new0(struct campaign *, g_strv_length(files));
	for (i = 0; files[i] != NULL; i++) {
		g_autofree char *full = NULL;
		g_autofree char *cerr = NULL;
		char *name = g_strstrip(files[i]);
		size_t j;

		if (*name == '\0')
			continue;
		full = config_path_relative(path, name);
		if (campaign_load(full, &config->campaigns[config->campaign_count],
		    &cerr) < 0) {
			if (errors->len > 0)
				g_string_append_c(errors, '\n');
			g_string_append(errors, cerr);
			continue;
		}
		for (j = 0; j < config->campaign_count; j++) {
			if (strcmp(campaign_id(config->campaigns[j]),
			    campaign_id(config->campaigns[config->campaign_count])) == 0) {
				g_autofree char *msg = g_strdup_printf(
				    "campaign id \"%s\" is defined twice",
				    campaign_id(config->campaigns[j]));
				config_problem(errors, path, "subgate",
				    "campaigns", msg);
			}
		}
		config->campaign_count++;
	}
	return errors->len > 0 ? -1 : 0;
}

int
config_load(const char *path, struct config **config_r, char **error_r)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) err = NULL;
	g_autoptr(GString) errors = g_string_new(NULL);
	struct config *config;

	*config_r = NULL;
	if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, &err)) {
		*error_r = g_strdup_printf("%s: %s", path, err->message);
		return -1;
	}
	config = g_new0(struct config, 1);
	config->path = g_strdup(path);
	config->poll_interval = CONFIG_DEFAULT_POLL;

	if (g_key_file_has_group(kf, "campaign") &&
	    !g_key_file_has_group(kf, "subgate")) {
		/* A single campaign file: handy for parse-subject, ingest
		 * and check-config while a campaign is being written. */
		g_autofree char *cerr = NULL;

		config->store_dir = g_strdup("store");
		config->database = g_strdup("subgate.db");
		config->campaigns = g_new0(struct campaign *, 1);
		if (campaign_load_keyfile(kf, path, &config->campaigns[0],
		    &cerr) < 0)
			g_string_append(errors, cerr);
		else
			config->campaign_count = 1;
	} else if (g_key_file_has_group(kf, "subgate")) {
		(void)config_load_main(config, kf, errors);
	} else {
		g_string_append_printf(errors,
		    "%s: neither a [subgate] main configuration nor a [campaign] file",
		    path);
	}
	if (errors->len > 0) {
		config_free(&config);
		*error_r = g_strdup(errors->str);
		return -1;
	}
	*config_r = config;
	return 0;
}

static void
config_secret_free(char **secret)
{
	if (*secret != NULL)
		explicit_bzero(*secret, strlen(*secret));
	g_clear_pointer(secret, g_free);
}

void
config_free(struct config **configp)
{
	struct config *config = *configp;
	size_t i;

	if (config == NULL)
		return;
	*configp = NULL;
	for (i = 0; i < config->campaign_count; i++)
		campaign_free(&config->campaigns[i]);
	g_free(config->campaigns);
	g_free(config->imap.host);
	g_free(config->imap.tls);
	g_free(config->imap.ca_file);
	g_free(config->imap.user);
	config_secret_free(&config->imap.password);
	g_free(config->smtp.url);
	g_free(config->smtp.ca_file);
	g_free(config->smtp.user);
	config_secret_free(&config->smtp.password);
	g_free(config->smtp.from);
	g_free(config->smtp.from_name);
	g_free(config->store_dir);
	g_free(config->database);
	g_free(config->path);
	g_free(config);
}

const struct campaign *
config_campaign_find(const struct config *config, const char *id)
{
	size_t i;

	for (i = 0; i < config->campaign_count; i++)
		if (strcmp(campaign_id(config->campaigns[i]), id) == 0)
			return config->campaigns[i];
	return NULL;
}
