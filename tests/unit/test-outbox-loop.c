/*
 * test-outbox-loop: which mail subgate answers, through the real ingest
 * path: the samples in tests/corpus/responder/ (Exchange and 163/QQ
 * out-of-office replies, lists, bulk, robots, bounces, ourselves) are
 * recorded as ignored with a reason and queue no reply; a person's
 * submission is answered; bounces mark the reply they name; the
 * backscatter guard answers only authenticated senders.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <gmime/gmime.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "config_file.h"
#include "db.h"
#include "ingest.h"
#include "log.h"
#include "store.h"
#include "test.h"

#define CORPUS	"tests/corpus/responder/"

struct env {
	char *dir;
	struct config *config;
	struct store *store;
	struct db *db;
	struct ingest *ingest;
};

static int
env_open(struct env *e, const char *extra_smtp)
{
	g_autofree char *conf = NULL, *text = NULL, *error = NULL;
	g_autofree char *campaign = NULL;

	memset(e, 0, sizeof(*e));
	e->dir = g_dir_make_tmp("subgate-loop-XXXXXX", NULL);
	conf = g_build_filename(e->dir, "subgate.conf", NULL);
	campaign = g_canonicalize_filename(
	    "contrib/campaigns/fupin2020.campaign", NULL);
	text = g_strdup_printf("[subgate]\nstore = store\ndatabase = db\n"
	    "campaigns = %s\n[smtp]\nurl = smtp://127.0.0.1:9\n"
	    "from = campaign@example.test\n%s", campaign, extra_smtp);
	if (!g_file_set_contents(conf, text, -1, NULL) ||
	    config_load(conf, &e->config, &error) < 0 ||
	    store_open(e->config->store_dir, &e->store, &error) < 0 ||
	    db_open(e->config->database, &e->db, &error) < 0 ||
	    ingest_new(e->config, e->store, e->db, &e->ingest, &error) < 0) {
		printf("FAIL env: %s\n", error ? error : "?");
		return -1;
	}
	return 0;
}

static void
env_close(struct env *e)
{
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", e->dir);

	ingest_free(&e->ingest);
	db_close(&e->db);
	store_close(&e->store);
	config_free(&e->config);
	if (system(cmd) != 0)
		printf("FAIL cleanup %s\n", e->dir);
	g_free(e->dir);
}

static int
count_replies(const struct db_outbox_row *r, void *ctx)
{
	(void)r;
	(*(unsigned *)ctx)++;
	return 0;
}

static unsigned
outbox_count(struct env *e, const char *state)
{
	g_autofree char *error = NULL;
	unsigned n = 0;

	if (db_outbox_list(e->db, state, NULL, count_replies, &n, &error) < 0)
		printf("FAIL outbox list: %s\n", error);
	return n;
}

/* Ingests one sample; its outcome and reason in the result. */
static int
ingest_sample(struct env *e, const char *file, struct ingest_result *res)
{
	g_autofree char *path = g_strconcat(CORPUS, file, NULL);
	g_autofree char *error = NULL;
	/* 2020-08-01 10:00 +08:00, inside the campaign's window. */
	struct ingest_source src = { .arrival = 1596247200 };

	if (ingest_message(e->ingest, e->config->campaigns[0], path, &src,
	    res, &error) < 0) {
		printf("FAIL %s: %s\n", file, error);
		return -1;
	}
	return 0;
}

static const struct {
	const char *file;
	const char *outcome;
	const char *reason;	/* substring of the recorded reason */
} samples[] = {
	/* People, answered (the first two make receipts 00001, 00002). */
	{ "normal.eml", "accepted", NULL },
	{ "normal2.eml", "accepted", NULL },
	{ "auto-submitted-no.eml", "accepted", NULL },
	{ "reply-once.eml", "accepted", NULL },
	/* Automatic mail, never answered. */
	{ "exchange-oof.eml", "ignored", "automatic reply" },
	{ "exchange2007-oof.eml", "ignored", "automatic reply" },
	{ "163-autoreply.eml", "ignored", "automatic reply" },
	{ "qq-autoreply.eml", "ignored", "automatic reply" },
	{ "x-autoreply.eml", "ignored", "automatic reply" },
	{ "precedence-bulk.eml", "ignored", "bulk mail" },
	{ "precedence-list.eml", "ignored", "mailing list" },
	{ "list-id.eml", "ignored", "mailing list" },
	{ "list-unsubscribe.eml", "ignored", "mailing list" },
	{ "noreply.eml", "ignored", "no-reply" },
	{ "donotreply.eml", "ignored", "no-reply" },
	{ "return-path-empty.eml", "ignored", "empty return path" },
	{ "mailer-daemon.eml", "ignored", "mail system" },
	{ "from-us.eml", "ignored", "subgate itself" },
	{ "reply-to-us.eml", "ignored", "subgate itself" },
	{ "reply-once-bare.eml", "ignored", "without any attachment" },
	{ "reply-twice.eml", "ignored", "without any attachment" },
	/* A person's third try, after two corrections, with the files. */
	{ "reply-twice-with-files.eml", "accepted", NULL },
	{ "dsn-for-receipt.eml", "ignored", "delivery status notification" },
	{ "bounce-163.eml", "ignored", "mail system" },
};

