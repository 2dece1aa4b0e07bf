/* cases: see include/cases.h. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "campaign.h"
#include "cases.h"
#include "config.h"
#include "db.h"
#include "export.h"
#include "grammar.h"
#include "htmlindex.h"
#include "ingest.h"
#include "json.h"
#include "log.h"
#include "progress.h"
#include "reply.h"
#include "store.h"

/* Column caps of `cases list`, in terminal columns. */
#define LIST_UNIT_WIDTH		24
#define LIST_CATEGORY_WIDTH	16
#define LIST_TITLE_WIDTH	36
/* Longest rejection reason shown by `stats`, in terminal columns. */
#define STATS_REASON_WIDTH	70
/* Most --set options on one decision. */
#define REVIEW_MAX_SETS		16

/* ---- records ---- */

static void
case_attachment_clear(struct case_attachment *a)
{
	g_free(a->name);
	g_free(a->original_name);
	g_free(a->content_type);
	g_free(a->sha256);
}

void
case_record_free(struct case_record *c)
{
	size_t i;

	if (c == NULL)
		return;
	g_free(c->receipt);
	g_free(c->campaign);
	g_free(c->category);
	g_free(c->title);
	g_free(c->unit);
	g_free(c->sender);
	g_free(c->from_name);
	g_free(c->subject);
	g_free(c->message_id);
	g_free(c->status);
	g_free(c->dir);
	g_free(c->received_at);
	for (i = 0; i < c->field_count; i++) {
		g_free(c->fields[i].name);
		g_free(c->fields[i].value);
	}
	g_free(c->fields);
	for (i = 0; i < c->attachment_count; i++)
		case_attachment_clear(&c->attachments[i]);
	g_free(c->attachments);
	g_free(c->json_error);
	g_free(c);
}

const char *
case_record_submitter(const struct case_record *c)
{
	if (c->unit != NULL && *c->unit != '\0')
		return c->unit;
	if (c->from_name != NULL && *c->from_name != '\0')
		return c->from_name;
	return c->sender ? c->sender : "";
}

const char *
case_record_field(const struct case_record *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->field_count; i++)
		if (strcmp(c->fields[i].name, name) == 0)
			return c->fields[i].value;
	return NULL;
}

bool
case_record_counts(const struct case_record *c)
{
	return c->status == NULL || (strcmp(c->status, "rejected") != 0 &&
	    strcmp(c->status, "superseded") != 0);
}

const char *
case_status_label(const char *status)
{
	static const struct {
		const char *status, *label;
	} labels[] = {
		{ "accepted", "已受理" },
		{ "rejected", "已退回" },
		{ "superseded", "已被替换" },
	};
	size_t i;

	if (status == NULL)
		return "";
	for (i = 0; i < G_N_ELEMENTS(labels); i++)
		if (strcmp(status, labels[i].status) == 0)
			return labels[i].label;
	return status;
}

char *
case_time_short(const char *iso)
{
	char *t;

	if (iso == NULL)
		return g_strdup("");
	t = g_strndup(iso, 16);
	if (strlen(t) > 10 && t[10] == 'T')
		t[10] = ' ';
	return t;
}

static const char *
json_member_string(JsonObject *o, const char *name)
{
	JsonNode *n = json_object_get_member(o, name);

	if (n == NULL || JSON_NODE_TYPE(n) != JSON_NODE_VALUE ||
	    json_node_get_value_type(n) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(n);
}

/* {"name": "value", ...} in document order. */
static void
case_record_set_fields(struct case_record *c, JsonObject *o)
{
	GList *members = json_object_get_members(o), *l;
	size_t n = 0;

	c->fields = g_new0(struct case_field, g_list_length(members) + 1);
	for (l = members; l != NULL; l = l->next) {
		const char *v = json_member_string(o, l->data);

		if (v == NULL)
			continue;
		c->fields[n].name = g_strdup(l->data);
		c->fields[n].value = g_strdup(v);
		n++;
	}
	c->field_count = n;
	g_list_free(members);
}

static JsonParser *
case_json_parse(const char *data, size_t len, char **error_r)
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

/* Reads a case folder's case.json, at most CASES_JSON_MAX_BYTES. */
static int
case_json_read(const char *store_dir, const char *dir, char **data_r,
    size_t *len_r, char **error_r)
{
	g_autofree char *path = g_build_filename(store_dir, dir, "case.json",
	    NULL);
	GError *err = NULL;
	struct stat sb;
	gsize len;

	if (stat(path, &sb) < 0) {
		*error_r = g_strdup_printf("%s: %s", path, g_strerror(errno));
		return -1;
	}
	if (sb.st_size > CASES_JSON_MAX_BYTES) {
		*error_r = g_strdup_printf("%s: larger than %d bytes", path,
		    CASES_JSON_MAX_BYTES);
		return -1;
	}
	if (!g_file_get_contents(path, data_r, &len, &err)) {
		*error_r = g_strdup(err->message);
		g_error_free(err);
		return -1;
	}
	*len_r = len;
	return 0;
}

static void
case_record_read_json(struct case_record *c, const char *store_dir)
{
	g_autofree char *data = NULL;
	char *error = NULL;
	JsonParser *parser;
	JsonObject *root;
	JsonArray *atts;
	size_t len = 0;
	guint i, n;

	if (case_json_read(store_dir, c->dir, &data, &len, &error) < 0) {
		c->json_error = error;
		return;
	}
	if ((parser = case_json_parse(data, len, &error)) == NULL) {
		c->json_error = g_strdup_printf("case.json: %s", error);
		g_free(error);
		return;
	}
	root = json_node_get_object(json_parser_get_root(parser));
	c->from_name = g_strdup(json_member_string(root, "from_name"));
	c->subject = g_strdup(json_member_string(root, "subject"));
	c->message_id = g_strdup(json_member_string(root, "message_id"));
	if (c->fields == NULL && json_object_has_member(root, "fields") &&
	    JSON_NODE_HOLDS_OBJECT(json_object_get_member(root, "fields")))
		case_record_set_fields(c,
		    json_object_get_object_member(root, "fields"));
	if (json_object_has_member(root, "attachments") &&
	    JSON_NODE_HOLDS_ARRAY(json_object_get_member(root, "attachments"))) {
		atts = json_object_get_array_member(root, "attachments");
		n = json_array_get_length(atts);
		c->attachments = g_new0(struct case_attachment, n + 1);
		for (i = 0; i < n; i++) {
			JsonNode *node = json_array_get_element(atts, i);
			struct case_attachment *a =
			    &c->attachments[c->attachment_count];
			JsonObject *o;
			const char *name;

			if (!JSON_NODE_HOLDS_OBJECT(node))
				continue;
			o = json_node_get_object(node);
			name = json_member_string(o, "name");
			/* Only a plain name in the folder becomes a link. */
			if (name == NULL || *name == '\0' ||
			    strchr(name, '/') != NULL ||
			    strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
				continue;
			a->name = g_strdup(name);
			a->original_name = g_strdup(json_member_string(o,
			    "original_name"));
			a->content_type = g_strdup(json_member_string(o,
			    "content_type"));
			a->sha256 = g_strdup(json_member_string(o, "sha256"));
			a->size = (uint64_t)MAX(0, json_object_get_int_member_with_default(
			    o, "size", 0));
			c->total_size += a->size;
			c->attachment_count++;
		}
	}
	g_object_unref(parser);
}

struct cases_load_ctx {
	const char *store_dir;
	GPtrArray *cases;
	struct progress *progress;	/* may be NULL */
};

static int
cases_load_one(const struct db_case *row, void *ctx)
{
	struct cases_load_ctx *l = ctx;
	struct case_record *c = g_new0(struct case_record, 1);

	c->receipt = g_strdup(row->receipt);
	c->campaign = g_strdup(row->campaign);
	c->category = g_strdup(row->category);
	c->title = g_strdup(row->title);
	c->unit = g_strdup(row->unit);
	c->sender = g_strdup(row->sender);
	c->status = g_strdup(row->status);
	c->dir = g_strdup(row->dir ? row->dir : "");
	c->received_at = g_strdup(row->received_at);
	/* The database's fields are the corrected ones. */
	if (row->fields_json != NULL) {
		g_autofree char *error = NULL;
		JsonParser *p = case_json_parse(row->fields_json,
		    strlen(row->fields_json), &error);

		if (p != NULL) {
			case_record_set_fields(c, json_node_get_object(
			    json_parser_get_root(p)));
			g_object_unref(p);
		}
	}
	case_record_read_json(c, l->store_dir);
	g_ptr_array_add(l->cases, c);
	progress_step(l->progress, 1);
	return 0;
}

/* cases_load(), one progress step per case read. */
static int
cases_load_progress(struct db *db, const char *store_dir,
    const struct db_case_query *q, struct progress *progress,
    GPtrArray **cases_r, char **error_r)
{
	struct cases_load_ctx l = {
		.store_dir = store_dir,
		.cases = g_ptr_array_new_with_free_func(
		    (GDestroyNotify)case_record_free),
		.progress = progress,
	};

	*cases_r = NULL;
	if (db_case_list(db, q, cases_load_one, &l, error_r) < 0) {
		g_ptr_array_unref(l.cases);
		return -1;
	}
	*cases_r = l.cases;
	return 0;
}

int
cases_load(struct db *db, const char *store_dir,
    const struct db_case_query *q, GPtrArray **cases_r, char **error_r)
{
	return cases_load_progress(db, store_dir, q, NULL, cases_r, error_r);
}

/* ---- the command line ---- */

static const char cases_usage[] =
"usage: subgate cases list -c CONFIG [--campaign ID] [--category C] [--unit U]\n"
"                          [--status S] [--since DATE] [--json]\n"
"       subgate cases show -c CONFIG [--json] RECEIPT\n"
"       subgate cases export -c CONFIG [--campaign ID] --format csv|xlsx [-o FILE]\n"
"       subgate cases index -c CONFIG [--campaign ID]\n"
"       subgate cases accept -c CONFIG [--reason TEXT] [--set FIELD=VALUE]...\n"
"                            [--notify] RECEIPT\n"
"       subgate cases reject -c CONFIG --reason TEXT [--set FIELD=VALUE]...\n"
"                            [--notify] RECEIPT\n"
"       subgate stats -c CONFIG [--campaign ID]\n"
"\n"
"Every command also takes --store DIR and --database FILE.  --notify queues\n"
"a mail to the submitter with the decision, the reason and the corrected\n"
"fields (sent by `subgate outbox send` or the running daemon); without it\n"
"the submitter is not told.\n";

struct cases_opts {
	const char *config;
	const char *store;
	const char *database;
	const char *format;
	const char *output;
	const char *reason;
	const char *sets[REVIEW_MAX_SETS];
	size_t nsets;
	struct db_case_query q;
	char since[20];			/* normalised --since */
	bool json;
	bool notify;			/* decisions: mail the submitter */
};

enum {
	OPT_CAMPAIGN = 256, OPT_STORE, OPT_DATABASE, OPT_JSON, OPT_CATEGORY,
	OPT_UNIT, OPT_STATUS, OPT_SINCE, OPT_FORMAT, OPT_REASON, OPT_SET,
	OPT_NOTIFY,
};

static const struct option cases_long[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "campaign", required_argument, NULL, OPT_CAMPAIGN },
	{ "store", required_argument, NULL, OPT_STORE },
	{ "database", required_argument, NULL, OPT_DATABASE },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "category", required_argument, NULL, OPT_CATEGORY },
	{ "unit", required_argument, NULL, OPT_UNIT },
	{ "status", required_argument, NULL, OPT_STATUS },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "output", required_argument, NULL, 'o' },
	{ "reason", required_argument, NULL, OPT_REASON },
	{ "set", required_argument, NULL, OPT_SET },
	{ "notify", no_argument, NULL, OPT_NOTIFY },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* "2024-06-01", "2024-06-01 08:00" or "2024-06-01T08:00:00" to the form
 * received_at is stored in, so the two compare as text. */
