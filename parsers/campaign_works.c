/*
 * campaign_works: [works] (versions, notes, episodes, stray files) and
 * [file KIND] groups (what a mail carries beside the work).  See
 * include/campaign.h for what they mean, and campaign-private.h for the
 * loader's habits.  Everything read here is kept in the campaign's owned
 * array, so the public structs can hold plain borrowed pointers.
 */
#include <string.h>

#include "campaign-private.h"
#include "contentrule.h"
#include "mediarule.h"
#include "normalize.h"

/* Kinds of file one campaign may declare. */
#define FILE_KINDS_MAX		32
/* Characters of a kind's name: it appears in replies. */
#define FILE_KIND_NAME_MAX	20
/* Longest file extension a types list may name. */
#define TYPE_MAX		10
/* Episode numbers: 第1集 to 第99集. */
#define EPISODE_PATTERN_MAX	20
/* Where a subject's works are cut when the campaign does not say:
 * “…-我的扶贫路；扶贫征集-…”, the ASCII semicolon, the enumeration comma,
 * and spaces (the full-width one is a space once normalised). */
#define JOINERS_DEFAULT		"；;、 space"

static void *
own(struct loader *l, void *p)
{
	if (l->c->owned == NULL)
		l->c->owned = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(l->c->owned, p);
	return p;
}

/* A NULL-terminated list whose strings and array the campaign owns. */
static const char *const *
own_strv(struct loader *l, char **v)
{
	size_t i;

	if (v == NULL)
		return NULL;
	for (i = 0; v[i] != NULL; i++)
		own(l, v[i]);
	return own(l, v);
}

static bool
need_parse(const char *s, bool yes_is_refuse, enum campaign_need *need_r)
{
	if (strcmp(s, "no") == 0 || strcmp(s, "keep") == 0)
		*need_r = CAMPAIGN_NEED_NO;
	else if (strcmp(s, "warn") == 0)
		*need_r = CAMPAIGN_NEED_WARN;
	else if (strcmp(s, yes_is_refuse ? "refuse" : "yes") == 0)
		*need_r = CAMPAIGN_NEED_YES;
	else
		return false;
	return true;
}

/* required = yes|warn|no, other_files = keep|warn|refuse,
 * missing_version = refuse|warn. */
static void
load_need(struct loader *l, const char *group, const char *key,
    bool refuse_word, enum campaign_need *need_r)
{
	g_autofree char *s = loader_string(l, group, key);

	if (s != NULL && !need_parse(s, refuse_word, need_r))
		loader_problem(l, group, key, "\"%s\" is not %s", s, refuse_word ?
		    "keep, warn or refuse" : "yes, warn or no");
}

/* A list of extensions, lower case, without dots. */
static const char *const *
load_types(struct loader *l, const char *group, const char *key)
{
	char **list = loader_list(l, group, key);
	size_t i;

	for (i = 0; list != NULL && list[i] != NULL; i++) {
		char *e = g_strstrip(list[i]), *low;
		size_t n;

		e += e[0] == '.' ? 1 : 0;
		low = g_ascii_strdown(e, -1);
		n = strlen(low);
		if (n == 0 || n > TYPE_MAX ||
		    strspn(low, "abcdefghijklmnopqrstuvwxyz0123456789") != n)
			loader_problem(l, group, key, "\"%s\" is not an extension "
			    "such as mp4", list[i]);
		g_free(list[i]);
		list[i] = low;
	}
	return own_strv(l, list);
}

/* Comparison keys of a list of words. */
static const char *const *
load_keys(struct loader *l, const char *group, const char *key)
{
	char **list = loader_list(l, group, key);
	size_t i;

	for (i = 0; list != NULL && list[i] != NULL; i++) {
		char *k = normalize_text(list[i], NORMALIZE_KEY);

		g_free(list[i]);
		list[i] = k;
	}
	return own_strv(l, list);
}

