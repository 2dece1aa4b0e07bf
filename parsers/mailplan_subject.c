/*
 * mailplan_subject: the works a subject names, and the files that are
 * theirs.  See include/mailplan.h and parsers/mailplan-private.h.
 *
 * A subject names one work (扶贫征集-自荐-文字类-我的扶贫路) or several
 * joined by a joiner ([works] joiners: ；、 and spaces by default), which
 * a campaign of per_mail = many files as several cases and one of
 * per_mail = one refuses as several.  The title is the last
 * field of these conventions and takes any text, so the whole of a
 * joined subject always meets the convention, the second work swallowed
 * into the first one's title; the cuts are therefore tried first.  A cut
 * is kept only where the pieces on both sides meet the convention, so a
 * title that holds a joiner (脱贫路上 我和我的乡亲, 我、我的村庄) stays
 * whole, and where several ways of cutting would do, the most works win.
 *
 * Files pair with the works by title: a work file is named after its
 * work, optionally numbered (山村新貌1.jpg, 组图), or else holds its title
 * somewhere; a companion holds it (报名表-山村新貌.docx, mailplan.c).
 * With one work every file of a work type is its, as ever.  Two works of
 * one title (文字类 and 图片类 山村新貌) are told apart by the file's type
 * where each category has work kinds of its own.  A work file
 * that cannot be paired refuses the mail (work-unpaired), since taking it
 * for either work could file one under the other's title; a listed work
 * with no file is refused on its own (work-without-file).
 */
#include <stdint.h>
#include <string.h>

#include "grammar.h"
#include "mailplan-private.h"
#include "normalize.h"

#define SUBJECT_WORKS_MAX	MAILPLAN_SUBJECT_WORKS
/* Cuts (a run of joiners or spaces) looked at in one subject, and cuts
 * one work's piece may hold (spaces or 、 in its title: 脱贫路上 我和我的
 * 乡亲).  Each piece tried costs a match of the grammar, so together they
 * bound what a hostile subject costs: at most 81 × 8 matches, of pieces
 * holding at most 7 cuts.  A subject with more cuts is taken whole unless
 * more than SUBJECT_WORKS_MAX of its pieces meet the convention
 * (count_pieces: too many works); a title with more is not found in a
 * joined subject, which is then taken whole too. */
#define SUBJECT_CUTS_MAX	(4 * SUBJECT_WORKS_MAX)
#define PIECE_CUTS_MAX		7

struct cut {
	size_t start, end;	/* the joiners' bytes in the text */
};

/* The bytes of a joiner at s, or 0. */
static size_t
joiner_at(const struct campaign_works *w, const char *s)
{
	size_t i, n;

	if (w->join_at_spaces && *s == ' ')
		return 1;
	for (i = 0; w->joiners != NULL && w->joiners[i] != NULL; i++) {
		n = strlen(w->joiners[i]);
		if (strncmp(s, w->joiners[i], n) == 0)
			return n;
	}
	return 0;
}

/* The cuts of a normalised subject, neither first nor last; false when
 * there are more than max. */
static bool
find_cuts(const struct campaign_works *w, const char *text, GArray *cuts,
    size_t max)
{
	size_t at = 0, len = strlen(text), n;

	while (at < len) {
		struct cut c = { at, at };

		while (c.end < len && (n = joiner_at(w, text + c.end)) > 0)
			c.end += n;
		if (c.end == at) {
			at = (size_t)(g_utf8_next_char(text + at) - text);
			continue;
		}
		if (c.start > 0 && c.end < len) {
			if (cuts->len == max)
				return false;
			g_array_append_val(cuts, c);
		}
		at = c.end;
	}
	return true;
}

/* The piece between boundary i and boundary j, as the grammar is to see
 * it (0: the start, cuts->len + 1: the end, k: after or before cut k). */
static char *
piece(const struct campaign_works *w, const char *text, const GArray *cuts,
    size_t i, size_t j)
{
	size_t from = i == 0 ? 0 : g_array_index(cuts, struct cut, i - 1).end;
	size_t to = j == cuts->len + 1 ? strlen(text) :
	    g_array_index(cuts, struct cut, j - 1).start;
	g_autofree char *raw = g_strndup(text + from, to - from);

	return plan_subject_strip(w, raw);
}

static bool
piece_meets(const struct grammar *g, const char *text)
{
	struct grammar_result *r = NULL;
	g_autofree char *why = NULL;
	int m = plan_match(g, text, &r, &why, NULL);

	grammar_result_free(&r);
	return m > 0;
}

/*
 * The most pieces the text divides into, every one meeting the
 * convention (boundaries in *prev_r, walked back from the end); 0 when
 * it does not divide into two or more.  Each piece between two cuts is
 * matched at most once, whichever way it is reached, and none holds more
 * than PIECE_CUTS_MAX cuts.
 */
