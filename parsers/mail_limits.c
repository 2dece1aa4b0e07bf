/* mail_limits: see include/mail_limits.h. */
#include "mail_limits.h"

void
mail_limits_init(struct mail_limits *limits)
{
	static const struct mail_limits defaults = MAIL_LIMITS_DEFAULT;

	*limits = defaults;
}

void
mail_limits_resolve(struct mail_limits *out, const struct mail_limits *in)
{
	mail_limits_init(out);
	if (in == NULL)
		return;
	if (in->subject_bytes != 0 && in->subject_bytes < LIMIT_SUBJECT_BYTES)
		out->subject_bytes = in->subject_bytes;
	if (in->mime_depth != 0)
		out->mime_depth = in->mime_depth;
	if (in->mime_parts != 0)
		out->mime_parts = in->mime_parts;
	if (in->header_bytes != 0)
		out->header_bytes = in->header_bytes;
	if (in->header_fields != 0)
		out->header_fields = in->header_fields;
	if (in->preamble_bytes != 0)
		out->preamble_bytes = in->preamble_bytes;
	if (in->message_bytes != 0)
		out->message_bytes = in->message_bytes;
	if (in->tnef_bytes != 0)
		out->tnef_bytes = in->tnef_bytes;
	if (in->magic_bytes != 0)
		out->magic_bytes = in->magic_bytes;
	if (in->dsn_part_bytes != 0)
		out->dsn_part_bytes = in->dsn_part_bytes;
	if (in->dsn_parts != 0)
		out->dsn_parts = in->dsn_parts;
	if (in->body_bytes != 0)
		out->body_bytes = in->body_bytes;
	if (in->cloud_links != 0)
		out->cloud_links = in->cloud_links;
}
