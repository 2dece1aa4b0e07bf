/*
 * cloudlink: see include/cloudlink.h.  Each body becomes a text with
 * hits (a URL at an offset: an anchor's span, or the URL written out);
 * the hits of one URL are one link, and each hit's block is searched for
 * what the provider wrote beside it.
 */
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "cloudlink.h"
#include "htmltext.h"
#include "mail_limits.h"

/* How far from its URL a provider's words are looked for. */
#define BLOCK_BYTES		512
/* Anchors of one HTML body looked at: a mail is not a web directory. */
#define HTML_ANCHORS		4096
/* Capture groups a pattern has, the whole match included. */
#define NGROUPS			10

static const struct provider_shape {
	enum cloudlink_provider provider;
	const char *host;		/* "*." prefix: any subdomain */
	const char *path;		/* prefix; "" any */
} shapes[] = {
	{ LINK_QQ, "mail.qq.com", "/cgi-bin/ftnExs_download" },
	{ LINK_QQ, "exmail.qq.com", "/cgi-bin/ftnExs_download" },
	{ LINK_QQ, "wx.mail.qq.com", "/ftn/download" },
	{ LINK_QQ, "iwx.mail.qq.com", "/ftn/download" },
	{ LINK_NETEASE, "mail.163.com", "/large-attachment-download" },
	{ LINK_NETEASE, "mail.126.com", "/large-attachment-download" },
	{ LINK_NETEASE, "dashi.163.com", "/html/cloud-attachment-download" },
	{ LINK_SINA, "mail.sina.com.cn", "/filecenter" },
	{ LINK_BAIDU, "pan.baidu.com", "/s/" },
	{ LINK_BAIDU, "pan.baidu.com", "/share/init" },
	{ LINK_OTHER, "www.aliyundrive.com", "/s/" },
	{ LINK_OTHER, "www.alipan.com", "/s/" },
	{ LINK_OTHER, "pan.quark.cn", "/s/" },
	{ LINK_OTHER, "cloud.189.cn", "/t/" },
	{ LINK_OTHER, "share.weiyun.com", "/" },
	{ LINK_OTHER, "www.123pan.com", "/s/" },
	{ LINK_OTHER, "*.lanzoui.com", "/" },
	{ LINK_OTHER, "*.lanzoux.com", "/" },
	{ LINK_OTHER, "*.lanzouw.com", "/" },
};

static const char *const provider_names[] = {
	[LINK_QQ] = "qq", [LINK_NETEASE] = "netease", [LINK_SINA] = "sina",
	[LINK_BAIDU] = "baidu", [LINK_OTHER] = "other",
};

static const char *const provider_labels[] = {
	[LINK_QQ] = "QQ邮箱", [LINK_NETEASE] = "网易邮箱",
	[LINK_SINA] = "新浪邮箱", [LINK_BAIDU] = "百度网盘",
	[LINK_OTHER] = "网盘",
};

/* Anchor texts that say what to do, not what the file is. */
static const char *const generic_texts[] = {
	"下载", "点击下载", "下载附件", "进入下载页面", "推荐客户端极速下载",
	"查看", "打开", "点此下载", "预览", "在线预览", "立即下载", "保存到网盘",
	"链接", "点击", "这里", "点击这里", NULL,
};

/* The provider's words (see the header); every pattern is UTF. */
enum pattern {
	P_SIZE_EXPIRY,	/* (128.03M, 2020年11月27日 21:59 到期) */
	P_SIZE_UNTIL,	/* （520.1M，有效期至2020-09-05） */
	P_SIZE_LABEL,	/* 文件大小：128.03M */
	P_EXPIRY_LABEL,	/* 到期时间：2024年08月22日 17:33 | 无限期 */
	P_EXPIRY_SINA,	/* 有效时间到：2024-08-04 13:56:45 */
	P_SIZE_ONLY,	/* (1.20G) */
	P_CODE,		/* 提取码：3005 */
	P_NAME_PAREN,	/* NAME (SIZE, */
	P_NAME_TITLE,	/* NAME \n 文件大小 */
	P_NAME_SHARE,	/* 分享的文件：NAME */
	P_COUNT
};

