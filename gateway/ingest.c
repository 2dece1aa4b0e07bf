/* ingest: see include/ingest.h. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <gmime/gmime.h>

#include "campaign.h"
#include "config.h"
#include "crashpoint.h"
#include "db.h"
#include "grammar.h"
#include "ingest.h"
#include "json.h"
#include "log.h"
#include "loopguard.h"
#include "mail_limits.h"
#include "message.h"
#include "reply.h"
#include "store.h"

struct ingest {
	const struct config *config;
	struct store *store;
	struct db *db;
};

/* What the policies decided about a message. */
struct verdict {
	const char *outcome;		/* see ingest.h */
	char *reason;			/* for the log and the database */
	bool reply;			/* whether the submitter is answered */
	enum reply_kind kind;
	char *notice;			/* late, over quota, frozen, too large */
	struct grammar_result *fields;	/* the result the fields come from */
	GString *diagnostics;		/* for a correction mail */
	char *superseded_receipt;	/* replace: the case this one replaces */
	char *superseded_dir;
};

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
	g_clear_pointer(&result->outcome, g_free);
	g_clear_pointer(&result->receipt, g_free);
	g_clear_pointer(&result->reason, g_free);
	g_clear_pointer(&result->case_dir, g_free);
}

static void
verdict_clear(struct verdict *v)
{
	g_clear_pointer(&v->reason, g_free);
	g_clear_pointer(&v->notice, g_free);
	g_clear_pointer(&v->superseded_receipt, g_free);
	g_clear_pointer(&v->superseded_dir, g_free);
	grammar_result_free(&v->fields);
	if (v->diagnostics != NULL)
		g_string_free(v->diagnostics, TRUE);
	v->diagnostics = NULL;
}

static int
file_sha256(const char *path, char hex_r[65], uint64_t *size_r,
    char **error_r)
{
	g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
	char buf[65536];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		*error_r = g_strdup_printf("%s: %s", path, g_strerror(errno));
		return -1;
	}
	*size_r = 0;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		g_checksum_update(sum, (const guchar *)buf, (gsize)n);
		*size_r += (uint64_t)n;
	}
	close(fd);
	if (n < 0) {
		*error_r = g_strdup_printf("%s: %s", path, g_strerror(errno));
		return -1;
	}
	g_strlcpy(hex_r, g_checksum_get_string(sum), 65);
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

/* Matches one text; on failure appends its diagnostics under a heading. */
static int
ingest_match(const struct grammar *g, const char *text, const char *heading,
    struct verdict *v, char **error_r)
{
	struct grammar_result *res = NULL;
	g_autofree char *error = NULL;
	int r = grammar_match(g, text, &res, &error);

	(void)error_r;
	if (r < 0) {
		/* The text itself defeated the matcher (a PCRE2 limit on a
		 * hostile subject): a property of this mail, not of the
		 * machine, so it is answered, not retried. */
		log_warnx("naming convention: %s", error);
		grammar_result_free(&res);
		if (v->diagnostics == NULL)
			v->diagnostics = g_string_new(NULL);
		if (v->diagnostics->len > 0)
			g_string_append_c(v->diagnostics, '\n');
		g_string_append_printf(v->diagnostics, "%s\n无法识别：文字过长或"
		    "过于复杂。规定的格式：%s", heading, grammar_format(g));
		return 0;
	}
	if (r > 0) {
		if (v->fields == NULL)
			v->fields = res;
		else
			grammar_result_free(&res);
		return 1;
	}
	if (v->diagnostics == NULL)
		v->diagnostics = g_string_new(NULL);
	if (v->diagnostics->len > 0)
		g_string_append_c(v->diagnostics, '\n');
	g_string_append_printf(v->diagnostics, "%s\n%s", heading,
	    grammar_result_diagnostics(res));
	grammar_result_free(&res);
	return 0;
}

/*
 * The naming convention.  A file-name convention is met when at least one
 * attachment follows it: the work carries the name, while the
 * registration form beside it usually does not.
 */
static int
ingest_judge_names(const struct campaign *campaign, const struct message *msg,
    struct verdict *v, char **error_r)
{
	const struct grammar *gs = campaign_grammar(campaign, GRAMMAR_SUBJECT);
	const struct grammar *gf = campaign_grammar(campaign, GRAMMAR_FILENAME);
	enum convention_scope scope = campaign_scope(campaign);
	int subject_ok = 0, file_ok = 0, r;
	size_t i, n = message_attachment_count(msg);

