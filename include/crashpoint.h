/*
 * crashpoint: named places where the crash-safety tests kill subgate.
 *
 * When the environment variable SUBGATE_TEST_CRASH_POINT names a point,
 * reaching it sends SIGKILL to the process: no cleanup, no flush, exactly
 * like a power cut or the OOM killer.  Unset (always, in production), a
 * crash point costs one getenv on first use.
 *
 * Points, in pipeline order:
 *   after-spool        a message is in the spool file, nothing judged
 *   after-quarantine   an infected mail's files and the mail are in the
 *                      quarantine, the database not told
 *   mid-case           a case is half written in the store's .tmp
 *   after-case-rename  the case folder is in place, the database not told
 *   after-commit       the database committed, no reply sent
 *   mid-smtp           a reply marked sending is in its SMTP transaction
 *                      (DATA begun, the final dot not sent)
 *   after-smtp         the server accepted a reply, not yet marked sent
 *   after-link-rename  a fetched cloud attachment is in its case folder,
 *                      neither case.json nor the database told
 */
#ifndef SUBGATE_CRASHPOINT_H
#define SUBGATE_CRASHPOINT_H

#include <stdbool.h>

void crashpoint(const char *name);

/*
 * Fault injection for the same tests: true when SUBGATE_TEST_FAIL_POINT
 * names this point, and the caller then fails there.  "ingest" alone: the
 * message cannot be processed, for a reason of its own (errno is 0);
 * "ingest:EIO" (or ENOSPC, EDQUOT, EROFS, EACCES, EPERM, ENOMEM, EINVAL):
 * as if a system call had failed with that errno, which errno then holds,
 * for the faults a test cannot make a real disk produce.  Several points
 * are armed at once separated by commas ("ingest:EIO,forgive:EIO").
 *
 * Fail points: ingest (ingest_message() fails before it reads the
 * message), forgive (the database refuses to take back an attempt),
 * inspect-child (the inspecting child aborts, as on a decoder's bug),
 * link-write (a cloud attachment's bytes cannot be written).
 */
bool failpoint(const char *name);

#endif
