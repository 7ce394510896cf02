/* conn: the byte pipe to a gdbstub, over a unix socket or TCP.
 *
 * It moves bytes and waits with time-outs; it does not know what a packet
 * is (that is rsp.c).  The fd is non-blocking so the UI's poll loop can
 * watch it while the guest runs.
 */
#ifndef BOOTSCOPE_CONN_H
#define BOOTSCOPE_CONN_H

#include <stddef.h>
#include <sys/types.h>

struct conn {
	int fd;			/* -1 when closed */
	char endpoint[128];	/* as given, for messages */
};

/* Connect to "unix:PATH", "HOST:PORT" or "PORT" (meaning 127.0.0.1),
 * waiting at most timeout_ms.  Returns 0, or -1 with err_set(). */
int conn_open(struct conn *c, const char *endpoint, int timeout_ms);

/* Write all of buf, waiting at most timeout_ms for room.  -1 with err_set()
 * on a time-out or a closed connection. */
int conn_write(struct conn *c, const void *buf, size_t len, int timeout_ms);

/* Read what is there, waiting at most timeout_ms (0: do not wait) for the
 * first byte.  Returns the byte count, 0 if the peer closed the connection,
 * or -1: with errno EAGAIN if nothing came in time, else err_set(). */
ssize_t conn_read(struct conn *c, void *buf, size_t cap, int timeout_ms);

void conn_close(struct conn *c);

#endif
