/* report: the boot walked without a screen, as text or JSON.
 *
 * `bootscope --batch` stops at each stage's entry and records what a
 * person would look at there, then lets the kernel run to its end and
 * keeps what it printed.  Tests and scripts read the JSON form:
 *
 *   {"kernel": "...", "firmware": "...",
 *    "stages": [{"number": 1, "name": "reset vector", "entry": "0x1000",
 *                "priv": "M", "section": "...", "symbol": "...",
 *                "instruction": "auipc t0,0x0",
 *                "registers": {"pc": "0x1000", "zero": "0x0", "ra": "0x0", ...,
 *                              "mstatus": "0x...", ...}}, ...],
 *    "events": [{"kind": "sbi_call", "pc": "0x802004c4", "insn": 11845430,
 *                "from": "S", "to": "M", "symbol": "sbi_console_putchar+0x8",
 *                "extension": "legacy", "name": "console_putchar",
 *                "args": "ch='H'", "error_name": ..., "text": "SBI ..."}, ...],
 *    "end": "what ended the run", "console": "everything the guest printed"}
 *
 * With --at N, also "at": the machine after N instructions since reset,
 * reached by going back once the walk is done (session_travel.c), in the
 * same form as a stage's entry, with "insn": N.
 *
 * The events are the boot's story (session_story.c) with the stages
 * entered (once each) and the end; each kind's fields are in --help.
 */
#ifndef BOOTSCOPE_REPORT_H
#define BOOTSCOPE_REPORT_H

#include <signal.h>
#include <stdio.h>

#include "session.h"

/* What report_run prints. */
struct report_opts {
	int json;
	int timeout_ms;		/* bounds the run after the last stage (and each stage) */
	int at_set;		/* --at: the state after `at` instructions too */
	uint64_t at;
};

/* Walk the boot of a started session and print the report to out.
 * *cancel, set from a signal handler, ends the walk early.
 * Returns 0, or -1 with err_set(). */
int report_run(struct session *s, const struct report_opts *o, FILE *out, volatile sig_atomic_t *cancel);

#endif
