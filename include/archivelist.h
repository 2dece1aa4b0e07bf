/*
 * archivelist: what an archive (zip, 7z, RAR) holds, as the inspecting
 * process lists it (gateway/inspect_archive.c reads it with libarchive):
 * each entry's name in UTF-8, its size, its type by content, whether it
 * is encrypted, and for a video, picture or text entry what it measures;
 * and whether the archive as a whole stays within the named limits of
 * struct inspect_limits (mail_limits.h).  The planner judges the
 * entries (mailplan.h); the archive stays the file of record.
 *
 * Names: a zip written by Windows' Explorer, WinRAR or 360压缩 on a
 * Chinese system stores GBK bytes without the UTF-8 flag, and libarchive
 * hands those bytes over as they are.  A name that is valid UTF-8 is
 * kept (flagged zips, 7z, RAR5 and plain ASCII); else it is read as
 * GB18030 (a superset of GBK and GB2312); else as CP437, the zip
 * format's own default, which decodes every byte.  Validity is 7-Zip's
 * own test; a short GBK name that happens to be valid UTF-8 is the risk.
 *
 * Accounting: archivelist_account() is told of each entry (its name's
 * bytes, its declared size) and of bytes read beyond what was declared,
 * and says when a limit is crossed; counting stops at the first.
 *
 * Pure: no I/O.  Strings are UTF-8 and owned by the facts.
 */
#ifndef SUBGATE_ARCHIVELIST_H
#define SUBGATE_ARCHIVELIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct inspect_limits;
struct media_facts;

/* Which limit an archive went over, if any. */
enum archive_over {
	ARCHIVE_WITHIN,
	ARCHIVE_OVER_ENTRIES,
	ARCHIVE_OVER_BYTES,
	ARCHIVE_OVER_RATIO,
	ARCHIVE_OVER_NAME,
};

struct archive_item {
	char *name;		/* its path in the archive, UTF-8 */
	uint64_t size;		/* expanded: declared, or as read */
	char mime[96];		/* by content; "": not looked at */
	bool encrypted;		/* its data cannot be read */
	bool nested;		/* an archive itself: listed, not opened */
	struct media_facts *media;	/* what it measures; NULL: not
					   inspected */
};

struct archive_facts {
	bool opened;		/* false: not an archive libarchive reads;
				   error says why */
	bool encrypted;		/* an entry is, or its names are */
	const char *charset;	/* of its names: "UTF-8", "GB18030",
				   "CP437" (static) */
	enum archive_over over;
	uint64_t limit;		/* the limit it went over */
	unsigned entries;	/* read, directories included */
	uint64_t expanded;	/* what they expand to, so far */
	uint64_t size;		/* of the archive file */
	char error[160];
	size_t count;		/* items: regular files only */
	struct archive_item *items;
};

/* The UTF-8 of an entry name as libarchive gave it (len bytes), as above
 * (g_free); *charset_r the charset it was read in (static). */
char *archivelist_name(const char *raw, size_t len, const char **charset_r);

/* Counts one more entry of name_bytes whose declared size is declared
 * (0: none declared) into a; then, for each read beyond what an entry
 * declared, archivelist_more().  Both return a->over: ARCHIVE_WITHIN
 * while within lim (resolved: no 0 fields). */
enum archive_over archivelist_account(struct archive_facts *a,
    const struct inspect_limits *lim, size_t name_bytes, uint64_t declared);
enum archive_over archivelist_more(struct archive_facts *a,
    const struct inspect_limits *lim, uint64_t bytes);

/* A new item at the end of a->items (its fields zero, name owned). */
struct archive_item *archivelist_add(struct archive_facts *a, char *name);

/* What went over, for people: "1000 个文件", "8 GB", "200 倍压缩比",
 * "1024 字节的文件名" (g_free); NULL when within. */
char *archivelist_over_text(const struct archive_facts *a);

/* A deep copy (archivelist_free), and the release of one made by
 * archivelist_new() or a copy; *ap set NULL. */
struct archive_facts *archivelist_new(void);
struct archive_facts *archivelist_copy(const struct archive_facts *a);
void archivelist_free(struct archive_facts **ap);

#endif
