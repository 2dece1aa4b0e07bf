/*
 * libFuzzer target: a whole message from untrusted bytes, through the
 * MIME module as the gateway uses it: parse from memory, read every
 * header field it exposes, list the attachments (TNEF included) and read
 * each one's stream to its end into a SHA-256, as the store would write
 * it.  No file is touched, so a run costs only the parse.  Nothing may
 * crash, leak or hang.
 */
#include <stdint.h>
#include <stdlib.h>

#include <glib.h>
#include <gmime/gmime.h>

#include "message.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What store_write_stream does with the bytes, minus the file; an
 * attachment said to be empty must give no byte. */
static void
attachment_drain(const struct message *m, size_t i)
{
	GMimeStream *content = message_attachment_stream(m, i);
	GChecksum *sha = g_checksum_new(G_CHECKSUM_SHA256);
	bool empty = message_attachment_empty(m, i);
	char buf[64 * 1024];
	ssize_t n;

	if (content == NULL)
		abort();	/* never NULL, by contract */
	while ((n = g_mime_stream_read(content, buf, sizeof(buf))) > 0) {
		if (empty)
			abort();
		g_checksum_update(sha, (const guchar *)buf, n);
	}
	(void)g_checksum_get_string(sha);
	g_checksum_free(sha);
	g_object_unref(content);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct message *m = NULL;
	char *error = NULL;
	size_t i, n;

	if (message_parse_data((const char *)data, size, NULL, &m,
	    &error) < 0) {
		g_free(error);
		return 0;
	}
	(void)message_subject(m);
	(void)message_from_address(m);
	(void)message_from_name(m);
	(void)message_reply_address(m);
	(void)message_id(m);
	(void)message_references(m);
	(void)message_date(m);
	(void)message_limit_exceeded(m);
	(void)message_is_dsn(m);
	(void)message_is_auto_reply(m);
	g_strfreev(message_dsn_message_ids(m));
	n = message_attachment_count(m);
	for (i = 0; i < n; i++) {
		if (!g_utf8_validate(message_attachment_name(m, i), -1, NULL))
			abort();	/* names must come out as UTF-8 */
		(void)message_attachment_content_type(m, i);
		attachment_drain(m, i);
	}
	message_free(&m);
	return 0;
}
