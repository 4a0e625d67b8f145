# The two commands of the README, and what they need.
#   make demo   build, then run the main job on the embedded corpus/
#   make test   build, then run every test (plain and sanitized builds)
# And the benchmark of bench/README.md:
#   make bench  build, then time evrepo against omindex, quest, rg, Hugo
#               and Pagefind; writes and prints bench/RESULTS.md
# Each installs the Debian packages it needs, only when some are missing.

BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
EVREPO     := $(BUILD)/evrepo

# Debian 12 packages: toolchain, libraries (-dev), and tools the tests run.
# Node.js (for the site search's word test) is installed from Debian only
# when no `node` is on PATH, so a Node.js from elsewhere is left alone; the
# same goes for npm.
DEBS := cmake g++ make pkg-config git groff-base \
        libgit2-dev libcmark-gfm-dev libcmark-gfm-extensions-dev libcmark-dev \
        libtinyxml2-dev libyaml-cpp-dev libgtest-dev libcli11-dev libfmt-dev \
        nlohmann-json3-dev libkainjow-mustache-dev libxapian-dev
# Only the tests need these: the browser checks of the published site run
# Debian's Chromium and the Nu HTML checker on Debian's Java. Their npm
# packages (tests/site/browser/package-lock.json) come from the npm registry.
# The tests also run the benchmark harness once at a tiny size, with the
# tools it compares against (BENCH_DEBS, below; Pagefind from npm).
TEST_DEBS := chromium default-jre-headless

# The benchmark needs these, and so do the tests, which run it once (Pagefind
# comes from bench/package-lock.json);
# Debian's python3 only when there is no `python3` on PATH.
BENCH_DEBS := xapian-omega xapian-tools ripgrep hugo time

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# $(call install_missing,PACKAGES,EXTRA-CHECKS) apt-installs whichever of
# PACKAGES are not installed; EXTRA-CHECKS may add to $$missing.
define install_missing
	@missing=""; \
	for p in $(1); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
	    grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	$(2) \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

.PHONY: all deps test-deps build demo test test-plain test-asan bench format clean

all: build

deps:
	$(call install_missing,$(DEBS),command -v node >/dev/null || missing="$$missing nodejs";)

test-deps:
	$(call install_missing,$(TEST_DEBS) $(BENCH_DEBS),command -v npm >/dev/null || missing="$$missing npm"; command -v python3 >/dev/null || missing="$$missing python3";)

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

# The demo works on a scratch Git repository holding a copy of corpus/, so
# what it shows never depends on what is committed in this one.
DEMO := $(BUILD)/demo
DEMO_GIT := GIT_AUTHOR_NAME="evrepo demo" GIT_AUTHOR_EMAIL=demo@example.org \
            GIT_COMMITTER_NAME="evrepo demo" GIT_COMMITTER_EMAIL=demo@example.org

demo: build
	@echo "== evrepo check --summary (corpus/)"
	@$(EVREPO) -C corpus check --summary
	@rm -rf $(DEMO) && mkdir -p $(DEMO) && cp -r corpus $(DEMO)/corpus
	@git -C $(DEMO)/corpus init -q -b main
	@echo; echo "== evrepo add . -m 'Import the corpus'   (in $(DEMO)/corpus)"
	@$(DEMO_GIT) $(EVREPO) -C $(DEMO)/corpus add . -m "Import the corpus" | head -1
	@echo; echo "== evrepo index"
	@$(EVREPO) -C $(DEMO)/corpus index
	@echo; echo "== evrepo search social clauses -n 3"
	@$(EVREPO) -C $(DEMO)/corpus search social clauses -n 3
	@echo; echo "== evrepo search 'partner:NOMS type:case-study'"
	@$(EVREPO) -C $(DEMO)/corpus search 'partner:NOMS type:case-study'
	@echo; echo "== evrepo search 'FCR date:2007' --sort -date -n 3"
	@$(EVREPO) -C $(DEMO)/corpus search 'FCR date:2007' --sort -date -n 3
	@echo; echo "== evrepo similar harbour-kitchen-wave-1 -n 3"
	@$(EVREPO) -C $(DEMO)/corpus similar harbour-kitchen-wave-1 -n 3
	@echo; echo "== evrepo publish"
	@$(EVREPO) -C $(DEMO)/corpus publish

test: test-plain test-asan

test-plain: build test-deps
	@cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

# The same tests on a build with AddressSanitizer and UBSan: memory errors and
# undefined behaviour fail the run. The browser checks are left to the plain
# run: they test the site's pages and scripts, which no sanitizer looks into.
test-asan: deps
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DEVREPO_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j$(JOBS)
	@cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j$(JOBS) -LE "browser|bench"

# SIZES are measured in full; INDEX_SIZES (say 100000) for index and search
# only.  The run takes 10 to 15 minutes at the default sizes on 2 cores.
SIZES       ?= 1000 10000
INDEX_SIZES ?=

bench: build
	$(call install_missing,$(BENCH_DEBS),command -v python3 >/dev/null || missing="$$missing python3"; command -v npm >/dev/null || missing="$$missing npm";)
	@python3 bench/run.py --evrepo $(EVREPO) --sizes $(SIZES) \
	  $(if $(strip $(INDEX_SIZES)),--index-sizes $(INDEX_SIZES))
	@cat bench/RESULTS.md

format:
	@git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
