/*
 * inspect_private: what the files of the inspect module share.
 *
 *   inspect.c          the child, its answer, the dispatch by type
 *   inspect_media.c    video and audio: libavformat on a budget
 *   inspect_doc.c      pictures' headers; .docx, PDF, .txt 字数
 *   inspect_archive.c  zip, 7z, RAR: the listing, entries measured
 *
 * The libraries that parse hostile bytes are loaded with dlopen, in the
 * inspecting process only, through a table of the functions used:
 * LIB_LOAD fills one once per process and says why it could not.
 */
#ifndef SUBGATE_INSPECT_PRIVATE_H
#define SUBGATE_INSPECT_PRIVATE_H

#include <dlfcn.h>

#include <glib.h>

#include "inspect.h"

#define LIB_POINTER(name)	__typeof__(name) *name;
/* dlopen soname once and look up each of funcs into table; why (a
 * static buffer) says what failed, "" when nothing did. */
#define LIB_LOAD(soname, funcs, lookup, why) do {			\
	static gsize done_;						\
	if (g_once_init_enter(&done_)) {				\
		void *h_ = dlopen(soname, RTLD_NOW | RTLD_LOCAL);	\
		if (h_ == NULL)						\
			g_strlcpy(why, dlerror(), sizeof(why));		\
		funcs(lookup)						\
		g_once_init_leave(&done_, 1);				\
	}								\
} while (0)
#define LIB_LOOKUP(table, why, soname, name)				\
	if (h_ != NULL && *why == '\0' && (table.name =		\
	    (__typeof__(table.name))dlsym(h_, #name)) == NULL)		\
		g_snprintf(why, sizeof(why), "%s: no %s", soname, #name);

/* The soname of every libarchive 3. */
#define ARCHIVE_SONAME	"libarchive.so.13"

/* The archive open on fd, of type mime by its first bytes, listed into
 * *f (FACTS_ARCHIVE) as that format only, its entries' types learnt
 * from their first bytes;
 * with entries, each video, picture or text entry is extracted into an
 * unnamed file under the directory tmpdir (one at a time, within the
 * limits) and measured.  Never fails: what went wrong is in *f. */
void inspect_archive_fd(int fd, const char *mime, bool entries, int tmpdir,
    const struct inspect_limits *lim, struct media_facts *f);

#endif
