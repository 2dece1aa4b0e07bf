/*
 * cloudlink: the cloud attachments a mail's body carries, from a table
 * (tests/tables/cloudlink.tsv) of bodies shaped as QQ Mail, NetEase, Sina
 * and Baidu Netdisk write them: what each link is, its name, size,
 * expiry (Beijing time) and 提取码, and whether it is quoted from an
 * earlier mail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "cloudlink.h"
#include "htmltext.h"
#include "test.h"

#define TABLE	"tests/tables/cloudlink.tsv"

/* A cell as written: "-" none, \n \t \\ escapes, and "*N*TEMPLATE" for
 * TEMPLATE N times with {n} its number. */
static char *
cell_text(const char *cell)
{
	GString *s = g_string_new(NULL);
	const char *p;
	unsigned times = 1, k;

	if (strcmp(cell, "-") == 0) {
		g_string_free(s, TRUE);
		return NULL;
	}
	if (cell[0] == '*' && (p = strchr(cell + 1, '*')) != NULL) {
		times = (unsigned)atoi(cell + 1);
		cell = p + 1;
	}
	for (k = 1; k <= times; k++) {
		for (p = cell; *p != '\0'; p++) {
			if (p[0] == '\\' && p[1] == 'n') {
				g_string_append_c(s, '\n');
				p++;
			} else if (p[0] == '\\' && p[1] == 't') {
				g_string_append_c(s, '\t');
				p++;
			} else if (p[0] == '\\' && p[1] == '\\') {
				g_string_append_c(s, '\\');
				p++;
			} else if (strncmp(p, "{n}", 3) == 0) {
				g_string_append_printf(s, "%u", k);
				p += 2;
			} else {
				g_string_append_c(s, *p);
			}
		}
	}
	return g_string_free(s, FALSE);
}

/* provider|url|name|size|expiry|code|q, links joined by " ;; ". */
static char *
describe(const struct cloudlink_set *set, GTimeZone *zone)
{
	GString *s = g_string_new(NULL);
	size_t i;

	for (i = 0; i < cloudlink_count(set); i++) {
		const struct cloudlink *l = cloudlink_get(set, i);
		g_autofree char *exp = NULL;

		if (l->expires_at != 0) {
			g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(
			    l->expires_at);
			g_autoptr(GDateTime) local = g_date_time_to_timezone(dt,
			    zone);

			exp = g_date_time_format(local, "%Y-%m-%d %H:%M");
		} else {
			exp = g_strdup(l->expires_text ? l->expires_text : "-");
		}
		g_string_append_printf(s, "%s%s|%s|%s|%llu|%s|%s|%s",
		    i ? " ;; " : "", cloudlink_provider_name(l->provider),
		    l->url, l->name ? l->name : "-",
		    (unsigned long long)l->size, exp,
		    l->pass_code ? l->pass_code : "-", l->quoted ? "q" : "-");
	}
	if (s->len == 0)
		g_string_append(s, "none");
	return g_string_free(s, FALSE);
}

static void
run_row(const char *line, GTimeZone *zone)
{
	g_auto(GStrv) col = g_strsplit(line, "\t", -1);
	g_autofree char *plain = NULL, *html = NULL, *got = NULL;
	g_autofree char *err = NULL;
	struct cloudlink_set *set = NULL;
	struct cloudlink_input in = { .zone = zone };

	if (g_strv_length(col) != 4) {
		printf("FAIL cloudlink: bad row: %s\n", line);
		test_failures++;
		return;
	}
	plain = cell_text(col[1]);
	html = cell_text(col[2]);
	in.plain = plain;
	in.plain_len = plain ? strlen(plain) : 0;
	in.html = html;
	in.html_len = html ? strlen(html) : 0;
	if (cloudlink_find(&in, &set, &err) < 0) {
		printf("FAIL cloudlink:%s: %s\n", col[0], err);
		test_failures++;
		return;
	}
	if (g_str_has_prefix(col[3], "count=")) {
		got = g_strdup_printf("count=%zu truncated=%zu",
		    cloudlink_count(set), cloudlink_truncated(set));
	} else {
		got = describe(set, zone);
	}
	{
		g_autofree char *name = g_strdup_printf("cloudlink:%s",
		    col[0]);

		TEST_CHECK_STR(name, got, col[3]);
	}
	cloudlink_set_free(&set);
}

/* The provider table by URL alone, and a body of any bytes. */
static void
test_shapes(void)
{
	static const struct {
		const char *url;
		int want;
	} rows[] = {
		{ "http://mail.qq.com/cgi-bin/ftnExs_download?k=1", LINK_QQ },
		{ "https://WX.mail.qq.com/ftn/download?func=3", LINK_QQ },
		{ "https://mail.qq.com/cgi-bin/frame_html", -1 },
		{ "https://mail.163.com.evil.cn/large-attachment-download/", -1 },
		{ "https://evil.cn@mail.163.com/large-attachment-download/", -1 },
		{ "https://dashi.163.com/html/cloud-attachment-download/?k", LINK_NETEASE },
		{ "https://pan.baidu.com/s/1abc", LINK_BAIDU },
		{ "https://pan.baidu.com/disk/home", -1 },
		{ "https://wwi.lanzoui.com/iAbc", LINK_OTHER },
		{ "ftp://mail.qq.com/cgi-bin/ftnExs_download", -1 },
		{ "javascript:alert(1)", -1 },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *name = g_strdup_printf("provider:%s",
		    rows[i].url);

		TEST_CHECK(name, cloudlink_provider_of(rows[i].url) ==
		    rows[i].want);
	}
	{
		static const char junk[] = "<a href='https://pan.baidu.com/s/1"
		    "<<<\0 <blockquote><a href=\"https://pan.baidu.com/s/2\"";
		struct htmltext *d = htmltext_parse(junk, sizeof(junk) - 1, 4);

		TEST_CHECK("htmltext:nul-ends", d != NULL &&
		    htmltext_anchor_count(d) <= 1);
		htmltext_free(&d);
	}
	{
		g_autofree char *s = cloudlink_size_text(1288490189);

		TEST_CHECK_STR("size-text:gb", s, "1.2 GB");
	}
}

int
main(void)
{
	g_autofree char *text = NULL;
	g_auto(GStrv) lines = NULL;
	GTimeZone *zone = g_time_zone_new_identifier("Asia/Shanghai");
	size_t i;

	if (!g_file_get_contents(TABLE, &text, NULL, NULL)) {
		printf("FAIL cloudlink: cannot read %s\n", TABLE);
		return 1;
	}
	lines = g_strsplit(text, "\n", -1);
	for (i = 0; lines[i] != NULL; i++) {
		if (lines[i][0] == '#' || lines[i][0] == '\0')
			continue;
		run_row(lines[i], zone);
	}
	test_shapes();
	g_time_zone_unref(zone);
	return TEST_EXIT();
}
