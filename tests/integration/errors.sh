# bootscope --batch on bad input: for each, one line on stderr that names
# the problem (and what to do), the right exit status (2 usage, 1 run time),
# no hang, and nothing left behind: no QEMU, no socket directory.
. "$TOP/tests/lib/check.sh"
. "$TOP/tests/lib/engine.sh"
cd "$TOP" || exit 1

# expect NAME STATUS REGEX MAX_MS ARGS...: run bootscope ARGS, which must
# fail with STATUS within MAX_MS, saying one line that matches REGEX.
expect() {
	local name=$1 want=$2 re=$3 max=$4
	shift 4
	bs $((max / 1000 + 5)) "$@"
	check_eq "$name: exit status $want" "$rc" "$want"
	check_eq "$name: one line on stderr" "$(grep -c '' "$tmp/bs.err")" 1
	check_match "$name: the message" "$err" "^bootscope: .*$re"
	check_eq "$name: nothing on stdout" "$out" ""
	check "$name: gives up within $max ms (took $ms ms)" test "$ms" -lt "$max"
	check_clean "$name"
}

# ---- usage errors: status 2 ------------------------------------------------
expect "unknown option" 2 'unknown option "--bogus".*--help' 3000 --batch --bogus "$KERNEL"
expect "unknown short option" 2 'unknown option "-x".*--help' 3000 --batch -x "$KERNEL"
expect "--timeout abc" 2 '--timeout wants seconds.*not "abc"' 3000 --batch --timeout abc "$KERNEL"
expect "--timeout without a value" 2 '--timeout needs a value' 3000 --batch --timeout
expect "--timeout 0" 2 '--timeout wants seconds' 3000 --batch --timeout 0 "$KERNEL"
# strtod() takes these; (int)(nan * 1000) would be undefined behaviour.
for t in nan -nan inf 1e-9 0.0005 86401; do
	expect "--timeout $t" 2 "--timeout wants seconds.*not \"$t\"" 3000 --batch --timeout "$t" "$KERNEL"
done
for t in nan 0 abc; do
	expect "--reply-timeout $t" 2 "--reply-timeout wants seconds.*not \"$t\"" 3000 --batch --reply-timeout "$t" "$KERNEL"
done
expect "two kernels" 2 'one kernel at a time.*--help' 3000 --batch "$KERNEL" "$KERNEL"
expect "--gdb-port with --batch" 2 '--gdb-port is for the screen: gdb drives, the screen follows' 3000 \
	--batch --gdb-port=26000 "$KERNEL"
expect "--gdb-port and --gdb-socket" 2 '--gdb-port or --gdb-socket: choose one' 3000 --gdb-port --gdb-socket "$KERNEL"
expect "--gdb-port=0" 2 '--gdb-port wants a port number from 1 to 65535, not "0"' 3000 --gdb-port=0 "$KERNEL"
# Options that shape the QEMU bootscope starts mean nothing with --attach.
expect "--attach with --qemu" 2 '--qemu is for a QEMU that bootscope starts' 3000 --batch --attach 127.0.0.1:1 --qemu /bin/true
expect "--attach with --smp" 2 '--smp is for a QEMU that bootscope starts' 3000 --batch --attach 127.0.0.1:1 --smp 2
for n in 0 9 two; do
	expect "--smp $n" 2 "--smp wants a number of harts from 1 to 8, not \"$n\"" 3000 --batch --smp "$n" "$KERNEL"
done
expect "--attach with --qemu-arg" 2 '--qemu-arg is for a QEMU that bootscope starts' 3000 \
	--batch --attach 127.0.0.1:1 --qemu-arg -m --qemu-arg 256M
expect "--json without --batch" 2 '--json goes with --batch' 3000 --json "$KERNEL"