static int
cases_parse_since(const char *s, char out[20])
{
	static const char shape[] = "dddd-dd-dd?dd:dd:dd";
	size_t len = strlen(s), i;

	if (len != 10 && len != 16 && len != 19)
		return -1;
	for (i = 0; i < len; i++) {
		if (shape[i] == 'd' && !g_ascii_isdigit(s[i]))
			return -1;
		if (shape[i] == '?' && s[i] != ' ' && s[i] != 'T')
			return -1;
		if ((shape[i] == '-' || shape[i] == ':') && s[i] != shape[i])
			return -1;
	}
	memcpy(out, s, len);
	out[len] = '\0';
	if (len > 10)
		out[10] = 'T';
	return 0;
}

/* Returns the index of the first operand, or -1 (usage printed) or -2
 * (help printed). */
static int
cases_parse_opts(int argc, char **argv, struct cases_opts *o)
{
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:o:h", cases_long, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->config = optarg;
			break;
		case OPT_CAMPAIGN:
			o->q.campaign = optarg;
			break;
		case OPT_STORE:
			o->store = optarg;
			break;
		case OPT_DATABASE:
			o->database = optarg;
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_CATEGORY:
			o->q.category = optarg;
			break;
		case OPT_UNIT:
			o->q.unit = optarg;
			break;
		case OPT_STATUS:
			o->q.status = optarg;
			break;
		case OPT_SINCE:
			if (cases_parse_since(optarg, o->since) < 0) {
				fprintf(stderr, "subgate: --since %s: give a date "
				    "as YYYY-MM-DD or YYYY-MM-DD HH:MM\n", optarg);
				return -1;
			}
			o->q.since = o->since;
			break;
		case OPT_FORMAT:
			o->format = optarg;
			break;
		case 'o':
			o->output = optarg;
			break;
		case OPT_REASON:
			o->reason = optarg;
			break;
		case OPT_SET:
			if (o->nsets == REVIEW_MAX_SETS) {
				fprintf(stderr, "subgate: at most %d --set\n",
				    REVIEW_MAX_SETS);
				return -1;
			}
			o->sets[o->nsets++] = optarg;
			break;
		case OPT_NOTIFY:
			o->notify = true;
			break;
		case 'h':
			fputs(cases_usage, stdout);
			return -2;
		default:
			fputs(cases_usage, stderr);
			return -1;
		}
	}
	if (o->config == NULL) {
		fprintf(stderr, "subgate: -c CONFIG is required\n");
		return -1;
	}
	return optind;
}

/* The text of a cell for a terminal: one line, no control characters. */
static char *
cases_cell(const char *s)
{
	return export_clean_text(s, FALSE);
}

static void
cases_append_record_json(GString *j, const struct case_record *c,
    const char *store_dir)
{
	g_autofree char *full = g_build_filename(store_dir, c->dir, NULL);
	size_t i;

	g_string_append_c(j, '{');
	json_append_key(j, "receipt", 1);
	json_append_string(j, c->receipt);
	json_append_key(j, "campaign", 0);
	json_append_string(j, c->campaign);
	json_append_key(j, "status", 0);
	json_append_string(j, c->status);
	json_append_key(j, "category", 0);
	json_append_string(j, c->category);
	json_append_key(j, "title", 0);
	json_append_string(j, c->title);
	json_append_key(j, "unit", 0);
	json_append_string(j, c->unit);
	json_append_key(j, "sender", 0);
	json_append_string(j, c->sender);
	json_append_key(j, "from_name", 0);
	json_append_string(j, c->from_name);
	json_append_key(j, "subject", 0);
	json_append_string(j, c->subject);
	json_append_key(j, "message_id", 0);
	json_append_string(j, c->message_id);
	json_append_key(j, "received_at", 0);
	json_append_string(j, c->received_at);
	json_append_key(j, "dir", 0);
	json_append_string(j, full);
	json_append_key(j, "fields", 0);
	g_string_append_c(j, '{');
	for (i = 0; i < c->field_count; i++) {
		json_append_key(j, c->fields[i].name, i == 0);
		json_append_string(j, c->fields[i].value);
	}
	g_string_append_c(j, '}');
	json_append_key(j, "attachment_count", 0);
	g_string_append_printf(j, "%zu", c->attachment_count);
	json_append_key(j, "total_size", 0);
	g_string_append_printf(j, "%llu", (unsigned long long)c->total_size);
	json_append_key(j, "attachments", 0);
	g_string_append_c(j, '[');
	for (i = 0; i < c->attachment_count; i++) {
		const struct case_attachment *a = &c->attachments[i];

		if (i > 0)
			g_string_append_c(j, ',');
		g_string_append_c(j, '{');
		json_append_key(j, "name", 1);
		json_append_string(j, a->name);
		json_append_key(j, "original_name", 0);
		json_append_string(j, a->original_name);
		json_append_key(j, "size", 0);
		g_string_append_printf(j, "%llu", (unsigned long long)a->size);
		json_append_key(j, "sha256", 0);
		json_append_string(j, a->sha256);
		g_string_append_c(j, '}');
	}
	g_string_append_c(j, ']');
	json_append_key(j, "case_json_error", 0);
	json_append_string(j, c->json_error);
	g_string_append_c(j, '}');
}

