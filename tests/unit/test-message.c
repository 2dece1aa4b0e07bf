/*
 * test-message: the corpus in tests/corpus/unit/ (made by make-corpus.py),
 * parsed and every attachment saved; expected sizes and SHA-256 are those
 * sha256sum gave for the bytes the script encoded.  Run from the top of
 * the repository.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "mail_limits.h"
#include "message.h"
#include "safename.h"
#include "store.h"
#include "test.h"

#define CORPUS	"tests/corpus/unit/"
#define DOCX	"application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#define XLSX	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

struct expect_attachment {
	const char *name;
	const char *content_type;
	uint64_t size;
	const char *sha256;
};

struct expect_mail {
	const char *file;
	const char *subject;
	const char *from_address;
	const char *from_name;
	const char *reply_address;
	const char *message_id;
	const char *limit;		/* substring of the reason, or NULL */
	int dsn, auto_reply;
	size_t attachments;		/* (size_t)-1: do not check */
	struct expect_attachment att[4];
};

static const struct expect_mail mails[] = {
	{ "foxmail-gb2312.eml", "扶贫征集-自荐-视频类(微视频)-镕喆",
	  "zhangsan@example.cn", "张三喆", "baosong@example.cn",
	  "20240603100000.1234@example.cn", NULL, 0, 0, 1, {
		    { "朱镕基喆-作品.mp4", "video/mp4",
		      102400, "87a9dec1df8d5040c3c53c3b6ed5cfb8b64a53cf0bf83000dd8cf5852409de89" },
	} },
	{ "split-words.eml", "作品㐀😀-分类-单位",
	  "lisi@example.cn", "李四", "lisi@example.cn", "split@example.cn",
	  NULL, 0, 0, 1, {
		    { "长长的作品名称㐀-第二部分.docx", DOCX,
		      3000, "8d55a6833c39a09d19687df116138b4e6e21111b23171853bd3c985f92f9f4c5" },
	} },
	{ "rfc2231.eml", "rfc2231", "a@example.cn", "", "a@example.cn", "",
	  NULL, 0, 0, 3, {
		    { "作品㐀喆.pdf", "application/pdf",
		      2000, "a711b7f032176b02b4112f8b7f77a18a5aa06a7bff2d0a004d3ec4a145e21658" },
		    { "微视频 终版.mov", "video/quicktime",
		      1500, "6b603e925a4168343ac3de46e6f6f285bdaab9c83b1b9d41df3047bbeb63da4b" },
		    { "readme.txt", "text/plain",
		      10, "c9ecf5e54c7b3f2640ecca21f96d4c3625a2b7935104f41c5ede29935a9e52c9" },
	} },
	{ "disagree.eml", "disagree", "b@example.cn", "赵六喆", "b@example.cn", "",
	  NULL, 0, 0, 3, {
		    { "right.docx", "application/msword",
		      500, "f141b604c6e8a34ce9ad2112ee72b6f9078294e302148d655422405ebe886bec" },
		    { "作品.mp4", "video/mp4",
		      600, "ca5bf99afe53dafeecd5283880001912f7c8521056fc5f100fc7128d00afd39f" },
		    { "视频.mp4", "video/mp4",
		      700, "667461d9805dbc23cdd30970ebbdad3bf438c095b818fb79cd204064aff05e15" },
	} },
	{ "noname.eml", "", "c@example.cn", "", "c@example.cn", "",
	  NULL, 0, 0, 3, {
		    { "附件1.mp4", "video/mp4",
		      800, "60f9a71f53eea054f0bb2a02af381b27ff4fa3f0dbbc9be2402b10a4a60433e3" },
		    { "附件2.docx", DOCX,
		      900, "d13896cb099f98d8e4171180a4f114319c18d0c7a14856a2a0ae6c79e775aa2d" },
		    { "附件3.png", "image/png",
		      100, "bcd432d2ee9a196e55d33d1e23019400e46a995d57d6770838b31691685aa984" },
	} },
	{ "raw8bit.eml", "征集-自荐-视频类-镕喆单位", "wangwu@example.cn",
	  "王五镕", "wangwu@example.cn", "", NULL, 0, 0, 2, {
		    { "作品镕.mp4", "video/mp4",
		      1111, "c304e3173e1fc7db913658eeb4c793d78f92263b5205dc5c6365ce81bd8b6dd3" },
		    { "报送表.xlsx", XLSX,
		      1212, "439e3936fa69564df5c7cfee0e952c73074b0d61c8b165f4b9f59560d2401853" },
	} },
	{ "nested.eml", "嵌套", "d@example.cn", "", "d@example.cn", "",
	  NULL, 0, 0, 3, {
		    { "logo.png", "image/png",
		      700, "f8d5500c3c962573c0caa0318a22ba44f0cd0e1cbef697e39da8872292d0888d" },
		    { "作品集.zip", "application/zip",
		      2222, "736d6edf69808e768af3f7f9e62ece197edbc4b001dc143258cd9fa4966ff117" },
		    { "说明.txt", "text/plain",
		      23, "c6fd72df844ba95bf5a07d57237beac11785b4a9773eb1c6169335612f134723" },
	} },
	{ "forwarded.eml", "转发: 作品", "forwarder@example.cn", "",
	  "forwarder@example.cn", "fwd@example.cn", NULL, 0, 0, 1, {
		    { "报名表-镕.pdf", "application/pdf",
		      4321, "f5f0e35da8f73831c7b6730ce6798e24871a29e4731d60eb7148ab426d5819f9" },
	} },
	/* Malformed mails: only "parses, does not crash, saves something". */
	{ "malformed.eml", NULL, "e@example.cn", NULL, NULL, "",
	  NULL, 0, 0, (size_t)-1, { { NULL, NULL, 0, NULL } } },
	{ "truncated.eml", "truncated", "f@example.cn", "", "f@example.cn", "",
	  NULL, 0, 0, (size_t)-1, { { NULL, NULL, 0, NULL } } },
	{ "deep.eml", "deep", "g@example.cn", "", "g@example.cn", "",
	  "MIME", 0, 0, 0, { { NULL, NULL, 0, NULL } } },
	{ "many-parts.eml", "many", "h@example.cn", "", "h@example.cn", "",
	  "MIME", 0, 0, 500, { { NULL, NULL, 0, NULL } } },
	{ "dsn.eml", "Undelivered Mail Returned to Sender",
	  "MAILER-DAEMON@example.org", "Mail Delivery System",
	  "MAILER-DAEMON@example.org", "", NULL, 1, 1, (size_t)-1,
	  { { NULL, NULL, 0, NULL } } },
	{ "autoreply.eml", "自动回复: 作品", "i@example.cn", "",
	  "i@example.cn", "", NULL, 0, 1, 0, { { NULL, NULL, 0, NULL } } },
	/* Outlook's winmail.dat: the files inside replace it, unless it is
	 * damaged, empty of files or holds what is no file. */
	{ "outlook-tnef.eml", "扶贫征集-自荐-视频类(微视频)-星城大爱",
	  "sunqi@example.cn", "孙七", "sunqi@example.cn",
	  "outlook-tnef.eml@example.cn", NULL, 0, 0, 2, {
		    { "报名表.docx", DOCX,
		      5000, "5ca87ea1d05cb32e0aa119080becac38512428f11e377ac1c409c362203c89a2" },
		    { "作品𠀀-微视频.mp4", "video/mp4",
		      20000, "cc5327164d2ed1a5dab98b66909b3fbaf8609cd027cd760f68c9f9f82cb26360" },
	} },
	{ "tnef-empty.eml", "只有正文", "sunqi@example.cn", "孙七",
	  "sunqi@example.cn", "tnef-empty.eml@example.cn", NULL, 0, 0, 1, {
		    { "winmail.dat", "application/vnd.ms-tnef",
		      442, "eef442b4d3a13d99080f970d7409602f52ce5dfe64db0e28bf8a05fc1d944f2b" },
	} },
	{ "tnef-truncated.eml", "截断", "sunqi@example.cn", "孙七",
	  "sunqi@example.cn", "tnef-truncated.eml@example.cn", NULL, 0, 0, 1, {
		    { "winmail.dat", "application/ms-tnef",
		      16418, "334dc55ef759d758baa4cba934fc3f6db709ec4221668f00c288dcddc1d26b6e" },
	} },
	{ "tnef-embedded.eml", "嵌入邮件", "sunqi@example.cn", "孙七",
	  "sunqi@example.cn", "tnef-embedded.eml@example.cn", NULL, 0, 0, 3, {
		    { "附件说明.pdf", "application/pdf",
		      3000, "5e1973910a04e5e99dd87f20076f9bd2f0e352dde5365ceb5fbc41ac87150320" },
		    { "附件2.bin", "application/octet-stream",
		      700, "236cbb5944564c89d149f130c432f20808d5f0f6369159c1831424585577fd44" },
		    { "WINMAIL.DAT", "application/octet-stream",
		      4575, "fa4b1c89e70fd7fb284b51f5b17ec58058493fb8e12a820119c41d40dc108667" },
	} },
};

