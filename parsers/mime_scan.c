/*
 * mime_scan: see include/mime_scan.h.  The model of GMime 3's parser it
 * follows (gmime-parser.c):
 *
 *   - a header block ends at an empty line, or at a line that is a
 *     boundary of an open multipart (the part then has no content; a part
 *     with no header line at all before the boundary is no part);
 *   - a boundary line is "--" boundary, or "--" boundary "--" for the
 *     last, followed by nothing but white space, tried against the
 *     innermost open multipart first and then its parents (a parent's
 *     boundary closes the inner ones);
 *   - the last Content-Type of a block decides: multipart/anything with a
 *     boundary parameter opens a multipart (one without is all preamble),
 *     message/rfc822, rfc2822, global and news are walked into unless the
 *     first Content-Transfer-Encoding is base64, quoted-printable or
 *     uuencode, and a part of a multipart/digest without a (parsable)
 *     Content-Type is message/rfc822;
 *   - preambles and epilogues are kept in memory by GMime; part contents
 *     are not (the stream persists).
 *
 * Depth and part count are judged when a header block ends, as the walk
 * judges them when it reaches the object: the message's own part is at
 * depth 0, a multipart's children and a forwarded message's part one
 * level below.
 */
#include <string.h>

#include <glib.h>
#include <gmime/gmime.h>

#include "mail_limits.h"
#include "mime_scan.h"

/* An open multipart. */
struct mime_frame {
	char *delimiter;		/* "--" boundary */
	size_t len;
	unsigned child_depth;
	gboolean digest;
};

enum scan_state {
	SCAN_HEADERS,
	SCAN_BODY,
	SCAN_DONE,
};

enum field_kind {
	FIELD_OTHER,
	FIELD_CONTENT_TYPE,
	FIELD_ENCODING,
};

struct mime_scan {
	struct mail_limits limits;
	GMimeParserOptions *options;
	GPtrArray *frames;		/* innermost last */
	enum scan_state state;
	gboolean in_text;		/* body is a preamble or epilogue */
	uint64_t offset;		/* bytes fed */

	/* the current line: all of it in a header block, in a body only
	 * as much as the longest open boundary needs */
	GString *line;
	uint64_t line_start;
	size_t line_len, keep;
	gboolean tail_lwsp;		/* bytes beyond what is kept: blanks */

	/* the current header block */
	uint64_t entity_start;
	unsigned entity_depth;
	gboolean entity_digest;		/* a part of a multipart/digest */
	gboolean entity_top;		/* the message's own header block */
	unsigned entity_fields;
	enum field_kind field;
	GString *field_value;
	char *content_type;		/* the last */
	char *encoding;			/* the first */

	unsigned leaves, header_fields;
	size_t header_bytes, text_bytes;
	char *limit;
	uint64_t cut;
	gboolean cut_in_headers;
};

char *
mime_limit_reason(enum mime_limit limit, const struct mail_limits *l)
{
	switch (limit) {
	case MIME_LIMIT_DEPTH:
		return g_strdup_printf("MIME 层级超过 %u 层 "
		    "(MIME nesting too deep)", l->mime_depth);
	case MIME_LIMIT_PARTS:
		return g_strdup_printf("MIME 部件超过 %u 个 "
		    "(too many MIME parts)", l->mime_parts);
	case MIME_LIMIT_HEADER_BYTES:
		return g_strdup_printf("邮件头超过 %zu 字节 "
		    "(header bytes over limit)", l->header_bytes);
	case MIME_LIMIT_HEADER_FIELDS:
		return g_strdup_printf("邮件头超过 %u 个字段 "
		    "(too many header fields)", l->header_fields);
	case MIME_LIMIT_TEXT_BYTES:
		return g_strdup_printf("MIME 分段外的文字超过 %zu 字节 "
		    "(MIME preamble or epilogue too long)", l->preamble_bytes);
	}
	g_assert_not_reached();
}

static void
frame_free(gpointer p)
{
	struct mime_frame *f = p;

	g_free(f->delimiter);
	g_free(f);
}

struct mime_scan *
mime_scan_new(const struct mail_limits *limits, GMimeParserOptions *options)
{
	struct mime_scan *scan = g_new0(struct mime_scan, 1);

	mail_limits_resolve(&scan->limits, limits);
	scan->options = options;
	scan->frames = g_ptr_array_new_with_free_func(frame_free);
	scan->line = g_string_new(NULL);
	scan->field_value = g_string_new(NULL);
	scan->state = SCAN_HEADERS;
	scan->entity_top = TRUE;
	return scan;
}

void
mime_scan_free(struct mime_scan **scanp)
{
	struct mime_scan *scan = *scanp;

	if (scan == NULL)
		return;
	*scanp = NULL;
	g_ptr_array_free(scan->frames, TRUE);
	g_string_free(scan->line, TRUE);
	g_string_free(scan->field_value, TRUE);
	g_free(scan->content_type);
	g_free(scan->encoding);
	g_free(scan->limit);
	g_free(scan);
}

