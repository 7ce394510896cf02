/* test_proxy: the sockets bootscope serves to a gdb of the user's
 * (proxy.h): a TCP port on 127.0.0.1 that is taken is said in one line and
 * holds nothing; a free one is served, named for gdb's `target remote`,
 * with Nagle's algorithm off for the accepted gdb; a unix socket is the
 * user's only, and closing removes it and its private directory. */
#include "check.h"
#include "err.h"
#include "proxy.h"

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

/* A port the kernel gives out, held by a listener of the test's own. */
static int listener(int *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 1) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*port = ntohs(a.sin_port);
	return fd;
}

static int connect_tcp(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The listener is non-blocking: wait for the connection to be there. */
static int accept_one(struct proxy *p)
{
	struct pollfd pfd = { .fd = p->listen_fd, .events = POLLIN };

	if (poll(&pfd, 1, 3000) != 1)
		return -1;
	return proxy_accept(p);
}

static void test_tcp(void)
{
	struct proxy p;
	char want[160];
	int port = 0, held, gdb, nodelay = 0;
	socklen_t len = sizeof nodelay;

	held = listener(&port);
	if (!CHECK(held >= 0))
		return;
	proxy_init(&p);
	CHECK(proxy_listen_tcp(&p, port) == -1);
	snprintf(want, sizeof want, "port %d on 127.0.0.1 is already in use: pick another with --gdb-port=PORT "
		 "or stop what holds it", port);
	CHECK_EQ_STR(err_msg(), want);
	CHECK(p.listen_fd == -1);
	CHECK_EQ_STR(p.where, "");

	/* Freed, the same port serves. */
	close(held);
	if (!CHECK(proxy_listen_tcp(&p, port) == 0)) {
		printf("# %s\n", err_msg());
		return;
	}
	snprintf(want, sizeof want, "127.0.0.1:%d", port);
	CHECK_EQ_STR(p.where, want);
	gdb = connect_tcp(port);
	CHECK(gdb >= 0);
	CHECK(accept_one(&p) == 1);
	CHECK(p.client_fd >= 0);
	CHECK(getsockopt(p.client_fd, IPPROTO_TCP, TCP_NODELAY, &nodelay, &len) == 0 && nodelay);
	/* What gdb sends arrives as a packet; its acknowledgement goes out
	 * with the answer, in one write. */
	CHECK(write(gdb, "$?#3f", 5) == 5);
	struct pollfd pfd = { .fd = p.client_fd, .events = POLLIN };
	CHECK(poll(&pfd, 1, 3000) == 1);
	CHECK(proxy_next(&p) == PROXY_PACKET);
	CHECK(p.parser.pkt_len == 1 && p.parser.pkt[0] == '?');
	CHECK(proxy_send(&p, "OK", 2) == 0);
	char got[16] = "";
	pfd.fd = gdb;
	CHECK(poll(&pfd, 1, 3000) == 1);
	CHECK(read(gdb, got, sizeof got - 1) == 7);
	CHECK_EQ_STR(got, "+$OK#9a");
	/* A request left unanswered (a run) is acknowledged alone before
	 * the next read. */
	CHECK(write(gdb, "$c#63", 5) == 5);
	pfd.fd = p.client_fd;
	CHECK(poll(&pfd, 1, 3000) == 1);
	CHECK(proxy_next(&p) == PROXY_PACKET);
	CHECK(proxy_next(&p) == PROXY_NONE);
	memset(got, 0, sizeof got);
	pfd.fd = gdb;
	CHECK(poll(&pfd, 1, 3000) == 1);
	CHECK(read(gdb, got, sizeof got - 1) == 1);
	CHECK_EQ_STR(got, "+");
	close(gdb);
	proxy_close(&p);
	CHECK(p.listen_fd == -1 && p.client_fd == -1);
	/* Nothing holds the port after close. */
	gdb = connect_tcp(port);
	CHECK(gdb < 0);
	if (gdb >= 0)
		close(gdb);
}

static void test_unix(void)
{
	struct proxy p;
	struct stat st;
	char dir[sizeof p.dir], path[sizeof p.path];

	proxy_init(&p);
	if (!CHECK(proxy_listen(&p, NULL) == 0)) {
		printf("# %s\n", err_msg());
		return;
	}
	snprintf(dir, sizeof dir, "%s", p.dir);
	snprintf(path, sizeof path, "%s", p.path);
	CHECK_EQ_STR(p.where, path);
	CHECK(stat(dir, &st) == 0 && (st.st_mode & 0777) == 0700);
	CHECK(stat(path, &st) == 0 && S_ISSOCK(st.st_mode) && (st.st_mode & 0077) == 0);
	/* A path that is taken is refused, and nothing is made. */
	struct proxy q;

	proxy_init(&q);
	CHECK(proxy_listen(&q, path) == -1);
	CHECK(strstr(err_msg(), "something is there already") != NULL);
	CHECK(q.listen_fd == -1);
	proxy_close(&q);
	CHECK(stat(path, &st) == 0);	/* the other's socket is left alone */
	proxy_close(&p);
	CHECK(stat(path, &st) == -1);
	CHECK(stat(dir, &st) == -1);
}

int main(void)
{
	char base[] = "/tmp/test_proxy.XXXXXX";

	if (!mkdtemp(base))
		return 1;
	setenv("XDG_RUNTIME_DIR", base, 1);
	test_tcp();
	test_unix();
	rmdir(base);
	return check_done();
}
