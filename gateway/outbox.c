/* outbox: see include/outbox.h. */
#include <stdbool.h>

#include <glib.h>

#include "config.h"
#include "db.h"
#include "log.h"
#include "outbox.h"
#include "smtp.h"

struct outbox_run {
	struct db *db;
	const struct config_smtp *smtp;
	unsigned sent;
	unsigned deferred;
};

static int
outbox_send_one(struct db_outbox_entry *e, void *ctx)
{
	struct outbox_run *run = ctx;
	g_autofree char *error = NULL;
	g_autofree char *dberr = NULL;
	bool permanent = false;
	const char *state;

	if (smtp_send(run->smtp, e->recipient, e->data, e->data_len,
	    &permanent, &error) == 0) {
		state = "sent";
		run->sent++;
		log_info("reply %s <%s> to %s sent", e->kind,
		    e->reply_message_id, e->recipient);
	} else {
		state = permanent ? "failed" : "queued";
		run->deferred++;
		log_warnx("reply %s <%s> to %s %s: %s", e->kind,
		    e->reply_message_id, e->recipient,
		    permanent ? "refused" : "deferred", error);
	}
	if (db_outbox_mark(run->db, e->id, state, error, &dberr) < 0) {
		/* A sent reply we cannot mark would be sent again: stop. */
		log_warnx("%s", dberr);
		return -1;
	}
	return 0;
}

int
outbox_send(struct db *db, const struct config_smtp *smtp, unsigned *sent_r,
    unsigned *deferred_r, char **error_r)
{
	struct outbox_run run = { db, smtp, 0, 0 };
	int ret;

	*error_r = NULL;
	if (smtp->url == NULL) {
		*sent_r = *deferred_r = 0;
		return 0;
	}
	ret = db_outbox_pending(db, OUTBOX_BATCH, outbox_send_one, &run,
	    error_r);
	*sent_r = run.sent;
	*deferred_r = run.deferred;
	return ret;
}
