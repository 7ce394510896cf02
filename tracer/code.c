#include "code.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

int code_init(struct code *c, struct target *t, const struct arch *arch,
	      disasm_symbolize_fn symbolize, void *ctx)
{
	struct arch_mode any = { .ring = -1, .name = "?" };

	memset(c, 0, sizeof *c);
	c->target = t;
	c->arch = arch;
	c->symbolize = symbolize;
	c->ctx = ctx;
	c->lines = calloc(CODE_CACHE, sizeof *c->lines);
	c->win = malloc(CODE_WINDOW);
	if (!c->lines || !c->win)
		return err_set("out of memory");
	return code_set_mode(c, &any);
}

void code_free(struct code *c)
{
	disasm_close(c->dis);
	free(c->lines);
	free(c->win);
	memset(c, 0, sizeof *c);
}

void code_forget(struct code *c)
{
	for (size_t i = 0; i < CODE_CACHE; i++)
		c->lines[i].len = 0;
	c->win_len = 0;
}

int code_set_mode(struct code *c, const struct arch_mode *m)
{
	const char *want = c->arch->disasm_name(m);

	if (c->dis && c->dis_arch && strcmp(c->dis_arch, want) == 0)
		return 0;
	disasm_close(c->dis);
	c->dis = NULL;
	code_forget(c);
	c->dis_arch = want;
	return disasm_open(&c->dis, want, c->symbolize, c->ctx);
}

static struct code_line *slot(struct code *c, uint64_t addr)
{
	return &c->lines[(addr / c->arch->insn_align) % CODE_CACHE];
}

static int cached(const struct code_line *e, uint64_t addr)
{
	return e->len && e->addr == addr;
}

/* Decode what a block of memory holds from addr on. */
static void decode_block(struct code *c, uint64_t addr, const uint8_t *b, size_t n)
{
	size_t off = 0;

	while (off + c->arch->insn_align <= n) {
		struct code_line *e = slot(c, addr + off);
		/* Hand over all that is left: the decoder knows how long the
		 * instruction is, reserved long encodings too. */
		int len = disasm_one(c->dis, addr + off, b + off, n - off, e->text, sizeof e->text);

		if (len <= 0)
			break;
		e->addr = addr + off;
		e->len = len;
		memcpy(e->bytes, b + off, (size_t)len < sizeof e->bytes ? (size_t)len : sizeof e->bytes);
		off += (size_t)len;
	}
}

const struct code_line *code_peek(struct code *c, uint64_t addr)
{
	struct code_line *e = slot(c, addr);

	if (cached(e, addr))
		return e;
	if (c->win_len && addr >= c->win_lo && addr - c->win_lo < c->win_len) {
		size_t off = (size_t)(addr - c->win_lo);
		size_t n = c->win_len - off < CODE_BLOCK ? c->win_len - off : CODE_BLOCK;

		decode_block(c, addr, c->win + off, n);
	}
	return cached(e, addr) ? e : NULL;
}

const struct code_line *code_at(struct code *c, uint64_t addr)
{
	struct code_line *e = slot(c, addr);
	uint8_t b[CODE_BLOCK];

	if (code_peek(c, addr))
		return e;
	/* One round trip decodes the next few lines too; near the end of a
	 * memory region the block read fails, so fall back to the shortest
	 * instruction, and as much more as its first bytes say. */
	if (target_mem_read(c->target, addr, b, sizeof b) == 0) {
		decode_block(c, addr, b, sizeof b);
	} else {
		size_t n = c->arch->insn_align, len;

		if (target_mem_read(c->target, addr, b, n) < 0)
			return NULL;
		while ((len = c->arch->insn_len(b, n)) == 0 && n < c->arch->insn_max) {
			if (target_mem_read(c->target, addr + n, b + n, 1) < 0)
				return NULL;
			n++;
		}
		if (len > n && target_mem_read(c->target, addr + n, b + n, len - n) < 0)
			return NULL;
		decode_block(c, addr, b, len > n ? len : n);
	}
	if (!cached(e, addr)) {
		err_set("cannot decode the instruction at 0x%" PRIx64, addr);
		return NULL;
	}
	return e;
}

int code_fetch(struct code *c, uint64_t lo, uint64_t hi)
{
	if (hi <= lo)
		return 0;
	if (hi - lo > CODE_WINDOW)
		hi = lo + CODE_WINDOW;
	c->win_len = 0;
	if (target_mem_read(c->target, lo, c->win, (size_t)(hi - lo)) < 0)
		return -1;
	c->win_lo = lo;
	c->win_len = (size_t)(hi - lo);
	return 0;
}

int code_holds(const struct code *c, uint64_t lo, uint64_t hi)
{
	return c->win_len && lo >= c->win_lo && hi >= lo && hi - c->win_lo <= c->win_len;
}
