#!/usr/bin/env bash
# What: one-command demo: installs what is missing, starts a private dockerd, builds the jar if needed,
#       and runs the gateway in front of it on 127.0.0.1:${PORTCULLIS_EDGE_PORT:-2375} until Ctrl-C.
# Needs: root (for dockerd), Java 17, Maven, Debian's package mirrors on a fresh machine.
# How long: ~1 minute the first time (build), seconds after; runs until interrupted.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
dir=${PORTCULLIS_DEMO_DIR:-/tmp/portcullis-demo}
dport=${PORTCULLIS_DEMO_DOCKERD_PORT:-23760}
[ -f app/target/portcullis.jar ] || mvn -B -q package -DskipTests
scripts/dockerd-start.sh "$dir" "$dport" >/dev/null
gateway_pid=
stop() {
  [ -n "$gateway_pid" ] && kill "$gateway_pid" 2>/dev/null && wait "$gateway_pid" 2>/dev/null
  scripts/dockerd-stop.sh "$dir"
}
trap stop EXIT INT TERM
echo "private dockerd: unix://$dir/docker.sock (image busybox:local; containers need --network none)"
PORTCULLIS_BACKENDS="local=unix://$dir/docker.sock" java -jar app/target/portcullis.jar "$@" &
gateway_pid=$!
wait "$gateway_pid"
