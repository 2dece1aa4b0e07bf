/* poll: see include/poll.h. */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "campaign.h"
#include "config.h"
#include "crashpoint.h"
#include "db.h"
#include "fault.h"
#include "htmlindex.h"
#include "imap.h"
#include "ingest.h"
#include "log.h"
#include "mail_limits.h"
#include "poll.h"
#include "progress.h"
#include "sender.h"
#include "store.h"

/* Free space the store keeps beyond what a message needs before a
 * failure is blamed on the message. */
#define POLL_STORE_RESERVE	(64ULL * 1024 * 1024)

/* Set by poll_set_stop: a stop request is honoured between messages,
 * where everything before is committed and nothing after has begun. */
static const volatile sig_atomic_t *poll_stop;

void
poll_set_stop(const volatile sig_atomic_t *stop)
{
	poll_stop = stop;
}

static bool
poll_stopping(void)
{
	return poll_stop != NULL && *poll_stop;
}

static void
poll_count(struct poll_stats *stats, enum outcome outcome)
{
	if (outcome == OUTCOME_ACCEPTED)
		stats->accepted++;
	else if (outcome == OUTCOME_REJECTED)
		stats->rejected++;
	else
		stats->other++;
}

/*
 * Only after the commit may the mailbox change, and only for a message
 * that made a case: anything else stays where staff can see it.  A failed
 * post-action is logged and not retried; the case stands either way.
 */
static void
poll_post_action(const struct config *config, struct imap *imap,
    const char *id, uint32_t uid)
{
	g_autofree char *error = NULL;

	if (imap_post_action(imap, &config->imap, uid, &error) < 0)
		log_warnx("campaign %s UID %u: post-action failed: %s", id, uid,
		    error);
}

/*
 * An attempt the database could not take back when the environment failed
 * (a busy database may refuse the forgiving too): it is taken back before
 * that message is counted again, for as long as the process runs.  One at
 * most: the cycle stops at the first such failure.
 */
static struct {
	char *campaign;
	char *folder;
	uint32_t uidvalidity;
	uint32_t uid;
} poll_unforgiven;

static void
poll_unforgiven_set(const struct campaign *campaign,
    const struct ingest_source *source)
{
	g_free(poll_unforgiven.campaign);
	g_free(poll_unforgiven.folder);
	poll_unforgiven.campaign = g_strdup(campaign_id(campaign));
	poll_unforgiven.folder = g_strdup(source->folder);
	poll_unforgiven.uidvalidity = source->uidvalidity;
	poll_unforgiven.uid = source->uid;
}

/* db_attempt_forgive(), or the failure a test injects in its place
 * (SUBGATE_TEST_FAIL_POINT=forgive:ERRNO). */
static int
poll_forgive(struct db *db, const char *campaign, const char *folder,
    uint32_t uidvalidity, uint32_t uid, char **error_r)
{
	if (failpoint("forgive")) {
		*error_r = g_strdup_printf("database: forgive attempt: injected "
		    "failure (SUBGATE_TEST_FAIL_POINT): %s", g_strerror(errno));
		return fault_errno(errno);
	}
	return db_attempt_forgive(db, campaign, folder, uidvalidity, uid,
	    error_r);
}

/* Takes back the attempt left by poll_unforgiven_set(), if any. */
static int
poll_unforgiven_forgive(struct db *db, char **error_r)
{
	int r;

	if (poll_unforgiven.campaign == NULL)
		return 0;
	r = poll_forgive(db, poll_unforgiven.campaign, poll_unforgiven.folder,
	    poll_unforgiven.uidvalidity, poll_unforgiven.uid, error_r);
	if (r < 0)
		return r;
	g_clear_pointer(&poll_unforgiven.campaign, g_free);
	g_clear_pointer(&poll_unforgiven.folder, g_free);
	return 0;
}

/*
 * The environment failed, not the message (include/fault.h): the attempt
 * counted when it began is taken back, now or, when the database refuses
 * that too, before the message is tried again, and the cycle stops.  Intake pauses until the fault clears; the
 * message is then processed as if nothing had happened.  why: what failed,
 * as the log says it.  Returns FAULT_ENVIRONMENT.
 */
