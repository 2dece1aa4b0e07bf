/*
 * inspect_doc: pictures and text works measured in the inspecting process
 * (include/inspect.h): an image's header (imagehead.h) read up to a
 * named limit; a .docx's word/document.xml streamed out of the zip by
 * libarchive into docxwalk.h and counted (textcount.h); a PDF's text
 * layer through poppler-glib, page by page up to a limit; a .txt as UTF-8,
 * else GB18030 (which covers GBK and GB2312).  .doc and .wps are not
 * read: their 字数 stays unknown, said to staff.
 *
 * libarchive and poppler are loaded with dlopen, in the inspecting
 * process only, as FFmpeg is (inspect_media.c): linked into subgate they
 * would map libarchive with its compressors and XML library (2.4 MiB more
 * resident in `subgate --version`, measured), and poppler, cairo,
 * freetype and fontconfig, in the daemon and every command, for code only
 * the child runs.  A library that cannot be loaded is facts.failed, said.  Every read of the file is a pread from its start: the
 * descriptor's offset is the caller's (the daemon just wrote the file
 * through it).
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <glib.h>
#include <glib-object.h>
#include <poppler.h>

#include "docxwalk.h"
#include "imagehead.h"
#include "inspect.h"
#include "inspect-private.h"
#include "mail_limits.h"
#include "regform.h"
#include "textcount.h"

#define DOC_CHUNK	(64 * 1024)
#define DOCX_MIME	REGFORM_DOCX_MIME

static void
text_unreadable(struct media_facts *f, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

static void
text_unreadable(struct media_facts *f, const char *fmt, ...)
{
	va_list ap;

	f->text.state = TEXT_UNREADABLE;
	va_start(ap, fmt);
	g_vsnprintf(f->error, sizeof(f->error), fmt, ap);
	va_end(ap);
}

static ssize_t
pread_all(int fd, void *buf, size_t len, off_t off)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = pread(fd, (char *)buf + got, len - got,
		    off + (off_t)got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/* ---- images ---- */

/* The header first from 64 KiB, more only when EXIF or a thumbnail
 * pushes the frame header further, up to the limit. */
#define IMAGE_FIRST_BYTES	(64 * 1024)

void
inspect_image_fd(int fd, const struct inspect_limits *lim,
    struct media_facts *f)
{
	g_autofree unsigned char *buf = g_malloc(lim->image_bytes);
	size_t want = MIN(IMAGE_FIRST_BYTES, lim->image_bytes), have = 0;
	struct imagehead h;
	struct stat st;
	int r = IMAGEHEAD_SHORT;

	f->kind = FACTS_IMAGE;
	if (fstat(fd, &st) == 0)
		f->size = (uint64_t)st.st_size;
	while (r == IMAGEHEAD_SHORT) {
		ssize_t n = pread_all(fd, buf + have, want - have,
		    (off_t)have);

		if (n < 0) {
			g_snprintf(f->error, sizeof(f->error), "read: %s",
			    g_strerror(errno));
			return;
		}
		have += (size_t)n;
		r = imagehead_parse(buf, have, &h);
		if (have < want || want == lim->image_bytes)
			break;	/* the file or the limit ends here */
		want = MIN(want * 4, lim->image_bytes);
	}
	f->bytes_read = have;
	if (r != IMAGEHEAD_OK) {
		g_strlcpy(f->error, r == IMAGEHEAD_SHORT ? "the header ends "
		    "before the picture's size" : "not a picture subgate reads",
		    sizeof(f->error));
		return;
	}
	f->image.known = true;
	f->image.width = h.width;
	f->image.height = h.height;
	f->image.dpi = h.dpi;
	f->image.cmyk = h.cmyk;
	g_strlcpy(f->image.format, h.format, sizeof(f->image.format));
}

/* ---- libraries loaded on first use ---- */

