/* ui_regs: the pc and the general registers, two to a row, and the
 * system registers in the words the architecture gives them; what changed
 * at the last stop is highlighted. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ui_screen.h"

static void reg(struct ui_screen *u, int y, int x, const char *name, uint64_t v, int changed)
{
	char buf[40];

	snprintf(buf, sizeof buf, "%-4s %016" PRIx64, name, v);
	ui_screen_put(y, x, 21, changed ? ui_screen_attr(u, UI_C_CHANGED) : A_NORMAL, buf, 0);
}

void ui_regs_draw(struct ui_screen *u)
{
	const struct session *s = u->s;
	const struct arch *a = s->arch;
	const struct ui_rect *r = &u->regs;
	int y = r->y, k = 0;

	if (r->h > 16) {
		ui_screen_title(u, r, s->running ? " registers (running: as at the last stop)" :
						   " registers", 0);
		y++;
	}
	for (size_t i = 0; i < a->nregs; i++) {
		const struct arch_reg *g = &a->regs[i];

		if ((g->kind != ARCH_REG_PC && g->kind != ARCH_REG_GENERAL) || g->quiet)
			continue;
		if (y + k / 2 < r->y + r->h)
			reg(u, y + k / 2, r->x + (k % 2) * 23, g->label, session_reg(s, i),
			    session_reg_changed(s, i));
		k++;
	}
}

/* A line that does not fit loses whole words from its end, not half of one. */
static void sys_line(struct ui_screen *u, int y, const char *text, int changed)
{
	char buf[160];
	size_t w = (size_t)u->csrs.w;

	snprintf(buf, sizeof buf, "%.159s", text);
	if (strlen(buf) > w) {
		buf[w] = '\0';
		char *sp = strrchr(buf, ' ');
		if (sp)
			*sp = '\0';
	}
	ui_screen_put(y, u->csrs.x, u->csrs.w, changed ? ui_screen_attr(u, UI_C_CHANGED) : A_NORMAL,
		      buf, 1);
}

void ui_csrs_draw(struct ui_screen *u)
{
	const struct session *s = u->s;
	const struct ui_rect *r = &u->csrs;
	struct arch_line lines[24];
	int y = r->y, end = r->y + r->h;
	size_t n = s->arch->describe(&s->regs, s->have_prev ? &s->prev : NULL, lines, 24);

	if (r->h >= 8) {
		ui_screen_title(u, r, " CSRs", 0);
		y++;
	}
	for (size_t i = 0; i < n && y < end; i++)
		sys_line(u, y++, lines[i].text, lines[i].changed);
}
