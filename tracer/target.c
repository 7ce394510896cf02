#include "target.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "err.h"

#define MAX_RESENDS	3	/* '-' from the stub for the same packet */
#define MAX_BAD		8	/* damaged packets in a row before giving up */
#define MAX_XML		(1 << 20)
#define MAX_INCLUDES	16

static void drop_caches(struct target *t)
{
	t->gpr_valid = 0;
	if (t->reg_valid)
		memset(t->reg_valid, 0, t->nreg);
}

static int gone(struct target *t)
{
	t->gone = 1;
	t->running = 0;
	return err_set("the gdbstub closed the connection (the guest shut down, or QEMU exited)");
}

/* Give up on the connection (see struct target's broken); returns -1 with
 * the message already set, which says why. */
static int broken(struct target *t)
{
	t->broken = 1;
	return -1;
}

static int usable(struct target *t)
{
	if (t->gone)
		return err_set("QEMU is gone");
	if (t->broken)
		return err_set("the gdbstub at %s stopped answering properly earlier; quit and start again",
			       t->conn.endpoint);
	return 0;
}

/* ---- packets out and in ---------------------------------------------- */

/* Frame and send one packet.  An ack we owe rides in the same write: QEMU
 * does not wait for it, and one write per request halves the syscalls. */
static int send_packet(struct target *t, const char *payload, size_t len)
{
	int ack = t->ack_owed;
	size_t n;

	if (t->broken)		/* nothing more is asked (struct target) */
		return usable(t);
	n = rsp_frame(t->tx + 1, sizeof t->tx - 1, payload, len);
	if (n == 0)
		return err_set("request too large for one packet (%zu bytes)", len);
	t->tx_len = n;
	t->tx[0] = '+';
	t->ack_owed = 0;
	if (conn_write(&t->conn, t->tx + !ack, n + ack, t->timeout_ms) < 0)
		return errno == EPIPE || errno == ECONNRESET ? gone(t) : -1;
	return 0;
}

/* What take_packet found in the bytes already received. */
enum take { TAKE_DRY, TAKE_PACKET, TAKE_LOST };

/* Feed the received bytes to the parser until a whole packet is in
 * t->parser.pkt (TAKE_PACKET) or they run out (TAKE_DRY).  Acks are
 * skipped, a '-' resends our last packet, a damaged packet is answered
 * with '-' so the stub sends it again.
 *
 * In a batch (several requests sent in one write) neither works: the stub
 * answers '-' with its *last* packet, and resending ours would repeat the
 * whole batch.  So there a '-' or a damaged packet only takes this
 * request's place in the stream (TAKE_LOST): the caller asks again alone.
 * *resends and *bad count across calls for one reply. */
static int take_packet(struct target *t, int batch, int *resends, int *bad)
{
	while (t->rx_pos < t->rx_len) {
		size_t used;
		enum rsp_event ev = rsp_feed(&t->parser, t->rx + t->rx_pos, t->rx_len - t->rx_pos, &used);

		t->rx_pos += used;
		switch (ev) {
		case RSP_EV_PACKET:
			if (t->parser.notification)
				continue;
			t->ack_owed = 1;
			return TAKE_PACKET;
		case RSP_EV_NAK:
			if (batch)
				return TAKE_LOST;
			if (++*resends > MAX_RESENDS)
				return err_set("the gdbstub keeps rejecting our packets (checksum errors on its side)");
			if (conn_write(&t->conn, t->tx + 1, t->tx_len, t->timeout_ms) < 0)
				return -1;
			continue;
		case RSP_EV_BAD_CHECKSUM:
			if (batch)
				return TAKE_LOST;
			if (++*bad > MAX_BAD)
				return err_set("the gdbstub sends damaged packets (%d bad checksums in a row)", *bad);
			if (conn_write(&t->conn, "-", 1, t->timeout_ms) < 0)
				return -1;
			continue;
		case RSP_EV_OVERFLOW:	/* no QEMU sends that: give up */
			t->ack_owed = 1;
			err_set("the gdbstub sent a packet larger than %d bytes: is it a QEMU gdbstub?",
				RSP_MAX_PACKET);
			return broken(t);
		default:
			continue;
		}
	}
	return TAKE_DRY;
}

/* Read more bytes into rx, waiting at most timeout_ms: 1 if some came, 0 if
 * none in time, -1 on error or a closed connection (gone). */
