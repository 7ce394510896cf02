#include "report.h"

#include <inttypes.h>
#include <string.h>

#include "err.h"
#include "json.h"
#include "text.h"

/* What the machine looked like at a stage's entry. */
struct record {
	int number;
	const char *name;
	uint64_t entry;
	const char *mode;
	char section[64];
	char symbol[128];
	char insn[80];
	struct arch_regs regs;
};

static void take(struct session *s, struct record *r)
{
	const struct code_line *in = session_insn(s, session_pc(s));
	const char *sec;

	r->number = s->stage ? s->stage->number : 0;
	r->name = s->stage ? s->stage->name : "unknown";
	r->entry = session_pc(s);
	r->mode = s->mode.name;
	sec = stage_section_of(&s->model, r->entry, NULL, NULL);
	snprintf(r->section, sizeof r->section, "%s", sec ? sec : "unknown");
	if (stage_symbol_of(&s->model, r->entry, r->symbol, sizeof r->symbol) < 0)
		snprintf(r->symbol, sizeof r->symbol, "unknown");
	snprintf(r->insn, sizeof r->insn, "%s", in ? in->text : "(unreadable)");
	r->regs = s->regs;
}

static void print_json(FILE *out, struct session *s, const struct record *r, int n, const char *end)
{
	const struct arch *a = s->arch;

	fputc('{', out);
	json_field(out, "kernel", s->opts.kernel);
	fputs(", ", out);
	json_field(out, "firmware", s->firmware ? s->firmware->path : s->opts.bios ? s->opts.bios : "default");
	fputs(",\n \"stages\": [", out);
	for (int i = 0; i < n; i++, r++) {
		fprintf(out, "%s\n  {\"number\": %d, ", i ? "," : "", r->number);
		json_field(out, "name", r->name);
		fprintf(out, ", \"entry\": \"0x%" PRIx64 "\", ", r->entry);
		json_field(out, "priv", r->mode);
		fputs(", ", out);
		json_field(out, "section", r->section);
		fputs(", ", out);
		json_field(out, "symbol", r->symbol);
		fputs(", ", out);
		json_field(out, "instruction", r->insn);
		fputs(",\n   \"registers\": {", out);
		for (size_t k = 0, shown = 0; k < a->nregs; k++)
			if (r->regs.ok[k])
				fprintf(out, "%s\"%s\": \"0x%" PRIx64 "\"", shown++ ? ", " : "", a->regs[k].label,
					r->regs.v[k]);
		fputs("}}", out);
	}
	fputs("],\n ", out);
	json_field(out, "end", end);
	fputs(",\n ", out);
	fputs("\"console\": ", out);
	if (session_console_note(s))
		json_string(out, session_console_note(s), strlen(session_console_note(s)));
	else
		json_string(out, s->console ? s->console : "", s->console_len);
	fputs("}\n", out);
}

/* The registers four to a line (system registers three), the constant
 * ones and the mode register left out. */
static void print_regs(FILE *out, const struct arch *a, const struct arch_regs *regs)
{
	size_t g = 0, c = 0;

	for (size_t k = 0; k < a->nregs; k++) {
		const struct arch_reg *x = &a->regs[k];

		if ((x->kind == ARCH_REG_PC || x->kind == ARCH_REG_GENERAL) && !x->quiet) {
			if (g == 0)	/* the pc, unpadded */
				fprintf(out, "   %s  %016" PRIx64, x->label, regs->v[k]);
			else
				fprintf(out, "%s%-4s %016" PRIx64, g % 4 == 0 ? "\n   " : "  ", x->label,
					regs->v[k]);
			g++;
		} else if (x->kind == ARCH_REG_SYSTEM) {
			if (regs->ok[k])
				fprintf(out, "%s%-8s %016" PRIx64, c % 3 == 0 ? "\n   " : "  ", x->label,
					regs->v[k]);
			c++;
		}
	}
	fputc('\n', out);
}

/* Names from an ELF, the disassembly of the guest's bytes and the end's
 * words (which may quote QEMU) are not bootscope's own: printable. */
static void put(FILE *out, const char *text)
{
	text_write(out, text, strlen(text), 0);
}

static void print_text(FILE *out, struct session *s, const struct record *r, int n, const char *end)
{
	fprintf(out, "kernel:   %s\nfirmware: %s\n", s->opts.kernel ? s->opts.kernel : "(none)",
		s->firmware ? s->firmware->path : s->opts.bios ? s->opts.bios : "default");
	for (int i = 0; i < n; i++, r++) {
		fprintf(out, "\n== stage %d: %s, entered at 0x%" PRIx64 " in %s mode\n", r->number,
			r->name, r->entry, r->mode);
		fputs("   where:       ", out);
		put(out, r->section);
		fputs(", ", out);
		put(out, r->symbol);
		fputs("\n   instruction: ", out);
		put(out, r->insn);
		fputc('\n', out);
		print_regs(out, s->arch, &r->regs);
	}
	fputs("\n== end: ", out);
	put(out, end);
	fputc('\n', out);
	if (session_console_note(s))
		fprintf(out, "== console: %s\n", session_console_note(s));
	else {
		/* The guest's own bytes: its lines and tabs, never its escapes. */
		fputs("== console:\n", out);
		text_write(out, s->console ? s->console : "", s->console_len, TEXT_CONSOLE);
	}
	if (s->console_len && s->console[s->console_len - 1] != '\n')
		fputc('\n', out);
}

int report_run(struct session *s, int json, int timeout_ms, FILE *out,
	       volatile sig_atomic_t *cancel)
{
	struct record rec[STAGE_MAX + 1];
	char sym[128];
	int n = 0;
	char end[256] = "stopped";

	take(s, &rec[n++]);
	int lost = 0;
	while (!s->ended && !*cancel && s->stage && stage_next(&s->model, s->stage) && n <= STAGE_MAX) {
		const struct stage *next = stage_next(&s->model, s->stage);

		if (session_run_to_next_stage(s) < 0 || session_wait(s, timeout_ms, cancel) < 0)
			return -1;
		if (s->ended || *cancel)
			break;
		if (s->stage != next || session_pc(s) != next->entry) {
			/* The boot went somewhere else: say where, do not
			 * pretend it was the next stage. */
			if (stage_symbol_of(&s->model, session_pc(s), sym, sizeof sym) < 0)
				snprintf(sym, sizeof sym, "unknown");
			snprintf(end, sizeof end,
				 "never reached stage %d (%s) at 0x%" PRIx64 ": stopped at 0x%" PRIx64
				 " <%s>; bootscope --check says why", next->number, next->name, next->entry,
				 session_pc(s), sym);
			lost = 1;
			break;
		}
		take(s, &rec[n++]);
	}
	if (!s->ended && !*cancel && !lost) {
		if (session_continue(s) < 0)
			return -1;
		int rc = session_wait(s, timeout_ms, cancel);
		if (rc < 0)
			return -1;
		if (rc == 1)
			snprintf(end, sizeof end, "still running after %.1f s: stopped at 0x%" PRIx64,
				 timeout_ms / 1000.0, session_pc(s));
	}
	if (*cancel)
		snprintf(end, sizeof end, "interrupted");
	else if (s->ended)
		snprintf(end, sizeof end, "%s", session_end_reason(s));
	session_console_drain(s);
	/* A guest that powers off ends QEMU; anything else that ended it (a
	 * kill, a crash) is a failure of the run, not a report. */
	if (s->ended && s->end_unexpected)
		return err_set("%s", session_end_reason(s));
	if (json)
		print_json(out, s, rec, n, end);
	else
		print_text(out, s, rec, n, end);
	return 0;
}
