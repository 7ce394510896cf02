# gdbscripts/: the command files for gdb-multiarch, run against a real QEMU
# of the test's own (private unix socket), and checked against what a plain
# gdb without the scripts, nm and objdump say about the same machine.
. "$TOP/tests/lib/check.sh"
cd "$TOP" || exit 1

CROSS=${CROSS:-riscv64-unknown-elf-}
elf=build/kernel.elf
tmp=$(mktemp -d /tmp/bootscope-gdbscripts.XXXXXX) || exit 1
chmod 700 "$tmp"
export TMPDIR=$tmp
qemu_pids=()

cleanup() {
	local p
	for p in "${qemu_pids[@]}"; do
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

# start_qemu NAME: a paused QEMU with its gdbstub on $tmp/NAME.sock, under a
# hard time-out; its pid is remembered and killed at exit.
start_qemu() {
	timeout -k 2 60 qemu-system-riscv64 -machine virt -nographic -monitor none -serial null -S \
		-gdb "unix:$tmp/$1.sock,server=on,wait=off" -bios default -kernel "$elf" \
		2>"$tmp/$1.qemu.err" &
	qemu_pids+=($!)
	local i
	for ((i = 0; i < 250; i++)); do
		[ -S "$tmp/$1.sock" ] && return 0
		sleep 0.02
	done
	return 1
}

# gdb_run NAME OUT ARGS...: gdb-multiarch in batch mode on $tmp/NAME.sock.
gdb_run() {
	local name=$1 out=$2; shift 2
	timeout -k 2 30 gdb-multiarch -batch -nx "$@" >"$out" 2>&1
}

# section_of FILE MARK: the lines of FILE after "@@MARK" up to the next "@@".
section_of() { awk -v m="@@$2" '$0 == m { on = 1; next } /^@@/ { on = 0 } on' "$1"; }
sym() { "${CROSS}nm" "$elf" | awk -v s="$1" '$3 == s { print "0x" $1 }' | sed 's/0x0*\([0-9a-f]\)/0x\1/'; }

t0=$(date +%s%N)

# ---- the scripts load without a machine ------------------------------------
gdb_run none "$tmp/none.out" -x gdbscripts/bootscope.gdb -ex 'help boot-walk'; rc=$?
check_eq "bootscope.gdb loads without a connection (exit status)" "$rc" 0
check_match "bootscope.gdb says what it loaded" "$(cat "$tmp/none.out")" '^bootscope.gdb: loaded build/kernel.elf'
check_match "help boot-walk is the documentation" "$(cat "$tmp/none.out")" '^Walk the boot from the reset vector'
check "bootscope.gdb names no port and no socket" bash -c '! grep -Eq "^[^#]*target (remote|extended-remote)" gdbscripts/*.gdb'
undocumented=
for f in gdbscripts/*.gdb; do
	for c in $(awk '$1 == "define" { print $2 }' "$f"); do
		grep -q "^document $c\$" "$f" || undocumented+="$f:$c "
	done
done
check_eq "every command defined in gdbscripts/ has its document" "$undocumented" ""

# ---- boot-walk, stage, sections, fw-info on a real machine -----------------
check "QEMU for the scripts opened its gdbstub" start_qemu walk
# No kill at the end: QEMU may close the socket before gdb has read the
# reply, which makes gdb exit 1; gdb detaches, and cleanup kills QEMU.
gdb_run walk "$tmp/walk.out" -x gdbscripts/bootscope.gdb -ex "target remote $tmp/walk.sock" \
	-ex 'echo @@stage0\n' -ex stage \
	-ex 'echo @@walk\n' -ex boot-walk \
	-ex 'echo @@stage3\n' -ex stage \
	-ex 'echo @@sections\n' -ex sections \
	-ex 'echo @@fwinfo\n' -ex fw-info \
	-ex 'echo @@again\n' -ex boot-walk \
	-ex 'echo @@end\n'
rc=$?
check_eq "gdb with the scripts ran to the end (exit status)" "$rc" 0
check "gdb with the scripts printed all its parts" grep -q '^@@end$' "$tmp/walk.out"
if grep -Eq '^(No symbol|evaluation of this expression|Cannot access memory|Invalid )' "$tmp/walk.out"; then
	not_ok "no gdb errors: $(grep -E '^(No symbol|evaluation|Cannot access|Invalid )' "$tmp/walk.out" | head -3)"
else
	ok "no gdb errors in the scripts' output"
fi

# The same stops in a plain gdb (no scripts): the values the scripts print
# must be the machine's.
check "QEMU for plain gdb opened its gdbstub" start_qemu plain
regs=(-ex 'p/x $pc' -ex 'p $priv' -ex 'p/x $a0' -ex 'p/x $a1' -ex 'p/x $a2')
gdb_run plain "$tmp/plain.out" -ex 'set architecture riscv:rv64' -ex "target remote $tmp/plain.sock" \
	-ex 'echo @@1\n' "${regs[@]}" -ex 'x/6gx 0x1028' \
	-ex 'break *0x80000000' -ex 'break *0x80200000' \
	-ex c -ex 'echo @@2\n' "${regs[@]}" \
	-ex c -ex 'echo @@3\n' "${regs[@]}" -ex 'echo @@end\n'
check "plain gdb reached the kernel" grep -q '^@@end$' "$tmp/plain.out"

# plain STOP N: the value of the Nth print at stop STOP, as "0x..." (or a
# decimal for $priv).
plain() { section_of "$tmp/plain.out" "$1" | grep '^\$' | sed -n "$2p" | sed 's/^\$[0-9]* = //'; }
walk=$(section_of "$tmp/walk.out" walk)
# walk_stage N: the lines boot-walk printed for stage N.
walk_stage() { printf '%s\n' "$walk" | awk -v n="$1" '/^== stage / { on = ($3 == n ":") } on'; }
field() { printf '%s\n' "$1" | awk -v f="$2" '$1 == f { print $2; exit }'; }

names=("" "reset vector" "firmware" "kernel")
for n in 1 2 3; do
	s=$(walk_stage "$n")
	pc=$(plain "$n" 1) priv=$(plain "$n" 2)
	case $priv in 3) letter=M ;; 1) letter=S ;; *) letter="?($priv)" ;; esac
	check_match "boot-walk stage $n: heading" "$s" "^== stage $n: ${names[$n]}, entered at $pc in $letter mode\$"
	check_eq "boot-walk stage $n: pc equals plain gdb's" "$(field "$s" pc)" "$pc"
	check_match "boot-walk stage $n: priv equals plain gdb's" "$s" "^   priv   $priv = $letter\$"
	for i in 0 1 2; do
		check_eq "boot-walk stage $n: a$i equals plain gdb's" "$(field "$s" a$i)" "$(plain "$n" $((i + 3)))"
	done
done
check_eq "stage 1 is at 0x1000 in M mode" "$(plain 1 1) $(plain 1 2)" "0x1000 3"
check_eq "stage 2 is at 0x80000000 in M mode" "$(plain 2 1) $(plain 2 2)" "0x80000000 3"
check_eq "stage 3 is at 0x80200000 in S mode" "$(plain 3 1) $(plain 3 2)" "0x80200000 1"
check_eq "boot-walk stage 2: a1 is the device tree 0x87e00000" "$(field "$(walk_stage 2)" a1)" 0x87e00000
check_eq "boot-walk stage 3: a1 is the device tree 0x87e00000" "$(field "$(walk_stage 3)" a1)" 0x87e00000
check_eq "boot-walk stage 2: a2 points to fw_dynamic_info at 0x1028" "$(field "$(walk_stage 2)" a2)" 0x1028
check_match "boot-walk stage 1: the instruction" "$(walk_stage 1)" $'^   insn   => 0x1000:\tauipc\tt0,0x0$'
first=$("${CROSS}objdump" -d "$elf" | awk -F'\t' '/^ *80200000:/ { print $3 "\t" $4; exit }')
check_match "boot-walk stage 3: the instruction is objdump's" "$(walk_stage 3)" "^   insn   => 0x80200000 <[a-z_]+>:	$first\$"
where=$(walk_stage 3 | awk '$1 == "where" { print $2 }')
check "boot-walk stage 3: the symbol is one nm lists at 0x80200000 (got '$where')" \
	bash -c "'${CROSS}nm' '$elf' | awk '\$1 == \"0000000080200000\" { print \$3 }' | grep -qx -- '$where'"
check_match "boot-walk stage 3: the section is .text" "$(walk_stage 3)" '^   where  [a-z_]+ in section \.text$'
check_match "boot-walk stage 1: no symbol in QEMU's ROM" "$(walk_stage 1)" '^   where  No symbol matches \$pc\.$'

# stage, before and after the walk.
check_match "stage at reset: stage 1 and why" "$(section_of "$tmp/walk.out" stage0)" \
	"^stage 1, reset vector: pc 0x1000 is in QEMU's mask ROM \[0x1000, 0x10000\),\$"
check_match "stage at reset: M mode, as it should be" "$(section_of "$tmp/walk.out" stage0)" '^privilege: M mode, as this stage should be$'
check_match "stage at the kernel entry: stage 3, [skernel, ekernel) from nm" "$(section_of "$tmp/walk.out" stage3)" \
	"^stage 3, kernel: pc 0x80200000 is inside the kernel \[skernel, ekernel\) = \[$(sym skernel), $(sym ekernel)\)\$"
check_match "stage at the kernel entry: S mode, as it should be" "$(section_of "$tmp/walk.out" stage3)" '^privilege: S mode, as this stage should be$'

# sections: each line equals nm.
secs=$(section_of "$tmp/walk.out" sections)
for s in text rodata data bss; do
	got=$(printf '%s\n' "$secs" | grep -F "  .$s " | sed 's/).*/)/')
	check_eq "sections: .$s equals nm" "$got" "  .$(printf '%-7s' $s) [$(sym s$s), $(sym e$s))"
