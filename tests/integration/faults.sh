# Faults: nothing a garbled gdbstub, a dying QEMU or a broken kernel does
# may crash bootscope --batch, hang it, or leave a process or a socket
# directory behind.  Each case ends in a bounded time with either the whole
# walk (when the protocol lets bootscope recover) or one clear line on
# stderr and status 1.
#
#  1. A fake QEMU (tests/lib/fakestub.py qemu) that walks like the real one,
#     with one fault injected at a chosen request: a bad checksum, a '-',
#     a truncated packet, noise between packets -- the walk completes and
#     its report is the clean walk's, byte for byte -- and a packet over
#     16 KiB, a close in the middle of a reply, a stub that stops answering
#     -- a clear message within seconds.
#  2. The real QEMU killed with SIGKILL mid-session; SIGINT, SIGTERM, SIGHUP
#     to bootscope; a kernel that traps in a loop (--batch and --check).
#  3. 100 start/quit cycles: all succeed, nothing left.  (The fd and child
#     counts of one process over 100 sessions: tests/unit/test_cycles.c.)
. "$TOP/tests/lib/check.sh"
. "$TOP/tests/lib/engine.sh"
cd "$TOP" || exit 1

# ---- 1. a fake QEMU with one fault ----------------------------------------

# stub NAME [--fault KIND --on PREFIX --nth K]: a fake QEMU at $tmp/NAME.sock.
stub() {
	local name=$1
	shift
	bg 40 python3 "$TOP/tests/lib/fakestub.py" qemu "$tmp/$name.sock" 35 "$@"
	wait_for_file "$tmp/$name.sock" || not_ok "fake QEMU $name did not start listening"
}

# walk NAME [FAULT ARGS]: bootscope --batch --attach to a fake QEMU, with
# the options in walk_args besides.  Without the boot's events: the fake
# machine has no traps to take, and the story is QEMU's to tell
# (story.sh).
walk_args=()
walk() {
	local name=$1
	shift
	stub "$name" "$@"
	bs 20 --batch --no-events --timeout 0.2 "${walk_args[@]}" --attach "unix:$tmp/$name.sock"
	events=$(cat "$tmp/$name.sock.events" 2>/dev/null)
}

walk clean
check_eq "fake QEMU, no fault: the walk exits 0" "$rc" 0
check_eq "fake QEMU, no fault: nothing on stderr" "$err" ""
check_eq "fake QEMU, no fault: three stages" "$(grep -c '^== stage' "$tmp/bs.out")" 3
check_match "fake QEMU, no fault: stage 3 at 0x80200000 in S mode" "$out" '^== stage 3: kernel, entered at 0x80200000 in S mode$'
check_match "fake QEMU, no fault: ends still running (no breakpoint ahead)" "$out" '^== end: still running after 0\.2 s: stopped at 0x80200000$'
check_match "fake QEMU, no fault: mstatus read as the stub has it (0xc5c0...0300)" "$out" 'mstatus  c5c0000000000300'
check_match "fake QEMU, no fault: the stub detached (D)" "$(cat "$tmp/clean.sock.log")" '\$D#44'
cp "$tmp/bs.out" "$tmp/clean.out"
check_clean "fake QEMU, no fault"

# recovers NAME WHAT [FAULT ARGS]: the walk completes despite the fault,
# and its report is the clean one (no reply taken for another's).
recovers() {
	local name=$1 what=$2
	shift 2
	walk "$name" "$@"
	check_match "$what: the fault was injected" "$events" "^fault ${2-} "
	check_eq "$what: the walk exits 0" "$rc" 0
	check_eq "$what: nothing on stderr" "$err" ""
	if cmp -s "$tmp/bs.out" "$tmp/clean.out"; then
		ok "$what: the report is the clean walk's, register for register"
	else
		not_ok "$what: the report differs from the clean walk's: $(diff "$tmp/clean.out" "$tmp/bs.out" | head -6 | tr '\n' '|')"
	fi
	check "$what: within 3 s (took $ms ms)" test "$ms" -lt 3000
	check_clean "$what"
}

