/* target_run: run control -- breakpoints, step, continue, interrupt. */
#include "target.h"

#include <inttypes.h>
#include <string.h>

#include "err.h"
#include "target_link.h"

const struct target_bp *target_run_break_at(const struct target *t, uint64_t addr)
{
	for (size_t i = 0; i < t->nbps; i++)
		if (t->bps[i].addr == addr)
			return &t->bps[i];
	return NULL;
}

static int z_packet(struct target *t, char op, int hw, uint64_t addr)
{
	if (target_link_request(t, "%c%d,%" PRIx64 ",%d", op, hw ? 1 : 0, addr, t->bp_kind) < 0)
		return -1;
	if (strcmp(t->parser.pkt, "OK") != 0)
		return target_link_error(t, "%s a breakpoint at 0x%" PRIx64, op == 'Z' ? "setting" : "clearing", addr);
	return 0;
}

const struct target_bp *target_run_break_of(const struct target *t, uint64_t addr, unsigned owner)
{
	const struct target_bp *bp = target_run_break_at(t, addr);

	return bp && (bp->owners & owner) ? bp : NULL;
}

int target_run_break_insert(struct target *t, uint64_t addr, int hw, unsigned owner)
{
	for (size_t i = 0; i < t->nbps; i++)
		if (t->bps[i].addr == addr) {
			t->bps[i].owners |= owner;
			return 0;
		}
	if (t->nbps == TARGET_MAX_BPS)
		return err_set("too many breakpoints (at most %d)", TARGET_MAX_BPS);
	if (z_packet(t, 'Z', hw, addr) < 0)
		return -1;
	t->bps[t->nbps++] = (struct target_bp){ .addr = addr, .hw = hw, .owners = owner };
	return 0;
}

int target_run_break_remove(struct target *t, uint64_t addr, unsigned owner)
{
	for (size_t i = 0; i < t->nbps; i++) {
		if (t->bps[i].addr != addr)
			continue;
		if ((t->bps[i].owners &= ~owner) != 0)
			return 0;
		if (!t->gone && z_packet(t, 'z', t->bps[i].hw, addr) < 0)
			return -1;
		t->bps[i] = t->bps[--t->nbps];
		return 0;
	}
	return 0;
}

/* The packet in t->parser.pkt is a stop reply: the CPU no longer runs
 * (and after W or X, there is no CPU at all). */
static int stopped(struct target *t, struct rsp_stop *stop)
{
	if (rsp_parse_stop(t->parser.pkt, t->parser.pkt_len, stop) < 0)
		return err_prefix("the gdbstub's stop reply");
	t->running = 0;
	if (stop->kind != RSP_STOP_SIGNAL)
		t->gone = 1;
	return 0;
}

int target_run_wait(struct target *t, struct rsp_stop *stop, int timeout_ms)
{
	return target_link_recv(t, timeout_ms, 0) < 0 ? -1 : stopped(t, stop);
}

static int raw_step(struct target *t, struct rsp_stop *stop)
{
	target_regs_drop(t);
	if (target_link_send(t, "s", 1) < 0)
		return -1;
	return target_run_wait(t, stop, t->timeout_ms);
}

/* QEMU stops again at once when the CPU continues from a breakpoint's
 * own address, but a step from there executes the instruction
 * (docs/qemu-gdbstub.md): so one step first, the breakpoint left in. */
static int step_off_breakpoint(struct target *t, struct rsp_stop *stop)
{
	uint64_t pc;

	if (t->nbps == 0 || t->pc_regnum < 0)
		return 0;
	if (target_regs_get(t, t->pc_regnum, &pc) < 0)
		return -1;
	return target_run_break_at(t, pc) ? raw_step(t, stop) : 0;
}

int target_run_step(struct target *t, struct rsp_stop *stop)
{
	return raw_step(t, stop);
}

int target_run_resume(struct target *t)
{
	struct rsp_stop stop;

	if (step_off_breakpoint(t, &stop) < 0)
		return -1;
	if (t->gone)
		return target_link_gone(t);
	target_regs_drop(t);
	if (target_link_send(t, "c", 1) < 0)
		return -1;
	t->running = 1;
	return 0;
}

int target_run_poll(struct target *t, struct rsp_stop *stop, int timeout_ms)
{
	if (!t->running) {
		/* Stopped: only the end of the connection can arrive (QEMU
		 * died or was killed).  Anything else waits in rx. */
		if (t->gone || t->rx_len == sizeof t->rx)
			return t->gone ? -1 : 0;
		if (t->rx_pos == t->rx_len)
			t->rx_pos = t->rx_len = 0;
		ssize_t n = conn_read(&t->conn, t->rx + t->rx_len, sizeof t->rx - t->rx_len, 0);
		if (n == 0)
			return target_link_gone(t);
		if (n > 0)
			t->rx_len += (size_t)n;
		return 0;
	}
	/* Whatever has come is fed to the parser; a stop reply may arrive in
	 * pieces over several polls (the parser keeps its place), so only
	 * the first read waits. */
	int resends = 0, bad = 0, wait = timeout_ms;

	for (;;) {
		int rc = target_link_take(t, 0, &resends, &bad);

		if (rc < 0)
			return -1;
		if (rc == TARGET_LINK_PACKET)
			return stopped(t, stop) < 0 ? -1 : 1;
		rc = target_link_fill(t, wait);
		if (rc <= 0)
			return rc;	/* 0: still running */
		wait = 0;
	}
}

int target_run_interrupt(struct target *t)
{
	if (!t->running)
		return 0;
	return target_link_write(t, "\x03", 1);
}

