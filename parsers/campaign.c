/* campaign: see include/campaign.h and man/subgate.campaign.5. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign.h"
#include "grammar.h"
#include "normalize.h"
#include "template.h"

#define CAMPAIGN_ID_MAX		63
#define DEFAULT_TIMEZONE	"Asia/Shanghai"
#define DEFAULT_FOLDER		"INBOX"
#define EXTENSION_MAX		10
/* Bytes of one reply template file. */
#define REPLY_TEMPLATE_MAX	(64 * 1024)
/* Kinds of reply (template_reply_kinds) and parts of a template. */
#define REPLY_KINDS		9
#define REPLY_PARTS		3
/* Most columns [export] columns may list. */
#define EXPORT_COLUMNS_MAX	64

struct quota_category {
	char *category;
	unsigned int quota;
};

struct campaign {
	char *path;
	char *id;
	char *name;
	char *folder;
	char *contact;
	GTimeZone *tz;
	GDateTime *opens;
	GDateTime *closes;
	enum convention_scope scope;
	struct grammar *subject;
	struct grammar *filename;
	char *category_field;
	char *title_field;
	char *unit_field;
	unsigned int quota_per_unit;
	unsigned int quota_per_submitter;
	struct quota_category *quota_cat;
	size_t nquota_cat;
	enum campaign_resubmission resubmission;
	uint64_t max_message_size;
	char **allowed_extensions;
	/* [policy] senders.UNIT: normalised unit -> addresses and @domains
	 * (lower case) that may submit for it. */
	GHashTable *unit_senders;
	char *reply[REPLY_KINDS][REPLY_PARTS];	/* subject, body, html */
	/* [export] columns; NULL: the summary table's default columns. */
	struct campaign_column *export_columns;
	size_t nexport_columns;
};

/* One [field NAME] group, as read. */
struct field_def {
	char *group;
	char *name;
	struct grammar_field_spec spec;
	char **values;
	char **aliases;		/* flattened pairs */
	size_t nalias;
	char **examples;
	bool used;
};

struct loader {
	GKeyFile *kf;
	const char *path;
	GHashTable *lines;	/* "group\nkey" or "group" -> line */
	GString *err;
	struct campaign *c;
	struct field_def *fields;
	size_t nfields;
};

/* ------------------------------------------------------------------ */
/* error lines */

static unsigned int
line_of(const struct loader *l, const char *group, const char *key)
{
	char *k = key == NULL ? g_strdup(group) :
	    g_strdup_printf("%s\n%s", group, key);
	unsigned int line = GPOINTER_TO_UINT(g_hash_table_lookup(l->lines, k));

	g_free(k);
	return line;
}

static void G_GNUC_PRINTF(4, 5)
problem(struct loader *l, const char *group, const char *key,
    const char *fmt, ...)
{
	va_list ap;
	unsigned int line = group == NULL ? 0 : line_of(l, group, key);

	if (line == 0 && key != NULL && group != NULL)
		line = line_of(l, group, NULL);
	g_string_append(l->err, l->path);
	if (line > 0)
		g_string_append_printf(l->err, ":%u", line);
	g_string_append(l->err, ": ");
	if (group != NULL)
		g_string_append_printf(l->err, "[%s] ", group);
	if (key != NULL)
		g_string_append_printf(l->err, "%s: ", key);
	else if (group != NULL) {
		g_string_truncate(l->err, l->err->len - 1);
		g_string_append(l->err, ": ");
	}
	va_start(ap, fmt);
	g_string_append_vprintf(l->err, fmt, ap);
	va_end(ap);
	g_string_append_c(l->err, '\n');
}

/* GKeyFile keeps no line numbers, so the file is scanned once more the
 * way GKeyFile reads it; this also catches repeated groups and keys,
 * which GKeyFile would silently merge. */
static void
scan_lines(struct loader *l, bool report_duplicates)
{
	char *text = NULL, **lines, *group = NULL;
	size_t i;

	if (!g_file_get_contents(l->path, &text, NULL, NULL))
		return;
	lines = g_strsplit(text, "\n", -1);
	for (i = 0; lines[i] != NULL; i++) {
		char *s = g_strstrip(lines[i]), *eq, *k;

		if (*s == '\0' || *s == '#')
			continue;
		if (*s == '[') {
			char *close = strrchr(s, ']');

			if (close == NULL)
				continue;
			g_free(group);
			group = g_strndup(s + 1, (size_t)(close - s - 1));
			/* GKeyFile merges a repeated group: harmless */
			if (g_hash_table_contains(l->lines, group))
				continue;
			g_hash_table_insert(l->lines, g_strdup(group),
			    GUINT_TO_POINTER(i + 1));
			continue;
		}
		if (group == NULL || (eq = strchr(s, '=')) == NULL)
			continue;
		*eq = '\0';
		k = g_strdup_printf("%s\n%s", group, g_strchomp(s));
		if (g_hash_table_contains(l->lines, k)) {
			/* GKeyFile keeps the last value: one is lost */
			if (report_duplicates)
				g_string_append_printf(l->err, "%s:%zu: [%s] "
				    "%s: set twice (first on line %u)\n",
				    l->path, i + 1, group, g_strchomp(s),
				    GPOINTER_TO_UINT(g_hash_table_lookup(
				    l->lines, k)));
			g_free(k);
			continue;
		}
		g_hash_table_insert(l->lines, k, GUINT_TO_POINTER(i + 1));
	}
	g_free(group);
	g_strfreev(lines);
	g_free(text);
}

/* ------------------------------------------------------------------ */
/* values */

static char *
get_string(struct loader *l, const char *group, const char *key)
{
	char *v;

	if (!g_key_file_has_key(l->kf, group, key, NULL))
		return NULL;
	v = g_key_file_get_string(l->kf, group, key, NULL);
	if (v == NULL) {
		problem(l, group, key, "not a valid string");
		return NULL;
	}
	g_strstrip(v);
	if (*v == '\0') {
		problem(l, group, key, "empty value");
		g_free(v);
		return NULL;
	}
	return v;
}

/* A ;-separated list without empty elements; NULL when unset. */
static char **
get_list(struct loader *l, const char *group, const char *key)
{
	char **list, **out;
	gsize n = 0, i, j = 0;

	if (!g_key_file_has_key(l->kf, group, key, NULL))
		return NULL;
	list = g_key_file_get_string_list(l->kf, group, key, &n, NULL);
	if (list == NULL) {
		problem(l, group, key, "not a valid list");
		return NULL;
	}
	out = g_new0(char *, n + 1);
	for (i = 0; i < n; i++) {
		g_strstrip(list[i]);
		if (*list[i] != '\0')
			out[j++] = g_strdup(list[i]);
	}
	g_strfreev(list);
	if (j == 0) {
		problem(l, group, key, "empty list");
		g_free(out);
		return NULL;
	}
	return out;
}

