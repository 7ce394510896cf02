/* test_qemu: the machine layer against the real qemu-system-riscv64.
 *
 * Every start happens under a private base directory (XDG_RUNTIME_DIR), so
 * counting bootscope.* there is not disturbed by other QEMUs on the machine.
 * Every wait has a hard time-out; alarm() guards the whole run, and QEMU's
 * PR_SET_PDEATHSIG takes any QEMU down with us if we die.
  *
 * TIER: qemu (make check leaves it to make test)
 */
#include "check.h"
#include "clock.h"
#include "leaks.h"
#include "err.h"
#include "board.h"
#include "qemu.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* QEMU's virt machine, as the board starts it. */
static struct qemu_opts virt_opts(void)
{
	return (struct qemu_opts){ .qemu = board_default()->qemu, .machine = board_default()->machine };
}

static char base[64];

static int gdb_connect(const char *endpoint)
{
	struct sockaddr_un u = { .sun_family = AF_UNIX };
	int fd;

	if (strncmp(endpoint, "unix:", 5) != 0)
		return -1;
	snprintf(u.sun_path, sizeof u.sun_path, "%s", endpoint + 5);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&u, sizeof u) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Frame and send one packet; the test needs no RSP library beyond this. */
static void send_pkt(int fd, const char *body)
{
	char buf[256];
	unsigned sum = 0;

	for (const char *p = body; *p; p++)
		sum += (unsigned char)*p;
	snprintf(buf, sizeof buf, "$%s#%02x", body, sum & 0xff);
	if (write(fd, buf, strlen(buf)) < 0)
		perror("write");
}

/* Read fd (through qemu_console_read if q) until any needle shows up or
 * ms pass; returns 1 if found.  buf keeps everything read. */
static int wait_for(int fd, struct qemu *q, const char *n1, const char *n2, char *buf, size_t cap, int ms)
{
	long deadline = clock_ms() + ms;
	size_t len = 0;

	buf[0] = '\0';
	while (!strstr(buf, n1) && !(n2 && strstr(buf, n2))) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		long left = deadline - clock_ms();
		ssize_t r;

		if (left <= 0 || len + 1 >= cap || poll(&p, 1, (int)left) <= 0)
			return 0;
		r = q ? qemu_console_read(q, buf + len, cap - 1 - len) : read(fd, buf + len, cap - 1 - len);
		if (r < 0 && errno == EAGAIN)
			continue;
		if (r <= 0)
			return 0;
		len += (size_t)r;
		buf[len] = '\0';
	}
	return 1;
}

static int reap_within(struct qemu *q, int ms)
{
	long deadline = clock_ms() + ms;

	while (!qemu_reap(q)) {
		if (clock_ms() > deadline)
			return 0;
		usleep(5000);
	}
	return 1;
}

static int contains(const char *s, const char *needle)
{
	if (!strstr(s, needle))
		printf("# \"%s\" lacks \"%s\"\n", s, needle);
	return strstr(s, needle) != NULL;
}

