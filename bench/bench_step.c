/* bench_step: bootscope's own RSP client, timed -- the C half of `make bench`.
 *
 *	bench_step step N KERNEL	N x (one 's' + 'g' for x0..x31, pc)
 *	bench_step raw N KERNEL		the same two packets from a bare
 *					blocking socket loop: QEMU's own floor
 *	bench_step tui N KERNEL		N x session_step(s, 1): what the screen
 *					pays per key ('s', 'g', priv + 13 CSRs)
 *	bench_step launch R KERNEL	R x (session_start, then run to the
 *					kernel's entry stage by stage)
 *
 * step and launch also take a PC disk image (board_for_file: the 0x55AA
 * signature) with its ELF after it, bench_step step N DISK SYMBOLS: then
 * 's' + one 'g' read the 33 integer and system registers of gdb's `info
 * registers` (rax..r15, rip, eflags, cs..gs, fs_base, gs_base, k_gs_base,
 * cr0..cr8, efer; gdb also shows xmm0-15 and mxcsr, which the same 'g'
 * carries), from the reset vector into SeaBIOS, and launch runs to the
 * kernel stage.
 *
 * The steps walk the real boot from the reset vector at 0x1000 into
 * OpenSBI.  Each cycle is timed with clock_gettime(CLOCK_MONOTONIC); the
 * output is key=value lines for bench/bench.py, which prints the table.
 * alarm() bounds the whole run; QEMU dies with us (PR_SET_PDEATHSIG), and
 * session_end / qemu_stop stop it and remove its socket on the normal path.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "board.h"
#include "qemu.h"
#include "session.h"
#include "target.h"

#define REPLY_TIMEOUT_MS 3000
#define NGPR 33		/* 'g' on qemu-system-riscv64: x0..x31, pc */
#define PC 32
#define X86_RIP 16	/* in x86_names */

/* The integer and system registers gdb's `info registers` shows (it shows
 * xmm0-15 and mxcsr too), all in 'g'. */
static const char *const x86_names[NGPR] = {
	"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8", "r9", "r10", "r11", "r12", "r13",
	"r14", "r15", "rip", "eflags", "cs", "ss", "ds", "es", "fs", "gs", "fs_base", "gs_base",
	"k_gs_base", "cr0", "cr2", "cr3", "cr4", "cr8", "efer",
};

static const char *bench_symbols;	/* the ELF beside a PC disk image, or NULL */

/* The board of the file (a PC disk or not), and how QEMU boots it. */
static const struct board *board_of(const char *kernel, struct qemu_opts *qo)
{
	const struct board *b = board_for_file(kernel, bench_symbols);

	if (!b)
		b = board_default();
	*qo = (struct qemu_opts){ .qemu = b->qemu, .machine = b->machine, .bios = "default", .kernel = kernel };
	if (b->disk)
		qo->kernel = NULL, qo->drive = kernel;
	if (b->bios_unnamed)
		qo->bios = NULL;
	return b;
}

static pid_t bench_qemu_pid;

