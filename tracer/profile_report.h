/* profile_report: `bootscope --profile`, the boot walked with the counting
 * plugin in QEMU, and where its instructions went.
 *
 * The walk is --batch's (walk.h): each stage's entry, then the kernel's
 * run until it powers the machine off or the time is up.  QEMU is then
 * ended (the plugin writes its counts on the way out) and the counts are
 * summed up (profile.h).  Printed as text or as one JSON object:
 *
 *   {"kernel", "firmware", "total",
 *    "stages": [{"number", "name", "instructions", "entered_after"}],
 *    "sections": [{"stage", "name", "addr", "instructions"}],
 *    "functions": [{"name", "addr", "stage", "named", "instructions"}],
 *    "loops": [{"head", "branch", "function", "instructions", "runs"}],
 *    "end"}
 *
 * addresses as hex strings, counts as numbers.  With an output directory
 * two more files: boot.folded (collapsed stacks, "stage;function count"
 * per line, for flamegraph.pl or speedscope) and boot.trace.json (a
 * Chrome/Perfetto trace of the stages, one microsecond of its time axis
 * standing for one instruction).
 */
#ifndef BOOTSCOPE_PROFILE_REPORT_H
#define BOOTSCOPE_PROFILE_REPORT_H

#include <signal.h>
#include <stdio.h>

#include "session.h"

/* Walk a session started with the plugin, end its QEMU and print the
 * profile to out; out_dir (or NULL) gets the two files.  0, or -1 with
 * err_set(). */
int profile_report_run(struct session *s, int json, int timeout_ms, const char *out_dir, FILE *out,
		       volatile sig_atomic_t *cancel);

#endif
