#!/usr/bin/env bash
# Runs each libFuzzer target for SECONDS and prints what it did: executions, executions a second,
# coverage, and whether at that rate an hour would hold 10^7 executions (else how many hours it would
# take), under the machine's load average, printed first. Corpora: tests/fuzz/corpus/TARGET (kept in the repository, minimised by `make fuzz-corpus`)
# and tests/fuzz/seeds/TARGET are read; what a run finds goes to build-fuzz/corpus-TARGET. A dictionary,
# tests/fuzz/TARGET.dict, is given to libFuzzer when there is one.
# The rates are a whole run's averages, and the whole-request targets slow down as their corpus grows:
# tests/fuzz/hour.py build-fuzz/fuzz-TARGET.log prints the run's curve and extrapolates it to an hour.
# usage: tests/fuzz/run.sh SECONDS [TARGET...]
set -uo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(form xml fit selfcheck content request http)
shared=../shared/testdata

# Each target's largest input. A FIT or XML file's cost grows with its length while its structure
# (headers, definitions, nesting) shows in the first kilobyte or two, so long inputs only slow the
# search: whole real files made the FIT target run at ~150 executions a second instead of ~10,000.
# An HTTP input is one connection; a longer one is mostly a pipeline of more of the same requests, each
# costing a whole round trip (a header over 16 KiB, refused 431, is tests/integration/run.py's). A content
# input is one file, linked against the built-in rest: a few entries reach every check across files, and
# each kilobyte more is more JSON to parse (at 4 KiB it ran three quarters as fast as at 2 KiB).
max_len() {
	case $1 in
	form) echo 4096 ;; xml) echo 4096 ;; fit) echo 1024 ;; selfcheck) echo 2048 ;; content) echo 2048 ;;
	http | request) echo 8192 ;;
	esac
}
# fuzz-request reads the same inputs as fuzz-http (raw requests): it shares its corpus, seeds and
# dictionary, and keeps what it finds in build-fuzz/corpus-request.
inputs_of() {
	case $1 in
	request) echo http ;;
	*) echo "$1" ;;
	esac
}
# libFuzzer's own settings for a target, where its defaults cost more than the target. fuzz-http's
# server keeps caches across connections, as it does across requests (prepared statements, rendered
# anonymous pages, SQLite's pages), so most inputs allocate more than they free: libFuzzer would run
# each of those again with a whole-heap leak check, a third of a short run, until it gave up after
# 1000; a leak is still reported when the run ends (LeakSanitizer at exit fails it). Its ~40,000
# features (edges and their hit counts across the whole server) keep entropic's list of "rare" ones
# long: at the default threshold of 255 hits, and still at 16, libFuzzer searched that list for most
# features of every execution and for every input on each new feature — 40% of fuzz-http's CPU, 16%
# of fuzz-request's (perf). At 2 the schedule is the same kind (the 100 rarest features weigh the
# inputs that hold them), its bookkeeping a few per cent, and a run finds at least as many features.
#
# Both also weigh each input's energy by how long it runs (-entropic_scale_per_exec_time=1). A page that
# builds a chart's view, an export or a JSON list of every question costs tens of times what a 404 does,
# and such inputs hold the rarest features, so entropic kept choosing them: fuzz-http fell from ~3,300
# executions a second in its first minute to ~1,450 after three, the corpus no larger than 2.3 MB. Each
# input is still mutated (the rare features still raise its weight); a slow one only less often than
# a fast one with the same features. From the same grown corpus and seed, 50,000 executions took 9.5 s
# of CPU instead of 26.4 s, at 99.7 % of the coverage, so an hour finds more (docs/security.md).
flags() {
	case $1 in
	http | request) echo "-detect_leaks=0 -entropic_feature_frequency_threshold=2 -entropic_scale_per_exec_time=1" ;;
	esac
}
# AddressSanitizer's settings for a target, on top of any ASAN_OPTIONS given. The whole-request targets
# free every request's memory into ASan's quarantine (256 MB by default), where a freed block waits before
# it is handed out again so that a use after its free is caught: cycling a quarter of a gigabyte meant
# each malloc touched memory long gone from the caches (a sixth of fuzz-http's CPU sat on the first read
# of a new block, perf). 16 MB still holds everything dozens of requests free, so a use after free within
# a request, or by the next ones, is still caught; RSS went from ~560 MB to ~150 MB and CPU down a tenth.
# Nothing else is changed: redzones, heap overflow and double-free detection, malloc's fill, stacks.
asan_of() {
	case $1 in
	http | request) echo "quarantine_size_mb=16" ;;
	esac
}
# The real files in ../shared seed a run; they are read from there and never copied into the corpora
# kept here (make fuzz-corpus runs without them: FUZZ_OWN_SEEDS=1).
extra() {
	[ -z "${FUZZ_OWN_SEEDS:-}" ] || return 0
	case $1 in
	xml) [ -d $shared/gpx ] && echo "$shared/gpx $shared/tcx" ;;
	fit) [ -d $shared/fit ] && echo "$shared/fit $shared/fit/broken" ;;
	esac
}