/* CATEGORY of KEY.CATEGORY, canonical, or NULL with a problem. */
static const char *
key_category(struct loader *l, const char *group, const char *key,
    const char *category)
{
	char *cat;

	if (l->c->category_field == NULL) {
		loader_problem(l, group, key, "needs category_field in "
		    "[campaign]");
		return NULL;
	}
	if ((cat = loader_category_canonical(l, category)) == NULL) {
		loader_problem(l, group, key, "\"%s\" is not a value of the "
		    "category field %s", category, l->c->category_field);
		return NULL;
	}
	return own(l, cat);
}

/* KEY = N and KEY.CATEGORY = N. */
static void
load_count(struct loader *l, const char *group, const char *key,
    long long min, unsigned fallback, struct campaign_count *count)
{
	g_auto(GStrv) keys = g_key_file_get_keys(l->kf, group, NULL, NULL);
	g_autofree char *prefix = g_strconcat(key, ".", NULL);
	GPtrArray *cats = g_ptr_array_new();
	GArray *values = g_array_new(FALSE, FALSE, sizeof(unsigned));
	long long v;
	size_t i;

	count->fallback = fallback;
	if (loader_integer(l, group, key, min, &v))
		count->fallback = (unsigned)MIN(v, G_MAXUINT);
	for (i = 0; keys != NULL && keys[i] != NULL; i++) {
		const char *cat;
		unsigned u;

		if (!g_str_has_prefix(keys[i], prefix) ||
		    !loader_integer(l, group, keys[i], min, &v) ||
		    (cat = key_category(l, group, keys[i],
		    keys[i] + strlen(prefix))) == NULL)
			continue;
		u = (unsigned)MIN(v, G_MAXUINT);
		g_ptr_array_add(cats, (char *)cat);
		g_array_append_val(values, u);
	}
	g_ptr_array_add(cats, NULL);
	count->categories = own(l, g_ptr_array_free(cats, FALSE));
	count->values = own(l, g_array_free(values, FALSE));
}

static bool
has_key_prefix(struct loader *l, const char *group, const char *prefix)
{
	g_auto(GStrv) keys = g_key_file_get_keys(l->kf, group, NULL, NULL);
	size_t i;

	for (i = 0; keys != NULL && keys[i] != NULL; i++)
		if (g_str_has_prefix(keys[i], prefix))
			return true;
	return false;
}

/* ---- [file KIND] ---- */

static void
load_kind_enums(struct loader *l, const char *group,
    struct campaign_file_kind *k)
{
	g_autofree char *role = loader_string(l, group, "role");
	g_autofree char *scope = loader_string(l, group, "scope");

	k->role = CAMPAIGN_FILE_COMPANION;
	if (role != NULL && strcmp(role, "work") == 0)
		k->role = CAMPAIGN_FILE_WORK;
	else if (role != NULL && strcmp(role, "companion") != 0)
		loader_problem(l, group, "role", "\"%s\" is not work or "
		    "companion", role);
	k->scope = CAMPAIGN_SCOPE_WORK;
	if (scope != NULL && strcmp(scope, "mail") == 0)
		k->scope = CAMPAIGN_SCOPE_MAIL;
	else if (scope != NULL && strcmp(scope, "unit") == 0)
		k->scope = CAMPAIGN_SCOPE_UNIT;
	else if (scope != NULL && strcmp(scope, "work") != 0)
		loader_problem(l, group, "scope", "\"%s\" is not work, mail or "
		    "unit", scope);
	if (scope != NULL && k->role == CAMPAIGN_FILE_WORK)
		loader_problem(l, group, "scope", "a work has no scope: it is "
		    "the work");
	if (k->scope == CAMPAIGN_SCOPE_UNIT && l->c->unit_field == NULL)
		loader_problem(l, group, "scope", "unit needs unit_field in "
		    "[campaign]");
	load_need(l, group, "required", false, &k->required);
	if (k->role == CAMPAIGN_FILE_WORK && k->required != CAMPAIGN_NEED_NO)
		loader_problem(l, group, "required", "a mail without a work is "
		    "always refused; required is for companions");
}

