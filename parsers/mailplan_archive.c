/*
 * mailplan_archive: the entries of an archive the caller listed
 * (archivelist.h), judged as attachments are.  See
 * parsers/mailplan-private.h.
 *
 *   - The archive as a whole: one that could not be opened, that went
 *     over a limit (a bomb) or that has a password cannot be checked,
 *     and is refused when it is a work's file (a warning otherwise).
 *   - Every entry, whatever the archive was taken for: a program by its
 *     content or its name refuses the mail, as an attached one does.
 *     An archive inside is listed, never opened, so nothing in it is
 *     checked: it refuses the mail, as a program does, since a program
 *     or a bomb one level down would otherwise pass unseen.
 *   - What an operating system adds by itself (a Mac's __MACOSX/ and
 *     ._ files, .DS_Store, Thumbs.db, desktop.ini) is passed over: the
 *     clerk never saw those files and cannot take them out.
 *   - The entries of a work's archive: one named as a companion kind
 *     (报名表) is that companion (and counts for it); any other file is
 *     the work's, and must be of a type a work kind of its category
 *     takes by content (content =); its video, picture or text is
 *     measured against that kind's rules, as an attachment would be.
 */
#include <string.h>

#include "archivelist.h"
#include "mailplan-private.h"
#include "normalize.h"

/* The last part of an entry's path: what its author named the file. */
static const char *
entry_base(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *back = strrchr(path, '\\');

	if (back != NULL && (slash == NULL || back > slash))
		slash = back;
	return slash != NULL ? slash + 1 : path;
}

/* The companion kind an entry's name makes it, or NULL. */
static const struct campaign_file_kind *
entry_companion(struct mailplan *p, const char *path)
{
	struct plan_name n = { 0 };
	g_autofree char *key = NULL;
	const struct campaign_file_kind *k;

	plan_name_parse(campaign_works(p->c), entry_base(path), &n);
	key = normalize_text(n.stem, NORMALIZE_KEY);
	k = plan_kind_find(p->c, CAMPAIGN_FILE_COMPANION, key, n.ext, true);
	plan_name_clear(&n);
	return k;
}

/* Whether an entry's path climbs out of where it is unpacked (../, an
 * absolute path, a drive letter): 7-Zip and WinRAR guard against it,
 * older tools may not, so staff are told before they unpack. */
static bool
entry_path_escapes(const char *path)
{
	return path[0] == '/' || path[0] == '\\' ||
	    (g_ascii_isalpha(path[0]) && path[1] == ':') ||
	    strcmp(path, "..") == 0 || g_str_has_prefix(path, "../") ||
	    g_str_has_prefix(path, "..\\") || strstr(path, "/../") != NULL ||
	    strstr(path, "\\..\\") != NULL || g_str_has_suffix(path, "/..");
}

/* Whether the entry is one an operating system wrote beside the files
 * when zipping them, which its user never sees. */
static bool
entry_system_made(const char *path)
{
	const char *base = entry_base(path);

	return g_str_has_prefix(path, "__MACOSX/") ||
	    strstr(path, "/__MACOSX/") != NULL ||
	    g_str_has_prefix(base, "._") ||
	    g_ascii_strcasecmp(base, ".DS_Store") == 0 ||
	    g_ascii_strcasecmp(base, "Thumbs.db") == 0 ||
	    g_ascii_strcasecmp(base, "desktop.ini") == 0;
}

static bool
entry_program_name(const char *path)
{
	const char *dot = strrchr(entry_base(path), '.');
	g_autofree char *ext = dot != NULL ? g_ascii_strdown(dot + 1, -1) :
	    NULL;

	return ext != NULL && plan_program_type(ext);
}

/* The work kind of the category whose content rule takes mime (without
 * one, whose types take the name's extension), or NULL; *types_r: what
 * they take together, for the refusal (g_ptr_array_unref). */
static const struct campaign_file_kind *
entry_work_kind(struct mailplan *p, const char *category,
    const struct archive_item *it, GPtrArray **types_r)
{
	const char *dot = strrchr(entry_base(it->name), '.');
	size_t i, j;

	*types_r = g_ptr_array_new();
	for (i = 0; i < campaign_file_kind_count(p->c); i++) {
		const struct campaign_file_kind *k = campaign_file_kind(p->c, i);
		const struct content_rule *rule;

		if (k->role != CAMPAIGN_FILE_WORK ||
		    !campaign_file_kind_applies(k, category))
			continue;
		rule = campaign_content_rule(k, category);
		if (rule == NULL ? campaign_types_allow(k->types,
		    dot != NULL ? dot + 1 : "") : contentrule_allows(
		    rule->types, it->mime))
			return k;
		for (j = 0; rule != NULL && rule->types != NULL &&
		    rule->types[j] != NULL; j++)
			g_ptr_array_add(*types_r, (char *)rule->types[j]);
	}
	return NULL;
}

