# hoist — the only build entry point. `make help` lists the targets.
#
# A fresh Debian machine needs nothing but this: the first `make` installs the Debian packages
# (scripts/deps) and builds static Poco into a cache outside the checkout (scripts/poco).

# ARCH: the Debian architecture to build for (amd64, arm64). Another than this machine's is
# cross-compiled with Debian's <triple>-g++, static Poco and OpenSSL for it (scripts/sysroot),
# into out/<arch>.
HOST_ARCH := $(shell dpkg --print-architecture 2>/dev/null || echo amd64)
ARCH     ?= $(HOST_ARCH)
ifneq ($(ARCH),$(HOST_ARCH))
CROSS    := $(if $(filter arm64,$(ARCH)),aarch64,x86_64)-linux-gnu-
CXX      := $(CROSS)g++
BUILD    ?= out/$(ARCH)
else
CXX      ?= g++
BUILD    ?= out
endif
STRIP    := $(CROSS)strip
CXXSTD   := -std=c++17
WARN     := -Wall -Wextra -Wpedantic -Wno-deprecated-declarations
OPT      ?= -O2
SANITIZE ?=

SRC        := $(sort $(wildcard src/*/*.cpp))
MAIN_SRC   := src/main.cpp
UNIT_SRC   := $(sort $(wildcard tests/unit/*.cpp tests/unit/*/*.cpp))
PROBE_SRC  := tests/tools/EngineProbe.cpp

ifeq ($(SANITIZE),)
OBJDIR     := $(BUILD)/obj
LINKAGE    := static
LDSTATIC   := -static
else
# The sanitizers' runtimes cannot be linked statically; these builds are for tests only.
OBJDIR     := $(BUILD)/obj-sanitize
LINKAGE    := dynamic
LDSTATIC   :=
SANFLAGS   := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
OPT        := -O1 -g
endif

OBJ        := $(SRC:%.cpp=$(OBJDIR)/%.o)
MAIN_OBJ   := $(MAIN_SRC:%.cpp=$(OBJDIR)/%.o)
UNIT_OBJ   := $(UNIT_SRC:%.cpp=$(OBJDIR)/%.o)
PROBE_OBJ  := $(PROBE_SRC:%.cpp=$(OBJDIR)/%.o)
DEPS       := $(OBJ:.o=.d) $(MAIN_OBJ:.o=.d) $(UNIT_OBJ:.o=.d) $(PROBE_OBJ:.o=.d)

POCO_PREFIX = $(shell cat $(BUILD)/poco.prefix 2>/dev/null)
SYSROOT     = $(if $(CROSS),$(shell cat $(BUILD)/sysroot.prefix 2>/dev/null))
CPPFLAGS   = -Isrc -Itests/unit -I$(BUILD)/gen -isystem $(POCO_PREFIX)/include \
             $(if $(SYSROOT),-isystem $(SYSROOT)/include) -DPOCO_STATIC \
             -DHOIST_LINKAGE='"$(LINKAGE)"'
CXXFLAGS   = $(CXXSTD) $(OPT) $(WARN) $(SANFLAGS) -MMD -MP $(if $(DEV),-Werror)
POCO_LIBS  = -L$(POCO_PREFIX)/lib -lPocoNetSSL -lPocoCrypto -lPocoUtil -lPocoJSON -lPocoXML \
             -lPocoNet -lPocoFoundation
SYS_LIBS    = $(if $(SYSROOT),-L$(SYSROOT)/lib) -lssl -lcrypto -l:libzstd.a -lpthread -ldl -lrt
LDFLAGS    = $(LDSTATIC) $(SANFLAGS) -Wl,--gc-sections
# glibc warns that getaddrinfo/dlopen in a static binary want its shared libraries at run time;
# hoist uses numeric addresses and unix sockets where it can (docs/design.md), so that warning
# is expected and filtered.
LINK_FILTER := 2>&1 | { grep -v -e 'statically linked applications requires at runtime' \
               -e 'in function' || true; }

.DEFAULT_GOAL := all
.PHONY: all test test-build unit integration demo bench load check check-deps format format-check test-asan clean \
        help size deps dist image FORCE

all: $(BUILD)/hoist ## build the static binary out/hoist

$(BUILD)/.deps-build: scripts/deps
	@mkdir -p $(BUILD)
	@scripts/deps build $(if $(CROSS),cross-$(ARCH))
	@touch $@

# Resolving the prefix is cheap when Poco is cached; the file changes only when the key does.
$(BUILD)/poco.prefix: FORCE | $(BUILD)/.deps-build $(if $(CROSS),$(BUILD)/sysroot.prefix)
	@p=$$(scripts/poco $(ARCH)) && { [ "$$(cat $@ 2>/dev/null)" = "$$p" ] || echo "$$p" > $@; }

