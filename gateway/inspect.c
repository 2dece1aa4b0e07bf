/* inspect: the child that measures a file, and its answer; see
 * include/inspect.h. */
#define _GNU_SOURCE	/* pipe2, posix_spawn_file_actions_addclosefrom_np */
#include <errno.h>
#include <fcntl.h>
#include <sys/poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "archivelist.h"
#include "contentrule.h"
#include "fault.h"
#include "inspect.h"
#include "inspect-private.h"
#include "mail_limits.h"
#include "regform.h"

extern char **environ;

/* ---- the answer ---- */

/* A picture's or a text work's facts (the kind's own fields). */
static JsonObject *
other_object(const struct media_facts *f)
{
	static const char *const states[] = {
		[TEXT_COUNTED] = "counted", [TEXT_SCANNED] = "scanned",
		[TEXT_OLD_FORMAT] = "old-format",
		[TEXT_UNREADABLE] = "unreadable",
	};
	JsonObject *o = json_object_new();

	json_object_set_string_member(o, "kind", f->kind == FACTS_IMAGE ?
	    "image" : "text");
	if (f->failed)
		json_object_set_boolean_member(o, "failed", true);
	if (f->kind == FACTS_IMAGE && f->image.known) {
		json_object_set_string_member(o, "format", f->image.format);
		json_object_set_int_member(o, "width", f->image.width);
		json_object_set_int_member(o, "height", f->image.height);
		json_object_set_string_member(o, "colorspace", f->image.cmyk ?
		    "cmyk" : "rgb");
		if (f->image.dpi > 0)
			json_object_set_int_member(o, "dpi", f->image.dpi);
	} else if (f->kind == FACTS_TEXT) {
		json_object_set_string_member(o, "state",
		    states[f->text.state]);
		if (f->text.state == TEXT_COUNTED)
			json_object_set_int_member(o, "characters",
			    f->text.characters);
		if (f->text.pages > 0)
			json_object_set_int_member(o, "pages", f->text.pages);
		if (f->text.cut)
			json_object_set_boolean_member(o, "cut", true);
	}
	json_object_set_int_member(o, "size", (gint64)f->size);
	json_object_set_int_member(o, "bytes_read", (gint64)f->bytes_read);
	if (*f->error != '\0') {
		g_autofree char *valid = g_utf8_make_valid(f->error, -1);

		json_object_set_string_member(o, "error", valid);
	}
	return o;
}

const char *
inspect_facts_member(const struct media_facts *f)
{
	return f->kind == FACTS_IMAGE ? "image" : f->kind == FACTS_TEXT ?
	    "text" : f->kind == FACTS_ARCHIVE ? "archive" : "media";
}

static const char *const over_names[] = {
	[ARCHIVE_WITHIN] = "", [ARCHIVE_OVER_ENTRIES] = "entries",
	[ARCHIVE_OVER_BYTES] = "bytes", [ARCHIVE_OVER_RATIO] = "ratio",
	[ARCHIVE_OVER_NAME] = "name",
};

static JsonObject *
item_object(const struct archive_item *it)
{
	JsonObject *o = json_object_new();

	json_object_set_string_member(o, "name", it->name);
	json_object_set_int_member(o, "size", (gint64)MIN(it->size,
	    (uint64_t)G_MAXINT64));
	if (*it->mime != '\0')
		json_object_set_string_member(o, "mime", it->mime);
	if (it->encrypted)
		json_object_set_boolean_member(o, "encrypted", true);
	if (it->nested)
		json_object_set_boolean_member(o, "nested", true);
	if (it->media != NULL)
		json_object_set_object_member(o,
		    inspect_facts_member(it->media),
		    inspect_media_object(it->media));
	return o;
}

