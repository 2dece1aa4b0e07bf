/*
 * mediarule: what a campaign asks of a video (duration, resolution,
 * aspect, frame rate, bitrate, sound) against facts measured of a file,
 * from tables: the finding and the sentence a clerk reads, the values
 * each key takes, and the loader's word on a wrong one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "campaign.h"
#include "mediarule.h"
#include "test.h"

/* A readable 1920x1080 25 fps clip with sound, of duration ms, 9.4 Mb/s. */
static struct media_facts
clip(int64_t ms)
{
	struct media_facts f = {
		.readable = true, .video = true, .audio = true,
		.duration_ms = ms, .width = 1920, .height = 1080,
		.fps_num = 25, .fps_den = 1, .bitrate = 9400000,
	};

	return f;
}

#define MS(m, s)	(((int64_t)(m) * 60 + (s)) * 1000)

struct row {
	const char *name;
	const char *key, *rule;		/* key (with .CATEGORY), its value */
	const char *category, *mime;
	struct media_facts f;
	const char *code;		/* NULL: no finding */
	enum media_severity sev;
	const char *text;
};

static void
run_row(const struct row *row)
{
	struct media_finding out[MEDIA_KEYS + 1];
	struct media_rule rule = { 0 };
	g_autofree char *why = NULL;
	const char *dot = strchr(row->key, '.');
	char **types = NULL;
	size_t n = 0;
	bool ok;

	ok = mediarule_parse((enum media_key)mediarule_key(row->key),
	    row->rule, &rule, &types, &why) == 0;
	if (!ok) {
		printf("# %s: %s\n", row->name, why);
		TEST_CHECK(row->name, ok);
		return;
	}
	rule.types = (const char *const *)types;
	rule.category = dot != NULL ? dot + 1 : NULL;
	n = mediarule_eval(&rule, 1, row->category, row->category ?
	    row->category : "作品", row->mime, &row->f, out);
	if (row->code == NULL) {
		if (n != 0)
			printf("# %s: unexpected \"%s\"\n", row->name,
			    out[0].text);
		TEST_CHECK(row->name, n == 0);
	} else {
		ok = n == 1 && strcmp(out[0].code, row->code) == 0 &&
		    out[0].severity == row->sev;
		if (!ok)
			printf("# %s: %zu findings, %s\n", row->name, n,
			    n > 0 ? out[0].code : "-");
		TEST_CHECK(row->name, ok);
		TEST_CHECK_STR(row->name, n > 0 ? out[0].text : NULL,
		    row->text);
	}
	mediarule_findings_clear(out, n);
	g_strfreev(types);
}

