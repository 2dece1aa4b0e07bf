/*
 * test-tnef: the winmail-*.tnef streams of tests/corpus/unit/ (made by
 * make-corpus.py), a few streams built here, and truncated and bit-flipped
 * copies that must fail or parse cleanly, never crash.  Run from the top
 * of the repository.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include <glib.h>

#include "mail_limits.h"
#include "tnef.h"
#include "test.h"

#define CORPUS	"tests/corpus/unit/"

struct expect_file {
	const char *long_name;		/* NULL: none expected */
	const char *title;
	size_t size;
	const char *sha256;
};

struct expect_tnef {
	const char *file;
	int ok;
	size_t files;
	int unextracted;
	struct expect_file f[2];
};

static const struct expect_tnef streams[] = {
	{ "winmail-outlook.tnef", 1, 2, 0, {
		    { NULL, "报名表.docx", 5000,
		      "5ca87ea1d05cb32e0aa119080becac38512428f11e377ac1c409c362203c89a2" },
		    { "作品𠀀-微视频.mp4", "ZUOPIN~1.MP4", 20000,
		      "cc5327164d2ed1a5dab98b66909b3fbaf8609cd027cd760f68c9f9f82cb26360" },
	} },
	{ "winmail-embedded.tnef", 1, 2, 1, {
		    { "附件说明.pdf", "FUJIAN~1.PDF", 3000,
		      "5e1973910a04e5e99dd87f20076f9bd2f0e352dde5365ceb5fbc41ac87150320" },
		    { NULL, NULL, 700,
		      "236cbb5944564c89d149f130c432f20808d5f0f6369159c1831424585577fd44" },
	} },
	{ "winmail-empty.tnef", 1, 0, 0, { { NULL, NULL, 0, NULL } } },
	{ "winmail-truncated.tnef", 0, 0, 0, { { NULL, NULL, 0, NULL } } },
};

static char *
test_name(const char *file, const char *what)
{
	static char buf[256];

	g_snprintf(buf, sizeof(buf), "tnef %s %s", file, what);
	return buf;
}

static gboolean
str_equal_or_null(const char *got, const char *want)
{
	if (got == NULL || want == NULL)
		return got == want;
	return strcmp(got, want) == 0;
}

static void
test_stream(const struct expect_tnef *e)
{
	char *path = g_strconcat(CORPUS, e->file, NULL), *contents = NULL;
	char *error = NULL;
	gsize len = 0;
	struct tnef *t = NULL;
	GBytes *bytes;
	size_t i;
	int ret;

	if (!g_file_get_contents(path, &contents, &len, NULL)) {
		TEST_CHECK(test_name(e->file, "readable"), 0);
		g_free(path);
		return;
	}
	bytes = g_bytes_new_take(contents, len);
	ret = tnef_parse(bytes, NULL, &t, &error);
	if (!e->ok) {
		TEST_CHECK(test_name(e->file, "rejected"),
		    ret < 0 && t == NULL && error != NULL);
		g_free(error);
		g_bytes_unref(bytes);
		g_free(path);
		return;
	}
	TEST_CHECK(test_name(e->file, "parses"), ret == 0 && t != NULL);
	if (ret < 0) {
		printf("# %s\n", error);
		g_free(error);
		g_bytes_unref(bytes);
		g_free(path);
		return;
	}
	TEST_CHECK(test_name(e->file, "file count"),
	    tnef_file_count(t) == e->files);
	TEST_CHECK(test_name(e->file, "unextracted"),
	    tnef_has_unextracted(t) == e->unextracted);
	for (i = 0; i < e->files && i < tnef_file_count(t); i++) {
		const struct expect_file *f = &e->f[i];
		GBytes *data = tnef_file_offset(t, i) + tnef_file_size(t, i) <=
		    len ? g_bytes_new_from_bytes(bytes,
		    (gsize)tnef_file_offset(t, i), (gsize)tnef_file_size(t, i)) :
		    g_bytes_new(NULL, 0);
		char what[64], *sha;

		g_snprintf(what, sizeof(what), "[%zu] long name", i);
		TEST_CHECK(test_name(e->file, what),
		    str_equal_or_null(tnef_file_long_name(t, i), f->long_name));
		g_snprintf(what, sizeof(what), "[%zu] title", i);
		TEST_CHECK(test_name(e->file, what),
		    str_equal_or_null(tnef_file_title(t, i), f->title));
		g_snprintf(what, sizeof(what), "[%zu] size", i);
		TEST_CHECK(test_name(e->file, what),
		    g_bytes_get_size(data) == f->size);
		sha = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, data);
		g_snprintf(what, sizeof(what), "[%zu] sha256", i);
		TEST_CHECK_STR(test_name(e->file, what), sha, f->sha256);
		g_free(sha);
		g_bytes_unref(data);
	}
	g_bytes_unref(bytes);
	tnef_free(&t);
	TEST_CHECK(test_name(e->file, "free nulls"), t == NULL);
	tnef_free(&t);
	g_free(path);
}

