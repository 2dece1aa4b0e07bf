/* tls: see include/tls.h. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/poll.h>	/* not <poll.h>: include/poll.h is ours */
#include <sys/socket.h>

#include <glib.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "tls.h"

struct tls_conn {
	int fd;
	char *host;
	unsigned timeout_secs;
	gnutls_session_t session;	/* NULL until tls_conn_start */
	gnutls_certificate_credentials_t cred;
	char *error;			/* why the last read/write failed */
};

static void
tls_conn_set_error(struct tls_conn *conn, char *error)
{
	g_free(conn->error);
	conn->error = error;
}

static gint64
tls_deadline(unsigned secs)
{
	return g_get_monotonic_time() + (gint64)secs * G_USEC_PER_SEC;
}

/* Waits for fd to become ready for events before the deadline: 1 ready,
 * 0 timed out, -1 error (errno; EINTR when a signal handler ran). */
static int
tls_poll(int fd, short events, gint64 deadline)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	gint64 left = deadline - g_get_monotonic_time();
	int r;

	if (left <= 0)
		return 0;
	r = poll(&pfd, 1, (int)MIN(left / 1000 + 1, G_MAXINT));
	if (r < 0)
		return -1;
	return r > 0;
}

/* One address: non-blocking connect with the deadline. */
static int
tls_connect_addr(const struct addrinfo *ai, unsigned timeout_secs,
    int *fd_r, char **why_r)
{
	int fd, r, soerr = 0;
	socklen_t len = sizeof(soerr);

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, ai->ai_protocol);
	if (fd < 0) {
		*why_r = g_strdup(g_strerror(errno));
		return -1;
	}
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		if (errno != EINPROGRESS) {
			*why_r = g_strdup(g_strerror(errno));
			close(fd);
			return -1;
		}
		r = tls_poll(fd, POLLOUT, tls_deadline(timeout_secs));
		if (r <= 0) {
			*why_r = r == 0 ? g_strdup_printf("timed out after %u s",
			    timeout_secs) : g_strdup(g_strerror(errno));
			close(fd);
			return -1;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
			soerr = errno;
		if (soerr != 0) {
			*why_r = g_strdup(g_strerror(soerr));
			close(fd);
			return -1;
		}
	}
	*fd_r = fd;
	return 0;
}

int
tls_conn_connect(const char *host, int port, unsigned timeout_secs,
    struct tls_conn **conn_r, char **error_r)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
	    .ai_flags = AI_ADDRCONFIG };
	struct addrinfo *res = NULL, *ai;
	g_autofree char *why = NULL;
	char service[16];
	int fd = -1, r;

	*conn_r = NULL;
	g_snprintf(service, sizeof(service), "%d", port);
	/* getaddrinfo has no timeout of its own: the resolver's applies. */
	r = getaddrinfo(host, service, &hints, &res);
	if (r != 0) {
		*error_r = g_strdup_printf("%s: %s", host, gai_strerror(r));
		return -1;
	}
	for (ai = res; ai != NULL && fd < 0; ai = ai->ai_next) {
		g_clear_pointer(&why, g_free);
		(void)tls_connect_addr(ai, timeout_secs, &fd, &why);
	}
	freeaddrinfo(res);
	if (fd < 0) {
		*error_r = g_strdup_printf("connect to %s port %d: %s", host,
		    port, why ? why : "no address");
		return -1;
	}
	*conn_r = g_new0(struct tls_conn, 1);
	(*conn_r)->fd = fd;
	(*conn_r)->host = g_strdup(host);
	(*conn_r)->timeout_secs = timeout_secs;
	return 0;
}

/* GnuTLS writes with send(), which would raise SIGPIPE on a connection
 * the server has dropped. */
static ssize_t
tls_push(gnutls_transport_ptr_t ptr, const void *buf, size_t len)
{
	struct tls_conn *conn = ptr;

	return send(conn->fd, buf, len, MSG_NOSIGNAL);
}

static ssize_t
tls_pull(gnutls_transport_ptr_t ptr, void *buf, size_t len)
{
	struct tls_conn *conn = ptr;

	return recv(conn->fd, buf, len, 0);
}

