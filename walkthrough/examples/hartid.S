/* hartid.S: kernel/entry.S with a mistake copied from an M-mode kernel
 * (chapter 06).
 *
 * xv6 starts in M mode and may read mhartid; our kernel starts in S mode,
 * where reading an M-mode CSR is an illegal instruction.  OpenSBI hands
 * that trap to S mode, and stvec still points at 0x80200000 (OpenSBI set it
 * to the kernel's entry), so the kernel seems to start over and over.
 */
#include "memlayout.h"

	.section .text.entry
	.globl _start
_start:
	csrr	a0, mhartid		# wrong here: a0 already holds the hart id
	la	sp, boot_stack_top
	call	kmain
1:	wfi
	j	1b

	.section .bss.stack
	.align 12
	.globl boot_stack_lower
boot_stack_lower:
	.space BOOT_STACK_SIZE
	.globl boot_stack_top
boot_stack_top:

/* A hart the boot hart started through SBI HSM (smp.c) begins here, in S
 * mode with a0 = its hart id and a1 = what hart_start was given to pass on:
 * the top of its own slice of the boot stack. */
	.text
	.globl secondary_entry
secondary_entry:
	mv	sp, a1
	call	secondary_main		# a0 passes through
2:	wfi				# done: nothing more for this hart
	j	2b
