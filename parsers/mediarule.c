/* mediarule: see include/mediarule.h. */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "archivelist.h"
#include "contentrule.h"
#include "mediarule.h"
#include "textcell.h"

static const char *const key_names[MEDIA_KEYS] = {
	[MEDIA_DURATION] = "duration",
	[MEDIA_RESOLUTION] = "resolution",
	[MEDIA_ASPECT] = "aspect",
	[MEDIA_FPS] = "fps",
	[MEDIA_BITRATE] = "bitrate",
	[MEDIA_AUDIO] = "audio",
	[MEDIA_PIXELS] = "pixels",
	[MEDIA_COLORSPACE] = "colorspace",
	[MEDIA_DPI] = "dpi",
	[MEDIA_CHARACTERS] = "characters",
};

int
mediarule_key(const char *name)
{
	size_t n = strcspn(name, ".");
	int k;

	for (k = 0; k < MEDIA_KEYS; k++)
		if (strlen(key_names[k]) == n && strncmp(name, key_names[k],
		    n) == 0)
			return k;
	return -1;
}

const char *
mediarule_key_name(enum media_key key)
{
	return key < MEDIA_KEYS ? key_names[key] : "?";
}

/* ---- values ---- */

/* Digits only, at most 9 of them (no overflow, no sign). */
static bool
parse_uint(const char *s, size_t len, unsigned *v_r)
{
	unsigned v = 0;
	size_t i;

	if (len == 0 || len > 9)
		return false;
	for (i = 0; i < len; i++) {
		if (!g_ascii_isdigit(s[i]))
			return false;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*v_r = v;
	return true;
}

/* "3:00", "1:00:00", "90s", "10min", "1h" into milliseconds.  A bare
 * number is refused: 8 could be minutes or seconds. */
static bool
parse_duration(const char *s, int64_t *ms_r)
{
	g_auto(GStrv) parts = g_strsplit(s, ":", -1);
	guint n = g_strv_length(parts), i;
	size_t len = strlen(s);
	int64_t total = 0;
	unsigned v;

	if (n == 2 || n == 3) {
		for (i = 0; i < n; i++) {
			if (!parse_uint(parts[i], strlen(parts[i]), &v) ||
			    (i > 0 && (v >= 60 || strlen(parts[i]) != 2)))
				return false;
			total = total * 60 + v;
		}
		*ms_r = total * 1000;
		return true;
	}
	if (len > 3 && strcmp(s + len - 3, "min") == 0 &&
	    parse_uint(s, len - 3, &v))
		total = (int64_t)v * 60;
	else if (len > 1 && s[len - 1] == 's' && parse_uint(s, len - 1, &v))
		total = v;
	else if (len > 1 && s[len - 1] == 'h' && parse_uint(s, len - 1, &v))
		total = (int64_t)v * 3600;
	else
		return false;
	*ms_r = total * 1000;
	return true;
}

/* "15M", "8m", "800k", "2.5M", "15Mbps", "64000" into bit/s. */
static bool
parse_bitrate(const char *s, int64_t *bps_r)
{
	const char *p = s;
	uint64_t whole = 0, frac = 0, scale = 1, mult = 1;
	unsigned digits = 0, fdigits = 0;

	for (; g_ascii_isdigit(*p) && digits < 12; p++, digits++)
		whole = whole * 10 + (uint64_t)(*p - '0');
	if (digits == 0)
		return false;
	if (*p == '.')
		for (p++; g_ascii_isdigit(*p) && fdigits < 6; p++, fdigits++) {
			frac = frac * 10 + (uint64_t)(*p - '0');
			scale *= 10;
		}
	if (*p == 'k' || *p == 'K')
		mult = 1000, p++;
	else if (*p == 'm' || *p == 'M')
		mult = 1000000, p++;
	else if (*p == 'g' || *p == 'G')
		mult = 1000000000, p++;
	if (g_ascii_strcasecmp(p, "bps") != 0 && g_ascii_strcasecmp(p,
	    "b") != 0 && *p != '\0')
		return false;
	*bps_r = (int64_t)(whole * mult + frac * mult / scale);
	return *bps_r > 0;
}

static bool
parse_bound(enum media_key key, const char *s, int64_t *v_r)
{
	unsigned v;

	if (key == MEDIA_CHARACTERS) {
		if (!parse_uint(s, strlen(s), &v))
			return false;
		*v_r = v;
		return true;
	}
	return key == MEDIA_DURATION ? parse_duration(s, v_r) :
	    parse_bitrate(s, v_r);
}

/* One alternative: "min X", "max X" or "X..Y". */
static bool
parse_alternative(enum media_key key, char *alt, struct media_range *r)
{
	char *dots;

	g_strstrip(alt);
	r->min = r->max = -1;
	if (g_str_has_prefix(alt, "min ") || g_str_has_prefix(alt, "max ")) {
		char *v = g_strstrip(alt + 4);

		return parse_bound(key, v, alt[1] == 'i' ? &r->min : &r->max);
	}
	if ((dots = strstr(alt, "..")) == NULL)
		return false;
	*dots = '\0';
	return parse_bound(key, g_strstrip(alt), &r->min) &&
	    parse_bound(key, g_strstrip(dots + 2), &r->max) && r->min <= r->max;
}

static int
parse_ranges(enum media_key key, const char *spec, struct media_rule *rule,
    char **error_r)
{
	g_auto(GStrv) alts = g_strsplit(spec, "|", -1);
	size_t i;

	for (i = 0; alts[i] != NULL; i++) {
		if (i == MEDIARULE_RANGES_MAX) {
			*error_r = g_strdup_printf("at most %d alternatives",
			    MEDIARULE_RANGES_MAX);
			return -1;
		}
		if (!parse_alternative(key, alts[i], &rule->ranges[i])) {
			*error_r = g_strdup_printf("\"%s\" is not min X, max X "
			    "or X..Y with X %s", g_strstrip(alts[i]),
			    key == MEDIA_DURATION ? "a time such as 3:00, "
			    "1:00:00 or 90s" : key == MEDIA_CHARACTERS ?
			    "a number of characters such as 1000" :
			    "a rate such as 8M or 800k");
			return -1;
		}
	}
	rule->nranges = i;
	return 0;
}

/* "1920x1080" (x, X, ×, *), "16:9", "30000/1001": two positive numbers
 * around sep. */
static bool
parse_pair(const char *s, const char *const *seps, unsigned *a_r,
    unsigned *b_r)
{
	size_t i;

	for (i = 0; seps[i] != NULL; i++) {
		const char *at = strstr(s, seps[i]);

		if (at != NULL && parse_uint(s, (size_t)(at - s), a_r) &&
		    parse_uint(at + strlen(seps[i]), strlen(at +
		    strlen(seps[i])), b_r) && *a_r > 0 && *b_r > 0)
			return true;
	}
	return false;
}

/* "25", "29.97", "30000/1001" as a fraction. */
static bool
parse_fps(const char *s, unsigned *num_r, unsigned *den_r)
{
	static const char *const slash[] = { "/", NULL };
	const char *dot = strchr(s, '.');
	unsigned whole, frac, den = 1;
	size_t i, n;

	if (parse_pair(s, slash, num_r, den_r))
		return true;
	if (dot == NULL) {
		*den_r = 1;
		return parse_uint(s, strlen(s), num_r) && *num_r > 0;
	}
	n = strlen(dot + 1);
	if (n == 0 || n > 3 || !parse_uint(s, (size_t)(dot - s), &whole) ||
	    whole > 1000 || !parse_uint(dot + 1, n, &frac))
		return false;
	for (i = 0; i < n; i++)
		den *= 10;
	*num_r = whole * den + frac;
	*den_r = den;
	return *num_r > 0;
}

static int
parse_spec(enum media_key key, const char *spec, struct media_rule *rule,
    char **error_r)
{
	static const char *const by[] = { "x", "X", "×", "*", NULL };
	static const char *const colon[] = { ":", NULL };

	switch (key) {
	case MEDIA_DURATION:
	case MEDIA_BITRATE:
		return parse_ranges(key, spec, rule, error_r);
	case MEDIA_RESOLUTION:
		if (parse_pair(spec, by, &rule->a, &rule->b))
			return 0;
		*error_r = g_strdup_printf("\"%s\" is not WIDTHxHEIGHT such as "
		    "1920x1080", spec);
		return -1;
	case MEDIA_ASPECT:
		if (parse_pair(spec, colon, &rule->a, &rule->b))
			return 0;
		*error_r = g_strdup_printf("\"%s\" is not a ratio such as 16:9",
		    spec);
		return -1;
	case MEDIA_FPS:
		if (parse_fps(spec, &rule->a, &rule->b))
			return 0;
		*error_r = g_strdup_printf("\"%s\" is not a frame rate such as "
		    "25, 29.97 or 30000/1001", spec);
		return -1;
	case MEDIA_AUDIO:
		rule->yes = strcmp(spec, "yes") == 0;
		if (rule->yes || strcmp(spec, "no") == 0)
			return 0;
		*error_r = g_strdup_printf("\"%s\" is not yes or no", spec);
		return -1;
	case MEDIA_CHARACTERS:
		return parse_ranges(key, spec, rule, error_r);
	case MEDIA_PIXELS:
		rule->upper = g_str_has_prefix(spec, "max ");
		if ((rule->upper || g_str_has_prefix(spec, "min ")) &&
		    parse_pair(spec + 4, by, &rule->a, &rule->b))
			return 0;
		*error_r = g_strdup_printf("\"%s\" is not min WIDTHxHEIGHT or "
		    "max WIDTHxHEIGHT such as min 1920x1080", spec);
		return -1;
	case MEDIA_COLORSPACE:
		rule->yes = g_ascii_strcasecmp(spec, "cmyk") == 0;
		if (rule->yes || g_ascii_strcasecmp(spec, "rgb") == 0)
			return 0;
		*error_r = g_strdup_printf("\"%s\" is not cmyk or rgb", spec);
		return -1;
	case MEDIA_DPI:
		if (g_str_has_prefix(spec, "min ") && parse_uint(spec + 4,
		    strlen(spec + 4), &rule->a) && rule->a > 0 &&
		    rule->a <= 10000)
			return 0;
		*error_r = g_strdup_printf("\"%s\" is not min N such as min "
		    "300", spec);
		return -1;
	case MEDIA_KEYS:
	default:
		break;
	}
	*error_r = g_strdup("unknown key");
	return -1;
}

int
mediarule_parse(enum media_key key, const char *text,
    struct media_rule *rule, char ***types_r, char **error_r)
{
	g_autofree char *v = g_strstrip(g_strdup(text != NULL ? text : ""));
	char *forp, *sev;
	bool dummy;

	*types_r = NULL;
	rule->key = key;
	rule->types = NULL;
	/* "... for video/mp4;video/quicktime": the types it is for. */
	if ((forp = strstr(v, " for ")) != NULL) {
		*forp = '\0';
		if (contentrule_parse(forp + 5, types_r, &dummy, error_r) < 0)
			return -1;
		g_strstrip(v);
	}
	sev = strrchr(v, ' ');
	if (sev == NULL || (strcmp(sev + 1, "warn") != 0 &&
	    strcmp(sev + 1, "reject") != 0)) {
		*error_r = g_strdup_printf("\"%s\" ends in no severity: write "
		    "warn or reject after the value", v);
		goto fail;
	}
	rule->warn = strcmp(sev + 1, "warn") == 0;
	*sev = '\0';
	g_strstrip(v);
	if (parse_spec(key, v, rule, error_r) < 0)
		goto fail;
	return 0;
fail:
	g_clear_pointer(types_r, g_strfreev);
	return -1;
}

/* ---- which rules ---- */

static bool
mime_is_media(const char *mime)
{
	return mime != NULL && (g_str_has_prefix(mime, "video/") ||
	    g_str_has_prefix(mime, "audio/"));
}

bool
mediarule_text_mime(const char *mime)
{
	static const char *const text[] = {
		"application/vnd.openxmlformats-officedocument."
		    "wordprocessingml.document",
		"application/pdf", "text/plain",
		/* OLE2, not read: .doc, .wps, and what libmagic calls an
		 * OLE2 file it cannot name */
		"application/msword", "application/vnd.ms-works",
		"application/vnd.ms-office", "application/x-ole-storage",
		"application/CDFV2", "application/vnd.wps-office.doc",
		NULL,
	};

	return mime != NULL && g_strv_contains(text, mime);
}

/* Whether a rule of this key is about a file of this content at all. */
static bool
key_fits(enum media_key key, const char *mime)
{
	switch (key) {
	case MEDIA_PIXELS:
	case MEDIA_COLORSPACE:
	case MEDIA_DPI:
		return mime != NULL && g_str_has_prefix(mime, "image/");
	case MEDIA_CHARACTERS:
		return mediarule_text_mime(mime);
	default:
		return mime_is_media(mime);
	}
}

/* The rule for key in category: the category's own, else the kind's;
 * NULL when neither is set or it is not for this content. */
static const struct media_rule *
rule_for(const struct media_rule *rules, size_t n, enum media_key key,
    const char *category, const char *mime)
{
	const struct media_rule *any = NULL, *r = NULL;
	size_t i;

	for (i = 0; i < n && r == NULL; i++) {
		if (rules[i].key != key)
			continue;
		if (rules[i].category == NULL)
			any = &rules[i];
		else if (category != NULL && strcmp(rules[i].category,
		    category) == 0)
			r = &rules[i];
	}
	if (r == NULL)
		r = any;
	if (r == NULL || !key_fits(key, mime) ||
	    (r->types != NULL && !contentrule_allows(r->types, mime)))
		return NULL;
	return r;
}

bool
mediarule_wants(const struct media_rule *rules, size_t n,
    const char *category, const char *mime)
{
	int k;

	for (k = 0; k < MEDIA_KEYS; k++)
		if (rule_for(rules, n, (enum media_key)k, category, mime) !=
		    NULL)
			return true;
	return false;
}

/* ---- numbers as people read them ---- */

static uint64_t
pow10u(unsigned d)
{
	uint64_t p = 1;

	while (d-- > 0)
		p *= 10;
	return p;
}

/* v / unit with d decimals, cut (not rounded): "9.4" */
static char *
fixed_text(uint64_t v, uint64_t unit, unsigned d)
{
	uint64_t step = unit / pow10u(d);

	if (d == 0)
		return g_strdup_printf("%" G_GUINT64_FORMAT, v / unit);
	return g_strdup_printf("%" G_GUINT64_FORMAT ".%0*" G_GUINT64_FORMAT,
	    v / unit, (int)d, (v % unit) / step);
}

/* The fewest decimals (from d, up to dmax) at which v, cut, reads above
 * every max it exceeds: a failing value never shows as the limit. */
static unsigned
decimals_over(uint64_t v, uint64_t unit, unsigned d, unsigned dmax,
    const struct media_range *ranges, size_t n)
{
	size_t i;

	for (; d < dmax; d++) {
		uint64_t step = unit / pow10u(d);
		bool clear = true;

		for (i = 0; i < n; i++)
			if (ranges[i].max >= 0 && v > (uint64_t)ranges[i].max &&
			    v - v % step <= (uint64_t)ranges[i].max)
				clear = false;
		if (clear)
			break;
	}
	return d;
}

char *
mediarule_duration_text(int64_t ms, unsigned decimals)
{
	uint64_t v = ms > 0 ? (uint64_t)ms : 0;
	uint64_t h = v / 3600000, m = v / 60000 % 60, s_ms = v % 60000;
	g_autofree char *sec = fixed_text(s_ms, 1000, decimals > 3 ? 3 :
	    decimals);
	const char *pad = s_ms < 10000 ? "0" : "";

	if (h > 0)
		return g_strdup_printf("%" G_GUINT64_FORMAT "小时%02"
		    G_GUINT64_FORMAT "分%s%s秒", h, m, pad, sec);
	if (m > 0)
		return g_strdup_printf("%" G_GUINT64_FORMAT "分%s%s秒", m, pad,
		    sec);
	return g_strdup_printf("%s秒", sec);
}

/* A bound as the notices write it: "8 分钟", "1 小时", "1分30秒". */
static char *
duration_limit_text(int64_t ms)
{
	if (ms > 0 && ms % 3600000 == 0)
		return g_strdup_printf("%" G_GINT64_FORMAT " 小时",
		    ms / 3600000);
	if (ms > 0 && ms % 60000 == 0)
		return g_strdup_printf("%" G_GINT64_FORMAT " 分钟", ms / 60000);
	return mediarule_duration_text(ms, 0);
}

static char *
bitrate_text(uint64_t bps, unsigned d)
{
	g_autofree char *n = NULL;

	if (bps >= 1000000) {
		n = fixed_text(bps, 1000000, d);
		return g_strdup_printf("%s Mbps", n);
	}
	n = fixed_text(bps, 1000, d > 3 ? 3 : d);
	return g_strdup_printf("%s kbps", n);
}

static char *
bitrate_limit_text(int64_t bps)
{
	if (bps % 1000000 == 0)
		return g_strdup_printf("%" G_GINT64_FORMAT " Mbps",
		    bps / 1000000);
	if (bps >= 1000000)
		return bitrate_text((uint64_t)bps, bps % 100000 == 0 ? 1 : 3);
	if (bps % 1000 == 0)
		return g_strdup_printf("%" G_GINT64_FORMAT " kbps", bps / 1000);
	return g_strdup_printf("%" G_GINT64_FORMAT " bps", bps);
}

/* "不超过 8 分钟", "不少于 10 分钟", "在 5 分钟至 15 分钟之间". */
static char *
range_text(enum media_key key, const struct media_range *r)
{
	char *(*limit)(int64_t) = key == MEDIA_DURATION ?
	    duration_limit_text : bitrate_limit_text;
	g_autofree char *lo = r->min >= 0 ? limit(r->min) : NULL;
	g_autofree char *hi = r->max >= 0 ? limit(r->max) : NULL;

	if (lo != NULL && hi != NULL)
		return g_strdup_printf("在 %s至 %s之间", lo, hi);
	if (hi != NULL)
		return g_strdup_printf("不超过 %s", hi);
	return g_strdup_printf(key == MEDIA_DURATION ? "不少于 %s" :
	    "不低于 %s", lo);
}

/* "微视频不超过 8 分钟", "微电影应不超过 5 分钟或不少于 15 分钟". */
static char *
ranges_text(const struct media_rule *r, const char *what)
{
	GString *s = g_string_new(what);
	size_t i;

	if (r->nranges > 1 || (r->ranges[0].min >= 0 && r->ranges[0].max >= 0))
		g_string_append(s, "应");
	for (i = 0; i < r->nranges; i++) {
		g_autofree char *t = range_text(r->key, &r->ranges[i]);

		g_string_append_printf(s, "%s%s", i > 0 ? "或" : "", t);
	}
	return g_string_free(s, FALSE);
}

static bool
in_ranges(const struct media_rule *r, uint64_t v)
{
	size_t i;

	for (i = 0; i < r->nranges; i++)
		if ((r->ranges[i].min < 0 || v >= (uint64_t)r->ranges[i].min) &&
		    (r->ranges[i].max < 0 || v <= (uint64_t)r->ranges[i].max))
			return true;
	return false;
}

/* "29.97", "25" */
static char *
fps_text(unsigned num, unsigned den)
{
	char *s;
	size_t n;

	if (den == 0)
		return g_strdup("?");
	if (num % den == 0)
		return g_strdup_printf("%u", num / den);
	s = g_strdup_printf("%.2f", (double)num / den);
	n = strlen(s);
	while (n > 0 && s[n - 1] == '0')
		s[--n] = '\0';
	if (n > 0 && s[n - 1] == '.')
		s[--n] = '\0';
	return s;
}

/* Within 1 % of each other. */
static bool
near(double a, double b)
{
	return a >= b * 0.99 && a <= b * 1.01;
}

static double
facts_aspect(const struct media_facts *f)
{
	double sar = f->sar_num > 0 && f->sar_den > 0 ?
	    (double)f->sar_num / f->sar_den : 1.0;

	return f->height > 0 ? f->width * sar / f->height : 0;
}

/* The shape of the picture: "16:9", "4:3", "9:16", or "1.85:1". */
static char *
aspect_text(double ratio)
{
	static const unsigned shapes[][2] = {
		{ 16, 9 }, { 4, 3 }, { 1, 1 }, { 9, 16 }, { 3, 4 }, { 21, 9 },
		{ 3, 2 }, { 2, 3 },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(shapes); i++)
		if (near(ratio, (double)shapes[i][0] / shapes[i][1]))
			return g_strdup_printf("%u:%u", shapes[i][0],
			    shapes[i][1]);
	return g_strdup_printf("%.2f:1", ratio);
}

/* ---- findings ---- */

static void
found(struct media_finding *out, size_t *n, const struct media_rule *r,
    char *text)
{
	static const char *const codes[MEDIA_KEYS] = {
		[MEDIA_DURATION] = "media-duration",
		[MEDIA_RESOLUTION] = "media-resolution",
		[MEDIA_ASPECT] = "media-aspect",
		[MEDIA_FPS] = "media-fps",
		[MEDIA_BITRATE] = "media-bitrate",
		[MEDIA_AUDIO] = "media-audio",
		[MEDIA_PIXELS] = "image-pixels",
		[MEDIA_COLORSPACE] = "image-colorspace",
		[MEDIA_DPI] = "image-dpi",
		[MEDIA_CHARACTERS] = "text-characters",
	};

	out[*n].code = codes[r->key];
	out[*n].severity = r->warn ? MEDIA_WARN : MEDIA_REJECT;
	out[*n].text = text;
	(*n)++;
}

static char *
check_duration(const struct media_rule *r, const struct media_facts *f,
    const char *what)
{
	g_autofree char *shown = NULL, *limit = NULL;
	unsigned d;

	if (f->duration_ms < 0 || in_ranges(r, (uint64_t)f->duration_ms))
		return NULL;
	d = decimals_over((uint64_t)f->duration_ms, 1000, 0, 3, r->ranges,
	    r->nranges);
	shown = mediarule_duration_text(f->duration_ms, d);
	limit = ranges_text(r, what);
	return g_strdup_printf("时长 %s，%s", shown, limit);
}

static char *
check_bitrate(const struct media_rule *r, const struct media_facts *f,
    const char *what)
{
	g_autofree char *shown = NULL, *limit = NULL;
	unsigned d;

	if (f->bitrate == 0 || in_ranges(r, f->bitrate))
		return NULL;
	d = f->bitrate >= 1000000 ? decimals_over(f->bitrate, 1000000, 1, 6,
	    r->ranges, r->nranges) : decimals_over(f->bitrate, 1000, 0, 3,
	    r->ranges, r->nranges);
	shown = bitrate_text(f->bitrate, d);
	limit = ranges_text(r, what);
	return g_strdup_printf("总码率 %s，%s", shown, limit);
}

static char *
check_resolution(const struct media_rule *r, const struct media_facts *f,
    const char *what)
{
	bool upright = f->height > f->width && r->a > r->b;

	if (f->width == 0 || f->height == 0 ||
	    (f->width == r->a && f->height == r->b))
		return NULL;
	return g_strdup_printf("分辨率 %u×%u%s，%s应为 %u×%u%s", f->width,
	    f->height, upright ? "（竖屏）" : "", what, r->a, r->b,
	    upright ? "（横屏）" : "");
}

static char *
check_aspect(const struct media_rule *r, const struct media_facts *f,
    const char *what)
{
	double ratio = facts_aspect(f);
	g_autofree char *shown = NULL;

	if (ratio <= 0 || near(ratio, (double)r->a / r->b))
		return NULL;
	shown = aspect_text(ratio);
	return g_strdup_printf("画面宽高比 %s%s，%s应为 %u:%u", shown,
	    ratio < 1 && r->a > r->b ? "（竖屏）" : "", what, r->a, r->b);
}

static char *
check_fps(const struct media_rule *r, const struct media_facts *f,
    const char *what)
{
	g_autofree char *shown = NULL, *want = NULL;

	if (f->fps_num == 0 || f->fps_den == 0 ||
	    near((double)f->fps_num / f->fps_den, (double)r->a / r->b))
		return NULL;
	shown = fps_text(f->fps_num, f->fps_den);
	want = fps_text(r->a, r->b);
	return g_strdup_printf("帧率 %s 帧/秒，%s应为 %s 帧/秒", shown, what,
	    want);
}

static char *
check_audio(const struct media_rule *r, const struct media_facts *f,
    const char *what)
{
	if (f->audio == r->yes)
		return NULL;
	return r->yes ? g_strdup_printf("没有声音（未检测到音轨），%s应带声音",
	    what) : g_strdup_printf("带有声音，%s应无声音", what);
}

/* Whether v is below the floor of every range: too short (or too slow)
 * for all of them, which asks for more, not for a cut. */
static bool
below_all(const struct media_rule *r, uint64_t v)
{
	size_t i;

	for (i = 0; i < r->nranges; i++)
		if (r->ranges[i].min < 0 || v >= (uint64_t)r->ranges[i].min)
			return false;
	return r->nranges > 0;
}

/* The picture's rule for this file, a refusing one first: a video file
 * with sound only meets none of them, and is told so once. */
static const struct media_rule *
picture_rule(const struct media_rule *rules, size_t n, const char *category,
    const char *mime)
{
	static const enum media_key keys[] = {
		MEDIA_RESOLUTION, MEDIA_ASPECT, MEDIA_FPS,
	};
	const struct media_rule *found_rule = NULL, *r;
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(keys); i++) {
		if ((r = rule_for(rules, n, keys[i], category, mime)) == NULL)
			continue;
		if (!r->warn)
			return r;
		if (found_rule == NULL)
			found_rule = r;
	}
	return found_rule;
}