static int fill(struct target *t, int timeout_ms)
{
	ssize_t n = conn_read(&t->conn, t->rx, sizeof t->rx, timeout_ms);

	if (n == 0)
		return gone(t);
	if (n < 0)
		return errno == EAGAIN ? 0 : -1;
	t->rx_pos = 0;
	t->rx_len = (size_t)n;
	return 1;
}

/* Wait for the next whole packet (left in t->parser.pkt): 0, or 1 when a
 * batch request lost its place (see take_packet), or -1. */
static int recv_packet_in(struct target *t, int timeout_ms, int batch)
{
	long long deadline = clock_ms() + timeout_ms;
	int resends = 0, bad = 0;

	for (;;) {
		int rc = take_packet(t, batch, &resends, &bad);

		if (rc < 0)
			return -1;
		if (rc != TAKE_DRY)
			return rc == TAKE_LOST;
		long long left = deadline - clock_ms();
		if (left <= 0) {
			err_set("the gdbstub at %s did not answer within %d ms", t->conn.endpoint, timeout_ms);
			return broken(t);
		}
		if (fill(t, (int)left) < 0)
			return -1;
	}
}

static int recv_packet(struct target *t, int timeout_ms)
{
	return recv_packet_in(t, timeout_ms, 0);
}

/* One request, one reply (left in t->parser.pkt / pkt_len). */
static int request(struct target *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int request(struct target *t, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	if (usable(t) < 0)
		return -1;
	if (t->running)
		return err_set("the CPU is running: stop it first");
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof buf)
		return err_set("request too long");
	if (send_packet(t, buf, (size_t)n) < 0)
		return -1;
	return recv_packet(t, t->timeout_ms);
}

