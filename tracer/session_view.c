/* session_view: what the screen will show, fetched after the CPU stops.
 *
 * The screen draws from state only: the code around the pc comes from a
 * window of memory read here after each stop (and when the screen
 * scrolls), the memory view from bytes read here.  Drawing then never
 * waits for the gdbstub.  A stop only marks the view stale; it is read
 * when the screen is about to draw (session_view_update), so that a gdb
 * stepping through bootscope faster than the screen draws pays nothing
 * for a view no one sees. */
#include "session.h"

#include <stdio.h>
#include <string.h>

#include "err.h"

/* How much code around an address the screen may show: a third of a tall
 * panel above it (decoding starts up to 16 bytes a line earlier, see
 * ui_code.c), the rest below.  A stop re-reads memory only when the pc
 * comes nearer than NEED to an edge of what was read. */
#define VIEW_BEFORE	1024
#define VIEW_AFTER	2048
#define NEED_BEFORE	512
#define NEED_AFTER	1024

const struct code_line *session_insn(struct session *s, uint64_t addr)
{
	return code_at(&s->code, addr);
}

const struct code_line *session_insn_cached(struct session *s, uint64_t addr)
{
	return code_peek(&s->code, addr);
}

/* Read the window around addr, within its stage's range (what lies past a
 * stage's edge is another image, or nothing readable). */
static void clip(const struct stage *st, uint64_t addr, uint64_t before, uint64_t after,
		 uint64_t *lo, uint64_t *hi)
{
	*lo = addr >= before ? addr - before : 0;
	*hi = addr + after < addr ? UINT64_MAX : addr + after;
	if (st && *lo < st->lo)
		*lo = st->lo;
	if (st && *hi > st->hi)
		*hi = st->hi;
}

static void fetch_code(struct session *s, uint64_t addr)
{
	const struct stage *st = stage_of(&s->model, addr);
	uint64_t lo, hi;

	clip(st, addr, NEED_BEFORE, NEED_AFTER, &lo, &hi);
	if (code_holds(&s->code, lo, hi))
		return;
	clip(st, addr, VIEW_BEFORE, VIEW_AFTER, &lo, &hi);
	if (code_fetch(&s->code, lo, hi) == 0)
		return;
	/* Some of it is not readable: at least the lines from addr on. */
	if (code_fetch(&s->code, addr, hi - addr > 256 ? addr + 256 : hi) < 0)
		err_clear();
}

static void fetch_memory(struct session *s)
{
	struct session_mem *m = &s->mem;

	m->ok = target_mem_read(&s->target, m->addr, m->bytes, m->len) == 0;
	if (!m->ok)
		snprintf(m->error, sizeof m->error, "%s", err_msg());
}

/* How far around a hart's pc to look for a wait: every wait instruction
 * (RISC-V's wfi, 4 bytes; x86's hlt, 1) is shorter. */
#define WAIT_LOOK 8

/* Is a hart waiting for an interrupt?  b holds 2 * WAIT_LOOK bytes around
 * its pc (pc in the middle): its instruction is a wait (wfi), or the one
 * just before is, since QEMU leaves a hart that waits on the instruction
 * after its wfi (docs/qemu-gdbstub.md). */
static int waits(const struct arch *a, const uint8_t *b)
{
	unsigned max = WAIT_LOOK;
	struct arch_story what;

	a->story(b + max, max, &what);
	if (what.kind == ARCH_STORY_WAIT)
		return 1;
	for (unsigned k = a->insn_align; k <= max; k += a->insn_align)
		if (a->insn_len(b + max - k, k) == k) {
			a->story(b + max - k, k, &what);
			if (what.kind == ARCH_STORY_WAIT)
				return 1;
		}
	return 0;
}

/* Every hart but the one shown: its pc and the registers its mode comes
 * from, in one round trip, and whether it waits for an interrupt. */
void session_harts_read(struct session *s)
{
	size_t per = 1 + s->arch->nmode_regs, n = s->target.nharts;
	int nums[1 + ARCH_MAX_REGS];
	uint64_t vals[TARGET_MAX_HARTS * (1 + ARCH_MAX_REGS)];
	uint8_t ok[TARGET_MAX_HARTS * (1 + ARCH_MAX_REGS)];

	if (n < 2)
		return;
	nums[0] = s->regnum[s->arch->pc];
	for (size_t i = 0; i < s->arch->nmode_regs; i++)
		nums[1 + i] = s->regnum[s->arch->mode_regs[i]];
	if (target_harts_peek(&s->target, nums, per, vals, ok) < 0) {
		err_clear();	/* the strip shows them as not known */
		memset(ok, 0, sizeof ok);
	}
	uint64_t at[TARGET_MAX_HARTS];
	unsigned max = WAIT_LOOK;
	uint8_t code[TARGET_MAX_HARTS * 2 * WAIT_LOOK], code_ok[TARGET_MAX_HARTS];

	for (size_t h = 0; h < n; h++) {
		struct session_hart *me = &s->harts[h];
		struct arch_regs r = { 0 };

		if ((int)h != s->target.g_hart) {	/* that one is read in full already */
			r.v[s->arch->pc] = vals[h * per], r.ok[s->arch->pc] = ok[h * per];
			for (size_t i = 0; i < s->arch->nmode_regs; i++)
				r.v[s->arch->mode_regs[i]] = vals[h * per + 1 + i],
				r.ok[s->arch->mode_regs[i]] = ok[h * per + 1 + i];
			me->known = r.ok[s->arch->pc];
			me->pc = r.v[s->arch->pc];
			s->arch->mode_of(&r, &me->mode);
			me->stage = stage_of(&s->model, me->pc);
		}
		at[h] = me->pc >= max ? me->pc - max : 0;
	}
	/* Each hart's code as that hart sees it: with paging on, its pc is
	 * an address of its own page tables. */
	if (target_harts_mem(&s->target, at, 2 * max, code, code_ok) < 0) {
		err_clear();
		memset(code_ok, 0, sizeof code_ok);
	}
	for (size_t h = 0; h < n; h++)
		s->harts[h].waiting = s->harts[h].known && code_ok[h] && s->harts[h].pc >= max &&
				      waits(s->arch, code + h * 2 * max);
}

void session_view_fetch(struct session *s)
{
	s->view_stale = 1;
}

void session_view_update(struct session *s)
{
	if (!s->view_stale || s->running || s->ended || !s->target_open)
		return;
	s->view_stale = 0;
	if (s->view_code)
		fetch_code(s, session_pc(s));
	if (s->mem.on)
		fetch_memory(s);
	session_harts_read(s);
}

void session_view_code(struct session *s)
{
	s->view_code = 1;
	s->view_stale = 1;
}

void session_show_code(struct session *s, uint64_t addr)
{
	if (!s->running && !s->ended)
		fetch_code(s, addr);
}

void session_show_memory(struct session *s, uint64_t addr, size_t len)
{
	s->mem.on = 1;
	s->mem.addr = addr;
	s->mem.len = len < SESSION_MEM_MAX ? len : SESSION_MEM_MAX;
	s->mem.ok = 0;
	snprintf(s->mem.error, sizeof s->mem.error, "%s", s->ended ? "QEMU has ended" : "the CPU is running");
	if (!s->running && !s->ended)
		fetch_memory(s);
}

void session_hide_memory(struct session *s)
{
	s->mem.on = 0;
}
