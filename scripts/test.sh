#!/usr/bin/env bash
# What: the project's test command: installs what is missing, starts a private dockerd, runs `mvn -B verify`
#       (unit tests and the end-to-end suite with the real docker CLI), and stops the dockerd it started.
# Needs: root (for dockerd), Java 17, Maven, Debian's package mirrors on a fresh machine.
# How long: about 2 minutes on 2 cores with a warm Maven repository; add the downloads on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
dir=$(mktemp -d /tmp/portcullis-test.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
cleanup() {
  # Containers the tests left behind go with the daemon; its directory goes after it.
  scripts/dockerd-stop.sh "$dir" || true
  umount -R "$dir"/exec 2>/dev/null || true
  umount -R "$dir"/data 2>/dev/null || true
  rm -rf "$dir" 2>/dev/null || true
}
trap cleanup EXIT
scripts/dockerd-start.sh "$dir" "$port"
export PORTCULLIS_IT_DOCKER_HOST="unix://$dir/docker.sock"
mvn -B verify "$@"
