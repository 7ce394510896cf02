/* ui: the screen's life -- start, the poll loop, keys, signals, the end. */
#include "ui.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "clock.h"
#include "err.h"
#include "sig.h"
#include "ui_screen.h"

static int ui_sigpipe[2] = { -1, -1 };

/* Signals become bytes on a pipe, so the loop sees them between polls. */
static void on_signal(int sig)
{
	int saved = errno;
	unsigned char b = (unsigned char)sig;

	if (write(ui_sigpipe[1], &b, 1) < 0)
		(void)0;	/* the pipe is full: a wake-up is already queued */
	errno = saved;
}

/* Besides these, every signal that ends bootscope (sig_catch). */
static const int ui_signals[] = { SIGWINCH, SIGCHLD };
#define NSIG_UI (sizeof ui_signals / sizeof ui_signals[0])

/* What puts the terminal back without curses, for a crash (sig.h):
 * endwin's work that matters, as this terminal spells it. */
static void leave_escape(int mouse)
{
	static const char *const caps[] = { "sgr0", "rmkx", "cnorm", "rmcup" };
	char buf[128] = "";
	size_t n = 0;

	for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
		const char *v = tigetstr(caps[i]);
		size_t k;

		if (!v || v == (const char *)-1)
			continue;
		k = strlen(v);
		if (n + k >= sizeof buf)
			break;
		memcpy(buf + n, v, k + 1);
		n += k;
	}
	/* Mouse reports off, as endwin does: else a shell after a crash gets
	 * escape sequences for every click. */
	if (mouse && n + sizeof UI_MOUSE_OFF <= sizeof buf)
		memcpy(buf + n, UI_MOUSE_OFF, sizeof UI_MOUSE_OFF);
	sig_crash_screen(buf);
}

int ui_check_terminal(void)
{
	struct winsize ws;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return err_set("the screen needs a terminal: run it in one, or use --batch for a report");
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col && ws.ws_row &&
	    (ws.ws_col < UI_MIN_COLS || ws.ws_row < UI_MIN_ROWS))
		return err_set("the terminal is %dx%d; bootscope needs at least %dx%d: enlarge it, or use --batch",
			       ws.ws_col, ws.ws_row, UI_MIN_COLS, UI_MIN_ROWS);
	return 0;
}

static void setup_colors(struct ui_screen *u)
{
	const char *nc = getenv("NO_COLOR");

	u->color = has_colors() && !(nc && nc[0]);
	if (!u->color)
		return;
	start_color();
	use_default_colors();
	init_pair(UI_C_TITLE, COLOR_CYAN, -1);
	init_pair(UI_C_STAGE, COLOR_BLACK, COLOR_GREEN);
	init_pair(UI_C_CHANGED, COLOR_YELLOW, -1);
	init_pair(UI_C_PC, COLOR_BLACK, COLOR_CYAN);
	init_pair(UI_C_BREAK, COLOR_RED, -1);
	init_pair(UI_C_DIM, COLOR_BLUE, -1);
	init_pair(UI_C_ERROR, COLOR_WHITE, COLOR_RED);
}

static void draw(struct ui_screen *u)
{
	erase();
	if (u->too_small) {
		char buf[160];
		snprintf(buf, sizeof buf, "The terminal is %dx%d; bootscope needs %dx%d.",
			 u->cols, u->rows, UI_MIN_COLS, UI_MIN_ROWS);
		mvaddnstr(u->rows / 2, 0, buf, u->cols);
		mvaddnstr(u->rows / 2 + 1, 0, "Enlarge it, or press q.", u->cols);
		refresh();
		return;
	}
	ui_stages_draw(u);
	ui_where_draw(u);
	ui_map_draw(u);
	ui_harts_draw(u);
	ui_code_draw(u);
	ui_regs_draw(u);
	ui_csrs_draw(u);
	ui_console_draw(u);
	if (u->show_lesson)
		ui_lesson_draw(u);
	if (u->mode == UI_MODE_HELP)
		ui_help_draw(u);
	else if (u->mode == UI_MODE_MEMORY)
		ui_memory_draw(u);
	else if (u->mode == UI_MODE_EVENTS)
		ui_events_draw(u);
	else if (u->mode == UI_MODE_PROFILE)
		ui_profile_draw(u);
	ui_status_draw(u);
	curs_set(u->mode == UI_MODE_PROMPT ? 1 : 0);
	refresh();
}

