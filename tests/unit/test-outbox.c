/*
 * test-outbox: reply templates (engine, campaign [reply] group, what a
 * templated reply looks like), the [smtp] settings, and the outbox
 * itself: backoff on a server that is down, `send --now`, rate limits,
 * and the sender thread that drains it beside intake.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <gmime/gmime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "breaker.h"
#include "campaign.h"
#include "config.h"
#include "config_file.h"
#include "db.h"
#include "log.h"
#include "message.h"
#include "outbox.h"
#include "reply.h"
#include "sender.h"
#include "smtp.h"
#include "template.h"
#include "test.h"

static char *tmpdir;

static const char *
lookup(const char *name, void *ctx)
{
	(void)ctx;
	if (strcmp(name, "a") == 0)
		return "<甲&乙>";
	if (strcmp(name, "empty") == 0)
		return "";
	return NULL;
}

static bool
known(const char *name, void *ctx)
{
	(void)ctx;
	return strcmp(name, "a") == 0 || strcmp(name, "empty") == 0;
}

static void
test_engine(void)
{
	static const struct {
		const char *text;
		const char *want;	/* NULL: template_check refuses it */
	} cases[] = {
		{ "x{a}y", "x<甲&乙>y" },
		{ "{?a}有{a}{/a}{?empty}无{/empty}.", "有<甲&乙>." },
		{ "{{a}} {{", "{a} {" },
		{ "{b}", NULL },
		{ "{?a}never closed", NULL },
		{ "{/a}", NULL },
		{ "lone } brace", NULL },
		{ "{a", NULL },
		{ "{?a}{?a}{/a}{/a}", NULL },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *error = NULL, *out = NULL, *name = NULL;
		int r = template_check(cases[i].text, known, NULL, &error);

		name = g_strdup_printf("template %s", cases[i].text);
		if (cases[i].want == NULL) {
			TEST_CHECK(name, r < 0 && error != NULL);
			continue;
		}
		TEST_CHECK(name, r == 0);
		out = template_render(cases[i].text, lookup, NULL, false);
		TEST_CHECK_STR(name, out, cases[i].want);
	}
	{
		g_autofree char *html = template_render("<b>{a}</b>", lookup,
		    NULL, true);

		TEST_CHECK_STR("template html escapes values", html,
		    "<b>&lt;甲&amp;乙&gt;</b>");
	}
}

/* A campaign file: fupin2020 with a [reply] group appended. */
static char *
write_campaign(const char *name, const char *reply_group)
{
	g_autofree char *base = NULL;
	char *path = g_build_filename(tmpdir, name, NULL);
	g_autofree char *text = NULL;

	g_file_get_contents("contrib/campaigns/fupin2020.campaign", &base,
	    NULL, NULL);
	text = g_strconcat(base, "\n[reply]\n", reply_group, NULL);
	g_file_set_contents(path, text, -1, NULL);
	return path;
}

static GMimeMessage *
parse(const char *data, size_t len)
{
	GMimeStream *s = g_mime_stream_mem_new_with_buffer(data, len);
	GMimeParser *p = g_mime_parser_new_with_stream(s);
	GMimeMessage *m = g_mime_parser_construct_message(p, NULL);

	g_object_unref(p);
	g_object_unref(s);
	return m;
}

static char *
part_text(GMimeObject *part)
{
	return GMIME_IS_TEXT_PART(part) ?
	    g_mime_text_part_get_text(GMIME_TEXT_PART(part)) : NULL;
}