static size_t
divide(const struct campaign_works *w, const struct grammar *g,
    const char *text, const GArray *cuts, size_t **prev_r)
{
	size_t n = cuts->len + 2, i, j, *prev = g_new0(size_t, n), pieces;
	int *best = g_new(int, n);

	for (i = 0; i < n; i++)
		best[i] = -1;
	best[0] = 0;
	for (i = 0; i + 1 < n; i++) {
		if (best[i] < 0)
			continue;
		for (j = i + 1; j < n && j <= i + PIECE_CUTS_MAX + 1; j++) {
			g_autofree char *t = NULL;

			/* the whole is not a division */
			if (i == 0 && j == n - 1)
				continue;
			if (best[i] + 1 <= best[j])
				continue;
			t = piece(w, text, cuts, i, j);
			if (piece_meets(g, t)) {
				best[j] = best[i] + 1;
				prev[j] = i;
			}
		}
	}
	pieces = best[n - 1] > 0 ? (size_t)best[n - 1] : 0;
	g_free(best);
	*prev_r = prev;
	return pieces;
}

/*
 * A subject with more cuts than divide() looks at: the pieces between
 * one cut and the next that meet the convention on their own, each
 * matched once (the subject's bytes bound them), with no search for the
 * best division.  A list of works pasted in is then refused as too many
 * works, not as one work whose title is the rest of the list; a title
 * full of 、 (甲、甲、甲…) has one such piece and stays whole.
 */
static size_t
count_pieces(const struct campaign_works *w, const struct grammar *g,
    const char *text)
{
	GArray *cuts = g_array_new(FALSE, FALSE, sizeof(struct cut));
	size_t k, n = 0;

	(void)find_cuts(w, text, cuts, SIZE_MAX);
	for (k = 0; k <= cuts->len; k++) {
		g_autofree char *t = piece(w, text, cuts, k, k + 1);

		n += piece_meets(g, t);
	}
	g_array_free(cuts, TRUE);
	return n;
}

/* The works of a subject cut at its joiners: their number (2 or more),
 * 0 when it does not divide, and 0 with a problem when it names too
 * many. */
static size_t
subject_split(struct mailplan *p, const struct grammar *g,
    const char *subject)
{
	const struct campaign_works *w = campaign_works(p->c);
	g_autofree char *text = normalize_text(subject, NORMALIZE_STRIP_REPLY);
	g_autofree size_t *prev = NULL;
	g_autofree size_t *bounds = NULL;
	GArray *cuts = g_array_new(FALSE, FALSE, sizeof(struct cut));
	size_t pieces = 0, k, at;

	if (!find_cuts(w, text, cuts, SUBJECT_CUTS_MAX)) {
		g_array_free(cuts, TRUE);
		if ((pieces = count_pieces(w, g, text)) > SUBJECT_WORKS_MAX)
			plan_text_too_many_works(p, pieces, SUBJECT_WORKS_MAX,
			    true);
		return 0;
	}
	if (cuts->len == 0 ||
	    (pieces = divide(w, g, text, cuts, &prev)) < 2) {
		g_array_free(cuts, TRUE);
		return 0;
	}
	if (pieces > SUBJECT_WORKS_MAX) {
		plan_text_too_many_works(p, pieces, SUBJECT_WORKS_MAX,
		    false);
		g_array_free(cuts, TRUE);
		return 0;
	}
	/* The boundaries, from the start. */
	bounds = g_new(size_t, pieces + 1);
	for (at = cuts->len + 1, k = pieces + 1; k-- > 0; at = prev[at])
		bounds[k] = at;
	for (k = 0; k < pieces; k++) {
		g_autofree char *t = piece(w, text, cuts, bounds[k],
		    bounds[k + 1]);
		g_autofree char *why = NULL;
		struct grammar_result *r = NULL;

		/* met in divide(): the grammar is a pure function */
		if (plan_match(g, t, &r, &why, NULL) > 0)
			(void)plan_work_for(p, r, true);
		else
			grammar_result_free(&r);
	}
	g_array_free(cuts, TRUE);
	return p->works->len;
}

