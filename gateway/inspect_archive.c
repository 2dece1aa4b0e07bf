/*
 * inspect_archive: a zip, 7z or RAR listed in the inspecting process
 * (include/inspect.h, gateway/inspect-private.h): each entry's name
 * (archivelist.h decodes it), size and encryption, its type from its
 * first bytes (the sniffer attachments go through, contenttype.h), and,
 * when asked, what a video, picture or text entry measures, read from a
 * copy extracted into an unnamed file (O_TMPFILE: a crash leaves nothing
 * behind) and dropped once measured.  An archive inside is listed by its
 * type and never opened.  Declared sizes count against the limits before
 * a byte is expanded, then the bytes as they are expanded, so a bomb
 * stops at the limit, in memory and on disk.
 *
 * libarchive is loaded with dlopen, as for .docx (inspect_doc.c).  It
 * turns names into the locale's charset, and under the C locale it gives
 * no name at all for any non-ASCII entry (libarchive 3.6): the listing
 * runs under C.UTF-8 for this thread only (uselocale), so the daemon's
 * and the tests' locale is left alone.
 */
#define _GNU_SOURCE	/* O_TMPFILE */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <glib.h>

#include "archivelist.h"
#include "contentrule.h"
#include "contenttype.h"
#include "fdio.h"
#include "inspect-private.h"
#include "mail_limits.h"

#define ARC_CHUNK	(64 * 1024)

#define ARC_FUNCS(X) \
	X(archive_read_new) X(archive_read_support_format_zip) \
	X(archive_read_support_format_7zip) \
	X(archive_read_support_format_rar) \
	X(archive_read_support_format_rar5) \
	X(archive_read_set_read_callback) X(archive_read_set_seek_callback) \
	X(archive_read_set_callback_data) X(archive_read_open1) \
	X(archive_read_next_header) X(archive_entry_pathname) \
	X(archive_entry_size) X(archive_entry_size_is_set) \
	X(archive_entry_filetype) X(archive_entry_is_encrypted) \
	X(archive_read_has_encrypted_entries) X(archive_read_data) \
	X(archive_error_string) X(archive_read_free) X(archive_set_error)

static struct {
	ARC_FUNCS(LIB_POINTER)
} arc;

static const char *
arc_load(void)
{
	static char why[160];

#define ARC_LOOKUP(name)	LIB_LOOKUP(arc, why, ARCHIVE_SONAME, name)
	LIB_LOAD(ARCHIVE_SONAME, ARC_FUNCS, ARC_LOOKUP, why);
#undef ARC_LOOKUP
	return *why != '\0' ? why : NULL;
}

/* The file read with pread, so that libarchive seeks to a zip's central
 * directory (the names' UTF-8 flag and the true sizes are there). */
struct arc_io {
	int fd;
	int64_t pos, size;
	uint64_t read;
	char buf[ARC_CHUNK];
};

static la_ssize_t
arc_read(struct archive *a, void *data, const void **buf)
{
	struct arc_io *z = data;
	ssize_t n;

	do
		n = pread(z->fd, z->buf, sizeof(z->buf), z->pos);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		arc.archive_set_error(a, errno, "read: %s", g_strerror(errno));
		return -1;
	}
	z->pos += n;
	z->read += (uint64_t)n;
	*buf = z->buf;
	return n;
}

static la_int64_t
arc_seek(struct archive *a, void *data, la_int64_t off, int whence)
{
	struct arc_io *z = data;
	int64_t to = whence == SEEK_SET ? off : whence == SEEK_CUR ?
	    z->pos + off : z->size + off;

	(void)a;
	if (to < 0)
		return ARCHIVE_FATAL;
	return z->pos = to;
}

/* C.UTF-8 for LC_CTYPE, made once; (locale_t)0 when the system has
 * none (glibc 2.35 and later always has it). */
static locale_t
utf8_locale(void)
{
	static gsize done;
	static locale_t loc;

	if (g_once_init_enter(&done)) {
		loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
		g_once_init_leave(&done, 1);
	}
	return loc;
}

/* One listing under way. */
struct listing {
	struct archive *a;
	const struct inspect_limits *lim;
	struct archive_facts *facts;
	bool entries;
	int tmpdir;
	char *head;		/* LIMIT_MAGIC_BYTES */
};

/* Whether an entry of this type is measured (inspect_content_fd()). */
static bool
measurable(const char *mime)
{
	return g_str_has_prefix(mime, "video/") ||
	    g_str_has_prefix(mime, "audio/") ||
	    g_str_has_prefix(mime, "image/") || mediarule_text_mime(mime);
}

