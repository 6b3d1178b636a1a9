#!/usr/bin/env bash
# The main job on a local default, no cloud account needed: installs what a fresh Debian machine
# lacks, builds presign, and runs `presign demo`, which starts a local storage endpoint that checks
# signatures as S3, Azure Blob and GCS do, signs an output PUT and an input GET for each provider,
# uploads a sample image, reads it back byte for byte, shows the server refusing tampered and
# expired URLs, and stops.
set -euo pipefail
REPO=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$REPO"

# shellcheck source-path=SCRIPTDIR source=lib/system-packages.sh
source scripts/lib/system-packages.sh
ensure_debian_packages libssl-dev libcurl4-openssl-dev pkg-config ca-certificates

echo "== building presign (the first build takes a few minutes)" >&2
swift build --product presign 2>&1 | tail -1 >&2
exec "$REPO/.build/debug/presign" demo
