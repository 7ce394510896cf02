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
tui_keys '>'
check_screen "> > to the kernel's entry" 'entered stage 3, kernel, at 0x80200000 in S mode'
entry=$(regs)
tui_keys 5 s
check_screen "5s: five instructions on" 'stepped 5 instructions'
tui_keys S
check_screen "S: one back" '^ back at instruction 11845102, 0x[0-9a-f]+ <[a-z_]+\+0x[0-9a-f]+>'
tui_keys S S S S
check_screen "S four more times: at the kernel's entry again" '^ back at instruction 11845098, 0x80200000 <_start>'
check_eq "...with every register shown as it was when first there" "$(regs)" "$entry"
tui_keys S
check_screen "S once more: OpenSBI's mret, in M mode" '^ back at instruction 11845097, 0x[0-9a-f]+ <unknown>'
check_screen "...in M mode" ' M mode'
tui_keys s
check_screen "s: forward again, across the mret to the kernel's entry in S mode" 'entered stage 3, kernel, at 0x80200000 in S mode'
check_eq "...as it was the first time" "$(regs)" "$entry"
tui_keys q
tui_exit_status
check_eq "q: exits 0" "$rc" 0
check_clean "travel"
