/* session_gdb: a gdb drives the machine, through bootscope (proxy.c).
 *
 * gdb's requests reach QEMU's gdbstub through the session, so that the
 * session keeps following the machine: what only reads (registers,
 * memory, the target description, monitor commands) is passed on as it
 * is; what moves the machine is done by the session's own commands, so
 * the boot's story, the stages and the console go on being recorded, and
 * gdb is told only the stops it asked for.  A breakpoint of gdb's is one
 * of the session's with its own owner (SESSION_BP_GDB), so a story
 * breakpoint at the same address is no stop of gdb's and vice versa.
 *
 * Not passed on: '?' and 'D' (QEMU would take out every breakpoint, the
 * story's too, and for 'D' let the guest run: '?' is answered with the
 * last stop, and for 'D' gdb's breakpoints are taken out here and the
 * machine stays where it is for the screen), and QStartNoAckMode (the
 * session keeps its acknowledgements with QEMU).  gdb's kill ('k', vKill)
 * would end QEMU and with it the screen: a QEMU of bootscope's is reset
 * instead, as the r key does, and the boot starts again; the user's own
 * QEMU (--attach) gets the kill as gdb sent it.
 */
#include "session.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

static int pass(void *ctx, const char *reply, size_t len)
{
	const struct session_gdb_io *io = ctx;

	return io->reply(io->ctx, reply, len);
}

static int say(const struct session_gdb_io *io, const char *text)
{
	return io->reply(io->ctx, text, strlen(text));
}

/* ---- answers from this stop's reads ---- */

static void forget(struct session *s)
{
	for (int i = 0; i < SESSION_GDB_BLOCKS; i++)
		s->gdb_cache.blocks[i].have = 0;
}

/* Requests that only read: the registers, memory, a query (not a
 * monitor command, which may do anything), the thread. */
static int reads_only(const char *pkt, size_t len)
{
	if (len == 0 || !memchr("gmpqHT", pkt[0], 6))
		return 0;
	return !(len >= 6 && memcmp(pkt, "qRcmd,", 6) == 0);
}

/* "m addr,len" from the blocks read for this stop; 1 answered, 0 ask QEMU. */
static int from_block(struct session *s, const char *pkt, size_t len, const struct session_gdb_io *io)
{
	struct session_gdb_cache *c = &s->gdb_cache;
	char buf[64], *end, hex[2 * SESSION_GDB_BLOCK + 1];
	uint64_t addr, n;

	if (len < 4 || len >= sizeof buf)
		return 0;
	memcpy(buf, pkt, len);
	buf[len] = '\0';
	addr = strtoull(buf + 1, &end, 16);
	if (end == buf + 1 || *end != ',')
		return 0;
	n = strtoull(end + 1, &end, 16);
	if (*end || n == 0 || n > SESSION_GDB_BLOCK)
		return 0;
	uint64_t base = addr & ~(uint64_t)(SESSION_GDB_BLOCK - 1);
	if (addr + n > base + SESSION_GDB_BLOCK || addr + n < addr || !session_in_ram(s, base, SESSION_GDB_BLOCK))
		return 0;	/* across two blocks, or a device's: QEMU answers */
	int b = 0;

	while (b < SESSION_GDB_BLOCKS && !(c->blocks[b].have && c->blocks[b].base == base))
		b++;
	if (b == SESSION_GDB_BLOCKS) {
		b = (int)(c->next_block++ % SESSION_GDB_BLOCKS);
		c->blocks[b].have = 0;
		if (target_mem_read(&s->target, base, c->blocks[b].bytes, SESSION_GDB_BLOCK) < 0)
			return s->target.gone || s->target.broken ? -1 : 0;
		c->blocks[b].base = base;
		c->blocks[b].have = 1;
	}
	hex[rsp_hex_encode(c->blocks[b].bytes + (addr - base), (size_t)n, hex)] = '\0';
	return say(io, hex) < 0 ? -1 : 1;
}

/* "Z0,addr,kind" and "z1,addr,kind": type, address. */
static int parse_z(const char *pkt, size_t len, int *type, uint64_t *addr)
{
	char buf[64], *end;

	if (len < 4 || len >= sizeof buf || pkt[1] < '0' || pkt[1] > '4' || pkt[2] != ',')
		return -1;
	memcpy(buf, pkt, len);
	buf[len] = '\0';
	*type = pkt[1] - '0';
	*addr = strtoull(buf + 3, &end, 16);
	return end > buf + 3 && *end == ',' ? 0 : -1;
}

