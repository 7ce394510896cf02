/* target_harts: the harts behind the stub, and which one is spoken to.
 *
 * QEMU reports one thread per hart (qfThreadInfo, then qsThreadInfo until
 * "l"), with ids like "p01.02" (or "02" without multiprocess).  'g' and
 * 'p' read the hart 'Hg' names; at every stop the stub names the hart
 * that stopped ("T05thread:p01.02;") and speaks of that one from then on,
 * so the hart spoken to follows the stops unless someone selects another.
 * A step moves the selected hart alone (vCont;s:ID), or, if asked, that
 * one while the others run (vCont;s:ID;c, what gdb does by default). */
#include "target.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "target_link.h"

/* "m01,02" or "mp01.01": the ids in one answer of the list. */
static int add_ids(struct target *t, const char *p, size_t n)
{
	size_t at = 1;

	while (at < n) {
		size_t len = strcspn(p + at, ",");

		if (len > n - at)
			len = n - at;
		if (len == 0 || len >= sizeof t->harts[0].tid)
			return err_set("the gdbstub named a hart \"%.*s\" bootscope cannot keep", (int)len, p + at);
		if (t->nharts == TARGET_MAX_HARTS)
			return err_set("more than %d harts: bootscope shows at most %d", TARGET_MAX_HARTS,
				       TARGET_MAX_HARTS);
		memcpy(t->harts[t->nharts].tid, p + at, len);
		t->harts[t->nharts].tid[len] = '\0';
		t->nharts++;
		at += len + 1;
	}
	return 0;
}

int target_harts_read(struct target *t)
{
	t->nharts = 0;
	if (target_link_request(t, "qfThreadInfo") < 0)
		return -1;
	for (;;) {
		const char *p = t->parser.pkt;
		size_t n = t->parser.pkt_len;

		if (n == 0 || p[0] == 'l')
			break;	/* the end, or a stub with no threads at all */
		if (p[0] != 'm')
			return target_link_error(t, "listing the harts");
		if (add_ids(t, p, n) < 0 || target_link_request(t, "qsThreadInfo") < 0)
			return -1;
	}
	if (t->nharts == 0) {	/* one hart, never named */
		t->harts[0].tid[0] = '\0';
		t->nharts = 1;
	}
	t->g_hart = target_harts_find(t, t->stop_tid);
	if (t->g_hart < 0)
		t->g_hart = 0;
	return 0;
}

/* "p01.02", "p1.2", "02" or "2": the thread's number (and the process's,
 * 0 when none is written).  -1 for -1 ("every thread") or no number.
 * QEMU writes the ids one way or the other depending on whether any client
 * ever offered multiprocess+ (docs/qemu-gdbstub.md), so ids are compared
 * by number. */
static long thread_number(const char *id, size_t len, long *pid)
{
	char buf[32], *dot, *end;

	if (len == 0 || len >= sizeof buf)
		return -1;
	memcpy(buf, id, len);
	buf[len] = '\0';
	*pid = 0;
	char *p = buf[0] == 'p' ? buf + 1 : buf;
	if ((dot = strchr(p, '.')) != NULL) {
		*pid = strtol(p, &end, 16);
		if (end != dot)
			return -1;
		p = dot + 1;
	}
	long n = strtol(p, &end, 16);
	return end == p || *end || n < 0 ? -1 : n;
}

int target_harts_find(const struct target *t, const char *tid)
{
	for (size_t i = 0; i < t->nharts; i++)
		if (strcmp(t->harts[i].tid, tid) == 0)
			return (int)i;
	return target_harts_find_id(t, tid, strlen(tid));
}

int target_harts_find_id(const struct target *t, const char *id, size_t len)
{
	long pid, mine_pid, n = thread_number(id, len, &pid);

	for (size_t i = 0; n >= 0 && i < t->nharts; i++)
		if (thread_number(t->harts[i].tid, strlen(t->harts[i].tid), &mine_pid) == n &&
		    (!pid || !mine_pid || pid == mine_pid))
			return (int)i;
	return -1;
}

int target_harts_select(struct target *t, int i)
{
	if (i < 0 || (size_t)i >= t->nharts)
		return err_set("no hart %d (there are %zu)", i, t->nharts);
	if (i == t->g_hart || !t->harts[i].tid[0])
		return 0;
	if (target_link_request(t, "Hg%s", t->harts[i].tid) < 0)
		return -1;
	if (strcmp(t->parser.pkt, "OK") != 0)
		return target_link_error(t, "selecting hart %s", t->harts[i].tid);
	t->g_hart = i;
	target_regs_drop(t);	/* they were another hart's */
	return 0;
}

