#!/usr/bin/env bash
# make bench: runcare against its peers, measured in the same run, printed as ratios.
#   1. the article page: runcare's route vs nginx serving the same bytes as a static file (wrk)
#   2. the booking storm: committed bookings/s vs bare durable inserts on the same file system
#      (and on PostgreSQL vs pgbench, when BENCH_PG=1)
#   3. training files: GPX MB/s vs gpsbabel, peak memory as files grow, FIT vs Garmin's FIT SDK
#      (bench/formats.py)
#   4. the clinical chart: render time for a patient with 300 visits and five years of diary, beside the
#      article page from the same process (bench/chart.py)
#   5. patient search: the front desk's searches among 20,000 patients, and writing their search keys
#      (bench/patients.py)
#   6. the self-check: POST /api/selfcheck and /api/selfcheck/next beside nginx's static rate (runs
#      interleaved), and the questions to a result one at a time over every public vignette (median,
#      90th percentile, accuracy)
#   7. a whole Garmin Connect export (~500 MB of FIT): runcare import files/s, MB/s and peak memory at a
#      quarter and the whole size, beside Garmin's FIT SDK decoding the same files (bench/export.py)
# Speed is measured here, never asserted in tests. Machines are noisy: medians of BENCH_RUNS runs.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${BENCH_RUNS:-3}
SECS=${BENCH_SECONDS:-10}
# wrk's connections all come from one address, and runcare takes at most RC_HTTP_MAX_PER_ADDRESS (32)
# from one (src/web/http.h): with more, the rest are refused and reconnect in a loop, and the run
# measures that churn (tens of thousands of socket errors) rather than the page. A surge comes from
# many addresses; one address may use the 32.
CONNS=${BENCH_CONNECTIONS:-32}
THREADS=2
for tool in /usr/sbin/nginx /usr/bin/wrk; do
	[ -x "$tool" ] || { echo "bench: $tool is missing (make deps installs nginx-light and wrk)"; exit 1; }
done
[ -x build/runcare ] || { echo "bench: build/runcare is missing (make build)"; exit 1; }

