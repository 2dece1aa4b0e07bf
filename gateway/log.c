/* log: see include/log.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static const char *log_progname = "subgate";
static enum log_level log_min = LOG_LEVEL_INFO;
/* Under systemd, stderr goes to the journal, which reads a "<N>" prefix
 * as the syslog priority of the line (sd-daemon(3)). */
static int log_journal;

void
log_init(const char *progname, enum log_level level)
{
	log_progname = progname;
	log_min = level;
	log_journal = getenv("JOURNAL_STREAM") != NULL;
}

static const char *
log_priority(const char *tag)
{
	if (!log_journal)
		return "";
	if (strncmp(tag, "warning", 7) == 0)
		return "<4>";
	if (strncmp(tag, "debug", 5) == 0)
		return "<7>";
	return "<6>";
}

/*
 * A reason may carry text from mail (a subject, a diagnosis over several
 * lines): a log line stays one line, so a reader of the journal or a
 * grep never mistakes the rest of a reason for an event of its own.
 */
static void
log_escape(char *out, size_t outsize, const char *in)
{
	size_t o = 0;

	for (; *in != '\0' && o + 4 < outsize; in++) {
		unsigned char c = (unsigned char)*in;

		if (c == '\n' || c == '\r' || c == '\t') {
			out[o++] = '\\';
			out[o++] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
		} else if (c < 0x20 || c == 0x7f) {
			o += (size_t)snprintf(out + o, outsize - o, "\\x%02x", c);
		} else {
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
}

static void __attribute__((format(printf, 2, 0)))
log_vline(const char *tag, const char *fmt, va_list ap, const char *err)
{
	char raw[4096], line[4096];

	vsnprintf(raw, sizeof(raw), fmt, ap);
	log_escape(line, sizeof(line), raw);
	/* One write per line so concurrent writers do not interleave. */
	if (err != NULL)
		fprintf(stderr, "%s%s: %s%s: %s\n", log_priority(tag),
		    log_progname, tag, line, err);
	else
		fprintf(stderr, "%s%s: %s%s\n", log_priority(tag),
		    log_progname, tag, line);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (log_min > LOG_LEVEL_DEBUG)
		return;
	va_start(ap, fmt);
	log_vline("debug: ", fmt, ap, NULL);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	if (log_min > LOG_LEVEL_INFO)
		return;
	va_start(ap, fmt);
	log_vline("", fmt, ap, NULL);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;
	const char *err = strerror(errno);

	va_start(ap, fmt);
	log_vline("warning: ", fmt, ap, err);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vline("warning: ", fmt, ap, NULL);
	va_end(ap);
}
