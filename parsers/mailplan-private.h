/*
 * mailplan_private: what the files of the mailplan module share.
 *
 *   mailplan.c        the plan: files into works, companions
 *   mailplan_subject.c  the works a subject names (several, joined, in
 *                     a campaign that takes several), their files
 *   mailplan_check.c  what each work lacks: versions, series, companions
 *   mailplan_name.c   a file name taken apart: extension, markers
 *                     (versions, notes, episodes), a Windows copy suffix
 *   mailplan_unit.c   a unit written in another field's place
 *   mailplan_link.c   cloud attachment links as files of the mail
 *   mailplan_text.c   the problems, in the words of the office
 */
#ifndef SUBGATE_MAILPLAN_PRIVATE_H
#define SUBGATE_MAILPLAN_PRIVATE_H

#include <glib.h>

#include "campaign.h"
#include "contentrule.h"
#include "mediarule.h"
#include "mailplan.h"

struct grammar;

/* A name taken apart (mailplan_name.c). */
struct plan_name {
	char *stem;		/* normalised, markers taken out */
	char *ext;		/* lower case, "" for none */
	const char *marker;	/* a version's name (the campaign's) */
	unsigned episode;	/* 0: none */
	unsigned trailing;	/* a final "(N)": a copy or an episode */
	bool copy;		/* "- 副本" */
	char *work_key;		/* a companion named like its work: that
				   work's key (mailplan.c) */
};

void plan_name_parse(const struct campaign_works *w, const char *name,
    struct plan_name *n);
void plan_name_clear(struct plan_name *n);
/* The subject with the declared markers and notes taken out, as a title
 * must not carry them (我的扶贫路（定稿）); g_free. */
char *plan_subject_strip(const struct campaign_works *w, const char *subject);
/* What the name marked that the convention has no field for, as a
 * name may carry it: "（有字幕）（第3集）" of its version and episode;
 * "" for none.  g_free. */
char *plan_name_markers(const struct campaign_works *w,
    const struct plan_name *n);
/* 1..99 from "3", "十二", "二十"; 0 when it is none. */
unsigned plan_number(const char *s, size_t len);
/* Whether the works declare "({n})" as an episode. */
bool plan_paren_episodes(const struct campaign_works *w);
/* Whether a comparison key matches one of globs (NULL: any). */
bool plan_glob_any(const char *const *globs, const char *key);

/* The plan being built. */
struct mailplan {
	const struct campaign *c;
	GArray *files;		/* struct mailplan_file */
	GArray *works;		/* struct mailplan_work */
	GArray *problems;	/* struct mailplan_problem */
	GPtrArray *owned;	/* strings and arrays handed out */
	GPtrArray *results;	/* grammar results */
	struct plan_name *names;
	size_t nnames;
	size_t subject_works;	/* works the subject named */
	const char *subject_why;	/* why it named none, where it need
					   not (either): said if no file
					   names one either */
	const struct mailplan_input *in;	/* while building: the
					   attachments and the links taken */
	struct mailplan_input merged;
	struct mailplan_file_in *merged_files;
	size_t *link_of;	/* file - attachments -> link index */
	size_t attachments;	/* files before the links */
	bool links_refused;	/* link-not-accepted refused the mail */
	/* Each work's registration form (mailplan_form.c), by work index:
	 * struct plan_form *, NULL where none was read; NULL: none yet. */
	GPtrArray *forms;
};

static inline struct mailplan_file *
pfile(struct mailplan *p, size_t i)
{
	return &g_array_index(p->files, struct mailplan_file, i);
}

static inline struct mailplan_work *
pwork(struct mailplan *p, size_t i)
{
	return &g_array_index(p->works, struct mailplan_work, i);
}

/* mailplan.c: a problem for staff only (struct mailplan_problem). */
void plan_problem_staff(struct mailplan *p, const char *code, int work,
    int file, char *text);
/* mailplan.c: the types of the campaign's first work kind (NULL: any):
 * whether the campaign named its work types at all. */
const char *const *plan_work_types(const struct campaign *c);
bool plan_kinds_declared(const struct campaign *c);
/* The first kind of a role whose types take ext and whose globs take the
 * name's key: for a companion, explicit globs only (or only kinds
 * without globs); for a work, any kind, its globs checked unless key is
 * NULL (the name met the convention: that says it is the work). */
const struct campaign_file_kind *plan_kind_find(const struct campaign *c,
    enum campaign_file_role role, const char *key, const char *ext,
    bool explicit_globs);