#define ZIP_FUNCS(X) \
	X(archive_read_new) X(archive_read_support_format_zip) \
	X(archive_read_set_read_callback) X(archive_read_set_seek_callback) \
	X(archive_read_set_callback_data) X(archive_read_open1) \
	X(archive_read_next_header) X(archive_entry_pathname) \
	X(archive_read_data) X(archive_error_string) X(archive_read_free) \
	X(archive_set_error)
#define ZIP_SONAME	ARCHIVE_SONAME

static struct {
	ZIP_FUNCS(LIB_POINTER)
} zip;

/* NULL when libarchive is loaded, else why not. */
static const char *
zip_load(void)
{
	static char why[160];

#define ZIP_LOOKUP(name)	LIB_LOOKUP(zip, why, ZIP_SONAME, name)
	LIB_LOAD(ZIP_SONAME, ZIP_FUNCS, ZIP_LOOKUP, why);
#undef ZIP_LOOKUP
	return *why != '\0' ? why : NULL;
}

/* ---- .docx ---- */

/* The zip read with pread, so that libarchive seeks to the central
 * directory as it does for a file it opens itself. */
struct zip_io {
	int fd;
	int64_t pos, size;
	uint64_t read;
	char buf[DOC_CHUNK];
};

static la_ssize_t
zip_read(struct archive *a, void *data, const void **buf)
{
	struct zip_io *z = data;
	ssize_t n = pread_all(z->fd, z->buf, sizeof(z->buf), z->pos);

	if (n < 0) {
		zip.archive_set_error(a, errno, "read: %s", g_strerror(errno));
		return -1;
	}
	z->pos += n;
	z->read += (uint64_t)n;
	*buf = z->buf;
	return n;
}

static la_int64_t
zip_seek(struct archive *a, void *data, la_int64_t off, int whence)
{
	struct zip_io *z = data;
	int64_t to = whence == SEEK_SET ? off : whence == SEEK_CUR ?
	    z->pos + off : z->size + off;

	(void)a;
	if (to < 0)
		return ARCHIVE_FATAL;
	return z->pos = to;
}

/* word/document.xml of the open archive a into the walker, at most
 * max bytes of it; <0 with the reason in f. */
static int
docx_walk(struct archive *a, struct docxwalk *w, size_t max,
    struct media_facts *f)
{
	g_autofree char *buf = g_malloc(DOC_CHUNK);
	g_autofree char *why = NULL;
	size_t total = 0;
	la_ssize_t n;

	while ((n = zip.archive_read_data(a, buf, DOC_CHUNK)) > 0) {
		if ((total += (size_t)n) > max) {
			text_unreadable(f, "word/document.xml is over %zu bytes",
			    max);
			return -1;
		}
		if (docxwalk_feed(w, buf, (size_t)n, &why) < 0)
			break;
	}
	if (n < 0) {
		text_unreadable(f, "zip: %s", zip.archive_error_string(a));
		return -1;
	}
	if (why != NULL || docxwalk_end(w, &why) < 0) {
		text_unreadable(f, "%s", why);
		return -1;
	}
	return 0;
}

/* The walk's cells and paragraphs as a form's (regform.h), within the
 * form's own bounds. */
static struct regform_cells *
docx_form(const struct docxwalk *w, const struct inspect_limits *lim)
{
	struct regform_cells *form = regform_cells_new(lim->form_items,
	    lim->form_bytes);
	size_t i;

	for (i = 0; i < docxwalk_cell_count(w); i++) {
		const struct docx_cell *c = docxwalk_cell(w, i);
		struct regform_cell rc = {
			.table = c->table, .row = c->row, .col = c->col,
			.span = c->span, .text = c->text,
			.vmerge = c->vmerge == DOCX_VMERGE_RESTART ?
			    REGFORM_VMERGE_RESTART :
			    c->vmerge == DOCX_VMERGE_CONTINUE ?
			    REGFORM_VMERGE_CONTINUE : REGFORM_VMERGE_NONE,
		};

		if (!regform_cells_add_cell(form, &rc))
			break;
	}
	for (i = 0; i < docxwalk_paragraph_count(w); i++) {
		const struct docx_paragraph *p = docxwalk_paragraph(w, i);

		if (!regform_cells_add_paragraph(form, p->tables_before,
		    p->text))
			break;
	}
	return form;
}

