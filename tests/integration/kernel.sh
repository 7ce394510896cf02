# The bundled kernel: it boots through both paths of the Makefile, prints a
# layout that matches its ELF, and ends QEMU with status 0 by itself.
. "$TOP/tests/lib/check.sh"
cd "$TOP" || exit 1
elf=build/kernel.elf
# section NAME: its address and size, as hex without 0x
section() { riscv64-unknown-elf-readelf -SW "$elf" | awk -v s="$1" '{ for (i = 1; i < NF; i++) if ($i == s) { print $(i+2), $(i+4); exit } }'; }
sym() { riscv64-unknown-elf-nm "$elf" | awk -v s="$1" '$3 == s { print "0x" $1 }' | sed 's/0x0*/0x/'; }

for target in run run-loader; do
	out=$(timeout -k 2 20 make -s --no-print-directory "$target" 2>&1); rc=$?
	out=$(printf '%s\n' "$out" | tr -d '\r')
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
check_done
