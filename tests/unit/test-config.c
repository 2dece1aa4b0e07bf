/* config: the main configuration, secrets, and errors with file and line. */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign.h"
#include "config.h"
#include "question.h"
#include "config_file.h"
#include "mail_limits.h"
#include "test.h"

static char *dir;

static char *
write_file(const char *name, const char *text)
{
	char *path = g_build_filename(dir, name, NULL);

	g_file_set_contents(path, text, -1, NULL);
	return path;
}

static const char campaign_text[] =
	"[campaign]\nid = c1\nname = 测试\nconvention = subject\n"
	"subject = {标题}\ntitle_field = 标题\n"
	"[field 标题]\ntype = text\nmin = 1\nmax = 20\n";

/* ------------------------------------------------------------------ */
/* config_parse on strings: files and environment from tables */

struct memfile {
	const char *path, *text;
};

struct memfs {
	const struct memfile *files;
	const struct memfile *env;	/* name, value */
	GString *asked;			/* every path and name asked, ";" */
};

static int
mem_read(void *ctx, const char *path, char **text_r, size_t *len_r,
    char **error_r)
{
	struct memfs *fs = ctx;
	size_t i;

	g_string_append_printf(fs->asked, "%s;", path);
	for (i = 0; fs->files[i].path != NULL; i++)
		if (strcmp(fs->files[i].path, path) == 0) {
			*text_r = g_strdup(fs->files[i].text);
			*len_r = strlen(*text_r);
			return 0;
		}
	*text_r = NULL;
	*error_r = g_strdup_printf("no file %s in the table", path);
	return -1;
}

static const char *
mem_env(void *ctx, const char *name)
{
	struct memfs *fs = ctx;
	size_t i;

	g_string_append_printf(fs->asked, "$%s;", name);
	for (i = 0; fs->env[i].path != NULL; i++)
		if (strcmp(fs->env[i].path, name) == 0)
			return fs->env[i].text;
	return NULL;
}

static int
mem_campaign(void *ctx, const char *path, struct campaign **campaign_r,
    char **error_r)
{
	g_autofree char *text = NULL;
	size_t len;

	g_autofree char *bytes = NULL;

	if (mem_read(ctx, path, &text, &len, error_r) < 0) {
		*campaign_r = NULL;
		return -1;
	}
	/* Exactly the file's bytes, no NUL after them (see mem_parse). */
	bytes = g_memdup2(text, len);
	return campaign_parse(path, bytes, len, mem_read, ctx, campaign_r,
	    error_r);
}

/* config_parse of text with the files and environment of the tables;
 * the paths and names it asked for in fs->asked. */
static int
mem_parse(struct memfs *fs, const char *path, const char *text,
    struct config **config_r, char **error_r)
{
	struct config_sources sources = {
		.read_file = mem_read, .env_value = mem_env,
		.load_campaign = mem_campaign, .ctx = fs,
	};

	/* Exactly the text's bytes, no NUL after them: a parser that reads
	 * past len is caught by the sanitizer build. */
	size_t len = strlen(text);
	g_autofree char *bytes = g_memdup2(text, len);

	g_string_truncate(fs->asked, 0);
	return config_parse(path, bytes, len, &sources, config_r, error_r);
}