/* 1 matched (*r_r), 0 not (*why_r: the diagnosis), <0 the matcher failed
 * (*error_r, which may be NULL). */
int plan_match(const struct grammar *g, const char *text,
    struct grammar_result **r_r, char **why_r, char **error_r);
/* The work with these fields, made when new (its key is new); the plan
 * keeps r either way. */
size_t plan_work_for(struct mailplan *p, struct grammar_result *r,
    bool from_subject);
void plan_set_file(struct mailplan *p, size_t i, enum mailplan_role role,
    int work, const struct campaign_file_kind *k);
/* A file no work claimed: a companion, else (in a campaign that kept
 * allowed_extensions) a file of a type it does not take, else other. */
void plan_file_rest(struct mailplan *p, size_t i, const char *key);
/* The work whose title the file's name contains, the longest title
 * winning; between works of one title the one whose category the name
 * gives, else, for a work file (ext: its type; NULL for a companion),
 * the one whose category's work kinds take its type; -1 when none does,
 * or when it stays a tie. */
int plan_work_by_title(struct mailplan *p, size_t file, const char *ext);
/* Of the works flagged in tied (one flag per work), the one whose
 * category's work kinds (campaign_file_kind_applies) take ext; -1 when
 * none or several do, or ext is NULL. */
int plan_tie_by_type(struct mailplan *p, const bool *tied, const char *ext);
/* Whether the file's name holds a title two works of the mail share
 * (*first_r: the first of them): then no renaming to the title tells
 * them apart. */
bool plan_title_shared(struct mailplan *p, size_t file, size_t *first_r);
/* Whether work w has a file of its own (not only companions); w < 0:
 * whether any work has. */
bool plan_has_work_file(struct mailplan *p, int w);

/* mailplan_subject.c: the works the subject names (0 or more; <0 when
 * the matcher failed, *error_r), a problem when required and none is
 * named; file i taken as one of theirs, a companion, or the rest; and,
 * once every file is taken, the listed works left without a file. */
int plan_subject_works(struct mailplan *p, bool required, char **error_r);
void plan_subject_file(struct mailplan *p, size_t i);
void plan_subject_check(struct mailplan *p);

/* mailplan_link.c: the input's files and accepted links as one list
 * (p->merged, p->in pointing at it); whether file i is a link without a
 * name (left out of the name-judging loops); what such links are, and
 * links of a provider not accepted, once the works are known; links
 * expired and too many, once the plan is checked. */
void plan_links_merge(struct mailplan *p, const struct mailplan_input *in);
bool plan_link_unnamed(const struct mailplan *p, size_t i);
void plan_links_place(struct mailplan *p, const struct mailplan_input *in);
void plan_links_check(struct mailplan *p, const struct mailplan_input *in);

/* mailplan_form.c: work w's registration form read and judged
 * (form-blank, form-contradicts:FIELD, form-unrecognised); then each
 * form file that cannot be read (form-unreadable); and freeing. */
void plan_form_work(struct mailplan *p, size_t w);
void plan_form_files(struct mailplan *p);
void plan_forms_free(struct mailplan *p);
/* The kind a file was taken as, or NULL (another file). */
const struct campaign_file_kind *plan_file_kind(const struct mailplan *p,
    const struct mailplan_file *f);

/* mailplan_check.c: the versions, episodes and companions of work w. */
void plan_check_work(struct mailplan *p, size_t w);

/* mailplan_unit.c: work w's unit off the roster while another of its
 * fields holds a roster unit: refused, with the two exchanged.  And a
 * name the convention refused (file >= 0, or -1: the subject) that
 * meets it once a roster unit written in another field's place is
 * exchanged with what stands in the unit's: said so (true), in place
 * of the field-by-field diagnosis. */
void plan_unit_check(struct mailplan *p, size_t w);
bool plan_unit_misplaced_name(struct mailplan *p, int file);

/* A string the plan keeps. */
const char *plan_own(struct mailplan *p, char *s);
void plan_problem(struct mailplan *p, const char *code,
    enum mailplan_severity severity, int work, int file, char *text);
/* The same about entry of file, an archive. */
void plan_problem_entry(struct mailplan *p, const char *code,
    enum mailplan_severity severity, int work, int file, int entry,
    char *text);
/* Whether ext (lower case) is a program's that Windows runs. */
bool plan_program_type(const char *ext);