/* Attachment i into the store, as ingest saves it. */
static int
attachment_save(const struct message *m, size_t i, int dirfd,
    const char *name, uint64_t *size_r, char sha256_hex_r[65], char **error_r)
{
	GMimeStream *content = message_attachment_stream(m, i);
	int ret = store_write_stream(dirfd, name, content, size_r,
	    sha256_hex_r, error_r);

	g_object_unref(content);
	return ret;
}

static char *
test_name(const char *file, const char *what)
{
	static char buf[256];

	g_snprintf(buf, sizeof(buf), "message %s %s", file, what);
	return buf;
}

static void
test_attachments(const struct expect_mail *e, const struct message *m,
    int dirfd)
{
	size_t i, n = message_attachment_count(m), bulk = 0, bulk_failed = 0;

	if (e->attachments != (size_t)-1) {
		char want[32], got[32];

		g_snprintf(want, sizeof(want), "%zu", e->attachments);
		g_snprintf(got, sizeof(got), "%zu", n);
		TEST_CHECK_STR(test_name(e->file, "attachment count"), got, want);
	}
	for (i = 0; i < n; i++) {
		const struct expect_attachment *a = NULL;
		char what[64], sha[65], fallback[32], *file, *error = NULL;
		uint64_t size = 0;
		int ret;

		if (e->attachments != (size_t)-1 && i < G_N_ELEMENTS(e->att) &&
		    e->att[i].name != NULL)
			a = &e->att[i];
		g_snprintf(fallback, sizeof(fallback), "attachment-%zu", i + 1);
		file = safename_make(message_attachment_name(m, i), fallback);
		/* Two attachments of one name: the second needs its own file. */
		if (faccessat(dirfd, file, F_OK, 0) == 0) {
			char *second = safename_dedupe(file, (unsigned)i + 1);

			g_free(file);
			file = second;
		}
		ret = attachment_save(m, i, dirfd, file, &size, sha,
		    &error);
		if (a == NULL) {
			/* Attachments of odd mails: one check for them all. */
			bulk++;
			if (ret < 0 || !g_utf8_validate(
			    message_attachment_name(m, i), -1, NULL))
				bulk_failed++;
			g_free(error);
			g_free(file);
			continue;
		}
		g_snprintf(what, sizeof(what), "[%zu] save", i);
		TEST_CHECK(test_name(e->file, what), ret == 0);
		if (ret < 0) {
			printf("# %s\n", error);
			g_free(error);
		}
		g_snprintf(what, sizeof(what), "[%zu] name", i);
		TEST_CHECK_STR(test_name(e->file, what),
		    message_attachment_name(m, i), a->name);
		g_snprintf(what, sizeof(what), "[%zu] type", i);
		TEST_CHECK_STR(test_name(e->file, what),
		    message_attachment_content_type(m, i), a->content_type);
		if (ret == 0) {
			g_snprintf(what, sizeof(what), "[%zu] size", i);
			TEST_CHECK(test_name(e->file, what), size == a->size);
			g_snprintf(what, sizeof(what), "[%zu] sha256", i);
			TEST_CHECK_STR(test_name(e->file, what), sha, a->sha256);
		}
		if (ret == 0) {
			struct stat st;

			g_snprintf(what, sizeof(what), "[%zu] file", i);
			TEST_CHECK(test_name(e->file, what),
			    fstatat(dirfd, file, &st, 0) == 0 &&
			    (uint64_t)st.st_size == size &&
			    (st.st_mode & 0777) == 0640);
			/* O_EXCL: a second save of the same name must fail. */
			g_snprintf(what, sizeof(what), "[%zu] no overwrite", i);
			ret = attachment_save(m, i, dirfd, file, &size,
			    sha, &error);
			TEST_CHECK(test_name(e->file, what), ret < 0);
			g_free(error);
			error = NULL;
			g_snprintf(what, sizeof(what), "[%zu] first copy kept", i);
			TEST_CHECK(test_name(e->file, what),
			    fstatat(dirfd, file, &st, 0) == 0 &&
			    (uint64_t)st.st_size == size);
		}
		g_free(file);
	}
	if (bulk > 0)
		TEST_CHECK(test_name(e->file, "other attachments saved"),
		    bulk_failed == 0);
}

