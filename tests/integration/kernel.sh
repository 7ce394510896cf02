# The bundled kernel: it boots through both paths of the Makefile, prints a
# layout that matches its ELF, and ends QEMU with status 0 by itself.
. "$TOP/tests/lib/check.sh"
cd "$TOP" || exit 1
elf=build/kernel.elf
# section NAME: its address and size, as hex without 0x
section() { riscv64-unknown-elf-readelf -SW "$elf" | awk -v s="$1" '{ for (i = 1; i < NF; i++) if ($i == s) { print $(i+2), $(i+4); exit } }'; }
sym() { riscv64-unknown-elf-nm "$elf" | awk -v s="$1" '$3 == s { print "0x" $1 }' | sed 's/0x0*/0x/'; }

# kernel_lines TEXT: what the kernel printed, from its greeting on
kernel_lines() { printf '%s\n' "$1" | sed -n '/^Hello from the bootscope kernel!$/,$p'; }

declare -A one
for target in run run-loader; do
	out=$(timeout -k 2 20 make -s --no-print-directory "$target" 2>&1); rc=$?
	out=$(printf '%s\n' "$out" | tr -d '\r')
	one[$target]=$(kernel_lines "$out")	# for the checks on several harts
	check_eq "make $target: QEMU exits 0 by itself" "$rc" 0
	check_match "make $target: greeting" "$out" '^Hello from the bootscope kernel!'
	check_match "make $target: hart id" "$out" '^hart id: 0$'
	check_match "make $target: device tree address" "$out" '^device tree at: 0x8[0-9a-f]{7}$'
	for s in text rodata data bss; do
		want="  .$(printf '%-7s' "$s") [$(sym s$s), $(sym e$s))"
		got=$(printf '%s\n' "$out" | grep -F "  .$s ")
		check_eq "make $target: .$s range printed equals nm" "$got" "$want"
	done
	got=$(printf '%s\n' "$out" | grep -F '  stack')
	check_eq "make $target: stack range equals nm" "$got" "  stack    [$(sym boot_stack_lower), $(sym boot_stack_top))"
done

entry=$(riscv64-unknown-elf-readelf -h "$elf" | awk '/Entry point/ { print $4 }')
check_eq "ELF entry is 0x80200000" "$entry" 0x80200000
check_eq "_start is at 0x80200000" "$(sym _start)" 0x80200000
text_addr=$(section .text | awk '{ print "0x" $1 }' | sed 's/0x0*/0x/')
check_eq "_start is the first instruction of .text" "$(sym _start)" "$text_addr"
first=$(riscv64-unknown-elf-objdump -d "$elf" | awk '/^ *[0-9a-f]+:/ { print $1; exit }')
check_eq "objdump's first instruction is at _start" "$first" "80200000:"

