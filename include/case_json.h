/*
 * case_json: the one owner of a case folder's case.json, written and read
 * with json-glib.
 *
 * case.json is the case as staff find it in the folder: who sent it, the
 * fields as recognised (normalised, and as typed), the files with their
 * sizes and SHA-256, and every staff decision appended under "reviews".
 * The database is authoritative for status and corrected fields; case.json
 * follows it (written after a commit, or replaced inside a decision's
 * transaction), so a folder copied off the server still tells its story.
 *
 * Every function here builds or reads the document; none writes the file
 * except case_json_set_status(), which replaces it atomically.  Strings
 * are made valid UTF-8 before they go in, so a hostile file name cannot
 * break the document.  A document larger than CASE_JSON_MAX_BYTES is not
 * read (subgate writes a few kilobytes).
 *
 * Returns: 0 ok, <0 with *error_r (g_free); builders return g_free'd text.
 */
#ifndef SUBGATE_CASE_JSON_H
#define SUBGATE_CASE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest case.json read. */
#define CASE_JSON_MAX_BYTES	(4 * 1024 * 1024)

struct db_case_review;
typedef struct _JsonObject JsonObject;

struct case_field {
	char *name;
	char *value;
};

/* What checking a file's content found (mailplan's content-*, media-*,
 * inspect-* problems): case.json's top-level "findings", one per
 * finding, naming the file. */
struct case_finding {
	char *code;		/* "media-duration" */
	char *severity;		/* "warn", "note" */
	char *file;		/* the attachment's original name */
	char *text;		/* as the receipt said it */
	/* Of an archive: the entry it is about, its index in the listing
	 * (its archive's items) and its path there; -1 and NULL: the
	 * file itself. */
	int entry;
	char *entry_name;
};

struct media_facts;

struct case_attachment {
	char *name;		/* in the case folder */
	char *original_name;	/* as the submitter named it */
	char *content_type;	/* as the mail declared it */
	/* What its first bytes show (contenttype.h), "content": {"mime"}
	 * in case.json; NULL: not looked at (or written before it was). */
	char *content_mime;
	/* What the virus scanner said ([policy] scan = clamd), "scan":
	 * {"result", "note"}: "clean", or "skipped" with a note for staff
	 * ("未扫描（超过100 MB）"); NULL: not scanned. */
	char *scan;
	char *scan_note;
	/* What its headers and index measure (inspect.h), "content":
	 * {"media"}; NULL: not inspected. */
	struct media_facts *media;
	/* What the checks of its content found, for "findings". */
	struct case_finding *findings;
	size_t finding_count;
	uint64_t size;
	char *sha256;
	/* What the file was taken for (mailplan.h): "work", "companion",
	 * "other"; the companion's kind, the version marker, the episode.
	 * NULL and 0 in case.json files written before these existed. */
	char *role;
	char *kind;
	char *marker;
	unsigned episode;
	/* The receipt of the case the file now belongs to: a case filed
	 * before works were recorded, split into one case per work, keeps
	 * every file it had and names where each other work's went.  NULL:
	 * the case's own. */
	char *moved_to;
};

/* A cloud attachment link registered with the case (cloudlink.h), its
 * "links" entry: recorded, not fetched. */
struct case_link {
	char *provider;		/* "qq", "netease", "sina", "baidu", "other" */
	char *url;
	char *name;		/* from the provider's block, or NULL */
	uint64_t size;		/* 0: unknown */
	char *expires_text;	/* as the block wrote it, or NULL */
	char *expires_at;	/* ISO 8601 with offset; NULL: unknown or
				   none (无限期) */
	char *pass_code;	/* 提取码, or NULL */
	char *role;		/* as an attachment's: "work", "companion" */
	char *kind;
	/* What fetching it did ("fetch": {"state"}, linkfetch.h): fetched,
	 * manual, failed, expired ...; NULL: not tried. */
	char *fetch_state;
};

void case_link_clear(struct case_link *l);
/* Whether the file is in the case (fetched, or by hand). */
bool case_link_downloaded(const struct case_link *l);
/* How long staff have to download it, as of now (unix time): "剩3天",
 * "剩5小时", "已过期", "长期有效" (无限期), "有效期未知"; once fetched
 * "已下载", "已过期未下载" when the provider said expired, "已隔离" when
 * infected (g_free).
 * *urgent_r (may be NULL): expired, or within CASE_LINK_URGENT_HOURS. */
#define CASE_LINK_URGENT_HOURS	72
char *case_link_countdown(const struct case_link *l, int64_t now,
    bool *urgent_r);
/* "QQ邮箱·1.2 GB·至 2024-09-12 10:30": provider, size (when known) and
 * expiry, in the campaign's time as case.json has it (g_free). */
char *case_link_label(const struct case_link *l);

/* The registration form read with a case (regform.h): case.json's
 * "form": {"file", "fields": {FIELD: value}, "labels": {FIELD: label},
 * "problems": [code, ...]}.  Form values never stand in for the
 * convention's fields: they are beside them. */
