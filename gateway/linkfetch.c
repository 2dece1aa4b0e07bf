/* linkfetch: see include/linkfetch.h. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <gmime/gmime.h>

#include "campaign.h"
#include "case_json.h"
#include "clamd.h"
#include "config.h"
#include "contenttype.h"
#include "crashpoint.h"
#include "db.h"
#include "fault.h"
#include "fdio.h"
#include "inspect.h"
#include "linkfetch.h"
#include "linkfetch-private.h"
#include "log.h"
#include "mail_limits.h"
#include "quarantine.h"
#include "reply.h"
#include "safename.h"
#include "sha256.h"
#include "store.h"

/* One attempt at one link. */
struct lf_job {
	const struct linkfetch_ctx *ctx;
	const struct db_link *l;
	const struct campaign *c;
	struct lf_http http;
	int64_t now, expires;
	char *part;			/* the .part file's path */
	char *case_dir;			/* the case folder's path */
	struct linkanswer answer;
	const char *resolver;
	int fd;
	uint64_t have;
	bool manual;			/* staff downloaded it (links mark) */
	/* What the checks found. */
	char sha[SHA256_HEX_SIZE];
	char *name;			/* in the case folder */
	char *mime;
	struct media_facts *media;
	char *scan, *scan_note;
	struct linkcheck_finding *found;
	size_t found_count;
};

static bool
lf_cut(const struct linkfetch_ctx *ctx)
{
	return ctx->cut != NULL && ctx->cut(ctx->cut_ctx);
}

static int64_t
lf_time(const char *iso)
{
	g_autoptr(GDateTime) dt = iso != NULL ?
	    g_date_time_new_from_iso8601(iso, NULL) : NULL;

	return dt != NULL ? g_date_time_to_unix(dt) : 0;
}

/* The link's "fetch" in case.json: what staff read in the folder.  A
 * case.json that cannot be rewritten is the disk's fault. */
static int
lf_json(struct lf_job *j, const struct case_link_fetch *f,
    const struct case_attachment *a, char **error_r)
{
	g_autofree char *old = NULL, *out = NULL, *path = NULL;
	size_t len;

	if (case_json_read(j->ctx->store_dir, j->l->dir, &old, &len,
	    error_r) < 0)
		return FAULT_ENVIRONMENT;
	if ((out = case_json_with_link_fetch(old, len, j->l->pos, f, a,
	    error_r)) == NULL)
		return -1;
	path = g_build_filename(j->case_dir, "case.json", NULL);
	return store_write_file_atomic(path, out, strlen(out), error_r) < 0 ?
	    FAULT_ENVIRONMENT : 0;
}

/* The row, and case.json's "fetch", after an attempt that did not end
 * with the file in the case. */
static int
lf_settle(struct lf_job *j, enum linkfetch_outcome o, const char *why,
    char **error_r)
{
	struct linkfetch_next n;
	struct db_link_update u = {
		.receipt = j->l->receipt, .pos = j->l->pos,
		.fetched_bytes = j->have, .last_error = why,
	};
	struct case_link_fetch f = { .bytes = j->have, .error = why };
	g_autofree char *jerr = NULL;

	linkanswer_next(o, j->l->attempts, j->now, j->expires, 0, &n);
	u.state = f.state = n.state;
	u.attempts = n.attempts;
	u.next_attempt_at = n.next_attempt_at;
	if (db_link_settle(j->ctx->db, &u, error_r) < 0)
		return FAULT_ENVIRONMENT;
	/* Never tried again: its bytes are of no use. */
	if (n.next_attempt_at == 0 && o != LINKFETCH_INTERRUPTED)
		(void)unlink(j->part);
	if (o != LINKFETCH_INTERRUPTED && lf_json(j, &f, NULL, &jerr) < 0)
		log_warnx("case %s: link %u: case.json: %s", j->l->receipt,
		    j->l->pos, jerr);
	if (strcmp(n.state, "failed") == 0)
		log_info("case %s: link %u: %s; tried again in %u s",
		    j->l->receipt, j->l->pos, why,
		    linkanswer_backoff(n.attempts));
	else if (o != LINKFETCH_INTERRUPTED)
		/* Lost unless staff act: said loudly. */
		log_warnx("case %s: link %u (%s) %s: %s; staff must fetch it "
		    "by hand (subgate links mark)", j->l->receipt, j->l->pos,
		    j->l->url, n.state, why);
	return 0;
}

