/* session: one tracing session -- a machine, its CPU, the images, the stages.
 *
 * It owns everything that has to be undone (QEMU, its socket, the gdb
 * connection, the images) and keeps the state the screen and the batch
 * report show: the registers at this stop and the one before, the stage and
 * the CPU mode, steps per stage, the events of the session (event.h), the
 * guest's console, and the memory the screen will show, fetched when the
 * CPU stops.  It never draws and never names a key; the screen, report.c
 * and doctor.c read struct session and call the commands below.  The
 * architecture and the board (arch.h, board.h) say everything about the
 * machine.  The files:
 *	session.c	start and end, the state at a stop, the console
 *	session_load.c	which images and firmware, and where they load
 *	session_run.c	run control: step, next, continue, stages, breakpoints
 *	session_view.c	what the screen shows: code and memory, fetched at stops
 *	session_story.c	the boot's events, recorded as the machine runs
 *	session_travel.c	back to a point passed before, by running the boot again
 *	session_undo.c	back over the steps just taken, by writing back what they changed
 *	session_gdb.c	a gdb's requests, through bootscope (proxy.c)
 */
#ifndef BOOTSCOPE_SESSION_H
#define BOOTSCOPE_SESSION_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "board.h"
#include "code.h"
#include "event.h"
#include "image.h"
#include "qemu.h"
#include "profile.h"
#include "stage.h"
#include "target.h"

struct session_opts {
	const struct board *board;	/* the machine; NULL: the default (board.h) */
	const char *kernel;		/* ELF or raw image; NULL in attach mode without images */
	const char *symbols;		/* ELF with symbols for a raw kernel image */
	const char *bios;		/* "default", "none" or a firmware file */
	const char *bios_symbols;	/* ELF with the firmware's symbols */
	uint64_t load_addr;		/* where a raw kernel image goes */
	int load_addr_set;
	const char *attach;		/* connect to this gdbstub instead of starting QEMU */
	const char *qemu;		/* QEMU binary; NULL: the board's */
	const char *const *qemu_args;	/* extra QEMU arguments */
	int nqemu_args;
	int timeout_ms;			/* for one gdbstub reply */
	const char *plugin;		/* the counting plugin to load into QEMU, or NULL */
	int story;			/* record the boot's story (session_story.c) */
	/* Called while a reply is awaited (see struct target's waiting);
	 * set with session_watch_waits(), and kept across restarts. */
	int (*waiting)(void *ctx, int waited_ms, int limit_ms);
	void *waiting_ctx;
};

#define SESSION_CONSOLE_MAX (256 * 1024)

/* Who set a breakpoint (target_run_break_insert's owners). */
#define SESSION_BP_USER		1u
#define SESSION_BP_TEMP		2u	/* to run to a stage or over a call */
#define SESSION_BP_STORY	4u	/* the boot's events (session_story.c) */
#define SESSION_BP_GDB		8u	/* a gdb's, through bootscope (session_gdb.c) */
#define SESSION_STEP_CHUNK 256	/* a counted step runs in chunks of this many */
#define SESSION_MEM_MAX 256	/* bytes of the memory view */
#define SESSION_VGA_COLS 80
#define SESSION_VGA_ROWS 25

/* The boot's story (session_story.c). */
#define SESSION_STORY_VECTORS 40
#define SESSION_STORY_LEVELS 4		/* modes by their arch_mode level */

/* A mode's trap registers when last seen, and its returns then. */
struct session_story_seen {
	uint64_t cause, pc, value;
	unsigned long returns;
};

struct session_story_point {
	uint64_t addr;
	unsigned len;		/* of the instruction */
	struct arch_story what;
};

/* A firmware call not yet back: its event, the registers at the call,
 * and where and in which mode it comes back. */
struct session_story_call {
	int open;
	unsigned long event;
	struct arch_regs regs;
	uint64_t ret;
	struct arch_mode mode;
};

struct session_story {
	int on;
	struct session_story_point *points;	/* sorted by addr */
	size_t npoints, cap;
	uint64_t vectors[SESSION_STORY_VECTORS];	/* where traps land now, on any hart */
	size_t nvectors;
	/* Each hart's own (its mtvec is its own: OpenSBI probing CSRs on one
	 * hart moves that hart's vector only). */
	uint64_t hart_vectors[TARGET_MAX_HARTS][SESSION_STORY_VECTORS];
	size_t hart_nvectors[TARGET_MAX_HARTS];
	int parked;		/* some vector's breakpoint is out (a loop jumps there) */
	struct session_story_seen seen[SESSION_STORY_LEVELS];
	unsigned long returns[SESSION_STORY_LEVELS];	/* returns from traps, by the mode left */
	/* Each hart's firmware call not yet back (harts call at once). */
	struct session_story_call calls[TARGET_MAX_HARTS];
	long long ms;		/* spent recording, while the guest waited */
	/* The run goes on until an event of these kinds (bits 1 << kind),
	 * one that changes the mode if stop_mode_change. */
	unsigned stop_kinds;
	int stop_mode_change;
	char off[200];		/* why the story is off although asked for; "" */
};

