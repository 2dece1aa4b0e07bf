/*
 * decision: `cases accept|reject`, a staff decision on a case, recorded
 * with who and when; corrected fields; an optional mail to the submitter.
 * The database, case.json and the queued mail change in one transaction.
 *
 * `cases refuse` is a reject that also remembers the case's sender as
 * refused for its unit; `cases confirm` is in confirm.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "campaign.h"
#include "case_json.h"
#include "case_record.h"
#include "cli.h"
#include "config.h"
#include "db.h"
#include "grammar.h"
#include "htmlindex.h"
#include "json.h"
#include "log.h"
#include "reply.h"
#include "store.h"
#include "textcell.h"
#include "timetext.h"

#include "decision-private.h"


/* Who made a decision: the login name, else what the environment says. */
char *
cases_reviewer(void)
{
	const char *who = getlogin();

	if (who == NULL || *who == '\0')
		who = getenv("SUDO_USER");
	if (who == NULL || *who == '\0')
		who = getenv("USER");
	if (who == NULL || *who == '\0')
		who = getenv("LOGNAME");
	if (who == NULL || *who == '\0')
		return g_strdup_printf("uid %u", (unsigned)getuid());
	return textcell_clean(who, FALSE);
}

void
decision_mail_clear(struct decision_mail *m)
{
	g_free(m->to);
	g_free(m->data);
	g_free(m->message_id);
}

/* The address the case's receipt went to. */
static int
decision_recipient(const struct db_reply *r, void *ctx)
{
	char **to = ctx;

	if (*to == NULL &&
	    (strcmp(r->kind, reply_kind_name(REPLY_RECEIPT)) == 0 ||
	    strcmp(r->kind, reply_kind_name(REPLY_SUPERSEDED)) == 0))
		*to = g_strdup(r->recipient);
	return 0;
}

/*
 * The mail telling the submitter of a decision.  It goes where the
 * receipt went: a case without a receipt (no [smtp] from then, or a
 * sender whose domain did not authenticate) has no address subgate may
 * write to, and the decision is not made.
 */
int
decision_mail_compose(struct cli_state *s, const struct campaign *campaign,
    const struct case_record *c, const struct db_case_review *r,
    JsonObject *changes, const struct decision_about *about,
    struct decision_mail *m, char **error_r)
{
	const struct config_smtp *smtp = &s->config->smtp;
	struct reply reply = { 0 };
	struct reply_field *fields = NULL, *changed = NULL;
	g_autofree char *token = NULL, *arrival = NULL;
	size_t i, nchanged = 0;
	int ret;

	if (smtp->from == NULL) {
		*error_r = g_strdup_printf("%s has no [smtp] from: a decision "
		    "mail cannot be sent", s->config->path);
		return -1;
	}
	if (db_case_replies(s->db, c->receipt, decision_recipient, &m->to,
	    error_r) < 0)
		return -1;
	if (m->to == NULL || *m->to == '\0') {
		*error_r = g_strdup_printf("case %s got no receipt, so there "
		    "is no address to notify; decide without --notify",
		    c->receipt);
		return -1;
	}
	fields = g_new0(struct reply_field, c->field_count + 1);
	changed = g_new0(struct reply_field, c->field_count + 1);
	for (i = 0; i < c->field_count; i++) {
		const char *name = c->fields[i].name;

		fields[i].name = name;
		fields[i].value = c->fields[i].value;
		if (json_object_has_member(changes, name)) {
			fields[i].value = json_object_get_string_member(changes,
			    name);
			changed[nchanged++] = fields[i];
		}
	}
	/* Each decision is a mail of its own, with its own Message-ID. */
	token = g_uuid_string_random();
	g_strdelimit(token, "-", 'x');
	{
		g_autoptr(GDateTime) at = c->received_at != NULL ?
		    g_date_time_new_from_iso8601(c->received_at, NULL) : NULL;

		arrival = at != NULL ? timetext_moment(at,
		    campaign_timezone(campaign)) :
		    case_time_short(c->received_at);
	}
	m->kind = strcmp(r->status, case_status_name(CASE_REJECTED)) == 0 ?
	    REPLY_DECISION_REJECTED : REPLY_DECISION_ACCEPTED;
	reply.kind = m->kind;
	reply.campaign_name = campaign_name(campaign);
	reply.contact = campaign_contact(campaign);
	reply.from = smtp->from;
	reply.from_name = smtp->from_name;
	reply.to = m->to;
	reply.to_name = c->from_name;
	reply.orig_subject = c->subject;
	reply.orig_message_id = c->message_id ? c->message_id : "";
	reply.orig_references = "";
	reply.receipt = c->receipt;
	reply.title = r->title ? r->title : c->title;
	reply.token = token;
	reply.arrival = arrival;
	reply.fields = fields;
	reply.field_count = c->field_count;
	reply.changes = changed;
	reply.change_count = nchanged;
	reply.reason = r->reason;
	reply.campaign = campaign;
	if (about != NULL) {
		reply.works = about->works;
		reply.work_count = about->work_count;
		reply.notice = about->notice;
		reply.sender_refused = about->sender_refused;
	}
	ret = reply_compose(&reply, &m->data, &m->len, &m->message_id,
	    error_r);
	g_free(fields);
	g_free(changed);
	return ret;
}

