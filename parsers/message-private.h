/*
 * message-private: what the files of the message module share, and no
 * other module may see.  include/message.h is the contract with callers;
 * this header is the contract between:
 *
 *   message.c           the parse entry points, the message itself,
 *                       message_free() and the header accessors
 *   message_header.c    GMime set up once, header text decoded as
 *                       Chinese mail needs it, the top-level headers and
 *                       the envelope loaded
 *   message_attachment.c
 *                       the MIME walk, which leaves are attachments,
 *                       their names, winmail.dat opened, their content
 *   message_auto.c      bounces (and the Message-IDs they name) and
 *                       auto-replies recognised
 *   message_body.c      the body text (plain and HTML) read, bounded,
 *                       in UTF-8: where cloud attachment links are
 *
 * message_parse_stream() first has the raw bytes counted by mime_scan
 * (parsers/mime_scan.c, its own module: it knows nothing of struct
 * message) and hands GMime only those within the limits; it then fills a
 * struct message in four steps, in this order: message_headers_load(),
 * message_envelope_load(), message_dsn_detect(), message_walk(), and
 * records the scan's limit, if any, last.  After it returns the message is
 * never changed: everything that only reads one takes it const.  Its
 * decoded strings (subject, sender, Message-ID, attachment names) are
 * valid UTF-8; the headers table holds the raw bytes as sent.  Every
 * limit, the bounce scanner's included, is read from m->limits, resolved
 * once at parse time.  All of it is owned by the message until
 * message_free().
 *
 * Like the rest of parsers/, nothing here does I/O: the message reads
 * the stream it was handed and nothing else.
 */
#ifndef SUBGATE_MESSAGE_PRIVATE_H
#define SUBGATE_MESSAGE_PRIVATE_H

#include <glib.h>
#include <gmime/gmime.h>

#include "mail_limits.h"
#include "message.h"
#include "mime_scan.h"

struct message {
	GMimeMessage *mime;
	GHashTable *headers;		/* lower-case name -> unfolded value */
	char *subject;
	char *from_address;
	char *from_name;
	char *reply_address;
	char *message_id;
	char *limit_reason;		/* the first limit hit, or NULL */
	enum mime_limit limit;		/* which, when limit_reason is set */
	struct mail_limits limits;	/* resolved: no field is 0 */
	gboolean is_dsn;
	gboolean is_dsn_report;	/* top-level multipart/report; report-type=
				   delivery-status: RFC 3464 */
	GPtrArray *attachments;		/* message_attachment.c's own */
	GPtrArray *bodies;		/* GMimePart refs: the text/plain and
					   text/html leaves of the body, not
					   inside a forwarded message */
	/* walk state (message_attachment.c) */
	unsigned int leaves;		/* counted against limits.mime_parts */
	unsigned int forwarded;		/* inside message/rfc822 parts */
	gboolean body_seen;
};

/* message.c */

/* Records the first limit a message hits: which, and why in Chinese and
 * English (mime_limit_reason, with the message's limits). */
void message_limit_hit(struct message *m, enum mime_limit limit);

/* message_header.c */

/* GMime initialised, once per process, and the parser options subgate
 * reads every mail with. */
GMimeParserOptions *message_gmime_options(void);
/* The top-level headers into m->headers (first of each name, unfolded,
 * not decoded); over the limits' header_bytes flagged (mime_scan has
 * bounded what GMime holds). */
void message_headers_load(struct message *m);
/* Subject, From, Reply-To and Message-ID decoded and cleaned from
 * m->headers; run after message_headers_load(). */
void message_envelope_load(struct message *m);
/* s as valid UTF-8 without control characters (whitespace ones become
 * spaces), trimmed, cut at max bytes on a character boundary; g_free. */
char *message_text_clean(const char *s, size_t max);
/* The decoded value (g_free) of parameter param of header ("Content-Type"
 * or "Content-Disposition") of part, or NULL.  For Content-Disposition,
 * *disposition_r gets the lower-case disposition when the header parses
 * (g_free); for Content-Type, pass NULL. */
char *message_part_param(GMimeObject *part, const char *header,
    const char *param, char **disposition_r);

/* message_attachment.c */

/* An empty list of attachments, for m->attachments (g_ptr_array_free
 * frees what it holds). */
GPtrArray *message_attachments_new(void);
/* part's content with its transfer encoding undone, read on demand
 * through a substream of its own (so two readers never move each other's
 * position); NULL when it has none.  g_object_unref. */
GMimeStream *message_part_decoded(GMimePart *part);
/* The attachments under obj into m->attachments, depth-first; depth is
 * obj's nesting level (0 for the top).  Stops at the first limit hit
 * (message_limit_hit()); what was found before it stays listed. */
void message_walk(struct message *m, GMimeObject *obj, unsigned int depth);

/* message_header.c: a charset label as iconv should read it (the gb2312
 * family as GB18030). */
const char *message_charset_normalize(const char *label);

/* message_auto.c */

/* Marks a bounce by its top-level type (multipart/report;
 * report-type=delivery-status); run once the headers are loaded. */
void message_dsn_detect(struct message *m);

#endif
