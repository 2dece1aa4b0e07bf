/*
 * loopguard: which mail an automatic responder must never answer.
 *
 * An answer to a bounce, an out-of-office reply, a mailing list, a robot
 * or ourselves can start a mail loop or hit someone who never wrote.  Such
 * mail is recorded as ignored with the reason given here.  A bounce about
 * one of our replies first marks that reply bounced in the outbox.
 *
 * A mail that answers one of our replies without bringing files is
 * either a careless responder or a person with a question.  It is taken
 * for a person's question (finding->question: recorded, forwarded to
 * staff, acknowledged at most once; see question.h) unless something
 * marks it automatic: the headers above, a subject or text of the kind
 * QQ and 163 auto-replies write ("自动回复", "您的邮件已收到"), text that
 * only acknowledges ("收到，谢谢。"), or a thread through one of our
 * acknowledgements or staff forwards (a responder answering those would
 * otherwise go round forever).
 *
 * The backscatter guard (optional, [smtp] require_authentication_results)
 * answers only senders whose domain passed SPF, DKIM or DMARC at our
 * receiving server: forged senders are how a responder becomes a spam
 * cannon.
 */
#ifndef SUBGATE_LOOPGUARD_H
#define SUBGATE_LOOPGUARD_H

#include <stdbool.h>

struct config;
struct config_smtp;
struct db;
struct message;

/* What the loop guard found in a message. */
struct loopguard_finding {
	const char *why;	/* why not to answer it, or NULL */
	bool bounce;		/* it may report on replies of ours: the
				   caller marks them (outbox_note_bounce)
				   when it records the message */

	bool question;		/* a person's question to staff (not
				   automatic, why is NULL) */
};

/* What the outbox knows of the thread msg answers (In-Reply-To and
 * References): the facts loopguard_check needs from the database. */
struct loopguard_thread {
	unsigned replies;	/* replies of ours it answers, at any depth */
	bool acknowledged;	/* one is a question's acknowledgement or a
				   question forwarded to staff */
	char *answers;		/* the receipt, or the 查询码 of mail without
				   a case, of the nearest reply of ours
				   (g_free); NULL: none */
};

/* Reads the thread's facts; a database failure is logged and counts as
 * no reply of ours there. */
void loopguard_thread_read(struct db *db, const struct message *msg,
    struct loopguard_thread *thread);
void loopguard_thread_clear(struct loopguard_thread *thread);

/* Whether msg must not be answered (pure), or is a question
 * (finding->question, returns false); headers_only: the message was too
 * large to fetch, so its attachments are unknown. */
bool loopguard_check(const struct config *config, const struct message *msg,
    bool headers_only, const struct loopguard_thread *thread,
    struct loopguard_finding *finding);
/* Whether Authentication-Results shows a pass for address's domain. */
bool loopguard_sender_authenticated(const struct config_smtp *smtp,
    const struct message *msg, const char *address);

#endif
