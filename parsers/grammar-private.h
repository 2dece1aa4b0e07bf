/*
 * grammar-private: what the files of the grammar module share, and no
 * other module may see.  include/grammar.h is the contract with callers;
 * this header is the contract between:
 *
 *   grammar.c           compiling a convention to PCRE2, the accessors,
 *                       the readable format and generated examples
 *   grammar_field.c     a field built from its spec, and the check of
 *                       one value against a field
 *   grammar_match.c     normalising and matching a text, and the result
 *                       handed to the caller
 *   grammar_diagnose.c  the field-by-field Chinese diagnosis of a text
 *                       the pattern refused
 *   grammar_segment.c   a refused text cut into the segments the
 *                       diagnosis aligns
 *   grammar_suggest.c   the listed values closest to a mistyped one, for
 *                       the diagnosis
 *   grammar_fix.c       the corrected text to copy, built from the
 *                       diagnosis's alignment
 *
 * A struct grammar is filled in by grammar_compile() and never changed
 * after it returns, so everything that reads one takes it const and may
 * run from several threads at once.  Its literals, values, examples and
 * keys are already normalised by normalize_text() (keys with
 * NORMALIZE_KEY): code that compares them with submitted text
 * normalises that text once and then compares bytes or keys.  Fields
 * [0, nslots) are those the template refers to, in template order; a
 * raw pattern may add more after them.
 *
 * Like the rest of parsers/, nothing here does I/O: errors go out as
 * text, in GString or char ** arguments.
 */
#ifndef SUBGATE_GRAMMAR_PRIVATE_H
#define SUBGATE_GRAMMAR_PRIVATE_H

#define PCRE2_CODE_UNIT_WIDTH 8

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <glib.h>
#include <pcre2.h>

#include "grammar.h"

/* A template refers to at most this many fields (the diagnosis keeps a
 * bit mask per token). */
#define GRAMMAR_MAX_FIELDS	32
/* Default bounds of a person's name, in characters. */
#define NAME_MIN_CHARS		2
#define NAME_MAX_CHARS		20

/* Bytes the key of len bytes of normalised text may take: lowercasing
 * can turn a two-byte character into a three- or four-byte one. */
#define KEY_MAX_BYTES(len)	(2 * (len) + 1)
/* Keys up to this size are made on the stack. */
#define KEY_STACK_BYTES		256
/* Code points compared by the edit distance; longer values are "far". */
#define EDIT_MAX_CHARS		64

struct gkey {
	char *key;		/* NORMALIZE_KEY form of a value or alias */
	const char *canonical;	/* borrowed from gfield.values */
	gunichar *chars;	/* key as code points, for edit distances */
	size_t nchars;
	guint64 sig;		/* char_sig() of every code point */
};

struct gfield {
	char *name;
	enum grammar_field_type type;
	bool optional;
	char **values;		/* canonical, normalised; NULL-terminated */
	size_t nvalues;
	GHashTable *lookup;	/* key -> canonical */
	struct gkey *keys;	/* values and aliases, for suggestions */
	size_t nkeys;
	guint64 keys_sig;	/* the signatures of all keys together */
	bool has_min, has_max;
	long long min, max;
	char **examples;	/* normalised; NULL-terminated */
	size_t nexamples;
	/* UNIT: the open globs, as written (normalised) and as keys; and
	 * whether one of them is "*", which makes the field free text. */
	char **open;
	char **open_keys;
	size_t nopen;
	bool open_any;
	/* UNIT: what the aliases put before a name ("中共", "常州市"), as
	 * keys: a text that is a listed spelling once one is dropped is
	 * offered that unit. */
	char **prefixes;
	size_t nprefixes;
};

struct gtoken {
	bool is_field;
	char *literal;		/* normalised */
	char *written;		/* the literal as the template writes it,
				   for a corrected text people copy */
	size_t field;
};

