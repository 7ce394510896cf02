#!/usr/bin/env bash
# install: `make install` into a temporary DESTDIR and PREFIX, the installed
# bootscope run from a directory of its own with no argument -- the report
# on its bundled kernel, with the plugin's counts; the screen with its
# lessons; --help, man and completion in place -- and `make uninstall`
# leaving no file behind.  With BUILD=build/san the SAN=1 binary is the
# one installed (make install installs $(BUILD)/bootscope).
set -u
. "$TOP/tests/lib/check.sh"
. "$TOP/tests/lib/tui.sh"	# its $tmp holds everything here, and goes at exit

san=
[ "$BUILD" = build/san ] && san=SAN=1
dest=$tmp/dest prefix=$tmp/prefix/usr
root=$dest$prefix
elsewhere=$tmp/elsewhere
mkdir -p "$elsewhere"

out=$(make -C "$TOP" --no-print-directory install $san DESTDIR="$dest" PREFIX="$prefix" 2>&1); rc=$?
check_eq "make install DESTDIR=... PREFIX=... succeeds" "$rc" 0 || printf '%s\n' "$out" | sed 's/^/#  /' | tail -20
for f in bin/bootscope lib/bootscope/bootscope-count.so share/bootscope/kernel.elf share/bootscope/os.bin \
	 share/bootscope/lessons.txt share/man/man1/bootscope.1 share/bash-completion/completions/bootscope \
	 share/doc/bootscope/gdbscripts/bootscope.gdb share/doc/bootscope/walkthrough/01-power-on.md \
	 share/doc/bootscope/README.md; do
	[ -f "$root/$f" ] && ok "installed: \$PREFIX/$f" || not_ok "not installed: \$PREFIX/$f"
done
[ -x "$root/bin/bootscope" ] && ok "the binary is executable" || not_ok "\$PREFIX/bin/bootscope is not executable"
cmp -s "$root/bin/bootscope" "$TOP/$BUILD/bootscope" && ok "the binary installed is $BUILD/bootscope" ||
	not_ok "\$PREFIX/bin/bootscope is not $BUILD/bootscope"
if [ -n "$(find "$dest" -path "$root" -prune -o -type f -print)" ]; then
	not_ok "make install wrote outside DESTDIR/PREFIX: $(find "$dest" -path "$root" -prune -o -type f -print | head -3)"
else
	ok "make install wrote only under DESTDIR/PREFIX"
fi

bs=$root/bin/bootscope
cd "$elsewhere" || exit 1

help=$("$bs" --help); rc=$?
check_eq "installed --help exits 0" "$rc" 0
check_match "installed --help prints the usage" "$help" '^usage: bootscope \[OPTIONS\] \[KERNEL\]'
check_match "installed --version names its version" "$("$bs" --version | head -1)" '^bootscope [0-9]'
check_match "man -l renders the installed man page" "$(MANWIDTH=80 man -l "$root/share/man/man1/bootscope.1" 2>&1)" '^NAME'
check_match "MANPATH finds it: man -w bootscope" "$(MANPATH=$root/share/man man -w bootscope 2>&1)" "^$root/share/man/man1/bootscope\.1"
check_eq "the installed completion loads and completes --bi" \
	"$(bash --norc --noprofile -c 'source "$1"; COMP_WORDS=(bootscope --bio); COMP_CWORD=1; _bootscope; echo "${COMPREPLY[*]}"' _ \
	   "$root/share/bash-completion/completions/bootscope")" "--bios --bios-symbols"

# --batch --json, no kernel given: the bundled one, from share/bootscope.
json=$("$bs" --batch --json --timeout 3 2>"$tmp/batch.err"); rc=$?
check_eq "installed --batch --json with no kernel exits 0" "$rc" 0 || sed 's/^/#  /' "$tmp/batch.err"
summary=$(printf '%s\n' "$json" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["kernel"])
print(" ".join(s["entry"] for s in d["stages"]))
ev = d["events"]
print(len(ev), sum(1 for e in ev if isinstance(e.get("insn"), int)))
print("Hello from the bootscope kernel!" in d["console"])' 2>&1)
kernel=$(printf '%s\n' "$summary" | sed -n 1p)
check_eq "the report's kernel is the installed one" "$kernel" "$(realpath "$root/share/bootscope/kernel.elf")"
check_eq "the report has its three stages" "$(printf '%s\n' "$summary" | sed -n 2p)" "0x1000 0x80000000 0x80200000"
read -r nev ncounted <<<"$(printf '%s\n' "$summary" | sed -n 3p)"
if [ "${nev:-0}" -gt 0 ] && [ "$nev" = "$ncounted" ]; then
	ok "every one of its $nev events has an instruction count: the plugin came from lib/bootscope"
else
	not_ok "events counted by the plugin: $ncounted of $nev ($summary)"
fi
check_eq "the kernel printed its greeting" "$(printf '%s\n' "$summary" | sed -n 4p)" True

# --board pc, no kernel given: the bundled PC disk and its ELF, from share/bootscope/x86_64.
pc=$("$bs" --board pc --batch --json 2>"$tmp/pc.err" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["kernel"], " ".join(s["entry"] + "/" + s["mode"] for s in d["stages"]), "Hello World!" in d["console"])' 2>&1)
check_eq "installed --board pc: the bundled PC kernel's four stages and its Hello World!" "$pc" \
	"$(realpath "$root/share/bootscope/x86_64/disk.img") 0xfffffff0/real 0xfe05b/real 0x7c00/real 0x7e90/long True"

# Without the installed plugin, --profile says where it looked.
mv "$root/lib/bootscope/bootscope-count.so" "$tmp/plugin.so"
out=$("$bs" --profile 2>&1); rc=$?
check_eq "with the installed plugin moved away, --profile fails" "$rc" 1
check_match "...saying it is not in lib/bootscope" "$out" 'bootscope-count\.so is neither beside bootscope nor in its lib/bootscope'
mv "$tmp/plugin.so" "$root/lib/bootscope/bootscope-count.so"

# The screen, run from elsewhere with no kernel: its lesson pane.
BOOTSCOPE=$bs
tui_start 100x30 LANG=C.UTF-8 -- --lang en
check_screen "installed screen: the bundled kernel at the reset vector" '^ pc 0x1000 ' 10
check_screen "installed screen: the lesson pane is there" '^ lesson \(l hides\)'
check_screen "installed screen: it explains the first instruction" '^ auipc t0,0x0: t0 = pc'
tui_keys q
tui_exit_status
check_eq "installed screen: q exits 0" "$rc" 0
mv "$root/share/bootscope/lessons.txt" "$tmp/lessons.txt"
tui_start 100x30 LANG=C.UTF-8 -- --lang en
check_screen "with the installed lessons moved away, the pane says there are none" '^ No lessons: '
tui_keys q
tui_exit_status
mv "$tmp/lessons.txt" "$root/share/bootscope/lessons.txt"
check_clean "installed"

cd "$TOP" || exit 1
out=$(make -C "$TOP" --no-print-directory uninstall $san DESTDIR="$dest" PREFIX="$prefix" 2>&1); rc=$?
check_eq "make uninstall with the same DESTDIR and PREFIX succeeds" "$rc" 0 || printf '%s\n' "$out" | sed 's/^/#  /'
left=$(find "$dest" ! -type d)
check_eq "make uninstall leaves no file behind" "$left" ""
left=$(find "$dest" -type d \( -name bootscope -o -path '*/bootscope/*' \))
check_eq "...nor a directory of bootscope's own" "$left" ""
check_done