/* What measuring a work entry found against its kind's rules. */
static void
entry_media(struct mailplan *p, size_t file, size_t entry,
    const struct campaign_file_kind *k, const char *category)
{
	const struct archive_item *it =
	    &pfile(p, file)->media->archive->items[entry];
	struct media_finding found[MEDIA_KEYS + 1];
	size_t n, j;

	if (it->media == NULL)
		return;
	n = mediarule_eval(k->media, k->media_count, category,
	    category != NULL ? category : k->name, it->mime, it->media, found);
	for (j = 0; j < n; j++)
		plan_text_entry_media(p, file, entry, &found[j]);
	mediarule_findings_clear(found, n);
}

/* A work archive's entry against what its category takes. */
static void
entry_of_work(struct mailplan *p, size_t file, size_t entry,
    const char *category)
{
	const struct archive_item *it =
	    &pfile(p, file)->media->archive->items[entry];
	const struct campaign_file_kind *k = entry_companion(p, it->name);
	const struct content_rule *rule;
	GPtrArray *takes = NULL;

	if (k != NULL) {
		rule = campaign_content_rule(k, category);
		if (contentrule_judge(rule, it->mime) == CONTENT_MISFIT)
			plan_text_entry_content(p, file, entry, rule->types,
			    k->name, rule->warn);
		return;
	}
	if ((k = entry_work_kind(p, category, it, &takes)) != NULL)
		entry_media(p, file, entry, k, category);
	else {
		g_ptr_array_add(takes, NULL);
		plan_text_entry_content(p, file, entry,
		    (const char *const *)takes->pdata, NULL, false);
	}
	g_ptr_array_unref(takes);
}

/* The archive as a whole: whether it could be looked into at all. */
static bool
archive_whole(struct mailplan *p, size_t file)
{
	const struct mailplan_file *f = pfile(p, file);
	const struct archive_facts *a = f->media->archive;

	/* The child died or overran: nothing is known of the entries. */
	if (f->media->failed || a == NULL) {
		plan_text_archive(p, file, "inspect-failed", PLAN_NOTE);
		return false;
	}
	if (!a->opened || *a->error != '\0') {
		plan_text_archive(p, file, "archive-unreadable",
		    f->role == PLAN_WORK ? PLAN_REFUSE : PLAN_WARN);
		return a->opened;
	}
	return true;
}

void
plan_archive_check(struct mailplan *p, size_t file)
{
	const struct mailplan_file *f = pfile(p, file);
	const struct archive_facts *a;
	const char *category;
	size_t j;

	if (f->media == NULL || f->media->kind != FACTS_ARCHIVE ||
	    !archive_whole(p, file))
		return;
	a = f->media->archive;
	category = f->work >= 0 ? pwork(p, (size_t)f->work)->category :
	    p->works->len == 1 ? pwork(p, 0)->category : NULL;
	for (j = 0; j < a->count; j++) {
		const struct archive_item *it = &a->items[j];

		if (entry_path_escapes(it->name))
			plan_text_entry_path(p, file, j);
		if (contentrule_is_program(it->mime))
			plan_text_entry_program(p, file, j, true);
		else if (entry_system_made(it->name))
			continue;
		else if (entry_program_name(it->name))
			plan_text_entry_program(p, file, j, false);
		else if (it->nested || contentrule_is_archive(it->mime))
			plan_text_entry_nested(p, file, j);
		else if (f->role == PLAN_WORK && !it->encrypted &&
		    *it->mime != '\0' && a->over == ARCHIVE_WITHIN)
			entry_of_work(p, file, j, category);
	}
	if (a->over != ARCHIVE_WITHIN)
		plan_text_archive(p, file, "archive-limit", f->role ==
		    PLAN_WORK ? PLAN_REFUSE : PLAN_WARN);
	else if (a->encrypted)
		plan_text_archive(p, file, "archive-encrypted", f->role ==
		    PLAN_WORK ? PLAN_REFUSE : PLAN_WARN);
}

unsigned
plan_archive_companions(struct mailplan *p, size_t w,
    const struct campaign_file_kind *k)
{
	unsigned have = 0;
	size_t i, j;

	for (i = 0; i < p->files->len; i++) {
		const struct mailplan_file *f = pfile(p, i);

		if (f->work != (int)w || f->role != PLAN_WORK ||
		    f->media == NULL || f->media->archive == NULL)
			continue;
		for (j = 0; j < f->media->archive->count; j++)
			if (entry_companion(p,
			    f->media->archive->items[j].name) == k)
				have++;
	}
	return have;
}