/* Say what was asked (printf-style) and what the stub said instead. */
static int reply_error(struct target *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int reply_error(struct target *t, const char *fmt, ...)
{
	char what[128];
	int code = 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (rsp_is_error(t->parser.pkt, t->parser.pkt_len, &code))
		return err_set("%s: the gdbstub answered E%02x", what, code);
	if (t->parser.pkt_len == 0)
		return err_set("%s: the gdbstub does not support it", what);
	return err_set("%s: unexpected reply \"%.40s\"", what, t->parser.pkt);
}

/* ---- start-up ---------------------------------------------------------- */

static int read_feature(struct target *t, const char *annex, char **out, size_t *outlen)
{
	size_t len = 0, cap = 4096, chunk = t->packet_size > 64 ? t->packet_size - 8 : 256;
	char *xml = malloc(cap);

	if (!xml)
		return err_set("out of memory");
	for (;;) {
		if (request(t, "qXfer:features:read:%s:%zx,%zx", annex, len, chunk) < 0)
			goto fail;
		const char *p = t->parser.pkt;
		size_t n = t->parser.pkt_len;

		if (n == 0 || (p[0] != 'm' && p[0] != 'l')) {
			reply_error(t, "reading the target description");
			goto fail;
		}
		if (len + n > MAX_XML) {
			err_set("target description %s is larger than %d bytes", annex, MAX_XML);
			goto fail;
		}
		while (len + n + 1 > cap)
			cap *= 2;
		char *grown = realloc(xml, cap);
		if (!grown) {
			err_set("out of memory");
			goto fail;
		}
		xml = grown;
		memcpy(xml + len, p + 1, n - 1);
		len += n - 1;
		if (p[0] == 'l' || n == 1)
			break;
	}
	xml[len] = '\0';
	*out = xml;
	*outlen = len;
	return 0;
fail:
	free(xml);
	return -1;
}

/* target.xml and what it includes, depth first, in document order: the
 * order matters because a register without regnum takes the next number. */
static int read_description(struct target *t, const char *annex, int depth)
{
	char includes[MAX_INCLUDES][TDESC_HREF_MAX];
	size_t ninc = 0;
	char *xml = NULL;
	size_t len = 0;
	int rc;

	if (depth > 4)
		return err_set("target description includes nest too deep");
	if (read_feature(t, annex, &xml, &len) < 0)
		return -1;
	rc = tdesc_parse(&t->desc, xml, len, includes, MAX_INCLUDES, &ninc);
	free(xml);
	if (rc < 0)
		return err_prefix("target description %s", annex);
	for (size_t i = 0; i < ninc; i++)
		if (read_description(t, includes[i], depth + 1) < 0)
			return -1;
	return 0;
}

int target_open(struct target *t, const char *endpoint, int timeout_ms)
{
	memset(t, 0, sizeof *t);
	t->conn.fd = -1;
	t->timeout_ms = timeout_ms;
	t->packet_size = 1024;
	rsp_init(&t->parser);
	tdesc_init(&t->desc);
	if (conn_open(&t->conn, endpoint, timeout_ms) < 0)
		return -1;

	if (request(t, "qSupported:swbreak+;hwbreak+;xmlRegisters=riscv") < 0) {
		/* The first request: whatever went wrong, the likely cause is
		 * that this is no (free) gdbstub. */
		char why[256];

		snprintf(why, sizeof why, "%s", err_msg());
		return err_set("%s: is %s a QEMU gdbstub (-gdb or -s) with no other debugger attached?",
			       why, strstr(why, endpoint) ? "it" : endpoint);
	}
	const char *ps = strstr(t->parser.pkt, "PacketSize=");
	uint64_t v;
	if (ps && rsp_parse_u64(ps + 11, strcspn(ps + 11, ";"), &v) == 0 && v >= 64)
		t->packet_size = v > sizeof t->tx - 16 ? sizeof t->tx - 16 : v;
	if (!strstr(t->parser.pkt, "qXfer:features:read+"))
		return err_set("the gdbstub at %s offers no target description (qXfer:features:read): is it QEMU?",
			       endpoint);

	if (request(t, "?") < 0)
		return -1;
	struct rsp_stop stop;
	if (rsp_parse_stop(t->parser.pkt, t->parser.pkt_len, &stop) < 0)
		return err_prefix("the gdbstub's first stop reply");

	/* QEMU answers 'p' only after the client has read a feature file. */
	if (read_description(t, "target.xml", 0) < 0)
		return -1;
	if (target_regnum(t, "pc") != TARGET_PC)
		return err_set("the gdbstub's registers are not RISC-V's (no pc at number 32): is this qemu-system-riscv64?");
	for (size_t i = 0; i < t->desc.nregs; i++)
		if ((size_t)t->desc.regs[i].regnum >= t->nreg)
			t->nreg = (size_t)t->desc.regs[i].regnum + 1;
	t->reg = calloc(t->nreg, sizeof *t->reg);
	t->reg_valid = calloc(t->nreg, 1);
	if (!t->reg || !t->reg_valid)
		return err_set("out of memory");
	return 0;
}

void target_close(struct target *t)
{
	conn_close(&t->conn);
	tdesc_free(&t->desc);
	free(t->reg);
	free(t->reg_valid);
	t->reg = NULL;
	t->reg_valid = NULL;
}

int target_fd(const struct target *t)
{
	return t->conn.fd;
}

/* ---- registers ---------------------------------------------------------- */

int target_regnum(const struct target *t, const char *name)
{
	const struct tdesc_reg *r = tdesc_find(&t->desc, name);

	return r ? r->regnum : -1;
}

int target_read_gprs(struct target *t, uint64_t out[TARGET_NGPR])
{
	if (!t->gpr_valid) {
		if (request(t, "g") < 0)
			return -1;
		if (t->parser.pkt_len < TARGET_NGPR * 16)
			return reply_error(t, "reading the registers");
		for (int i = 0; i < TARGET_NGPR; i++)
			if (rsp_le_u64(t->parser.pkt + i * 16, 16, &t->gpr[i]) < 0)
				return err_set("reading the registers: register %d is malformed", i);
		t->gpr_valid = 1;
	}
	memcpy(out, t->gpr, sizeof t->gpr);
	return 0;
}

static int parse_reg_reply(struct target *t, int regnum)
{
	const struct tdesc_reg *r = tdesc_by_num(&t->desc, regnum);
	size_t want = r && r->bitsize > 0 && r->bitsize <= 64 ? (size_t)r->bitsize / 4 : 16;

	if (t->parser.pkt_len != want ||
	    rsp_le_u64(t->parser.pkt, t->parser.pkt_len, &t->reg[regnum]) < 0)
		return reply_error(t, "%s", r ? r->name : "reading a register");
	t->reg_valid[regnum] = 1;
	return 0;
}

int target_read_reg(struct target *t, int regnum, uint64_t *out)
{
	return target_read_regs(t, &regnum, 1, out);
}

int target_read_regs(struct target *t, const int *regnums, size_t n, uint64_t *out)
{
	char batch[2048];
	size_t blen = 0, pending = 0;

	for (size_t i = 0; i < n; i++) {
		int r = regnums[i];

		if (r < 0 || (size_t)r >= t->nreg)
			return err_set("no register number %d", r);
		if (r < TARGET_NGPR || t->reg_valid[r])
			continue;
		/* Frame each 'p' into one write: while the CPU is stopped the
		 * stub answers them in order, one round trip for all. */
		char p[16];
		int plen = snprintf(p, sizeof p, "p%x", r);
		size_t f = rsp_frame(batch + blen, sizeof batch - blen, p, (size_t)plen);
		if (f == 0)
			break;
		blen += f;
		pending++;
	}
	if (pending) {
		if (usable(t) < 0)
			return -1;
		if (t->running)
			return err_set("the CPU is running: stop it first");
		if (t->ack_owed && conn_write(&t->conn, "+", 1, t->timeout_ms) < 0)
			return -1;
		t->ack_owed = 0;
		if (conn_write(&t->conn, batch, blen, t->timeout_ms) < 0)
			return -1;
		/* A batch is never resent: a reply lost on the way (see
		 * recv_packet_in) is asked for again alone, below.  A single
		 * request is an ordinary one. */
		int single = pending == 1, failed = 0, got;
		if (single)
			memcpy(t->tx + 1, batch, blen);
		t->tx_len = single ? blen : 0;
		for (size_t i = 0; i < n && pending; i++) {
			int r = regnums[i];

			if (r < TARGET_NGPR || t->reg_valid[r])
				continue;
			if ((got = recv_packet_in(t, t->timeout_ms, !single)) < 0)
				return -1;
			pending--;
			if (got == 0 && parse_reg_reply(t, r) < 0)
				failed = 1;
		}
		if (failed)
			return -1;
	}
	for (size_t i = 0; i < n; i++) {
		int r = regnums[i];

		if (r < TARGET_NGPR) {
			if (!t->gpr_valid && target_read_gprs(t, t->gpr) < 0)
				return -1;
			out[i] = t->gpr[r];
		} else if (t->reg_valid[r]) {
			out[i] = t->reg[r];
		} else if (target_read_reg(t, r, &out[i]) < 0) {	/* batch was full */
			return -1;
		}
	}
	return 0;
}

/* ---- memory ------------------------------------------------------------- */

int target_read_mem(struct target *t, uint64_t addr, void *buf, size_t len)
{
	size_t chunk = (t->packet_size - 8) / 2;
	uint8_t *p = buf;

	if (chunk > 0x800)	/* QEMU refuses more in one 'm' (FACTS.md) */
		chunk = 0x800;
	while (len > 0) {
		size_t n = len < chunk ? len : chunk;

		if (request(t, "m%" PRIx64 ",%zx", addr, n) < 0)
			return -1;
		if (t->parser.pkt_len != 2 * n ||
		    rsp_hex_decode(t->parser.pkt, t->parser.pkt_len, p, n) != (int)n)
			return reply_error(t, "reading memory at 0x%" PRIx64, addr);
		addr += n;
		p += n;
		len -= n;
	}
	return 0;
}

/* ---- running ------------------------------------------------------------ */

const struct target_bp *target_break_at(const struct target *t, uint64_t addr)
{
	for (size_t i = 0; i < t->nbps; i++)
		if (t->bps[i].addr == addr)
			return &t->bps[i];
	return NULL;
}

static int z_packet(struct target *t, char op, int hw, uint64_t addr)
{
	if (request(t, "%c%d,%" PRIx64 ",4", op, hw ? 1 : 0, addr) < 0)
		return -1;
	if (strcmp(t->parser.pkt, "OK") != 0)
		return reply_error(t, "%s a breakpoint at 0x%" PRIx64, op == 'Z' ? "setting" : "clearing", addr);
	return 0;
}

int target_break_insert(struct target *t, uint64_t addr, int hw)
{
	if (target_break_at(t, addr))
		return 0;
	if (t->nbps == TARGET_MAX_BPS)
		return err_set("too many breakpoints (at most %d)", TARGET_MAX_BPS);
	if (z_packet(t, 'Z', hw, addr) < 0)
		return -1;
	t->bps[t->nbps++] = (struct target_bp){ .addr = addr, .hw = hw };
	return 0;
}

int target_break_remove(struct target *t, uint64_t addr)
{
	for (size_t i = 0; i < t->nbps; i++) {
		if (t->bps[i].addr != addr)
			continue;
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

static int wait_stop(struct target *t, struct rsp_stop *stop, int timeout_ms)
{
	return recv_packet(t, timeout_ms) < 0 ? -1 : stopped(t, stop);
}

static int raw_step(struct target *t, struct rsp_stop *stop)
{
	drop_caches(t);
	if (send_packet(t, "s", 1) < 0)
		return -1;
	return wait_stop(t, stop, t->timeout_ms);
}

/* QEMU stops again at once when the CPU resumes from a breakpoint's own
 * address, so take it out for one step and put it back. */
static int step_off_breakpoint(struct target *t, struct rsp_stop *stop, int *stepped)
{
	uint64_t pc;
	const struct target_bp *bp;

	*stepped = 0;
	if (t->nbps == 0)
		return 0;
	if (target_read_reg(t, TARGET_PC, &pc) < 0)
		return -1;
	bp = target_break_at(t, pc);
	if (!bp)
		return 0;
	int hw = bp->hw;
	if (z_packet(t, 'z', hw, pc) < 0 || raw_step(t, stop) < 0)
		return -1;
	*stepped = 1;
	return t->gone ? 0 : z_packet(t, 'Z', hw, pc);
}

int target_step(struct target *t, struct rsp_stop *stop)
{
	int stepped;

	if (step_off_breakpoint(t, stop, &stepped) < 0)
		return -1;
	return stepped ? 0 : raw_step(t, stop);
}

int target_resume(struct target *t)
{
	struct rsp_stop stop;
	int stepped;

	if (step_off_breakpoint(t, &stop, &stepped) < 0)
		return -1;
	if (t->gone)
		return gone(t);
	drop_caches(t);
	if (send_packet(t, "c", 1) < 0)
		return -1;
	t->running = 1;
	return 0;
}

int target_poll(struct target *t, struct rsp_stop *stop, int timeout_ms)
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
			return gone(t);
		if (n > 0)
			t->rx_len += (size_t)n;
		return 0;
	}
	/* Whatever has come is fed to the parser; a stop reply may arrive in
	 * pieces over several polls (the parser keeps its place), so only
	 * the first read waits. */
	int resends = 0, bad = 0, wait = timeout_ms;

	for (;;) {
		int rc = take_packet(t, 0, &resends, &bad);

		if (rc < 0)
			return -1;
		if (rc == TAKE_PACKET)
			return stopped(t, stop) < 0 ? -1 : 1;
		rc = fill(t, wait);
		if (rc <= 0)
			return rc;	/* 0: still running */
		wait = 0;
	}
}

int target_interrupt(struct target *t)
{
	if (!t->running)
		return 0;
	return conn_write(&t->conn, "\x03", 1, t->timeout_ms);
}

int target_detach(struct target *t)
{
	if (t->gone || t->broken)	/* nothing to detach from, or no one to ask */
		return 0;
	if (t->running) {
		struct rsp_stop stop;

		if (target_interrupt(t) < 0 || wait_stop(t, &stop, t->timeout_ms) < 0)
			return -1;
	}
	while (t->nbps)
		if (target_break_remove(t, t->bps[t->nbps - 1].addr) < 0)
			return -1;
	if (request(t, "D") < 0)
		return -1;
	return strcmp(t->parser.pkt, "OK") == 0 ? 0 : reply_error(t, "detaching");
}

int target_monitor(struct target *t, const char *cmd, char *out, size_t cap)
{
	char pkt[600];
	size_t len = strlen(cmd), used = 0;

	if (len > 250)
		return err_set("monitor command too long");
	memcpy(pkt, "qRcmd,", 6);
	rsp_hex_encode((const uint8_t *)cmd, len, pkt + 6);
	if (send_packet(t, pkt, 6 + 2 * len) < 0)
		return -1;
	if (cap)
		out[0] = '\0';
	for (;;) {
		if (recv_packet(t, t->timeout_ms) < 0)
			return -1;
		char text[RSP_MAX_PACKET / 2 + 1];
		int n = rsp_console_output(t->parser.pkt, t->parser.pkt_len, text, sizeof text);

		if (n < 0)
			break;
		if (cap && used + 1 < cap) {
			size_t k = (size_t)n < cap - 1 - used ? (size_t)n : cap - 1 - used;
			memcpy(out + used, text, k);
			used += k;
			out[used] = '\0';
		}
	}
	drop_caches(t);		/* system_reset and friends change everything */
	if (strcmp(t->parser.pkt, "OK") != 0)
		return reply_error(t, "monitor command");
	return 0;
}
