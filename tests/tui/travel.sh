# Going back (S, C): the boot run again to an earlier point, in a new
# QEMU, so that the machine is as it was then -- every register the screen
# shows, the mode, the pc -- and going forward again goes the same way.
. "$TOP/tests/lib/check.sh"
. "$TOP/tests/lib/tui.sh"

# The register panel: the lines between the title bar and the code.
regs() { tui_screen | sed -n '2,12p'; }

tui_start 110x34
check_screen "bootscope is up" '^ pc 0x1000 '
tui_keys '>'
check_screen "> to the firmware" '^ pc 0x80000000 '
tui_keys '>'
check_screen "> again to the kernel's entry" 'entered stage 3, kernel, at 0x80200000 in S mode'
entry=$(regs)
tui_keys 5 s
check_screen "5s: five instructions on" 'stepped 5 instructions'
tui_keys S
check_screen "S: one back" '^ back at instruction 11845102, 0x[0-9a-f]+ <[a-z_]+\+0x[0-9a-f]+>'
tui_keys S S S S
check_screen "S four more times: at the kernel's entry again" '^ back at instruction 11845098, 0x80200000 <_start>'
check_eq "...with every register shown as it was when first there" "$(regs)" "$entry"
qemu_before=$(tui_qemus)
tui_keys S
check_screen "S once more: OpenSBI's mret, in M mode" '^ back at instruction 11845097, 0x[0-9a-f]+ <unknown>'
check "...reached by running the boot again in a new QEMU" test "$(tui_qemus)" != "$qemu_before"
check_screen "...in M mode" ' M mode'
tui_keys s
check_screen "s: forward again, across the mret to the kernel's entry in S mode" 'entered stage 3, kernel, at 0x80200000 in S mode'
check_eq "...as it was the first time" "$(regs)" "$entry"
tui_keys q
tui_exit_status
check_eq "q: exits 0" "$rc" 0
check_clean "travel"

# C: back to the last stop or event before this one; memory too is as it
# was then.  show_range() counts its lines in lines_printed: 0 until its
# first call returns from printf and stores 1.
after_store=$(riscv64-unknown-elf-objdump -d "$KERNEL" | awk '/<show_range>:/ { f = 1 } f && /\tsd\ta5,0\(a4\)/ { sub(":", "", $1); print $1; exit }')
tui_start 110x34
check_screen "C: up" '^ pc 0x1000 '
tui_keys b
tui_type "0x$after_store"
tui_keys Enter
tui_keys c
check_screen "c: at the store to lines_printed (a breakpoint)" "stopped at breakpoint 0x$after_store|^ pc 0x$after_store "
tui_keys s
tui_keys x
tui_type lines_printed
tui_keys Enter
check_screen "x lines_printed after the store: 1" "0080207000  01 00 00 00 00 00 00 00"
tui_keys Escape
# S over a step just taken writes back what it changed, in the same QEMU.
qemu_before=$(tui_qemus)
tui_keys S
check_screen "S over the store: back at the breakpoint" "^ back at instruction [0-9]+, 0x$after_store <show_range\+0x[0-9a-f]+>"
tui_keys x
tui_type lines_printed
tui_keys Enter
check_screen "x lines_printed after S: 0, the store undone" "0080207000  00 00 00 00 00 00 00 00"
tui_keys Escape
check "S over a step just taken: its QEMU is there to see" test -n "$qemu_before"
check_eq "S over a step just taken: the same QEMU (undone, not run again)" "$(tui_qemus)" "$qemu_before"
tui_keys s
check_screen "s: the store again" "stepped 1 instruction"
tui_keys C
check_screen "C: back to the last stop, the breakpoint before the store" "^ back at instruction [0-9]+, 0x$after_store <show_range\+0x[0-9a-f]+>"
tui_keys x
tui_type lines_printed
tui_keys Enter
check_screen "x lines_printed there: 0 again, as it was before the store" "0080207000  00 00 00 00 00 00 00 00"
tui_keys Escape
tui_keys e
check_screen "e: the events list" "the boot's events: [0-9]+ "
tui_keys Home Enter
check_screen "Enter on the first event: the machine there (the firmware's first instruction)" \
	'^ back at instruction 6, 0x80000000 '
check_screen "...in M mode, the live end ahead" ' M mode insn 6 \([0-9]+ back\)'
tui_keys q
tui_exit_status
check_eq "q: exits 0" "$rc" 0
check_clean "travel, C"
