/* event_text: the boot's story in words (see event_text.h). */
#include "event_text.h"

#include <inttypes.h>
#include <stdio.h>

void event_text_addr(const struct stage_model *m, uint64_t addr, char *buf, size_t cap)
{
	char sym[96];

	if (stage_symbol_of(m, addr, sym, sizeof sym) == 0)
		snprintf(buf, cap, "0x%" PRIx64 " <%s>", addr, sym);
	else
		snprintf(buf, cap, "0x%" PRIx64, addr);
}

static void call_text(const struct event *e, char *buf, size_t cap)
{
	const struct arch_call *c = &e->call;
	char result[96] = "";

	if (e->result_known && e->result.has_value)
		snprintf(result, sizeof result, " -> %s, value 0x%" PRIx64, e->result.error_name, e->result.value);
	else if (e->result_known)
		snprintf(result, sizeof result, " -> %s", e->result.error_name);
	if (c->known)
		snprintf(buf, cap, "%s %s %s%s%s%s", c->iface ? c->iface : "firmware", c->ext_name, c->name,
			 c->args[0] ? " " : "", c->args, result);
	else
		snprintf(buf, cap, "%s call to extension %s, function 0x%" PRIx64 "%s", c->iface ? c->iface : "firmware",
			 c->ext_name, c->func, result);
}

int event_text(const struct event *e, const struct stage_model *m, const struct arch *a, char *buf,
	       size_t cap)
{
	char at[128], to[128];

	event_text_addr(m, e->pc, at, sizeof at);
	switch (e->kind) {
	case EVENT_TRAP:
		event_text_addr(m, e->addr, to, sizeof to);
		snprintf(buf, cap, "trap: %s%s at %s, %s 0x%" PRIx64 ", %s -> %s mode, to %s",
			 e->trap.interrupt ? "interrupt: " : "", e->trap.cause_name ? e->trap.cause_name : "?", at,
			 e->trap.value_reg ? e->trap.value_reg : "value", e->trap.value, e->from.name, e->to.name, to);
		return 1;
	case EVENT_RETURN:
		event_text_addr(m, e->addr, to, sizeof to);
		snprintf(buf, cap, "%s: %s -> %s mode, to %s", e->name, e->from.name, e->to.name, to);
		return 1;
	case EVENT_CALL:
		call_text(e, buf, cap);
		return 1;
	case EVENT_SYSREG: {
		const char *reg = e->reg >= 0 && (size_t)e->reg < a->nregs ? a->regs[e->reg].label : "?";

		event_text_addr(m, e->value, to, sizeof to);
		snprintf(buf, cap, "%s = %s (was 0x%" PRIx64 "), at %s", reg, to, e->old_value, at);
		return 1;
	}
	case EVENT_WAIT:
		snprintf(buf, cap, "%s: waiting for an interrupt at %s", e->name, at);
		return 1;
	default:
		return 0;
	}
}
