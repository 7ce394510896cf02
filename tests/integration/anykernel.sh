# Other people's kernels: stages that follow the machine, the layout doctor
# on kernels that go wrong in known ways, the seeds' raw-image path, and
# attach mode against a QEMU the test started itself.
. "$TOP/tests/lib/check.sh"
. "$TOP/tests/lib/engine.sh"

k=$tmp/kernels
bash "$TOP/tests/kernels/build.sh" "$k" || { not_ok "test kernels build"; check_done; }
FW_JUMP=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin

# json FILE EXPR: a value from a JSON document, by a Python expression on d.
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

# ---- stages follow the machine ----------------------------------------
timeout -k 2 20 "$BOOTSCOPE" --batch --json --bios none "$k/mmode.elf" >"$tmp/none.json" 2>"$tmp/err"
check_eq "--bios none: exit 0" "$?" 0
check_eq "--bios none: two stages" "$(json "$tmp/none.json" 'len(d["stages"])')" 2
check_eq "--bios none: the kernel starts at 0x80000000 in M mode" \
	"$(json "$tmp/none.json" 'd["stages"][1]["entry"] + " " + d["stages"][1]["priv"] + " " + d["stages"][1]["symbol"]')" \
	"0x80000000 M _start"
check_match "--bios none: the kernel's own output" "$(json "$tmp/none.json" 'd["console"]')" 'MS'

timeout -k 2 20 "$BOOTSCOPE" --batch --json --bios "$FW_JUMP" "$TOP/build/os.bin" --symbols "$KERNEL" \
	>"$tmp/seed.json" 2>"$tmp/err"
check_eq "seed path (fw_jump.bin + os.bin --symbols): exit 0" "$?" 0
check_eq "seed path: three stages, kernel at _start in S mode" \
	"$(json "$tmp/seed.json" '" ".join(s["entry"] + "/" + s["priv"] for s in d["stages"]) + " " + d["stages"][2]["symbol"]')" \
	"0x1000/M 0x80000000/M 0x80200000/S _start"
check_match "seed path: firmware symbols from fw_jump.elf beside the .bin" \
	"$(json "$tmp/seed.json" 'd["firmware"]')" 'fw_jump\.elf$'
check_match "seed path: the kernel printed its layout" "$(json "$tmp/seed.json" 'd["console"]')" \
	'\.text +\[0x80200000, '

timeout -k 2 20 "$BOOTSCOPE" --batch --json --load 0x80200000 "$k/good.bin" >"$tmp/raw.json" 2>"$tmp/err"
check_eq "raw image with --load and no symbols: exit 0" "$?" 0
check_eq "raw image: kernel stage at 0x80200000" "$(json "$tmp/raw.json" 'd["stages"][2]["entry"]')" 0x80200000
check_match "raw image: it ran" "$(json "$tmp/raw.json" 'd["console"]')" 'ok'

# ---- the doctor -------------------------------------------------------------
# doctor NAME WANT ARGS...: --check --json finds exactly the checks in WANT
# (space-separated, sorted), and exits 0 only when WANT is empty.
doctor() {
	local name=$1 want=$2; shift 2
	timeout -k 2 30 "$BOOTSCOPE" --check --json --timeout 1 "$@" >"$tmp/$name.json" 2>"$tmp/$name.err"
	local rc=$? got
	got=$(json "$tmp/$name.json" '" ".join(sorted(set(f["check"] for f in d["findings"])))' 2>/dev/null)
	check_eq "--check $name: findings" "$got" "$want"
	check_eq "--check $name: exit status" "$rc" "$([ -n "$want" ] && echo 1 || echo 0)"
}
doctor good "" "$k/good.elf"
doctor bundled "" "$KERNEL"
doctor mmode "" --bios none "$k/mmode.elf"
doctor late-entry "entry-first trap" "$k/late-entry.elf"
doctor over-fw "entry overlap start" "$k/over-fw.elf"
doctor trap "trap" "$k/trap.elf"
doctor spin "spin" "$k/spin.elf"
doctor stale "stale trap" "$k/stale.bin" --symbols "$k/stale.elf"
doctor elf-raw "raw" --load 0x80200000 "$k/good.elf"
doctor not-riscv "elf" /bin/ls
doctor small-ram "ram start" --qemu-arg -m --qemu-arg 1M "$k/good.elf"
# Several harts: a kernel linked for one hart, started on three, runs
# them all on one stack; one with a stack per hart does not; the bundled
# kernel's harts each get their own.
doctor shared-stack "shared-stack spin" --bios none --smp 3 "$k/shared-stack.elf"
doctor shared-stack-1 "spin" --bios none "$k/shared-stack.elf"
doctor own-stacks "spin" --bios none --smp 3 "$k/harts.elf"
doctor bundled-smp4 "" --smp 4 "$KERNEL"
check_match "shared-stack: names the harts and their stack pointers" \
	"$(json "$tmp/shared-stack.json" '[f["problem"] for f in d["findings"] if f["check"] == "shared-stack"][0]')" \
	'^harts [0-2] and [0-2] run the kernel on one stack: sp 0x8000(1f[0-9a-f]{2}|2000) and 0x8000(1f[0-9a-f]{2}|2000) '

