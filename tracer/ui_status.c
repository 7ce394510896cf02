/* ui_status: the status line -- what the last command did, phrased from
 * the session's events, or a message, or the prompt -- and the key hints. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "event_text.h"
#include "ui_screen.h"

/* One event in the screen's words. */
static void phrase(const struct session *s, const struct event *e, char *buf, size_t cap)
{
	const struct stage *st = e->stage >= 0 && e->stage < s->model.n ? &s->model.stages[e->stage] : NULL;
	char sym[128];

	switch (e->kind) {
	case EVENT_PAUSED:
		if (st)
			snprintf(buf, cap, "paused at 0x%" PRIx64 ": stage %d, %s", e->pc, st->number, st->name);
		else
			snprintf(buf, cap, "paused at 0x%" PRIx64, e->pc);
		break;
	case EVENT_RESTARTED:
		snprintf(buf, cap, "restarted: paused at 0x%" PRIx64, e->pc);
		break;
	case EVENT_TRAVELED:
		if (stage_symbol_of(&s->model, e->pc, sym, sizeof sym) < 0)
			snprintf(sym, sizeof sym, "unknown");
		snprintf(buf, cap, "back at instruction %" PRIu64 ", 0x%" PRIx64 " <%s>, as the machine was then",
			 e->insn, e->pc, sym);
		break;
	case EVENT_STAGE:
		snprintf(buf, cap, "entered stage %d, %s, at 0x%" PRIx64 " in %s mode", st ? st->number : 0,
			 st ? st->name : "?", e->pc, e->to.name);
		break;
	case EVENT_MODE:
		snprintf(buf, cap, "privilege changed %s -> %s at 0x%" PRIx64, e->from.name, e->to.name, e->pc);
		break;
	case EVENT_STEPPED:
		snprintf(buf, cap, "stepped %lu instruction%s", e->count, e->count == 1 ? "" : "s");
		break;
	case EVENT_BREAKPOINT:
		snprintf(buf, cap, "stopped at breakpoint 0x%" PRIx64, e->pc);
		break;
	case EVENT_RUNNING:
		snprintf(buf, cap, "running (Ctrl-C stops)");
		break;
	case EVENT_STOPPED:
	case EVENT_INTERRUPTED:
		if (stage_symbol_of(&s->model, e->pc, sym, sizeof sym) < 0)
			snprintf(sym, sizeof sym, "unknown");
		snprintf(buf, cap, "%s at 0x%" PRIx64 " <%s>", e->kind == EVENT_STOPPED ? "stopped" : "interrupted",
			 e->pc, sym);
		break;
	case EVENT_STEPS_CANCELLED:
		snprintf(buf, cap, "interrupted: %lu steps left undone", e->count);
		break;
	case EVENT_BREAK_SET:
	case EVENT_BREAK_CLEARED:
		if (e->count)
			snprintf(buf, cap, "breakpoint at 0x%" PRIx64 " for hart %lu %s", e->addr, e->count - 1,
				 e->kind == EVENT_BREAK_SET ? "set" : "cleared");
		else
			snprintf(buf, cap, "breakpoint at 0x%" PRIx64 " %s", e->addr,
				 e->kind == EVENT_BREAK_SET ? "set" : "cleared");
		break;
	case EVENT_TRAP:
	case EVENT_RETURN:
	case EVENT_CALL:
	case EVENT_SYSREG:
	case EVENT_WAIT:
		event_text(e, &s->model, s->arch, buf, cap);
		break;
	case EVENT_POWER_OFF:
	case EVENT_QEMU_DIED:
	case EVENT_LOST:
		snprintf(buf, cap, "%s", e->detail);
		break;
	}
}

/* What the last command did: its last event, and what it did to the boot
 * on the way (a stage entered, a mode change).  A step that changed the
 * boot where it ended says only that; a long counted step that changed it
 * on the way says how many it took. */
