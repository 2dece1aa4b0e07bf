/* tnef: see include/tnef.h.  Format: [MS-OXTNEF]. */
#include <stdio.h>		/* ytnef.h needs FILE */
#include <string.h>

#include <glib.h>
#include <ytnef.h>

#include "mail_limits.h"
#include "tnef.h"

/* First bytes of every TNEF stream, little-endian. */
#define TNEF_SIGNATURE		0x223E9F78u
/* Signature and legacy key. */
#define TNEF_PREAMBLE_BYTES	6
/* Attribute: level byte, id, length; data; 16-bit checksum. */
#define TNEF_HEADER_BYTES	9
#define TNEF_CHECKSUM_BYTES	2
#define TNEF_LEVEL_MESSAGE	1
#define TNEF_LEVEL_ATTACHMENT	2
/* PR_ATTACH_METHOD values ([MS-OXCMSG] 2.2.2.9). */
#define TNEF_ATTACH_BY_VALUE	1
/* An attachment's rendering data or MAPI properties bigger than this are
 * not read (the attachment is then not listed): libytnef's own cap on an
 * attribute, which it reports on standard output, where `subgate ingest
 * --json` writes its answer; and one attachment's worth is all that is
 * ever held. */
#define TNEF_PROPS_BYTES	(512 * 1024)
/* Bytes of a legacy title kept (names are cut to fewer still). */
#define TNEF_TITLE_BYTES	4096

struct tnef_file {
	char *long_name;		/* UTF-8, or NULL */
	GByteArray *long_name8;		/* 8-bit, decoded at the end */
	GByteArray *title8;		/* 8-bit, decoded at the end */
	char *title;
	guint64 offset, size;
};

struct tnef {
	GPtrArray *files;		/* struct tnef_file * */
	gboolean unextracted;
};

/* One attachment's attributes as they arrive: rendering data and MAPI
 * properties kept whole for libytnef (NULL: absent or too big), the
 * title's first bytes, the data's place in the stream. */
struct tnef_group {
	GByteArray *renddata, *props, *title;
	gboolean skip;			/* not to be listed: too big, or
					   beyond the limits' mime_parts */
	gboolean has_data;
	guint64 data_off, data_len;
};

enum reader_state {
	READ_PREAMBLE,
	READ_HEADER,
	READ_DATA,
	READ_CHECKSUM,
	READ_FAILED,
};

struct tnef_reader {
	struct mail_limits limits;
	struct tnef *tnef;
	enum reader_state state;
	guint64 offset;			/* bytes fed */
	guint8 buf[TNEF_HEADER_BYTES];	/* preamble, header or checksum */
	size_t have;
	guint8 preamble[TNEF_PREAMBLE_BYTES];
	/* the attribute being read */
	guint8 level;
	guint32 id, len, sum;
	guint64 attr_off, data_off, left;
	GByteArray *keep;		/* its data, when it is one we read */
	size_t keep_max;
	/* the attachment being read, if any */
	struct tnef_group *group;
	unsigned groups;
	guint32 codepage;
};

static guint32
le32(const guint8 *p)
{
	return (guint32)p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 |
	    (guint32)p[3] << 24;
}

static const char *
codepage_charset(guint32 codepage, char buf[16])
{
	switch (codepage) {
	case 0:
	case 936:		/* GBK, what Chinese Windows calls ANSI */
	case 20936:		/* GB2312 */
	case 54936:		/* GB18030 */
		return "GB18030";
	case 950:
		return "BIG5";
	case 65001:
		return "UTF-8";
	default:
		g_snprintf(buf, 16, "CP%u", codepage);
		return buf;
	}
}

/* An 8-bit string (NUL-terminated or not) to UTF-8; NULL when empty. */
static char *
string8_decode(const guint8 *s, gsize len, guint32 codepage)
{
	const guint8 *nul = memchr(s, '\0', len);
	const char *charsets[3];
	char buf[16];
	size_t i;

	if (nul != NULL)
		len = (gsize)(nul - s);
	if (len == 0)
		return NULL;
	if (g_utf8_validate((const char *)s, (gssize)len, NULL))
		return g_strndup((const char *)s, len);
	charsets[0] = codepage_charset(codepage, buf);
	charsets[1] = "GB18030";
	charsets[2] = "ISO-8859-1";
	for (i = 0; i < G_N_ELEMENTS(charsets); i++) {
		char *out = g_convert((const char *)s, (gssize)len, "UTF-8",
		    charsets[i], NULL, NULL, NULL);

		if (out != NULL)
			return out;
	}
	return g_utf8_make_valid((const char *)s, (gssize)len);
}

