/* ingest: see include/ingest.h. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <gmime/gmime.h>

#include "archivelist.h"
#include "campaign.h"
#include "case_json.h"
#include "cloudlink.h"
#include "case_record.h"
#include "config.h"
#include "contenttype.h"
#include "crashpoint.h"
#include "db.h"
#include "fault.h"
#include "fdio.h"
#include "grammar.h"
#include "inspect.h"
#include "judge.h"
#include "ingest.h"
#include "log.h"
#include "loopguard.h"
#include "mailplan.h"
#include "mail_limits.h"
#include "message.h"
#include "outbox.h"
#include "question.h"
#include "reply.h"
#include "sha256.h"
#include "store.h"
#include "ingest-private.h"


int
ingest_new(const struct config *config, struct store *store, struct db *db,
    struct ingest **ingest_r, char **error_r)
{
	struct ingest *ingest = g_new0(struct ingest, 1);

	(void)error_r;
	ingest->config = config;
	ingest->store = store;
	ingest->db = db;
	*ingest_r = ingest;
	return 0;
}

void
ingest_free(struct ingest **ingestp)
{
	g_clear_pointer(ingestp, g_free);
}

void
ingest_result_clear(struct ingest_result *result)
{
	result->outcome = OUTCOME_ACCEPTED;
	g_clear_pointer(&result->receipt, g_free);
	g_clear_pointer(&result->reason, g_free);
	g_clear_pointer(&result->case_dir, g_free);
}

static int
file_sha256(const char *path, char hex_r[65], uint64_t *size_r,
    char **error_r)
{
	struct sha256 sum;
	char buf[65536];
	ssize_t n;
	int e, fd = fd_open_regular(path);

	if (fd < 0) {
		e = errno;
		*error_r = g_strdup_printf("%s: %s", path, g_strerror(e));
		return fault_errno(e);
	}
	/* GnuTLS fails only when memory runs out: not the message's fault. */
	if (sha256_init(&sum, error_r) < 0) {
		close(fd);
		return FAULT_ENVIRONMENT;
	}
	*size_r = 0;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		sha256_update(&sum, buf, (size_t)n);
		*size_r += (uint64_t)n;
	}
	e = errno;
	close(fd);
	if (n < 0) {
		*error_r = g_strdup_printf("%s: %s", path, g_strerror(e));
		sha256_abort(&sum);
		return fault_errno(e);
	}
	sha256_final_hex(&sum, hex_r);
	return 0;
}

/*
 * The arrival time that deadlines are judged by: the server's
 * (INTERNALDATE) when we have it; offline, the topmost Received: header,
 * which our own server wrote; else Date:, which the sender's clock wrote.
 */
static GDateTime *
ingest_arrival(const struct message *msg, const struct ingest_source *source)
{
	const char *received, *semi;
	GDateTime *dt = NULL;

	if (source->arrival != 0)
		return g_date_time_new_from_unix_utc(source->arrival);
	received = message_header(msg, "Received");
	if (received != NULL && (semi = strrchr(received, ';')) != NULL)
		dt = g_mime_utils_header_decode_date(semi + 1);
	if (dt == NULL && message_date(msg) != NULL)
		dt = g_mime_utils_header_decode_date(message_date(msg));
	return dt ? dt : g_date_time_new_now_utc();
}

/* The work of a mail of several that a case was filed for: the one of
 * its title, two of one title told apart by category; -1 when none is
 * (the campaign now reads the mail otherwise). */
static int
rematch_work(const struct mailplan *plan, const char *title,
    const char *category)
{
	size_t i;
	int by_title = -1;

	for (i = 0; i < mailplan_work_count(plan); i++) {
		const struct mailplan_work *w = mailplan_work(plan, i);

		if (g_strcmp0(w->title, title) != 0)
			continue;
		if (g_strcmp0(w->category, category) == 0)
			return (int)i;
		if (by_title < 0)
			by_title = (int)i;
	}
	return by_title;
}

/* A mail of several works: the one the case is, met unless the plan now
 * refuses it. */
static int
rematch_several(struct judge_names *names, const char *title,
    const char *category, struct grammar_result **fields_r,
    char **diagnostics_r)
{
	int w = rematch_work(names->plan, title, category);
	char *refusal;

	if (w < 0) {
		*diagnostics_r = g_strdup_printf("本邮件现识别出 %zu 件作品，其中没有"
		    "《%s》。", mailplan_work_count(names->plan),
		    title ? title : "");
		return 0;
	}
	if ((refusal = mailplan_work_text(names->plan, w, PLAN_REFUSE)) !=
	    NULL) {
		*diagnostics_r = refusal;
		return 0;
	}
	*fields_r = mailplan_take_fields(names->plan, (size_t)w);
	return 1;
}

/* Each attachment's type by content, before the mail is judged: a
 * program is refused whatever its name, and a kind's content rule
 * applies (contenttype.h).  <0: the environment; a file libmagic gave up
 * on is judged by its name, and said in the log. */
static int
ingest_content(const struct message *msg, const struct mail_limits *limits,
    char ***content_r, char **error_r)
{
	g_autofree char *why = NULL;
	int r;

	if ((r = contenttype_of_attachments(msg, limits, content_r,
	    &why)) < 0) {
		*error_r = g_steal_pointer(&why);
		return r;
	}
	if (r > 0)
		log_warnx("content type: %d attachment(s) not typed: %s", r,
		    why);
	return 0;
}

int
ingest_rematch(const struct campaign *campaign,
    const struct mail_limits *limits, const char *path, const char *title,
    const char *category, struct grammar_result **fields_r,
    char **diagnostics_r, char **error_r)
{
	struct message *msg = NULL;
	struct judge_names names;
	struct cloudlink_set *links = NULL;
	g_auto(GStrv) content = NULL;
	GDateTime *arrival;
	int met;

	*fields_r = NULL;
	*diagnostics_r = NULL;
	if (message_parse_file(path, limits, &msg, error_r) < 0)
		return -1;
	if ((met = ingest_content(msg, limits, &content, error_r)) < 0) {
		message_free(&msg);
		return met;
	}
	if ((met = ingest_links_find(campaign, msg, &links, error_r)) < 0) {
		message_free(&msg);
		return met;
	}
	arrival = ingest_arrival(msg, &(struct ingest_source){ 0 });
	judge_names_links(campaign, msg, (const char *const *)content, NULL,
	    NULL,
	    links, g_date_time_to_unix(arrival), &names);
	g_date_time_unref(arrival);
	cloudlink_set_free(&links);
	met = names.met;
	if (met && names.several) {
		met = rematch_several(&names, title, category, fields_r,
		    diagnostics_r);
	} else if (met) {
		*fields_r = g_steal_pointer(&names.fields);
	} else if (names.diagnostics != NULL) {
		*diagnostics_r = g_strdup(names.diagnostics->str);
	}
	judge_names_clear(&names);
	message_free(&msg);
	return met;
}

