/*
 * htmltext: the HTML body of a mail read the way a person reads it, for
 * finding what it links to (cloudlink.h): its visible text as one string,
 * and its anchors, each with where its own text sits in that string.
 *
 * Tolerant by design: mail HTML is rarely well formed (webmail clients cut
 * it, forward it, nest it), so nothing here fails.  An unclosed tag ends
 * the text; an unknown entity stays as written; a stray '<' is text.
 *
 *   - Text runs are entity-decoded (named entities webmail writes, and
 *     numeric ones), their whitespace collapsed to one space as a browser
 *     shows it; block elements (div, p, br, tr, li, table, h1..h6) and a
 *     title= attribute's own line breaks become "\n".
 *   - <style>, <script>, <head>, <title> and comments are skipped.
 *   - A title= attribute of an element other than an anchor is text of
 *     its own line: QQ Mail writes a cloud attachment's name, size and
 *     expiry there.
 *   - <a href> gives an anchor: the decoded href and the attributes mail
 *     providers put on cloud-attachment anchors (filename, filesize,
 *     expiretime, title).
 *   - What is quoted from an earlier mail is marked, never dropped: the
 *     inside of <blockquote>, and everything after a reply separator
 *     ("------------------ 原始邮件 ------------------" of QQ Mail and
 *     Foxmail, "---- 回复的原邮件 ----" of NetEase, Outlook's
 *     "-----Original Message-----").  A reader can list what it finds
 *     there without counting it again.
 *
 * Limits: the caller bounds the bytes handed in (LIMIT_BODY_BYTES, read
 * by the message module) and the anchors kept (max_anchors; the rest are
 * read as text only).
 *
 * Pure: no I/O.  Every string is owned by the document until
 * htmltext_free().
 */
#ifndef SUBGATE_HTMLTEXT_H
#define SUBGATE_HTMLTEXT_H

#include <stdbool.h>
#include <stddef.h>

struct htmltext;

struct htmltext_anchor {
	const char *href;		/* entity-decoded, trimmed; never NULL */
	size_t start, end;		/* its text, in htmltext_text() */
	/* Attributes as written (decoded), or NULL. */
	const char *filename, *filesize, *expiretime, *title;
	bool quoted;			/* inside quoted earlier mail */
};

/* Never fails: any bytes give a document (NUL bytes end the text). */
struct htmltext *htmltext_parse(const char *html, size_t len,
    size_t max_anchors);
void htmltext_free(struct htmltext **doc);

/* The visible text, valid UTF-8 where the input was. */
const char *htmltext_text(const struct htmltext *doc, size_t *len_r);
size_t htmltext_anchor_count(const struct htmltext *doc);
const struct htmltext_anchor *htmltext_anchor(const struct htmltext *doc,
    size_t i);
/* Whether the text at offset is quoted from an earlier mail. */
bool htmltext_quoted_at(const struct htmltext *doc, size_t offset);

/* Whether a line of text is a reply separator (the start of quoted
 * mail), as above; plain bodies are cut at the same lines. */
bool htmltext_is_separator(const char *text, size_t len);

#endif