/* An archive's listing: the whole, then each regular file. */
static JsonObject *
archive_object(const struct media_facts *f)
{
	const struct archive_facts *a = f->archive;
	JsonObject *o = json_object_new();
	JsonArray *items = json_array_new();
	size_t i;

	json_object_set_string_member(o, "kind", "archive");
	if (f->failed)
		json_object_set_boolean_member(o, "failed", true);
	json_object_set_int_member(o, "size", (gint64)f->size);
	json_object_set_int_member(o, "bytes_read", (gint64)f->bytes_read);
	if (*f->error != '\0') {
		g_autofree char *valid = g_utf8_make_valid(f->error, -1);

		json_object_set_string_member(o, "error", valid);
	}
	if (a == NULL)
		return o;
	json_object_set_boolean_member(o, "opened", a->opened);
	json_object_set_string_member(o, "charset", a->charset);
	json_object_set_int_member(o, "entries", a->entries);
	json_object_set_int_member(o, "expanded", (gint64)MIN(a->expanded,
	    (uint64_t)G_MAXINT64));
	if (a->encrypted)
		json_object_set_boolean_member(o, "encrypted", true);
	if (a->over != ARCHIVE_WITHIN) {
		json_object_set_string_member(o, "over", over_names[a->over]);
		json_object_set_int_member(o, "limit", (gint64)a->limit);
	}
	for (i = 0; i < a->count; i++)
		json_array_add_object_element(items, item_object(&a->items[i]));
	json_object_set_array_member(o, "items", items);
	return o;
}

JsonObject *
inspect_media_object(const struct media_facts *f)
{
	JsonObject *o;

	if (f->kind == FACTS_ARCHIVE)
		return archive_object(f);
	if (f->kind != FACTS_AV)
		return other_object(f);
	o = json_object_new();
	json_object_set_boolean_member(o, "readable", f->readable);
	if (f->failed)
		json_object_set_boolean_member(o, "failed", true);
	if (f->duration_ms >= 0)
		json_object_set_int_member(o, "duration_ms", f->duration_ms);
	if (f->video) {
		json_object_set_int_member(o, "width", f->width);
		json_object_set_int_member(o, "height", f->height);
	}
	if (f->sar_num > 0) {
		json_object_set_int_member(o, "sar_num", f->sar_num);
		json_object_set_int_member(o, "sar_den", f->sar_den);
	}
	if (f->fps_den > 0) {
		json_object_set_int_member(o, "fps_num", f->fps_num);
		json_object_set_int_member(o, "fps_den", f->fps_den);
	}
	if (f->bitrate > 0)
		json_object_set_int_member(o, "bitrate", (gint64)f->bitrate);
	if (f->truncated) {
		json_object_set_boolean_member(o, "truncated", true);
		json_object_set_int_member(o, "expected_size",
		    (gint64)f->expected_size);
	}
	json_object_set_boolean_member(o, "video", f->video);
	json_object_set_boolean_member(o, "audio", f->audio);
	json_object_set_int_member(o, "size", (gint64)f->size);
	json_object_set_int_member(o, "bytes_read", (gint64)f->bytes_read);
	if (*f->container != '\0')
		json_object_set_string_member(o, "container", f->container);
	if (*f->vcodec != '\0')
		json_object_set_string_member(o, "vcodec", f->vcodec);
	if (*f->acodec != '\0')
		json_object_set_string_member(o, "acodec", f->acodec);
	if (*f->error != '\0') {
		g_autofree char *valid = g_utf8_make_valid(f->error, -1);

		json_object_set_string_member(o, "error", valid);
	}
	return o;
}

static gint64
get_int(JsonObject *o, const char *name, gint64 min, gint64 max,
    gint64 fallback)
{
	JsonNode *n = json_object_get_member(o, name);
	gint64 v;

	if (n == NULL || json_node_get_value_type(n) != G_TYPE_INT64)
		return fallback;
	v = json_node_get_int(n);
	return v < min || v > max ? fallback : v;
}

static void
get_string(JsonObject *o, const char *name, char *buf, size_t len)
{
	JsonNode *n = json_object_get_member(o, name);

	if (n != NULL && JSON_NODE_HOLDS_VALUE(n) &&
	    json_node_get_value_type(n) == G_TYPE_STRING)
		g_strlcpy(buf, json_node_get_string(n), len);
}

static bool
get_bool(JsonObject *o, const char *name)
{
	JsonNode *n = json_object_get_member(o, name);

	return n != NULL && JSON_NODE_HOLDS_VALUE(n) &&
	    json_node_get_value_type(n) == G_TYPE_BOOLEAN &&
	    json_node_get_boolean(n);
}

