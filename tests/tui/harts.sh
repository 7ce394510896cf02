# Every hart: --smp N gives a harts strip (one line per hart where there
# is room, else all on one line), h selects the next hart, and a step
# moves the selected hart alone.  With an xv6-style kernel and no
# firmware, every hart starts at the reset vector and comes to the
# kernel in M mode; with the bundled kernel and OpenSBI, the harts that
# lost the boot lottery stay in the firmware.
. "$TOP/tests/lib/check.sh"
. "$TOP/tests/lib/tui.sh"

bash "$TOP/tests/kernels/build.sh" "$files/k" >/dev/null || { not_ok "test kernels build"; check_done; }

# The compact strip's entry for hart N ("▶1 M 100c wfi" or " 1 M 100c"):
# its pc.
strip_pc() { tui_screen | grep '^ harts:' | sed 's/^ harts://' | tr '|' '\n' | sed 's/▶/ /' | awk -v h="$1" '$1 == h { print $3 }'; }
# The hart the panels show, from the strip's mark.
shown_hart() { tui_screen | grep '^ harts:' | grep -o '▶[0-9]*' | tr -d '▶'; }

# ---- an xv6-style kernel, no firmware, three harts, 80x24 -----------------
tui_start 80x24 -- --bios none --smp 3 "$files/k/harts.elf"
check_screen "--smp 3: up, the harts strip on one line" '^ harts: ▶0 M 1000 \|  1 M 1000 \|  2 M 1000 *$'
tui_keys '>'
check_screen "> : a hart enters the kernel at 0x80000000" 'entered stage 2, kernel, at 0x80000000'
check_screen "...in M mode" ' M mode insn [0-9]+ *$'
# Which hart hit the breakpoint first is QEMU's to decide: the one that
# stopped is the one shown.
shown=$(shown_hart)
check_match "...the strip marks the hart that stopped, at 0x80000000" "$(tui_screen | grep '^ harts:')" "▶$shown M 80000000"
tui_keys h
next=$(((shown + 1) % 3))
check_screen "h: the next hart is shown" "^ harts: .*▶$next M "
check_screen "...and said so" "hart $next: s and n step it alone; h the next"
p0=$(strip_pc 0) p1=$(strip_pc 1) p2=$(strip_pc 2)
before=$(strip_pc $next)
tui_keys s
check_screen "s: the selected hart steps" 'stepped 1 instruction'
tui_keys s
tui_wait_not "▶$next M $before( |\\$)" || true
check "s s: its pc moved (from $before)" test "$(strip_pc $next)" != "$before"
for h in 0 1 2; do
	[ "$h" = "$next" ] && continue
	eval "was=\$p$h"
	check_eq "...hart $h's did not" "$(strip_pc $h)" "$was"
done
check_screen "...and the panels show its pc" "^ pc 0x$(strip_pc $next) "
# Hart 1 to the kernel: a run lets every hart go, and the one that
# stops is shown.
tui_keys c
check_screen "c: running" ' running'
tui_keys C-c
check_screen "Ctrl-C: stopped" 'interrupted at 0x'
check_screen "...every hart in the kernel now" '^ harts: .*0 M 8000[0-9a-f]{4} .*1 M 8000[0-9a-f]{4} .*2 M 8000[0-9a-f]{4}'
# Each hart counts in a two-instruction loop (addi; j back): it spins
# there, and nowhere else (a hart the Ctrl-C caught on its way in, say).
lo=$(nm "$files/k/harts.elf" | awk '$3 == "boot" { print $1 }')
check_eq "...every hart in a loop spins, and only those" "$(tui_screen | grep '^ harts:' | python3 -c '
import re, sys
lo = int(sys.argv[1], 16)
entries = [e.replace("\u25b6", " ").split() for e in sys.stdin.read().split(":", 1)[1].split("|")]
looping = [e for e in entries if lo <= int(e[2], 16) < lo + 12]
print(len(looping) > 0 and all((e[-1] == "spins") == (e in looping) for e in entries))' "$lo")" True
tui_keys 2h
check_screen "2h: hart 2 shown" '^ harts: .*▶2 M '
check_screen "...and said so" 'hart 2: s and n step it alone'
tui_keys 0h
check_screen "0h: hart 0 shown" '^ harts: ▶0 M '
tui_keys 7h
check_screen "7h: no such hart, said in one line" 'no hart 7: the machine has 3 \(0 to 2\)'
check_screen "...and hart 0 still shown" '^ harts: ▶0 M '
tui_keys q
tui_exit_status
check_eq "--smp 3, q: exits 0" "$rc" 0
check_clean "harts, xv6-style"