static int
poll_paused(struct db *db, const struct campaign *campaign,
    const struct ingest_source *source, bool counted, const char *reason,
    const char *why, char **error_r)
{
	g_autofree char *dberr = NULL;

	if (counted && poll_forgive(db, campaign_id(campaign), source->folder,
	    source->uidvalidity, source->uid, &dberr) < 0) {
		poll_unforgiven_set(campaign, source);
		*error_r = g_strdup_printf("campaign %s UID %u: %s (%s: not "
		    "counted against the message, though the database could "
		    "not take the attempt back yet: %s; will retry)",
		    campaign_id(campaign), source->uid, reason, why, dberr);
		return FAULT_ENVIRONMENT;
	}
	*error_r = g_strdup_printf("campaign %s UID %u: %s (%s: not counted "
	    "against the message; will retry)", campaign_id(campaign),
	    source->uid, reason, why);
	return FAULT_ENVIRONMENT;
}

/*
 * ingest_message failed with fault (its return code).  The environment's
 * failure (a full or read-only disk, a busy database) stops the cycle and
 * counts nothing: poll_paused().  Any other is counted against the
 * message, which is tried again; one that fails LIMIT_MESSAGE_ATTEMPTS
 * times is quarantined instead, so it cannot block the ones after it.
 * counted: the attempt was counted when it began (poll_fetch_one); else it
 * is counted now.  0 when the folder may go on, <0 to stop.
 */
static int
poll_failed(struct db *db, struct store *store, struct ingest *ingest,
    const struct campaign *campaign, const char *spool,
    const struct ingest_source *source, bool counted, int fault,
    struct ingest_result *result, char **error_r)
{
	g_autofree char *reason = *error_r;
	g_autofree char *dberr = NULL;
	unsigned attempts = 0;
	int r;

	*error_r = NULL;
	if (fault == FAULT_ENVIRONMENT)
		return poll_paused(db, campaign, source, counted, reason,
		    "the environment failed", error_r);
	/* A store too full to hold this message twice over (the spool,
	 * original.eml and the attachments) fails in ways that do not
	 * always say so (an error from a library, a short write): the
	 * store is to blame, not the message. */
	if (store_free_bytes(store) < source->size * 3 + POLL_STORE_RESERVE)
		return poll_paused(db, campaign, source, counted, reason,
		    "the store is nearly full", error_r);
	r = counted ? db_attempt_note(db, campaign_id(campaign),
	    source->folder, source->uidvalidity, source->uid, reason,
	    &attempts, &dberr) : db_attempt_fail(db, campaign_id(campaign),
	    source->folder, source->uidvalidity, source->uid, reason,
	    &attempts, &dberr);
	if (r < 0) {
		*error_r = g_strdup_printf("campaign %s UID %u: %s (the "
		    "database cannot count the attempt: %s)",
		    campaign_id(campaign), source->uid, reason, dberr);
		return r;
	}
	if (attempts < LIMIT_MESSAGE_ATTEMPTS) {
		*error_r = g_strdup_printf("campaign %s UID %u: %s (attempt %u "
		    "of %u)", campaign_id(campaign), source->uid, reason,
		    attempts, LIMIT_MESSAGE_ATTEMPTS);
		return -1;
	}
	log_warnx("campaign %s UID %u: quarantined after %u failed attempts: %s",
	    campaign_id(campaign), source->uid, attempts, reason);
	return ingest_quarantine(ingest, campaign, spool, source, reason, true,
	    result, error_r);
}

/* What an attempt that never finished leaves as its reason until it
 * finishes: the process ended (a kill, a crash, the memory limit). */
#define POLL_UNFINISHED	"processing it ended the process (killed, crashed " \
	"or out of memory)"

