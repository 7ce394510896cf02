/* ui_console: what the guest printed, newest at the bottom; scrollable. */
#include <stdio.h>
#include <string.h>

#include "ui_screen.h"

void ui_console_draw(struct ui_screen *u)
{
	const struct session *s = u->s;
	const struct ui_rect *r = &u->console;
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
		size_t k = 0;

		while (e < end && text[e] != '\n')
			e++;
		for (size_t i = p; i < e && k + 1 < sizeof line; i++)
			if (text[i] != '\r')	/* the serial console sends \r\n */
				line[k++] = text[i] == '\t' ? ' ' : text[i];
		line[k] = '\0';
		ui_screen_put(y++, r->x, r->w, A_NORMAL, line, 1);
		if (e >= end)
			break;
		p = e + 1;
	}
}
