#!/usr/bin/env bash
# Minimises build-fuzz/corpus-TARGET together with tests/fuzz/corpus/TARGET into the latter.
set -euo pipefail
cd "$(dirname "$0")/../.."
for t in "$@"; do
	# fuzz-request's inputs are fuzz-http's: what it found is merged into that corpus below.
	[ "$t" != request ] || continue
	extra=()
	[ "$t" = http ] && [ -d build-fuzz/corpus-request ] && extra=(build-fuzz/corpus-request)
	case $t in form | xml) m=4096 ;; fit) m=1024 ;; selfcheck | content) m=2048 ;; http) m=8192 ;; *) m=65536 ;; esac
	# A whole request path touches so much that keeping every new hit count kept ~1,700 HTTP inputs;
	# every edge once is ~550 for the same edges.
	counters=()
	[ "$t" = http ] && counters=(-use_counters=0)
	rm -rf "tests/fuzz/corpus/$t.new"
	mkdir -p "tests/fuzz/corpus/$t.new" "tests/fuzz/corpus/$t"
	"build-fuzz/fuzz-$t" -merge=1 -max_len=$m "${counters[@]}" "tests/fuzz/corpus/$t.new" "tests/fuzz/corpus/$t" \
		"build-fuzz/corpus-$t" "${extra[@]}" >/dev/null 2>&1
	rm -rf "tests/fuzz/corpus/$t"
	mv "tests/fuzz/corpus/$t.new" "tests/fuzz/corpus/$t"
	echo "$t: $(ls "tests/fuzz/corpus/$t" | wc -l) inputs"
done