/*
 * The database's side of corrected fields: the whole fields object with
 * the changes applied (a field the case never had is appended), the
 * changes themselves, and the columns for the fields' roles.  r's strings
 * point into *changes_json_r, *fields_json_r and changes.
 */
void
decision_set_fields(const struct campaign *campaign, const struct case_record *c,
    JsonObject *changes, struct db_case_review *r, char **changes_json_r,
    char **fields_json_r)
{
	JsonGenerator *gen = json_generator_new();
	JsonNode *node = json_node_new(JSON_NODE_OBJECT);
	const char *cf = campaign_category_field(campaign);
	const char *tf = campaign_title_field(campaign);
	const char *uf = campaign_unit_field(campaign);
	GList *members = json_object_get_members(changes), *l;
	size_t n = c->field_count + g_list_length(members), k = 0, i;
	const char **names = g_new0(const char *, n + 1);
	const char **values = g_new0(const char *, n + 1);

	json_node_set_object(node, changes);
	json_generator_set_root(gen, node);
	*changes_json_r = json_generator_to_data(gen, NULL);
	json_node_unref(node);
	g_object_unref(gen);
	for (i = 0; i < c->field_count; i++, k++) {
		names[k] = c->fields[i].name;
		values[k] = json_object_has_member(changes, names[k]) ?
		    json_object_get_string_member(changes, names[k]) :
		    c->fields[i].value;
	}
	for (l = members; l != NULL; l = l->next) {
		if (case_record_field(c, l->data) != NULL)
			continue;
		names[k] = l->data;
		values[k++] = json_object_get_string_member(changes, l->data);
	}
	*fields_json_r = case_json_fields_text(names, values, k);
	g_list_free(members);
	g_free(names);
	g_free(values);
	r->fields_json = *fields_json_r;
	r->changes_json = *changes_json_r;
	if (cf && json_object_has_member(changes, cf))
		r->category = json_object_get_string_member(changes, cf);
	if (tf && json_object_has_member(changes, tf))
		r->title = json_object_get_string_member(changes, tf);
	if (uf && json_object_has_member(changes, uf))
		r->unit = json_object_get_string_member(changes, uf);
}

/*
 * Records a decision on case c: the case row and the review in the
 * database, case.json rewritten, the decision mail (when there is one)
 * queued and what staff said of the sender for the unit (when they said
 * something), all in one transaction.  EX_OK, or an exit status and
 * *error_r.
 */
int
decision_commit(struct cli_state *s, const struct case_record *c,
    const struct db_case_review *r, JsonObject *changes,
    const struct decision_mail *mail, const struct db_unit_sender *sender,
    char **error_r)
{
	g_autofree char *old = NULL, *json = NULL, *json_path = NULL;
	g_autofree char *error = NULL;
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autofree char *now_text = g_date_time_format(now,
	    "%Y-%m-%dT%H:%M:%SZ");
	size_t old_len = 0;

	/* The database and case.json change together: case.json is
	 * replaced inside the transaction and put back if it fails. */
	json_path = g_build_filename(s->config->store_dir, c->dir,
	    "case.json", NULL);
	if (case_json_read(s->config->store_dir, c->dir, &old, &old_len,
	    &error) < 0 || (json = case_json_with_review(old, old_len, r, now_text,
	    changes, &error)) == NULL) {
		*error_r = g_strdup_printf("%s: %s", c->receipt, error);
		return EX_DATAERR;
	}
	/* The decision mail is queued with the decision, or neither is
	 * recorded. */
	if (db_begin(s->db, error_r) < 0 ||
	    db_case_review(s->db, r, error_r) < 0 ||
	    (sender != NULL && db_unit_sender_set(s->db, sender,
	    error_r) < 0) ||
	    (mail != NULL && mail->data != NULL && db_case_outbox_add(s->db,
	    c->receipt, reply_kind_name(mail->kind), mail->to, c->message_id,
	    mail->message_id, mail->data, mail->len, error_r) < 0)) {
		db_rollback(s->db);
		return EX_TEMPFAIL;
	}
	if (store_write_file_atomic(json_path, json, strlen(json),
	    error_r) < 0) {
		db_rollback(s->db);
		return EX_CANTCREAT;
	}
	if (db_commit(s->db, error_r) < 0) {
		db_rollback(s->db);
		if (store_write_file_atomic(json_path, old, old_len,
		    &error) < 0)
			log_warnx("%s: could not restore: %s", json_path,
			    error);
		return EX_TEMPFAIL;
	}
	return EX_OK;
}

