#!/usr/bin/env bash
# N ranged GETs (first B bytes) of a local file at concurrency C: presign's HTTP module
# (Benchmarks/HTTPBench) against the same URLs fetched by curl processes in parallel
# (xargs -P C), in one run, as a ratio. Needs the local nginx of scripts/http-servers.sh.
#   Benchmarks/http_bench.sh [N=1000] [C=32] [B=1024]
set -euo pipefail
REPO=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$REPO"
N=${1:-1000}; C=${2:-32}; B=${3:-1024}
W="$REPO/.ci-work/bench-http"; mkdir -p "$W"

scripts/http-servers.sh start >/dev/null
# shellcheck disable=SC1091
source .ci-work/http.env
swift build -c release --product HTTPBench 2>&1 | tail -1 >&2
BENCH="$REPO/.build/release/HTTPBench"

# Distinct URLs (a query parameter per request) of one static file, so nothing is cached.
for i in $(seq 1 "$N"); do echo "$PRESIGN_TEST_HTTP_STATIC/sample.bin?n=$i"; done > "$W/urls.txt"

read -r count ok swift_s < <("$BENCH" "$W/urls.txt" "$C" "$B")
start=$(date +%s.%N)
xargs -P "$C" -n 1 curl -sS -r "0-$((B - 1))" -o /dev/null -w '%{http_code}\n' < "$W/urls.txt" > "$W/curl.codes"
end=$(date +%s.%N)
curl_s=$(echo "$end - $start" | bc -l)
curl_ok=$(grep -c '^206$' "$W/curl.codes" || true)

printf '%s ranged GETs of %s bytes, %s at a time, against nginx on 127.0.0.1\n' "$N" "$B" "$C"
printf '  HTTP module (one process)     %8.3f s   %8.0f req/s   %s/%s ok\n' "$swift_s" "$(echo "$count / $swift_s" | bc -l)" "$ok" "$count"
printf '  curl processes (xargs -P %s)  %8.3f s   %8.0f req/s   %s/%s ok\n' "$C" "$curl_s" "$(echo "$N / $curl_s" | bc -l)" "$curl_ok" "$N"
printf '  ratio (curl time / module time) = %.1f\n' "$(echo "$curl_s / $swift_s" | bc -l)"
[ "$ok" = "$count" ] && [ "$curl_ok" = "$N" ]
