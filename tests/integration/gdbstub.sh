# What bootscope relies on in QEMU 7.2's gdbstub, and in the boot it shows,
# checked against the real qemu-system-riscv64 with a client of the test's
# own (tests/lib/rsp_probe.py) rather than through bootscope: the replies,
# the register numbers, the limits, how breakpoints, steps and stops behave,
# what OpenSBI 1.1 answers over SBI, and how the session ends.  The notes in
# docs/ (qemu-gdbstub.md, virt-boot.md, sbi.md) cite these checks by name.
# No timing is checked here (bench/ measures those).
#
# Every QEMU runs paused on a unix socket in the test's private directory
# under a hard time-out; every read of the client has a time-out of its own.
. "$TOP/tests/lib/check.sh"
. "$TOP/tests/lib/engine.sh"
. "$TOP/tests/lib/probe.sh"
trap 'exit 143' TERM
trap 'exit 130' INT
trap '' PIPE	# a write to a client that died fails; it does not kill the test
cd "$TOP" || exit 1

# Nothing here runs bootscope: the sanitizer build has nothing to add.
case $BUILD in
*/san)
	echo "# gdbstub: checks QEMU, not bootscope; already run against the normal build"
	check_done ;;
esac

FW_ELF=/usr/share/qemu/opensbi-riscv64-generic-fw_dynamic.elf
# bootscope's own offer (tracer/target.c): no multiprocess+.
OFFER='qSupported:swbreak+;hwbreak+;xmlRegisters=riscv'
PC=20 PRIV=41			# register numbers in hex: 32 and 65
csr() { printf '%x' $((66 + $1)); }	# CSR n is register 66 + n
MSTATUS=$(csr 0x300) MTVEC=$(csr 0x305) MEPC=$(csr 0x341) MCAUSE=$(csr 0x342) SATP=$(csr 0x180)
t0=$(date +%s%N)

# qemu NAME ARGS...: a paused QEMU with its gdbstub on $tmp/NAME.sock; its
# (timeout's) pid in $qpid, so that `wait $qpid` gives QEMU's exit status.
qemu() {
	local name=$1
	shift
	bg 30 qemu-system-riscv64 -machine virt -nographic -monitor none -serial null -S \
		-gdb "unix:$tmp/$name.sock,server=on,wait=off" "$@" 2>"$tmp/$name.err"
	qpid=$bg_pid
	wait_for_file "$tmp/$name.sock" || not_ok "QEMU $name did not open its gdbstub: $(head -c 300 "$tmp/$name.err")"
}

# probe NAME STEP...: one connection, the steps in order; a result a line.
probe() {
	local name=$1
	shift
	timeout -k 2 15 python3 "$PROBE" "$tmp/$name.sock" "$@" 2>&1
}

# The long connection (tests/lib/probe.sh): rsp STEP sends one step and
# sets $reply.
open_conn() {
	mkdir -p "$tmp/xml"
	probe_open "$tmp/$1.sock" --save "$tmp/xml"
}

