# _start is in plain .text after another function, so the image's first
# byte is not the entry: a raw image of it would start in `helper`.
	.text
	.globl helper
helper:
	ret

	.globl _start
_start:
	li	a7, 0x53525354
	li	a6, 0
	li	a0, 0
	li	a1, 0
	ecall
1:	j	1b
