/*
 * test-mime-scan: the scan of a message's raw bytes against the MIME
 * limits, before GMime parses it.  A table of small messages with the
 * leaf parts GMime makes of them and the limit (and cut) each must give,
 * each fed whole, a byte at a time and in odd chunks (the result must not
 * depend on how the bytes arrive); then the messages the scan exists for:
 * a hundred thousand parts, a thousand levels, a huge header, parsed
 * through the message module with the limit reached without the tree.
 */
#include <string.h>

#include <glib.h>
#include <gmime/gmime.h>

#include "mail_limits.h"
#include "message.h"
#include "mime_scan.h"
#include "test.h"

struct scan_case {
	const char *name;
	const char *text;
	struct mail_limits limits;
	unsigned leaves;		/* counted when no limit is hit */
	const char *limit;		/* substring of the reason, or NULL */
	const char *cut_at;		/* the cut is where this first occurs */
	int in_headers;
};

#define TOP "From: a@example.cn\r\nSubject: s\r\n"
#define MIXED(b) TOP "Content-Type: multipart/mixed; boundary=\"" b "\"\r\n\r\n"

static const struct scan_case cases[] = {
	{ "single part", TOP "\r\nbody\r\n", { 0 }, 1, NULL, NULL, 0 },
	{ "headers only, no line end", TOP "X-Last: 1", { 0 }, 1, NULL, NULL,
	    0 },
	{ "three parts",
	    MIXED("b") "pre\r\n--b\r\n\r\none\r\n--b\r\nContent-Type: "
	    "text/plain\r\n\r\ntwo\r\n--b\r\n\r\nthree\r\n--b--\r\nepi\r\n",
	    { 0 }, 3, NULL, NULL, 0 },
	{ "LF line ends",
	    "From: a@example.cn\nContent-Type: multipart/mixed; boundary=b\n"
	    "\n--b\n\none\n--b\n\ntwo\n--b--\n", { 0 }, 2, NULL, NULL, 0 },
	{ "boundary with trailing blanks, not with text",
	    MIXED("b") "--b \t\r\n\r\none\r\n--bx\r\n--b z\r\n--b--\r\n",
	    { 0 }, 1, NULL, NULL, 0 },
	{ "nested multipart, parent boundary closes the inner",
	    MIXED("outer") "--outer\r\nContent-Type: multipart/alternative;"
	    " boundary=inner\r\n\r\n--inner\r\n\r\na\r\n--inner\r\n\r\nb\r\n"
	    "--outer\r\n\r\nc\r\n--outer--\r\n", { 0 }, 3, NULL, NULL, 0 },
	{ "folded Content-Type",
	    TOP "Content-Type: multipart/mixed;\r\n\tboundary=\"f\"\r\n\r\n"
	    "--f\r\n\r\n1\r\n--f\r\n\r\n2\r\n--f--\r\n", { 0 }, 2, NULL, NULL,
	    0 },
	{ "last Content-Type decides",
	    TOP "Content-Type: text/plain\r\nContent-Type: multipart/mixed; "
	    "boundary=z\r\n\r\n--z\r\n\r\n1\r\n--z\r\n\r\n2\r\n--z--\r\n",
	    { 0 }, 2, NULL, NULL, 0 },
	{ "multipart without boundary is one preamble",
	    TOP "Content-Type: multipart/mixed\r\n\r\n--b\r\n\r\nx\r\n",
	    { 0 }, 0, NULL, NULL, 0 },
	{ "a boundary with no header line makes no part",
	    MIXED("b") "--b\r\n--b\r\n--b\r\n\r\nx\r\n--b--\r\n", { 0 }, 1,
	    NULL, NULL, 0 },
	{ "a boundary ending a multipart's header is its own first",
	    TOP "Content-Type: multipart/mixed; boundary=\"same\"\r\n\r\n"
	    "--same\r\nContent-Type: multipart/mixed; boundary=\"same\"\r\n"
	    "--same--\r\n--same\r\n\r\nx\r\n", { 0 }, 1, NULL, NULL, 0 },
	{ "a CR inside the boundary parameter is dropped, as GMime drops it",
	    TOP "Content-Type: multipart/mixed; boundary=\"a\rb\"\r\n\r\n"
	    "--ab\r\n\r\nx\r\n--ab--\r\n", { 0 }, 1, NULL, NULL, 0 },
	{ "forwarded message walked into",
	    MIXED("b") "--b\r\nContent-Type: message/rfc822\r\n\r\nFrom: "
	    "c@example.cn\r\nContent-Type: multipart/mixed; boundary=c\r\n"
	    "\r\n--c\r\n\r\n1\r\n--c\r\n\r\n2\r\n--c--\r\n--b--\r\n", { 0 }, 2,
	    NULL, NULL, 0 },
	{ "base64 message/rfc822 is a leaf",
	    MIXED("b") "--b\r\nContent-Type: message/rfc822\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\nRnJvbTogeA==\r\n"
	    "--b--\r\n", { 0 }, 1, NULL, NULL, 0 },
	{ "digest parts are messages",
	    TOP "Content-Type: multipart/digest; boundary=d\r\n\r\n--d\r\n"
	    "\r\nFrom: x@example.cn\r\nContent-Type: multipart/mixed; "
	    "boundary=e\r\n\r\n--e\r\n\r\n1\r\n--e\r\n\r\n2\r\n--e--\r\n"
	    "--d--\r\n", { 0 }, 2, NULL, NULL, 0 },
	{ "parts limit cuts before the part over it",
	    MIXED("b") "--b\r\n\r\n1\r\n--b\r\n\r\n2\r\n--b\r\n\r\n3\r\n"
	    "--b\r\nX-Four: 4\r\n\r\n4\r\n--b--\r\n", { .mime_parts = 3 }, 0,
	    "too many MIME parts", "--b\r\nX-Four", 0 },
	{ "depth limit cuts before the part too deep",
	    MIXED("1") "--1\r\nContent-Type: multipart/mixed; boundary=2\r\n"
	    "\r\n--2\r\nContent-Type: multipart/mixed; boundary=3\r\n\r\n"
	    "--3\r\n\r\ndeep\r\n--3--\r\n--2--\r\n--1--\r\n",
	    { .mime_depth = 2 }, 0, "MIME nesting too deep",
	    "--3\r\n\r\ndeep", 0 },
	{ "depth counts forwarded messages",
	    TOP "Content-Type: message/rfc822\r\n\r\nFrom: b@example.cn\r\n"
	    "Content-Type: message/rfc822\r\n\r\nFrom: c@example.cn\r\n\r\n"
	    "innermost\r\n", { .mime_depth = 1 }, 0, "MIME nesting too deep",
	    "From: c@", 0 },
	{ "header bytes of the message's own block",
	    TOP "X-Big: 0123456789012345678901234567890123456789\r\n\r\nx\r\n",
	    { .header_bytes = 40 }, 0, "header bytes over limit", "X-Big",
	    1 },
	{ "header bytes of a part",
	    MIXED("b") "--b\r\nX-Part: 0123456789012345678901234567890123"
	    "456789\r\n\r\nx\r\n--b--\r\n", { .header_bytes = 120 }, 0,
	    "header bytes over limit", "X-Part", 0 },
	{ "header fields",
	    TOP "A: 1\r\nB: 2\r\nC: 3\r\n\r\nx\r\n", { .header_fields = 4 }, 0,
	    "too many header fields", "C: 3", 1 },
	{ "folded lines are no new fields",
	    TOP "A: 1\r\n 2\r\n 3\r\n\r\nx\r\n", { .header_fields = 3 }, 1,
	    NULL, NULL, 0 },
	{ "preamble bytes",
	    MIXED("b") "0123456789\r\n0123456789\r\n--b\r\n\r\nx\r\n--b--\r\n",
	    { .preamble_bytes = 20 }, 0, "preamble or epilogue", "0123456789"
	    "\r\n--b", 0 },
	{ "epilogue bytes",
	    MIXED("b") "--b\r\n\r\nx\r\n--b--\r\naaaaaaaaaa\r\nbbbbbbbbbb\r\n",
	    { .preamble_bytes = 20 }, 0, "preamble or epilogue", "bbbbbbbbbb",
	    0 },
	{ "part content is not preamble",
	    MIXED("b") "--b\r\n\r\n0123456789\r\n0123456789\r\n--b--\r\n",
	    { .preamble_bytes = 20 }, 1, NULL, NULL, 0 },
};

