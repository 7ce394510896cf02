/* ui_code: the disassembly around the pc, with symbol labels, the pc line
 * and breakpoints marked; scrollable.
 *
 * Code of mixed lengths (RISC-V's 2- and 4-byte instructions) cannot be
 * decoded backwards, so the lines above the pc come from decoding forwards
 * from a point that lands on it: the start of the pc's symbol when it is
 * near, else the nearest earlier aligned address that does.  Drawing only
 * decodes what the session fetched at the stop (session_insn_cached);
 * scrolling asks the session to fetch more first. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ui_screen.h"

#define MAX_LINES 256

/* Addresses of up to n instructions that end exactly at addr (not
 * including it), latest last.  Returns how many were found. */
static int lines_before(struct ui_screen *u, uint64_t addr, uint64_t *out, int n)
{
	struct session *s = u->s;
	uint64_t starts[2], align = s->arch->insn_align;
	int nstarts = 0;
	const struct stage *st = stage_of(&s->model, addr);
	const struct image_symbol *sym = st && st->image ? image_symbol_at(st->image, addr) : NULL;

	/* Never reach below the start of the pc's stage: what lies before a
	 * stage's first instruction is another image, or nothing at all. */
	uint64_t floor = 0, ceiling;

	if (st)
		stage_range_at(st, addr, &floor, &ceiling);

	if (addr <= floor)
		return 0;
	if (sym && sym->addr < addr && addr - sym->addr <= (uint64_t)n * 4 * 4)
		starts[nstarts++] = sym->addr;
	if (addr - floor >= (uint64_t)n * 4)
		starts[nstarts++] = addr - (uint64_t)n * 4;
	else
		starts[nstarts++] = floor;
	for (int k = 0; k < nstarts; k++) {
		/* Try each halfword from the start; the first that lands on addr wins. */
		for (uint64_t a0 = starts[k]; a0 < addr && a0 < starts[k] + 4 * align; a0 += align) {
			uint64_t ring[MAX_LINES];
			int count = 0;
			uint64_t a = a0;

			while (a < addr) {
				const struct code_line *in = session_insn_cached(s, a);
				if (!in)
					break;
				ring[count++ % MAX_LINES] = a;
				a += (uint64_t)in->len;
			}
			if (a != addr)
				continue;
			int m = count < n ? count : n;
			for (int i = 0; i < m; i++)
				out[i] = ring[(count - m + i) % MAX_LINES];
			return m;
		}
	}
	return 0;
}

void ui_code_scroll(struct ui_screen *u, int lines)
{
	uint64_t prev[MAX_LINES];

	u->code_follow = 0;
	session_show_code(u->s, u->code_top);
	if (lines > 0) {
		for (int i = 0; i < lines; i++) {
			const struct code_line *in = session_insn(u->s, u->code_top);
			if (!in)
				return;
			u->code_top += (uint64_t)in->len;
		}
	} else if (lines < 0) {
		int want = -lines > MAX_LINES ? MAX_LINES : -lines;
		int got = lines_before(u, u->code_top, prev, want);
		if (got > 0)
			u->code_top = prev[0];
		else if (u->code_top >= (uint64_t)want * u->s->arch->insn_align)
			u->code_top -= (uint64_t)want * u->s->arch->insn_align;
	}
	session_show_code(u->s, u->code_top);
}

/* Keep the pc on screen, about a third of the way down. */
static void follow_pc(struct ui_screen *u, int rows)
{
	uint64_t pc = session_pc(u->s), prev[MAX_LINES];
	int above = rows / 3, got;

	if (u->code_top <= pc) {
		uint64_t a = u->code_top;
		for (int i = 0; i < rows - 2 && a <= pc; i++) {
			if (a == pc)
				return;	/* already in view, and not at the bottom */
			const struct code_line *in = session_insn_cached(u->s, a);
			if (!in)
				break;
			a += (uint64_t)in->len;
		}
	}
	got = lines_before(u, pc, prev, above);
	u->code_top = got > 0 ? prev[0] : pc;
}

void ui_code_draw(struct ui_screen *u)
{
	struct session *s = u->s;
	const struct ui_rect *r = &u->code;
	int rows = r->h - 1, y = r->y + 1;
	uint64_t pc = session_pc(s), a;
	char buf[200];

	ui_screen_title(u, r, u->code_follow ? " code" : " code (scrolled: s or . returns to the pc)",
			u->focus == UI_FOCUS_CODE);
	if (u->code_follow)
		follow_pc(u, rows);
	a = u->code_top;
	while (y < r->y + r->h) {
		const struct stage *st = stage_of(&s->model, a);
		const struct image_symbol *sym = st && st->image ? image_symbol_at(st->image, a) : NULL;
		const struct code_line *in;

		if (sym && sym->addr == a && y < r->y + r->h - 1) {
			snprintf(buf, sizeof buf, "<%s>:", sym->name);
			ui_screen_put(y++, r->x, r->w, ui_screen_attr(u, UI_C_TITLE) & ~A_UNDERLINE, buf, 1);
		}
		char data[96];
		if (stage_data_at(&s->model, a, data, sizeof data)) {
			snprintf(buf, sizeof buf, "  %08" PRIx64 " %s", a, data);
			ui_screen_put(y++, r->x, r->w, ui_screen_attr(u, UI_C_DIM), buf, 1);
			a += s->model.word_size;
			continue;
		}
		in = session_insn_cached(s, a);
		int is_pc = a == pc && !s->running;
		int is_bp = session_break_at(s, a);
		const char *mark = is_pc ? (u->utf8 ? "\xe2\x96\xb6" : ">") : " ";
		const char *bpm = is_bp ? (u->utf8 ? "\xe2\x97\x8f" : "*") : " ";
		int digits = a >> 32 ? 16 : 8;

		if (!in) {
			snprintf(buf, sizeof buf, "%s%s%0*" PRIx64 " (cannot read memory here)", bpm, mark,
				 digits, a);
			ui_screen_put(y++, r->x, r->w, ui_screen_attr(u, UI_C_DIM), buf, 1);
			break;
		}
		snprintf(buf, sizeof buf, "%s%s%0*" PRIx64 " %s", bpm, mark, digits, a, in->text);
		struct arch_call call;	/* before it is taken: what it asks */
		size_t k = strlen(buf);
		if (is_pc && session_story_call(s, &call))
			snprintf(buf + k, sizeof buf - k, "   %.8s %.24s %.40s %.100s", call.iface ? call.iface : "",
				 call.ext_name, call.name, call.args);
		else if (s->profile.n)	/* how often the last run ran it */
			snprintf(buf + k, sizeof buf - k, "   %" PRIu64 "x", profile_count_at(&s->profile, a));
		attr_t attr = is_pc ? ui_screen_attr(u, UI_C_PC) : is_bp ? ui_screen_attr(u, UI_C_BREAK) : A_NORMAL;
		ui_screen_put(y++, r->x, r->w, attr, buf, 1);
		a += (uint64_t)in->len;
	}
}
