#!/bin/sh
# Installs the Debian packages in deps/debian.txt that are missing; quick when none is.
set -eu
cd "$(dirname "$0")/.."
missing=""
while IFS= read -r line; do
	line=${line%%#*}
	line=$(echo "$line" | tr -d '[:space:]')
	[ -n "$line" ] || continue
	pkg=${line%%|*}
	cmd=""
	case "$line" in *"|"*) cmd=${line#*|} ;; esac
	if [ -n "$cmd" ] && command -v "$cmd" >/dev/null 2>&1; then
		continue
	fi
	if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
		continue
	fi
	missing="$missing $pkg"
done < deps/debian.txt
if [ -n "$missing" ]; then
	echo "deps: installing$missing"
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi
