/* session_story: the boot's events -- traps, returns from them, firmware
 * calls, writes to the system registers that shape the boot -- recorded
 * while the machine runs, without stepping through it.
 *
 * Two kinds of hardware breakpoint find them (QEMU's are effectively
 * unlimited, docs/qemu-gdbstub.md):
 *  - on every instruction of the images' code that can change the story
 *    (arch->story: RISC-V's mret, sret and CSR writes to mtvec, stvec,
 *    satp, medeleg, mideleg), found by decoding the executable sections
 *    once;
 *  - on the trap vectors as they are now (arch->trap_vectors), moved
 *    whenever a write to a vector register is seen.
 * A firmware call (RISC-V's ecall) needs none of its own: it traps, and
 * the vector's stop reads it (arch->trap_call), one stop instead of two.
 * Every breakpoint costs QEMU time on every jump the guest makes
 * (docs/qemu-gdbstub.md), so the story sets no more than it must.
 * A run that stops on one of them is recorded and resumed by the
 * session: the instruction is stepped, the registers before and after
 * say what it did.  A single step over such an instruction is recorded
 * the same way, so the story does not depend on how the user moved.
 * Arriving at a vector is a trap only if it shows in the trap registers
 * (is_trap): code that merely jumps there, in a loop, gets the vector's
 * breakpoint taken out until the next return from a trap.
 *
 * wfi gets no breakpoint: stepping over it with interrupts held off (as
 * QEMU steps) could wait forever.  It is recorded when a command stops
 * on it.
 *
 * A firmware call stays open until the run comes back to the instruction
 * after it in the caller's mode; its result is read there.
 */
#include "session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