# ---- H: while one hart steps, the others run (gdb's way), or stay --------
# Hart 0 counts in s0 in its loop: its s0 says whether it ran.
tui_start 80x24 -- --bios none --smp 2 "$files/k/harts.elf"
check_screen "H: up" '^ harts: ▶0 M 1000 '
tui_keys c
check_screen "c: both harts run" ' running'
tui_keys C-c
check_screen "Ctrl-C: stopped" 'interrupted at 0x'
# Show hart 0, then hart 1 (h moves on from the one that stopped).
[ "$(shown_hart)" = 0 ] || tui_keys h
check_screen "hart 0 shown" '▶0 M '
s0() { tui_screen | grep -Eo 's0 +[0-9a-f]{16}' | awk '{ print $2 }'; }
before=$(s0)
check "...its s0 is on the screen (${before:-none})" test -n "$before"
tui_keys h
check_screen "h: hart 1 shown" '▶1 M '
tui_keys 5s
check_screen "5s: hart 1 stepped alone" 'stepped 5 instructions|entered stage 2'
tui_keys h
check_screen "h: hart 0 again" '▶0 M '
check_eq "...its s0 is where it was: it did not run" "$(s0)" "$before"
tui_keys H
check_screen "H: the strip says every hart runs in a step" '^ harts \(all run\):'
check_screen "...and the status line says so" 'a step lets the other harts run meanwhile'
tui_keys h 5s
check_screen "5s on hart 1 with the others running" 'stepped 5 instructions|entered stage 2'
tui_keys h
check_screen "h: hart 0 again" '▶0 M '
check "...its s0 counted on: it ran while hart 1 stepped ($before before)" \
	test "$((16#$(s0)))" -gt "$((16#$before))"
tui_keys H
check_screen "H again: the strip is back to harts stepped alone" '^ harts:  ?▶?0 '
tui_keys q
tui_exit_status
check_eq "H, q: exits 0" "$rc" 0

# ---- a breakpoint for one hart: the others pass it --------------------------
# Harts 1 and 2 both loop through `others`; the breakpoint is hart 2's.
tui_start 80x24 -- --bios none --smp 3 "$files/k/harts.elf"
check_screen "one hart's breakpoint: up" '^ harts: ▶0 M 1000 '
tui_keys b
tui_type 'others hart 2'
tui_keys Enter
check_screen "b others hart 2: set, for hart 2" 'breakpoint at 0x[0-9a-f]+ for hart 2 set'
for i in 1 2 3; do
	tui_keys c
	check_screen "c ($i): it stops at others" 'stopped at 0x8000001a <others>'
	check_screen "...on hart 2, every time ($i)" '^ harts: .*▶2 M 8000001a'
done
tui_keys b
tui_type 'others hart 9'
tui_keys Enter
check_screen "b ... hart 9: there is no hart 9" 'no hart 9: the machine has 3 \(0 to 2\)'
tui_keys b
tui_type 'others hart x'
tui_keys Enter
check_screen "b ... hart x: says how it is written" 'a breakpoint for one hart is ADDRESS hart N'
tui_keys q
tui_exit_status
check_eq "one hart's breakpoint, q: exits 0" "$rc" 0