/* "不少于 1000 字", "不多于 10000 字" (the side the count is past, as the
 * notices say it: “不少于1千字不多于1万字”), "不超过 2000 字"; several
 * alternatives: "应在 300 至 800 字之间或不少于 3000 字". */
static char *
characters_limit_text(const struct media_rule *r, int64_t v)
{
	GString *s;
	size_t i;

	if (r->nranges == 1) {
		const struct media_range *g = &r->ranges[0];

		if (g->min >= 0 && v < g->min)
			return g_strdup_printf("不少于 %" G_GINT64_FORMAT " 字",
			    g->min);
		return g_strdup_printf("%s %" G_GINT64_FORMAT " 字", g->min >= 0 ?
		    "不多于" : "不超过", g->max);
	}
	s = g_string_new("应");
	for (i = 0; i < r->nranges; i++) {
		const struct media_range *g = &r->ranges[i];

		if (i > 0)
			g_string_append(s, "或");
		if (g->min >= 0 && g->max >= 0)
			g_string_append_printf(s, "在 %" G_GINT64_FORMAT " 至 %"
			    G_GINT64_FORMAT " 字之间", g->min, g->max);
		else if (g->min >= 0)
			g_string_append_printf(s, "不少于 %" G_GINT64_FORMAT
			    " 字", g->min);
		else
			g_string_append_printf(s, "不超过 %" G_GINT64_FORMAT
			    " 字", g->max);
	}
	return g_string_free(s, FALSE);
}