static void resize(struct ui_screen *u)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col)
		resizeterm(ws.ws_row, ws.ws_col);
	getmaxyx(stdscr, u->rows, u->cols);
	ui_screen_layout(u);
	clearok(curscr, TRUE);
}

void ui_say(struct ui_screen *u, int error, const char *msg)
{
	snprintf(u->message, sizeof u->message, "%s", msg);
	u->message_is_error = error;
}

static void say(struct ui_screen *u, int error, const char *msg)
{
	ui_say(u, error, msg);
}

/* ---- the prompt ------------------------------------------------------- */

static void open_prompt(struct ui_screen *u, int key, const char *label)
{
	u->mode = UI_MODE_PROMPT;
	u->prompt_for = key;
	u->prompt[0] = '\0';
	snprintf(u->prompt_label, sizeof u->prompt_label, "%s", label);
}

/* Tab: extend what was typed to the longest prefix all matches share. */
static void complete(struct ui_screen *u)
{
	const char *m[64];
	size_t n = 0, common;
	const struct image *imgs[2] = { u->s->kernel, u->s->firmware };
	char msg[200];

	for (int i = 0; i < 2 && n < 64; i++)
		if (imgs[i])
			n += image_complete(imgs[i], u->prompt, m + n, 64 - n);
	if (n == 0) {
		say(u, 0, "no symbol starts like that");
		return;
	}
	common = strlen(m[0]);
	for (size_t i = 1; i < n; i++) {
		size_t k = 0;
		while (k < common && m[i][k] == m[0][k])
			k++;
		common = k;
	}
	if (common >= sizeof u->prompt)
		common = sizeof u->prompt - 1;
	memcpy(u->prompt, m[0], common);
	u->prompt[common] = '\0';
	if (n > 1) {
		size_t k = (size_t)snprintf(msg, sizeof msg, "%zu%s matches:", n, n == 64 ? "+" : "");
		for (size_t i = 0; i < n && k < sizeof msg - 1; i++)
			k += (size_t)snprintf(msg + k, sizeof msg - k, " %s", m[i]);
		say(u, 0, msg);
	}
}

static void prompt_done(struct ui_screen *u)
{
	uint64_t addr;
	char where[sizeof u->prompt], *cut;
	const char *text = u->prompt[0] ? where : NULL;
	int hart = -1;

	u->mode = UI_MODE_NORMAL;
	snprintf(where, sizeof where, "%s", u->prompt);
	/* "kmain hart 1": a breakpoint that stops hart 1 only. */
	if (u->prompt_for == 'b' && (cut = strstr(where, " hart ")) != NULL) {
		char *end;
		long n = strtol(cut + 6, &end, 10);

		if (end == cut + 6 || *end || n < 0) {
			say(u, 1, "a breakpoint for one hart is ADDRESS hart N, as in: kmain hart 1");
			return;
		}
		hart = (int)n;
		*cut = '\0';
		text = where[0] ? where : NULL;
	}
	if (!text && u->prompt_for == 'b')
		addr = session_pc(u->s);
	else if (!text)
		return;
	else if (session_resolve(u->s, text, &addr) < 0) {
		say(u, 1, err_msg());
		return;
	}
	if (u->prompt_for == 'b') {
		if (session_break_toggle(u->s, addr, hart) < 0)
			say(u, 1, err_msg());
	} else {
		u->mem_addr = addr;
		u->mode = UI_MODE_MEMORY;
		session_show_memory(u->s, addr, SESSION_MEM_MAX);
	}
}

static void prompt_key(struct ui_screen *u, int ch)
{
	size_t len = strlen(u->prompt);

	u->message[0] = '\0';
	if (ch == 27) {
		u->mode = UI_MODE_NORMAL;
	} else if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
		prompt_done(u);
	} else if (ch == '\t') {
		complete(u);
	} else if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
		if (len)
			u->prompt[len - 1] = '\0';
	} else if (ch >= 0x20 && ch < 0x7f && len + 1 < sizeof u->prompt) {
		u->prompt[len] = (char)ch;
		u->prompt[len + 1] = '\0';
	}
}

/* ---- keys ---------------------------------------------------------------- */

