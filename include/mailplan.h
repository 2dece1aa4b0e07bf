/*
 * mailplan: what one mail carries, in the campaign's terms: its works,
 * each with its files in roles (the work, a version of it, an episode, a
 * companion such as the 报名表), the files that belong to the whole mail,
 * the files of no declared kind, and the problems found, each with a
 * line of Chinese a county clerk can act on.
 *
 * The plan is what makes a mail with no work in it impossible to take
 * for a submission: a mail with only the registration form, with no
 * attachment, or with a misnamed video has no work, and that is a
 * problem that refuses the mail; a stamped 汇总表 beside a well-named
 * work is a companion and sinks nothing.
 *
 * How files are read (subgate.campaign(5), [works] and [file KIND]):
 *   - Each name is normalised and its extension split off; bracketed
 *     words that are a declared version (有字幕), note (盖章) or episode
 *     (第3集) are taken out and remembered, and so is a Windows copy
 *     suffix (" (1)", "- 副本").
 *   - In a file-name campaign a file whose name then meets the
 *     convention is a work file; files whose fields agree are one work
 *     (its versions, its episodes).  A file of a work type that does not
 *     meet it is a misnamed work, diagnosed by the grammar.  In a subject
 *     campaign the subject names the work, or several joined by a
 *     [works] joiner (；、 or spaces), cut only where every piece meets
 *     the convention; with one work every file of a work type is its,
 *     with several each pairs by title (山村新貌1.jpg), between works
 *     of one title by the category its name gives, else by its type
 *     (the work kinds of each category, campaign_file_kind_applies),
 *     and one that cannot refuses the mail (work-unpaired).  Under convention =
 *     either the works are those of the subject and those of the file
 *     names together, a work named in both places being one.
 *   - Other files are companions when a [file KIND] recognises them (its
 *     match globs, then its types), or else other files.
 *   - Then per work: required versions, the length of a series, and the
 *     companions each kind requires.
 *   - A cloud attachment link (cloudlink.h) the caller hands in is a
 *     file of the mail, after the attachments, its name the one its
 *     provider's block gives: judged like an attachment's (naming, kinds,
 *     pairing, companions), so a work sent as a QQ 超大附件 beside its
 *     报名表 is that work.  A link without a name (a Baidu share) is the
 *     work's file where the subject names one work, and otherwise
 *     refused (link-unnamed: no one can tell whose it is); a link of a
 *     provider the campaign's [links] accept leaves out is no file
 *     (link-not-accepted: refused when the mail then has no work file,
 *     said otherwise); a link already expired when the mail arrived
 *     refuses its work (link-expired); more links than the caller's
 *     limit refuse the mail (too-many-links).
 *   - And per file, by its content where the caller looked at it
 *     (contentrule.h): a program is refused whatever its name
 *     (content-program, the mail's), and a file of a kind with a
 *     content rule that its content does not fit is refused or warned
 *     about (content-type, its work's).
 *   - And per work, its registration form where a kind reads one
 *     (form.LABEL = FIELD) and the caller handed in the cells of its
 *     .docx (regform.h): a form sent blank is form-blank (refusing,
 *     warning or nothing as form_blank says), a form_check field whose
 *     value differs from the work's (after the field's aliases; the
 *     roster's for the unit) form-contradicts:FIELD, a warning, as
 *     either may be the wrong one.  A form that is not a .docx (.doc,
 *     PDF, a scan) is form-unreadable, and a .docx holding none of the
 *     labels form-unrecognised: notes for staff only.
 *   - And per archive the caller listed (archivelist.h, the facts'
 *     archive): a program inside refuses the mail (content-program,
 *     archive-program), an archive inside is a note (archive-nested);
 *     a work's archive that cannot be opened, goes over a limit or has
 *     a password refuses its work (archive-unreadable, archive-limit,
 *     archive-encrypted; warnings for other files); in a work's archive
 *     an entry named as a companion (报名表) is that companion, counted
 *     as present, any other must be of a type a work kind of the
 *     category takes (content-type) and meet its media rules (media-*).
 *     Each such problem names its entry (entry >= 0).
 *   - And per video or audio file the caller inspected (mediarule.h):
 *     its duration, resolution, aspect, frame rate, bitrate and sound
 *     against its kind's rules in its work's category (media-*, its
 *     work's, refusing or warning as the rule says); a file that could
 *     not be read is media-unreadable (refusing when it is the work's
 *     own file, a warning for a companion), one whose inspection failed
 *     a note for staff (inspect-failed).
 *
 * A campaign takes one work per mail by default (the planner refuses a
 * second distinct work with problem one-work-per-mail).  Under [works]
 * per_mail = many each work is checked on its own, and a work-scope
 * companion goes to the work whose title its name contains (the longest
 * title wins; none or a tie is companion-unpaired).  A problem about one
 * work carries its index (work >= 0) and refuses that work only; one
 * with work < 0 is the mail's (no-attachment, no-work, a misnamed file,
 * a file named with a roster unit in another field's place, an empty file, another file refused, a work file no work of the
 * subject's can claim, a subject of more than 20 works), except
 * companion-unpaired, which
 * is said but refuses no work of itself: the works it was for lack it.
 *
 * Pure: no I/O, no database, no clock, no logging.  A plan is immutable
 * once built; its strings live as long as the plan.
 */
