/*
 * message: one fetched mail, parsed with GMime, seen the way subgate needs
 * it: decoded subject and sender, and the list of attachments with their
 * decoded names, each handed out as a stream of its decoded content for
 * the case store (store_write_stream) to write.
 *
 * Pure: the parser reads only the bytes it is given (a GMimeStream, or a
 * buffer) and writes nothing; message_parse_file() is the one entry that
 * opens a file, and it lives in gateway/message_file.c.  Fuzzing and
 * tests parse from memory.  The parser is parsers/message*.c, one file per
 * concern (headers, attachments, bounces and auto-replies); which does
 * what is in parsers/message-private.h.
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
 * Outlook's winmail.dat (a leaf typed application/ms-tnef or
 * application/vnd.ms-tnef, or named winmail.dat in any letter case) is
 * read through once, a buffer at a time, up to the limits' tnef_bytes,
 * and the files it carries are listed in its place (see tnef.h): each under its MAPI long
 * file name, else its attachment title (8-bit names read as UTF-8, else
 * in the stream's code page, GBK for Chinese Outlook), else a derived
 * name, all cleaned like other names; the content type is guessed from the
 * extension (application/octet-stream when unknown); size and SHA-256
 * are those of the file itself.  winmail.dat is kept as an ordinary
 * attachment when it is damaged, over the limit or carries no file (only
 * a rich-text body), and also, after the files taken out of it, when it
 * carries something that is no file (an embedded message, an OLE object).
 *
 * Limits: a struct mail_limits handed in at parse time (NULL: the
 * defaults, LIMIT_* in mail_limits.h) and kept, resolved, for the
 * message's life.  Before GMime sees the bytes they are read once and
 * counted (mime_scan.h): nesting depth, leaf parts, header bytes and
 * fields, preamble and epilogue bytes; GMime is handed only what comes
 * before the first limit broken, so memory does not grow with a hostile
 * message's part or header count.  The walk stops at mime_depth nesting
 * levels and mime_parts leaves too (files taken out of winmail.dat count
 * as leaves), and the subject is cut at subject_bytes;
 * message_limit_exceeded() then says which limit was hit first (the
 * attachments found before it are still listed).  Malformed input never
 * fails the parse unless nothing mail-like is there at all (a header cut
 * at a limit is mail-like).
 *
 * The message holds a reference to the stream it was parsed from (GMime
 * reads parts from it on demand, files inside winmail.dat included);
 * message_free() drops it, closing the file of message_parse_file().  Every string returned is owned by the message
 * and lives until message_free().
 */
#ifndef SUBGATE_MESSAGE_H
#define SUBGATE_MESSAGE_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

#include <gmime/gmime.h>

#include "mime_scan.h"

struct mail_limits;
struct message;

/* 0 ok; <0 when the stream holds no mail or cannot be read (*error_r
 * set, g_free).  An odd but mail-like stream parses.  It is read from its
 * position to the end twice: once counted, once parsed.  stream must be seekable for parts to be
 * read on demand (a file or memory stream); the message takes its own
 * reference, the caller keeps (and unrefs) theirs.  limits NULL: the
 * defaults; copied, so the caller's struct need not outlive the call. */
int message_parse_stream(GMimeStream *stream, const struct mail_limits *limits,
    struct message **msg_r, char **error_r);
/* The same from len bytes in memory (copied: data may go once this
 * returns). */
int message_parse_data(const char *data, size_t len,
    const struct mail_limits *limits, struct message **msg_r,
    char **error_r);
/* The same from a file, opened read-only and kept open by the message
 * (gateway/message_file.c).  <0 also when the file cannot be opened; the
 * error names the path, and a disk's failure to open it is
 * FAULT_ENVIRONMENT (fault.h), not the message's. */
int message_parse_file(const char *path, const struct mail_limits *limits,
    struct message **msg_r, char **error_r);
void message_free(struct message **msg);

/* Decoded UTF-8, "" when absent; whitespace controls become spaces; cut at
 * the limits' subject_bytes on a character boundary. */
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
/* NULL, or which limit was hit, in Chinese and English (for the log,
 * the database and staff). */
const char *message_limit_exceeded(const struct message *m);
/* Which limit that was (mime_scan.h), for telling the sender in words
 * of their own; false when none was hit. */
bool message_limit_which(const struct message *m, enum mime_limit *limit_r);
/* The limits the message was parsed under, resolved (no field 0). */
const struct mail_limits *message_limits(const struct message *m);

/* Delivery status notification (multipart/report; report-type=
 * delivery-status, or a message/delivery-status part): never answered. */
