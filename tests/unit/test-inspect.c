/*
 * inspect, in this process: tiny clips made here with ffmpeg measured
 * from their headers and index (duration, size, a phone's rotation, the
 * pixel shape, frame rate, sound), a clip cut short and a program named
 * .mp4 unreadable, the read budget stopping a probe, and the child's
 * JSON answer read back as written.  Pictures and text works made by
 * tests/tools/fixtures.py (a CMYK poster's header, a JPEG and a PNG of
 * ffmpeg's, a .docx, a PDF with Chinese text, a scanned PDF, a GBK .txt,
 * a .doc) measured by type: size and colour model, 字数.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "archivelist.h"
#include "inspect.h"
#include "regform.h"
#include "mail_limits.h"
#include "test.h"

static char *dir;
static char *top;		/* the source tree: tests/tools */

/* ffmpeg ARGS -y DIR/NAME ("%s" in ARGS: DIR); true when it made the
 * file. */
static bool
make_clip(const char *name, const char *args)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);
	g_auto(GStrv) parts = g_strsplit(args, "%s", -1);
	g_autofree char *inputs = g_strjoinv(dir, parts);
	g_autofree char *cmd = g_strdup_printf("ffmpeg -loglevel error -nostdin "
	    "-y %s -threads 1 '%s'", inputs, path);
	int status = system(cmd);

	return status == 0 && g_file_test(path, G_FILE_TEST_EXISTS);
}

static struct media_facts
measure(const char *name, const struct inspect_limits *lim)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);
	struct media_facts f = { 0 };
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		f.duration_ms = -2;
		return f;
	}
	inspect_media_fd(fd, lim, &f);
	close(fd);
	return f;
}

/* Inputs first, then what they are encoded as. */
#define TESTSRC(size, rate, dur) \
	"-f lavfi -i testsrc2=size=" size ":rate=" rate ":duration=" dur
#define SINE(dur) \
	" -f lavfi -i sine=frequency=440:sample_rate=8000:duration=" dur
#define H264	" -c:v libx264 -preset ultrafast"
#define AAC	" -c:a aac -b:a 16k -shortest"

static void
test_clips(void)
{
	struct media_facts f;
	bool made;

	made = make_clip("ok.mp4", TESTSRC("320x180", "25", "2") SINE("2")
	    H264 AAC);
	TEST_CHECK("clip:ok-made", made);
	f = measure("ok.mp4", NULL);
	TEST_CHECK("clip:ok-readable", f.readable && !f.failed);
	TEST_CHECK("clip:ok-duration", f.duration_ms >= 2000 &&
	    f.duration_ms < 2100);
	TEST_CHECK("clip:ok-size", f.width == 320 && f.height == 180);
	TEST_CHECK("clip:ok-fps", f.fps_num == 25 * f.fps_den && f.fps_den > 0);
	TEST_CHECK("clip:ok-audio", f.video && f.audio);
	TEST_CHECK("clip:ok-bitrate", f.bitrate > 0 &&
	    f.bitrate == f.size * 8 * 1000 / (uint64_t)f.duration_ms);
	TEST_CHECK("clip:ok-container", strcmp(f.container, "mov") == 0 &&
	    strcmp(f.vcodec, "h264") == 0 && strcmp(f.acodec, "aac") == 0);
	TEST_CHECK("clip:ok-read-counted", f.bytes_read > 0 &&
	    f.bytes_read <= f.size);

	/* 9:12, still and tiny. */
	made = make_clip("long.mp4", "-f lavfi -i color=c=blue:size=64x36:"
	    "rate=25:duration=552 -c:v libx264 -preset ultrafast -tune "
	    "stillimage");
	f = measure("long.mp4", NULL);
	TEST_CHECK("clip:long", made && f.readable &&
	    f.duration_ms / 1000 == 552);

	/* A phone held upright: stored 320x180, turned 90 degrees. */
	made = make_clip("upright.mp4", TESTSRC("320x180", "30", "1") H264
	    " -an") && make_clip("turned.mp4", "-i '%s/upright.mp4' -c copy "
	    "-metadata:s:v:0 rotate=90");
	f = measure("turned.mp4", NULL);
	TEST_CHECK("clip:portrait", made && f.width == 180 && f.height == 320);
	TEST_CHECK("clip:no-audio", f.video && !f.audio);

	/* 144x108 pixels, each 4:3 wide: a 16:9 picture. */
	made = make_clip("sar.mp4", TESTSRC("144x108", "25", "1") H264
	    " -vf setsar=4/3 -an");
	f = measure("sar.mp4", NULL);
	TEST_CHECK("clip:sar", made && f.width == 144 && f.sar_num == 4 &&
	    f.sar_den == 3);

	made = make_clip("ntsc.mp4", TESTSRC("64x36", "30000/1001", "1") H264
	    " -an");
	f = measure("ntsc.mp4", NULL);
	TEST_CHECK("clip:29.97", made && f.fps_num == 30000 &&
	    f.fps_den == 1001);
}

