/*
 * template: the little text templates replies are written in.
 *
 *   {name}              the value of a placeholder
 *   {?name}...{/name}   the text between, only when name's value is not
 *                       empty (sections do not nest inside themselves)
 *   {{ and }}           literal braces
 *
 * Names are whatever stands between the braces (up to
 * TEMPLATE_NAME_MAX bytes, no braces or line breaks), e.g. receipt or
 * field.作品名称.  Pure: no I/O.
 */
#ifndef SUBGATE_TEMPLATE_H
#define SUBGATE_TEMPLATE_H

#include <stdbool.h>

#define TEMPLATE_NAME_MAX	128

/* A placeholder's value; NULL when the name is unknown (rendered as
 * nothing; template_check() catches unknown names beforehand). */
typedef const char *template_lookup_fn(const char *name, void *ctx);
/* Whether a name is one a template may use. */
typedef bool template_known_fn(const char *name, void *ctx);

/* 0 when every placeholder is known and every section closed; <0 with
 * *error_r (g_free) naming the first problem. */
int template_check(const char *text, template_known_fn *known, void *ctx,
    char **error_r);
/* The text with placeholders replaced (g_free).  With html, values are
 * escaped for HTML (the template's own text is not). */
char *template_render(const char *text, template_lookup_fn *lookup,
    void *ctx, bool html);

/*
 * Replies (subgate.campaign(5), [reply]): the kinds of reply, in the
 * order of enum reply_kind, and the placeholders their templates may use
 * besides field.NAME (NULL-terminated).
 */
extern const char *const template_reply_kinds[];
extern const char *const template_reply_names[];

#endif
