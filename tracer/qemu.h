/* qemu: the machine layer -- start QEMU paused, stop it.
 *
 * QEMU runs as a child in its own process group (Ctrl-C in bootscope's
 * terminal reaches bootscope only; bootscope then calls qemu_stop) and dies
 * with bootscope even if bootscope is SIGKILLed.  Its gdbstub listens on a
 * unix socket in a private 0700 directory, the guest's
 * serial console arrives byte for byte on a pipe, QEMU's monitor is off and
 * its stdin is /dev/null, so it never touches bootscope's terminal.  QEMU's
 * stderr goes to a file in the same directory, so a QEMU that dies can be
 * explained in its own words.  This layer never speaks RSP.
 *
 * PR_SET_PDEATHSIG fires when the *thread* that forked exits: call
 * qemu_start from the thread that lives as long as QEMU should (main).
 * The caller owns signals: nothing here installs a handler.  Do not reap
 * children with waitpid(-1, ...) or ignore SIGCHLD, or qemu_reap cannot see
 * QEMU's status.
 */
#ifndef BOOTSCOPE_QEMU_H
#define BOOTSCOPE_QEMU_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct qemu_opts {
	const char *qemu;          /* binary: a path, or a name found in PATH */
	const char *const *machine; /* the board's machine arguments, NULL-terminated */
	const char *bios;          /* "default", "none" or a firmware file; NULL: no -bios at all */
	const char *kernel;        /* -kernel FILE (ELF or raw image), or NULL */
	const char *drive;         /* a raw disk image to boot from (-drive), or NULL */
	const char *loader_file;   /* -device loader,file=F,addr=A (raw images), or NULL */
	uint64_t loader_addr;
	const char *const *extra;  /* appended verbatim: "-m", "256M", "-smp", "2", ... */
	int nextra;
	const char *plugin;        /* the counting plugin (plugin/count.c) to load, or NULL */
};

struct qemu {
	pid_t pid;                 /* 0 if never started */
	int console_fd;            /* non-blocking read end of the guest's console; -1 if closed */
	int exited;                /* QEMU has been reaped; status is valid */
	int status;                /* as from waitpid */
	char dir[108];             /* private directory (mode 0700); "" once removed */
	char endpoint[128];        /* "unix:DIR/gdb.sock" or "127.0.0.1:PORT", for the transport */
	char last_err[256];        /* last line QEMU wrote to stderr, captured when it exits */
	const volatile uint64_t *live; /* the plugin's running total, mapped; NULL without */
};

/* Start QEMU paused (-S) on the board's machine and wait up to timeout_ms
 * (<= 0: 5000) until its gdbstub accepts connections.  Returns 0, or -1 with
 * err_set() after undoing everything (QEMU killed and reaped, directory
 * removed); qemu_stop is still safe to call then. */
int qemu_start(struct qemu *q, const struct qemu_opts *o, int timeout_ms);

/* Read what the guest printed on its serial console.  Never blocks: returns
 * the byte count, 0 at EOF (QEMU gone), or -1 with errno EAGAIN if there is
 * nothing now.  Poll q->console_fd for POLLIN to know when to call it. */
ssize_t qemu_console_read(struct qemu *q, char *buf, size_t cap);

/* Non-blocking check: 1 if QEMU has exited (q->exited, q->status and
 * q->last_err are set), 0 if it is still running. */
int qemu_reap(struct qemu *q);

/* Stop QEMU (SIGTERM, up to ~1 s, then SIGKILL), reap it, close the console,
 * remove the socket, the stderr file and the directory.  Idempotent; safe on
 * a zeroed struct qemu and after a failed qemu_start. */
void qemu_stop(struct qemu *q);

/* The same at once, with SIGKILL: for a QEMU whose exit path (the
 * plugin's counts) nobody needs, one left for a new run of the boot. */
void qemu_kill(struct qemu *q);

/* Why QEMU ended, as one line in buf: "QEMU exited with status 1:
 * qemu-system-riscv64: ..." or "QEMU was killed by signal 9 (Killed);
 * killed from outside, ..."; "QEMU is running" or "QEMU was not started"
 * otherwise.  Returns buf. */
const char *qemu_exit_reason(const struct qemu *q, char *buf, size_t cap);

/* Instructions executed since QEMU started, from the counting plugin's
 * running total (exact while the CPU is stopped).  0, or -1 without the
 * plugin. */
int qemu_insns(const struct qemu *q, uint64_t *out);

/* Where the counting plugin writes its counts when QEMU ends, into buf. */
const char *qemu_counts_path(const struct qemu *q, char *buf, size_t cap);

/* End QEMU so that it runs its exit path (the plugin then writes its
 * counts): SIGTERM, and wait up to timeout_ms for it to exit.  0 once it
 * has exited (also by itself, earlier), -1 with err_set() if it did not. */
int qemu_finish(struct qemu *q, int timeout_ms);

/* The RAM size that `-m` among the QEMU arguments asks for (dflt if none
 * does); 0 if it cannot be read. */
uint64_t qemu_ram_size(const char *const *args, int nargs, uint64_t dflt);

/* For a crash handler: SIGKILL QEMU's process group (not reaped) and
 * remove its socket, stderr file and directory, with async-signal-safe
 * calls only and without changing q.  qemu_stop is the orderly end. */
void qemu_abandon(const struct qemu *q);

#endif