/* Leaves of GMime's own tree, walking into forwarded messages: what the
 * scan claims to predict. */
static unsigned
gmime_leaves(GMimeObject *obj)
{
	unsigned n = 0;
	int i;

	if (obj == NULL)
		return 0;
	if (GMIME_IS_MULTIPART(obj)) {
		for (i = 0; i < g_mime_multipart_get_count(GMIME_MULTIPART(obj));
		    i++)
			n += gmime_leaves(g_mime_multipart_get_part(
			    GMIME_MULTIPART(obj), i));
		return n;
	}
	if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *inner = g_mime_message_part_get_message(
		    GMIME_MESSAGE_PART(obj));

		return inner ? gmime_leaves(g_mime_message_get_mime_part(inner)) :
		    0;
	}
	return 1;
}

static void
scan_case_gmime(const struct scan_case *c)
{
	GMimeStream *stream = g_mime_stream_mem_new_with_buffer(c->text,
	    strlen(c->text));
	GMimeParser *parser = g_mime_parser_new_with_stream(stream);
	GMimeMessage *mime = g_mime_parser_construct_message(parser, NULL);
	char name[256];
	unsigned got = mime ? gmime_leaves(g_mime_message_get_mime_part(mime)) :
	    0;

	g_snprintf(name, sizeof(name), "mime scan %s (as GMime counts)",
	    c->name);
	TEST_CHECK(name, got == c->leaves);
	if (got != c->leaves)
		printf("  GMime made %u leaves\n", got);
	if (mime != NULL)
		g_object_unref(mime);
	g_object_unref(parser);
	g_object_unref(stream);
}

