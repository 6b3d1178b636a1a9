#!/usr/bin/env bash
# The main job on a local default, no cloud account needed:
#   installs what is missing, builds presign, starts a real S3-compatible server on 127.0.0.1
#   (the JuiceFS gateway, which checks SigV4 signatures), signs an output PUT and an input GET
#   with `presign s3`, uploads a sample image with curl, reads it back byte for byte, and shows
#   the server refusing a tampered URL. Stops the servers on exit.
set -euo pipefail
REPO=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$REPO"
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

if ! pkg-config --exists openssl libcurl 2>/dev/null || ! command -v curl >/dev/null; then
  say "installing system packages (libssl-dev, libcurl4-openssl-dev, curl, pkg-config)"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      libssl-dev libcurl4-openssl-dev pkg-config curl ca-certificates >/dev/null
  else
    echo "run: sudo apt-get install -y libssl-dev libcurl4-openssl-dev pkg-config curl" >&2; exit 2
  fi
fi

say "building presign"
swift build --product presign 2>&1 | tail -1
PRESIGN="$REPO/.build/debug/presign"

say "starting a local S3-compatible server that checks signatures"
trap 'scripts/s3-servers.sh stop >/dev/null 2>&1 || true' EXIT
scripts/s3-servers.sh start 2>&1 | tail -1
# shellcheck disable=SC1091
source .ci-work/s3.env
ENDPOINT=${PRESIGN_TEST_S3_SERVERS#juicefs=}; ENDPOINT=${ENDPOINT%% *}
export AWS_ACCESS_KEY_ID=$PRESIGN_TEST_S3_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$PRESIGN_TEST_S3_SECRET_KEY
WORK=$(mktemp -d); trap 'rm -rf "$WORK"; scripts/s3-servers.sh stop >/dev/null 2>&1 || true' EXIT
KEY="demo/$(date +%s)/edited photo.png"

# A small but real PNG (64x64 gradient), made with Python's standard library.
python3 - "$WORK/photo.png" <<'PY'
import struct, sys, zlib
w = h = 64
raw = b"".join(b"\x00" + b"".join(bytes((x * 4, y * 4, 128)) for x in range(w)) for y in range(h))
chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + \
      chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
open(sys.argv[1], "wb").write(png)
PY

say "1. sign the job's OUTPUT: a PUT URL that requires Content-Type: image/png (valid 15 minutes)"
echo "\$ presign s3 's3://$PRESIGN_TEST_S3_BUCKET/$KEY' --method PUT --content-type image/png --expires 15m --endpoint $ENDPOINT --json"
"$PRESIGN" s3 "s3://$PRESIGN_TEST_S3_BUCKET/$KEY" --method PUT --content-type image/png --expires 15m --endpoint "$ENDPOINT" --json
PUT_URL=$("$PRESIGN" s3 "s3://$PRESIGN_TEST_S3_BUCKET/$KEY" --method PUT --content-type image/png --expires 15m --endpoint "$ENDPOINT")

say "2. check it the way the Lightroom docs ask (curl -X PUT), with the signed header"
code=$(curl -sS -o /dev/null -w '%{http_code}' -H 'content-type: image/png' --upload-file "$WORK/photo.png" "$PUT_URL")
echo "PUT -> HTTP $code"; [ "$code" = 200 ]

say "3. sign the job's INPUT: a GET URL for the same object, and read it back"
echo "\$ presign s3 's3://$PRESIGN_TEST_S3_BUCKET/$KEY' --endpoint $ENDPOINT --curl"
"$PRESIGN" s3 "s3://$PRESIGN_TEST_S3_BUCKET/$KEY" --endpoint "$ENDPOINT" --curl
GET_URL=$("$PRESIGN" s3 "s3://$PRESIGN_TEST_S3_BUCKET/$KEY" --endpoint "$ENDPOINT")
code=$(curl -sS -o "$WORK/back.png" -w '%{http_code}' "$GET_URL")
echo "GET -> HTTP $code"; [ "$code" = 200 ]
cmp "$WORK/photo.png" "$WORK/back.png" && echo "read back byte for byte: $(sha256sum < "$WORK/back.png" | cut -c1-16)… ($(wc -c < "$WORK/back.png") bytes)"

say "4. the server checks signatures: a tampered URL and a URL that expired are refused"
code=$(curl -sS -o "$WORK/err.xml" -w '%{http_code}' "${GET_URL%?}0")
echo "tampered GET -> HTTP $code $(grep -o '<Code>[^<]*' "$WORK/err.xml" | cut -c7-)"; [ "$code" = 403 ]
OLD=$("$PRESIGN" s3 "s3://$PRESIGN_TEST_S3_BUCKET/$KEY" --endpoint "$ENDPOINT" --expires 60 --at 2024-01-01T00:00:00Z)
code=$(curl -sS -o "$WORK/err.xml" -w '%{http_code}' "$OLD")
echo "expired GET  -> HTTP $code $(grep -o '<Code>[^<]*' "$WORK/err.xml" | cut -c7-)"; [ "$code" = 403 ]

say "5. batch: sign many keys at once (one URL per line, input order)"
printf 'a.jpg\nb c.jpg\nraw/IMG_0001.CR3\n' | "$PRESIGN" s3 "s3://$PRESIGN_TEST_S3_BUCKET/demo/" --keys-from - --endpoint "$ENDPOINT" | cut -c1-110

say "done: presign signed and checked real URLs against a local S3 server"
