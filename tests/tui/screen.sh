# The terminal around bootscope: resizing it while it runs (120x40, the
# smallest 80x24, too small at 60x20, and back), colours and NO_COLOR, and
# a terminal too small from the start.
. "$TOP/tests/lib/check.sh"
. "$TOP/tests/lib/tui.sh"

# colour_sgrs: the colour escapes in the screen with attributes --
# 30-37/40-47/90-97/100-107 and 38;.../48;...; 39 and 49 (the default
# colours) are not colours.
colour_sgrs() {
	tui_screen -e | grep -oE $'\e\\[[0-9;]*m' | sed $'s/^\e\\[//; s/m$//' | tr ';' '\n' |
		awk 'prev == 38 || prev == 48 { prev = ""; next }
		     /^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$/ { n++ } { prev = $0 } END { print n + 0 }'
}

tui_start 120x40
check_screen "120x40: pc 0x1000" '^ pc 0x1000 '
check "120x40: the screen is in colour" test "$(colour_sgrs)" -gt 0

# The smallest size bootscope supports: still the stage, the mode and the pc.
tui resize-window -t t -x 80 -y 24
check_eq "tmux resized the pane to 80x24" "$(tui display-message -p -t t '#{pane_width}x#{pane_height}')" 80x24
check_screen "80x24: the where line still says pc 0x1000" '^ pc 0x1000 '
check_screen "80x24: the stage bar still shows stage 1 and M mode" '^ 1 reset.* M mode( insn [0-9]+)? *$'
check_highlighted "80x24: stage 1 is still highlighted" '1 reset'
check_screen "80x24: the code panel still has ▶ on auipc t0,0x0" '▶0*1000 auipc t0,0x0'
check_screen "80x24: the status line is still at the bottom" '\? help +q quit *$'
check_screen_not "80x24: no too-small message" 'terminal is'

# Too small: one message, and no panels drawn over each other.
tui resize-window -t t -x 60 -y 20
check_screen "60x20: the too-small message" 'terminal is 60x20.*needs 80x24'
check_screen_not "60x20: no panel is drawn" 'pc 0x1000|registers|auipc'
check_screen "60x20: the message says what to do (fits in 60 columns)" 'press q'

# Back to 120x40: the whole screen again, and the keys still work.
tui resize-window -t t -x 120 -y 40
check_screen "back to 120x40: the where line says pc 0x1000" '^ pc 0x1000 '
check_screen "back to 120x40: the registers panel" ' registers *$'
check_screen_not "back to 120x40: the too-small message is gone" 'terminal is'
tui_keys s
check_screen "back to 120x40: s still steps" '^ pc 0x1004 '

# Too small, then q: a way out that needs no bigger terminal.
tui resize-window -t t -x 60 -y 20
check_screen "60x20 again: the too-small message" 'terminal is 60x20'
tui_keys q
tui_exit_status
check_eq "q while too small: bootscope exits 0" "$rc" 0
check_clean "q while too small"

# NO_COLOR: attributes only, no colour escapes; highlights still visible.
tui_start 100x30 NO_COLOR=1
check_screen "NO_COLOR: pc 0x1000" '^ pc 0x1000 '
tui_keys s
check_screen "NO_COLOR: s steps to 0x1004" '^ pc 0x1004 '
check_eq "NO_COLOR: no colour escapes on the screen" "$(colour_sgrs)" 0
check_highlighted "NO_COLOR: stage 1 is still highlighted" '1 reset'
check_plain "NO_COLOR: stage 2 is not" '2 firmware'
check_highlighted "NO_COLOR: the changed t0 is still highlighted" 't0   0000000000001000'
check_plain "NO_COLOR: the unchanged t1 is not" 't1   0000000000000000'
check_highlighted "NO_COLOR: the pc line of the code panel is highlighted" '▶00001004 add a2,t0,'
tui_keys q
tui_exit_status
check_eq "NO_COLOR: q exits 0" "$rc" 0

# A terminal too small from the start: one line about the size, status 1,
# nothing started.
tui_start 60x20
tui_exit_status
check_eq "too small at start: bootscope exits 1" "$rc" 1
err=$(cat "$files/bs.err")
check_eq "too small at start: one line on stderr" "$(printf '%s\n' "$err" | wc -l)" 1
check_match "too small at start: the line gives the size and the minimum" "$err" '60x20.*80x24'
check_restored "too small at start"
check_clean "too small at start"
check_done
