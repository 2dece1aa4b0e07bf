/*
 * linkfetch-private.h: what the files of the linkfetch stage share.
 *
 *   linkfetch.c       the stage: which link, the checks, the record,
 *                     the thread of `run`
 *   linkfetch_http.c  libcurl: the resolvers' calls and the download
 */
#ifndef SUBGATE_LINKFETCH_PRIVATE_H
#define SUBGATE_LINKFETCH_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include "linkanswer.h"

struct config_links;

/* How a call or a download ended, besides 0 (done). */
#define LF_FAILED	(-1)	/* the network, the server: try again */
#define LF_REFUSED	(-10)	/* never worth again: a certificate, the
				   size bound, a protocol refused */
#define LF_GONE		(-11)	/* expired or deleted (404, 410) */
#define LF_CUT		(-12)	/* our budget or a stop */
/* and FAULT_ENVIRONMENT: the part could not be written */

struct lf_http {
	const struct config_links *cfg;
	uint64_t max_bytes;		/* the campaign's fetch_max_bytes */
	bool (*cut)(void *cut_ctx);
	void *cut_ctx;
};

/* The page URL's file: a, by the resolver the URL's host and path call
 * for (*resolver_r: its name).  0, LF_GONE (a->why_gone), or another
 * LF_* with *error_r. */
int lf_resolve(const struct lf_http *h, const char *page_url,
    struct linkanswer *a, const char **resolver_r, char **error_r);

/* url downloaded onto fd from *have_r bytes on (a Range; a server that
 * ignores it starts the file again, *have_r back to 0); *have_r: the
 * bytes in the file after.  allow_http: the page was http.  0 when the
 * reply ended complete, or an LF_* / FAULT_ENVIRONMENT with *error_r. */
int lf_download(const struct lf_http *h, const char *url, bool allow_http,
    int fd, uint64_t *have_r, char **error_r);

#endif
