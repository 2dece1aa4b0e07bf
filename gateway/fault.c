/* fault: see include/fault.h. */
#include <errno.h>

#include "fault.h"

int
fault_errno(int err)
{
	switch (err) {
	case ENOSPC:
	case EDQUOT:
	case EROFS:
	case EACCES:
	case EPERM:
	case EIO:
	case ENOMEM:
	case EMFILE:
	case ENFILE:
	case ENOLCK:
	/* A network file system gone away under the store. */
	case ESTALE:
	case ENOTCONN:
	case ETIMEDOUT:
	case ENODEV:
	case ENXIO:
		return FAULT_ENVIRONMENT;
	default:
		return -1;
	}
}
