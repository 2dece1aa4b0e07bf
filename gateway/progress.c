/* progress: see include/progress.h. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <glib.h>

#include "log.h"
#include "progress.h"
#include "textcell.h"

/* The bar is left out below this many cells: a terminal that narrow
 * still gets the numbers. */
#define PROGRESS_BAR_MIN	10
/* A wider bar tells no more. */
#define PROGRESS_BAR_MAX	40
/* Longest line drawn, in bytes (a label cut to the terminal's width). */
#define PROGRESS_LINE_MAX	1024

enum progress_mode { PROGRESS_OFF, PROGRESS_TTY, PROGRESS_LOG };

struct progress {
	char *label;
	uint64_t total;
	uint64_t done;
	enum progress_mode mode;
	gint64 start;		/* g_get_monotonic_time(), microseconds */
	gint64 last_draw;	/* 0: never drawn */
	gint64 last_log;	/* 0: never logged */
	unsigned quarters;	/* 25 % steps already logged */
};

static enum progress_mode
progress_pick_mode(void)
{
	const char *force = getenv("SUBGATE_PROGRESS");
	const char *term = getenv("TERM");

	if (force != NULL && *force != '\0') {
		if (strcmp(force, "tty") == 0)
			return PROGRESS_TTY;
		if (strcmp(force, "log") == 0)
			return PROGRESS_LOG;
		if (strcmp(force, "off") == 0)
			return PROGRESS_OFF;
	}
	if (isatty(STDERR_FILENO) && term != NULL && *term != '\0' &&
	    strcmp(term, "dumb") != 0)
		return PROGRESS_TTY;
	return PROGRESS_LOG;
}

/* "0:11", "12:05", "2:03:44". */
static void
progress_append_time(GString *out, double seconds)
{
	uint64_t s = seconds > 0 ? (uint64_t)(seconds + 0.5) : 0;

	if (s >= 3600)
		g_string_append_printf(out, "%llu:%02u:%02u",
		    (unsigned long long)(s / 3600), (unsigned)(s / 60 % 60),
		    (unsigned)(s % 60));
	else
		g_string_append_printf(out, "%u:%02u", (unsigned)(s / 60),
		    (unsigned)(s % 60));
}

static void
progress_append_rate(GString *out, uint64_t done, double elapsed)
{
	double rate;

	if (elapsed <= 0) {
		g_string_append(out, "-/s");
		return;
	}
	rate = (double)done / elapsed;
	g_string_append_printf(out, rate < 10 ? "%.1f/s" : "%.0f/s", rate);
}

/* Seconds left at the rate so far; <0 when it cannot be told. */
static double
progress_eta(uint64_t done, uint64_t total, double elapsed)
{
	if (done == 0 || elapsed <= 0 || total == 0)
		return -1;
	if (done >= total)
		return 0;
	return (double)(total - done) * elapsed / (double)done;
}

static unsigned
progress_percent(uint64_t done, uint64_t total)
{
	if (total == 0)
		return 0;
	if (done >= total)
		return 100;
	/* Never 100 before the end, so it does not look stuck there. */
	return (unsigned)MIN(99.0, (double)done * 100.0 / (double)total);
}

static size_t
progress_copy_out(char *buf, size_t size, GString *line)
{
	size_t len = line->len;

	if (size == 0) {
		g_string_free(line, TRUE);
		return 0;
	}
	if (len >= size) {
		/* Cut on a character boundary, never inside one. */
		len = size - 1;
		while (len > 0 && (line->str[len] & 0xc0) == 0x80)
			len--;
	}
	memcpy(buf, line->str, len);
	buf[len] = '\0';
	g_string_free(line, TRUE);
	return len;
}

size_t
progress_format_line(char *buf, size_t size, const char *label,
    uint64_t done, uint64_t total, double elapsed, unsigned width)
{
	GString *tail = g_string_new(NULL);
	GString *line = g_string_new(NULL);
	size_t label_w = textcell_display_width(label), tail_w, room, bar = 0;

	if (total > 0) {
		double eta = progress_eta(done, total, elapsed);

		g_string_append_printf(tail, "  %llu/%llu  %u%%  ",
		    (unsigned long long)done, (unsigned long long)total,
		    progress_percent(done, total));
		progress_append_rate(tail, done, elapsed);
		g_string_append(tail, "  ETA ");
		if (eta < 0)
			g_string_append(tail, "-:--");
		else
			progress_append_time(tail, eta);
	} else {
		g_string_append_printf(tail, "  %llu  ",
		    (unsigned long long)done);
		progress_append_rate(tail, done, elapsed);
		g_string_append(tail, "  ");
		progress_append_time(tail, elapsed);
	}
	tail_w = textcell_display_width(tail->str);
	/* Columns left for the label and, with a total, " [bar]". */
	room = width > tail_w ? width - tail_w : 0;
	if (total > 0 && room > label_w + 3 + PROGRESS_BAR_MIN)
		bar = MIN(room - label_w - 3, PROGRESS_BAR_MAX);
	else if (total > 0 && room >= 1 + 3 + PROGRESS_BAR_MIN &&
	    label_w > 0)
		bar = PROGRESS_BAR_MIN;
	if (bar > 0) {
		/* The label gives way to the bar: cut to what is left. */
		size_t lw = MIN(label_w, room - 3 - bar);
		size_t filled = (size_t)((double)bar * (double)MIN(done,
		    total) / (double)total);
		size_t i;

		textcell_append_padded(line, label, lw);
		g_string_append(line, " [");
		for (i = 0; i < bar; i++)
			g_string_append_c(line, i < filled ? '#' : '-');
		g_string_append_c(line, ']');
	} else {
		textcell_append_padded(line, label, MIN(label_w, room));
	}
	g_string_append(line, tail->str);
	g_string_free(tail, TRUE);
	return progress_copy_out(buf, size, line);
}