static int restart(struct ui_screen *u)
{
	struct session *s = u->s;

	if (s->ended && !s->own_qemu)
		return err_set("your QEMU has ended; bootscope does not start it again");
	if (s->running)
		return err_set("the CPU is running: press Ctrl-C first");
	return session_restart(s);
}

/* Keys that move the machine, said before the session is asked (its own
 * messages name no keys).  0 if the key may go ahead. */
static int refuse(struct ui_screen *u, int ch)
{
	const struct session *s = u->s;

	if (ui_gdb_driving(u) && strchr("snc>rTEMSCh", ch)) {
		say(u, 1, "gdb is driving: detach it (or quit gdb) to use this key");
		return 1;
	}
	if (s->running && strchr("snc>brxTEMSCh", ch)) {
		say(u, 0, "the guest is running: Ctrl-C stops it");
		return 1;
	}
	if (s->ended && strchr("snc>bTEMh", ch)) {
		say(u, 1, "QEMU has ended: press r to restart, or q to quit");
		return 1;
	}
	if (ch == '>' && s->stage && !stage_next(&s->model, s->stage)) {
		char msg[120];

		snprintf(msg, sizeof msg, "already in the last stage (%s): use c to continue", s->stage->name);
		say(u, 1, msg);
		return 1;
	}
	return 0;
}

