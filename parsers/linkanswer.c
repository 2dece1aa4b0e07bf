/* linkanswer: see include/linkanswer.h. */
#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "campaign.h"
#include "contentrule.h"
#include "linkanswer.h"
#include "mail_limits.h"
#include "mediarule.h"

void
linkanswer_clear(struct linkanswer *a)
{
	g_free(a->url);
	g_free(a->name);
	g_free(a->md5);
	g_free(a->why_gone);
	memset(a, 0, sizeof(*a));
}

/* The root object of a JSON answer, or NULL and *error_r. */
static JsonParser *
answer_parse(const char *what, const char *body, size_t len, char **error_r)
{
	JsonParser *p = json_parser_new();
	GError *err = NULL;

	if (len > LINKANSWER_MAX_BYTES ||
	    !json_parser_load_from_data(p, body, (gssize)len, &err) ||
	    !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(p))) {
		*error_r = g_strdup_printf("%s: not a JSON object%s%s", what,
		    err != NULL ? ": " : "", err != NULL ? err->message : "");
		g_clear_error(&err);
		g_object_unref(p);
		return NULL;
	}
	return p;
}

static JsonObject *
member_object(JsonObject *o, const char *name)
{
	JsonNode *n = o != NULL ? json_object_get_member(o, name) : NULL;

	return n != NULL && JSON_NODE_HOLDS_OBJECT(n) ?
	    json_node_get_object(n) : NULL;
}

/* A string member, or a number written as one ("size": "1048576"). */
static const char *
member_text(JsonObject *o, const char *name)
{
	JsonNode *n = o != NULL ? json_object_get_member(o, name) : NULL;

	if (n == NULL || !JSON_NODE_HOLDS_VALUE(n) ||
	    json_node_get_value_type(n) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(n);
}

static bool
member_int(JsonObject *o, const char *name, int64_t *v_r)
{
	JsonNode *n = o != NULL ? json_object_get_member(o, name) : NULL;
	const char *s;
	char *end;

	if (n == NULL || !JSON_NODE_HOLDS_VALUE(n))
		return false;
	if (json_node_get_value_type(n) == G_TYPE_INT64) {
		*v_r = json_node_get_int(n);
		return true;
	}
	if ((s = member_text(o, name)) == NULL || *s == '\0')
		return false;
	*v_r = g_ascii_strtoll(s, &end, 10);
	return *end == '\0';
}

/* Only an absolute http(s) URL is a file to download. */
static bool
answer_url_ok(const char *url)
{
	return url != NULL && strlen(url) < 4096 &&
	    (g_str_has_prefix(url, "https://") ||
	    g_str_has_prefix(url, "http://"));
}

int
linkanswer_qq_json(const char *body, size_t len, struct linkanswer *a,
    char **error_r)
{
	JsonParser *p = answer_parse("QQ answer", body, len, error_r);
	JsonObject *root, *head, *b;
	int64_t ret = -1, size;
	int r = LINKANSWER_MALFORMED;

	memset(a, 0, sizeof(*a));
	if (p == NULL)
		return LINKANSWER_MALFORMED;
	root = json_node_get_object(json_parser_get_root(p));
	head = member_object(root, "head");
	b = member_object(root, "body");
	if (!member_int(head, "ret", &ret)) {
		*error_r = g_strdup("QQ answer: no head.ret");
	} else if (ret != 0) {
		a->why_gone = g_strdup_printf("QQ: ret %lld (expired or "
		    "deleted)", (long long)ret);
		r = LINKANSWER_GONE;
	} else if (!answer_url_ok(member_text(b, "url"))) {
		*error_r = g_strdup("QQ answer: no http(s) body.url");
	} else {
		a->url = g_strdup(member_text(b, "url"));
		a->name = g_strdup(member_text(b, "name"));
		a->md5 = g_ascii_strdown(member_text(b, "md5") != NULL ?
		    member_text(b, "md5") : "", -1);
		if (*a->md5 == '\0')
			g_clear_pointer(&a->md5, g_free);
		if (member_int(b, "size", &size) && size > 0)
			a->size = (uint64_t)size;
		r = LINKANSWER_OK;
	}
	g_object_unref(p);
	return r;
}

/* The value of `var url = "..."` (or '...'), with \/ and &amp; undone. */
static char *
page_var_url(const char *body, size_t len)
{
	const char *p = g_strstr_len(body, (gssize)len, "var url");
	const char *end = body + len, *q;
	GString *s;
	char quote;

	if (p == NULL)
		return NULL;
	for (p += 7; p < end && (*p == ' ' || *p == '\t'); p++)
		;
	if (p >= end || *p++ != '=')
		return NULL;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p >= end || (*p != '"' && *p != '\''))
		return NULL;
	quote = *p++;
	if ((q = memchr(p, quote, (size_t)(end - p))) == NULL ||
	    q - p > 4096)
		return NULL;
	s = g_string_new_len(p, q - p);
	g_string_replace(s, "\\/", "/", 0);
	g_string_replace(s, "&amp;", "&", 0);
	return g_string_free(s, FALSE);
}

