/* case_record: see include/case_record.h. */
#include <string.h>

#include <glib.h>

#include "case_record.h"
#include "db.h"
#include "progress.h"

static const struct {
	const char *name, *label;
} case_statuses[CASE_STATUS_COUNT] = {
	[CASE_ACCEPTED] = { "accepted", "已受理" },
	[CASE_REJECTED] = { "rejected", "已退回" },
	[CASE_SUPERSEDED] = { "superseded", "已被替换" },
	[CASE_MISSING] = { "missing", "案卷缺失" },
	[CASE_PENDING] = { "pending", "待核实" },
};

const char *
case_status_name(enum case_status status)
{
	g_assert((size_t)status < G_N_ELEMENTS(case_statuses));
	return case_statuses[status].name;
}

int
case_status_parse(const char *name, enum case_status *status_r)
{
	size_t i;

	for (i = 0; name != NULL && i < G_N_ELEMENTS(case_statuses); i++) {
		if (strcmp(name, case_statuses[i].name) == 0) {
			*status_r = (enum case_status)i;
			return 0;
		}
	}
	return -1;
}

static const char *const review_actions[REVIEW_ACTION_COUNT] = {
	[REVIEW_ACCEPT] = "accept",
	[REVIEW_REJECT] = "reject",
	[REVIEW_REPROCESS] = "reprocess",
	[REVIEW_FSCK] = "fsck",
	[REVIEW_CONFIRM] = "confirm",
	[REVIEW_REFUSE] = "refuse",
};

const char *
case_review_action_name(enum case_review_action action)
{
	g_assert((size_t)action < G_N_ELEMENTS(review_actions));
	return review_actions[action];
}

int
case_review_action_parse(const char *name, enum case_review_action *action_r)
{
	size_t i;

	for (i = 0; name != NULL && i < G_N_ELEMENTS(review_actions); i++) {
		if (strcmp(name, review_actions[i]) == 0) {
			*action_r = (enum case_review_action)i;
			return 0;
		}
	}
	return -1;
}

const char *
case_status_label(const char *status)
{
	enum case_status s;

	if (status == NULL)
		return "";
	if (case_status_parse(status, &s) < 0)
		return status;
	return case_statuses[s].label;
}

char *
case_time_short(const char *iso)
{
	char *t;

	if (iso == NULL)
		return g_strdup("");
	t = g_strndup(iso, 16);
	if (strlen(t) > 10 && t[10] == 'T')
		t[10] = ' ';
	return t;
}

char *
case_time_local(const char *iso, GTimeZone *tz)
{
	GTimeZone *utc;
	GDateTime *t, *l;
	char *out;

	if (iso == NULL)
		return NULL;
	utc = g_time_zone_new_utc();
	t = g_date_time_new_from_iso8601(iso, utc);
	g_time_zone_unref(utc);
	if (t == NULL || tz == NULL) {
		if (t != NULL)
			g_date_time_unref(t);
		return g_strdup(iso);
	}
	l = g_date_time_to_timezone(t, tz);
	out = g_date_time_format(l, "%Y-%m-%dT%H:%M:%S%:z");
	g_date_time_unref(l);
	g_date_time_unref(t);
	return out;
}

void
case_record_free(struct case_record *c)
{
	struct case_json_summary s;

	if (c == NULL)
		return;
	g_free(c->receipt);
	g_free(c->campaign);
	g_free(c->category);
	g_free(c->title);
	g_free(c->unit);
	g_free(c->sender);
	g_free(c->status);
	g_free(c->dir);
	g_free(c->received_at);
	g_free(c->batch);
	g_free(c->json_error);
	case_fields_free(c->form, c->form_count);
	/* The rest came from case.json or the row's fields: one owner. */
	s = (struct case_json_summary){
		.from_name = c->from_name, .subject = c->subject,
		.message_id = c->message_id, .fields = c->fields,
		.field_count = c->field_count, .attachments = c->attachments,
		.attachment_count = c->attachment_count,
		.findings = c->findings, .finding_count = c->finding_count,
		.links = c->links, .link_count = c->link_count,
	};
	case_json_summary_clear(&s);
	g_free(c);
}

