/* target_link: packets out and in (see target_link.h). */
#include "target_link.h"

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

int target_link_gone(struct target *t)
{
	t->gone = 1;
	t->running = 0;
	if (rsp_in_packet(&t->parser)) {
		t->lost = 1;
		return err_set("the gdbstub at %s closed the connection in the middle of a packet: "
			       "check that QEMU still runs", t->conn.endpoint);
	}
	return err_set("the gdbstub closed the connection (the guest shut down, or QEMU exited)");
}

/* Give up on the connection (see struct target's broken); returns -1 with
 * the message already set, which says why. */
int target_link_broken(struct target *t)
{
	t->broken = 1;
	return -1;
}

int target_link_usable(struct target *t)
{
	if (t->gone)
		return err_set("QEMU is gone");
	if (t->broken)
		return err_set("the gdbstub at %s stopped answering properly earlier; quit and start again",
			       t->conn.endpoint);
	return 0;
}

/* Frame and send one packet.  An ack we owe rides in the same write: QEMU
 * does not wait for it, and one write per request halves the syscalls. */
int target_link_send(struct target *t, const char *payload, size_t len)
{
	int ack = t->ack_owed;
	size_t n;

	if (t->broken)		/* nothing more is asked (struct target) */
		return target_link_usable(t);
	n = rsp_frame(t->tx + 1, sizeof t->tx - 1, payload, len);
	if (n == 0)
		return err_set("request too large for one packet (%zu bytes)", len);
	t->tx_len = n;
	t->tx[0] = '+';
	t->ack_owed = 0;
	if (conn_write(&t->conn, t->tx + !ack, n + ack, t->timeout_ms) < 0)
		return errno == EPIPE || errno == ECONNRESET ? target_link_gone(t) : -1;
	return 0;
}

int target_link_send_batch(struct target *t, const char *batch, size_t blen, size_t n)
{
	if (target_link_usable(t) < 0)
		return -1;
	if (t->running)
		return err_set("the CPU is running: stop it first");
	if (blen > sizeof t->tx - 1)
		return err_set("request too large for one write (%zu bytes)", blen);
	if (t->ack_owed && target_link_write(t, "+", 1) < 0)
		return -1;
	t->ack_owed = 0;
	if (target_link_write(t, batch, blen) < 0)
		return -1;
	/* A batch is never resent: a reply lost on the way (see
	 * target_link_take) is asked for again alone, later.  A single request
	 * is an ordinary one. */
	if (n == 1)
		memcpy(t->tx + 1, batch, blen);
	t->tx_len = n == 1 ? blen : 0;
	return 0;
}

/* Feed the received bytes to the parser until a whole packet is in
 * t->parser.pkt (TARGET_LINK_PACKET) or they run out (TARGET_LINK_DRY).  Acks are
 * skipped, a '-' resends our last packet, a damaged packet is answered
 * with '-' so the stub sends it again.
 *
 * In a batch (several requests sent in one write) neither works: the stub
 * answers '-' with its *last* packet, and resending ours would repeat the
 * whole batch.  So there a '-' or a damaged packet only takes this
 * request's place in the stream (TARGET_LINK_LOST): the caller asks again alone.
 * *resends and *bad count across calls for one reply. */
int target_link_take(struct target *t, int batch, int *resends, int *bad)
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
			return TARGET_LINK_PACKET;
		case RSP_EV_NAK:
			if (batch)
				return TARGET_LINK_LOST;
			if (++*resends > MAX_RESENDS)
				return err_set("the gdbstub keeps rejecting our packets (checksum errors on its side)");
			if (conn_write(&t->conn, t->tx + 1, t->tx_len, t->timeout_ms) < 0)
				return -1;
			continue;
		case RSP_EV_BAD_CHECKSUM:
			if (batch)
				return TARGET_LINK_LOST;
			if (++*bad > MAX_BAD)
				return err_set("the gdbstub sends damaged packets (%d bad checksums in a row)", *bad);
			if (conn_write(&t->conn, "-", 1, t->timeout_ms) < 0)
				return -1;
			continue;
		case RSP_EV_OVERFLOW:	/* no QEMU sends that: give up */
			t->ack_owed = 1;
			err_set("the gdbstub sent a packet larger than %d bytes: is it a QEMU gdbstub?",
				RSP_MAX_PACKET);
			return target_link_broken(t);
		default:
			continue;
		}
	}
	return TARGET_LINK_DRY;
}

/* Read more bytes into rx, waiting at most timeout_ms: 1 if some came, 0 if
 * none in time, -1 on error or a closed connection (gone). */
int target_link_fill(struct target *t, int timeout_ms)
{
	ssize_t n = conn_read(&t->conn, t->rx, sizeof t->rx, timeout_ms);

	if (n == 0)
		return target_link_gone(t);
	if (n < 0)
		return errno == EAGAIN ? 0 : -1;
	t->rx_pos = 0;
	t->rx_len = (size_t)n;
	return 1;
}

/* Wait for the next whole packet (left in t->parser.pkt): 0, or 1 when a
 * batch request lost its place (see target_link_take), or -1. */
int target_link_recv(struct target *t, int timeout_ms, int batch)
{
	long long deadline = clock_ms() + timeout_ms;
	int resends = 0, bad = 0;

	for (;;) {
		int rc = target_link_take(t, batch, &resends, &bad);

		if (rc < 0)
			return -1;
		if (rc != TARGET_LINK_DRY)
			return rc == TARGET_LINK_LOST;
		long long left = deadline - clock_ms();
		if (left <= 0) {
			err_set("the gdbstub at %s did not answer within %d ms", t->conn.endpoint, timeout_ms);
			return target_link_broken(t);
		}
		int watched = t->waiting && !t->running;
		if (watched && left < timeout_ms - TARGET_WAIT_SLICE_MS / 2 &&
		    t->waiting(t->waiting_ctx, timeout_ms - (int)left, timeout_ms)) {
			err_set("gave up waiting for the gdbstub at %s after %d ms", t->conn.endpoint,
				timeout_ms - (int)left);
			return target_link_broken(t);
		}
		if (target_link_fill(t, watched && left > TARGET_WAIT_SLICE_MS ? TARGET_WAIT_SLICE_MS : (int)left) < 0)
			return -1;
	}
}

/* One request, one reply (left in t->parser.pkt / pkt_len). */
int target_link_request(struct target *t, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	if (target_link_usable(t) < 0)
		return -1;
	if (t->running)
		return err_set("the CPU is running: stop it first");
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof buf)
		return err_set("request too long");
	if (target_link_send(t, buf, (size_t)n) < 0)
		return -1;
	return target_link_recv(t, t->timeout_ms, 0);
}

/* Say what was asked (printf-style) and what the stub said instead. */
int target_link_error(struct target *t, const char *fmt, ...)
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


int target_link_write(struct target *t, const void *buf, size_t len)
{
	return conn_write(&t->conn, buf, len, t->timeout_ms);
}
