/* bytes: the two readings of raw data that several layers share -- a
 * little-endian integer from memory bytes, and a number a person typed. */
#ifndef BOOTSCOPE_BYTES_H
#define BOOTSCOPE_BYTES_H

#include <stddef.h>
#include <stdint.h>

/* The n-byte (at most 8) little-endian value at p. */
uint64_t bytes_le(const uint8_t *p, size_t n);

/* A whole number as typed: "0x80200000", "26000" (base 0: C's prefixes),
 * or with base 16 "80200000".  No sign, no trailing characters, and it
 * must fit in 64 bits.  0, or -1 (no err_set: the caller knows what the
 * number was for). */
int bytes_parse_u64(const char *text, int base, uint64_t *out);

#endif
