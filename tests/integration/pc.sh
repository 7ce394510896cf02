# The PC board: QEMU's x86 PC from the reset vector through SeaBIOS to the
# boot sector, on the real qemu-system-x86_64 and its gdbstub.  The disk
# here is the least a BIOS boots: a boot sector that loops on itself.
. "$TOP/tests/lib/check.sh"
. "$TOP/tests/lib/engine.sh"

json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

# jmp . (0xeb 0xfe), zeros, and the signature at 510.
disk=$tmp/loop.img
{ printf '\353\376'; head -c 508 /dev/zero; printf '\125\252'; } >"$disk"

# ---- the stages, found by the file's signature alone -----------------------
bs 30 --batch --json --timeout 1 "$disk"
printf '%s\n' "$out" >"$tmp/pc.json"
check_eq "a boot sector's disk: --batch --json exits 0" "$rc" 0
check_eq "...three stages, each entered in real mode where the PC puts it" \
	"$(json "$tmp/pc.json" '" ".join("%d/%s/%s" % (s["number"], s["entry"], s["mode"]) for s in d["stages"])')" \
	"1/0xfffffff0/real 2/0xfe05b/real 3/0x7c00/real"
check_eq "...the names of the stages" "$(json "$tmp/pc.json" '[s["name"] for s in d["stages"]]')" \
	"['reset vector', 'BIOS', 'boot sector']"
check_eq "...at reset, cs:ip is f000:fff0" \
	"$(json "$tmp/pc.json" 'd["stages"][0]["registers"]["cs"] + ":" + d["stages"][0]["registers"]["rip"]')" \
	"0xf000:0xfff0"
check_eq "...the reset vector's instruction: the far jump into the BIOS" \
	"$(json "$tmp/pc.json" 'd["stages"][0]["instruction"]')" 'ljmp   $0xf000,$0xe05b'
check_eq "...at the boot sector, dl is the boot drive (0x80, the first disk)" \
	"$(json "$tmp/pc.json" 'hex(int(d["stages"][2]["registers"]["rdx"], 16) & 0xff)')" "0x80"
check_match "...the SeaBIOS banner on the serial console" "$(json "$tmp/pc.json" 'd["console"]')" 'SeaBIOS \(version'
check_match "...and it is still in the boot sector's loop when the time is up" \
	"$(json "$tmp/pc.json" 'd["end"]')" 'still running after 1\.0 s: stopped at 0x7c00'
check_clean "pc, batch"

# ---- the same stops as gdb-multiarch sees them -------------------------------
qemu-system-x86_64 -machine pc -nographic -nic none -monitor none -serial null -S \
	-gdb "unix:$tmp/q.sock,server=on,wait=off" -drive "format=raw,file=$disk" </dev/null >/dev/null 2>&1 &
qpid=$!
wait_for_file "$tmp/q.sock" 5
timeout -k 2 30 gdb-multiarch -batch -nx -ex "target remote $tmp/q.sock" -ex 'info registers rip cs eflags cr0' \
	-ex 'hbreak *0x7c00' -ex continue -ex 'echo ==\n' -ex 'info registers rip cs rdx rsp eflags cr0' -ex kill \
	>"$tmp/gdb.out" 2>&1
kill $qpid 2>/dev/null
wait $qpid 2>/dev/null
# g REG N: REG's value in gdb's Nth block of registers (at reset, at 0x7c00).
g() { awk -v r="$1" -v n="$2" '/^==$/ { b++ } $1 == r && b + 1 == n { print $2; exit }' "$tmp/gdb.out"; }
b() { json "$tmp/pc.json" "hex(int(d['stages'][$1]['registers']['$2'], 16))"; }
for r in rip cs eflags cr0; do
	check_eq "at reset, $r as gdb-multiarch reads it" "$(b 0 $r)" "$(g $r 1)"
done
for r in rip cs rdx rsp eflags cr0; do
	check_eq "at the boot sector, $r as gdb-multiarch reads it" "$(b 2 $r)" "$(g $r 2)"
done

# ---- real-mode code reads as objdump -m i8086 reads it ---------------------------
printf '\352\133\340\000\360' >"$tmp/reset.bin"	# the bytes at 0xfffffff0: ljmp $0xf000,$0xe05b
want=$(objdump -D -b binary -m i8086 "$tmp/reset.bin" | awk -F'\t' '/^ +0:/ { print $3 }' | tr -s ' ')
check_eq "the reset vector's instruction is objdump -m i8086's" \
	"$(json "$tmp/pc.json" 'd["stages"][0]["instruction"]' | tr -s ' ')" "$want"

# ---- the switch to protected mode is an event of the boot ------------------
cat >"$tmp/pe.S" <<'EOF'
	.code16
	.globl _start
