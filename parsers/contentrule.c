/* contentrule: see include/contentrule.h. */
#include <string.h>

#include <glib.h>

#include "contentrule.h"

/* What libmagic (file 5.4x) calls the programs a double click starts,
 * and what a clerk is told each is. */
static const struct {
	const char *mime, *words;
} programs[] = {
	{ "application/vnd.microsoft.portable-executable", "Windows 程序" },
	{ "application/x-dosexec", "Windows 程序" },
	{ "application/x-msdownload", "Windows 程序" },
	{ "application/x-ms-ne-executable", "Windows 程序" },
	{ "application/x-msi", "Windows 安装程序" },
	{ "application/x-ms-installer", "Windows 安装程序" },
	{ "application/x-ms-shortcut", "Windows 快捷方式" },
	{ "text/x-msdos-batch", "Windows 批处理程序" },
	{ "application/x-executable", "可执行程序" },
	{ "application/x-pie-executable", "可执行程序" },
	{ "application/x-sharedlib", "可执行程序" },
	{ "application/x-mach-binary", "可执行程序" },
	{ "text/x-shellscript", "脚本程序" },
};

/* Words for the types works and their papers come in. */
static const struct {
	const char *mime, *words;
} known[] = {
	{ "video/mp4", "MP4 视频" },
	{ "video/quicktime", "MOV 视频" },
	{ "video/x-msvideo", "AVI 视频" },
	{ "video/x-matroska", "MKV 视频" },
	{ "video/webm", "WebM 视频" },
	{ "video/mpeg", "MPEG 视频" },
	{ "video/x-flv", "FLV 视频" },
	{ "video/x-ms-asf", "WMV 视频" },
	{ "video/3gpp", "3GP 视频" },
	{ "audio/mpeg", "MP3 音频" },
	{ "audio/x-wav", "WAV 音频" },
	{ "audio/x-m4a", "M4A 音频" },
	{ "audio/flac", "FLAC 音频" },
	{ "image/jpeg", "JPG 图片" },
	{ "image/png", "PNG 图片" },
	{ "image/gif", "GIF 图片" },
	{ "image/bmp", "BMP 图片" },
	{ "image/x-ms-bmp", "BMP 图片" },
	{ "image/heic", "HEIC 图片" },
	{ "image/webp", "WebP 图片" },
	{ "image/tiff", "TIFF 图片" },
	{ "application/pdf", "PDF 文档" },
	{ "application/msword", "Word 文档" },
	{ "application/vnd.openxmlformats-officedocument.wordprocessingml."
	    "document", "Word 文档" },
	{ "application/vnd.ms-excel", "Excel 表格" },
	{ "application/vnd.openxmlformats-officedocument.spreadsheetml."
	    "sheet", "Excel 表格" },
	{ "application/vnd.ms-powerpoint", "PowerPoint 演示文稿" },
	{ "application/vnd.openxmlformats-officedocument.presentationml."
	    "presentation", "PowerPoint 演示文稿" },
	{ "application/zip", "ZIP 压缩包" },
	{ "application/x-rar", "RAR 压缩包" },
	{ "application/vnd.rar", "RAR 压缩包" },
	{ "application/x-7z-compressed", "7z 压缩包" },
	{ "text/plain", "纯文本文件" },
	{ "text/html", "网页文件" },
	/* An Office 97 container that names no Word, Excel or PowerPoint
	 * stream: a damaged or odd file in Office's old wrapping. */
	{ "application/x-ole-storage", "旧版 Office 格式文件（无法确认是 Word "
	    "文档，可能已损坏）" },
};

/* The words content = takes for a family, and what each stands for. */
static const char *const family_video[] = {
	"video/*", NULL,
};
static const char *const family_audio[] = {
	"audio/*", NULL,
};
static const char *const family_image[] = {
	"image/*", NULL,
};
static const char *const family_word[] = {
	"application/msword",
	"application/vnd.openxmlformats-officedocument.wordprocessingml."
	    "document",
	"application/vnd.ms-works", NULL,
};
static const char *const family_pdf[] = {
	"application/pdf", NULL,
};
static const char *const family_text[] = {
	"text/plain", NULL,
};
static const char *const family_archive[] = {
	"application/zip", "application/x-rar", "application/vnd.rar",
	"application/x-7z-compressed", NULL,
};

