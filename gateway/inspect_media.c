/* inspect_media: libavformat on a budget; see include/inspect.h. */
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>

#include "inspect.h"
#include "mail_limits.h"

/*
 * FFmpeg is loaded with dlopen, in the inspecting child only: linked
 * into subgate, libavcodec and the hundred codec libraries it needs would
 * be mapped and relocated in the daemon and every command (about 20 MiB
 * more resident memory each, for code only the child runs).  The headers
 * still give the types and the ABI: the soname is the major version they
 * are of.
 */
#define AV_FUNCS(X) \
	X(avformat_alloc_context) X(avformat_free_context) \
	X(avformat_open_input) X(avformat_find_stream_info) \
	X(avformat_close_input) X(avio_alloc_context) X(avio_context_free) \
	X(av_malloc) X(av_free) X(av_freep) X(av_strdup) \
	X(av_log_set_callback) X(av_strerror) X(av_guess_sample_aspect_ratio) \
	X(av_stream_get_side_data) X(av_display_rotation_get) \
	X(avcodec_get_name) X(avformat_index_get_entries_count) \
	X(avformat_index_get_entry)
#define AV_SONAME	"libavformat.so." G_STRINGIFY(LIBAVFORMAT_VERSION_MAJOR)
#define AV_POINTER(name)	__typeof__(name) *name;

static struct {
	AV_FUNCS(AV_POINTER)
} av;

/* The containers works come in; anything else is not read at all. */
#define MEDIA_DEMUXERS	"mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,flv," \
    "mpegts,mpeg,mp3,wav,aac,ogg,asf"
#define MEDIA_IO_BUFFER	(64 * 1024)
/* Bytes probed for a format without an index (MPEG-TS, MP3). */
#define MEDIA_PROBE_BYTES	(1 << 20)

/* The file as libavformat sees it: every read counted against a budget
 * and a deadline. */
struct budget_io {
	int fd;
	int64_t size, pos;
	uint64_t read, budget;
	gint64 deadline;		/* monotonic, microseconds */
	bool over;			/* the budget or the deadline ran out */
};

static int
bio_read(void *opaque, uint8_t *buf, int n)
{
	struct budget_io *b = opaque;
	ssize_t r;

	if (g_get_monotonic_time() > b->deadline || b->read >= b->budget) {
		b->over = true;
		return AVERROR_EXIT;
	}
	if ((uint64_t)n > b->budget - b->read)
		n = (int)(b->budget - b->read);
	do
		r = pread(b->fd, buf, (size_t)n, b->pos);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return AVERROR(errno);
	if (r == 0)
		return AVERROR_EOF;
	b->pos += r;
	b->read += (uint64_t)r;
	return (int)r;
}

static int64_t
bio_seek(void *opaque, int64_t off, int whence)
{
	struct budget_io *b = opaque;
	int64_t to;

	whence &= ~AVSEEK_FORCE;
	if (whence == AVSEEK_SIZE)
		return b->size;
	if (whence == SEEK_SET)
		to = off;
	else if (whence == SEEK_CUR)
		to = b->pos + off;
	else if (whence == SEEK_END)
		to = b->size + off;
	else
		return AVERROR(EINVAL);
	if (to < 0)
		return AVERROR(EINVAL);
	b->pos = to;
	return to;
}

static int
bio_interrupt(void *opaque)
{
	struct budget_io *b = opaque;

	if (g_get_monotonic_time() > b->deadline)
		b->over = true;
	return b->over;
}

/* A MOV's external reference or a playlist's entry: another file, which
 * a mailed work never has and a hostile one would use to read ours. */
static int
deny_io_open(struct AVFormatContext *s, AVIOContext **pb, const char *url,
    int flags, AVDictionary **options)
{
	(void)s, (void)pb, (void)url, (void)flags, (void)options;
	return AVERROR(EPERM);
}

/* libavformat's last complaint ("moov atom not found"), which says more
 * than its error code. */
static __thread char av_complaint[160];

static void av_log_keep(void *avcl, int level, const char *fmt, va_list vl)
    G_GNUC_PRINTF(3, 0);

static void
av_log_keep(void *avcl, int level, const char *fmt, va_list vl)
{
	size_t n;

	(void)avcl;
	if (level > AV_LOG_ERROR)
		return;
	vsnprintf(av_complaint, sizeof(av_complaint), fmt, vl);
	n = strlen(av_complaint);
	while (n > 0 && (av_complaint[n - 1] == '\n' ||
	    av_complaint[n - 1] == ' '))
		av_complaint[--n] = '\0';
}

static void
set_error(struct media_facts *f, const char *what, int err)
{
	char buf[AV_ERROR_MAX_STRING_SIZE] = "";

	av.av_strerror(err, buf, sizeof(buf));
	g_snprintf(f->error, sizeof(f->error), "%s: %s", what,
	    *av_complaint != '\0' ? av_complaint : buf);
}

