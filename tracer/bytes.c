#include "bytes.h"

#include <errno.h>
#include <stdlib.h>

uint64_t bytes_le(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	if (n > 8)
		n = 8;
	while (n-- > 0)
		v = v << 8 | p[n];
	return v;
}

int bytes_parse_u64(const char *text, int base, uint64_t *out)
{
	char *end;

	if (!text || !*text || *text == '-' || *text == '+' || *text == ' ')
		return -1;
	errno = 0;
	*out = strtoull(text, &end, base);
	return errno || end == text || *end ? -1 : 0;
}
