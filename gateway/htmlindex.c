/* htmlindex: see include/htmlindex.h. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "campaign.h"
#include "case_record.h"
#include "db.h"
#include "fdio.h"
#include "htmlindex.h"
#include "log.h"
#include "mail_record.h"
#include "reasoncode.h"
#include "store.h"
#include "textcell.h"

/* The markup's version, in every page's fingerprint: a subgate that
 * draws pages differently rewrites them all. */
#define HTMLINDEX_LAYOUT	"5"
#define HTMLINDEX_MARK		"<meta name=\"subgate-page\" content=\""

char *
htmlindex_escape(const char *s)
{
	g_autofree char *clean = textcell_clean(s, FALSE);
	GString *out = g_string_sized_new(strlen(clean) + 16);
	const char *p;

	for (p = clean; *p != '\0'; p++) {
		switch (*p) {
		case '&':
			g_string_append(out, "&amp;");
			break;
		case '<':
			g_string_append(out, "&lt;");
			break;
		case '>':
			g_string_append(out, "&gt;");
			break;
		case '"':
			g_string_append(out, "&quot;");
			break;
		case '\'':
			g_string_append(out, "&#39;");
			break;
		default:
			g_string_append_c(out, *p);
		}
	}
	return g_string_free(out, FALSE);
}

char *
htmlindex_path_encode(const char *relpath)
{
	g_auto(GStrv) segments = g_strsplit(relpath ? relpath : "", "/", -1);
	GString *out = g_string_new(NULL);
	size_t i;

	for (i = 0; segments[i] != NULL; i++) {
		/* No reserved characters allowed through, UTF-8 as %XX:
		 * '#', '?', '%' and ';' then mean nothing to the browser. */
		g_autofree char *seg = g_uri_escape_string(segments[i], NULL,
		    FALSE);

		if (i > 0)
			g_string_append_c(out, '/');
		g_string_append(out, seg);
	}
	return g_string_free(out, FALSE);
}

/* Appends escaped text. */
static void
html_text(GString *out, const char *s)
{
	g_autofree char *e = htmlindex_escape(s);

	g_string_append(out, e);
}

/* The case folder relative to <store>/<campaign>/, where the page is. */
static char *
htmlindex_case_href(const struct campaign *campaign, const char *dir,
    const char *file)
{
	const char *id = campaign_id(campaign);
	size_t n = strlen(id);
	g_autofree char *rel = NULL, *enc = NULL;

	if (strncmp(dir, id, n) == 0 && dir[n] == '/')
		rel = g_strdup(dir + n + 1);
	else
		rel = g_strconcat("../", dir, NULL);
	enc = htmlindex_path_encode(rel);
	if (file == NULL)
		return g_strconcat(enc, "/", NULL);
	{
		g_autofree char *f = htmlindex_path_encode(file);

		return g_strconcat(enc, "/", f, NULL);
	}
}

static const char htmlindex_style[] =
"body{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"Microsoft YaHei\","
"\"PingFang SC\",\"WenQuanYi Micro Hei\",sans-serif;margin:1.5em;color:#222;"
"font-size:14px;line-height:1.5}\n"
"h1{font-size:1.5em;margin:0 0 .2em}h2{font-size:1.15em;margin:1.2em 0 .4em}\n"
".meta{color:#555;margin:0 0 1em}\n"
"table{border-collapse:collapse;margin-bottom:1em}\n"
"th,td{border:1px solid #ccd;padding:.3em .6em;vertical-align:top;text-align:left}\n"
"thead th{background:#e8edf7;position:sticky;top:0}\n"
"#cases thead th{cursor:pointer;user-select:none;white-space:nowrap}\n"
"#cases thead th[aria-sort=ascending]::after{content:\" ▲\"}\n"
"#cases thead th[aria-sort=descending]::after{content:\" ▼\"}\n"
"tbody tr:nth-child(even){background:#f7f8fb}\n"
"td.num{text-align:right;white-space:nowrap}td.nowrap{white-space:nowrap}\n"
"ul.att{margin:.2em 0 0;padding-left:1.2em;font-size:.92em}\n"
".size{color:#777}\n"
".kind{color:#555;font-size:90%}\n"
".st{display:inline-block;padding:0 .5em;border-radius:3px;white-space:nowrap}\n"
".st-accepted{background:#e3f4e1;color:#1d6b1a}\n"
".st-rejected{background:#fbe3e3;color:#a11}\n"
".st-superseded{background:#eee;color:#666}\n"
".st-missing{background:#fff0d6;color:#a60;font-weight:bold}\n"
".st-refused{background:#fbe3e3;color:#a11}\n"
"tr.refused td{color:#666}\n"
".st-pending{background:#fff7d6;color:#850}\n"
".over{color:#a11;font-weight:bold}\n"
".tools{margin:.5em 0}\n"
"#filter{font-size:1em;padding:.3em .5em;width:28em;max-width:90%}\n"
"#shown{color:#555;margin-left:1em}\n"
".warn{color:#a60}\n"
".urgent{color:#c00;font-weight:bold}\n"
".url{font-family:monospace;font-size:85%;color:#555;word-break:break-all}\n"
".summaries{display:flex;flex-wrap:wrap;gap:2em}\n";

/* Sorting by a header click and filtering as one types; no libraries,
 * nothing loaded.  A cell's data-v, when present, is its sort key. */
static const char htmlindex_script[] =
"(function(){\n"
"var t=document.getElementById('cases');if(!t)return;\n"
"var tb=t.tBodies[0],f=document.getElementById('filter'),"
"s=document.getElementById('status'),shown=document.getElementById('shown');\n"
"var coll=new Intl.Collator('zh-CN',{numeric:true});\n"
"var heads=t.tHead.rows[0].cells;\n"
"function key(td,num){var v=td.getAttribute('data-v');"
"if(v===null)v=td.textContent;return num?(parseFloat(v)||0):v;}\n"
"Array.prototype.forEach.call(heads,function(th,i){\n"
" th.title='点击排序';\n"
" th.addEventListener('click',function(){\n"
"  var num=th.getAttribute('data-type')==='num';\n"
"  var dir=th.getAttribute('aria-sort')==='ascending'?-1:1;\n"
"  Array.prototype.forEach.call(heads,function(h){h.removeAttribute('aria-sort');});\n"
"  th.setAttribute('aria-sort',dir===1?'ascending':'descending');\n"
"  var rows=Array.prototype.slice.call(tb.rows);\n"
"  rows.sort(function(a,b){var x=key(a.cells[i],num),y=key(b.cells[i],num);"
"return dir*(num?x-y:coll.compare(x,y));});\n"
"  rows.forEach(function(r){tb.appendChild(r);});\n"
" });\n"
"});\n"
"function apply(){\n"
" var words=f.value.toLowerCase().split(/\\s+/).filter(Boolean),st=s.value,n=0;\n"
" Array.prototype.forEach.call(tb.rows,function(r){\n"
"  var text=r.textContent.toLowerCase();\n"
"  var ok=words.every(function(w){return text.indexOf(w)>=0;})&&"
"(!st||r.getAttribute('data-status')===st);\n"
"  r.hidden=!ok;if(ok)n++;\n"
" });\n"
" shown.textContent='显示 '+n+' / '+tb.rows.length+' 件';\n"
"}\n"
"f.addEventListener('input',apply);s.addEventListener('change',apply);apply();\n"
"Array.prototype.forEach.call(document.querySelectorAll('[data-expires]'),"
"function(e){var l=e.getAttribute('data-expires')-Date.now()/1000;"
"e.textContent=l<=0?'已过期':l>=86400?'剩'+Math.floor(l/86400)+'天':"
"'剩'+Math.max(1,Math.floor(l/3600))+'小时';"
"e.className=l<259200?'urgent':'size';});\n"
"})();\n";