enum list_col {
	COL_RECEIPT, COL_TIME, COL_UNIT, COL_CATEGORY, COL_TITLE, COL_STATUS,
	COL_COUNT, COL_SIZE, COL_N,
};

static void
cases_print_table(GPtrArray *cases)
{
	static const char *const head[COL_N] = { "回执编号", "收到时间",
		"单位/投稿人", "类别", "作品名称", "状态", "附件", "大小" };
	static const size_t cap[COL_N] = { 32, 16, LIST_UNIT_WIDTH,
		LIST_CATEGORY_WIDTH, LIST_TITLE_WIDTH, 12, 6, 10 };
	size_t width[COL_N], k;
	char ***cells = g_new0(char **, cases->len + 1);
	guint i;

	for (k = 0; k < COL_N; k++)
		width[k] = export_display_width(head[k]);
	for (i = 0; i < cases->len; i++) {
		const struct case_record *c = cases->pdata[i];

		cells[i] = g_new0(char *, COL_N + 1);
		cells[i][COL_RECEIPT] = cases_cell(c->receipt);
		cells[i][COL_TIME] = case_time_short(c->received_at);
		cells[i][COL_UNIT] = cases_cell(case_record_submitter(c));
		cells[i][COL_CATEGORY] = cases_cell(c->category);
		cells[i][COL_TITLE] = cases_cell(c->title ? c->title :
		    c->subject);
		cells[i][COL_STATUS] = g_strdup(case_status_label(c->status));
		cells[i][COL_COUNT] = g_strdup_printf("%zu",
		    c->attachment_count);
		cells[i][COL_SIZE] = export_human_size(c->total_size);
		for (k = 0; k < COL_N; k++)
			width[k] = MAX(width[k],
			    MIN(cap[k], export_display_width(cells[i][k])));
	}
	for (i = 0; i <= cases->len; i++) {
		GString *line = g_string_new(NULL);
		const char *const *row = i == 0 ? head :
		    (const char *const *)cells[i - 1];

		for (k = 0; k < COL_N; k++) {
			if (k > 0)
				g_string_append(line, "  ");
			if ((k == COL_COUNT || k == COL_SIZE) && i > 0) {
				size_t w = export_display_width(row[k]);

				while (w++ < width[k])
					g_string_append_c(line, ' ');
				g_string_append(line, row[k]);
			} else {
				export_append_padded(line, row[k], width[k]);
			}
		}
		while (line->len > 0 && line->str[line->len - 1] == ' ')
			g_string_truncate(line, line->len - 1);
		puts(line->str);
		g_string_free(line, TRUE);
	}
	for (i = 0; i < cases->len; i++)
		g_strfreev(cells[i]);
	g_free(cells);
}

struct cases_state {
	struct config *config;
	struct db *db;
};

/* Loads the configuration and opens the database; <0: exit code in
 * *ret_r. */
static int
cases_open(const struct cases_opts *o, struct cases_state *s, int *ret_r)
{
	g_autofree char *error = NULL;

	if ((s->config = config_load_cli(o->config, o->store, o->database)) == NULL) {
		*ret_r = EX_CONFIG;
		return -1;
	}
	if (db_open(s->config->database, &s->db, &error) < 0) {
		fprintf(stderr, "subgate: %s\n", error);
		config_free(&s->config);
		*ret_r = EX_TEMPFAIL;
		return -1;
	}
	return 0;
}

static void
cases_close(struct cases_state *s)
{
	db_close(&s->db);
	config_free(&s->config);
}

static int
cases_load_or_report(struct cases_state *s, const struct db_case_query *q,
    GPtrArray **cases_r)
{
	g_autofree char *error = NULL;

	if (cases_load(s->db, s->config->store_dir, q, cases_r, &error) < 0) {
		fprintf(stderr, "subgate: %s\n", error);
		return -1;
	}
	return 0;
}

/*
 * The case with this receipt, and the campaign it belongs to.  EX_OK, or
 * the exit status after telling the user why (*cases_r is then NULL);
 * *c_r lives in *cases_r, which the caller unrefs.
 */
static int
cases_find_receipt(struct cases_state *s, const char *receipt,
    GPtrArray **cases_r, struct case_record **c_r,
    const struct campaign **campaign_r)
{
	struct db_case_query q = { .receipt = receipt };
	struct case_record *c;
	GPtrArray *cases;

	*cases_r = NULL;
	if (cases_load_or_report(s, &q, &cases) < 0)
		return EX_TEMPFAIL;
	if (cases->len == 0) {
		fprintf(stderr, "subgate: no case %s\n", receipt);
		g_ptr_array_unref(cases);
		return EX_DATAERR;
	}
	c = cases->pdata[0];
	if ((*campaign_r = config_campaign_find(s->config, c->campaign)) ==
	    NULL) {
		fprintf(stderr, "subgate: case %s belongs to campaign %s, which "
		    "%s does not define\n", receipt, c->campaign,
		    s->config->path);
		g_ptr_array_unref(cases);
		return EX_CONFIG;
	}
	*cases_r = cases;
	*c_r = c;
	return EX_OK;
}

static int
cases_list(struct cases_opts *o, struct cases_state *s)
{
	GPtrArray *cases;
	guint i;

	if (cases_load_or_report(s, &o->q, &cases) < 0)
		return EX_TEMPFAIL;
	if (o->json) {
		for (i = 0; i < cases->len; i++) {
			GString *j = g_string_new(NULL);

			cases_append_record_json(j, cases->pdata[i],
			    s->config->store_dir);
			puts(j->str);
			g_string_free(j, TRUE);
		}
	} else {
		cases_print_table(cases);
		printf("共 %u 件\n", cases->len);
	}
	g_ptr_array_unref(cases);
	return EX_OK;
}

/* One "label  value" line of `cases show`. */
static void
show_line(const char *label, const char *value)
{
	GString *line = g_string_new("");
	g_autofree char *v = cases_cell(value);

	export_append_padded(line, label, 12);
	g_string_append(line, v);
	puts(line->str);
	g_string_free(line, TRUE);
}

static int
show_reply(const struct db_reply *r, void *ctx)
{
	GString *j = ctx;

	if (j != NULL) {
		if (j->str[j->len - 1] != '[')
			g_string_append_c(j, ',');
		g_string_append_c(j, '{');
		json_append_key(j, "kind", 1);
		json_append_string(j, r->kind);
		json_append_key(j, "recipient", 0);
		json_append_string(j, r->recipient);
		json_append_key(j, "state", 0);
		json_append_string(j, r->state);
		json_append_key(j, "attempts", 0);
		g_string_append_printf(j, "%d", r->attempts);
		json_append_key(j, "last_error", 0);
		json_append_string(j, r->last_error);
		json_append_key(j, "queued_at", 0);
		json_append_string(j, r->created_at);
		json_append_key(j, "sent_at", 0);
		json_append_string(j, r->sent_at);
		json_append_key(j, "message_id", 0);
		json_append_string(j, r->reply_message_id);
		g_string_append_c(j, '}');
		return 0;
	}
	printf("  %s -> %s: %s", r->kind, r->recipient, r->state);
	if (r->sent_at != NULL)
		printf(" %s", r->sent_at);
	printf(" (queued %s, %d attempt%s)\n", r->created_at ? r->created_at :
	    "?", r->attempts, r->attempts == 1 ? "" : "s");
	if (r->last_error != NULL) {
		g_autofree char *e = cases_cell(r->last_error);

		printf("    last error: %s\n", e);
	}
	return 0;
}

