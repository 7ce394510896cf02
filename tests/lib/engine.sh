# engine.sh: what the integration tests of the engine (bootscope --batch)
# share.  Source it after check.sh.
#
# A test gets a private directory $tmp, which is also its TMPDIR and
# XDG_RUNTIME_DIR: bootscope makes its socket directory (bootscope.*) there,
# and every QEMU it starts has $tmp in its command line (the -gdb socket).
# So "nothing left behind" is easy to see, and never confused with the
# QEMUs other people run on the same machine.  Everything a test starts in
# the background goes through bg and is killed, by pid, at exit.

BOOTSCOPE=$TOP/$BUILD/bootscope
KERNEL=$TOP/build/kernel.elf
CROSS=${CROSS:-riscv64-unknown-elf-}

tmp=$(mktemp -d /tmp/bootscope-test.XXXXXX) || exit 1
chmod 700 "$tmp"
export TMPDIR=$tmp XDG_RUNTIME_DIR=$tmp
bg_pids=()

engine_cleanup() {
	local p
	for p in "${bg_pids[@]}"; do
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	# Anything that still names $tmp is ours (see above).
	for p in $(pgrep -f -- "$tmp/"); do
		kill -KILL "$p" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap engine_cleanup EXIT

# bg LIMIT CMD...: start CMD in the background under a hard time-out; its
# pid is in $bg_pid and it is killed at exit.
bg() {
	local limit=$1; shift
	timeout -k 2 "$limit" "$@" &
	bg_pid=$!
	bg_pids+=("$bg_pid")
}

# wait_for_file PATH [SECONDS]: until PATH exists (a socket coming up).
wait_for_file() {
	local i
	for ((i = 0; i < ${2:-5} * 50; i++)); do
		[ -e "$1" ] && return 0
		sleep 0.02
	done
	return 1
}

# bs LIMIT ARGS...: run bootscope under a hard time-out of LIMIT seconds.
# Sets out (stdout), err (stderr), rc (exit status) and ms (how long).
bs() {
	local limit=$1 t0; shift
	t0=$(date +%s%N)
	timeout -k 2 "$limit" "$BOOTSCOPE" "$@" >"$tmp/bs.out" 2>"$tmp/bs.err" </dev/null
	rc=$?
	ms=$((($(date +%s%N) - t0) / 1000000))
	out=$(cat "$tmp/bs.out")
	err=$(cat "$tmp/bs.err")
}

# check_clean NAME: the last bootscope left no socket directory and no
# process behind (a QEMU, or what a fake QEMU started).  Our own background
# helpers (bg) do not count.
check_clean() {
	local left p pp procs=
	left=$(find "$tmp" -name 'bootscope.*' 2>/dev/null)
	check_eq "$1: no bootscope.* directory left" "$left" ""
	for p in $(pgrep -f -- "$tmp/"); do
		pp=$(ps -o ppid= -p "$p" | tr -d ' ')
		[[ " ${bg_pids[*]} " == *" $p "* || " ${bg_pids[*]} " == *" $pp "* ]] && continue
		procs+="$(ps -o pid=,args= -p "$p") ; "
	done
	check_eq "$1: no process left that names the test's directory" "$procs" ""
}

# build_spin NAME MARCH MABI: tests/kernels/spin.S (a kernel that never
# ends) linked at 0x80200000 for MARCH, into $tmp/NAME.
build_spin() {
	local k=$TOP/tests/kernels
	"${CROSS}gcc" -march="$2" -mabi="$3" -nostdlib -T "$k/common.ld" -Wl,--defsym=BASE=0x80200000 \
		-Wl,--build-id=none "$k/spin.S" -o "$tmp/$1"
}
