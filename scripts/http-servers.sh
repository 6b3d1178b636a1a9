#!/usr/bin/env bash
# Real HTTP(S) servers on 127.0.0.1 for presign's HTTP client tests (TLS failures,
# timeouts, retries, Expect: 100-continue) and the Dropbox link tests.
#
#   scripts/http-servers.sh install only install what start needs (nginx, the test venv)
#   scripts/http-servers.sh start   install nginx if missing (Debian apt), make a throwaway CA
#                                   and certificates, start nginx, the fault server and the
#                                   Dropbox, Google and Lightroom stand-ins, check every port with curl, write
#                                   .ci-work/http.env
#   scripts/http-servers.sh stop    stop them (by PID from .ci-work/http-pids)
#   scripts/http-servers.sh env     print .ci-work/http.env  (use: source .ci-work/http.env)
#   scripts/http-servers.sh status  say whether they are running
#
# Servers, all on 127.0.0.1 only:
#   8443  nginx, HTTPS, cert "good" from the throwaway CA (SAN DNS:localhost, IP:127.0.0.1)
#   8444  nginx, HTTPS, "selfsigned" (right names, not from the CA)
#   8445  nginx, HTTPS, "wrongname" from the CA (SAN DNS:wrong.example only)
#   8446  nginx, HTTPS, "expired" from the CA (valid 2020-01-01 .. 2020-02-01, right names)
#   8080  nginx, plain HTTP
#   8090  Tests/StandIns/fault_server.py (status codes, Retry-After, flaky, slow, drip, drop,
#         ranges, echo, explicit Expect: 100-continue; endpoints in its docstring)
#   8091  Tests/StandIns/dropbox_standin.py, the Dropbox API v2 stand-in (routes, tokens and
#         test-control routes in its docstring; files in .ci-work/dropbox/, kept across restarts).
#         Default credentials: access token sl.TEST-ACCESS-TOKEN (see DropboxStandIn.swift);
#         `start` checks that a wrong token gets 401 and the right one 409 for a missing path.
#   8092  Tests/StandIns/google_standin.py, Google's token endpoint and Drive v3 (trusts the key
#         Fixtures/google-jwt/test-service-account.json; files in .ci-work/google/);
#         `start` checks that a made-up JWT assertion gets 400 invalid_grant.
#   8093  Tests/StandIns/lightroom_standin.py, Adobe IMS (/ims/token/v3) and the Lightroom API
#         (/lrService/...), started with --allow-http-loopback --step 0.2 (client_id presign-test-client,
#         secret "presign-test-secret+&=/"; validates job bodies with Adobe's schemas from
#         Fixtures/lightroom/, needs the jsonschema package); `start` checks that a wrong
#         client secret gets 401 invalid_client.
# Every nginx port serves the same static root .ci-work/nginx/www/:
#   /hello.txt    "hello, presign" + LF (15 bytes)
#   /sample.bin   65536 bytes, byte i = i % 251 (the same stream as the fault server's /bytes/N)
#   /page.html    a small HTML page
# 8080 and 8443 also take WebDAV PUT (and DELETE) under /upload/ (create_full_put_path on);
# a PUT anywhere else is 405.
#
# Certificates are made at every fresh start unless still valid (>2 days) in .ci-work/tls/:
#   ca.pem (+ca.key), good.pem/.key, wrongname.pem/.key, expired.pem/.key, selfsigned.pem/.key.
# Point a client at ca.pem (curl --cacert, CURLOPT_CAINFO); nothing touches the system trust
# store. `start` records what curl says on each TLS port in .ci-work/tls/curl-results.tsv
# and fails unless every port fails (or succeeds) for exactly its one reason.
#
# Servers started from an older copy of this script, scripts/lib/servers.sh, fault_server.py or
# a stand-in are restarted by `start`; unchanged healthy ones are reused.
#
# Everything lives in <repo>/.ci-work/ (self-ignored through .ci-work/.gitignore).
# Typical CI use:
#   trap 'scripts/http-servers.sh stop' EXIT
#   scripts/http-servers.sh start      # a failed start stops what it started
#   source .ci-work/http.env
set -euo pipefail

REPO=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
SERVERS_NAME=http-servers
SERVERS_LIB="$REPO/scripts/lib/servers.sh"
# W (.ci-work), LOGS; log, die, read_pids, port/binding checks, await_ready, await_exit, cmd_env,
# servers_main
# shellcheck source-path=SCRIPTDIR source=lib/servers.sh
source "$SERVERS_LIB"

NGX="$W/nginx"
WWW="$NGX/www"
TLS="$W/tls"
PIDS="$W/http-pids"
PID_LINE_RE='^(nginx|fault|dropbox|google|lightroom) [0-9]+$'
ENVFILE="$W/http.env"
STAMP="$W/http-servers.stamp"
RESULTS="$TLS/curl-results.tsv"
FAULT_PY="$REPO/Tests/StandIns/fault_server.py"
DROPBOX_PY="$REPO/Tests/StandIns/dropbox_standin.py"
DROPBOX_STORE_PY="$REPO/Tests/StandIns/dropbox_standin_store.py"
DROPBOX_STATE="$W/dropbox"
GOOGLE_PY="$REPO/Tests/StandIns/google_standin.py"
GOOGLE_STORE_PY="$REPO/Tests/StandIns/google_standin_store.py"
STANDIN_COMMON_PY="$REPO/Tests/StandIns/standin_common.py"
LIGHTROOM_PY="$REPO/Tests/StandIns/lightroom_standin.py"
LIGHTROOM_JOBS_PY="$REPO/Tests/StandIns/lightroom_standin_jobs.py"
GOOGLE_STATE="$W/google"
STANDIN_LIFECYCLE_PY="$REPO/Tests/StandIns/standin_lifecycle.py"
# The Google stand-in trusts the throwaway service-account key of the test fixtures.
GOOGLE_KEY="$REPO/Fixtures/google-jwt/test-service-account.json"
# The Lightroom stand-in validates job bodies against Adobe's schemas copied there.
LIGHTROOM_SCHEMAS="$REPO/Fixtures/lightroom/cis-photoshop-api-docs/static/acr"

# The test venv's python (.ci-work/venv, scripts/test-requirements.txt): TEST_PYTHON, ensure_test_venv
# shellcheck source-path=SCRIPTDIR source=lib/python-env.sh
source "$REPO/scripts/lib/python-env.sh"
PYTHON=$TEST_PYTHON
HOST=127.0.0.1
HTTP_PORT=8080
FAULT_PORT=8090
DROPBOX_PORT=8091
GOOGLE_PORT=8092
LIGHTROOM_PORT=8093
# The stand-in's client id (also the x-api-key).
LIGHTROOM_CLIENT_ID=presign-test-client
# The stand-in's default --token (the one the tests use).
DROPBOX_TOKEN=sl.TEST-ACCESS-TOKEN
GOOD_PORT=8443
SELF_PORT=8444
WRONG_PORT=8445
EXPIRED_PORT=8446
ALL_PORTS=("$HTTP_PORT" "$FAULT_PORT" "$DROPBOX_PORT" "$GOOGLE_PORT" "$LIGHTROOM_PORT" "$GOOD_PORT" "$SELF_PORT" "$WRONG_PORT" "$EXPIRED_PORT")
HELLO='hello, presign'
WAIT_SECONDS=${HTTP_SERVERS_WAIT_SECONDS:-30}
CERT_DAYS=30
# OpenSSL 3.0 has no `x509 -not_before/-not_after` (3.4+) and refuses negative -days:
# `openssl ca -startdate/-enddate` sets any validity period.
EXPIRED_FROM=20200101000000Z
EXPIRED_TO=20200201000000Z

# ---------------------------------------------------------------- helpers

nginx_bin() {
	local b
	b=$(command -v nginx 2>/dev/null) || b=""
	[[ -z $b && -x /usr/sbin/nginx ]] && b=/usr/sbin/nginx
	[[ -n $b ]] || return 1
	printf '%s\n' "$b"
}

# A PID that is alive and is our server of that name (guards against PID reuse).
our_pid() {
	local name=$1 cmd
	cmd=$(pid_cmdline "$2") || return 1
	case $name in
	# nginx retitles its master as "nginx: master process <original argv>".
	nginx) [[ $cmd == *"nginx"* && $cmd == *"$NGX/nginx.conf"* ]] ;;
	fault) [[ $cmd == *"$FAULT_PY"* ]] ;;
	dropbox) [[ $cmd == *"$DROPBOX_PY"* ]] ;;
	google) [[ $cmd == *"$GOOGLE_PY"* ]] ;;
	lightroom) [[ $cmd == *"$LIGHTROOM_PY"* ]] ;;
	*) return 1 ;;
	esac
}

# HTTP status of a request ("000" when there is no answer): http_status [curl args...] URL
http_status() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" 2>/dev/null || true; }

# curl for checks: prints "exitcode<TAB>http_code<TAB>ssl_verify_result<TAB>errormsg", body to $1.
# usage: probe OUTFILE curl-args...
probe() {
	local out=$1
	shift
	curl -sS -o "$out" --max-time 10 \
		-w '%{exitcode}\t%{http_code}\t%{ssl_verify_result}\t%{errormsg}' "$@" 2>/dev/null || true
}

# ---------------------------------------------------------------- install

apt_install_nginx() {
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		-o DPkg::Lock::Timeout=120 nginx >&2
}

