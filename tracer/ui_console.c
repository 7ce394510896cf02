/* ui_console: what the guest printed, newest at the bottom; scrollable.
 * On a board with a VGA text screen, its rows in use come first. */
#include <stdio.h>
#include <string.h>

#include "text.h"
#include "ui_screen.h"

#define TAB_STOP 8

/* One line of the guest's output as the panel shows it: escapes as
 * printable text (text.h), so the guest never drives the terminal; of the
 * controls, only the harmless ones a console means act: CR is dropped (the
 * serial console sends \r\n), a tab moves to the next multiple of
 * TAB_STOP, a backspace erases the character before it. */
static void console_line(const char *text, size_t len, char *line, size_t cap)
{
	size_t at[512];		/* where each guest character starts in line */
	int col[512];		/* ... and its column */
	size_t k = 0, n = 0;
	int c = 0;

	for (size_t i = 0; i < len && n < sizeof at / sizeof at[0];) {
		char piece[TAB_STOP + TEXT_CHAR_MAX];	/* a tab's spaces, or one character */
		int w = 0;

		if (text[i] == '\b') {
			if (n > 0) {
				n--;
				k = at[n];
				c = col[n];
			}
			i++;
			continue;
		}
		if (text[i] == '\t') {
			w = TAB_STOP - c % TAB_STOP;
			memset(piece, ' ', (size_t)w);
			piece[w] = '\0';
			i++;
		} else {
			i += text_char(text + i, len - i, TEXT_CONSOLE, piece);
			for (const char *p = piece; *p;) {
				size_t b;

				w += ui_screen_char(p, &b);
				p += b;
			}
		}
		size_t pl = strlen(piece);
		if (pl == 0)
			continue;
		if (k + pl + 1 > cap)
			break;
		at[n] = k;
		col[n++] = c;
		memcpy(line + k, piece, pl);
		k += pl;
		c += w;
	}
	line[k] = '\0';
}

/* The VGA text screen's rows that hold anything, into the top of the
 * panel: at most half of it, the last rows written kept (a kernel that
 * fills the screen scrolls).  Returns the rows used, its title's too. */
static int vga_draw(struct ui_screen *u, const struct ui_rect *r)
{
	const struct session *s = u->s;
	int first = -1, last = -1, room = (r->h - 1) / 2;

	if (!s->vga_ok || room < 2)
		return 0;
	for (int y = 0; y < SESSION_VGA_ROWS; y++)
		for (int x = 0; x < SESSION_VGA_COLS; x++) {
			uint8_t c = s->vga[2 * (y * SESSION_VGA_COLS + x)];

			if (c != ' ' && c != 0) {
				if (first < 0)
					first = y;
				last = y;
			}
		}
	if (first < 0)
		return 0;
	if (last - first + 1 > room - 1)
		first = last - (room - 1) + 1;
	char title[64];

	snprintf(title, sizeof title, " VGA text 0x%llx", (unsigned long long)s->board->vga_text);
	ui_screen_title(u, r, title, 0);
	int y = r->y + 1;
	for (int row = first; row <= last; row++) {
		char text[SESSION_VGA_COLS + 1], line[512];
		int n = 0;

		/* Code page 437's printable ASCII as itself; the rest (boxes,
		 * accents) as text.h escapes it. */
		for (int x = 0; x < SESSION_VGA_COLS; x++) {
			uint8_t c = s->vga[2 * (row * SESSION_VGA_COLS + x)];

			text[n++] = c == 0 ? ' ' : (char)c;
		}
		while (n > 0 && text[n - 1] == ' ')
			n--;
		console_line(text, (size_t)n, line, sizeof line);
		ui_screen_put(y++, r->x, r->w, A_BOLD, line, 1);
	}
	return y - r->y;
}

void ui_console_draw(struct ui_screen *u)
{
	const struct session *s = u->s;
	struct ui_rect below = u->console;
	int used = vga_draw(u, &u->console);

	below.y += used;
	below.h -= used;
	const struct ui_rect *r = &below;
	int rows = r->h - 1;
	const char *text = s->console ? s->console : "";
	size_t len = s->console_len;
	char title[96];

	if (session_console_note(s))
		snprintf(title, sizeof title, " console: %s", session_console_note(s));
	else if (u->console_scroll)
		snprintf(title, sizeof title, " console (scrolled back %d lines)", u->console_scroll);
	else
		snprintf(title, sizeof title, " console");
	ui_screen_title(u, r, title, u->focus == UI_FOCUS_CONSOLE);

	/* Find the start of the line that should sit on the bottom row:
	 * skip console_scroll lines up from the end. */
	size_t end = len;
	if (end && text[end - 1] == '\n')
		end--;
	for (int skip = u->console_scroll; skip > 0 && end > 0; skip--) {
		while (end > 0 && text[end - 1] != '\n')
			end--;
		if (end > 0)
			end--;
	}
	/* Walk back rows lines from there, then draw forwards. */
	size_t start = end;
	for (int n = 0; n < rows && start > 0; n++) {
		if (n > 0)
			start--;	/* over the '\n' that ends the previous line */
		while (start > 0 && text[start - 1] != '\n')
			start--;
	}
	int y = r->y + 1;
	size_t p = start;
	while (y < r->y + r->h && p <= end && len) {
		size_t e = p;
		char line[512];

		while (e < end && text[e] != '\n')
			e++;
		console_line(text + p, e - p, line, sizeof line);
		ui_screen_put(y++, r->x, r->w, A_NORMAL, line, 1);
		if (e >= end)
			break;
		p = e + 1;
	}
}
