/* text: outside bytes made printable (the rule is in text.h). */
#include "text.h"

#include <string.h>

size_t text_utf8_len(const char *src, size_t len)
{
	const unsigned char *s = (const unsigned char *)src;
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (len < n || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

size_t text_char(const char *src, size_t len, unsigned flags, char out[TEXT_CHAR_MAX])
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)src;
	size_t n = text_utf8_len(src, len);

	if ((flags & TEXT_CONSOLE) && (s[0] == '\n' || s[0] == '\t' || s[0] == '\r')) {
		out[0] = s[0] == '\r' ? '\0' : (char)s[0];
		out[1] = '\0';
		return 1;
	}
	if (n == 0 || s[0] < 0x20 || s[0] == 0x7f || (s[0] == 0xc2 && s[1] < 0xa0)) {
		out[0] = '\\';
		out[1] = 'x';
		out[2] = hex[s[0] >> 4];
		out[3] = hex[s[0] & 15];
		out[4] = '\0';
		return 1;
	}
	memcpy(out, src, n);
	out[n] = '\0';
	return n;
}

size_t text_printable(char *dst, size_t cap, const char *src, size_t len, unsigned flags)
{
	char c[TEXT_CHAR_MAX];
	size_t k = 0;

	if (cap == 0)
		return 0;
	for (size_t i = 0; i < len;) {
		size_t used = text_char(src + i, len - i, flags, c);
		size_t n = strlen(c);

		if (k + n + 1 > cap)
			break;
		memcpy(dst + k, c, n);
		k += n;
		i += used;
	}
	dst[k] = '\0';
	return k;
}

void text_write(FILE *out, const char *src, size_t len, unsigned flags)
{
	char c[TEXT_CHAR_MAX];

	for (size_t i = 0; i < len;) {
		i += text_char(src + i, len - i, flags, c);
		fputs(c, out);
	}
}

void text_puts(FILE *out, const char *s)
{
	text_write(out, s, strlen(s), 0);
}
