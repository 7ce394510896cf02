#include "serial.h"
#include "x86.h"

#define UART_DATA	0	/* transmit holding (DLAB = 0) / divisor low (DLAB = 1) */
#define UART_IER	1	/* interrupt enable / divisor high (DLAB = 1) */
#define UART_FCR	2	/* FIFO control */
#define UART_LCR	3	/* line control; bit 7 is DLAB */
#define UART_LSR	5	/* line status */
#define LSR_THRE	0x20	/* the transmit holding register is empty */

void serial_init(void)
{
	outb(COM1 + UART_IER, 0x00);	/* no interrupts: we poll */
	outb(COM1 + UART_LCR, 0x80);	/* DLAB = 1: registers 0 and 1 are the divisor */
	outb(COM1 + UART_DATA, 3);	/* 115200 / 3 = 38400 baud */
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, 0x03);	/* DLAB = 0; 8 bits, no parity, 1 stop bit */
	outb(COM1 + UART_FCR, 0xC7);	/* FIFOs on and cleared */
}

static void serial_putc(char c)
{
	while (!(inb(COM1 + UART_LSR) & LSR_THRE))
		;			/* QEMU's UART is always ready; a real one is not */
	outb(COM1 + UART_DATA, (unsigned char)c);
}

void serial_write(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			serial_putc('\r');
		serial_putc(*s);
	}
}
