/* target_regs: register values, cached per stop.
 *
 * 'g' sends the registers the stub puts in it, in regnum order, each as
 * many hex digits as its bitsize says; which regnums it carries is learnt
 * from the first reply, so nothing here knows an architecture.  The
 * others are read with 'p', framed together with the 'g' into one write:
 * while the CPU is stopped the stub answers them in order, one round trip
 * for all. */
#include "target.h"

#include <stdio.h>
#include <string.h>

#include "err.h"
#include "target_link.h"

void target_regs_drop(struct target *t)
{
	t->g_raw_len = 0;
	if (t->reg_valid)
		memset(t->reg_valid, 0, t->nreg);
}

/* A 'g' reply, read by the sizes of the description.  A value the stub
 * marks unavailable, or one wider than 64 bits, is skipped; a reply that
 * does not fit the description ends where it stops fitting. */
static int parse_g_reply(struct target *t)
{
	size_t off = 0, len, r;

	len = t->parser.pkt_len;
	if (len == 0 || rsp_is_error(t->parser.pkt, len, NULL))
		return target_link_error(t, "reading the registers");
	for (r = 0; r < t->nreg && t->reg_bits[r] && t->reg_bits[r] % 8 == 0; r++) {
		size_t digits = t->reg_bits[r] / 4;

		if (off + digits > len)
			break;
		if (digits <= 16 && rsp_le_u64(t->parser.pkt + off, digits, &t->reg[r]) == 0)
			t->reg_valid[r] = 1;
		off += digits;
	}
	if (r == 0 || off != len)
		return err_set("reading the registers: the 'g' reply (%zu digits) does not match the target description",
			       len);
	t->g_count = (int)r;
	if (len < sizeof t->g_raw) {
		memcpy(t->g_raw, t->parser.pkt, len);
		t->g_raw_len = len;
	}
	return 0;
}

static int parse_p_reply(struct target *t, int regnum)
{
	const struct tdesc_reg *r = tdesc_by_num(&t->desc, regnum);
	size_t want = t->reg_bits[regnum] && t->reg_bits[regnum] <= 64 ? t->reg_bits[regnum] / 4u : 16;

	if (t->parser.pkt_len != want ||
	    rsp_le_u64(t->parser.pkt, t->parser.pkt_len, &t->reg[regnum]) < 0)
		return target_link_error(t, "%s", r ? r->name : "reading a register");
	t->reg_valid[regnum] = 1;
	return 0;
}

static int in_g(const struct target *t, int r)
{
	return t->g_count < 0 || r < t->g_count;
}

/* Send 'p' for every register not known yet (after a 'g' if with_g) and
 * take the replies. */
static int read_batch(struct target *t, const int *regnums, size_t n, int with_g)
{
	char batch[2048];
	size_t blen = 0, pending = 0;

	if (with_g) {
		blen = rsp_frame(batch, sizeof batch, "g", 1);
		pending = 1;
	}
	for (size_t i = 0; i < n; i++) {
		int r = regnums[i];
		char p[16];

		if (in_g(t, r) || t->reg_valid[r])
			continue;
		int plen = snprintf(p, sizeof p, "p%x", r);
		size_t f = rsp_frame(batch + blen, sizeof batch - blen, p, (size_t)plen);
		if (f == 0)
			break;	/* the rest go alone, below */
		blen += f;
		pending++;
	}
	if (!pending)
		return 0;
	if (target_link_send_batch(t, batch, blen, pending) < 0)
		return -1;
	int single = pending == 1, failed = 0, got;
	int g_lost = 0;
	if (with_g) {
		if ((got = target_link_recv(t, t->timeout_ms, !single)) < 0)
			return -1;
		pending--;
		if (got == 0 && parse_g_reply(t) < 0)
			return -1;
		g_lost = got;
	}
	for (size_t i = 0; i < n && pending; i++) {
		int r = regnums[i];

		if (in_g(t, r) || t->reg_valid[r])
			continue;
		if ((got = target_link_recv(t, t->timeout_ms, !single)) < 0)
			return -1;
		pending--;
		if (got == 0 && parse_p_reply(t, r) < 0)
			failed = 1;
	}
	if (g_lost && (target_link_request(t, "g") < 0 || parse_g_reply(t) < 0))
		return -1;	/* asked again alone, so that it may be resent */
	return failed ? -1 : 0;
}

int target_regs_read(struct target *t, const int *regnums, size_t n, uint64_t *out)
{
	int need_g = 0;

	for (size_t i = 0; i < n; i++) {
		int r = regnums[i];

		if (r < 0 || (size_t)r >= t->nreg || !t->reg_bits[r])
			return err_set("no register number %d", r);
		need_g |= in_g(t, r) && !t->reg_valid[r];
	}
	/* 'g' and the 'p's in one write: one round trip for a whole stop. */
	if (read_batch(t, regnums, n, need_g) < 0)
		return -1;
	/* Before the first 'g' came back, which registers it carries was not
	 * known: the others are asked for now (nothing is sent if none). */
	if (need_g && read_batch(t, regnums, n, 0) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int r = regnums[i];

		if (t->reg_valid[r])
			out[i] = t->reg[r];
		else if (in_g(t, r))	/* 'g' carries it but could not give it */
			return err_set("reading the registers: register %d is unavailable or malformed", r);
		else if (read_batch(t, &r, 1, 0) < 0)	/* the batch was full */
			return -1;
		else
			out[i] = t->reg[r];
	}
	return 0;
}

int target_regs_get(struct target *t, int regnum, uint64_t *out)
{
	return target_regs_read(t, &regnum, 1, out);
}

int target_regs_set(struct target *t, int regnum, uint64_t value)
{
	size_t bytes = regnum >= 0 && (size_t)regnum < t->nreg ? t->reg_bits[regnum] / 8 : 0;
	uint8_t le[8];
	char hex[17];

	if (bytes == 0 || bytes > 8)
		return err_set("no register number %d to write", regnum);
	for (size_t i = 0; i < bytes; i++)
		le[i] = (uint8_t)(value >> (8 * i));
	hex[rsp_hex_encode(le, bytes, hex)] = '\0';
	if (target_link_request(t, "P%x=%s", regnum, hex) < 0)
		return -1;
	if (strcmp(t->parser.pkt, "OK") != 0)
		return target_link_error(t, "writing register %d", regnum);
	t->reg[regnum] = value;
	t->reg_valid[regnum] = 1;
	if (in_g(t, regnum))
		t->g_raw_len = 0;	/* no longer what the stub would say */
	return 0;
}

int target_regs_g(struct target *t, const char **raw, size_t *len)
{
	if (!t->g_raw_len && (target_link_request(t, "g") < 0 || parse_g_reply(t) < 0))
		return -1;
	if (!t->g_raw_len)
		return err_set("reading the registers: the 'g' reply is too long to keep");
	*raw = t->g_raw;
	*len = t->g_raw_len;
	return 0;
}
