/* walk: the boot of a started session, stage by stage, to its end.
 *
 * Without a screen (--batch, --profile) the boot is walked the same way:
 * stop at each stage's entry and record what a person would look at
 * there, then let the kernel run until it powers the machine off or the
 * time is up.  The callers print what the walk kept.
 */
#ifndef BOOTSCOPE_WALK_H
#define BOOTSCOPE_WALK_H

#include <signal.h>

#include "session.h"

/* What the machine looked like at a stage's entry. */
struct walk_stop {
	int number;
	const char *name;
	uint64_t entry;
	const char *mode;
	int hart;		/* the hart that entered it (an index into the session's harts) */
	char section[64];
	char symbol[128];
	char insn[80];
	struct arch_regs regs;
	int have_icount;
	uint64_t icount;	/* instructions executed before it (session_insns) */
};

struct walk {
	struct walk_stop stops[STAGE_MAX + 1];
	int n;
	char end[256];		/* what ended the run, in words */
};

/* What the machine looks like now, as at a stage's entry. */
void walk_take(struct session *s, struct walk_stop *r);

/* The firmware the walk ran, as its reports name it: the ELF with its
 * symbols, else what --bios said. */
const char *walk_firmware(const struct session *s);

/* Walk the boot.  timeout_ms bounds each stage's run and the run after
 * the last one; *cancel, set from a signal handler, ends the walk early.
 * Returns 0, or -1 with err_set() (also when QEMU ended other than by the
 * guest powering off). */
int walk_run(struct session *s, int timeout_ms, volatile sig_atomic_t *cancel, struct walk *w);

#endif