	if (gs != NULL && scope != CONVENTION_FILENAME) {
		g_autofree char *heading = g_strdup_printf("邮件主题“%s”：",
		    message_subject(msg));

		r = ingest_match(gs, message_subject(msg), heading, v, error_r);
		if (r < 0)
			return -1;
		subject_ok = r;
	}
	if (gf != NULL && scope != CONVENTION_SUBJECT) {
		if (n == 0) {
			if (v->diagnostics == NULL)
				v->diagnostics = g_string_new(NULL);
			g_string_append(v->diagnostics,
			    "邮件中没有附件：请把作品作为附件发送，文件名须符合命名要求。\n");
			g_string_append_printf(v->diagnostics, "要求的格式：%s",
			    grammar_format(gf));
		}
		for (i = 0; i < n && !file_ok; i++) {
			g_autofree char *heading = g_strdup_printf(
			    "附件“%s”：", message_attachment_name(msg, i));

			r = ingest_match(gf, message_attachment_name(msg, i),
			    heading, v, error_r);
			if (r < 0)
				return -1;
			file_ok = r;
		}
	}
	switch (scope) {
	case CONVENTION_SUBJECT:
		return subject_ok;
	case CONVENTION_FILENAME:
		return file_ok;
	case CONVENTION_BOTH:
		return subject_ok && file_ok;
	case CONVENTION_EITHER:
	default:
		return subject_ok || file_ok;
	}
}

int
ingest_rematch(const struct campaign *campaign,
    const struct mail_limits *limits, const char *path,
    struct grammar_result **fields_r, char **diagnostics_r, char **error_r)
{
	struct message *msg = NULL;
	struct verdict v = { 0 };
	int r;

	*fields_r = NULL;
	*diagnostics_r = NULL;
	if (message_parse_file(path, limits, &msg, error_r) < 0)
		return -1;
	r = ingest_judge_names(campaign, msg, &v, error_r);
	if (r > 0) {
		*fields_r = v.fields;
		v.fields = NULL;
	} else if (r == 0 && v.diagnostics != NULL) {
		*diagnostics_r = g_strdup(v.diagnostics->str);
	}
	verdict_clear(&v);
	message_free(&msg);
	return r;
}

/* Attachments of a type the campaign does not take; NULL when all fit. */
static char *
ingest_bad_extensions(const struct campaign *campaign,
    const struct message *msg)
{
	const char *const *allowed = campaign_allowed_extensions(campaign);
	GString *bad = NULL;
	size_t i;

	for (i = 0; i < message_attachment_count(msg); i++) {
		const char *name = message_attachment_name(msg, i);

		if (campaign_extension_allowed(campaign, name))
			continue;
		if (bad == NULL)
			bad = g_string_new(NULL);
		g_string_append_printf(bad, "附件“%s”的文件类型不在本次征集接受的范围内。\n",
		    name);
	}
	if (bad == NULL)
		return NULL;
	g_string_append(bad, "接受的文件类型：");
	for (i = 0; allowed != NULL && allowed[i] != NULL; i++)
		g_string_append_printf(bad, "%s%s", i ? "、" : "", allowed[i]);
	return g_string_free(bad, FALSE);
}

/* A unit with a list of senders takes submissions only from them. */
static char *
ingest_bad_sender(const struct campaign *campaign, const struct message *msg,
    const struct verdict *v)
{
	const char *uf = campaign_unit_field(campaign);
	const char *unit = uf ? grammar_result_get(v->fields, uf) : NULL;
	const char *sender = message_from_address(msg);
	const char *const *allowed = NULL;
	GString *why;
	size_t i;

	if (campaign_sender_allowed(campaign, unit, sender, &allowed))
		return NULL;
	why = g_string_new(NULL);
	g_string_append_printf(why, "“%s”的投稿须从该单位登记的邮箱发送（", unit);
	for (i = 0; allowed[i] != NULL; i++)
		g_string_append_printf(why, "%s%s", i ? "、" : "", allowed[i]);
	g_string_append_printf(why, "），本邮件发自 %s。请从登记的邮箱重新发送，"
	    "或联系征集方登记新的邮箱。", sender);
	return g_string_free(why, FALSE);
}