struct unit_count {
	unsigned total;		/* counting cases */
	unsigned pending;	/* 待核实: counted nowhere, said in 备注 */
	GHashTable *by_category;	/* category -> GUINT_TO_POINTER(n) */
};

static void
unit_count_free(gpointer p)
{
	struct unit_count *u = p;

	g_hash_table_unref(u->by_category);
	g_free(u);
}

static gint
htmlindex_strcmp(gconstpointer a, gconstpointer b)
{
	return g_utf8_collate(*(const char *const *)a, *(const char *const *)b);
}

/* Keys of a table, sorted, as a GPtrArray of borrowed strings. */
static GPtrArray *
htmlindex_sorted_keys(GHashTable *h)
{
	GPtrArray *keys = g_ptr_array_new();
	GHashTableIter it;
	gpointer k;

	g_hash_table_iter_init(&it, h);
	while (g_hash_table_iter_next(&it, &k, NULL))
		g_ptr_array_add(keys, k);
	g_ptr_array_sort(keys, htmlindex_strcmp);
	return keys;
}

/* Counts per unit (or sender) and category, of the cases that count, and
 * per category of all cases: what the two summary tables show. */
struct unit_tally {
	GHashTable *units;		/* who -> struct unit_count */
	GHashTable *cats;		/* category -> cases that count */
	GHashTable *cats_all;		/* category -> all cases */
};

static void
htmlindex_count(GHashTable *h, const char *key, guint n)
{
	gpointer old = NULL;

	if (g_hash_table_lookup_extended(h, key, NULL, &old))
		g_hash_table_insert(h, g_strdup(key), GUINT_TO_POINTER(
		    GPOINTER_TO_UINT(old) + n));
	else
		g_hash_table_insert(h, g_strdup(key), GUINT_TO_POINTER(n));
}

static void
htmlindex_tally_init(struct unit_tally *t)
{
	t->units = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    unit_count_free);
	t->cats = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	t->cats_all = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    NULL);
}

/* n cases of who in category; counts: their status counts for quotas. */
static void
htmlindex_tally_add(struct unit_tally *t, const char *who,
    const char *category, const char *status, guint n)
{
	const char *cat = category ? category : "未分类";
	struct case_record status_only = { .status = (char *)status };
	bool counts = case_record_counts(&status_only);
	bool pending = g_strcmp0(status, case_status_name(CASE_PENDING)) == 0;
	struct unit_count *u;

	htmlindex_count(t->cats_all, cat, n);
	if (!counts && !pending)
		return;
	if (counts)
		htmlindex_count(t->cats, cat, n);
	u = g_hash_table_lookup(t->units, who);
	if (u == NULL) {
		u = g_new0(struct unit_count, 1);
		u->by_category = g_hash_table_new_full(g_str_hash,
		    g_str_equal, g_free, NULL);
		g_hash_table_insert(t->units, g_strdup(who), u);
	}
	if (pending) {
		u->pending += n;
		return;
	}
	u->total += n;
	htmlindex_count(u->by_category, cat, n);
}

static void
htmlindex_tally(struct unit_tally *t, bool has_unit, GPtrArray *cases)
{
	guint i;

	htmlindex_tally_init(t);
	for (i = 0; i < cases->len; i++) {
		const struct case_record *c = cases->pdata[i];

		htmlindex_tally_add(t, has_unit ? case_record_submitter(c) :
		    c->sender ? c->sender : "", c->category, c->status, 1);
	}
}

/* The same from the database's counts: what a campaign of several pages
 * shows without reading every case.json. */
struct tally_ctx {
	struct unit_tally *t;
	struct db *db;
	const char *store_dir;
	bool has_unit;
};

static int
htmlindex_tally_group(const struct db_case_group *g, void *ctx)
{
	struct tally_ctx *tc = ctx;
	const char *who = g->sender ? g->sender : "";
	GPtrArray *one = NULL;

	if (tc->has_unit && g->unit != NULL) {
		who = g->unit;
	} else if (tc->has_unit && g->receipt != NULL) {
		/* No unit: named by its case.json (case_record_submitter). */
		struct db_case_query q = { .receipt = g->receipt };
		g_autofree char *error = NULL;

		if (case_records_load(tc->db, tc->store_dir, &q, NULL, &one,
		    &error) == 0 && one->len == 1)
			who = case_record_submitter(one->pdata[0]);
	}
	htmlindex_tally_add(tc->t, who, g->category, g->status, g->count);
	if (one != NULL)
		g_ptr_array_unref(one);
	return 0;
}

static void
htmlindex_tally_clear(struct unit_tally *t)
{
	g_hash_table_unref(t->units);
	g_hash_table_unref(t->cats);
	g_hash_table_unref(t->cats_all);
}

/* Whether the units table has a 备注 column: there is a roster, open
 * names, or works that wait for staff (sender_check = confirm). */
static bool
htmlindex_has_notes(const struct campaign *campaign, bool has_unit)
{
	return has_unit && (campaign_unit_count(campaign) > 0 ||
	    campaign_unit_open(campaign) || campaign_sender_check(campaign) ==
	    CAMPAIGN_SENDER_CHECK_CONFIRM);
}

/* The 备注 of a unit's row: off the roster (新单位), works waiting for
 * staff (待核实, counted nowhere), and the minimums of the roster it has
 * not met (未达最低). */
static void
htmlindex_unit_notes(GString *out, const struct campaign *campaign,
    const char *who, const struct unit_count *u)
{
	const struct campaign_unit *r = campaign_unit_find(campaign, who);
	size_t q;
	bool first = true;

	g_string_append(out, "<td>");
	if (campaign_unit_is_new(campaign, who)) {
		g_string_append(out, "新单位");
		first = false;
	}
	if (u->pending > 0) {
		g_string_append_printf(out, "%s待核实 %u 件（未计入）",
		    first ? "" : "；", u->pending);
		first = false;
	}
	for (q = 0; r != NULL && q < r->nmins; q++) {
		unsigned n = GPOINTER_TO_UINT(g_hash_table_lookup(
		    u->by_category, r->mins[q].category));

		if (n >= r->mins[q].n)
			continue;
		g_string_append(out, first ? "" : "；");
		html_text(out, r->mins[q].category);
		g_string_append_printf(out, " 至少 %u 件，现 %u 件，未达最低",
		    r->mins[q].n, n);
		first = false;
	}
	g_string_append(out, "</td>");
}

