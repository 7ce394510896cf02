# The x86_64 PC kernel (kernel/x86_64/): its disk image is what the BIOS
# and boot.S expect, it boots on qemu-system-x86_64 with SeaBIOS to "Hello
# World!" on COM1 and the VGA screen, and it ends QEMU with status 0 by
# itself.  Then the boot's facts as gdb-multiarch sees them at each phase:
# real mode at 0x7C00 with dl the boot drive, protected mode at start32,
# long mode at start64, the VGA text at power_off.  docs/x86-pc.md cites
# these checks by name.
#
# Every QEMU runs under a hard time-out, paused ones on a unix socket in
# the test's private directory; all are killed at exit (tests/lib/engine.sh).
. "$TOP/tests/lib/check.sh"
. "$TOP/tests/lib/engine.sh"
trap 'exit 143' TERM
trap 'exit 130' INT
cd "$TOP" || exit 1

# Nothing here runs bootscope: the sanitizer build has nothing to add.
case $BUILD in
*/san)
	echo "# kernel_x86: checks the x86_64 kernel and QEMU, not bootscope; already run against the normal build"
	check_done ;;
esac

elf=build/x86_64/kernel.elf
img=build/x86_64/disk.img
PROBE=$TOP/tests/lib/rsp_probe.py
# sym NAME: its address as 0x... (no leading zeros)
sym() { nm "$elf" | awk -v s="$1" '$3 == s { print "0x" $1 }' | sed 's/0x0*\([0-9a-f]\)/0x\1/'; }
# section NAME: its address and size, hex without 0x
section() { readelf -SW "$elf" | awk -v s="$1" '{ for (i = 1; i < NF; i++) if ($i == s) { print $(i+2), $(i+4); exit } }'; }
# byte FILE OFFSET: one byte as two hex digits
byte() { od -An -tx1 -j "$2" -N1 "$1" | tr -d ' \n'; }