# Sections 4 KiB aligned, in order, not overlapping.
prev=0
for s in .text .rodata .data .bss; do
	read -r addr size < <(section "$s")
	a=$((16#$addr)) z=$((16#$size))
	check_eq "$s starts on a 4 KiB boundary" $((a % 4096)) 0
	check "$s comes after the previous section" test "$a" -ge "$prev"
	prev=$((a + z))
done
for e in etext erodata edata ebss; do
	check_eq "$e is 4 KiB aligned" $(( $(sym $e) % 4096 )) 0
done

# os.bin: the loaded bytes and nothing else, starting with .text.
bin=build/os.bin
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
riscv64-unknown-elf-objcopy -O binary -j .text "$elf" "$tmp/text.bin"
n=$(stat -c %s "$tmp/text.bin")
check "os.bin starts with the bytes of .text" cmp -n "$n" "$bin" "$tmp/text.bin"
check_eq "os.bin is as long as the loaded image (skernel..edata)" "$(stat -c %s "$bin")" $(( $(sym edata) - $(sym skernel) ))

# ---- the second act: several harts (kernel/smp.c) ---------------------------
# With -smp N, OpenSBI lets one hart into the kernel and holds the others
# stopped in HSM; the boot hart starts the first three it finds (their
# stacks are slices of the boot stack) and says which it left out.  Which
# hart boots is OpenSBI's lottery: nothing here takes it to be hart 0.
last='5 sections shown; shutting down through SBI'
# smp_check TARGET N OUT RC: one boot of make TARGET SMP=N, which printed OUT.
smp_check() {
	local what="make $1 SMP=$2" n=$2 out rc=$4 boot id started='' left='' got want rest
	out=$(kernel_lines "$3")
	check_eq "$what: QEMU exits 0 by itself" "$rc" 0
	check_eq "$what: one greeting (the other harts were held)" \
		"$(printf '%s\n' "$out" | grep -cx 'Hello from the bootscope kernel!')" 1
	boot=$(printf '%s\n' "$out" | sed -n 's/^hart id: \([0-9]\)$/\1/p')
	check "$what: the boot hart is one of 0..$((n - 1))" test -n "$boot" -a "${boot:-9}" -lt "$n"
	for ((id = 0; id < n && id < 8; id++)); do
		[ "$id" = "$boot" ] && continue
		if [ "$(wc -w <<<"$started")" -lt 3 ]; then started+=" $id"; else left+=" $id"; fi
	done
	# hart ID:COUNT for each hart started, so the names stay the same
	# whichever hart boots.
	got='' want=''
	for id in $started; do
		got+=" $id:$(printf '%s\n' "$out" | grep -cx "hart $id: up in S mode")" want+=" $id:1"
	done
	check_eq "$what: each hart started prints its line exactly once" "$got" "$want"
	check_eq "$what: no other hart says it is up" \
		"$(printf '%s\n' "$out" | grep -c ': up in S mode$')" "$(wc -w <<<"$started")"
	if [ -n "$left" ]; then
		check_eq "$what: one line names the harts left without a stack" \
			"$(printf '%s\n' "$out" | grep '^not started')" "not started (stacks for 4 harts only):$left"
	fi
	check_eq "$what: the boot hart's last line comes last" "$(printf '%s\n' "$out" | tail -n 1)" "$last"
	rest=$(printf '%s\n' "$out" | grep -Evx 'hart [0-9]: up in S mode|not started .*|hart id: [0-9]')
	check_eq "$what: the boot hart's other lines and its layout are those of one hart, and nothing else" \
		"$rest" "$(printf '%s\n' "${one[$1]}" | grep -vx 'hart id: 0')"
}
for n in 2 4 5; do
	out=$(timeout -k 2 30 make -s --no-print-directory run SMP=$n 2>&1); rc=$?
	smp_check run "$n" "$(printf '%s\n' "$out" | tr -d '\r')" "$rc"
done
# fw_jump has no preferred boot hart: the lottery alone decides there.
out=$(timeout -k 2 30 make -s --no-print-directory run-loader SMP=4 2>&1); rc=$?
smp_check run-loader 4 "$(printf '%s\n' "$out" | tr -d '\r')" "$rc"

# A hart that never comes up: the bundled kernel with its secondary entry's
# call left out, so a started hart sleeps before it says anything.  The boot
# hart gives up after its second, says so, and still powers off.
sed '/^\tcall\tsecondary_main/d' kernel/entry.S > "$tmp/nocall.S"
check "nocall.S: the call is gone, nothing else" test "$(diff kernel/entry.S "$tmp/nocall.S" | grep -c '^[<>]')" = 1
# The top Makefile's KCFLAGS and KLDFLAGS.
riscv64-unknown-elf-gcc -march=rv64gc -mabi=lp64d -mcmodel=medany -ffreestanding -nostdlib \
	-fno-builtin -fno-stack-protector -fno-pie -no-pie -O2 -g -Ikernel \
	-T linker.ld -Wl,--build-id=none -Wl,-z,max-page-size=4096 \
	kernel/*.c "$tmp/nocall.S" -o "$tmp/nocall.elf"
out=$(timeout -k 2 30 qemu-system-riscv64 -machine virt -nographic -smp 2 -bios default \
	-kernel "$tmp/nocall.elf" 2>&1 < /dev/null); rc=$?
out=$(kernel_lines "$(printf '%s\n' "$out" | tr -d '\r')")
check_eq "a hart that never comes up: QEMU exits 0 by itself" "$rc" 0
boot=$(printf '%s\n' "$out" | sed -n 's/^hart id: \([01]\)$/\1/p')
other=$((1 - ${boot:-0}))
check_eq "a hart that never comes up: the boot hart says so, once" \
	"$(printf '%s\n' "$out" | grep -cx "hart $other: started, but not up after a second")" 1
check_eq "a hart that never comes up: ... and no hart says it is up" "$(printf '%s\n' "$out" | grep -c ': up in S mode$')" 0
check_eq "a hart that never comes up: the boot hart's last line comes last" "$(printf '%s\n' "$out" | tail -n 1)" "$last"
check_done
