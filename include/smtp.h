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
 * otherwise with *error_r; *permanent_r tells a 5xx refusal (do not
 * retry) from a temporary failure (4xx, network, TLS: retry later).
 */
#ifndef SUBGATE_SMTP_H
#define SUBGATE_SMTP_H

#include <stdbool.h>
#include <stddef.h>

struct config_smtp;

int smtp_send(const struct config_smtp *config, const char *recipient,
    const char *data, size_t len, bool *permanent_r, char **error_r);

/* How a configuration protects the connection, for logs and
 * check-config: "implicit TLS", "STARTTLS" or "none". */
const char *smtp_security(const struct config_smtp *config);

/* The XOAUTH2 bearer token: the first line of oauth_token_file or of
 * oauth_token_command's output.  0 and *token_r (g_free), or <0. */
int smtp_oauth_token(const struct config_smtp *config, char **token_r,
    char **error_r);

#endif