# ---- kernels that are no kernels: status 1, before QEMU starts -------------------
mkdir "$tmp/kdir"
: >"$tmp/empty.elf"
check "rv32.elf builds" build_spin rv32.elf rv32i ilp32
expect "missing kernel" 1 "$tmp/nope\.elf.*(No such file|not found).*: .*give" 3000 --batch "$tmp/nope.elf"
expect "a directory" 1 "$tmp/kdir.*[Ii]s a directory.*: give" 3000 --batch "$tmp/kdir"
expect "an empty file" 1 "$tmp/empty\.elf is empty" 3000 --batch "$tmp/empty.elf"
expect "/bin/ls" 1 '/bin/ls is an ELF, and the pc board boots from a disk: give a disk image' 3000 --batch /bin/ls
expect "a 32-bit RISC-V ELF" 1 "rv32\.elf is a 32-bit RISC-V ELF.*rv64" 3000 --batch "$tmp/rv32.elf"
# A raw image larger than the machine's RAM is refused by its size, unread
# (sparse: 4 GiB of nothing, which reading would take many seconds).
truncate -s 4G "$tmp/huge.bin"
expect "a 4 GiB raw image" 1 "$tmp/huge\.bin is 4096 MiB, more than the machine's 128 MiB of RAM: is it the right file\? .*-m" 1000 \
	--batch "$tmp/huge.bin"
rm -f "$tmp/huge.bin"
expect "a missing --bios-symbols file" 1 "/nonexistent\.elf: No such file or directory: --bios-symbols wants the firmware's ELF" 3000 \
	--batch --bios-symbols /nonexistent.elf "$KERNEL"
# A kernel the user may not read: the message names the permission.  As
# root every file is readable, so the run is as nobody.
cp "$KERNEL" "$tmp/secret.elf"
chmod 600 "$tmp/secret.elf"
chmod 711 "$tmp"
asuser=()
[ "$(id -u)" = 0 ] && asuser=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
"${asuser[@]}" "$BOOTSCOPE" --batch "$tmp/secret.elf" >"$tmp/bs.out" 2>"$tmp/secret.err" </dev/null
check_eq "an unreadable kernel: exit status 1" "$?" 1
check_eq "an unreadable kernel: the message names the permission and the fix" "$(cat "$tmp/secret.err")" \
	"bootscope: $tmp/secret.elf cannot be read: permission denied: make it readable (chmod u+r), or give a copy you can read"
chmod 700 "$tmp"

# ---- a FIFO where a file is expected: refused at once, never opened ---------
# open() of a FIFO waits for a writer, and nobody writes to this one; a
# device or a socket is no file either.
mkfifo "$tmp/fifo"
fifo_fix='FIFO, not a file: '
expect "a FIFO as the kernel" 1 "$tmp/fifo is a ${fifo_fix}give the path of a kernel ELF" 3000 --batch "$tmp/fifo"
expect "a character device as the kernel" 1 "/dev/null is a character device, not a file: give" 3000 --batch /dev/null
expect "a FIFO as --symbols" 1 "$tmp/fifo is a ${fifo_fix}--symbols wants the kernel's ELF" 3000 \
	--batch "$TOP/build/os.bin" --symbols "$tmp/fifo"
expect "a FIFO as --bios" 1 "$tmp/fifo is a ${fifo_fix}--bios wants default, none, or a firmware file" 3000 \
	--batch --bios "$tmp/fifo" "$KERNEL"
expect "a FIFO as --bios-symbols" 1 "$tmp/fifo is a ${fifo_fix}--bios-symbols wants the firmware's ELF" 3000 \
	--batch --bios-symbols "$tmp/fifo" "$KERNEL"
bs 8 --check "$tmp/fifo"
check_eq "--check of a FIFO: exit status 1" "$rc" 1
check_match "--check of a FIFO: the finding" "$out" "^file: $tmp/fifo is a FIFO, not a file"
check "--check of a FIFO: gives up within 3000 ms (took $ms ms)" test "$ms" -lt 3000
check_clean "--check of a FIFO"
bs 8 --check --bios "$tmp/fifo" "$KERNEL"
check_eq "--check --bios FIFO: exit status 1" "$rc" 1
check_match "--check --bios FIFO: the finding" "$out" "$tmp/fifo is a FIFO, not a file"
check "--check --bios FIFO: gives up within 3000 ms (took $ms ms)" test "$ms" -lt 3000
check_clean "--check --bios FIFO"

