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
	uint64_t slo = 0, shi = UINT64_MAX;

	if (st)
		stage_range_at(st, addr, &slo, &shi);
	*lo = addr >= before ? addr - before : 0;
	*hi = addr + after < addr ? UINT64_MAX : addr + after;
	if (*lo < slo)
		*lo = slo;
	if (*hi > shi)
		*hi = shi;
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

/* The VGA text screen, where the board has one: what a PC kernel writes
 * to 0xb8000 shows there, not on the serial console. */
static void fetch_vga(struct session *s)
{
	s->vga_ok = target_mem_read(&s->target, s->board->vga_text, s->vga, sizeof s->vga) == 0;
	if (!s->vga_ok)
		err_clear();
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
	if (s->board->vga_text)
		fetch_vga(s);
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