static void
test_campaign_templates(void)
{
	static const struct {
		const char *group;
		const char *problem;	/* NULL: loads */
	} bad[] = {
		{ "receipt.subject = 回执 {receipt}\n", NULL },
		{ "receipt.subject = 已收到\n", "needs {receipt} or {ref}" },
		{ "correction.subject = 请更正 {receipt}\n", "use {ref}" },
		{ "receipt.body = {nosuch}\n", "unknown placeholder {nosuch}" },
		{ "receipt.body = {field.不存在}\n", "unknown placeholder" },
		{ "receipt.body = {field.作品名称}\n", NULL },
		{ "receipt.bodyx = x\n", "unknown key" },
		{ "thanks.body = x\n", "unknown key" },
		{ "late.body = {?notice}x\n", "never closed" },
		{ "late.body = a\nlate.body_file = b.txt\n", "not both" },
		{ "late.body_file = missing.txt\n", "missing.txt" },
		{ "decision-accepted.subject = 【通过】{receipt}\n"
		  "decision-accepted.body = {decision}：{reason}{changes}\n", NULL },
		{ "decision-rejected.subject = 【未通过】{ref}\n", NULL },
	};
	g_autofree char *html_path = g_build_filename(tmpdir, "receipt.html",
	    NULL);
	g_autofree char *body_path = g_build_filename(tmpdir,
	    "correction.txt", NULL);
	g_autofree char *path = NULL, *error = NULL, *data = NULL, *id = NULL;
	g_autofree char *data2 = NULL, *id2 = NULL;
	struct campaign *c = NULL;
	struct reply_field fields[] = { { "方式", "自荐" },
	    { "类别", "文字类" }, { "作品名称", "我的扶贫路" } };
	struct reply r = {
		.kind = REPLY_RECEIPT, .campaign_name = "脱贫攻坚故事",
		.contact = "staff@example.test", .from = "campaign@example.test",
		.from_name = "征集活动组委会", .to = "unit@example.test",
		.to_name = "星城人社局", .orig_subject = "扶贫征集-自荐-文字类-我的扶贫路",
		.orig_message_id = "orig@example.test", .orig_references = "",
		.receipt = "FUPIN2020-00003", .title = "我的扶贫路",
		.token = "FUPIN2020-00003", .arrival = "2020-08-01 10:00:00（北京时间）",
		.fields = fields, .field_count = 3,
	};
	size_t i, len = 0, len2 = 0;
	GMimeMessage *m;
	GMimeObject *body;

	for (i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree char *p = write_campaign("bad.campaign", bad[i].group);
		g_autofree char *err = NULL, *name = NULL;
		struct campaign *bc = NULL;
		int rc = campaign_load(p, &bc, &err);

		name = g_strdup_printf("[reply] %s", bad[i].group);
		g_strdelimit(name, "\n", ' ');
		if (bad[i].problem == NULL)
			TEST_CHECK(name, rc == 0);
		else
			TEST_CHECK(name, rc < 0 && strstr(err, bad[i].problem));
		if (bad[i].problem != NULL && (rc == 0 ||
		    strstr(err, bad[i].problem) == NULL))
			printf("  got: %s\n", err ? err : "(loaded)");
		campaign_free(&bc);
	}

	g_file_set_contents(html_path, "<p>{name}：回执 <b>{receipt}</b>"
	    "{?contact}，联系 {contact}{/contact}</p><pre>{fields}</pre>",
	    -1, NULL);
	g_file_set_contents(body_path, "请更正：\n{diagnostics}\n格式：{format}\n"
	    "示例：{example}\n截止：{deadline}\n", -1, NULL);
	path = write_campaign("good.campaign",
	    "receipt.subject = 【回执 {receipt}】{field.作品名称}\n"
	    "receipt.body = 尊敬的{name}：\\n作品“{field.作品名称}”已登记，"
	    "编号 {receipt}。\\n{fields}附件 {attachment_count} 个。\\n\n"
	    "receipt.html_file = receipt.html\n"
	    "correction.body_file = correction.txt\n");
	TEST_CHECK("campaign with [reply] loads",
	    campaign_load(path, &c, &error) == 0);
	if (c == NULL) {
		printf("  %s\n", error);
		return;
	}
	TEST_CHECK("campaign_reply_template subject",
	    campaign_reply_template(c, "receipt", "subject") != NULL);
	TEST_CHECK("campaign_reply_template default",
	    campaign_reply_template(c, "late", "body") == NULL);
	r.campaign = c;
	TEST_CHECK("templated receipt composes",
	    reply_compose(&r, &data, &len, &id, &error) == 0);
	m = parse(data, len);
	TEST_CHECK_STR("templated subject", g_mime_message_get_subject(m),
	    "【回执 FUPIN2020-00003】我的扶贫路");
	body = g_mime_message_get_mime_part(m);
	TEST_CHECK("html alternative", GMIME_IS_MULTIPART(body) &&
	    g_mime_multipart_get_count(GMIME_MULTIPART(body)) == 2);
	if (GMIME_IS_MULTIPART(body)) {
		g_autofree char *plain = part_text(g_mime_multipart_get_part(
		    GMIME_MULTIPART(body), 0));
		g_autofree char *html = part_text(g_mime_multipart_get_part(
		    GMIME_MULTIPART(body), 1));

		TEST_CHECK("plain from template", plain && strstr(plain,
		    "尊敬的星城人社局：\n作品“我的扶贫路”已登记，编号 FUPIN2020-00003。"));
		TEST_CHECK("plain fields block", plain && strstr(plain,
		    "  类别：文字类\n"));
		TEST_CHECK("plain attachment count", plain && strstr(plain,
		    "附件 0 个。"));
		TEST_CHECK("html from template", html && strstr(html,
		    "<b>FUPIN2020-00003</b>，联系 staff@example.test"));
	}
	g_object_unref(m);

	r.kind = REPLY_CORRECTION;
	r.token = "0123456789abcdef0123456789abcdef";
	r.diagnostics = "缺少“类别”。";
	TEST_CHECK("templated correction composes",
	    reply_compose(&r, &data2, &len2, &id2, &error) == 0);
	m = parse(data2, len2);
	{
		g_autofree char *text = part_text(
		    g_mime_message_get_mime_part(m));

		TEST_CHECK("correction diagnostics", text && strstr(text,
		    "请更正：\n缺少“类别”。\n"));
		TEST_CHECK("correction format", text && strstr(text,
		    "格式：扶贫征集-{方式}-{类别}-{作品名称}"));
		TEST_CHECK("correction example", text && strstr(text,
		    "示例：扶贫征集-"));
		TEST_CHECK("correction deadline in campaign zone", text &&
		    strstr(text, "截止：2020年8月31日24时（北京时间）"));
		/* The token staff recognise, then a random part no one
		 * can guess. */
		TEST_CHECK("correction message-id", id2 != NULL &&
		    g_str_has_prefix(id2,
		    "correction.0123456789abcdef01234567.") &&
		    g_str_has_suffix(id2, "@example.test") &&
		    strlen(id2) == strlen("correction.0123456789abcdef01234567.")
		    + 16 + strlen("@example.test"));
	}
	g_object_unref(m);
	campaign_free(&c);
}

/* The subject as subgate's own parser decodes it (GMime 3.2's decoder
 * drops an encoded word that follows one ending in base64 padding). */
static char *
decoded_subject(const char *data)
{
	g_autofree char *path = g_build_filename(tmpdir, "subject.eml", NULL);
	struct message *m = NULL;
	g_autofree char *error = NULL;
	char *subject;

	if (!g_file_set_contents(path, data, -1, NULL) ||
	    message_parse_file(path, NULL, &m, &error) < 0)
		return NULL;
	subject = g_strdup(message_subject(m));
	message_free(&m);
	return subject;
}

/* Headers as they are on the wire: encoded, dated, threaded. */
static void
test_wire(void)
{
	struct reply r = {
		.kind = REPLY_LATE, .campaign_name = "征集", .from = "c@example.test",
		.from_name = "征集活动组委会", .to = "u@example.test",
		.to_name = "张三", .orig_subject = "作品", .orig_message_id = "s@x",
		.orig_references = "", .token = "aaaa1111bbbb", .arrival = "t",
		.notice = "已截止。",
	};
	g_autofree char *d1 = NULL, *d2 = NULL, *id1 = NULL, *id2 = NULL;
	g_autofree char *error = NULL, *headers = NULL;
	size_t l1, l2;

	reply_compose(&r, &d1, &l1, &id1, &error);
	r.token = "cccc2222dddd";
	reply_compose(&r, &d2, &l2, &id2, &error);
	headers = g_strndup(d1, strstr(d1, "\r\n\r\n") - d1);
	TEST_CHECK("headers are 7-bit (RFC 2047)", g_str_is_ascii(headers));
	TEST_CHECK("display name encoded", strstr(headers, "From: =?") != NULL);
	TEST_CHECK("date header", g_str_has_prefix(headers, "Date: ") ||
	    strstr(headers, "\r\nDate: ") != NULL);
	TEST_CHECK("auto-submitted", strstr(headers,
	    "Auto-Submitted: auto-replied") != NULL);
	{
		g_autofree char *s1 = decoded_subject(d1);
		g_autofree char *s2 = decoded_subject(d2);

		TEST_CHECK("same subject text, different reply subjects",
		    s1 && s2 && strcmp(s1, s2) != 0);
		TEST_CHECK_STR("late subject has ref", s1,
		    "【未受理·不在征集时间内】作品（查询码 AAAA1111）");
	}
}

