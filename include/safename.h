/*
 * safename: turn a file name chosen by a submitter into one that is safe to
 * create in the case store and to copy onto a Windows desktop later.
 *
 * The result is NFC-normalised, valid UTF-8 and at most LIMIT_FILENAME_BYTES
 * bytes.  Rules, in order:
 *   - invalid UTF-8 bytes become '_';
 *   - the path separators '/' and '\' become '_';
 *   - the characters Windows reserves, < > : " | ? *, become their
 *     full-width forms ＜ ＞ ： ＂ ｜ ？ ＊ (Chinese users type these anyway,
 *     and the name stays readable);
 *   - tab, CR, LF and other whitespace controls become a space; every other
 *     control or invisible format character (NUL, DEL, C1, U+202E and its
 *     kin, which disguise an extension) is dropped;
 *   - leading spaces, dots and '-' are stripped (no hidden files, nothing
 *     that reads as a command-line option, no "." or ".."); trailing spaces
 *     and dots are stripped (Windows drops them silently);
 *   - a Windows device name (CON, PRN, AUX, NUL, COM1-9, LPT1-9, any case,
 *     with or without an extension) gets a leading '_';
 *   - an over-long name is cut on a character boundary, keeping its
 *     extension when that is at most SAFENAME_EXTENSION_BYTES bytes.
 * An empty result gives the fallback, itself made safe; if that is empty
 * too, "file".
 */
#ifndef SUBGATE_SAFENAME_H
#define SUBGATE_SAFENAME_H

/* Longest extension (bytes after the last dot) kept when a name is cut. */
#define SAFENAME_EXTENSION_BYTES	16

/* Returns a newly allocated safe name (g_free).  original may be NULL. */
char *safename_make(const char *original, const char *fallback);

/*
 * The n-th variant of an already safe name, for when a case already holds
 * one of that name: n=2 gives "作品 (2).mp4".  n <= 1 returns a copy.  The
 * result stays within LIMIT_FILENAME_BYTES (the stem is cut, the extension
 * and the counter are kept).  g_free.
 */
char *safename_dedupe(const char *name, unsigned n);

#endif
