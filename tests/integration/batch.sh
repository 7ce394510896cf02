# bootscope --batch on the bundled kernel: the three stages, the registers
# at each of them compared with what gdb-multiarch reads at the same stops
# of a QEMU of our own, the console, the end, and nothing left behind; then
# a kernel that never ends (--timeout) and a bootscope stopped by SIGTERM.
. "$TOP/tests/lib/check.sh"
. "$TOP/tests/lib/engine.sh"
cd "$TOP" || exit 1

csrs="mstatus mtvec mepc mcause mtval medeleg mideleg satp sstatus stvec sepc scause stval"

# j EXPR: a value from the JSON report in $tmp/report.json (d is the object).
j() { python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$tmp/report.json" "$1" 2>&1; }

# ---- the JSON report --------------------------------------------------------
bs 30 --batch --json "$KERNEL"
printf '%s\n' "$out" >"$tmp/report.json"
check_eq "--batch --json exits 0" "$rc" 0
check_eq "--batch --json writes nothing on stderr" "$err" ""
check "--batch --json is one valid JSON object" python3 -c 'import json, sys; assert isinstance(json.load(open(sys.argv[1])), dict)' "$tmp/report.json"
echo "# --batch --json took $ms ms"
check_clean "--batch --json"

check_eq "three stages" "$(j 'len(d["stages"])')" 3
check_eq "the kernel named is the one given" "$(j 'd["kernel"]')" "$KERNEL"
i=0
for want in "1 reset vector 0x1000 M" "2 firmware 0x80000000 M" "3 kernel 0x80200000 S"; do
	got=$(j "' '.join(str(d['stages'][$i][k]) for k in ('number', 'name', 'entry', 'priv'))")
	check_eq "stage $((i + 1)): number, name, entry, privilege" "$got" "$want"
	i=$((i + 1))
done
for i in 0 1 2; do
	check_eq "stage $((i + 1)): registers pc equals entry" "$(j "d['stages'][$i]['registers']['pc'] == d['stages'][$i]['entry']")" True
	check_eq "stage $((i + 1)): all 32 registers, pc, priv and the 13 CSRs" \
		"$(j "sorted(d['stages'][$i]['registers'])")" \
		"$(python3 -c 'import sys; print(sorted(sys.argv[1:]))' pc priv zero ra sp gp tp t0 t1 t2 s0 s1 a0 a1 a2 a3 a4 a5 a6 a7 \
			s2 s3 s4 s5 s6 s7 s8 s9 s10 s11 t3 t4 t5 t6 $csrs)"
done
check_eq "stage 1: instruction" "$(j 'd["stages"][0]["instruction"]')" "auipc t0,0x0"
check_eq "stage 3: a0 is the hart id 0" "$(j 'd["stages"][2]["registers"]["a0"]')" 0x0
check_eq "stage 3: a1 is the device tree (0x87e00000 with 128 MiB)" "$(j 'd["stages"][2]["registers"]["a1"]')" 0x87e00000
check_eq "stage 3: priv register says S (1)" "$(j 'd["stages"][2]["registers"]["priv"]')" 0x1
check_eq "stage 3: section" "$(j 'd["stages"][2]["section"]')" .text
check_eq "stage 3: symbol" "$(j 'd["stages"][2]["symbol"]')" _start
# objdump's first line of .text: "80200000:\t00007117 \tauipc\tsp,0x7", and
# its branch targets "8020003c <kmain>" where bootscope writes 0x8020003c.
first=$("${CROSS}objdump" -d "$KERNEL" | awk -F'\t' '/^ *80200000:/ { $1 = $2 = ""; print; exit }' |
	sed -E 's/[[:space:]]+/ /g; s/^ //; s/ $//; s/(^|[ ,])([0-9a-f]+ <)/\10x\2/g')
check "objdump lists an instruction at 0x80200000" test -n "$first"
check_eq "stage 3: instruction equals objdump's" "$(j 'd["stages"][2]["instruction"]' | sed -E 's/[[:space:]]+/ /g')" "$first"
check_match "end: QEMU exited with status 0" "$(j 'd["end"]')" '^QEMU exited with status 0$'

# The console: the greeting and the layout lines, which must equal nm.
console=$(j 'd["console"]' | tr -d '\r')
sym() { "${CROSS}nm" "$KERNEL" | awk -v s="$1" '$3 == s { print "0x" $1 }' | sed 's/0x0*/0x/'; }
check_match "console: OpenSBI's banner" "$console" '^OpenSBI v'
check_match "console: the kernel's greeting" "$console" '^Hello from the bootscope kernel!$'
check_match "console: hart id" "$console" '^hart id: 0$'
check_match "console: device tree address" "$console" '^device tree at: 0x87e00000$'
for s in text rodata data bss; do
	want="  .$(printf '%-7s' "$s") [$(sym s$s), $(sym e$s))"
	check_eq "console: .$s range equals nm" "$(printf '%s\n' "$console" | grep -F "  .$s ")" "$want"
done
check_eq "console: stack range equals nm" "$(printf '%s\n' "$console" | grep -F '  stack')" \
	"  stack    [$(sym boot_stack_lower), $(sym boot_stack_top))"
check_match "console: the last line" "$console" 'shutting down through SBI$'

# ---- the same stops under gdb-multiarch --------------------------------------
bg 30 qemu-system-riscv64 -machine virt -nographic -monitor none -serial null -S \
	-gdb "unix:$tmp/g.sock,server=on,wait=off" -bios default -kernel "$KERNEL" 2>"$tmp/qemu.err"
qemu_pid=$bg_pid
check "our QEMU opened its gdbstub" wait_for_file "$tmp/g.sock"
regs=(-ex 'info registers' -ex "info registers priv $csrs")
timeout -k 2 30 gdb-multiarch -batch -nx -ex 'set architecture riscv:rv64' -ex "target remote $tmp/g.sock" \
	-ex 'echo @@stop 1\n' "${regs[@]}" -ex "dump binary memory $tmp/rom.bin 0x1000 0x1058" \
	-ex 'break *0x80000000' -ex 'break *0x80200000' \
	-ex c -ex 'echo @@stop 2\n' "${regs[@]}" \
	-ex c -ex 'echo @@stop 3\n' "${regs[@]}" \
	-ex kill >"$tmp/gdb.out" 2>&1
check_eq "gdb-multiarch reached the three stops" "$(grep -c '^@@stop' "$tmp/gdb.out")" 3
wait "$qemu_pid"
check "our QEMU ended when gdb killed it" test ! -e "/proc/$qemu_pid"

# gdb prints "name  0xHEX  natural": take the hex column; it says fp for s0
# and leaves out zero.
compare=$(python3 - "$tmp/report.json" "$tmp/gdb.out" <<'EOF'
import json, re, sys
stages = json.load(open(sys.argv[1]))["stages"]
stops, cur = {}, None
for line in open(sys.argv[2]):
    m = re.match(r"@@stop (\d)", line)
    if m:
        cur = stops.setdefault(int(m.group(1)) - 1, {"zero": 0})
        continue
    m = re.match(r"(\w+)\s+(0x[0-9a-f]+)\s", line)
    if m and cur is not None:
        cur[{"fp": "s0"}.get(m.group(1), m.group(1))] = int(m.group(2), 16)
for i, st in enumerate(stages):
    gdb, diffs = stops.get(i, {}), []
    for name, val in st["registers"].items():
        if name not in gdb:
            diffs.append("%s: gdb has none" % name)
        elif int(val, 16) != gdb[name]:
            diffs.append("%s: bootscope %s, gdb %#x" % (name, val, gdb[name]))
    print("%d %d %s" % (i + 1, len(st["registers"]) - len(diffs), "; ".join(diffs)))
EOF
)
for i in 1 2 3; do
	line=$(printf '%s\n' "$compare" | awk -v i=$i '$1 == i')
	read -r _ same diffs <<<"$line"
	check_eq "stage $i: every register bootscope reports equals gdb-multiarch's" "${diffs:-}" ""
	check_eq "stage $i: 47 registers compared (x0-x31, pc, priv, 13 CSRs)" "${same:-0}" 47
done

# The reset vector QEMU holds is the one tests/unit/test_stage.c encodes
# and docs/virt-boot.md describes, and objdump reads its first instruction
# as bootscope does.
rom=$(python3 -c '
import struct, sys
b = open(sys.argv[1], "rb").read()
print(" ".join("%x" % w for w in struct.unpack("<6I2Q6Q", b)))' "$tmp/rom.bin" 2>&1)
check_eq "QEMU's reset vector: code, start_addr, fdt, fw_dynamic_info" "$rom" \
	"297 2828613 f1402573 202b583 182b283 28067 80000000 87e00000 4942534f 2 80200000 1 0 0"
"${CROSS}objdump" -D -b binary -m riscv:rv64 --adjust-vma=0x1000 "$tmp/rom.bin" >"$tmp/rom.dis" 2>&1
rom_first=$(awk -F'\t' '/^ *1000:/ { $1 = $2 = ""; print; exit }' "$tmp/rom.dis" | sed -E 's/[[:space:]]+/ /g; s/^ //; s/ $//')
check_eq "stage 1: instruction equals objdump's of QEMU's reset vector" "$(j 'd["stages"][0]["instruction"]')" "$rom_first"

# ---- the text form ------------------------------------------------------------
bs 30 --batch "$KERNEL"
check_eq "--batch (text) exits 0" "$rc" 0
check_eq "--batch (text) writes nothing on stderr" "$err" ""
check_match "text: stage 1" "$out" '^== stage 1: reset vector, entered at 0x1000 in M mode$'
check_match "text: stage 2" "$out" '^== stage 2: firmware, entered at 0x80000000 in M mode$'
check_match "text: stage 3" "$out" '^== stage 3: kernel, entered at 0x80200000 in S mode$'
check_match "text: where the kernel starts" "$out" '^ +where: +\.text, _start$'
check_match "text: the end" "$out" '^== end: QEMU exited with status 0$'
check_match "text: the console" "$out" '^== console:'
check_match "text: the kernel's greeting" "$(printf '%s\n' "$out" | tr -d '\r')" '^Hello from the bootscope kernel!$'
echo "# --batch took $ms ms"
check_clean "--batch (text)"

# ---- a kernel that never ends ---------------------------------------------------
check "spin.elf builds" build_spin spin.elf rv64gc lp64d
bs 20 --batch --json --timeout 1 "$tmp/spin.elf"
printf '%s\n' "$out" >"$tmp/report.json"
check_eq "--timeout 1, a kernel that spins: exit status 0" "$rc" 0
check_eq "--timeout 1: nothing on stderr" "$err" ""
check_eq "--timeout 1: three stages" "$(j 'len(d["stages"])')" 3
check_eq "--timeout 1: the kernel stage" "$(j 'd["stages"][2]["entry"] + " " + d["stages"][2]["symbol"] + " " + d["stages"][2]["instruction"]')" \
	"0x80200000 _start nop"
end=$(j 'd["end"]')
check_match "--timeout 1: end says it still runs after 1 s" "$end" '^still running after 1(\.0)? s: stopped at 0x[0-9a-f]+$'
spin=$("${CROSS}nm" "$tmp/spin.elf" | awk '$3 == "spin" { print "0x" $1 }')
pc=${end##* }
check "--timeout 1: stopped in the loop at spin ($spin), at $pc" test -n "$spin" -a -n "$pc" -a $((pc - spin)) -ge 0 -a $((pc - spin)) -lt 8
check "--timeout 1: ends in 1 to 6 s (took $ms ms)" test "$ms" -ge 1000 -a "$ms" -lt 6000
check_clean "--timeout 1"

# While it runs: the QEMU is bootscope's child, in our private directory;
# after bootscope ends it is gone, also when bootscope is stopped by a signal.
for how in timeout SIGTERM; do
	limit=2 qmp=()
	# SIGTERM: with a QMP socket, to see when the kernel runs (below).
	[ "$how" = SIGTERM ] && limit=30 && qmp_args bg
	bg 40 "$BOOTSCOPE" --batch --timeout "$limit" "${qmp[@]}" "$tmp/spin.elf" >"$tmp/bg.out" 2>"$tmp/bg.err"
	t=$bg_pid bpid= qpid= n=0
	while [ -z "$qpid" ] && [ $((n += 1)) -le 250 ]; do
		[ -z "$bpid" ] && bpid=$(pgrep -P "$t")
		[ -n "$bpid" ] && qpid=$(pgrep -P "$bpid")
		[ -z "$qpid" ] && sleep 0.02
	done
	check "$how: bootscope has a QEMU child while it runs" test -n "$qpid"
	check_match "$how: that QEMU's gdb socket is in the private directory" \
		"$([ -n "$qpid" ] && tr '\0' ' ' </proc/"$qpid"/cmdline)" "^qemu-system-riscv64 .*-gdb unix:$tmp/bootscope\.[^/]+/gdb\.sock"
	# Once the walk has let the kernel go (QEMU says it runs, in spin's
	# loop), stop bootscope the way a terminal would.
	if [ "$how" = SIGTERM ]; then
		check_guest_in "SIGTERM: before the signal, the guest runs free in the kernel's loop at spin" \
			"$tmp/bg.qmp" "$spin" $((spin + 8))
		[ -n "$bpid" ] && kill -TERM "$bpid"
	fi
	t0=$(date +%s%N)
	wait "$t"
	brc=$?
	ms=$((($(date +%s%N) - t0) / 1000000))
	if [ "$how" = SIGTERM ]; then
		check_eq "SIGTERM: bootscope is killed by SIGTERM, after its report" "$brc" 143
		check "SIGTERM: bootscope ends within 3 s (took $ms ms)" test "$ms" -lt 3000
		check_match "SIGTERM: the report says interrupted" "$(cat "$tmp/bg.out")" '^== end: interrupted$'
	else
		check_eq "--timeout 2 (background): exits 0" "$brc" 0
	fi
	check "$how: the QEMU (pid ${qpid:-?}) is gone after bootscope ended" test -n "$qpid" -a ! -e "/proc/$qpid"
	check_clean "$how"
done

check_done