static const char *const *
load_kind_categories(struct loader *l, const char *group)
{
	char **list = loader_list(l, group, "categories");
	size_t i;

	for (i = 0; list != NULL && list[i] != NULL; i++) {
		const char *cat = key_category(l, group, "categories", list[i]);

		g_free(list[i]);
		list[i] = g_strdup(cat != NULL ? cat : "");
	}
	return own_strv(l, list);
}

/* One content = or content.CATEGORY = into rule; false when it is wrong
 * (said). */
static bool
load_content_rule(struct loader *l, const char *group, const char *key,
    struct content_rule *rule)
{
	g_autofree char *v = loader_string(l, group, key);
	g_autofree char *why = NULL;
	char **types = NULL;

	if (v == NULL)
		return false;
	if (contentrule_parse(v, &types, &rule->warn, &why) < 0) {
		loader_problem(l, group, key, "%s", why);
		return false;
	}
	rule->types = own_strv(l, types);
	return true;
}

/* content = and content.CATEGORY = (contentrule.h). */
static void
load_content(struct loader *l, const char *group, struct campaign_file_kind *k)
{
	g_auto(GStrv) keys = g_key_file_get_keys(l->kf, group, NULL, NULL);
	GArray *rules = g_array_new(FALSE, TRUE, sizeof(struct content_rule));
	size_t i;

	for (i = 0; keys != NULL && keys[i] != NULL; i++) {
		struct content_rule r = { 0 };

		if (strcmp(keys[i], "content") != 0 &&
		    !g_str_has_prefix(keys[i], "content."))
			continue;
		if (keys[i][strlen("content")] == '.' &&
		    (r.category = key_category(l, group, keys[i],
		    keys[i] + strlen("content."))) == NULL)
			continue;
		if (load_content_rule(l, group, keys[i], &r))
			g_array_append_val(rules, r);
	}
	k->content_count = rules->len;
	k->content = own(l, g_array_free(rules, FALSE));
}

/* duration, resolution, aspect, fps, bitrate, audio, pixels, colorspace,
 * dpi, characters and their .CATEGORY
 * (mediarule.h). */
static void
load_media(struct loader *l, const char *group, struct campaign_file_kind *k)
{
	g_auto(GStrv) keys = g_key_file_get_keys(l->kf, group, NULL, NULL);
	GArray *rules = g_array_new(FALSE, TRUE, sizeof(struct media_rule));
	size_t i;

	for (i = 0; keys != NULL && keys[i] != NULL; i++) {
		int key = mediarule_key(keys[i]);
		const char *dot = strchr(keys[i], '.');
		g_autofree char *v = NULL, *why = NULL;
		struct media_rule r = { 0 };
		char **types = NULL;

		if (key < 0 || (dot != NULL && (r.category = key_category(l,
		    group, keys[i], dot + 1)) == NULL) ||
		    (v = loader_string(l, group, keys[i])) == NULL)
			continue;
		if (mediarule_parse((enum media_key)key, v, &r, &types,
		    &why) < 0) {
			loader_problem(l, group, keys[i], "%s", why);
			continue;
		}
		r.types = own_strv(l, types);
		g_array_append_val(rules, r);
	}
	k->media_count = rules->len;
	k->media = own(l, g_array_free(rules, FALSE));
}