/*
 * A value staff set must be one the naming convention takes, as if the
 * submitter had typed it: the category of a case decides its folder,
 * its quota and its row in the 汇总表, and a value outside the list
 * would be counted nowhere.  An alias becomes its canonical value.  0 (and
 * *value_p replaced) or -1 when refused, said on stderr.
 */
/*
 * An accept can take a unit past its quota (a case rejected, the work
 * sent again and filed, then the first accepted after all): allowed,
 * staff decide, but said, so that it is a decision and not a slip.
 */
static void
decision_quota_warn(struct cli_state *s, const struct campaign *campaign,
    const struct case_record *c)
{
	const char *who = c->unit ? c->unit : c->sender;
	g_autofree char *error = NULL;
	unsigned quota, n = 0;

	if ((quota = campaign_unit_quota(campaign, c->unit, NULL)) > 0 &&
	    db_case_count(s->db, c->campaign, c->unit, c->unit ? NULL :
	    c->sender, NULL, &n, &error) == 0 && n > quota)
		fprintf(stderr, "subgate: warning: %s now has %u accepted "
		    "cases, over its quota of %u\n", who, n, quota);
	if (c->category != NULL && (quota = campaign_unit_quota(campaign,
	    c->unit, c->category)) > 0 && db_case_count(s->db, c->campaign,
	    c->unit, c->unit ? NULL : c->sender, c->category, &n,
	    &error) == 0 && n > quota)
		fprintf(stderr, "subgate: warning: %s now has %u accepted "
		    "cases in %s, over its quota of %u\n", who, n, c->category,
		    quota);
}

/* A decision on a case's sender needs the unit the sender spoke for:
 * EX_OK, or EX_DATAERR after saying why. */
int
decision_unit_of(const struct case_record *c)
{
	if (c->unit != NULL && *c->unit != '\0' && c->sender != NULL &&
	    *c->sender != '\0')
		return EX_OK;
	fprintf(stderr, "subgate: case %s names no unit (or no sender): there "
	    "is no sender to confirm or refuse for a unit\n", c->receipt);
	return EX_DATAERR;
}

static int
decision_check_value(const struct campaign *campaign, const char *name,
    char **value_p)
{
	static const enum grammar_target targets[] = { GRAMMAR_SUBJECT,
	    GRAMMAR_FILENAME };
	char *canonical = NULL;
	size_t i;
	int r;

	for (i = 0; i < G_N_ELEMENTS(targets); i++) {
		const struct grammar *g = campaign_grammar(campaign,
		    targets[i]);

		if (g == NULL ||
		    (r = grammar_field_value(g, name, *value_p,
		    &canonical)) < 0)
			continue;
		if (r == 0) {
			fprintf(stderr, "subgate: --set %s=%s: not a value "
			    "the campaign takes for %s\n%s\n", name,
			    *value_p, name, grammar_format(g));
			return -1;
		}
		g_free(*value_p);
		*value_p = canonical;
		return 0;
	}
	return 0;
}

/* The --set FIELD=VALUE options into changes: EX_OK, or an exit status
 * after saying why. */
static int
decision_parse_sets(const struct campaign *campaign,
    const struct case_record *c, const struct cli_staff_opts *o,
    JsonObject *changes)
{
	size_t i;

	for (i = 0; i < o->nsets; i++) {
		const char *eq = strchr(o->sets[i], '=');
		g_autofree char *name = NULL, *value = NULL;

		if (eq == NULL || eq == o->sets[i]) {
			fprintf(stderr, "subgate: --set %s: use FIELD=VALUE\n",
			    o->sets[i]);
			return EX_USAGE;
		}
		name = g_strndup(o->sets[i], (gsize)(eq - o->sets[i]));
		value = textcell_clean(eq + 1, FALSE);
		g_strstrip(value);
		if (case_record_field(c, name) == NULL) {
			fprintf(stderr, "subgate: case %s has no field \"%s\"\n",
			    c->receipt, name);
			return EX_USAGE;
		}
		if (*value == '\0') {
			fprintf(stderr, "subgate: --set %s: empty value\n",
			    name);
			return EX_USAGE;
		}
		if (decision_check_value(campaign, name, &value) < 0)
			return EX_DATAERR;
		json_object_set_string_member(changes, name, value);
	}
	return EX_OK;
}

