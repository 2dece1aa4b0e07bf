/* sender: see include/sender.h. */
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>

#include <glib.h>

#include "config.h"
#include "db.h"
#include "log.h"
#include "outbox.h"
#include "sender.h"

struct sender {
	const struct config_smtp *smtp;
	struct db *db;			/* the thread's own connection */
	GThread *thread;
	GMutex lock;
	GCond cond;
	/* Under lock. */
	bool pending;			/* committed since the last drain */
	bool finishing;			/* intake is done */
	bool new_cycle;			/* notices may be logged again */
	int64_t deadline;		/* the last drain's, once finishing */
	unsigned budget;
	unsigned sent, failed_attempts;
	unsigned waiting;		/* as the latest drain left them */
	bool drain_failed;
	/* The thread's alone. */
	struct outbox_said said;
	char *last_error;
};

/* Intake asked the thread to finish: the drain under way starts no
 * further reply, and the last drain, within the budget, takes over. */
static bool
sender_cut(void *ctx)
{
	struct sender *s = ctx;
	bool cut;

	g_mutex_lock(&s->lock);
	cut = s->finishing;
	g_mutex_unlock(&s->lock);
	return cut;
}

/* A database that keeps failing would say the same every second: said
 * once, until it changes or a drain gets through. */
static void
sender_log_error(struct sender *s, char *error)
{
	if (s->last_error != NULL && strcmp(s->last_error, error) == 0) {
		log_debug("%s", error);
		g_free(error);
		return;
	}
	log_warnx("%s", error);
	g_free(s->last_error);
	s->last_error = error;
}

/* One drain; true when it tried a reply, so more may be due now.
 * *held_r: due replies were left waiting (a limit, the breaker). */
static bool
sender_drain(struct sender *s, bool last, bool *held_r)
{
	struct outbox_bounds bounds = { .said = &s->said };
	struct outbox_stats st;
	char *error = NULL;
	int r;

	if (last) {
		bounds.deadline = s->deadline;
		bounds.budget = s->budget;
	} else {
		bounds.cut = sender_cut;
		bounds.cut_ctx = s;
	}
	r = outbox_drain_bounded(s->db, s->smtp, &bounds, &st, &error);
	if (r < 0)
		sender_log_error(s, error);
	else
		g_clear_pointer(&s->last_error, g_free);
	g_mutex_lock(&s->lock);
	s->sent += st.sent;
	s->failed_attempts += st.deferred + st.failed;
	s->waiting = st.held + st.postponed;
	if (r < 0)
		s->drain_failed = true;
	g_mutex_unlock(&s->lock);
	*held_r = st.held + st.postponed > 0;
	return r == 0 && st.sent + st.deferred + st.failed > 0;
}

/* Woken by the clock alone: whether anything came due.  An idle daemon
 * then costs one indexed query a second, not a whole drain. */
static bool
sender_worth_a_drain(struct sender *s)
{
	char *error = NULL;
	int r = db_outbox_any_due(s->db, &error);

	if (r < 0) {
		/* The drain will meet the failure and say so. */
		g_free(error);
		return true;
	}
	if (r == 0) {
		g_mutex_lock(&s->lock);
		s->waiting = 0;
		g_mutex_unlock(&s->lock);
	}
	return r > 0;
}

static gpointer
sender_main(gpointer data)
{
	struct sender *s = data;
	bool last = false, again = false, held = false, woken;
	/* While due replies wait for a limit or the breaker, the clock
	 * alone does not look again before this. */
	gint64 held_until = 0, now;

	while (!last) {
		g_mutex_lock(&s->lock);
		if (!s->pending && !s->finishing && !again)
			g_cond_wait_until(&s->cond, &s->lock,
			    g_get_monotonic_time() +
			    SENDER_RETRY_SECONDS * G_USEC_PER_SEC);
		woken = s->pending || again;
		s->pending = false;
		last = s->finishing;
		if (s->new_cycle) {
			memset(&s->said, 0, sizeof(s->said));
			s->new_cycle = false;
		}
		g_mutex_unlock(&s->lock);
		now = g_get_monotonic_time();
		if (!woken && !last && (now < held_until ||
		    !sender_worth_a_drain(s))) {
			again = false;
			continue;
		}
		again = sender_drain(s, last, &held);
		held_until = !again && held ? now +
		    SENDER_HELD_SECONDS * G_USEC_PER_SEC : 0;
	}
	return NULL;
}

static void
sender_destroy(struct sender *s)
{
	db_close(&s->db);
	g_mutex_clear(&s->lock);
	g_cond_clear(&s->cond);
	g_free(s->last_error);
	g_free(s);
}

int
sender_start(const char *database, const struct config_smtp *smtp,
    struct sender **sender_r, char **error_r)
{
	struct sender *s = g_new0(struct sender, 1);
	GError *gerror = NULL;
	sigset_t block, old;

	*sender_r = NULL;
	s->smtp = smtp;
	/* A first drain at once: replies left from an earlier run. */
	s->pending = true;
	g_mutex_init(&s->lock);
	g_cond_init(&s->cond);
	if (db_open(database, &s->db, error_r) < 0) {
		sender_destroy(s);
		return -1;
	}
	/* SIGTERM and SIGINT stay with intake, whose waits they cut short;
	 * the sender sees them through outbox_set_stop(). */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	s->thread = g_thread_try_new("sender", sender_main, s, &gerror);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (s->thread == NULL) {
		*error_r = g_strdup_printf("cannot start the sender thread: %s",
		    gerror->message);
		g_error_free(gerror);
		sender_destroy(s);
		return -1;
	}
	*sender_r = s;
	return 0;
}

void
sender_wake(struct sender *s)
{
	if (s == NULL)
		return;
	g_mutex_lock(&s->lock);
	s->pending = true;
	g_cond_signal(&s->cond);
	g_mutex_unlock(&s->lock);
}

int
sender_take_stats(struct sender *s, struct sender_stats *stats_r)
{
	bool failed;

	g_mutex_lock(&s->lock);
	stats_r->sent = s->sent;
	stats_r->deferred = s->failed_attempts + s->waiting;
	failed = s->drain_failed;
	s->sent = s->failed_attempts = 0;
	s->drain_failed = false;
	s->new_cycle = true;
	g_mutex_unlock(&s->lock);
	return failed ? -1 : 0;
}

void
sender_finish(struct sender *s)
{
	unsigned budget = s->smtp->send_budget > 0 ? s->smtp->send_budget :
	    CONFIG_DEFAULT_SEND_BUDGET;

	if (s->thread == NULL)
		return;
	/* The budget counts from the end of intake: it bounds how long the
	 * process waits for sending beyond it. */
	g_mutex_lock(&s->lock);
	s->finishing = true;
	s->budget = budget;
	s->deadline = g_get_monotonic_time() +
	    (int64_t)budget * G_USEC_PER_SEC;
	g_cond_signal(&s->cond);
	g_mutex_unlock(&s->lock);
	g_thread_join(s->thread);
	s->thread = NULL;
}

void
sender_free(struct sender **sp)
{
	struct sender *s = *sp;

	if (s == NULL)
		return;
	*sp = NULL;
	sender_finish(s);
	sender_destroy(s);
}
