#!/usr/bin/env bash
# The project's test command: starts the real S3-compatible servers on 127.0.0.1
# (scripts/s3-servers.sh), runs `swift test` against them, and stops them again.
# Extra arguments go to `swift test` (e.g. scripts/test.sh --filter S3ServerTests).
set -euo pipefail
REPO=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$REPO"

trap 'scripts/s3-servers.sh stop >/dev/null 2>&1 || true' EXIT
scripts/s3-servers.sh start
# shellcheck disable=SC1091
source .ci-work/s3.env
# Tests that need the servers fail (instead of skipping) when this is set.
export PRESIGN_REQUIRE_SERVERS=1

swift build --build-tests
swift test "$@"