/*
 * libytnef converts PT_UNICODE values itself, one UTF-16 unit at a time:
 * a character outside the BMP (CJK Extension B, emoji) arrives as two
 * encoded surrogates, which is not UTF-8.  Read the units back and convert
 * them properly.  Its buffer holds at most 3 bytes per 2 input bytes and
 * is NUL-terminated.
 */
static char *
unicode_decode(const guint8 *s, gsize utf16_len)
{
	gsize max = 3 * utf16_len / 2 + 1, len = strnlen((const char *)s, max);
	gunichar2 *units = g_new(gunichar2, len + 1);
	gsize n = 0, i = 0;
	char *out = NULL;

	while (i < len) {
		guint8 b = s[i];

		if (b < 0x80) {
			units[n++] = b;
			i++;
		} else if ((b & 0xE0) == 0xC0 && i + 1 < len &&
		    (s[i + 1] & 0xC0) == 0x80) {
			units[n++] = (gunichar2)((b & 0x1F) << 6 | (s[i + 1] & 0x3F));
			i += 2;
		} else if ((b & 0xF0) == 0xE0 && i + 2 < len &&
		    (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80) {
			units[n++] = (gunichar2)((b & 0x0F) << 12 |
			    (s[i + 1] & 0x3F) << 6 | (s[i + 2] & 0x3F));
			i += 3;
		} else
			break;
	}
	if (i == len && n > 0)
		out = g_utf16_to_utf8(units, (glong)n, NULL, NULL, NULL);
	g_free(units);
	if (out == NULL && len > 0)
		out = g_utf8_make_valid((const char *)s, (gssize)len);
	return out;
}

static variableLength *
mapi_find(MAPIProps *props, unsigned int type, unsigned int id)
{
	variableLength *v = MAPIFindProperty(props, PROP_TAG(type, id));

	if (v == MAPI_UNDEFINED || v == NULL || v->data == NULL || v->size <= 0)
		return NULL;
	return v;
}

static void
tnef_file_free(gpointer p)
{
	struct tnef_file *file = p;

	g_free(file->long_name);
	if (file->long_name8 != NULL)
		g_byte_array_free(file->long_name8, TRUE);
	if (file->title8 != NULL)
		g_byte_array_free(file->title8, TRUE);
	g_free(file->title);
	g_free(file);
}

static void
group_free(struct tnef_group *g)
{
	if (g == NULL)
		return;
	if (g->renddata != NULL)
		g_byte_array_free(g->renddata, TRUE);
	if (g->props != NULL)
		g_byte_array_free(g->props, TRUE);
	if (g->title != NULL)
		g_byte_array_free(g->title, TRUE);
	g_free(g);
}

/* One attribute, whole (header, data, checksum), appended to a stream for
 * libytnef. */
static void
stream_append(GByteArray *stream, guint32 id, const GByteArray *data)
{
	guint8 header[TNEF_HEADER_BYTES], sum[TNEF_CHECKSUM_BYTES];
	guint32 total = 0;
	guint i;

	header[0] = TNEF_LEVEL_ATTACHMENT;
	for (i = 0; i < 4; i++) {
		header[1 + i] = (guint8)(id >> (8 * i));
		header[5 + i] = (guint8)(data->len >> (8 * i));
	}
	for (i = 0; i < data->len; i++)
		total += data->data[i];
	sum[0] = (guint8)total;
	sum[1] = (guint8)(total >> 8);
	g_byte_array_append(stream, header, sizeof(header));
	g_byte_array_append(stream, data->data, data->len);
	g_byte_array_append(stream, sum, sizeof(sum));
}

static void (*tnef_guard_begin)(void);
static void (*tnef_guard_end)(void);

void
tnef_set_library_guard(void (*begin)(void), void (*end)(void))
{
	tnef_guard_begin = begin;
	tnef_guard_end = end;
}

/*
 * The attachment's MAPI properties, through libytnef: 0 a file (its long
 * name, if any, in *file), <0 not one (another attach method, or
 * properties libytnef cannot read).  libytnef gets a stream of just this
 * attachment's rendering data (which opens an attachment for it) and
 * properties, nothing else: libytnef 2.0 caps each attribute it handles
 * (100 bytes for a subject or title, 10 KB for an icon, 100 KB for a
 * body, 512 KB for a property) and one breach fails the whole stream, so a
 * long Chinese subject or a big RTF body would cost every attachment.
 * The title and the data are plain attributes read here.
 */
static int
group_props_read(const guint8 preamble[TNEF_PREAMBLE_BYTES],
    const struct tnef_group *g, struct tnef_file *file)
{
	static const GByteArray none = { NULL, 0 };
	GByteArray *stream = g_byte_array_new();
	TNEFStruct parsed;
	Attachment *att;
	variableLength *v;
	int ret;

	g_byte_array_append(stream, preamble, TNEF_PREAMBLE_BYTES);
	stream_append(stream, attAttachRenddata,
	    g->renddata != NULL ? g->renddata : &none);
	stream_append(stream, attAttachment, g->props);
	memset(&parsed, 0, sizeof(parsed));
	TNEFInitialize(&parsed);
	parsed.Debug = 0;
	if (tnef_guard_begin != NULL)
		tnef_guard_begin();
	ret = TNEFParseMemory(stream->data, (long)stream->len, &parsed);
	if (tnef_guard_end != NULL)
		tnef_guard_end();
	att = parsed.starting_attach.next;
	if (ret < 0 || att == NULL)
		ret = -1;
	else if ((v = mapi_find(&att->MAPI, PT_LONG, PR_ATTACH_METHOD)) !=
	    NULL && v->size >= 4 && le32(v->data) != TNEF_ATTACH_BY_VALUE)
		ret = -1;
	else if ((v = mapi_find(&att->MAPI, PT_UNICODE,
	    PR_ATTACH_LONG_FILENAME)) != NULL)
		file->long_name = unicode_decode(v->data, (gsize)v->size);
	else if ((v = mapi_find(&att->MAPI, PT_STRING8,
	    PR_ATTACH_LONG_FILENAME)) != NULL) {
		file->long_name8 = g_byte_array_new();
		g_byte_array_append(file->long_name8, v->data, (guint)v->size);
	}
	TNEFFree(&parsed);
	g_byte_array_free(stream, TRUE);
	return ret < 0 ? -1 : 0;
}

/* The attachment read so far to a file, or a note that it is not one. */
static void
group_finish(struct tnef_reader *r)
{
	struct tnef_group *g = r->group;
	struct tnef_file *file;

	if (g == NULL)
		return;
	r->group = NULL;
	if (!g->has_data || g->skip) {
		r->tnef->unextracted = TRUE;
		group_free(g);
		return;
	}
	file = g_new0(struct tnef_file, 1);
	if (g->props != NULL && group_props_read(r->preamble, g, file) < 0) {
		r->tnef->unextracted = TRUE;
		tnef_file_free(file);
		group_free(g);
		return;
	}
	file->title8 = g_steal_pointer(&g->title);
	file->offset = g->data_off;
	file->size = g->data_len;
	g_ptr_array_add(r->tnef->files, file);
	group_free(g);
}

struct tnef_reader *
tnef_reader_new(const struct mail_limits *limits)
{
	struct tnef_reader *r = g_new0(struct tnef_reader, 1);

	mail_limits_resolve(&r->limits, limits);
	r->tnef = g_new0(struct tnef, 1);
	r->tnef->files = g_ptr_array_new_with_free_func(tnef_file_free);
	r->state = READ_PREAMBLE;
	return r;
}

void
tnef_reader_free(struct tnef_reader **rp)
{
	struct tnef_reader *r = *rp;

	if (r == NULL)
		return;
	*rp = NULL;
	group_free(r->group);
	if (r->keep != NULL)
		g_byte_array_free(r->keep, TRUE);
	tnef_free(&r->tnef);
	g_free(r);
}

static int
reader_fail(struct tnef_reader *r, char **error_r, char *error)
{
	r->state = READ_FAILED;
	*error_r = error;
	return -1;
}

/* An attribute's header is in: what of its data is kept, and where. */
static int
attribute_begin(struct tnef_reader *r, char **error_r)
{
	r->level = r->buf[0];
	r->id = le32(r->buf + 1);
	r->len = le32(r->buf + 5);
	r->data_off = r->attr_off + TNEF_HEADER_BYTES;
	r->left = r->len;
	r->sum = 0;
	r->keep_max = 0;
	if (r->level != TNEF_LEVEL_MESSAGE && r->level != TNEF_LEVEL_ATTACHMENT)
		return reader_fail(r, error_r, g_strdup_printf("TNEF attribute "
		    "level %u at byte %llu", r->level,
		    (unsigned long long)r->attr_off));
	if (r->level == TNEF_LEVEL_MESSAGE) {
		if (r->id == attOemCodepage)
			r->keep_max = 4;
	} else if (r->id == attAttachRenddata) {
		group_finish(r);
		r->group = g_new0(struct tnef_group, 1);
		/* Files beyond the limits' mime_parts are not listed. */
		if (++r->groups > r->limits.mime_parts)
			r->group->skip = TRUE;
		else if (r->len <= TNEF_PROPS_BYTES)
			r->keep_max = r->len;
		else
			r->group->skip = TRUE;
	} else if (r->group == NULL) {
		/* Attachment attributes before any attachment. */
		r->tnef->unextracted = TRUE;
	} else if (r->id == attAttachment) {
		if (r->len <= TNEF_PROPS_BYTES && !r->group->skip)
			r->keep_max = r->len;
		else
			r->group->skip = TRUE;
	} else if (r->id == attAttachTitle)
		r->keep_max = MIN(r->len, TNEF_TITLE_BYTES);
	else if (r->id == attAttachData) {
		r->group->has_data = TRUE;
		r->group->data_off = r->data_off;
		r->group->data_len = r->len;
	}
	if (r->keep_max > 0)
		r->keep = g_byte_array_sized_new((guint)r->keep_max);
	r->state = r->len > 0 ? READ_DATA : READ_CHECKSUM;
	return 0;
}

/* An attribute's checksum is in and matched: what was kept, used. */
static void
attribute_end(struct tnef_reader *r)
{
	GByteArray *kept = g_steal_pointer(&r->keep);

	if (kept == NULL)
		return;
	if (r->level == TNEF_LEVEL_MESSAGE) {
		if (kept->len >= 4)
			r->codepage = le32(kept->data);
		g_byte_array_free(kept, TRUE);
	} else if (r->id == attAttachRenddata)
		r->group->renddata = kept;
	else if (r->id == attAttachment) {
		if (r->group->props != NULL)
			g_byte_array_free(r->group->props, TRUE);
		r->group->props = kept;
	} else if (r->id == attAttachTitle) {
		if (r->group->title != NULL)
			g_byte_array_free(r->group->title, TRUE);
		r->group->title = kept;
	} else
		g_byte_array_free(kept, TRUE);
}

/* Up to n bytes into buf, toward want; the number taken. */
static size_t
buf_fill(struct tnef_reader *r, const guint8 *p, size_t n, size_t want)
{
	size_t take = MIN(n, want - r->have);

	memcpy(r->buf + r->have, p, take);
	r->have += take;
	return take;
}

/* Some bytes of the current state; the number used. */
static size_t
reader_step(struct tnef_reader *r, const guint8 *p, size_t n,
    char **error_r)
{
	size_t used, i;

	switch (r->state) {
	case READ_PREAMBLE:
		used = buf_fill(r, p, n, TNEF_PREAMBLE_BYTES);
		if (r->have < TNEF_PREAMBLE_BYTES)
			return used;
		if (le32(r->buf) != TNEF_SIGNATURE) {
			reader_fail(r, error_r,
			    g_strdup("not a TNEF stream (no signature)"));
			return used;
		}
		memcpy(r->preamble, r->buf, TNEF_PREAMBLE_BYTES);
		r->have = 0;
		r->attr_off = TNEF_PREAMBLE_BYTES;
		r->state = READ_HEADER;
		return used;
	case READ_HEADER:
		used = buf_fill(r, p, n, TNEF_HEADER_BYTES);
		if (r->have == TNEF_HEADER_BYTES) {
			r->have = 0;
			attribute_begin(r, error_r);
		}
		return used;
	case READ_DATA:
		used = (size_t)MIN((guint64)n, r->left);
		for (i = 0; i < used; i++)
			r->sum += p[i];
		if (r->keep != NULL && r->keep->len < r->keep_max)
			g_byte_array_append(r->keep, p, (guint)MIN(used,
			    r->keep_max - r->keep->len));
		r->left -= used;
		if (r->left == 0)
			r->state = READ_CHECKSUM;
		return used;
	case READ_CHECKSUM:
		used = buf_fill(r, p, n, TNEF_CHECKSUM_BYTES);
		if (r->have < TNEF_CHECKSUM_BYTES)
			return used;
		r->have = 0;
		if ((r->sum & 0xFFFF) != ((guint32)r->buf[0] |
		    (guint32)r->buf[1] << 8)) {
			reader_fail(r, error_r, g_strdup_printf("TNEF checksum "
			    "mismatch in attribute 0x%08x at byte %llu", r->id,
			    (unsigned long long)r->attr_off));
			return used;
		}
		attribute_end(r);
		r->attr_off = r->data_off + r->len + TNEF_CHECKSUM_BYTES;
		r->state = READ_HEADER;
		return used;
	case READ_FAILED:
		break;
	}
	return n;
}

int
tnef_reader_feed(struct tnef_reader *r, const void *data, size_t len,
    char **error_r)
{
	const guint8 *p = data;

	if (r->state == READ_FAILED) {
		*error_r = g_strdup("TNEF stream already refused");
		return -1;
	}
	if (len > r->limits.tnef_bytes - MIN(r->offset, r->limits.tnef_bytes))
		return reader_fail(r, error_r, g_strdup_printf("TNEF of more "
		    "than %zu bytes over the limit", r->limits.tnef_bytes));
	r->offset += len;
	while (len > 0 && r->state != READ_FAILED) {
		size_t used = reader_step(r, p, len, error_r);

		p += used;
		len -= used;
	}
	return r->state == READ_FAILED ? -1 : 0;
}

int
tnef_reader_finish(struct tnef_reader **rp, struct tnef **tnef_r,
    char **error_r)
{
	struct tnef_reader *r = *rp;
	struct tnef *t;
	guint i;

	*tnef_r = NULL;
	if (r->state == READ_FAILED) {
		*error_r = g_strdup("TNEF stream refused");
		tnef_reader_free(rp);
		return -1;
	}
	if (r->state != READ_HEADER || r->have != 0) {
		*error_r = r->state == READ_PREAMBLE ?
		    g_strdup("not a TNEF stream (no signature)") :
		    g_strdup_printf("TNEF truncated at byte %llu",
		    (unsigned long long)r->offset);
		tnef_reader_free(rp);
		return -1;
	}
	group_finish(r);
	t = g_steal_pointer(&r->tnef);
	/* 8-bit names in the code page the stream declared, wherever it
	 * declared it. */
	for (i = 0; i < t->files->len; i++) {
		struct tnef_file *file = g_ptr_array_index(t->files, i);

		if (file->long_name8 != NULL)
			file->long_name = string8_decode(file->long_name8->data,
			    file->long_name8->len, r->codepage);
		if (file->title8 != NULL)
			file->title = string8_decode(file->title8->data,
			    file->title8->len, r->codepage);
	}
	tnef_reader_free(rp);
	*tnef_r = t;
	return 0;
}

int
tnef_parse(GBytes *data, const struct mail_limits *limits,
    struct tnef **tnef_r, char **error_r)
{
	struct tnef_reader *r = tnef_reader_new(limits);
	gsize size;
	const guint8 *base = g_bytes_get_data(data, &size);

	*tnef_r = NULL;
	if (tnef_reader_feed(r, base, size, error_r) < 0) {
		tnef_reader_free(&r);
		return -1;
	}
	return tnef_reader_finish(&r, tnef_r, error_r);
}

void
tnef_free(struct tnef **tnef)
{
	struct tnef *t = *tnef;

	if (t == NULL)
		return;
	*tnef = NULL;
	g_ptr_array_free(t->files, TRUE);
	g_free(t);
}

size_t
tnef_file_count(const struct tnef *tnef)
{
	return tnef->files->len;
}

static const struct tnef_file *
tnef_file_at(const struct tnef *tnef, size_t i)
{
	g_assert(i < tnef->files->len);
	return g_ptr_array_index(tnef->files, i);
}

const char *
tnef_file_long_name(const struct tnef *tnef, size_t i)
{
	return tnef_file_at(tnef, i)->long_name;
}

const char *
tnef_file_title(const struct tnef *tnef, size_t i)
{
	return tnef_file_at(tnef, i)->title;
}

guint64
tnef_file_offset(const struct tnef *tnef, size_t i)
{
	return tnef_file_at(tnef, i)->offset;
}

guint64
tnef_file_size(const struct tnef *tnef, size_t i)
{
	return tnef_file_at(tnef, i)->size;
}

int
tnef_has_unextracted(const struct tnef *tnef)
{
	return tnef->unextracted ? 1 : 0;
}