static int
tls_host_is_address(const char *host)
{
	struct in6_addr a6;
	struct in_addr a4;

	return inet_pton(AF_INET, host, &a4) == 1 ||
	    inet_pton(AF_INET6, host, &a6) == 1;
}

static char *
tls_verify_error(struct tls_conn *conn)
{
	unsigned status = gnutls_session_get_verify_cert_status(conn->session);
	gnutls_datum_t out = { NULL, 0 };
	g_autofree char *reason = NULL;

	if (gnutls_certificate_verification_status_print(status,
	    gnutls_certificate_type_get(conn->session), &out, 0) < 0)
		return g_strdup_printf("certificate verify failed: status "
		    "0x%x (host %s)", status, conn->host);
	reason = g_strstrip(g_strdup((const char *)out.data));
	gnutls_free(out.data);
	return g_strdup_printf("certificate verify failed: %s (host %s)",
	    reason, conn->host);
}

int
tls_conn_start(struct tls_conn *conn, const char *ca_file, char **error_r)
{
	gint64 deadline = tls_deadline(conn->timeout_secs);
	int r;

	g_assert(conn->session == NULL);
	r = gnutls_certificate_allocate_credentials(&conn->cred);
	if (r < 0)
		goto gnutls_error;
	if (ca_file != NULL) {
		r = gnutls_certificate_set_x509_trust_file(conn->cred,
		    ca_file, GNUTLS_X509_FMT_PEM);
		if (r <= 0) {
			*error_r = g_strdup_printf("ca_file %s: %s", ca_file,
			    r == 0 ? "no certificate in it" :
			    gnutls_strerror(r));
			return -1;
		}
	} else {
		r = gnutls_certificate_set_x509_system_trust(conn->cred);
		if (r <= 0) {
			*error_r = g_strdup_printf("system trust store: %s",
			    r == 0 ? "no certificate in it" :
			    gnutls_strerror(r));
			return -1;
		}
	}
	r = gnutls_init(&conn->session, GNUTLS_CLIENT | GNUTLS_NONBLOCK);
	if (r < 0) {
		conn->session = NULL;
		goto gnutls_error;
	}
	if ((r = gnutls_set_default_priority(conn->session)) < 0 ||
	    (r = gnutls_credentials_set(conn->session, GNUTLS_CRD_CERTIFICATE,
	    conn->cred)) < 0)
		goto gnutls_error;
	/* SNI carries DNS names only (RFC 6066). */
	if (!tls_host_is_address(conn->host) &&
	    (r = gnutls_server_name_set(conn->session, GNUTLS_NAME_DNS,
	    conn->host, strlen(conn->host))) < 0)
		goto gnutls_error;
	/* Chain to a trusted CA and the host name (or IP address) in the
	 * certificate, checked by GnuTLS inside the handshake. */
	gnutls_session_set_verify_cert(conn->session, conn->host, 0);
	gnutls_transport_set_ptr(conn->session, conn);
	gnutls_transport_set_push_function(conn->session, tls_push);
	gnutls_transport_set_pull_function(conn->session, tls_pull);

	for (;;) {
		r = gnutls_handshake(conn->session);
		if (r == GNUTLS_E_SUCCESS)
			return 0;
		if (r == GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR) {
			*error_r = tls_verify_error(conn);
			return -1;
		}
		if (gnutls_error_is_fatal(r))
			goto gnutls_error;
		r = tls_poll(conn->fd, gnutls_record_get_direction(
		    conn->session) ? POLLOUT : POLLIN, deadline);
		if (r <= 0) {
			*error_r = g_strdup_printf("TLS handshake with %s: %s",
			    conn->host, r == 0 ? "timed out" :
			    g_strerror(errno));
			return -1;
		}
	}

gnutls_error:
	*error_r = g_strdup_printf("TLS with %s: %s", conn->host,
	    gnutls_strerror(r));
	return -1;
}

void
tls_conn_close(struct tls_conn *conn)
{
	if (conn->fd >= 0) {
		/* No close_notify: every IMAP exchange ends with LOGOUT, and
		 * a dead peer must not cost a timeout here. */
		close(conn->fd);
		conn->fd = -1;
	}
}

