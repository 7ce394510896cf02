# Your gdb, our screen: bootscope --gdb-port and --gdb-socket serve a
# gdbstub for the user's own gdb-multiarch.  gdb reads the same machine
# through it as it reads from QEMU directly, everything a gdb session does
# prints the same both ways, the screen follows its stops, keys that would
# move the machine wait while it drives, a second gdb is turned away,
# Ctrl-C interrupts a running guest, and after `detach` the keys are the
# screen's again.
. "$TOP/tests/lib/check.sh"
. "$TOP/tests/lib/tui.sh"

bash "$TOP/tests/kernels/build.sh" "$files/k" >/dev/null || { not_ok "test kernels build"; check_done; }
sock=$files/gdb.sock

# qemu_up SOCKET: a paused QEMU of the test's own on SOCKET, with nothing
# of the test's output open (so that it cannot hold the runner's pipe) and
# a hard time-out; qemu_down kills it (the QEMU, not only its time-out).
qemu_up() {
	timeout -k 2 60 qemu-system-riscv64 -machine virt -nographic -monitor none -serial null -S \
		-gdb "unix:$1,server=on,wait=off" -bios default -kernel "$KERNEL" </dev/null >/dev/null 2>&1 &
	qbg=$!
	tui_wait_sock "$1" || not_ok "a QEMU of the test's own opened $1"
}
qemu_down() {
	pkill -KILL -P "$qbg" 2>/dev/null
	wait "$qbg" 2>/dev/null
}
# directly FUNC OUT: FUNC SOCKET OUT (a gdb run) on a QEMU of the test's own.
directly() {
	local sock=$files/direct.${2##*/}.sock
	qemu_up "$sock"
	"$1" "$sock" "$2"
	qemu_down
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# The same gdb commands, first against a QEMU of the test's own, then
# through bootscope: the registers at the three stage entries, and the pc
# after each of 100 stepi from the kernel's entry.
cat >"$files/walk.gdb" <<'EOF'
set pagination off
info registers pc sp a0 a1 priv
hbreak *0x80000000
continue
info registers pc sp a0 a1 a2 priv
hbreak *0x80200000
continue
info registers pc sp a0 a1 priv
python
for i in range(100):
    gdb.execute("stepi", to_string=True)
    print("step %d pc 0x%x" % (i, int(gdb.parse_and_eval("$pc")) & (2**64 - 1)))
end
EOF
regs() { grep -E '^(pc|sp|a0|a1|a2|priv) |^step ' "$1"; }

qemu_up "$files/direct.sock"
timeout -k 2 60 gdb-multiarch -batch -nx -ex "target remote $files/direct.sock" -x "$files/walk.gdb" \
	-ex detach "$KERNEL" >"$files/direct.out" 2>&1
qemu_down

tui_start 110x34 -- --gdb-socket="$sock" "$KERNEL"
check_screen "--gdb-socket: up" '^ pc 0x1000 '
check_eq "--gdb-socket: the socket is there, for the user only" "$(stat -c %a "$sock" 2>/dev/null)" 700
check_screen "--gdb-socket: the screen says what to give gdb" "for your gdb: target remote $sock"
check_screen "--gdb-socket: the lesson pane, the console: the screen as always" '^ console'
# gdb walks, then waits (a shell command polling for a file the test makes)
# so that the screen can be looked at while gdb is attached.
timeout -k 2 60 gdb-multiarch -batch -nx -ex "target remote $sock" -x "$files/walk.gdb" \
	-ex "shell echo walked >$files/walked; while [ ! -e $files/go ]; do sleep 0.05; done" \
	-ex 'stepi' -ex 'info registers pc' -ex detach "$KERNEL" >"$files/proxy.out" 2>&1 &
gdbpid=$!
tui_wait_file "$files/walked" 60 || not_ok "gdb through bootscope got through its walk"
check "gdb through bootscope: 3 stage entries and 100 steps read" \
	test "$(regs "$files/proxy.out" | wc -l)" -eq 116
check_eq "the registers at the three stage entries and the pc after each of 100 stepi equal QEMU's own" \
	"$(regs "$files/proxy.out")" "$(regs "$files/direct.out")"
last=$(awk '/^step 99 pc/ { print $4 }' "$files/proxy.out")
check_screen "the screen follows gdb: the pc of its last stepi" "^ pc $last "
check_screen "...and says gdb attached" 'gdb attached: it drives now'
check_screen "...and, in the key hints, who drives" ' gdb drives  \? help  q quit *$'
tui_keys s
check_screen "a key that moves the machine waits while gdb drives" '^ gdb is driving: detach it'
timeout -k 2 20 gdb-multiarch -batch -nx -ex "target remote $sock" -ex 'info registers pc' "$KERNEL" \
	>"$files/second.out" 2>&1
check_match "a second gdb is turned away, and told why" "$(cat "$files/second.out")" 'another gdb is attached to this bootscope'
touch "$files/go"
wait "$gdbpid"
check_eq "gdb ends well (exit 0)" "$?" 0
check_match "gdb's stepi after the wait moved on" "$(grep '^pc ' "$files/proxy.out" | tail -1)" '^pc +0x[0-9a-f]+'
check_screen "detach: the keys are the screen's again" 'gdb detached: the keys are yours again'
check_screen "...and the key hints no longer say gdb drives" 'yours again +\? help  q quit *$'
tui_keys s
check_screen "detach: s steps again" 'stepped 1 instruction'
tui_keys q
tui_exit_status
check_eq "q: exits 0" "$rc" 0
check "q: the socket is gone" test ! -e "$sock"
check_clean "gdb"

# The gdbscripts work through it unchanged: boot-walk prints the same
# through bootscope's TCP port (make trace-gdb + make gdb) as on QEMU
# directly.
walk() {	# SOCKET OUT
	timeout -k 2 60 gdb-multiarch -batch -nx -x "$TOP/gdbscripts/bootscope.gdb" -ex "target remote $1" \
		-ex boot-walk -ex detach "$KERNEL" 2>&1 |
		grep -Ev '^\[Inferior 1 \(process 1\) detached\]$|^Remote communication error' >"$2"
}
# (QEMU's own D lets the guest run to its power-off, and may close the
# connection before gdb has read the answer: detach's words are not the
# walk's.)
directly walk "$files/walk.direct"
port=$(free_port)
tui_start 110x34 -- --gdb-port="$port" "$KERNEL"
check_screen "boot-walk: up" '^ pc 0x1000 '
check_screen "--gdb-port: the screen says what to give gdb" "for your gdb: target remote 127.0.0.1:$port"
walk "127.0.0.1:$port" "$files/walk.proxy"
check_match "boot-walk directly: it walked the three stages" "$(cat "$files/walk.direct")" 'stage 3'
check_eq "boot-walk through bootscope prints the same as directly" "$(cat "$files/walk.proxy")" "$(cat "$files/walk.direct")"
check_screen "boot-walk: the screen followed it to the kernel" '^ pc 0x80200000 '
tui_keys q
tui_exit_status
check_eq "boot-walk, q: exits 0" "$rc" 0

# Everything else a gdb session does, the same through bootscope as on
# QEMU directly: CSRs and priv, x/i, hbreak, break, nexti, stepi N, memory
# and register writes, a watchpoint, a monitor command, disconnect and
# connecting again, kill; and target extended-remote.  Killed through
# bootscope, the machine is reset and the screen stays (QEMU directly
# ends), and what gdb prints is the same.
cat >"$files/all.gdb" <<'EOF'
set pagination off
set confirm off
info registers pc sp priv mstatus misa mtvec
x/4i $pc
hbreak *0x80000000
continue
info registers pc priv
delete
break *0x80200000
continue
info registers pc priv sstatus
nexti
stepi 3
info registers pc sp
x/8xb 0x80200000
set {int}0x80206000 = 0x12345678
x/wx 0x80206000
set $t0 = 0x1234
info registers t0
watch lines_printed
continue
info registers pc
delete
monitor info status
EOF
session() {	# REMOTE OUT
	timeout -k 2 60 gdb-multiarch -batch -nx -ex "target remote $1" -x "$files/all.gdb" -ex disconnect \
		-ex "target remote $1" -ex 'info registers pc' -ex kill "$KERNEL" >"$2" 2>&1
}
extended() {	# REMOTE OUT
	timeout -k 2 60 gdb-multiarch -batch -nx -ex "target extended-remote $1" -ex 'info registers pc' \
		-ex 'break *0x80200000' -ex 'break *0x80200004' -ex continue -ex 'info registers pc priv' \
		-ex continue -ex 'info registers pc' -ex kill -ex 'info registers pc' \
		"$KERNEL" >"$2" 2>&1
}
directly session "$files/all.direct"
directly extended "$files/ext.direct"
port=$(free_port)
tui_start 110x34 -- --gdb-port="$port" "$KERNEL"
check_screen "a whole gdb session: up" '^ pc 0x1000 '
session "127.0.0.1:$port" "$files/all.proxy"
check_match "a whole gdb session directly: the watchpoint fired" "$(cat "$files/all.direct")" 'New value = 1'
check_match "...the monitor answered" "$(cat "$files/all.direct")" 'VM status: paused'
check_match "...and kill ended it" "$(tail -1 "$files/all.direct")" 'killed\]$'
check_eq "a whole gdb session through bootscope prints the same as directly" \
	"$(cat "$files/all.proxy")" "$(cat "$files/all.direct")"
check_screen "kill through bootscope: the machine starts again at the reset vector" '^ pc 0x1000 '
check_screen "...and the screen stays, the keys the user's" 'gdb went away: the keys are yours again'
extended "127.0.0.1:$port" "$files/ext.proxy"
check_match "target extended-remote directly: the breakpoint at the kernel's entry" "$(cat "$files/ext.direct")" '^pc +0x80200000'
# The second breakpoint is one instruction after the first: the step off
# the first lands on it, which is a stop, not a place to run on from.
check_match "...and the next one, right after it" "$(grep '^pc ' "$files/ext.proxy" | sed -n 3p)" '^pc +0x80200004'
check_eq "target extended-remote through bootscope prints the same as directly" \
	"$(cat "$files/ext.proxy")" "$(cat "$files/ext.direct")"
tui_keys s
check_screen "after both: s steps on the screen again" 'stepped 1 instruction'
tui_keys q
tui_exit_status
check_eq "a whole gdb session, q: exits 0" "$rc" 0
check_clean "gdb, a whole session"

# A port that is taken: said in one line before QEMU starts.
python3 -c 'import socket, time; s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
print(s.getsockname()[1], flush=True); time.sleep(60)' >"$files/held" </dev/null &
holder=$!
tui_wait_file "$files/held" 10 || not_ok "a listener of the test's own holds a port"
port=$(cat "$files/held")
tui_start 110x34 -- --gdb-port="$port" "$KERNEL"
tui_exit_status
check_eq "--gdb-port on a port that is taken: exit 1" "$rc" 1
check_eq "...says so in one line" "$(cat "$files/bs.err")" \
	"bootscope: port $port on 127.0.0.1 is already in use: pick another with --gdb-port=PORT or stop what holds it"
check_clean "--gdb-port taken"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null

# Ctrl-C from gdb's side (0x03) stops a guest that runs forever.
tui_start 110x34 -- --gdb-socket="$sock" "$files/k/spin.elf"
check_screen "spin: up" '^ pc 0x1000 '
out=$(timeout -k 2 20 python3 "$TOP/tests/lib/rsp_probe.py" "$sock" 'qSupported:multiprocess+' '!send c' '!quiet' '!intr' 'g' 2>&1)
check_match "0x03 through bootscope stops the running guest (a stop reply)" "$(printf '%s\n' "$out" | sed -n 4p)" '^T02'
check_match "...and its registers are read after" "$(printf '%s\n' "$out" | sed -n 5p)" '^[0-9a-f]{64}'
check_screen "spin: gdb went away, the keys are the screen's" 'gdb went away: the keys are yours again'
tui_keys q
tui_exit_status
check_eq "spin, q: exits 0" "$rc" 0
check_clean "gdb, spin"

# No path: a socket in a new directory only the user can enter, named on
# the screen, and gone at the end.
tui_start 110x34 -- --gdb-socket "$KERNEL"
check_screen "--gdb-socket alone: names its socket" 'for your gdb: target remote /.*/bootscope-gdb\.[A-Za-z0-9]{6}/gdb\.sock'
path=$(tui_screen | grep -o 'target remote /[^ ]*' | head -1 | cut -d' ' -f3)
check_eq "--gdb-socket alone: its directory is the user's only" "$(stat -c %a "$(dirname "$path")" 2>/dev/null)" 700
out=$(timeout -k 2 20 gdb-multiarch -batch -nx -ex "target remote $path" -ex 'info registers pc' -ex detach "$KERNEL" 2>&1)
check_match "--gdb-socket alone: gdb reads the pc through it" "$out" '^pc +0x1000'
tui_keys q
tui_exit_status
check_eq "--gdb-socket alone, q: exits 0" "$rc" 0
check "--gdb-socket alone, q: its directory is gone" test ! -e "$(dirname "$path")"

# Bad uses: one line each.
touch "$files/taken"
tui_start 110x34 -- --gdb-socket="$files/taken" "$KERNEL"
tui_exit_status
check_eq "--gdb-socket on a path that is taken: exit 1" "$rc" 1
check_match "...says so in one line" "$(cat "$files/bs.err")" "^bootscope: --gdb-socket $files/taken: something is there already"
out=$(timeout -k 2 10 "$BOOTSCOPE" --batch --gdb-socket "$KERNEL" 2>&1); rc=$?
check_eq "--gdb-socket with --batch: exit 2" "$rc" 2
check_match "...says why" "$out" '^bootscope: --gdb-socket is for the screen'

# Faults from gdb's side, with the real QEMU behind: garbage and a packet
# too big to keep get answers and the next request works; a gdb that
# goes away while the guest runs for it leaves the screen in charge; and
# a QEMU that dies under a waiting gdb ends bootscope cleanly.
tui_start 110x34 -- --gdb-socket="$sock" "$files/k/spin.elf"
check_screen "faults: up" '^ pc 0x1000 '
big=$(head -c 20000 /dev/zero | tr '\0' 'a')
out=$(timeout -k 2 20 python3 "$TOP/tests/lib/rsp_probe.py" "$sock" '!raw junk\x01\x02' "m$big" 'qC' 'p20' 2>&1)
check_match "garbage between packets: skipped, nothing answered" "$(printf '%s\n' "$out" | sed -n 1p)" '^$'
check_eq "a packet too big to keep: an error (E01)" "$(printf '%s\n' "$out" | sed -n 2p)" 'E01'
check_match "...and the next requests are answered" "$(printf '%s\n' "$out" | sed -n 3,4p | tr '\n' ' ')" '^QCp?0?1(\.0?1)? 0010000000000000 $'
# (The probe is its own process, bounded by its --limit, so that killing
# it is killing the client.)
python3 "$TOP/tests/lib/rsp_probe.py" --timeout 15 --limit 20 "$sock" 'qSupported:multiprocess+' '!send c' '!wait' \
	>/dev/null 2>&1 &
probe=$!
check_screen "a gdb's run: the guest runs" ' running'
kill -KILL "$probe"
wait "$probe" 2>/dev/null
check_screen "gdb killed while the guest ran for it: the screen says so" 'gdb went away: the keys are yours again'
check_screen "...and shows the guest still running" ' running'
tui_keys C-c
check_screen "...which Ctrl-C on the screen stops" ' mode insn [0-9]+ *$'
python3 "$TOP/tests/lib/rsp_probe.py" --timeout 10 --limit 20 "$sock" 'qSupported:multiprocess+' '!send c' '!wait' \
	>"$files/dying.out" 2>&1 &
probe=$!
check_screen "a gdb's run: the screen shows the guest running" ' running'
kill -KILL $(tui_qemus) 2>/dev/null
tui_exit_status
check_eq "QEMU killed under a waiting gdb: bootscope ends with 1" "$rc" 1
check_match "...saying what happened" "$(cat "$files/bs.err")" '^bootscope: QEMU was killed by signal 9'
wait "$probe"
check_match "...and gdb's connection is closed, not left hanging" "$(sed -n 3p "$files/dying.out")" '^(closed|W00|X)'
check_clean "gdb, faults"

# --attach with --gdb-socket: the user's QEMU, bootscope and gdb on it.
qemu_up "$files/users.sock"
tui_start 110x34 -- --attach "unix:$files/users.sock" --gdb-socket="$sock" "$KERNEL"
check_screen "attach + gdb-socket: up" '^ pc 0x1000 '
out=$(timeout -k 2 30 gdb-multiarch -batch -nx -ex "target remote $sock" -ex 'hbreak *0x80200000' -ex continue \
	-ex 'info registers pc priv' -ex detach "$KERNEL" 2>&1)
check_match "attach + gdb-socket: gdb's breakpoint at the kernel's entry is hit" "$out" '^pc +0x80200000'
check_screen "attach + gdb-socket: the screen followed" '^ pc 0x80200000 '
tui_keys q
tui_exit_status
check_eq "attach + gdb-socket, q: exits 0" "$rc" 0
check "attach + gdb-socket: the user's QEMU is still running afterwards" pgrep -P "$qbg" -f users.sock
qemu_down
check_clean "gdb, attach"