/* One case fed in pieces of step bytes (0: whole). */
static void
scan_case_run(const struct scan_case *c, size_t step, const char *how)
{
	struct mime_scan *scan = mime_scan_new(&c->limits, NULL);
	size_t len = strlen(c->text), off = 0;
	char name[256];
	const char *limit;

	while (off < len) {
		size_t n = step == 0 ? len : MIN(step, len - off);

		if (mime_scan_feed(scan, c->text + off, n) > 0)
			break;
		off += n;
	}
	mime_scan_finish(scan);
	limit = mime_scan_limit(scan);
	g_snprintf(name, sizeof(name), "mime scan %s (%s)", c->name, how);
	if (c->limit == NULL) {
		TEST_CHECK(name, limit == NULL &&
		    mime_scan_leaves(scan) == c->leaves);
		if (limit != NULL || mime_scan_leaves(scan) != c->leaves)
			printf("  got limit %s, %u leaves\n",
			    limit ? limit : "none", mime_scan_leaves(scan));
	} else {
		const char *at = c->cut_at ? strstr(c->text, c->cut_at) : NULL;
		uint64_t want = at ? (uint64_t)(at - c->text) : 0;

		TEST_CHECK(name, limit != NULL && strstr(limit, c->limit) &&
		    mime_scan_cut(scan) == want &&
		    mime_scan_cut_in_headers(scan) == c->in_headers);
		if (limit == NULL || mime_scan_cut(scan) != want)
			printf("  got limit %s, cut %llu, want %llu\n",
			    limit ? limit : "none",
			    (unsigned long long)mime_scan_cut(scan),
			    (unsigned long long)want);
	}
	mime_scan_free(&scan);
}

static void
test_cases(void)
{
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		scan_case_run(&cases[i], 0, "whole");
		scan_case_run(&cases[i], 1, "byte by byte");
		scan_case_run(&cases[i], 7, "in sevens");
		if (cases[i].limit == NULL)
			scan_case_gmime(&cases[i]);
	}
}

/* Past a cut in the message's own header, the fields that say who sent
 * it are found (the first of each name not seen before the cut, complete
 * lines only), and nothing else is kept. */
static void
test_kept_fields(void)
{
	static const char text[] =
	    "From: early@example.cn\r\n"
	    "X-Junk: 0123456789012345678901234567890123456789\r\n"
	    "From: late@example.cn\r\n"
	    "Subject: folded\r\n continued\r\n"
	    "X-Other: 1\r\n"
	    "Subject: second\r\n"
	    "Reply-To: last@example.cn";
	struct mail_limits l = { .header_bytes = 40 };
	struct mime_scan *scan = mime_scan_new(&l, NULL);
	uint64_t off, len;

	mime_scan_feed(scan, text, sizeof(text) - 1);
	mime_scan_finish(scan);
	TEST_CHECK("mime scan kept fields: one", mime_scan_cut_in_headers(scan) &&
	    mime_scan_kept_fields(scan) == 1);
	if (mime_scan_kept_fields(scan) == 1) {
		mime_scan_kept_field(scan, 0, &off, &len);
		TEST_CHECK("mime scan kept fields: the folded subject",
		    strncmp(text + off, "Subject: folded\r\n continued\r\n",
		    (size_t)len) == 0 && len == 29);
	}
	mime_scan_free(&scan);
}

/* Lines starting with "--" beyond 4 per allowed part and 1000 more are
 * over the part limit, whatever they are: GMime can start a part only at
 * such a line, and its reading of them is not always the scan's. */
