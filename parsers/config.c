/*
 * config: the main configuration file.  See include/config.h and
 * subgate.conf(5).
 *
 * Secrets never sit in the file itself: passwords come from a file that
 * only the daemon's user can read, or from the environment, so a config
 * can be world-readable and shared with staff.
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "campaign.h"
#include "config.h"
#include "keyfile.h"
#include "mail_limits.h"
#include "question.h"

#define CONFIG_DEFAULT_POLL	60
/* Case folders readable by the staff group, by nobody else. */
#define CONFIG_DEFAULT_UMASK	0027
/* Seconds one IMAP read, write or connect may take. */
#define CONFIG_DEFAULT_IMAP_TIMEOUT	120

/* What problems are found, one a line, and where to find their lines. */
struct config_problems {
	GString *text;
	struct keyfile_lines *lines;
};

static void
config_problem(struct config_problems *errors, const char *path,
    const char *group, const char *key, const char *what)
{
	/* A required key that is missing has no line: its group's is
	 * shown, and when the group is missing too, none. */
	unsigned line = keyfile_lines_find(errors->lines, group, key);

	if (line == 0 && key != NULL)
		line = keyfile_lines_find(errors->lines, group, NULL);
	if (errors->text->len > 0)
		g_string_append_c(errors->text, '\n');
	if (line > 0)
		g_string_append_printf(errors->text, "%s:%u: ", path, line);
	else
		g_string_append_printf(errors->text, "%s: ", path);
	g_string_append_printf(errors->text, "[%s]%s%s: %s", group,
	    key ? " " : "", key ? key : "", what);
}

