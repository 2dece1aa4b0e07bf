/*
 * mailplan: see include/mailplan.h.  The steps, in the order the header
 * gives: names taken apart, the work (from the subject or the file
 * names), companions and other files, then what each work lacks.
 */
#include <string.h>

#include "grammar.h"
#include "mailplan-private.h"
#include "normalize.h"

/* Programs and scripts Windows runs on a double click: staff open what
 * strangers send, so no campaign keeps one, whatever other_files says. */
static const char *const program_types[] = {
	"exe", "com", "scr", "pif", "bat", "cmd", "msi", "msp", "dll", "cpl",
	"js", "jse", "vbs", "vbe", "wsf", "wsh", "hta", "ps1", "lnk", "jar",
	"reg", "inf", "chm", "msc", "scf", "url", "iso", "img", "vhd", "vhdx",
	NULL,
};

const char *
plan_own(struct mailplan *p, char *s)
{
	g_ptr_array_add(p->owned, s);
	return s;
}

void
plan_problem_entry(struct mailplan *p, const char *code,
    enum mailplan_severity severity, int work, int file, int entry,
    char *text)
{
	struct mailplan_problem pr = {
		.code = plan_own(p, g_strdup(code)),
		.severity = severity,
		.work = work,
		.file = file,
		.entry = entry,
		.text = plan_own(p, text),
	};

	g_array_append_val(p->problems, pr);
}

void
plan_problem_staff(struct mailplan *p, const char *code, int work, int file,
    char *text)
{
	plan_problem(p, code, PLAN_NOTE, work, file, text);
	g_array_index(p->problems, struct mailplan_problem,
	    p->problems->len - 1).staff_only = true;
}

void
plan_problem(struct mailplan *p, const char *code,
    enum mailplan_severity severity, int work, int file, char *text)
{
	plan_problem_entry(p, code, severity, work, file, -1, text);
}

bool
plan_program_type(const char *ext)
{
	return g_strv_contains(program_types, ext);
}

/* ---- the kinds ---- */

/* The first kind of a role whose types take ext and whose globs take
 * the name's key: for a companion, explicit globs only (or only kinds
 * without globs); for a work, any kind, its globs checked unless key is
 * NULL (the name met the convention: that says it is the work). */
const struct campaign_file_kind *
plan_kind_find(const struct campaign *c, enum campaign_file_role role,
    const char *key, const char *ext, bool explicit_globs)
{
	size_t i;

	for (i = 0; i < campaign_file_kind_count(c); i++) {
		const struct campaign_file_kind *k = campaign_file_kind(c, i);

		if (k->role != role || !campaign_types_allow(k->types, ext))
			continue;
		if (role == CAMPAIGN_FILE_WORK && (key == NULL ||
		    plan_glob_any(k->globs, key)))
			return k;
		if (role == CAMPAIGN_FILE_WORK)
			continue;
		if (explicit_globs ? (k->globs != NULL &&
		    plan_glob_any(k->globs, key)) : k->globs == NULL)
			return k;
	}
	return NULL;
}

bool
plan_kinds_declared(const struct campaign *c)
{
	return campaign_works(c)->kinds_declared;
}

const char *const *
plan_work_types(const struct campaign *c)
{
	size_t i;

	for (i = 0; i < campaign_file_kind_count(c); i++)
		if (campaign_file_kind(c, i)->role == CAMPAIGN_FILE_WORK)
			return campaign_file_kind(c, i)->types;
	return NULL;
}

/* Whether any kind of a role takes the extension, whatever its name
 * patterns. */
static bool
type_fits(const struct campaign *c, enum campaign_file_role role,
    const char *ext)
{
	size_t i;

	for (i = 0; i < campaign_file_kind_count(c); i++) {
		const struct campaign_file_kind *k = campaign_file_kind(c, i);

		if (k->role == role && campaign_types_allow(k->types, ext))
			return true;
	}
	return false;
}

/* ---- works ---- */

/* The comparison key of a work: its fields' keys, in order. */
static char *
work_key(const struct grammar_result *r)
{
	GString *k = g_string_new(NULL);
	size_t i;

	for (i = 0; i < grammar_result_field_count(r); i++) {
		const char *v;
		g_autofree char *fk = NULL;

		grammar_result_field(r, i, NULL, &v, NULL);
		fk = normalize_text(v, NORMALIZE_KEY);
		if (i > 0)
			g_string_append_c(k, '\x1f');
		g_string_append(k, fk);
	}
	return g_string_free(k, FALSE);
}

static const char *
field_of(const struct grammar_result *r, const char *name)
{
	return name != NULL ? grammar_result_get(r, name) : NULL;
}

size_t
plan_work_for(struct mailplan *p, struct grammar_result *r, bool from_subject)
{
	g_autofree char *key = work_key(r);
	struct mailplan_work w = { 0 };
	size_t i;

	for (i = 0; i < p->works->len; i++) {
		if (strcmp(pwork(p, i)->key, key) == 0) {
			grammar_result_free(&r);
			return i;
		}
	}
	g_ptr_array_add(p->results, r);
	w.fields = r;
	w.title = field_of(r, campaign_title_field(p->c));
	w.category = field_of(r, campaign_category_field(p->c));
	w.unit = field_of(r, campaign_unit_field(p->c));
	w.key = plan_own(p, g_steal_pointer(&key));
	w.from_subject = from_subject;
	g_array_append_val(p->works, w);
	return p->works->len - 1;
}

