# apicompat — build, test, run.  `make run` and `make test` are the two commands a new machine needs.

CC ?= cc
CFLAGS ?= -O2 -g
# -fPIC and hidden visibility: the same objects make the binary and the shared library, which
# exports only what lib/apicompat.h declares (the code is what -fPIE, the default, gives).
PIC = -fPIC -fvisibility=hidden
WARN = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wstrict-prototypes -Wno-unused-parameter
ifeq ($(WERROR),1)
WARN += -Werror
endif
SAN =
ifeq ($(SANITIZE),1)
SAN = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all -DAC_ARENA_MALLOC
endif
ifeq ($(SANITIZE),thread)
SAN = -fsanitize=thread -fno-omit-frame-pointer
endif
BUILD ?= build
LIBS = -lprotobuf-c -lyaml -lcjson -lpcre2-8 -lm -pthread -ldl
INC = -I$(BUILD)/gen -I.
# libcurl (the live replay's transport) is not linked: cmd/live.c loads libcurl.so.4 when a live
# replay starts; libcurl4-openssl-dev gives its header and the library.

DEB_PACKAGES = build-essential pkg-config protobuf-compiler libprotobuf-dev libprotobuf-c-dev protobuf-c-compiler \
	libyaml-dev libcjson-dev libpcre2-dev libcmocka-dev git python3 python3-yaml python3-jsonschema python3-protobuf time \
	json-schema-test-suite \
	man-db groff-base zsh fish debhelper lintian fakeroot pre-commit \
	libcurl4-openssl-dev python3-grpcio openssl

# The release number (the VERSION file: reports, the library's soname and pkg-config, the package)
# and the build --version names besides it: `git describe` in a git checkout, else the release
# number (a release tarball, a Debian source package), else "unknown".  build/version.stamp
# changes only when one of them does, so main.o is rebuilt then and only then.
VERSION := $(shell cat VERSION 2>/dev/null || echo unknown)
DESCRIBE := $(shell git describe --always --dirty 2>/dev/null || echo '$(VERSION)')
VERSION_DEFS = -DAPICOMPAT_VERSION='"$(VERSION)"' -DAPICOMPAT_DESCRIBE='"$(DESCRIBE)"'

