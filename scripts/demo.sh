#!/usr/bin/env bash
# The main job on a local default, no cloud account needed: installs what a fresh Debian machine
# lacks, builds presign, and runs `presign demo`, which starts a local storage endpoint that checks
# signatures as S3, Azure Blob and GCS do, signs an output PUT and an input GET for each provider,
# uploads a sample image, reads it back byte for byte, shows the server refusing tampered and
# expired URLs, and stops.
set -euo pipefail
REPO=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$REPO"

if ! pkg-config --exists openssl libcurl 2>/dev/null; then
  echo "== installing system packages (libssl-dev, libcurl4-openssl-dev, pkg-config)" >&2
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      libssl-dev libcurl4-openssl-dev pkg-config ca-certificates >/dev/null
  else
    echo "run: sudo apt-get install -y libssl-dev libcurl4-openssl-dev pkg-config" >&2; exit 2
  fi
fi

echo "== building presign (the first build takes a few minutes)" >&2
swift build --product presign 2>&1 | tail -1 >&2
exec "$REPO/.build/debug/presign" demo
