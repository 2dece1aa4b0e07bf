/* imap: see include/imap.h. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/poll.h>	/* not <poll.h>: include/poll.h is ours */

#include <glib.h>
#include <libetpan/libetpan.h>

#include "config.h"
#include "fault.h"
#include "fdio.h"
#include "imap.h"
#include "mutf7.h"
#include "oauth.h"
#include "tls.h"

/* Bytes per partial FETCH: big enough to be quick, small enough that a
 * 1 GiB attachment never sits in memory. */
#define IMAP_CHUNK_BYTES	(1024 * 1024)
/* A LOGOUT to a server that has gone quiet must not hold up a shutdown. */
#define IMAP_LOGOUT_SECONDS	5
/* libetpan's line buffer for the stream. */
#define IMAP_STREAM_BUFFER	8192

struct imap {
	mailimap *session;
	struct tls_conn *conn;	/* owned by session->imap_stream */
	char *host;
	bool broken;		/* no LOGOUT: the stream is out of step */
};

/* The transport libetpan reads and writes: a tls_conn, verified TLS or
 * plain, each call bounded by the connection's timeout. */
static ssize_t
imap_low_read(mailstream_low *low, void *buf, size_t count)
{
	return tls_conn_read(low->data, buf, count);
}

static ssize_t
imap_low_write(mailstream_low *low, const void *buf, size_t count)
{
	return tls_conn_write(low->data, buf, count);
}

static int
imap_low_close(mailstream_low *low)
{
	tls_conn_close(low->data);
	return 0;
}

static int
imap_low_get_fd(mailstream_low *low)
{
	return tls_conn_fd(low->data);
}

static void
imap_low_free(mailstream_low *low)
{
	struct tls_conn *conn = low->data;

	tls_conn_free(&conn);
	free(low);
}

static mailstream_low_driver imap_low_driver = {
	.mailstream_read = imap_low_read,
	.mailstream_write = imap_low_write,
	.mailstream_close = imap_low_close,
	.mailstream_get_fd = imap_low_get_fd,
	.mailstream_free = imap_low_free,
};

static int
imap_fail(struct imap *imap, const char *what, int r, char **error_r)
{
	const char *server = NULL, *io = NULL;

	imap->broken = true;
	if (imap->session != NULL && imap->session->imap_response != NULL &&
	    imap->session->imap_response[0] != '\0')
		server = imap->session->imap_response;
	if (imap->conn != NULL)
		io = tls_conn_error(imap->conn);
	if (io != NULL)
		*error_r = g_strdup_printf("imap %s: %s failed: %s", imap->host,
		    what, io);
	else if (r == MAILIMAP_ERROR_STREAM)
		*error_r = g_strdup_printf("imap %s: %s failed: connection "
		    "closed by the server", imap->host, what);
	else
		*error_r = g_strdup_printf("imap %s: %s failed (libetpan error "
		    "%d)%s%s", imap->host, what, r, server ? ": " : "",
		    server ? server : "");
	return -1;
}

/* The server's capabilities again: those from before STARTTLS or login
 * may have been forged, or may change (RFC 9051 section 6.2.1). */
static int
imap_refresh_capabilities(struct imap *imap, char **error_r)
{
	struct mailimap_capability_data *cap = NULL;
	int r = mailimap_capability(imap->session, &cap);

	if (r != MAILIMAP_NO_ERROR)
		return imap_fail(imap, "CAPABILITY", r, error_r);
	mailimap_capability_data_free(cap);
	return 0;
}

static int
imap_starttls(struct imap *imap, const struct config_imap *config,
    char **error_r)
{
	int r = mailimap_starttls(imap->session);

	/* Anything already buffered came before the handshake and could be
	 * a man in the middle's injected answer (CVE-2020-15953; patched
	 * libetpan refuses it too, with a plain STARTTLS error). */
	if (imap->session->imap_stream != NULL &&
	    imap->session->imap_stream->read_buffer_len > 0) {
		imap->broken = true;
		*error_r = g_strdup_printf("imap %s: data sent along with the "
		    "STARTTLS answer; refusing the connection", imap->host);
		return -1;
	}
	if (r != MAILIMAP_NO_ERROR)
		return imap_fail(imap, "STARTTLS", r, error_r);
	if (tls_conn_start(imap->conn, config->ca_file, error_r) < 0) {
		imap->broken = true;
		return -1;
	}
	return imap_refresh_capabilities(imap, error_r);
}

