/*
 * grammar: one naming convention (for subjects or for file names),
 * compiled once to a PCRE2 pattern, matched against submitted text, and
 * able to say in Chinese, field by field, what is wrong with a text that
 * does not match.
 *
 * A convention is a template such as 扶贫征集-{方式}-{类别}-{作品名称}:
 * literal text and {field} references ("{{" and "}}" are literal braces),
 * or a raw PCRE2 pattern whose named groups are field names, or both (the
 * pattern decides what matches; the template gives the readable format,
 * the examples and the diagnostics).  Template literals, enumeration
 * values, aliases and the submitted text all go through normalize_text()
 * first, so the comparison is between normalised forms.
 *
 * Matching: grammar_match() returns 1 (matched, every field valid), 0 (no
 * match: the result holds diagnostic codes and the Chinese text), <0 on an
 * internal failure such as a PCRE2 limit (error_r set).  Text longer than
 * LIMIT_SUBJECT_BYTES is diagnosed "too-long" without running the pattern.
 * Invalid UTF-8 bytes are replaced by U+FFFD by the normalisation: they
 * can never match a literal or an enumeration value.
 *
 * A unit field's list is a roster: a miss is offered only a listed unit
 * one edit away (or one its aliases name once a prefix they use, such as
 * 中共, is dropped), never one that differs by a word, since that would
 * spend another unit's quota; open globs admit names off the list.
 *
 * Diagnostic codes (see subgate.campaign(5)): empty, prefix, separator,
 * missing:<field>, enum:<field>, order, too-long:<field>, too-short:<field>,
 * type:<field>, unit:<field>, extra, format, and too-long for the whole text.
 *
 * Ownership: error texts (*error_r) are the caller's to g_free.  A
 * result is the caller's to grammar_result_free(); the strings its
 * accessors return, like those of the grammar's, are borrowed and live
 * as long as the result (or the grammar).  grammar_example() returns a
 * new string.
 *
 * A compiled grammar is immutable; grammar_match() may run on it from
 * several threads at once.  Each thread that matches keeps one PCRE2
 * match data block (with its backtracking frames) for its next match,
 * freed when the thread ends.
 *
 * Pure: no I/O, no environment, no logging.  The implementation is
 * parsers/grammar*.c; parsers/grammar-private.h says which file does
 * what.
 */
#ifndef SUBGATE_GRAMMAR_H
#define SUBGATE_GRAMMAR_H

#include <stdbool.h>
#include <stddef.h>

enum grammar_target { GRAMMAR_SUBJECT, GRAMMAR_FILENAME };

enum grammar_field_type {
	GRAMMAR_FIELD_ENUM,	/* one of values[] (or an alias of one) */
	GRAMMAR_FIELD_TEXT,	/* free text, min..max characters */
	GRAMMAR_FIELD_NAME,	/* a person's name */
	GRAMMAR_FIELD_UNIT,	/* free text, or one of values[] when given,
				   or a name an open glob admits */
	GRAMMAR_FIELD_INTEGER,	/* decimal digits, min..max as values */
};

/* How a campaign describes a field; grammar_compile() copies what it needs. */
struct grammar_field_spec {
	const char *name;
	enum grammar_field_type type;
	bool optional;
	/* ENUM values, or UNIT's list of units (none: free text). */
	const char *const *values;
	size_t value_count;
	/* alias_count pairs {alias, canonical value}, flattened. */
	const char *const *aliases;
	size_t alias_count;
	/* TEXT/UNIT/NAME: length in characters; INTEGER: the value. */
	bool has_min, has_max;
	long long min, max;
	/* UNIT: names off values[] that are admitted anyway, as globs
	 * where "*" is one or more characters other than a separator
	 * ("*党委"); "*" alone admits any name (free text). */
	const char *const *open;
	size_t open_count;
	/* values used to build examples (optional) */
	const char *const *examples;
	size_t example_count;
};

struct grammar;
struct grammar_result;

/* Compiles a template and/or a raw pattern (at least one) over the given
 * field definitions.  Errors (unknown field, bad pattern, a field used
 * twice, two free fields with nothing between them...) are one per line
 * in *error_r.  Returns 0 or -1. */
int grammar_compile(enum grammar_target target, const char *template_text,
    const char *raw_regex, const struct grammar_field_spec *fields,
    size_t field_count, struct grammar **g_r, char **error_r);
void grammar_free(struct grammar **g);

enum grammar_target grammar_target(const struct grammar *g);
/* Whether the template or the pattern refers to this field. */
bool grammar_uses_field(const struct grammar *g, const char *name);
/* The fields the grammar refers to, in template order. */
size_t grammar_field_count(const struct grammar *g);
const char *grammar_field_name(const struct grammar *g, size_t i);

/* A value for one field, as staff type it (`cases accept --set`): 1 and
 * the value to store in *canonical_r (g_free; an alias becomes its
 * canonical value) when the field takes it, 0 when it does not, -1 when
 * the grammar has no such field. */
int grammar_field_value(const struct grammar *g, const char *name,
    const char *value, char **canonical_r);

/* text may be NULL (taken as empty).  On 1 and 0 *result_r is set; on
 * <0 it is NULL and *error_r says why. */
int grammar_match(const struct grammar *g, const char *text,
    struct grammar_result **result_r, char **error_r);

size_t grammar_result_field_count(const struct grammar_result *r);
/* value: normalised (enumerations: the canonical value); original: the
 * slice of the input that produced it, as typed.  Any out-pointer may be
 * NULL. */
void grammar_result_field(const struct grammar_result *r, size_t i,
    const char **name_r, const char **value_r, const char **original_r);
const char *grammar_result_get(const struct grammar_result *r,
    const char *name);
/* The file-name extension split off before matching ("mp4"), or NULL. */
const char *grammar_result_extension(const struct grammar_result *r);
/* The normalised text that was matched. */
const char *grammar_result_normalized(const struct grammar_result *r);
size_t grammar_result_diag_count(const struct grammar_result *r);
const char *grammar_result_diag_code(const struct grammar_result *r,
    size_t i);
bool grammar_result_has_diag(const struct grammar_result *r,
    const char *code);
/* Chinese, one problem per line, then the line to copy (请将邮件主题改为：
 * and the correction, when there is one), the required format and an
 * example; NULL when the text matched. */
const char *grammar_result_diagnostics(const struct grammar_result *r);
/* The text the submitter should have written, built from what they
 * wrote: the template's literals as the campaign writes them, each
 * field's value found wherever it was typed (a near miss of a listed
 * value made that value), the free text from what is left, and
 * "【请填写FIELD】" where a value cannot be guessed; a file name keeps
 * its extension as typed.  Filled in, it matches.  NULL when the text
 * matched, or when fewer of its fields come from the text than are left
 * blank. */
const char *grammar_result_correction(const struct grammar_result *r);
void grammar_result_free(struct grammar_result **r);

/* The format as people read it, with the allowed values of each field. */
const char *grammar_format(const struct grammar *g);
/* The n-th generated valid example (cycling through enumeration values
 * and example texts); g_free.  NULL for a grammar that has a raw
 * pattern and no template. */
char *grammar_example(const struct grammar *g, unsigned n);
/* The PCRE2 pattern as compiled (field groups renamed f0, f1, ...). */
const char *grammar_pattern(const struct grammar *g);

#endif