int
linkanswer_qq_page(const char *body, size_t len, struct linkanswer *a,
    char **error_r)
{
	char *url;

	memset(a, 0, sizeof(*a));
	if (len > LINKANSWER_MAX_BYTES) {
		*error_r = g_strdup("QQ page: too large");
		return LINKANSWER_MALFORMED;
	}
	url = page_var_url(body, len);
	if (answer_url_ok(url)) {
		a->url = url;
		return LINKANSWER_OK;
	}
	g_free(url);
	if (g_strstr_len(body, (gssize)len, "已过期") != NULL ||
	    g_strstr_len(body, (gssize)len, "已删除") != NULL ||
	    g_strstr_len(body, (gssize)len, "已被删除") != NULL) {
		a->why_gone = g_strdup("QQ: the page says expired or deleted");
		return LINKANSWER_GONE;
	}
	*error_r = g_strdup("QQ page: no var url");
	return LINKANSWER_MALFORMED;
}

int
linkanswer_netease(const char *body, size_t len, struct linkanswer *a,
    char **error_r)
{
	JsonParser *p = answer_parse("NetEase answer", body, len, error_r);
	JsonObject *root, *data;
	int64_t code = -1;
	int r = LINKANSWER_MALFORMED;

	memset(a, 0, sizeof(*a));
	if (p == NULL)
		return LINKANSWER_MALFORMED;
	root = json_node_get_object(json_parser_get_root(p));
	data = member_object(root, "data");
	if (!member_int(root, "code", &code)) {
		*error_r = g_strdup("NetEase answer: no code");
	} else if (code == 400 || code == 404) {
		a->why_gone = g_strdup_printf("NetEase: code %lld (%s)",
		    (long long)code, code == 400 ? "expired" : "deleted");
		r = LINKANSWER_GONE;
	} else if (code != 200) {
		*error_r = g_strdup_printf("NetEase answer: code %lld",
		    (long long)code);
	} else if (!answer_url_ok(member_text(data, "downloadUrl"))) {
		*error_r = g_strdup("NetEase answer: no http(s) "
		    "data.downloadUrl");
	} else {
		a->url = g_strdup(member_text(data, "downloadUrl"));
		r = LINKANSWER_OK;
	}
	g_object_unref(p);
	return r;
}

