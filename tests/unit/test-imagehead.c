/*
 * imagehead: size, colour model and density from headers written byte by
 * byte here (a CMYK JPEG as Photoshop writes it, an RGB one with JFIF or
 * EXIF density, PNG with and without pHYs, GIF, BMP, WebP), and what a
 * header cut short gives.
 */
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "imagehead.h"
#include "test.h"

/* SOI, then APP0 JFIF (units, density), then SOF0 of w x h, comps. */
static size_t
jpeg(unsigned char *b, unsigned units, unsigned density, unsigned w,
    unsigned h, unsigned comps)
{
	size_t n = 0, i;

	b[n++] = 0xff, b[n++] = 0xd8;
	b[n++] = 0xff, b[n++] = 0xe0, b[n++] = 0, b[n++] = 16;
	memcpy(b + n, "JFIF\0\1\2", 7), n += 7;
	b[n++] = (unsigned char)units;
	b[n++] = (unsigned char)(density >> 8), b[n++] = density & 0xff;
	b[n++] = (unsigned char)(density >> 8), b[n++] = density & 0xff;
	b[n++] = 0, b[n++] = 0;
	b[n++] = 0xff, b[n++] = 0xc0, b[n++] = 0;
	b[n++] = (unsigned char)(8 + 3 * comps);
	b[n++] = 8;
	b[n++] = (unsigned char)(h >> 8), b[n++] = h & 0xff;
	b[n++] = (unsigned char)(w >> 8), b[n++] = w & 0xff;
	b[n++] = (unsigned char)comps;
	for (i = 0; i < comps; i++)
		b[n++] = (unsigned char)(i + 1), b[n++] = 0x11, b[n++] = 0;
	b[n++] = 0xff, b[n++] = 0xd9;
	return n;
}

/* SOI, APP1 EXIF (big-endian TIFF, XResolution num/den, unit), SOF2. */
static size_t
jpeg_exif(unsigned char *b, unsigned num, unsigned den, unsigned unit)
{
	static const unsigned char tiff[] = {
		'M', 'M', 0, 42, 0, 0, 0, 8,
		0, 2,
		0x01, 0x1a, 0, 5, 0, 0, 0, 1, 0, 0, 0, 38,
		0x01, 0x28, 0, 3, 0, 0, 0, 1, 0, 0, 0, 0,
		0, 0, 0, 0,
	};
	size_t n = 0, app = sizeof(tiff) + 8 + 6 + 2;

	b[n++] = 0xff, b[n++] = 0xd8;
	b[n++] = 0xff, b[n++] = 0xe1;
	b[n++] = (unsigned char)(app >> 8), b[n++] = app & 0xff;
	memcpy(b + n, "Exif\0\0", 6), n += 6;
	memcpy(b + n, tiff, sizeof(tiff));
	b[n + 31] = (unsigned char)unit;
	n += sizeof(tiff);
	b[n++] = (unsigned char)(num >> 24), b[n++] = (num >> 16) & 0xff;
	b[n++] = (num >> 8) & 0xff, b[n++] = num & 0xff;
	b[n++] = 0, b[n++] = 0, b[n++] = (unsigned char)(den >> 8);
	b[n++] = den & 0xff;
	memcpy(b + n, "\xff\xc2\0\x11\x08\x07\xd0\x0b\xb8\x03\1\x11\0\2\x11"
	    "\0\3\x11\0", 19);
	return n + 19;
}

static void
put32(unsigned char *p, unsigned long v)
{
	p[0] = (unsigned char)(v >> 24), p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff, p[3] = v & 0xff;
}

/* Signature, IHDR, optionally pHYs (per metre), IDAT. */
static size_t
png(unsigned char *b, unsigned w, unsigned h, unsigned long ppm)
{
	size_t n = 0;

	memcpy(b, "\x89PNG\r\n\x1a\n", 8), n = 8;
	put32(b + n, 13), memcpy(b + n + 4, "IHDR", 4), n += 8;
	put32(b + n, w), put32(b + n + 4, h), n += 8;
	memcpy(b + n, "\x08\x02\0\0\0", 5), n += 5;
	put32(b + n, 0), n += 4;	/* CRC: not checked */
	if (ppm > 0) {
		put32(b + n, 9), memcpy(b + n + 4, "pHYs", 4), n += 8;
		put32(b + n, ppm), put32(b + n + 4, ppm), b[n + 8] = 1, n += 9;
		put32(b + n, 0), n += 4;
	}
	put32(b + n, 0), memcpy(b + n + 4, "IDAT", 4), n += 8;
	put32(b + n, 0), n += 4;
	return n;
}

