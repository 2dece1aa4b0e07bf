/*
 * linkfetch_http: libcurl for the linkfetch stage: the providers' pages
 * and API calls that turn a link into a file's URL (a table of
 * resolvers, one per URL shape), and the download itself, resumable and
 * bounded.  See include/linkfetch.h and linkfetch-private.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>
#include <glib.h>

#include "config.h"
#include "crashpoint.h"
#include "fault.h"
#include "linkfetch.h"
#include "linkfetch-private.h"

/* Providers refuse clients that do not look like a browser (observed by
 * third parties, not documented). */
#define LF_USER_AGENT "Mozilla/5.0 (Windows NT 10.0; Win64; x64) " \
	"AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"
/* An error page's body is read this far, then dropped. */
#define LF_ERROR_BODY_BYTES	(64 * 1024)

/* What any transfer needs to know to stop. */
struct lf_xfer {
	const struct lf_http *h;
	uint64_t base;			/* bytes already in the file */
	bool over, cut;
};

static int
lf_progress(void *p, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
    curl_off_t ulnow)
{
	struct lf_xfer *x = p;

	(void)dltotal;
	(void)ultotal;
	(void)ulnow;
	if (x->h->cut != NULL && x->h->cut(x->h->cut_ctx)) {
		x->cut = true;
		return 1;
	}
	/* A chunked reply announces no length: counted as it comes. */
	if (x->base + (uint64_t)dlnow > x->h->max_bytes) {
		x->over = true;
		return 1;
	}
	return 0;
}

/* The options every request has: what may be spoken, whom to trust, how
 * long to wait. */
static CURL *
lf_easy(const struct lf_http *h, const char *url, bool allow_http,
    struct lf_xfer *x, struct curl_slist **resolve_r, char *errbuf)
{
	CURL *c = curl_easy_init();
	size_t i;

	*resolve_r = NULL;
	if (c == NULL)
		return NULL;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR,
	    allow_http ? "https,http" : "https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (h->cfg->ca_file != NULL)
		curl_easy_setopt(c, CURLOPT_CAINFO, h->cfg->ca_file);
	for (i = 0; h->cfg->resolve != NULL && h->cfg->resolve[i] != NULL; i++)
		*resolve_r = curl_slist_append(*resolve_r, h->cfg->resolve[i]);
	if (*resolve_r != NULL)
		curl_easy_setopt(c, CURLOPT_RESOLVE, *resolve_r);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT,
	    (long)LINKFETCH_CONNECT_SECONDS);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT,
	    (long)LINKFETCH_LOW_SPEED_BYTES);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME,
	    (long)LINKFETCH_LOW_SPEED_SECONDS);
	curl_easy_setopt(c, CURLOPT_USERAGENT, LF_USER_AGENT);
	/* Beside intake's threads: no SIGALRM for DNS timeouts. */
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, lf_progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, x);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	errbuf[0] = '\0';
	return c;
}

/* A transfer's failure as an LF_* code, said in *error_r. */
static int
lf_curl_error(CURLcode rc, const struct lf_xfer *x, const char *errbuf,
    const char *url, char **error_r)
{
	const char *why = *errbuf != '\0' ? errbuf : curl_easy_strerror(rc);

	if (x->cut) {
		*error_r = g_strdup("interrupted");
		return LF_CUT;
	}
	if (x->over || rc == CURLE_FILESIZE_EXCEEDED) {
		*error_r = g_strdup_printf("%s: larger than fetch_max_bytes "
		    "(%llu)", url, (unsigned long long)x->h->max_bytes);
		return LF_REFUSED;
	}
	*error_r = g_strdup_printf("%s: %s", url, why);
	/* A redirect to http, or a scheme we do not speak: the same again
	 * would end the same. */
	return rc == CURLE_UNSUPPORTED_PROTOCOL ? LF_REFUSED : LF_FAILED;
}

struct lf_body {
	GString *text;
	size_t max;
};

static size_t
lf_body_write(char *data, size_t size, size_t n, void *p)
{
	struct lf_body *b = p;

	if (b->text->len + size * n > b->max)
		return 0;
	g_string_append_len(b->text, data, (gssize)(size * n));
	return size * n;
}

