/* session: one tracing session -- a machine, its CPU, the images, the stages.
 *
 * It owns everything that has to be undone (QEMU, its socket, the gdb
 * connection, the images) and keeps the state the screen and the batch
 * report show: the registers at this stop and the one before, the stage and
 * privilege mode, steps per stage, the last event, and the guest's console.
 * It never draws; the UI and report.c read struct session and call the
 * commands below.
 */
#ifndef BOOTSCOPE_SESSION_H
#define BOOTSCOPE_SESSION_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "code.h"
#include "image.h"
#include "qemu.h"
#include "stage.h"
#include "target.h"

struct session_opts {
	const char *kernel;		/* ELF or raw image; NULL in attach mode without images */
	const char *symbols;		/* ELF with symbols for a raw kernel image */
	const char *bios;		/* "default", "none" or a firmware file */
	const char *bios_symbols;	/* ELF with the firmware's symbols */
	uint64_t load_addr;		/* where a raw kernel image goes */
	int load_addr_set;
	const char *attach;		/* connect to this gdbstub instead of starting QEMU */
	const char *qemu;		/* QEMU binary */
	const char *const *qemu_args;	/* extra QEMU arguments */
	int nqemu_args;
	int gdb_port;			/* 0: private unix socket */
	int timeout_ms;			/* for one gdbstub reply */
};

/* The CSRs shown and reported, in this order. */
#define SESSION_NCSR 13
extern const char *const session_csr_names[SESSION_NCSR];

/* RISC-V ABI names of x0..x31. */
extern const char *const session_gpr_names[32];

struct session_regs {
	uint64_t gpr[TARGET_NGPR];	/* x0..x31, pc */
	uint64_t priv;
	uint64_t csr[SESSION_NCSR];
	int csr_ok[SESSION_NCSR];	/* the stub has this CSR */
	int priv_ok;
};

#define SESSION_CONSOLE_MAX (256 * 1024)

struct session {
	struct session_opts opts;
	struct qemu qemu;
	int own_qemu;			/* we started it, so we stop it */
	int qemu_started;
	struct target target;
	int target_open;
	struct image *kernel, *firmware;
	struct stage_model model;
	struct code code;		/* decoded instructions, by address */

	int priv_regnum;
	int csr_regnum[SESSION_NCSR];

	struct session_regs regs, prev;	/* this stop, and the one before */
	int have_prev;
	const struct stage *stage;	/* the stage of the pc, or NULL */
	unsigned long steps[STAGE_MAX + 1];	/* steps taken in each stage */

	int running;			/* the CPU runs (after continue) */
	int ended;			/* QEMU is gone */
	int end_unexpected;		/* ...and not because the guest shut down */
	uint64_t temp_bp;		/* a breakpoint we set for ourselves */
	int temp_bp_set;
	char event[200];		/* the last thing that happened, for the status line */

	char *console;			/* what the guest printed */
	size_t console_len;
	int console_eof;

};

/* Open the images, start (or attach to) QEMU, connect, read the reset
 * vector, build the stages, and read the first stop's registers.
 * Returns 0, or -1 with err_set(); call session_end() either way. */
int session_start(struct session *s, const struct session_opts *o);

/* Undo everything session_start did, in reverse.  Idempotent. */
void session_end(struct session *s);

/* Step n instructions (stops early at a breakpoint or when QEMU ends). */
int session_step(struct session *s, unsigned long n);

/* Step, but run over a call (jal/jalr that links ra) to the instruction
 * after it.  Returns like session_continue when it had to run. */
int session_next(struct session *s);

/* Let the CPU run until a breakpoint, an interrupt or the end of QEMU.
 * Returns at once; session_poll() reports the stop. */
int session_continue(struct session *s);

/* Run to the entry of the next stage (a temporary breakpoint). */
int session_run_to_next_stage(struct session *s);

/* While running: 1 when the CPU stopped (state refreshed), 0 if it still
 * runs after timeout_ms, -1 on error.  While stopped: notices (without
 * waiting) that QEMU went away, and returns 1.  Also reads the console. */
int session_poll(struct session *s, int timeout_ms);

/* Run until stopped, QEMU ends, *cancel is set, or timeout_ms passes (then
 * interrupt).  For the batch report.  0 when it stopped or ended by
 * itself, 1 when it had to be interrupted, -1 on error. */
int session_wait(struct session *s, int timeout_ms, volatile sig_atomic_t *cancel);

/* Stop a running CPU (its stop comes through session_poll). */
int session_interrupt(struct session *s);

/* Back to the reset vector (QEMU's system_reset), paused. */
int session_restart(struct session *s);

/* Set the breakpoint at addr, or clear it if there is one.  Returns 1 if it
 * is now set, 0 if cleared, -1 on error. */
int session_break_toggle(struct session *s, uint64_t addr);

/* A symbol name (from the kernel, then the firmware), "0x..." or a hex
 * number, optionally "+OFFSET".  0 or -1 with err_set(). */
int session_resolve(struct session *s, const char *text, uint64_t *addr);

/* The instruction at addr, decoded once and cached.  NULL with err_set()
 * if memory there cannot be read or decoded. */
const struct code_line *session_insn(struct session *s, uint64_t addr);

/* Read the guest's console output that has arrived (never blocks).
 * Returns 1 if anything new came, else 0. */
int session_console_drain(struct session *s);

/* Why the guest's console cannot be shown (attach mode), or NULL. */
const char *session_console_note(const struct session *s);

/* The fds the UI's poll loop watches: the gdbstub (while running) and the
 * console; -1 where there is none. */
int session_target_fd(const struct session *s);
int session_console_fd(const struct session *s);

/* Current pc, privilege letter, and whether register i (0..32) changed at
 * the last stop. */
uint64_t session_pc(const struct session *s);
char session_mode(const struct session *s);
int session_gpr_changed(const struct session *s, int i);
int session_csr_changed(const struct session *s, int i);

#endif
