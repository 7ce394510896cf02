/* session: start and end, the state at each stop, the console. */
#include "session.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "err.h"
#include "session_load.h"

/* ---- state after a stop ------------------------------------------------ */

static int read_regs(struct session *s, struct arch_regs *r)
{
	int nums[ARCH_MAX_REGS];
	uint64_t vals[ARCH_MAX_REGS];
	size_t n = 0, k = 0;

	for (size_t i = 0; i < s->arch->nregs; i++)
		if (s->regnum[i] >= 0)
			nums[n++] = s->regnum[i];
	if (target_regs_read(&s->target, nums, n, vals) < 0)
		return -1;
	for (size_t i = 0; i < s->arch->nregs; i++) {
		r->ok[i] = s->regnum[i] >= 0;
		r->v[i] = r->ok[i] ? vals[k++] : 0;
	}
	arch_derive(s->arch, r);
	return 0;
}

int session_read_pc(struct session *s)
{
	const struct arch *a = s->arch;
	int nums[8];
	uint64_t vals[8];

	if (!a->derive)
		return target_regs_get(&s->target, s->regnum[a->pc], &s->regs.v[a->pc]);
	for (size_t i = 0; i < a->npc_regs; i++)
		nums[i] = s->regnum[a->pc_regs[i]];
	if (target_regs_read(&s->target, nums, a->npc_regs, vals) < 0)
		return -1;
	for (size_t i = 0; i < a->npc_regs; i++)
		s->regs.v[a->pc_regs[i]] = vals[i];
	arch_derive(a, &s->regs);
	return 0;
}

int session_refresh(struct session *s)
{
	int rc = session_refresh_state(s);

	if (rc >= 0)
		session_view_fetch(s);
	return rc;
}

int session_refresh_state(struct session *s)
{
	int h = s->target.g_hart >= 0 ? s->target.g_hart : 0;
	struct session_hart *me = &s->harts[h];
	/* With several harts, what changed is this hart's own: not the
	 * difference from another hart shown before. */
	const struct stage *old = me->known ? me->stage : s->stage;
	struct arch_mode old_mode = me->known ? me->mode : s->mode;

	s->prev = s->regs;
	s->have_prev = h == s->shown_hart;
	s->shown_hart = h;
	if (read_regs(s, &s->regs) < 0)
		return -1;
	s->arch->mode_of(&s->regs, &s->mode);
	if (code_set_mode(&s->code, &s->mode) < 0)
		return -1;
	s->stage = stage_of(&s->model, session_pc(s));
	*me = (struct session_hart){ .known = 1, .pc = session_pc(s), .mode = s->mode, .stage = s->stage };
	s->nharts = s->target.nharts;	/* the others are read with the view (session_view.c) */
	s->events.hart = h;
	session_travel_mark(s);
	if (s->stage != old && s->stage) {
		struct event *e = event_add(&s->events, EVENT_STAGE, session_pc(s));

		e->stage = (int)(s->stage - s->model.stages);
		e->from = old_mode;
		e->to = s->mode;
		return 1;
	}
	if (!arch_mode_same(&s->mode, &old_mode)) {
		struct event *e = event_add(&s->events, EVENT_MODE, session_pc(s));

		e->from = old_mode;
		e->to = s->mode;
		return 1;
	}
	return 0;
}

void session_note_end(struct session *s)
{
	struct event *e;

	s->ended = 1;
	s->running = 0;
	while (session_console_drain(s))
		;
	if (s->qemu_started) {
		for (int i = 0; i < 100 && !qemu_reap(&s->qemu); i++)
			usleep(10000);
		/* A guest that powers off makes QEMU exit 0 without a word (or
		 * with a warning only, such as -icount's "no active timers");
		 * anything else (a signal, an error) was done to it. */
		s->end_unexpected = !s->qemu.exited || !WIFEXITED(s->qemu.status) ||
				    WEXITSTATUS(s->qemu.status) != 0 ||
				    (s->qemu.last_err[0] && !strstr(s->qemu.last_err, ": warning: "));
		e = event_add(&s->events, s->end_unexpected ? EVENT_QEMU_DIED : EVENT_POWER_OFF,
			      session_pc(s));
		qemu_exit_reason(&s->qemu, e->detail, sizeof e->detail);
		/* QEMU wrote the plugin's counts on its way out: the run's profile. */
		if (s->opts.plugin && s->qemu.exited) {
			char path[256];

			profile_free(&s->profile);	/* none is no failure of the run */
			(void)profile_load(&s->profile, qemu_counts_path(&s->qemu, path, sizeof path));
		}
	} else if (s->target.lost) {
		/* Someone else's QEMU: whether it still runs is theirs to see. */
		s->end_unexpected = 1;
		e = event_add(&s->events, EVENT_LOST, session_pc(s));
		snprintf(e->detail, sizeof e->detail,
			 "the connection to the gdbstub at %.60s broke in the middle of a packet: "
			 "check that QEMU still runs, and attach again", s->target.conn.endpoint);
	} else {
		e = event_add(&s->events, EVENT_POWER_OFF, session_pc(s));
		snprintf(e->detail, sizeof e->detail, "the gdbstub closed the connection: QEMU ended");
	}
}

