/*
 * ingest_scan: each attachment of a mail through clamd ([policy] scan =
 * clamd), its decoded bytes streamed from the parsed message, before the
 * mail is judged: before any case folder is built and before any
 * receipt number is taken.  A mail with an infected file is refused
 * whole (the "malware" policy, judge.h); the file and the mail go to the
 * quarantine (quarantine.h), never to the store.
 *
 * A file over the campaign's scan_max_bytes is not streamed, and one
 * over clamd's own limits comes back as such: either is filed with a
 * note for staff ("未扫描（…）"), never as a silent OK.  A clamd that
 * cannot be reached or answers nonsense is the environment's fault:
 * nothing is judged, intake waits.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include <glib.h>
#include <gmime/gmime.h>

#include "campaign.h"
#include "clamd.h"
#include "config.h"
#include "db.h"
#include "fault.h"
#include "log.h"
#include "message.h"
#include "quarantine.h"
#include "reply.h"
#include "store.h"
#include "ingest-private.h"

struct ingest_scan_file {
	enum clamd_state state;
	char *signature;		/* FOUND, or the limit SKIPPED names */
	char *note;			/* SKIPPED: for staff */
};

struct ingest_scan {
	struct ingest_scan_file *files;
	size_t count;
	char **infected;		/* the infected files' names */
	const char *signature;		/* the first one's */
	/* Once quarantined: the rows the commit records, and their text. */
	struct db_quarantine *rows;
	size_t row_count;
	GPtrArray *owned;
};

/* The clamd reader over a GMime stream. */
static ssize_t
scan_read(void *ctx, void *buf, size_t len)
{
	return g_mime_stream_read(ctx, buf, len);
}

/* Whether attachment i decodes to more than max bytes; <0 when the
 * stream cannot be read.  Read only up to max + 1: a file far too large
 * costs no more than one just over. */
static int
scan_over(const struct message *msg, size_t i, uint64_t max, char **error_r)
{
	GMimeStream *s = message_attachment_stream(msg, i);
	char buf[64 * 1024];
	uint64_t len = 0;
	ssize_t n;

	while (len <= max && (n = g_mime_stream_read(s, buf,
	    sizeof(buf))) != 0) {
		if (n < 0) {
			int e = errno;

			g_object_unref(s);
			*error_r = g_strdup_printf("attachment %zu: read: %s",
			    i + 1, g_strerror(e));
			return fault_errno(e);
		}
		len += (uint64_t)n;
	}
	g_object_unref(s);
	return len > max;
}

/* "100 MB": a limit as staff wrote it, where it is a whole number. */
static char *
scan_size_text(uint64_t bytes)
{
	if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
		return g_strdup_printf("%llu MB",
		    (unsigned long long)(bytes >> 20));
	return reply_format_size(bytes);
}

/* Attachment i through clamd, or noted as not scanned. */
static int
scan_one(struct ingest_job *job, size_t i, struct ingest_scan_file *f,
    char **error_r)
{
	const struct config_clamd *cc = &job->ingest->config->clamd;
	uint64_t max = campaign_scan_max_bytes(job->campaign);
	struct clamd_result res;
	GMimeStream *s;
	int r;

	if ((r = scan_over(job->msg, i, max, error_r)) < 0)
		return r;
	if (r > 0) {
		g_autofree char *limit = scan_size_text(max);

		f->state = CLAMD_SKIPPED;
		f->note = g_strdup_printf("未扫描（超过%s）", limit);
		return 0;
	}
	s = message_attachment_stream(job->msg, i);
	r = clamd_scan(cc->socket, cc->timeout * 1000, scan_read, s, &res,
	    error_r);
	g_object_unref(s);
	if (r == CLAMD_SIZE_LIMIT) {
		/* The configuration's fault, not the mail's: it waits like
		 * any mail while clamd is down, until the limits agree. */
		g_autofree char *why = *error_r;

		*error_r = g_strdup_printf("%s ([policy] scan_max_bytes of "
		    "campaign %s)", why, campaign_id(job->campaign));
		return FAULT_ENVIRONMENT;
	}
	if (r < 0)
		return r;
	f->state = res.state;
	if (res.state != CLAMD_CLEAN)
		f->signature = g_strdup(res.signature);
	if (res.state == CLAMD_SKIPPED)
		f->note = g_strdup_printf("未扫描（超过扫描程序的限制：%s）",
		    res.signature);
	return 0;
}

