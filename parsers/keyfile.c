/* keyfile: see include/keyfile.h. */
#include <string.h>

#include "keyfile.h"

struct keyfile_lines {
	GHashTable *lines;	/* "group\nkey" or "group" -> line */
};

int
keyfile_parse(const char *name, const char *text, size_t len,
    GKeyFile **kf_r, char **error_r)
{
	GKeyFile *kf = g_key_file_new();
	GError *gerr = NULL;

	*kf_r = NULL;
	if (!g_key_file_load_from_data(kf, text, len, G_KEY_FILE_NONE,
	    &gerr)) {
		*error_r = g_strdup_printf("%s: %s", name, gerr->message);
		g_error_free(gerr);
		g_key_file_free(kf);
		return -1;
	}
	*kf_r = kf;
	return 0;
}

char *
keyfile_path_relative(const char *base_path, const char *value)
{
	g_autofree char *dir = NULL;

	if (g_path_is_absolute(value))
		return g_strdup(value);
	dir = g_path_get_dirname(base_path);
	return g_build_filename(dir, value, NULL);
}

/* The text is scanned once more the way GKeyFile reads it: comments and
 * blank lines skipped, "[group]" and "key = value" lines. */
struct keyfile_lines *
keyfile_lines_new(const char *text, const char *name, GString *duplicates)
{
	struct keyfile_lines *kl = g_new0(struct keyfile_lines, 1);
	char **lines, *group = NULL;
	size_t i;

	kl->lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    NULL);
	lines = g_strsplit(text != NULL ? text : "", "\n", -1);
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
			if (g_hash_table_contains(kl->lines, group))
				continue;
			g_hash_table_insert(kl->lines, g_strdup(group),
			    GUINT_TO_POINTER(i + 1));
			continue;
		}
		if (group == NULL || (eq = strchr(s, '=')) == NULL)
			continue;
		*eq = '\0';
		k = g_strdup_printf("%s\n%s", group, g_strchomp(s));
		if (g_hash_table_contains(kl->lines, k)) {
			/* GKeyFile keeps the last value: one is lost */
			if (duplicates != NULL)
				g_string_append_printf(duplicates, "%s:%zu: "
				    "[%s] %s: set twice (first on line %u)\n",
				    name, i + 1, group, g_strchomp(s),
				    GPOINTER_TO_UINT(g_hash_table_lookup(
				    kl->lines, k)));
			g_free(k);
			continue;
		}
		g_hash_table_insert(kl->lines, k, GUINT_TO_POINTER(i + 1));
	}
	g_free(group);
	g_strfreev(lines);
	return kl;
}

unsigned int
keyfile_lines_find(const struct keyfile_lines *kl, const char *group,
    const char *key)
{
	g_autofree char *k = key == NULL ? g_strdup(group) :
	    g_strdup_printf("%s\n%s", group, key);

	return GPOINTER_TO_UINT(g_hash_table_lookup(kl->lines, k));
}

void
keyfile_lines_free(struct keyfile_lines **klp)
{
	struct keyfile_lines *kl = *klp;

	if (kl == NULL)
		return;
	*klp = NULL;
	g_hash_table_destroy(kl->lines);
	g_free(kl);
}