static void test_default_start(void)
{
	struct qemu_opts o = virt_opts();
	struct qemu q;
	struct stat st;
	char path[256], link[256], buf[8192], why[512];
	ssize_t n;
	pid_t pid;
	int fd;

	if (!CHECK(qemu_start(&q, &o, 5000) == 0)) {
		printf("# %s\n", err_msg());
		return;
	}
	pid = q.pid;
	snprintf(path, sizeof path, "unix:%s/bootscope.", base);
	CHECK(strncmp(q.endpoint, path, strlen(path)) == 0);
	CHECK(stat(q.dir, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0700);
	CHECK(stat(q.endpoint + 5, &st) == 0 && S_ISSOCK(st.st_mode));
	CHECK(getpgid(pid) == pid && getpgid(pid) != getpgrp());
	snprintf(path, sizeof path, "/proc/%d/fd/0", (int)pid);
	n = readlink(path, link, sizeof link - 1);
	link[n > 0 ? n : 0] = '\0';
	CHECK_EQ_STR(link, "/dev/null");
	snprintf(path, sizeof path, "/proc/%d/fd/1", (int)pid);
	n = readlink(path, link, sizeof link - 1);
	link[n > 0 ? n : 0] = '\0';
	CHECK(strncmp(link, "pipe:", 5) == 0);
	CHECK(qemu_reap(&q) == 0);
	CHECK_EQ_STR(qemu_exit_reason(&q, why, sizeof why), "QEMU is running");
	CHECK(qemu_console_read(&q, buf, sizeof buf) == -1 && errno == EAGAIN);

	fd = gdb_connect(q.endpoint);
	CHECK(fd >= 0);
	send_pkt(fd, "?");
	CHECK(wait_for(fd, NULL, "T05", "S05", buf, sizeof buf, 3000));
	/* OpenSBI's banner, and nothing of the monitor before it. */
	send_pkt(fd, "c");
	CHECK(wait_for(q.console_fd, &q, "OpenSBI v", NULL, buf, sizeof buf, 5000));
	if (!CHECK(strncmp(buf, "\r\nOpenSBI v", 11) == 0))
		printf("# console began with \"%.40s\"\n", buf);
	close(fd);

	snprintf(path, sizeof path, "%s", q.dir);
	qemu_stop(&q);
	CHECK(access(q.endpoint + 5, F_OK) < 0 && errno == ENOENT);
	CHECK(access(path, F_OK) < 0 && errno == ENOENT);
	CHECK(kill(pid, 0) < 0 && errno == ESRCH);
	CHECK_EQ_U64(q.console_fd, -1);
	CHECK(contains(qemu_exit_reason(&q, why, sizeof why), "QEMU exited with status 0: "));
	CHECK(contains(why, "terminating on signal 15"));
	qemu_stop(&q);
	CHECK_EQ_U64(count_in(base, "bootscope."), 0);
}

static void test_not_found(void)
{
	struct qemu_opts o = virt_opts();
	o.qemu = "/nonexistent/qemu-system-riscv64";
	struct qemu q;

	CHECK(qemu_start(&q, &o, 2000) == -1);
	CHECK_EQ_STR(err_msg(), "/nonexistent/qemu-system-riscv64 not found: install it with "
		     "`sudo apt-get install qemu-system-misc` (or pass --qemu PATH)");
	o.qemu = "bootscope-no-such-qemu";
	CHECK(qemu_start(&q, &o, 2000) == -1);
	CHECK(contains(err_msg(), "bootscope-no-such-qemu not found: "));
	o.qemu = "/etc/passwd";
	CHECK(qemu_start(&q, &o, 2000) == -1);
	CHECK(contains(err_msg(), "cannot run /etc/passwd (Permission denied): "));
	CHECK_EQ_U64(count_in(base, "bootscope."), 0);
	qemu_stop(&q);
}

static void test_exits_at_start(void)
{
	const char *bogus[] = { "-bogus" };
	struct qemu_opts o = virt_opts();
	o.bios = "/nonexistent/fw.bin";
	struct qemu q;
	char why[512];

	CHECK(qemu_start(&q, &o, 5000) == -1);
	CHECK(contains(err_msg(), "QEMU exited at start: "));
	CHECK(contains(err_msg(), "Unable to load the RISC-V firmware \"/nonexistent/fw.bin\""));
	CHECK(contains(qemu_exit_reason(&q, why, sizeof why), "QEMU exited with status 1: "));
	CHECK_EQ_U64(count_in(base, "bootscope."), 0);
	o = virt_opts();
	o.extra = bogus;
	o.nextra = 1;
	CHECK(qemu_start(&q, &o, 5000) == -1);
	CHECK(contains(err_msg(), "-bogus: invalid option"));
	CHECK_EQ_U64(count_in(base, "bootscope."), 0);
	o = virt_opts();
	o.kernel = "/nonexistent/kernel.elf";
	CHECK(qemu_start(&q, &o, 5000) == -1);
	CHECK(contains(err_msg(), "/nonexistent/kernel.elf"));
	CHECK_EQ_U64(count_in(base, "bootscope."), 0);
}

/* A comma in the file name must survive QEMU's option parser. */
static void test_loader_and_extra(void)
{
	const char *extra[] = { "-m", "256M", "-smp", "2" };
	struct qemu_opts o = virt_opts();
	o.bios = "none";
	o.loader_addr = 0x80200000;
	o.extra = extra;
	o.nextra = 4;
	struct qemu q;
	char file[128], buf[4096];
	int fd;

	snprintf(file, sizeof file, "%s/img,1.bin", base);
	fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0 && write(fd, "\x13\x05\x70\x02", 4) == 4);
	close(fd);
	o.loader_file = file;
	if (CHECK(qemu_start(&q, &o, 5000) == 0)) {
		fd = gdb_connect(q.endpoint);
		send_pkt(fd, "m80200000,4");
		CHECK(wait_for(fd, NULL, "13057002", NULL, buf, sizeof buf, 3000));
		close(fd);
	} else {
		printf("# %s\n", err_msg());
	}
	qemu_stop(&q);
	unlink(file);
}

