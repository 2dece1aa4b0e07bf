/* htmlindex: see include/htmlindex.h. */
#include <errno.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "campaign.h"
#include "case_record.h"
#include "db.h"
#include "htmlindex.h"
#include "log.h"
#include "store.h"
#include "textcell.h"

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
".st{display:inline-block;padding:0 .5em;border-radius:3px;white-space:nowrap}\n"
".st-accepted{background:#e3f4e1;color:#1d6b1a}\n"
".st-rejected{background:#fbe3e3;color:#a11}\n"
".st-superseded{background:#eee;color:#666}\n"
".st-missing{background:#fff0d6;color:#a60;font-weight:bold}\n"
".over{color:#a11;font-weight:bold}\n"
".tools{margin:.5em 0}\n"
"#filter{font-size:1em;padding:.3em .5em;width:28em;max-width:90%}\n"
"#shown{color:#555;margin-left:1em}\n"
".warn{color:#a60}\n"
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
"})();\n";

struct unit_count {
	unsigned total;		/* counting cases */
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
htmlindex_count(GHashTable *h, const char *key)
{
	g_hash_table_insert(h, (gpointer)key, GUINT_TO_POINTER(
	    GPOINTER_TO_UINT(g_hash_table_lookup(h, key)) + 1));
}

static void
htmlindex_tally(struct unit_tally *t, bool has_unit, GPtrArray *cases)
{
	guint i;

	t->units = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
	    unit_count_free);
	t->cats = g_hash_table_new(g_str_hash, g_str_equal);
	t->cats_all = g_hash_table_new(g_str_hash, g_str_equal);
	for (i = 0; i < cases->len; i++) {
		const struct case_record *c = cases->pdata[i];
		const char *cat = c->category ? c->category : "未分类";
		const char *who = has_unit ? case_record_submitter(c) :
		    c->sender ? c->sender : "";
		struct unit_count *u;

		htmlindex_count(t->cats_all, cat);
		if (!case_record_counts(c))
			continue;
		htmlindex_count(t->cats, cat);
		u = g_hash_table_lookup(t->units, who);
		if (u == NULL) {
			u = g_new0(struct unit_count, 1);
			u->by_category = g_hash_table_new(g_str_hash,
			    g_str_equal);
			g_hash_table_insert(t->units, (gpointer)who, u);
		}
		u->total++;
		htmlindex_count(u->by_category, cat);
	}
}

static void
htmlindex_tally_clear(struct unit_tally *t)
{
	g_hash_table_unref(t->units);
	g_hash_table_unref(t->cats);
	g_hash_table_unref(t->cats_all);
}

/* One row of the units table: the count against each quota. */
static void
htmlindex_unit_row(GString *out, const struct campaign *campaign,
    const char *who, const struct unit_count *u, unsigned quota)
{
	size_t nqc = campaign_quota_category_count(campaign), q;

	g_string_append(out, "<tr><td>");
	html_text(out, who);
	g_string_append_printf(out, "</td><td class=\"num%s\">%u</td>",
	    quota > 0 && u->total > quota ? " over" : "", u->total);
	if (quota > 0)
		g_string_append_printf(out, "<td class=\"num\">%u/%u</td>",
		    u->total, quota);
	for (q = 0; q < nqc; q++) {
		const char *cat;
		unsigned lim, n;

		campaign_quota_category(campaign, q, &cat, &lim);
		n = GPOINTER_TO_UINT(g_hash_table_lookup(u->by_category, cat));
		g_string_append_printf(out, "<td class=\"num%s\">%u/%u</td>",
		    n > lim ? " over" : "", n, lim);
	}
	g_string_append(out, "</tr>\n");
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
	g_string_append(out, "</tr></thead>\n<tbody>\n");
	keys = htmlindex_sorted_keys(t->units);
	for (i = 0; i < keys->len; i++)
		htmlindex_unit_row(out, campaign, keys->pdata[i],
		    g_hash_table_lookup(t->units, keys->pdata[i]), quota);
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

static void
htmlindex_units(GString *out, const struct campaign *campaign,
    GPtrArray *cases)
{
	bool has_unit = campaign_unit_field(campaign) != NULL;
	struct unit_tally t;

	htmlindex_tally(&t, has_unit, cases);
	g_string_append(out, "<div class=\"summaries\">\n");
	htmlindex_units_table(out, campaign, &t, has_unit);
	htmlindex_categories_table(out, &t);
	g_string_append(out, "</div>\n");
	htmlindex_tally_clear(&t);
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
	if (c->unit != NULL || c->from_name != NULL) {
		g_string_append(out, "<br><span class=\"size\">");
		html_text(out, c->sender);
		g_string_append(out, "</span>");
	}
	g_string_append(out, "</td><td>");
	html_text(out, c->category);
	g_string_append(out, "</td><td>");
	html_text(out, c->title ? c->title : c->subject);
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

		g_string_append_printf(out, "<li><a href=\"%s\">", href);
		html_text(out, a->name);
		g_string_append_printf(out, "</a> <span class=\"size\">%s</span>"
		    "</li>", asize);
	}
	if (c->attachment_count > 0)
		g_string_append(out, "</ul>");
	g_string_append_printf(out, "</td><td><span class=\"st st-%s\">",
	    status);
	html_text(out, case_status_label(c->status));
	g_string_append_printf(out, "</span></td><td class=\"num\">%zu</td>"
	    "<td class=\"num\" data-v=\"%llu\">%s</td></tr>\n",
	    c->attachment_count, (unsigned long long)c->total_size, size);
}