/* The name with its markers taken out, extension kept, for the grammar. */
static char *
stripped_name(const struct plan_name *n)
{
	return *n->ext != '\0' ? g_strconcat(n->stem, ".", n->ext, NULL) :
	    g_strdup(n->stem);
}

/* The line to copy of a misnamed file (请将文件名改为：…, see
 * grammar_result_diagnostics()) with the version and episode the name
 * marked put back before the extension, and the extension as typed:
 * the name was matched with them taken out, and lower case, and a name
 * copied without the markers would lose them. */
static char *
why_as_typed(struct mailplan *p, size_t file, char *why)
{
	const struct plan_name *n = &p->names[file];
	g_autofree char *marks = plan_name_markers(campaign_works(p->c), n);
	const char *typed = strrchr(p->in->files[file].name, '.');
	const char *line, *end, *at, *q;
	size_t elen = strlen(n->ext);
	GString *s;

	if (why == NULL || (line = strstr(why, "请将文件名改为：")) == NULL)
		return why;
	end = strchr(line, '\n');
	if (end == NULL)
		end = line + strlen(line);
	/* A name that starts with a dot is a hidden file on the clerk's
	 * computer (the title began with one): no line to copy then. */
	if (line[strlen("请将文件名改为：")] == '.') {
		s = g_string_new_len(why, line - why);
		g_string_append(s, *end == '\n' ? end + 1 : end);
		g_free(why);
		return g_string_free(s, FALSE);
	}
	at = end;
	for (q = line; elen > 0 && q < end; q++)
		if (*q == '.')
			at = q;
	s = g_string_new_len(why, at - why);
	g_string_append(s, marks);
	if (at < end && typed != NULL && g_ascii_strcasecmp(typed + 1,
	    n->ext) == 0 && (size_t)(end - at) == elen + 1) {
		g_string_append(s, typed);
		at = end;
	}
	g_string_append(s, at);
	g_free(why);
	return g_string_free(s, FALSE);
}

int
plan_match(const struct grammar *g, const char *text,
    struct grammar_result **r_r, char **why_r, char **error_r)
{
	struct grammar_result *r = NULL;
	int ret = grammar_match(g, text, &r, error_r);

	*r_r = NULL;
	if (ret < 0) {
		*why_r = g_strdup_printf("无法识别：文字过长或过于复杂。规定的格式：%s",
		    grammar_format(g));
		return ret;
	}
	if (ret > 0) {
		*r_r = r;
		return 1;
	}
	*why_r = g_strdup(grammar_result_diagnostics(r));
	grammar_result_free(&r);
	return 0;
}

/* ---- files ---- */

void
plan_set_file(struct mailplan *p, size_t i, enum mailplan_role role, int work,
    const struct campaign_file_kind *k)
{
	struct mailplan_file *f = pfile(p, i);

	f->role = role;
	f->work = work;
	f->kind = k != NULL ? k->name : NULL;
	f->shared = k != NULL && k->role == CAMPAIGN_FILE_COMPANION &&
	    k->scope != CAMPAIGN_SCOPE_WORK;
}

void
plan_file_rest(struct mailplan *p, size_t i, const char *key)
{
	const struct plan_name *n = &p->names[i];
	const struct campaign_file_kind *k;

	if ((k = plan_kind_find(p->c, CAMPAIGN_FILE_COMPANION, key, n->ext,
	    true)) != NULL ||
	    (k = plan_kind_find(p->c, CAMPAIGN_FILE_COMPANION, key, n->ext,
	    false)) != NULL) {
		plan_set_file(p, i, PLAN_COMPANION, -1, k);
		return;
	}
	plan_set_file(p, i, PLAN_OTHER, -1, NULL);
	if (!plan_kinds_declared(p->c) &&
	    !type_fits(p->c, CAMPAIGN_FILE_WORK, n->ext))
		plan_text_type(p, i);
}

/* A companion whose name meets the convention: the work it names. */
static void
file_named_companion(struct mailplan *p, size_t i, struct grammar_result *r,
    const struct campaign_file_kind *k)
{
	p->names[i].work_key = work_key(r);
	grammar_result_free(&r);
	plan_set_file(p, i, PLAN_COMPANION, -1, k);
}

/*
 * A file whose name meets the convention.  A form or commentary named
 * after its work, as the notice asks (初心如磐报名表-纪录片-….pdf), is told
 * by its kind's words; a 2022 photo named like the form by its type; a
 * file of a work type is the work; anything else named like a work is
 * kept beside it, never taken for a second work.
 */
