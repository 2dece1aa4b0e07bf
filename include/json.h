/*
 * json: the little JSON writing subgate needs (case.json, --json output).
 * Strings are escaped per RFC 8259; invalid UTF-8 is replaced, never
 * passed through, so a hostile file name cannot break the document.
 */
#ifndef SUBGATE_JSON_H
#define SUBGATE_JSON_H

#include <glib.h>
#include <stdint.h>

/* Appends "s" (quoted, escaped); NULL appends null. */
void json_append_string(GString *out, const char *s);
/* Appends "key": as a member name, with a leading comma unless first. */
void json_append_key(GString *out, const char *key, int first);

#endif