/* form_r (may be NULL): its cells as a form's as well. */
static void
inspect_docx(int fd, int64_t size, const struct inspect_limits *lim,
    struct media_facts *f, struct regform_cells **form_r)
{
	struct zip_io *z;
	struct archive *a;
	struct archive_entry *e;
	struct docxwalk *w = NULL;
	const char *text, *missing;
	size_t len;
	int r;

	if ((missing = zip_load()) != NULL) {
		f->failed = true;
		g_strlcpy(f->error, missing, sizeof(f->error));
		return;
	}
	z = g_new0(struct zip_io, 1);
	a = zip.archive_read_new();
	z->fd = fd;
	z->size = size;
	zip.archive_read_support_format_zip(a);
	zip.archive_read_set_read_callback(a, zip_read);
	zip.archive_read_set_seek_callback(a, zip_seek);
	zip.archive_read_set_callback_data(a, z);
	if (zip.archive_read_open1(a) != ARCHIVE_OK) {
		text_unreadable(f, "zip: %s", zip.archive_error_string(a));
		goto out;
	}
	while ((r = zip.archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *name = zip.archive_entry_pathname(e);

		if (name != NULL && strcmp(name, "word/document.xml") == 0)
			break;
	}
	if (r != ARCHIVE_OK) {
		text_unreadable(f, r == ARCHIVE_EOF ? "no word/document.xml" :
		    "zip: %s", zip.archive_error_string(a));
		goto out;
	}
	/* Only a form's cells are wanted, not every document's. */
	w = docxwalk_new(lim->text_bytes, form_r != NULL ? lim->form_items : 0);
	if (docx_walk(a, w, lim->text_bytes, f) < 0)
		goto out;
	if (form_r != NULL)
		*form_r = docx_form(w, lim);
	text = docxwalk_text(w, &len);
	f->text.characters = textcount_utf8(text, len);
	f->text.cut = docxwalk_cut(w);
	f->text.state = TEXT_COUNTED;
out:
	f->bytes_read = z->read;
	docxwalk_free(&w);
	zip.archive_read_free(a);
	g_free(z);
}

/* ---- PDF, through a poppler loaded on first use ---- */

#define PDF_FUNCS(X) \
	X(poppler_document_new_from_fd) X(poppler_document_get_n_pages) \
	X(poppler_document_get_page) X(poppler_page_get_text)
#define PDF_SONAME	"libpoppler-glib.so.8"

static struct {
	PDF_FUNCS(LIB_POINTER)
} pdf;

/* NULL when poppler is loaded, else why not. */
static const char *
pdf_load(void)
{
	static char why[160];

#define PDF_LOOKUP(name)	LIB_LOOKUP(pdf, why, PDF_SONAME, name)
	LIB_LOAD(PDF_SONAME, PDF_FUNCS, PDF_LOOKUP, why);
#undef PDF_LOOKUP
	return *why != '\0' ? why : NULL;
}

static void
inspect_pdf(int fd, const struct inspect_limits *lim, struct media_facts *f)
{
	g_autoptr(GError) gerr = NULL;
	struct textcount tc = { 0, false };
	PopplerDocument *doc;
	const char *missing;
	size_t text_bytes = 0;
	int pages, i, own;

	if ((missing = pdf_load()) != NULL) {
		f->failed = true;
		g_strlcpy(f->error, missing, sizeof(f->error));
		return;
	}
	/* poppler takes the descriptor and closes it; it seeks from the
	 * file's start, so the shared offset does not matter. */
	if ((own = fcntl(fd, F_DUPFD_CLOEXEC, 0)) < 0) {
		text_unreadable(f, "dup: %s", g_strerror(errno));
		return;
	}
	if ((doc = pdf.poppler_document_new_from_fd(own, NULL, &gerr)) ==
	    NULL) {
		text_unreadable(f, "%s", gerr != NULL ? gerr->message :
		    "poppler cannot open it");
		return;
	}
	pages = pdf.poppler_document_get_n_pages(doc);
	f->text.pages = pages > 0 ? (unsigned)pages : 0;
	for (i = 0; i < pages && (unsigned)i < lim->pdf_pages &&
	    text_bytes <= lim->text_bytes; i++) {
		PopplerPage *page = pdf.poppler_document_get_page(doc, i);
		g_autofree char *text = page != NULL ?
		    pdf.poppler_page_get_text(page) : NULL;

		if (text != NULL) {
			size_t len = strlen(text);

			text_bytes += len;
			textcount_feed(&tc, text, len);
			textcount_feed(&tc, "\n", 1);
		}
		if (page != NULL)
			g_object_unref(page);
	}
	f->text.cut = i < pages;
	/* poppler reads what it needs; the file is the honest bound. */
	f->bytes_read = f->size;
	g_object_unref(doc);
	f->text.characters = tc.count;
	f->text.state = tc.count == 0 && pages > 0 ? TEXT_SCANNED :
	    TEXT_COUNTED;
}

/* ---- .txt ---- */

static void
inspect_txt(int fd, int64_t size, const struct inspect_limits *lim,
    struct media_facts *f)
{
	size_t want = (uint64_t)size > lim->text_bytes ? lim->text_bytes :
	    (size_t)size;
	g_autofree char *buf = g_malloc(want + 1);
	g_autofree char *utf8 = NULL;
	const char *text, *end;
	ssize_t n = pread_all(fd, buf, want, 0);
	size_t len;

