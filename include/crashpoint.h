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
 *   mid-case           a case is half written in the store's .tmp
 *   after-case-rename  the case folder is in place, the database not told
 *   after-commit       the database committed, no reply sent
 *   mid-smtp           a reply marked sending is in its SMTP transaction
 *                      (DATA begun, the final dot not sent)
 *   after-smtp         the server accepted a reply, not yet marked sent
 */
#ifndef SUBGATE_CRASHPOINT_H
#define SUBGATE_CRASHPOINT_H

#include <stdbool.h>

void crashpoint(const char *name);

/*
 * Fault injection for the same tests: true when SUBGATE_TEST_FAIL_POINT
 * names this point, and the caller then fails as if its environment had
 * (for example "ingest": the message cannot be processed).
 */
bool failpoint(const char *name);

#endif
