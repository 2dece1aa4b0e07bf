/*
 * log: one line per event on stderr, in a form journald and syslog take as is.
 *
 * log_warn() appends strerror(errno); log_warnx() does not.  A line is
 * always one line: newlines, tabs and other control characters in the
 * formatted text (a reason quoting a subject, a diagnosis over several
 * lines) are written as \n, \t, \xNN.
 *
 * There is no fatal(): a failing environment is an error returned to the
 * stage that decides (which retries, or exits EX_TEMPFAIL so a supervisor
 * retries), and a broken invariant in our own code is a g_assert(), which
 * aborts loudly with the file and line.
 *
 * Context (campaign, UID, Message-ID) is the caller's job: the stage that
 * decides logs once, with all of it.
 */
#ifndef SUBGATE_LOG_H
#define SUBGATE_LOG_H

#include <stdarg.h>

enum log_level { LOG_LEVEL_DEBUG, LOG_LEVEL_INFO, LOG_LEVEL_WARN };

void log_init(const char *progname, enum log_level level);
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
