/*
 * imap: the IMAP side of a polling cycle (libetpan over our own transport).
 *
 * Read-only towards the mailbox: messages are fetched with BODY.PEEK so
 * \Seen stays as staff left it in webmail, and nothing is moved or flagged
 * here.  Progress is the caller's: it records UIDVALIDITY and the last UID
 * it committed, and asks for what lies beyond.
 *
 * The connection is ours (tls.h), not libetpan's: libetpan does not check
 * server certificates, so implicit TLS and STARTTLS are negotiated and
 * verified (chain and host name) before libetpan sees a byte, and every
 * read and write has the configured timeout.  Login is LOGIN with a
 * password, or AUTHENTICATE XOAUTH2 with a bearer token read afresh at
 * every connection (tokens expire within the hour).  No command here ever
 * uses SEARCH CHARSET, which several Chinese providers reject.
 *
 * A message is fetched in chunks (partial FETCH) straight into a file
 * descriptor, so its size never shows in our memory.
 * Functions return 0 on success, <0 with *error_r (g_free) on error; after
 * an error the connection is only good for imap_close().
 */
#ifndef SUBGATE_IMAP_H
#define SUBGATE_IMAP_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct config_imap;
struct imap;

struct imap_summary {
	uint32_t uid;
	uint64_t size;			/* RFC822.SIZE */
	time_t internaldate;		/* server arrival time */
	int tz_offset_min;		/* its zone, minutes east of UTC */
};

/* RFC 2177: a client must re-issue IDLE at least every 29 minutes. */
#define IMAP_IDLE_RENEW_SECONDS		(25 * 60)

int imap_connect(const struct config_imap *config, struct imap **imap_r,
    char **error_r);
/* LOGOUT (unless the connection failed before) and free. */
void imap_close(struct imap **imap);

int imap_select(struct imap *imap, const char *folder, bool writable,
    uint32_t *uidvalidity_r, char **error_r);
/* The configured post-action for a committed message: set a keyword, or
 * move it (MOVE, else COPY + \Deleted + UID EXPUNGE with UIDPLUS).  Needs
 * the folder selected writable. */
int imap_post_action(struct imap *imap, const struct config_imap *config,
    uint32_t uid, char **error_r);
/* Messages with UID > after, in UID order, at most limit of them. */
int imap_list_after(struct imap *imap, uint32_t after, size_t limit,
    struct imap_summary **list_r, size_t *count_r, char **error_r);
/* What the fetches return when the server refused the message itself
 * (a tagged NO or BAD) rather than the connection failing. */
#define IMAP_REFUSED	(-2)

/* Writes only the header of a message to fd: enough to answer a
 * message too large to take. */
int imap_fetch_header_to_fd(struct imap *imap, uint32_t uid, int fd,
    char **error_r);
/* Writes the whole message (size bytes) to fd.  Both fetches return 0,
 * IMAP_REFUSED, FAULT_ENVIRONMENT (fault.h) when fd cannot be written (a
 * full spool), or -1 for any other failure. */
int imap_fetch_to_fd(struct imap *imap, uint32_t uid, uint64_t size, int fd,
    char **error_r);

/* EXISTS count of the selected folder as the server last reported it. */
uint32_t imap_exists(const struct imap *imap);
/* The server offers IDLE (RFC 2177). */
bool imap_can_idle(const struct imap *imap);
/* Waits in IDLE on the selected folder for up to seconds (re-issuing IDLE
 * every IMAP_IDLE_RENEW_SECONDS), checking *stop every second.  Returns
 * 1 when the server announced new mail (EXISTS), 0 when the time ran out
 * or *stop was set, <0 on error. */
int imap_idle(struct imap *imap, unsigned seconds,
    const volatile sig_atomic_t *stop, char **error_r);

/* The XOAUTH2 bearer token: first line of oauth_token_file, or of what
 * oauth_token_command (run by /bin/sh) prints within
 * OAUTH_COMMAND_SECONDS (oauth.h).  *token_r is g_free'd by the caller. */
int imap_oauth_token(const struct config_imap *config, char **token_r,
    char **error_r);

#endif
