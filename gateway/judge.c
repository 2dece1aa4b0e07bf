/* judge: see include/judge.h. */
#include <string.h>

#include <glib.h>

#include "campaign.h"
#include "cloudlink.h"
#include "grammar.h"
#include "judge.h"
#include "mail_limits.h"
#include "mailplan.h"
#include "message.h"
#include "question.h"
#include "reasoncode.h"
#include "reply.h"
#include "sha256.h"
#include "timetext.h"

static const char *const outcome_names[OUTCOME_COUNT] = {
	[OUTCOME_ACCEPTED] = "accepted",
	[OUTCOME_REJECTED] = "rejected",
	[OUTCOME_IGNORED] = "ignored",
	[OUTCOME_DUPLICATE] = "duplicate",
	[OUTCOME_LATE] = "late",
	[OUTCOME_TOO_LARGE] = "too-large",
	[OUTCOME_OVER_QUOTA] = "over-quota",
	[OUTCOME_FROZEN] = "frozen",
	[OUTCOME_FAILED] = "failed",
	[OUTCOME_QUESTION] = "question",
};

const char *
outcome_name(enum outcome outcome)
{
	g_assert((size_t)outcome < G_N_ELEMENTS(outcome_names));
	return outcome_names[outcome];
}

int
outcome_parse(const char *name, enum outcome *outcome_r)
{
	size_t i;

	for (i = 0; name != NULL && i < G_N_ELEMENTS(outcome_names); i++) {
		if (strcmp(name, outcome_names[i]) == 0) {
			*outcome_r = (enum outcome)i;
			return 0;
		}
	}
	return -1;
}

void
verdict_clear(struct verdict *v)
{
	g_clear_pointer(&v->reason, g_free);
	g_clear_pointer(&v->notice, g_free);
	g_clear_pointer(&v->diagnostics, g_free);
}

char *
judge_time_text(GDateTime *dt, const struct campaign *campaign)
{
	return timetext_moment(dt, campaign_timezone(campaign));
}

/* ---- what the mail carries ---- */

/* The SHA-256 of attachment i's decoded bytes (g_free); NULL when it
 * cannot be read, and then the versions are taken as their names say. */
static char *
attachment_digest(const struct message *msg, size_t i)
{
	GMimeStream *in = message_attachment_stream(msg, i);
	g_autofree char *err = NULL;
	struct sha256 sum;
	char buf[65536], hex[SHA256_HEX_SIZE];
	ssize_t n;

	if (in == NULL)
		return NULL;
	if (sha256_init(&sum, &err) < 0) {
		g_object_unref(in);
		return NULL;
	}
	while ((n = g_mime_stream_read(in, buf, sizeof(buf))) > 0)
		sha256_update(&sum, buf, (size_t)n);
	g_object_unref(in);
	if (n < 0) {
		sha256_abort(&sum);
		return NULL;
	}
	sha256_final_hex(&sum, hex);
	return g_strdup(hex);
}

/*
 * Versions of one work sent together (有字幕, 无字幕) are read once more
 * for their digests, and the plan made again knowing them: a clerk who
 * attaches one file twice under two names has sent one version.  Other
 * files are not read here.  digests[] owns what it holds.
 */
static void
plan_with_digests(const struct campaign *campaign, struct mailplan_input *in,
    struct mailplan_file_in *files, const struct message *msg,
    char **digests, struct judge_names *n)
{
	bool any = false;
	size_t i;

	for (i = 0; i < in->file_count; i++) {
		if (!mailplan_file_wants_digest(n->plan, i))
			continue;
		digests[i] = attachment_digest(msg, i);
		files[i].digest = digests[i];
		any |= digests[i] != NULL;
	}
	if (!any)
		return;
	mailplan_free(&n->plan);
	g_clear_pointer(&n->matcher_error, g_free);
	(void)mailplan_build(campaign, in, &n->plan, &n->matcher_error);
}

void
judge_names(const struct campaign *campaign, const struct message *msg,
    const char *const *content, const struct media_facts *const *media,
    struct judge_names *n)
{
	judge_names_links(campaign, msg, content, media, NULL, NULL, 0, n);
}

