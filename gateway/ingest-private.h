/*
 * ingest_private: what the files of the ingest stage share.
 *
 *   ingest.c        one message: read, judge, file, record, answer
 *   ingest_works.c  a mail of several works (per_mail = many): each
 *                   work judged, one case folder per work filed, all of
 *                   them recorded in the one transaction, one reply
 *   ingest_links.c  the cloud attachment links of the body, and those
 *                   each case is filed with
 *   ingest_split.c  a case filed alone before works were recorded, the
 *                   one work it stays and the others filed beside it
 */
#ifndef SUBGATE_INGEST_PRIVATE_H
#define SUBGATE_INGEST_PRIVATE_H

#include <glib.h>

#include "case_json.h"
#include "db.h"
#include "ingest.h"
#include "judge.h"
#include "loopguard.h"
#include "reply.h"

struct cloudlink_set;
struct grammar_result;
struct mailplan;
struct message;
struct store_case;
struct ingest_work;
struct ingest_split;
struct ingest_scan;

struct ingest {
	const struct config *config;
	struct store *store;
	struct db *db;
};

/* A case the message made before, changed with the new ones: its place
 * in the group and its case.json (NULL: as it is), replaced inside the
 * transaction and put back when the commit fails. */
struct ingest_kept_case {
	const char *receipt;
	unsigned group_pos;			/* 0: left as it is */
	const char *json_path;
	const char *json, *json_old;
	size_t json_old_len;
};

/* What one message leaves in the database, all in one transaction. */
struct ingest_record {
	const struct db_message *row;
	int64_t update_row;			/* >0: update this row instead */
	const struct db_case *dcases;		/* the cases made, or none */
	size_t case_count;
	/* Every work of the mail, filed or not; recorded anew when the
	 * message is judged again (update_row). */
	const struct db_message_work *mworks;
	size_t mwork_count;
	/* The cloud attachment links of the cases made. */
	const struct db_case_link *links;
	size_t link_count;
	const char *const *superseded;		/* receipts marked superseded */
	size_t superseded_count;
	const char *reply_kind;
	const char *reply_to;
	const char *reply_data;			/* NULL: no reply */
	size_t reply_len;
	const char *reply_id;
	const struct message *bounce;		/* replies it reports bounced */
	/* A person's question (question.h; message_row is set by the
	 * commit), and its forward to staff (NULL: none). */
	const struct db_question *question;
	const char *forward_data;
	size_t forward_len;
	const char *forward_id;
	const struct ingest_kept_case *kept;	/* or NULL */
	/* Infected files kept in the quarantine (message_row is set by the
	 * commit). */
	const struct db_quarantine *quarantined;
	size_t quarantined_count;
};

/* The cloud attachment links one case is filed with: json[i], rows[i]
 * and reply[i] are one link (rows and reply point into json and
 * owned). */
struct ingest_case_links {
	size_t count;
	struct case_link *json;
	struct db_case_link *rows;
	struct reply_link *reply;
	GPtrArray *owned;
};

/* A work's registration form for its case (ingest_form.c). */
struct ingest_form {
	bool read;			/* the plan read one: json is set */
	struct case_form json;		/* borrowed from the plan and saved */
	char *fields_json;		/* cases.form_json; NULL: no labels
					   were found */
};

/* One message on its way through ingest_message(), phase by phase. */
struct ingest_job {
	struct ingest *ingest;
	const struct campaign *campaign;
	const char *path;
	const struct ingest_source *source;
	struct message *msg;
	char sha[65];
	uint64_t size;
	GDateTime *arrival;
	char *arrival_text, *arrival_iso;
	char *keep_name;
	struct loopguard_finding automatic;
	/* A question: what it answers (receipt or 查询码), its text, and
	 * the forward to staff. */
	char *question_answers, *question_text;
	struct db_question question;
	char *forward_data, *forward_id;
	size_t forward_len;
	char **content;			/* each attachment's type by content */
	/* What each video or audio attachment measures (ingest_media.c);
	 * NULL, or NULL where one was not inspected. */
	struct media_facts **media;
	/* The cells of each .docx read as a registration form, beside
	 * media (NULL entries: not read). */
	struct regform_cells **forms;
	struct cloudlink_set *links;	/* of the body; NULL: not read */
	struct ingest_case_links clinks;	/* the one case's */
	struct judge_names names;
	char *same_receipt, *same_dir;
	struct verdict verdict;
	struct db_message row;
	struct db_case dcase;
	struct ingest_record rec;
	struct store_case *sc;
	char *receipt, *case_dir, *fields_json;
	struct ingest_form form;	/* the one case's registration form */
	char *batch;			/* campaign_batch_for(), or NULL */
	char *deadline;			/* judge_deadline_text() */
	char *pending_warnings;		/* a pending work's receipt says why */
	GArray *saved;			/* struct case_attachment */
	struct reply reply;
	struct reply_field *rfields;
	struct reply_attachment *ratt;
	char *reply_data, *reply_id;
	size_t reply_len;
	/* A mail of several works (ingest_works.c); NULL: one case at most. */
	struct ingest_work *works;
	size_t work_count;
	struct db_case *dcases;		/* the filed works', for rec */
	GArray *dlinks;			/* struct db_case_link: their links */
	const char **superseded;
	struct reply_work *rworks;
	size_t rwork_count;
	struct db_message_work *mworks;	/* every work, for rec */
	/* Reprocessing a mail that filed works: what it filed, by work key
	 * (-> receipt, in filed_rows), left as it is; NULL otherwise. */
	GHashTable *filed;
	GPtrArray *filed_rows;		/* char * receipt, g_free */
	char *filed_first;		/* the message's first receipt */
	unsigned filed_count;		/* its cases: group_pos runs on */
	size_t works_new;		/* works filed now */
	/* Splitting (source->split_receipt): the case as it was. */
	struct ingest_split *split;
	/* What clamd said of each attachment ([policy] scan = clamd), or
	 * NULL when not scanned. */
	struct ingest_scan *scan;
};