GEN = $(BUILD)/gen/descriptor.pb-c.c
LIB_SRC = $(wildcard compat/*.c compat/*/*.c) $(wildcard proto/*.c) $(filter-out proto/native/gen_embed.c,$(wildcard proto/native/*.c)) \
	$(wildcard openapi/*.c) lib/apicompat.c
CMD_SRC = $(filter-out cmd/main.c,$(wildcard cmd/*.c))
LIB_OBJ = $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRC) $(CMD_SRC)) $(BUILD)/obj/gen/descriptor.pb-c.o $(BUILD)/obj/gen/wkt.o
# The well-known types (and the editions descriptor.proto) embedded in the binary, so .proto sources
# that import them compile without protoc or an include directory.
WKT_NAMES = google/protobuf/any.proto google/protobuf/api.proto google/protobuf/descriptor.proto \
	google/protobuf/duration.proto google/protobuf/empty.proto google/protobuf/field_mask.proto \
	google/protobuf/source_context.proto google/protobuf/struct.proto google/protobuf/timestamp.proto \
	google/protobuf/type.proto google/protobuf/wrappers.proto google/protobuf/cpp_features.proto \
	google/protobuf/java_features.proto editions/google/protobuf/descriptor.proto \
	$(addprefix editions/google/protobuf/,any.proto api.proto duration.proto empty.proto field_mask.proto \
	source_context.proto struct.proto timestamp.proto type.proto wrappers.proto) \
	$(API_PROTO_NAMES)
# Google's API annotations and protovalidate's rules, which users import but rarely vendor: shortened
# copies (Apache-2.0, see proto/native/wkt/README.md), found after the -I paths.
API_PROTO_NAMES = $(addprefix google/api/,annotations.proto http.proto httpbody.proto field_behavior.proto \
	resource.proto field_info.proto client.proto launch_stage.proto) google/rpc/status.proto \
	google/longrunning/operations.proto buf/validate/validate.proto
BIN = $(BUILD)/apicompat
UNIT_SRC = $(wildcard tests/unit/*.c)
UNIT_BIN = $(BUILD)/unit-tests

.PHONY: FORCE version lib doc install uninstall deb all deps run test unit fixtures asan tsan clean bench fuzz valgrind
all: $(BIN)

$(BUILD)/gen/descriptor.pb-c.c $(BUILD)/gen/descriptor.pb-c.h: proto/descriptor.proto
	@mkdir -p $(BUILD)/gen
	protoc-c --c_out=$(BUILD)/gen -Iproto proto/descriptor.proto

$(BUILD)/obj/gen/descriptor.pb-c.o: $(GEN) $(BUILD)/flags.stamp
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN) $(PIC) -std=c11 -w $(INC) -c $< -o $@

$(BUILD)/gen_embed: proto/native/gen_embed.c
	@mkdir -p $(BUILD)
	$(CC) $(CFLAGS) -std=c11 -o $@ $<

$(BUILD)/gen/wkt.c: $(BUILD)/gen_embed $(addprefix proto/native/wkt/,$(WKT_NAMES))
	@mkdir -p $(BUILD)/gen
	$(BUILD)/gen_embed $@ proto/native/wkt $(WKT_NAMES)

$(BUILD)/obj/gen/wkt.o: $(BUILD)/gen/wkt.c proto/native/nt.h compat/base/arena.h compat/base/map.h $(BUILD)/flags.stamp
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN) $(PIC) -std=c11 -I. -Iproto/native -c $< -o $@

# Header dependencies come from the compiler (-MMD -MP): each object is rebuilt when a header it
# really includes changes, and a removed header does not break the build.
$(BUILD)/obj/%.o: %.c $(GEN) $(BUILD)/flags.stamp
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(SAN) $(PIC) $(WARN) $(INC) -MMD -MP -c $< -o $@

# The native compiler's test driver, for the differential test against protoc (tests/native/).
$(BUILD)/nativec: tests/native/nativec.c $(LIB_OBJ)
	$(CC) $(CFLAGS) $(SAN) $(WARN) $(INC) -o $@ $^ $(LIBS)

$(BUILD)/version.stamp: FORCE
	@mkdir -p $(BUILD)
	@echo '$(VERSION) $(DESCRIBE)' | cmp -s - $@ || echo '$(VERSION) $(DESCRIBE)' > $@

$(BUILD)/obj/cmd/main.o $(BUILD)/obj/cmd/pipeline.o: $(BUILD)/version.stamp
$(BUILD)/obj/cmd/main.o $(BUILD)/obj/cmd/pipeline.o: WARN += $(VERSION_DEFS)

COMPILE_FLAGS := $(PIC) $(WARN)
# The Makefile's own compile flags: every object is rebuilt when they change (a build directory
# from before -fPIC cannot make the shared library).  CFLAGS and SANITIZE are the caller's, who
# keeps a build directory per setting (build-asan, build-tsan), so that `make install` with the
# plain command line installs what the directory holds.
$(BUILD)/flags.stamp: FORCE
	@mkdir -p $(BUILD)
	@echo '$(COMPILE_FLAGS)' | cmp -s - $@ || echo '$(COMPILE_FLAGS)' > $@

FORCE:

# What --version will say (tests/e2e/cli-conventions.sh checks the fallback outside git).
version:
	@echo '$(VERSION) $(DESCRIBE)'

$(BIN): $(BUILD)/obj/cmd/main.o $(LIB_OBJ)
	$(CC) $(CFLAGS) $(SAN) $(LDFLAGS) -o $@ $^ $(LIBS)

$(UNIT_BIN): $(UNIT_SRC) $(LIB_OBJ) $(wildcard compat/*.h compat/*/*.h proto/*.h openapi/*.h cmd/*.h)
	$(CC) $(CFLAGS) $(SAN) $(WARN) $(INC) -o $@ $(UNIT_SRC) $(LIB_OBJ) $(LIBS) -lcmocka

# Installs the Debian packages that are missing (as root), or says which apt-get line is needed.
deps:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
		else echo "missing packages; run: sudo apt-get install -y $$missing"; exit 2; fi; \
	fi

run: deps $(BIN)
	@echo '$$ apicompat breaking fixtures/example/old fixtures/example/new'
	@$(BIN) breaking fixtures/example/old fixtures/example/new; rc=$$?; echo "(exit code $$rc)"; [ $$rc -le 1 ]

unit: $(UNIT_BIN)
	$(UNIT_BIN)

test: $(BIN) $(UNIT_BIN) $(BUILD)/nativec $(BUILD)/jsts $(LIBSO) $(SHARE)
	@tests/run.sh $(BIN) $(UNIT_BIN)

# libFuzzer targets (clang): tests/fuzz/run.sh builds nothing itself; these rules do.
FUZZ_BUILD = build-fuzz
# AC_ARENA_MALLOC: each arena allocation its own malloc, so that ASan sees an overflow inside an
# arena; no recovery: undefined behaviour is a crash libFuzzer keeps, not a line in its log.
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
	-DAC_ARENA_MALLOC
FUZZ_OBJ = $(patsubst %.c,$(FUZZ_BUILD)/obj/%.o,$(LIB_SRC) $(CMD_SRC)) $(FUZZ_BUILD)/obj/gen/descriptor.pb-c.o \
	$(FUZZ_BUILD)/obj/gen/wkt.o
FUZZ_TARGETS = yaml json descriptor config pipeline proto_pipeline native pbval live suite
FUZZ_BINS = $(addprefix $(FUZZ_BUILD)/fuzz_,$(FUZZ_TARGETS))

$(FUZZ_BUILD)/obj/gen/descriptor.pb-c.o: $(GEN)
	@mkdir -p $(dir $@)
	clang $(FUZZ_FLAGS) -std=c11 -w $(INC) -c $< -o $@

$(FUZZ_BUILD)/obj/gen/wkt.o: $(BUILD)/gen/wkt.c proto/native/nt.h compat/base/arena.h compat/base/map.h
	@mkdir -p $(dir $@)
	clang $(FUZZ_FLAGS) -std=c11 -I. -Iproto/native -c $< -o $@

$(FUZZ_BUILD)/obj/%.o: %.c $(GEN)
	@mkdir -p $(dir $@)
	clang $(FUZZ_FLAGS) $(WARN) $(INC) -MMD -MP -c $< -o $@

$(FUZZ_BUILD)/fuzz_json: tests/fuzz/fuzz_doc.c $(FUZZ_OBJ)
	clang $(FUZZ_FLAGS) -fsanitize=fuzzer -DFUZZ_JSON $(INC) -o $@ $^ $(LIBS)

$(FUZZ_BUILD)/fuzz_yaml: tests/fuzz/fuzz_doc.c $(FUZZ_OBJ)
	clang $(FUZZ_FLAGS) -fsanitize=fuzzer $(INC) -o $@ $^ $(LIBS)

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJ)
	clang $(FUZZ_FLAGS) -fsanitize=fuzzer $(INC) -o $@ $^ $(LIBS)

fuzz: $(FUZZ_BINS)
	FUZZ_TARGETS="$(FUZZ_TARGETS)" tests/fuzz/run.sh

asan:
	$(MAKE) BUILD=build-asan SANITIZE=1 CFLAGS="-O1 -g" test

# The suite under ThreadSanitizer: the two protobuf loaders run on two threads, and whatever they
# share (the rule index, the JSON reader's hooks) must be built before or locked.  Any report fails.
tsan:
	TSAN_OPTIONS="halt_on_error=1 exitcode=66" $(MAKE) BUILD=build-tsan SANITIZE=thread CFLAGS="-O1 -g" test

# Every fixture under valgrind (slow: about half an hour; VALGRIND_EVERY=10 for a tenth).
valgrind: $(BIN)
	tests/tools/valgrind-fixtures.sh $(BIN)

# The benchmark against buf and the parse floor (downloads the inputs into ~/.cache/apicompat).
bench: $(BIN)
	bench/run.sh $(BIN)

-include $(shell find $(BUILD)/obj $(FUZZ_BUILD)/obj -name '*.d' 2>/dev/null)

clean:
	rm -rf build build-asan build-tsan build-fuzz

# The JSON Schema Test Suite runner (tests/e2e/jsts.sh; tests/tools/jsts.c says how).
$(BUILD)/jsts: tests/tools/jsts.c $(LIB_OBJ)
	$(CC) $(CFLAGS) $(SAN) $(WARN) $(INC) -o $@ $^ $(LIBS)


# ---- libapicompat (lib/apicompat.h): the objects the binary is linked from (all built
# position-independent, with hidden visibility), lib/apicompat.o among them, which alone exports
# names (apicompat_*; breaking and changelog OLD NEW call them); versioned by its soname ----
SOMAJOR = 0
SONAME = libapicompat.so.$(SOMAJOR)
LIBSO = $(BUILD)/libapicompat.so.$(VERSION)

$(BUILD)/obj/lib/apicompat.o: $(BUILD)/version.stamp
$(BUILD)/obj/lib/apicompat.o: WARN += $(VERSION_DEFS)

$(LIBSO): $(LIB_OBJ)
	$(CC) $(CFLAGS) $(SAN) $(LDFLAGS) -shared -Wl,-soname,$(SONAME) -Wl,--no-undefined -o $@ $^ $(LIBS)
	ln -sf $(notdir $@) $(BUILD)/$(SONAME)
	ln -sf $(SONAME) $(BUILD)/libapicompat.so

lib: $(LIBSO)

# ---- what comes from the option table: the man page and the completions (dist/gen.sh) ----
SHARE = $(BUILD)/share/man1/apicompat.1
$(SHARE): $(BIN) dist/gen.sh dist/apicompat.1.in VERSION
	sh dist/gen.sh $(BIN) $(BUILD)/share

doc: $(SHARE)

# ---- make install / uninstall (PREFIX, DESTDIR; the directories below may be overridden) ----
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
INSTALLED = $(BINDIR)/apicompat $(MANDIR)/man1/apicompat.1 $(MANDIR)/man5/apicompat.yaml.5 $(BASHCOMPDIR)/apicompat \
	$(ZSHCOMPDIR)/_apicompat $(FISHCOMPDIR)/apicompat.fish $(INCLUDEDIR)/apicompat.h $(LIBDIR)/libapicompat.so.$(VERSION) \
	$(LIBDIR)/$(SONAME) $(LIBDIR)/libapicompat.so $(PKGCONFIGDIR)/apicompat.pc

install: $(BIN) $(LIBSO) $(SHARE)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PKGCONFIGDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/apicompat
	install -m 644 $(BUILD)/share/man1/apicompat.1 $(DESTDIR)$(MANDIR)/man1/apicompat.1
	install -m 644 dist/apicompat.yaml.5 $(DESTDIR)$(MANDIR)/man5/apicompat.yaml.5
	install -m 644 $(BUILD)/share/completions/apicompat.bash $(DESTDIR)$(BASHCOMPDIR)/apicompat
	install -m 644 $(BUILD)/share/completions/_apicompat $(DESTDIR)$(ZSHCOMPDIR)/_apicompat
	install -m 644 $(BUILD)/share/completions/apicompat.fish $(DESTDIR)$(FISHCOMPDIR)/apicompat.fish
	install -m 644 lib/apicompat.h $(DESTDIR)$(INCLUDEDIR)/apicompat.h
	install -m 644 $(LIBSO) $(DESTDIR)$(LIBDIR)/libapicompat.so.$(VERSION)
	ln -sf libapicompat.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libapicompat.so
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@VERSION@|$(VERSION)|' dist/apicompat.pc.in \
		> $(DESTDIR)$(PKGCONFIGDIR)/apicompat.pc
	chmod 644 $(DESTDIR)$(PKGCONFIGDIR)/apicompat.pc

uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))

# ---- make deb: the Debian packages (apicompat, libapicompat0, libapicompat-dev) built by
# dpkg-buildpackage from debian/, in a copy of the sources under $(BUILD)/deb (so nothing is
# written beside the source tree); then lintian, when installed, on the result ----
DEB_DIR = $(BUILD)/deb
DEB_SRC = $(DEB_DIR)/apicompat-$(VERSION)
deb:
	rm -rf $(DEB_DIR)
	mkdir -p $(DEB_SRC)/fixtures
	cp -r Makefile VERSION README.md cmd compat proto openapi lib dist debian $(DEB_SRC)/
	cp -r fixtures/example $(DEB_SRC)/fixtures/
	cd $(DEB_SRC) && dpkg-buildpackage -b -us -uc -J$(shell nproc 2>/dev/null || echo 1)
	@if command -v lintian >/dev/null; then lintian --fail-on error,warning $(DEB_DIR)/*.changes; \
	else echo "lintian is not installed (make deps installs it): the packages were not checked"; fi
	@ls $(DEB_DIR)/*.deb