const char *
case_record_submitter(const struct case_record *c)
{
	if (c->unit != NULL && *c->unit != '\0')
		return c->unit;
	if (c->from_name != NULL && *c->from_name != '\0')
		return c->from_name;
	return c->sender ? c->sender : "";
}

const char *
case_record_field(const struct case_record *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->field_count; i++)
		if (strcmp(c->fields[i].name, name) == 0)
			return c->fields[i].value;
	return NULL;
}

const char *
case_record_form(const struct case_record *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->form_count; i++)
		if (strcmp(c->form[i].name, name) == 0)
			return c->form[i].value;
	return NULL;
}

static bool
has_finding(const struct case_record *c, const char *prefix)
{
	size_t i;

	for (i = 0; i < c->finding_count; i++)
		if (c->findings[i].code != NULL &&
		    g_str_has_prefix(c->findings[i].code, prefix))
			return true;
	return false;
}

const char *
case_record_form_mark(const struct case_record *c)
{
	if (has_finding(c, "form-contradicts"))
		return "不一致";
	if (has_finding(c, "form-blank"))
		return "未填";
	if (c->form_count > 0)
		return "✓";
	if (has_finding(c, "form-unreadable") ||
	    has_finding(c, "form-unrecognised"))
		return "未读取";
	return NULL;
}

char *
case_record_form_text(const struct case_record *c, size_t max)
{
	GString *s = g_string_new(NULL);
	size_t i, n = 0;

	for (i = 0; i < c->form_count && n < max; i++) {
		const struct case_field *f = &c->form[i];

		if (f->value == NULL || *f->value == '\0' ||
		    case_record_field(c, f->name) != NULL)
			continue;
		g_string_append_printf(s, "%s%s：%s", n++ > 0 ? "；" : "",
		    f->name, f->value);
	}
	if (s->len == 0) {
		g_string_free(s, TRUE);
		return NULL;
	}
	return g_string_free(s, FALSE);
}

bool
case_record_counts(const struct case_record *c)
{
	enum case_status s;

	if (case_status_parse(c->status, &s) < 0)
		return true;
	return s != CASE_REJECTED && s != CASE_SUPERSEDED &&
	    s != CASE_MISSING && s != CASE_PENDING;
}

/* What case.json adds to the row; the row's fields (corrected by staff)
 * win over the document's. */
static void
case_record_read_json(struct case_record *c, const char *store_dir)
{
	g_autofree char *data = NULL;
	struct case_json_summary s;
	char *error = NULL;
	size_t len = 0;

	if (case_json_read(store_dir, c->dir, &data, &len, &error) < 0) {
		c->json_error = error;
		return;
	}
	if (case_json_summarize(data, len, &s, &error) < 0) {
		c->json_error = g_strdup_printf("case.json: %s", error);
		g_free(error);
		return;
	}
	c->from_name = g_steal_pointer(&s.from_name);
	c->subject = g_steal_pointer(&s.subject);
	c->message_id = g_steal_pointer(&s.message_id);
	if (c->fields == NULL) {
		c->fields = g_steal_pointer(&s.fields);
		c->field_count = s.field_count;
		s.field_count = 0;
	}
	c->attachments = g_steal_pointer(&s.attachments);
	c->attachment_count = s.attachment_count;
	c->total_size = s.total_size;
	s.attachment_count = 0;
	c->findings = g_steal_pointer(&s.findings);
	c->finding_count = s.finding_count;
	s.finding_count = 0;
	c->links = g_steal_pointer(&s.links);
	c->link_count = s.link_count;
	s.link_count = 0;
	case_json_summary_clear(&s);
}

struct load_ctx {
	const char *store_dir;
	GPtrArray *cases;
	struct progress *progress;	/* may be NULL */
};

