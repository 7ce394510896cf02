# The keys, as a person uses them at 100x30: s and a count, the changed
# register's highlight, the memory view (x), the help (?), a breakpoint on
# a kernel symbol with Tab completion (b), c to it, and the console.
. "$TOP/tests/lib/check.sh"
. "$TOP/tests/lib/tui.sh"

kmain=$(nm_addr kmain)
kmain8=$(printf '%08x' "$kmain")

tui_start 100x30
check_screen "start: pc 0x1000" '^ pc 0x1000 '

# s: one step.  auipc t0,0 makes t0 0x1000; nothing else but pc changes.
tui_keys s
check_screen "s: the where line says pc 0x1004" '^ pc 0x1004 '
check_screen "s: ▶ moves to 0x1004" '▶0*1004 add a2,t0,'
check_screen "s: ▶ is no longer on 0x1000" '^  0*1000 auipc t0,0x0'
check_screen "s: t0 shows 0x1000" 't0   0000000000001000'
check_highlighted "s: the changed t0 is highlighted" 't0   0000000000001000'
check_highlighted "s: the changed pc is highlighted" 'pc   0000000000001004'
check_plain "s: the unchanged t1 is not" 't1   0000000000000000'
check_plain "s: the unchanged ra is not" 'ra   0000000000000000'

# 3s: a count, then the key.
tui_type 3s
check_screen "3s: the where line says pc 0x1010 (three more steps)" '^ pc 0x1010 '
check_screen "3s: ▶ on 0x1010" '▶0*1010 ld t0,24\(t0\)'
check_plain "3s: t0, unchanged by these three, is no longer highlighted" 't0   0000000000001000'

# x: memory at 0x1000 -- auipc t0,0 is 97 02 00 00 -- and Esc closes it.
tui_keys x
check_screen "x: the prompt asks for an address" 'memory at \(symbol or address\): *$'
tui_type 0x1000
tui_keys Enter
check_screen "x 0x1000: the memory view opens" 'memory at 0x1000 '
check_screen "x 0x1000: its first bytes are 97 02 00 00 (auipc t0,0)" '0*1000 +97 02 00 00 '
tui_keys Escape
check_screen_not "Esc closes the memory view" 'memory at 0x1000'
check_screen "after Esc the code panel is back" '▶0*1010 ld t0,24\(t0\)'

# ?: the help lists the keys; any key closes it.
tui_keys '?'
check_screen "?: the help opens" 'bootscope keys'
for k in 's +step one instruction' 'n +step over' 'c +continue' '> +run to the start of the next boot stage' \
	 'b +set or clear a breakpoint' 'x +show memory' 'r +restart' 'h +H +the next hart' 'Ctrl-C +stop' 'q +quit' \
	 'Any key closes this help'; do
	check_screen "?: the help lists ${k%% *}" "^ .* $k"
done
tui_keys Space
check_screen_not "a key (Space) closes the help" 'bootscope keys|Any key closes'
check_screen "after the help the pc is where it was" '^ pc 0x1010 '

# b, Tab completion: km<Tab> becomes kmain.
tui_keys b
check_screen "b: the prompt asks where to break" 'break at .*: *$'
tui_type km
tui_keys Tab
check_screen "b km<Tab> completes to kmain" 'break at .*: kmain *$'
tui_keys Enter
check_screen "b kmain: the status line says the breakpoint is set" "breakpoint at $kmain set"

# Tab when many symbols start alike lists them; when none does, says so.
tui_keys b
tui_type s
tui_keys Tab
check_screen "b s<Tab>: the matches are listed (sbss, sdata, ...)" '[0-9]+\+? matches:.* s[a-z_]+ s[a-z_]+' 3
tui_keys BSpace
tui_type zz
tui_keys Tab
check_screen "b zz<Tab>: says no symbol starts like that" 'no symbol starts like that' 3
tui_keys Escape
check_screen_not "Esc closes the prompt" 'break at '

# c: stops at kmain, with ● on its line.
tui_keys c
check_screen "c: stops at kmain (pc $kmain from nm)" "^ pc $kmain .* kmain( |$)"
check_screen "c: ● and ▶ on kmain's line" "●▶$kmain8 "
check_screen "c: the code panel labels <kmain>" '^<kmain>:'
check_screen "c: S mode at kmain" '^ 1 reset.* S mode( insn [0-9]+)? *$'
tui_keys s
check_screen "s from kmain: ● stays on kmain's line, ▶ moves on" "● $kmain8 "

# c again: the kernel runs to its end; its lines reach the console.
tui_keys c
check_screen "c to the end: QEMU exited with status 0" '^ QEMU exited with status 0( |$)' 10
check_screen "c to the end: the console shows the kernel's last line" '^5 sections shown; shutting down through SBI'

# The console keeps all of it: scroll back to the greeting, line by line
# with Up, and page by page with PgUp without skipping any of the kernel's
# lines.
tui_keys Tab
check_screen "Tab moves the focus to the console" '^ console \*'
tui_wait '^Hello from the bootscope kernel!' 0 || for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	tui_keys Up
	tui_wait "^ console \(scrolled back $i lines\)" 2 || break
	tui_wait '^Hello from the bootscope kernel!' 0 && break
done
check_screen "Up scrolls the console back to the greeting" '^Hello from the bootscope kernel!' 1
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	tui_keys Down
	tui_wait '^ console \*' 0 && break
done
check_screen "Down scrolls the console back to its end" '^ console \*' 1
seen=$screen back=0
for page in 1 2 3; do
	tui_keys PPage
	# Until the title shows a new scroll position.
	tui_wait "^ console \(scrolled back [0-9]+ lines\)" 2 &&
		tui_wait_not "^ console \(scrolled back $back lines\)" 2
	back=$(screen_line '^ console ' | sed -n 's/.*scrolled back \([0-9]*\) lines.*/\1/p')
	seen+=$'\n'$screen
done
rows=$(printf '%s\n' "$screen" | awk '/^ console / { t = NR } END { print NR - t - 1 }')
for l in 'Hello from the bootscope kernel!' 'hart id: 0' 'device tree at: ' 'kernel layout:' \
	 '  .text ' '  .rodata ' '  .data ' '  .bss ' '  stack ' 'kernel: ' '5 sections shown'; do
	# The console is the panel at column 0: its lines start there.
	if printf '%s\n' "$seen" | awk -v l="$l" 'index($0, l) == 1 { f = 1 } END { exit !f }'; then
		ok "PgUp pages through the console without skipping a line: '$l' shown"
	else
		not_ok "PgUp pages through the console without skipping a line: '$l' never shown (3 PgUp went back ${back:-?} lines; the console shows $rows)"
	fi
done

tui_keys q
tui_exit_status
check_eq "q: bootscope exits 0" "$rc" 0
check_clean "q"
check_done
