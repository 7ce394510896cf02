/* slurp.h: a whole file into memory, for the tests that feed files to the
 * parsers.  Header-only, like check.h. */
#ifndef BOOTSCOPE_SLURP_H
#define BOOTSCOPE_SLURP_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The file's bytes plus a NUL after them (not counted in *len), or NULL
 * (and *len 0) if it cannot be read.  free() the result. */
static inline uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n = 0;

	*len = 0;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1)) && fread(buf, 1, (size_t)n, f) == (size_t)n) {
		buf[n] = 0;
		*len = (size_t)n;
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

#endif
