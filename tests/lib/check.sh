# check.sh: the shell side of the test harness (see tests/check.h).
# Source it; each check prints "ok - NAME" or "not ok - NAME: why".

CHECK_FAILED=0

ok()     { printf 'ok - %s\n' "$*"; }
not_ok() { printf 'not ok - %s\n' "$*"; CHECK_FAILED=1; }

# check NAME COMMAND...: passes when COMMAND succeeds.
check() {
	local name=$1; shift
	if "$@"; then ok "$name"; else not_ok "$name: command failed: $*"; fi
}

# check_eq NAME GOT WANT
check_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1: got '$2', want '$3'"; fi
}

# check_match NAME TEXT REGEX (extended regex, grep -E)
check_match() {
	if printf '%s\n' "$2" | grep -Eq -- "$3"; then ok "$1"; else not_ok "$1: no match for /$3/ in: $(printf '%s' "$2" | head -c 400)"; fi
}

check_done() { exit "$CHECK_FAILED"; }
