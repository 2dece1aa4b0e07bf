/*
 * mailplan_unit: a unit written in another field's place.  Every field
 * of a convention takes text, so a subject with the author where the
 * unit belongs (优质慕课-张三-朔城区委宣传部-党史十讲) meets it: 张三 would
 * be filed as a new unit, and the work counted against no quota.  Where
 * the unit's place holds a name off the roster and another field of the
 * same work holds a roster unit (its name or an alias), the work is
 * refused (unit-swapped) with the two values, the place each was
 * written in, and the name with them exchanged.  A file name the
 * convention refuses because of the same exchange (金坛区委组织部-纪录片-
 * 初心如磐.mp4: 初心如磐 is no unit) is told the same, not only that the
 * order is wrong.  See parsers/mailplan-private.h.
 */
#include <string.h>

#include "grammar.h"
#include "mailplan-private.h"
#include "normalize.h"

/* Segments of one name looked at: each one naming a roster unit is
 * tried against every other, a match of the grammar each, so this
 * bounds what a hostile name costs (at most 16 × 15 matches).  A
 * convention has a handful of fields. */
#define SWAP_SEGMENTS_MAX	16

/* What ends a segment in a normalised name: the separators and
 * brackets conventions put between fields. */
static const char *const seps[] = {
	"-", "_", " ", "+", "(", ")", "【", "】", "〔", "〕", "《", "》",
	"、", ",", NULL,
};

struct seg {
	size_t start, end;
};

/* The exchange found: the roster unit as written, the value that stood
 * in the unit's place, the field the unit was written in, and the text
 * with the two exchanged. */
struct swap {
	char *unit_text, *other_text, *text;
	const char *field;	/* the grammar's */
};

static const char *
subject_of(const struct mailplan *p)
{
	return p->in->subject != NULL ? p->in->subject : "";
}

static void
swap_clear(struct swap *s)
{
	g_clear_pointer(&s->unit_text, g_free);
	g_clear_pointer(&s->other_text, g_free);
	g_clear_pointer(&s->text, g_free);
}

static size_t
sep_at(const char *s)
{
	size_t i, n;

	for (i = 0; seps[i] != NULL; i++) {
		n = strlen(seps[i]);
		if (strncmp(s, seps[i], n) == 0)
			return n;
	}
	return 0;
}

/* The segments of text; false when it has more than the bound. */
static bool
segments(const char *text, struct seg *out, size_t *n_r)
{
	size_t at = 0, len = strlen(text), n = 0, k;
	struct seg cur = { 0, 0 };

	while (at <= len) {
		if (at == len || (k = sep_at(text + at)) > 0) {
			cur.end = at;
			if (cur.end > cur.start) {
				if (n == SWAP_SEGMENTS_MAX)
					return false;
				out[n++] = cur;
			}
			if (at == len)
				break;
			at += k;
			cur.start = at;
			continue;
		}
		at = (size_t)(g_utf8_next_char(text + at) - text);
	}
	*n_r = n;
	return true;
}

/* text with spans a and b (a before b) exchanged. */
static char *
exchanged(const char *text, struct seg a, struct seg b)
{
	GString *s = g_string_new_len(text, (gssize)a.start);

	g_string_append_len(s, text + b.start, (gssize)(b.end - b.start));
	g_string_append_len(s, text + a.end, (gssize)(b.start - a.end));
	g_string_append_len(s, text + a.start, (gssize)(a.end - a.start));
	g_string_append(s, text + b.end);
	return g_string_free(s, FALSE);
}

/* The grammar's own spelling of a field name, which outlives a result. */
static const char *
field_spelling(const struct grammar *g, const char *name)
{
	size_t i;

	for (i = 0; i < grammar_field_count(g); i++)
		if (strcmp(grammar_field_name(g, i), name) == 0)
			return grammar_field_name(g, i);
	return NULL;
}

/* Whether text (markers out, ext added) meets the convention with u in
 * the unit's place; *field_r: the field that then holds other. */
static bool
swap_meets(struct mailplan *p, const struct grammar *g, const char *text,
    const char *ext, const struct campaign_unit *u, const char *other,
    const char **field_r)
{
	const char *unit_field = campaign_unit_field(p->c);
	g_autofree char *full = *ext != '\0' ? g_strconcat(text, ".", ext,
	    NULL) : g_strdup(text);
	g_autofree char *why = NULL, *okey = normalize_text(other,
	    NORMALIZE_KEY);
	struct grammar_result *r = NULL;
	bool ok = false;
	size_t i;

	if (plan_match(g, full, &r, &why, NULL) <= 0)
		return false;
	if (campaign_unit_find(p->c, grammar_result_get(r, unit_field)) != u)
		goto out;
	for (i = 0; i < grammar_result_field_count(r) && !ok; i++) {
		const char *name, *v;
		g_autofree char *vkey = NULL;

		grammar_result_field(r, i, &name, &v, NULL);
		vkey = normalize_text(v, NORMALIZE_KEY);
		if (strcmp(name, unit_field) != 0 && strcmp(vkey, okey) == 0)
			ok = (*field_r = field_spelling(g, name)) != NULL;
	}
out:
	grammar_result_free(&r);
	return ok;
}

