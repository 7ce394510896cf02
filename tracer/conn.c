#include "conn.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "clock.h"
#include "err.h"

/* Wait for events on fd until deadline; 1 ready, 0 timed out, -1 error. */
static int wait_fd(int fd, short events, long long deadline)
{
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = events };
		long long left = deadline - clock_ms();
		int n;

		if (left < 0)
			left = 0;
		n = poll(&pfd, 1, (int)left);
		if (n >= 0)
			return n;
		if (errno != EINTR)
			return -1;
	}
}

/* A non-blocking connect finished (or not) within the deadline. */
static int finish_connect(int fd, long long deadline, const char *endpoint)
{
	int soerr = 0;
	socklen_t len = sizeof soerr;

	if (wait_fd(fd, POLLOUT, deadline) <= 0)
		return err_set("no gdbstub answered at %s in time: is QEMU running with -gdb or -s?", endpoint);
	getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len);
	if (soerr)
		return err_set("cannot connect to the gdbstub at %s: %s (is QEMU running with -gdb or -s?)",
			       endpoint, strerror(soerr));
	return 0;
}

static int connect_unix(const char *path, const char *endpoint, long long deadline)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof sa.sun_path)
		return err_set("socket path %s is too long (at most %zu bytes)", path, sizeof sa.sun_path - 1);
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return err_set("socket: %s", strerror(errno));
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0 && errno != EINPROGRESS &&
	    errno != EAGAIN) {
		err_set("cannot connect to the gdbstub at %s: %s (is QEMU running with -gdb unix:%s,server=on?)",
			endpoint, strerror(errno), path);
		close(fd);
		return -1;
	}
	if (finish_connect(fd, deadline, endpoint) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int connect_tcp(const char *host, const char *port, const char *endpoint, long long deadline)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
	struct addrinfo *res, *ai;
	int fd = -1, rc, one = 1;

	rc = getaddrinfo(host, port, &hints, &res);
	if (rc)
		return err_set("cannot resolve %s: %s", endpoint, gai_strerror(rc));
	err_set("cannot connect to %s", endpoint);
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0)
			continue;
		if ((connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 || errno == EINPROGRESS) &&
		    finish_connect(fd, deadline, endpoint) == 0)
			break;
		if (errno == ECONNREFUSED)
			err_set("nothing listens at %s: start QEMU with -s -S (port 1234) or -gdb tcp::PORT",
				endpoint);
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd >= 0)	/* packets are small and latency is everything */
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd;
}

int conn_open(struct conn *c, const char *endpoint, int timeout_ms)
{
	long long deadline = clock_ms() + timeout_ms;
	char host[96];
	const char *colon;

	c->fd = -1;
	snprintf(c->endpoint, sizeof c->endpoint, "%s", endpoint);
	if (strncmp(endpoint, "unix:", 5) == 0) {
		c->fd = connect_unix(endpoint + 5, endpoint, deadline);
	} else {
		colon = strrchr(endpoint, ':');
		if (!colon) {
			snprintf(host, sizeof host, "127.0.0.1");
			colon = endpoint - 1;
		} else if ((size_t)(colon - endpoint) >= sizeof host) {
			return err_set("host name in %s is too long", endpoint);
		} else {
			/* [::1]:1234 -- the brackets keep an IPv6 address's colons
			 * apart from the port's; getaddrinfo wants them off. */
			const char *h = endpoint;
			int n = (int)(colon - endpoint);

			if (n >= 2 && h[0] == '[' && h[n - 1] == ']')
				h++, n -= 2;
			snprintf(host, sizeof host, "%.*s", n, h);
			if (host[0] == '\0')
				snprintf(host, sizeof host, "127.0.0.1");
		}
		if (colon[1] == '\0' || strspn(colon + 1, "0123456789") != strlen(colon + 1))
			return err_set("%s is not an endpoint: use unix:PATH or HOST:PORT", endpoint);
		if (strlen(colon + 1) > 5 || atoi(colon + 1) < 1 || atoi(colon + 1) > 65535)
			return err_set("port %s in %s is out of range: TCP ports go from 1 to 65535", colon + 1,
				       endpoint);
		c->fd = connect_tcp(host, colon + 1, endpoint, deadline);
	}
	return c->fd < 0 ? -1 : 0;
}

int conn_write(struct conn *c, const void *buf, size_t len, int timeout_ms)
{
	long long deadline = clock_ms() + timeout_ms;
	const char *p = buf;

	while (len > 0) {
		ssize_t n = send(c->fd, p, len, MSG_NOSIGNAL);

		if (n > 0) {
			p += n;
			len -= n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (wait_fd(c->fd, POLLOUT, deadline) > 0)
				continue;
			return err_set("the gdbstub at %s stopped reading (timed out after %d ms)",
				       c->endpoint, timeout_ms);
		}
		return err_set("the connection to %s is closed: %s", c->endpoint, strerror(errno));
	}
	return 0;
}

ssize_t conn_read(struct conn *c, void *buf, size_t cap, int timeout_ms)
{
	long long deadline = clock_ms() + timeout_ms;

	for (;;) {
		ssize_t n = recv(c->fd, buf, cap, 0);

		if (n >= 0)
			return n;
		if (errno == EINTR)
			continue;
		if (errno == ECONNRESET)
			return 0;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return err_set("reading from %s: %s", c->endpoint, strerror(errno));
		if (timeout_ms <= 0 || wait_fd(c->fd, POLLIN, deadline) <= 0) {
			errno = EAGAIN;
			return -1;
		}
	}
}

void conn_close(struct conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}
