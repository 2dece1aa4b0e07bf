/*
 * fsck's own pieces, shared by fsck.c (the run, the database and the
 * outbox) and fsck_store.c (the folders and files of the store).
 */
#ifndef SUBGATE_FSCK_PRIVATE_H
#define SUBGATE_FSCK_PRIVATE_H

#include <stdbool.h>

#include <glib.h>

#include "fsck.h"

/* A case row as fsck needs it. */
struct fsck_row {
	char *receipt;
	char *dir;		/* relative to the store */
	char *status;
	bool found_elsewhere;	/* its folder turned up away from dir */
};

struct fsck {
	struct store *store;
	struct db *db;
	const char *root;		/* the store's directory */
	bool repair;
	bool sender_held;		/* no other process is sending */
	fsck_report_fn *report;
	void *ctx;
	struct fsck_totals totals;
	GPtrArray *rows;		/* struct fsck_row * */
	GHashTable *by_dir;		/* dir -> struct fsck_row * */
	GHashTable *by_receipt;		/* receipt -> struct fsck_row * */
};

/* Reports one finding and counts it. */
void fsck_found(struct fsck *f, enum fsck_kind kind, const char *receipt,
    const char *path, const char *problem, enum fsck_repair repair,
    const char *action);
/* fsck_found() for a repair that was tried: ret <0 failed (why: error),
 * else it did what done says. */
void fsck_repaired(struct fsck *f, enum fsck_kind kind, const char *receipt,
    const char *path, const char *problem, int ret, const char *done,
    const char *error);

/* Whether <store>/rel is a directory (not a link to one). */
bool fsck_is_dir(const struct fsck *f, const char *rel);

/* The store's folders: campaign, category and case folders, then .tmp/ and
 * .spool/.  Marks the rows whose folder turned up elsewhere. */
int fsck_store_walk(struct fsck *f, char **error_r);
/* A recorded case's folder: case.json, the files it lists, the rest. */
int fsck_case_contents(struct fsck *f, const struct fsck_row *row,
    char **error_r);

#endif