_start:
	cli
	movl	%cr0, %eax
	orl	$1, %eax
	movl	%eax, %cr0	# at 0x7c08: PE, and the CPU is in protected mode
1:	jmp	1b
	.org	510
	.byte	0x55, 0xaa
EOF
as --64 -o "$tmp/pe.o" "$tmp/pe.S" && ld -N -m elf_x86_64 -Ttext=0x7c00 -e _start -o "$tmp/pe.elf" "$tmp/pe.o" &&
	objcopy -O binary "$tmp/pe.elf" "$tmp/pe.img"
bs 30 --batch --json --timeout 1 "$tmp/pe.img"
printf '%s\n' "$out" >"$tmp/pe.json"
check_eq "a boot sector that sets cr0.PE: exits 0" "$rc" 0
check_eq "...its mov to cr0 is an event: real to protected mode, cr0 0x10 to 0x11" \
	"$(json "$tmp/pe.json" '[(e["pc"], e["from"], e["to"], e["register"], e["old"], e["value"]) for e in d["events"] if e["kind"] == "sysreg"]')" \
	"[('0x7c08', 'real', 'protected', 'cr0', '0x10', '0x11')]"
check_eq "...counted: three instructions after the boot sector's first" \
	"$(json "$tmp/pe.json" '[e["insn"] for e in d["events"] if e["kind"] == "sysreg"][0] - [e["insn"] for e in d["events"] if e["kind"] == "stage" and e["stage"] == 3][0]')" 3
check_clean "pc, protected mode"

# ---- the bundled PC kernel: to long mode, and as gdb and objdump see it -----
DISK=$TOP/build/x86_64/disk.img ELF=$TOP/build/x86_64/kernel.elf
bs 30 --batch --json "$DISK" --symbols "$ELF"
printf '%s\n' "$out" >"$tmp/k.json"
check_eq "the bundled PC kernel: four stages, the kernel at its ELF entry in long mode" \
	"$(json "$tmp/k.json" '" ".join("%s/%s/%s" % (s["entry"], s["mode"], s["symbol"]) for s in d["stages"])')" \
	"0xfffffff0/real/reset_vector 0xfe05b/real/unknown 0x7c00/real/boot_start 0x7e90/long/start64"
check_eq "...real to protected to long mode, each switch an event at its instruction" \
	"$(json "$tmp/k.json" '[(e["symbol"], e["register"], e["from"], e["to"]) for e in d["events"] if e["kind"] == "sysreg" and e["from"] != e["to"]]')" \
	"[('enter_protected+0xe', 'cr0', 'real', 'protected'), ('enter_long+0x27', 'cr0', 'protected', 'long')]"
check_match "...Hello World! on the serial console, and the guest powered off" \
	"$(json "$tmp/k.json" 'd["console"].count("Hello World!"), d["end"]')" "^1 QEMU exited with status 0$"
want=$(objdump -d -m i386:x86-64 --start-address=0x7e90 --stop-address=0x7e97 "$ELF" | awk -F'\t' '/^ +7e90:/ { print $3 }')
check_eq "the kernel's first instruction is objdump -m i386:x86-64's" \
	"$(json "$tmp/k.json" 'd["stages"][3]["instruction"]' | tr -s ' ')" "$(printf '%s' "$want" | tr -s ' ')"
qemu-system-x86_64 -machine pc -nographic -nic none -monitor none -serial null -S \
	-gdb "unix:$tmp/k.sock,server=on,wait=off" -drive "format=raw,snapshot=on,file=$DISK" </dev/null >/dev/null 2>&1 &
qpid=$!
wait_for_file "$tmp/k.sock" 5
timeout -k 2 30 gdb-multiarch -batch -nx -ex "target remote $tmp/k.sock" -ex 'hbreak *0x7e90' -ex continue \
	-ex 'info registers rip rsp cs ss cr0 cr3 cr4 efer' -ex kill >"$tmp/gdbk.out" 2>&1
kill $qpid 2>/dev/null
wait $qpid 2>/dev/null
for r in rip rsp cs ss cr0 cr3 cr4 efer; do
	check_eq "at start64, $r as gdb-multiarch reads it" \
		"$(json "$tmp/k.json" "hex(int(d['stages'][3]['registers']['$r'], 16))")" \
		"$(awk -v r=$r '$1 == r { print $2; exit }' "$tmp/gdbk.out")"
done
check_clean "pc, the bundled kernel"

# ---- attach: a PC the user started, told apart by its gdbstub ---------------
qemu-system-x86_64 -machine pc -nographic -nic none -monitor none -serial null -S \
	-gdb "unix:$tmp/a.sock,server=on,wait=off" -drive "format=raw,snapshot=on,file=$DISK" </dev/null >/dev/null 2>&1 &