/*
 * Counted before it is processed: a message that kills the process (a
 * memory limit, a parser's bug) would otherwise be fetched again at every
 * start, blocking its folder and every reply behind it.  A database that
 * cannot count it gets no message processed at all: without the count, a
 * message that kills the process would be tried forever.  1: go on and
 * process it; 0: it ended the process LIMIT_MESSAGE_ATTEMPTS times and was
 * quarantined unread; <0 error (FAULT_ENVIRONMENT: the database failed).
 */
static int
poll_attempt_begin(struct db *db, struct ingest *ingest,
    const struct campaign *campaign, const char *spool,
    const struct ingest_source *source, struct ingest_result *result,
    char **error_r)
{
	g_autofree char *reason = NULL, *dberr = NULL;
	unsigned attempts = 0;
	int r;

	r = poll_unforgiven_forgive(db, &dberr);
	if (r == 0)
		r = db_attempt_fail(db, campaign_id(campaign), source->folder,
		    source->uidvalidity, source->uid, POLL_UNFINISHED,
		    &attempts, &dberr);
	if (r < 0) {
		*error_r = g_strdup_printf("campaign %s UID %u: not processed: "
		    "the database cannot record an attempt at it%s: %s",
		    campaign_id(campaign), source->uid, r == FAULT_ENVIRONMENT ?
		    " (the environment failed, not the message; will retry)" :
		    "", dberr);
		return r;
	}
	if (attempts <= LIMIT_MESSAGE_ATTEMPTS)
		return 1;
	reason = g_strdup_printf("%s, %u times", POLL_UNFINISHED,
	    attempts - 1);
	log_warnx("campaign %s UID %u: quarantined unread: %s",
	    campaign_id(campaign), source->uid, reason);
	if ((r = ingest_quarantine(ingest, campaign, spool, source, reason,
	    false, result, error_r)) < 0)
		return r;
	return 0;
}

/* One campaign's folder in one cycle, for poll_fetch_one(). */
struct poll_folder {
	const struct config *config;
	struct db *db;
	struct store *store;
	struct ingest *ingest;
	struct imap *imap;
	struct sender *sender;
	const struct campaign *campaign;
	uint32_t uidvalidity;
	struct poll_stats *stats;
	unsigned *changed;
};

/* A message the server refuses to hand over: the same bounded retries as
 * a message that cannot be processed, then it is recorded as failed (with
 * what arrived of it) and the folder moves on. */
static int
poll_refused(struct poll_folder *pf, const char *spool,
    const struct ingest_source *source, char **error_r)
{
	struct ingest_result result = { 0 };
	int ret;

	ret = poll_failed(pf->db, pf->store, pf->ingest, pf->campaign, spool,
	    source, false, -1, &result, error_r);
	if (ret == 0) {
		sender_wake(pf->sender);
		poll_count(pf->stats, result.outcome);
		(*pf->changed)++;
		log_warnx("campaign %s UID %u: the server refuses to hand it "
		    "over; recorded as failed", campaign_id(pf->campaign),
		    source->uid);
	}
	ingest_result_clear(&result);
	return ret;
}

/* Names the message an error of its fetch is about; returns r. */
static int
poll_context(const char *id, uint32_t uid, int r, char **error_r)
{
	char *e = g_strdup_printf("campaign %s UID %u: %s", id, uid, *error_r);

	g_free(*error_r);
	*error_r = e;
	return r;
}

/* Fetches one message into the spool and ingests it; only a message that
 * made a case is then moved or flagged in the mailbox. */