	if (n < 0) {
		text_unreadable(f, "read: %s", g_strerror(errno));
		return;
	}
	f->bytes_read = (uint64_t)n;
	f->text.cut = (uint64_t)size > lim->text_bytes;
	text = buf;
	len = (size_t)n;
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		text += 3, len -= 3;
	/* Cut at the limit: a character may be cut with it. */
	if (!g_utf8_validate(text, (gssize)len, &end) && f->text.cut &&
	    len - (size_t)(end - text) < 4)
		len = (size_t)(end - text);
	if (!g_utf8_validate(text, (gssize)len, NULL)) {
		gsize out = 0;

		/* Notepad on a Chinese Windows saves GBK ("ANSI"). */
		utf8 = g_convert(text, (gssize)len, "UTF-8", "GB18030", NULL,
		    &out, NULL);
		if (utf8 == NULL) {
			text_unreadable(f, "neither UTF-8 nor GB18030");
			return;
		}
		text = utf8;
		len = out;
	}
	f->text.characters = textcount_utf8(text, len);
	f->text.state = TEXT_COUNTED;
}

void
inspect_text_fd(int fd, const char *mime, const struct inspect_limits *lim,
    struct media_facts *f, struct regform_cells **form_r)
{
	struct stat st;

	f->kind = FACTS_TEXT;
	if (fstat(fd, &st) < 0) {
		text_unreadable(f, "fstat: %s", g_strerror(errno));
		return;
	}
	f->size = (uint64_t)st.st_size;
	if (strcmp(mime, DOCX_MIME) == 0)
		inspect_docx(fd, st.st_size, lim, f, form_r);
	else if (strcmp(mime, "application/pdf") == 0)
		inspect_pdf(fd, lim, f);
	else if (strcmp(mime, "text/plain") == 0)
		inspect_txt(fd, st.st_size, lim, f);
	else
		f->text.state = TEXT_OLD_FORMAT;
}
