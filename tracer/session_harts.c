/* session_harts: every hart of the machine, beside the one shown.
 *
 * The session shows one hart at a time (regs, mode, stage: the one that
 * stopped, or the one selected); of the others it keeps what the harts
 * strip needs -- pc, mode, stage, whether it waits or spins -- read in two round
 * trips for all of them when the screen is about to draw. */
#include "session.h"

#include <stdio.h>
#include <string.h>

#include "err.h"

/* How far around a hart's pc to look for a wait: every wait instruction
 * (RISC-V's wfi, 4 bytes; x86's hlt, 1) is shorter. */
#define WAIT_LOOK 8

/* Is a hart waiting for an interrupt?  b holds 2 * WAIT_LOOK bytes around
 * its pc (pc in the middle): its instruction is a wait (wfi), or the one
 * just before is, since QEMU leaves a hart that waits on the instruction
 * after its wfi (docs/plugins-and-replay.md, Several harts). */
static int waits(const struct arch *a, const uint8_t *b)
{
	unsigned max = WAIT_LOOK;
	struct arch_story what;

	a->story(b + max, max, &what);
	if (what.kind == ARCH_STORY_WAIT)
		return 1;
	for (unsigned k = a->insn_align; k <= max; k += a->insn_align)
		if (a->insn_len(b + max - k, k) == k) {
			a->story(b + max - k, k, &what);
			if (what.kind == ARCH_STORY_WAIT)
				return 1;
		}
	return 0;
}

/* Is a hart spinning in a loop of a few instructions (waiting on a flag in
 * memory, or `j .`)?  b holds 2 * WAIT_LOOK bytes around its pc, as for
 * waits(): an instruction from the pc on branches back to the pc or a
 * little before it. */
static int spins(const struct arch *a, const uint8_t *b, uint64_t pc)
{
	unsigned max = WAIT_LOOK, len;

	for (unsigned off = max; off < 2 * max; off += len) {
		struct arch_flow f;

		if ((len = a->insn_len(b + off, 2 * max - off)) == 0)
			break;
		a->flow(b + off, len, pc - max + off, &f);
		if ((f.kind == ARCH_FLOW_JUMP || f.kind == ARCH_FLOW_BRANCH) && f.has_target && f.target <= pc &&
		    f.target + max >= pc)
			return 1;
	}
	return 0;
}

/* Every hart but the one shown: the registers its pc and its mode come
 * from, in one round trip, and whether it waits for an interrupt. */
void session_harts_read(struct session *s)
{
	const struct arch *a = s->arch;
	size_t per = a->npc_regs + a->nmode_regs, n = s->target.nharts;
	int nums[2 * ARCH_MAX_REGS];
	size_t idx[2 * ARCH_MAX_REGS];	/* the arch's index of each */
	uint64_t vals[TARGET_MAX_HARTS * 2 * ARCH_MAX_REGS];
	uint8_t ok[TARGET_MAX_HARTS * 2 * ARCH_MAX_REGS];

	if (n < 2)
		return;
	for (size_t i = 0; i < per; i++) {
		idx[i] = i < a->npc_regs ? a->pc_regs[i] : a->mode_regs[i - a->npc_regs];
		nums[i] = s->regnum[idx[i]];
	}
	if (target_harts_peek(&s->target, nums, per, vals, ok) < 0) {
		err_clear();	/* the strip shows them as not known */
		memset(ok, 0, sizeof ok);
	}
	uint64_t at[TARGET_MAX_HARTS];
	unsigned max = WAIT_LOOK;
	uint8_t code[TARGET_MAX_HARTS * 2 * WAIT_LOOK], code_ok[TARGET_MAX_HARTS];

	for (size_t h = 0; h < n; h++) {
		struct session_hart *me = &s->harts[h];
		struct arch_regs r = { 0 };

		if ((int)h != s->target.g_hart) {	/* that one is read in full already */
			for (size_t i = 0; i < per; i++)
				r.v[idx[i]] = vals[h * per + i], r.ok[idx[i]] = ok[h * per + i];
			arch_derive(a, &r);
			me->known = r.ok[a->pc];
			me->pc = r.v[a->pc];
			a->mode_of(&r, &me->mode);
			me->stage = stage_of(&s->model, me->pc);
		}
		at[h] = me->pc >= max ? me->pc - max : 0;
	}
	/* Each hart's code as that hart sees it: with paging on, its pc is
	 * an address of its own page tables. */
	if (target_harts_mem(&s->target, at, 2 * max, code, code_ok) < 0) {
		err_clear();
		memset(code_ok, 0, sizeof code_ok);
	}
	for (size_t h = 0; h < n; h++) {
		struct session_hart *me = &s->harts[h];
		int seen = me->known && code_ok[h] && me->pc >= max;

		me->waiting = seen && waits(s->arch, code + h * 2 * max);
		me->spinning = seen && !me->waiting && spins(s->arch, code + h * 2 * max, me->pc);
	}
}

int session_select_hart(struct session *s, int hart)
{
	if (s->ended)
		return err_set("QEMU has ended");
	if (s->running)
		return err_set("the CPU is running: stop it first");
	if (target_harts_select(&s->target, hart) < 0 || session_refresh(s) < 0)
		return -1;
	session_view_fetch(s);
	return 0;
}

void session_harts_begin(struct session *s)
{
	if (s->nharts < 2)
		return;
	session_harts_read(s);
	for (size_t h = 0; h < s->nharts; h++)
		if ((int)h != s->shown_hart && s->harts[h].known) {
			struct event *e = event_add(&s->events, EVENT_PAUSED, s->harts[h].pc);

			e->hart = (int)h;
			e->to = s->harts[h].mode;
			e->stage = s->harts[h].stage ? (int)(s->harts[h].stage - s->model.stages) : -1;
		}
}