/* ---- streams built here ---- */

static void
put_le32(GByteArray *s, guint32 v)
{
	guint8 b[4] = { v & 0xFF, (v >> 8) & 0xFF, (v >> 16) & 0xFF, v >> 24 };

	g_byte_array_append(s, b, 4);
}

static GByteArray *
stream_new(guint32 codepage)
{
	GByteArray *s = g_byte_array_new();
	guint8 cp[8] = { 0 };

	put_le32(s, 0x223E9F78);
	g_byte_array_append(s, (const guint8 *)"\x01\x00", 2);
	cp[0] = codepage & 0xFF;
	cp[1] = (codepage >> 8) & 0xFF;
	/* attOemCodepage */
	g_byte_array_append(s, (const guint8 *)"\x01", 1);
	put_le32(s, 0x00069007);
	put_le32(s, 8);
	g_byte_array_append(s, cp, 8);
	g_byte_array_append(s, (const guint8 *)"\x00\x00", 2);
	s->data[s->len - 2] = (cp[0] + cp[1]) & 0xFF;
	s->data[s->len - 1] = (cp[0] + cp[1]) >> 8;
	return s;
}

static void
put_attr(GByteArray *s, guint8 level, guint32 id, const void *data, gsize len)
{
	const guint8 *p = data;
	guint32 sum = 0;
	guint8 check[2];
	gsize i;

	for (i = 0; i < len; i++)
		sum += p[i];
	check[0] = sum & 0xFF;
	check[1] = (sum >> 8) & 0xFF;
	g_byte_array_append(s, &level, 1);
	put_le32(s, id);
	put_le32(s, (guint32)len);
	g_byte_array_append(s, p, (guint)len);
	g_byte_array_append(s, check, 2);
}

static void
put_renddata(GByteArray *s)
{
	static const guint8 renddata[14] = { 1, 0, 0xFF, 0xFF, 0xFF, 0xFF,
	    32, 0, 32, 0 };

	put_attr(s, 2, 0x00069002, renddata, sizeof(renddata));
}

/* MAPI properties holding one PT_UNICODE PR_ATTACH_LONG_FILENAME. */
static void
put_long_name_utf16(GByteArray *s, const guint8 *utf16, guint32 len)
{
	GByteArray *props = g_byte_array_new();
	static const guint8 pad[4] = { 0 };

	put_le32(props, 1);
	put_le32(props, 0x3707u << 16 | 0x001F);
	put_le32(props, 1);
	put_le32(props, len);
	g_byte_array_append(props, utf16, len);
	g_byte_array_append(props, pad, (4 - len % 4) % 4);
	put_attr(s, 2, 0x00069005, props->data, props->len);
	g_byte_array_free(props, TRUE);
}

static struct tnef *
parse_array(GByteArray *s)
{
	GBytes *bytes = g_bytes_new(s->data, s->len);
	struct tnef *t = NULL;
	char *error = NULL;

	if (tnef_parse(bytes, NULL, &t, &error) < 0)
		g_free(error);
	g_bytes_unref(bytes);
	return t;
}