/* Up to len more bytes of the entry into buf, counted against the
 * limits past what it declared (*counted: bytes already counted, *got:
 * read so far); <0 on a read error (said in the facts) or a limit. */
static la_ssize_t
entry_read(struct listing *l, struct archive_item *it, char *buf,
    size_t len, uint64_t *got, uint64_t *counted)
{
	la_ssize_t n = arc.archive_read_data(l->a, buf, len);

	if (n < 0) {
		g_snprintf(l->facts->error, sizeof(l->facts->error), "%s: %s",
		    it->name, arc.archive_error_string(l->a));
		return -1;
	}
	*got += (uint64_t)n;
	if (*got > *counted) {
		if (archivelist_more(l->facts, l->lim, *got - *counted) !=
		    ARCHIVE_WITHIN)
			return -1;
		*counted = *got;
	}
	return n;
}

/* An unnamed file under the directory tmpdir; -1 with errno. */
static int
tmpfile_at(int tmpdir)
{
	char name[32];
	int fd;

	if ((fd = openat(tmpdir, ".", O_TMPFILE | O_RDWR | O_CLOEXEC,
	    0600)) >= 0 || (errno != EOPNOTSUPP && errno != EISDIR))
		return fd;
	/* A file system without O_TMPFILE: named, then unlinked. */
	g_snprintf(name, sizeof(name), "inspect-entry-%08x",
	    g_random_int());
	if ((fd = openat(tmpdir, name, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC,
	    0600)) >= 0)
		(void)unlinkat(tmpdir, name, 0);
	return fd;
}

