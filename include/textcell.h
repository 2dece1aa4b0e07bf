/*
 * textcell: text taken from mail, made fit for one cell of a terminal
 * table, a progress line, a spreadsheet or a log: valid UTF-8, no control
 * characters or bidirectional overrides, measured in terminal columns
 * (CJK and full-width characters take two), cut and padded to a width.
 *
 * Pure; every result is the caller's (g_free).  Used by the staff tables,
 * the progress line and the summary export alike, so it sits below all
 * of them.
 */
#ifndef SUBGATE_TEXTCELL_H
#define SUBGATE_TEXTCELL_H

#include <stdint.h>
#include <stddef.h>

#include <glib.h>

/* Terminal columns s takes: wide (CJK, full-width) characters two, zero
 * width ones none, others one.  Invalid UTF-8 counts a column a byte. */
size_t textcell_display_width(const char *s);
/* Appends s cut to at most width columns (ending in "…" when cut) and
 * padded with spaces to exactly width columns. */
void textcell_append_padded(GString *out, const char *s, size_t width);
/* Appends s whole, padded with spaces to at least width columns: for a
 * name that must not be cut (two units that differ only at the end). */
void textcell_append_whole(GString *out, const char *s, size_t width);
/* s as valid UTF-8 with C0/C1 controls (newlines too unless keep_newlines)
 * and bidirectional overrides replaced by spaces (g_free).  NULL -> "". */
char *textcell_clean(const char *s, gboolean keep_newlines);
/* 1536 -> "1.5 KB" (g_free). */
char *textcell_human_size(uint64_t size);

#endif