uint64_t
ingest_max_size(const struct campaign *campaign,
    const struct mail_limits *limits)
{
	uint64_t max = campaign_max_message_size(campaign);
	struct mail_limits resolved;

	mail_limits_resolve(&resolved, limits);
	return max > 0 ? max : resolved.message_bytes;
}

/* What staff said of the sender for the unit, where the campaign asks
 * (sender_check = confirm). */
static int
ingest_read_sender(const struct ingest *ingest,
    const struct campaign *campaign, const char *unit, const char *sender,
    struct judge_facts *f, char **error_r)
{
	g_autofree char *state = NULL;
	int r;

	f->sender = JUDGE_SENDER_UNKNOWN;
	if (unit == NULL || campaign_sender_check(campaign) !=
	    CAMPAIGN_SENDER_CHECK_CONFIRM)
		return 0;
	if ((r = db_unit_sender_get(ingest->db, campaign_id(campaign), unit,
	    sender, &state, error_r)) <= 0)
		return r;
	f->sender = strcmp(state, DB_UNIT_SENDER_REFUSED) == 0 ?
	    JUDGE_SENDER_REFUSED : JUDGE_SENDER_CONFIRMED;
	return 0;
}

/*
 * What the database says about this work and its submitter, read once
 * the naming convention gave the fields and only where the campaign asks:
 * the earlier case of the same work (same unit, or sender, and title) and
 * the counts the quotas are judged by.
 */
int
ingest_read_counts(const struct ingest *ingest,
    const struct campaign *campaign, const struct grammar_result *fields,
    struct judge_facts *f, char **same_receipt_r, char **same_dir_r,
    char **error_r)
{
	const char *id = campaign_id(campaign);
	const char *cf = campaign_category_field(campaign);
	const char *tf = campaign_title_field(campaign);
	const char *uf = campaign_unit_field(campaign);
	const char *unit = uf ? grammar_result_get(fields, uf) : NULL;
	const char *category = cf ? grammar_result_get(fields, cf) : NULL;
	const char *title = tf ? grammar_result_get(fields, tf) : NULL;
	const char *sender = message_from_address(f->msg);
	int r;

	if (campaign_resubmission(campaign) != CAMPAIGN_RESUBMISSION_KEEP_ALL) {
		r = db_case_find_same(ingest->db, id, unit, sender, title,
		    category, same_receipt_r, same_dir_r, error_r);
		if (r < 0)
			return r;
		f->same_receipt = *same_receipt_r;
	}
	if (campaign_unit_quota(campaign, unit, NULL) > 0 &&
	    (r = db_case_count(ingest->db, id, unit, unit ? NULL : sender,
	    NULL, &f->unit_count, error_r)) < 0)
		return r;
	if (category != NULL &&
	    campaign_unit_quota(campaign, unit, category) > 0 &&
	    (r = db_case_count(ingest->db, id, unit, unit ? NULL : sender,
	    category, &f->unit_category_count, error_r)) < 0)
		return r;
	if (campaign_quota_per_submitter(campaign) > 0 &&
	    (r = db_case_count(ingest->db, id, NULL, sender, NULL,
	    &f->submitter_count, error_r)) < 0)
		return r;
	return ingest_read_sender(ingest, campaign, unit, sender, f, error_r);
}

char *
ingest_receipt(const struct campaign *campaign, unsigned seq)
{
	g_autofree char *prefix = campaign_receipt_prefix(campaign);

	return g_strdup_printf("%s-%05u", prefix, seq);
}

static char *
ingest_time_iso(GDateTime *dt, const struct campaign *campaign)
{
	g_autoptr(GDateTime) local = g_date_time_to_timezone(dt,
	    campaign_timezone(campaign));

	return g_date_time_format(local, "%Y-%m-%dT%H:%M:%S%:z");
}

/* The attachments saved into a case are kept as case.json lists them. */
void
saved_attachment_clear(gpointer p)
{
	struct case_attachment *a = p;

	g_free(a->name);
	g_free(a->original_name);
	g_free(a->content_type);
	g_free(a->content_mime);
	g_free(a->scan);
	g_free(a->scan_note);
	media_facts_free(&a->media);
	case_findings_free(a->findings, a->finding_count);
	g_free(a->sha256);
	g_free(a->role);
	g_free(a->kind);
	g_free(a->marker);
	g_free(a->moved_to);
}


void
ingest_fields_get(const struct grammar_result *res, struct ingest_fields *f)
{
	size_t i, n = grammar_result_field_count(res);

	f->names = g_new0(const char *, n + 1);
	f->values = g_new0(const char *, n + 1);
	f->originals = g_new0(const char *, n + 1);
	for (i = 0; i < n; i++)
		grammar_result_field(res, i, &f->names[i], &f->values[i],
		    &f->originals[i]);
	f->count = n;
}

void
ingest_fields_clear(struct ingest_fields *f)
{
	g_free(f->names);
	g_free(f->values);
	g_free(f->originals);
}

char *
ingest_case_json(const struct campaign *campaign, const char *receipt,
    const char *status, const struct message *msg,
    const struct ingest_fields *f, const char *arrival, const char *batch,
    const char *raw_sha, GArray *saved,
    const struct ingest_case_links *links, const struct ingest_form *form)
{
	struct case_json_new c = {
		.receipt = receipt,
		.campaign = campaign_id(campaign),
		.status = status,
		.from = message_from_address(msg),
		.from_name = message_from_name(msg),
		.subject = message_subject(msg),
		.message_id = message_id(msg),
		.received_at = arrival,
		.batch = batch,
		.message_sha256 = raw_sha,
		.attachments = (const struct case_attachment *)saved->data,
		.attachment_count = saved->len,
		.field_names = f->names,
		.field_values = f->values,
		.field_originals = f->originals,
		.field_count = f->count,
		.links = links != NULL ? links->json : NULL,
		.link_count = links != NULL ? links->count : 0,
		.form = form != NULL && form->read ? &form->json : NULL,
	};

	return case_json_build(&c);
}

