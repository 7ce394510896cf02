/* x86.h: the numbers of the PC and its CPU that boot.S and C both need.
 *
 * The kernel's own addresses are not here: linker.ld is their one home.
 * What is here is fixed by the hardware (the Intel SDM, volume 3) or by the
 * GDT that boot.S builds.
 */
#ifndef KERNEL_X86_64_X86_H
#define KERNEL_X86_64_X86_H

/* Segment selectors: a selector is the byte offset of its descriptor in the
 * GDT (boot.S, gdt), with the low three bits (table, privilege) zero. */
#define SEL_CODE32	0x08	/* 32-bit code, base 0, limit 4 GiB */
#define SEL_DATA	0x10	/* data, base 0, limit 4 GiB */
#define SEL_CODE64	0x18	/* 64-bit code: the L bit set */

/* Control register bits. */
#define CR0_PE		(1 << 0)	/* protection enable: protected mode */
#define CR0_PG		(1 << 31)	/* paging */
#define CR4_PAE		(1 << 5)	/* physical address extension: 64-bit page entries */

/* EFER, the extended feature enable register, is an MSR, not a CRn. */
#define MSR_EFER	0xC0000080
#define EFER_LME	(1 << 8)	/* long mode enable: we ask for it */
#define EFER_LMA	(1 << 10)	/* long mode active: the CPU says it is on */

/* Page table entry bits. */
#define PTE_P		(1 << 0)	/* present */
#define PTE_W		(1 << 1)	/* writable */
#define PTE_PS		(1 << 7)	/* in a PD entry: a 2 MiB page, no page table below */

#define BOOT_STACK_SIZE	(4 * 4096)

#ifndef __ASSEMBLER__
#include <stdint.h>

/* The PC's devices sit in a second address space, the I/O ports, reached
 * only through the in and out instructions. */
static inline void outb(uint16_t port, uint8_t v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
	asm volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
#endif

#endif
