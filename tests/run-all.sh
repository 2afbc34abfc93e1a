#!/usr/bin/env bash
# Runs every test suite and ends with one line: "N passed, N failed".
# usage: tests/run-all.sh [arrows|unit|integration|clock|fuzz|browser|attack]...   (default: all but attack)
set -uo pipefail
cd "$(dirname "$0")/.."
# The first UBSan report ends the process, as an ASan report does, so no suite can pass over it; a
# value the caller already set comes after ours and wins. ASan's defaults (leak checking on) stay.
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(arrows unit integration clock fuzz browser)
# Debian's own Python, where the packages of deps/debian.txt (python3-psycopg2, python3-aiosmtpd, …) live,
# even when another python3 comes first on the PATH (pyenv, a virtualenv).
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
passed=0
failed=0
log=build/test-logs
mkdir -p "$log"

# Adds the counts from a suite's closing "N passed, N failed" line; a suite that ends without one
# (a crash) counts as one failure, and so does a nonzero exit status with no failure counted. Each
# suite's line says how long it took since the last one ($mark).
tally() {
	local name=$1 out=$2 rc=$3
	local line
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -1)
	if [ -z "$line" ]; then
		echo "$name: no summary line (exit $rc); see $out"
		failed=$((failed + 1))
		mark=$SECONDS
		return
	fi
	local p f
	p=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "$name: exited $rc although it reported no failure"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	echo "$name: $line ($((SECONDS - mark)) s)"
	mark=$SECONDS
}

# Runs a suite's command with all its output in the file $1, showing only its "not ok" lines (or
# those matching the caller's $show) as they come, and returns the command's own exit status (not
# that of the filter after it).
run_logged() {
	local out=$1
	shift
	"$@" 2>&1 | tee "$out" | grep --line-buffered -E "${show:-^not ok}" | cut -c1-400
	return "${PIPESTATUS[0]}"
}

# The module arrows (docs/architecture.md): every include against tools/check-includes.py's table.
run_arrows() {
	local out=$log/arrows.txt rc
	"$py" tools/check-includes.py >"$out" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ]; then
		echo "1 passed, 0 failed" >>"$out"
	else
		grep -v '^check-includes:' "$out"
		echo "0 passed, 1 failed" >>"$out"
	fi
	tally arrows "$out" "$rc"
}

run_unit() {
	local out=$log/unit.txt p=0 f=0 n=0
	: >"$out"
	for t in build-asan/test-*; do
		[ -f "$t" ] && [ -x "$t" ] || continue
		n=$((n + 1))
		local one=$log/$(basename "$t").txt
		CMOCKA_MESSAGE_OUTPUT=TAP "$t" >"$one" 2>&1
		local rc=$?
		local ok bad
		ok=$(grep -cE '^ok [0-9]+' "$one")
		bad=$(grep -cE '^not ok [0-9]+' "$one")
		if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then bad=1; fi
		[ "$bad" -eq 0 ] || { echo "--- $t"; grep -vE '^ok ' "$one" | head -40; }
		p=$((p + ok))
		f=$((f + bad))
	done
	if [ "$n" -eq 0 ]; then
		echo "unit: no test binaries in build-asan/ (run make asan)"
		f=1
	fi
	echo "$p passed, $f failed" >>"$out"
	[ "$f" -eq 0 ]
	tally unit "$out" $?
}

# The whole integration suite, on SQLite and on a live PostgreSQL cluster made for this run, each
# backend's modules shared by INTEGRATION_RUNS runs (RUNCARE_TEST_CLAIMS: each run takes the next module
# nobody has taken). All go on side by side — each test starts its own servers, on its own database and
# ports, and most of a test's time is waiting on them: the PostgreSQL runs in the background while the
# SQLite runs and the clock suite go on, counted after them.
integration_runs=${INTEGRATION_RUNS:-2}

# Runs the integration suite as $integration_runs runs sharing its modules, into $log/$1-K.txt, each with
# its exit status in $log/$1-K.txt.rc, and waits for them all. The rest of the arguments: VAR=value
# settings for the runs.
run_shared() {
	local name=$1 claims=$log/$1-claims k pids=()
	shift
	rm -rf "$claims" "$log/$name"-*.txt*
	mkdir -p "$claims"
	for k in $(seq 1 "$integration_runs"); do
		(
			began=$SECONDS
			env "$@" RUNCARE_TEST_CLAIMS="$claims" RUNCARE_BIN=${RUNCARE_BIN:-build-asan/runcare} \
				"$py" tests/integration/run.py >"$log/$name-$k.txt" 2>&1
			echo $? >"$log/$name-$k.txt.rc"
			echo $((SECONDS - began)) >"$log/$name-$k.txt.secs"
		) &
		pids+=($!)
	done
	wait "${pids[@]}"
}

