# subgate: an email-driven submission gateway.
#
#   make            build ./build/subgate
#   make check      install what the tests need, build, run every test
#   make demo       install, start the local mail stack, run one submission cycle
#   make bench      parser throughput, pipeline rate and peak memory figures
#   make fuzz       bounded libFuzzer runs over the subject and MIME parsers
#   make install    PREFIX=/usr/local DESTDIR=
#   make SAN=1 ...  the same with AddressSanitizer and UBSan (build-san/)

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man
DATADIR	?= $(PREFIX)/share/subgate
SYSCONFDIR ?= /etc
UNITDIR	?= $(PREFIX)/lib/systemd/system
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
DESTDIR	?=

PKGS	= gmime-3.0 libetpan libcurl sqlite3 libpcre2-8 glib-2.0 gnutls json-glib-1.0 xlsxwriter libytnef

CC	?= cc
WARN	= -Wall -Wextra -Wformat=2 -Wshadow -Wmissing-prototypes -Wno-format-nonliteral
CFLAGS	?= -O2 -g
CFLAGS	+= -std=gnu11 $(WARN) -Iinclude
ifeq ($(WERROR),1)
CFLAGS	+= -Werror
endif

ifeq ($(SAN),1)
B	= build-san
CFLAGS	+= -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS	+= -fsanitize=address,undefined
else
B	= build
endif

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

PARSER_SRCS	= $(wildcard parsers/*.c)
GATEWAY_SRCS	= $(filter-out gateway/main.c,$(wildcard gateway/*.c))
LIB_OBJS	= $(patsubst %.c,$(B)/%.o,$(PARSER_SRCS) $(GATEWAY_SRCS))
TEST_SRCS	= $(wildcard tests/unit/test-*.c)
TEST_BINS	= $(patsubst tests/unit/%.c,$(B)/tests/%,$(TEST_SRCS))
BENCH_SRCS	= $(wildcard tests/bench/bench-*.c)
BENCH_BINS	= $(patsubst tests/bench/%.c,$(B)/bench/%,$(BENCH_SRCS))

.PHONY: all deps check unit demo bench fuzz install clean

all: $(B)/subgate

$(B)/%.o: %.c $(wildcard include/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

$(B)/libsubgate.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(B)/subgate: $(B)/gateway/main.o $(B)/libsubgate.a
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(B)/tests/%: tests/unit/%.c tests/test.h $(B)/libsubgate.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Itests $(LDFLAGS) -o $@ $< $(B)/libsubgate.a $(PKG_LIBS)

$(B)/bench/%: tests/bench/%.c $(B)/libsubgate.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libsubgate.a $(PKG_LIBS)

deps:
	@contrib/install-deps

# The dependency install runs first and on its own: the build needs pkg-config's
# answers, which exist only once the -dev packages are there.
# The sanitizer build runs every unit test again, and the e2e tests that
# push the most mail through the parsers.
check: deps
	@$(MAKE) --no-print-directory WERROR=1 all unit
	@$(MAKE) --no-print-directory WERROR=1 SAN=1 all unit
	@SUBGATE=$(CURDIR)/build/subgate TESTBIN=$(CURDIR)/build/tests \
	    SAN_SUBGATE=$(CURDIR)/build-san/subgate \
	    SAN_TESTBIN=$(CURDIR)/build-san/tests tests/run

unit: $(TEST_BINS)

demo: deps
	@$(MAKE) --no-print-directory all
	@SUBGATE=$(CURDIR)/$(B)/subgate contrib/demo

bench: deps
	@$(MAKE) --no-print-directory all $(BENCH_BINS)
	@for b in $(BENCH_BINS); do $$b contrib/campaigns || exit 1; done
	@SUBGATE=$(CURDIR)/$(B)/subgate tests/bench/bench-pipeline.sh

FUZZ_SECONDS ?= 60
fuzz: deps
	@tests/fuzz/run $(FUZZ_SECONDS)

install: $(B)/subgate
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(DATADIR)/campaigns $(DESTDIR)$(UNITDIR) $(DESTDIR)$(TMPFILESDIR)
	install -m 755 $(B)/subgate $(DESTDIR)$(BINDIR)/subgate
	install -m 644 man/subgate.8 $(DESTDIR)$(MANDIR)/man8/subgate.8
	install -m 644 man/subgate.conf.5 man/subgate.campaign.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 644 contrib/subgate.conf $(DESTDIR)$(DATADIR)/subgate.conf.example
	install -m 644 contrib/campaigns/*.campaign $(DESTDIR)$(DATADIR)/campaigns/
	sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
		contrib/subgate.service.in >$(DESTDIR)$(UNITDIR)/subgate.service
	chmod 644 $(DESTDIR)$(UNITDIR)/subgate.service
	install -m 644 contrib/subgate.tmpfiles $(DESTDIR)$(TMPFILESDIR)/subgate.conf

clean:
	rm -rf build build-san build-fuzz