static void
test_broken(void)
{
	g_autofree char *ok = g_build_filename(dir, "ok.mp4", NULL);
	g_autofree char *cut = g_build_filename(dir, "cut.mp4", NULL);
	g_autofree char *exe = g_build_filename(dir, "program.mp4", NULL);
	g_autofree char *fast = g_build_filename(dir, "fast.mp4", NULL);
	g_autofree char *fastcut = g_build_filename(dir, "fastcut.mp4", NULL);
	g_autofree char *data = NULL;
	struct inspect_limits tight = { .media_bytes = 4096 };
	struct media_facts f;
	char pe[512] = "MZ";
	gsize len = 0;

	/* Cut in half: the moov index (at the end) is gone. */
	if (g_file_get_contents(ok, &data, &len, NULL))
		(void)g_file_set_contents(cut, data, (gssize)len / 2, NULL);
	f = measure("cut.mp4", NULL);
	TEST_CHECK("cut:unreadable", !f.readable && !f.failed &&
	    strstr(f.error, "moov atom not found") != NULL);

	/* The index first (faststart), then cut: it opens, and its index
	 * points past the end. */
	g_clear_pointer(&data, g_free);
	if (make_clip("fast.mp4", TESTSRC("320x180", "25", "2") SINE("2")
	    H264 AAC " -movflags +faststart") &&
	    g_file_get_contents(fast, &data, &len, NULL))
		(void)g_file_set_contents(fastcut, data, (gssize)len / 2, NULL);
	f = measure("fast.mp4", NULL);
	TEST_CHECK("fast:whole", f.readable && !f.truncated &&
	    f.expected_size == 0);
	f = measure("fastcut.mp4", NULL);
	TEST_CHECK("fast-cut:truncated", f.truncated && !f.failed &&
	    f.size == len / 2 && f.expected_size > f.size &&
	    f.expected_size <= len && strstr(f.error, "cut short") != NULL);

	memcpy(pe + 0x3c, "\x40\0\0\0", 4);
	memcpy(pe + 0x40, "PE\0\0\x4c\x01", 6);
	(void)g_file_set_contents(exe, pe, sizeof(pe), NULL);
	f = measure("program.mp4", NULL);
	TEST_CHECK("program:unreadable", !f.readable && !f.failed &&
	    f.bytes_read <= sizeof(pe));

	/* Over the byte budget: stopped, and said to be our stop. */
	f = measure("long.mp4", &tight);
	TEST_CHECK("budget:failed", f.failed && !f.readable &&
	    f.bytes_read <= 4096);
}

/* fixtures.py SPEC into DIR/NAME, then its facts as the type says. */
static struct media_facts
document(const char *name, const char *spec, const char *mime,
    const struct inspect_limits *lim)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);
	g_autofree char *cmd = g_strdup_printf("python3 tests/tools/fixtures.py "
	    "--dir '%s' --out '%s' %s >/dev/null", dir, path, spec);
	struct media_facts f = { .duration_ms = -2 };
	struct inspect_limits l;
	int fd;

	inspect_limits_resolve(&l, lim);
	if (system(cmd) != 0 || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return f;
	/* The daemon hands over a file it has just written: the offset is
	 * at the end, and must not matter. */
	(void)lseek(fd, 0, SEEK_END);
	inspect_content_fd(fd, &(struct inspect_ask){ .mime = mime,
	    .tmpdir = -1 }, &l, &f, NULL);
	close(fd);
	return f;
}

#define DOCX_MIME "application/vnd.openxmlformats-officedocument." \
	"wordprocessingml.document"