static void
test_mail(const struct expect_mail *e, int dirfd)
{
	struct message *m = NULL;
	char *error = NULL, *path = g_strconcat(CORPUS, e->file, NULL);
	const char *limit;
	int ret;

	ret = message_parse_file(path, NULL, &m, &error);
	TEST_CHECK(test_name(e->file, "parses"), ret == 0 && m != NULL);
	if (ret < 0) {
		printf("# %s\n", error);
		g_free(error);
		g_free(path);
		return;
	}
	if (e->subject != NULL)
		TEST_CHECK_STR(test_name(e->file, "subject"),
		    message_subject(m), e->subject);
	TEST_CHECK(test_name(e->file, "subject valid utf-8"),
	    g_utf8_validate(message_subject(m), -1, NULL));
	TEST_CHECK_STR(test_name(e->file, "from address"),
	    message_from_address(m), e->from_address);
	if (e->from_name != NULL)
		TEST_CHECK_STR(test_name(e->file, "from name"),
		    message_from_name(m), e->from_name);
	if (e->reply_address != NULL)
		TEST_CHECK_STR(test_name(e->file, "reply address"),
		    message_reply_address(m), e->reply_address);
	TEST_CHECK_STR(test_name(e->file, "message-id"), message_id(m),
	    e->message_id);
	limit = message_limit_exceeded(m);
	if (e->limit == NULL)
		TEST_CHECK(test_name(e->file, "no limit hit"), limit == NULL);
	else
		TEST_CHECK(test_name(e->file, "limit hit"),
		    limit != NULL && strstr(limit, e->limit) != NULL);
	TEST_CHECK(test_name(e->file, "dsn"), message_is_dsn(m) == e->dsn);
	TEST_CHECK(test_name(e->file, "auto reply"),
	    message_is_auto_reply(m) == e->auto_reply);
	test_attachments(e, m, dirfd);
	message_free(&m);
	TEST_CHECK(test_name(e->file, "free nulls"), m == NULL);
	g_free(path);
}

static void
test_headers(void)
{
	struct message *m = NULL;
	char *error = NULL;

	if (message_parse_file(CORPUS "foxmail-gb2312.eml", NULL, &m,
	    &error) < 0) {
		TEST_CHECK("message headers parse", 0);
		g_free(error);
		return;
	}
	TEST_CHECK_STR("message references unfolded", message_references(m),
	    "<a1@example.cn> <a2@example.cn>");
	TEST_CHECK_STR("message date raw", message_date(m),
	    "Mon, 3 Jun 2024 10:00:00 +0800");
	TEST_CHECK_STR("message header case-insensitive",
	    message_header(m, "mime-VERSION"), "1.0");
	TEST_CHECK("message header absent", message_header(m, "X-Nothing") == NULL);
	TEST_CHECK("message name not derived",
	    message_attachment_name_derived(m, 0) == 0);
	message_free(&m);
	message_free(&m);	/* twice is harmless */

	if (message_parse_file(CORPUS "noname.eml", NULL, &m, &error) == 0) {
		TEST_CHECK("message name derived",
		    message_attachment_name_derived(m, 0) == 1);
		TEST_CHECK_STR("message references absent",
		    message_references(m), "");
		TEST_CHECK("message date absent", message_date(m) == NULL);
		message_free(&m);
	} else
		g_free(error);
}

static void
test_errors(void)
{
	struct message *m = NULL;
	char *error = NULL;
	char path[] = "/tmp/test-message-XXXXXX";
	int fd;

	TEST_CHECK("message missing file fails",
	    message_parse_file(CORPUS "no-such.eml", NULL, &m, &error) < 0 &&
	    m == NULL && error != NULL);
	g_free(error);
	error = NULL;

	fd = mkstemp(path);
	if (fd >= 0) {
		close(fd);
		TEST_CHECK("message empty file fails",
		    message_parse_file(path, NULL, &m, &error) < 0 &&
		    error != NULL);
		g_free(error);
		error = NULL;
		message_free(&m);
		unlink(path);
	}
}

