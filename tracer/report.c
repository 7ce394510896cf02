#include "report.h"

#include <inttypes.h>
#include <string.h>

#include "err.h"
#include "event_text.h"
#include "json.h"
#include "text.h"
#include "walk.h"

/* The events that tell the boot's story, with the stages entered and
 * how it ended; the commands' own (steps, runs, stops) are left out. */
static const char *story_kind(enum event_kind k)
{
	switch (k) {
	case EVENT_STAGE: return "stage";
	case EVENT_TRAP: return "trap";
	case EVENT_RETURN: return "return";
	case EVENT_CALL: return "sbi_call";
	case EVENT_SYSREG: return "sysreg";
	case EVENT_WAIT: return "wait";
	case EVENT_BREAKPOINT: return "breakpoint";
	case EVENT_POWER_OFF: return "power_off";
	case EVENT_QEMU_DIED: return "qemu_died";
	case EVENT_LOST: return "lost";
	default: return NULL;
	}
}

static void json_hex(FILE *out, const char *key, uint64_t v)
{
	fprintf(out, ", \"%s\": \"0x%" PRIx64 "\"", key, v);
}

static void json_str(FILE *out, const char *key, const char *v)
{
	fprintf(out, ", ");
	json_field(out, key, v);
}

static void print_event_json(FILE *out, const struct session *s, const struct event *e)
{
	char sym[128], text[400];

	fputs("{", out);
	json_field(out, "kind", story_kind(e->kind));
	json_hex(out, "pc", e->pc);
	if (e->have_insn)
		fprintf(out, ", \"insn\": %" PRIu64, e->insn);
	if (s->nharts > 1)	/* one hart's report stays as it was */
		fprintf(out, ", \"hart\": %d", e->hart);
	json_str(out, "from", e->from.name);
	json_str(out, "to", e->to.name);
	json_str(out, "symbol", stage_symbol_of(&s->model, e->pc, sym, sizeof sym) == 0 ? sym : "");
	switch (e->kind) {
	case EVENT_STAGE:
		fprintf(out, ", \"stage\": %d", e->stage + 1);
		break;
	case EVENT_TRAP:
		json_hex(out, "cause", e->trap.cause);
		json_str(out, "name", e->trap.cause_name ? e->trap.cause_name : "");
		fprintf(out, ", \"interrupt\": %s", e->trap.interrupt ? "true" : "false");
		json_hex(out, "tval", e->trap.value);
		json_hex(out, "handler", e->addr);
		break;
	case EVENT_RETURN:
		json_str(out, "name", e->name);
		json_hex(out, "target", e->addr);
		json_str(out, "target_symbol", stage_symbol_of(&s->model, e->addr, sym, sizeof sym) == 0 ? sym : "");
		break;
	case EVENT_CALL:
		json_hex(out, "eid", e->call.ext);
		json_hex(out, "fid", e->call.func);
		json_str(out, "extension", e->call.ext_name);
		json_str(out, "name", e->call.name);
		json_str(out, "args", e->call.args);
		if (e->result_known) {
			fprintf(out, ", \"error\": %" PRId64, e->result.error);
			json_str(out, "error_name", e->result.error_name);
			if (e->result.has_value)
				json_hex(out, "value", e->result.value);
		}
		break;
	case EVENT_SYSREG:
		json_str(out, "register", e->reg >= 0 ? s->arch->regs[e->reg].label : "");
		json_hex(out, "old", e->old_value);
		json_hex(out, "value", e->value);
		break;
	default:
		break;
	}
	if (event_text(e, &s->model, s->arch, text, sizeof text))
		json_str(out, "text", text);
	fputs("}", out);
}

/* Where each hart entered each stage, from the events: a stage entered
 * where the session stopped, or a return (mret, sret) into a later stage
 * than the hart was in, which is how OpenSBI sends the harts it starts
 * into the kernel. */
static void print_harts_json(FILE *out, const struct session *s)
{
	const struct event_log *l = session_events(s);

	fputs(",\n \"harts\": [", out);
	for (size_t h = 0; h < s->nharts; h++) {
		int in = -1, first = 1;

		fprintf(out, "%s{\"hart\": %zu, \"stages\": [", h ? ",\n  " : "\n  ", h);
		for (size_t i = 0; i < event_count(l); i++) {
			const struct event *e = event_at(l, i);
			const struct stage *st = NULL;
			uint64_t at = e->pc;

			if (e->hart != (int)h || e->again)
				continue;
			if ((e->kind == EVENT_STAGE || e->kind == EVENT_PAUSED) && e->stage >= 0 && e->stage < s->model.n)
				st = &s->model.stages[e->stage];
			else if (e->kind == EVENT_RETURN)
				st = stage_of(&s->model, at = e->addr);
			if (!st || (int)(st - s->model.stages) <= in)
				continue;
			in = (int)(st - s->model.stages);
			fprintf(out, "%s{\"stage\": %d, ", first ? "" : ", ", st->number);
			json_field(out, "name", st->name);
			json_hex(out, "pc", at);
			json_str(out, "mode", e->to.name);
			if (e->have_insn)
				fprintf(out, ", \"insn\": %" PRIu64, e->insn);
			fputc('}', out);
			first = 0;
		}
		fputs("]}", out);
	}
	fputs("]", out);
}

