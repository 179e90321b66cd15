#!/usr/bin/env bash
# What: the soak of issue 8 at length: SoakIT (three tenants over mutual TLS: plain calls, logs -f
#       streams, exec -i sessions with checksums) for SOAK_SECONDS (default 600), against a private dockerd
#       that scripts/test.sh starts and stops. Prints and writes app/target/soak.txt: calls, errors by kind,
#       p50/p99, the gateway's RSS and open fds after warm-up and at the end.
# Needs: what scripts/test.sh needs (root, Java 17, Maven).
# How long: SOAK_SECONDS plus about two minutes of build and set-up.
set -euo pipefail
cd "$(dirname "$0")/.."
export SOAK_SECONDS="${SOAK_SECONDS:-600}"
scripts/test.sh -Dit.test=SoakIT -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false
cat app/target/soak.txt