/* What kind of resume: 's' one step, 'c' a run, 0 none.  vCont's first
 * action decides, as with one hart. */
/* A vCont's first action names one hart ("vCont;c:p1.2", "vCont;s:p1.1;c"):
 * its index, or -1 (no thread, or every thread).  *alone: no action for
 * the other harts follows, so they stay stopped. */
static int vcont_hart(const struct session *s, const char *pkt, size_t len, int *alone)
{
	*alone = 1;
	if (len < 9 || memcmp(pkt, "vCont;", 6) != 0 || pkt[7] != ':')
		return -1;
	const char *id = pkt + 8, *next = memchr(id, ';', len - 8);
	size_t idlen = next ? (size_t)(next - id) : len - 8;

	*alone = !next;	/* ";c" after it: the others run meanwhile */
	return target_harts_find_id(&s->target, id, idlen);
}

static char resume_kind(const char *pkt, size_t len)
{
	if (len >= 1 && (pkt[0] == 's' || pkt[0] == 'S'))
		return 's';
	if (len >= 1 && (pkt[0] == 'c' || pkt[0] == 'C'))
		return 'c';
	if (len >= 7 && memcmp(pkt, "vCont;", 6) == 0) {
		char a = pkt[6];
		if (a == 's' || a == 'S')
			return 's';
		if (a == 'c' || a == 'C')
			return 'c';
	}
	return 0;
}

static int drop_gdb_breaks(struct session *s)
{
	for (size_t i = s->target.nbps; i-- > 0;)
		if ((s->target.bps[i].owners & SESSION_BP_GDB) &&
		    target_run_break_remove(&s->target, s->target.bps[i].addr, SESSION_BP_GDB) < 0)
			return -1;
	return 0;
}