/* One row of the units table: the count against each quota (the unit's
 * own, from the roster, where it has one). */
static void
htmlindex_unit_row(GString *out, const struct campaign *campaign,
    const char *who, const struct unit_count *u, bool has_unit)
{
	unsigned quota = has_unit ? campaign_unit_quota(campaign, who, NULL) :
	    campaign_quota_per_submitter(campaign);
	size_t nqc = campaign_quota_category_count(campaign), q;

	g_string_append(out, "<tr><td>");
	html_text(out, who);
	g_string_append_printf(out, "</td><td class=\"num%s\">%u</td>",
	    quota > 0 && u->total > quota ? " over" : "", u->total);
	if ((has_unit ? campaign_quota_per_unit(campaign) :
	    campaign_quota_per_submitter(campaign)) > 0) {
		if (quota > 0)
			g_string_append_printf(out, "<td class=\"num\">%u/%u"
			    "</td>", u->total, quota);
		else
			g_string_append(out, "<td class=\"num\">不限</td>");
	}
	for (q = 0; q < nqc; q++) {
		const char *cat;
		unsigned lim, n;

		campaign_quota_category(campaign, q, &cat, &lim);
		if (has_unit)
			lim = campaign_unit_quota(campaign, who, cat);
		n = GPOINTER_TO_UINT(g_hash_table_lookup(u->by_category, cat));
		if (lim == 0)
			g_string_append_printf(out, "<td class=\"num\">%u</td>",
			    n);
		else
			g_string_append_printf(out, "<td class=\"num%s\">%u/%u"
			    "</td>", n > lim ? " over" : "", n, lim);
	}
	if (htmlindex_has_notes(campaign, has_unit))
		htmlindex_unit_notes(out, campaign, who, u);
	g_string_append(out, "</tr>\n");
}

/* The units in the order staff know them: the roster's, as the campaign
 * lists it (and as stats prints it), then the others by name. */
static GPtrArray *
htmlindex_unit_order(const struct campaign *campaign, GHashTable *units,
    bool has_unit)
{
	GPtrArray *keys = htmlindex_sorted_keys(units), *order;
	GHashTable *listed = g_hash_table_new(g_str_hash, g_str_equal);
	size_t i, n = has_unit ? campaign_unit_count(campaign) : 0;
	gpointer key;

	order = g_ptr_array_new();
	for (i = 0; i < n; i++) {
		const char *name = campaign_unit_at(campaign, i)->name;

		if (g_hash_table_lookup_extended(units, name, &key, NULL) &&
		    g_hash_table_add(listed, key))
			g_ptr_array_add(order, key);
	}
	for (i = 0; i < keys->len; i++)
		if (!g_hash_table_contains(listed, keys->pdata[i]))
			g_ptr_array_add(order, keys->pdata[i]);
	g_hash_table_unref(listed);
	g_ptr_array_unref(keys);
	return order;
}

static void
htmlindex_units_table(GString *out, const struct campaign *campaign,
    const struct unit_tally *t, bool has_unit)
{
	unsigned quota = has_unit ? campaign_quota_per_unit(campaign) :
	    campaign_quota_per_submitter(campaign);
	size_t nqc = campaign_quota_category_count(campaign), q;
	GPtrArray *keys;
	guint i;

	g_string_append(out, "<section>\n<h2>");
	g_string_append(out, has_unit ? "各单位报送情况" : "各投稿人报送情况");
	g_string_append(out, "</h2>\n<table id=\"units\"><thead><tr><th>");
	g_string_append(out, has_unit ? "单位" : "投稿邮箱");
	g_string_append(out, "</th><th>有效件数</th>");
	if (quota > 0)
		g_string_append(out, "<th>限额</th>");
	for (q = 0; q < nqc; q++) {
		const char *cat;
		unsigned n;

		campaign_quota_category(campaign, q, &cat, &n);
		g_string_append(out, "<th>");
		html_text(out, cat);
		g_string_append_printf(out, "（限 %u）</th>", n);
	}
	if (htmlindex_has_notes(campaign, has_unit))
		g_string_append(out, "<th>备注</th>");
	g_string_append(out, "</tr></thead>\n<tbody>\n");
	keys = htmlindex_unit_order(campaign, t->units, has_unit);
	for (i = 0; i < keys->len; i++)
		htmlindex_unit_row(out, campaign, keys->pdata[i],
		    g_hash_table_lookup(t->units, keys->pdata[i]), has_unit);
	if (keys->len == 0)
		g_string_append(out, "<tr><td colspan=\"2\">暂无</td></tr>\n");
	g_ptr_array_unref(keys);
	g_string_append(out, "</tbody></table>\n</section>\n");
}

static void
htmlindex_categories_table(GString *out, const struct unit_tally *t)
{
	GPtrArray *keys = htmlindex_sorted_keys(t->cats_all);
	guint i;

	g_string_append(out, "<section>\n<h2>各类别件数</h2>\n"
	    "<table id=\"categories\"><thead><tr><th>类别</th><th>有效件数</th>"
	    "<th>全部</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < keys->len; i++) {
		g_string_append(out, "<tr><td>");
		html_text(out, keys->pdata[i]);
		g_string_append_printf(out, "</td><td class=\"num\">%u</td>"
		    "<td class=\"num\">%u</td></tr>\n",
		    GPOINTER_TO_UINT(g_hash_table_lookup(t->cats,
		    keys->pdata[i])),
		    GPOINTER_TO_UINT(g_hash_table_lookup(t->cats_all,
		    keys->pdata[i])));
	}
	g_ptr_array_unref(keys);
	g_string_append(out, "</tbody></table>\n</section>\n");
}

/* The roster units the office chases, in the roster's order: those that
 * sent nothing yet (nothing counted, nothing waiting), and those below a
 * minimum of theirs. */
static void
htmlindex_roster_gaps(GString *out, const struct campaign *campaign,
    const struct unit_tally *t)
{
	size_t i, q, n = campaign_unit_count(campaign);
	GString *none = g_string_new(NULL), *low = g_string_new(NULL);
	unsigned nnone = 0, nlow = 0;

	for (i = 0; i < n; i++) {
		const struct campaign_unit *r = campaign_unit_at(campaign, i);
		const struct unit_count *u = g_hash_table_lookup(t->units,
		    r->name);

		if (u == NULL || (u->total == 0 && u->pending == 0)) {
			g_string_append(none, nnone ? "、" : "");
			html_text(none, r->name);
			nnone++;
		}
		for (q = 0; q < r->nmins; q++) {
			unsigned have = u == NULL ? 0 : GPOINTER_TO_UINT(
			    g_hash_table_lookup(u->by_category,
			    r->mins[q].category));

			if (have >= r->mins[q].n)
				continue;
			g_string_append(low, "<tr><td>");
			html_text(low, r->name);
			g_string_append(low, "</td><td>");
			html_text(low, r->mins[q].category);
			g_string_append_printf(low, "</td><td class=\"num\">%u</td>"
			    "<td class=\"num over\">%u</td></tr>\n",
			    r->mins[q].n, have);
			nlow++;
		}
	}
	g_string_append_printf(out, "<section id=\"roster-gaps\">\n"
	    "<h2>尚未报送的单位（%u 个）</h2>\n<p>%s</p>\n", nnone,
	    nnone > 0 ? none->str : "无");
	if (nlow > 0)
		g_string_append_printf(out, "<h2>未达最低件数的单位</h2>\n"
		    "<table id=\"below-minimum\"><thead><tr><th>单位</th>"
		    "<th>类别</th><th>最低件数</th><th>有效件数</th></tr></thead>\n"
		    "<tbody>\n%s</tbody></table>\n", low->str);
	g_string_append(out, "</section>\n");
	g_string_free(none, TRUE);
	g_string_free(low, TRUE);
}

