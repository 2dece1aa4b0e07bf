/*
 * message_header: header text of Chinese mail decoded the way its senders'
 * software writes it, and the top-level headers of a message loaded.
 * RFC 2047 words anywhere (also inside quoted name="..." parameters),
 * raw 8-bit bytes tried as UTF-8, GB18030, Big5 and ISO-8859-1, the gb2312
 * family read as GB18030, and a multibyte character split across two
 * encoded words joined before it is converted: see include/message.h.
 *
 * Separate from the MIME walk because every gap here is a provider's
 * quirk worked around GMime, found and fixed one mail at a time, and has
 * nothing to do with which parts are attachments; the walk asks this file
 * for a decoded parameter and gets one.  See message-private.h.
 */
#include <string.h>

#include "message-private.h"
#include "mime_scan.h"

/* Longest charset label we accept inside an encoded word. */
#define CHARSET_LABEL_MAX	64

/* ------------------------------------------------------------------ */
/* GMime, set up once */

static GMimeParserOptions *parser_options;

/* Loose everywhere GMime lets us be, because senders' software is; the
 * fallback charsets are those raw 8-bit header bytes are tried in, in
 * order (ISO-8859-1 reads any byte). */
static gpointer
gmime_init_once(gpointer unused)
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

GMimeParserOptions *
message_gmime_options(void)
{
	static GOnce once = G_ONCE_INIT;

	g_once(&once, gmime_init_once, NULL);
	return parser_options;
}

/* ------------------------------------------------------------------ */
/* charset labels and encoded words */

/*
 * Charset labels.  GMime maps gb2312 to iconv's GBK, which loses the
 * four-byte GB18030 sequences senders' software emits under either label;
 * GB18030 is a superset of both, so every label of the family reads as it.
 */
const char *
message_charset_normalize(const char *label)
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
		norm = message_charset_normalize(label);
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
			if (g_ascii_strcasecmp(message_charset_normalize(next_label),
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
			g_string_append(out, message_charset_normalize(buf));
		} else
			g_string_append_len(out, label, (gssize)len);
		p = q;
	}
	return g_string_free(out, FALSE);
}

/* ------------------------------------------------------------------ */
/* unstructured text */

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
char *
message_text_clean(const char *s, size_t max)
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

/*
 * UTF-8 with a few damaged bytes (a webmail that cut a subject in the
 * middle of a character, a relay that mangled one byte): at least two
 * well-formed multibyte characters, and at most one bad byte for every two
 * of them.  GBK and Big5 text makes almost no well-formed UTF-8 sequences
 * and many bad bytes, so it is not mistaken for this.
 */
static gboolean
header_mostly_utf8(const char *s)
{
	unsigned good = 0, bad = 0;
	const char *p = s;

	while (*p != '\0') {
		gunichar c;

		if ((unsigned char)*p < 0x80) {
			p++;
			continue;
		}
		c = g_utf8_get_char_validated(p, -1);
		if (c == (gunichar)-1 || c == (gunichar)-2) {
			bad++;
			p++;
		} else {
			good++;
			p = g_utf8_next_char(p);
		}
	}
	return good >= 2 && bad * 2 <= good;
}

/* Such text keeps its good characters; only the bad bytes become
 * U+FFFD.  Anything else is left for the fallback charsets. */
static char *
header_repair_utf8(const char *s)
{
	if (g_utf8_validate(s, -1, NULL) || !header_mostly_utf8(s))
		return g_strdup(s);
	return g_utf8_make_valid(s, -1);
}

/* Decode unstructured header text with the gaps above filled. */
static char *
header_decode_text(const char *raw, size_t max)
{
	char *folded = header_unfold(raw);
	/* Else a subject with one bad byte would be read, whole, as
	 * ISO-8859-1, the last fallback charset. */
	char *unfolded = header_repair_utf8(folded);
	char *normalized = rfc2047_normalize(unfolded);
	char *decoded = g_mime_utils_header_decode_text(parser_options,
	    normalized);
	char *clean = message_text_clean(decoded != NULL ? decoded : "", max);

	g_free(folded);
	g_free(unfolded);
	g_free(normalized);
	g_free(decoded);
	return clean;
}

/* Raw 8-bit header text to UTF-8, trying the fallback charsets in order
 * (ISO-8859-1 always succeeds). */
static char *
header_8bit_to_utf8(const char *raw)
{
	const char **charsets = g_mime_parser_options_get_fallback_charsets(
	    parser_options);
	size_t i;

	if (header_mostly_utf8(raw))
		return g_utf8_make_valid(raw, -1);
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

/* ------------------------------------------------------------------ */
/* addresses */

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

		*addr_r = message_text_clean(internet_address_mailbox_get_addr(mailbox),
		    LIMIT_SUBJECT_BYTES);
		if (name_r != NULL)
			*name_r = message_text_clean(name != NULL ? name : "",
			    LIMIT_SUBJECT_BYTES);
		ret = 1;
	}
	if (list != NULL)
		g_object_unref(list);
	g_free(unfolded);
	g_free(normalized);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Content-Type and Content-Disposition parameters */

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

/* Decoded value of a Content-Type or Content-Disposition parameter. */
char *
message_part_param(GMimeObject *part, const char *header, const char *param,
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

/* ------------------------------------------------------------------ */
/* the top-level headers */

void
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
		/* Flagged, but read on: mime_scan already kept GMime from
		 * holding more than the limit (and the fields past it that
		 * name the sender, which must be read). */
		total += strlen(name) + strlen(raw) + 1;
		if (total > m->limits.header_bytes && m->limit_reason == NULL)
			message_limit_hit(m, MIME_LIMIT_HEADER_BYTES);
		key = g_ascii_strdown(name, -1);
		if (g_hash_table_contains(m->headers, key)) {
			g_free(key);
			continue;
		}
		g_hash_table_insert(m->headers, key, header_unfold(raw));
	}
}

void
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
	m->message_id = message_text_clean(id != NULL ? id : "", LIMIT_SUBJECT_BYTES);
}