/* A point of the boot the session has stopped at: instructions since
 * reset, the pc there, and a digest of the general registers (to tell
 * whether a second run came to the same machine). */
struct session_mark {
	uint64_t insn, pc, digest;
};

/* What going back needs (session_travel.c): every point stopped at, in
 * the order of the boot, and how far the boot has come. */
struct session_travel {
	struct session_mark *marks;	/* sorted by insn, one per insn */
	size_t n, cap;
	uint64_t live_end;		/* the furthest instruction count stopped at */
};

/* A step that can be undone by writing back (session_undo.c): the count
 * after it, the registers before it, and the bytes it overwrote. */
struct session_undo_step {
	uint64_t insn;
	struct arch_regs regs;
	struct arch_access mem;
	uint8_t old[8];
};

struct session_undo {
	struct session_undo_step *steps;	/* by insn, the newest last */
	size_t n, cap;
	uint64_t undone;	/* instructions undone since this QEMU started */
};

/* One hart at a stop, as the harts strip shows it. */
struct session_hart {
	int known;
	uint64_t pc;
	struct arch_mode mode;
	const struct stage *stage;
	int waiting;			/* its instruction is a wait for interrupt (wfi) */
	int spinning;			/* it loops on a few instructions (a flag, j .) */
};

#define SESSION_UNDO_STEPS 64
#define SESSION_HART_BPS 64	/* breakpoints for one hart only */	/* a counted step up to this many keeps its steps */

/* What a gdb read at this stop, to answer its next reads from
 * (session_gdb.c): gdb reads the same few bytes around the pc again and
 * again, and each answer from QEMU costs two more trips between sockets.
 * (Its 'g' is the session's own, kept by the target.) */
#define SESSION_GDB_BLOCK 256
#define SESSION_GDB_BLOCKS 4		/* the code at the pc, the stack, what else gdb looks at */
struct session_gdb_cache {
	int have_threads;
	struct {
		int have;
		uint64_t base;		/* SESSION_GDB_BLOCK aligned */
		uint8_t bytes[SESSION_GDB_BLOCK];
	} blocks[SESSION_GDB_BLOCKS];
	unsigned next_block;		/* the one a new block replaces */
	char threads[64];		/* qfThreadInfo's answer (one hart's: it does not change) */
};

/* The memory view the screen shows, read when it is set and at each stop. */
struct session_mem {
	int on;
	uint64_t addr;
	size_t len;
	int ok;				/* bytes holds it; else error says why */
	uint8_t bytes[SESSION_MEM_MAX];
	char error[200];
};

struct session {
	struct session_opts opts;
	const struct board *board;
	const struct arch *arch;	/* the board's, checked against the stub's */
	struct qemu qemu;
	struct qemu_opts qemu_opts;	/* how it was started, to start it again */
	int own_qemu;			/* we started it, so we stop it */
	uint64_t insns_at_reset;	/* the counting plugin's total at the last system_reset */
	int interrupt_asked;		/* Ctrl-C during this run */
	int qemu_started;
	struct target target;
	int target_open;
	struct image *kernel, *firmware;
	struct stage_model model;
	struct code code;		/* decoded instructions, by address */

	int regnum[ARCH_MAX_REGS];	/* the stub's number for each of the arch's registers; -1 none */
	struct arch_regs regs, prev;	/* this stop, and the one before */
	int have_prev;
	struct arch_mode mode;		/* the CPU's mode at this stop */
	const struct stage *stage;	/* the stage of the pc, or NULL */
	/* Every hart at this stop; regs, mode and stage above are those of
	 * the one spoken to (target.g_hart): the one that stopped, unless
	 * the user selected another. */
	struct session_hart harts[TARGET_MAX_HARTS];
	size_t nharts;
	int shown_hart;			/* whose registers regs holds (prev is the same hart's if have_prev) */
	struct { uint64_t addr; int hart; } hart_bps[SESSION_HART_BPS];	/* user breakpoints for one hart */
	size_t nhart_bps;
	unsigned long steps[STAGE_MAX];	/* steps taken in each stage, by index */
	struct event_log events;
	struct session_story story;
	struct session_travel travel;
	struct session_undo undo;
	struct session_gdb_cache gdb_cache;
	struct profile profile;		/* the counts of the last run QEMU ended, with the plugin */

