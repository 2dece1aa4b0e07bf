/*
 * confirm: `cases confirm`, a staff decision on a case's sender for its
 * unit ([policy] sender_check = confirm).  The sender is remembered as
 * speaking for the unit, and the unit's pending cases from that mailbox
 * are accepted in receipt order while they fit its quotas, recounted
 * inside one transaction because the daemon may be filing mail at the
 * same time; those that do not fit stay pending and are reported.
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

#include "decision-private.h"

/* ---- cases confirm: the sender speaks for its unit ---- */

/* One pending case of the unit from the confirmed mailbox. */
struct confirm_case {
	const struct case_record *c;
	bool accepted;
	char *why;			/* stays pending: why, for staff */
	char *why_cn;			/* the same, for the submitter */
	char *superseded;		/* accepted, replacing this receipt */
	char *superseded_dir;
	char *old, *json, *path;	/* case.json before and after */
	size_t old_len;
	bool written;
};

struct confirm {
	struct cli_state *s;
	const struct campaign *campaign;
	const struct case_record *c;	/* the case named */
	const char *reviewer;
	const char *reason;		/* staff's, may be NULL */
	GPtrArray *records;		/* the pending cases, loaded */
	struct confirm_case *cases;
	size_t n, accepted;
	bool notify;			/* --notify */
	struct decision_mail mail;
};

static void
confirm_clear(struct confirm *k)
{
	size_t i;

	for (i = 0; i < k->n; i++) {
		g_free(k->cases[i].why);
		g_free(k->cases[i].why_cn);
		g_free(k->cases[i].superseded);
		g_free(k->cases[i].superseded_dir);
		g_free(k->cases[i].old);
		g_free(k->cases[i].json);
		g_free(k->cases[i].path);
	}
	g_free(k->cases);
	if (k->records != NULL)
		g_ptr_array_unref(k->records);
	decision_mail_clear(&k->mail);
}

/* The unit's pending cases from the case's mailbox, in receipt order;
 * read inside the transaction, so the daemon cannot file or change one
 * between the reading and the deciding. */
static int
confirm_collect(struct confirm *k, char **error_r)
{
	struct db_case_query q = {
		.campaign = k->c->campaign, .unit = k->c->unit,
		.status = case_status_name(CASE_PENDING),
	};
	g_autofree char *key = db_address_key(k->c->sender);
	guint i;

	if (case_records_load(k->s->db, k->s->config->store_dir, &q, NULL,
	    &k->records, error_r) < 0)
		return -1;
	k->cases = g_new0(struct confirm_case, k->records->len + 1);
	for (i = 0; i < k->records->len; i++) {
		const struct case_record *p = k->records->pdata[i];
		g_autofree char *pkey = db_address_key(p->sender);

		if (strcmp(pkey, key) == 0)
			k->cases[k->n++].c = p;
	}
	return 0;
}

/* Whether a quota of the unit (or the sender's) is full: 1 and why, 0
 * when the case fits, <0 on error. */
static int
confirm_quota_full(struct confirm *k, const struct case_record *p,
    char **why_r, char **why_cn_r, char **error_r)
{
	const struct campaign *cg = k->campaign;
	unsigned quota, n = 0;

	if ((quota = campaign_unit_quota(cg, p->unit, NULL)) > 0) {
		if (db_case_count(k->s->db, p->campaign, p->unit, NULL, NULL,
		    &n, error_r) < 0)
			return -1;
		if (n >= quota) {
			*why_r = g_strdup_printf("%s has %u of its %u", p->unit,
			    n, quota);
			*why_cn_r = g_strdup_printf("“%s”已登记 %u 件，名额 %u 件已满",
			    p->unit, n, quota);
			return 1;
		}
	}
	if (p->category != NULL && (quota = campaign_unit_quota(cg, p->unit,
	    p->category)) > 0) {
		if (db_case_count(k->s->db, p->campaign, p->unit, NULL,
		    p->category, &n, error_r) < 0)
			return -1;
		if (n >= quota) {
			*why_r = g_strdup_printf("%s has %u of its %u in %s",
			    p->unit, n, quota, p->category);
			*why_cn_r = g_strdup_printf("“%s”的%s已登记 %u 件，名额 %u "
			    "件已满", p->unit, p->category, n, quota);
			return 1;
		}
	}
	if ((quota = campaign_quota_per_submitter(cg)) > 0) {
		if (db_case_count(k->s->db, p->campaign, NULL, p->sender, NULL,
		    &n, error_r) < 0)
			return -1;
		if (n >= quota) {
			*why_r = g_strdup_printf("%s has %u of its %u", p->sender,
			    n, quota);
			*why_cn_r = g_strdup_printf("本邮箱已登记 %u 件，名额 %u 件已满",
			    n, quota);
			return 1;
		}
	}
	return 0;
}

