/*
 * fdio: writing all of a buffer to a file descriptor, through short
 * writes and EINTR (every stage that puts mail on disk goes through it),
 * and opening a file of the store for reading as only a regular file.
 */
#ifndef SUBGATE_FDIO_H
#define SUBGATE_FDIO_H

#include <stddef.h>

/* 0, or -1 with errno set. */
int fd_write_all(int fd, const void *data, size_t len);

/*
 * Opens path for reading only if it is a regular file, not through a
 * symbolic link at its last component: the store is shared with staff,
 * and a link planted where a case.json or an original.eml belongs must
 * not make subgate read outside the store, block on a FIFO or read
 * /dev/zero for ever.  The fd, or -1 with errno set (ELOOP: a link,
 * EINVAL: not a regular file).
 */
int fd_open_regular(const char *path);
/* Why fd_open_regular() failed, for a message: its errno in words. */
const char *fd_open_regular_error(int err);

#endif