/* ---- start and end ------------------------------------------------------ */

static int event_insns(void *ctx, uint64_t *out)
{
	return session_insns(ctx, out);
}

static int symbolize(void *ctx, uint64_t addr, char *buf, size_t cap)
{
	struct session *s = ctx;

	return stage_symbol_of(&s->model, addr, buf, cap);
}

static int read_machine(void *ctx, uint64_t addr, void *buf, size_t len)
{
	struct session *s = ctx;

	if (target_mem_read(&s->target, addr, buf, len) == 0)
		return 0;
	return s->target.gone || s->target.broken ? -1 : 1;
}

/* The architecture the stub describes must be the board's. */
static int check_arch(struct session *s)
{
	const char *said = target_arch(&s->target);
	const struct arch *a = arch_for(said);

	/* A QEMU attached to with no kernel file to tell the machine by:
	 * its gdbstub does (no kernel was placed by the default board). */
	if (a && a != s->board->arch && !s->opts.board && !s->opts.kernel && board_for_arch(a)) {
		s->board = board_for_arch(a);
		image_close(s->firmware);	/* the default board's firmware */
		s->firmware = NULL;
	}
	if (!a || a != s->board->arch)
		return err_set("the gdbstub at %s describes a CPU of architecture \"%s\"; bootscope traces %s (%s): is this %s?",
			       s->target.conn.endpoint, said[0] ? said : "(none)", s->board->arch->tdesc_arch,
			       s->board->name, s->board->qemu);
	s->arch = a;
	for (size_t i = 0; i < a->nregs; i++)
		s->regnum[i] = target_regnum(&s->target, a->regs[i].name);
	for (size_t i = 0; i < a->npc_regs; i++)
		if (s->regnum[a->pc_regs[i]] < 0)
			return err_set("the gdbstub at %s has no register \"%s\": is it %s?", s->target.conn.endpoint,
				       a->regs[a->pc_regs[i]].name, s->board->qemu);
	/* The target steps off a breakpoint at its pc register; where the
	 * pc is derived, the session steps off first (session_run.c). */
	target_configure(&s->target, s->regnum[a->pc_regs[0]], a->bp_kind);
	return 0;
}

static int start(struct session *s, const struct session_opts *o)
{
	struct session_load load;

	memset(s, 0, sizeof *s);
	s->opts = *o;
	s->board = o->board ? o->board : board_default();
	s->arch = s->board->arch;
	s->qemu.console_fd = -1;
	s->target.conn.fd = -1;
	event_log_init(&s->events);
	s->events.insns = event_insns;
	s->events.insns_ctx = s;
	s->mode = (struct arch_mode){ .ring = -1, .name = "?" };

	if (session_load_images(s, o, &load) < 0)
		return -1;
	const char *endpoint = o->attach;
	if (!endpoint) {
		s->qemu_opts = (struct qemu_opts){
			.qemu = o->qemu ? o->qemu : s->board->qemu, .machine = s->board->machine,
			.bios = s->board->bios_unnamed && o->bios && strcmp(o->bios, "default") == 0 ? NULL : o->bios,
			.kernel = load.qemu_kernel, .drive = load.disk,
			.loader_file = load.loader, .loader_addr = load.loader_addr,
			.extra = o->qemu_args, .nextra = o->nqemu_args,
			.plugin = o->plugin,
		};
		s->own_qemu = 1;
		if (qemu_start(&s->qemu, &s->qemu_opts, 5000) < 0)
			return -1;
		s->qemu_started = 1;
		endpoint = s->qemu.endpoint;
	}
	if (target_open(&s->target, endpoint, o->timeout_ms > 0 ? o->timeout_ms : 3000) < 0)
		return -1;
	s->target_open = 1;
	s->target.waiting = o->waiting;
	s->target.waiting_ctx = o->waiting_ctx;
	if (check_arch(s) < 0)
		return -1;

	/* Where the reset vector will jump, and what it tells the firmware:
	 * read from the machine by the board, not assumed. */
	struct board_boot boot = { .kernel = s->kernel, .firmware = s->firmware,
				   .no_firmware = session_load_no_firmware(o),
				   .ram = qemu_ram_size(o->qemu_args, o->nqemu_args, s->board->ram_default) };
	if (s->board->discover(&s->model, &boot, read_machine, s) < 0)
		return -1;
	if (code_init(&s->code, &s->target, s->arch, symbolize, s) < 0)
		return -1;
	event_begin(&s->events);
	if (session_refresh(s) < 0)
		return -1;
	if (o->story && session_story_begin(s) < 0)
		return -1;
	s->have_prev = 0;
	s->prev = s->regs;
	/* Paused at the start is the first event; reaching the first stage
	 * at power-on is no news. */
	event_log_init(&s->events);
	struct event *paused = event_add(&s->events, EVENT_PAUSED, session_pc(s));

	paused->stage = s->stage ? (int)(s->stage - s->model.stages) : -1;
	paused->to = s->mode;
	session_harts_begin(s);
	session_console_drain(s);
	return 0;
}