static int
imap_authenticate(struct imap *imap, const struct config_imap *config,
    char **error_r)
{
	int r;

	if (config->auth == CONFIG_IMAP_AUTH_XOAUTH2) {
		char *token = NULL;

		if (imap_oauth_token(config, &token, error_r) < 0) {
			imap->broken = true;
			return -1;
		}
		r = mailimap_oauth2_authenticate(imap->session, config->user,
		    token);
		explicit_bzero(token, strlen(token));
		g_free(token);
		if (r != MAILIMAP_NO_ERROR)
			return imap_fail(imap, "AUTHENTICATE XOAUTH2", r,
			    error_r);
	} else {
		r = mailimap_login(imap->session, config->user,
		    config->password ? config->password : "");
		if (r != MAILIMAP_NO_ERROR)
			return imap_fail(imap, "LOGIN", r, error_r);
	}
	return imap_refresh_capabilities(imap, error_r);
}

/* ID ("name" "subgate" "version" ...).  Not mailimap_id_basic(): it
 * frees our strdup()ed strings with mmap_string_unref(), which frees only
 * its own, so every login leaked them. */
static int
imap_send_id(struct imap *imap)
{
	struct mailimap_id_params_list *ours, *theirs = NULL;
	clistiter *cur;
	int r = MAILIMAP_ERROR_MEMORY;

	ours = mailimap_id_params_list_new_empty();
	if (ours == NULL)
		return r;
	if (mailimap_id_params_list_add_name_value(ours, (char *)"name",
	    (char *)"subgate") == 0 &&
	    mailimap_id_params_list_add_name_value(ours, (char *)"version",
	    (char *)"0.1") == 0)
		r = mailimap_id(imap->session, ours, &theirs);
	if (r == MAILIMAP_NO_ERROR && theirs != NULL)
		mailimap_id_params_list_free(theirs);
	/* The strings are static: only the list is ours to free. */
	for (cur = clist_begin(ours->idpa_list); cur != NULL;
	    cur = clist_next(cur))
		free(clist_content(cur));
	clist_free(ours->idpa_list);
	free(ours);
	return r;
}

int
imap_connect(const struct config_imap *config, struct imap **imap_r,
    char **error_r)
{
	struct imap *imap = g_new0(struct imap, 1);
	g_autofree char *error = NULL;
	struct tls_conn *conn = NULL;
	mailstream_low *low;
	mailstream *stream;
	int r;

	*imap_r = NULL;
	imap->host = g_strdup(config->host);
	imap->broken = true;
	if (tls_conn_connect(config->host, config->port,
	    (unsigned)config->timeout, &conn, &error) < 0)
		goto fail;
	if (strcmp(config->tls, "imaps") == 0 &&
	    tls_conn_start(conn, config->ca_file, &error) < 0) {
		tls_conn_free(&conn);
		goto fail;
	}
	imap->session = mailimap_new(0, NULL);
	low = mailstream_low_new(conn, &imap_low_driver);
	if (imap->session == NULL || low == NULL) {
		if (low != NULL)
			mailstream_low_free(low);	/* frees conn */
		else
			tls_conn_free(&conn);
		error = g_strdup("out of memory");
		goto fail;
	}
	stream = mailstream_new(low, IMAP_STREAM_BUFFER);
	if (stream == NULL) {
		mailstream_low_free(low);
		error = g_strdup("out of memory");
		goto fail;
	}
	/* From here the stream owns the connection. */
	imap->conn = conn;
	r = mailimap_connect(imap->session, stream);
	if (r != MAILIMAP_NO_ERROR_AUTHENTICATED &&
	    r != MAILIMAP_NO_ERROR_NON_AUTHENTICATED) {
		imap_fail(imap, "greeting", r, error_r);
		imap_close(&imap);
		return -1;
	}
	if (r == MAILIMAP_NO_ERROR_AUTHENTICATED &&
	    strcmp(config->tls, "starttls") == 0) {
		/* A PREAUTH greeting leaves no chance to start TLS. */
		*error_r = g_strdup_printf("imap %s: PREAUTH greeting on a "
		    "connection that must use STARTTLS", imap->host);
		imap_close(&imap);
		return -1;
	}
	imap->broken = false;
	if ((strcmp(config->tls, "starttls") == 0 &&
	    imap_starttls(imap, config, error_r) < 0) ||
	    (r == MAILIMAP_NO_ERROR_NON_AUTHENTICATED &&
	    imap_authenticate(imap, config, error_r) < 0)) {
		imap_close(&imap);
		return -1;
	}
	/* 163 and 126 answer "Unsafe Login" to SELECT from a client that
	 * has not said who it is (RFC 2971 ID). */
	if (mailimap_has_id(imap->session)) {
		r = imap_send_id(imap);
		/* A refused ID is no reason to stop; a dead stream is. */
		if (r == MAILIMAP_ERROR_STREAM) {
			imap_fail(imap, "ID", r, error_r);
			imap_close(&imap);
			return -1;
		}
	}
	*imap_r = imap;
	return 0;

fail:
	*error_r = g_strdup_printf("imap %s: %s", imap->host, error);
	imap_close(&imap);
	return -1;
}