static void
file_named(struct mailplan *p, size_t i, struct grammar_result *r)
{
	const struct plan_name *n = &p->names[i];
	g_autofree char *key = normalize_text(n->stem, NORMALIZE_KEY);
	const struct campaign_file_kind *k;
	size_t w;

	if ((k = plan_kind_find(p->c, CAMPAIGN_FILE_COMPANION, key, n->ext,
	    true)) != NULL) {
		file_named_companion(p, i, r, k);
		return;
	}
	if ((k = plan_kind_find(p->c, CAMPAIGN_FILE_WORK, NULL, n->ext, false)) !=
	    NULL) {
		w = plan_work_for(p, r, false);
		plan_set_file(p, i, PLAN_WORK, (int)w, k);
		return;
	}
	if ((k = plan_kind_find(p->c, CAMPAIGN_FILE_COMPANION, "", n->ext,
	    false)) != NULL) {
		file_named_companion(p, i, r, k);
		return;
	}
	if (!plan_kinds_declared(p->c)) {
		/* allowed_extensions: the type is the problem */
		w = plan_work_for(p, r, false);
		plan_set_file(p, i, PLAN_WORK, (int)w, campaign_file_kind(p->c, 0));
		plan_text_type(p, i);
		return;
	}
	p->names[i].work_key = work_key(r);
	grammar_result_free(&r);
	plan_set_file(p, i, PLAN_OTHER, -1, NULL);
	/* A type no kind takes (初心如磐-纪录片-….avi) is the problem to
	 * name; one a companion takes is kept beside the work. */
	if (!type_fits(p->c, CAMPAIGN_FILE_COMPANION, n->ext))
		plan_text_type(p, i);
}

/* Whether ext is an archive's and the campaign takes no archive. */
static bool
archive_not_taken(const struct mailplan *p, const char *ext)
{
	return (g_ascii_strcasecmp(ext, "zip") == 0 ||
	    g_ascii_strcasecmp(ext, "rar") == 0 ||
	    g_ascii_strcasecmp(ext, "7z") == 0) &&
	    !campaign_takes_archives(p->c);
}

/* File-name works.  A file that misses the convention is a misnamed work
 * when its type is a work's (the campaign named its types), else it is
 * looked at as a companion; *unnamed_r collects the diagnoses of the
 * rest, told when no work is found at all.  Where the subject named
 * works too (either), a file that misses is paired with the works by
 * title instead, once every named file has made its work. */
static int
files_by_name(struct mailplan *p, GString *unnamed, char **error_r)
{
	const struct grammar *g = campaign_grammar(p->c, GRAMMAR_FILENAME);
	GArray *loose = g_array_new(FALSE, FALSE, sizeof(size_t));
	int ret = 0;
	size_t i;

	for (i = 0; i < p->nnames; i++) {
		const struct plan_name *n = &p->names[i];
		g_autofree char *key = NULL, *name = NULL, *why = NULL;
		struct grammar_result *r = NULL;
		int m;

		if (plan_link_unnamed(p, i))
			continue;
		key = normalize_text(n->stem, NORMALIZE_KEY);
		name = stripped_name(n);
		m = plan_match(g, name, &r, &why, ret < 0 ? NULL : error_r);

		if (m < 0)
			ret = m;
		if (m == 0)
			why = why_as_typed(p, i, why);
		if (m > 0) {
			file_named(p, i, r);
		} else if (p->subject_works > 0) {
			g_array_append_val(loose, i);
		} else if (plan_kind_find(p->c, CAMPAIGN_FILE_COMPANION, key, n->ext,
		    true) == NULL && plan_kinds_declared(p->c) &&
		    plan_work_types(p->c) != NULL &&
		    type_fits(p->c, CAMPAIGN_FILE_WORK, n->ext)) {
			plan_set_file(p, i, PLAN_WORK, -1, NULL);
			if (!plan_unit_misplaced_name(p, (int)i))
				plan_text_naming(p, i, why);
		} else {
			plan_file_rest(p, i, key);
			if (pfile(p, i)->role == PLAN_OTHER) {
				g_autofree char *valid = g_utf8_make_valid(
				    p->in->files[i].name, -1);

				/* A zip where none is taken: its name is not
				 * what to mend (a renamed zip is refused
				 * again). */
				g_string_append_printf(unnamed, "%s附件“%s”：\n%s",
				    unnamed->len > 0 ? "\n" : "", valid,
				    archive_not_taken(p, n->ext) ?
				    "本次征集不接受压缩包。请不要压缩，把作品文件和"
				    "报名表等材料直接作为附件发送。" : why);
			}
		}
	}
	for (i = 0; i < loose->len; i++)
		plan_subject_file(p, g_array_index(loose, size_t, i));
	g_array_free(loose, TRUE);
	return ret;
}

/* A final "(N)": a copy when the same name is there without it, an
 * episode where the campaign numbers them so, else part of the name. */
