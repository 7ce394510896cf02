/* ui_where: where the pc is (stage, image, section, symbol, source line),
 * and a one-line picture of physical memory with the pc and sp marked. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ui_screen.h"

void ui_where_draw(struct ui_screen *u)
{
	const struct session *s = u->s;
	uint64_t pc = session_pc(s), lo = 0, hi = 0;
	const char *sec = stage_section_of(&s->model, pc, &lo, &hi);
	char sym[128] = "unknown", range[64] = "", line[64] = "", buf[400];
	const char *file;
	int lineno;

	if (stage_symbol_of(&s->model, pc, sym, sizeof sym) < 0)
		snprintf(sym, sizeof sym, "unknown");
	if (sec)
		snprintf(range, sizeof range, " [0x%" PRIx64 ", 0x%" PRIx64 ")", lo, hi);
	if (s->stage && s->stage->image && image_line_at(s->stage->image, pc, &file, &lineno) == 0) {
		const char *base = strrchr(file, '/');
		snprintf(line, sizeof line, "  %s:%d", base ? base + 1 : file, lineno);
	}
	char other[32] = "";

	if (s->arch->pc_text)
		s->arch->pc_text(&s->regs, other + 2, sizeof other - 3);
	if (other[2]) {	/* " (f000:fff0)" */
		memcpy(other, " (", 2);
		strcat(other, ")");
	}
	snprintf(buf, sizeof buf, " pc 0x%" PRIx64 "%s  %s  %s%s  %s%s", pc, other,
		 s->stage ? s->stage->image_name : "outside every image", sec ? sec : "unknown", range, sym, line);
	ui_screen_put(u->where.y, 0, u->where.w, A_BOLD, buf, 1);
}

struct region {
	const char *label;
	uint64_t lo, hi;
};

/* The regions worth a box: the ROM and the firmware whole, each section of
 * the later stages, and what the board adds (the device tree).  Built from
 * the stages and images, in address order. */
static int regions(const struct session *s, struct region *r, int max)
{
	int n = 0;

	for (int i = 0; i < s->model.n && n < max; i++) {
		const struct stage *st = &s->model.stages[i];
		const struct image *img = st->image;

		if (!st->entry_known)
			continue;
		int again = 0;	/* an image two stages share (the PC's boot sector and kernel) */
		for (int j = 0; j < i && img; j++)
			again |= s->model.stages[j].entry_known && s->model.stages[j].image == img;
		if (again)
			continue;
		if (st->kind == STAGE_ROM || st->kind == STAGE_FIRMWARE || !img || img->nsections == 0) {
			uint64_t hi = img ? img->hi : st->hi;
			r[n++] = (struct region){ st->image_name, st->lo, hi };
			continue;
		}
		for (size_t k = 0; k < img->nsections && n < max; k++)
			r[n++] = (struct region){ img->sections[k].name, img->sections[k].addr,
						  img->sections[k].addr + img->sections[k].size };
	}
	for (int i = 0; i < s->model.nregions && n < max; i++)
		r[n++] = (struct region){ s->model.regions[i].label, s->model.regions[i].lo,
					  s->model.regions[i].hi };
	return n;
}

void ui_map_draw(struct ui_screen *u)
{
	const struct session *s = u->s;
	struct region r[16];
	int n = regions(s, r, 16), x = 0, w = u->map.w;
	uint64_t pc = session_pc(s), sp = session_reg(s, s->arch->sp);
	const char *pcmark = u->utf8 ? "\xe2\x97\x80pc" : "<pc";
	const char *spmark = u->utf8 ? "\xe2\x97\x80sp" : "<sp";

	ui_screen_put(u->map.y, 0, w, ui_screen_attr(u, UI_C_DIM), " map:", 0);
	x = 5;
	for (int i = 0; i < n && x < w; i++) {
		int has_pc = pc >= r[i].lo && pc < r[i].hi;
		int has_sp = sp > r[i].lo && sp <= r[i].hi;	/* sp points just past its stack */
		char buf[80];
		int len;

		len = snprintf(buf, sizeof buf, " %s", r[i].label);
		ui_screen_put(u->map.y, x, w - x, has_pc ? ui_screen_attr(u, UI_C_PC) : A_NORMAL, buf, 0);
		x += len;
		if (has_pc) {
			ui_screen_put(u->map.y, x, w - x, ui_screen_attr(u, UI_C_CHANGED), pcmark, 0);
			x += 3;
		}
		if (has_sp) {
			ui_screen_put(u->map.y, x, w - x, ui_screen_attr(u, UI_C_CHANGED), spmark, 0);
			x += 3;
		}
		if (i + 1 < n) {
			ui_screen_put(u->map.y, x, w - x, ui_screen_attr(u, UI_C_DIM), " |", 0);
			x += 2;
		}
	}
}