dir=$(mktemp -d "$PWD/build/bench-XXXXXX")
# nginx's workers drop root for an unprivileged user: they must be able to read the document root.
chmod 755 "$dir"
rc_pid="" ng_pid=""
cleanup() {
	[ -n "$rc_pid" ] && kill "$rc_pid" 2>/dev/null && wait "$rc_pid" 2>/dev/null
	[ -f "$dir/nginx.pid" ] && kill "$(cat "$dir/nginx.pid")" 2>/dev/null
	[ -n "$ng_pid" ] && wait "$ng_pid" 2>/dev/null
	[ -n "${BENCH_KEEP:-}" ] || rm -rf "$dir"
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

rc_port=$(free_port)
ng_port=$(free_port)
# runcare writes its access log to a file, as nginx does: both pay for one line a request.
./build/runcare serve --demo --listen "127.0.0.1:$rc_port" --db "sqlite:$dir/bench.db" --threads "$THREADS" \
	>"$dir/runcare.out" 2>"$dir/runcare.log" &
rc_pid=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$rc_port/healthz" >/dev/null && break; sleep 0.1; done

mkdir -p "$dir/www/articles" "$dir/tmp"
curl -fs "http://127.0.0.1:$rc_port/articles/runners-butt" -o "$dir/www/articles/runners-butt"
chmod -R a+rX "$dir/www"
cat >"$dir/nginx.conf" <<CONF
worker_processes $THREADS;
pid $dir/nginx.pid;
error_log $dir/nginx-error.log warn;
daemon off;
events { worker_connections 4096; }
http {
    access_log $dir/nginx-access.log;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    default_type text/html;
    server {
        listen 127.0.0.1:$ng_port;
        root $dir/www;
    }
}
CONF
/usr/sbin/nginx -c "$dir/nginx.conf" -p "$dir" &
ng_pid=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$ng_port/articles/runners-butt" >/dev/null && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$ng_port/articles/runners-butt" -o "$dir/from-nginx"
curl -fs "http://127.0.0.1:$rc_port/articles/runners-butt" -o "$dir/from-runcare"
cmp -s "$dir/from-nginx" "$dir/from-runcare" || { echo "bench: nginx and runcare do not serve the same bytes"; exit 1; }

# One wrk run: prints "requests/s p99-ms"; more arguments go to wrk (-s script). A run with socket
# errors or answers other than 2xx/3xx measured something else: it says so on stderr.
measure() {
	local secs=$1 url=$2
	shift 2
	wrk -t"$THREADS" -c"$CONNS" -d"${secs}s" --latency "$@" "$url" | awk -v url="$url" '
		/Requests\/sec/ { rps = $2 }
		/^ *99%/ { v = $2; unit = v; sub(/[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v);
		           if (unit == "us") v /= 1000; else if (unit == "s") v *= 1000; p99 = v }
		/Socket errors|Non-2xx/ { print "bench: " url ": " $0 > "/dev/stderr" }
		END { printf "%.0f %.2f\n", rps, p99 }'
}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

measure 2 "http://127.0.0.1:$rc_port/articles/runners-butt" >/dev/null
measure 2 "http://127.0.0.1:$ng_port/articles/runners-butt" >/dev/null
: >"$dir/rc.txt"
: >"$dir/ng.txt"
for _ in $(seq "$RUNS"); do
	measure "$SECS" "http://127.0.0.1:$rc_port/articles/runners-butt" >>"$dir/rc.txt"
	measure "$SECS" "http://127.0.0.1:$ng_port/articles/runners-butt" >>"$dir/ng.txt"
done
rc_rps=$(cut -d' ' -f1 "$dir/rc.txt" | median)
rc_p99=$(cut -d' ' -f2 "$dir/rc.txt" | median)
ng_rps=$(cut -d' ' -f1 "$dir/ng.txt" | median)
ng_p99=$(cut -d' ' -f2 "$dir/ng.txt" | median)
rc_rss=$(awk '/VmHWM/ { print $2 }' "/proc/$rc_pid/status")
ng_rss=0
for p in $(pgrep -f "nginx -c $dir/nginx.conf") $(pgrep -P "$ng_pid" 2>/dev/null); do
	v=$(awk '/VmHWM/ { print $2 }' "/proc/$p/status" 2>/dev/null || echo 0)
	ng_rss=$((ng_rss + ${v:-0}))
done
bytes=$(wc -c <"$dir/from-runcare")
echo "article page ($bytes bytes), $CONNS connections, $THREADS threads, median of $RUNS x ${SECS}s:"
printf '  runcare %s req/s p99 %s ms | nginx %s req/s p99 %s ms | ratio %.2f (goal >= 0.80, p99 < 5 ms)\n' \
	"$rc_rps" "$rc_p99" "$ng_rps" "$ng_p99" "$(echo "$rc_rps / $ng_rps" | bc -l)"
printf '  peak RSS: runcare %.1f MB, nginx (all processes) %.1f MB\n' "$(echo "$rc_rss / 1024" | bc -l)" \
	"$(echo "$ng_rss / 1024" | bc -l)"

# The self-check: the engine alone, and POST /api/selfcheck and /api/selfcheck/next over HTTP beside
# nginx's static rate, interleaved run by run (nginx, then each API) so that a busy moment on the machine
# falls on all three alike.
lua() {
	printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = %s\n' "'$1'"
}
lua '{"answers": {"region": "buttock_sit_bone", "onset": "gradual", "pain_with_sitting": true, "sit_bone_tender_to_press": true, "track_running": true, "saddle_numbness": false}}' >"$dir/selfcheck.lua"
# One step of the one-question-at-a-time check: the answers so far, a question back.
lua '{"answers": {"region": "buttock_sit_bone", "onset": "gradual", "pain_with_sitting": true, "saddle_numbness": false}, "skipped": ["age"]}' >"$dir/next.lua"
printf '{"answers": {"region": "buttock_sit_bone", "onset": "gradual", "pain_with_sitting": true, "sit_bone_tender_to_press": true}}' >"$dir/answers.json"
evals=$(./build/runcare check --answers "$dir/answers.json" --bench 200000 | awk '{ print $(NF-1) }')
for api in selfcheck next; do
	path=/api/selfcheck
	[ "$api" = next ] && path=/api/selfcheck/next
	code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
		--data-binary "$(sed -n "s/^wrk.body = '\(.*\)'$/\1/p" "$dir/$api.lua")" "http://127.0.0.1:$rc_port$path")
	[ "$code" = 200 ] || { echo "bench: POST $path answered $code, not 200"; exit 1; }
done
: >"$dir/sc-ng.txt"
: >"$dir/sc.txt"
: >"$dir/sc-next.txt"
for _ in $(seq "$RUNS"); do
	measure "$SECS" "http://127.0.0.1:$ng_port/articles/runners-butt" | cut -d' ' -f1 >>"$dir/sc-ng.txt"
	measure "$SECS" "http://127.0.0.1:$rc_port/api/selfcheck" -s "$dir/selfcheck.lua" | cut -d' ' -f1 >>"$dir/sc.txt"
	measure "$SECS" "http://127.0.0.1:$rc_port/api/selfcheck/next" -s "$dir/next.lua" | cut -d' ' -f1 >>"$dir/sc-next.txt"
done
sc_ng=$(median <"$dir/sc-ng.txt")
sc_rps=$(median <"$dir/sc.txt")
sc_next=$(median <"$dir/sc-next.txt")
echo
echo "self-check: engine $evals evaluations/s (one thread);"
echo "  over HTTP, $CONNS connections, $THREADS threads, median of $RUNS x ${SECS}s, interleaved with nginx" \
	"(load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores):"
printf '  POST /api/selfcheck      %6s req/s | nginx static %s req/s | ratio %.2f (goal >= 0.50)\n' "$sc_rps" "$sc_ng" \
	"$(echo "$sc_rps / $sc_ng" | bc -l)"
printf '  POST /api/selfcheck/next %6s req/s | nginx static %s req/s | ratio %.2f (goal >= 0.50)\n' "$sc_next" "$sc_ng" \
	"$(echo "$sc_next / $sc_ng" | bc -l)"
printf '  each run (nginx, selfcheck, next):'
paste -d/ "$dir/sc-ng.txt" "$dir/sc.txt" "$dir/sc-next.txt" | tr '\n' ' '
echo

# Questions to a result, one at a time as the web asks them, over every public vignette (each answered
# from the case: a warning sign it does not mention "no", anything else skipped), and accuracy beside
# answering everything at once.
shared=${RUNCARE_SHARED:-../shared}
echo
if ls "$shared"/clinical/vignettes-public*.json >/dev/null 2>&1; then
	echo "self-check questions to a result (goal: median <= 12, accuracy no worse than answering everything):"
	./build/runcare check --walk "$shared"/clinical/vignettes-public*.json | tail -3 | sed 's/^/  /'
else
	echo "self-check questions to a result: $shared/clinical is absent, skipped"
fi

kill "$rc_pid"; wait "$rc_pid" 2>/dev/null || true; rc_pid=""
kill "$(cat "$dir/nginx.pid")"; wait "$ng_pid" 2>/dev/null || true; ng_pid=""

echo
pg_args=()
if [ "${BENCH_PG:-0}" = 1 ]; then
	pgurl=$(tests/pgcluster.sh start "$dir/pg")
	trap 'tests/pgcluster.sh stop "$dir/pg"; cleanup' EXIT INT TERM
	pg_args=(--pg "$pgurl")
fi
python3 bench/storm.py "${pg_args[@]}"

echo
python3 bench/formats.py

echo
python3 bench/chart.py

echo
python3 bench/patients.py

echo
python3 bench/export.py
