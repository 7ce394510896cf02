/* target: connecting to the stub, its target description, and the
 * requests that are about the session rather than the CPU (see target.h). */
#include "target.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "target_link.h"

#define MAX_XML		(1 << 20)
#define MAX_INCLUDES	16

static int read_feature(struct target *t, const char *annex, char **out, size_t *outlen)
{
	size_t len = 0, cap = 4096, chunk = t->packet_size > 64 ? t->packet_size - 8 : 256;
	char *xml = malloc(cap);

	if (!xml)
		return err_set("out of memory");
	for (;;) {
		if (target_link_request(t, "qXfer:features:read:%s:%zx,%zx", annex, len, chunk) < 0)
			goto fail;
		const char *p = t->parser.pkt;
		size_t n = t->parser.pkt_len;

		if (n == 0 || (p[0] != 'm' && p[0] != 'l')) {
			target_link_error(t, "reading the target description");
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

/* A stop reply ("T02thread:01;", "S05"): never the answer to a query. */
static int is_stop_reply(const struct target *t)
{
	struct rsp_stop stop;

	return t->parser.pkt_len > 0 && (t->parser.pkt[0] == 'T' || t->parser.pkt[0] == 'S') &&
	       rsp_parse_stop(t->parser.pkt, t->parser.pkt_len, &stop) == 0;
}

/* qSupported, and its answer.  A QEMU whose machine runs when we connect
 * (started without -S, or left running by a debugger before us) stops it
 * and says so with a stop reply nobody asked for.  It comes before any
 * answer; a qSupported answer is never a stop reply, so it is skipped. */
static int negotiate(struct target *t, const char *endpoint)
{
	int rc = target_link_request(t, "qSupported:swbreak+;hwbreak+;xmlRegisters=riscv");

	for (int i = 0; rc == 0 && i < 4 && is_stop_reply(t); i++)
		rc = target_link_recv(t, t->timeout_ms, 0);
	if (rc < 0) {
		/* The first request: whatever went wrong, the likely cause is
		 * that this is no (free) gdbstub. */
		char why[256];

		snprintf(why, sizeof why, "%s", err_msg());
		return err_set("%s: is %s a QEMU gdbstub (-gdb or -s) with no other debugger attached?",
			       why, strstr(why, endpoint) ? "it" : endpoint);
	}
	return 0;
}

static int open_target(struct target *t, const char *endpoint, int timeout_ms)
{
	memset(t, 0, sizeof *t);
	t->conn.fd = -1;
	t->timeout_ms = timeout_ms;
	t->packet_size = 1024;
	t->pc_regnum = -1;
	t->g_count = -1;
	rsp_init(&t->parser);
	tdesc_init(&t->desc);
	if (conn_open(&t->conn, endpoint, timeout_ms) < 0)
		return -1;

	if (negotiate(t, endpoint) < 0)
		return -1;
	const char *ps = strstr(t->parser.pkt, "PacketSize=");
	uint64_t v;
	if (ps && rsp_parse_u64(ps + 11, strcspn(ps + 11, ";"), &v) == 0 && v >= 64)
		t->packet_size = v > sizeof t->tx - 16 ? sizeof t->tx - 16 : v;
	if (!strstr(t->parser.pkt, "qXfer:features:read+"))
		return err_set("the gdbstub at %s offers no target description (qXfer:features:read): is it QEMU?",
			       endpoint);

	if (target_link_request(t, "?") < 0)
		return -1;
	struct rsp_stop stop;
	if (rsp_parse_stop(t->parser.pkt, t->parser.pkt_len, &stop) < 0)
		return err_prefix("the gdbstub's first stop reply");
	snprintf(t->last_stop, sizeof t->last_stop, "%.*s", (int)t->parser.pkt_len, t->parser.pkt);
	target_harts_stopped(t, &stop);

	/* QEMU answers 'p' only after the client has read a feature file. */
	if (read_description(t, "target.xml", 0) < 0)
		return -1;
	for (size_t i = 0; i < t->desc.nregs; i++)
		if ((size_t)t->desc.regs[i].regnum >= t->nreg)
			t->nreg = (size_t)t->desc.regs[i].regnum + 1;
	t->reg = calloc(t->nreg ? t->nreg : 1, sizeof *t->reg);
	t->reg_valid = calloc(t->nreg ? t->nreg : 1, 1);
	t->reg_bits = calloc(t->nreg ? t->nreg : 1, sizeof *t->reg_bits);
	if (!t->reg || !t->reg_valid || !t->reg_bits)
		return err_set("out of memory");
	/* The first of two registers with one number wins, as in tdesc_by_num. */
	for (size_t i = t->desc.nregs; i-- > 0;) {
		const struct tdesc_reg *r = &t->desc.regs[i];

		if (r->regnum >= 0 && r->bitsize > 0 && r->bitsize <= 0xffff)
			t->reg_bits[r->regnum] = (uint16_t)r->bitsize;
	}
	return target_harts_read(t);
}

/* On failure it undoes itself: the socket and the description go. */
int target_open(struct target *t, const char *endpoint, int timeout_ms)
{
	if (open_target(t, endpoint, timeout_ms) == 0)
		return 0;
	target_close(t);
	return -1;
}

void target_close(struct target *t)
{
	conn_close(&t->conn);
	tdesc_free(&t->desc);
	free(t->reg);
	free(t->reg_valid);
	free(t->reg_bits);
	t->reg = NULL;
	t->reg_valid = NULL;
	t->reg_bits = NULL;
}

void target_configure(struct target *t, int pc_regnum, int bp_kind)
{
	t->pc_regnum = pc_regnum;
	t->bp_kind = bp_kind;
}

int target_regnum(const struct target *t, const char *name)
{
	const struct tdesc_reg *r = tdesc_find(&t->desc, name);

	return r ? r->regnum : -1;
}

const char *target_arch(const struct target *t)
{
	return t->desc.arch;
}

int target_fd(const struct target *t)
{
	return t->conn.fd;
}

int target_monitor(struct target *t, const char *cmd, char *out, size_t cap)
{
	char pkt[600];
	size_t len = strlen(cmd), used = 0;

	if (len > 250)
		return err_set("monitor command too long");
	memcpy(pkt, "qRcmd,", 6);
	rsp_hex_encode((const uint8_t *)cmd, len, pkt + 6);
	if (target_link_send(t, pkt, 6 + 2 * len) < 0)
		return -1;
	if (cap)
		out[0] = '\0';
	for (;;) {
		if (target_link_recv(t, t->timeout_ms, 0) < 0)
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
	target_regs_drop(t);		/* system_reset and friends change everything */
	if (strcmp(t->parser.pkt, "OK") != 0)
		return target_link_error(t, "monitor command");
	return 0;
}

int target_relay(struct target *t, const char *pkt, size_t len,
		 int (*each)(void *ctx, const char *reply, size_t len), void *ctx)
{
	int monitor = len >= 6 && memcmp(pkt, "qRcmd,", 6) == 0;

	if (target_link_usable(t) < 0)
		return -1;
	if (t->running)
		return err_set("the CPU is running: stop it first");
	if (target_link_send(t, pkt, len) < 0)
		return -1;
	/* A read leaves the registers as they were; a write, a monitor
	 * command or another thread ('H') may not. */
	if (len == 0 || !memchr("gmpq", pkt[0], 4) || monitor)
		target_regs_drop(t);
	for (;;) {
		if (target_link_recv(t, t->timeout_ms, 0) < 0)
			return -1;
		if (len > 2 && pkt[0] == 'H' && pkt[1] == 'g' && strcmp(t->parser.pkt, "OK") == 0) {
			char tid[sizeof t->harts[0].tid];

			snprintf(tid, sizeof tid, "%.*s", (int)(len - 2), pkt + 2);
			t->g_hart = target_harts_find(t, tid);	/* -1: not one of ours: Hg again before use */
		}
		if (each(ctx, t->parser.pkt, t->parser.pkt_len) < 0)
			return -1;
		if (!monitor || t->parser.pkt_len < 2 || t->parser.pkt[0] != 'O' || strcmp(t->parser.pkt, "OK") == 0)
			return 0;
	}
}

int target_detach(struct target *t)
{
	if (t->gone || t->broken)	/* nothing to detach from, or no one to ask */
		return 0;
	if (t->running) {
		struct rsp_stop stop;

		if (target_run_interrupt(t) < 0 || target_run_wait(t, &stop, t->timeout_ms) < 0)
			return -1;
	}
	while (t->nbps)
		if (target_run_break_remove(t, t->bps[t->nbps - 1].addr, ~0u) < 0)
			return -1;
	if (target_link_request(t, "D") < 0)
		return -1;
	return strcmp(t->parser.pkt, "OK") == 0 ? 0 : target_link_error(t, "detaching");
}

