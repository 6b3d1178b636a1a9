# shellcheck shell=bash
# What scripts/s3-servers.sh and scripts/http-servers.sh share: logging, PID guards, port and
# binding checks, waiting for readiness, stopping, the env file and the command dispatch.
#
# Sourced (not run), right after the script has set
#   REPO           the checkout
#   SERVERS_NAME   the log prefix ("s3-servers" -> "s3-servers: ...")
# It sets W (<repo>/.ci-work, where everything lives) and LOGS. Then the script sets
#   PIDS           its PID file; PID_LINE_RE the lines of it that count (grep -E)
#   ENVFILE        the env file that `start` writes and `env` prints
#   WAIT_SECONDS   how long await_ready waits
# and defines cmd_install, cmd_start, cmd_stop and cmd_status (cmd_env is here).

W="$REPO/.ci-work"
LOGS="$W/logs"

log() { printf '%s: %s\n' "$SERVERS_NAME" "$*" >&2; }
die() {
	printf '%s: ERROR: %s\n' "$SERVERS_NAME" "$*" >&2
	exit 1
}

# ---------------------------------------------------------------- PIDs

# The command line (NULs as spaces) of a PID that is alive; fails otherwise. our_pid() of
# each script matches it against its own binaries (guards against PID reuse).
pid_cmdline() {
	local pid=$1
	[[ $pid =~ ^[0-9]+$ ]] || return 1
	kill -0 "$pid" 2>/dev/null || return 1
	tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null
}

# The lines of the PIDs file that match PID_LINE_RE (none without the file).
read_pids() {
	[[ -f $PIDS ]] || return 0
	grep -E "$PID_LINE_RE" "$PIDS" || true
}

# Fails (after saying so) when there is no PIDs file: then nothing of ours runs.
have_pids_file() {
	[[ -f $PIDS ]] && return 0
	log "not running (no $PIDS)"
	return 1
}

# Waits for each PID (already sent SIGTERM) to exit, polling every INTERVAL seconds;
# SIGKILL for those still alive 20 s after the call.
# usage: await_exit INTERVAL PID...
await_exit() {
	local interval=$1 pid deadline
	shift
	deadline=$((SECONDS + 20))
	for pid in "$@"; do
		while kill -0 "$pid" 2>/dev/null; do
			if ((SECONDS >= deadline)); then
				log "pid $pid ignores SIGTERM: SIGKILL"
				kill -KILL "$pid" 2>/dev/null || true
				sleep 0.2
				break
			fi
			sleep "$interval"
		done
	done
}

# ---------------------------------------------------------------- ports

port_busy() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

# Dies if another process already listens on one of the PORTs.
require_free_ports() {
	local port
	for port in "$@"; do
		port_busy "$port" && die "port $port on this machine is already in use by another process: $(ss -Hltnp "sport = :$port" | head -n1)"
	done
	return 0
}

# Every TCP listener of the given PIDs, as "pid addr:port".
listeners_of() {
	local pid
	for pid in "$@"; do
		ss -Hltnp 2>/dev/null | awk -v p="pid=$pid," 'index($0, p) { print $4 }' |
			sed "s/^/$pid /"
	done
}

# Refuse anything of ours that listens beyond 127.0.0.1.
check_bindings() {
	local line bad=0
	while read -r line; do
		[[ -n $line ]] || continue
		case "${line#* }" in
		127.0.0.1:*) ;;
		*)
			log "pid ${line%% *} listens on ${line#* } (not 127.0.0.1)"
			bad=1
			;;
		esac
	done < <(listeners_of "$@")
	((bad == 0)) || die "a server listens beyond 127.0.0.1"
}

# ---------------------------------------------------------------- start

# Runs PROBE... (it prints an HTTP status) every INTERVAL seconds until it prints 200. Dies when
# PID exits first or after WAIT_SECONDS; then `start_logs LOGID` (each script's own) prints the
# tails of the start-up logs to stderr and, on stdout, where they are.
# usage: await_ready NAME PID URL INTERVAL LOGID PROBE...
await_ready() {
	local name=$1 pid=$2 url=$3 interval=$4 logid=$5 deadline code where
	shift 5
	deadline=$((SECONDS + WAIT_SECONDS))
	while :; do
		if ! kill -0 "$pid" 2>/dev/null; then
			where=$(start_logs "$logid")
			die "$name (pid $pid) exited during start-up; $where"
		fi
		code=$("$@" 2>/dev/null)
		[[ $code == 200 ]] && break
		if ((SECONDS >= deadline)); then
			where=$(start_logs "$logid")
			die "$name at $url not ready after ${WAIT_SECONDS}s (last HTTP status $code); $where"
		fi
		sleep "$interval"
	done
	log "$name answers at $url"
}

# What every `start` needs first.
require_tools() {
	command -v curl >/dev/null || die "curl is required"
	command -v ss >/dev/null || die "ss (iproute2) is required"
}

# .ci-work/, and a trap so that a failed start leaves nothing running (CI may not have set its
# trap yet). finish_start removes the trap.
begin_start() {
	mkdir -p "$W" "$LOGS"
	[[ -f $W/.gitignore ]] || printf '*\n' >"$W/.gitignore"
	trap 'rc=$?; if ((rc != 0)); then log "start failed: stopping the servers"; cmd_stop; fi' EXIT
}

# usage: finish_start T0 (the SECONDS at which `start` began)
finish_start() {
	trap - EXIT
	log "ready in $((SECONDS - $1))s: source $ENVFILE ; stop with: $0 stop"
}

# Stops what the PIDs file names before a fresh start, after saying why (WHAT servers).
stop_stale() {
	[[ -f $PIDS ]] || return 0
	log "$1 servers: stopping them first"
	cmd_stop
}

# Writes ENVFILE from stdin, atomically.
write_env_file() {
	local tmp="$ENVFILE.tmp"
	cat >"$tmp"
	mv "$tmp" "$ENVFILE"
}

# ---------------------------------------------------------------- commands

cmd_env() {
	[[ -f $ENVFILE ]] || die "no $ENVFILE: run '$0 start' first"
	cat "$ENVFILE"
}

# usage: servers_main "$@"
servers_main() {
	case "${1:-}" in
	install) cmd_install ;;
	start) cmd_start ;;
	stop) cmd_stop ;;
	env) cmd_env ;;
	status) cmd_status ;;
	*)
		echo "usage: $0 install|start|stop|env|status" >&2
		exit 2
		;;
	esac
}