static struct config *
load_conf(const char *smtp, char **error_r)
{
	g_autofree char *path = g_build_filename(tmpdir, "t.conf", NULL);
	g_autofree char *campaign = g_canonicalize_filename(
	    "contrib/campaigns/fupin2020.campaign", NULL);
	g_autofree char *text = g_strdup_printf("[subgate]\ncampaigns = %s\n"
	    "database = %s/t.db\n[smtp]\nfrom = c@example.test\n%s", campaign,
	    tmpdir, smtp);
	struct config *config = NULL;

	*error_r = NULL;
	g_file_set_contents(path, text, -1, NULL);
	config_load(path, &config, error_r);
	return config;
}

static void
test_config(void)
{
	static const struct {
		const char *smtp;
		const char *problem;	/* NULL: loads */
	} cases[] = {
		{ "url = smtps://smtp.163.com:465\nuser = c@163.com\n"
		  "password_env = HOME\n", NULL },
		{ "url = smtp://smtp.163.com:587\nstarttls = true\n"
		  "user = c@163.com\npassword_env = HOME\nmechanism = login\n", NULL },
		{ "url = smtp://smtp.163.com:587\nuser = c@163.com\n"
		  "password_env = HOME\n", "needs starttls" },
		{ "url = smtp://127.0.0.1:25\nuser = c@x\npassword_env = HOME\n",
		  NULL },
		{ "url = smtps://h:465\nstarttls = true\n", "TLS from the start" },
		{ "url = smtps://h:465\nuser = c@x\nauth = xoauth2\n"
		  "oauth_token_file = tok\n", NULL },
		{ "url = smtps://h:465\nuser = c@x\nauth = xoauth2\n",
		  "exactly one of" },
		{ "url = smtps://h:465\nuser = c@x\nauth = xoauth2\n"
		  "oauth_token_file = tok\npassword_env = HOME\n", "no password" },
		{ "url = smtps://h:465\nauth = kerberos\n", "password or xoauth2" },
		{ "url = smtps://h:465\nmechanism = cram-md5\n", "plain or login" },
		{ "url = smtps://h:465\nrate_per_recipient_hour = -1\n",
		  "number from 0" },
		{ "url = smtps://h:465\nrequire_authentication_results = maybe\n",
		  "true or false" },
		{ "url = smtps://h:465\nalso_ours = staff;x@y\n", "addresses" },
		{ "url = smtps://h:465\nrate_limit = 3\n", "unknown key" },
		{ "url = smtps://h:465\ntimeout = 10\nsend_budget = 120\n",
		  NULL },
		{ "url = smtps://h:465\ntimeout = 0\n", "seconds from 1 to 600" },
		{ "url = smtps://h:465\ntimeout = 601\n", "seconds from 1 to" },
		{ "url = smtps://h:465\nsend_budget = 0\n",
		  "seconds from 1 to 3600" },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *error = NULL, *name = NULL;
		struct config *config = load_conf(cases[i].smtp, &error);

		name = g_strdup_printf("[smtp] %s", cases[i].smtp);
		g_strdelimit(name, "\n", ' ');
		if (cases[i].problem == NULL)
			TEST_CHECK(name, config != NULL);
		else
			TEST_CHECK(name, config == NULL && error &&
			    strstr(error, cases[i].problem));
		if ((cases[i].problem == NULL) != (config != NULL) ||
		    (config == NULL && cases[i].problem != NULL &&
		    strstr(error, cases[i].problem) == NULL))
			printf("  got: %s\n", error ? error : "(loaded)");
		config_free(&config);
	}
	{
		g_autofree char *error = NULL, *token = NULL;
		g_autofree char *tok = g_build_filename(tmpdir, "tok", NULL);
		struct config *config;

		g_file_set_contents(tok, "ya29.token-value\nsecond line\n", -1,
		    NULL);
		config = load_conf("url = smtps://smtp.example.test:465\n"
		    "user = c@x\nauth = xoauth2\noauth_token_file = tok\n",
		    &error);
		TEST_CHECK("xoauth2 config", config != NULL);
		if (config == NULL)
			return;
		TEST_CHECK_STR("security smtps", smtp_security(&config->smtp),
		    "implicit TLS");
		TEST_CHECK("token from file", smtp_oauth_token(&config->smtp,
		    &token, &error) == 0);
		TEST_CHECK_STR("token first line", token, "ya29.token-value");
		g_clear_pointer(&token, g_free);
		g_free(config->smtp.oauth_token_file);
		config->smtp.oauth_token_file = NULL;
		config->smtp.oauth_token_command = g_strdup("echo cmd-token");
		TEST_CHECK("token from command", smtp_oauth_token(&config->smtp,
		    &token, &error) == 0);
		TEST_CHECK_STR("command token", token, "cmd-token");
		g_clear_pointer(&token, g_free);
		g_free(config->smtp.oauth_token_command);
		config->smtp.oauth_token_command = g_strdup("exit 3");
		TEST_CHECK("failing token command", smtp_oauth_token(
		    &config->smtp, &token, &error) < 0 && error != NULL);
		TEST_CHECK_STR("defaults: per recipient",
		    config->smtp.rate_per_recipient_hour ? "20" : "0", "20");
		TEST_CHECK("defaults: timeout and send budget",
		    config->smtp.timeout == CONFIG_DEFAULT_SMTP_TIMEOUT &&
		    config->smtp.send_budget == CONFIG_DEFAULT_SEND_BUDGET);
		config->smtp.starttls = true;
		g_free(config->smtp.url);
		config->smtp.url = g_strdup("smtp://h:587");
		TEST_CHECK_STR("security starttls",
		    smtp_security(&config->smtp), "STARTTLS");
		config_free(&config);
	}
}

struct states {
	char state[8][16];
	int attempts[8];
	int64_t next[8];
	unsigned n;
};

static int
collect(const struct db_outbox_row *r, void *ctx)
{
	struct states *s = ctx;

	if (s->n < 8) {
		g_strlcpy(s->state[s->n], r->state, sizeof(s->state[0]));
		s->attempts[s->n] = r->attempts;
		s->next[s->n] = r->next_attempt_at;
		s->n++;
	}
	return 0;
}

struct attempts_of {
	const char *recipient;
	int attempts;
};

static int
attempts_cb(const struct db_outbox_row *r, void *ctx)
{
	struct attempts_of *a = ctx;

	if (strcmp(r->recipient, a->recipient) == 0)
		a->attempts = r->attempts;
	return 0;
}

/*
 * A flood of replies to one address (spoofed mail, say) takes no place in
 * the batch beyond its hourly limit: the real receipt queued behind 150
 * of them is tried in the same run.
 */
