/* targets: what each fuzz target does with one input, in one place.
 *
 * Each tests/fuzz/fuzz_NAME.c defines fuzz_NAME(), which runs one input
 * through a tracer module and checks what the module promises about its
 * result.  The same file ends in the libFuzzer entry point, so
 *
 *	build/fuzz/fuzz_NAME          clang -fsanitize=fuzzer,address,undefined
 *	tests/unit/test_fuzz_regressions   the same functions, built with
 *	                              -DFUZZ_REPLAY (no entry points), replaying
 *	                              tests/fuzz/regressions/NAME/ and
 *	                              tests/fuzz/corpus/NAME/ in `make test`
 *
 * run exactly the same code.  A target returns NULL when every invariant
 * held, or a sentence naming the one that did not; memory errors and
 * undefined behaviour are the sanitizers' to report.
 */
#ifndef BOOTSCOPE_FUZZ_TARGETS_H
#define BOOTSCOPE_FUZZ_TARGETS_H

#include <stddef.h>
#include <stdint.h>

/* rsp_feed() in chunks whose sizes the input chooses; frame round trip. */
const char *fuzz_rsp(const uint8_t *data, size_t size);
/* rsp_parse_stop() and the other reply decoders on the input as a payload. */
const char *fuzz_stop(const uint8_t *data, size_t size);
/* tdesc_parse() on the input as an XML document; tdesc_find/by_num. */
const char *fuzz_tdesc(const uint8_t *data, size_t size);
/* image_open_mem() on the input as a kernel file; every lookup. */
const char *fuzz_image(const uint8_t *data, size_t size);

#ifndef FUZZ_REPLAY
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The body of each LLVMFuzzerTestOneInput: a broken invariant is a crash,
 * so that libFuzzer keeps the input. */
static inline int fuzz_entry(const char *(*target)(const uint8_t *, size_t),
			     const uint8_t *data, size_t size)
{
	const char *why = target(data, size);

	if (why) {
		fprintf(stderr, "fuzz: invariant broken: %s\n", why);
		abort();
	}
	return 0;
}
#endif

#endif