done
check_eq "sections: stack equals nm" "$(printf '%s\n' "$secs" | grep -F '  stack' | sed 's/).*/)/')" \
	"  stack    [$(sym boot_stack_lower), $(sym boot_stack_top))"
check_eq "sections: the whole kernel equals nm" "$(printf '%s\n' "$secs" | grep '^kernel:')" \
	"kernel: [$(sym skernel), $(sym ekernel))"

# fw-info: the struct as plain gdb's x/6gx reads it, and what it must say.
words=($(section_of "$tmp/plain.out" 1 | grep -E '^0x10[2-4][0-9a-f]:' | awk '{ print $2, $3 }'))
fw=$(section_of "$tmp/walk.out" fwinfo)
fwf() { printf '%s\n' "$fw" | awk -v f="$1" '$1 == f { print $2; exit }'; }
check_eq "x/6gx read six words of fw_dynamic_info" "${#words[@]}" 6
check_eq "fw-info: magic" "$(fwf magic)" 0x4942534f
check_match "fw-info: magic spelt OSBI" "$fw" '^  magic      0x4942534f = "OSBI"'
check_eq "fw-info: magic equals memory" "$(fwf magic)" "$(printf '0x%x' "${words[0]}")"
check_eq "fw-info: version equals memory" "$(fwf version)" "$((words[1]))"
check_eq "fw-info: next_addr is 0x80200000" "$(fwf next_addr)" 0x80200000
check_eq "fw-info: next_addr equals memory" "$(fwf next_addr)" "$(printf '0x%x' "${words[2]}")"
check_eq "fw-info: next_mode is 1" "$(fwf next_mode)" 1
check_match "fw-info: next_mode 1 is S" "$fw" '^  next_mode  1 = S '
check_eq "fw-info: options equals memory" "$(fwf options)" "$(printf '0x%x' "${words[4]}")"
check_eq "fw-info: boot_hart equals memory" "$(fwf boot_hart)" "$(printf '0x%x' "${words[5]}")"