static void
test_rules(void)
{
	struct media_facts portrait = clip(MS(0, 30)), sar = clip(MS(0, 30)),
	    ntsc = clip(MS(0, 30)), pal = clip(MS(0, 30)),
	    mute = clip(MS(0, 30)), sd = clip(MS(0, 30)),
	    sound_only = clip(MS(0, 30)), unreadable = { .readable = false }, failed = { .failed = true },
	    nearly = clip(180400), cut = clip(MS(0, 30));

	portrait.width = 1080, portrait.height = 1920;
	/* Half of it and a byte short: floored, never "50%". */
	cut.truncated = true, cut.size = 49999, cut.expected_size = 100000;
	sar.width = 1440, sar.sar_num = 4, sar.sar_den = 3;
	ntsc.fps_num = 30000, ntsc.fps_den = 1001;
	pal.fps_num = 2499, pal.fps_den = 100;
	mute.audio = false;
	sound_only.video = false, sound_only.width = sound_only.height = 0;
	sound_only.fps_num = sound_only.fps_den = 0;
	sd.width = 1280, sd.height = 720;
	const struct row rows[] = {
		{ "duration:2:59", "duration", "max 3:00 reject", NULL,
		    "video/mp4", clip(MS(2, 59)), NULL, 0, NULL },
		{ "duration:3:00", "duration", "max 3:00 reject", NULL,
		    "video/mp4", clip(MS(3, 0)), NULL, 0, NULL },
		{ "duration:3:01", "duration", "max 3:00 reject", "微视频",
		    "video/mp4", clip(MS(3, 1)), "media-duration", MEDIA_REJECT,
		    "时长 3分01秒，微视频不超过 3 分钟" },
		{ "duration:3:00.4", "duration", "max 3:00 reject", "微视频",
		    "video/mp4", nearly, "media-duration", MEDIA_REJECT,
		    "时长 3分00.4秒，微视频不超过 3 分钟" },
		{ "duration:9:12", "duration.微视频", "max 8:00 reject",
		    "微视频", "video/mp4", clip(MS(9, 12)), "media-duration",
		    MEDIA_REJECT, "时长 9分12秒，微视频不超过 8 分钟" },
		{ "duration:other-category", "duration.微视频",
		    "max 8:00 reject", "典型事迹片", "video/mp4",
		    clip(MS(9, 12)), NULL, 0, NULL },
		{ "duration:9:59-min", "duration.典型事迹片", "min 10:00 reject",
		    "典型事迹片", "video/mp4", clip(MS(9, 59)),
		    "media-too-short", MEDIA_REJECT,
		    "时长 9分59秒，典型事迹片不少于 10 分钟" },
		{ "duration:10:00-min", "duration", "min 10:00 reject",
		    "典型事迹片", "video/mp4", clip(MS(10, 0)), NULL, 0, NULL },
		{ "duration:7:00-classes", "duration",
		    "max 5:00 | min 15:00 warn", "微电影", "video/mp4",
		    clip(MS(7, 0)), "media-duration", MEDIA_WARN,
		    "时长 7分00秒，微电影应不超过 5 分钟或不少于 15 分钟" },
		{ "duration:4:00-classes", "duration",
		    "max 5:00 | min 15:00 warn", "微电影", "video/mp4",
		    clip(MS(4, 0)), NULL, 0, NULL },
		{ "duration:range-hours", "duration", "5:00..1:00:00 warn",
		    "报告", "audio/mpeg", clip(MS(75, 0)), "media-duration",
		    MEDIA_WARN,
		    "时长 1小时15分00秒，报告应在 5 分钟至 1 小时之间" },
		{ "duration:90s", "duration", "max 90s reject", NULL,
		    "video/mp4", clip(MS(1, 31)), "media-duration",
		    MEDIA_REJECT, "时长 1分31秒，作品不超过 1分30秒" },
		{ "duration:not-media", "duration", "max 3:00 reject", NULL,
		    "image/jpeg", clip(MS(9, 0)), NULL, 0, NULL },
		{ "resolution:720p", "resolution", "1920x1080 reject", "微视频",
		    "video/mp4", sd, "media-resolution", MEDIA_REJECT,
		    "分辨率 1280×720，微视频应为 1920×1080" },
		{ "resolution:1080p", "resolution", "1920x1080 reject",
		    "微视频", "video/mp4", clip(1000), NULL, 0, NULL },
		{ "resolution:portrait", "resolution", "1920×1080 reject",
		    "微视频", "video/mp4", portrait, "media-resolution",
		    MEDIA_REJECT, "分辨率 1080×1920（竖屏），微视频应为 "
		    "1920×1080（横屏）" },
		{ "aspect:portrait", "aspect", "16:9 reject", "微视频",
		    "video/mp4", portrait, "media-aspect", MEDIA_REJECT,
		    "画面宽高比 9:16（竖屏），微视频应为 16:9" },
		{ "aspect:1440-sar-4:3", "aspect", "16:9 reject", "微视频",
		    "video/mp4", sar, NULL, 0, NULL },
		{ "aspect:4:3", "aspect", "16:9 reject", "微视频", "video/mp4",
		    (struct media_facts){ .readable = true, .video = true,
		    .duration_ms = 1000, .width = 1440, .height = 1080 },
		    "media-aspect", MEDIA_REJECT,
		    "画面宽高比 4:3，微视频应为 16:9" },
		{ "fps:29.97", "fps", "25 warn", "微视频", "video/mp4", ntsc,
		    "media-fps", MEDIA_WARN,
		    "帧率 29.97 帧/秒，微视频应为 25 帧/秒" },
		{ "fps:24.99", "fps", "25 warn", "微视频", "video/mp4", pal,
		    NULL, 0, NULL },
		{ "fps:ntsc-rule", "fps", "30000/1001 warn", NULL, "video/mp4",
		    ntsc, NULL, 0, NULL },
		{ "audio:none", "audio", "yes warn", "微视频", "video/mp4",
		    mute, "media-audio", MEDIA_WARN,
		    "没有声音（未检测到音轨），微视频应带声音" },
		{ "audio:present", "audio", "yes warn", "微视频", "video/mp4",
		    clip(1000), NULL, 0, NULL },
		/* an MP4 of the narration alone is no 微视频 */
		{ "no-video:resolution", "resolution", "1920x1080 reject",
		    "微视频", "video/mp4", sound_only, "media-no-video",
		    MEDIA_REJECT, "只有声音，没有画面，微视频应为视频" },
		{ "no-video:fps-warn", "fps", "25 warn", "微视频", "video/mp4",
		    sound_only, "media-no-video", MEDIA_WARN,
		    "只有声音，没有画面，微视频应为视频" },
		{ "no-video:audio-file", "resolution", "1920x1080 reject",
		    "音频", "audio/mpeg", sound_only, NULL, 0, NULL },
		{ "no-video:duration-only", "duration", "max 3:00 reject",
		    "微视频", "video/mp4", sound_only, NULL, 0, NULL },
		{ "bitrate:mp4", "bitrate", "min 15M warn for video/mp4",
		    "微视频", "video/mp4", clip(1000), "media-bitrate",
		    MEDIA_WARN, "总码率 9.4 Mbps，微视频不低于 15 Mbps" },
		{ "bitrate:mov-no-rule", "bitrate",
		    "min 15M warn for video/mp4", "微视频", "video/quicktime",
		    clip(1000), NULL, 0, NULL },
		{ "bitrate:max-near", "bitrate", "max 9.4M warn", NULL,
		    "video/mp4", (struct media_facts){ .readable = true,
		    .video = true, .duration_ms = 1000, .bitrate = 9400050 },
		    "media-bitrate", MEDIA_WARN,
		    "总码率 9.40005 Mbps，作品不超过 9.4 Mbps" },
		{ "unreadable", "duration", "max 3:00 warn", NULL, "video/mp4",
		    unreadable, "media-unreadable", MEDIA_REJECT,
		    "无法读取视频信息，可能上传不完整" },
		{ "incomplete", "duration", "max 3:00 warn", NULL, "video/mp4",
		    cut, "media-incomplete", MEDIA_REJECT,
		    "视频文件不完整（只有应有大小的 49%），可能上传或下载时中断" },
		{ "failed", "duration", "max 3:00 reject", NULL, "video/mp4",
		    failed, "inspect-failed", MEDIA_NOTE,
		    "未能检查视频的时长等技术指标" },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(rows); i++)
		run_row(&rows[i]);
}

