/* proxy: the gdbstub bootscope serves, for a gdb of the user's own.
 *
 * One socket, one gdb at a time: a unix socket only the user can connect
 * to (--gdb-socket), or a TCP port on 127.0.0.1 (--gdb-port), which, as
 * QEMU's own -gdb tcp:, every local user can reach.  What arrives is parsed by rsp.c
 * (acks, checksums, escapes), each whole packet acknowledged and handed
 * to the caller, who answers with proxy_send(); a '-' from gdb gets the
 * last answer again, a damaged packet a '-'.  A second gdb that connects
 * while one is attached is told so in one packet and let go.  Nothing
 * here knows what the packets mean (session_gdb.c does), and nothing here
 * draws.
 */
#include "proxy.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "err.h"

void proxy_init(struct proxy *p)
{
	memset(p, 0, sizeof *p);
	p->listen_fd = p->client_fd = -1;
}

/* A new directory only the user can enter, for the socket when no path
 * was given: in XDG_RUNTIME_DIR, TMPDIR or /tmp, as QEMU's (qemu.c). */
static int private_dir(struct proxy *p)
{
	const char *bases[] = { getenv("XDG_RUNTIME_DIR"), getenv("TMPDIR"), "/tmp" };

	for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++) {
		if (!bases[i] || !bases[i][0] ||
		    (size_t)snprintf(p->dir, sizeof p->dir, "%s/bootscope-gdb.XXXXXX", bases[i]) >= sizeof p->dir - 10)
			continue;
		if (mkdtemp(p->dir))	/* mode 0700 */
			return 0;
	}
	p->dir[0] = '\0';
	return err_set("cannot create a private directory for the gdb socket in /tmp (%s): set TMPDIR", strerror(errno));
}

int proxy_listen(struct proxy *p, const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct stat st;
	char made[sizeof p->dir + 16];

	if (!path) {
		if (private_dir(p) < 0)
			return -1;
		snprintf(made, sizeof made, "%s/gdb.sock", p->dir);
		path = made;
	}

	if (strlen(path) >= sizeof a.sun_path)
		return err_set("--gdb-socket %s: the path is too long for a unix socket (at most %zu bytes)", path,
			       sizeof a.sun_path - 1);
	if (lstat(path, &st) == 0)
		return err_set("--gdb-socket %s: something is there already: remove it, or name another path", path);
	snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
	p->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (p->listen_fd < 0)
		return err_set("socket: %s", strerror(errno));
	/* Only the user may connect: the socket's own mode, whatever the
	 * directory allows. */
	mode_t old = umask(077);
	int rc = bind(p->listen_fd, (struct sockaddr *)&a, sizeof a);

	umask(old);
	if (rc < 0 || listen(p->listen_fd, 2) < 0) {
		int e = errno;

		close(p->listen_fd);
		p->listen_fd = -1;
		if (p->dir[0])
			rmdir(p->dir);
		p->dir[0] = '\0';
		return err_set("--gdb-socket %s: %s", path, strerror(e));
	}
	snprintf(p->path, sizeof p->path, "%s", path);
	snprintf(p->where, sizeof p->where, "%s", path);
	return 0;
}

/* SO_REUSEADDR as QEMU's -gdb tcp: does: a port left in TIME_WAIT by the
 * last run is free, only a listener holds it.  Two sockets may then both
 * bind, but only one can listen, so EADDRINUSE comes from either call. */
int proxy_listen_tcp(struct proxy *p, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int one = 1;

	p->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (p->listen_fd < 0)
		return err_set("cannot create a TCP socket (%s): check the system's limits on open files",
			       strerror(errno));
	setsockopt(p->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(p->listen_fd, (struct sockaddr *)&a, sizeof a) == 0 && listen(p->listen_fd, 2) == 0) {
		snprintf(p->where, sizeof p->where, "127.0.0.1:%d", port);
		return 0;
	}
	int e = errno;

	close(p->listen_fd);
	p->listen_fd = -1;
	if (e == EADDRINUSE)
		return err_set("port %d on 127.0.0.1 is already in use: pick another with --gdb-port=PORT "
			       "or stop what holds it", port);
	return err_set("cannot use port %d on 127.0.0.1 (%s): pick another with --gdb-port=PORT", port,
		       strerror(e));
}

void proxy_drop_client(struct proxy *p)
{
	if (p->client_fd >= 0)
		close(p->client_fd);
	p->client_fd = -1;
	p->rx_pos = p->rx_len = 0;
	p->last_len = 0;
	p->ack_owed = 0;
	rsp_init(&p->parser);
}

void proxy_close(struct proxy *p)
{
	proxy_drop_client(p);
	if (p->listen_fd >= 0)
		close(p->listen_fd);
	p->listen_fd = -1;
	if (p->path[0])
		unlink(p->path);
	p->path[0] = p->where[0] = '\0';
	if (p->dir[0])
		rmdir(p->dir);
	p->dir[0] = '\0';
}

