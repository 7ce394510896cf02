/* boot.S: from the BIOS's jump to 0x7C00 in real mode to C in long mode.
 *
 * The BIOS (SeaBIOS in QEMU) reads the first 512-byte sector of the boot
 * disk to 0x7C00 if its last two bytes are 0x55 0xAA, and jumps there with
 *	cs:ip = 0000:7C00, 16-bit real mode (addresses are segment * 16 + offset)
 *	dl    = the BIOS's number of the drive it read (0x80: the first hard disk)
 * and nothing else promised: no stack, other segment registers unknown.
 *
 * This file walks the CPU through its three modes, one label per phase:
 *
 *   sector 0 (0x7C00, the BIOS loaded it)   the rest (0x7E00, we load it)
 *   boot_start       segments, a stack      start32            flat segments, .bss zeroed
 *   load_kernel      int 0x13: the rest     build_page_tables  1 GiB identity map
 *   enable_a20       address line 20        enter_long         PAE, CR3, EFER.LME, CR0.PG
 *   enter_protected  GDT, CR0.PE, ljmp      start64            64-bit: a stack, kmain
 *
 * Only what must run before the rest is loaded lives in sector 0.
 */
#include "x86.h"

/* ======================= 16-bit real mode: sector 0 ======================= */
	.code16
	.section .boot, "ax"
	.globl boot_start
boot_start:
	cli				# no interrupts while the stack is being moved
	/* Some BIOSes jump to 07C0:0000, the same byte as 0000:7C00.  A far
	 * jump makes it cs = 0 whichever it was, so our offsets are addresses. */
	ljmp	$0, $1f
1:	xorw	%ax, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	$boot_start, %sp	# the stack grows down from 0x7C00, into free memory
	sti
	movb	%dl, boot_drive		# the one thing the BIOS told us

/* The BIOS disk service, int 0x13, with AH = 0x42 "extended read": DS:SI
 * points to a disk address packet (dap below) that says how many sectors,
 * from which logical block address (LBA, counting from 0), to which
 * segment:offset.  The BIOS sets the carry flag if it failed. */
	.globl load_kernel
load_kernel:
	movb	$0x42, %ah
	movw	$dap, %si
	movb	boot_drive, %dl
	int	$0x13
	jc	boot_fail

/* The 8086 had 20 address lines; FFFF:0010 wrapped round to 0.  PCs keep
 * that wrap-around by holding line 20 at 0 until someone enables it: then
 * every odd MiB would be a copy of the even one below.  Port 0x92 ("fast
 * A20", System Control Port A): bit 1 lets line 20 through; bit 0 resets
 * the machine, so never write it as 1. */
	.globl enable_a20
enable_a20:
	inb	$0x92, %al
	testb	$2, %al
	jnz	1f			# already on (QEMU's SeaBIOS leaves it on)
	orb	$2, %al
	andb	$0xFE, %al
	outb	%al, $0x92
1:

/* Protected mode: segment registers hold selectors, indices into the
 * global descriptor table (GDT), whose descriptors give each segment a
 * base, a limit and its kind.  Ours are flat: base 0, limit 4 GiB. */
	.globl enter_protected
enter_protected:
	cli				# the real-mode interrupt table means nothing from here on
	lgdtl	gdt_descriptor
	movl	%cr0, %eax
	orl	$CR0_PE, %eax
	movl	%eax, %cr0		# MODE SWITCH: CR0.PE = 1, protected mode
	/* cs still holds its real-mode contents until it is reloaded: the far
	 * jump loads the 32-bit code selector, and the CPU fetches the next
	 * instruction as 32-bit code. */
	ljmpl	$SEL_CODE32, $start32

/* Said with the BIOS's teletype (int 0x10, AH = 0x0E), then stop. */
	.globl boot_fail
boot_fail:
	movw	$disk_error, %si
1:	lodsb
	testb	%al, %al
	jz	2f
	movb	$0x0E, %ah
	int	$0x10
	jmp	1b
2:	cli
	hlt
	jmp	2b

disk_error:
	.asciz	"bootscope: disk read failed"

boot_drive:
	.byte	0

/* The disk address packet for int 0x13, AH = 0x42.  How many sectors is
 * load_sectors, which linker.ld computes from the image's size: the boot
 * sector loads exactly what was built, never a guess. */
	.balign	4
