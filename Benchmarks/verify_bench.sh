#!/usr/bin/env bash
# presign verify on N signed URLs (half inputs: a ranged GET and a look at the bytes; half outputs:
# an Expect: 100-continue PUT after the broken-signature control) at concurrency C, against what
# users do today: one curl process per URL (`curl -r 0-4095 URL` for an input,
# `curl -X PUT URL --data-binary @probe` for an output), xargs -P C. Both against the same local
# `presign serve`, which checks every SigV4 signature; one run, reported as a ratio.
#   Benchmarks/verify_bench.sh [N=2000] [C=32]
set -euo pipefail
REPO=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$REPO"
N=${1:-2000}; C=${2:-32}; HALF=$((N / 2))
W="$REPO/.ci-work/bench-verify"; rm -rf "$W"; mkdir -p "$W"
swift build -c release --product presign 2>&1 | tail -1 >&2
P="$REPO/.build/release/presign"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$P" serve --root "$W/objects" --port "$PORT" > "$W/serve.log" 2>&1 &
SERVE=$!
trap 'kill $SERVE 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.1; done
export AWS_ACCESS_KEY_ID=PRESIGNDEMOKEY AWS_SECRET_ACCESS_KEY=presign-demo-secret-key-0123456789
E=(--endpoint "http://127.0.0.1:$PORT" --region us-east-1)

# One stored JPEG-like object per input key; output keys are never written by presign verify.
printf '\xff\xd8\xff\xe0\x00\x10JFIF\x00' > "$W/probe"; head -c 65536 /dev/urandom >> "$W/probe"
for i in $(seq 1 "$HALF"); do echo "in/$i.jpg"; done > "$W/in.keys"
for i in $(seq 1 "$HALF"); do echo "out/$i.jpg"; done > "$W/out.keys"
"$P" s3 s3://bench/ --keys-from "$W/in.keys" --method PUT "${E[@]}" | xargs -P "$C" -n 1 curl -sS -o /dev/null -X PUT --data-binary @"$W/probe"
"$P" s3 s3://bench/ --keys-from "$W/in.keys" "${E[@]}" > "$W/in.urls"
"$P" s3 s3://bench/ --keys-from "$W/out.keys" --method PUT "${E[@]}" > "$W/out.urls"
python3 - "$W" <<'PY'
import json, sys
w = sys.argv[1]
with open(f"{w}/manifest.jsonl", "w") as manifest:
    for role, name in (("input", "in.urls"), ("output", "out.urls")):
        for url in open(f"{w}/{name}"):
            manifest.write(json.dumps({"role": role, "url": url.strip()}) + "\n")
PY

start=$(date +%s.%N)
"$P" verify --manifest "$W/manifest.jsonl" --concurrency "$C" --json > "$W/verdicts.jsonl" 2>/dev/null || true
end=$(date +%s.%N)
presign_s=$(echo "$end - $start" | bc -l)
presign_ok=$(grep -c '"verdict":"ok"' "$W/verdicts.jsonl" || true)

start=$(date +%s.%N)
xargs -P "$C" -n 1 curl -sS -r 0-4095 -o /dev/null -w '%{http_code}\n' < "$W/in.urls" > "$W/curl.codes"
xargs -P "$C" -n 1 curl -sS -X PUT --data-binary @"$W/probe" -o /dev/null -w '%{http_code}\n' < "$W/out.urls" >> "$W/curl.codes"
end=$(date +%s.%N)
curl_s=$(echo "$end - $start" | bc -l)
curl_ok=$(grep -cE '^20[06]$' "$W/curl.codes" || true)

printf '%s URLs (%s inputs, %s outputs), %s at a time, against presign serve on 127.0.0.1\n' "$N" "$HALF" "$HALF" "$C"
printf '  presign verify (one process)   %8.3f s   %8.0f URLs/s   %s/%s ok\n' "$presign_s" "$(echo "$N / $presign_s" | bc -l)" "$presign_ok" "$N"
printf '  curl processes (xargs -P %s)   %8.3f s   %8.0f URLs/s   %s/%s ok\n' "$C" "$curl_s" "$(echo "$N / $curl_s" | bc -l)" "$curl_ok" "$N"
printf '  ratio (curl time / presign time) = %.1f\n' "$(echo "$curl_s / $presign_s" | bc -l)"
[ "$presign_ok" = "$N" ] && [ "$curl_ok" = "$N" ]