static void
test_flood_delays_no_one(void)
{
	g_autofree char *error = NULL, *dbpath = NULL;
	struct config *config = load_conf("url = smtp://127.0.0.1:1\n"
	    "rate_per_recipient_hour = 2\n", &error);
	struct attempts_of real = { "clerk@example.test", -1 };
	struct attempts_of victim = { "victim@example.test", -1 };
	struct outbox_stats st;
	struct db *db = NULL;
	int64_t row = 0;
	int i;

	if (config == NULL) {
		printf("FAIL flood config: %s\n", error);
		return;
	}
	dbpath = g_build_filename(tmpdir, "flood.db", NULL);
	TEST_CHECK("flood: db opens", db_open(dbpath, &db, &error) == 0);
	{
		struct db_message m = { .campaign = "fupin2020",
		    .message_id = "f@x", .sha256 = "01", .outcome = "rejected" };

		db_message_add(db, &m, &row, &error);
	}
	for (i = 0; i <= 150; i++) {
		g_autofree char *rid = g_strdup_printf("correction.%d@example.test",
		    i);

		db_outbox_add(db, row, "correction", i < 150 ?
		    victim.recipient : real.recipient, "f@x", rid, "x", 1,
		    &error);
	}
	TEST_CHECK("flood: drain", outbox_drain(db, &config->smtp, false, &st,
	    &error) == 0);
	db_outbox_list(db, NULL, NULL, attempts_cb, &real, &error);
	TEST_CHECK("flood: the real reply is tried in the first run",
	    real.attempts == 1);
	TEST_CHECK("flood: the flood is held back, and counted",
	    st.deferred == 3 && st.held == 148);
	db_outbox_list(db, NULL, NULL, attempts_cb, &victim, &error);
	TEST_CHECK("flood: held replies keep their attempts", victim.attempts == 0);
	db_close(&db);
	config_free(&config);
}

/*
 * The hourly limit is per mailbox: victim+1@, Victim+2@ ... are one, so
 * the gateway cannot be used to mail one person 20 times an hour per
 * made-up tag.
 */
static void
test_limit_per_mailbox(void)
{
	g_autofree char *error = NULL, *dbpath = NULL;
	struct config *config = load_conf("url = smtp://127.0.0.1:1\n"
	    "rate_per_recipient_hour = 2\n", &error);
	struct outbox_stats st;
	struct db *db = NULL;
	int64_t row = 0;
	int i;

	if (config == NULL) {
		printf("FAIL mailbox config: %s\n", error);
		return;
	}
	dbpath = g_build_filename(tmpdir, "mailbox.db", NULL);
	TEST_CHECK("mailbox: db opens", db_open(dbpath, &db, &error) == 0);
	{
		struct db_message m = { .campaign = "fupin2020",
		    .message_id = "t@x", .sha256 = "03", .outcome = "rejected" };

		db_message_add(db, &m, &row, &error);
	}
	for (i = 0; i < 10; i++) {
		g_autofree char *rid = g_strdup_printf("correction.t%d@example.test",
		    i);
		g_autofree char *to = g_strdup_printf("%s+%d@Example.test",
		    i % 2 ? "Victim" : "victim", i);

		db_outbox_add(db, row, "correction", to, "t@x", rid, "x", 1,
		    &error);
	}
	TEST_CHECK("mailbox: drain", outbox_drain(db, &config->smtp, false,
	    &st, &error) == 0);
	TEST_CHECK("mailbox: tagged addresses share one limit",
	    st.deferred == 2 && st.held == 8);
	db_close(&db);
	config_free(&config);
	{
		static const char *const keys[][2] = {
			{ "Victim+tag@Example.TEST", "victim@example.test" },
			{ "a+b+c@x.cn", "a@x.cn" },
			{ "+only@x.cn", "+only@x.cn" },
			{ "plain@x.cn", "plain@x.cn" },
			{ "no-at+x", "no-at+x" },
		};
		size_t k;

		for (k = 0; k < G_N_ELEMENTS(keys); k++) {
			g_autofree char *got = db_address_key(keys[k][0]);

			TEST_CHECK_STR(keys[k][0], got, keys[k][1]);
		}
	}
}

static int
due_cb(struct db_outbox_entry *e, void *ctx)
{
	GPtrArray *due = ctx;

	/* NULL-terminated, for g_strv_contains(). */
	if (due->len > 0)
		g_ptr_array_remove_index(due, due->len - 1);
	g_ptr_array_add(due, g_strdup(e->recipient));
	g_ptr_array_add(due, NULL);
	return 0;
}

/*
 * Corrections and other refusals (anyone can make the gateway send one, to
 * any address) are limited per recipient domain and all together as well;
 * receipts are not, so that no flood can delay them.  Each limit judges
 * only what the one before let through: a mailbox's own held flood uses
 * up nothing of its domain's allowance.
 */
static void
test_limit_per_domain(void)
{
	g_autofree char *error = NULL, *dbpath = NULL;
	struct config *config = load_conf("url = smtp://127.0.0.1:1\n"
	    "rate_per_recipient_hour = 2\nrate_per_domain_hour = 3\n"
	    "rate_refusals_hour = 5\n", &error);
	const char *receipt = "r@victim.test", *lone = "y@flood.test";
	GPtrArray *due = g_ptr_array_new_with_free_func(g_free);
	struct outbox_stats st;
	struct db *db = NULL;
	int64_t row = 0;
	int i;

	if (config == NULL) {
		printf("FAIL domain config: %s\n", error);
		return;
	}
	dbpath = g_build_filename(tmpdir, "domain.db", NULL);
	TEST_CHECK("domain: db opens", db_open(dbpath, &db, &error) == 0);
	{
		struct db_message m = { .campaign = "fupin2020",
		    .message_id = "d@x", .sha256 = "04", .outcome = "rejected" };

		db_message_add(db, &m, &row, &error);
	}
	/* 30 to one mailbox (2 may go), then one to its neighbour. */
	for (i = 0; i < 31; i++) {
		g_autofree char *rid = g_strdup_printf("correction.x%d@z", i);

		db_outbox_add(db, row, "correction", i < 30 ? "x@flood.test" :
		    lone, "d@x", rid, "x", 1, &error);
	}
	/* Ten victims at one domain, four at another, a receipt. */
	for (i = 0; i < 15; i++) {
		g_autofree char *rid = g_strdup_printf("correction.v%d@z", i);
		g_autofree char *to = g_strdup_printf("a%d@%s", i, i < 10 ?
		    "victim.test" : "other.test");

		db_outbox_add(db, row, i < 14 ? "correction" : "receipt",
		    i < 14 ? to : receipt, "d@x", rid, "x", 1, &error);
	}
	/* What is selected, straight from the database (sending through a
	 * server that is not there would stop at the circuit breaker). */
	{
		const struct db_outbox_limits limits = { 2, 3, 5,
		    "[\"correction\",\"late\",\"over-quota\",\"frozen\","
		    "\"too-large\"]" };
		struct db_outbox_held held;

		TEST_CHECK("domain: due", db_outbox_due(db, 100, false, &limits,
		    due_cb, due, &error) == 0);
		TEST_CHECK("domain: held", db_outbox_held(db, false, &limits,
		    &held, &error) == 0 && held.mailbox == 28 &&
		    held.domain == 8 && held.all == 4);
	}
	/* flood.test: x twice and y (3 for the domain); then the cap of 5
	 * leaves two for victim.test and none for other.test. */
	TEST_CHECK("domain: a mailbox's held flood does not use up its "
	    "domain", g_strv_contains((const char *const *)due->pdata,
	    lone));
	TEST_CHECK("domain: receipts are not held by refusals' limits",
	    g_strv_contains((const char *const *)due->pdata,
	    receipt));
	TEST_CHECK("domain: refusals held per domain and in all",
	    due->len == 6 + 1 /* NULL */ && outbox_drain(db, &config->smtp, false, &st,
	    &error) == 0 && st.held == 40);
	g_ptr_array_free(due, TRUE);
	db_close(&db);
	config_free(&config);
}

