/* progress: the terminal and log lines, and when nothing is shown. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "export.h"
#include "progress.h"
#include "test.h"
#include "textcell.h"

static size_t
count_char(const char *s, char c)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += *s == c;
	return n;
}

static void
test_line(void)
{
	char buf[512];
	size_t len;

	/* 120 of 500 in 4 s: 30/s, 380 left take 12.7 s. */
	len = progress_format_line(buf, sizeof(buf), "导出汇总表", 120, 500,
	    4.0, 80);
	TEST_CHECK("line-length-returned", len == strlen(buf));
	TEST_CHECK("line-fits-width", textcell_display_width(buf) <= 80);
	TEST_CHECK("line-fills-width", textcell_display_width(buf) == 80);
	TEST_CHECK("line-starts-with-label", g_str_has_prefix(buf,
	    "导出汇总表 ["));
	TEST_CHECK("line-counts", strstr(buf, "]  120/500  24%  30/s  "
	    "ETA 0:13") != NULL);
	/* 37 cells of bar, 24 % of them filled. */
	TEST_CHECK("line-bar-filled", count_char(buf, '#') == 8);
	TEST_CHECK("line-bar-width", count_char(buf, '#') +
	    count_char(buf, '-') == 37);

	/* A wide terminal does not get a wider bar than 40 cells. */
	progress_format_line(buf, sizeof(buf), "export", 1, 100, 1.0, 300);
	TEST_CHECK("line-bar-capped", count_char(buf, '#') +
	    count_char(buf, '-') == 40);

	/* A narrow one: the Chinese label is cut, in whole characters,
	 * the numbers stay. */
	progress_format_line(buf, sizeof(buf),
	    "重新处理“我所经历的脱贫攻坚故事”征集邮箱中的全部邮件", 3, 2000,
	    2.0, 50);
	TEST_CHECK("narrow-fits", textcell_display_width(buf) <= 50);
	TEST_CHECK("narrow-label-cut", strstr(buf, "…") != NULL &&
	    g_str_has_prefix(buf, "重新"));
	TEST_CHECK("narrow-utf8", g_utf8_validate(buf, -1, NULL));
	TEST_CHECK("narrow-keeps-numbers", strstr(buf, "3/2000  0%  1.5/s")
	    != NULL);
	TEST_CHECK("narrow-keeps-bar", strstr(buf, " [----------]") != NULL);

	/* Narrower still: no bar, the label shrinks to nothing. */
	progress_format_line(buf, sizeof(buf), "同步邮件", 10, 1000, 1.0, 20);
	TEST_CHECK("tiny-no-bar", strchr(buf, '[') == NULL);

	/* Unknown total: count, rate, time so far. */
	progress_format_line(buf, sizeof(buf), "同步邮件", 1234, 0, 35.0, 80);
	TEST_CHECK_STR("unknown-total", buf, "同步邮件  1234  35/s  0:35");
	progress_format_line(buf, sizeof(buf), "sync", 5, 0, 7384.0, 80);
	TEST_CHECK_STR("unknown-total-hours", buf, "sync  5  0.0/s  2:03:04");

	/* Nothing done yet, no time passed. */
	progress_format_line(buf, sizeof(buf), "x", 0, 50, 0.0, 80);
	TEST_CHECK("start-rate-unknown", strstr(buf, "0/50  0%  -/s  "
	    "ETA -:--") != NULL);
	TEST_CHECK("start-bar-empty", count_char(buf, '#') == 0);

	/* 99.9 % is not 100 %; the end is. */
	progress_format_line(buf, sizeof(buf), "x", 999, 1000, 10.0, 80);
	TEST_CHECK("almost-99", strstr(buf, "999/1000  99%") != NULL);
	progress_format_line(buf, sizeof(buf), "x", 1000, 1000, 10.0, 80);
	TEST_CHECK("end-100", strstr(buf, "1000/1000  100%  100/s  ETA 0:00")
	    != NULL);
	TEST_CHECK("end-bar-full", count_char(buf, '-') == 0 &&
	    count_char(buf, '#') == 40);

	/* A small buffer is cut on a character boundary. */
	len = progress_format_line(buf, 8, "汇总表", 1, 100, 1.0, 80);
	TEST_CHECK("small-buffer-cut", len < 8 && len == strlen(buf));
	TEST_CHECK("small-buffer-utf8", g_utf8_validate(buf, -1, NULL) &&
	    strcmp(buf, "汇总") == 0);
	TEST_CHECK("zero-buffer", progress_format_line(buf, 0, "x", 1, 100,
	    1.0, 80) == 0);
}

