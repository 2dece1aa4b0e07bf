/*
 * clamd's INSTREAM client against a fake clamd: a thread listening on a
 * unix socket in a temporary directory, answering one connection as the
 * case says (the replies are clamd 1.4's).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "clamd.h"
#include "fault.h"
#include "test.h"

enum fake_mode {
	FAKE_REPLY,		/* read the whole stream, then reply */
	FAKE_CLOSE_EARLY,	/* reply after the first chunk and close */
	FAKE_SILENT,		/* read the whole stream, never reply */
	FAKE_PING,		/* read a command, reply */
};

struct fake {
	int listen_fd;
	enum fake_mode mode;
	const char *reply;
	size_t reply_len;
	/* What arrived: the command and the stream's bytes. */
	char command[32];
	uint64_t streamed;
	uint32_t largest_chunk;
	bool ended;			/* the zero length came */
};

static bool
read_full(int fd, void *buf, size_t len)
{
	char *p = buf;
	ssize_t n;

	while (len > 0) {
		n = read(fd, p, len);
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

/* The command up to its NUL. */
static void
fake_read_command(struct fake *f, int fd)
{
	size_t i;

	for (i = 0; i < sizeof(f->command) - 1; i++) {
		if (read(fd, &f->command[i], 1) != 1 || f->command[i] == '\0')
			break;
	}
}

/* Chunks until the zero length (or only the first, for stop_after_one). */
static void
fake_read_stream(struct fake *f, int fd, bool stop_after_one)
{
	char *buf = g_malloc(1 << 20);
	uint32_t be, len;

	while (read_full(fd, &be, 4)) {
		len = ntohl(be);
		if (len == 0) {
			f->ended = true;
			break;
		}
		if (len > f->largest_chunk)
			f->largest_chunk = len;
		if (len > (1 << 20) || !read_full(fd, buf, len))
			break;
		f->streamed += len;
		if (stop_after_one)
			break;
	}
	g_free(buf);
}

static gpointer
fake_serve(gpointer p)
{
	struct fake *f = p;
	char sink[256];
	int fd = accept(f->listen_fd, NULL, NULL);

	if (fd < 0)
		return NULL;
	fake_read_command(f, fd);
	switch (f->mode) {
	case FAKE_PING:
		break;
	case FAKE_REPLY:
	case FAKE_SILENT:
		fake_read_stream(f, fd, false);
		break;
	case FAKE_CLOSE_EARLY:
		fake_read_stream(f, fd, true);
		break;
	}
	if (f->mode != FAKE_SILENT &&
	    send(fd, f->reply, f->reply_len, MSG_NOSIGNAL) < 0)
		f->streamed = 0;
	/* clamd closes after an error line, whatever is still coming. */
	if (f->mode != FAKE_CLOSE_EARLY)
		while (read(fd, sink, sizeof(sink)) > 0)
			;
	close(fd);
	return NULL;
}

/* What the client reads: n bytes of a pattern, in reads of odd sizes. */
struct source {
	uint64_t left;
	uint64_t given;
	bool ended;
};

static ssize_t
source_read(void *ctx, void *buf, size_t len)
{
	struct source *s = ctx;
	size_t n = MIN(len, (size_t)MIN(s->left, 10007));

	/* As a GMime filter stream does, once it has said it ended. */
	if (s->ended) {
		errno = EINVAL;
		return -1;
	}
	s->ended = n == 0;
	memset(buf, 'x', n);
	s->left -= n;
	s->given += n;
	return (ssize_t)n;
}

struct run {
	int r;
	struct clamd_result result;
	char *error;
	struct fake fake;
};

static char *sock_dir;

static void
run_fake(struct run *run, enum fake_mode mode, const char *reply,
    size_t reply_len, uint64_t bytes, unsigned timeout_ms)
{
	g_autofree char *path = g_build_filename(sock_dir, "clamd.sock", NULL);
	g_autofree char *spec = g_strconcat("unix:", path, NULL);
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct source src = { .left = bytes };
	GThread *t;

	memset(run, 0, sizeof(*run));
	run->fake.mode = mode;
	run->fake.reply = reply;
	run->fake.reply_len = reply_len;
	(void)g_unlink(path);
	g_strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
	run->fake.listen_fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (bind(run->fake.listen_fd, (struct sockaddr *)&sun,
	    sizeof(sun)) < 0 || listen(run->fake.listen_fd, 1) < 0)
		g_error("fake clamd: %s", g_strerror(errno));
	t = g_thread_new("fake-clamd", fake_serve, &run->fake);
	if (mode == FAKE_PING)
		run->r = clamd_ping(spec, timeout_ms, &run->error);
	else
		run->r = clamd_scan(spec, timeout_ms, source_read, &src,
		    &run->result, &run->error);
	/* A client that gave up must not leave the fake waiting. */
	shutdown(run->fake.listen_fd, SHUT_RDWR);
	g_thread_join(t);
	close(run->fake.listen_fd);
}

#define REPLY(s)	(s), sizeof(s)

static void
test_replies(void)
{
	struct run run;

	run_fake(&run, FAKE_PING, REPLY("PONG"), 0, 1000);
	TEST_CHECK("ping: PONG is 0", run.r == 0);
	TEST_CHECK_STR("ping: the command", run.fake.command, "zPING");
	g_free(run.error);

	run_fake(&run, FAKE_REPLY, REPLY("stream: OK"), 300000, 1000);
	TEST_CHECK("ok: 0", run.r == 0);
	TEST_CHECK("ok: clean", run.result.state == CLAMD_CLEAN);
	TEST_CHECK_STR("ok: the command", run.fake.command, "zINSTREAM");
	TEST_CHECK("ok: every byte streamed", run.fake.streamed == 300000);
	TEST_CHECK("ok: ended by a zero length", run.fake.ended);
	TEST_CHECK("ok: chunks of 64 KiB at most",
	    run.fake.largest_chunk == CLAMD_CHUNK_BYTES);
	g_free(run.error);

	run_fake(&run, FAKE_REPLY, REPLY("stream: OK"), 0, 1000);
	TEST_CHECK("empty file: clean", run.r == 0 &&
	    run.result.state == CLAMD_CLEAN && run.fake.ended &&
	    run.fake.streamed == 0);
	g_free(run.error);

	run_fake(&run, FAKE_REPLY,
	    REPLY("stream: Subgate.Test.Marker-1.UNOFFICIAL FOUND"), 5000,
	    1000);
	TEST_CHECK("found: 0", run.r == 0);
	TEST_CHECK("found: infected", run.result.state == CLAMD_FOUND);
	TEST_CHECK_STR("found: the signature", run.result.signature,
	    "Subgate.Test.Marker-1.UNOFFICIAL");
	g_free(run.error);

	run_fake(&run, FAKE_REPLY,
	    REPLY("stream: Heuristics.Limits.Exceeded.MaxFileSize FOUND"),
	    5000, 1000);
	TEST_CHECK("over clamd's limit: skipped, not infected", run.r == 0 &&
	    run.result.state == CLAMD_SKIPPED);
	TEST_CHECK_STR("over clamd's limit: which", run.result.signature,
	    "Heuristics.Limits.Exceeded.MaxFileSize");
	g_free(run.error);

	run_fake(&run, FAKE_REPLY, REPLY("stream: what is this"), 10, 1000);
	TEST_CHECK("garbled reply: the environment",
	    run.r == FAULT_ENVIRONMENT && run.error != NULL);
	g_free(run.error);

	run_fake(&run, FAKE_REPLY, REPLY("stream: Name With Spaces FOUND"),
	    10, 1000);
	TEST_CHECK("a signature that is no name: the environment",
	    run.r == FAULT_ENVIRONMENT);
	g_free(run.error);
}

static void
test_failures_of_clamd(void)
{
	g_autofree char *long_reply = g_strnfill(2000, 'A');
	struct run run;

	/* clamd stops reading after its StreamMaxLength and closes: the
	 * client meets EPIPE with megabytes still to send, and must read
	 * the error line anyway. */
	run_fake(&run, FAKE_CLOSE_EARLY,
	    REPLY("INSTREAM size limit exceeded. ERROR"), 8 << 20, 5000);
	TEST_CHECK("size limit after EPIPE: CLAMD_SIZE_LIMIT",
	    run.r == CLAMD_SIZE_LIMIT);
	TEST_CHECK("size limit: the error says what to set",
	    run.error != NULL && strstr(run.error, "StreamMaxLength") != NULL);
	g_free(run.error);

	run_fake(&run, FAKE_REPLY, long_reply, 2000, 10, 1000);
	TEST_CHECK("no NUL within 1 KiB: the environment",
	    run.r == FAULT_ENVIRONMENT && run.error != NULL &&
	    strstr(run.error, "1024") != NULL);
	g_free(run.error);

	run_fake(&run, FAKE_REPLY, "stream: OK", strlen("stream: OK"), 10,
	    1000);
	TEST_CHECK("closed without the NUL: the environment",
	    run.r == FAULT_ENVIRONMENT);
	g_free(run.error);

	/* Generous for a loaded machine; the point is that it ends. */
	run_fake(&run, FAKE_SILENT, NULL, 0, 10, 300);
	TEST_CHECK("no answer: a timeout, the environment",
	    run.r == FAULT_ENVIRONMENT && run.error != NULL &&
	    strstr(run.error, "in time") != NULL);
	g_free(run.error);
}

static void
test_unreachable(void)
{
	g_autofree char *path = g_build_filename(sock_dir, "none.sock", NULL);
	g_autofree char *spec = g_strconcat("unix:", path, NULL);
	g_autofree char *error = NULL;
	struct source src = { .left = 10 };
	struct clamd_result res;
	int r;

	r = clamd_scan(spec, 1000, source_read, &src, &res, &error);
	TEST_CHECK("no socket: the environment", r == FAULT_ENVIRONMENT &&
	    error != NULL && strstr(error, "none.sock") != NULL);
	TEST_CHECK("no socket: nothing read of the file", src.given == 0);
	g_clear_pointer(&error, g_free);
	r = clamd_ping("tcp:127.0.0.1:1", 1000, &error);
	TEST_CHECK("closed tcp port: the environment", r == FAULT_ENVIRONMENT);
	g_clear_pointer(&error, g_free);
	TEST_CHECK("socket check: unix", clamd_socket_check(
	    "unix:/run/clamav/clamd.ctl", &error) == 0);
	TEST_CHECK("socket check: tcp", clamd_socket_check(
	    "tcp:127.0.0.1:3310", &error) == 0);
	TEST_CHECK("socket check: relative path refused",
	    clamd_socket_check("unix:clamd.ctl", &error) < 0);
	g_clear_pointer(&error, g_free);
	TEST_CHECK("socket check: no port refused",
	    clamd_socket_check("tcp:127.0.0.1", &error) < 0);
	g_clear_pointer(&error, g_free);
}

int
main(void)
{
	/* SIGPIPE is left as it is: a send without MSG_NOSIGNAL to a
	 * clamd that closed would end this test, as it would subgate. */
	sock_dir = g_dir_make_tmp("test-clamd-XXXXXX", NULL);
	test_replies();
	test_failures_of_clamd();
	test_unreachable();
	{
		g_autofree char *p = g_build_filename(sock_dir, "clamd.sock",
		    NULL);

		(void)g_unlink(p);
	}
	(void)g_rmdir(sock_dir);
	g_free(sock_dir);
	return TEST_EXIT();
}
