/*
 * contenttype: what each attachment of a mail is by its content, as
 * libmagic reads its first bytes: a MIME type such as "video/mp4" or
 * "application/vnd.microsoft.portable-executable", which contentrule.h
 * judges.  Names lie (a program sent as 星城大爱.mp4); the first bytes of
 * a file are what the program that opens it believes.
 *
 * The attachment is decoded from the parsed message (base64 and all) up
 * to mail_limits.magic_bytes (LIMIT_MAGIC_BYTES), before anything is
 * written to the store, so a mail refused for what it carries leaves no
 * case folder behind and takes no receipt number.  libmagic's database
 * is loaded once per process, on first use; a libmagic handle is not
 * safe to share between threads, so the calls are serialised.
 *
 * Returns: 0 ok; FAULT_ENVIRONMENT when the database cannot be loaded (an
 * installation fault: intake waits, no mail is judged without the check)
 * or the message's bytes cannot be read; *error_r (g_free) says why.
 */
#ifndef SUBGATE_CONTENTTYPE_H
#define SUBGATE_CONTENTTYPE_H

#include <stddef.h>

struct mail_limits;
struct message;

/* The type of len bytes (the head of a file) into *mime_r (g_free). */
int contenttype_of_buffer(const void *buf, size_t len, char **mime_r,
    char **error_r);

/* One type per attachment of msg, in message_attachment_*() order, into
 * *types_r (g_strfreev; "" for an empty one, or one libmagic gave up
 * on).  limits NULL: defaults.  >0: that many were given up on, *error_r
 * says why for the first (the caller logs it; the files are judged by
 * their names). */
int contenttype_of_attachments(const struct message *msg,
    const struct mail_limits *limits, char ***types_r, char **error_r);

#endif