void
judge_names_links(const struct campaign *campaign, const struct message *msg,
    const char *const *content, const struct media_facts *const *media,
    const struct regform_cells *const *forms,
    const struct cloudlink_set *set, int64_t arrival, struct judge_names *n)
{
	size_t i, count = message_attachment_count(msg);
	size_t nlinks = cloudlink_count(set);
	struct mailplan_file_in *files = g_new0(struct mailplan_file_in,
	    count + 1);
	struct mailplan_link_in *links = g_new0(struct mailplan_link_in,
	    nlinks + 1);
	char **digests = g_new0(char *, count + 1);
	/* A correction answered with 回复 is judged on what the clerk
	 * wrote, not on our tags around it. */
	g_autofree char *subject = reply_submitted_subject(campaign,
	    message_subject(msg));
	struct mailplan_input in = {
		.subject = subject,
		.files = files,
		.file_count = count,
		.links = links,
		.link_count = nlinks,
		.links_over = cloudlink_truncated(set),
		.arrival = arrival,
	};
	char *refusal;

	for (i = 0; i < nlinks; i++) {
		const struct cloudlink *l = cloudlink_get(set, i);

		links[i] = (struct mailplan_link_in){
			.name = l->name, .size = l->size,
			.provider = (int)l->provider,
			.expires_at = l->expires_at,
			.expires_text = l->expires_text, .quoted = l->quoted,
		};
	}

	memset(n, 0, sizeof(*n));
	for (i = 0; i < count; i++) {
		files[i].name = message_attachment_name(msg, i);
		/* Its size is known once it is saved; an empty one now. */
		files[i].size = message_attachment_empty(msg, i) ? 0 :
		    MAILPLAN_SIZE_UNKNOWN;
		files[i].name_derived =
		    message_attachment_name_derived(msg, i) > 0;
		files[i].content = content != NULL ? content[i] : NULL;
		files[i].media = media != NULL ? media[i] : NULL;
		files[i].form = forms != NULL ? forms[i] : NULL;
	}
	/* A name that defeated the matcher (a PCRE2 limit on a hostile
	 * name) is a property of this mail, answered, not retried; the
	 * caller logs it, as operators want to know their limits are hit. */
	(void)mailplan_build(campaign, &in, &n->plan, &n->matcher_error);
	plan_with_digests(campaign, &in, files, msg, digests, n);
	g_free(files);
	g_free(links);
	for (i = 0; i < count; i++)
		g_free(digests[i]);
	g_free(digests);
	/* Several works (per_mail = many): the mail is refused here only
	 * for what refuses all of it; judge_works() takes each work. */
	if (mailplan_work_count(n->plan) > 1 &&
	    campaign_works(campaign)->per_mail_many) {
		n->several = true;
		if ((refusal = mailplan_work_text(n->plan, -1,
		    PLAN_REFUSE)) != NULL) {
			n->diagnostics = g_string_new(refusal);
			g_free(refusal);
		} else {
			n->met = true;
			n->warnings = mailplan_work_text(n->plan, -1, PLAN_WARN);
		}
		return;
	}
	/* The work's fields even when the mail is refused: the deadline
	 * of its category comes first. */
	if (mailplan_work_count(n->plan) == 1)
		n->fields = mailplan_take_fields(n->plan, 0);
	if ((refusal = mailplan_text(n->plan, PLAN_REFUSE)) != NULL) {
		n->diagnostics = g_string_new(refusal);
		g_free(refusal);
	} else if (n->fields != NULL) {
		g_autofree char *warn = mailplan_text(n->plan, PLAN_WARN);
		g_autofree char *note = mailplan_text(n->plan, PLAN_NOTE);

		n->met = true;
		/* Notes too: staff keep what the clerk should know was kept. */
		if (warn != NULL || note != NULL)
			n->warnings = g_strjoin("\n", warn ? warn : note,
			    warn ? note : NULL, NULL);
	}
}

void
judge_names_clear(struct judge_names *n)
{
	grammar_result_free(&n->fields);
	mailplan_free(&n->plan);
	g_clear_pointer(&n->matcher_error, g_free);
	g_clear_pointer(&n->warnings, g_free);
	if (n->diagnostics != NULL)
		g_string_free(n->diagnostics, TRUE);
	n->diagnostics = NULL;
	n->met = false;
	n->several = false;
}

