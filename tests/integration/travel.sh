# Going back (session_travel.c) against going forward: the machine that
# `bootscope --batch --at N` reaches by running the boot again, after its
# walk, equals the one gdb-multiarch reaches by stepping a QEMU of its own
# forward to the same instruction count, for points in every stage.
. "$TOP/tests/lib/check.sh"
. "$TOP/tests/lib/engine.sh"
cd "$TOP" || exit 1

# forward NAME BREAK STEPS: gdb-multiarch on a fresh QEMU, to BREAK (or
# from reset when "-") and STEPS instructions on; the registers, one
# "name 0xvalue" a line, in $tmp/NAME.gdb.
forward() {
	local sock=$tmp/$1.sock brk=()
	bg 60 qemu-system-riscv64 -machine virt -nographic -monitor none -serial null -S \
		-gdb "unix:$sock,server=on,wait=off" -bios default -kernel "$KERNEL"
	wait_for_file "$sock" || not_ok "$1: QEMU opened its socket"
	[ "$2" != - ] && brk=(-ex "hbreak *$2" -ex continue)
	timeout -k 2 60 gdb-multiarch -batch -nx -ex 'set pagination off' -ex "target remote $sock" \
		"${brk[@]}" -ex "stepi $3" -ex 'info registers pc sp ra gp tp t0 t1 a0 a1 a2 a5 s0 priv' "$KERNEL" 2>/dev/null |
		awk '$1 ~ /^(pc|sp|ra|gp|tp|t0|t1|a0|a1|a2|a5|s0|priv)$/ { print $1, $2 }' >"$tmp/$1.gdb"
	kill -KILL "$bg_pid" 2>/dev/null
	wait "$bg_pid" 2>/dev/null
}

# back NAME N: bootscope --batch --at N; the same registers from its "at".
back() {
	bs 60 --batch --json --at "$2" "$KERNEL"
	printf '%s\n' "$out" >"$tmp/$1.json"
	python3 - "$tmp/$1.json" >"$tmp/$1.bs" 2>/dev/null <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))["at"]
r = a["registers"]
for name in "pc sp ra gp tp t0 t1 a0 a1 a2 a5 s0".split():
    print(name, hex(int(r[name], 16)))
print("priv", hex({"U": 0, "S": 1, "M": 3}[a["priv"]]))
print("insn", a["insn"])
PY
}

# The kernel's entry comes after 11845098 instructions (docs/plugins-and-replay.md).
entry=11845098
for point in "reset - 3 3" "firmware 0x80000000 100 106" "firmware-late 0x80000000 2000 2006" \
	     "kernel-entry 0x80200000 0 $entry" "kernel 0x80200000 60 $((entry + 60))"; do
	set -- $point
	forward "$1" "$2" "$3"
	back "$1" "$4"
	check_eq "$1: bootscope --at $4 exits 0" "$rc" 0
	check_eq "$1: --at $4 is at instruction $4" "$(awk '$1 == "insn" { print $2 }' "$tmp/$1.bs")" "$4"
	check "$1: gdb stepped a QEMU there ($(wc -l <"$tmp/$1.gdb") registers)" test "$(wc -l <"$tmp/$1.gdb")" -eq 13
	check_eq "$1: the registers going back equal those going forward" \
		"$(grep -v '^insn' "$tmp/$1.bs")" "$(cat "$tmp/$1.gdb")"

	check_clean "$1"
done

# Not reached yet, or bad usage: a one-line reason.
bs 60 --batch --at 99999999999 "$KERNEL"
check_eq "--at beyond the end: exit 1" "$rc" 1
check_match "--at beyond the end: says how far the boot came" "$err" \
	'^bootscope: --at 99999999999: instruction 99999999999 has not been reached yet \(the boot has come to [0-9]+\)$'
check_clean "--at beyond the end"
bs 60 --at 5 "$KERNEL"
check_eq "--at without --batch: exit 2" "$rc" 2
check_match "--at without --batch: says so" "$err" '^bootscope: --at goes with --batch'
bs 60 --batch --at 12x "$KERNEL"
check_eq "--at 12x: exit 2" "$rc" 2
check_match "--at 12x: says what it wants" "$err" '^bootscope: --at wants a number of instructions since reset'
