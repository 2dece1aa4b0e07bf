/* oauth: see include/oauth.h. */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>
#include <sys/poll.h>	/* not <poll.h>: include/poll.h is ours */
#include <sys/wait.h>

#include <glib.h>

#include "oauth.h"

static void
oauth_child_setup(gpointer data)
{
	(void)data;
	(void)setpgid(0, 0);
}

/* Runs cmd with /bin/sh in its own process group; its first line of
 * output within the time limit is the token.  Its stderr goes to ours, so
 * the reason a token could not be had shows in the log. */
static int
oauth_token_command(const char *cmd, char **output_r, char **error_r)
{
	const char *argv[] = { "/bin/sh", "-c", cmd, NULL };
	gint64 deadline = g_get_monotonic_time() +
	    (gint64)OAUTH_COMMAND_SECONDS * G_USEC_PER_SEC;
	g_autoptr(GError) err = NULL;
	GString *out = g_string_new(NULL);
	bool timed_out = false, killed = false, too_long = false;
	GPid pid;
	int fd, status = 0;

	*output_r = NULL;
	if (!g_spawn_async_with_pipes(NULL, (char **)argv, NULL,
	    G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDIN_FROM_DEV_NULL,
	    oauth_child_setup, NULL, &pid, NULL, &fd, NULL, &err)) {
		*error_r = g_strdup_printf("oauth_token_command: %s",
		    err->message);
		g_string_free(out, TRUE);
		return -1;
	}
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		gint64 left = deadline - g_get_monotonic_time();
		char buf[4096];
		ssize_t n;
		int r;

		if (left <= 0) {
			timed_out = true;
			break;
		}
		r = poll(&pfd, 1, (int)MIN(left / 1000 + 1, 1000));
		if (r < 0 && errno != EINTR)
			break;
		if (r <= 0)
			continue;
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (out->len + (size_t)n > OAUTH_TOKEN_MAX) {
			too_long = true;
			break;
		}
		g_string_append_len(out, buf, n);
	}
	close(fd);
	/* Reap it; past the deadline it is killed with whatever it
	 * started. */
	for (;;) {
		pid_t w;

		if (g_get_monotonic_time() >= deadline)
			timed_out = true;
		if (timed_out && !killed) {
			kill(-pid, SIGKILL);
			killed = true;
		}
		w = waitpid(pid, &status, killed ? 0 : WNOHANG);
		if (w == pid || (w < 0 && errno != EINTR))
			break;
		if (w == 0)
			g_usleep(20 * 1000);
	}
	g_spawn_close_pid(pid);
	if (timed_out) {
		*error_r = g_strdup_printf("oauth_token_command: no answer "
		    "within %d s", OAUTH_COMMAND_SECONDS);
	} else if (too_long) {
		*error_r = g_strdup_printf("oauth_token_command: more than %d "
		    "bytes of output", OAUTH_TOKEN_MAX);
	} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		*error_r = WIFEXITED(status) ? g_strdup_printf(
		    "oauth_token_command: exited with status %d",
		    WEXITSTATUS(status)) : g_strdup_printf(
		    "oauth_token_command: killed by signal %d",
		    WTERMSIG(status));
	} else {
		*output_r = g_string_free(out, FALSE);
		return 0;
	}
	explicit_bzero(out->str, out->len);
	g_string_free(out, TRUE);
	return -1;
}

int
oauth_token(const char *file, const char *command, char **token_r,
    char **error_r)
{
	g_autoptr(GError) err = NULL;
	const char *source;
	char *text = NULL;
	gsize len = 0;
	size_t n;

	*token_r = NULL;
	if (command != NULL) {
		source = "oauth_token_command";
		if (oauth_token_command(command,
		    &text, error_r) < 0)
			return -1;
		len = strlen(text);
	} else if (file != NULL) {
		source = file;
		if (!g_file_get_contents(file, &text, &len,
		    &err)) {
			*error_r = g_strdup_printf("oauth_token_file: %s",
			    err->message);
			return -1;
		}
	} else {
		*error_r = g_strdup("xoauth2: neither oauth_token_file nor "
		    "oauth_token_command is set");
		return -1;
	}
	/* The first line, without surrounding blanks. */
	n = strcspn(text, "\r\n");
	text[n] = '\0';
	g_strstrip(text);
	n = strlen(text);
	if (n == 0 || n > OAUTH_TOKEN_MAX ||
	    strspn(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-._~+/=") != n) {
		*error_r = g_strdup_printf("%s: %s", source, n == 0 ?
		    "no token on the first line" : n > OAUTH_TOKEN_MAX ?
		    "token too long" : "the first line is not a bearer token");
		explicit_bzero(text, len);
		g_free(text);
		return -1;
	}
	*token_r = text;
	return 0;
}