/* "约 986 字（按 Word 字数统计方法），文字类一般不少于 1000 字": "约" and
 * the method, because Word's count and ours may differ by a few, and
 * the unit will check it in Word; "一般" where the notice hedges (warn). */
static char *
check_characters(const struct media_rule *r, const struct media_facts *f,
    const char *what)
{
	g_autofree char *limit = NULL;

	if (f->kind != FACTS_TEXT || f->text.state != TEXT_COUNTED ||
	    in_ranges(r, (uint64_t)f->text.characters))
		return NULL;
	limit = characters_limit_text(r, f->text.characters);
	return g_strdup_printf("约 %" G_GINT64_FORMAT " 字（按 Word 字数统计"
	    "方法），%s%s%s", f->text.characters, what, r->warn ? "一般" : "",
	    limit);
}

static char *
check_pixels(const struct media_rule *r, const struct media_facts *f,
    const char *what)
{
	bool under = f->image.width < r->a || f->image.height < r->b;
	bool over = f->image.width > r->a || f->image.height > r->b;

	if (r->upper ? !over : !under)
		return NULL;
	return g_strdup_printf("为 %u×%u 像素，%s要求%s %u×%u 像素",
	    f->image.width, f->image.height, what, r->upper ? "不大于" :
	    "不小于", r->a, r->b);
}

