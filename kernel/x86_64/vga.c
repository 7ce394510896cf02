#include "vga.h"

/* volatile: each store is a write the screen must see, in order; the
 * compiler may not drop or merge them as it could for plain memory that
 * nobody reads back. */
static volatile unsigned short *const vga = (volatile unsigned short *)VGA_BUFFER;

void vga_clear(void)
{
	for (int i = 0; i < VGA_COLUMNS * VGA_ROWS; i++)
		vga[i] = (unsigned short)(VGA_LIGHT_CYAN << 8 | ' ');
}

void vga_write(const char *s, unsigned char attr)
{
	for (int i = 0; s[i] && i < VGA_COLUMNS * VGA_ROWS; i++)
		vga[i] = (unsigned short)(attr << 8 | (unsigned char)s[i]);
}
