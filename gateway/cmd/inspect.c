/*
 * inspect: `subgate inspect [--json] FILE...`, what each file is by its
 * content and, for video and audio, what its headers and index measure,
 * for pictures their size and colour model, for text works their 字数
 * (include/inspect.h): a staff tool, and (with --fd and --type) the child
 * the daemon runs on each attachment a campaign has rules for.
 *
 * Before reading a byte the process limits itself: address space (not
 * under AddressSanitizer, which reserves terabytes of it), CPU seconds,
 * no file written, no core dumped.  A hostile file that defeats
 * libavformat kills this process, not the daemon.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sysexits.h>
#include <unistd.h>

#include <glib.h>

#include "cli.h"
#include "contenttype.h"
#include "crashpoint.h"
#include "archivelist.h"
#include "contentrule.h"
#include "inspect.h"
#include "mail_limits.h"
#include "regform.h"

#if defined(__SANITIZE_ADDRESS__)
#define INSPECT_ASAN	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define INSPECT_ASAN	1
#endif
#endif

static const char inspect_usage[] =
"usage: subgate inspect [--json] [--form] FILE...\n"
"\n"
"What each file is by its content (libmagic) and, for video and audio,\n"
"what its container's headers and index say: duration, picture size and\n"
"shape, frame rate, overall bitrate, sound; for a picture its size,\n"
"colour model and density; for a .docx, .pdf or .txt its 字数 as Word\n"
"counts it; for a zip, 7z or RAR archive each entry's name, size and type\n"
"by content, and the same facts of its video, picture and text entries;\n"
"and how many bytes were read to learn it.  No decoding and\n"
"no campaign: the facts the campaign rules (subgate.campaign(5):\n"
"duration, resolution, pixels, characters, ...) are judged on.  One line\n"
"per file, tab-separated (--json: one JSON object per line).  --form:\n"
"also a .docx's table cells and the lines outside its tables, as a\n"
"registration form is read (form.LABEL = FIELD), one a line.  Exit 0,\n"
"or 66 when a file cannot be opened.\n";

enum { INSPECT_OPT_FD = 256, INSPECT_OPT_TYPE, INSPECT_OPT_FORM,
    INSPECT_OPT_ENTRIES, INSPECT_OPT_TMPDIR_FD };

static const struct option inspect_long[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "form", no_argument, NULL, INSPECT_OPT_FORM },
	{ "fd", required_argument, NULL, INSPECT_OPT_FD },
	{ "type", required_argument, NULL, INSPECT_OPT_TYPE },
	{ "entries", no_argument, NULL, INSPECT_OPT_ENTRIES },
	{ "tmpdir-fd", required_argument, NULL, INSPECT_OPT_TMPDIR_FD },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* child: also no file written (stdout is a pipe then; a staff member
 * may send the tool's output to a file), but for an archive's entries
 * extracted to be measured, each within the archive's budget. */
static void
limit_self(const struct inspect_limits *lim, bool child, bool extracts)
{
	struct rlimit cpu = { lim->inspect_cpu_s, lim->inspect_cpu_s + 1 };
	struct rlimit none = { 0, 0 };
	struct rlimit budget = { lim->archive_bytes, lim->archive_bytes };

#ifndef INSPECT_ASAN
	struct rlimit as = { lim->inspect_memory, lim->inspect_memory };

	(void)setrlimit(RLIMIT_AS, &as);
#endif
	(void)setrlimit(RLIMIT_CPU, &cpu);
	/* Past the limit a write fails (EFBIG) rather than kill us. */
	(void)signal(SIGXFSZ, SIG_IGN);
	if (child)
		(void)setrlimit(RLIMIT_FSIZE, extracts ? &budget : &none);
	(void)setrlimit(RLIMIT_CORE, &none);
}