/* ---- the policies ---- */

/* A refusal the submitter is told about in a notice of its own kind. */
static bool
refuse(struct verdict *v, enum outcome outcome, enum reply_kind kind,
    char *notice)
{
	v->outcome = outcome;
	v->reply = true;
	v->kind = kind;
	v->notice = notice;
	v->reason = g_strdup(notice);
	return true;
}

/* A correction mail: what is wrong, and how to put it right. */
static bool
correct(struct verdict *v, const char *reason, const char *diagnostics)
{
	v->outcome = OUTCOME_REJECTED;
	v->reply = true;
	v->kind = REPLY_CORRECTION;
	v->reason = g_strdup(reason);
	v->diagnostics = g_strdup(diagnostics);
	return true;
}

/* A correction after the naming convention was met: whatever the
 * convention's other text said (a subject that missed where a file name
 * met it) comes first, as it did. */
static bool
correct_after_names(const struct judge_facts *f, struct verdict *v,
    const char *text)
{
	const GString *d = f->names->diagnostics;
	g_autofree char *all = g_strconcat(d ? d->str : "", text, NULL);

	return correct(v, text, all);
}

static bool
policy_duplicate(const struct judge_facts *f, struct verdict *v)
{
	if (!f->known)
		return false;
	v->outcome = OUTCOME_DUPLICATE;
	v->code = "duplicate";
	v->reason = g_strdup("already processed (same content, or same "
	    "Message-ID from the same sender)");
	return true;
}

static bool
policy_ignored(const struct judge_facts *f, struct verdict *v)
{
	if (f->automatic == NULL)
		return false;
	v->outcome = OUTCOME_IGNORED;
	v->code = "automatic";
	v->reason = g_strdup(f->automatic);
	return true;
}

/* A person's question: kept for staff, forwarded within the daily bound
 * where the campaign names a staff mailbox, acknowledged once per
 * interval (question.h). */
static bool
policy_question(const struct judge_facts *f, struct verdict *v)
{
	const char *staff = campaign_staff(f->campaign);

	if (!f->question)
		return false;
	v->outcome = OUTCOME_QUESTION;
	v->code = "question";
	v->forward = staff != NULL && (f->question_forwards_max == 0 ||
	    f->question_forwards < f->question_forwards_max);
	v->reply = !f->question_acknowledged;
	v->kind = REPLY_QUESTION;
	v->reason = g_strdup_printf("a question for staff: %s; %s",
	    v->forward ? "forwarded to the staff address" : staff != NULL ?
	    "kept for staff (over the daily forwards for this sender)" :
	    "kept for staff (no staff address)", v->reply ? "acknowledged" :
	    "acknowledged earlier");
	return true;
}

/*
 * Infected: the whole mail is refused, in words that accuse no one (the
 * unit's own computer may be what is infected) and help no attacker: the
 * files are named, the signature is not.  Staff read it in stats, the
 * quarantine and the log.
 */
static bool
policy_malware(const struct judge_facts *f, struct verdict *v)
{
	const char *contact = campaign_contact(f->campaign);
	g_autofree char *reason = NULL;
	GString *text;
	size_t i;

	if (f->infected == NULL || f->infected[0] == NULL)
		return false;
	text = g_string_new("附件");
	for (i = 0; f->infected[i] != NULL; i++)
		g_string_append_printf(text, "%s“%s”", i > 0 ? "、" : "",
		    f->infected[i]);
	g_string_append_printf(text, "未通过安全检查，未予登记。请确认文件来源"
	    "可靠后重新导出、重新发送；如有疑问请联系%s。",
	    contact != NULL ? contact : "征集方");
	reason = g_strdup_printf("infected: %s", f->infected_signature ?
	    f->infected_signature : "?");
	correct(v, reason, text->str);
	v->code = "infected";
	g_string_free(text, TRUE);
	return true;
}

static bool
policy_too_large(const struct judge_facts *f, struct verdict *v)
{
	g_autofree char *have = NULL, *max = NULL;

	if (f->size <= f->max_size)
		return false;
	v->code = "too-large";
	have = reply_format_size(f->size);
	max = reply_format_size(f->max_size);
	return refuse(v, OUTCOME_TOO_LARGE, REPLY_TOO_LARGE, g_strdup_printf(
	    "邮件大小为 %s，超过了本次征集每封邮件 %s 的上限。", have, max));
}

