# shellcheck shell=bash
# Debian packages a script needs, installed with apt-get when missing (as root; otherwise the command
# to run is printed and the script exits 2).
#
# Sourced (not run). Defines
#   ensure_debian_packages PKG...   installs those of PKG... that dpkg does not list as installed

ensure_debian_packages() {
	local missing=() pkg
	for pkg in "$@"; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
	done
	((${#missing[@]} == 0)) && return 0
	if ! command -v apt-get >/dev/null; then
		printf 'missing system packages: %s (install them with your package manager)\n' "${missing[*]}" >&2
		exit 2
	fi
	if [[ $(id -u) != 0 ]]; then
		printf 'missing system packages; run: sudo apt-get install -y --no-install-recommends %s\n' "${missing[*]}" >&2
		exit 2
	fi
	printf '== installing system packages: %s\n' "${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq -o DPkg::Lock::Timeout=120 >&2
	apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=120 "${missing[@]}" >/dev/null
}
