# shellcheck shell=bash
# After a test run: no process whose command line names the repository may still be running.
#
# Sourced (not run) after REPO is set. Defines
#   stop_leftovers   waits up to 10 s for such processes to end by themselves, then names each one
#                    still running on stderr (pid, parent, state, age, command line), stops it (SIGTERM,
#                    then SIGKILL) and fails; succeeds when none is left. This shell, its subshells and
#                    its ancestors (their command lines may name the repository) are not counted.

_ancestors() {
	local pid=$BASHPID
	while [[ $pid =~ ^[0-9]+$ ]] && ((pid > 1)); do
		printf '%s\n' "$pid"
		pid=$(awk '{print $4}' "/proc/$pid/stat" 2>/dev/null) || break
	done
}

# PIDs (one a line) of live processes whose command line contains the repository path, but not ours.
_repository_processes() {
	local self own pid cmd
	self=$(_ancestors)
	own=$({ tr '\0' ' ' <"/proc/$$/cmdline"; } 2>/dev/null)
	for pid in $(ls /proc | grep -E '^[0-9]+$'); do
		grep -qx "$pid" <<<"$self" && continue
		cmd=$({ tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null) || continue
		[[ -n $cmd && $cmd == *"$REPO"* && $cmd != "$own" ]] && printf '%s\n' "$pid"
	done
}

stop_leftovers() {
	local pids pid deadline=$((SECONDS + 10)) report
	pids=$(_repository_processes)
	while [[ -n $pids ]] && ((SECONDS < deadline)); do
		sleep 0.2
		pids=$(_repository_processes)
	done
	[[ -z $pids ]] && return 0
	# shellcheck disable=SC2086
	report=$(ps -o pid=,ppid=,stat=,etimes=,args= -p "$(tr '\n' ',' <<<"$pids" | sed 's/,$//')" 2>/dev/null) || true
	[[ -z $report ]] && return 0
	printf 'test run: ERROR: processes started by the tests are still running (pid, parent, state, seconds, command):\n%s\n' "$report" >&2
	for pid in $pids; do kill -TERM "$pid" 2>/dev/null || true; done
	sleep 1
	for pid in $pids; do kill -KILL "$pid" 2>/dev/null || true; done
	return 1
}
