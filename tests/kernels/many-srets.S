# A kernel with more instructions of the boot's story than bootscope keeps
# breakpoints: 1100 srets it never runs.  It shuts down through SBI SRST
# at once; bootscope walks it without recording events, and says why.
	.section .text.entry
	.globl _start
_start:
	li	a7, 0x53525354		# SRST: system reset, shutdown
	li	a6, 0
	li	a0, 0
	li	a1, 0
	ecall
1:	j	1b

	.text
never:
	.rept 1100
	sret
	.endr