static int
poll_fetch_one(struct poll_folder *pf, const struct imap_summary *m,
    char **error_r)
{
	const char *id = campaign_id(pf->campaign);
	struct ingest_source source = {
		.folder = campaign_folder(pf->campaign),
		.uidvalidity = pf->uidvalidity,
		.uid = m->uid,
		.arrival = m->internaldate,
		.size = m->size,
		.spool = true,
	};
	struct ingest_result result = { 0 };
	g_autofree char *spool = NULL;
	int fd, r, ret = 0;

	if ((r = store_spool_create(pf->store, &fd, &spool, error_r)) < 0)
		return poll_context(id, m->uid, r, error_r);
	/* Over the campaign's size only the header is fetched: enough to
	 * answer the sender, while the message stays in the mailbox for
	 * staff. */
	source.headers_only = m->size > ingest_max_size(pf->campaign,
	    &pf->config->limits);
	r = source.headers_only ?
	    imap_fetch_header_to_fd(pf->imap, m->uid, fd, error_r) :
	    imap_fetch_to_fd(pf->imap, m->uid, m->size, fd, error_r);
	close(fd);
	if (r == IMAP_REFUSED) {
		ret = poll_refused(pf, spool, &source, error_r);
		unlink(spool);
		return ret;
	}
	if (r < 0) {
		unlink(spool);
		return poll_context(id, m->uid, r, error_r);
	}
	crashpoint("after-spool");
	pf->stats->fetched++;
	r = poll_attempt_begin(pf->db, pf->ingest, pf->campaign, spool,
	    &source, &result, error_r);
	if (r < 0) {
		unlink(spool);
		return r;
	}
	if (r > 0 && (r = ingest_message(pf->ingest, pf->campaign, spool,
	    &source, &result, error_r)) < 0)
		ret = poll_failed(pf->db, pf->store, pf->ingest, pf->campaign,
		    spool, &source, true, r, &result, error_r);
	/* Committed: its reply goes out now, while intake goes on. */
	if (ret == 0)
		sender_wake(pf->sender);
	if (ret == 0 && result.receipt != NULL)
		poll_post_action(pf->config, pf->imap, id, m->uid);
	if (ret == 0) {
		poll_count(pf->stats, result.outcome);
		(*pf->changed)++;
		log_info("campaign %s UID %u: %s%s%s%s%s", id, m->uid,
		    outcome_name(result.outcome), result.receipt ? " " : "",
		    result.receipt ? result.receipt : "",
		    result.reason && !result.receipt ? ": " : "",
		    result.reason && !result.receipt ? result.reason : "");
	}
	ingest_result_clear(&result);
	unlink(spool);
	return ret;
}

static int
poll_campaign(const struct poll_folder *cycle,
    const struct campaign *campaign, char **error_r)
{
	const struct config *config = cycle->config;
	struct db *db = cycle->db;
	struct imap *imap = cycle->imap;
	const char *id = campaign_id(campaign);
	const char *folder = campaign_folder(campaign);
	struct poll_folder pf = *cycle;
	struct imap_summary *list = NULL;
	struct progress *progress = NULL;
	g_autofree char *label = NULL;
	uint32_t known_validity, last_uid;
	size_t count, i;
	int known, ret = 0;

	pf.campaign = campaign;
	if (imap_select(imap, folder, config->imap.post_action !=
	    CONFIG_POST_NONE, &pf.uidvalidity, error_r) < 0)
		return -1;
	known = db_folder_get(db, id, folder, &known_validity, &last_uid,
	    error_r);
	if (known < 0)
		return known;
	if (known && known_validity != pf.uidvalidity) {
		/* The server renumbered the folder: every UID is new.
		 * Rescan; mail already processed is recognised by its
		 * Message-ID and content hash and makes nothing twice. */
		log_warnx("campaign %s: folder %s UIDVALIDITY changed from %u "
		    "to %u, rescanning", id, folder, known_validity,
		    pf.uidvalidity);
		last_uid = 0;
	}
	if (imap_list_after(imap, last_uid, LIMIT_FETCH_BATCH, &list, &count,
	    error_r) < 0)
		return -1;
	/* A renumbered folder with nothing in it: record the new
	 * UIDVALIDITY now, or every cycle would take it for new again. */
	if (known && known_validity != pf.uidvalidity && count == 0 &&
	    (ret = db_folder_set(db, id, folder, pf.uidvalidity, 0,
	    error_r)) < 0) {
		g_free(list);
		return ret;
	}
	/* A first sync may take thousands of messages: show how far. */
	label = g_strdup_printf("%s: %s", id, folder);
	progress = progress_new(label, count);
	for (i = 0; i < count && ret == 0 && !poll_stopping(); i++) {
		ret = poll_fetch_one(&pf, &list[i], error_r);
		if (ret == 0)
			progress_step(progress, 1);
	}
	progress_done(&progress);
	g_free(list);
	return ret;
}