int
ingest_scan_run(struct ingest_job *job, char **error_r)
{
	size_t i, n = message_attachment_count(job->msg);
	struct ingest_scan *scan;
	GPtrArray *infected;
	int r;

	if (campaign_scan(job->campaign) != CAMPAIGN_SCAN_CLAMD || n == 0)
		return 0;
	scan = g_new0(struct ingest_scan, 1);
	scan->files = g_new0(struct ingest_scan_file, n);
	scan->count = n;
	scan->owned = g_ptr_array_new_with_free_func(g_free);
	job->scan = scan;
	infected = g_ptr_array_new();
	for (i = 0; i < n; i++) {
		struct ingest_scan_file *f = &scan->files[i];

		if ((r = scan_one(job, i, f, error_r)) < 0) {
			g_ptr_array_free(infected, TRUE);
			return r;
		}
		if (f->state == CLAMD_FOUND) {
			g_ptr_array_add(infected, (char *)
			    message_attachment_name(job->msg, i));
			if (scan->signature == NULL)
				scan->signature = f->signature;
			log_warnx("campaign %s: <%s> attachment \"%s\": infected "
			    "(%s)", campaign_id(job->campaign),
			    message_id(job->msg),
			    message_attachment_name(job->msg, i), f->signature);
		} else if (f->state == CLAMD_SKIPPED) {
			log_info("campaign %s: <%s> attachment \"%s\": %s",
			    campaign_id(job->campaign), message_id(job->msg),
			    message_attachment_name(job->msg, i), f->note);
		}
	}
	if (infected->len == 0) {
		g_ptr_array_free(infected, TRUE);
		return 0;
	}
	g_ptr_array_add(infected, NULL);
	scan->infected = (char **)g_ptr_array_free(infected, FALSE);
	return 0;
}

const char *const *
ingest_scan_infected(const struct ingest_job *job,
    const char **signature_r)
{
	if (job->scan == NULL || job->scan->infected == NULL)
		return NULL;
	*signature_r = job->scan->signature;
	return (const char *const *)job->scan->infected;
}

/* The month the mail arrived in, for the quarantine's layout: the same
 * for every attempt at one mail. */
static char *
scan_month(const struct ingest_job *job)
{
	return g_strndup(job->arrival_iso, 7);
}

/* The mail itself, as it came, beside its infected files. */
static int
scan_keep_mail(struct ingest_job *job, struct quarantine *q,
    char **relpath_r, char **error_r)
{
	GMimeStream *in;
	char sha[65];
	int fd = open(job->path, O_RDONLY | O_CLOEXEC), r;

	if (fd < 0) {
		int e = errno;

		*error_r = g_strdup_printf("%s: %s", job->path, g_strerror(e));
		return FAULT_ENVIRONMENT;
	}
	in = g_mime_stream_fs_new(fd);
	r = quarantine_put(q, in, ".eml", sha, relpath_r, error_r);
	g_object_unref(in);
	return r;
}

int
ingest_scan_quarantine(struct ingest_job *job, char **error_r)
{
	struct ingest_scan *scan = job->scan;
	g_autofree char *dir = config_quarantine_dir(job->ingest->config);
	g_autofree char *month = scan_month(job);
	struct quarantine *q = NULL;
	char *mail_path = NULL;
	size_t i;
	int r;

	if ((r = quarantine_open(dir, store_dir(job->ingest->store),
	    campaign_id(job->campaign), month, &q, error_r)) < 0)
		return r;
	if ((r = scan_keep_mail(job, q, &mail_path, error_r)) < 0)
		goto fail;
	g_ptr_array_add(scan->owned, mail_path);
	scan->rows = g_new0(struct db_quarantine, scan->count);
	for (i = 0; i < scan->count; i++) {
		struct db_quarantine *row = &scan->rows[scan->row_count];
		GMimeStream *s;
		char sha[65], *path = NULL;

		if (scan->files[i].state != CLAMD_FOUND)
			continue;
		s = message_attachment_stream(job->msg, i);
		r = quarantine_put(q, s, "", sha, &path, error_r);
		g_object_unref(s);
		if (r < 0)
			goto fail;
		g_ptr_array_add(scan->owned, path);
		row->campaign = campaign_id(job->campaign);
		row->sha256 = g_strdup(sha);
		g_ptr_array_add(scan->owned, (char *)row->sha256);
		row->original_name = message_attachment_name(job->msg, i);
		row->signature = scan->files[i].signature;
		row->path = path;
		row->message_path = mail_path;
		scan->row_count++;
	}
	if ((r = quarantine_close(&q, error_r)) < 0)
		return r;
	job->rec.quarantined = scan->rows;
	job->rec.quarantined_count = scan->row_count;
	return 0;
fail:
	(void)quarantine_close(&q, NULL);
	return r;
}

void
ingest_scan_note(const struct ingest_job *job, size_t i,
    struct case_attachment *a)
{
	const struct ingest_scan_file *f;

	if (job->scan == NULL || i >= job->scan->count)
		return;
	f = &job->scan->files[i];
	a->scan = g_strdup(f->state == CLAMD_CLEAN ? "clean" : "skipped");
	a->scan_note = g_strdup(f->note);
}

void
ingest_scan_clear(struct ingest_job *job)
{
	struct ingest_scan *scan = job->scan;
	size_t i;

	if (scan == NULL)
		return;
	for (i = 0; i < scan->count; i++) {
		g_free(scan->files[i].signature);
		g_free(scan->files[i].note);
	}
	g_free(scan->files);
	g_free(scan->infected);
	g_free(scan->rows);
	g_ptr_array_free(scan->owned, TRUE);
	g_free(scan);
	job->scan = NULL;
}
