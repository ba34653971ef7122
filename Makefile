# apicompat — build, test, run.  `make run` and `make test` are the two commands a new machine needs.

CC ?= cc
CFLAGS ?= -O2 -g
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
	json-schema-test-suite libcurl4-openssl-dev python3-grpcio

GEN = $(BUILD)/gen/descriptor.pb-c.c
LIB_SRC = $(wildcard compat/*.c compat/*/*.c) $(wildcard proto/*.c) $(filter-out proto/native/gen_embed.c,$(wildcard proto/native/*.c)) \
	$(wildcard openapi/*.c)
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

.PHONY: all deps run test unit fixtures asan tsan clean bench fuzz valgrind
all: $(BIN)

$(BUILD)/gen/descriptor.pb-c.c $(BUILD)/gen/descriptor.pb-c.h: proto/descriptor.proto
	@mkdir -p $(BUILD)/gen
	protoc-c --c_out=$(BUILD)/gen -Iproto proto/descriptor.proto

$(BUILD)/obj/gen/descriptor.pb-c.o: $(GEN)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN) -std=c11 -w $(INC) -c $< -o $@

$(BUILD)/gen_embed: proto/native/gen_embed.c
	@mkdir -p $(BUILD)
	$(CC) $(CFLAGS) -std=c11 -o $@ $<

$(BUILD)/gen/wkt.c: $(BUILD)/gen_embed $(addprefix proto/native/wkt/,$(WKT_NAMES))
	@mkdir -p $(BUILD)/gen
	$(BUILD)/gen_embed $@ proto/native/wkt $(WKT_NAMES)

$(BUILD)/obj/gen/wkt.o: $(BUILD)/gen/wkt.c proto/native/nt.h compat/base/arena.h compat/base/map.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN) -std=c11 -I. -Iproto/native -c $< -o $@

# Header dependencies come from the compiler (-MMD -MP): each object is rebuilt when a header it
# really includes changes, and a removed header does not break the build.
$(BUILD)/obj/%.o: %.c $(GEN)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN) $(WARN) $(INC) -MMD -MP -c $< -o $@

# The native compiler's test driver, for the differential test against protoc (tests/native/).
$(BUILD)/nativec: tests/native/nativec.c $(LIB_OBJ)
	$(CC) $(CFLAGS) $(SAN) $(WARN) $(INC) -o $@ $^ $(LIBS)

$(BIN): $(BUILD)/obj/cmd/main.o $(LIB_OBJ)
	$(CC) $(CFLAGS) $(SAN) -o $@ $^ $(LIBS)

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

test: $(BIN) $(UNIT_BIN) $(BUILD)/nativec $(BUILD)/jsts
	@tests/run.sh $(BIN) $(UNIT_BIN)

# libFuzzer targets (clang): tests/fuzz/run.sh builds nothing itself; these rules do.
FUZZ_BUILD = build-fuzz
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
FUZZ_OBJ = $(patsubst %.c,$(FUZZ_BUILD)/obj/%.o,$(LIB_SRC) $(CMD_SRC)) $(FUZZ_BUILD)/obj/gen/descriptor.pb-c.o \
	$(FUZZ_BUILD)/obj/gen/wkt.o
FUZZ_BINS = $(addprefix $(FUZZ_BUILD)/fuzz_,yaml json descriptor config pipeline proto_pipeline native)

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
	tests/fuzz/run.sh

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
