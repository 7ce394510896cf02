# The PC on the screen, as a person walks it: the reset vector as
# segment:offset and linear address, `>` into SeaBIOS and on to the boot
# sector, and the VGA text screen beside the serial console.
. "$TOP/tests/lib/check.sh"
. "$TOP/tests/lib/tui.sh"

disk=$files/loop.img
{ printf '\353\376'; head -c 508 /dev/zero; printf '\125\252'; } >"$disk"

tui_start 100x30 -- "$disk"
check_screen "a boot sector's disk: up at the PC's reset vector" \
	'^ 1 reset 0xfffffff0  →  2 BIOS 0xfe05b  →  3 boot 0x7c00  →  4 kernel \?'
check_screen "...the pc as linear address and as real mode's cs:ip" '^ pc 0xfffffff0 \(f000:fff0\)  BIOS ROM'
check_screen "...in real mode" ' real mode insn 0'
check_screen "...the far jump disassembled as 16-bit code" '▶fffffff0 ljmp +\$0xf000,\$0xe05b'
check_screen "...cr0 decoded: no PE, the caches off" 'cr0 0x60000010 NW CD  efer 0x0'
tui_keys '>'
check_screen ">: into the BIOS at f000:e05b" 'entered stage 2, BIOS, at 0xfe05b in real mode'
check_screen "...its pc both ways" '^ pc 0xfe05b \(f000:e05b\)  SeaBIOS'
tui_keys '>'
check_screen ">: the boot sector at 0000:7c00" 'entered stage 3, boot sector, at 0x7c00 in real mode'
check_screen "...its loop disassembled" '▶00007c00 jmp +0x7c00'
check_screen "...the VGA text screen, read from 0xb8000" '^ VGA text 0xb8000'
check_screen "...with what SeaBIOS wrote there" '^Booting from Hard Disk\.\.\.'
tui_keys s
check_screen "s: one step of the loop lands where it was" 'stepped 1 instruction'
check_screen "...the pc still 0x7c00" '^ pc 0x7c00 \(0000:7c00\)'
tui_keys q
tui_exit_status
check_eq "q: exits 0" "$rc" 0
check_clean "pc, screen"

# ---- the bundled PC kernel: --board pc alone opens it ----------------------
tui_start 100x34 -- --board pc
check_screen "--board pc: the bundled disk, up at the reset vector" '^ pc 0xfffffff0 \(f000:fff0\)'
tui_keys '>' '>'
check_screen "> >: the boot sector, with its symbols from kernel.elf" '^ pc 0x7c00 \(0000:7c00\)  disk  \.boot .* boot_start'
tui_keys '>'
check_screen ">: the kernel at start64, in long mode" 'entered stage 4, kernel, at 0x7e90 in long mode'
check_screen "...its first instruction as 64-bit code" '▶00007e90 mov +\$0x10000,%rsp'
check_screen "...cr0 and efer say why: paging, long mode active" 'cr0 0x80000011 PE PG  efer 0x500 LME LMA'
# n over a call: kmain's first instruction after its prologue calls vga_clear.
tui_keys s s s
check_screen "s s s: into kmain, at its call of vga_clear" '▶00007ea4 call +0x7f90 <vga_clear>'
tui_keys n
check_screen "n: over the call, to the instruction after it" '^ pc 0x7ea9  kernel  \.text .* kmain\+0x9'
tui_keys b
tui_type power_off
tui_keys Enter
check_screen "b power_off: set" "breakpoint at $(nm build/x86_64/kernel.elf | awk '$3 == "power_off" { sub(/^0+/, "", $1); print "0x" $1 }') set"
tui_keys c
check_screen "c: stopped at power_off" 'stopped at 0x[0-9a-f]+ <power_off>'
check_screen "...the kernel's Hello World! on the VGA screen" '^ VGA text 0xb8000'
check_screen "...in the VGA rows" '^Hello World!'
# The serial console's copy, below the console's title (SeaBIOS ends its
# own line there with two dots or three, so the kernel's may share it).
serial_hello() { tui_screen | sed -n '/^ console/,$p' | grep -c 'Hello World!'; }
end=$(($(date +%s) + 5))
while [ "$(serial_hello)" = 0 ] && [ "$(date +%s)" -lt $end ]; do sleep 0.05; done
check_eq "...and on the serial console below it" "$(serial_hello)" 1
tui_keys e
check_screen "e: the events list has the switch to protected mode" 'cr0 = 0x11 \(was 0x10\)'
check_screen "...and to long mode" 'cr0 = 0x80000011 \(was 0x11\)'
tui_keys Escape q
tui_exit_status
check_eq "q: exits 0" "$rc" 0
check_clean "pc, bundled kernel"

check_done
