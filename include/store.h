/*
 * store: the case store, one browsable folder per submission:
 *
 *   <store>/<campaign>/<category>/<receipt>-<title>/
 *       original.eml  the message as received
 *       case.json     what subgate made of it
 *       <attachments under their (made safe) original names>
 *
 * A case is built in <store>/.tmp/, fsynced, then renamed into place, so
 * staff never see a half-written folder.  The rename happens before the
 * database commit; store_recover() removes case folders whose commit never
 * happened (a crash in between), and the message is then processed again.
 *
 * One subgate at a time works on a store: store_open() takes a lock, in a
 * file beside the store (<store>.lock), so that deleting the store under
 * a running daemon does not drop it.
 * Functions return 0 on success, <0 with *error_r (g_free) on error.
 *
 * Besides the campaign folders the root holds .tmp/ (cases being built),
 * .spool/ (messages being fetched) and, once `subgate fsck --repair` has
 * set something aside, _fsck/; each campaign folder holds _unaccepted/.
 * Staff may keep folders of their own anywhere: only a folder named like
 * a case and holding a case.json is taken for one.
 */
#ifndef SUBGATE_STORE_H
#define SUBGATE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gmime/gmime.h>

#define STORE_TMP_DIR		".tmp"
#define STORE_SPOOL_DIR		".spool"
#define STORE_UNACCEPTED_DIR	"_unaccepted"
#define STORE_FSCK_DIR		"_fsck"

/* store_open(): another subgate process holds the store's lock. */
#define STORE_BUSY		(-2)

struct store;
struct store_case;

/* <0 on error; STORE_BUSY (with *error_r) when another process has it. */
int store_open(const char *dir, struct store **store_r, char **error_r);
void store_close(struct store **store);
/* 0 while the store's root is the directory store_open() opened; <0
 * when it was deleted or replaced since (each cycle asks: nothing is then
 * fetched or written until subgate is restarted on the new store). */
int store_check(const struct store *store, char **error_r);
const char *store_dir(const struct store *store);

/* Whether the folder at path, whose last component is name, is a case
 * folder: named <PREFIX>-<NNNNN>[-title] and holding a case.json. */
bool store_is_case_folder(const char *path, const char *name);

/* Clears what interrupted work left: everything in .tmp/ and .spool/
 * (emptied: the message is still in the mailbox; the folders stay, and
 * may be mount points) and, when walk is true, every case folder (named
 * like one and holding case.json) that is_committed() does not know by
 * its path relative to the store (returns 0): set aside in _fsck/
 * (store_set_aside), never deleted, since a crash's leftover, a
 * database restored from an older copy and a renamed folder all look
 * alike.  is_committed() returns 1 for a case recorded at that path, and
 * STORE_CASE_ELSEWHERE for one whose receipt is recorded at another
 * (moved by hand: left where it is).  *set_aside_r lists "from -> to" for
 * each set aside, *moved_r the folders left where they were moved
 * (g_strfreev, never NULL), for the caller to log.  Nothing under _fsck/
 * is looked at. */
#define STORE_CASE_ELSEWHERE	2
int store_recover(struct store *store, bool walk,
    int (*is_committed)(const char *relpath, void *ctx, char **error_r),
    void *ctx, char ***set_aside_r, char ***moved_r, char **error_r);

/*
 * The clean stop.  Walking every case folder at each start costs what the
 * store holds (a third of a second at 10,000 cases, each `subgate once`
 * from cron).  Only a stop with a case folder in place and its commit not
 * known can leave one to recover, so a stop with none leaves a mark
 * (store_mark_clean) carrying the caller's stamp of the database, taken
 * away before the next case folder is put in place.  The caller walks (store_recover) when
 * there was no mark, or when its stamp is not the database's now (a
 * database restored from an older copy).
 *
 * store_clean_stamp: the mark's stamp found by store_open(), or NULL.
 * store_case_settled: the caller's commit of the folder that the last
 * store_case_commit() put in place is done, or the folder is removed.
 * store_mark_clean: leaves the mark, unless a recovery failed or a folder
 * is unsettled; a stamp is at most 256 bytes.
 */
