/* ui_gdb: the screen while a gdb of the user's drives (--gdb-socket).
 *
 * The loop polls the proxy's sockets with the others; a request of gdb's
 * goes to the session (session_gdb.c) and its answer back through the
 * proxy.  A run gdb started is the session's like any other, so the
 * screen follows it, and when it stops gdb is told.  Keys that would
 * move the machine wait while gdb drives (ui.c's refuse()). */
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "err.h"
#include "ui_screen.h"

static int to_gdb(void *ctx, const char *text, size_t len)
{
	return proxy_send(ctx, text, len);
}

size_t ui_gdb_fds(struct ui_screen *u, struct pollfd *pfd, int *listen_i, int *client_i)
{
	size_t n = 0;

	*listen_i = *client_i = -1;
	if (!u->proxy || u->proxy->listen_fd < 0)
		return 0;
	*listen_i = (int)n;
	pfd[n++] = (struct pollfd){ .fd = u->proxy->listen_fd, .events = POLLIN };
	if (u->proxy->client_fd >= 0) {
		*client_i = (int)n;
		pfd[n++] = (struct pollfd){ .fd = u->proxy->client_fd, .events = POLLIN };
	}
	return n;
}

int ui_gdb_driving(const struct ui_screen *u)
{
	return u->proxy && u->proxy->client_fd >= 0 && !u->gdb_detached;
}

static void gone(struct ui_screen *u, const char *how)
{
	char msg[200];
	int said = u->gdb_detached;

	u->gdb_running = 0;
	u->gdb_detached = 0;
	proxy_drop_client(u->proxy);
	if (said)
		return;		/* it detached first, and that was said */
	if (session_gdb_detach(u->s) < 0)
		snprintf(msg, sizeof msg, "gdb %s; its breakpoints could not all be taken out: %s", how, err_msg());
	else
		snprintf(msg, sizeof msg, "gdb %s: the keys are yours again", how);
	ui_say(u, 0, msg);
}

void ui_gdb_accept(struct ui_screen *u)
{
	int rc = proxy_accept(u->proxy);

	if (rc < 0)
		ui_say(u, 1, err_msg());
	else if (rc > 0) {
		u->gdb_detached = 0;
		session_gdb_attached(u->s);
		ui_say(u, 0, "gdb attached: it drives now, and the screen follows");
	}
}

void ui_gdb_read(struct ui_screen *u)
{
	struct session_gdb_io io = { to_gdb, u->proxy };
	unsigned long events = session_events(u->s)->added;
	uint64_t pc = session_pc(u->s);

	u->gdb_quiet = 1;

	for (;;) {
		enum proxy_event ev = proxy_next(u->proxy);
		int rc;

		/* Anything but a read shows on the screen: a new event, the pc
		 * moved, a run, gdb coming or going. */
		if ((ev != PROXY_PACKET && ev != PROXY_NONE) || u->gdb_running ||
		    session_events(u->s)->added != events || session_pc(u->s) != pc)
			u->gdb_quiet = 0;
		switch (ev) {
		case PROXY_NONE:
			if (session_events(u->s)->added != events || session_pc(u->s) != pc || u->gdb_running)
				u->gdb_quiet = 0;
			return;
		case PROXY_GONE:
			gone(u, "went away");
			return;
		case PROXY_INTERRUPT:
			if (u->s->running && session_interrupt(u->s) < 0)
				ui_say(u, 1, err_msg());
			break;
		case PROXY_PACKET:
			u->gdb_asked_ms = clock_ms();
			if (u->gdb_running || u->gdb_detached)	/* one thing at a time; nothing after 'D' */
				break;
			rc = session_gdb_packet(u->s, u->proxy->parser.pkt, u->proxy->parser.pkt_len, &io);
			if (rc < 0) {
				ui_say(u, 1, err_msg());
				if (proxy_send(u->proxy, "E01", 3) < 0)
					return gone(u, "stopped reading");
			} else if (rc == SESSION_GDB_RUNNING) {
				u->gdb_running = 1;
				u->code_follow = 1;
			} else if (rc == SESSION_GDB_DETACHED) {
				/* Its socket stays until gdb closes it: it still
				 * acknowledges the answer. */
				u->gdb_detached = 1;
				ui_say(u, 0, "gdb detached: the keys are yours again");
			} else if (rc == SESSION_GDB_KILLED) {
				u->code_follow = 1;
				ui_say(u, 0, "gdb killed the machine: bootscope started it again at the reset vector");
			}
			break;
		}
	}
}

void ui_gdb_stopped(struct ui_screen *u)
{
	struct session_gdb_io io = { to_gdb, u->proxy };

	if (!u->gdb_running || u->s->running)
		return;
	u->gdb_running = 0;
	u->gdb_asked_ms = clock_ms();	/* it asks again as soon as it has the stop */
	if (session_gdb_stopped(u->s, &io) < 0)
		gone(u, "stopped reading");
}

int ui_gdb_busy(const struct ui_screen *u)
{
	return ui_gdb_driving(u) && clock_ms() - u->gdb_asked_ms < 5;
}