/* A start that fails undoes itself at once (the QEMU, the socket, the
 * images), so that no caller can leave them behind by forgetting
 * session_end(); calling it afterwards is harmless. */
int session_start(struct session *s, const struct session_opts *o)
{
	char why[512];

	if (start(s, o) == 0)
		return 0;
	/* The detach on the way out may set a message of its own. */
	snprintf(why, sizeof why, "%s", err_msg());
	session_end(s);
	return err_set("%s", why);
}

void session_end(struct session *s)
{
	if (s->target_open) {
		/* Someone else's QEMU goes on as a debugger found it. */
		if (!s->own_qemu)
			target_detach(&s->target);
		target_close(&s->target);
		s->target_open = 0;
	}
	if (s->qemu_started) {
		qemu_stop(&s->qemu);
		s->qemu_started = 0;
	}
	code_free(&s->code);
	session_travel_end(s);
	session_undo_end(s);
	event_log_free(&s->events);
	profile_free(&s->profile);
	session_story_end(s);
	image_close(s->kernel);
	image_close(s->firmware);
	s->kernel = s->firmware = NULL;
	free(s->console);
	s->console = NULL;
}

int session_machine_restart(struct session *s)
{
	if (!s->own_qemu)
		return err_set("attached to a QEMU bootscope did not start: bootscope cannot start it again");
	if (s->target_open) {
		target_close(&s->target);
		s->target_open = 0;
	}
	if (s->qemu_started) {
		qemu_kill(&s->qemu);
		s->qemu_started = 0;
	}
	s->ended = s->end_unexpected = s->running = 0;
	s->temp_bp_set = 0;
	s->insns_at_reset = 0;
	s->undo.undone = 0;
	s->console_eof = 0;
	s->console_seen = 0;
	if (qemu_start(&s->qemu, &s->qemu_opts, 5000) < 0)
		return -1;
	s->qemu_started = 1;
	if (target_open(&s->target, s->qemu.endpoint, s->opts.timeout_ms > 0 ? s->opts.timeout_ms : 3000) < 0)
		return -1;
	s->target_open = 1;
	s->target.waiting = s->opts.waiting;
	s->target.waiting_ctx = s->opts.waiting_ctx;
	if (check_arch(s) < 0)
		return -1;
	code_forget(&s->code);
	return session_refresh_state(s) < 0 ? -1 : 0;
}

int session_restart(struct session *s)
{
	char out[256];

	if (!s->own_qemu)
		return err_set("attached to someone else's QEMU: bootscope does not restart it");
	if (s->running)
		return err_set("the CPU is running: stop it first");
	if (s->ended) {
		/* QEMU is gone: start a fresh one with the same options. */
		struct session_opts o = s->opts;
		struct profile last = s->profile;	/* the run before stays to be read */
		int view = s->view_code;

		s->profile = (struct profile){ 0 };
		session_end(s);
		if (session_start(s, &o) < 0) {
			profile_free(&last);
			return -1;
		}
		s->profile = last;
		if (view)
			session_view_code(s);
		return 0;
	}
	if (s->temp_bp_set && target_run_break_remove(&s->target, s->temp_bp, SESSION_BP_TEMP) < 0)
		return -1;
	s->temp_bp_set = 0;
	if (target_monitor(&s->target, "system_reset", out, sizeof out) < 0)
		return -1;
	if (qemu_insns(&s->qemu, &s->insns_at_reset) < 0)
		s->insns_at_reset = 0;
	memset(s->steps, 0, sizeof s->steps);
	s->steps_left = 0;
	code_forget(&s->code);
	s->console_len = 0;
	s->console_known = s->console_seen = 0;
	/* A new boot: nothing of the last one to go back to. */
	s->undo.n = s->undo.undone = 0;
	s->travel.n = 0;
	s->travel.live_end = 0;
	s->events.replayed = 0;
	event_begin(&s->events);
	if (session_refresh(s) < 0)
		return -1;
	s->have_prev = 0;
	event_add(&s->events, EVENT_RESTARTED, session_pc(s));
	if (s->story.on && session_story_begin(s) < 0)	/* the vectors are back at reset's */
		return -1;
	return 0;
}