static char *
check_colorspace(const struct media_rule *r, const struct media_facts *f,
    const char *what)
{
	if (f->image.cmyk == r->yes)
		return NULL;
	/* A JPEG of four components is CMYK; every other picture is RGB
	 * (or grey, which prints as RGB does). */
	return g_strdup_printf("为 %s 色彩模式，%s要求 %s", f->image.cmyk ?
	    "CMYK" : "RGB", what, r->yes ? "CMYK" : "RGB");
}

static char *
check_dpi(const struct media_rule *r, const struct media_facts *f,
    const char *what)
{
	if (f->image.dpi == 0 || f->image.dpi >= r->a)
		return NULL;
	return g_strdup_printf("为 %u dpi，%s要求不低于 %u dpi", f->image.dpi,
	    what, r->a);
}

/* Whether the facts of f are of the kind key judges. */
static bool
facts_fit(enum media_key key, const struct media_facts *f)
{
	switch (key) {
	case MEDIA_PIXELS:
	case MEDIA_COLORSPACE:
	case MEDIA_DPI:
		return f->kind == FACTS_IMAGE && f->image.known;
	case MEDIA_CHARACTERS:
		return f->kind == FACTS_TEXT;
	case MEDIA_RESOLUTION:
	case MEDIA_ASPECT:
	case MEDIA_FPS:
		/* A picture's rules mean nothing to a sound file. */
		return f->kind == FACTS_AV && f->video;
	default:
		return f->kind == FACTS_AV;
	}
}