	int running;			/* the CPU runs (after continue) */
	int stop_signal;		/* how the last run ended: 5 a breakpoint or step, 2 interrupted */
	int ended;			/* QEMU is gone */
	int end_unexpected;		/* ...and not because the guest shut down */
	uint64_t temp_bp;		/* a breakpoint we set for ourselves */
	int temp_bp_set;
	unsigned long steps_left, steps_done;	/* a counted step in chunks */

	int view_code;			/* fetch the code around the pc at each stop */
	int view_stale;			/* ... and the stop since has not been fetched */
	struct session_mem mem;
	/* The board's VGA text screen as the last stop left it: 80x25 cells
	 * of character and attribute (board.h's vga_text). */
	uint8_t vga[SESSION_VGA_COLS * SESSION_VGA_ROWS * 2];
	int vga_ok;

	char *console;			/* what the guest printed */
	size_t console_len;
	int console_eof;
	/* Bytes the boot has printed (the longest it ran), and those this QEMU
	 * has: a QEMU started again prints the same again, not shown twice. */
	size_t console_known, console_seen;
};

/* ---- session.c ------------------------------------------------------------- */

/* Open the images, start (or attach to) QEMU, connect, let the board find
 * the stages, and read the first stop's registers.  Returns 0, or -1 with
 * err_set(); call session_end() either way. */
int session_start(struct session *s, const struct session_opts *o);

/* Undo everything session_start did, in reverse.  Idempotent. */
void session_end(struct session *s);

/* Back to the reset vector, paused: QEMU's system_reset, or when QEMU has
 * ended a new QEMU with the same options.  Not for someone else's QEMU. */
int session_restart(struct session *s);

/* Have fn called every few ms while the session waits for a reply (the
 * screen stays alive); fn's nonzero return gives the wait up, which ends
 * the session's use of the gdbstub.  NULL: just wait. */
void session_watch_waits(struct session *s, int (*fn)(void *ctx, int waited_ms, int limit_ms), void *ctx);

/* Is [addr, addr + len) in the machine's RAM (where reading has no side
 * effects, unlike a device's registers)? */
int session_in_ram(const struct session *s, uint64_t addr, uint64_t len);

/* Instructions executed since reset, when the counting plugin runs in
 * QEMU (session_opts.plugin): 0, or -1 without it. */
int session_insns(const struct session *s, uint64_t *out);

/* End the QEMU bootscope started so that it runs its exit path (the
 * counting plugin writes its counts then), waiting up to timeout_ms: 0
 * once it has exited, -1 with err_set().  The session is ended after. */
int session_finish(struct session *s, int timeout_ms);

/* Where the counting plugin writes its counts when QEMU ends, into buf. */
const char *session_counts_path(const struct session *s, char *buf, size_t cap);

/* Read the guest's console output that has arrived (never blocks).
 * Returns 1 if anything new came, else 0. */
int session_console_drain(struct session *s);

/* Why the guest's console cannot be shown (attach mode), or NULL. */
const char *session_console_note(const struct session *s);

/* The fds the screen's poll loop watches: the gdbstub (while running) and
 * the console; -1 where there is none. */
int session_target_fd(const struct session *s);
int session_console_fd(const struct session *s);

/* The pc, register i of the architecture's table, and whether register i
 * changed at the last stop. */
uint64_t session_pc(const struct session *s);

/* Read only what the pc comes from (between plain steps).  0 or -1. */
int session_read_pc(struct session *s);
uint64_t session_reg(const struct session *s, size_t i);
int session_reg_changed(const struct session *s, size_t i);

/* The events so far, and how QEMU ended (NULL while it runs). */
const struct event_log *session_events(const struct session *s);
const char *session_end_reason(const struct session *s);

/* Internal to session*.c: read the registers of a new stop, and say what
 * changed in the boot as events.  1 if the stage or mode changed, 0 if
 * not, -1 on failure. */
int session_refresh(struct session *s);

/* The same without fetching what the screen views (the code window, the
 * memory view): for stops the session passes through by itself. */
int session_refresh_state(struct session *s);