static void
load_kind(struct loader *l, const char *group, struct campaign_file_kind *k)
{
	static const char *const known[] = {
		"role", "scope", "match", "types", "required", "count",
		"categories", "content", "duration", "resolution", "aspect",
		"fps", "bitrate", "audio", "pixels", "colorspace", "dpi",
		"characters", "form_check", "form_blank", NULL,
	};
	static const char *const prefixes[] = {
		"count.", "content.", "duration.", "resolution.", "aspect.",
		"fps.", "bitrate.", "audio.", "pixels.", "colorspace.", "dpi.",
		"characters.", "form.", NULL,
	};
	const char *name = group + strlen("file");
	g_autofree char *norm = NULL;

	loader_check_keys_prefixed(l, group, known, prefixes);
	while (*name == ' ')
		name++;
	norm = normalize_text(name, 0);
	if (*norm == '\0')
		loader_problem(l, group, NULL, "names no kind of file: write "
		    "[file 报名表]");
	else if (g_utf8_strlen(norm, -1) > FILE_KIND_NAME_MAX)
		loader_problem(l, group, NULL, "a kind's name is at most %u "
		    "characters", (unsigned)FILE_KIND_NAME_MAX);
	k->name = own(l, g_steal_pointer(&norm));
	load_kind_enums(l, group, k);
	k->globs = load_keys(l, group, "match");
	k->types = load_types(l, group, "types");
	k->categories = load_kind_categories(l, group);
	load_count(l, group, "count", 1, 1, &k->count);
	load_content(l, group, k);
	load_media(l, group, k);
	loader_form(l, group, k);
}

/* The kinds, in the file's order; the work kind "作品" when none is one. */
static void
load_kinds(struct loader *l)
{
	struct campaign *c = l->c;
	g_auto(GStrv) groups = g_key_file_get_groups(l->kf, NULL);
	bool work = false;
	size_t i, j;

	c->kinds = own(l, g_new0(struct campaign_file_kind, FILE_KINDS_MAX));
	for (i = 0; groups[i] != NULL; i++) {
		if (!g_str_has_prefix(groups[i], "file ") &&
		    strcmp(groups[i], "file") != 0)
			continue;
		if (c->nkinds == FILE_KINDS_MAX - 1) {
			loader_problem(l, groups[i], NULL, "more than %u kinds "
			    "of file", (unsigned)FILE_KINDS_MAX - 1);
			break;
		}
		load_kind(l, groups[i], &c->kinds[c->nkinds]);
		for (j = 0; j < c->nkinds; j++)
			if (strcmp(c->kinds[j].name, c->kinds[c->nkinds].name) == 0)
				loader_problem(l, groups[i], NULL, "declared "
				    "twice");
		work |= c->kinds[c->nkinds].role == CAMPAIGN_FILE_WORK;
		c->nkinds++;
	}
	c->works.kinds_declared = c->nkinds > 0;
	if (work && c->allowed_extensions != NULL)
		loader_problem(l, "policy", "allowed_extensions", "a [file] "
		    "group with role = work says its types: move them there");
	if (!work) {
		/* Before the companions, so the work is kind 0. */
		memmove(&c->kinds[1], &c->kinds[0], c->nkinds * sizeof(*c->kinds));
		memset(&c->kinds[0], 0, sizeof(*c->kinds));
		c->kinds[0].name = "作品";
		c->kinds[0].role = CAMPAIGN_FILE_WORK;
		c->kinds[0].types =
		    (const char *const *)c->allowed_extensions;
		c->kinds[0].count.fallback = 1;
		c->nkinds++;
	}
}

/* ---- [works] ---- */