/* The one finding of a file not measured to the end, or NULL. */
static bool
eval_unmeasured(const struct media_facts *f, const char *mime,
    struct media_finding *out)
{
	static const char *const unread[] = {
		[TEXT_SCANNED] = "PDF 为扫描件，未能统计字数",
		[TEXT_OLD_FORMAT] = "该文档为 .doc 或 .wps 格式，未能统计字数，如需"
		    "核对请另存为 .docx",
		[TEXT_UNREADABLE] = "文档无法读取，未能统计字数",
	};
	const char *sort = mime != NULL && g_str_has_prefix(mime, "audio/") ?
	    "音频" : "视频";

	if (f->failed) {
		out[0] = (struct media_finding){ "inspect-failed", MEDIA_NOTE,
		    mediarule_text_mime(mime) ? g_strdup("未能统计文档字数") :
		    mime != NULL && g_str_has_prefix(mime, "image/") ?
		    g_strdup("未能检查图片的尺寸和色彩模式") :
		    g_strdup_printf("未能检查%s的时长等技术指标", sort) };
		return true;
	}
	if (f->kind == FACTS_TEXT && f->text.state != TEXT_COUNTED) {
		out[0] = (struct media_finding){ "characters-unknown",
		    MEDIA_NOTE, g_strdup(unread[f->text.state]) };
		return true;
	}
	if (mime_is_media(mime) && f->truncated && f->expected_size > 0) {
		/* Floored: a file 99.9 % there is still not whole. */
		unsigned pct = (unsigned)(f->size * 100 / f->expected_size);

		out[0] = (struct media_finding){ "media-incomplete",
		    MEDIA_REJECT, pct > 0 ? g_strdup_printf("%s文件不完整（只有"
		    "应有大小的 %u%%），可能上传或下载时中断", sort, pct) :
		    g_strdup_printf("%s文件不完整（不到应有大小的 1%%），可能上传"
		    "或下载时中断", sort) };
		return true;
	}
	if (mime_is_media(mime) && !f->readable) {
		out[0] = (struct media_finding){ "media-unreadable",
		    MEDIA_REJECT, g_strdup_printf("无法读取%s信息，可能上传不完整",
		    sort) };
		return true;
	}
	return false;
}

