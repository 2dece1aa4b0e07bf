/* poll: see include/poll.h. */
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "campaign.h"
#include "config.h"
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
    struct ingest *ingest, struct poll_stats *stats, char **error_r)
{
	struct imap *imap = NULL;
	g_autofree char *send_error = NULL;
	size_t i;
	int ret = 0;

	memset(stats, 0, sizeof(*stats));
	if (config->imap.host == NULL) {
		*error_r = g_strdup_printf("%s: no [imap] section", config->path);
		return -1;
	}
	if (imap_connect(&config->imap, &imap, error_r) < 0)
		return -1;
	for (i = 0; i < config->campaign_count && ret == 0; i++)
		ret = poll_campaign(config, db, store, ingest, imap,
		    config->campaigns[i], stats, error_r);
	imap_close(&imap);

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