struct grammar {
	enum grammar_target target;
	struct gtoken *tokens;
	size_t ntokens;
	struct gfield *fields;	/* template fields first, in order */
	size_t nfields;
	size_t nslots;		/* fields that the template refers to */
	int *group_field;	/* PCRE2 group number -> field, or -1 */
	uint32_t ngroups;
	gunichar *delims;	/* characters that end a segment */
	size_t ndelims;
	char *pattern;
	char *format;
	char *example0;		/* shown in every correction */
	/* The end of every correction, made once: "规定的…格式：<format>\n"
	 * and, with an example, "示例：<example0>" (the extension and the
	 * newline follow per text). */
	char *diag_tail;
	size_t diag_tail_len;
	/* The word part of a leading literal ("扶贫征集" of "扶贫征集-"),
	 * its comparison key and the key's length in characters; NULL
	 * when the template starts with a field. */
	char *prefix_core;
	char *prefix_core_key;
	size_t prefix_core_chars;
	/* NORMALIZE_KEY form of every value and alias of the list fields
	 * (and the roster of the unit fields) the template refers to -> bit
	 * mask of those fields */
	GHashTable *slot_keys;
	pcre2_code *code;
	pcre2_match_context *mctx;
};

struct rfield {
	char *name;
	char *value;
	char *original;
};

struct grammar_result {
	GArray *fields;		/* struct rfield */
	GPtrArray *codes;	/* diagnostic codes, each once, as found */
	GPtrArray *lines;	/* their Chinese lines (a code may have none) */
	char *diagnostics;	/* lines, format and example, made at the end */
	char *correction;	/* the text to copy instead, or NULL */
	char *extension;
	char *normalized;
	bool matched;
};

/* A key being compared with the values of a field: the text, its
 * length in code points, the first EDIT_MAX_CHARS of them and the
 * signature of all. */
struct probe {
	const char *key;
	const gunichar *chars;
	size_t nchars;
	guint64 sig;
};

/* Segments of a failed text the diagnosis aligns to fields; the rest of
 * a longer text stays in the last segment. */
#define DIAG_MAX_TOKENS		64

/* One segment of a failed text. */
struct dtoken {
	size_t start, end;	/* in the normalised text */
	char *key;		/* in diag_ctx.keys */
	/* the key for suggestions, its code points in diag_ctx.chars */
	struct probe probe;
	guint32 exact;		/* slots where key is a listed value */
	bool sep_after;		/* ended by a separator, not a bracket */
	bool extra;		/* no field takes it: to be deleted */
};

/* A diagnosis under way (grammar_diagnose.c), which grammar_fix.c reads
 * once the segments are aligned to the fields. */
struct diag_ctx {
	const struct grammar *g;
	const char *norm;
	struct grammar_result *r;
	struct dtoken tok[DIAG_MAX_TOKENS];
	size_t ntok;
	size_t last_free;	/* slot of the last free-text field */
	char *keys;		/* every token's key, one allocation */
	gunichar *chars;	/* every token's code points, likewise */
	/* The alignment: slot i got tokens [span_a[i], span_b[i]); the
	 * tokens from used on are left over, and so is every token marked
	 * extra. */
	size_t span_a[GRAMMAR_MAX_FIELDS], span_b[GRAMMAR_MAX_FIELDS];
	size_t used;
	bool order;		/* a value sits in another field's place */
	bool spaced;		/* parts split at spaces, not separators */
	guint32 misplaced;	/* slots whose value sits elsewhere */
	guint32 vacated;	/* slots whose token was rescued away */
	/* token -> 1 + the slot of the missing field it is a value of */
	int rescued[DIAG_MAX_TOKENS + 1];
};

/* What a field makes of one value: accepted, or the reason it is not. */
enum vcheck { V_OK, V_ENUM, V_UNIT, V_TOO_LONG, V_TOO_SHORT, V_TYPE };

/* A field whose values come from a list: an enumeration, or a unit
 * field given its units (and perhaps globs for names off the list),
 * unless "*" opens it to any name. */