static void
names_trailing(struct mailplan *p)
{
	const struct campaign_works *w = campaign_works(p->c);
	size_t i, j;

	for (i = 0; i < p->nnames; i++) {
		struct plan_name *n = &p->names[i];
		bool twin = false;

		if (n->trailing == 0)
			continue;
		for (j = 0; j < p->nnames && !twin; j++)
			twin = j != i && p->names[j].trailing == 0 &&
			    strcmp(p->names[j].stem, n->stem) == 0;
		if (twin) {
			n->copy = true;
		} else if (plan_paren_episodes(w) && n->episode == 0) {
			n->episode = n->trailing;
		} else {
			char *s = g_strdup_printf("%s(%u)", n->stem, n->trailing);

			g_free(n->stem);
			n->stem = s;
		}
	}
}

/* Copies are noted, as the same work's file. */
static void
note_copies(struct mailplan *p)
{
	size_t i, j;

	for (i = 0; i < p->nnames; i++) {
		if (!p->names[i].copy)
			continue;
		for (j = 0; j < p->nnames; j++) {
			if (j != i && !p->names[j].copy &&
			    strcmp(p->names[j].stem, p->names[i].stem) == 0 &&
			    strcmp(p->names[j].ext, p->names[i].ext) == 0) {
				plan_text_copy(p, i, j);
				break;
			}
		}
	}
}

/* Whether work w's category is named in key (春江潮涌报名表（纪录片）). */
static bool
category_named(struct mailplan *p, size_t w, const char *key)
{
	const char *cat = pwork(p, w)->category;
	g_autofree char *ck = cat ? normalize_text(cat, NORMALIZE_KEY) : NULL;

	return ck != NULL && *ck != '\0' && strstr(key, ck) != NULL;
}

/* Whether work w's category has a work kind that takes ext: a kind
 * whose categories (none: every one) hold it and whose types take it. */
static bool
category_takes(struct mailplan *p, size_t w, const char *ext)
{
	const char *cat = pwork(p, w)->category;
	size_t i;

	for (i = 0; i < campaign_file_kind_count(p->c); i++) {
		const struct campaign_file_kind *k = campaign_file_kind(p->c, i);

		if (k->role == CAMPAIGN_FILE_WORK &&
		    campaign_file_kind_applies(k, cat) &&
		    campaign_types_allow(k->types, ext))
			return true;
	}
	return false;
}

int
plan_tie_by_type(struct mailplan *p, const bool *tied, const char *ext)
{
	size_t w, n = 0;
	int only = -1;

	for (w = 0; ext != NULL && w < p->works->len; w++) {
		if (tied[w] && category_takes(p, w, ext)) {
			n++;
			only = (int)w;
		}
	}
	return n == 1 ? only : -1;
}

/* The work whose title the name's key contains, the longest title
 * winning; between works of one title the one whose category the name
 * gives, else (a work file: ext) the one whose category's kinds take its
 * type; -1 when none does, or when it stays a tie (never a guess: the
 * clerk is asked to name the file). */
int
plan_work_by_title(struct mailplan *p, size_t file, const char *ext)
{
	g_autofree char *key = normalize_text(p->names[file].stem,
	    NORMALIZE_KEY);
	g_autofree bool *tied = g_new0(bool, p->works->len + 1);
	size_t w, best_len = 0, ties = 0, by_cat = 0;
	int best = -1, cat_best = -1;

	for (w = 0; w < p->works->len; w++) {
		const char *title = pwork(p, w)->title;
		g_autofree char *tk = NULL;
		size_t len;

		if (title == NULL)
			continue;
		tk = normalize_text(title, NORMALIZE_KEY);
		len = strlen(tk);
		if (len == 0 || strstr(key, tk) == NULL || len < best_len)
			continue;
		if (len > best_len) {
			ties = by_cat = 0;
			memset(tied, 0, p->works->len * sizeof(*tied));
		}
		ties++;
		tied[w] = true;
		if (category_named(p, w, key)) {
			by_cat++;
			cat_best = (int)w;
		}
		best = (int)w;
		best_len = len;
	}
	if (ties <= 1)
		return best;
	if (by_cat == 1)
		return cat_best;
	return by_cat == 0 ? plan_tie_by_type(p, tied, ext) : -1;
}

bool
plan_title_shared(struct mailplan *p, size_t file, size_t *first_r)
{
	g_autofree char *key = normalize_text(p->names[file].stem,
	    NORMALIZE_KEY);
	size_t w, v;

	for (w = 0; w < p->works->len; w++) {
		const char *t = pwork(p, w)->title;
		g_autofree char *tk = t ? normalize_text(t, NORMALIZE_KEY) : NULL;

		if (tk == NULL || *tk == '\0' || strstr(key, tk) == NULL)
			continue;
		for (v = w + 1; v < p->works->len; v++) {
			const char *u = pwork(p, v)->title;
			g_autofree char *uk = u ? normalize_text(u,
			    NORMALIZE_KEY) : NULL;

			if (uk != NULL && strcmp(uk, tk) == 0) {
				*first_r = w;
				return true;
			}
		}
	}
	return false;
}

/* Work-scope companions go to the work they are named after (its
 * fields, in a name that meets the convention), else to the mail's one
 * work, or (several works) to the work their name names; shared ones to
 * all (recorded as the mail's). */