static const struct {
	const char *word, *words;
	const char *const *types;
} families[] = {
	{ "video", "视频", family_video },
	{ "audio", "音频", family_audio },
	{ "image", "图片", family_image },
	{ "word", "Word 文档", family_word },
	{ "pdf", "PDF 文档", family_pdf },
	{ "text", "纯文本文件", family_text },
	{ "archive", "压缩包", family_archive },
};

/* The top-level types of RFC 6838, which a libmagic type starts with. */
static const char *const top_types[] = {
	"application", "audio", "font", "image", "message", "model",
	"multipart", "text", "video", NULL,
};

static int
family_find(const char *word)
{
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(families); i++)
		if (strcmp(families[i].word, word) == 0)
			return (int)i;
	return -1;
}

/* "type/subtype" or "type/ *" with a registered top-level type. */
static bool
mime_shaped(const char *s)
{
	const char *slash = strchr(s, '/');
	g_autofree char *top = NULL;
	size_t n;

	if (slash == NULL || slash == s)
		return false;
	top = g_strndup(s, (size_t)(slash - s));
	if (!g_strv_contains(top_types, top))
		return false;
	if (strcmp(slash + 1, "*") == 0)
		return true;
	n = strlen(slash + 1);
	return n > 0 && strspn(slash + 1,
	    "abcdefghijklmnopqrstuvwxyz0123456789.+-_") == n;
}

int
contentrule_parse(const char *text, char ***types_r, bool *warn_r,
    char **error_r)
{
	g_autofree char *v = g_ascii_strdown(text != NULL ? text : "", -1);
	char *end, **list;
	GPtrArray *types;
	size_t i;

	*types_r = NULL;
	*warn_r = false;
	g_strstrip(v);
	/* The severity is the last word, after a space. */
	if ((end = strrchr(v, ' ')) != NULL && (strcmp(end + 1, "warn") == 0 ||
	    strcmp(end + 1, "reject") == 0)) {
		*warn_r = strcmp(end + 1, "warn") == 0;
		*end = '\0';
		g_strstrip(v);
	}
	if (strcmp(v, "any") == 0)
		return 0;
	/* Kept entries go to a list of their own: compacting the split in
	 * place left one string in two slots, freed twice on an error. */
	list = g_strsplit(v, ";", -1);
	types = g_ptr_array_new_with_free_func(g_free);
	for (i = 0; list[i] != NULL; i++) {
		const char *e = g_strstrip(list[i]);

		if (*e == '\0')
			continue;
		if (family_find(e) < 0 && !mime_shaped(e)) {
			*error_r = g_strdup_printf("\"%s\" is not a MIME type "
			    "such as video/mp4 or video/*, nor one of video, "
			    "audio, image, word, pdf, text, archive, any", e);
			g_strfreev(list);
			g_ptr_array_unref(types);
			return -1;
		}
		g_ptr_array_add(types, g_strdup(e));
	}
	g_strfreev(list);
	if (types->len == 0) {
		*error_r = g_strdup("names no type: write video/mp4;video/"
		    "quicktime, a word such as video, or any");
		g_ptr_array_unref(types);
		return -1;
	}
	g_ptr_array_add(types, NULL);
	*types_r = (char **)g_ptr_array_free(types, FALSE);
	return 0;
}

bool
contentrule_is_program(const char *mime)
{
	size_t i;

	for (i = 0; mime != NULL && i < G_N_ELEMENTS(programs); i++)
		if (strcmp(programs[i].mime, mime) == 0)
			return true;
	return false;
}

/* One entry of a list (a type, a family "video/ *", a word) against mime. */
static bool
entry_takes(const char *entry, const char *mime)
{
	size_t n = strlen(entry);
	int f;
	size_t i;

	if ((f = family_find(entry)) >= 0) {
		for (i = 0; families[f].types[i] != NULL; i++)
			if (entry_takes(families[f].types[i], mime))
				return true;
		return false;
	}
	if (n >= 2 && strcmp(entry + n - 2, "/*") == 0)
		return strncmp(entry, mime, n - 1) == 0;
	return g_ascii_strcasecmp(entry, mime) == 0;
}

