/* json: just enough JSON writing for the batch report and the doctor. */
#ifndef BOOTSCOPE_JSON_H
#define BOOTSCOPE_JSON_H

#include <stddef.h>
#include <stdio.h>

/* A quoted, escaped string of len bytes (NULs and control bytes escaped). */
void json_string(FILE *out, const char *s, size_t len);

/* "key": "value" (value NULL prints ""). */
void json_field(FILE *out, const char *key, const char *value);

#endif
