/*
 * campaign_steps: what a receipt says comes after the mail.  A receipt
 * that says 已登记 and nothing more lets a clerk believe the job is done,
 * when the notice still wants the stamped paper forms (Changzhou), the
 * disc through 机要交换 (Shuozhou), or a QR code scanned (学习之星).  The
 * campaign file says so in the notice's words:
 *
 *   [campaign]
 *   next_steps = 报名表、汇总表另需报送纸质盖章件（一式两份）。
 *   next_steps.模范学习组织 = 报名表纸质版报送省直工委512室。
 *   results = 2020年9月18日在厅官网、官微公布获奖名单。
 */
#include <string.h>

#include "campaign-private.h"

/* Characters of one such text: a sentence or two of the notice, not a
 * copy of it; the receipt is read on a phone. */
#define STEPS_MAX_CHARS	300

static char *
steps_text(struct loader *l, const char *key)
{
	char *v = loader_string(l, "campaign", key);

	if (v != NULL && g_utf8_strlen(v, -1) > STEPS_MAX_CHARS) {
		loader_problem(l, "campaign", key, "longer than %d characters: "
		    "say what to do and where, the notice says the rest",
		    STEPS_MAX_CHARS);
		g_clear_pointer(&v, g_free);
	}
	return v;
}

void
loader_steps(struct loader *l)
{
	struct campaign *c = l->c;
	char **keys;
	size_t i;

	if (c == NULL || !g_key_file_has_group(l->kf, "campaign"))
		return;
	c->next_steps = steps_text(l, "next_steps");
	c->results = steps_text(l, "results");
	keys = g_key_file_get_keys(l->kf, "campaign", NULL, NULL);
	for (i = 0; keys != NULL && keys[i] != NULL; i++) {
		const char *cat = keys[i] + strlen("next_steps.");
		char *canonical, *text;

		if (!g_str_has_prefix(keys[i], "next_steps."))
			continue;
		canonical = loader_category_canonical(l, cat);
		if (canonical == NULL) {
			loader_problem(l, "campaign", keys[i], "\"%s\" is not "
			    "a category of this campaign", cat);
			continue;
		}
		if ((text = steps_text(l, keys[i])) == NULL) {
			g_free(canonical);
			continue;
		}
		if (c->category_steps == NULL)
			c->category_steps = g_ptr_array_new_with_free_func(
			    g_free);
		g_ptr_array_add(c->category_steps, canonical);
		g_ptr_array_add(c->category_steps, text);
	}
	g_strfreev(keys);
}

/* The text of category cat's own steps, or NULL. */
static const char *
category_steps(const struct campaign *c, const char *cat)
{
	size_t i;

	for (i = 0; c->category_steps != NULL &&
	    i + 1 < c->category_steps->len; i += 2)
		if (strcmp(g_ptr_array_index(c->category_steps, i), cat) == 0)
			return g_ptr_array_index(c->category_steps, i + 1);
	return NULL;
}

char *
campaign_next_steps(const struct campaign *c, const char *const *categories)
{
	GString *t = g_string_new(c->next_steps);
	GPtrArray *said = g_ptr_array_new();
	size_t i;

	for (i = 0; categories != NULL && categories[i] != NULL; i++) {
		const char *own = category_steps(c, categories[i]);

		if (own == NULL || g_ptr_array_find_with_equal_func(said, own,
		    g_str_equal, NULL))
			continue;
		g_ptr_array_add(said, (char *)own);
		g_string_append_printf(t, "%s%s", t->len > 0 ? "\n" : "", own);
	}
	g_ptr_array_free(said, TRUE);
	if (t->len == 0) {
		g_string_free(t, TRUE);
		return NULL;
	}
	return g_string_free(t, FALSE);
}

const char *
campaign_results(const struct campaign *c)
{
	return c->results;
}