static const char *const pattern_text[P_COUNT] = {
	[P_SIZE_EXPIRY] = "[(（]\\s*([\\d.]+)\\s*([KMGT]?)B?\\s*[,，]\\s*"
	    "((\\d{4})\\s*年\\s*(\\d{1,2})\\s*月\\s*(\\d{1,2})\\s*日"
	    "(?:\\s*(\\d{1,2})[:：](\\d{2}))?)\\s*到期\\s*[)）]",
	/* Sina's plain body: full-width marks, often a date alone; the
	 * branch reset keeps the groups where P_SIZE_EXPIRY has them */
	[P_SIZE_UNTIL] = "[(（]\\s*([\\d.]+)\\s*([KMGT]?)B?\\s*[,，]\\s*"
	    "有效期至\\s*[:：]?\\s*((?|(\\d{4})-(\\d{1,2})-(\\d{1,2})|"
	    "(\\d{4})\\s*年\\s*(\\d{1,2})\\s*月\\s*(\\d{1,2})\\s*日)"
	    "(?:\\s*(\\d{1,2})[:：](\\d{2})(?:[:：]\\d{2})?)?)\\s*[)）]",
	[P_SIZE_LABEL] = "文件大小\\s*[:：]\\s*([\\d.]+)\\s*([KMGT]?)B?",
	[P_EXPIRY_LABEL] = "(?:到期时间|有效期至|过期时间)\\s*[:：]\\s*"
	    "(无限期|永久有效|(\\d{4})\\s*年\\s*(\\d{1,2})\\s*月\\s*"
	    "(\\d{1,2})\\s*日(?:\\s*(\\d{1,2})[:：](\\d{2}))?)",
	[P_EXPIRY_SINA] = "有效时间到\\s*[:：]\\s*((\\d{4})-(\\d{1,2})-"
	    "(\\d{1,2})(?:\\s+(\\d{1,2}):(\\d{2})(?::\\d{2})?)?)",
	[P_SIZE_ONLY] = "[(（]\\s*([\\d.]+)\\s*([KMGT])B?\\s*[)）]",
	[P_CODE] = "(?:提取码|提取密码|访问码)\\s*[:：]?\\s*([A-Za-z0-9]{4,8})"
	    "(?![A-Za-z0-9])",
	[P_NAME_PAREN] = "^\\s*(\\S[^\\n]*?)\\s*[(（]\\s*[\\d.]+\\s*[KMGT]?B?"
	    "\\s*[,，)）]",
	[P_NAME_TITLE] = "([^\\n]+)\\n\\s*文件大小",
	[P_NAME_SHARE] = "分享的文件\\s*[:：]\\s*([^\\n]+)",
};

/* The shared patterns and one call's match data. */
struct matcher {
	const pcre2_code *code[P_COUNT];
	pcre2_match_context *mctx;	/* shared: never changed after set up */
	pcre2_match_data *md;
};

/* One place a URL was seen. */
struct hit {
	char *url;
	size_t start, end;
	bool quoted;
	/* anchor attributes, or NULL */
	const char *text_name, *filename, *filesize, *expiretime, *title;
};

struct cloudlink_set {
	GArray *links;			/* struct cloudlink */
	GHashTable *by_url;		/* link_identity() -> index + 1; 0:
					   one past max_links */
	GPtrArray *owned;
	size_t truncated;
	unsigned max_links;
	GTimeZone *zone;
};

/* ---- providers ---- */

const char *
cloudlink_provider_name(enum cloudlink_provider p)
{
	return p < LINK_PROVIDER_COUNT ? provider_names[p] : "other";
}

const char *
cloudlink_provider_label(enum cloudlink_provider p)
{
	return p < LINK_PROVIDER_COUNT ? provider_labels[p] : "网盘";
}

int
cloudlink_provider_parse(const char *name)
{
	int i;

	for (i = 0; i < LINK_PROVIDER_COUNT; i++)
		if (g_ascii_strcasecmp(name, provider_names[i]) == 0)
			return i;
	return -1;
}

static bool
host_matches(const char *pattern, const char *host, size_t len)
{
	size_t n;

	if (g_str_has_prefix(pattern, "*.")) {
		n = strlen(pattern + 1);
		return len > n && g_ascii_strncasecmp(host + len - n,
		    pattern + 1, n) == 0;
	}
	n = strlen(pattern);
	return len == n && g_ascii_strncasecmp(host, pattern, n) == 0;
}

int
cloudlink_provider_of(const char *url)
{
	const char *host, *end, *path;
	size_t i, hlen;

	if (g_ascii_strncasecmp(url, "https://", 8) == 0)
		host = url + 8;
	else if (g_ascii_strncasecmp(url, "http://", 7) == 0)
		host = url + 7;
	else
		return -1;
	path = host + strcspn(host, "/?#");
	end = memchr(host, '@', (size_t)(path - host));
	if (end != NULL)		/* user@host: a disguise, not a provider */
		return -1;
	end = memchr(host, ':', (size_t)(path - host));
	hlen = (size_t)((end != NULL ? end : path) - host);
	for (i = 0; i < G_N_ELEMENTS(shapes); i++) {
		if (!host_matches(shapes[i].host, host, hlen))
			continue;
		if (*shapes[i].path == '\0' ||
		    strncmp(path, shapes[i].path, strlen(shapes[i].path)) == 0)
			return (int)shapes[i].provider;
	}
	return -1;
}