/* Mails too big to keep in the corpus are written at run time. */
static void
test_generated_limits(void)
{
	char path[] = "/tmp/test-message-gen-XXXXXX";
	struct message *m = NULL;
	char *error = NULL, *b64;
	GString *mail, *subject;
	int fd, i;

	fd = g_mkstemp(path);
	if (fd < 0) {
		TEST_CHECK("message generated mail", 0);
		return;
	}
	close(fd);

	/* 2000 three-byte characters: 6000 bytes, over LIMIT_SUBJECT_BYTES. */
	subject = g_string_new(NULL);
	for (i = 0; i < 2000; i++)
		g_string_append(subject, "作");
	b64 = g_base64_encode((const guchar *)subject->str, subject->len);
	mail = g_string_new("From: x@example.cn\nSubject: =?utf-8?B?");
	g_string_append(mail, b64);
	g_string_append(mail, "?=\n\nbody\n");
	g_file_set_contents(path, mail->str, (gssize)mail->len, NULL);
	if (message_parse_file(path, NULL, &m, &error) == 0) {
		const char *got = message_subject(m);

		TEST_CHECK("message long subject cut",
		    strlen(got) <= LIMIT_SUBJECT_BYTES &&
		    strlen(got) % 3 == 0 && strlen(got) > 4000 &&
		    g_utf8_validate(got, -1, NULL));
		message_free(&m);
	} else {
		TEST_CHECK("message long subject parses", 0);
		g_free(error);
		error = NULL;
	}
	g_free(b64);
	g_string_free(subject, TRUE);

	/* Header bytes over LIMIT_HEADER_BYTES are flagged, not fatal. */
	g_string_assign(mail, "From: x@example.cn\nSubject: big\n");
	for (i = 0; i < 4000; i++)
		g_string_append_printf(mail, "X-Filler-%d: %0100d\n", i, i);
	g_string_append(mail, "\nbody\n");
	g_file_set_contents(path, mail->str, (gssize)mail->len, NULL);
	if (message_parse_file(path, NULL, &m, &error) == 0) {
		TEST_CHECK("message header bytes limit",
		    message_limit_exceeded(m) != NULL &&
		    strstr(message_limit_exceeded(m), "header") != NULL);
		TEST_CHECK_STR("message header bytes subject kept",
		    message_subject(m), "big");
		message_free(&m);
	} else {
		TEST_CHECK("message big header parses", 0);
		g_free(error);
	}
	g_string_free(mail, TRUE);
	unlink(path);
}

static int
remove_entry(const char *dir)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *entry;

	if (d == NULL)
		return -1;
	while ((entry = g_dir_read_name(d)) != NULL) {
		char *p = g_build_filename(dir, entry, NULL);

		g_unlink(p);
		g_free(p);
	}
	g_dir_close(d);
	return g_rmdir(dir);
}

/* SHA-256 and size of a stream read to its end; NULL on a read error. */
static char *
stream_sha256(GMimeStream *stream, uint64_t *size_r)
{
	GChecksum *sha = g_checksum_new(G_CHECKSUM_SHA256);
	char buf[4096], *hex = NULL;
	ssize_t n;

	*size_r = 0;
	while ((n = g_mime_stream_read(stream, buf, sizeof(buf))) > 0) {
		g_checksum_update(sha, (const guchar *)buf, n);
		*size_r += (uint64_t)n;
	}
	if (n == 0)
		hex = g_strdup(g_checksum_get_string(sha));
	g_checksum_free(sha);
	return hex;
}

/* "" for NULL, so two absent values compare equal. */
static const char *
or_empty(const char *s)
{
	return s != NULL ? s : "";
}

/* The two messages say the same in every accessor, attachment bytes
 * included; NULL when they do, else what differs first. */
static const char *
message_difference(const struct message *a, const struct message *b)
{
	size_t i, n = message_attachment_count(a);

	if (strcmp(message_subject(a), message_subject(b)) != 0)
		return "subject";
	if (strcmp(message_from_address(a), message_from_address(b)) != 0 ||
	    strcmp(message_from_name(a), message_from_name(b)) != 0 ||
	    strcmp(message_reply_address(a), message_reply_address(b)) != 0)
		return "sender";
	if (strcmp(message_id(a), message_id(b)) != 0 ||
	    strcmp(message_references(a), message_references(b)) != 0 ||
	    strcmp(or_empty(message_date(a)), or_empty(message_date(b))) != 0)
		return "ids";
	if (strcmp(or_empty(message_limit_exceeded(a)),
	    or_empty(message_limit_exceeded(b))) != 0)
		return "limit";
	if (message_is_dsn(a) != message_is_dsn(b) ||
	    message_is_auto_reply(a) != message_is_auto_reply(b))
		return "dsn or auto-reply";
	if (n != message_attachment_count(b))
		return "attachment count";
	for (i = 0; i < n; i++) {
		GMimeStream *sa = message_attachment_stream(a, i);
		GMimeStream *sb = message_attachment_stream(b, i);
		uint64_t size_a, size_b;
		g_autofree char *ha = stream_sha256(sa, &size_a);
		g_autofree char *hb = stream_sha256(sb, &size_b);

		g_object_unref(sa);
		g_object_unref(sb);
		if (strcmp(message_attachment_name(a, i),
		    message_attachment_name(b, i)) != 0 ||
		    strcmp(message_attachment_content_type(a, i),
		    message_attachment_content_type(b, i)) != 0 ||
		    message_attachment_name_derived(a, i) !=
		    message_attachment_name_derived(b, i))
			return "attachment name or type";
		if (ha == NULL || hb == NULL || strcmp(ha, hb) != 0 ||
		    size_a != size_b)
			return "attachment bytes";
	}
	return NULL;
}