#ifndef SUBGATE_MAILPLAN_H
#define SUBGATE_MAILPLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct campaign;
struct grammar_result;
struct mailplan;
struct media_facts;
struct regform_cells;
struct regform_result;

#define MAILPLAN_SIZE_UNKNOWN	UINT64_MAX
/* Works one subject may name (joined by [works] joiners).  A unit's batch
 * is a handful; more is a list pasted into the subject, refused as
 * too-many-works rather than matched piece by piece.  The planner is
 * handed a campaign, not a struct mail_limits, so the bound is here. */
#define MAILPLAN_SUBJECT_WORKS	20

struct mailplan_file_in {
	const char *name;		/* as message_attachment_name() */
	uint64_t size;			/* decoded bytes, or SIZE_UNKNOWN */
	bool name_derived;		/* made up by the MIME walk: 附件2 */
	/* The MIME type its first bytes show (contenttype.h); NULL or "":
	 * not looked at, and judged by its name alone. */
	const char *content;
	/* What its headers and index say (mediarule.h); NULL: not
	 * inspected (mailplan_file_wants_media()). */
	const struct media_facts *media;
	/* Its bytes' SHA-256 in hex, where the caller was asked for it
	 * (mailplan_file_wants_digest()); NULL: not known.  Two versions of
	 * one work with the same bytes are one version sent twice. */
	const char *digest;
	/* The cells of a .docx of a kind with a form (regform.h), as the
	 * inspecting process read them; NULL: not read
	 * (mailplan_file_wants_form()). */
	const struct regform_cells *form;
};

/* A cloud attachment link of the body (cloudlink.h). */
struct mailplan_link_in {
	const char *name;		/* from its block; NULL: none */
	uint64_t size;			/* 0: unknown */
	int provider;			/* enum cloudlink_provider */
	int64_t expires_at;		/* unix time; 0: unknown or none */
	const char *expires_text;	/* as the block wrote it, or NULL */
	bool quoted;			/* from quoted earlier mail: not a
					   file of this one */
};

struct mailplan_input {
	const char *subject;
	const struct mailplan_file_in *files;
	size_t file_count;
	const struct mailplan_link_in *links;
	size_t link_count;
	size_t links_over;		/* links past the caller's limit */
	int64_t arrival;		/* unix time links expire against; 0:
					   not judged */
};

enum mailplan_role {
	PLAN_WORK,			/* the work's own file */
	PLAN_COMPANION,			/* a declared kind beside it */
	PLAN_OTHER,			/* of no declared kind */
};

/* One per input file, in the same order, then one per link the campaign
 * accepts, in the order of the links. */
struct mailplan_file {
	enum mailplan_role role;
	int work;		/* its work, -1: the mail's (or none) */
	const char *kind;	/* the [file KIND] name; NULL for other files */
	bool shared;		/* a mail or unit companion: every work's */
	const char *marker;	/* the version it is, or NULL */
	unsigned episode;	/* 0: not an episode */
	const char *ext;	/* lower case, without the dot; "" for none */
	const char *content;	/* its type by content, as given; NULL: not
				   looked at */
	const struct media_facts *media;	/* a copy of the input's */
	bool link;		/* a cloud attachment link */
	size_t link_index;	/* which, in the input's links */
};

struct mailplan_work {
	/* Its fields, from the subject or its first work file's name,
	 * matched with markers taken out; the title is the work's. */
	const struct grammar_result *fields;
	const char *title, *category, *unit;	/* NULL when the campaign
						   has no such field */
	const char *key;	/* the fields' comparison keys, joined */
	bool from_subject;
	size_t file_count;	/* its own files and companions */
	const size_t *files;	/* indexes into the input */
	size_t version_count;
	const char *const *versions;	/* markers present, declared order */
	size_t episode_count;
	const unsigned *episodes;	/* ascending */
};