static inline bool
field_has_list(const struct gfield *f)
{
	return f->type == GRAMMAR_FIELD_ENUM ||
	    (f->type == GRAMMAR_FIELD_UNIT && f->nvalues > 0 && !f->open_any);
}

/* A field of free text, which may span separators. */
static inline bool
field_is_free(const struct gfield *f)
{
	return f->type == GRAMMAR_FIELD_TEXT ||
	    (f->type == GRAMMAR_FIELD_UNIT && f->open_any) ||
	    (f->type == GRAMMAR_FIELD_UNIT && f->nvalues == 0 &&
	    f->nopen == 0);
}

/* A unit field whose names off the list must fit a glob: like a list,
 * its value never spans a separator. */
static inline bool
field_has_globs(const struct gfield *f)
{
	return f->type == GRAMMAR_FIELD_UNIT && f->nopen > 0 && !f->open_any;
}

/* Whether a value a name field took looks like a person's name: most
 * Chinese names have 2-4 characters, and a longer run of Han characters
 * is more likely a unit, a title or two parts run together. */
static inline bool
name_is_likely(const struct gfield *f, const char *canon)
{
	return f->type != GRAMMAR_FIELD_NAME || g_utf8_strlen(canon, -1) <= 4 ||
	    strstr(canon, "\xc2\xb7") != NULL ||
	    g_unichar_get_script(g_utf8_get_char(canon)) !=
	    G_UNICODE_SCRIPT_HAN;
}

/* What the grammar names, as the corrections call it. */
static inline const char *
grammar_what(const struct grammar *g)
{
	return g->target == GRAMMAR_SUBJECT ? "邮件主题" : "文件名";
}

/* A copy of s[start, end). */
static inline char *
slice(const char *s, size_t start, size_t end)
{
	return g_strndup(s + start, end - start);
}

/* One bit per code point, the same for equal ones: a string whose
 * signature has a bit that another's lacks holds a character the other
 * does not, which edit distances and substring tests use to skip
 * pairs that cannot be close. */
static inline guint64
char_sig(gunichar c)
{
	return (guint64)1 << ((c * 0x9E3779B1u) >> 26);
}

/* The character at p of text known to be valid UTF-8 (normalised
 * text): g_utf8_get_char() without the call, for the loops that walk
 * every character of a subject. */
static inline gunichar
utf8_char(const char *p, size_t *nbytes_r)
{
	const guchar *u = (const guchar *)p;

	if (u[0] < 0x80) {
		*nbytes_r = 1;
		return u[0];
	}
	if (u[0] < 0xE0) {
		*nbytes_r = 2;
		return ((gunichar)(u[0] & 0x1F) << 6) | (u[1] & 0x3F);
	}
	if (u[0] < 0xF0) {
		*nbytes_r = 3;
		return ((gunichar)(u[0] & 0x0F) << 12) |
		    ((gunichar)(u[1] & 0x3F) << 6) | (u[2] & 0x3F);
	}
	*nbytes_r = 4;
	return ((gunichar)(u[0] & 0x07) << 18) |
	    ((gunichar)(u[1] & 0x3F) << 12) |
	    ((gunichar)(u[2] & 0x3F) << 6) | (u[3] & 0x3F);
}

/* grammar.c */

/* "a、b、c" of the first max values, with "等" when there are more. */
void grammar_append_list(GString *s, char *const *values, size_t n,
    size_t max);

/* The choice-th example value of f (cycling through its values or
 * examples, else made up within its bounds); g_free. */
char *grammar_example_value(const struct gfield *f, size_t choice);
/* A glob's example: every "*" made "某某" (g_free). */
char *grammar_open_example(const char *glob);
/* "，以“党委”结尾" for each open glob of f, to tell people which
 * names off the list are admitted. */
void grammar_append_open_hint(GString *s, const struct gfield *f);

/* grammar_field.c */

