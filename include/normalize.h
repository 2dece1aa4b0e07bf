/*
 * normalize: the one text normalisation applied to templates, enumeration
 * values, aliases and submitted subjects / file names alike, so that what
 * people type with a Chinese input method compares equal to what the
 * campaign file says.
 *
 * The rules, in order (man page subgate.campaign(5), NORMALISATION, is the
 * reference and must stay in step with this file):
 *   1. Invalid UTF-8 bytes become U+FFFD; a NUL byte or any other control
 *      character counts as white space.
 *   2. NFKC, applied to each base character with its combining marks:
 *      full-width letters, digits, （）：＋ become their ASCII forms,
 *      U+3000 and no-break spaces become spaces.  【】〔〕《》 are left alone.
 *   3. Invisible format characters (zero-width space and joiners, soft
 *      hyphen, byte-order mark, bidi controls) are removed.
 *   4. Every dash, hyphen, minus and wave-dash variant becomes "-".
 *      CJK 一 (U+4E00) is a letter and never touched.
 *   5. Runs of white space become one space; white space is removed at both
 *      ends and on both sides of a separator ("-", "+", "_"); a run of "-"
 *      (the input method's "——") becomes one "-".
 *   6. NORMALIZE_STRIP_REPLY: leading reply/forward prefixes (Re:, Fw:,
 *      Fwd:, 回复:, 答复:, 转发:, also "Re[2]:"), however repeated, are
 *      removed; then a pair of quotation marks wrapping the whole text
 *      (“…”, "…", 「…」, 『…』) is removed.
 *   7. NORMALIZE_FOLD_CASE lowercases; NORMALIZE_NO_SPACE removes every
 *      space left.  Both are for comparison keys, never for stored values.
 *
 * Every function here is pure and allocation-checked by GLib (g_malloc
 * aborts on exhaustion); input length is the caller's limit to enforce.
 */
#ifndef SUBGATE_NORMALIZE_H
#define SUBGATE_NORMALIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <glib.h>

#define NORMALIZE_STRIP_REPLY	(1u << 0)
#define NORMALIZE_FOLD_CASE	(1u << 1)
#define NORMALIZE_NO_SPACE	(1u << 2)
/* The comparison key of an enumeration value or alias. */
#define NORMALIZE_KEY		(NORMALIZE_FOLD_CASE | NORMALIZE_NO_SPACE)

/* Maps byte offsets of a normalised text back to the input it came from. */
struct normalize_map;

/* Normalised copy of a NUL-terminated string (NULL counts as ""); g_free. */
char *normalize_text(const char *utf8, unsigned flags);

/* Same for len bytes (which may hold NULs or invalid UTF-8).  With map_r,
 * also returns the offset map; free it with normalize_map_free(). */
char *normalize_text_len(const char *text, size_t len, unsigned flags,
    struct normalize_map **map_r);

/* The input byte range [*start_r, *end_r) that produced the normalised
 * bytes [start, end).  An empty range maps to an empty input range. */
void normalize_map_span(const struct normalize_map *map, size_t start,
    size_t end, size_t *start_r, size_t *end_r);
void normalize_map_free(struct normalize_map **map);

/* The characters rule 5 treats as separators. */
bool normalize_is_separator(gunichar c);

#endif