dap:
	.byte	16			# the packet's size
	.byte	0
	.word	load_sectors		# sectors to read
	.word	load_start, 0		# to offset:segment 0000:7E00, right after us
	.quad	1			# from LBA 1: the sector after this one

/* Each descriptor is 8 bytes; base and limit are split up in it for
 * compatibility with the 286.  The flags nibble: G (limit in 4 KiB
 * units), D/B (32-bit), L (64-bit code). */
	.balign	8
gdt:
	.quad	0			# 0x00: the null descriptor, required
	.quad	0x00CF9A000000FFFF	# 0x08 SEL_CODE32: present, code, G=1 D=1
	.quad	0x00CF92000000FFFF	# 0x10 SEL_DATA:   present, data, G=1 D=1
	.quad	0x00AF9A000000FFFF	# 0x18 SEL_CODE64: present, code, G=1 L=1 (D=0)
gdt_end:

gdt_descriptor:				# what lgdt reads: limit, then base
	.word	gdt_end - gdt - 1
	.long	gdt

/* The BIOS boots a sector only if it ends with this signature. */
	.org	510
	.globl boot_signature
boot_signature:
	.byte	0x55, 0xAA

/* ============ 32-bit protected mode: loaded by load_kernel ================= */
	.code32
	.section .text32, "ax"
	.globl start32
start32:
	/* Every data segment register gets the flat data selector. */
	movw	$SEL_DATA, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %fs
	movw	%ax, %gs
	movw	%ax, %ss
	movl	$boot_stack_top, %esp

	/* .bss is in no sector of the disk: whatever was in that memory is
	 * still there.  The page tables below must start out zero. */
	movl	$sbss, %edi
	movl	$ebss, %ecx
	subl	%edi, %ecx
	shrl	$2, %ecx
	xorl	%eax, %eax
	cld
	rep stosl

/* Long mode needs paging, and paging needs tables.  Four levels translate
 * an address: PML4 -> PDPT -> PD -> PT; a PD entry with PS set maps a whole
 * 2 MiB page and ends the walk there.  One PML4 entry, one PDPT entry and
 * the 512 entries of one PD map virtual [0, 1 GiB) onto physical
 * [0, 1 GiB): an identity map, so the code keeps running where it is. */
	.globl build_page_tables
build_page_tables:
	movl	$pdpt, %eax
	orl	$(PTE_P | PTE_W), %eax
	movl	%eax, pml4		# pml4[0] -> pdpt
	movl	$pd, %eax
	orl	$(PTE_P | PTE_W), %eax
	movl	%eax, pdpt		# pdpt[0] -> pd
	movl	$pd, %edi
	movl	$(PTE_P | PTE_W | PTE_PS), %eax	# physical 0, 2 MiB
	movl	$512, %ecx
1:	movl	%eax, (%edi)		# the high half of each entry stays 0
	addl	$0x200000, %eax
	addl	$8, %edi
	loop	1b

/* The switch itself, in the order the CPU requires. */
	.globl enter_long
enter_long:
	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4		# page entries of 64 bits
	movl	$pml4, %eax
	movl	%eax, %cr3		# where the walk starts
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_LME, %eax
	wrmsr				# EFER.LME = 1: long mode wanted, not yet on
	movl	%cr0, %eax
	orl	$CR0_PG, %eax
	movl	%eax, %cr0		# MODE SWITCH: CR0.PG = 1, so EFER.LMA = 1
	/* Long mode is active, but cs is still a 32-bit segment: this is
	 * "compatibility mode".  Loading a code selector whose descriptor has
	 * L = 1 makes the CPU fetch 64-bit code. */
	ljmpl	$SEL_CODE64, $start64	# MODE SWITCH: CS.L = 1, 64-bit mode

/* ================== 64-bit long mode: the ELF's entry ====================== */
	.code64
	.section .text.start64, "ax"
	.globl start64
start64:
	movq	$boot_stack_top, %rsp	# 16-byte aligned, as the ABI wants before a call
	call	kmain
1:	cli				# kmain never returns; if it does, sleep
	hlt
	jmp	1b

/* The page tables and the stack: in .bss, zeroed by start32. */
	.section .bss.boot, "aw", @nobits
	.balign	4096
	.globl pml4, pdpt, pd
pml4:	.space	4096
pdpt:	.space	4096
pd:	.space	4096
	.globl boot_stack_lower, boot_stack_top
boot_stack_lower:
	.space	BOOT_STACK_SIZE
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
