/*
 * mailplan_check: what each work of a plan lacks, once its files are
 * known: the versions its category requires, the length of its series,
 * and the companions each kind requires.  See parsers/mailplan-private.h.
 */
#include <string.h>

#include "archivelist.h"
#include "mailplan-private.h"

/* Extensions of an archive: the companions may be inside it. */
static const char *const archive_types[] = { "zip", "rar", "7z", NULL };

/* Whether work w has an archive whose entries are not known (not
 * listed, or its names unreadable): a companion may be inside it.  One
 * that was listed said what it holds (plan_archive_companions()). */
static bool
work_has_archive(struct mailplan *p, size_t w)
{
	size_t i;

	for (i = 0; i < p->files->len; i++) {
		const struct mailplan_file *f = pfile(p, i);

		if (f->work == (int)w && f->role == PLAN_WORK &&
		    g_strv_contains(archive_types, p->names[i].ext) &&
		    (f->media == NULL || f->media->archive == NULL ||
		    !f->media->archive->opened ||
		    *f->media->archive->error != '\0'))
			return true;
	}
	return false;
}

static void
check_companions(struct mailplan *p, size_t w)
{
	const struct mailplan_work *work = pwork(p, w);
	size_t i, j;

	for (i = 0; i < campaign_file_kind_count(p->c); i++) {
		const struct campaign_file_kind *k = campaign_file_kind(p->c, i);
		unsigned have = 0, want;
		enum mailplan_severity s;

		if (k->role != CAMPAIGN_FILE_COMPANION ||
		    k->required == CAMPAIGN_NEED_NO ||
		    !campaign_file_kind_applies(k, work->category))
			continue;
		for (j = 0; j < p->files->len; j++) {
			const struct mailplan_file *f = pfile(p, j);

			if (f->kind != NULL && strcmp(f->kind, k->name) == 0 &&
			    (f->shared || f->work == (int)w))
				have++;
		}
		/* A 报名表 inside the work's archive is the 报名表. */
		have += plan_archive_companions(p, w, k);
		want = campaign_count_for(&k->count, work->category);
		if (have >= want)
			continue;
		s = k->required == CAMPAIGN_NEED_YES ? PLAN_REFUSE : PLAN_WARN;
		/* The unit's 汇总表 may have come in an earlier mail. */
		if (k->scope == CAMPAIGN_SCOPE_UNIT && s == PLAN_REFUSE)
			s = PLAN_WARN;
		if (k->scope == CAMPAIGN_SCOPE_WORK && have == 0 &&
		    work_has_archive(p, w))
			s = PLAN_NOTE;
		/* A mail's or unit's kind is missing for every work alike:
		 * said once, as the mail's, when the mail has several. */
		if (k->scope != CAMPAIGN_SCOPE_WORK && p->works->len > 1 &&
		    w > 0)
			continue;
		plan_text_companion(p, w, k, have, want, s,
		    s == PLAN_NOTE);
		if (k->scope != CAMPAIGN_SCOPE_WORK && p->works->len > 1)
			g_array_index(p->problems, struct mailplan_problem,
			    p->problems->len - 1).work = -1;
	}
}

/* Whether work w has a file of its own with no version mark: the file
 * is one of the versions, which one unsaid. */
static bool
has_unmarked_file(struct mailplan *p, size_t w)
{
	size_t i;

	for (i = 0; i < p->files->len; i++) {
		const struct mailplan_file *f = pfile(p, i);

		if (f->work == (int)w && f->role == PLAN_WORK &&
		    f->marker == NULL && f->episode == 0 && !p->names[i].copy)
			return true;
	}
	return false;
}

/* The digest of input file j, NULL when unknown (or j a link). */
static const char *
file_digest(struct mailplan *p, size_t j)
{
	return j < p->in->file_count ? p->in->files[j].digest : NULL;
}

/*
 * The version, other than name, whose file in work w has the same bytes
 * as every file of w marked name; NULL when they differ or are not known.
 * Then name was not sent: its file is a copy of the other version.
 */
static const char *
version_copy_of(struct mailplan *p, size_t w, const char *name)
{
	const char *other = NULL;
	size_t i, j;

	for (i = 0; i < p->files->len; i++) {
		const struct mailplan_file *f = pfile(p, i);
		const char *twin = NULL;

		if (f->work != (int)w || f->role != PLAN_WORK ||
		    f->marker == NULL || strcmp(f->marker, name) != 0 ||
		    f->episode != 0 || p->names[i].copy)
			continue;
		if (file_digest(p, i) == NULL)
			return NULL;
		for (j = 0; j < p->files->len && twin == NULL; j++) {
			const struct mailplan_file *g = pfile(p, j);

			if (g->work == (int)w && g->role == PLAN_WORK &&
			    g->marker != NULL && strcmp(g->marker, name) != 0 &&
			    file_digest(p, j) != NULL &&
			    strcmp(file_digest(p, j), file_digest(p, i)) == 0)
				twin = g->marker;
		}
		if (twin == NULL)
			return NULL;
		other = twin;
	}
	return other;
}