void
imap_close(struct imap **imapp)
{
	struct imap *imap = *imapp;

	if (imap == NULL)
		return;
	*imapp = NULL;
	if (imap->session != NULL) {
		if (imap->session->imap_stream != NULL) {
			if (imap->broken) {
				mailstream_close(imap->session->imap_stream);
				imap->session->imap_stream = NULL;
			} else {
				tls_conn_set_timeout(imap->conn,
				    IMAP_LOGOUT_SECONDS);
				(void)mailimap_logout(imap->session);
			}
		}
		imap->conn = NULL;
		mailimap_free(imap->session);
	}
	g_free(imap->host);
	g_free(imap);
}

int
imap_select(struct imap *imap, const char *folder, bool writable,
    uint32_t *uidvalidity_r, char **error_r)
{
	g_autofree char *name = mutf7_encode(folder);
	int r;

	if (name == NULL) {
		*error_r = g_strdup_printf("imap %s: folder name is not UTF-8",
		    imap->host);
		return -1;
	}
	/* EXAMINE: read-only, the server cannot change \Recent or \Seen.
	 * SELECT only when a post-action must change the mailbox; the
	 * fetches still PEEK. */
	r = writable ? mailimap_select(imap->session, name) :
	    mailimap_examine(imap->session, name);
	if (r != MAILIMAP_NO_ERROR)
		return imap_fail(imap, writable ? "SELECT" : "EXAMINE", r,
		    error_r);
	if (imap->session->imap_selection_info == NULL ||
	    imap->session->imap_selection_info->sel_uidvalidity == 0) {
		*error_r = g_strdup_printf("imap %s: folder %s has no UIDVALIDITY",
		    imap->host, folder);
		return -1;
	}
	*uidvalidity_r = imap->session->imap_selection_info->sel_uidvalidity;
	return 0;
}

static int
imap_store_flag(struct imap *imap, uint32_t uid, const char *keyword,
    bool deleted, char **error_r)
{
	struct mailimap_set *set = mailimap_set_new_single(uid);
	struct mailimap_flag_list *flags = mailimap_flag_list_new_empty();
	struct mailimap_store_att_flags *att;
	int r;

	if (deleted)
		mailimap_flag_list_add(flags, mailimap_flag_new_deleted());
	else
		mailimap_flag_list_add(flags,
		    mailimap_flag_new_flag_keyword(strdup(keyword)));
	att = mailimap_store_att_flags_new_add_flags_silent(flags);
	r = mailimap_uid_store(imap->session, set, att);
	mailimap_store_att_flags_free(att);
	mailimap_set_free(set);
	if (r != MAILIMAP_NO_ERROR)
		return imap_fail(imap, "UID STORE", r, error_r);
	return 0;
}