static void
other_from_object(JsonObject *o, struct media_facts *f)
{
	char kind[8] = "", state[16] = "", cs[8] = "";

	get_string(o, "kind", kind, sizeof(kind));
	f->kind = strcmp(kind, "image") == 0 ? FACTS_IMAGE : FACTS_TEXT;
	f->failed = get_bool(o, "failed");
	f->size = (uint64_t)get_int(o, "size", 0, G_MAXINT64, 0);
	f->bytes_read = (uint64_t)get_int(o, "bytes_read", 0, G_MAXINT64, 0);
	get_string(o, "error", f->error, sizeof(f->error));
	if (f->kind == FACTS_IMAGE) {
		get_string(o, "format", f->image.format,
		    sizeof(f->image.format));
		get_string(o, "colorspace", cs, sizeof(cs));
		f->image.width = (unsigned)get_int(o, "width", 0, G_MAXINT32, 0);
		f->image.height = (unsigned)get_int(o, "height", 0, G_MAXINT32,
		    0);
		f->image.known = f->image.width > 0 && f->image.height > 0;
		f->image.cmyk = strcmp(cs, "cmyk") == 0;
		f->image.dpi = (unsigned)get_int(o, "dpi", 0, G_MAXINT32, 0);
		return;
	}
	get_string(o, "state", state, sizeof(state));
	f->text.state = strcmp(state, "counted") == 0 ? TEXT_COUNTED :
	    strcmp(state, "scanned") == 0 ? TEXT_SCANNED :
	    strcmp(state, "old-format") == 0 ? TEXT_OLD_FORMAT :
	    TEXT_UNREADABLE;
	f->text.characters = get_int(o, "characters", 0, G_MAXINT64, 0);
	f->text.pages = (unsigned)get_int(o, "pages", 0, G_MAXINT32, 0);
	f->text.cut = get_bool(o, "cut");
}

static void
item_from_object(JsonObject *o, struct archive_facts *a)
{
	static const char *const members[] = { "media", "image", "text" };
	char name[LIMIT_ARCHIVE_NAME_BYTES * 4 + 1] = "";
	struct archive_item *it;
	size_t i;

	get_string(o, "name", name, sizeof(name));
	it = archivelist_add(a, g_strdup(name));
	it->size = (uint64_t)get_int(o, "size", 0, G_MAXINT64, 0);
	get_string(o, "mime", it->mime, sizeof(it->mime));
	it->encrypted = get_bool(o, "encrypted");
	it->nested = get_bool(o, "nested");
	for (i = 0; i < G_N_ELEMENTS(members) && it->media == NULL; i++) {
		JsonNode *n = json_object_get_member(o, members[i]);

		if (n == NULL || !JSON_NODE_HOLDS_OBJECT(n))
			continue;
		it->media = g_new0(struct media_facts, 1);
		inspect_media_from_object(json_node_get_object(n), it->media);
		/* Depth 1: an entry's facts hold no listing. */
		archivelist_free(&it->media->archive);
	}
}

static void
archive_from_object(JsonObject *o, struct media_facts *f)
{
	struct archive_facts *a = archivelist_new();
	char charset[16] = "", over[16] = "";
	JsonNode *n = json_object_get_member(o, "items");
	size_t i;

	f->kind = FACTS_ARCHIVE;
	f->archive = a;
	f->failed = get_bool(o, "failed");
	f->size = a->size = (uint64_t)get_int(o, "size", 0, G_MAXINT64, 0);
	f->bytes_read = (uint64_t)get_int(o, "bytes_read", 0, G_MAXINT64, 0);
	get_string(o, "error", f->error, sizeof(f->error));
	g_strlcpy(a->error, f->error, sizeof(a->error));
	a->opened = get_bool(o, "opened");
	a->encrypted = get_bool(o, "encrypted");
	get_string(o, "charset", charset, sizeof(charset));
	a->charset = strcmp(charset, "GB18030") == 0 ? "GB18030" :
	    strcmp(charset, "CP437") == 0 ? "CP437" : "UTF-8";
	a->entries = (unsigned)get_int(o, "entries", 0, G_MAXUINT32, 0);
	a->expanded = (uint64_t)get_int(o, "expanded", 0, G_MAXINT64, 0);
	get_string(o, "over", over, sizeof(over));
	for (i = 1; i < G_N_ELEMENTS(over_names); i++)
		if (strcmp(over, over_names[i]) == 0)
			a->over = (enum archive_over)i;
	a->limit = (uint64_t)get_int(o, "limit", 0, G_MAXINT64, 0);
	if (n == NULL || !JSON_NODE_HOLDS_ARRAY(n))
		return;
	for (i = 0; i < json_array_get_length(json_node_get_array(n)); i++) {
		JsonNode *e = json_array_get_element(json_node_get_array(n),
		    (guint)i);

		if (JSON_NODE_HOLDS_OBJECT(e))
			item_from_object(json_node_get_object(e), a);
	}
}

