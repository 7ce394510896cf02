#include "ui_screen.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* The right-hand column: two registers per row, 4-letter name and 16 hex
 * digits each, with room for the CSR lines under them. */
#define RIGHT_W 46

attr_t ui_screen_attr(const struct ui_screen *u, enum ui_color c)
{
	if (u->color && c != UI_C_NORMAL)
		return COLOR_PAIR(c) | (c == UI_C_CHANGED || c == UI_C_STAGE ? A_BOLD : 0);
	/* Monochrome: the same meaning with plain attributes. */
	switch (c) {
	case UI_C_TITLE: return A_BOLD | A_UNDERLINE;
	case UI_C_STAGE: return A_REVERSE | A_BOLD;
	case UI_C_CHANGED: return A_BOLD | A_UNDERLINE;
	case UI_C_PC: return A_REVERSE;
	case UI_C_BREAK: return A_BOLD;
	case UI_C_DIM: return A_DIM;
	case UI_C_ERROR: return A_BOLD | A_REVERSE;
	default: return A_NORMAL;
	}
}

void ui_screen_layout(struct ui_screen *u)
{
	int rows = u->rows, cols = u->cols;
	int strip = ui_harts_rows(u);
	int body_y = 3 + strip, body_h = rows - 4 - strip;	/* under stages/where/map/harts, above status */
	int left_w = cols - RIGHT_W - 1;
	int regs_h = 16;			/* 32 registers, two per row */

	u->too_small = cols < 80 || rows < 24;
	u->stages = (struct ui_rect){ 0, 0, 1, cols };
	u->where = (struct ui_rect){ 1, 0, 1, cols };
	u->map = (struct ui_rect){ 2, 0, 1, cols };
	u->harts = (struct ui_rect){ 3, 0, strip, cols };
	u->status = (struct ui_rect){ rows - 1, 0, 1, cols };
	if (body_h > regs_h + 8)
		regs_h++;	/* room for a heading */
	u->regs = (struct ui_rect){ body_y, left_w + 1, regs_h, RIGHT_W };
	u->csrs = (struct ui_rect){ body_y + regs_h, left_w + 1, body_h - regs_h, RIGHT_W };
	/* The console gets a third of the left column but never fewer than
	 * 6 rows; the lesson a third of what is left, 4 to 8 rows. */
	int console_h = body_h / 3;
	if (console_h < 6)
		console_h = 6;
	int code_h = body_h - console_h, lesson_h = 0;
	if (u->show_lesson) {	/* the lesson takes the lower part of the code's room */
		lesson_h = code_h / 3 < 4 ? 4 : code_h / 3 > 8 ? 8 : code_h / 3;
		code_h -= lesson_h;
	}
	u->code = (struct ui_rect){ body_y, 0, code_h, left_w };
	u->lesson = (struct ui_rect){ body_y + code_h, 0, lesson_h, left_w };
	u->console = (struct ui_rect){ body_y + body_h - console_h, 0, console_h, left_w };
}

int ui_screen_char(const char *p, size_t *bytes)
{
	mbstate_t st;
	wchar_t wc;
	size_t n;
	int w;

	memset(&st, 0, sizeof st);
	n = mbrtowc(&wc, p, MB_CUR_MAX, &st);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		*bytes = 1;
		return 1;
	}
	*bytes = n;
	w = wcwidth(wc);
	return w < 0 ? 1 : w;
}

void ui_screen_put(int y, int x, int w, attr_t attr, const char *text, int pad)
{
	int n = 0;

	if (w <= 0)
		return;
	attron(attr);
	move(y, x);
	/* Count columns, not bytes: text may hold UTF-8 arrows, and Chinese
	 * characters take two columns each.  Names from an ELF and what QEMU
	 * or a stub said reach here too: each character made printable
	 * (text.h), so none acts on the terminal. */
	size_t left = strlen(text);
	for (const char *p = text; *p; ) {
		char c[TEXT_CHAR_MAX];
		size_t used = text_char(p, left, 0, c);
		int cw = 0;

		for (const char *q = c; *q; ) {
			size_t len;

			cw += ui_screen_char(q, &len);
			q += len;
		}
		if (n + cw > w)
			break;
		addstr(c);
		p += used;
		left -= used;
		n += cw;
	}
	if (pad)
		for (; n < w; n++)
			addch(' ');
	attroff(attr);
}

void ui_screen_title(const struct ui_screen *u, const struct ui_rect *r, const char *title, int focused)
{
	char buf[128];

	snprintf(buf, sizeof buf, "%s%s", title, focused ? " *" : "");
	ui_screen_put(r->y, r->x, r->w, ui_screen_attr(u, UI_C_TITLE), buf, 1);
}

void ui_screen_scroll(struct ui_screen *u, enum ui_focus panel, int lines)
{
	if (panel == UI_FOCUS_CODE) {
		ui_code_scroll(u, lines);
	} else {
		u->console_scroll -= lines;
		if (u->console_scroll < 0)
			u->console_scroll = 0;
	}
}