static void
htmlindex_units(GString *out, const struct campaign *campaign,
    struct unit_tally *t)
{
	bool has_unit = campaign_unit_field(campaign) != NULL;
	size_t i, n = has_unit ? campaign_unit_count(campaign) : 0;

	/* every roster unit, with 0 when it has sent nothing */
	for (i = 0; i < n; i++) {
		const char *name = campaign_unit_at(campaign, i)->name;
		struct unit_count *u;

		if (g_hash_table_contains(t->units, name))
			continue;
		u = g_new0(struct unit_count, 1);
		u->by_category = g_hash_table_new_full(g_str_hash,
		    g_str_equal, g_free, NULL);
		g_hash_table_insert(t->units, g_strdup(name), u);
	}
	g_string_append(out, "<div class=\"summaries\">\n");
	htmlindex_units_table(out, campaign, t, has_unit);
	htmlindex_categories_table(out, t);
	g_string_append(out, "</div>\n");
	if (n > 0)
		htmlindex_roster_gaps(out, campaign, t);
}

/*
 * The cloud attachment links of a case: what each is, its name, provider,
 * size, expiry and the time left (red within CASE_LINK_URGENT_HOURS, or
 * expired), and its URL as text.  Never a clickable link: staff are not
 * to be one click from a page a stranger chose; they copy it.  The time
 * left is written as of the page's writing and kept current by the
 * page's script (data-expires), as the page is rewritten only when its
 * cases change.
 */
static void
htmlindex_links(GString *out, const struct case_record *c)
{
	int64_t now = g_get_real_time() / G_USEC_PER_SEC;
	size_t k;

	if (c->link_count == 0)
		return;
	g_string_append(out, "<ul class=\"att links\">");
	for (k = 0; k < c->link_count; k++) {
		const struct case_link *l = &c->links[k];
		struct case_attachment as = { .role = l->role, .kind = l->kind };
		g_autofree char *label = case_attachment_label(&as);
		g_autoptr(GDateTime) dt = l->expires_at != NULL ?
		    g_date_time_new_from_iso8601(l->expires_at, NULL) : NULL;
		bool urgent = false;
		g_autofree char *left = case_link_countdown(l, now, &urgent);
		g_autofree char *what = case_link_label(l);
		g_string_append(out, "<li><span class=\"kind\">云附件");
		if (label != NULL) {
			g_string_append(out, "·");
			html_text(out, label);
		}
		g_string_append(out, "</span> ");
		html_text(out, l->name != NULL ? l->name : "（无文件名）");
		g_string_append(out, " <span class=\"size\">");
		html_text(out, what);
		g_string_append_printf(out, "·</span><span class=\"%s\"",
		    urgent ? "urgent" : "size");
		/* The page's clock counts down only what is still to
		 * download. */
		if (dt != NULL && !case_link_downloaded(l) &&
		    g_strcmp0(l->fetch_state, "expired") != 0 &&
		    g_strcmp0(l->fetch_state, "infected") != 0)
			g_string_append_printf(out, " data-expires=\"%lld\"",
			    (long long)g_date_time_to_unix(dt));
		g_string_append_c(out, '>');
		html_text(out, left);
		g_string_append(out, "</span><br><span class=\"url\">");
		html_text(out, l->url);
		if (l->pass_code != NULL) {
			g_string_append(out, "</span> <span class=\"kind\">提取码 ");
			html_text(out, l->pass_code);
		}
		g_string_append(out, "</span></li>");
	}
	g_string_append(out, "</ul>");
}

/* Fields of the form the index shows beside the title. */
#define HTMLINDEX_FORM_FIELDS	3

/* "报名表 ✓ 制作单位：金坛区融媒体中心" under the title: whether the form
 * was read and agrees, and what it adds to the name (制作单位 first). */
static void
htmlindex_form(GString *out, const struct case_record *c)
{
	const char *mark = case_record_form_mark(c);
	g_autofree char *text = case_record_form_text(c,
	    HTMLINDEX_FORM_FIELDS);

	if (mark == NULL)
		return;
	g_string_append_printf(out, "<br><span class=\"form%s\">报名表 ",
	    strcmp(mark, "✓") == 0 ? "" : " warn");
	html_text(out, mark);
	g_string_append(out, "</span>");
	if (text != NULL) {
		g_string_append(out, " <span class=\"size\">");
		html_text(out, text);
		g_string_append(out, "</span>");
	}
}

static void
htmlindex_case_row(GString *out, const struct campaign *campaign,
    const struct case_record *c, guint n)
{
	g_autofree char *folder = htmlindex_case_href(campaign, c->dir, NULL);
	g_autofree char *when = case_time_short(c->received_at);
	g_autofree char *size = textcell_human_size(c->total_size);
	g_autofree char *status = htmlindex_escape(c->status);
	size_t k;

	g_string_append_printf(out, "<tr data-status=\"%s\"><td class=\"num\">"
	    "%u</td><td class=\"nowrap\"><a href=\"%s\">", status, n, folder);
	html_text(out, c->receipt);
	g_string_append(out, "</a></td><td class=\"nowrap\" data-v=\"");
	html_text(out, c->received_at);
	g_string_append(out, "\">");
	html_text(out, when);
	g_string_append(out, "</td><td>");
	html_text(out, case_record_submitter(c));
	if (c->unit != NULL && campaign_unit_is_new(campaign, c->unit))
		g_string_append(out, "（新单位）");
	if (c->unit != NULL || c->from_name != NULL) {
		g_string_append(out, "<br><span class=\"size\">");
		html_text(out, c->sender);
		g_string_append(out, "</span>");
	}
	g_string_append(out, "</td><td>");
	html_text(out, c->category);
	g_string_append(out, "</td><td>");
	html_text(out, c->title ? c->title : c->subject);
	htmlindex_form(out, c);
	if (c->json_error != NULL) {
		g_string_append(out, "<br><span class=\"warn\">");
		html_text(out, c->json_error);
		g_string_append(out, "</span>");
	}
	if (c->attachment_count > 0)
		g_string_append(out, "<ul class=\"att\">");
	for (k = 0; k < c->attachment_count; k++) {
		const struct case_attachment *a = &c->attachments[k];
		g_autofree char *href = htmlindex_case_href(campaign, c->dir,
		    a->name);
		g_autofree char *asize = textcell_human_size(a->size);
		g_autofree char *label = case_attachment_label(a);

		g_string_append(out, "<li>");
		if (label != NULL) {
			g_string_append(out, "<span class=\"kind\">");
			html_text(out, label);
			g_string_append(out, "</span> ");
		}
		g_string_append_printf(out, "<a href=\"%s\">", href);
		html_text(out, a->name);
		g_string_append_printf(out, "</a> <span class=\"size\">%s</span>",
		    asize);
		/* A file of a case split into its works: still here, but
		 * another case's now. */
		if (a->moved_to != NULL) {
			g_string_append(out, " <span class=\"warn\">已拆分至 ");
			html_text(out, a->moved_to);
			g_string_append(out, "</span>");
		}
		g_string_append(out, "</li>");
	}
	if (c->attachment_count > 0)
		g_string_append(out, "</ul>");
	htmlindex_links(out, c);
	g_string_append_printf(out, "</td><td><span class=\"st st-%s\">",
	    status);
	html_text(out, case_status_label(c->status));
	g_string_append_printf(out, "</span></td><td class=\"num\">%zu</td>"
	    "<td class=\"num\" data-v=\"%llu\">%s</td></tr>\n",
	    c->attachment_count, (unsigned long long)c->total_size, size);
}

