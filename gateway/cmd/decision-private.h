/*
 * decision-private.h: what `cases accept|reject|refuse` (decision.c) and
 * `cases confirm` (confirm.c) share: who decides, the decision mail, and
 * the unit a sender decision is about.
 */
#ifndef SUBGATE_DECISION_PRIVATE_H
#define SUBGATE_DECISION_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include <json-glib/json-glib.h>

#include "reply.h"

struct campaign;
struct case_record;
struct cli_state;
struct db_case_review;

/* A decision mail, composed before the decision's transaction and
 * queued inside it. */
struct decision_mail {
	enum reply_kind kind;
	char *to;
	char *data;
	size_t len;
	char *message_id;
};

/* Who made a decision: the login name, else what the environment says
 * (g_free). */
char *cases_reviewer(void);
void decision_mail_clear(struct decision_mail *m);
/* What a decision mail says beyond the one case's decision (NULL:
 * nothing): the works it decided together (confirm), what it does
 * beyond them (reply.notice), and whether the sender was refused for its
 * unit (no resubmission offered). */
struct decision_about {
	const struct reply_work *works;
	size_t work_count;
	const char *notice;
	bool sender_refused;
};

/* The mail telling the submitter of decision r on case c: 0, or <0 and
 * *error_r (the case has no address subgate may write to). */
int decision_mail_compose(struct cli_state *s, const struct campaign *campaign,
    const struct case_record *c, const struct db_case_review *r,
    JsonObject *changes, const struct decision_about *about,
    struct decision_mail *m, char **error_r);
/* EX_OK when c names a unit and a sender, else EX_DATAERR, said. */
int decision_unit_of(const struct case_record *c);

#endif