/* GET url (or POST json there): the body and the HTTP status. */
static int
lf_call(const struct lf_http *h, const char *url, bool allow_http,
    const char *json, GString *body, long *code_r, char **error_r)
{
	struct lf_xfer x = { .h = h };
	struct lf_body b = { body, LINKANSWER_MAX_BYTES };
	struct curl_slist *resolve, *headers = NULL;
	char errbuf[CURL_ERROR_SIZE];
	CURL *c = lf_easy(h, url, allow_http, &x, &resolve, errbuf);
	CURLcode rc;
	int r = 0;

	if (c == NULL) {
		*error_r = g_strdup("curl_easy_init failed");
		return FAULT_ENVIRONMENT;
	}
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, lf_body_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)LINKFETCH_API_SECONDS);
	if (json != NULL) {
		headers = curl_slist_append(NULL,
		    "Content-Type: application/json");
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, json);
	}
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, code_r);
	if (rc != CURLE_OK)
		r = lf_curl_error(rc, &x, errbuf, url, error_r);
	curl_easy_cleanup(c);
	curl_slist_free_all(resolve);
	curl_slist_free_all(headers);
	return r;
}

typedef int lf_parse_fn(const char *, size_t, struct linkanswer *, char **);

/* The call's answer read by parse; a 404 or 410 is a link gone. */
static int
lf_call_parse(const struct lf_http *h, const char *url, bool allow_http,
    const char *json, lf_parse_fn *parse, struct linkanswer *a,
    char **error_r)
{
	GString *body = g_string_new(NULL);
	long code = 0;
	int r = lf_call(h, url, allow_http, json, body, &code, error_r);

	if (r == 0 && (code == 404 || code == 410)) {
		a->why_gone = g_strdup_printf("HTTP %ld", code);
		r = LF_GONE;
	} else if (r == 0 && code != 200) {
		*error_r = g_strdup_printf("%s: HTTP %ld", url, code);
		r = LF_FAILED;
	} else if (r == 0) {
		r = parse(body->str, body->len, a, error_r);
		r = r == LINKANSWER_GONE ? LF_GONE : r < 0 ? LF_FAILED : 0;
	}
	g_string_free(body, TRUE);
	return r;
}

static int
resolve_qq_json(const struct lf_http *h, GUri *page, const char *url,
    struct linkanswer *a, char **error_r)
{
	const char *q = g_uri_get_query(page);
	g_autofree char *api = q != NULL && strstr(q, "f=json") != NULL ?
	    g_strdup(url) : g_strconcat(url, q != NULL ? "&" : "?", "f=json",
	    NULL);

	return lf_call_parse(h, api, false, NULL, linkanswer_qq_json, a,
	    error_r);
}

static int
resolve_qq_page(const struct lf_http *h, GUri *page, const char *url,
    struct linkanswer *a, char **error_r)
{
	bool http = strcmp(g_uri_get_scheme(page), "http") == 0;

	return lf_call_parse(h, url, http, NULL, linkanswer_qq_page, a,
	    error_r);
}

/* POST the file's key to the host's prepare call. */
static int
resolve_netease(const struct lf_http *h, GUri *page, const char *url,
    struct linkanswer *a, char **error_r)
{
	const char *q = g_uri_get_query(page);
	g_autoptr(GHashTable) params = q != NULL ?
	    g_uri_parse_params(q, -1, "&", G_URI_PARAMS_NONE, NULL) : NULL;
	const char *key = params == NULL ? NULL :
	    g_hash_table_lookup(params, "file") != NULL ?
	    g_hash_table_lookup(params, "file") :
	    g_hash_table_lookup(params, "key");
	const char *host = g_uri_get_host(page);
	g_autofree char *api = NULL, *json = NULL;
	char port[16];

