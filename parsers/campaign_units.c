/*
 * campaign_units: the roster of a campaign's unit field, the units that
 * may submit and under which names: `units` with `alias.X` in the
 * [field] group, a roster file (`roster = PATH`, tab-separated) and
 * [unit NAME] groups, merged into one list; `open` globs admitting names
 * off it; and what the roster says about each unit (contact, phone,
 * senders, its own quotas and minimums) with [policy]
 * quota_per_open_unit and min_per_unit_category.  See
 * include/campaign_private.h.
 *
 * A unit is listed once, whatever the source; an alias belongs to one
 * unit and is no other unit's name: otherwise one spelling would count
 * against two quotas.
 */
#include <string.h>

#include "campaign-private.h"
#include "normalize.h"

/* A roster file: bytes, rows that are not comments, bytes of one row.
 * The file is the campaign author's, yet read at every start. */
#define ROSTER_MAX_BYTES	(4 * 1024 * 1024)
#define ROSTER_MAX_ROWS		5000
#define ROSTER_MAX_ROW_BYTES	(64 * 1024)
/* Columns of a roster row: 名称, 别名, 联系人, 电话, 邮箱, 名额. */
#define ROSTER_COLUMNS		6
/* Stars in one open glob: each may try every position of a name. */
#define OPEN_GLOB_MAX_STARS	2

struct roster_entry {
	char *name;		/* normalised */
	GPtrArray *aliases;	/* as written */
	char *contact;
	char *phone;
	char **senders;		/* lower case */
	bool has_quota;
	unsigned int quota;
	char *group;		/* its [unit NAME] group, or NULL */
};

struct loader_roster {
	GPtrArray *entries;	/* struct roster_entry */
	GHashTable *keys;	/* key of a name or alias -> entry */
	bool open;
};

/* Where a name came from, for the problem that names it. */
struct roster_at {
	const char *group, *key;
	const char *file;	/* a roster file, with row */
	unsigned int row;
};

static void G_GNUC_PRINTF(3, 4)
roster_problem(struct loader *l, const struct roster_at *at,
    const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (at->file != NULL)
		loader_problem(l, at->group, at->key, "%s:%u: %s", at->file,
		    at->row, msg);
	else
		loader_problem(l, at->group, at->key, "%s", msg);
	g_free(msg);
}

static void
roster_entry_free(gpointer p)
{
	struct roster_entry *e = p;

	g_free(e->name);
	g_ptr_array_free(e->aliases, TRUE);
	g_free(e->contact);
	g_free(e->phone);
	g_strfreev(e->senders);
	g_free(e->group);
	g_free(e);
}

static void
roster_free(struct loader_roster **rp)
{
	struct loader_roster *r = *rp;

	if (r == NULL)
		return;
	g_ptr_array_free(r->entries, TRUE);
	g_hash_table_destroy(r->keys);
	g_free(r);
	*rp = NULL;
}

void
loader_roster_clear(struct loader *l)
{
	roster_free(&l->roster);
}

/* A new unit; NULL (and a problem) when the roster has it already. */
static struct roster_entry *
roster_add_unit(struct loader *l, struct loader_roster *r,
    const char *name, const struct roster_at *at)
{
	char *key = normalize_text(name, NORMALIZE_KEY);
	struct roster_entry *e = g_hash_table_lookup(r->keys, key);

	if (*key == '\0') {
		roster_problem(l, at, "a unit needs a name");
		g_free(key);
		return NULL;
	}
	if (e != NULL) {
		char *ekey = normalize_text(e->name, NORMALIZE_KEY);

		roster_problem(l, at, strcmp(ekey, key) == 0 ?
		    "unit \"%s\" is listed twice" :
		    "\"%s\" is already an alias of \"%s\"", name, e->name);
		g_free(ekey);
		g_free(key);
		return NULL;
	}
	e = g_new0(struct roster_entry, 1);
	e->name = normalize_text(name, 0);
	e->aliases = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(r->entries, e);
	g_hash_table_insert(r->keys, key, e);
	return e;
}

