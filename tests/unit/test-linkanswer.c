/*
 * linkanswer: the providers' answers read from tables, Content-Range,
 * the retry schedule and the state a link takes after each kind of
 * attempt, the findings on a fetched file, and [links] fetch in a
 * campaign.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "campaign.h"
#include "linkanswer.h"
#include "mail_limits.h"
#include "mediarule.h"
#include "test.h"

typedef int parse_fn(const char *, size_t, struct linkanswer *, char **);

static void
test_answers(void)
{
	static const struct {
		const char *name;
		parse_fn *parse;
		const char *body;
		int want;
		const char *url, *fname, *md5;
		uint64_t size;
	} rows[] = {
		{ "qq-json-ok", linkanswer_qq_json,
		    "{\"head\":{\"ret\":0},\"body\":{\"name\":\"初心如磐.mp4\","
		    "\"size\":1288490189,\"url\":\"https://xmfd.ftn.qq.com/ftn_"
		    "handler/abc\",\"expired_time\":1726108200,\"md5\":"
		    "\"D41D8CD98F00B204E9800998ECF8427E\"}}", LINKANSWER_OK,
		    "https://xmfd.ftn.qq.com/ftn_handler/abc", "初心如磐.mp4",
		    "d41d8cd98f00b204e9800998ecf8427e", 1288490189 },
		{ "qq-json-size-as-text", linkanswer_qq_json,
		    "{\"head\":{\"ret\":\"0\"},\"body\":{\"size\":\"42\","
		    "\"url\":\"https://f.qq.com/x\"}}", LINKANSWER_OK,
		    "https://f.qq.com/x", NULL, NULL, 42 },
		{ "qq-json-expired", linkanswer_qq_json,
		    "{\"head\":{\"ret\":-1}}", LINKANSWER_GONE, NULL, NULL,
		    NULL, 0 },
		{ "qq-json-no-url", linkanswer_qq_json,
		    "{\"head\":{\"ret\":0},\"body\":{}}", LINKANSWER_MALFORMED,
		    NULL, NULL, NULL, 0 },
		{ "qq-json-javascript-url", linkanswer_qq_json,
		    "{\"head\":{\"ret\":0},\"body\":{\"url\":\"javascript:x\"}}",
		    LINKANSWER_MALFORMED, NULL, NULL, NULL, 0 },
		{ "qq-json-not-json", linkanswer_qq_json, "<html>登录</html>",
		    LINKANSWER_MALFORMED, NULL, NULL, NULL, 0 },
		{ "qq-json-array", linkanswer_qq_json, "[1,2]",
		    LINKANSWER_MALFORMED, NULL, NULL, NULL, 0 },
		{ "qq-page-ok", linkanswer_qq_page,
		    "<script>var a = 1;\nvar url = \"https:\\/\\/xmfd.ftn.qq.com"
		    "\\/ftn_handler\\/k?fname=a&amp;b=1\";</script>",
		    LINKANSWER_OK, "https://xmfd.ftn.qq.com/ftn_handler/k?"
		    "fname=a&b=1", NULL, NULL, 0 },
		{ "qq-page-single-quotes", linkanswer_qq_page,
		    "var url='http://f.ftn.qq.com/x';", LINKANSWER_OK,
		    "http://f.ftn.qq.com/x", NULL, NULL, 0 },
		{ "qq-page-expired", linkanswer_qq_page,
		    "<div>该文件已过期</div>", LINKANSWER_GONE, NULL, NULL, NULL,
		    0 },
		{ "qq-page-login", linkanswer_qq_page, "<form>请登录</form>",
		    LINKANSWER_MALFORMED, NULL, NULL, NULL, 0 },
		{ "qq-page-unterminated", linkanswer_qq_page,
		    "var url = \"https://f.qq.com/x", LINKANSWER_MALFORMED, NULL,
		    NULL, NULL, 0 },
		{ "netease-ok", linkanswer_netease,
		    "{\"code\":200,\"data\":{\"downloadUrl\":\"https://"
		    "nos.163.com/f\"}}", LINKANSWER_OK, "https://nos.163.com/f",
		    NULL, NULL, 0 },
		{ "netease-expired", linkanswer_netease, "{\"code\":400}",
		    LINKANSWER_GONE, NULL, NULL, NULL, 0 },
		{ "netease-deleted", linkanswer_netease, "{\"code\":404}",
		    LINKANSWER_GONE, NULL, NULL, NULL, 0 },
		{ "netease-busy", linkanswer_netease, "{\"code\":500}",
		    LINKANSWER_MALFORMED, NULL, NULL, NULL, 0 },
		{ "netease-no-url", linkanswer_netease,
		    "{\"code\":200,\"data\":{}}", LINKANSWER_MALFORMED, NULL,
		    NULL, NULL, 0 },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(rows); i++) {
		struct linkanswer a;
		g_autofree char *err = NULL;
		int r = rows[i].parse(rows[i].body, strlen(rows[i].body), &a,
		    &err);
		bool ok = r == rows[i].want &&
		    g_strcmp0(a.url, rows[i].url) == 0 &&
		    g_strcmp0(a.name, rows[i].fname) == 0 &&
		    g_strcmp0(a.md5, rows[i].md5) == 0 &&
		    a.size == rows[i].size &&
		    (r != LINKANSWER_GONE || a.why_gone != NULL) &&
		    (r != LINKANSWER_MALFORMED || err != NULL);

		if (!ok)
			printf("# %s: r=%d url=%s err=%s\n", rows[i].name, r,
			    a.url ? a.url : "-", err ? err : "-");
		TEST_CHECK(rows[i].name, ok);
		linkanswer_clear(&a);
	}
}

static void
test_content_range(void)
{
	static const struct {
		const char *name, *value;
		bool ok;
		uint64_t first, last, total;
	} rows[] = {
		{ "range-plain", "bytes 100-199/1000", true, 100, 199, 1000 },
		{ "range-star", "bytes 0-9/*", true, 0, 9, UINT64_MAX },
		{ "range-crlf", "bytes 20000-71773/71774\r\n", true, 20000,
		    71773, 71774 },
		{ "range-case", "BYTES 1-1/2", true, 1, 1, 2 },
		{ "range-backwards", "bytes 9-1/10", false, 0, 0, 0 },
		{ "range-past-total", "bytes 0-10/10", false, 0, 0, 0 },
		{ "range-unsatisfied", "bytes */1000", false, 0, 0, 0 },
		{ "range-junk", "bytes 1-2/3x", false, 0, 0, 0 },
		{ "range-overflow", "bytes 99999999999999999999-1/2", false, 0,
		    0, 0 },
		{ "range-null", NULL, false, 0, 0, 0 },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(rows); i++) {
		uint64_t f = 0, l = 0, t = 0;
		bool ok = linkanswer_content_range(rows[i].value, &f, &l, &t);

		TEST_CHECK(rows[i].name, ok == rows[i].ok && (!ok ||
		    (f == rows[i].first && l == rows[i].last &&
		    t == rows[i].total)));
	}
}

