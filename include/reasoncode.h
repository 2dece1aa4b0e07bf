/*
 * reasoncode: why a mail or a work was not filed, as a short code that
 * staff can count and a label they read ("late" -> "不在征集时间内").
 *
 * The policies of judge.h decide; each refusal carries the code of what
 * decided it: the policy ("late", "too-large", "infected"), the quota it
 * hit ("quota-unit", "quota-unit-category", "quota-submitter"), or, when
 * the mail plan refused it, the plan's first refusing problem ("no-work",
 * "type", "companion-missing", "media-duration" ...: mailplan.h, without
 * the ":报名表" that names the kind).  The codes are recorded with the
 * message and its works; a row recorded before codes were is given one
 * by reasoncode_guess() from what it does record.
 *
 * Also here, for the staff views of mail that made no case: why a mail
 * got no reply (reasoncode_unanswered()).
 *
 * Pure: no I/O.  Every code returned is a static or interned string
 * (g_intern_string), never to be freed.
 */
#ifndef SUBGATE_REASONCODE_H
#define SUBGATE_REASONCODE_H

#include <stdbool.h>

struct mailplan;

/* reasoncode_for_plan(): the first refusing problem of any work or of
 * the mail itself. */
#define REASONCODE_ANY_WORK	(-2)

/* The Chinese label of a code; a code without one gets "其他（CODE）"
 * (g_free). */
char *reasoncode_label(const char *code);
/* Whether a code is in the label table. */
bool reasoncode_known(const char *code);
/* The code of the plan's first refusing problem about work (-1: the
 * mail's own, REASONCODE_ANY_WORK: any), its ":kind" dropped; "naming"
 * when the plan is NULL or refuses nothing there. */
const char *reasoncode_for_plan(const struct mailplan *plan, int work);
/* The code of a refusal recorded without one: by the policy that decided
 * (message_works keep it; NULL for a messages row), else by the outcome
 * and the reason's words. */
const char *reasoncode_guess(const char *outcome, const char *policy,
    const char *reason);
/* Why a mail of this outcome (outcome_name()) and reason got no reply, in
 * Chinese for staff: an automatic mail (the loop guard), a question
 * acknowledged lately (the limit on acknowledgements), a repeated
 * delivery, a mail that could not be read, or no address to answer.
 * g_free. */
char *reasoncode_unanswered(const char *outcome, const char *reason,
    const char *sender);

#endif