/*
 * Refusals may use half the relay's limit per minute, receipts the rest:
 * corrections to a flood of forged mail, committed and sent before the
 * real submissions behind them, must not take the whole minute.
 */
static void
test_refusal_share(void)
{
	g_autofree char *error = NULL, *dbpath = NULL;
	struct config *config = load_conf("url = smtp://127.0.0.1:1\n"
	    "rate_global_minute = 4\n", &error);
	struct attempts_of receipt = { "clerk@example.test", -1 };
	struct attempts_of refused = { "stranger@example.test", -1 };
	struct outbox_stats st;
	struct db *db = NULL;
	int64_t row = 0;
	int i;

	if (config == NULL) {
		printf("FAIL share config: %s\n", error);
		return;
	}
	dbpath = g_build_filename(tmpdir, "share.db", NULL);
	TEST_CHECK("share: db opens", db_open(dbpath, &db, &error) == 0);
	{
		struct db_message m = { .campaign = "fupin2020",
		    .message_id = "h@x", .sha256 = "06", .outcome = "rejected" };

		db_message_add(db, &m, &row, &error);
	}
	/* Two corrections went out this minute: half of 4. */
	for (i = 0; i < 2; i++) {
		g_autofree char *rid = g_strdup_printf("correction.h%d@z", i);
		g_autofree char *to = g_strdup_printf("forged%d@example.test",
		    i);

		db_outbox_add(db, row, "correction", to, "h@x", rid, "x", 1,
		    &error);
		db_outbox_mark(db, i + 1, "sent", NULL, &error);
	}
	db_outbox_add(db, row, "correction", refused.recipient, "h@x",
	    "correction.h2@z", "x", 1, &error);
	db_outbox_add(db, row, "receipt", receipt.recipient, "h@x",
	    "receipt.h3@z", "x", 1, &error);
	TEST_CHECK("share: refusals wait, the receipt is tried",
	    outbox_drain(db, &config->smtp, false, &st, &error) == 0 &&
	    st.held == 1 && st.deferred == 1);
	db_outbox_list(db, NULL, NULL, attempts_cb, &receipt, &error);
	db_outbox_list(db, NULL, NULL, attempts_cb, &refused, &error);
	TEST_CHECK("share: attempts", receipt.attempts == 1 &&
	    refused.attempts == 0);
	/* Receipts still count against the whole minute. */
	db_outbox_add(db, row, "receipt", "a@example.test", "h@x",
	    "receipt.h5@z", "x", 1, &error);
	db_outbox_add(db, row, "receipt", "b@example.test", "h@x",
	    "receipt.h6@z", "x", 1, &error);
	db_outbox_mark(db, 5, "sent", NULL, &error);
	db_outbox_mark(db, 6, "sent", NULL, &error);
	db_outbox_add(db, row, "receipt", "c@example.test", "h@x",
	    "receipt.h7@z", "x", 1, &error);
	TEST_CHECK("share: the minute's limit holds receipts too",
	    outbox_drain(db, &config->smtp, true, &st, &error) == 0 &&
	    st.held == 3 && st.deferred == 0);
	db_close(&db);
	config_free(&config);
}

static bool
cut_always(void *ctx)
{
	unsigned *asked = ctx;

	(*asked)++;
	return true;
}

/*
 * The sender thread's bounds: asked to finish (cut), a drain starts no
 * reply; past its deadline, none either; the replies stay queued, their
 * attempts uncounted.  Within them, a drain tries what is due.
 */
static void
test_bounds(void)
{
	g_autofree char *error = NULL, *dbpath = NULL;
	struct config *config = load_conf("url = smtp://127.0.0.1:1\n",
	    &error);
	struct outbox_said said = { 0 };
	struct outbox_stats st;
	struct states s = { 0 };
	struct db *db = NULL;
	unsigned asked = 0;
	int64_t row = 0;
	int i;

	if (config == NULL) {
		printf("FAIL bounds config: %s\n", error);
		return;
	}
	dbpath = g_build_filename(tmpdir, "bounds.db", NULL);
	TEST_CHECK("bounds: db opens", db_open(dbpath, &db, &error) == 0);
	{
		struct db_message m = { .campaign = "fupin2020",
		    .message_id = "u@x", .sha256 = "07", .outcome = "accepted" };

		db_message_add(db, &m, &row, &error);
	}
	for (i = 0; i < 2; i++) {
		g_autofree char *rid = g_strdup_printf("receipt.u%d@z", i);
		g_autofree char *to = g_strdup_printf("u%d@example.test", i);

		db_outbox_add(db, row, "receipt", to, "u@x", rid, "x", 1,
		    &error);
	}
	{
		struct outbox_bounds cut = { .cut = cut_always,
		    .cut_ctx = &asked, .said = &said };
		struct outbox_bounds late = { .budget = 1, .said = &said,
		    .deadline = g_get_monotonic_time() - 1 };
		struct outbox_bounds ample = { .budget = 60, .said = &said,
		    .deadline = g_get_monotonic_time() + 60 * G_USEC_PER_SEC };

		TEST_CHECK("bounds: due", db_outbox_any_due(db, &error) == 1);
		TEST_CHECK("bounds: cut, nothing started",
		    outbox_drain_bounded(db, &config->smtp, &cut, &st,
		    &error) == 0 && st.postponed == 2 && st.deferred == 0 &&
		    asked == 2);
		TEST_CHECK("bounds: out of time, nothing started",
		    outbox_drain_bounded(db, &config->smtp, &late, &st,
		    &error) == 0 && st.postponed == 2 && st.deferred == 0);
		db_outbox_list(db, NULL, NULL, collect, &s, &error);
		TEST_CHECK("bounds: still queued, untried", s.n == 2 &&
		    strcmp(s.state[1], "queued") == 0 && s.attempts[0] == 0 &&
		    s.attempts[1] == 0);
		TEST_CHECK("bounds: within them, tried",
		    outbox_drain_bounded(db, &config->smtp, &ample, &st,
		    &error) == 0 && st.postponed == 0 && st.deferred == 2);
		TEST_CHECK("bounds: then nothing due (backoff)",
		    db_outbox_any_due(db, &error) == 0);
		db_outbox_set_sending(db, 1, &error);
		TEST_CHECK("bounds: one left sending is worth a drain",
		    db_outbox_any_due(db, &error) == 1);
	}
	TEST_CHECK("bounds: the claim is released",
	    db_sender_claim(db, &error) == 1);
	db_close(&db);
	config_free(&config);
}

