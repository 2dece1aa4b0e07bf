/* mail_limits: see include/mail_limits.h. */
#include "mail_limits.h"

struct mail_limits mail_limits = {
	.subject_bytes = LIMIT_SUBJECT_BYTES,
	.mime_depth = LIMIT_MIME_DEPTH,
	.mime_parts = LIMIT_MIME_PARTS,
	.header_bytes = LIMIT_HEADER_BYTES,
	.message_bytes = LIMIT_MESSAGE_BYTES,
};
