/*
 * imagehead: the size, colour model and density of an image, read from
 * its header alone (never a pixel decoded): JPEG (the SOFn frame header:
 * width, height, components, 4 being CMYK or YCCK; density from the JFIF
 * APP0 or the EXIF APP1's first IFD; an Adobe APP14 says nothing more we
 * need), PNG (IHDR, pHYs before the first IDAT), GIF (the logical
 * screen), BMP (BITMAPINFOHEADER or CORE) and WebP (VP8, VP8L, VP8X).
 *
 * The caller reads at most LIMIT_IMAGE_HEAD_BYTES of the file (EXIF with
 * a thumbnail can be large) and hands them in; every offset is checked
 * against len before it is read.
 *
 * Pure: no I/O, no allocation.
 * Returns IMAGEHEAD_OK with *h filled, IMAGEHEAD_SHORT when the bytes end
 * before the dimensions (a file cut short, or a header past the limit),
 * IMAGEHEAD_UNKNOWN when they are no image of these formats.
 */
#ifndef SUBGATE_IMAGEHEAD_H
#define SUBGATE_IMAGEHEAD_H

#include <stdbool.h>
#include <stddef.h>

enum imagehead_result {
	IMAGEHEAD_OK = 0,
	IMAGEHEAD_SHORT = -1,
	IMAGEHEAD_UNKNOWN = -2,
};

struct imagehead {
	const char *format;	/* "jpeg", "png", "gif", "bmp", "webp" */
	unsigned width, height;
	unsigned components;	/* JPEG's; 0 elsewhere */
	bool cmyk;		/* JPEG with four components */
	unsigned dpi;		/* horizontal density; 0: unknown */
};

int imagehead_parse(const unsigned char *buf, size_t len,
    struct imagehead *h);

#endif
