#include "json.h"

#include <string.h>

#include "text.h"

void json_string(FILE *out, const char *s, size_t len)
{
	fputc('"', out);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\r')
			fputs("\\r", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\u%04x", c);
		else if (c < 0x80)
			fputc(c, out);
		else {
			/* JSON is UTF-8: a byte that is not (a guest's console may
			 * send any) becomes U+FFFD, the replacement character. */
			size_t n = text_utf8_len(s + i, len - i);

			if (n)
				fwrite(s + i, 1, n, out), i += n - 1;
			else
				fputs("\\ufffd", out);
		}
	}
	fputc('"', out);
}

void json_field(FILE *out, const char *key, const char *value)
{
	fprintf(out, "\"%s\": ", key);
	json_string(out, value ? value : "", value ? strlen(value) : 0);
}