/*
 * The exchange of a segment naming a roster unit (only want, when not
 * NULL) with one naming none that makes text (normalised, markers out,
 * extension apart) meet the convention with that unit in its place.
 */
static bool
swap_find(struct mailplan *p, const struct grammar *g, const char *text,
    const char *ext, const struct campaign_unit *want, struct swap *out)
{
	struct seg seg[SWAP_SEGMENTS_MAX];
	size_t n, i, j;

	if (!segments(text, seg, &n))
		return false;
	for (i = 0; i < n; i++) {
		g_autofree char *si = g_strndup(text + seg[i].start,
		    seg[i].end - seg[i].start);
		const struct campaign_unit *u = campaign_unit_find(p->c, si);

		if (u == NULL || (want != NULL && u != want))
			continue;
		for (j = 0; j < n; j++) {
			g_autofree char *sj = NULL, *t = NULL;
			const char *field = NULL;

			if (j == i)
				continue;
			sj = g_strndup(text + seg[j].start,
			    seg[j].end - seg[j].start);
			if (campaign_unit_find(p->c, sj) != NULL)
				continue;
			t = i < j ? exchanged(text, seg[i], seg[j]) :
			    exchanged(text, seg[j], seg[i]);
			if (!swap_meets(p, g, t, ext, u, sj, &field))
				continue;
			out->unit_text = g_steal_pointer(&si);
			out->other_text = g_steal_pointer(&sj);
			out->text = *ext != '\0' ? g_strconcat(t, ".", ext,
			    NULL) : g_steal_pointer(&t);
			out->field = field;
			return true;
		}
	}
	return false;
}

/*
 * The exchange made in what the clerk typed, so that the name to use
 * keeps their own markers and brackets (（有字幕）): the first place of
 * each value, exchanged, and kept only when it is read back as the
 * exchanged text is; else the normalised text stands.
 */
static void
swap_as_typed(struct mailplan *p, const struct grammar *g, const char *raw,
    bool file, struct swap *s)
{
	g_autofree char *typed = g_utf8_make_valid(raw, -1), *back = NULL;
	const char *a = strstr(typed, s->unit_text);
	const char *b = strstr(typed, s->other_text);
	struct seg sa, sb;
	g_autofree char *t = NULL;
	struct plan_name n;
	const char *field = NULL;

	if (a == NULL || b == NULL)
		return;
	sa = (struct seg){ (size_t)(a - typed), (size_t)(a - typed) +
	    strlen(s->unit_text) };
	sb = (struct seg){ (size_t)(b - typed), (size_t)(b - typed) +
	    strlen(s->other_text) };
	if (sa.end > sb.start && sb.end > sa.start)
		return;
	t = sa.start < sb.start ? exchanged(typed, sa, sb) :
	    exchanged(typed, sb, sa);
	if (file) {
		plan_name_parse(campaign_works(p->c), t, &n);
		if (swap_meets(p, g, n.stem, n.ext, campaign_unit_find(p->c,
		    s->unit_text), s->other_text, &field)) {
			g_free(s->text);
			s->text = g_steal_pointer(&t);
		}
		plan_name_clear(&n);
		return;
	}
	back = plan_subject_strip(campaign_works(p->c), t);
	if (swap_meets(p, g, back, "", campaign_unit_find(p->c, s->unit_text),
	    s->other_text, &field)) {
		g_free(s->text);
		s->text = g_steal_pointer(&t);
	}
}

/* piece: the subject names several works and s->text is this one's. */
static void
swap_problem(struct mailplan *p, int work, int file, const struct swap *s,
    bool piece)
{
	const char *unit_field = campaign_unit_field(p->c);
	g_autofree char *where = file >= 0 ?
	    g_strdup_printf("附件“%s”", p->in->files[file].name) :
	    g_strdup_printf("邮件主题“%s”", subject_of(p));
	g_autofree char *valid = g_utf8_make_valid(where, -1);
	GString *t = g_string_new(NULL);

	g_string_append_printf(t, "%s中，“%s”是名单上的%s，却写在了“%s”的位置；"
	    "“%s”的位置写的“%s”不在名单上。看来两者写反了，", valid,
	    s->unit_text, unit_field, s->field, unit_field, s->other_text);
	if (s->text == NULL)
		g_string_append(t, "请把两者对调后重新发送。");
	else
		g_string_append_printf(t, "请%s“%s”后重新发送。", file >= 0 ?
		    "把文件名改为" : piece ? "把这件作品写作" :
		    "把邮件主题改为", s->text);
	plan_problem(p, "unit-swapped", PLAN_REFUSE, work, file,
	    g_string_free(t, FALSE));
}

