/* arch: what bootscope must know about a CPU architecture, in one place.
 *
 * The generic code (target, session, screen, report, doctor) never names a
 * register, a CSR or an encoding; it asks the architecture through struct
 * arch, an ops table in the manner of OpenSBI's platform operations.  A
 * second architecture provides one more table; arch_for() picks the table
 * from the <architecture> of the gdbstub's target description.
 *
 * What an architecture provides:
 *  - the registers shown and reported (struct arch_reg), by the names the
 *    stub's target.xml gives them, in display order; which is the pc and
 *    which the stack pointer;
 *  - the CPU mode of a register snapshot (struct arch_mode: RISC-V's M, S,
 *    U; an x86 would give real, protected or long mode and a ring);
 *  - instruction alignment and length, and where an instruction can send
 *    control (a call for `next`; branches and call targets for a profile);
 *  - the disassembler for a mode, by its BFD name;
 *  - the system registers in words (the CSR panel) and the description of
 *    the last trap taken into a mode (cause, faulting pc, value), which the
 *    screen and the doctor both use.
 */
#ifndef BOOTSCOPE_ARCH_H
#define BOOTSCOPE_ARCH_H

#include <stddef.h>
#include <stdint.h>

/* Room for one snapshot: every register an architecture shows. */
#define ARCH_MAX_REGS 96

enum arch_reg_kind {
	ARCH_REG_PC,		/* the program counter */
	ARCH_REG_GENERAL,	/* integer registers */
	ARCH_REG_MODE,		/* what the mode is read from (RISC-V's virtual priv) */
	ARCH_REG_SYSTEM,	/* control and status registers */
};

struct arch_reg {
	const char *name;	/* as the target description names it ("fp") */
	const char *label;	/* as people read it ("s0") */
	enum arch_reg_kind kind;
	int quiet;		/* constant (x0): left out where room counts */
};

/* One stop's registers, indexed like the architecture's table. */
struct arch_regs {
	uint64_t v[ARCH_MAX_REGS];
	uint8_t ok[ARCH_MAX_REGS];	/* the stub has this register */
};

/* The CPU's mode in one snapshot.  Compare with arch_mode_same(). */
struct arch_mode {
	int known;
	int level;		/* the architecture's own number (RISC-V: priv, 0 U, 1 S, 3 M) */
	int ring;		/* a protection ring where the mode has one, else -1 */
	const char *name;	/* short, for "%s mode": "M", "S", "U"; "?" when unknown */
};

/* The last trap taken into a mode, from that mode's trap registers. */
struct arch_trap {
	int known;		/* this mode has trap registers to read */
	uint64_t cause;
	const char *cause_name;	/* "illegal instruction", ... */
	int interrupt;		/* an interrupt rather than an exception */
	uint64_t pc;		/* where it happened */
	uint64_t value;		/* the faulting address or instruction */
	struct arch_mode from;	/* the mode it was taken from */
	/* How the registers are called, for messages: "mcause", "mepc",
	 * "mtval", and the one that says where traps go, "mtvec". */
	const char *cause_reg, *pc_reg, *value_reg, *vector_reg;
};

/* Where an instruction can send control next, besides the one after it. */
enum arch_flow_kind {
	ARCH_FLOW_NONE,		/* falls through */
	ARCH_FLOW_JUMP,		/* always goes elsewhere */
	ARCH_FLOW_BRANCH,	/* goes elsewhere or falls through */
	ARCH_FLOW_CALL,		/* links a return address */
	ARCH_FLOW_RETURN,
	ARCH_FLOW_INDIRECT,	/* a jump through a register, no call nor return */
};

struct arch_flow {
	enum arch_flow_kind kind;
	int has_target;		/* target is encoded in the instruction itself */
	uint64_t target;
};

/* What an instruction does to the boot's story: a call into a more
 * privileged mode, a return from a trap, a wait for an interrupt, a write
 * to a system register that changes how the machine boots. */
enum arch_story_kind {
	ARCH_STORY_NONE,
	ARCH_STORY_CALL,	/* RISC-V ecall */
	ARCH_STORY_RETURN,	/* mret, sret */
	ARCH_STORY_WAIT,	/* wfi */
	ARCH_STORY_SYSREG,	/* csrw mtvec, stvec, satp, medeleg, mideleg */
};

struct arch_story {
	enum arch_story_kind kind;
	const char *name;	/* "ecall", "mret", "csrw" */
	int reg;		/* SYSREG: the register written, an index into regs */
};

/* A call into the firmware (RISC-V: an SBI call, an ecall from S mode),
 * named from the registers at the call. */
struct arch_call {
	int known;		/* the architecture could decode it at all */
	const char *iface;	/* what such calls are called: "SBI" */
	uint64_t ext, func;	/* RISC-V: extension id (a7) and function id (a6) */
	char ext_name[32];	/* "BASE", "SRST", "legacy" */
	char name[48];		/* the function: "probe_extension", "console_putchar" */
	char args[160];		/* the arguments as the specification names them:
				   "ch='H'", "reset_type=shutdown reset_reason=none" */
};