/* The type of the file's first bytes, "" when libmagic cannot say. */
static void
file_mime(int fd, char *mime, size_t len)
{
	g_autofree char *buf = g_malloc(LIMIT_MAGIC_BYTES);
	g_autofree char *type = NULL, *why = NULL;
	ssize_t n = pread(fd, buf, LIMIT_MAGIC_BYTES, 0);

	*mime = '\0';
	if (n > 0 && contenttype_of_buffer(buf, (size_t)n, &type, &why) == 0)
		g_strlcpy(mime, type, len);
}

/* "\ttable 0 row 2 col 1\t微视频", one a cell, then the paragraphs. */
static void
print_form(const struct regform_cells *form)
{
	size_t i;

	for (i = 0; i < regform_cells_cell_count(form); i++) {
		const struct regform_cell *c = regform_cells_cell(form, i);
		g_autofree char *text = cli_cell(c->text);

		printf("\ttable %u row %u col %u%s\t%s\n", c->table, c->row,
		    c->col, c->vmerge == REGFORM_VMERGE_CONTINUE ? " (merged)" :
		    "", text);
	}
	for (i = 0; i < regform_cells_paragraph_count(form); i++) {
		g_autofree char *text = cli_cell(
		    regform_cells_paragraph(form, i)->text);

		printf("\tline\t%s\n", text);
	}
}

/* An archive's listing: a line for the whole, one per entry below. */
static void
print_archive(const char *cell, const struct content_facts *f)
{
	const struct archive_facts *a = f->media.archive;
	g_autofree char *over = a != NULL ? archivelist_over_text(a) : NULL;
	size_t i;

	if (a == NULL || !a->opened) {
		printf("%s\t%s\tunreadable: %s\n", cell, f->mime,
		    f->media.error);
		return;
	}
	printf("%s\t%s\t%u entries, %" G_GUINT64_FORMAT " bytes expanded, "
	    "names %s%s%s%s%s\tread %" G_GUINT64_FORMAT " bytes (file %"
	    G_GUINT64_FORMAT ") in %u ms\n", cell, f->mime, a->entries,
	    a->expanded, a->charset, a->encrypted ? ", encrypted" : "",
	    over != NULL ? ", over " : "", over != NULL ? over : "",
	    *a->error != '\0' ? ", damaged" : "", f->media.bytes_read,
	    f->media.size, f->elapsed_ms);
	for (i = 0; i < a->count; i++) {
		const struct archive_item *it = &a->items[i];
		g_autofree char *name = cli_cell(it->name);
		g_autofree char *facts = it->media != NULL ?
		    mediarule_facts_text(it->media) : NULL;

		printf("  %s\t%s\t%" G_GUINT64_FORMAT " bytes%s%s%s\n", name,
		    it->encrypted ? "encrypted" : *it->mime != '\0' ?
		    it->mime : "-", it->size, it->nested ? ", not opened" : "",
		    facts != NULL ? ", " : "", facts != NULL ? facts : "");
	}
}

static void
print_facts(const char *name, const struct content_facts *f, bool json)
{
	g_autofree char *text = NULL, *cell = NULL;
	bool media = g_str_has_prefix(f->mime, "video/") ||
	    g_str_has_prefix(f->mime, "audio/") ||
	    g_str_has_prefix(f->mime, "image/") ||
	    mediarule_text_mime(f->mime);

	if (json) {
		text = inspect_facts_json(f);
		printf("%s\n", text);
		return;
	}
	cell = cli_cell(name);
	if (contentrule_is_archive(f->mime)) {
		print_archive(cell, f);
		return;
	}
	if (!media) {
		printf("%s\t%s\t-\t-\n", cell, *f->mime ? f->mime : "-");
		return;
	}
	text = mediarule_facts_text(&f->media);
	printf("%s\t%s\t%s\tread %" G_GUINT64_FORMAT " bytes (file %"
	    G_GUINT64_FORMAT ") in %u ms\n", cell, f->mime, text,
	    f->media.bytes_read, f->media.size, f->elapsed_ms);
	if (f->form != NULL)
		print_form(f->form);
}