static void print_events_json(FILE *out, const struct session *s)
{
	const struct event_log *l = session_events(s);
	int first = 1, entered[STAGE_MAX] = { 0 };

	fputs(",\n \"events\": [", out);
	for (size_t i = 0; i < event_count(l); i++) {
		const struct event *e = event_at(l, i);

		if (!story_kind(e->kind) || e->again)
			continue;
		/* A stage is entered once; coming back to it (the firmware at
		 * each SBI call) is told by the call and its return. */
		if (e->kind == EVENT_STAGE && (e->stage < 0 || e->stage >= STAGE_MAX || entered[e->stage]++))
			continue;
		fputs(first ? "\n  " : ",\n  ", out);
		first = 0;
		print_event_json(out, s, e);
	}
	fputs("]", out);
}

/* A stage's entry, or the --at point: where, the instruction, the registers. */
static void print_stop_json(FILE *out, const struct session *s, const struct walk_stop *r)
{
	const struct arch *a = s->arch;

	fprintf(out, "{\"number\": %d, ", r->number);
	json_field(out, "name", r->name);
	fprintf(out, ", \"entry\": \"0x%" PRIx64 "\", ", r->entry);
	if (s->nharts > 1)
		fprintf(out, "\"hart\": %d, ", r->hart);
	json_field(out, a->mode_key, r->mode);
	fputs(", ", out);
	json_field(out, "section", r->section);
	fputs(", ", out);
	json_field(out, "symbol", r->symbol);
	fputs(", ", out);
	json_field(out, "instruction", r->insn);
	if (r->have_icount)
		fprintf(out, ", \"insn\": %" PRIu64, r->icount);
	fputs(",\n   \"registers\": {", out);
	for (size_t k = 0, shown = 0; k < a->nregs; k++)
		if (r->regs.ok[k])
			fprintf(out, "%s\"%s\": \"0x%" PRIx64 "\"", shown++ ? ", " : "", a->regs[k].label, r->regs.v[k]);
	fputs("}}", out);
}

static void print_json(FILE *out, struct session *s, const struct walk_stop *r, int n, const char *end,
		       const struct walk_stop *at)
{
	fputc('{', out);
	json_field(out, "kernel", s->opts.kernel);
	fputs(", ", out);
	json_field(out, "firmware", walk_firmware(s));
	fputs(",\n \"stages\": [", out);
	for (int i = 0; i < n; i++, r++) {
		fputs(i ? ",\n  " : "\n  ", out);
		print_stop_json(out, s, r);
	}
	fputs("]", out);
	if (at) {
		fputs(",\n \"at\": ", out);
		print_stop_json(out, s, at);
	}
	print_events_json(out, s);
	if (s->nharts > 1)	/* one hart's report stays as it was */
		print_harts_json(out, s);
	if (s->story.off[0]) {	/* asked for, but not to be had */
		fputs(",\n ", out);
		json_field(out, "events_note", s->story.off);
	}
	fputs(",\n ", out);
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


/* Where, the instruction and the registers of a stage's entry or the --at
 * point, under its heading. */
static void print_stop_text(FILE *out, const struct arch *a, const struct walk_stop *r)
{
	fputs("   where:       ", out);
	text_puts(out, r->section);
	fputs(", ", out);
	text_puts(out, r->symbol);
	fputs("\n   instruction: ", out);
	text_puts(out, r->insn);
	fputc('\n', out);
	print_regs(out, a, &r->regs);
}

static void print_text(FILE *out, struct session *s, const struct walk_stop *r, int n, const char *end,
		       const struct walk_stop *at)
{
	fprintf(out, "kernel:   %s\nfirmware: %s\n", s->opts.kernel ? s->opts.kernel : "(none)",
		walk_firmware(s));
	for (int i = 0; i < n; i++, r++) {
		fprintf(out, "\n== stage %d: %s, entered at 0x%" PRIx64 " in %s mode", r->number,
			r->name, r->entry, r->mode);
		if (s->nharts > 1)
			fprintf(out, " by hart %d", r->hart);
		fputc('\n', out);
		print_stop_text(out, s->arch, r);
	}
	if (at) {
		fprintf(out, "\n== at instruction %" PRIu64 ": 0x%" PRIx64 " in %s mode, stage %d: %s\n", at->icount,
			at->entry, at->mode, at->number, at->name);
		print_stop_text(out, s->arch, at);
	}
	fputs("\n== end: ", out);
	text_puts(out, end);
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

int report_run(struct session *s, const struct report_opts *o, FILE *out, volatile sig_atomic_t *cancel)
{
	struct walk w;
	struct walk_stop at;

	if (walk_run(s, o->timeout_ms, cancel, &w) < 0)
		return -1;
	if (o->at_set) {
		if (session_travel_to(s, o->at) < 0)
			return err_prefix("--at %" PRIu64, o->at);
		walk_take(s, &at);
	}
	if (o->json)
		print_json(out, s, w.stops, w.n, w.end, o->at_set ? &at : NULL);
	else
		print_text(out, s, w.stops, w.n, w.end, o->at_set ? &at : NULL);
	return 0;
}
