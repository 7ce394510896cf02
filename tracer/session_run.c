/* session_run: moving the machine -- steps, runs, stages, breakpoints. */
#include "session.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "bytes.h"
#include "clock.h"
#include "err.h"

#define STEP_TO_STAGE_LIMIT	200000	/* when no entry address is known */
#define INTERRUPT_WAIT_MS	2000	/* QEMU stops within ~1 ms of 0x03 */

static int ready(struct session *s)
{
	if (s->ended)
		return err_set("QEMU has ended");
	if (s->running)
		return err_set("the CPU is running: stop it first");
	return 0;
}

/* The hart a user breakpoint at addr is for: -1 for every hart. */
static int bp_hart(const struct session *s, uint64_t addr)
{
	for (size_t i = 0; i < s->nhart_bps; i++)
		if (s->hart_bps[i].addr == addr)
			return s->hart_bps[i].hart;
	return -1;
}

/* A user breakpoint at the pc that stops the hart shown (the one that
 * stopped, or stepped). */
static int user_bp_here(const struct session *s)
{
	int h = bp_hart(s, session_pc(s));

	return target_run_break_of(&s->target, session_pc(s), SESSION_BP_USER) && (h < 0 || h == s->shown_hart);
}

static int stage_index(const struct session *s, const struct stage *st)
{
	return st ? (int)(st - s->model.stages) : -1;
}

/* n steps without events: counted per stage, ending early at a
 * breakpoint or when QEMU ends.  The number taken goes to *done. */
static int step_n(struct session *s, unsigned long n, unsigned long *done)
{
	struct rsp_stop stop;
	int fresh = 0;	/* s->regs are this stop's (0), or only the pc (-1) */

	/* A short counted step keeps each step to be undone (session_undo.c),
	 * which needs the registers before each. */
	int keep = n <= SESSION_UNDO_STEPS, undoable = 0;
	struct session_undo_step u;

	*done = 0;
	for (unsigned long i = 0; i < n; i++) {
		const struct stage *st = stage_of(&s->model, session_pc(s));
		int story = s->story.on && session_story_point(s, session_pc(s));

		/* The story's instructions are stepped with the registers
		 * before and after, to be recorded; between other steps only
		 * the pc is read. */
		if ((story || keep) && fresh < 0 && session_refresh_state(s) < 0)
			return -1;
		if (!story && keep && (undoable = session_undo_before(s, &u)) < 0)
			return -1;
		if ((story ? session_story_step(s, &stop) : target_run_step(&s->target, &stop)) < 0 ||
		    s->target.gone) {
			if (s->target.gone) {
				session_note_end(s);
				return 0;
			}
			return -1;
		}
		fresh = story ? 0 : -1;
		if (st)
			s->steps[stage_index(s, st)]++;
		++*done;
		if (i + 1 == n)
			break;	/* the refresh below reads it all */
		if (fresh < 0) {
			/* Enough to count per stage, to stop at a breakpoint
			 * and to see a trap taken. */
			if (session_read_pc(s) < 0)
				return -1;
			if (undoable)
				session_undo_after(s, &u, session_pc(s));
			undoable = 0;
			if (s->story.on && session_story_vector(s, session_pc(s))) {
				if (session_refresh_state(s) < 0 || session_story_check(s) < 0)
					return -1;
				fresh = 0;
			}
		}
		if (user_bp_here(s))
			break;
	}
	if (session_refresh(s) < 0)
		return -1;
	if (undoable && !s->ended)
		session_undo_after(s, &u, session_pc(s));
	/* After a plain step, the story learns now what it took. */
	if (s->story.on && fresh < 0 && session_story_check(s) < 0)
		return -1;
	return s->story.on ? session_story_wait(s) : 0;
}

/* The event that ends a step: at a breakpoint, or so many steps. */
static void stepped(struct session *s, unsigned long done)
{
	if (s->ended)
		return;
	if (user_bp_here(s))
		event_add(&s->events, EVENT_BREAKPOINT, session_pc(s))->addr = session_pc(s);
	else
		event_add(&s->events, EVENT_STEPPED, session_pc(s))->count = done;
}

int session_step(struct session *s, unsigned long n)
{
	unsigned long done;

	if (ready(s) < 0)
		return -1;
	s->steps_left = 0;	/* ... and to a new step */
	event_begin(&s->events);
	if (step_n(s, n, &done) < 0)
		return -1;
	stepped(s, done);
	return 0;
}

int session_steps_begin(struct session *s, unsigned long n)
{
	if (n <= SESSION_STEP_CHUNK)
		return session_step(s, n);
	if (ready(s) < 0)
		return -1;
	event_begin(&s->events);
	s->steps_left = n;
	s->steps_done = 0;
	return 0;
}