/* The category the mail names (a canonical value), or NULL when the
 * naming convention gave none: the one place the policies learn it. */
static const char *
judge_category(const struct judge_facts *f)
{
	const char *cf = campaign_category_field(f->campaign);

	if (cf == NULL || f->names == NULL || f->names->fields == NULL)
		return NULL;
	return grammar_result_get(f->names->fields, cf);
}

/* An opening or closing as the notice writes it: a closing at the end of
 * a day (the file's “2020-08-30 24:00”) is that day's 24时. */
static char *
judge_edge_text(GDateTime *edge, bool closing,
    const struct campaign *campaign)
{
	return closing ? timetext_deadline(edge, campaign_timezone(campaign)) :
	    timetext_opening(edge, campaign_timezone(campaign));
}

/*
 * Outside the window of the mail's category when the convention named
 * one, else outside every window (the envelope).  A category's own
 * date is stated with the category, since other items may still be open.
 */
static bool
policy_late(const struct judge_facts *f, struct verdict *v)
{
	const char *category = judge_category(f), *written = NULL;
	GDateTime *edge = NULL;
	int r = campaign_window_for(f->campaign, category, f->arrival, &edge,
	    &written);
	g_autofree char *when = NULL;

	if (r == 0)
		return false;
	when = judge_edge_text(edge, r > 0, f->campaign);
	v->code = r < 0 ? "not-open" : "late";
	if (category != NULL && written != NULL)
		return refuse(v, OUTCOME_LATE, REPLY_LATE, r < 0 ?
		    g_strdup_printf("%s的报名自%s起接收，您的邮件到达时尚未开始。",
		    category, when) :
		    g_strdup_printf("%s的报名已于%s截止，您的邮件到达时已超过截止时间。",
		    category, when));
	return refuse(v, OUTCOME_LATE, REPLY_LATE, r < 0 ?
	    g_strdup_printf("本次征集自%s起接收%s，您的邮件到达时尚未开始。",
	    when, campaign_submission_word(f->campaign)) :
	    g_strdup_printf("本次征集已于%s截止，您的邮件到达时已超过截止时间。",
	    when));
}

char *
judge_deadline_text(const struct judge_facts *f)
{
	GDateTime *closes = campaign_closes_for(f->campaign, judge_category(f),
	    NULL);

	if (closes == NULL)
		return g_strdup("");
	return judge_edge_text(closes, true, f->campaign);
}

/* Too many parts is what a clerk with a folder of photos meets: told in
 * their words, with how many a mail takes and what to do; the reason
 * keeps the limit's own words for the log and staff.  The body takes a
 * part or two (text, HTML), so the number said leaves room for them. */
static char *
judge_parts_text(const struct judge_facts *f)
{
	unsigned parts = message_limits(f->msg)->mime_parts;
	unsigned most = parts > 2 ? parts - 2 : 1;

	if (campaign_takes_archives(f->campaign))
		return g_strdup_printf("本邮件的附件太多：本次征集每封邮件最多接收 %u 个"
		    "附件。请把附件分成几封邮件发送（每封不超过 %u 个），或把文件打包成"
		    "一个压缩包（zip、rar 或 7z）后发送。", most, most);
	return g_strdup_printf("本邮件的附件太多：本次征集每封邮件最多接收 %u 个"
	    "附件。请把附件分成几封邮件发送，每封不超过 %u 个。", most, most);
}

static bool
policy_limits(const struct judge_facts *f, struct verdict *v)
{
	const char *why = message_limit_exceeded(f->msg);
	enum mime_limit limit;
	g_autofree char *text = NULL;

	if (why == NULL)
		return false;
	if (message_limit_which(f->msg, &limit) && limit == MIME_LIMIT_PARTS)
		text = judge_parts_text(f);
	v->code = "mime-limit";
	return correct(v, why, text != NULL ? text : why);
}

static bool
policy_naming(const struct judge_facts *f, struct verdict *v)
{
	const GString *d = f->names->diagnostics;

	if (f->names->met)
		return false;
	/* A work of several has no plan here: judge_works() gives its
	 * refusal's own code. */
	v->code = reasoncode_for_plan(f->names->plan, REASONCODE_ANY_WORK);
	return correct(v, d ? d->str : "naming convention not met",
	    d ? d->str : NULL);
}

