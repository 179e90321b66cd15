#!/usr/bin/env bash
# What: installs what the tests and the demo need and the machine lacks (Debian packages).
# Needs: root and Debian's package mirrors; Java 17 and Maven are expected on the machine.
# How long: nothing when all is there; 1-3 minutes on a fresh machine.
set -euo pipefail
need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
# The test image is /bin/busybox copied into an empty root: it must be the static build.
dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)
command -v docker >/dev/null 2>&1 || need+=(docker.io)
command -v tmux >/dev/null 2>&1 || need+=(tmux)
command -v script >/dev/null 2>&1 || need+=(bsdutils)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v docker-registry >/dev/null 2>&1 || need+=(docker-registry)
command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
# Certificates made outside our own code, for the daemon reached over mutual TLS (TlsBackendIT).
command -v openssl >/dev/null 2>&1 || need+=(openssl)
# A real Prometheus (and promtool) to scrape the gateway and evaluate the dashboard and alert rules
# (PrometheusIT); without its recommends (node exporter and friends). No daemon is started: the test
# runs its own on loopback.
lean=()
command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1 || lean+=(prometheus)
if [ "${1:-}" = "--bench" ]; then
  command -v wrk >/dev/null 2>&1 || need+=(wrk)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
if [ ${#lean[@]} -gt 0 ]; then
  echo "installing: ${lean[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  [ ${#need[@]} -gt 0 ] || apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${lean[@]}" >/dev/null
fi
command -v mvn >/dev/null 2>&1 || { echo "Maven (mvn) is required" >&2; exit 1; }
command -v java >/dev/null 2>&1 || { echo "Java 17 is required" >&2; exit 1; }