void
tls_conn_free(struct tls_conn **connp)
{
	struct tls_conn *conn = *connp;

	if (conn == NULL)
		return;
	*connp = NULL;
	tls_conn_close(conn);
	if (conn->session != NULL)
		gnutls_deinit(conn->session);
	if (conn->cred != NULL)
		gnutls_certificate_free_credentials(conn->cred);
	g_free(conn->host);
	g_free(conn->error);
	g_free(conn);
}

/* After EAGAIN: wait for the socket, or say why not. */
static int
tls_conn_wait(struct tls_conn *conn, short events, gint64 deadline)
{
	int r = tls_poll(conn->fd, events, deadline);

	if (r > 0)
		return 0;
	if (r == 0)
		tls_conn_set_error(conn, g_strdup_printf("timed out after "
		    "%u s", conn->timeout_secs));
	else if (errno == EINTR)
		tls_conn_set_error(conn, g_strdup("interrupted by a signal"));
	else
		tls_conn_set_error(conn, g_strdup(g_strerror(errno)));
	return -1;
}

ssize_t
tls_conn_read(struct tls_conn *conn, void *buf, size_t len)
{
	gint64 deadline = tls_deadline(conn->timeout_secs);
	ssize_t r;

	if (conn->fd < 0) {
		tls_conn_set_error(conn, g_strdup("connection closed"));
		return -1;
	}
	for (;;) {
		if (conn->session != NULL) {
			r = gnutls_record_recv(conn->session, buf, len);
			if (r >= 0)
				return r;
			if (r == GNUTLS_E_PREMATURE_TERMINATION)
				return 0;
			if (r != GNUTLS_E_AGAIN && r != GNUTLS_E_INTERRUPTED) {
				tls_conn_set_error(conn,
				    g_strdup(gnutls_strerror((int)r)));
				return -1;
			}
			if (tls_conn_wait(conn, gnutls_record_get_direction(
			    conn->session) ? POLLOUT : POLLIN, deadline) < 0)
				return -1;
		} else {
			r = recv(conn->fd, buf, len, 0);
			if (r >= 0)
				return r;
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR) {
				tls_conn_set_error(conn,
				    g_strdup(g_strerror(errno)));
				return -1;
			}
			if (tls_conn_wait(conn, POLLIN, deadline) < 0)
				return -1;
		}
	}
}

ssize_t
tls_conn_write(struct tls_conn *conn, const void *buf, size_t len)
{
	gint64 deadline = tls_deadline(conn->timeout_secs);
	ssize_t r;

	if (conn->fd < 0) {
		tls_conn_set_error(conn, g_strdup("connection closed"));
		return -1;
	}
	for (;;) {
		if (conn->session != NULL) {
			r = gnutls_record_send(conn->session, buf, len);
			if (r >= 0)
				return r;
			if (r != GNUTLS_E_AGAIN && r != GNUTLS_E_INTERRUPTED) {
				tls_conn_set_error(conn,
				    g_strdup(gnutls_strerror((int)r)));
				return -1;
			}
			if (tls_conn_wait(conn, gnutls_record_get_direction(
			    conn->session) ? POLLOUT : POLLIN, deadline) < 0)
				return -1;
		} else {
			r = send(conn->fd, buf, len, MSG_NOSIGNAL);
			if (r >= 0)
				return r;
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR) {
				tls_conn_set_error(conn,
				    g_strdup(g_strerror(errno)));
				return -1;
			}
			if (tls_conn_wait(conn, POLLOUT, deadline) < 0)
				return -1;
		}
	}
}

int
tls_conn_wait_readable(struct tls_conn *conn, int timeout_ms)
{
	int r;

	if (conn->fd < 0) {
		errno = EBADF;
		return -1;
	}
	/* Decrypted bytes GnuTLS holds never show on the socket. */
	if (conn->session != NULL &&
	    gnutls_record_check_pending(conn->session) > 0)
		return 1;
	r = tls_poll(conn->fd, POLLIN, g_get_monotonic_time() +
	    (gint64)timeout_ms * 1000);
	return r < 0 ? -1 : r;
}

void
tls_conn_set_timeout(struct tls_conn *conn, unsigned timeout_secs)
{
	conn->timeout_secs = timeout_secs;
}

int
tls_conn_fd(const struct tls_conn *conn)
{
	return conn->fd;
}

const char *
tls_conn_error(const struct tls_conn *conn)
{
	return conn->error;
}