/* The SHA-256 (and the provider's MD5) of the whole file. */
static int
lf_digest(struct lf_job *j, uint64_t *size_r, char **error_r)
{
	GChecksum *md5 = j->answer.md5 != NULL ?
	    g_checksum_new(G_CHECKSUM_MD5) : NULL;
	struct sha256 sha;
	char buf[64 * 1024];
	uint64_t off = 0;
	ssize_t n;
	int r = 0;

	if (sha256_init(&sha, error_r) < 0) {
		if (md5 != NULL)
			g_checksum_free(md5);
		return FAULT_ENVIRONMENT;
	}
	while ((n = pread(j->fd, buf, sizeof(buf), (off_t)off)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*error_r = g_strdup_printf("reading the download: %s",
			    g_strerror(errno));
			r = fault_errno(errno);
			break;
		}
		sha256_update(&sha, buf, (size_t)n);
		if (md5 != NULL)
			g_checksum_update(md5, (const guchar *)buf, n);
		off += (uint64_t)n;
	}
	if (r < 0)
		sha256_abort(&sha);
	else
		sha256_final_hex(&sha, j->sha);
	*size_r = off;
	if (r == 0 && md5 != NULL && g_ascii_strcasecmp(j->answer.md5,
	    g_checksum_get_string(md5)) != 0) {
		*error_r = g_strdup_printf("MD5 %s, the provider said %s",
		    g_checksum_get_string(md5), j->answer.md5);
		r = LF_FAILED;
	}
	if (md5 != NULL)
		g_checksum_free(md5);
	return r;
}

static ssize_t
lf_scan_read(void *p, void *buf, size_t len)
{
	return read(*(int *)p, buf, len);
}

/* clamd, where the campaign scans: 1 when the file is infected (then in
 * the quarantine, never in the store). */
static int
lf_scan(struct lf_job *j, uint64_t size, char **error_r)
{
	const struct config_clamd *cc = &j->ctx->config->clamd;
	struct clamd_result res;
	int fd, r;

	if (campaign_scan(j->c) != CAMPAIGN_SCAN_CLAMD)
		return 0;
	if (size > campaign_scan_max_bytes(j->c)) {
		j->scan = g_strdup("skipped");
		j->scan_note = g_strdup_printf("未扫描（超过%llu MB）",
		    (unsigned long long)(campaign_scan_max_bytes(j->c) >> 20));
		return 0;
	}
	if ((fd = dup(j->fd)) < 0 || lseek(fd, 0, SEEK_SET) < 0) {
		*error_r = g_strdup_printf("dup: %s", g_strerror(errno));
		if (fd >= 0)
			close(fd);
		return FAULT_ENVIRONMENT;
	}
	r = clamd_scan(cc->socket, cc->timeout * 1000, lf_scan_read, &fd,
	    &res, error_r);
	close(fd);
	if (r < 0)
		return FAULT_ENVIRONMENT;
	j->scan = g_strdup(res.state == CLAMD_CLEAN ? "clean" :
	    res.state == CLAMD_FOUND ? "infected" : "skipped");
	if (res.state == CLAMD_SKIPPED)
		j->scan_note = g_strdup_printf("未扫描（%s）", res.signature);
	if (res.state != CLAMD_FOUND)
		return 0;
	*error_r = g_strdup(res.signature);
	return 1;
}

/* The infected file to the quarantine, under the campaign and month. */
static int
lf_quarantine(struct lf_job *j, const char *signature, char **error_r)
{
	g_autofree char *dir = config_quarantine_dir(j->ctx->config);
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autofree char *month = g_date_time_format(now, "%Y-%m");
	g_autofree char *rel = NULL;
	struct quarantine *q = NULL;
	GMimeStream *in;
	char sha[65];
	int fd, r;

	if (quarantine_open(dir, j->ctx->store_dir, j->l->campaign, month, &q,
	    error_r) < 0)
		return FAULT_ENVIRONMENT;
	if ((fd = dup(j->fd)) < 0 || lseek(fd, 0, SEEK_SET) < 0) {
		*error_r = g_strdup_printf("dup: %s", g_strerror(errno));
		quarantine_close(&q, NULL);
		return FAULT_ENVIRONMENT;
	}
	in = g_mime_stream_fs_new(fd);
	r = quarantine_put(q, in, "", sha, &rel, error_r);
	g_object_unref(in);
	if (r < 0 || quarantine_close(&q, error_r) < 0) {
		quarantine_close(&q, NULL);
		return FAULT_ENVIRONMENT;
	}
	log_warnx("campaign %s: case %s: link %u (%s) infected: %s; kept in "
	    "the quarantine as %s", j->l->campaign, j->l->receipt, j->l->pos,
	    j->l->name != NULL ? j->l->name : j->l->url, signature, rel);
	return 0;
}

