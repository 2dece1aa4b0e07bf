/*
 * links: the cloud attachments (超大附件) filed with cases, for staff.
 *   links list    one line per link: receipt/pos, state, time left,
 *                 provider, name, size, attempts, last error, URL
 *                 (--expiring: only those not downloaded that expire
 *                 within their campaign's expiry_warn)
 *   links fetch   a link (or every link of a case) due now, attempts
 *                 forgotten; downloaded at once when no subgate holds the
 *                 store, else by the running daemon within a minute
 *   links mark    a file staff downloaded by hand, recorded as the fetch
 *                 would have (checked, into the case, state manual)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include <glib.h>

#include "campaign.h"
#include "case_json.h"
#include "cli.h"
#include "config.h"
#include "db.h"
#include "json.h"
#include "linkfetch.h"
#include "store.h"

static const char links_usage[] =
"usage: subgate links list -c CONFIG [--campaign ID] [--expiring] [--json]\n"
"       subgate links fetch -c CONFIG RECEIPT[/POS]\n"
"       subgate links mark -c CONFIG RECEIPT/POS --fetched-by-hand FILE\n"
"                          [--store DIR] [--database FILE]\n"
"\n"
"The cloud attachment links filed with cases.  list shows each with its\n"
"state (pending, fetching, fetched, failed, expired, infected, manual,\n"
"not-fetched) and the time left; --expiring only those not downloaded that\n"
"expire within their campaign's [links] expiry_warn.  fetch makes links due\n"
"now and downloads them unless another subgate holds the store (it then\n"
"does, within a minute).  mark records a file downloaded by hand.\n";

/* RECEIPT or RECEIPT/POS; *pos_r 0 when no POS. */
static int
links_parse_ref(const char *ref, char **receipt_r, unsigned *pos_r)
{
	const char *slash = strrchr(ref, '/');
	char *end;
	unsigned long v;

	*pos_r = 0;
	if (slash == NULL) {
		*receipt_r = g_strdup(ref);
		return *ref != '\0' ? 0 : -1;
	}
	errno = 0;
	v = strtoul(slash + 1, &end, 10);
	if (slash == ref || *end != '\0' || errno != 0 || v == 0 ||
	    v > 1000)
		return -1;
	*receipt_r = g_strndup(ref, (size_t)(slash - ref));
	*pos_r = (unsigned)v;
	return 0;
}

static void
links_print(const struct db_link *l, int64_t now, bool json)
{
	struct case_link cl = { .expires_at = l->expires_at };
	g_autofree char *left = case_link_countdown(&cl, now, NULL);
	g_autofree char *name = NULL, *err = NULL;
	GString *j;

	if (!json) {
		name = cli_cell(l->name != NULL ? l->name : "-");
		err = cli_cell(l->last_error != NULL ? l->last_error : "-");
		printf("%s/%u\t%s\t%s\t%s\t%s\t%llu\t%u\t%s\t%s\n", l->receipt,
		    l->pos, l->state, left, l->provider, name,
		    (unsigned long long)l->size, l->attempts, err, l->url);
		return;
	}
	j = g_string_new("{");
	json_append_key(j, "receipt", 1);
	json_append_string(j, l->receipt);
	json_append_key(j, "pos", 0);
	g_string_append_printf(j, "%u", l->pos);
	json_append_key(j, "campaign", 0);
	json_append_string(j, l->campaign);
	json_append_key(j, "state", 0);
	json_append_string(j, l->state);
	json_append_key(j, "provider", 0);
	json_append_string(j, l->provider);
	json_append_key(j, "name", 0);
	json_append_string(j, l->name);
	json_append_key(j, "size", 0);
	g_string_append_printf(j, "%llu", (unsigned long long)l->size);
	json_append_key(j, "expires_at", 0);
	json_append_string(j, l->expires_at);
	json_append_key(j, "left", 0);
	json_append_string(j, left);
	json_append_key(j, "attempts", 0);
	g_string_append_printf(j, "%u", l->attempts);
	json_append_key(j, "fetched_bytes", 0);
	g_string_append_printf(j, "%llu", (unsigned long long)l->fetched_bytes);
	json_append_key(j, "last_error", 0);
	json_append_string(j, l->last_error);
	json_append_key(j, "saved_as", 0);
	json_append_string(j, l->saved_as);
	json_append_key(j, "url", 0);
	json_append_string(j, l->url);
	g_string_append_c(j, '}');
	puts(j->str);
	g_string_free(j, TRUE);
}

