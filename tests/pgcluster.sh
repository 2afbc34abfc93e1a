#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: initdb under build/, a free loopback port, stopped
# again by the caller (tests/run-all.sh traps EXIT, so also on failure).
# usage: tests/pgcluster.sh start DIR   -> prints the base URL postgresql://runcare@127.0.0.1:PORT
#        tests/pgcluster.sh stop DIR
set -euo pipefail
cmd=$1
dir=$(realpath -m "$2")
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "pgcluster: the PostgreSQL server is not installed (deps/debian.txt lists postgresql)" >&2; exit 1; }

# initdb and the server refuse to run as root: run them as the postgres user there.
as_owner() {
	if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
start)
	rm -rf "$dir"
	mkdir -p "$dir"
	[ "$(id -u)" -ne 0 ] || chown postgres: "$dir"
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	as_owner "$bin/initdb" -D "$dir/data" -A trust -U runcare -E UTF8 --no-locale --no-sync >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; exit 1; }
	# fsync stays on: the tests that kill the server check durability on this cluster too.
	as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null ||
		{ cat "$dir/server.log" >&2; exit 1; }
	echo "$port" >"$dir/port"
	echo "postgresql://runcare@127.0.0.1:$port"
	;;
stop)
	[ -d "$dir/data" ] || exit 0
	as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
	;;
*)
	echo "usage: $0 start|stop DIR" >&2
	exit 2
	;;
esac
