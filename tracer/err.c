#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static char err_buf[512];

int err_set(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err_buf, sizeof err_buf, fmt, ap);
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
	vsnprintf(err_buf, sizeof err_buf, fmt, ap);
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