static void
verdict_refuse(struct verdict *v, const char *outcome, enum reply_kind kind,
    char *notice)
{
	v->outcome = outcome;
	v->reply = true;
	v->kind = kind;
	v->notice = notice;
	v->reason = g_strdup(notice);
}

/*
 * Resubmission and quotas.  "The same work" is a case from the same unit
 * (the sender, when the campaign has no unit field) with the same title
 * (any case of theirs, when the campaign has no title field).
 */
static int
ingest_judge_quota(const struct ingest *ingest,
    const struct campaign *campaign, const struct message *msg,
    struct verdict *v, char **error_r)
{
	const char *id = campaign_id(campaign);
	const char *cf = campaign_category_field(campaign);
	const char *tf = campaign_title_field(campaign);
	const char *uf = campaign_unit_field(campaign);
	const char *unit = uf ? grammar_result_get(v->fields, uf) : NULL;
	const char *category = cf ? grammar_result_get(v->fields, cf) : NULL;
	const char *title = tf ? grammar_result_get(v->fields, tf) : NULL;
	const char *sender = message_from_address(msg);
	const char *who = unit ? unit : sender;
	enum campaign_resubmission policy = campaign_resubmission(campaign);
	unsigned quota, count;
	int r;

	if (policy != CAMPAIGN_RESUBMISSION_KEEP_ALL) {
		r = db_case_find_same(ingest->db, id, unit, sender, title,
		    &v->superseded_receipt, &v->superseded_dir, error_r);
		if (r < 0)
			return -1;
		if (r > 0 && policy == CAMPAIGN_RESUBMISSION_FREEZE) {
			verdict_refuse(v, "frozen", REPLY_FROZEN, g_strdup_printf(
			    "“%s”已有登记的投稿（回执编号 %s）。按本次征集的规定，"
			    "作品一经报送，不得更改、替换或补报。", who,
			    v->superseded_receipt));
			return 0;
		}
		if (r > 0) {
			/* A replacement leaves the counts as they are. */
			return 0;
		}
	}
	if ((quota = campaign_quota_per_unit(campaign)) > 0) {
		if (db_case_count(ingest->db, id, unit, unit ? NULL : sender,
		    NULL, &count, error_r) < 0)
			return -1;
		if (count >= quota) {
			verdict_refuse(v, "over-quota", REPLY_OVER_QUOTA,
			    g_strdup_printf("每个报送单位最多报送 %u 件作品，"
			    "“%s”已登记 %u 件。", quota, who, count));
			return 0;
		}
	}
	if (category != NULL &&
	    (quota = campaign_quota_per_unit_category(campaign, category)) > 0) {
		if (db_case_count(ingest->db, id, unit, unit ? NULL : sender,
		    category, &count, error_r) < 0)
			return -1;
		if (count >= quota) {
			verdict_refuse(v, "over-quota", REPLY_OVER_QUOTA,
			    g_strdup_printf("每个报送单位的“%s”最多报送 %u 件，"
			    "“%s”已登记 %u 件。", category, quota, who, count));
			return 0;
		}
	}
	if ((quota = campaign_quota_per_submitter(campaign)) > 0) {
		if (db_case_count(ingest->db, id, NULL, sender, NULL, &count,
		    error_r) < 0)
			return -1;
		if (count >= quota) {
			verdict_refuse(v, "over-quota", REPLY_OVER_QUOTA,
			    g_strdup_printf("每位投稿人最多报送 %u 件作品，"
			    "%s 已登记 %u 件。", quota, sender, count));
			return 0;
		}
	}
	return 0;
}

static char *ingest_time_text(GDateTime *dt, const struct campaign *campaign);

uint64_t
ingest_max_size(const struct campaign *campaign,
    const struct mail_limits *limits)
{
	uint64_t max = campaign_max_message_size(campaign);
	struct mail_limits resolved;

	mail_limits_resolve(&resolved, limits);
	return max > 0 ? max : resolved.message_bytes;
}

/* Every policy, in the order described in ingest.h. */
static int
ingest_judge(const struct ingest *ingest, const struct campaign *campaign,
    const struct message *msg, GDateTime *arrival, uint64_t size,
    struct verdict *v, char **error_r)
{
	const char *why = NULL;
	char *bad;
	int r;