/* A work its mail carried and did not file, in the row after the mail's
 * last case: no number, no folder, no files; the mail's first receipt
 * (同一邮件) and why. */
static void
htmlindex_refused_row(GString *out, const struct case_refused *r)
{
	g_autofree char *when = case_time_short(r->received_at);

	g_string_append(out, "<tr class=\"refused\" data-status=\"refused\">"
	    "<td class=\"num\"></td><td class=\"nowrap\">未登记");
	if (r->first_receipt != NULL) {
		g_string_append(out, "<br><span class=\"size\">同一邮件 ");
		html_text(out, r->first_receipt);
		g_string_append(out, "</span>");
	}
	g_string_append(out, "</td><td class=\"nowrap\" data-v=\"");
	html_text(out, r->received_at);
	g_string_append(out, "\">");
	html_text(out, when);
	g_string_append(out, "</td><td>");
	html_text(out, r->unit ? r->unit : r->sender);
	g_string_append(out, "</td><td>");
	html_text(out, r->category);
	g_string_append(out, "</td><td>");
	html_text(out, r->title ? r->title : r->subject);
	g_string_append(out, "<br><span class=\"warn\">未登记原因：");
	html_text(out, r->reason ? r->reason : r->outcome);
	g_string_append(out, "</span></td><td><span class=\"st st-refused\">"
	    "未登记</span></td><td class=\"num\">-</td>"
	    "<td class=\"num\" data-v=\"0\">-</td></tr>\n");
}

