/*
 * replygist: what a reply of ours told its recipient, in a few lines, for
 * staff who look at a mail that made no case: the reason of a refusal
 * (the text after "原因："), the problems of a correction (the lines after
 * "问题："), else the reply's first lines past the greeting and the lines
 * that only repeat what arrived (收到时间, 邮件主题).
 *
 * After "原因：" or "问题：" the gist is that paragraph, up to the first
 * blank line (the footer follows it).
 *
 * Pure: text in, text out.  Lines are trimmed (full-width spaces too),
 * empty ones dropped.
 */
#ifndef SUBGATE_REPLYGIST_H
#define SUBGATE_REPLYGIST_H

#include <stddef.h>

/* Lines of a reply's gist shown by the staff views. */
#define REPLYGIST_LINES		3

/* At most max_lines lines of body (a reply's decoded text/plain), joined
 * by '\n'; "" when there is nothing to say.  g_free. */
char *replygist_lines(const char *body, size_t max_lines);

#endif