void
inspect_media_from_object(JsonObject *o, struct media_facts *f)
{
	char kind[8] = "";

	memset(f, 0, sizeof(*f));
	get_string(o, "kind", kind, sizeof(kind));
	if (strcmp(kind, "archive") == 0) {
		f->duration_ms = -1;
		archive_from_object(o, f);
		return;
	}
	if (json_object_has_member(o, "kind")) {
		f->duration_ms = -1;
		other_from_object(o, f);
		return;
	}
	f->readable = get_bool(o, "readable");
	f->failed = get_bool(o, "failed");
	f->video = get_bool(o, "video");
	f->audio = get_bool(o, "audio");
	f->duration_ms = get_int(o, "duration_ms", 0, G_MAXINT64, -1);
	f->width = (unsigned)get_int(o, "width", 0, G_MAXINT32, 0);
	f->height = (unsigned)get_int(o, "height", 0, G_MAXINT32, 0);
	f->sar_num = (unsigned)get_int(o, "sar_num", 0, G_MAXINT32, 0);
	f->sar_den = (unsigned)get_int(o, "sar_den", 0, G_MAXINT32, 0);
	f->fps_num = (unsigned)get_int(o, "fps_num", 0, G_MAXINT32, 0);
	f->fps_den = (unsigned)get_int(o, "fps_den", 0, G_MAXINT32, 0);
	f->bitrate = (uint64_t)get_int(o, "bitrate", 0, G_MAXINT64, 0);
	f->truncated = get_bool(o, "truncated");
	f->expected_size = (uint64_t)get_int(o, "expected_size", 0, G_MAXINT64,
	    0);
	f->size = (uint64_t)get_int(o, "size", 0, G_MAXINT64, 0);
	f->bytes_read = (uint64_t)get_int(o, "bytes_read", 0, G_MAXINT64, 0);
	get_string(o, "container", f->container, sizeof(f->container));
	get_string(o, "vcodec", f->vcodec, sizeof(f->vcodec));
	get_string(o, "acodec", f->acodec, sizeof(f->acodec));
	get_string(o, "error", f->error, sizeof(f->error));
}

/* ---- a form's cells ---- */

static JsonObject *
form_object(const struct regform_cells *form)
{
	JsonObject *o = json_object_new();
	JsonArray *cells = json_array_new(), *paras = json_array_new();
	size_t i;

	for (i = 0; i < regform_cells_cell_count(form); i++) {
		const struct regform_cell *c = regform_cells_cell(form, i);
		JsonArray *a = json_array_new();

		json_array_add_int_element(a, c->table);
		json_array_add_int_element(a, c->row);
		json_array_add_int_element(a, c->col);
		json_array_add_int_element(a, c->span);
		json_array_add_int_element(a, c->vmerge);
		json_array_add_string_element(a, c->text);
		json_array_add_array_element(cells, a);
	}
	for (i = 0; i < regform_cells_paragraph_count(form); i++) {
		const struct regform_paragraph *p =
		    regform_cells_paragraph(form, i);
		JsonArray *a = json_array_new();

		json_array_add_int_element(a, p->tables_before);
		json_array_add_string_element(a, p->text);
		json_array_add_array_element(paras, a);
	}
	json_object_set_array_member(o, "cells", cells);
	json_object_set_array_member(o, "paragraphs", paras);
	if (regform_cells_cut(form))
		json_object_set_boolean_member(o, "cut", true);
	return o;
}

/* Element i of a as a number in 0..max, else -1. */
static gint64
array_int(JsonArray *a, guint i, gint64 max)
{
	JsonNode *n = json_array_get_element(a, i);
	gint64 v;

	if (n == NULL || json_node_get_value_type(n) != G_TYPE_INT64)
		return -1;
	v = json_node_get_int(n);
	return v < 0 || v > max ? -1 : v;
}