# ---- the image ----------------------------------------------------------------
check "make kernel-x86 built kernel.elf and disk.img" test -s "$elf" -a -s "$img"
size=$(stat -c %s "$img")
check_eq "disk.img is a whole number of 512-byte sectors" $((size % 512)) 0
check_eq "disk.img bytes 510 and 511 are 0x55 0xAA (the boot signature)" "$(byte "$img" 510) $(byte "$img" 511)" "55 aa"
read -r baddr bsize < <(section .boot)
check_eq "the .boot section is at 0x7C00" "$baddr" 0000000000007c00
check_eq "the .boot section (sector 0) is exactly 512 bytes" "$((16#${bsize:-0}))" 512
check_eq "boot_start is 0x7c00" "$(sym boot_start)" 0x7c00
check_eq "boot_signature is at 0x7dfe" "$(sym boot_signature)" 0x7dfe
objcopy -O binary -j .boot "$elf" "$tmp/boot.bin"
check "sector 0 of disk.img is the .boot section, byte for byte" cmp -n 512 "$img" "$tmp/boot.bin"
check_eq "disk.img is the image from 0x7C00 to image_end" "$size" $(( $(sym image_end) - 0x7c00 ))
check_eq "load_sectors is every sector after the boot sector" "$(( $(sym load_sectors) ))" $((size / 512 - 1))
# The disk address packet's count, as it is on the disk.
dap=$(( $(sym dap) - 0x7c00 ))
count=$(( 16#$(byte "$img" $((dap + 3)))$(byte "$img" $((dap + 2))) ))
check_eq "the boot sector's int 0x13 packet reads load_sectors sectors" "$count" "$(( $(sym load_sectors) ))"
check_eq "the packet's buffer is load_start, right after the boot sector" \
	"0x$(byte "$img" $((dap + 5)))$(byte "$img" $((dap + 4)))" 0x7e00
check_eq "start32 is load_start, the first loaded byte" "$(sym start32)" "$(sym load_start)"

entry=$(readelf -h "$elf" | awk '/Entry point/ { print $4 }')
check_eq "kernel.elf's entry is start64" "$entry" "$(sym start64)"
read -r taddr _ < <(section .text)
check_eq "start64 is the first byte of .text" "$(sym start64)" "$(printf '0x%x' $((16#${taddr:-0})))"
for s in kmain vga_write serial_write power_off load_kernel enable_a20 enter_protected build_page_tables enter_long; do
	check "kernel.elf has the symbol $s" test -n "$(sym $s)"
done
check "the RISC-V kernel's wildcard does not take kernel/x86_64 (no start64 in build/kernel.elf)" \
	test -s build/kernel.elf -a -z "$(riscv64-unknown-elf-nm build/kernel.elf 2>/dev/null | awk '$3 == "start64" || $3 == "vga_write"')"
check_match "kernel.asm: the boot sector disassembled as 16-bit code" \
	"$(cat build/x86_64/kernel.asm)" '7c40:[[:space:]]+66 ea 00 7e 00 00 08[[:space:]]+ljmpl +\$0x8,\$0x7e00'

# ---- booting ------------------------------------------------------------------
QEMU_ARGS=(qemu-system-x86_64 -machine pc -display none -monitor none)
timeout -k 2 20 "${QEMU_ARGS[@]}" -drive "format=raw,file=$img" -serial "file:$tmp/com1" \
	</dev/null >"$tmp/qemu.out" 2>&1; rc=$?
check_eq "QEMU exits by itself with status 0 (ACPI off)" "$rc" 0
check_eq "COM1 says Hello World! and nothing else" "$(tr -d '\r' <"$tmp/com1")" "Hello World!"

out=$(env -u DISPLAY -u WAYLAND_DISPLAY timeout -k 2 30 make -s --no-print-directory run-x86 </dev/null 2>&1); rc=$?
check_eq "make run-x86: QEMU exits 0 by itself" "$rc" 0
check_match "make run-x86: COM1 on the terminal says Hello World!" "$(printf '%s\n' "$out" | tr -d '\r')" '^Hello World!$'
cmd=$(env -u DISPLAY -u WAYLAND_DISPLAY make -n --no-print-directory run-x86 | tail -n 1)
check_eq "make run-x86 without a display: the command line" "$cmd" \
	"qemu-system-x86_64 -machine pc -drive format=raw,file=build/x86_64/disk.img -serial stdio -display none"
cmd=$(DISPLAY=:9 make -n --no-print-directory run-x86 | tail -n 1)
check_eq "make run-x86 with a display: the VGA window stays" "$cmd" \
	"qemu-system-x86_64 -machine pc -drive format=raw,file=build/x86_64/disk.img -serial stdio"

# q35's SeaBIOS does not boot a disk under 1008 sectors (docs/x86-pc.md); the
# same image padded to 1 MiB boots, and ACPI off at 0x604 ends q35 too.
cp "$img" "$tmp/q35.img" && truncate -s 1M "$tmp/q35.img"
timeout -k 2 20 qemu-system-x86_64 -machine q35 -display none -monitor none -drive "format=raw,file=$tmp/q35.img" \
	-serial "file:$tmp/com1-q35" </dev/null >/dev/null 2>&1; rc=$?
check_eq "q35, the image padded to 1 MiB: QEMU exits 0 by itself (ACPI off)" "$rc" 0
check_eq "q35: COM1 says Hello World!" "$(tr -d '\r' <"$tmp/com1-q35")" "Hello World!"

# How much SeaBIOS runs, and where, counted by bootscope's plugin (its
# addresses are linear ones: cs base + eip).
plugin=build/bootscope-count.so
if [ -f "$plugin" ]; then
	timeout -k 2 30 "${QEMU_ARGS[@]}" -drive "format=raw,file=$img" -serial null \
		-plugin "file=$plugin,out=$tmp/count,mark=0x7c00,mark=$(sym start64)" </dev/null >/dev/null 2>&1
	check_eq "the plugin counts the first instruction at the linear address 0xfffffff0, once" \
		"$(awk '$1 == "insn" && $2 == "0xfffffff0" { print $3 }' "$tmp/count")" 1
	n=$(awk '$1 == "mark" && $2 == "0x7c00" { print $3 }' "$tmp/count")
	echo "# instructions before 0x7c00: $n; total: $(awk '$1 == "total" { print $2 }' "$tmp/count")"
	check "SeaBIOS runs 1 to 50 million instructions before 0x7c00" test "${n:-0}" -ge 1000000 -a "${n:-0}" -le 50000000
	where=$(python3 - "$tmp/count" <<'EOF2'
import sys
seen = set()
for line in open(sys.argv[1]):
    f = line.split()
    if f[0] != "insn":
        continue
    a = int(f[1], 16)
    if a >= 0xfffc0000: seen.add("rom")
    elif 0xe0000 <= a < 0x100000: seen.add("shadow")
    elif 0xc0000 <= a < 0xe0000: seen.add("vgabios")
print(" ".join(sorted(seen)))
EOF2
)
	check_eq "SeaBIOS runs in its ROM below 4 GiB, in its copy below 1 MiB, and the VGA BIOS at 0xc0000" "$where" "rom shadow vgabios"
else
	echo "# kernel_x86: no $plugin (make tracer builds it): instruction counts skipped"
fi

# ---- under gdb-multiarch --------------------------------------------------------
# qemu NAME: a paused QEMU on $tmp/NAME.sock, its (timeout's) pid in $qpid.
qemu() {
	bg 30 "${QEMU_ARGS[@]}" -drive "format=raw,file=$img" -serial "file:$tmp/$1.com1" -S \
		-gdb "unix:$tmp/$1.sock,server=on,wait=off" 2>"$tmp/$1.err"
	qpid=$bg_pid
	wait_for_file "$tmp/$1.sock" || not_ok "QEMU $1 did not open its gdbstub: $(head -c 300 "$tmp/$1.err")"
}
# gdb_run NAME ARGS...: gdb-multiarch in batch mode on $tmp/NAME.sock, output in $tmp/NAME.gdb
gdb_run() {
	local name=$1; shift
	timeout -k 2 30 gdb-multiarch -batch -nx "$elf" -ex "target remote $tmp/$name.sock" "$@" >"$tmp/$name.gdb" 2>&1
}
# at NAME TAG: the line gdb printed as "@@TAG ..." in run NAME, without the tag
at() { sed -n "s/^@@$2 //p" "$tmp/$1.gdb"; }

qemu walk
gdb_run walk \
	-ex 'printf "@@reset cs=%#x ip=%#x cr0=%#x\n", $cs, $pc, $cr0' \
	-ex 'x/5bx 0xfffffff0' -ex 'x/5bx 0xffff0' -ex 'monitor info roms' \
	-ex 'hbreak *0x7c00' -ex c \
	-ex 'printf "@@boot cs=%#x ip=%#x dl=%#x cr0=%#x\n", $cs, $pc, $rdx & 0xff, $cr0' \
	-ex 'printf "@@sig %#x %#x\n", *(unsigned char *)0x7dfe, *(unsigned char *)0x7dff' \
	-ex 'printf "@@biosvga %c%c%c%c%c%c%c attr=%#x\n", *(char *)0xb8000, *(char *)0xb8002, *(char *)0xb8004, *(char *)0xb8006, *(char *)0xb8008, *(char *)0xb800a, *(char *)0xb800c, *(unsigned char *)0xb8001' \
	-ex 'x/2i $pc' -ex 'monitor info mtree' \
	-ex 'printf "@@a20mem %#x %#x\n", *(unsigned char *)0x107dfe, *(unsigned char *)0x107dff' \
	-ex 'hbreak enable_a20' -ex c -ex stepi -ex 'printf "@@a20 al=%#x\n", $al' \
	-ex stepi -ex stepi -ex 'printf "@@a20next pc=%#x\n", $pc' \
	-ex 'break start32' -ex c \
	-ex 'printf "@@start32 cs=%#x cr0=%#x efer=%#x\n", $cs, $cr0, $efer' \
	-ex 'break start64' -ex c \
	-ex 'printf "@@start64 pc=%#x cs=%#x cr0=%#x cr4=%#x efer=%#x cr3=%#x\n", $pc, $cs, $cr0, $cr4, $efer, $cr3' \
	-ex 'hbreak power_off' -ex c \
	-ex 'printf "@@power_off pc=%#x\n", $pc' -ex 'x/24bx 0xb8000' \
	-ex kill
check_eq "at reset: cs:ip = f000:fff0" "$(at walk reset | cut -d' ' -f1,2)" "cs=0xf000 ip=0xfff0"
check_eq "at reset: cr0 = 0x60000010 (CD NW ET; PE clear: real mode)" "$(at walk reset | cut -d' ' -f3)" "cr0=0x60000010"
rv=$(grep -A0 '^0xfffffff0:' "$tmp/walk.gdb" | cut -f2- | tr -d '\t')
check_eq "the reset vector 0xFFFFFFF0 holds ljmp f000:e05b" "$rv" "0xea0x5b0xe00x000xf0"
check_eq "... and so does its copy below 1 MiB at 0xFFFF0" "$(grep '^0xffff0:' "$tmp/walk.gdb" | cut -f2- | tr -d '\t')" "$rv"
check_eq "the last 16 bytes of SeaBIOS's bios-256k.bin begin with the same jump" \
	"$(tail -c 16 /usr/share/seabios/bios-256k.bin | head -c 5 | od -An -tx1 | tr -d ' \n')" ea5be000f0
check_match "info roms: bios-256k.bin is the ROM at 0xfffc0000, 256 KiB" "$(cat "$tmp/walk.gdb")" \
	'addr=00000000fffc0000 size=0x040000 mem=rom name="bios-256k.bin"'
check_eq "hbreak *0x7c00 stops with cs:ip = 0000:7c00" "$(at walk boot | cut -d' ' -f1,2)" "cs=0 ip=0x7c00"
check_eq "at 0x7c00 dl = 0x80, the first hard disk" "$(at walk boot | cut -d' ' -f3)" "dl=0x80"
check_eq "at 0x7c00 cr0 = 0x10: real mode (PE clear)" "$(at walk boot | cut -d' ' -f4)" "cr0=0x10"
check_eq "at 0x7c00 the boot signature is in memory at 0x7dfe" "$(at walk sig)" "0x55 0xaa"
check_eq "at 0x7c00 the VGA text buffer holds SeaBIOS's banner, attribute 0x07" "$(at walk biosvga)" "SeaBIOS attr=0x7"
check_match "gdb disassembles real-mode code as 64-bit: the ljmp at 0x7c01 is (bad)" "$(cat "$tmp/walk.gdb")" \
	'0x7c01 <boot_start\+1>:[[:space:]]+\(bad\)'
check_match "at 0x7c00 the PIIX4's ACPI block is at 0x600, its PM1a control at 0x604" "$(cat "$tmp/walk.gdb")" \
	'0000000000000604-0000000000000605 \(prio 0, i/o\): acpi-cnt'
check_eq "at 0x7c00 A20 is already on: 1 MiB higher, 0x107dfe is not a copy of the signature" "$(at walk a20mem)" "0 0"
check_eq "enable_a20: port 0x92 reads 0x02 (bit 1, A20, set by SeaBIOS)" "$(at walk a20)" "al=0x2"
check_eq "... so the jnz skips the write, straight to enter_protected" "$(at walk a20next)" "pc=$(sym enter_protected)"
check_eq "at start32: cs = 0x8, cr0 PE set, PG clear, EFER 0" "$(at walk start32)" "cs=0x8 cr0=0x11 efer=0"
read -r pc cs cr0 cr4 efer cr3 <<<"$(at walk start64)"
check_eq "start64 is reached at its address" "$pc" "pc=$(sym start64)"
check_eq "at start64: cs = 0x18, the descriptor with L set" "$cs" "cs=0x18"
v=${cr0#cr0=}
check_eq "at start64: cr0 PG (bit 31) and PE (bit 0) set" $(( (v >> 31) & 1 ))$(( v & 1 )) 11
v=${efer#efer=}
check_eq "at start64: EFER LMA (bit 10) and LME (bit 8) set" $(( (v >> 10) & 1 ))$(( (v >> 8) & 1 )) 11
v=${cr4#cr4=}
check_eq "at start64: cr4 PAE (bit 5) set" $(( (v >> 5) & 1 )) 1
check_eq "at start64: cr3 is the PML4" "$cr3" "cr3=$(sym pml4)"
check_eq "hbreak power_off stops there" "$(at walk power_off)" "pc=$(sym power_off)"
# x/24bx: three lines of 8 bytes; character, attribute, character, ...
bytes=$(grep -E '^0xb80(00|08|10):' "$tmp/walk.gdb" | cut -f2- | tr -s '\t ' '\n' | grep '^0x')
text=$(printf '%s\n' "$bytes" | sed -n '1~2p' | while read -r b; do printf "\\x${b#0x}"; done)
attrs=$(printf '%s\n' "$bytes" | sed -n '2~2p' | sort -u | tr '\n' ' ')
check_eq "at power_off the VGA buffer at 0xB8000 holds Hello World! (every other byte)" "$text" "Hello World!"
check_eq "... each character with attribute 0x0b (light cyan on black)" "$attrs" "0x0b "
wait "$qpid"
check_eq "QEMU ended when gdb killed it" "$?" 0

# A software breakpoint at 0x7c00, set at reset before the BIOS has loaded
# anything there: QEMU keeps it aside, so the sector's bytes overwrite nothing.
qemu soft
gdb_run soft -ex 'break *0x7c00' -ex c -ex 'printf "@@boot cs=%#x ip=%#x\n", $cs, $pc' \
	-ex 'printf "@@first %#x\n", *(unsigned char *)0x7c00' -ex kill
check_eq "break *0x7c00 (a software breakpoint) stops there too" "$(at soft boot)" "cs=0 ip=0x7c00"
check_eq "... and memory at 0x7c00 is the boot sector's cli, not an int3" "$(at soft first)" 0xfa

# Stepping across the three mode switches, one instruction at a time, from
# each `mov %eax,%cr0` (found by objdump in the mode it runs in).
# movcr0 MODE SECTION: the address of the first mov %eax,%cr0 there
movcr0() { objdump -d -m "$1" -j "$2" "$elf" | awk '/mov +%eax,%cr0/ { sub(":", "", $1); print "0x" $1; exit }'; }
pe_at=$(movcr0 i8086 .boot) pg_at=$(movcr0 i386 .text32)
check "objdump finds the mov to cr0 in .boot and in .text32" test -n "$pe_at" -a -n "$pg_at"
qemu step
gdb_run step -ex "hbreak *$pe_at" -ex c -ex stepi -ex 'printf "@@pe cr0=%#x cs=%#x\n", $cr0, $cs' \
	-ex stepi -ex 'printf "@@ljmp32 pc=%#x cs=%#x\n", $pc, $cs' \
	-ex "hbreak *$pg_at" -ex c -ex stepi -ex 'printf "@@pg cr0=%#x efer=%#x cs=%#x\n", $cr0, $efer, $cs' \
	-ex stepi -ex 'printf "@@ljmp64 pc=%#x cs=%#x\n", $pc, $cs' -ex kill
check_eq "stepi over mov %eax,%cr0 in .boot: PE set, cs still 0" "$(at step pe)" "cr0=0x11 cs=0"
check_eq "stepi over the far jump: start32, cs = 0x8" "$(at step ljmp32)" "pc=$(sym start32) cs=0x8"
check_eq "stepi over mov %eax,%cr0 in .text32: PG set, EFER.LMA set, cs still 0x8 (compatibility mode)" \
	"$(at step pg)" "cr0=0x80000011 efer=0x500 cs=0x8"
check_eq "stepi over the far jump: start64, cs = 0x18" "$(at step ljmp64)" "pc=$(sym start64) cs=0x18"

# The end, on the wire: ACPI off answers the c with W00, then the socket closes.
qemu end
out=$(timeout -k 2 15 python3 "$PROBE" "$tmp/end.sock" 'qSupported:swbreak+;hwbreak+' '!send c' '!eof' 2>&1)
check_eq "the guest powers off: the c is answered W00, then the connection closes" \
	"$(printf '%s\n' "$out" | sed -n 3p)" 'closed: +$W00#b7'
wait "$qpid"
check_eq "... and QEMU exits with status 0" "$?" 0
check_eq "... after COM1 said Hello World!" "$(tr -d '\r' <"$tmp/end.com1")" "Hello World!"
check_done
