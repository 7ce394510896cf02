/* target: the remote CPU behind a gdbstub.
 *
 * Everything above these files asks for "register 32", "256 bytes at
 * 0x1000" or "one step"; only target_*.c turn those into RSP requests
 * (through rsp.c) and send them (through conn.c).  What is learnt at a stop
 * -- any register read -- is cached until the CPU runs again, so callers
 * may ask as often as they like.
 *
 * The register table is not built in: it comes from the stub's own
 * target.xml (numbers, names, sizes), and a 'g' reply is read by those
 * sizes, so nothing here knows an architecture.  The files:
 *	target.c	connecting, the target description, monitor, detach
 *	target_link.c	packets out and in: acks, resends, damaged packets
 *	target_regs.c	registers ('g', batched 'p')
 *	target_mem.c	memory ('m')
 *	target_run.c	run control: step, continue, interrupt, breakpoints
 *	target_harts.c	the harts, and which one is spoken to
 */
#ifndef BOOTSCOPE_TARGET_H
#define BOOTSCOPE_TARGET_H

#include <stddef.h>
#include <stdint.h>

#include "conn.h"
#include "rsp.h"
#include "tdesc.h"

#define TARGET_MAX_BPS	1024	/* QEMU's own limit is memory; the boot's story needs hundreds */

struct target_bp {
	uint64_t addr;
	int hw;			/* Z1 (hardware) rather than Z0 */
	unsigned owners;	/* who set it (see target_run_break_insert) */
};

#define TARGET_WAIT_SLICE_MS 50
#define TARGET_MAX_HARTS 16	/* QEMU's virt machine takes at most 8 (512 with aclint) */

struct target_hart {
	char tid[24];		/* the thread id the stub gave ("p01.02"); "" for a lone hart */
};

struct target {
	struct conn conn;
	struct rsp_parser parser;
	int timeout_ms;		/* for any one reply while stopped */
	/* Called every TARGET_WAIT_SLICE_MS while a reply is awaited with the
	 * CPU stopped (NULL: just wait), so a screen can stay alive: nonzero
	 * gives the wait up, and the link with it (see broken). */
	int (*waiting)(void *ctx, int waited_ms, int limit_ms);
	void *waiting_ctx;
	size_t packet_size;	/* the stub's PacketSize */
	struct tdesc desc;
	int pc_regnum;		/* for stepping off a breakpoint; -1 unknown */
	int bp_kind;		/* Z packets' kind */

	int running;		/* a 'c' is outstanding */
	int gone;		/* the stub closed the connection or exited */
	int lost;		/* ... in the middle of a packet */
	/* A reply did not come in time, or came unusable: the replies are
	 * out of step with the requests now, so nothing more is asked
	 * (and no one waits for another time-out on the way out). */
	int broken;

	/* Register values by regnum, valid until the CPU runs. */
	uint64_t *reg;
	uint8_t *reg_valid;
	uint16_t *reg_bits;	/* each regnum's size from the description; 0 none */
	size_t nreg;
	int g_count;		/* 'g' carries regnums [0, g_count); -1 until seen */
	char g_raw[2048];	/* this stop's 'g' reply as the stub sent it ... */
	size_t g_raw_len;	/* ... 0 when there is none */

	struct target_hart harts[TARGET_MAX_HARTS];
	size_t nharts;		/* at least 1 once open */
	int g_hart;		/* the hart 'g', 'p' and a step speak to */
	char stop_tid[32];	/* the thread the last stop reply named, or "" */
	int step_others;	/* a step lets the other harts run meanwhile */
	int run_one;		/* the next resume runs hart g_hart alone (a gdb's vCont;c:ID) */

	struct target_bp bps[TARGET_MAX_BPS];
	size_t nbps;
	char last_stop[128];	/* the last stop reply as the stub sent it */

	/* I/O buffers: unparsed input, and the last packet sent (for '-'). */
	char rx[8192];
	size_t rx_pos, rx_len;
	char tx[8192];
	size_t tx_len;
	int ack_owed;		/* we received a packet and have not '+'d it */
};

/* Connect, negotiate (qSupported), and read the register description.
 * Returns 0 (then target_close() ends it), or -1 with err_set() and
 * nothing left open.  target_close() may be called again all the same. */
int target_open(struct target *t, const char *endpoint, int timeout_ms);
void target_close(struct target *t);

/* What the architecture says: which register is the pc (to step off a
 * breakpoint) and the kind Z packets carry. */
void target_configure(struct target *t, int pc_regnum, int bp_kind);

/* The regnum of a register by name ("pc", "priv", "mstatus"), or -1. */
int target_regnum(const struct target *t, const char *name);

/* The <architecture> the description names ("riscv:rv64"), or "". */
const char *target_arch(const struct target *t);

/* A QEMU monitor command through qRcmd; its output goes to out. */
int target_monitor(struct target *t, const char *cmd, char *out, size_t cap);

/* Pass a request of someone else's (a gdb's, session_gdb.c) to the stub
 * as it is, and each packet of the answer to each(): one, or for qRcmd
 * the console output ('O' packets) and then the last.  The cached
 * registers are forgotten unless the request only reads ('g', 'm', 'p',
 * a query), and an 'Hg' that is answered OK selects that hart.  0, or -1
 * with err_set() (each's -1 ends it too). */
