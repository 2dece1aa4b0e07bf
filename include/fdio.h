/*
 * fdio: writing all of a buffer to a file descriptor, through short
 * writes and EINTR.  Every stage that puts mail on disk (the spool, the
 * case store, attachments) goes through it.
 */
#ifndef SUBGATE_FDIO_H
#define SUBGATE_FDIO_H

#include <stddef.h>

/* 0, or -1 with errno set. */
int fd_write_all(int fd, const void *data, size_t len);

#endif
