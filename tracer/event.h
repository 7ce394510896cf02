/* event: what happened during a session, as data.
 *
 * The session records each thing that happened -- a stage entered, a
 * breakpoint hit, steps taken, a mode change, a trap, a return from one, a
 * firmware call, a write to a system register, the guest powering off --
 * as a struct in a bounded log, in order.  The screen, the batch report
 * and the doctor each phrase events for themselves; nothing here formats
 * a message or names a key.  Events caused by one command (a step that
 * also entered a stage) share a command number, so a reader can say them
 * together.
 */
#ifndef BOOTSCOPE_EVENT_H
#define BOOTSCOPE_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "arch.h"

#define EVENT_MAX 16384	/* the newest are kept; a whole boot has about a thousand */

enum event_kind {
	EVENT_PAUSED,		/* the session began, the CPU paused at pc */
	EVENT_RESTARTED,	/* back at the reset vector, paused */
	EVENT_STAGE,		/* entered stage `stage` at pc, in mode `to` */
	EVENT_MODE,		/* the mode changed from `from` to `to` at pc */
	EVENT_STEPPED,		/* `count` instructions stepped */
	EVENT_BREAKPOINT,	/* stopped by stepping onto the breakpoint at pc */
	EVENT_RUNNING,		/* the CPU was let run */
	EVENT_STOPPED,		/* a run stopped at pc (a breakpoint, or a stop QEMU chose) */
	EVENT_INTERRUPTED,	/* a run was interrupted at pc */
	EVENT_STEPS_CANCELLED,	/* a counted step was cut short: `count` left undone */
	EVENT_BREAK_SET,	/* a breakpoint was set at addr */
	EVENT_BREAK_CLEARED,	/* ... or cleared */
	EVENT_POWER_OFF,	/* the guest shut the machine down (detail: QEMU's words) */
	EVENT_QEMU_DIED,	/* QEMU ended otherwise (detail says how) */
	EVENT_LOST,		/* the connection to a gdbstub broke (detail says how) */
	/* The boot's story (session_story.c): */
	EVENT_TRAP,		/* a trap taken at pc (trap), from `from` into `to`, to handler addr */
	EVENT_RETURN,		/* a return from a trap (name) at pc, from `from` to `to`, to addr */
	EVENT_CALL,		/* a firmware call (call) at pc; result once it came back */
	EVENT_SYSREG,		/* the instruction at pc wrote register reg: old_value -> value */
	EVENT_WAIT,		/* a wait for an interrupt at pc */
	/* Back to a point the session had passed (session_travel.c): */
	EVENT_TRAVELED,		/* the machine is now at instruction insn, pc, as it was then */
};

/* Is an event of this kind part of the boot's timeline (something the
 * machine did, which happens again when the boot is run again), rather
 * than of the session (something the user did)? */
int event_of_timeline(enum event_kind kind);

struct event {
	enum event_kind kind;
	unsigned long command;	/* the command that caused it (see above) */
	uint64_t pc;
	uint64_t addr;		/* a breakpoint's address */
	unsigned long count;	/* steps; BREAK_SET/CLEARED: 1 + the one hart it is for, 0 for all */
	int stage;		/* index of a stage entered; -1 for none */
	struct arch_mode from, to;
	char detail[200];	/* how QEMU ended, in its own words */

	unsigned long number;	/* its place in the log since event_log_init: 0, 1, ... */
	int hart;		/* the hart it happened on (an index, as the session's harts) */
	int have_insn;
	uint64_t insn;		/* instructions executed since reset (when counted) */
	const char *name;	/* the instruction: "mret", "ecall", "csr write" */
	struct arch_trap trap;
	struct arch_call call;
	int result_known;
	struct arch_call_result result;
	int again;		/* a timeline event already in the log, lived again */
	uint64_t back;		/* CALL: the caller's next instruction, where the result is read */
	uint64_t result_insn;	/* CALL: instructions since reset when the result was read */
	int reg;		/* SYSREG: an index into the architecture's registers */
	uint64_t old_value, value;
	int have_regs;
	struct arch_regs regs;	/* the story's events: the registers at pc */
};

struct event_log {
	struct event *ev;	/* a ring, grown up to EVENT_MAX */
	size_t cap, first, n;	/* its room, the oldest kept, and how many */
	unsigned long added;	/* events added since event_log_init */
	unsigned long command;	/* the current command's number */
	/* Instructions executed since reset, for each new event (NULL: not
	 * counted): 0, or -1 when unknown. */
	int (*insns)(void *ctx, uint64_t *out);
	void *insns_ctx;
	/* While mute, nothing is kept (the session is moving the machine to a
	 * point it knows).  Up to instruction `replayed`, the timeline's
	 * events are already in the log: one that comes again is kept marked
	 * `again`, for the command that lived it again, not as news of the
	 * boot.  0: none. */
	int mute;
	uint64_t replayed;
	int hart;		/* the hart new events happen on: the one that stopped */
};

/* Empty the log (its memory is kept for the next events). */
void event_log_init(struct event_log *l);

void event_log_free(struct event_log *l);

/* A new command begins: the events added from now on belong to it. */
void event_begin(struct event_log *l);

/* Append an event of this kind for the current command, at pc; the rest
 * is zero (stage -1) for the caller to fill.  Never fails: the oldest
 * event makes room.  While mute it is written to a scratch event,
 * numbered EVENT_NOT_KEPT. */
#define EVENT_NOT_KEPT ((unsigned long)-1)
struct event *event_add(struct event_log *l, enum event_kind kind, uint64_t pc);

/* How many are kept, and the i-th oldest of them (0 .. count - 1). */
size_t event_count(const struct event_log *l);
const struct event *event_at(const struct event_log *l, size_t i);

/* The event numbered n (struct event's number), or NULL if it is no
 * longer kept. */
struct event *event_numbered(struct event_log *l, unsigned long n);

/* The newest event, or NULL. */
const struct event *event_last(const struct event_log *l);

/* The newest event of this kind in the current command, or NULL. */
const struct event *event_in_command(const struct event_log *l, enum event_kind kind);

#endif
