/*
 * contenttype: what libmagic, opened as subgate opens it, says of the
 * first bytes of files a mail may carry; written here byte by byte.
 */
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "contenttype.h"
#include "test.h"

static void
check(const char *name, const void *buf, size_t len, const char *want)
{
	g_autofree char *mime = NULL, *err = NULL;
	int r = contenttype_of_buffer(buf, len, &mime, &err);

	if (r < 0)
		printf("# %s: %s\n", name, err);
	TEST_CHECK_STR(name, mime, want);
}

/* A PE32 program's header: MZ, e_lfanew, "PE\0\0", the COFF header and
 * the start of the optional header. */
static size_t
pe_header(unsigned char *b, size_t size)
{
	static const unsigned char coff[] = {
		'P', 'E', 0, 0, 0x4c, 0x01, 0x01, 0x00, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0, 0xe0, 0x00, 0x02, 0x01,
		0x0b, 0x01,
	};

	memset(b, 0, size);
	b[0] = 'M';
	b[1] = 'Z';
	b[0x3c] = 0x40;
	memcpy(b + 0x40, coff, sizeof(coff));
	return size;
}

int
main(void)
{
	unsigned char buf[1024];
	static const unsigned char elf[64] = {
		0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		2, 0, 0x3e, 0, 1, 0, 0, 0,
	};
	static const unsigned char mp4[32] = {
		0, 0, 0, 0x20, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm',
		0, 0, 2, 0, 'i', 's', 'o', 'm', 'i', 's', 'o', '2',
		'a', 'v', 'c', '1', 'm', 'p', '4', '1',
	};
	static const unsigned char png[] = {
		0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13,
		'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0,
	};
	size_t i;

	check("pe", buf, pe_header(buf, sizeof(buf)),
	    "application/vnd.microsoft.portable-executable");
	memset(buf + 0x40, 0, 4);
	check("mz", buf, sizeof(buf), "application/x-dosexec");
	check("elf", elf, sizeof(elf), "application/x-executable");
	check("mp4", mp4, sizeof(mp4), "video/mp4");
	check("png", png, sizeof(png), "image/png");
	check("script", "#!/bin/sh\necho hi\n", 18, "text/x-shellscript");
	/* A DOS .COM "program" is any data starting with a jump: data, not
	 * a program, unless it starts with MZ. */
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 7 + 13);
	buf[0] = 0xeb;
	buf[1] = 0x3c;
	check("com-guess", buf, sizeof(buf), "application/octet-stream");
	return TEST_EXIT();
}
