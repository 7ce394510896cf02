/* memlayout.h: the constants that C and assembly both need.
 *
 * The kernel's own addresses are not here: linker.ld is their one home and
 * C reads them through the linker symbols below.  Only what the linker script
 * does not decide lives here.
 */
#ifndef KERNEL_MEMLAYOUT_H
#define KERNEL_MEMLAYOUT_H

#define PAGE_SIZE	4096
#define BOOT_STACK_SIZE	(4 * PAGE_SIZE)	/* shallow calls: 16 KiB is plenty */
/* With several harts the boot stack is cut in 4 KiB slices: the boot hart
 * keeps the top one, each hart it starts (smp.c) gets the next one down. */
#define HART_STACK_SIZE	PAGE_SIZE

#ifndef __ASSEMBLER__
/* Edges of the image, defined by linker.ld; only their addresses matter. */
extern char skernel[], stext[], etext[], srodata[], erodata[];
extern char sdata[], edata[], sbss[], ebss[], ekernel[];
/* The boot stack, defined in entry.S. */
extern char boot_stack_lower[], boot_stack_top[];
#endif

#endif