/* What checking file i's content found that did not refuse it: the
 * plan's content-*, media-*, image-*, text-*, characters-*, inspect-*
 * and form-* and archive-* problems about it (and its entries, an archive's). */
static void
attachment_findings(const struct mailplan *plan, size_t i,
    struct case_attachment *a)
{
	static const char *const severities[] = {
		[PLAN_REFUSE] = "reject",
		[PLAN_WARN] = "warn",
		[PLAN_NOTE] = "note",
	};
	GArray *list = g_array_new(FALSE, TRUE, sizeof(struct case_finding));
	const struct mailplan_file *file = mailplan_file(plan, i);
	size_t j;

	for (j = 0; j < mailplan_problem_count(plan); j++) {
		const struct mailplan_problem *pr = mailplan_problem(plan, j);
		struct case_finding f;

		static const char *const prefixes[] = {
			"content-", "media-", "image-", "text-",
			"characters-", "inspect-", "form-", "archive-",
		};
		size_t k;

		for (k = 0; k < G_N_ELEMENTS(prefixes) && !g_str_has_prefix(
		    pr->code, prefixes[k]); k++)
			;
		if (pr->file != (int)i || k == G_N_ELEMENTS(prefixes))
			continue;
		f.code = g_strdup(pr->code);
		f.severity = g_strdup(severities[pr->severity]);
		f.file = NULL;
		f.text = g_strdup(pr->text);
		f.entry = pr->entry;
		f.entry_name = pr->entry >= 0 && file->media != NULL &&
		    file->media->archive != NULL && (size_t)pr->entry <
		    file->media->archive->count ? g_strdup(
		    file->media->archive->items[pr->entry].name) : NULL;
		g_array_append_val(list, f);
	}
	a->finding_count = list->len;
	a->findings = (struct case_finding *)g_array_free(list, FALSE);
}

/* Saves every attachment into the case; returns them in *saved. */
/* What the plan took each file for, as case.json records it. */
void
ingest_attachment_role(const struct mailplan *plan, size_t i,
    struct case_attachment *a)
{
	static const char *const roles[] = {
		[PLAN_WORK] = "work",
		[PLAN_COMPANION] = "companion",
		[PLAN_OTHER] = "other",
	};
	const struct mailplan_file *f;

	if (plan == NULL || i >= mailplan_file_count(plan))
		return;
	f = mailplan_file(plan, i);
	a->content_mime = g_strdup(f->content);
	if (f->media != NULL)
		a->media = media_facts_copy(f->media);
	attachment_findings(plan, i, a);
	a->role = g_strdup(roles[f->role]);
	a->kind = g_strdup(f->kind);
	a->marker = g_strdup(f->marker);
	a->episode = f->episode;
}

static int
ingest_save_attachments(const struct ingest_job *job, struct store_case *sc,
    const struct message *msg, const struct mailplan *plan, GArray *saved,
    char **error_r)
{
	size_t i, n = message_attachment_count(msg);

	for (i = 0; i < n; i++) {
		struct case_attachment a = { 0 };
		g_autofree char *fallback = g_strdup_printf("附件%zu", i + 1);
		GMimeStream *content;
		char sha256[65];
		int r;

		a.original_name = g_strdup(message_attachment_name(msg, i));
		a.content_type = g_strdup(message_attachment_content_type(msg,
		    i));
		a.name = store_case_name(sc, a.original_name, fallback);
		content = message_attachment_stream(msg, i);
		r = store_write_stream(store_case_dirfd(sc), a.name, content,
		    &a.size, sha256, error_r);
		g_object_unref(content);
		if (r < 0) {
			saved_attachment_clear(&a);
			return r;
		}
		a.sha256 = g_strdup(sha256);
		ingest_attachment_role(plan, i, &a);
		ingest_scan_note(job, i, &a);
		g_array_append_val(saved, a);
	}
	return 0;
}

static void
ingest_reply_base(const struct ingest *ingest, const struct campaign *campaign,
    const struct message *msg, const char *arrival_text, struct reply *r)
{
	memset(r, 0, sizeof(*r));
	r->campaign_name = campaign_name(campaign);
	r->contact = campaign_contact(campaign);
	r->from = ingest->config->smtp.from;
	r->from_name = ingest->config->smtp.from_name;
	r->to = message_reply_address(msg);
	r->to_name = message_from_name(msg);
	r->orig_subject = message_subject(msg);
	r->orig_message_id = message_id(msg);
	r->orig_references = message_references(msg);
	r->arrival = arrival_text;
	/* Templates, the deadline, the format and an example. */
	r->campaign = campaign;
	if (ingest->config->smtp.require_authentication_results &&
	    *r->to != '\0' && !loopguard_sender_authenticated(&ingest->config->smtp,
	    msg, r->to)) {
		log_info("campaign %s: <%s> not answered: no SPF, DKIM or DMARC "
		    "pass for %s in Authentication-Results", campaign_id(campaign),
		    message_id(msg), r->to);
		r->to = "";
	}
}


/* The rows of ingest_commit(), inside its transaction; the first
 * failure's code (include/fault.h). */