	/* Over the size limit only the header was fetched (poll.c). */
	if (loopguard_check(ingest->config, ingest->db, msg,
	    size > ingest_max_size(campaign, &ingest->config->limits), &why)) {
		v->outcome = "ignored";
		v->reason = g_strdup(why);
		return 0;
	}
	if (size > ingest_max_size(campaign, &ingest->config->limits)) {
		g_autofree char *have = reply_format_size(size);
		g_autofree char *max = reply_format_size(
		    ingest_max_size(campaign, &ingest->config->limits));

		verdict_refuse(v, "too-large", REPLY_TOO_LARGE, g_strdup_printf(
		    "邮件大小为 %s，超过了本次征集每封邮件 %s 的上限。", have, max));
		return 0;
	}
	r = campaign_window(campaign, arrival);
	if (r != 0) {
		GDateTime *edge = r < 0 ? campaign_opens(campaign) :
		    campaign_closes(campaign);
		g_autofree char *when = ingest_time_text(edge, campaign);

		verdict_refuse(v, "late", REPLY_LATE, r < 0 ?
		    g_strdup_printf("本次征集自%s起接收投稿，您的邮件到达时尚未开始。",
		    when) :
		    g_strdup_printf("本次征集已于%s截止，您的邮件到达时已超过截止时间。",
		    when));
		return 0;
	}
	if (message_limit_exceeded(msg) != NULL) {
		v->outcome = "rejected";
		v->reply = true;
		v->kind = REPLY_CORRECTION;
		v->reason = g_strdup(message_limit_exceeded(msg));
		v->diagnostics = g_string_new(v->reason);
		return 0;
	}
	r = ingest_judge_names(campaign, msg, v, error_r);
	if (r < 0)
		return -1;
	if (r == 0) {
		v->outcome = "rejected";
		v->reply = true;
		v->kind = REPLY_CORRECTION;
		v->reason = g_strdup(v->diagnostics ? v->diagnostics->str :
		    "naming convention not met");
		return 0;
	}
	if ((bad = ingest_bad_sender(campaign, msg, v)) != NULL ||
	    (bad = ingest_bad_extensions(campaign, msg)) != NULL) {
		v->outcome = "rejected";
		v->reply = true;
		v->kind = REPLY_CORRECTION;
		v->reason = bad;
		if (v->diagnostics == NULL)
			v->diagnostics = g_string_new(NULL);
		g_string_append(v->diagnostics, bad);
		return 0;
	}
	if (ingest_judge_quota(ingest, campaign, msg, v, error_r) < 0)
		return -1;
	if (v->outcome != NULL)
		return 0;
	v->outcome = "accepted";
	v->reply = true;
	v->kind = v->superseded_receipt ? REPLY_SUPERSEDED : REPLY_RECEIPT;
	return 0;
}

static char *
ingest_receipt(const struct campaign *campaign, unsigned seq)
{
	g_autofree char *prefix = campaign_receipt_prefix(campaign);

	return g_strdup_printf("%s-%05u", prefix, seq);
}

static char *
ingest_time_text(GDateTime *dt, const struct campaign *campaign)
{
	g_autoptr(GDateTime) local = g_date_time_to_timezone(dt,
	    campaign_timezone(campaign));

	/* People in these campaigns read 北京时间, not a zone name. */
	if (strcmp(g_time_zone_get_identifier(campaign_timezone(campaign)),
	    "Asia/Shanghai") == 0)
		return g_date_time_format(local, "%Y-%m-%d %H:%M:%S（北京时间）");
	return g_date_time_format(local, "%Y-%m-%d %H:%M:%S (UTC%:z)");
}

static char *
ingest_time_iso(GDateTime *dt, const struct campaign *campaign)
{
	g_autoptr(GDateTime) local = g_date_time_to_timezone(dt,
	    campaign_timezone(campaign));

	return g_date_time_format(local, "%Y-%m-%dT%H:%M:%S%:z");
}

struct saved_attachment {
	char *name;		/* in the store */
	const char *original;
	const char *content_type;
	uint64_t size;
	char sha256[65];
};

static void
saved_attachment_clear(gpointer p)
{
	struct saved_attachment *a = p;

	g_free(a->name);
}

/* {"field": "value", ...}: the normalised values, or as typed. */
static void
ingest_fields_object(GString *j, const struct grammar_result *res,
    bool original)
{
	size_t i, n = grammar_result_field_count(res);

	g_string_append_c(j, '{');
	for (i = 0; i < n; i++) {
		const char *name, *value, *orig;

		grammar_result_field(res, i, &name, &value, &orig);
		json_append_key(j, name, i == 0);
		json_append_string(j, original ? orig : value);
	}
	g_string_append_c(j, '}');
}

