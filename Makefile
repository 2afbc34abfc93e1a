# The front door. The real build is meson.build; this file only names the everyday commands.
.PHONY: all deps build asan run test unit integration clock attack browser fuzz fuzz-corpus bench clean

LISTEN ?= 127.0.0.1:8080
DB ?= sqlite:var/runcare.db

all: build

deps:
	@tools/deps.sh

# The optimised binary: build/runcare (the unit tests are the sanitizer build's: build-asan/test-*).
build: deps
	@test -f build/build.ninja || meson setup build --buildtype=release
	@ninja -C build runcare

# The sanitizer build (ASan + UBSan) that the tests run: build-asan/runcare. UBSan's first report
# ends the process (-fno-sanitize-recover), so no test passes over undefined behaviour; a build-asan/
# set up before that flag is given it by meson configure.
ASAN_CFLAGS = -fno-sanitize-recover=all
asan: deps
	@test -f build-asan/build.ninja || meson setup build-asan --buildtype=debug \
		-Db_sanitize=address,undefined -Db_lundef=false -Dc_args='$(ASAN_CFLAGS)'
	@grep -q -e '$(ASAN_CFLAGS)' build-asan/build.ninja || meson configure build-asan -Dc_args='$(ASAN_CFLAGS)'
	@ninja -C build-asan

run: build
	@mkdir -p var
	@echo "runcare: open http://$(LISTEN)/ in your browser; stop with Ctrl-C"
	./build/runcare serve --demo --listen $(LISTEN) --db $(DB)

# Everything: unit (cmocka), integration (real binary on loopback), the same at awkward moments of
# the clock, a short fuzz run, browser.
test: build asan
	@tests/run-all.sh

unit: asan
	@tests/run-all.sh unit

integration: build asan
	@tests/run-all.sh integration

# The SQLite integration suite's date-dealing modules at awkward moments of the clinic's calendar
# (RUNCARE_CLOCK, test-only), on the optimised binary.
clock: build
	@tests/run-all.sh clock

browser: build
	@tests/run-all.sh browser

# libFuzzer on every parser: form/multipart/cookie, GPX/TCX, FIT, the self-check's answers, the
# content loaders; and raw HTTP through the whole server (http). FUZZ_SECONDS is per target; the table
# at the end gives executions, exec/s and exec/CPU-s, coverage, and whether each target's rate reaches
# 10^7 executions in an hour (issue #13), under the load average printed above it.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= form xml fit selfcheck content request http
fuzz: deps
	@test -f build-fuzz/build.ninja || CC=clang meson setup build-fuzz --buildtype=debugoptimized -Dfuzz=true \
		-Db_sanitize=address,undefined -Db_lundef=false
	@ninja -C build-fuzz $(addprefix fuzz-,$(FUZZ_TARGETS))
	@tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# Grows the corpora kept in tests/fuzz/corpus: a run seeded only by the repository's own inputs (the
# real files in ../shared are never copied in), then minimised (each kept input adds coverage).
fuzz-corpus:
	@rm -rf build-fuzz/corpus-*
	@FUZZ_OWN_SEEDS=1 $(MAKE) --no-print-directory fuzz
	@tests/fuzz/merge.sh $(FUZZ_TARGETS)

bench: build
	@ninja -C build bench-expat
	@bench/run.sh

# The slow attacks (tests/attack/) at full size against build/runcare (about two minutes; traffic to
# 127.0.0.x only, every loop bounded): memory (bodies nobody finishes), slow headers, zip bombs and
# account floods (run.py); not part of make test, which runs a fast variant of each. Each file
# prints what it measured and "N passed, N failed"; make test runs the fast variants.
attack: build
	@status=0; for f in tests/attack/*.py; do echo "--- $$f"; RUNCARE_BIN=build/runcare python3 $$f || status=1; \
		done; exit $$status

clean:
	rm -rf build build-asan build-fuzz
