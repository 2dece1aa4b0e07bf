/* clamd: see include/clamd.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib.h>

#include "clamd.h"
#include "fault.h"

int
clamd_socket_check(const char *spec, char **error_r)
{
	const char *colon;

	if (g_str_has_prefix(spec, "unix:")) {
		if (spec[5] != '/' || strlen(spec + 5) >=
		    sizeof(((struct sockaddr_un *)NULL)->sun_path)) {
			*error_r = g_strdup_printf("\"%s\": a unix socket is "
			    "unix:/ABSOLUTE/PATH (at most 107 bytes)", spec);
			return -1;
		}
		return 0;
	}
	if (g_str_has_prefix(spec, "tcp:") &&
	    (colon = strrchr(spec + 4, ':')) != NULL && colon > spec + 4 &&
	    colon[1] != '\0' && strspn(colon + 1, "0123456789") ==
	    strlen(colon + 1) && atoi(colon + 1) > 0 &&
	    atoi(colon + 1) < 65536)
		return 0;
	*error_r = g_strdup_printf("\"%s\" is neither unix:/PATH nor "
	    "tcp:HOST:PORT", spec);
	return -1;
}

/* Until fd is ready for events, at most timeout_ms: 0 ready, -1 with
 * errno (ETIMEDOUT when the time ran out). */
static int
clamd_wait(int fd, short events, unsigned timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int n;

	do {
		n = poll(&p, 1, (int)timeout_ms);
	} while (n < 0 && errno == EINTR);
	if (n == 0)
		errno = ETIMEDOUT;
	return n > 0 ? 0 : -1;
}

/* A non-blocking connect finished within timeout_ms: 0, or -1 and
 * errno. */
static int
clamd_connect_wait(int fd, const struct sockaddr *sa, socklen_t len,
    unsigned timeout_ms)
{
	socklen_t elen = sizeof(int);
	int err = 0;

	if (connect(fd, sa, len) == 0)
		return 0;
	if (errno != EINPROGRESS && errno != EAGAIN)
		return -1;
	if (clamd_wait(fd, POLLOUT, timeout_ms) < 0)
		return -1;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0)
		return -1;
	if (err != 0) {
		errno = err;
		return -1;
	}
	return 0;
}

static int
clamd_connect_unix(const char *path, unsigned timeout_ms)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd, e;

	g_strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	if (clamd_connect_wait(fd, (struct sockaddr *)&sun, sizeof(sun),
	    timeout_ms) < 0) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* tcp:HOST:PORT, HOST perhaps in [] (an IPv6 address). */
static int
clamd_connect_tcp(const char *hostport, unsigned timeout_ms,
    char **error_r)
{
	const char *colon = strrchr(hostport, ':');
	g_autofree char *host = g_strndup(hostport,
	    (gsize)(colon - hostport));
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai, *res;
	int fd = -1, e = ECONNREFUSED, r;

	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = '\0';
	}
	if ((r = getaddrinfo(host, colon + 1, &hints, &res)) != 0) {
		*error_r = g_strdup_printf("clamd: %s: %s", hostport,
		    gai_strerror(r));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC |
		    SOCK_NONBLOCK, ai->ai_protocol);
		if (fd < 0) {
			e = errno;
			continue;
		}
		if (clamd_connect_wait(fd, ai->ai_addr, ai->ai_addrlen,
		    timeout_ms) == 0)
			break;
		e = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		*error_r = g_strdup_printf("clamd: cannot connect to %s: %s",
		    hostport, g_strerror(e));
	return fd;
}

/* A connected, non-blocking socket, or -1 and *error_r. */
static int
clamd_connect(const char *spec, unsigned timeout_ms, char **error_r)
{
	int fd;

	if (clamd_socket_check(spec, error_r) < 0)
		return -1;
	if (g_str_has_prefix(spec, "tcp:"))
		return clamd_connect_tcp(spec + 4, timeout_ms, error_r);
	if ((fd = clamd_connect_unix(spec + 5, timeout_ms)) < 0)
		*error_r = g_strdup_printf("clamd: cannot connect to %s: %s",
		    spec + 5, g_strerror(errno));
	return fd;
}