# le HEX: a little-endian register or memory value, as 0x...
le() {
	local h=$1 out= i
	for ((i = 0; i < ${#h}; i += 2)); do out=${h:i:2}$out; done
	[[ $out =~ ^[0-9a-f]+$ ]] && printf '0x%x' "$((16#$out))" || printf '%s' "$1"
}
# hex64 VALUE: VALUE as the 16 little-endian hex digits of P and M.
hex64() {
	local h out= i
	h=$(printf '%016x' "$1")
	for ((i = 14; i >= 0; i -= 2)); do out+=${h:i:2}; done
	printf '%s' "$out"
}
# reg HEXNUM: read a register into $val (0x..., or the reply as it came).
reg() { rsp "p$1"; val=$(le "$reply"); }
# setreg HEXNUM VALUE
setreg() { rsp "P$1=$(hex64 "$2")"; [ "$reply" = OK ] || not_ok "P$1 answered '$reply'"; }
# in_range VALUE LO HI: LO <= VALUE < HI
in_range() { [[ $1 == 0x* ]] && (($1 >= $2 && $1 < $3)); }

# ---- the main QEMU: the bundled kernel, one long connection -----------------
qemu main -bios default -kernel "$KERNEL"
main_pid=$qpid
open_conn main

# Before any feature XML was read on this connection.
rsp "$OFFER"
check_eq "qSupported: the reply to bootscope's offer" "$reply" \
	'PacketSize=1000;qXfer:features:read+;vContSupported+;multiprocess+'
rsp QStartNoAckMode
check_eq "QStartNoAckMode is not supported (empty reply)" "$reply" ""
rsp '?'
check_eq "? when no client offered multiprocess+: T05thread:01;" "$reply" 'T05thread:01;'
rsp g
check_eq "g is x0-x31 and pc: 33 registers of 16 hex digits" "${#reply}" 528
check_eq "g answers before any feature XML was read; its pc is 0x1000" "$(le "${reply:512:16}")" 0x1000
rsp "p$PC"
check_eq "p20 (pc) is empty before any feature XML was read" "$reply" ""
rsp "p$PRIV"
check_eq "p41 (priv) is empty before any feature XML was read" "$reply" ""
rsp "p$MSTATUS"
check_eq "p342 (mstatus) is empty before any feature XML was read" "$reply" ""

# Acks, naks and damaged packets, byte for byte.
rsp '!raw $?#3f'
check_eq "QEMU acks a packet with + before its reply" "$reply" '+$T05thread:01;#07'
rsp '!raw -'
check_eq "a - from the client makes QEMU resend its last packet" "$reply" '$T05thread:01;#07'
rsp '!put +'
rsp '!raw -'
check_eq "once the client has acked that packet, a - brings nothing back" "$reply" ""
rsp '!raw $?#00'
check_eq "a packet with a bad checksum is answered with - alone" "$reply" '-'
rsp '!raw $?#3f'
rsp '!raw $?#3f'
check_eq "QEMU answers the next request although its last reply was never acked" "$reply" '+$T05thread:01;#07'

# The target description, read in chunks.
for f in target.xml riscv-64bit-cpu.xml riscv-64bit-fpu.xml riscv-64bit-virtual.xml riscv-csr.xml; do
	rsp "!xfer $f"
	max=$(printf '%s\n' "$reply" | sed -n 's/.* max=\([0-9]*\) .*/\1/p')
	echo "# qXfer $f: $reply"
	check "qXfer $f: every chunk at most 2045 bytes" test -n "$max" -a "${max:-9999}" -le 2045
	check "qXfer $f is tests/unit/fixtures/$f" cmp -s "$tmp/xml/$f" "tests/unit/fixtures/$f"
	[ "$f" = riscv-csr.xml ] && csr_xfer=$reply
done
check_match "qXfer riscv-csr.xml (6308 bytes) takes 4 chunks, the longest exactly 2045" "$csr_xfer" \
	'^chunks=4 max=2045 bytes=6308$'
check_eq "target.xml includes cpu, fpu, virtual and csr, in that order" \
	"$(grep -o 'href="[^"]*"' "$tmp/xml/target.xml" 2>/dev/null | tr '\n' ' ')" \
	'href="riscv-64bit-cpu.xml" href="riscv-64bit-fpu.xml" href="riscv-64bit-virtual.xml" href="riscv-csr.xml" '

# After it: the numbers bootscope reads by name.
reg $PC
check_eq "p20 (pc, register 32) is 0x1000 once a feature XML was read" "$val" 0x1000
reg $PRIV
check_eq "p41 (priv, register 65) is 3 (M) at reset" "$val" 0x3
rsp '!mon info registers'
monitor_regs=$reply
# mon_csr NAME: a CSR's value as the monitor's "info registers" prints it.
mon_csr() { printf '%s\n' "$monitor_regs" | sed 's/\\x0d//g; s/\\n/\n/g' | awk -v n="$1" '$1 == n { print "0x" $2; exit }' | sed 's/0x0*\([0-9a-f]\)/0x\1/'; }
reg "$MSTATUS"
check_eq "p342 (mstatus, 66 + 0x300) equals the monitor's mstatus at reset" "$val" "$(mon_csr mstatus)"
check_eq "mstatus at reset is 0xa00000000" "$val" 0xa00000000
rsp "!batch p$PRIV p$MSTATUS p$PC"
check_eq "p requests sent in one write are answered in order, one reply each" "$reply" \
	"0300000000000000 000000000a000000 0010000000000000"
rsp p1f00
check_eq "a register number beyond the description answers E14" "$reply" E14

# Memory: the reset vector and fw_dynamic_info; the size limit of m.
rsp m1000,58
rom=$reply
check_eq "m1000,18: the reset vector's six instructions" "${rom:0:48}" \
	9702000013868202732540f183b5020283b2820167800200
check_eq "0x1018: the address the reset vector jumps to, 0x80000000" "$(le "${rom:48:16}")" 0x80000000
check_eq "0x1020: the device tree, 0x87e00000 with 128 MiB" "$(le "${rom:64:16}")" 0x87e00000
check_eq "0x1028: fw_dynamic_info's magic, 0x4942534f (OSBI)" "$(le "${rom:80:16}")" 0x4942534f
check_eq "0x1030: fw_dynamic_info's version, 2" "$(le "${rom:96:16}")" 0x2
check_eq "0x1038: next_addr is the kernel's load address, 0x80200000" "$(le "${rom:112:16}")" 0x80200000
check_eq "0x1040: next_mode is 1 (S)" "$(le "${rom:128:16}")" 0x1
check_eq "0x1048, 0x1050: options and boot_hart are 0" "$(le "${rom:144:16}") $(le "${rom:160:16}")" "0x0 0x0"
rsp m1000,800
check_eq "m1000,800 (2048 bytes, the most in one m) is answered in full" "${#reply}" 4096
rsp m1000,801
check_eq "m1000,801 (one byte more) answers E22" "$reply" E22
rsp 'X80300000,0:'
check_eq "binary X is not supported (empty reply)" "$reply" ""
rsp M80300000,4:01020304
check_eq "M with a small body answers OK" "$reply" OK
rsp m80300000,4
check_eq "... and m reads back what M wrote" "$reply" 01020304
rsp "!pkt M80300000,1:$(printf '%04083d' 0)"
check_eq "a packet of 4095 characters is still answered" "$reply" '+$OK#9a'
rsp "!pkt M80300000,1:$(printf '%04084d' 0)"
check_eq "a packet of 4096 characters is dropped without a reply, not even +" "$reply" ""
rsp '?'
check_eq "... and the next request is answered as usual" "$reply" 'T05thread:01;'
rsp 'vCont?'
check_eq "vCont? lists c, C, s, S" "$reply" 'vCont;c;C;s;S'
rsp qqemu.sstep
check_eq "qqemu.sstep: single steps mask interrupts and timers by default (0x7)" "$reply" 0x7
rsp qqemu.sstepbits
check_eq "qqemu.sstepbits names the bits" "$reply" 'ENABLE=1,NOIRQ=2,NOTIMER=4'

# One step, then a breakpoint at the kernel's entry.
rsp s
check_eq "s answers with a stop reply, T05thread:01;" "$reply" 'T05thread:01;'
reg $PC
check_eq "s from 0x1000 stops at 0x1004" "$val" 0x1004
want=$(riscv64-unknown-elf-objdump -d "$KERNEL" | awk '/^ *80200000:/ { print $2; exit }')
rsp Z0,80200000,4
check_eq "Z0 at 0x80200000 answers OK" "$reply" OK
rsp m80200000,4
check_eq "Z0 leaves guest memory as it was (m reads the instruction objdump lists)" "$(le "$reply")" "0x${want#0000}"
rsp '!send c'
rsp '!wait'
check_eq "a breakpoint stop is T05thread:01; with no swbreak reason (although offered)" "$reply" 'T05thread:01;'
reg $PC
check_eq "c stops at the breakpoint, 0x80200000" "$val" 0x80200000
reg $PRIV
check_eq "the kernel's first instruction runs in S mode (priv 1)" "$val" 0x1
reg a
check_eq "at the kernel's entry a0 is the hart id, 0" "$val" 0x0
reg b
check_eq "at the kernel's entry a1 is the device tree, 0x87e00000" "$val" 0x87e00000
reg "$SATP"
check_eq "at the kernel's entry satp is 0 (no paging)" "$val" 0x0
rsp '!mon info registers'
monitor_regs=$reply
reg "$MTVEC"
mtvec=$val
check_eq "p347 (mtvec, 66 + 0x305) equals the monitor's mtvec" "$val" "$(mon_csr mtvec)"
echo "# mtvec at the kernel's entry: $val"
check "at the kernel's entry mtvec points into OpenSBI" in_range "$val" 0x80000000 0x80200000
reg "$(csr 0x105)"
check_eq "at the kernel's entry stvec is the kernel's entry too (OpenSBI set it)" "$val" 0x80200000
reg "$MSTATUS"
check_eq "p342 (mstatus) equals the monitor's mstatus at the kernel's entry" "$val" "$(mon_csr mstatus)"
rsp '!send c'
rsp '!wait'
reg $PC
check_eq "c from a breakpoint's own address stops again at once, at the same pc" "$val" 0x80200000
rsp s
reg $PC
check_eq "s from a breakpoint's own address executes the instruction (only c stops again)" "$val" 0x80200004
rsp z0,80200000,4
for z in "1,80200100,4" "2,80300000,8" "3,80300000,8" "4,80300000,8"; do
	rsp "Z$z"
	r1=$reply
	rsp "z$z"
	check_eq "Z$z and z$z answer OK" "$r1 $reply" "OK OK"
done

# Stepping across an ecall, and SBI calls made from the kernel's first
# ecall (the firmware sends each back to the instruction after it).
ecall=$(riscv64-unknown-elf-objdump -d "$KERNEL" | awk '$3 == "ecall" { sub(":", "", $1); print "0x" $1; exit }')
check "the kernel has an ecall" test -n "$ecall"
ecall=${ecall:-0x80200000}
rsp "Z0,$(printf '%x' $((ecall + 4))),4"
# sbi EID FID A0 [step]: the call from $ecall; sets $err and $value.
sbi() {
	setreg $PC "$ecall"
	setreg 11 "$1"	# a7: the extension
	setreg 10 "$2"	# a6: the function
	setreg a "$3"
	setreg b 0
	if [ "${4:-}" = step ]; then
		rsp s
		reg $PC
		check_eq "s across an ecall from S mode lands on mtvec" "$val" "$mtvec"
		reg $PRIV
		check_eq "... in M mode" "$val" 0x3
		reg "$MCAUSE"
		check_eq "... with mcause 9 (environment call from S mode)" "$val" 0x9
	fi
	rsp '!send c'
	rsp '!wait'
	reg $PC
	[ "$val" = "$(printf '0x%x' $((ecall + 4)))" ] || not_ok "SBI call $1/$2: stopped at $val, not after the ecall"
	reg a
	err=$val
	reg b
	value=$val
}
sbi 0x10 3 0x53525354 step
reg $PRIV
check_eq "OpenSBI returns to the instruction after the ecall, in S mode" "$val" 0x1
check_eq "SBI: SRST (0x53525354) is present" "$err $value" "0x0 0x1"
sbi 0x10 0 0
check_eq "SBI: BASE get_spec_version says 1.0 (0x1000000)" "$err $value" "0x0 0x1000000"
sbi 0x10 1 0
check_eq "SBI: BASE get_impl_id says OpenSBI (1)" "$err $value" "0x0 0x1"
sbi 0x10 2 0
check_eq "SBI: BASE get_impl_version says 1.1 (0x10001)" "$err $value" "0x0 0x10001"
for ext in "legacy console putchar:0x01" "legacy shutdown:0x08" "BASE:0x10" "TIME:0x54494d45" "IPI:0x735049" \
	"RFENCE:0x52464e43" "HSM:0x48534d" "PMU:0x504d55"; do
	sbi 0x10 3 "${ext##*:}"
	check_eq "SBI: ${ext%:*} (${ext##*:}) is present" "$err $value" "0x0 0x1"
done
sbi 0x10 3 0x4442434e
check_eq "SBI: DBCN (0x4442434e) is absent" "$err $value" "0x0 0x0"
sbi 0x4442434e 0 0
check_eq "SBI: a DBCN call fails with -2 (not supported)" "$err" 0xfffffffffffffffe
# HSM on this one-hart machine: hart_get_status (FID 2) of hart 0, and of a
# hart that is not there.
sbi 0x48534d 2 0
check_eq "SBI: HSM hart_get_status of the running hart: started (0)" "$err $value" "0x0 0x0"
sbi 0x48534d 2 1
check_eq "SBI: HSM hart_get_status of a hart that does not exist fails with -3 (invalid param)" \
	"$err" 0xfffffffffffffffd
rsp "z0,$(printf '%x' $((ecall + 4))),4"

# No pipelining while the guest runs.  The kernel's idle loop (the wfi
# after kmain returns) runs until something stops it.
wfi=$(riscv64-unknown-elf-objdump -d --disassemble=_start "$KERNEL" | awk '$3 == "wfi" { sub(":", "", $1); print "0x" $1; exit }')
check "_start ends in a wfi loop" test -n "$wfi"
wfi=${wfi:-0x8020000c}
setreg $PC "$wfi"
rsp '!raw $c#63$?#3f'
check_eq "c and ? in one write: the ? stops the guest at once (T02) and is dropped" "$reply" '+$T02thread:01;#04'
rsp '!quiet'
check_eq "... nothing more comes for the ?" "$reply" ""
rsp '!send c'
rsp '!quiet'
check_eq "while the guest runs, nothing comes after c's +" "$reply" '+'
rsp '!intr'
check_eq "0x03 stops the running guest: T02thread:01;" "$reply" 'T02thread:01;'
reg $PC
echo "# stopped at $val"
check "... in the idle loop" in_range "$val" "$wfi" $((wfi + 6))

# Monitor commands.
rsp '!mon info roms'
check_match "qRcmd info roms: the reset vector and fw_dynamic_info are ROMs" "$reply" 'name="mrom\.reset".*name="mrom\.finfo"'
rsp '!mon info mtree'
check_match "qRcmd info mtree: the mask ROM at 0x1000" "$reply" '0000000000001000-000000000000ffff \(prio 0, rom\): riscv_virt_board\.mrom'
rsp '!mon system_reset'
check_eq "qRcmd system_reset answers OK with no output" "$reply" ""
reg $PC
check_eq "after system_reset the pc is 0x1000, and the guest is still paused" "$val" 0x1000
reg $PRIV
check_eq "after system_reset the hart is in M mode" "$val" 0x3

# OpenSBI's mret into the kernel: a breakpoint on every mret in the
# firmware, until one has mepc = next_addr (the others return from traps).
mrets=$(riscv64-unknown-elf-objdump -d "$FW_ELF" | awk '$3 == "mret" { sub(":", "", $1); print "0x" $1 }')
check "the firmware ELF has mret instructions" test -n "$mrets"
for a in $mrets; do rsp "Z0,${a#0x},4"; done
switch= traps=0
for ((i = 0; i < 30; i++)); do
	reg $PC
	pc=$val
	if [[ " $(echo $mrets) " == *" $pc "* ]]; then
		reg "$MEPC"
		[ "$val" = 0x80200000 ] && switch=$pc && break
		traps=$((traps + 1))
		rsp "z0,${pc#0x},4"
		rsp s
		rsp "Z0,${pc#0x},4"
	fi
	rsp '!send c'
	rsp '!wait'
	[[ $reply == T05* ]] || break
done
echo "# the mret into the kernel is at ${switch:-?}, after $traps trap returns"
check "OpenSBI enters the kernel with an mret whose mepc is 0x80200000" test -n "$switch"
reg $PRIV
check_eq "at that mret the hart is in M mode" "$val" 0x3
reg "$MSTATUS"
mpp=$val
[[ $val == 0x* ]] && mpp=$(((val >> 11) & 3))
check_eq "... with mstatus.MPP = 1 (S)" "$mpp" 1
for a in $mrets; do rsp "z0,${a#0x},4"; done
rsp s
reg $PC
check_eq "s across that mret lands on the kernel's first instruction" "$val" 0x80200000
reg $PRIV
check_eq "... in S mode" "$val" 0x1

# The guest powers off: QEMU exits, and the socket just closes.
rsp '!send c'
rsp '!eof'
check_match "the guest powers off: the connection closes with no W packet" "$reply" '^closed(: \+)?$'
close_conn
wait "$main_pid"
check_eq "... and QEMU exits with status 0" "$?" 0

# ---- thread ids, and k ------------------------------------------------------
qemu kill -bios default -kernel "$KERNEL"
out=$(probe kill "$OFFER" '?' 'qSupported:multiprocess+;swbreak+;hwbreak+;xmlRegisters=riscv' '?' qC qfThreadInfo qsThreadInfo \
	'!xfer target.xml' "p$PRIV")
check_eq "thread ids: plain before multiprocess+ is offered, p01.01 after; one hart" "$(printf '%s\n' "$out" | sed -n '2p;4,7p' | tr '\n' ' ')" \
	'T05thread:01; T05thread:p01.01; QCp01.01 mp01.01 l '
check_eq "(p answers on the connection that read target.xml)" "$(printf '%s\n' "$out" | sed -n 9p)" 0300000000000000
out=$(probe kill "$OFFER" '?' "p$PRIV" k '!eof')
check_eq "a later connection that does not offer multiprocess+ still gets p01.01" "$(printf '%s\n' "$out" | sed -n 2p)" 'T05thread:p01.01;'
check_eq "each new connection must read a feature XML again before p answers" "$(printf '%s\n' "$out" | sed -n 3p)" ""
check_eq "k answers W00, then QEMU closes the connection" "$(printf '%s\n' "$out" | sed -n '4,5p' | tr '\n' ' ')" 'W00 closed '
wait "$qpid"
check_eq "after k QEMU exits with status 0" "$?" 0

# ---- D ------------------------------------------------------------------------
qemu detach -bios default -kernel "$KERNEL"
out=$(probe detach "$OFFER" Z0,80200000,4 D '!eof')
check_eq "D answers OK, takes the breakpoints out and lets the guest run to its power-off" \
	"$(printf '%s\n' "$out" | sed -n '2,4p' | tr '\n' ' ')" 'OK OK closed '
wait "$qpid"
check_eq "after D and the power-off QEMU exits with status 0" "$?" 0

# ---- ? -----------------------------------------------------------------------
# '?' takes out every breakpoint (QEMU takes it for a new debugger's first
# look): so bootscope answers a gdb's '?' itself (tracer/session_gdb.c).
qemu query -bios default -kernel "$KERNEL"
out=$(probe query "$OFFER" Z1,80200000,4 '?' '!send c' '!wait')
check_match "? after a breakpoint is set: the c that follows runs past it, no stop, to the power-off" \
	"$(printf '%s\n' "$out" | sed -n 5p)" '^(W00|closed)'
wait "$qpid"
check_eq "...and QEMU exits with status 0 (the guest powered off)" "$?" 0

# ---- what QEMU writes into fw_dynamic_info for other kernels ------------------
bash tests/kernels/build.sh "$tmp/k" >/dev/null 2>&1
check "the test kernels build" test -s "$tmp/k/late-entry.elf" -a -s "$tmp/k/mmode.elf"
entry=$(riscv64-unknown-elf-readelf -h "$tmp/k/late-entry.elf" | awk '/Entry point/ { print $4 }')
qemu late -bios default -kernel "$tmp/k/late-entry.elf"
out=$(probe late m1038,8 k)
echo "# late-entry.elf: entry $entry"
check "late-entry.elf is entered past its first byte" test "$entry" != 0x80200000
check_eq "an ELF entered past its first byte: next_addr is its load address, 0x80200000" \
	"$(le "$(printf '%s\n' "$out" | sed -n 1p)")" 0x80200000
qemu loader -bios default -device "loader,file=$TOP/build/os.bin,addr=0x80200000"
out=$(probe loader m1038,8 k)
check_eq "no -kernel (the generic loader instead): next_addr is 0" "$(le "$(printf '%s\n' "$out" | sed -n 1p)")" 0x0
qemu nobios -bios none -kernel "$tmp/k/mmode.elf"
out=$(probe nobios m1018,8 m1038,10 k)
check_eq "-bios none: the reset vector jumps to 0x80000000" "$(le "$(printf '%s\n' "$out" | sed -n 1p)")" 0x80000000
rom=$(printf '%s\n' "$out" | sed -n 2p)
check_eq "-bios none: QEMU still fills fw_dynamic_info (next_addr 0x80000000, next_mode 1)" \
	"$(le "${rom:0:16}") $(le "${rom:16:16}")" "0x80000000 0x1"

# ---- a hart that SBI HSM starts (-smp 2) ---------------------------------------
# The bundled kernel's boot hart starts the other at secondary_entry through
# hart_start (kernel/smp.c); stop it there and read what OpenSBI handed it.
# Which hart boots is OpenSBI's lottery: the stopped thread says which came.
sec=$(riscv64-unknown-elf-nm "$KERNEL" | awk '$3 == "secondary_entry" { print $1 }' | sed 's/^0*//')
top=$(riscv64-unknown-elf-nm "$KERNEL" | awk '$3 == "boot_stack_top" { print "0x" $1 }')
check "the kernel has a secondary_entry" test -n "$sec"
qemu smp -smp 2 -bios default -kernel "$KERNEL"
out=$(probe smp "$OFFER" '!xfer target.xml' "Z0,${sec:-0},4" '!send c' '!wait' "p$PC" pa pb "p$PRIV" "p$SATP" k)
stop=$(printf '%s\n' "$out" | sed -n 5p)
line() { le "$(printf '%s\n' "$out" | sed -n "$1p")"; }
check_match "-smp 2: the first stop at secondary_entry is on one thread" "$stop" '^T05thread:0[12];$'
thread=$(printf '%s' "$stop" | sed -n 's/^T05thread:0\([12]\);$/\1/p')
echo "# -smp 2: $stop at $(line 6), a0 $(line 7), a1 $(line 8)"
check_eq "-smp 2: ... at secondary_entry" "$(line 6)" "0x$sec"
check_eq "HSM hart_start: the started hart's a0 is its hart id (thread id - 1)" "$(line 7)" "0x$((${thread:-9} - 1))"
check_eq "HSM hart_start: its a1 is hart_start's opaque, the top of its stack slice (boot_stack_top - 4 KiB)" \
	"$(line 8)" "$(printf '0x%x' $((top - 4096)))"
check_eq "HSM hart_start: it starts in S mode (priv 1)" "$(line 9)" 0x1
check_eq "HSM hart_start: ... with satp 0 (no paging)" "$(line 10)" 0x0
wait "$qpid"

# ---- how many instructions OpenSBI runs ------------------------------------------
# With -icount shift=0 minstret counts instructions.
qemu icount -icount shift=0 -bios default -kernel "$KERNEL"
out=$(probe icount "$OFFER" '!xfer target.xml' Z0,80200000,4 '!send c' '!wait' "p$(csr 0xb02)" k)
n=$(le "$(printf '%s\n' "$out" | sed -n 6p)")
echo "# instructions from 0x1000 to the kernel's entry: $((n))"
check "OpenSBI runs 5 to 20 million instructions before the kernel (minstret under -icount)" \
	test "$((n))" -ge 5000000 -a "$((n))" -le 20000000

echo "# gdbstub.sh took $((($(date +%s%N) - t0) / 1000000)) ms"
check_done
