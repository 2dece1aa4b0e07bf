/*
 * mail_limits: every bound on data that comes from mail, in one place.
 *
 * The LIMIT_* below are the defaults.  A struct mail_limits carries the
 * ones in force and is handed to whoever reads mail (the MIME parser, the
 * TNEF reader, ingest's size check): the main configuration's [limits]
 * section fills the one in struct config, and a test or a campaign may
 * hand in its own.  There is no process-wide copy, so two messages can be
 * parsed under different limits in one process.
 *
 * A field left 0 means its default (a zeroed struct, or NULL where a
 * function takes a pointer, is all defaults).  Over a limit, input is
 * rejected with a reason the submitter can act on, or truncated and
 * flagged: never a crash, never an unbounded allocation.
 */
#ifndef SUBGATE_MAIL_LIMITS_H
#define SUBGATE_MAIL_LIMITS_H

#include <stddef.h>
#include <stdint.h>

/* Bytes of a decoded subject or file name we are prepared to parse. */
#define LIMIT_SUBJECT_BYTES		4096
/* Bytes of a file name we keep in the store (NAME_MAX on Linux). */
#define LIMIT_FILENAME_BYTES		255
/* PCRE2 match and depth limits: a pattern of ours must never backtrack
 * for long on a hostile subject. */
#define LIMIT_REGEX_MATCH		100000
#define LIMIT_REGEX_DEPTH		5000
/* MIME nesting depth and leaf-part count of one message.  Both are
 * counted from the raw bytes before GMime builds its tree (mime_scan.h),
 * so a message of a million parts costs no more than one of 500. */
#define LIMIT_MIME_DEPTH		16
#define LIMIT_MIME_PARTS		500
/* Decoded bytes of one winmail.dat (application/ms-tnef) read for the
 * files it carries (streamed, never held whole); a bigger one is kept
 * whole. */
#define LIMIT_TNEF_BYTES		(64 * 1024 * 1024)
/* Decoded bytes of one attachment handed to libmagic to learn its type
 * by content (contenttype.h): every format a work or its papers come in
 * shows itself well within them (a docx's [Content_Types].xml, an MP4's
 * ftyp box), and libmagic's own default would read 7 MiB. */
#define LIMIT_MAGIC_BYTES		(256 * 1024)
/* Inspecting one video or audio file (inspect.h): bytes libavformat
 * may read of it (a two-hour film's index fits in a few MiB; a 1 GiB MP4
 * needs under 0.5 MiB), the wall time of the probe, and the streams
 * looked at. */
#define LIMIT_MEDIA_BYTES		(64 * 1024 * 1024)
#define LIMIT_MEDIA_MS			10000
#define LIMIT_MEDIA_STREAMS		16
/* Inspecting a picture or a text work: the bytes read of an image's
 * header (EXIF with its thumbnail comes before a JPEG's frame header and
 * can be large), the text of a document (a .docx's word/document.xml
 * expanded, a .txt, a PDF's extracted text), and the pages of a PDF read
 * for their text. */
#define LIMIT_IMAGE_HEAD_BYTES		(1024 * 1024)
#define LIMIT_TEXT_BYTES		(16 * 1024 * 1024)
#define LIMIT_PDF_PAGES			500
/* An archive (zip, 7z, RAR) opened in the inspecting process: entries
 * read (directories too), bytes they expand to in all, and the ratio of
 * those to the archive's own size, which only counts once the entries
 * expand past ARCHIVE_RATIO_FROM (a small text compresses well and harms
 * no one); a name longer than NAME_BYTES is no name a person gave.
 * Sizes the entries declare are counted first, then the bytes actually
 * read as they are, so an entry that lies is stopped too.  Over any of
 * them the archive is refused, not read further.  An archive inside an
 * archive is listed, never opened: ARCHIVE_DEPTH is what the code does,
 * not a setting. */