install_nginx() {
	local policy=/usr/sbin/policy-rc.d created=0 rc=0
	if nginx_bin >/dev/null; then
		return 0
	fi
	command -v apt-get >/dev/null || die "nginx is not installed and there is no apt-get"
	((EUID == 0)) || die "nginx is not installed; as root: apt-get install -y --no-install-recommends nginx"
	# Debian's postinst would start a system nginx on *:80; policy-rc.d 101 forbids it.
	if [[ ! -e $policy ]]; then
		printf '#!/bin/sh\nexit 101\n' >"$policy"
		chmod 755 "$policy"
		created=1
	fi
	if ! apt-cache policy nginx 2>/dev/null | grep -q 'Candidate: [0-9]'; then
		log "apt-get update (no nginx candidate in the package lists)"
		apt-get update -q -o DPkg::Lock::Timeout=120 >&2 || rc=$?
	fi
	if ((rc == 0)); then
		log "installing nginx: apt-get install -y --no-install-recommends nginx"
		if ! apt_install_nginx; then
			log "install failed: apt-get update, then again"
			{ apt-get update -q -o DPkg::Lock::Timeout=120 >&2 && apt_install_nginx; } || rc=$?
		fi
	fi
	((created)) && rm -f "$policy"
	((rc == 0)) || die "apt-get could not install nginx (exit $rc)"
	nginx_bin >/dev/null || die "nginx still not found after apt-get install"
}

# ---------------------------------------------------------------- TLS material

tls_current() {
	local f
	for f in ca good wrongname expired selfsigned; do
		[[ -s $TLS/$f.pem && -s $TLS/$f.key ]] || return 1
	done
	# Not-yet-expired for the next 2 days (the expired one is expired by design).
	for f in ca good wrongname selfsigned; do
		openssl x509 -in "$TLS/$f.pem" -noout -checkend 172800 >/dev/null 2>&1 || return 1
	done
}

write_openssl_cnf() {
	local leaf_common='basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash'
	local good_names='DNS:localhost, IP:127.0.0.1'
	cat >"$TLS/openssl.cnf" <<EOF
# generated by scripts/http-servers.sh: a throwaway test CA, never trust it anywhere else
[ req ]
distinguished_name = req_dn
prompt = no
[ req_dn ]
CN = placeholder

[ ext_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[ ext_good ]
$leaf_common
authorityKeyIdentifier = keyid
subjectAltName = $good_names

[ ext_wrongname ]
$leaf_common
authorityKeyIdentifier = keyid
subjectAltName = DNS:wrong.example

# right names, only the validity period is wrong
[ ext_expired ]
$leaf_common
authorityKeyIdentifier = keyid
subjectAltName = $good_names

[ ext_selfsigned ]
$leaf_common
subjectAltName = $good_names

[ ca ]
default_ca = throwaway

[ throwaway ]
dir = $TLS/ca-db
database = \$dir/index.txt
new_certs_dir = \$dir/new
serial = \$dir/serial
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
email_in_dn = no

[ policy_any ]
commonName = supplied
EOF
}

ossl() {
	openssl "$@" >>"$LOGS/http-openssl.log" 2>&1 || {
		tail -n 20 "$LOGS/http-openssl.log" >&2
		die "openssl $1 failed (log: $LOGS/http-openssl.log)"
	}
}

newkey_args=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes)

# usage: leaf NAME CN [openssl ca date args...]
leaf() {
	local name=$1 cn=$2
	shift 2
	ossl req -config "$TLS/openssl.cnf" -new "${newkey_args[@]}" \
		-keyout "$TLS/$name.key" -out "$TLS/$name.csr" -subj "/CN=$cn"
	ossl ca -batch -config "$TLS/openssl.cnf" -cert "$TLS/ca.pem" -keyfile "$TLS/ca.key" \
		-extensions "ext_$name" -notext -in "$TLS/$name.csr" -out "$TLS/$name.pem" "$@"
	rm -f "$TLS/$name.csr"
}

