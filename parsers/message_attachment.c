/*
 * message_attachment: the MIME walk, and which leaves of it are the
 * attachments subgate hands to the case store: their names (sent,
 * decoded and chosen, or derived from the content type), the limits on
 * depth and parts, the files inside Outlook's winmail.dat listed in its
 * place, and each attachment's decoded content as a stream.  The rules
 * are in include/message.h.
 *
 * Separate because this is where submissions are found, and what is
 * found grows: several works in one mail, companion files, checks on the
 * content all start here, and should not have to read past the charset
 * workarounds (message_header.c) or the bounce scanner (message_auto.c).
 * See message-private.h.
 */
#include <string.h>

#include "message-private.h"
#include "mime_scan.h"
#include "tnef.h"

struct attachment {
	GMimePart *part;		/* ref held */
	gboolean in_tnef;		/* a file inside part (a winmail.dat) */
	guint64 tnef_offset, tnef_size;	/* where, in part's decoded bytes */
	char *name;
	char *content_type;
	gboolean name_derived;
};

/* Longest attachment name we hand on (the name grammar reads it). */
#define ATTACHMENT_NAME_BYTES	LIMIT_SUBJECT_BYTES
/* Bytes of a winmail.dat decoded and read at a time. */
#define TNEF_READ_BYTES		(64 * 1024)

/* ------------------------------------------------------------------ */
/* names */

static const struct {
	const char *type;
	const char *extension;
} type_extensions[] = {
	{ "video/mp4", "mp4" },
	{ "video/quicktime", "mov" },
	{ "video/x-msvideo", "avi" },
	{ "video/x-ms-wmv", "wmv" },
	{ "video/mpeg", "mpg" },
	{ "video/x-flv", "flv" },
	{ "audio/mpeg", "mp3" },
	{ "audio/x-wav", "wav" },
	{ "audio/wav", "wav" },
	{ "image/jpeg", "jpg" },
	{ "image/pjpeg", "jpg" },
	{ "image/png", "png" },
	{ "image/gif", "gif" },
	{ "image/bmp", "bmp" },
	{ "image/tiff", "tif" },
	{ "application/pdf", "pdf" },
	{ "application/msword", "doc" },
	{ "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx" },
	{ "application/vnd.ms-excel", "xls" },
	{ "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx" },
	{ "application/vnd.ms-powerpoint", "ppt" },
	{ "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx" },
	{ "application/wps-office.doc", "wps" },
	{ "application/zip", "zip" },
	{ "application/x-zip-compressed", "zip" },
	{ "application/x-rar-compressed", "rar" },
	{ "application/vnd.rar", "rar" },
	{ "application/x-rar", "rar" },
	{ "application/x-7z-compressed", "7z" },
	{ "text/plain", "txt" },
	{ "text/html", "html" },
	{ "message/rfc822", "eml" },
	{ "message/delivery-status", "txt" },
	{ "text/rfc822-headers", "txt" },
};

static char *
derived_name(const char *content_type, size_t position)
{
	const char *extension = "bin";
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(type_extensions); i++) {
		if (strcmp(content_type, type_extensions[i].type) == 0) {
			extension = type_extensions[i].extension;
			break;
		}
	}
	return g_strdup_printf("附件%zu.%s", position, extension);
}

/* A name we would rather not use: empty, undecodable or mangled.  '?' is
 * what a failed charset conversion leaves, and Windows, where names are
 * chosen, allows none in a file name. */
static gboolean
name_is_garbage(const char *name)
{
	const char *p;
	gboolean meaningful = FALSE;

	if (name == NULL || !g_utf8_validate(name, -1, NULL))
		return TRUE;
	if (strstr(name, "\xEF\xBF\xBD") != NULL)	/* U+FFFD */
		return TRUE;
	if (strchr(name, '?') != NULL)
		return TRUE;
	for (p = name; *p != '\0'; p++) {
		if (strchr("_. \t", *p) == NULL)
			meaningful = TRUE;
	}
	return !meaningful;
}

/* The name to report: filename= unless garbage, then name=; the
 * directory part some clients send (C:\fakepath\x.mp4) dropped. */
static char *
attachment_name_choose(const char *filename, const char *name)
{
	const char *chosen = NULL, *base;
	char *clean;

	if (!name_is_garbage(filename))
		chosen = filename;
	else if (!name_is_garbage(name))
		chosen = name;
	else if (filename != NULL && *filename != '\0')
		chosen = filename;
	else if (name != NULL && *name != '\0')
		chosen = name;
	if (chosen == NULL)
		return NULL;
	base = chosen;
	if (strrchr(base, '/') != NULL)
		base = strrchr(base, '/') + 1;
	if (strrchr(base, '\\') != NULL)
		base = strrchr(base, '\\') + 1;
	if (*base == '\0')
		base = chosen;
	clean = message_text_clean(base, ATTACHMENT_NAME_BYTES);
	if (*clean == '\0') {
		g_free(clean);
		return NULL;
	}
	return clean;
}

