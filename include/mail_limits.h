/*
 * mail_limits: every bound on data that comes from mail, in one place.
 *
 * Each is a default; the main configuration may override it ([limits]
 * section).  Over a limit, input is rejected with a reason the submitter
 * can act on, or truncated and flagged: never a crash, never an unbounded
 * allocation.
 */
#ifndef SUBGATE_MAIL_LIMITS_H
#define SUBGATE_MAIL_LIMITS_H

#include <stddef.h>
#include <stdint.h>

/* Bytes of a decoded subject or file name we are prepared to parse. */
#define LIMIT_SUBJECT_BYTES		4096
/* Bytes of a file name we keep in the store (NAME_MAX on Linux). */
#define LIMIT_FILENAME_BYTES		255
/* PCRE2 match and depth limits: a pattern of ours must never backtrack
 * for long on a hostile subject. */
#define LIMIT_REGEX_MATCH		100000
#define LIMIT_REGEX_DEPTH		5000
/* MIME nesting depth and leaf-part count of one message. */
#define LIMIT_MIME_DEPTH		16
#define LIMIT_MIME_PARTS		500
/* Decoded bytes of one winmail.dat (application/ms-tnef) expanded in
 * memory into the files it carries; a bigger one is kept whole. */
#define LIMIT_TNEF_BYTES		(64 * 1024 * 1024)
/* Total header bytes of one message. */
#define LIMIT_HEADER_BYTES		(256 * 1024)
/* Default maximum message size accepted (campaigns may lower or raise it). */
#define LIMIT_MESSAGE_BYTES		(200ULL * 1024 * 1024)
/* Failed attempts at one message before it is quarantined. */
#define LIMIT_MESSAGE_ATTEMPTS		3
/* Messages fetched in one cycle before the next poll. */
#define LIMIT_FETCH_BATCH		200

/*
 * The limits in force: the defaults above, or what the main
 * configuration's [limits] section set (only lower for subject_bytes: the
 * grammar's own buffers are sized for LIMIT_SUBJECT_BYTES).  Set once at
 * start, before any mail is read.
 */
struct mail_limits {
	size_t subject_bytes;
	unsigned mime_depth;
	unsigned mime_parts;
	size_t header_bytes;
	uint64_t message_bytes;
};

extern struct mail_limits mail_limits;

#endif
