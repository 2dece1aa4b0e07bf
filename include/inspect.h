/*
 * inspect: what a video or audio file measures (mediarule.h's facts:
 * duration, picture size and shape, frame rate, overall bitrate, sound),
 * read from the container's headers and index by libavformat: never a
 * decoding loop, only the one or two frames avformat_find_stream_info()
 * looks at for the pixel shape.  A picture's size, colour model and
 * density come from its header (imagehead.h), a text work's 字数 from
 * its text (inspect_doc.c: .docx by libarchive, PDF by poppler, .txt),
 * an archive's entries from its listing (inspect_archive.c, archivelist.h).
 *
 * FFmpeg is not linked: the process that inspects loads libavformat with
 * dlopen on first use (a missing library is facts.media.failed, said),
 * so the daemon never maps libavcodec and its codec libraries.
 *
 * The file is read through a counting AVIOContext with a byte budget
 * (inspect_limits.media_bytes), a deadline (media_ms) and a whitelist of
 * demuxers; a demuxer that wants to open another file (a MOV reference,
 * a playlist) is refused.  A 1 GiB MP4 costs under 0.5 MiB of reads,
 * moov first or last.
 *
 * libavformat parses hostile bytes in C, so the daemon does not run it
 * in its own process: inspect_file() spawns `subgate inspect --json --fd
 * 3` (/proc/self/exe, posix_spawn: safe beside threads) with the file on
 * fd 3; the child limits its own address space and CPU time before it
 * reads a byte, and answers one line of JSON on a pipe the parent reads
 * with a deadline and a size bound.  A child that dies, overruns or
 * answers nonsense is facts.media.failed ("inspect-failed", a note for
 * staff), never a refusal and never the daemon's crash.  With
 * SUBGATE_INSPECT_INPROC=1 in the environment it runs in-process (unit
 * tests, sanitizers).
 *
 * Returns: 0 with the facts (a file that cannot be read is
 * facts.media.readable false, with the reason); <0 only for the
 * environment (no pipe, no process: FAULT_ENVIRONMENT), with *error_r
 * (g_free).
 */
#ifndef SUBGATE_INSPECT_H
#define SUBGATE_INSPECT_H

#include <stdint.h>

#include "mediarule.h"

struct inspect_limits;
struct regform_cells;
typedef struct _JsonObject JsonObject;

struct content_facts {
	char mime[96];			/* libmagic's type; "" unknown */
	struct media_facts media;	/* its archive listing is owned here:
					   content_facts_clear() */
	uint32_t elapsed_ms;		/* of the inspection */
	/* With inspect_ask.form, a .docx's table cells and paragraphs
	 * (regform.h), up to inspect_limits.form_items and form_bytes;
	 * NULL otherwise, or when the document could not be read. */
	struct regform_cells *form;
};

/* What is asked of one inspection besides the file. */
struct inspect_ask {
	const char *mime;		/* its type by content; NULL: "" */
	/* An archive (zip, 7z, RAR) is always listed, each entry typed
	 * by its first bytes; with entries, its video, picture and text
	 * entries are also measured, each extracted in turn into an
	 * unnamed file under the directory tmpdir (-1: none, and then
	 * they are not). */
	bool entries;
	int tmpdir;
	/* Read a .docx's cells as a registration form's too (the file
	 * is of a kind with form.LABEL keys): content_facts.form. */
	bool form;
};

/* What content_facts owns (the form's cells, an archive's listing). */
void content_facts_clear(struct content_facts *f);

/* In this process: the facts of the file open on fd (read with pread,
 * its offset untouched).  Never fails: what went wrong is in *f. */
void inspect_media_fd(int fd, const struct inspect_limits *lim,
    struct media_facts *f);
/* A picture's header (f->kind FACTS_IMAGE; f->image.known false when the
 * header gives no size), a text work's 字数 (FACTS_TEXT) by its type. */
void inspect_image_fd(int fd, const struct inspect_limits *lim,
    struct media_facts *f);
/* form_r (may be NULL): a .docx's cells as well (NULL when it is not
 * one, or cannot be read). */
void inspect_text_fd(int fd, const char *mime,
    const struct inspect_limits *lim, struct media_facts *f,
    struct regform_cells **form_r);
/* The one of these the type by content calls for, or an archive's
 * listing (f->archive: media_facts_free(), or the content_facts' clear);
 * form_r (may be NULL): a .docx's cells as well. */
void inspect_content_fd(int fd, const struct inspect_ask *ask,
    const struct inspect_limits *lim, struct media_facts *f,
    struct regform_cells **form_r);

/* The facts of the video or audio file open on fd, whose type by content
 * is mime, in a child process (or in-process, see above); lim NULL:
 * defaults. */
/* Only the subgate program answers `subgate inspect`: its main() says so
 * before any inspection.  Any other program linking this library (a
 * test, a fuzzer) inspects in-process, since re-running itself as the
 * child would start its own work over again in every child. */
void inspect_use_child(void);
int inspect_file(int fd, const struct inspect_ask *ask,
    const struct inspect_limits *lim, struct content_facts *f,
    char **error_r);

/* The facts as one line of JSON, the child's answer (g_free), and back;
 * <0 with *error_r for a document that is not such an answer.  A form's
 * cells travel as "form": {"cells": [[table, row, col, span, vmerge,
 * text], ...], "paragraphs": [[tables before, text], ...]}, read back
 * within LIMIT_FORM_ITEMS and LIMIT_FORM_BYTES whatever the answer says
 * (content_facts_clear). */
char *inspect_facts_json(const struct content_facts *f);
int inspect_facts_parse(const char *text, size_t len,
    struct content_facts *f, char **error_r);

/* The media facts as the object case.json keeps under content.media
 * (json_object_unref), and back (what is missing stays unknown). */
JsonObject *inspect_media_object(const struct media_facts *f);
/* The member of case.json's content the object goes under: "media",
 * "image", "text" or "archive" (whose object lists the entries, each
 * with its own facts under its member). */
const char *inspect_facts_member(const struct media_facts *f);
void inspect_media_from_object(JsonObject *o, struct media_facts *f);

#endif
