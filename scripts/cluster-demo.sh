#!/usr/bin/env bash
# What: three gateway nodes of one cluster on this machine (loopback), sharing one state directory,
#       in front of the Docker daemon in DOCKER_HOST (default /var/run/docker.sock); `stop` ends them.
# Needs: the jar (mvn -B package -DskipTests), a reachable daemon; ports 2376/2386/2396 (tenants),
#        2377/2387/2397 (admin) and 5701-5703 (cluster) free on 127.0.0.1.
# How long: about 10 s to start. Usage: scripts/cluster-demo.sh [start|stop] [STATE_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
action=${1:-start}
state=${2:-/tmp/portcullis-cluster}
jar=app/target/portcullis.jar
if [ "$action" = stop ]; then
  for i in 0 1 2; do
    # By pid, never by name: SIGTERM drains each node (edge.shutdownGraceMs) and it exits 0.
    if [ -f "$state/node$i.pid" ]; then kill -TERM "$(cat "$state/node$i.pid")" 2>/dev/null || true; rm -f "$state/node$i.pid"; fi
  done
  exit 0
fi
mkdir -p "$state"
if [ ! -f "$state/ca/ca.pem" ]; then
  java -jar "$jar" --state "$state" init --name localhost --ip 127.0.0.1 >/dev/null
fi
if [ ! -f "$state/demo-bundle/cert.pem" ]; then
  java -jar "$jar" --state "$state" tenant add demo --out "$state/demo-bundle" >/dev/null
fi
backend=${DOCKER_HOST:-unix:///var/run/docker.sock}
members=127.0.0.1:5701,127.0.0.1:5702,127.0.0.1:5703
for i in 0 1 2; do
  PORTCULLIS_BACKENDS="local=$backend" PORTCULLIS_TLS_PORT=$((2376 + 10 * i)) PORTCULLIS_ADMIN_PORT=$((2377 + 10 * i)) \
  PORTCULLIS_CLUSTER_PORT=$((5701 + i)) PORTCULLIS_CLUSTER_MEMBERS=$members PORTCULLIS_CLUSTER_NAME=portcullis-demo \
    nohup java -jar "$jar" --state "$state" >"$state/node$i.log" 2>&1 &
  echo $! > "$state/node$i.pid"
done
for i in 0 1 2; do
  for _ in $(seq 1 150); do
    grep -q "listening with mutual TLS" "$state/node$i.log" 2>/dev/null && break
    sleep 0.2
  done
done
echo "three nodes up; any of them serves tenant demo:"
for i in 0 1 2; do
  echo "  DOCKER_HOST=tcp://127.0.0.1:$((2376 + 10 * i)) DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=$state/demo-bundle docker ps"
done
echo "stop them with: scripts/cluster-demo.sh stop $state"