/* Returns 1 to quit. */
static int key(struct ui_screen *u, int ch)
{
	struct session *s = u->s;
	unsigned long n = u->count ? u->count : 1;
	const struct ui_rect *focused = u->focus == UI_FOCUS_CODE ? &u->code : &u->console;
	int page = focused->h > 3 ? focused->h - 2 : 1;
	int rc = 0;

	if (ch == KEY_MOUSE) {	/* the panels' clicks and wheel; elsewhere none */
		ui_mouse_event(u);
		return 0;
	}
	if (u->mode == UI_MODE_PROMPT) {
		prompt_key(u, ch);
		return 0;
	}
	if (u->mode == UI_MODE_HELP || u->mode == UI_MODE_PROFILE) {	/* any key closes them, q too */
		u->mode = UI_MODE_NORMAL;
		return 0;
	}
	if (u->mode == UI_MODE_MEMORY) {
		switch (ch) {
		case KEY_UP: u->mem_addr -= 16; break;
		case KEY_DOWN: u->mem_addr += 16; break;
		case KEY_PPAGE: u->mem_addr -= 256; break;
		case KEY_NPAGE: u->mem_addr += 256; break;
		default:
			u->mode = UI_MODE_NORMAL;
			session_hide_memory(u->s);
			return 0;
		}
		session_show_memory(u->s, u->mem_addr, SESSION_MEM_MAX);
		return 0;
	}
	if (u->mode == UI_MODE_EVENTS) {
		size_t ne = ui_events_count(u), step = u->rows > 12 ? (size_t)u->rows - 12 : 1;

		switch (ch) {
		case KEY_UP: case 'k': u->event_sel -= u->event_sel > 0; break;
		case KEY_DOWN: case 'j': u->event_sel += u->event_sel + 1 < ne; break;
		case KEY_PPAGE: u->event_sel = u->event_sel > step ? u->event_sel - step : 0; break;
		case KEY_NPAGE: u->event_sel = u->event_sel + step < ne ? u->event_sel + step : ne ? ne - 1 : 0; break;
		case KEY_HOME: case 'g': u->event_sel = 0; break;
		case KEY_END: case 'G': u->event_sel = ne ? ne - 1 : 0; break;
		case '\n': case '\r': case KEY_ENTER: {	/* the machine to where it happened */
			const struct event *e = ui_events_nth(u, u->event_sel);

			u->mode = UI_MODE_NORMAL;
			u->code_follow = 1;
			if (!e || !e->have_insn)
				say(u, 1, "that event has no instruction count to go to");
			else if (session_travel_to(u->s, e->insn) < 0)
				say(u, 1, err_msg());
			break;
		}
		default: u->mode = UI_MODE_NORMAL; break;	/* e, Esc, any other key */
		}
		return 0;
	}
	if (ch >= '0' && ch <= '9') {
		if (u->count < 100000000)
			u->count = u->count * 10 + (unsigned long)(ch - '0');
		u->counted = 1;
		return 0;
	}
	int counted = u->counted;
	unsigned long typed = u->count;

	u->count = 0;
	u->counted = 0;
	u->message[0] = '\0';
	u->asked = 0;
	if (ch > 0 && ch < 256 && refuse(u, ch))
		return 0;
	switch (ch) {
	case 's':
		u->code_follow = 1;
		rc = session_steps_begin(s, n);	/* long ones in chunks: keys and Ctrl-C still work */
		break;
	case 'S':	/* back n instructions: the boot run again to there */
		u->code_follow = 1;
		rc = session_step_back(s, n);
		break;
	case 'C':	/* back to the last stop or event */
		u->code_follow = 1;
		rc = session_run_back(s);
		break;
	case 'n':
		u->code_follow = 1;
		rc = session_next(s);
		break;
	case 'c':
		u->code_follow = 1;
		rc = session_continue(s);
		break;
	case '>':
		u->code_follow = 1;
		rc = session_run_to_next_stage(s);
		break;
	case 'b':
		open_prompt(u, 'b', "break at (symbol or address, Tab completes, Enter = pc)");
		break;
	case 'x':
		open_prompt(u, 'x', "memory at (symbol or address)");
		break;
	case 'r':
		u->code_follow = 1;
		u->console_scroll = 0;
		rc = restart(u);
		break;
	case '?':
		u->mode = UI_MODE_HELP;
		break;
	case 'p':	/* summed up as it opens: the counts change only when a run ends */
		if (u->have_profile)
			profile_summary_free(&u->profile);
		u->have_profile = s->profile.n && profile_summarize(&s->profile, &s->model, s->arch, &u->profile) == 0;
		u->mode = UI_MODE_PROFILE;
		break;
	case 'e':
		u->mode = UI_MODE_EVENTS;
		u->event_sel = ui_events_count(u);	/* the newest: drawn as the last */
		break;
	case 'T':	/* the next trap */
		u->code_follow = 1;
		rc = session_run_to_event(s, u->asked = 1u << EVENT_TRAP, 0);
		break;
	case 'E':	/* the next firmware call */
		u->code_follow = 1;
		rc = session_run_to_event(s, u->asked = 1u << EVENT_CALL, 0);
		break;
	case 'M':	/* the next change of mode */
		u->code_follow = 1;
		rc = session_run_to_event(s, u->asked = 1u << EVENT_TRAP | 1u << EVENT_RETURN | 1u << EVENT_CALL, 1);
		break;
	case '.':
		u->code_follow = 1;
		break;
	case 'H':	/* while one hart steps, the others stay, or run as under gdb */
		if (s->nharts < 2) {
			say(u, 0, "one hart: start with --smp N for more");
			break;
		}
		s->target.step_others = !s->target.step_others;
		say(u, 0, s->target.step_others ? "a step lets the other harts run meanwhile (H: they stay)"
						: "a step moves the selected hart alone (H: the others run meanwhile)");
		break;
	case 'h':	/* the next hart, or hart N (Nh): the panels show it, s and n step it alone */
		if (s->nharts < 2) {
			say(u, 0, "one hart: start with --smp N for more");
			break;
		}
		if (counted && typed >= s->nharts) {
			char msg[120];

			snprintf(msg, sizeof msg, "no hart %lu: the machine has %zu (0 to %zu)", typed, s->nharts, s->nharts - 1);
			say(u, 1, msg);
			break;
		}
		u->code_follow = 1;
		if ((rc = session_select_hart(s, counted ? (int)typed : (s->shown_hart + 1) % (int)s->nharts)) == 0) {
			char msg[120];

			snprintf(msg, sizeof msg, "hart %d: s and n step it alone; h the next, Nh hart N", s->shown_hart);
			say(u, 0, msg);
		}
		break;
	case 'l':
		u->show_lesson = !u->show_lesson;
		ui_screen_layout(u);
		break;
	case '\t':
		u->focus = (u->focus + 1) % UI_FOCUS_COUNT;
		break;
	case KEY_UP: ui_screen_scroll(u, u->focus, -1); break;
	case KEY_DOWN: ui_screen_scroll(u, u->focus, 1); break;
	case KEY_PPAGE: ui_screen_scroll(u, u->focus, -page); break;
	case KEY_NPAGE: ui_screen_scroll(u, u->focus, page); break;
	case 'q':
		return 1;
	case KEY_RESIZE:
	case ERR:
		break;
	default:
		say(u, 0, "unknown key: ? lists the keys");
	}
	if (rc < 0)
		say(u, 1, err_msg());
	return 0;
}

