/* objdump_text.h: making objdump's instruction text comparable with
 * bootscope's, for the tests that hold the two side by side.  Header-only,
 * like check.h. */
#ifndef BOOTSCOPE_OBJDUMP_TEXT_H
#define BOOTSCOPE_OBJDUMP_TEXT_H

#include <ctype.h>
#include <stddef.h>
#include <string.h>

/* Whitespace runs become one space; with names = 0, " <...>" goes too. */
static inline void normalize(const char *in, char *out, size_t cap, int names)
{
	size_t n = 0;

	while (isspace((unsigned char)*in))
		in++;
	for (; *in && n + 1 < cap; in++) {
		if (!names && in[0] == ' ' && in[1] == '<') {
			const char *e = strchr(in, '>');
			if (e) {
				in = e;
				continue;
			}
		}
		if (isspace((unsigned char)*in)) {
			if (n && out[n - 1] != ' ')
				out[n++] = ' ';
		} else {
			out[n++] = *in;
		}
	}
	while (n && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

/* objdump prints a target as "80200010 <main>"; bootscope as "0x80200010
 * <main>".  Prefix every hex number that is followed by " <" with 0x. */
static inline void objdump_addresses(const char *in, char *out, size_t cap)
{
	size_t n = 0;

	while (*in && n + 3 < cap) {
		size_t k = 0;

		while (isxdigit((unsigned char)in[k]))
			k++;
		if (k && strncmp(in + k, " <", 2) == 0 &&
		    (n == 0 || out[n - 1] == ',' || out[n - 1] == ' ' || out[n - 1] == '\t')) {
			out[n++] = '0';
			out[n++] = 'x';
		}
		if (k == 0)
			k = 1;
		while (k-- && n + 1 < cap)
			out[n++] = *in++;
	}
	out[n] = '\0';
}

#endif