/* The form the plan read for work (its index in the plan), its file
 * found among saved (the case's attachments) by the name msg gave it;
 * out->read false when there is none.  Valid while the plan and saved
 * are. */
void ingest_form_collect(const struct mailplan *plan, int work,
    const struct message *msg, GArray *saved, struct ingest_form *out);
void ingest_form_clear(struct ingest_form *f);

/* The fields of a grammar result as the arrays case_json takes. */
struct ingest_fields {
	const char **names, **values, **originals;
	size_t count;
};

/* ingest_media.c: the video and audio the campaign has rules for,
 * measured, and the plan built again with the facts; <0: the
 * environment (the store's disk, no process for the child). */
int ingest_media(struct ingest_job *job, char **error_r);
/* Before job->msg is freed. */
void ingest_media_clear(struct ingest_job *job);

void saved_attachment_clear(gpointer p);
void ingest_fields_get(const struct grammar_result *res,
    struct ingest_fields *f);
void ingest_fields_clear(struct ingest_fields *f);
char *ingest_case_json(const struct campaign *campaign, const char *receipt,
    const char *status, const struct message *msg,
    const struct ingest_fields *f, const char *arrival, const char *batch,
    const char *raw_sha, GArray *saved,
    const struct ingest_case_links *links, const struct ingest_form *form);
void ingest_attachment_role(const struct mailplan *plan, size_t i,
    struct case_attachment *a);
char *ingest_receipt(const struct campaign *campaign, unsigned seq);
int ingest_commit(struct ingest *ingest, const struct ingest_record *rec,
    const struct ingest_source *source, char **error_r);
void ingest_mark_superseded(struct ingest *ingest, const char *dir);
/* The database's view of one work (fields): the earlier case of the same
 * work into f->same_receipt (*same_receipt_r, *same_dir_r: g_free), the
 * counts its quotas are judged by and what staff said of the sender for
 * its unit (f->sender). */
int ingest_read_counts(const struct ingest *ingest,
    const struct campaign *campaign, const struct grammar_result *fields,
    struct judge_facts *f, char **same_receipt_r, char **same_dir_r,
    char **error_r);

/* ingest_links.c: the links of msg's body, read in the campaign's zone
 * (<0 only for a bug: a pattern that does not compile). */
int ingest_links_find(const struct campaign *c, const struct message *msg,
    struct cloudlink_set **set_r, char **error_r);
/* The links of the plan's files that go to work (its own and the
 * mail's; -1: every link), for the case of receipt. */
void ingest_links_collect(const struct campaign *c,
    const struct cloudlink_set *set, const struct mailplan *plan, int work,
    const char *receipt, struct ingest_case_links *out);
void ingest_links_clear(struct ingest_case_links *l);

/* ingest_works.c: after judge_run() let a mail of several works through
 * (names.several), each work judged (job->verdict becomes the mail's). */
int ingest_works_judge(struct ingest_job *job, const struct judge_facts *f,
    char **error_r);
/* The accepted works' case folders, built in .tmp, and the receipt. */
int ingest_works_file(struct ingest_job *job, char **error_r);
/* The folders into place, then the one transaction. */
int ingest_works_record(struct ingest_job *job, char **error_r);
void ingest_works_clear(struct ingest_job *job);
/* Reprocessing (source->reprocess_row): the works the message already
 * filed, which stay as they are.  0 when it filed none. */
int ingest_works_load_filed(struct ingest_job *job, char **error_r);
/* The receipt work w was filed under now, or NULL. */
const char *ingest_works_receipt(const struct ingest_job *job, size_t w);
/* Every work of the mail as message_works records it (rec.mworks), from
 * the verdicts: each work's own when each was judged, else the mail's;
 * none for a duplicate or automatic mail. */
void ingest_works_rows(struct ingest_job *job);

/* ingest_scan.c: every attachment through clamd where the campaign
 * scans (FAULT_ENVIRONMENT when clamd cannot say), before judge_run(). */
int ingest_scan_run(struct ingest_job *job, char **error_r);
/* The infected files' names (NULL-terminated) and the first one's
 * signature, or NULL when none is. */
const char *const *ingest_scan_infected(const struct ingest_job *job,
    const char **signature_r);
/* Refused as infected: the infected files and the mail written to the
 * quarantine, and rec.quarantined set for the commit. */
int ingest_scan_quarantine(struct ingest_job *job, char **error_r);
/* What the scan said of attachment i, for case.json (nothing when not
 * scanned). */
void ingest_scan_note(const struct ingest_job *job, size_t i,
    struct case_attachment *a);
void ingest_scan_clear(struct ingest_job *job);

/* ingest_split.c, splitting (source->split_receipt), after judge_names():
 * the case's work kept (job->filed), the others judged; a mail that
 * cannot be split is refused with why (job->works stays NULL). */
int ingest_split_judge(struct ingest_job *job, const struct judge_facts *f,
    char **error_r);
/* Once the new cases are built: the kept case's place in the group and
 * its case.json with the moved files marked (rec.kept). */
int ingest_split_file(struct ingest_job *job, char **error_r);
void ingest_split_clear(struct ingest_job *job);

#endif