	(void)url;
	if (key == NULL || *key == '\0' || strlen(key) > 512 ||
	    strspn(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_=.") != strlen(key)) {
		*error_r = g_strdup("NetEase link: no file key");
		return LF_FAILED;
	}
	/* The page's own host (and port): its certificate was checked. */
	g_snprintf(port, sizeof(port), "%d", g_uri_get_port(page));
	api = g_strdup_printf("https://%s%s%s%s", host,
	    g_uri_get_port(page) > 0 ? ":" : "",
	    g_uri_get_port(page) > 0 ? port : "",
	    strcmp(host, "dashi.163.com") == 0 ?
	    "/filehub-master/file/dl/prepare2" : "/filehub/bg/dl/prepare");
	json = g_strdup_printf("{\"linkKey\":\"%s\"}", key);
	return lf_call_parse(h, api, false, json, linkanswer_netease, a,
	    error_r);
}

/* A host that serves the file at the link itself. */
static int
resolve_direct(const struct lf_http *h, GUri *page, const char *url,
    struct linkanswer *a, char **error_r)
{
	(void)h;
	(void)page;
	(void)error_r;
	a->url = g_strdup(url);
	return 0;
}

/* One row per URL shape (cloudlink.h's table); the last takes any. */
static const struct lf_resolver {
	const char *host;
	const char *path;		/* prefix */
	const char *name;
	int (*resolve)(const struct lf_http *h, GUri *page, const char *url,
	    struct linkanswer *a, char **error_r);
} lf_resolvers[] = {
	{ "wx.mail.qq.com", "/ftn/download", "qq-ftn-json", resolve_qq_json },
	{ "iwx.mail.qq.com", "/ftn/download", "qq-ftn-json",
	    resolve_qq_json },
	{ "mail.qq.com", "/cgi-bin/ftnExs_download", "qq-ftn-page",
	    resolve_qq_page },
	{ "exmail.qq.com", "/cgi-bin/ftnExs_download", "qq-ftn-page",
	    resolve_qq_page },
	{ "mail.163.com", "/large-attachment-download", "netease-prepare",
	    resolve_netease },
	{ "mail.126.com", "/large-attachment-download", "netease-prepare",
	    resolve_netease },
	{ "dashi.163.com", "/html/cloud-attachment-download",
	    "netease-mailmaster", resolve_netease },
	{ NULL, NULL, "direct", resolve_direct },
};

int
lf_resolve(const struct lf_http *h, const char *page_url,
    struct linkanswer *a, const char **resolver_r, char **error_r)
{
	g_autoptr(GUri) page = g_uri_parse(page_url, G_URI_FLAGS_ENCODED,
	    NULL);
	const struct lf_resolver *r;
	const char *host;
	int ret;

	memset(a, 0, sizeof(*a));
	*resolver_r = "none";
	if (page == NULL || (host = g_uri_get_host(page)) == NULL) {
		*error_r = g_strdup_printf("%s: not a URL", page_url);
		return LF_REFUSED;
	}
	for (r = lf_resolvers; r->host != NULL; r++)
		if (g_ascii_strcasecmp(r->host, host) == 0 &&
		    g_str_has_prefix(g_uri_get_path(page), r->path))
			break;
	*resolver_r = r->name;
	ret = r->resolve(h, page, page_url, a, error_r);
	/* Got over https, the file must be too: an http URL in an https
	 * answer would undo the certificate check. */
	if (ret == 0 && strcmp(g_uri_get_scheme(page), "https") == 0 &&
	    !g_str_has_prefix(a->url, "https://")) {
		*error_r = g_strdup_printf("%s: answered with a file URL that "
		    "is not https", page_url);
		linkanswer_clear(a);
		ret = LF_REFUSED;
	}
	return ret;
}

/* ---- the download ---- */

struct lf_dl {
	struct lf_xfer x;
	CURL *c;
	int fd;
	uint64_t have;			/* bytes in the file */
	bool decided;			/* the reply's kind is known */
	long code;
	char *range;			/* the last reply's Content-Range */
	bool range_wrong;
	int write_errno;
	size_t error_body;
};

static size_t
lf_dl_header(char *data, size_t size, size_t n, void *p)
{
	struct lf_dl *d = p;
	size_t len = size * n;

	/* A redirect's headers are another reply's. */
	if (len >= 5 && g_ascii_strncasecmp(data, "HTTP/", 5) == 0)
		g_clear_pointer(&d->range, g_free);
	else if (len > 14 && g_ascii_strncasecmp(data, "Content-Range:",
	    14) == 0) {
		g_free(d->range);
		d->range = g_strstrip(g_strndup(data + 14, len - 14));
	}
	return len;
}

/* The first bytes of the final reply: whether they continue the file. */
static bool
lf_dl_decide(struct lf_dl *d)
{
	uint64_t first, last, total;

	d->decided = true;
	curl_easy_getinfo(d->c, CURLINFO_RESPONSE_CODE, &d->code);
	if (d->code == 206) {
		if (!linkanswer_content_range(d->range, &first, &last,
		    &total) || first != d->have) {
			d->range_wrong = true;
			return false;
		}
	} else if (d->code == 200 && d->have > 0) {
		/* The server ignored the Range: the file starts again. */
		if (ftruncate(d->fd, 0) < 0) {
			d->write_errno = errno;
			return false;
		}
		d->have = 0;
		d->x.base = 0;
	}
	return true;
}

static size_t
lf_dl_write(char *data, size_t size, size_t n, void *p)
{
	struct lf_dl *d = p;
	size_t len = size * n, done = 0;
	ssize_t w;

	if (!d->decided && !lf_dl_decide(d))
		return 0;
	if (d->code != 200 && d->code != 206) {
		/* An error page: not the file. */
		d->error_body += len;
		return d->error_body > LF_ERROR_BODY_BYTES ? 0 : len;
	}
	if (d->have + len > d->x.h->max_bytes) {
		d->x.over = true;
		return 0;
	}
	if (failpoint("link-write")) {
		d->write_errno = errno != 0 ? errno : EIO;
		return 0;
	}
	while (done < len) {
		w = pwrite(d->fd, data + done, len - done,
		    (off_t)(d->have + done));
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			d->write_errno = w < 0 ? errno : EIO;
			return 0;
		}
		done += (size_t)w;
	}
	d->have += len;
	return len;
}

