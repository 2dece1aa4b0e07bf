/* imagehead: see include/imagehead.h. */
#include <string.h>

#include "imagehead.h"

static unsigned
be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static unsigned long
be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 |
	    (unsigned long)p[2] << 8 | p[3];
}

static unsigned
le16(const unsigned char *p)
{
	return (unsigned)p[1] << 8 | p[0];
}

static unsigned long
le32(const unsigned char *p)
{
	return (unsigned long)p[3] << 24 | (unsigned long)p[2] << 16 |
	    (unsigned long)p[1] << 8 | p[0];
}

/* Dots per centimetre or per metre as dots per inch, rounded. */
static unsigned
dpi_of(unsigned long v, unsigned long per_inch_num, unsigned long den)
{
	if (v > 10000000UL)
		return 0;
	return (unsigned)((v * per_inch_num + den / 2) / den);
}

/* ---- JPEG ---- */

/* EXIF's TIFF block: XResolution (a RATIONAL) and ResolutionUnit of IFD0.
 * Photoshop and cameras write it; JFIF's density is often a 72 filler. */
static unsigned
exif_dpi(const unsigned char *t, size_t len)
{
	bool le;
	unsigned long ifd, num = 0, den = 0;
	unsigned n, i, unit = 2;
	unsigned (*u16)(const unsigned char *);
	unsigned long (*u32)(const unsigned char *);

	if (len < 8 || (memcmp(t, "II*\0", 4) != 0 &&
	    memcmp(t, "MM\0*", 4) != 0))
		return 0;
	le = t[0] == 'I';
	u16 = le ? le16 : be16;
	u32 = le ? le32 : be32;
	ifd = u32(t + 4);
	if (ifd > len - 2)
		return 0;
	n = u16(t + ifd);
	for (i = 0; i < n && ifd + 2 + (unsigned long)(i + 1) * 12 <= len;
	    i++) {
		const unsigned char *e = t + ifd + 2 + (size_t)i * 12;
		unsigned tag = u16(e);
		unsigned long off = u32(e + 8);

		if (tag == 0x011a && off <= len - 8) {
			num = u32(t + off);
			den = u32(t + off + 4);
		} else if (tag == 0x0128)
			unit = u16(e + 8);
	}
	if (den == 0 || num / den > 100000)
		return 0;
	if (unit == 3)		/* per centimetre */
		return dpi_of(num, 254, den * 100);
	return unit == 2 ? (unsigned)((num + den / 2) / den) : 0;
}

static void
jpeg_app(const unsigned char *seg, size_t len, unsigned marker,
    struct imagehead *h, unsigned *jfif_dpi)
{
	if (marker == 0xe0 && len >= 12 && memcmp(seg, "JFIF\0", 5) == 0) {
		unsigned units = seg[7], x = be16(seg + 8);

		if (units == 1)
			*jfif_dpi = x;
		else if (units == 2)
			*jfif_dpi = dpi_of(x, 254, 100);
	} else if (marker == 0xe1 && len >= 6 && memcmp(seg, "Exif\0\0",
	    6) == 0 && h->dpi == 0)
		h->dpi = exif_dpi(seg + 6, len - 6);
}

static int
jpeg_parse(const unsigned char *b, size_t len, struct imagehead *h)
{
	size_t pos = 2;
	unsigned jfif_dpi = 0;

	h->format = "jpeg";
	for (;;) {
		unsigned m;
		size_t seglen;

		while (pos < len && b[pos] == 0xff && pos + 1 < len &&
		    b[pos + 1] == 0xff)
			pos++;	/* fill bytes */
		if (pos + 4 > len)
			return IMAGEHEAD_SHORT;
		if (b[pos] != 0xff)
			return IMAGEHEAD_UNKNOWN;
		m = b[pos + 1];
		if (m == 0xd8 || m == 0x01 || (m >= 0xd0 && m <= 0xd7)) {
			pos += 2;
			continue;
		}
		if (m == 0xd9 || m == 0xda)	/* EOI, SOS: no frame header */
			return IMAGEHEAD_UNKNOWN;
		seglen = be16(b + pos + 2);
		if (seglen < 2)
			return IMAGEHEAD_UNKNOWN;
		if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 &&
		    m != 0xcc) {
			if (pos + 10 > len)
				return IMAGEHEAD_SHORT;
			h->height = be16(b + pos + 5);
			h->width = be16(b + pos + 7);
			h->components = b[pos + 9];
			h->cmyk = h->components == 4;
			if (h->dpi == 0)
				h->dpi = jfif_dpi;
			return IMAGEHEAD_OK;
		}
		if (pos + 2 + seglen > len)
			return IMAGEHEAD_SHORT;
		jpeg_app(b + pos + 4, seglen - 2, m, h, &jfif_dpi);
		pos += 2 + seglen;
	}
}

