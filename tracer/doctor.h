/* doctor: why does this kernel not boot?  `bootscope --check`.
 *
 * First what the files say (is it an ELF for the board's CPU, is its entry
 * where the firmware jumps, is the entry the image's first byte, does it fit in
 * RAM beside the firmware, does a raw image match its ELF), then a short
 * run on the real machine (does it reach its entry, does it trap, does it
 * spin).  Each finding carries its evidence and the fix.
 */
#ifndef BOOTSCOPE_DOCTOR_H
#define BOOTSCOPE_DOCTOR_H

#include <signal.h>
#include <stdio.h>

#include "session.h"

#define DOCTOR_MAX 32

struct doctor_finding {
	char check[24];		/* a short name: "entry", "overlap", "trap", ... */
	char problem[1200];	/* what is wrong, with the evidence */
	char fix[256];		/* what to do */
};

struct doctor {
	struct doctor_finding f[DOCTOR_MAX];
	int n;
	int ran;		/* the dynamic part ran */
	char verdict[800];	/* what the run showed when all was well */
};

/* What the files say.  Returns 0, or 1 if a finding makes running the
 * kernel pointless (not an ELF for RISC-V, unreadable). */
int doctor_static(struct doctor *d, const struct session_opts *o, const struct board *b, uint64_t ram_size);

/* Record a finding: a short name, the fix, and the problem with its
 * evidence (printf-style). */
void doctor_add(struct doctor *d, const char *check, const char *fix, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Run the started session for at most timeout_ms and say what happened. */
int doctor_dynamic(struct doctor *d, struct session *s, int timeout_ms,
		   volatile sig_atomic_t *cancel);

/* One line per finding (or the all-well verdict), or one JSON object. */
void doctor_print(const struct doctor *d, const struct session_opts *o, int json, FILE *out);

/* "name+0x10" for addr in img, or "no symbol", into buf; returns buf. */
const char *doctor_symbol(const struct image *img, uint64_t addr, char *buf, size_t cap);

#endif