int
plan_subject_works(struct mailplan *p, bool required, char **error_r)
{
	const struct grammar *g = campaign_grammar(p->c, GRAMMAR_SUBJECT);
	const char *subject = p->in->subject;
	struct grammar_result *r = NULL;
	g_autofree char *why = NULL, *stripped = NULL;
	size_t before = p->problems->len;
	int ret;

	if (g == NULL)
		return 0;
	/* Cut under per_mail = one too: two works are then refused as
	 * two (one-work-per-mail), not filed as one with a title that
	 * holds the second. */
	if ((p->subject_works = subject_split(p, g, subject)) > 0)
		return 0;
	if (p->problems->len > before)
		return 0;	/* too many: said */
	stripped = plan_subject_strip(campaign_works(p->c), subject);
	ret = plan_match(g, stripped, &r, &why, error_r);
	if (ret > 0) {
		(void)plan_work_for(p, r, true);
		p->subject_works = 1;
		return 0;
	}
	if (ret == 0 && required && plan_unit_misplaced_name(p, -1))
		return 0;
	if (required || ret < 0)
		plan_text_subject(p, why);
	else if (why != NULL)
		p->subject_why = plan_own(p, g_steal_pointer(&why));
	return ret < 0 ? ret : 0;
}

/* Whether key is the title's key itself, or numbered (组图: 山村新貌1,
 * 山村新貌-2, 山村新貌(3)): then the file is the work, whatever
 * companion words the title holds (报名参军的扶贫干部.docx is no 报名表). */
static bool
named_as(const char *key, const char *title)
{
	g_autofree char *tkey = title != NULL ?
	    normalize_text(title, NORMALIZE_KEY) : NULL;
	size_t n = tkey != NULL ? strlen(tkey) : 0;

	return n > 0 && strncmp(key, tkey, n) == 0 &&
	    strspn(key + n, "0123456789-_()") == strlen(key + n);
}

/* The one work the file is named after, the longest title winning;
 * between works of one title (文字类 and 图片类 both 山村新貌) the one
 * whose category's work kinds take the file's type (ext; NULL: none
 * does); -1 for none, or for a tie that stays. */
static int
work_named(struct mailplan *p, const char *key, const char *ext)
{
	g_autofree bool *tied = g_new0(bool, p->works->len + 1);
	size_t w, best_len = 0, ties = 0;
	int best = -1;

	for (w = 0; w < p->works->len; w++) {
		const char *title = pwork(p, w)->title;
		size_t len = title != NULL ? strlen(title) : 0;

		if (!named_as(key, title) || len < best_len)
			continue;
		if (len > best_len)
			memset(tied, 0, p->works->len * sizeof(*tied));
		ties = len > best_len ? 1 : ties + 1;
		tied[w] = true;
		best = (int)w;
		best_len = len;
	}
	if (ties <= 1)
		return best;
	return plan_tie_by_type(p, tied, ext);
}

/* The work a file of a work type is for: the mail's only work, else
 * the one it is named after, else the one whose title it holds. */
static int
work_for_file(struct mailplan *p, size_t i, const char *key)
{
	const char *ext = p->names[i].ext;
	int w;

	if (p->works->len == 1)
		return 0;
	if ((w = work_named(p, key, ext)) >= 0)
		return w;
	return plan_work_by_title(p, i, ext);
}

void
plan_subject_file(struct mailplan *p, size_t i)
{
	const struct plan_name *n = &p->names[i];
	g_autofree char *key = normalize_text(n->stem, NORMALIZE_KEY);
	const struct campaign_file_kind *k;
	int w;

	if ((w = work_named(p, key, n->ext)) >= 0 && (k = plan_kind_find(p->c,
	    CAMPAIGN_FILE_WORK, NULL, n->ext, false)) != NULL) {
		plan_set_file(p, i, PLAN_WORK, w, k);
	} else if ((k = plan_kind_find(p->c, CAMPAIGN_FILE_COMPANION, key,
	    n->ext, true)) != NULL) {
		plan_set_file(p, i, PLAN_COMPANION, -1, k);
	} else if ((k = plan_kind_find(p->c, CAMPAIGN_FILE_WORK, key, n->ext,
	    false)) != NULL) {
		w = p->works->len > 0 ? work_for_file(p, i, key) : -1;
		plan_set_file(p, i, PLAN_WORK, w, k);
		if (w < 0 && p->works->len > 1)
			plan_text_work_unpaired(p, i);
	} else if (!plan_kinds_declared(p->c) && p->works->len > 0 &&
	    (w = work_for_file(p, i, key)) >= 0) {
		/* allowed_extensions: every attachment is judged */
		plan_set_file(p, i, PLAN_WORK, w, campaign_file_kind(p->c, 0));
		plan_text_type(p, i);
	} else {
		plan_file_rest(p, i, key);
	}
}

void
plan_subject_check(struct mailplan *p)
{
	size_t w;

	if (p->subject_works < 2)
		return;
	for (w = 0; w < p->works->len; w++)
		if (pwork(p, w)->from_subject && !plan_has_work_file(p, (int)w))
			plan_text_listed_no_file(p, w);
}
