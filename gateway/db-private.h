/*
 * db-private.h: what the files of the db module share (db.c: opening,
 * migrations and the query helpers; db_message.c: folders, messages,
 * attempts and the cases ingest makes; db_staff.c: what staff commands and
 * fsck read; db_outbox.c: the replies, the sender lock and the circuit
 * breaker).  Nothing outside gateway/db*.c includes it.
 *
 * The helpers: each prepares, binds (the types string of db_prepare_bindv
 * in db.c: 's' text, 'i' int64_t, 'u' unsigned, 'b' blob and length),
 * steps and finalizes, and hands out an error with what was being done.
 * A SQLite failure the environment causes returns FAULT_ENVIRONMENT
 * (db_fault), any other -1.
 */
#ifndef SUBGATE_DB_PRIVATE_H
#define SUBGATE_DB_PRIVATE_H

#include <stdint.h>

#include <sqlite3.h>

struct db {
	sqlite3 *sqlite;
	char *path;
	int sender_fd;		/* the sender lock while held, else -1 */
};

int db_fault(int rc);
int db_error(struct db *db, const char *what, char **error_r);
/* The end of a walk over st's rows, `while ((rc = sqlite3_step(st)) ==
 * SQLITE_ROW)` left by a break when a row's callback failed: finalizes
 * st; 0 when every row was read; -1 with *error_r (the callback's, else
 * stopped) after a break; db_error(what) when a step failed. */
int db_walk_end(struct db *db, sqlite3_stmt *st, int rc, const char *what,
    const char *stopped, char **error_r);
int db_exec(struct db *db, const char *sql, char **error_r);
int db_prepare(struct db *db, const char *sql, sqlite3_stmt **st_r,
    char **error_r);
void db_bind_text(sqlite3_stmt *st, int i, const char *v);
int db_step_done(struct db *db, sqlite3_stmt *st, const char *what,
    char **error_r);
int db_prepare_bind(struct db *db, sqlite3_stmt **st_r, char **error_r,
    const char *sql, const char *types, ...);
int db_run(struct db *db, const char *what, char **error_r, const char *sql,
    const char *types, ...);
int db_query_exists(struct db *db, const char *what, char **error_r,
    const char *sql, const char *types, ...);
int db_query_int64(struct db *db, const char *what, int64_t *v_r,
    char **error_r, const char *sql, const char *types, ...);
char *db_column_dup(sqlite3_stmt *st, int i);

#endif