static void
test_documents(void)
{
	struct inspect_limits small = { .text_bytes = 1000 };
	struct inspect_limits one_page = { .pdf_pages = 1 };
	struct media_facts f;

	if (!g_file_test("tests/tools/fixtures.py", G_FILE_TEST_EXISTS)) {
		printf("SKIP documents: run from the source tree\n");
		return;
	}
	f = document("poster.jpg", "jpg cmyk=yes size=4961x3508", "image/jpeg",
	    NULL);
	TEST_CHECK("image:cmyk", f.kind == FACTS_IMAGE && f.image.known &&
	    f.image.cmyk && f.image.width == 4961 && f.image.height == 3508 &&
	    f.image.dpi == 300 && strcmp(f.image.format, "jpeg") == 0);
	f = document("photo.jpg", "jpg size=640x480", "image/jpeg", NULL);
	TEST_CHECK("image:rgb-jpeg", f.image.known && !f.image.cmyk &&
	    f.image.width == 640 && f.image.height == 480);
	f = document("poster.png", "png size=320x240", "image/png", NULL);
	TEST_CHECK("image:png", f.image.known && !f.image.cmyk &&
	    f.image.width == 320 && strcmp(f.image.format, "png") == 0);
	f = document("work.docx", "docx chars=986", DOCX_MIME, NULL);
	TEST_CHECK("text:docx-986", f.kind == FACTS_TEXT &&
	    f.text.state == TEXT_COUNTED && f.text.characters == 986);
	f = document("long.docx", "docx chars=10200", DOCX_MIME, NULL);
	TEST_CHECK("text:docx-10200", f.text.state == TEXT_COUNTED &&
	    f.text.characters == 10200);
	f = document("big.docx", "docx chars=2000", DOCX_MIME, &small);
	TEST_CHECK("text:docx-over-limit", f.text.state == TEXT_UNREADABLE &&
	    strstr(f.error, "over 1000 bytes") != NULL);
	f = document("report.pdf", "pdf chars=2100", "application/pdf", NULL);
	TEST_CHECK("text:pdf-2100", f.text.state == TEXT_COUNTED &&
	    f.text.characters == 2100 && f.text.pages == 2 && !f.text.cut);
	f = document("report.pdf", "pdf chars=2100", "application/pdf",
	    &one_page);
	TEST_CHECK("text:pdf-pages-bound", f.text.state == TEXT_COUNTED &&
	    f.text.characters == 1500 && f.text.cut);
	f = document("scan.pdf", "pdf scanned=yes", "application/pdf", NULL);
	TEST_CHECK("text:pdf-scanned", f.text.state == TEXT_SCANNED &&
	    f.text.characters == 0 && f.text.pages == 1);
	f = document("gbk.txt", "txt encoding=gbk chars=1500", "text/plain",
	    NULL);
	TEST_CHECK("text:txt-gbk", f.text.state == TEXT_COUNTED &&
	    f.text.characters == 1500);
	f = document("utf8.txt", "txt chars=700", "text/plain", NULL);
	TEST_CHECK("text:txt-utf8", f.text.state == TEXT_COUNTED &&
	    f.text.characters == 700);
	f = document("old.doc", "doc chars=800", "application/msword", NULL);
	TEST_CHECK("text:doc-not-read", f.kind == FACTS_TEXT &&
	    f.text.state == TEXT_OLD_FORMAT);
	f = document("not.docx", "txt chars=10", DOCX_MIME, NULL);
	TEST_CHECK("text:docx-not-zip", f.text.state == TEXT_UNREADABLE);
}

/* mkarchive.py ARGS into DIR/NAME (FILE in ARGS: a file of DIR), then
 * listed, entries measured (extracted under DIR) when entries is set;
 * the facts own their listing (media_facts_free). */
static struct media_facts *
archive(const char *name, const char *args, const char *mime, bool entries,
    const struct inspect_limits *lim)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);
	g_autofree char *cmd = g_strdup_printf("cd '%s' && python3 '%s/tests/"
	    "tools/mkarchive.py' '%s' %s >/dev/null", dir, top, path, args);
	struct media_facts *f = g_new0(struct media_facts, 1);
	struct inspect_limits l;
	int fd, tmp = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	inspect_limits_resolve(&l, lim);
	if (system(cmd) == 0 && (fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
		inspect_content_fd(fd, &(struct inspect_ask){ .mime = mime,
		    .entries = entries, .tmpdir = tmp }, &l, f, NULL);
		close(fd);
	}
	close(tmp);
	return f;
}