/* libytnef reports what it rejects on stdout: keep it off the test
 * output while damage is fed to it. */
static int
quiet_begin(void)
{
	int saved, devnull;

	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	devnull = open("/dev/null", O_WRONLY);
	if (saved >= 0 && devnull >= 0)
		dup2(devnull, STDOUT_FILENO);
	if (devnull >= 0)
		close(devnull);
	return saved;
}

static void
quiet_end(int saved)
{
	fflush(stdout);
	if (saved >= 0) {
		dup2(saved, STDOUT_FILENO);
		close(saved);
	}
}

static void
test_built(void)
{
	GByteArray *s;
	struct tnef *t;
	/* "報名表.doc" in Big5 */
	static const guint8 big5[] = { 0xB3, 0xF8, 0xA6, 0x57, 0xAA, 0xED,
	    '.', 'd', 'o', 'c', 0 };
	/* 'a', an unpaired high surrogate, ".txt" */
	static const guint8 lone[] = { 'a', 0, 0x00, 0xD8, '.', 0, 't', 0,
	    'x', 0, 't', 0, 0, 0 };
	int saved;

	/* A code page 950 title is Big5. */
	s = stream_new(950);
	put_renddata(s);
	put_attr(s, 2, 0x0006800F, "data", 4);
	put_attr(s, 2, 0x00018010, big5, sizeof(big5));
	t = parse_array(s);
	TEST_CHECK("tnef cp950 title parses", t != NULL && tnef_file_count(t) == 1);
	if (t != NULL && tnef_file_count(t) == 1)
		TEST_CHECK_STR("tnef cp950 title", tnef_file_title(t, 0),
		    "報名表.doc");
	tnef_free(&t);
	g_byte_array_free(s, TRUE);

	/* No code page attribute: GBK assumed. */
	s = g_byte_array_new();
	put_le32(s, 0x223E9F78);
	g_byte_array_append(s, (const guint8 *)"\x00\x00", 2);
	put_renddata(s);
	put_attr(s, 2, 0x0006800F, "x", 1);
	put_attr(s, 2, 0x00018010, "\xD7\xF7\xC6\xB7.mp4", 8);
	t = parse_array(s);
	TEST_CHECK("tnef no code page parses",
	    t != NULL && tnef_file_count(t) == 1);
	if (t != NULL && tnef_file_count(t) == 1)
		TEST_CHECK_STR("tnef no code page reads GBK",
		    tnef_file_title(t, 0), "作品.mp4");
	tnef_free(&t);
	g_byte_array_free(s, TRUE);

	/* An unpaired surrogate: still valid UTF-8 out. */
	s = stream_new(936);
	put_renddata(s);
	put_attr(s, 2, 0x0006800F, "data", 4);
	put_long_name_utf16(s, lone, sizeof(lone));
	t = parse_array(s);
	TEST_CHECK("tnef lone surrogate parses",
	    t != NULL && tnef_file_count(t) == 1);
	if (t != NULL && tnef_file_count(t) == 1)
		TEST_CHECK("tnef lone surrogate valid utf-8",
		    tnef_file_long_name(t, 0) != NULL &&
		    g_utf8_validate(tnef_file_long_name(t, 0), -1, NULL));
	tnef_free(&t);
	g_byte_array_free(s, TRUE);

	/* Attachment attributes before any attachment starts: kept. */
	s = stream_new(936);
	put_attr(s, 2, 0x0006800F, "orphan", 6);
	put_renddata(s);
	put_attr(s, 2, 0x0006800F, "data", 4);
	t = parse_array(s);
	TEST_CHECK("tnef stray attribute parses",
	    t != NULL && tnef_file_count(t) == 1 && tnef_has_unextracted(t));
	tnef_free(&t);
	g_byte_array_free(s, TRUE);

	/* Corrupt MAPI properties behind a good checksum: that attachment
	 * is not listed, the next one is. */
	s = stream_new(936);
	put_renddata(s);
	put_attr(s, 2, 0x0006800F, "first", 5);
	put_attr(s, 2, 0x00069005, "\x05\x00\x00\x00\xFF\xFF", 6);
	put_renddata(s);
	put_attr(s, 2, 0x0006800F, "second", 6);
	saved = quiet_begin();
	t = parse_array(s);
	quiet_end(saved);
	TEST_CHECK("tnef bad properties isolated",
	    t != NULL && tnef_file_count(t) == 1 && tnef_has_unextracted(t) &&
	    tnef_file_size(t, 0) == 6);
	tnef_free(&t);
	g_byte_array_free(s, TRUE);

	/* A bad checksum anywhere rejects the stream. */
	s = stream_new(936);
	put_renddata(s);
	put_attr(s, 2, 0x0006800F, "data", 4);
	s->data[s->len - 1] ^= 1;
	t = parse_array(s);
	TEST_CHECK("tnef bad checksum rejected", t == NULL);
	g_byte_array_free(s, TRUE);
}

static void
test_rejects(void)
{
	struct tnef *t = NULL;
	char *error = NULL;
	GBytes *bytes;
	gsize big = (gsize)LIMIT_TNEF_BYTES + 1;

	bytes = g_bytes_new_static("", 0);
	TEST_CHECK("tnef empty rejected",
	    tnef_parse(bytes, NULL, &t, &error) < 0 && t == NULL &&
	    error != NULL);
	g_free(error);
	error = NULL;
	g_bytes_unref(bytes);

	bytes = g_bytes_new_static("hello, this is not TNEF", 23);
	TEST_CHECK("tnef plain text rejected",
	    tnef_parse(bytes, NULL, &t, &error) < 0 && error != NULL);
	g_free(error);
	error = NULL;
	g_bytes_unref(bytes);

	/* Over LIMIT_TNEF_BYTES: rejected before anything is read. */
	bytes = g_bytes_new_take(g_malloc0(big), big);
	TEST_CHECK("tnef over limit rejected",
	    tnef_parse(bytes, NULL, &t, &error) < 0 && error != NULL);
	g_free(error);
	g_bytes_unref(bytes);
}

/* Recompute every checksum a framing walk can reach, so corruption gets
 * past the framing into libytnef's property parser. */
static void
checksums_fix(guint8 *p, gsize size)
{
	gsize off = 6;

	while (off + 9 <= size) {
		guint32 len = (guint32)p[off + 5] | (guint32)p[off + 6] << 8 |
		    (guint32)p[off + 7] << 16 | (guint32)p[off + 8] << 24;
		guint32 sum = 0;
		gsize i;

		if (len > size - off - 9 || size - off - 9 - len < 2)
			return;
		for (i = 0; i < len; i++)
			sum += p[off + 9 + i];
		p[off + 9 + len] = sum & 0xFF;
		p[off + 9 + len + 1] = (sum >> 8) & 0xFF;
		off += 9 + len + 2;
	}
}

/* 1 when a parse of these bytes either failed cleanly or gave sane
 * results. */
static int
parse_sane(const guint8 *p, gsize size)
{
	GBytes *bytes = g_bytes_new(p, size);
	struct tnef *t = NULL;
	char *error = NULL;
	gsize total = 0;
	size_t i;
	int ok = 1;

	if (tnef_parse(bytes, NULL, &t, &error) < 0) {
		ok = t == NULL && error != NULL;
		g_free(error);
		g_bytes_unref(bytes);
		return ok;
	}
	for (i = 0; i < tnef_file_count(t); i++) {
		const char *n = tnef_file_long_name(t, i);
		const char *title = tnef_file_title(t, i);

		if ((n != NULL && !g_utf8_validate(n, -1, NULL)) ||
		    (title != NULL && !g_utf8_validate(title, -1, NULL)))
			ok = 0;
		if (tnef_file_offset(t, i) + tnef_file_size(t, i) > size)
			ok = 0;
		total += tnef_file_size(t, i);
	}
	if (total > size)
		ok = 0;
	tnef_free(&t);
	g_bytes_unref(bytes);
	return ok;
}

