# Someone else's kernel on screen: an xv6-style kernel with --bios none has
# two stages, starts at 0x80000000 in M mode, and its own mret into S mode
# shows as an event, not as a stage.
. "$TOP/tests/lib/check.sh"
. "$TOP/tests/lib/tui.sh"

bash "$TOP/tests/kernels/build.sh" "$files/k" >/dev/null || { not_ok "test kernels build"; check_done; }

tui_start 100x30 -- --bios none "$files/k/mmode.elf"
check_screen "--bios none: two stages on the bar" '^ 1 reset( vector)? 0x1000 .* 2 kernel 0x80000000 '
check_screen_not "--bios none: no firmware stage" '2 firmware'
tui_keys '>'
check_screen "> reaches the kernel at 0x80000000" '^ pc 0x80000000 '
check_screen "... in M mode" ' M mode *$'
tui_keys b
tui_type smain
tui_keys Enter c
check_screen "after its mret, the kernel runs in S mode" ' S mode *$'
check_screen "the privilege change is an event on the status line" '^ stopped at 0x[0-9a-f]+ <smain>; privilege changed M -> S'
check_screen "... and still stage 2, the kernel" '^ pc 0x[0-9a-f]+  kernel '
tui_keys c
check_screen "it powers off through the test device" 'QEMU exited with status 0'
check_screen "its own console output" '^MS'
tui_keys q
tui_exit_status
check_eq "q exits 0" "$rc" 0
check_clean "anykernel"
check_done
