/*
 * reply: composes the mail a submitter gets back (GMime), as the exact
 * RFC 5322 bytes that go into the outbox and on the wire.
 *
 * Every reply is marked as automatic (Auto-Submitted: auto-replied, RFC
 * 3834; X-Auto-Response-Suppress for Exchange) so that well-behaved
 * responders do not answer it, and threads under the submission
 * (In-Reply-To, References).  Its Message-ID is derived from the case and
 * the kind of reply, so a reply composed twice is recognisably the same.
 *
 * Subject and text come from the campaign's [reply] templates
 * (subgate.campaign(5)) or, for kinds it leaves out, from subgate's
 * Chinese defaults; the text is always text/plain in UTF-8, with a
 * text/html alternative when the campaign has an HTML template.  Every
 * subject names the case (receipt number and title) or, for mail that
 * made no case, a short reference: 163's spam filter refuses bursts of
 * identical subjects (554 DT:SPM).
 *
 * A reminder (REPLY_REMINDER) answers no mail either: the campaign
 * writes to a roster unit, before the deadline, that it has sent
 * nothing or less than its minimum ({unit}, {counts}, {missing},
 * {deadline}, {how}, {format}, {example}); it threads under nothing and
 * is Auto-Submitted: auto-generated.
 *
 * Decision mails (REPLY_DECISION_*) are not answers to a message but a
 * staff decision on a case (`subgate cases accept|reject --notify`): they
 * thread under the submission like its receipt and carry the decision,
 * the reason and the fields staff corrected.  A decision on several cases
 * at once (`cases confirm`) lists each ({works}: receipt and title).
 */
#ifndef SUBGATE_REPLY_H
#define SUBGATE_REPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * What a reply quotes back of the sender's own text is bounded: a reply
 * goes to whatever address the mail claims, so anyone can make the
 * gateway mail a third party, and must not be able to choose much of
 * what it says or make it large (499 tiny attachments would otherwise
 * list 499 names).  Longer text is cut at a character and ends in "…".
 */
/* Characters quoted of one piece of the sender's text: the subject, the
 * title, a field, an attachment name (real ones are under 80). */
#define REPLY_QUOTE_CHARS	200
/* Characters of the sender's display name in the To: header. */
#define REPLY_NAME_CHARS	64
/* Attachments named one by one; the rest are counted. */
#define REPLY_LIST_ATTACHMENTS	30
/* Works of one mail named one by one in a receipt; the rest are
 * counted. */
#define REPLY_LIST_WORKS	30
/* Characters of the diagnosis of a subject or file names. */
#define REPLY_DIAGNOSTICS_CHARS	3000
/* Characters of a question quoted back to the person who asked it. */
#define REPLY_QUESTION_CHARS	500

enum reply_kind {
	REPLY_RECEIPT,		/* a case was made */
	REPLY_SUPERSEDED,	/* a case was made and replaced an earlier one */
	REPLY_CORRECTION,	/* the naming convention was not met */
	REPLY_LATE,		/* outside the campaign's window */
	REPLY_OVER_QUOTA,	/* a quota is used up */
	REPLY_FROZEN,		/* resubmission refused */
	REPLY_TOO_LARGE,	/* over the campaign's message size */
	REPLY_DECISION_ACCEPTED, /* staff accepted a case (again) */
	REPLY_DECISION_REJECTED, /* staff rejected a case */
	REPLY_QUESTION,		/* a person's question went to staff */
	REPLY_REMINDER,		/* a unit has not sent enough, before the
				   deadline (remind.h): answers nothing */
	REPLY_LINK_CHECK,	/* a cloud attachment, once downloaded,
				   failed a check ({notice}: the findings) */
	REPLY_KIND_COUNT,
};

struct campaign;

struct reply_field {
	const char *name;
	const char *value;
};

struct reply_attachment {
	const char *name;
	uint64_t size;
	const char *sha256;
	const char *label;	/* what it was taken for: "报名表"; NULL */
	const char *saved_as;	/* its name in the case folder, NULL: as
				   sent (two files of one name, say) */
};

/* A cloud attachment link registered with a case (cloudlink.h): a
 * receipt says it is registered and until when staff can download it. */
struct reply_link {
	const char *name;	/* NULL: the block gave none */
	uint64_t size;		/* 0: unknown */
	const char *provider;	/* as people call it: "QQ邮箱" */
	const char *expires;	/* "2024-09-12 10:30" (the campaign's
				   time), "无限期", or NULL: unknown */
	const char *pass_code;	/* 提取码, or NULL */
};

/* One work of a mail that carried several: filed (a receipt number),
 * perhaps pending (待核实: why), or not (why). */
struct reply_work {
	const char *receipt;		/* NULL: not filed */
	const char *pending;		/* filed pending: why, in a sentence
					   (said once for the works that
					   share it); NULL: not pending */
	const char *title;
	const char *category;		/* may be NULL */
	const char *reason;		/* not filed: why, in a sentence */
	const char *warnings;		/* filed: what it lacks, one a line */
	const char *superseded;		/* filed, replacing this receipt */
	const struct reply_attachment *files;	/* in its case folder */
	size_t file_count;
	const struct reply_link *links;		/* registered with it */
	size_t link_count;
};

