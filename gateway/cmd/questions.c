/*
 * questions: people's questions, for staff (question.h).  `subgate
 * questions list` prints one line per question: its number, when, the
 * campaign, open or done, the sender, what it answers (receipt or 查询码),
 * where it was forwarded ("-": kept for staff only), the subject and the
 * start of its text; `questions done ID` marks one answered.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <glib.h>

#include "cli.h"
#include "config.h"
#include "db.h"
#include "htmlindex.h"
#include "json.h"
#include "reply.h"
#include "decision-private.h"

static const char questions_usage[] =
"usage: subgate questions list -c CONFIG [--campaign ID] [--json] [--open]\n"
"       subgate questions done -c CONFIG ID\n"
"                              [--store DIR] [--database FILE]\n"
"\n"
"People who answered a receipt or a correction with a question instead of\n"
"files, oldest first: number, time, campaign, state (open, done), sender,\n"
"the receipt or 查询码 answered, the staff address it was forwarded to (-:\n"
"kept here only), subject and text.  --open: only those not yet done.\n"
"done marks one answered, with who and when.\n";

/* Characters of a question's text on its line. */
#define QUESTIONS_LINE_TEXT_CHARS	60

struct questions_out {
	bool json;
};

static void
questions_json(const struct db_question *q)
{
	GString *j = g_string_new("{");

	json_append_key(j, "id", 1);
	g_string_append_printf(j, "%lld", (long long)q->id);
#define QJ(key, v) json_append_key(j, key, 0); json_append_string(j, v)
	QJ("created_at", q->created_at);
	QJ("campaign", q->campaign);
	QJ("state", q->state);
	QJ("sender", q->sender);
	QJ("answers", q->answers);
	QJ("forwarded_to", q->forwarded_to);
	json_append_key(j, "acknowledged", 0);
	g_string_append(j, q->acknowledged ? "true" : "false");
	QJ("received_at", q->received_at);
	QJ("subject", q->subject);
	QJ("text", q->body);
	QJ("done_by", q->done_by);
	QJ("done_at", q->done_at);
#undef QJ
	g_string_append_c(j, '}');
	puts(j->str);
	g_string_free(j, TRUE);
}

static int
questions_row(const struct db_question *q, void *ctx)
{
	struct questions_out *out = ctx;
	g_autofree char *subject = NULL, *text = NULL, *cut = NULL;

	if (out->json) {
		questions_json(q);
		return 0;
	}
	subject = cli_cell(q->subject ? q->subject : "");
	cut = reply_clip(q->body ? q->body : "", QUESTIONS_LINE_TEXT_CHARS);
	text = cli_cell(cut);
	printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", (long long)q->id,
	    q->created_at, q->campaign, q->state, q->sender,
	    q->answers ? q->answers : "-",
	    q->forwarded_to ? q->forwarded_to : "-", subject, text);
	return 0;
}

static int
questions_done(struct cli_state *s, const char *arg)
{
	g_autofree char *error = NULL, *who = cases_reviewer();
	char *end;
	long long id = strtoll(arg, &end, 10);
	size_t i;
	int r;

	if (*arg == '\0' || *end != '\0' || id <= 0) {
		fprintf(stderr, "subgate questions done: \"%s\" is not a "
		    "question number\n", arg);
		return EX_USAGE;
	}
	if ((r = db_question_done(s->db, id, who, &error)) < 0) {
		fprintf(stderr, "subgate: %s\n", error);
		return EX_TEMPFAIL;
	}
	if (r == 0) {
		fprintf(stderr, "subgate questions done: no question %lld\n", id);
		return EX_DATAERR;
	}
	printf("question %lld done (%s)\n", id, who);
	/* The index lists the open ones. */
	for (i = 0; i < s->config->campaign_count; i++)
		htmlindex_refresh(s->config->store_dir, s->db,
		    s->config->campaigns[i]);
	return EX_OK;
}

int
cmd_questions(int argc, char **argv)
{
	struct cli_staff_opts o = { 0 };
	struct cli_state s = { 0 };
	struct questions_out out = { 0 };
	g_autofree char *error = NULL;
	g_autofree char **args = g_new0(char *, (size_t)argc + 1);
	bool open_only = false, list;
	int first, n = 0, i, ret = EX_OK;

	if (argc < 2 || (strcmp(argv[1], "list") != 0 &&
	    strcmp(argv[1], "done") != 0)) {
		bool help = argc >= 2 && (strcmp(argv[1], "-h") == 0 ||
		    strcmp(argv[1], "--help") == 0);

		fputs(questions_usage, help ? stdout : stderr);
		return help ? EX_OK : EX_USAGE;
	}
	list = strcmp(argv[1], "list") == 0;
	/* --open is this command's own; the rest are the staff options. */
	for (i = 1; i < argc; i++)
		if (list && strcmp(argv[i], "--open") == 0)
			open_only = true;
		else
			args[n++] = argv[i];
	if ((first = cli_staff_parse_opts(n, args, &o)) < 0)
		return first == -2 ? EX_OK : EX_USAGE;
	if (first + (list ? 0 : 1) != n) {
		fputs(questions_usage, stderr);
		return EX_USAGE;
	}
	if (cli_open(o.config, o.store, o.database, &s, &ret) < 0)
		return ret;
	if (!list) {
		ret = questions_done(&s, args[first]);
		cli_close(&s);
		return ret;
	}
	out.json = o.json;
	if (db_question_list(s.db, o.q.campaign, open_only, questions_row, &out,
	    &error) < 0) {
		fprintf(stderr, "subgate: %s\n", error);
		ret = EX_TEMPFAIL;
	}
	cli_close(&s);
	return ret;
}