/* ------------------------------------------------------------------ */
/* content */

/*
 * A part's content with its transfer encoding undone, read on demand; no
 * charset conversion: the bytes as sent.  NULL when it has none.  Read
 * through a substream of its own, so that two streams of one part (or a
 * stream handed out and the TNEF decoder) never move each other's
 * position in the shared message stream.
 */
GMimeStream *
message_part_decoded(GMimePart *part)
{
	GMimeDataWrapper *content = g_mime_part_get_content(part);
	GMimeStream *source, *view, *decoded;
	GMimeFilter *filter;

	if (content == NULL ||
	    (source = g_mime_data_wrapper_get_stream(content)) == NULL)
		return NULL;
	view = g_mime_stream_substream(source, source->bound_start,
	    source->bound_end);
	if (view == NULL)
		return NULL;
	decoded = g_mime_stream_filter_new(view);
	g_object_unref(view);
	filter = g_mime_filter_basic_new(
	    g_mime_data_wrapper_get_encoding(content), FALSE);
	g_mime_stream_filter_add(GMIME_STREAM_FILTER(decoded), filter);
	g_object_unref(filter);
	return decoded;
}

/*
 * A filter that passes the first size bytes of a stream and drops the
 * rest: a file inside winmail.dat, out of the decoded winmail.dat, once
 * the bytes before it are skipped.  (A GMimeStreamFilter whose filters
 * give nothing for a buffer reports the end of the stream, so this can
 * only cut the end off, never skip a start.)
 */
typedef struct {
	GMimeFilter parent;
	guint64 size, position;
} HeadFilter;

typedef struct {
	GMimeFilterClass parent_class;
} HeadFilterClass;

GType head_filter_get_type(void);
G_DEFINE_TYPE(HeadFilter, head_filter, GMIME_TYPE_FILTER)

static GMimeFilter *
head_filter_new(guint64 size)
{
	HeadFilter *f = g_object_new(head_filter_get_type(), NULL);

	f->size = size;
	return GMIME_FILTER(f);
}

static GMimeFilter *
head_filter_copy(GMimeFilter *filter)
{
	return head_filter_new(((HeadFilter *)filter)->size);
}

static void
head_filter_filter(GMimeFilter *filter, char *inbuf, size_t inlen,
    size_t prespace, char **outbuf, size_t *outlen, size_t *outprespace)
{
	HeadFilter *f = (HeadFilter *)filter;
	guint64 left = f->size - MIN(f->position, f->size);

	*outbuf = inbuf;
	*outlen = (size_t)MIN((guint64)inlen, left);
	*outprespace = prespace;
	f->position += inlen;
}

static void
head_filter_reset(GMimeFilter *filter)
{
	((HeadFilter *)filter)->position = 0;
}

static void
head_filter_class_init(HeadFilterClass *klass)
{
	GMimeFilterClass *filter_class = GMIME_FILTER_CLASS(klass);

	filter_class->copy = head_filter_copy;
	filter_class->filter = head_filter_filter;
	filter_class->complete = head_filter_filter;
	filter_class->reset = head_filter_reset;
}

static void
head_filter_init(HeadFilter *f)
{
	f->position = 0;
}

/* size bytes of source from offset on, reading (and dropping) what comes
 * before, a buffer at a time; the stream returned owns source. */
static GMimeStream *
stream_slice(GMimeStream *source, guint64 offset, guint64 size)
{
	GMimeStream *slice;
	GMimeFilter *head;
	char *buf = g_malloc(TNEF_READ_BYTES);

	while (offset > 0) {
		ssize_t n = g_mime_stream_read(source, buf,
		    (size_t)MIN(offset, (guint64)TNEF_READ_BYTES));

		if (n <= 0)
			break;
		offset -= (guint64)n;
	}
	g_free(buf);
	slice = g_mime_stream_filter_new(source);
	g_object_unref(source);
	head = head_filter_new(size);
	g_mime_stream_filter_add(GMIME_STREAM_FILTER(slice), head);
	g_object_unref(head);
	return slice;
}

/* ------------------------------------------------------------------ */
/* winmail.dat */

/* Outlook labels it either way, and some gateways relabel it
 * application/octet-stream but keep the name. */
static gboolean
part_is_tnef(const char *mime_type, const char *name)
{
	return strcmp(mime_type, "application/ms-tnef") == 0 ||
	    strcmp(mime_type, "application/vnd.ms-tnef") == 0 ||
	    (name != NULL && g_ascii_strcasecmp(name, "winmail.dat") == 0);
}