static int
show_review(const struct db_case_review *r, const char *reviewed_at,
    void *ctx)
{
	GString *j = ctx;
	g_autofree char *reason = cases_cell(r->reason);

	if (j != NULL) {
		if (j->str[j->len - 1] != '[')
			g_string_append_c(j, ',');
		g_string_append_c(j, '{');
		json_append_key(j, "action", 1);
		json_append_string(j, r->action);
		json_append_key(j, "status", 0);
		json_append_string(j, r->status);
		json_append_key(j, "reason", 0);
		json_append_string(j, r->reason);
		json_append_key(j, "reviewer", 0);
		json_append_string(j, r->reviewer);
		json_append_key(j, "reviewed_at", 0);
		json_append_string(j, reviewed_at);
		json_append_key(j, "changes", 0);
		g_string_append(j, r->changes_json ? r->changes_json : "null");
		g_string_append_c(j, '}');
		return 0;
	}
	printf("  %s %s by %s: %s -> %s", reviewed_at, r->action, r->reviewer,
	    reason, case_status_label(r->status));
	if (r->changes_json != NULL) {
		g_autofree char *ch = cases_cell(r->changes_json);

		printf(" %s", ch);
	}
	putchar('\n');
	return 0;
}

static int
cases_show(struct cases_opts *o, struct cases_state *s, const char *receipt)
{
	struct db_case_query q = { .receipt = receipt };
	g_autofree char *error = NULL;
	const struct case_record *c;
	GPtrArray *cases;
	size_t i;
	int ret = EX_OK;

	if (cases_load_or_report(s, &q, &cases) < 0)
		return EX_TEMPFAIL;
	if (cases->len == 0) {
		fprintf(stderr, "subgate: no case %s\n", receipt);
		g_ptr_array_unref(cases);
		return EX_DATAERR;
	}
	c = cases->pdata[0];
	if (o->json) {
		GString *j = g_string_new(NULL);

		cases_append_record_json(j, c, s->config->store_dir);
		g_string_truncate(j, j->len - 1);
		json_append_key(j, "replies", 0);
		g_string_append_c(j, '[');
		if (db_case_replies(s->db, receipt, show_reply, j, &error) < 0)
			ret = EX_TEMPFAIL;
		g_string_append(j, "]");
		json_append_key(j, "reviews", 0);
		g_string_append_c(j, '[');
		if (ret == EX_OK && db_case_reviews(s->db, receipt, show_review,
		    j, &error) < 0)
			ret = EX_TEMPFAIL;
		g_string_append(j, "]}");
		if (ret == EX_OK)
			puts(j->str);
		g_string_free(j, TRUE);
	} else {
		g_autofree char *full = g_build_filename(s->config->store_dir,
		    c->dir, NULL);
		g_autofree char *status = g_strdup_printf("%s (%s)",
		    case_status_label(c->status), c->status);
		g_autofree char *from = c->from_name && *c->from_name ?
		    g_strdup_printf("%s <%s>", c->from_name, c->sender) :
		    g_strdup(c->sender);
		g_autofree char *total = export_human_size(c->total_size);

		show_line("回执编号", c->receipt);
		show_line("活动", c->campaign);
		show_line("状态", status);
		show_line("收到时间", c->received_at);
		show_line("投稿人", from);
		if (c->unit != NULL)
			show_line("单位", c->unit);
		show_line("类别", c->category);
		show_line("作品名称", c->title);
		show_line("邮件主题", c->subject);
		show_line("Message-ID", c->message_id);
		show_line("案卷目录", full);
		if (c->json_error != NULL)
			show_line("case.json", c->json_error);
		printf("字段:\n");
		for (i = 0; i < c->field_count; i++) {
			GString *line = g_string_new("  ");
			g_autofree char *v = cases_cell(c->fields[i].value);
			g_autofree char *n = cases_cell(c->fields[i].name);

			export_append_padded(line, n, 10);
			g_string_append(line, v);
			puts(line->str);
			g_string_free(line, TRUE);
		}
		printf("附件: %zu 个，共 %s\n", c->attachment_count, total);
		for (i = 0; i < c->attachment_count; i++) {
			const struct case_attachment *a = &c->attachments[i];
			g_autofree char *size = export_human_size(a->size);
			g_autofree char *name = cases_cell(a->name);
			g_autofree char *orig = cases_cell(a->original_name);

			printf("  %s  %s  sha256 %s\n", name, size,
			    a->sha256 ? a->sha256 : "?");
			if (a->original_name != NULL &&
			    strcmp(a->original_name, a->name) != 0)
				printf("    原文件名 %s\n", orig);
		}
		printf("回复:\n");
		if (db_case_replies(s->db, receipt, show_reply, NULL,
		    &error) < 0)
			ret = EX_TEMPFAIL;
		printf("审核记录:\n");
		if (ret == EX_OK && db_case_reviews(s->db, receipt,
		    show_review, NULL, &error) < 0)
			ret = EX_TEMPFAIL;
	}
	if (ret != EX_OK)
		fprintf(stderr, "subgate: %s\n", error);
	g_ptr_array_unref(cases);
	return ret;
}

static int
cases_count_one(const struct db_case *row, void *ctx)
{
	(void)row;
	(*(uint64_t *)ctx)++;
	return 0;
}

static int
cases_export(struct cases_opts *o, struct cases_state *s)
{
	const struct campaign *campaign;
	enum export_format format;
	g_autofree char *error = NULL, *path = NULL, *label = NULL;
	struct progress *progress;
	GPtrArray *cases;
	uint64_t total = 0;
	int ret = EX_OK;

	if (o->format == NULL || export_format_parse(o->format, &format) < 0) {
		fprintf(stderr, "subgate cases export: --format csv or xlsx\n");
		return EX_USAGE;
	}
	if ((campaign = config_campaign_pick(s->config, o->q.campaign)) == NULL)
		return EX_USAGE;
	o->q.campaign = campaign_id(campaign);
	if (o->output != NULL)
		path = g_strdup(o->output);
	else if (format == EXPORT_XLSX)
		path = g_strdup_printf("%s-汇总表.xlsx", campaign_id(campaign));
	/* Counting first costs one query; reading every case folder is
	 * what takes the time, and what the progress follows. */
	if (db_case_list(s->db, &o->q, cases_count_one, &total, &error) < 0) {
		fprintf(stderr, "subgate: %s\n", error);
		return EX_TEMPFAIL;
	}
	label = g_strdup_printf("export %s", campaign_id(campaign));
	progress = progress_new(label, total);
	if (cases_load_progress(s->db, s->config->store_dir, &o->q, progress,
	    &cases, &error) < 0) {
		progress_done(&progress);
		fprintf(stderr, "subgate: %s\n", error);
		return EX_TEMPFAIL;
	}
	ret = export_summary(campaign, cases, format, path, &error);
	progress_done(&progress);
	if (ret < 0) {
		fprintf(stderr, "subgate: %s\n", error);
		ret = EX_CANTCREAT;
	} else if (path != NULL && strcmp(path, "-") != 0) {
		fprintf(stderr, "%s: %u cases\n", path, cases->len);
	}
	g_ptr_array_unref(cases);
	return ret;
}

static int
cases_index(struct cases_opts *o, struct cases_state *s)
{
	size_t i;
	int ret = EX_OK;

	if (o->q.campaign != NULL &&
	    config_campaign_pick(s->config, o->q.campaign) == NULL)
		return EX_USAGE;
	for (i = 0; i < s->config->campaign_count; i++) {
		const struct campaign *c = s->config->campaigns[i];
		g_autofree char *error = NULL;

		if (o->q.campaign != NULL &&
		    strcmp(o->q.campaign, campaign_id(c)) != 0)
			continue;
		if (htmlindex_write(s->config->store_dir, s->db, c,
		    &error) < 0) {
			fprintf(stderr, "subgate: %s: %s\n", campaign_id(c),
			    error);
			ret = EX_CANTCREAT;
			continue;
		}
		printf("%s/%s/index.html\n", s->config->store_dir,
		    campaign_id(c));
	}
	return ret;
}

