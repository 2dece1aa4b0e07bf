/*
 * db_links: the cloud attachment links filed with cases (case_links), as
 * the fetcher (linkfetch.h) and the staff commands read and settle them.
 * See include/db.h.
 */
#include <string.h>

#include <glib.h>
#include <sqlite3.h>

#include "db.h"
#include "db-private.h"

/* The columns db_link_from_row() reads, in its order. */
#define LINK_COLUMNS \
	"l.receipt, l.pos, l.provider, l.url, l.name, COALESCE(l.size, 0)," \
	" l.expires_at, l.pass_code, l.role, l.kind, l.state," \
	" l.fetched_bytes, l.sha256, l.saved_as, l.attempts," \
	" l.next_attempt_at, l.last_error, l.warned_at, c.campaign, c.dir," \
	" c.category, c.title, c.status, m.message_id, c.sender"
#define LINK_FROM \
	" FROM case_links l JOIN cases c ON c.receipt = l.receipt" \
	" LEFT JOIN messages m ON m.id = c.message_row"

static void
db_link_from_row(sqlite3_stmt *st, struct db_link *l)
{
	l->receipt = db_column_dup(st, 0);
	l->pos = (unsigned)sqlite3_column_int64(st, 1);
	l->provider = db_column_dup(st, 2);
	l->url = db_column_dup(st, 3);
	l->name = db_column_dup(st, 4);
	l->size = (uint64_t)sqlite3_column_int64(st, 5);
	l->expires_at = db_column_dup(st, 6);
	l->pass_code = db_column_dup(st, 7);
	l->role = db_column_dup(st, 8);
	l->kind = db_column_dup(st, 9);
	l->state = db_column_dup(st, 10);
	l->fetched_bytes = (uint64_t)sqlite3_column_int64(st, 11);
	l->sha256 = db_column_dup(st, 12);
	l->saved_as = db_column_dup(st, 13);
	l->attempts = (unsigned)sqlite3_column_int64(st, 14);
	l->next_attempt_at = sqlite3_column_int64(st, 15);
	l->last_error = db_column_dup(st, 16);
	l->warned_at = db_column_dup(st, 17);
	l->campaign = db_column_dup(st, 18);
	l->dir = db_column_dup(st, 19);
	l->category = db_column_dup(st, 20);
	l->title = db_column_dup(st, 21);
	l->case_status = db_column_dup(st, 22);
	l->message_id = db_column_dup(st, 23);
	l->sender = db_column_dup(st, 24);
}

void
db_link_clear(struct db_link *l)
{
	char **s[] = { &l->receipt, &l->provider, &l->url, &l->name,
		&l->expires_at, &l->pass_code, &l->role, &l->kind, &l->state,
		&l->sha256, &l->saved_as, &l->last_error, &l->warned_at,
		&l->campaign, &l->dir, &l->category, &l->title,
		&l->case_status, &l->message_id, &l->sender };
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(s); i++)
		g_clear_pointer(s[i], g_free);
	memset(l, 0, sizeof(*l));
}

void
db_links_free(struct db_link *links, size_t n)
{
	size_t i;

	for (i = 0; links != NULL && i < n; i++)
		db_link_clear(&links[i]);
	g_free(links);
}

/* Every row st yields, into a new array. */
static int
db_links_collect(struct db *db, sqlite3_stmt *st, const char *what,
    struct db_link **links_r, size_t *n_r, char **error_r)
{
	GArray *a = g_array_new(FALSE, TRUE, sizeof(struct db_link));
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_link l;

		db_link_from_row(st, &l);
		g_array_append_val(a, l);
	}
	*n_r = a->len;
	*links_r = (struct db_link *)g_array_free(a, FALSE);
	rc = db_walk_end(db, st, rc, what, NULL, error_r);
	if (rc < 0) {
		db_links_free(*links_r, *n_r);
		*links_r = NULL;
		*n_r = 0;
	}
	return rc;
}

