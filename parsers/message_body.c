/*
 * message_body: the body text, bounded and in UTF-8 (include/message.h,
 * message_body_text()).
 */
#include <string.h>

#include "message-private.h"

/* bytes in charset as UTF-8, or NULL.  A body cut at the limit may end
 * inside a character: up to three bytes of it are dropped. */
static char *
convert_cut(const char *bytes, size_t len, const char *charset)
{
	size_t drop;
	char *out;

	for (drop = 0; drop < 4 && drop <= len; drop++)
		if ((out = g_convert_with_fallback(bytes, (gssize)(len - drop),
		    "UTF-8", charset, "?", NULL, NULL, NULL)) != NULL)
			return out;
	return NULL;
}

/* len bytes of part in its charset, as UTF-8 (g_free). */
static char *
body_to_utf8(GMimePart *part, const char *bytes, size_t len)
{
	GMimeContentType *ct = g_mime_object_get_content_type(
	    GMIME_OBJECT(part));
	const char *label = ct != NULL ?
	    g_mime_content_type_get_parameter(ct, "charset") : NULL;
	const char *end = NULL;
	char *out = NULL;

	if (label != NULL && g_ascii_strcasecmp(label, "utf-8") != 0 &&
	    g_ascii_strcasecmp(label, "us-ascii") != 0)
		out = convert_cut(bytes, len, message_charset_normalize(label));
	/* valid UTF-8, but for a character cut at the limit */
	if (out == NULL && (g_utf8_validate(bytes, (gssize)len, &end) ||
	    (size_t)(bytes + len - end) < 4))
		out = g_strndup(bytes, (size_t)(end - bytes));
	/* Chinese mail without a label, or with a wrong one, is GBK. */
	if (out == NULL)
		out = convert_cut(bytes, len, "GB18030");
	if (out == NULL)
		out = g_utf8_make_valid(bytes, (gssize)len);
	return out;
}

/* At most max decoded bytes of part, a buffer at a time. */
static GByteArray *
body_read(GMimePart *part, size_t max)
{
	GMimeStream *s = message_part_decoded(part);
	GByteArray *bytes = g_byte_array_new();
	char buf[8192];
	ssize_t n;

	while (s != NULL && bytes->len < max &&
	    (n = g_mime_stream_read(s, buf, MIN(sizeof(buf),
	    max - bytes->len))) > 0)
		g_byte_array_append(bytes, (const guint8 *)buf, (guint)n);
	if (s != NULL)
		g_object_unref(s);
	return bytes;
}

void
message_body_text(const struct message *m, char **plain_r, char **html_r)
{
	GString *plain = NULL, *html = NULL;
	size_t budget = m->limits.body_bytes, i;

	for (i = 0; i < m->bodies->len && budget > 0; i++) {
		GMimePart *part = g_ptr_array_index(m->bodies, i);
		GMimeContentType *ct = g_mime_object_get_content_type(
		    GMIME_OBJECT(part));
		bool is_html = ct != NULL &&
		    g_mime_content_type_is_type(ct, "text", "html");
		GString **to = is_html ? &html : &plain;
		GByteArray *bytes = body_read(part, budget);
		char *text = body_to_utf8(part, (const char *)bytes->data,
		    bytes->len);

		budget -= bytes->len;
		g_byte_array_free(bytes, TRUE);
		if (*to == NULL)
			*to = g_string_new(text);
		else
			g_string_append_printf(*to, "\n%s", text);
		g_free(text);
	}
	*plain_r = plain != NULL ? g_string_free(plain, FALSE) : NULL;
	*html_r = html != NULL ? g_string_free(html, FALSE) : NULL;
}
