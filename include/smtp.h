/*
 * smtp: hands one composed message to the submission server (libcurl).
 *
 * Returns 0 when the server accepted the message, <0 otherwise with
 * *error_r; *permanent_r tells a 5xx refusal (do not retry) from a
 * temporary failure (4xx, network, TLS: retry later).
 */
#ifndef SUBGATE_SMTP_H
#define SUBGATE_SMTP_H

#include <stdbool.h>
#include <stddef.h>

struct config_smtp;

int smtp_send(const struct config_smtp *config, const char *recipient,
    const char *data, size_t len, bool *permanent_r, char **error_r);

#endif