/* The type by content, what the file measures, and the findings. */
static int
lf_inspect(struct lf_job *j, char **error_r)
{
	char *head = g_malloc(LIMIT_MAGIC_BYTES);
	ssize_t n = pread(j->fd, head, LIMIT_MAGIC_BYTES, 0);
	const char *title = j->l->title != NULL ? j->l->title : j->name;
	struct content_facts f;
	int r;

	if (n < 0) {
		*error_r = g_strdup_printf("reading the download: %s",
		    g_strerror(errno));
		g_free(head);
		return fault_errno(errno);
	}
	r = contenttype_of_buffer(head, (size_t)n, &j->mime, error_r);
	g_free(head);
	if (r < 0)
		return r;
	if (linkcheck_wants_media(j->c, j->l->kind, j->l->category,
	    j->mime)) {
		if ((r = inspect_file(j->fd,
		    &(struct inspect_ask){ .mime = j->mime, .tmpdir = -1 }, NULL,
		    &f, error_r)) < 0)
			return r;
		if (f.media.failed)
			log_warnx("case %s: link %u not inspected: %s",
			    j->l->receipt, j->l->pos, f.media.error);
		j->media = g_memdup2(&f.media, sizeof(f.media));
	}
	j->found_count = linkcheck_findings(j->c, j->l->kind, j->l->category,
	    title, j->l->name != NULL ? j->l->name : j->name, j->mime,
	    j->media, &j->found);
	return 0;
}

/* A name in the case folder: the link's, made safe, unused, or already
 * this file's (a run that stopped after the rename). */
static int
lf_pick_name(struct lf_job *j, char **error_r)
{
	g_autofree char *fallback = g_strdup_printf("云附件-%u", j->l->pos);
	g_autofree char *base = safename_make(j->l->name != NULL ?
	    j->l->name : j->answer.name, fallback);
	unsigned n;

	for (n = 1; n < 1000; n++) {
		g_autofree char *name = safename_dedupe(base, n);
		g_autofree char *path = g_build_filename(j->case_dir, name,
		    NULL);
		struct stat sb;

		if (lstat(path, &sb) < 0 && errno == ENOENT) {
			j->name = g_steal_pointer(&name);
			return 0;
		}
		if (j->l->saved_as != NULL && j->l->sha256 != NULL &&
		    strcmp(j->l->saved_as, name) == 0 &&
		    strcmp(j->l->sha256, j->sha) == 0) {
			j->name = g_steal_pointer(&name);
			return 0;
		}
	}
	*error_r = g_strdup_printf("%s: no free name for %s", j->case_dir,
	    base);
	return -1;
}

/* The findings that refuse the file, one a line; NULL: none. */
static char *
lf_refusals(const struct lf_job *j)
{
	GString *s = g_string_new(NULL);
	size_t i;

	for (i = 0; i < j->found_count; i++)
		if (strcmp(j->found[i].severity, "reject") == 0)
			g_string_append_printf(s, "%s%s", s->len > 0 ? "\n" :
			    "", j->found[i].text);
	if (s->len == 0) {
		g_string_free(s, TRUE);
		return NULL;
	}
	return g_string_free(s, FALSE);
}

static int
lf_receipt_to(const struct db_reply *r, void *ctx)
{
	char **to = ctx;

	if (*to == NULL && (strcmp(r->kind, reply_kind_name(REPLY_RECEIPT)) ==
	    0 || strcmp(r->kind, reply_kind_name(REPLY_SUPERSEDED)) == 0))
		*to = g_strdup(r->recipient);
	return 0;
}

/* The follow-up mail, queued inside the open transaction, to where the
 * receipt went; none when no receipt went anywhere. */
