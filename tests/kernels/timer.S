# A kernel for -bios none that takes timer interrupts, as xv6 does in M
# mode: it points mtvec at its handler, arms the CLINT's mtimecmp, enables
# the machine timer interrupt and spins, counting turns in s1.  Each
# interrupt re-arms the timer one interval later and counts itself in s2;
# after the third it powers off.  Where each interrupt lands depends on
# time: it repeats only on a machine whose time is its instruction count
# (-icount with sleep=off).
	.equ	CLINT_MTIMECMP, 0x2004000	# hart 0
	.equ	CLINT_MTIME, 0x200bff8
	.equ	INTERVAL, 1000			# mtime ticks (10 MHz)

	.section .text.entry
	.globl _start
_start:
	la	t0, mtrap
	csrw	mtvec, t0
	li	t0, CLINT_MTIME
	ld	t1, 0(t0)
	li	t2, INTERVAL
	add	t1, t1, t2
	li	t0, CLINT_MTIMECMP
	sd	t1, 0(t0)
	li	t0, 1 << 7			# mie.MTIE
	csrs	mie, t0
	csrsi	mstatus, 1 << 3			# mstatus.MIE
	.globl spin
spin:
	addi	s1, s1, 1
	j	spin

	.text
	.globl mtrap
	.align 2
mtrap:
	addi	s2, s2, 1
	li	t0, CLINT_MTIMECMP
	ld	t1, 0(t0)
	li	t2, INTERVAL
	add	t1, t1, t2
	sd	t1, 0(t0)
	li	t0, 3
	beq	s2, t0, off
	mret
off:
	li	t0, 0x100000			# sifive_test: FINISHER_PASS
	li	t1, 0x5555
	sw	t1, 0(t0)
1:	j	1b