static void
load_versions(struct loader *l)
{
	struct campaign_works *w = &l->c->works;
	g_auto(GStrv) keys = g_key_file_get_keys(l->kf, "works", NULL, NULL);
	GArray *versions = g_array_new(FALSE, TRUE,
	    sizeof(struct campaign_version));
	size_t i, j;

	for (i = 0; keys != NULL && keys[i] != NULL; i++) {
		struct campaign_version v = { 0 };
		GPtrArray *spell, *types;
		char **list;

		if (!g_str_has_prefix(keys[i], "version."))
			continue;
		spell = g_ptr_array_new();
		types = g_ptr_array_new();
		v.name = own(l, normalize_text(keys[i] + strlen("version."), 0));
		g_ptr_array_add(spell, normalize_text(v.name, NORMALIZE_KEY));
		list = loader_list(l, "works", keys[i]);
		for (j = 0; list != NULL && list[j] != NULL; j++) {
			const char *t = g_strstrip(list[j]);

			if (g_str_has_prefix(t, "type:"))
				g_ptr_array_add(types, g_ascii_strdown(t + 5, -1));
			else
				g_ptr_array_add(spell, normalize_text(t,
				    NORMALIZE_KEY));
		}
		g_strfreev(list);
		if (*v.name == '\0')
			loader_problem(l, "works", keys[i], "names no version");
		g_ptr_array_add(spell, NULL);
		v.keys = own_strv(l, (char **)g_ptr_array_free(spell, FALSE));
		if (types->len > 0) {
			g_ptr_array_add(types, NULL);
			v.types = own_strv(l,
			    (char **)g_ptr_array_free(types, FALSE));
		} else {
			g_ptr_array_free(types, TRUE);
		}
		g_array_append_val(versions, v);
	}
	w->version_count = versions->len;
	w->versions = own(l, g_array_free(versions, FALSE));
}

static bool
version_declared(const struct campaign_works *w, const char *name)
{
	size_t i;

	for (i = 0; i < w->version_count; i++)
		if (strcmp(w->versions[i].name, name) == 0)
			return true;
	return false;
}

/* required_versions and required_versions.CATEGORY. */
static void
load_required_versions(struct loader *l)
{
	struct campaign_works *w = &l->c->works;
	g_auto(GStrv) keys = g_key_file_get_keys(l->kf, "works", NULL, NULL);
	GArray *rules = g_array_new(FALSE, TRUE,
	    sizeof(struct campaign_version_rule));
	size_t i, j;

	for (i = 0; keys != NULL && keys[i] != NULL; i++) {
		struct campaign_version_rule r = { 0 };
		char **list;

		if (strcmp(keys[i], "required_versions") != 0 &&
		    !g_str_has_prefix(keys[i], "required_versions."))
			continue;
		if (keys[i][strlen("required_versions")] == '.' &&
		    (r.category = key_category(l, "works", keys[i],
		    keys[i] + strlen("required_versions."))) == NULL)
			continue;
		list = loader_list(l, "works", keys[i]);
		for (j = 0; list != NULL && list[j] != NULL; j++) {
			char *n = normalize_text(list[j], 0);

			if (!version_declared(w, n))
				loader_problem(l, "works", keys[i], "\"%s\" is not "
				    "a declared version (version.%s)", n, n);
			g_free(list[j]);
			list[j] = n;
		}
		if (list == NULL)
			continue;
		r.versions = own_strv(l, list);
		g_array_append_val(rules, r);
	}
	w->required_version_count = rules->len;
	w->required_versions = own(l, g_array_free(rules, FALSE));
}

static void
load_episodes(struct loader *l)
{
	char **list = loader_list(l, "works", "episode");
	size_t i;

	for (i = 0; list != NULL && list[i] != NULL; i++) {
		char *p = normalize_text(list[i], NORMALIZE_KEY);
		const char *n = strstr(p, "{n}");

		if (*p == '\0' || g_utf8_strlen(p, -1) > EPISODE_PATTERN_MAX ||
		    (n != NULL && strstr(n + 3, "{n}") != NULL) ||
		    strcmp(p, "{n}") == 0)
			loader_problem(l, "works", "episode", "\"%s\": write a "
			    "word such as 第{n}集 or 上 ({n} once, for the number)",
			    list[i]);
		g_free(list[i]);
		list[i] = p;
	}
	l->c->works.episodes = own_strv(l, list);
}

/* per_mail = one | many. */
static void
load_per_mail(struct loader *l, struct campaign_works *w)
{
	g_autofree char *s = loader_string(l, "works", "per_mail");

	if (s == NULL || strcmp(s, "one") == 0)
		w->per_mail_many = false;
	else if (strcmp(s, "many") == 0)
		w->per_mail_many = true;
	else
		loader_problem(l, "works", "per_mail", "\"%s\" is not one or "
		    "many", s);
}