check_match "trap: mcause/scause decoded with the faulting symbol" \
	"$(json "$tmp/trap.json" 'd["findings"][0]["problem"]')" 'scause 0x2 \(illegal instruction\) at sepc 0x80200000 <_start>'
check_match "spin: names the loop" "$(json "$tmp/spin.json" 'd["findings"][0]["problem"]')" '<spin'
check_match "late-entry: names both addresses" "$(json "$tmp/late-entry.json" '[f["problem"] for f in d["findings"] if f["check"] == "entry-first"][0]')" \
	'0x80200002.*0x80200000 holds helper'
out=$(timeout -k 2 30 "$BOOTSCOPE" --check --timeout 1 "$k/spin.elf")
check_eq "--check text: one line per finding" "$(printf '%s\n' "$out" | wc -l)" 1
check_match "--check text: the fix is on the line" "$out" '^spin: .*Fix: '

# ---- attach mode ---------------------------------------------------------------
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
bg 60 qemu-system-riscv64 -machine virt -nographic -monitor none -serial null -S \
	-gdb "tcp:127.0.0.1:$port" -bios default -kernel "$k/spin.elf" -name "$tmp/attach" \
	-qmp "unix:$tmp/attach.qmp,server=on,wait=off"
qpid=$bg_pid
for i in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.05; done
# A kernel that never ends, so the QEMU must outlive bootscope's detach.
timeout -k 2 20 "$BOOTSCOPE" --batch --json --timeout 1 --attach "127.0.0.1:$port" "$k/spin.elf" \
	>"$tmp/attach.json" 2>"$tmp/err"
check_eq "attach: exit 0" "$?" 0
check_eq "attach: three stages from the images given" \
	"$(json "$tmp/attach.json" '" ".join(s["entry"] for s in d["stages"])')" "0x1000 0x80000000 0x80200000"
check_match "attach: says the console is not visible" "$(json "$tmp/attach.json" 'd["end"] + d["console"]')" 'not visible'
# Detached, the user's QEMU goes on with the guest by itself: QEMU (over its
# QMP socket) says the guest runs in spin's loop, and the loop's counter t0
# moves on from one look to the next, so it really executes.
spin=$(sym "$k/spin.elf" spin)
check_guest_in "attach: after the detach, the user's QEMU has the guest running in spin's loop" \
	"$tmp/attach.qmp" "$spin" $((spin + 8))
guest_look "$tmp/attach.qmp" pc t0
t0=$(guest_reg t0)
if [ -n "$t0" ]; then
	check_guest_in "attach: after the detach, the guest executes (its counter t0 moves on from $t0)" \
		"$tmp/attach.qmp" "$spin" $((spin + 8)) t0 "$t0"
else
	not_ok "attach: after the detach, the guest executes: QEMU did not tell its t0: $guest"
fi
check "attach: the user's QEMU is still running afterwards" kill -0 "$qpid"

