/*
 * cases-private.h: what `cases list|show` (cases.c) take from
 * cases_mail.c, the views of mail that made no case: the table and JSON
 * lines of `cases list --all`, and `cases show 查询码`.
 */
#ifndef SUBGATE_CASES_PRIVATE_H
#define SUBGATE_CASES_PRIVATE_H

#include <stdbool.h>

#include <glib.h>

struct cli_state;
struct db_case_query;

/* The mail of q's campaign that made no case, filtered as q filters
 * cases where that means something for a mail (unit: its sender or a
 * work's unit; category: a work's; status: its outcome; since); none
 * when q names a receipt, a batch or receipt numbers.  <0: told why. */
int cases_mail_load(struct cli_state *s, const struct db_case_query *q,
    GPtrArray **mail_r);
/* The mail (struct mail_record *) as a table under a heading. */
void cases_mail_print_table(const struct cli_state *s, GPtrArray *mail);
/* One JSON line each, "mail": true. */
void cases_mail_print_json(const struct cli_state *s, GPtrArray *mail);
/* `cases show 查询码`: every recorded mail with that code (a sysexits
 * status; EX_DATAERR when none). */
int cases_mail_show(struct cli_state *s, const char *code, bool json);

#endif