char *
cloudlink_size_text(uint64_t size)
{
	if (size >= 1024ULL * 1024 * 1024)
		return g_strdup_printf("%.1f GB",
		    (double)size / (1024.0 * 1024 * 1024));
	if (size >= 1024ULL * 1024)
		return g_strdup_printf("%.1f MB", (double)size / (1024.0 * 1024));
	if (size >= 1024)
		return g_strdup_printf("%llu KB",
		    (unsigned long long)(size / 1024));
	return g_strdup_printf("%llu 字节", (unsigned long long)size);
}

/* ---- the matcher ---- */

/* The patterns, compiled once per process (a compiled pattern and a
 * match context are only read while matching, so threads share them);
 * NULL when one does not compile, which is our bug. */
struct patterns {
	pcre2_code *code[P_COUNT];
	pcre2_match_context *mctx;
	char *error;
};

static gpointer
patterns_compile(gpointer unused)
{
	static struct patterns pats;
	int i, errcode;
	PCRE2_SIZE erroff;

	(void)unused;
	for (i = 0; i < P_COUNT; i++) {
		pats.code[i] = pcre2_compile((PCRE2_SPTR)pattern_text[i],
		    PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_MULTILINE,
		    &errcode, &erroff, NULL);
		if (pats.code[i] == NULL) {
			PCRE2_UCHAR msg[128];

			pcre2_get_error_message(errcode, msg, sizeof(msg));
			pats.error = g_strdup_printf("cloudlink pattern %d: %s "
			    "at %zu", i, (const char *)msg, (size_t)erroff);
			return &pats;
		}
	}
	pats.mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(pats.mctx, LIMIT_REGEX_MATCH);
	pcre2_set_depth_limit(pats.mctx, LIMIT_REGEX_DEPTH);
	return &pats;
}

static void
matcher_free(struct matcher *m)
{
	pcre2_match_data_free(m->md);
	m->md = NULL;
}

static int
matcher_init(struct matcher *m, char **error_r)
{
	static GOnce once = G_ONCE_INIT;
	const struct patterns *pats = g_once(&once, patterns_compile, NULL);
	int i;

	memset(m, 0, sizeof(*m));
	if (pats->error != NULL) {
		*error_r = g_strdup(pats->error);
		return -1;
	}
	for (i = 0; i < P_COUNT; i++)
		m->code[i] = pats->code[i];
	m->mctx = pats->mctx;
	m->md = pcre2_match_data_create(NGROUPS, NULL);
	return 0;
}

/* The first match of p in s (the last one when last): its groups into
 * g[] (NULL when unset, g_free each); false when none, or past a limit. */
static bool
match(struct matcher *m, enum pattern p, const char *s, size_t len,
    bool last, char *g[NGROUPS])
{
	PCRE2_SIZE *ov, start = 0;
	bool found = false;
	int rc, i;

	memset(g, 0, sizeof(char *) * NGROUPS);
	for (;;) {
		rc = pcre2_match(m->code[p], (PCRE2_SPTR)s, len, start,
		    0, m->md, m->mctx);
		if (rc <= 0)
			break;
		ov = pcre2_get_ovector_pointer(m->md);
		for (i = 0; i < NGROUPS; i++) {
			g_free(g[i]);
			g[i] = i < rc && ov[2 * i] != PCRE2_UNSET ?
			    g_strndup(s + ov[2 * i], ov[2 * i + 1] - ov[2 * i]) :
			    NULL;
		}
		found = true;
		if (!last || ov[1] <= start || ov[1] >= len)
			break;
		start = ov[1];
	}
	return found;
}

static void
groups_free(char *g[NGROUPS])
{
	int i;

	for (i = 0; i < NGROUPS; i++)
		g_clear_pointer(&g[i], g_free);
}

/* ---- what a block says ---- */

static uint64_t
size_parse(const char *num, const char *unit)
{
	double v = g_ascii_strtod(num, NULL);
	double mult = 1;

	switch (unit != NULL ? *unit : '\0') {
	case 'K': mult = 1024.0; break;
	case 'M': mult = 1024.0 * 1024; break;
	case 'G': mult = 1024.0 * 1024 * 1024; break;
	case 'T': mult = 1024.0 * 1024 * 1024 * 1024; break;
	default: break;
	}
	if (!(v > 0) || v * mult > 1e15)
		return 0;
	return (uint64_t)(v * mult + 0.5);
}

/* A date as written; without a time it lasts the whole day. */
static int64_t
date_parse(GTimeZone *zone, const char *y, const char *mo, const char *d,
    const char *h, const char *mi)
{
	g_autoptr(GDateTime) dt = g_date_time_new(zone, atoi(y), atoi(mo),
	    atoi(d), h != NULL ? atoi(h) : 23, mi != NULL ? atoi(mi) : 59, 0);

	return dt != NULL ? g_date_time_to_unix(dt) : 0;
}

/* The parts of a hit's surroundings, searched in this order; and the
 * whole line before the hit's own line, where QQ's and NetEase's plain
 * bodies put the name (NULL when the block does not hold all of it). */
