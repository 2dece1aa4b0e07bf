/* poll: see include/poll.h. */
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "campaign.h"
#include "config.h"
#include "crashpoint.h"
#include "db.h"
#include "imap.h"
#include "ingest.h"
#include "log.h"
#include "mail_limits.h"
#include "outbox.h"
#include "poll.h"
#include "store.h"

static void
poll_count(struct poll_stats *stats, const char *outcome)
{
	if (strcmp(outcome, "accepted") == 0)
		stats->accepted++;
	else if (strcmp(outcome, "rejected") == 0)
		stats->rejected++;
	else
		stats->other++;
}

static int
poll_campaign(const struct config *config, struct db *db, struct store *store,
    struct ingest *ingest, struct imap *imap, const struct campaign *campaign,
    struct poll_stats *stats, char **error_r)
{
	const char *id = campaign_id(campaign);
	const char *folder = campaign_folder(campaign);
	struct imap_summary *list = NULL;
	uint32_t uidvalidity, known_validity, last_uid;
	size_t count, i;
	int known, ret = 0;

	(void)config;
	if (imap_select(imap, folder, &uidvalidity, error_r) < 0)
		return -1;
	known = db_folder_get(db, id, folder, &known_validity, &last_uid,
	    error_r);
	if (known < 0)
		return -1;
	if (known && known_validity != uidvalidity) {
		/* The server renumbered the folder: every UID is new.
		 * Rescan; mail already processed is recognised by its
		 * Message-ID and content hash and makes nothing twice. */
		log_warnx("campaign %s: folder %s UIDVALIDITY changed from %u "
		    "to %u, rescanning", id, folder, known_validity,
		    uidvalidity);
		last_uid = 0;
	}
	if (imap_list_after(imap, last_uid, LIMIT_FETCH_BATCH, &list, &count,
	    error_r) < 0)
		return -1;
	for (i = 0; i < count && ret == 0; i++) {
		struct ingest_source source = {
			.folder = folder,
			.uidvalidity = uidvalidity,
			.uid = list[i].uid,
			.arrival = list[i].internaldate,
		};
		struct ingest_result result = { 0 };
		g_autofree char *spool = NULL;
		int fd;

		if (store_spool_create(store, &fd, &spool, error_r) < 0) {
			ret = -1;
			break;
		}
		if (imap_fetch_to_fd(imap, list[i].uid, list[i].size, fd,
		    error_r) < 0) {
			close(fd);
			unlink(spool);
			ret = -1;
			break;
		}
		close(fd);
		crashpoint("after-spool");
		stats->fetched++;
		if (ingest_message(ingest, campaign, spool, &source, &result,
		    error_r) < 0) {
			char *e = g_strdup_printf("campaign %s UID %u: %s", id,
			    list[i].uid, *error_r);

			g_free(*error_r);
			*error_r = e;
			ret = -1;
		} else {
			poll_count(stats, result.outcome);
			log_info("campaign %s UID %u: %s%s%s%s%s", id,
			    list[i].uid, result.outcome,
			    result.receipt ? " " : "",
			    result.receipt ? result.receipt : "",
			    result.reason && !result.receipt ? ": " : "",
			    result.reason && !result.receipt ?
			    result.reason : "");
		}
		ingest_result_clear(&result);
		unlink(spool);
	}
	g_free(list);
	return ret;
}

int
poll_cycle(const struct config *config, struct db *db, struct store *store,
    struct ingest *ingest, struct imap **imapp, struct poll_stats *stats,
    char **error_r)
{
	struct imap *own = NULL, **imap = imapp != NULL ? imapp : &own;
	g_autofree char *send_error = NULL;
	size_t i;
	int ret = 0;

	memset(stats, 0, sizeof(*stats));
	if (config->imap.host == NULL) {
		*error_r = g_strdup_printf("%s: no [imap] section", config->path);
		return -1;
	}
	if (*imap == NULL && imap_connect(&config->imap, imap, error_r) < 0)
		return -1;
	for (i = 0; i < config->campaign_count && ret == 0; i++)
		ret = poll_campaign(config, db, store, ingest, *imap,
		    config->campaigns[i], stats, error_r);
	if (ret < 0 || imapp == NULL)
		imap_close(imap);

	/* Replies committed so far go out even when the cycle failed. */
	if (outbox_send(db, &config->smtp, &stats->replies_sent,
	    &stats->replies_deferred, &send_error) < 0) {
		if (ret == 0) {
			*error_r = g_steal_pointer(&send_error);
			ret = -1;
		} else {
			log_warnx("%s", send_error);
		}
	}
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

	(void)config;
	if (imap_select(imap, folder, &uidvalidity, error_r) < 0)
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
