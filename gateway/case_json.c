/* case_json: see include/case_json.h. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "case_json.h"
#include "cloudlink.h"
#include "db.h"
#include "fdio.h"
#include "inspect.h"
#include "store.h"

/* A string member, valid UTF-8 whatever the caller had; NULL stays null. */
static void
set_string(JsonObject *o, const char *name, const char *value)
{
	g_autofree char *valid = NULL;

	if (value == NULL) {
		json_object_set_null_member(o, name);
		return;
	}
	valid = g_utf8_make_valid(value, -1);
	json_object_set_string_member(o, name, valid);
}

static char *
to_text(JsonNode *root)
{
	g_autoptr(JsonGenerator) gen = json_generator_new();
	g_autofree char *out = NULL;

	json_generator_set_root(gen, root);
	out = json_generator_to_data(gen, NULL);
	return g_strconcat(out, "\n", NULL);
}

static JsonObject *
fields_object(const char *const *names, const char *const *values,
    size_t count)
{
	JsonObject *o = json_object_new();
	size_t i;

	for (i = 0; i < count; i++) {
		g_autofree char *name = g_utf8_make_valid(names[i], -1);

		set_string(o, name, values[i]);
	}
	return o;
}

char *
case_json_fields_text(const char *const *names, const char *const *values,
    size_t count)
{
	g_autoptr(JsonNode) root = json_node_new(JSON_NODE_OBJECT);
	g_autofree char *text = NULL;

	json_node_take_object(root, fields_object(names, values, count));
	text = to_text(root);
	/* A column value, not a file: no trailing newline. */
	text[strlen(text) - 1] = '\0';
	return g_steal_pointer(&text);
}

static size_t
findings_count(const struct case_json_new *c)
{
	size_t i, n = 0;

	for (i = 0; i < c->attachment_count; i++)
		n += c->attachments[i].finding_count;
	return n;
}

/* Every attachment's findings, each naming its file. */
static JsonArray *
findings_array(const struct case_json_new *c)
{
	JsonArray *list = json_array_new();
	size_t i, j;

	for (i = 0; i < c->attachment_count; i++) {
		const struct case_attachment *a = &c->attachments[i];

		for (j = 0; j < a->finding_count; j++) {
			JsonObject *e = json_object_new();

			set_string(e, "code", a->findings[j].code);
			set_string(e, "severity", a->findings[j].severity);
			set_string(e, "file", a->original_name);
			if (a->findings[j].entry_name != NULL)
				set_string(e, "entry",
				    a->findings[j].entry_name);
			set_string(e, "text", a->findings[j].text);
			json_array_add_object_element(list, e);
		}
	}
	return list;
}

/* An archive's listing (o) with each entry's findings beside its facts:
 * what staff look for entry by entry.  Other facts as they are. */
static JsonObject *
entry_findings(const struct case_attachment *a, JsonObject *o)
{
	JsonNode *n = json_object_get_member(o, "items");
	JsonArray *items;
	size_t j;

	if (n == NULL || !JSON_NODE_HOLDS_ARRAY(n))
		return o;
	items = json_node_get_array(n);
	for (j = 0; j < a->finding_count; j++) {
		const struct case_finding *f = &a->findings[j];
		JsonObject *item, *e;

		if (f->entry < 0 || (guint)f->entry >=
		    json_array_get_length(items))
			continue;
		item = json_array_get_object_element(items, (guint)f->entry);
		if (!json_object_has_member(item, "findings"))
			json_object_set_array_member(item, "findings",
			    json_array_new());
		e = json_object_new();
		set_string(e, "code", f->code);
		set_string(e, "severity", f->severity);
		set_string(e, "text", f->text);
		json_array_add_object_element(json_object_get_array_member(
		    item, "findings"), e);
	}
	return o;
}