/* mailplan_archive.c: file's archive listing judged (as the header
 * says); and how many entries of work w's archives are named as
 * companion kind k. */
void plan_archive_check(struct mailplan *p, size_t file);
unsigned plan_archive_companions(struct mailplan *p, size_t w,
    const struct campaign_file_kind *k);

/* mailplan_text.c: the problems found, in Chinese. */
void plan_text_no_attachment(struct mailplan *p);
void plan_text_no_work(struct mailplan *p);
void plan_text_naming(struct mailplan *p, size_t file, const char *why);
/* The types are every work kind's. */
void plan_text_type(struct mailplan *p, size_t file);
void plan_text_empty(struct mailplan *p, size_t file);
void plan_text_other(struct mailplan *p, size_t file);
void plan_text_program(struct mailplan *p, size_t file);
/* An archive as a whole (code archive-unreadable, archive-limit,
 * archive-encrypted, inspect-failed) at severity s. */
void plan_text_archive(struct mailplan *p, size_t file, const char *code,
    enum mailplan_severity s);
/* Entry of archive file: a program (by content, else by name), an
 * archive not opened, a type its category does not take (kind: the
 * companion it was named as, NULL: a work file), what it measures. */
void plan_text_entry_program(struct mailplan *p, size_t file, size_t entry,
    bool by_content);
void plan_text_entry_path(struct mailplan *p, size_t file, size_t entry);
void plan_text_entry_nested(struct mailplan *p, size_t file, size_t entry);
void plan_text_entry_content(struct mailplan *p, size_t file, size_t entry,
    const char *const *types, const char *kind, bool warn);
void plan_text_entry_media(struct mailplan *p, size_t file, size_t entry,
    const struct media_finding *m);
/* A finding on an inspected video or audio file, about its work. */
void plan_text_media(struct mailplan *p, size_t file,
    const struct media_finding *m);
/* What a file's content is (contentrule.h): a program (the mail's,
 * refused) or a misfit of its kind (its work's; refused, or warned about
 * where the rule says warn). */
void plan_text_content(struct mailplan *p, size_t file,
    enum content_verdict verdict, const char *mime, const char *const *types,
    bool warn);
void plan_text_orphan(struct mailplan *p, size_t file, const char *kind);
void plan_text_copy(struct mailplan *p, size_t file, size_t of);
void plan_text_one_work(struct mailplan *p);
void plan_text_unpaired(struct mailplan *p, size_t file, const char *kind);
void plan_text_work_no_file(struct mailplan *p, size_t work);
void plan_text_work_unpaired(struct mailplan *p, size_t file);
void plan_text_listed_no_file(struct mailplan *p, size_t work);
/* at_least: n was counted, not divided (the subject may be cut short
 * too): a lower bound. */
void plan_text_too_many_works(struct mailplan *p, size_t n, size_t max,
    bool at_least);
void plan_text_version(struct mailplan *p, size_t work, const char *version,
    enum mailplan_severity s);
/* The work's file carries no version mark: need, the versions its
 * category requires, each shown as a whole file name. */
void plan_text_version_unmarked(struct mailplan *p, size_t work,
    const char *const *need, enum mailplan_severity s);
void plan_text_version_copy(struct mailplan *p, size_t work,
    const char *version, const char *copy_of, enum mailplan_severity s);
void plan_text_version_twice(struct mailplan *p, size_t work,
    const char *version);
void plan_text_series(struct mailplan *p, size_t work, unsigned min);
void plan_text_gap(struct mailplan *p, size_t work);
void plan_text_companion(struct mailplan *p, size_t work,
    const struct campaign_file_kind *k, unsigned have, unsigned want,
    enum mailplan_severity s, bool archive);
void plan_text_subject(struct mailplan *p, const char *why);
void plan_text_link_unnamed(struct mailplan *p, size_t file, bool several);
void plan_text_link_expired(struct mailplan *p, size_t file,
    int64_t expires_at);
void plan_text_link_not_accepted(struct mailplan *p, int provider,
    bool refuse);
void plan_text_too_many_links(struct mailplan *p, size_t max);
/* The registration form of work w, file `file`: blank (labels: those
 * left empty, "、" apart), a field that differs from the work's. */
void plan_text_form_blank(struct mailplan *p, size_t w, size_t file,
    const char *labels, enum mailplan_severity s);
void plan_text_form_contradicts(struct mailplan *p, size_t w, size_t file,
    const char *field, const char *label, const char *form_value,
    const char *work_value);

#endif
