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

/* true, with a reason, when msg must not be answered; headers_only: the
 * message was too large to fetch, so its attachments are unknown. */
bool loopguard_check(const struct config *config, struct db *db,
    const struct message *msg, bool headers_only, const char **why_r);
/* Whether Authentication-Results shows a pass for address's domain. */
bool loopguard_sender_authenticated(const struct config_smtp *smtp,
    const struct message *msg, const char *address);

#endif