void
case_link_clear(struct case_link *l)
{
	g_free(l->provider);
	g_free(l->url);
	g_free(l->name);
	g_free(l->expires_text);
	g_free(l->expires_at);
	g_free(l->pass_code);
	g_free(l->role);
	g_free(l->kind);
	g_free(l->fetch_state);
	memset(l, 0, sizeof(*l));
}

bool
case_link_downloaded(const struct case_link *l)
{
	return l->fetch_state != NULL &&
	    (strcmp(l->fetch_state, "fetched") == 0 ||
	    strcmp(l->fetch_state, "manual") == 0);
}

char *
case_link_countdown(const struct case_link *l, int64_t now, bool *urgent_r)
{
	g_autoptr(GDateTime) dt = l->expires_at != NULL ?
	    g_date_time_new_from_iso8601(l->expires_at, NULL) : NULL;
	int64_t left;
	bool urgent = false;
	char *text;

	if (case_link_downloaded(l)) {
		text = g_strdup("已下载");
	} else if (g_strcmp0(l->fetch_state, "infected") == 0) {
		text = g_strdup("已隔离");
	} else if (g_strcmp0(l->fetch_state, "expired") == 0) {
		text = g_strdup("已过期未下载");
		urgent = true;
	} else if (dt == NULL) {
		text = g_strdup(l->expires_text != NULL ? "长期有效" :
		    "有效期未知");
	} else if ((left = g_date_time_to_unix(dt) - now) <= 0) {
		text = g_strdup("已过期");
		urgent = true;
	} else {
		urgent = left < CASE_LINK_URGENT_HOURS * 3600;
		text = left >= 86400 ? g_strdup_printf("剩%lld天",
		    (long long)(left / 86400)) : g_strdup_printf("剩%lld小时",
		    (long long)MAX(1, left / 3600));
	}
	if (urgent_r != NULL)
		*urgent_r = urgent;
	return text;
}

char *
case_link_label(const struct case_link *l)
{
	GString *s = g_string_new(cloudlink_provider_label(
	    (enum cloudlink_provider)MAX(0, cloudlink_provider_parse(
	    l->provider ? l->provider : "other"))));
	g_autoptr(GDateTime) dt = l->expires_at != NULL ?
	    g_date_time_new_from_iso8601(l->expires_at, NULL) : NULL;

	if (l->size > 0) {
		g_autofree char *size = cloudlink_size_text(l->size);

		g_string_append_printf(s, "·%s", size);
	}
	if (dt != NULL) {
		g_autofree char *until = g_date_time_format(dt, "%Y-%m-%d %H:%M");

		g_string_append_printf(s, "·至 %s", until);
	}
	return g_string_free(s, FALSE);
}

/* "links": each as recorded; not fetched yet (the fetch state is
 * written here when it is). */
static JsonArray *
links_array(const struct case_link *links, size_t n)
{
	JsonArray *a = json_array_new();
	size_t i;

	for (i = 0; i < n; i++) {
		const struct case_link *l = &links[i];
		JsonObject *e = json_object_new();

		set_string(e, "provider", l->provider);
		set_string(e, "url", l->url);
		set_string(e, "name", l->name);
		if (l->size > 0)
			json_object_set_int_member(e, "size", (gint64)l->size);
		else
			json_object_set_null_member(e, "size");
		set_string(e, "expires_text", l->expires_text);
		set_string(e, "expires_at", l->expires_at);
		set_string(e, "pass_code", l->pass_code);
		if (l->role != NULL)
			set_string(e, "role", l->role);
		if (l->kind != NULL)
			set_string(e, "kind", l->kind);
		json_array_add_object_element(a, e);
	}
	return a;
}