/* A text work counted at n 字. */
static struct media_facts
words(int64_t n)
{
	struct media_facts f = { .kind = FACTS_TEXT, .duration_ms = -1 };

	f.text.characters = n;
	return f;
}

/* A picture of w x h, CMYK or not, at dpi. */
static struct media_facts
picture(unsigned w, unsigned h, bool cmyk, unsigned dpi)
{
	struct media_facts f = { .kind = FACTS_IMAGE, .duration_ms = -1 };

	f.image.known = true;
	f.image.width = w, f.image.height = h;
	f.image.cmyk = cmyk, f.image.dpi = dpi;
	g_strlcpy(f.image.format, "jpeg", sizeof(f.image.format));
	return f;
}

#define DOCX "application/vnd.openxmlformats-officedocument." \
	"wordprocessingml.document"

static void
test_doc_rules(void)
{
	struct media_facts scanned = words(0), old = words(0),
	    unknown_size = picture(0, 0, false, 0),
	    failed = { .kind = FACTS_TEXT, .failed = true };

	scanned.text.state = TEXT_SCANNED;
	old.text.state = TEXT_OLD_FORMAT;
	unknown_size.image.known = false;
	const struct row rows[] = {
		{ "characters:999", "characters.文字类", "1000..10000 warn",
		    "文字类", DOCX, words(999), "text-characters", MEDIA_WARN,
		    "约 999 字（按 Word 字数统计方法），文字类一般不少于 "
		    "1000 字" },
		{ "characters:1000", "characters.文字类", "1000..10000 warn",
		    "文字类", DOCX, words(1000), NULL, 0, NULL },
		{ "characters:10000", "characters.文字类", "1000..10000 warn",
		    "文字类", "application/pdf", words(10000), NULL, 0, NULL },
		{ "characters:10001", "characters.文字类", "1000..10000 warn",
		    "文字类", "text/plain", words(10001), "text-characters",
		    MEDIA_WARN, "约 10001 字（按 Word 字数统计方法），文字类一般"
		    "不多于 10000 字" },
		{ "characters:other-category", "characters.文字类",
		    "1000..10000 warn", "图片类", DOCX, words(10), NULL, 0,
		    NULL },
		{ "characters:report-2100", "characters", "max 2000 reject",
		    "报告", DOCX, words(2100), "text-characters", MEDIA_REJECT,
		    "约 2100 字（按 Word 字数统计方法），报告不超过 2000 字" },
		{ "characters:classes", "characters",
		    "max 300 | 500..800 warn", "介绍", DOCX, words(400),
		    "text-characters", MEDIA_WARN, "约 400 字（按 Word 字数统计"
		    "方法），介绍一般应不超过 300 字或在 500 至 800 字之间" },
		{ "characters:scanned", "characters", "1000..10000 warn",
		    NULL, "application/pdf", scanned, "characters-unknown",
		    MEDIA_NOTE, "PDF 为扫描件，未能统计字数" },
		{ "characters:doc", "characters", "max 2000 reject", NULL,
		    "application/msword", old, "characters-unknown",
		    MEDIA_NOTE, "该文档为 .doc 或 .wps 格式，未能统计字数，如需"
		    "核对请另存为 .docx" },
		{ "characters:failed", "characters", "max 2000 reject", NULL,
		    DOCX, failed, "inspect-failed", MEDIA_NOTE,
		    "未能统计文档字数" },
		{ "characters:not-text", "characters", "max 2000 reject",
		    NULL, "video/mp4", clip(1000), NULL, 0, NULL },
		{ "colorspace:rgb", "colorspace.宣传海报", "cmyk warn",
		    "宣传海报", "image/png", picture(640, 480, false, 0),
		    "image-colorspace", MEDIA_WARN,
		    "为 RGB 色彩模式，宣传海报要求 CMYK" },
		{ "colorspace:cmyk", "colorspace.宣传海报", "cmyk warn",
		    "宣传海报", "image/jpeg", picture(4961, 3508, true, 300),
		    NULL, 0, NULL },
		{ "colorspace:want-rgb", "colorspace", "rgb reject", NULL,
		    "image/jpeg", picture(4961, 3508, true, 300),
		    "image-colorspace", MEDIA_REJECT,
		    "为 CMYK 色彩模式，作品要求 RGB" },
		{ "pixels:small", "pixels", "min 1920x1080 reject", "图片类",
		    "image/jpeg", picture(1280, 720, false, 72),
		    "image-pixels", MEDIA_REJECT,
		    "为 1280×720 像素，图片类要求不小于 1920×1080 像素" },
		{ "pixels:one-side-short", "pixels", "min 1920x1080 reject",
		    NULL, "image/jpeg", picture(3000, 1000, false, 72),
		    "image-pixels", MEDIA_REJECT,
		    "为 3000×1000 像素，作品要求不小于 1920×1080 像素" },
		{ "pixels:enough", "pixels", "min 1920x1080 reject", NULL,
		    "image/jpeg", picture(1920, 1080, false, 72), NULL, 0,
		    NULL },
		{ "pixels:max", "pixels", "max 800x800 warn", NULL,
		    "image/gif", picture(801, 100, false, 0), "image-pixels",
		    MEDIA_WARN, "为 801×100 像素，作品要求不大于 800×800 像素" },
		{ "pixels:unknown", "pixels", "min 1920x1080 reject", NULL,
		    "image/jpeg", unknown_size, NULL, 0, NULL },
		{ "dpi:72", "dpi", "min 300 warn", "宣传海报", "image/jpeg",
		    picture(4961, 3508, true, 72), "image-dpi", MEDIA_WARN,
		    "为 72 dpi，宣传海报要求不低于 300 dpi" },
		{ "dpi:unknown", "dpi", "min 300 warn", NULL, "image/jpeg",
		    picture(4961, 3508, true, 0), NULL, 0, NULL },
		{ "dpi:not-image", "dpi", "min 300 warn", NULL, "video/mp4",
		    clip(1000), NULL, 0, NULL },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(rows); i++)
		run_row(&rows[i]);
}

