#!/usr/bin/env bash
# S3 SigV4 presign throughput: presign batch mode vs botocore vs the OpenSSL floor.
# usage: Benchmarks/run.sh [N]        (N keys, default 200000)
# env:   PRESIGN_BIN   presign binary (default <repo>/.build/release/presign)
#        PRESIGN_RUNS  presign runs, median reported (default 3)
#        PYTHON        python with boto3/botocore (default python3)
#        CC            C compiler (default cc)
# Scratch files go to <repo>/.ci-work/bench/ (git-ignored). See Benchmarks/README.md.
set -euo pipefail

N="${1:-200000}"
case "$N" in ''|*[!0-9]*|0) echo "usage: $0 [N]  (N = number of keys, a positive integer)" >&2; exit 2;; esac

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
SCRATCH="$REPO/.ci-work/bench"
PRESIGN_BIN="${PRESIGN_BIN:-$REPO/.build/release/presign}"
PYTHON="${PYTHON:-python3}"
CC="${CC:-cc}"
mkdir -p "$SCRATCH"

command -v taskset >/dev/null || { echo "taskset (util-linux) is required" >&2; exit 2; }
"$PYTHON" -c 'import boto3, botocore' 2>/dev/null \
    || { echo "$PYTHON cannot import boto3/botocore; set PYTHON to one that can" >&2; exit 2; }

# The floor program, compiled fresh each run.
"$CC" -O2 -Wall -o "$SCRATCH/openssl_floor" "$HERE/openssl_floor.c" -lcrypto

if [ ! -x "$PRESIGN_BIN" ]; then
    echo "note: no presign binary at $PRESIGN_BIN; build it with" >&2
    echo "      (cd $REPO && swift build -c release --product presign)  or set PRESIGN_BIN" >&2
fi

exec "$PYTHON" "$HERE/bench.py" run --n "$N" --scratch "$SCRATCH" \
    --presign-bin "$PRESIGN_BIN" --floor-bin "$SCRATCH/openssl_floor" \
    --runs "${PRESIGN_RUNS:-3}"
