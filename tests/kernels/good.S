# A well-formed kernel: print "ok\n" through SBI and power off.
	.section .text.entry
	.globl _start
_start:
	li	a0, 'o'
	call	putc
	li	a0, 'k'
	call	putc
	li	a0, '\n'
	call	putc
	li	a7, 0x53525354		# SRST: system reset, shutdown
	li	a6, 0
	li	a0, 0
	li	a1, 0
	ecall
1:	j	1b

	.text
putc:
	li	a7, 1			# legacy console putchar
	ecall
	ret