static void
companions(struct mailplan *p)
{
	size_t i;

	for (i = 0; i < p->files->len; i++) {
		struct mailplan_file *f = pfile(p, i);
		int w;

		if (f->role != PLAN_COMPANION || f->shared || f->work >= 0 ||
		    p->works->len == 0)
			continue;
		for (w = 0; p->names[i].work_key != NULL &&
		    w < (int)p->works->len; w++)
			if (strcmp(pwork(p, (size_t)w)->key,
			    p->names[i].work_key) == 0)
				f->work = w;
		if (f->work >= 0)
			continue;
		if (p->names[i].work_key != NULL) {
			/* 初心如磐报名表-纪录片-…: the title it holds; else
			 * named after a work the mail does not carry */
			if ((w = plan_work_by_title(p, i, NULL)) >= 0)
				f->work = w;
			else
				plan_text_orphan(p, i, f->kind);
			continue;
		}
		if (p->works->len == 1)
			f->work = 0;
		else if (!campaign_works(p->c)->per_mail_many)
			continue;
		else if ((w = plan_work_by_title(p, i, NULL)) >= 0)
			f->work = w;
		else
			plan_text_unpaired(p, i, f->kind);
	}
}

/* Each work's files, listed for it. */
static void
work_files(struct mailplan *p, size_t w)
{
	struct mailplan_work *work = pwork(p, w);
	GArray *list = g_array_new(FALSE, FALSE, sizeof(size_t));
	size_t i;

	/* Several works: what belongs to none of them (other files, a
	 * companion no title claims) is kept with each. */
	bool many = p->works->len > 1;

	for (i = 0; i < p->files->len; i++)
		if (pfile(p, i)->work == (int)w || pfile(p, i)->shared ||
		    (pfile(p, i)->role == PLAN_OTHER && p->works->len == 1) ||
		    (many && pfile(p, i)->work < 0))
			g_array_append_val(list, i);
	work->file_count = list->len;
	work->files = (const size_t *)plan_own(p,
	    (char *)g_array_free(list, FALSE));
}

const struct campaign_file_kind *
plan_file_kind(const struct mailplan *p, const struct mailplan_file *f)
{
	size_t i;

	for (i = 0; f->kind != NULL && i < campaign_file_kind_count(p->c); i++)
		if (strcmp(campaign_file_kind(p->c, i)->name, f->kind) == 0)
			return campaign_file_kind(p->c, i);
	return NULL;
}

/* The category the rules of file f are read in: its work's, or the one
 * work's for a file of the whole mail. */
static const char *
file_category(struct mailplan *p, const struct mailplan_file *f)
{
	if (f->work >= 0)
		return pwork(p, (size_t)f->work)->category;
	if (p->works->len == 1)
		return pwork(p, 0)->category;
	return NULL;
}

/* What its content says of file i (contentrule.h): a program sinks the
 * mail whatever it was taken for; a misfit is its work's.  Whether a
 * name already said it is a program (.exe), the name said it first. */
static void
file_content(struct mailplan *p, size_t i, bool named_program)
{
	const struct mailplan_file *f = pfile(p, i);
	const char *mime = p->in->files[i].content;
	const struct campaign_file_kind *k = plan_file_kind(p, f);
	const struct content_rule *rule = NULL;
	enum content_verdict v;

	if (k != NULL)
		rule = campaign_content_rule(k, file_category(p, f));
	v = contentrule_judge(rule, mime);
	if (v == CONTENT_PROGRAM && !named_program)
		plan_text_content(p, i, v, mime, NULL, false);
	else if (v == CONTENT_MISFIT)
		plan_text_content(p, i, v, mime, rule->types, rule->warn);
}

bool
mailplan_file_wants_media(const struct mailplan *p, size_t i)
{
	struct mailplan *mp = (struct mailplan *)p;
	const struct mailplan_file *f;
	const struct campaign_file_kind *k;

	if (i >= p->files->len)
		return false;
	f = pfile(mp, i);
	k = plan_file_kind(mp, f);
	if (contentrule_is_archive(f->content))
		return true;
	return k != NULL && mediarule_wants(k->media, k->media_count,
	    file_category(mp, f), f->content);
}

bool
mailplan_file_wants_digest(const struct mailplan *p, size_t i)
{
	struct mailplan *mp = (struct mailplan *)p;
	const struct mailplan_file *f, *g;
	size_t j;

	if (i >= p->files->len)
		return false;
	f = pfile(mp, i);
	if (f->role != PLAN_WORK || f->marker == NULL || f->link || f->work < 0)
		return false;
	for (j = 0; j < p->files->len; j++) {
		g = pfile(mp, j);
		if (j != i && g->role == PLAN_WORK && g->work == f->work &&
		    !g->link && g->marker != NULL &&
		    strcmp(g->marker, f->marker) != 0)
			return true;
	}
	return false;
}