/*
 * sender_check = confirm: the unit's listed senders and those staff
 * confirmed spend its quota; one staff refused is told so; anyone else's
 * work is filed pending, so that strangers naming a unit never use up
 * what the unit itself will send.
 */
static bool
senders_confirm(const struct judge_facts *f, const char *unit,
    struct verdict *v)
{
	const char *sender = message_from_address(f->msg);
	g_autofree char *text = NULL;

	if (unit == NULL)
		return false;
	/* A decision of staff stands over the campaign file's list. */
	if (f->sender == JUDGE_SENDER_REFUSED) {
		text = g_strdup_printf("工作人员已核实，本邮箱（%s）不是“%s”的"
		    "报送邮箱，作品未能登记。请从该单位的报送邮箱重新发送，或与"
		    "征集方联系。", sender, unit);
		v->code = "sender-refused";
		return correct_after_names(f, v, text);
	}
	if (!f->sender_unverified && (f->sender == JUDGE_SENDER_CONFIRMED ||
	    campaign_sender_listed(f->campaign, unit, sender)))
		return false;
	v->pending = true;
	if (f->sender_unverified)
		v->notice = g_strdup_printf("本邮件未能通过发件邮箱验证，无法确认"
		    "发自“%s”的报送邮箱（%s）。作品已登记，状态为“待核实”，"
		    "工作人员核实后计入该单位名额；核实前不占名额。", unit, sender);
	else
		v->notice = g_strdup_printf("本邮箱（%s）尚未登记为“%s”的报送"
		    "邮箱。作品已登记，状态为“待核实”，工作人员确认后计入该单位"
		    "名额；确认前不占名额。", sender, unit);
	v->reason = g_strdup(v->notice);
	return false;
}

/* Who may spend a unit's quota ([policy] sender_check): a unit with a
 * list of senders takes submissions only from them (listed), or from
 * them and those staff confirmed (confirm). */
static bool
policy_senders(const struct judge_facts *f, struct verdict *v)
{
	const char *uf = campaign_unit_field(f->campaign);
	const char *unit = uf ? grammar_result_get(f->names->fields, uf) : NULL;
	const char *sender = message_from_address(f->msg);
	const char *const *allowed = NULL;
	g_autofree char *text = NULL;
	GString *why;
	bool listed;
	size_t i;

	switch (campaign_sender_check(f->campaign)) {
	case CAMPAIGN_SENDER_CHECK_OFF:
		return false;
	case CAMPAIGN_SENDER_CHECK_CONFIRM:
		return senders_confirm(f, unit, v);
	case CAMPAIGN_SENDER_CHECK_LISTED:
		break;
	}
	listed = campaign_sender_allowed(f->campaign, unit, sender, &allowed);
	if (allowed == NULL || (listed && !f->sender_unverified))
		return false;	/* no list, or a listed sender shown genuine */
	if (listed) {
		text = g_strdup_printf("本邮件未能通过发件邮箱验证（SPF、DKIM、"
		    "DMARC 均未通过），无法确认发自“%s”登记的邮箱 %s。请从登记的"
		    "邮箱直接发送（不经转发），或与征集方联系。", unit, sender);
		v->code = "sender-unverified";
		return correct_after_names(f, v, text);
	}
	why = g_string_new(NULL);
	g_string_append_printf(why, "“%s”的投稿须从该单位登记的邮箱发送（", unit);
	for (i = 0; allowed[i] != NULL; i++)
		g_string_append_printf(why, "%s%s", i ? "、" : "", allowed[i]);
	g_string_append_printf(why, "），本邮件发自 %s。请从登记的邮箱重新发送，"
	    "或联系征集方登记新的邮箱。", sender);
	text = g_string_free(why, FALSE);
	v->code = "sender-not-listed";
	return correct_after_names(f, v, text);
}

/* The unit, else the sender: who a quota or a work belongs to. */
static const char *
judge_who(const struct judge_facts *f)
{
	const char *uf = campaign_unit_field(f->campaign);
	const char *unit = uf ? grammar_result_get(f->names->fields, uf) : NULL;

	return unit ? unit : message_from_address(f->msg);
}