/*
 * joiners = ；;、 space: the characters a subject's works are joined by,
 * written together or apart, and the word space for runs of spaces;
 * none: a subject always names one work.  Each character is kept
 * normalised, as subjects are compared normalised (；becomes ";").
 */
static void
load_joiners(struct loader *l, struct campaign_works *w)
{
	g_autofree char *s = loader_string(l, "works", "joiners");
	g_auto(GStrv) words = NULL;
	GPtrArray *set = g_ptr_array_new();
	size_t i;

	if (s == NULL)
		s = g_strdup(JOINERS_DEFAULT);
	words = g_strsplit_set(s, " \t", -1);
	w->join_at_spaces = false;
	for (i = 0; words[i] != NULL; i++) {
		const char *c;

		if (*words[i] == '\0' || strcmp(words[i], "none") == 0)
			continue;
		if (strcmp(words[i], "space") == 0) {
			w->join_at_spaces = true;
			continue;
		}
		for (c = words[i]; *c != '\0'; c = g_utf8_next_char(c)) {
			g_autofree char *one = g_strndup(c,
			    (size_t)(g_utf8_next_char(c) - c));
			char *norm = normalize_text(one, 0);

			if (*norm == '\0' || g_utf8_strlen(norm, -1) != 1 ||
			    strchr("-+_{}", *norm) != NULL ||
			    g_unichar_isalnum(g_utf8_get_char(norm))) {
				loader_problem(l, "works", "joiners", "\"%s\" cannot "
				    "join works: write punctuation such as ；、 or "
				    "the word space", one);
				g_free(norm);
				continue;
			}
			g_ptr_array_add(set, norm);
		}
	}
	if (set->len == 0 && !w->join_at_spaces &&
	    strcmp(g_strstrip(s), "none") != 0)
		loader_problem(l, "works", "joiners", "names no joiner: write "
		    "none to keep each subject one work");
	g_ptr_array_add(set, NULL);
	w->joiners = own_strv(l, (char **)g_ptr_array_free(set, FALSE));
}

void
loader_works(struct loader *l)
{
	static const char *const known[] = {
		"per_mail", "other_files", "required_versions",
		"missing_version", "note", "episode", "min_episodes",
		"joiners", NULL,
	};
	struct campaign_works *w = &l->c->works;
	g_auto(GStrv) keys = NULL;
	size_t i;

	w->missing_version = CAMPAIGN_NEED_YES;
	load_kinds(l);
	if (!g_key_file_has_group(l->kf, "works")) {
		load_joiners(l, w);
		return;
	}
	keys = g_key_file_get_keys(l->kf, "works", NULL, NULL);
	for (i = 0; keys != NULL && keys[i] != NULL; i++)
		if (!g_strv_contains(known, keys[i]) &&
		    !g_str_has_prefix(keys[i], "version.") &&
		    !g_str_has_prefix(keys[i], "required_versions.") &&
		    !g_str_has_prefix(keys[i], "min_episodes."))
			loader_problem(l, "works", keys[i], "unknown key");
	load_per_mail(l, w);
	load_joiners(l, w);
	load_need(l, "works", "other_files", true, &w->other_files);
	load_need(l, "works", "missing_version", true, &w->missing_version);
	if (w->missing_version == CAMPAIGN_NEED_NO)
		loader_problem(l, "works", "missing_version", "write refuse or "
		    "warn");
	load_versions(l);
	load_required_versions(l);
	w->notes = load_keys(l, "works", "note");
	load_episodes(l);
	load_count(l, "works", "min_episodes", 0, 0, &w->min_episodes);
	if ((w->min_episodes.fallback > 0 || has_key_prefix(l, "works",
	    "min_episodes.")) && w->episodes == NULL)
		loader_problem(l, "works", "min_episodes", "needs episode: the "
		    "words that number a series");
}
