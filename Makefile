# The front door. The real build is meson.build; this file only names the everyday commands.
.PHONY: all deps build asan run test unit integration browser fuzz bench attack clean

LISTEN ?= 127.0.0.1:8080
DB ?= sqlite:var/runcare.db

all: build

deps:
	@tools/deps.sh

# The optimised binary: build/runcare.
build: deps
	@test -f build/build.ninja || meson setup build --buildtype=release
	@ninja -C build

# The sanitizer build (ASan + UBSan) that the tests run: build-asan/runcare.
asan: deps
	@test -f build-asan/build.ninja || meson setup build-asan --buildtype=debug \
		-Db_sanitize=address,undefined -Db_lundef=false
	@ninja -C build-asan

run: build
	@mkdir -p var
	@echo "runcare: open http://$(LISTEN)/ in your browser; stop with Ctrl-C"
	./build/runcare serve --demo --listen $(LISTEN) --db $(DB)

# Everything: unit (cmocka), integration (real binary on loopback), a short fuzz run, browser.
test: build asan
	@tests/run-all.sh

unit: asan
	@tests/run-all.sh unit

integration: build asan
	@tests/run-all.sh integration

browser: build
	@tests/run-all.sh browser

# libFuzzer on the form, multipart and cookie parsers; FUZZ_SECONDS bounds the run.
FUZZ_SECONDS ?= 60
fuzz: deps
	@test -f build-fuzz/build.ninja || CC=clang meson setup build-fuzz --buildtype=debug -Dfuzz=true \
		-Db_sanitize=address,undefined -Db_lundef=false
	@ninja -C build-fuzz fuzz-form fuzz-xml fuzz-fit
	@mkdir -p build-fuzz/corpus-form build-fuzz/corpus-xml build-fuzz/corpus-fit
	./build-fuzz/fuzz-form -max_total_time=$(FUZZ_SECONDS) -max_len=4096 build-fuzz/corpus-form tests/fuzz/seeds/form
	./build-fuzz/fuzz-xml -max_total_time=$(FUZZ_SECONDS) -max_len=65536 build-fuzz/corpus-xml tests/fuzz/seeds/xml \
		$(wildcard ../shared/testdata/gpx ../shared/testdata/tcx)
	@# The FIT decoder is seeded with the real files in ../shared when they are there.
	./build-fuzz/fuzz-fit -max_total_time=$(FUZZ_SECONDS) -max_len=65536 build-fuzz/corpus-fit tests/fuzz/seeds/fit \
		$(wildcard ../shared/testdata/fit ../shared/testdata/fit/broken)

bench: build
	@bench/run.sh

# The outside review's attacks at full size against build/runcare (about two minutes; traffic to
# 127.0.0.x only, every loop bounded): memory (bodies nobody finishes) and slow headers. Each file
# prints what it measured and "N passed, N failed"; make test runs the fast variants.
attack: build
	@status=0; for f in tests/attack/*.py; do echo "--- $$f"; RUNCARE_BIN=build/runcare python3 $$f || status=1; \
		done; exit $$status

clean:
	rm -rf build build-asan build-fuzz
