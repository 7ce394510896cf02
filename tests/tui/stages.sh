# The boot, stage by stage, as a person sees it at 120x40: the first screen
# at the reset vector, `>` to the firmware and to the kernel, `c` to the
# end with the kernel's greeting in the console, then `q`.
. "$TOP/tests/lib/check.sh"
. "$TOP/tests/lib/tui.sh"

tui_start 120x40

# The first screen: stage 1 at the reset vector, M mode.
check_screen "first screen: the where line says pc 0x1000" '^ pc 0x1000 '
check_screen "first screen: the code panel has ▶ on auipc t0,0x0 at 0x1000" '▶0*1000 auipc t0,0x0'
check_screen "first screen: the stage bar names the three stages" \
	'^ 1 reset( vector)? 0x1000 .* 2 firmware 0x80000000 .* 3 kernel 0x80200000 '
check_screen "first screen: M mode" '^ 1 reset.* M mode( insn [0-9]+)? *$'
check_highlighted "first screen: stage 1 is highlighted" '1 reset'
check_plain "first screen: stage 2 is not" '2 firmware 0x80000000'
check_plain "first screen: stage 3 is not" '3 kernel 0x80200000'
check_screen "first screen: the status line shows the whole event" '^ paused at 0x1000: stage 1, reset vector( |$)' 3

# > : the firmware, still in M mode.
tui_keys '>'
check_screen "> reaches the firmware: pc 0x80000000" '^ pc 0x80000000 '
check_screen "> reaches the firmware: ▶ on 0x80000000" '▶80000000 '
check_screen "> reaches the firmware: M mode" '^ 1 reset.* M mode( insn [0-9]+)? *$'
check_highlighted "> reaches the firmware: stage 2 is highlighted" '2 firmware'
check_plain "> reaches the firmware: stage 1 is not" '1 reset'

# > again: the kernel, in S mode, at _start in .text.
tui_keys '>'
check_screen "> again reaches the kernel: pc 0x80200000" '^ pc 0x80200000 '
check_screen "> again reaches the kernel: S mode" '^ 1 reset.* S mode( insn [0-9]+)? *$'
check_highlighted "> again reaches the kernel: stage 3 is highlighted" '3 kernel'
check_plain "> again reaches the kernel: stage 2 is not" '2 firmware'
check_screen "> again reaches the kernel: the where line says section .text" '^ pc 0x80200000 .* \.text '
check_screen "> again reaches the kernel: the where line says symbol _start" '^ pc 0x80200000 .* _start( |$)'

# c : the kernel runs to its end, prints its greeting, and powers off.
tui_keys c
check_screen "c: the status line says QEMU exited with status 0" '^ QEMU exited with status 0( |$)' 10
check_screen "c: the console shows the kernel's greeting" '^Hello from the bootscope kernel! *'
check_screen "c: the console shows the kernel's last line" '^5 sections shown; shutting down through SBI'

tui_keys q
tui_exit_status
check_eq "q after the end: bootscope exits 0" "$rc" 0
check_screen "q after the end: EXIT=0 in the pane" '^EXIT=0$'
check_restored "q after the end"
check_clean "q after the end"
check_done