int session_steps_run(struct session *s)
{
	unsigned long chunk = s->steps_left < SESSION_STEP_CHUNK ? s->steps_left : SESSION_STEP_CHUNK;
	unsigned long done;
	uint64_t before = session_pc(s);

	if (!s->steps_left)
		return 0;
	if (step_n(s, chunk, &done) < 0) {
		s->steps_left = 0;
		return -1;
	}
	s->steps_left -= chunk;
	s->steps_done += done;
	/* A breakpoint, or the end of QEMU, ends it early. */
	if (s->ended || (session_pc(s) != before && user_bp_here(s)))
		s->steps_left = 0;
	if (!s->steps_left)
		stepped(s, s->steps_done);
	return 0;
}

unsigned long session_steps_left(const struct session *s)
{
	return s->steps_left;
}

unsigned long session_steps_cancel(struct session *s)
{
	unsigned long left = s->steps_left;

	if (left) {
		s->steps_left = 0;
		event_add(&s->events, EVENT_STEPS_CANCELLED, session_pc(s))->count = left;
	}
	return left;
}

static int set_temp_bp(struct session *s, uint64_t addr)
{
	if (target_run_break_insert(&s->target, addr, 0, SESSION_BP_TEMP) < 0)
		return -1;
	s->temp_bp = addr;
	s->temp_bp_set = 1;
	return 0;
}

static int clear_temp_bp(struct session *s)
{
	if (!s->temp_bp_set)
		return 0;
	s->temp_bp_set = 0;
	return s->target.gone ? 0 : target_run_break_remove(&s->target, s->temp_bp, SESSION_BP_TEMP);
}

/* The run should stop here: the user's breakpoint, or the temporary one. */
static int wanted_stop(const struct session *s)
{
	return user_bp_here(s) ||
	       target_run_break_of(&s->target, session_pc(s), SESSION_BP_TEMP | SESSION_BP_GDB) != NULL;
}

static int finish_stop(struct session *s, const struct rsp_stop *stop);
static int go_on(struct session *s);
static int asked_event(struct session *s, unsigned long since);

/* Recorded steps over story instructions at the pc, one after another,
 * until the pc is on none (or where the run should stop): a resume
 * would step the first unseen.  s->regs must be fresh.  0, or -1. */
static int story_through(struct session *s, struct rsp_stop *stop)
{
	const struct session_story_point *p;

	/* Bounded: an instruction of the story that returned to itself
	 * would hold the run here. */
	for (int i = 0; i < 64 && s->story.on && (p = session_story_point(s, session_pc(s))) &&
			p->what.kind != ARCH_STORY_WAIT; i++) {
		if (session_story_step(s, stop) < 0)
			return s->target.gone ? 0 : -1;
		if (s->target.gone || wanted_stop(s))
			break;
	}
	return 0;
}

static int resume(struct session *s)
{
	struct rsp_stop stop = { .signal_or_status = 5 };
	uint64_t from = session_pc(s);
	unsigned long since = s->events.added;

	s->steps_left = 0;	/* a counted step gives way to the run */
	s->interrupt_asked = 0;	/* a Ctrl-C for a run before this one is spent */
	if (story_through(s, &stop) < 0)
		return -1;
	if (s->target.gone) {
		session_note_end(s);
		return 0;
	}
	if (session_pc(s) != from && (wanted_stop(s) || asked_event(s, since)))
		return finish_stop(s, &stop) < 0 ? -1 : 0;
	code_forget(&s->code);	/* the guest may write code while it runs */
	event_add(&s->events, EVENT_RUNNING, session_pc(s));
	return go_on(s) < 0 ? -1 : 0;
}

int session_continue(struct session *s)
{
	if (ready(s) < 0)
		return -1;
	event_begin(&s->events);
	return resume(s);
}

int session_run_to_event(struct session *s, unsigned kinds, int mode_change)
{
	if (ready(s) < 0)
		return -1;
	if (!s->story.on)
		return err_set("the boot's events are %s", s->story.off[0] ? s->story.off : "not recorded (--no-events)");
	event_begin(&s->events);
	s->story.stop_kinds = kinds;
	s->story.stop_mode_change = mode_change;
	return resume(s);
}

int session_next(struct session *s)
{
	uint64_t pc = session_pc(s);
	const struct code_line *in;
	uint8_t b[32];

	if (ready(s) < 0)
		return -1;
	in = session_insn(s, pc);
	if (!in || (size_t)in->len > sizeof b || target_mem_read(&s->target, pc, b, (size_t)in->len) < 0 ||
	    !arch_is_call(s->arch, b, (size_t)in->len))
		return session_step(s, 1);
	event_begin(&s->events);
	if (set_temp_bp(s, pc + (uint64_t)in->len) < 0)
		return -1;
	return resume(s);
}

