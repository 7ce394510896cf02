# A kernel whose console output would act on a terminal taken raw: clear the
# screen, set the window title, then text with a tab and a backspace, and
# a byte that is not UTF-8.
# bootscope must show all of it as printable text.
	.section .text.entry
	.globl _start
_start:
	la	s0, msg
1:	lbu	a0, 0(s0)
	beqz	a0, 2f
	li	a7, 1			# legacy console putchar
	ecall
	addi	s0, s0, 1
	j	1b
2:	li	a7, 0x53525354		# SRST: system reset, shutdown
	li	a6, 0
	li	a0, 0
	li	a1, 0
	ecall
3:	j	3b

	.section .rodata
msg:	.asciz	"\033[2J\033]0;pwned\007hi\tthere\nabcX\bY\nbad\377byte\n"