const char *store_clean_stamp(const struct store *store);
void store_case_settled(struct store *store);
int store_mark_clean(struct store *store, const char *stamp, char **error_r);
/* Removes a committed-to-disk case folder whose database commit failed,
 * or (fsck) a leftover of interrupted work: relpath and all beneath it. */
int store_case_remove(struct store *store, const char *relpath,
    char **error_r);
/* Renames from_rel to to_rel (both relative to the store), creating the
 * folders leading to to_rel; never replaces what is at to_rel, never
 * follows a symbolic link on the way. */
int store_rename(struct store *store, const char *from_rel,
    const char *to_rel, char **error_r);
/* Moves relpath to _fsck/relpath (" (2)" ... when that is taken; a
 * leading dot dropped, so that .tmp/x shows as tmp/x): set aside, never
 * deleted.  *moved_to_r (g_free) is where it went, relative to the store. */
int store_set_aside(struct store *store, const char *relpath,
    char **moved_to_r, char **error_r);

/* A new spool file for a message being fetched; *path_r is g_free'd by the
 * caller, who also closes *fd_r and unlinks the file when done. */
int store_spool_create(struct store *store, int *fd_r, char **path_r,
    char **error_r);
/* Keeps a raw message that made no case (rejected, late ...) under
 * <store>/<campaign>/_unaccepted/<name>.eml, for staff and reprocessing. */
int store_keep_unaccepted(struct store *store, const char *campaign,
    const char *src_path, const char *name, bool spool, char **error_r);
/* Where store_keep_unaccepted put it (g_free). */
char *store_unaccepted_path(const struct store *store, const char *campaign,
    const char *name);

int store_case_begin(struct store *store, const char *campaign,
    const char *category, const char *receipt, const char *title,
    struct store_case **case_r, char **error_r);
/* Directory fd of the case under construction, for writing attachments. */
int store_case_dirfd(const struct store_case *c);
/* A safe, unused file name in the case for the original name (g_free). */
char *store_case_name(struct store_case *c, const char *original,
    const char *fallback);
int store_case_write(struct store_case *c, const char *name, const void *data,
    size_t len, char **error_r);
int store_case_copy(struct store_case *c, const char *name,
    const char *src_path, char **error_r);
/* store_case_copy() of a spool file (store_spool_create()), which the
 * caller unlinks once done: linked into the case rather than copied, where
 * the file system allows.  spool (store_keep_unaccepted) is the same. */
int store_case_adopt(struct store_case *c, const char *name,
    const char *spool_path, char **error_r);
/* The file from_name of another case under construction (from) into
 * this one as name: a hard link where the file system allows, else a
 * copy, so a file shared by the works of one mail is stored once. */
int store_case_link(struct store_case *c, const char *name,
    const struct store_case *from, const char *from_name, char **error_r);
/*
 * Writes all of in, read to its end, to a new file name relative to dirfd
 * (an attachment into store_case_dirfd()): O_CREAT|O_EXCL|O_NOFOLLOW, mode
 * 0640, fsynced before it returns.  *size_r and sha256_hex_r (lower-case
 * hex, NUL-terminated) describe the bytes written.  A read error of in, a
 * failed write or fsync: <0, and the partly written file is removed.  An
 * existing name is an error and is left alone.
 */
int store_write_stream(int dirfd, const char *name, GMimeStream *in,
    uint64_t *size_r, char sha256_hex_r[65], char **error_r);
/* The case folder relative to the store, as it will be after commit. */
const char *store_case_relpath(const struct store_case *c);
/* fsync and rename into place; frees the case. */
int store_case_commit(struct store_case **c, char **error_r);
/* Removes the unfinished case; frees it. */
void store_case_abort(struct store_case **c);

/* Bytes free for subgate on the store's file system. */
uint64_t store_free_bytes(const struct store *store);

/* Writes a whole file durably: temp file, fsync, rename, fsync dir. */
int store_write_file_atomic(const char *path, const void *data, size_t len,
    char **error_r);

#endif
