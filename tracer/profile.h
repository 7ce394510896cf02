/* profile: where the instructions of a run went.
 *
 * The counting plugin (plugin/count.c) loaded into QEMU counts every
 * executed instruction by its address and writes the counts when QEMU
 * ends.  This module reads that file and sums the counts up the way the
 * rest of bootscope names code: per stage, per section, per function,
 * and the loops that ran most.
 *
 * Functions come from the images' symbols.  Stripped code (Debian's
 * OpenSBI keeps a handful of symbols) gets its functions from the run
 * itself: every call the run executed whose target the instruction
 * encodes (jal) starts a function, named by its address.  Calls through a
 * register (function pointers) are not seen that way; their code counts
 * towards the function before it.
 */
#ifndef BOOTSCOPE_PROFILE_H
#define BOOTSCOPE_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "stage.h"

struct profile_insn {
	uint64_t addr;
	uint64_t count;
};

/* Harts counted one by one (the plugin's harts=on, with -smp N). */
#define PROFILE_MAX_HARTS 8

/* One hart's share of an instruction's count. */
struct profile_hinsn {
	int hart;
	uint64_t addr;
	uint64_t count;
};

/* The plugin's file. */
struct profile {
	uint64_t total;
	struct profile_insn *insns;	/* ascending by address */
	size_t n;
	/* By hart, when the plugin counted so: the harts that ran, their
	 * totals, and their shares of insns. */
	size_t nharts;
	uint64_t hart_total[PROFILE_MAX_HARTS];
	struct profile_hinsn *hinsns;
	size_t nh;
};

/* One hart's instructions, in all and per stage (as stages[] below). */
struct profile_hart {
	uint64_t total;
	uint64_t stage[STAGE_MAX + 1];
};

/* One line of a table: a stage, a section or a function. */
struct profile_row {
	char name[64];
	uint64_t addr;		/* a section's or function's first address */
	uint64_t count;
	int stage;		/* index into the stage model; -1 outside every stage */
	int named;		/* a function with a symbol (else named by its address) */
};

/* A loop: the code from a backward branch's target (head) to the branch. */
struct profile_loop {
	uint64_t head, branch;
	uint64_t count;		/* instructions executed in [head, branch] */
	uint64_t runs;		/* how often the branch itself ran */
	char function[64];
};

struct profile_summary {
	uint64_t total;
	struct profile_row stages[STAGE_MAX + 1];	/* each stage, then "elsewhere" */
	size_t nstages;
	struct profile_hart harts[PROFILE_MAX_HARTS];	/* when counted by hart */
	size_t nharts;
	struct profile_row *sections;	/* hottest first */
	size_t nsections;
	struct profile_row *functions;	/* hottest first */
	size_t nfunctions;
	struct profile_loop *loops;	/* hottest first */
	size_t nloops;
};

/* Read the plugin's file.  0, or -1 with err_set() naming what is wrong
 * with it; *p is empty then. */
int profile_load(struct profile *p, const char *path);

void profile_free(struct profile *p);

/* How often the instruction at addr ran (0 if never). */
uint64_t profile_count_at(const struct profile *p, uint64_t addr);

/* Sum p up over the stage model; instruction bytes for finding calls and
 * branches come from the stages' images, decoded by a.  0, or -1 with
 * err_set() (out of memory). */
int profile_summarize(const struct profile *p, const struct stage_model *m, const struct arch *a,
		      struct profile_summary *out);

void profile_summary_free(struct profile_summary *s);

#endif
