/*
 * mailplan_private: what the files of the mailplan module share.
 *
 *   mailplan.c        the plan: files into works, companions
 *   mailplan_check.c  what each work lacks: versions, series, companions
 *   mailplan_name.c   a file name taken apart: extension, markers
 *                     (versions, notes, episodes), a Windows copy suffix
 *   mailplan_text.c   the problems, in the words of the office
 */
#ifndef SUBGATE_MAILPLAN_PRIVATE_H
#define SUBGATE_MAILPLAN_PRIVATE_H

#include <glib.h>

#include "campaign.h"
#include "mailplan.h"

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
	const struct mailplan_input *in;	/* while building */
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

/* mailplan.c: the types of the campaign's first work kind (NULL: any),
 * as replies state them. */
const char *const *plan_work_types(const struct campaign *c);

/* mailplan_check.c: the versions, episodes and companions of work w. */
void plan_check_work(struct mailplan *p, size_t w);

/* A string the plan keeps. */
const char *plan_own(struct mailplan *p, char *s);
void plan_problem(struct mailplan *p, const char *code,
    enum mailplan_severity severity, int work, int file, char *text);

/* mailplan_text.c: the problems found, in Chinese. */
void plan_text_no_attachment(struct mailplan *p);
void plan_text_no_work(struct mailplan *p);
void plan_text_naming(struct mailplan *p, size_t file, const char *why);
void plan_text_type(struct mailplan *p, size_t file,
    const char *const *types);
void plan_text_empty(struct mailplan *p, size_t file);
void plan_text_other(struct mailplan *p, size_t file);
void plan_text_program(struct mailplan *p, size_t file);
void plan_text_orphan(struct mailplan *p, size_t file, const char *kind);
void plan_text_copy(struct mailplan *p, size_t file, size_t of);
void plan_text_one_work(struct mailplan *p);
void plan_text_unpaired(struct mailplan *p, size_t file, const char *kind);
void plan_text_work_no_file(struct mailplan *p, size_t work);
void plan_text_version(struct mailplan *p, size_t work, const char *version,
    enum mailplan_severity s);
void plan_text_version_twice(struct mailplan *p, size_t work,
    const char *version);
void plan_text_series(struct mailplan *p, size_t work, unsigned min);
void plan_text_gap(struct mailplan *p, size_t work);
void plan_text_companion(struct mailplan *p, size_t work,
    const struct campaign_file_kind *k, unsigned have, unsigned want,
    enum mailplan_severity s, bool archive);
void plan_text_subject(struct mailplan *p, const char *why);

#endif
