/*
 * The [imap] section of subgate.conf (auth, XOAUTH2 token sources,
 * timeout, idle) and imap_oauth_token(), which reads the token from a file
 * or a command.  The XOAUTH2 exchange itself is tested end to end against
 * a scripted server (tests/e2e/imap-xoauth2.sh).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "config.h"
#include "config_file.h"
#include "imap.h"
#include "test.h"

#define CAMPAIGN	"contrib/campaigns/fupin2020.campaign"

static char *test_dir;

/* Loads a main config whose [imap] section is imap_lines; returns the
 * config (or NULL) and the error text in *error_r. */
static struct config *
load_imap(const char *imap_lines, char **error_r)
{
	g_autofree char *campaign = g_canonicalize_filename(CAMPAIGN, NULL);
	g_autofree char *path = g_build_filename(test_dir, "subgate.conf",
	    NULL);
	g_autofree char *text = g_strdup_printf(
	    "[subgate]\ncampaigns = %s\n\n[imap]\nhost = imap.example.test\n"
	    "user = campaign@example.test\n%s", campaign, imap_lines);
	struct config *config = NULL;

	*error_r = NULL;
	g_assert(g_file_set_contents(path, text, -1, NULL));
	if (config_load(path, &config, error_r) < 0)
		return NULL;
	return config;
}

static void
write_file(const char *name, const char *text)
{
	g_autofree char *path = g_build_filename(test_dir, name, NULL);

	g_assert(g_file_set_contents(path, text, -1, NULL));
}

static void
test_config(void)
{
	struct config *c;
	char *error;

	write_file("pass", "pw\n");
	c = load_imap("password_file = pass\n", &error);
	TEST_CHECK("config-password-default", c != NULL &&
	    c->imap.auth == CONFIG_IMAP_AUTH_PASSWORD &&
	    strcmp(c->imap.password, "pw") == 0);
	TEST_CHECK("config-defaults", c != NULL && c->imap.timeout == 120 &&
	    c->imap.idle && c->imap.port == 993 &&
	    strcmp(c->imap.tls, "imaps") == 0 &&
	    c->imap.oauth_token_file == NULL &&
	    c->imap.oauth_token_command == NULL);
	config_free(&c);
	g_free(error);

	c = load_imap("password_file = pass\ntimeout = 30\nidle = false\n"
	    "tls = starttls\n", &error);
	TEST_CHECK("config-timeout-idle", c != NULL &&
	    c->imap.timeout == 30 && !c->imap.idle && c->imap.port == 143);
	config_free(&c);
	g_free(error);

	c = load_imap("auth = xoauth2\noauth_token_file = token\n", &error);
	TEST_CHECK("config-xoauth2-file", c != NULL &&
	    c->imap.auth == CONFIG_IMAP_AUTH_XOAUTH2 &&
	    c->imap.password == NULL &&
	    g_str_has_suffix(c->imap.oauth_token_file, "/token") &&
	    g_path_is_absolute(c->imap.oauth_token_file));
	config_free(&c);
	g_free(error);

	c = load_imap("auth = xoauth2\noauth_token_command = "
	    "oauth2l fetch --cache ~/.oauth2l\n", &error);
	TEST_CHECK("config-xoauth2-command", c != NULL &&
	    c->imap.auth == CONFIG_IMAP_AUTH_XOAUTH2 &&
	    strcmp(c->imap.oauth_token_command,
	    "oauth2l fetch --cache ~/.oauth2l") == 0);
	config_free(&c);
	g_free(error);

	c = load_imap("auth = xoauth2\n", &error);
	TEST_CHECK("config-xoauth2-needs-a-source", c == NULL && error &&
	    strstr(error, "exactly one of oauth_token_file and "
	    "oauth_token_command") != NULL);
	g_free(error);

	c = load_imap("auth = xoauth2\noauth_token_file = t\n"
	    "oauth_token_command = echo x\n", &error);
	TEST_CHECK("config-xoauth2-not-both", c == NULL && error &&
	    strstr(error, "exactly one") != NULL);
	g_free(error);

	c = load_imap("auth = xoauth2\noauth_token_file = t\n"
	    "password_file = pass\n", &error);
	TEST_CHECK("config-xoauth2-no-password", c == NULL && error &&
	    strstr(error, "xoauth2 takes no password") != NULL);
	g_free(error);

	c = load_imap("password_file = pass\noauth_token_file = t\n", &error);
	TEST_CHECK("config-token-needs-xoauth2", c == NULL && error &&
	    strstr(error, "need auth = xoauth2") != NULL);
	g_free(error);

	c = load_imap("auth = kerberos\npassword_file = pass\n", &error);
	TEST_CHECK("config-auth-unknown", c == NULL && error &&
	    strstr(error, "[imap] auth: must be password or xoauth2") != NULL);
	g_free(error);

	c = load_imap("password_file = pass\ntimeout = 0\n", &error);
	TEST_CHECK("config-timeout-zero", c == NULL && error &&
	    strstr(error, "[imap] timeout:") != NULL);
	g_free(error);

	c = load_imap("password_file = pass\nidle = sometimes\n", &error);
	TEST_CHECK("config-idle-not-boolean", c == NULL && error &&
	    strstr(error, "[imap] idle: must be true or false") != NULL);
	g_free(error);

	c = load_imap("password_file = pass\nidle_interval = 5\n", &error);
	TEST_CHECK("config-unknown-key", c == NULL && error &&
	    strstr(error, "[imap] idle_interval: unknown key") != NULL);
	g_free(error);

	c = load_imap("\n", &error);
	TEST_CHECK("config-password-still-required", c == NULL && error &&
	    strstr(error, "password_file or password_env is required") != NULL);
	g_free(error);
}

