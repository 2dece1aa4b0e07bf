/*
 * imap: the IMAP side of a polling cycle (libetpan).
 *
 * Read-only towards the mailbox: messages are fetched with BODY.PEEK so
 * \Seen stays as staff left it in webmail, and nothing is moved or flagged
 * here.  Progress is the caller's: it records UIDVALIDITY and the last UID
 * it committed, and asks for what lies beyond.
 *
 * A message is fetched in chunks (partial FETCH) straight into a file
 * descriptor, so its size never shows in our memory.
 * Functions return 0 on success, <0 with *error_r (g_free) on error.
 */
#ifndef SUBGATE_IMAP_H
#define SUBGATE_IMAP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct config_imap;
struct imap;

struct imap_summary {
	uint32_t uid;
	uint64_t size;			/* RFC822.SIZE */
	time_t internaldate;		/* server arrival time */
	int tz_offset_min;		/* its zone, minutes east of UTC */
};

int imap_connect(const struct config_imap *config, struct imap **imap_r,
    char **error_r);
void imap_close(struct imap **imap);

int imap_select(struct imap *imap, const char *folder,
    uint32_t *uidvalidity_r, char **error_r);
/* Messages with UID > after, in UID order, at most limit of them. */
int imap_list_after(struct imap *imap, uint32_t after, size_t limit,
    struct imap_summary **list_r, size_t *count_r, char **error_r);
/* Writes the whole message (size bytes) to fd. */
int imap_fetch_to_fd(struct imap *imap, uint32_t uid, uint64_t size, int fd,
    char **error_r);

#endif
