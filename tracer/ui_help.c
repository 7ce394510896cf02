/* ui_help: the overlays -- the key list (?), the memory view (x) -- and the
 * status line with the last event and the key hints. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "ui_screen.h"

static const char *const help_lines[] = {
	"bootscope keys (gdb habits)",
	"",
	"  s         step one instruction        10s  step ten",
	"  n         step over a call (jal/jalr that links ra)",
	"  c         continue to a breakpoint, or until the guest exits",
	"  >         run to the start of the next boot stage",
	"  b         set or clear a breakpoint (symbol or address; Tab completes)",
	"  x         show memory at an address or symbol",
	"  r         restart from the reset vector",
	"  Ctrl-C    stop the running guest",
	"  Up/Down PgUp/PgDn   scroll the focused panel",
	"  Tab       move between the code and console panels",
	"  .         put the pc back in view",
	"  l         show or hide the lesson for this instruction (--lang en|zh)",
	"  ?         this help             q   quit",
	"",
	"Any key closes this help.",
};

static void overlay_box(struct ui_screen *u, int h, int w, int *y0, int *x0)
{
	*y0 = (u->rows - h) / 2;
	*x0 = (u->cols - w) / 2;
	for (int y = 0; y < h; y++)
		ui_screen_put(*y0 + y, *x0, w, A_REVERSE, "", 1);
}

void ui_help_draw(struct ui_screen *u)
{
	int n = sizeof help_lines / sizeof help_lines[0], w = 76, y0, x0;

	overlay_box(u, n + 2, w, &y0, &x0);
	for (int i = 0; i < n; i++)
		ui_screen_put(y0 + 1 + i, x0 + 2, w - 4, A_REVERSE | (i == 0 ? A_BOLD : 0),
			      help_lines[i], 1);
}

void ui_memory_draw(struct ui_screen *u)
{
	int rows = u->rows - 8 > 16 ? 16 : u->rows - 8, w = 80, y0, x0;
	uint8_t b[16 * 16];
	char line[128], title[96];

	overlay_box(u, rows + 3, w, &y0, &x0);
	snprintf(title, sizeof title, "memory at 0x%" PRIx64 "   (Up/Down/PgUp/PgDn move, Esc closes)",
		 u->mem_addr);
	ui_screen_put(y0, x0 + 1, w - 2, A_REVERSE | A_BOLD, title, 1);
	int ok = target_read_mem(&u->s->target, u->mem_addr, b, (size_t)rows * 16) == 0;
	for (int i = 0; i < rows; i++) {
		uint64_t a = u->mem_addr + (uint64_t)i * 16;
		int k = snprintf(line, sizeof line, "%010" PRIx64 " ", a);

		if (!ok) {
			snprintf(line + k, sizeof line - k, " %s", i ? "" : err_msg());
		} else {
			for (int j = 0; j < 16; j++)
				k += snprintf(line + k, sizeof line - k, "%s%02x", j == 8 ? "  " : " ", b[i * 16 + j]);
			k += snprintf(line + k, sizeof line - k, "  ");
			for (int j = 0; j < 16; j++) {
				unsigned char c = b[i * 16 + j];
				line[k++] = c >= 0x20 && c < 0x7f ? (char)c : '.';
			}
			line[k] = '\0';
		}
		ui_screen_put(y0 + 2 + i, x0 + 1, w - 2, A_REVERSE, line, 1);
	}
}

void ui_status_draw(struct ui_screen *u)
{
	const struct ui_rect *r = &u->status;
	const char *hints = u->cols >= 120
		? " s step  n next  c cont  > next stage  b break  x mem  r restart  ? help  q quit "
		: " ? help  q quit ";
	char buf[400];

	if (u->mode == UI_MODE_PROMPT) {
		/* What Tab found goes on the row above, the prompt stays put. */
		if (u->message[0] && r->y > 0)
			ui_screen_put(r->y - 1, 0, r->w, ui_screen_attr(u, UI_C_DIM) | A_REVERSE, u->message, 1);
		snprintf(buf, sizeof buf, " %s: %s", u->prompt_label, u->prompt);
		ui_screen_put(r->y, 0, r->w, A_BOLD, buf, 1);
		move(r->y, (int)strlen(buf) < r->w ? (int)strlen(buf) : r->w - 1);
		return;
	}
	if (u->message[0])
		snprintf(buf, sizeof buf, " %s", u->message);
	else if (u->pending_steps)
		snprintf(buf, sizeof buf, " stepping: %lu to go (Ctrl-C stops)", u->pending_steps);
	else if (u->count)
		snprintf(buf, sizeof buf, " %lu", u->count);
	else
		snprintf(buf, sizeof buf, " %s", u->s->event);
	/* The message comes first: the long hints, the short ones, or none,
	 * whichever leaves it whole. */
	int len = (int)strlen(buf);
	if (len + (int)strlen(hints) > r->w)
		hints = " ? help  q quit ";
	if (len + (int)strlen(hints) > r->w)
		hints = "";
	int hw = (int)strlen(hints);
	ui_screen_put(r->y, 0, r->w - hw, u->message_is_error ? ui_screen_attr(u, UI_C_ERROR) : A_BOLD, buf, 1);
	if (hw)
		ui_screen_put(r->y, r->w - hw, hw, ui_screen_attr(u, UI_C_DIM), hints, 1);
}