/* A category's rule overrides the kind's for that key only. */
static void
test_override(void)
{
	struct media_rule rules[2] = { { 0 } };
	struct media_finding out[MEDIA_KEYS + 1];
	struct media_facts f = clip(MS(9, 0));
	g_autofree char *e1 = NULL, *e2 = NULL;
	char **t1 = NULL, **t2 = NULL;
	size_t n;

	(void)mediarule_parse(MEDIA_DURATION, "max 3:00 reject", &rules[0],
	    &t1, &e1);
	(void)mediarule_parse(MEDIA_DURATION, "max 10:00 reject", &rules[1],
	    &t2, &e2);
	rules[1].category = "纪录片";
	n = mediarule_eval(rules, 2, "纪录片", "纪录片", "video/mp4", &f, out);
	TEST_CHECK("override:category", n == 0);
	mediarule_findings_clear(out, n);
	n = mediarule_eval(rules, 2, "微视频", "微视频", "video/mp4", &f, out);
	TEST_CHECK("override:kind", n == 1);
	mediarule_findings_clear(out, n);
	TEST_CHECK("wants:video", mediarule_wants(rules, 2, NULL, "video/mp4"));
	TEST_CHECK("wants:not-image", !mediarule_wants(rules, 2, NULL,
	    "image/jpeg"));
	TEST_CHECK("wants:no-rules", !mediarule_wants(NULL, 0, NULL,
	    "video/mp4"));
}

