/*
 * outbox: delivers the replies that ingest queued in the database.
 *
 * Sending happens only after the transaction that queued a reply has
 * committed, so a crash can delay a reply but never lose it or send it
 * for a case that does not exist.  A 4xx or network failure keeps the
 * reply queued with exponential backoff; a 5xx marks it failed.
 */
#ifndef SUBGATE_OUTBOX_H
#define SUBGATE_OUTBOX_H

struct config_smtp;
struct db;

/* Replies sent in one go before the next poll. */
#define OUTBOX_BATCH	100

/* 0 (with counts), or <0 when the database failed. */
int outbox_send(struct db *db, const struct config_smtp *smtp,
    unsigned *sent_r, unsigned *deferred_r, char **error_r);

#endif
