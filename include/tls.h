/*
 * tls: a client connection to a mail server, plain or TLS (GnuTLS), with
 * a deadline on every operation.
 *
 * tls_conn_connect() opens the TCP connection (every address the name
 * resolves to, in turn, each with the timeout).  tls_conn_start() then
 * runs the TLS handshake on it, either at once (implicit TLS) or after a
 * STARTTLS exchange, and only succeeds when the server's certificate chain
 * leads to a trusted CA (ca_file, or the system trust store when NULL) and
 * the certificate names the host that was asked for (DNS name, or IP
 * address for a literal).  There is no way to turn verification off.
 *
 * Reads and writes wait at most the timeout; a signal delivered to a
 * handler interrupts them, so a daemon told to stop is not held up by a
 * slow server.  After a failed read or write, tls_conn_error() says why.
 * Functions return 0 on success, <0 with *error_r (g_free) on error.
 */
#ifndef SUBGATE_TLS_H
#define SUBGATE_TLS_H

#include <stddef.h>
#include <sys/types.h>

struct tls_conn;

int tls_conn_connect(const char *host, int port, unsigned timeout_secs,
    struct tls_conn **conn_r, char **error_r);
/* Handshake and verification; host is the name checked in the certificate. */
int tls_conn_start(struct tls_conn *conn, const char *ca_file,
    char **error_r);
/* Shuts the socket down (the struct stays until tls_conn_free). */
void tls_conn_close(struct tls_conn *conn);
void tls_conn_free(struct tls_conn **conn);

/* Bytes read (0: the server closed the connection), or -1. */
ssize_t tls_conn_read(struct tls_conn *conn, void *buf, size_t len);
/* Bytes written (at least 1), or -1. */
ssize_t tls_conn_write(struct tls_conn *conn, const void *buf, size_t len);
/* Waits up to timeout_ms for something to read: >0 readable (or closed),
 * 0 nothing yet, <0 error or interrupted by a signal (errno). */
int tls_conn_wait_readable(struct tls_conn *conn, int timeout_ms);
void tls_conn_set_timeout(struct tls_conn *conn, unsigned timeout_secs);

int tls_conn_fd(const struct tls_conn *conn);
/* Why the last read or write failed; NULL if none did. */
const char *tls_conn_error(const struct tls_conn *conn);

#endif