static void on_alarm(int sig)
{
	(void)sig;
	if (bench_qemu_pid > 0)
		kill(bench_qemu_pid, SIGKILL);
	static const char msg[] = "bench_step: hard time-out, QEMU killed\n";
	if (write(2, msg, sizeof msg - 1) < 0)
		_exit(3);
	_exit(3);
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted v[0..n). */
static double pct(const double *v, size_t n, double p)
{
	size_t k = (size_t)(p / 100.0 * (double)n + 0.999999);

	if (k < 1)
		k = 1;
	if (k > n)
		k = n;
	return v[k - 1];
}

static void report(const char *name, double *v, size_t n)
{
	double sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += v[i];
	qsort(v, n, sizeof *v, cmp_double);
	printf("%s n=%zu median=%.1f p95=%.1f mean=%.1f min=%.1f max=%.1f\n", name, n,
	       pct(v, n, 50), pct(v, n, 95), sum / (double)n, v[0], v[n - 1]);
}

static double tv_us(struct timeval tv)
{
	return tv.tv_sec * 1e6 + tv.tv_usec;
}

/* Our own CPU per cycle: what the client costs, apart from waiting. */
static void report_cpu(const struct rusage *r0, const struct rusage *r1, unsigned long n)
{
	printf("client_cpu_us_per_step=%.1f vcsw_per_step=%.2f\n",
	       (tv_us(r1->ru_utime) - tv_us(r0->ru_utime) + tv_us(r1->ru_stime) - tv_us(r0->ru_stime)) /
		       (double)n,
	       (double)(r1->ru_nvcsw - r0->ru_nvcsw) / (double)n);
}

static int fail(const char *what)
{
	fprintf(stderr, "bench_step: %s: %s\n", what, err_msg());
	return 1;
}

/* 's' + 'g' through the target API only: no session, no CSRs. */
static int bench_step(unsigned long n, const char *kernel)
{
	struct qemu q = { .console_fd = -1 };
	struct qemu_opts qo;
	const struct board *b = board_of(kernel, &qo);
	int x86 = b->disk;
	struct target t = { .conn.fd = -1 };
	struct rsp_stop stop;
	/* x0..x31 and pc: what 'g' carries on this stub (x86: x86_names). */
	int nums[NGPR], pc = x86 ? X86_RIP : PC;
	uint64_t gpr[NGPR], first_pc, last_pc = 0;
	double *v = calloc(3 * n, sizeof *v), *vs = v + n, *vg = v + 2 * n;
	struct rusage r0, r1;
	int rc = 1;

	if (!v)
		return fail("out of memory");
	if (qemu_start(&q, &qo, 5000) < 0) {
		rc = fail("qemu_start");
		goto out;
	}
	bench_qemu_pid = q.pid;
	if (target_open(&t, q.endpoint, REPLY_TIMEOUT_MS) < 0) {
		rc = fail("target_open");
		goto out;
	}
	for (int i = 0; i < NGPR; i++)
		if ((nums[i] = x86 ? target_regnum(&t, x86_names[i]) : i) < 0) {
			fprintf(stderr, "bench_step: the stub has no register %s\n", x86_names[i]);
			goto out;
		}
	if (target_regs_read(&t, nums, NGPR, gpr) < 0) {
		rc = fail("reading the registers");
		goto out;
	}
	first_pc = gpr[pc];
	getrusage(RUSAGE_SELF, &r0);
	for (unsigned long i = 0; i < n; i++) {
		double t0 = now_us(), t1;

		if (target_run_step(&t, &stop) < 0 || t.gone) {
			rc = fail("step");
			goto out;
		}
		t1 = now_us();
		if (target_regs_read(&t, nums, NGPR, gpr) < 0) {
			rc = fail("reading the registers");
			goto out;
		}
		v[i] = now_us() - t0;
		vs[i] = t1 - t0;
		vg[i] = v[i] - vs[i];
		last_pc = gpr[pc];
	}
	getrusage(RUSAGE_SELF, &r1);
	printf("first_pc=0x%" PRIx64 " last_pc=0x%" PRIx64 "\n", first_pc, last_pc);
	report("step_g", v, n);
	report("step_only", vs, n);
	report("g_only", vg, n);
	report_cpu(&r0, &r1, n);
	rc = 0;
out:
	target_close(&t);
	qemu_stop(&q);
	bench_qemu_pid = 0;
	free(v);
	return rc;
}

/* Read from a blocking fd until one whole "$...#xx" packet has come;
 * acks ('+') before it are skipped.  0, or -1 on EOF or error. */
static int raw_packet(int fd)
{
	char buf[2048];
	int in = 0, tail = -1;

	for (;;) {
		ssize_t got = recv(fd, buf, sizeof buf, 0);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return -1;
		for (ssize_t i = 0; i < got; i++) {
			if (tail >= 0 && ++tail == 2)
				return 0;	/* the second checksum digit */
			if (!in && buf[i] == '$')
				in = 1;
			else if (in && buf[i] == '#')
				tail = 0;
		}
	}
}

/* The floor: 's' and 'g' from a bare blocking loop, no parsing beyond
 * framing, the ack folded into the next request as bootscope does. */
static int bench_raw(unsigned long n, const char *kernel)
{
	struct qemu q = { .console_fd = -1 };
	const struct board *b = board_default();
	struct qemu_opts qo = { .qemu = b->qemu, .machine = b->machine, .bios = "default", .kernel = kernel };
	struct conn c = { .fd = -1 };
	double *v = calloc(n, sizeof *v);
	struct rusage r0, r1;
	int rc = 1;

	if (!v)
		return fail("out of memory");
	if (qemu_start(&q, &qo, 5000) < 0 || conn_open(&c, q.endpoint, REPLY_TIMEOUT_MS) < 0) {
		rc = fail("starting QEMU");
		goto out;
	}
	bench_qemu_pid = q.pid;
	fcntl(c.fd, F_SETFL, fcntl(c.fd, F_GETFL) & ~O_NONBLOCK);
	getrusage(RUSAGE_SELF, &r0);
	for (unsigned long i = 0; i < n; i++) {
		double t0 = now_us();

		if (send(c.fd, i ? "+$s#73" : "$s#73", i ? 6 : 5, MSG_NOSIGNAL) < 0 || raw_packet(c.fd) < 0 ||
		    send(c.fd, "+$g#67", 6, MSG_NOSIGNAL) < 0 || raw_packet(c.fd) < 0) {
			fprintf(stderr, "bench_step: raw loop: %s\n", strerror(errno));
			goto out;
		}
		v[i] = now_us() - t0;
	}
	getrusage(RUSAGE_SELF, &r1);
	report("raw_step_g", v, n);
	report_cpu(&r0, &r1, n);
	rc = 0;
out:
	conn_close(&c);
	qemu_stop(&q);
	bench_qemu_pid = 0;
	free(v);
	return rc;
}

static void session_opts_for(struct session_opts *o, const char *kernel)
{
	memset(o, 0, sizeof *o);
	o->kernel = kernel;
	o->symbols = bench_symbols;
	o->board = board_for_file(kernel, bench_symbols);
	o->bios = "default";
	o->timeout_ms = REPLY_TIMEOUT_MS;
}

/* What one 's' key costs the screen's engine: session_step(s, 1). */
static int bench_tui(unsigned long n, const char *kernel)
{
	struct session s;
	struct session_opts o;
	double *v = calloc(n, sizeof *v);
	int rc = 1;

	if (!v)
		return fail("out of memory");
	session_opts_for(&o, kernel);
	if (session_start(&s, &o) < 0) {
		rc = fail("session_start");
		goto out;
	}
	bench_qemu_pid = s.qemu.pid;
	for (unsigned long i = 0; i < n; i++) {
		double t0 = now_us();

		if (session_step(&s, 1) < 0 || s.ended) {
			rc = fail("session_step");
			goto out;
		}
		v[i] = now_us() - t0;
	}
	report("session_step", v, n);
	rc = 0;
out:
	session_end(&s);
	bench_qemu_pid = 0;
	free(v);
	return rc;
}

/* Launch to stage 1 ready, then stage 1 to the kernel's entry. */
static int bench_launch(unsigned long reps, const char *kernel)
{
	static volatile sig_atomic_t never;
	double *launch = calloc(reps, sizeof *launch), *cross = calloc(reps, sizeof *cross);
	int rc = 1;

	if (!launch || !cross)
		return fail("out of memory");
	for (unsigned long r = 0; r < reps; r++) {
		struct session s;
		struct session_opts o;
		double t0 = now_us();

		session_opts_for(&o, kernel);
		if (session_start(&s, &o) < 0) {
			rc = fail("session_start");
			session_end(&s);
			goto out;
		}
		launch[r] = (now_us() - t0) / 1000;
		bench_qemu_pid = s.qemu.pid;
		if (!s.stage || s.stage->number != 1) {
			fprintf(stderr, "bench_step: not in stage 1 at 0x%" PRIx64 "\n", session_pc(&s));
			session_end(&s);
			goto out;
		}
		t0 = now_us();
		/* The kernel is the model's last stage (3 on virt, 4 on the PC). */
		const int kstage = (int)s.model.n;

		while (s.stage && s.stage->number < kstage && !s.ended) {
			if (session_run_to_next_stage(&s) < 0 || session_wait(&s, 10000, &never) != 0) {
				rc = fail("running to the next stage");
				session_end(&s);
				goto out;
			}
		}
		cross[r] = (now_us() - t0) / 1000;
		printf("rep=%lu launch_ms=%.2f to_kernel_ms=%.2f pc=0x%" PRIx64 " mode=%s\n", r,
		       launch[r], cross[r], session_pc(&s), s.mode.name);
		if (!s.stage || s.stage->number != kstage)
			fprintf(stderr, "bench_step: ended at 0x%" PRIx64 ", not in the kernel\n",
				session_pc(&s));
		session_end(&s);
		bench_qemu_pid = 0;
	}
	report("launch_ms", launch, reps);
	report("to_kernel_ms", cross, reps);
	rc = 0;
out:
	free(launch);
	free(cross);
	return rc;
}

/* Going back (session_travel.c), as the screen does it: with the counting
 * plugin (BENCH_PLUGIN) and the boot's story on.  One S at a time in a
 * stretch of steps in the kernel; then, after the guest powered off, from
 * its last point to OpenSBI's first instruction and back to the end. */
static int bench_back(unsigned long n, const char *kernel)
{
	static volatile sig_atomic_t never;
	struct session s;
	struct session_opts o;
	double *v = calloc(n, sizeof *v), *far = calloc(n, sizeof *far), *end = calloc(n, sizeof *end);
	uint64_t last = 0;
	int rc = 1;

	if (!v || !far || !end)
		return fail("out of memory");
	session_opts_for(&o, kernel);
	o.plugin = getenv("BENCH_PLUGIN");
	o.story = 1;
	if (!o.plugin)
		return fail("BENCH_PLUGIN names no plugin");
	if (session_start(&s, &o) < 0) {
		rc = fail("session_start");
		goto out;
	}
	bench_qemu_pid = s.qemu.pid;
	while (s.stage && s.stage->number < 3 && !s.ended)
		if (session_run_to_next_stage(&s) < 0 || session_wait(&s, 10000, &never) != 0) {
			rc = fail("running to the kernel");
			goto out;
		}
	if (session_step(&s, 10) < 0) {
		rc = fail("stepping in the kernel");
		goto out;
	}
	for (unsigned long i = 0; i < n; i++) {	/* a step on, timed the step back */
		uint64_t was = session_pc(&s);

		if (session_step(&s, 1) < 0) {
			rc = fail("s");
			goto out;
		}
		double t0 = now_us();
		if (session_step_back(&s, 1) < 0) {
			rc = fail("S");
			goto out;
		}
		v[i] = now_us() - t0;
		if (session_pc(&s) != was) {
			fprintf(stderr, "bench_step: S came to 0x%" PRIx64 ", not 0x%" PRIx64 "\n", session_pc(&s), was);
			goto out;
		}
		bench_qemu_pid = s.qemu.pid;
	}
	if (session_continue(&s) < 0 || session_wait(&s, 10000, &never) != 0 || !s.ended) {
		rc = fail("running to power-off");
		goto out;
	}
	last = s.travel.live_end;
	for (unsigned long i = 0; i < n; i++) {
		double t0 = now_us();
		if (session_travel_to(&s, 6) < 0) {
			rc = fail("back to OpenSBI's first instruction");
			goto out;
		}
		far[i] = (now_us() - t0) / 1000;
		t0 = now_us();
		if (session_travel_to(&s, last) < 0) {
			rc = fail("forward to the last point");
			goto out;
		}
		end[i] = (now_us() - t0) / 1000;
		bench_qemu_pid = s.qemu.pid;
	}
	printf("last_point=%" PRIu64 " pc=0x%" PRIx64 "\n", last, session_pc(&s));
	report("step_back_us", v, n);
	report("to_first_ms", far, n);
	report("to_last_ms", end, n);
	rc = 0;
out:
	session_end(&s);
	bench_qemu_pid = 0;
	free(v);
	free(far);
	free(end);
	return rc;
}

int main(int argc, char **argv)
{
	unsigned long n;
	char *end;

	if (argc < 4 || argc > 5 || (n = strtoul(argv[2], &end, 10)) == 0 || *end) {
		fputs("usage: bench_step step|raw|tui|launch|back N KERNEL [SYMBOLS]\n", stderr);
		return 2;
	}
	bench_symbols = argc == 5 ? argv[4] : NULL;
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGALRM, on_alarm);
	signal(SIGPIPE, SIG_IGN);
	alarm(60 + (unsigned)(n / 200));	/* far above ~0.5 ms a step, 0.2 s a launch */
	if (strcmp(argv[1], "step") == 0)
		return bench_step(n, argv[3]);
	if (strcmp(argv[1], "raw") == 0)
		return bench_raw(n, argv[3]);
	if (strcmp(argv[1], "tui") == 0)
		return bench_tui(n, argv[3]);
	if (strcmp(argv[1], "launch") == 0)
		return bench_launch(n, argv[3]);
	if (strcmp(argv[1], "back") == 0)
		return bench_back(n, argv[3]);
	fputs("usage: bench_step step|raw|tui|launch|back N KERNEL [SYMBOLS]\n", stderr);
	return 2;
}