/* ---- staff decisions ---- */

/* Who made a decision: the login name, else what the environment says. */
static char *
cases_reviewer(void)
{
	const char *who = getlogin();

	if (who == NULL || *who == '\0')
		who = getenv("SUDO_USER");
	if (who == NULL || *who == '\0')
		who = getenv("USER");
	if (who == NULL || *who == '\0')
		who = getenv("LOGNAME");
	if (who == NULL || *who == '\0')
		return g_strdup_printf("uid %u", (unsigned)getuid());
	return export_clean_text(who, FALSE);
}

/* case.json with the decision applied: status, corrected fields, and the
 * decision appended to "reviews" (g_free). */
static char *
review_case_json(const char *old, size_t len, const struct db_case_review *r,
    const char *reviewed_at, JsonObject *changes, char **error_r)
{
	JsonParser *parser = case_json_parse(old, len, error_r);
	JsonGenerator *gen;
	JsonObject *root, *entry;
	JsonArray *reviews;
	GList *members, *l;
	char *out;

	if (parser == NULL)
		return NULL;
	root = json_node_get_object(json_parser_get_root(parser));
	json_object_set_string_member(root, "status", r->status);
	if (!json_object_has_member(root, "fields") ||
	    !JSON_NODE_HOLDS_OBJECT(json_object_get_member(root, "fields")))
		json_object_set_object_member(root, "fields",
		    json_object_new());
	members = json_object_get_members(changes);
	for (l = members; l != NULL; l = l->next)
		json_object_set_string_member(json_object_get_object_member(
		    root, "fields"), l->data, json_object_get_string_member(
		    changes, l->data));
	g_list_free(members);
	if (!json_object_has_member(root, "reviews") ||
	    !JSON_NODE_HOLDS_ARRAY(json_object_get_member(root, "reviews")))
		json_object_set_array_member(root, "reviews", json_array_new());
	reviews = json_object_get_array_member(root, "reviews");
	entry = json_object_new();
	json_object_set_string_member(entry, "action", r->action);
	json_object_set_string_member(entry, "status", r->status);
	if (r->reason != NULL)
		json_object_set_string_member(entry, "reason", r->reason);
	json_object_set_string_member(entry, "reviewer", r->reviewer);
	json_object_set_string_member(entry, "reviewed_at", reviewed_at);
	json_object_set_object_member(entry, "changes",
	    json_object_ref(changes));
	json_array_add_object_element(reviews, entry);

	gen = json_generator_new();
	json_generator_set_root(gen, json_parser_get_root(parser));
	out = json_generator_to_data(gen, NULL);
	g_object_unref(gen);
	g_object_unref(parser);
	{
		char *nl = g_strconcat(out, "\n", NULL);

		g_free(out);
		return nl;
	}
}

/* A decision mail, composed before the decision's transaction and
 * queued inside it. */
struct decision_mail {
	enum reply_kind kind;
	char *to;
	char *data;
	size_t len;
	char *message_id;
};

static void
decision_mail_clear(struct decision_mail *m)
{
	g_free(m->to);
	g_free(m->data);
	g_free(m->message_id);
}

/* The address the case's receipt went to. */
static int
decision_recipient(const struct db_reply *r, void *ctx)
{
	char **to = ctx;

	if (*to == NULL &&
	    (strcmp(r->kind, reply_kind_name(REPLY_RECEIPT)) == 0 ||
	    strcmp(r->kind, reply_kind_name(REPLY_SUPERSEDED)) == 0))
		*to = g_strdup(r->recipient);
	return 0;
}

/*
 * The mail telling the submitter of a decision.  It goes where the
 * receipt went: a case without a receipt (no [smtp] from then, or a
 * sender whose domain did not authenticate) has no address subgate may
 * write to, and the decision is not made.
 */
static int
decision_mail_compose(struct cases_state *s, const struct campaign *campaign,
    const struct case_record *c, const struct db_case_review *r,
    JsonObject *changes, struct decision_mail *m, char **error_r)
{
	const struct config_smtp *smtp = &s->config->smtp;
	struct reply reply = { 0 };
	struct reply_field *fields = NULL, *changed = NULL;
	g_autofree char *token = NULL, *arrival = NULL;
	size_t i, nchanged = 0;
	int ret;

	if (smtp->from == NULL) {
		*error_r = g_strdup_printf("%s has no [smtp] from: a decision "
		    "mail cannot be sent", s->config->path);
		return -1;
	}
	if (db_case_replies(s->db, c->receipt, decision_recipient, &m->to,
	    error_r) < 0)
		return -1;
	if (m->to == NULL || *m->to == '\0') {
		*error_r = g_strdup_printf("case %s got no receipt, so there "
		    "is no address to notify; decide without --notify",
		    c->receipt);
		return -1;
	}
	fields = g_new0(struct reply_field, c->field_count + 1);
	changed = g_new0(struct reply_field, c->field_count + 1);
	for (i = 0; i < c->field_count; i++) {
		const char *name = c->fields[i].name;

		fields[i].name = name;
		fields[i].value = c->fields[i].value;
		if (json_object_has_member(changes, name)) {
			fields[i].value = json_object_get_string_member(changes,
			    name);
			changed[nchanged++] = fields[i];
		}
	}
	/* Each decision is a mail of its own, with its own Message-ID. */
	token = g_uuid_string_random();
	g_strdelimit(token, "-", 'x');
	arrival = case_time_short(c->received_at);
	m->kind = strcmp(r->status, "rejected") == 0 ?
	    REPLY_DECISION_REJECTED : REPLY_DECISION_ACCEPTED;
	reply.kind = m->kind;
	reply.campaign_name = campaign_name(campaign);
	reply.contact = campaign_contact(campaign);
	reply.from = smtp->from;
	reply.from_name = smtp->from_name;
	reply.to = m->to;
	reply.to_name = c->from_name;
	reply.orig_subject = c->subject;
	reply.orig_message_id = c->message_id ? c->message_id : "";
	reply.orig_references = "";
	reply.receipt = c->receipt;
	reply.title = r->title ? r->title : c->title;
	reply.token = token;
	reply.arrival = arrival;
	reply.fields = fields;
	reply.field_count = c->field_count;
	reply.changes = changed;
	reply.change_count = nchanged;
	reply.reason = r->reason;
	reply.campaign = campaign;
	ret = reply_compose(&reply, &m->data, &m->len, &m->message_id,
	    error_r);
	g_free(fields);
	g_free(changed);
	return ret;
}

/*
 * The database's side of corrected fields: the whole fields object with
 * the changes applied (a field the case never had is appended), the
 * changes themselves, and the columns for the fields' roles.  r's strings
 * point into *changes_json_r, *fields_json_r and changes.
 */
static void
review_set_fields(const struct campaign *campaign, const struct case_record *c,
    JsonObject *changes, struct db_case_review *r, char **changes_json_r,
    char **fields_json_r)
{
	JsonGenerator *gen = json_generator_new();
	JsonNode *node = json_node_new(JSON_NODE_OBJECT);
	GString *fj = g_string_new("{");
	const char *cf = campaign_category_field(campaign);
	const char *tf = campaign_title_field(campaign);
	const char *uf = campaign_unit_field(campaign);
	GList *members = json_object_get_members(changes), *l;
	bool first = true;
	size_t i;

	json_node_set_object(node, changes);
	json_generator_set_root(gen, node);
	*changes_json_r = json_generator_to_data(gen, NULL);
	json_node_unref(node);
	g_object_unref(gen);
	for (i = 0; i < c->field_count; i++) {
		const char *name = c->fields[i].name;
		const char *v = json_object_has_member(changes, name) ?
		    json_object_get_string_member(changes, name) :
		    c->fields[i].value;

		json_append_key(fj, name, first);
		json_append_string(fj, v);
		first = false;
	}
	for (l = members; l != NULL; l = l->next) {
		if (case_record_field(c, l->data) != NULL)
			continue;
		json_append_key(fj, l->data, first);
		json_append_string(fj, json_object_get_string_member(changes,
		    l->data));
		first = false;
	}
	g_list_free(members);
	g_string_append_c(fj, '}');
	*fields_json_r = g_string_free(fj, FALSE);
	r->fields_json = *fields_json_r;
	r->changes_json = *changes_json_r;
	if (cf && json_object_has_member(changes, cf))
		r->category = json_object_get_string_member(changes, cf);
	if (tf && json_object_has_member(changes, tf))
		r->title = json_object_get_string_member(changes, tf);
	if (uf && json_object_has_member(changes, uf))
		r->unit = json_object_get_string_member(changes, uf);
}

