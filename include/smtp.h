/*
 * smtp: hands one composed message to the submission server (libcurl).
 *
 * Submission on 587 with STARTTLS (url smtp://, starttls = true) or
 * implicit TLS on 465 (url smtps://); the server's certificate is always
 * verified, against ca_file when one is set.  AUTH with a password or app
 * code (PLAIN or LOGIN), or XOAUTH2 with a bearer token read afresh for
 * every connection.
 *
 * smtp_send() returns 0 when the server accepted the message, <0
 * otherwise with *error_r and *failure_r: a 5xx refusal (do not retry), a
 * server that did not answer at all (retry later; the outbox's circuit
 * breaker counts these), another temporary failure (4xx, TLS: retry
 * later), or nothing sent at all (the token could not be had).
 *
 * No wait is unbounded: [smtp] timeout limits the connection set-up
 * (TCP, TLS, greeting, EHLO, AUTH) and each answer after it, a transfer
 * slower than a few bytes a second for as long is abandoned, and the
 * whole transaction may take 4 times [smtp] timeout.
 */
#ifndef SUBGATE_SMTP_H
#define SUBGATE_SMTP_H

#include <stdbool.h>
#include <stddef.h>

struct config_smtp;

enum smtp_failure {
	SMTP_FAIL_LOCAL,	/* nothing sent (no token): retry later */
	SMTP_FAIL_TEMPORARY,	/* 4xx, TLS: retry later */
	SMTP_FAIL_UNANSWERED,	/* unreachable, silent, gone: retry later */
	SMTP_FAIL_PERMANENT,	/* 5xx to this recipient or message */
};

int smtp_send(const struct config_smtp *config, const char *recipient,
    const char *data, size_t len, enum smtp_failure *failure_r,
    char **error_r);

/* How a configuration protects the connection, for logs and
 * check-config: "implicit TLS", "STARTTLS" or "none". */
const char *smtp_security(const struct config_smtp *config);

/* The XOAUTH2 bearer token: the first line of oauth_token_file or of
 * oauth_token_command's output.  0 and *token_r (g_free), or <0. */
int smtp_oauth_token(const struct config_smtp *config, char **token_r,
    char **error_r);

#endif