static int
lf_follow_up(struct lf_job *j, const char *notice, char **error_r)
{
	const struct config_smtp *smtp = &j->ctx->config->smtp;
	g_autofree char *to = NULL, *token = NULL, *data = NULL, *id = NULL;
	struct reply r = { .kind = REPLY_LINK_CHECK };
	size_t len;

	if (db_case_replies(j->ctx->db, j->l->receipt, lf_receipt_to, &to,
	    error_r) < 0)
		return FAULT_ENVIRONMENT;
	if (to == NULL || smtp->from == NULL) {
		log_warnx("case %s: link %u: %s; no receipt was sent, so the "
		    "submitter is not told", j->l->receipt, j->l->pos, notice);
		return 0;
	}
	token = g_uuid_string_random();
	g_strdelimit(token, "-", 'x');
	r.campaign_name = campaign_name(j->c);
	r.contact = campaign_contact(j->c);
	r.from = smtp->from;
	r.from_name = smtp->from_name;
	r.to = to;
	r.orig_subject = j->l->title != NULL ? j->l->title : "";
	r.orig_message_id = j->l->message_id != NULL ? j->l->message_id : "";
	r.orig_references = "";
	r.receipt = j->l->receipt;
	r.title = j->l->title;
	r.token = token;
	r.arrival = "";
	r.notice = notice;
	r.campaign = j->c;
	if (reply_compose(&r, &data, &len, &id, error_r) < 0)
		return -1;
	return db_case_outbox_add(j->ctx->db, j->l->receipt,
	    reply_kind_name(REPLY_LINK_CHECK), to, j->l->message_id, id, data,
	    len, error_r) < 0 ? FAULT_ENVIRONMENT : 1;
}

/* The attachment case.json gains. */
static void
lf_attachment(const struct lf_job *j, uint64_t size,
    struct case_attachment *a, struct case_finding *f)
{
	size_t i;

	memset(a, 0, sizeof(*a));
	a->name = j->name;
	a->original_name = j->l->name != NULL ? j->l->name : j->name;
	a->content_mime = j->mime;
	a->scan = j->scan;
	a->scan_note = j->scan_note;
	a->media = j->media;
	a->size = size;
	a->sha256 = (char *)j->sha;
	a->role = j->l->role;
	a->kind = j->l->kind;
	for (i = 0; i < j->found_count; i++)
		f[i] = (struct case_finding){ .code = j->found[i].code,
		    .severity = j->found[i].severity,
		    .text = j->found[i].text };
	a->findings = f;
	a->finding_count = j->found_count;
}

static int
lf_fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), r;

	if (fd < 0)
		return -1;
	r = fsync(fd);
	close(fd);
	return r;
}

/* Step 4 of linkfetch.h: the file into the case and on record. */
static int
lf_record(struct lf_job *j, uint64_t size, bool from_part, char **error_r)
{
	struct db_link_update u = {
		.receipt = j->l->receipt, .pos = j->l->pos,
		.state = "fetching", .fetched_bytes = size,
		.attempts = j->l->attempts, .sha256 = j->sha,
	};
	struct case_finding *f = g_new0(struct case_finding,
	    j->found_count + 1);
	struct case_link_fetch cf = { .state = j->manual ? "manual" :
		"fetched", .bytes = size, .sha256 = j->sha };
	struct case_attachment a;
	g_autofree char *notice = lf_refusals(j), *dst = NULL;
	int r, queued = 0;

	if ((r = lf_pick_name(j, error_r)) < 0)
		goto out;
	u.saved_as = cf.saved_as = j->name;
	dst = g_build_filename(j->case_dir, j->name, NULL);
	r = FAULT_ENVIRONMENT;
	if (db_link_settle(j->ctx->db, &u, error_r) < 0)
		goto out;
	if (from_part && (rename(j->part, dst) < 0 ||
	    lf_fsync_dir(j->case_dir) < 0)) {
		*error_r = g_strdup_printf("%s -> %s: %s", j->part, dst,
		    g_strerror(errno));
		r = fault_errno(errno);
		goto out;
	}
	crashpoint("after-link-rename");
	lf_attachment(j, size, &a, f);
	if ((r = lf_json(j, &cf, &a, error_r)) < 0)
		goto out;
	r = FAULT_ENVIRONMENT;
	u.state = cf.state;
	u.attempts = j->l->attempts + !j->manual;
	u.last_error = NULL;
	if (db_begin(j->ctx->db, error_r) < 0)
		goto out;
	if (db_link_settle(j->ctx->db, &u, error_r) < 0 ||
	    (notice != NULL && (queued = lf_follow_up(j, notice,
	    error_r)) < 0) || db_commit(j->ctx->db, error_r) < 0) {
		db_rollback(j->ctx->db);
		r = queued < 0 ? queued : FAULT_ENVIRONMENT;
		goto out;
	}
	r = 0;
	log_info("case %s: link %u fetched as %s (%llu bytes, %zu findings%s)",
	    j->l->receipt, j->l->pos, j->name, (unsigned long long)size,
	    j->found_count, queued > 0 ? ", follow-up mail queued" : "");
	if (queued > 0 && j->ctx->queued != NULL)
		j->ctx->queued(j->ctx->queued_ctx);
out:
	g_free(f);
	return r;
}