struct block {
	const char *part[4];
	size_t len[4];
	const char *line_before;
	size_t line_before_len;
};

static size_t
utf8_forward(const char *t, size_t at, size_t limit)
{
	while (at < limit && ((unsigned char)t[at] & 0xc0) == 0x80)
		at++;
	return at;
}

/* The line ending just before line_start, if it starts at or after bs
 * at a true line start: a line cut by the block's bound or by another
 * URL could lend a name that is not this file's. */
static void
line_before(const char *t, size_t bs, size_t line_start, struct block *b)
{
	size_t end = line_start - 1, i;

	for (i = end; i > bs && t[i - 1] != '\n'; i--)
		;
	if (i > 0 && t[i - 1] != '\n')
		return;
	b->line_before = t + i;
	b->line_before_len = end - i;
}

/* prev_end, next_start: the neighbouring hits of other URLs. */
static void
block_of(const char *t, size_t len, const struct hit *h, size_t prev_end,
    size_t next_start, struct block *b)
{
	size_t bs = h->start > BLOCK_BYTES ? h->start - BLOCK_BYTES : 0;
	size_t ae = h->end + BLOCK_BYTES < len ? h->end + BLOCK_BYTES : len;
	const char *nl;

	/* An earlier hit may overlap this one (a URL written inside an
	 * anchor's text): the block never starts past the hit. */
	if (bs < prev_end)
		bs = MIN(prev_end, h->start);
	if (ae > next_start && next_start >= h->end)
		ae = next_start;
	bs = utf8_forward(t, bs, h->start);
	while (ae > h->end && ae < len && ((unsigned char)t[ae] & 0xc0) == 0x80)
		ae--;
	/* line after, line before, block before, block after */
	nl = memchr(t + h->end, '\n', ae - h->end);
	b->part[0] = t + h->end;
	b->len[0] = (size_t)((nl != NULL ? nl : t + ae) - b->part[0]);
	b->part[1] = t + bs;
	b->len[1] = h->start - bs;
	for (size_t i = h->start; i > bs; i--) {
		if (t[i - 1] == '\n') {
			b->part[1] = t + i;
			b->len[1] = h->start - i;
			break;
		}
	}
	b->line_before = NULL;
	b->line_before_len = 0;
	if (b->part[1] > t + bs)
		line_before(t, bs, (size_t)(b->part[1] - t), b);
	b->part[2] = t + bs;
	b->len[2] = h->start - bs;
	b->part[3] = t + h->end;
	b->len[3] = ae - h->end;
}

/* Words that say what to do, not what the file is: the providers'
 * buttons, a URL written as its own text, and (unless it ends like a
 * file name, 下载说明.docx) anything about downloading. */
static bool
generic_text(const char *s)
{
	const char *dot = strrchr(s, '.');
	bool file_like = dot != NULL && dot != s && strlen(dot + 1) >= 2 &&
	    strlen(dot + 1) <= 5;

	return *s == '\0' || g_strv_contains(generic_texts, s) ||
	    g_ascii_strncasecmp(s, "http", 4) == 0 || strstr(s, "://") != NULL ||
	    (!file_like && (strstr(s, "下载") != NULL ||
	    strstr(s, "超大附件") != NULL));
}

/* s cleaned for a name: trimmed, one line, not generic; NULL else. */
static char *
name_clean(const char *s, size_t len)
{
	g_autofree char *t = g_strndup(s, len);
	char *nl;

	if (!g_utf8_validate(t, -1, NULL))
		return NULL;
	if ((nl = strchr(t, '\n')) != NULL)
		*nl = '\0';
	g_strstrip(t);
	if (generic_text(t) || strlen(t) > 255)
		return NULL;
	return g_steal_pointer(&t);
}

/* A share link's name: the file name the line before it ends with
 * (星城大爱.mp4 链接：https://...). */
static char *
name_before(const char *s, size_t len)
{
	g_autofree char *t = g_strndup(s, len);
	char *tok, *dot;
	size_t n;

	g_strstrip(t);
	n = strlen(t);
	for (;;) {
		const char *labels[] = { "链接", "网盘链接", "下载地址", "地址",
		    ":", "：", NULL };
		bool cut = false;

		for (int i = 0; labels[i] != NULL; i++) {
			size_t l = strlen(labels[i]);

			if (n >= l && strcmp(t + n - l, labels[i]) == 0) {
				t[n - l] = '\0';
				g_strchomp(t);
				n = strlen(t);
				cut = true;
			}
		}
		if (!cut)
			break;
	}
	tok = strrchr(t, ' ');
	tok = tok != NULL ? tok + 1 : t;
	if ((dot = strrchr(tok, '.')) == NULL || dot == tok ||
	    strlen(dot + 1) < 2 || strlen(dot + 1) > 5)
		return NULL;
	for (char *c = dot + 1; *c != '\0'; c++)
		if (!g_ascii_isalnum(*c))
			return NULL;
	return name_clean(tok, strlen(tok));
}