static char *
ingest_case_json(const struct campaign *campaign, const char *receipt,
    const struct message *msg, const struct verdict *v, const char *arrival,
    const char *raw_sha, GArray *saved)
{
	GString *j = g_string_new("{");
	size_t i;

	json_append_key(j, "receipt", 1);
	json_append_string(j, receipt);
	json_append_key(j, "campaign", 0);
	json_append_string(j, campaign_id(campaign));
	json_append_key(j, "status", 0);
	json_append_string(j, "accepted");
	json_append_key(j, "fields", 0);
	ingest_fields_object(j, v->fields, false);
	json_append_key(j, "fields_original", 0);
	ingest_fields_object(j, v->fields, true);
	json_append_key(j, "from", 0);
	json_append_string(j, message_from_address(msg));
	json_append_key(j, "from_name", 0);
	json_append_string(j, message_from_name(msg));
	json_append_key(j, "subject", 0);
	json_append_string(j, message_subject(msg));
	json_append_key(j, "message_id", 0);
	json_append_string(j, message_id(msg));
	json_append_key(j, "received_at", 0);
	json_append_string(j, arrival);
	json_append_key(j, "message_sha256", 0);
	json_append_string(j, raw_sha);
	json_append_key(j, "attachments", 0);
	g_string_append_c(j, '[');
	for (i = 0; i < saved->len; i++) {
		struct saved_attachment *a = &g_array_index(saved,
		    struct saved_attachment, i);

		if (i > 0)
			g_string_append_c(j, ',');
		g_string_append_c(j, '{');
		json_append_key(j, "name", 1);
		json_append_string(j, a->name);
		json_append_key(j, "original_name", 0);
		json_append_string(j, a->original);
		json_append_key(j, "content_type", 0);
		json_append_string(j, a->content_type);
		json_append_key(j, "size", 0);
		g_string_append_printf(j, "%llu", (unsigned long long)a->size);
		json_append_key(j, "sha256", 0);
		json_append_string(j, a->sha256);
		g_string_append_c(j, '}');
	}
	g_string_append(j, "]}\n");
	return g_string_free(j, FALSE);
}

