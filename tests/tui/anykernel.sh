# Someone else's kernel on screen: an xv6-style kernel with --bios none has
# two stages, starts at 0x80000000 in M mode, and its own mret into S mode
# shows as an event, not as a stage.  A kernel that prints escape sequences
# (a screen clear, a title change) has them shown as printable text in the
# console panel, never acting on the terminal.
. "$TOP/tests/lib/check.sh"
. "$TOP/tests/lib/tui.sh"

bash "$TOP/tests/kernels/build.sh" "$files/k" >/dev/null || { not_ok "test kernels build"; check_done; }

tui_start 100x30 -- --bios none "$files/k/mmode.elf"
check_screen "--bios none: two stages on the bar" '^ 1 reset( vector)? 0x1000 .* 2 kernel 0x80000000 '
check_screen_not "--bios none: no firmware stage" '2 firmware'
tui_keys '>'
check_screen "> reaches the kernel at 0x80000000" '^ pc 0x80000000 '
check_screen "... in M mode" ' M mode( insn [0-9]+)? *$'
tui_keys b
tui_type smain
tui_keys Enter c
check_screen "after its mret, the kernel runs in S mode" ' S mode( insn [0-9]+)? *$'
check_screen "the privilege change is an event on the status line: the kernel's own mret" \
	'^ stopped at 0x[0-9a-f]+ <smain>; mret: M -> S mode, to 0x[0-9a-f]+ <smain>'
check_screen "... and still stage 2, the kernel" '^ pc 0x[0-9a-f]+  kernel '
tui_keys c
check_screen "it powers off through the test device" 'QEMU exited with status 0'
check_screen "its own console output" '^MS'
tui_keys q
tui_exit_status
check_eq "q exits 0" "$rc" 0
check_clean "anykernel"

tui_start 100x30 -- "$files/k/escape.elf"
check_screen "escape.elf: bootscope is up" '^ pc 0x1000 '
tui_keys c
check_screen "escape.elf: it powers off" 'QEMU exited with status 0'
# The tab is at column 25 of what is shown, so 7 spaces take it to 32.
check_screen "escape.elf: the console shows its escapes as text, its tab as spaces to a multiple of 8" \
	'^\\x1b\[2J\\x1b\]0;pwned\\x07hi {7}there( |$)'
check_screen "escape.elf: a backspace erases the character before it" '^abcY( |$)'
check_screen "escape.elf: the screen was not cleared (the stage bar is still up)" '^ 1 reset( vector)? 0x1000 '
check "escape.elf: the window title was not changed" test "$(tui display -p -t t '#{pane_title}')" != pwned
tui_keys q
tui_exit_status
check_eq "escape.elf: q exits 0" "$rc" 0
check_clean "escape.elf"

# Names from the ELF are outside bytes too: a symbol and a section that
# hold escapes are shown as printable text wherever the screen names them.
"${CROSS:-riscv64-unknown-elf-}objcopy" --redefine-sym _start=$'\e]0;pwned\a_start' \
	--rename-section .text=$'.text\e[2J' "$files/k/good.elf" "$files/names.elf" || not_ok "names.elf builds"
tui_start 100x30 -- "$files/names.elf"
check_screen "names.elf: bootscope is up" '^ pc 0x1000 '
tui_keys '>'
check_screen "names.elf: > reaches the firmware" '^ pc 0x80000000 '
tui_keys '>'
check_screen "names.elf: > reaches the kernel, its symbol and section shown as printable text" \
	'^ pc 0x80200000 .*\.text\\x1b\[2J.*\\x1b\]0;pwned\\x07_start'
check_screen "names.elf: the screen was not cleared" '^ 1 reset( vector)? 0x1000 '
tui_keys q
tui_exit_status
check_eq "names.elf: q exits 0" "$rc" 0
check_clean "names.elf"
check_done