/* The number of files in DIR: what extracting left behind. */
static unsigned
files_in_dir(void)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	unsigned n = 0;

	while (d != NULL && g_dir_read_name(d) != NULL)
		n++;
	if (d != NULL)
		g_dir_close(d);
	return n;
}

#define ZIP	"application/zip"

static void
test_archives(void)
{
	struct inspect_limits small = { .archive_bytes = 64 * 1024 };
	struct media_facts *f;
	struct archive_item *it;
	unsigned before;
	char pe[512] = "MZ";

	g_autofree char *exe = g_build_filename(dir, "setup.exe", NULL);
	g_autofree char *make = g_strdup_printf("cd '%s' && python3 "
	    "'%s/tests/tools/fixtures.py' --dir . --out pic.jpg jpg >/dev/null "
	    "&& python3 '%s/tests/tools/fixtures.py' --dir . --out form.docx "
	    "docx >/dev/null", dir, top, top);

	memcpy(pe + 0x3c, "\x40\0\0\0", 4);
	memcpy(pe + 0x40, "PE\0\0\x4c\x01", 6);
	TEST_CHECK("archives:made", g_file_set_contents(exe, pe, sizeof(pe),
	    NULL) && system(make) == 0);
	/* GBK names without the flag, a picture inside measured. */
	f = archive("gbk.zip", "--gbk '山村新貌/山村新貌1.jpg=pic.jpg' "
	    "'星城大爱报名表.docx=form.docx'", ZIP, false, NULL);
	TEST_CHECK("zip:listed", f->kind == FACTS_ARCHIVE &&
	    f->archive != NULL && f->archive->opened &&
	    f->archive->count == 2 && f->archive->entries == 2);
	TEST_CHECK_STR("zip:gbk-name", f->archive->count > 0 ?
	    f->archive->items[0].name : "", "山村新貌/山村新貌1.jpg");
	TEST_CHECK_STR("zip:gbk-charset", f->archive->charset, "GB18030");
	TEST_CHECK_STR("zip:entry-type", f->archive->count > 1 ?
	    f->archive->items[1].mime : "", DOCX_MIME);
	TEST_CHECK("zip:not-measured", f->archive->count > 0 &&
	    f->archive->items[0].media == NULL);
	media_facts_free(&f);

	before = files_in_dir();
	f = archive("gbk2.zip", "--gbk '山村新貌/山村新貌1.jpg=pic.jpg'", ZIP,
	    true, NULL);
	it = f->archive != NULL && f->archive->count > 0 ?
	    &f->archive->items[0] : NULL;
	TEST_CHECK("zip:measured", it != NULL && it->media != NULL &&
	    it->media->kind == FACTS_IMAGE && it->media->image.width == 1280 &&
	    it->media->image.height == 720);
	/* The extracted copy is gone; only the new archive is there. */
	TEST_CHECK("zip:nothing-left", files_in_dir() == before + 1);
	media_facts_free(&f);

	f = archive("exe.zip", "'作品/星城大爱.mp4=setup.exe'", ZIP, true, NULL);
	TEST_CHECK_STR("zip:program-type", f->archive->count == 1 ?
	    f->archive->items[0].mime : "",
	    "application/vnd.microsoft.portable-executable");
	TEST_CHECK_STR("zip:utf8-name", f->archive->count == 1 ?
	    f->archive->items[0].name : "", "作品/星城大爱.mp4");
	media_facts_free(&f);

	/* 100 MiB of zeros in about 100 KB: over the ratio, declared. */
	f = archive("bomb.zip", "--zeros zeros.bin=100", ZIP, true, NULL);
	TEST_CHECK("zip:bomb-ratio", f->archive->over == ARCHIVE_OVER_RATIO &&
	    f->archive->count == 0 && f->bytes_read < 1024 * 1024);
	media_facts_free(&f);
	/* Over the bytes it declares, in a small budget. */
	f = archive("big.zip", "--zeros zeros.bin=1", ZIP, true, &small);
	TEST_CHECK("zip:bytes", f->archive->over == ARCHIVE_OVER_BYTES);
	media_facts_free(&f);

	f = archive("secret.zip", "--password 123456 '作品.docx=form.docx'",
	    ZIP, true, NULL);
	TEST_CHECK("zip:encrypted", f->archive->opened &&
	    f->archive->encrypted && f->archive->count == 1 &&
	    f->archive->items[0].encrypted &&
	    *f->archive->items[0].mime == '\0');
	media_facts_free(&f);

	f = archive("works.7z", "'山村新貌/山村新貌1.jpg=pic.jpg' "
	    "'山村新貌/inner.zip=exe.zip'", "application/x-7z-compressed",
	    true, NULL);
	TEST_CHECK("7z:listed", f->archive->opened && f->archive->count == 2);
	TEST_CHECK("7z:names", f->archive->count == 2 &&
	    (strcmp(f->archive->items[0].name, "山村新貌/山村新貌1.jpg") == 0 ||
	    strcmp(f->archive->items[1].name, "山村新貌/山村新貌1.jpg") == 0));
	TEST_CHECK("7z:nested-not-opened", f->archive->count == 2 &&
	    (f->archive->items[0].nested || f->archive->items[1].nested));
	media_facts_free(&f);

	/* Cut in half: no central directory; read as a stream, it breaks
	 * off in its first entry. */
	{
		g_autofree char *whole = g_build_filename(dir, "gbk.zip", NULL);
		g_autofree char *cut = g_build_filename(dir, "cut.zip", NULL);
		g_autofree char *data = NULL;
		gsize len = 0;
		int fd;

		f = g_new0(struct media_facts, 1);
		if (g_file_get_contents(whole, &data, &len, NULL) &&
		    g_file_set_contents(cut, data, (gssize)len / 2, NULL) &&
		    (fd = open(cut, O_RDONLY | O_CLOEXEC)) >= 0) {
			inspect_content_fd(fd, &(struct inspect_ask){
			    .mime = ZIP, .tmpdir = -1 }, NULL, f, NULL);
			close(fd);
		}
		TEST_CHECK("zip:cut-damaged", f->archive != NULL &&
		    *f->archive->error != '\0' && *f->error != '\0');
		media_facts_free(&f);
	}
}