struct case_form {
	const char *file;		/* its name in the case folder */
	const char *const *fields;	/* fields[i] = values[i], read */
	const char *const *values;	/* under labels[i]; "" blank */
	const char *const *labels;
	size_t count;
	const char *const *problems;	/* its form-* codes, NULL-terminated;
					   NULL: none */
};

/* What a new case's case.json says; the strings are the caller's. */
struct case_json_new {
	const char *receipt;
	const char *campaign;
	const char *status;
	/* names[i], values[i] (normalised) and originals[i] (as typed) */
	const char *const *field_names;
	const char *const *field_values;
	const char *const *field_originals;
	size_t field_count;
	const char *from;
	const char *from_name;
	const char *subject;
	const char *message_id;
	const char *received_at;	/* ISO 8601 with offset */
	const char *batch;		/* the batch's label, or NULL */
	const char *message_sha256;
	const struct case_attachment *attachments;
	size_t attachment_count;
	const struct case_link *links;		/* "links", when any */
	size_t link_count;
	const struct case_form *form;		/* "form"; NULL: none read */
};

/* What staff tools read back from a case.json. */
struct case_json_summary {
	char *receipt;
	char *message_sha256;		/* of original.eml */
	char *from_name;
	char *subject;
	char *message_id;
	struct case_field *fields;	/* NULL when the document has none */
	size_t field_count;
	struct case_attachment *attachments;
	size_t attachment_count;
	uint64_t total_size;
	struct case_finding *findings;	/* case.json's "findings" */
	size_t finding_count;
	struct case_link *links;	/* NULL when the document has none */
	size_t link_count;
};

void case_findings_free(struct case_finding *findings, size_t n);

/* What an attachment was taken for, as staff read it: its kind
 * ("报名表"), "作品文件" (with its version: "作品文件（有字幕）") or
 * "其他文件"; NULL for a case.json written before roles were recorded
 * (g_free). */
char *case_attachment_label(const struct case_attachment *a);

/* The document of a new case, one line and a newline (g_free). */
char *case_json_build(const struct case_json_new *c);

/* <store_dir>/<dir>/case.json as text, at most CASE_JSON_MAX_BYTES. */
int case_json_read(const char *store_dir, const char *dir, char **data_r,
    size_t *len_r, char **error_r);

/* Parses a document; only attachments with a plain name (no '/', not "."
 * or "..") are listed, since staff tools link to them. */
int case_json_summarize(const char *data, size_t len,
    struct case_json_summary *s, char **error_r);
void case_json_summary_clear(struct case_json_summary *s);

/* {"name": "value", ...} in document order: the fields object of a case
 * (or a decision's changes).  Members that are not strings are skipped. */
int case_json_fields_parse(const char *json, struct case_field **fields_r,
    size_t *count_r, char **error_r);
void case_fields_free(struct case_field *fields, size_t count);
/* The fields object for names and values (g_free). */
char *case_json_fields_text(const char *const *names,
    const char *const *values, size_t count);

/* The document with a staff decision applied: status, corrected fields
 * (changes: field name to new value), and the decision appended to
 * "reviews" (g_free), or NULL and *error_r. */
char *case_json_with_review(const char *old, size_t len,
    const struct db_case_review *r, const char *reviewed_at,
    JsonObject *changes, char **error_r);

/* The document with attachment i marked "moved_to": moved_to[i] (NULL:
 * the mark taken away), for each of the n files of the mail in order
 * (g_free).  The document must list exactly those files, each as
 * original_names[i]; else NULL and *error_r, as a case whose folder no
 * longer holds the mail as it came cannot be told apart file by file. */
char *case_json_with_moves(const char *old, size_t len,
    const char *const *original_names, const char *const *moved_to,
    size_t n, char **error_r);

/* What fetching a link did (linkfetch.h): its "fetch" member. */
struct case_link_fetch {
	const char *state;	/* as case_links.state */
	uint64_t bytes;
	const char *sha256;	/* NULL until fetched */
	const char *saved_as;	/* its name in the case folder, or NULL */
	const char *error;	/* why not (yet), or NULL */
};

/* The document with link pos (1..) given f as its "fetch" and, once
 * fetched, a (NULL: none) among the attachments with "from_link" (its
 * index in "links") and its findings under "findings"; an attachment of
 * the same name and its findings written before are replaced (g_free),
 * or NULL and *error_r. */
char *case_json_with_link_fetch(const char *old, size_t len, unsigned pos,
    const struct case_link_fetch *f, const struct case_attachment *a,
    char **error_r);

/* Replaces the document's status with `to` when it is `from` (another
 * status is left alone: a decision may have come first); the file is
 * replaced atomically.  0 also when nothing was to change. */
int case_json_set_status(const char *store_dir, const char *dir,
    const char *from, const char *to, char **error_r);

#endif
