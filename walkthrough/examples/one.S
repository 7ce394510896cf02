/* one.S: a kernel whose only content is one instruction (chapter 02).
 *
 * Linked at 0x80200000 and copied out with a bare `objcopy -O binary`, it
 * gives a 4-byte file: the instruction's bytes and nothing else.  Built for
 * rv64g (no compressed instructions), so `j` takes 4 bytes, not 2.
 */
	.section .text.entry
	.globl _start
_start:
	j	_start		# the kernel's whole work: wait here forever