/* From memory, every corpus mail parses to what it parses to from its
 * file: the fuzzer's view is the gateway's. */
static void
test_parse_data(void)
{
	struct message *m = NULL;
	char *error = NULL;
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(mails); i++) {
		g_autofree char *path = g_strconcat(CORPUS, mails[i].file, NULL);
		g_autofree char *data = NULL;
		struct message *from_file = NULL, *from_data = NULL;
		const char *diff = "does not parse";
		gsize len = 0;

		if (g_file_get_contents(path, &data, &len, NULL) &&
		    message_parse_file(path, NULL, &from_file, &error) == 0 &&
		    message_parse_data(data, len, NULL, &from_data,
		    &error) == 0)
			diff = message_difference(from_file, from_data);
		g_clear_pointer(&error, g_free);
		TEST_CHECK(test_name(mails[i].file, "from memory as from file"),
		    diff == NULL);
		if (diff != NULL)
			printf("# %s differs: %s\n", mails[i].file, diff);
		message_free(&from_file);
		message_free(&from_data);
	}

	/* The buffer is copied: the message outlives it. */
	{
		char *data = g_strdup("From: a@example.cn\nSubject: copied\n\n"
		    "body\n");

		if (message_parse_data(data, strlen(data), NULL, &m,
		    &error) == 0) {
			memset(data, 'x', strlen(data));
			TEST_CHECK_STR("message data copied", message_subject(m),
			    "copied");
			message_free(&m);
		} else {
			TEST_CHECK("message data copied", 0);
			g_clear_pointer(&error, g_free);
		}
		g_free(data);
	}
	TEST_CHECK("message data empty fails",
	    message_parse_data("", 0, NULL, &m, &error) < 0 && m == NULL &&
	    error != NULL);
	g_clear_pointer(&error, g_free);
	TEST_CHECK("message data no headers fails",
	    message_parse_data("hello\n", 6, NULL, &m, &error) < 0 &&
	    m == NULL && error != NULL);
	g_clear_pointer(&error, g_free);
}

/* A multipart/mixed mail of n named leaves, nested depth levels deep. */
static GString *
mail_of_leaves(unsigned n, unsigned depth)
{
	GString *mail = g_string_new("From: x@example.cn\nSubject: leaves\n"
	    "MIME-Version: 1.0\n");
	unsigned i;

	for (i = 0; i < depth; i++)
		g_string_append_printf(mail, "Content-Type: multipart/mixed; "
		    "boundary=\"b%u\"\n\n--b%u\n", i, i);
	g_string_append_printf(mail, "Content-Type: multipart/mixed; "
	    "boundary=\"leaves\"\n\n");
	for (i = 0; i < n; i++)
		g_string_append_printf(mail, "--leaves\nContent-Type: "
		    "application/pdf; name=\"p%u.pdf\"\n\n%%PDF %u\n", i, i);
	g_string_append(mail, "--leaves--\n");
	for (i = depth; i > 0; i--)
		g_string_append_printf(mail, "--b%u--\n", i - 1);
	return mail;
}

