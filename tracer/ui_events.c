/* ui_events: the boot's story as a list (e) -- each event with its
 * instruction count, stage, mode and words -- and the registers recorded
 * with the one selected. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "event_text.h"
#include "ui_screen.h"

/* The events the list shows: the story's, the stages, breakpoints and the
 * end; not the commands' own steps and runs. */
static int shown(const struct event *e)
{
	if (e->again)
		return 0;	/* the boot run again: it is there already */
	switch (e->kind) {
	case EVENT_STAGE: case EVENT_TRAP: case EVENT_RETURN: case EVENT_CALL: case EVENT_SYSREG:
	case EVENT_WAIT: case EVENT_BREAKPOINT: case EVENT_POWER_OFF: case EVENT_QEMU_DIED: case EVENT_LOST:
		return 1;
	default:
		return 0;
	}
}

size_t ui_events_count(const struct ui_screen *u)
{
	const struct event_log *l = session_events(u->s);
	size_t n = 0;

	for (size_t i = 0; i < event_count(l); i++)
		n += shown(event_at(l, i));
	return n;
}

/* The k-th shown event. */
const struct event *ui_events_nth(const struct ui_screen *u, size_t k)
{
	const struct event_log *l = session_events(u->s);

	for (size_t i = 0; i < event_count(l); i++)
		if (shown(event_at(l, i)) && k-- == 0)
			return event_at(l, i);
	return NULL;
}

static void words(const struct ui_screen *u, const struct event *e, char *buf, size_t cap)
{
	const struct session *s = u->s;

	if (event_text(e, &s->model, s->arch, buf, cap))
		return;
	if (e->kind == EVENT_STAGE && e->stage >= 0 && e->stage < s->model.n)
		snprintf(buf, cap, "entered stage %d, %s, in %s mode", s->model.stages[e->stage].number,
			 s->model.stages[e->stage].name, e->to.name);
	else if (e->kind == EVENT_BREAKPOINT)
		snprintf(buf, cap, "breakpoint at 0x%" PRIx64, e->pc);
	else
		snprintf(buf, cap, "%s", e->detail[0] ? e->detail : "the machine ended");
}

static void regs_line(const struct ui_screen *u, const struct event *e, int y, int x, int w)
{
	const struct arch *a = u->s->arch;
	char line[512];
	int k = 0;

	line[0] = '\0';
	for (size_t i = 0; i < a->nregs && k < (int)sizeof line - 40; i++) {
		if (a->regs[i].kind != ARCH_REG_GENERAL || a->regs[i].quiet || !e->regs.ok[i])
			continue;
		k += snprintf(line + k, sizeof line - (size_t)k, "%s=%" PRIx64 " ", a->regs[i].label, e->regs.v[i]);
	}
	ui_screen_put(y, x, w, A_REVERSE, line, 1);
}

void ui_events_draw(struct ui_screen *u)
{
	const struct session *s = u->s;
	size_t n = ui_events_count(u);
	/* Below the stage bar and the where line, above the status line. */
	int w = u->cols, h = u->rows - 3, y0 = 2, x0 = 0, rows = h - 5;
	char title[400], line[512], text[400];

	for (int y = 0; y < h; y++)
		ui_screen_put(y0 + y, x0, w, A_REVERSE, "", 1);
	if (u->event_sel >= n)
		u->event_sel = n ? n - 1 : 0;
	if (u->event_sel < u->event_top)
		u->event_top = u->event_sel;
	if (rows > 0 && u->event_sel >= u->event_top + (size_t)rows)
		u->event_top = u->event_sel - (size_t)rows + 1;
	snprintf(title, sizeof title, "the boot's events: %zu%s%s   (Up/Down/PgUp/PgDn/Home/End move, Enter goes there, e or Esc closes)",
		 n, s->story.on ? "" : ", stages and the end only: ",
		 s->story.on ? "" : s->story.off[0] ? s->story.off : "--no-events");
	ui_screen_put(y0, x0 + 1, w - 2, A_REVERSE | A_BOLD, title, 1);
	ui_screen_put(y0 + 1, x0 + 1, w - 2, A_REVERSE | A_UNDERLINE,
		      "    instructions  stage     mode  what happened", 1);
	for (int i = 0; i < rows && u->event_top + (size_t)i < n; i++) {
		const struct event *e = ui_events_nth(u, u->event_top + (size_t)i);
		int st = e->stage >= 0 ? e->stage : stage_of(&s->model, e->pc) ? (int)(stage_of(&s->model, e->pc) - s->model.stages) : -1;
		char count[24] = "";

		if (e->have_insn)
			snprintf(count, sizeof count, "%" PRIu64, e->insn);
		/* With several harts, whose it was, before the words. */
		int at = s->nharts > 1 ? snprintf(text, sizeof text, "hart %d: ", e->hart) : 0;

		words(u, e, text + at, sizeof text - (size_t)at);
		snprintf(line, sizeof line, "%c %14s  %-9s %-5s %s", u->event_top + (size_t)i == u->event_sel ? '>' : ' ',
			 count, st >= 0 ? s->model.stages[st].short_name : "",
			 e->kind == EVENT_STAGE || e->from.name[0] == '?' ? e->to.name : e->from.name, text);
		ui_screen_put(y0 + 2 + i, x0 + 1, w - 2,
			      u->event_top + (size_t)i == u->event_sel ? A_BOLD : A_REVERSE, line, 1);
	}
	const struct event *sel = n ? ui_events_nth(u, u->event_sel) : NULL;

	if (sel && sel->have_regs) {
		ui_screen_put(y0 + h - 3, x0 + 1, w - 2, A_REVERSE | A_UNDERLINE, "the registers with it:", 1);
		regs_line(u, sel, y0 + h - 2, x0 + 1, w - 2);
	} else if (!n) {
		ui_screen_put(y0 + 3, x0 + 1, w - 2, A_REVERSE, "nothing yet: > runs to the next stage, c on", 1);
	}
}
