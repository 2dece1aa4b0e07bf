/*
 * message_file: message_parse_file(), the one entry of the message module
 * that touches the file system (see include/message.h).  It lives with the
 * gateway so that parsers/message.c stays free of I/O and can be fed from
 * memory.
 */
#include <errno.h>
#include <fcntl.h>

#include <glib.h>
#include <gmime/gmime.h>

#include "fault.h"
#include "fdio.h"
#include "message.h"

int
message_parse_file(const char *path, const struct mail_limits *limits,
    struct message **msg_r, char **error_r)
{
	GMimeStream *stream;
	char *error = NULL;
	int fd, ret;

	*msg_r = NULL;
	/* Spool files and the store's original.eml and _unaccepted/ copies:
	 * never through a link, never a FIFO or a device. */
	fd = fd_open_regular(path);
	if (fd < 0) {
		int e = errno;

		*error_r = g_strdup_printf("open %s: %s", path,
		    fd_open_regular_error(e));
		return e == ELOOP || e == EINVAL ? -1 : fault_errno(e);
	}
	/* The stream owns fd; the message keeps it open for its parts. */
	stream = g_mime_stream_fs_new(fd);
	ret = message_parse_stream(stream, limits, msg_r, &error);
	g_object_unref(stream);
	if (ret < 0) {
		*error_r = g_strdup_printf("%s: %s", path, error);
		g_free(error);
	}
	return ret;
}
