/* session_travel: back to any point of the boot the session has passed.
 *
 * A boot that does not depend on time repeats itself exactly: the same
 * instructions in the same order, counted by the plugin from reset
 * (docs/plugins-and-replay.md).  So a point of the boot is named by its
 * instruction count, and the way back to it is to run the boot again in a
 * new QEMU: the state there is then the machine's own, in every register,
 * CSR and byte of memory, and stepping on from it goes the same way as
 * the first time.
 *
 * The session remembers every point it stopped at (a mark: the count and
 * the pc).  To reach count T the new run goes to the mark before T that
 * is cheapest to find -- a breakpoint on its pc, continued past the
 * earlier passes there, which the marks also count -- and steps the rest.
 * Nothing of the timeline is recorded twice on the way (event.h's mute
 * and replayed), the console is not printed twice (session.c), and the
 * story's state is taken up again at T (session_story_resume).
 *
 * Over the steps just taken, going back is quicker: session_undo.c
 * writes back what each changed.
 *
 * A boot that does depend on time (timer interrupts, a clock read) runs
 * another way the second time: the arrival is checked against the mark,
 * and a mismatch is said, not hidden.
 */
#include "session.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "err.h"

/* Steps a way back may take after its last breakpoint: about a quarter
 * of a millisecond each. */
#define TRAVEL_STEPS_MAX 20000
/* A boot that repeats itself reaches any point of the bundled one in
 * 0.1 s; one that went another way may never stop at the mark. */
#define RUN_TO_MS 10000
/* The weights of the plan: a stop at a breakpoint costs about three
 * steps (docs/qemu-gdbstub.md). */
#define STOP_COST 3

static long find(const struct session_travel *tr, uint64_t insn)
{
	size_t lo = 0, hi = tr->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (tr->marks[mid].insn < insn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (long)lo;	/* the first at or after insn */
}

/* FNV-1a over the pc and the general registers: the values the guest's
 * own instructions made, which a second run must repeat exactly.  (The
 * system registers are left out: some follow the host's clock.) */
static uint64_t digest(const struct session *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < s->arch->nregs; i++) {
		enum arch_reg_kind k = s->arch->regs[i].kind;

		if ((k != ARCH_REG_PC && k != ARCH_REG_GENERAL) || !s->regs.ok[i])
			continue;
		for (int b = 0; b < 64; b += 8)
			h = (h ^ ((s->regs.v[i] >> b) & 0xff)) * 0x100000001b3ull;
	}
	return h;
}

void session_travel_mark(struct session *s)
{
	struct session_travel *tr = &s->travel;
	uint64_t insn;

	if (session_insns(s, &insn) < 0)
		return;
	long at = find(tr, insn);

	/* This stop's events are known already up to where the boot had come
	 * before it (event.h): only one there or before may be a second. */
	s->events.replayed = tr->live_end;
	if ((size_t)at < tr->n && tr->marks[at].insn == insn)
		return;		/* passed again */
	if (tr->n == tr->cap) {
		size_t cap = tr->cap ? tr->cap * 2 : 1024;
		struct session_mark *m = realloc(tr->marks, cap * sizeof *m);

		if (!m)
			return;	/* a point fewer to come back to */
		tr->marks = m;
		tr->cap = cap;
	}
	memmove(tr->marks + at + 1, tr->marks + at, (tr->n - (size_t)at) * sizeof *tr->marks);
	tr->marks[at] = (struct session_mark){ insn, session_pc(s), digest(s) };
	tr->n++;
	if (insn > tr->live_end)
		tr->live_end = insn;
}

void session_travel_forget_future(struct session *s)
{
	uint64_t now;

	if (session_insns(s, &now) < 0)
		return;
	s->travel.n = (size_t)find(&s->travel, now + 1);
	s->travel.live_end = now;
	s->events.replayed = now;
	s->undo.n = 0;	/* the steps kept knew the machine before the change */
}

void session_travel_end(struct session *s)
{
	free(s->travel.marks);
	memset(&s->travel, 0, sizeof s->travel);
}

int session_travel_where(const struct session *s, uint64_t *now, uint64_t *behind)
{
	if (session_insns(s, now) < 0)
		return -1;
	*behind = s->travel.live_end > *now ? s->travel.live_end - *now : 0;
	return 0;
}

/* The way to T: the mark to run to, and the steps from there. */
struct plan {
	size_t mark;
	uint64_t steps;
};

struct by_pc {
	uint64_t pc, insn;
	size_t mark;
};

static int by_pc(const void *a, const void *b)
{
	const struct by_pc *x = a, *y = b;

	if (x->pc != y->pc)
		return x->pc < y->pc ? -1 : 1;
	return x->insn < y->insn ? -1 : x->insn > y->insn;
}