/* One entry of "attachments". */
static JsonObject *
attachment_object(const struct case_attachment *a)
{
	JsonObject *e = json_object_new();

	set_string(e, "name", a->name);
	set_string(e, "original_name", a->original_name);
	set_string(e, "content_type", a->content_type);
	json_object_set_int_member(e, "size", (gint64)a->size);
	set_string(e, "sha256", a->sha256);
	if (a->content_mime != NULL) {
		JsonObject *content = json_object_new();

		set_string(content, "mime", a->content_mime);
		if (a->media != NULL)
			json_object_set_object_member(content,
			    inspect_facts_member(a->media),
			    entry_findings(a, inspect_media_object(a->media)));
		json_object_set_object_member(e, "content", content);
	}
	if (a->scan != NULL) {
		JsonObject *scan = json_object_new();

		set_string(scan, "result", a->scan);
		if (a->scan_note != NULL)
			set_string(scan, "note", a->scan_note);
		json_object_set_object_member(e, "scan", scan);
	}
	if (a->role != NULL)
		set_string(e, "role", a->role);
	if (a->kind != NULL)
		set_string(e, "kind", a->kind);
	if (a->marker != NULL)
		set_string(e, "marker", a->marker);
	if (a->episode > 0)
		json_object_set_int_member(e, "episode", a->episode);
	if (a->moved_to != NULL)
		set_string(e, "moved_to", a->moved_to);
	return e;
}

static JsonObject *
form_object(const struct case_form *f)
{
	JsonObject *o = json_object_new(), *fields = json_object_new();
	JsonObject *labels = json_object_new();
	JsonArray *problems = json_array_new();
	size_t i;

	set_string(o, "file", f->file);
	for (i = 0; i < f->count; i++) {
		set_string(fields, f->fields[i], f->values[i]);
		set_string(labels, f->fields[i], f->labels[i]);
	}
	json_object_set_object_member(o, "fields", fields);
	json_object_set_object_member(o, "labels", labels);
	for (i = 0; f->problems != NULL && f->problems[i] != NULL; i++)
		json_array_add_string_element(problems, f->problems[i]);
	json_object_set_array_member(o, "problems", problems);
	return o;
}

char *
case_json_build(const struct case_json_new *c)
{
	g_autoptr(JsonNode) root = json_node_new(JSON_NODE_OBJECT);
	JsonObject *o = json_object_new();
	JsonArray *atts = json_array_new();
	size_t i;

	set_string(o, "receipt", c->receipt);
	set_string(o, "campaign", c->campaign);
	set_string(o, "status", c->status);
	json_object_set_object_member(o, "fields", fields_object(
	    c->field_names, c->field_values, c->field_count));
	json_object_set_object_member(o, "fields_original", fields_object(
	    c->field_names, c->field_originals, c->field_count));
	set_string(o, "from", c->from);
	set_string(o, "from_name", c->from_name);
	set_string(o, "subject", c->subject);
	set_string(o, "message_id", c->message_id);
	set_string(o, "received_at", c->received_at);
	set_string(o, "batch", c->batch);
	set_string(o, "message_sha256", c->message_sha256);
	for (i = 0; i < c->attachment_count; i++)
		json_array_add_object_element(atts,
		    attachment_object(&c->attachments[i]));
	json_object_set_array_member(o, "attachments", atts);
	if (findings_count(c) > 0)
		json_object_set_array_member(o, "findings", findings_array(c));
	if (c->link_count > 0)
		json_object_set_array_member(o, "links", links_array(c->links,
		    c->link_count));
	if (c->form != NULL)
		json_object_set_object_member(o, "form", form_object(c->form));
	json_node_take_object(root, o);
	return to_text(root);
}

int
case_json_read(const char *store_dir, const char *dir, char **data_r,
    size_t *len_r, char **error_r)
{
	g_autofree char *path = g_build_filename(store_dir, dir, "case.json",
	    NULL);
	struct stat sb;
	size_t done = 0;
	ssize_t n;
	int fd;

	if ((fd = fd_open_regular(path)) < 0) {
		*error_r = g_strdup_printf("%s: %s", path,
		    fd_open_regular_error(errno));
		return -1;
	}
	if (fstat(fd, &sb) < 0 || sb.st_size > CASE_JSON_MAX_BYTES) {
		*error_r = g_strdup_printf("%s: larger than %d bytes", path,
		    CASE_JSON_MAX_BYTES);
		close(fd);
		return -1;
	}
	/* Read no more than it was when looked at, plus one byte to see
	 * that it has not grown meanwhile. */
	*data_r = g_malloc((size_t)sb.st_size + 2);
	while (done < (size_t)sb.st_size + 1 &&
	    (n = read(fd, *data_r + done, (size_t)sb.st_size + 1 - done)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*error_r = g_strdup_printf("%s: %s", path,
			    g_strerror(errno));
			close(fd);
			g_clear_pointer(data_r, g_free);
			return -1;
		}
		done += (size_t)n;
	}
	close(fd);
	(*data_r)[done] = '\0';
	*len_r = done;
	return 0;
}

