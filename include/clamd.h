/*
 * clamd: one file scanned by ClamAV's daemon, its bytes streamed over
 * clamd's socket (INSTREAM), never written anywhere first.
 *
 * The socket is "unix:/run/clamav/clamd.ctl" or "tcp:127.0.0.1:3310"
 * ([clamd] socket in subgate.conf(5)).  The protocol: "zINSTREAM\0", then
 * chunks of CLAMD_CHUNK_BYTES, each behind its length as 4 bytes in
 * network order, then a length of 0; the reply is read up to its first
 * NUL, at most CLAMD_REPLY_BYTES.  clamd closes the connection after an
 * error line (the stream over its StreamMaxLength): a send that meets
 * EPIPE stops sending and reads that line.
 *
 * What the reply means:
 *   "stream: OK"                 CLAMD_CLEAN
 *   "stream: NAME FOUND"         CLAMD_FOUND, NAME in signature
 *   "stream: Heuristics.Limits.Exceeded.* FOUND"
 *                                CLAMD_SKIPPED: the file is over one of
 *                                clamd's own limits (MaxFileSize ...,
 *                                reported so under AlertExceedsMax yes); a
 *                                big clean video is not infected
 *   "INSTREAM size limit exceeded. ERROR"
 *                                CLAMD_SIZE_LIMIT: subgate streamed more
 *                                than clamd's StreamMaxLength, which is
 *                                the configuration's fault, not the file's
 *   anything else, no answer in time, no connection
 *                                FAULT_ENVIRONMENT (fault.h): clamd is
 *                                down or overloaded; nothing is judged
 *
 * Every wait (connect, each send, the reply) is bounded by timeout_ms.
 * Returns: 0 and *result filled; <0 with *error_r (g_free).
 */
#ifndef SUBGATE_CLAMD_H
#define SUBGATE_CLAMD_H

#include <stddef.h>
#include <sys/types.h>

/* Bytes sent per INSTREAM chunk. */
#define CLAMD_CHUNK_BYTES	(64 * 1024)
/* Bytes of a reply read before its NUL; clamd's are under 200. */
#define CLAMD_REPLY_BYTES	1024
/* A signature name, its NUL included (ClamAV's are under 100). */
#define CLAMD_SIGNATURE_BYTES	128
/* The prefix of the names clamd gives a file over one of its limits. */
#define CLAMD_LIMITS_PREFIX	"Heuristics.Limits.Exceeded"

/* clamd's StreamMaxLength is below what was streamed. */
#define CLAMD_SIZE_LIMIT	(-4)

enum clamd_state {
	CLAMD_CLEAN,
	CLAMD_FOUND,
	CLAMD_SKIPPED,
};

struct clamd_result {
	enum clamd_state state;
	/* FOUND: the signature; SKIPPED: the limit clamd named. */
	char signature[CLAMD_SIGNATURE_BYTES];
};

/* The file's next bytes into buf: >0 their count, 0 at its end, <0 a
 * read error (errno says which). */
typedef ssize_t clamd_read_fn(void *ctx, void *buf, size_t len);

/* PING, answered PONG. */
int clamd_ping(const char *socket_spec, unsigned timeout_ms, char **error_r);

/* The bytes read() gives, to its end, scanned. */
int clamd_scan(const char *socket_spec, unsigned timeout_ms,
    clamd_read_fn *read, void *ctx, struct clamd_result *result,
    char **error_r);

/* Whether socket_spec is one clamd_* can use ("unix:/ABSOLUTE" or
 * "tcp:HOST:PORT"); *error_r says why not. */
int clamd_socket_check(const char *socket_spec, char **error_r);

#endif
