/* session_undo: a step back over a step just taken, without running the
 * boot again.
 *
 * Before a step of an instruction the architecture calls plain (arch.h:
 * it changes only general registers, the pc, and the bytes it stores),
 * the registers and the bytes it will overwrite are kept, with the
 * instruction count after it.  Going back over it is writing those back:
 * a few packets instead of a new QEMU.  Only where nothing else can have
 * changed: the access is to RAM (a device register could have answered
 * or acted), and the step took no trap (it would have written the trap
 * registers).  Each undo is checked by reading the registers again; a
 * mismatch gives the way back to session_travel.c.
 *
 * A step kept describes the boot, not one QEMU: the boot repeats itself,
 * so a step kept before a run again is still right at the same count.
 * The plugin's count does not go back: `undone` is what has been taken
 * off it since this QEMU started.
 */
#include "session.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

#define UNDO_MAX 4096	/* steps kept; the oldest make room */

int session_undo_before(struct session *s, struct session_undo_step *u)
{
	const struct code_line *in = session_insn(s, session_pc(s));

	memset(u, 0, sizeof *u);
	if (!in)
		return s->target.gone || s->target.broken ? -1 : 0;
	if ((size_t)in->len > sizeof in->bytes || !s->arch->plain ||
	    !s->arch->plain(in->bytes, (size_t)in->len, &s->regs, &u->mem))
		return 0;
	if (u->mem.len && !session_in_ram(s, u->mem.addr, u->mem.len))
		return 0;
	if (u->mem.store && (u->mem.len > sizeof u->old || target_mem_read(&s->target, u->mem.addr, u->old, u->mem.len) < 0))
		return s->target.gone || s->target.broken ? -1 : 0;
	u->regs = s->regs;
	return session_insns(s, &u->insn) == 0;	/* the count before it, for now */
}

void session_undo_after(struct session *s, struct session_undo_step *u, uint64_t pc)
{
	struct session_undo *un = &s->undo;
	uint64_t v[SESSION_STORY_VECTORS];
	size_t nv = s->arch->trap_vectors(&u->regs, v, SESSION_STORY_VECTORS);

	/* Landing on a trap vector: it may have trapped, and written the
	 * trap registers.  (A jump there is let go too.) */
	for (size_t i = 0; i < nv; i++)
		if (v[i] == pc)
			return;
	u->insn++;
	/* Newer than this point is another future now. */
	while (un->n && un->steps[un->n - 1].insn >= u->insn)
		un->n--;
	if (un->n == un->cap) {
		if (un->cap == UNDO_MAX) {
			memmove(un->steps, un->steps + 1, (un->n - 1) * sizeof *un->steps);
			un->n--;
		} else {
			size_t cap = un->cap ? un->cap * 2 : 64;
			struct session_undo_step *p = realloc(un->steps, cap * sizeof *p);

			if (!p)
				return;	/* a step fewer to undo */
			un->steps = p;
			un->cap = cap;
		}
	}
	un->steps[un->n++] = *u;
}

void session_undo_drop_after(struct session *s, uint64_t insn)
{
	while (s->undo.n && s->undo.steps[s->undo.n - 1].insn > insn)
		s->undo.n--;
}

void session_undo_end(struct session *s)
{
	free(s->undo.steps);
	memset(&s->undo, 0, sizeof s->undo);
}

/* Undo the step kept for the point now. */
static int undo_one(struct session *s, const struct session_undo_step *u)
{
	const struct arch *a = s->arch;

	if (u->mem.store && target_mem_write(&s->target, u->mem.addr, u->old, u->mem.len) < 0)
		return -1;
	for (size_t i = 0; i < a->nregs; i++) {
		enum arch_reg_kind k = a->regs[i].kind;

		if ((k == ARCH_REG_PC || k == ARCH_REG_GENERAL) && u->regs.ok[i] && s->regs.v[i] != u->regs.v[i] &&
		    target_regs_set(&s->target, s->regnum[i], u->regs.v[i]) < 0)
			return -1;
	}
	s->undo.undone++;
	if (u->mem.store)
		code_forget(&s->code);	/* the bytes may have been code */
	target_regs_drop(&s->target);	/* read back from the machine, not the cache */
	if (session_refresh_state(s) < 0)
		return -1;
	for (size_t i = 0; i < a->nregs; i++)
		if (u->regs.ok[i] && s->regs.ok[i] && s->regs.v[i] != u->regs.v[i])
			return err_set("undoing the step at 0x%" PRIx64 " left %s at 0x%" PRIx64 ", not 0x%" PRIx64,
				       u->regs.v[a->pc], a->regs[i].name, s->regs.v[i], u->regs.v[i]);
	return 0;
}

int session_undo_back(struct session *s, unsigned long *n)
{
	uint64_t now;

	while (*n && s->undo.n && session_insns(s, &now) == 0 && s->undo.steps[s->undo.n - 1].insn == now) {
		struct session_undo_step u = s->undo.steps[--s->undo.n];

		if (undo_one(s, &u) < 0)
			return -1;
		--*n;
	}
	return 0;
}
