/*
 * message: one mail parsed with GMime, the object that holds it, its
 * header accessors and the entry points of include/message.h.  Parsing is
 * a sequence of steps, each in the file of its concern: the raw bytes
 * scanned against the limits (mime_scan.c), the headers decoded
 * (message_header.c), a bounce recognised (message_auto.c), the
 * attachments found (message_attachment.c).  This file only runs them in
 * order and hands out what they left, so that it reads as the outline of
 * a parse.  See message-private.h.
 */
#include <glib.h>
#include <gmime/gmime.h>

#include "mail_limits.h"
#include "message-private.h"
#include "mime_scan.h"

/* Bytes read at a time by the scan before the parse. */
#define PRESCAN_CHUNK	(64 * 1024)

/* Records the first limit a message hits (the reason is taken). */
void
message_limit_hit(struct message *m, enum mime_limit limit)
{
	if (m->limit_reason != NULL)
		return;
	m->limit_reason = mime_limit_reason(limit, &m->limits);
	m->limit = limit;
}

/* GMime takes any "word: text" line for a header; a mail has at least
 * one of these. */
static gboolean
looks_like_mail(GMimeObject *obj)
{
	static const char *const names[] = {
		"From", "Sender", "Subject", "Date", "Message-ID", "Received",
		"Return-Path", "MIME-Version", "To",
	};
	GMimeHeaderList *list = g_mime_object_get_header_list(obj);
	size_t i;

	for (i = 0; list != NULL && i < G_N_ELEMENTS(names); i++) {
		if (g_mime_header_list_contains(list, names[i]))
			return TRUE;
	}
	return FALSE;
}

/* A message whose own header broke a limit, as GMime gets it: the header
 * before the cut, the fields beyond it that say who sent it and what it
 * is (see mime_scan.h), an empty line, and no body. */
static GMimeStream *
message_header_cut(GMimeStream *stream, gint64 start,
    const struct mime_scan *scan)
{
	GMimeStream *cat = g_mime_stream_cat_new(), *piece;
	size_t i;

	piece = g_mime_stream_substream(stream, start,
	    start + (gint64)mime_scan_cut(scan));
	g_mime_stream_cat_add_source(GMIME_STREAM_CAT(cat), piece);
	g_object_unref(piece);
	for (i = 0; i < mime_scan_kept_fields(scan); i++) {
		uint64_t off, len;

		mime_scan_kept_field(scan, i, &off, &len);
		piece = g_mime_stream_substream(stream, start + (gint64)off,
		    start + (gint64)(off + len));
		g_mime_stream_cat_add_source(GMIME_STREAM_CAT(cat), piece);
		g_object_unref(piece);
	}
	piece = g_mime_stream_mem_new_with_buffer("\r\n", 2);
	g_mime_stream_cat_add_source(GMIME_STREAM_CAT(cat), piece);
	g_object_unref(piece);
	return cat;
}

/*
 * What GMime may be handed: the bytes from the stream's position on, read
 * once through mime_scan, then the whole stream again (*part_r a new
 * reference to it), or, when they break a limit, a substream of the bytes
 * before the first that did (*limit_r says which, else -1), or when that
 * was in the message's own header, message_header_cut().  GMime builds
 * its whole tree before anyone can count it, so counting after the parse
 * would come a gigabyte too late.
 */
static int
message_prescan(GMimeStream *stream, const struct mail_limits *limits,
    GMimeStream **part_r, int *limit_r, gboolean *in_headers_r,
    char **error_r)
{
	struct mime_scan *scan = mime_scan_new(limits, message_gmime_options());
	gint64 start = g_mime_stream_tell(stream);
	char *buf = g_malloc(PRESCAN_CHUNK);
	ssize_t n;

	*part_r = NULL;
	*limit_r = -1;
	*in_headers_r = FALSE;
	while ((n = g_mime_stream_read(stream, buf, PRESCAN_CHUNK)) > 0) {
		if (mime_scan_feed(scan, buf, (size_t)n) > 0)
			break;
	}
	g_free(buf);
	if (n < 0 || start < 0 ||
	    g_mime_stream_seek(stream, start, GMIME_STREAM_SEEK_SET) != start) {
		*error_r = g_strdup("cannot read the message");
		mime_scan_free(&scan);
		return -1;
	}
	mime_scan_finish(scan);
	if (mime_scan_limit(scan) == NULL)
		*part_r = g_object_ref(stream);
	else if (mime_scan_cut_in_headers(scan))
		*part_r = message_header_cut(stream, start, scan);
	else
		*part_r = g_mime_stream_substream(stream, start,
		    start + (gint64)mime_scan_cut(scan));
	if (mime_scan_limit(scan) != NULL) {
		*limit_r = (int)mime_scan_limit_which(scan);
		*in_headers_r = mime_scan_cut_in_headers(scan) != 0;
	}
	mime_scan_free(&scan);
	return 0;
}