static int
links_list(struct cli_state *s, const struct cli_staff_opts *o,
    bool expiring)
{
	int64_t now = (int64_t)time(NULL);
	unsigned most = CAMPAIGN_DEFAULT_EXPIRY_WARN;
	g_autoptr(GDateTime) until = NULL;
	g_autofree char *before = NULL, *error = NULL;
	struct db_link *links = NULL;
	size_t i, n = 0;

	for (i = 0; i < s->config->campaign_count; i++)
		most = MAX(most, campaign_link_expiry_warn(
		    s->config->campaigns[i]));
	until = g_date_time_new_from_unix_utc(now + most);
	before = expiring ? g_date_time_format(until,
	    "%Y-%m-%dT%H:%M:%SZ") : NULL;
	if (db_links_list(s->db, o->q.campaign, NULL, before, &links, &n,
	    &error) < 0) {
		fprintf(stderr, "subgate: %s\n", error);
		return EX_TEMPFAIL;
	}
	for (i = 0; i < n; i++) {
		const struct campaign *c = config_campaign_find(s->config,
		    links[i].campaign);
		g_autoptr(GDateTime) dt = links[i].expires_at != NULL ?
		    g_date_time_new_from_iso8601(links[i].expires_at, NULL) :
		    NULL;

		if (expiring && (c == NULL || dt == NULL ||
		    g_date_time_to_unix(dt) - now >=
		    (int64_t)campaign_link_expiry_warn(c)))
			continue;
		links_print(&links[i], now, o->json);
	}
	db_links_free(links, n);
	return EX_OK;
}

/* The links of receipt (pos 0: all), or EX_* after saying why none. */
static int
links_load(struct cli_state *s, const char *receipt, unsigned pos,
    struct db_link **links_r, size_t *n_r)
{
	g_autofree char *error = NULL;
	size_t i, k = 0;

	if (db_links_list(s->db, NULL, receipt, NULL, links_r, n_r,
	    &error) < 0) {
		fprintf(stderr, "subgate: %s\n", error);
		return EX_TEMPFAIL;
	}
	for (i = 0; i < *n_r; i++)
		if (pos == 0 || (*links_r)[i].pos == pos)
			k++;
	if (k == 0) {
		fprintf(stderr, "subgate: case %s has no cloud attachment link"
		    "%s\n", receipt, pos > 0 ? " at that position" : "");
		return EX_DATAERR;
	}
	return EX_OK;
}

/* fetch and mark need the store to themselves: another subgate writing
 * into the same case folder would race them. */
static int
links_lock(struct cli_state *s, struct store **store_r, bool *busy_r)
{
	g_autofree char *error = NULL;
	int r = store_open(s->config->store_dir, store_r, &error);

	*busy_r = r == STORE_BUSY;
	if (r < 0 && !*busy_r) {
		fprintf(stderr, "subgate: %s\n", error);
		return EX_TEMPFAIL;
	}
	return EX_OK;
}

static int
links_do(struct cli_state *s, const char *receipt, unsigned pos,
    const char *by_hand)
{
	struct linkfetch_ctx ctx = { .config = s->config, .db = s->db,
		.store_dir = s->config->store_dir };
	struct db_link *links = NULL;
	struct store *store = NULL;
	size_t i, n = 0;
	bool busy = false;
	int ret, r;

	if ((ret = links_load(s, receipt, pos, &links, &n)) != EX_OK)
		goto out;
	if (by_hand == NULL) {
		g_autofree char *error = NULL;

		if (db_link_due_now(s->db, receipt, pos, &error) < 0) {
			fprintf(stderr, "subgate: %s\n", error);
			ret = EX_TEMPFAIL;
			goto out;
		}
	}
	if ((ret = links_lock(s, &store, &busy)) != EX_OK)
		goto out;
	if (busy) {
		printf("%s: %s\n", receipt, by_hand != NULL ? "another subgate "
		    "holds the store: try again once it stopped" :
		    "due now; the running subgate fetches it within a minute");
		ret = by_hand != NULL ? EX_TEMPFAIL : EX_OK;
		goto out;
	}
	for (i = 0; i < n; i++) {
		const struct db_link *l = &links[i];
		const struct campaign *c = config_campaign_find(s->config,
		    l->campaign);
		g_autoptr(GUri) u = g_uri_parse(l->url, G_URI_FLAGS_ENCODED,
		    NULL);
		g_autofree char *error = NULL;

		if (pos != 0 && l->pos != pos)
			continue;
		if (by_hand == NULL && (c == NULL || u == NULL ||
		    !campaign_link_fetch_host(c, g_uri_get_host(u)))) {
			fprintf(stderr, "subgate: %s/%u: the campaign's [links] "
			    "fetch does not list its host; download it by "
			    "hand and use links mark\n", l->receipt, l->pos);
			ret = EX_DATAERR;
			continue;
		}
		r = by_hand != NULL ? linkfetch_mark(&ctx, l, by_hand, &error) :
		    linkfetch_one(&ctx, l, &error);
		if (r < 0) {
			fprintf(stderr, "subgate: %s/%u: %s\n", l->receipt,
			    l->pos, error);
			ret = EX_TEMPFAIL;
		}
	}
	db_links_free(links, n);
	links = NULL;
	n = 0;
	if (links_load(s, receipt, pos, &links, &n) == EX_OK)
		for (i = 0; i < n; i++)
			if (pos == 0 || links[i].pos == pos)
				links_print(&links[i], (int64_t)time(NULL),
				    false);
out:
	db_links_free(links, n);
	store_close(&store);
	return ret;
}