static bool
parse_integer(const char *s, long long *v_r)
{
	char *end;

	if (*s == '\0' || strspn(s, "-0123456789") != strlen(s))
		return FALSE;
	*v_r = g_ascii_strtoll(s, &end, 10);
	return *end == '\0' && end != s;
}

static bool
get_integer(struct loader *l, const char *group, const char *key,
    long long min, long long *v_r)
{
	char *s = get_string(l, group, key);
	bool ok;

	if (s == NULL)
		return FALSE;
	ok = parse_integer(s, v_r);
	if (!ok)
		problem(l, group, key, "\"%s\" is not an integer", s);
	else if (*v_r < min) {
		problem(l, group, key, "%lld is below %lld", *v_r, min);
		ok = FALSE;
	}
	g_free(s);
	return ok;
}

static GDateTime *
parse_time(const char *s, GTimeZone *tz)
{
	int y, mo, d, h, mi, sec = 0, n = 0;

	if (sscanf(s, "%4d-%2d-%2d %2d:%2d%n", &y, &mo, &d, &h, &mi, &n) != 5)
		return NULL;
	if (s[n] == ':') {
		int m = 0;

		if (sscanf(s + n, ":%2d%n", &sec, &m) != 1)
			return NULL;
		n += m;
	}
	if (s[n] != '\0' || sec > 59)
		return NULL;
	return g_date_time_new(tz, y, mo, d, h, mi, sec);
}

static GDateTime *
get_time(struct loader *l, const char *key)
{
	char *s = get_string(l, "campaign", key);
	GDateTime *t;

	if (s == NULL)
		return NULL;
	t = parse_time(s, l->c->tz);
	if (t == NULL)
		problem(l, "campaign", key, "\"%s\" is not a time "
		    "\"YYYY-MM-DD HH:MM[:SS]\"", s);
	g_free(s);
	return t;
}

static bool
valid_id(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > CAMPAIGN_ID_MAX)
		return FALSE;
	for (i = 0; i < n; i++) {
		char ch = s[i];

		if (!(g_ascii_islower(ch) || g_ascii_isdigit(ch) ||
		    (i > 0 && (ch == '_' || ch == '-'))))
			return FALSE;
	}
	return TRUE;
}

static bool
parse_size(const char *s, uint64_t *v_r)
{
	char *end;
	guint64 v, mult = 1;

	if (!g_ascii_isdigit(*s))
		return FALSE;
	v = g_ascii_strtoull(s, &end, 10);
	while (*end == ' ')
		end++;
	switch (g_ascii_toupper(*end)) {
	case 'K': mult = 1024ULL; end++; break;
	case 'M': mult = 1024ULL * 1024; end++; break;
	case 'G': mult = 1024ULL * 1024 * 1024; end++; break;
	case '\0': break;
	default: return FALSE;
	}
	if (g_ascii_toupper(*end) == 'B')
		end++;
	if (*end != '\0' || v == 0 || v > G_MAXUINT64 / mult)
		return FALSE;
	*v_r = v * mult;
	return TRUE;
}

/* ------------------------------------------------------------------ */
/* groups */

static bool
key_known(const char *key, const char *const *known)
{
	for (; *known != NULL; known++)
		if (strcmp(key, *known) == 0)
			return TRUE;
	return FALSE;
}

static void
check_keys(struct loader *l, const char *group, const char *const *known,
    const char *prefix_allowed)
{
	char **keys = g_key_file_get_keys(l->kf, group, NULL, NULL);
	size_t i;

	for (i = 0; keys != NULL && keys[i] != NULL; i++) {
		if (key_known(keys[i], known))
			continue;
		if (prefix_allowed != NULL &&
		    g_str_has_prefix(keys[i], prefix_allowed))
			continue;
		problem(l, group, keys[i], "unknown key");
	}
	g_strfreev(keys);
}

static void
field_def_clear(struct field_def *f)
{
	g_free(f->group);
	g_free(f->name);
	g_strfreev(f->values);
	g_strfreev(f->aliases);
	g_strfreev(f->examples);
}

static bool
list_has_key(char **list, const char *value)
{
	char *key = normalize_text(value, NORMALIZE_KEY);
	bool found = FALSE;
	size_t i;

	for (i = 0; list != NULL && list[i] != NULL && !found; i++) {
		char *k = normalize_text(list[i], NORMALIZE_KEY);

		found = strcmp(k, key) == 0;
		g_free(k);
	}
	g_free(key);
	return found;
}

