# stages.gdb: the three boot stages of QEMU's virt machine, for gdb.
#
#	stage 1  reset vector  0x1000      QEMU's mask ROM          M mode
#	stage 2  firmware      0x80000000  OpenSBI                  M mode
#	stage 3  kernel        0x80200000  build/kernel.elf         S mode
#
# Only the first address is QEMU's fixed design (every hart of virt starts
# at 0x1000).  The other two are read from the machine, where the CPU
# itself finds them:
#   - the firmware's entry is the 64-bit word at 0x1018, which the reset
#     vector loads with `ld t0,24(t0)` (t0 = 0x1000) and jumps to;
#   - the kernel's entry is next_addr in struct fw_dynamic_info, which the
#     reset vector hands to OpenSBI in a2 (see fw-info in layout.gdb).
# The kernel's extent comes from its linker symbols skernel and ekernel.
#
# Sourced by bootscope.gdb; the bs- commands are helpers.

# QEMU virt's mask ROM (hw/riscv/virt.c; `monitor info mtree` shows it).
set $bs_mrom_lo = 0x1000
set $bs_mrom_hi = 0x10000
set $bs_osbi_magic = 0x4942534f

define bs-mode
  if $arg0 == 3
    printf "M"
  else
    if $arg0 == 1
      printf "S"
    else
      if $arg0 == 0
        printf "U"
      else
        printf "?"
      end
    end
  end
end
document bs-mode
Print the letter of a privilege level: bs-mode $priv prints M, S or U.
QEMU's virtual register $priv says 3 for M (machine), 1 for S
(supervisor), 0 for U (user).
end

define bs-bounds
  set $bs_fw_entry = *(unsigned long *)($bs_mrom_lo + 0x18)
  set $bs_k_lo = (unsigned long)&skernel
  set $bs_k_hi = (unsigned long)&ekernel