/* Limits are the caller's, per parse: no global decides them. */
static void
test_limits_passed_in(void)
{
	struct mail_limits low = { .mime_parts = 3 }, zero = { 0 };
	struct mail_limits resolved, shallow = { .mime_depth = 2 };
	struct message *strict = NULL, *lenient = NULL, *m = NULL;
	char *error = NULL;
	GString *mail = mail_of_leaves(5, 0);
	const char *limit;

	mail_limits_resolve(&resolved, NULL);
	TEST_CHECK("mail limits NULL resolves to defaults",
	    resolved.mime_parts == LIMIT_MIME_PARTS &&
	    resolved.mime_depth == LIMIT_MIME_DEPTH &&
	    resolved.subject_bytes == LIMIT_SUBJECT_BYTES &&
	    resolved.header_bytes == LIMIT_HEADER_BYTES &&
	    resolved.message_bytes == LIMIT_MESSAGE_BYTES &&
	    resolved.tnef_bytes == LIMIT_TNEF_BYTES);
	mail_limits_resolve(&resolved, &low);
	TEST_CHECK("mail limits 0 is the default, the rest kept",
	    resolved.mime_parts == 3 &&
	    resolved.mime_depth == LIMIT_MIME_DEPTH);
	resolved.subject_bytes = 100000;
	mail_limits_resolve(&resolved, &resolved);
	TEST_CHECK("mail limits subject bytes never raised",
	    resolved.subject_bytes == LIMIT_SUBJECT_BYTES);

	/* Two messages, two limits, one process, both alive at once. */
	if (message_parse_data(mail->str, mail->len, &low, &strict,
	    &error) < 0 || message_parse_data(mail->str, mail->len, NULL,
	    &lenient, &error) < 0) {
		TEST_CHECK("message limits mails parse", 0);
		g_clear_pointer(&error, g_free);
	} else {
		limit = message_limit_exceeded(strict);
		TEST_CHECK("message low mime_parts reported", limit != NULL &&
		    strstr(limit, "too many MIME parts") != NULL &&
		    strstr(limit, " 3 ") != NULL);
		TEST_CHECK("message low mime_parts keeps those before",
		    message_attachment_count(strict) == 3);
		TEST_CHECK("message default limits same mail within",
		    message_limit_exceeded(lenient) == NULL &&
		    message_attachment_count(lenient) == 5);
	}
	message_free(&strict);
	message_free(&lenient);

	/* The struct is copied at parse time: changing it later changes
	 * nothing, and a zeroed one is the defaults. */
	low.mime_parts = 2;
	if (message_parse_data(mail->str, mail->len, &low, &m, &error) == 0) {
		low.mime_parts = 100;
		TEST_CHECK("message limits copied at parse",
		    message_attachment_count(m) == 2 &&
		    message_limit_exceeded(m) != NULL);
		message_free(&m);
	} else
		g_clear_pointer(&error, g_free);
	if (message_parse_file(CORPUS "many-parts.eml", &zero, &m,
	    &error) == 0) {
		TEST_CHECK("message zeroed limits are the defaults",
		    message_attachment_count(m) == LIMIT_MIME_PARTS &&
		    message_limit_exceeded(m) != NULL);
		message_free(&m);
	} else
		g_clear_pointer(&error, g_free);
	g_string_free(mail, TRUE);

	/* Depth: three levels pass by default, not under two. */
	mail = mail_of_leaves(1, 3);
	if (message_parse_data(mail->str, mail->len, &shallow, &strict,
	    &error) == 0 && message_parse_data(mail->str, mail->len, NULL,
	    &lenient, &error) == 0) {
		limit = message_limit_exceeded(strict);
		TEST_CHECK("message low mime_depth reported", limit != NULL &&
		    strstr(limit, "MIME nesting too deep") != NULL &&
		    message_attachment_count(strict) == 0);
		TEST_CHECK("message default depth same mail within",
		    message_limit_exceeded(lenient) == NULL &&
		    message_attachment_count(lenient) == 1);
	} else {
		TEST_CHECK("message depth mails parse", 0);
		g_clear_pointer(&error, g_free);
	}
	message_free(&strict);
	message_free(&lenient);
	g_string_free(mail, TRUE);

	/* Subject and header bytes. */
	{
		struct mail_limits small = { .subject_bytes = 64,
		    .header_bytes = 4096 };
		GString *big = g_string_new("From: x@example.cn\nSubject: ");
		int i;

		for (i = 0; i < 100; i++)
			g_string_append(big, "作");
		g_string_append(big, "\n");
		for (i = 0; i < 50; i++)
			g_string_append_printf(big, "X-Filler-%d: %0100d\n",
			    i, i);
		g_string_append(big, "\nbody\n");
		if (message_parse_data(big->str, big->len, &small, &m,
		    &error) == 0) {
			TEST_CHECK("message low subject_bytes cuts",
			    strlen(message_subject(m)) <= 64 &&
			    strlen(message_subject(m)) >= 60);
			TEST_CHECK("message low header_bytes reported",
			    message_limit_exceeded(m) != NULL &&
			    strstr(message_limit_exceeded(m), "header") !=
			    NULL);
			message_free(&m);
		} else {
			TEST_CHECK("message small limits parse", 0);
			g_clear_pointer(&error, g_free);
		}
		if (message_parse_data(big->str, big->len, NULL, &m,
		    &error) == 0) {
			TEST_CHECK("message default subject and header bytes",
			    strlen(message_subject(m)) == 300 &&
			    message_limit_exceeded(m) == NULL);
			message_free(&m);
		} else
			g_clear_pointer(&error, g_free);
		g_string_free(big, TRUE);
	}

	/* winmail.dat over the limits' tnef_bytes is kept whole. */
	{
		struct mail_limits tiny_tnef = { .tnef_bytes = 1024 };

		if (message_parse_file(CORPUS "outlook-tnef.eml", &tiny_tnef,
		    &m, &error) == 0) {
			TEST_CHECK("message low tnef_bytes keeps winmail.dat",
			    message_attachment_count(m) == 1 &&
			    strcmp(message_attachment_name(m, 0),
			    "winmail.dat") == 0);
			message_free(&m);
		} else {
			TEST_CHECK("message low tnef_bytes parses", 0);
			g_clear_pointer(&error, g_free);
		}
	}
}

/* RFC 3464 reports: recognised by their top-level type, with the
 * recipients they report on; a text bounce or a delivery-status part
 * deeper down is never answered, but is no report. */
static void
test_dsn_report(void)
{
	static const char nested[] =
	    "From: a@example.cn\r\nSubject: fwd\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed; boundary=o\r\n\r\n"
	    "--o\r\nContent-Type: multipart/report; "
	    "report-type=delivery-status; boundary=i\r\n\r\n"
	    "--i\r\nContent-Type: message/delivery-status\r\n\r\n"
	    "Final-Recipient: rfc822; v@example.cn\r\n\r\n--i--\r\n"
	    "--o--\r\n";
	struct message *m = NULL;
	g_autofree char *error = NULL;
	g_auto(GStrv) rcpts = NULL;

	if (message_parse_file(CORPUS "dsn.eml", NULL, &m, &error) == 0) {
		rcpts = message_dsn_recipients(m);
		TEST_CHECK("dsn-report:top-level", message_is_dsn_report(m));
		TEST_CHECK("dsn-report:recipient", rcpts[0] != NULL &&
		    strcmp(rcpts[0], "x@example.cn") == 0 && rcpts[1] == NULL);
		message_free(&m);
	} else {
		printf("FAIL dsn-report: %s\n", error);
	}
	g_clear_pointer(&rcpts, g_strfreev);
	g_clear_pointer(&error, g_free);
	if (message_parse_data(nested, strlen(nested), NULL, &m,
	    &error) == 0) {
		rcpts = message_dsn_recipients(m);
		TEST_CHECK("dsn-report:nested-is-no-report",
		    !message_is_dsn_report(m) && rcpts[0] == NULL);
		message_free(&m);
	} else {
		printf("FAIL dsn-report nested: %s\n", error);
	}
}

/* A bounce is read only so far: dsn_parts parts, dsn_part_bytes of
 * each.  Within them it names what it names; beyond them nothing is read
 * (a forged bounce can return a message of any size, or thousands of
 * parts). */