$(BUILD)/sysroot.prefix: FORCE | $(BUILD)/.deps-build
	@p=$$(scripts/sysroot $(ARCH)) && { [ "$$(cat $@ 2>/dev/null)" = "$$p" ] || echo "$$p" > $@; }

$(BUILD)/gen/BuildStamp.h: FORCE
	@mkdir -p $(dir $@)
	@scripts/buildstamp > $@.tmp && { cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@; }

$(OBJDIR)/%.o: %.cpp | $(BUILD)/poco.prefix $(BUILD)/gen/BuildStamp.h
	@mkdir -p $(dir $@)
	@echo "  CXX   $<"
	@$(CXX) $(CPPFLAGS) $(CXXFLAGS) -c $< -o $@

$(OBJDIR)/src/app/BuildInfo.o: $(BUILD)/gen/BuildStamp.h

$(BUILD)/hoist: $(OBJ) $(MAIN_OBJ) $(BUILD)/poco.prefix
	@echo "  LINK  $@"
	@$(CXX) $(LDFLAGS) -o $@.tmp $(OBJ) $(MAIN_OBJ) $(POCO_LIBS) $(SYS_LIBS) $(LINK_FILTER)
	@$(STRIP) $@.tmp && mv $@.tmp $@

$(BUILD)/unit-tests$(if $(SANITIZE),-sanitize): $(OBJ) $(UNIT_OBJ) $(BUILD)/poco.prefix
	@echo "  LINK  $@"
	@$(CXX) $(LDFLAGS) -o $@ $(UNIT_OBJ) $(OBJ) -l:libcppunit.a $(POCO_LIBS) $(SYS_LIBS) \
	  $(LINK_FILTER)

# A test tool that drives each engine call against the real engine (tests/tools).
$(BUILD)/engine-probe: $(OBJ) $(PROBE_OBJ) $(BUILD)/poco.prefix
	@echo "  LINK  $@"
	@$(CXX) $(LDFLAGS) -o $@ $(PROBE_OBJ) $(OBJ) $(POCO_LIBS) $(SYS_LIBS) $(LINK_FILTER)

test: ## unit and integration tests; ends with "N passed, N failed, N skipped"
	+@MAKE="$(MAKE)" tests/run

test-build: all dist $(BUILD)/unit-tests $(BUILD)/engine-probe # what tests/run builds beside the test environment

unit: $(BUILD)/unit-tests ## unit tests only
	@$(BUILD)/unit-tests

integration: all $(BUILD)/engine-probe ## integration scenarios only (NAME=pattern to pick some)
	@tests/integration/run $(NAME)

test-asan: ## unit tests under AddressSanitizer and UndefinedBehaviorSanitizer
	@$(MAKE) --no-print-directory SANITIZE=address,undefined $(BUILD)/unit-tests-sanitize
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 $(BUILD)/unit-tests-sanitize

demo: ## the main job on the bundled example against the local engine (builds what it needs)
	@scripts/demo

check: format-check check-deps ## format check and module dependency check

check-deps: ## fail on an include or capability that crosses the module arrows
	@scripts/check-deps

format: | $(BUILD)/.deps-build ## reformat the sources with the pinned clang-format
	@clang-format-14 -i $(SRC) $(MAIN_SRC) $(UNIT_SRC) $(wildcard src/*/*.h tests/unit/*.h tests/unit/*/*.h)

format-check: | $(BUILD)/.deps-build ## fail when a source is not formatted
	@clang-format-14 --dry-run -Werror $(SRC) $(MAIN_SRC) $(UNIT_SRC) \
	  $(wildcard src/*/*.h tests/unit/*.h tests/unit/*/*.h) && echo "format: ok"

dist: all ## release binaries: dist/hoist-linux-amd64, dist/hoist-linux-arm64, dist/SHA256SUMS
	@scripts/dist

image: dist ## the job image (hoist, a shell, CA certificates) for GitLab's image: (scripts/image)
	@scripts/image

bench: all ## hoist side by side with docker buildx; regenerates docs/performance.md (BENCH_RUNS=5)
	@bench/run

load: all ## the long load campaign (not in CI): concurrency, SIGKILLs, soaks; regenerates docs/load.md
	@bench/load

size: all ## print the binary's size and `hoist version` start-up time
	@scripts/size $(BUILD)/hoist

clean: ## remove out/ and dist/ (the Poco cache outside the checkout is kept)
	rm -rf out dist

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' Makefile | sed -E 's/^([a-z-]+):.*## /  make \1\t/' | expand -t 22

FORCE:

-include $(DEPS)