int
imap_post_action(struct imap *imap, const struct config_imap *config,
    uint32_t uid, char **error_r)
{
	struct mailimap_set *set;
	g_autofree char *target = NULL;
	int r;

	if (config->post_action == CONFIG_POST_NONE)
		return 0;
	if (config->post_action == CONFIG_POST_FLAG)
		return imap_store_flag(imap, uid, config->post_flag, false,
		    error_r);
	target = mutf7_encode(config->post_folder);
	if (target == NULL) {
		*error_r = g_strdup("imap: post_folder is not UTF-8");
		return -1;
	}
	set = mailimap_set_new_single(uid);
	if (mailimap_has_extension(imap->session, "MOVE")) {
		r = mailimap_uid_move(imap->session, set, target);
		/* The first move creates the folder ([TRYCREATE]). */
		if (r != MAILIMAP_NO_ERROR &&
		    mailimap_create(imap->session, target) == MAILIMAP_NO_ERROR)
			r = mailimap_uid_move(imap->session, set, target);
		mailimap_set_free(set);
		if (r != MAILIMAP_NO_ERROR)
			return imap_fail(imap, "UID MOVE", r, error_r);
		return 0;
	}
	r = mailimap_uid_copy(imap->session, set, target);
	if (r != MAILIMAP_NO_ERROR &&
	    mailimap_create(imap->session, target) == MAILIMAP_NO_ERROR)
		r = mailimap_uid_copy(imap->session, set, target);
	if (r != MAILIMAP_NO_ERROR) {
		mailimap_set_free(set);
		return imap_fail(imap, "UID COPY", r, error_r);
	}
	if (imap_store_flag(imap, uid, NULL, true, error_r) < 0) {
		mailimap_set_free(set);
		return -1;
	}
	/* Without UIDPLUS only a plain EXPUNGE exists, and it would also
	 * remove whatever staff marked deleted in webmail: leave the copy
	 * marked \Deleted for them instead. */
	if (mailimap_has_uidplus(imap->session)) {
		r = mailimap_uid_expunge(imap->session, set);
		if (r != MAILIMAP_NO_ERROR) {
			mailimap_set_free(set);
			return imap_fail(imap, "UID EXPUNGE", r, error_r);
		}
	}
	mailimap_set_free(set);
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
	guint i;
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
		bool have_size = false;
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
			else if (st->att_type == MAILIMAP_MSG_ATT_RFC822_SIZE) {
				s.size = st->att_data.att_rfc822_size;
				have_size = true;
			}
			else if (st->att_type == MAILIMAP_MSG_ATT_INTERNALDATE)
				s.internaldate = imap_date_to_time(
				    st->att_data.att_internal_date,
				    &s.tz_offset_min);
		}
		/* "UID n:*" always returns the highest message, even when
		 * its UID is below n. */
		/* Unsolicited FETCH responses (flags changed by staff in
		 * webmail meanwhile) carry no size: not our answer. */
		if (s.uid > after && have_size)
			g_array_append_val(list, s);
	}
	mailimap_fetch_list_free(result);
	g_array_sort(list, imap_summary_cmp);
	/* And never the same UID twice. */
	for (i = 1; i < list->len; ) {
		if (g_array_index(list, struct imap_summary, i).uid ==
		    g_array_index(list, struct imap_summary, i - 1).uid)
			g_array_remove_index(list, i);
		else
			i++;
	}
	if (list->len > limit)
		g_array_set_size(list, (guint)limit);
	*count_r = list->len;
	*list_r = (struct imap_summary *)(void *)g_array_free(list, FALSE);
	return 0;
}

/* One FETCH of one body section (fetch_att, consumed), written to fd. */
static int
imap_fetch_section(struct imap *imap, uint32_t uid,
    struct mailimap_fetch_att *fetch_att, const char *what, int fd,
    size_t *got_r, char **error_r)
{
	struct mailimap_set *set = mailimap_set_new_single(uid);
	struct mailimap_fetch_type *ft =
	    mailimap_fetch_type_new_fetch_att_list_empty();
	clist *result = NULL;
	clistiter *cur;
	int r, ret = 0;

	*got_r = 0;
	mailimap_fetch_type_new_fetch_att_list_add(ft, fetch_att);
	r = mailimap_uid_fetch(imap->session, set, ft, &result);
	mailimap_fetch_type_free(ft);
	mailimap_set_free(set);
	if (r != MAILIMAP_NO_ERROR) {
		imap_fail(imap, what, r, error_r);
		/* A tagged NO or BAD: the server will not give us this
		 * message (a damaged file on its side, say), and the
		 * connection is still in step. */
		if (r != MAILIMAP_ERROR_UID_FETCH)
			return -1;
		imap->broken = false;
		return IMAP_REFUSED;
	}
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
			if (fd_write_all(fd, sec->sec_body_part,
			    sec->sec_length) < 0) {
				int e = errno;

				*error_r = g_strdup_printf("spool: %s",
				    g_strerror(e));
				ret = fault_errno(e);
				break;
			}
			*got_r += sec->sec_length;
		}
	}
	mailimap_fetch_list_free(result);
	return ret;
}

/* One partial fetch: BODY.PEEK[]<offset.count>. */
static int
imap_fetch_chunk(struct imap *imap, uint32_t uid, uint64_t offset,
    uint32_t count, int fd, size_t *got_r, char **error_r)
{
	return imap_fetch_section(imap, uid,
	    mailimap_fetch_att_new_body_peek_section_partial(
	    mailimap_section_new(NULL), (uint32_t)offset, count),
	    "UID FETCH BODY.PEEK[]", fd, got_r, error_r);
}