static int
ingest_commit_rows(struct db *db, const struct ingest_record *rec,
    const struct ingest_source *source, char **error_r)
{
	const struct db_message *row = rec->row;
	int64_t rowid = rec->update_row;
	size_t i;
	int r;

	r = rec->update_row > 0 ? db_message_update(db, rowid, row, error_r) :
	    db_message_add(db, row, &rowid, error_r);
	for (i = 0; r == 0 && i < rec->superseded_count; i++)
		r = db_case_set_status(db, rec->superseded[i],
		    case_status_name(CASE_SUPERSEDED), error_r);
	for (i = 0; r == 0 && i < rec->case_count; i++)
		r = db_case_add(db, &rec->dcases[i], rowid, error_r);
	for (i = 0; r == 0 && i < rec->link_count; i++)
		r = db_case_link_add(db, &rec->links[i], error_r);
	if (r == 0 && rec->kept != NULL && rec->kept->group_pos > 0)
		r = db_case_set_group_pos(db, rec->kept->receipt,
		    rec->kept->group_pos, error_r);
	for (i = 0; r == 0 && i < rec->quarantined_count; i++) {
		struct db_quarantine q = rec->quarantined[i];

		q.message_row = rowid;
		r = db_quarantine_add(db, &q, error_r);
	}
	if (r == 0 && rec->update_row > 0)
		r = db_message_works_clear(db, rowid, error_r);
	for (i = 0; r == 0 && i < rec->mwork_count; i++)
		r = db_message_work_add(db, rowid, &rec->mworks[i], error_r);
	if (r == 0 && rec->reply_data != NULL)
		r = db_outbox_add(db, rowid, rec->reply_kind, rec->reply_to,
		    row->message_id, rec->reply_id, rec->reply_data,
		    rec->reply_len, error_r);
	if (r == 0 && rec->question != NULL) {
		struct db_question q = *rec->question;

		q.message_row = rowid;
		r = db_question_add(db, &q, error_r);
	}
	if (r == 0 && rec->forward_data != NULL)
		r = db_outbox_add(db, rowid, QUESTION_FORWARD_KIND,
		    rec->question->forwarded_to, row->message_id,
		    rec->forward_id, rec->forward_data, rec->forward_len,
		    error_r);
	if (r == 0 && source->folder != NULL)
		r = db_folder_set(db, row->campaign, source->folder,
		    source->uidvalidity, source->uid, error_r);
	if (r == 0 && source->folder != NULL)
		r = db_attempt_clear(db, row->campaign, source->folder,
		    source->uidvalidity, source->uid, error_r);
	return r;
}

/* The kept case's case.json as it was, its transaction having failed. */
static void
ingest_kept_restore(const struct ingest_kept_case *kept)
{
	g_autofree char *error = NULL;

	if (kept == NULL || kept->json == NULL)
		return;
	if (store_write_file_atomic(kept->json_path, kept->json_old,
	    kept->json_old_len, &error) < 0)
		log_warnx("%s: could not restore: %s", kept->json_path, error);
}

int
ingest_commit(struct ingest *ingest, const struct ingest_record *rec,
    const struct ingest_source *source, char **error_r)
{
	struct db *db = ingest->db;
	int r;

	if ((r = db_begin(db, error_r)) < 0)
		return r;
	if ((r = ingest_commit_rows(db, rec, source, error_r)) < 0) {
		db_rollback(db);
		return r;
	}
	/* A case the message made before changes with the new ones: its
	 * case.json is replaced inside the transaction, as a staff
	 * decision's is, and put back if the commit fails. */
	if (rec->kept != NULL && rec->kept->json != NULL &&
	    (r = store_write_file_atomic(rec->kept->json_path,
	    rec->kept->json, strlen(rec->kept->json), error_r)) < 0) {
		db_rollback(db);
		return r;
	}
	/* The replies an automatic mail reports on are marked with it; a
	 * failure costs only the note, never the message. */
	if (rec->bounce != NULL) {
		g_autofree char *error = NULL;

		if (outbox_note_bounce(db, rec->bounce, &error) < 0)
			log_warnx("noting a bounce <%s>: %s",
			    message_id(rec->bounce), error);
	}
	if ((r = db_commit(db, error_r)) < 0) {
		db_rollback(db);
		ingest_kept_restore(rec->kept);
		return r;
	}
	return 0;
}

/* After the commit: the superseded case's own case.json says so too.  The
 * database is the truth; a crash before this leaves only the file stale. */
void
ingest_mark_superseded(struct ingest *ingest, const char *dir)
{
	g_autofree char *error = NULL;

	if (case_json_set_status(store_dir(ingest->store), dir,
	    case_status_name(CASE_ACCEPTED), case_status_name(CASE_SUPERSEDED),
	    &error) < 0)
		log_warnx("%s", error);
}

/* Builds the case folder, fills in dcase (its batch and status already
 * set), receipt details and the reply. */
static int
ingest_make_case(const struct ingest_job *job, struct ingest *ingest,
    const struct campaign *campaign,
    const char *path, bool spool, const struct message *msg,
    const struct judge_names *names, const struct cloudlink_set *links,
    const char *arrival_iso, const char *sha, struct db_case *dcase,
    char **receipt_r, char **case_dir_r, char **fields_json_r,
    struct ingest_form *form, GArray *saved, struct ingest_case_links *clinks,
    struct store_case **sc_r, char **error_r)
{
	const char *cf = campaign_category_field(campaign);
	const char *tf = campaign_title_field(campaign);
	const char *uf = campaign_unit_field(campaign);
	const struct grammar_result *fields = names->fields;
	g_autofree char *json = NULL;
	struct ingest_fields f;
	unsigned seq;
	int r;

	/* One subgate per store (store lock), so the sequence read here is
	 * still free when the transaction records the case. */
	if ((r = db_case_next_seq(ingest->db, campaign_id(campaign), &seq,
	    error_r)) < 0)
		return r;
	*receipt_r = ingest_receipt(campaign, seq);
	dcase->receipt = *receipt_r;
	dcase->campaign = campaign_id(campaign);
	dcase->category = cf ? grammar_result_get(fields, cf) : NULL;
	dcase->title = tf ? grammar_result_get(fields, tf) : NULL;
	dcase->unit = uf ? grammar_result_get(fields, uf) : NULL;
	dcase->sender = message_from_address(msg);
	dcase->received_at = arrival_iso;
	if ((r = store_case_begin(ingest->store, campaign_id(campaign),
	    dcase->category, *receipt_r,
	    dcase->title ? dcase->title : message_subject(msg), sc_r,
	    error_r)) < 0)
		return r;
	if ((r = (spool ? store_case_adopt : store_case_copy)(*sc_r,
	    "original.eml", path, error_r)) < 0 ||
	    (r = ingest_save_attachments(job, *sc_r, msg, names->plan, saved,
	    error_r)) < 0)
		return r;
	crashpoint("mid-case");
	ingest_links_collect(campaign, links, names->plan, -1, *receipt_r,
	    clinks);
	ingest_fields_get(fields, &f);
	ingest_form_collect(names->plan, mailplan_work_count(names->plan) > 0 ?
	    0 : -1, msg, saved, form);
	json = ingest_case_json(campaign, *receipt_r, dcase->status, msg, &f,
	    arrival_iso, dcase->batch, sha, saved, clinks, form);
	*fields_json_r = case_json_fields_text(f.names, f.values, f.count);
	ingest_fields_clear(&f);
	if ((r = store_case_write(*sc_r, "case.json", json, strlen(json),
	    error_r)) < 0)
		return r;
	*case_dir_r = g_strdup(store_case_relpath(*sc_r));
	dcase->dir = *case_dir_r;
	dcase->fields_json = *fields_json_r;
	dcase->form_json = form->fields_json;
	return 0;
}

