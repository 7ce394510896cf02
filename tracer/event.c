#include "event.h"

#include <stdlib.h>
#include <string.h>

void event_log_init(struct event_log *l)
{
	l->first = l->n = 0;
	l->added = 0;
	l->command = 0;
}

void event_log_free(struct event_log *l)
{
	free(l->ev);
	memset(l, 0, sizeof *l);
}

void event_begin(struct event_log *l)
{
	l->command++;
}

/* Double the ring (its events moved to the front), up to EVENT_MAX. */
static int grow(struct event_log *l)
{
	size_t cap = l->cap ? l->cap * 2 : 256;
	struct event *ev;

	if (cap > EVENT_MAX || !(ev = malloc(cap * sizeof *ev)))
		return -1;
	for (size_t i = 0; i < l->n; i++)
		ev[i] = l->ev[(l->first + i) % l->cap];
	free(l->ev);
	l->ev = ev;
	l->cap = cap;
	l->first = 0;
	return 0;
}

int event_of_timeline(enum event_kind kind)
{
	switch (kind) {
	case EVENT_STAGE: case EVENT_MODE: case EVENT_POWER_OFF: case EVENT_TRAP:
	case EVENT_RETURN: case EVENT_CALL: case EVENT_SYSREG: case EVENT_WAIT:
		return 1;
	default:
		return 0;
	}
}

/* The same event of the timeline, already kept (and not itself again)? */
static int kept(const struct event_log *l, enum event_kind kind, uint64_t pc, uint64_t insn)
{
	for (size_t i = l->n; i-- > 0;) {
		const struct event *e = &l->ev[(l->first + i) % l->cap];

		if (e->kind == kind && !e->again && e->have_insn && e->insn == insn && e->pc == pc)
			return 1;
	}
	return 0;
}

static struct event *fresh(struct event *e, const struct event_log *l, enum event_kind kind, uint64_t pc)
{
	memset(e, 0, sizeof *e);
	e->kind = kind;
	e->command = l->command;
	e->pc = pc;
	e->hart = l->hart;
	e->stage = -1;
	e->reg = -1;
	e->from.ring = e->to.ring = -1;
	e->from.name = e->to.name = "?";
	return e;
}

struct event *event_add(struct event_log *l, enum event_kind kind, uint64_t pc)
{
	static struct event lost;	/* written, never kept */
	struct event *e;
	uint64_t insn = 0;
	int have_insn = l->insns && l->insns(l->insns_ctx, &insn) == 0;

	if (l->mute) {
		fresh(&lost, l, kind, pc)->number = EVENT_NOT_KEPT;
		lost.have_insn = have_insn;
		lost.insn = insn;
		return &lost;
	}
	int again = have_insn && insn <= l->replayed && event_of_timeline(kind) && kept(l, kind, pc, insn);

	if (l->n == l->cap && grow(l) < 0 && l->cap) {
		l->first = (l->first + 1) % l->cap;
		l->n--;
	}
	e = l->cap ? &l->ev[(l->first + l->n++) % l->cap] : &lost;
	fresh(e, l, kind, pc)->number = l->cap ? l->added++ : EVENT_NOT_KEPT;
	e->have_insn = have_insn;
	e->insn = insn;
	e->again = again;
	return e;
}

size_t event_count(const struct event_log *l)
{
	return l->n;
}

const struct event *event_at(const struct event_log *l, size_t i)
{
	return i < l->n ? &l->ev[(l->first + i) % l->cap] : NULL;
}

struct event *event_numbered(struct event_log *l, unsigned long n)
{
	unsigned long oldest = l->added - l->n;

	return n >= oldest && n < l->added ? &l->ev[(l->first + (n - oldest)) % l->cap] : NULL;
}

const struct event *event_last(const struct event_log *l)
{
	return l->n ? event_at(l, l->n - 1) : NULL;
}

const struct event *event_in_command(const struct event_log *l, enum event_kind kind)
{
	for (size_t i = l->n; i-- > 0;) {
		const struct event *e = event_at(l, i);

		if (e->command != l->command)
			break;
		if (e->kind == kind)
			return e;
	}
	return NULL;
}