/* Hands s to the set. */
static const char *
set_take(struct cloudlink_set *set, char *s)
{
	g_ptr_array_add(set->owned, s);
	return s;
}

/* Keeps a copy of s in the set. */
static const char *
set_own(struct cloudlink_set *set, const char *s)
{
	char *copy = g_strdup(s);

	g_ptr_array_add(set->owned, copy);
	return copy;
}

/* What the block says, into l where l does not know it yet.  Sizes and
 * dates before the URL are the nearest: the last match there. */
static void
block_read(struct cloudlink_set *set, struct matcher *m,
    const struct block *b, struct cloudlink *l)
{
	char *g[NGROUPS] = { 0 };
	int i;

	for (i = 0; i < 4; i++) {
		const char *s = b->part[i];
		size_t n = b->len[i];
		bool last = i == 1 || i == 2;

		if (l->size == 0 && l->expires_text == NULL &&
		    match(m, P_SIZE_EXPIRY, s, n, last, g)) {
			l->size = size_parse(g[1], g[2]);
			l->expires_at = date_parse(set->zone, g[4], g[5], g[6],
			    g[7], g[8]);
			l->expires_text = set_own(set, g[3]);
		}
		groups_free(g);
		if (l->size == 0 && l->expires_text == NULL &&
		    match(m, P_SIZE_UNTIL, s, n, last, g)) {
			l->size = size_parse(g[1], g[2]);
			l->expires_at = date_parse(set->zone, g[4], g[5], g[6],
			    g[7], g[8]);
			l->expires_text = set_own(set, g[3]);
		}
		groups_free(g);
		if (l->size == 0 && match(m, P_SIZE_LABEL, s, n, last, g))
			l->size = size_parse(g[1], g[2]);
		groups_free(g);
		if (l->expires_text == NULL &&
		    match(m, P_EXPIRY_LABEL, s, n, last, g)) {
			if (g[2] != NULL)
				l->expires_at = date_parse(set->zone, g[2],
				    g[3], g[4], g[5], g[6]);
			l->expires_text = set_own(set, g[1]);
		}
		groups_free(g);
		if (l->expires_text == NULL &&
		    match(m, P_EXPIRY_SINA, s, n, last, g)) {
			l->expires_at = date_parse(set->zone, g[2], g[3], g[4],
			    g[5], g[6]);
			l->expires_text = set_own(set, g[1]);
		}
		groups_free(g);
		if (l->size == 0 && match(m, P_SIZE_ONLY, s, n, last, g))
			l->size = size_parse(g[1], g[2]);
		groups_free(g);
	}
}

/* 提取码: on its own line, then after it, then before it. */
static void
block_code(struct cloudlink_set *set, struct matcher *m,
    const struct block *b, struct cloudlink *l)
{
	static const int order[] = { 0, 1, 3, 2 };
	char *g[NGROUPS] = { 0 };
	size_t i;

	for (i = 0; l->pass_code == NULL && i < G_N_ELEMENTS(order); i++) {
		if (match(m, P_CODE, b->part[order[i]], b->len[order[i]],
		    order[i] == 1 || order[i] == 2, g)) {
			l->pass_code = g_steal_pointer(&g[1]);
			g_ptr_array_add(set->owned, (char *)l->pass_code);
		}
		groups_free(g);
	}
}

/* The name: the anchor's own words, its filename= or title=, else what
 * the block writes before the size. */
static char *
block_name(struct matcher *m, const struct hit *h, const struct block *b)
{
	char *g[NGROUPS] = { 0 }, *name = NULL;

	if (h->text_name != NULL &&
	    (name = name_clean(h->text_name, strlen(h->text_name))) != NULL)
		return name;
	if (h->filename != NULL &&
	    (name = name_clean(h->filename, strlen(h->filename))) != NULL)
		return name;
	if (h->title != NULL &&
	    (name = name_clean(h->title, strlen(h->title))) != NULL)
		return name;
	if (match(m, P_NAME_PAREN, b->part[1], b->len[1], true, g))
		name = name_clean(g[1], strlen(g[1]));
	groups_free(g);
	if (name == NULL && b->line_before != NULL &&
	    match(m, P_NAME_PAREN, b->line_before, b->line_before_len, true, g))
		name = name_clean(g[1], strlen(g[1]));
	groups_free(g);
	if (name == NULL && match(m, P_NAME_TITLE, b->part[2], b->len[2],
	    true, g))
		name = name_clean(g[1], strlen(g[1]));
	groups_free(g);
	if (name == NULL && match(m, P_NAME_SHARE, b->part[2], b->len[2],
	    true, g))
		name = name_clean(g[1], strlen(g[1]));
	groups_free(g);
	if (name == NULL)
		name = name_before(b->part[1], b->len[1]);
	return name;
}