/* session_story.c, internal to session*.c.  begin: find the story's
 * instructions and put breakpoints on them and on the trap vectors.
 * end: free what begin found.  point: the story's instruction at addr,
 * or NULL.  step: one step from the pc (s->regs fresh), recorded if the
 * instruction or where it lands is part of the story.  check: after a
 * step that was no story step, record a trap it took (s->regs fresh).
 * vector: addr is a trap vector now.  wait: a command stopped at a wfi.  stop: a run stopped (s->regs fresh); 1 if the
 * stop was the story's own and is recorded (the pc may have moved on by
 * a step), 0 if it was not, -1 on failure. */
int session_story_begin(struct session *s);
void session_story_end(struct session *s);
const struct session_story_point *session_story_point(const struct session *s, uint64_t addr);
int session_story_step(struct session *s, struct rsp_stop *stop);
int session_story_check(struct session *s);
int session_story_vector(const struct session *s, uint64_t addr);
int session_story_wait(struct session *s);
int session_story_stop(struct session *s, struct rsp_stop *stop);

/* session_story.c: the story again at the point the machine was just
 * moved to (session_travel.c): its breakpoints back, the vectors as the
 * registers say, a call open then open again. */
int session_story_resume(struct session *s, uint64_t insn);

/* session.c, internal: a new QEMU as the first was started, paused at
 * reset, connected; the images, stages, events and console stay. */
int session_machine_restart(struct session *s);

/* session_undo.c, internal.  before: s->regs fresh at the pc; 1 and *u
 * filled if a step of the instruction there can be undone, 0 if not, -1
 * on failure.  after: the step was taken and the pc is now pc; keep it.
 * drop_after: forget the steps kept after instruction insn.  back:
 * undo up to *n steps while the newest kept is for the point now,
 * taking each off *n; -1 if one failed (the caller goes back the long
 * way).  end: free. */
int session_undo_before(struct session *s, struct session_undo_step *u);
void session_undo_after(struct session *s, struct session_undo_step *u, uint64_t pc);
void session_undo_drop_after(struct session *s, uint64_t insn);
int session_undo_back(struct session *s, unsigned long *n);
void session_undo_end(struct session *s);

/* session_travel.c, internal: the point the machine stopped at now
 * (s->regs fresh) is one to come back to. */
void session_travel_mark(struct session *s);
void session_travel_end(struct session *s);

/* The machine was changed from outside (a gdb wrote to it): what the
 * session saw after this point, and the steps kept, are of another boot. */
void session_travel_forget_future(struct session *s);

/* Internal: QEMU went away; record how. */
void session_note_end(struct session *s);

/* ---- session_run.c --------------------------------------------------------- */

/* Step n instructions now (stops early at a breakpoint or when QEMU ends). */
int session_step(struct session *s, unsigned long n);

/* A counted step that may be long: n steps in chunks of SESSION_STEP_CHUNK,
 * one chunk per session_steps_run(), so a caller can look at its keys in
 * between.  Ends with one event for all of them. */
int session_steps_begin(struct session *s, unsigned long n);
int session_steps_run(struct session *s);
/* Steps still to go; and cutting them short (returns how many were left). */
unsigned long session_steps_left(const struct session *s);
unsigned long session_steps_cancel(struct session *s);

/* Step, but run over a call to the instruction after it.  Returns like
 * session_continue when it had to run. */
int session_next(struct session *s);

/* The firmware call the instruction at the pc would make now, decoded
 * from the registers: 1, or 0 if it is none (or the story is off). */
int session_story_call(const struct session *s, struct arch_call *out);

/* Let the CPU run until a breakpoint, an interrupt or the end of QEMU.
 * Returns at once; session_poll() reports the stop. */
int session_continue(struct session *s);

/* The same, and stop after the next event of the boot's story of these
 * kinds (bits 1u << EVENT_...), one that changes the mode if mode_change:
 * the next trap, the next SBI call, the next mode change. */
int session_run_to_event(struct session *s, unsigned kinds, int mode_change);

/* Run to the entry of the next stage (a temporary breakpoint). */
int session_run_to_next_stage(struct session *s);

/* While running: 1 when the CPU stopped (state refreshed), 0 if it still
 * runs after timeout_ms, -1 on error.  While stopped: notices (without
 * waiting) that QEMU went away, and returns 1.  Also reads the console. */
int session_poll(struct session *s, int timeout_ms);

/* Run until stopped, QEMU ends, *cancel is set, or timeout_ms passes (then
 * interrupt).  For the batch report.  0 when it stopped or ended by
 * itself, 1 when it had to be interrupted, -1 on error. */
