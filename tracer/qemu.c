/* qemu: start and stop QEMU (see qemu.h).
 *
 * Every start makes one private directory, bootscope.XXXXXX (mode 0700):
 *
 *	gdb.sock   the gdbstub's unix socket
 *	qemu.err   QEMU's stderr; a file rather than a pipe, so a chatty QEMU
 *	           (-d ...) never blocks on a pipe nobody drains
 *	count.live the counting plugin's running total (with a plugin)
 *	count.out  its counts per address, written when QEMU ends
 *
 * The command line is
 *
 *	QEMU MACHINE... -monitor none -serial stdio -S
 *	     -gdb unix:DIR/gdb.sock,server=on,wait=off -bios BIOS
 *	     [-kernel K] [-device loader,file=F,addr=A] [extra...]
 *
 * with the board's machine arguments (-machine virt -nographic).
 * -nographic alone would multiplex the monitor onto the serial console
 * (mon:stdio, Ctrl-A c); with -monitor none the console is plain stdio: the
 * guest's bytes and nothing else.  stdin is /dev/null because QEMU's stdio
 * chardev makes fd 0 non-blocking, which on a shared terminal would break
 * bootscope's own input.
 */
#include "qemu.h"
#include "clock.h"
#include "err.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SOCK_NAME "gdb.sock"
#define ERR_NAME "qemu.err"
#define LIVE_NAME "count.live"
#define OUT_NAME "count.out"

/* Everything that may be in the directory, for removing it. */
static const char *const dir_files[] = { SOCK_NAME, ERR_NAME, LIVE_NAME, OUT_NAME };
#define DIR_NAME "bootscope.XXXXXX"

static void sleep_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&t, NULL);
}

/* The child moves its fds onto 0 to 3; sources above them never collide. */
#define CHILD_FDS 4

static int above_child_fds(int fd)
{
	int nfd;

	if (fd < 0 || fd >= CHILD_FDS)
		return fd;
	nfd = fcntl(fd, F_DUPFD_CLOEXEC, CHILD_FDS);
	close(fd);
	return nfd;
}

/* sun_path holds 108 bytes: a base that is too long falls back to /tmp. */
static int make_dir(struct qemu *q)
{
	const char *bases[] = { getenv("XDG_RUNTIME_DIR"), getenv("TMPDIR"), "/tmp" };
	size_t room = sizeof ((struct sockaddr_un *)0)->sun_path - sizeof "/" DIR_NAME "/" SOCK_NAME;

	for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++) {
		const char *b = bases[i];

		if (!b || !*b || strlen(b) > room || access(b, W_OK | X_OK) != 0)
			continue;
		snprintf(q->dir, sizeof q->dir, "%s/%s", b, DIR_NAME);
		if (mkdtemp(q->dir))
			return 0;
	}
	q->dir[0] = '\0';
	return err_set("cannot create a private directory for QEMU in /tmp (%s): make /tmp writable or set TMPDIR",
		       strerror(errno));
}

/* QEMU's option parser splits on ','; a literal comma is written ",,". */
static char *opt_escaped(const char *before, const char *value, const char *after)
{
	size_t n = strlen(before) + 2 * strlen(value) + strlen(after) + 1;
	char *s = malloc(n), *p = s;

	if (!s)
		return NULL;
	p = stpcpy(p, before);
	for (const char *v = value; *v; v++) {
		*p++ = *v;
		if (*v == ',')
			*p++ = ',';
	}
	strcpy(p, after);
	return s;
}

/* Does the machine have more than one hart?  Any -smp but "-smp 1"
 * ("-smp 2", "-smp cpus=4,sockets=2"). */
static int several_harts(const struct qemu_opts *o)
{
	for (int i = 0; i + 1 < o->nextra; i++)
		if (strcmp(o->extra[i], "-smp") == 0 && strcmp(o->extra[i + 1], "1") != 0 &&
		    strcmp(o->extra[i + 1], "cpus=1") != 0)
			return 1;
	return 0;
}

/* -plugin's value: the plugin, and the plugin's files in QEMU's directory.
 * With several harts it counts by hart, which also keeps the counts
 * exact when the harts run at once (plugin/count.c). */