int
decision_run(struct cli_state *s, const struct cli_staff_opts *o,
    const char *action, const char *receipt)
{
	struct decision_mail mail = { 0 };
	struct db_case_review r = { 0 };
	struct db_unit_sender sender;
	const struct campaign *campaign;
	struct case_record *c;
	g_autofree char *error = NULL, *reviewer = NULL, *reason = NULL;
	g_autofree char *changes_json = NULL, *fields_json = NULL;
	g_autofree char *refused_text = NULL;
	struct decision_about about = { 0 };
	JsonObject *changes = json_object_new();
	GPtrArray *cases = NULL;
	int ret = EX_OK;

	enum case_review_action act;

	if (case_review_action_parse(action, &act) < 0 ||
	    act == REVIEW_REPROCESS || act == REVIEW_FSCK ||
	    act == REVIEW_CONFIRM) {
		fprintf(stderr, "subgate cases: unknown decision \"%s\"\n",
		    action);
		json_object_unref(changes);
		return EX_USAGE;
	}
	if (act != REVIEW_ACCEPT && (o->reason == NULL ||
	    *o->reason == '\0')) {
		fprintf(stderr, "subgate cases %s: say why with --reason\n",
		    action);
		json_object_unref(changes);
		return EX_USAGE;
	}
	if ((ret = cli_find_case(s, receipt, &cases, &c, &campaign)) !=
	    EX_OK)
		goto out;
	if (act == REVIEW_REFUSE && (ret = decision_unit_of(c)) != EX_OK)
		goto out;
	if ((ret = decision_parse_sets(campaign, c, o, changes)) != EX_OK)
		goto out;
	reviewer = cases_reviewer();
	reason = o->reason ? textcell_clean(o->reason, TRUE) : NULL;
	r.receipt = c->receipt;
	r.action = action;
	r.status = case_status_name(act == REVIEW_ACCEPT ? CASE_ACCEPTED :
	    CASE_REJECTED);
	r.reason = reason;
	r.reviewer = reviewer;
	if (o->nsets > 0)
		decision_set_fields(campaign, c, changes, &r, &changes_json,
		    &fields_json);
	if (act == REVIEW_REFUSE) {
		refused_text = g_strdup_printf("经工作人员核实，本邮箱（%s）不是"
		    "“%s”的报送邮箱；此后从本邮箱为该单位发送的作品将不予登记。",
		    c->sender, c->unit);
		about.notice = refused_text;
		about.sender_refused = true;
	}
	if (o->notify && decision_mail_compose(s, campaign, c, &r, changes,
	    &about, &mail, &error) < 0) {
		fprintf(stderr, "subgate: %s\n", error);
		ret = EX_UNAVAILABLE;
		goto out;
	}
	sender = (struct db_unit_sender){
		.campaign = c->campaign, .unit = c->unit, .address = c->sender,
		.state = DB_UNIT_SENDER_REFUSED, .decided_by = reviewer,
	};
	if ((ret = decision_commit(s, c, &r, changes, &mail,
	    act == REVIEW_REFUSE ? &sender : NULL, &error)) != EX_OK) {
		fprintf(stderr, "subgate: %s\n", error);
		goto out;
	}
	printf("%s: %s (%s) by %s\n", receipt, case_status_label(r.status),
	    r.status, reviewer);
	if (act == REVIEW_REFUSE)
		printf("%s: %s refused for %s; its later mail for the unit "
		    "gets a correction\n", receipt, c->sender, c->unit);
	if (act == REVIEW_ACCEPT)
		decision_quota_warn(s, campaign, c);
	if (mail.data != NULL)
		printf("%s: decision mail to %s queued as <%s>; `subgate "
		    "outbox send` or the running daemon sends it\n", receipt,
		    mail.to, mail.message_id);
	g_clear_pointer(&error, g_free);
	/* The page of the case, found by its fingerprint. */
	if (htmlindex_write(s->config->store_dir, s->db, campaign, false,
	    &error) < 0)
		log_warnx("%s: index not updated: %s", campaign_id(campaign),
		    error);
out:
	decision_mail_clear(&mail);
	json_object_unref(changes);
	if (cases != NULL)
		g_ptr_array_unref(cases);
	return ret;
}
