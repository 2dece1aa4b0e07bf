/* contenttype: see include/contenttype.h. */
#include <errno.h>
#include <string.h>

#include <glib.h>
#include <gmime/gmime.h>
#include <magic.h>

#include "contenttype.h"
#include "fault.h"
#include "mail_limits.h"
#include "message.h"

static GMutex magic_lock;
static magic_t magic_cookie;

/*
 * The flags, each for a reason:
 *   MAGIC_MIME_TYPE          the type alone ("video/mp4"), which campaign
 *                            files name, not a description;
 *   MAGIC_NO_CHECK_COMPRESS  never decompress to look inside: we judge the
 *                            file as sent, a compressed bomb costs nothing,
 *                            and libmagic would otherwise fork external
 *                            decompressors for formats it has no code for;
 *   MAGIC_NO_CHECK_ELF       an ELF file is a program by its first four
 *                            bytes; the section walker only adds details
 *                            (and is code run on hostile headers);
 *   MAGIC_ERROR              an error is said as one, not turned into a
 *                            guess.
 */
#define MAGIC_FLAGS	(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | \
    MAGIC_NO_CHECK_ELF | MAGIC_ERROR)

/* Called with magic_lock held. */
static int
magic_ready(char **error_r)
{
	size_t bytes_max = LIMIT_MAGIC_BYTES;
	magic_t m;

	if (magic_cookie != NULL)
		return 0;
	if ((m = magic_open(MAGIC_FLAGS)) == NULL) {
		*error_r = g_strdup_printf("libmagic: %s", g_strerror(errno));
		return FAULT_ENVIRONMENT;
	}
	/* The default database (MAGIC in the environment, else the
	 * packaged magic.mgc). */
	if (magic_load(m, NULL) < 0) {
		*error_r = g_strdup_printf("libmagic: cannot load its database: "
		    "%s", magic_error(m) ? magic_error(m) : "unknown error");
		magic_close(m);
		return FAULT_ENVIRONMENT;
	}
	(void)magic_setparam(m, MAGIC_PARAM_BYTES_MAX, &bytes_max);
	magic_cookie = m;
	return 0;
}

int
contenttype_of_buffer(const void *buf, size_t len, char **mime_r,
    char **error_r)
{
	const char *type;
	int r;

	*mime_r = NULL;
	g_mutex_lock(&magic_lock);
	if ((r = magic_ready(error_r)) < 0) {
		g_mutex_unlock(&magic_lock);
		return r;
	}
	type = magic_buffer(magic_cookie, buf, len);
	if (type == NULL) {
		*error_r = g_strdup_printf("libmagic: %s",
		    magic_error(magic_cookie) ? magic_error(magic_cookie) :
		    "no answer");
		g_mutex_unlock(&magic_lock);
		return -1;
	}
	/* libmagic's DOS .COM entries match on a first instruction byte
	 * (0xe9, 0xeb, 0xb8 ...): about one random or compressed file in a
	 * hundred "is" a COM program.  A COM file has no magic number (and
	 * .com is refused by name), so only an MZ header makes a DOS or
	 * Windows program; the rest is data libmagic cannot name. */
	if (strcmp(type, "application/x-dosexec") == 0 && (len < 2 ||
	    (memcmp(buf, "MZ", 2) != 0 && memcmp(buf, "ZM", 2) != 0)))
		type = "application/octet-stream";
	*mime_r = g_strdup(type);
	g_mutex_unlock(&magic_lock);
	return 0;
}

/* Up to max decoded bytes of attachment i into buf; <0 when the stream
 * cannot be read (the spool's disk). */
static int
attachment_head(const struct message *msg, size_t i, char *buf, size_t max,
    size_t *len_r, char **error_r)
{
	GMimeStream *s = message_attachment_stream(msg, i);
	size_t len = 0;
	ssize_t n;

	while (len < max && (n = g_mime_stream_read(s, buf + len,
	    max - len)) != 0) {
		if (n < 0) {
			int e = errno;

			g_object_unref(s);
			*error_r = g_strdup_printf("attachment %zu: read: %s",
			    i + 1, g_strerror(e));
			return fault_errno(e);
		}
		len += (size_t)n;
	}
	g_object_unref(s);
	*len_r = len;
	return 0;
}

int
contenttype_of_attachments(const struct message *msg,
    const struct mail_limits *limits, char ***types_r, char **error_r)
{
	struct mail_limits lim;
	size_t i, n = message_attachment_count(msg), len = 0;
	char **types = g_new0(char *, n + 1);
	g_autofree char *buf = NULL;
	int r, untyped = 0;

	*types_r = NULL;
	mail_limits_resolve(&lim, limits);
	buf = g_malloc(lim.magic_bytes);
	for (i = 0; i < n; i++) {
		g_autofree char *why = NULL;

		if ((r = attachment_head(msg, i, buf, lim.magic_bytes, &len,
		    error_r)) < 0)
			goto fail;
		r = len > 0 ? contenttype_of_buffer(buf, len, &types[i],
		    &why) : 0;
		if (r == FAULT_ENVIRONMENT) {
			*error_r = g_steal_pointer(&why);
			goto fail;
		}
		/* libmagic gave up on these bytes (a limit of its own):
		 * the file is judged by its name, and staff hear why. */
		if (r < 0 && untyped++ == 0)
			*error_r = g_strdup_printf("attachment %zu: %s", i + 1,
			    why);
		if (types[i] == NULL)
			types[i] = g_strdup("");
	}
	*types_r = types;
	return untyped;
fail:
	g_strfreev(types);
	return r;
}
