/* code: instructions decoded from the target's memory, cached by address.
 *
 * Reading memory is a round trip to the gdbstub; decoding is libopcodes'
 * work.  Both are done once per address: a miss reads a block and decodes
 * every instruction in it.  The session also fetches, when the CPU stops,
 * a window of memory around the pc (code_fetch); code_peek() decodes from
 * the cache and that window only, so the screen can draw code without a
 * round trip.  bootscope never writes guest memory, but the guest may (a
 * loader copying code), so the session drops everything whenever the CPU
 * has run freely, and on a reset.
 */
#ifndef BOOTSCOPE_CODE_H
#define BOOTSCOPE_CODE_H

#include <stdint.h>

#include "arch.h"
#include "disasm.h"
#include "target.h"

#define CODE_CACHE	4096	/* lines, indexed by address */
#define CODE_BLOCK	64	/* bytes read per miss */
#define CODE_WINDOW	4096	/* the most code_fetch keeps */

struct code_line {
	uint64_t addr;
	int len;			/* 0: empty slot */
	char text[80];
	uint8_t bytes[16];		/* its first len (at most 16) bytes, as read */
};

struct code {
	struct code_line *lines;
	struct disasm *dis;
	const char *dis_arch;		/* what dis decodes */
	struct target *target;
	const struct arch *arch;
	disasm_symbolize_fn symbolize;
	void *ctx;
	uint8_t *win;			/* memory fetched at the last stop */
	uint64_t win_lo;
	size_t win_len;
};

/* symbolize names addresses in the text ("jal 0x8020003c <kmain>").
 * 0, or -1 with err_set(); code_free() is safe either way. */
int code_init(struct code *c, struct target *t, const struct arch *arch,
	      disasm_symbolize_fn symbolize, void *ctx);
void code_free(struct code *c);

/* Decode as code run in mode m does (a mode may have an encoding of its
 * own); forgets what was decoded otherwise.  0 or -1. */
int code_set_mode(struct code *c, const struct arch_mode *m);

/* The instruction at addr, reading memory on a miss; NULL with err_set()
 * if its memory cannot be read or decoded. */
const struct code_line *code_at(struct code *c, uint64_t addr);

/* The same without any I/O: from the cache or the fetched window, else
 * NULL. */
const struct code_line *code_peek(struct code *c, uint64_t addr);

/* Read [lo, hi) (at most CODE_WINDOW bytes) for code_peek.  0, or -1
 * with err_set() if it is unreadable. */
int code_fetch(struct code *c, uint64_t lo, uint64_t hi);

/* Does the fetched window hold [lo, hi)? */
int code_holds(const struct code *c, uint64_t lo, uint64_t hi);

/* Forget everything decoded and fetched (the guest ran, or the machine
 * was reset). */
void code_forget(struct code *c);

#endif
