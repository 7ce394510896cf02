# The boot's story in `bootscope --batch --json`'s "events", on the real
# QEMU: the bundled kernel's SBI calls against what it printed, its
# shutdown, the mret from OpenSBI into the kernel, OpenSBI's deliberate
# illegal-instruction traps while it probes CSRs; an xv6-style kernel
# under --bios none with its own trap vectors, mret, ecall and a trap
# taken in S mode; a kernel that traps at once under OpenSBI.
. "$TOP/tests/lib/check.sh"
. "$TOP/tests/lib/engine.sh"
cd "$TOP" || exit 1

k=$tmp/kernels
bash "$TOP/tests/kernels/build.sh" "$k" >/dev/null 2>&1 || not_ok "test kernels build"

# py FILE EXPR: EXPR over the JSON report in FILE (d; ev: its events; the
# helpers below).
py() {
	python3 - "$1" "$2" <<'EOF' 2>&1
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
ev = d.get("events", [])
def kind(k): return [e for e in ev if e["kind"] == k]
def calls(name): return [e for e in kind("sbi_call") if e["name"] == name]
def char(e):	# ch='H' / ch='\n' as the character
	a = e["args"][len("ch="):]
	return {"'\\n'": "\n", "'\\t'": "\t", "'\\''": "'", "'\\\\'": "\\"}.get(a, a[1:-1])
print(eval(sys.argv[2]))
EOF
}

# ---- the bundled kernel, under OpenSBI -------------------------------------
bs 60 --batch --json "$KERNEL"
printf '%s\n' "$out" >"$tmp/boot.json"
check_eq "bundled kernel: exits 0" "$rc" 0
check_eq "bundled kernel: nothing on stderr" "$err" ""
j() { py "$tmp/boot.json" "$1"; }
echo "# events: $(j 'len(ev)') ($(j 'sorted({e["kind"] for e in ev})'))"
check_eq "every event has its instruction count" "$(j 'all("insn" in e for e in ev if e["kind"] != "power_off")')" True
check_eq "the events are in the order of their instruction counts" \
	"$(j 'all(a["insn"] <= b["insn"] for a, b in zip(ev, ev[1:]) if "insn" in a and "insn" in b)')" True
check_eq "stages 2 and 3 are entered once each, in order" "$(j '[e["stage"] for e in kind("stage")]')" "[2, 3]"

# What the kernel printed through SBI is the end of the console, character
# for character (OpenSBI's banner before it is its own, not an SBI call).
putchars=$(j '"".join(char(e) for e in calls("console_putchar"))')
check "the kernel made console_putchar calls ($(j 'len(calls("console_putchar"))'))" test "$(j 'len(calls("console_putchar"))')" -gt 100
check_eq "its console_putchar characters are what the console shows at its end, one for one" \
	"$(j 'd["console"].replace("\r", "").endswith("".join(char(e) for e in calls("console_putchar")))')" True
check_match "the characters begin with the kernel's greeting" "$putchars" '^Hello from the bootscope kernel!'
check_eq "each console_putchar came back to the kernel (legacy: no error code)" \
	"$(j 'sorted({e.get("error_name") for e in calls("console_putchar")})')" "['legacy (no error code)']"
check_eq "the kernel probed HSM, then SRST: BASE probe_extension, SBI_SUCCESS, value 0x1 each" \
	"$(j '[(e["extension"], e["args"], e["error_name"], e["value"]) for e in calls("probe_extension")]')" \
	"[('BASE', 'extension_id=0x48534d (HSM)', 'SBI_SUCCESS', '0x1'), ('BASE', 'extension_id=0x53525354 (SRST)', 'SBI_SUCCESS', '0x1')]"
# kernel/smp.c on one hart: it asks HSM about every other hart id, and
# there is none.
check_eq "the kernel asked HSM hart_get_status about harts 1 to 7: no such hart (SBI_ERR_INVALID_PARAM) each" \
	"$(j '[(e["extension"], e["args"], e["error_name"]) for e in calls("hart_get_status")]')" \
	"$(python3 -c 'print([("HSM", "hartid=%d" % i, "SBI_ERR_INVALID_PARAM") for i in range(1, 8)])')"
check_eq "... and started none: no hart_start" "$(j 'len(calls("hart_start"))')" 0
check_eq "the shutdown is one SRST system_reset, shutdown with no reason, and the last call" \
	"$(j '[(e["extension"], e["eid"], e["args"]) for e in calls("system_reset")] + [kind("sbi_call")[-1]["name"]]')" \
	"[('SRST', '0x53525354', 'reset_type=shutdown reset_reason=none'), 'system_reset']"