/* Versions: present ones in declared order; the required ones checked,
 * a work whose file names no version told so rather than that it lacks
 * each.  A version whose file is byte for byte another version's is
 * one version sent twice: not present, and said so. */
static void
check_versions(struct mailplan *p, size_t w)
{
	const struct campaign_works *cw = campaign_works(p->c);
	struct mailplan_work *work = pwork(p, w);
	const char *const *need = campaign_required_versions(p->c,
	    work->category);
	GPtrArray *have = g_ptr_array_new();
	GPtrArray *copies = g_ptr_array_new();	/* name, copy of: pairs */
	enum mailplan_severity sev;
	size_t i, j;

	for (i = 0; i < cw->version_count; i++) {
		const char *name = cw->versions[i].name;
		unsigned files = 0;

		for (j = 0; j < p->files->len; j++) {
			const struct mailplan_file *f = pfile(p, j);

			files += f->work == (int)w && f->role == PLAN_WORK &&
			    f->marker != NULL && strcmp(f->marker, name) == 0 &&
			    f->episode == 0 && !p->names[j].copy;
		}
		if (files > 0 && have->len > 0 &&
		    version_copy_of(p, w, name) != NULL) {
			g_ptr_array_add(copies, (char *)name);
			g_ptr_array_add(copies,
			    (char *)version_copy_of(p, w, name));
			continue;
		}
		if (files > 0)
			g_ptr_array_add(have, (char *)name);
		if (files > 1)
			plan_text_version_twice(p, w, name);
	}
	work->version_count = have->len;
	g_ptr_array_add(have, NULL);
	work->versions = (const char *const *)plan_own(p,
	    (char *)g_ptr_array_free(have, FALSE));
	sev = cw->missing_version == CAMPAIGN_NEED_YES ? PLAN_REFUSE :
	    PLAN_WARN;
	for (i = 0; i + 1 < copies->len; i += 2) {
		const char *name = g_ptr_array_index(copies, i);

		plan_text_version_copy(p, w, name,
		    g_ptr_array_index(copies, i + 1), need != NULL &&
		    g_strv_contains(need, name) ? sev : PLAN_WARN);
	}
	if (need == NULL || need[0] == NULL) {
		g_ptr_array_free(copies, TRUE);
		return;
	}
	if (work->version_count == 0 && has_unmarked_file(p, w)) {
		g_ptr_array_free(copies, TRUE);
		plan_text_version_unmarked(p, w, need, sev);
		return;
	}
	for (i = 0; need[i] != NULL; i++) {
		bool copied = false;

		for (j = 0; j < copies->len; j += 2)
			copied |= strcmp(g_ptr_array_index(copies, j),
			    need[i]) == 0;
		if (!g_strv_contains(work->versions, need[i]) && !copied)
			plan_text_version(p, w, need[i], sev);
	}
	g_ptr_array_free(copies, TRUE);
}

static gint
cmp_unsigned(gconstpointer a, gconstpointer b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return x < y ? -1 : x > y;
}

/* Episodes: two or more make a series; a short one or a gap is said. */
static void
check_episodes(struct mailplan *p, size_t w)
{
	const struct campaign_works *cw = campaign_works(p->c);
	struct mailplan_work *work = pwork(p, w);
	GArray *eps = g_array_new(FALSE, FALSE, sizeof(unsigned));
	unsigned min, last = 0;
	size_t i, j;
	bool gap = false;

	for (i = 0; i < p->files->len; i++) {
		const struct mailplan_file *f = pfile(p, i);
		bool seen = false;

		if (f->work != (int)w || f->role != PLAN_WORK || f->episode == 0)
			continue;
		for (j = 0; j < eps->len && !seen; j++)
			seen = g_array_index(eps, unsigned, j) == f->episode;
		if (!seen)
			g_array_append_val(eps, f->episode);
	}
	g_array_sort(eps, cmp_unsigned);
	for (j = 0; j < eps->len; j++) {
		gap |= g_array_index(eps, unsigned, j) != last + 1;
		last = g_array_index(eps, unsigned, j);
	}
	work->episode_count = eps->len;
	work->episodes = (const unsigned *)plan_own(p,
	    (char *)g_array_free(eps, FALSE));
	min = campaign_count_for(&cw->min_episodes, work->category);
	/* One file with an episode word (第一讲) is a work, not a series. */
	if (work->episode_count > 1 && work->episode_count < min)
		plan_text_series(p, w, min);
	else if (gap)
		plan_text_gap(p, w);
}

void
plan_check_work(struct mailplan *p, size_t w)
{
	check_versions(p, w);
	check_episodes(p, w);
	check_companions(p, w);
}
