# The instruction-counting plugin (plugin/count.c, build/bootscope-count.so)
# in the real qemu-system-riscv64: what bootscope relies on when it reads the
# plugin's files (docs/plugins-and-replay.md cites these checks by name).
#
#  - the count is exact: per address, it equals QEMU's own execution log of
#    the same boot, and a whole boot counts the same twice;
#  - the out file's format;
#  - the live total at a gdbstub stop is the number of instructions before
#    the one QEMU stopped at, and a step adds 1;
#  - which signals still let the plugin write its profile.
#
# Every QEMU runs under a hard time-out; the gdbstub is a unix socket in the
# test's private directory.  No timing is checked.
. "$TOP/tests/lib/check.sh"
. "$TOP/tests/lib/engine.sh"
. "$TOP/tests/lib/probe.sh"
trap 'exit 143' TERM
trap 'exit 130' INT
trap '' PIPE
cd "$TOP" || exit 1

# Nothing here runs bootscope, and the plugin is never sanitized (it is
# loaded into QEMU): the sanitizer build has nothing to add.
case $BUILD in
*/san)
	echo "# plugin: checks QEMU and the plugin, not bootscope; already run against the normal build"
	check_done ;;
esac

PLUGIN=$TOP/build/bootscope-count.so
MARKS=mark=0x1000,mark=0x80000000,mark=0x80200000
VIRT=(qemu-system-riscv64 -machine virt -nographic -monitor none -serial null -bios default)
t0=$(date +%s%N)

check "the plugin is built" test -s "$PLUGIN"

# count NAME KERNEL [ARGS...]: a whole run of KERNEL under the plugin, to
# power-off (or the time-out), profile in $tmp/NAME.out.
count() {
	local name=$1 kernel=$2
	shift 2
	timeout -k 2 30 "${VIRT[@]}" -kernel "$kernel" \
		-plugin "file=$PLUGIN,out=$tmp/$name.out,$MARKS" "$@" >/dev/null 2>"$tmp/$name.err"
}
# field FILE KIND [ADDR]: the count of the line "KIND [ADDR] N" in FILE.
field() { awk -v k="$2" -v a="${3:-}" '$1 == k && (a == "" ? NF == 2 : $2 == a) { print $NF; exit }' "$1"; }
# live NAME: the live total, the first 8 bytes of $tmp/NAME.live.
live() { od -An -tu8 -N8 "$tmp/$1.live" | tr -d ' '; }

# ---- the out file, from a whole boot ----------------------------------------
count boot "$KERNEL"
check_eq "a whole boot to power-off under the plugin: QEMU exits 0" "$?" 0
f=$tmp/boot.out
total=$(field "$f" total)
echo "# instructions in a whole boot of kernel.elf: $total"
check_eq "out: the first line is 'bootscope-count 1'" "$(head -1 "$f")" "bootscope-count 1"
check_eq "out: the second line is 'total N'" "$(sed -n 2p "$f" | grep -Ec '^total [0-9]+$')" 1
check_eq "out: every other line is 'mark 0xADDR N' or 'insn 0xADDR N', lowercase hex" \
	"$(sed 1,2d "$f" | grep -Evc '^(mark|insn) 0x[0-9a-f]+ [0-9]+$')" 0
check_eq "out: the marks come before the insn lines" \
	"$(awk '$1 == "insn" { i = 1 } $1 == "mark" && i { print "late" }' "$f")" ""
check_eq "out: the total is the sum of the insn counts" \
	"$(awk '$1 == "insn" { s += $3 } END { printf "%d", s }' "$f")" "$total"
check_eq "out: insn addresses are strictly ascending" \
	"$(awk '$1 == "insn" { print substr($2, 3) }' "$f" | tr a-f A-F |
	   awk '{ printf "%032s\n", $0 }' | sort -c 2>&1 && echo sorted)" sorted
check_eq "out: no address has two lines" "$(awk '$1 == "insn" { print $2 }' "$f" | sort | uniq -d)" ""
check_eq "out: no insn line counts 0" "$(awk '$1 == "insn" && $3 == 0' "$f")" ""
m1=$(field "$f" mark 0x1000) m2=$(field "$f" mark 0x80000000) m3=$(field "$f" mark 0x80200000)
echo "# marks: 0x1000 $m1, 0x80000000 $m2, 0x80200000 $m3"
check_eq "out: mark 0x1000 (the reset vector) is 0: nothing runs before it" "$m1" 0
check "out: marks 0x1000 < 0x80000000 < 0x80200000 < total" \
	test -n "$m3" -a "${m2:-0}" -gt "${m1:-0}" -a "${m3:-0}" -gt "${m2:-0}" -a "$total" -gt "${m3:-0}"