static void
test_parse(void)
{
	static const struct {
		const char *name, *key, *value;
		const char *error;		/* NULL: parses */
	} rows[] = {
		{ "parse:max", "duration", "max 8:00 reject", NULL },
		{ "parse:hours", "duration", "min 1:00:00 warn", NULL },
		{ "parse:range", "duration", "5:00..15:00 warn for video;"
		    "audio/mpeg", NULL },
		{ "parse:classes", "duration", "max 5:00 | min 15:00 warn",
		    NULL },
		{ "parse:no-severity", "duration", "max 8:00",
		    "ends in no severity" },
		{ "parse:bare-number", "duration", "max 8 reject",
		    "\"max 8\" is not min X, max X or X..Y" },
		{ "parse:wrong-unit", "duration", "max 8M reject",
		    "is not min X, max X or X..Y with X a time" },
		{ "parse:seconds-60", "duration", "max 3:60 reject",
		    "is not min X" },
		{ "parse:backwards", "duration", "10:00..5:00 warn",
		    "is not min X" },
		{ "parse:bitrate", "bitrate", "min 15M warn for video/mp4",
		    NULL },
		{ "parse:bitrate-k", "bitrate", "min 800k warn", NULL },
		{ "parse:bitrate-time", "bitrate", "min 3:00 warn",
		    "with X a rate such as 8M" },
		{ "parse:resolution", "resolution", "1920x1080 reject", NULL },
		{ "parse:resolution-bad", "resolution", "1080p reject",
		    "is not WIDTHxHEIGHT" },
		{ "parse:aspect", "aspect", "16:9 reject", NULL },
		{ "parse:aspect-bad", "aspect", "16/9 reject",
		    "is not a ratio" },
		{ "parse:fps", "fps", "29.97 warn", NULL },
		{ "parse:fps-bad", "fps", "25p warn", "is not a frame rate" },
		{ "parse:audio", "audio", "yes warn", NULL },
		{ "parse:audio-bad", "audio", "stereo warn", "is not yes or no" },
		{ "parse:for-bad", "bitrate", "min 8M warn for mp4",
		    "\"mp4\" is not a MIME type" },
		{ "parse:characters", "characters", "1000..10000 warn", NULL },
		{ "parse:characters-max", "characters", "max 2000 reject",
		    NULL },
		{ "parse:characters-time", "characters", "max 3:00 reject",
		    "with X a number of characters" },
		{ "parse:pixels", "pixels", "min 1920x1080 warn", NULL },
		{ "parse:pixels-bare", "pixels", "1920x1080 warn",
		    "is not min WIDTHxHEIGHT" },
		{ "parse:colorspace", "colorspace", "cmyk warn for image/jpeg",
		    NULL },
		{ "parse:colorspace-bad", "colorspace", "srgb warn",
		    "is not cmyk or rgb" },
		{ "parse:dpi", "dpi", "min 300 warn", NULL },
		{ "parse:dpi-bad", "dpi", "300 warn", "is not min N" },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(rows); i++) {
		struct media_rule r = { 0 };
		g_autofree char *why = NULL;
		char **types = NULL;
		int ret = mediarule_parse((enum media_key)mediarule_key(
		    rows[i].key), rows[i].value, &r, &types, &why);
		bool ok = rows[i].error == NULL ? ret == 0 : ret < 0 &&
		    why != NULL && strstr(why, rows[i].error) != NULL;

		if (!ok)
			printf("# %s: %d %s\n", rows[i].name, ret,
			    why ? why : "");
		TEST_CHECK(rows[i].name, ok);
		g_strfreev(types);
	}
}

