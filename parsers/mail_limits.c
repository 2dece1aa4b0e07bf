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

void
inspect_limits_resolve(struct inspect_limits *out,
    const struct inspect_limits *in)
{
	static const struct inspect_limits defaults = {
		.media_bytes = LIMIT_MEDIA_BYTES,
		.media_ms = LIMIT_MEDIA_MS,
		.media_streams = LIMIT_MEDIA_STREAMS,
		.image_bytes = LIMIT_IMAGE_HEAD_BYTES,
		.text_bytes = LIMIT_TEXT_BYTES,
		.pdf_pages = LIMIT_PDF_PAGES,
		.archive_entries = LIMIT_ARCHIVE_ENTRIES,
		.archive_bytes = LIMIT_ARCHIVE_BYTES,
		.archive_ratio = LIMIT_ARCHIVE_RATIO,
		.archive_ratio_from = LIMIT_ARCHIVE_RATIO_FROM,
		.archive_name_bytes = LIMIT_ARCHIVE_NAME_BYTES,
		.inspect_ms = LIMIT_INSPECT_MS,
		.inspect_cpu_s = LIMIT_INSPECT_CPU_S,
		.inspect_memory = LIMIT_INSPECT_MEMORY,
		.reply_bytes = LIMIT_INSPECT_REPLY_BYTES,
		.form_items = LIMIT_FORM_ITEMS,
		.form_bytes = LIMIT_FORM_BYTES,
	};

	*out = defaults;
	if (in == NULL)
		return;
	if (in->media_bytes != 0)
		out->media_bytes = in->media_bytes;
	if (in->media_ms != 0)
		out->media_ms = in->media_ms;
	if (in->media_streams != 0)
		out->media_streams = in->media_streams;
	if (in->image_bytes != 0)
		out->image_bytes = in->image_bytes;
	if (in->text_bytes != 0)
		out->text_bytes = in->text_bytes;
	if (in->pdf_pages != 0)
		out->pdf_pages = in->pdf_pages;
	if (in->archive_entries != 0)
		out->archive_entries = in->archive_entries;
	if (in->archive_bytes != 0)
		out->archive_bytes = in->archive_bytes;
	if (in->archive_ratio != 0)
		out->archive_ratio = in->archive_ratio;
	if (in->archive_ratio_from != 0)
		out->archive_ratio_from = in->archive_ratio_from;
	if (in->archive_name_bytes != 0)
		out->archive_name_bytes = in->archive_name_bytes;
	if (in->inspect_ms != 0)
		out->inspect_ms = in->inspect_ms;
	if (in->inspect_cpu_s != 0)
		out->inspect_cpu_s = in->inspect_cpu_s;
	if (in->inspect_memory != 0)
		out->inspect_memory = in->inspect_memory;
	if (in->reply_bytes != 0)
		out->reply_bytes = in->reply_bytes;
	if (in->form_items != 0)
		out->form_items = in->form_items;
	if (in->form_bytes != 0)
		out->form_bytes = in->form_bytes;
}