static void
load_field(struct loader *l, const char *group)
{
	static const char *const known[] = {
		"type", "values", "units", "min", "max", "example",
		"optional", NULL,
	};
	static const char *const types[] = {
		"enum", "text", "name", "unit", "integer",
	};
	struct field_def f;
	char *type, **keys, **vals;
	long long v;
	size_t i, j, t;
	GPtrArray *aliases;
	GError *gerr = NULL;

	memset(&f, 0, sizeof(f));
	f.group = g_strdup(group);
	f.name = g_strstrip(g_strdup(group + strlen("field")));
	if (*f.name == '\0' || strpbrk(f.name, "{}") != NULL) {
		problem(l, group, NULL, "a field needs a name without braces: "
		    "[field NAME]");
		field_def_clear(&f);
		return;
	}
	for (i = 0; i < l->nfields; i++)
		if (strcmp(l->fields[i].name, f.name) == 0) {
			problem(l, group, NULL, "field defined twice");
			field_def_clear(&f);
			return;
		}
	check_keys(l, group, known, "alias.");

	type = get_string(l, group, "type");
	t = G_N_ELEMENTS(types);
	if (type == NULL) {
		if (!g_key_file_has_key(l->kf, group, "type", NULL))
			problem(l, group, NULL, "no type (enum, text, name, "
			    "unit or integer)");
	} else {
		for (t = 0; t < G_N_ELEMENTS(types); t++)
			if (strcmp(type, types[t]) == 0)
				break;
		if (t == G_N_ELEMENTS(types))
			problem(l, group, "type", "\"%s\" is not enum, text, "
			    "name, unit or integer", type);
	}
	g_free(type);
	f.spec.type = t < G_N_ELEMENTS(types) ?
	    (enum grammar_field_type)t : GRAMMAR_FIELD_TEXT;

	f.values = get_list(l, group, "values");
	vals = get_list(l, group, "units");
	if (f.values != NULL && f.spec.type != GRAMMAR_FIELD_ENUM)
		problem(l, group, "values", "only for type = enum (a unit "
		    "field takes \"units\")");
	if (vals != NULL && f.spec.type != GRAMMAR_FIELD_UNIT)
		problem(l, group, "units", "only for type = unit");
	if (f.spec.type == GRAMMAR_FIELD_UNIT) {
		g_strfreev(f.values);
		f.values = vals;
	} else {
		g_strfreev(vals);
	}
	if (f.spec.type == GRAMMAR_FIELD_ENUM && f.values == NULL &&
	    t < G_N_ELEMENTS(types))
		problem(l, group, NULL, "an enum needs values");
	/* values that normalise to the same text are one value twice */
	for (i = 0; f.values != NULL && f.values[i] != NULL; i++)
		for (j = 0; j < i; j++) {
			char *a = normalize_text(f.values[i], NORMALIZE_KEY);
			char *b = normalize_text(f.values[j], NORMALIZE_KEY);

			if (strcmp(a, b) == 0)
				problem(l, group, f.spec.type ==
				    GRAMMAR_FIELD_UNIT ? "units" : "values",
				    "\"%s\" and \"%s\" are the same value",
				    f.values[j], f.values[i]);
			g_free(a);
			g_free(b);
		}

	aliases = g_ptr_array_new();
	keys = g_key_file_get_keys(l->kf, group, NULL, NULL);
	for (i = 0; keys != NULL && keys[i] != NULL; i++) {
		const char *target = keys[i] + strlen("alias.");
		char **list;

		if (!g_str_has_prefix(keys[i], "alias."))
			continue;
		if (f.values == NULL) {
			problem(l, group, keys[i], "aliases need values (or "
			    "units) to refer to");
			continue;
		}
		if (!list_has_key(f.values, target)) {
			problem(l, group, keys[i], "\"%s\" is not one of the "
			    "values", target);
			continue;
		}
		list = get_list(l, group, keys[i]);
		for (j = 0; list != NULL && list[j] != NULL; j++) {
			size_t k;
			char *ak = normalize_text(list[j], NORMALIZE_KEY);
			bool clash = FALSE;

			if (list_has_key(f.values, list[j]) &&
			    !list_has_key((char *[]){ (char *)target, NULL },
			    list[j])) {
				problem(l, group, keys[i], "\"%s\" is already "
				    "another value", list[j]);
				clash = TRUE;
			}
			for (k = 0; !clash && k < aliases->len; k += 2) {
				char *bk = normalize_text(
				    g_ptr_array_index(aliases, k),
				    NORMALIZE_KEY);

				if (strcmp(ak, bk) == 0 && !list_has_key(
				    (char *[]){ g_ptr_array_index(aliases,
				    k + 1), NULL }, target)) {
					problem(l, group, keys[i], "\"%s\" is "
					    "already an alias of \"%s\"",
					    list[j], (const char *)
					    g_ptr_array_index(aliases, k + 1));
					clash = TRUE;
				}
				g_free(bk);
			}
			g_free(ak);
			if (clash || list_has_key(f.values, list[j]))
				continue;
			g_ptr_array_add(aliases, g_strdup(list[j]));
			g_ptr_array_add(aliases, g_strdup(target));
		}
		g_strfreev(list);
	}
	g_strfreev(keys);
	f.nalias = aliases->len / 2;
	g_ptr_array_add(aliases, NULL);
	f.aliases = (char **)g_ptr_array_free(aliases, FALSE);

	if (g_key_file_has_key(l->kf, group, "min", NULL) &&
	    get_integer(l, group, "min", f.spec.type == GRAMMAR_FIELD_INTEGER ?
	    G_MINLONG : 0, &v)) {
		f.spec.has_min = TRUE;
		f.spec.min = v;
	}
	if (g_key_file_has_key(l->kf, group, "max", NULL) &&
	    get_integer(l, group, "max", f.spec.type == GRAMMAR_FIELD_INTEGER ?
	    G_MINLONG : 1, &v)) {
		f.spec.has_max = TRUE;
		f.spec.max = v;
	}
	if ((f.spec.has_min || f.spec.has_max) &&
	    f.spec.type == GRAMMAR_FIELD_ENUM)
		problem(l, group, f.spec.has_min ? "min" : "max",
		    "not for type = enum");
	if (f.spec.has_min && f.spec.has_max && f.spec.min > f.spec.max)
		problem(l, group, "min", "%lld is over max %lld", f.spec.min,
		    f.spec.max);

	f.examples = get_list(l, group, "example");
	if (f.examples != NULL && f.spec.type == GRAMMAR_FIELD_ENUM)
		problem(l, group, "example", "an enum's examples are its "
		    "values");
	if (g_key_file_has_key(l->kf, group, "optional", NULL)) {
		f.spec.optional = g_key_file_get_boolean(l->kf, group,
		    "optional", &gerr);
		if (gerr != NULL) {
			problem(l, group, "optional", "true or false");
			g_clear_error(&gerr);
		}
	}

	f.spec.name = f.name;
	f.spec.values = (const char *const *)f.values;
	f.spec.value_count = f.values == NULL ? 0 : g_strv_length(f.values);
	f.spec.aliases = (const char *const *)f.aliases;
	f.spec.alias_count = f.nalias;
	f.spec.examples = (const char *const *)f.examples;
	f.spec.example_count = f.examples == NULL ? 0 :
	    g_strv_length(f.examples);
	l->fields = g_renew(struct field_def, l->fields, l->nfields + 1);
	l->fields[l->nfields++] = f;
}

/* Compiles one convention; grammar errors are reported on its key. */
static struct grammar *
load_grammar(struct loader *l, enum grammar_target target,
    struct grammar_field_spec *specs)
{
	const char *tkey = target == GRAMMAR_SUBJECT ? "subject" : "filename";
	const char *rkey = target == GRAMMAR_SUBJECT ? "subject_regex" :
	    "filename_regex";
	char *tmpl, *raw, *err = NULL, **lines;
	struct grammar *g = NULL;
	size_t i, j;