/* The cheapest mark at or before target: each pass over its pc before it
 * is a stop (the marks at the same pc before it count them), each
 * instruction after it a step. */
static int plan(const struct session_travel *tr, uint64_t target, struct plan *out)
{
	size_t last = (size_t)find(tr, target + 1);	/* marks [0, last) are at or before T */
	struct by_pc *order = malloc((last ? last : 1) * sizeof *order);
	unsigned long *passes = malloc((last ? last : 1) * sizeof *passes);
	uint64_t best = UINT64_MAX;

	if (!order || !passes) {
		free(order);
		free(passes);
		return err_set("out of memory planning the way back");
	}
	for (size_t i = 0; i < last; i++)
		order[i] = (struct by_pc){ tr->marks[i].pc, tr->marks[i].insn, i };
	qsort(order, last, sizeof *order, by_pc);
	for (size_t k = 0; k < last; k++)
		passes[order[k].mark] = k > 0 && order[k - 1].pc == order[k].pc ? passes[order[k - 1].mark] + 1 : 0;
	for (size_t i = 0; i < last; i++) {
		uint64_t steps = target - tr->marks[i].insn;
		uint64_t cost = (uint64_t)(passes[i] + 1) * STOP_COST + steps;

		if (cost < best) {
			best = cost;
			*out = (struct plan){ i, steps };
		}
	}
	free(order);
	free(passes);
	if (best == UINT64_MAX)
		return err_set("no point of the boot is known before instruction %" PRIu64, target);
	return 0;
}

/* The second run is not the first: said, with where it parted. */
static int another_way(uint64_t insn, uint64_t pc, const char *how)
{
	return err_set("the boot went another way the second time (at instruction %" PRIu64 ", 0x%" PRIx64
		       ", %s): it depends on time (timer interrupts) or input, so bootscope cannot go back in it",
		       insn, pc, how);
}

/* Run the new QEMU to mark m: a breakpoint at its pc, continued until the
 * count is the mark's. */
static int run_to(struct session *s, const struct session_mark *m)
{
	struct rsp_stop stop;
	uint64_t insn;

	if (session_insns(s, &insn) < 0)
		return -1;
	if (insn == m->insn)
		return 0;
	if (target_run_break_insert(&s->target, m->pc, 1, SESSION_BP_TEMP) < 0)
		return -1;
	int rc = 0;
	while (rc == 0 && insn < m->insn) {
		long long deadline = clock_ms() + RUN_TO_MS;

		if (target_run_resume(&s->target) < 0)
			rc = -1;
		else {
			while ((rc = target_run_poll(&s->target, &stop, 50)) == 0 && clock_ms() < deadline)
				;
		}
		if (rc == 0) {
			/* Not back there in time: stopped, and said. */
			if (target_run_interrupt(&s->target) == 0)
				(void)target_run_wait(&s->target, &stop, 2000);
			rc = another_way(m->insn, m->pc, "the run did not come back there within 10 s");
		} else if (rc > 0)
			rc = 0;
		if (rc == 0 && s->target.gone)
			rc = err_set("the boot ended on the way back, before instruction %" PRIu64, m->insn);
		else if (rc == 0 && session_insns(s, &insn) < 0)
			rc = -1;
	}
	if (s->target.gone || s->target.broken || target_run_break_remove(&s->target, m->pc, SESSION_BP_TEMP) < 0 ||
	    rc < 0)
		return -1;
	if (insn != m->insn)
		return another_way(m->insn, m->pc, "passed without a stop there");
	return 0;
}

static int step_n(struct session *s, uint64_t n)
{
	struct rsp_stop stop;

	for (uint64_t i = 0; i < n; i++) {
		if (target_run_step(&s->target, &stop) < 0)
			return -1;
		if (s->target.gone)
			return err_set("the boot ended on the way back");
	}
	return 0;
}

/* The user's breakpoints, to set again in the new QEMU. */
static size_t user_breaks(const struct session *s, uint64_t *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < s->target.nbps && n < max; i++)
		if (s->target.bps[i].owners & SESSION_BP_USER)
			out[n++] = s->target.bps[i].addr;
	return n;
}

