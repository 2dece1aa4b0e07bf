/*
 * htmlindex: <store>/<campaign>/index.html, the page staff open from the
 * shared folder: every case in a table they can sort (click a header) and
 * filter (type in the box), its status, links to the case folder and to
 * each attachment, and the counts per unit and category, against the
 * quotas where the campaign sets them.  A work a mail carried and did not
 * file (the third over a quota) is a row after the mail's last case, with
 * the mail's first receipt (同一邮件) and why.  Mail that made no case at
 * all (late, refused, over a quota, a question, an automatic reply) has
 * a table of its own on index.html, with the 查询码 its reply gave and
 * what the sender was told.
 *
 * The page stands alone: inline CSS and script, no fonts, images or
 * scripts from anywhere, and a Content-Security-Policy that forbids
 * loading any.  Links are relative, with every path segment
 * percent-encoded, so the folder can be copied or shared as it is.
 * Everything that came from mail is HTML-escaped.
 *
 * A campaign of more than HTMLINDEX_PAGE_CASES (500) cases is shown in
 * pages: index.html holds the counts (from the database's own counts) and
 * the list of pages, index-0001.html ... 500 cases each by receipt
 * number.  Each page carries a fingerprint of what it shows (the
 * database's hash of its rows, where its numbering starts, the campaign's
 * name and deadline, whether a page follows), so that a refresh rewrites
 * only the pages whose rows changed: a new case touches the last page,
 * and a cycle costs the same in a full campaign as in an empty one.
 * Every file is replaced atomically.
 */
#ifndef SUBGATE_HTMLINDEX_H
#define SUBGATE_HTMLINDEX_H

#include <stdbool.h>

#include <glib.h>

struct campaign;
struct db;

/* Cases on one page of the index. */
#define HTMLINDEX_PAGE_CASES	500

/* s with & < > " ' escaped, after export_clean_text() (g_free). */
char *htmlindex_escape(const char *s);
/* A relative path with each segment percent-encoded (everything but
 * RFC 3986 unreserved characters), '/' kept between segments (g_free). */
char *htmlindex_path_encode(const char *relpath);

/* Open questions listed on the index, the newest; the rest are counted
 * (subgate questions list has them all). */
#define HTMLINDEX_QUESTIONS	200

/* The page for these cases (struct case_record *), each mail's works it
 * did not file (struct case_refused *, case_refused_load()) after its
 * cases, the open questions' section (htmlindex_questions(); NULL:
 * none) before them and the section of mail that made no case
 * (htmlindex_mails(); NULL: none) after them (g_free). */
char *htmlindex_render(const struct campaign *campaign, GPtrArray *cases,
    GPtrArray *refused, const char *questions, const char *mails);
/* Mail that made no case listed on the index, the newest; the rest are
 * counted (subgate cases list --all has them all). */
#define HTMLINDEX_MAILS		200
/* The section of the campaign's mail that made no case (mail_record.h):
 * each with its 查询码, arrival, sender, subject, outcome and reason
 * code, what the sender was told or why nothing, and a link to the kept
 * mail; "" when there is none, NULL and *error_r when the database
 * failed.  g_free. */
char *htmlindex_mails(struct db *db, const char *store_dir,
    const struct campaign *campaign, char **error_r);
/* The section of the campaign's open questions (question.h), "" when
 * there are none; NULL and *error_r when the database failed.  g_free. */
char *htmlindex_questions(struct db *db, const struct campaign *campaign,
    char **error_r);
/* Writes <store_dir>/<campaign id>/index.html and the pages whose rows
 * changed, or (all) every page: what case.json adds to a row (the
 * attachments) is not in the fingerprint; 0 or <0 with *error_r. */
int htmlindex_write(const char *store_dir, struct db *db,
    const struct campaign *campaign, bool all, char **error_r);
/* The same for the stages that change cases, writing only the pages whose
 * fingerprint changed: a failure is logged and never fails their work. */
void htmlindex_refresh(const char *store_dir, struct db *db,
    const struct campaign *campaign);

#endif