enum mailplan_severity {
	PLAN_REFUSE,		/* the mail gets a correction */
	PLAN_WARN,		/* accepted; the receipt says it */
	PLAN_NOTE,		/* listed, nothing more */
};

struct mailplan_problem {
	const char *code;	/* "no-work", "companion-missing:报名表" ... */
	enum mailplan_severity severity;
	int work, file;		/* what it is about; -1: none */
	int entry;		/* of file, an archive: which of its entries
				   (archivelist.h items); -1: the file */
	const char *text;	/* one line of Chinese */
	bool staff_only;	/* a note for staff (case.json, cases show),
				   never in a reply: mailplan_text() and
				   mailplan_work_text() leave it out */
};

/* 0 and *plan_r (mailplan_free), or <0 when the matcher failed on a
 * name (a PCRE2 limit; *error_r says which): the plan still exists and
 * carries the problem, so the mail is answered, not retried. */
int mailplan_build(const struct campaign *c, const struct mailplan_input *in,
    struct mailplan **plan_r, char **error_r);
void mailplan_free(struct mailplan **plan);

size_t mailplan_work_count(const struct mailplan *p);
const struct mailplan_work *mailplan_work(const struct mailplan *p,
    size_t i);
size_t mailplan_file_count(const struct mailplan *p);
const struct mailplan_file *mailplan_file(const struct mailplan *p,
    size_t i);
size_t mailplan_problem_count(const struct mailplan *p);
const struct mailplan_problem *mailplan_problem(const struct mailplan *p,
    size_t i);
/* The work a case was filed as, told by the case's title, category and
 * unit (any may be NULL: the campaign has no such field) compared as
 * work keys compare them (normalised): the work all three name, else the
 * first of that title; -1 when no work has it. */
int mailplan_work_find(const struct mailplan *p, const char *title,
    const char *category, const char *unit);
/* Hands work i's fields over to the caller (grammar_result_free); the
 * work's own pointers into them stay valid only as long as the caller
 * keeps them. */
struct grammar_result *mailplan_take_fields(struct mailplan *p, size_t i);
/* Whether any problem has this severity. */
bool mailplan_has(const struct mailplan *p, enum mailplan_severity s);
/* The problems of one severity, one line each (g_free); NULL: none. */
char *mailplan_text(const struct mailplan *p, enum mailplan_severity s);
/* The problems of one work of one severity, one a line (g_free); work
 * -1: the mail's own (work < 0), where an unpaired companion is said
 * among the warnings, never the refusals.  NULL: none. */
char *mailplan_work_text(const struct mailplan *p, int work,
    enum mailplan_severity s);
/* Whether file i is video or audio (by content) of a kind with a media
 * rule in its work's category, or an archive (whatever it was taken
 * for: a program inside is refused): whether inspecting it can tell
 * anything (the caller then builds the plan again with the facts). */
bool mailplan_file_wants_media(const struct mailplan *p, size_t i);
/* Whether file i is one version of a work sent with another version
 * (初心如磐（有字幕）, 初心如磐（无字幕）): its digest tells whether the two
 * are really different files, and the plan is built again with it.  For
 * every other file the bytes are not read twice. */
bool mailplan_file_wants_digest(const struct mailplan *p, size_t i);
/* Whether file i is a Word .docx (by content, else by name) of a kind
 * with a form (form.LABEL = FIELD): whether its cells are worth reading
 * (the caller then builds the plan again with them). */
bool mailplan_file_wants_form(const struct mailplan *p, size_t i);
/* Work w's registration form as read from its first .docx of a kind
 * with a form (*file_r: which file); NULL when none was read.  Borrowed
 * from the plan. */
const struct regform_result *mailplan_work_form(const struct mailplan *p,
    size_t w, size_t *file_r);
/* Whether file i is a work's archive whose category has media rules
 * that its entries could be judged by: whether they are worth
 * extracting and measuring, not only listing. */
bool mailplan_file_wants_entries(const struct mailplan *p, size_t i);
/* What file i is to people: "作品文件", "报名表", "其他文件"; where people
 * are put forward (submission = 报名) a work's file is called by its
 * kind ("报名表"), since there is no work. */
const char *mailplan_file_label(const struct mailplan *p, size_t i);

#endif