static int go(struct session *s, uint64_t target, const struct plan *p, const uint64_t *user, size_t nuser)
{
	struct session_mark to = s->travel.marks[p->mark];
	uint64_t at;

	if (session_machine_restart(s) < 0 || run_to(s, &to) < 0 || session_refresh_state(s) < 0)
		return -1;
	if (digest(s) != to.digest)
		return another_way(to.insn, to.pc, "the registers differ from the first time");
	if (step_n(s, p->steps) < 0)
		return -1;
	if (session_refresh(s) < 0 || session_insns(s, &at) < 0)
		return -1;
	/* The mark the run went to, and T if it is one, must be as they were. */
	long i = find(&s->travel, target);
	const struct session_mark *was = (size_t)i < s->travel.n && s->travel.marks[i].insn == target
						 ? &s->travel.marks[i] : NULL;
	if (at != target || (was && (was->pc != session_pc(s) || was->digest != digest(s))))
		return another_way(at, session_pc(s), "the registers differ from the first time");
	if (target_run_break_insert_all(&s->target, user, nuser, 1, SESSION_BP_USER) < 0)
		return -1;
	session_undo_drop_after(s, target);
	return session_story_resume(s, target);
}

int session_travel_to(struct session *s, uint64_t target)
{
	uint64_t now, user[TARGET_MAX_BPS];
	struct plan p = { 0 };

	if (!s->own_qemu)
		return err_set("going back runs the boot again in a new QEMU, and this one bootscope did not start "
			       "(attach mode): start it with bootscope instead");
	if (s->nharts > 1)	/* harts race: a second run need not come the same way */
		return err_set("going back follows one hart: with %zu harts a run again need not come the same way",
			       s->nharts);
	if (s->running)
		return err_set("the CPU is running: stop it first");
	if (session_insns(s, &now) < 0)
		return err_set("going back needs the instruction count, which needs the counting plugin (%s)",
			       s->opts.plugin ? "it did not load" : "not found");
	if (target > s->travel.live_end)
		return err_set("instruction %" PRIu64 " has not been reached yet (the boot has come to %" PRIu64 ")",
			       target, s->travel.live_end);
	if (target == now && !s->ended)
		return 0;
	if (plan(&s->travel, target, &p) < 0)
		return -1;
	if (p.steps > TRAVEL_STEPS_MAX)
		return err_set("the nearest point bootscope stopped at before instruction %" PRIu64
			       " is %" PRIu64 " instructions earlier, too many to step (at most %d): "
			       "stop nearer to it first (a breakpoint, or an event)",
			       target, p.steps, TRAVEL_STEPS_MAX);
	size_t nuser = user_breaks(s, user, TARGET_MAX_BPS);

	s->steps_left = 0;
	/* On the way nothing is new: the log takes nothing. */
	event_begin(&s->events);
	s->events.mute = 1;
	int rc = go(s, target, &p, user, nuser);

	s->events.mute = 0;
	if (rc < 0) {
		/* Where the new run got to is where the machine is now: shown,
		 * with the breakpoints and the story taken up there. */
		char why[512];
		uint64_t at;

		snprintf(why, sizeof why, "%s", err_msg());
		if (s->target_open && !s->target.gone && !s->target.broken && session_refresh(s) >= 0 &&
		    session_insns(s, &at) == 0 &&
		    target_run_break_insert_all(&s->target, user, nuser, 1, SESSION_BP_USER) == 0)
			session_story_resume(s, at);
		return err_set("%s", why);
	}
	struct event *e = event_add(&s->events, EVENT_TRAVELED, session_pc(s));

	e->count = (unsigned long)(now > target ? now - target : target - now);
	return 0;
}

int session_step_back(struct session *s, unsigned long n)
{
	uint64_t now, target;
	unsigned long left = n;

	if (session_insns(s, &now) < 0 || s->nharts > 1)
		return session_travel_to(s, 0);	/* says why */
	if (now == 0)
		return err_set("at the reset vector: there is nothing before it");
	target = now > n ? now - n : 0;
	if (s->running || s->ended)
		return session_travel_to(s, target);
	/* Over steps just taken, by writing back what they changed; the rest
	 * (or all, if an undo did not check out) the long way. */
	event_begin(&s->events);
	if (session_undo_back(s, &left) < 0 || left)
		return session_travel_to(s, target);
	session_view_fetch(s);
	struct event *e = event_add(&s->events, EVENT_TRAVELED, session_pc(s));

	e->count = n;
	return 0;
}

int session_run_back(struct session *s)
{
	uint64_t now, to = 0;

	if (session_insns(s, &now) < 0)
		return session_travel_to(s, 0);
	if (now == 0)
		return err_set("at the reset vector: there is nothing before it");
	/* The last event of the boot's story before now, or the last point
	 * where a command (not a step) ended. */
	for (size_t i = event_count(&s->events); i-- > 0;) {
		const struct event *e = event_at(&s->events, i);

		if (!e->have_insn || e->insn >= now || e->insn <= to)
			continue;
		if (event_of_timeline(e->kind) || e->kind == EVENT_STOPPED || e->kind == EVENT_BREAKPOINT ||
		    e->kind == EVENT_INTERRUPTED || e->kind == EVENT_TRAVELED)
			to = e->insn;
	}
	return session_travel_to(s, to);
}
