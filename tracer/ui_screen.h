/* ui_screen: what the panels share -- the screen's state, its geometry,
 * its colours, and a few drawing helpers.  Internal to ui*.c. */
#ifndef BOOTSCOPE_UI_SCREEN_H
#define BOOTSCOPE_UI_SCREEN_H

#include <curses.h>
#include <poll.h>
#include <stdint.h>

#include "lesson.h"
#include "proxy.h"
#include "session.h"

struct ui_rect {
	int y, x, h, w;
};

enum ui_color {
	UI_C_NORMAL,
	UI_C_TITLE,	/* panel headings */
	UI_C_STAGE,	/* the current stage */
	UI_C_CHANGED,	/* a register that changed at the last stop */
	UI_C_PC,	/* the pc line */
	UI_C_BREAK,	/* breakpoints */
	UI_C_DIM,	/* addresses, hints */
	UI_C_ERROR,
	UI_C_COUNT,
};

enum ui_focus { UI_FOCUS_CODE, UI_FOCUS_CONSOLE, UI_FOCUS_COUNT };

enum ui_mode { UI_MODE_NORMAL, UI_MODE_PROMPT, UI_MODE_HELP, UI_MODE_MEMORY, UI_MODE_EVENTS, UI_MODE_PROFILE };

struct ui_screen {
	struct session *s;
	int color;		/* colours in use (not NO_COLOR, terminal has them) */
	int utf8;		/* arrows and blocks can be drawn */
	int mouse;		/* clicks and the wheel are reported */
	int rows, cols;
	int too_small;
	struct ui_rect stages, where, map, harts, code, lesson, regs, csrs, console, status;

	enum ui_focus focus;
	enum ui_mode mode;
	uint64_t code_top;	/* first address shown in the code panel */
	int code_follow;	/* keep the pc in view */
	int console_scroll;	/* lines scrolled back from the end */
	unsigned long count;	/* a number typed before a key */
	int counted;		/* ... typed at all (0 is a hart's number) */

	/* The prompt line: what it is for, and what has been typed. */
	char prompt_label[64];
	char prompt[128];
	int prompt_for;		/* the key that opened it: 'b' or 'x' */

	uint64_t mem_addr;	/* the hex view's address */
	struct lesson_book *lessons;	/* NULL if the file could not be read */
	char lessons_error[200];	/* then why, for the pane */
	const char *lang;	/* "en" or "zh" */
	int show_lesson;	/* the pane is on (l) */
	char message[200];	/* an error or hint for the status line */
	int message_is_error;
	int quit;		/* q was pressed while a reply was awaited */
	size_t event_sel, event_top;	/* the events list: selected, first shown */
	unsigned asked;		/* the events the last command ran to (T, E, M) */
	int have_profile;	/* profile holds the session's profile summed up (p) */
	struct profile_summary profile;
	struct proxy *proxy;	/* the gdbstub served to a gdb (--gdb-socket), or NULL */
	int gdb_running;	/* a run gdb started has not stopped yet */
	int gdb_detached;	/* it said 'D' and the keys are back; its socket closes next */
	int gdb_quiet;		/* what gdb asked since the last turn only read the machine */
	int quiet_turn;		/* the loop's last turn changed nothing to draw */
	long long gdb_asked_ms;	/* when gdb last sent a request */
	int draw_owed;		/* a change waits to be drawn */
	long long drawn_ms;	/* when the screen was last drawn */
};

/* A message for the status line (an error if error). */
void ui_say(struct ui_screen *u, int error, const char *msg);

/* ui_gdb.c: the proxy's sockets to poll (pfd; their indexes, -1 none),
 * a gdb knocking, what it sent, a run of gdb's that stopped; and whether
 * a gdb drives now. */
size_t ui_gdb_fds(struct ui_screen *u, struct pollfd *pfd, int *listen_i, int *client_i);
void ui_gdb_accept(struct ui_screen *u);
void ui_gdb_read(struct ui_screen *u);
void ui_gdb_stopped(struct ui_screen *u);
int ui_gdb_driving(const struct ui_screen *u);
/* gdb asked for something a moment ago, and will again: a redraw waits. */
int ui_gdb_busy(const struct ui_screen *u);

/* Attributes for a colour, with a monochrome fallback. */
attr_t ui_screen_attr(const struct ui_screen *u, enum ui_color c);

/* Compute every panel's rectangle from the terminal size. */
void ui_screen_layout(struct ui_screen *u);

/* Write at most w columns of text at (y, x) with attributes, padding the
 * rest of the width with blanks when pad is set. */
void ui_screen_put(int y, int x, int w, attr_t attr, const char *text, int pad);

/* The UTF-8 character at p: its display columns (2 for Chinese), and its
 * length in *bytes.  A stray byte counts as one column, one byte. */
int ui_screen_char(const char *p, size_t *bytes);

/* Scroll the code or console panel by lines (down if positive). */
void ui_screen_scroll(struct ui_screen *u, enum ui_focus panel, int lines);

/* ui_mouse.c: ask the terminal for clicks and the wheel (1 if it gives
 * them), and act on the one getch() said KEY_MOUSE for. */
int ui_mouse_start(void);
void ui_mouse_event(struct ui_screen *u);
/* What turns the terminal's mouse reports off again (xterm's 1000 mode,
 * which ncurses turns on), for a crash that cannot call endwin(). */
#define UI_MOUSE_OFF "\033[?1000l"

/* A panel heading in the panel's first row. */
void ui_screen_title(const struct ui_screen *u, const struct ui_rect *r, const char *title, int focused);

/* The panels; each draws only inside its rectangle, from session state. */
void ui_stages_draw(struct ui_screen *u);
void ui_where_draw(struct ui_screen *u);
void ui_map_draw(struct ui_screen *u);
int ui_harts_rows(const struct ui_screen *u);
void ui_harts_draw(struct ui_screen *u);
void ui_regs_draw(struct ui_screen *u);
void ui_csrs_draw(struct ui_screen *u);
void ui_code_draw(struct ui_screen *u);
void ui_code_scroll(struct ui_screen *u, int lines);
void ui_console_draw(struct ui_screen *u);
void ui_lesson_draw(struct ui_screen *u);
void ui_help_draw(struct ui_screen *u);
void ui_memory_draw(struct ui_screen *u);
/* ui_profile.c: where the last run's instructions went (p). */
void ui_profile_draw(struct ui_screen *u);

/* ui_events.c: the boot's events (e); how many it lists. */
void ui_events_draw(struct ui_screen *u);
size_t ui_events_count(const struct ui_screen *u);
const struct event *ui_events_nth(const struct ui_screen *u, size_t k);	/* the k-th listed, or NULL */

void ui_status_draw(struct ui_screen *u);

/* What the last command did, in words, for the status line. */
void ui_status_event(const struct session *s, unsigned asked, char *buf, size_t cap);

#endif
