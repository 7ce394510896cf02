#!/usr/bin/env bash
# build.sh OUTDIR: build every test kernel into OUTDIR (ELF and raw .bin).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$1
cc=${CROSS:-riscv64-unknown-elf-}gcc
objcopy=${CROSS:-riscv64-unknown-elf-}objcopy
mkdir -p "$out"
build() {	# name base source
	$cc -march=rv64gc -mabi=lp64d -nostdlib -g -T "$here/common.ld" \
		-Wl,--defsym=BASE="$2" -Wl,--build-id=none -o "$out/$1.elf" "$here/$3"
	$objcopy --strip-all -O binary "$out/$1.elf" "$out/$1.bin"
}
build good 0x80200000 good.S
build mmode 0x80000000 mmode.S
build late-entry 0x80200000 late-entry.S
build over-fw 0x80000000 good.S
build trap 0x80200000 trap.S
build spin 0x80200000 spin.S
build escape 0x80200000 escape.S
build xv6ish 0x80000000 xv6ish.S
build many-ecalls 0x80200000 many-ecalls.S
build many-srets 0x80200000 many-srets.S
build timer 0x80000000 timer.S
build harts 0x80000000 harts.S
build shared-stack 0x80000000 shared-stack.S
# stale: the ELF of one build, the raw image of another.
build stale 0x80200000 good.S
$objcopy --strip-all -O binary "$out/trap.elf" "$out/stale.bin"
