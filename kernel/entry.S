/* entry.S: the kernel's first instructions.
 *
 * OpenSBI jumps here in S mode with
 *	a0 = the id of this hart (CPU core)
 *	a1 = the physical address of the device tree (the machine's description)
 * and nothing else set up: no stack, .bss not zeroed, interrupts off.
 * C needs a stack, so that is the one thing done before calling it.
 */
#include "memlayout.h"

	.section .text.entry
	.globl _start
_start:
	la	sp, boot_stack_top	# the stack grows down from the top
	call	kmain			# a0 and a1 pass through untouched
1:	wfi				# kmain never returns; if it does, sleep
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