/* Whether case i may be accepted now, as the judge would have decided
 * had the sender been known: the same work already accepted freezes it
 * (or is replaced by it), else the quotas.  1 yes, 0 no (why set). */
static int
confirm_fits(struct confirm *k, struct confirm_case *cc, char **error_r)
{
	const struct case_record *p = cc->c;
	enum campaign_resubmission rs = campaign_resubmission(k->campaign);
	int r;

	if (rs != CAMPAIGN_RESUBMISSION_KEEP_ALL) {
		r = db_case_find_same(k->s->db, p->campaign, p->unit, p->sender,
		    p->title, p->category, &cc->superseded, &cc->superseded_dir,
		    error_r);
		if (r < 0)
			return -1;
		if (r > 0 && rs == CAMPAIGN_RESUBMISSION_FREEZE) {
			cc->why = g_strdup_printf("the same work is %s "
			    "(resubmission = freeze)", cc->superseded);
			cc->why_cn = g_strdup_printf("同一作品已登记（回执编号 %s），"
			    "报送后不得更改或替换", cc->superseded);
			g_clear_pointer(&cc->superseded, g_free);
			g_clear_pointer(&cc->superseded_dir, g_free);
			return 0;
		}
		/* A replacement takes the earlier one's place. */
		if (r > 0)
			return 1;
	}
	if ((r = confirm_quota_full(k, p, &cc->why, &cc->why_cn,
	    error_r)) < 0)
		return -1;
	return r == 0;
}

/* Case cc accepted: its row and review, and its case.json to write. */
static int
confirm_accept(struct confirm *k, struct confirm_case *cc,
    const char *now_text, char **error_r)
{
	const char *store_dir = k->s->config->store_dir;
	struct db_case_review r = {
		.receipt = cc->c->receipt,
		.action = case_review_action_name(REVIEW_CONFIRM),
		.status = case_status_name(CASE_ACCEPTED),
		.reason = k->reason, .reviewer = k->reviewer,
	};
	JsonObject *none = json_object_new();
	g_autofree char *error = NULL;
	int ret = 0;

	if (case_json_read(store_dir, cc->c->dir, &cc->old, &cc->old_len,
	    &error) < 0 || (cc->json = case_json_with_review(cc->old,
	    cc->old_len, &r, now_text, none, &error)) == NULL) {
		*error_r = g_strdup_printf("%s: %s", cc->c->receipt, error);
		ret = -1;
	} else if (db_case_review(k->s->db, &r, error_r) < 0 ||
	    (cc->superseded != NULL && db_case_set_status(k->s->db,
	    cc->superseded, case_status_name(CASE_SUPERSEDED), error_r) < 0)) {
		ret = -1;
	} else {
		cc->path = g_build_filename(store_dir, cc->c->dir, "case.json",
		    NULL);
		cc->accepted = true;
		k->accepted++;
	}
	json_object_unref(none);
	return ret;
}

/* What the confirm mail says above its list: the works counted, and
 * those of the same mailbox still waiting, each with why, so that the
 * receipt's promise (counted once the sender is confirmed) is not left
 * unanswered for them. */
static char *
confirm_notice(const struct confirm *k, const char *unit)
{
	GString *t = g_string_new(NULL);
	size_t i;
	bool any = false;

	g_string_append_printf(t, "您的作品已确认计入“%s”的名额。", unit);
	for (i = 0; i < k->n; i++) {
		const struct confirm_case *cc = &k->cases[i];

		if (cc->accepted || cc->why_cn == NULL)
			continue;
		if (!any)
			g_string_append(t, "\n以下作品仍为“待核实”，未计入名额：");
		any = true;
		g_string_append_printf(t, "\n《%s》（回执编号 %s）：%s。",
		    cc->c->title ? cc->c->title : "", cc->c->receipt,
		    cc->why_cn);
	}
	return g_string_free(t, FALSE);
}