/*
 * The sender thread, with a connection of its own: it drains what is due
 * when it starts and when woken, its counts reach the cycle, and once it
 * is finished the sender claim is free again.  While another process
 * holds the claim it sends nothing.
 */
static void
test_sender(void)
{
	g_autofree char *error = NULL, *dbpath = NULL;
	struct config *config = load_conf("url = smtp://127.0.0.1:1\n",
	    &error);
	struct attempts_of first = { "first@example.test", -1 };
	struct attempts_of woken = { "woken@example.test", -1 };
	struct sender_stats st = { 0 };
	struct sender *sender = NULL;
	struct db *db = NULL;
	int64_t row = 0;

	if (config == NULL) {
		printf("FAIL sender config: %s\n", error);
		return;
	}
	dbpath = g_build_filename(tmpdir, "sender.db", NULL);
	TEST_CHECK("sender: db opens", db_open(dbpath, &db, &error) == 0);
	{
		struct db_message m = { .campaign = "fupin2020",
		    .message_id = "w@x", .sha256 = "08", .outcome = "accepted" };

		db_message_add(db, &m, &row, &error);
	}
	db_outbox_add(db, row, "receipt", first.recipient, "w@x",
	    "receipt.w1@z", "x", 1, &error);
	TEST_CHECK("sender: starts", sender_start(dbpath, &config->smtp,
	    &sender, &error) == 0 && sender != NULL);
	if (sender == NULL)
		return;
	db_outbox_add(db, row, "receipt", woken.recipient, "w@x",
	    "receipt.w2@z", "x", 1, &error);
	sender_wake(sender);
	sender_finish(sender);
	sender_finish(sender);
	TEST_CHECK("sender: both tried, counted for the cycle",
	    sender_take_stats(sender, &st) == 0 && st.sent == 0 &&
	    st.deferred == 2);
	TEST_CHECK("sender: counts taken once",
	    sender_take_stats(sender, &st) == 0 && st.deferred == 0);
	sender_free(&sender);
	TEST_CHECK("sender: freed", sender == NULL);
	sender_free(&sender);
	db_outbox_list(db, NULL, NULL, attempts_cb, &first, &error);
	db_outbox_list(db, NULL, NULL, attempts_cb, &woken, &error);
	TEST_CHECK("sender: one attempt each", first.attempts == 1 &&
	    woken.attempts == 1);

	/* Another process sends: this one leaves the replies alone. */
	TEST_CHECK("sender: the claim is free", db_sender_claim(db,
	    &error) == 1);
	db_outbox_add(db, row, "receipt", "third@example.test", "w@x",
	    "receipt.w3@z", "x", 1, &error);
	TEST_CHECK("sender: starts beside a live sender", sender_start(dbpath,
	    &config->smtp, &sender, &error) == 0);
	if (sender != NULL) {
		sender_finish(sender);
		TEST_CHECK("sender: sends nothing beside a live sender",
		    sender_take_stats(sender, &st) == 0 && st.sent == 0 &&
		    st.deferred == 0);
		sender_free(&sender);
	}
	db_sender_release(db);
	TEST_CHECK("sender: an unopenable database", sender_start(
	    "/nonexistent/dir/x.db", &config->smtp, &sender, &error) < 0 &&
	    sender == NULL && error != NULL);
	db_close(&db);
	config_free(&config);
}

/*
 * Two senders (the daemon, and `subgate outbox send` beside it) never both
 * hand the due replies to SMTP: the one that does not hold the sender lock
 * sends none.
 */
static void
test_one_sender(void)
{
	g_autofree char *error = NULL, *dbpath = NULL;
	struct config *config = load_conf("url = smtp://127.0.0.1:1\n", &error);
	struct attempts_of a = { "clerk@example.test", -1 };
	struct outbox_stats st;
	struct db *daemon = NULL, *staff = NULL;
	int64_t row = 0;

	if (config == NULL) {
		printf("FAIL one-sender config: %s\n", error);
		return;
	}
	dbpath = g_build_filename(tmpdir, "senders.db", NULL);
	TEST_CHECK("one-sender: dbs open", db_open(dbpath, &daemon,
	    &error) == 0 && db_open(dbpath, &staff, &error) == 0);
	if (daemon == NULL || staff == NULL)
		return;
	{
		struct db_message m = { .campaign = "fupin2020",
		    .message_id = "o@x", .sha256 = "02", .outcome = "accepted" };

		db_message_add(daemon, &m, &row, &error);
	}
	db_outbox_add(daemon, row, "receipt", a.recipient, "o@x",
	    "receipt.1.0123456789abcdef@example.test", "x", 1, &error);
	TEST_CHECK("one-sender: the daemon holds the lock",
	    db_sender_claim(daemon, &error) == 1);
	TEST_CHECK("one-sender: a second claim waits",
	    db_sender_claim(staff, &error) == 0);
	TEST_CHECK("one-sender: the other sends nothing",
	    outbox_drain(staff, &config->smtp, true, &st, &error) == 0 &&
	    st.deferred == 0 && st.sent == 0);
	db_outbox_list(staff, NULL, NULL, attempts_cb, &a, &error);
	TEST_CHECK("one-sender: reply untouched", a.attempts == 0);
	db_sender_release(daemon);
	TEST_CHECK("one-sender: released, the other sends",
	    outbox_drain(staff, &config->smtp, true, &st, &error) == 0 &&
	    st.deferred == 1);
	TEST_CHECK("one-sender: drain releases the lock",
	    db_sender_claim(daemon, &error) == 1);
	db_close(&daemon);
	db_close(&staff);
	config_free(&config);
}

