/*
 * fault: whose failure an error is: the environment's, or the mail's.
 *
 * A disk that is full, read-only or refuses subgate (ENOSPC, EDQUOT,
 * EROFS, EACCES, EPERM), an I/O error, a database that is busy, locked,
 * full, read-only or cannot be opened says nothing about the message being
 * processed.  Such a failure must never count as an attempt against it (a
 * good submission would end `failed` after a few of them, unanswered):
 * intake pauses and resumes by itself once the fault clears.  Any other
 * failure is counted against the message, so that one message can never
 * block its folder for good (LIMIT_MESSAGE_ATTEMPTS, then quarantine).
 *
 * The classification travels with the error as the return code: a
 * function that can tell returns FAULT_ENVIRONMENT instead of -1, its
 * reason in *error_r as usual.  Both are <0, so a caller that only asks
 * "did it fail" need not care; one that passes the error up returns the
 * code it got, not -1.  The value stays clear of the other special codes
 * (IMAP_REFUSED).
 */
#ifndef SUBGATE_FAULT_H
#define SUBGATE_FAULT_H

#define FAULT_ENVIRONMENT	(-3)

/* FAULT_ENVIRONMENT when errno value err is the environment's (the ones
 * above, and running out of memory, file descriptors, locks or a network
 * file system), else -1. */
int fault_errno(int err);

#endif
