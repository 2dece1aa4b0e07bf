/*
 * keyfile: what the configuration and campaign parsers share about the
 * GKeyFile text they read (subgate.conf(5), subgate.campaign(5)).
 *
 * GKeyFile keeps no line numbers, yet every problem is reported as
 * "FILE:LINE: [group] key: ...": keyfile_lines indexes the text once, the
 * way GKeyFile reads it, and can list keys set twice, which GKeyFile
 * would silently merge.
 *
 * Pure: no I/O.  A key file names other files (campaign files, reply
 * templates, secret files); the caller reads them, through a
 * keyfile_read_fn it hands to the parser.
 */
#ifndef SUBGATE_KEYFILE_H
#define SUBGATE_KEYFILE_H

#include <stddef.h>
#include <glib.h>

/* The whole of the file at path: 0 and *text_r (g_free), NUL-terminated
 * after its *len_r bytes; or -1 and *error_r (g_free), a sentence that
 * names the file, which the parser reports after the key that named it. */
typedef int keyfile_read_fn(void *ctx, const char *path, char **text_r,
    size_t *len_r, char **error_r);

/* text (len bytes) parsed as a key file: 0 and *kf_r (g_key_file_free);
 * or -1 and *error_r (g_free): "NAME: reason". */
int keyfile_parse(const char *name, const char *text, size_t len,
    GKeyFile **kf_r, char **error_r);

/* value, a path written in the key file at base_path: as it is when
 * absolute, else relative to base_path's directory (g_free). */
char *keyfile_path_relative(const char *base_path, const char *value);

struct keyfile_lines;

/* The line of every group and key of text (NUL-terminated).  When
 * duplicates is not NULL, a key set twice in one group is appended to it
 * as "NAME:LINE: [group] key: set twice (first on line N)\n". */
struct keyfile_lines *keyfile_lines_new(const char *text, const char *name,
    GString *duplicates);
/* The first line of [group] (key NULL) or of key in it; 0 if unknown. */
unsigned int keyfile_lines_find(const struct keyfile_lines *lines,
    const char *group, const char *key);
void keyfile_lines_free(struct keyfile_lines **lines);

#endif