/* Infected: never in the store; staff were told (lf_quarantine). */
static int
lf_settle_infected(struct lf_job *j, const char *signature, char **error_r)
{
	struct db_link_update u = {
		.receipt = j->l->receipt, .pos = j->l->pos,
		.state = "infected", .attempts = j->l->attempts + 1,
		.last_error = signature,
	};
	struct case_link_fetch f = { .state = "infected", .error = signature };
	g_autofree char *jerr = NULL;

	if (db_link_settle(j->ctx->db, &u, error_r) < 0)
		return FAULT_ENVIRONMENT;
	if (lf_json(j, &f, NULL, &jerr) < 0)
		log_warnx("case %s: link %u: case.json: %s", j->l->receipt,
		    j->l->pos, jerr);
	return 0;
}

/* Step 3 then 4, on the file open on j->fd. */
static int
lf_finish(struct lf_job *j, bool from_part, char **error_r)
{
	g_autofree char *why = NULL;
	uint64_t size;
	int r;

	if ((r = lf_digest(j, &size, &why)) == LF_FAILED ||
	    (r == 0 && j->answer.size > 0 && size != j->answer.size)) {
		if (why == NULL)
			why = g_strdup_printf("%llu bytes, the provider said "
			    "%llu", (unsigned long long)size,
			    (unsigned long long)j->answer.size);
		/* Not the file: the next attempt starts from nothing. */
		if (from_part && ftruncate(j->fd, 0) == 0)
			j->have = 0;
		return lf_settle(j, LINKFETCH_FAILED, why, error_r);
	}
	if (r < 0) {
		*error_r = g_steal_pointer(&why);
		return r;
	}
	if (!from_part && strcmp(j->sha, j->l->sha256) != 0)
		return lf_settle(j, LINKFETCH_FAILED, "the file in the case "
		    "folder is not the one downloaded", error_r);
	if ((r = lf_scan(j, size, &why)) < 0) {
		*error_r = g_steal_pointer(&why);
		return r;
	}
	if (r > 0) {
		g_autofree char *signature = g_steal_pointer(&why);

		if ((r = lf_quarantine(j, signature, error_r)) < 0)
			return r;
		if (from_part)
			(void)unlink(j->part);
		j->have = 0;
		return lf_settle_infected(j, signature, error_r);
	}
	if ((r = lf_inspect(j, error_r)) < 0)
		return r;
	return lf_record(j, size, from_part, error_r);
}

/* The outcome of an LF_* code. */
static enum linkfetch_outcome
lf_outcome(int r)
{
	switch (r) {
	case LF_GONE:
		return LINKFETCH_GONE;
	case LF_REFUSED:
		return LINKFETCH_REFUSED;
	case LF_CUT:
		return LINKFETCH_INTERRUPTED;
	default:
		return LINKFETCH_FAILED;
	}
}

