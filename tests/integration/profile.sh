# bootscope --profile on the real QEMU: where the bundled kernel's boot
# spent its instructions.  The totals add up (stages, sections, functions,
# the folded stacks, the trace's stage spans), equal what the counting
# plugin counts in a QEMU of the test's own (which plugin.sh checks against
# QEMU's own per-instruction log), and the firmware holds most of them.
. "$TOP/tests/lib/check.sh"
. "$TOP/tests/lib/engine.sh"
cd "$TOP" || exit 1

PLUGIN=$TOP/build/bootscope-count.so
j() { python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$tmp/p.json" "$1" 2>&1; }

bs 60 --profile --json --profile-out "$tmp" "$KERNEL"
printf '%s\n' "$out" >"$tmp/p.json"
check_eq "--profile --json: exits 0" "$rc" 0
check_eq "--profile --json: nothing on stderr" "$err" ""
check_eq "the keys of the report" "$(j 'sorted(d)')" \
	"['end', 'firmware', 'functions', 'kernel', 'loops', 'sections', 'stages', 'total']"
total=$(j 'd["total"]')
echo "# total: $total"
check_eq "the stages add up to the total" "$(j 'sum(s["instructions"] for s in d["stages"])')" "$total"
check_eq "the sections add up to the total" "$(j 'sum(s["instructions"] for s in d["sections"])')" "$total"
check_eq "the functions add up to the total" "$(j 'sum(f["instructions"] for f in d["functions"])')" "$total"
check_eq "three stages, by number and name" "$(j '[(s["number"], s["name"]) for s in d["stages"]]')" \
	"[(1, 'reset vector'), (2, 'firmware'), (3, 'kernel')]"
check_eq "the reset vector runs its six instructions" "$(j 'd["stages"][0]["instructions"]')" 6
check_eq "the firmware holds most of them (over 90 %)" "$(j 'd["stages"][1]["instructions"] * 10 > 9 * d["total"]')" True
check_eq "each stage is entered when the counting plugin says: 0, 6, 11845098" \
	"$(j '[s["entered_after"] for s in d["stages"]]')" "[0, 6, 11845098]"
check_eq "the kernel's functions by their symbols, kmain the hottest" \
	"$(j '[f["name"] for f in d["functions"] if f["stage"] == "kernel"][0]')" kmain
check_eq "OpenSBI's functions named by address where it has no symbol" \
	"$(j 'all(f["name"] == f["addr"] for f in d["functions"] if not f["named"])')" True
check "the hottest loop is in the firmware" test "$(j 'd["loops"][0]["head"].startswith("0x800")')" = True
check_match "the run ended with the guest powering off" "$(j 'd["end"]')" 'exited with status 0'

# The same boot counted by the plugin alone, no bootscope, no gdbstub.
qemu-system-riscv64 -machine virt -nographic -monitor none -serial null -bios default -kernel "$KERNEL" \
	-plugin "file=$PLUGIN,out=$tmp/alone.out" </dev/null >/dev/null 2>"$tmp/alone.err"
check_eq "the total is what the plugin counts in a boot without bootscope" \
	"$(sed -n 's/^total //p' "$tmp/alone.out")" "$total"

# The files for other tools.
check_eq "boot.folded: its counts add up to the total" \
	"$(awk '{ n += $NF } END { print n }' "$tmp/boot.folded")" "$total"
check_match "boot.folded: stage;function count lines" "$(head -1 "$tmp/boot.folded")" '^firmware;0x8000[0-9a-f]+ [0-9]+$'
check_eq "boot.trace.json: the three stages end to end, from 0 to the total" \
	"$(python3 -c 'import json, sys; t = json.load(open(sys.argv[1]))["traceEvents"]; s = [e for e in t if e.get("cat") == "stage"]; print(len(s), s[0]["ts"], s[-1]["ts"] + s[-1]["dur"], all(a["ts"] + a["dur"] == b["ts"] for a, b in zip(s, s[1:])))' "$tmp/boot.trace.json")" \
	"3 0 $total True"

# The text form: the same figures for a person.
bs 60 --profile "$KERNEL"
check_eq "--profile: exits 0" "$rc" 0
check_match "--profile: the total" "$out" "^== $total instructions from reset to the end$"
check_match "--profile: the firmware's row" "$out" '^   2 firmware +[0-9]+ +99\.[0-9]+%  6 instructions$'
check_clean "--profile"

# Several harts: counted by hart too, exactly (each hart its own counters).
bs 60 --profile --json --smp 3 "$KERNEL"
printf '%s\n' "$out" >"$tmp/p.json"
check_eq "--profile --smp 3: exits 0" "$rc" 0
check_eq "--profile --smp 3: a row per hart" "$(j '[h["hart"] for h in d["harts"]]')" "[0, 1, 2]"
check_eq "...the harts' counts add up to the total" "$(j 'sum(h["instructions"] for h in d["harts"]) == d["total"]')" True
check_eq "...each hart's stages add up to its count" \
	"$(j 'all(sum(s["instructions"] for s in h["stages"]) == h["instructions"] for h in d["harts"])')" True
check_eq "...and every stage's count is its harts' sum" \
	"$(j '[s["instructions"] for s in d["stages"]] == [sum(x) for x in zip(*[[s["instructions"] for s in h["stages"]] for h in d["harts"]])]')" True
check_eq "...every hart ran the reset vector's 6 and reached the kernel" \
	"$(j 'all(h["stages"][0]["instructions"] == 6 and h["stages"][2]["instructions"] > 0 for h in d["harts"])')" True
bs 60 --profile --smp 2 "$KERNEL"
check_match "--profile --smp 2, text: the table by hart" "$out" '^   1 +[0-9]+ +[0-9.]+% +6 +[0-9]+ +[0-9]+$'

# A plugin file whose harts do not add up is refused, not believed.
qemu-system-riscv64 -machine virt -nographic -monitor none -serial null -bios default -kernel "$KERNEL" -smp 2 \
	-plugin "file=$PLUGIN,out=$tmp/harts.out,harts=on" </dev/null >/dev/null 2>"$tmp/harts.err"
check_eq "the plugin alone, harts=on: its insn lines add up to the total" \
	"$(awk '$1 == "insn" { n += $3 } $1 == "total" { t = $2 } END { print n == t }' "$tmp/harts.out")" 1
check_eq "...and so do its harts' lines" \
	"$(awk '$1 == "hart" { n += $3 } $1 == "total" { t = $2 } END { print n == t }' "$tmp/harts.out")" 1

# What it cannot do.
bs 10 --profile --attach 127.0.0.1:1
check_eq "--profile --attach: a usage error" "$rc" 2
check_match "--profile --attach: says why" "$err" '^bootscope: --profile starts its own QEMU: drop --attach'
check_clean "--profile --attach"

check_done
