/*
 * tnef: the files inside an Outlook winmail.dat (application/ms-tnef).
 *
 * Outlook, set to "Rich Text" format, wraps every attachment of a mail in
 * one TNEF stream; without this module a submission sent that way arrives
 * as a single opaque winmail.dat.  tnef_parse() takes the decoded bytes
 * and lists the file attachments inside, each with its names and its
 * content as a slice of the input (no copy).  Pure: no I/O, no logging.
 *
 * The stream's framing (signature, attribute lengths, checksums) is
 * checked here first; any damage fails the whole parse, so the caller
 * keeps winmail.dat itself.  Each attachment's MAPI properties are then
 * read with libytnef, one attachment at a time, so one it cannot read
 * does not hide the others.
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

/* 0 ok (possibly with no files: a TNEF holding only a rich-text body);
 * <0 when the bytes are not an intact TNEF stream or exceed the limits'
 * tnef_bytes (*error_r set, g_free).  limits NULL: the defaults
 * (LIMIT_TNEF_BYTES, LIMIT_MIME_PARTS); read during the call only.  The
 * result holds a reference to data. */
int tnef_parse(GBytes *data, const struct mail_limits *limits,
    struct tnef **tnef_r, char **error_r);
void tnef_free(struct tnef **tnef);

size_t tnef_file_count(const struct tnef *tnef);
/* PR_ATTACH_LONG_FILENAME in UTF-8, or NULL. */
const char *tnef_file_long_name(const struct tnef *tnef, size_t i);
/* attAttachTitle (often an 8.3 name) in UTF-8, or NULL. */
const char *tnef_file_title(const struct tnef *tnef, size_t i);
/* The file's bytes; owned by the result: g_bytes_ref() to keep them
 * longer. */
GBytes *tnef_file_data(const struct tnef *tnef, size_t i);
/* 1 when the stream carries something not listed as a file. */
int tnef_has_unextracted(const struct tnef *tnef);

#endif
