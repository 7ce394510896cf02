/* ui_profile: where the last run's instructions went (p), once QEMU has
 * ended a run with the counting plugin: per stage, the hottest functions
 * and loops. */
#include <inttypes.h>
#include <stdio.h>

#include "ui_screen.h"

static double pct(uint64_t n, uint64_t total)
{
	return total ? 100.0 * (double)n / (double)total : 0;
}

void ui_profile_draw(struct ui_screen *u)
{
	const struct session *s = u->s;
	const struct profile_summary *p = &u->profile;
	int w = u->cols, h = u->rows - 3, y0 = 2, y = y0;
	char line[300];

	for (int i = 0; i < h; i++)
		ui_screen_put(y0 + i, 0, w, A_REVERSE, "", 1);
	if (!u->have_profile) {
		ui_screen_put(y++, 1, w - 2, A_REVERSE | A_BOLD, "no profile yet   (any key closes)", 1);
		ui_screen_put(y++, 1, w - 2, A_REVERSE,
			      "The counts come when a run ends: c until the guest powers off, then p.", 1);
		return;
	}
	snprintf(line, sizeof line, "where the last run's %" PRIu64 " instructions went   (any key closes)", p->total);
	ui_screen_put(y++, 1, w - 2, A_REVERSE | A_BOLD, line, 1);
	for (size_t i = 0; i < p->nstages && y < y0 + h; i++) {
		snprintf(line, sizeof line, "  %12" PRIu64 " %6.2f%%  stage %s", p->stages[i].count,
			 pct(p->stages[i].count, p->total), p->stages[i].name);
		ui_screen_put(y++, 1, w - 2, A_REVERSE, line, 1);
	}
	ui_screen_put(y++, 1, w - 2, A_REVERSE | A_UNDERLINE, "hottest functions", 1);
	for (size_t i = 0; i < p->nfunctions && y < y0 + h - 4; i++) {
		const struct profile_row *r = &p->functions[i];
		const char *st = r->stage >= 0 && r->stage < s->model.n ? s->model.stages[r->stage].short_name : "";

		snprintf(line, sizeof line, "  %12" PRIu64 " %6.2f%%  %-9s %s%s", r->count, pct(r->count, p->total), st,
			 r->name, r->named ? "" : " (no symbol)");
		ui_screen_put(y++, 1, w - 2, A_REVERSE, line, 1);
	}
	if (p->nloops && y < y0 + h - 1) {
		const struct profile_loop *l = &p->loops[0];

		ui_screen_put(y++, 1, w - 2, A_REVERSE | A_UNDERLINE, "hottest loop", 1);
		snprintf(line, sizeof line, "  %12" PRIu64 " %6.2f%%  0x%" PRIx64 "..0x%" PRIx64 " in %s", l->count,
			 pct(l->count, p->total), l->head, l->branch, l->function);
		ui_screen_put(y++, 1, w - 2, A_REVERSE, line, 1);
	}
}
