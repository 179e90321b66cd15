#!/usr/bin/env bash
# What: one-command demo: installs what is missing, starts a private dockerd, builds the jar if needed,
#       creates a CA and a tenant "demo", and runs the gateway (mutual TLS on 127.0.0.1:2376) until Ctrl-C.
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
state="$dir/state"
export PORTCULLIS_STATE_DIR="$state" PORTCULLIS_BACKENDS="local=unix://$dir/docker.sock"
[ -f "$state/ca/ca.pem" ] || java -jar app/target/portcullis.jar init >/dev/null
[ -f "$dir/demo-bundle/cert.pem" ] || java -jar app/target/portcullis.jar tenant add demo --out "$dir/demo-bundle" >/dev/null
tls_port=${PORTCULLIS_TLS_PORT:-2376}
echo "private dockerd: unix://$dir/docker.sock (image busybox:local; containers need --network none)"
echo "as tenant demo, in another shell:"
echo "  export DOCKER_HOST=tcp://127.0.0.1:$tls_port DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=$dir/demo-bundle"
echo "  docker run -it --rm --network none busybox:local sh"
java -jar app/target/portcullis.jar "$@" &
gateway_pid=$!
wait "$gateway_pid"
