# Reaches its entry, then spins forever in a tight loop.
	.section .text.entry
	.globl _start
_start:
	nop
	.globl spin
spin:
	addi	t0, t0, 1
	j	spin