/* All of buf: 0 sent; 1 clamd closed its end (it said why, or will);
 * -1 and errno. */
static int
clamd_send(int fd, const void *buf, size_t len, unsigned timeout_ms)
{
	const char *p = buf;
	ssize_t n;

	while (len > 0) {
		/* MSG_NOSIGNAL: a closed clamd is an EPIPE to read the
		 * reply after, not a SIGPIPE that ends subgate. */
		n = send(fd, p, len, MSG_NOSIGNAL);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EPIPE || errno == ECONNRESET))
			return 1;
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			return -1;
		if (clamd_wait(fd, POLLOUT, timeout_ms) < 0)
			return -1;
	}
	return 0;
}

/* The reply up to its NUL into buf (NUL-terminated): 0, or -1 and
 * *error_r. */
static int
clamd_read_reply(int fd, char buf[CLAMD_REPLY_BYTES + 1],
    unsigned timeout_ms, char **error_r)
{
	size_t len = 0;
	ssize_t n;

	for (;;) {
		if (len > 0 && memchr(buf, '\0', len) != NULL)
			return 0;
		if (len == CLAMD_REPLY_BYTES) {
			*error_r = g_strdup_printf("clamd: no end to its reply "
			    "within %d bytes", CLAMD_REPLY_BYTES);
			return -1;
		}
		n = recv(fd, buf + len, CLAMD_REPLY_BYTES - len, 0);
		if (n > 0) {
			len += (size_t)n;
			buf[len] = '\0';
			continue;
		}
		if (n == 0) {
			*error_r = g_strdup_printf("clamd: closed the "
			    "connection %s", len > 0 ? "in mid-reply" :
			    "without a reply");
			return -1;
		}
		if (errno == EINTR)
			continue;
		if ((errno == EAGAIN || errno == EWOULDBLOCK) &&
		    clamd_wait(fd, POLLIN, timeout_ms) == 0)
			continue;
		*error_r = g_strdup_printf("clamd: reading its reply: %s",
		    errno == ETIMEDOUT ? "no answer in time" :
		    g_strerror(errno));
		return -1;
	}
}

/* A signature name as ClamAV writes them: printable, no spaces. */
static bool
clamd_name_ok(const char *name, size_t len)
{
	size_t i;

	if (len == 0 || len >= CLAMD_SIGNATURE_BYTES)
		return false;
	for (i = 0; i < len; i++)
		if (!g_ascii_isgraph(name[i]))
			return false;
	return true;
}

/* What a reply says (include/clamd.h). */
static int
clamd_parse_reply(char *reply, struct clamd_result *result,
    char **error_r)
{
	const char *text = g_strstrip(reply);
	size_t len;

	if (strstr(text, "INSTREAM size limit exceeded") != NULL) {
		*error_r = g_strdup_printf("clamd: %s: the file is over clamd's "
		    "StreamMaxLength; set it at least as large as scan_max_bytes",
		    text);
		return CLAMD_SIZE_LIMIT;
	}
	if (g_str_has_prefix(text, "stream: "))
		text += strlen("stream: ");
	if (strcmp(text, "OK") == 0) {
		result->state = CLAMD_CLEAN;
		return 0;
	}
	len = strlen(text);
	if (g_str_has_suffix(text, " FOUND") &&
	    clamd_name_ok(text, len - strlen(" FOUND"))) {
		len -= strlen(" FOUND");
		memcpy(result->signature, text, len);
		result->signature[len] = '\0';
		result->state = g_str_has_prefix(result->signature,
		    CLAMD_LIMITS_PREFIX) ? CLAMD_SKIPPED : CLAMD_FOUND;
		return 0;
	}
	*error_r = g_strdup_printf("clamd: unexpected reply: %.200s", text);
	return FAULT_ENVIRONMENT;
}

