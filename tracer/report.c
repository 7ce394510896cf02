#include "report.h"

#include <inttypes.h>
#include <string.h>

#include "err.h"
#include "json.h"

struct record {
	int number;
	const char *name;
	uint64_t entry;
	char mode;
	char section[64];
	char symbol[128];
	char insn[80];
	struct session_regs regs;
};

static void take(struct session *s, struct record *r)
{
	const struct code_line *in = session_insn(s, session_pc(s));

	r->number = s->stage ? s->stage->number : 0;
	r->name = s->stage ? s->stage->name : "unknown";
	r->entry = session_pc(s);
	r->mode = session_mode(s);
	snprintf(r->section, sizeof r->section, "%s", stage_section_of(&s->model, r->entry, NULL, NULL));
	stage_symbol_of(&s->model, r->entry, r->symbol, sizeof r->symbol);
	snprintf(r->insn, sizeof r->insn, "%s", in ? in->text : "(unreadable)");
	r->regs = s->regs;
}

static void print_json(FILE *out, struct session *s, const struct record *r, int n, const char *end)
{
	fputc('{', out);
	json_field(out, "kernel", s->opts.kernel);
	fputs(", ", out);
	json_field(out, "firmware", s->firmware ? s->firmware->path : s->opts.bios ? s->opts.bios : "default");
	fputs(",\n \"stages\": [", out);
	for (int i = 0; i < n; i++, r++) {
		char mode[2] = { r->mode, 0 };

		fprintf(out, "%s\n  {\"number\": %d, ", i ? "," : "", r->number);
		json_field(out, "name", r->name);
		fprintf(out, ", \"entry\": \"0x%" PRIx64 "\", ", r->entry);
		json_field(out, "priv", mode);
		fputs(", ", out);
		json_field(out, "section", r->section);
		fputs(", ", out);
		json_field(out, "symbol", r->symbol);
		fputs(", ", out);
		json_field(out, "instruction", r->insn);
		fprintf(out, ",\n   \"registers\": {\"pc\": \"0x%" PRIx64 "\"", r->regs.gpr[TARGET_PC]);
		for (int g = 0; g < 32; g++)
			fprintf(out, ", \"%s\": \"0x%" PRIx64 "\"", session_gpr_names[g], r->regs.gpr[g]);
		if (r->regs.priv_ok)
			fprintf(out, ", \"priv\": \"0x%" PRIx64 "\"", r->regs.priv);
		for (int c = 0; c < SESSION_NCSR; c++)
			if (r->regs.csr_ok[c])
				fprintf(out, ", \"%s\": \"0x%" PRIx64 "\"", session_csr_names[c], r->regs.csr[c]);
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

static void print_text(FILE *out, struct session *s, const struct record *r, int n, const char *end)
{
	fprintf(out, "kernel:   %s\nfirmware: %s\n", s->opts.kernel ? s->opts.kernel : "(none)",
		s->firmware ? s->firmware->path : s->opts.bios ? s->opts.bios : "default");
	for (int i = 0; i < n; i++, r++) {
		fprintf(out, "\n== stage %d: %s, entered at 0x%" PRIx64 " in %c mode\n", r->number,
			r->name, r->entry, r->mode);
		fprintf(out, "   where:       %s, %s\n", r->section, r->symbol);
		fprintf(out, "   instruction: %s\n", r->insn);
		fprintf(out, "   pc  %016" PRIx64, r->regs.gpr[TARGET_PC]);
		for (int g = 1; g < 32; g++)
			fprintf(out, "%s%-4s %016" PRIx64, g % 4 == 0 ? "\n   " : "  ",
				session_gpr_names[g], r->regs.gpr[g]);
		for (int c = 0; c < SESSION_NCSR; c++)
			if (r->regs.csr_ok[c])
				fprintf(out, "%s%-8s %016" PRIx64, c % 3 == 0 ? "\n   " : "  ",
					session_csr_names[c], r->regs.csr[c]);
		fputc('\n', out);
	}
	fprintf(out, "\n== end: %s\n", end);
	if (session_console_note(s))
		fprintf(out, "== console: %s\n", session_console_note(s));
	else
		fprintf(out, "== console:\n%.*s", (int)s->console_len, s->console ? s->console : "");
	if (s->console_len && s->console[s->console_len - 1] != '\n')
		fputc('\n', out);
}

int report_run(struct session *s, int json, int timeout_ms, FILE *out,
	       volatile sig_atomic_t *cancel)
{
	struct record rec[STAGE_MAX + 1];
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
			char sym[128];

			stage_symbol_of(&s->model, session_pc(s), sym, sizeof sym);
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
		snprintf(end, sizeof end, "%s", s->event);
	session_console_drain(s);
	/* A guest that powers off ends QEMU; anything else that ended it (a
	 * kill, a crash) is a failure of the run, not a report. */
	if (s->ended && s->end_unexpected)
		return err_set("%s", s->event);
	if (json)
		print_json(out, s, rec, n, end);
	else
		print_text(out, s, rec, n, end);
	return 0;
}
