# layout.gdb: where things are -- the kernel's sections, from the symbols
# that linker.ld defines, and the fw_dynamic_info that tells OpenSBI where
# the kernel is.  Sourced by bootscope.gdb.

define bs-range
  printf "[0x%lx, 0x%lx)  %3lu KiB\n", (unsigned long)$arg0, (unsigned long)$arg1, ((unsigned long)$arg1 - (unsigned long)$arg0) / 1024
end
document bs-range
bs-range START END: the rest of one line of the sections table.
end

define sections
  printf "kernel layout, from the linker symbols in build/kernel.elf:\n"
  printf "  .text    "
  bs-range &stext &etext
  printf "  .rodata  "
  bs-range &srodata &erodata
  printf "  .data    "
  bs-range &sdata &edata
  printf "  .bss     "
  bs-range &sbss &ebss
  printf "  stack    "
  bs-range &boot_stack_lower &boot_stack_top
  printf "kernel: [0x%lx, 0x%lx)\n", (unsigned long)&skernel, (unsigned long)&ekernel
end
document sections
Print the kernel's memory layout from the symbols linker.ld defines:
.text [stext, etext), .rodata [srodata, erodata), .data [sdata, edata),
.bss [sbss, ebss), the boot stack [boot_stack_lower, boot_stack_top) and
the whole kernel [skernel, ekernel).  The kernel prints the same lines
when it boots; `riscv64-unknown-elf-nm -n build/kernel.elf` lists them too.
end

define fw-info
  if $argc == 1
    set $bs_info = (unsigned long *)($arg0)
  else
    # At the firmware's entry a2 still points to it; later a2 is reused,
    # so fall back to where the reset vector built it: 0x1000 + 40.
    if $pc == *(unsigned long *)0x1018
      set $bs_info = (unsigned long *)$a2
    else
      set $bs_info = (unsigned long *)0x1028
    end
  end
  printf "fw_dynamic_info at 0x%lx:\n", $bs_info
  printf "  magic      0x%lx", $bs_info[0]
  if $bs_info[0] == 0x4942534f
    printf " = \"OSBI\", so this is one\n"
  else
    printf " -- not \"OSBI\" (0x4942534f): no fw_dynamic_info here\n"
  end
  printf "  version    %lu\n", $bs_info[1]
  printf "  next_addr  0x%lx (where OpenSBI jumps when it is done)\n", $bs_info[2]
  printf "  next_mode  %lu = ", $bs_info[3]
  bs-mode $bs_info[3]
  printf " (0 U, 1 S, 3 M: the mode it jumps in)\n"
  printf "  options    0x%lx (bit 0: no boot prints, bit 1: debug prints)\n", $bs_info[4]
  if $bs_info[1] >= 2
    printf "  boot_hart  0x%lx (the hart that boots; -1 would mean any)\n", $bs_info[5]
  end
end
document fw-info
Decode struct fw_dynamic_info (OpenSBI's include/sbi/fw_dynamic.h): six
64-bit words that QEMU's reset vector hands to OpenSBI in a2.
  magic      0x4942534f, "OSBI" in ASCII
  version    2 here (boot_hart exists from version 2)
  next_addr  where OpenSBI jumps at the end of its boot: the kernel
  next_mode  the privilege mode it jumps in: 0 U, 1 S, 3 M
  options    bit 0: no boot prints, bit 1: debug prints
  boot_hart  the hart that boots; -1 means "any"
With no argument it reads what a2 points to at the firmware's entry, and
the copy at 0x1028 (where the reset vector builds it) anywhere else.
fw-info ADDR reads the struct at ADDR.
end