/* imap_oauth_token with the given source; returns its result. */
static int
token_from(const char *file, const char *command, char **token_r,
    char **error_r)
{
	struct config_imap imap = { 0 };
	g_autofree char *path = file ? g_build_filename(test_dir, file,
	    NULL) : NULL;

	imap.auth = CONFIG_IMAP_AUTH_XOAUTH2;
	imap.oauth_token_file = path;
	imap.oauth_token_command = (char *)command;
	*token_r = NULL;
	*error_r = NULL;
	return imap_oauth_token(&imap, token_r, error_r);
}

static void
test_token(void)
{
	char *token, *error;
	int r;

	write_file("token", "  ya29.a0AfH6SMB-x_y~z+/=  \nsecond line\n");
	r = token_from("token", NULL, &token, &error);
	TEST_CHECK_STR("token-file-first-line", r == 0 ? token : error,
	    "ya29.a0AfH6SMB-x_y~z+/=");
	g_free(token);
	g_free(error);

	r = token_from("no-such-token", NULL, &token, &error);
	TEST_CHECK("token-file-missing", r < 0 && token == NULL &&
	    strstr(error, "oauth_token_file:") != NULL);
	g_free(error);

	write_file("empty", "\nya29.second\n");
	r = token_from("empty", NULL, &token, &error);
	TEST_CHECK("token-file-empty-first-line", r < 0 &&
	    strstr(error, "no token on the first line") != NULL);
	g_free(error);

	write_file("json", "{\"access_token\": \"ya29\"}\n");
	r = token_from("json", NULL, &token, &error);
	TEST_CHECK("token-file-not-a-token", r < 0 &&
	    strstr(error, "not a bearer token") != NULL);
	g_free(error);

	r = token_from(NULL, "echo ' tok-en.1 '; echo other", &token, &error);
	TEST_CHECK_STR("token-command", r == 0 ? token : error, "tok-en.1");
	g_free(token);
	g_free(error);

	r = token_from(NULL, "echo tok; exit 3", &token, &error);
	TEST_CHECK("token-command-status", r < 0 && token == NULL &&
	    strstr(error, "exited with status 3") != NULL);
	g_free(error);

	r = token_from(NULL, "kill -9 $$", &token, &error);
	TEST_CHECK("token-command-killed", r < 0 &&
	    strstr(error, "killed by signal 9") != NULL);
	g_free(error);

	r = token_from(NULL, "true", &token, &error);
	TEST_CHECK("token-command-no-output", r < 0 &&
	    strstr(error, "no token on the first line") != NULL);
	g_free(error);

	/* Its stdin is /dev/null: a command that reads stdin cannot hang. */
	r = token_from(NULL, "cat; echo tok", &token, &error);
	TEST_CHECK_STR("token-command-stdin-null", r == 0 ? token : error,
	    "tok");
	g_free(token);
	g_free(error);

	r = token_from(NULL, "head -c 20000 /dev/zero | tr '\\0' a", &token,
	    &error);
	TEST_CHECK("token-command-too-long", r < 0 && token == NULL &&
	    strstr(error, "more than 16384 bytes") != NULL);
	g_free(error);

	r = token_from(NULL, NULL, &token, &error);
	TEST_CHECK("token-no-source", r < 0 &&
	    strstr(error, "neither oauth_token_file") != NULL);
	g_free(error);
}

int
main(void)
{
	g_autofree char *rm = NULL;

	test_dir = g_dir_make_tmp("subgate-test-imap-XXXXXX", NULL);
	g_assert(test_dir != NULL);
	test_config();
	test_token();
	rm = g_strdup_printf("rm -rf '%s'", test_dir);
	if (system(rm) != 0)
		printf("FAIL cleanup: %s\n", rm);
	g_free(test_dir);
	return TEST_EXIT();
}