static void
test_backoff(void)
{
	TEST_CHECK("backoff-first", linkanswer_backoff(1) == 60);
	TEST_CHECK("backoff-second", linkanswer_backoff(2) == 120);
	TEST_CHECK("backoff-sixth", linkanswer_backoff(6) == 1920);
	TEST_CHECK("backoff-capped", linkanswer_backoff(7) == 3600 &&
	    linkanswer_backoff(40) == 3600);
}

static void
test_next(void)
{
	static const struct {
		const char *name;
		enum linkfetch_outcome o;
		unsigned attempts;
		int64_t expires;
		const char *state;
		unsigned want_attempts;
		int64_t next;
	} rows[] = {
		{ "next-done", LINKFETCH_DONE, 2, 0, "fetched", 3, 0 },
		{ "next-gone", LINKFETCH_GONE, 0, 0, "expired", 1, 0 },
		{ "next-refused", LINKFETCH_REFUSED, 0, 0, "not-fetched", 1,
		    0 },
		{ "next-failed", LINKFETCH_FAILED, 0, 0, "failed", 1,
		    1000 + 60 },
		{ "next-failed-again", LINKFETCH_FAILED, 3, 0, "failed", 4,
		    1000 + 480 },
		{ "next-interrupted-new", LINKFETCH_INTERRUPTED, 0, 0,
		    "pending", 0, 0 },
		{ "next-interrupted-counts-nothing", LINKFETCH_INTERRUPTED, 2,
		    0, "failed", 2, 0 },
		{ "next-out-of-attempts", LINKFETCH_FAILED,
		    LIMIT_FETCH_ATTEMPTS - 1, 0, "not-fetched",
		    LIMIT_FETCH_ATTEMPTS, 0 },
		/* the retry would come after the link is gone: staff now */
		{ "next-not-past-expiry", LINKFETCH_FAILED, 0, 1030,
		    "not-fetched", 1, 0 },
		{ "next-before-expiry", LINKFETCH_FAILED, 0, 2000, "failed", 1,
		    1060 },
		{ "next-expired-meanwhile", LINKFETCH_FAILED, 0, 900,
		    "expired", 1, 0 },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(rows); i++) {
		struct linkfetch_next n;

		linkanswer_next(rows[i].o, rows[i].attempts, 1000,
		    rows[i].expires, 0, &n);
		if (strcmp(n.state, rows[i].state) != 0 ||
		    n.attempts != rows[i].want_attempts ||
		    n.next_attempt_at != rows[i].next)
			printf("# %s: %s %u %lld\n", rows[i].name, n.state,
			    n.attempts, (long long)n.next_attempt_at);
		TEST_CHECK(rows[i].name, strcmp(n.state, rows[i].state) == 0 &&
		    n.attempts == rows[i].want_attempts &&
		    n.next_attempt_at == rows[i].next);
	}
}