static void
check(const char *name, const unsigned char *b, size_t len, int want_r,
    const char *format, unsigned w, unsigned h, bool cmyk, unsigned dpi)
{
	struct imagehead ih;
	int r = imagehead_parse(b, len, &ih);
	char label[128];

	snprintf(label, sizeof(label), "%s: result", name);
	TEST_CHECK(label, r == want_r);
	if (want_r != IMAGEHEAD_OK || r != IMAGEHEAD_OK)
		return;
	snprintf(label, sizeof(label), "%s: format", name);
	TEST_CHECK_STR(label, ih.format, format);
	snprintf(label, sizeof(label), "%s: %ux%u", name, w, h);
	TEST_CHECK(label, ih.width == w && ih.height == h);
	snprintf(label, sizeof(label), "%s: cmyk %d", name, cmyk);
	TEST_CHECK(label, ih.cmyk == cmyk);
	snprintf(label, sizeof(label), "%s: dpi %u (got %u)", name, dpi,
	    ih.dpi);
	TEST_CHECK(label, ih.dpi == dpi);
}

int
main(void)
{
	unsigned char b[512];
	size_t n, i;

	n = jpeg(b, 1, 300, 4961, 3508, 4);
	check("jpeg cmyk a3 300dpi", b, n, IMAGEHEAD_OK, "jpeg", 4961, 3508,
	    true, 300);
	n = jpeg(b, 1, 72, 1920, 1080, 3);
	check("jpeg rgb 72dpi", b, n, IMAGEHEAD_OK, "jpeg", 1920, 1080, false,
	    72);
	n = jpeg(b, 2, 118, 800, 600, 3);
	check("jpeg dots per cm", b, n, IMAGEHEAD_OK, "jpeg", 800, 600, false,
	    300);
	n = jpeg(b, 0, 1, 640, 480, 1);
	check("jpeg aspect-only density", b, n, IMAGEHEAD_OK, "jpeg", 640, 480,
	    false, 0);
	n = jpeg_exif(b, 300, 1, 2);
	check("jpeg exif 300/1 inch, progressive", b, n, IMAGEHEAD_OK, "jpeg",
	    3000, 2000, false, 300);
	n = jpeg_exif(b, 11811, 100, 3);
	check("jpeg exif per cm", b, n, IMAGEHEAD_OK, "jpeg", 3000, 2000,
	    false, 300);
	n = jpeg(b, 1, 300, 4961, 3508, 4);
	for (i = 3; i < 30; i += 3) {
		struct imagehead ih;
		char label[64];
		int r = imagehead_parse(b, i, &ih);

		snprintf(label, sizeof(label), "jpeg cut at %zu: short", i);
		TEST_CHECK(label, r == IMAGEHEAD_SHORT);
	}
	n = png(b, 640, 480, 11811);
	check("png phys 300dpi", b, n, IMAGEHEAD_OK, "png", 640, 480, false,
	    300);
	n = png(b, 3000, 2000, 0);
	check("png no phys", b, n, IMAGEHEAD_OK, "png", 3000, 2000, false, 0);
	check("png cut in ihdr", b, 20, IMAGEHEAD_SHORT, NULL, 0, 0, false, 0);
	check("gif", (const unsigned char *)"GIF89a\x40\x01\xf0\0\0\0", 12,
	    IMAGEHEAD_OK, "gif", 320, 240, false, 0);
	memset(b, 0, 64);
	memcpy(b, "BM", 2), b[14] = 40, b[18] = 0x20, b[19] = 3;
	b[22] = 0x20, b[23] = 0xfe, b[24] = 0xff, b[25] = 0xff;	/* -480 */
	b[38] = 0x23, b[39] = 0x2e;	/* 11811 per metre */
	check("bmp top-down", b, 54, IMAGEHEAD_OK, "bmp", 800, 480, false, 300);
	memset(b, 0, 64);
	memcpy(b, "RIFF\0\0\0\0WEBPVP8X", 16);
	b[24] = 0x7f, b[25] = 0x07, b[27] = 0x37, b[28] = 0x04;
	check("webp vp8x", b, 30, IMAGEHEAD_OK, "webp", 1920, 1080, false, 0);
	check("not an image", (const unsigned char *)"%PDF-1.4\n%\xe2\xe3\n",
	    14, IMAGEHEAD_UNKNOWN, NULL, 0, 0, false, 0);
	check("empty", b, 0, IMAGEHEAD_SHORT, NULL, 0, 0, false, 0);
	return TEST_EXIT();
}