bool
mailplan_file_wants_entries(const struct mailplan *p, size_t i)
{
	struct mailplan *mp = (struct mailplan *)p;
	const struct mailplan_file *f;
	const char *category;
	size_t j;

	if (i >= p->files->len)
		return false;
	f = pfile(mp, i);
	if (f->role != PLAN_WORK || !contentrule_is_archive(f->content))
		return false;
	category = file_category(mp, f);
	for (j = 0; j < campaign_file_kind_count(p->c); j++) {
		const struct campaign_file_kind *k = campaign_file_kind(p->c, j);

		if (k->role == CAMPAIGN_FILE_WORK && k->media_count > 0 &&
		    campaign_file_kind_applies(k, category))
			return true;
	}
	return false;
}

/* What the headers and index of file i say against its kind's rules
 * (mediarule.h), in its work's category; the noun of the texts is the
 * category, else the kind. */
static void
file_media(struct mailplan *p, size_t i)
{
	const struct mailplan_file *f = pfile(p, i);
	const struct campaign_file_kind *k = plan_file_kind(p, f);
	const char *category = file_category(p, f);
	struct media_finding found[MEDIA_KEYS + 1];
	size_t n, j;

	if (k == NULL || f->media == NULL)
		return;
	n = mediarule_eval(k->media, k->media_count, category,
	    category != NULL ? category : k->name, f->content, f->media,
	    found);
	for (j = 0; j < n; j++)
		plan_text_media(p, i, &found[j]);
	mediarule_findings_clear(found, n);
}

/* Markers and sizes onto the files; versions told by type where the
 * name carries none (a scan as PDF, the form as Word). */
static void
files_details(struct mailplan *p)
{
	const struct campaign_works *cw = campaign_works(p->c);
	size_t i, j;

	for (i = 0; i < p->files->len; i++) {
		struct mailplan_file *f = pfile(p, i);
		const struct plan_name *n = &p->names[i];

		f->ext = n->ext;
		if (p->in->files[i].content != NULL &&
		    *p->in->files[i].content != '\0')
			f->content = plan_own(p, g_strdup(
			    p->in->files[i].content));
		f->episode = n->episode;
		f->marker = n->marker;
		for (j = 0; f->marker == NULL && f->role == PLAN_WORK &&
		    j < cw->version_count; j++)
			if (cw->versions[j].types != NULL &&
			    campaign_types_allow(cw->versions[j].types, n->ext))
				f->marker = cw->versions[j].name;
		if (p->in->files[i].size == 0)
			plan_text_empty(p, i);
		else if (f->role == PLAN_OTHER &&
		    g_strv_contains(program_types, n->ext))
			plan_text_program(p, i);
		else if (f->role == PLAN_OTHER && !f->link)
			plan_text_other(p, i);
		if (p->in->files[i].media != NULL)
			f->media = (const void *)plan_own(p, g_memdup2(
			    p->in->files[i].media,
			    sizeof(*f->media)));
		if (p->in->files[i].size != 0)
			file_content(p, i, g_strv_contains(program_types,
			    n->ext));
		file_media(p, i);
		plan_archive_check(p, i);
	}
}

bool
plan_has_work_file(struct mailplan *p, int w)
{
	size_t i;

	for (i = 0; i < p->files->len; i++)
		if (pfile(p, i)->role == PLAN_WORK && pfile(p, i)->work >= 0 &&
		    (w < 0 || pfile(p, i)->work == w))
			return true;
	return false;
}

/* A problem about a work's own file (its type) is that work's: under
 * per_mail = many it refuses that work, not its neighbours. */
static void
problems_to_works(struct mailplan *p)
{
	size_t i;

	for (i = 0; i < p->problems->len; i++) {
		struct mailplan_problem *pr = &g_array_index(p->problems,
		    struct mailplan_problem, i);

		if (pr->work < 0 && pr->file >= 0 &&
		    strcmp(pr->code, "type") == 0 &&
		    pfile(p, (size_t)pr->file)->work >= 0)
			pr->work = pfile(p, (size_t)pr->file)->work;
	}
}

/* ---- the plan ---- */

/* The one work file of work w, or -1 when it has none or several. */
static int
only_work_file(struct mailplan *p, size_t w)
{
	size_t i, n = 0;
	int only = -1;

	for (i = 0; i < p->files->len; i++) {
		if (pfile(p, i)->work == (int)w &&
		    pfile(p, i)->role == PLAN_WORK) {
			n++;
			only = (int)i;
		}
	}
	return n == 1 ? only : -1;
}

/* A work of one file whose name carries an episode word (红色天宁第一讲)
 * is that work with its title whole: matched again with the word kept,
 * so that 第二讲 sent later is another work, not the same one frozen. */
static void
single_episodes(struct mailplan *p)
{
	const struct grammar *g = campaign_grammar(p->c, GRAMMAR_FILENAME);
	struct campaign_works keep = *campaign_works(p->c);
	size_t w;

	keep.episodes = NULL;
	for (w = 0; g != NULL && w < p->works->len; w++) {
		struct mailplan_work *work = pwork(p, w);
		struct grammar_result *r = NULL, *old;
		g_autofree char *text = NULL, *why = NULL, *err = NULL;
		struct plan_name name;
		int f = only_work_file(p, w);

		if (work->from_subject || f < 0 || p->names[f].episode == 0)
			continue;
		plan_name_parse(&keep, p->in->files[f].name, &name);
		text = stripped_name(&name);
		plan_name_clear(&name);
		if (plan_match(g, text, &r, &why, &err) <= 0)
			continue;
		old = (struct grammar_result *)work->fields;
		if (g_ptr_array_remove(p->results, old))
			grammar_result_free(&old);
		g_ptr_array_add(p->results, r);
		work->fields = r;
		work->title = field_of(r, campaign_title_field(p->c));
		work->category = field_of(r, campaign_category_field(p->c));
		work->unit = field_of(r, campaign_unit_field(p->c));
		work->key = plan_own(p, work_key(r));
		p->names[f].episode = 0;
	}
}

