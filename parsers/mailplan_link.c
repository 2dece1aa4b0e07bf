/*
 * mailplan_link: cloud attachment links as files of the mail (see
 * include/mailplan.h).  A link the campaign accepts is appended to the
 * files under the name its block gives, so the name-judging steps take
 * it as they take an attachment; what has no name, is not accepted, has
 * expired or is one too many is decided here.
 */
#include <string.h>

#include "cloudlink.h"
#include "mailplan-private.h"

void
plan_links_merge(struct mailplan *p, const struct mailplan_input *in)
{
	size_t i, n = 0;

	p->merged = *in;
	p->attachments = in->file_count;
	p->merged_files = g_new0(struct mailplan_file_in,
	    in->file_count + in->link_count + 1);
	p->link_of = g_new0(size_t, in->link_count + 1);
	if (in->file_count > 0)
		memcpy(p->merged_files, in->files,
		    in->file_count * sizeof(*in->files));
	for (i = 0; i < in->link_count; i++) {
		const struct mailplan_link_in *l = &in->links[i];
		struct mailplan_file_in *f =
		    &p->merged_files[in->file_count + n];

		if (l->quoted || !campaign_link_accepted(p->c, l->provider))
			continue;
		f->name = l->name != NULL ? l->name : "";
		f->size = l->size > 0 ? l->size : MAILPLAN_SIZE_UNKNOWN;
		p->link_of[n++] = i;
	}
	p->merged.files = p->merged_files;
	p->merged.file_count = in->file_count + n;
	p->in = &p->merged;
}

bool
plan_link_unnamed(const struct mailplan *p, size_t i)
{
	return i >= p->attachments && i < p->in->file_count &&
	    *p->in->files[i].name == '\0';
}

/* The first work kind of work w's category, for a link that has no name
 * to be judged by. */
static const struct campaign_file_kind *
work_kind(struct mailplan *p, size_t w)
{
	size_t i;

	for (i = 0; i < campaign_file_kind_count(p->c); i++) {
		const struct campaign_file_kind *k = campaign_file_kind(p->c, i);

		if (k->role == CAMPAIGN_FILE_WORK &&
		    campaign_file_kind_applies(k, pwork(p, w)->category))
			return k;
	}
	return NULL;
}

void
plan_links_place(struct mailplan *p, const struct mailplan_input *in)
{
	bool by_subject = campaign_scope(p->c) != CONVENTION_FILENAME &&
	    p->subject_works > 0;
	size_t i;

	for (i = p->attachments; i < p->in->file_count; i++) {
		if (!plan_link_unnamed(p, i))
			continue;
		/* The subject names the one work: the link is its file. */
		if (by_subject && p->works->len == 1) {
			plan_set_file(p, i, PLAN_WORK, 0, work_kind(p, 0));
			continue;
		}
		plan_set_file(p, i, PLAN_OTHER, -1, NULL);
		plan_text_link_unnamed(p, i, by_subject);
	}
	for (i = 0; i < in->link_count; i++) {
		if (in->links[i].quoted ||
		    campaign_link_accepted(p->c, in->links[i].provider))
			continue;
		p->links_refused |= !plan_has_work_file(p, -1);
		plan_text_link_not_accepted(p, in->links[i].provider,
		    !plan_has_work_file(p, -1));
	}
}

void
plan_links_check(struct mailplan *p, const struct mailplan_input *in)
{
	size_t i;

	for (i = p->attachments; i < p->in->file_count; i++) {
		const struct mailplan_link_in *l =
		    &in->links[pfile(p, i)->link_index];

		if (in->arrival > 0 && l->expires_at > 0 &&
		    l->expires_at < in->arrival)
			plan_text_link_expired(p, i, l->expires_at);
	}
	if (in->links_over > 0)
		plan_text_too_many_links(p, in->link_count);
}