int
poll_cycle(const struct config *config, struct db *db, struct store *store,
    struct ingest *ingest, struct imap **imapp, struct sender *sender,
    struct poll_stats *stats, char **error_r)
{
	struct imap *own = NULL, **imap = imapp != NULL ? imapp : &own;
	size_t i;
	int ret = 0;

	memset(stats, 0, sizeof(*stats));
	if (store_check(store, error_r) < 0)
		return -1;
	if (config->imap.host == NULL) {
		*error_r = g_strdup_printf("%s: no [imap] section", config->path);
		return -1;
	}
	if (*imap == NULL && imap_connect(&config->imap, imap, error_r) < 0)
		return -1;
	for (i = 0; i < config->campaign_count && ret == 0; i++) {
		unsigned changed = 0;
		struct poll_folder cycle = {
			.config = config, .db = db, .store = store,
			.ingest = ingest, .imap = *imap, .sender = sender,
			.stats = stats, .changed = &changed,
		};

		ret = poll_campaign(&cycle, config->campaigns[i], error_r);
		if (changed > 0)
			htmlindex_refresh(config->store_dir, db,
			    config->campaigns[i]);
	}
	if (ret < 0 || imapp == NULL)
		imap_close(imap);
	return ret;
}

/* Mail the last cycle did not take yet: a renumbered folder, UIDs past
 * the last one committed (a batch limit was hit, or mail came during the
 * cycle), or an EXISTS announced while we looked. */
static int
poll_pending(const struct config *config, struct db *db, struct imap *imap,
    const struct campaign *campaign, char **error_r)
{
	const char *folder = campaign_folder(campaign);
	struct imap_summary *list = NULL;
	uint32_t uidvalidity, known_validity = 0, last_uid = 0, exists;
	size_t count = 0;
	int known;

	if (imap_select(imap, folder, config->imap.post_action !=
	    CONFIG_POST_NONE, &uidvalidity, error_r) < 0)
		return -1;
	known = db_folder_get(db, campaign_id(campaign), folder,
	    &known_validity, &last_uid, error_r);
	if (known < 0)
		return -1;
	if (known && known_validity != uidvalidity)
		return 1;
	exists = imap_exists(imap);
	if (imap_list_after(imap, last_uid, 1, &list, &count, error_r) < 0)
		return -1;
	g_free(list);
	/* IDLE reports only what arrives after it starts; an EXISTS that
	 * came with the answer to the FETCH above is already spent. */
	return count > 0 || imap_exists(imap) != exists;
}

static void
poll_sleep(unsigned seconds, const volatile sig_atomic_t *stop)
{
	gint64 until = g_get_monotonic_time() +
	    (gint64)seconds * G_USEC_PER_SEC;

	while (!*stop && g_get_monotonic_time() < until)
		g_usleep(MIN(until - g_get_monotonic_time(),
		    G_USEC_PER_SEC / 4));
}

int
poll_wait(const struct config *config, struct db *db, struct imap **imap,
    unsigned seconds, const volatile sig_atomic_t *stop, char **error_r)
{
	int r;

	if (*imap != NULL && config->imap.idle && config->campaign_count > 0 &&
	    imap_can_idle(*imap)) {
		r = poll_pending(config, db, *imap, config->campaigns[0],
		    error_r);
		if (r == 0)
			r = imap_idle(*imap, seconds, stop, error_r);
		if (r < 0)
			imap_close(imap);
		return r;
	}
	/* No IDLE: an idle connection would only be dropped by the server's
	 * autologout timer. */
	imap_close(imap);
	poll_sleep(seconds, stop);
	return 0;
}

void
poll_disconnect(struct imap **imap)
{
	imap_close(imap);
}