int session_run_to_next_stage(struct session *s)
{
	const struct stage *next, *from = s->stage;
	unsigned long done;

	if (ready(s) < 0)
		return -1;
	if (!from)
		return err_set("the pc 0x%" PRIx64 " is in no known stage", session_pc(s));
	next = stage_next(&s->model, from);
	if (!next)
		return err_set("already in the last stage (%s)", from->name);
	event_begin(&s->events);
	if (next->entry_known) {
		if (set_temp_bp(s, next->entry) < 0)
			return -1;
		return resume(s);
	}
	/* No address to stop at: walk until the pc leaves this stage. */
	for (int i = 0; i < STEP_TO_STAGE_LIMIT && !s->ended; i++) {
		if (step_n(s, 1, &done) < 0)
			return -1;
		if (s->stage != from) {
			stepped(s, (unsigned long)i + 1);
			return 0;
		}
	}
	if (s->ended)
		return 0;
	return err_set("stage %d did not end within %d instructions", from->number, STEP_TO_STAGE_LIMIT);
}

/* Did the story record, since event number `since`, an event the run
 * was asked to stop after (session_run_to_event)? */
static int asked_event(struct session *s, unsigned long since)
{
	for (unsigned long n = since; s->story.stop_kinds && n < s->events.added; n++) {
		const struct event *e = event_numbered(&s->events, n);

		if (e && (s->story.stop_kinds & (1u << e->kind)) &&
		    (!s->story.stop_mode_change || !arch_mode_same(&e->from, &e->to)))
			return 1;
	}
	return 0;
}

static int stopped(struct session *s, const struct rsp_stop *stop, int off);

/* The run goes on after a stop no one asked for: 0, or 1 if the command
 * ended (QEMU ended, or where a step off a breakpoint landed is a stop).
 * QEMU would stop again at once at a breakpoint under the pc, so the
 * run begins with one step; that step may land on another breakpoint,
 * or take a trap the story records, and is judged like a run's stop.
 * Bounded, for a loop of breakpoints (a hart spinning on one): the
 * target then steps off the last without looking. */
static int go_on(struct session *s)
{
	for (int i = 0; i < 16 && !s->target.gone && target_run_break_at(&s->target, session_pc(s)); i++) {
		struct rsp_stop stop;

		if (target_run_step(&s->target, &stop) < 0 && !s->target.gone)
			return -1;
		if (s->target.gone)
			break;
		int rc = stopped(s, &stop, 1);
		if (rc != 2)
			return rc;
	}
	if (s->target.gone || target_run_resume(&s->target) < 0) {
		if (!s->target.gone)
			return -1;
		session_note_end(s);
		return 1;
	}
	s->running = 1;
	return 0;
}

/* A run stopped, or (off) a step off a breakpoint on the way.  A stop
 * that is only the story's is recorded and the run goes on (0; after a
 * step off, 2: the caller goes on), a plain step off as well; else the
 * stop is the command's end (1). */
static int stopped(struct session *s, const struct rsp_stop *stop, int off)
{
	s->running = 0;
	if (session_refresh_state(s) < 0)
		return -1;
	/* A breakpoint of the user's for another hart than the one that
	 * came by: no stop, as for the story's own. */
	int other = stop->signal_or_status == 5 && !wanted_stop(s) &&
		    (off || target_run_break_of(&s->target, session_pc(s), SESSION_BP_USER));

	if (s->story.on && stop->signal_or_status == 5 && !wanted_stop(s)) {
		struct rsp_stop st = *stop;
		long long t0 = clock_ms();
		unsigned long since = s->events.added;
		int ours = session_story_stop(s, &st);

		if ((ours < 0 && !s->target.gone) || (ours > 0 && story_through(s, &st) < 0))
			return -1;
		if (s->target.gone) {
			session_note_end(s);
			return 1;
		}
		s->story.ms += clock_ms() - t0;
		if (s->interrupt_asked)
			st.signal_or_status = 2;	/* it stops here, as asked */
		else if ((ours > 0 || other) && !wanted_stop(s) && !asked_event(s, since))
			return off ? 2 : go_on(s);
		return finish_stop(s, &st);
	}
	if (other && !s->interrupt_asked)
		return off ? 2 : go_on(s);
	return finish_stop(s, stop);
}

/* The end of a command that ran: s->regs are the stop's. */
static int finish_stop(struct session *s, const struct rsp_stop *stop)
{
	s->stop_signal = stop->signal_or_status;
	s->running = 0;
	s->interrupt_asked = 0;
	s->story.stop_kinds = 0;
	if (clear_temp_bp(s) < 0)
		return -1;
	session_view_fetch(s);
	if (s->story.on)
		session_story_wait(s);
	event_add(&s->events, stop->signal_or_status == 5 ? EVENT_STOPPED : EVENT_INTERRUPTED, session_pc(s));
	return 1;
}