/* The file's name as a provider's URL carries it (NetEase's title=):
 * percent-decoded, valid UTF-8, without path separators or control and
 * format characters, which a download page's own name never has; NULL
 * when the provider writes none or it does not survive that. */
static char *
url_name(const char *url, enum cloudlink_provider provider)
{
	static const char *const params[LINK_PROVIDER_COUNT] = {
		[LINK_NETEASE] = "title",
	};
	const char *q = strchr(url, '?'), *at, *param;
	g_autofree char *raw = NULL;
	GString *kept;
	size_t n;

	if (provider >= LINK_PROVIDER_COUNT ||
	    (param = params[provider]) == NULL || q == NULL)
		return NULL;
	n = strlen(param);
	for (at = q; (at = strstr(at + 1, param)) != NULL;)
		if ((at[-1] == '?' || at[-1] == '&') && at[n] == '=')
			break;
	if (at == NULL)
		return NULL;
	at += n + 1;
	/* NULL on an encoded NUL */
	raw = g_uri_unescape_segment(at, at + strcspn(at, "&#"), NULL);
	if (raw == NULL || !g_utf8_validate(raw, -1, NULL))
		return NULL;
	kept = g_string_new(NULL);
	for (const char *c = raw; *c != '\0'; c = g_utf8_next_char(c)) {
		gunichar u = g_utf8_get_char(c);

		if (u == '/' || u == '\\' || g_unichar_iscntrl(u) ||
		    g_unichar_type(u) == G_UNICODE_FORMAT)
			continue;
		g_string_append_unichar(kept, u);
	}
	if (kept->str[strspn(kept->str, ". ")] == '\0') {
		g_string_free(kept, TRUE);
		return NULL;
	}
	{
		g_autofree char *t = g_string_free(kept, FALSE);

		return name_clean(t, strlen(t));
	}
}

/* ---- hits ---- */

static void
hit_clear(gpointer p)
{
	g_free(((struct hit *)p)->url);
}

/* A URL as mail may carry it: http(s), printable, bounded; with the
 * trailing punctuation of the sentence around it taken off.  NULL: not
 * one we take. */
static char *
url_clean(const char *s, size_t len)
{
	static const char trailing[] = ".,;:!?)]}'\"";
	size_t i;

	while (len > 0 && g_ascii_isspace(*s)) {
		s++;
		len--;
	}
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f ||
		    s[i] == '<' || s[i] == '>' || s[i] == '"')
			break;
	len = i;
	while (len > 0 && strchr(trailing, s[len - 1]) != NULL)
		len--;
	if (len == 0 || len > CLOUDLINK_URL_BYTES ||
	    (g_ascii_strncasecmp(s, "http://", 7) != 0 &&
	    g_ascii_strncasecmp(s, "https://", 8) != 0))
		return NULL;
	return g_strndup(s, len);
}

/* URLs written out in text (not inside one of the anchors' spans). */
static void
hits_in_text(GArray *hits, const char *t, size_t len,
    const struct htmltext *doc, bool plain_quoted_from_gt)
{
	size_t i = 0, quoted_from = (size_t)-1;

	/* a plain body: quoted after its separator line */
	if (doc == NULL) {
		const char *line = t;

		while (line < t + len) {
			const char *nl = memchr(line, '\n', (size_t)(t + len - line));
			size_t ll = (size_t)((nl ? nl : t + len) - line);

			if (htmltext_is_separator(line, ll)) {
				quoted_from = (size_t)(line - t);
				break;
			}
			line = nl ? nl + 1 : t + len;
		}
	}
	while (i + 7 < len) {
		const char *p = t + i;
		size_t n = len - i, ls;
		struct hit h = { 0 };

		if (g_ascii_strncasecmp(p, "http://", 7) != 0 &&
		    (n < 8 || g_ascii_strncasecmp(p, "https://", 8) != 0)) {
			i++;
			continue;
		}
		h.url = url_clean(p, n);
		if (h.url == NULL) {
			i++;
			continue;
		}
		h.start = i;
		h.end = i + strlen(h.url);
		i = h.end;
		if (cloudlink_provider_of(h.url) < 0) {
			g_free(h.url);
			continue;
		}
		if (doc != NULL) {
			h.quoted = htmltext_quoted_at(doc, h.start);
		} else {
			for (ls = h.start; ls > 0 && t[ls - 1] != '\n'; ls--)
				;
			h.quoted = h.start >= quoted_from ||
			    (plain_quoted_from_gt && t[ls] == '>');
		}
		g_array_append_val(hits, h);
	}
}

