# The lesson pane: the note from walkthrough/lessons.txt for the pc, in the
# language asked for, shown and hidden with l.
. "$TOP/tests/lib/check.sh"
. "$TOP/tests/lib/tui.sh"

tui_start 100x30 LANG=C.UTF-8 -- "$KERNEL"
check_screen "lesson: the pane is there at the start" '^ lesson \(l hides\)'
check_screen "lesson: at 0x1000 it explains auipc" '^ auipc t0,0x0: t0 = pc \+ \(0 << 12\) = 0x1000\.'
tui_keys s
check_screen "lesson: after s it explains the instruction at 0x1004" '^ a2 = t0 \+ 40 = 0x1028'
tui_keys l
check_screen_not "lesson: l hides it" '^ lesson \(l hides\)'
check_screen "lesson: the code panel takes its room back" '00001018 \.dword 0x80000000'
tui_keys l
check_screen "lesson: l shows it again" '^ lesson \(l hides\)'
tui_keys '>'
check_screen "lesson: at the firmware entry, the firmware's note" '^ pc 0x80000000 '
check_screen_not "lesson: not the reset vector's note any more" '^ a2 = t0 \+ 40'
tui_keys q
tui_exit_status
check_eq "lesson: q exits 0" "$rc" 0

tui_start 100x30 LANG=C.UTF-8 -- --lang zh "$KERNEL"
check_screen "--lang zh: the pane's title is Chinese" '^ lesson 讲解'
check_screen "--lang zh: at 0x1000 the note is in Chinese" 'auipc t0,0x0：t0 = pc \+ \(0 << 12\) = 0x1000。'
tui_keys q
tui_exit_status

tui_start 100x30 LC_ALL= LC_MESSAGES= LANG=zh_CN.UTF-8 -- "$KERNEL"
check_screen "LANG=zh_CN.UTF-8 chooses Chinese (even where that locale is not installed)" 'auipc t0,0x0：'
tui_keys q
tui_exit_status

tui_start 100x30 LANG=C.UTF-8 -- --lessons /nonexistent/lessons.txt "$KERNEL"
check_screen "a missing lessons file: the pane says so" '^ No lessons: '
check_screen "a missing lessons file: the rest works" '^ pc 0x1000 '
tui_keys q
tui_exit_status
check_eq "a missing lessons file: q exits 0" "$rc" 0
check_clean "lessons"
check_done