# ---- four harts at 80x24: select hart 2, step: only hart 2 moves ----------
tui_start 80x24 -- --bios none --smp 4 "$files/k/harts.elf"
check_screen "--smp 4 at 80x24: four harts on one line" '^ harts: ▶0 M 1000 \|  1 M 1000 \|  2 M 1000 \|  3 M 1000 *$'
tui_keys h
check_screen "h: hart 1" '▶1 M 1000'
tui_keys h
check_screen "h h: hart 2" '▶2 M 1000'
tui_keys 3s
check_screen "3s: hart 2 stepped" 'stepped 3 instructions'
check_screen "...its pc is 0x100c, the others' still 0x1000" \
	'^ harts:  0 M 1000 \|  1 M 1000 \| ▶2 M 100c \|  3 M 1000 *$'
tui_keys h h
check_screen "h h: round to hart 0" '▶0 M 1000'
tui_keys S
check_screen "S with four harts: going back is refused, and said why" 'going back follows one hart: with 4 harts'
tui_keys q
tui_exit_status
check_eq "--smp 4, q: exits 0" "$rc" 0

# ---- the bundled kernel with OpenSBI, two harts, room for a line each ------
tui_start 110x44 -- --smp 2 "$KERNEL"
check_screen "--smp 2 at 110x44: a line per hart" '^▶ hart 0  M mode  pc 0x1000 '
check_screen "...hart 1 too" '^  hart 1  M mode  pc 0x1000 '
tui_keys '>'
check_screen "> : stage 2" 'entered stage 2'
tui_keys '>'
check_screen "> > : the boot hart enters the kernel in S mode" 'entered stage 3, kernel, at 0x80200000 in S mode'
# (Which hart wins OpenSBI's boot lottery is not fixed: the winner is the
# one that stops at the kernel's entry.)
check_screen "...the winner is the one shown, in the kernel" '^▶ hart [01]  S mode  pc 0x80200000  _start +kernel'
check_screen "...the other still in the firmware, in M mode" '^  hart [01]  M mode  pc 0x8000[0-9a-f]{4} .* firmware'
tui_keys h
check_screen "h: the other hart's own registers: M mode, in the firmware" '^ pc 0x8000[0-9a-f]{4}  firmware '
check_screen "...the top line says its mode" ' M mode insn [0-9]+'
tui_keys e
check_screen "e: each event says its hart" '^ *> *[0-9]+ +kernel +S +hart [01]: '
tui_keys Escape
tui_keys q
tui_exit_status
check_eq "--smp 2, q: exits 0" "$rc" 0
check_clean "harts, OpenSBI"

# ---- --batch --json: each event names its hart, with several ----------------
timeout -k 2 60 "$BOOTSCOPE" --batch --json --smp 2 "$KERNEL" >"$files/smp2.json" 2>"$files/smp2.err" </dev/null
check_eq "--batch --smp 2: exits 0" "$?" 0
check "...every event names hart 0 or 1" python3 -c '
import json, sys
ev = json.load(open(sys.argv[1]))["events"]
assert ev and all(e.get("hart") in (0, 1) for e in ev), ev[:3]' "$files/smp2.json"
check "...the harts: each from the reset vector into the firmware and on into the kernel in S mode" python3 -c '
import json, sys
h = json.load(open(sys.argv[1]))["harts"]
assert [x["hart"] for x in h] == [0, 1], h
for x in h:
    assert [(y["stage"], y["pc"]) for y in x["stages"]][:2] == [(1, "0x1000"), (2, "0x80000000")], x
    assert len(x["stages"]) == 3 and x["stages"][2]["mode"] == "S", x' \
	"$files/smp2.json"
timeout -k 2 60 "$BOOTSCOPE" --batch --smp 2 "$KERNEL" >"$files/smp2.txt" 2>&1 </dev/null
check_match "...the text report says which hart entered the kernel" "$(cat "$files/smp2.txt")" \
	'^== stage 3: kernel, entered at 0x80200000 in S mode by hart [01]$'
timeout -k 2 60 "$BOOTSCOPE" --batch --json "$KERNEL" >"$files/smp1.json" 2>/dev/null </dev/null
check "...and with one hart, none does (the report as before)" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["events"] and not any("hart" in e for e in d["events"]) and "harts" not in d
assert not any("hart" in st for st in d["stages"])' "$files/smp1.json"
# The bundled kernel's second act: the boot hart starts the others through
# SBI HSM hart_start, and each enters the kernel where the call said.
for n in 2 4; do
	timeout -k 2 60 "$BOOTSCOPE" --batch --json --smp $n "$KERNEL" >"$files/act$n.json" 2>/dev/null </dev/null
	check "--smp $n: every hart_start is an event, its target where that hart entered the kernel, and every hart's line is on the console" \
		python3 -c '
