/*
 * tnef: the files inside an Outlook winmail.dat (application/ms-tnef).
 *
 * Outlook, set to "Rich Text" format, wraps every attachment of a mail in
 * one TNEF stream; without this module a submission sent that way arrives
 * as a single opaque winmail.dat.  A tnef_reader is fed the decoded bytes
 * in pieces, as they come out of the MIME part, and lists the file
 * attachments inside, each with its names and the place of its content in
 * the stream (offset and size): the caller reads the content from the
 * part again when it wants it.  Nothing the size of a file is ever held,
 * so a winmail.dat of 60 MB costs what one of 60 KB does.  Pure: no I/O,
 * no logging.
 *
 * The stream's framing (signature, attribute lengths, checksums) is
 * checked as it arrives; any damage fails the whole parse, so the caller
 * keeps winmail.dat itself.  Each attachment's MAPI properties (at most
 * 512 KiB of them, as much as libytnef reads) are read with libytnef when
 * the attachment is complete, one attachment at a time, so one it cannot
 * read does not hide the others.
 *
 * Names: the MAPI long file name (PR_ATTACH_LONG_FILENAME) and the legacy
 * title (attAttachTitle), both in UTF-8.  8-bit strings are read as UTF-8
 * when valid, else in the stream's OEM code page (CP936 and its kin as
 * GB18030, as Chinese Outlook writes them), else as GB18030, else
 * ISO-8859-1.  Either may be NULL; the caller chooses and cleans.
 *
 * Only attachments by value are files.  Embedded messages, OLE objects,
 * references, attachments whose properties do not parse and any beyond
 * the limits' mime_parts are not listed; tnef_has_unextracted() then says 1 so
 * the caller keeps winmail.dat too, losing nothing.
 */
#ifndef SUBGATE_TNEF_H
#define SUBGATE_TNEF_H

#include <stddef.h>

#include <glib.h>

struct mail_limits;
struct tnef;
struct tnef_reader;

/* limits NULL: the defaults (LIMIT_TNEF_BYTES, LIMIT_MIME_PARTS); copied. */
struct tnef_reader *tnef_reader_new(const struct mail_limits *limits);
/* The next len bytes.  0: more wanted; <0 when they are not an intact
 * TNEF stream or the stream exceeds the limits' tnef_bytes (*error_r set,
 * g_free; stop feeding). */
int tnef_reader_feed(struct tnef_reader *reader, const void *data,
    size_t len, char **error_r);
/* The end of the stream: 0 ok, *tnef_r set (possibly with no files: a
 * TNEF holding only a rich-text body); <0 when the stream was refused or
 * ends inside an attribute (*error_r).  Frees the reader either way. */
int tnef_reader_finish(struct tnef_reader **reader, struct tnef **tnef_r,
    char **error_r);
void tnef_reader_free(struct tnef_reader **reader);

/*
 * libytnef prints its complaints about damaged properties with printf, on
 * the process's standard output, where the program's own output goes (a
 * line before `subgate ingest --json`'s JSON).  This module does no I/O: a
 * program that minds sets begin and end, called around each libytnef
 * call, to keep that output away.  NULL, NULL: nothing is done.
 */
void tnef_set_library_guard(void (*begin)(void), void (*end)(void));

/* The three above on bytes in memory. */
int tnef_parse(GBytes *data, const struct mail_limits *limits,
    struct tnef **tnef_r, char **error_r);
void tnef_free(struct tnef **tnef);

size_t tnef_file_count(const struct tnef *tnef);
/* PR_ATTACH_LONG_FILENAME in UTF-8, or NULL. */
const char *tnef_file_long_name(const struct tnef *tnef, size_t i);
/* attAttachTitle (often an 8.3 name) in UTF-8, or NULL. */
const char *tnef_file_title(const struct tnef *tnef, size_t i);
/* Where the file's bytes are in the stream, and how many. */
guint64 tnef_file_offset(const struct tnef *tnef, size_t i);
guint64 tnef_file_size(const struct tnef *tnef, size_t i);
/* 1 when the stream carries something not listed as a file. */
int tnef_has_unextracted(const struct tnef *tnef);

#endif
