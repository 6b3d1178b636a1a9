#!/usr/bin/env bash
# The project's test command: starts the local test servers on 127.0.0.1 (real S3-compatible
# servers from scripts/s3-servers.sh; nginx with TLS test certificates, the fault server and the
# Dropbox stand-in from scripts/http-servers.sh), tests the stand-ins themselves, runs
# `swift test` against all of them, and stops the servers again.
# Extra arguments go to `swift test` (e.g. scripts/test.sh --filter S3ServerTests).
set -euo pipefail
REPO=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$REPO"

stop_servers() {
  scripts/s3-servers.sh stop >/dev/null 2>&1 || true
  scripts/http-servers.sh stop >/dev/null 2>&1 || true
}
trap stop_servers EXIT
scripts/s3-servers.sh start
scripts/http-servers.sh start
# shellcheck disable=SC1091
source .ci-work/s3.env
# shellcheck disable=SC1091
source .ci-work/http.env
# Tests that need the servers fail (instead of skipping) when this is set.
export PRESIGN_REQUIRE_SERVERS=1

# The Dropbox stand-in must itself follow the recorded SDK behaviour (pytest, when installed).
if python3 -c 'import pytest' 2>/dev/null; then
  python3 -m pytest -q -p no:cacheprovider Tests/StandIns
fi

swift build --build-tests
# One test at a time: the suites measure timeouts, back-off gaps and parallel transfers, which a
# 2-core machine running every suite at once cannot time reliably.
swift test --no-parallel "$@"