static void
entry_not_measured(struct archive_item *it, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

static void
entry_not_measured(struct archive_item *it, const char *fmt, ...)
{
	va_list ap;

	it->media = g_new0(struct media_facts, 1);
	it->media->duration_ms = -1;
	it->media->failed = true;
	it->media->kind = g_str_has_prefix(it->mime, "image/") ?
	    FACTS_IMAGE : mediarule_text_mime(it->mime) ? FACTS_TEXT :
	    FACTS_AV;
	va_start(ap, fmt);
	g_vsnprintf(it->media->error, sizeof(it->media->error), fmt, ap);
	va_end(ap);
}

/* The rest of the entry after its head (head bytes) into an unnamed
 * file, then measured; *got, *counted as entry_read(). */
static void
entry_measure(struct listing *l, struct archive_item *it, size_t head,
    uint64_t *got, uint64_t *counted)
{
	struct inspect_ask ask = { .mime = it->mime, .tmpdir = -1 };
	g_autofree char *buf = NULL;
	la_ssize_t n = 1;
	int fd, e = 0;

	if ((fd = tmpfile_at(l->tmpdir)) < 0) {
		entry_not_measured(it, "not extracted: %s", g_strerror(errno));
		return;
	}
	if (fd_write_all(fd, l->head, head) < 0)
		e = errno;
	buf = g_malloc(ARC_CHUNK);
	while (e == 0 && (n = entry_read(l, it, buf, ARC_CHUNK, got,
	    counted)) > 0)
		if (fd_write_all(fd, buf, (size_t)n) < 0)
			e = errno;
	if (e != 0)
		entry_not_measured(it, "not extracted: %s", g_strerror(e));
	else if (n == 0) {
		it->media = g_new0(struct media_facts, 1);
		inspect_content_fd(fd, &ask, l->lim, it->media, NULL);
	}
	close(fd);
}

/* An entry's head read and its type sniffed; measured when asked. */
static int
entry_look(struct listing *l, struct archive_item *it, uint64_t declared)
{
	g_autofree char *mime = NULL, *why = NULL;
	uint64_t got = 0, counted = declared;
	size_t head = 0;
	la_ssize_t n;

	while (head < LIMIT_MAGIC_BYTES && (n = entry_read(l, it,
	    l->head + head, LIMIT_MAGIC_BYTES - head, &got, &counted)) > 0)
		head += (size_t)n;
	if (*l->facts->error != '\0' || l->facts->over != ARCHIVE_WITHIN)
		return -1;
	if (head > 0 && contenttype_of_buffer(l->head, head, &mime,
	    &why) == 0)
		g_strlcpy(it->mime, mime, sizeof(it->mime));
	it->nested = contentrule_is_archive(it->mime);
	if (l->entries && l->tmpdir >= 0 && !it->nested &&
	    measurable(it->mime))
		entry_measure(l, it, head, &got, &counted);
	it->size = MAX(declared, got);
	return *l->facts->error != '\0' ||
	    l->facts->over != ARCHIVE_WITHIN ? -1 : 0;
}

/* Every entry, until the end, an error or a limit. */
static void
list_entries(struct listing *l)
{
	struct archive_facts *af = l->facts;
	struct archive_entry *e;
	int r;

	while ((r = arc.archive_read_next_header(l->a, &e)) == ARCHIVE_OK ||
	    r == ARCHIVE_WARN) {
		const char *raw = arc.archive_entry_pathname(e);
		size_t len = raw != NULL ? strlen(raw) : 0;
		uint64_t declared = arc.archive_entry_size_is_set(e) &&
		    arc.archive_entry_size(e) > 0 ?
		    (uint64_t)arc.archive_entry_size(e) : 0;
		const char *charset = "UTF-8";
		struct archive_item *it;

		if (archivelist_account(af, l->lim, len, declared) !=
		    ARCHIVE_WITHIN)
			return;
		if (arc.archive_entry_filetype(e) != AE_IFREG)
			continue;
		it = archivelist_add(af, raw != NULL ? archivelist_name(raw,
		    len, &charset) : g_strdup("?"));
		if (strcmp(charset, "UTF-8") != 0)
			af->charset = charset;
		it->size = declared;
		if (arc.archive_entry_is_encrypted(e)) {
			it->encrypted = af->encrypted = true;
			continue;
		}
		if (entry_look(l, it, declared) < 0)
			return;
	}
	if (r != ARCHIVE_EOF) {
		/* A 7z whose names are encrypted says so only here. */
		if (arc.archive_read_has_encrypted_entries(l->a) > 0)
			af->encrypted = true;
		else
			g_snprintf(af->error, sizeof(af->error), "%s",
			    arc.archive_error_string(l->a) ?
			    arc.archive_error_string(l->a) : "damaged");
	}
}

/*
 * Only the format the first bytes name is read.  libarchive otherwise
 * bids every reader, and its zip reader looks for a central directory at
 * the end of the file: a RAR or a 7z whose last stored entry is a zip (a
 * .docx) was listed as that zip, so a program stored before it was never
 * seen.  What staff open the file with (WinRAR, 7-Zip) goes by the start.
 */
static void
arc_formats(struct archive *a, const char *mime)
{
	bool zip = strcmp(mime, "application/zip") == 0;
	bool rar = strcmp(mime, "application/x-rar") == 0 ||
	    strcmp(mime, "application/vnd.rar") == 0;
	bool sz = strcmp(mime, "application/x-7z-compressed") == 0;
	bool any = !zip && !rar && !sz;

	if (zip || any)
		arc.archive_read_support_format_zip(a);
	if (sz || any)
		arc.archive_read_support_format_7zip(a);
	if (rar || any) {
		arc.archive_read_support_format_rar(a);
		arc.archive_read_support_format_rar5(a);
	}
}

void
inspect_archive_fd(int fd, const char *mime, bool entries, int tmpdir,
    const struct inspect_limits *lim, struct media_facts *f)
{
	struct inspect_limits resolved;
	struct listing l = { .lim = &resolved, .entries = entries,
	    .tmpdir = tmpdir };
	locale_t loc = utf8_locale(), old = (locale_t)0;
	struct arc_io *z;
	const char *missing;
	struct stat st;

	inspect_limits_resolve(&resolved, lim);
	f->kind = FACTS_ARCHIVE;
	f->archive = l.facts = archivelist_new();
	if ((missing = arc_load()) != NULL || fstat(fd, &st) < 0) {
		f->failed = true;
		g_strlcpy(f->error, missing != NULL ? missing :
		    g_strerror(errno), sizeof(f->error));
		return;
	}
	f->size = l.facts->size = (uint64_t)st.st_size;
	z = g_new0(struct arc_io, 1);
	z->fd = fd;
	z->size = st.st_size;
	l.a = arc.archive_read_new();
	l.head = g_malloc(LIMIT_MAGIC_BYTES);
	arc_formats(l.a, mime != NULL ? mime : "");
	arc.archive_read_set_read_callback(l.a, arc_read);
	arc.archive_read_set_seek_callback(l.a, arc_seek);
	arc.archive_read_set_callback_data(l.a, z);
	if (loc != (locale_t)0)
		old = uselocale(loc);
	if (arc.archive_read_open1(l.a) != ARCHIVE_OK)
		g_snprintf(l.facts->error, sizeof(l.facts->error), "%s",
		    arc.archive_error_string(l.a) ?
		    arc.archive_error_string(l.a) : "not an archive");
	else {
		l.facts->opened = true;
		list_entries(&l);
	}
	if (loc != (locale_t)0)
		(void)uselocale(old);
	g_strlcpy(f->error, l.facts->error, sizeof(f->error));
	f->bytes_read = z->read;
	arc.archive_read_free(l.a);
	g_free(l.head);
	g_free(z);
}