int session_in_ram(const struct session *s, uint64_t addr, uint64_t len)
{
	uint64_t lo = s->board->ram_base,
		 size = qemu_ram_size(s->opts.qemu_args, s->opts.nqemu_args, s->board->ram_default);

	return addr >= lo && len <= size && addr - lo <= size - len;
}

int session_insns(const struct session *s, uint64_t *out)
{
	if (!s->qemu_started || qemu_insns(&s->qemu, out) < 0)
		return -1;
	*out -= s->insns_at_reset + s->undo.undone;	/* the plugin counts from QEMU's start */
	return 0;
}

int session_finish(struct session *s, int timeout_ms)
{
	if (!s->qemu_started)
		return err_set("attached to someone else's QEMU: bootscope does not end it");
	if (qemu_finish(&s->qemu, timeout_ms) < 0)
		return -1;
	s->ended = 1;
	s->running = 0;
	return 0;
}

const char *session_counts_path(const struct session *s, char *buf, size_t cap)
{
	return qemu_counts_path(&s->qemu, buf, cap);
}

void session_watch_waits(struct session *s, int (*fn)(void *ctx, int waited_ms, int limit_ms), void *ctx)
{
	s->opts.waiting = fn;
	s->opts.waiting_ctx = ctx;
	s->target.waiting = fn;
	s->target.waiting_ctx = ctx;
}

/* ---- the console --------------------------------------------------------- */

int session_console_drain(struct session *s)
{
	char buf[4096];
	int got = 0;

	if (!s->qemu_started || s->qemu.console_fd < 0)
		return 0;
	for (;;) {
		ssize_t n = qemu_console_read(&s->qemu, buf, sizeof buf);

		if (n <= 0) {
			if (n == 0)
				s->console_eof = 1;
			return got;
		}
		/* What a QEMU started again prints anew is the known output. */
		size_t again = s->console_known > s->console_seen ? s->console_known - s->console_seen : 0;

		if (again > (size_t)n)
			again = (size_t)n;
		s->console_seen += (size_t)n;
		if (again == (size_t)n)
			continue;
		memmove(buf, buf + again, (size_t)n - again);
		n -= (ssize_t)again;
		s->console_known += (size_t)n;
		if (!s->console) {
			s->console = malloc(SESSION_CONSOLE_MAX + 1);
			if (!s->console)
				return got;
		}
		if (s->console_len + (size_t)n > SESSION_CONSOLE_MAX) {
			/* Keep the newest output. */
			size_t drop = s->console_len + (size_t)n - SESSION_CONSOLE_MAX;
			if (drop > s->console_len)
				drop = s->console_len;
			memmove(s->console, s->console + drop, s->console_len - drop);
			s->console_len -= drop;
		}
		memcpy(s->console + s->console_len, buf, (size_t)n);
		s->console_len += (size_t)n;
		s->console[s->console_len] = '\0';
		got = 1;
	}
}

const char *session_console_note(const struct session *s)
{
	return s->own_qemu ? NULL
			   : "not visible: attached to a QEMU that bootscope did not start, so its console is wherever that QEMU prints";
}

int session_target_fd(const struct session *s)
{
	return s->target_open && !s->ended ? target_fd(&s->target) : -1;
}

int session_console_fd(const struct session *s)
{
	return s->qemu_started ? s->qemu.console_fd : -1;
}

/* ---- what a stop shows ----------------------------------------------------- */

uint64_t session_pc(const struct session *s)
{
	return s->regs.v[s->arch->pc];
}

uint64_t session_reg(const struct session *s, size_t i)
{
	return i < s->arch->nregs ? s->regs.v[i] : 0;
}

int session_reg_changed(const struct session *s, size_t i)
{
	return s->have_prev && i < s->arch->nregs && s->regs.v[i] != s->prev.v[i];
}

const struct event_log *session_events(const struct session *s)
{
	return &s->events;
}

const char *session_end_reason(const struct session *s)
{
	for (size_t i = event_count(&s->events); s->ended && i-- > 0;) {
		const struct event *e = event_at(&s->events, i);

		if (e->kind == EVENT_POWER_OFF || e->kind == EVENT_QEMU_DIED || e->kind == EVENT_LOST)
			return e->detail;
	}
	return NULL;
}