static void
roster_add_alias(struct loader *l, struct loader_roster *r,
    struct roster_entry *e, const char *alias, const struct roster_at *at)
{
	char *key = normalize_text(alias, NORMALIZE_KEY);
	struct roster_entry *other = g_hash_table_lookup(r->keys, key);
	char *okey;

	if (*key == '\0' || other == e) {
		g_free(key);
		return;
	}
	if (other != NULL) {
		okey = normalize_text(other->name, NORMALIZE_KEY);
		roster_problem(l, at, strcmp(okey, key) == 0 ?
		    "alias \"%s\" of \"%s\" is the name of another unit" :
		    "alias \"%s\" of \"%s\" is already an alias of \"%s\"",
		    alias, e->name, other->name);
		g_free(okey);
		g_free(key);
		return;
	}
	g_ptr_array_add(e->aliases, g_strdup(alias));
	g_hash_table_insert(r->keys, key, e);
}

/* Addresses and @domains, lower case; NULL (and a problem) when one is
 * neither. */
static char **
roster_senders(struct loader *l, char **list, const struct roster_at *at)
{
	size_t i;
	bool ok = TRUE;

	for (i = 0; list != NULL && list[i] != NULL; i++) {
		char *low = g_ascii_strdown(g_strstrip(list[i]), -1);
		const char *a = strchr(low, '@');

		if (a == NULL || a[1] == '\0' || strchr(a + 1, '@') != NULL) {
			roster_problem(l, at, "\"%s\" is neither an address nor "
			    "an @domain", list[i]);
			ok = FALSE;
		}
		g_free(list[i]);
		list[i] = low;
	}
	if (!ok || list == NULL || list[0] == NULL) {
		g_strfreev(list);
		return NULL;
	}
	return list;
}

/* A ;-list (either semicolon) without empty elements; NULL when empty. */
static char **
split_list(const char *s)
{
	char **parts, **out;
	size_t i, n = 0;
	char *copy = g_strdup(s), *p;

	while ((p = strstr(copy, "；")) != NULL) {
		*p = ';';
		memmove(p + 1, p + strlen("；"), strlen(p + strlen("；")) + 1);
	}
	parts = g_strsplit(copy, ";", -1);
	out = g_new0(char *, g_strv_length(parts) + 1);
	for (i = 0; parts[i] != NULL; i++)
		if (*g_strstrip(parts[i]) != '\0')
			out[n++] = g_strdup(parts[i]);
	g_strfreev(parts);
	g_free(copy);
	if (n == 0) {
		g_free(out);
		return NULL;
	}
	return out;
}

/* One row of a roster file: 名称, 别名(;), 联系人, 电话, 邮箱(;), 名额. */
static void
roster_row(struct loader *l, struct loader_roster *r, char *line,
    const struct roster_at *at)
{
	char **cols = g_strsplit(line, "\t", -1);
	size_t n = g_strv_length(cols), i;
	struct roster_entry *e;
	long long v;

	for (i = 0; i < n; i++)
		g_strstrip(cols[i]);
	if (n > ROSTER_COLUMNS)
		roster_problem(l, at, "%zu columns; at most %d (名称, 别名, "
		    "联系人, 电话, 邮箱, 名额)", n, ROSTER_COLUMNS);
	else if ((e = roster_add_unit(l, r, cols[0], at)) != NULL) {
		char **list = n > 1 ? split_list(cols[1]) : NULL;

		for (i = 0; list != NULL && list[i] != NULL; i++)
			roster_add_alias(l, r, e, list[i], at);
		g_strfreev(list);
		if (n > 2 && *cols[2] != '\0')
			e->contact = g_strdup(cols[2]);
		if (n > 3 && *cols[3] != '\0')
			e->phone = g_strdup(cols[3]);
		if (n > 4 && *cols[4] != '\0')
			e->senders = roster_senders(l, split_list(cols[4]), at);
		if (n > 5 && *cols[5] != '\0') {
			if (!loader_parse_integer(cols[5], &v) || v < 0)
				roster_problem(l, at, "名额 \"%s\" is not a number "
				    "of works (0: no limit)", cols[5]);
			else {
				e->has_quota = TRUE;
				e->quota = (unsigned int)MIN(v, G_MAXUINT);
			}
		}
	}
	g_strfreev(cols);
}