static bool
parse_u64(const char **p, uint64_t *v_r)
{
	uint64_t v = 0;
	const char *s = *p;

	if (!g_ascii_isdigit(*s))
		return false;
	for (; g_ascii_isdigit(*s); s++) {
		if (v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*p = s;
	*v_r = v;
	return true;
}

bool
linkanswer_content_range(const char *value, uint64_t *first_r,
    uint64_t *last_r, uint64_t *total_r)
{
	const char *p = value;

	if (p == NULL)
		return false;
	while (*p == ' ')
		p++;
	if (g_ascii_strncasecmp(p, "bytes ", 6) != 0)
		return false;
	p += 6;
	while (*p == ' ')
		p++;
	if (!parse_u64(&p, first_r) || *p++ != '-' ||
	    !parse_u64(&p, last_r) || *p++ != '/' || *last_r < *first_r)
		return false;
	if (*p == '*') {
		*total_r = UINT64_MAX;
		p++;
	} else if (!parse_u64(&p, total_r) || *total_r <= *last_r) {
		return false;
	}
	while (*p == ' ' || *p == '\r' || *p == '\n')
		p++;
	return *p == '\0';
}

unsigned
linkanswer_backoff(unsigned attempts)
{
	unsigned s = LINKANSWER_BACKOFF_FIRST;

	while (attempts-- > 1 && s < LINKANSWER_BACKOFF_MAX)
		s *= 2;
	return MIN(s, (unsigned)LINKANSWER_BACKOFF_MAX);
}

void
linkanswer_next(enum linkfetch_outcome outcome, unsigned attempts,
    int64_t now, int64_t expires_at, unsigned attempts_max,
    struct linkfetch_next *n)
{
	unsigned max = attempts_max > 0 ? attempts_max : LIMIT_FETCH_ATTEMPTS;

	n->attempts = attempts;
	n->next_attempt_at = 0;
	switch (outcome) {
	case LINKFETCH_DONE:
		n->state = "fetched";
		n->attempts = attempts + 1;
		return;
	case LINKFETCH_GONE:
		n->state = "expired";
		n->attempts = attempts + 1;
		return;
	case LINKFETCH_REFUSED:
		n->state = "not-fetched";
		n->attempts = attempts + 1;
		return;
	case LINKFETCH_INTERRUPTED:
		/* Not the link's fault: as it was, due again at once. */
		n->state = attempts > 0 ? "failed" : "pending";
		return;
	case LINKFETCH_FAILED:
		break;
	}
	n->attempts = attempts + 1;
	n->state = "failed";
	n->next_attempt_at = now + linkanswer_backoff(n->attempts);
	/* Out of attempts, or the next would come after the link is gone:
	 * left to staff now, while they can still fetch it by hand. */
	if (n->attempts >= max ||
	    (expires_at > 0 && n->next_attempt_at >= expires_at)) {
		n->state = expires_at > 0 && now >= expires_at ? "expired" :
		    "not-fetched";
		n->next_attempt_at = 0;
	}
}

/* ---- the checks of a fetched file ---- */

static const struct campaign_file_kind *
kind_find(const struct campaign *c, const char *kind)
{
	size_t i;

	for (i = 0; i < campaign_file_kind_count(c); i++) {
		const struct campaign_file_kind *k = campaign_file_kind(c, i);

		if (kind != NULL ? strcmp(k->name, kind) == 0 :
		    k->role == CAMPAIGN_FILE_WORK)
			return k;
	}
	return NULL;
}

bool
linkcheck_wants_media(const struct campaign *c, const char *kind,
    const char *category, const char *mime)
{
	const struct campaign_file_kind *k = kind_find(c, kind);

	return k != NULL && mediarule_wants(k->media, k->media_count,
	    category, mime);
}

static void
found_add(GArray *a, const char *code, const char *severity, char *text)
{
	struct linkcheck_finding f = {
		.code = g_strdup(code), .severity = g_strdup(severity),
		.text = text,
	};

	g_array_append_val(a, f);
}

size_t
linkcheck_findings(const struct campaign *c, const char *kind,
    const char *category, const char *title, const char *name,
    const char *mime, const struct media_facts *media,
    struct linkcheck_finding **found_r)
{
	const struct campaign_file_kind *k = kind_find(c, kind);
	const struct content_rule *rule = NULL;
	GArray *a = g_array_new(FALSE, TRUE, sizeof(struct linkcheck_finding));
	struct media_finding mf[MEDIA_KEYS + 1];
	bool work = k == NULL || k->role == CAMPAIGN_FILE_WORK;
	g_autofree char *who = work && title != NULL ?
	    g_strdup_printf("作品《%s》", title) :
	    g_strdup_printf("附件“%s”", name);
	enum content_verdict v;
	size_t n, i;

	if (k != NULL)
		rule = campaign_content_rule(k, category);
	v = contentrule_judge(rule, mime);
	if (v != CONTENT_FITS)
		found_add(a, v == CONTENT_PROGRAM ? "content-program" :
		    "content-misfit", v == CONTENT_MISFIT && rule->warn ?
		    "warn" : "reject", contentrule_text(v, name, mime,
		    rule != NULL ? rule->types : NULL,
		    work ? "作品文件" : k->name));
	n = k != NULL && media != NULL ? mediarule_eval(k->media,
	    k->media_count, category, category != NULL ? category : k->name,
	    mime, media, mf) : 0;
	for (i = 0; i < n; i++) {
		/* As the receipt words it (mailplan): a picture's and a
		 * count's findings read on from the noun. */
		bool image = g_str_has_prefix(mf[i].code, "image-");
		const char *join = image ||
		    strcmp(mf[i].code, "text-characters") == 0 ? "" : "：";
		g_autofree char *picture = g_strdup_printf("图片“%s”", name);

		found_add(a, mf[i].code, mf[i].severity == MEDIA_WARN ?
		    "warn" : mf[i].severity == MEDIA_NOTE ? "note" : "reject",
		    g_strdup_printf("%s%s%s。", image ? picture : who, join,
		    mf[i].text));
	}
	mediarule_findings_clear(mf, n);
	*found_r = (struct linkcheck_finding *)g_array_free(a, FALSE);
	return n + (v != CONTENT_FITS);
}

void
linkcheck_findings_free(struct linkcheck_finding *found, size_t n)
{
	size_t i;

	for (i = 0; found != NULL && i < n; i++) {
		g_free(found[i].code);
		g_free(found[i].severity);
		g_free(found[i].text);
	}
	g_free(found);
}