/* The head of every page, a page of cases carrying its fingerprint. */
static void
htmlindex_begin(GString *out, const struct campaign *campaign,
    const char *title_suffix, const char *fingerprint)
{
	g_string_append(out, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n");
	if (fingerprint != NULL)
		g_string_append_printf(out, HTMLINDEX_MARK "%s\">\n",
		    fingerprint);
	g_string_append(out,
	    "<meta http-equiv=\"Content-Security-Policy\" content=\""
	    "default-src 'none'; style-src 'unsafe-inline'; "
	    "script-src 'unsafe-inline'\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<title>");
	html_text(out, campaign_name(campaign));
	g_string_append_printf(out, " · %s</title>\n<style>\n", title_suffix);
	g_string_append(out, htmlindex_style);
	g_string_append(out, "</style>\n</head>\n<body>\n<h1>");
	html_text(out, campaign_name(campaign));
	g_string_append(out, "</h1>\n");
}

/* "活动编号 … · 截止 … · 共 N 件 · 更新于 …" (page > 0: "第k页 N 件"). */
static void
htmlindex_meta(GString *out, const struct campaign *campaign, guint total,
    guint page)
{
	g_autoptr(GDateTime) now = g_date_time_new_now(
	    campaign_timezone(campaign));
	g_autofree char *now_text = g_date_time_format(now, "%Y-%m-%d %H:%M");

	g_string_append(out, "<p class=\"meta\">活动编号 ");
	html_text(out, campaign_id(campaign));
	if (campaign_closes(campaign) != NULL) {
		g_autofree char *closes = g_date_time_format(
		    campaign_closes(campaign), "%Y-%m-%d %H:%M");

		g_string_append_printf(out, " · 截止 %s", closes);
	}
	if (page > 0)
		g_string_append_printf(out, " · 第%u页 <span id=\"total\">%u"
		    "</span> 件", page, total);
	else
		g_string_append_printf(out, " · 共 <span id=\"total\">%u"
		    "</span> 件", total);
	g_string_append_printf(out, " · 更新于 %s</p>\n", now_text);
}

/* The filter, the table of cases numbered from first_n (the works their
 * mails did not file beside them: refused), and its script. */
static void
htmlindex_cases_table(GString *out, const struct campaign *campaign,
    GPtrArray *cases, GPtrArray *refused, guint first_n)
{
	GHashTable *statuses = g_hash_table_new(g_str_hash, g_str_equal);
	GPtrArray *keys;
	guint i, k = 0;

	for (i = 0; i < cases->len; i++) {
		const struct case_record *c = cases->pdata[i];

		g_hash_table_add(statuses, c->status ? c->status : (char *)"");
	}
	g_string_append(out, "<h2>投稿案卷</h2>\n<div class=\"tools\">"
	    "<input id=\"filter\" type=\"search\" placeholder=\"筛选：作品名称、"
	    "单位、回执编号、文件名……\" aria-label=\"筛选\"> "
	    "<select id=\"status\" aria-label=\"状态\">"
	    "<option value=\"\">全部状态</option>");
	keys = htmlindex_sorted_keys(statuses);
	for (i = 0; i < keys->len; i++) {
		g_autofree char *v = htmlindex_escape(keys->pdata[i]);

		g_string_append_printf(out, "<option value=\"%s\">", v);
		html_text(out, case_status_label(keys->pdata[i]));
		g_string_append(out, "</option>");
	}
	if (refused->len > 0)
		g_string_append(out, "<option value=\"refused\">未登记</option>");
	g_ptr_array_unref(keys);
	g_hash_table_unref(statuses);
	g_string_append(out, "</select><span id=\"shown\"></span></div>\n"
	    "<table id=\"cases\"><thead><tr>"
	    "<th data-type=\"num\">序号</th><th>回执编号</th><th>收到时间</th>"
	    "<th>单位/投稿人</th><th>类别</th><th>作品名称与附件</th>"
	    "<th>状态</th><th data-type=\"num\">附件数</th>"
	    "<th data-type=\"num\">大小</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < cases->len; i++) {
		htmlindex_case_row(out, campaign, cases->pdata[i],
		    first_n + i);
		/* after the mail's last case */
		for (; k < refused->len && (i + 1 == cases->len ||
		    case_refused_before(refused->pdata[k],
		    cases->pdata[i + 1])); k++)
			htmlindex_refused_row(out, refused->pdata[k]);
	}
	g_string_append(out, "</tbody></table>\n<script>\n");
	g_string_append(out, htmlindex_script);
	g_string_append(out, "</script>\n");
}

/* The open questions, newest first, HTMLINDEX_QUESTIONS at most. */
struct htmlindex_qs {
	GPtrArray *rows;	/* one <tr> each, oldest first */
};

static int
htmlindex_question_row(const struct db_question *q, void *ctx)
{
	struct htmlindex_qs *qs = ctx;
	GString *row = g_string_new("<tr><td class=\"num\">");

	g_string_append_printf(row, "%lld</td><td>", (long long)q->id);
	html_text(row, q->received_at ? q->received_at : q->created_at);
	g_string_append(row, "</td><td>");
	html_text(row, q->sender);
	g_string_append(row, "</td><td>");
	html_text(row, q->answers ? q->answers : "");
	g_string_append(row, "</td><td>");
	html_text(row, q->subject ? q->subject : "");
	g_string_append(row, "</td><td class=\"question\">");
	html_text(row, q->body ? q->body : "");
	g_string_append(row, "</td><td>");
	html_text(row, q->forwarded_to ? q->forwarded_to : "未转发（仅在此处）");
	g_string_append(row, "</td></tr>\n");
	g_ptr_array_add(qs->rows, g_string_free(row, FALSE));
	return 0;
}

char *
htmlindex_questions(struct db *db, const struct campaign *campaign,
    char **error_r)
{
	struct htmlindex_qs qs = { g_ptr_array_new_with_free_func(g_free) };
	GString *out;
	guint i, shown;

	if (db_question_list(db, campaign_id(campaign), true,
	    htmlindex_question_row, &qs, error_r) < 0) {
		g_ptr_array_unref(qs.rows);
		return NULL;
	}
	out = g_string_new(NULL);
	if (qs.rows->len == 0) {
		g_ptr_array_unref(qs.rows);
		return g_string_free(out, FALSE);
	}
	g_string_append_printf(out, "<h2 id=\"questions\">待答复的咨询（%u）"
	    "</h2>\n<p class=\"meta\">提问人回复了回执或更正通知，但没有附带投稿"
	    "材料。答复后请用 subgate questions done 编号 标记。</p>\n"
	    "<table id=\"question-list\"><thead><tr><th>编号</th><th>收到时间"
	    "</th><th>提问人</th><th>所答复</th><th>主题</th><th>内容</th>"
	    "<th>转交</th></tr></thead>\n<tbody>\n", qs.rows->len);
	shown = MIN(qs.rows->len, HTMLINDEX_QUESTIONS);
	for (i = qs.rows->len; i-- > qs.rows->len - shown;)
		g_string_append(out, qs.rows->pdata[i]);
	g_string_append(out, "</tbody></table>\n");
	if (shown < qs.rows->len)
		g_string_append_printf(out, "<p class=\"meta\">另有 %u 条较早的"
		    "咨询，见 subgate questions list --open。</p>\n",
		    qs.rows->len - shown);
	g_ptr_array_unref(qs.rows);
	return g_string_free(out, FALSE);
}

/* One mail that made no case: when, from whom, about what, what was
 * decided, what the sender was told (or why nothing), and the mail. */
static void
htmlindex_mail_row(GString *out, const struct campaign *campaign,
    const struct mail_record *m)
{
	g_autofree char *when = case_time_short(m->received_at);
	g_autofree char *label = reasoncode_label(m->reason_code);
	guint i;

	g_string_append(out, "<tr><td class=\"nowrap\">");
	html_text(out, m->query_code);
	g_string_append(out, "</td><td class=\"nowrap\" data-v=\"");
	html_text(out, m->received_at);
	g_string_append(out, "\">");
	html_text(out, when);
	g_string_append(out, "</td><td>");
	html_text(out, m->sender ? m->sender : "");
	g_string_append(out, "</td><td>");
	html_text(out, m->subject ? m->subject : "（无主题）");
	g_string_append_printf(out, "</td><td><span class=\"st st-refused\">");
	html_text(out, mail_outcome_label(m->outcome));
	g_string_append(out, "</span><br><span class=\"kind\">");
	html_text(out, label);
	g_string_append(out, "</span></td><td>");
	if (m->replies->len == 0) {
		g_string_append(out, "<span class=\"warn\">未答复：");
		html_text(out, m->unanswered);
		g_string_append(out, "</span>");
	}
	for (i = 0; i < m->replies->len; i++) {
		const struct mail_reply *r = m->replies->pdata[i];
		g_auto(GStrv) lines = g_strsplit(r->gist ? r->gist : "", "\n",
		    -1);
		size_t k;

		g_string_append(out, i > 0 ? "<br><span class=\"kind\">" :
		    "<span class=\"kind\">");
		html_text(out, mail_reply_kind_label(r->kind));
		g_string_append(out, "（");
		html_text(out, mail_reply_state_label(r->state));
		g_string_append(out, "）</span> ");
		html_text(out, r->subject ? r->subject : "");
		for (k = 0; lines[k] != NULL; k++) {
			g_string_append(out, "<br>");
			html_text(out, lines[k]);
		}
	}
	g_string_append(out, "</td><td>");
	if (m->kept != NULL) {
		const char *id = campaign_id(campaign);
		size_t n = strlen(id);
		g_autofree char *href = htmlindex_path_encode(
		    strncmp(m->kept, id, n) == 0 && m->kept[n] == '/' ?
		    m->kept + n + 1 : m->kept);

		g_string_append_printf(out, "<a href=\"%s\">原始邮件</a>", href);
	} else {
		html_text(out, m->kept_where);
	}
	g_string_append(out, "</td></tr>\n");
}

char *
htmlindex_mails(struct db *db, const char *store_dir,
    const struct campaign *campaign, char **error_r)
{
	struct db_mail_query q = {
		.campaign = campaign_id(campaign), .uncased_only = true,
	};
	GPtrArray *mail = NULL;
	GString *out;
	unsigned total = 0;
	guint i;

	if (mail_records_load(db, store_dir, &q, HTMLINDEX_MAILS, &mail,
	    &total, error_r) < 0)
		return NULL;
	out = g_string_new(NULL);
	if (mail->len == 0) {
		g_ptr_array_unref(mail);
		return g_string_free(out, FALSE);
	}
	g_string_append_printf(out, "<h2 id=\"mails\">未登记的邮件（%u）</h2>\n"
	    "<p class=\"meta\">这些邮件没有生成案卷：逾期、需更正、超出名额、"
	    "不接受更改、无法解析、咨询或自动邮件。查询码即回复邮件主题中的"
	    "“查询码”；subgate cases show 查询码 显示详情。</p>\n"
	    "<table id=\"mail-list\"><thead><tr><th>查询码</th><th>收到时间</th>"
	    "<th>发件人</th><th>邮件主题</th><th>处理结果</th>"
	    "<th>告知发件人</th><th>原始邮件</th></tr></thead>\n<tbody>\n",
	    total);
	/* the newest first: what staff are asked about */
	for (i = mail->len; i-- > 0;)
		htmlindex_mail_row(out, campaign, mail->pdata[i]);
	g_string_append(out, "</tbody></table>\n");
	if (mail->len < total)
		g_string_append_printf(out, "<p class=\"meta\">另有 %u 封较早的"
		    "邮件，见 subgate cases list --all。</p>\n",
		    total - mail->len);
	g_ptr_array_unref(mail);
	return g_string_free(out, FALSE);
}

char *
htmlindex_render(const struct campaign *campaign, GPtrArray *cases,
    GPtrArray *refused, const char *questions, const char *mails)
{
	GString *out = g_string_new(NULL);
	struct unit_tally t;

	htmlindex_begin(out, campaign, "投稿案卷", NULL);
	htmlindex_meta(out, campaign, cases->len, 0);
	if (questions != NULL)
		g_string_append(out, questions);
	htmlindex_tally(&t, campaign_unit_field(campaign) != NULL, cases);
	htmlindex_units(out, campaign, &t);
	htmlindex_tally_clear(&t);
	htmlindex_cases_table(out, campaign, cases, refused, 1);
	if (mails != NULL)
		g_string_append(out, mails);
	g_string_append(out, "</body>\n</html>\n");
	return g_string_free(out, FALSE);
}

/* ---- a campaign of more than one page ---- */

/* One page of cases: receipt numbers [(number - 1) * PAGE + 1, number *
 * PAGE], so that a page, once full, never gets another case. */
struct htmlindex_page {
	guint number;		/* from 1 */
	guint first_n;		/* the 序号 of its first case */
	guint count;
	char *first_receipt, *last_receipt;
	guint64 fingerprint;
};

static void
htmlindex_page_clear(gpointer p)
{
	struct htmlindex_page *page = p;

	g_free(page->first_receipt);
	g_free(page->last_receipt);
}

static char *
htmlindex_page_name(guint number)
{
	return g_strdup_printf("index-%04u.html", number);
}

/* FNV-1a, to fold what else a page shows into its rows' hash. */
static guint64
htmlindex_hash(guint64 h, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "\x01");

	for (; *p != '\0'; p++)
		h = (h ^ *p) * 0x100000001b3ULL;
	return (h ^ 0x1f) * 0x100000001b3ULL;
}

