/* ui_mouse: a click on the code or console panel gives it the focus (as
 * Tab does), and the wheel scrolls the panel under the pointer, focused
 * or not, as in most programs with panels.  Only in the main view: over
 * the help, a prompt or a list, the mouse does nothing. */
#include "ui_screen.h"

/* Lines one notch of the wheel scrolls, as xterm and less do. */
#define UI_MOUSE_WHEEL_LINES 3

int ui_mouse_start(void)
{
	mmask_t want = BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED;

	/* No click resolution: a press acts at once, without ncurses
	 * waiting to see whether a release makes it a click. */
	mouseinterval(0);
	return mousemask(want, NULL) != 0;
}

static int ui_mouse_in(const struct ui_rect *r, int y, int x)
{
	return y >= r->y && y < r->y + r->h && x >= r->x && x < r->x + r->w;
}

void ui_mouse_event(struct ui_screen *u)
{
	MEVENT ev;
	enum ui_focus panel;

	if (getmouse(&ev) != OK || u->mode != UI_MODE_NORMAL || u->too_small)
		return;
	if (ui_mouse_in(&u->code, ev.y, ev.x))
		panel = UI_FOCUS_CODE;
	else if (ui_mouse_in(&u->console, ev.y, ev.x))
		panel = UI_FOCUS_CONSOLE;
	else
		return;
	if (ev.bstate & BUTTON1_PRESSED)
		u->focus = panel;
	else if (ev.bstate & BUTTON4_PRESSED)
		ui_screen_scroll(u, panel, -UI_MOUSE_WHEEL_LINES);
	else if (ev.bstate & BUTTON5_PRESSED)
		ui_screen_scroll(u, panel, UI_MOUSE_WHEEL_LINES);
}
