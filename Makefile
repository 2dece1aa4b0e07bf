# subgate: an email-driven submission gateway.
#
#   make            build ./build/subgate
#   make check      install what the tests need, build, run every test
#   make unit       build and run the unit tests only
#   make demo       install, start the local mail stack, run one submission cycle
#   make bench      parser throughput; subgate against mbsync, latency, memory,
#                   what measuring a 1 GiB video reads
#   make bench-quick  the same at a small scale, in about a minute
#   make fuzz       bounded libFuzzer runs over every parser of untrusted bytes
#   make install    PREFIX=/usr/local DESTDIR=
#   make SAN=1 ...  the same with AddressSanitizer and UBSan (build-san/)
#
# CFLAGS, CPPFLAGS and LDFLAGS are the user's: subgate's own flags are kept
# apart (SG_*), so `make CFLAGS=-O0` or `CC=clang make` still builds.

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man
DATADIR	?= $(PREFIX)/share/subgate
SYSCONFDIR ?= /etc
UNITDIR	?= $(PREFIX)/lib/systemd/system
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
DESTDIR	?=

PKGS	= gmime-3.0 libetpan libcurl sqlite3 libpcre2-8 glib-2.0 gnutls json-glib-1.0 xlsxwriter libytnef libmagic
# FFmpeg's, libarchive's and poppler's headers only: the inspecting child
# dlopens libavformat (gateway/inspect_media.c), libarchive
# (gateway/inspect_doc.c, inspect_archive.c) and poppler-glib
# (gateway/inspect_doc.c), so that the daemon does not map
# libavcodec, the compressors, poppler, cairo and the libraries behind
# them.
DLOPEN_PKGS = libavformat libavcodec libavutil libarchive poppler-glib

CC	?= cc
CFLAGS	?= -O2 -g
WARN	= -Wall -Wextra -Wformat=2 -Wshadow -Wmissing-prototypes
SG_CFLAGS = -std=gnu11 $(WARN) -Iinclude -MMD -MP
ifeq ($(WERROR),1)
SG_CFLAGS += -Werror
endif

ifeq ($(SAN),1)
B	= build-san
SG_CFLAGS += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
SG_LDFLAGS = -fsanitize=address,undefined
else
B	= build
SG_LDFLAGS =
endif

# Targets that do not compile anything themselves; they run make again
# once `deps` has installed the -dev packages pkg-config is asked about.
NOBUILD_GOALS = deps check demo bench bench-quick fuzz soak valgrind clean
ifneq ($(filter-out $(NOBUILD_GOALS),$(or $(MAKECMDGOALS),all)),)
PKG_MISSING := $(shell for p in $(PKGS) $(DLOPEN_PKGS); do pkg-config --exists $$p || echo $$p; done)
ifneq ($(strip $(PKG_MISSING)),)
$(error pkg-config finds no $(strip $(PKG_MISSING)): run `make deps` as root (contrib/install-deps) to install the Debian -dev packages)
endif
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) $(DLOPEN_PKGS))
# libetpan's .pc leaks Debian's gcc-only -specs= hardening flag, which
# clang refuses; the hardening itself is the toolchain's business.
PKG_LIBS   := $(filter-out -specs=%,$(shell pkg-config --libs $(PKGS)))
endif

COMPILE	= $(CC) $(CPPFLAGS) $(SG_CFLAGS) $(PKG_CFLAGS) $(CFLAGS)
LINK	= $(CC) $(SG_LDFLAGS) $(LDFLAGS)

