/* fuzz_stop: the decoders of reply payloads, on whatever a packet held.
 *
 * The input is one payload, as rsp_feed() hands it over: any bytes, and
 * not NUL-terminated, so it is copied into a buffer of exactly its size
 * (malloc(0) too) where AddressSanitizer sees a read past the end.  Every
 * decoder gets the same bytes; what it accepts must decode to what the
 * bytes say (the hex decoders are checked against a second, plain decoding
 * here), and output buffers are exactly as big as the caller said.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "err.h"
#include "rsp.h"
#include "targets.h"

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static const char *check_stop(const char *s, size_t n)
{
	struct rsp_stop st;

	if (rsp_parse_stop(s, n, &st) < 0)
		return err_msg()[0] ? NULL : "rsp_parse_stop failed without a message";
	if (st.kind != RSP_STOP_SIGNAL && st.kind != RSP_STOP_EXITED && st.kind != RSP_STOP_KILLED)
		return "rsp_parse_stop gave an unknown kind";
	if (st.signal_or_status < 0 || st.signal_or_status > 255)
		return "rsp_parse_stop gave a status that is not a byte";
	if (!memchr(st.thread, '\0', sizeof st.thread) || (st.has_thread && !st.thread[0]))
		return "rsp_parse_stop gave a thread id that is empty or not NUL-terminated";
	if (st.watch < RSP_WATCH_NONE || st.watch > RSP_WATCH_ACCESS)
		return "rsp_parse_stop gave an unknown watchpoint kind";
	if (n < 3 || !memchr("STWX", s[0], 4))
		return "rsp_parse_stop accepted something that is not a stop reply";
	return NULL;
}

static const char *check_error(const char *s, size_t n)
{
	int code = 1000, r = rsp_is_error(s, n, &code);

	if (r != rsp_is_error(s, n, NULL))
		return "rsp_is_error answered differently without a code";
	if (r == 0)
		return NULL;
	if (r != 1 || code < -1 || code > 255)
		return "rsp_is_error gave an impossible answer or code";
	if (s[0] != 'E')
		return "rsp_is_error took something not starting with E";
	return NULL;
}

static const char *check_console(const char *s, size_t n)
{
	size_t caps[2] = { n / 2, n / 2 + 1 }, i;	/* a byte short, and just enough */
	int r;

	if (rsp_console_output(s, n, (char *)caps, 0) >= 0)
		return "rsp_console_output wrote into a buffer of 0 bytes";
	for (i = 0; i < 2; i++) {
		char *out = malloc(caps[i]);

		if (!out)
			return NULL;
		r = rsp_console_output(s, n, out, caps[i]);
		if (r >= 0 && ((size_t)r >= caps[i] || out[r] != '\0' || (size_t)r != (n - 1) / 2)) {
			free(out);
			return "rsp_console_output's length or NUL is wrong";
		}
		free(out);
		if (r >= 0 && i == 0)
			return "rsp_console_output's text fit in fewer bytes than it has";
	}
	return NULL;
}

static const char *check_hex(const char *s, size_t n)
{
	size_t cap = n / 2;
	uint8_t *out = malloc(cap);
	char *enc;
	int r;

	if (!out)
		return NULL;
	r = rsp_hex_decode(s, n, out, cap);
	if (r < 0) {
		free(out);
		return NULL;
	}
	if ((size_t)r != n / 2 || n % 2) {
		free(out);
		return "rsp_hex_decode gave the wrong number of bytes";
	}
	if (cap > 0 && rsp_hex_decode(s, n, out, cap - 1) >= 0) {
		free(out);
		return "rsp_hex_decode wrote into a buffer a byte short";
	}
	enc = malloc(n + 1);
	if (!enc) {
		free(out);
		return NULL;
	}
	if (rsp_hex_encode(out, (size_t)r, enc) != n || enc[n] != '\0' || strncasecmp(enc, s, n) != 0) {
		free(out);
		free(enc);
		return "rsp_hex_encode(rsp_hex_decode(x)) is not x";
	}
	free(out);
	free(enc);
	return NULL;
}

static const char *check_le(const char *s, size_t n)
{
	uint64_t v = 0, want = 0;
	size_t i;

	if (rsp_le_u64(s, n, &v) < 0)
		return NULL;
	if (n < 2 || n > 16 || n % 2)
		return "rsp_le_u64 took a length that is not 1 to 8 bytes";
	for (i = 0; i < n; i++) {
		if (hexval((unsigned char)s[i]) < 0)
			return "rsp_le_u64 took a non-hex digit";
		want |= (uint64_t)hexval((unsigned char)s[i]) << (8 * (i / 2) + (i % 2 ? 0 : 4));
	}
	return v == want ? NULL : "rsp_le_u64 gave the wrong value";
}

static const char *check_u64(const char *s, size_t n)
{
	uint64_t v = 0;
	char text[24];
	size_t z = 0;

	if (rsp_parse_u64(s, n, &v) < 0)
		return NULL;
	while (z + 1 < n && s[z] == '0')
		z++;
	snprintf(text, sizeof text, "%llx", (unsigned long long)v);
	if (strlen(text) != n - z || strncasecmp(text, s + z, n - z) != 0)
		return "rsp_parse_u64 gave the wrong value";
	return NULL;
}

const char *fuzz_stop(const uint8_t *data, size_t size)
{
	const char *(*const checks[])(const char *, size_t) = {
		check_stop, check_error, check_console, check_hex, check_le, check_u64,
	};
	char *s = malloc(size);	/* 0 bytes is fine: glibc and ASan give a pointer */
	const char *why = NULL;
	size_t i;

	if (!s)
		return NULL;
	memcpy(s, data, size);
	for (i = 0; i < sizeof checks / sizeof checks[0] && !why; i++) {
		err_clear();
		why = checks[i](s, size);
	}
	free(s);
	return why;
}

#ifndef FUZZ_REPLAY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_entry(fuzz_stop, data, size);
}
#endif
