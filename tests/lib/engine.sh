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
	local left p pp line procs=
	left=$(find "$tmp" -name 'bootscope.*' 2>/dev/null)
	check_eq "$1: no bootscope.* directory left" "$left" ""
	for p in $(pgrep -f -- "$tmp/"); do
		pp=$(ps -o ppid= -p "$p" | tr -d ' ')
		[ -n "$pp" ] || continue	# it ended between pgrep and ps: not left
		[[ " ${bg_pids[*]} " == *" $p "* || " ${bg_pids[*]} " == *" $pp "* ]] && continue
		line=$(ps -o pid=,args= -p "$p")
		[ -n "$line" ] && procs+="$line ; "
	done
	check_eq "$1: no process left that names the test's directory" "$procs" ""
}

# sym ELF SYMBOL: the symbol's address in ELF, as 0x... (empty if absent).
sym() { "${CROSS}nm" "$1" | awk -v s="$2" '$3 == s { print "0x" $1; exit }'; }

# ---- the guest, seen from outside -----------------------------------------
# bootscope's own QEMU has -monitor none; --qemu-arg adds a second monitor,
# QMP on a socket of the test's, so the test can ask QEMU where its guest
# is -- e.g. that the walk has reached the kernel and left it running --
# instead of guessing how long that takes.

# qmp_args NAME: sets the array qmp to those bootscope arguments, for QMP on
# $tmp/NAME.qmp.  (For a QEMU the test starts itself: the same -qmp option.)
qmp_args() { qmp=(--qemu-arg -qmp --qemu-arg "unix:$tmp/$1.qmp,server=on,wait=off"); }

# guest_look SOCKET [REG...]: one look (tests/lib/qmp.py): $guest is QEMU's
# run state and the registers, "running pc=0x80200002 t0=0x1b3f", or why
# QEMU did not answer.
guest_look() { guest=$(python3 "$TOP/tests/lib/qmp.py" "$@" 2>&1); }

# guest_reg REG: that register's value in the last look, or empty.
guest_reg() { printf '%s\n' "$guest" | sed -n "s/.* $1=\(0x[0-9a-f]*\).*/\1/p"; }

# wait_guest_in SOCKET LO HI [REG OLD]: until the guest runs -- QEMU's state
# is "running", no debugger holds it -- with its pc in [LO, HI); given REG
# and OLD, also with REG no longer OLD (it executes, it is not just called
# running).  Polls for up to GUEST_WAIT seconds (default 5); $guest is the
# last look either way.
wait_guest_in() {
	local sock=$1 lo=$2 hi=$3 reg=${4:-} old=${5:-} end pc
	end=$(($(date +%s%N) + ${GUEST_WAIT:-5} * 1000000000))
	while :; do
		guest_look "$sock" pc $reg
		pc=$(guest_reg pc)
		if [[ $guest == 'running '* ]] && [ -n "$pc" ] && ((pc >= lo && pc < hi)) &&
		   { [ -z "$reg" ] || [ "$(guest_reg "$reg")" != "$old" ]; }; then
			return 0
		fi
		[ "$(date +%s%N)" -ge "$end" ] && return 1
		sleep 0.02
	done
}

# check_guest_in NAME SOCKET LO HI [REG OLD]: wait_guest_in, as a check.
check_guest_in() {
	local name=$1; shift
	if wait_guest_in "$@"; then
		ok "$name"
	else
		not_ok "$name: not seen within ${GUEST_WAIT:-5} s (want running, pc in [$2, $3)${4:+, $4 not $5}); QEMU's last answer: $guest"
	fi
}

# build_spin NAME MARCH MABI: tests/kernels/spin.S (a kernel that never
# ends) linked at 0x80200000 for MARCH, into $tmp/NAME.
build_spin() {
	local k=$TOP/tests/kernels
	"${CROSS}gcc" -march="$2" -mabi="$3" -nostdlib -T "$k/common.ld" -Wl,--defsym=BASE=0x80200000 \
		-Wl,--build-id=none "$k/spin.S" -o "$tmp/$1"
}