	tmpl = get_string(l, "campaign", tkey);
	raw = get_string(l, "campaign", rkey);
	if (tmpl != NULL || raw != NULL) {
		if (grammar_compile(target, tmpl, raw, specs, l->nfields, &g,
		    &err) < 0) {
			lines = g_strsplit(err, "\n", -1);
			for (i = 0; lines[i] != NULL; i++)
				problem(l, "campaign", tmpl != NULL &&
				    strstr(lines[i], "pattern") == NULL ?
				    tkey : (raw != NULL ? rkey : tkey),
				    "%s", lines[i]);
			g_strfreev(lines);
			g_free(err);
		} else {
			for (i = 0; i < grammar_field_count(g); i++)
				for (j = 0; j < l->nfields; j++)
					if (strcmp(l->fields[j].name,
					    grammar_field_name(g, i)) == 0)
						l->fields[j].used = TRUE;
		}
	}
	g_free(tmpl);
	g_free(raw);
	return g;
}

static void
load_role_field(struct loader *l, const char *key, char **out)
{
	char *v = get_string(l, "campaign", key);
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < l->nfields; i++)
		if (strcmp(l->fields[i].name, v) == 0)
			break;
	if (i == l->nfields) {
		problem(l, "campaign", key, "\"%s\" is not a defined field", v);
		g_free(v);
		return;
	}
	*out = v;
}

static void
load_campaign_group(struct loader *l)
{
	static const char *const known[] = {
		"id", "name", "folder", "opens", "closes", "timezone",
		"contact", "convention", "subject", "filename",
		"subject_regex", "filename_regex", "category_field",
		"title_field", "unit_field", NULL,
	};
	struct campaign *c = l->c;
	char *s;

	check_keys(l, "campaign", known, NULL);
	c->id = get_string(l, "campaign", "id");
	if (c->id == NULL)
		problem(l, "campaign", "id", "required");
	else if (!valid_id(c->id))
		problem(l, "campaign", "id", "\"%s\": use 1-63 of a-z, 0-9, "
		    "\"_\" and \"-\", starting with a letter or digit", c->id);
	c->name = get_string(l, "campaign", "name");
	if (c->name == NULL)
		problem(l, "campaign", "name", "required");
	c->folder = get_string(l, "campaign", "folder");
	if (c->folder == NULL)
		c->folder = g_strdup(DEFAULT_FOLDER);
	c->contact = get_string(l, "campaign", "contact");

	s = get_string(l, "campaign", "timezone");
	c->tz = g_time_zone_new_identifier(s != NULL ? s : DEFAULT_TIMEZONE);
	if (c->tz == NULL) {
		if (s != NULL)
			problem(l, "campaign", "timezone", "\"%s\" is not a "
			    "known time zone", s);
		/* no tzdata installed: China has had one offset since 1991 */
		c->tz = g_time_zone_new_offset(8 * 3600);
	}
	g_free(s);
	c->opens = get_time(l, "opens");
	c->closes = get_time(l, "closes");
	if (c->opens != NULL && c->closes != NULL &&
	    g_date_time_compare(c->opens, c->closes) >= 0)
		problem(l, "campaign", "closes", "not after opens");
}

static void
load_convention(struct loader *l)
{
	static const char *const scopes[] = {
		"subject", "filename", "both", "either",
	};
	struct campaign *c = l->c;
	struct grammar_field_spec *specs;
	char *s;
	size_t i;

	specs = g_new0(struct grammar_field_spec, l->nfields + 1);
	for (i = 0; i < l->nfields; i++)
		specs[i] = l->fields[i].spec;
	c->subject = load_grammar(l, GRAMMAR_SUBJECT, specs);
	c->filename = load_grammar(l, GRAMMAR_FILENAME, specs);
	g_free(specs);

	s = get_string(l, "campaign", "convention");
	if (s == NULL) {
		/* the convention there is, when there is one */
		if (c->subject != NULL && c->filename == NULL)
			c->scope = CONVENTION_SUBJECT;
		else if (c->filename != NULL && c->subject == NULL)
			c->scope = CONVENTION_FILENAME;
		else if (c->subject != NULL)
			problem(l, "campaign", "convention", "required when "
			    "both subject and filename are given");
	} else {
		for (i = 0; i < G_N_ELEMENTS(scopes); i++)
			if (strcmp(s, scopes[i]) == 0)
				break;
		if (i == G_N_ELEMENTS(scopes))
			problem(l, "campaign", "convention", "\"%s\" is not "
			    "subject, filename, both or either", s);
		else
			c->scope = (enum convention_scope)i;
	}
	g_free(s);
	if (!g_key_file_has_key(l->kf, "campaign", "subject", NULL) &&
	    !g_key_file_has_key(l->kf, "campaign", "subject_regex", NULL) &&
	    c->scope != CONVENTION_FILENAME)
		problem(l, "campaign", "subject", "required by convention = "
		    "%s", scopes[c->scope]);
	if (!g_key_file_has_key(l->kf, "campaign", "filename", NULL) &&
	    !g_key_file_has_key(l->kf, "campaign", "filename_regex", NULL) &&
	    c->scope != CONVENTION_SUBJECT)
		problem(l, "campaign", "filename", "required by convention = "
		    "%s", scopes[c->scope]);

	for (i = 0; i < l->nfields; i++)
		if (!l->fields[i].used)
			problem(l, l->fields[i].group, NULL, "defined but not "
			    "used by any template or pattern");
	load_role_field(l, "category_field", &c->category_field);
	load_role_field(l, "title_field", &c->title_field);
	load_role_field(l, "unit_field", &c->unit_field);
}

static const struct field_def *
field_find(const struct loader *l, const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < l->nfields; i++)
		if (strcmp(l->fields[i].name, name) == 0)
			return &l->fields[i];
	return NULL;
}

/* The canonical spelling of a category named in the policy. */
static char *
category_canonical(const struct loader *l, const char *name)
{
	const struct field_def *f = field_find(l, l->c->category_field);
	char *key, *k, *found = NULL;
	size_t i;

	if (f == NULL || f->values == NULL)
		return normalize_text(name, 0);
	key = normalize_text(name, NORMALIZE_KEY);
	for (i = 0; f->values[i] != NULL && found == NULL; i++) {
		k = normalize_text(f->values[i], NORMALIZE_KEY);
		if (strcmp(k, key) == 0)
			found = normalize_text(f->values[i], 0);
		g_free(k);
	}
	for (i = 0; i < f->nalias && found == NULL; i++) {
		k = normalize_text(f->aliases[2 * i], NORMALIZE_KEY);
		if (strcmp(k, key) == 0)
			found = normalize_text(f->aliases[2 * i + 1], 0);
		g_free(k);
	}
	g_free(key);
	return found;
}

