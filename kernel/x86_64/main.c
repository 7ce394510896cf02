/* main.c: what the kernel does once boot.S has it in long mode with a stack.
 *
 * As little as the blog_os tutorial's first kernel: "Hello World!" on the
 * VGA screen, the same on the serial port for a terminal, and then the
 * power off, so the boot ends by itself.
 */
#include "power.h"
#include "serial.h"
#include "vga.h"

void kmain(void);

void kmain(void)
{
	vga_clear();
	vga_write("Hello World!", VGA_LIGHT_CYAN);
	serial_init();
	serial_write("Hello World!\n");
	power_off();
}