/* What a firmware call returned, read when it is back in the caller. */
struct arch_call_result {
	int64_t error;		/* RISC-V: a0, 0 for SBI_SUCCESS */
	const char *error_name;	/* "SBI_SUCCESS", "SBI_ERR_NOT_SUPPORTED", ... */
	uint64_t value;		/* a1 */
	int has_value;		/* the function returns a value besides the error */
};

/* The memory an instruction reads or writes (plain, below). */
struct arch_access {
	uint64_t addr;		/* physical */
	unsigned len;		/* 0: none */
	int store;
};

/* One line about the system registers, for the screen. */
struct arch_line {
	char text[160];
	int changed;		/* a register in it changed at the last stop */
};

struct arch {
	const char *name;		/* "riscv64" */
	const char *tdesc_arch;		/* what target.xml says: "riscv:rv64" */
	const char *toolchain;		/* the cross-tool prefix for hints: "riscv64-unknown-elf-" */
	const char *mode_key;		/* what a report calls the mode: "priv" (M, S, U), "mode" (real, long) */

	const struct arch_reg *regs;	/* display order */
	size_t nregs;
	size_t pc, sp;			/* their indexes in regs */
	/* What the stub's registers give the pc from (RISC-V: pc itself),
	 * and, where the pc is not a register of the stub's, how it is
	 * computed from them (x86: cs * 16 + ip in real mode); derive is
	 * NULL where every register is the stub's own. */
	const size_t *pc_regs;
	size_t npc_regs;
	void (*derive)(struct arch_regs *r);
	/* How people write the pc besides its address, where the CPU has
	 * another way (x86 real mode: "f000:fff0"): into buf, or "" (NULL:
	 * never). */
	void (*pc_text)(const struct arch_regs *r, char *buf, size_t cap);

	unsigned insn_align;		/* every instruction starts at a multiple */
	unsigned insn_max;		/* the longest instruction, in bytes */
	int bp_kind;			/* the "kind" of a Z0/Z1 packet */

	/* The length of the instruction that starts with these bytes (n of
	 * them at hand), or 0 if n bytes cannot tell. */
	unsigned (*insn_len)(const uint8_t *b, size_t n);

	/* Where the instruction at pc can send control (ARCH_FLOW_NONE when
	 * n bytes do not hold a whole one). */
	void (*flow)(const uint8_t *b, size_t n, uint64_t pc, struct arch_flow *out);

	void (*mode_of)(const struct arch_regs *r, struct arch_mode *out);
	/* The registers mode_of reads (indexes in regs): all a hart other
	 * than the one shown needs read for its mode. */
	const size_t *mode_regs;
	size_t nmode_regs;

	/* The disassembler for code run in this mode, as BFD names it. */
	const char *(*disasm_name)(const struct arch_mode *m);

	/* Lines about the system registers, most telling first; prev is the
	 * stop before (NULL if none).  Returns how many it wrote. */
	size_t (*describe)(const struct arch_regs *r, const struct arch_regs *prev,
			   struct arch_line *out, size_t max);

	/* The trap registers of mode m (its cause, pc and value). */
	void (*trap)(const struct arch_regs *r, const struct arch_mode *m, struct arch_trap *out);

	/* What the instruction in b does to the boot's story. */
	void (*story)(const uint8_t *b, size_t n, struct arch_story *out);

	/* Where a trap would land now, in every mode that takes traps;
	 * returns how many (at most max). */
	size_t (*trap_vectors)(const struct arch_regs *r, uint64_t *out, size_t max);

	/* The firmware call the registers make at a call instruction
	 * (known 0 if none: RISC-V's ecall is an SBI call from S mode only),
	 * and what it returned, from the registers once back in the caller. */
	void (*call)(const struct arch_regs *r, struct arch_call *out);
	/* The same call, seen at the trap vector it went to: t is the trap
	 * just taken (known 0 unless that trap is a firmware call).  A run
	 * learns of calls here, so needs no breakpoint on each call. */
	void (*trap_call)(const struct arch_regs *r, const struct arch_trap *t, struct arch_call *out);
	void (*call_result)(const struct arch_regs *at_call, const struct arch_regs *back,
			    struct arch_call_result *out);

	/* Can a step of the instruction in b, with the registers r before
	 * it, be undone by writing back the general registers, the pc and
	 * the bytes it stores (*a, when a->store)?  1 if it changes nothing
	 * else (unless it traps, which the caller sees after the step); its
	 * memory access, physical, in *a.  0 for anything else. */
	int (*plain)(const uint8_t *b, size_t n, const struct arch_regs *r, struct arch_access *a);
};

/* The architecture whose target descriptions say tdesc_arch, or NULL. */
const struct arch *arch_for(const char *tdesc_arch);

/* The names of every architecture known, for a message: "riscv:rv64". */
const char *arch_known(void);

/* The same mode (level and ring)? */
int arch_mode_same(const struct arch_mode *a, const struct arch_mode *b);

/* Does the instruction in b (n bytes) link a return address (a call)? */
int arch_is_call(const struct arch *a, const uint8_t *b, size_t n);

/* The registers computed from others (struct arch's derive), if any. */
void arch_derive(const struct arch *a, struct arch_regs *r);

/* The index of register name in a's table, or -1. */
int arch_reg_index(const struct arch *a, const char *name);

#endif
