#include <stdarg.h>

#include "printf.h"
#include "sbi.h"

static void putc(char c)
{
	sbi_console_putchar(c);
}

static void puts_padded(const char *s, int width, int left)
{
	int n = 0;

	while (s[n])
		n++;
	for (; !left && width > n; width--)
		putc(' ');
	while (*s)
		putc(*s++);
	for (; left && width > n; width--)
		putc(' ');
}

static void put_number(unsigned long v, int base, int negative, int width, char pad)
{
	static const char digits[] = "0123456789abcdef";
	char buf[24];
	int i = 0;

	do {
		buf[i++] = digits[v % base];
		v /= base;
	} while (v);
	if (negative)
		width--;
	if (negative && pad == '0')
		putc('-');
	for (; width > i; width--)
		putc(pad);
	if (negative && pad != '0')
		putc('-');
	while (i > 0)
		putc(buf[--i]);
}

void printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	for (; *fmt; fmt++) {
		int width = 0, islong = 0, left = 0;
		char pad = ' ';

		if (*fmt != '%') {
			putc(*fmt);
			continue;
		}
		fmt++;
		if (*fmt == '-') {
			left = 1;
			fmt++;
		}
		if (*fmt == '0') {
			pad = '0';
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l') {
			islong = 1;
			fmt++;
		}
		switch (*fmt) {
		case 'd': {
			long v = islong ? va_arg(ap, long) : va_arg(ap, int);
			put_number(v < 0 ? -(unsigned long)v : (unsigned long)v, 10, v < 0, width, pad);
			break;
		}
		case 'u':
			put_number(islong ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int),
				   10, 0, width, pad);
			break;
		case 'x':
			put_number(islong ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int),
				   16, 0, width, pad);
			break;
		case 'p':
			putc('0');
			putc('x');
			put_number((unsigned long)va_arg(ap, void *), 16, 0, 16, '0');
			break;
		case 'c':
			putc((char)va_arg(ap, int));
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			puts_padded(s ? s : "(null)", width, left);
			break;
		}
		case '%':
			putc('%');
			break;
		case '\0':
			va_end(ap);
			return;
		default:	/* unknown: show it rather than guess */
			putc('%');
			putc(*fmt);
		}
	}
	va_end(ap);
}