check_eq "the run ends by the guest powering off, after the shutdown call" "$(j 'ev[-1]["kind"]')" power_off
check_eq "every SBI call is made from S mode into M mode" \
	"$(j 'sorted({(e["from"], e["to"]) for e in kind("sbi_call")})')" "[('S', 'M')]"

# The mret that ends OpenSBI's boot: M to S, to _start, and the kernel's
# stage begins with the very next instruction.
mret=$(j '[(e["name"], e["from"], e["to"], e["target"], e["target_symbol"]) for e in kind("return") if e["target"] == "0x80200000"]')
check_eq "OpenSBI's mret into the kernel: M -> S, to 0x80200000 <_start>" "$mret" \
	"[('mret', 'M', 'S', '0x80200000', '_start')]"
check_eq "stage 3 is entered one instruction after that mret" \
	"$(j '[e["insn"] for e in kind("stage") if e["stage"] == 3][0] - [e["insn"] for e in kind("return") if e["target"] == "0x80200000"][0]')" 1
check_eq "stage 3 is entered after as many instructions as the counting plugin marks for 0x80200000" \
	"$(j '[e["insn"] for e in kind("stage") if e["stage"] == 3][0]')" 11845098

# OpenSBI probes CSRs with a trap handler of its own in mtvec: the writes
# of mtvec, and the illegal-instruction traps (mtval holds the csrr).
traps=$(j 'len([e for e in kind("trap") if e["name"] == "illegal instruction"])')
check "OpenSBI's deliberate illegal-instruction traps are there ($traps)" test "$traps" -ge 1
check_eq "each is taken in M mode from M mode" "$(j 'sorted({(e["from"], e["to"]) for e in kind("trap")})')" "[('M', 'M')]"
check_eq "each mtval is the trapping instruction: a CSR access (opcode 0x73)" \
	"$(j 'all(int(e["tval"], 16) & 0x7f == 0x73 for e in kind("trap"))')" True
check_eq "each trap goes to the mtvec written last before it" \
	"$(j 'all(e["handler"] == [w["value"] for w in ev[:ev.index(e)] if w["kind"] == "sysreg" and w["register"] == "mtvec"][-1] for e in kind("trap"))')" True
check_eq "the handler is OpenSBI's __sbi_expected_trap_hext (one of its few symbols)" \
	"$(j 'sorted({e["text"].split("<")[-1].rstrip(">") for e in kind("trap")})')" "['__sbi_expected_trap_hext']"
check "OpenSBI writes mtvec (its own vector, then the probing handler and back)" \
	test "$(j 'len([e for e in kind("sysreg") if e["register"] == "mtvec"])')" -gt 10
check_eq "OpenSBI sets the delegation registers once each" \
	"$(j 'sorted(e["register"] for e in kind("sysreg") if e["register"] in ("medeleg", "mideleg"))')" "['medeleg', 'mideleg']"
check_eq "medeleg as OpenSBI prints it in its banner" \
	"$(j '[e["value"] for e in kind("sysreg") if e["register"] == "medeleg"][0]')" \
	"0x$(j 'd["console"]' | sed -n 's/^Boot HART MEDELEG *: 0x0*\([0-9a-f]*\).*/\1/p')"
check_clean "bundled kernel"

# hexsym ELF NAME: the symbol's address as the report writes it (0x80000064).
hexsym() { printf '0x%x' "$(sym "$1" "$2")"; }

# ---- xv6-style, --bios none --------------------------------------------------
bs 30 --batch --json --bios none "$k/xv6ish.elf"
printf '%s\n' "$out" >"$tmp/xv6.json"
check_eq "xv6ish: exits 0" "$rc" 0
x() { py "$tmp/xv6.json" "$1"; }
check_eq "xv6ish: its own trap vectors and delegation, in order" \
	"$(x '[(e["register"], e["value"]) for e in kind("sysreg")]')" \
	"[('mtvec', '$(hexsym "$k/xv6ish.elf" mtrap)'), ('stvec', '$(hexsym "$k/xv6ish.elf" strap)'), ('medeleg', '0x4')]"
check_eq "xv6ish: its mret drops to S mode at smain" \
	"$(x '[(e["from"], e["to"], e["target_symbol"]) for e in kind("return")][0]')" "('M', 'S', 'smain')"
check_eq "xv6ish: its ecall, named as SBI names it, answered by its M-mode handler (a0 0, a1 42)" \
	"$(x '[(e["extension"], e["name"], e["error_name"], e["value"]) for e in kind("sbi_call")]')" \
	"[('BASE', 'get_spec_version', 'SBI_SUCCESS', '0x2a')]"
check_eq "xv6ish: the handler's mret returns after the ecall, in S mode" \
	"$(x '[(e["from"], e["to"], e["target_symbol"]) for e in kind("return")][1]')" "('M', 'S', 'smain+0x8')"