/* ---- the loop ------------------------------------------------------------- */

/* Returns 1 to quit, -1 to fail (err_set), 0 to go on. */
static int handle_signal(struct ui_screen *u, int sig, long long *last_int, volatile sig_atomic_t *cancel)
{
	switch (sig) {
	case SIGWINCH:
		resize(u);
		return 0;
	case SIGCHLD:
		session_poll(u->s, 0);
		return 0;
	case SIGINT:
		if (session_steps_cancel(u->s))
			return 0;
		if (u->s->running) {
			if (session_interrupt(u->s) < 0)
				say(u, 1, err_msg());
			return 0;
		}
		if (clock_ms() - *last_int < 2000)
			return 1;
		*last_int = clock_ms();
		say(u, 0, "Ctrl-C again (or q) quits");
		return 0;
	default:
		*cancel = sig;
		return 1;
	}
}

/* While a reply is awaited (session_watch_waits), the screen still
 * answers: a resize redraws, and q, Ctrl-C or a signal that ends
 * bootscope gives the wait up -- a silent gdbstub would otherwise hold
 * the screen for the whole reply time-out.  Such a signal goes back on
 * the pipe, for the loop to handle once the session has returned. */
static int waiting(void *ctx, int waited_ms, int limit_ms)
{
	struct ui_screen *u = ctx;
	unsigned char sig;
	char msg[120];
	int ch;

	while (read(ui_sigpipe[0], &sig, 1) == 1) {
		if (sig == SIGWINCH) {
			resize(u);
			draw(u);
		} else if (sig != SIGCHLD) {	/* a dead QEMU closes the socket anyway */
			if (sig != SIGINT && write(ui_sigpipe[1], &sig, 1) < 0)
				(void)0;	/* the pipe is full: the loop ends anyway */
			return 1;
		}
	}
	while ((ch = getch()) != ERR)
		if (ch == 'q') {
			u->quit = 1;
			return 1;
		}
	snprintf(msg, sizeof msg, "waiting for the gdbstub: %.1f s of %.1f s (q or Ctrl-C gives up)",
		 waited_ms / 1000.0, limit_ms / 1000.0);
	say(u, 0, msg);
	ui_status_draw(u);
	refresh();
	return 0;
}

static int loop(struct ui_screen *u, volatile sig_atomic_t *cancel)
{
	struct session *s = u->s;
	long long last_int = 0;

	for (;;) {
		struct pollfd pfd[6];
		int n = 0, ti = -1, ci = -1, gl = -1, gc = -1;

		if (s->ended && s->end_unexpected)
			return err_set("%s", session_end_reason(s));
		if (!s->target_open)	/* a restart that could not start QEMU again */
			return -1;
		/* A gdb's reads change nothing on the screen: no redraw for
		 * each of its many small requests.  While gdb keeps asking
		 * (a stepi is some twenty requests, a script many stepi), the
		 * redraw waits until it pauses, or 50 ms at most: drawn at
		 * each stop, the screen would cost gdb more than QEMU does. */
		if (!u->quiet_turn)
			u->draw_owed = 1;
		u->quiet_turn = 0;
		if (u->draw_owed && (!ui_gdb_busy(u) || clock_ms() - u->drawn_ms >= 50)) {
			session_view_update(s);
			draw(u);
			u->draw_owed = 0;
			u->drawn_ms = clock_ms();
		}
		pfd[n++] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
		pfd[n++] = (struct pollfd){ .fd = ui_sigpipe[0], .events = POLLIN };
		if (session_target_fd(s) >= 0) {
			ti = n;
			pfd[n++] = (struct pollfd){ .fd = session_target_fd(s), .events = POLLIN };
		}
		if (session_console_fd(s) >= 0 && !s->console_eof) {
			ci = n;
			pfd[n++] = (struct pollfd){ .fd = session_console_fd(s), .events = POLLIN };
		}
		size_t g = ui_gdb_fds(u, pfd + n, &gl, &gc);
		if (gl >= 0)
			gl += n;
		if (gc >= 0)
			gc += n;
		n += (int)g;
		if (poll(pfd, (nfds_t)n, session_steps_left(s) ? 0 : u->draw_owed ? 5 : -1) < 0) {
			if (errno == EINTR)
				continue;
			return err_set("poll: %s", strerror(errno));
		}
		if (pfd[1].revents) {
			unsigned char sig;
			while (read(ui_sigpipe[0], &sig, 1) == 1) {
				int rc = handle_signal(u, sig, &last_int, cancel);
				if (rc)
					return rc > 0 ? 0 : -1;
			}
		}
		if (ci >= 0 && pfd[ci].revents)
			session_console_drain(s);
		if (ti >= 0 && pfd[ti].revents && session_poll(s, 0) < 0)
			say(u, 1, err_msg());
		if (u->gdb_running)
			ui_gdb_stopped(u);
		if (gl >= 0 && pfd[gl].revents)
			ui_gdb_accept(u);
		if (gc >= 0 && pfd[gc].revents)
			ui_gdb_read(u);
		/* Only gdb spoke, and only to read: the screen stays as it is. */
		u->quiet_turn = u->gdb_quiet && !pfd[0].revents && !pfd[1].revents &&
				(ci < 0 || !pfd[ci].revents) && (ti < 0 || !pfd[ti].revents) && (gl < 0 || !pfd[gl].revents);
		u->gdb_quiet = 0;
		if (pfd[0].revents) {
			int ch;
			while ((ch = getch()) != ERR)
				if (key(u, ch) || u->quit)
					return 0;
		}
		if (session_steps_left(s) && session_steps_run(s) < 0)
			say(u, 1, err_msg());
		if (u->quit)
			return 0;
	}
}

