#!/usr/bin/env bash
# What: starts a private dockerd (unix socket + loopback TCP) and imports the busybox:local test image.
# Needs: root, docker.io and busybox-static installed (scripts/install-deps.sh).
# How long: 2-10 s. Prints the env lines to use it; stop it with scripts/dockerd-stop.sh DIR.
set -euo pipefail
dir=${1:-${PORTCULLIS_DOCKERD_DIR:-/tmp/portcullis-dockerd}}
port=${2:-${PORTCULLIS_DOCKERD_PORT:-23750}}
mkdir -p "$dir"
sock="$dir/docker.sock"
if [ -f "$dir/dockerd.pid" ] && kill -0 "$(cat "$dir/dockerd.pid")" 2>/dev/null; then
  echo "dockerd already running in $dir (pid $(cat "$dir/dockerd.pid"))" >&2
else
  rm -f "$dir/dockerd.pid" "$sock"
  # Storage: overlay2 where the kernel allows it, vfs otherwise (nested sandboxes often lack overlay).
  driver_args=()
  if [ -n "${PORTCULLIS_DOCKERD_STORAGE:-}" ]; then driver_args=(--storage-driver "$PORTCULLIS_DOCKERD_STORAGE"); fi
  # PORTCULLIS_DOCKERD_TLS_DIR (ca.pem, server-cert.pem, server-key.pem): the TCP listener takes only
  # clients with a certificate from that CA (--tlsverify); the unix socket stays as it is.
  if [ -n "${PORTCULLIS_DOCKERD_TLS_DIR:-}" ]; then
    t=$PORTCULLIS_DOCKERD_TLS_DIR
    driver_args+=(--tlsverify --tlscacert "$t/ca.pem" --tlscert "$t/server-cert.pem" --tlskey "$t/server-key.pem")
  fi
  # Any pull from a registry off this machine goes to a dead loopback proxy instead of the network
  # (no DNS lookup leaves the machine); registries on loopback (the tests' docker-registry) are direct.
  HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 NO_PROXY=127.0.0.1,localhost,127.0.0.0/8 \
  nohup dockerd -H "unix://$sock" -H "tcp://127.0.0.1:$port" \
    --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$dir/dockerd.pid" \
    --iptables=false --ip6tables=false --bridge=none "${driver_args[@]}" \
    >"$dir/dockerd.log" 2>&1 &
  for _ in $(seq 1 100); do
    if docker -H "unix://$sock" version >/dev/null 2>&1; then break; fi
    sleep 0.2
  done
  if ! docker -H "unix://$sock" version >/dev/null 2>&1; then
    echo "dockerd did not come up; last lines of $dir/dockerd.log:" >&2
    tail -20 "$dir/dockerd.log" >&2
    exit 1
  fi
fi
if ! docker -H "unix://$sock" image inspect busybox:local >/dev/null 2>&1; then
  root=$(mktemp -d)
  mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/proc" "$root/sys" "$root/dev"
  cp /bin/busybox "$root/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
  done
  echo "root:x:0:0:root:/root:/bin/sh" > "$root/etc/passwd"
  echo "root:x:0:" > "$root/etc/group"
  tar -C "$root" -c . | docker -H "unix://$sock" import -c 'CMD ["/bin/sh"]' -c 'ENV PATH=/bin' - busybox:local >/dev/null
  rm -rf "$root"
fi
echo "DOCKER_HOST=unix://$sock"
echo "DOCKERD_TCP=tcp://127.0.0.1:$port"