bool
plan_unit_misplaced_name(struct mailplan *p, int file)
{
	const struct grammar *g = campaign_grammar(p->c, file >= 0 ?
	    GRAMMAR_FILENAME : GRAMMAR_SUBJECT);
	struct swap s = { 0 };
	g_autofree char *text = NULL;
	const char *ext = "";

	if (g == NULL || campaign_unit_field(p->c) == NULL ||
	    campaign_unit_count(p->c) == 0)
		return false;
	if (file >= 0) {
		text = g_strdup(p->names[file].stem);
		ext = p->names[file].ext;
	} else {
		text = plan_subject_strip(campaign_works(p->c), subject_of(p));
	}
	if (!swap_find(p, g, text, ext, NULL, &s))
		return false;
	swap_as_typed(p, g, file >= 0 ? p->in->files[file].name :
	    subject_of(p), file >= 0, &s);
	swap_problem(p, -1, file, &s, false);
	swap_clear(&s);
	return true;
}

/* A subject of several works: the whole subject with this work's piece
 * (as read, normalised) exchanged, when it is found there as it was
 * read; false leaves the piece alone. */
static bool
swap_in_subject(struct mailplan *p, const char *piece, struct swap *s)
{
	g_autofree char *whole = normalize_text(subject_of(p),
	    NORMALIZE_STRIP_REPLY);
	const char *at = strstr(whole, piece);
	GString *t;

	if (at == NULL)
		return false;
	t = g_string_new_len(whole, at - whole);
	g_string_append(t, s->text);
	g_string_append(t, at + strlen(piece));
	g_free(s->text);
	s->text = g_string_free(t, FALSE);
	return true;
}

/* The file a work's fields were read from: its first own file. */
static int
fields_file(struct mailplan *p, size_t w)
{
	size_t i;

	for (i = 0; i < p->files->len; i++)
		if (pfile(p, i)->work == (int)w &&
		    pfile(p, i)->role == PLAN_WORK)
			return (int)i;
	return -1;
}

void
plan_unit_check(struct mailplan *p, size_t w)
{
	const struct mailplan_work *work = pwork(p, w);
	const char *unit_field = campaign_unit_field(p->c);
	const struct grammar *g = campaign_grammar(p->c, work->from_subject ?
	    GRAMMAR_SUBJECT : GRAMMAR_FILENAME);
	const struct campaign_unit *named = NULL;
	const char *value = NULL, *field = NULL;
	struct swap s = { 0 };
	g_autofree char *text = NULL;
	const char *ext = "";
	bool piece = work->from_subject && p->subject_works > 1;
	int file = -1;
	size_t i;

	if (g == NULL || work->unit == NULL || campaign_unit_count(p->c) == 0 ||
	    campaign_unit_find(p->c, work->unit) != NULL)
		return;
	for (i = 0; i < grammar_result_field_count(work->fields) &&
	    named == NULL; i++) {
		const char *name;

		grammar_result_field(work->fields, i, &name, NULL, &value);
		if (strcmp(name, unit_field) != 0 &&
		    (named = campaign_unit_find(p->c, value)) != NULL)
			field = field_spelling(g, name);
	}
	if (named == NULL)
		return;
	if (!work->from_subject && (file = fields_file(p, w)) >= 0) {
		text = g_strdup(p->names[file].stem);
		ext = p->names[file].ext;
	} else {
		text = g_strdup(grammar_result_normalized(work->fields));
	}
	if (swap_find(p, g, text, ext, named, &s)) {
		if (piece)
			piece = !swap_in_subject(p, text, &s);
		else
			swap_as_typed(p, g, file >= 0 ?
			    p->in->files[file].name : subject_of(p),
			    file >= 0, &s);
	} else {
		/* the two cannot be exchanged as they stand: said all
		 * the same, with the values as read */
		s.unit_text = g_strdup(value);
		s.other_text = g_strdup(work->unit);
		s.field = field != NULL ? field : "其他字段";
	}
	swap_problem(p, (int)w, file, &s, piece);
	swap_clear(&s);
}
