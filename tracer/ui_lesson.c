/* ui_lesson: the note from walkthrough/lessons.txt for the instruction at
 * the pc, word-wrapped; `l` shows and hides it.
 *
 * Chinese text has no spaces and its characters take two columns, so the
 * wrapping counts columns with wcwidth() and breaks between any two
 * characters when a line has no space to break at. */
#include <string.h>

#include "ui_screen.h"

/* Length in bytes of the next line of at most width columns from p. */
static size_t wrap(const char *p, int width)
{
	size_t off = 0, last_space = 0;
	int cols = 0;

	while (p[off] && p[off] != '\n') {
		size_t b;
		int w = ui_screen_char(p + off, &b);

		if (cols + w > width)
			return last_space ? last_space : (off ? off : b);
		if (p[off] == ' ')
			last_space = off;
		cols += w;
		off += b;
	}
	return off;
}

void ui_lesson_draw(struct ui_screen *u)
{
	struct session *s = u->s;
	const struct ui_rect *r = &u->lesson;
	uint64_t pc = session_pc(s);
	const struct stage *st = stage_of(&s->model, pc);
	const struct image_symbol *sym = st && st->image ? image_symbol_at(st->image, pc) : NULL;
	const char *text = u->lessons ? lesson_for(u->lessons, pc, sym ? sym->name : NULL, u->lang) : NULL;
	int y = r->y + 1;
	char line[512];

	if (r->h <= 0)
		return;
	ui_screen_title(u, r, strcmp(u->lang, "zh") == 0 ? " lesson \xe8\xae\xb2\xe8\xa7\xa3 (l hides)"
							  : " lesson (l hides)", 0);
	if (!text)
		text = u->lessons ? (strcmp(u->lang, "zh") == 0
				     ? "\xe8\xbf\x99\xe9\x87\x8c\xe6\xb2\xa1\xe6\x9c\x89\xe8\xae\xb2\xe8\xa7\xa3\xe3\x80\x82"
				     : "No note for this instruction.")
				  : u->lessons_error;
	while (*text && y < r->y + r->h) {
		size_t n = wrap(text, r->w - 1);

		if (n >= sizeof line)
			n = sizeof line - 1;
		memcpy(line, text, n);
		line[n] = '\0';
		ui_screen_put(y++, r->x + 1, r->w - 1, A_NORMAL, line, 1);
		text += n;
		while (*text == ' ' || *text == '\n')
			text++;
	}
}