/* The work by its title where the campaign has one: a unit's other
 * works are not frozen by this one. */
static char *
judge_frozen_text(const struct judge_facts *f)
{
	const char *tf = campaign_title_field(f->campaign);
	const char *title = tf ? grammar_result_get(f->names->fields, tf) : NULL;

	if (title != NULL)
		return g_strdup_printf("“%s”的作品《%s》已有登记的投稿（回执编号 "
		    "%s）。按本次征集的规定，作品一经报送，不得更改、替换或补报；"
		    "该单位的其他作品不受影响。", judge_who(f), title,
		    f->same_receipt);
	return g_strdup_printf("“%s”已有登记的投稿（回执编号 %s）。按本次征集的"
	    "规定，作品一经报送，不得更改、替换或补报。", judge_who(f),
	    f->same_receipt);
}

/*
 * "The same work" is a case from the same unit (the sender, when the
 * campaign has no unit field) with the same title (any case of theirs,
 * when the campaign has no title field); the caller looked it up.
 */
static bool
policy_resubmission(const struct judge_facts *f, struct verdict *v)
{
	/* A pending work is no one's yet: staff judge it on confirming. */
	if (f->same_receipt == NULL || v->pending)
		return false;
	switch (campaign_resubmission(f->campaign)) {
	case CAMPAIGN_RESUBMISSION_FREEZE:
		v->code = "frozen";
		return refuse(v, OUTCOME_FROZEN, REPLY_FROZEN, judge_frozen_text(f));
	case CAMPAIGN_RESUBMISSION_KEEP_ALL:
		return false;
	default:
		/* A replacement is accepted, and leaves the counts as they
		 * are: the quotas do not look at it. */
		v->supersedes = true;
		return false;
	}
}

static bool
policy_quotas(const struct judge_facts *f, struct verdict *v)
{
	const char *cf = campaign_category_field(f->campaign);
	const char *category = cf ? grammar_result_get(f->names->fields, cf) :
	    NULL;
	const char *uf = campaign_unit_field(f->campaign);
	const char *unit = uf ? grammar_result_get(f->names->fields, uf) : NULL;
	unsigned quota;

	/* A pending work takes no place until staff confirm its sender
	 * (and recount the quota then). */
	if (v->supersedes || v->pending)
		return false;
	/* a roster unit's own quota, or the open units' */
	if ((quota = campaign_unit_quota(f->campaign, unit, NULL)) > 0 &&
	    f->unit_count >= quota) {
		v->code = "quota-unit";
		return refuse(v, OUTCOME_OVER_QUOTA, REPLY_OVER_QUOTA,
		    g_strdup_printf("每个报送单位最多报送 %u 件作品，"
		    "“%s”已登记 %u 件。", quota, judge_who(f), f->unit_count));
	}
	if (category != NULL && (quota = campaign_unit_quota(f->campaign,
	    unit, category)) > 0 && f->unit_category_count >= quota) {
		v->code = "quota-unit-category";
		return refuse(v, OUTCOME_OVER_QUOTA, REPLY_OVER_QUOTA,
		    g_strdup_printf("每个报送单位的“%s”最多报送 %u 件，"
		    "“%s”已登记 %u 件。", category, quota, judge_who(f),
		    f->unit_category_count));
	}
	if ((quota = campaign_quota_per_submitter(f->campaign)) > 0 &&
	    f->submitter_count >= quota) {
		v->code = "quota-submitter";
		return refuse(v, OUTCOME_OVER_QUOTA, REPLY_OVER_QUOTA,
		    g_strdup_printf("每位投稿人最多报送 %u 件作品，"
		    "%s 已登记 %u 件。", quota, message_from_address(f->msg),
		    f->submitter_count));
	}
	return false;
}

/* Which policies judge the mail, and which each of its works when it
 * carries several. */
enum judge_scope {
	JUDGE_MAIL = 1,			/* the mail as a whole */
	JUDGE_WORK = 2,			/* each work of several */
};

/* In the order include/judge.h gives, and why: what a submitter should
 * hear about first comes first. */
