/* walk: the boot stage by stage to its end (see walk.h). */
#include "walk.h"

#include <inttypes.h>
#include <stdio.h>

#include "err.h"

void walk_take(struct session *s, struct walk_stop *r)
{
	const struct code_line *in = session_insn(s, session_pc(s));
	const char *sec;

	r->number = s->stage ? s->stage->number : 0;
	r->name = s->stage ? s->stage->name : "unknown";
	r->entry = session_pc(s);
	r->mode = s->mode.name;
	r->hart = s->shown_hart;
	sec = stage_section_of(&s->model, r->entry, NULL, NULL);
	snprintf(r->section, sizeof r->section, "%s", sec ? sec : "unknown");
	if (stage_symbol_of(&s->model, r->entry, r->symbol, sizeof r->symbol) < 0)
		snprintf(r->symbol, sizeof r->symbol, "unknown");
	snprintf(r->insn, sizeof r->insn, "%s", in ? in->text : "(unreadable)");
	r->regs = s->regs;
	r->have_icount = session_insns(s, &r->icount) == 0;
}

const char *walk_firmware(const struct session *s)
{
	return s->firmware ? s->firmware->path : s->opts.bios ? s->opts.bios : "default";
}

int walk_run(struct session *s, int timeout_ms, volatile sig_atomic_t *cancel, struct walk *w)
{
	char sym[128], *end = w->end;
	size_t endcap = sizeof w->end;
	int n = 0;

	snprintf(end, endcap, "stopped");
	walk_take(s, &w->stops[n++]);
	int lost = 0;
	while (!s->ended && !*cancel && s->stage && stage_next(&s->model, s->stage) && n <= STAGE_MAX) {
		const struct stage *next = stage_next(&s->model, s->stage);

		/* Nowhere to stop (a PC disk without its ELF: where the
		 * kernel starts is the boot loader's secret): run on. */
		if (!next->entry_known)
			break;
		if (session_run_to_next_stage(s) < 0 || session_wait(s, timeout_ms, cancel) < 0)
			return -1;
		if (s->ended || *cancel)
			break;
		if (s->stage != next || session_pc(s) != next->entry) {
			/* The boot went somewhere else: say where, do not
			 * pretend it was the next stage. */
			if (stage_symbol_of(&s->model, session_pc(s), sym, sizeof sym) < 0)
				snprintf(sym, sizeof sym, "unknown");
			snprintf(end, endcap,
				 "never reached stage %d (%s) at 0x%" PRIx64 ": stopped at 0x%" PRIx64
				 " <%s>; bootscope --check says why", next->number, next->name, next->entry,
				 session_pc(s), sym);
			lost = 1;
			break;
		}
		walk_take(s, &w->stops[n++]);
	}
	if (!s->ended && !*cancel && !lost) {
		if (session_continue(s) < 0)
			return -1;
		int rc = session_wait(s, timeout_ms, cancel);
		if (rc < 0)
			return -1;
		if (rc == 1)
			snprintf(end, endcap, "still running after %.1f s: stopped at 0x%" PRIx64,
				 timeout_ms / 1000.0, session_pc(s));
	}
	if (*cancel)
		snprintf(end, endcap, "interrupted");
	else if (s->ended)
		snprintf(end, endcap, "%s", session_end_reason(s));
	session_console_drain(s);
	/* A guest that powers off ends QEMU; anything else that ended it (a
	 * kill, a crash) is a failure of the run, not a report. */
	if (s->ended && s->end_unexpected)
		return err_set("%s", session_end_reason(s));
	w->n = n;
	return 0;
}
