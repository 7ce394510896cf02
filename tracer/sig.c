/* sig: which signals end bootscope, and how (see sig.h). */
#include "sig.h"

#include <errno.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "qemu.h"

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/common_interface_defs.h>
#endif

/* Sent ones whose default ends the process; the real-time signals too
 * (sig_ends).  Not SIGPIPE: ignored on purpose, see sig.h. */
static const int sig_sent[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM,
	SIGPROF, SIGXCPU, SIGXFSZ, SIGIO, SIGPWR, SIGSTKFLT,
};
#define NSENT (sizeof sig_sent / sizeof sig_sent[0])

static const int sig_crashes[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGSYS, SIGTRAP, SIGABRT };
#define NCRASH (sizeof sig_crashes / sizeof sig_crashes[0])

int sig_ends(int sig)
{
	for (size_t i = 0; i < NSENT; i++)
		if (sig_sent[i] == sig)
			return 1;
	return sig >= SIGRTMIN && sig <= SIGRTMAX;
}

void sig_catch(void (*handler)(int), int flags, struct sigaction *old)
{
	struct sigaction sa = { .sa_handler = handler, .sa_flags = flags };

	sigemptyset(&sa.sa_mask);
	for (int s = 1; s < NSIG; s++)
		if (sig_ends(s))
			sigaction(s, &sa, old ? &old[s] : NULL);
}

void sig_restore(const struct sigaction *old)
{
	for (int s = 1; s < NSIG; s++)
		if (sig_ends(s))
			sigaction(s, &old[s], NULL);
}

void sig_reraise(int sig)
{
	sigset_t one;

	signal(sig, SIG_DFL);
	sigemptyset(&one);
	sigaddset(&one, sig);
	sigprocmask(SIG_UNBLOCK, &one, NULL);
	raise(sig);
}

/* ---- the last resort ---------------------------------------------------- */

/* All that the handler needs is ready before it runs: it may not
 * allocate, format or ask curses. */
static struct termios sig_tty;
static int sig_tty_saved;
static char sig_leave[128];
static volatile sig_atomic_t sig_leave_len;
static const struct qemu *volatile sig_qemu;
static struct sigaction sig_before[NSIG];
/* A stack overflow is a SIGSEGV with no stack left to handle it on. */
static char sig_stack[1 << 16];

/* The terminal back, QEMU and its directory gone: once. */
static void last_resort(void)
{
	const struct qemu *q = sig_qemu;

	if (sig_leave_len > 0) {
		if (write(STDOUT_FILENO, sig_leave, (size_t)sig_leave_len) < 0)
			(void)0;	/* nothing more to try */
		if (sig_tty_saved)
			tcsetattr(STDOUT_FILENO, TCSANOW, &sig_tty);
		sig_leave_len = 0;
	}
	sig_qemu = NULL;	/* once, should the next handler crash too */
	if (q)
		qemu_abandon(q);
}

static void on_crash(int sig, siginfo_t *si, void *ctx)
{
	int saved = errno;
	const struct sigaction *before = &sig_before[sig];

	(void)ctx;
	last_resort();
	sigaction(sig, before, NULL);
	errno = saved;
	/* A fault handed to a handler of before (AddressSanitizer's) happens
	 * again when this returns, with its own context for the report; every
	 * other case, the default action above all, gets the signal again. */
	if (si->si_code > 0 && sig != SIGTRAP && (before->sa_flags & SA_SIGINFO ||
	    (before->sa_handler != SIG_DFL && before->sa_handler != SIG_IGN)))
		return;
	raise(sig);
}

void sig_crash_init(void)
{
	struct sigaction sa = { .sa_sigaction = on_crash, .sa_flags = SA_SIGINFO | SA_ONSTACK };
	stack_t cur, ss = { .ss_sp = sig_stack, .ss_size = sizeof sig_stack };

	if (isatty(STDOUT_FILENO) && tcgetattr(STDOUT_FILENO, &sig_tty) == 0)
		sig_tty_saved = 1;
	/* AddressSanitizer has a stack of its own for its handlers: keep it. */
	if (sigaltstack(NULL, &cur) == 0 && (cur.ss_flags & SS_DISABLE))
		sigaltstack(&ss, NULL);
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < NCRASH; i++)
		sigaction(sig_crashes[i], &sa, &sig_before[sig_crashes[i]]);
#ifdef __SANITIZE_ADDRESS__
	/* A sanitizer's report ends in _exit(1) unless abort_on_error is set
	 * (then it is a SIGABRT, above): clean up on that way out too. */
	__sanitizer_set_death_callback(last_resort);
#endif
}

void sig_crash_qemu(const struct qemu *q)
{
	sig_qemu = q;
}

void sig_crash_screen(const char *leave)
{
	size_t n = leave ? strlen(leave) : 0;

	sig_leave_len = 0;
	if (n >= sizeof sig_leave)
		n = sizeof sig_leave - 1;
	memcpy(sig_leave, leave ? leave : "", n);
	sig_leave_len = (sig_atomic_t)n;
}