# The rate make fuzz is measured against: 10 million executions of each target within an hour
# (issue #13), i.e. 2,778 a second sustained.
per_hour_goal=10000000
status=0
printf 'load average %s (the rates are wall-clock: other work on the machine lowers them)\n' \
	"$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
printf '%-10s %12s %10s %10s %8s %-16s  %s\n' target executions "exec/s" "exec/CPU-s" cov "10^7 in an hour" result
# CPU seconds used by this shell's children so far (bash's times, run in this shell and written to a
# file: in a $(…) subshell it would count from zero). Executions a CPU-second depend far less than
# executions a second on what else the machine is doing.
children_cpu() {
	times >"$tmp_times"
	awk 'END { n = 0; for (i = 1; i <= 2; i++) { split($i, t, /[ms]/); n += t[1] * 60 + t[2] } print n }' "$tmp_times"
}
tmp_times=$(mktemp)
trap 'rm -f "$tmp_times"' EXIT
for t in "${targets[@]}"; do
	bin=build-fuzz/fuzz-$t
	out=build-fuzz/fuzz-$t.log
	in=$(inputs_of "$t")
	mkdir -p build-fuzz/corpus-$t tests/fuzz/corpus/$in
	dict=()
	[ -f tests/fuzz/$in.dict ] && dict=(-dict=tests/fuzz/$in.dict)
	children_cpu >"$tmp_times.before"
	# shellcheck disable=SC2046
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}$(asan_of "$t")" \
		"$bin" -max_total_time="$seconds" -max_len="$(max_len "$t")" -print_final_stats=1 "${dict[@]}" $(flags "$t") \
		-artifact_prefix=build-fuzz/crash-$t- build-fuzz/corpus-$t tests/fuzz/corpus/$in tests/fuzz/seeds/$in \
		$(extra "$t") >"$out" 2>&1
	rc=$?
	children_cpu >"$tmp_times.after"
	cpu_before=$(cat "$tmp_times.before")
	cpu=$(cat "$tmp_times.after")
	rm -f "$tmp_times.before" "$tmp_times.after"
	done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$out" | tail -1)
	execs=$(grep -E '^stat::number_of_executed_units:' "$out" | awk '{print $2}')
	rate=$(echo "$done_line" | sed -nE 's/.*exec\/s: ([0-9]+).*/\1/p')
	cov=$(echo "$done_line" | sed -nE 's/.*cov: ([0-9]+).*/\1/p')
	result=ok
	if [ $rc -ne 0 ]; then
		result="FAILED (exit $rc): see $out and build-fuzz/crash-$t-*"
		status=1
		grep -E 'ERROR|SUMMARY|==[0-9]+==' "$out" | head -5
	fi
	# At this rate, whether an hour holds 10^7 executions; if not, how long they take.
	hour='?'
	[ -n "$rate" ] && hour=$(awk -v r="$rate" -v g=$per_hour_goal 'BEGIN {
		if (r * 3600 >= g) print "yes"; else if (r > 0) printf "no (%.1f h)\n", g / r / 3600; else print "no" }')
	per_cpu=$(awk -v n="${execs:-0}" -v a="$cpu_before" -v b="$cpu" 'BEGIN { if (b > a && n > 0) printf "%d", n / (b - a); else print "?" }')
	printf '%-10s %12s %10s %10s %8s %-16s  %s\n' "$t" "${execs:-?}" "${rate:-?}" "$per_cpu" "${cov:-?}" "$hour" "$result"
done
exit $status
