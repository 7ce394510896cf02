/* code: instructions decoded from the target's memory, cached by address.
 *
 * Reading memory is a round trip to the gdbstub; decoding is libopcodes'
 * work.  Both are done once per address: a miss reads a block and decodes
 * every instruction in it.  bootscope never writes guest memory, but the
 * guest may (a loader copying code), so the session drops the cache
 * whenever the CPU has run freely, and on a reset.
 */
#ifndef BOOTSCOPE_CODE_H
#define BOOTSCOPE_CODE_H

#include <stdint.h>

#include "disasm.h"
#include "target.h"

#define CODE_CACHE	4096	/* lines, indexed by halfword address */
#define CODE_BLOCK	64	/* bytes read per miss */

struct code_line {
	uint64_t addr;
	int len;			/* 0: empty slot */
	char text[80];
};

struct code {
	struct code_line *lines;
	struct disasm *dis;
	struct target *target;
};

/* symbolize names addresses in the text ("jal 0x8020003c <kmain>").
 * 0, or -1 with err_set(); code_free() is safe either way. */
int code_init(struct code *c, struct target *t, disasm_symbolize_fn symbolize, void *ctx);
void code_free(struct code *c);

/* The instruction at addr, or NULL with err_set() if its memory cannot be
 * read or decoded. */
const struct code_line *code_at(struct code *c, uint64_t addr);

/* Forget everything decoded (the guest ran, or the machine was reset). */
void code_forget(struct code *c);

#endif