# --lessons FIFO: the screen starts as with a missing lessons file, and
# its lesson pane says why there are none.  The screen needs a terminal:
# a pty of our own, 100x30, then q.
bs_pty() {
	local t0
	t0=$(date +%s%N)
	timeout -k 2 20 python3 - "$BOOTSCOPE" "$@" >"$tmp/pty.out" 2>&1 <<'PY'
import fcntl, os, pty, select, struct, sys, termios, time
pid, fd = pty.fork()
if pid == 0:
    os.environ["TERM"] = "xterm"
    os.execv(sys.argv[1], sys.argv[1:])
done = 0
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
seen, end, sent = b"", time.time() + 8, False
while time.time() < end:
    r, _, _ = select.select([fd], [], [], 0.1)
    try:
        chunk = os.read(fd, 65536) if r else b""
    except OSError:	# EIO: bootscope has gone, and the pty with it
        chunk = None
    if chunk:
        seen += chunk
    if not sent and b"No lessons" in seen and b"FIFO" in seen:
        os.write(fd, b"q")
        sent = True
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        break
    if chunk is None:
        time.sleep(0.02)
print("screen:", "lessons note" if sent else "no lessons note")
if done:
    print("exit:", os.waitstatus_to_exitcode(status))
else:
    print("exit: still running")
    os.kill(pid, 9)
PY
	ms=$((($(date +%s%N) - t0) / 1000000))
	out=$(cat "$tmp/pty.out")
}

bs_pty --lessons "$tmp/fifo" "$KERNEL"
check_match "--lessons FIFO: the lesson pane says there are none, and why" "$out" '^screen: lessons note$'
check_match "--lessons FIFO: q exits 0" "$out" '^exit: 0$'
check "--lessons FIFO: within 10 s (took $ms ms)" test "$ms" -lt 10000
check_clean "--lessons FIFO"

# ---- a report that cannot be written: status 1, and it says so ------------
# unwritten NAME HOW WHAT ARGS...: bootscope ARGS with stdout on /dev/full
# (HOW full) or closed (HOW closed) must fail, saying it cannot write WHAT.
unwritten() {
	local name=$1 how=$2 what=$3 t0 why
	shift 3
	t0=$(date +%s%N)
	if [ "$how" = full ]; then
		timeout -k 2 30 "$BOOTSCOPE" "$@" >/dev/full 2>"$tmp/bs.err" </dev/null
		rc=$? why='No space left on device'
	else
		timeout -k 2 30 "$BOOTSCOPE" "$@" >&- 2>"$tmp/bs.err" </dev/null
		rc=$? why='Bad file descriptor'
	fi
	ms=$((($(date +%s%N) - t0) / 1000000))
	err=$(cat "$tmp/bs.err")
	check_eq "$name: exit status 1" "$rc" 1
	check_eq "$name: one line on stderr" "$(grep -c '' "$tmp/bs.err")" 1
	check_match "$name: the message" "$err" "^bootscope: cannot write $what: $why\$"
	check_clean "$name"
}
unwritten "--batch > /dev/full" full "the report" --batch "$KERNEL"
unwritten "--batch --json > /dev/full" full "the report" --batch --json "$KERNEL"
unwritten "--batch >&-" closed "the report" --batch "$KERNEL"
check "--batch >&-: gives up before starting QEMU (took $ms ms)" test "$ms" -lt 1000
unwritten "--check --json > /dev/full" full "the report" --check --json "$KERNEL"
unwritten "--check >&-" closed "the report" --check "$KERNEL"
unwritten "--help > /dev/full" full "the help" --help
unwritten "--help >&-" closed "the help" --help
unwritten "--version > /dev/full" full "the version" --version
unwritten "-V >&-" closed "the version" -V

# ---- QEMU that cannot start, dies, or never opens its socket --------------------------
expect "--qemu /nonexistent/qemu" 1 '/nonexistent/qemu not found: install .*apt-get install qemu-system-misc' 3000 \
	--batch --qemu /nonexistent/qemu "$KERNEL"