int
imap_fetch_header_to_fd(struct imap *imap, uint32_t uid, int fd,
    char **error_r)
{
	size_t got;

	int r = imap_fetch_section(imap, uid,
	    mailimap_fetch_att_new_body_peek_section(
	    mailimap_section_new_header()), "UID FETCH BODY.PEEK[HEADER]", fd,
	    &got, error_r);

	if (r < 0)
		return r;
	if (got == 0) {
		*error_r = g_strdup_printf("imap %s: UID %u has vanished",
		    imap->host, uid);
		return -1;
	}
	return 0;
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

		int r = imap_fetch_chunk(imap, uid, offset, IMAP_CHUNK_BYTES,
		    fd, &got, error_r);

		if (r < 0)
			return r;
		offset += got;
		/* A short chunk is the end; RFC822.SIZE is only a hint for
		 * servers that convert line endings on the fly.  A server
		 * that ignores <offset.count> would send the whole message
		 * again and again: stop well before the disk fills. */
		if (got < IMAP_CHUNK_BYTES)
			break;
		if (offset > size + size / 8 + IMAP_CHUNK_BYTES) {
			*error_r = g_strdup_printf("imap %s: UID %u: the server "
			    "sent %llu bytes of a %llu-byte message", imap->host,
			    uid, (unsigned long long)offset,
			    (unsigned long long)size);
			return -1;
		}
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

uint32_t
imap_exists(const struct imap *imap)
{
	if (imap->session->imap_selection_info == NULL)
		return 0;
	return imap->session->imap_selection_info->sel_exists;
}

bool
imap_can_idle(const struct imap *imap)
{
	return mailimap_has_idle(imap->session) != 0;
}

/* In IDLE: waits until the server says something, the time runs out or
 * *stop is set.  1: something to read, 0: no, -1: error (errno). */
static int
imap_idle_wait_readable(struct imap *imap, gint64 until,
    const volatile sig_atomic_t *stop)
{
	while (!*stop && g_get_monotonic_time() < until) {
		gint64 left_ms = (until - g_get_monotonic_time()) / 1000;
		int r;

		/* libetpan may hold the next line already. */
		if (imap->session->imap_stream->read_buffer_len > 0)
			return 1;
		r = tls_conn_wait_readable(imap->conn,
		    (int)CLAMP(left_ms, 1, 1000));
		if (r < 0 && errno == EINTR)
			continue;
		if (r != 0)
			return r;
	}
	return 0;
}

int
imap_idle(struct imap *imap, unsigned seconds,
    const volatile sig_atomic_t *stop, char **error_r)
{
	gint64 deadline = g_get_monotonic_time() +
	    (gint64)seconds * G_USEC_PER_SEC;
	int r;

	if (imap->session->imap_state != MAILIMAP_STATE_SELECTED) {
		*error_r = g_strdup_printf("imap %s: IDLE without a selected "
		    "folder", imap->host);
		return -1;
	}
	while (!*stop && g_get_monotonic_time() < deadline) {
		gint64 until = MIN(deadline, g_get_monotonic_time() +
		    (gint64)IMAP_IDLE_RENEW_SECONDS * G_USEC_PER_SEC);
		int readable;

		r = mailimap_idle(imap->session);
		if (r != MAILIMAP_NO_ERROR)
			return imap_fail(imap, "IDLE", r, error_r);
		readable = imap_idle_wait_readable(imap, until, stop);
		if (readable < 0) {
			imap->broken = true;
			*error_r = g_strdup_printf("imap %s: waiting in IDLE: "
			    "%s", imap->host, g_strerror(errno));
			return -1;
		}
		/* Whatever woke us (EXISTS, EXPUNGE, a keepalive "OK Still
		 * here", the end of the wait): leave IDLE, which reads the
		 * untagged responses into the selection state. */
		r = mailimap_idle_done(imap->session);
		if (r != MAILIMAP_NO_ERROR)
			return imap_fail(imap, "IDLE DONE", r, error_r);
		if (imap->session->imap_selection_info->sel_has_exists)
			return 1;
	}
	return 0;
}

int
imap_oauth_token(const struct config_imap *config, char **token_r,
    char **error_r)
{
	return oauth_token(config->oauth_token_file,
	    config->oauth_token_command, token_r, error_r);
}
