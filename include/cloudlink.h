/*
 * cloudlink: the cloud attachments (超大附件) and share links a mail's body
 * carries, with what the provider's block says of each: the file's name,
 * size, expiry and 提取码.
 *
 * A video of 600 MB does not fit in any mailbox, so QQ Mail, NetEase
 * (163/126, and its Mail Master client) and Sina put a link to their own
 * storage in the body instead, and units also paste Baidu Netdisk shares.
 * Recognised by host and path, from a table (one row per provider's URL
 * shape):
 *   qq       mail.qq.com/cgi-bin/ftnExs_download, exmail.qq.com (the
 *            same), wx.mail.qq.com/ftn/download, iwx.mail.qq.com
 *   netease  mail.163.com, mail.126.com /large-attachment-download,
 *            dashi.163.com/html/cloud-attachment-download
 *   sina     mail.sina.com.cn/filecenter
 *   baidu    pan.baidu.com/s/ (and /share/init)
 *   other    Aliyun, Quark, 天翼云 cloud.189.cn/t/, Weiyun, 123pan, Lanzou
 * Any other URL is not a cloud attachment and is not reported.
 *
 * Both bodies are read: the HTML one through htmltext.h (anchors, and
 * URLs written as text), the plain one line by line.  A URL found in both
 * is one link (the HTML's name wins); a URL repeated (NetEase links the
 * icon, the name and 下载 to one file) is one link.  Only http(s) URLs
 * of at most CLOUDLINK_URL_BYTES are taken (a javascript: href is not a
 * link).  Next to each URL, within its block (the text since the previous
 * link, its own line first), the parser looks for the provider's words:
 *   NAME (128.03M, 2020年11月27日 21:59 到期)      QQ plain, NetEase
 *     (the URL on this line or, as their plain bodies write it, on the
 *     next: 进入下载页面：URL / 下载: URL)
 *   NAME （520.1M，有效期至2020-09-05）               Sina plain
 *   文件大小：128.03M / 到期时间：2024年08月22日 17:33 | 无限期   QQ HTML
 *   NAME (1.20G)（来自中转站，有效时间到：2024-08-04 13:56:45）   Sina
 *   提取码：3005, or ?pwd=ecpr in the URL              Baidu and others
 * Sizes with K/M/G are binary (128.03M is 128.03 × 1,048,576 bytes, as
 * QQ means it; NetEase's filesize= attribute is exact bytes).  A date
 * without a time means the end of that day (23:59); dates are read in the
 * zone handed in (the campaign's).  A name is only taken from the URL's
 * own line or the line just before it; failing that, from NetEase's
 * title= parameter (percent-decoded, valid UTF-8 only, path separators
 * and control characters removed).  Anything missing stays unknown: a
 * name, size or expiry is never invented.
 *
 * A link quoted from an earlier mail (htmltext.h's rules; in the plain
 * body, after a reply separator or on a line starting '>') is listed
 * with quoted set: a reply quoting the first mail must not register the
 * same link twice.
 *
 * Limits: max_links links (LIMIT_CLOUD_LINKS), the rest counted in
 * cloudlink_truncated(); the caller bounds the body bytes
 * (LIMIT_BODY_BYTES); PCRE2 runs under LIMIT_REGEX_MATCH/DEPTH.
 *
 * Pure: no I/O, no clock.  Strings live as long as the set.
 */
#ifndef SUBGATE_CLOUDLINK_H
#define SUBGATE_CLOUDLINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#define CLOUDLINK_URL_BYTES	2048

enum cloudlink_provider {
	LINK_QQ,
	LINK_NETEASE,
	LINK_SINA,
	LINK_BAIDU,
	LINK_OTHER,
	LINK_PROVIDER_COUNT
};

struct cloudlink {
	enum cloudlink_provider provider;
	const char *url;		/* entity-decoded, http(s) */
	const char *name;		/* from the block, or NULL */
	uint64_t size;			/* bytes; 0: unknown */
	const char *expires_text;	/* as written ("无限期"), or NULL */
	int64_t expires_at;		/* unix time; 0: unknown or none */
	const char *pass_code;		/* 提取码, or NULL */
	bool quoted;			/* quoted earlier mail: not counted */
};

struct cloudlink_input {
	const char *plain;		/* UTF-8, or NULL */
	size_t plain_len;
	const char *html;		/* UTF-8, or NULL */
	size_t html_len;
	GTimeZone *zone;		/* NULL: UTC */
	unsigned max_links;		/* 0: LIMIT_CLOUD_LINKS */
};

struct cloudlink_set;

/* 0 and *set_r (cloudlink_set_free), possibly empty.  <0 only when a
 * pattern of ours does not compile (a bug; *error_r). */
int cloudlink_find(const struct cloudlink_input *in,
    struct cloudlink_set **set_r, char **error_r);
void cloudlink_set_free(struct cloudlink_set **set);
size_t cloudlink_count(const struct cloudlink_set *set);
const struct cloudlink *cloudlink_get(const struct cloudlink_set *set,
    size_t i);
/* Links past max_links, not listed (distinct URLs; 0: none). */
size_t cloudlink_truncated(const struct cloudlink_set *set);

/* "qq", "netease", "sina", "baidu", "other": case.json and [links]. */
const char *cloudlink_provider_name(enum cloudlink_provider p);
/* What people call it: "QQ邮箱", "网易邮箱", "新浪邮箱", "百度网盘",
 * "网盘". */
const char *cloudlink_provider_label(enum cloudlink_provider p);
/* The provider of a name above; -1 when none. */
int cloudlink_provider_parse(const char *name);
/* Which provider a URL is, by its host and path; -1: not a cloud
 * attachment. */
int cloudlink_provider_of(const char *url);
/* "1.2 GB", "80.9 MB", "512 KB" (g_free). */
char *cloudlink_size_text(uint64_t size);

#endif