# QEMU's own words: "qemu-system-riscv64: -bogus: invalid option".
expect "QEMU exits at once (--qemu-arg -bogus)" 1 'QEMU exited at start: .*-bogus: invalid option' 3000 \
	--batch --qemu-arg -bogus "$KERNEL"

# A "QEMU" that starts and never opens the socket; it runs its sleep as a
# child, the way a wrapper script runs the real QEMU, so both must go.
cat >"$tmp/sleepy-qemu" <<EOF
#!/bin/sh
echo \$\$ >"$tmp/sleepy-qemu.pid"
sleep 30 &
echo \$! >"$tmp/sleepy-sleep.pid"
wait
EOF
chmod +x "$tmp/sleepy-qemu"
expect "a QEMU that never opens its socket" 1 'did not open its gdbstub .* within 5000 ms, so bootscope stopped it' 9000 \
	--batch --qemu "$tmp/sleepy-qemu" "$KERNEL"
check "that QEMU ran until bootscope gave up (~5 s, took $ms ms)" test "$ms" -ge 4500
# alive PID: it runs (a zombie waiting for init to reap it does not).
alive() { [ -n "$(ps -o stat= -p "$1" 2>/dev/null | grep -v '^Z')" ]; }
gone() { ! alive "$1"; }
fq=$(cat "$tmp/sleepy-qemu.pid" 2>/dev/null) fs=$(cat "$tmp/sleepy-sleep.pid" 2>/dev/null)
check "the sleepy QEMU and its sleep started" test -n "$fq" -a -n "$fs"
if [ -n "$fq" ] && [ -n "$fs" ]; then
	for ((n = 0; n < 50; n++)); do	# a killed process may take a moment to go
		alive "$fq" || alive "$fs" || break
		sleep 0.02
	done
	check "the sleepy QEMU (pid $fq) is gone" gone "$fq"
	check "its child, the sleep (pid $fs), is gone too" gone "$fs"
	alive "$fs" && kill -KILL "$fs"
fi

# ---- gdbstubs that are not there, or not right ------------------------------------
expect "--attach to nothing" 1 'cannot connect to the gdbstub at unix:/nonexistent\.sock: No such file or directory.*-gdb' 3000 \
	--batch --attach unix:/nonexistent.sock
expect "--attach to a closed TCP port" 1 'connect.*127\.0\.0\.1:1.*(refused|nothing listens)' 3000 \
	--batch --attach 127.0.0.1:1
expect "--attach to port 99999" 1 'port 99999 in localhost:99999 is out of range: TCP ports go from 1 to 65535' 3000 \
	--batch --attach localhost:99999

# fake NAME MODE: a fake stub of ours at $tmp/NAME.sock.
fake() {
	bg 30 python3 "$TOP/tests/lib/fakestub.py" "$2" "$tmp/$1.sock" 25
	check "fake stub '$2' is listening" wait_for_file "$tmp/$1.sock"
}
fake silent silent
expect "--attach to a stub that never answers" 1 'did not answer within [0-9]+ ms: is it a QEMU gdbstub' 6000 \
	--batch --attach "unix:$tmp/silent.sock"
check_match "bootscope asked it something first (qSupported)" "$(cat "$tmp/silent.sock.log" 2>/dev/null)" '^\$qSupported'
fake garbage garbage
expect "--attach to a stub that sends only garbage" 1 'gdbstub.*: is it a QEMU gdbstub' 6000 \
	--batch --attach "unix:$tmp/garbage.sock"
fake junkpkt junkpkt
expect "--attach to a stub that answers nonsense packets" 1 'offers no target description.*is it QEMU' 3000 \
	--batch --attach "unix:$tmp/junkpkt.sock"
fake badsum badsum
expect "--attach to a stub whose checksums are wrong" 1 'damaged packets.*is .* a QEMU gdbstub' 3000 \
	--batch --attach "unix:$tmp/badsum.sock"
fake close close
expect "--attach to a stub that hangs up at once" 1 'closed the connection.*is .* a QEMU gdbstub' 3000 \
	--batch --attach "unix:$tmp/close.sock"

check_done
