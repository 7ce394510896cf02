# Bytes from outside never act on the user's terminal: what a QEMU writes
# to stderr, what a gdbstub replies and what a guest prints reach the
# terminal as printable text (an ESC as \x1b), and one-line messages stay
# one line.  (The same on screen: tests/tui/anykernel.sh.)
. "$TOP/tests/lib/check.sh"
. "$TOP/tests/lib/engine.sh"
cd "$TOP" || exit 1

# raw NAME FILE: FILE holds no ESC, BEL, CR or other C0 control but newline
# and tab, no DEL and no C1 control.
raw() {
	check "$1: no raw control byte" \
		python3 -c 'import re,sys; sys.exit(re.search(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]", open(sys.argv[1], "rb").read()) is not None)' "$2"
}

# ---- a QEMU whose stderr holds escape sequences -------------------------------
cat >"$tmp/fake-qemu" <<'SH'
#!/bin/sh
printf 'qemu-system-riscv64: \033]0;pwned\007bad\033[31m thing\rover\nsecond line\n' >&2
exit 1
SH
chmod +x "$tmp/fake-qemu"
bs 10 --batch --qemu "$tmp/fake-qemu" "$KERNEL"
check_eq "QEMU's stderr with escapes: exit status 1" "$rc" 1
check_eq "QEMU's stderr with escapes: one line on stderr" "$(grep -c '' "$tmp/bs.err")" 1
raw "QEMU's stderr with escapes" "$tmp/bs.err"
check_match "QEMU's stderr with escapes: shown as printable text" "$err" \
	'qemu-system-riscv64: \\x1b\]0;pwned\\x07bad\\x1b\[31m thing\\x0dover'
check_clean "QEMU's stderr with escapes"

# ---- a gdbstub whose reply holds escape sequences and newlines -------------------
bg 40 python3 "$TOP/tests/lib/fakestub.py" qemu "$tmp/esc.sock" 35 --fault escape --on '?'
wait_for_file "$tmp/esc.sock" || not_ok "fake QEMU esc did not start listening"
bs 20 --batch --timeout 0.2 --attach "unix:$tmp/esc.sock"
check_match "stub reply with escapes: the fault was injected" "$(cat "$tmp/esc.sock.events" 2>/dev/null)" '^fault escape '
check_eq "stub reply with escapes: exit status 1" "$rc" 1
check_eq "stub reply with escapes: one line on stderr" "$(grep -c '' "$tmp/bs.err")" 1
raw "stub reply with escapes" "$tmp/bs.err"
check_match "stub reply with escapes: quoted as printable text" "$err" \
	'got "\\x1b\]0;pwned\\x07\\x1b\[2J\\x0a'
check_clean "stub reply with escapes"

# ---- a guest that prints escape sequences -------------------------------------
k=$tmp/kernels
bash "$TOP/tests/kernels/build.sh" "$k" >/dev/null 2>&1 || not_ok "test kernels build"
bs 20 --batch "$k/escape.elf"
check_eq "guest printing escapes: --batch exits 0" "$rc" 0
raw "guest printing escapes: the report" "$tmp/bs.out"
check_match "guest printing escapes: the console as printable text, tab kept" "$out" \
	$'^\\\\x1b\\[2J\\\\x1b\\]0;pwned\\\\x07hi\tthere$'
check_match "guest printing escapes: a backspace shown, not done" "$out" '^abcX\\x08Y$'
check_match "guest printing escapes: a byte that is not UTF-8 shown in hex" "$out" '^bad\\xffbyte$'
bs 20 --batch --json "$k/escape.elf"
check_eq "guest printing escapes: --batch --json exits 0" "$rc" 0
raw "guest printing escapes: the JSON report" "$tmp/bs.out"
check "guest printing escapes: the JSON console holds the bytes as sent (escaped by JSON), a byte that is not UTF-8 as U+FFFD" \
	python3 -c 'import json,sys; sys.exit(not json.load(open(sys.argv[1], encoding="utf-8"))["console"].endswith("\x1b[2J\x1b]0;pwned\x07hi\tthere\r\nabcX\x08Y\r\nbad\ufffdbyte\r\n"))' "$tmp/bs.out"
check_clean "guest printing escapes"

# ---- an ELF whose names hold escape sequences ------------------------------------
# trap.elf traps at its entry, so --check names the symbol and the section.
"${CROSS}objcopy" --redefine-sym _start=$'\e]0;pwned\a_start' --rename-section .text=$'.text\e[2J' \
	"$k/trap.elf" "$tmp/names.elf" || not_ok "names.elf builds"
bs 20 --batch "$tmp/names.elf"
raw "ELF names with escapes: the report" "$tmp/bs.out"
check_match "ELF names with escapes: the report shows them as printable text" "$out" \
	'^   where:       \.text\\x1b\[2J, \\x1b\]0;pwned\\x07_start$'
bs 20 --check "$tmp/names.elf"
check_eq "ELF names with escapes: --check finds the trap (status 1)" "$rc" 1
raw "ELF names with escapes: --check" "$tmp/bs.out"
check_match "ELF names with escapes: --check shows them as printable text" "$out" \
	'^trap: .*<\\x1b\]0;pwned\\x07_start> in \.text\\x1b\[2J, '
check_clean "ELF names with escapes"

check_done