#define LIMIT_ARCHIVE_ENTRIES		1000
#define LIMIT_ARCHIVE_BYTES		(8ULL * 1024 * 1024 * 1024)
#define LIMIT_ARCHIVE_RATIO		200
#define LIMIT_ARCHIVE_RATIO_FROM	(16 * 1024 * 1024)
#define LIMIT_ARCHIVE_NAME_BYTES	1024
#define LIMIT_ARCHIVE_DEPTH		1
/* The inspecting child process: its wall time, CPU seconds, address
 * space, and the bytes of its JSON answer the daemon reads (an
 * archive's listing: LIMIT_ARCHIVE_ENTRIES names and their facts). */
#define LIMIT_INSPECT_MS		60000
#define LIMIT_INSPECT_CPU_S		30
#define LIMIT_INSPECT_MEMORY		(1024ULL * 1024 * 1024)
#define LIMIT_INSPECT_REPLY_BYTES	(4 * 1024 * 1024)
/* A registration form's cells and the paragraphs around them read out
 * of a .docx (regform.h), and the bytes of their text: a form is a
 * page of some fifty cells; the bound keeps the child's answer within
 * LIMIT_INSPECT_REPLY_BYTES whatever the document holds. */
#define LIMIT_FORM_ITEMS		400
#define LIMIT_FORM_BYTES		(24 * 1024)
/* Decoded body text (plain and HTML together) read for cloud
 * attachment links (message_body_text(), cloudlink.h): a provider's
 * block is a few kilobytes; what lies past a megabyte is not a block a
 * webmail wrote.  And links recorded of one mail: a unit sends a few
 * works, not a directory. */
#define LIMIT_BODY_BYTES		(1024 * 1024)
#define LIMIT_CLOUD_LINKS		20
/* Header bytes and header fields of one message: its own header block,
 * every part's and every forwarded message's together (GMime holds them
 * all in memory). */
#define LIMIT_HEADER_BYTES		(256 * 1024)
#define LIMIT_HEADER_FIELDS		5000
/* Bytes of multipart preambles and epilogues (the text outside the parts,
 * which GMime also holds in memory), all of one message together; a
 * multipart without a boundary is all preamble. */
#define LIMIT_PREAMBLE_BYTES		(1024 * 1024)
/* A bounce is read for the Message-IDs and recipients it names: at most
 * this many bytes of each of its parts, and this many parts. */
#define LIMIT_DSN_PART_BYTES		(64 * 1024)
#define LIMIT_DSN_PARTS			32
/* Default maximum message size accepted (campaigns may lower or raise it). */
#define LIMIT_MESSAGE_BYTES		(200ULL * 1024 * 1024)
/* Failed attempts at one message before it is quarantined. */
#define LIMIT_MESSAGE_ATTEMPTS		3
/* Messages fetched in one cycle before the next poll. */
#define LIMIT_FETCH_BATCH		200
/* One cloud attachment downloaded ([links] fetch_max_bytes), and the
 * failed attempts at one link before it is left to staff. */
#define LIMIT_FETCH_BYTES		(4ULL * 1024 * 1024 * 1024)
#define LIMIT_FETCH_ATTEMPTS		8

/*
 * The limits one parse or one configuration works under.  subject_bytes
 * may only be lowered (the grammar's own buffers are sized for
 * LIMIT_SUBJECT_BYTES); config.c keeps [limits] within bounds, and
 * mail_limits_resolve() caps subject_bytes for anyone else.  tnef_bytes,
 * magic_bytes, body_bytes and cloud_links are not configurable; they are
 * here so a test can lower them.
 */