bool
contentrule_is_archive(const char *mime)
{
	return mime != NULL && *mime != '\0' &&
	    entry_takes("archive", mime);
}

bool
contentrule_allows(const char *const *types, const char *mime)
{
	size_t i;

	if (types == NULL || mime == NULL || *mime == '\0')
		return true;
	for (i = 0; types[i] != NULL; i++)
		if (entry_takes(types[i], mime))
			return true;
	return false;
}

enum content_verdict
contentrule_judge(const struct content_rule *rule, const char *mime)
{
	if (mime == NULL || *mime == '\0')
		return CONTENT_FITS;
	if (contentrule_is_program(mime))
		return CONTENT_PROGRAM;
	if (rule == NULL || contentrule_allows(rule->types, mime))
		return CONTENT_FITS;
	return CONTENT_MISFIT;
}

const char *
contentrule_words(const char *mime)
{
	size_t i;

	if (mime == NULL)
		return NULL;
	for (i = 0; i < G_N_ELEMENTS(programs); i++)
		if (strcmp(programs[i].mime, mime) == 0)
			return programs[i].words;
	for (i = 0; i < G_N_ELEMENTS(known); i++)
		if (strcmp(known[i].mime, mime) == 0)
			return known[i].words;
	if (g_str_has_prefix(mime, "video/"))
		return "视频";
	if (g_str_has_prefix(mime, "audio/"))
		return "音频";
	if (g_str_has_prefix(mime, "image/"))
		return "图片";
	return NULL;
}

/* "视频、JPG 图片": what a list takes, in words. */
static char *
types_words(const char *const *types)
{
	GString *s = g_string_new(NULL);
	size_t i;

	for (i = 0; types != NULL && types[i] != NULL; i++) {
		int f = family_find(types[i]);
		const char *w = f >= 0 ? families[f].words :
		    contentrule_words(types[i]);

		if (w == NULL)
			w = types[i];
		/* video/mp4 and video/quicktime are both "视频" at worst:
		 * say each thing once. */
		if (strstr(s->str, w) != NULL)
			continue;
		g_string_append_printf(s, "%s%s", s->len > 0 ? "、" : "", w);
	}
	return g_string_free(s, FALSE);
}

/* A space between Chinese and a Latin word, as the words themselves are
 * written ("Word 文档"). */
static const char *
lead_space(const char *words)
{
	return g_ascii_isalnum(*words) ? " " : "";
}

char *
contentrule_text(enum content_verdict v, const char *name, const char *mime,
    const char *const *types, const char *kind)
{
	return contentrule_text_in(v, NULL, name, mime, types, kind);
}

char *
contentrule_text_in(enum content_verdict v, const char *archive,
    const char *name, const char *mime, const char *const *types,
    const char *kind)
{
	const char *words = contentrule_words(mime);
	g_autofree char *shown = g_utf8_make_valid(name != NULL ? name : "", -1);
	g_autofree char *in = archive != NULL ? g_utf8_make_valid(archive,
	    -1) : NULL;
	g_autofree char *who = in != NULL ? g_strdup_printf("压缩包“%s”中的"
	    "“%s”", in, shown) : g_strdup_printf("附件“%s”", shown);
	g_autofree char *takes = NULL;

	switch (v) {
	case CONTENT_PROGRAM:
		return g_strdup_printf("%s实际是%s%s，不能作为作品提交。",
		    who, lead_space(words), words);
	case CONTENT_MISFIT:
		takes = types_words(types);
		/* A type with no words for it is not shown by its name
		 * (application/x-...): a clerk reads no MIME types. */
		if (strcmp(mime, "application/octet-stream") == 0 ||
		    words == NULL)
			return g_strdup_printf("%s的内容无法识别，不是本次征集"
			    "接受的%s格式（接受：%s），可能已损坏或格式不对。",
			    who, kind, takes);
		return g_strdup_printf("%s实际是%s%s，不是本次征集接受的%s"
		    "格式（接受：%s）。", who, lead_space(words), words, kind,
		    takes);
	case CONTENT_FITS:
	default:
		return NULL;
	}
}