make_tls() {
	local out
	if tls_current; then
		log "TLS material in $TLS still valid: keeping it"
		return 0
	fi
	command -v openssl >/dev/null || die "the openssl CLI is required"
	log "making a throwaway CA and server certificates in $TLS"
	rm -rf "$TLS"
	mkdir -p "$TLS/ca-db/new"
	chmod 700 "$TLS"
	: >"$TLS/ca-db/index.txt"
	printf '1000\n' >"$TLS/ca-db/serial"
	: >"$LOGS/http-openssl.log"
	write_openssl_cnf
	(
		umask 077
		ossl req -config "$TLS/openssl.cnf" -x509 "${newkey_args[@]}" -days "$CERT_DAYS" \
			-keyout "$TLS/ca.key" -out "$TLS/ca.pem" \
			-subj "/CN=presign throwaway test CA" -extensions ext_ca
		leaf good localhost -days "$CERT_DAYS"
		leaf wrongname wrong.example -days "$CERT_DAYS"
		leaf expired localhost -startdate "$EXPIRED_FROM" -enddate "$EXPIRED_TO"
		ossl req -config "$TLS/openssl.cnf" -x509 "${newkey_args[@]}" -days "$CERT_DAYS" \
			-keyout "$TLS/selfsigned.key" -out "$TLS/selfsigned.pem" \
			-subj "/CN=localhost" -extensions ext_selfsigned
	)
	chmod 644 "$TLS"/*.pem
	chmod 755 "$TLS"
	# The chain as OpenSSL itself sees it (independent of nginx and curl).
	openssl verify -CAfile "$TLS/ca.pem" "$TLS/good.pem" "$TLS/wrongname.pem" >/dev/null 2>&1 ||
		die "good/wrongname certificates do not verify against ca.pem"
	out=$(openssl verify -CAfile "$TLS/ca.pem" "$TLS/expired.pem" 2>&1) || true
	[[ $out == *"certificate has expired"* ]] || die "expired.pem is not reported expired by openssl verify: $out"
	! openssl verify -CAfile "$TLS/ca.pem" "$TLS/selfsigned.pem" >/dev/null 2>&1 ||
		die "selfsigned.pem verifies against ca.pem"
}

# ---------------------------------------------------------------- nginx

make_www() {
	mkdir -p "$WWW/upload" "$NGX/logs" "$NGX/tmp"
	rm -rf "${WWW:?}/upload"
	mkdir -p "$WWW/upload"
	printf '%s\n' "$HELLO" >"$WWW/hello.txt"
	"$PYTHON" -c 'import sys; sys.stdout.buffer.write(bytes(i % 251 for i in range(65536)))' \
		>"$WWW/sample.bin"
	cat >"$WWW/page.html" <<'EOF'
<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>presign test page</title></head>
<body><h1>presign test page</h1><p>Served by nginx for presign's HTTP client tests.</p></body>
</html>
EOF
}

# A server block: nginx_server PORT CERTNAME DAV(0|1); an empty CERTNAME is plain HTTP.
nginx_server() {
	local ssl="" dav=""
	[[ -n $2 ]] && ssl="
		ssl_certificate \"$TLS/$2.pem\";
		ssl_certificate_key \"$TLS/$2.key\";
		ssl_protocols TLSv1.2 TLSv1.3;"
	(($3)) && dav='
		location /upload/ {
			dav_methods PUT DELETE;
			create_full_put_path on;
			dav_access user:rw group:r all:r;
		}'
	cat <<EOF
	server {
		listen $HOST:$1${2:+ ssl};
		server_name localhost;$ssl$dav
	}
EOF
}

write_nginx_conf() {
	local user_line=""
	# Master as root: workers too, so any checkout path is readable and upload/ writable.
	((EUID == 0)) && user_line="user root root;"
	cat >"$NGX/nginx.conf" <<EOF
# generated by scripts/http-servers.sh; run with -g 'daemon off;'
$user_line
worker_processes 1;
pid "$NGX/nginx.pid";
error_log "$NGX/logs/error.log" warn;

events {
	worker_connections 256;
}

http {
	types {
		text/plain txt;
		text/html html;
		application/octet-stream bin;
	}
	default_type application/octet-stream;
	access_log "$NGX/logs/access.log";
	client_body_temp_path "$NGX/tmp/client_body";
	proxy_temp_path "$NGX/tmp/proxy";
	fastcgi_temp_path "$NGX/tmp/fastcgi";
	uwsgi_temp_path "$NGX/tmp/uwsgi";
	scgi_temp_path "$NGX/tmp/scgi";
	client_max_body_size 256m;
	server_tokens off;
	keepalive_timeout 30s;
	root "$WWW";

$(nginx_server "$HTTP_PORT" "" 1)
$(nginx_server "$GOOD_PORT" good 1)
$(nginx_server "$SELF_PORT" selfsigned 0)
$(nginx_server "$WRONG_PORT" wrongname 0)
$(nginx_server "$EXPIRED_PORT" expired 0)
}
EOF
}

NGINX_ARGS=()
start_nginx() {
	local bin
	bin=$(nginx_bin)
	NGINX_ARGS=(-p "$NGX/" -c "$NGX/nginx.conf" -e "$NGX/logs/error.log")
	"$bin" -t -q "${NGINX_ARGS[@]}" -g 'daemon off;' >"$LOGS/http-nginx-test.log" 2>&1 || {
		cat "$LOGS/http-nginx-test.log" >&2
		die "nginx -t rejects $NGX/nginx.conf"
	}
	log "starting nginx on $HOST: $HTTP_PORT (http), $GOOD_PORT $SELF_PORT $WRONG_PORT $EXPIRED_PORT (https)"
	nohup "$bin" "${NGINX_ARGS[@]}" -g 'daemon off;' </dev/null >"$LOGS/http-nginx.out" 2>&1 &
	NGINX_PID=$!
}

start_fault() {
	log "starting fault server on http://$HOST:$FAULT_PORT"
	nohup "$PYTHON" "$FAULT_PY" --host "$HOST" --port "$FAULT_PORT" --quiet \
		</dev/null >"$LOGS/http-fault-server.log" 2>&1 &
	FAULT_PID=$!
}

start_google() {
	[[ -f $GOOGLE_KEY ]] || die "missing fixture $GOOGLE_KEY (see Fixtures/README.md)"
	log "starting Google stand-in on http://$HOST:$GOOGLE_PORT (trusts $GOOGLE_KEY)"
	mkdir -p "$GOOGLE_STATE"
	nohup "$PYTHON" "$GOOGLE_PY" --host "$HOST" --port "$GOOGLE_PORT" --state-dir "$GOOGLE_STATE" \
		--key-file "$GOOGLE_KEY" --quiet </dev/null >"$LOGS/http-google-standin.log" 2>&1 &
	GOOGLE_PID=$!
}

start_lightroom() {
	[[ -d $LIGHTROOM_SCHEMAS ]] || die "missing fixture $LIGHTROOM_SCHEMAS (see Fixtures/README.md)"
	log "starting Lightroom stand-in on http://$HOST:$LIGHTROOM_PORT (schemas from $LIGHTROOM_SCHEMAS)"
	nohup "$PYTHON" "$LIGHTROOM_PY" --host "$HOST" --port "$LIGHTROOM_PORT" \
		--allow-http-loopback --step 0.2 </dev/null >"$LOGS/http-lightroom-standin.log" 2>&1 &
	LIGHTROOM_PID=$!
}

start_dropbox() {
	log "starting Dropbox stand-in on http://$HOST:$DROPBOX_PORT (files in $DROPBOX_STATE)"
	mkdir -p "$DROPBOX_STATE"
	nohup "$PYTHON" "$DROPBOX_PY" --host "$HOST" --port "$DROPBOX_PORT" --state-dir "$DROPBOX_STATE" \
		--quiet </dev/null >"$LOGS/http-dropbox-standin.log" 2>&1 &
	DROPBOX_PID=$!
}

# For await_ready: the tail of the log file LOGF (stderr), and where it is.
start_logs() {
	tail -n 30 "$1" >&2 2>/dev/null || true
	printf 'log: %s' "$1"
}

# Wait until curl gets 200 from URL (extra curl args after it).
# usage: wait_ready NAME PID LOGF URL [curl args...]
wait_ready() {
	local name=$1 pid=$2 logf=$3 url=$4
	shift 4
	await_ready "$name" "$pid" "$url" 0.2 "$logf" http_status "$@" "$url"
}

# ---------------------------------------------------------------- checks

# One TLS probe: records a row in $RESULTS, sets P_EXIT P_HTTP P_VERIFY P_MSG, body in $P_BODY.
P_BODY=""
tls_probe() {
	local label=$1 out
	shift
	out=$(probe "$P_BODY" "$@")
	IFS=$'\t' read -r P_EXIT P_HTTP P_VERIFY P_MSG <<<"$out" || true
	: "${P_EXIT:=?}" "${P_HTTP:=?}" "${P_VERIFY:=?}" "${P_MSG:=}"
	printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$P_EXIT" "$P_HTTP" "$P_VERIFY" "$P_MSG" >>"$RESULTS"
	log "  $label: curl exit $P_EXIT, http $P_HTTP, ssl_verify_result $P_VERIFY${P_MSG:+, \"$P_MSG\"}"
}

expect_ok() {
	[[ $P_EXIT == 0 && $P_HTTP == 200 && $P_VERIFY == 0 && $(<"$P_BODY") == "$HELLO" ]] ||
		die "$1: want exit 0, HTTP 200, verify 0 and hello.txt; got exit $P_EXIT, HTTP $P_HTTP, verify $P_VERIFY ($P_MSG)"
}

# usage: expect_fail LABEL VERIFY_RESULT_REGEX MESSAGE_GLOB
expect_fail() {
	# 60 = CURLE_PEER_FAILED_VERIFICATION (certificate and host name problems alike).
	# shellcheck disable=SC2053 # $3 is a glob on purpose
	[[ $P_EXIT == 60 && $P_VERIFY =~ ^($2)$ && $P_MSG == $3 ]] ||
		die "$1: want curl exit 60, ssl_verify_result $2, message like '$3'; got exit $P_EXIT, verify $P_VERIFY, '$P_MSG'"
}

verify_tls() {
	local ca="$TLS/ca.pem" port
	P_BODY=$(mktemp)
	printf 'label\texit\thttp\tssl_verify_result\terrormsg\n' >"$RESULTS"
	log "TLS checks (curl $(curl --version | head -n1 | cut -d' ' -f2)):"

	tls_probe "good localhost --cacert" --cacert "$ca" "https://localhost:$GOOD_PORT/hello.txt"
	expect_ok "good cert via https://localhost:$GOOD_PORT"
	tls_probe "good 127.0.0.1 --cacert" --cacert "$ca" "https://$HOST:$GOOD_PORT/hello.txt"
	expect_ok "good cert via https://$HOST:$GOOD_PORT (IP SAN)"
	# Negative control: the CA must not be trusted by the system store.
	tls_probe "good no-cacert" "https://localhost:$GOOD_PORT/hello.txt"
	expect_fail "good cert without --cacert" 20 '*unable to get local issuer certificate*'

	tls_probe "selfsigned --cacert" --cacert "$ca" "https://localhost:$SELF_PORT/hello.txt"
	expect_fail "self-signed port $SELF_PORT" 18 '*self-signed certificate*'
	tls_probe "wrongname --cacert" --cacert "$ca" "https://localhost:$WRONG_PORT/hello.txt"
	# The chain verifies; curl's own host name check fails after it and (curl 7.88 with
	# OpenSSL) sets the verify result to 1 ("not OK", not an X509_V_ERR code): the message
	# is what tells a wrong name apart.
	expect_fail "wrong-name port $WRONG_PORT" '1|0' '*no alternative certificate subject name*localhost*'
	tls_probe "expired --cacert" --cacert "$ca" "https://localhost:$EXPIRED_PORT/hello.txt"
	expect_fail "expired port $EXPIRED_PORT" 10 '*certificate has expired*'

	# Each bad port fails for its one reason only: with that reason waived it serves hello.txt.
	tls_probe "wrongname as wrong.example" --cacert "$ca" \
		--resolve "wrong.example:$WRONG_PORT:$HOST" "https://wrong.example:$WRONG_PORT/hello.txt"
	expect_ok "wrong-name port $WRONG_PORT reached as wrong.example"
	for port in "$SELF_PORT" "$WRONG_PORT" "$EXPIRED_PORT"; do
		tls_probe "port $port --insecure" --insecure "https://localhost:$port/hello.txt"
		[[ $P_EXIT == 0 && $P_HTTP == 200 && $(<"$P_BODY") == "$HELLO" ]] ||
			die "port $port with --insecure: want hello.txt, got exit $P_EXIT HTTP $P_HTTP ($P_MSG)"
	done
	rm -f "$P_BODY"
	log "TLS results in $RESULTS"
}

verify_http() {
	local tmp code base="http://$HOST:$HTTP_PORT" key
	tmp=$(mktemp -d)
	key="upload/check-$$-$RANDOM/file.bin"
	code=$(curl -sS -o "$tmp/out" -w '%{http_code}' --max-time 10 "$base/hello.txt") || code=000
	[[ $code == 200 && $(<"$tmp/out") == "$HELLO" ]] || die "GET $base/hello.txt -> $code"
	code=$(curl -sS -o "$tmp/out" -w '%{http_code}' --max-time 10 "$base/sample.bin") || code=000
	if ! { [[ $code == 200 ]] && cmp -s "$tmp/out" "$WWW/sample.bin"; }; then
		die "GET $base/sample.bin -> $code or wrong bytes"
	fi
	code=$(curl -sS -o "$tmp/out" -w '%{http_code}' --max-time 10 -r 251-260 "$base/sample.bin") || code=000
	[[ $code == 206 && $(od -An -tu1 "$tmp/out" | tr -s ' ') == " 0 1 2 3 4 5 6 7 8 9" ]] ||
		die "ranged GET of sample.bin -> $code / wrong bytes"
	# WebDAV PUT round trip on plain HTTP and on the good TLS port.
	for base in "http://$HOST:$HTTP_PORT" "https://localhost:$GOOD_PORT"; do
		code=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 --cacert "$TLS/ca.pem" \
			--upload-file "$WWW/sample.bin" "$base/$key") || code=000
		[[ $code == 201 || $code == 204 ]] || die "WebDAV PUT $base/$key -> $code (want 201)"
		code=$(curl -sS -o "$tmp/got" -w '%{http_code}' --max-time 10 --cacert "$TLS/ca.pem" "$base/$key") || code=000
		if ! { [[ $code == 200 ]] && cmp -s "$tmp/got" "$WWW/sample.bin"; }; then
			die "GET after PUT $base/$key -> $code or other bytes"
		fi
		code=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 --cacert "$TLS/ca.pem" -X DELETE "$base/$key") || code=000
		[[ $code == 204 ]] || log "warning: DELETE $base/$key -> $code"
		# Negative control: no PUT outside /upload/.
		code=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 --cacert "$TLS/ca.pem" \
			--upload-file "$WWW/hello.txt" "$base/hello.txt") || code=000
		[[ $code == 405 ]] || die "PUT $base/hello.txt (outside /upload/) -> $code, want 405"
	done
	rm -rf "${WWW:?}/upload/check-$$-"* "$tmp"
	log "nginx: static GET, ranged GET, WebDAV PUT/GET/DELETE under /upload/ OK; PUT elsewhere 405"
}

verify_fault() {
	local base="http://$HOST:$FAULT_PORT" out
	out=$(curl -sS --max-time 10 -w ' %{http_code}' "$base/status/200") || out="(curl failed)"
	[[ $out == "status 200"$'\n'" 200" ]] || die "fault server GET /status/200 -> '$out'"
	out=$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' "$base/status/503") || out=000
	[[ $out == 503 ]] || die "fault server GET /status/503 -> $out"
	log "fault server: /status/200 and /status/503 OK"
}

# POST /2/files/get_temporary_link: dropbox_link_check TOKEN WANT_STATUS WANT_ERROR_SUMMARY PATH
dropbox_link_check() {
	local out
	out=$(curl -sS --max-time 10 -w ' %{http_code}' -H "Authorization: Bearer $1" \
		-H 'Content-Type: application/json' --data-binary "{\"path\": \"$4\"}" \
		"http://$HOST:$DROPBOX_PORT/2/files/get_temporary_link") || out="(curl failed)"
	[[ $out == *"\"$3/"*" $2" ]] || die "Dropbox stand-in, Bearer $1: want $2 $3; got '$out'"
}

# The stand-in must refuse a wrong token (else the auth tests prove nothing) and take the right one.
# A stand-in that accepts anything would make the tests prove nothing: a JWT-bearer request with
# a made-up assertion must be refused as Google refuses it.
verify_google() {
	local out
	out=$(curl -sS --max-time 5 -w ' %{http_code}' -d 'grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=a.b.c' \
		"http://$HOST:$GOOGLE_PORT/token") || out="(curl failed)"
	[[ $out == *invalid_grant*" 400" ]] || die "Google stand-in accepted or mishandled a made-up assertion: $out"
	log "Google stand-in: made-up assertion 400 invalid_grant OK"
}

verify_dropbox() {
	# Unique and never seeded: tests pick their own requests out of /__requests by path.
	local path="/http-servers-check/$$-$RANDOM/missing.txt"
	dropbox_link_check "sl.WRONG-$$-TOKEN" 401 invalid_access_token "$path"
	dropbox_link_check "$DROPBOX_TOKEN" 409 path/not_found "$path"
	log "Dropbox stand-in: wrong token 401, $DROPBOX_TOKEN on a missing path 409 not_found OK"
}

# A stand-in that accepts anything would make the tests prove nothing: a wrong client secret must
# get 401 invalid_client, the right one a token.
verify_lightroom() {
	local out form="grant_type=client_credentials&client_id=$LIGHTROOM_CLIENT_ID&scope=openid,AdobeID,read_organizations"
	out=$(curl -sS --max-time 5 -w ' %{http_code}' --data "$form&client_secret=wrong-secret" \
		"http://$HOST:$LIGHTROOM_PORT/ims/token/v3") || out="(curl failed)"
	[[ $out == *invalid_client*" 401" ]] || die "Lightroom stand-in accepted or mishandled a wrong client secret: $out"
	out=$(curl -sS --max-time 5 -w ' %{http_code}' --data "$form" --data-urlencode 'client_secret=presign-test-secret+&=/' \
		"http://$HOST:$LIGHTROOM_PORT/ims/token/v3") || out="(curl failed)"
	[[ $out == *'"access_token": "lr-test-'*" 200" ]] || die "Lightroom stand-in refused the right client secret: $out"
	log "Lightroom stand-in: wrong client secret 401 invalid_client, right one 200 OK"
}

write_env() {
	write_env_file <<EOF
export PRESIGN_TEST_TLS_CA=$(printf '%q' "$TLS/ca.pem")
export PRESIGN_TEST_TLS_GOOD=https://localhost:$GOOD_PORT
export PRESIGN_TEST_TLS_SELFSIGNED=https://localhost:$SELF_PORT
export PRESIGN_TEST_TLS_WRONGNAME=https://localhost:$WRONG_PORT
export PRESIGN_TEST_TLS_EXPIRED=https://localhost:$EXPIRED_PORT
export PRESIGN_TEST_HTTP_STATIC=http://$HOST:$HTTP_PORT
export PRESIGN_TEST_FAULT=http://$HOST:$FAULT_PORT
export PRESIGN_TEST_DROPBOX=http://$HOST:$DROPBOX_PORT
export PRESIGN_TEST_GOOGLE=http://$HOST:$GOOGLE_PORT
export PRESIGN_TEST_LIGHTROOM=http://$HOST:$LIGHTROOM_PORT
EOF
}

# ---------------------------------------------------------------- commands

running_pids() {
	# Succeeds (and prints "nginx_pid fault_pid dropbox_pid google_pid lightroom_pid") only if
	# all five recorded PIDs are alive and ours.
	local -A p=()
	local name pid out=""
	while read -r name pid; do p[$name]=$pid; done < <(read_pids)
	for name in nginx fault dropbox google lightroom; do
		our_pid "$name" "${p[$name]:-}" || return 1
		out+="${out:+ }${p[$name]}"
	done
	printf '%s\n' "$out"
}

# What the running servers were started from: reuse them only if it is unchanged.
code_stamp() {
	cat "${BASH_SOURCE[0]}" "$SERVERS_LIB" "$FAULT_PY" "$DROPBOX_PY" "$DROPBOX_STORE_PY" "$GOOGLE_PY" "$GOOGLE_STORE_PY" "$STANDIN_COMMON_PY" \
		"$STANDIN_LIFECYCLE_PY" "$LIGHTROOM_PY" "$LIGHTROOM_JOBS_PY" |
		sha256sum | cut -d' ' -f1
}

healthy() {
	[[ $(http_status --cacert "$TLS/ca.pem" "https://localhost:$GOOD_PORT/hello.txt") == 200 &&
		$(http_status "http://$HOST:$HTTP_PORT/hello.txt") == 200 &&
		$(http_status "http://$HOST:$FAULT_PORT/status/200") == 200 &&
		$(http_status "http://$HOST:$DROPBOX_PORT/__health") == 200 &&
		$(http_status "http://$HOST:$GOOGLE_PORT/__health") == 200 &&
		$(http_status "http://$HOST:$LIGHTROOM_PORT/__health") == 200 ]]
}

# Python and the stand-ins it runs.
check_python() {
	local f
	ensure_test_venv
	"$PYTHON" -c 'import cryptography' 2>/dev/null || die "the Google stand-in needs the cryptography package (scripts/test-requirements.txt)"
	"$PYTHON" -c 'import jsonschema' 2>/dev/null || die "the Lightroom stand-in needs the jsonschema package (scripts/test-requirements.txt)"
	for f in "$FAULT_PY" "$DROPBOX_PY" "$DROPBOX_STORE_PY" "$GOOGLE_PY" "$GOOGLE_STORE_PY" "$STANDIN_COMMON_PY" "$STANDIN_LIFECYCLE_PY" "$LIGHTROOM_PY" "$LIGHTROOM_JOBS_PY"; do
		[[ -f $f ]] || die "missing $f"
	done
}

# Installs what `start` needs (nginx, the test venv) without starting anything.
cmd_install() {
	require_tools
	check_python
	install_nginx
}

cmd_start() {
	local t0=$SECONDS pids=""
	require_tools
	check_python
	begin_start

	if pids=$(running_pids) && healthy && [[ -f $STAMP && $(<"$STAMP") == "$(code_stamp)" ]]; then
		read -r NGINX_PID FAULT_PID DROPBOX_PID GOOGLE_PID LIGHTROOM_PID <<<"$pids"
		log "reusing running servers (nginx pid $NGINX_PID, fault server pid $FAULT_PID, Dropbox stand-in pid $DROPBOX_PID, Google stand-in pid $GOOGLE_PID, Lightroom stand-in pid $LIGHTROOM_PID)"
	else
		stop_stale "stale, half-running or outdated (script or a stand-in changed)"
		require_free_ports "${ALL_PORTS[@]}"
		install_nginx
		make_tls
		make_www
		write_nginx_conf
		start_nginx
		printf 'nginx %s\n' "$NGINX_PID" >"$PIDS"
		start_fault
		printf 'fault %s\n' "$FAULT_PID" >>"$PIDS"
		start_dropbox
		printf 'dropbox %s\n' "$DROPBOX_PID" >>"$PIDS"
		start_google
		printf 'google %s\n' "$GOOGLE_PID" >>"$PIDS"
		start_lightroom
		printf 'lightroom %s\n' "$LIGHTROOM_PID" >>"$PIDS"
		wait_ready nginx "$NGINX_PID" "$NGX/logs/error.log" "http://$HOST:$HTTP_PORT/hello.txt"
		wait_ready nginx "$NGINX_PID" "$NGX/logs/error.log" "https://localhost:$GOOD_PORT/hello.txt" --cacert "$TLS/ca.pem"
		wait_ready "fault server" "$FAULT_PID" "$LOGS/http-fault-server.log" "http://$HOST:$FAULT_PORT/status/200"
		wait_ready "Dropbox stand-in" "$DROPBOX_PID" "$LOGS/http-dropbox-standin.log" "http://$HOST:$DROPBOX_PORT/__health"
		wait_ready "Google stand-in" "$GOOGLE_PID" "$LOGS/http-google-standin.log" "http://$HOST:$GOOGLE_PORT/__health"
		wait_ready "Lightroom stand-in" "$LIGHTROOM_PID" "$LOGS/http-lightroom-standin.log" "http://$HOST:$LIGHTROOM_PORT/__health"
		code_stamp >"$STAMP"
	fi

	verify_tls
	verify_http
	verify_fault
	verify_dropbox
	verify_google
	verify_lightroom
	check_bindings "$NGINX_PID" "$FAULT_PID" "$DROPBOX_PID" "$GOOGLE_PID" "$LIGHTROOM_PID"
	write_env
	finish_start "$t0"
}

cmd_stop() {
	local name pid alive=() kids=()
	have_pids_file || return 0
	while read -r name pid; do
		if our_pid "$name" "$pid"; then
			# nginx workers are children of the master: remember them for a SIGKILL fallback.
			[[ $name == nginx ]] && mapfile -t -O "${#kids[@]}" kids < <(pgrep -P "$pid" || true)
			log "stopping $name (pid $pid)"
			kill -TERM "$pid" 2>/dev/null || true
			alive+=("$pid")
		fi
	done < <(read_pids)
	await_exit 0.1 "${alive[@]}"
	for pid in "${kids[@]}"; do
		# Only if still an nginx process (worker PIDs could have been reused by now).
		if [[ $(pid_cmdline "$pid") == nginx:* ]]; then
			log "nginx worker $pid outlived its master: SIGKILL"
			kill -KILL "$pid" 2>/dev/null || true
		fi
	done
	rm -f "$PIDS" "$STAMP"
	log "stopped"
}

cmd_status() {
	local pids n f d g l
	if pids=$(running_pids); then
		read -r n f d g l <<<"$pids"
		log "running: nginx pid $n (http $HTTP_PORT, https $GOOD_PORT-$EXPIRED_PORT), fault server pid $f (http $FAULT_PORT), Dropbox stand-in pid $d (http $DROPBOX_PORT), Google stand-in pid $g (http $GOOGLE_PORT), Lightroom stand-in pid $l (http $LIGHTROOM_PORT)"
	else
		log "not running"
		return 1
	fi
}

servers_main "$@"