char *
ingest_unaccepted_name(const char *folder, uint32_t uidvalidity,
    uint32_t uid, const char *sha256)
{
	g_autofree char *code = reply_query_code(sha256);

	/* Mail from a folder is named by where it came from, so staff can
	 * find it in the mailbox, offline mail by its content; both carry
	 * the 查询码 its reply gave, so staff find it from a clerk's call
	 * (ls _unaccepted | grep 3F9A2C1B). */
	return folder != NULL ? g_strdup_printf("%u-%u-%s", uidvalidity, uid,
	    code) : g_strdup_printf("offline-%s-%.8s", code,
	    strlen(sha256) > 8 ? sha256 + 8 : "");
}

char *
ingest_unaccepted_name_before(const char *folder, uint32_t uidvalidity,
    uint32_t uid, const char *sha256)
{
	return folder != NULL ? g_strdup_printf("%u-%u", uidvalidity, uid) :
	    g_strdup_printf("offline-%.16s", sha256);
}

char *
ingest_unaccepted_find(const char *store_dir, const char *campaign,
    const char *folder, uint32_t uidvalidity, uint32_t uid,
    const char *sha256)
{
	char *names[2] = {
		ingest_unaccepted_name(folder, uidvalidity, uid, sha256),
		ingest_unaccepted_name_before(folder, uidvalidity, uid, sha256),
	};
	char *path = NULL;
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(names) && path == NULL; i++) {
		g_autofree char *file = g_strconcat(names[i], ".eml", NULL);

		path = g_build_filename(store_dir, campaign,
		    STORE_UNACCEPTED_DIR, file, NULL);
		if (!g_file_test(path, G_FILE_TEST_IS_REGULAR))
			g_clear_pointer(&path, g_free);
	}
	g_free(names[0]);
	g_free(names[1]);
	return path;
}

/* A message that makes no case and gets no reply: kept for staff under
 * _unaccepted and recorded as failed, so the folder moves on. */
static int
ingest_record_failed(struct ingest *ingest, struct ingest_record *rec,
    const char *path, const char *keep_name, const char *reason,
    const struct ingest_source *source, struct ingest_result *result,
    char **error_r)
{
	struct db_message *row = (struct db_message *)rec->row;
	int r;

	if ((r = store_keep_unaccepted(ingest->store, row->campaign, path,
	    keep_name, source->spool, error_r)) < 0)
		return r;
	row->outcome = outcome_name(OUTCOME_FAILED);
	row->reason = reason;
	row->reason_code = "failed";
	if ((r = ingest_commit(ingest, rec, source, error_r)) < 0)
		return r;
	result->outcome = OUTCOME_FAILED;
	result->reason = g_strdup(reason);
	return 0;
}

int
ingest_quarantine(struct ingest *ingest, const struct campaign *campaign,
    const char *path, const struct ingest_source *source, const char *reason,
    bool look_inside, struct ingest_result *result, char **error_r)
{
	struct db_message row = { 0 };
	struct ingest_record rec = { .row = &row };
	struct message *msg = NULL;
	g_autofree char *keep_name = NULL, *parse_error = NULL;
	uint64_t size;
	char sha[65];
	int ret;

	memset(result, 0, sizeof(*result));
	if ((ret = file_sha256(path, sha, &size, error_r)) < 0)
		return ret;
	row.campaign = campaign_id(campaign);
	row.folder = source->folder;
	row.uidvalidity = source->uidvalidity;
	row.uid = source->uid;
	row.sha256 = sha;
	keep_name = ingest_unaccepted_name(source->folder, source->uidvalidity,
	    source->uid, sha);
	/* Who sent it, for staff, if the message parses at all. */
	if (look_inside && message_parse_file(path, &ingest->config->limits,
	    &msg, &parse_error) == 0) {
		row.message_id = message_id(msg);
		row.sender = message_from_address(msg);
		row.subject = message_subject(msg);
	}
	ret = ingest_record_failed(ingest, &rec, path, keep_name, reason,
	    source, result, error_r);
	message_free(&msg);
	return ret;
}


static void
ingest_job_clear(struct ingest_job *job)
{
	ingest_split_clear(job);
	ingest_works_clear(job);
	ingest_scan_clear(job);
	store_case_abort(&job->sc);
	if (job->saved != NULL)
		g_array_free(job->saved, TRUE);
	g_free(job->rfields);
	g_free(job->ratt);
	g_free(job->reply_data);
	g_free(job->reply_id);
	g_free(job->receipt);
	g_free(job->case_dir);
	g_free(job->fields_json);
	ingest_form_clear(&job->form);
	g_free(job->batch);
	g_free(job->deadline);
	g_free(job->pending_warnings);
	g_free(job->same_receipt);
	g_free(job->same_dir);
	g_free(job->keep_name);
	g_free(job->question_answers);
	g_free(job->question_text);
	g_free(job->forward_data);
	g_free(job->forward_id);
	g_free(job->arrival_text);
	g_free(job->arrival_iso);
	if (job->arrival != NULL)
		g_date_time_unref(job->arrival);
	verdict_clear(&job->verdict);
	judge_names_clear(&job->names);
	ingest_links_clear(&job->clinks);
	cloudlink_set_free(&job->links);
	g_strfreev(job->content);
	ingest_media_clear(job);
	message_free(&job->msg);
}

/* The loop guard's finding, and for a person's question what bounds it
 * (question.h). */