/* Case cc stays pending: the decision and why are on its record, so
 * that cases show says what the confirm found (the quota full, the same
 * work on file), not a guess.  The database's review only: its
 * case.json, which says pending already, is left as it is. */
static int
confirm_keep(struct confirm *k, const struct confirm_case *cc,
    char **error_r)
{
	struct db_case_review r = {
		.receipt = cc->c->receipt,
		.action = case_review_action_name(REVIEW_CONFIRM),
		.status = case_status_name(CASE_PENDING),
		.reason = cc->why_cn, .reviewer = k->reviewer,
	};

	return db_case_review(k->s->db, &r, error_r);
}

/* The one mail of a confirm (--notify): every work accepted, receipt and
 * title, under the first of them; staff's reason on a line of its own. */
static int
confirm_mail(struct confirm *k, char **error_r)
{
	struct db_case_review r = {
		.status = case_status_name(CASE_ACCEPTED),
		.reason = k->reason,
	};
	const struct case_record *first = NULL;
	g_autofree struct reply_work *works = g_new0(struct reply_work,
	    k->accepted + 1);
	JsonObject *none = json_object_new();
	g_autofree char *notice = NULL;
	struct decision_about about = { .works = works };
	size_t i;
	int ret;

	for (i = 0; i < k->n; i++) {
		const struct case_record *p = k->cases[i].c;

		if (!k->cases[i].accepted)
			continue;
		if (first == NULL)
			first = p;
		works[about.work_count++] = (struct reply_work){
			.receipt = p->receipt, .title = p->title,
			.category = p->category,
		};
	}
	notice = confirm_notice(k, first->unit);
	about.notice = notice;
	ret = decision_mail_compose(k->s, k->campaign, first, &r, none,
	    &about, &k->mail, error_r);
	if (ret == 0 && db_case_outbox_add(k->s->db, first->receipt,
	    reply_kind_name(k->mail.kind), k->mail.to, first->message_id,
	    k->mail.message_id, k->mail.data, k->mail.len, error_r) < 0)
		ret = -1;
	json_object_unref(none);
	return ret;
}

/* Puts back the case.json files already replaced (the transaction did
 * not commit). */
static void
confirm_restore(struct confirm *k)
{
	g_autofree char *error = NULL;
	size_t i;

	for (i = 0; i < k->n; i++) {
		struct confirm_case *cc = &k->cases[i];

		if (cc->written && store_write_file_atomic(cc->path, cc->old,
		    cc->old_len, &error) < 0) {
			log_warnx("%s: could not restore: %s", cc->path, error);
			g_clear_pointer(&error, g_free);
		}
	}
}

/* Inside the transaction: the sender recorded, each case that fits
 * accepted, the mail queued, the case.json files replaced.  EX_OK or an
 * exit status. */
static int
confirm_decide(struct confirm *k, char **error_r)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autofree char *now_text = g_date_time_format(now,
	    "%Y-%m-%dT%H:%M:%SZ");
	struct db_unit_sender us = {
		.campaign = k->c->campaign, .unit = k->c->unit,
		.address = k->c->sender, .state = DB_UNIT_SENDER_CONFIRMED,
		.decided_by = k->reviewer,
	};
	size_t i;
	int r;

	if (db_unit_sender_set(k->s->db, &us, error_r) < 0 ||
	    confirm_collect(k, error_r) < 0)
		return EX_TEMPFAIL;
	for (i = 0; i < k->n; i++) {
		struct confirm_case *cc = &k->cases[i];

		if ((r = confirm_fits(k, cc, error_r)) < 0)
			return EX_TEMPFAIL;
		if (r > 0 && confirm_accept(k, cc, now_text, error_r) < 0)
			return EX_DATAERR;
		if (r == 0 && confirm_keep(k, cc, error_r) < 0)
			return EX_TEMPFAIL;
	}
	if (k->notify && k->accepted > 0 && confirm_mail(k, error_r) < 0)
		return EX_UNAVAILABLE;
	for (i = 0; i < k->n; i++) {
		struct confirm_case *cc = &k->cases[i];

		if (!cc->accepted)
			continue;
		if (store_write_file_atomic(cc->path, cc->json,
		    strlen(cc->json), error_r) < 0)
			return EX_CANTCREAT;
		cc->written = true;
	}
	return EX_OK;
}

