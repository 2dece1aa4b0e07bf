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

struct tnef_file {
	char *long_name;
	char *title;
	GBytes *data;
};

struct tnef {
	GBytes *bytes;
	GPtrArray *files;		/* struct tnef_file * */
	gboolean unextracted;
};

/* One attachment's attributes, as offsets into the stream: a whole
 * attribute (header to checksum) for those handed to libytnef, the data
 * only for those read here.  len 0 with off 0: absent. */
struct tnef_group {
	gsize renddata_off, renddata_len;
	gsize props_off, props_len;
	gsize title_off, title_len;
	gsize data_off, data_len;
	gboolean has_data;
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
	g_free(file->title);
	g_bytes_unref(file->data);
	g_free(file);
}

/* Attribute at off, whole, appended to a stream for libytnef. */
static void
stream_append(GByteArray *stream, const guint8 *base, gsize off, gsize len)
{
	g_byte_array_append(stream, base + off,
	    (guint)(TNEF_HEADER_BYTES + len + TNEF_CHECKSUM_BYTES));
}

/*
 * One attachment to a file, or a note that it is not one.  libytnef gets a
 * stream of just this attachment's rendering data (which opens an
 * attachment for it) and MAPI properties, nothing else: libytnef 2.0 caps
 * each attribute it handles (100 bytes for a subject or title, 10 KB for
 * an icon, 100 KB for a body, 512 KB for a property) and one breach fails
 * the whole stream, so a long Chinese subject or a big RTF body would cost
 * every attachment.  It would also copy the data twice.  The title and the
 * data are plain attributes whose framing and checksums tnef_frame()
 * already checked: they are read here.
 */
static void
tnef_group_finish(struct tnef *t, const guint8 *base,
    const struct tnef_group *g, guint32 codepage)
{
	struct tnef_file *file;
	char *long_name = NULL;

	if (!g->has_data) {
		t->unextracted = TRUE;
		return;
	}
	if (g->props_len > 0) {
		GByteArray *stream = g_byte_array_new();
		TNEFStruct parsed;
		Attachment *att;
		variableLength *v;
		int ret;

		g_byte_array_append(stream, base, TNEF_PREAMBLE_BYTES);
		stream_append(stream, base, g->renddata_off, g->renddata_len);
		stream_append(stream, base, g->props_off, g->props_len);
		memset(&parsed, 0, sizeof(parsed));
		TNEFInitialize(&parsed);
		parsed.Debug = 0;
		ret = TNEFParseMemory(stream->data, (long)stream->len, &parsed);
		att = parsed.starting_attach.next;
		if (ret < 0 || att == NULL) {
			t->unextracted = TRUE;
			TNEFFree(&parsed);
			g_byte_array_free(stream, TRUE);
			return;
		}
		v = mapi_find(&att->MAPI, PT_LONG, PR_ATTACH_METHOD);
		if (v != NULL && v->size >= 4 &&
		    le32(v->data) != TNEF_ATTACH_BY_VALUE) {
			t->unextracted = TRUE;
			TNEFFree(&parsed);
			g_byte_array_free(stream, TRUE);
			return;
		}
		if ((v = mapi_find(&att->MAPI, PT_UNICODE,
		    PR_ATTACH_LONG_FILENAME)) != NULL)
			long_name = unicode_decode(v->data, (gsize)v->size);
		else if ((v = mapi_find(&att->MAPI, PT_STRING8,
		    PR_ATTACH_LONG_FILENAME)) != NULL)
			long_name = string8_decode(v->data, (gsize)v->size,
			    codepage);
		TNEFFree(&parsed);
		g_byte_array_free(stream, TRUE);
	}
	file = g_new0(struct tnef_file, 1);
	file->long_name = long_name;
	if (g->title_len > 0)
		file->title = string8_decode(base + g->title_off, g->title_len,
		    codepage);
	file->data = g_bytes_new_from_bytes(t->bytes, g->data_off, g->data_len);
	g_ptr_array_add(t->files, file);
}

/*
 * Check the framing end to end and group the attachment attributes; an
 * attachment starts at its attAttachRenddata.  Nothing is decoded until
 * the whole stream has proved intact.
 */