/* inspect_file() from a program that is not subgate (this test) works
 * in-process: re-running itself as `subgate inspect` would start the
 * whole test again in every child, each inspecting again. */
static void
test_not_subgate(void)
{
	g_autofree char *path = g_build_filename(dir, "plain.txt", NULL);
	g_autofree char *error = NULL;
	struct content_facts f;
	int fd, r = -1;

	g_unsetenv("SUBGATE_INSPECT_INPROC");
	if (g_file_set_contents(path, "脱贫攻坚一线的报告", -1, NULL) &&
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
		r = inspect_file(fd, &(struct inspect_ask){
		    .mime = "text/plain", .tmpdir = -1 }, NULL, &f, &error);
		close(fd);
	}
	TEST_CHECK("not-subgate:in-process", r == 0 && !f.media.failed &&
	    f.media.kind == FACTS_TEXT &&
	    f.media.text.state == TEXT_COUNTED &&
	    f.media.text.characters == 9);
}

/* Cells short of a member, with a merge that is none, a paragraph
 * without its table count; one good cell. */
static const char odd_form[] = "{\"media\":{},\"form\":{\"cells\":"
    "[[0,0,0,1,0],[0,0,1,1,9,\"x\"],[0,0,2,1,0,\"制作单位\"]],"
    "\"paragraphs\":[[\"y\"]]}}";

