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