/* A campaign's own problems, already one a line with file and line. */
static void
config_problems_append(struct config_problems *errors, const char *text)
{
	if (errors->text->len > 0)
		g_string_append_c(errors->text, '\n');
	g_string_append(errors->text, text);
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

/* A secret from KEY_file (first line) or KEY_env; never inline.  The
 * caller reads the file and the environment (struct config_sources). */
static char *
config_secret(GKeyFile *kf, const char *path,
    const struct config_sources *sources, const char *group,
    const char *what, struct config_problems *errors)
{
	g_autofree char *file_key = g_strdup_printf("%s_file", what);
	g_autofree char *env_key = g_strdup_printf("%s_env", what);
	g_autofree char *file = config_string(kf, group, file_key, NULL);
	g_autofree char *env = config_string(kf, group, env_key, NULL);
	char *secret = NULL;

	if (g_key_file_has_key(kf, group, what, NULL)) {
		config_problem(errors, path, group, what,
		    "secrets are not allowed inline; use password_file or password_env");
		return NULL;
	}
	if (file != NULL) {
		g_autofree char *full = keyfile_path_relative(path, file);
		g_autofree char *err = NULL;
		size_t len;
		char *nl;

		if (sources->read_file(sources->ctx, full, &secret, &len,
		    &err) < 0) {
			config_problem(errors, path, group, file_key, err);
			return NULL;
		}
		if ((nl = strpbrk(secret, "\r\n")) != NULL)
			*nl = '\0';
		return secret;
	}
	if (env != NULL) {
		const char *v = sources->env_value(sources->ctx, env);

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

static const char *const config_known_keys[][26] = {
	{ "subgate", "store", "database", "poll_interval", "campaigns", "umask",
	  NULL },
	{ "imap", "host", "port", "tls", "ca_file", "user", "password",
	  "password_file", "password_env", "auth", "oauth_token_file",
	  "oauth_token_command", "timeout", "idle", "post_action",
	  "post_folder", "post_flag", NULL },
	{ "smtp", "url", "ca_file", "user", "password", "password_file",
	  "password_env", "from", "from_name", "starttls", "auth",
	  "mechanism", "oauth_token_file", "oauth_token_command", "also_ours",
	  "rate_per_recipient_hour", "rate_global_minute",
	  "rate_per_domain_hour", "rate_refusals_hour",
	  "question_ack_hours", "question_forwards_day",
	  "require_authentication_results", "authserv_id", "timeout",
	  "send_budget", NULL },
	{ "limits", "subject_bytes", "mime_depth", "mime_parts", "header_bytes",
	  "header_fields", "preamble_bytes", "message_size", NULL },
	{ "clamd", "socket", "timeout", "quarantine", NULL },
	{ "links", "fetch_budget", "ca_file", "resolve", NULL },
};

static void
config_check_keys(GKeyFile *kf, const char *path,
    struct config_problems *errors)
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

/* [imap] auth and its credentials: a password, or an OAuth 2.0 bearer
 * token that something outside subgate keeps fresh. */
static void
config_load_imap_auth(GKeyFile *kf, const char *path,
    const struct config_sources *sources, struct config_imap *imap,
    struct config_problems *errors)
{
	g_autofree char *auth = config_string(kf, "imap", "auth", "password");

	if (strcmp(auth, "password") == 0) {
		imap->auth = CONFIG_IMAP_AUTH_PASSWORD;
	} else if (strcmp(auth, "xoauth2") == 0) {
		imap->auth = CONFIG_IMAP_AUTH_XOAUTH2;
	} else {
		config_problem(errors, path, "imap", "auth",
		    "must be password or xoauth2");
		return;
	}
	imap->oauth_token_file = config_string(kf, "imap", "oauth_token_file",
	    NULL);
	if (imap->oauth_token_file != NULL) {
		char *full = keyfile_path_relative(path, imap->oauth_token_file);

		g_free(imap->oauth_token_file);
		imap->oauth_token_file = full;
	}
	imap->oauth_token_command = config_string(kf, "imap",
	    "oauth_token_command", NULL);
	if (imap->auth == CONFIG_IMAP_AUTH_PASSWORD) {
		if (imap->oauth_token_file != NULL ||
		    imap->oauth_token_command != NULL)
			config_problem(errors, path, "imap", "auth",
			    "oauth_token_file and oauth_token_command need "
			    "auth = xoauth2");
		imap->password = config_secret(kf, path, sources, "imap",
		    "password", errors);
		/* A secret file that cannot be read was said above. */
		if (imap->password == NULL && imap->user != NULL &&
		    !g_key_file_has_key(kf, "imap", "password", NULL) &&
		    !g_key_file_has_key(kf, "imap", "password_file", NULL) &&
		    !g_key_file_has_key(kf, "imap", "password_env", NULL))
			config_problem(errors, path, "imap", NULL,
			    "password_file or password_env is required");
		return;
	}
	if (g_key_file_has_key(kf, "imap", "password", NULL) ||
	    g_key_file_has_key(kf, "imap", "password_file", NULL) ||
	    g_key_file_has_key(kf, "imap", "password_env", NULL))
		config_problem(errors, path, "imap", "auth",
		    "xoauth2 takes no password; set oauth_token_file or "
		    "oauth_token_command");
	if ((imap->oauth_token_file == NULL) ==
	    (imap->oauth_token_command == NULL))
		config_problem(errors, path, "imap", NULL, "auth = xoauth2 "
		    "needs exactly one of oauth_token_file and "
		    "oauth_token_command");
}

/* A boolean key; def when absent. */
static bool
config_bool(GKeyFile *kf, const char *path, const char *group,
    const char *key, bool def, struct config_problems *errors)
{
	g_autoptr(GError) err = NULL;
	bool v;

	if (!g_key_file_has_key(kf, group, key, NULL))
		return def;
	v = g_key_file_get_boolean(kf, group, key, &err);
	if (err != NULL) {
		config_problem(errors, path, group, key, "must be true or false");
		return def;
	}
	return v;
}

/* A count from 0 to max; def when absent. */
static unsigned
config_count(GKeyFile *kf, const char *path, const char *group,
    const char *key, unsigned def, unsigned max, struct config_problems *errors)
{
	g_autoptr(GError) err = NULL;
	gint64 v;

	if (!g_key_file_has_key(kf, group, key, NULL))
		return def;
	v = g_key_file_get_int64(kf, group, key, &err);
	if (err != NULL || v < 0 || v > (gint64)max) {
		g_autofree char *what = g_strdup_printf(
		    "must be a number from 0 to %u (0: no limit)", max);

		config_problem(errors, path, group, key, what);
		return def;
	}
	return (unsigned)v;
}

/* A number of seconds from 1 to max; def when absent. */
static unsigned
config_seconds(GKeyFile *kf, const char *path, const char *group,
    const char *key, unsigned def, unsigned max,
    struct config_problems *errors)
{
	g_autoptr(GError) err = NULL;
	gint64 v;

	if (!g_key_file_has_key(kf, group, key, NULL))
		return def;
	v = g_key_file_get_int64(kf, group, key, &err);
	if (err != NULL || v < 1 || v > (gint64)max) {
		g_autofree char *what = g_strdup_printf(
		    "must be a number of seconds from 1 to %u", max);

		config_problem(errors, path, group, key, what);
		return def;
	}
	return (unsigned)v;
}

/* Whether a URL's host is this machine, where a clear-text hop to the
 * submission server crosses no network. */
static bool
config_host_is_loopback(const char *host)
{
	return strcmp(host, "localhost") == 0 || strcmp(host, "::1") == 0 ||
	    (g_str_has_prefix(host, "127.") &&
	    g_hostname_is_ip_address(host));
}

static bool
config_url_is_loopback(const char *url)
{
	g_autoptr(GUri) uri = g_uri_parse(url, G_URI_FLAGS_NONE, NULL);

	/* The host as a URL parser sees it: smtp://127.0.0.1.evil.test and
	 * smtp://localhost:x@evil.test are not this machine. */
	return uri != NULL && g_uri_get_host(uri) != NULL &&
	    config_host_is_loopback(g_uri_get_host(uri));
}

/* [smtp] AUTH: a password or app code (AUTH PLAIN or LOGIN), or an
 * OAuth 2.0 bearer token (AUTH XOAUTH2), as for IMAP. */
static void
config_load_smtp_auth(GKeyFile *kf, const char *path,
    const struct config_sources *sources, struct config_smtp *smtp,
    struct config_problems *errors)
{
	g_autofree char *auth = config_string(kf, "smtp", "auth", "password");
	g_autofree char *mech = config_string(kf, "smtp", "mechanism", NULL);

	smtp->user = config_string(kf, "smtp", "user", NULL);
	smtp->starttls = config_bool(kf, path, "smtp", "starttls", false,
	    errors);
	if (strcmp(auth, "password") == 0) {
		smtp->auth = CONFIG_SMTP_AUTH_PASSWORD;
	} else if (strcmp(auth, "xoauth2") == 0) {
		smtp->auth = CONFIG_SMTP_AUTH_XOAUTH2;
	} else {
		config_problem(errors, path, "smtp", "auth",
		    "must be password or xoauth2");
		return;
	}
	if (mech != NULL) {
		if (g_ascii_strcasecmp(mech, "plain") != 0 &&
		    g_ascii_strcasecmp(mech, "login") != 0)
			config_problem(errors, path, "smtp", "mechanism",
			    "must be plain or login");
		else if (smtp->auth != CONFIG_SMTP_AUTH_PASSWORD)
			config_problem(errors, path, "smtp", "mechanism",
			    "only for auth = password");
		else
			smtp->mechanism = g_ascii_strup(mech, -1);
	}
	smtp->oauth_token_file = config_string(kf, "smtp", "oauth_token_file",
	    NULL);
	if (smtp->oauth_token_file != NULL) {
		char *full = keyfile_path_relative(path, smtp->oauth_token_file);

		g_free(smtp->oauth_token_file);
		smtp->oauth_token_file = full;
	}
	smtp->oauth_token_command = config_string(kf, "smtp",
	    "oauth_token_command", NULL);
	if (smtp->auth == CONFIG_SMTP_AUTH_PASSWORD) {
		if (smtp->oauth_token_file != NULL ||
		    smtp->oauth_token_command != NULL)
			config_problem(errors, path, "smtp", "auth",
			    "oauth_token_file and oauth_token_command need "
			    "auth = xoauth2");
		smtp->password = config_secret(kf, path, sources, "smtp",
		    "password", errors);
		if (smtp->user != NULL && smtp->password == NULL &&
		    !g_key_file_has_key(kf, "smtp", "password", NULL))
			config_problem(errors, path, "smtp", NULL,
			    "user needs password_file or password_env");
	} else {
		if (g_key_file_has_key(kf, "smtp", "password", NULL) ||
		    g_key_file_has_key(kf, "smtp", "password_file", NULL) ||
		    g_key_file_has_key(kf, "smtp", "password_env", NULL))
			config_problem(errors, path, "smtp", "auth",
			    "xoauth2 takes no password; set oauth_token_file "
			    "or oauth_token_command");
		if (smtp->user == NULL)
			config_problem(errors, path, "smtp", "user",
			    "auth = xoauth2 needs the account's address");
		if ((smtp->oauth_token_file == NULL) ==
		    (smtp->oauth_token_command == NULL))
			config_problem(errors, path, "smtp", NULL, "auth = "
			    "xoauth2 needs exactly one of oauth_token_file and "
			    "oauth_token_command");
	}
	/* A password or token never crosses a network in clear text. */
	if (smtp->user != NULL && smtp->url != NULL &&
	    g_str_has_prefix(smtp->url, "smtp://") && !smtp->starttls &&
	    !config_url_is_loopback(smtp->url))
		config_problem(errors, path, "smtp", "starttls", "AUTH over "
		    "smtp:// needs starttls = true (or use smtps://)");
	if (smtp->starttls && smtp->url != NULL &&
	    g_str_has_prefix(smtp->url, "smtps://"))
		config_problem(errors, path, "smtp", "starttls",
		    "smtps:// is TLS from the start; starttls is for smtp://");
}

/* Defaults of the responder's limits: well under what 163, QQ and
 * Exchange Online let one mailbox send before they throttle it. */
#define CONFIG_DEFAULT_RATE_RECIPIENT_HOUR	20
#define CONFIG_DEFAULT_RATE_GLOBAL_MINUTE	30
/* A unit's whole office may share a domain and correct its subjects on
 * the last day; a stranger's flood of forged senders at one domain is
 * larger.  Receipts are not counted against either. */
#define CONFIG_DEFAULT_RATE_DOMAIN_HOUR		60
#define CONFIG_DEFAULT_RATE_REFUSALS_HOUR	300

/* [smtp] what keeps the responder from looping or spraying. */
static void
config_load_responder(GKeyFile *kf, const char *path,
    struct config_smtp *smtp, struct config_problems *errors)
{
	g_auto(GStrv) ours = g_key_file_get_string_list(kf, "smtp",
	    "also_ours", NULL, NULL);
	GPtrArray *list = g_ptr_array_new();
	size_t i;

	for (i = 0; ours != NULL && ours[i] != NULL; i++) {
		char *a = g_strstrip(ours[i]);

		if (*a == '\0')
			continue;
		if (strchr(a, '@') == NULL)
			config_problem(errors, path, "smtp", "also_ours",
			    "must list mail addresses");
		g_ptr_array_add(list, g_strdup(a));
	}
	g_ptr_array_add(list, NULL);
	smtp->also_ours = (char **)g_ptr_array_free(list, FALSE);
	smtp->rate_per_recipient_hour = config_count(kf, path, "smtp",
	    "rate_per_recipient_hour", CONFIG_DEFAULT_RATE_RECIPIENT_HOUR,
	    100000, errors);
	smtp->rate_global_minute = config_count(kf, path, "smtp",
	    "rate_global_minute", CONFIG_DEFAULT_RATE_GLOBAL_MINUTE, 100000,
	    errors);
	smtp->rate_per_domain_hour = config_count(kf, path, "smtp",
	    "rate_per_domain_hour", CONFIG_DEFAULT_RATE_DOMAIN_HOUR, 100000,
	    errors);
	smtp->rate_refusals_hour = config_count(kf, path, "smtp",
	    "rate_refusals_hour", CONFIG_DEFAULT_RATE_REFUSALS_HOUR, 100000,
	    errors);
	/* People's questions (question.h): acknowledged once per interval,
	 * forwarded to staff a bounded number a day. */
	smtp->question_ack_hours = config_count(kf, path, "smtp",
	    "question_ack_hours", QUESTION_ACK_INTERVAL_HOURS, 24 * 366,
	    errors);
	smtp->question_forwards_day = config_count(kf, path, "smtp",
	    "question_forwards_day", QUESTION_FORWARDS_PER_DAY, 100000,
	    errors);
	smtp->require_authentication_results = config_bool(kf, path, "smtp",
	    "require_authentication_results", false, errors);
	smtp->authserv_id = config_string(kf, "smtp", "authserv_id", NULL);
}

/* [imap] post_action: nothing, a keyword, or a move after the commit. */
static void
config_load_post_action(GKeyFile *kf, const char *path,
    struct config_imap *imap, struct config_problems *errors)
{
	g_autofree char *action = config_string(kf, "imap", "post_action",
	    "none");

	imap->post_folder = config_string(kf, "imap", "post_folder", NULL);
	imap->post_flag = config_string(kf, "imap", "post_flag",
	    "$SubgateFiled");
	if (strcmp(action, "none") == 0) {
		imap->post_action = CONFIG_POST_NONE;
	} else if (strcmp(action, "flag") == 0) {
		imap->post_action = CONFIG_POST_FLAG;
		/* An IMAP keyword is an atom: no spaces, no specials. */
		if (imap->post_flag[strcspn(imap->post_flag,
		    " (){%*\"\\]")] != '\0' || imap->post_flag[0] == '\\')
			config_problem(errors, path, "imap", "post_flag",
			    "must be an IMAP keyword such as $SubgateFiled");
	} else if (strcmp(action, "move") == 0) {
		imap->post_action = CONFIG_POST_MOVE;
		if (imap->post_folder == NULL)
			config_problem(errors, path, "imap", "post_folder",
			    "post_action = move needs the folder to move to");
	} else {
		config_problem(errors, path, "imap", "post_action",
		    "must be none, flag or move");
	}
}

static bool config_parse_size(const char *text, uint64_t *n_r);

/* [limits]: each bounded so a typo cannot switch a protection off.  A key
 * not set stays 0 in *limits: its default (see mail_limits.h). */
static void
config_load_limits(GKeyFile *kf, const char *path, struct mail_limits *limits,
    struct config_problems *errors)
{
	static const struct {
		const char *key;
		uint64_t min, max;
	} bounds[] = {
		{ "subject_bytes", 64, LIMIT_SUBJECT_BYTES },
		{ "mime_depth", 2, 64 },
		{ "mime_parts", 2, 10000 },
		{ "header_bytes", 4096, 16 * 1024 * 1024 },
		{ "header_fields", 100, 100000 },
		{ "preamble_bytes", 4096, 64 * 1024 * 1024 },
		{ "message_size", 1024, 64ULL * 1024 * 1024 * 1024 },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(bounds); i++) {
		g_autofree char *v = config_string(kf, "limits", bounds[i].key,
		    NULL);
		uint64_t n;

		if (v == NULL)
			continue;
		if (!config_parse_size(v, &n) || n < bounds[i].min ||
		    n > bounds[i].max) {
			g_autofree char *msg = g_strdup_printf("must be a number "
			    "from %llu to %llu (K, M and G suffixes allowed)",
			    (unsigned long long)bounds[i].min,
			    (unsigned long long)bounds[i].max);

			config_problem(errors, path, "limits", bounds[i].key, msg);
			continue;
		}
		switch (i) {
		case 0: limits->subject_bytes = (size_t)n; break;
		case 1: limits->mime_depth = (unsigned)n; break;
		case 2: limits->mime_parts = (unsigned)n; break;
		case 3: limits->header_bytes = (size_t)n; break;
		case 4: limits->header_fields = (unsigned)n; break;
		case 5: limits->preamble_bytes = (size_t)n; break;
		default: limits->message_bytes = n; break;
		}
	}
}

/* "200M", "4096", "1G": a byte count with an optional binary suffix. */
static bool
config_parse_size(const char *text, uint64_t *n_r)
{
	char *end = NULL;
	uint64_t n;

	if (!g_ascii_isdigit(*text))
		return false;
	n = g_ascii_strtoull(text, &end, 10);
	switch (g_ascii_toupper(*end)) {
	case 'K': n <<= 10; end++; break;
	case 'M': n <<= 20; end++; break;
	case 'G': n <<= 30; end++; break;
	default: break;
	}
	if (*end != '\0')
		return false;
	*n_r = n;
	return true;
}

/* [subgate]: where the store and database live, how often to poll. */
static void
config_load_subgate(struct config *config, GKeyFile *kf,
    struct config_problems *errors)
{
	const char *path = config->path;
	g_autofree char *store = config_string(kf, "subgate", "store", NULL);
	g_autofree char *db = config_string(kf, "subgate", "database", NULL);
	GError *err = NULL;

	config->store_dir = keyfile_path_relative(path, store ? store : "store");
	config->database = keyfile_path_relative(path, db ? db : "subgate.db");
	if (g_key_file_has_key(kf, "subgate", "poll_interval", NULL)) {
		config->poll_interval = g_key_file_get_integer(kf, "subgate",
		    "poll_interval", &err);
		if (err != NULL || config->poll_interval < 1) {
			config_problem(errors, path, "subgate",
			    "poll_interval", "must be a number of seconds >= 1");
			g_clear_error(&err);
		}
	}

	if (g_key_file_has_key(kf, "subgate", "umask", NULL)) {
		g_autofree char *mask = config_string(kf, "subgate", "umask",
		    "");
		char *end = NULL;
		unsigned long v = strtoul(mask, &end, 8);

		/* Whatever staff choose, the store never becomes
		 * world-writable. */
		if (*mask == '\0' || *end != '\0' || v > 0777)
			config_problem(errors, path, "subgate", "umask",
			    "must be an octal mask such as 0027");
		else
			config->umask = (unsigned)v | 002;
	}
}

/* [imap] host, tls and port: the connection, before who logs in. */
static void
config_load_imap_server(GKeyFile *kf, const char *path,
    struct config_imap *imap, struct config_problems *errors)
{
	g_autofree char *tls = NULL;
	GError *err = NULL;

	imap->host = config_string(kf, "imap", "host", NULL);
	if (imap->host == NULL)
		config_problem(errors, path, "imap", "host",
		    "missing");
	tls = config_string(kf, "imap", "tls", "imaps");
	if (strcmp(tls, "imaps") != 0 && strcmp(tls, "starttls") != 0 &&
	    strcmp(tls, "plain") != 0)
		config_problem(errors, path, "imap", "tls",
		    "must be imaps, starttls or plain");
	/* LOGIN and XOAUTH2 send the secret as it is: in clear only
	 * to this machine (a local Dovecot, a test stack). */
	if (strcmp(tls, "plain") == 0 && imap->host != NULL &&
	    !config_host_is_loopback(imap->host))
		config_problem(errors, path, "imap", "tls",
		    "plain IMAP would send the password in clear to "
		    "another machine: use imaps or starttls");
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
		char *full = keyfile_path_relative(path, imap->ca_file);

		g_free(imap->ca_file);
		imap->ca_file = full;
	}
}

/* [imap]: the mailbox submissions arrive in. */
static void
config_load_imap(GKeyFile *kf, const char *path,
    const struct config_sources *sources, struct config_imap *imap,
    struct config_problems *errors)
{
	GError *err = NULL;

	config_load_imap_server(kf, path, imap, errors);
	imap->user = config_string(kf, "imap", "user", NULL);
	if (imap->user == NULL)
		config_problem(errors, path, "imap", "user", "missing");
	config_load_imap_auth(kf, path, sources, imap, errors);
	imap->timeout = CONFIG_DEFAULT_IMAP_TIMEOUT;
	if (g_key_file_has_key(kf, "imap", "timeout", NULL)) {
		imap->timeout = g_key_file_get_integer(kf, "imap",
		    "timeout", &err);
		if (err != NULL || imap->timeout < 1 ||
		    imap->timeout > 3600) {
			config_problem(errors, path, "imap", "timeout",
			    "must be a number of seconds from 1 to 3600");
			g_clear_error(&err);
		}
	}
	imap->idle = true;
	if (g_key_file_has_key(kf, "imap", "idle", NULL)) {
		imap->idle = g_key_file_get_boolean(kf, "imap", "idle",
		    &err);
		if (err != NULL) {
			config_problem(errors, path, "imap", "idle",
			    "must be true or false");
			g_clear_error(&err);
		}
	}
	config_load_post_action(kf, path, imap, errors);
}

/* [smtp]: the server replies leave through. */
static void
config_load_smtp(GKeyFile *kf, const char *path,
    const struct config_sources *sources, struct config_smtp *smtp,
    struct config_problems *errors)
{
	smtp->url = config_string(kf, "smtp", "url", NULL);
	if (smtp->url == NULL || (!g_str_has_prefix(smtp->url, "smtp://") &&
	    !g_str_has_prefix(smtp->url, "smtps://")))
		config_problem(errors, path, "smtp", "url",
		    "must be smtp://HOST:PORT or smtps://HOST:PORT");
	smtp->ca_file = config_string(kf, "smtp", "ca_file", NULL);
	if (smtp->ca_file != NULL) {
		char *full = keyfile_path_relative(path, smtp->ca_file);

		g_free(smtp->ca_file);
		smtp->ca_file = full;
	}
	smtp->from = config_string(kf, "smtp", "from", NULL);
	if (smtp->from == NULL || strchr(smtp->from, '@') == NULL)
		config_problem(errors, path, "smtp", "from",
		    "must be the address replies come from");
	smtp->from_name = config_string(kf, "smtp", "from_name", NULL);
	config_load_smtp_auth(kf, path, sources, smtp, errors);
	config_load_responder(kf, path, smtp, errors);
	smtp->timeout = config_seconds(kf, path, "smtp", "timeout",
	    CONFIG_DEFAULT_SMTP_TIMEOUT, CONFIG_SMTP_TIMEOUT_MAX, errors);
	smtp->send_budget = config_seconds(kf, path, "smtp", "send_budget",
	    CONFIG_DEFAULT_SEND_BUDGET, CONFIG_SEND_BUDGET_MAX, errors);
}

/* "unix:/ABSOLUTE" (as long as a socket's path may be) or
 * "tcp:HOST:PORT": what clamd.h connects to. */
static bool
config_clamd_socket_ok(const char *spec)
{
	const char *colon;
	size_t digits;

	if (g_str_has_prefix(spec, "unix:"))
		return spec[5] == '/' && strlen(spec + 5) < 108;
	if (!g_str_has_prefix(spec, "tcp:") ||
	    (colon = strrchr(spec + 4, ':')) == NULL || colon == spec + 4)
		return false;
	digits = strspn(colon + 1, "0123456789");
	return digits > 0 && digits <= 5 && colon[1 + digits] == '\0' &&
	    atoi(colon + 1) > 0 && atoi(colon + 1) < 65536;
}

/* [clamd]: the scanner, and where what it finds is kept. */
static void
config_load_clamd(GKeyFile *kf, const char *path, struct config_clamd *clamd,
    struct config_problems *errors)
{
	clamd->socket = config_string(kf, "clamd", "socket", NULL);
	if (clamd->socket != NULL && !config_clamd_socket_ok(clamd->socket))
		config_problem(errors, path, "clamd", "socket", "must be "
		    "unix:/ABSOLUTE/PATH or tcp:HOST:PORT");
	clamd->timeout = config_seconds(kf, path, "clamd", "timeout",
	    CONFIG_DEFAULT_CLAMD_TIMEOUT, CONFIG_CLAMD_TIMEOUT_MAX, errors);
	clamd->quarantine = config_string(kf, "clamd", "quarantine", NULL);
	if (clamd->quarantine != NULL) {
		char *full = keyfile_path_relative(path, clamd->quarantine);

		g_free(clamd->quarantine);
		clamd->quarantine = full;
	}
}

/* One CURLOPT_RESOLVE entry: HOST:PORT:ADDRESS. */
static bool
config_resolve_ok(const char *entry)
{
	g_auto(GStrv) part = g_strsplit(entry, ":", 3);

	return g_strv_length(part) == 3 && *part[0] != '\0' &&
	    strspn(part[1], "0123456789") == strlen(part[1]) &&
	    *part[1] != '\0' && atoi(part[1]) > 0 && atoi(part[1]) < 65536 &&
	    g_hostname_is_ip_address(part[2]);
}

/* [links]: the downloads' time in `once`, trust, and (tests) where the
 * providers' names lead. */
static void
config_load_links(GKeyFile *kf, const char *path,
    const struct config_sources *sources, struct config_links *links,
    struct config_problems *errors)
{
	const char *test;
	size_t i;

	links->fetch_budget = config_seconds(kf, path, "links",
	    "fetch_budget", CONFIG_DEFAULT_FETCH_BUDGET,
	    CONFIG_FETCH_BUDGET_MAX, errors);
	links->ca_file = config_string(kf, "links", "ca_file", NULL);
	if (links->ca_file != NULL) {
		char *full = keyfile_path_relative(path, links->ca_file);

		g_free(links->ca_file);
		links->ca_file = full;
	}
	if (!g_key_file_has_key(kf, "links", "resolve", NULL))
		return;
	test = sources->env_value != NULL ?
	    sources->env_value(sources->ctx, "SUBGATE_TEST") : NULL;
	/* Pointing a provider's name at another address defeats the point
	 * of checking its certificate's name: only the tests may. */
	if (test == NULL || strcmp(test, "1") != 0) {
		config_problem(errors, path, "links", "resolve", "is for "
		    "tests only (SUBGATE_TEST=1 in the environment)");
		return;
	}
	links->resolve = g_key_file_get_string_list(kf, "links", "resolve",
	    NULL, NULL);
	for (i = 0; links->resolve != NULL && links->resolve[i] != NULL; i++) {
		g_strstrip(links->resolve[i]);
		if (!config_resolve_ok(links->resolve[i])) {
			g_autofree char *msg = g_strdup_printf("\"%s\" is not "
			    "HOST:PORT:ADDRESS", links->resolve[i]);

			config_problem(errors, path, "links", "resolve", msg);
		}
	}
}

/* A campaign that scans needs a scanner: without one, its mail would
 * wait for ever (or, worse, be filed unscanned). */
static void
config_check_scanning(struct config *config, struct config_problems *errors)
{
	size_t i;

	for (i = 0; i < config->campaign_count; i++) {
		const struct campaign *c = config->campaigns[i];
		g_autofree char *msg = NULL;

		if (campaign_scan(c) != CAMPAIGN_SCAN_CLAMD ||
		    config->clamd.socket != NULL)
			continue;
		msg = g_strdup_printf("campaign %s has [policy] scan = clamd: "
		    "set socket (unix:/run/clamav/clamd.ctl or "
		    "tcp:127.0.0.1:3310) in the main configuration",
		    campaign_id(c));
		config_problem(errors, config->path, "clamd", "socket", msg);
	}
}

/* The campaign just loaded, last of config->campaigns, against those
 * before it: ids and receipt prefixes are unique across campaigns. */
static void
config_check_campaign_unique(struct config *config,
    struct config_problems *errors)
{
	const struct campaign *b = config->campaigns[config->campaign_count];
	size_t j;

	for (j = 0; j < config->campaign_count; j++) {
		const struct campaign *a = config->campaigns[j];
		g_autofree char *pa = campaign_receipt_prefix(a);
		g_autofree char *pb = campaign_receipt_prefix(b);
		g_autofree char *msg = NULL;

		if (strcmp(campaign_id(a), campaign_id(b)) == 0)
			msg = g_strdup_printf("campaign id \"%s\" is "
			    "defined twice", campaign_id(a));
		else if (strcmp(pa, pb) == 0)
			/* Receipts are unique across campaigns. */
			msg = g_strdup_printf("campaigns \"%s\" and "
			    "\"%s\" would both number receipts %s-NNNNN: "
			    "choose ids that differ in letters or digits",
			    campaign_id(a), campaign_id(b), pa);
		if (msg != NULL)
			config_problem(errors, config->path, "subgate",
			    "campaigns", msg);
	}
}

/* [subgate] campaigns: the campaign files, loaded by the caller. */
static void
config_load_campaigns(struct config *config, GKeyFile *kf,
    const struct config_sources *sources, struct config_problems *errors)
{
	g_auto(GStrv) files = NULL;
	size_t i;

	files = g_key_file_get_string_list(kf, "subgate", "campaigns", NULL,
	    NULL);
	if (files == NULL || files[0] == NULL) {
		config_problem(errors, config->path, "subgate", "campaigns",
		    "no campaign files listed");
		return;
	}
	config->campaigns = g_new0(struct campaign *, g_strv_length(files));
	for (i = 0; files[i] != NULL; i++) {
		g_autofree char *full = NULL;
		g_autofree char *cerr = NULL;
		char *name = g_strstrip(files[i]);

		if (*name == '\0')
			continue;
		full = keyfile_path_relative(config->path, name);
		if (sources->load_campaign(sources->ctx, full,
		    &config->campaigns[config->campaign_count], &cerr) < 0) {
			config_problems_append(errors, cerr);
			continue;
		}
		config_check_campaign_unique(config, errors);
		config->campaign_count++;
	}
}

static void
config_load_main(struct config *config, GKeyFile *kf,
    const struct config_sources *sources, struct config_problems *errors)
{
	config_check_keys(kf, config->path, errors);
	config_load_limits(kf, config->path, &config->limits, errors);
	config_load_subgate(config, kf, errors);
	if (g_key_file_has_group(kf, "imap"))
		config_load_imap(kf, config->path, sources, &config->imap,
		    errors);
	if (g_key_file_has_group(kf, "smtp"))
		config_load_smtp(kf, config->path, sources, &config->smtp,
		    errors);
	config_load_clamd(kf, config->path, &config->clamd, errors);
	config_load_links(kf, config->path, sources, &config->links, errors);
	config_load_campaigns(config, kf, sources, errors);
	config_check_scanning(config, errors);
}

/* A single campaign file: handy for parse-subject, ingest and
 * check-config while a campaign is being written. */
static void
config_load_single_campaign(struct config *config, GKeyFile *kf,
    const char *text, const struct config_sources *sources,
    struct config_problems *errors)
{
	g_autofree char *cerr = NULL;

	config->store_dir = g_strdup("store");
	config->database = g_strdup("subgate.db");
	config->campaigns = g_new0(struct campaign *, 1);
	config->clamd.timeout = CONFIG_DEFAULT_CLAMD_TIMEOUT;
	config->links.fetch_budget = CONFIG_DEFAULT_FETCH_BUDGET;
	if (campaign_parse_keyfile(kf, config->path, text, sources->read_file,
	    sources->ctx, &config->campaigns[0], &cerr) < 0)
		config_problems_append(errors, cerr);
	else
		config->campaign_count = 1;
	config_check_scanning(config, errors);
}

int
config_parse(const char *path, const char *text, size_t len,
    const struct config_sources *sources, struct config **config_r,
    char **error_r)
{
	/* The text handed in need not end in a NUL; what scans it for
	 * line numbers (and an embedded campaign) gets a copy that does. */
	g_autofree char *copy = g_strndup(text, len);
	g_autoptr(GKeyFile) kf = NULL;
	struct config_problems errors;
	struct config *config;
	GString *dups;

	*config_r = NULL;
	text = copy;
	len = strlen(copy);
	if (keyfile_parse(path, text, len, &kf, error_r) < 0)
		return -1;
	config = g_new0(struct config, 1);
	config->path = g_strdup(path);
	config->poll_interval = CONFIG_DEFAULT_POLL;
	config->umask = CONFIG_DEFAULT_UMASK;
	errors.text = g_string_new(NULL);
	/* GKeyFile keeps the last of a key set twice: the other is lost
	 * without a word.  (A campaign file's loader says so itself.) */
	dups = g_string_new(NULL);
	errors.lines = keyfile_lines_new(text, path, dups);
	g_strchomp(dups->str);
	dups->len = strlen(dups->str);
	if (dups->len > 0 && g_key_file_has_group(kf, "subgate"))
		config_problems_append(&errors, dups->str);
	g_string_free(dups, TRUE);

	if (g_key_file_has_group(kf, "campaign") &&
	    !g_key_file_has_group(kf, "subgate"))
		config_load_single_campaign(config, kf, text, sources, &errors);
	else if (g_key_file_has_group(kf, "subgate"))
		config_load_main(config, kf, sources, &errors);
	else
		g_string_append_printf(errors.text, "%s: neither a [subgate] "
		    "main configuration nor a [campaign] file", path);
	keyfile_lines_free(&errors.lines);
	if (errors.text->len > 0) {
		config_free(&config);
		*error_r = g_string_free(errors.text, FALSE);
		return -1;
	}
	g_string_free(errors.text, TRUE);
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
	g_free(config->imap.oauth_token_file);
	g_free(config->imap.oauth_token_command);
	g_free(config->imap.post_folder);
	g_free(config->imap.post_flag);
	g_free(config->smtp.url);
	g_free(config->smtp.ca_file);
	g_free(config->smtp.user);
	config_secret_free(&config->smtp.password);
	g_free(config->smtp.from);
	g_free(config->smtp.from_name);
	g_free(config->smtp.mechanism);
	g_free(config->smtp.oauth_token_file);
	g_free(config->smtp.oauth_token_command);
	g_strfreev(config->smtp.also_ours);
	g_free(config->smtp.authserv_id);
	g_free(config->clamd.socket);
	g_free(config->clamd.quarantine);
	g_free(config->links.ca_file);
	g_strfreev(config->links.resolve);
	g_free(config->store_dir);
	g_free(config->database);
	g_free(config->path);
	g_free(config);
}

char *
config_quarantine_dir(const struct config *config)
{
	g_autofree char *state = NULL;

	if (config->clamd.quarantine != NULL)
		return g_strdup(config->clamd.quarantine);
	state = g_path_get_dirname(config->database);
	return g_build_filename(state, "quarantine", NULL);
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