/*
 * [policy] senders.UNIT = a@x.cn;@jintan.gov.cn: only these addresses or
 * domains may submit in the name of UNIT.  The unit is matched in its
 * normalised form, so full-width spellings in the key still find it.
 */
static void
load_unit_senders(struct loader *l)
{
	struct campaign *c = l->c;
	char **keys = g_key_file_get_keys(l->kf, "policy", NULL, NULL);
	size_t i, j;

	for (i = 0; keys != NULL && keys[i] != NULL; i++) {
		const char *unit = keys[i] + strlen("senders.");
		char **list;

		if (!g_str_has_prefix(keys[i], "senders."))
			continue;
		if (c->unit_field == NULL) {
			problem(l, "policy", keys[i], "needs unit_field in "
			    "[campaign]");
			continue;
		}
		list = get_list(l, "policy", keys[i]);
		for (j = 0; list != NULL && list[j] != NULL; j++) {
			char *low = g_ascii_strdown(g_strstrip(list[j]), -1);
			const char *at = strchr(low, '@');

			if (at == NULL || at[1] == '\0' || strchr(at + 1, '@'))
				problem(l, "policy", keys[i], "\"%s\" is neither "
				    "an address nor an @domain", list[j]);
			g_free(list[j]);
			list[j] = low;
		}
		if (list == NULL || list[0] == NULL) {
			problem(l, "policy", keys[i], "lists no address");
			g_strfreev(list);
			continue;
		}
		if (c->unit_senders == NULL)
			c->unit_senders = g_hash_table_new_full(g_str_hash,
			    g_str_equal, g_free, (GDestroyNotify)g_strfreev);
		g_hash_table_replace(c->unit_senders,
		    normalize_text(unit, NORMALIZE_KEY), list);
	}
	g_strfreev(keys);
}

static void
load_policy(struct loader *l)
{
	static const char *const known[] = {
		"quota_per_unit", "quota_per_unit_category",
		"quota_per_submitter", "resubmission", "max_message_size",
		"allowed_extensions", NULL,
	};
	struct campaign *c = l->c;
	char *s, **list;
	long long v;
	size_t i;

	if (!g_key_file_has_group(l->kf, "policy"))
		return;
	check_keys(l, "policy", known, "senders.");
	if (get_integer(l, "policy", "quota_per_unit", 0, &v))
		c->quota_per_unit = (unsigned int)MIN(v, G_MAXUINT);
	if (get_integer(l, "policy", "quota_per_submitter", 0, &v))
		c->quota_per_submitter = (unsigned int)MIN(v, G_MAXUINT);

	list = get_list(l, "policy", "quota_per_unit_category");
	for (i = 0; list != NULL && list[i] != NULL; i++) {
		char *colon = strrchr(list[i], ':'), *cat;

		if (colon == NULL) {
			char *full = strstr(list[i], "：");

			if (full != NULL) {
				*full = '\0';
				colon = full + strlen("：") - 1;
			}
		}
		if (colon == NULL || !parse_integer(g_strstrip(colon + 1),
		    &v) || v < 0) {
			problem(l, "policy", "quota_per_unit_category",
			    "\"%s\": write CATEGORY:NUMBER", list[i]);
			continue;
		}
		*colon = '\0';
		cat = category_canonical(l, g_strstrip(list[i]));
		if (cat == NULL) {
			problem(l, "policy", "quota_per_unit_category",
			    "\"%s\" is not a value of the category field %s",
			    list[i], c->category_field);
			continue;
		}
		c->quota_cat = g_renew(struct quota_category, c->quota_cat,
		    c->nquota_cat + 1);
		c->quota_cat[c->nquota_cat].category = cat;
		c->quota_cat[c->nquota_cat].quota =
		    (unsigned int)MIN(v, G_MAXUINT);
		c->nquota_cat++;
	}
	if (list != NULL && c->category_field == NULL)
		problem(l, "policy", "quota_per_unit_category", "needs "
		    "category_field in [campaign]");
	g_strfreev(list);

	s = get_string(l, "policy", "resubmission");
	if (s != NULL) {
		if (strcmp(s, "keep-all") == 0)
			c->resubmission = CAMPAIGN_RESUBMISSION_KEEP_ALL;
		else if (strcmp(s, "replace") == 0)
			c->resubmission = CAMPAIGN_RESUBMISSION_REPLACE;
		else if (strcmp(s, "freeze") == 0)
			c->resubmission = CAMPAIGN_RESUBMISSION_FREEZE;
		else
			problem(l, "policy", "resubmission", "\"%s\" is not "
			    "freeze, replace or keep-all", s);
		g_free(s);
	}
	s = get_string(l, "policy", "max_message_size");
	if (s != NULL) {
		if (!parse_size(s, &c->max_message_size))
			problem(l, "policy", "max_message_size", "\"%s\" is "
			    "not a size such as 50M", s);
		g_free(s);
	}
	list = get_list(l, "policy", "allowed_extensions");
	for (i = 0; list != NULL && list[i] != NULL; i++) {
		char *e = list[i] + (list[i][0] == '.' ? 1 : 0), *low;
		size_t n = strlen(e);

		low = g_ascii_strdown(e, -1);
		if (n == 0 || n > EXTENSION_MAX ||
		    strspn(low, "abcdefghijklmnopqrstuvwxyz0123456789") != n)
			problem(l, "policy", "allowed_extensions", "\"%s\" is "
			    "not an extension such as mp4", list[i]);
		g_free(list[i]);
		list[i] = low;
	}
	c->allowed_extensions = list;
	load_unit_senders(l);
}

static bool
reply_name_known(const char *name, void *ctx)
{
	const struct loader *l = ctx;

	if (g_str_has_prefix(name, "field."))
		return field_find(l, name + strlen("field.")) != NULL;
	return g_strv_contains((const char *const *)template_reply_names, name);
}

/* A template file, relative to the campaign file. */
static char *
reply_read_file(struct loader *l, const char *key)
{
	char *name = get_string(l, "reply", key), *full, *text = NULL;
	GError *gerr = NULL;
	gsize len = 0;

	if (name == NULL)
		return NULL;
	if (g_path_is_absolute(name)) {
		full = g_strdup(name);
	} else {
		char *dir = g_path_get_dirname(l->path);

		full = g_build_filename(dir, name, NULL);
		g_free(dir);
	}
	if (!g_file_get_contents(full, &text, &len, &gerr)) {
		problem(l, "reply", key, "%s", gerr->message);
		g_error_free(gerr);
	} else if (len > REPLY_TEMPLATE_MAX) {
		problem(l, "reply", key, "%s is over %u bytes", full,
		    (unsigned)REPLY_TEMPLATE_MAX);
		g_clear_pointer(&text, g_free);
	} else if (!g_utf8_validate(text, (gssize)len, NULL) ||
	    strlen(text) != len) {
		problem(l, "reply", key, "%s is not UTF-8 text", full);
		g_clear_pointer(&text, g_free);
	}
	g_free(full);
	g_free(name);
	return text;
}