/* Where the works come from: the subject, the file names, or (either)
 * both, a work named in both places being one. */
static int
plan_works(struct mailplan *p, char **error_r)
{
	enum convention_scope scope = campaign_scope(p->c);
	bool by_name = campaign_grammar(p->c, GRAMMAR_FILENAME) != NULL;
	GString *unnamed = g_string_new(NULL);
	int ret = 0;
	size_t i;

	if (scope != CONVENTION_FILENAME)
		ret = plan_subject_works(p, scope != CONVENTION_EITHER ||
		    !by_name, error_r);
	if (scope == CONVENTION_FILENAME ||
	    (scope == CONVENTION_EITHER && by_name)) {
		if (files_by_name(p, unnamed, ret < 0 ? NULL : error_r) < 0)
			ret = -1;
		/* Neither place names a work: what each lacks. */
		if (p->works->len == 0 && p->subject_why != NULL &&
		    (unnamed->len > 0 || mailplan_has(p, PLAN_REFUSE)))
			plan_text_subject(p, p->subject_why);
		if (p->works->len == 0 && unnamed->len > 0)
			plan_text_naming(p, (size_t)-1, unnamed->str);
	} else {
		for (i = 0; i < p->nnames; i++)
			if (!plan_link_unnamed(p, i))
				plan_subject_file(p, i);
	}
	plan_subject_check(p);
	g_string_free(unnamed, TRUE);
	return ret;
}

static void
plan_check(struct mailplan *p)
{
	size_t w;

	files_details(p);
	note_copies(p);
	if (p->nnames == 0) {
		/* links of a provider not accepted said why already */
		if (!p->links_refused)
			plan_text_no_attachment(p);
		return;
	}
	for (w = 0; w < p->works->len; w++)
		work_files(p, w);
	if (p->works->len > 1 && !campaign_works(p->c)->per_mail_many) {
		plan_text_one_work(p);
		return;
	}
	if (p->works->len == 0 || !plan_has_work_file(p, -1)) {
		if (!mailplan_has(p, PLAN_REFUSE))
			plan_text_no_work(p);
		return;
	}
	/* Each work on its own: what one lacks refuses that one only. */
	for (w = 0; w < p->works->len; w++) {
		if (!plan_has_work_file(p, (int)w)) {
			/* a work the subject lists was said to lack its file */
			if (!pwork(p, w)->from_subject || p->subject_works < 2)
				plan_text_work_no_file(p, w);
			continue;
		}
		plan_unit_check(p, w);
		plan_check_work(p, w);
		plan_form_work(p, w);
	}
	plan_form_files(p);
	problems_to_works(p);
}

int
mailplan_build(const struct campaign *c, const struct mailplan_input *in,
    struct mailplan **plan_r, char **error_r)
{
	struct mailplan *p = g_new0(struct mailplan, 1);
	size_t i;
	int ret;

	p->c = c;
	p->files = g_array_new(FALSE, TRUE, sizeof(struct mailplan_file));
	p->works = g_array_new(FALSE, TRUE, sizeof(struct mailplan_work));
	p->problems = g_array_new(FALSE, TRUE,
	    sizeof(struct mailplan_problem));
	p->owned = g_ptr_array_new_with_free_func(g_free);
	p->results = g_ptr_array_new();
	plan_links_merge(p, in);
	p->nnames = p->in->file_count;
	p->names = g_new0(struct plan_name, p->nnames + 1);
	g_array_set_size(p->files, p->in->file_count);
	for (i = 0; i < p->in->file_count; i++) {
		plan_name_parse(campaign_works(c), p->in->files[i].name,
		    &p->names[i]);
		pfile(p, i)->work = -1;
		pfile(p, i)->role = PLAN_OTHER;
		if (i >= p->attachments) {
			pfile(p, i)->link = true;
			pfile(p, i)->link_index = p->link_of[i - p->attachments];
		}
	}
	names_trailing(p);
	ret = plan_works(p, error_r);
	plan_links_place(p, in);
	single_episodes(p);
	companions(p);
	plan_check(p);
	plan_links_check(p, in);
	p->in = NULL;
	g_clear_pointer(&p->merged_files, g_free);
	g_clear_pointer(&p->link_of, g_free);
	*plan_r = p;
	return ret < 0 ? ret : 0;
}