static const struct judge_policy {
	const char *name;
	bool (*decide)(const struct judge_facts *f, struct verdict *v);
	unsigned scope;
} judge_policies[] = {
	{ "duplicate", policy_duplicate, JUDGE_MAIL },
	{ "ignored", policy_ignored, JUDGE_MAIL },
	{ "question", policy_question, JUDGE_MAIL },
	/* before anything that keeps the mail in the store */
	{ "malware", policy_malware, JUDGE_MAIL },
	{ "too-large", policy_too_large, JUDGE_MAIL },
	/* the mail outside every window; a work outside its category's */
	{ "late", policy_late, JUDGE_MAIL | JUDGE_WORK },
	{ "limits", policy_limits, JUDGE_MAIL },
	/* what refuses the whole mail; what refuses one work */
	{ "naming", policy_naming, JUDGE_MAIL | JUDGE_WORK },
	{ "senders", policy_senders, JUDGE_WORK },
	{ "resubmission", policy_resubmission, JUDGE_WORK },
	{ "quotas", policy_quotas, JUDGE_WORK },
};

const char *const *
judge_policy_names(void)
{
	static const char *names[G_N_ELEMENTS(judge_policies) + 1];
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(judge_policies); i++)
		names[i] = judge_policies[i].name;
	return names;
}

/* The policies of scope, in order: true when one decided. */
static bool
judge_apply(const struct judge_facts *f, unsigned scope, struct verdict *v)
{
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(judge_policies); i++) {
		if ((judge_policies[i].scope & scope) == 0)
			continue;
		if (judge_policies[i].decide(f, v)) {
			v->policy = judge_policies[i].name;
			return true;
		}
	}
	return false;
}

static void
judge_accept(struct verdict *v, const char *policy)
{
	v->outcome = OUTCOME_ACCEPTED;
	v->policy = v->pending ? "senders" : policy;
	v->reply = true;
	v->kind = v->supersedes ? REPLY_SUPERSEDED : REPLY_RECEIPT;
}

void
judge_run(const struct judge_facts *f, struct verdict *v)
{
	bool several = f->names != NULL && f->names->several;

	memset(v, 0, sizeof(*v));
	if (several) {
		if (!judge_apply(f, JUDGE_MAIL, v))
			judge_accept(v, "works");
		return;
	}
	if (!judge_apply(f, JUDGE_MAIL | JUDGE_WORK, v))
		judge_accept(v, "accepted");
}

/* Whether two fields name the same holder of a quota: NULL on both
 * sides is the mail's sender, the same for every work of it. */
static bool
same_value(const struct grammar_result *a, const struct grammar_result *b,
    const char *field)
{
	const char *x = field ? grammar_result_get(a, field) : NULL;
	const char *y = field ? grammar_result_get(b, field) : NULL;

	return g_strcmp0(x, y) == 0;
}

/* Work i's facts: the mail's, its fields and refusal, and the database's
 * counts raised by the works of this mail accepted before it. */
static void
judge_work_facts(const struct judge_facts *mail, const struct judge_work *w,
    size_t i, const struct verdict *v, struct judge_names *names,
    struct judge_facts *f)
{
	const char *uf = campaign_unit_field(mail->campaign);
	const char *cf = campaign_category_field(mail->campaign);
	size_t j;

	memset(names, 0, sizeof(*names));
	names->met = w[i].refusal == NULL;
	names->fields = (struct grammar_result *)w[i].fields;
	names->diagnostics = w[i].refusal ? g_string_new(w[i].refusal) : NULL;
	*f = *mail;
	f->names = names;
	f->same_receipt = w[i].same_receipt;
	f->unit_count = w[i].unit_count;
	f->unit_category_count = w[i].unit_category_count;
	f->submitter_count = w[i].submitter_count;
	f->sender = w[i].sender;
	for (j = 0; j < i; j++) {
		/* a replacement leaves the counts as they are; a pending
		 * work counts nowhere */
		if (v[j].outcome != OUTCOME_ACCEPTED || v[j].supersedes ||
		    v[j].pending)
			continue;
		f->submitter_count++;
		if (!same_value(w[j].fields, w[i].fields, uf))
			continue;
		f->unit_count++;
		if (cf != NULL && same_value(w[j].fields, w[i].fields, cf))
			f->unit_category_count++;
	}
}