int ui_run(struct session *s, const struct ui_opts *o, volatile sig_atomic_t *cancel)
{
	struct ui_screen u = { .s = s, .code_follow = 1, .show_lesson = 1 };
	struct sigaction old[NSIG_UI], old_ends[NSIG], sa = { .sa_handler = on_signal };
	int rc = 0;

	if (pipe2(ui_sigpipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return err_set("pipe: %s", strerror(errno));
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	for (size_t i = 0; i < NSIG_UI; i++)
		sigaction(ui_signals[i], &sa, &old[i]);
	sig_catch(on_signal, SA_RESTART, old_ends);
	if (*cancel)	/* a signal came while QEMU was starting: no screen */
		goto out;

	/* The user's locale; one that is not installed (zh_CN.UTF-8 on a bare
	 * server) still gets UTF-8, so arrows and Chinese lessons draw. */
	if (!setlocale(LC_ALL, ""))
		setlocale(LC_CTYPE, "C.UTF-8");
	u.utf8 = MB_CUR_MAX > 1;
	u.lang = o->lang ? o->lang : lesson_lang_default();
	if (!o->lessons)
		snprintf(u.lessons_error, sizeof u.lessons_error,
			 "No lessons: lessons.txt was found neither beside bootscope nor in its share/bootscope.");
	else if (lesson_load(&u.lessons, o->lessons) < 0)
		snprintf(u.lessons_error, sizeof u.lessons_error, "No lessons: %s", err_msg());
	set_escdelay(25);
	initscr();
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	setup_colors(&u);
	u.mouse = !o->no_mouse && ui_mouse_start();
	leave_escape(u.mouse);
	resize(&u);

	if (o->proxy) {
		char msg[200];

		u.proxy = o->proxy;
		snprintf(msg, sizeof msg, "for your gdb: target remote %s", u.proxy->where);
		say(&u, 0, msg);
	}
	session_view_code(s);	/* the code panel draws from what is fetched at stops */
	session_watch_waits(s, waiting, &u);
	rc = loop(&u, cancel);
	session_watch_waits(s, NULL, NULL);

	endwin();
	sig_crash_screen(NULL);
out:
	lesson_free(u.lessons);
	if (u.have_profile)
		profile_summary_free(&u.profile);
	for (size_t i = 0; i < NSIG_UI; i++)
		sigaction(ui_signals[i], &old[i], NULL);
	sig_restore(old_ends);
	close(ui_sigpipe[0]);
	close(ui_sigpipe[1]);
	ui_sigpipe[0] = ui_sigpipe[1] = -1;
	return rc;
}