recovers badsum-g "a bad checksum on the reply to g" --fault badsum --on g
check_match "a bad checksum on g: bootscope answered '-' and the stub resent" "$events" '^nak: resent \$0000'
# Many 'p' go out in one write; QEMU answers '-' with its *last* packet, so
# a '-' there would shift every reply after it by one register.
recovers badsum-p "a bad checksum inside a batch of p replies" --fault badsum --on p
recovers badsum-qxfer "a bad checksum on target.xml" --fault badsum --on qXfer
recovers badsum-c "a bad checksum on a stop reply" --fault badsum --on c
recovers nak-g "the stub rejecting g ('-')" --fault nak --on g
recovers nak-p "the stub rejecting one p of a batch" --fault nak --on p
recovers nak-c "the stub rejecting c" --fault nak --on c
# half_read WHAT: the stub sent the rest only once bootscope had read the
# half (fakestub.py), so bootscope really had half a packet in hand.
half_read() {
	check_match "$1: bootscope had read the half before the whole came" "$events" \
		'^truncate: the half was read before the whole came$'
}
recovers truncate-g "half a reply to g, then the whole one" --fault truncate --on g
half_read "half a reply to g, then the whole one"
recovers truncate-c "half a stop reply, then the whole one" --fault truncate --on c
half_read "half a stop reply, then the whole one"
recovers truncate-m "half of the reset vector's bytes, then all" --fault truncate --on m
half_read "half of the reset vector's bytes, then all"
recovers garbage-g "noise before the reply to g" --fault garbage --on g
recovers garbage-c "noise before a stop reply" --fault garbage --on c

# fails NAME WHAT REGEX MAX_MS [FAULT ARGS]: bootscope gives up with one
# line that matches REGEX, status 1, within MAX_MS.
fails() {
	local name=$1 what=$2 re=$3 max=$4
	shift 4
	walk "$name" "$@"
	check_match "$what: the fault was injected" "$events" "^fault ${2-} "
	check_eq "$what: exit status 1" "$rc" 1
	check_eq "$what: one line on stderr" "$(grep -c '' "$tmp/bs.err")" 1
	check_match "$what: the message" "$err" "^bootscope: .*$re"
	check_eq "$what: no report on stdout" "$out" ""
	check "$what: gives up within $max ms (took $ms ms)" test "$ms" -lt "$max"
	check_clean "$what"
}

fails oversize-g "a reply over 16 KiB" 'larger than 16384 bytes' 3000 --fault oversize --on g
fails oversize-c "a stop reply over 16 KiB" 'larger than 16384 bytes' 3000 --fault oversize --on c
fails oversize-m "the reset vector's bytes over 16 KiB" 'larger than 16384 bytes' 3000 --fault oversize --on m
# The second g is at the firmware's entry: the middle of the walk.
fails close-g "the stub closing in the middle of a reply" 'closed the connection' 3000 --fault close --on g --nth 2
fails close-m "the stub closing in the middle of the reset vector's bytes" 'closed the connection' 3000 --fault close --on m
# While the guest runs, a close in the middle of the stop reply is a lost
# connection, not the end of someone else's QEMU.
fails close-c "the stub closing in the middle of a stop reply" \
	'connection to the gdbstub at unix:.* broke in the middle of a packet: check that QEMU still runs' 3000 --fault close --on c
# bootscope waits 3 s for a reply, and then asks nothing more on the way out.
fails silent-g "the stub falling silent mid-session" 'did not answer within 3000 ms' 4500 --fault silent --on g --nth 2
fails silent-p "the stub falling silent in a batch of p" 'did not answer within 3000 ms' 4500 --fault silent --on p --nth 20
# --reply-timeout sets how long one reply may take.
walk_args=(--reply-timeout 0.5)
fails silent-g-short "the stub falling silent, with --reply-timeout 0.5" 'did not answer within 500 ms' 1500 \
	--fault silent --on g --nth 2
walk_args=()
# After c: --timeout (0.2 s), then 2 s for an answer to the interrupt.
fails silent-c "the stub not answering c nor the interrupt" 'did not stop when asked to.*interrupt' 4500 --fault silent --on c

# A target description cut short inside <feature>, once registers were
# read from it: one clear line, and the start-up undone on the way out.
# Under the ASan build LeakSanitizer fails the case if any of what was
# read is still allocated at exit (whatever build the rest runs).
san=$TOP/build/san/bootscope
if [ -x "$san" ]; then
	ASAN_OPTIONS="detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}" BOOTSCOPE=$san \
		fails cutxml "a target.xml that ends inside <feature> (ASan build)" \
		'target description target\.xml: the XML ends inside <feature>' 3000 \
		--fault cutxml --on qXfer:features:read:target.xml
	check_eq "a target.xml that ends inside <feature>: no leak reported" \
		"$(grep -c 'LeakSanitizer' "$tmp/bs.err")" 0