/* The text of a roster file, read like a reply template: relative to
 * the campaign file, by the caller's read_file. */
static char *
roster_read(struct loader *l, const char *group, const char *full)
{
	char *text = NULL, *err = NULL;
	size_t len = 0;

	if (l->read_file == NULL) {
		loader_problem(l, group, "roster", "%s: no file can be read here",
		    full);
		return NULL;
	}
	if (l->read_file(l->read_ctx, full, &text, &len, &err) < 0) {
		loader_problem(l, group, "roster", "%s", err);
		g_free(err);
		return NULL;
	}
	if (len > ROSTER_MAX_BYTES)
		loader_problem(l, group, "roster", "%s is over %d bytes", full,
		    ROSTER_MAX_BYTES);
	else if (!g_utf8_validate(text, (gssize)len, NULL) ||
	    strlen(text) != len)
		loader_problem(l, group, "roster", "%s is not UTF-8 text", full);
	else
		return text;
	g_free(text);
	return NULL;
}

static void
roster_file(struct loader *l, const char *group, struct loader_roster *r)
{
	char *name = loader_string(l, group, "roster"), *full, *text;
	char **lines;
	unsigned int i, rows = 0;

	if (name == NULL)
		return;
	full = keyfile_path_relative(l->path, name);
	text = roster_read(l, group, full);
	lines = g_strsplit(text != NULL ? text : "", "\n", -1);
	for (i = 0; lines[i] != NULL; i++) {
		struct roster_at at = { group, "roster", full, i + 1 };
		char *line = lines[i];

		g_strchomp(line);
		if (*line == '\0' || line[strspn(line, " \t")] == '#')
			continue;
		if (strlen(line) > ROSTER_MAX_ROW_BYTES) {
			roster_problem(l, &at, "a row over %d bytes",
			    ROSTER_MAX_ROW_BYTES);
			continue;
		}
		if (++rows > ROSTER_MAX_ROWS) {
			roster_problem(l, &at, "more than %d units",
			    ROSTER_MAX_ROWS);
			break;
		}
		roster_row(l, r, line, &at);
	}
	g_strfreev(lines);
	g_free(text);
	g_free(full);
	g_free(name);
}

/* [unit NAME]: one unit, its aliases, contact and senders (its quotas
 * are read with the policy, once the categories are known). */
static void
roster_group(struct loader *l, struct loader_roster *r, const char *group)
{
	static const char *const known[] = {
		"alias", "contact", "phone", "senders", "quota", NULL,
	};
	char *name = g_strstrip(g_strdup(group + strlen("unit")));
	struct roster_at at = { group, NULL, NULL, 0 };
	struct roster_entry *e;
	char **keys, **list;
	size_t i;

	keys = g_key_file_get_keys(l->kf, group, NULL, NULL);
	for (i = 0; keys != NULL && keys[i] != NULL; i++)
		if (!g_strv_contains(known, keys[i]) &&
		    !g_str_has_prefix(keys[i], "quota.") &&
		    !g_str_has_prefix(keys[i], "min."))
			loader_problem(l, group, keys[i], "unknown key");
	g_strfreev(keys);
	if ((e = roster_add_unit(l, r, name, &at)) == NULL) {
		g_free(name);
		return;
	}
	e->group = g_strdup(group);
	list = loader_list(l, group, "alias");
	at.key = "alias";
	for (i = 0; list != NULL && list[i] != NULL; i++)
		roster_add_alias(l, r, e, list[i], &at);
	g_strfreev(list);
	e->contact = loader_string(l, group, "contact");
	e->phone = loader_string(l, group, "phone");
	at.key = "senders";
	if (g_key_file_has_key(l->kf, group, "senders", NULL))
		e->senders = roster_senders(l, loader_list(l, group, "senders"),
		    &at);
	g_free(name);
}

static bool
is_unit_group(const char *group)
{
	return g_str_has_prefix(group, "unit ") || strcmp(group, "unit") == 0;
}

