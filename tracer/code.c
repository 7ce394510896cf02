#include "code.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

int code_init(struct code *c, struct target *t, disasm_symbolize_fn symbolize, void *ctx)
{
	memset(c, 0, sizeof *c);
	c->target = t;
	c->lines = calloc(CODE_CACHE, sizeof *c->lines);
	if (!c->lines)
		return err_set("out of memory");
	return disasm_open(&c->dis, symbolize, ctx);
}

void code_free(struct code *c)
{
	disasm_close(c->dis);
	free(c->lines);
	memset(c, 0, sizeof *c);
}

void code_forget(struct code *c)
{
	for (size_t i = 0; i < CODE_CACHE; i++)
		c->lines[i].len = 0;
}

static struct code_line *slot(struct code *c, uint64_t addr)
{
	return &c->lines[(addr >> 1) % CODE_CACHE];
}

static int cached(const struct code_line *e, uint64_t addr)
{
	return e->len && e->addr == addr;
}

/* Decode what a block of memory holds from addr on. */
static void decode_block(struct code *c, uint64_t addr, const uint8_t *b, size_t n)
{
	size_t off = 0;

	while (off + 2 <= n) {
		struct code_line *e = slot(c, addr + off);
		/* Hand over all that is left: the decoder knows how long the
		 * instruction is (2, 4, or more for the reserved encodings). */
		int len = disasm_one(c->dis, addr + off, b + off, n - off, e->text, sizeof e->text);

		if (len <= 0)
			break;
		e->addr = addr + off;
		e->len = len;
		off += (size_t)len;
	}
}

const struct code_line *code_at(struct code *c, uint64_t addr)
{
	struct code_line *e = slot(c, addr);
	uint8_t b[CODE_BLOCK];

	if (cached(e, addr))
		return e;
	/* One round trip decodes the next few lines too; near the end of a
	 * memory region the block read fails, so fall back to halfwords. */
	if (target_read_mem(c->target, addr, b, sizeof b) == 0) {
		decode_block(c, addr, b, sizeof b);
	} else {
		if (target_read_mem(c->target, addr, b, 2) < 0)
			return NULL;
		size_t n = (b[0] & 3) == 3 ? 4 : 2;
		if (n == 4 && target_read_mem(c->target, addr + 2, b + 2, 2) < 0)
			return NULL;
		decode_block(c, addr, b, n);
	}
	if (!cached(e, addr)) {
		err_set("cannot decode the instruction at 0x%" PRIx64, addr);
		return NULL;
	}
	return e;
}