static int
ingest_loopguard(struct ingest_job *job, struct judge_facts *f,
    char **error_r)
{
	struct ingest *ingest = job->ingest;
	struct loopguard_thread thread;
	int r = 0;

	/* Over the size limit only the header was fetched (poll.c): its
	 * attachments are unknown. */
	loopguard_thread_read(ingest->db, job->msg, &thread);
	loopguard_check(ingest->config, job->msg, f->size > f->max_size,
	    &thread, &job->automatic);
	f->automatic = job->automatic.why;
	/* Reprocessing does not ask staff the same question again. */
	if (job->automatic.question && job->source->reprocess_row > 0)
		job->automatic.question = false;
	f->question = job->automatic.question;
	if (f->question) {
		const struct config_smtp *smtp = &ingest->config->smtp;

		job->question_answers = g_steal_pointer(&thread.answers);
		f->question_forwards_max = smtp->question_forwards_day;
		r = db_question_recent(ingest->db, message_from_address(job->msg),
		    smtp->question_ack_hours * 3600, &f->question_acknowledged,
		    &f->question_forwards, error_r);
		/* 0: every question is acknowledged. */
		if (smtp->question_ack_hours == 0)
			f->question_acknowledged = false;
	}
	loopguard_thread_clear(&thread);
	return r;
}

/* The facts, then the verdict (include/judge.h).  <0: the database
 * failed, nothing was decided. */
static int
ingest_judge(struct ingest_job *job, char **error_r)
{
	struct ingest *ingest = job->ingest;
	const struct campaign *campaign = job->campaign;
	struct judge_facts f = {
		.campaign = campaign,
		.msg = job->msg,
		.arrival = job->arrival,
		.size = job->size,
		.max_size = ingest_max_size(campaign, &ingest->config->limits),
		.names = &job->names,
		.sender_unverified =
		    ingest->config->smtp.require_authentication_results &&
		    !loopguard_sender_authenticated(&ingest->config->smtp,
		    job->msg, message_from_address(job->msg)),
	};
	int known = 0, r;

	if (job->source->reprocess_row == 0) {
		known = db_message_known(ingest->db, job->row.campaign,
		    job->row.message_id, job->row.sender, job->sha, error_r);
		if (known < 0)
			return known;
	} else if (job->source->split_receipt == NULL &&
	    (r = ingest_works_load_filed(job, error_r)) < 0) {
		return r;
	}
	f.known = known > 0;
	if (!f.known) {
		if ((r = ingest_loopguard(job, &f, error_r)) < 0)
			return r;
		if ((r = ingest_content(job->msg, &ingest->config->limits,
		    &job->content, error_r)) < 0)
			return r;
		/* Scanned only what will be answered and kept: an automatic
		 * mail is neither, a mail over the size limit came as its
		 * header, a case being split is filed already. */
		if (f.automatic == NULL && !job->source->headers_only &&
		    f.size <= f.max_size &&
		    job->source->split_receipt == NULL &&
		    (r = ingest_scan_run(job, error_r)) < 0)
			return r;
		f.infected = ingest_scan_infected(job, &f.infected_signature);
		/* The body's cloud attachment links (never of a mail over
		 * the size limit: only its header was fetched). */
		if (!job->source->headers_only &&
		    (r = ingest_links_find(campaign, job->msg, &job->links,
		    error_r)) < 0)
			return r;
		/* A reply that brings 超大附件 links brings files. */
		if (f.question && job->links != NULL &&
		    cloudlink_count(job->links) > 0)
			f.question = job->automatic.question = false;
		judge_names_links(campaign, job->msg,
		    (const char *const *)job->content, NULL, NULL, job->links,
		    g_date_time_to_unix(job->arrival), &job->names);
		/* An infected mail is refused for that alone: its files are
		 * not written out to be measured. */
		if (!f.infected && (r = ingest_media(job, error_r)) < 0)
			return r;
		if (job->names.matcher_error != NULL)
			log_warnx("naming convention: %s",
			    job->names.matcher_error);
		if (job->source->split_receipt != NULL)
			return ingest_split_judge(job, &f, error_r);
		if (job->names.met && !job->names.several &&
		    (r = ingest_read_counts(ingest, campaign,
		    job->names.fields, &f, &job->same_receipt, &job->same_dir,
		    error_r)) < 0)
			return r;
	}
	judge_run(&f, &job->verdict);
	if (job->names.several && job->verdict.outcome == OUTCOME_ACCEPTED &&
	    (r = ingest_works_judge(job, &f, error_r)) < 0)
		return r;
	job->deadline = judge_deadline_text(&f);
	/* A bounce that is recorded (not a duplicate) marks our replies. */
	if (job->verdict.outcome == OUTCOME_IGNORED && job->automatic.bounce)
		job->rec.bounce = job->msg;
	return 0;
}

/* The receipt's details: fields, files, and the case it replaces. */
static void
ingest_receipt_reply(struct ingest_job *job)
{
	const struct grammar_result *fields = job->names.fields;
	size_t i, n = grammar_result_field_count(fields);

	job->rfields = g_new0(struct reply_field, n + 1);
	for (i = 0; i < n; i++) {
		const char *orig;

		grammar_result_field(fields, i, &job->rfields[i].name,
		    &job->rfields[i].value, &orig);
	}
	job->ratt = g_new0(struct reply_attachment, job->saved->len + 1);
	for (i = 0; i < job->saved->len; i++) {
		struct case_attachment *a = &g_array_index(job->saved,
		    struct case_attachment, i);

		job->ratt[i].name = a->original_name;
		job->ratt[i].saved_as = a->name;
		job->ratt[i].size = a->size;
		job->ratt[i].sha256 = a->sha256;
		job->ratt[i].label = i < mailplan_file_count(job->names.plan) ?
		    mailplan_file_label(job->names.plan, i) :
		    NULL;
	}
	/* A pending work: why, first, where the receipt's warnings go. */
	if (job->verdict.pending)
		job->pending_warnings = g_strjoin("\n", job->verdict.notice,
		    job->names.warnings, NULL);
	job->reply.warnings = job->verdict.pending ? job->pending_warnings :
	    job->names.warnings;
	job->reply.pending = job->verdict.pending;
	job->reply.receipt = job->receipt;
	job->reply.title = job->dcase.title;
	job->reply.token = job->receipt;
	job->reply.fields = job->rfields;
	job->reply.field_count = n;
	job->reply.attachments = job->ratt;
	job->reply.attachment_count = job->saved->len;
	job->reply.links = job->clinks.reply;
	job->reply.link_count = job->clinks.count;
	job->reply.superseded = job->verdict.supersedes ? job->same_receipt :
	    NULL;
}

/* A person's question: its row, its forward to staff when the verdict
 * says so, and what the acknowledgement quotes. */
