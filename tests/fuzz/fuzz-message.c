/*
 * libFuzzer target: a whole message from untrusted bytes, through the
 * MIME module as the gateway uses it: parse, read every header field it
 * exposes, list the attachments (TNEF included) and save each into a
 * scratch directory.  Nothing may crash, leak or hang.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <gmime/gmime.h>

#include "message.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *scratch;

static void
scratch_clear(void)
{
	GDir *d = g_dir_open(scratch, 0, NULL);
	const char *name;

	while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
		char *p = g_build_filename(scratch, name, NULL);

		unlink(p);
		g_free(p);
	}
	if (d != NULL)
		g_dir_close(d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *path;
	struct message *m = NULL;
	char *error = NULL;
	size_t i, n;
	FILE *f;
	int dirfd;

	if (scratch == NULL) {
		g_mime_init();
		scratch = g_dir_make_tmp("fuzz-message-XXXXXX", NULL);
		path = g_build_filename(g_get_tmp_dir(), "fuzz-message.eml",
		    NULL);
	}
	f = fopen(path, "wb");
	if (f == NULL || fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
	if (message_parse_file(path, &m, &error) < 0) {
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
	dirfd = open(scratch, O_RDONLY | O_DIRECTORY);
	n = message_attachment_count(m);
	for (i = 0; i < n; i++) {
		char name[32], sha[65];
		uint64_t sz;

		if (!g_utf8_validate(message_attachment_name(m, i), -1, NULL))
			abort();	/* names must come out as UTF-8 */
		(void)message_attachment_content_type(m, i);
		snprintf(name, sizeof(name), "a%zu", i);
		if (message_attachment_save(m, i, dirfd, name, &sz, sha,
		    &error) < 0)
			g_clear_pointer(&error, g_free);
	}
	close(dirfd);
	scratch_clear();
	message_free(&m);
	return 0;
}
