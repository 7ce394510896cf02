# How bootscope ends, and that it always leaves the terminal as it found it
# and no QEMU behind: q, QEMU killed from outside, SIGTERM, SIGHUP, and
# Ctrl-C -- which stops a running guest, and quits when pressed twice.
. "$TOP/tests/lib/check.sh"
. "$TOP/tests/lib/tui.sh"

# q: status 0.
tui_start 100x30
check_screen "q: bootscope is up" '^ pc 0x1000 '
check "q: bootscope started a QEMU in the test's directory" test -n "$(tui_qemus)"
tui_keys q
tui_exit_status
check_eq "q: bootscope exits 0" "$rc" 0
check_screen "q: EXIT=0 printed at column 0 in the pane" '^EXIT=0$'
check_eq "q: nothing on stderr" "$(cat "$files/bs.err")" ""
check_restored "q"
check_clean "q"

# QEMU killed from outside: one line about QEMU, a failure status.
tui_start 100x30
check_screen "QEMU killed: bootscope is up" '^ pc 0x1000 '
qpids=$(tui_qemus)
check_eq "QEMU killed: exactly one QEMU of this test runs" "$(printf '%s\n' "$qpids" | grep -c .)" 1
kill -KILL $qpids
tui_exit_status
check "QEMU killed: bootscope exits non-zero (got '$rc')" test -n "$rc" -a "$rc" != 0
err=$(cat "$files/bs.err")
check_eq "QEMU killed: one line on stderr" "$(printf '%s\n' "$err" | grep -c .)" 1
check_match "QEMU killed: the line names the signal and what to do" "$err" \
	'^bootscope: QEMU was killed by signal 9 \(Killed\); killed from outside, .*: start again$'
check_restored "QEMU killed"
check_clean "QEMU killed"

# SIGTERM and SIGHUP to bootscope: it undoes everything, then ends by the
# signal (signals.sh has the others).
for sig in TERM HUP; do
	tui_start 100x30
	check_screen "SIG$sig: bootscope is up" '^ pc 0x1000 '
	kill -"$sig" "$bs_pid"
	tui_exit_status
	check_eq "SIG$sig: bootscope ends by SIG$sig, after its cleanup" "$rc" $((128 + $(kill -l "$sig")))
	check "SIG$sig: at most one line on stderr" test "$(grep -c . "$files/bs.err")" -le 1
	check_restored "SIG$sig"
	check_clean "SIG$sig"
done

# Ctrl-C while a kernel that never ends runs: the guest stops, the screen
# says so and keeps working.
build_spin "$files/spin.elf"
tui_start 100x30 -- "$files/spin.elf"
check_screen "spin: stage 3 is at 0x80200000" '3 kernel 0x80200000 '
tui_keys c
check_screen "spin, c: the status line says it runs" '^ running'
check_screen "spin, c: the stage bar says running" ' mode running *$'
# OpenSBI's last banner line comes just before it jumps to the kernel.
check_screen "spin, c: OpenSBI's banner reaches the console" '^Boot HART MEDELEG'
tui_keys C-c
check_screen "spin, Ctrl-C: the status line says interrupted" '^ interrupted'
check_screen_not "spin, Ctrl-C: no longer running" ' mode running *$'
check_screen "spin, Ctrl-C: the guest is in its loop at _start" \
	'^ pc 0x80200000 .*_start'
check_screen "spin, Ctrl-C: S mode" '^ 1 reset.* S mode( insn [0-9]+)? *$'
check_screen "spin, Ctrl-C: ▶ on the loop" '▶80200000 j 0x80200000'
tui_keys s
check_screen "spin, s after Ctrl-C: the screen still works" '^ stepped 1 instruction'
check "spin: bootscope still runs" kill -0 "$bs_pid"

# Ctrl-C while stopped: a hint, and a second one quits.
tui_keys C-c
check_screen "Ctrl-C while stopped: a hint that a second one quits" 'Ctrl-C again'
tui_keys C-c
tui_exit_status
check_eq "Ctrl-C twice: bootscope exits 0" "$rc" 0
check_restored "Ctrl-C twice"
check_clean "Ctrl-C twice"

# A long counted step runs in chunks, and ends saying how many it took in
# all, not how many the last chunk took: from the reset vector 1000 steps
# go through stage 1 into OpenSBI, and no breakpoint ends them early.
tui_start 100x30 -- "$files/spin.elf"
check_screen "1000s: bootscope is up" '^ pc 0x1000 '
tui_type 1000
tui_keys s
check_screen "1000s: the status says all 1000 steps" '^ stepped 1000 instructions[ ;]'
check_screen "1000s: they are counted in stages 1 and 2" ' 1 reset 0x1000 \[6\] .* 2 firmware 0x80000000 \[994\] '
tui_keys q
tui_exit_status
check_eq "1000s: q exits 0" "$rc" 0

# Ctrl-C during a long counted step (100000s takes about half a minute at
# a few thousand steps a second): it stops, and the screen answers.
tui_start 100x30 -- "$files/spin.elf"
check_screen "100000s: bootscope is up" '^ pc 0x1000 '
tui_type 100000
check_screen "100000s: the count shows on the status line" '^ 100000 '
tui_keys s
# The step runs in chunks between looks at the keyboard, and the status
# line counts down what is left: once it shows fewer than 100000 to go, a
# chunk has run and the step is under way -- then Ctrl-C.
check_screen "100000s, s: the step is under way (the status line counts down)" \
	'^ stepping: [0-9]{1,5} to go '
tui_keys C-c
if tui_wait '^ (interrupted|stepped [0-9]{1,5} instructions?( |$))'; then
	ok "100000s, Ctrl-C: stops within seconds (interrupted, or fewer steps taken)"
	tui_keys q
	tui_exit_status
	check_eq "100000s: q exits 0" "$rc" 0
	check_clean "100000s"
else
	not_ok "100000s, Ctrl-C: does not stop it within $TUI_WAIT s (the screen is frozen):"
	show_screen
	tui_stop	# SIGKILL: its socket directory stays, and goes with $tmp
fi
check_done
