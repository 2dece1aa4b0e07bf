/*
 * progress: how far a long operation has got (a first sync of a mailbox
 * with thousands of messages, an export, a reprocess).
 *
 *   struct progress *p = progress_new("导出汇总表", cases->len);
 *   for (...) { ...; progress_step(p, 1); }
 *   progress_done(&p);
 *
 * On a terminal (stderr is a tty and TERM is not "dumb") one line on
 * stderr is redrawn in place: label, bar, done/total, percent, rate and
 * time left, at most PROGRESS_REDRAW_PER_SECOND times a second, and ended
 * with a newline by progress_done().  Elsewhere (logs, journald, tests)
 * a log_info() line at most every PROGRESS_LOG_INTERVAL seconds and as
 * 25, 50, 75 and 100 % are passed.  Operations that end within
 * PROGRESS_QUIET_SECONDS, or have a known total under PROGRESS_MIN_ITEMS,
 * show nothing at all: progress is for waits people notice.  With an
 * unknown total (0) the count and rate are shown instead of a bar, and
 * logs get a line every PROGRESS_LOG_INTERVAL seconds.
 *
 * SUBGATE_PROGRESS=tty|log|off in the environment overrides the choice.
 *
 * Not thread-safe; one progress at a time per process (they share
 * stderr).  A NULL progress is accepted everywhere and does nothing.
 */
#ifndef SUBGATE_PROGRESS_H
#define SUBGATE_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

/* Terminal redraws per second, at most. */
#define PROGRESS_REDRAW_PER_SECOND	10
/* Seconds between two log lines, at least (milestones aside). */
#define PROGRESS_LOG_INTERVAL		10
/* Nothing is shown before this many seconds have passed. */
#define PROGRESS_QUIET_SECONDS		1
/* A known total under this is never worth a progress display. */
#define PROGRESS_MIN_ITEMS		20
/* Terminal columns assumed when the width cannot be read. */
#define PROGRESS_DEFAULT_WIDTH		80

struct progress;

/* label: what is being done, UTF-8 (Chinese is fine); copied.
 * total: the number of items, 0 when unknown.  Never NULL. */
struct progress *progress_new(const char *label, uint64_t total);
/* n more items done. */
void progress_step(struct progress *p, uint64_t n);
/* Ends the display (the terminal line gets its final state and a
 * newline; logs a closing line if anything was logged, or the operation
 * was long enough) and frees p; *p becomes NULL. */
void progress_done(struct progress **p);

/*
 * Pure renderers, for the above and for tests.  Both write a
 * NUL-terminated line without a newline into buf (cut to size) and return
 * its length in bytes.  elapsed is in seconds since the start.
 */
/* The terminal line, fitted to width columns (CJK-width aware: the label
 * is cut with "…" when it does not fit): known total
 *   "导出汇总表 [#######-------------]  120/500  24%  35.2/s  ETA 0:11"
 * unknown total
 *   "同步邮件  1234  35.2/s  0:35"   (the time so far) */
size_t progress_format_line(char *buf, size_t size, const char *label,
    uint64_t done, uint64_t total, double elapsed, unsigned width);
/* The log line: "导出汇总表: 120/500 (24%), 35.2/s, 0:11 left",
 * "同步邮件: 1234 so far, 35.2/s, 0:35 elapsed", and, when finished,
 * "导出汇总表: 500/500 (100%) in 0:14, 35.7/s". */
size_t progress_format_log(char *buf, size_t size, const char *label,
    uint64_t done, uint64_t total, double elapsed, int finished);

#endif
