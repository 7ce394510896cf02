# bootscope.gdb: the boot walk of bootscope, for people who drive
# gdb-multiarch themselves.
#
# Run it from the top of the repository (every path below is relative to
# the directory gdb was started in):
#
#	make debug        # terminal 1: QEMU, paused at the reset vector
#	make gdb          # terminal 2: gdb-multiarch -x gdbscripts/bootscope.gdb
#	                  #             -ex 'target remote 127.0.0.1:PORT'
#
# This file connects to nothing: `make gdb` (or you) adds the `target
# remote`, so the same script works with any port or socket.  It loads the
# kernel's symbols from build/kernel.elf (run `make` first) and defines
#
#	boot-walk   stop at each stage's entry: 0x1000, the firmware, the kernel
#	stage       which stage the pc is in, and why
#	sections    the kernel's layout, from its linker symbols
#	fw-info     decode the fw_dynamic_info that OpenSBI received in a2
#
# `help boot-walk` (and so on) says more.  The walkthrough's chapter 07
# walks the boot with these commands.

set architecture riscv:rv64
# boot-walk prints about forty lines; do not stop halfway for "--Type <RET>".
set pagination off

# The kernel's symbols, so that gdb can say "stext in section .text" and
# `sections` can read stext, etext, ...  QEMU loads the same file with
# -kernel; gdb only reads its symbols and debug information.
file build/kernel.elf

source gdbscripts/stages.gdb
source gdbscripts/layout.gdb

echo bootscope.gdb: loaded build/kernel.elf; try boot-walk, stage, sections, fw-info (help boot-walk)\n