end
document bs-bounds
Set $bs_fw_entry (the firmware's entry: the word at 0x1018 that the reset
vector jumps to), $bs_k_lo and $bs_k_hi (the kernel's [skernel, ekernel)).
end

define bs-stop
  if $arg0 == 1
    printf "== stage 1: reset vector, entered at 0x%lx in ", $pc
  end
  if $arg0 == 2
    printf "== stage 2: firmware, entered at 0x%lx in ", $pc
  end
  if $arg0 == 3
    printf "== stage 3: kernel, entered at 0x%lx in ", $pc
  end
  bs-mode $priv
  printf " mode\n"
  printf "   pc     0x%lx\n", $pc
  printf "   priv   %d = ", $priv
  bs-mode $priv
  printf "\n"
  if $arg0 == 1
    printf "   a0     0x%lx (the reset vector is about to put the hart id here)\n", $a0
    printf "   a1     0x%lx (... the device tree's address here)\n", $a1
    printf "   a2     0x%lx (... and the address of fw_dynamic_info here)\n", $a2
  end
  if $arg0 == 2
    printf "   a0     0x%lx = hart id: which core this is\n", $a0
    printf "   a1     0x%lx = device tree: the machine's description in RAM\n", $a1
    printf "   a2     0x%lx = fw_dynamic_info: where OpenSBI goes next (fw-info)\n", $a2
  end
  if $arg0 == 3
    printf "   a0     0x%lx = hart id, passed on by OpenSBI\n", $a0
    printf "   a1     0x%lx = device tree, passed on by OpenSBI\n", $a1
    printf "   a2     0x%lx (not part of the hand-over: left over from OpenSBI)\n", $a2
  end
  printf "   insn   "
  x/i $pc
  printf "   where  "
  info symbol $pc
end
document bs-stop
Print what matters at the entry of stage N (1, 2 or 3): pc, privilege
mode ($priv), a0-a2 with what they mean there, the instruction, and the
section and symbol the pc is in.
end

define boot-walk
  if $pc != $bs_mrom_lo
    printf "boot-walk: pc is 0x%lx, not the reset vector; resetting the machine\n", $pc
    monitor system_reset
    # QEMU reset the CPU behind gdb's back: forget the registers gdb read.
    maintenance flush register-cache
  end
  bs-bounds
  bs-stop 1
  tbreak *$bs_fw_entry
  continue
  if $pc != $bs_fw_entry
    printf "boot-walk: stopped at 0x%lx before the firmware's entry 0x%lx (a breakpoint of yours?)\n", $pc, $bs_fw_entry
  else
    bs-stop 2
    # Read next_addr where OpenSBI reads it: from the struct a2 points to.
    if ((unsigned long *)$a2)[0] != $bs_osbi_magic
      printf "boot-walk: a2 (0x%lx) holds no fw_dynamic_info; set a breakpoint on the kernel's entry yourself\n", $a2
    else
      set $bs_k_entry = ((unsigned long *)$a2)[2]
      tbreak *$bs_k_entry
      continue
      if $pc != $bs_k_entry
        printf "boot-walk: stopped at 0x%lx before the kernel's entry 0x%lx (a breakpoint of yours?)\n", $pc, $bs_k_entry
      else
        bs-stop 3
      end
    end
  end
end
document boot-walk
Walk the boot from the reset vector to the kernel, stopping at each stage's
entry: 0x1000 (QEMU's reset vector), the firmware's entry (the word at 0x1018
that the reset vector jumps to: 0x80000000) and the kernel's entry
(next_addr of the fw_dynamic_info that a2 points to: 0x80200000).
At each stop it prints the stage, pc, privilege mode ($priv: 3 M, 1 S,
0 U), a0-a2 and what they mean there, the instruction (x/i $pc), and the
section and symbol (info symbol $pc).  It uses temporary breakpoints and
continue: OpenSBI runs millions of instructions, too many to step.
If the pc is not at 0x1000 it resets the machine first (monitor
system_reset).
end

define stage
  bs-bounds
  set $bs_want = -1
  if $pc >= $bs_mrom_lo && $pc < $bs_mrom_hi
    printf "stage 1, reset vector: pc 0x%lx is in QEMU's mask ROM [0x%lx, 0x%lx),\n", $pc, $bs_mrom_lo, $bs_mrom_hi
    printf "  where every hart of the virt machine starts\n"
    set $bs_want = 3
  else
    if $pc >= $bs_k_lo && $pc < $bs_k_hi
      printf "stage 3, kernel: pc 0x%lx is inside the kernel [skernel, ekernel) = [0x%lx, 0x%lx)\n", $pc, $bs_k_lo, $bs_k_hi
      if $bs_k_lo == $bs_fw_entry
        printf "  (no firmware: the reset vector jumps straight to the kernel)\n"
        set $bs_want = 3
      else
        set $bs_want = 1
      end
    else
      if $pc >= $bs_fw_entry && $pc < $bs_k_lo
        printf "stage 2, firmware: pc 0x%lx is between the firmware's entry 0x%lx\n", $pc, $bs_fw_entry
        printf "  (where the reset vector jumps) and the kernel's first byte 0x%lx\n", $bs_k_lo
        set $bs_want = 3
      else
        printf "no stage: pc 0x%lx is outside the reset vector [0x%lx, 0x%lx),\n", $pc, $bs_mrom_lo, $bs_mrom_hi
        printf "  the firmware [0x%lx, 0x%lx) and the kernel [0x%lx, 0x%lx)\n", $bs_fw_entry, $bs_k_lo, $bs_k_lo, $bs_k_hi
      end
    end
  end
  printf "privilege: "
  bs-mode $priv
  if $bs_want == $priv
    printf " mode, as this stage should be\n"
  else
    if $bs_want == -1
      printf " mode\n"
    else
      printf " mode, but this stage should run in "
      bs-mode $bs_want
      printf " mode\n"
    end
  end
end
document stage
Say which boot stage the pc is in, and why: the reset vector is QEMU's mask
ROM [0x1000, 0x10000); the firmware runs from its entry (the word at 0x1018)
up to the kernel; the kernel is [skernel, ekernel) of build/kernel.elf.
Then the privilege mode, and whether it is the one the stage should run
in (M for the reset vector and the firmware, S for the kernel).
end