/* The outbox against a server that is not there: nothing is lost. */
static void
test_drain(void)
{
	g_autofree char *error = NULL, *dbpath = NULL;
	struct config *config = load_conf("url = smtp://127.0.0.1:1\n"
	    "rate_per_recipient_hour = 2\n", &error);
	struct outbox_stats st;
	struct states s = { 0 };
	struct db *db = NULL;
	int64_t row = 0;
	int i;

	if (config == NULL) {
		printf("FAIL drain config: %s\n", error);
		return;
	}
	dbpath = g_build_filename(tmpdir, "drain.db", NULL);
	TEST_CHECK("db opens", db_open(dbpath, &db, &error) == 0);
	{
		struct db_message m = { .campaign = "fupin2020",
		    .message_id = "s@x", .sha256 = "00", .outcome = "accepted" };

		db_message_add(db, &m, &row, &error);
	}
	for (i = 0; i < 3; i++) {
		g_autofree char *rid = g_strdup_printf("receipt.%d@example.test",
		    i);

		db_outbox_add(db, row, "receipt", i < 2 ? "busy@example.test" :
		    "calm@example.test", "s@x", rid, "Subject: x\r\n\r\nx\r\n",
		    18, &error);
	}
	TEST_CHECK("drain with server down",
	    outbox_drain(db, &config->smtp, false, &st, &error) == 0);
	TEST_CHECK("all deferred", st.deferred == 3 && st.sent == 0 &&
	    st.failed == 0);
	db_outbox_list(db, NULL, NULL, collect, &s, &error);
	TEST_CHECK("still queued", s.n == 3 && strcmp(s.state[0], "queued") == 0 &&
	    strcmp(s.state[2], "queued") == 0);
	TEST_CHECK("attempt counted", s.attempts[0] == 1);
	TEST_CHECK("backoff set", s.next[0] > (int64_t)time(NULL) + 30);
	TEST_CHECK("second drain: nothing due",
	    outbox_drain(db, &config->smtp, false, &st, &error) == 0 &&
	    st.deferred == 0 && st.sent == 0);
	/* Three silent attempts opened the circuit breaker
	 * (test_breaker_drain); here only the backoff is looked at. */
	db_breaker_put(db, config->smtp.url, &(struct breaker){ 0 }, &error);
	TEST_CHECK("drain --now ignores backoff",
	    outbox_drain(db, &config->smtp, true, &st, &error) == 0 &&
	    st.deferred == 3);
	memset(&s, 0, sizeof(s));
	db_outbox_list(db, "queued", NULL, collect, &s, &error);
	TEST_CHECK("two attempts", s.n == 3 && s.attempts[0] == 2);
	db_breaker_put(db, config->smtp.url, &(struct breaker){ 0 }, &error);

	/* Two receipts already went to busy@ this hour: a third waits.  A
	 * correction does not: corrections (which a stranger can make the
	 * gateway send to anyone) and receipts have an allowance each, so
	 * forged mail naming busy@ cannot hold busy@'s own receipts. */
	db_outbox_mark(db, 1, "sent", NULL, &error);
	db_outbox_mark(db, 2, "sent", NULL, &error);
	db_outbox_add(db, row, "receipt", "BUSY@example.test", "s@x",
	    "correction.9@example.test", "x", 1, &error);
	db_outbox_add(db, row, "correction", "busy@example.test", "s@x",
	    "correction.10@example.test", "x", 1, &error);
	TEST_CHECK("rate limit holds",
	    outbox_drain(db, &config->smtp, true, &st, &error) == 0 &&
	    st.held == 1 && st.deferred == 2);
	db_breaker_put(db, config->smtp.url, &(struct breaker){ 0 }, &error);
	config->smtp.rate_global_minute = 2;
	TEST_CHECK("global rate limit holds all",
	    outbox_drain(db, &config->smtp, true, &st, &error) == 0 &&
	    st.held == 3 && st.deferred == 0);
	{
		g_autofree char *state = NULL, *recipient = NULL;
		int64_t id = 0;

		TEST_CHECK("find by reply id", db_outbox_find(db,
		    "correction.9@example.test", &id, &state, &recipient,
		    &error) == 1 && strcmp(state, "queued") == 0 && id == 4 &&
		    recipient != NULL && *recipient != '\0');
		TEST_CHECK("unknown reply id", db_outbox_find(db,
		    "nope@example.test", NULL, NULL, NULL, &error) == 0);
	}
	db_close(&db);
	config_free(&config);
}

/*
 * A reply left sending: by a live sender (the claim is held elsewhere) it
 * is left alone; once no one holds the claim, its sender died in the
 * SMTP transaction, and the next drain (or start-up) queues it again, due
 * at once, the interrupted attempt counted.  Manual `outbox send` goes
 * through the same drain.
 */