/*
 * Records a decision on case c: the case row and the review in the
 * database, case.json rewritten, and the decision mail (when there is
 * one) queued, all in one transaction.  EX_OK, or an exit status and
 * *error_r.
 */
static int
review_commit(struct cases_state *s, const struct case_record *c,
    const struct db_case_review *r, JsonObject *changes,
    const struct decision_mail *mail, char **error_r)
{
	g_autofree char *old = NULL, *json = NULL, *json_path = NULL;
	g_autofree char *error = NULL;
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autofree char *now_text = g_date_time_format(now,
	    "%Y-%m-%dT%H:%M:%SZ");
	size_t old_len = 0;

	/* The database and case.json change together: case.json is
	 * replaced inside the transaction and put back if it fails. */
	json_path = g_build_filename(s->config->store_dir, c->dir,
	    "case.json", NULL);
	if (case_json_read(s->config->store_dir, c->dir, &old, &old_len,
	    &error) < 0 || (json = review_case_json(old, old_len, r, now_text,
	    changes, &error)) == NULL) {
		*error_r = g_strdup_printf("%s: %s", c->receipt, error);
		return EX_DATAERR;
	}
	/* The decision mail is queued with the decision, or neither is
	 * recorded. */
	if (db_begin(s->db, error_r) < 0 ||
	    db_case_review(s->db, r, error_r) < 0 ||
	    (mail != NULL && mail->data != NULL && db_case_outbox_add(s->db,
	    c->receipt, reply_kind_name(mail->kind), mail->to, c->message_id,
	    mail->message_id, mail->data, mail->len, error_r) < 0)) {
		db_rollback(s->db);
		return EX_TEMPFAIL;
	}
	if (store_write_file_atomic(json_path, json, strlen(json),
	    error_r) < 0) {
		db_rollback(s->db);
		return EX_CANTCREAT;
	}
	if (db_commit(s->db, error_r) < 0) {
		db_rollback(s->db);
		if (store_write_file_atomic(json_path, old, old_len,
		    &error) < 0)
			log_warnx("%s: could not restore: %s", json_path,
			    error);
		return EX_TEMPFAIL;
	}
	return EX_OK;
}

static int
cases_review(struct cases_opts *o, struct cases_state *s, const char *action,
    const char *receipt)
{
	struct decision_mail mail = { 0 };
	struct db_case_review r = { 0 };
	const struct campaign *campaign;
	struct case_record *c;
	g_autofree char *error = NULL, *reviewer = NULL, *reason = NULL;
	g_autofree char *changes_json = NULL, *fields_json = NULL;
	JsonObject *changes = json_object_new();
	GPtrArray *cases = NULL;
	size_t i;
	int ret = EX_OK;

	if (strcmp(action, "reject") == 0 && (o->reason == NULL ||
	    *o->reason == '\0')) {
		fprintf(stderr, "subgate cases reject: say why with --reason\n");
		json_object_unref(changes);
		return EX_USAGE;
	}
	if ((ret = cases_find_receipt(s, receipt, &cases, &c, &campaign)) !=
	    EX_OK)
		goto out;
	for (i = 0; i < o->nsets; i++) {
		const char *eq = strchr(o->sets[i], '=');
		g_autofree char *name = NULL, *value = NULL;

		if (eq == NULL || eq == o->sets[i]) {
			fprintf(stderr, "subgate: --set %s: use FIELD=VALUE\n",
			    o->sets[i]);
			ret = EX_USAGE;
			goto out;
		}
		name = g_strndup(o->sets[i], (gsize)(eq - o->sets[i]));
		value = export_clean_text(eq + 1, FALSE);
		g_strstrip(value);
		if (case_record_field(c, name) == NULL) {
			fprintf(stderr, "subgate: case %s has no field \"%s\"\n",
			    receipt, name);
			ret = EX_USAGE;
			goto out;
		}
		if (*value == '\0') {
			fprintf(stderr, "subgate: --set %s: empty value\n",
			    name);
			ret = EX_USAGE;
			goto out;
		}
		json_object_set_string_member(changes, name, value);
	}
	reviewer = cases_reviewer();
	reason = o->reason ? export_clean_text(o->reason, TRUE) : NULL;
	r.receipt = c->receipt;
	r.action = action;
	r.status = strcmp(action, "reject") == 0 ? "rejected" : "accepted";
	r.reason = reason;
	r.reviewer = reviewer;
	if (o->nsets > 0)
		review_set_fields(campaign, c, changes, &r, &changes_json,
		    &fields_json);
	if (o->notify && decision_mail_compose(s, campaign, c, &r, changes,
	    &mail, &error) < 0) {
		fprintf(stderr, "subgate: %s\n", error);
		ret = EX_UNAVAILABLE;
		goto out;
	}
	if ((ret = review_commit(s, c, &r, changes, &mail, &error)) != EX_OK) {
		fprintf(stderr, "subgate: %s\n", error);
		goto out;
	}
	printf("%s: %s (%s) by %s\n", receipt, case_status_label(r.status),
	    r.status, reviewer);
	if (mail.data != NULL)
		printf("%s: decision mail to %s queued as <%s>; `subgate "
		    "outbox send` or the running daemon sends it\n", receipt,
		    mail.to, mail.message_id);
	g_clear_pointer(&error, g_free);
	if (htmlindex_write(s->config->store_dir, s->db, campaign,
	    &error) < 0)
		log_warnx("%s: index not updated: %s", campaign_id(campaign),
		    error);
out:
	decision_mail_clear(&mail);
	json_object_unref(changes);
	if (cases != NULL)
		g_ptr_array_unref(cases);
	return ret;
}

/* ---- reprocessing a case ---- */

#define REPROCESS_REVIEWER	"subgate reprocess"

/* Fields a staff decision set (accept or reject --set), by name. */
static int
reprocess_staff_field(const struct db_case_review *r, const char *reviewed_at,
    void *ctx)
{
	GHashTable *staff = ctx;
	g_autofree char *error = NULL;
	JsonParser *p;
	GList *members, *l;

	(void)reviewed_at;
	if (r->changes_json == NULL || strcmp(r->action, "reprocess") == 0)
		return 0;
	if ((p = case_json_parse(r->changes_json, strlen(r->changes_json),
	    &error)) == NULL)
		return 0;
	members = json_object_get_members(json_node_get_object(
	    json_parser_get_root(p)));
	for (l = members; l != NULL; l = l->next)
		g_hash_table_add(staff, g_strdup(l->data));
	g_list_free(members);
	g_object_unref(p);
	return 0;
}

/* Text for one line of the report: no tabs, no line breaks. */
static char *
reprocess_one_line(const char *s)
{
	char *t = export_clean_text(s, FALSE);

	return g_strstrip(t);
}

/*
 * One case: its original.eml judged again under the campaign as it is
 * now.  Changed fields are recorded as a staff correction would be,
 * except those staff set themselves, which are kept.  Returns an exit
 * status: EX_OK (updated or unchanged), 1 (no longer matches), else the
 * error's.
 */
