/* imap: see include/imap.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <libetpan/libetpan.h>

#include "config.h"
#include "imap.h"

/* A silent server must not hang a cycle forever. */
#define IMAP_TIMEOUT_SECONDS	120
/* Bytes per partial FETCH: big enough to be quick, small enough that a
 * 1 GiB attachment never sits in memory. */
#define IMAP_CHUNK_BYTES	(1024 * 1024)

struct imap {
	mailimap *session;
	char *host;
};

static int
imap_fail(struct imap *imap, const char *what, int r, char **error_r)
{
	const char *server = NULL;

	if (imap->session != NULL && imap->session->imap_response != NULL)
		server = imap->session->imap_response;
	*error_r = g_strdup_printf("imap %s: %s failed (libetpan error %d)%s%s",
	    imap->host, what, r, server ? ": " : "", server ? server : "");
	return -1;
}

int
imap_connect(const struct config_imap *config, struct imap **imap_r,
    char **error_r)
{
	struct imap *imap = g_new0(struct imap, 1);
	int r;

	*imap_r = NULL;
	imap->host = g_strdup(config->host);
	imap->session = mailimap_new(0, NULL);
	if (imap->session == NULL) {
		*error_r = g_strdup("imap: out of memory");
		imap_close(&imap);
		return -1;
	}
	mailimap_set_timeout(imap->session, IMAP_TIMEOUT_SECONDS);
	if (strcmp(config->tls, "imaps") == 0)
		r = mailimap_ssl_connect(imap->session, config->host,
		    (uint16_t)config->port);
	else
		r = mailimap_socket_connect(imap->session, config->host,
		    (uint16_t)config->port);
	if (r != MAILIMAP_NO_ERROR_AUTHENTICATED &&
	    r != MAILIMAP_NO_ERROR_NON_AUTHENTICATED) {
		imap_fail(imap, "connect", r, error_r);
		imap_close(&imap);
		return -1;
	}
	if (strcmp(config->tls, "starttls") == 0) {
		r = mailimap_socket_starttls(imap->session);
		if (r != MAILIMAP_NO_ERROR) {
			imap_fail(imap, "STARTTLS", r, error_r);
			imap_close(&imap);
			return -1;
		}
	}
	r = mailimap_login(imap->session, config->user,
	    config->password ? config->password : "");
	if (r != MAILIMAP_NO_ERROR) {
		imap_fail(imap, "LOGIN", r, error_r);
		imap_close(&imap);
		return -1;
	}
	/* 163 and 126 answer "Unsafe Login" to SELECT from a client that
	 * has not said who it is (RFC 2971 ID). */
	if (mailimap_has_id(imap->session)) {
		char *sname = NULL, *sversion = NULL;

		if (mailimap_id_basic(imap->session, "subgate", "0.1",
		    &sname, &sversion) == MAILIMAP_NO_ERROR) {
			free(sname);
			free(sversion);
		}
	}
	*imap_r = imap;
	return 0;
}

void
imap_close(struct imap **imapp)
{
	struct imap *imap = *imapp;

	if (imap == NULL)
		return;
	*imapp = NULL;
	if (imap->session != NULL) {
		if (imap->session->imap_stream != NULL)
			(void)mailimap_logout(imap->session);
		mailimap_free(imap->session);
	}
	g_free(imap->host);
	g_free(imap);
}

int
imap_select(struct imap *imap, const char *folder, uint32_t *uidvalidity_r,
    char **error_r)
{
	int r;

	/* EXAMINE: read-only, the server cannot change \Recent or \Seen. */
	r = mailimap_examine(imap->session, folder);
	if (r != MAILIMAP_NO_ERROR)
		return imap_fail(imap, "EXAMINE", r, error_r);
	if (imap->session->imap_selection_info == NULL ||
	    imap->session->imap_selection_info->sel_uidvalidity == 0) {
		*error_r = g_strdup_printf("imap %s: folder %s has no UIDVALIDITY",
		    imap->host, folder);
		return -1;
	}
	*uidvalidity_r = imap->session->imap_selection_info->sel_uidvalidity;
	return 0;
}

static time_t
imap_date_to_time(const struct mailimap_date_time *dt, int *offset_min_r)
{
	/* dt_zone is the zone as written, e.g. +0800 as 800. */
	int zone = dt->dt_zone;
	int sign = zone < 0 ? -1 : 1;
	int offset = sign * ((abs(zone) / 100) * 60 + abs(zone) % 100);
	g_autoptr(GTimeZone) tz = g_time_zone_new_offset(offset * 60);
	g_autoptr(GDateTime) gdt = g_date_time_new(tz, dt->dt_year,
	    dt->dt_month, dt->dt_day, dt->dt_hour, dt->dt_min, dt->dt_sec);

	*offset_min_r = offset;
	return gdt ? (time_t)g_date_time_to_unix(gdt) : 0;
}

static int
imap_summary_cmp(const void *a, const void *b)
{
	const struct imap_summary *x = a, *y = b;

	return x->uid < y->uid ? -1 : x->uid > y->uid;
}

int
imap_list_after(struct imap *imap, uint32_t after, size_t limit,
    struct imap_summary **list_r, size_t *count_r, char **error_r)
{
	struct mailimap_set *set;
	struct mailimap_fetch_type *ft;
	clist *result = NULL;
	clistiter *cur;
	GArray *list;
	int r;