size_t
mediarule_eval(const struct media_rule *rules, size_t n,
    const char *category, const char *what, const char *mime,
    const struct media_facts *f, struct media_finding *out)
{
	static char *(*const checks[MEDIA_KEYS])(const struct media_rule *,
	    const struct media_facts *, const char *) = {
		[MEDIA_DURATION] = check_duration,
		[MEDIA_RESOLUTION] = check_resolution,
		[MEDIA_ASPECT] = check_aspect,
		[MEDIA_FPS] = check_fps,
		[MEDIA_BITRATE] = check_bitrate,
		[MEDIA_AUDIO] = check_audio,
		[MEDIA_PIXELS] = check_pixels,
		[MEDIA_COLORSPACE] = check_colorspace,
		[MEDIA_DPI] = check_dpi,
		[MEDIA_CHARACTERS] = check_characters,
	};
	size_t count = 0;
	int k;

	if (f == NULL || !mediarule_wants(rules, n, category, mime))
		return 0;
	if (eval_unmeasured(f, mime, out))
		return 1;
	/* A video file with sound and no picture (an MP4 of the narration
	 * alone) cannot be the video asked for. */
	if (f->kind == FACTS_AV && !f->video &&
	    !(mime != NULL && g_str_has_prefix(mime, "audio/"))) {
		const struct media_rule *r = picture_rule(rules, n, category,
		    mime);

		if (r != NULL)
			out[count++] = (struct media_finding){ "media-no-video",
			    r->warn ? MEDIA_WARN : MEDIA_REJECT,
			    g_strdup_printf("只有声音，没有画面，%s应为视频", what) };
	}
	for (k = 0; k < MEDIA_KEYS; k++) {
		const struct media_rule *r = rule_for(rules, n,
		    (enum media_key)k, category, mime);
		char *text;

		if (r == NULL || !facts_fit((enum media_key)k, f))
			continue;
		if ((text = checks[k](r, f, what)) == NULL)
			continue;
		found(out, &count, r, text);
		if (k == MEDIA_DURATION &&
		    below_all(r, (uint64_t)f->duration_ms))
			out[count - 1].code = "media-too-short";
	}
	return count;
}