/* Stops the scan: bytes from cut on break the limit. */
static void
scan_hit(struct mime_scan *scan, enum mime_limit limit, uint64_t cut)
{
	scan->limit = mime_limit_reason(limit, &scan->limits);
	scan->cut = cut;
	scan->cut_in_headers = scan->state == SCAN_HEADERS && scan->entity_top;
	scan->state = SCAN_DONE;
}

static gboolean
is_lwsp(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The current line is delimiter (followed by "--" when final), then
 * nothing but white space. */
static gboolean
line_is_delimiter(const struct mime_scan *scan, const struct mime_frame *f,
    gboolean final)
{
	const char *s = scan->line->str;
	size_t kept = scan->line->len, need = f->len + (final ? 2 : 0), i;

	if (kept < need || memcmp(s, f->delimiter, f->len) != 0 ||
	    (final && memcmp(s + f->len, "--", 2) != 0))
		return FALSE;
	for (i = need; i < kept; i++) {
		if (!is_lwsp(s[i]))
			return FALSE;
	}
	return scan->tail_lwsp;
}

/* Which open multipart the current line is a boundary of (innermost
 * first), or -1; *final_r: its closing boundary. */
static int
line_boundary(const struct mime_scan *scan, gboolean *final_r)
{
	int i;

	if (scan->line->len < 2 || scan->line->str[0] != '-' ||
	    scan->line->str[1] != '-')
		return -1;
	for (i = (int)scan->frames->len - 1; i >= 0; i--) {
		const struct mime_frame *f = g_ptr_array_index(scan->frames, i);

		if (line_is_delimiter(scan, f, TRUE)) {
			*final_r = TRUE;
			return i;
		}
		if (line_is_delimiter(scan, f, FALSE)) {
			*final_r = FALSE;
			return i;
		}
	}
	return -1;
}

static void
entity_begin(struct mime_scan *scan, uint64_t start, unsigned depth,
    gboolean digest)
{
	scan->state = SCAN_HEADERS;
	scan->entity_start = start;
	scan->entity_depth = depth;
	scan->entity_digest = digest;
	scan->entity_top = FALSE;
	scan->entity_fields = 0;
	scan->field = FIELD_OTHER;
	g_clear_pointer(&scan->content_type, g_free);
	g_clear_pointer(&scan->encoding, g_free);
}

/* The field being read, if it is one the structure depends on, kept. */
static void
field_finish(struct mime_scan *scan)
{
	char *value = g_strstrip(g_strdup(scan->field_value->str));

	if (scan->field == FIELD_CONTENT_TYPE) {
		g_free(scan->content_type);
		scan->content_type = value;
	} else if (scan->field == FIELD_ENCODING && scan->encoding == NULL)
		scan->encoding = value;
	else
		g_free(value);
	scan->field = FIELD_OTHER;
	g_string_truncate(scan->field_value, 0);
}

/* A new field starts on the current line: its name decides whether its
 * value is kept (GMime allows blanks before the colon). */
static void
field_start(struct mime_scan *scan)
{
	const char *s = scan->line->str;
	const char *colon = memchr(s, ':', scan->line->len);
	size_t n;

	scan->field = FIELD_OTHER;
	if (colon == NULL)
		return;
	for (n = (size_t)(colon - s); n > 0 && (s[n - 1] == ' ' ||
	    s[n - 1] == '\t'); n--)
		;
	if (n == 12 && g_ascii_strncasecmp(s, "Content-Type", n) == 0)
		scan->field = FIELD_CONTENT_TYPE;
	else if (n == 25 &&
	    g_ascii_strncasecmp(s, "Content-Transfer-Encoding", n) == 0)
		scan->field = FIELD_ENCODING;
	else
		return;
	g_string_append_len(scan->field_value, colon + 1,
	    (gssize)(scan->line->len - (size_t)(colon + 1 - s)));
}

static gboolean
subtype_is_message(const char *subtype)
{
	return g_ascii_strcasecmp(subtype, "rfc822") == 0 ||
	    g_ascii_strcasecmp(subtype, "rfc2822") == 0 ||
	    g_ascii_strcasecmp(subtype, "global") == 0 ||
	    g_ascii_strcasecmp(subtype, "news") == 0;
}

/* GMime walks into a message/rfc822 part only when it is not encoded. */
static gboolean
encoding_hides_message(const char *encoding)
{
	switch (g_mime_content_encoding_from_string(encoding ? encoding : "")) {
	case GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE:
	case GMIME_CONTENT_ENCODING_UUENCODE:
	case GMIME_CONTENT_ENCODING_BASE64:
		return TRUE;
	default:
		return FALSE;
	}
}

enum entity_kind {
	ENTITY_LEAF,
	ENTITY_MULTIPART,
	ENTITY_MESSAGE,
};

/* What the header block just read makes of its part; *boundary_r (g_free)
 * for a multipart with one, *digest_r for a multipart/digest. */
static enum entity_kind
entity_classify(const struct mime_scan *scan, char **boundary_r,
    gboolean *digest_r)
{
	GMimeContentType *ct = NULL;
	const char *type = "text", *subtype = "plain";
	enum entity_kind kind = ENTITY_LEAF;

	*boundary_r = NULL;
	*digest_r = FALSE;
	if (scan->content_type != NULL) {
		g_autofree char *lower = g_ascii_strdown(scan->content_type, -1);

		ct = g_mime_content_type_parse(scan->options, scan->content_type);
		type = g_mime_content_type_get_media_type(ct);
		subtype = g_mime_content_type_get_media_subtype(ct);
		/* What GMime answers for a value it cannot parse; its parser
		 * then takes the part's default instead. */
		if (g_ascii_strcasecmp(type, "application") == 0 &&
		    g_ascii_strcasecmp(subtype, "octet-stream") == 0 &&
		    strstr(lower, "octet-stream") == NULL) {
			g_clear_object(&ct);
			type = "text";
			subtype = "plain";
		}
	}
	if (ct == NULL && scan->entity_digest) {
		type = "message";
		subtype = "rfc822";
	}
	if (g_ascii_strcasecmp(type, "multipart") == 0) {
		const char *b = ct != NULL ?
		    g_mime_content_type_get_parameter(ct, "boundary") : NULL;

		*boundary_r = g_strdup(b);
		*digest_r = g_ascii_strcasecmp(subtype, "digest") == 0;
		kind = ENTITY_MULTIPART;
	} else if (g_ascii_strcasecmp(type, "message") == 0 &&
	    subtype_is_message(subtype) && !encoding_hides_message(scan->encoding))
		kind = ENTITY_MESSAGE;
	if (ct != NULL)
		g_object_unref(ct);
	return kind;
}

/*
 * The header block ended (at an empty line, or at a boundary when
 * at_boundary): the part is judged against the depth and part limits and
 * what follows it set up.
 */
static void
headers_end(struct mime_scan *scan, gboolean at_boundary)
{
	enum entity_kind kind;
	gboolean digest;
	char *boundary;

	field_finish(scan);
	scan->state = SCAN_BODY;
	scan->in_text = FALSE;
	/* No header line before the boundary: GMime makes no part. */
	if (at_boundary && scan->entity_fields == 0 && !scan->entity_top)
		return;
	if (scan->entity_depth > scan->limits.mime_depth) {
		scan_hit(scan, MIME_LIMIT_DEPTH, scan->entity_start);
		return;
	}
	kind = entity_classify(scan, &boundary, &digest);
	if (kind == ENTITY_MULTIPART) {
		if (boundary != NULL) {
			struct mime_frame *f = g_new0(struct mime_frame, 1);

			f->delimiter = g_strconcat("--", boundary, NULL);
			f->len = strlen(f->delimiter);
			f->child_depth = scan->entity_depth + 1;
			f->digest = digest;
			g_ptr_array_add(scan->frames, f);
		}
		scan->in_text = TRUE;
	} else if (kind == ENTITY_MESSAGE) {
		if (!at_boundary)
			entity_begin(scan, scan->offset, scan->entity_depth + 1,
			    FALSE);
	} else if (++scan->leaves > scan->limits.mime_parts)
		scan_hit(scan, MIME_LIMIT_PARTS, scan->entity_start);
	g_free(boundary);
}

/* A boundary line of open multipart i: the ones inside it close, and a
 * new part of it starts, or it closes too and its epilogue follows. */
static void
boundary_apply(struct mime_scan *scan, int i, gboolean final)
{
	const struct mime_frame *f;

	if (final) {
		g_ptr_array_set_size(scan->frames, (guint)i);
		scan->state = SCAN_BODY;
		scan->in_text = TRUE;
		return;
	}
	g_ptr_array_set_size(scan->frames, (guint)i + 1);
	f = g_ptr_array_index(scan->frames, i);
	entity_begin(scan, scan->line_start, f->child_depth, f->digest);
}

static void
header_line_end(struct mime_scan *scan, gboolean empty)
{
	gboolean final;
	int b;

	if (empty) {
		headers_end(scan, FALSE);
		return;
	}
	if ((b = line_boundary(scan, &final)) >= 0) {
		headers_end(scan, TRUE);
		if (scan->state != SCAN_DONE)
			boundary_apply(scan, b, final);
		return;
	}
	scan->header_bytes += scan->line_len;
	if (scan->header_bytes > scan->limits.header_bytes) {
		scan_hit(scan, MIME_LIMIT_HEADER_BYTES, scan->line_start);
		return;
	}
	if (scan->line->str[0] == ' ' || scan->line->str[0] == '\t') {
		/* A folded line continues the field. */
		if (scan->field != FIELD_OTHER)
			g_string_append_len(scan->field_value, scan->line->str,
			    (gssize)scan->line->len);
		return;
	}
	if (++scan->header_fields > scan->limits.header_fields) {
		scan_hit(scan, MIME_LIMIT_HEADER_FIELDS, scan->line_start);
		return;
	}
	field_finish(scan);
	scan->entity_fields++;
	field_start(scan);
}

static void
body_line_end(struct mime_scan *scan)
{
	gboolean final;
	int b;

	if ((b = line_boundary(scan, &final)) >= 0) {
		boundary_apply(scan, b, final);
		return;
	}
	if (scan->in_text) {
		scan->text_bytes += scan->line_len;
		if (scan->text_bytes > scan->limits.preamble_bytes)
			scan_hit(scan, MIME_LIMIT_TEXT_BYTES, scan->line_start);
	}
}

static void
line_end(struct mime_scan *scan)
{
	const char *s = scan->line->str;
	gboolean empty = (scan->line_len == 1 && s[0] == '\n') ||
	    (scan->line_len == 2 && s[0] == '\r' && s[1] == '\n');

	/* Line ends are no part of a field's value (nor, being blanks, of
	 * whether a line is a boundary). */
	while (scan->line->len > 0 &&
	    (scan->line->str[scan->line->len - 1] == '\n' ||
	    scan->line->str[scan->line->len - 1] == '\r'))
		g_string_truncate(scan->line, scan->line->len - 1);
	if (scan->state == SCAN_HEADERS)
		header_line_end(scan, empty);
	else if (scan->state == SCAN_BODY)
		body_line_end(scan);
	g_string_truncate(scan->line, 0);
	scan->line_len = 0;
}

/* The longest boundary line any open multipart can have, but for
 * trailing blanks. */
static size_t
body_keep(const struct mime_scan *scan)
{
	size_t keep = 0;
	guint i;

	for (i = 0; i < scan->frames->len; i++) {
		const struct mime_frame *f = g_ptr_array_index(scan->frames, i);

		keep = MAX(keep, f->len + 2);
	}
	return keep;
}

/* n more bytes of the current line (the line end included, if any). */
static void
line_add(struct mime_scan *scan, const char *p, size_t n)
{
	size_t take, i;

	if (scan->line_len == 0) {
		scan->line_start = scan->offset;
		scan->tail_lwsp = TRUE;
		scan->keep = scan->state == SCAN_HEADERS ? G_MAXSIZE :
		    body_keep(scan);
	}
	take = MIN(n, scan->keep - scan->line->len);
	g_string_append_len(scan->line, p, (gssize)take);
	for (i = take; i < n && scan->tail_lwsp; i++)
		scan->tail_lwsp = is_lwsp(p[i]);
	scan->line_len += n;
	scan->offset += n;
	/* A line alone over a limit is judged before its end: it may never
	 * come. */
	if (scan->state == SCAN_HEADERS &&
	    scan->header_bytes + scan->line_len > scan->limits.header_bytes)
		scan_hit(scan, MIME_LIMIT_HEADER_BYTES, scan->line_start);
	else if (scan->state == SCAN_BODY && scan->in_text &&
	    scan->line_len > scan->keep &&
	    scan->text_bytes + scan->line_len > scan->limits.preamble_bytes)
		scan_hit(scan, MIME_LIMIT_TEXT_BYTES, scan->line_start);
}

int
mime_scan_feed(struct mime_scan *scan, const char *data, size_t len)
{
	const char *p = data, *end = data + len;

	while (p < end && scan->state != SCAN_DONE) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl != NULL ? nl + 1 : end) - p);

		line_add(scan, p, n);
		p += n;
		if (nl != NULL && scan->state != SCAN_DONE)
			line_end(scan);
	}
	return scan->state == SCAN_DONE ? 1 : 0;
}

void
mime_scan_finish(struct mime_scan *scan)
{
	if (scan->state != SCAN_DONE && scan->line_len > 0)
		line_end(scan);
	/* A header block cut short by the end of the message is judged
	 * like a complete one. */
	if (scan->state == SCAN_HEADERS)
		headers_end(scan, FALSE);
}

const char *
mime_scan_limit(const struct mime_scan *scan)
{
	return scan->limit;
}

uint64_t
mime_scan_cut(const struct mime_scan *scan)
{
	return scan->cut;
}

int
mime_scan_cut_in_headers(const struct mime_scan *scan)
{
	return scan->cut_in_headers ? 1 : 0;
}

unsigned
mime_scan_leaves(const struct mime_scan *scan)
{
	return scan->leaves;
}
