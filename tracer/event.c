#include "event.h"

#include <string.h>

void event_log_init(struct event_log *l)
{
	l->first = l->n = 0;
	l->command = 0;
}

void event_begin(struct event_log *l)
{
	l->command++;
}

struct event *event_add(struct event_log *l, enum event_kind kind, uint64_t pc)
{
	struct event *e;

	if (l->n == EVENT_MAX) {
		l->first = (l->first + 1) % EVENT_MAX;
		l->n--;
	}
	e = &l->ev[(l->first + l->n++) % EVENT_MAX];
	memset(e, 0, sizeof *e);
	e->kind = kind;
	e->command = l->command;
	e->pc = pc;
	e->stage = -1;
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
	return i < l->n ? &l->ev[(l->first + i) % EVENT_MAX] : NULL;
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