/* An inline value: GKeyFile has already turned \n into line breaks. */
static char *
reply_inline(struct loader *l, const char *key)
{
	char *v;

	if (!g_key_file_has_key(l->kf, "reply", key, NULL))
		return NULL;
	v = g_key_file_get_string(l->kf, "reply", key, NULL);
	if (v == NULL || *v == '\0') {
		problem(l, "reply", key, "empty value");
		g_free(v);
		return NULL;
	}
	return v;
}

/*
 * [reply]: KIND.subject, KIND.body or KIND.body_file, KIND.html_file.
 * Every placeholder must be known, and a subject must carry {receipt} or
 * {ref}: mail providers (163's DT:SPM) refuse bursts of one subject.
 */
static void
load_reply(struct loader *l)
{
	char **keys;
	size_t i, k, p;

	if (!g_key_file_has_group(l->kf, "reply"))
		return;
	keys = g_key_file_get_keys(l->kf, "reply", NULL, NULL);
	for (i = 0; keys != NULL && keys[i] != NULL; i++) {
		char *dot = strrchr(keys[i], '.');
		bool ok = FALSE;

		for (k = 0; dot != NULL && k < REPLY_KINDS && !ok; k++)
			ok = strlen(template_reply_kinds[k]) ==
			    (size_t)(dot - keys[i]) &&
			    strncmp(keys[i], template_reply_kinds[k],
			    (size_t)(dot - keys[i])) == 0 &&
			    (strcmp(dot, ".subject") == 0 ||
			    strcmp(dot, ".body") == 0 ||
			    strcmp(dot, ".body_file") == 0 ||
			    strcmp(dot, ".html_file") == 0);
		if (!ok)
			problem(l, "reply", keys[i], "unknown key (KIND.subject, "
			    "KIND.body, KIND.body_file or KIND.html_file, KIND "
			    "one of receipt, superseded-notice, correction, "
			    "late, over-quota, frozen, too-large)");
	}
	g_strfreev(keys);
	for (k = 0; k < REPLY_KINDS; k++) {
		const char *kind = template_reply_kinds[k];
		char *skey = g_strdup_printf("%s.subject", kind);
		char *bkey = g_strdup_printf("%s.body", kind);
		char *fkey = g_strdup_printf("%s.body_file", kind);
		char *hkey = g_strdup_printf("%s.html_file", kind);
		const char *keyof[REPLY_PARTS];

		l->c->reply[k][0] = reply_inline(l, skey);
		if (g_key_file_has_key(l->kf, "reply", bkey, NULL) &&
		    g_key_file_has_key(l->kf, "reply", fkey, NULL))
			problem(l, "reply", fkey, "give %s or %s, not both",
			    bkey, fkey);
		l->c->reply[k][1] = g_key_file_has_key(l->kf, "reply", fkey,
		    NULL) ? reply_read_file(l, fkey) : reply_inline(l, bkey);
		l->c->reply[k][2] = reply_read_file(l, hkey);
		keyof[0] = skey;
		keyof[1] = g_key_file_has_key(l->kf, "reply", fkey, NULL) ?
		    fkey : bkey;
		keyof[2] = hkey;
		for (p = 0; p < REPLY_PARTS; p++) {
			char *err = NULL;

			if (l->c->reply[k][p] == NULL)
				continue;
			if (template_check(l->c->reply[k][p], reply_name_known,
			    l, &err) < 0) {
				problem(l, "reply", keyof[p], "%s", err);
				g_free(err);
			}
		}
		if (l->c->reply[k][0] != NULL) {
			const char *sub = l->c->reply[k][0];

			if (strchr(sub, '\n') != NULL)
				problem(l, "reply", skey, "a subject is one line");
			if (strstr(sub, "{receipt}") == NULL &&
			    strstr(sub, "{ref}") == NULL)
				problem(l, "reply", skey, "needs {receipt} or "
				    "{ref}, so that no two replies share a "
				    "subject");
			/* Kinds 2-6 (correction ... too-large) refuse a
			 * submission: there is no case, so no receipt. */
			if (strstr(sub, "{receipt}") != NULL && k >= 2 &&
			    k <= 6)
				problem(l, "reply", skey, "{receipt} is empty "
				    "for %s replies: use {ref}", kind);
		}
		g_free(skey);
		g_free(bkey);
		g_free(fkey);
		g_free(hkey);
	}
}

/* The summary table's own columns, by their Chinese heading and an
 * ASCII name for those who cannot type it. */
static const struct {
	enum campaign_column_kind kind;
	const char *label, *ascii;
} export_builtin[] = {
	{ CAMPAIGN_COLUMN_SEQ, "序号", "seq" },
	{ CAMPAIGN_COLUMN_RECEIPT, "回执编号", "receipt" },
	{ CAMPAIGN_COLUMN_SENDER, "投稿邮箱", "sender" },
	{ CAMPAIGN_COLUMN_SENDER_NAME, "投稿人", "sender_name" },
	{ CAMPAIGN_COLUMN_ARRIVAL, "收到时间", "arrival" },
	{ CAMPAIGN_COLUMN_STATUS, "状态", "status" },
	{ CAMPAIGN_COLUMN_ATTACHMENTS, "附件", "attachments" },
	{ CAMPAIGN_COLUMN_ATTACHMENT_COUNT, "附件数", "attachment_count" },
	{ CAMPAIGN_COLUMN_TOTAL_SIZE, "大小", "total_size" },
};

/* A column's source: a field of the campaign first (the campaign's own
 * names win), then a built-in column.  false when it is neither. */
static bool
export_source_find(const struct loader *l, const char *source,
    struct campaign_column *col)
{
	const struct field_def *f = field_find(l, source);
	size_t i;

	if (f != NULL) {
		col->kind = CAMPAIGN_COLUMN_FIELD;
		col->field = g_strdup(f->name);
		return true;
	}
	for (i = 0; i < G_N_ELEMENTS(export_builtin); i++) {
		if (strcmp(source, export_builtin[i].label) == 0 ||
		    g_ascii_strcasecmp(source, export_builtin[i].ascii) == 0) {
			col->kind = export_builtin[i].kind;
			return true;
		}
	}
	return false;
}

