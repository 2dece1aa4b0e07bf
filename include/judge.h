/*
 * judge: what becomes of one message, decided by a table of policies.
 *
 * Each policy is a pure function of the facts gathered beforehand (the
 * parsed message, what the naming convention found, what the loop guard
 * found, the counts read from the database) and either decides the
 * verdict or lets the next one look.  No I/O and no database access
 * here: ingest gathers the facts, calls judge_run(), and records the
 * verdict in its one transaction.
 *
 * The order is what a submitter should hear about first:
 *   duplicate     a repeated delivery (same Message-ID or content)
 *   ignored       automatic mail: never answered (loopguard.h)
 *   question      a person's answer to a reply of ours without files
 *                 (loopguard.h, question.h): recorded for staff,
 *                 forwarded to [campaign] staff within its daily bound,
 *                 acknowledged once per interval
 *   malware       an attachment the virus scanner found infected ([policy]
 *                 scan = clamd): the whole mail is refused with a neutral
 *                 correction that names the files, never the finding
 *   too-large     over the campaign's message size
 *   late          outside the window of the mail's category (closes.VALUE),
 *                 or of every category when the convention gave none
 *   limits        a MIME limit was hit (a correction mail)
 *   naming        what the mail carries (mailplan.h): the naming
 *                 convention met, a work file present, of a type the
 *                 campaign takes, with the companions it requires; a
 *                 correction mail says what is wrong
 *   senders       who may spend a unit's quota ([policy] sender_check):
 *                 listed, its registered addresses only (a correction to
 *                 others); confirm, its registered addresses and those
 *                 staff confirmed, while another sender's work is filed
 *                 pending (待核实) and counts nowhere, and one staff
 *                 refused gets a correction
 *   resubmission  the same work again: frozen, or the earlier superseded
 *   quotas        per unit, per unit and category, per submitter
 * and accepted when none objects.
 */
#ifndef SUBGATE_JUDGE_H
#define SUBGATE_JUDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "reply.h"

struct campaign;
struct grammar_result;
struct mailplan;
struct media_facts;
struct regform_cells;
struct cloudlink_set;
struct message;

/* What becomes of a message; one name table (outcome_name). */
enum outcome {
	OUTCOME_ACCEPTED,
	OUTCOME_REJECTED,
	OUTCOME_IGNORED,
	OUTCOME_DUPLICATE,
	OUTCOME_LATE,
	OUTCOME_TOO_LARGE,
	OUTCOME_OVER_QUOTA,
	OUTCOME_FROZEN,
	OUTCOME_FAILED,
	OUTCOME_QUESTION,
	OUTCOME_COUNT,
};

/* "accepted", "rejected", "ignored", "duplicate", "late", "too-large",
 * "over-quota", "frozen", "failed", "question": the names in the database, the logs
 * and --json output. */
const char *outcome_name(enum outcome outcome);
/* <0 for an unknown name. */
int outcome_parse(const char *name, enum outcome *outcome_r);

/* What the mail carries, in the campaign's terms (pure). */
struct judge_names {
	bool met;			/* one work, nothing refusing it; with
					   several, nothing refusing the mail */
	bool several;			/* per_mail = many and more than one
					   work: judge_works() decides each */
	struct mailplan *plan;		/* its works, files and problems */
	struct grammar_result *fields;	/* the work's, when the mail has
					   one, met or not */
	GString *diagnostics;		/* for a correction mail, or NULL */
	char *warnings;			/* for the receipt, or NULL */
	char *matcher_error;		/* a text defeated the matcher (a
					   PCRE2 limit): for the log */
};
/* The mail's plan (mailplan.h): its work named by the subject or by the
 * file names as the campaign's convention says, its files in roles, and
 * what refuses it or is only worth a word in the receipt.  content: each
 * attachment's type by content (contenttype.h), or NULL when not looked
 * at; media: what each video or audio attachment measures (inspect.h),
 * NULL (or a NULL entry) where it was not inspected. */
void judge_names(const struct campaign *campaign, const struct message *msg,
    const char *const *content, const struct media_facts *const *media,
    struct judge_names *names);
/* The same with the cloud attachment links of the mail's body
 * (cloudlink.h; NULL: none): each not quoted is a file of the mail after
 * the attachments (mailplan.h), judged as expired against arrival (unix
 * time; 0: not judged); and forms: the cells of each attachment read as
 * a registration form (NULL, or a NULL entry, where none was). */
void judge_names_links(const struct campaign *campaign,
    const struct message *msg, const char *const *content,
    const struct media_facts *const *media,
    const struct regform_cells *const *forms,
    const struct cloudlink_set *links, int64_t arrival,
    struct judge_names *names);
void judge_names_clear(struct judge_names *names);