#define BASE \
	"[campaign]\n" \
	"id = c1\n" \
	"name = 征集\n" \
	"opens = 2024-06-01 00:00\n" \
	"closes = 2024-07-01 00:00\n" \
	"subject = {作品名称}-{类别}\n" \
	"category_field = 类别\n" \
	"title_field = 作品名称\n" \
	"[field 作品名称]\n" \
	"type = text\n" \
	"[field 类别]\n" \
	"type = enum\n" \
	"values = 微视频;纪录片\n" \
	"[file 作品]\n" \
	"role = work\n" \
	"types = mp4;mov\n"

static struct campaign *
parse(const char *extra, char **err_r)
{
	g_autofree char *text = g_strconcat(BASE, extra, NULL);
	struct campaign *c = NULL;

	*err_r = NULL;
	(void)campaign_parse("mem", text, strlen(text), NULL, NULL, &c,
	    err_r);
	return c;
}

static void
load_error(const char *name, const char *extra, const char *want)
{
	g_autofree char *err = NULL;
	struct campaign *c = parse(extra, &err);
	bool ok = c == NULL && err != NULL && strstr(err, want) != NULL;

	if (!ok)
		printf("# %s: want \"%s\" in:\n# %s\n", name, want,
		    err != NULL ? err : "(no error)");
	TEST_CHECK(name, ok);
	campaign_free(&c);
}

static void
test_load(void)
{
	g_autofree char *err = NULL;
	struct campaign *c = parse("duration.微视频 = max 8:00 reject\n"
	    "duration = max 5:00 | min 15:00 warn\n"
	    "resolution.微视频 = 1920x1080 reject\n"
	    "bitrate = min 8M warn for video/mp4\n"
	    "audio = yes warn\n", &err);
	const struct campaign_file_kind *k;
	size_t i, cat = 0;

	TEST_CHECK("load:ok", c != NULL);
	if (c == NULL) {
		printf("# %s\n", err);
		return;
	}
	k = campaign_file_kind(c, 0);
	TEST_CHECK("load:count", k->media_count == 5);
	for (i = 0; i < k->media_count; i++)
		cat += k->media[i].category != NULL &&
		    strcmp(k->media[i].category, "微视频") == 0;
	TEST_CHECK("load:categories", cat == 2);
	TEST_CHECK("load:wants", mediarule_wants(k->media, k->media_count,
	    "纪录片", "video/quicktime"));
	campaign_free(&c);

	load_error("load:bad-duration", "duration.微视频 = max 8M reject\n",
	    "mem:17: [file 作品] duration.微视频: \"max 8M\" is not min X, "
	    "max X or X..Y");
	load_error("load:no-severity", "fps = 25\n",
	    "mem:17: [file 作品] fps: \"25\" ends in no severity");
	load_error("load:bad-category", "duration.电影 = max 8:00 reject\n",
	    "mem:17: [file 作品] duration.电影: \"电影\" is not a value of the "
	    "category field 类别");
	load_error("load:unknown-key", "durations = max 8:00 reject\n",
	    "durations");
	load_error("load:bad-characters", "characters.微视频 = 1千..1万 warn\n",
	    "mem:17: [file 作品] characters.微视频: \"1千\" is not min "
	    "X, max X or X..Y with X a number of characters");
	load_error("load:bad-colorspace", "colorspace = cmyk\n",
	    "mem:17: [file 作品] colorspace: \"cmyk\" ends in no severity");
}

int
main(void)
{
	test_rules();
	test_doc_rules();
	test_override();
	test_parse();
	test_load();
	return TEST_EXIT();
}
