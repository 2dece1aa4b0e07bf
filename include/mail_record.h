/*
 * mail_record: a recorded mail as staff see it, the mail that made no
 * case above all (late, refused, over a quota, frozen, unreadable, a
 * question, an automatic reply): when it came, from whom, what it was
 * about, what was decided and why (its reason code, reasoncode.h), what
 * the sender was told (each reply's kind, state, subject and first lines,
 * replygist.h) or why nothing was, and where the mail itself is kept.
 *
 * Joins the messages row, its replies in the outbox (their text read
 * back from what was sent) and the store's _unaccepted folder.  Used by
 * `cases list --all`, `cases show 查询码` and the index page; like
 * case_record, it reads while the daemon writes and takes no lock.
 */
#ifndef SUBGATE_MAIL_RECORD_H
#define SUBGATE_MAIL_RECORD_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

struct db;
struct db_mail_query;

struct mail_reply {
	char *kind;		/* the outbox's: correction, late ... */
	char *state;		/* queued sending sent failed bounced */
	char *recipient;
	char *subject;		/* as sent; NULL when it does not parse */
	char *gist;		/* replygist_lines(), '\n' between lines */
	char *created_at, *sent_at, *last_error;
};

struct mail_record {
	int64_t row;
	char *campaign;
	char *sha256;		/* of the raw mail */
	char *query_code;	/* reply_query_code() of it */
	char *message_id, *sender, *subject;
	char *received_at;	/* ISO 8601 in the campaign's zone */
	char *outcome, *reason;
	char *reason_code;	/* recorded, else reasoncode_guess() */
	char *receipt;		/* its first case, or NULL */
	char *folder;		/* the IMAP folder, NULL offline */
	uint32_t uidvalidity, uid;
	bool quarantined;
	GPtrArray *replies;	/* struct mail_reply *, oldest first */
	/* Why the sender was told nothing (reasoncode_unanswered()), NULL
	 * when a reply was queued. */
	char *unanswered;
	/* The raw mail: its path under the store (<campaign>/_unaccepted/
	 * …), or NULL, and then where it is, in words, in kept_where. */
	char *kept;
	char *kept_where;
};

/* The mail matching q as a GPtrArray of struct mail_record * (in
 * db_mail_list() order), freed with g_ptr_array_unref(); newest > 0:
 * only the newest that many, *total_r (may be NULL) saying how many
 * match.  Each reply is parsed again from what was sent: a page that
 * shows the newest 200 reads 200 mails' replies, not a campaign's. */
int mail_records_load(struct db *db, const char *store_dir,
    const struct db_mail_query *q, unsigned newest, GPtrArray **mail_r,
    unsigned *total_r, char **error_r);
void mail_record_free(struct mail_record *m);

/* What staff read for an outcome, in a word ("late" -> "逾期"), and
 * for a reply's kind ("correction" -> "更正通知"); an unknown name as
 * it is. */
const char *mail_outcome_label(const char *outcome);
const char *mail_reply_kind_label(const char *kind);
/* A reply's state in words ("sent" -> "已发送"). */
const char *mail_reply_state_label(const char *state);
/* "更正通知（已发送）：【请更正】…" and the gist: one text of what the
 * sender was told, lines joined by sep; or "未答复：why".  g_free. */
char *mail_record_told(const struct mail_record *m, const char *sep);

#endif
