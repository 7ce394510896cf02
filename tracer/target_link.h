/* target_link: packets to and from the stub, for the target_*.c files only.
 *
 * One request goes out framed (rsp_frame), one reply comes back in
 * t->parser.pkt / pkt_len.  Acks, '-' resends and damaged packets are
 * handled here and nowhere else. */
#ifndef BOOTSCOPE_TARGET_LINK_H
#define BOOTSCOPE_TARGET_LINK_H

#include <stddef.h>

#include "target.h"

/* The connection closed: t->gone, and -1 with a message. */
int target_link_gone(struct target *t);

/* Give up on the connection (struct target's broken): -1, the message
 * already set says why. */
int target_link_broken(struct target *t);

/* Can anything still be asked?  0, or -1 with why not. */
int target_link_usable(struct target *t);

/* Frame and send one packet.  0 or -1. */
int target_link_send(struct target *t, const char *payload, size_t len);

/* Write bytes as they are (several framed packets, an interrupt). */
int target_link_write(struct target *t, const void *buf, size_t len);

/* Send n requests framed one after another in batch (blen bytes) in one
 * write; their replies come back in order, each taken with
 * target_link_recv(t, ..., n > 1).  One request alone stays resendable.
 * 0 or -1. */
int target_link_send_batch(struct target *t, const char *batch, size_t blen, size_t n);

/* What target_link_take found in the bytes already received. */
enum target_link_take { TARGET_LINK_DRY, TARGET_LINK_PACKET, TARGET_LINK_LOST };

/* Feed received bytes to the parser until a packet is whole (PACKET) or
 * they run out (DRY); in a batch a '-' or damaged packet only marks this
 * request's place (LOST).  *resends, *bad count across calls.  -1 on a
 * failure. */
int target_link_take(struct target *t, int batch, int *resends, int *bad);

/* Read more bytes, waiting at most timeout_ms: 1 if some came, 0 if none
 * in time, -1 on error or a closed connection. */
int target_link_fill(struct target *t, int timeout_ms);

/* Wait for the next whole packet: 0, 1 when a batch request lost its
 * place, -1 on failure. */
int target_link_recv(struct target *t, int timeout_ms, int batch);

/* One request, printf-style, and its reply.  0 or -1. */
int target_link_request(struct target *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Say what was asked and what the stub answered instead; returns -1. */
int target_link_error(struct target *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