check_eq "out: the reset vector runs 6 instructions before OpenSBI (mark 0x80000000)" "$m2" 6
fw=$(awk '$1 == "insn" { a = $2; sub(/^0x/, "", a) }
	  $1 == "insn" && length(a) == 8 && a >= "80000000" && a < "80200000" { s += $3 }
	  END { printf "%d", s }' "$f")
echo "# in OpenSBI [0x80000000, 0x80200000): $fw"
check "out: the firmware holds most of the instructions (more than 90%)" test "$((fw * 10))" -gt "$((total * 9))"
rom=$(awk '$1 == "insn" && length($2) < 10 { s += $3 } END { printf "%d", s }' "$f")
check_eq "out: the ROM below 0x80000000 runs only those 6 instructions" "$rom" "$m2"
check "out: no kernel instruction (0x80200000 and up) is counted before the kernel's mark" \
	test "$((total - fw - rom))" -le "$((total - m3))"
check_eq "no PATH.tmp is left next to the out file" "$(ls "$tmp"/*.tmp 2>/dev/null)" ""

count again "$KERNEL"
check_eq "a whole boot counts the same twice (deterministic)" "$(field "$tmp/again.out" total)" "$total"
timeout -k 2 30 "${VIRT[@]}" -kernel "$KERNEL" -plugin "file=$PLUGIN,out=$tmp/twice.out,mark=0x1000,mark=0x1000" \
	>/dev/null 2>&1
check_eq "out: a mark given twice is one line" "$(grep -c '^mark 0x1000 ' "$tmp/twice.out")" 1
check_eq "out: an unknown argument makes QEMU refuse to start (exit 1)" \
	"$(timeout 10 "${VIRT[@]}" -kernel "$KERNEL" -plugin "file=$PLUGIN,out=$tmp/x.out,bogus=1" \
	   >/dev/null 2>&1; echo $?)" 1

# ---- exact: QEMU's own log of the same boot --------------------------------
# With -singlestep every block is one instruction and -d exec,nochain logs a
# "Trace" line as each starts; a "Stopped execution of TB chain before"
# line says that the block just logged did not run after all (an exit
# request).  The log (about 1 GB) goes through a pipe, never to a file.
hist() {
	awk '
	function key(k) { sub(/^0+/, "", k); return "0x" (k == "" ? "0" : k) }
	/^Trace/ { split($4, f, "/"); n[key(f[2])]++; next }
	/^Stopped execution of TB chain before/ { n[key(substr($8, 2, 16))]--; next }
	{ other++ }
	END { for (a in n) if (n[a]) print "insn " a " " n[a]; print "other " other + 0 }'
}
t1=$(date +%s%N)
timeout -k 2 60 "${VIRT[@]}" -kernel "$KERNEL" -singlestep -d exec,nochain -D /dev/fd/3 \
	-plugin "file=$PLUGIN,out=$tmp/log.out" 3>&1 >/dev/null 2>"$tmp/log.err" | hist | sort >"$tmp/log.hist"
echo "# the -singlestep logged boot took $((($(date +%s%N) - t1) / 1000000)) ms"
logged=$(awk '$1 == "insn" { s += $3 } END { printf "%d", s }' "$tmp/log.hist")
echo "# instructions in QEMU's log: $logged"
check_eq "QEMU's log holds only Trace and Stopped lines" "$(field "$tmp/log.hist" other)" 0
check_eq "exact: the total equals the instructions in QEMU's -singlestep -d exec,nochain log" \
	"$(field "$tmp/log.out" total)" "$logged"
grep '^insn' "$tmp/log.out" | sort >"$tmp/log.ours"
grep '^insn' "$tmp/log.hist" >"$tmp/log.theirs"
check_eq "exact: every address's count equals the log's" "$(cmp "$tmp/log.ours" "$tmp/log.theirs" 2>&1)" ""
check_eq "exact: -singlestep does not change the count" "$(field "$tmp/log.out" total)" "$total"

# ---- the live total at gdbstub stops ---------------------------------------
# rsp_probe.py in a coprocess, so the test reads the live file at each stop.
# gdb NAME Z: a paused QEMU under the plugin (live file $tmp/NAME.live),
# stopped at a Z breakpoint (0 or 1) at 0x80200000.  Its pid in $qemu_pid.
gdb() {
	local name=$1
	bg 30 "${VIRT[@]}" -kernel "$KERNEL" -S -gdb "unix:$tmp/$name.sock,server=on,wait=off" \
		-plugin "file=$PLUGIN,out=$tmp/$name.out,live=$tmp/$name.live,$MARKS" 2>"$tmp/$name.err"
	wait_for_file "$tmp/$name.sock" || not_ok "QEMU $name did not open its gdbstub: $(head -c 300 "$tmp/$name.err")"
	qemu_pid=$(pgrep -P "$bg_pid" qemu-system)
	probe_open "$tmp/$name.sock"
	rsp "Z$2,80200000,4"
	check_eq "$name: Z$2 at 0x80200000 answers OK" "$reply" OK
	rsp '!send c'
	rsp '!wait'
	rsp g	# (p20, the pc, is empty until the feature XML is read)
	check_eq "$name: c stops at 0x80200000" "${reply:512:16}" 0000208000000000
}

gdb z0 0
check_eq "live: the file is 8 bytes, mode 0600" "$(stat -c '%s %a' "$tmp/z0.live")" "8 600"
at_bp=$(live z0)
echo "# live total at the breakpoint at 0x80200000: $at_bp"
check_eq "live: at the kernel's entry as many as a boot without gdb counts before it (its mark)" "$at_bp" "$m3"
rsp s
check_eq "z0: s answers T05" "${reply:0:3}" T05
check_eq "live: one step from the breakpoint adds exactly 1" "$(live z0)" "$((at_bp + 1))"
rsp s
check_eq "live: a second step adds 1 more" "$(live z0)" "$((at_bp + 2))"
rsp z0,80200000,4
rsp '!send c'
rsp '!eof'
check_match "z0: the kernel then powers off (the connection closes)" "$reply" '^closed'

close_conn
wait "$bg_pid" 2>/dev/null
check_eq "live: the breakpoint's count is the out file's mark 0x80200000 of the same run" \
	"$at_bp" "$(field "$tmp/z0.out" mark 0x80200000)"
check_eq "live: at exit the live total is the out file's total" "$(live z0)" "$(field "$tmp/z0.out" total)"
check_eq "stops and steps under gdb do not change the whole boot's total" "$(field "$tmp/z0.out" total)" "$total"

# A hardware breakpoint, and QEMU ended by SIGTERM while it is stopped there
# (bootscope's case: a kernel that never powers off, quit at a stop).
gdb z1 1
check_eq "live: at a Z1 breakpoint, the same count as at Z0" "$(live z1)" "$at_bp"
kill -TERM "$qemu_pid"
close_conn
wait "$bg_pid" 2>/dev/null
check_eq "SIGTERM at a gdbstub stop: the out file is written, total = the live total" \
	"$(field "$tmp/z1.out" total)" "$at_bp"

# ---- signals: which let the plugin write its profile ----------------------
# A kernel that never ends, so only the signal can end QEMU.  QEMU itself is
# signalled (timeout would forward TERM, INT and HUP, but not the others),
# with default dispositions (a background job of a script ignores INT and QUIT).
build_spin spin rv64gc lp64d
for sig in TERM INT HUP KILL QUIT; do
	rm -f "$tmp/spin.out"
	bg 20 env --default-signal "${VIRT[@]}" -kernel "$tmp/spin" \
		-plugin "file=$PLUGIN,out=$tmp/spin.out,$MARKS" 2>"$tmp/spin.err"
	sleep 0.5	# the kernel's entry is reached in some 50 ms
	kill -"$sig" "$(pgrep -P "$bg_pid")"
	wait "$bg_pid" 2>/dev/null
	case $sig in
	TERM|INT|HUP)
		check "SIG$sig: QEMU runs the plugin's atexit callback (the out file is written)" \
			test "$(field "$tmp/spin.out" mark 0x80200000)" = "$m3" ;;
	*)
		check "SIG$sig: QEMU ends without the plugin's atexit callback (no out file)" \
			test ! -e "$tmp/spin.out" ;;
	esac
done

echo "# plugin.sh took $((($(date +%s%N) - t0) / 1000000)) ms"
check_done
