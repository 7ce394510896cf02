/* ui_harts: the harts strip, shown when the machine has several harts.
 *
 * One line per hart where the screen has room for them, else all on one
 * line: the hart's number, its mode, its pc and symbol, its stage, and
 * "wfi" when it waits for an interrupt (as OpenSBI's harts that lost the
 * boot lottery do until the kernel starts them), "spins" when it loops on
 * a few instructions (as xv6's harts wait for the first).  The hart the panels show
 * is marked; h selects the next one. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ui_screen.h"

int ui_harts_rows(const struct ui_screen *u)
{
	size_t n = u->s->nharts;

	if (n < 2)
		return 0;
	/* A line each while the panels below keep the room they need. */
	return u->rows >= 30 + (int)n ? (int)n : 1;
}

/* What a hart does besides running on: waits in wfi, or spins in a
 * short loop (the xv6 way of waiting for the boot hart). */
static const char *state(const struct session_hart *me, const char *gap)
{
	static char buf[16];

	snprintf(buf, sizeof buf, "%s%s", me->waiting || me->spinning ? gap : "",
		 me->waiting ? "wfi" : me->spinning ? "spins" : "");
	return buf;
}

static void one(const struct ui_screen *u, size_t h, int full, char *buf, size_t cap)
{
	const struct session *s = u->s;
	const struct session_hart *me = &s->harts[h];
	const char *mark = (int)h == s->shown_hart ? (u->utf8 ? "▶" : ">") : " ";
	char sym[96];

	if (!me->known) {
		snprintf(buf, cap, "%s%zu ?", mark, h);
		return;
	}
	if (stage_symbol_of(&s->model, me->pc, sym, sizeof sym) < 0)
		snprintf(sym, sizeof sym, "unknown");
	if (full)
		snprintf(buf, cap, "%s hart %zu  %s mode  pc 0x%" PRIx64 "  %-24s  %s%s", mark, h, me->mode.name,
			 me->pc, sym, me->stage ? me->stage->name : "outside every image", state(me, "  "));
	else	/* 80 columns hold four */
		snprintf(buf, cap, "%s%zu %s %" PRIx64 "%s", mark, h, me->mode.name, me->pc, state(me, " "));
}

void ui_harts_draw(struct ui_screen *u)
{
	const struct ui_rect *r = &u->harts;
	char buf[400], item[160];
	size_t n = u->s->nharts, len = 0;

	if (r->h <= 0)
		return;
	if (r->h >= (int)n) {
		for (size_t h = 0; h < n; h++) {
			one(u, h, 1, buf, sizeof buf);
			if (h == 0 && u->s->target.step_others)	/* the H toggle, where it shows */
				snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "   (a step lets every hart run)");
			ui_screen_put(r->y + (int)h, 0, r->w, (int)h == u->s->shown_hart ? A_BOLD : A_NORMAL, buf, 1);
		}
		return;
	}
	len = (size_t)snprintf(buf, sizeof buf, u->s->target.step_others ? " harts (all run):" : " harts:");
	for (size_t h = 0; h < n && len < sizeof buf - 1; h++) {
		one(u, h, 0, item, sizeof item);
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", h ? " | " : " ", item);
	}
	ui_screen_put(r->y, 0, r->w, A_NORMAL, buf, 1);
}