static int write_all(int fd, const char *b, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, b, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN) {
			struct pollfd pfd = { .fd = fd, .events = POLLOUT };

			if (poll(&pfd, 1, 2000) <= 0)	/* a gdb that reads nothing for 2 s is let go */
				return -1;
			continue;
		}
		if (w <= 0)
			return -1;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* A second gdb: its first request is answered with an error that says
 * why, and the connection is closed once it has had a moment to read it
 * (closing at once, gdb would only see a broken pipe).  At most about a
 * second, so the screen does not wait for a gdb that says nothing. */
static void turn_away(int fd)
{
	static const char no[] = "E.another gdb is attached to this bootscope: detach it first";
	struct rsp_parser parser;
	char f[sizeof no + 8], buf[512];
	size_t n = rsp_frame(f, sizeof f, no, sizeof no - 1), used;
	int answered = 0;

	rsp_init(&parser);
	for (int waited = 0; waited < 1000;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		if (poll(&pfd, 1, 100) <= 0) {
			waited += 100;
			if (answered)
				break;	/* it had its answer and said nothing more */
			continue;
		}
		ssize_t got = recv(fd, buf, sizeof buf, 0);
		if (got <= 0)
			break;
		for (size_t at = 0; at < (size_t)got; at += used)
			if (rsp_feed(&parser, buf + at, (size_t)got - at, &used) == RSP_EV_PACKET && !answered) {
				answered = 1;
				if (write_all(fd, "+", 1) < 0 || write_all(fd, f, n) < 0)
					waited = 1000;
			}
	}
	close(fd);
}

int proxy_accept(struct proxy *p)
{
	int fd = accept4(p->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (fd < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : err_set("accept: %s", strerror(errno));
	if (p->client_fd >= 0) {
		turn_away(fd);
		return 0;
	}
	/* Each answer is one small write that gdb waits for: Nagle's
	 * algorithm would hold it back until gdb acknowledged the last.  (On
	 * a unix socket the call fails, and there is nothing to turn off.) */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 }, sizeof(int));
	p->client_fd = fd;
	p->rx_pos = p->rx_len = 0;
	p->last_len = 0;
	rsp_init(&p->parser);
	return 1;
}

int proxy_send(struct proxy *p, const char *payload, size_t len)
{
	size_t n;

	if (p->client_fd < 0)
		return 0;
	/* The acknowledgement goes out with the answer: one write, and
	 * gdb woken once. */
	n = rsp_frame(p->last + 1, sizeof p->last - 1, payload, len);
	if (n == 0)
		return err_set("an answer of %zu bytes does not fit in a packet for gdb", len);
	p->last[0] = '+';
	p->last_len = n;
	int ack = p->ack_owed;

	p->ack_owed = 0;
	if (write_all(p->client_fd, p->last + !ack, n + (size_t)ack) < 0) {
		proxy_drop_client(p);
		return err_set("gdb stopped reading: it is let go");
	}
	return 0;
}

enum proxy_event proxy_next(struct proxy *p)
{
	/* A request that got no answer (a run, gdb's kill) is acknowledged
	 * before anything more is read. */
	if (p->client_fd >= 0 && p->ack_owed) {
		p->ack_owed = 0;
		if (write_all(p->client_fd, "+", 1) < 0)
			return PROXY_GONE;
	}
	for (;;) {
		if (p->client_fd < 0)
			return PROXY_GONE;
		if (p->rx_pos == p->rx_len) {
			ssize_t n = recv(p->client_fd, p->rx, sizeof p->rx, 0);

			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				return PROXY_NONE;
			if (n <= 0)
				return PROXY_GONE;
			p->rx_pos = 0;
			p->rx_len = (size_t)n;
		}
		size_t used;
		enum rsp_event ev = rsp_feed(&p->parser, p->rx + p->rx_pos, p->rx_len - p->rx_pos, &used);

		p->rx_pos += used;
		switch (ev) {
		case RSP_EV_PACKET:
			p->ack_owed = 1;	/* sent with the answer */
			return PROXY_PACKET;
		case RSP_EV_INTERRUPT:
			return PROXY_INTERRUPT;
		case RSP_EV_NAK:
			if (p->last_len && write_all(p->client_fd, p->last + 1, p->last_len) < 0)
				return PROXY_GONE;
			break;
		case RSP_EV_BAD_CHECKSUM:
			if (write_all(p->client_fd, "-", 1) < 0)
				return PROXY_GONE;
			break;
		case RSP_EV_OVERFLOW:
			/* Too big to keep: acknowledged, and refused as an error. */
			p->ack_owed = 1;
			if (proxy_send(p, "E01", 3) < 0)
				return PROXY_GONE;
			break;
		case RSP_EV_ACK:
		case RSP_EV_NONE:
			break;
		}
	}
}
