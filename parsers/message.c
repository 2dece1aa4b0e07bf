/* message: see include/message.h. */
#include <string.h>

#include <glib.h>
#include <gmime/gmime.h>

#include "mail_limits.h"
#include "message-private.h"
#include "tnef.h"

struct attachment {
	GMimePart *part;		/* ref held; NULL when data is set */
	GBytes *data;			/* a file taken out of winmail.dat */
	char *name;
	char *content_type;
	gboolean name_derived;
};

/* Longest charset label we accept inside an encoded word. */
#define CHARSET_LABEL_MAX	64
/* Longest attachment name we hand on (the name grammar reads it). */
#define ATTACHMENT_NAME_BYTES	LIMIT_SUBJECT_BYTES

static GMimeParserOptions *parser_options;

static gpointer
message_init_once(gpointer unused)
{
	static const char *fallback[] = {
		"UTF-8", "GB18030", "Big5", "ISO-8859-1", NULL
	};

	(void)unused;
	g_mime_init();
	parser_options = g_mime_parser_options_new();
	g_mime_parser_options_set_rfc2047_compliance_mode(parser_options,
	    GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_parameter_compliance_mode(parser_options,
	    GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_address_compliance_mode(parser_options,
	    GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_allow_addresses_without_domain(parser_options,
	    FALSE);
	g_mime_parser_options_set_fallback_charsets(parser_options, fallback);
	return NULL;
}

static void
message_init(void)
{
	static GOnce once = G_ONCE_INIT;

	g_once(&once, message_init_once, NULL);
}

/*
 * Charset labels.  GMime maps gb2312 to iconv's GBK, which loses the
 * four-byte GB18030 sequences senders' software emits under either label;
 * GB18030 is a superset of both, so every label of the family reads as it.
 */
static const char *
charset_label_normalize(const char *label)
{
	static const char *const gb_family[] = {
		"gb2312", "gbk", "x-gbk", "cp936", "ms936", "windows-936",
		"euc-cn", "x-euc-cn", "csgb2312", "gb_2312-80", "chinese",
		"gb18030",
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(gb_family); i++) {
		if (g_ascii_strcasecmp(label, gb_family[i]) == 0)
			return "GB18030";
	}
	return label;
}

static gboolean
charset_label_char(char c)
{
	return g_ascii_isalnum(c) || (c != '\0' && strchr("-_.:+()", c) != NULL);
}

/*
 * Parse one encoded word "=?charset?X?payload?=" at s.  On success returns
 * the byte after it, with the label (language suffix dropped) and the
 * decoded payload bytes appended to *bytes.
 */
static const char *
encoded_word_parse(const char *s, char label[CHARSET_LABEL_MAX + 1],
    GByteArray *bytes)
{
	const char *p = s + 2, *payload, *end;
	size_t len = 0;
	char encoding;

	if (s[0] != '=' || s[1] != '?')
		return NULL;
	while (charset_label_char(*p) || *p == '*') {
		if (len >= CHARSET_LABEL_MAX)
			return NULL;
		label[len++] = *p++;
	}
	label[len] = '\0';
	/* RFC 2231 section 5: "=?gb2312*zh?B?...?=" */
	if (strchr(label, '*') != NULL)
		*strchr(label, '*') = '\0';
	if (label[0] == '\0' || *p != '?')
		return NULL;
	encoding = g_ascii_toupper(p[1]);
	if ((encoding != 'B' && encoding != 'Q') || p[2] != '?')
		return NULL;
	payload = p + 3;
	for (end = payload; *end != '\0' && *end != '?'; end++) {
		if (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n')
			return NULL;
	}
	if (end[0] != '?' || end[1] != '=')
		return NULL;

	if (encoding == 'B') {
		/* decode_step may write 3 bytes beyond len / 4 * 3 */
		guchar out[768 + 3];
		gint state = 0;
		guint save = 0;
		const char *q = payload;

		/* In slices: the payload length is bounded only by the header. */
		while (q < end) {
			size_t n = MIN((size_t)(end - q), 1024);
			gsize got = g_base64_decode_step(q, n, out, &state, &save);

			g_byte_array_append(bytes, out, got);
			q += n;
		}
	} else {
		const char *q;

		for (q = payload; q < end; q++) {
			guint8 b = (guint8)*q;

			if (*q == '_')
				b = ' ';
			else if (*q == '=' && q + 2 < end &&
			    g_ascii_isxdigit(q[1]) && g_ascii_isxdigit(q[2])) {
				b = (guint8)(g_ascii_xdigit_value(q[1]) * 16 +
				    g_ascii_xdigit_value(q[2]));
				q += 2;
			}
			g_byte_array_append(bytes, &b, 1);
		}
	}
	return end + 2;
}

/*
 * Rewrite every run of adjacent encoded words of one charset (labels
 * compared case-insensitively, the gb family as one) into a single base64
 * word labelled with the normalised charset, so GMime converts the joined
 * bytes at once.  GMime 3.2 joins adjacent words itself only when their
 * labels match byte for byte and then mis-decodes base64 padding inside
 * the run, losing everything after a character split across two words.
 * Text outside encoded words is copied unchanged; GMime decodes it.
 */
static char *
rfc2047_normalize(const char *raw)
{
	GString *out = g_string_sized_new(strlen(raw) + 16);
	GByteArray *bytes = g_byte_array_new();
	const char *p = raw;

	while (*p != '\0') {
		char label[CHARSET_LABEL_MAX + 1], next_label[CHARSET_LABEL_MAX + 1];
		const char *after, *q, *norm;
		char *b64;

		if (p[0] != '=' || p[1] != '?') {
			g_string_append_c(out, *p++);
			continue;
		}
		g_byte_array_set_size(bytes, 0);
		after = encoded_word_parse(p, label, bytes);
		if (after == NULL) {
			g_string_append_c(out, *p++);
			continue;
		}
		norm = charset_label_normalize(label);
		for (;;) {
			guint mark = bytes->len;

			for (q = after; *q == ' ' || *q == '\t' || *q == '\r' ||
			    *q == '\n'; q++)
				;
			if (q[0] != '=' || q[1] != '?')
				break;
			q = encoded_word_parse(q, next_label, bytes);
			if (q == NULL)
				break;
			if (g_ascii_strcasecmp(charset_label_normalize(next_label),
			    norm) != 0) {
				g_byte_array_set_size(bytes, mark);
				break;
			}
			after = q;
		}
		if (bytes->len > 0) {
			b64 = g_base64_encode(bytes->data, bytes->len);
			g_string_append_printf(out, "=?%s?B?%s?=", norm, b64);
			g_free(b64);
		}
		p = after;
	}
	g_byte_array_free(bytes, TRUE);
	return g_string_free(out, FALSE);
}

/*
 * RFC 2231 values carry their own label: name*=gb2312''%D7%F7 or
 * name*0*="gbk''...".  Relabel the gb family as GB18030 for the same
 * reason as above.  GMime joins the continuations' bytes before converting.
 */
static char *
rfc2231_normalize(const char *raw)
{
	GString *out = g_string_sized_new(strlen(raw) + 16);
	const char *p = raw;

	while (*p != '\0') {
		const char *q, *label;
		char buf[CHARSET_LABEL_MAX + 1];
		size_t len;

		if (p[0] != '*' || p[1] != '=') {
			g_string_append_c(out, *p++);
			continue;
		}
		g_string_append(out, "*=");
		q = p + 2;
		while (*q == ' ' || *q == '\t' || *q == '"')
			g_string_append_c(out, *q++);
		label = q;
		while (charset_label_char(*q))
			q++;
		len = (size_t)(q - label);
		if (*q == '\'' && len > 0 && len <= CHARSET_LABEL_MAX) {
			memcpy(buf, label, len);
			buf[len] = '\0';
			g_string_append(out, charset_label_normalize(buf));
		} else
			g_string_append_len(out, label, (gssize)len);
		p = q;
	}
	return g_string_free(out, FALSE);
}

/* Header folding undone (CR and LF dropped, the following blank kept),
 * ends trimmed. */
static char *
header_unfold(const char *raw)
{
	GString *out = g_string_sized_new(strlen(raw));
	const char *p;

	for (p = raw; *p != '\0'; p++) {
		if (*p != '\r' && *p != '\n')
			g_string_append_c(out, *p);
	}
	return g_strstrip(g_string_free(out, FALSE));
}

/* Valid UTF-8, no control characters (whitespace ones become spaces),
 * trimmed, cut at max bytes on a character boundary. */
static char *
text_clean(const char *s, size_t max)
{
	char *valid = g_utf8_make_valid(s, -1);
	GString *out = g_string_sized_new(strlen(valid));
	const char *p;

	for (p = valid; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f')
			g_string_append_c(out, ' ');
		else if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0))
			continue;
		else
			g_string_append_unichar(out, c);
	}
	g_free(valid);
	if (out->len > max) {
		size_t cut = max;

		while (cut > 0 && ((unsigned char)out->str[cut] & 0xC0) == 0x80)
			cut--;
		g_string_truncate(out, cut);
	}
	return g_strstrip(g_string_free(out, FALSE));
}

static const char *
raw_header(GMimeObject *obj, const char *name)
{
	GMimeHeaderList *list = g_mime_object_get_header_list(obj);
	GMimeHeader *header;

	if (list == NULL)
		return NULL;
	header = g_mime_header_list_get_header(list, name);
	if (header == NULL)
		return NULL;
	return g_mime_header_get_raw_value(header);
}

/* Decode unstructured header text with the gaps above filled. */
static char *
header_decode_text(const char *raw, size_t max)
{
	char *unfolded = header_unfold(raw);
	char *normalized = rfc2047_normalize(unfolded);
	char *decoded = g_mime_utils_header_decode_text(parser_options,
	    normalized);
	char *clean = text_clean(decoded != NULL ? decoded : "", max);

	g_free(unfolded);
	g_free(normalized);
	g_free(decoded);
	return clean;
}

/* First mailbox of an address header, descending into a group. */
static InternetAddressMailbox *
first_mailbox(InternetAddressList *list)
{
	int i, j, n = list != NULL ? internet_address_list_length(list) : 0;

	for (i = 0; i < n; i++) {
		InternetAddress *ia = internet_address_list_get_address(list, i);

		if (INTERNET_ADDRESS_IS_MAILBOX(ia))
			return INTERNET_ADDRESS_MAILBOX(ia);
		if (INTERNET_ADDRESS_IS_GROUP(ia)) {
			InternetAddressList *members =
			    internet_address_group_get_members(
			    INTERNET_ADDRESS_GROUP(ia));
			int m = internet_address_list_length(members);

			for (j = 0; j < m; j++) {
				InternetAddress *member =
				    internet_address_list_get_address(members, j);

				if (INTERNET_ADDRESS_IS_MAILBOX(member))
					return INTERNET_ADDRESS_MAILBOX(member);
			}
		}
	}
	return NULL;
}

/* The address and decoded name of the first mailbox in raw; 0 when none. */
static int
address_parse(const char *raw, char **addr_r, char **name_r)
{
	char *unfolded = header_unfold(raw);
	char *normalized = rfc2047_normalize(unfolded);
	InternetAddressList *list = internet_address_list_parse(parser_options,
	    normalized);
	InternetAddressMailbox *mailbox = first_mailbox(list);
	int ret = 0;

	if (mailbox != NULL && internet_address_mailbox_get_addr(mailbox) != NULL &&
	    *internet_address_mailbox_get_addr(mailbox) != '\0') {
		const char *name = internet_address_get_name(
		    INTERNET_ADDRESS(mailbox));

		*addr_r = text_clean(internet_address_mailbox_get_addr(mailbox),
		    LIMIT_SUBJECT_BYTES);
		if (name_r != NULL)
			*name_r = text_clean(name != NULL ? name : "",
			    LIMIT_SUBJECT_BYTES);
		ret = 1;
	}
	if (list != NULL)
		g_object_unref(list);
	g_free(unfolded);
	g_free(normalized);
	return ret;
}

/* Records the first limit a message hits (the reason is taken). */
static void
message_limit_hit(struct message *m, char *reason)
{
	if (m->limit_reason == NULL)
		m->limit_reason = reason;
	else
		g_free(reason);
}

static void
message_headers_load(struct message *m)
{
	GMimeHeaderList *list = g_mime_object_get_header_list(
	    GMIME_OBJECT(m->mime));
	int i, n = list != NULL ? g_mime_header_list_get_count(list) : 0;
	size_t total = 0;

	for (i = 0; i < n; i++) {
		GMimeHeader *header = g_mime_header_list_get_header_at(list, i);
		const char *name = g_mime_header_get_name(header);
		const char *raw = g_mime_header_get_raw_value(header);
		char *key;

		if (name == NULL || raw == NULL)
			continue;
		total += strlen(name) + strlen(raw) + 1;
		if (total > m->limits.header_bytes) {
			message_limit_hit(m, g_strdup_printf("邮件头超过 %zu 字节 "
			    "(header bytes over limit)",
			    m->limits.header_bytes));
			break;
		}
		key = g_ascii_strdown(name, -1);
		if (g_hash_table_contains(m->headers, key)) {
			g_free(key);
			continue;
		}
		g_hash_table_insert(m->headers, key, header_unfold(raw));
	}
}

static void
message_envelope_load(struct message *m)
{
	const char *raw;
	char *addr, *name;
	const char *id;

	raw = g_hash_table_lookup(m->headers, "subject");
	m->subject = header_decode_text(raw != NULL ? raw : "",
	    m->limits.subject_bytes);

	raw = g_hash_table_lookup(m->headers, "from");
	if (raw != NULL && address_parse(raw, &addr, &name)) {
		m->from_address = addr;
		m->from_name = name;
	} else {
		m->from_address = g_strdup("");
		m->from_name = g_strdup("");
	}

	raw = g_hash_table_lookup(m->headers, "reply-to");
	if (raw != NULL && address_parse(raw, &addr, NULL))
		m->reply_address = addr;
	else
		m->reply_address = g_strdup(m->from_address);

	id = g_mime_message_get_message_id(m->mime);
	m->message_id = text_clean(id != NULL ? id : "", LIMIT_SUBJECT_BYTES);
}

/* ---- attachments ---- */

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

/* Raw 8-bit header text to UTF-8, trying the fallback charsets in order
 * (ISO-8859-1 always succeeds). */
static char *
header_8bit_to_utf8(const char *raw)
{
	const char **charsets = g_mime_parser_options_get_fallback_charsets(
	    parser_options);
	size_t i;

	for (i = 0; charsets != NULL && charsets[i] != NULL; i++) {
		char *out;

		if (g_ascii_strcasecmp(charsets[i], "UTF-8") == 0)
			continue;
		out = g_convert(raw, -1, "UTF-8", charsets[i], NULL, NULL, NULL);
		if (out != NULL)
			return out;
	}
	return g_utf8_make_valid(raw, -1);
}

/* Decoded value of a Content-Type or Content-Disposition parameter. */
/*
 * The value of a parameter that may be sent twice: clients put an ASCII
 * fallback in filename= beside the real name in filename*= (RFC 2231
 * section 4.1 and RFC 6266 section 4.3), and the encoded one is the name.
 */
static const char *
param_pick(GMimeParamList *list, const char *name)
{
	const char *first = NULL;
	int i, n = list != NULL ? g_mime_param_list_length(list) : 0;

	for (i = 0; i < n; i++) {
		GMimeParam *p = g_mime_param_list_get_parameter_at(list, i);

		if (g_ascii_strcasecmp(g_mime_param_get_name(p), name) != 0)
			continue;
		if (g_mime_param_get_encoding_method(p) ==
		    GMIME_PARAM_ENCODING_METHOD_RFC2231)
			return g_mime_param_get_value(p);
		if (first == NULL)
			first = g_mime_param_get_value(p);
	}
	return first;
}

static char *
part_parameter(GMimeObject *part, const char *header, const char *param,
    char **disposition_r)
{
	const char *raw = raw_header(part, header);
	char *unfolded, *relabelled, *normalized, *value = NULL;
	const char *got = NULL;

	if (raw == NULL)
		return NULL;
	unfolded = header_unfold(raw);
	/* GMime reads raw 8-bit parameter bytes as UTF-8 only; Outlook and
	 * older Foxmail put raw GBK in name="...". */
	if (!g_utf8_validate(unfolded, -1, NULL)) {
		char *converted = header_8bit_to_utf8(unfolded);

		g_free(unfolded);
		unfolded = converted;
	}
	relabelled = rfc2231_normalize(unfolded);
	normalized = rfc2047_normalize(relabelled);
	if (disposition_r == NULL) {
		GMimeContentType *ct = g_mime_content_type_parse(parser_options,
		    normalized);

		if (ct != NULL) {
			got = param_pick(g_mime_content_type_get_parameters(ct),
			    param);
			value = g_strdup(got);
			g_object_unref(ct);
		}
	} else {
		GMimeContentDisposition *cd = g_mime_content_disposition_parse(
		    parser_options, normalized);

		if (cd != NULL) {
			const char *d = g_mime_content_disposition_get_disposition(cd);

			*disposition_r = g_ascii_strdown(d != NULL ? d : "", -1);
			got = param_pick(g_mime_content_disposition_get_parameters(
			    cd), param);
			value = g_strdup(got);
			g_object_unref(cd);
		}
	}
	/* A quoted "=?GB2312?B?...?=" that GMime left encoded. */
	if (value != NULL && strstr(value, "=?") != NULL) {
		char *decoded = g_mime_utils_header_decode_text(parser_options,
		    value);

		g_free(value);
		value = decoded;
	}
	g_free(unfolded);
	g_free(relabelled);
	g_free(normalized);
	return value;
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
attachment_name_choose(char *filename, char *name)
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
	clean = text_clean(base, ATTACHMENT_NAME_BYTES);
	if (*clean == '\0') {
		g_free(clean);
		return NULL;
	}
	return clean;
}

/*
 * A part's content with its transfer encoding undone, read on demand; no
 * charset conversion: the bytes as sent.  NULL when it has none.  Read
 * through a substream of its own, so that two streams of one part (or a
 * stream handed out and the TNEF decoder) never move each other's
 * position in the shared message stream.
 */
static GMimeStream *
part_decoded_stream(GMimePart *part)
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

/* ---- winmail.dat ---- */

/* Outlook labels it either way, and some gateways relabel it
 * application/octet-stream but keep the name. */
static gboolean
part_is_tnef(const char *mime_type, const char *name)
{
	return strcmp(mime_type, "application/ms-tnef") == 0 ||
	    strcmp(mime_type, "application/vnd.ms-tnef") == 0 ||
	    (name != NULL && g_ascii_strcasecmp(name, "winmail.dat") == 0);
}

/* The decoded content in memory, or NULL when unreadable or over max. */
static GBytes *
part_decode_bounded(GMimePart *part, gsize max)
{
	GMimeStream *decoded = part_decoded_stream(part);
	GByteArray *bytes;
	char buf[64 * 1024];
	ssize_t n;

	if (decoded == NULL)
		return NULL;
	bytes = g_byte_array_new();
	while ((n = g_mime_stream_read(decoded, buf, sizeof(buf))) != 0) {
		if (n < 0 || (gsize)n > max - bytes->len) {
			g_byte_array_free(bytes, TRUE);
			g_object_unref(decoded);
			return NULL;
		}
		g_byte_array_append(bytes, (const guint8 *)buf, (guint)n);
	}
	g_object_unref(decoded);
	return g_byte_array_free_to_bytes(bytes);
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
	GBytes *bytes = part_decode_bounded(part, m->limits.tnef_bytes);
	struct tnef *tnef = NULL;
	char *error = NULL;
	gboolean all;
	size_t i, n;

	if (bytes == NULL)
		return FALSE;
	/* The reason is of no use downstream: winmail.dat is kept whole. */
	if (tnef_parse(bytes, &m->limits, &tnef, &error) < 0) {
		g_free(error);
		g_bytes_unref(bytes);
		return FALSE;
	}
	g_bytes_unref(bytes);
	n = tnef_file_count(tnef);
	all = n > 0 && !tnef_has_unextracted(tnef);
	for (i = 0; i < n; i++) {
		char *long_name = g_strdup(tnef_file_long_name(tnef, i));
		char *title = g_strdup(tnef_file_title(tnef, i));
		struct attachment *att;

		if (++m->leaves > m->limits.mime_parts) {
			message_limit_hit(m, g_strdup_printf("MIME 部件超过 %u 个 "
			    "(too many MIME parts)", m->limits.mime_parts));
			all = FALSE;
			g_free(long_name);
			g_free(title);
			break;
		}
		att = g_new0(struct attachment, 1);
		att->data = g_bytes_ref(tnef_file_data(tnef, i));
		att->name = attachment_name_choose(long_name, title);
		g_free(long_name);
		g_free(title);
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
	if (strcmp(mime_type, "message/delivery-status") == 0)
		m->is_dsn = TRUE;

	filename = part_parameter(obj, "Content-Disposition", "filename",
	    &disposition);
	name = part_parameter(obj, "Content-Type", "name", NULL);
	chosen = attachment_name_choose(filename, name);
	g_free(filename);
	g_free(name);

	if (chosen == NULL) {
		gboolean attachment = disposition != NULL &&
		    strcmp(disposition, "attachment") == 0;

		if (!attachment && (strcmp(mime_type, "text/plain") == 0 ||
		    strcmp(mime_type, "text/html") == 0)) {
			m->body_seen = TRUE;
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
static void
message_walk(struct message *m, GMimeObject *obj, unsigned int depth)
{
	if (obj == NULL || m->limit_reason != NULL)
		return;
	if (depth > m->limits.mime_depth) {
		message_limit_hit(m, g_strdup_printf("MIME 层级超过 %u 层 "
		    "(MIME nesting too deep)", m->limits.mime_depth));
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

		if (inner != NULL)
			message_walk(m, g_mime_message_get_mime_part(inner),
			    depth + 1);
		return;
	}
	if (++m->leaves > m->limits.mime_parts) {
		message_limit_hit(m, g_strdup_printf("MIME 部件超过 %u 个 "
		    "(too many MIME parts)", m->limits.mime_parts));
		return;
	}
	message_leaf(m, obj);
}

static void
attachment_free(gpointer p)
{
	struct attachment *att = p;

	if (att->part != NULL)
		g_object_unref(att->part);
	if (att->data != NULL)
		g_bytes_unref(att->data);
	g_free(att->name);
	g_free(att->content_type);
	g_free(att);
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

int
message_parse_stream(GMimeStream *stream, const struct mail_limits *limits,
    struct message **msg_r, char **error_r)
{
	GMimeParser *parser;
	GMimeMessage *mime;
	struct message *m;

	message_init();
	*msg_r = NULL;
	/* Parts stay substreams of stream, read on demand: the message
	 * holds its own reference. */
	parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	g_mime_parser_set_persist_stream(parser, TRUE);
	mime = g_mime_parser_construct_message(parser, parser_options);
	g_object_unref(parser);
	if (mime == NULL) {
		*error_r = g_strdup("not a mail message");
		return -1;
	}
	if (!looks_like_mail(GMIME_OBJECT(mime))) {
		g_object_unref(mime);
		*error_r = g_strdup("no mail headers");
		return -1;
	}

	m = g_new0(struct message, 1);
	m->mime = mime;
	mail_limits_resolve(&m->limits, limits);
	m->headers = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    g_free);
	m->attachments = g_ptr_array_new_with_free_func(attachment_free);
	message_headers_load(m);
	message_envelope_load(m);

	message_dsn_detect(m);
	message_walk(m, g_mime_message_get_mime_part(mime), 0);
	*msg_r = m;
	return 0;
}

int
message_parse_data(const char *data, size_t len,
    const struct mail_limits *limits, struct message **msg_r, char **error_r)
{
	GMimeStream *stream;
	int ret;

	message_init();
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

GMimeStream *
message_attachment_stream(const struct message *m, size_t i)
{
	const struct attachment *att = attachment_at(m, i);
	GMimeStream *decoded;

	if (att->data != NULL) {
		gsize len;
		const guint8 *data = g_bytes_get_data(att->data, &len);

		/* A copy, so the stream owes nothing to the message; bounded
		 * by the limits' tnef_bytes like the winmail.dat it came
		 * from. */
		return g_mime_stream_mem_new_with_buffer((const char *)data,
		    len);
	}
	decoded = part_decoded_stream(att->part);
	/* A part without content is an empty file, not an error. */
	return decoded != NULL ? decoded : g_mime_stream_mem_new();
}