/* Fills f from the spec, normalising values, aliases and examples;
 * problems with the spec are added to err, one per line. */
void gfield_init(struct gfield *f, const struct grammar_field_spec *s,
    GString *err);
void gfield_clear(struct gfield *f);
/* Whether key (a NORMALIZE_KEY form) fits one of f's open globs. */
bool gfield_open_match(const struct gfield *f, const char *key);
/* Checks one normalised value against f.  *canon_r gets the value to
 * store (g_free) when V_OK, else NULL. */
enum vcheck gfield_check_value(const struct gfield *f, const char *v,
    char **canon_r);

/* The NORMALIZE_KEY form of norm[0, len), which is already normalised,
 * into out (KEY_MAX_BYTES(len) bytes); returns the key's length. */
size_t grammar_key_into(const char *norm, size_t len, char *out);
/* The same in stackbuf (KEY_STACK_BYTES) when it fits, else allocated;
 * release with grammar_key_done(key, stackbuf). */
char *grammar_key_make(const char *norm, size_t len, char *stackbuf);
void grammar_key_done(char *key, char *stackbuf);

/* grammar_match.c */

/* Adds diagnostic code kind (or kind:field) and its line of text,
 * taking message (may be NULL); a code already there is not repeated. */
void grammar_result_add_diag(struct grammar_result *r, const char *kind,
    const char *field, char *message);

/* Adds a line that is no problem of its own (what was understood),
 * taking message. */
void grammar_result_add_line(struct grammar_result *r, char *message);
/* Whether g takes text (a corrected text, the stem of a file name, to
 * which an extension is put or not) with every field valid, without
 * diagnosing it: a correction that would be refused again is not
 * offered. */
bool grammar_accepts(const struct grammar *g, const char *text,
    bool extension);

/* grammar_diagnose.c */

/* What the diagnosis of g needs that depends on g alone; called by
 * grammar_compile() once format, example0 and delims are set. */
void grammar_prepare_diagnosis(struct grammar *g);
/* Adds to r the diagnostic codes and lines for norm, a normalised text
 * that g's pattern refused. */
void grammar_diagnose(const struct grammar *g, const char *norm,
    struct grammar_result *r);
/* Adds the diagnosis of value v that field f refused with vc (not
 * V_OK). */
void grammar_diag_value(struct grammar_result *r, const struct gfield *f,
    const char *v, enum vcheck vc);

/* grammar_segment.c */

/* Whether c ends a segment of a refused text: a separator or a
 * punctuation mark of the template's literals. */
bool grammar_is_delim(const struct grammar *g, gunichar c);
/* Cuts c->norm from pos into c->tok, each segment with its key, its
 * probe and the list fields it is a value of; sets c->spaced when it
 * cut at spaces. */
void grammar_segment(struct diag_ctx *c, size_t pos);

/* grammar_fix.c */

/* The text to copy instead of c's (the stem of a file name), its
 * segments aligned and judged: the template's literals as written and
 * each field's value found wherever it was typed, or 【请填写FIELD】.
 * NULL when fewer of its fields come from the text than are left
 * blank, or when the result, filled in, would be refused again; g_free. */
char *grammar_fix_build(const struct diag_ctx *c);

/* grammar_suggest.c */

/* The code points of s (at most max of them stored in out) and, in
 * *sig_r, their signature; returns how many s has. */
size_t grammar_chars_of(const char *s, gunichar *out, size_t max,
    guint64 *sig_r);
/* The edit distance between a and b in code points, or SIZE_MAX when
 * it is over limit. */
size_t grammar_edit_distance_str(const char *a, const char *b,
    size_t limit);
/* The canonical values of f closest to the probe, borrowed from f;
 * empty when nothing is close.  g_ptr_array_free(a, TRUE). */
GPtrArray *grammar_suggest(const struct gfield *f, const struct probe *q);
/* Whether grammar_suggest() would offer anything. */
bool grammar_suggest_any(const struct gfield *f, const struct probe *q);

#endif
