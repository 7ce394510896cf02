/* sig: which signals end bootscope, and how it ends by one.
 *
 * Two kinds.  The ones someone sends (SIGHUP, SIGINT, SIGQUIT, SIGTERM,
 * SIGUSR1, SIGALRM, ... and the real-time signals: every signal whose
 * default action ends the process and that bootscope's own code never
 * causes) are caught and become the ordinary end: the caller's handler
 * sets a flag or writes to the screen's pipe, the loop returns, the
 * screen is put away, the session ended (QEMU stopped, its directory
 * removed), and then sig_reraise() ends the process by that signal, so a
 * parent sees "killed by SIGQUIT" and SIGQUIT still dumps core where the
 * user's ulimit lets it.
 *
 * The crash signals (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGSYS, SIGTRAP and
 * SIGABRT, which abort() raises) mean the state cannot be trusted, so
 * there is no orderly end: a last-resort handler does only what is
 * async-signal-safe -- the terminal back to the modes saved at start, the
 * escape that leaves the screen, QEMU's process group killed, its socket
 * and directory removed -- and then hands the signal on to whoever had it
 * before (the default action, or AddressSanitizer's handler, whose report
 * must not be lost).  A kill -ABRT is taken for an abort(): the same
 * last resort is enough for it.  SIGTRAP is a breakpoint instruction's
 * (a debugger of bootscope sees it before any handler does), so it is a
 * crash too.  A sanitizer's report that ends in _exit (no abort_on_error)
 * gets the last resort through the sanitizer's death callback; UBSan's,
 * in GCC's separate libubsan, does not (it ends in _exit(1) and leaves the
 * directory; QEMU still dies with bootscope, PR_SET_PDEATHSIG).
 *
 * SIGPIPE stays ignored (a write to a closed pipe fails with EPIPE and is
 * reported); SIGTSTP, SIGTTIN, SIGTTOU and SIGCONT are job control, which
 * ncurses handles.
 */
#ifndef BOOTSCOPE_SIG_H
#define BOOTSCOPE_SIG_H

#include <signal.h>

struct qemu;

/* 1 if sig is one of the signals someone sends that end the process. */
int sig_ends(int sig);

/* Catch every one of those with handler (flags as sa_flags); the actions
 * they had go into old[NSIG] if old is not NULL, for sig_restore. */
void sig_catch(void (*handler)(int), int flags, struct sigaction *old);

/* Put back the actions sig_catch saved in old. */
void sig_restore(const struct sigaction *old);

/* The end by a caught signal, after the orderly one: its default action
 * back, unblocked, raised.  Returns only if the signal did not end the
 * process (it cannot, for the signals of sig_ends). */
void sig_reraise(int sig);

/* Arm the crash handler: save the terminal's modes as they are now (before
 * any screen), and catch the crash signals, chained to their handlers of
 * before.  Call once, early. */
void sig_crash_init(void);

/* The QEMU the crash handler kills and whose directory it removes; NULL
 * for none.  q stays bootscope's to change (a restart); the handler reads
 * it only at a crash. */
void sig_crash_qemu(const struct qemu *q);

/* The bytes that leave the screen (alternate screen off, cursor on,
 * keypad off), while the screen is on; NULL once it is put away. */
void sig_crash_screen(const char *leave);

#endif