static void
test_parse_text(void)
{
	static const struct memfile files[] = {
		{ "/etc/subgate/c1.campaign", campaign_text },
		{ "/etc/subgate/imap.pass", "s3cret\r\nsecond line\n" },
		{ "/etc/subgate/bad.campaign", "[campaign]\nid = b\nname = b\n"
		  "subject = {x}\n" },
		{ "/etc/subgate/receipt.txt", "收到 {receipt}\n" },
		{ NULL, NULL },
	};
	static const struct memfile env[] = {
		{ "SMTP_PW", "from-table" },
		{ NULL, NULL },
	};
	struct memfs fs = { files, env, g_string_new(NULL) };
	struct config *config = NULL;
	g_autofree char *error = NULL;

	/* Secrets come through the caller's lookup, relative paths from
	 * the main file's directory. */
	TEST_CHECK("text:main", mem_parse(&fs, "/etc/subgate/subgate.conf",
	    "[subgate]\nstore = st\ncampaigns = c1.campaign\n"
	    "[imap]\nhost = imap.example.test\nuser = u@example.test\n"
	    "password_file = imap.pass\n"
	    "[smtp]\nurl = smtps://smtp.example.test:465\n"
	    "from = u@example.test\nuser = u@example.test\n"
	    "password_env = SMTP_PW\n", &config, &error) == 0);
	if (config != NULL) {
		TEST_CHECK_STR("text:store-relative", config->store_dir,
		    "/etc/subgate/st");
		TEST_CHECK_STR("text:password-file-first-line",
		    config->imap.password, "s3cret");
		TEST_CHECK_STR("text:password-env", config->smtp.password,
		    "from-table");
		TEST_CHECK("text:campaign", config->campaign_count == 1 &&
		    config_campaign_find(config, "c1") != NULL);
		/* People's questions: bounded by default (question.h). */
		TEST_CHECK("text:question-defaults",
		    config->smtp.question_ack_hours ==
		    QUESTION_ACK_INTERVAL_HOURS &&
		    config->smtp.question_forwards_day ==
		    QUESTION_FORWARDS_PER_DAY);
	} else {
		printf("# %s\n", error);
	}
	TEST_CHECK_STR("text:asked-only-what-is-named", fs.asked->str,
	    "/etc/subgate/imap.pass;$SMTP_PW;/etc/subgate/c1.campaign;");
	config_free(&config);

	/* No password is looked up where none is used. */
	g_clear_pointer(&error, g_free);
	TEST_CHECK("text:xoauth2", mem_parse(&fs, "/etc/subgate/o.conf",
	    "[subgate]\ncampaigns = c1.campaign\n"
	    "[imap]\nhost = h.example.test\nuser = u\nauth = xoauth2\n"
	    "oauth_token_command = get-token\n", &config, &error) == 0);
	TEST_CHECK_STR("text:xoauth2-asks-no-secret", fs.asked->str,
	    "/etc/subgate/c1.campaign;");
	config_free(&config);
	g_clear_pointer(&error, g_free);
	TEST_CHECK("text:question-limits", mem_parse(&fs, "/etc/subgate/q.conf",
	    "[subgate]\ncampaigns = c1.campaign\n"
	    "[imap]\nhost = h.example.test\nuser = u\nauth = xoauth2\n"
	    "oauth_token_command = get-token\n"
	    "[smtp]\nurl = smtps://smtp.example.test:465\n"
	    "from = u@example.test\nuser = u@example.test\n"
	    "password_env = SMTP_PW\n"
	    "question_ack_hours = 72\nquestion_forwards_day = 3\n",
	    &config, &error) == 0 && config->smtp.question_ack_hours == 72 &&
	    config->smtp.question_forwards_day == 3);
	if (error != NULL)
		printf("# %s\n", error);
	config_free(&config);

	/* [links] resolve leads the providers' names elsewhere: tests
	 * only, and only well-formed entries. */
	g_clear_pointer(&error, g_free);
	TEST_CHECK("links:resolve-refused", mem_parse(&fs, "mem.conf",
	    "[subgate]\ncampaigns = /etc/subgate/c1.campaign\n"
	    "[links]\nca_file = ca.pem\nresolve = wx.mail.qq.com:443:"
	    "127.0.0.1\n", &config, &error) < 0 && error != NULL &&
	    strstr(error, "[links] resolve: is for tests only") != NULL);
	g_clear_pointer(&error, g_free);
	{
		static const struct memfile test_env[] = {
			{ "SUBGATE_TEST", "1" }, { NULL, NULL },
		};
		struct memfs tfs = { files, test_env, fs.asked };

		TEST_CHECK("links:resolve-in-tests", mem_parse(&tfs,
		    "/etc/subgate/subgate.conf",
		    "[subgate]\ncampaigns = c1.campaign\n"
		    "[links]\nca_file = ca.pem\nfetch_budget = 20\n"
		    "resolve = wx.mail.qq.com:443:127.0.0.1;"
		    "mail.163.com:8443:::1\n", &config, &error) == 0);
		TEST_CHECK("links:values", config != NULL &&
		    config->links.fetch_budget == 20 &&
		    g_strcmp0(config->links.ca_file,
		    "/etc/subgate/ca.pem") == 0 &&
		    g_strv_length(config->links.resolve) == 2);
		config_free(&config);
		g_clear_pointer(&error, g_free);
		TEST_CHECK("links:resolve-malformed", mem_parse(&tfs,
		    "mem.conf", "[subgate]\ncampaigns = "
		    "/etc/subgate/c1.campaign\n[links]\nresolve = "
		    "wx.mail.qq.com:443\n", &config, &error) < 0 &&
		    error != NULL && strstr(error,
		    "is not HOST:PORT:ADDRESS") != NULL);
	}

	/* The lookup's failure is reported on the key that named it. */
	g_clear_pointer(&error, g_free);
	TEST_CHECK("text:secret-missing", mem_parse(&fs, "mem.conf",
	    "[subgate]\ncampaigns = /etc/subgate/c1.campaign\n"
	    "[imap]\nhost = h.example.test\nuser = u\n"
	    "password_file = /nope\n", &config, &error) < 0);
	/* Said once: not also "password_file or password_env is
	 * required", which it is there. */
	TEST_CHECK_STR("text:secret-missing-line", error,
	    "mem.conf:6: [imap] password_file: no file /nope in the table");
	g_clear_pointer(&error, g_free);
	TEST_CHECK("text:env-unset", mem_parse(&fs, "mem.conf",
	    "[subgate]\ncampaigns = /etc/subgate/c1.campaign\n\n"
	    "[imap]\nhost = h.example.test\nuser = u\n"
	    "password_env = UNSET_PW\n", &config, &error) < 0);
	TEST_CHECK_STR("text:env-unset-line", error,
	    "mem.conf:7: [imap] password_env: environment variable "
	    "UNSET_PW is not set");

	/* A key set twice loses a value without a word from GKeyFile; a
	 * required key that is missing is shown at its group's line. */
	g_clear_pointer(&error, g_free);
	TEST_CHECK("text:twice", mem_parse(&fs, "mem.conf",
	    "[subgate]\ncampaigns = /etc/subgate/c1.campaign\n"
	    "poll_interval = 30\npoll_interval = 60\n"
	    "[imap]\nuser = u\npassword_env = UNSET_PW\n", &config,
	    &error) < 0);
	TEST_CHECK("text:twice-said", error != NULL && strstr(error,
	    "mem.conf:4: [subgate] poll_interval: set twice (first on "
	    "line 3)") != NULL);
	TEST_CHECK("text:missing-key-at-group", error != NULL && strstr(error,
	    "mem.conf:5: [imap] host: missing") != NULL &&
	    strstr(error, ":0:") == NULL);

	/* Problems of the main text and of a campaign, each with its
	 * file and line, in the order of the main file. */
	g_clear_pointer(&error, g_free);
	TEST_CHECK("text:errors", mem_parse(&fs, "/etc/subgate/x.conf",
	    "# staff edit this\n[subgate]\n\npoll_interval = 0\n"
	    "campaigns = bad.campaign\n", &config, &error) < 0 &&
	    config == NULL);
	TEST_CHECK_STR("text:error-lines", error,
	    "/etc/subgate/x.conf:4: [subgate] poll_interval: must be a "
	    "number of seconds >= 1\n"
	    "/etc/subgate/bad.campaign:4: [campaign] subject: {x} is not a "
	    "defined field");

	/* Text GKeyFile cannot read: the name and GKeyFile's reason. */
	g_clear_pointer(&error, g_free);
	TEST_CHECK("text:syntax", mem_parse(&fs, "s.conf", "junk\n",
	    &config, &error) < 0 && error != NULL &&
	    g_str_has_prefix(error, "s.conf: Key file contains line"));

	/* A campaign as the main text: its template through the lookup. */
	g_clear_pointer(&error, g_free);
	{
		g_autofree char *single = g_strconcat(campaign_text,
		    "[reply]\nreceipt.body_file = receipt.txt\n", NULL);

		TEST_CHECK("text:single-campaign", mem_parse(&fs,
		    "/etc/subgate/one.campaign", single, &config,
		    &error) == 0 && config->campaign_count == 1);
		TEST_CHECK_STR("text:single-template", config == NULL ? NULL :
		    campaign_reply_template(config->campaigns[0], "receipt",
		    "body"), "收到 {receipt}\n");
		config_free(&config);
	}
	g_string_free(fs.asked, TRUE);
}