static void
hits_in_anchors(GArray *hits, const struct htmltext *doc, const char *t)
{
	size_t i;

	for (i = 0; i < htmltext_anchor_count(doc); i++) {
		const struct htmltext_anchor *a = htmltext_anchor(doc, i);
		struct hit h = { 0 };
		char *url = url_clean(a->href, strlen(a->href));

		if (url == NULL || cloudlink_provider_of(url) < 0) {
			g_free(url);
			continue;
		}
		h.url = url;
		h.start = a->start;
		h.end = a->end;
		h.quoted = a->quoted;
		h.text_name = g_strndup(t + a->start, a->end - a->start);
		h.filename = a->filename;
		h.filesize = a->filesize;
		h.expiretime = a->expiretime;
		h.title = a->title;
		g_array_append_val(hits, h);
	}
}

static gint
hit_cmp(gconstpointer a, gconstpointer b)
{
	const struct hit *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start ? 1 :
	    x->end < y->end ? -1 : x->end > y->end;
}

/* What names one file at its provider: QQ writes the same file as
 * ...&key=K&code=C (the anchor) and ...&key=K (the page's text), Baidu's
 * share with and without ?pwd=.  The key parameter (QQ key/k, NetEase
 * file/key, Sina id) or Baidu's path; any other URL is itself (g_free). */
static char *
link_identity(const char *url)
{
	static const char *const params[][3] = {
		[LINK_QQ] = { "key", "k", NULL },
		[LINK_NETEASE] = { "file", "key", NULL },
		[LINK_SINA] = { "id", NULL, NULL },
		[LINK_BAIDU] = { NULL, NULL, NULL },
		[LINK_OTHER] = { NULL, NULL, NULL },
	};
	int p = cloudlink_provider_of(url);
	const char *q = strchr(url, '?'), *at;
	size_t i, n;

	if (p == LINK_BAIDU)
		return g_strdup_printf("%d:%.*s", p, (int)strcspn(url, "?#"),
		    url);
	for (i = 0; p >= 0 && q != NULL && i < 3 && params[p][i] != NULL;
	    i++) {
		n = strlen(params[p][i]);
		for (at = q; (at = strstr(at + 1, params[p][i])) != NULL;) {
			if ((at[-1] == '?' || at[-1] == '&') && at[n] == '=')
				return g_strdup_printf("%d:%.*s", p,
				    (int)strcspn(at + n + 1, "&#"), at + n + 1);
		}
	}
	return g_strdup(url);
}

/* The link of hit h's URL, made when new; NULL past max_links. */
static struct cloudlink *
link_for(struct cloudlink_set *set, const struct hit *h)
{
	g_autofree char *id = link_identity(h->url);
	gpointer v = g_hash_table_lookup(set->by_url, id);
	struct cloudlink l = { 0 };
	const char *pwd;

	if (g_hash_table_contains(set->by_url, id))
		return v == NULL ? NULL : &g_array_index(set->links, struct cloudlink,
		    GPOINTER_TO_SIZE(v) - 1);
	if (set->links->len >= set->max_links) {
		set->truncated++;
		g_hash_table_insert(set->by_url, g_steal_pointer(&id),
		    GSIZE_TO_POINTER(0));
		return NULL;
	}
	l.url = set_own(set, h->url);
	l.provider = (enum cloudlink_provider)cloudlink_provider_of(h->url);
	l.quoted = true;
	/* ?pwd=ecpr: Baidu's share carries its 提取码 in the URL */
	if ((pwd = strstr(l.url, "pwd=")) != NULL &&
	    (pwd[-1] == '?' || pwd[-1] == '&')) {
		size_t n = strspn(pwd + 4, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "abcdefghijklmnopqrstuvwxyz0123456789");

		if (n >= 4 && n <= 8)
			l.pass_code = set_take(set, g_strndup(pwd + 4, n));
	}
	g_array_append_val(set->links, l);
	g_hash_table_insert(set->by_url, g_steal_pointer(&id),
	    GSIZE_TO_POINTER(set->links->len));
	return &g_array_index(set->links, struct cloudlink,
	    set->links->len - 1);
}

/* The provider's exact attributes (NetEase): bytes and milliseconds. */
static void
hit_attributes(struct cloudlink_set *set, const struct hit *h,
    struct cloudlink *l)
{
	guint64 v;

	if (h->filesize != NULL && g_ascii_string_to_unsigned(h->filesize, 10,
	    1, G_MAXINT64, &v, NULL))
		l->size = v;
	if (l->expires_text == NULL && h->expiretime != NULL &&
	    g_ascii_string_to_unsigned(h->expiretime, 10, 1, G_MAXINT64 / 2,
	    &v, NULL)) {
		g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(
		    (gint64)(v / 1000));
		g_autoptr(GDateTime) local = dt != NULL ?
		    g_date_time_to_timezone(dt, set->zone) : NULL;

		if (local != NULL) {
			l->expires_at = (int64_t)(v / 1000);
			l->expires_text = set_take(set, g_date_time_format(local,
			    "%Y-%m-%d %H:%M"));
		}
	}
}