static const char *
array_string(JsonArray *a, guint i)
{
	JsonNode *n = json_array_get_element(a, i);

	return n != NULL && JSON_NODE_HOLDS_VALUE(n) &&
	    json_node_get_value_type(n) == G_TYPE_STRING ?
	    json_node_get_string(n) : NULL;
}

/* The child's "form" back into cells, within our own bounds: what does
 * not fit the shape is left out. */
static struct regform_cells *
form_from_object(JsonObject *o)
{
	struct regform_cells *form = regform_cells_new(LIMIT_FORM_ITEMS,
	    LIMIT_FORM_BYTES);
	JsonNode *n = json_object_get_member(o, "cells");
	JsonArray *list = n != NULL && JSON_NODE_HOLDS_ARRAY(n) ?
	    json_node_get_array(n) : NULL;
	guint i;

	for (i = 0; list != NULL && i < json_array_get_length(list); i++) {
		JsonNode *e = json_array_get_element(list, i);
		JsonArray *a = JSON_NODE_HOLDS_ARRAY(e) ?
		    json_node_get_array(e) : NULL;
		struct regform_cell c;

		if (a == NULL || json_array_get_length(a) != 6 ||
		    array_int(a, 0, G_MAXUINT32) < 0 ||
		    array_int(a, 1, G_MAXUINT32) < 0 ||
		    array_int(a, 2, G_MAXUINT32) < 0 ||
		    array_int(a, 3, 64) < 0 || array_int(a, 4, 2) < 0 ||
		    array_string(a, 5) == NULL)
			continue;
		c = (struct regform_cell){
			.table = (unsigned)array_int(a, 0, G_MAXUINT32),
			.row = (unsigned)array_int(a, 1, G_MAXUINT32),
			.col = (unsigned)array_int(a, 2, G_MAXUINT32),
			.span = (unsigned)array_int(a, 3, 64),
			.vmerge = (enum regform_vmerge)array_int(a, 4, 2),
			.text = array_string(a, 5),
		};
		if (!regform_cells_add_cell(form, &c))
			break;
	}
	n = json_object_get_member(o, "paragraphs");
	list = n != NULL && JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) :
	    NULL;
	for (i = 0; list != NULL && i < json_array_get_length(list); i++) {
		JsonNode *e = json_array_get_element(list, i);
		JsonArray *a = JSON_NODE_HOLDS_ARRAY(e) ?
		    json_node_get_array(e) : NULL;

		if (a == NULL || json_array_get_length(a) != 2 ||
		    array_int(a, 0, G_MAXUINT32) < 0 ||
		    array_string(a, 1) == NULL)
			continue;
		if (!regform_cells_add_paragraph(form,
		    (unsigned)array_int(a, 0, G_MAXUINT32), array_string(a, 1)))
			break;
	}
	return form;
}

void
content_facts_clear(struct content_facts *f)
{
	regform_cells_free(&f->form);
	archivelist_free(&f->media.archive);
}

char *
inspect_facts_json(const struct content_facts *f)
{
	g_autoptr(JsonNode) root = json_node_new(JSON_NODE_OBJECT);
	JsonObject *o = json_object_new();

	if (*f->mime != '\0')
		json_object_set_string_member(o, "mime", f->mime);
	json_object_set_object_member(o, "media",
	    inspect_media_object(&f->media));
	if (f->form != NULL)
		json_object_set_object_member(o, "form", form_object(f->form));
	json_object_set_int_member(o, "elapsed_ms", f->elapsed_ms);
	json_node_take_object(root, o);
	return json_to_string(root, FALSE);
}

