#include "session.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "err.h"

const char *const session_csr_names[SESSION_NCSR] = {
	"mstatus", "mtvec", "mepc", "mcause", "mtval", "medeleg", "mideleg",
	"satp", "sstatus", "stvec", "sepc", "scause", "stval",
};

const char *const session_gpr_names[32] = {
	"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2",
	"s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
	"a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7",
	"s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

/* QEMU's own OpenSBI, and the ELF it ships beside it for symbols. */
#define QEMU_DEFAULT_FW_ELF	"/usr/share/qemu/opensbi-riscv64-generic-fw_dynamic.elf"
#define RAM_BASE		0x80000000ull
#define KERNEL_BASE_WITH_FW	0x80200000ull
#define RESET_BYTES		0x58	/* the reset vector and fw_dynamic_info */
#define STEP_TO_STAGE_LIMIT	200000	/* when no entry address is known */

static int file_exists(const char *path)
{
	return access(path, R_OK) == 0;
}

/* ---- images ---------------------------------------------------------- */

static int open_kernel(struct session *s, const struct session_opts *o, const char **qemu_kernel,
		       const char **loader, uint64_t *loader_addr)
{
	int no_fw = o->bios && strcmp(o->bios, "none") == 0;
	uint64_t dflt = no_fw ? RAM_BASE : KERNEL_BASE_WITH_FW;
	int elf;

	if (!o->kernel)
		return 0;
	elf = image_sniff(o->kernel);
	if (elf < 0) {
		char why[256];

		snprintf(why, sizeof why, "%s", err_msg());
		return err_set("cannot read the kernel %s: give the path of a kernel ELF, e.g. build/kernel.elf after make",
			       why);
	}
	if (elf) {
		*qemu_kernel = o->kernel;
		return image_open(&s->kernel, o->kernel);
	}
	/* A raw image: QEMU's -kernel puts it where the firmware expects
	 * the kernel; anywhere else takes the generic loader. */
	uint64_t at = o->load_addr_set ? o->load_addr : dflt;
	if (at == dflt)
		*qemu_kernel = o->kernel;
	else {
		*loader = o->kernel;
		*loader_addr = at;
	}
	if (o->symbols)
		return image_open(&s->kernel, o->symbols);
	return image_open_raw(&s->kernel, o->kernel, at);
}

static int open_firmware(struct session *s, const struct session_opts *o)
{
	char sibling[4096];
	const char *path = o->bios_symbols;

	if (!path && o->bios && strcmp(o->bios, "none") == 0)
		return 0;
	if (!path && (!o->bios || strcmp(o->bios, "default") == 0))
		path = file_exists(QEMU_DEFAULT_FW_ELF) ? QEMU_DEFAULT_FW_ELF : NULL;
	if (!path && o->bios && strcmp(o->bios, "default") != 0) {
		if (image_sniff(o->bios) == 1)
			path = o->bios;
		else {
			/* fw_jump.bin usually has fw_jump.elf beside it. */
			const char *dot = strrchr(o->bios, '.');
			size_t stem = dot ? (size_t)(dot - o->bios) : strlen(o->bios);
			snprintf(sibling, sizeof sibling, "%.*s.elf", (int)stem, o->bios);
			if (file_exists(sibling))
				path = sibling;
		}
	}
	if (!path)
		return 0;	/* stage 2 without sections and symbols */
	return image_open(&s->firmware, path);
}

/* ---- state after a stop ------------------------------------------------ */

static void set_event(struct session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_event(struct session *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->event, sizeof s->event, fmt, ap);
	va_end(ap);
}

static int read_regs(struct session *s, struct session_regs *r)
{
	int nums[SESSION_NCSR + 1];
	uint64_t vals[SESSION_NCSR + 1];
	size_t n = 0;

	if (target_read_gprs(&s->target, r->gpr) < 0)
		return -1;
	if (s->priv_regnum >= 0)
		nums[n++] = s->priv_regnum;
	for (int i = 0; i < SESSION_NCSR; i++)
		if (s->csr_regnum[i] >= 0)
			nums[n++] = s->csr_regnum[i];
	if (n && target_read_regs(&s->target, nums, n, vals) < 0)
		return -1;
	n = 0;
	r->priv_ok = s->priv_regnum >= 0;
	if (r->priv_ok)
		r->priv = vals[n++];
	for (int i = 0; i < SESSION_NCSR; i++) {
		r->csr_ok[i] = s->csr_regnum[i] >= 0;
		r->csr[i] = r->csr_ok[i] ? vals[n++] : 0;
	}
	return 0;
}

/* Read the registers of a new stop and say what changed in the boot.
 * Returns 1 if that was worth an event (new stage, new mode), else 0. */
static int refresh(struct session *s)
{
	const struct stage *old = s->stage;
	char old_mode = session_mode(s);

	s->prev = s->regs;
	s->have_prev = 1;
	if (read_regs(s, &s->regs) < 0)
		return -1;
	s->stage = stage_of(&s->model, session_pc(s));
	if (s->stage != old && s->stage) {
		set_event(s, "entered stage %d, %s, at 0x%" PRIx64 " in %c mode", s->stage->number,
			  s->stage->name, session_pc(s), session_mode(s));
		return 1;
	}
	if (session_mode(s) != old_mode) {
		set_event(s, "privilege changed %c -> %c at 0x%" PRIx64, old_mode, session_mode(s),
			  session_pc(s));
		return 1;
	}
	return 0;
}

static void note_end(struct session *s)
{
	char why[256];

	s->ended = 1;
	s->running = 0;
	while (session_console_drain(s))
		;
	if (s->qemu_started) {
		for (int i = 0; i < 100 && !qemu_reap(&s->qemu); i++)
			usleep(10000);
		set_event(s, "%s", qemu_exit_reason(&s->qemu, why, sizeof why));
		/* A guest that powers off makes QEMU exit 0 without a word;
		 * anything else (a signal, an error) was done to it. */
		s->end_unexpected = !s->qemu.exited || !WIFEXITED(s->qemu.status) ||
				    WEXITSTATUS(s->qemu.status) != 0 || s->qemu.last_err[0];
	} else {
		set_event(s, "the gdbstub closed the connection: QEMU ended");
	}
}

/* ---- start and end ------------------------------------------------------ */

static int symbolize(void *ctx, uint64_t addr, char *buf, size_t cap)
{
	struct session *s = ctx;

	stage_symbol_of(&s->model, addr, buf, cap);
	return strcmp(buf, "unknown") == 0 ? -1 : 0;
}

int session_start(struct session *s, const struct session_opts *o)
{
	const char *qkernel = NULL, *loader = NULL;
	uint64_t loader_addr = 0;
	uint8_t rom[RESET_BYTES];
	struct stage_reset_info reset;
	int no_fw = o->bios && strcmp(o->bios, "none") == 0;

	memset(s, 0, sizeof *s);
	s->opts = *o;
	s->qemu.console_fd = -1;
	s->target.conn.fd = -1;

	if (open_kernel(s, o, &qkernel, &loader, &loader_addr) < 0 || open_firmware(s, o) < 0)
		return -1;

	const char *endpoint = o->attach;
	if (!endpoint) {
		struct qemu_opts qo = {
			.qemu = o->qemu, .bios = o->bios, .kernel = qkernel,
			.loader_file = loader, .loader_addr = loader_addr,
			.extra = o->qemu_args, .nextra = o->nqemu_args, .gdb_port = o->gdb_port,
		};
		s->own_qemu = 1;
		if (qemu_start(&s->qemu, &qo, 5000) < 0)
			return -1;
		s->qemu_started = 1;
		endpoint = s->qemu.endpoint;
	}
	if (target_open(&s->target, endpoint, o->timeout_ms > 0 ? o->timeout_ms : 3000) < 0)
		return -1;
	s->target_open = 1;

	s->priv_regnum = target_regnum(&s->target, "priv");
	for (int i = 0; i < SESSION_NCSR; i++)
		s->csr_regnum[i] = target_regnum(&s->target, session_csr_names[i]);

	/* Where the reset vector will jump, and what it tells the firmware:
	 * read from the machine, not assumed. */
	if (target_read_mem(&s->target, STAGE_MROM_BASE, rom, sizeof rom) == 0)
		stage_parse_reset_vector(rom, sizeof rom, &reset);
	else if (s->target.gone || s->target.broken)
		return -1;	/* not an unreadable ROM: the connection failed */
	else
		memset(&reset, 0, sizeof reset);
	stage_build(&s->model, &reset, s->firmware, s->kernel, no_fw);

	if (code_init(&s->code, &s->target, symbolize, s) < 0)
		return -1;
	if (refresh(s) < 0)
		return -1;
	s->have_prev = 0;
	s->prev = s->regs;
	if (s->stage)
		set_event(s, "paused at 0x%" PRIx64 ": stage %d, %s", session_pc(s), s->stage->number,
			  s->stage->name);
	else
		set_event(s, "paused at 0x%" PRIx64, session_pc(s));
	session_console_drain(s);
	return 0;
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
	image_close(s->kernel);
	image_close(s->firmware);
	s->kernel = s->firmware = NULL;
	free(s->console);
	s->console = NULL;
}

/* ---- commands ----------------------------------------------------------- */

static int ready(struct session *s)
{
	if (s->ended)
		return err_set("QEMU has ended: press r to restart, or q to quit");
	if (s->running)
		return err_set("the CPU is running: press Ctrl-C to stop it");
	return 0;
}

int session_step(struct session *s, unsigned long n)
{
	struct rsp_stop stop;

	if (ready(s) < 0)
		return -1;
	for (unsigned long i = 0; i < n; i++) {
		const struct stage *st = stage_of(&s->model, session_pc(s));

		if (target_step(&s->target, &stop) < 0 || s->target.gone) {
			if (s->target.gone) {
				note_end(s);
				return 0;
			}
			return -1;
		}
		s->steps[st ? st->number : 0]++;
		if (i + 1 < n) {
			/* Between steps only the pc: enough to count per stage
			 * and to stop at a breakpoint. */
			if (target_read_reg(&s->target, TARGET_PC, &s->regs.gpr[TARGET_PC]) < 0)
				return -1;
			if (target_break_at(&s->target, s->regs.gpr[TARGET_PC]))
				break;
		}
	}
	int news = refresh(s);
	if (news < 0)
		return -1;
	if (target_break_at(&s->target, session_pc(s)))
		set_event(s, "stopped at breakpoint 0x%" PRIx64, session_pc(s));
	else if (!news)
		set_event(s, "stepped %lu instruction%s", n, n == 1 ? "" : "s");
	return 0;
}

static int set_temp_bp(struct session *s, uint64_t addr)
{
	if (target_break_at(&s->target, addr))
		return 0;	/* the user's own breakpoint will do */
	if (target_break_insert(&s->target, addr, 0) < 0)
		return -1;
	s->temp_bp = addr;
	s->temp_bp_set = 1;
	return 0;
}

static int clear_temp_bp(struct session *s)
{
	if (!s->temp_bp_set)
		return 0;
	s->temp_bp_set = 0;
	return s->target.gone ? 0 : target_break_remove(&s->target, s->temp_bp);
}

int session_continue(struct session *s)
{
	if (ready(s) < 0)
		return -1;
	if (target_resume(&s->target) < 0) {
		if (s->target.gone) {
			note_end(s);
			return 0;
		}
		return -1;
	}
	s->running = 1;
	code_forget(&s->code);	/* the guest may write code while it runs */
	set_event(s, "running (Ctrl-C stops)");
	return 0;
}

/* Does the instruction at pc link a return address (a call)? */
static int is_call(const uint8_t *b, int len)
{
	uint32_t insn = b[0] | b[1] << 8 | (len == 4 ? (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24 : 0);
	unsigned rd = (insn >> 7) & 31;

	if (len == 2)	/* c.jalr rs1: 1001 rs1 00000 10 */
		return (insn & 0xf07f) == 0x9002 && ((insn >> 7) & 31) != 0;
	if ((insn & 0x7f) == 0x6f || (insn & 0x707f) == 0x67)	/* jal, jalr */
		return rd == 1 || rd == 5;
	return 0;
}

int session_next(struct session *s)
{
	uint64_t pc = session_pc(s);
	const struct code_line *in;
	uint8_t b[4];

	if (ready(s) < 0)
		return -1;
	in = session_insn(s, pc);
	if (!in || target_read_mem(&s->target, pc, b, (size_t)in->len) < 0 || !is_call(b, in->len))
		return session_step(s, 1);
	if (set_temp_bp(s, pc + (uint64_t)in->len) < 0)
		return -1;
	return session_continue(s);
}

int session_run_to_next_stage(struct session *s)
{
	const struct stage *next;

	if (ready(s) < 0)
		return -1;
	next = stage_next(&s->model, s->stage);
	if (!s->stage)
		return err_set("the pc 0x%" PRIx64 " is in no known stage", session_pc(s));
	if (!next)
		return err_set("already in the last stage (%s): use c to continue", s->stage->name);
	if (next->entry_known) {
		if (set_temp_bp(s, next->entry) < 0)
			return -1;
		return session_continue(s);
	}
	/* No address to stop at: walk until the pc leaves this stage. */
	const struct stage *from = s->stage;
	for (int i = 0; i < STEP_TO_STAGE_LIMIT && !s->ended; i++) {
		if (session_step(s, 1) < 0)
			return -1;
		if (s->stage != from)
			return 0;
	}
	return err_set("stage %d did not end within %d instructions", from->number, STEP_TO_STAGE_LIMIT);
}

static int stopped(struct session *s, const struct rsp_stop *stop)
{
	s->running = 0;
	if (clear_temp_bp(s) < 0)
		return -1;
	int news = refresh(s);
	if (news < 0)
		return -1;
	/* Say why it stopped, and keep what the boot did on the way. */
	char change[sizeof s->event], sym[128];
	snprintf(change, sizeof change, "%s", news ? s->event : "");
	stage_symbol_of(&s->model, session_pc(s), sym, sizeof sym);
	set_event(s, "%s at 0x%" PRIx64 " <%s>%s%s",
		  stop->signal_or_status == 5 ? "stopped" : "interrupted", session_pc(s), sym,
		  news ? "; " : "", change);
	return 1;
}

int session_poll(struct session *s, int timeout_ms)
{
	struct rsp_stop stop;
	int rc;

	session_console_drain(s);
	if (s->ended)
		return 1;
	if (!s->running) {
		if (target_poll(&s->target, &stop, 0) < 0 && s->target.gone)
			note_end(s);
		return 1;
	}
	rc = target_poll(&s->target, &stop, timeout_ms);
	if (rc < 0 || s->target.gone) {
		if (s->target.gone) {
			note_end(s);
			return 1;
		}
		return -1;
	}
	if (rc == 0)
		return 0;
	return stopped(s, &stop);
}

int session_wait(struct session *s, int timeout_ms, volatile sig_atomic_t *cancel)
{
	long long deadline = clock_ms() + timeout_ms;

	while (s->running && !*cancel && clock_ms() < deadline)
		if (session_poll(s, 50) < 0)
			return -1;
	if (!s->running)
		return 0;
	/* QEMU stops within a millisecond of 0x03 (FACTS.md); give it 2 s. */
	if (session_interrupt(s) < 0)
		return -1;
	deadline = clock_ms() + 2000;
	while (s->running && clock_ms() < deadline)
		if (session_poll(s, 50) < 0)
			return -1;
	if (s->running) {
		s->target.broken = 1;	/* so ending asks nothing more of it */
		return err_set("the CPU did not stop when asked to: the gdbstub at %s did not answer an interrupt within 2 s",
			       s->target.conn.endpoint);
	}
	return 1;
}

int session_interrupt(struct session *s)
{
	return s->running ? target_interrupt(&s->target) : 0;
}

int session_restart(struct session *s)
{
	char out[256];

	if (!s->own_qemu)
		return err_set("attached to someone else's QEMU: bootscope does not restart it");
	if (s->running || s->ended)
		return err_set(s->ended ? "QEMU has ended: quit and start bootscope again"
					: "the CPU is running: press Ctrl-C first");
	if (clear_temp_bp(s) < 0 || target_monitor(&s->target, "system_reset", out, sizeof out) < 0)
		return -1;
	memset(s->steps, 0, sizeof s->steps);
	code_forget(&s->code);
	s->console_len = 0;
	if (refresh(s) < 0)
		return -1;
	s->have_prev = 0;
	set_event(s, "restarted: paused at 0x%" PRIx64, session_pc(s));
	return 0;
}

int session_break_toggle(struct session *s, uint64_t addr)
{
	if (ready(s) < 0)
		return -1;
	if (target_break_at(&s->target, addr)) {
		if (s->temp_bp_set && s->temp_bp == addr)
			s->temp_bp_set = 0;
		if (target_break_remove(&s->target, addr) < 0)
			return -1;
		set_event(s, "breakpoint at 0x%" PRIx64 " cleared", addr);
		return 0;
	}
	if (target_break_insert(&s->target, addr, 0) < 0)
		return -1;
	set_event(s, "breakpoint at 0x%" PRIx64 " set", addr);
	return 1;
}

int session_resolve(struct session *s, const char *text, uint64_t *addr)
{
	char name[128];
	const char *plus = strchr(text, '+');
	size_t len = plus ? (size_t)(plus - text) : strlen(text);
	uint64_t off = 0;
	char *end;

	while (len && text[len - 1] == ' ')
		len--;
	if (len == 0 || len >= sizeof name)
		return err_set("type a symbol name or an address");
	memcpy(name, text, len);
	name[len] = '\0';
	if (plus) {
		errno = 0;
		off = strtoull(plus + 1, &end, 0);
		if (errno || end == plus + 1 || *end)
			return err_set("bad offset in \"%s\"", text);
	}
	const struct image_symbol *sym = NULL;
	if (s->kernel)
		sym = image_symbol_named(s->kernel, name);
	if (!sym && s->firmware)
		sym = image_symbol_named(s->firmware, name);
	if (sym) {
		*addr = sym->addr + off;
		return 0;
	}
	errno = 0;
	uint64_t v = strtoull(name, &end, 16);
	if (errno || *end || name[0] == '-')
		return err_set("no symbol or address \"%s\"", name);
	*addr = v + off;
	return 0;
}

const struct code_line *session_insn(struct session *s, uint64_t addr)
{
	return code_at(&s->code, addr);
}

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

uint64_t session_pc(const struct session *s)
{
	return s->regs.gpr[TARGET_PC];
}

char session_mode(const struct session *s)
{
	return s->regs.priv_ok ? stage_mode_char(s->regs.priv) : '?';
}

int session_gpr_changed(const struct session *s, int i)
{
	return s->have_prev && s->regs.gpr[i] != s->prev.gpr[i];
}

int session_csr_changed(const struct session *s, int i)
{
	return s->have_prev && s->regs.csr[i] != s->prev.csr[i];
}