static void
test_log_line(void)
{
	char buf[256];

	progress_format_log(buf, sizeof(buf), "导出汇总表", 120, 500, 4.0, 0);
	TEST_CHECK_STR("log-known", buf, "导出汇总表: 120/500 (24%), 30/s, "
	    "0:13 left");
	progress_format_log(buf, sizeof(buf), "导出汇总表", 500, 500, 14.0, 1);
	TEST_CHECK_STR("log-finished", buf, "导出汇总表: 500/500 (100%) in "
	    "0:14, 36/s");
	progress_format_log(buf, sizeof(buf), "同步邮件", 1234, 0, 35.0, 0);
	TEST_CHECK_STR("log-unknown", buf, "同步邮件: 1234 so far, 35/s, "
	    "0:35 elapsed");
	progress_format_log(buf, sizeof(buf), "同步邮件", 1234, 0, 35.0, 1);
	TEST_CHECK_STR("log-unknown-finished", buf, "同步邮件: 1234 in 0:35, "
	    "35/s");
	progress_format_log(buf, sizeof(buf), "x", 0, 100, 0.0, 0);
	TEST_CHECK_STR("log-start", buf, "x: 0/100 (0%), -/s, time left "
	    "unknown");
}

/* Runs fn with stderr going to a file; returns what it wrote. */
static char *
capture_stderr(void (*fn)(void))
{
	char path[] = "/tmp/test-progress.XXXXXX";
	int fd = mkstemp(path), saved = dup(STDERR_FILENO);
	char *text = NULL;

	if (fd < 0 || saved < 0)
		return g_strdup("(capture failed)");
	fflush(stderr);
	dup2(fd, STDERR_FILENO);
	fn();
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(fd);
	if (!g_file_get_contents(path, &text, NULL, NULL))
		text = g_strdup("(capture failed)");
	unlink(path);
	return text;
}

static void
run_fast(void)
{
	struct progress *p = progress_new("快", 1000);
	int i;

	for (i = 0; i < 1000; i++)
		progress_step(p, 1);
	progress_done(&p);
}

static void
run_few(void)
{
	struct progress *p = progress_new("few", 5);

	usleep(1100 * 1000);
	progress_step(p, 5);
	progress_done(&p);
}

static void
run_slow(void)
{
	struct progress *p = progress_new("导出汇总表", 100);

	progress_step(p, 10);
	usleep(1050 * 1000);
	progress_step(p, 20);	/* 30 %: the first quarter, told late */
	progress_step(p, 10);	/* 40 %: nothing new */
	progress_step(p, 60);	/* 100 %: told by done */
	progress_done(&p);
	progress_step(p, 1);	/* NULL: ignored */
	progress_done(&p);
}

static void
test_runtime(void)
{
	g_autofree char *fast_log = NULL, *fast_tty = NULL, *few = NULL;
	g_autofree char *slow = NULL, *slow_tty = NULL;
	g_auto(GStrv) lines = NULL;

	setenv("SUBGATE_PROGRESS", "log", 1);
	fast_log = capture_stderr(run_fast);
	TEST_CHECK_STR("fast-log-silent", fast_log, "");
	few = capture_stderr(run_few);
	TEST_CHECK_STR("few-items-silent", few, "");
	slow = capture_stderr(run_slow);
	lines = g_strsplit(slow, "\n", -1);
	TEST_CHECK("slow-log-two-lines", g_strv_length(lines) == 3 &&
	    *lines[2] == '\0');
	TEST_CHECK("slow-log-quarter", lines[0] != NULL &&
	    strstr(lines[0], "导出汇总表: 30/100 (30%)") != NULL);
	TEST_CHECK("slow-log-done", lines[0] != NULL && lines[1] != NULL &&
	    strstr(lines[1], "导出汇总表: 100/100 (100%) in 0:01") != NULL);

	setenv("SUBGATE_PROGRESS", "tty", 1);
	fast_tty = capture_stderr(run_fast);
	TEST_CHECK_STR("fast-tty-silent", fast_tty, "");
	slow_tty = capture_stderr(run_slow);
	TEST_CHECK("slow-tty-redrawn", g_str_has_prefix(slow_tty, "\r") &&
	    g_str_has_suffix(slow_tty, "\033[K\n"));
	TEST_CHECK("slow-tty-final", strstr(slow_tty, "100/100  100%") !=
	    NULL);
	TEST_CHECK("slow-tty-one-line", count_char(slow_tty, '\n') == 1);
	unsetenv("SUBGATE_PROGRESS");
}

int
main(void)
{
	test_line();
	test_log_line();
	test_runtime();
	return TEST_EXIT();
}