/* ---- PNG ---- */

static int
png_parse(const unsigned char *b, size_t len, struct imagehead *h)
{
	size_t pos = 8;

	h->format = "png";
	if (len < 24)
		return IMAGEHEAD_SHORT;
	if (memcmp(b + 12, "IHDR", 4) != 0)
		return IMAGEHEAD_UNKNOWN;
	h->width = (unsigned)be32(b + 16);
	h->height = (unsigned)be32(b + 20);
	/* pHYs, when present, comes before the first IDAT. */
	while (pos + 8 <= len) {
		unsigned long clen = be32(b + pos);

		if (memcmp(b + pos + 4, "IDAT", 4) == 0 || clen > len)
			break;
		if (memcmp(b + pos + 4, "pHYs", 4) == 0 && clen == 9 &&
		    pos + 17 <= len) {
			if (b[pos + 16] == 1)	/* per metre */
				h->dpi = dpi_of(be32(b + pos + 8), 254, 10000);
			break;
		}
		pos += 12 + clen;
	}
	return IMAGEHEAD_OK;
}

/* ---- GIF, BMP, WebP ---- */

static int
bmp_parse(const unsigned char *b, size_t len, struct imagehead *h)
{
	unsigned long hs;
	long height;

	h->format = "bmp";
	if (len < 26)
		return IMAGEHEAD_SHORT;
	hs = le32(b + 14);
	if (hs == 12) {
		h->width = le16(b + 18);
		h->height = le16(b + 20);
		return IMAGEHEAD_OK;
	}
	if (hs < 40)
		return IMAGEHEAD_UNKNOWN;
	if (len < 46)
		return IMAGEHEAD_SHORT;
	h->width = (unsigned)le32(b + 18);
	height = (long)(int)le32(b + 22);	/* negative: top-down */
	h->height = (unsigned)(height < 0 ? -height : height);
	h->dpi = dpi_of(le32(b + 38), 254, 10000);
	return IMAGEHEAD_OK;
}

static int
webp_parse(const unsigned char *b, size_t len, struct imagehead *h)
{
	h->format = "webp";
	if (len < 30)
		return IMAGEHEAD_SHORT;
	if (memcmp(b + 12, "VP8 ", 4) == 0) {
		if (b[23] != 0x9d || b[24] != 0x01 || b[25] != 0x2a)
			return IMAGEHEAD_UNKNOWN;
		h->width = le16(b + 26) & 0x3fff;
		h->height = le16(b + 28) & 0x3fff;
	} else if (memcmp(b + 12, "VP8L", 4) == 0) {
		unsigned long bits = le32(b + 21);

		if (b[20] != 0x2f)
			return IMAGEHEAD_UNKNOWN;
		h->width = (unsigned)(bits & 0x3fff) + 1;
		h->height = (unsigned)((bits >> 14) & 0x3fff) + 1;
	} else if (memcmp(b + 12, "VP8X", 4) == 0) {
		h->width = (unsigned)(b[24] | b[25] << 8 | b[26] << 16) + 1;
		h->height = (unsigned)(b[27] | b[28] << 8 | b[29] << 16) + 1;
	} else
		return IMAGEHEAD_UNKNOWN;
	return IMAGEHEAD_OK;
}

int
imagehead_parse(const unsigned char *b, size_t len, struct imagehead *h)
{
	memset(h, 0, sizeof(*h));
	if (len >= 3 && b[0] == 0xff && b[1] == 0xd8 && b[2] == 0xff)
		return jpeg_parse(b, len, h);
	if (len >= 8 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0)
		return png_parse(b, len, h);
	if (len >= 6 && (memcmp(b, "GIF87a", 6) == 0 ||
	    memcmp(b, "GIF89a", 6) == 0)) {
		h->format = "gif";
		if (len < 10)
			return IMAGEHEAD_SHORT;
		h->width = le16(b + 6);
		h->height = le16(b + 8);
		return IMAGEHEAD_OK;
	}
	if (len >= 2 && b[0] == 'B' && b[1] == 'M')
		return bmp_parse(b, len, h);
	if (len >= 12 && memcmp(b, "RIFF", 4) == 0 && memcmp(b + 8, "WEBP",
	    4) == 0)
		return webp_parse(b, len, h);
	return len < 12 ? IMAGEHEAD_SHORT : IMAGEHEAD_UNKNOWN;
}
