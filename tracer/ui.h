/* ui: the full-screen ncurses front end.
 *
 * The screen is redrawn from struct session alone; keys become session
 * commands.  One poll() loop serves the keyboard, the gdbstub, the guest's
 * console and a self-pipe that carries signals (SIGWINCH, SIGCHLD, SIGINT,
 * SIGTERM, SIGHUP), so nothing blocks the screen and the terminal is always
 * restored.  Only ui*.c include curses.
 */
#ifndef BOOTSCOPE_UI_H
#define BOOTSCOPE_UI_H

#include <signal.h>

#include "proxy.h"
#include "session.h"

#define UI_MIN_COLS 80
#define UI_MIN_ROWS 24

struct ui_opts {
	const char *lessons;	/* walkthrough/lessons.txt, or NULL */
	const char *lang;	/* "en" or "zh"; NULL: from the locale */
	struct proxy *proxy;	/* listening for the user's gdb (--gdb-port, --gdb-socket), or NULL */
	int no_mouse;		/* --no-mouse: the terminal keeps its own clicks (selecting text) */
};

/* Before anything starts: is there a terminal, and is it big enough?
 * 0, or -1 with err_set() saying what to do. */
int ui_check_terminal(void);

/* Run the screen on a started session until the user quits, with the
 * lessons (if they can be read) in the language asked for.  *cancel is
 * set by main's signal handlers; the UI installs its own while it runs and
 * restores them.  The terminal is restored before it returns.  0 on a
 * normal quit, -1 with err_set() on a failure. */
int ui_run(struct session *s, const struct ui_opts *o, volatile sig_atomic_t *cancel);

#endif