void
mediarule_findings_clear(struct media_finding *out, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		g_clear_pointer(&out[i].text, g_free);
}

/* "压缩包，3 个文件，解压后 1.2 MB，文件名为 GBK 编码". */
static char *
archive_facts_text(const struct media_facts *f)
{
	const struct archive_facts *a = f->archive;
	g_autofree char *size = NULL, *over = NULL;

	if (a == NULL || !a->opened || *a->error != '\0')
		return g_strdup_printf("压缩包无法打开（%s）", f->error);
	size = textcell_human_size(a->expanded);
	over = archivelist_over_text(a);
	return g_strdup_printf("压缩包，%zu 个文件，解压后 %s%s%s%s%s", a->count,
	    size, strcmp(a->charset, "UTF-8") != 0 ? "，文件名为 " : "",
	    strcmp(a->charset, "GB18030") == 0 ? "GBK 编码" :
	    strcmp(a->charset, "CP437") == 0 ? "西文 DOS 编码" : "",
	    a->encrypted ? "，有密码" : "", over != NULL ? "，超过限制" : "");
}

/* "3000×2000 像素，CMYK，300 dpi", "约 986 字（PDF 3 页）". */
static char *
other_facts_text(const struct media_facts *f)
{
	if (f->kind == FACTS_IMAGE && !f->image.known)
		return g_strdup("未能读出图片尺寸");
	if (f->kind == FACTS_IMAGE && f->image.dpi > 0)
		return g_strdup_printf("%u×%u 像素，%s，%u dpi",
		    f->image.width, f->image.height, f->image.cmyk ? "CMYK" :
		    "RGB", f->image.dpi);
	if (f->kind == FACTS_IMAGE)
		return g_strdup_printf("%u×%u 像素，%s", f->image.width,
		    f->image.height, f->image.cmyk ? "CMYK" : "RGB");
	switch (f->text.state) {
	case TEXT_SCANNED:
		return g_strdup_printf("PDF %u 页，无文字层（扫描件）",
		    f->text.pages);
	case TEXT_OLD_FORMAT:
		return g_strdup(".doc/.wps 格式，未统计字数");
	case TEXT_UNREADABLE:
		return g_strdup_printf("无法读取（%s）", f->error);
	case TEXT_COUNTED:
	default:
		break;
	}
	return g_strdup_printf("约 %" G_GINT64_FORMAT " 字%s",
	    f->text.characters, f->text.cut ? "以上（只统计到上限）" : "");
}