int message_is_dsn(const struct message *m);
/* Only the first form, RFC 3464's: the one kind of mail that may mark a
 * reply of ours bounced. */
int message_is_dsn_report(const struct message *m);
/* The two below read at most the limits' dsn_parts parts of a bounce, and
 * at most dsn_part_bytes of each (decoded), a buffer at a time.
 * The recipients an RFC 3464 report says it is about (Final-Recipient,
 * Original-Recipient of its message/delivery-status parts), addresses
 * without <>; at most 16; empty unless message_is_dsn_report().  A
 * NULL-terminated list, g_strfreev. */
char **message_dsn_recipients(const struct message *m);
/* An auto-reply: Auto-Submitted other than "no", X-Autoreply,
 * X-Autorespond, X-Autogenerated, X-Auto-Reply, X-Auto-Response-Suppress
 * with All, OOF or AutoReply (Exchange), Precedence auto_reply/bulk/junk,
 * or a subject such as 自动回复 / Automatic reply / Out of Office. */
int message_is_auto_reply(const struct message *m);
/* The Message-IDs (without <>) a bounce names: of returned messages
 * (message/rfc822), in returned headers (text/rfc822-headers) or quoted in
 * its text, and its own In-Reply-To and References.  At most 16; a
 * NULL-terminated list, g_strfreev. */
char **message_dsn_message_ids(const struct message *m);

/*
 * The body as the sender wrote it, for reading the cloud attachment links
 * in it (cloudlink.h): the text/plain and text/html leaves that are not
 * attachments, outside forwarded messages, each decoded from its
 * transfer encoding and converted to UTF-8 from its declared charset (the
 * gb2312 family as GB18030; no charset or a wrong one: UTF-8 when valid,
 * else GB18030), several of a kind joined by a newline.  At most the
 * limits' body_bytes are read of all of them together, a buffer at a
 * time; what lies past is not read.  *plain_r and *html_r (g_free) are
 * NULL when there is no such part; never fails (a part that cannot be
 * read gives what was read of it).
 */
void message_body_text(const struct message *m, char **plain_r,
    char **html_r);

/*
 * What the sender wrote above what it quotes: the plain body (else the
 * HTML one's text) up to the first quoted line ("> ", a reply separator
 * such as QQ's "---- 原始邮件 ----", "在 … 写道：", "On … wrote:"),
 * trimmed; "" when none.  Read within the limits' body_bytes.  g_free.
 */
char *message_reply_text(const struct message *m);
/* Whether such text is an auto-reply that its headers do not mark: QQ's
 * and 163's "您的邮件已收到", "正在休假", "自动回复" and the like, with
 * no question mark in it (a person asking about one has). */
bool message_text_is_auto_reply(const char *text);
/* Characters besides the words that may sign a thank-you (a name). */
#define MESSAGE_THANKS_REST_CHARS	4
/* Whether the text only acknowledges ("收到，谢谢。", "好的", "OK"):
 * thank-you words, punctuation and at most MESSAGE_THANKS_REST_CHARS
 * other characters, no question mark. */
bool message_text_is_thanks(const char *text);

size_t message_attachment_count(const struct message *m);
/* Decoded original name in UTF-8 (directory part dropped), or a derived
 * one such as 附件1.mp4.  Not yet safe for the file system: see safename. */
const char *message_attachment_name(const struct message *m, size_t i);
/* Lower-case "type/subtype" as declared, e.g. "video/mp4". */
const char *message_attachment_content_type(const struct message *m, size_t i);
/* 1 when the name was derived from the content type, 0 when sent. */
int message_attachment_name_derived(const struct message *m, size_t i);

/*
 * Attachment i's decoded content (transfer encoding undone, no charset
 * conversion: the bytes as sent), as a new stream to read to its end and
 * g_object_unref.  Never NULL: a part without content gives an empty
 * stream.  A MIME part is decoded on the way through, a buffer at a time,
 * from the message's stream; a file inside winmail.dat is the same
 * winmail.dat decoded again, the bytes before and after the file dropped
 * (none of it held whole).  Each call gives an independent stream, which
 * may outlive the message.  A read error (<0 from g_mime_stream_read) means
 * the message's stream failed underneath.
 */
GMimeStream *message_attachment_stream(const struct message *m, size_t i);
/* Whether attachment i decodes to nothing (an upload that failed in the
 * webmail: a name and no bytes).  Reads no more than the first block of
 * the part; false when its stream cannot be read (saving will say so). */
bool message_attachment_empty(const struct message *m, size_t i);

#endif
