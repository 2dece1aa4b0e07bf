/* archivelist: see include/archivelist.h. */
#include <string.h>

#include <glib.h>

#include "archivelist.h"
#include "mail_limits.h"
#include "mediarule.h"

/* Control characters in a name would break the line of a reply or a
 * listing they are shown in; nothing a person types. */
static char *
name_tidy(char *name)
{
	char *c;

	for (c = name; *c != '\0'; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	return name;
}

char *
archivelist_name(const char *raw, size_t len, const char **charset_r)
{
	char *utf8;

	/* A NUL inside is where the name ends for everyone else too. */
	len = strnlen(raw, len);
	if (g_utf8_validate(raw, (gssize)len, NULL)) {
		*charset_r = "UTF-8";
		return name_tidy(g_strndup(raw, len));
	}
	if ((utf8 = g_convert(raw, (gssize)len, "UTF-8", "GB18030", NULL,
	    NULL, NULL)) != NULL) {
		*charset_r = "GB18030";
		return name_tidy(utf8);
	}
	*charset_r = "CP437";
	if ((utf8 = g_convert(raw, (gssize)len, "UTF-8", "CP437", NULL, NULL,
	    NULL)) != NULL)
		return name_tidy(utf8);
	/* No iconv for CP437 here: what can be shown of it. */
	return name_tidy(g_utf8_make_valid(raw, (gssize)len));
}

static enum archive_over
over(struct archive_facts *a, enum archive_over why, uint64_t limit)
{
	a->over = why;
	a->limit = limit;
	return why;
}

/* The bytes and the ratio, after a->expanded grew. */
static enum archive_over
check_bytes(struct archive_facts *a, const struct inspect_limits *lim)
{
	if (a->expanded > lim->archive_bytes)
		return over(a, ARCHIVE_OVER_BYTES, lim->archive_bytes);
	/* expanded / size > ratio, without the division's rounding. */
	if (a->expanded > lim->archive_ratio_from &&
	    a->expanded / lim->archive_ratio > a->size)
		return over(a, ARCHIVE_OVER_RATIO, lim->archive_ratio);
	return ARCHIVE_WITHIN;
}

enum archive_over
archivelist_account(struct archive_facts *a, const struct inspect_limits *lim,
    size_t name_bytes, uint64_t declared)
{
	if (a->over != ARCHIVE_WITHIN)
		return a->over;
	if (++a->entries > lim->archive_entries)
		return over(a, ARCHIVE_OVER_ENTRIES, lim->archive_entries);
	if (name_bytes > lim->archive_name_bytes)
		return over(a, ARCHIVE_OVER_NAME, lim->archive_name_bytes);
	/* Saturating: a declared 2^64-1 is over every limit, not 0. */
	a->expanded = declared > UINT64_MAX - a->expanded ? UINT64_MAX :
	    a->expanded + declared;
	return check_bytes(a, lim);
}

enum archive_over
archivelist_more(struct archive_facts *a, const struct inspect_limits *lim,
    uint64_t bytes)
{
	if (a->over != ARCHIVE_WITHIN)
		return a->over;
	a->expanded = bytes > UINT64_MAX - a->expanded ? UINT64_MAX :
	    a->expanded + bytes;
	return check_bytes(a, lim);
}

struct archive_item *
archivelist_add(struct archive_facts *a, char *name)
{
	struct archive_item *it;

	a->items = g_renew(struct archive_item, a->items, a->count + 1);
	it = &a->items[a->count++];
	memset(it, 0, sizeof(*it));
	it->name = name;
	return it;
}

char *
archivelist_over_text(const struct archive_facts *a)
{
	switch (a->over) {
	case ARCHIVE_OVER_ENTRIES:
		return g_strdup_printf("%" G_GUINT64_FORMAT " 个文件", a->limit);
	case ARCHIVE_OVER_BYTES:
		if (a->limit >= (uint64_t)1024 * 1024 * 1024 &&
		    a->limit % ((uint64_t)1024 * 1024 * 1024) == 0)
			return g_strdup_printf("%" G_GUINT64_FORMAT " GB",
			    a->limit / (uint64_t)(1024 * 1024 * 1024));
		return g_strdup_printf("%" G_GUINT64_FORMAT " MB",
		    (a->limit + 1024 * 1024 - 1) / (uint64_t)(1024 * 1024));
	case ARCHIVE_OVER_RATIO:
		return g_strdup_printf("原大小的 %" G_GUINT64_FORMAT " 倍",
		    a->limit);
	case ARCHIVE_OVER_NAME:
		return g_strdup_printf("%" G_GUINT64_FORMAT " 字节的文件名长度",
		    a->limit);
	case ARCHIVE_WITHIN:
	default:
		return NULL;
	}
}

struct archive_facts *
archivelist_new(void)
{
	struct archive_facts *a = g_new0(struct archive_facts, 1);

	a->charset = "UTF-8";
	return a;
}

struct archive_facts *
archivelist_copy(const struct archive_facts *a)
{
	struct archive_facts *c;
	size_t i;

	if (a == NULL)
		return NULL;
	c = g_memdup2(a, sizeof(*a));
	c->items = g_new0(struct archive_item, a->count + 1);
	for (i = 0; i < a->count; i++) {
		c->items[i] = a->items[i];
		c->items[i].name = g_strdup(a->items[i].name);
		if (a->items[i].media != NULL)
			c->items[i].media = g_memdup2(a->items[i].media,
			    sizeof(*a->items[i].media));
	}
	return c;
}

void
archivelist_free(struct archive_facts **ap)
{
	struct archive_facts *a = *ap;
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < a->count; i++) {
		g_free(a->items[i].name);
		g_free(a->items[i].media);
	}
	g_free(a->items);
	g_free(a);
	*ap = NULL;
}

void
media_facts_free(struct media_facts **fp)
{
	if (*fp == NULL)
		return;
	archivelist_free(&(*fp)->archive);
	g_clear_pointer(fp, g_free);
}

struct media_facts *
media_facts_copy(const struct media_facts *f)
{
	struct media_facts *c;

	if (f == NULL)
		return NULL;
	c = g_memdup2(f, sizeof(*f));
	c->archive = archivelist_copy(f->archive);
	return c;
}