/* How the transfer ended, as lf_download() returns it. */
static int
lf_dl_end(struct lf_dl *d, CURLcode rc, const char *url, const char *errbuf,
    char **error_r)
{
	uint64_t total;

	if (d->write_errno != 0) {
		*error_r = g_strdup_printf("writing the download: %s",
		    g_strerror(d->write_errno));
		return fault_errno(d->write_errno);
	}
	if (d->range_wrong) {
		*error_r = g_strdup_printf("%s: Content-Range \"%s\" does not "
		    "continue the %llu bytes we have", url,
		    d->range != NULL ? d->range : "",
		    (unsigned long long)d->have);
		return LF_FAILED;
	}
	if (rc != CURLE_OK)
		return lf_curl_error(rc, &d->x, errbuf, url, error_r);
	/* Asked for what follows a file we already have whole (a stop
	 * after the last byte, before the rename): done. */
	if (d->code == 416 && d->have > 0 && d->range != NULL &&
	    sscanf(d->range, "bytes */%" SCNu64, &total) == 1 &&
	    total == d->have)
		return fsync(d->fd) < 0 ? fault_errno(errno) : 0;
	if (d->code == 404 || d->code == 410) {
		*error_r = g_strdup_printf("%s: HTTP %ld", url, d->code);
		return LF_GONE;
	}
	if (d->code != 200 && d->code != 206) {
		*error_r = g_strdup_printf("%s: HTTP %ld", url, d->code);
		return LF_FAILED;
	}
	if (fsync(d->fd) < 0) {
		*error_r = g_strdup_printf("fsync of the download: %s",
		    g_strerror(errno));
		return fault_errno(errno);
	}
	return 0;
}

int
lf_download(const struct lf_http *h, const char *url, bool allow_http,
    int fd, uint64_t *have_r, char **error_r)
{
	struct lf_dl d = { .x = { .h = h, .base = *have_r }, .fd = fd,
		.have = *have_r };
	struct curl_slist *resolve;
	char errbuf[CURL_ERROR_SIZE];
	g_autofree char *range = NULL;
	CURLcode rc;
	int r;

	if ((d.c = lf_easy(h, url, allow_http, &d.x, &resolve,
	    errbuf)) == NULL) {
		*error_r = g_strdup("curl_easy_init failed");
		return FAULT_ENVIRONMENT;
	}
	curl_easy_setopt(d.c, CURLOPT_WRITEFUNCTION, lf_dl_write);
	curl_easy_setopt(d.c, CURLOPT_WRITEDATA, &d);
	curl_easy_setopt(d.c, CURLOPT_HEADERFUNCTION, lf_dl_header);
	curl_easy_setopt(d.c, CURLOPT_HEADERDATA, &d);
	curl_easy_setopt(d.c, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)h->max_bytes);
	/* A Range of our own, not CURLOPT_RESUME_FROM: libcurl fails a
	 * resume that meets a 200, where we start the file again. */
	if (d.have > 0) {
		range = g_strdup_printf("%llu-", (unsigned long long)d.have);
		curl_easy_setopt(d.c, CURLOPT_RANGE, range);
	}
	rc = curl_easy_perform(d.c);
	if (!d.decided && rc == CURLE_OK)
		curl_easy_getinfo(d.c, CURLINFO_RESPONSE_CODE, &d.code);
	r = lf_dl_end(&d, rc, url, errbuf, error_r);
	*have_r = d.have;
	curl_easy_cleanup(d.c);
	curl_slist_free_all(resolve);
	g_free(d.range);
	return r;
}
