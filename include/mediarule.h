/*
 * mediarule: what a campaign asks of a video or audio work, and whether
 * the facts measured of a file (inspect.h reads them from the container's
 * headers and index) meet it, said in words a county clerk understands.
 *
 * The keys of a [file KIND] group (subgate.campaign(5)), each also as
 * KEY.CATEGORY, which overrides the unsuffixed one in that category:
 *   duration = RANGE SEVERITY [for TYPES]   RANGE: min X | max X | X..Y,
 *                                           alternatives joined by " | ";
 *                                           X: 3:00, 1:00:00, 90s
 *   resolution = 1920x1080 SEVERITY [for TYPES]
 *   aspect = 16:9 SEVERITY [for TYPES]      width x SAR / height, 1 %
 *   fps = 25 SEVERITY [for TYPES]           29.97 or 30000/1001; 1 %
 *   bitrate = RANGE SEVERITY [for TYPES]    overall: size x 8 / duration;
 *                                           X: 8M, 800k
 *   audio = yes|no SEVERITY [for TYPES]     an audio stream present
 *   pixels = min WxH | max WxH SEVERITY [for TYPES]   an image's size
 *   colorspace = cmyk|rgb SEVERITY [for TYPES]        a JPEG's colour model
 *   dpi = min N SEVERITY [for TYPES]        the density the file states
 *   characters = A..B | min A | max B SEVERITY [for TYPES]
 *                                           a text work's 字数 (textcount.h)
 * SEVERITY is warn (accepted, the receipt says it) or reject.  TYPES are
 * what content = takes (video/mp4;video/quicktime, video ...).
 *
 * A rule applies only to a file whose content fits its key (and is of
 * TYPES when given): duration, bitrate and audio to video or audio,
 * resolution, aspect and fps to one with a picture; pixels, colorspace
 * and dpi to images; characters to .docx, .pdf, .txt (and to .doc and
 * .wps, which are not read: a note to staff, characters-unknown, as for
 * a scanned PDF with no text).  A fact the file does not give (no
 * duration, no density) is no finding.
 * Durations compare in milliseconds, bounds included: 3:00.000 meets
 * "max 3:00", 3:00.001 does not.  A measured value is shown at the
 * precision that decides: "3分00.4秒", never a rounded figure that reads
 * like the limit.
 *
 * Pure: no I/O; strings returned are g_free'd by the caller.
 */
#ifndef SUBGATE_MEDIARULE_H
#define SUBGATE_MEDIARULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Which of the facts below a file's inspection filled. */
enum facts_kind {
	FACTS_AV,		/* video or audio: the fields at the top */
	FACTS_IMAGE,		/* .image */
	FACTS_TEXT,		/* .text */
	FACTS_ARCHIVE,		/* .archive */
};

struct archive_facts;

/* Whether a document's 字数 was counted, and if not why. */
enum text_state {
	TEXT_COUNTED,
	TEXT_SCANNED,		/* a PDF with no text layer */
	TEXT_OLD_FORMAT,	/* .doc, .wps: not read */
	TEXT_UNREADABLE,	/* damaged, encrypted, or over a limit */
};

/* What a file is, as its headers (and for a document its text) say. */
struct media_facts {
	enum facts_kind kind;
	bool failed;		/* not looked at to the end: the inspection
				   died, overran its budget or its time */
	bool readable;		/* libavformat opened it and found a stream */
	/* Its index points past its end: an MP4 with the index first
	 * (faststart) whose upload or download stopped, which opens as if
	 * whole.  expected_size is where the last sample ends. */
	bool truncated;
	uint64_t expected_size;
	bool video, audio;	/* a picture stream (not cover art), sound */
	int64_t duration_ms;	/* -1: unknown */
	unsigned width, height;	/* as shown: a phone's rotation applied */
	unsigned sar_num, sar_den;	/* pixel shape; 0: square */
	unsigned fps_num, fps_den;	/* 0: unknown */
	uint64_t size;		/* bytes of the file */
	uint64_t bitrate;	/* overall, bit/s; 0: unknown */
	uint64_t bytes_read;	/* what inspecting it read of the file */
	char container[32], vcodec[32], acodec[32];
	char error[160];	/* why it is unreadable or failed; "" */
	struct {
		bool known;		/* the header gave the size */
		unsigned width, height;
		unsigned dpi;		/* 0: the file states none */
		bool cmyk;
		char format[8];		/* "jpeg", "png" ... */
	} image;
	struct {
		enum text_state state;
		int64_t characters;	/* 字数, when counted */
		unsigned pages;		/* a PDF's */
		bool cut;		/* counted up to a limit, not to the end */
	} text;
	/* An archive's listing (archivelist.h); NULL for other kinds.
	 * Owned by whoever made the facts (media_facts_free()): a plain
	 * copy of the struct shares it and must not outlive the owner. */
	struct archive_facts *archive;
};