/* The first picture stream that is not cover art, or NULL. */
static const AVStream *
video_stream(const AVFormatContext *fc)
{
	unsigned i;

	for (i = 0; i < fc->nb_streams; i++) {
		const AVStream *st = fc->streams[i];

		if (st->codecpar->codec_type == AVMEDIA_TYPE_VIDEO &&
		    !(st->disposition & AV_DISPOSITION_ATTACHED_PIC))
			return st;
	}
	return NULL;
}

/* Size, pixel shape and rate of the picture, turned as a phone's player
 * turns it (a display matrix of ±90°: portrait). */
static void
video_facts(AVFormatContext *fc, const AVStream *st, struct media_facts *f)
{
	AVRational sar = av.av_guess_sample_aspect_ratio(fc, (AVStream *)st,
	    NULL);
	AVRational fps = st->r_frame_rate.num > 0 ? st->r_frame_rate :
	    st->avg_frame_rate;
	const uint8_t *matrix = av.av_stream_get_side_data(st,
	    AV_PKT_DATA_DISPLAYMATRIX, NULL);
	unsigned w = (unsigned)st->codecpar->width;
	unsigned h = (unsigned)st->codecpar->height;

	f->video = true;
	f->width = w, f->height = h;
	if (sar.num > 0 && sar.den > 0)
		f->sar_num = (unsigned)sar.num, f->sar_den = (unsigned)sar.den;
	if (matrix != NULL) {
		double rot = av.av_display_rotation_get((const int32_t *)matrix);
		long deg = (long)(rot < 0 ? 0.5 - rot : rot + 0.5) % 180;

		if (deg >= 89 && deg <= 91) {
			f->width = h, f->height = w;
			if (f->sar_num > 0) {
				unsigned t = f->sar_num;

				f->sar_num = f->sar_den, f->sar_den = t;
			}
		}
	}
	if (fps.num > 0 && fps.den > 0)
		f->fps_num = (unsigned)fps.num, f->fps_den = (unsigned)fps.den;
	g_strlcpy(f->vcodec, av.avcodec_get_name(st->codecpar->codec_id),
	    sizeof(f->vcodec));
}

static void
stream_facts(AVFormatContext *fc, struct media_facts *f)
{
	const AVStream *v = video_stream(fc);
	unsigned i;

	if (v != NULL)
		video_facts(fc, v, f);
	for (i = 0; i < fc->nb_streams; i++) {
		const AVCodecParameters *p = fc->streams[i]->codecpar;

		if (p->codec_type != AVMEDIA_TYPE_AUDIO)
			continue;
		if (!f->audio)
			g_strlcpy(f->acodec, av.avcodec_get_name(p->codec_id),
			    sizeof(f->acodec));
		f->audio = true;
	}
	if (fc->duration != AV_NOPTS_VALUE && fc->duration > 0)
		f->duration_ms = fc->duration / 1000;
	/* What the notices call 码流: the whole file over its length, not
	 * the encoder's nominal figure. */
	if (f->duration_ms > 0)
		f->bitrate = f->size * 8 * 1000 / (uint64_t)f->duration_ms;
	g_strlcpy(f->container, fc->iformat->name, sizeof(f->container));
	f->container[strcspn(f->container, ",")] = '\0';
	f->readable = f->video || f->audio;
	if (!f->readable)
		g_strlcpy(f->error, "no picture or sound stream",
		    sizeof(f->error));
}

/* Where the last sample the index knows of ends, 0 when it knows none.
 * An MP4 whose index (moov) comes first opens whole when the file is cut
 * short, the samples it indexes simply missing: this is how such a cut
 * shows.  Reading the index costs nothing: mov_read_header built it. */
static uint64_t
index_end(AVFormatContext *fc)
{
	uint64_t end = 0;
	unsigned i;

	for (i = 0; i < fc->nb_streams; i++) {
		int n = av.avformat_index_get_entries_count(fc->streams[i]);
		const AVIndexEntry *e;

		/* In timestamp order, not file order (B-frames, edit
		 * lists): every entry is looked at, all in memory. */
		while (n-- > 0) {
			e = av.avformat_index_get_entry(fc->streams[i], n);
			if (e != NULL && e->pos >= 0 &&
			    (uint64_t)e->pos + (uint64_t)e->size > end)
				end = (uint64_t)e->pos + (uint64_t)e->size;
		}
	}
	return end;
}

/* Cut short with its index intact: unreadable, and said why. */
static void
check_cut(AVFormatContext *fc, struct media_facts *f)
{
	uint64_t end = index_end(fc);

	if (end <= f->size)
		return;
	f->truncated = true;
	f->expected_size = end;
	g_snprintf(f->error, sizeof(f->error), "cut short: %" G_GUINT64_FORMAT
	    " of the %" G_GUINT64_FORMAT " bytes its index points into",
	    f->size, end);
}