/* Saves every attachment into the case; returns them in *saved. */
static int
ingest_save_attachments(struct store_case *sc, const struct message *msg,
    GArray *saved, char **error_r)
{
	size_t i, n = message_attachment_count(msg);

	for (i = 0; i < n; i++) {
		struct saved_attachment a = { 0 };
		g_autofree char *fallback = g_strdup_printf("附件%zu", i + 1);
		GMimeStream *content;
		int r;

		a.original = message_attachment_name(msg, i);
		a.content_type = message_attachment_content_type(msg, i);
		a.name = store_case_name(sc, a.original, fallback);
		content = message_attachment_stream(msg, i);
		r = store_write_stream(store_case_dirfd(sc), a.name, content,
		    &a.size, a.sha256, error_r);
		g_object_unref(content);
		if (r < 0) {
			g_free(a.name);
			return -1;
		}
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

/* What one message leaves in the database, all in one transaction. */
struct ingest_record {
	const struct db_message *row;
	int64_t update_row;			/* >0: update this row instead */
	const struct db_case *dcase;		/* NULL: no case */
	const char *superseded;			/* receipt marked superseded */
	const char *reply_kind;
	const char *reply_to;
	const char *reply_data;			/* NULL: no reply */
	size_t reply_len;
	const char *reply_id;
};

static int
ingest_commit(struct ingest *ingest, const struct ingest_record *rec,
    const struct ingest_source *source, char **error_r)
{
	struct db *db = ingest->db;
	const struct db_message *row = rec->row;
	int64_t rowid;

	if (db_begin(db, error_r) < 0)
		return -1;
	rowid = rec->update_row;
	if ((rec->update_row > 0 ? db_message_update(db, rowid, row,
	    error_r) : db_message_add(db, row, &rowid, error_r)) < 0 ||
	    (rec->superseded != NULL && db_case_set_status(db, rec->superseded,
	    "superseded", error_r) < 0) ||
	    (rec->dcase != NULL && db_case_add(db, rec->dcase, rowid,
	    error_r) < 0) ||
	    (rec->reply_data != NULL && db_outbox_add(db, rowid,
	    rec->reply_kind, rec->reply_to, row->message_id, rec->reply_id,
	    rec->reply_data, rec->reply_len, error_r) < 0) ||
	    (source->folder != NULL && db_folder_set(db, row->campaign,
	    source->folder, source->uidvalidity, source->uid, error_r) < 0)) {
		db_rollback(db);
		return -1;
	}
	if (db_commit(db, error_r) < 0) {
		db_rollback(db);
		return -1;
	}
	return 0;
}

/* After the commit: the superseded case's own case.json says so too.  The
 * database is the truth; a crash before this leaves only the file stale. */
static void
ingest_mark_superseded(struct ingest *ingest, const char *dir)
{
	g_autofree char *path = g_build_filename(store_dir(ingest->store), dir,
	    "case.json", NULL);
	g_autofree char *text = NULL, *error = NULL;
	char *status;
	gsize len;

	if (!g_file_get_contents(path, &text, &len, NULL))
		return;
	status = strstr(text, "\"status\":\"accepted\"");
	if (status == NULL)
		return;
	{
		g_autofree char *head = g_strndup(text, (gsize)(status - text));
		g_autofree char *updated = g_strconcat(head,
		    "\"status\":\"superseded\"",
		    status + strlen("\"status\":\"accepted\""), NULL);

		if (store_write_file_atomic(path, updated, strlen(updated),
		    &error) < 0)
			log_warnx("%s", error);
	}
}

/* Builds the case folder, fills in dcase, receipt details and the reply. */
static int
ingest_make_case(struct ingest *ingest, const struct campaign *campaign,
    const char *path, const struct message *msg, const struct verdict *v,
    const char *arrival_iso, const char *sha, struct db_case *dcase,
    char **receipt_r, char **case_dir_r, char **fields_json_r,
    GArray *saved, struct store_case **sc_r, char **error_r)
{
	const char *cf = campaign_category_field(campaign);
	const char *tf = campaign_title_field(campaign);
	const char *uf = campaign_unit_field(campaign);
	g_autofree char *json = NULL;
	GString *fj;
	unsigned seq;

	/* One subgate per store (store lock), so the sequence read here is
	 * still free when the transaction records the case. */
	if (db_case_next_seq(ingest->db, campaign_id(campaign), &seq,
	    error_r) < 0)
		return -1;
	*receipt_r = ingest_receipt(campaign, seq);
	dcase->receipt = *receipt_r;
	dcase->campaign = campaign_id(campaign);
	dcase->category = cf ? grammar_result_get(v->fields, cf) : NULL;
	dcase->title = tf ? grammar_result_get(v->fields, tf) : NULL;
	dcase->unit = uf ? grammar_result_get(v->fields, uf) : NULL;
	dcase->sender = message_from_address(msg);
	dcase->status = "accepted";
	dcase->received_at = arrival_iso;
	if (store_case_begin(ingest->store, campaign_id(campaign),
	    dcase->category, *receipt_r,
	    dcase->title ? dcase->title : message_subject(msg), sc_r,
	    error_r) < 0)
		return -1;
	if (store_case_copy(*sc_r, "original.eml", path, error_r) < 0 ||
	    ingest_save_attachments(*sc_r, msg, saved, error_r) < 0)
		return -1;
	crashpoint("mid-case");
	json = ingest_case_json(campaign, *receipt_r, msg, v, arrival_iso, sha,
	    saved);
	if (store_case_write(*sc_r, "case.json", json, strlen(json),
	    error_r) < 0)
		return -1;
	*case_dir_r = g_strdup(store_case_relpath(*sc_r));
	dcase->dir = *case_dir_r;
	fj = g_string_new(NULL);
	ingest_fields_object(fj, v->fields, false);
	*fields_json_r = g_string_free(fj, FALSE);
	dcase->fields_json = *fields_json_r;
	return 0;
}

char *
ingest_unaccepted_name(const char *folder, uint32_t uidvalidity,
    uint32_t uid, const char *sha256)
{
	/* Mail from a folder is named by where it came from, so staff can
	 * find it in the mailbox; offline mail by its content. */
	return folder != NULL ? g_strdup_printf("%u-%u", uidvalidity, uid) :
	    g_strdup_printf("offline-%.16s", sha256);
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

	if (store_keep_unaccepted(ingest->store, row->campaign, path,
	    keep_name, error_r) < 0)
		return -1;
	row->outcome = "failed";
	row->reason = reason;
	if (ingest_commit(ingest, rec, source, error_r) < 0)
		return -1;
	result->outcome = g_strdup(row->outcome);
	result->reason = g_strdup(reason);
	return 0;
}

int
ingest_quarantine(struct ingest *ingest, const struct campaign *campaign,
    const char *path, const struct ingest_source *source, const char *reason,
    struct ingest_result *result, char **error_r)
{
	struct db_message row = { 0 };
	struct ingest_record rec = { .row = &row };
	struct message *msg = NULL;
	g_autofree char *keep_name = NULL, *parse_error = NULL;
	uint64_t size;
	char sha[65];
	int ret;

	memset(result, 0, sizeof(*result));
	if (file_sha256(path, sha, &size, error_r) < 0)
		return -1;
	row.campaign = campaign_id(campaign);
	row.folder = source->folder;
	row.uidvalidity = source->uidvalidity;
	row.uid = source->uid;
	row.sha256 = sha;
	keep_name = ingest_unaccepted_name(source->folder, source->uidvalidity,
	    source->uid, sha);
	/* Who sent it, for staff, if the message parses at all. */
	if (message_parse_file(path, &ingest->config->limits, &msg,
	    &parse_error) == 0) {
		row.message_id = message_id(msg);
		row.sender = message_from_address(msg);
		row.subject = message_subject(msg);
	}
	ret = ingest_record_failed(ingest, &rec, path, keep_name, reason,
	    source, result, error_r);
	message_free(&msg);
	return ret;
}

int
ingest_message(struct ingest *ingest, const struct campaign *campaign,
    const char *path, const struct ingest_source *source,
    struct ingest_result *result, char **error_r)
{
	struct message *msg = NULL;
	struct verdict v = { 0 };
	struct db_message row = { 0 };
	struct db_case dcase = { 0 };
	struct ingest_record rec = { 0 };
	struct store_case *sc = NULL;
	struct reply reply;
	g_autoptr(GDateTime) arrival = NULL;
	g_autofree char *arrival_text = NULL, *arrival_iso = NULL;
	g_autofree char *parse_error = NULL, *receipt = NULL;
	g_autofree char *case_dir = NULL, *fields_json = NULL;
	g_autofree char *reply_data = NULL, *reply_id = NULL;
	g_autofree char *keep_name = NULL;
	GArray *saved = g_array_new(FALSE, TRUE, sizeof(struct saved_attachment));
	struct reply_field *rfields = NULL;
	struct reply_attachment *ratt = NULL;
	size_t reply_len = 0, i, n;
	uint64_t size = source->size;
	char sha[65];
	int ret = -1, known;

	g_array_set_clear_func(saved, saved_attachment_clear);
	memset(result, 0, sizeof(*result));
	if (failpoint("ingest")) {
		*error_r = g_strdup("injected failure (SUBGATE_TEST_FAIL_POINT)");
		goto out;
	}
	if (file_sha256(path, sha, &size, error_r) < 0)
		goto out;
	if (source->size != 0)
		size = source->size;
	row.campaign = campaign_id(campaign);
	row.folder = source->folder;
	row.uidvalidity = source->uidvalidity;
	row.uid = source->uid;
	row.sha256 = sha;
	rec.row = &row;
	keep_name = ingest_unaccepted_name(source->folder, source->uidvalidity,
	    source->uid, sha);

	rec.update_row = source->reprocess_row;
	if (message_parse_file(path, &ingest->config->limits, &msg,
	    &parse_error) < 0) {
		/* Not a mail at all: keep it for staff, never retry. */
		if (source->reprocess_row > 0) {
			result->outcome = g_strdup("failed");
			result->reason = g_strdup(parse_error);
			ret = 0;
			goto out;
		}
		ret = ingest_record_failed(ingest, &rec, path, keep_name,
		    parse_error, source, result, error_r);
		goto out;
	}
	row.message_id = message_id(msg);
	row.sender = message_from_address(msg);
	row.subject = message_subject(msg);
	arrival = ingest_arrival(msg, source);
	arrival_text = ingest_time_text(arrival, campaign);
	arrival_iso = ingest_time_iso(arrival, campaign);
	row.received_at = arrival_iso;

	known = source->reprocess_row > 0 ? 0 : db_message_known(ingest->db,
	    row.campaign, row.message_id, sha, error_r);
	if (known < 0)
		goto out;
	if (known) {
		v.outcome = "duplicate";
		v.reason = g_strdup("already processed (same Message-ID or content)");
	} else if (ingest_judge(ingest, campaign, msg, arrival, size, &v,
	    error_r) < 0) {
		goto out;
	}
	if (source->reprocess_row > 0 && strcmp(v.outcome, "accepted") != 0)
		v.reply = false;
	row.outcome = v.outcome;
	row.reason = v.reason;
	ingest_reply_base(ingest, campaign, msg, arrival_text, &reply);
	reply.kind = v.kind;
	reply.notice = v.notice;
	reply.token = sha;

	if (strcmp(v.outcome, "accepted") == 0) {
		if (ingest_make_case(ingest, campaign, path, msg, &v,
		    arrival_iso, sha, &dcase, &receipt, &case_dir, &fields_json,
		    saved, &sc, error_r) < 0)
			goto out;
		row.receipt = receipt;
		rec.dcase = &dcase;
		rec.superseded = v.superseded_receipt;
		n = grammar_result_field_count(v.fields);
		rfields = g_new0(struct reply_field, n + 1);
		for (i = 0; i < n; i++) {
			const char *orig;

			grammar_result_field(v.fields, i, &rfields[i].name,
			    &rfields[i].value, &orig);
		}
		ratt = g_new0(struct reply_attachment, saved->len + 1);
		for (i = 0; i < saved->len; i++) {
			struct saved_attachment *a = &g_array_index(saved,
			    struct saved_attachment, i);

			ratt[i].name = a->original;
			ratt[i].size = a->size;
			ratt[i].sha256 = a->sha256;
		}
		reply.receipt = receipt;
		reply.title = dcase.title;
		reply.token = receipt;
		reply.fields = rfields;
		reply.field_count = n;
		reply.attachments = ratt;
		reply.attachment_count = saved->len;
		reply.superseded = v.superseded_receipt;
	} else if (v.reply) {
		/* Every message that made no case stays available to staff
		 * (and to reprocessing once a campaign file is fixed). */
		if (store_keep_unaccepted(ingest->store, row.campaign, path,
		    keep_name, error_r) < 0)
			goto out;
		n = source->headers_only ? 0 : message_attachment_count(msg);
		ratt = g_new0(struct reply_attachment, n + 1);
		for (i = 0; i < n; i++)
			ratt[i].name = message_attachment_name(msg, i);
		reply.attachments = ratt;
		reply.attachment_count = n;
		reply.diagnostics = v.diagnostics ? v.diagnostics->str : v.reason;
	}

	if (v.reply && reply.from != NULL && *reply.to != '\0') {
		if (reply_compose(&reply, &reply_data, &reply_len, &reply_id,
		    error_r) < 0)
			goto out;
		rec.reply_kind = reply_kind_name(reply.kind);
		rec.reply_to = reply.to;
		rec.reply_data = reply_data;
		rec.reply_len = reply_len;
		rec.reply_id = reply_id;
	}
	if (sc != NULL) {
		if (store_case_commit(&sc, error_r) < 0)
			goto out;
		crashpoint("after-case-rename");
	}
	if (ingest_commit(ingest, &rec, source, error_r) < 0) {
		/* The folder is in place but not committed: take it away
		 * now, or its receipt would be handed out again beside it. */
		g_autofree char *rm_error = NULL;

		if (case_dir != NULL && store_case_remove(ingest->store,
		    case_dir, &rm_error) < 0)
			log_warnx("%s", rm_error);
		goto out;
	}
	crashpoint("after-commit");
	if (v.superseded_dir != NULL && receipt != NULL)
		ingest_mark_superseded(ingest, v.superseded_dir);
	/* A reprocessed message that became a case lives on as the case's
	 * original.eml; its copy among the unaccepted goes. */
	if (source->reprocess_row > 0 && receipt != NULL)
		(void)unlink(path);

	result->outcome = g_strdup(v.outcome);
	result->receipt = g_strdup(receipt);
	result->reason = g_strdup(v.reason);
	result->case_dir = g_strdup(case_dir);
	ret = 0;
out:
	store_case_abort(&sc);
	g_array_free(saved, TRUE);
	g_free(rfields);
	g_free(ratt);
	verdict_clear(&v);
	message_free(&msg);
	return ret;
}
