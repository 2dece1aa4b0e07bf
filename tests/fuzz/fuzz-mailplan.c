/*
 * libFuzzer target: the plan of a mail (mailplan.h) from untrusted
 * subjects and attachment names, against every campaign in
 * contrib/campaigns (or $SUBGATE_CAMPAIGNS).  The first byte picks the
 * campaign; the rest is lines: the subject, then one attachment name a
 * line (a name ending in "#0" is an empty file).  Invariants that would
 * mean a bug abort(), the first among them the one the module exists
 * for (check_works); a subject of several works joined (；、 spaces) is
 * cut by mailplan_subject.c, bounded and checked (check_subject_works).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "campaign.h"
#include "fuzz-campaigns.h"
#include "mailplan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Attachments one input may name: a mail's limit is far above, but the
 * planner's work grows with names, not with their number. */
#define FUZZ_FILES	64

static GPtrArray *campaigns;

/* The invariant the module exists for: a plan that refuses nothing
 * has a work, each work a file of its own, and one work only unless the
 * campaign takes several per mail. */
static void
check_works(const struct campaign *c, const struct mailplan *p, size_t nfiles)
{
	size_t w, i, n = mailplan_work_count(p);

	if (mailplan_has(p, PLAN_REFUSE))
		return;
	if (n == 0 || (n > 1 && !campaign_works(c)->per_mail_many))
		abort();
	for (w = 0; w < n; w++) {
		bool own = false;

		for (i = 0; i < nfiles && !own; i++)
			own = mailplan_file(p, i)->role == PLAN_WORK &&
			    mailplan_file(p, i)->work == (int)w;
		if (!own)
			abort();
	}
}

/* A subject cut into works: never more than the bound, each work with
 * a title of its own (a cut never leaves an empty piece), and a work file
 * that no work claimed is said to be so. */
static void
check_subject_works(const struct mailplan *p, size_t nfiles)
{
	size_t w, i, listed = 0;

	for (w = 0; w < mailplan_work_count(p); w++) {
		const struct mailplan_work *work = mailplan_work(p, w);

		if (!work->from_subject)
			continue;
		listed++;
		if (work->title != NULL && *work->title == '\0')
			abort();
	}
	if (listed > MAILPLAN_SUBJECT_WORKS)
		abort();
	for (i = 0; i < mailplan_problem_count(p); i++) {
		const struct mailplan_problem *pr = mailplan_problem(p, i);

		if (strcmp(pr->code, "work-unpaired") == 0 &&
		    (pr->file < 0 || (size_t)pr->file >= nfiles ||
		    pr->severity != PLAN_REFUSE ||
		    mailplan_file(p, (size_t)pr->file)->work != -1))
			abort();
	}
}

/* A misnamed file's line to copy, its markers put back, still names a
 * file: something before the extension, and a line of its own. */
static void
check_naming_fix(const struct mailplan_problem *pr)
{
	const char *mark = "请将文件名改为：", *at;
	const char *end;

	if (strcmp(pr->code, "naming") != 0 || pr->file < 0 ||
	    (at = strstr(pr->text, mark)) == NULL)
		return;
	at += strlen(mark);
	end = strchr(at, '\n');
	if (end == NULL || end == at || *at == '.')
		abort();
}

static void
check_plan(const struct campaign *c, const struct mailplan *p, size_t nfiles)
{
	size_t i;

	if (mailplan_file_count(p) != nfiles)
		abort();
	for (i = 0; i < nfiles; i++) {
		const struct mailplan_file *f = mailplan_file(p, i);

		if (f->work >= (int)mailplan_work_count(p) || f->work < -1 ||
		    mailplan_file_label(p, i) == NULL)
			abort();
	}
	for (i = 0; i < mailplan_problem_count(p); i++) {
		const struct mailplan_problem *pr = mailplan_problem(p, i);

		if (pr->work >= (int)mailplan_work_count(p) ||
		    pr->file >= (int)nfiles || pr->text == NULL ||
		    !g_utf8_validate(pr->text, -1, NULL))
			abort();
		check_naming_fix(pr);
	}
	check_subject_works(p, nfiles);
	check_works(c, p, nfiles);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const contents[] = {
		NULL, "", "video/mp4", "application/octet-stream",
		"application/x-dosexec", "application/vnd.openxmlformats-"
		"officedocument.wordprocessingml.document",
	};
	struct mailplan_file_in files[FUZZ_FILES];
	struct mailplan_input in = { .files = files };
	struct mailplan *p = NULL;
	const struct campaign *c;
	char *text, *err = NULL, **lines;
	size_t i;

	if (campaigns == NULL)
		campaigns = fuzz_load_campaigns();
	if (size < 1)
		return 0;
	/* every field the harness does not set (media facts, say) is none */
	memset(files, 0, sizeof(files));
	text = g_strndup((const char *)data + 1, size - 1);
	lines = g_strsplit(text, "\n", FUZZ_FILES + 1);
	in.subject = lines[0];
	for (i = 1; lines[0] != NULL && lines[i] != NULL &&
	    in.file_count < FUZZ_FILES; i++) {
		struct mailplan_file_in *f = &files[in.file_count++];

		f->name = lines[i];
		f->size = g_str_has_suffix(lines[i], "#0") ? 0 : 1024;
		f->name_derived = (lines[i][0] & 1) != 0;
		/* The type by content the caller found, or none. */
		f->content = contents[((unsigned char)lines[i][0] >> 1) %
		    G_N_ELEMENTS(contents)];
	}
	c = campaigns->pdata[data[0] % campaigns->len];
	(void)mailplan_build(c, &in, &p, &err);
	if (p == NULL)
		abort();
	check_plan(c, p, in.file_count);
	mailplan_free(&p);
	g_free(err);
	g_strfreev(lines);
	g_free(text);
	return 0;
}