static int
reprocess_case(struct cases_state *s, const char *receipt,
    GHashTable *touched)
{
	struct db_case_review r = { 0 };
	const struct campaign *campaign;
	struct case_record *c;
	struct grammar_result *fields = NULL;
	g_autofree char *path = NULL, *diagnostics = NULL, *error = NULL;
	g_autofree char *changes_json = NULL, *fields_json = NULL;
	JsonObject *changes = NULL;
	GHashTable *staff = NULL;
	GString *details = NULL;
	GPtrArray *cases = NULL;
	size_t i, n;
	int ret = EX_OK, m;

	if ((ret = cases_find_receipt(s, receipt, &cases, &c, &campaign)) !=
	    EX_OK)
		goto out;
	path = g_build_filename(s->config->store_dir, c->dir, "original.eml",
	    NULL);
	if ((m = ingest_rematch(campaign, &s->config->limits, path, &fields,
	    &diagnostics, &error)) < 0) {
		fprintf(stderr, "subgate: %s: %s\n", receipt, error);
		ret = EX_NOINPUT;
		goto out;
	}
	if (m == 0) {
		g_autofree char *d = reprocess_one_line(diagnostics ?
		    diagnostics : "");

		printf("%s\tno-match\t%s\n", receipt, d);
		ret = 1;
		goto out;
	}

	staff = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	if (db_case_reviews(s->db, receipt, reprocess_staff_field, staff,
	    &error) < 0) {
		fprintf(stderr, "subgate: %s\n", error);
		ret = EX_TEMPFAIL;
		goto out;
	}
	changes = json_object_new();
	details = g_string_new(NULL);
	n = grammar_result_field_count(fields);
	for (i = 0; i < n; i++) {
		const char *name, *value, *was;
		g_autofree char *v = NULL, *w = NULL;

		grammar_result_field(fields, i, &name, &value, NULL);
		/* An optional field left out stays as recorded. */
		if (value == NULL || *value == '\0')
			continue;
		was = case_record_field(c, name);
		if (was != NULL && strcmp(was, value) == 0)
			continue;
		v = reprocess_one_line(value);
		w = reprocess_one_line(was ? was : "");
		if (details->len > 0)
			g_string_append(details, "; ");
		if (g_hash_table_contains(staff, name)) {
			g_string_append_printf(details, "%s: kept %s (set by "
			    "staff; the convention now reads %s)", name, w, v);
			continue;
		}
		g_string_append_printf(details, "%s: %s -> %s", name,
		    was ? w : "(none)", v);
		json_object_set_string_member(changes, name, value);
	}
	if (json_object_get_size(changes) == 0) {
		printf("%s\tunchanged\t%s\n", receipt, details->str);
		goto out;
	}
	r.receipt = c->receipt;
	r.action = "reprocess";
	r.status = c->status;
	r.reason = "按修改后的活动文件重新识别命名";
	r.reviewer = REPROCESS_REVIEWER;
	review_set_fields(campaign, c, changes, &r, &changes_json,
	    &fields_json);
	if ((ret = review_commit(s, c, &r, changes, NULL, &error)) != EX_OK) {
		fprintf(stderr, "subgate: %s\n", error);
		goto out;
	}
	printf("%s\tupdated\t%s\n", receipt, details->str);
	g_hash_table_add(touched, (gpointer)campaign);
out:
	if (details != NULL)
		g_string_free(details, TRUE);
	if (changes != NULL)
		json_object_unref(changes);
	if (staff != NULL)
		g_hash_table_unref(staff);
	grammar_result_free(&fields);
	if (cases != NULL)
		g_ptr_array_unref(cases);
	return ret;
}

/* The worse of two exit statuses: a failure over a mismatch over OK. */
static int
reprocess_worse(int a, int b)
{
	if (a == EX_OK || (a == 1 && b != EX_OK))
		return b;
	return a;
}

int
cases_reprocess(const char *config_path, const char *store_dir,
    const char *database, char *const *receipts, size_t count)
{
	struct cases_opts o = { .config = config_path, .store = store_dir,
	    .database = database };
	struct cases_state s = { 0 };
	GHashTable *touched;
	GHashTableIter it;
	gpointer campaign;
	size_t i;
	int ret = EX_OK, r;

	if (cases_open(&o, &s, &ret) < 0)
		return ret;
	touched = g_hash_table_new(g_direct_hash, g_direct_equal);
	for (i = 0; i < count; i++) {
		r = reprocess_case(&s, receipts[i], touched);
		ret = reprocess_worse(ret, r);
		/* The database itself failing stops the run. */
		if (r == EX_TEMPFAIL)
			break;
	}
	fflush(stdout);
	g_hash_table_iter_init(&it, touched);
	while (g_hash_table_iter_next(&it, &campaign, NULL)) {
		g_autofree char *error = NULL;

		if (htmlindex_write(s.config->store_dir, s.db, campaign,
		    &error) < 0)
			log_warnx("%s: index not updated: %s",
			    campaign_id(campaign), error);
	}
	g_hash_table_unref(touched);
	cases_close(&s);
	return ret;
}