/* open = GLOB;GLOB: "*" is any name, "*党委" any name ending 党委. */
static void
roster_open(struct loader *l, const char *group, struct field_def *f)
{
	size_t i;

	f->open = loader_list(l, group, "open");
	for (i = 0; f->open != NULL && f->open[i] != NULL; i++) {
		const char *p;
		unsigned int stars = 0;

		for (p = f->open[i]; *p != '\0'; p++)
			if (*p == '*' && p[1] != '*')
				stars++;
		if (stars > OPEN_GLOB_MAX_STARS)
			loader_problem(l, group, "open", "\"%s\": at most %d "
			    "\"*\" in a pattern", f->open[i],
			    OPEN_GLOB_MAX_STARS);
	}
}

/* The field's values and aliases made the roster's, for the grammar. */
static void
roster_to_field(struct loader_roster *r, struct field_def *f)
{
	GPtrArray *values = g_ptr_array_new(), *aliases = g_ptr_array_new();
	size_t i, j;

	for (i = 0; i < r->entries->len; i++) {
		struct roster_entry *e = g_ptr_array_index(r->entries, i);

		g_ptr_array_add(values, g_strdup(e->name));
		for (j = 0; j < e->aliases->len; j++) {
			g_ptr_array_add(aliases, g_strdup(
			    g_ptr_array_index(e->aliases, j)));
			g_ptr_array_add(aliases, g_strdup(e->name));
		}
	}
	g_strfreev(f->values);
	g_strfreev(f->aliases);
	f->nalias = aliases->len / 2;
	g_ptr_array_add(values, NULL);
	g_ptr_array_add(aliases, NULL);
	f->values = (char **)g_ptr_array_free(values, values->len == 1);
	f->aliases = (char **)g_ptr_array_free(aliases, FALSE);
}

void
loader_field_roster(struct loader *l, const char *group, struct field_def *f)
{
	g_autofree char *unit_field = NULL;
	struct loader_roster *r;
	char **groups;
	size_t i;
	bool take_groups;

	if (f->spec.type != GRAMMAR_FIELD_UNIT) {
		if (g_key_file_has_key(l->kf, group, "roster", NULL))
			loader_problem(l, group, "roster", "only for type = unit");
		if (g_key_file_has_key(l->kf, group, "open", NULL))
			loader_problem(l, group, "open", "only for type = unit");
		return;
	}
	unit_field = g_key_file_get_string(l->kf, "campaign", "unit_field",
	    NULL);
	take_groups = unit_field != NULL &&
	    strcmp(g_strstrip(unit_field), f->name) == 0;
	r = g_new0(struct loader_roster, 1);
	r->entries = g_ptr_array_new_with_free_func(roster_entry_free);
	r->keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	/* units and alias.X, already checked against each other */
	for (i = 0; f->values != NULL && f->values[i] != NULL; i++)
		roster_add_unit(l, r, f->values[i],
		    &(struct roster_at){ group, "units", NULL, 0 });
	for (i = 0; i < f->nalias; i++) {
		char *key = normalize_text(f->aliases[2 * i + 1],
		    NORMALIZE_KEY);
		struct roster_entry *e = g_hash_table_lookup(r->keys, key);

		if (e != NULL)
			roster_add_alias(l, r, e, f->aliases[2 * i],
			    &(struct roster_at){ group, NULL, NULL, 0 });
		g_free(key);
	}
	roster_file(l, group, r);
	groups = take_groups ? g_key_file_get_groups(l->kf, NULL) : NULL;
	for (i = 0; groups != NULL && groups[i] != NULL; i++)
		if (is_unit_group(groups[i]))
			roster_group(l, r, groups[i]);
	g_strfreev(groups);
	roster_open(l, group, f);
	r->open = f->open != NULL;
	if (r->entries->len > 0)
		roster_to_field(r, f);
	if (take_groups && (r->entries->len > 0 || r->open)) {
		roster_free(&l->roster);
		l->roster = r;
	} else {
		roster_free(&r);
	}
}

/* ------------------------------------------------------------------ */
/* what the roster says, read once the categories are known */

