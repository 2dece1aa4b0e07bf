/*
 * contentrule: what a file is by its content, and whether a kind of file
 * takes it, judged from the MIME type libmagic found in its first bytes
 * (contenttype.h finds it; this module only compares strings).
 *
 * Two rules, in this order:
 *   - A program (PE/MZ, ELF, Mach-O, a Windows shortcut or installer, a
 *     shell or batch script) is refused whatever its name says and
 *     whatever the campaign says: staff open what strangers send, and a
 *     .mp4 that is really an .exe is opened by a double click.
 *   - A [file KIND] group's content = LIST (subgate.campaign(5)) names
 *     the types the kind takes: MIME types as libmagic prints them
 *     (video/mp4), a whole family (video/ *), or a word standing for a
 *     family (video, audio, image, word, pdf, text, archive); "any" takes
 *     everything.  A file of the kind whose content is none of them is a
 *     misfit: refused, or (content = LIST warn) accepted with a word in
 *     the receipt.
 * A file whose type is unknown ("" or NULL: not looked at) fits every
 * rule; data libmagic cannot name is "application/octet-stream", which
 * fits only a rule that says any.
 *
 * The texts name the file as the submitter named it and say what it
 * really is in words a county clerk understands ("Word 文档", "Windows
 * 程序"), never a MIME type unless no words are known for it.
 *
 * Pure: no I/O; strings returned are g_free'd by the caller.
 */
#ifndef SUBGATE_CONTENTRULE_H
#define SUBGATE_CONTENTRULE_H

#include <stdbool.h>

/* One content = (or content.CATEGORY =) of a [file KIND] group. */
struct content_rule {
	const char *category;		/* NULL: the kind's own, any category */
	const char *const *types;	/* as written, lower case; NULL: any */
	bool warn;			/* a misfit is accepted, and said */
};

enum content_verdict {
	CONTENT_FITS,
	CONTENT_PROGRAM,		/* always refused */
	CONTENT_MISFIT,			/* not a type the rule takes */
};

/* Parses the value of content =: "video;image/jpeg", optionally ending
 * in " warn" or " reject" (the default).  *types_r: the entries, lower
 * case, NULL-terminated (g_strfreev), NULL for "any".  <0 with *error_r
 * (g_free) naming the entry that is no MIME type and no known word. */
int contentrule_parse(const char *text, char ***types_r, bool *warn_r,
    char **error_r);

/* Whether mime (a libmagic type) is a program. */
bool contentrule_is_program(const char *mime);

/* Whether mime is an archive's (zip, RAR, 7z: content = archive). */
bool contentrule_is_archive(const char *mime);

/* Whether types (NULL: any) take mime. */
bool contentrule_allows(const char *const *types, const char *mime);

/* The verdict on a file of this content under rule (NULL: the kind has
 * none); a program is CONTENT_PROGRAM under any rule or none. */
enum content_verdict contentrule_judge(const struct content_rule *rule,
    const char *mime);

/* What the content is, for people: "Word 文档", "MP4 视频", "Windows
 * 程序"; NULL when no words are known for it. */
const char *contentrule_words(const char *mime);

/* The first sentence of a refusal or a warning about a file: for
 * CONTENT_PROGRAM "附件“星城大爱.mp4”实际是 Windows 程序，不能作为作品提交。",
 * for CONTENT_MISFIT what it is and what the kind takes ("…实际是 Word
 * 文档，不是本次征集接受的作品文件格式（接受：视频）。"); kind is what
 * the file was taken for ("作品文件", "报名表").  NULL for CONTENT_FITS. */
char *contentrule_text(enum content_verdict v, const char *name,
    const char *mime, const char *const *types, const char *kind);
/* The same of an entry of an archive: "压缩包“作品.zip”中的“setup.exe”实际
 * 是 Windows 程序，…" (archive NULL: contentrule_text()). */
char *contentrule_text_in(enum content_verdict v, const char *archive,
    const char *name, const char *mime, const char *const *types,
    const char *kind);

#endif