char *
htmlindex_render(const struct campaign *campaign, GPtrArray *cases)
{
	GString *out = g_string_new(NULL);
	g_autoptr(GDateTime) now = g_date_time_new_now(
	    campaign_timezone(campaign));
	g_autofree char *now_text = g_date_time_format(now, "%Y-%m-%d %H:%M");
	GHashTable *statuses = g_hash_table_new(g_str_hash, g_str_equal);
	GPtrArray *keys;
	guint i;

	g_string_append(out, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\""
	    "default-src 'none'; style-src 'unsafe-inline'; "
	    "script-src 'unsafe-inline'\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<title>");
	html_text(out, campaign_name(campaign));
	g_string_append(out, " · 投稿案卷</title>\n<style>\n");
	g_string_append(out, htmlindex_style);
	g_string_append(out, "</style>\n</head>\n<body>\n<h1>");
	html_text(out, campaign_name(campaign));
	g_string_append(out, "</h1>\n<p class=\"meta\">活动编号 ");
	html_text(out, campaign_id(campaign));
	if (campaign_closes(campaign) != NULL) {
		g_autofree char *closes = g_date_time_format(
		    campaign_closes(campaign), "%Y-%m-%d %H:%M");

		g_string_append_printf(out, " · 截止 %s", closes);
	}
	g_string_append_printf(out, " · 共 <span id=\"total\">%u</span> 件"
	    " · 更新于 %s</p>\n", cases->len, now_text);

	htmlindex_units(out, campaign, cases);

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
	g_ptr_array_unref(keys);
	g_hash_table_unref(statuses);
	g_string_append(out, "</select><span id=\"shown\"></span></div>\n"
	    "<table id=\"cases\"><thead><tr>"
	    "<th data-type=\"num\">序号</th><th>回执编号</th><th>收到时间</th>"
	    "<th>单位/投稿人</th><th>类别</th><th>作品名称与附件</th>"
	    "<th>状态</th><th data-type=\"num\">附件数</th>"
	    "<th data-type=\"num\">大小</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < cases->len; i++)
		htmlindex_case_row(out, campaign, cases->pdata[i], i + 1);
	g_string_append(out, "</tbody></table>\n<script>\n");
	g_string_append(out, htmlindex_script);
	g_string_append(out, "</script>\n</body>\n</html>\n");
	return g_string_free(out, FALSE);
}

int
htmlindex_write(const char *store_dir, struct db *db,
    const struct campaign *campaign, char **error_r)
{
	struct db_case_query q = { .campaign = campaign_id(campaign) };
	g_autofree char *dir = g_build_filename(store_dir,
	    campaign_id(campaign), NULL);
	g_autofree char *path = g_build_filename(dir, "index.html", NULL);
	g_autofree char *html = NULL;
	GPtrArray *cases = NULL;
	int ret;

	if (case_records_load(db, store_dir, &q, NULL, &cases, error_r) < 0)
		return -1;
	html = htmlindex_render(campaign, cases);
	g_ptr_array_unref(cases);
	if (g_mkdir_with_parents(dir, 0750) < 0) {
		*error_r = g_strdup_printf("%s: %s", dir, g_strerror(errno));
		return -1;
	}
	ret = store_write_file_atomic(path, html, strlen(html), error_r);
	return ret;
}

void
htmlindex_refresh(const char *store_dir, struct db *db,
    const struct campaign *campaign)
{
	g_autofree char *error = NULL;

	if (htmlindex_write(store_dir, db, campaign, &error) < 0)
		log_warnx("campaign %s: index.html: %s", campaign_id(campaign),
		    error);
}
