/* template: see include/template.h. */
#include <string.h>

#include <glib.h>

#include "template.h"

/* The placeholder starting at text[0] == '{': its kind ('=' value, '?'
 * section start, '/' section end) and name; the length of the whole tag,
 * or 0 when it is not a well-formed tag. */
static size_t
template_tag(const char *text, char *kind_r, char name_r[TEMPLATE_NAME_MAX + 1])
{
	const char *p = text + 1, *close;
	size_t n;

	*kind_r = '=';
	if (*p == '?' || *p == '/')
		*kind_r = *p++;
	close = strchr(p, '}');
	if (close == NULL)
		return 0;
	n = (size_t)(close - p);
	if (n == 0 || n > TEMPLATE_NAME_MAX || memchr(p, '{', n) != NULL ||
	    memchr(p, '\n', n) != NULL)
		return 0;
	memcpy(name_r, p, n);
	name_r[n] = '\0';
	return (size_t)(close - text) + 1;
}

int
template_check(const char *text, template_known_fn *known, void *ctx,
    char **error_r)
{
	GPtrArray *open = g_ptr_array_new_with_free_func(g_free);
	const char *p = text;
	int ret = 0;

	while (*p != '\0' && ret == 0) {
		char kind, name[TEMPLATE_NAME_MAX + 1];
		size_t n;

		if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
			p += 2;
			continue;
		}
		if (*p == '}') {
			*error_r = g_strdup("a lone \"}\" (write \"}}\")");
			ret = -1;
			break;
		}
		if (*p != '{') {
			p++;
			continue;
		}
		if ((n = template_tag(p, &kind, name)) == 0) {
			*error_r = g_strdup_printf("an unclosed or empty "
			    "placeholder at \"%.20s\" (write \"{{\" for a brace)",
			    p);
			ret = -1;
			break;
		}
		if (kind == '/') {
			if (open->len == 0 || strcmp(g_ptr_array_index(open,
			    open->len - 1), name) != 0) {
				*error_r = g_strdup_printf("{/%s} closes no "
				    "open {?%s}", name, name);
				ret = -1;
				break;
			}
			g_ptr_array_remove_index(open, open->len - 1);
		} else if (!known(name, ctx)) {
			*error_r = g_strdup_printf("unknown placeholder {%s}",
			    name);
			ret = -1;
			break;
		} else if (kind == '?') {
			guint i;

			for (i = 0; i < open->len; i++)
				if (strcmp(open->pdata[i], name) == 0) {
					*error_r = g_strdup_printf("{?%s} inside "
					    "itself", name);
					ret = -1;
				}
			g_ptr_array_add(open, g_strdup(name));
		}
		p += n;
	}
	if (ret == 0 && open->len > 0) {
		*error_r = g_strdup_printf("{?%s} is never closed with {/%s}",
		    (const char *)open->pdata[open->len - 1],
		    (const char *)open->pdata[open->len - 1]);
		ret = -1;
	}
	g_ptr_array_free(open, TRUE);
	return ret;
}

/* Past the {/name} that closes a section whose body starts at p; the end
 * of the text when it is never closed. */
static const char *
template_skip_section(const char *p, const char *name)
{
	g_autofree char *end = g_strdup_printf("{/%s}", name);
	const char *e = strstr(p, end);

	return e != NULL ? e + strlen(end) : p + strlen(p);
}

char *
template_render(const char *text, template_lookup_fn *lookup, void *ctx,
    bool html)
{
	GString *out = g_string_new(NULL);
	const char *p = text;

	while (*p != '\0') {
		char kind, name[TEMPLATE_NAME_MAX + 1];
		const char *v;
		size_t n;

		if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
			g_string_append_c(out, p[0]);
			p += 2;
			continue;
		}
		if (*p != '{' || (n = template_tag(p, &kind, name)) == 0) {
			g_string_append_c(out, *p++);
			continue;
		}
		p += n;
		v = lookup(name, ctx);
		if (kind == '?') {
			if (v == NULL || *v == '\0')
				p = template_skip_section(p, name);
		} else if (kind == '=' && v != NULL) {
			if (html) {
				g_autofree char *esc = g_markup_escape_text(v, -1);

				g_string_append(out, esc);
			} else {
				g_string_append(out, v);
			}
		}
	}
	return g_string_free(out, FALSE);
}

const char *const template_reply_kinds[] = {
	"receipt", "superseded-notice", "correction", "late", "over-quota",
	"frozen", "too-large", "decision-accepted", "decision-rejected",
	"question", "reminder", "link-check", NULL,
};

const char *const template_reply_names[] = {
	"receipt", "ref", "campaign", "title", "subject", "name", "sender",
	"arrival", "deadline", "contact", "fields", "attachments",
	"attachment_count", "diagnostics", "format", "example", "notice",
	"superseded", "kind", "decision", "reason", "changes", "warnings",
	"works", "work_count", "pending", "contacts", "signature",
	"links_route", "question", "forwarded", "submission", "title_label",
	"works_counted", "unit", "counts", "missing", "how", "next_steps",
	"results", NULL,
};