int session_poll(struct session *s, int timeout_ms)
{
	struct rsp_stop stop;
	int rc;

	session_console_drain(s);
	if (s->ended)
		return 1;
	if (!s->running) {
		if (target_run_poll(&s->target, &stop, 0) < 0 && s->target.gone)
			session_note_end(s);
		return 1;
	}
	rc = target_run_poll(&s->target, &stop, timeout_ms);
	if (rc < 0 || s->target.gone) {
		if (s->target.gone) {
			session_note_end(s);
			return 1;
		}
		return -1;
	}
	if (rc == 0)
		return 0;
	return stopped(s, &stop, 0);
}

int session_wait(struct session *s, int timeout_ms, volatile sig_atomic_t *cancel)
{
	long long deadline = clock_ms() + timeout_ms, story0 = s->story.ms;

	/* The time the session spent recording the story's stops is not the
	 * guest's: the deadline moves by it. */
	while (s->running && !*cancel && clock_ms() < deadline + (s->story.ms - story0))
		if (session_poll(s, 50) < 0)
			return -1;
	if (!s->running)
		return 0;
	if (session_interrupt(s) < 0)
		return -1;
	deadline = clock_ms() + INTERRUPT_WAIT_MS;
	while (s->running && clock_ms() < deadline)
		if (session_poll(s, 50) < 0)
			return -1;
	if (s->running) {
		s->target.broken = 1;	/* so ending asks nothing more of it */
		return err_set("the CPU did not stop when asked to: the gdbstub at %s did not answer an interrupt within 2 s",
			       s->target.conn.endpoint);
	}
	return 1;
}

int session_interrupt(struct session *s)
{
	if (!s->running)
		return 0;
	/* The 0x03 may reach QEMU while it is stopped at one of the story's
	 * breakpoints, where it does nothing: the session must not run on. */
	s->interrupt_asked = 1;
	return target_run_interrupt(&s->target);
}

int session_break_toggle(struct session *s, uint64_t addr, int hart)
{
	struct event *e;
	int was = bp_hart(s, addr);

	if (ready(s) < 0)
		return -1;
	if (hart >= (int)s->nharts)
		return err_set("no hart %d: the machine has %zu (0 to %zu)", hart, s->nharts, s->nharts - 1);
	event_begin(&s->events);
	if (target_run_break_of(&s->target, addr, SESSION_BP_USER)) {
		if (target_run_break_remove(&s->target, addr, SESSION_BP_USER) < 0)
			return -1;
		for (size_t i = 0; i < s->nhart_bps; i++)
			if (s->hart_bps[i].addr == addr)
				s->hart_bps[i] = s->hart_bps[--s->nhart_bps];
		e = event_add(&s->events, EVENT_BREAK_CLEARED, session_pc(s));
		e->addr = addr;
		e->count = (unsigned long)(was + 1);
		return 0;
	}
	if (hart >= 0 && s->nhart_bps == SESSION_HART_BPS)
		return err_set("too many breakpoints for one hart (at most %d)", SESSION_HART_BPS);
	if (target_run_break_insert(&s->target, addr, 0, SESSION_BP_USER) < 0)
		return -1;
	if (hart >= 0) {
		s->hart_bps[s->nhart_bps].addr = addr;
		s->hart_bps[s->nhart_bps++].hart = hart;
	}
	e = event_add(&s->events, EVENT_BREAK_SET, session_pc(s));
	e->addr = addr;
	e->count = (unsigned long)(hart + 1);
	return 1;
}

int session_break_at(const struct session *s, uint64_t addr)
{
	return target_run_break_of(&s->target, addr, SESSION_BP_USER) != NULL;
}

int session_resolve(struct session *s, const char *text, uint64_t *addr)
{
	char name[128];
	const char *plus = strchr(text, '+');
	size_t len = plus ? (size_t)(plus - text) : strlen(text);
	uint64_t off = 0, v;

	while (len && text[len - 1] == ' ')
		len--;
	if (len == 0 || len >= sizeof name)
		return err_set("type a symbol name or an address");
	memcpy(name, text, len);
	name[len] = '\0';
	if (plus && bytes_parse_u64(plus + 1, 0, &off) < 0)
		return err_set("bad offset in \"%s\"", text);
	const struct image_symbol *sym = NULL;
	if (s->kernel)
		sym = image_symbol_named(s->kernel, name);
	if (!sym && s->firmware)
		sym = image_symbol_named(s->firmware, name);
	if (sym) {
		*addr = sym->addr + off;
		return 0;
	}
	if (bytes_parse_u64(name, 16, &v) < 0)
		return err_set("no symbol or address \"%s\"", name);
	*addr = v + off;
	return 0;
}