static void test_exit_and_kill(void)
{
	struct qemu_opts o = virt_opts();
	struct qemu q;
	char why[512], buf[64];
	int fd;

	/* QEMU ends by itself: k kills the guest and QEMU exits 0. */
	if (CHECK(qemu_start(&q, &o, 5000) == 0)) {
		fd = gdb_connect(q.endpoint);
		send_pkt(fd, "k");
		CHECK(reap_within(&q, 3000));
		CHECK(contains(qemu_exit_reason(&q, why, sizeof why), "QEMU exited with status 0"));
		CHECK(qemu_console_read(&q, buf, sizeof buf) == 0);
		close(fd);
	}
	qemu_stop(&q);
	if (CHECK(qemu_start(&q, &o, 5000) == 0)) {
		kill(q.pid, SIGKILL);
		CHECK(reap_within(&q, 3000));
		CHECK_EQ_STR(qemu_exit_reason(&q, why, sizeof why), "QEMU was killed by signal 9 (Killed); "
			     "killed from outside, or the system ran out of memory (see dmesg): start again");
	}
	qemu_stop(&q);
	CHECK_EQ_U64(count_in(base, "bootscope."), 0);
	memset(&q, 0, sizeof q);
	qemu_stop(&q);
	CHECK_EQ_STR(qemu_exit_reason(&q, why, sizeof why), "QEMU was not started");
}

/* bootscope SIGKILLed: its QEMU must die too (PR_SET_PDEATHSIG).  As a
 * subreaper we inherit the orphan and can reap it. */
static void test_parent_death(void)
{
	struct qemu q;
	int p[2], st;
	pid_t helper, qpid = 0, r = 0;
	long deadline;

	prctl(PR_SET_CHILD_SUBREAPER, 1);
	CHECK(pipe(p) == 0);
	helper = fork();
	if (helper == 0) {
		struct qemu_opts o = virt_opts();

		if (qemu_start(&q, &o, 5000) == 0 && write(p[1], &q, sizeof q) == sizeof q)
			pause();
		_exit(1);
	}
	close(p[1]);
	CHECK(read(p[0], &q, sizeof q) == sizeof q);
	close(p[0]);
	qpid = q.pid;
	kill(helper, SIGKILL);
	waitpid(helper, &st, 0);
	deadline = clock_ms() + 3000;
	while (qpid > 0 && (r = waitpid(qpid, &st, WNOHANG)) == 0 && clock_ms() < deadline)
		usleep(5000);
	CHECK(qpid > 0 && r == qpid && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	/* The helper died without qemu_stop: clean its directory here. */
	q.pid = 0;
	qemu_stop(&q);
	CHECK_EQ_U64(count_in(base, "bootscope."), 0);
	prctl(PR_SET_CHILD_SUBREAPER, 0);
}

static void test_dir_choice(void)
{
	struct qemu_opts o = virt_opts();
	struct qemu q;
	char longdir[160], want[160];
	int ok;

	/* A base too long for sun_path falls back to /tmp. */
	snprintf(longdir, sizeof longdir, "%s/%s", base,
		 "a-rather-long-directory-name-that-leaves-no-room-for-the-socket-path");
	CHECK(mkdir(longdir, 0700) == 0);
	setenv("XDG_RUNTIME_DIR", longdir, 1);
	ok = qemu_start(&q, &o, 5000) == 0;
	CHECK(ok && strncmp(q.endpoint, "unix:/tmp/bootscope.", 20) == 0);
	qemu_stop(&q);
	/* Without XDG_RUNTIME_DIR, TMPDIR. */
	unsetenv("XDG_RUNTIME_DIR");
	setenv("TMPDIR", base, 1);
	ok = qemu_start(&q, &o, 5000) == 0;
	snprintf(want, sizeof want, "unix:%s/bootscope.", base);
	CHECK(ok && strncmp(q.endpoint, want, strlen(want)) == 0);
	qemu_stop(&q);
	unsetenv("TMPDIR");
	setenv("XDG_RUNTIME_DIR", base, 1);
	rmdir(longdir);
}

static void test_cycles(void)
{
	struct qemu_opts o = virt_opts();
	struct qemu q;
	int before = fd_count(), started = 0;

	for (int i = 0; i < 20; i++) {
		started += qemu_start(&q, &o, 5000) == 0;
		qemu_stop(&q);
	}
	CHECK_EQ_U64(started, 20);
	CHECK_EQ_U64(fd_count(), before);
	CHECK_EQ_U64(count_in(base, "bootscope."), 0);
}

int main(void)
{
	/* A hang must fail the run, not stall it; QEMU dies with us. */
	alarm(180);
	snprintf(base, sizeof base, "/tmp/test_qemu.XXXXXX");
	if (!mkdtemp(base)) {
		perror("mkdtemp");
		return 1;
	}
	setenv("XDG_RUNTIME_DIR", base, 1);
	unsetenv("TMPDIR");

	test_default_start();
	test_not_found();
	test_exits_at_start();
	test_loader_and_extra();
	test_exit_and_kill();
	test_parent_death();
	test_dir_choice();
	test_cycles();

	CHECK(rmdir(base) == 0);
	return check_done();
}
