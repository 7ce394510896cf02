# An xv6-style kernel for -bios none: it starts in M mode at 0x80000000,
# opens memory to S mode with a PMP entry, and mrets into S mode, where it
# writes to QEMU's test device to power off.
	.section .text.entry
	.globl _start
_start:
	li	t0, 0x10000000		# UART: print 'M'
	li	t1, 'M'
	sb	t1, 0(t0)
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
	li	t0, 0x10000000		# print 'S'
	li	t1, 'S'
	sb	t1, 0(t0)
	li	t0, 0x100000		# sifive_test: FINISHER_PASS
	li	t1, 0x5555
	sw	t1, 0(t0)
1:	j	1b