static void
test_json(void)
{
	struct content_facts in = { .mime = "video/mp4", .elapsed_ms = 7 };
	struct content_facts out;
	g_autofree char *text = NULL, *why = NULL;

	in.media = measure("ok.mp4", NULL);
	text = inspect_facts_json(&in);
	TEST_CHECK("json:parses", inspect_facts_parse(text, strlen(text),
	    &out, &why) == 0);
	TEST_CHECK("json:same", in.media.duration_ms == out.media.duration_ms &&
	    in.media.width == out.media.width && in.media.sar_den ==
	    out.media.sar_den && in.media.fps_num == out.media.fps_num &&
	    in.media.bitrate == out.media.bitrate && in.media.audio ==
	    out.media.audio && in.media.readable == out.media.readable &&
	    in.media.bytes_read == out.media.bytes_read &&
	    strcmp(in.media.vcodec, out.media.vcodec) == 0 &&
	    strcmp(out.mime, "video/mp4") == 0 && out.elapsed_ms == 7);
	g_clear_pointer(&why, g_free);
	in.media.truncated = true, in.media.expected_size = 123456;
	text = (g_free(text), inspect_facts_json(&in));
	TEST_CHECK("json:truncated", inspect_facts_parse(text, strlen(text),
	    &out, &why) == 0 && out.media.truncated &&
	    out.media.expected_size == 123456);
	g_clear_pointer(&why, g_free);
	in.media = (struct media_facts){ .kind = FACTS_TEXT };
	in.media.text.characters = 986;
	text = (g_free(text), inspect_facts_json(&in));
	TEST_CHECK("json:text", inspect_facts_parse(text, strlen(text), &out,
	    &why) == 0 && out.media.kind == FACTS_TEXT &&
	    out.media.text.state == TEXT_COUNTED &&
	    out.media.text.characters == 986);
	in.media = (struct media_facts){ .kind = FACTS_IMAGE };
	in.media.image.known = true, in.media.image.cmyk = true;
	in.media.image.width = 10, in.media.image.height = 20;
	g_strlcpy(in.media.image.format, "jpeg", sizeof(in.media.image.format));
	text = (g_free(text), inspect_facts_json(&in));
	TEST_CHECK("json:image", inspect_facts_parse(text, strlen(text), &out,
	    &why) == 0 && out.media.kind == FACTS_IMAGE &&
	    out.media.image.cmyk && out.media.image.height == 20);
	g_clear_pointer(&why, g_free);
	TEST_CHECK("json:nonsense", inspect_facts_parse("{\"x\":1}", 7, &out,
	    &why) < 0 && why != NULL);
	g_clear_pointer(&why, g_free);

	/* A form's cells, as the child sends them. */
	in.media = (struct media_facts){ .kind = FACTS_TEXT };
	in.form = regform_cells_new(10, 1000);
	regform_cells_add_cell(in.form, &(struct regform_cell){ 0, 2, 1, 3,
	    REGFORM_VMERGE_CONTINUE, "金坛区融媒体中心" });
	regform_cells_add_paragraph(in.form, 1, "报送单位：金坛区委组织部");
	text = (g_free(text), inspect_facts_json(&in));
	TEST_CHECK("json:form", inspect_facts_parse(text, strlen(text), &out,
	    &why) == 0 && out.form != NULL &&
	    regform_cells_cell_count(out.form) == 1 &&
	    regform_cells_cell(out.form, 0)->row == 2 &&
	    regform_cells_cell(out.form, 0)->col == 1 &&
	    regform_cells_cell(out.form, 0)->span == 3 &&
	    regform_cells_cell(out.form, 0)->vmerge ==
	    REGFORM_VMERGE_CONTINUE &&
	    strcmp(regform_cells_cell(out.form, 0)->text, "金坛区融媒体中心") ==
	    0 && regform_cells_paragraph_count(out.form) == 1 &&
	    regform_cells_paragraph(out.form, 0)->tables_before == 1);
	content_facts_clear(&out);
	content_facts_clear(&in);
	TEST_CHECK("json:form cleared", in.form == NULL);
	/* A cell of the wrong shape is left out, the rest kept. */
	TEST_CHECK("json:form shape", inspect_facts_parse(odd_form,
	    strlen(odd_form), &out, &why) == 0 && out.form != NULL &&
	    regform_cells_cell_count(out.form) == 1 &&
	    regform_cells_paragraph_count(out.form) == 0);
	content_facts_clear(&out);
}

int
main(void)
{
	g_autofree char *ffmpeg = g_find_program_in_path("ffmpeg");

	if (ffmpeg == NULL) {
		printf("SKIP inspect: no ffmpeg to make the clips\n");
		return 0;
	}
	dir = g_dir_make_tmp("subgate-inspect-XXXXXX", NULL);
	top = g_get_current_dir();
	test_clips();
	test_broken();
	test_json();
	test_documents();
	test_archives();
	test_not_subgate();
	g_free(top);
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
	(void)system(cmd);
	g_free(dir);
	return TEST_EXIT();
}