	*list_r = NULL;
	*count_r = 0;
	set = mailimap_set_new_interval(after + 1, 0);
	ft = mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(ft, mailimap_fetch_att_new_uid());
	mailimap_fetch_type_new_fetch_att_list_add(ft,
	    mailimap_fetch_att_new_rfc822_size());
	mailimap_fetch_type_new_fetch_att_list_add(ft,
	    mailimap_fetch_att_new_internaldate());
	r = mailimap_uid_fetch(imap->session, set, ft, &result);
	mailimap_fetch_type_free(ft);
	mailimap_set_free(set);
	if (r == MAILIMAP_ERROR_PARSE && result == NULL) {
		/* Some servers answer an empty range with nothing at all. */
		return 0;
	}
	if (r != MAILIMAP_NO_ERROR)
		return imap_fail(imap, "UID FETCH", r, error_r);

	list = g_array_new(FALSE, TRUE, sizeof(struct imap_summary));
	for (cur = clist_begin(result); cur != NULL; cur = clist_next(cur)) {
		struct mailimap_msg_att *att = clist_content(cur);
		struct imap_summary s = { 0 };
		clistiter *it;

		for (it = clist_begin(att->att_list); it != NULL;
		    it = clist_next(it)) {
			struct mailimap_msg_att_item *item = clist_content(it);
			struct mailimap_msg_att_static *st;

			if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC)
				continue;
			st = item->att_data.att_static;
			if (st->att_type == MAILIMAP_MSG_ATT_UID)
				s.uid = st->att_data.att_uid;
			else if (st->att_type == MAILIMAP_MSG_ATT_RFC822_SIZE)
				s.size = st->att_data.att_rfc822_size;
			else if (st->att_type == MAILIMAP_MSG_ATT_INTERNALDATE)
				s.internaldate = imap_date_to_time(
				    st->att_data.att_internal_date,
				    &s.tz_offset_min);
		}
		/* "UID n:*" always returns the highest message, even when
		 * its UID is below n. */
		if (s.uid > after)
			g_array_append_val(list, s);
	}
	mailimap_fetch_list_free(result);
	g_array_sort(list, imap_summary_cmp);
	if (list->len > limit)
		g_array_set_size(list, (guint)limit);
	*count_r = list->len;
	*list_r = (struct imap_summary *)(void *)g_array_free(list, FALSE);
	return 0;
}

static int
imap_write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, p, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* One partial fetch: BODY.PEEK[]<offset.count>. */
static int
imap_fetch_chunk(struct imap *imap, uint32_t uid, uint64_t offset,
    uint32_t count, int fd, size_t *got_r, char **error_r)
{
	struct mailimap_set *set = mailimap_set_new_single(uid);
	struct mailimap_fetch_type *ft =
	    mailimap_fetch_type_new_fetch_att_list_empty();
	struct mailimap_section *section = mailimap_section_new(NULL);
	clist *result = NULL;
	clistiter *cur;
	int r, ret = 0;

	*got_r = 0;
	mailimap_fetch_type_new_fetch_att_list_add(ft,
	    mailimap_fetch_att_new_body_peek_section_partial(section,
	    (uint32_t)offset, count));
	r = mailimap_uid_fetch(imap->session, set, ft, &result);
	mailimap_fetch_type_free(ft);
	mailimap_set_free(set);
	if (r != MAILIMAP_NO_ERROR)
		return imap_fail(imap, "UID FETCH BODY.PEEK[]", r, error_r);
	for (cur = clist_begin(result); cur != NULL && ret == 0;
	    cur = clist_next(cur)) {
		struct mailimap_msg_att *att = clist_content(cur);
		clistiter *it;

		for (it = clist_begin(att->att_list); it != NULL;
		    it = clist_next(it)) {
			struct mailimap_msg_att_item *item = clist_content(it);
			struct mailimap_msg_att_body_section *sec;

			if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC ||
			    item->att_data.att_static->att_type !=
			    MAILIMAP_MSG_ATT_BODY_SECTION)
				continue;
			sec = item->att_data.att_static->att_data.att_body_section;
			if (sec->sec_body_part == NULL)
				continue;
			if (imap_write_all(fd, sec->sec_body_part,
			    sec->sec_length) < 0) {
				*error_r = g_strdup_printf("spool: %s",
				    g_strerror(errno));
				ret = -1;
				break;
			}
			*got_r += sec->sec_length;
		}
	}
	mailimap_fetch_list_free(result);
	return ret;
}

int
imap_fetch_to_fd(struct imap *imap, uint32_t uid, uint64_t size, int fd,
    char **error_r)
{
	uint64_t offset = 0;

	if (size > UINT32_MAX) {
		*error_r = g_strdup_printf("imap %s: UID %u is larger than 4 GiB",
		    imap->host, uid);
		return -1;
	}
	for (;;) {
		size_t got;

		if (imap_fetch_chunk(imap, uid, offset, IMAP_CHUNK_BYTES, fd,
		    &got, error_r) < 0)
			return -1;
		offset += got;
		/* A short chunk is the end; RFC822.SIZE is only a hint for
		 * servers that convert line endings on the fly. */
		if (got < IMAP_CHUNK_BYTES)
			break;
	}
	if (offset == 0) {
		*error_r = g_strdup_printf("imap %s: UID %u has vanished",
		    imap->host, uid);
		return -1;
	}
	if (fsync(fd) < 0) {
		*error_r = g_strdup_printf("spool: %s", g_strerror(errno));
		return -1;
	}
	return 0;
}