/* What a confirm did, on stdout. */
static void
confirm_report(const struct confirm *k)
{
	size_t i;

	printf("%s: %s confirmed for %s by %s\n", k->c->receipt,
	    k->c->sender, k->c->unit, k->reviewer);
	for (i = 0; i < k->n; i++) {
		const struct confirm_case *cc = &k->cases[i];

		if (cc->accepted)
			printf("%s: %s (%s)%s%s\n", cc->c->receipt,
			    case_status_label("accepted"), "accepted",
			    cc->superseded ? ", replacing " : "",
			    cc->superseded ? cc->superseded : "");
		else
			printf("%s: still %s (pending): %s\n", cc->c->receipt,
			    case_status_label("pending"), cc->why);
	}
	if (k->n == 0)
		printf("%s: no pending case of %s from %s\n", k->c->receipt,
		    k->c->unit, k->c->sender);
	if (k->mail.data != NULL)
		printf("%s: decision mail to %s queued as <%s>; `subgate "
		    "outbox send` or the running daemon sends it\n",
		    k->c->receipt, k->mail.to, k->mail.message_id);
	else if (k->notify)
		printf("%s: no case accepted, so no mail\n", k->c->receipt);
}

int
decision_confirm(struct cli_state *s, const struct cli_staff_opts *o,
    const char *receipt)
{
	struct confirm k = { .s = s };
	g_autofree char *error = NULL, *reviewer = NULL, *reason = NULL;
	GPtrArray *cases = NULL;
	struct case_record *c;
	size_t i;
	int ret;

	if (o->nsets > 0) {
		fprintf(stderr, "subgate cases confirm: takes no --set; correct "
		    "fields with cases accept --set\n");
		return EX_USAGE;
	}
	if ((ret = cli_find_case(s, receipt, &cases, &c, &k.campaign)) !=
	    EX_OK)
		return ret;
	if ((ret = decision_unit_of(c)) != EX_OK)
		goto out;
	k.c = c;
	k.notify = o->notify;
	k.reviewer = reviewer = cases_reviewer();
	k.reason = reason = o->reason ? textcell_clean(o->reason, TRUE) : NULL;
	/* BEGIN IMMEDIATE: the counts are read under the write lock, as
	 * the daemon may be filing the unit's mail this moment. */
	if (db_begin(s->db, &error) < 0) {
		ret = EX_TEMPFAIL;
	} else if ((ret = confirm_decide(&k, &error)) != EX_OK) {
		db_rollback(s->db);
		confirm_restore(&k);
	} else if (db_commit(s->db, &error) < 0) {
		db_rollback(s->db);
		confirm_restore(&k);
		ret = EX_TEMPFAIL;
	}
	if (ret != EX_OK) {
		fprintf(stderr, "subgate: %s\n", error);
		goto out;
	}
	/* After the commit: the replaced case's own case.json says so (the
	 * database is the truth, as for ingest). */
	for (i = 0; i < k.n; i++) {
		g_autofree char *e = NULL;

		if (k.cases[i].superseded_dir != NULL && k.cases[i].accepted &&
		    case_json_set_status(s->config->store_dir,
		    k.cases[i].superseded_dir, case_status_name(CASE_ACCEPTED),
		    case_status_name(CASE_SUPERSEDED), &e) < 0)
			log_warnx("%s", e);
	}
	confirm_report(&k);
	if (htmlindex_write(s->config->store_dir, s->db, k.campaign, false,
	    &error) < 0)
		log_warnx("%s: index not updated: %s", campaign_id(k.campaign),
		    error);
out:
	confirm_clear(&k);
	g_ptr_array_unref(cases);
	return ret;
}
