#!/usr/bin/env bash
# docs: what bootscope says of itself agrees -- the options of `--help',
# of the man page, of the bash completion and of getopt in main.c; the man
# page renders without a warning; the completion completes; --version
# names its version (from debian/changelog) and what it runs with.
set -u
. "$TOP/tests/lib/check.sh"
BOOTSCOPE=$TOP/$BUILD/bootscope
MAN=$TOP/man/bootscope.1
COMP=$TOP/completions/bootscope.bash
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bootscope-docs.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# ---- the man page renders cleanly ----
if command -v mandoc >/dev/null; then
	out=$(mandoc -T lint -W warning "$MAN" 2>&1); rc=$?
	check_eq "mandoc -T lint: no warning in man/bootscope.1" "$rc:$out" "0:"
else
	not_ok "mandoc is not installed (make deps installs it): the man page's lint needs it"
fi
out=$(LC_ALL=C.UTF-8 groff -man -ww -z "$MAN" 2>&1); rc=$?
check_eq "groff -man -ww: no warning in man/bootscope.1" "$rc:$out" "0:"
out=$(MANWIDTH=80 man -l "$MAN" 2>&1 >"$tmp/man.txt"); rc=$?
check_eq "man -l renders it without a message" "$rc:$out" "0:"
for s in NAME SYNOPSIS DESCRIPTION OPTIONS KEYS 'EXIT STATUS' ENVIRONMENT FILES EXAMPLES 'SEE ALSO'; do
	check_match "the man page has a section $s" "$(cat "$tmp/man.txt")" "^$s\$"
done
for v in NO_COLOR LANG TMPDIR XDG_RUNTIME_DIR; do
	check_match "ENVIRONMENT says what $v does" "$(sed -n '/^ENVIRONMENT$/,/^FILES$/p' "$tmp/man.txt")" "^ +(.*, )?$v"
done

# ---- the same options everywhere ----
# --help: the option lines are the ones that begin with two blanks and -.
help=$("$BOOTSCOPE" --help) || not_ok "bootscope --help fails"
opts_help=$(printf '%s\n' "$help" | grep -E '^  -' | grep -oE -- '--[a-z][a-z-]*' | sort -u)
# man: the tag line after each .TP in OPTIONS.
opts_man=$(sed -n '/^\.SH OPTIONS/,/^\.SH /p' "$MAN" | sed -n '/^\.TP/{n;p}' |
	sed 's/\\-/-/g' | grep -oE -- '--[a-z][a-z-]*' | sort -u)
# completion: its list of options.
opts_comp=$(sed -n '/local opts=/,/"$/p' "$COMP" | grep -oE -- '--[a-z][a-z-]*' | sort -u)
# getopt: the long options main.c accepts.
opts_getopt=$(sed -n '/struct option longopts/,/{ 0 }/p' "$TOP/tracer/main.c" |
	grep -oE '\{ "[a-z-]+"' | sed 's/{ "/--/; s/"//' | sort -u)
n=$(printf '%s\n' "$opts_getopt" | grep -c .)
[ "$n" -ge 20 ] && ok "main.c's getopt has $n long options" || not_ok "main.c's long options were not found ($n)"
check_eq "--help lists every option getopt takes, no other" "$(echo $opts_help)" "$(echo $opts_getopt)"
check_eq "the man page's OPTIONS has every option getopt takes, no other" "$(echo $opts_man)" "$(echo $opts_getopt)"
check_eq "the completion offers every option getopt takes, no other" "$(echo $opts_comp)" "$(echo $opts_getopt)"

