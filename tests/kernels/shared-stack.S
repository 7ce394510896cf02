# A kernel linked for one hart, started on several (-bios none -smp N):
# every hart takes the one stack, and they all push onto it at once.
	.section .text.entry
	.globl _start
_start:
	la	sp, stack_top
	.globl work
work:
	addi	sp, sp, -16
	sd	ra, 8(sp)
	ld	ra, 8(sp)
	addi	sp, sp, 16
	j	work

	.bss
	.align 12
	.space 4096
stack_top:
