/* ui_stages: the boot as a line of stages, the current one highlighted. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ui_screen.h"

void ui_stages_draw(struct ui_screen *u)
{
	const struct session *s = u->s;
	const char *arrow = u->utf8 ? " \xe2\x86\x92 " : " -> ";
	int x = 0, w = u->stages.w;
	int shortnames = 0;
	char buf[96];

	/* Will the long form fit?  Names, addresses, step counts. */
	int need = 12;
	for (int i = 0; i < s->model.n; i++)
		need += (int)strlen(s->model.stages[i].name) + 24;
	shortnames = need > w;

	for (int i = 0; i < s->model.n && x < w; i++) {
		const struct stage *st = &s->model.stages[i];
		const char *name = shortnames ? st->short_name : st->name;
		int cur = s->stage == st;
		char addr[24];

		if (st->entry_known)
			snprintf(addr, sizeof addr, "0x%" PRIx64, st->entry);
		else
			snprintf(addr, sizeof addr, "?");
		if (i > 0) {
			ui_screen_put(0, x, w - x, ui_screen_attr(u, UI_C_DIM), arrow, 0);
			x += (int)strlen(arrow) - (u->utf8 ? 2 : 0);
		}
		if (s->steps[i])
			snprintf(buf, sizeof buf, " %d %s %s [%lu] ", st->number, name, addr, s->steps[i]);
		else
			snprintf(buf, sizeof buf, " %d %s %s ", st->number, name, addr);
		ui_screen_put(0, x, w - x, cur ? ui_screen_attr(u, UI_C_STAGE) : A_NORMAL, buf, 0);
		x += (int)strlen(buf);
	}
	/* Where in the boot: instructions since reset, and whether this is
	 * the live end of the run or a point gone back to. */
	uint64_t now, behind;
	char when[64] = "";

	if (!s->running && session_travel_where(s, &now, &behind) == 0)
		snprintf(when, sizeof when, behind ? " insn %" PRIu64 " (%" PRIu64 " back)" : " insn %" PRIu64,
			 now, behind);
	snprintf(buf, sizeof buf, " %s mode%s%s ", s->mode.name, s->running ? " running" : "", when);
	if (w - (int)strlen(buf) <= x)	/* too narrow: the mode matters most */
		snprintf(buf, sizeof buf, " %s mode%s ", s->mode.name, s->running ? " running" : "");
	int bx = w - (int)strlen(buf);
	if (bx > x)
		ui_screen_put(0, bx, w - bx, ui_screen_attr(u, UI_C_STAGE), buf, 0);
}
