/*
 * campaign_fields: the [field NAME] groups of a campaign file and the
 * conventions (subject, filename and their _regex forms) compiled against
 * them.  See include/campaign_private.h.
 */
#include <string.h>

#include "campaign-private.h"
#include "normalize.h"

static void
field_def_clear(struct field_def *f)
{
	g_free(f->group);
	g_free(f->name);
	g_strfreev(f->values);
	g_strfreev(f->aliases);
	g_strfreev(f->examples);
	g_strfreev(f->open);
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

/* [field NAME]: the name, which no other field has; false when the field
 * cannot be used. */
static bool
field_name(struct loader *l, const char *group, struct field_def *f)
{
	size_t i;

	f->group = g_strdup(group);
	f->name = g_strstrip(g_strdup(group + strlen("field")));
	if (*f->name == '\0' || strpbrk(f->name, "{}") != NULL) {
		loader_problem(l, group, NULL, "a field needs a name without "
		    "braces: [field NAME]");
		return false;
	}
	for (i = 0; i < l->nfields; i++)
		if (strcmp(l->fields[i].name, f->name) == 0) {
			loader_problem(l, group, NULL, "field defined twice");
			return false;
		}
	return true;
}

/* type: false when it is missing or unknown (the field is then read as
 * text, so that later problems are still found). */
static bool
field_type(struct loader *l, const char *group, struct field_def *f)
{
	static const char *const types[] = {
		"enum", "text", "name", "unit", "integer",
	};
	char *type = loader_string(l, group, "type");
	size_t t = G_N_ELEMENTS(types);

	if (type == NULL) {
		if (!g_key_file_has_key(l->kf, group, "type", NULL))
			loader_problem(l, group, NULL, "no type (enum, text, "
			    "name, unit or integer)");
	} else {
		for (t = 0; t < G_N_ELEMENTS(types); t++)
			if (strcmp(type, types[t]) == 0)
				break;
		if (t == G_N_ELEMENTS(types))
			loader_problem(l, group, "type", "\"%s\" is not enum, "
			    "text, name, unit or integer", type);
	}
	g_free(type);
	f->spec.type = t < G_N_ELEMENTS(types) ?
	    (enum grammar_field_type)t : GRAMMAR_FIELD_TEXT;
	return t < G_N_ELEMENTS(types);
}

/* values (an enum's) or units (a unit's), each different once
 * normalised. */
static void
field_values(struct loader *l, const char *group, struct field_def *f,
    bool type_known)
{
	char **units;
	size_t i, j;

	f->values = loader_list(l, group, "values");
	units = loader_list(l, group, "units");
	if (f->values != NULL && f->spec.type != GRAMMAR_FIELD_ENUM)
		loader_problem(l, group, "values", "only for type = enum (a "
		    "unit field takes \"units\")");
	if (units != NULL && f->spec.type != GRAMMAR_FIELD_UNIT)
		loader_problem(l, group, "units", "only for type = unit");
	if (f->spec.type == GRAMMAR_FIELD_UNIT) {
		g_strfreev(f->values);
		f->values = units;
	} else {
		g_strfreev(units);
	}
	if (f->spec.type == GRAMMAR_FIELD_ENUM && f->values == NULL &&
	    type_known)
		loader_problem(l, group, NULL, "an enum needs values");
	/* values that normalise to the same text are one value twice */
	for (i = 0; f->values != NULL && f->values[i] != NULL; i++)
		for (j = 0; j < i; j++) {
			char *a = normalize_text(f->values[i], NORMALIZE_KEY);
			char *b = normalize_text(f->values[j], NORMALIZE_KEY);

			if (strcmp(a, b) == 0)
				loader_problem(l, group, f->spec.type ==
				    GRAMMAR_FIELD_UNIT ? "units" : "values",
				    "\"%s\" and \"%s\" are the same value",
				    f->values[j], f->values[i]);
			g_free(a);
			g_free(b);
		}
}

/* Whether alias, listed in key for the value target, is already another
 * value or an alias of another value (aliases: pairs alias, value);
 * reported when it is. */
static bool
field_alias_clashes(struct loader *l, const char *group, const char *key,
    const char *target, const char *alias, char **values,
    GPtrArray *aliases)
{
	char *ak = normalize_text(alias, NORMALIZE_KEY);
	bool clash = FALSE;
	size_t k;

	if (list_has_key(values, alias) &&
	    !list_has_key((char *[]){ (char *)target, NULL }, alias)) {
		loader_problem(l, group, key, "\"%s\" is already another value",
		    alias);
		clash = TRUE;
	}
	for (k = 0; !clash && k < aliases->len; k += 2) {
		char *bk = normalize_text(g_ptr_array_index(aliases, k),
		    NORMALIZE_KEY);

		if (strcmp(ak, bk) == 0 && !list_has_key(
		    (char *[]){ g_ptr_array_index(aliases, k + 1), NULL },
		    target)) {
			loader_problem(l, group, key, "\"%s\" is already an "
			    "alias of \"%s\"", alias, (const char *)
			    g_ptr_array_index(aliases, k + 1));
			clash = TRUE;
		}
		g_free(bk);
	}
	g_free(ak);
	return clash;
}

/* alias.VALUE = other;spellings: what submitters write for a value. */
static void
field_aliases(struct loader *l, const char *group, struct field_def *f)
{
	GPtrArray *aliases = g_ptr_array_new();
	char **keys = g_key_file_get_keys(l->kf, group, NULL, NULL);
	size_t i, j;

	for (i = 0; keys != NULL && keys[i] != NULL; i++) {
		const char *target = keys[i] + strlen("alias.");
		char **list;

		if (!g_str_has_prefix(keys[i], "alias."))
			continue;
		if (f->values == NULL) {
			loader_problem(l, group, keys[i], "aliases need values "
			    "(or units) to refer to");
			continue;
		}
		if (!list_has_key(f->values, target)) {
			loader_problem(l, group, keys[i], "\"%s\" is not one of "
			    "the values", target);
			continue;
		}
		list = loader_list(l, group, keys[i]);
		for (j = 0; list != NULL && list[j] != NULL; j++) {
			if (field_alias_clashes(l, group, keys[i], target,
			    list[j], f->values, aliases) ||
			    list_has_key(f->values, list[j]))
				continue;
			g_ptr_array_add(aliases, g_strdup(list[j]));
			g_ptr_array_add(aliases, g_strdup(target));
		}
		g_strfreev(list);
	}
	g_strfreev(keys);
	f->nalias = aliases->len / 2;
	g_ptr_array_add(aliases, NULL);
	f->aliases = (char **)g_ptr_array_free(aliases, FALSE);
}

/* min and max: a number's bounds, or a text's length in characters. */
static void
field_bounds(struct loader *l, const char *group, struct field_def *f)
{
	long long v;

	if (g_key_file_has_key(l->kf, group, "min", NULL) &&
	    loader_integer(l, group, "min", f->spec.type ==
	    GRAMMAR_FIELD_INTEGER ? G_MINLONG : 0, &v)) {
		f->spec.has_min = TRUE;
		f->spec.min = v;
	}
	if (g_key_file_has_key(l->kf, group, "max", NULL) &&
	    loader_integer(l, group, "max", f->spec.type ==
	    GRAMMAR_FIELD_INTEGER ? G_MINLONG : 1, &v)) {
		f->spec.has_max = TRUE;
		f->spec.max = v;
	}
	if ((f->spec.has_min || f->spec.has_max) &&
	    f->spec.type == GRAMMAR_FIELD_ENUM)
		loader_problem(l, group, f->spec.has_min ? "min" : "max",
		    "not for type = enum");
	if (f->spec.has_min && f->spec.has_max && f->spec.min > f->spec.max)
		loader_problem(l, group, "min", "%lld is over max %lld",
		    f->spec.min, f->spec.max);
}

/* example and optional. */
static void
field_examples(struct loader *l, const char *group, struct field_def *f)
{
	GError *gerr = NULL;

	f->examples = loader_list(l, group, "example");
	if (f->examples != NULL && f->spec.type == GRAMMAR_FIELD_ENUM)
		loader_problem(l, group, "example", "an enum's examples are "
		    "its values");
	if (g_key_file_has_key(l->kf, group, "optional", NULL)) {
		f->spec.optional = g_key_file_get_boolean(l->kf, group,
		    "optional", &gerr);
		if (gerr != NULL) {
			loader_problem(l, group, "optional", "true or false");
			g_clear_error(&gerr);
		}
	}
}

void
loader_field(struct loader *l, const char *group)
{
	static const char *const known[] = {
		"type", "values", "units", "min", "max", "example",
		"optional", "roster", "open", NULL,
	};
	struct field_def f;
	bool type_known;

	memset(&f, 0, sizeof(f));
	if (!field_name(l, group, &f)) {
		field_def_clear(&f);
		return;
	}
	loader_check_keys(l, group, known, "alias.");
	type_known = field_type(l, group, &f);
	field_values(l, group, &f, type_known);
	field_aliases(l, group, &f);
	loader_field_roster(l, group, &f);
	field_bounds(l, group, &f);
	field_examples(l, group, &f);

	/* The grammar borrows the strings: they live as long as l. */
	f.spec.name = f.name;
	f.spec.values = (const char *const *)f.values;
	f.spec.value_count = f.values == NULL ? 0 : g_strv_length(f.values);
	f.spec.aliases = (const char *const *)f.aliases;
	f.spec.alias_count = f.nalias;
	f.spec.open = (const char *const *)f.open;
	f.spec.open_count = f.open == NULL ? 0 : g_strv_length(f.open);
	f.spec.examples = (const char *const *)f.examples;
	f.spec.example_count = f.examples == NULL ? 0 :
	    g_strv_length(f.examples);
	l->fields = g_renew(struct field_def, l->fields, l->nfields + 1);
	l->fields[l->nfields++] = f;
}

void
loader_fields_clear(struct loader *l)
{
	size_t i;

	for (i = 0; i < l->nfields; i++)
		field_def_clear(&l->fields[i]);
	g_clear_pointer(&l->fields, g_free);
	l->nfields = 0;
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

	tmpl = loader_string(l, "campaign", tkey);
	raw = loader_string(l, "campaign", rkey);
	if (tmpl != NULL || raw != NULL) {
		if (grammar_compile(target, tmpl, raw, specs, l->nfields, &g,
		    &err) < 0) {
			lines = g_strsplit(err, "\n", -1);
			for (i = 0; lines[i] != NULL; i++)
				loader_problem(l, "campaign", tmpl != NULL &&
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
	char *v = loader_string(l, "campaign", key);
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < l->nfields; i++)
		if (strcmp(l->fields[i].name, v) == 0)
			break;
	if (i == l->nfields) {
		loader_problem(l, "campaign", key, "\"%s\" is not a defined field", v);
		g_free(v);
		return;
	}
	*out = v;
}

void
loader_convention(struct loader *l)
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

	s = loader_string(l, "campaign", "convention");
	if (s == NULL) {
		/* the convention there is, when there is one */
		if (c->subject != NULL && c->filename == NULL)
			c->scope = CONVENTION_SUBJECT;
		else if (c->filename != NULL && c->subject == NULL)
			c->scope = CONVENTION_FILENAME;
		else if (c->subject != NULL)
			loader_problem(l, "campaign", "convention", "required when "
			    "both subject and filename are given");
	} else {
		for (i = 0; i < G_N_ELEMENTS(scopes); i++)
			if (strcmp(s, scopes[i]) == 0)
				break;
		if (i == G_N_ELEMENTS(scopes))
			loader_problem(l, "campaign", "convention", "\"%s\" is not "
			    "subject, filename, both or either", s);
		else
			c->scope = (enum convention_scope)i;
	}
	g_free(s);
	if (!g_key_file_has_key(l->kf, "campaign", "subject", NULL) &&
	    !g_key_file_has_key(l->kf, "campaign", "subject_regex", NULL) &&
	    c->scope != CONVENTION_FILENAME)
		loader_problem(l, "campaign", "subject", "required by convention = "
		    "%s", scopes[c->scope]);
	if (!g_key_file_has_key(l->kf, "campaign", "filename", NULL) &&
	    !g_key_file_has_key(l->kf, "campaign", "filename_regex", NULL) &&
	    c->scope != CONVENTION_SUBJECT)
		loader_problem(l, "campaign", "filename", "required by convention = "
		    "%s", scopes[c->scope]);

	for (i = 0; i < l->nfields; i++)
		if (!l->fields[i].used)
			loader_problem(l, l->fields[i].group, NULL, "defined but not "
			    "used by any template or pattern");
	load_role_field(l, "category_field", &c->category_field);
	load_role_field(l, "title_field", &c->title_field);
	load_role_field(l, "unit_field", &c->unit_field);
}

const struct field_def *
loader_field_find(const struct loader *l, const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < l->nfields; i++)
		if (strcmp(l->fields[i].name, name) == 0)
			return &l->fields[i];
	return NULL;
}