struct mail_limits {
	size_t subject_bytes;		/* 0: LIMIT_SUBJECT_BYTES */
	unsigned mime_depth;		/* 0: LIMIT_MIME_DEPTH */
	unsigned mime_parts;		/* 0: LIMIT_MIME_PARTS */
	size_t header_bytes;		/* 0: LIMIT_HEADER_BYTES */
	unsigned header_fields;		/* 0: LIMIT_HEADER_FIELDS */
	size_t preamble_bytes;		/* 0: LIMIT_PREAMBLE_BYTES */
	uint64_t message_bytes;		/* 0: LIMIT_MESSAGE_BYTES */
	size_t tnef_bytes;		/* 0: LIMIT_TNEF_BYTES */
	size_t magic_bytes;		/* 0: LIMIT_MAGIC_BYTES */
	size_t dsn_part_bytes;		/* 0: LIMIT_DSN_PART_BYTES */
	unsigned dsn_parts;		/* 0: LIMIT_DSN_PARTS */
	size_t body_bytes;		/* 0: LIMIT_BODY_BYTES */
	unsigned cloud_links;		/* 0: LIMIT_CLOUD_LINKS */
};

/*
 * The limits one inspection works under (inspect.h), Dovecot style: a
 * field left 0 means its default.  Not configurable: they bound what a
 * hostile file can cost, not what a campaign accepts; tests lower them.
 */
struct inspect_limits {
	uint64_t media_bytes;		/* 0: LIMIT_MEDIA_BYTES */
	unsigned media_ms;		/* 0: LIMIT_MEDIA_MS */
	unsigned media_streams;		/* 0: LIMIT_MEDIA_STREAMS */
	size_t image_bytes;		/* 0: LIMIT_IMAGE_HEAD_BYTES */
	size_t text_bytes;		/* 0: LIMIT_TEXT_BYTES */
	unsigned pdf_pages;		/* 0: LIMIT_PDF_PAGES */
	unsigned archive_entries;	/* 0: LIMIT_ARCHIVE_ENTRIES */
	uint64_t archive_bytes;		/* 0: LIMIT_ARCHIVE_BYTES */
	unsigned archive_ratio;		/* 0: LIMIT_ARCHIVE_RATIO */
	uint64_t archive_ratio_from;	/* 0: LIMIT_ARCHIVE_RATIO_FROM */
	size_t archive_name_bytes;	/* 0: LIMIT_ARCHIVE_NAME_BYTES */
	unsigned inspect_ms;		/* 0: LIMIT_INSPECT_MS */
	unsigned inspect_cpu_s;		/* 0: LIMIT_INSPECT_CPU_S */
	uint64_t inspect_memory;	/* 0: LIMIT_INSPECT_MEMORY */
	size_t reply_bytes;		/* 0: LIMIT_INSPECT_REPLY_BYTES */
	size_t form_items;		/* 0: LIMIT_FORM_ITEMS */
	size_t form_bytes;		/* 0: LIMIT_FORM_BYTES */
};
/* *out = *in with every 0 field replaced by its default; in NULL: all
 * defaults. */
void inspect_limits_resolve(struct inspect_limits *out,
    const struct inspect_limits *in);

/* Every field at its default. */
#define MAIL_LIMITS_DEFAULT { \
	.subject_bytes = LIMIT_SUBJECT_BYTES, \
	.mime_depth = LIMIT_MIME_DEPTH, \
	.mime_parts = LIMIT_MIME_PARTS, \
	.header_bytes = LIMIT_HEADER_BYTES, \
	.header_fields = LIMIT_HEADER_FIELDS, \
	.preamble_bytes = LIMIT_PREAMBLE_BYTES, \
	.message_bytes = LIMIT_MESSAGE_BYTES, \
	.tnef_bytes = LIMIT_TNEF_BYTES, \
	.magic_bytes = LIMIT_MAGIC_BYTES, \
	.dsn_part_bytes = LIMIT_DSN_PART_BYTES, \
	.dsn_parts = LIMIT_DSN_PARTS, \
	.body_bytes = LIMIT_BODY_BYTES, \
	.cloud_links = LIMIT_CLOUD_LINKS, \
}

/* Sets every field of *limits to its default. */
void mail_limits_init(struct mail_limits *limits);
/* *out = *in with every 0 field replaced by its default and subject_bytes
 * capped at LIMIT_SUBJECT_BYTES; in NULL: all defaults.  What a reader of
 * mail uses, so it never has to think about 0. */
void mail_limits_resolve(struct mail_limits *out,
    const struct mail_limits *in);

#endif