/* Steps 1 and 2: the file's URL, then its bytes into the part. */
static int
lf_attempt(struct lf_job *j, char **error_r)
{
	g_autofree char *dir = g_build_filename(j->ctx->store_dir,
	    LINKFETCH_PART_DIR, NULL);
	g_autofree char *why = NULL;
	struct stat sb;
	int r;

	r = lf_resolve(&j->http, j->l->url, &j->answer, &j->resolver, &why);
	if (r == LF_GONE)
		return lf_settle(j, LINKFETCH_GONE, j->answer.why_gone != NULL ?
		    j->answer.why_gone : why, error_r);
	if (r < 0 && r != FAULT_ENVIRONMENT)
		return lf_settle(j, lf_outcome(r), why, error_r);
	if (r < 0) {
		*error_r = g_steal_pointer(&why);
		return r;
	}
	if ((mkdir(dir, 0700) < 0 && errno != EEXIST) ||
	    (j->fd = open(j->part, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0640)) < 0 || fstat(j->fd, &sb) < 0) {
		*error_r = g_strdup_printf("%s: %s", j->part,
		    g_strerror(errno));
		return fault_errno(errno);
	}
	j->have = (uint64_t)sb.st_size;
	r = lf_download(&j->http, j->answer.url,
	    g_str_has_prefix(j->l->url, "http://"), j->fd, &j->have, &why);
	if (r == FAULT_ENVIRONMENT) {
		*error_r = g_steal_pointer(&why);
		return r;
	}
	if (r < 0) {
		/* Too large is no file to keep. */
		if (r == LF_REFUSED && ftruncate(j->fd, 0) == 0)
			j->have = 0;
		return lf_settle(j, lf_outcome(r), why, error_r);
	}
	return lf_finish(j, true, error_r);
}

/* A run stopped after the rename: the file is in the case under
 * saved_as with the SHA-256 on record.  Open it (-1: it is not). */
static int
lf_recovered(struct lf_job *j)
{
	g_autofree char *path = NULL;
	struct stat sb;

	if (j->l->saved_as == NULL || j->l->sha256 == NULL ||
	    stat(j->part, &sb) == 0)
		return -1;
	path = g_build_filename(j->case_dir, j->l->saved_as, NULL);
	return open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
}

static void
lf_job_clear(struct lf_job *j)
{
	if (j->fd >= 0)
		close(j->fd);
	g_free(j->part);
	g_free(j->case_dir);
	linkanswer_clear(&j->answer);
	g_free(j->name);
	g_free(j->mime);
	g_free(j->media);
	g_free(j->scan);
	g_free(j->scan_note);
	linkcheck_findings_free(j->found, j->found_count);
}

static int
lf_job_init(struct lf_job *j, const struct linkfetch_ctx *ctx,
    const struct db_link *l, char **error_r)
{
	memset(j, 0, sizeof(*j));
	j->ctx = ctx;
	j->l = l;
	j->fd = -1;
	if ((j->c = config_campaign_find(ctx->config, l->campaign)) == NULL) {
		*error_r = g_strdup_printf("case %s: campaign %s is not in the "
		    "configuration", l->receipt, l->campaign);
		return -1;
	}
	j->http = (struct lf_http){ .cfg = &ctx->config->links,
		.max_bytes = campaign_link_fetch_max(j->c), .cut = ctx->cut,
		.cut_ctx = ctx->cut_ctx };
	j->now = (int64_t)time(NULL);
	j->expires = lf_time(l->expires_at);
	j->have = l->fetched_bytes;
	j->part = g_strdup_printf("%s/%s/%s-%u.part", ctx->store_dir,
	    LINKFETCH_PART_DIR, l->receipt, l->pos);
	j->case_dir = g_build_filename(ctx->store_dir, l->dir, NULL);
	return 0;
}

int
linkfetch_one(const struct linkfetch_ctx *ctx, const struct db_link *l,
    char **error_r)
{
	struct lf_job j;
	int r;

	if (lf_job_init(&j, ctx, l, error_r) < 0) {
		lf_job_clear(&j);
		return -1;
	}
	if (j.expires > 0 && j.expires <= j.now)
		r = lf_settle(&j, LINKFETCH_GONE, "expired before it was "
		    "downloaded", error_r);
	else if (db_link_claim(ctx->db, l->receipt, l->pos, error_r) < 0)
		r = FAULT_ENVIRONMENT;
	else if ((j.fd = lf_recovered(&j)) >= 0)
		r = lf_finish(&j, false, error_r);
	else
		r = lf_attempt(&j, error_r);
	lf_job_clear(&j);
	return r;
}