size_t
progress_format_log(char *buf, size_t size, const char *label,
    uint64_t done, uint64_t total, double elapsed, int finished)
{
	GString *line = g_string_new(label);

	g_string_append(line, ": ");
	if (total > 0)
		g_string_append_printf(line, "%llu/%llu (%u%%)",
		    (unsigned long long)done, (unsigned long long)total,
		    progress_percent(done, total));
	else
		g_string_append_printf(line, finished ? "%llu" : "%llu so far",
		    (unsigned long long)done);
	if (finished) {
		g_string_append(line, " in ");
		progress_append_time(line, elapsed);
		g_string_append(line, ", ");
		progress_append_rate(line, done, elapsed);
	} else {
		double eta = progress_eta(done, total, elapsed);

		g_string_append(line, ", ");
		progress_append_rate(line, done, elapsed);
		g_string_append(line, ", ");
		if (total == 0) {
			progress_append_time(line, elapsed);
			g_string_append(line, " elapsed");
		} else if (eta >= 0) {
			progress_append_time(line, eta);
			g_string_append(line, " left");
		} else {
			g_string_append(line, "time left unknown");
		}
	}
	return progress_copy_out(buf, size, line);
}

struct progress *
progress_new(const char *label, uint64_t total)
{
	struct progress *p = g_new0(struct progress, 1);

	p->label = textcell_clean(label, FALSE);
	p->total = total;
	p->mode = progress_pick_mode();
	if (total > 0 && total < PROGRESS_MIN_ITEMS)
		p->mode = PROGRESS_OFF;
	p->start = g_get_monotonic_time();
	return p;
}

static unsigned
progress_width(void)
{
	struct winsize ws;

	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return PROGRESS_DEFAULT_WIDTH;
}

static double
progress_elapsed(const struct progress *p, gint64 now)
{
	return (double)(now - p->start) / G_USEC_PER_SEC;
}

static void
progress_draw(struct progress *p, gint64 now)
{
	char line[PROGRESS_LINE_MAX];
	/* The last column stays free: writing into it makes some
	 * terminals wrap. */
	unsigned width = progress_width();

	progress_format_line(line, sizeof(line), p->label, p->done, p->total,
	    progress_elapsed(p, now), width > 1 ? width - 1 : width);
	/* Back to the start of the line, the line, then clear what a longer
	 * earlier line left. */
	fprintf(stderr, "\r%s\033[K", line);
	fflush(stderr);
	p->last_draw = now;
}

static void
progress_log(struct progress *p, gint64 now, int finished)
{
	char line[PROGRESS_LINE_MAX];

	progress_format_log(line, sizeof(line), p->label, p->done, p->total,
	    progress_elapsed(p, now), finished);
	log_info("%s", line);
	p->last_log = now;
}

void
progress_step(struct progress *p, uint64_t n)
{
	gint64 now;
	unsigned quarters;

	if (p == NULL)
		return;
	p->done += n;
	if (p->mode == PROGRESS_OFF)
		return;
	now = g_get_monotonic_time();
	if (now - p->start < PROGRESS_QUIET_SECONDS * G_USEC_PER_SEC)
		return;
	if (p->mode == PROGRESS_TTY) {
		if (p->last_draw == 0 || now - p->last_draw >=
		    G_USEC_PER_SEC / PROGRESS_REDRAW_PER_SECOND)
			progress_draw(p, now);
		return;
	}
	/* A quarter passed during the quiet first second is told now. */
	quarters = p->total > 0 ? (unsigned)(MIN(p->done, p->total) * 4 /
	    p->total) : 0;
	if (quarters > p->quarters && quarters < 4) {
		p->quarters = quarters;
		progress_log(p, now, 0);
	} else if (now - (p->last_log ? p->last_log : p->start) >=
	    PROGRESS_LOG_INTERVAL * G_USEC_PER_SEC &&
	    (p->total == 0 || p->done < p->total)) {
		progress_log(p, now, 0);
	}
}

void
progress_done(struct progress **pp)
{
	struct progress *p = *pp;
	gint64 now;

	if (p == NULL)
		return;
	*pp = NULL;
	now = g_get_monotonic_time();
	if (p->mode == PROGRESS_TTY && p->last_draw != 0) {
		progress_draw(p, now);
		fputc('\n', stderr);
		fflush(stderr);
	} else if (p->mode == PROGRESS_LOG && (p->last_log != 0 ||
	    now - p->start >= PROGRESS_QUIET_SECONDS * G_USEC_PER_SEC)) {
		/* The 100 % line (or where it stopped), with the time it
		 * all took. */
		progress_log(p, now, 1);
	}
	g_free(p->label);
	g_free(p);
}