int target_relay(struct target *t, const char *pkt, size_t len,
		 int (*each)(void *ctx, const char *reply, size_t len), void *ctx);

/* Take out every breakpoint and let the CPU go ('D'), leaving the stub as
 * a debugger found it.  For attach mode, where the QEMU is someone else's. */
int target_detach(struct target *t);

/* ---- target_harts.c ---- */

/* Ask the stub for its harts (qfThreadInfo/qsThreadInfo).  0 or -1. */
int target_harts_read(struct target *t);

/* The index of the hart with this thread id, or -1. */
int target_harts_find(const struct target *t, const char *tid);

/* The same for an id as a client writes it ("p1.2" for QEMU's "p01.02"),
 * len characters; -1 also for "every thread" (-1). */
int target_harts_find_id(const struct target *t, const char *id, size_t len);

/* Speak to hart i from now on ('Hg'); its registers are read afresh.  A
 * stop makes the hart that stopped the one spoken to.  0 or -1. */
int target_harts_select(struct target *t, int i);

/* A stop reply came: the hart it names is the one spoken to now. */
void target_harts_stopped(struct target *t, const struct rsp_stop *stop);

/* n registers of every hart, in one round trip: out[h * n + r], ok[] the
 * same way (0 where a value could not be read).  Nothing is read with
 * one hart.  The hart spoken to stays the same.  0 or -1. */
int target_harts_peek(struct target *t, const int *regnums, size_t n, uint64_t *out, uint8_t *ok);

/* len bytes at addrs[h] as each hart h sees them (through its own page
 * tables), in one round trip: out[h * len ...], ok[h].  0 or -1. */
int target_harts_mem(struct target *t, const uint64_t *addrs, size_t len, uint8_t *out, uint8_t *ok);

/* The fd to poll while the CPU runs. */
int target_fd(const struct target *t);

/* Read n registers by regnum: 'g' once per stop for those it carries,
 * the others as 'p' requests sent together and answered in one round
 * trip.  0, or -1 if any failed. */
int target_regs_read(struct target *t, const int *regnums, size_t n, uint64_t *out);

/* One register.  0 or -1. */
int target_regs_get(struct target *t, int regnum, uint64_t *out);

/* Write one register ('P', the value little-endian in the register's
 * size).  0, or -1 with err_set(). */
int target_regs_set(struct target *t, int regnum, uint64_t value);

/* This stop's 'g' reply, as the stub sent it (read if it is not known):
 * for a gdb that asks for it through bootscope.  0, or -1. */
int target_regs_g(struct target *t, const char **raw, size_t *len);

/* Forget every register value (the CPU runs, or was reset). */
void target_regs_drop(struct target *t);

/* len bytes of memory at addr.  0, or -1 with err_set(). */
int target_mem_read(struct target *t, uint64_t addr, void *buf, size_t len);

/* Write len bytes (at most 64) at addr ('M').  0, or -1 with err_set(). */
int target_mem_write(struct target *t, uint64_t addr, const void *buf, size_t len);

/* One instruction, stepping off a breakpoint at the pc if there is one.
 * Fills *stop.  0, or -1 (check t->gone: QEMU ended). */
int target_run_step(struct target *t, struct rsp_stop *stop);

/* Let the CPU run ('c').  Returns at once; then poll the fd and call
 * target_run_poll().  0 or -1. */
int target_run_resume(struct target *t);

/* While running: read what arrived, waiting at most timeout_ms.  1 with
 * *stop filled when the CPU stopped, 0 if it still runs, -1 on error or
 * when QEMU went away (t->gone).  While stopped it only notices, without
 * waiting, a connection that closed (-1, t->gone); else 0. */
int target_run_poll(struct target *t, struct rsp_stop *stop, int timeout_ms);

/* Wait for the stop reply of a step or an interrupt.  0 or -1. */
int target_run_wait(struct target *t, struct rsp_stop *stop, int timeout_ms);

/* Ask a running CPU to stop (0x03); its stop reply comes through
 * target_run_poll(). */
int target_run_interrupt(struct target *t);

/* Breakpoints have owners (bits of the caller's choosing: the user's, a
 * temporary one, the boot's story): one address set by several owners is
 * one breakpoint in the stub, removed when its last owner lets it go. */
int target_run_break_insert(struct target *t, uint64_t addr, int hw, unsigned owner);
/* The same for n addresses, asked for in as few writes as fit: one
 * round trip for hundreds.  On a refusal, those set before it stay. */
int target_run_break_insert_all(struct target *t, const uint64_t *addrs, size_t n, int hw, unsigned owner);
int target_run_break_remove(struct target *t, uint64_t addr, unsigned owner);
const struct target_bp *target_run_break_at(const struct target *t, uint64_t addr);

/* The breakpoint at addr if owner holds it, else NULL. */
const struct target_bp *target_run_break_of(const struct target *t, uint64_t addr, unsigned owner);

#endif
