#!/usr/bin/env bash
# The project's test command, for a fresh Debian machine with only Swift installed:
#   1. installs the system packages it needs (apt) and nginx, and
#   2. makes its own Python virtual environment .ci-work/venv with the pinned packages of
#      scripts/test-requirements.txt (never the system Python): both by scripts/setup-tests.sh,
#   3. starts the local test servers on 127.0.0.1: the real S3 servers of scripts/s3-servers.sh, and
#      nginx with TLS test certificates, the fault server and the Dropbox, Google and Lightroom
#      stand-ins of scripts/http-servers.sh,
#   4. runs the stand-ins' own tests (pytest) and `swift test` against all of them,
#   5. stops the servers, fails if any process that names the repository is still running, and
#      removes the run's temporary folder (TMPDIR of the tests).
# Extra arguments go to `swift test` (e.g. scripts/test.sh --filter S3ServerTests).
set -euo pipefail
REPO=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$REPO"
scripts/setup-tests.sh
# shellcheck source-path=SCRIPTDIR source=lib/python-env.sh
source scripts/lib/python-env.sh
# shellcheck source-path=SCRIPTDIR source=lib/leftovers.sh
source scripts/lib/leftovers.sh

# The tests' temporary files go to a folder of this run, removed at the end.
RUN_TMP="$REPO/.ci-work/tmp/run-$$"
mkdir -p "$RUN_TMP"

finish() {
  local status=$?
  scripts/s3-servers.sh stop >/dev/null 2>&1 || true
  scripts/http-servers.sh stop >/dev/null 2>&1 || true
  stop_leftovers || status=1
  rm -rf "$RUN_TMP"
  exit "$status"
}
trap finish EXIT
scripts/s3-servers.sh start
scripts/http-servers.sh start
# shellcheck disable=SC1091
source .ci-work/s3.env
# shellcheck disable=SC1091
source .ci-work/http.env
# Tests that need the servers fail (instead of skipping) when this is set.
export PRESIGN_REQUIRE_SERVERS=1
# The Python that the Swift tests run stand-ins and botocore with.
export PRESIGN_TEST_PYTHON=$TEST_PYTHON

# The stand-ins must themselves follow the recorded SDK behaviour and Adobe's schemas.
"$TEST_PYTHON" -m pytest -q -p no:cacheprovider Tests/StandIns

swift build --build-tests
export TMPDIR=$RUN_TMP
# One test at a time: the suites measure timeouts, back-off gaps and parallel transfers, which a
# 2-core machine running every suite at once cannot time reliably.
swift test --no-parallel "$@"