/* The parser holding an object document, or NULL and *error_r. */
static JsonParser *
parse_object(const char *data, size_t len, char **error_r)
{
	JsonParser *parser = json_parser_new();
	GError *err = NULL;

	if (!json_parser_load_from_data(parser, data, (gssize)len, &err)) {
		*error_r = g_strdup(err->message);
		g_error_free(err);
		g_object_unref(parser);
		return NULL;
	}
	if (!JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser))) {
		*error_r = g_strdup("not a JSON object");
		g_object_unref(parser);
		return NULL;
	}
	return parser;
}

static const char *
member_string(JsonObject *o, const char *name)
{
	JsonNode *n = json_object_get_member(o, name);

	if (n == NULL || JSON_NODE_TYPE(n) != JSON_NODE_VALUE ||
	    json_node_get_value_type(n) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(n);
}

static void
fields_from_object(JsonObject *o, struct case_field **fields_r,
    size_t *count_r)
{
	GList *members = json_object_get_members(o), *l;
	struct case_field *fields;
	size_t n = 0;

	fields = g_new0(struct case_field, g_list_length(members) + 1);
	for (l = members; l != NULL; l = l->next) {
		const char *v = member_string(o, l->data);

		if (v == NULL)
			continue;
		fields[n].name = g_strdup(l->data);
		fields[n].value = g_strdup(v);
		n++;
	}
	g_list_free(members);
	*fields_r = fields;
	*count_r = n;
}

void
case_fields_free(struct case_field *fields, size_t count)
{
	size_t i;

	for (i = 0; fields != NULL && i < count; i++) {
		g_free(fields[i].name);
		g_free(fields[i].value);
	}
	g_free(fields);
}

int
case_json_fields_parse(const char *json, struct case_field **fields_r,
    size_t *count_r, char **error_r)
{
	JsonParser *p = parse_object(json, strlen(json), error_r);

	*fields_r = NULL;
	*count_r = 0;
	if (p == NULL)
		return -1;
	fields_from_object(json_node_get_object(json_parser_get_root(p)),
	    fields_r, count_r);
	g_object_unref(p);
	return 0;
}

static void
summary_content(JsonObject *content, struct case_attachment *a)
{
	static const char *const members[] = { "media", "image", "text",
		"archive" };
	size_t i;

	a->content_mime = g_strdup(member_string(content, "mime"));
	for (i = 0; i < G_N_ELEMENTS(members) && a->media == NULL; i++) {
		JsonNode *n = json_object_get_member(content, members[i]);

		if (n == NULL || !JSON_NODE_HOLDS_OBJECT(n))
			continue;
		a->media = g_new0(struct media_facts, 1);
		inspect_media_from_object(json_node_get_object(n), a->media);
	}
}

static void
summary_findings(JsonArray *list, struct case_json_summary *s)
{
	guint i, n = json_array_get_length(list);

	s->findings = g_new0(struct case_finding, n + 1);
	for (i = 0; i < n; i++) {
		JsonNode *node = json_array_get_element(list, i);
		struct case_finding *f = &s->findings[s->finding_count];
		JsonObject *o;

		if (!JSON_NODE_HOLDS_OBJECT(node))
			continue;
		o = json_node_get_object(node);
		f->code = g_strdup(member_string(o, "code"));
		f->severity = g_strdup(member_string(o, "severity"));
		f->file = g_strdup(member_string(o, "file"));
		f->text = g_strdup(member_string(o, "text"));
		f->entry_name = g_strdup(member_string(o, "entry"));
		f->entry = -1;
		s->finding_count++;
	}
}

void
case_findings_free(struct case_finding *findings, size_t n)
{
	size_t i;

	for (i = 0; findings != NULL && i < n; i++) {
		g_free(findings[i].code);
		g_free(findings[i].severity);
		g_free(findings[i].file);
		g_free(findings[i].text);
		g_free(findings[i].entry_name);
	}
	g_free(findings);
}

static void
summary_attachments(JsonArray *atts, struct case_json_summary *s)
{
	guint i, n = json_array_get_length(atts);

	s->attachments = g_new0(struct case_attachment, n + 1);
	for (i = 0; i < n; i++) {
		JsonNode *node = json_array_get_element(atts, i);
		struct case_attachment *a = &s->attachments[s->attachment_count];
		JsonObject *o;
		const char *name;

		if (!JSON_NODE_HOLDS_OBJECT(node))
			continue;
		o = json_node_get_object(node);
		name = member_string(o, "name");
		/* Only a plain name in the folder becomes a link. */
		if (name == NULL || *name == '\0' || strchr(name, '/') != NULL ||
		    strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		a->name = g_strdup(name);
		a->original_name = g_strdup(member_string(o, "original_name"));
		a->content_type = g_strdup(member_string(o, "content_type"));
		a->sha256 = g_strdup(member_string(o, "sha256"));
		if (json_object_has_member(o, "content") && JSON_NODE_HOLDS_OBJECT(
		    json_object_get_member(o, "content")))
			summary_content(json_object_get_object_member(o,
			    "content"), a);
		if (json_object_has_member(o, "scan") && JSON_NODE_HOLDS_OBJECT(
		    json_object_get_member(o, "scan"))) {
			JsonObject *scan = json_object_get_object_member(o,
			    "scan");

			a->scan = g_strdup(member_string(scan, "result"));
			a->scan_note = g_strdup(member_string(scan, "note"));
		}
		a->role = g_strdup(member_string(o, "role"));
		a->kind = g_strdup(member_string(o, "kind"));
		a->marker = g_strdup(member_string(o, "marker"));
		a->moved_to = g_strdup(member_string(o, "moved_to"));
		if (json_object_has_member(o, "episode") &&
		    JSON_NODE_HOLDS_VALUE(json_object_get_member(o, "episode")))
			a->episode = (unsigned)CLAMP(json_object_get_int_member(o,
			    "episode"), 0, 99);
		a->size = (uint64_t)MAX(0, json_object_get_int_member_with_default(
		    o, "size", 0));
		s->total_size += a->size;
		s->attachment_count++;
	}
}

static void
summary_links(JsonArray *arr, struct case_json_summary *s)
{
	guint i, n = json_array_get_length(arr);

	s->links = g_new0(struct case_link, n + 1);
	for (i = 0; i < n; i++) {
		JsonNode *node = json_array_get_element(arr, i);
		struct case_link *l = &s->links[s->link_count];
		JsonObject *o;

		if (!JSON_NODE_HOLDS_OBJECT(node))
			continue;
		o = json_node_get_object(node);
		if (member_string(o, "url") == NULL)
			continue;
		l->provider = g_strdup(member_string(o, "provider"));
		l->url = g_strdup(member_string(o, "url"));
		l->name = g_strdup(member_string(o, "name"));
		l->expires_text = g_strdup(member_string(o, "expires_text"));
		l->expires_at = g_strdup(member_string(o, "expires_at"));
		l->pass_code = g_strdup(member_string(o, "pass_code"));
		l->role = g_strdup(member_string(o, "role"));
		l->kind = g_strdup(member_string(o, "kind"));
		if (json_object_has_member(o, "fetch") &&
		    JSON_NODE_HOLDS_OBJECT(json_object_get_member(o, "fetch")))
			l->fetch_state = g_strdup(member_string(
			    json_object_get_object_member(o, "fetch"), "state"));
		if (json_object_has_member(o, "size") &&
		    JSON_NODE_HOLDS_VALUE(json_object_get_member(o, "size")))
			l->size = (uint64_t)MAX(0, json_object_get_int_member(o,
			    "size"));
		s->link_count++;
	}
}

int
case_json_summarize(const char *data, size_t len, struct case_json_summary *s,
    char **error_r)
{
	JsonParser *parser = parse_object(data, len, error_r);
	JsonObject *root;

	memset(s, 0, sizeof(*s));
	if (parser == NULL)
		return -1;
	root = json_node_get_object(json_parser_get_root(parser));
	s->receipt = g_strdup(member_string(root, "receipt"));
	s->message_sha256 = g_strdup(member_string(root, "message_sha256"));
	s->from_name = g_strdup(member_string(root, "from_name"));
	s->subject = g_strdup(member_string(root, "subject"));
	s->message_id = g_strdup(member_string(root, "message_id"));
	if (json_object_has_member(root, "fields") &&
	    JSON_NODE_HOLDS_OBJECT(json_object_get_member(root, "fields")))
		fields_from_object(json_object_get_object_member(root,
		    "fields"), &s->fields, &s->field_count);
	if (json_object_has_member(root, "attachments") &&
	    JSON_NODE_HOLDS_ARRAY(json_object_get_member(root, "attachments")))
		summary_attachments(json_object_get_array_member(root,
		    "attachments"), s);
	if (json_object_has_member(root, "findings") &&
	    JSON_NODE_HOLDS_ARRAY(json_object_get_member(root, "findings")))
		summary_findings(json_object_get_array_member(root,
		    "findings"), s);
	if (json_object_has_member(root, "links") &&
	    JSON_NODE_HOLDS_ARRAY(json_object_get_member(root, "links")))
		summary_links(json_object_get_array_member(root, "links"), s);
	g_object_unref(parser);
	return 0;
}

void
case_json_summary_clear(struct case_json_summary *s)
{
	size_t i;

	g_clear_pointer(&s->receipt, g_free);
	g_clear_pointer(&s->message_sha256, g_free);
	g_clear_pointer(&s->from_name, g_free);
	g_clear_pointer(&s->subject, g_free);
	g_clear_pointer(&s->message_id, g_free);
	case_fields_free(s->fields, s->field_count);
	s->fields = NULL;
	s->field_count = 0;
	for (i = 0; s->attachments != NULL && i < s->attachment_count; i++) {
		g_free(s->attachments[i].name);
		g_free(s->attachments[i].original_name);
		g_free(s->attachments[i].content_type);
		g_free(s->attachments[i].content_mime);
		g_free(s->attachments[i].scan);
		g_free(s->attachments[i].scan_note);
		media_facts_free(&s->attachments[i].media);
		g_free(s->attachments[i].sha256);
		g_free(s->attachments[i].role);
		g_free(s->attachments[i].kind);
		g_free(s->attachments[i].marker);
		g_free(s->attachments[i].moved_to);
	}
	g_clear_pointer(&s->attachments, g_free);
	s->attachment_count = 0;
	case_findings_free(s->findings, s->finding_count);
	s->findings = NULL;
	s->finding_count = 0;
	for (i = 0; s->links != NULL && i < s->link_count; i++)
		case_link_clear(&s->links[i]);
	g_clear_pointer(&s->links, g_free);
	s->link_count = 0;
}

char *
case_json_with_review(const char *old, size_t len,
    const struct db_case_review *r, const char *reviewed_at,
    JsonObject *changes, char **error_r)
{
	JsonParser *parser = parse_object(old, len, error_r);
	JsonObject *root, *entry, *fields;
	GList *members, *l;
	char *out;

	if (parser == NULL)
		return NULL;
	root = json_node_get_object(json_parser_get_root(parser));
	set_string(root, "status", r->status);
	if (!json_object_has_member(root, "fields") ||
	    !JSON_NODE_HOLDS_OBJECT(json_object_get_member(root, "fields")))
		json_object_set_object_member(root, "fields",
		    json_object_new());
	fields = json_object_get_object_member(root, "fields");
	members = json_object_get_members(changes);
	for (l = members; l != NULL; l = l->next)
		set_string(fields, l->data,
		    json_object_get_string_member(changes, l->data));
	g_list_free(members);
	if (!json_object_has_member(root, "reviews") ||
	    !JSON_NODE_HOLDS_ARRAY(json_object_get_member(root, "reviews")))
		json_object_set_array_member(root, "reviews", json_array_new());
	entry = json_object_new();
	set_string(entry, "action", r->action);
	set_string(entry, "status", r->status);
	if (r->reason != NULL)
		set_string(entry, "reason", r->reason);
	set_string(entry, "reviewer", r->reviewer);
	set_string(entry, "reviewed_at", reviewed_at);
	json_object_set_object_member(entry, "changes",
	    json_object_ref(changes));
	json_array_add_object_element(json_object_get_array_member(root,
	    "reviews"), entry);
	out = to_text(json_parser_get_root(parser));
	g_object_unref(parser);
	return out;
}

char *
case_json_with_moves(const char *old, size_t len,
    const char *const *original_names, const char *const *moved_to,
    size_t n, char **error_r)
{
	JsonParser *parser = parse_object(old, len, error_r);
	JsonObject *root;
	JsonArray *atts = NULL;
	char *out = NULL;
	size_t i;

	if (parser == NULL)
		return NULL;
	root = json_node_get_object(json_parser_get_root(parser));
	if (json_object_has_member(root, "attachments") &&
	    JSON_NODE_HOLDS_ARRAY(json_object_get_member(root, "attachments")))
		atts = json_object_get_array_member(root, "attachments");
	if (atts == NULL || json_array_get_length(atts) != n) {
		*error_r = g_strdup_printf("case.json lists %u files, the "
		    "mail has %zu", atts ? json_array_get_length(atts) : 0, n);
		goto out;
	}
	for (i = 0; i < n; i++) {
		JsonNode *node = json_array_get_element(atts, (guint)i);
		g_autofree char *want = g_utf8_make_valid(original_names[i] ?
		    original_names[i] : "", -1);
		const char *have;

		have = JSON_NODE_HOLDS_OBJECT(node) ? member_string(
		    json_node_get_object(node), "original_name") : NULL;
		if (g_strcmp0(have ? have : "", want) != 0) {
			*error_r = g_strdup_printf("case.json lists file %zu "
			    "as \"%s\", the mail as \"%s\"", i + 1,
			    have ? have : "", want);
			goto out;
		}
	}
	for (i = 0; i < n; i++) {
		JsonObject *a = json_node_get_object(json_array_get_element(
		    atts, (guint)i));

		if (moved_to[i] != NULL)
			set_string(a, "moved_to", moved_to[i]);
		else if (json_object_has_member(a, "moved_to"))
			json_object_remove_member(a, "moved_to");
	}
	out = to_text(json_parser_get_root(parser));
out:
	g_object_unref(parser);
	return out;
}

int
case_json_set_status(const char *store_dir, const char *dir,
    const char *from, const char *to, char **error_r)
{
	g_autofree char *data = NULL, *out = NULL, *path = NULL;
	JsonParser *parser;
	JsonObject *root;
	const char *status;
	size_t len;
	int ret = 0;

	if (case_json_read(store_dir, dir, &data, &len, error_r) < 0 ||
	    (parser = parse_object(data, len, error_r)) == NULL)
		return -1;
	root = json_node_get_object(json_parser_get_root(parser));
	status = member_string(root, "status");
	if (status != NULL && strcmp(status, from) == 0) {
		set_string(root, "status", to);
		out = to_text(json_parser_get_root(parser));
		path = g_build_filename(store_dir, dir, "case.json", NULL);
		ret = store_write_file_atomic(path, out, strlen(out), error_r);
	}
	g_object_unref(parser);
	return ret;
}

/* Entries of the array member name of o whose member key is value
 * removed: what an earlier run of the same step wrote. */
static void
array_drop(JsonObject *o, const char *name, const char *key,
    const char *value)
{
	JsonArray *a = json_object_has_member(o, name) ?
	    json_object_get_array_member(o, name) : NULL;
	guint i;

	for (i = a != NULL ? json_array_get_length(a) : 0; i-- > 0;) {
		JsonNode *n = json_array_get_element(a, i);

		if (JSON_NODE_HOLDS_OBJECT(n) && g_strcmp0(member_string(
		    json_node_get_object(n), key), value) == 0)
			json_array_remove_element(a, i);
	}
}

static JsonArray *
array_member(JsonObject *o, const char *name)
{
	if (!json_object_has_member(o, name) ||
	    !JSON_NODE_HOLDS_ARRAY(json_object_get_member(o, name)))
		json_object_set_array_member(o, name, json_array_new());
	return json_object_get_array_member(o, name);
}

char *
case_json_with_link_fetch(const char *old, size_t len, unsigned pos,
    const struct case_link_fetch *f, const struct case_attachment *a,
    char **error_r)
{
	JsonParser *parser = parse_object(old, len, error_r);
	JsonObject *root, *fetch;
	JsonArray *links;
	JsonNode *entry;
	char *out;
	size_t i;

	if (parser == NULL)
		return NULL;
	root = json_node_get_object(json_parser_get_root(parser));
	links = json_object_has_member(root, "links") ?
	    json_object_get_array_member(root, "links") : NULL;
	if (links == NULL || pos == 0 || pos > json_array_get_length(links) ||
	    !JSON_NODE_HOLDS_OBJECT(entry = json_array_get_element(links,
	    pos - 1))) {
		*error_r = g_strdup_printf("case.json lists no link %u", pos);
		g_object_unref(parser);
		return NULL;
	}
	fetch = json_object_new();
	set_string(fetch, "state", f->state);
	json_object_set_int_member(fetch, "bytes", (gint64)f->bytes);
	set_string(fetch, "sha256", f->sha256);
	set_string(fetch, "saved_as", f->saved_as);
	if (f->error != NULL)
		set_string(fetch, "error", f->error);
	json_object_set_object_member(json_node_get_object(entry), "fetch",
	    fetch);
	if (a != NULL) {
		JsonObject *e = attachment_object(a);

		/* Written again after a crash: once, not twice. */
		array_drop(root, "attachments", "name", a->name);
		array_drop(root, "findings", "file", a->original_name);
		json_object_set_int_member(e, "from_link", (gint64)pos - 1);
		json_array_add_object_element(array_member(root,
		    "attachments"), e);
		for (i = 0; i < a->finding_count; i++) {
			JsonObject *x = json_object_new();

			set_string(x, "code", a->findings[i].code);
			set_string(x, "severity", a->findings[i].severity);
			set_string(x, "file", a->original_name);
			set_string(x, "text", a->findings[i].text);
			json_array_add_object_element(array_member(root,
			    "findings"), x);
		}
	}
	out = to_text(json_parser_get_root(parser));
	g_object_unref(parser);
	return out;
}

char *
case_attachment_label(const struct case_attachment *a)
{
	if (a->role == NULL)
		return NULL;
	if (strcmp(a->role, "companion") == 0 && a->kind != NULL)
		return g_strdup(a->kind);
	if (strcmp(a->role, "work") != 0)
		return g_strdup("其他文件");
	if (a->marker != NULL)
		return g_strdup_printf("作品文件（%s）", a->marker);
	if (a->episode > 0)
		return g_strdup_printf("作品文件（第%u集）", a->episode);
	return g_strdup("作品文件");
}
