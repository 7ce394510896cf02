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

struct event *event_add(struct event_log *l, enum event_kind kind, uint64_t pc)
{
	static struct event lost;	/* no memory at all: written, never kept */
	struct event *e;

	if (l->n == l->cap && grow(l) < 0 && l->cap) {
		l->first = (l->first + 1) % l->cap;
		l->n--;
	}
	e = l->cap ? &l->ev[(l->first + l->n++) % l->cap] : &lost;
	memset(e, 0, sizeof *e);
	e->kind = kind;
	e->command = l->command;
	e->number = l->added++;
	e->pc = pc;
	e->have_insn = l->insns && l->insns(l->insns_ctx, &e->insn) == 0;
	e->stage = -1;
	e->reg = -1;
	e->from.ring = e->to.ring = -1;
	e->from.name = e->to.name = "?";
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
