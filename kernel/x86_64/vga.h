/* vga.h: the VGA text screen, 80 columns by 25 rows, at 0xB8000.
 *
 * The BIOS leaves the video card in text mode 3.  The card shows the
 * memory at 0xB8000 as 80 x 25 cells of two bytes: the character (code
 * page 437) then its colours, background in the high nibble and
 * foreground in the low one.  Writing memory is all it takes.
 */
#ifndef KERNEL_X86_64_VGA_H
#define KERNEL_X86_64_VGA_H

#define VGA_BUFFER	0xB8000
#define VGA_COLUMNS	80
#define VGA_ROWS	25
#define VGA_LIGHT_CYAN	0x0B	/* on black: blog_os's colour */

/* Blank every cell (the BIOS's own messages are in the same buffer). */
void vga_clear(void);
/* Write s from the top-left corner on, in colour attr. */
void vga_write(const char *s, unsigned char attr);

#endif