# ---- the completion completes ----
mkdir -p "$tmp/dir" && touch "$tmp/dir/kern.elf" "$tmp/dir/os.bin"
# complete WORD...: COMPREPLY for the last word, in a bash that loaded only
# the completion file, from $tmp/dir.
complete_words() {
	(cd "$tmp/dir" && bash --norc --noprofile -c '
		source "$1" || exit 1; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_bootscope; printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$COMP" "$@")
}
check_eq "completion loads in bash: complete -p bootscope" \
	"$(bash --norc --noprofile -c 'source "$1" && complete -p bootscope' _ "$COMP")" "complete -F _bootscope bootscope"
check_eq "bootscope --bi<Tab>: --bios, --bios-symbols" "$(complete_words bootscope --bi | tr '\n' ' ')" "--bios --bios-symbols "
check_eq "bootscope --no-m<Tab>: --no-mouse" "$(complete_words bootscope --no-m)" "--no-mouse"
check_eq "bootscope --bios d<Tab>: default" "$(complete_words bootscope --bios d)" "default"
check_eq "bootscope --bios n<Tab>: none" "$(complete_words bootscope --bios n)" "none"
check_eq "bootscope --bios o<Tab>: a firmware file" "$(complete_words bootscope --bios o)" "os.bin"
check_eq "bootscope --bios=d<Tab> (= split off by bash): default" "$(complete_words bootscope --bios = d)" "default"
check_eq "bootscope --lang <Tab>: en zh" "$(complete_words bootscope --lang '' | tr '\n' ' ')" "en zh "
check_eq "bootscope --symbols k<Tab>: a file" "$(complete_words bootscope --symbols k)" "kern.elf"
check_eq "bootscope k<Tab>: the kernel, a file" "$(complete_words bootscope --batch k)" "kern.elf"
check_eq "bootscope --timeout <Tab>: nothing (a number)" "$(complete_words bootscope --timeout '')" ""

# ---- --version ----
want=$(sed -n '1s/^bootscope (\([^)]*\)).*/\1/p' "$TOP/debian/changelog")
v=$("$BOOTSCOPE" --version); rc=$?
check_eq "--version exits 0" "$rc" 0
check_eq "--version: first line is bootscope and debian/changelog's version" "$(printf '%s\n' "$v" | sed -n 1p)" "bootscope $want"
check_eq "the man page's title carries the same version" \
	"$(sed -n 's/^\.TH BOOTSCOPE 1 [^ ]* "bootscope \([^"]*\)".*/\1/p' "$MAN")" "$want"
line2=$(printf '%s\n' "$v" | sed -n 2p)
real_qemu=$(qemu-system-riscv64 --version 2>/dev/null | head -1 | sed 's/^QEMU emulator version //')
case $line2 in
*"QEMU $real_qemu"*) ok "--version, line 2: QEMU $real_qemu" ;;
*) not_ok "--version, line 2 does not name QEMU $real_qemu: $line2" ;;
esac
check_match "--version, line 2: the OpenSBI of QEMU's default firmware" "$line2" ', OpenSBI [^,]+, '
lib=$(ldd "$BOOTSCOPE" | grep -oE 'libopcodes-[^ ]*\.so' | head -1 | sed 's/^libopcodes-//; s/\.so$//')
case $line2 in
*"libopcodes $lib"*) ok "--version, line 2: libopcodes $lib, the one ldd says it loads" ;;
*) not_ok "--version, line 2 does not name libopcodes $lib (ldd): $line2" ;;
esac
# Another QEMU, said by --qemu; one that hangs is given up on quickly.
printf '#!/bin/sh\necho "QEMU emulator version 99.1.2 (a test)"\n' >"$tmp/qemu-fake" && chmod +x "$tmp/qemu-fake"
check_match "--version --qemu FAKE: names that QEMU's version" "$("$BOOTSCOPE" --version --qemu "$tmp/qemu-fake" | sed -n 2p)" \
	'^with QEMU 99\.1\.2 \(a test\), '
check_match "--version --bios none: no firmware" "$("$BOOTSCOPE" --bios none --version | sed -n 2p)" 'no firmware \(--bios none\)'
printf '#!/bin/sh\nsleep 60\n' >"$tmp/qemu-hang" && chmod +x "$tmp/qemu-hang"
t0=$(date +%s)
v=$(timeout 20 "$BOOTSCOPE" --qemu "$tmp/qemu-hang" --version); rc=$?
t=$(($(date +%s) - t0))
check_eq "--version with a QEMU that never answers: exits 0" "$rc" 0
[ "$t" -le 5 ] && ok "...within 5 s (took $t s)" || not_ok "--version with a hanging QEMU took $t s"
check_match "...and says the QEMU did not answer" "$(printf '%s\n' "$v" | sed -n 2p)" 'QEMU not found \(.*qemu-hang did not say its version\)'
check_eq "...and leaves no process of it behind" "$(pgrep -f "$tmp/qemu-hang")" ""
check_done