# Counts the runs of run_shared $1, showing their "not ok" lines; $2 is the suite's name in the summary.
tally_shared() {
	local k out rc
	for k in $(seq 1 "$integration_runs"); do
		out=$log/$1-$k.txt
		rc=$(cat "$out.rc" 2>/dev/null || echo 1)
		grep -E '^not ok' "$out" | cut -c1-400
		mark=$((SECONDS - $(cat "$out.secs" 2>/dev/null || echo 0)))
		tally "$2 $k/$integration_runs" "$out" "$rc"
	done
}

pg_pid=
run_integration() {
	local pgdir=build/pg-test
	# The FHIR tests validate with Medplum's validator (tests/fhir), installed like tests/browser's packages.
	if [ ! -d tests/fhir/node_modules/@medplum/core ] ||
		[ tests/fhir/package-lock.json -nt tests/fhir/node_modules/.package-lock.json ]; then
		npm ci --prefix tests/fhir --no-audit --no-fund >"$log/npm-fhir.txt" 2>&1 || cat "$log/npm-fhir.txt"
	fi
	(
		trap 'tests/pgcluster.sh stop '"$pgdir"' >/dev/null 2>&1' EXIT
		if ! pgurl=$(tests/pgcluster.sh start "$pgdir" 2>"$log/pgcluster.txt"); then
			for k in $(seq 1 "$integration_runs"); do
				cat "$log/pgcluster.txt" >"$log/integration-postgresql-$k.txt"
				echo "0 passed, 1 failed" >>"$log/integration-postgresql-$k.txt"
				echo 1 >"$log/integration-postgresql-$k.txt.rc"
			done
			exit 1
		fi
		run_shared integration-postgresql RUNCARE_TEST_PG="$pgurl"
	) &
	pg_pid=$!
	case " ${suites[*]} " in *" clock "*) start_clock ;; esac
	run_shared integration-sqlite RUNCARE_TEST_PG=
	tally_shared integration-sqlite "integration (SQLite)"
}

# Waits for the PostgreSQL runs started by run_integration and counts them.
finish_integration() {
	[ -n "$pg_pid" ] || return 0
	wait "$pg_pid"
	pg_pid=
	tally_shared integration-postgresql "integration (PostgreSQL, alongside)"
}

# The date-sensitive modules of the SQLite integration suite again at awkward moments of the clinic's
# calendar (its zone is America/Los_Angeles), the clock moved there by RUNCARE_CLOCK (test-only). Each
# run's anchor is taken once, as it starts, and is the same for the tests and every runcare they
# start; one anchor for all four runs would let the minutes of the earlier runs carry New Year's Eve
# past midnight. Only the modules that deal in dates run, without their tests marked clock_free, to keep
# the four runs to a few minutes; and on the optimised binary: what they look for is a date gone wrong,
# and the sanitizers already watch the same code in the SQLite and PostgreSQL runs (on the ASan build,
# a clock run cost about half as much CPU again).
clock_modules=booking,wave,waitlist,mail,training,programs,grid,reports,activities,exports
clock_moments=(
	late-evening=2026-12-01T23:40:00-08:00
	clocks-go-back=2026-11-01T01:30:00-07:00
	clocks-go-forward=2027-03-14T01:50:00-08:00
	new-years-eve=2026-12-31T23:55:00-08:00
)

