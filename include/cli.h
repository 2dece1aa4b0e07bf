/*
 * cli: the command line's shared pieces, and each command's entry point.
 *
 * The commands live in gateway/cmd/, one file per command (or family),
 * and are dispatched by main.c's command table.  They call the daemon's
 * stages (ingest, poll, case_record, db, ...); no stage calls back into
 * the command line.  Every entry point takes argv with argv[0] the
 * command's name and returns an exit status (sysexits.h; parse-subject
 * has its own 0/1/2).  Usage and errors go to stderr, results to stdout.
 */
#ifndef SUBGATE_CLI_H
#define SUBGATE_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include <glib.h>

#include "db.h"

struct campaign;
struct case_record;
struct config;
struct ingest;
struct store;

/* Most --set options on one decision. */
#define CLI_MAX_SETS		16

/* Options of once, run, ingest, reprocess, check-config, parse-subject. */
struct cli_opts {
	const char *config;
	const char *campaign;
	const char *store;
	const char *database;
	bool json;
	bool file_name;
	const char *arrival;
	const char *maildir;
	const char *status;
	bool split;			/* reprocess --split */
	bool clamd;			/* check-config --clamd */
	bool verbose;
};

/* Parses options after the command name (argv[0]); returns the index of
 * the first operand, or -1 after printing usage (help: -2). */
int cli_parse_opts(int argc, char **argv, struct cli_opts *o);
/* The usage of the command named cmd, or the general one. */
const char *cli_command_usage(const char *cmd);
extern const char cli_usage[];

/* Options of the staff commands: cases ... and stats. */
struct cli_staff_opts {
	const char *config;
	const char *store;
	const char *database;
	const char *format;
	const char *layout;		/* export --layout */
	const char *output;
	const char *reason;
	const char *sets[CLI_MAX_SETS];
	size_t nsets;
	struct db_case_query q;
	char since[20];			/* normalised --since */
	bool json;
	bool notify;			/* decisions: mail the submitter */
	bool all;			/* list: the works not filed too */
};
int cli_staff_parse_opts(int argc, char **argv, struct cli_staff_opts *o);
extern const char cli_staff_usage[];

/* The configuration and the database, for the staff commands. */
struct cli_state {
	struct config *config;
	struct db *db;
};
/* <0: the exit status is in *ret_r, the user was told why. */
int cli_open(const char *config, const char *store, const char *database,
    struct cli_state *s, int *ret_r);
void cli_close(struct cli_state *s);
/* case_records_load(), the error told to the user; <0 on failure. */
int cli_load_cases(struct cli_state *s, const struct db_case_query *q,
    GPtrArray **cases_r);
/* The case with this receipt: EX_OK, or the exit status after telling the
 * user why (*cases_r is then NULL); *c_r lives in *cases_r. */
int cli_load_case(struct cli_state *s, const char *receipt,
    GPtrArray **cases_r, struct case_record **c_r);
/*
 * The case with this receipt, and the campaign it belongs to.  EX_OK, or
 * the exit status after telling the user why (*cases_r is then NULL);
 * *c_r lives in *cases_r, which the caller unrefs.
 */
int cli_find_case(struct cli_state *s, const char *receipt,
    GPtrArray **cases_r, struct case_record **c_r,
    const struct campaign **campaign_r);
struct ingest_result;
/* "FILE<TAB>OUTCOME<TAB>RECEIPT|-<TAB>REASON", the reason joined onto one
 * line: what ingest and reprocess print per message. */
void cli_print_result(const char *file, const struct ingest_result *res);
/* The text of a cell for a terminal: one line, no control characters
 * (g_free). */
char *cli_cell(const char *s);

/* The pipeline's state for once, run, ingest and reprocess: the store
 * (locked, recovered after an interrupted run), the database and the
 * ingest stage.  <0 after logging why; close whatever was opened. */
int cli_open_pipeline(const struct config *config, struct store **store_r,
    struct db **db_r, struct ingest **ingest_r);
void cli_close_pipeline(struct store **store, struct db **db,
    struct ingest **ingest);

/*
 * Staff decisions (decision.c), shared by `cases accept|reject|confirm|
 * refuse` and `reprocess RECEIPT`: a case's corrected fields and the
 * review recorded in the database and case.json in one transaction.
 */
struct db_case_review;
typedef struct _JsonObject JsonObject;
void decision_set_fields(const struct campaign *campaign,
    const struct case_record *c, JsonObject *changes,
    struct db_case_review *r, char **changes_json_r, char **fields_json_r);
struct decision_mail;
struct db_unit_sender;
int decision_commit(struct cli_state *s, const struct case_record *c,
    const struct db_case_review *r, JsonObject *changes,
    const struct decision_mail *mail, const struct db_unit_sender *sender,
    char **error_r);
/* `cases accept|reject|refuse` */
int decision_run(struct cli_state *s, const struct cli_staff_opts *o,
    const char *action, const char *receipt);
/* `cases confirm`: the case's sender speaks for its unit; the unit's
 * pending cases from that mailbox are accepted while they fit. */
int decision_confirm(struct cli_state *s, const struct cli_staff_opts *o,
    const char *receipt);

/* The commands. */
int cmd_once(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
int cmd_reprocess(int argc, char **argv);
int cmd_check_config(int argc, char **argv);
int cmd_parse_subject(int argc, char **argv);
int cmd_outbox(int argc, char **argv);
int cmd_cases(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_quarantine(int argc, char **argv);
int cmd_links(int argc, char **argv);
int cmd_questions(int argc, char **argv);
int cmd_remind(int argc, char **argv);
int cmd_summary(int argc, char **argv);
int cmd_fsck(int argc, char **argv);
int cmd_inspect(int argc, char **argv);

#endif