int session_wait(struct session *s, int timeout_ms, volatile sig_atomic_t *cancel);

/* Stop a running CPU (its stop comes through session_poll). */
int session_interrupt(struct session *s);

/* Set the breakpoint at addr, or clear it if there is one.  hart: the one
 * hart it stops (an index into harts), or -1 for every hart; another hart
 * that comes by goes on without a stop.  Returns 1 if it is now set, 0 if
 * cleared, -1 on error. */
int session_break_toggle(struct session *s, uint64_t addr, int hart);

/* Is there a breakpoint at addr? */
int session_break_at(const struct session *s, uint64_t addr);

/* A symbol name (from the kernel, then the firmware), "0x..." or a hex
 * number, optionally "+OFFSET".  0 or -1 with err_set(). */
int session_resolve(struct session *s, const char *text, uint64_t *addr);

/* ---- session_travel.c ------------------------------------------------------ */

/* Put the machine where it was after `insn` instructions since reset, a
 * point the session has passed: the boot is run again in a new QEMU to
 * the nearest point it stopped at before, then stepped.  The state is
 * the machine's own, not a picture of it.  Needs the counting plugin and
 * a QEMU bootscope started.  0, or -1 with err_set() (the machine then
 * stays where it was, or where the new run got to). */
int session_travel_to(struct session *s, uint64_t insn);

/* Back n instructions. */
int session_step_back(struct session *s, unsigned long n);

/* Back to the last point before this one where a command stopped, or
 * an event of the boot's story happened. */
int session_run_back(struct session *s);

/* Instructions since reset now, and how many the boot has been run
 * further than this point (0 at the live end).  -1 without counts. */
int session_travel_where(const struct session *s, uint64_t *now, uint64_t *behind);

/* ---- session_gdb.c --------------------------------------------------------- */

/* Where the answers to a gdb go. */
struct session_gdb_io {
	int (*reply)(void *ctx, const char *text, size_t len);	/* one packet's payload; -1 ends */
	void *ctx;
};

enum { SESSION_GDB_REPLIED, SESSION_GDB_RUNNING, SESSION_GDB_DETACHED, SESSION_GDB_KILLED };

/* One request of gdb's (its payload): answered through io (REPLIED), or
 * the machine runs for gdb (RUNNING: session_gdb_stopped answers once
 * session_poll says it stopped), or gdb detached (DETACHED, answered), or
 * killed the machine, which was reset and starts again (KILLED, answered).
 * -1 with err_set() if the machine could not be asked. */
int session_gdb_packet(struct session *s, const char *pkt, size_t len, const struct session_gdb_io *io);

/* Tell gdb the stop its run ended in (or that QEMU ended). */
int session_gdb_stopped(struct session *s, const struct session_gdb_io *io);

/* A gdb connected: nothing it read before counts.  One went away without
 * a word: its breakpoints come out. */
void session_gdb_attached(struct session *s);
int session_gdb_detach(struct session *s);

/* ---- session_view.c -------------------------------------------------------- */

/* The instruction at addr, decoded once and cached, reading memory on a
 * miss.  NULL with err_set() if memory there cannot be read or decoded. */
const struct code_line *session_insn(struct session *s, uint64_t addr);

/* The same without I/O, for drawing: what was fetched at the stop. */
const struct code_line *session_insn_cached(struct session *s, uint64_t addr);

/* Fetch the code around the pc after every stop from now on (the screen). */
void session_view_code(struct session *s);

/* ---- session_harts.c ---- */

/* Read every hart's pc, mode and stage now (harts; the one shown is
 * read at every stop anyway).  What cannot be read is left not known. */
void session_harts_read(struct session *s);

/* At the start: each other hart's place is the first event of its own. */
void session_harts_begin(struct session *s);

/* Show hart i (an index into harts) from now on: its registers, its
 * stage; a step moves it alone.  A run that stops makes the hart that
 * stopped the one shown.  0, or -1 with err_set(). */
int session_select_hart(struct session *s, int hart);

/* Read what the screen shows, if a stop made it stale: before drawing. */
void session_view_update(struct session *s);

/* Fetch the code around addr now (the screen scrolled there). */
void session_show_code(struct session *s, uint64_t addr);

/* Show len bytes (at most SESSION_MEM_MAX) at addr, read now and at every
 * stop; session_hide_memory() stops that. */
void session_show_memory(struct session *s, uint64_t addr, size_t len);
void session_hide_memory(struct session *s);

/* Internal: at a stop, what the screen shows is to be read again. */
void session_view_fetch(struct session *s);

#endif