/* Whether the campaign of a link fetches from its host. */
static bool
lf_wanted(const struct config *config, const struct db_link *l)
{
	const struct campaign *c = config_campaign_find(config, l->campaign);
	g_autoptr(GUri) u = g_uri_parse(l->url, G_URI_FLAGS_ENCODED, NULL);

	return c != NULL && u != NULL &&
	    campaign_link_fetch_host(c, g_uri_get_host(u));
}

/* Links not downloaded that expire within their campaign's expiry_warn:
 * said once each, while staff can still act. */
static int
lf_warn_expiring(const struct linkfetch_ctx *ctx, int64_t now,
    char **error_r)
{
	unsigned most = CAMPAIGN_DEFAULT_EXPIRY_WARN;
	g_autoptr(GDateTime) until = NULL;
	g_autofree char *before = NULL;
	struct db_link *links = NULL;
	size_t i, n = 0;
	int r = 0;

	for (i = 0; i < ctx->config->campaign_count; i++)
		most = MAX(most, campaign_link_expiry_warn(
		    ctx->config->campaigns[i]));
	until = g_date_time_new_from_unix_utc(now + most);
	before = g_date_time_format(until, "%Y-%m-%dT%H:%M:%SZ");
	if (db_links_list(ctx->db, NULL, NULL, before, &links, &n,
	    error_r) < 0)
		return FAULT_ENVIRONMENT;
	for (i = 0; i < n && r == 0; i++) {
		const struct db_link *l = &links[i];
		const struct campaign *c = config_campaign_find(ctx->config,
		    l->campaign);
		int64_t left = lf_time(l->expires_at) - now;

		if (l->warned_at != NULL || c == NULL || left <= 0 ||
		    left >= (int64_t)campaign_link_expiry_warn(c))
			continue;
		log_warnx("campaign %s: case %s: link %u (%s) not downloaded "
		    "(%s%s%s), expires in %lld hours", l->campaign, l->receipt,
		    l->pos, l->name != NULL ? l->name : l->url, l->state,
		    l->last_error != NULL ? ": " : "",
		    l->last_error != NULL ? l->last_error : "",
		    (long long)(left / 3600));
		if (db_link_set_warned(ctx->db, l->receipt, l->pos,
		    error_r) < 0)
			r = FAULT_ENVIRONMENT;
	}
	db_links_free(links, n);
	return r;
}

int
linkfetch_drain(const struct linkfetch_ctx *ctx,
    struct linkfetch_stats *stats_r, char **error_r)
{
	int64_t now = (int64_t)time(NULL);
	struct db_link *links = NULL;
	size_t i, n = 0;
	int r = 0;

	memset(stats_r, 0, sizeof(*stats_r));
	if (db_links_due(ctx->db, now, &links, &n, error_r) < 0)
		return FAULT_ENVIRONMENT;
	for (i = 0; i < n && r == 0 && !lf_cut(ctx); i++) {
		if (!lf_wanted(ctx->config, &links[i]))
			continue;
		r = linkfetch_one(ctx, &links[i], error_r);
		stats_r->fetched++;
	}
	db_links_free(links, n);
	if (r == 0)
		r = lf_warn_expiring(ctx, now, error_r);
	return r;
}

/* ---- the thread of `run` ---- */

struct linkfetch {
	struct linkfetch_ctx ctx;
	struct db *db;
	const volatile int *stop;
	GThread *thread;
	GMutex lock;
	GCond cond;
	bool woken, finishing;		/* under lock */
	char *last_error;
};

static bool
lf_thread_cut(void *p)
{
	struct linkfetch *lf = p;
	bool cut;

	g_mutex_lock(&lf->lock);
	cut = lf->finishing;
	g_mutex_unlock(&lf->lock);
	return cut || (lf->stop != NULL && g_atomic_int_get(lf->stop));
}

static gpointer
lf_thread_main(gpointer p)
{
	struct linkfetch *lf = p;
	struct linkfetch_stats st;

	for (;;) {
		char *error = NULL;

		g_mutex_lock(&lf->lock);
		if (!lf->woken && !lf->finishing)
			g_cond_wait_until(&lf->cond, &lf->lock,
			    g_get_monotonic_time() +
			    LINKFETCH_LOOK_SECONDS * G_USEC_PER_SEC);
		lf->woken = false;
		g_mutex_unlock(&lf->lock);
		if (lf_thread_cut(lf))
			break;
		if (linkfetch_drain(&lf->ctx, &st, &error) < 0) {
			/* The same failure each minute: said once. */
			if (g_strcmp0(error, lf->last_error) != 0)
				log_warnx("fetching links: %s", error);
			g_free(lf->last_error);
			lf->last_error = error;
		} else {
			g_clear_pointer(&lf->last_error, g_free);
		}
	}
	return NULL;
}

