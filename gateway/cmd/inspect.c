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
"counts it; and how many bytes were read to learn it.  No decoding and\n"
"no campaign: the facts the campaign rules (subgate.campaign(5):\n"
"duration, resolution, pixels, characters, ...) are judged on.  One line\n"
"per file, tab-separated (--json: one JSON object per line).  --form:\n"
"also a .docx's table cells and the lines outside its tables, as a\n"
"registration form is read (form.LABEL = FIELD), one a line.  Exit 0,\n"
"or 66 when a file cannot be opened.\n";

enum { INSPECT_OPT_FD = 256, INSPECT_OPT_TYPE, INSPECT_OPT_FORM };

static const struct option inspect_long[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "form", no_argument, NULL, INSPECT_OPT_FORM },
	{ "fd", required_argument, NULL, INSPECT_OPT_FD },
	{ "type", required_argument, NULL, INSPECT_OPT_TYPE },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* child: also no file written (stdout is a pipe then; a staff member
 * may send the tool's output to a file). */
static void
limit_self(const struct inspect_limits *lim, bool child)
{
	struct rlimit cpu = { lim->inspect_cpu_s, lim->inspect_cpu_s + 1 };
	struct rlimit none = { 0, 0 };

#ifndef INSPECT_ASAN
	struct rlimit as = { lim->inspect_memory, lim->inspect_memory };

	(void)setrlimit(RLIMIT_AS, &as);
#endif
	(void)setrlimit(RLIMIT_CPU, &cpu);
	if (child)
		(void)setrlimit(RLIMIT_FSIZE, &none);
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
inspect_one(int fd, const char *name, const char *type,
    const struct inspect_limits *lim, bool json, bool child, bool form)
{
	struct content_facts f = { 0 };
	gint64 start = g_get_monotonic_time();

	f.media.duration_ms = -1;
	if (type != NULL)
		g_strlcpy(f.mime, type, sizeof(f.mime));
	else
		file_mime(fd, f.mime, sizeof(f.mime));
	if (child || g_str_has_prefix(f.mime, "video/") ||
	    g_str_has_prefix(f.mime, "audio/") ||
	    g_str_has_prefix(f.mime, "image/") || mediarule_text_mime(f.mime))
		inspect_content_fd(fd, f.mime, lim, &f.media,
		    form ? &f.form : NULL);
	f.elapsed_ms = (uint32_t)((g_get_monotonic_time() - start) / 1000);
	print_facts(name, &f, json);
	content_facts_clear(&f);
}

int
cmd_inspect(int argc, char **argv)
{
	struct inspect_limits lim;
	const char *type = NULL;
	bool json = false, form = false;
	long fd = -1;
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
	inspect_limits_resolve(&lim, NULL);
	limit_self(&lim, fd >= 0);
	if (fd >= 0) {
		/* A decoder bug, as the tests make one. */
		if (failpoint("inspect-child"))
			abort();
		inspect_one((int)fd, "-", type, &lim, true, true, form);
		return fflush(stdout) == 0 ? EX_OK : EX_IOERR;
	}
	for (i = optind; i < argc; i++) {
		int f = open(argv[i], O_RDONLY | O_CLOEXEC);

		if (f < 0) {
			fprintf(stderr, "subgate inspect: %s: %s\n", argv[i],
			    g_strerror(errno));
			ret = EX_NOINPUT;
			continue;
		}
		inspect_one(f, argv[i], NULL, &lim, json, false, form);
		close(f);
	}
	return ret;
}