int
message_parse_stream(GMimeStream *stream, const struct mail_limits *limits,
    struct message **msg_r, char **error_r)
{
	GMimeParserOptions *options;
	GMimeParser *parser;
	GMimeStream *within;
	GMimeMessage *mime;
	struct message *m;
	int limit;
	gboolean cut_in_headers;

	options = message_gmime_options();
	*msg_r = NULL;
	if (message_prescan(stream, limits, &within, &limit, &cut_in_headers,
	    error_r) < 0)
		return -1;
	/* Parts stay substreams of the stream, read on demand: the message
	 * holds its own reference. */
	parser = g_mime_parser_new_with_stream(within);
	g_object_unref(within);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	g_mime_parser_set_persist_stream(parser, TRUE);
	mime = g_mime_parser_construct_message(parser, options);
	g_object_unref(parser);
	if (mime == NULL) {
		*error_r = g_strdup("not a mail message");
		return -1;
	}
	/* Headers cut at a limit before the sender's are still mail: the
	 * limit is the answer, not "no mail". */
	if (!cut_in_headers && !looks_like_mail(GMIME_OBJECT(mime))) {
		g_object_unref(mime);
		*error_r = g_strdup("no mail headers");
		return -1;
	}

	m = g_new0(struct message, 1);
	m->mime = mime;
	mail_limits_resolve(&m->limits, limits);
	m->headers = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    g_free);
	m->attachments = message_attachments_new();
	m->bodies = g_ptr_array_new_with_free_func(g_object_unref);
	message_headers_load(m);
	message_envelope_load(m);
	message_dsn_detect(m);
	message_walk(m, g_mime_message_get_mime_part(mime), 0);
	/* After the walk, so that the attachments before the cut are
	 * listed, as when the walk itself meets a limit. */
	if (limit >= 0)
		message_limit_hit(m, (enum mime_limit)limit);
	*msg_r = m;
	return 0;
}

int
message_parse_data(const char *data, size_t len,
    const struct mail_limits *limits, struct message **msg_r, char **error_r)
{
	GMimeStream *stream;
	int ret;

	/* GMime set up before the first stream is made. */
	message_gmime_options();
	/* A copy: the message outlives the caller's buffer. */
	stream = g_mime_stream_mem_new_with_buffer(data, len);
	ret = message_parse_stream(stream, limits, msg_r, error_r);
	g_object_unref(stream);
	return ret;
}

void
message_free(struct message **msg)
{
	struct message *m = *msg;

	if (m == NULL)
		return;
	*msg = NULL;
	g_ptr_array_free(m->attachments, TRUE);
	g_ptr_array_free(m->bodies, TRUE);
	g_hash_table_destroy(m->headers);
	g_free(m->subject);
	g_free(m->from_address);
	g_free(m->from_name);
	g_free(m->reply_address);
	g_free(m->message_id);
	g_free(m->limit_reason);
	g_object_unref(m->mime);
	g_free(m);
}

const char *
message_subject(const struct message *m)
{
	return m->subject;
}

const char *
message_from_address(const struct message *m)
{
	return m->from_address;
}

const char *
message_from_name(const struct message *m)
{
	return m->from_name;
}

const char *
message_reply_address(const struct message *m)
{
	return m->reply_address;
}

const char *
message_id(const struct message *m)
{
	return m->message_id;
}

const char *
message_references(const struct message *m)
{
	const char *v = g_hash_table_lookup(m->headers, "references");

	return v != NULL ? v : "";
}

const char *
message_header(const struct message *m, const char *name)
{
	char *key = g_ascii_strdown(name, -1);
	const char *v = g_hash_table_lookup(m->headers, key);

	g_free(key);
	return v;
}

const char *
message_date(const struct message *m)
{
	return g_hash_table_lookup(m->headers, "date");
}

const char *
message_limit_exceeded(const struct message *m)
{
	return m->limit_reason;
}

bool
message_limit_which(const struct message *m, enum mime_limit *limit_r)
{
	if (m->limit_reason == NULL)
		return false;
	*limit_r = m->limit;
	return true;
}

const struct mail_limits *
message_limits(const struct message *m)
{
	return &m->limits;
}
