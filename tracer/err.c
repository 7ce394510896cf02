#include "err.h"
#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static char err_buf[512];

/* A message may quote a stub's reply, QEMU's stderr or a name from an ELF:
 * made printable here, it stays one line on stderr and on the status line
 * whatever those held.  bootscope's own words hold no control character. */
static void err_format(char *dst, size_t cap, const char *fmt, va_list ap)
{
	char raw[sizeof err_buf];
	int n = vsnprintf(raw, sizeof raw, fmt, ap);

	if (n < 0)
		n = 0;
	text_printable(dst, cap, raw, (size_t)n < sizeof raw ? (size_t)n : sizeof raw - 1, 0);
}

int err_set(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_format(err_buf, sizeof err_buf, fmt, ap);
	va_end(ap);
	return -1;
}

int err_prefix(const char *fmt, ...)
{
	char old[sizeof err_buf];
	size_t n;
	va_list ap;

	memcpy(old, err_buf, sizeof old);
	va_start(ap, fmt);
	err_format(err_buf, sizeof err_buf, fmt, ap);
	va_end(ap);
	n = strlen(err_buf);
	snprintf(err_buf + n, sizeof err_buf - n, ": %s", old);
	return -1;
}

const char *err_msg(void)
{
	return err_buf;
}

void err_clear(void)
{
	err_buf[0] = '\0';
}