static int by_addr(const void *a, const void *b)
{
	const struct session_story_point *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

const struct session_story_point *session_story_point(const struct session *s, uint64_t addr)
{
	struct session_story_point key = { .addr = addr };

	if (!s->story.npoints)
		return NULL;
	return bsearch(&key, s->story.points, s->story.npoints, sizeof key, by_addr);
}

int session_story_vector(const struct session *s, uint64_t addr)
{
	for (size_t i = 0; i < s->story.nvectors; i++)
		if (s->story.vectors[i] == addr)
			return 1;
	return 0;
}

static int add_point(struct session_story *st, uint64_t addr, unsigned len, const struct arch_story *what)
{
	if (st->npoints == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 256;
		struct session_story_point *p = realloc(st->points, cap * sizeof *p);

		if (!p)
			return err_set("out of memory finding the boot's events");
		st->points = p;
		st->cap = cap;
	}
	st->points[st->npoints++] = (struct session_story_point){ addr, len, *what };
	return 0;
}

/* Decode [lo, hi) of img from the start, one instruction after another. */
static int scan(struct session *s, const struct image *img, uint64_t lo, uint64_t hi)
{
	const struct arch *a = s->arch;
	uint8_t b[32];

	for (uint64_t at = lo; at < hi;) {
		size_t n = a->insn_max < sizeof b ? a->insn_max : sizeof b;
		struct arch_story what;
		unsigned len;

		if (n > hi - at)
			n = (size_t)(hi - at);
		while (n > 0 && image_read(img, at, b, n) < 0)
			n--;
		len = n ? a->insn_len(b, n) : 0;
		if (len > n || (len == 0 && a->insn_align != 1))
			break;
		/* Lengths the bytes alone do not tell (x86: they depend on the
		 * mode): every byte is tried as a start.  One inside another
		 * instruction costs a breakpoint that never fires. */
		a->story(b, len ? len : n, &what);
		if (what.kind != ARCH_STORY_NONE && add_point(&s->story, at, len ? len : 1, &what) < 0)
			return -1;
		at += len ? len : 1;
	}
	return 0;
}

/* The trap registers of every mode, as they are now: what a trap must
 * change to be one (see is_trap). */
static void snapshot(struct session *s)
{
	for (int level = 0; level < SESSION_STORY_LEVELS; level++) {
		struct arch_mode m = { .known = 1, .level = level, .ring = -1, .name = "?" };
		struct arch_trap t;

		s->arch->trap(&s->regs, &m, &t);
		s->story.seen[level] = (struct session_story_seen){ t.cause, t.pc, t.value, s->story.returns[level] };
	}
}

/* Arriving at a vector is a trap, unless the code only jumped there: a
 * kernel that spins at its entry, where OpenSBI points stvec.  A trap
 * writes its mode's trap registers; the same trap again (a kernel that
 * traps, is sent back and traps again) comes after a return from that
 * mode.  1 for a trap (now the one seen), 0 for a jump. */
static int is_trap(struct session *s, const struct arch_regs *r, const struct arch_mode *now, struct arch_trap *t)
{
	s->arch->trap(r, now, t);
	if (!now->known || now->level < 0 || now->level >= SESSION_STORY_LEVELS)
		return 1;
	struct session_story_seen *seen = &s->story.seen[now->level];

	if (seen->cause == t->cause && seen->pc == t->pc && seen->value == t->value &&
	    seen->returns == s->story.returns[now->level])
		return 0;
	*seen = (struct session_story_seen){ t->cause, t->pc, t->value, s->story.returns[now->level] };
	return 1;
}

/* Breakpoints on the vectors the registers name now, off the old ones:
 * the vectors of the hart that stopped, with every other hart's. */
static int place_vectors(struct session *s)
{
	struct session_story *st = &s->story;
	int me = s->shown_hart >= 0 && s->shown_hart < TARGET_MAX_HARTS ? s->shown_hart : 0;
	uint64_t v[SESSION_STORY_VECTORS];
	size_t n = 0;

	st->hart_nvectors[me] = s->arch->trap_vectors(&s->regs, st->hart_vectors[me], SESSION_STORY_VECTORS);
	for (int h = 0; h < TARGET_MAX_HARTS; h++)
		for (size_t i = 0; i < st->hart_nvectors[h]; i++) {
			size_t k = 0;

			while (k < n && v[k] != st->hart_vectors[h][i])
				k++;
			if (k == n && n < SESSION_STORY_VECTORS)
				v[n++] = st->hart_vectors[h][i];
		}
	if (n == s->story.nvectors && memcmp(v, s->story.vectors, n * sizeof *v) == 0)
		return 0;	/* a write to another register, or the same value */
	for (size_t i = 0; i < s->story.nvectors; i++)
		if (target_run_break_remove(&s->target, s->story.vectors[i], SESSION_BP_STORY) < 0)
			return -1;
	s->story.nvectors = 0;
	s->story.parked = 0;
	for (size_t i = 0; i < n; i++) {
		if (target_run_break_insert(&s->target, v[i], 1, SESSION_BP_STORY) < 0)
			return -1;
		s->story.vectors[s->story.nvectors++] = v[i];
	}
	snapshot(s);
	return 0;
}

/* A vector that code jumps to in a loop would stop the run at every turn:
 * its breakpoint comes out until the next return from a trap. */
static int park(struct session *s, uint64_t addr)
{
	s->story.parked = 1;
	return target_run_break_remove(&s->target, addr, SESSION_BP_STORY);
}

static int unpark(struct session *s)
{
	if (!s->story.parked)
		return 0;
	s->story.parked = 0;
	for (size_t i = 0; i < s->story.nvectors; i++)
		if (target_run_break_insert(&s->target, s->story.vectors[i], 1, SESSION_BP_STORY) < 0)
			return -1;
	return 0;
}

/* A breakpoint the stub would not set: take the story's out again and go
 * on without it, unless the connection itself is lost. */
static int story_refused(struct session *s)
{
	struct session_story *st = &s->story;

	snprintf(st->off, sizeof st->off, "not recorded: %s", err_msg());
	st->on = 0;
	for (size_t i = s->target.nbps; !s->target.broken && !s->target.gone && i-- > 0;)
		if (target_run_break_remove(&s->target, s->target.bps[i].addr, SESSION_BP_STORY) < 0)
			break;
	st->nvectors = 0;
	memset(st->hart_nvectors, 0, sizeof st->hart_nvectors);
	return s->target.broken || s->target.gone ? -1 : 0;
}

static int arm(struct session *s);

/* Does a run need a breakpoint on p to see what it does?  Not a wait
 * (see above), nor a firmware call: its trap shows it at the vector. */
static int armed(const struct session_story_point *p)
{
	return p->what.kind != ARCH_STORY_WAIT && p->what.kind != ARCH_STORY_CALL;
}

int session_story_begin(struct session *s)
{
	struct session_story *st = &s->story;

	st->npoints = 0;
	st->nvectors = 0;
	memset(st->hart_nvectors, 0, sizeof st->hart_nvectors);
	memset(st->calls, 0, sizeof st->calls);
	st->off[0] = '\0';
	for (int i = 0; i < s->model.n; i++) {
		const struct image *img = s->model.stages[i].image;

		if (!img)
			continue;
		for (size_t k = 0; k < img->nsections; k++) {
			const struct image_section *sec = &img->sections[k];

			if ((sec->flags & IMAGE_EXEC) && !sec->nobits &&
			    scan(s, img, sec->addr, sec->addr + sec->size) < 0)
				return -1;
		}
		if (!img->nsections && scan(s, img, img->lo, img->hi) < 0)	/* a raw image */
			return -1;
	}
	if (st->npoints)
		qsort(st->points, st->npoints, sizeof *st->points, by_addr);
	/* A big kernel may have more of the story's instructions than the
	 * breakpoints kept (the user's need room too), and a stub may have no
	 * hardware breakpoints: then the boot goes on without its story,
	 * which is said, not a failure. */
	size_t need = SESSION_STORY_VECTORS + STAGE_MAX + TARGET_MAX_BPS / 8;
	for (size_t i = 0; i < st->npoints; i++)
		need += armed(&st->points[i]);
	if (need > TARGET_MAX_BPS) {
		snprintf(st->off, sizeof st->off,
			 "not recorded: the images hold %zu instructions of the story, more than bootscope's %d breakpoints",
			 need - SESSION_STORY_VECTORS - STAGE_MAX - TARGET_MAX_BPS / 8, TARGET_MAX_BPS);
		return 0;
	}
	st->on = 1;
	return arm(s);
}

/* The breakpoints on the story's instructions and on the vectors the
 * registers name now.  0, or story_refused()'s answer. */
static int arm(struct session *s)
{
	struct session_story *st = &s->story;
	uint64_t *at = malloc((st->npoints + STAGE_MAX) * sizeof *at);
	size_t n = 0;

	if (!at)
		return err_set("out of memory finding the boot's events");
	for (size_t i = 0; i < st->npoints; i++)
		if (armed(&st->points[i]))
			at[n++] = st->points[i].addr;
	/* The stages' entries too: a run passing one says so where it happens
	 * (session_refresh_state), not at its next stop. */
	for (int i = 0; i < s->model.n; i++)
		if (s->model.stages[i].entry_known)
			at[n++] = s->model.stages[i].entry;
	int rc = target_run_break_insert_all(&s->target, at, n, 1, SESSION_BP_STORY);

	free(at);
	st->nvectors = 0;
	memset(st->hart_nvectors, 0, sizeof st->hart_nvectors);
	st->parked = 0;
	if (rc < 0)
		return story_refused(s);
	return place_vectors(s) < 0 ? story_refused(s) : 0;
}

int session_story_resume(struct session *s, uint64_t insn)
{
	struct session_story *st = &s->story;

	if (!st->on)
		return 0;
	memset(st->returns, 0, sizeof st->returns);
	memset(st->calls, 0, sizeof st->calls);
	/* The last call before insn is open if its result was read after. */
	const struct event *last = NULL;

	for (size_t i = 0; i < event_count(&s->events); i++) {
		const struct event *e = event_at(&s->events, i);

		if (e->kind == EVENT_CALL && !e->again && e->have_insn && e->insn < insn &&
		    (!last || e->insn > last->insn))
			last = e;
	}
	if (last && (!last->result_known || last->result_insn > insn) && last->hart >= 0 &&
	    last->hart < TARGET_MAX_HARTS)
		st->calls[last->hart] = (struct session_story_call){ 1, last->number, last->regs, last->back, last->from };
	return arm(s);
}

void session_story_end(struct session *s)
{
	free(s->story.points);
	memset(&s->story, 0, sizeof s->story);
}

/* The open call of the hart that stopped. */
static struct session_story_call *call_of(struct session *s)
{
	return &s->story.calls[s->shown_hart >= 0 && s->shown_hart < TARGET_MAX_HARTS ? s->shown_hart : 0];
}

/* The firmware call a trap is (arch->trap_call), opened at the vector:
 * the call's instruction is the trap's pc, and it has been counted. */
static void record_trap_call(struct session *s, const struct arch_regs *r, const struct arch_mode *now,
			     const struct arch_trap *t, const struct arch_call *call)
{
	const struct session_story_point *p = session_story_point(s, t->pc);
	struct arch_story what = { ARCH_STORY_NONE, "", -1 };
	unsigned len = p ? p->len : 0;
	uint8_t b[32];

	if (p)
		what = p->what;
	else if (s->arch->insn_max <= sizeof b && target_mem_read(&s->target, t->pc, b, s->arch->insn_max) == 0 &&
		 (len = s->arch->insn_len(b, s->arch->insn_max)) > 0)
		s->arch->story(b, len, &what);
	struct event *e = event_add(&s->events, EVENT_CALL, t->pc);

	if (e->have_insn && e->insn > 0)
		e->insn--;
	e->name = what.name;
	e->call = *call;
	e->from = t->from;
	e->to = *now;
	e->addr = r->v[s->arch->pc];
	e->regs = *r;
	e->have_regs = 1;
	e->back = t->pc + len;
	*call_of(s) = (struct session_story_call){ 1, e->number, *r, t->pc + len, t->from };
}

/* A trap was taken: the registers now are the handler's first look.  0,
 * or -1 if it was a jump to the vector (nothing recorded). */
static int record_trap(struct session *s, const struct arch_regs *r, const struct arch_mode *now)
{
	struct arch_trap t;
	struct arch_call call;
	struct event *e;

	if (!is_trap(s, r, now, &t))
		return -1;
	s->arch->trap_call(r, &t, &call);
	if (call.known) {
		record_trap_call(s, r, now, &t, &call);
		return 0;
	}
	e = event_add(&s->events, EVENT_TRAP, t.known ? t.pc : r->v[s->arch->pc]);
	e->trap = t;
	e->from = t.from;
	e->to = *now;
	e->addr = r->v[s->arch->pc];
	e->regs = *r;
	e->have_regs = 1;
	return 0;
}

/* The open firmware call came back: the caller's next instruction. */
static void close_call(struct session *s, const struct arch_regs *r)
{
	struct session_story_call *c = call_of(s);
	struct event *e = event_numbered(&s->events, c->event);

	c->open = 0;
	if (!e)
		return;
	s->arch->call_result(&c->regs, r, &e->result);
	e->result_known = 1;
	if (session_insns(s, &e->result_insn) < 0)
		e->result_insn = 0;
}

/* The story's event for the instruction at the pc, added before it is
 * stepped (so that it comes before what the step brings, a stage entered
 * say) and filled in after; NULL if the instruction tells nothing by
 * itself (an ecall that is no firmware call: its trap will). */
static struct event *before_step(struct session *s, const struct arch_story *what, struct arch_call *call)
{
	enum event_kind kind;

	switch (what->kind) {
	case ARCH_STORY_CALL:
		s->arch->call(&s->regs, call);
		if (!call->known && !call->ext_name[0])
			return NULL;
		kind = EVENT_CALL;
		break;
	case ARCH_STORY_RETURN: kind = EVENT_RETURN; break;
	case ARCH_STORY_SYSREG: kind = EVENT_SYSREG; break;
	default: return NULL;
	}
	struct event *e = event_add(&s->events, kind, session_pc(s));

	e->name = what->name;
	e->from = s->mode;
	e->regs = s->regs;
	e->have_regs = 1;
	return e;
}

int session_story_step(struct session *s, struct rsp_stop *stop)
{
	const struct arch *a = s->arch;
	const struct session_story_point *p = session_story_point(s, session_pc(s));
	struct arch_story what = p ? p->what : (struct arch_story){ ARCH_STORY_NONE, "", -1 };
	struct arch_regs before = s->regs;
	struct arch_call call;
	struct event *e = before_step(s, &what, &call);
	unsigned long number = e ? e->number : 0;

	if (target_run_step(&s->target, stop) < 0 || s->target.gone || session_refresh_state(s) < 0)
		return -1;
	uint64_t pc = session_pc(s);

	/* The refresh may have added events, moving the log. */
	e = e ? event_numbered(&s->events, number) : NULL;
	if (e) {
		e->to = s->mode;
		e->addr = pc;
	}
	switch (e ? e->kind : EVENT_PAUSED) {
	case EVENT_CALL:
		e->call = call;
		e->back = before.v[a->pc] + p->len;
		*call_of(s) = (struct session_story_call){ 1, number, before, before.v[a->pc] + p->len, e->from };
		if (session_story_vector(s, pc)) {	/* the call is that trap */
			struct arch_trap t;

			is_trap(s, &s->regs, &s->mode, &t);
		}
		return 0;
	case EVENT_RETURN:
		if (e->from.known && e->from.level >= 0 && e->from.level < SESSION_STORY_LEVELS)
			s->story.returns[e->from.level]++;
		if (call_of(s)->open && pc == call_of(s)->ret && arch_mode_same(&s->mode, &call_of(s)->mode))
			close_call(s, &s->regs);
		return unpark(s);	/* where it lands may be a vector, but no trap */
	case EVENT_SYSREG:
		e->reg = what.reg;
		e->old_value = before.v[what.reg];
		e->value = s->regs.v[what.reg];
		if (place_vectors(s) < 0)
			return -1;
		if (pc == before.v[a->pc] + p->len)
			return 0;
		break;	/* a register that is not there: it trapped */
	default:
		break;	/* an ecall that is no firmware call */
	}
	if (session_story_vector(s, pc))
		record_trap(s, &s->regs, &s->mode);
	return 0;
}

int session_story_call(const struct session *s, struct arch_call *out)
{
	const struct session_story_point *p = session_story_point(s, session_pc(s));

	if (!p || p->what.kind != ARCH_STORY_CALL)
		return 0;
	s->arch->call(&s->regs, out);
	return out->known;
}

int session_story_check(struct session *s)
{
	if (session_story_vector(s, session_pc(s)))
		record_trap(s, &s->regs, &s->mode);
	return 0;
}

int session_story_wait(struct session *s)
{
	const struct session_story_point *p = session_story_point(s, session_pc(s));

	if (p && p->what.kind == ARCH_STORY_WAIT)
		event_add(&s->events, EVENT_WAIT, session_pc(s))->name = p->what.name;
	return 0;
}

int session_story_stop(struct session *s, struct rsp_stop *stop)
{
	uint64_t pc = session_pc(s);
	const struct session_story_point *p = session_story_point(s, pc);
	int ours = 0;

	if (!s->story.on)
		return 0;
	for (int i = 0; i < s->model.n; i++)
		if (s->model.stages[i].entry_known && s->model.stages[i].entry == pc)
			ours = 1;	/* a stage entered: recorded by the refresh */
	/* A run that stops on a vector took a trap, whatever the vector's
	 * first instruction is; one of the story's is then stepped too. */
	if (session_story_vector(s, pc)) {
		if (record_trap(s, &s->regs, &s->mode) < 0 && park(s, pc) < 0)
			return -1;
		ours = 1;
	}
	if (p && p->what.kind != ARCH_STORY_WAIT)
		return session_story_step(s, stop) < 0 ? -1 : 1;
	return ours;
}
