/* ui_regs: pc, the 31 general registers by ABI name, and the key CSRs with
 * their meaning; what changed at the last stop is highlighted. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "csr.h"
#include "ui_screen.h"

enum { CSR_MSTATUS, CSR_MTVEC, CSR_MEPC, CSR_MCAUSE, CSR_MTVAL, CSR_MEDELEG, CSR_MIDELEG,
       CSR_SATP, CSR_SSTATUS, CSR_STVEC, CSR_SEPC, CSR_SCAUSE, CSR_STVAL };

static void reg(struct ui_screen *u, int y, int x, const char *name, uint64_t v, int changed)
{
	char buf[40];

	snprintf(buf, sizeof buf, "%-4s %016" PRIx64, name, v);
	ui_screen_put(y, x, 21, changed ? ui_screen_attr(u, UI_C_CHANGED) : A_NORMAL, buf, 0);
}

void ui_regs_draw(struct ui_screen *u)
{
	const struct session *s = u->s;
	const struct ui_rect *r = &u->regs;
	int y = r->y;

	if (r->h > 16) {
		ui_screen_title(u, r, s->running ? " registers (running: as at the last stop)" :
						   " registers", 0);
		y++;
	}
	/* pc takes x0's place: zero never changes. */
	for (int i = 0; i < 32; i++) {
		int row = i / 2, col = i % 2;
		int x = r->x + col * 23;

		if (i == 0)
			reg(u, y + row, x, "pc", session_pc(s), session_gpr_changed(s, TARGET_PC));
		else
			reg(u, y + row, x, session_gpr_names[i], s->regs.gpr[i], session_gpr_changed(s, i));
	}
}

/* A line that does not fit loses whole words from its end, not half of one. */
static void csr_line(struct ui_screen *u, int y, const char *text, int changed)
{
	char buf[160];
	size_t w = (size_t)u->csrs.w;

	snprintf(buf, sizeof buf, "%s", text);
	if (strlen(buf) > w) {
		buf[w] = '\0';
		char *sp = strrchr(buf, ' ');
		if (sp)
			*sp = '\0';
	}
	ui_screen_put(y, u->csrs.x, u->csrs.w, changed ? ui_screen_attr(u, UI_C_CHANGED) : A_NORMAL,
		      buf, 1);
}

void ui_csrs_draw(struct ui_screen *u)
{
	const struct session *s = u->s;
	const struct session_regs *g = &s->regs;
	const struct ui_rect *r = &u->csrs;
	char buf[160], what[96];
	int y = r->y, end = r->y + r->h;

	if (r->h >= 8) {
		ui_screen_title(u, r, " CSRs", 0);
		y++;
	}
	/* Most telling first, so a short panel keeps what matters. */
	csr_mstatus_describe(g->csr[CSR_MSTATUS], what, sizeof what);
	snprintf(buf, sizeof buf, "mstatus 0x%" PRIx64 " %s", g->csr[CSR_MSTATUS], what);
	if (y < end)
		csr_line(u, y++, buf, session_csr_changed(s, CSR_MSTATUS));
	snprintf(buf, sizeof buf, "mcause 0x%" PRIx64 " %s", g->csr[CSR_MCAUSE],
		 csr_cause_name(g->csr[CSR_MCAUSE]));
	if (y < end)
		csr_line(u, y++, buf, session_csr_changed(s, CSR_MCAUSE));
	snprintf(buf, sizeof buf, "mepc 0x%" PRIx64 "  mtvec 0x%" PRIx64 "  satp %s",
		 g->csr[CSR_MEPC], g->csr[CSR_MTVEC], csr_satp_mode(g->csr[CSR_SATP]));
	if (y < end)
		csr_line(u, y++, buf, session_csr_changed(s, CSR_MEPC) ||
			 session_csr_changed(s, CSR_MTVEC) || session_csr_changed(s, CSR_SATP));
	snprintf(buf, sizeof buf, "sepc 0x%" PRIx64 "  scause 0x%" PRIx64 "  stvec 0x%" PRIx64,
		 g->csr[CSR_SEPC], g->csr[CSR_SCAUSE], g->csr[CSR_STVEC]);
	if (y < end)
		csr_line(u, y++, buf, session_csr_changed(s, CSR_SEPC) ||
			 session_csr_changed(s, CSR_SCAUSE) || session_csr_changed(s, CSR_STVEC));
	/* The rest, one per line, when there is room. */
	static const int rest[] = { CSR_MTVAL, CSR_MEDELEG, CSR_MIDELEG, CSR_SATP, CSR_SSTATUS, CSR_STVAL };
	for (size_t i = 0; i < sizeof rest / sizeof rest[0] && y < end; i++) {
		int c = rest[i];

		if (!g->csr_ok[c])
			continue;
		snprintf(buf, sizeof buf, "%-8s 0x%016" PRIx64, session_csr_names[c], g->csr[c]);
		csr_line(u, y++, buf, session_csr_changed(s, c));
	}
	if (y + 1 < end) {	/* where traps go, in words */
		char m[48], t[48];

		csr_tvec_describe(g->csr[CSR_MTVEC], m, sizeof m);
		csr_tvec_describe(g->csr[CSR_STVEC], t, sizeof t);
		snprintf(buf, sizeof buf, "mtvec %s", m);
		csr_line(u, y++, buf, 0);
		snprintf(buf, sizeof buf, "stvec %s", t);
		csr_line(u, y++, buf, 0);
	}
	if (y < end && g->csr[CSR_SCAUSE]) {
		snprintf(buf, sizeof buf, "scause: %s", csr_cause_name(g->csr[CSR_SCAUSE]));
		csr_line(u, y++, buf, 0);
	}
}
