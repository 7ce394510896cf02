/* main.c: what the kernel does once it has a stack.
 *
 * It is deliberately tiny: enough to show that the boot reached C, what the
 * firmware handed over, and where the linker put everything, and then to
 * power the machine off so `make run` ends by itself.
 */
#include "memlayout.h"
#include "printf.h"
#include "sbi.h"
#include "smp.h"

/* Initialised data lands in .data: this value is in the image itself.
 * smp.c reads it too, to leave this hart out when it starts the others. */
unsigned long boot_hart = -1UL;

/* Uninitialised data lands in .bss, which takes no room in the image. */
static unsigned long lines_printed;

/* Nobody zeroes .bss before us: QEMU's ELF loader copies only file contents
 * and the raw os.bin has no .bss at all.  The boot stack sits at the start
 * of .bss (linker.ld) and is in use right now, so clear only what follows it. */
static void clear_bss(void)
{
	for (char *p = boot_stack_top; p < ebss; p++)
		*p = 0;
}

static void show_range(const char *name, const char *start, const char *end)
{
	printf("  %-8s [0x%lx, 0x%lx)\n", name, (unsigned long)start, (unsigned long)end);
	lines_printed++;
}

void kmain(unsigned long hartid, unsigned long dtb);

void kmain(unsigned long hartid, unsigned long dtb)
{
	clear_bss();
	boot_hart = hartid;

	printf("Hello from the bootscope kernel!\n");
	printf("hart id: %lu\n", boot_hart);
	printf("device tree at: 0x%lx\n", dtb);
	printf("kernel layout:\n");
	show_range(".text", stext, etext);
	show_range(".rodata", srodata, erodata);
	show_range(".data", sdata, edata);
	show_range(".bss", sbss, ebss);
	show_range("stack", boot_stack_lower, boot_stack_top);
	printf("kernel: [0x%lx, 0x%lx)\n", (unsigned long)skernel, (unsigned long)ekernel);
	smp_start_harts();
	printf("%lu sections shown; shutting down through SBI\n", lines_printed);
	sbi_shutdown();
}