static int
ingest_question(struct ingest_job *job, char **error_r)
{
	const struct verdict *v = &job->verdict;
	g_autofree char *text = message_reply_text(job->msg);
	g_autofree char *subject = reply_submitted_subject(job->campaign,
	    message_subject(job->msg));
	struct question_forward fwd = {
		.from = job->reply.from,
		.from_name = job->reply.from_name,
		.staff = campaign_staff(job->campaign),
		.campaign_name = campaign_name(job->campaign),
		.asker = message_from_address(job->msg),
		.asker_name = message_from_name(job->msg),
		.subject = subject,
		.answers = job->question_answers,
		.arrival = job->arrival_text,
		.orig_message_id = message_id(job->msg),
		.token = job->sha,
	};

	job->question_text = reply_clip(text, QUESTION_TEXT_CHARS);
	fwd.text = job->question_text;
	job->question.campaign = job->row.campaign;
	job->question.sender = job->row.sender;
	job->question.subject = job->row.subject;
	job->question.body = job->question_text;
	job->question.answers = job->question_answers;
	job->question.received_at = job->arrival_iso;
	job->question.acknowledged = v->reply && job->reply.from != NULL &&
	    *job->reply.to != '\0';
	job->rec.question = &job->question;
	job->reply.question = job->question_text;
	job->reply.forwarded = v->forward && fwd.from != NULL;
	if (!job->reply.forwarded)
		return 0;
	job->question.forwarded_to = fwd.staff;
	if (question_forward_compose(&fwd, &job->forward_data,
	    &job->forward_len, &job->forward_id, error_r) < 0)
		return -1;
	job->rec.forward_data = job->forward_data;
	job->rec.forward_len = job->forward_len;
	job->rec.forward_id = job->forward_id;
	return 0;
}

/* Accepted: the case folder is built (not yet in place), and the receipt
 * describes it.  Otherwise the message is kept for staff, and a refusal
 * names what arrived. */
static int
ingest_file(struct ingest_job *job, char **error_r)
{
	struct ingest *ingest = job->ingest;
	const struct verdict *v = &job->verdict;
	enum mime_limit which;
	size_t i, n;
	int r;

	if (v->outcome == OUTCOME_ACCEPTED && job->works != NULL) {
		if ((r = ingest_works_file(job, error_r)) < 0 ||
		    job->split == NULL)
			return r;
		return ingest_split_file(job, error_r);
	}
	if (v->outcome == OUTCOME_ACCEPTED) {
		const char *cf = campaign_category_field(job->campaign);

		/* Staff hand cases on by batch: the one the arrival falls
		 * into, by the category's cut-offs. */
		job->batch = campaign_batch_for(job->campaign, cf == NULL ? NULL :
		    grammar_result_get(job->names.fields, cf), job->arrival);
		job->dcase.batch = job->batch;
		job->dcase.status = case_status_name(v->pending ?
		    CASE_PENDING : CASE_ACCEPTED);
		if ((r = ingest_make_case(job, ingest, job->campaign, job->path,
		    job->source->spool,
		    job->msg, &job->names, job->links, job->arrival_iso,
		    job->sha, &job->dcase, &job->receipt, &job->case_dir,
		    &job->fields_json, &job->form, job->saved, &job->clinks,
		    &job->sc, error_r)) < 0)
			return r;
		job->rec.links = job->clinks.rows;
		job->rec.link_count = job->clinks.count;
		job->row.receipt = job->receipt;
		job->rec.dcases = &job->dcase;
		job->rec.case_count = 1;
		job->rec.superseded = (const char *const *)&job->same_receipt;
		job->rec.superseded_count = v->supersedes ? 1 : 0;
		ingest_receipt_reply(job);
		return 0;
	}
	/* Infected: the files and the mail go to the quarantine, and no
	 * byte of them to the store; before the commit, and so before the
	 * mailbox is touched. */
	if (g_strcmp0(v->policy, "malware") == 0) {
		if ((r = ingest_scan_quarantine(job, error_r)) < 0)
			return r;
		crashpoint("after-quarantine");
	}
	if (v->outcome == OUTCOME_QUESTION &&
	    (r = ingest_question(job, error_r)) < 0)
		return r;
	if (!v->reply && v->outcome != OUTCOME_QUESTION)
		return 0;
	/* Every message that made no case stays available to staff (and
	 * to reprocessing once a campaign file is fixed). */
	if (job->rec.quarantined == NULL &&
	    (r = store_keep_unaccepted(ingest->store, job->row.campaign,
	    job->path, job->keep_name, job->source->spool, error_r)) < 0)
		return r;
	n = job->source->headers_only ? 0 :
	    message_attachment_count(job->msg);
	job->ratt = g_new0(struct reply_attachment, n + 1);
	for (i = 0; i < n; i++) {
		job->ratt[i].name = message_attachment_name(job->msg, i);
		if (job->names.plan != NULL &&
		    i < mailplan_file_count(job->names.plan))
			job->ratt[i].label = mailplan_file_label(
			    job->names.plan, i);
	}
	job->reply.attachments = job->ratt;
	job->reply.attachment_count = n;
	job->reply.attachments_cut = message_limit_which(job->msg, &which);
	job->reply.diagnostics = v->diagnostics ? v->diagnostics : v->reason;
	return 0;
}

/* The case folder into place, then the one transaction; nothing after it
 * can undo what it recorded. */
static int
ingest_record(struct ingest_job *job, char **error_r)
{
	struct ingest *ingest = job->ingest;
	int r;

	if (job->works != NULL)
		return ingest_works_record(job, error_r);
	if (job->sc != NULL) {
		if ((r = store_case_commit(&job->sc, error_r)) < 0)
			return r;
		crashpoint("after-case-rename");
	}
	if ((r = ingest_commit(ingest, &job->rec, job->source, error_r)) < 0) {
		/* The folder is in place but not committed: take it away
		 * now, or its receipt would be handed out again beside it. */
		g_autofree char *rm_error = NULL;

		if (job->case_dir != NULL && store_case_remove(ingest->store,
		    job->case_dir, &rm_error) < 0)
			log_warnx("%s", rm_error);
		else if (job->case_dir != NULL)
			store_case_settled(ingest->store);
		return r;
	}
	if (job->case_dir != NULL)
		store_case_settled(ingest->store);
	crashpoint("after-commit");
	if (job->verdict.supersedes && job->same_dir != NULL &&
	    job->receipt != NULL)
		ingest_mark_superseded(ingest, job->same_dir);
	/* A reprocessed message that became a case lives on as the case's
	 * original.eml, one found infected in the quarantine; its copy
	 * among the unaccepted goes. */
	if (job->source->reprocess_row > 0 && (job->receipt != NULL ||
	    job->rec.quarantined != NULL))
		(void)unlink(job->path);
	return 0;
}

