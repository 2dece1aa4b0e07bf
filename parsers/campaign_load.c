/*
 * campaign_load: the loader's core.  See include/campaign_private.h for
 * how the loader is split, include/campaign.h and subgate.campaign(5) for
 * what it reads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign-private.h"
#include "keyfile.h"

#define CAMPAIGN_ID_MAX		63
#define DEFAULT_TIMEZONE	"Asia/Shanghai"
#define DEFAULT_FOLDER		"INBOX"

/* ------------------------------------------------------------------ */
/* error lines */

static unsigned int
line_of(const struct loader *l, const char *group, const char *key)
{
	return keyfile_lines_find(l->lines, group, key);
}

void G_GNUC_PRINTF(4, 5)
loader_problem(struct loader *l, const char *group, const char *key,
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

char *
loader_string(struct loader *l, const char *group, const char *key)
{
	char *v;

	if (!g_key_file_has_key(l->kf, group, key, NULL))
		return NULL;
	v = g_key_file_get_string(l->kf, group, key, NULL);
	if (v == NULL) {
		loader_problem(l, group, key, "not a valid string");
		return NULL;
	}
	g_strstrip(v);
	if (*v == '\0') {
		loader_problem(l, group, key, "empty value");
		g_free(v);
		return NULL;
	}
	return v;
}

/* ------------------------------------------------------------------ */
/* values */

/* A ;-separated list without empty elements; NULL when unset. */
char **
loader_list(struct loader *l, const char *group, const char *key)
{
	char **list, **out;
	gsize n = 0, i, j = 0;

	if (!g_key_file_has_key(l->kf, group, key, NULL))
		return NULL;
	list = g_key_file_get_string_list(l->kf, group, key, &n, NULL);
	if (list == NULL) {
		loader_problem(l, group, key, "not a valid list");
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
		loader_problem(l, group, key, "empty list");
		g_free(out);
		return NULL;
	}
	return out;
}

bool
loader_parse_integer(const char *s, long long *v_r)
{
	char *end;

	if (*s == '\0' || strspn(s, "-0123456789") != strlen(s))
		return FALSE;
	*v_r = g_ascii_strtoll(s, &end, 10);
	return *end == '\0' && end != s;
}

bool
loader_integer(struct loader *l, const char *group, const char *key,
    long long min, long long *v_r)
{
	char *s = loader_string(l, group, key);
	bool ok;

	if (s == NULL)
		return FALSE;
	ok = loader_parse_integer(s, v_r);
	if (!ok)
		loader_problem(l, group, key, "\"%s\" is not an integer", s);
	else if (*v_r < min) {
		loader_problem(l, group, key, "%lld is below %lld", *v_r, min);
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
	char *s = loader_string(l, "campaign", key);
	GDateTime *t;

	if (s == NULL)
		return NULL;
	t = parse_time(s, l->c->tz);
	if (t == NULL)
		loader_problem(l, "campaign", key, "\"%s\" is not a time "
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

void
loader_check_keys(struct loader *l, const char *group,
    const char *const *known, const char *prefix_allowed)
{
	char **keys = g_key_file_get_keys(l->kf, group, NULL, NULL);
	size_t i;

	for (i = 0; keys != NULL && keys[i] != NULL; i++) {
		if (key_known(keys[i], known))
			continue;
		if (prefix_allowed != NULL &&
		    g_str_has_prefix(keys[i], prefix_allowed))
			continue;
		loader_problem(l, group, keys[i], "unknown key");
	}
	g_strfreev(keys);
}

void
loader_check_keys_prefixed(struct loader *l, const char *group,
    const char *const *known, const char *const *prefixes)
{
	char **keys = g_key_file_get_keys(l->kf, group, NULL, NULL);
	size_t i, j;

	for (i = 0; keys != NULL && keys[i] != NULL; i++) {
		bool ok = key_known(keys[i], known);

		for (j = 0; prefixes[j] != NULL && !ok; j++)
			ok = g_str_has_prefix(keys[i], prefixes[j]);
		if (!ok)
			loader_problem(l, group, keys[i], "unknown key");
	}
	g_strfreev(keys);
}

static void
load_campaign_group(struct loader *l)
{
	static const char *const known[] = {
		"id", "name", "folder", "opens", "closes", "timezone",
		"contact", "contacts", "signature", "staff", "convention",
		"submission", "next_steps", "results",
		"subject",
		"filename",
		"subject_regex", "filename_regex", "category_field",
		"title_field", "unit_field", NULL,
	};
	struct campaign *c = l->c;
	char *s;

	loader_check_keys(l, "campaign", known, "next_steps.");
	c->id = loader_string(l, "campaign", "id");
	if (c->id == NULL)
		loader_problem(l, "campaign", "id", "required");
	else if (!valid_id(c->id))
		loader_problem(l, "campaign", "id", "\"%s\": use 1-63 of a-z, 0-9, "
		    "\"_\" and \"-\", starting with a letter or digit", c->id);
	c->name = loader_string(l, "campaign", "name");
	if (c->name == NULL)
		loader_problem(l, "campaign", "name", "required");
	c->folder = loader_string(l, "campaign", "folder");
	if (c->folder == NULL)
		c->folder = g_strdup(DEFAULT_FOLDER);
	c->contact = loader_string(l, "campaign", "contact");
	c->contacts = loader_string(l, "campaign", "contacts");
	c->signature = loader_string(l, "campaign", "signature");
	s = loader_string(l, "campaign", "submission");
	if (s != NULL && strcmp(s, "报名") == 0)
		c->nomination = true;
	else if (s != NULL && strcmp(s, "投稿") != 0)
		loader_problem(l, "campaign", "submission", "\"%s\": 投稿 "
		    "(works are sent) or 报名 (people are put forward)", s);
	g_free(s);
	/* Where people's questions are forwarded (question.h). */
	c->staff = loader_string(l, "campaign", "staff");
	if (c->staff != NULL && (strchr(c->staff, '@') == NULL ||
	    strpbrk(c->staff, " \t<>,;\r\n") != NULL))
		loader_problem(l, "campaign", "staff", "\"%s\": one mail "
		    "address, such as staff@example.cn", c->staff);

	s = loader_string(l, "campaign", "timezone");
	c->tz = g_time_zone_new_identifier(s != NULL ? s : DEFAULT_TIMEZONE);
	if (c->tz == NULL) {
		if (s != NULL)
			loader_problem(l, "campaign", "timezone", "\"%s\" is not a "
			    "known time zone", s);
		/* no tzdata installed: China has had one offset since 1991 */
		c->tz = g_time_zone_new_offset(8 * 3600);
	}
	g_free(s);
	c->opens = get_time(l, "opens");
	c->closes = get_time(l, "closes");
	if (c->opens != NULL && c->closes != NULL &&
	    g_date_time_compare(c->opens, c->closes) >= 0)
		loader_problem(l, "campaign", "closes", "not after opens");
}

/* Every group of the file (of the campaign's groups, for a campaign
 * embedded in a main configuration), in the order the checks depend on:
 * fields first, the conventions that use them, then what refers to both. */
static int
load(struct loader *l, bool whole_file, struct campaign **campaign_r,
    char **error_r)
{
	char **groups;
	size_t i;

	*campaign_r = NULL;
	l->err = g_string_new(NULL);
	/* A key set twice loses a value in GKeyFile: said first. */
	l->lines = keyfile_lines_new(l->text, l->path,
	    whole_file ? l->err : NULL);
	l->c = g_new0(struct campaign, 1);
	l->c->path = g_strdup(l->path);

	if (!g_key_file_has_group(l->kf, "campaign"))
		loader_problem(l, NULL, NULL, "no [campaign] group");
	groups = g_key_file_get_groups(l->kf, NULL);
	for (i = 0; groups[i] != NULL; i++) {
		if (strcmp(groups[i], "campaign") == 0 ||
		    strcmp(groups[i], "policy") == 0 ||
		    strcmp(groups[i], "reply") == 0 ||
		    strcmp(groups[i], "export") == 0 ||
		    strcmp(groups[i], "links") == 0 ||
		    strcmp(groups[i], "remind") == 0 ||
		    strcmp(groups[i], "summary") == 0)
			continue;
		if (g_str_has_prefix(groups[i], "field ") ||
		    strcmp(groups[i], "field") == 0)
			loader_field(l, groups[i]);
		else if (strcmp(groups[i], "works") == 0 ||
		    g_str_has_prefix(groups[i], "file ") ||
		    strcmp(groups[i], "file") == 0)
			continue;	/* loader_works(), below */
		else if (g_str_has_prefix(groups[i], "unit ") ||
		    strcmp(groups[i], "unit") == 0)
			continue;	/* the unit field's roster reads them */
		else if (whole_file)
			loader_problem(l, groups[i], NULL, "unknown group");
	}
	g_strfreev(groups);
	if (g_key_file_has_group(l->kf, "campaign")) {
		load_campaign_group(l);
		loader_convention(l);
	}
	loader_policy(l);
	loader_steps(l);
	loader_links(l);
	loader_works(l);
	loader_units(l);
	loader_reply(l);
	loader_export(l);
	loader_notify(l);

	loader_fields_clear(l);
	loader_roster_clear(l);
	keyfile_lines_free(&l->lines);
	if (l->err->len > 0) {
		g_strchomp(l->err->str);
		*error_r = g_string_free(l->err, FALSE);
		campaign_free(&l->c);
		return -1;
	}
	g_string_free(l->err, TRUE);
	*campaign_r = l->c;
	return 0;
}

int
campaign_parse_keyfile(GKeyFile *kf, const char *path, const char *text,
    keyfile_read_fn *read_file, void *read_ctx,
    struct campaign **campaign_r, char **error_r)
{
	struct loader l = {
		.kf = kf, .path = path, .text = text,
		.read_file = read_file, .read_ctx = read_ctx,
	};

	return load(&l, false, campaign_r, error_r);
}

int
campaign_parse(const char *path, const char *text, size_t len,
    keyfile_read_fn *read_file, void *read_ctx,
    struct campaign **campaign_r, char **error_r)
{
	/* The text handed in need not end in a NUL (a buffer, a mapped
	 * file); the line index scans a copy that does. */
	g_autofree char *copy = g_strndup(text, len);
	struct loader l = {
		.path = path, .text = copy,
		.read_file = read_file, .read_ctx = read_ctx,
	};
	int ret;

	*campaign_r = NULL;
	if (keyfile_parse(path, text, len, &l.kf, error_r) < 0)
		return -1;
	ret = load(&l, true, campaign_r, error_r);
	g_key_file_free(l.kf);
	return ret;
}
