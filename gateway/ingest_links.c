/*
 * ingest_links: the cloud attachment links a case is filed with, as
 * case.json, the case_links rows and the receipt take them.  See
 * ingest-private.h.
 */
#include <string.h>

#include <glib.h>

#include "campaign.h"
#include "cloudlink.h"
#include "ingest-private.h"
#include "mail_limits.h"
#include "mailplan.h"
#include "message.h"
#include "timetext.h"

static const char *const link_roles[] = {
	[PLAN_WORK] = "work",
	[PLAN_COMPANION] = "companion",
	[PLAN_OTHER] = "other",
};

/* The expiry in the campaign's zone: for case.json (with offset), for
 * the receipt (as people read it); the database's in UTC. */
static void
link_times(const struct campaign *c, const struct cloudlink *l,
    struct case_link *j, char **utc_r, char **shown_r)
{
	g_autoptr(GDateTime) dt = NULL, local = NULL;

	*utc_r = NULL;
	*shown_r = NULL;
	if (l->expires_at == 0) {
		if (l->expires_text != NULL)
			*shown_r = g_strdup("无限期");
		return;
	}
	dt = g_date_time_new_from_unix_utc(l->expires_at);
	if (dt == NULL)
		return;
	local = g_date_time_to_timezone(dt, campaign_timezone(c));
	j->expires_at = g_date_time_format(local, "%Y-%m-%dT%H:%M:%S%:z");
	*utc_r = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ");
	*shown_r = timetext_short(dt, campaign_timezone(c));
}

void
ingest_links_collect(const struct campaign *c, const struct cloudlink_set *set,
    const struct mailplan *plan, int work, const char *receipt,
    struct ingest_case_links *out)
{
	size_t i, n = plan != NULL ? mailplan_file_count(plan) : 0, k = 0;

	memset(out, 0, sizeof(*out));
	out->owned = g_ptr_array_new_with_free_func(g_free);
	out->json = g_new0(struct case_link, n + 1);
	out->rows = g_new0(struct db_case_link, n + 1);
	out->reply = g_new0(struct reply_link, n + 1);
	for (i = 0; i < n; i++) {
		const struct mailplan_file *f = mailplan_file(plan, i);
		const struct cloudlink *l;
		struct case_link *j = &out->json[k];
		char *utc, *shown;

		if (!f->link || (work >= 0 && f->work != work && f->work >= 0) ||
		    (l = cloudlink_get(set, f->link_index)) == NULL)
			continue;
		j->provider = g_strdup(cloudlink_provider_name(l->provider));
		j->url = g_strdup(l->url);
		j->name = g_strdup(l->name);
		j->size = l->size;
		j->expires_text = g_strdup(l->expires_text);
		j->pass_code = g_strdup(l->pass_code);
		j->role = g_strdup(link_roles[f->role]);
		j->kind = g_strdup(f->kind);
		link_times(c, l, j, &utc, &shown);
		g_ptr_array_add(out->owned, utc);
		g_ptr_array_add(out->owned, shown);
		out->rows[k] = (struct db_case_link){
			.receipt = receipt, .pos = (unsigned)k + 1,
			.provider = j->provider, .url = j->url, .name = j->name,
			.size = j->size, .expires_at = utc,
			.pass_code = j->pass_code, .role = j->role,
			.kind = j->kind,
		};
		out->reply[k] = (struct reply_link){
			.name = j->name, .size = j->size,
			.provider = cloudlink_provider_label(l->provider),
			.expires = shown, .pass_code = j->pass_code,
		};
		k++;
	}
	out->count = k;
}

void
ingest_links_clear(struct ingest_case_links *l)
{
	size_t i;

	for (i = 0; l->json != NULL && i < l->count; i++)
		case_link_clear(&l->json[i]);
	g_clear_pointer(&l->json, g_free);
	g_clear_pointer(&l->rows, g_free);
	g_clear_pointer(&l->reply, g_free);
	if (l->owned != NULL)
		g_ptr_array_free(l->owned, TRUE);
	l->owned = NULL;
	l->count = 0;
}

int
ingest_links_find(const struct campaign *c, const struct message *msg,
    struct cloudlink_set **set_r, char **error_r)
{
	g_autofree char *plain = NULL, *html = NULL;
	struct cloudlink_input in = {
		.zone = campaign_timezone(c),
		.max_links = message_limits(msg)->cloud_links,
	};

	message_body_text(msg, &plain, &html);
	in.plain = plain;
	in.plain_len = plain != NULL ? strlen(plain) : 0;
	in.html = html;
	in.html_len = html != NULL ? strlen(html) : 0;
	return cloudlink_find(&in, set_r, error_r);
}