void ui_status_event(const struct session *s, unsigned asked, char *buf, size_t cap)
{
	const struct event_log *log = session_events(s);
	const struct event *last = event_last(log), *change;
	char more[200];

	if (!last) {
		snprintf(buf, cap, "%s", "");
		return;
	}
	/* What the command did to the boot, most telling first: what it ran
	 * to (T, E, M), a stage entered, the story's events, a mode changed. */
	static const enum event_kind telling[] = { EVENT_STAGE, EVENT_WAIT, EVENT_TRAP, EVENT_CALL,
						   EVENT_RETURN, EVENT_SYSREG, EVENT_MODE };
	change = NULL;
	/* What was asked: the newest such event, the one the run stopped for. */
	for (size_t i = event_count(log); asked && !change && i-- > 0;) {
		const struct event *e = event_at(log, i);

		if (e->command != last->command)
			break;
		if (asked & (1u << e->kind))
			change = e;
	}
	for (size_t i = 0; i < sizeof telling / sizeof telling[0] && !change; i++) {
		change = event_in_command(log, telling[i]);
		/* A run passes stages at the story's stops on the way; the
		 * stage to tell is the one it stopped at. */
		if (change && change->kind == EVENT_STAGE && change->pc != last->pc)
			change = NULL;
	}
	if (change && last->kind == EVENT_STEPPED && change->pc == last->pc)
		last = change;
	phrase(s, last, buf, cap);
	if (change && change != last &&
	    (last->kind == EVENT_STOPPED || last->kind == EVENT_INTERRUPTED || last->kind == EVENT_STEPPED)) {
		phrase(s, change, more, sizeof more);
		size_t n = strlen(buf);
		snprintf(buf + n, cap - n, "; %s", more);
	}
}

void ui_status_draw(struct ui_screen *u)
{
	const struct ui_rect *r = &u->status;
	/* While a gdb drives, the keys that move the machine are not the
	 * user's: the hints say who drives instead. */
	const char *hints = ui_gdb_driving(u) ? " gdb drives  ? help  q quit "
			    : u->cols >= 120
		? " s step  n next  c cont  > next stage  b break  x mem  r restart  ? help  q quit "
		: " ? help  q quit ";
	char buf[400];

	if (u->mode == UI_MODE_PROMPT) {
		/* What Tab found goes on the row above, the prompt stays put. */
		if (u->message[0] && r->y > 0)
			ui_screen_put(r->y - 1, 0, r->w, ui_screen_attr(u, UI_C_DIM) | A_REVERSE, u->message, 1);
		snprintf(buf, sizeof buf, " %s: %s", u->prompt_label, u->prompt);
		ui_screen_put(r->y, 0, r->w, A_BOLD, buf, 1);
		move(r->y, (int)strlen(buf) < r->w ? (int)strlen(buf) : r->w - 1);
		return;
	}
	if (u->message[0])
		snprintf(buf, sizeof buf, " %s", u->message);
	else if (session_steps_left(u->s))
		snprintf(buf, sizeof buf, " stepping: %lu to go (Ctrl-C stops)", session_steps_left(u->s));
	else if (u->count)
		snprintf(buf, sizeof buf, " %lu", u->count);
	else if (u->s->running)	/* the story's stops on the way are no news */
		snprintf(buf, sizeof buf, " running (Ctrl-C stops)");
	else {
		buf[0] = ' ';
		ui_status_event(u->s, u->asked, buf + 1, sizeof buf - 1);
	}
	/* The message comes first: the long hints, the short ones, or none,
	 * whichever leaves it whole. */
	int len = (int)strlen(buf);
	if (len + (int)strlen(hints) > r->w)
		hints = " ? help  q quit ";
	if (len + (int)strlen(hints) > r->w)
		hints = "";
	int hw = (int)strlen(hints);
	ui_screen_put(r->y, 0, r->w - hw, u->message_is_error ? ui_screen_attr(u, UI_C_ERROR) : A_BOLD, buf, 1);
	if (hw)
		ui_screen_put(r->y, r->w - hw, hw, ui_screen_attr(u, UI_C_DIM), hints, 1);
}