/* Every hit of one body into the set. */
static void
hits_take(struct cloudlink_set *set, struct matcher *m, GArray *hits,
    const char *t, size_t len)
{
	size_t i, j;

	g_array_sort(hits, hit_cmp);
	for (i = 0; i < hits->len; i++) {
		const struct hit *h = &g_array_index(hits, struct hit, i);
		size_t prev_end = 0, next_start = len;
		struct cloudlink *l;
		struct block b;
		char *name;

		for (j = i; j > 0; j--) {
			const struct hit *o = &g_array_index(hits, struct hit,
			    j - 1);

			if (strcmp(o->url, h->url) != 0) {
				prev_end = o->end;
				break;
			}
		}
		for (j = i + 1; j < hits->len; j++) {
			const struct hit *o = &g_array_index(hits, struct hit, j);

			if (strcmp(o->url, h->url) != 0) {
				next_start = o->start;
				break;
			}
		}
		if ((l = link_for(set, h)) == NULL)
			continue;
		if (!h->quoted)
			l->quoted = false;
		block_of(t, len, h, prev_end, next_start, &b);
		hit_attributes(set, h, l);
		block_read(set, m, &b, l);
		block_code(set, m, &b, l);
		if (l->name == NULL && (name = block_name(m, h, &b)) != NULL) {
			l->name = set_own(set, name);
			g_free(name);
		}
	}
}

static void
hits_free(GArray *hits)
{
	size_t i;

	for (i = 0; i < hits->len; i++)
		g_free((char *)g_array_index(hits, struct hit, i).text_name);
	g_array_free(hits, TRUE);
}

int
cloudlink_find(const struct cloudlink_input *in, struct cloudlink_set **set_r,
    char **error_r)
{
	struct cloudlink_set *set = g_new0(struct cloudlink_set, 1);
	struct matcher m;
	GArray *hits;

	*set_r = NULL;
	if (matcher_init(&m, error_r) < 0) {
		g_free(set);
		return -1;
	}
	set->links = g_array_new(FALSE, TRUE, sizeof(struct cloudlink));
	set->by_url = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    NULL);
	set->owned = g_ptr_array_new_with_free_func(g_free);
	set->max_links = in->max_links > 0 ? in->max_links : LIMIT_CLOUD_LINKS;
	set->zone = in->zone != NULL ? g_time_zone_ref(in->zone) :
	    g_time_zone_new_utc();
	/* HTML first: its anchors name the files best. */
	if (in->html != NULL && in->html_len > 0) {
		struct htmltext *doc = htmltext_parse(in->html, in->html_len,
		    HTML_ANCHORS);
		size_t len;
		const char *t = htmltext_text(doc, &len);

		hits = g_array_new(FALSE, TRUE, sizeof(struct hit));
		g_array_set_clear_func(hits, hit_clear);
		hits_in_anchors(hits, doc, t);
		hits_in_text(hits, t, len, doc, false);
		hits_take(set, &m, hits, t, len);
		hits_free(hits);
		htmltext_free(&doc);
	}
	if (in->plain != NULL && in->plain_len > 0) {
		const char *nul = memchr(in->plain, '\0', in->plain_len);
		size_t len = nul != NULL ? (size_t)(nul - in->plain) :
		    in->plain_len;

		hits = g_array_new(FALSE, TRUE, sizeof(struct hit));
		g_array_set_clear_func(hits, hit_clear);
		hits_in_text(hits, in->plain, len, NULL, true);
		hits_take(set, &m, hits, in->plain, len);
		hits_free(hits);
	}
	/* Last, when no body named the file: NetEase links its icon, name
	 * and 下载 to one URL, and only the name's anchor may name it. */
	for (size_t i = 0; i < set->links->len; i++) {
		struct cloudlink *l = &g_array_index(set->links,
		    struct cloudlink, i);
		char *name;

		if (l->name == NULL &&
		    (name = url_name(l->url, l->provider)) != NULL)
			l->name = set_take(set, name);
	}
	matcher_free(&m);
	*set_r = set;
	return 0;
}

void
cloudlink_set_free(struct cloudlink_set **sp)
{
	struct cloudlink_set *s = *sp;

	if (s == NULL)
		return;
	g_array_free(s->links, TRUE);
	g_hash_table_destroy(s->by_url);
	g_ptr_array_free(s->owned, TRUE);
	g_time_zone_unref(s->zone);
	g_free(s);
	*sp = NULL;
}

size_t
cloudlink_count(const struct cloudlink_set *s)
{
	return s != NULL ? s->links->len : 0;
}

const struct cloudlink *
cloudlink_get(const struct cloudlink_set *s, size_t i)
{
	return s != NULL && i < s->links->len ?
	    &g_array_index(s->links, struct cloudlink, i) : NULL;
}

size_t
cloudlink_truncated(const struct cloudlink_set *s)
{
	return s != NULL ? s->truncated : 0;
}