int
main(void)
{
	g_autofree char *error = NULL;
	g_autofree char *main_path = NULL, *bad_path = NULL, *inline_path = NULL;
	g_autofree char *env_path = NULL, *single = NULL;
	struct config *config = NULL;

	dir = g_dir_make_tmp("subgate-config-XXXXXX", NULL);
	g_free(write_file("c1.campaign", campaign_text));
	g_free(write_file("imap.pass", "s3cret\nignored second line\n"));
	main_path = write_file("subgate.conf",
	    "[subgate]\nstore = st\ndatabase = /var/tmp/x.db\n"
	    "poll_interval = 30\numask = 0007\ncampaigns = c1.campaign\n"
	    "[imap]\nhost = imap.example.test\nuser = u@example.test\n"
	    "password_file = imap.pass\n"
	    "[smtp]\nurl = smtps://smtp.example.test:465\n"
	    "from = u@example.test\n");
	TEST_CHECK("load-main", config_load(main_path, &config, &error) == 0);
	if (config != NULL) {
		g_autofree char *store = g_build_filename(dir, "st", NULL);

		TEST_CHECK_STR("store-relative-to-config", config->store_dir,
		    store);
		TEST_CHECK_STR("database-absolute", config->database,
		    "/var/tmp/x.db");
		TEST_CHECK("poll-interval", config->poll_interval == 30);
		TEST_CHECK("umask-never-world-writable", config->umask == 0007);
		TEST_CHECK_STR("imap-default-tls", config->imap.tls, "imaps");
		TEST_CHECK("imap-default-port", config->imap.port == 993);
		TEST_CHECK_STR("password-first-line", config->imap.password,
		    "s3cret");
		TEST_CHECK("campaign-loaded", config->campaign_count == 1 &&
		    config_campaign_find(config, "c1") != NULL);
		TEST_CHECK("campaign-missing", config_campaign_find(config,
		    "nope") == NULL);
	}
	config_free(&config);
	TEST_CHECK("free-nulls", config == NULL);

	/* A password written into the file is refused, with its line. */
	inline_path = write_file("inline.conf",
	    "[subgate]\ncampaigns = c1.campaign\n"
	    "[imap]\nhost = h\nuser = u\npassword = oops\n");
	g_clear_pointer(&error, g_free);
	TEST_CHECK("inline-password-refused", config_load(inline_path, &config,
	    &error) < 0);
	TEST_CHECK("inline-password-line", error != NULL &&
	    strstr(error, "inline.conf:6: [imap] password") != NULL);

	/* Unknown keys and sections are errors with file, line and key. */
	bad_path = write_file("bad.conf",
	    "[subgate]\ncampaigns = c1.campaign\npoll_intervall = 5\n"
	    "[imapp]\nhost = h\n");
	g_clear_pointer(&error, g_free);
	TEST_CHECK("unknown-key-refused", config_load(bad_path, &config,
	    &error) < 0);
	TEST_CHECK("unknown-key-line", error != NULL &&
	    strstr(error, "bad.conf:3: [subgate] poll_intervall: unknown key"));
	TEST_CHECK("unknown-section", error != NULL &&
	    strstr(error, "bad.conf:4: [imapp]: unknown section"));

	/* Password from the environment. */
	env_path = write_file("env.conf",
	    "[subgate]\ncampaigns = c1.campaign\n"
	    "[imap]\nhost = h\nuser = u\npassword_env = SUBGATE_TEST_PW\n");
	g_setenv("SUBGATE_TEST_PW", "from-env", TRUE);
	g_clear_pointer(&error, g_free);
	TEST_CHECK("password-env", config_load(env_path, &config, &error) == 0 &&
	    strcmp(config->imap.password, "from-env") == 0);
	config_free(&config);
	g_unsetenv("SUBGATE_TEST_PW");
	g_clear_pointer(&error, g_free);
	TEST_CHECK("password-env-unset", config_load(env_path, &config,
	    &error) < 0 && strstr(error, "SUBGATE_TEST_PW is not set"));

	/* [limits] sets the limits in force, within bounds. */
	{
		g_autofree char *lim = write_file("limits.conf",
		    "[subgate]\ncampaigns = c1.campaign\n"
		    "[limits]\nmime_depth = 8\nmime_parts = 100\n"
		    "header_bytes = 64K\nmessage_size = 50M\n"
		    "subject_bytes = 1024\nheader_fields = 300\n"
		    "preamble_bytes = 8K\n");
		g_autofree char *bad = write_file("badlimits.conf",
		    "[subgate]\ncampaigns = c1.campaign\n"
		    "[limits]\nmime_depth = 0\nsubject_bytes = 100000\n");

		g_clear_pointer(&error, g_free);
		TEST_CHECK("limits-load", config_load(lim, &config, &error) == 0);
		TEST_CHECK("limits-mime-depth",
		    config->limits.mime_depth == 8);
		TEST_CHECK("limits-mime-parts",
		    config->limits.mime_parts == 100);
		TEST_CHECK("limits-header-bytes",
		    config->limits.header_bytes == 64 * 1024);
		TEST_CHECK("limits-message-size",
		    config->limits.message_bytes == 50 * 1024 * 1024);
		TEST_CHECK("limits-subject-bytes",
		    config->limits.subject_bytes == 1024);
		TEST_CHECK("limits-header-fields",
		    config->limits.header_fields == 300);
		TEST_CHECK("limits-preamble-bytes",
		    config->limits.preamble_bytes == 8 * 1024);
		config_free(&config);
		g_clear_pointer(&error, g_free);
		TEST_CHECK("limits-out-of-bounds", config_load(bad, &config,
		    &error) < 0);
		TEST_CHECK("limits-depth-line", error != NULL && strstr(error,
		    "badlimits.conf:4: [limits] mime_depth"));
		TEST_CHECK("limits-subject-line", error != NULL && strstr(error,
		    "badlimits.conf:5: [limits] subject_bytes"));
	}

	/* Clear-text credentials only to this machine. */
	{
		g_autofree char *remote = write_file("plain.conf",
		    "[subgate]\ncampaigns = c1.campaign\n"
		    "[imap]\nhost = imap.163.com\ntls = plain\nuser = u\n"
		    "password_file = imap.pass\n");
		g_autofree char *local = write_file("plainlocal.conf",
		    "[subgate]\ncampaigns = c1.campaign\n"
		    "[imap]\nhost = 127.0.0.1\ntls = plain\nuser = u\n"
		    "password_file = imap.pass\n");
		g_autofree char *trick = write_file("trick.conf",
		    "[subgate]\ncampaigns = c1.campaign\n"
		    "[smtp]\nurl = smtp://127.0.0.1.evil.example:25\n"
		    "from = a@example.test\nuser = u\n"
		    "password_file = imap.pass\n");

		g_clear_pointer(&error, g_free);
		TEST_CHECK("plain-imap-remote-refused", config_load(remote,
		    &config, &error) < 0 && strstr(error, "in clear"));
		g_clear_pointer(&error, g_free);
		TEST_CHECK("plain-imap-loopback-allowed", config_load(local,
		    &config, &error) == 0);
		config_free(&config);
		g_clear_pointer(&error, g_free);
		TEST_CHECK("smtp-lookalike-host-not-loopback", config_load(trick,
		    &config, &error) < 0 && strstr(error, "starttls"));
	}

	/* A single campaign file is a configuration of its own. */
	single = g_build_filename(dir, "c1.campaign", NULL);
	g_clear_pointer(&error, g_free);
	TEST_CHECK("single-campaign", config_load(single, &config, &error) == 0 &&
	    config->campaign_count == 1);
	config_free(&config);
	test_parse_text();
	return TEST_EXIT();
}
