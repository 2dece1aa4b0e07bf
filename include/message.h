/*
 * message: one fetched mail, parsed with GMime, seen the way subgate needs
 * it: decoded subject and sender, and the list of attachments with their
 * decoded names, streamed out one at a time into the case store.
 *
 * Decoding is deliberately loose, as Chinese mail needs it to be: RFC 2047
 * words anywhere (also inside quoted name="..." parameters, as Foxmail and
 * Outlook send them), raw 8-bit header bytes tried as UTF-8, GB18030, Big5
 * and ISO-8859-1 in that order, gb2312/gbk labels read as GB18030 (mail
 * labelled gb2312 is routinely GBK or GB18030), and a multibyte character
 * split across two encoded words joined before it is converted.
 *
 * Which leaves are attachments: every leaf with a file name; every leaf
 * with Content-Disposition: attachment; every other leaf that is not text
 * (an unnamed image/video/application part is still a submission).
 * Unnamed text/plain and text/html leaves without "attachment" are body
 * text.  Signature parts (application/pkcs7-signature, pgp-signature) are
 * not attachments.  Forwarded message/rfc822 parts are walked into and
 * their leaves judged the same way.  Unnamed attachments get a name from
 * their content type and 1-based position: 附件2.docx.
 *
 * Limits: the walk stops at LIMIT_MIME_DEPTH nesting levels and
 * LIMIT_MIME_PARTS leaves, and header bytes over LIMIT_HEADER_BYTES are
 * flagged; message_limit_exceeded() then says which (the attachments found
 * before the limit are still listed).  Malformed input never fails the
 * parse unless nothing mail-like is there at all.
 *
 * The message keeps the file open (GMime streams parts from it on demand);
 * message_free() closes it.  Every string returned is owned by the message
 * and lives until message_free().
 */
#ifndef SUBGATE_MESSAGE_H
#define SUBGATE_MESSAGE_H

#include <stdint.h>
#include <stddef.h>

struct message;

/* 0 ok; <0 when the file cannot be read or holds no mail (*error_r set,
 * g_free).  An odd but mail-like file parses. */
int message_parse_file(const char *path, struct message **msg_r, char **error_r);
void message_free(struct message **msg);

/* Decoded UTF-8, "" when absent; whitespace controls become spaces; cut at
 * LIMIT_SUBJECT_BYTES on a character boundary. */
const char *message_subject(const struct message *m);
/* addr-spec of the first From mailbox, "" when none. */
const char *message_from_address(const struct message *m);
/* Decoded display name of that mailbox, "" when none. */
const char *message_from_name(const struct message *m);
/* First Reply-To mailbox when there is one, else the From address. */
const char *message_reply_address(const struct message *m);
/* Message-ID without the angle brackets, "" when absent. */
const char *message_id(const struct message *m);
/* References as sent (unfolded), "" when absent. */
const char *message_references(const struct message *m);
/* First top-level header of that name (case-insensitive), unfolded and
 * trimmed but not decoded: raw bytes, not necessarily UTF-8.  NULL when
 * absent. */
const char *message_header(const struct message *m, const char *name);
/* The Date header as sent, or NULL. */
const char *message_date(const struct message *m);
/* NULL, or which limit was hit, in Chinese and English. */
const char *message_limit_exceeded(const struct message *m);

/* Delivery status notification (multipart/report; report-type=
 * delivery-status, or a message/delivery-status part). */
int message_is_dsn(const struct message *m);
/* An auto-reply: Auto-Submitted other than "no", X-Autoreply,
 * X-Autorespond, Precedence auto_reply/bulk/junk, or a subject such as
 * 自动回复 / Automatic reply / Out of Office. */
int message_is_auto_reply(const struct message *m);

size_t message_attachment_count(const struct message *m);
/* Decoded original name in UTF-8 (directory part dropped), or a derived
 * one such as 附件1.mp4.  Not yet safe for the file system: see safename. */
const char *message_attachment_name(const struct message *m, size_t i);
/* Lower-case "type/subtype" as declared, e.g. "video/mp4". */
const char *message_attachment_content_type(const struct message *m, size_t i);
/* 1 when the name was derived from the content type, 0 when sent. */
int message_attachment_name_derived(const struct message *m, size_t i);

/*
 * Write attachment i's decoded content to name, relative to dirfd
 * (O_CREAT|O_EXCL, mode 0640), streaming, and fsync it.  *size_r and
 * sha256_hex_r (lower-case hex, NUL-terminated) describe the bytes
 * written.  0 ok; <0 error (*error_r set; a partly written file is
 * removed).
 */
int message_attachment_save(const struct message *m, size_t i, int dirfd,
    const char *name, uint64_t *size_r, char sha256_hex_r[65], char **error_r);

#endif