void target_harts_stopped(struct target *t, const struct rsp_stop *stop)
{
	int i;

	snprintf(t->stop_tid, sizeof t->stop_tid, "%s", stop->has_thread ? stop->thread : "");
	if (stop->has_thread && (i = target_harts_find(t, stop->thread)) >= 0)
		t->g_hart = i;
}

/* For every hart: 'Hg' and nreq requests of ask()'s, all in one write,
 * and the hart spoken to selected again at the end: one round trip.  Each
 * answer goes to take() (lost: 1 if its place in the batch was lost). */
struct per_hart {
	void (*ask)(const struct per_hart *ph, size_t h, size_t k, char *out, size_t cap);
	void (*take)(const struct per_hart *ph, size_t h, size_t k, int lost, const char *pkt, size_t len);
	size_t nreq;
	const int *regnums;		/* peek */
	const uint64_t *addrs;		/* mem */
	size_t len;
	uint64_t *vals;
	uint8_t *bytes, *ok;
	struct target *t;
};

static int each_hart(struct target *t, struct per_hart *ph)
{
	char batch[4096], req[48];
	size_t blen = 0, pending = 0, f;
	int failed = 0;

	for (size_t h = 0; h <= t->nharts; h++) {
		size_t hh = h < t->nharts ? h : (size_t)(t->g_hart >= 0 ? t->g_hart : 0);

		snprintf(req, sizeof req, "Hg%s", t->harts[hh].tid);
		for (size_t k = 0;; k++) {
			if ((f = rsp_frame(batch + blen, sizeof batch - blen, req, strlen(req))) == 0)
				return err_set("too many harts to read in one go");
			blen += f, pending++;
			if (h == t->nharts || k == ph->nreq)
				break;
			ph->ask(ph, h, k, req, sizeof req);
		}
	}
	if (target_link_send_batch(t, batch, blen, pending) < 0)
		return -1;
	for (size_t h = 0; h <= t->nharts; h++) {
		for (size_t k = 0;; k++) {
			int got = target_link_recv(t, t->timeout_ms, 1);

			if (got < 0)
				return -1;
			if (k == 0 && (got || strcmp(t->parser.pkt, "OK") != 0))
				failed = 1;
			if (k > 0)
				ph->take(ph, h, k - 1, got, t->parser.pkt, t->parser.pkt_len);
			if (h == t->nharts || k == ph->nreq)
				break;
		}
	}
	/* The last Hg named the hart spoken to; had it failed, the stub
	 * would now speak of another. */
	return failed ? err_set("reading every hart: the gdbstub refused to switch harts") : 0;
}

static void ask_reg(const struct per_hart *ph, size_t h, size_t k, char *out, size_t cap)
{
	(void)h;
	snprintf(out, cap, "p%x", ph->regnums[k]);
}

static void take_reg(const struct per_hart *ph, size_t h, size_t k, int lost, const char *pkt, size_t len)
{
	int r = ph->regnums[k];
	size_t bits = r >= 0 && (size_t)r < ph->t->nreg ? ph->t->reg_bits[r] : 0;

	if (!lost && bits && bits <= 64 && len == bits / 4 && rsp_le_u64(pkt, len, &ph->vals[h * ph->nreq + k]) == 0)
		ph->ok[h * ph->nreq + k] = 1;
}

int target_harts_peek(struct target *t, const int *regnums, size_t n, uint64_t *out, uint8_t *ok)
{
	struct per_hart ph = { .ask = ask_reg, .take = take_reg, .nreq = n, .regnums = regnums,
			       .vals = out, .ok = ok, .t = t };

	memset(ok, 0, t->nharts * n);
	return t->nharts < 2 ? 0 : each_hart(t, &ph);
}

static void ask_mem(const struct per_hart *ph, size_t h, size_t k, char *out, size_t cap)
{
	(void)k;
	snprintf(out, cap, "m%" PRIx64 ",%zx", ph->addrs[h], ph->len);
}

static void take_mem(const struct per_hart *ph, size_t h, size_t k, int lost, const char *pkt, size_t len)
{
	(void)k;
	if (!lost && len == 2 * ph->len && rsp_hex_decode(pkt, len, ph->bytes + h * ph->len, ph->len) == (int)ph->len)
		ph->ok[h] = 1;
}

int target_harts_mem(struct target *t, const uint64_t *addrs, size_t len, uint8_t *out, uint8_t *ok)
{
	struct per_hart ph = { .ask = ask_mem, .take = take_mem, .nreq = 1, .addrs = addrs, .len = len,
			       .bytes = out, .ok = ok, .t = t };

	memset(ok, 0, t->nharts);
	if (len == 0 || 2 * len + 8 > t->packet_size)
		return err_set("reading %zu bytes of every hart at once: too many", len);
	return t->nharts < 2 ? 0 : each_hart(t, &ph);
}