check_eq "xv6ish: the illegal csrr is taken in S mode, delegated, with its instruction in stval" \
	"$(x '[(e["name"], e["from"], e["to"], e["tval"], e["handler"], e["symbol"]) for e in kind("trap")]')" \
	"[('illegal instruction', 'S', 'S', '0x300022f3', '$(hexsym "$k/xv6ish.elf" strap)', 'smain+0x8')]"
check_eq "xv6ish: then it powers off" "$(x 'ev[-1]["kind"]')" power_off
check_clean "xv6ish"

# ---- a kernel that traps at once, under OpenSBI -------------------------------
# OpenSBI does not delegate illegal instructions (medeleg bit 2 is clear),
# so the trap goes to M mode; OpenSBI hands it on to the kernel's stvec,
# the kernel's entry, with an mret -- and the kernel traps again.
bs 30 --batch --json --timeout 0.5 "$k/trap.elf"
printf '%s\n' "$out" >"$tmp/trap.json"
t() { py "$tmp/trap.json" "$1"; }
check_eq "trap.elf: exits 0 (still running at the time-out)" "$rc" 0
check_eq "trap.elf: its csrw mstatus traps from S mode into M mode, mtval the instruction 0x30001073" \
	"$(t '[(e["name"], e["from"], e["to"], e["tval"], e["symbol"]) for e in kind("trap") if e["from"] == "S"][0]')" \
	"('illegal instruction', 'S', 'M', '0x30001073', '_start')"
check_eq "trap.elf: OpenSBI redirects it to the kernel's stvec, its entry, with an mret to S mode" \
	"$(t '[(e["from"], e["to"], e["target"]) for e in ev[ev.index([e for e in kind("trap") if e["from"] == "S"][0]):] if e["kind"] == "return"][0]')" \
	"('M', 'S', '0x80200000')"
check "trap.elf: and the kernel traps again and again" test "$(t 'len([e for e in kind("trap") if e["from"] == "S"])')" -gt 1
check_clean "trap.elf"

# ---- a kernel that spins at its entry, where OpenSBI points stvec ------------
# Jumping to the vector's address is no trap: nothing is recorded for it,
# and the run is not stopped at every turn of the loop.
bs 30 --batch --json --timeout 0.5 "$k/spin.elf"
printf '%s\n' "$out" >"$tmp/spin.json"
check_eq "spin.elf: exits 0 (still running at the time-out)" "$rc" 0
check_eq "spin.elf: the only traps are OpenSBI's five probes in M mode" \
	"$(py "$tmp/spin.json" '[(e["from"], e["to"]) for e in kind("trap")]')" "[('M', 'M'), ('M', 'M'), ('M', 'M'), ('M', 'M'), ('M', 'M')]"
check_clean "spin.elf"

# ---- more of the story's instructions than breakpoints ------------------------
bs 30 --batch --json "$k/many-srets.elf"
printf '%s\n' "$out" >"$tmp/many.json"
m() { py "$tmp/many.json" "$1"; }
check_eq "many-srets: the walk goes on and the kernel powers off (exit 0)" "$rc" 0
check_eq "many-srets: all three stages" "$(m 'len(d["stages"])')" 3
check_match "many-srets: the report says why there are no events" "$(m 'd.get("events_note")')" \
	'^not recorded: the images hold [0-9]+ instructions of the story, more than bootscope.s 1024 breakpoints$'
check_eq "many-srets: only the stages and the end" "$(m 'sorted({e["kind"] for e in ev})')" "['power_off', 'stage']"
check_clean "many-srets"

# Calls are seen at the vector they trap to, without a breakpoint each:
# 1100 ecalls do not crowd out the story.
bs 30 --batch --json "$k/many-ecalls.elf"
printf '%s\n' "$out" >"$tmp/many.json"
check_eq "many-ecalls: the walk goes on and the kernel powers off (exit 0)" "$rc" 0
check_eq "many-ecalls: events recorded (no note)" "$(m 'd.get("events_note")')" "None"
check_eq "many-ecalls: its one call is the shutdown, from S mode to M" \
	"$(m '[(e["name"], e["from"], e["to"], e["pc"]) for e in d["events"] if e["kind"] == "sbi_call"]')" \
	"[('system_reset', 'S', 'M', '0x8020000e')]"
check_clean "many-ecalls"

# ---- --no-events ---------------------------------------------------------------
bs 30 --batch --json --no-events "$KERNEL"
printf '%s\n' "$out" >"$tmp/none.json"
check_eq "--no-events: exits 0" "$rc" 0
check_eq "--no-events: no trap, return, call or register write among the events" \
	"$(py "$tmp/none.json" 'sorted({e["kind"] for e in ev})')" "['power_off', 'stage']"
check_clean "--no-events"

check_done