struct reply {
	enum reply_kind kind;
	const char *campaign_name;
	const char *contact;		/* staff contact, may be NULL */
	const char *from;		/* our address */
	const char *from_name;		/* may be NULL */
	const char *to;
	const char *to_name;		/* may be NULL or "" */
	const char *orig_subject;
	const char *orig_message_id;	/* without <>, may be "" */
	const char *orig_references;	/* raw References, may be "" */
	const char *receipt;		/* receipts only */
	const char *title;		/* receipts only */
	const char *token;		/* unique per submission, for Message-ID */
	const char *arrival;		/* arrival time as people read it */
	const struct reply_field *fields;
	size_t field_count;
	const struct reply_attachment *attachments;
	size_t attachment_count;
	bool attachments_cut;		/* the MIME walk stopped at a limit:
					   attachment_count is a lower bound */
	/* Receipts: the cloud attachment links registered, listed after the
	 * attachments in {attachments} (a mail of links only says so, not
	 * "附件：无"). */
	const struct reply_link *links;
	size_t link_count;
	const char *diagnostics;	/* corrections only */
	const char *warnings;		/* receipts: what the work lacks but
					   does not refuse it, one a line */
	bool pending;			/* receipts of one work: it is filed
					   pending (待核实), {pending} */
	const char *notice;		/* late, over quota, frozen, too large:
					   what happened, in a sentence;
					   decisions: what the decision does
					   beyond the case (the works now
					   counted for the unit; the mailbox
					   refused for it) */
	const char *superseded;		/* REPLY_SUPERSEDED: the old receipt */
	const char *deadline;		/* the closing that applies as
					   people read it; NULL: the
					   campaign's; "": none */
	const char *format;		/* the naming convention, or NULL */
	const char *example;		/* a name that follows it, or NULL */
	const struct campaign *campaign; /* its [reply] templates, or NULL */
	const char *reason;		/* decisions: why, may be NULL */
	/* REPLY_DECISION_REJECTED of a sender refused for its unit: what it
	 * sends again for the unit is refused, so sending again is not
	 * offered (nor under resubmission = freeze, where changes are
	 * forbidden). */
	bool sender_refused;
	const struct reply_field *changes; /* decisions: fields staff */
	size_t change_count;		/* corrected, with new values */
	/* Receipts for a mail of several works: each work, filed or not, in
	 * the mail's order ({works}: 已登记, 已登记，待核实 and 未登记, each
	 * under its own heading); work_count > 1 gives the default receipt
	 * its list, and {title} reads "初心如磐 等3件" ("…（待核实）" when
	 * those filed are pending). */
	const struct reply_work *works;
	size_t work_count;
	/* REPLY_QUESTION: what the person asked ({question}, clipped) and
	 * whether it went to a staff mailbox or waits for staff in the
	 * gateway's list. */
	const char *question;
	bool forwarded;
	/* REPLY_REMINDER: the unit, what it has sent as of now, what it
	 * still lacks (one a line; NULL: it has sent nothing and is held to
	 * no minimum) and how to send (remind.h). */
	const char *unit;
	const char *counts;
	const char *missing;
	const char *how;
};

/* Random bytes in every Message-ID: a reply's ID travels in every answer
 * to it, but no one who has not seen the reply can guess it, so no
 * stranger can name it in a forged bounce (64 bits, hex). */
#define REPLY_ID_RANDOM_BYTES	8
/* Hex of REPLY_ID_RANDOM_BYTES from the system's cryptographic generator
 * (GnuTLS, already there for TLS) into out, of 2 * REPLY_ID_RANDOM_BYTES
 * + 1 bytes: the random part of every Message-ID we write. */
int reply_random_hex(char *out, size_t size, char **error_r);
const char *reply_kind_name(enum reply_kind kind);
/* The subject templates of campaign c's replies (its own or subgate's
 * defaults), NULL-terminated, borrowed strings in a g_free'd array: what
 * replytag_strip() takes off a subject that answers one of them. */
const char **reply_subject_templates(const struct campaign *c);
/* msg's subject as the submitter wrote it, without the wrapping of our
 * replies that a reply to one carries (replytag.h); g_free. */
char *reply_submitted_subject(const struct campaign *c, const char *subject);
/* The 查询码 of a mail that made no case (the reference its reply's
 * subject carries, "（查询码 3F9A2C1B）"): the first characters of its
 * SHA-256 in capitals; staff find the mail by it.  g_free. */
char *reply_query_code(const char *sha256);
/* Whether text is a 查询码 as reply_query_code() writes it (either case:
 * a clerk reads it out over the phone). */
bool reply_is_query_code(const char *text);
/* A reply to mail that made no case (a correction, late, over quota...):
 * anyone can make the gateway send one to any address, so these have
 * limits of their own ([smtp] rate_per_domain_hour, rate_refusals_hour). */
bool reply_kind_is_refusal(enum reply_kind kind);
/* 0 and the message in *data_r (g_free) and its Message-ID (without <>,
 * g_free) in *message_id_r; <0 with *error_r. */
int reply_compose(const struct reply *r, char **data_r, size_t *len_r,
    char **message_id_r, char **error_r);
/* The subject and the plain text reply_compose() would send (g_free
 * each): what a dry run shows and a snapshot keeps. */
void reply_render(const struct reply *r, char **subject_r, char **text_r);
/* text cut to at most max_chars characters, "…" ending a cut; invalid
 * UTF-8 replaced.  NULL for NULL.  g_free. */
char *reply_clip(const char *text, size_t max_chars);
/* "12.3 MB" style sizes for people. */
char *reply_format_size(uint64_t bytes);

#endif