static int
find_state(const struct db_outbox_row *r, void *ctx)
{
	char **want = ctx;	/* [0] reply id, [1] out: state */

	if (strcmp(r->reply_message_id, want[0]) == 0) {
		g_free(want[1]);
		want[1] = g_strdup(r->state);
	}
	return 0;
}

static char *
reply_state(struct env *e, const char *reply_id)
{
	char *want[2] = { (char *)reply_id, NULL };
	g_autofree char *error = NULL;

	db_outbox_list(e->db, NULL, NULL, find_state, want, &error);
	return want[1];
}

static void
test_samples(void)
{
	struct env e;
	size_t i;

	if (env_open(&e, "") < 0)
		return;
	for (i = 0; i < G_N_ELEMENTS(samples); i++) {
		struct ingest_result res = { 0 };
		unsigned before = outbox_count(&e, NULL);
		g_autofree char *name = NULL;

		if (ingest_sample(&e, samples[i].file, &res) < 0)
			continue;
		name = g_strdup_printf("loop %s: %s", samples[i].file,
		    samples[i].outcome);
		TEST_CHECK_STR(name, outcome_name(res.outcome), samples[i].outcome);
		if (samples[i].reason != NULL) {
			g_free(name);
			name = g_strdup_printf("loop %s: reason", samples[i].file);
			TEST_CHECK(name, res.reason != NULL &&
			    strstr(res.reason, samples[i].reason) != NULL);
			if (res.reason == NULL ||
			    strstr(res.reason, samples[i].reason) == NULL)
				printf("  reason was: %s\n", res.reason ?
				    res.reason : "(none)");
		}
		g_free(name);
		name = g_strdup_printf("loop %s: %s", samples[i].file,
		    strcmp(samples[i].outcome, "ignored") == 0 ?
		    "no reply queued" : "reply queued");
		TEST_CHECK(name, outbox_count(&e, NULL) == before +
		    (strcmp(samples[i].outcome, "ignored") == 0 ? 0 : 1));
		ingest_result_clear(&res);
	}
	{
		g_autofree char *s1 = reply_state(&e,
		    "receipt.FUPIN2020-00001@example.test");
		g_autofree char *s2 = reply_state(&e,
		    "receipt.FUPIN2020-00002@example.test");

		TEST_CHECK_STR("dsn marks the receipt bounced", s1, "bounced");
		TEST_CHECK_STR("163 text bounce marks the receipt bounced", s2,
		    "bounced");
		TEST_CHECK("bounces make no case", outbox_count(&e,
		    "bounced") == 2);
	}
	env_close(&e);
}

static void
test_backscatter_guard(void)
{
	static const struct {
		const char *file;
		bool answered;
	} guard[] = {
		{ "ar-pass.eml", true },
		{ "ar-dkim-sub.eml", true },
		{ "ar-fail.eml", false },
		{ "ar-none.eml", false },
		{ "ar-other-server.eml", false },
	};
	struct env e;
	size_t i;

	if (env_open(&e, "require_authentication_results = true\n"
	    "authserv_id = mx.example.test\n") < 0)
		return;
	for (i = 0; i < G_N_ELEMENTS(guard); i++) {
		struct ingest_result res = { 0 };
		unsigned before = outbox_count(&e, NULL);
		g_autofree char *name = g_strdup_printf("guard %s: %s",
		    guard[i].file, guard[i].answered ? "answered" :
		    "not answered");

		if (ingest_sample(&e, guard[i].file, &res) < 0)
			continue;
		TEST_CHECK(name, outbox_count(&e, NULL) ==
		    before + (guard[i].answered ? 1 : 0));
		g_free(name);
		/* The guard withholds the reply, not the case. */
		name = g_strdup_printf("guard %s: accepted", guard[i].file);
		TEST_CHECK_STR(name, outcome_name(res.outcome), "accepted");
		ingest_result_clear(&res);
	}
	env_close(&e);
}

int
main(void)
{
	log_init("test-outbox-loop", LOG_LEVEL_WARN);
	g_mime_init();
	test_samples();
	test_backscatter_guard();
	g_mime_shutdown();
	return TEST_EXIT();
}