# attach_again NAME WHAT ENDPOINT: bootscope --batch --attach to a QEMU whose
# guest runs, which QEMU stops on the connection with a stop reply no one
# asked for, before it answers qSupported.  The walk goes on from there:
# spin's loop, in the kernel's stage.
attach_again() {
	timeout -k 2 20 "$BOOTSCOPE" --batch --json --timeout 1 --attach "$3" "$k/spin.elf" \
		>"$tmp/$1.json" 2>"$tmp/$1.err"
	local rc=$? at
	check_eq "$2: exit 0 (stderr: $(head -c 200 "$tmp/$1.err"))" "$rc" 0
	at=$(json "$tmp/$1.json" 'd["stages"][-1]["name"] + " " + d["stages"][-1]["entry"]' 2>/dev/null)
	check_match "$2: the walk starts in the kernel's stage, in spin's loop (got $at)" \
		"$at" "^kernel $(printf '0x%x|^kernel 0x%x' $((spin)) $((spin + 4)))$"
}
attach_again attach2 "attach a second time, to the QEMU the first attach left running" "127.0.0.1:$port"
check "attach a second time: the user's QEMU is still running afterwards" kill -0 "$qpid"

# Going back runs the boot again in a new QEMU: not the user's.
timeout -k 2 20 "$BOOTSCOPE" --batch --timeout 1 --at 100 --attach "127.0.0.1:$port" "$k/spin.elf" \
	>/dev/null 2>"$tmp/at.err"
check_eq "attach --at: exit 1" "$?" 1
check_match "attach --at: one line that says why" "$(cat "$tmp/at.err")" \
	'^bootscope: --at 100: going back runs the boot again in a new QEMU, and this one bootscope did not start \(attach mode\): start it with bootscope instead$'
check "attach --at: the user's QEMU is still running afterwards" kill -0 "$qpid"

port2=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
bg 60 qemu-system-riscv64 -machine virt -nographic -monitor none -serial null \
	-gdb "tcp:127.0.0.1:$port2" -bios default -kernel "$k/spin.elf" -name "$tmp/attach-running" \
	-qmp "unix:$tmp/attach-running.qmp,server=on,wait=off"
qpid2=$bg_pid
# Attach only once the guest runs in spin's loop (QEMU says so over QMP).
wait_for_file "$tmp/attach-running.qmp"
wait_guest_in "$tmp/attach-running.qmp" "$spin" $((spin + 8)) ||
	not_ok "attach to a QEMU started without -S: its guest did not reach spin's loop: $guest"
attach_again attach-running "attach to a QEMU started without -S" "127.0.0.1:$port2"
check "attach to a QEMU started without -S: it is still running afterwards" kill -0 "$qpid2"

# An IPv6 address in brackets, [::1]:PORT, as gdb writes it.  (QEMU's
# -gdb tcp: does not parse brackets; a socket chardev takes the address
# alone, and needs nodelay=on, which -gdb tcp: adds by itself.)  On a machine without IPv6 loopback the brackets are checked
# around 127.0.0.1.
lo6='::1'
port6=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET6); s.bind(("::1", 0)); print(s.getsockname()[1])' 2>/dev/null) ||
	{ lo6=127.0.0.1; echo "# no IPv6 loopback here: brackets around $lo6"; port6=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'); }
bg 60 qemu-system-riscv64 -machine virt -nographic -monitor none -serial null \
	-chardev "socket,id=gdb6,host=$lo6,port=$port6,server=on,wait=off,nodelay=on" -gdb chardev:gdb6 -bios default -kernel "$k/spin.elf" -name "$tmp/attach-v6" \
	-qmp "unix:$tmp/attach-v6.qmp,server=on,wait=off"
wait_for_file "$tmp/attach-v6.qmp"
wait_guest_in "$tmp/attach-v6.qmp" "$spin" $((spin + 8)) ||
	not_ok "attach to [$lo6]: its guest did not reach spin's loop: $guest"
attach_again attach-v6 "attach to [$lo6]:$port6" "[$lo6]:$port6"
check_done