/* The files inside a winmail.dat part, its decoded content fed to the
 * TNEF reader a buffer at a time; NULL when it is damaged, unreadable or
 * over the limits' tnef_bytes (the reason is of no use downstream:
 * winmail.dat is then kept whole). */
static struct tnef *
part_tnef_read(GMimePart *part, const struct mail_limits *limits)
{
	GMimeStream *decoded = message_part_decoded(part);
	struct tnef_reader *reader;
	struct tnef *tnef = NULL;
	char *buf, *error = NULL;
	ssize_t n;

	if (decoded == NULL)
		return NULL;
	reader = tnef_reader_new(limits);
	buf = g_malloc(TNEF_READ_BYTES);
	while ((n = g_mime_stream_read(decoded, buf, TNEF_READ_BYTES)) > 0) {
		if (tnef_reader_feed(reader, buf, (size_t)n, &error) < 0)
			break;
	}
	g_free(buf);
	g_object_unref(decoded);
	if (n == 0)
		(void)tnef_reader_finish(&reader, &tnef, &error);
	tnef_reader_free(&reader);
	g_free(error);
	return tnef;
}

/* TNEF says nothing reliable about a file's type: go by its extension. */
static char *
extension_content_type(const char *name)
{
	const char *dot = strrchr(name, '.');
	char *guess, *type;
	size_t i;

	if (dot == NULL || dot[1] == '\0')
		return g_strdup("application/octet-stream");
	for (i = 0; i < G_N_ELEMENTS(type_extensions); i++) {
		if (g_ascii_strcasecmp(dot + 1, type_extensions[i].extension) == 0)
			return g_strdup(type_extensions[i].type);
	}
	guess = g_content_type_guess(name, NULL, 0, NULL);
	if (guess != NULL && strchr(guess, '/') != NULL)
		type = g_ascii_strdown(guess, -1);
	else
		type = g_strdup("application/octet-stream");
	g_free(guess);
	return type;
}

/*
 * List the files inside a winmail.dat as attachments of their own, named
 * and cleaned like any other.  TRUE when all it carries was listed, so the
 * winmail.dat itself is not; FALSE keeps it as an ordinary attachment
 * (damaged, over the limits' tnef_bytes, holding only a rich-text body, or
 * holding an embedded message or OLE object that is no file), so nothing
 * the sender attached is lost.
 */
static gboolean
message_tnef_expand(struct message *m, GMimePart *part)
{
	struct tnef *tnef = part_tnef_read(part, &m->limits);
	gboolean all;
	size_t i, n;

	if (tnef == NULL)
		return FALSE;
	n = tnef_file_count(tnef);
	all = n > 0 && !tnef_has_unextracted(tnef);
	for (i = 0; i < n; i++) {
		struct attachment *att;

		if (++m->leaves > m->limits.mime_parts) {
			message_limit_hit(m, MIME_LIMIT_PARTS);
			all = FALSE;
			break;
		}
		att = g_new0(struct attachment, 1);
		att->part = GMIME_PART(g_object_ref(part));
		att->in_tnef = TRUE;
		att->tnef_offset = tnef_file_offset(tnef, i);
		att->tnef_size = tnef_file_size(tnef, i);
		att->name = attachment_name_choose(tnef_file_long_name(tnef, i),
		    tnef_file_title(tnef, i));
		if (att->name != NULL)
			att->content_type = extension_content_type(att->name);
		else {
			att->content_type = g_strdup("application/octet-stream");
			att->name = derived_name(att->content_type,
			    m->attachments->len + 1);
			att->name_derived = TRUE;
		}
		g_ptr_array_add(m->attachments, att);
	}
	tnef_free(&tnef);
	return all;
}

/* ------------------------------------------------------------------ */
/* the walk */

