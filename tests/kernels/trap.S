# Traps at once: an illegal instruction as the first thing it does.
	.section .text.entry
	.globl _start
_start:
	csrw	mstatus, zero		# an M-mode CSR from S mode: illegal
1:	j	1b