static void
test_dash_lines(void)
{
	struct mail_limits l = { .mime_parts = 2 };
	GString *m = g_string_new(TOP "\r\n");
	struct mime_scan *scan;
	int i;

	for (i = 0; i < 1008; i++)
		g_string_append(m, "-----\r\n");
	scan = mime_scan_new(&l, NULL);
	mime_scan_feed(scan, m->str, m->len);
	mime_scan_finish(scan);
	TEST_CHECK("mime scan 1008 dash lines within", mime_scan_limit(scan) ==
	    NULL);
	mime_scan_free(&scan);
	g_string_append(m, "--\r\n");
	scan = mime_scan_new(&l, NULL);
	mime_scan_feed(scan, m->str, m->len);
	mime_scan_finish(scan);
	TEST_CHECK("mime scan 1009 dash lines over", mime_scan_limit(scan) &&
	    strstr(mime_scan_limit(scan), "too many MIME parts") &&
	    mime_scan_cut(scan) == m->len - 4);
	mime_scan_free(&scan);
	g_string_free(m, TRUE);
}

/* A line far longer than any boundary is neither kept nor mistaken. */
static void
test_long_lines(void)
{
	GString *m = g_string_new(MIXED("b") "--b\r\n\r\n");
	struct mime_scan *scan = mime_scan_new(NULL, NULL);
	size_t i;

	for (i = 0; i < 1000000; i++)
		g_string_append_c(m, 'x');
	g_string_append(m, "\r\n--b");
	for (i = 0; i < 100000; i++)
		g_string_append_c(m, ' ');
	g_string_append(m, "\r\n\r\ntwo\r\n--b--\r\n");
	mime_scan_feed(scan, m->str, m->len);
	mime_scan_finish(scan);
	TEST_CHECK("mime scan long lines", mime_scan_limit(scan) == NULL &&
	    mime_scan_leaves(scan) == 2);
	mime_scan_free(&scan);
	g_string_free(m, TRUE);
}

/* The messages the scan is for, through the message module: the limit
 * comes out as the walk's would, and the parts before it are listed. */
static void
test_through_message(void)
{
	GString *m = g_string_new(MIXED("b"));
	struct message *msg = NULL;
	char *error = NULL;
	int i;

	for (i = 0; i < 100000; i++)
		g_string_append_printf(m, "--b\r\nContent-Type: image/png; "
		    "name=\"%d.png\"\r\n\r\nx\r\n", i);
	g_string_append(m, "--b--\r\n");
	if (message_parse_data(m->str, m->len, NULL, &msg, &error) == 0) {
		TEST_CHECK_STR("mime scan 100000 parts: the walk's reason",
		    message_limit_exceeded(msg),
		    "MIME 部件超过 500 个 (too many MIME parts)");
		TEST_CHECK("mime scan 100000 parts: the first 500 listed",
		    message_attachment_count(msg) == 500 &&
		    strcmp(message_attachment_name(msg, 499), "499.png") == 0);
		TEST_CHECK_STR("mime scan 100000 parts: headers kept",
		    message_from_address(msg), "a@example.cn");
		message_free(&msg);
	} else {
		TEST_CHECK("mime scan 100000 parts parse", 0);
		g_free(error);
	}

	g_string_assign(m, TOP "Content-Type: multipart/mixed; boundary=0\r\n"
	    "\r\n");
	for (i = 0; i < 1000; i++)
		g_string_append_printf(m, "--%d\r\nContent-Type: multipart/"
		    "mixed; boundary=%d\r\n\r\n", i, i + 1);
	if (message_parse_data(m->str, m->len, NULL, &msg, &error) == 0) {
		TEST_CHECK_STR("mime scan 1000 levels: the walk's reason",
		    message_limit_exceeded(msg),
		    "MIME 层级超过 16 层 (MIME nesting too deep)");
		message_free(&msg);
	} else {
		TEST_CHECK("mime scan 1000 levels parse", 0);
		g_free(error);
	}

	/* 300 KiB of header before the sender: still mail, over a limit. */
	g_string_assign(m, "");
	for (i = 0; i < 3000; i++)
		g_string_append_printf(m, "X-Filler-%d: %0100d\r\n", i, i);
	g_string_append(m, TOP "\r\nbody\r\n");
	if (message_parse_data(m->str, m->len, NULL, &msg, &error) == 0) {
		TEST_CHECK_STR("mime scan header before the sender: reason",
		    message_limit_exceeded(msg),
		    "邮件头超过 262144 字节 (header bytes over limit)");
		TEST_CHECK_STR("mime scan header before the sender: sender",
		    message_from_address(msg), "a@example.cn");
		TEST_CHECK_STR("mime scan header before the sender: subject",
		    message_subject(msg), "s");
		message_free(&msg);
	} else {
		TEST_CHECK("mime scan header before the sender parses", 0);
		g_free(error);
	}
	g_string_free(m, TRUE);
}

int
main(void)
{
	g_mime_init();
	test_cases();
	test_long_lines();
	test_kept_fields();
	test_dash_lines();
	test_through_message();
	return TEST_EXIT();
}