# The four runs one after another, each into its own file with its exit status and seconds beside it.
clock_runs() {
	local m name at out
	for m in "${clock_moments[@]}"; do
		name=${m%%=*}
		at=${m#*=}
		out=$log/clock-$name.txt
		local began=$SECONDS
		RUNCARE_CLOCK="$at@$(date +%s)" RUNCARE_TEST_MODULES=$clock_modules \
			RUNCARE_BIN=${RUNCARE_BIN:-build/runcare} "$py" tests/integration/run.py >"$out" 2>&1
		echo $? >"$out.rc"
		echo $((SECONDS - began)) >"$out.secs"
	done
}

# With the integration suite, the clock runs go on beside it (as the PostgreSQL run does): most of a
# test's time is waiting on its servers, so three streams fit two cores. Counted by run_clock.
clock_pid=
start_clock() {
	local m
	for m in "${clock_moments[@]}"; do rm -f "$log/clock-${m%%=*}.txt"{,.rc,.secs}; done
	clock_runs &
	clock_pid=$!
}

run_clock() {
	local m name out rc
	[ -n "$clock_pid" ] || start_clock
	wait "$clock_pid"
	clock_pid=
	for m in "${clock_moments[@]}"; do
		name=${m%%=*}
		out=$log/clock-$name.txt
		rc=$(cat "$out.rc" 2>/dev/null || echo 1)
		grep -E '^not ok' "$out" | cut -c1-400
		mark=$((SECONDS - $(cat "$out.secs" 2>/dev/null || echo 0)))
		tally "clock $name (${m#*=})" "$out" "$rc"
	done
}

# The slow attacks, on the optimised binary (they measure time as well as behaviour).
run_attack() {
	local out=$log/attack.txt show='^(not ok|# )'
	RUNCARE_BIN=${RUNCARE_BIN:-build/runcare} run_logged "$out" "$py" tests/attack/run.py
	tally attack "$out" $?
}

# With the browser suite after it, the fuzz run (a clang build, then each target for FUZZ_SECONDS) goes on
# beside it, as the PostgreSQL run does beside the integration suite: the browser cases mostly wait on
# Chromium and the server. Counted by finish_fuzz.
fuzz_pid=
fuzz_start=0
start_fuzz() {
	local out=$log/fuzz.txt
	rm -f "$out.rc"
	fuzz_start=$SECONDS
	(
		make --no-print-directory fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-8}" >"$out" 2>&1
		echo $? >"$out.rc"
	) &
	fuzz_pid=$!
}

run_fuzz() {
	case " ${suites[*]} " in
	*" fuzz browser "* | *" fuzz "*" browser "*) start_fuzz ;;
	*) start_fuzz && finish_fuzz ;;
	esac
}

finish_fuzz() {
	[ -n "$fuzz_pid" ] || return 0
	wait "$fuzz_pid"
	fuzz_pid=
	local out=$log/fuzz.txt rc
	rc=$(cat "$out.rc" 2>/dev/null || echo 1)
	mark=$fuzz_start
	if [ "$rc" -eq 0 ]; then
		echo "1 passed, 0 failed" >>"$out"
	else
		tail -30 "$out"
		echo "0 passed, 1 failed" >>"$out"
	fi
	tally fuzz "$out" "$rc"
}

run_browser() {
	local out=$log/browser.txt
	# Installs what the lock file names when nothing is installed yet or the lock file changed since.
	if [ ! -d tests/browser/node_modules/playwright-core ] ||
		[ tests/browser/package-lock.json -nt tests/browser/node_modules/.package-lock.json ]; then
		npm ci --prefix tests/browser --no-audit --no-fund >"$log/npm.txt" 2>&1 || cat "$log/npm.txt"
	fi
	# The cases that run on both databases (the front desk's morning) get a PostgreSQL cluster of their own.
	local pgdir=build/pg-browser pgurl rc
	if ! pgurl=$(tests/pgcluster.sh start "$pgdir" 2>"$log/pgcluster-browser.txt"); then
		cat "$log/pgcluster-browser.txt"
		pgurl=
	fi
	RUNCARE_TEST_PG=$pgurl run_logged "$out" node tests/browser/run.mjs
	rc=$?
	tests/pgcluster.sh stop "$pgdir" >/dev/null 2>&1
	tally browser "$out" $rc
}

for s in "${suites[@]}"; do
	if ! declare -F "run_$s" >/dev/null; then
		echo "$s: no such suite (arrows, unit, integration, clock, fuzz, browser, attack)"
		failed=$((failed + 1))
		continue
	fi
	# The PostgreSQL run overlaps the suites that use no browser and no fuzzer (CPU-bound ones wait).
	case $s in integration | clock | arrows | unit) ;; *) finish_integration ;; esac
	mark=$SECONDS
	"run_$s"
done
finish_integration
finish_fuzz
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