/* One file: its type (the daemon's word for it in the child), then its
 * facts where it is video, audio, a picture or a text work. */
static void
inspect_one(int fd, const char *name, struct inspect_ask *ask,
    const struct inspect_limits *lim, bool json, bool child)
{
	struct content_facts f = { 0 };
	gint64 start = g_get_monotonic_time();

	f.media.duration_ms = -1;
	if (ask->mime != NULL)
		g_strlcpy(f.mime, ask->mime, sizeof(f.mime));
	else
		file_mime(fd, f.mime, sizeof(f.mime));
	ask->mime = f.mime;
	if (child || g_str_has_prefix(f.mime, "video/") ||
	    g_str_has_prefix(f.mime, "audio/") ||
	    g_str_has_prefix(f.mime, "image/") ||
	    mediarule_text_mime(f.mime) || contentrule_is_archive(f.mime))
		inspect_content_fd(fd, ask, lim, &f.media,
		    ask->form ? &f.form : NULL);
	f.elapsed_ms = (uint32_t)((g_get_monotonic_time() - start) / 1000);
	print_facts(name, &f, json);
	content_facts_clear(&f);
}

int
cmd_inspect(int argc, char **argv)
{
	struct inspect_limits lim;
	struct inspect_ask ask = { .tmpdir = -1 };
	const char *type = NULL;
	bool json = false, entries = false, form = false;
	long fd = -1, tmpdir = -1;
	int ch, i, ret = EX_OK;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", inspect_long, NULL)) != -1) {
		switch (ch) {
		case 'j':
			json = true;
			break;
		case INSPECT_OPT_FD:
			fd = strtol(optarg, NULL, 10);
			break;
		case INSPECT_OPT_TYPE:
			type = optarg;
			break;
		case INSPECT_OPT_FORM:
			form = true;
			break;
		case INSPECT_OPT_ENTRIES:
			entries = true;
			break;
		case INSPECT_OPT_TMPDIR_FD:
			tmpdir = strtol(optarg, NULL, 10);
			break;
		case 'h':
			fputs(inspect_usage, stdout);
			return EX_OK;
		default:
			fputs(inspect_usage, stderr);
			return EX_USAGE;
		}
	}
	if ((fd < 0 && optind >= argc) || (fd >= 0 && (optind < argc ||
	    fd > 1024))) {
		fputs(inspect_usage, stderr);
		return EX_USAGE;
	}
	if (tmpdir > 1024)
		tmpdir = -1;
	inspect_limits_resolve(&lim, NULL);
	limit_self(&lim, fd >= 0, entries && tmpdir >= 0);
	if (fd >= 0) {
		/* A decoder bug, as the tests make one. */
		if (failpoint("inspect-child"))
			abort();
		ask = (struct inspect_ask){ .mime = type, .entries = entries,
		    .tmpdir = (int)tmpdir, .form = form };
		inspect_one((int)fd, "-", &ask, &lim, true, true);
		return fflush(stdout) == 0 ? EX_OK : EX_IOERR;
	}
	/* Staff see an archive's entries measured too, from copies in
	 * the temporary directory. */
	ask.entries = true;
	ask.tmpdir = open(g_get_tmp_dir(), O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC);
	for (i = optind; i < argc; i++) {
		int f = open(argv[i], O_RDONLY | O_CLOEXEC);

		if (f < 0) {
			fprintf(stderr, "subgate inspect: %s: %s\n", argv[i],
			    g_strerror(errno));
			ret = EX_NOINPUT;
			continue;
		}
		ask.mime = NULL;
		ask.form = form;
		inspect_one(f, argv[i], &ask, &lim, json, false);
		close(f);
	}
	if (ask.tmpdir >= 0)
		close(ask.tmpdir);
	return ret;
}
