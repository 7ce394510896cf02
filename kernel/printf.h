/* printf.h: a small printf over the SBI console.
 *
 * Conversions: %s %c %d %u %x %p %%, with an optional '0' flag (numbers),
 * '-' flag (strings), a width, and an 'l' length (long); %p prints 0x and
 * 16 hex digits.
 */
#ifndef KERNEL_PRINTF_H
#define KERNEL_PRINTF_H

void printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
