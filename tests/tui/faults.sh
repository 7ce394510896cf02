# Faults while the screen is up: QEMU killed with SIGKILL while the guest
# runs, SIGTERM, SIGHUP and SIGINT sent to bootscope from outside (while the
# guest runs, and while it is stopped), and a fake QEMU that falls silent,
# hangs up in the middle of a reply, or sends a packet over 16 KiB.  Each
# time: bootscope ends (or says what happened and goes on until q), with at
# most one line on stderr, the terminal as it was, and no QEMU or socket
# directory left.  (lifecycle.sh does the same for a guest paused at the
# reset vector; here the guest runs.)
. "$TOP/tests/lib/check.sh"
. "$TOP/tests/lib/tui.sh"

stub_pid=
stub_stop() {
	[ -n "$stub_pid" ] && kill -KILL "$stub_pid" 2>/dev/null && wait "$stub_pid" 2>/dev/null
	stub_pid=
}
trap 'stub_stop; tui_cleanup' EXIT

build_spin "$files/spin.elf"

# up_and_running NAME: bootscope on spin.elf, then c: the guest runs.
up_and_running() {
	tui_start 100x30 -- "$files/spin.elf"
	check_screen "$1: bootscope is up" '^ pc 0x1000 '
	tui_keys c
	check_screen "$1: c, and the guest runs" '^ running'
}

# ended NAME: bootscope ended with at most one line on stderr, and undid
# everything.
ended() {
	check "$1: bootscope ended (status '${rc:-none}')" test -n "$rc"
	check "$1: at most one line on stderr" test "$(grep -c '' "$files/bs.err")" -le 1
	check_restored "$1"
	check_clean "$1"
}

# ---- QEMU dies under a running guest ------------------------------------
up_and_running "QEMU SIGKILLed"
qpids=$(tui_qemus)
check_eq "QEMU SIGKILLed: one QEMU of this test runs" "$(printf '%s\n' "$qpids" | grep -c .)" 1
kill -KILL $qpids
tui_exit_status
check "QEMU SIGKILLed: bootscope exits non-zero (got '$rc')" test -n "$rc" -a "$rc" != 0
check_match "QEMU SIGKILLed: its line names QEMU's death" "$(cat "$files/bs.err")" '^bootscope: .*QEMU .*(killed|signal 9)'
ended "QEMU SIGKILLed"

# ---- signals from outside while the guest runs ------------------------------
for sig in TERM HUP; do
	up_and_running "SIG$sig, running"
	kill -"$sig" "$bs_pid"
	tui_exit_status
	check "SIG$sig, running: bootscope exits non-zero (got '$rc')" test -n "$rc" -a "$rc" != 0
	ended "SIG$sig, running"
done

# SIGINT is Ctrl-C: the first stops the running guest, the screen goes on;
# then two in a row quit.
up_and_running "SIGINT, running"
kill -INT "$bs_pid"
check_screen "SIGINT, running: the guest is interrupted" '^ interrupted'
check "SIGINT, running: bootscope still runs" kill -0 "$bs_pid"
kill -INT "$bs_pid"
check_screen "SIGINT, stopped: a hint that a second one quits" 'Ctrl-C again'
kill -INT "$bs_pid"
tui_exit_status
check_eq "SIGINT twice, stopped: bootscope exits 0, as q does" "$rc" 0
ended "SIGINT twice"

# ---- a fake QEMU that goes wrong at the first step --------------------------
# attached NAME FAULT: bootscope --attach to a fake QEMU that injects FAULT
# into its reply to the first s; then s.
attached() {
	stub_stop
	rm -f "$files/stub.sock"*
	python3 "$TOP/tests/lib/fakestub.py" qemu "$files/stub.sock" 60 --fault "$2" --on s &
	stub_pid=$!
	tui_wait_sock "$files/stub.sock" || not_ok "$1: the fake QEMU did not start listening on $files/stub.sock"
	tui_start 100x30 -- --attach "unix:$files/stub.sock"
	check_screen "$1: bootscope is up on the fake QEMU" '^ pc 0x1000 '
	tui_keys s
}

# quits NAME: q ends it at once (nothing more is asked of a broken stub).
quits() {
	local t0=$(date +%s%N)
	tui_keys q
	tui_exit_status
	check_eq "$1: q exits 0" "$rc" 0
	check "$1: q ends it within 1 s (took $((($(date +%s%N) - t0) / 1000000)) ms)" \
		test $((($(date +%s%N) - t0) / 1000000)) -lt 1000
	ended "$1"
}

attached "stub silent" silent
check_screen "stub silent: after 3 s the status line says it did not answer" 'did not answer within 3000 ms' 6
check "stub silent: bootscope still runs" kill -0 "$bs_pid"
tui_keys s
check_screen "stub silent: s again fails at once, saying why" 'stopped answering properly earlier' 1
quits "stub silent"

# While a reply is awaited the screen answers: the status line counts the
# wait, a resize redraws, and q quits -- all well before the 3 s time-out.
attached "stub silent, q" silent
check_screen "stub silent: the status line says it waits, and how to give up" \
	'waiting for the gdbstub: [0-9.]+ s of 3\.0 s \(q or Ctrl-C gives up\)' 2
tui resize-window -t t -x 60 -y 20
check_screen "stub silent: a resize while waiting redraws at once (too small now)" 'terminal is 60x20' 1
tui resize-window -t t -x 100 -y 30
check_screen "stub silent: back to 100x30 while waiting" '^ pc 0x1000 ' 1
quits "stub silent, q while waiting"

# Ctrl-C gives the wait up; the gdbstub is not asked anything more.
attached "stub silent, Ctrl-C" silent
check_screen "stub silent, Ctrl-C: waiting" 'waiting for the gdbstub' 2
tui_keys C-c
check_screen "stub silent, Ctrl-C: gave up at once" 'gave up waiting for the gdbstub at unix:.* after [0-9]+ ms' 1
check "stub silent, Ctrl-C: bootscope still runs" kill -0 "$bs_pid"
tui_keys s
check_screen "stub silent, Ctrl-C: s then fails at once, saying why" 'stopped answering properly earlier' 1
quits "stub silent, Ctrl-C"

# A connection that breaks in the middle of a reply is lost: like a QEMU
# that died, bootscope ends with one line that says so.
attached "stub closes mid-reply" close
tui_exit_status
check_eq "stub closes mid-reply: bootscope exits 1" "$rc" 1
check_match "stub closes mid-reply: the line says the connection broke" "$(cat "$files/bs.err")" \
	'^bootscope: the connection to the gdbstub at unix:.* broke in the middle of a packet'
ended "stub closes mid-reply"

attached "stub sends 20000 bytes" oversize
check_screen "stub sends 20000 bytes: the status line says larger than 16384 bytes" 'larger than 16384 bytes' 3
quits "stub sends 20000 bytes"

stub_stop
check_done
