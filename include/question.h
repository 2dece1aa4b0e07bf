/*
 * question: what becomes of a person's question.  Someone who answers a
 * receipt or a correction without files ("请问视频超过8分钟怎么办？") is
 * neither a submission nor automatic mail (loopguard.h tells them apart):
 * the question is recorded (db_question_add), forwarded to the campaign's
 * staff address ([campaign] staff) through the outbox like every reply,
 * and the asker is acknowledged once (REPLY_QUESTION, "已转工作人员").
 * Without a staff address it is kept for staff: `subgate questions list`
 * and the index show it.
 *
 * Bounded so that no responder or stranger can make a loop or a flood of
 * it: a sender is acknowledged at most once per [smtp] question_ack_hours
 * (QUESTION_ACK_INTERVAL_HOURS), its questions are forwarded at most
 * question_forwards_day (QUESTION_FORWARDS_PER_DAY) a day
 * (the rest are recorded for staff only), and mail that answers an
 * acknowledgement or a forward is never a question (loopguard.h).
 *
 * The forward is composed here (pure: the bytes that go into the outbox);
 * its Reply-To is the asker, so that staff answer directly, and it is
 * marked Auto-Submitted so that a staff mailbox's auto-responder does
 * not answer the asker.
 */
#ifndef SUBGATE_QUESTION_H
#define SUBGATE_QUESTION_H

#include <stdbool.h>
#include <stddef.h>

/* The outbox kind of a question forwarded to staff. */
#define QUESTION_FORWARD_KIND		"staff-forward"
/* One acknowledgement per sender in this many hours: further questions
 * are forwarded and recorded, not acknowledged.  The default of [smtp]
 * question_ack_hours (subgate.conf(5)). */
#define QUESTION_ACK_INTERVAL_HOURS	24
/* Questions of one sender forwarded to staff in 24 hours; the rest are
 * recorded for staff only.  The default of [smtp] question_forwards_day. */
#define QUESTION_FORWARDS_PER_DAY	10
/* Characters of the question's text recorded and forwarded. */
#define QUESTION_TEXT_CHARS		2000

struct question_forward {
	const char *from;		/* our address */
	const char *from_name;		/* may be NULL */
	const char *staff;		/* [campaign] staff */
	const char *campaign_name;
	const char *asker;		/* the question's sender */
	const char *asker_name;		/* may be NULL or "" */
	const char *subject;		/* as the asker wrote it */
	const char *text;		/* what the asker wrote (clipped here) */
	const char *answers;		/* receipt or 查询码 it answers; NULL */
	const char *arrival;		/* as people read it */
	const char *orig_message_id;	/* without <>, may be "" */
	const char *token;		/* unique per question, for Message-ID */
};

/* "回执 CZ-00012" or "查询码 1A2B3C4D": what answers names, for staff. */
char *question_answers_label(const char *answers);
/* 0 and the forward's bytes (CRLF) in *data_r and its Message-ID
 * (without <>) in *message_id_r, both g_free; <0 with *error_r. */
int question_forward_compose(const struct question_forward *f,
    char **data_r, size_t *len_r, char **message_id_r, char **error_r);

#endif