#define BASE \
	"[campaign]\n" \
	"id = c1\n" \
	"name = 征集\n" \
	"opens = 2024-06-01 00:00\n" \
	"closes = 2024-07-01 00:00\n" \
	"subject = {作品名称}-{类别}\n" \
	"category_field = 类别\n" \
	"title_field = 作品名称\n" \
	"[field 作品名称]\n" \
	"type = text\n" \
	"[field 类别]\n" \
	"type = enum\n" \
	"values = 微视频;纪录片\n" \
	"[file 作品]\n" \
	"role = work\n" \
	"types = mp4;mov\n" \
	"content = video\n" \
	"duration.微视频 = max 8:00 reject\n" \
	"fps = 25 warn\n"

static struct campaign *
parse(const char *extra, char **err_r)
{
	g_autofree char *text = g_strconcat(BASE, extra, NULL);
	struct campaign *c = NULL;

	*err_r = NULL;
	(void)campaign_parse("mem", text, strlen(text), NULL, NULL, &c,
	    err_r);
	return c;
}

static void
test_campaign_keys(void)
{
	g_autofree char *err = NULL, *e2 = NULL, *e3 = NULL, *e4 = NULL;
	struct campaign *c = parse("[links]\nfetch = qq;files.example.org\n"
	    "fetch_max_bytes = 700M\nexpiry_warn = 2d\n", &err);
	struct campaign *none = parse("", &e2);
	struct campaign *bad;

	TEST_CHECK("keys-parse", c != NULL);
	TEST_CHECK("keys-qq-hosts", c != NULL &&
	    campaign_link_fetch_host(c, "wx.mail.qq.com") &&
	    campaign_link_fetch_host(c, "MAIL.QQ.COM") &&
	    !campaign_link_fetch_host(c, "mail.163.com"));
	TEST_CHECK("keys-direct-host", c != NULL &&
	    campaign_link_fetch_host(c, "files.example.org"));
	TEST_CHECK("keys-max", c != NULL &&
	    campaign_link_fetch_max(c) == 700ULL * 1024 * 1024);
	TEST_CHECK("keys-warn", c != NULL &&
	    campaign_link_expiry_warn(c) == 2 * 86400);
	TEST_CHECK("keys-defaults", none != NULL &&
	    !campaign_link_fetch_host(none, "wx.mail.qq.com") &&
	    campaign_link_fetch_max(none) == LIMIT_FETCH_BYTES &&
	    campaign_link_expiry_warn(none) == CAMPAIGN_DEFAULT_EXPIRY_WARN);
	bad = parse("[links]\nfetch = baidu\n", &e3);
	TEST_CHECK("keys-baidu-refused", bad == NULL && e3 != NULL &&
	    strstr(e3, "baidu links cannot be fetched") != NULL);
	campaign_free(&bad);
	{
		g_autofree char *e5 = NULL;
		struct campaign *r = parse("[reply]\nlink-check.subject = "
		    "【请重发】{receipt} {title}\n", &e5);

		TEST_CHECK_STR("keys-link-check-template", r != NULL ?
		    campaign_reply_template(r, "link-check", "subject") :
		    e5, "【请重发】{receipt} {title}");
		campaign_free(&r);
	}
	bad = parse("[links]\nexpiry_warn = soon\n", &e4);
	TEST_CHECK("keys-warn-refused", bad == NULL && e4 != NULL &&
	    strstr(e4, "expiry_warn") != NULL);
	campaign_free(&bad);
	campaign_free(&c);
	campaign_free(&none);
}