static int
load_one(const struct db_case *row, void *ctx)
{
	struct load_ctx *l = ctx;
	struct case_record *c = g_new0(struct case_record, 1);

	c->receipt = g_strdup(row->receipt);
	c->campaign = g_strdup(row->campaign);
	c->category = g_strdup(row->category);
	c->title = g_strdup(row->title);
	c->unit = g_strdup(row->unit);
	c->sender = g_strdup(row->sender);
	c->status = g_strdup(row->status);
	c->dir = g_strdup(row->dir ? row->dir : "");
	c->received_at = g_strdup(row->received_at);
	c->batch = g_strdup(row->batch);
	c->seq = row->seq;
	/* The database's fields are the corrected ones. */
	if (row->fields_json != NULL) {
		g_autofree char *error = NULL;

		if (case_json_fields_parse(row->fields_json, &c->fields,
		    &c->field_count, &error) < 0) {
			c->fields = NULL;
			c->field_count = 0;
		}
	}
	if (row->form_json != NULL) {
		g_autofree char *error = NULL;

		if (case_json_fields_parse(row->form_json, &c->form,
		    &c->form_count, &error) < 0) {
			c->form = NULL;
			c->form_count = 0;
		}
	}
	case_record_read_json(c, l->store_dir);
	g_ptr_array_add(l->cases, c);
	progress_step(l->progress, 1);
	return 0;
}

int
case_records_load(struct db *db, const char *store_dir,
    const struct db_case_query *q, struct progress *progress,
    GPtrArray **cases_r, char **error_r)
{
	struct load_ctx l = {
		.store_dir = store_dir,
		.cases = g_ptr_array_new_with_free_func(
		    (GDestroyNotify)case_record_free),
		.progress = progress,
	};

	*cases_r = NULL;
	if (db_case_list(db, q, load_one, &l, error_r) < 0) {
		g_ptr_array_unref(l.cases);
		return -1;
	}
	*cases_r = l.cases;
	return 0;
}

static void
case_refused_free(gpointer p)
{
	struct case_refused *r = p;

	g_free(r->campaign);
	g_free(r->title);
	g_free(r->category);
	g_free(r->unit);
	g_free(r->sender);
	g_free(r->subject);
	g_free(r->received_at);
	g_free(r->outcome);
	g_free(r->policy);
	g_free(r->reason);
	g_free(r->first_receipt);
	g_free(r);
}

static int
case_refused_add(const struct db_refused_work *w, void *ctx)
{
	struct case_refused *r = g_new0(struct case_refused, 1);

	r->campaign = g_strdup(w->campaign);
	r->title = g_strdup(w->work->title);
	r->category = g_strdup(w->work->category);
	r->unit = g_strdup(w->work->unit);
	r->sender = g_strdup(w->sender);
	r->subject = g_strdup(w->subject);
	r->received_at = g_strdup(w->received_at);
	r->outcome = g_strdup(w->work->outcome);
	r->policy = g_strdup(w->work->policy);
	r->reason = g_strdup(w->work->reason);
	r->first_receipt = g_strdup(w->first_receipt);
	r->last_seq = w->last_seq;
	r->pos = w->work->pos;
	g_ptr_array_add(ctx, r);
	return 0;
}

int
case_refused_load(struct db *db, const struct db_case_query *q,
    bool with_cases_only, GPtrArray **refused_r, char **error_r)
{
	GPtrArray *refused = g_ptr_array_new_with_free_func(case_refused_free);

	*refused_r = NULL;
	if (db_refused_works(db, q, with_cases_only, case_refused_add,
	    refused, error_r) < 0) {
		g_ptr_array_unref(refused);
		return -1;
	}
	*refused_r = refused;
	return 0;
}

bool
case_refused_before(const struct case_refused *r,
    const struct case_record *c)
{
	int k = strcmp(r->campaign ? r->campaign : "", c->campaign ?
	    c->campaign : "");

	return k < 0 || (k == 0 && r->last_seq > 0 && r->last_seq < c->seq);
}