/* CATEGORY:N, either colon; false (and a problem) when it is not. */
static bool
limit_parse(struct loader *l, const char *group, const char *key,
    const char *item, struct campaign_limit *lim)
{
	g_autofree char *s = g_strdup(item), *cat = NULL;
	char *colon = strrchr(s, ':'), *wide = g_strrstr(s, "：");
	const char *num;
	long long v;

	if (wide != NULL && (colon == NULL || wide > colon)) {
		*wide = '\0';
		num = wide + strlen("：");
	} else if (colon != NULL) {
		*colon = '\0';
		num = colon + 1;
	} else {
		num = NULL;
	}
	if (num == NULL || !loader_parse_integer(num, &v) || v < 0) {
		loader_problem(l, group, key, "\"%s\": write CATEGORY:NUMBER",
		    item);
		return FALSE;
	}
	cat = loader_category_canonical(l, g_strstrip(s));
	if (cat == NULL) {
		loader_problem(l, group, key, "\"%s\" is not a value of the "
		    "category field", s);
		return FALSE;
	}
	lim->category = g_steal_pointer(&cat);
	lim->n = (unsigned int)MIN(v, G_MAXUINT);
	return TRUE;
}

static void
limits_add(GArray *a, const struct campaign_limit *lim)
{
	size_t i;

	for (i = 0; i < a->len; i++) {
		struct campaign_limit *o = &g_array_index(a, struct
		    campaign_limit, i);

		if (strcmp(o->category, lim->category) == 0) {
			g_free((char *)o->category);
			o->n = lim->n;
			return;
		}
	}
	g_array_append_val(a, *lim);
}

/* quota.CATEGORY or min.CATEGORY keys of a [unit] group. */
static void
unit_limits(struct loader *l, const char *group, const char *prefix,
    GArray *out)
{
	char **keys = g_key_file_get_keys(l->kf, group, NULL, NULL);
	size_t i;

	for (i = 0; keys != NULL && keys[i] != NULL; i++) {
		struct campaign_limit lim;
		long long v;
		char *cat;

		if (!g_str_has_prefix(keys[i], prefix))
			continue;
		if (l->c->category_field == NULL) {
			loader_problem(l, group, keys[i], "needs category_field "
			    "in [campaign]");
			continue;
		}
		cat = loader_category_canonical(l, keys[i] + strlen(prefix));
		if (cat == NULL) {
			loader_problem(l, group, keys[i], "\"%s\" is not a value "
			    "of the category field %s", keys[i] + strlen(prefix),
			    l->c->category_field);
			continue;
		}
		if (!loader_integer(l, group, keys[i], 0, &v)) {
			g_free(cat);
			continue;
		}
		lim.category = cat;
		lim.n = (unsigned int)MIN(v, G_MAXUINT);
		limits_add(out, &lim);
	}
	g_strfreev(keys);
}

/* [policy] min_per_unit_category = CAT:N;... */
static GArray *
policy_mins(struct loader *l)
{
	GArray *mins = g_array_new(FALSE, FALSE, sizeof(struct campaign_limit));
	char **list = loader_list(l, "policy", "min_per_unit_category");
	size_t i;

	if (list != NULL && l->c->category_field == NULL)
		loader_problem(l, "policy", "min_per_unit_category", "needs "
		    "category_field in [campaign]");
	for (i = 0; list != NULL && l->c->category_field != NULL &&
	    list[i] != NULL; i++) {
		struct campaign_limit lim;

		if (limit_parse(l, "policy", "min_per_unit_category", list[i],
		    &lim))
			limits_add(mins, &lim);
	}
	g_strfreev(list);
	return mins;
}

static void
limits_copy(GArray *from, struct campaign_limit **to, size_t *n)
{
	size_t i;

	*n = from->len;
	*to = g_new0(struct campaign_limit, from->len + 1);
	for (i = 0; i < from->len; i++) {
		(*to)[i] = g_array_index(from, struct campaign_limit, i);
		(*to)[i].category = g_strdup((*to)[i].category);
	}
}

static void
limits_free(GArray *a)
{
	size_t i;

	for (i = 0; i < a->len; i++)
		g_free((char *)g_array_index(a, struct campaign_limit,
		    i).category);
	g_array_free(a, TRUE);
}