static char *plugin_arg(const struct qemu_opts *o, const char *dir)
{
	char *a = opt_escaped("file=", o->plugin, ",out="), *b = opt_escaped("", dir, "/" OUT_NAME ",live="),
	     *c = opt_escaped("", dir, "/" LIVE_NAME), *s = NULL;

	if (a && b && c && asprintf(&s, "%s%s%s%s", a, b, c, several_harts(o) ? ",harts=on" : "") < 0)
		s = NULL;
	free(a);
	free(b);
	free(c);
	return s;
}

/* The plugin made its counter file when QEMU loaded it, before the
 * gdbstub came up. */
static int map_live(struct qemu *q)
{
	char path[sizeof q->dir + 16];
	void *p;
	int fd;

	snprintf(path, sizeof path, "%s/" LIVE_NAME, q->dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set("the counting plugin did not start in QEMU (%s: %s): rebuild it with make",
			       path, strerror(errno));
	p = mmap(NULL, sizeof *q->live, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return err_set("cannot map the counting plugin's counter (%s): rebuild it with make", strerror(errno));
	q->live = p;
	return 0;
}

int qemu_insns(const struct qemu *q, uint64_t *out)
{
	if (!q->live)
		return -1;
	*out = *q->live;	/* the plugin's file is little-endian, as every host we build on */
	return 0;
}

const char *qemu_counts_path(const struct qemu *q, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s/" OUT_NAME, q->dir);
	return buf;
}

/* In the child, between fork and exec: only async-signal-safe calls. */
static void child(char *const argv[], int in, int out, int errf, int status, pid_t parent, const char *tmp)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t none;
	int e, sfd = status;

	/* Its own process group: Ctrl-C in bootscope's terminal is bootscope's. */
	setpgid(0, 0);
	/* Dies with the thread that forked it, even if bootscope is SIGKILLed. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	/* Ignored signals and the mask survive exec; QEMU must see SIGTERM. */
	for (int s = 1; s < NSIG; s++)
		sigaction(s, &dfl, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(errf, 2) < 0)
		goto fail;
	if (status != 3 && dup3(status, 3, O_CLOEXEC) < 0)
		goto fail;
	sfd = 3;
	if (close_range(CHILD_FDS, ~0U, 0) < 0)
		for (int fd = CHILD_FDS; fd < 1024; fd++)
			close(fd);
	/* QEMU's temporary files (a -drive's snapshot=on copy, which it
	 * unlinks as soon as it has it open) in bootscope's own directory,
	 * not in a TMPDIR that may not be there. */
	if (setenv("TMPDIR", tmp, 1) < 0)
		goto fail;
	execvp(argv[0], argv);
fail:
	e = errno;
	if (write(sfd, &e, sizeof e) < 0)
		_exit(127);
	_exit(127);
}

/* QEMU's last words: the last line of its stderr file that QEMU signed
 * with its own name (error_report's "qemu-system-riscv64: ..."), since
 * what follows such a line is often only detail; else the last line. */
static void last_line(struct qemu *q)
{
	char path[sizeof q->dir + 16], buf[4096], *end, *start;
	ssize_t n = -1;
	off_t size;
	int fd;

	snprintf(path, sizeof path, "%s/" ERR_NAME, q->dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		size = lseek(fd, 0, SEEK_END);
		n = pread(fd, buf, sizeof buf, size > (off_t)sizeof buf ? size - (off_t)sizeof buf : 0);
		close(fd);
	}
	end = buf + (n > 0 ? n : 0);
	while (end > buf && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
		end--;
	for (start = end; start > buf && start[-1] != '\n'; start--)
		;
	for (char *line = start, *stop = end; line > buf; stop = line - 1) {
		for (line = stop; line > buf && line[-1] != '\n'; line--)
			;
		if (strncmp(line, "qemu", 4) == 0 && memchr(line, ':', (size_t)(stop - line))) {
			start = line;
			end = stop;
			while (end > start && (end[-1] == '\r' || end[-1] == ' '))
				end--;
			break;
		}
	}
	snprintf(q->last_err, sizeof q->last_err, "%.*s", (int)(end - start), start);
}

int qemu_reap(struct qemu *q)
{
	pid_t r;
	int st;

	if (q->exited || q->pid <= 0)
		return 1;
	do
		r = waitpid(q->pid, &st, WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		return 0;
	/* ECHILD: someone else reaped it; the status is lost, not the exit. */
	q->status = r == q->pid ? st : 0;
	q->exited = 1;
	last_line(q);
	return 1;
}

/* The unix socket: QEMU creates it already listening, but connect() is the
 * test the transport will face. */
static int probe_unix(const struct qemu *q)
{
	struct sockaddr_un u = { .sun_family = AF_UNIX };
	int fd, r;

	snprintf(u.sun_path, sizeof u.sun_path, "%s", q->endpoint + 5);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	r = connect(fd, (struct sockaddr *)&u, sizeof u);
	close(fd);
	return r;
}

static int start_failed(struct qemu *q)
{
	char why[sizeof q->last_err + 64];

	if (q->last_err[0])
		err_set("QEMU exited at start: %s (fix what it names and try again)", q->last_err);
	else
		err_set("%s at start without a message: run it by hand with the same options to see why",
			qemu_exit_reason(q, why, sizeof why));
	return -1;
}

static int spawn(struct qemu *q, char *const argv[])
{
	/* /dev/null, the stderr file, the console pipe, the exec-status pipe */
	int fd[6] = { -1, -1, -1, -1, -1, -1 }, ok, e;
	char errpath[sizeof q->dir + 16];
	pid_t parent = getpid();
	ssize_t n;

	snprintf(errpath, sizeof errpath, "%s/" ERR_NAME, q->dir);
	fd[0] = open("/dev/null", O_RDONLY | O_CLOEXEC);
	fd[1] = open(errpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ok = pipe2(fd + 2, O_CLOEXEC) == 0 && pipe2(fd + 4, O_CLOEXEC) == 0;
	for (int i = 0; i < 6; i++)
		ok = (fd[i] = above_child_fds(fd[i])) >= 0 && ok;
	if (!ok) {
		err_set("cannot set up QEMU's console and stderr (%s): check the system's limits on open files",
			strerror(errno));
		goto out;
	}
	q->pid = fork();
	if (q->pid == 0)
		child(argv, fd[0], fd[3], fd[1], fd[5], parent, q->dir);
	if (q->pid < 0) {
		q->pid = 0;
		err_set("cannot start QEMU (fork: %s): free some memory or processes and try again", strerror(errno));
		goto out;
	}
	/* Also here, so a Ctrl-C right after fork cannot reach the child. */
	setpgid(q->pid, q->pid);
	close(fd[5]);
	fd[5] = -1;
	/* EOF: exec succeeded and closed the pipe; an int: exec's errno. */
	do
		n = read(fd[4], &e, sizeof e);
	while (n < 0 && errno == EINTR);
	if (n == sizeof e) {
		while (waitpid(q->pid, &q->status, 0) < 0 && errno == EINTR)
			;
		q->exited = 1;
		if (e == ENOENT)
			err_set("%s not found: install it with `sudo apt-get install qemu-system-misc` (or pass --qemu PATH)",
				argv[0]);
		else
			err_set("cannot run %s (%s): pass --qemu with the path of a working QEMU",
				argv[0], strerror(e));
		goto out;
	}
	fcntl(fd[2], F_SETFL, fcntl(fd[2], F_GETFL) | O_NONBLOCK);
	q->console_fd = fd[2];
	fd[2] = -1;
out:
	for (int i = 0; i < 6; i++)
		if (fd[i] >= 0)
			close(fd[i]);
	return q->console_fd >= 0 ? 0 : -1;
}

int qemu_start(struct qemu *q, const struct qemu_opts *o, int timeout_ms)
{
	static const struct qemu_opts none;
	static const char *const fixed[] = { "-monitor", "none", "-serial", "stdio", "-S" };
	size_t nfixed = sizeof fixed / sizeof fixed[0], nmachine = 0;
	char *gdb = NULL, *loader = NULL, *plugin = NULL, *drive = NULL, addr[32], **argv = NULL;
	int argc = 0, r = -1;
	long deadline;

	memset(q, 0, sizeof *q);
	q->console_fd = -1;
	if (!o)
		o = &none;
	if (!o->qemu || !o->machine)
		return err_set("qemu_start: no QEMU binary or machine given: this is a bug in the caller");
	while (o->machine[nmachine])
		nmachine++;
	if (o->nextra < 0 || (o->nextra > 0 && !o->extra))
		return err_set("qemu_start: %d extra arguments but no array: this is a bug in the caller", o->nextra);
	if (make_dir(q) < 0)
		return -1;
	snprintf(q->endpoint, sizeof q->endpoint, "unix:%s/%s", q->dir, SOCK_NAME);
	gdb = opt_escaped("", q->endpoint, ",server=on,wait=off");
	snprintf(addr, sizeof addr, ",addr=0x%llx", (unsigned long long)o->loader_addr);
	if (o->loader_file)
		loader = opt_escaped("loader,file=", o->loader_file, addr);
	if (o->plugin)
		plugin = plugin_arg(o, q->dir);
	if (o->drive)
		drive = opt_escaped("format=raw,snapshot=on,file=", o->drive, "");
	argv = calloc(nmachine + nfixed + 16 + (size_t)o->nextra, sizeof *argv);
	if (!gdb || !argv || (o->loader_file && !loader) || (o->plugin && !plugin) || (o->drive && !drive)) {
		err_set("out of memory while building QEMU's command line: free some memory and try again");
		goto out;
	}
#define ARG(s) (argv[argc++] = (char *)(s))
	ARG(o->qemu);
	for (size_t i = 0; i < nmachine; i++)
		ARG(o->machine[i]);
	for (size_t i = 0; i < nfixed; i++)
		ARG(fixed[i]);
	ARG("-gdb"), ARG(gdb);
	if (o->bios)
		ARG("-bios"), ARG(o->bios);
	if (o->kernel)
		ARG("-kernel"), ARG(o->kernel);
	if (loader)
		ARG("-device"), ARG(loader);
	if (drive)
		ARG("-drive"), ARG(drive);
	if (plugin)
		ARG("-plugin"), ARG(plugin);
	for (int i = 0; i < o->nextra; i++)
		ARG(o->extra[i]);
#undef ARG
	argv[argc] = NULL;
	if (spawn(q, argv) < 0)
		goto out;

	deadline = clock_ms() + (timeout_ms > 0 ? timeout_ms : 5000);
	for (;;) {
		if (qemu_reap(q)) {
			start_failed(q);
			goto out;
		}
		if (probe_unix(q) == 0) {
			r = o->plugin ? map_live(q) : 0;
			break;
		}
		if (clock_ms() >= deadline) {
			err_set("%s did not open its gdbstub on %s within %d ms, so bootscope stopped it: "
				"check that it is a working QEMU (run it by hand)",
				argv[0], q->endpoint, timeout_ms > 0 ? timeout_ms : 5000);
			break;
		}
		sleep_ms(5);
	}
out:
	if (r < 0)
		qemu_stop(q);
	free(gdb);
	free(loader);
	free(plugin);
	free(drive);
	free(argv);
	return r;
}

ssize_t qemu_console_read(struct qemu *q, char *buf, size_t cap)
{
	ssize_t n;

	if (q->console_fd < 0)
		return 0;
	do
		n = read(q->console_fd, buf, cap);
	while (n < 0 && errno == EINTR);
	return n;
}

/* QEMU leads its own process group (see child()): signal all of it, so a
 * wrapper given as --qemu takes its children along.  Only before the
 * leader is reaped: until then the group's id cannot be anyone else's. */
static void signal_group(const struct qemu *q, int sig)
{
	if (kill(-q->pid, sig) < 0)
		kill(q->pid, sig);
}

int qemu_finish(struct qemu *q, int timeout_ms)
{
	long long deadline = clock_ms() + timeout_ms;

	if (q->pid <= 0)
		return err_set("QEMU was not started");
	if (!qemu_reap(q))
		signal_group(q, SIGTERM);
	while (!qemu_reap(q)) {
		if (clock_ms() >= deadline)
			return err_set("QEMU did not end within %d ms of SIGTERM", timeout_ms);
		sleep_ms(5);
	}
	return 0;
}

static void stop(struct qemu *q, int gently)
{
	char path[sizeof q->dir + 16];
	siginfo_t si;

	if (q->pid > 0 && !qemu_reap(q)) {
		if (gently)
			signal_group(q, SIGTERM);
		for (int i = 0; gently && i < 100; i++) {
			si.si_pid = 0;	/* WNOWAIT: it stays a zombie, its id ours */
			if (waitid(P_PID, (id_t)q->pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0 || si.si_pid)
				break;
			sleep_ms(10);
		}
		signal_group(q, SIGKILL);	/* whatever is left of the group */
		q->status = 0;
		while (waitpid(q->pid, &q->status, 0) < 0 && errno == EINTR)
			;
		q->exited = 1;
		last_line(q);
	}
	if (q->console_fd >= 0)
		close(q->console_fd);
	q->console_fd = -1;
	if (q->live) {
		munmap((void *)q->live, sizeof *q->live);
		q->live = NULL;
	}
	if (q->dir[0]) {
		for (size_t i = 0; i < sizeof dir_files / sizeof dir_files[0]; i++) {
			snprintf(path, sizeof path, "%s/%s", q->dir, dir_files[i]);
			unlink(path);
		}
		rmdir(q->dir);
		q->dir[0] = '\0';
	}
}

void qemu_stop(struct qemu *q)
{
	stop(q, 1);
}

void qemu_kill(struct qemu *q)
{
	stop(q, 0);
}

const char *qemu_exit_reason(const struct qemu *q, char *buf, size_t cap)
{
	const char *sep = q->last_err[0] ? ": " : "";
	char raw[sizeof q->last_err + 192];

	if (q->pid <= 0)
		snprintf(raw, sizeof raw, "QEMU was not started");
	else if (!q->exited)
		snprintf(raw, sizeof raw, "QEMU is running");
	else if (WIFSIGNALED(q->status))
		snprintf(raw, sizeof raw, "QEMU was killed by signal %d (%s)%s%s; %s", WTERMSIG(q->status),
			 strsignal(WTERMSIG(q->status)), sep, q->last_err,
			 WTERMSIG(q->status) == SIGKILL
				 ? "killed from outside, or the system ran out of memory (see dmesg): start again"
				 : "it crashed or was stopped from outside: start again, and if it recurs run QEMU by hand");
	else
		snprintf(raw, sizeof raw, "QEMU exited with status %d%s%s", WEXITSTATUS(q->status), sep, q->last_err);
	/* last_err is QEMU's own stderr: printable, so the line stays one. */
	text_printable(buf, cap, raw, strlen(raw), 0);
	return buf;
}

uint64_t qemu_ram_size(const char *const *args, int nargs, uint64_t dflt)
{
	for (int i = 0; i + 1 < nargs; i++) {
		const char *v = args[i + 1];
		char *end;

		if (strcmp(args[i], "-m") != 0)
			continue;
		if (strncmp(v, "size=", 5) == 0)
			v += 5;
		errno = 0;
		uint64_t n = strtoull(v, &end, 10);
		if (errno || end == v)
			return 0;
		switch (*end) {
		case 'G': case 'g': return n << 30;
		case 'K': case 'k': return n << 10;
		case '\0': case 'M': case 'm': return n << 20;	/* QEMU's default unit is MiB */
		default: return 0;
		}
	}
	return dflt;
}

/* Only async-signal-safe calls, and q only read: a crash handler's.  The
 * names are joined by hand, since snprintf is not safe there. */
void qemu_abandon(const struct qemu *q)
{
	char path[sizeof q->dir + 16];
	size_t n = 0;

	if (q->pid > 0 && !q->exited)	/* reaped: its id may be someone else's */
		signal_group(q, SIGKILL);
	while (n < sizeof q->dir - 1 && q->dir[n])
		n++;
	if (n == 0)
		return;
	memcpy(path, q->dir, n);
	path[n] = '/';
	for (size_t i = 0; i < sizeof dir_files / sizeof dir_files[0]; i++) {
		size_t k = strlen(dir_files[i]);

		memcpy(path + n + 1, dir_files[i], k + 1);
		unlink(path);
	}
	path[n] = '\0';
	rmdir(path);
}
