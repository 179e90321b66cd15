#!/usr/bin/env bash
# What: stops the private dockerd started by scripts/dockerd-start.sh, by its pid (never by name).
# Needs: the same DIR argument (default /tmp/portcullis-dockerd).
# How long: up to 20 s (dockerd stops its containers first).
set -uo pipefail
dir=${1:-${PORTCULLIS_DOCKERD_DIR:-/tmp/portcullis-dockerd}}
pidfile="$dir/dockerd.pid"
[ -f "$pidfile" ] || { echo "no dockerd pid file in $dir" >&2; exit 0; }
pid=$(cat "$pidfile")
kill -TERM "$pid" 2>/dev/null || exit 0
for _ in $(seq 1 100); do
  kill -0 "$pid" 2>/dev/null || exit 0
  sleep 0.2
done
echo "dockerd $pid did not stop in 20 s; killing it" >&2
kill -KILL "$pid" 2>/dev/null
exit 0