/* One roster entry made a unit of the campaign. */
static void
unit_make(struct loader *l, struct roster_entry *e, GArray *pmins,
    struct campaign_unit *u)
{
	GArray *quota = g_array_new(FALSE, FALSE, sizeof(struct campaign_limit));
	GArray *mins = g_array_new(FALSE, FALSE, sizeof(struct campaign_limit));
	long long v;
	size_t i;

	u->name = g_strdup(e->name);
	g_ptr_array_add(e->aliases, NULL);
	u->aliases = (const char *const *)g_strdupv(
	    (char **)e->aliases->pdata);
	g_ptr_array_remove_index(e->aliases, e->aliases->len - 1);
	u->contact = g_steal_pointer(&e->contact);
	u->phone = g_steal_pointer(&e->phone);
	u->has_quota = e->has_quota;
	u->quota = e->quota;
	for (i = 0; i < pmins->len; i++) {
		struct campaign_limit lim = g_array_index(pmins,
		    struct campaign_limit, i);

		lim.category = g_strdup(lim.category);
		limits_add(mins, &lim);
	}
	if (e->group != NULL) {
		if (g_key_file_has_key(l->kf, e->group, "quota", NULL) &&
		    loader_integer(l, e->group, "quota", 0, &v)) {
			u->has_quota = TRUE;
			u->quota = (unsigned int)MIN(v, G_MAXUINT);
		}
		unit_limits(l, e->group, "quota.", quota);
		unit_limits(l, e->group, "min.", mins);
	}
	/* min.CATEGORY = 0 lifts the campaign's minimum for this unit */
	for (i = mins->len; i > 0; i--)
		if (g_array_index(mins, struct campaign_limit, i - 1).n == 0) {
			g_free((char *)g_array_index(mins, struct campaign_limit,
			    i - 1).category);
			g_array_remove_index(mins, i - 1);
		}
	limits_copy(quota, (struct campaign_limit **)&u->quota_cat,
	    &u->nquota_cat);
	limits_copy(mins, (struct campaign_limit **)&u->mins, &u->nmins);
	limits_free(quota);
	limits_free(mins);
}

/* Senders of the roster join [policy] senders.UNIT, once per unit. */
static void
unit_senders(struct loader *l, struct roster_entry *e)
{
	struct campaign *c = l->c;
	char *key;

	if (e->senders == NULL)
		return;
	key = normalize_text(e->name, NORMALIZE_KEY);
	if (c->unit_senders == NULL)
		c->unit_senders = g_hash_table_new_full(g_str_hash,
		    g_str_equal, g_free, (GDestroyNotify)g_strfreev);
	if (g_hash_table_contains(c->unit_senders, key)) {
		loader_problem(l, e->group != NULL ? e->group : "policy",
		    e->group != NULL ? "senders" : NULL, "the senders of \"%s\" "
		    "are given twice (the roster and [policy] senders.%s)",
		    e->name, e->name);
		g_free(key);
		return;
	}
	g_hash_table_insert(c->unit_senders, key,
	    g_steal_pointer(&e->senders));
}

void
loader_units(struct loader *l)
{
	struct campaign *c = l->c;
	struct loader_roster *r = l->roster;
	char **groups = g_key_file_get_groups(l->kf, NULL);
	GArray *pmins;
	long long v;
	size_t i;

	for (i = 0; r == NULL && groups[i] != NULL; i++)
		if (is_unit_group(groups[i]))
			loader_problem(l, groups[i], NULL, "needs unit_field in "
			    "[campaign] naming a field of type unit");
	g_strfreev(groups);
	if (g_key_file_has_key(l->kf, "policy", "quota_per_open_unit", NULL)) {
		if (r == NULL || !r->open)
			loader_problem(l, "policy", "quota_per_open_unit", "needs "
			    "open in the unit field's group");
		else if (loader_integer(l, "policy", "quota_per_open_unit", 0,
		    &v)) {
			c->has_open_quota = TRUE;
			c->quota_per_open_unit = (unsigned int)MIN(v, G_MAXUINT);
		}
	}
	pmins = policy_mins(l);
	if (pmins->len > 0 && (r == NULL || r->entries->len == 0))
		loader_problem(l, "policy", "min_per_unit_category", "needs a "
		    "roster of units in the unit field");
	if (r != NULL) {
		c->unit_roster = TRUE;
		c->unit_open = r->open;
		c->nunits = r->entries->len;
		c->units = g_new0(struct campaign_unit, c->nunits + 1);
		c->unit_index = g_hash_table_new_full(g_str_hash, g_str_equal,
		    g_free, NULL);
		for (i = 0; i < c->nunits; i++) {
			struct roster_entry *e = g_ptr_array_index(r->entries, i);

			unit_make(l, e, pmins, &c->units[i]);
			unit_senders(l, e);
		}
		/* every spelling, to the unit's place */
		{
			GHashTableIter it;
			gpointer k, val;

			g_hash_table_iter_init(&it, r->keys);
			while (g_hash_table_iter_next(&it, &k, &val)) {
				size_t j;

				for (j = 0; j < c->nunits; j++)
					if (g_ptr_array_index(r->entries, j) ==
					    val)
						break;
				g_hash_table_insert(c->unit_index, g_strdup(k),
				    GSIZE_TO_POINTER(j + 1));
			}
		}
	}
	limits_free(pmins);
}

void
campaign_units_free(struct campaign *c)
{
	size_t i, j;

	for (i = 0; i < c->nunits; i++) {
		struct campaign_unit *u = &c->units[i];

		g_free((char *)u->name);
		g_strfreev((char **)u->aliases);
		g_free((char *)u->contact);
		g_free((char *)u->phone);
		for (j = 0; j < u->nquota_cat; j++)
			g_free((char *)u->quota_cat[j].category);
		g_free((struct campaign_limit *)u->quota_cat);
		for (j = 0; j < u->nmins; j++)
			g_free((char *)u->mins[j].category);
		g_free((struct campaign_limit *)u->mins);
	}
	g_free(c->units);
	if (c->unit_index != NULL)
		g_hash_table_destroy(c->unit_index);
}

/* ------------------------------------------------------------------ */
/* getters */

size_t
campaign_unit_count(const struct campaign *c)
{
	return c->nunits;
}

const struct campaign_unit *
campaign_unit_at(const struct campaign *c, size_t i)
{
	g_assert(i < c->nunits);
	return &c->units[i];
}

const struct campaign_unit *
campaign_unit_find(const struct campaign *c, const char *unit)
{
	g_autofree char *key = NULL;
	size_t i;

	if (unit == NULL || c->unit_index == NULL)
		return NULL;
	key = normalize_text(unit, NORMALIZE_KEY);
	i = GPOINTER_TO_SIZE(g_hash_table_lookup(c->unit_index, key));
	return i == 0 ? NULL : &c->units[i - 1];
}

bool
campaign_unit_open(const struct campaign *c)
{
	return c->unit_open;
}

bool
campaign_unit_is_new(const struct campaign *c, const char *unit)
{
	return unit != NULL && *unit != '\0' && c->unit_roster &&
	    campaign_unit_find(c, unit) == NULL;
}

unsigned int
campaign_unit_quota(const struct campaign *c, const char *unit,
    const char *category)
{
	const struct campaign_unit *u = campaign_unit_find(c, unit);
	bool fresh = campaign_unit_is_new(c, unit);
	g_autofree char *key = NULL;
	size_t i;

	if (category == NULL) {
		if (u != NULL && u->has_quota)
			return u->quota;
		if (fresh && c->has_open_quota)
			return c->quota_per_open_unit;
		return c->quota_per_unit;
	}
	key = normalize_text(category, NORMALIZE_KEY);
	for (i = 0; u != NULL && i < u->nquota_cat; i++) {
		g_autofree char *k = normalize_text(u->quota_cat[i].category,
		    NORMALIZE_KEY);

		if (strcmp(k, key) == 0)
			return u->quota_cat[i].n;
	}
	/* "no limit" for open units lifts the category quotas too */
	if (fresh && c->has_open_quota && c->quota_per_open_unit == 0)
		return 0;
	return campaign_quota_per_unit_category(c, category);
}
