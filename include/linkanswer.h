/*
 * linkanswer: the pure side of fetching cloud attachments (linkfetch.h):
 * what a provider's download page or API answered, what a partial reply's
 * Content-Range says, when a failed fetch is tried again, and what a
 * fetched file's checks found, in words for the follow-up mail.
 *
 * The providers' answers are undocumented and taken from third-party
 * code (design notes: not verified against the real services):
 *   qq-json   wx.mail.qq.com/ftn/download?...&f=json
 *             {"head":{"ret":0},"body":{"name","size","url",
 *              "expired_time","md5"}}; ret != 0: expired or deleted
 *   qq-page   mail.qq.com/cgi-bin/ftnExs_download: an HTML page with
 *             var url = "https://...ftn.qq.com/..."; 已过期 or 已删除
 *             and no URL: gone
 *   netease   POST mail.163.com/filehub/bg/dl/prepare {"linkKey":K}
 *             {"code":200,"data":{"downloadUrl":...}}; 400 expired,
 *             404 deleted
 * An answer that is none of these is malformed (the provider changed its
 * page): a failed attempt, reported, never a guess.
 *
 * Retries: LINKANSWER_BACKOFF_FIRST seconds after the first failure,
 * doubled up to LINKANSWER_BACKOFF_MAX, at most attempts_max
 * (LIMIT_FETCH_ATTEMPTS), and never planned past the link's expiry.
 *
 * Pure: no I/O, no clock (now is handed in).  Strings in answers are
 * g_free'd by linkanswer_clear().
 */
#ifndef SUBGATE_LINKANSWER_H
#define SUBGATE_LINKANSWER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct campaign;
struct media_facts;

/* Largest page or API answer read from a provider. */
#define LINKANSWER_MAX_BYTES	(256 * 1024)
#define LINKANSWER_BACKOFF_FIRST	60
#define LINKANSWER_BACKOFF_MAX		3600

enum linkanswer_result {
	LINKANSWER_OK = 0,
	LINKANSWER_GONE = 1,		/* expired or deleted: no retry */
	LINKANSWER_MALFORMED = -1,	/* *error_r says what was missing */
};

struct linkanswer {
	char *url;		/* the file's own URL */
	char *name;		/* NULL: not said */
	uint64_t size;		/* exact bytes; 0: not said */
	char *md5;		/* lower-case hex; NULL: not said */
	char *why_gone;		/* LINKANSWER_GONE: the provider's words */
};

void linkanswer_clear(struct linkanswer *a);

int linkanswer_qq_json(const char *body, size_t len, struct linkanswer *a,
    char **error_r);
int linkanswer_qq_page(const char *body, size_t len, struct linkanswer *a,
    char **error_r);
int linkanswer_netease(const char *body, size_t len, struct linkanswer *a,
    char **error_r);

/* "bytes 100-199/1000": true with the first byte, the last and the total
 * (UINT64_MAX: "*"); false for anything else. */
bool linkanswer_content_range(const char *value, uint64_t *first_r,
    uint64_t *last_r, uint64_t *total_r);

/* How one attempt at a link ended. */
enum linkfetch_outcome {
	LINKFETCH_DONE,			/* downloaded and checked */
	LINKFETCH_GONE,			/* the provider says expired/deleted */
	LINKFETCH_FAILED,		/* counted; tried again later */
	LINKFETCH_REFUSED,		/* never worth again: over the size
					   bound, a certificate refused */
	LINKFETCH_INTERRUPTED,		/* our budget, a stop, the
					   environment: not counted */
};

/* What a link's row becomes after an attempt. */
struct linkfetch_next {
	const char *state;		/* case_links.state */
	unsigned attempts;
	int64_t next_attempt_at;	/* unix time; 0: none */
};

/* The seconds before attempt attempts + 1, after attempts failures. */
unsigned linkanswer_backoff(unsigned attempts);
/* The row after outcome: attempts so far (before this one), now,
 * expires_at (0: unknown), attempts_max (0: LIMIT_FETCH_ATTEMPTS). */
void linkanswer_next(enum linkfetch_outcome outcome, unsigned attempts,
    int64_t now, int64_t expires_at, unsigned attempts_max,
    struct linkfetch_next *next_r);

/* One finding on a fetched file. */
struct linkcheck_finding {
	char *code;		/* "content-misfit", "media-duration" ... */
	char *severity;		/* "reject", "warn", "note" */
	char *text;		/* "作品《初心如磐》：时长 9分12秒，…" */
};

/* The checks a mail's attachment of kind (the [file] group's name; NULL:
 * the work kind) in category (may be NULL) would get, on a file named
 * name whose content is mime and facts media (NULL: not inspected),
 * titled title in the texts; n findings into *found_r
 * (linkcheck_findings_free). */
size_t linkcheck_findings(const struct campaign *c, const char *kind,
    const char *category, const char *title, const char *name,
    const char *mime, const struct media_facts *media,
    struct linkcheck_finding **found_r);
void linkcheck_findings_free(struct linkcheck_finding *found, size_t n);
/* Whether the kind's rules want the file inspected (mediarule_wants). */
bool linkcheck_wants_media(const struct campaign *c, const char *kind,
    const char *category, const char *mime);

#endif
