/*
 * test-outbox-loop: which mail subgate answers, through the real ingest
 * path: the samples in tests/corpus/responder/ (Exchange and 163/QQ
 * out-of-office replies, lists, bulk, robots, bounces, ourselves) are
 * recorded as ignored with a reason and queue no reply; a person's
 * submission is answered; bounces mark the reply they name; the
 * backscatter guard answers only authenticated senders.  A person who
 * answers a reply of ours with a question, not files, is a question:
 * recorded, acknowledged once, forwarded to [campaign] staff within its
 * daily bound; a text reply that reads as a responder's is not.
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
#include "question.h"
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

/* Lines env_open() adds to the campaign's [campaign] group, or NULL. */
static const char *env_campaign_extra;

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
	if (env_campaign_extra != NULL) {
		g_autofree char *orig = NULL, *copy = NULL;
		g_auto(GStrv) parts = NULL;

		if (!g_file_get_contents(campaign, &orig, NULL, NULL))
			return -1;
		parts = g_strsplit(orig, "[campaign]\n", 2);
		copy = g_strconcat(parts[0], "[campaign]\n", env_campaign_extra,
		    parts[1], NULL);
		g_free(campaign);
		campaign = g_build_filename(e->dir, "fupin2020.campaign", NULL);
		if (!g_file_set_contents(campaign, copy, -1, NULL))
			return -1;
	}
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

struct find_reply {
	const char *prefix;	/* "receipt.FUPIN2020-00001." */
	char *id;		/* the reply's Message-ID */
	int64_t row;
};

static int
find_reply_cb(const struct db_outbox_row *r, void *ctx)
{
	struct find_reply *f = ctx;

	if (g_str_has_prefix(r->reply_message_id, f->prefix)) {
		g_free(f->id);
		f->id = g_strdup(r->reply_message_id);
		f->row = r->id;
	}
	return 0;
}

/* The receipt for case seq as queued: its Message-ID (g_free, NULL when
 * none) and outbox row. */
static char *
receipt_id(struct env *e, unsigned seq, int64_t *row_r)
{
	g_autofree char *prefix = g_strdup_printf("receipt.FUPIN2020-%05u.",
	    seq);
	struct find_reply f = { .prefix = prefix };
	g_autofree char *error = NULL;

	db_outbox_list(e->db, NULL, NULL, find_reply_cb, &f, &error);
	if (row_r != NULL)
		*row_r = f.row;
	return f.id;
}

/*
 * Ingests one sample; its outcome and reason in the result.  A reply's
 * Message-ID has a random part, so the samples name the receipts as
 * receipt.FUPIN2020-0000N@example.test and get the real IDs here, as a
 * submitter's mail client would quote them.
 */
static int
ingest_sample(struct env *e, const char *file, struct ingest_result *res)
{
	g_autofree char *src_path = g_strconcat(CORPUS, file, NULL);
	g_autofree char *path = g_build_filename(e->dir, file, NULL);
	g_autofree char *error = NULL, *text = NULL;
	/* 2020-08-01 10:00 +08:00, inside the campaign's window. */
	struct ingest_source src = { .arrival = 1596247200 };
	unsigned seq;

	if (!g_file_get_contents(src_path, &text, NULL, NULL)) {
		printf("FAIL %s: cannot read\n", file);
		return -1;
	}
	/* The acknowledgement of a question, as its asker quotes it. */
	if (strstr(text, "question-ack@example.test") != NULL) {
		struct find_reply f = { .prefix = "question." };
		g_autofree char *list_error = NULL;
		g_auto(GStrv) parts = g_strsplit(text,
		    "question-ack@example.test", -1);

		db_outbox_list(e->db, NULL, NULL, find_reply_cb, &f,
		    &list_error);
		g_free(text);
		text = g_strjoinv(f.id ? f.id : "none@example.test", parts);
		g_free(f.id);
	}
	for (seq = 1; seq <= 3; seq++) {
		g_autofree char *named = g_strdup_printf(
		    "receipt.FUPIN2020-%05u@example.test", seq);
		g_autofree char *real = receipt_id(e, seq, NULL);
		g_auto(GStrv) parts = NULL;

		if (real == NULL || strstr(text, named) == NULL)
			continue;
		parts = g_strsplit(text, named, -1);
		g_free(text);
		text = g_strjoinv(real, parts);
	}
	if (!g_file_set_contents(path, text, -1, NULL)) {
		printf("FAIL %s: cannot write\n", file);
		return -1;
	}
	if (ingest_message(e->ingest, e->config->campaigns[0], path, &src,
	    res, &error) < 0) {
		printf("FAIL %s: %s\n", file, error);
		return -1;
	}
	return 0;
}