qpid=$!
bg_pids+=("$qpid")
wait_for_file "$tmp/a.sock" 5
bs 30 --batch --json --attach "unix:$tmp/a.sock"
printf '%s\n' "$out" >"$tmp/a.json"
check_eq "--attach to a PC with no file: its gdbstub says x86-64, so the PC's three stages" \
	"$rc $(json "$tmp/a.json" '[s["entry"] for s in d["stages"]]')" "0 ['0xfffffff0', '0xfe05b', '0x7c00']"
kill $qpid 2>/dev/null
wait $qpid 2>/dev/null

# ---- two sessions on one disk (a class on one server) ------------------------
"$BOOTSCOPE" --batch --timeout 3 "$tmp/pe.img" >"$tmp/first.out" 2>&1 </dev/null &
first=$!
bg_pids+=("$first")
# Until the first one's QEMU has the disk open.
end=$(($(date +%s) + 10))
until pgrep -f "file=$tmp/pe.img" >/dev/null || [ "$(date +%s)" -ge $end ]; do sleep 0.05; done
bs 30 --batch --json --timeout 1 "$tmp/pe.img"
check_eq "two sessions on one disk at once: the second boots too" "$rc/$(json "$tmp/bs.out" 'len(d["stages"])')" "0/3"
wait "$first"
check_eq "...and the first as well" "$?" 0
check_clean "pc, two at once"

# ---- the doctor on broken disks -------------------------------------------------
head -c 400 /dev/zero >"$tmp/short.img"
bs 10 --check --board pc "$tmp/short.img"
check_eq "--check, a disk shorter than a sector: a finding, exit 1" "$rc" 1
check_match "...it says so" "$out" '^signature: the image has 400 bytes at 0x7c00, fewer than the 512 of a boot sector\. Fix: '
{ head -c 510 "$tmp/pe.img"; printf '\0\0'; } >"$tmp/nosig.img"
bs 10 --check --board pc "$tmp/nosig.img"
check_match "--check, no 0x55 0xaa at 510: the BIOS will not boot it" "$out" \
	'^signature: sector 0 does not end with 0x55 0xaa \(byte 510 holds 0x00 0x00\): the BIOS will not boot it\. Fix: end sector 0'
{ head -c 510 "$tmp/pe.img"; head -c 100 /dev/zero; printf '\125\252'; } >"$tmp/big.img"
bs 10 --check --board pc "$tmp/big.img"
check_match "--check, a boot sector of 612 bytes: too big, said with its size" "$out" \
	'^boot-size: the boot sector is 612 bytes: its 0x55 0xaa is at byte 610, not 510'
bs 30 --check "$tmp/pe.img" --symbols "$tmp/pe.elf"
check_match "--check, the protected-mode disk with its ELF: the files are right (no kernel entry to run to)" "$out" \
	'^ok: the kernel.s entry is unknown: nothing to run to$'
ld -N -m elf_x86_64 -Ttext=0x8000 -e _start -o "$tmp/high.elf" "$tmp/pe.o"
bs 30 --check "$tmp/pe.img" --symbols "$tmp/high.elf"
check_match "--check, an ELF linked at 0x8000: the BIOS jumps to 0x7c00" "$out" \
	'^entry: the BIOS loads sector 0 to 0x7c00 and jumps there, but the image starts at 0x8000 \(entry _start at 0x8000\)'
printf '\t.data\n\t.byte 1\n' >"$tmp/data.S"
as --64 -o "$tmp/data.o" "$tmp/data.S" &&
	ld -N -m elf_x86_64 -Tdata=0x7c00 -Ttext=0x7e00 -e _start -o "$tmp/datafirst.elf" "$tmp/data.o" "$tmp/pe.o" 2>/dev/null
bs 30 --check "$tmp/pe.img" --symbols "$tmp/datafirst.elf"
check_match "--check, data where the BIOS jumps: no code at 0x7c00" "$out" \
	'^entry-first: the BIOS jumps to 0x7c00, the image.s first byte, but section \.data there is no code'
check_clean "pc, doctor"

# ---- what it refuses -------------------------------------------------------
bs 10 --batch --board pc "$KERNEL"
check_eq "--board pc with an ELF: refused" "$rc" 1
check_match "...saying the PC boots from a disk" "$err" \
	'^bootscope: .*kernel.elf is an ELF, and the pc board boots from a disk: give a disk image with a boot sector'
bs 10 --batch --board vax "$disk"
check_eq "--board vax: a usage error" "$rc" 2
check_match "...saying which boards there are" "$err" '^bootscope: --board wants virt or pc, not "vax"'
check_clean "pc, refused"

check_done