void
mailplan_free(struct mailplan **pp)
{
	struct mailplan *p = *pp;
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->results->len; i++) {
		struct grammar_result *r = p->results->pdata[i];

		grammar_result_free(&r);
	}
	g_ptr_array_free(p->results, TRUE);
	for (i = 0; i < p->nnames; i++)
		plan_name_clear(&p->names[i]);
	g_free(p->names);
	g_array_free(p->files, TRUE);
	g_array_free(p->works, TRUE);
	g_array_free(p->problems, TRUE);
	g_ptr_array_free(p->owned, TRUE);
	plan_forms_free(p);
	g_free(p);
	*pp = NULL;
}

size_t
mailplan_work_count(const struct mailplan *p)
{
	return p->works->len;
}

const struct mailplan_work *
mailplan_work(const struct mailplan *p, size_t i)
{
	g_assert(i < p->works->len);
	return &g_array_index(p->works, struct mailplan_work, i);
}

/* Whether a work's field and a case's compare equal as keys. */
static bool
same_key(const char *a, const char *b)
{
	g_autofree char *ka = normalize_text(a ? a : "", NORMALIZE_KEY);
	g_autofree char *kb = normalize_text(b ? b : "", NORMALIZE_KEY);

	return strcmp(ka, kb) == 0;
}

int
mailplan_work_find(const struct mailplan *p, const char *title,
    const char *category, const char *unit)
{
	int by_title = -1;
	size_t i;

	for (i = 0; i < p->works->len; i++) {
		const struct mailplan_work *w = mailplan_work(p, i);

		if (!same_key(w->title, title))
			continue;
		if (same_key(w->category, category) &&
		    same_key(w->unit, unit))
			return (int)i;
		if (by_title < 0)
			by_title = (int)i;
	}
	return by_title;
}

size_t
mailplan_file_count(const struct mailplan *p)
{
	return p->files->len;
}

const struct mailplan_file *
mailplan_file(const struct mailplan *p, size_t i)
{
	g_assert(i < p->files->len);
	return &g_array_index(p->files, struct mailplan_file, i);
}

size_t
mailplan_problem_count(const struct mailplan *p)
{
	return p->problems->len;
}

const struct mailplan_problem *
mailplan_problem(const struct mailplan *p, size_t i)
{
	g_assert(i < p->problems->len);
	return &g_array_index(p->problems, struct mailplan_problem, i);
}

struct grammar_result *
mailplan_take_fields(struct mailplan *p, size_t i)
{
	struct grammar_result *r = (struct grammar_result *)
	    mailplan_work(p, i)->fields;
	bool mine;

	g_assert(r != NULL);
	mine = g_ptr_array_remove(p->results, r);
	g_assert(mine);
	return r;
}

bool
mailplan_has(const struct mailplan *p, enum mailplan_severity s)
{
	size_t i;

	for (i = 0; i < p->problems->len; i++)
		if (mailplan_problem(p, i)->severity == s)
			return true;
	return false;
}

/* Whether a problem of the mail's is an unpaired companion. */
static bool
problem_unpaired(const struct mailplan_problem *pr)
{
	return g_str_has_prefix(pr->code, "companion-unpaired:");
}

/* Which problems a text takes: every one of the severity (work ==
 * PLAN_EVERY_WORK), one work's, or the mail's own (-1), where an unpaired
 * companion is a warning whatever its severity: it refuses the work it
 * left without, not the mail. */
#define PLAN_EVERY_WORK	(-2)

static bool
problem_taken(const struct mailplan_problem *pr, int work,
    enum mailplan_severity s)
{
	if (pr->staff_only)
		return false;
	if (work == PLAN_EVERY_WORK)
		return pr->severity == s;
	if (work >= 0)
		return pr->work == work && pr->severity == s;
	if (pr->work >= 0)
		return false;
	if (s == PLAN_REFUSE)
		return pr->severity == s && !problem_unpaired(pr);
	return pr->severity == s || (s == PLAN_WARN && problem_unpaired(pr));
}

static char *
plan_join(const struct mailplan *p, int work, enum mailplan_severity s)
{
	GString *t = NULL;
	size_t i;

	for (i = 0; i < p->problems->len; i++) {
		const struct mailplan_problem *pr = mailplan_problem(p, i);

		if (!problem_taken(pr, work, s))
			continue;
		if (t == NULL)
			t = g_string_new(NULL);
		else
			g_string_append_c(t, '\n');
		g_string_append(t, pr->text);
	}
	return t != NULL ? g_string_free(t, FALSE) : NULL;
}

char *
mailplan_text(const struct mailplan *p, enum mailplan_severity s)
{
	return plan_join(p, PLAN_EVERY_WORK, s);
}

char *
mailplan_work_text(const struct mailplan *p, int work,
    enum mailplan_severity s)
{
	return plan_join(p, work, s);
}

const char *
mailplan_file_label(const struct mailplan *p, size_t i)
{
	const struct mailplan_file *f = mailplan_file(p, i);

	switch (f->role) {
	case PLAN_WORK:
		return campaign_is_nomination(p->c) && f->kind != NULL ?
		    f->kind : "作品文件";
	case PLAN_COMPANION:
		return f->kind;
	default:
		return "其他文件";
	}
}