MAIN_SRC	= gateway/cmd/main.c
PARSER_SRCS	= $(wildcard parsers/*.c)
GATEWAY_SRCS	= $(wildcard gateway/*.c) $(filter-out $(MAIN_SRC),$(wildcard gateway/cmd/*.c))
LIB_OBJS	= $(patsubst %.c,$(B)/%.o,$(PARSER_SRCS) $(GATEWAY_SRCS))
TEST_SRCS	= $(wildcard tests/unit/test-*.c)
TEST_BINS	= $(patsubst tests/unit/%.c,$(B)/tests/%,$(TEST_SRCS))
BENCH_SRCS	= $(wildcard tests/bench/bench-*.c)
BENCH_BINS	= $(patsubst tests/bench/%.c,$(B)/bench/%,$(BENCH_SRCS))

# libFuzzer targets: clang, every parser built with ASan and UBSan.
FUZZ_CC		?= clang
FB		= build-fuzz
FUZZ_FLAGS	= -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_SRCS	= $(wildcard tests/fuzz/fuzz-*.c)
FUZZ_BINS	= $(patsubst tests/fuzz/%.c,$(FB)/%,$(FUZZ_SRCS))
FUZZ_OBJS	= $(patsubst %.c,$(FB)/%.o,$(PARSER_SRCS))

.PHONY: all deps check unit unit-bins demo bench bench-quick fuzz fuzz-bins soak valgrind install clean

all: $(B)/subgate

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(COMPILE) -c -o $@ $<

$(B)/libsubgate.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(B)/subgate: $(B)/$(MAIN_SRC:.c=.o) $(B)/libsubgate.a
	$(LINK) -o $@ $^ $(PKG_LIBS)

$(B)/tests/%: tests/unit/%.c $(B)/libsubgate.a
	@mkdir -p $(dir $@)
	$(COMPILE) -Itests $(SG_LDFLAGS) $(LDFLAGS) -o $@ $< $(B)/libsubgate.a $(PKG_LIBS)

$(B)/bench/%: tests/bench/%.c $(B)/libsubgate.a
	@mkdir -p $(dir $@)
	$(COMPILE) $(SG_LDFLAGS) $(LDFLAGS) -o $@ $< $(B)/libsubgate.a $(PKG_LIBS)

$(FB)/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -std=gnu11 -Iinclude -MMD -MP $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link $(PKG_CFLAGS) -c -o $@ $<

$(FB)/fuzz-%: tests/fuzz/fuzz-%.c $(FUZZ_OBJS)
	$(FUZZ_CC) -std=gnu11 -Iinclude $(FUZZ_FLAGS) -fsanitize=fuzzer $(PKG_CFLAGS) -o $@ $< $(FUZZ_OBJS) $(PKG_LIBS)

-include $(LIB_OBJS:.o=.d) $(B)/$(MAIN_SRC:.c=.d) $(FUZZ_OBJS:.o=.d)

deps:
	@contrib/install-deps

unit-bins: $(TEST_BINS)

unit: unit-bins
	@SUBGATE_SKIP_E2E=1 TESTBIN=$(CURDIR)/$(B)/tests tests/run

fuzz-bins: $(FUZZ_BINS)

# The dependency install runs first and on its own: the build needs pkg-config's
# answers, which exist only once the -dev packages are there.
# The sanitizer build runs every unit test again, and the e2e tests that
# push the most mail through the parsers; every fuzz target runs briefly.
CHECK_FUZZ_SECONDS ?= 15
check: deps
	@$(MAKE) --no-print-directory WERROR=1 all unit-bins
	@$(MAKE) --no-print-directory WERROR=1 SAN=1 all unit-bins
	@tests/fuzz/run --build-only
	@SUBGATE=$(CURDIR)/build/subgate TESTBIN=$(CURDIR)/build/tests \
	    SAN_SUBGATE=$(CURDIR)/build-san/subgate \
	    SAN_TESTBIN=$(CURDIR)/build-san/tests \
	    FUZZ_SECONDS=$(CHECK_FUZZ_SECONDS) tests/run

demo: deps
	@$(MAKE) --no-print-directory all
	@SUBGATE=$(CURDIR)/$(B)/subgate contrib/demo

# The benchmarks (tests/bench/run): subgate against mbsync and
# fetchmail+ripmime on a 1.1 GB mailbox, cost against store size, receipt
# latency, peak memory up to a 1 GiB message; several minutes.
# bench-quick runs the same at a small scale in about a minute.
bench bench-quick: deps
	@$(MAKE) --no-print-directory all $(BENCH_BINS)
	@for b in $(BENCH_BINS); do $$b contrib/campaigns || exit 1; done
	@SUBGATE=$(CURDIR)/$(B)/subgate tests/bench/run $(if $(filter bench-quick,$@),--quick)

# The long soak: 200 messages, 60 random SIGKILLs of `subgate run`, replies
# through a relay slow to confirm them (tests/e2e/soak.sh; make check runs a
# short one).
SOAK_MESSAGES ?= 200
SOAK_KILLS ?= 60
SOAK_DELAY ?= 0.5
soak: deps
	@$(MAKE) --no-print-directory all
	@SUBGATE=$(CURDIR)/$(B)/subgate SOAK_MESSAGES=$(SOAK_MESSAGES) \
	    SOAK_KILLS=$(SOAK_KILLS) SOAK_DELAY=$(SOAK_DELAY) \
	    sh tests/e2e/soak.sh

# Every unit test and the client corpus through subgate ingest, under
# Valgrind's memcheck (tests/valgrind).
valgrind: deps
	@$(MAKE) --no-print-directory all unit-bins
	@tests/valgrind $(CURDIR)/$(B)

FUZZ_SECONDS ?= 60
fuzz: deps
	@tests/fuzz/run $(FUZZ_SECONDS)
install: $(B)/subgate
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(DATADIR)/campaigns $(DESTDIR)$(DATADIR)/campaigns/units \
		$(DESTDIR)$(UNITDIR) $(DESTDIR)$(TMPFILESDIR)
	install -m 755 $(B)/subgate $(DESTDIR)$(BINDIR)/subgate
	install -m 644 man/subgate.8 $(DESTDIR)$(MANDIR)/man8/subgate.8
	install -m 644 man/subgate.conf.5 man/subgate.campaign.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 644 contrib/subgate.conf $(DESTDIR)$(DATADIR)/subgate.conf.example
	install -m 644 contrib/campaigns/*.campaign $(DESTDIR)$(DATADIR)/campaigns/
	install -m 644 contrib/campaigns/units/*.tsv $(DESTDIR)$(DATADIR)/campaigns/units/
	sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
		contrib/subgate.service.in >$(DESTDIR)$(UNITDIR)/subgate.service
	chmod 644 $(DESTDIR)$(UNITDIR)/subgate.service
	install -m 644 contrib/subgate.tmpfiles $(DESTDIR)$(TMPFILESDIR)/subgate.conf

clean:
	rm -rf build build-san build-fuzz
