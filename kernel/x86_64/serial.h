/* serial.h: the first serial port, COM1, a 16550 UART at I/O port 0x3F8.
 *
 * QEMU connects it to -serial (stdio, a file, ...), so this is the text a
 * terminal sees.  Eight registers at 0x3F8..0x3FF; the two used here:
 * +0 transmit holding register (write a byte to send it) and +5 line
 * status (bit 5: the transmitter can take another byte).
 */
#ifndef KERNEL_X86_64_SERIAL_H
#define KERNEL_X86_64_SERIAL_H

#define COM1	0x3F8

/* 38400 baud, 8 data bits, no parity, one stop bit, no interrupts. */
void serial_init(void);
/* Send s; "\n" goes out as "\r\n" for the terminal. */
void serial_write(const char *s);

#endif