static void
test_interrupted_send(void)
{
	g_autofree char *error = NULL, *dbpath = NULL;
	struct config *config = load_conf("url = smtp://127.0.0.1:1\n", &error);
	struct outbox_stats st;
	struct states s = { 0 };
	struct db *db = NULL, *other = NULL;
	int64_t row = 0;

	if (config == NULL) {
		printf("FAIL interrupted config: %s\n", error);
		return;
	}
	dbpath = g_build_filename(tmpdir, "interrupted.db", NULL);
	TEST_CHECK("interrupted: dbs open", db_open(dbpath, &db, &error) == 0 &&
	    db_open(dbpath, &other, &error) == 0);
	if (db == NULL || other == NULL)
		return;
	{
		struct db_message m = { .campaign = "fupin2020",
		    .message_id = "i@x", .sha256 = "04", .outcome = "accepted" };

		db_message_add(db, &m, &row, &error);
	}
	db_outbox_add(db, row, "receipt", "clerk@example.test", "i@x",
	    "receipt.1.00112233@example.test", "x", 1, &error);
	TEST_CHECK("interrupted: queued to sending",
	    db_outbox_set_sending(db, 1, &error) == 1);
	TEST_CHECK("interrupted: only a queued reply",
	    db_outbox_set_sending(db, 1, &error) == 0);
	TEST_CHECK_STR("interrupted: a state name", outbox_state_name(
	    OUTBOX_SENDING), "sending");

	/* Another process holds the claim: it may be sending this now. */
	TEST_CHECK("interrupted: other claims", db_sender_claim(other,
	    &error) == 1);
	TEST_CHECK("interrupted: no recovery beside a live sender",
	    outbox_recover(db, &error) == 0);
	TEST_CHECK("interrupted: no drain beside a live sender",
	    outbox_drain(db, &config->smtp, true, &st, &error) == 0 &&
	    st.deferred == 0);
	db_outbox_list(db, NULL, NULL, collect, &s, &error);
	TEST_CHECK("interrupted: still sending", s.n == 1 &&
	    strcmp(s.state[0], "sending") == 0 && s.attempts[0] == 0);
	db_sender_release(other);

	TEST_CHECK("interrupted: start-up requeues it",
	    outbox_recover(db, &error) == 1);
	memset(&s, 0, sizeof(s));
	db_outbox_list(db, NULL, NULL, collect, &s, &error);
	TEST_CHECK("interrupted: queued, due now, attempt counted", s.n == 1 &&
	    strcmp(s.state[0], "queued") == 0 && s.attempts[0] == 1 &&
	    s.next[0] == 0);
	TEST_CHECK("interrupted: recovery released the claim",
	    db_sender_claim(other, &error) == 1);
	db_sender_release(other);

	/* A drain does the same before it sends (here: to a server that is
	 * down, so the reply ends queued, two attempts more). */
	db_outbox_set_sending(db, 1, &error);
	TEST_CHECK("interrupted: the drain retries it",
	    outbox_drain(db, &config->smtp, false, &st, &error) == 0 &&
	    st.deferred == 1);
	memset(&s, 0, sizeof(s));
	db_outbox_list(db, NULL, NULL, collect, &s, &error);
	TEST_CHECK("interrupted: tried again", s.n == 1 &&
	    strcmp(s.state[0], "queued") == 0 && s.attempts[0] == 3);
	db_close(&db);
	db_close(&other);
	config_free(&config);
}

/*
 * A server that does not answer: three attempts in a row, then the
 * circuit breaker leaves it alone, kept in the database for every later
 * drain (and process); the replies not tried stay queued, their attempts
 * not counted.  `send --now` makes one attempt through the pause.  Each
 * server has its own breaker.
 */
static void
test_breaker_drain(void)
{
	g_autofree char *error = NULL, *dbpath = NULL;
	struct config *config = load_conf("url = smtp://127.0.0.1:1\n", &error);
	struct outbox_stats st;
	struct states s = { 0 };
	struct breaker b;
	struct db *db = NULL;
	int64_t row = 0;
	int i;

	if (config == NULL) {
		printf("FAIL breaker config: %s\n", error);
		return;
	}
	dbpath = g_build_filename(tmpdir, "breaker.db", NULL);
	TEST_CHECK("breaker: db opens", db_open(dbpath, &db, &error) == 0);
	{
		struct db_message m = { .campaign = "fupin2020",
		    .message_id = "b@x", .sha256 = "05", .outcome = "accepted" };

		db_message_add(db, &m, &row, &error);
	}
	for (i = 0; i < 6; i++) {
		g_autofree char *rid = g_strdup_printf("receipt.b%d@example.test",
		    i);
		g_autofree char *to = g_strdup_printf("unit%d@example.test", i);

		db_outbox_add(db, row, "receipt", to, "b@x", rid, "x", 1,
		    &error);
	}
	TEST_CHECK("breaker: three tried, then left alone",
	    outbox_drain(db, &config->smtp, false, &st, &error) == 0 &&
	    st.deferred == 3 && st.postponed == 3 && st.sent == 0 &&
	    st.paused > 0 && st.paused <= 60);
	db_outbox_list(db, NULL, NULL, collect, &s, &error);
	TEST_CHECK("breaker: all still queued, untried ones uncounted",
	    s.n == 6 && strcmp(s.state[5], "queued") == 0 &&
	    s.attempts[2] == 1 && s.attempts[3] == 0 && s.next[3] == 0);
	TEST_CHECK("breaker: kept in the database", db_breaker_get(db,
	    config->smtp.url, &b, &error) == 0 && b.opened == 1 &&
	    b.failures == 3);
	TEST_CHECK("breaker: the next drain tries nothing",
	    outbox_drain(db, &config->smtp, false, &st, &error) == 0 &&
	    st.deferred == 0 && st.postponed == 3);
	TEST_CHECK("breaker: --now tries once through the pause",
	    outbox_drain(db, &config->smtp, true, &st, &error) == 0 &&
	    st.deferred == 1 && st.postponed == 5 && st.paused > 60);
	TEST_CHECK("breaker: a longer pause", db_breaker_get(db,
	    config->smtp.url, &b, &error) == 0 && b.opened == 2);
	/* The sender thread's drain, with time to spare: the breaker holds
	 * them back all the same. */
	{
		struct outbox_bounds bounds = { .budget = 60,
		    .deadline = g_get_monotonic_time() + 60 * G_USEC_PER_SEC };

		TEST_CHECK("breaker: a bounded drain postpones them too",
		    outbox_drain_bounded(db, &config->smtp, &bounds, &st,
		    &error) == 0 && st.sent == 0 && st.deferred == 0 &&
		    st.postponed == 3);
	}
	g_free(config->smtp.url);
	config->smtp.url = g_strdup("smtp://127.0.0.1:2");
	TEST_CHECK("breaker: another server has its own",
	    outbox_drain(db, &config->smtp, false, &st, &error) == 0 &&
	    st.deferred == 3 && st.postponed == 0);
	db_close(&db);
	config_free(&config);
}

int
main(void)
{
	g_autofree char *cmd = NULL;

	log_init("test-outbox", LOG_LEVEL_WARN);
	g_mime_init();
	tmpdir = g_dir_make_tmp("subgate-outbox-XXXXXX", NULL);
	test_engine();
	test_campaign_templates();
	test_wire();
	test_config();
	test_drain();
	test_flood_delays_no_one();
	test_limit_per_domain();
	test_limit_per_mailbox();
	test_refusal_share();
	test_bounds();
	test_sender();
	test_one_sender();
	test_interrupted_send();
	test_breaker_drain();
	cmd = g_strdup_printf("rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		printf("FAIL cleanup\n");
	g_free(tmpdir);
	g_mime_shutdown();
	return TEST_EXIT();
}