static void
test_findings(void)
{
	g_autofree char *err = NULL;
	struct campaign *c = parse("", &err);
	struct media_facts f = {
		.kind = FACTS_AV, .readable = true, .video = true,
		.audio = true, .duration_ms = 552000, .width = 1920,
		.height = 1080, .fps_num = 30, .fps_den = 1,
	};
	struct linkcheck_finding *found = NULL;
	size_t n;

	if (c == NULL) {
		TEST_CHECK("findings-campaign", c != NULL);
		return;
	}
	TEST_CHECK("findings-wants-media", linkcheck_wants_media(c, "作品",
	    "微视频", "video/mp4") &&
	    !linkcheck_wants_media(c, "作品", "微视频", "image/jpeg"));
	n = linkcheck_findings(c, "作品", "微视频", "初心如磐",
	    "初心如磐-微视频.mp4", "video/mp4", &f, &found);
	TEST_CHECK("findings-two", n == 2);
	TEST_CHECK_STR("findings-duration-text", n > 0 ? found[0].text :
	    NULL, "作品《初心如磐》：时长 9分12秒，微视频不超过 8 分钟。");
	TEST_CHECK_STR("findings-duration-reject", n > 0 ?
	    found[0].severity : NULL, "reject");
	TEST_CHECK_STR("findings-fps-warn", n > 1 ? found[1].severity : NULL,
	    "warn");
	linkcheck_findings_free(found, n);
	n = linkcheck_findings(c, "作品", "纪录片", "初心如磐", "初心如磐.mp4",
	    "application/vnd.microsoft.portable-executable", NULL, &found);
	TEST_CHECK("findings-program", n == 1 &&
	    strcmp(found[0].code, "content-program") == 0 &&
	    strcmp(found[0].severity, "reject") == 0);
	linkcheck_findings_free(found, n);
	n = linkcheck_findings(c, "作品", "纪录片", "初心如磐", "初心如磐.mp4",
	    "video/mp4", NULL, &found);
	TEST_CHECK("findings-none", n == 0);
	linkcheck_findings_free(found, n);
	campaign_free(&c);
}

int
main(void)
{
	test_answers();
	test_content_range();
	test_backoff();
	test_next();
	test_campaign_keys();
	test_findings();
	return TEST_EXIT();
}