static void
test_damage(void)
{
	char *outlook = NULL, *embedded = NULL;
	gsize outlook_len = 0, embedded_len = 0, i;
	int truncated_bad = 0, flipped_bad = 0, mapi_bad = 0, saved;

	if (!g_file_get_contents(CORPUS "winmail-outlook.tnef", &outlook,
	    &outlook_len, NULL) ||
	    !g_file_get_contents(CORPUS "winmail-embedded.tnef", &embedded,
	    &embedded_len, NULL)) {
		TEST_CHECK("tnef damage corpus readable", 0);
		g_free(outlook);
		g_free(embedded);
		return;
	}
	saved = quiet_begin();
	for (i = 0; i < embedded_len; i++) {
		if (!parse_sane((const guint8 *)embedded, i))
			truncated_bad++;
	}
	for (i = 0; i < outlook_len; i += 97) {
		if (!parse_sane((const guint8 *)outlook, i))
			truncated_bad++;
	}
	for (i = 0; i < embedded_len; i++) {
		guint8 *copy = g_memdup2(embedded, embedded_len);

		copy[i] ^= (guint8)(1u << (i % 8));
		if (!parse_sane(copy, embedded_len))
			flipped_bad++;
		checksums_fix(copy, embedded_len);
		if (!parse_sane(copy, embedded_len))
			mapi_bad++;
		/* And a whole byte of garbage behind good checksums. */
		copy[i] ^= 0xA5;
		checksums_fix(copy, embedded_len);
		if (!parse_sane(copy, embedded_len))
			mapi_bad++;
		g_free(copy);
	}

	quiet_end(saved);
	TEST_CHECK("tnef every truncation fails or parses sanely",
	    truncated_bad == 0);
	TEST_CHECK("tnef bit flips fail or parse sanely", flipped_bad == 0);
	TEST_CHECK("tnef corrupt properties fail or parse sanely",
	    mapi_bad == 0);
	g_free(outlook);
	g_free(embedded);
}

/* The reader fed a byte, or seven, at a time finds what it finds in one
 * piece: a winmail.dat arrives as the MIME decoder hands it out. */
static void
test_pieces(const struct expect_tnef *e)
{
	static const size_t steps[] = { 1, 7, 4096 };
	char *path = g_strconcat(CORPUS, e->file, NULL), *contents = NULL;
	gsize len = 0;
	size_t k;

	if (!g_file_get_contents(path, &contents, &len, NULL)) {
		TEST_CHECK(test_name(e->file, "readable"), 0);
		g_free(path);
		return;
	}
	for (k = 0; k < G_N_ELEMENTS(steps); k++) {
		struct tnef_reader *r = tnef_reader_new(NULL);
		struct tnef *t = NULL;
		char *error = NULL, what[64];
		gsize off = 0;
		int ret = 0, same;
		size_t i;

		while (off < len && ret == 0) {
			size_t n = MIN(steps[k], len - off);

			ret = tnef_reader_feed(r, contents + off, n, &error);
			off += n;
		}
		if (ret == 0)
			ret = tnef_reader_finish(&r, &t, &error);
		tnef_reader_free(&r);
		g_snprintf(what, sizeof(what), "in pieces of %zu", steps[k]);
		same = (ret == 0) == e->ok && (t == NULL ||
		    (tnef_file_count(t) == e->files &&
		    tnef_has_unextracted(t) == e->unextracted));
		for (i = 0; same && t != NULL && i < e->files; i++)
			same = tnef_file_size(t, i) == e->f[i].size &&
			    str_equal_or_null(tnef_file_long_name(t, i),
			    e->f[i].long_name) &&
			    str_equal_or_null(tnef_file_title(t, i),
			    e->f[i].title);
		TEST_CHECK(test_name(e->file, what), same);
		tnef_free(&t);
		g_free(error);
	}
	g_free(contents);
	g_free(path);
}

int
main(void)
{
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(streams); i++) {
		test_stream(&streams[i]);
		test_pieces(&streams[i]);
	}
	test_built();
	test_rejects();
	test_damage();
	return TEST_EXIT();
}