int
cmd_cases(int argc, char **argv)
{
	struct cases_opts o = { 0 };
	struct cases_state s = { 0 };
	const char *sub;
	int first, ret;

	if (argc < 2 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0) {
		fputs(cases_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EX_USAGE : EX_OK;
	}
	sub = argv[1];
	if (strcmp(sub, "list") != 0 && strcmp(sub, "show") != 0 &&
	    strcmp(sub, "export") != 0 && strcmp(sub, "index") != 0 &&
	    strcmp(sub, "accept") != 0 && strcmp(sub, "reject") != 0) {
		fprintf(stderr, "subgate cases: unknown command \"%s\"\n%s",
		    sub, cases_usage);
		return EX_USAGE;
	}
	if ((first = cases_parse_opts(argc - 1, argv + 1, &o)) < 0)
		return first == -2 ? EX_OK : EX_USAGE;
	first++;	/* index into argv */
	if (strcmp(sub, "show") == 0 || strcmp(sub, "accept") == 0 ||
	    strcmp(sub, "reject") == 0) {
		if (first != argc - 1) {
			fprintf(stderr, "subgate cases %s: give one RECEIPT\n",
			    sub);
			return EX_USAGE;
		}
	} else if (first != argc) {
		fprintf(stderr, "subgate cases %s: unexpected \"%s\"\n", sub,
		    argv[first]);
		return EX_USAGE;
	}
	if (cases_open(&o, &s, &ret) < 0)
		return ret;
	if (strcmp(sub, "list") == 0)
		ret = cases_list(&o, &s);
	else if (strcmp(sub, "show") == 0)
		ret = cases_show(&o, &s, argv[first]);
	else if (strcmp(sub, "export") == 0)
		ret = cases_export(&o, &s);
	else if (strcmp(sub, "index") == 0)
		ret = cases_index(&o, &s);
	else
		ret = cases_review(&o, &s, sub, argv[first]);
	cases_close(&s);
	return ret;
}

/* ---- stats ---- */

/*
 * A rejection's reason is the correction mail's text: a heading naming
 * the subject or file, then what is wrong, then the convention.  Grouped
 * by the first line that says what is wrong.
 */
static char *
stats_reason_key(const char *reason)
{
	g_auto(GStrv) lines = g_strsplit(reason ? reason : "", "\n", -1);
	size_t i;

	for (i = 0; lines[i] != NULL; i++) {
		const char *l = lines[i];

		if (*l == '\0' || g_str_has_prefix(l, "邮件主题“") ||
		    g_str_has_prefix(l, "附件“"))
			continue;
		return export_clean_text(l, FALSE);
	}
	return g_strdup(reason && *reason ? lines[0] : "（无说明）");
}

struct stats_ctx {
	const struct campaign *campaign;
	GHashTable *reasons;		/* key -> count */
	GHashTable *unit_cats;		/* "unit\ncategory" -> count */
};

static void
stats_row(const char *label, int64_t n, const char *extra)
{
	GString *line = g_string_new("  ");
	g_autofree char *l = cases_cell(label);

	export_append_padded(line, l, 30);
	g_string_append_printf(line, "%6lld", (long long)n);
	if (extra != NULL)
		g_string_append_printf(line, "  %s", extra);
	puts(line->str);
	g_string_free(line, TRUE);
}

static int
stats_plain(const char *key, const char *key2, int64_t n, void *ctx)
{
	(void)key2;
	(void)ctx;
	stats_row(key ? key : "（未填）", n, NULL);
	return 0;
}

static int
stats_outcome(const char *key, const char *key2, int64_t n, void *ctx)
{
	static const struct {
		const char *outcome, *label;
	} labels[] = {
		{ "accepted", "已受理" },
		{ "rejected", "命名不符，已发更正通知" },
		{ "ignored", "自动邮件，已忽略" },
		{ "duplicate", "重复投递" },
		{ "late", "逾期" },
		{ "too-large", "邮件过大" },
		{ "over-quota", "超出限额" },
		{ "frozen", "已报送，不再接收" },
		{ "failed", "无法解析" },
	};
	const char *label = "";
	g_autofree char *l = NULL;
	size_t i;

	(void)key2;
	(void)ctx;
	for (i = 0; key != NULL && i < G_N_ELEMENTS(labels); i++)
		if (strcmp(key, labels[i].outcome) == 0)
			label = labels[i].label;
	l = g_strdup_printf("%s (%s)", label, key ? key : "");
	stats_row(l, n, NULL);
	return 0;
}

static int
stats_status(const char *key, const char *key2, int64_t n, void *ctx)
{
	g_autofree char *l = g_strdup_printf("%s (%s)", case_status_label(key),
	    key ? key : "");

	(void)key2;
	(void)ctx;
	stats_row(l, n, NULL);
	return 0;
}

static int
stats_unit_cat(const char *key, const char *key2, int64_t n, void *ctx)
{
	struct stats_ctx *s = ctx;

	g_hash_table_insert(s->unit_cats, g_strdup_printf("%s\n%s",
	    key ? key : "", key2 ? key2 : ""), GINT_TO_POINTER((int)n));
	return 0;
}

static int
stats_unit(const char *key, const char *key2, int64_t n, void *ctx)
{
	struct stats_ctx *s = ctx;
	bool has_unit = campaign_unit_field(s->campaign) != NULL;
	unsigned quota = has_unit ? campaign_quota_per_unit(s->campaign) :
	    campaign_quota_per_submitter(s->campaign);
	size_t nqc = campaign_quota_category_count(s->campaign), q;
	GString *extra = g_string_new(NULL);

	(void)key2;
	if (quota > 0)
		g_string_append_printf(extra, "限额 %lld/%u%s", (long long)n,
		    quota, (unsigned)n > quota ? " 超出" : "");
	for (q = 0; q < nqc; q++) {
		const char *cat;
		unsigned lim;
		g_autofree char *k = NULL;
		int used;

		campaign_quota_category(s->campaign, q, &cat, &lim);
		k = g_strdup_printf("%s\n%s", key ? key : "", cat);
		used = GPOINTER_TO_INT(g_hash_table_lookup(s->unit_cats, k));
		g_string_append_printf(extra, "%s%s %d/%u%s",
		    extra->len ? "，" : "", cat, used, lim,
		    (unsigned)used > lim ? " 超出" : "");
	}
	stats_row(key ? key : "", n, extra->len ? extra->str : NULL);
	g_string_free(extra, TRUE);
	return 0;
}

static int
stats_reason(const char *key, const char *key2, int64_t n, void *ctx)
{
	struct stats_ctx *s = ctx;
	g_autofree char *reason = stats_reason_key(key);
	char *k = g_strdup_printf("%s\t%s", key2 ? key2 : "", reason);

	g_hash_table_insert(s->reasons, k, GINT_TO_POINTER(
	    GPOINTER_TO_INT(g_hash_table_lookup(s->reasons, k)) + (int)n));
	return 0;
}

static int
stats_reply(const char *key, const char *key2, int64_t n, void *ctx)
{
	g_autofree char *l = g_strdup_printf("%s %s", key ? key : "",
	    key2 ? key2 : "");

	(void)ctx;
	stats_row(l, n, NULL);
	return 0;
}

static gint
stats_reason_cmp(gconstpointer a, gconstpointer b, gpointer h)
{
	int na = GPOINTER_TO_INT(g_hash_table_lookup(h, *(char *const *)a));
	int nb = GPOINTER_TO_INT(g_hash_table_lookup(h, *(char *const *)b));

	if (na != nb)
		return nb - na;
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
stats_campaign(struct db *db, const struct campaign *campaign)
{
	struct stats_ctx s = {
		.campaign = campaign,
		.reasons = g_hash_table_new_full(g_str_hash, g_str_equal,
		    g_free, NULL),
		.unit_cats = g_hash_table_new_full(g_str_hash, g_str_equal,
		    g_free, NULL),
	};
	const char *id = campaign_id(campaign);
	g_autofree char *error = NULL;
	GPtrArray *keys;
	GHashTableIter it;
	gpointer k;
	guint i;
	int ret = 0;

	printf("%s（%s）\n", campaign_name(campaign), id);
	printf("案卷状态:\n");
	if (db_count(db, DB_COUNT_STATUS, id, stats_status, &s, &error) < 0)
		goto fail;
	printf("按类别:\n");
	if (db_count(db, DB_COUNT_CATEGORY, id, stats_plain, &s, &error) < 0)
		goto fail;
	printf(campaign_unit_field(campaign) ? "按单位（有效件数）:\n" :
	    "按投稿人（有效件数）:\n");
	if (db_count(db, DB_COUNT_UNIT_CATEGORY, id, stats_unit_cat, &s,
	    &error) < 0 ||
	    db_count(db, DB_COUNT_UNIT, id, stats_unit, &s, &error) < 0)
		goto fail;
	printf("邮件处理结果:\n");
	if (db_count(db, DB_COUNT_OUTCOME, id, stats_outcome, &s, &error) < 0)
		goto fail;
	printf("未受理原因:\n");
	if (db_count(db, DB_COUNT_REJECTION, id, stats_reason, &s,
	    &error) < 0)
		goto fail;
	keys = g_ptr_array_new();
	g_hash_table_iter_init(&it, s.reasons);
	while (g_hash_table_iter_next(&it, &k, NULL))
		g_ptr_array_add(keys, k);
	g_ptr_array_sort_with_data(keys, stats_reason_cmp, s.reasons);
	for (i = 0; i < keys->len; i++) {
		const char *key = keys->pdata[i];
		const char *tab = strchr(key, '\t');
		GString *line = g_string_new(NULL);

		g_string_append_printf(line, "  %6d  %.*s: ",
		    GPOINTER_TO_INT(g_hash_table_lookup(s.reasons, key)),
		    (int)(tab - key), key);
		export_append_padded(line, tab + 1,
		    MIN(STATS_REASON_WIDTH, export_display_width(tab + 1)));
		puts(line->str);
		g_string_free(line, TRUE);
	}
	g_ptr_array_unref(keys);
	printf("回复:\n");
	if (db_count(db, DB_COUNT_REPLY_STATE, id, stats_reply, &s,
	    &error) < 0)
		goto fail;
	goto out;
fail:
	fprintf(stderr, "subgate: %s\n", error);
	ret = -1;
out:
	g_hash_table_unref(s.reasons);
	g_hash_table_unref(s.unit_cats);
	return ret;
}

int
cmd_stats(int argc, char **argv)
{
	struct cases_opts o = { 0 };
	struct cases_state s = { 0 };
	size_t i;
	int first, ret = EX_OK;

	if ((first = cases_parse_opts(argc, argv, &o)) < 0)
		return first == -2 ? EX_OK : EX_USAGE;
	if (first != argc) {
		fprintf(stderr, "subgate stats: unexpected \"%s\"\n",
		    argv[first]);
		return EX_USAGE;
	}
	if (cases_open(&o, &s, &ret) < 0)
		return ret;
	if (o.q.campaign != NULL &&
	    config_campaign_pick(s.config, o.q.campaign) == NULL) {
		cases_close(&s);
		return EX_USAGE;
	}
	for (i = 0; i < s.config->campaign_count; i++) {
		const struct campaign *c = s.config->campaigns[i];

		if (o.q.campaign != NULL &&
		    strcmp(o.q.campaign, campaign_id(c)) != 0)
			continue;
		if (i > 0 && o.q.campaign == NULL)
			putchar('\n');
		if (stats_campaign(s.db, c) < 0)
			ret = EX_TEMPFAIL;
	}
	cases_close(&s);
	return ret;
}
