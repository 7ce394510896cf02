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

check_done