# boot-walk a second time, from the kernel: it resets and walks again.
again=$(section_of "$tmp/walk.out" again)
check_match "boot-walk from the kernel resets the machine first" "$again" '^boot-walk: pc is 0x[0-9a-f]+, not the reset vector; resetting the machine$'
check_eq "boot-walk again: the three stages" "$(printf '%s\n' "$again" | grep -c '^== stage ')" 3
check_match "boot-walk again: ends in the kernel in S mode" "$again" '^== stage 3: kernel, entered at 0x80200000 in S mode$'

# ---- the Makefile's debug and gdb targets ----------------------------------
dbg=$(make -n --no-print-directory debug GDBPORT=34567 2>&1)
check_match "make debug: QEMU paused, gdbstub on the given port" "$dbg" \
	'^qemu-system-riscv64 -machine virt -nographic -bios default -kernel build/kernel.elf -S -gdb tcp:127.0.0.1:34567$'
check_match "make debug: says what to do next" "$dbg" 'in a second terminal: make gdb'
gdbcmd=$(make -n --no-print-directory gdb GDBPORT=34567 2>&1)
check_match "make gdb: gdb-multiarch with the scripts, on the same port" "$gdbcmd" \
	"^gdb-multiarch -x gdbscripts/bootscope.gdb -ex 'target remote 127.0.0.1:34567'\$"
default_port=$(make -n --no-print-directory debug 2>&1 | sed -n 's/.*tcp:127.0.0.1:\([0-9]*\)$/\1/p')
check_eq "make debug: the default port is id -u % 5000 + 25000" "$default_port" $(($(id -u) % 5000 + 25000))

echo "# gdbscripts.sh took $((($(date +%s%N) - t0) / 1000000)) ms"
check_done
