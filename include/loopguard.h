/*
 * loopguard: which mail an automatic responder must never answer.
 *
 * An answer to a bounce, an out-of-office reply, a mailing list, a robot
 * or ourselves can start a mail loop or hit someone who never wrote.  Such
 * mail is recorded as ignored with the reason given here.  A bounce about
 * one of our replies first marks that reply bounced in the outbox, and a
 * second round in a thread with our replies is taken for a loop.
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
};

/* How many replies of ours msg answers, directly or further up its
 * thread (In-Reply-To and References, as recorded in the outbox): the one
 * fact loopguard_check needs from the database. */
unsigned loopguard_replies_in_thread(struct db *db, const struct message *msg);

/* Whether msg must not be answered (pure); headers_only: the message was
 * too large to fetch, so its attachments are unknown. */
bool loopguard_check(const struct config *config, const struct message *msg,
    bool headers_only, unsigned replies_in_thread,
    struct loopguard_finding *finding);
/* Whether Authentication-Results shows a pass for address's domain. */
bool loopguard_sender_authenticated(const struct config_smtp *smtp,
    const struct message *msg, const char *address);

#endif
