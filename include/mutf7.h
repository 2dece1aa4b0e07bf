/*
 * mutf7: IMAP's modified UTF-7 for mailbox names (RFC 3501 section
 * 5.1.3).  Campaign folders are often Chinese ("投稿", "已处理"), and IMAP
 * servers take mailbox names only in this encoding.
 */
#ifndef SUBGATE_MUTF7_H
#define SUBGATE_MUTF7_H

/* The modified UTF-7 form of a UTF-8 name (g_free); NULL when the input
 * is not valid UTF-8. */
char *mutf7_encode(const char *utf8);

#endif