/* --expiring and --fetched-by-hand FILE taken out of argv, the rest
 * left for cli_staff_parse_opts(); an option links does not take is a
 * usage error here, with links' usage, not the cases'. */
static int
links_own_opts(int *argc, char **argv, bool *expiring_r,
    const char **by_hand_r)
{
	static const char *const taken[] = { "-c", "--config", "--campaign",
		"--store", "--database", "--json", NULL };
	int i, k = 0;

	for (i = 0; i < *argc; i++) {
		if (i > 0 && argv[i][0] == '-' &&
		    strcmp(argv[i], "--expiring") != 0 &&
		    strcmp(argv[i], "--fetched-by-hand") != 0 &&
		    !g_strv_contains(taken, argv[i]) &&
		    strchr(argv[i], '=') == NULL) {
			fprintf(stderr, "subgate links: unknown option %s\n",
			    argv[i]);
			return -1;
		}
		if (strcmp(argv[i], "--expiring") == 0) {
			*expiring_r = true;
		} else if (strcmp(argv[i], "--fetched-by-hand") == 0) {
			if (i + 1 >= *argc)
				return -1;
			*by_hand_r = argv[++i];
		} else {
			argv[k++] = argv[i];
		}
	}
	*argc = k;
	argv[k] = NULL;
	return 0;
}

int
cmd_links(int argc, char **argv)
{
	struct cli_staff_opts o = { 0 };
	struct cli_state s = { 0 };
	g_autofree char *receipt = NULL;
	const char *by_hand = NULL, *verb;
	bool expiring = false, help;
	unsigned pos = 0;
	int first, ret = EX_OK;

	help = argc >= 2 && (strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0);
	if (argc < 2 || (strcmp(argv[1], "list") != 0 &&
	    strcmp(argv[1], "fetch") != 0 && strcmp(argv[1], "mark") != 0)) {
		fputs(links_usage, help ? stdout : stderr);
		return help ? EX_OK : EX_USAGE;
	}
	verb = argv[1];
	argc--;
	argv++;
	for (first = 1; first < argc; first++)
		if (strcmp(argv[first], "-h") == 0 ||
		    strcmp(argv[first], "--help") == 0) {
			fputs(links_usage, stdout);
			return EX_OK;
		}
	if (links_own_opts(&argc, argv, &expiring, &by_hand) < 0 ||
	    (first = cli_staff_parse_opts(argc, argv, &o)) == -1) {
		fputs(links_usage, stderr);
		return EX_USAGE;
	}
	if (first == -2)
		return EX_OK;
	if (strcmp(verb, "list") == 0 ? first != argc || by_hand != NULL :
	    first + 1 != argc || expiring ||
	    links_parse_ref(argv[first], &receipt, &pos) < 0 ||
	    (strcmp(verb, "mark") == 0) != (by_hand != NULL) ||
	    (by_hand != NULL && pos == 0)) {
		fputs(links_usage, stderr);
		return EX_USAGE;
	}
	if (cli_open(o.config, o.store, o.database, &s, &ret) < 0)
		return ret;
	if (strcmp(verb, "list") == 0)
		ret = links_list(&s, &o, expiring);
	else
		ret = links_do(&s, receipt, pos, by_hand);
	cli_close(&s);
	return ret;
}
