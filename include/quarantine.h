/*
 * quarantine: the files the virus scanner found infected, and the mails
 * that carried them, kept where staff do not browse: a directory outside
 * the store ([clamd] quarantine in subgate.conf(5); by default beside the
 * database), mode 0700.  No byte of an infected file is ever written
 * under the store: the mail that carries it is not kept among the
 * unaccepted either.
 *
 * Layout: <dir>/<campaign>/<YYYY-MM>/<sha256> for a file, and
 * <sha256>.eml for a whole mail, each named by its own SHA-256.  A file
 * is written under a temporary name, fsynced, renamed into place and
 * the directory fsynced, so a crash leaves a whole file or none; a mail
 * processed again after a crash before its commit writes the same bytes
 * under the same names, so nothing is lost and nothing kept twice.  The
 * database row (db_quarantine_add, in the mail's transaction) is what
 * makes a quarantined file known.
 *
 * Every failure here is the environment's (FAULT_ENVIRONMENT): a mail
 * that cannot be quarantined waits, it is never filed instead.
 */
#ifndef SUBGATE_QUARANTINE_H
#define SUBGATE_QUARANTINE_H

#include <gmime/gmime.h>

struct quarantine;

/* The month's directory of a campaign under dir (created 0700), which
 * must be neither the store (store_dir) nor inside it nor hold it. */
int quarantine_open(const char *dir, const char *store_dir,
    const char *campaign, const char *month, struct quarantine **q_r,
    char **error_r);
/* in, to its end, as <sha256><suffix>: *relpath_r (g_free) relative to
 * dir, sha_r its SHA-256. */
int quarantine_put(struct quarantine *q, GMimeStream *in, const char *suffix,
    char sha_r[65], char **relpath_r, char **error_r);
/* The directory fsynced, so the names written are there after a crash;
 * error_r NULL (after a failure): only closed. */
int quarantine_close(struct quarantine **q, char **error_r);

#endif
