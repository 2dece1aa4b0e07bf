/*
 * summary: the staff's daily summary of a campaign, by mail to [campaign]
 * staff: what came in since the last summary (or the last 24 hours) by
 * outcome, category and unit; the questions people asked; the roster
 * units that have sent nothing or are below a minimum (unit_minimum.h);
 * and the cloud attachment links to download before they expire, or
 * that expired undownloaded.  One a day at most, per campaign
 * (notice.h records it).
 *
 * Pure: the caller gathers the facts from the database; this writes the
 * text, in the replies' Chinese and without the words of the machinery
 * (no program name, no commands), and the message that goes into the
 * outbox.  Every list is bounded (SUMMARY_LIST_MAX), the rest counted.
 */
#ifndef SUBGATE_SUMMARY_H
#define SUBGATE_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>

/* The outbox kind of a summary, and the prefix of its Message-ID. */
#define SUMMARY_KIND		"summary"
/* Lines of one list of the summary; the rest are counted. */
#define SUMMARY_LIST_MAX	30
/* Characters of a question quoted in the summary. */
#define SUMMARY_QUESTION_CHARS	80
/* A link is listed once it expires within this many hours. */
#define SUMMARY_LINK_HOURS	72

struct summary_count {
	const char *key;		/* outcome, category or unit */
	unsigned n;
};

struct summary_question {
	const char *sender;
	const char *subject;
	const char *text;
	const char *when;		/* as people read it */
};

/* A roster unit staff may chase: nothing sent, or below a minimum. */
struct summary_unit {
	const char *unit;
	const char *why;		/* "尚未报送" / "新媒体作品 至少 1 件，现 0 件" */
};

struct summary_link {
	const char *receipt;
	const char *name;		/* NULL: none given */
	const char *provider;		/* as people call it: QQ邮箱 */
	const char *expires;		/* as people read it */
	bool expired;
};

struct summary {
	const char *campaign_name;
	const char *day;		/* "8月24日" */
	const char *since;		/* the period, as people read it */
	const char *until;
	bool since_last;		/* since the last summary, not 24 h */
	const char *deadline;		/* "8月31日24时", NULL: none, or past */
	const struct summary_count *outcomes;	/* outcome names */
	size_t noutcomes;
	const struct summary_count *categories;
	size_t ncategories;
	const struct summary_count *units;
	size_t nunits;
	bool by_unit;			/* units, else senders */
	const struct summary_question *questions;
	size_t nquestions;
	const struct summary_unit *pending;
	size_t npending;
	size_t roster_units;		/* of the roster, for "N of M" */
	const struct summary_link *links;
	size_t nlinks;
};

/* The outcome as staff read it: "accepted" -> "已登记". */
const char *summary_outcome_label(const char *outcome);
/* The subject and the text of the summary (g_free each). */
char *summary_subject(const struct summary *s);
char *summary_text(const struct summary *s);

struct summary_mail {
	const char *from;		/* our address */
	const char *from_name;		/* may be NULL */
	const char *staff;		/* [campaign] staff */
	const char *subject;
	const char *text;
	const char *token;		/* unique per summary, for Message-ID */
};
/* 0 and the message (CRLF) in *data_r and its Message-ID (without <>) in
 * *message_id_r, both g_free; <0 with *error_r. */
int summary_compose(const struct summary_mail *m, char **data_r,
    size_t *len_r, char **message_id_r, char **error_r);

#endif