struct pages_ctx {
	GArray *pages;
	guint64 seed;
	guint n;
};

static int
htmlindex_page_add(const struct db_case_page *dp, void *ctx)
{
	struct pages_ctx *pc = ctx;
	struct htmlindex_page p = {
		.number = dp->number, .first_n = pc->n + 1, .count = dp->count,
		.first_receipt = g_strdup(dp->first_receipt),
		.last_receipt = g_strdup(dp->last_receipt),
	};
	char n[16];

	g_snprintf(n, sizeof(n), "%u", p.first_n);
	p.fingerprint = htmlindex_hash(pc->seed ^ dp->hash, n);
	pc->n += dp->count;
	g_array_append_val(pc->pages, p);
	return 0;
}

/* The pages of the campaign's cases, in order, each with the fingerprint
 * of what it shows: its rows (the database's hash of them), where its
 * numbering starts, the campaign's name and deadline, the markup's
 * version, and whether a page follows (its "下一页"). */
static int
htmlindex_pages(struct db *db, const struct campaign *campaign,
    GArray **pages_r, char **error_r)
{
	g_autofree char *closes = campaign_closes(campaign) == NULL ? NULL :
	    g_date_time_format(campaign_closes(campaign), "%F %T");
	struct pages_ctx pc = {
		.pages = g_array_new(FALSE, TRUE,
		    sizeof(struct htmlindex_page)),
	};
	guint i;

	g_array_set_clear_func(pc.pages, htmlindex_page_clear);
	pc.seed = htmlindex_hash(htmlindex_hash(htmlindex_hash(
	    0xcbf29ce484222325ULL, HTMLINDEX_LAYOUT), campaign_name(campaign)),
	    closes);
	if (db_case_pages(db, campaign_id(campaign), HTMLINDEX_PAGE_CASES,
	    htmlindex_page_add, &pc, error_r) < 0) {
		g_array_unref(pc.pages);
		return -1;
	}
	for (i = 0; i + 1 < pc.pages->len; i++)
		g_array_index(pc.pages, struct htmlindex_page, i).fingerprint =
		    htmlindex_hash(g_array_index(pc.pages,
		    struct htmlindex_page, i).fingerprint, "next");
	*pages_r = pc.pages;
	return 0;
}

/* The fingerprint a page file was written with, or 0. */
static guint64
htmlindex_page_written(const char *dir, guint number)
{
	g_autofree char *name = htmlindex_page_name(number);
	g_autofree char *path = g_build_filename(dir, name, NULL);
	static const char end[] = "</html>\n";
	char buf[1024], tail[sizeof(end) - 1];
	const char *mark;
	struct stat st;
	ssize_t n;
	int fd = fd_open_regular(path);

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	/* A page cut short (a disk that filled, a copy interrupted) keeps
	 * its head: only a whole one counts as written. */
	if (fstat(fd, &st) < 0 || st.st_size < (off_t)sizeof(tail) ||
	    pread(fd, tail, sizeof(tail), st.st_size - (off_t)sizeof(tail)) !=
	    (ssize_t)sizeof(tail) || memcmp(tail, end, sizeof(tail)) != 0)
		n = 0;
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	if ((mark = strstr(buf, HTMLINDEX_MARK)) == NULL)
		return 0;
	return g_ascii_strtoull(mark + strlen(HTMLINDEX_MARK), NULL, 16);
}

/* Links to the overview and to the pages before and after: what a page
 * shows of the others changes only when a page after it appears. */
static void
htmlindex_page_links(GString *out, const GArray *pages,
    const struct htmlindex_page *p)
{
	guint i = (guint)(p - &g_array_index(pages, struct htmlindex_page, 0));

	g_string_append(out, "<nav class=\"meta\"><a href=\"index.html\">总览"
	    "</a>");
	if (i > 0) {
		g_autofree char *name = htmlindex_page_name(g_array_index(
		    pages, struct htmlindex_page, i - 1).number);

		g_string_append_printf(out, " · <a href=\"%s\">上一页</a>",
		    name);
	}
	if (i + 1 < pages->len) {
		g_autofree char *name = htmlindex_page_name(g_array_index(
		    pages, struct htmlindex_page, i + 1).number);

		g_string_append_printf(out, " · <a href=\"%s\">下一页</a>",
		    name);
	}
	g_string_append(out, "</nav>\n");
}

/* The overview of a campaign of several pages: the counts, and what
 * each page holds, the newest first. */
