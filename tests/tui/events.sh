# The boot's story on the screen: the events list (e), running to the next
# SBI call (E), mode change (M) and trap (T), and the code panel naming an
# SBI call under the pc before it is taken.
. "$TOP/tests/lib/check.sh"
. "$TOP/tests/lib/tui.sh"

tui_start 110x34
check_screen "bootscope is up" '^ pc 0x1000 '
tui_keys '>'
check_screen "> to the firmware" '^ pc 0x80000000 '
tui_keys '>'
check_screen "> to the kernel: stage 3 entered" 'entered stage 3, kernel, at 0x80200000 in S mode'

tui_keys e
check_screen "e: the events list, with how many" "the boot's events: [0-9]+ "
check_screen "e: OpenSBI's mret into the kernel, with its instruction count" \
	'^ *11845097 +firmware +M +mret: M -> S mode, to 0x80200000 <_start>'
check_screen "e: OpenSBI's deliberate illegal-instruction traps" \
	'firmware +M +trap: illegal instruction at 0x[0-9a-f]+, mtval 0x[0-9a-f]+, M -> M mode'
check_screen "e: OpenSBI writing mtvec" 'mtvec = 0x[0-9a-f]+ .*\(was 0x[0-9a-f]+\)'
check_screen "e: the newest event, the kernel's stage, is selected" '^ *> +11845098 +kernel .*entered stage 3'
tui_keys Up
check_screen "Up: the mret is selected, and its registers shown" '^ *> +11845097 .*mret'
check_screen "Up: the registers recorded with it" '^ *ra=[0-9a-f]+ sp=[0-9a-f]+ '
tui_keys Escape
check_screen_not "Esc closes the list" "the boot's events:"

tui_keys E
check_screen "E: stops after the next SBI call, naming it" \
	"^ stopped at 0x[0-9a-f]+ <unknown>; SBI legacy console_putchar ch='H'"
tui_keys M
check_screen "M: the next change of mode, OpenSBI's mret back to the kernel" \
	'^ stopped at 0x802004cc <sbi_console_putchar\+0xc>; mret: M -> S mode'

# The ecall of sbi_console_putchar, under the pc: the call it will make.
ecall=$(riscv64-unknown-elf-objdump -d "$KERNEL" | awk '/<sbi_console_putchar>:/ { f = 1 } f && /\tecall/ { sub(":", "", $1); print $1; exit }')
tui_keys b
tui_type "0x$ecall"
tui_keys Enter
tui_keys c
check_screen "at the ecall, the code panel names the SBI call it makes: the next character" \
	"▶$ecall ecall +SBI legacy console_putchar ch='e'"
tui_keys q
tui_exit_status
check_eq "q: exits 0" "$rc" 0
check_clean "events"

# The profile: none before a run ends; after the guest powers off, p says
# where the instructions went, and the code panel counts each line.
tui_start 110x34
check_screen "profile: up" '^ pc 0x1000 '
tui_keys p
check_screen "p before any run ended: no profile yet, and how to get one" 'no profile yet'
tui_keys Escape
tui_keys c
check_screen "c: the guest powers off" 'QEMU exited with status 0' 15
tui_keys p
check_screen "p: the last run's instructions, all of them" "where the last run's 11983250 instructions went"
check_screen "p: the firmware stage holds most of them" '^ +11963874 +99\.84% +stage firmware'
check_screen "p: the hottest functions, OpenSBI's named by their address" '^ +[0-9]+ +[0-9.]+% +firmware +0x8000[0-9a-f]+ \(no symbol\)'
tui_keys Escape
tui_keys r
check_screen "r: a new QEMU at the reset vector" '^ pc 0x1000 '
check_screen "after r: the code panel counts the last run's instructions (the reset vector: once each)" '▶0*1000 auipc t0,0x0 +1x'
tui_keys q
tui_exit_status
check_clean "profile"

# A kernel that traps at once: T runs to its trap.
build_spin "$files/spin.elf"
bash "$TOP/tests/kernels/build.sh" "$files/k" >/dev/null 2>&1 || not_ok "test kernels build"
tui_start 110x34 -- "$files/k/trap.elf"
check_screen "trap.elf: up" '^ pc 0x1000 '
tui_keys '>'
check_screen "trap.elf: > to the firmware" '^ pc 0x80000000 '
tui_keys '>'
check_screen "trap.elf: > to its entry" 'entered stage 3, kernel'
tui_keys T
check_screen "T: the illegal instruction, from S mode into M mode, named" \
	'trap: illegal instruction at 0x80200000 <_start>, mtval 0x30001073, S -> M'
tui_keys q
tui_exit_status
check_clean "trap.elf"

# --no-events: the keys say why they do nothing.
tui_start 110x34 -- --no-events "$KERNEL"
check_screen "--no-events: up" '^ pc 0x1000 '
tui_keys E
check_screen "--no-events: E says the events are not recorded" "not recorded \(--no-events\)"
tui_keys q
tui_exit_status
check_clean "--no-events"

check_done