/* Reads the message: its digest and size, then its parse.  1: parsed;
 * 0: not a mail at all, recorded (or, reprocessing, reported) as such. */
static int
ingest_read(struct ingest_job *job, struct ingest_result *result,
    char **error_r)
{
	const struct ingest_source *source = job->source;
	g_autofree char *parse_error = NULL;
	int r;

	if ((r = file_sha256(job->path, job->sha, &job->size, error_r)) < 0)
		return r;
	if (source->size != 0)
		job->size = source->size;
	job->row.campaign = campaign_id(job->campaign);
	job->row.folder = source->folder;
	job->row.uidvalidity = source->uidvalidity;
	job->row.uid = source->uid;
	job->row.sha256 = job->sha;
	job->rec.row = &job->row;
	job->rec.update_row = source->reprocess_row;
	job->keep_name = ingest_unaccepted_name(source->folder,
	    source->uidvalidity, source->uid, job->sha);
	r = message_parse_file(job->path, &job->ingest->config->limits,
	    &job->msg, &parse_error);
	/* The spool could not be read: that is the disk, not the mail. */
	if (r == FAULT_ENVIRONMENT) {
		*error_r = g_steal_pointer(&parse_error);
		return r;
	}
	if (r < 0) {
		/* Not a mail at all: keep it for staff, never retry. */
		if (source->reprocess_row > 0) {
			result->outcome = OUTCOME_FAILED;
			result->reason = g_steal_pointer(&parse_error);
			return 0;
		}
		if ((r = ingest_record_failed(job->ingest, &job->rec, job->path,
		    job->keep_name, parse_error, source, result, error_r)) < 0)
			return r;
		return 0;
	}
	job->row.message_id = message_id(job->msg);
	job->row.sender = message_from_address(job->msg);
	job->row.subject = message_subject(job->msg);
	job->arrival = ingest_arrival(job->msg, source);
	job->arrival_text = judge_time_text(job->arrival, job->campaign);
	job->arrival_iso = ingest_time_iso(job->arrival, job->campaign);
	job->row.received_at = job->arrival_iso;
	return 1;
}

int
ingest_message(struct ingest *ingest, const struct campaign *campaign,
    const char *path, const struct ingest_source *source,
    struct ingest_result *result, char **error_r)
{
	struct ingest_job job = {
		.ingest = ingest, .campaign = campaign, .path = path,
		.source = source,
		.saved = g_array_new(FALSE, TRUE, sizeof(struct case_attachment)),
	};
	struct verdict *v = &job.verdict;
	bool nothing_more = false;
	int ret = -1, r;

	g_array_set_clear_func(job.saved, saved_attachment_clear);
	memset(result, 0, sizeof(*result));
	if (failpoint("ingest")) {
		/* As if a system call had failed with the errno the point
		 * names, or (none named) for a reason of the message's. */
		int e = errno;

		*error_r = g_strdup_printf("injected failure "
		    "(SUBGATE_TEST_FAIL_POINT)%s%s", e != 0 ? ": " : "",
		    e != 0 ? g_strerror(e) : "");
		ret = e != 0 ? fault_errno(e) : -1;
		goto out;
	}
	if ((r = ingest_read(&job, result, error_r)) <= 0) {
		ret = r;
		goto out;
	}
	if ((ret = ingest_judge(&job, error_r)) < 0)
		goto out;
	/* Splitting a case: nothing is written unless the mail reads as
	 * works now (the case stays as it is). */
	if (source->split_receipt != NULL && job.works == NULL) {
		result->outcome = v->outcome;
		result->reason = g_strdup(v->diagnostics ? v->diagnostics :
		    v->reason ? v->reason : outcome_name(v->outcome));
		goto out;
	}
	/* Reprocessing a mail that filed works: what it filed stands, and
	 * only works filed now are answered.  The refused works are
	 * recorded again even when none is filed now: the campaign changed,
	 * and staff must read why they are refused today (a series short of
	 * 2 episodes now, no longer of 5), not why they were. */
	nothing_more = job.filed != NULL && job.works_new == 0 &&
	    source->split_receipt == NULL;
	/* Reprocessing answers only what is now accepted: the submitter
	 * already had the first refusal. */
	if (source->reprocess_row > 0 && (v->outcome != OUTCOME_ACCEPTED ||
	    (job.filed != NULL && job.works_new == 0)))
		v->reply = false;
	job.row.outcome = outcome_name(v->outcome);
	job.row.reason = v->reason;
	job.row.reason_code = v->outcome == OUTCOME_ACCEPTED ? NULL : v->code;
	ingest_reply_base(ingest, campaign, job.msg, job.arrival_text,
	    &job.reply);
	job.reply.kind = v->kind;
	job.reply.notice = v->notice;
	job.reply.deadline = job.deadline;
	job.reply.token = job.sha;
	if ((ret = ingest_file(&job, error_r)) < 0)
		goto out;
	if (v->reply && job.reply.from != NULL && *job.reply.to != '\0') {
		if ((ret = reply_compose(&job.reply, &job.reply_data,
		    &job.reply_len, &job.reply_id, error_r)) < 0)
			goto out;
		job.rec.reply_kind = reply_kind_name(job.reply.kind);
		job.rec.reply_to = job.reply.to;
		job.rec.reply_data = job.reply_data;
		job.rec.reply_len = job.reply_len;
		job.rec.reply_id = job.reply_id;
	}
	ingest_works_rows(&job);
	if ((ret = ingest_record(&job, error_r)) < 0)
		goto out;
	result->outcome = v->outcome;
	result->receipt = g_strdup(job.receipt);
	result->reason = nothing_more ? g_strdup_printf("nothing more filed: "
	    "%s", v->reason ? v->reason : outcome_name(v->outcome)) :
	    g_strdup(v->reason);
	result->case_dir = g_strdup(job.case_dir);
out:
	ingest_job_clear(&job);
	return ret;
}