else
	not_ok "a target.xml that ends inside <feature>: needs the ASan build ($san: make SAN=1 tracer)"
fi

# An --attach that fails in start-up (a stub that is no QEMU) closes its
# socket itself before it exits: strace shows the fd connect() used
# closed after the connect.  (LeakSanitizer cannot run under ptrace.)
if command -v strace >/dev/null; then
	bg 20 python3 "$TOP/tests/lib/fakestub.py" junkpkt "$tmp/junk.sock" 15
	wait_for_file "$tmp/junk.sock" || not_ok "fake stub junkpkt did not start listening"
	ASAN_OPTIONS=detect_leaks=0 timeout -k 2 10 strace -o "$tmp/junk.strace" -e trace=connect,close,exit_group \
		"$BOOTSCOPE" --batch --timeout 0.2 --attach "unix:$tmp/junk.sock" >/dev/null 2>"$tmp/junk.err"
	closed=$(awk '/^connect\(.*junk\.sock/ { split($0, a, /[(,]/); fd = a[2] }
		fd != "" && $0 ~ "^close\\(" fd "\\)" { print "closed " fd; exit }' "$tmp/junk.strace")
	check_match "a stub that is no QEMU: bootscope closes its socket before it exits ($(head -c 120 "$tmp/junk.err"))" \
		"$closed" '^closed [0-9]+$'
else
	ok "# SKIP a stub that is no QEMU: the socket closed before exit (no strace)"
fi

# ---- 2. the real QEMU ----------------------------------------------------------

bash tests/kernels/build.sh "$tmp/k" >/dev/null 2>&1
check "the test kernels build (spin.elf, trap.elf)" test -s "$tmp/k/spin.elf" -a -s "$tmp/k/trap.elf"

# start_bg NAME ARGS...: bootscope ARGS in the background; its pid in
# $bpid and its QEMU's in $qpid once both are up (empty if not within 5 s).
start_bg() {
	local name=$1 n=0
	shift
	bg 60 "$BOOTSCOPE" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
	bpid= qpid=
	while [ -z "$qpid" ] && [ $((n += 1)) -le 250 ]; do
		[ -z "$bpid" ] && bpid=$(pgrep -P "$bg_pid")
		[ -n "$bpid" ] && qpid=$(pgrep -P "$bpid" -f qemu-system-riscv64)
		[ -z "$qpid" ] && sleep 0.02
	done
	check "$name: bootscope and its QEMU are up" test -n "$bpid" -a -n "$qpid"
}

# end_bg: wait for the background bootscope; its status in $brc, how long
# it took from now in $ms, its stderr in $err.
end_bg() {
	local t0
	t0=$(date +%s%N)
	wait "$bg_pid"
	brc=$?
	ms=$((($(date +%s%N) - t0) / 1000000))
	err=$(cat "$tmp/$1.err")
}

# spin.elf's loop: spin, two instructions.  Seen through QMP (qmp_args),
# the guest running there means the walk has crossed the kernel's entry and
# bootscope --batch has let the kernel go and waits for it.
spin=$(sym "$tmp/k/spin.elf" spin)
check "spin.elf has its loop symbol, spin" test -n "$spin"
spin_end=$((spin + 8))

# QEMU killed in the middle: the walk has reached the kernel, which spins,
# and bootscope waits for it (--timeout 30).
qmp_args qemu-killed
start_bg qemu-killed --batch --timeout 30 "${qmp[@]}" "$tmp/k/spin.elf"
check_guest_in "QEMU SIGKILLed: before the kill, the guest runs free in the kernel's loop at spin" \
	"$tmp/qemu-killed.qmp" "$spin" "$spin_end"
[ -n "$qpid" ] && kill -KILL "$qpid"
end_bg qemu-killed
check_eq "QEMU SIGKILLed: bootscope exits 1" "$brc" 1
check "QEMU SIGKILLed: within 3 s (took $ms ms)" test "$ms" -lt 3000
check_eq "QEMU SIGKILLed: one line on stderr" "$(printf '%s' "$err" | grep -c '')" 1
check_match "QEMU SIGKILLed: the line names QEMU's death" "$err" '^bootscope: .*QEMU .*(killed|signal 9)'
check_clean "QEMU SIGKILLed"

# Every signal that ends bootscope: the report as far as it got, QEMU and
# its directory gone, and then the signal itself (128 + its number).
for sig in INT TERM HUP QUIT USR1 USR2 ALRM PWR RTMIN; do
	qmp_args "SIG$sig"
	start_bg "SIG$sig" --batch --timeout 30 "${qmp[@]}" "$tmp/k/spin.elf"
	check_guest_in "SIG$sig to bootscope --batch: before the signal, the guest runs free in the kernel's loop at spin" \
		"$tmp/SIG$sig.qmp" "$spin" "$spin_end"
	[ -n "$bpid" ] && kill -"$sig" "$bpid"
	end_bg "SIG$sig"
	check_eq "SIG$sig to bootscope --batch: killed by SIG$sig" "$brc" $((128 + $(kill -l "$sig")))
	check_match "SIG$sig to bootscope --batch: the report says interrupted" "$(cat "$tmp/SIG$sig.out")" '^== end: interrupted$'
	check "SIG$sig to bootscope --batch: within 3 s (took $ms ms)" test "$ms" -lt 3000
	check "SIG$sig to bootscope --batch: at most one line on stderr" test "$(printf '%s' "$err" | grep -c '')" -le 1
	check "SIG$sig to bootscope --batch: its QEMU (pid ${qpid:-?}) is gone" test -n "$qpid" -a ! -e "/proc/$qpid"
	check_clean "SIG$sig to bootscope --batch"
done
# The doctor the same.
for sig in QUIT USR1; do
	qmp_args "check-SIG$sig"
	start_bg "check-SIG$sig" --check --timeout 30 "${qmp[@]}" "$tmp/k/spin.elf"
	check_guest_in "SIG$sig to bootscope --check: before the signal, the kernel runs in its loop at spin" \
		"$tmp/check-SIG$sig.qmp" "$spin" "$spin_end"
	[ -n "$bpid" ] && kill -"$sig" "$bpid"
	end_bg "check-SIG$sig"
	check_eq "SIG$sig to bootscope --check: killed by SIG$sig" "$brc" $((128 + $(kill -l "$sig")))
	check "SIG$sig to bootscope --check: its QEMU (pid ${qpid:-?}) is gone" test -n "$qpid" -a ! -e "/proc/$qpid"
	check_clean "SIG$sig to bootscope --check"
done

# A kernel that traps at its first instruction, over and over: OpenSBI
# sends the illegal instruction back to stvec, which is the entry again.
bs 10 --batch --timeout 1 "$tmp/k/trap.elf"
check_eq "trap.elf --batch --timeout 1: exits 0" "$rc" 0
check_match "trap.elf --batch --timeout 1: the end says it still ran" "$out" '^== end: still running after 1(\.0)? s: stopped at 0x'
check_eq "trap.elf --batch --timeout 1: three stages" "$(grep -c '^== stage' "$tmp/bs.out")" 3
check "trap.elf --batch --timeout 1: within 5 s (took $ms ms)" test "$ms" -lt 5000
check_clean "trap.elf --batch"
bs 10 --check --timeout 1 "$tmp/k/trap.elf"
check_eq "trap.elf --check: exits 1 (a problem found)" "$rc" 1
check_match "trap.elf --check: says it traps, illegal instruction" "$out" '^trap: .*scause 0x2 \(illegal instruction\)'
check "trap.elf --check: within 5 s (took $ms ms)" test "$ms" -lt 5000
check_clean "trap.elf --check"

# ---- 3. 100 start/quit cycles ----------------------------------------------------
# --batch and --check in turn, on a kernel that never ends; each one starts
# a QEMU, walks, and stops it.
cycles=100 bad= t0=$(date +%s%N)
for ((i = 0; i < cycles; i++)); do
	if ((i % 4 == 3)); then
		bs 10 --check --timeout 0.2 "$tmp/k/spin.elf"
		want=1
	else
		bs 10 --batch --timeout 0.1 "$tmp/k/spin.elf"
		want=0
	fi
	[ "$rc" = "$want" ] || bad+="$i: status $rc ($err); "
done
ms=$((($(date +%s%N) - t0) / 1000000))
echo "# $cycles cycles took $ms ms, $((ms / cycles)) ms each"
check_eq "$cycles start/quit cycles: each one ends as it should" "$bad" ""
check "$cycles start/quit cycles: within 100 s (took $ms ms)" test "$ms" -lt 100000
check_clean "$cycles start/quit cycles"

check_done