static void
test_dsn_bounded(void)
{
	GString *mail = g_string_new("From: MAILER-DAEMON@example.cn\r\n"
	    "Subject: Undelivered\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: multipart/report; report-type=delivery-status; "
	    "boundary=r\r\n\r\n");
	struct mail_limits few = { .dsn_parts = 3 }, small = {
		.dsn_part_bytes = 1024 };
	struct message *m = NULL;
	char *error = NULL;
	char **ids;
	int i;

	for (i = 0; i < 3; i++)
		g_string_append(mail, "--r\r\nContent-Type: text/plain\r\n\r\n"
		    "nothing here\r\n");
	g_string_append(mail, "--r\r\nContent-Type: message/delivery-status"
	    "\r\n\r\nFinal-Recipient: rfc822; v@example.cn\r\n\r\n"
	    "--r\r\nContent-Type: text/rfc822-headers\r\n\r\n");
	for (i = 0; i < 100; i++)
		g_string_append(mail, "X-Padding: 0123456789012345678901234567"
		    "89\r\n");
	g_string_append(mail, "Message-ID: <late@example.org>\r\n--r--\r\n");

	if (message_parse_data(mail->str, mail->len, NULL, &m, &error) == 0) {
		char **rcpts = message_dsn_recipients(m);

		ids = message_dsn_message_ids(m);
		TEST_CHECK("dsn-bounded:defaults read all", ids[0] != NULL &&
		    strcmp(ids[0], "late@example.org") == 0 &&
		    rcpts[0] != NULL);
		g_strfreev(ids);
		g_strfreev(rcpts);
		message_free(&m);
	} else
		TEST_CHECK("dsn-bounded parses", 0);
	g_clear_pointer(&error, g_free);
	if (message_parse_data(mail->str, mail->len, &few, &m, &error) == 0) {
		ids = message_dsn_message_ids(m);
		TEST_CHECK("dsn-bounded:parts read", ids[0] == NULL);
		g_strfreev(ids);
		message_free(&m);
	} else
		TEST_CHECK("dsn-bounded parses (few parts)", 0);
	g_clear_pointer(&error, g_free);
	if (message_parse_data(mail->str, mail->len, &small, &m, &error) == 0) {
		ids = message_dsn_message_ids(m);
		TEST_CHECK("dsn-bounded:bytes of a part", ids[0] == NULL);
		g_strfreev(ids);
		message_free(&m);
	} else
		TEST_CHECK("dsn-bounded parses (small parts)", 0);
	g_clear_pointer(&error, g_free);
	g_string_free(mail, TRUE);
}

/* A subject and a file name in UTF-8 with one damaged byte keep their
 * characters (the bad byte becomes U+FFFD); raw GBK is still read as
 * GBK. */
static void
test_damaged_utf8(void)
{
	static const char mail[] =
	    "From: a@example.cn\r\n"
	    "Subject: \346\211\266\350\264\253\345\276\201\351\233\206-"
	    "\350\207\252\350\215\220-\377-\346\230\237\345\237\216\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
	    "--b\r\nContent-Type: application/octet-stream\r\n"
	    "Content-Disposition: attachment; filename=\""
	    "\346\230\237\345\237\216\376\345\244\247\347\210\261.mp4\"\r\n"
	    "\r\nx\r\n"
	    "--b\r\nContent-Type: application/octet-stream\r\n"
	    "Content-Disposition: attachment; filename=\""
	    "\320\307\263\307\264\363\260\256.mp4\"\r\n\r\ny\r\n"
	    "--b--\r\n";
	struct message *m = NULL;
	g_autofree char *error = NULL;

	if (message_parse_data(mail, strlen(mail), NULL, &m, &error) < 0) {
		printf("FAIL damaged-utf8: %s\n", error);
		return;
	}
	TEST_CHECK_STR("damaged-utf8:subject", message_subject(m),
	    "扶贫征集-自荐-\357\277\275-星城");
	TEST_CHECK("damaged-utf8:file-name",
	    message_attachment_count(m) == 2 && strcmp(
	    message_attachment_name(m, 0), "星城\357\277\275大爱.mp4") == 0);
	TEST_CHECK("damaged-utf8:gbk-still-gbk",
	    message_attachment_count(m) == 2 && strcmp(
	    message_attachment_name(m, 1), "星城大爱.mp4") == 0);
	message_free(&m);
}

/* An upload that failed in the webmail: a named part with no bytes. */
static void
test_empty_attachment(void)
{
	static const char mail[] =
	    "From: a@example.cn\r\nSubject: s\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
	    "--b\r\nContent-Type: video/mp4\r\n"
	    "Content-Disposition: attachment; filename=\"a.mp4\"\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n\r\n"
	    "--b\r\nContent-Type: video/mp4\r\n"
	    "Content-Disposition: attachment; filename=\"b.mp4\"\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\nAAAA\r\n"
	    "--b\r\nContent-Type: application/octet-stream\r\n"
	    "Content-Disposition: attachment; filename=\"c.bin\"\r\n"
	    "\r\n--b--\r\n";
	struct message *m = NULL;
	g_autofree char *error = NULL;

	if (message_parse_data(mail, strlen(mail), NULL, &m, &error) < 0) {
		printf("FAIL empty-attachment: %s\n", error);
		return;
	}
	TEST_CHECK("empty-attachment:count", message_attachment_count(m) == 3);
	TEST_CHECK("empty-attachment:base64-nothing",
	    message_attachment_count(m) == 3 && message_attachment_empty(m, 0));
	TEST_CHECK("empty-attachment:base64-bytes",
	    message_attachment_count(m) == 3 && !message_attachment_empty(m, 1));
	TEST_CHECK("empty-attachment:no-body",
	    message_attachment_count(m) == 3 && message_attachment_empty(m, 2));
	message_free(&m);
}

/* The body as the sender wrote it, for the cloud attachment links in
 * it: each text part converted from its charset (gb2312 read as GB18030;
 * none and not UTF-8: GB18030), HTML apart, a forwarded mail's text and
 * attachments left out, at most the limits' body_bytes read. */