/* The relay took the reply: as the outbox records a delivery. */
static void
mark_sent(struct env *e, unsigned seq)
{
	g_autofree char *error = NULL, *id = NULL;
	int64_t row = 0;

	id = receipt_id(e, seq, &row);
	if (id == NULL || db_outbox_mark(e->db, row, "sent", NULL,
	    &error) < 0)
		printf("FAIL mark receipt %u sent: %s\n", seq,
		    error ? error : "no receipt");
}

static const struct {
	const char *file;
	const char *outcome;
	const char *reason;	/* substring of the recorded reason */
	int queued;		/* replies queued; 0 with ignored, else 1 */
} samples[] = {
	/* People, answered (the first two make receipts 00001, 00002). */
	{ "normal.eml", "accepted", NULL, 0 },
	{ "normal2.eml", "accepted", NULL, 0 },
	{ "auto-submitted-no.eml", "accepted", NULL, 0 },
	{ "reply-once.eml", "accepted", NULL, 0 },
	/* Automatic mail, never answered. */
	{ "exchange-oof.eml", "ignored", "automatic reply", 0 },
	{ "exchange2007-oof.eml", "ignored", "automatic reply", 0 },
	{ "163-autoreply.eml", "ignored", "automatic reply", 0 },
	{ "qq-autoreply.eml", "ignored", "automatic reply", 0 },
	{ "x-autoreply.eml", "ignored", "automatic reply", 0 },
	{ "precedence-bulk.eml", "ignored", "bulk mail", 0 },
	{ "precedence-list.eml", "ignored", "mailing list", 0 },
	{ "list-id.eml", "ignored", "mailing list", 0 },
	{ "list-unsubscribe.eml", "ignored", "mailing list", 0 },
	{ "noreply.eml", "ignored", "no-reply", 0 },
	{ "donotreply.eml", "ignored", "no-reply", 0 },
	{ "return-path-empty.eml", "ignored", "empty return path", 0 },
	{ "mailer-daemon.eml", "ignored", "mail system", 0 },
	{ "from-us.eml", "ignored", "subgate itself", 0 },
	{ "reply-to-us.eml", "ignored", "subgate itself", 0 },
	/* A person who answers a receipt without files: a question,
	 * acknowledged once per sender and interval. */
	{ "reply-once-bare.eml", "question", "acknowledged", 1 },
	{ "reply-twice.eml", "question", "acknowledged earlier", 0 },
	{ "question.eml", "question", "kept for staff (no staff address)", 1 },
	/* Text replies that read as a responder's. */
	{ "reply-thanks.eml", "ignored", "without any attachment", 0 },
	{ "qq-autoreply-text.eml", "ignored", "automatic reply (by its text)", 0 },
	{ "reply-auto-submitted.eml", "ignored", "automatic reply", 0 },
	{ "answers-ack.eml", "ignored", "acknowledgement", 0 },
	/* A person's third try, after two corrections, with the files. */
	{ "reply-twice-with-files.eml", "accepted", NULL, 0 },
	{ "dsn-for-receipt.eml", "ignored", "delivery status notification", 0 },
	{ "bounce-163.eml", "ignored", "mail system", 0 },
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
		unsigned before, want;
		g_autofree char *name = NULL;

		/* The bounces come back for receipts that went out. */
		if (strcmp(samples[i].file, "dsn-for-receipt.eml") == 0) {
			mark_sent(&e, 1);
			mark_sent(&e, 2);
		}
		before = outbox_count(&e, NULL);
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
		want = strcmp(samples[i].outcome, "ignored") == 0 ? 0 :
		    strcmp(samples[i].outcome, "question") == 0 ?
		    (unsigned)samples[i].queued : 1;
		name = g_strdup_printf("loop %s: %u replies queued",
		    samples[i].file, want);
		TEST_CHECK(name, outbox_count(&e, NULL) == before + want);
		ingest_result_clear(&res);
	}
	{
		g_autofree char *id1 = receipt_id(&e, 1, NULL);
		g_autofree char *id2 = receipt_id(&e, 2, NULL);
		g_autofree char *s1 = id1 ? reply_state(&e, id1) : NULL;
		g_autofree char *s2 = id2 ? reply_state(&e, id2) : NULL;

		TEST_CHECK_STR("dsn marks the sent receipt bounced", s1,
		    "bounced");
		/* A text bounce is no RFC 3464 report: anyone could write
		 * one.  Never answered, but it marks nothing. */
		TEST_CHECK_STR("text bounce marks nothing", s2, "sent");
		TEST_CHECK("one bounced", outbox_count(&e, "bounced") == 1);
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

/* An RFC 3464 report from mx.example.cn about the reply named, for the
 * recipient given. */
static char *
dsn_text(unsigned n, const char *recipient, const char *named)
{
	return g_strdup_printf(
	    "From: MAILER-DAEMON@mx.example.cn\r\nTo: campaign@example.test\r\n"
	    "Subject: Undelivered Mail Returned to Sender\r\n"
	    "Message-ID: <forged-%u@mx.example.cn>\r\nReturn-Path: <>\r\n"
	    "MIME-Version: 1.0\r\nContent-Type: multipart/report; "
	    "report-type=delivery-status; boundary=\"B\"\r\n\r\n"
	    "--B\r\nContent-Type: text/plain\r\n\r\nNot delivered.\r\n"
	    "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
	    "Reporting-MTA: dns; mx.example.cn\r\n\r\n"
	    "Final-Recipient: rfc822; %s\r\nAction: failed\r\n"
	    "Status: 5.1.1\r\n\r\n"
	    "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
	    "From: campaign@example.test\r\nMessage-ID: <%s>\r\n\r\n"
	    "--B--\r\n", n, recipient, named);
}

/* Ingests mail text written here; the outcome's name (g_free). */
static char *
ingest_text(struct env *e, const char *name, const char *text)
{
	g_autofree char *path = g_build_filename(e->dir, name, NULL);
	g_autofree char *error = NULL;
	struct ingest_source src = { .arrival = 1596247200 };
	struct ingest_result res = { 0 };
	char *outcome;

	if (!g_file_set_contents(path, text, -1, NULL) ||
	    ingest_message(e->ingest, e->config->campaigns[0], path, &src,
	    &res, &error) < 0) {
		printf("FAIL %s: %s\n", name, error ? error : "write");
		return NULL;
	}
	outcome = g_strdup(outcome_name(res.outcome));
	ingest_result_clear(&res);
	return outcome;
}

/*
 * No one can cancel another submitter's receipt: only an RFC 3464 report
 * about a reply already sent, to the recipient it reports on, marks it.
 */
static void
test_forged_bounces(void)
{
	struct env e;
	struct ingest_result res = { 0 };
	g_autofree char *id1 = NULL, *id2 = NULL, *text = NULL, *o = NULL;
	g_autofree char *state = NULL;

	if (env_open(&e, "") < 0)
		return;
	if (ingest_sample(&e, "normal.eml", &res) == 0)
		ingest_result_clear(&res);
	if (ingest_sample(&e, "normal2.eml", &res) == 0)
		ingest_result_clear(&res);
	id1 = receipt_id(&e, 1, NULL);
	id2 = receipt_id(&e, 2, NULL);
	TEST_CHECK("forged: receipts queued", id1 != NULL && id2 != NULL);
	if (id1 == NULL || id2 == NULL) {
		env_close(&e);
		return;
	}
	TEST_CHECK("forged: message-id has a random part",
	    g_str_has_prefix(id1, "receipt.FUPIN2020-00001.") &&
	    strlen(id1) == strlen("receipt.FUPIN2020-00001.") + 16 +
	    strlen("@example.test"));

	/* A report for a reply still queued: the reply is sent all the
	 * same. */
	text = dsn_text(1, "unit@example.cn", id1);
	o = ingest_text(&e, "f1.eml", text);
	TEST_CHECK_STR("forged: report ignored", o, "ignored");
	state = reply_state(&e, id1);
	TEST_CHECK_STR("forged: queued reply never cancelled", state, "queued");

	mark_sent(&e, 1);
	mark_sent(&e, 2);
	/* A report about someone else. */
	g_free(text);
	g_free(o);
	g_free(state);
	text = dsn_text(2, "someone-else@example.cn", id1);
	o = ingest_text(&e, "f2.eml", text);
	state = reply_state(&e, id1);
	TEST_CHECK_STR("forged: other recipient marks nothing", state, "sent");
	/* The ID as it used to be, guessable from the receipt number. */
	g_free(text);
	g_free(o);
	g_free(state);
	text = dsn_text(3, "other@example.cn",
	    "receipt.FUPIN2020-00002@example.test");
	o = ingest_text(&e, "f3.eml", text);
	state = reply_state(&e, id2);
	TEST_CHECK_STR("forged: guessed id marks nothing", state, "sent");
	/* Automatic-looking mail that is no report, naming the reply. */
	g_free(text);
	g_free(o);
	g_free(state);
	text = g_strdup_printf("From: no-reply@notify.example.com\r\n"
	    "To: campaign@example.test\r\nReturn-Path: <>\r\n"
	    "Subject: undeliverable\r\nMessage-ID: <f4@notify.example.com>\r\n"
	    "In-Reply-To: <%s>\r\nReferences: <%s>\r\n\r\nbounced\r\n",
	    id2, id2);
	o = ingest_text(&e, "f4.eml", text);
	TEST_CHECK_STR("forged: no-reply mail ignored", o, "ignored");
	state = reply_state(&e, id2);
	TEST_CHECK_STR("forged: no-reply mail marks nothing", state, "sent");
	/* The real report: the reply it is about, and no other. */
	g_free(text);
	g_free(o);
	g_free(state);
	text = dsn_text(5, "Other@Example.cn", id2);
	o = ingest_text(&e, "f5.eml", text);
	state = reply_state(&e, id2);
	TEST_CHECK_STR("real report marks its reply", state, "bounced");
	g_free(state);
	state = reply_state(&e, id1);
	TEST_CHECK_STR("real report marks no other", state, "sent");
	env_close(&e);
}

static int
count_questions(const struct db_question *q, void *ctx)
{
	GPtrArray *rows = ctx;

	g_ptr_array_add(rows, g_strdup_printf("%s|%s|%s|%d|%s", q->sender,
	    q->answers ? q->answers : "-", q->forwarded_to ? q->forwarded_to :
	    "-", q->acknowledged, q->body ? q->body : ""));
	return 0;
}

static int
find_forward(const struct db_outbox_row *r, void *ctx)
{
	int64_t *last = ctx;

	if (strcmp(r->kind, "staff-forward") == 0)
		*last = r->id;
	return 0;
}

/* A campaign with a staff address: each question goes there, Reply-To
 * the asker, the asker is acknowledged once; past the daily bound a
 * question is recorded for staff only. */
static void
test_questions_staff(void)
{
	struct env e;
	struct ingest_result res = { 0 };
	GPtrArray *rows = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *error = NULL, *data = NULL;
	struct db_outbox_entry *fwd = NULL;
	unsigned before, i, forwards = 0;
	int64_t fwd_id = 0;

	env_campaign_extra = "staff = staff@office.example.cn\n";
	if (env_open(&e, "") < 0) {
		env_campaign_extra = NULL;
		return;
	}
	env_campaign_extra = NULL;
	if (ingest_sample(&e, "normal.eml", &res) == 0)
		ingest_result_clear(&res);
	before = outbox_count(&e, NULL);
	if (ingest_sample(&e, "question.eml", &res) == 0) {
		TEST_CHECK_STR("staff: question", outcome_name(res.outcome),
		    "question");
		TEST_CHECK("staff: reason says forwarded", res.reason != NULL &&
		    strstr(res.reason, "forwarded to the staff address") != NULL);
		ingest_result_clear(&res);
	}
	TEST_CHECK("staff: acknowledgement and forward queued",
	    outbox_count(&e, NULL) == before + 2);
	db_outbox_list(e.db, NULL, NULL, find_forward, &fwd_id, &error);
	if (fwd_id > 0 && db_outbox_get(e.db, fwd_id, &fwd, &error) > 0) {
		TEST_CHECK_STR("staff: forward to staff", fwd->recipient,
		    "staff@office.example.cn");
		data = g_strndup(fwd->data, fwd->data_len);
		TEST_CHECK("staff: forward Reply-To the asker",
		    strstr(data, "Reply-To: clerk@county.example.cn") != NULL);
		TEST_CHECK("staff: forward marked automatic",
		    strstr(data, "Auto-Submitted: auto-generated") != NULL);
		db_outbox_entry_free_ptr(&fwd);
	} else {
		TEST_CHECK("staff: forward queued", false);
	}
	/* More questions of the same sender: forwarded, never acknowledged
	 * again, and past QUESTION_FORWARDS_PER_DAY only recorded. */
	for (i = 0; i < QUESTION_FORWARDS_PER_DAY; i++) {
		g_autofree char *name = g_strdup_printf("q%u.eml", i);
		g_autofree char *text = g_strdup_printf(
		    "From: clerk@county.example.cn\r\nTo: campaign@example.test\r\n"
		    "Subject: Re: more\r\nMessage-ID: <q%u@county.example.cn>\r\n"
		    "In-Reply-To: <%s>\r\n\r\n第%u个问题：可以吗？\r\n", i,
		    "x@y", i);
		g_autofree char *id = receipt_id(&e, 1, NULL);
		g_autofree char *fixed = NULL;
		g_autofree char *o = NULL;
		g_auto(GStrv) parts = g_strsplit(text, "x@y", -1);

		fixed = g_strjoinv(id ? id : "none", parts);
		before = outbox_count(&e, NULL);
		o = ingest_text(&e, name, fixed);
		TEST_CHECK_STR(name, o, "question");
		forwards += outbox_count(&e, NULL) - before;
	}
	TEST_CHECK("staff: later questions forwarded, not acknowledged",
	    forwards == QUESTION_FORWARDS_PER_DAY - 1);
	db_question_list(e.db, NULL, true, count_questions, rows, &error);
	TEST_CHECK("staff: every question recorded",
	    rows->len == QUESTION_FORWARDS_PER_DAY + 1);
	if (rows->len > 0) {
		const char *first = rows->pdata[0];

		TEST_CHECK("staff: row names sender, receipt, staff, ack",
		    g_str_has_prefix(first, "clerk@county.example.cn|"
		    "FUPIN2020-00001|staff@office.example.cn|1|"));
		TEST_CHECK("staff: row keeps the text, not the quote",
		    strstr(first, "请问视频超过8分钟怎么办？") != NULL &&
		    strstr(first, "原始邮件") == NULL);
		TEST_CHECK("staff: the last only recorded",
		    strstr(rows->pdata[rows->len - 1], "|-|0|") != NULL);
	}
	g_ptr_array_free(rows, TRUE);
	env_close(&e);
}

int
main(void)
{
	log_init("test-outbox-loop", LOG_LEVEL_WARN);
	g_mime_init();
	test_samples();
	test_forged_bounces();
	test_backscatter_guard();
	test_questions_staff();
	g_mime_shutdown();
	return TEST_EXIT();
}