static void
campaign_column_clear(struct campaign_column *col)
{
	g_free((char *)col->header);
	g_free((char *)col->field);
	memset(col, 0, sizeof(*col));
}

/*
 * [export] columns = 序号;作品名称;制作单位:报送单位;...  Each entry is a
 * built-in column or a field, optionally as HEADER:SOURCE to title the
 * column the way the notice's own form does.
 */
static void
load_export(struct loader *l)
{
	static const char *const known[] = { "columns", NULL };
	GString *names;
	char **list;
	size_t i, n;

	if (!g_key_file_has_group(l->kf, "export"))
		return;
	check_keys(l, "export", known, NULL);
	if ((list = get_list(l, "export", "columns")) == NULL) {
		if (!g_key_file_has_key(l->kf, "export", "columns", NULL))
			problem(l, "export", NULL, "no columns");
		return;
	}
	n = g_strv_length(list);
	if (n > EXPORT_COLUMNS_MAX) {
		problem(l, "export", "columns", "%zu columns; at most %d", n,
		    EXPORT_COLUMNS_MAX);
		g_strfreev(list);
		return;
	}
	names = g_string_new(NULL);
	for (i = 0; i < G_N_ELEMENTS(export_builtin); i++)
		g_string_append_printf(names, "%s%s", i ? "、" : "",
		    export_builtin[i].label);
	l->c->export_columns = g_new0(struct campaign_column, n);
	for (i = 0; i < n; i++) {
		struct campaign_column *col =
		    &l->c->export_columns[l->c->nexport_columns];
		const char *colon = strchr(list[i], ':');
		const char *wide = strstr(list[i], "：");
		g_autofree char *header = NULL, *source = NULL;

		/* Either colon: people type the full-width one in Chinese. */
		if (wide != NULL && (colon == NULL || wide < colon)) {
			header = g_strndup(list[i], (gsize)(wide - list[i]));
			source = g_strdup(wide + strlen("："));
		} else if (colon != NULL) {
			header = g_strndup(list[i], (gsize)(colon - list[i]));
			source = g_strdup(colon + 1);
		} else {
			source = g_strdup(list[i]);
		}
		g_strstrip(source);
		if (header != NULL && (*g_strstrip(header) == '\0' ||
		    *source == '\0')) {
			problem(l, "export", "columns", "\"%s\": write HEADER:"
			    "SOURCE with both parts", list[i]);
			continue;
		}
		if (!export_source_find(l, source, col)) {
			problem(l, "export", "columns", "\"%s\" is neither a "
			    "field of this campaign nor a column (%s)", source,
			    names->str);
			campaign_column_clear(col);
			continue;
		}
		if (header != NULL)
			col->header = g_steal_pointer(&header);
		else if (col->kind == CAMPAIGN_COLUMN_FIELD)
			col->header = g_strdup(col->field);
		else
			col->header = g_strdup(campaign_column_label(col->kind));
		l->c->nexport_columns++;
	}
	g_string_free(names, TRUE);
	g_strfreev(list);
}

static void
campaign_free_contents(struct campaign *c)
{
	size_t i;

	g_free(c->path);
	g_free(c->id);
	g_free(c->name);
	g_free(c->folder);
	g_free(c->contact);
	if (c->tz != NULL)
		g_time_zone_unref(c->tz);
	if (c->opens != NULL)
		g_date_time_unref(c->opens);
	if (c->closes != NULL)
		g_date_time_unref(c->closes);
	grammar_free(&c->subject);
	grammar_free(&c->filename);
	g_free(c->category_field);
	g_free(c->title_field);
	g_free(c->unit_field);
	for (i = 0; i < c->nquota_cat; i++)
		g_free(c->quota_cat[i].category);
	g_free(c->quota_cat);
	g_strfreev(c->allowed_extensions);
	if (c->unit_senders != NULL)
		g_hash_table_destroy(c->unit_senders);
	for (i = 0; i < REPLY_KINDS; i++) {
		size_t j;

		for (j = 0; j < REPLY_PARTS; j++)
			g_free(c->reply[i][j]);
	}
	for (i = 0; i < c->nexport_columns; i++)
		campaign_column_clear(&c->export_columns[i]);
	g_free(c->export_columns);
}

void
campaign_free(struct campaign **cp)
{
	if (*cp == NULL)
		return;
	campaign_free_contents(*cp);
	g_free(*cp);
	*cp = NULL;
}

static int
load(GKeyFile *kf, const char *path, bool whole_file,
    struct campaign **campaign_r, char **error_r)
{
	struct loader l;
	char **groups;
	size_t i;
	int ret;

	*campaign_r = NULL;
	memset(&l, 0, sizeof(l));
	l.kf = kf;
	l.path = path;
	l.err = g_string_new(NULL);
	l.lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	l.c = g_new0(struct campaign, 1);
	l.c->path = g_strdup(path);
	scan_lines(&l, whole_file);

	if (!g_key_file_has_group(kf, "campaign"))
		problem(&l, NULL, NULL, "no [campaign] group");
	groups = g_key_file_get_groups(kf, NULL);
	for (i = 0; groups[i] != NULL; i++) {
		if (strcmp(groups[i], "campaign") == 0 ||
		    strcmp(groups[i], "policy") == 0 ||
		    strcmp(groups[i], "reply") == 0 ||
		    strcmp(groups[i], "export") == 0)
			continue;
		if (g_str_has_prefix(groups[i], "field ") ||
		    strcmp(groups[i], "field") == 0)
			load_field(&l, groups[i]);
		else if (whole_file)
			problem(&l, groups[i], NULL, "unknown group");
	}
	g_strfreev(groups);
	if (g_key_file_has_group(kf, "campaign")) {
		load_campaign_group(&l);
		load_convention(&l);
	}
	load_policy(&l);
	load_reply(&l);
	load_export(&l);

	for (i = 0; i < l.nfields; i++)
		field_def_clear(&l.fields[i]);
	g_free(l.fields);
	g_hash_table_destroy(l.lines);
	if (l.err->len > 0) {
		g_strchomp(l.err->str);
		*error_r = g_string_free(l.err, FALSE);
		campaign_free(&l.c);
		ret = -1;
	} else {
		g_string_free(l.err, TRUE);
		*campaign_r = l.c;
		ret = 0;
	}
	return ret;
}

int
campaign_load_keyfile(GKeyFile *kf, const char *path,
    struct campaign **campaign_r, char **error_r)
{
	return load(kf, path, FALSE, campaign_r, error_r);
}