char *
mediarule_facts_text(const struct media_facts *f)
{
	GString *s;

	if (f->failed)
		return g_strdup_printf("未能检查（%s）", f->error);
	if (f->kind == FACTS_ARCHIVE)
		return archive_facts_text(f);
	if (f->kind != FACTS_AV)
		return other_facts_text(f);
	if (!f->readable)
		return g_strdup_printf("无法读取（%s）", f->error);
	if (f->truncated)
		return g_strdup_printf("不完整（%s）", f->error);
	s = g_string_new(NULL);
	if (f->duration_ms >= 0) {
		g_autofree char *d = mediarule_duration_text(f->duration_ms, 0);

		g_string_append_printf(s, "时长 %s", d);
	}
	if (f->video && f->width > 0) {
		g_autofree char *shape = aspect_text(facts_aspect(f));

		g_string_append_printf(s, "%s%u×%u（%s%s）", s->len ? "，" : "",
		    f->width, f->height, shape, f->height > f->width ?
		    "，竖屏" : "");
	}
	if (f->video && f->fps_den > 0) {
		g_autofree char *fps = fps_text(f->fps_num, f->fps_den);

		g_string_append_printf(s, "%s%s 帧/秒", s->len ? "，" : "", fps);
	}
	if (f->bitrate > 0) {
		g_autofree char *b = bitrate_text(f->bitrate, 1);

		g_string_append_printf(s, "%s总码率 %s", s->len ? "，" : "", b);
	}
	g_string_append_printf(s, "%s%s", s->len ? "，" : "", f->audio ?
	    "有声音" : "无声音");
	return g_string_free(s, FALSE);
}
