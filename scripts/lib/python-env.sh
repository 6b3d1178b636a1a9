# shellcheck shell=bash
# The test run's own Python: a virtual environment in <repo>/.ci-work/venv with the pinned packages of
# scripts/test-requirements.txt. Never the system Python's site-packages.
#
# Sourced (not run) after REPO is set. Defines
#   TEST_VENV             the venv folder
#   TEST_PYTHON           its python
#   ensure_test_venv      creates or updates it (only when the requirements changed); logs through log()
#                         and fails through die() when the caller defines them, else on stderr.

TEST_VENV="$REPO/.ci-work/venv"
TEST_PYTHON="$TEST_VENV/bin/python"
TEST_REQUIREMENTS="$REPO/scripts/test-requirements.txt"

_venv_log() { if declare -F log >/dev/null; then log "$@"; else printf 'python-env: %s\n' "$*" >&2; fi; }
_venv_die() { if declare -F die >/dev/null; then die "$@"; else printf 'python-env: ERROR: %s\n' "$*" >&2; exit 1; fi; }

ensure_test_venv() {
	local base=${PYTHON_FOR_VENV:-python3} stamp="$TEST_VENV/.presign-requirements" want
	want=$(sha256sum "$TEST_REQUIREMENTS" | cut -d' ' -f1)
	if [[ -x $TEST_PYTHON && -f $stamp && $(<"$stamp") == "$want" ]]; then
		return 0
	fi
	if [[ ! -x $TEST_PYTHON ]]; then
		command -v "$base" >/dev/null || _venv_die "$base is required for the test servers (on Debian: apt-get install -y python3 python3-venv)"
		_venv_log "creating the test venv $TEST_VENV"
		mkdir -p "$(dirname "$TEST_VENV")"
		"$base" -m venv "$TEST_VENV" 2>&1 | tail -n 3 >&2 || true
		[[ -x $TEST_PYTHON ]] || _venv_die "cannot create a venv with $base (on Debian: apt-get install -y python3-venv)"
	fi
	_venv_log "installing the pinned test packages (scripts/test-requirements.txt) into $TEST_VENV"
	"$TEST_PYTHON" -m pip install --quiet --disable-pip-version-check -r "$TEST_REQUIREMENTS" >&2 ||
		_venv_die "pip install -r scripts/test-requirements.txt failed"
	printf '%s\n' "$want" >"$stamp"
}
