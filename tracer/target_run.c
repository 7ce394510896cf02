/* target_run: run control -- breakpoints, step, continue, interrupt. */
#include "target.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "target_link.h"

static struct target_bp *find(struct target *t, uint64_t addr)
{
	for (size_t i = 0; i < t->nbps; i++)
		if (t->bps[i].addr == addr)
			return &t->bps[i];
	return NULL;
}

const struct target_bp *target_run_break_at(const struct target *t, uint64_t addr)
{
	return find((struct target *)t, addr);
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

int target_run_break_insert_all(struct target *t, const uint64_t *addrs, size_t n, int hw, unsigned owner)
{
	size_t i = 0;

	while (i < n) {
		char batch[4096];
		size_t blen = 0, sent = 0, from = t->nbps;

		/* As many new ones as fit in one write and in the table. */
		for (; i < n && t->nbps + sent < TARGET_MAX_BPS; i++) {
			struct target_bp *old = find(t, addrs[i]);
			char z[48];
			size_t dup = 0;

			if (old) {
				old->owners |= owner;
				continue;
			}
			while (dup < sent && t->bps[from + dup].addr != addrs[i])
				dup++;
			if (dup < sent)
				continue;	/* twice in addrs */
			int zlen = snprintf(z, sizeof z, "Z%d,%" PRIx64 ",%d", hw ? 1 : 0, addrs[i], t->bp_kind);
			size_t f = rsp_frame(batch + blen, sizeof batch - blen, z, (size_t)zlen);
			if (f == 0)
				break;
			blen += f;
			t->bps[from + sent++] = (struct target_bp){ .addr = addrs[i], .hw = hw, .owners = owner };
		}
		if (!sent) {
			if (i < n)
				return err_set("too many breakpoints (at most %d)", TARGET_MAX_BPS);
			break;
		}
		if (target_link_send_batch(t, batch, blen, sent) < 0)
			return -1;
		/* Each reply in turn: the table keeps those the stub set, also
		 * after a refusal, so that they can be taken out again. */
		int failed = 0;
		size_t kept = from;
		for (size_t k = 0; k < sent; k++) {
			uint64_t at = t->bps[from + k].addr;
			int got = target_link_recv(t, t->timeout_ms, sent > 1);

			if (got < 0) {
				t->nbps = kept;
				return -1;
			}
			if (got == 0 && strcmp(t->parser.pkt, "OK") == 0)
				t->bps[kept++] = t->bps[from + k];
			else if (failed)
				continue;
			else if (got == 0)
				failed = target_link_error(t, "setting a breakpoint at 0x%" PRIx64, at);
			else
				failed = err_set("setting a breakpoint at 0x%" PRIx64 ": the reply was lost", at);
		}
		t->nbps = kept;
		if (failed)
			return -1;
	}
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
	snprintf(t->last_stop, sizeof t->last_stop, "%.*s", (int)t->parser.pkt_len, t->parser.pkt);
	t->running = 0;
	target_regs_drop(t);	/* perhaps another hart's now */
	if (stop->kind != RSP_STOP_SIGNAL)
		t->gone = 1;
	else
		target_harts_stopped(t, stop);
	return 0;
}

int target_run_wait(struct target *t, struct rsp_stop *stop, int timeout_ms)
{
	return target_link_recv(t, timeout_ms, 0) < 0 ? -1 : stopped(t, stop);
}

/* One hart: 's'.  Several: the hart spoken to, alone or with the others
 * running (the legacy 's' would let them run, see target_harts.c). */
static int raw_step(struct target *t, struct rsp_stop *stop)
{
	char req[64];
	int len;

	target_regs_drop(t);
	if (t->nharts < 2 || t->g_hart < 0)
		len = snprintf(req, sizeof req, "s");
	else
		len = snprintf(req, sizeof req, "vCont;s:%s%s", t->harts[t->g_hart].tid, t->step_others ? ";c" : "");
	if (target_link_send(t, req, (size_t)len) < 0)
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
	char req[64];
	int len = t->run_one && t->nharts > 1 && t->g_hart >= 0
		  ? snprintf(req, sizeof req, "vCont;c:%s", t->harts[t->g_hart].tid)
		  : snprintf(req, sizeof req, "c");

	t->run_one = 0;
	if (target_link_send(t, req, (size_t)len) < 0)
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

