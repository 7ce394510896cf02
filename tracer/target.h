/* target: the remote RISC-V CPU behind a gdbstub.
 *
 * Everything above this file asks for "the registers", "256 bytes at
 * 0x1000" or "one step"; only this file turns those into RSP requests
 * (through rsp.c) and sends them (through conn.c).  What it learns at a
 * stop -- the general registers, any other register read -- is cached
 * until the CPU runs again, so the UI can ask as often as it draws.
 *
 * The register table is not built in: it comes from the stub's own
 * target.xml, so `priv` and every CSR QEMU offers can be read by name.
 */
#ifndef BOOTSCOPE_TARGET_H
#define BOOTSCOPE_TARGET_H

#include <stddef.h>
#include <stdint.h>

#include "conn.h"
#include "rsp.h"
#include "tdesc.h"

#define TARGET_NGPR	33	/* x0..x31 and pc, as 'g' sends them */
#define TARGET_PC	32	/* pc's place in that array, and its regnum */
#define TARGET_MAX_BPS	64

struct target_bp {
	uint64_t addr;
	int hw;			/* Z1 (hardware) rather than Z0 */
};

struct target {
	struct conn conn;
	struct rsp_parser parser;
	int timeout_ms;		/* for any one reply while stopped */
	size_t packet_size;	/* the stub's PacketSize */
	struct tdesc desc;

	int running;		/* a 'c' is outstanding */
	int gone;		/* the stub closed the connection or exited */
	/* A reply did not come in time, or came unusable: the replies are
	 * out of step with the requests now, so nothing more is asked
	 * (and no one waits for another time-out on the way out). */
	int broken;

	/* Per-stop caches, dropped whenever the CPU runs. */
	uint64_t gpr[TARGET_NGPR];
	int gpr_valid;
	uint64_t *reg;		/* indexed by regnum, nreg long */
	uint8_t *reg_valid;
	size_t nreg;

	struct target_bp bps[TARGET_MAX_BPS];
	size_t nbps;

	/* I/O buffers: unparsed input, and the last packet sent (for '-'). */
	char rx[8192];
	size_t rx_pos, rx_len;
	char tx[8192];
	size_t tx_len;
	int ack_owed;		/* we received a packet and have not '+'d it */
};

/* Connect, negotiate (qSupported), and read the register description.
 * Returns 0, or -1 with err_set(); target_close() is needed either way. */
int target_open(struct target *t, const char *endpoint, int timeout_ms);
void target_close(struct target *t);

/* The regnum of a register by name ("pc", "priv", "mstatus"), or -1. */
int target_regnum(const struct target *t, const char *name);

/* x0..x31 and pc ('g', once per stop).  0 or -1. */
int target_read_gprs(struct target *t, uint64_t out[TARGET_NGPR]);

/* Any register by number (from the 'g' cache, else 'p', cached).  0 or -1. */
int target_read_reg(struct target *t, int regnum, uint64_t *out);

/* Read n registers with one round trip: the requests go out together and
 * the replies are matched in order.  0, or -1 if any failed. */
int target_read_regs(struct target *t, const int *regnums, size_t n, uint64_t *out);

int target_read_mem(struct target *t, uint64_t addr, void *buf, size_t len);

/* One instruction, stepping off a breakpoint at the pc if there is one.
 * Fills *stop.  0, or -1 (check t->gone: QEMU ended). */
int target_step(struct target *t, struct rsp_stop *stop);

/* Let the CPU run ('c').  Returns at once; then poll the fd and call
 * target_poll().  0 or -1. */
int target_resume(struct target *t);

/* While running: read what arrived, waiting at most timeout_ms.  1 with
 * *stop filled when the CPU stopped, 0 if it still runs, -1 on error or
 * when QEMU went away (t->gone).  While stopped it only notices, without
 * waiting, a connection that closed (-1, t->gone); else 0. */
int target_poll(struct target *t, struct rsp_stop *stop, int timeout_ms);

/* Ask a running CPU to stop (0x03); its stop reply comes through
 * target_poll(). */
int target_interrupt(struct target *t);

int target_break_insert(struct target *t, uint64_t addr, int hw);
int target_break_remove(struct target *t, uint64_t addr);
const struct target_bp *target_break_at(const struct target *t, uint64_t addr);

/* Take out every breakpoint and let the CPU go ('D'), leaving the stub as
 * a debugger found it.  For attach mode, where the QEMU is someone else's. */
int target_detach(struct target *t);

/* A QEMU monitor command through qRcmd; its output goes to out. */
int target_monitor(struct target *t, const char *cmd, char *out, size_t cap);

/* The fd to poll while the CPU runs. */
int target_fd(const struct target *t);

#endif