int
db_links_due(struct db *db, int64_t now, struct db_link **links_r,
    size_t *n_r, char **error_r)
{
	sqlite3_stmt *st;

	/* A case staff superseded or rejected needs its file no more. */
	if (db_prepare_bind(db, &st, error_r, "SELECT " LINK_COLUMNS LINK_FROM
	    " WHERE l.state IN ('pending', 'failed', 'fetching')"
	    " AND l.next_attempt_at <= ?"
	    " AND c.status NOT IN ('superseded', 'rejected')"
	    " ORDER BY l.next_attempt_at, l.receipt, l.pos", "i", now) < 0)
		return -1;
	return db_links_collect(db, st, "links due", links_r, n_r, error_r);
}

int
db_links_list(struct db *db, const char *campaign, const char *receipt,
    const char *expiring_before, struct db_link **links_r, size_t *n_r,
    char **error_r)
{
	sqlite3_stmt *st;

	if (db_prepare_bind(db, &st, error_r, "SELECT " LINK_COLUMNS LINK_FROM
	    " WHERE (?1 IS NULL OR c.campaign = ?1)"
	    " AND (?2 IS NULL OR l.receipt = ?2)"
	    " AND (?3 IS NULL OR (l.state IN ('pending', 'failed', 'fetching',"
	    "  'not-fetched') AND l.expires_at IS NOT NULL"
	    "  AND l.expires_at < ?3))"
	    " ORDER BY l.receipt, l.pos", "sss", campaign, receipt,
	    expiring_before) < 0)
		return -1;
	return db_links_collect(db, st, "links", links_r, n_r, error_r);
}

int
db_link_claim(struct db *db, const char *receipt, unsigned pos,
    char **error_r)
{
	return db_run(db, "claim link", error_r, "UPDATE case_links SET"
	    " state = 'fetching' WHERE receipt = ? AND pos = ?", "su",
	    receipt, pos);
}

int
db_link_settle(struct db *db, const struct db_link_update *u,
    char **error_r)
{
	return db_run(db, "settle link", error_r, "UPDATE case_links SET"
	    " state = ?, fetched_bytes = ?, attempts = ?, next_attempt_at = ?,"
	    " last_error = ?, sha256 = COALESCE(?, sha256),"
	    " saved_as = COALESCE(?, saved_as)"
	    " WHERE receipt = ? AND pos = ?", "siuissssu", u->state,
	    (int64_t)u->fetched_bytes, u->attempts, u->next_attempt_at,
	    u->last_error, u->sha256, u->saved_as, u->receipt, u->pos);
}

int
db_link_due_now(struct db *db, const char *receipt, unsigned pos,
    char **error_r)
{
	/* A link staff ask for again gets its attempts back too. */
	return db_run(db, "link due now", error_r, "UPDATE case_links SET"
	    " next_attempt_at = 0, attempts = 0,"
	    " state = CASE WHEN state IN ('failed', 'not-fetched', 'expired')"
	    "  THEN 'failed' ELSE state END"
	    " WHERE receipt = ? AND (? = 0 OR pos = ?)"
	    " AND state NOT IN ('fetched', 'manual', 'infected')",
	    "suu", receipt, pos, pos);
}

int
db_link_set_warned(struct db *db, const char *receipt, unsigned pos,
    char **error_r)
{
	return db_run(db, "link warned", error_r, "UPDATE case_links SET"
	    " warned_at = strftime('%Y-%m-%dT%H:%M:%SZ','now')"
	    " WHERE receipt = ? AND pos = ?", "su", receipt, pos);
}

int
db_link_saved_state(struct db *db, const char *receipt, const char *name,
    char **state_r, char **error_r)
{
	sqlite3_stmt *st;
	int rc;

	*state_r = NULL;
	if (db_prepare_bind(db, &st, error_r, "SELECT state FROM case_links"
	    " WHERE receipt = ? AND saved_as = ?", "ss", receipt, name) < 0)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*state_r = db_column_dup(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(db, "link by file", error_r);
	return rc == SQLITE_ROW;
}