import json, re, sys
n = int(sys.argv[2])
d = json.load(open(sys.argv[1]))
starts = [e for e in d["events"] if e["kind"] == "sbi_call" and e["name"] == "hart_start"]
assert len(starts) == n - 1, starts
boot = {e["hart"] for e in starts}
assert len(boot) == 1, boot
boot = boot.pop()
entered = {h["hart"]: [s for s in h["stages"] if s["stage"] == 3] for h in d["harts"]}
assert entered[boot][0]["pc"] == "0x80200000", entered
for e in starts:
    hart = int(re.search(r"hartid=(\d+)", e["args"]).group(1))
    target = re.search(r"start_addr=(0x[0-9a-f]+)", e["args"]).group(1)
    assert entered[hart] and entered[hart][0]["pc"] == target and entered[hart][0]["mode"] == "S", (hart, entered)
for h in range(n):
    if h != boot:
        assert d["console"].count("hart %d: up in S mode" % h) == 1, d["console"]' "$files/act$n.json" $n
done
# An xv6-style boot with no firmware: every hart from 0x1000 into the
# kernel at 0x80000000, in M mode (it never powers off: --timeout ends it).
timeout -k 2 60 "$BOOTSCOPE" --batch --json --bios none --smp 3 --timeout 1 "$files/k/harts.elf" \
	>"$files/xv6.json" 2>/dev/null </dev/null
check "--bios none --smp 3: all three harts start at 0x1000 and enter the kernel at 0x80000000 in M mode" python3 -c '
import json, sys
h = json.load(open(sys.argv[1]))["harts"]
assert [x["hart"] for x in h] == [0, 1, 2], h
for x in h:
    assert [(y["stage"], y["pc"], y["mode"]) for y in x["stages"]] == [(1, "0x1000", "M"), (2, "0x80000000", "M")], x' \
	"$files/xv6.json"
check_clean "harts, batch"

# ---- a gdb through bootscope sees every hart --------------------------------
tui_start 110x40 -- --smp 2 --gdb-socket="$files/gdb.sock" "$KERNEL"
check_screen "gdb, two harts: up" '^ pc 0x1000 '
out=$(timeout -k 2 30 gdb-multiarch -batch -nx -ex "target remote $files/gdb.sock" -ex 'info threads' \
	-ex 'thread 2' -ex 'info registers pc' -ex 'set scheduler-locking step' -ex stepi -ex 'stepi 3' \
	-ex 'info registers pc' -ex detach "$KERNEL" 2>&1)
check_match "gdb's info threads through bootscope: both harts" "$out" 'Thread 1\.2 \(CPU#1'
check_match "...thread 2's registers read" "$out" '^pc +0x1000'
# gdb steps a hart with a breakpoint after the instruction, that hart
# alone (scheduler-locking step: vCont;c for its thread only).
check_match "...and stepi 4 times moved thread 2 by four straight-line instructions" \
	"$(printf '%s\n' "$out" | grep '^pc ' | sed -n 2p)" '^pc +0x1010'
check_screen "...and the screen shows the hart gdb chose" '^▶ hart 1 '
tui_keys q
tui_exit_status
check_eq "gdb, two harts, q: exits 0" "$rc" 0

# ---- one hart: no strip, and h says why ------------------------------------
tui_start 80x24 -- "$KERNEL"
check_screen "one hart: up" '^ pc 0x1000 '
tui_keys h
check_screen "h with one hart: says how to get more" 'one hart: start with --smp N for more'
tui_keys '?'
check_screen "?: at 80x24 the whole help fits, h and H in it" '^ .* h  H +the next hart'
check_screen "...down to its last line" 'Any key closes this help'
tui_keys Space
tui_keys q
tui_exit_status
check_eq "one hart, q: exits 0" "$rc" 0

check_done
