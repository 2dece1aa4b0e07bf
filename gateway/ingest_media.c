/*
 * ingest_media: the video and audio files, pictures and text works of a
 * mail measured before it is judged, where the campaign has rules
 * (mediarule.h) for the kind and category the plan took them for and the
 * file's type by content: no rule, no inspection.  A .docx of a kind
 * with a registration form (form.LABEL = FIELD) is inspected too, and
 * its cells come back with its facts for the plan to read the form.
 *
 * An archive is listed whatever its kind (a program inside is refused
 * whatever the campaign says), and its entries measured where a rule
 * of its work's category could judge them.
 *
 * libavformat, libarchive and poppler need a file they can seek in, and
 * an attachment is base64 inside the spooled mail; so each such
 * attachment is decoded once into a file under the store's .tmp/ that
 * is unlinked as soon as it is made (a crash leaves nothing to clean; at
 * worst a name .tmp's sweep at start removes), and handed to the inspecting child on a descriptor.  The cost
 * is one more write of the attachment's decoded bytes (bounded by the
 * message size limit): the case folder is written later, from the mail,
 * as before.  Nothing here takes a receipt number or makes a folder, so a
 * mail refused for what its video measures leaves no case behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <gmime/gmime.h>

#include "campaign.h"
#include "fault.h"
#include "fdio.h"
#include "inspect.h"
#include "judge.h"
#include "log.h"
#include "mailplan.h"
#include "message.h"
#include "regform.h"
#include "store.h"
#include "ingest-private.h"

/* Attachment i decoded into an unlinked file under .tmp/; its fd. */
static int
attachment_file(struct ingest_job *job, size_t i, int *fd_r, char **error_r)
{
	g_autofree char *path = g_build_filename(store_dir(job->ingest->store),
	    STORE_TMP_DIR, "inspect-XXXXXX", NULL);
	GMimeStream *s;
	char buf[65536];
	ssize_t n;
	int fd, e = 0;

	if ((fd = g_mkstemp_full(path, O_RDWR | O_CLOEXEC, 0600)) < 0) {
		e = errno;
		*error_r = g_strdup_printf("%s: %s", path, g_strerror(e));
		return fault_errno(e);
	}
	(void)unlink(path);
	s = message_attachment_stream(job->msg, i);
	while (e == 0 && (n = g_mime_stream_read(s, buf, sizeof(buf))) != 0) {
		if (n < 0 || fd_write_all(fd, buf, (size_t)n) < 0)
			e = errno != 0 ? errno : EIO;
	}
	g_object_unref(s);
	if (e != 0) {
		*error_r = g_strdup_printf("attachment %zu into %s: %s", i + 1,
		    path, g_strerror(e));
		close(fd);
		return fault_errno(e);
	}
	*fd_r = fd;
	return 0;
}

/* The store's .tmp/, where an archive's entries are extracted to be
 * measured (unnamed files, gone when closed); -1 with errno. */
static int
tmp_dir(struct ingest_job *job)
{
	g_autofree char *path = g_build_filename(store_dir(job->ingest->store),
	    STORE_TMP_DIR, NULL);

	return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/* Attachment i measured into job->media[i]; a registration form's cells
 * (form: the plan wants them) into job->forms[i].  A form read only for
 * its cells keeps its facts only when it could not be read, for the note
 * that says so: a form's 字数 is nobody's business. */
static int
ingest_media_one(struct ingest_job *job, size_t i, bool media, bool form,
    char **error_r)
{
	const struct mailplan_file *pf = mailplan_file(job->names.plan, i);
	struct inspect_ask ask = { .mime = pf->content, .tmpdir = -1 };
	struct content_facts f;
	int fd, r, e;

	if ((r = attachment_file(job, i, &fd, error_r)) < 0)
		return r;
	/* Only where a rule of the work's category can judge them. */
	ask.entries = mailplan_file_wants_entries(job->names.plan, i);
	if (ask.entries && (ask.tmpdir = tmp_dir(job)) < 0) {
		e = errno;
		*error_r = g_strdup_printf("%s/%s: %s",
		    store_dir(job->ingest->store), STORE_TMP_DIR,
		    g_strerror(e));
		close(fd);
		return fault_errno(e);
	}
	ask.form = form;
	r = inspect_file(fd, &ask, NULL, &f, error_r);
	close(fd);
	if (ask.tmpdir >= 0)
		close(ask.tmpdir);
	if (r < 0)
		return r;
	job->forms[i] = g_steal_pointer(&f.form);
	if (!media && !f.media.failed && !(f.media.kind == FACTS_TEXT &&
	    f.media.text.state == TEXT_UNREADABLE)) {
		content_facts_clear(&f);
		return 0;
	}
	/* The child's death is staff's to know; the mail goes on. */
	if (f.media.failed)
		log_warnx("campaign %s: <%s>: attachment %zu not inspected: %s",
		    campaign_id(job->campaign), message_id(job->msg), i + 1,
		    f.media.error);
	/* The listing (f.media.archive) goes with it. */
	job->media[i] = g_memdup2(&f.media, sizeof(f.media));
	return 0;
}

int
ingest_media(struct ingest_job *job, char **error_r)
{
	size_t i, n = message_attachment_count(job->msg);
	bool any = false;
	int r;

	for (i = 0; i < n && job->names.plan != NULL &&
	    i < mailplan_file_count(job->names.plan); i++) {
		bool form = mailplan_file_wants_form(job->names.plan, i);
		bool media = mailplan_file_wants_media(job->names.plan, i);

		if (!media && !form)
			continue;
		if (job->media == NULL) {
			job->media = g_new0(struct media_facts *, n + 1);
			job->forms = g_new0(struct regform_cells *, n + 1);
		}
		if ((r = ingest_media_one(job, i, media, form, error_r)) < 0)
			return r;
		any = true;
	}
	if (!any)
		return 0;
	/* The plan again, now with what the files measure. */
	judge_names_clear(&job->names);
	judge_names_links(job->campaign, job->msg,
	    (const char *const *)job->content,
	    (const struct media_facts *const *)job->media,
	    (const struct regform_cells *const *)job->forms, job->links,
	    g_date_time_to_unix(job->arrival), &job->names);
	return 0;
}

void
ingest_media_clear(struct ingest_job *job)
{
	size_t i, n;

	if (job->media == NULL)
		return;
	/* NULL where a file was not inspected: free them all by count. */
	n = message_attachment_count(job->msg);
	for (i = 0; i < n; i++) {
		media_facts_free(&job->media[i]);
		regform_cells_free(&job->forms[i]);
	}
	g_clear_pointer(&job->media, g_free);
	g_clear_pointer(&job->forms, g_free);
}