static void
message_leaf(struct message *m, GMimeObject *obj)
{
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	char *mime_type, *filename, *name, *chosen, *disposition = NULL;
	struct attachment *att;

	if (ct != NULL) {
		char *t = g_mime_content_type_get_mime_type(ct);

		mime_type = g_ascii_strdown(t, -1);
		g_free(t);
	} else
		mime_type = g_strdup("text/plain");
	/* A bounce without the report wrapper (message_dsn_detect() sees
	 * the wrapped ones). */
	if (strcmp(mime_type, "message/delivery-status") == 0)
		m->is_dsn = TRUE;

	filename = message_part_param(obj, "Content-Disposition", "filename",
	    &disposition);
	name = message_part_param(obj, "Content-Type", "name", NULL);
	chosen = attachment_name_choose(filename, name);
	g_free(filename);
	g_free(name);

	if (chosen == NULL) {
		gboolean attachment = disposition != NULL &&
		    strcmp(disposition, "attachment") == 0;

		if (!attachment && (strcmp(mime_type, "text/plain") == 0 ||
		    strcmp(mime_type, "text/html") == 0)) {
			m->body_seen = TRUE;
			/* A forwarded mail's text is quoted: not where the
			 * sender speaks. */
			if (m->forwarded == 0 && GMIME_IS_PART(obj))
				g_ptr_array_add(m->bodies, g_object_ref(obj));
			goto skip;
		}
		if (strcmp(mime_type, "application/pkcs7-signature") == 0 ||
		    strcmp(mime_type, "application/x-pkcs7-signature") == 0 ||
		    strcmp(mime_type, "application/pgp-signature") == 0)
			goto skip;
	}
	if (!GMIME_IS_PART(obj))
		goto skip;
	if (part_is_tnef(mime_type, chosen) &&
	    message_tnef_expand(m, GMIME_PART(obj)))
		goto skip;

	att = g_new0(struct attachment, 1);
	att->part = GMIME_PART(g_object_ref(obj));
	att->content_type = mime_type;
	mime_type = NULL;
	if (chosen != NULL)
		att->name = chosen;
	else {
		att->name = derived_name(att->content_type,
		    m->attachments->len + 1);
		att->name_derived = TRUE;
	}
	chosen = NULL;
	g_ptr_array_add(m->attachments, att);
skip:
	g_free(chosen);
	g_free(mime_type);
	g_free(disposition);
}

/* Depth-first, bounded by the limits' mime_depth and mime_parts (GMime
 * itself stops nesting at 1024 levels). */
void
message_walk(struct message *m, GMimeObject *obj, unsigned int depth)
{
	if (obj == NULL || m->limit_reason != NULL)
		return;
	if (depth > m->limits.mime_depth) {
		message_limit_hit(m, MIME_LIMIT_DEPTH);
		return;
	}
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		int i, n = g_mime_multipart_get_count(mp);

		for (i = 0; i < n && m->limit_reason == NULL; i++)
			message_walk(m, g_mime_multipart_get_part(mp, i),
			    depth + 1);
		return;
	}
	if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *inner = g_mime_message_part_get_message(
		    GMIME_MESSAGE_PART(obj));

		if (inner != NULL) {
			m->forwarded++;
			message_walk(m, g_mime_message_get_mime_part(inner),
			    depth + 1);
			m->forwarded--;
		}
		return;
	}
	if (++m->leaves > m->limits.mime_parts) {
		message_limit_hit(m, MIME_LIMIT_PARTS);
		return;
	}
	message_leaf(m, obj);
}

/* ------------------------------------------------------------------ */
/* the list handed to callers */

static void
attachment_free(gpointer p)
{
	struct attachment *att = p;

	g_object_unref(att->part);
	g_free(att->name);
	g_free(att->content_type);
	g_free(att);
}

GPtrArray *
message_attachments_new(void)
{
	return g_ptr_array_new_with_free_func(attachment_free);
}

size_t
message_attachment_count(const struct message *m)
{
	return m->attachments->len;
}

static const struct attachment *
attachment_at(const struct message *m, size_t i)
{
	g_assert(i < m->attachments->len);
	return g_ptr_array_index(m->attachments, i);
}

const char *
message_attachment_name(const struct message *m, size_t i)
{
	return attachment_at(m, i)->name;
}

const char *
message_attachment_content_type(const struct message *m, size_t i)
{
	return attachment_at(m, i)->content_type;
}

int
message_attachment_name_derived(const struct message *m, size_t i)
{
	return attachment_at(m, i)->name_derived ? 1 : 0;
}

bool
message_attachment_empty(const struct message *m, size_t i)
{
	GMimeStream *s;
	char byte;
	ssize_t n;

	if (attachment_at(m, i)->in_tnef)
		return attachment_at(m, i)->tnef_size == 0;
	s = message_attachment_stream(m, i);
	n = g_mime_stream_read(s, &byte, 1);
	g_object_unref(s);
	return n == 0;
}

GMimeStream *
message_attachment_stream(const struct message *m, size_t i)
{
	const struct attachment *att = attachment_at(m, i);
	GMimeStream *decoded = message_part_decoded(att->part);

	/* A part without content is an empty file, not an error. */
	if (decoded == NULL)
		return g_mime_stream_mem_new();
	/* A file in winmail.dat is decoded again from the message, never
	 * held whole. */
	if (att->in_tnef)
		return stream_slice(decoded, att->tnef_offset, att->tnef_size);
	return decoded;
}
