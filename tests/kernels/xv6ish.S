# An xv6-style boot for -bios none that takes traps on purpose: in M mode
# it sets its own trap vectors and delegates illegal instructions to S
# mode, then mrets into S mode.  There it makes an ecall, which its M-mode
# handler answers and returns from, and then reads an M-mode CSR, an
# illegal instruction its S-mode handler takes, and powers off.
	.section .text.entry
	.globl _start
_start:
	la	t0, mtrap
	csrw	mtvec, t0
	la	t0, strap
	csrw	stvec, t0
	li	t0, 1 << 2		# illegal instruction: S mode's to handle
	csrw	medeleg, t0
	li	t0, -1			# PMP: all of memory, RWX, for S mode
	srli	t0, t0, 10
	csrw	pmpaddr0, t0
	li	t0, 0xf
	csrw	pmpcfg0, t0
	li	t0, 0x1800		# mstatus.MPP = S
	csrc	mstatus, t0
	li	t0, 0x800
	csrs	mstatus, t0
	la	t0, smain
	csrw	mepc, t0
	mret

	.text
	.globl smain
smain:
	li	a7, 0x10		# as an SBI BASE call would: get_spec_version
	li	a6, 0
	ecall
	csrr	t0, mstatus		# M mode's: illegal in S mode
1:	j	1b

	.globl mtrap
	.align 2
mtrap:
	csrr	t0, mepc		# past the ecall
	addi	t0, t0, 4
	csrw	mepc, t0
	li	a0, 0			# its answer: success, version 42
	li	a1, 42
	mret

	.globl strap
	.align 2
strap:
	li	t0, 0x100000		# sifive_test: FINISHER_PASS
	li	t1, 0x5555
	sw	t1, 0(t0)
2:	j	2b