int session_gdb_packet(struct session *s, const char *pkt, size_t len, const struct session_gdb_io *io)
{
	int type;
	uint64_t addr;

	if (s->ended)
		return say(io, "W00") < 0 ? -1 : SESSION_GDB_REPLIED;
	if (len == 15 && memcmp(pkt, "QStartNoAckMode", 15) == 0)
		return say(io, "") < 0 ? -1 : SESSION_GDB_REPLIED;
	if (len == 1 && pkt[0] == '?')
		return session_gdb_stopped(s, io) < 0 ? -1 : SESSION_GDB_REPLIED;
	if (len >= 1 && pkt[0] == 'D') {
		session_gdb_attached(s);
		if (drop_gdb_breaks(s) < 0)
			return -1;
		return say(io, "OK") < 0 ? -1 : SESSION_GDB_DETACHED;
	}
	if (s->own_qemu && ((len == 1 && pkt[0] == 'k') || (len >= 5 && memcmp(pkt, "vKill", 5) == 0))) {
		if (drop_gdb_breaks(s) < 0 || session_restart(s) < 0)
			return -1;
		forget(s);
		/* 'k' has no answer; vKill's is OK. */
		return pkt[0] == 'v' && say(io, "OK") < 0 ? -1 : SESSION_GDB_KILLED;
	}
	if (len >= 1 && (pkt[0] == 'Z' || pkt[0] == 'z') && parse_z(pkt, len, &type, &addr) == 0 && type <= 1) {
		int rc = pkt[0] == 'Z' ? target_run_break_insert(&s->target, addr, type, SESSION_BP_GDB)
				       : target_run_break_remove(&s->target, addr, SESSION_BP_GDB);

		if (rc < 0)
			return say(io, "E22") < 0 ? -1 : SESSION_GDB_REPLIED;
		return say(io, "OK") < 0 ? -1 : SESSION_GDB_REPLIED;
	}
	if (len == 1 && pkt[0] == 'g') {	/* read at the stop already, with the session's registers */
		const char *g;
		size_t glen;

		if (target_regs_g(&s->target, &g, &glen) < 0)
			return -1;
		return io->reply(io->ctx, g, glen) < 0 ? -1 : SESSION_GDB_REPLIED;
	}
	if (len >= 1 && pkt[0] == 'm') {
		int rc = from_block(s, pkt, len, io);

		if (rc != 0)
			return rc < 0 ? -1 : SESSION_GDB_REPLIED;
	}
	if (len == 12 && memcmp(pkt, "qfThreadInfo", 12) == 0 && s->gdb_cache.have_threads)
		return say(io, s->gdb_cache.threads) < 0 ? -1 : SESSION_GDB_REPLIED;
	if (len == 12 && memcmp(pkt, "qsThreadInfo", 12) == 0 && s->gdb_cache.have_threads)
		return say(io, "l") < 0 ? -1 : SESSION_GDB_REPLIED;	/* the one hart was all */
	if (!reads_only(pkt, len))
		forget(s);	/* it may move or change the machine */
	char kind = resume_kind(pkt, len);
	int alone, hart = kind ? vcont_hart(s, pkt, len, &alone) : -1;

	/* A resume for one hart: that one steps, or runs alone, as gdb asked
	 * (it steps a hart over a breakpoint with "vCont;c:ID"). */
	if (hart >= 0 && hart != s->shown_hart && session_select_hart(s, hart) < 0)
		return -1;
	switch (kind) {
	case 's': {
		int others = s->target.step_others;

		if (hart >= 0)
			s->target.step_others = !alone;
		int rc = session_step(s, 1);

		s->target.step_others = others;
		if (rc < 0)
			return -1;
		return session_gdb_stopped(s, io) < 0 ? -1 : SESSION_GDB_REPLIED;
	}
	case 'c':
		s->target.run_one = hart >= 0 && alone;
		if (session_continue(s) < 0)
			return -1;
		if (!s->running)	/* it stopped at once (or QEMU ended) */
			return session_gdb_stopped(s, io) < 0 ? -1 : SESSION_GDB_REPLIED;
		return SESSION_GDB_RUNNING;
	}
	if (len == 12 && memcmp(pkt, "qfThreadInfo", 12) == 0) {
		if (target_relay(&s->target, pkt, len, pass, (void *)io) < 0)
			return -1;
		/* One hart: its thread list stays the same (QEMU names one
		 * thread per answer, so with several the list goes on). */
		const char *t = s->target.parser.pkt;
		size_t n = s->target.parser.pkt_len;
		if (s->target.nharts == 1 && n > 1 && n < sizeof s->gdb_cache.threads && t[0] == 'm' &&
		    !memchr(t, ',', n)) {
			memcpy(s->gdb_cache.threads, t, n);
			s->gdb_cache.threads[n] = '\0';
			s->gdb_cache.have_threads = 1;
		}
		return SESSION_GDB_REPLIED;
	}
	if (target_relay(&s->target, pkt, len, pass, (void *)io) < 0)
		return -1;
	/* gdb chose another hart ('Hg'): the screen shows it too. */
	if (len > 2 && pkt[0] == 'H' && pkt[1] == 'g' && s->target.g_hart >= 0 && s->target.g_hart != s->shown_hart)
		return session_refresh(s) < 0 ? -1 : SESSION_GDB_REPLIED;
	/* A write (registers, memory) or a monitor command changed the
	 * machine: what the screen shows, and the boot from here on is
	 * another than the one the session remembers. */
	if ((len >= 1 && memchr("PGMX", pkt[0], 4)) || (len >= 6 && memcmp(pkt, "qRcmd,", 6) == 0)) {
		code_forget(&s->code);
		session_travel_forget_future(s);
		if (session_refresh(s) < 0)
			return -1;
	}
	return SESSION_GDB_REPLIED;
}

int session_gdb_stopped(struct session *s, const struct session_gdb_io *io)
{
	char stop[sizeof s->target.last_stop + 8];

	if (s->ended)
		return say(io, "W00");
	/* QEMU's last stop reply, with the signal the run ended by: a Ctrl-C
	 * that came while a story stop was handled is an interrupt all the
	 * same (session_run.c). */
	snprintf(stop, sizeof stop, "%s", s->target.last_stop[0] == 'T' ? s->target.last_stop : "T05");
	if (s->stop_signal > 0 && s->stop_signal < 256) {
		char sig[3];

		snprintf(sig, sizeof sig, "%02x", s->stop_signal);
		memcpy(stop + 1, sig, 2);
	}
	return say(io, stop);
}

void session_gdb_attached(struct session *s)
{
	memset(&s->gdb_cache, 0, sizeof s->gdb_cache);	/* the machine may have moved since */
}

int session_gdb_detach(struct session *s)
{
	return s->ended || s->target.gone ? 0 : drop_gdb_breaks(s);
}
