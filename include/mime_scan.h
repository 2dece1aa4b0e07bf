/*
 * mime_scan: a message's MIME structure counted from its raw bytes, fed
 * in chunks, before GMime builds a tree of it.
 *
 * GMime builds the whole tree of a message before anyone can look at it,
 * and keeps every header and every multipart preamble and epilogue in
 * memory: a 10 MB message of a million empty parts costs it over a
 * gigabyte.  The scan reads the bytes the way GMime's parser will (the
 * same boundary matching, the same choice of Content-Type, message/rfc822
 * walked into unless it is encoded, multipart/digest's default), keeping
 * at most one header field or one boundary's worth of line, and stops at
 * the first limit of a struct mail_limits the message would break: MIME
 * nesting depth, leaf parts, header bytes and header fields (all header
 * blocks of the message together), and preamble and epilogue bytes.
 *
 * On a limit it says which (mime_scan_limit(), the same reason, in
 * Chinese and English, as the MIME walk gives) and where the message must
 * be cut (mime_scan_cut()): the bytes before the cut are within every
 * limit, so GMime can be handed just those and the attachments found
 * before the limit still listed.  A message within its limits is handed
 * to GMime whole.
 *
 * Pure: no I/O, no allocation that grows with the input beyond the limits
 * it enforces (one header block, one line's boundary prefix, the stack of
 * open multiparts, at most mime_depth deep).
 *
 *	scan = mime_scan_new(limits, options);
 *	while (more bytes && mime_scan_feed(scan, buf, n) == 0)
 *		;
 *	mime_scan_finish(scan);
 *	if (mime_scan_limit(scan) != NULL) ... cut at mime_scan_cut(scan)
 *	mime_scan_free(&scan);
 */
#ifndef SUBGATE_MIME_SCAN_H
#define SUBGATE_MIME_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include <gmime/gmime.h>

struct mail_limits;
struct mime_scan;

/* Which limit a message hit; the walk in message_attachment.c, the
 * header loader and the scan give the same reason for each. */
enum mime_limit {
	MIME_LIMIT_DEPTH,
	MIME_LIMIT_PARTS,
	MIME_LIMIT_HEADER_BYTES,
	MIME_LIMIT_HEADER_FIELDS,
	MIME_LIMIT_TEXT_BYTES,
};

/* The reason for limit in Chinese and English, with the number in force
 * (limits resolved: no field 0); g_free. */
char *mime_limit_reason(enum mime_limit limit,
    const struct mail_limits *limits);

/* limits NULL: the defaults; copied.  options: those the message will be
 * parsed with (how loosely Content-Type parameters are read), NULL for
 * GMime's defaults; g_mime_init() must have run. */
struct mime_scan *mime_scan_new(const struct mail_limits *limits,
    GMimeParserOptions *options);
/* The next len bytes of the message.  0: more wanted; 1: a limit was hit
 * and nothing more will be looked at (feeding more is harmless). */
int mime_scan_feed(struct mime_scan *scan, const char *data, size_t len);
/* The end of the message: a last line without a line end is judged. */
void mime_scan_finish(struct mime_scan *scan);
void mime_scan_free(struct mime_scan **scan);

/* NULL within every limit, else the reason (owned by the scan). */
const char *mime_scan_limit(const struct mime_scan *scan);
/* Which limit that was; only when mime_scan_limit() is not NULL. */
enum mime_limit mime_scan_limit_which(const struct mime_scan *scan);
/* With a limit hit: how many leading bytes of the message are within
 * every limit (a line start: where the part, header line or text that
 * broke it begins). */
uint64_t mime_scan_cut(const struct mime_scan *scan);
/* 1 when the limit was hit inside the message's own header block.  What
 * comes before the cut may then hold no sender at all: the scan reads on
 * to the end of that block and keeps the place of the fields beyond the
 * cut that say who sent the message and what kind of mail it is (From,
 * Reply-To, Subject, Message-ID, Auto-Submitted, Precedence, Content-Type
 * and their kin; the first of each name not seen before the cut, at most
 * 8 KiB each, each ending with a line end), for the parse to see too:
 * the message's own header is then the bytes before the cut, those
 * fields, and an empty line. */
int mime_scan_cut_in_headers(const struct mime_scan *scan);
size_t mime_scan_kept_fields(const struct mime_scan *scan);
/* Field i of those: its first byte and length (folded lines and line
 * end included). */
void mime_scan_kept_field(const struct mime_scan *scan, size_t i,
    uint64_t *offset_r, uint64_t *length_r);
/* Leaf parts seen so far (for tests and the fuzz target's cross-check
 * against GMime's tree). */
unsigned mime_scan_leaves(const struct mime_scan *scan);

#endif
