# shellcheck shell=bash
# After a test run: no process whose command line names the repository may still be running.
#
# Sourced (not run) after REPO is set. Defines
#   stop_leftovers   waits up to 3 s for such processes to end by themselves, then names each one still
#                    running on stderr, stops it (SIGTERM, then SIGKILL) and fails; succeeds when none is
#                    left. This shell and its ancestors (the caller's own command line may name the
#                    repository) are not counted.

_ancestors() {
	local pid=$$
	while [[ $pid =~ ^[0-9]+$ ]] && ((pid > 1)); do
		printf '%s\n' "$pid"
		pid=$(awk '{print $4}' "/proc/$pid/stat" 2>/dev/null) || break
	done
}

# PIDs (one a line) of processes whose command line contains the repository path, but not ours.
_repository_processes() {
	local self pid cmd
	self=$(_ancestors)
	for pid in $(ls /proc | grep -E '^[0-9]+$'); do
		grep -qx "$pid" <<<"$self" && continue
		cmd=$({ tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null) || continue
		[[ -n $cmd && $cmd == *"$REPO"* ]] && printf '%s\n' "$pid"
	done
}

stop_leftovers() {
	local pids pid deadline=$((SECONDS + 3))
	pids=$(_repository_processes)
	while [[ -n $pids ]] && ((SECONDS < deadline)); do
		sleep 0.2
		pids=$(_repository_processes)
	done
	[[ -z $pids ]] && return 0
	printf 'test run: ERROR: processes started by the tests are still running:\n' >&2
	for pid in $pids; do
		printf '  pid %s: %s\n' "$pid" "$({ tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null)" >&2
		kill -TERM "$pid" 2>/dev/null || true
	done
	sleep 1
	for pid in $pids; do kill -KILL "$pid" 2>/dev/null || true; done
	return 1
}