int
linkfetch_start(const struct config *config, const char *store_dir,
    const volatile int *stop, void (*queued)(void *), void *queued_ctx,
    struct linkfetch **lf_r, char **error_r)
{
	struct linkfetch *lf = g_new0(struct linkfetch, 1);
	GError *gerror = NULL;
	sigset_t block, old;

	*lf_r = NULL;
	g_mutex_init(&lf->lock);
	g_cond_init(&lf->cond);
	lf->stop = stop;
	lf->woken = true;
	if (db_open(config->database, &lf->db, error_r) < 0) {
		linkfetch_free(&lf);
		return -1;
	}
	lf->ctx = (struct linkfetch_ctx){ .config = config, .db = lf->db,
		.store_dir = store_dir, .cut = lf_thread_cut, .cut_ctx = lf,
		.queued = queued, .queued_ctx = queued_ctx };
	/* SIGTERM and SIGINT stay with intake (sender.c does the same). */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	lf->thread = g_thread_try_new("linkfetch", lf_thread_main, lf,
	    &gerror);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (lf->thread == NULL) {
		*error_r = g_strdup_printf("cannot start the link fetcher: "
		    "%s", gerror->message);
		g_error_free(gerror);
		linkfetch_free(&lf);
		return -1;
	}
	*lf_r = lf;
	return 0;
}

void
linkfetch_wake(struct linkfetch *lf)
{
	if (lf == NULL)
		return;
	g_mutex_lock(&lf->lock);
	lf->woken = true;
	g_cond_signal(&lf->cond);
	g_mutex_unlock(&lf->lock);
}

void
linkfetch_free(struct linkfetch **lfp)
{
	struct linkfetch *lf = *lfp;

	if (lf == NULL)
		return;
	*lfp = NULL;
	if (lf->thread != NULL) {
		g_mutex_lock(&lf->lock);
		lf->finishing = true;
		g_cond_signal(&lf->cond);
		g_mutex_unlock(&lf->lock);
		g_thread_join(lf->thread);
	}
	db_close(&lf->db);
	g_mutex_clear(&lf->lock);
	g_cond_clear(&lf->cond);
	g_free(lf->last_error);
	g_free(lf);
}

/* src copied onto the part file, from its start. */
static int
lf_copy_in(struct lf_job *j, const char *src, char **error_r)
{
	g_autofree char *dir = g_build_filename(j->ctx->store_dir,
	    LINKFETCH_PART_DIR, NULL);
	char buf[64 * 1024];
	ssize_t n;
	int in, e = 0;

	if ((in = fd_open_regular(src)) < 0) {
		*error_r = g_strdup_printf("%s: %s", src,
		    fd_open_regular_error(errno));
		return -1;
	}
	if ((mkdir(dir, 0700) < 0 && errno != EEXIST) ||
	    (j->fd = open(j->part, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC |
	    O_NOFOLLOW, 0640)) < 0) {
		e = errno;
		close(in);
		*error_r = g_strdup_printf("%s: %s", j->part, g_strerror(e));
		return fault_errno(e);
	}
	while (e == 0 && (n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || fd_write_all(j->fd, buf, (size_t)n) < 0)
			e = errno != 0 ? errno : EIO;
	}
	close(in);
	if (e == 0 && fsync(j->fd) < 0)
		e = errno;
	if (e != 0) {
		*error_r = g_strdup_printf("%s into %s: %s", src, j->part,
		    g_strerror(e));
		return fault_errno(e);
	}
	return 0;
}

int
linkfetch_mark(const struct linkfetch_ctx *ctx, const struct db_link *l,
    const char *path, char **error_r)
{
	struct lf_job j;
	int r;

	if (lf_job_init(&j, ctx, l, error_r) < 0) {
		lf_job_clear(&j);
		return -1;
	}
	j.manual = true;
	if ((r = lf_copy_in(&j, path, error_r)) == 0)
		r = lf_finish(&j, true, error_r);
	lf_job_clear(&j);
	return r;
}
