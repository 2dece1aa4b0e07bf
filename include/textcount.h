/*
 * textcount: the 字数 of a text as Word and WPS count it, because that is
 * the number a unit checks its work against before sending: each Han
 * character (and kana, hangul, bopomofo) counts 1, each full-width
 * punctuation mark counts 1 (U+3000-303F, U+FF00-FFEF, and the quotes,
 * dashes and ellipsis Chinese text sets in full width: “”‘’—…), each run
 * of other non-space characters (an English word, a number, "3.14%")
 * counts 1, white space counts 0.
 *
 * Fed in pieces (a document's runs, a PDF's pages): a run of letters goes
 * on across pieces, so the caller feeds a space where its pieces are
 * apart.  Each piece must be whole UTF-8; an invalid byte ends a run and
 * counts nothing.
 *
 * Pure: no I/O, no allocation.
 */
#ifndef SUBGATE_TEXTCOUNT_H
#define SUBGATE_TEXTCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct textcount {
	int64_t count;
	bool in_run;		/* the last piece ended inside a word */
};

void textcount_feed(struct textcount *tc, const char *s, size_t len);
/* The 字数 of one whole UTF-8 text. */
int64_t textcount_utf8(const char *s, size_t len);

#endif