int
clamd_ping(const char *spec, unsigned timeout_ms, char **error_r)
{
	char reply[CLAMD_REPLY_BYTES + 1];
	int fd, r;

	if ((fd = clamd_connect(spec, timeout_ms, error_r)) < 0)
		return FAULT_ENVIRONMENT;
	r = clamd_send(fd, "zPING", sizeof("zPING"), timeout_ms);
	if (r != 0) {
		*error_r = g_strdup_printf("clamd: sending PING: %s", r > 0 ?
		    "connection closed" : g_strerror(errno));
		close(fd);
		return FAULT_ENVIRONMENT;
	}
	r = clamd_read_reply(fd, reply, timeout_ms, error_r);
	close(fd);
	if (r < 0)
		return FAULT_ENVIRONMENT;
	if (strcmp(g_strstrip(reply), "PONG") != 0) {
		*error_r = g_strdup_printf("clamd: PING answered: %.200s",
		    reply);
		return FAULT_ENVIRONMENT;
	}
	return 0;
}

/* Every chunk of the file, then the end: 0 sent, 1 clamd stopped
 * listening (its reply says why), <0 and *error_r. */
static int
clamd_stream(int fd, unsigned timeout_ms, clamd_read_fn *read, void *ctx,
    char **error_r)
{
	g_autofree char *chunk = g_malloc(4 + CLAMD_CHUNK_BYTES);
	bool at_end = false;
	uint32_t be;
	ssize_t n;
	int r;

	for (;;) {
		size_t len = 0;

		/* Full chunks, whatever size the reader's pieces are; never
		 * a read after the end (a GMime filter stream fails it). */
		while (!at_end && len < CLAMD_CHUNK_BYTES) {
			n = read(ctx, chunk + 4 + len, CLAMD_CHUNK_BYTES - len);
			if (n == 0) {
				at_end = true;
				break;
			}
			if (n < 0) {
				int e = errno;

				*error_r = g_strdup_printf("reading the file "
				    "to scan: %s", g_strerror(e));
				return fault_errno(e);
			}
			len += (size_t)n;
		}
		be = htonl((uint32_t)len);
		memcpy(chunk, &be, 4);
		/* A length of 0 ends the stream. */
		if ((r = clamd_send(fd, chunk, 4 + len, timeout_ms)) != 0 ||
		    len == 0)
			break;
	}
	if (r < 0) {
		*error_r = g_strdup_printf("clamd: sending the file: %s",
		    errno == ETIMEDOUT ? "no progress in time" :
		    g_strerror(errno));
		return FAULT_ENVIRONMENT;
	}
	return r;
}

int
clamd_scan(const char *spec, unsigned timeout_ms, clamd_read_fn *read,
    void *ctx, struct clamd_result *result, char **error_r)
{
	char reply[CLAMD_REPLY_BYTES + 1];
	int fd, r;

	memset(result, 0, sizeof(*result));
	if ((fd = clamd_connect(spec, timeout_ms, error_r)) < 0)
		return FAULT_ENVIRONMENT;
	r = clamd_send(fd, "zINSTREAM", sizeof("zINSTREAM"), timeout_ms);
	if (r < 0) {
		*error_r = g_strdup_printf("clamd: sending INSTREAM: %s",
		    g_strerror(errno));
		close(fd);
		return FAULT_ENVIRONMENT;
	}
	if (r == 0 && (r = clamd_stream(fd, timeout_ms, read, ctx,
	    error_r)) < 0) {
		close(fd);
		return r;
	}
	/* Sent, or clamd closed early: either way its reply says what it
	 * made of the stream. */
	r = clamd_read_reply(fd, reply, timeout_ms, error_r);
	close(fd);
	if (r < 0)
		return FAULT_ENVIRONMENT;
	return clamd_parse_reply(reply, result, error_r);
}