/* A copy of f with its own archive listing (media_facts_free), and the
 * release of one; *fp set NULL. */
struct media_facts *media_facts_copy(const struct media_facts *f);
void media_facts_free(struct media_facts **fp);

enum media_key {
	MEDIA_DURATION,
	MEDIA_RESOLUTION,
	MEDIA_ASPECT,
	MEDIA_FPS,
	MEDIA_BITRATE,
	MEDIA_AUDIO,
	MEDIA_PIXELS,
	MEDIA_COLORSPACE,
	MEDIA_DPI,
	MEDIA_CHARACTERS,
	MEDIA_KEYS,
};

/* Alternatives of one duration or bitrate rule. */
#define MEDIARULE_RANGES_MAX	4

struct media_range {
	int64_t min, max;	/* ms or bit/s; -1: open */
};

struct media_rule {
	enum media_key key;
	const char *category;	/* NULL: the kind's own, any category */
	bool warn;
	const char *const *types;	/* "for TYPES"; NULL: any video/audio */
	size_t nranges;		/* duration, bitrate */
	struct media_range ranges[MEDIARULE_RANGES_MAX];	/* and
				   characters */
	unsigned a, b;		/* resolution and pixels a x b, aspect a:b,
				   fps a/b, dpi a */
	bool yes;		/* audio; colorspace: cmyk */
	bool upper;		/* pixels: max (else min) */
};

enum media_severity {
	MEDIA_REJECT,
	MEDIA_WARN,
	MEDIA_NOTE,		/* staff's: listed, nothing more */
};

struct media_finding {
	const char *code;	/* "media-duration" ... (static) */
	enum media_severity severity;
	char *text;		/* "时长 9分12秒，微视频不超过 8 分钟", no full
				   stop: the caller names the work around it */
};

/* The key a campaign key names ("duration", or "duration.微视频" up to
 * the dot); -1: none. */
int mediarule_key(const char *name);
const char *mediarule_key_name(enum media_key key);

/* Parses a key's value into *rule (its key set, category left alone);
 * *types_r: the "for" list (g_strfreev; NULL: none), which rule->types
 * does not own.  <0 with *error_r (g_free) saying what is wrong. */
int mediarule_parse(enum media_key key, const char *text,
    struct media_rule *rule, char ***types_r, char **error_r);

/* Whether any of the n rules applies to a file of this content in this
 * category: whether it is worth inspecting at all. */
bool mediarule_wants(const struct media_rule *rules, size_t n,
    const char *category, const char *mime);

/* The findings of the n rules on facts f of a file of this content in
 * this category; what (the category, else the kind's name) is the noun
 * of the texts.  out holds MEDIA_KEYS + 1; returns how many were set
 * (mediarule_findings_clear).  An unreadable file is one finding,
 * media-unreadable (reject), one cut short whose index survived
 * media-incomplete (reject), a failed inspection inspect-failed (a
 * note); none is measured further. */
size_t mediarule_eval(const struct media_rule *rules, size_t n,
    const char *category, const char *what, const char *mime,
    const struct media_facts *f, struct media_finding *out);
void mediarule_findings_clear(struct media_finding *out, size_t n);

/* Whether a type by content is a text work's: Word, WPS, PDF, text. */
bool mediarule_text_mime(const char *mime);

/* The facts for people: "时长 9分12秒，1920×1080，25 帧/秒，总码率 9.4
 * Mbps，有声音", "3000×2000 像素，RGB，300 dpi", "约 986 字" (g_free). */
char *mediarule_facts_text(const struct media_facts *f);
/* "9分12秒", "3分00.4秒", "1小时02分03秒", "45秒" (g_free); decimals
 * 0-3. */
char *mediarule_duration_text(int64_t ms, unsigned decimals);

#endif
