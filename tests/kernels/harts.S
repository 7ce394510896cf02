# An xv6-style start for -bios none -smp N: every hart comes to _start in
# M mode from QEMU's reset vector, takes a stack of its own by its hart
# id, and counts in a loop of its own, so that a step of one hart shows in
# its pc (and a0) and in no other's.  Hart 0 also counts, in another loop.
	.section .text.entry
	.globl _start
_start:
	csrr	a0, mhartid
	la	sp, stacks
	addi	t0, a0, 1
	slli	t0, t0, 12		# 4 KiB each, the top of hart a0's
	add	sp, sp, t0
	bnez	a0, others
	.globl boot
boot:
	addi	s0, s0, 1
	j	boot
	.globl others
others:
	addi	s1, s1, 1
	j	others

	.bss
	.align 12
stacks:
	.space 4096 * 8