/* The mail's verdict from its works' (judge_works()). */
static void
judge_works_sum(const struct judge_work *w, size_t n, const struct verdict *v,
    const char *warnings, struct verdict *mail_v)
{
	GString *lines = g_string_new(NULL), *refused = g_string_new(NULL);
	size_t i, filed = 0, pending = 0;
	int first = -1;
	bool same_kind = true, supersedes = false;

	for (i = 0; i < n; i++) {
		const char *why = v[i].notice ? v[i].notice :
		    v[i].diagnostics ? v[i].diagnostics : v[i].reason;

		if (v[i].outcome == OUTCOME_ACCEPTED) {
			filed++;
			pending += v[i].pending;
			supersedes |= v[i].supersedes;
			continue;
		}
		if (first < 0)
			first = (int)i;
		same_kind &= v[i].kind == v[first].kind;
		g_string_append_printf(lines, "%s《%s》：%s", lines->len ? "\n" :
		    "", w[i].title ? w[i].title : "作品", why ? why : "");
		g_string_append_printf(refused, "%s%s", refused->len ? ", " :
		    "", v[i].policy);
	}
	memset(mail_v, 0, sizeof(*mail_v));
	mail_v->reply = true;
	if (filed > 0) {
		mail_v->outcome = OUTCOME_ACCEPTED;
		mail_v->policy = "accepted";
		mail_v->kind = supersedes ? REPLY_SUPERSEDED : REPLY_RECEIPT;
		mail_v->supersedes = supersedes;
		mail_v->reason = filed == n ? g_strdup_printf("%zu works filed",
		    n) : g_strdup_printf("%zu works filed, %zu refused (%s)",
		    filed, n - filed, refused->str);
		if (pending > 0) {
			char *more = g_strdup_printf("%s; %zu pending (senders)",
			    mail_v->reason, pending);

			g_free(mail_v->reason);
			mail_v->reason = more;
		}
	} else {
		/* What the mail carried first, then each work and why. */
		GString *titles = g_string_new(NULL);
		g_autofree char *head = NULL;

		for (i = 0; i < n; i++)
			g_string_append_printf(titles, "%s《%s》", i ? "、" : "",
			    w[i].title ? w[i].title : "作品");
		head = g_strdup_printf("本邮件包含 %zu 件作品（%s），均未能登记：\n",
		    n, titles->str);
		g_string_prepend(lines, head);
		g_string_free(titles, TRUE);
		/* What the mail's files lacked may be why (forms that could
		 * not be matched to a work): said here too, as there is no
		 * receipt to say it. */
		if (warnings != NULL)
			g_string_append_printf(lines, "\n另请注意：\n%s", warnings);
		mail_v->outcome = v[first].outcome;
		mail_v->policy = v[first].policy;
		mail_v->code = v[first].code;
		mail_v->kind = same_kind && reply_kind_is_refusal(v[first].kind) &&
		    v[first].kind != REPLY_CORRECTION ? v[first].kind :
		    REPLY_CORRECTION;
		mail_v->reason = g_strdup_printf("%zu works refused (%s)", n,
		    refused->str);
		if (mail_v->kind == REPLY_CORRECTION)
			mail_v->diagnostics = g_strdup(lines->str);
		else
			mail_v->notice = g_strdup(lines->str);
	}
	g_string_free(lines, TRUE);
	g_string_free(refused, TRUE);
}

void
judge_works(const struct judge_facts *mail, const struct judge_work *w,
    size_t n, struct verdict *v, struct verdict *mail_v)
{
	size_t i;

	g_assert(n > 0);
	for (i = 0; i < n; i++) {
		struct judge_names names;
		struct judge_facts f;

		memset(&v[i], 0, sizeof(v[i]));
		judge_work_facts(mail, w, i, v, &names, &f);
		if (!judge_apply(&f, JUDGE_WORK, &v[i]))
			judge_accept(&v[i], "accepted");
		else if (w[i].refusal != NULL &&
		    g_strcmp0(v[i].policy, "naming") == 0)
			v[i].code = w[i].refusal_code;
		if (names.diagnostics != NULL)
			g_string_free(names.diagnostics, TRUE);
	}
	judge_works_sum(w, n, v, mail->names != NULL ?
	    mail->names->warnings : NULL, mail_v);
}
