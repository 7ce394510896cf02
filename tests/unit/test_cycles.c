/* test_cycles: 100 sessions, one after another, in one process, on the real
 * QEMU and build/kernel.elf (found through $TOP) -- what a teacher's
 * bootscope does when it restarts all afternoon.  After them the process
 * has the same open fds as before, no child (no QEMU, not even a zombie),
 * and no bootscope.* directory in its private XDG_RUNTIME_DIR.  Some
 * cycles step, some end while the guest runs (quit during `c`).  Leaks of
 * memory are the ASan build's to find (tests/run build/san unit).
 *
 * alarm() bounds the whole run; QEMU's PR_SET_PDEATHSIG takes any QEMU
 * down with us if it fires.
  *
 * TIER: qemu (make check leaves it to make test)
 */
#include "check.h"
#include "clock.h"
#include "leaks.h"
#include "err.h"
#include "session.h"

#include <dirent.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define CYCLES 100

static char base[64];

/* Our children, zombies included: /proc/PID/task/PID/children. */
static int child_count(void)
{
	char path[64], buf[4096];
	FILE *f;
	size_t n;
	int count = 0;

	snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)getpid(), (int)getpid());
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	for (char *p = strtok(buf, " \n"); p; p = strtok(NULL, " \n"))
		count++;
	return count;
}

int main(void)
{
	const char *top = getenv("TOP");
	char kernel[4096];
	struct session s;
	int started = 0, stepped = 0, ran = 0, fds0, kids0;
	long t0, worst = 0;

	alarm(120);	/* ~15 s normally; a hang must fail, not stall */
	snprintf(kernel, sizeof kernel, "%s/build/kernel.elf", top && *top ? top : ".");
	if (!CHECK(access(kernel, R_OK) == 0))
		return check_done();
	snprintf(base, sizeof base, "/tmp/test_cycles.XXXXXX");
	if (!mkdtemp(base)) {
		perror("mkdtemp");
		return 1;
	}
	setenv("XDG_RUNTIME_DIR", base, 1);
	unsetenv("TMPDIR");

	struct session_opts o = { .kernel = kernel, .bios = "default", .timeout_ms = 3000 };

	fds0 = fd_count();
	kids0 = child_count();
	t0 = clock_ms();
	for (int i = 0; i < CYCLES; i++) {
		long c0 = clock_ms();

		if (session_start(&s, &o) == 0) {
			started++;
			if (i == 0) {	/* the counts do see a session */
				CHECK_EQ_U64(child_count(), kids0 + 1);
				CHECK(fd_count() > fds0);
				CHECK_EQ_U64(count_in(base, "bootscope."), 1);
			}
			if (i % 3 == 1 && session_step(&s, 5) == 0 && session_pc(&s) != 0x1000)
				stepped++;
			/* End while the guest runs, as q during `c` does. */
			if (i % 3 == 2 && session_continue(&s) == 0 && s.running)
				ran++;
		} else if (started == i) {	/* the first failure says why */
			printf("# cycle %d: %s\n", i, err_msg());
		}
		session_end(&s);
		if (clock_ms() - c0 > worst)
			worst = clock_ms() - c0;
	}
	printf("# %d cycles in %ld ms (%ld ms each, the slowest %ld ms)\n", CYCLES, (long)(clock_ms() - t0),
	       (long)(clock_ms() - t0) / CYCLES, worst);
	CHECK_EQ_U64(started, CYCLES);
	CHECK_EQ_U64(stepped, (CYCLES + 1) / 3);
	CHECK_EQ_U64(ran, CYCLES / 3);
	CHECK_EQ_U64(fd_count(), fds0);
	CHECK_EQ_U64(child_count(), kids0);
	CHECK_EQ_U64(kids0, 0);
	CHECK_EQ_U64(count_in(base, "bootscope."), 0);
	CHECK(rmdir(base) == 0);
	return check_done();
}