static int
tnef_frame(const guint8 *base, gsize size, GArray *groups,
    guint32 *codepage_r, gboolean *stray_r, char **error_r)
{
	struct tnef_group *g = NULL;
	gsize off = TNEF_PREAMBLE_BYTES;

	if (size < TNEF_PREAMBLE_BYTES || le32(base) != TNEF_SIGNATURE) {
		*error_r = g_strdup("not a TNEF stream (no signature)");
		return -1;
	}
	while (off < size) {
		guint8 level;
		guint32 id, len, sum = 0, want;
		gsize data_off, i;

		if (size - off < TNEF_HEADER_BYTES) {
			*error_r = g_strdup_printf("TNEF truncated at byte %zu",
			    off);
			return -1;
		}
		level = base[off];
		id = le32(base + off + 1);
		len = le32(base + off + 5);
		data_off = off + TNEF_HEADER_BYTES;
		if (level != TNEF_LEVEL_MESSAGE && level != TNEF_LEVEL_ATTACHMENT) {
			*error_r = g_strdup_printf("TNEF attribute level %u at "
			    "byte %zu", level, off);
			return -1;
		}
		if (len > size - data_off ||
		    size - data_off - len < TNEF_CHECKSUM_BYTES) {
			*error_r = g_strdup_printf("TNEF truncated in attribute "
			    "0x%08x at byte %zu", id, off);
			return -1;
		}
		for (i = 0; i < len; i++)
			sum += base[data_off + i];
		want = (guint32)base[data_off + len] |
		    (guint32)base[data_off + len + 1] << 8;
		if ((sum & 0xFFFF) != want) {
			*error_r = g_strdup_printf("TNEF checksum mismatch in "
			    "attribute 0x%08x at byte %zu", id, off);
			return -1;
		}

		if (level == TNEF_LEVEL_MESSAGE) {
			if (id == attOemCodepage && len >= 4)
				*codepage_r = le32(base + data_off);
		} else if (id == attAttachRenddata) {
			struct tnef_group empty = { 0 };

			g_array_append_val(groups, empty);
			g = &g_array_index(groups, struct tnef_group,
			    groups->len - 1);
			g->renddata_off = off;
			g->renddata_len = len;
		} else if (g == NULL) {
			/* Attachment attributes before any attachment. */
			*stray_r = TRUE;
		} else if (id == attAttachment) {
			g->props_off = off;
			g->props_len = len;
		} else if (id == attAttachTitle) {
			g->title_off = data_off;
			g->title_len = len;
		} else if (id == attAttachData) {
			g->data_off = data_off;
			g->data_len = len;
			g->has_data = TRUE;
		}
		off = data_off + len + TNEF_CHECKSUM_BYTES;
	}
	return 0;
}

int
tnef_parse(GBytes *data, const struct mail_limits *limits_in,
    struct tnef **tnef_r, char **error_r)
{
	struct mail_limits limits;
	gsize size;
	const guint8 *base = g_bytes_get_data(data, &size);
	GArray *groups;
	guint32 codepage = 0;
	gboolean stray = FALSE;
	struct tnef *t;
	guint i;

	*tnef_r = NULL;
	mail_limits_resolve(&limits, limits_in);
	if (size > limits.tnef_bytes) {
		*error_r = g_strdup_printf("TNEF of %zu bytes over the limit",
		    size);
		return -1;
	}
	groups = g_array_new(FALSE, TRUE, sizeof(struct tnef_group));
	if (tnef_frame(base, size, groups, &codepage, &stray, error_r) < 0) {
		g_array_free(groups, TRUE);
		return -1;
	}
	t = g_new0(struct tnef, 1);
	t->bytes = g_bytes_ref(data);
	t->files = g_ptr_array_new_with_free_func(tnef_file_free);
	t->unextracted = stray;
	for (i = 0; i < groups->len; i++) {
		if (i >= limits.mime_parts) {
			t->unextracted = TRUE;
			break;
		}
		tnef_group_finish(t, base,
		    &g_array_index(groups, struct tnef_group, i), codepage);
	}
	g_array_free(groups, TRUE);
	*tnef_r = t;
	return 0;
}

void
tnef_free(struct tnef **tnef)
{
	struct tnef *t = *tnef;

	if (t == NULL)
		return;
	*tnef = NULL;
	g_ptr_array_free(t->files, TRUE);
	g_bytes_unref(t->bytes);
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

GBytes *
tnef_file_data(const struct tnef *tnef, size_t i)
{
	return tnef_file_at(tnef, i)->data;
}

int
tnef_has_unextracted(const struct tnef *tnef)
{
	return tnef->unextracted ? 1 : 0;
}