/* What staff said of the mail's sender for a work's unit (unit_senders),
 * read where [policy] sender_check = confirm. */
enum judge_sender {
	JUDGE_SENDER_UNKNOWN,		/* nothing, or not asked */
	JUDGE_SENDER_CONFIRMED,
	JUDGE_SENDER_REFUSED,
};

/* Everything the policies look at, gathered by the caller. */
struct judge_facts {
	const struct campaign *campaign;
	const struct message *msg;
	GDateTime *arrival;		/* what the window is judged by */
	uint64_t size;			/* the whole message */
	uint64_t max_size;		/* the campaign's limit */
	bool known;			/* processed before */
	const char *automatic;		/* why not to answer, or NULL */
	/* A person's question (loopguard.h), and what bounds it: whether
	 * its sender was acknowledged lately, how many of its questions
	 * went to staff today. */
	bool question;
	bool question_acknowledged;
	unsigned question_forwards;
	unsigned question_forwards_max;	/* a day; 0: no limit */
	const struct judge_names *names;
	/* From the database, read once the fields are known: the earlier
	 * case of the same work (NULL: none, or the campaign keeps all),
	 * and the counts the quotas are judged by (0 when no quota). */
	const char *same_receipt;
	unsigned unit_count;		/* cases of the unit (or sender) */
	unsigned unit_category_count;	/* of the unit in the category */
	unsigned submitter_count;	/* cases of the sender */
	enum judge_sender sender;	/* the sender for the unit */
	/* The From: address did not pass SPF, DKIM or DMARC at our
	 * receiving server, which the configuration says stamps every mail
	 * ([smtp] require_authentication_results): it may be forged, so it
	 * speaks for no unit, listed or confirmed. */
	bool sender_unverified;
	/* The attachments the virus scanner found infected (their names,
	 * NULL-terminated) and the first one's signature, for the log and
	 * staff; NULL: none, or not scanned. */
	const char *const *infected;
	const char *infected_signature;
};

struct verdict {
	enum outcome outcome;
	const char *policy;		/* the policy that decided */
	const char *code;		/* why not filed, for counting
					   (reasoncode.h); NULL: filed */
	char *reason;			/* for the log and the database */
	bool reply;			/* whether the submitter is answered */
	enum reply_kind kind;
	char *notice;			/* late, over quota, frozen, too large */
	char *diagnostics;		/* for a correction mail */
	bool supersedes;		/* accepted, replacing same_receipt */
	bool forward;			/* a question: to the staff address */
	bool pending;			/* accepted, but filed pending: the
					   sender is not known for the unit
					   (notice says so, for the receipt);
					   no quota, no resubmission */
};

/* The verdict on the facts (never fails).  For a mail of several works
 * (names->several) only the mail's policies run (duplicate to limits,
 * and naming for what refuses the whole mail): accepted there means
 * "judge each work", with policy "works". */
void judge_run(const struct judge_facts *facts, struct verdict *v);

/*
 * One work of a mail that carries several, with its own facts: its
 * fields (the late policy takes its category's window), what refuses it
 * in the plan, and the database's view before this mail.
 */
struct judge_work {
	const struct grammar_result *fields;
	const char *title;		/* for the texts; may be NULL */
	const char *refusal;		/* its refusing problems, or NULL */
	const char *refusal_code;	/* reasoncode_for_plan() of them */
	const char *same_receipt;	/* as judge_facts */
	unsigned unit_count, unit_category_count, submitter_count;
	enum judge_sender sender;	/* as judge_facts */
};
/*
 * Each work through late, naming, senders, resubmission and quotas, in
 * the order of the plan (the order the unit chose), with a tally: works
 * accepted earlier in the mail count towards the quotas of later ones,
 * pending ones do not.
 * v[i] is work i's verdict; *mail is the mail's: accepted (a receipt,
 * or superseded-notice when a work replaces an earlier one) when at
 * least one work is, else the first refusal's outcome, told in the
 * refusal kind all share or else a correction, one line per work.
 * Never fails.
 */
void judge_works(const struct judge_facts *mail, const struct judge_work *w,
    size_t n, struct verdict *v, struct verdict *mail_v);
void verdict_clear(struct verdict *v);

/* The policies' names in the order they are applied, NULL-terminated. */
const char *const *judge_policy_names(void);

/* "2024-06-01 09:30:00（北京时间）": a time as the campaign's submitters
 * read it (g_free). */
char *judge_time_text(GDateTime *dt, const struct campaign *campaign);
/* The closing that applies to the mail (its category's, else the
 * envelope's) as submitters read it: as the campaign file writes it
 * ("2020-08-30 24:00（北京时间）") or in full; "" when it never closes
 * (g_free).  For a reply's {deadline}. */
char *judge_deadline_text(const struct judge_facts *f);

#endif