static void
test_body_text(void)
{
	static const char mail[] =
	    "From: a@example.test\r\nTo: b@example.test\r\nSubject: x\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed; boundary=\"m\"\r\n\r\n"
	    "--m\r\nContent-Type: multipart/alternative; boundary=\"a\"\r\n\r\n"
	    "--a\r\nContent-Type: text/plain; charset=gb2312\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n%s\r\n"
	    "--a\r\nContent-Type: text/html\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n\r\n"
	    "<div>\xb3\xac\xb4\xf3\xb8\xbd\xbc\xfe</div>\r\n--a--\r\n"
	    "--m\r\nContent-Type: message/rfc822\r\n\r\n"
	    "From: c@example.test\r\nSubject: old\r\n"
	    "Content-Type: text/html; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n%s\r\n"
	    "--m\r\nContent-Type: text/plain; name=\"a.txt\"\r\n"
	    "Content-Disposition: attachment; filename=\"a.txt\"\r\n\r\n"
	    "https://pan.baidu.com/s/1attached\r\n--m--\r\n";
	g_autofree char *data = NULL, *plain = NULL, *html = NULL;
	g_autofree char *error = NULL;
	struct mail_limits low = { .body_bytes = 22 };
	struct message *m = NULL;

	data = g_strdup_printf(mail, "x+vPwtTYo7rQx7PHtPOwri5tcDQgwbS906O6aHR0cHM6Ly9wYW4uYmFpZHUuY29tL3MvMWFiYyDM4cihwuujujMwMDU=", "PHA+6L2s5Y+R55qE5pen6ZO+5o6lIGh0dHBzOi8vcGFuLmJhaWR1LmNvbS9zLzFvbGQ8L3A+");
	if (message_parse_data(data, strlen(data), NULL, &m, &error) < 0) {
		printf("FAIL body-text:parse: %s\n", error);
		test_failures++;
		return;
	}
	message_body_text(m, &plain, &html);
	TEST_CHECK_STR("body-text:gb2312-plain", plain,
	    "请下载：星城大爱.mp4 链接：https://pan.baidu.com/s/1abc 提取码：3005");
	TEST_CHECK_STR("body-text:unlabelled-html-gbk", html,
	    "<div>超大附件</div>");
	message_free(&m);
	g_clear_pointer(&plain, g_free);
	g_clear_pointer(&html, g_free);
	TEST_CHECK("body-text:bounded", message_parse_data(data, strlen(data),
	    &low, &m, &error) == 0);
	message_body_text(m, &plain, &html);
	/* 22 bytes of GBK, cut inside 链: the characters before it */
	TEST_CHECK_STR("body-text:bounded-read", plain, "请下载：星城大爱.mp4 ");
	TEST_CHECK("body-text:bounded-nothing-more", html == NULL);
	message_free(&m);
}

/* Text replies: what a person asks, and what a responder writes that
 * its headers do not mark. */
static void
test_reply_texts(void)
{
	static const struct {
		const char *text;
		bool auto_reply, thanks;
	} t[] = {
		{ "请问视频超过8分钟怎么办？", false, false },
		{ "收到，谢谢。", false, true },
		{ "好的，谢谢！\n张三", false, true },
		{ "OK, thanks", false, true },
		{ "您的邮件已收到，我会尽快处理。", true, false },
		{ "这是来自QQ邮箱的假期自动回复邮件。您好，我最近正在休假中。", true,
		  false },
		{ "为什么我收到的是自动回复？", false, false },
		{ "我好像没收到回执", false, false },
		{ "请问怎么办", false, false },
		{ "", false, false },
	};
	static const char mail[] =
	    "From: a@b.example\r\nTo: c@d.example\r\nSubject: Re: x\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n\r\n"
	    "请问截止时间？\r\n\r\n在 2024年5月1日 10:00，征集活动组委会 写道：\r\n"
	    "> 回执编号：X-00001\r\n";
	struct message *m = NULL;
	g_autofree char *error = NULL;
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(t); i++) {
		g_autofree char *a = g_strdup_printf("reply text %zu: auto", i);
		g_autofree char *b = g_strdup_printf("reply text %zu: thanks", i);

		TEST_CHECK(a, message_text_is_auto_reply(t[i].text) ==
		    t[i].auto_reply);
		TEST_CHECK(b, message_text_is_thanks(t[i].text) == t[i].thanks);
	}
	if (message_parse_data(mail, sizeof(mail) - 1, NULL, &m, &error) == 0) {
		g_autofree char *own = message_reply_text(m);

		TEST_CHECK_STR("reply text: above the quote", own,
		    "请问截止时间？");
		message_free(&m);
	} else {
		TEST_CHECK("reply text: parse", false);
	}
}

int
main(void)
{
	char dir[] = "/tmp/test-message-out-XXXXXX";
	size_t i;
	int dirfd;

	umask(022);
	test_reply_texts();
	if (g_mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 2;
	}
	for (i = 0; i < G_N_ELEMENTS(mails); i++) {
		char *sub = g_strdup_printf("%s/%zu", dir, i);

		g_mkdir(sub, 0700);
		dirfd = open(sub, O_RDONLY | O_DIRECTORY);
		if (dirfd < 0) {
			perror(sub);
			return 2;
		}
		test_mail(&mails[i], dirfd);
		close(dirfd);
		remove_entry(sub);
		g_free(sub);
	}
	test_headers();
	test_errors();
	test_generated_limits();
	test_parse_data();
	test_limits_passed_in();
	test_body_text();
	test_dsn_report();
	test_dsn_bounded();
	test_damaged_utf8();
	test_empty_attachment();
	g_rmdir(dir);
	return TEST_EXIT();
}