/* The context over b, or NULL (out of memory). */
static AVFormatContext *
media_context(struct budget_io *b, const struct inspect_limits *lim)
{
	AVFormatContext *fc = av.avformat_alloc_context();
	uint8_t *buf = av.av_malloc(MEDIA_IO_BUFFER);
	AVIOContext *pb = buf != NULL ? av.avio_alloc_context(buf,
	    MEDIA_IO_BUFFER, 0, b, bio_read, NULL, bio_seek) : NULL;

	if (fc == NULL || pb == NULL) {
		av.av_free(buf);
		av.avformat_free_context(fc);
		return NULL;
	}
	fc->pb = pb;
	fc->flags |= AVFMT_FLAG_CUSTOM_IO;
	fc->interrupt_callback.callback = bio_interrupt;
	fc->interrupt_callback.opaque = b;
	fc->io_open = deny_io_open;
	fc->format_whitelist = av.av_strdup(MEDIA_DEMUXERS);
	fc->probesize = MEDIA_PROBE_BYTES;
	fc->max_analyze_duration = 5 * AV_TIME_BASE;
	fc->max_streams = (int)lim->media_streams;
	return fc;
}

static void
media_context_free(AVFormatContext **fcp, AVIOContext *pb, bool opened)
{
	if (opened)
		av.avformat_close_input(fcp);
	else
		av.avformat_free_context(*fcp);
	*fcp = NULL;
	if (pb != NULL) {
		av.av_freep(&pb->buffer);
		av.avio_context_free(&pb);
	}
}

/* libavformat and what it needs, once per process; NULL, or why not
 * (not installed: the file is not inspected, and staff are told). */
static const char *
av_load(void)
{
	static gsize done;
	static char why[160];

	if (g_once_init_enter(&done)) {
		void *h = dlopen(AV_SONAME, RTLD_NOW | RTLD_LOCAL);

		if (h == NULL)
			g_strlcpy(why, dlerror(), sizeof(why));
#define AV_LOOKUP(name) \
		if (h != NULL && *why == '\0' && \
		    (av.name = (__typeof__(av.name))dlsym(h, #name)) == NULL) \
			g_snprintf(why, sizeof(why), "%s: no %s", AV_SONAME, \
			    #name);
		AV_FUNCS(AV_LOOKUP)
#undef AV_LOOKUP
		if (*why == '\0')
			av.av_log_set_callback(av_log_keep);
		g_once_init_leave(&done, 1);
	}
	return *why != '\0' ? why : NULL;
}

void
inspect_media_fd(int fd, const struct inspect_limits *limits,
    struct media_facts *f)
{
	struct inspect_limits lim;
	struct budget_io b = { .fd = fd };
	AVFormatContext *fc;
	AVIOContext *pb;
	struct stat st;
	const char *missing;
	int r;

	memset(f, 0, sizeof(*f));
	f->duration_ms = -1;
	inspect_limits_resolve(&lim, limits);
	if ((missing = av_load()) != NULL) {
		g_strlcpy(f->error, missing, sizeof(f->error));
		f->failed = true;
		return;
	}
	*av_complaint = '\0';
	if (fstat(fd, &st) < 0) {
		g_snprintf(f->error, sizeof(f->error), "fstat: %s",
		    g_strerror(errno));
		f->failed = true;
		return;
	}
	b.size = st.st_size;
	f->size = (uint64_t)st.st_size;
	b.budget = lim.media_bytes;
	b.deadline = g_get_monotonic_time() + (gint64)lim.media_ms * 1000;
	if ((fc = media_context(&b, &lim)) == NULL) {
		g_strlcpy(f->error, "out of memory", sizeof(f->error));
		f->failed = true;
		return;
	}
	pb = fc->pb;
	/* On failure avformat_open_input frees fc, never our pb. */
	if ((r = av.avformat_open_input(&fc, "", NULL, NULL)) < 0) {
		set_error(f, "open", r);
		media_context_free(&fc, pb, false);
	} else {
		if ((r = av.avformat_find_stream_info(fc, NULL)) < 0 && !b.over)
			set_error(f, "stream info", r);
		if (!b.over)
			stream_facts(fc, f);
		if (!b.over && f->readable)
			check_cut(fc, f);
		media_context_free(&fc, pb, true);
	}
	f->bytes_read = b.read;
	/* Out of budget or time: not the file's fault that we stopped. */
	if (b.over) {
		f->failed = true;
		f->readable = false;
		g_snprintf(f->error, sizeof(f->error), "stopped after %"
		    G_GUINT64_FORMAT " bytes: over the read budget or the "
		    "deadline", b.read);
	}
}