int
inspect_facts_parse(const char *text, size_t len, struct content_facts *f,
    char **error_r)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) gerr = NULL;
	JsonObject *o;
	JsonNode *root, *media, *form;

	memset(f, 0, sizeof(*f));
	f->media.duration_ms = -1;
	if (!json_parser_load_from_data(parser, text, (gssize)len, &gerr)) {
		*error_r = g_strdup_printf("not JSON: %s", gerr->message);
		return -1;
	}
	root = json_parser_get_root(parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root) ||
	    (media = json_object_get_member(o = json_node_get_object(root),
	    "media")) == NULL || !JSON_NODE_HOLDS_OBJECT(media)) {
		*error_r = g_strdup("no \"media\" object");
		return -1;
	}
	get_string(o, "mime", f->mime, sizeof(f->mime));
	f->elapsed_ms = (uint32_t)get_int(o, "elapsed_ms", 0, G_MAXUINT32, 0);
	inspect_media_from_object(json_node_get_object(media), &f->media);
	if ((form = json_object_get_member(o, "form")) != NULL &&
	    JSON_NODE_HOLDS_OBJECT(form))
		f->form = form_from_object(json_node_get_object(form));
	return 0;
}

/* ---- the child ---- */

static void
facts_failed(struct content_facts *f, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

static void
facts_failed(struct content_facts *f, const char *fmt, ...)
{
	va_list ap;
	enum facts_kind kind = f->media.kind;

	archivelist_free(&f->media.archive);
	memset(&f->media, 0, sizeof(f->media));
	f->media.kind = kind;
	f->media.duration_ms = -1;
	f->media.failed = true;
	va_start(ap, fmt);
	g_vsnprintf(f->media.error, sizeof(f->media.error), fmt, ap);
	va_end(ap);
}

/* Reads the child's answer until it closes its end, the answer outgrows
 * its bound, or the deadline passes; false for the last two. */
static bool
read_answer(int fd, GString *out, size_t max, gint64 deadline)
{
	char buf[4096];

	for (;;) {
		gint64 left = (deadline - g_get_monotonic_time()) / 1000;
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;
		int r;

		if (left <= 0)
			return false;
		r = poll(&p, 1, left > INT32_MAX ? INT32_MAX : (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return true;
		if (out->len + (size_t)n > max)
			return false;
		g_string_append_len(out, buf, n);
	}
}

/* Waits for the child, killing it first when told to. */
static int
reap(pid_t pid, bool kill_first)
{
	int status = 0;

	if (kill_first)
		(void)kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}

/* posix_spawn of ourselves with the file on fd 3 and stdout a pipe;
 * *pid_r and the pipe's read end in *out_r. */
static int
spawn_child(int fd, const struct inspect_ask *ask, pid_t *pid_r, int *out_r,
    char **error_r)
{
	char *argv[] = {
		"subgate", "inspect", "--json", "--fd", "3", "--type",
		(char *)ask->mime, NULL, NULL, NULL, NULL,
	};
	posix_spawn_file_actions_t fa;
	int pipefd[2], in = -1, out = -1, dir = -1, e;

	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		e = errno;
		*error_r = g_strdup_printf("inspect: pipe: %s", g_strerror(e));
		return FAULT_ENVIRONMENT;
	}
	/* Above 3, so that dup2 onto 0, 1 and 3 always makes a copy
	 * without close-on-exec. */
	in = fcntl(fd, F_DUPFD_CLOEXEC, 10);
	out = fcntl(pipefd[1], F_DUPFD_CLOEXEC, 10);
	close(pipefd[1]);
	e = in < 0 || out < 0 ? errno : 0;
	/* The entries of an archive are measured from copies written
	 * under the directory on fd 4. */
	if (e == 0 && ask->entries && ask->tmpdir >= 0) {
		if ((dir = fcntl(ask->tmpdir, F_DUPFD_CLOEXEC, 10)) < 0)
			e = errno;
		argv[7] = "--entries";
		argv[8] = "--tmpdir-fd=4";
	}
	/* A registration form's cells come back with the facts. */
	if (ask->form)
		argv[argv[7] == NULL ? 7 : 9] = "--form";
	if (e == 0) {
		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_addopen(&fa, 0, "/dev/null",
		    O_RDONLY, 0);
		posix_spawn_file_actions_adddup2(&fa, out, 1);
		posix_spawn_file_actions_adddup2(&fa, in, 3);
		if (dir >= 0)
			posix_spawn_file_actions_adddup2(&fa, dir, 4);
#if defined(__GLIBC__) && __GLIBC_PREREQ(2, 34)
		/* Nothing else of the daemon's (its database, its store
		 * lock, an IMAP socket) reaches the child. */
		posix_spawn_file_actions_addclosefrom_np(&fa, dir >= 0 ? 5 :
		    4);
#endif
		e = posix_spawn(pid_r, "/proc/self/exe", &fa, NULL, argv,
		    environ);
		posix_spawn_file_actions_destroy(&fa);
	}
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	if (dir >= 0)
		close(dir);
	if (e != 0) {
		close(pipefd[0]);
		*error_r = g_strdup_printf("inspect: cannot start the child: "
		    "%s", g_strerror(e));
		return FAULT_ENVIRONMENT;
	}
	*out_r = pipefd[0];
	return 0;
}

static int
inspect_child(int fd, const struct inspect_ask *ask,
    const struct inspect_limits *lim, struct content_facts *f,
    char **error_r)
{
	const char *mime = ask->mime;
	g_autoptr(GString) answer = g_string_new(NULL);
	g_autofree char *why = NULL;
	gint64 deadline = g_get_monotonic_time() +
	    (gint64)lim->inspect_ms * 1000;
	pid_t pid;
	int out, r, status;
	bool whole;

	/* What the child was asked, so that a death is said of the
	 * right kind of file. */
	f->media.kind = g_str_has_prefix(mime, "image/") ? FACTS_IMAGE :
	    mediarule_text_mime(mime) ? FACTS_TEXT :
	    contentrule_is_archive(mime) ? FACTS_ARCHIVE : FACTS_AV;
	if ((r = spawn_child(fd, ask, &pid, &out, error_r)) < 0)
		return r;
	whole = read_answer(out, answer, lim->reply_bytes, deadline);
	close(out);
	status = reap(pid, !whole);
	if (!whole)
		facts_failed(f, "the inspecting process overran its time or "
		    "its answer's size, and was killed");
	else if (WIFSIGNALED(status))
		facts_failed(f, "the inspecting process died (signal %d)",
		    WTERMSIG(status));
	else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		facts_failed(f, "the inspecting process failed (exit %d)",
		    WEXITSTATUS(status));
	else if (inspect_facts_parse(answer->str, answer->len, f, &why) < 0)
		facts_failed(f, "the inspecting process answered nonsense: %s",
		    why);
	if (f->media.failed)
		content_facts_clear(f);
	return 0;
}

void
inspect_content_fd(int fd, const struct inspect_ask *ask,
    const struct inspect_limits *lim, struct media_facts *f,
    struct regform_cells **form_r)
{
	const char *mime = ask->mime != NULL ? ask->mime : "";

	if (contentrule_is_archive(mime)) {
		memset(f, 0, sizeof(*f));
		f->duration_ms = -1;
		inspect_archive_fd(fd, mime, ask->entries, ask->tmpdir, lim,
		    f);
	} else if (g_str_has_prefix(mime, "image/")) {
		memset(f, 0, sizeof(*f));
		f->duration_ms = -1;
		inspect_image_fd(fd, lim, f);
	} else if (mediarule_text_mime(mime)) {
		memset(f, 0, sizeof(*f));
		f->duration_ms = -1;
		inspect_text_fd(fd, mime, lim, f, form_r);
	} else
		inspect_media_fd(fd, lim, f);
}

static bool inspect_child_ok;

void
inspect_use_child(void)
{
	inspect_child_ok = true;
}

int
inspect_file(int fd, const struct inspect_ask *asked,
    const struct inspect_limits *limits, struct content_facts *f,
    char **error_r)
{
	struct inspect_limits lim;
	struct inspect_ask ask = *asked;
	gint64 start = g_get_monotonic_time();
	const char *inproc = getenv("SUBGATE_INSPECT_INPROC");
	int r = 0;

	memset(f, 0, sizeof(*f));
	inspect_limits_resolve(&lim, limits);
	if (ask.mime == NULL)
		ask.mime = "";
	if (!inspect_child_ok || (inproc != NULL && strcmp(inproc, "1") == 0))
		inspect_content_fd(fd, &ask, &lim, &f->media,
		    ask.form ? &f->form : NULL);
	else if ((r = inspect_child(fd, &ask, &lim, f, error_r)) < 0)
		return r;
	g_strlcpy(f->mime, ask.mime, sizeof(f->mime));
	f->elapsed_ms = (uint32_t)((g_get_monotonic_time() - start) / 1000);
	return 0;
}