int
campaign_load(const char *path, struct campaign **campaign_r,
    char **error_r)
{
	GKeyFile *kf = g_key_file_new();
	GError *gerr = NULL;
	int ret;

	*campaign_r = NULL;
	if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, &gerr)) {
		*error_r = g_strdup_printf("%s: %s", path, gerr->message);
		g_error_free(gerr);
		g_key_file_free(kf);
		return -1;
	}
	ret = load(kf, path, TRUE, campaign_r, error_r);
	g_key_file_free(kf);
	return ret;
}

/* ------------------------------------------------------------------ */
/* getters */

const char *campaign_path(const struct campaign *c) { return c->path; }
const char *campaign_id(const struct campaign *c) { return c->id; }
const char *campaign_name(const struct campaign *c) { return c->name; }
const char *campaign_folder(const struct campaign *c) { return c->folder; }
const char *campaign_contact(const struct campaign *c) { return c->contact; }
GDateTime *campaign_opens(const struct campaign *c) { return c->opens; }
GDateTime *campaign_closes(const struct campaign *c) { return c->closes; }
GTimeZone *campaign_timezone(const struct campaign *c) { return c->tz; }

enum convention_scope
campaign_scope(const struct campaign *c)
{
	return c->scope;
}

int
campaign_window(const struct campaign *c, GDateTime *at)
{
	if (c->opens != NULL && g_date_time_compare(at, c->opens) < 0)
		return -1;
	if (c->closes != NULL && g_date_time_compare(at, c->closes) > 0)
		return 1;
	return 0;
}

const struct grammar *
campaign_grammar(const struct campaign *c, enum grammar_target t)
{
	return t == GRAMMAR_SUBJECT ? c->subject : c->filename;
}

const char *
campaign_category_field(const struct campaign *c)
{
	return c->category_field;
}

const char *
campaign_title_field(const struct campaign *c)
{
	return c->title_field;
}

const char *
campaign_unit_field(const struct campaign *c)
{
	return c->unit_field;
}

unsigned int
campaign_quota_per_unit(const struct campaign *c)
{
	return c->quota_per_unit;
}

unsigned int
campaign_quota_per_submitter(const struct campaign *c)
{
	return c->quota_per_submitter;
}

unsigned int
campaign_quota_per_unit_category(const struct campaign *c,
    const char *category)
{
	char *key = normalize_text(category, NORMALIZE_KEY), *k;
	unsigned int q = 0;
	size_t i;

	for (i = 0; i < c->nquota_cat && q == 0; i++) {
		k = normalize_text(c->quota_cat[i].category, NORMALIZE_KEY);
		if (strcmp(k, key) == 0)
			q = c->quota_cat[i].quota;
		g_free(k);
	}
	g_free(key);
	return q;
}

size_t
campaign_quota_category_count(const struct campaign *c)
{
	return c->nquota_cat;
}

void
campaign_quota_category(const struct campaign *c, size_t i,
    const char **category_r, unsigned int *quota_r)
{
	g_assert(i < c->nquota_cat);
	*category_r = c->quota_cat[i].category;
	*quota_r = c->quota_cat[i].quota;
}

enum campaign_resubmission
campaign_resubmission(const struct campaign *c)
{
	return c->resubmission;
}

const char *
campaign_resubmission_name(enum campaign_resubmission r)
{
	switch (r) {
	case CAMPAIGN_RESUBMISSION_KEEP_ALL:
		return "keep-all";
	case CAMPAIGN_RESUBMISSION_REPLACE:
		return "replace";
	case CAMPAIGN_RESUBMISSION_FREEZE:
		return "freeze";
	}
	return "keep-all";
}

uint64_t
campaign_max_message_size(const struct campaign *c)
{
	return c->max_message_size;
}

const char *const *
campaign_allowed_extensions(const struct campaign *c)
{
	return (const char *const *)c->allowed_extensions;
}

bool
campaign_extension_allowed(const struct campaign *c, const char *filename)
{
	const char *dot;
	size_t i;

	if (c->allowed_extensions == NULL)
		return TRUE;
	dot = filename == NULL ? NULL : strrchr(filename, '.');
	if (dot == NULL)
		return FALSE;
	for (i = 0; c->allowed_extensions[i] != NULL; i++)
		if (g_ascii_strcasecmp(dot + 1, c->allowed_extensions[i]) == 0)
			return TRUE;
	return FALSE;
}

const char *
campaign_reply_template(const struct campaign *c, const char *kind,
    const char *part)
{
	size_t k, p;

	for (k = 0; k < REPLY_KINDS; k++)
		if (strcmp(template_reply_kinds[k], kind) == 0)
			break;
	if (strcmp(part, "subject") == 0)
		p = 0;
	else if (strcmp(part, "body") == 0)
		p = 1;
	else
		p = 2;
	if (k == REPLY_KINDS)
		return NULL;
	return c->reply[k][p];
}

bool
campaign_sender_allowed(const struct campaign *c, const char *unit,
    const char *sender, const char *const **allowed_r)
{
	g_autofree char *key = NULL;
	char **list;
	size_t i, n;

	if (allowed_r != NULL)
		*allowed_r = NULL;
	if (c->unit_senders == NULL || unit == NULL)
		return true;
	key = normalize_text(unit, NORMALIZE_KEY);
	list = g_hash_table_lookup(c->unit_senders, key);
	if (list == NULL)
		return true;
	if (allowed_r != NULL)
		*allowed_r = (const char *const *)list;
	n = strlen(sender);
	for (i = 0; list[i] != NULL; i++) {
		size_t m = strlen(list[i]);

		if (list[i][0] == '@' ? n > m &&
		    g_ascii_strcasecmp(sender + n - m, list[i]) == 0 :
		    g_ascii_strcasecmp(sender, list[i]) == 0)
			return true;
	}
	return false;
}

const char *
campaign_column_label(enum campaign_column_kind kind)
{
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(export_builtin); i++)
		if (export_builtin[i].kind == kind)
			return export_builtin[i].label;
	return "";
}

size_t
campaign_export_columns(const struct campaign *c,
    const struct campaign_column **columns_r)
{
	*columns_r = c->export_columns;
	return c->nexport_columns;
}

char *
campaign_receipt_prefix(const struct campaign *c)
{
	GString *prefix = g_string_new(NULL);
	const char *p;

	for (p = c->id; *p != '\0'; p++)
		if (g_ascii_isalnum(*p))
			g_string_append_c(prefix, g_ascii_toupper(*p));
	return g_string_free(prefix, FALSE);
}
