/* ui_help: the overlays -- the key list (?) and the memory view (x). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ui_screen.h"

static const char *const help_lines[] = {
	"bootscope keys (gdb habits)",
	"",
	"  s         step one instruction        10s  step ten",
	"  n         step over a call (jal/jalr that links ra)",
	"  c         continue to a breakpoint, or until the guest exits",
	"  >         run to the start of the next boot stage",
	"  T  E  M   run to the next trap, SBI call, change of mode",
	"  S  C      back one instruction (5S: five); to the last stop or event",
	"  e         the boot's events: traps, mret/sret, SBI calls, CSR writes;",
	"            Enter in the list puts the machine back where one happened",
	"  p         where the last run's instructions went (after the power-off)",
	"  b         set or clear a breakpoint (a symbol or address; kmain hart 1)",
	"  x         show memory at an address or symbol (Tab completes names)",
	"  r         restart from the reset vector",
	"  h  H      the next hart (Nh: hart N); let the others run while one steps",
	"  Ctrl-C    stop the running guest",
	"  Up/Down PgUp/PgDn  scroll the focused panel; Tab or a click: which",
	"            one (code, console); the wheel scrolls the panel under it",
	"  .  l      put the pc back in view; show or hide the lesson (--lang)",
	"  ?         this help             q   quit",
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
	const struct session_mem *m = &u->s->mem;
	char line[320], title[96];

	overlay_box(u, rows + 3, w, &y0, &x0);
	snprintf(title, sizeof title, "memory at 0x%" PRIx64 "   (Up/Down/PgUp/PgDn move, Esc closes)",
		 u->mem_addr);
	ui_screen_put(y0, x0 + 1, w - 2, A_REVERSE | A_BOLD, title, 1);
	/* The session read it when the view opened and at each stop. */
	int ok = m->on && m->ok && m->addr == u->mem_addr && m->len >= (size_t)rows * 16;
	for (int i = 0; i < rows; i++) {
		uint64_t a = u->mem_addr + (uint64_t)i * 16;
		int k = snprintf(line, sizeof line, "%010" PRIx64 " ", a);

		if (!ok) {
			snprintf(line + k, sizeof line - k, " %s", i || !m->on ? "" : m->error);
		} else {
			for (int j = 0; j < 16; j++)
				k += snprintf(line + k, sizeof line - k, "%s%02x", j == 8 ? "  " : " ", m->bytes[i * 16 + j]);
			k += snprintf(line + k, sizeof line - k, "  ");
			for (int j = 0; j < 16; j++) {
				unsigned char c = m->bytes[i * 16 + j];
				line[k++] = c >= 0x20 && c < 0x7f ? (char)c : '.';
			}
			line[k] = '\0';
		}
		ui_screen_put(y0 + 2 + i, x0 + 1, w - 2, A_REVERSE, line, 1);
	}
}