static char *
htmlindex_render_overview(const struct campaign *campaign,
    struct unit_tally *t, const GArray *pages, const char *questions,
    const char *mails)
{
	GString *out = g_string_new(NULL);
	guint i, total = 0;

	for (i = 0; i < pages->len; i++)
		total += g_array_index(pages, struct htmlindex_page, i).count;
	htmlindex_begin(out, campaign, "投稿案卷", NULL);
	htmlindex_meta(out, campaign, total, 0);
	if (questions != NULL)
		g_string_append(out, questions);
	g_string_append_printf(out, "<h2>投稿案卷（每页 %u 件，最新的在前）"
	    "</h2>\n<table id=\"pages\"><thead><tr><th>页</th><th>回执编号"
	    "</th><th data-type=\"num\">件数</th></tr></thead>\n<tbody>\n",
	    HTMLINDEX_PAGE_CASES);
	for (i = pages->len; i-- > 0;) {
		const struct htmlindex_page *p = &g_array_index(pages,
		    struct htmlindex_page, i);
		g_autofree char *name = htmlindex_page_name(p->number);

		g_string_append_printf(out, "<tr><td><a href=\"%s\">第%u页"
		    "</a></td><td>", name, p->number);
		html_text(out, p->first_receipt);
		g_string_append(out, " 至 ");
		html_text(out, p->last_receipt);
		g_string_append_printf(out, "</td><td class=\"num\">%u</td>"
		    "</tr>\n", p->count);
	}
	g_string_append(out, "</tbody></table>\n<p class=\"meta\">筛选只在一页"
	    "之内；在全部案卷中查找请用 subgate cases list 或导出的汇总表。</p>\n");
	htmlindex_units(out, campaign, t);
	g_string_append(out, mails);
	g_string_append(out, "</body>\n</html>\n");
	return g_string_free(out, FALSE);
}

static char *
htmlindex_render_page(const struct campaign *campaign, GPtrArray *cases,
    GPtrArray *refused, const GArray *pages, const struct htmlindex_page *p)
{
	GString *out = g_string_new(NULL);
	g_autofree char *suffix = g_strdup_printf("投稿案卷 第%u页", p->number);
	g_autofree char *fp = g_strdup_printf("%016" G_GINT64_MODIFIER "x",
	    p->fingerprint);

	htmlindex_begin(out, campaign, suffix, fp);
	htmlindex_meta(out, campaign, cases->len, p->number);
	htmlindex_page_links(out, pages, p);
	htmlindex_cases_table(out, campaign, cases, refused, p->first_n);
	g_string_append(out, "</body>\n</html>\n");
	return g_string_free(out, FALSE);
}

/* Writes a page when its fingerprint is not the one it was written with
 * (or always, with force): a new case touches the last page only. */
static int
htmlindex_write_page(const char *store_dir, const char *dir, struct db *db,
    const struct campaign *campaign, const GArray *pages,
    const struct htmlindex_page *p, bool force, char **error_r)
{
	struct db_case_query q = {
		.campaign = campaign_id(campaign),
		.seq_from = (int64_t)(p->number - 1) * HTMLINDEX_PAGE_CASES + 1,
		.seq_to = (int64_t)p->number * HTMLINDEX_PAGE_CASES,
	};
	g_autofree char *name = htmlindex_page_name(p->number);
	g_autofree char *path = g_build_filename(dir, name, NULL);
	g_autofree char *html = NULL;
	GPtrArray *cases = NULL, *refused = NULL;

	if (!force && htmlindex_page_written(dir, p->number) == p->fingerprint)
		return 0;
	if (case_records_load(db, store_dir, &q, NULL, &cases, error_r) < 0)
		return -1;
	if (case_refused_load(db, &q, true, &refused, error_r) < 0) {
		g_ptr_array_unref(cases);
		return -1;
	}
	html = htmlindex_render_page(campaign, cases, refused, pages, p);
	g_ptr_array_unref(cases);
	g_ptr_array_unref(refused);
	return store_write_file_atomic(path, html, strlen(html), error_r);
}

/* A campaign of one page: every case.json read, as its one page lists
 * them all. */
static char *
htmlindex_render_all(const char *store_dir, struct db *db,
    const struct campaign *campaign, char **error_r)
{
	struct db_case_query q = { .campaign = campaign_id(campaign) };
	GPtrArray *cases = NULL, *refused = NULL;
	g_autofree char *questions = NULL, *mails = NULL;
	char *html;

	if ((questions = htmlindex_questions(db, campaign, error_r)) == NULL ||
	    (mails = htmlindex_mails(db, store_dir, campaign,
	    error_r)) == NULL)
		return NULL;
	if (case_records_load(db, store_dir, &q, NULL, &cases, error_r) < 0)
		return NULL;
	if (case_refused_load(db, &q, true, &refused, error_r) < 0) {
		g_ptr_array_unref(cases);
		return NULL;
	}
	html = htmlindex_render(campaign, cases, refused, questions, mails);
	g_ptr_array_unref(cases);
	g_ptr_array_unref(refused);
	return html;
}

/* A campaign of several: the pages that changed, then the overview from
 * the database's counts. */
static char *
htmlindex_render_paged(const char *store_dir, const char *dir,
    struct db *db, const struct campaign *campaign, const GArray *pages,
    bool force, char **error_r)
{
	struct unit_tally t;
	struct tally_ctx tc = {
		.t = &t, .db = db, .store_dir = store_dir,
		.has_unit = campaign_unit_field(campaign) != NULL,
	};
	g_autofree char *questions = NULL, *mails = NULL;
	char *html = NULL;
	guint i;

	if ((questions = htmlindex_questions(db, campaign, error_r)) == NULL ||
	    (mails = htmlindex_mails(db, store_dir, campaign,
	    error_r)) == NULL)
		return NULL;
	for (i = 0; i < pages->len; i++)
		if (htmlindex_write_page(store_dir, dir, db, campaign, pages,
		    &g_array_index(pages, struct htmlindex_page, i), force,
		    error_r) < 0)
			return NULL;
	htmlindex_tally_init(&t);
	if (db_case_groups(db, campaign_id(campaign), tc.has_unit,
	    htmlindex_tally_group, &tc, error_r) == 0)
		html = htmlindex_render_overview(campaign, &t, pages,
		    questions, mails);
	htmlindex_tally_clear(&t);
	return html;
}

static int
htmlindex_update(const char *store_dir, struct db *db,
    const struct campaign *campaign, bool force, char **error_r)
{
	g_autofree char *dir = g_build_filename(store_dir,
	    campaign_id(campaign), NULL);
	g_autofree char *path = g_build_filename(dir, "index.html", NULL);
	g_autofree char *html = NULL;
	GArray *pages = NULL;

	if (g_mkdir_with_parents(dir, 0750) < 0) {
		*error_r = g_strdup_printf("%s: %s", dir, g_strerror(errno));
		return -1;
	}
	if (htmlindex_pages(db, campaign, &pages, error_r) < 0)
		return -1;
	if (pages->len <= 1)
		html = htmlindex_render_all(store_dir, db, campaign, error_r);
	else
		html = htmlindex_render_paged(store_dir, dir, db, campaign,
		    pages, force, error_r);
	g_array_unref(pages);
	if (html == NULL)
		return -1;
	return store_write_file_atomic(path, html, strlen(html), error_r);
}

int
htmlindex_write(const char *store_dir, struct db *db,
    const struct campaign *campaign, bool all, char **error_r)
{
	return htmlindex_update(store_dir, db, campaign, all, error_r);
}

void
htmlindex_refresh(const char *store_dir, struct db *db,
    const struct campaign *campaign)
{
	g_autofree char *error = NULL;

	if (htmlindex_update(store_dir, db, campaign, false, &error) < 0)
		log_warnx("campaign %s: index.html: %s", campaign_id(campaign),
		    error);
}
