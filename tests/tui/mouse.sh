# The mouse at 100x30: a click selects the code or console panel, the wheel
# scrolls the panel under the pointer; --no-mouse leaves the mouse to the
# terminal.  The events are the bytes a terminal sends in xterm's 1000
# mode (ESC [ M, then button, column and row, each + 32, 1-based), which
# is what ncurses asks tmux-256color for: tmux cannot make a mouse event
# from the command line, so they are typed into the pane as they would
# arrive.
. "$TOP/tests/lib/check.sh"
. "$TOP/tests/lib/tui.sh"

# mouse BUTTON ROW COL: one event at 0-based ROW, COL (0 press, 64 wheel
# up, 65 wheel down).
mouse() {
	tui_type "$(printf '\033[M%b%b%b' "\\$(printf '%03o' $(($1 + 32)))" \
		"\\$(printf '%03o' $(($3 + 33)))" "\\$(printf '%03o' $(($2 + 33)))")"
}
# row_of REGEX: the 0-based screen row of the first line matching it.
row_of() { printf '%s\n' "$screen" | grep -En -m1 -- "$1" | cut -d: -f1 | awk '{ print $1 - 1 }'; }

tui_start 100x30
check_screen "start: the code panel has the focus" '^ code \*'
flags=$(tui display-message -p -t t '#{mouse_standard_flag}')
check_eq "the screen asks the terminal for mouse reports (xterm mode 1000)" "$flags" 1

# Reach the kernel, so the console has OpenSBI's banner to scroll.
tui_keys '>'
check_screen ">: in the firmware" '^ pc 0x80000000 '
tui_keys '>'
check_screen "> again: in the kernel" '^ pc 0x80200000 ' 15
tui_wait '^ console' || true
console_row=$(row_of '^ console')
code_row=$(row_of '^ code')
if [ -z "$console_row" ] || [ -z "$code_row" ]; then
	not_ok "the code and console panels' titles are on the screen:"
	show_screen
	check_done
fi

# A click on the console's text (two rows under its title) selects it.
mouse 0 $((console_row + 2)) 10
mouse 3 $((console_row + 2)) 10	# the release, which changes nothing
check_screen "a click on the console gives it the focus" '^ console \*'
check_screen_not "...the code panel is not marked any more" '^ code \*'

# The wheel over the console scrolls it back, three lines a notch.
last=$(printf '%s\n' "$screen" | sed -n "$((console_row + 2))p")
mouse 64 $((console_row + 2)) 10
check_screen "wheel up over the console scrolls it back 3 lines" '^ console \(scrolled back 3 lines\)'
mouse 64 $((console_row + 2)) 10
check_screen "a second notch: back 6 lines" '^ console \(scrolled back 6 lines\)'
now=$(printf '%s\n' "$screen" | sed -n "$((console_row + 2))p")
if [ -n "$last" ] && [ "$now" != "$last" ]; then ok "the console shows other lines once scrolled"
else not_ok "the console shows other lines once scrolled (row $((console_row + 2)) was \"$last\", is \"$now\")"; fi
mouse 65 $((console_row + 2)) 10
mouse 65 $((console_row + 2)) 10
check_screen "wheel down twice: the console is at its end again" '^ console \* '
check_screen_not "...and says no more that it is scrolled" '^ console \(scrolled'

# The wheel over the code panel scrolls it, though the console has the
# focus: the panel under the pointer, as most programs do.
first=$(printf '%s\n' "$screen" | sed -n "$((code_row + 2))p")
mouse 65 $((code_row + 3)) 5
check_screen "wheel down over the code panel scrolls it" '^ code \(scrolled: s or \. returns to the pc\)'
now=$(printf '%s\n' "$screen" | sed -n "$((code_row + 2))p")
if [ "$now" != "$first" ]; then ok "the code panel shows other lines once scrolled"
else not_ok "the code panel shows other lines once scrolled (still \"$first\")"; fi
check_screen "...and the focus stays with the console" '^ console \*'
mouse 0 $((code_row + 3)) 5
check_screen "a click on the code panel gives it the focus back" '^ code \(scrolled.*\*'
tui_keys .
check_screen "., as ever, puts the pc back in view" '^ code \*'

# Over the help, the mouse does nothing (and does not close it).
tui_keys '?'
check_screen "? opens the help" 'bootscope keys'
mouse 0 $((console_row + 2)) 10
sleep 0.3
check_screen "a click over the help leaves it open" 'bootscope keys'
tui_keys Space
tui_keys q
tui_exit_status
check_eq "q: exits 0" "$rc" 0
flags=$(tui display-message -p -t t '#{mouse_standard_flag} #{mouse_any_flag} #{mouse_button_flag}')
check_eq "after q the terminal's mouse reports are off again" "$flags" "0 0 0"

# --no-mouse: no mouse mode asked for, so the terminal keeps its clicks.
tui_start 100x30 -- --no-mouse "$KERNEL"
check_screen "--no-mouse: the screen opens" '^ code \*'
flags=$(tui display-message -p -t t '#{mouse_standard_flag} #{mouse_any_flag} #{mouse_button_flag}')
check_eq "--no-mouse: no mouse reports asked of the terminal" "$flags" "0 0 0"
tui_keys q
tui_exit_status
check_eq "--no-mouse, q: exits 0" "$rc" 0
check_done
