/* arch_x86_64: the PC's CPU as QEMU's x86 gdbstub shows it (see arch.h).
 *
 * QEMU describes an x86-64 CPU whatever mode it is in (docs/x86-pc.md):
 * the same registers from reset to long mode, rip holding only the offset
 * into the code segment, and no segment bases.  So the mode comes from
 * cr0.PE and efer.LMA, and the pc bootscope shows -- and sets breakpoints
 * at, as QEMU compares them with linear addresses -- is derived: cs * 16 +
 * ip in real mode, rip in protected and long mode (flat segments). */
#ifndef BOOTSCOPE_ARCH_X86_64_H
#define BOOTSCOPE_ARCH_X86_64_H

#include <stddef.h>
#include <stdint.h>

#include "arch.h"

extern const struct arch arch_x86_64;

/* Indexes into its register table. */
enum {
	X86_PC,		/* derived: the linear address of the next instruction */
	X86_RAX, X86_RBX, X86_RCX, X86_RDX, X86_RSI, X86_RDI, X86_RBP, X86_RSP,
	X86_R8, X86_R15 = X86_R8 + 7,
	X86_RIP, X86_EFLAGS,
	X86_CS, X86_SS, X86_DS, X86_ES, X86_FS, X86_GS,
	X86_FS_BASE, X86_GS_BASE,
	X86_CR0, X86_CR2, X86_CR3, X86_CR4, X86_EFER,
	X86_NREGS
};

/* Mode levels (struct arch_mode's level). */
enum { X86_REAL, X86_PROTECTED, X86_LONG };

#define X86_CR0_PE	(1ull << 0)
#define X86_CR0_PG	(1ull << 31)
#define X86_CR4_PAE	(1ull << 5)
#define X86_EFER_LME	(1ull << 8)
#define X86_EFER_LMA	(1ull << 10)

/* The linear pc for these register values (see above): at reset, cs is
 * 0xf000 but its base 0xffff0000, so f000:fff0 is 0xfffffff0. */
uint64_t arch_x86_64_linear_pc(uint64_t rip, uint64_t cs, uint64_t cr0);

/* The mode for cr0 and efer; the ring from cs where there is one. */
void arch_x86_64_mode(uint64_t cr0, uint64_t efer, uint64_t cs, struct arch_mode *out);

/* "PE PG WP", "LME LMA", "IF ZF": the set flags of cr0, cr4, efer and
 * eflags that matter to a boot, into buf. */
void arch_x86_64_flags(int reg, uint64_t v, char *buf, size_t cap);

#endif
