/* arch_x86_64: the x86-64 CPU of QEMU's PC, from reset to long mode. */
#include "arch_x86_64.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* In display order; names as QEMU's i386-64bit.xml has them. */
static const struct arch_reg x86_regs[X86_NREGS] = {
	[X86_PC] = { "pc", "pc", ARCH_REG_PC, 0 },
	[X86_RAX] = { "rax", "rax", ARCH_REG_GENERAL, 0 },
	[X86_RBX] = { "rbx", "rbx", ARCH_REG_GENERAL, 0 },
	[X86_RCX] = { "rcx", "rcx", ARCH_REG_GENERAL, 0 },
	[X86_RDX] = { "rdx", "rdx", ARCH_REG_GENERAL, 0 },
	[X86_RSI] = { "rsi", "rsi", ARCH_REG_GENERAL, 0 },
	[X86_RDI] = { "rdi", "rdi", ARCH_REG_GENERAL, 0 },
	[X86_RBP] = { "rbp", "rbp", ARCH_REG_GENERAL, 0 },
	[X86_RSP] = { "rsp", "rsp", ARCH_REG_GENERAL, 0 },
	[X86_R8 + 0] = { "r8", "r8", ARCH_REG_GENERAL, 0 },
	[X86_R8 + 1] = { "r9", "r9", ARCH_REG_GENERAL, 0 },
	[X86_R8 + 2] = { "r10", "r10", ARCH_REG_GENERAL, 0 },
	[X86_R8 + 3] = { "r11", "r11", ARCH_REG_GENERAL, 0 },
	[X86_R8 + 4] = { "r12", "r12", ARCH_REG_GENERAL, 0 },
	[X86_R8 + 5] = { "r13", "r13", ARCH_REG_GENERAL, 0 },
	[X86_R8 + 6] = { "r14", "r14", ARCH_REG_GENERAL, 0 },
	[X86_R8 + 7] = { "r15", "r15", ARCH_REG_GENERAL, 0 },
	[X86_RIP] = { "rip", "rip", ARCH_REG_GENERAL, 0 },
	[X86_EFLAGS] = { "eflags", "eflags", ARCH_REG_GENERAL, 0 },
	[X86_CS] = { "cs", "cs", ARCH_REG_SYSTEM, 0 },
	[X86_SS] = { "ss", "ss", ARCH_REG_SYSTEM, 0 },
	[X86_DS] = { "ds", "ds", ARCH_REG_SYSTEM, 0 },
	[X86_ES] = { "es", "es", ARCH_REG_SYSTEM, 0 },
	[X86_FS] = { "fs", "fs", ARCH_REG_SYSTEM, 0 },
	[X86_GS] = { "gs", "gs", ARCH_REG_SYSTEM, 0 },
	[X86_FS_BASE] = { "fs_base", "fs_base", ARCH_REG_SYSTEM, 1 },
	[X86_GS_BASE] = { "gs_base", "gs_base", ARCH_REG_SYSTEM, 1 },
	[X86_CR0] = { "cr0", "cr0", ARCH_REG_SYSTEM, 0 },
	[X86_CR2] = { "cr2", "cr2", ARCH_REG_SYSTEM, 0 },
	[X86_CR3] = { "cr3", "cr3", ARCH_REG_SYSTEM, 0 },
	[X86_CR4] = { "cr4", "cr4", ARCH_REG_SYSTEM, 0 },
	[X86_EFER] = { "efer", "efer", ARCH_REG_SYSTEM, 0 },
};

/* What the pc is computed from, and the mode. */
static const size_t x86_pc_regs[] = { X86_RIP, X86_CS, X86_CR0 };
static const size_t x86_mode_regs[] = { X86_CR0, X86_EFER, X86_CS };

uint64_t arch_x86_64_linear_pc(uint64_t rip, uint64_t cs, uint64_t cr0)
{
	if (cr0 & X86_CR0_PE)
		return rip;
	cs &= 0xffff;
	if (cs == 0xf000 && (rip & 0xffff) == 0xfff0)
		return 0xfffffff0;
	return (cs << 4) + (rip & 0xffff);
}

void arch_x86_64_mode(uint64_t cr0, uint64_t efer, uint64_t cs, struct arch_mode *out)
{
	*out = (struct arch_mode){ .known = 1, .ring = -1 };
	if (!(cr0 & X86_CR0_PE)) {
		out->level = X86_REAL;
		out->name = "real";
		return;
	}
	out->ring = (int)(cs & 3);
	out->level = efer & X86_EFER_LMA ? X86_LONG : X86_PROTECTED;
	out->name = out->level == X86_LONG ? "long" : "protected";
}

static void x86_derive(struct arch_regs *r)
{
	r->ok[X86_PC] = r->ok[X86_RIP] && r->ok[X86_CS] && r->ok[X86_CR0];
	r->v[X86_PC] = r->ok[X86_PC] ? arch_x86_64_linear_pc(r->v[X86_RIP], r->v[X86_CS], r->v[X86_CR0]) : 0;
}

/* Real mode's segment:offset, as the BIOS and the boot sector's listing
 * name their addresses. */
static void x86_pc_text(const struct arch_regs *r, char *buf, size_t cap)
{
	buf[0] = '\0';
	if (r->ok[X86_CR0] && r->ok[X86_CS] && r->ok[X86_RIP] && !(r->v[X86_CR0] & X86_CR0_PE))
		snprintf(buf, cap, "%04" PRIx64 ":%04" PRIx64, r->v[X86_CS] & 0xffff, r->v[X86_RIP] & 0xffff);
}

static void x86_mode_of(const struct arch_regs *r, struct arch_mode *out)
{
	if (!r->ok[X86_CR0] || !r->ok[X86_EFER] || !r->ok[X86_CS]) {
		*out = (struct arch_mode){ .ring = -1, .name = "?" };
		return;
	}
	arch_x86_64_mode(r->v[X86_CR0], r->v[X86_EFER], r->v[X86_CS], out);
}

/* libopcodes' names (objdump -m): one disassembler per mode.  Protected
 * mode is taken as 32-bit code; SeaBIOS's few 16-bit protected-mode
 * instructions on its way back to real mode read wrongly (docs/x86-pc.md). */
static const char *x86_disasm_name(const struct arch_mode *m)
{
	if (!m->known)
		return "i386:x86-64";
	return m->level == X86_REAL ? "i8086" : m->level == X86_PROTECTED ? "i386" : "i386:x86-64";
}

/* Lengths depend on the mode, which these bytes alone do not tell: the
 * disassembler of the mode measures instructions instead (code.c). */
static unsigned x86_insn_len(const uint8_t *b, size_t n)
{
	(void)b;
	(void)n;
	return 0;
}

/* The first byte past the prefixes (operand and address size, segment,
 * lock, rep, and in long mode REX), or n. */
static size_t opcode_at(const uint8_t *b, size_t n)
{
	size_t i = 0;

	while (i < n && (b[i] == 0x66 || b[i] == 0x67 || b[i] == 0x26 || b[i] == 0x2e || b[i] == 0x36 ||
			 b[i] == 0x3e || b[i] == 0x64 || b[i] == 0x65 || b[i] == 0xf0 || b[i] == 0xf2 ||
			 b[i] == 0xf3 || (b[i] & 0xf0) == 0x40))
		i++;
	return i;
}

/* Where control goes: enough for `next` (a call) and for the stop after a
 * return.  Targets are relative to a length and an operand size that
 * depend on the mode, so none is given. */
static void x86_flow(const uint8_t *b, size_t n, uint64_t pc, struct arch_flow *out)
{
	size_t i = opcode_at(b, n);
	unsigned op, reg;

	(void)pc;
	*out = (struct arch_flow){ ARCH_FLOW_NONE, 0, 0 };
	if (i >= n)
		return;
	op = b[i];
	reg = i + 1 < n ? (b[i + 1] >> 3) & 7 : 8;
	if (op == 0xe8 || op == 0x9a || (op == 0xff && (reg == 2 || reg == 3)))
		out->kind = ARCH_FLOW_CALL;
	else if (op == 0xc3 || op == 0xc2 || op == 0xcb || op == 0xca || op == 0xcf)
		out->kind = ARCH_FLOW_RETURN;
	else if (op == 0xe9 || op == 0xeb || op == 0xea)
		out->kind = ARCH_FLOW_JUMP;
	else if (op == 0xff && (reg == 4 || reg == 5))
		out->kind = ARCH_FLOW_INDIRECT;
	else if ((op >= 0x70 && op <= 0x7f) || (op >= 0xe0 && op <= 0xe3) ||
		 (op == 0x0f && i + 1 < n && (b[i + 1] & 0xf0) == 0x80))
		out->kind = ARCH_FLOW_BRANCH;
}

struct flag {
	uint64_t bit;
	const char *name;
};

static const struct flag cr0_flags[] = { { 1ull << 0, "PE" }, { 1ull << 16, "WP" }, { 1ull << 29, "NW" },
					 { 1ull << 30, "CD" }, { 1ull << 31, "PG" }, { 0, NULL } };
static const struct flag cr4_flags[] = { { 1ull << 4, "PSE" }, { 1ull << 5, "PAE" }, { 1ull << 7, "PGE" },
					 { 1ull << 9, "OSFXSR" }, { 1ull << 12, "LA57" }, { 0, NULL } };
static const struct flag efer_flags[] = { { 1ull << 0, "SCE" }, { 1ull << 8, "LME" }, { 1ull << 10, "LMA" },
					  { 1ull << 11, "NXE" }, { 0, NULL } };
static const struct flag eflags_flags[] = { { 1ull << 0, "CF" }, { 1ull << 6, "ZF" }, { 1ull << 7, "SF" },
					    { 1ull << 9, "IF" }, { 1ull << 10, "DF" }, { 1ull << 11, "OF" },
					    { 0, NULL } };

void arch_x86_64_flags(int reg, uint64_t v, char *buf, size_t cap)
{
	const struct flag *f = reg == X86_CR0 ? cr0_flags : reg == X86_CR4 ? cr4_flags
			     : reg == X86_EFER ? efer_flags : reg == X86_EFLAGS ? eflags_flags : NULL;
	size_t len = 0;

	buf[0] = '\0';
	for (; f && f->name && len + 1 < cap; f++)
		if (v & f->bit)
			len += (size_t)snprintf(buf + len, cap - len, "%s%s", len ? " " : "", f->name);
}

static int changed(const struct arch_regs *r, const struct arch_regs *prev, const int *regs, size_t n)
{
	for (size_t i = 0; prev && i < n; i++)
		if (r->ok[regs[i]] && prev->ok[regs[i]] && r->v[regs[i]] != prev->v[regs[i]])
			return 1;
	return 0;
}

/* The boot's story in the system registers: the mode bits first (cr0,
 * efer), then paging (cr3, cr4), the flags and the segments. */
static size_t x86_describe(const struct arch_regs *r, const struct arch_regs *prev, struct arch_line *out,
			   size_t max)
{
	static const int line_regs[][6] = {
		{ X86_CR0, X86_EFER, -1 },
		{ X86_CR3, X86_CR4, -1 },
		{ X86_EFLAGS, X86_CR2, -1 },
		{ X86_CS, X86_SS, X86_DS, X86_ES, X86_FS, X86_GS },
	};
	size_t n = 0;

	for (size_t l = 0; l < sizeof line_regs / sizeof line_regs[0] && n < max; l++) {
		struct arch_line *o = &out[n];
		size_t len = 0, k;
		int regs[6];

		for (k = 0; k < 6 && line_regs[l][k] >= 0; k++)
			regs[k] = line_regs[l][k];
		o->text[0] = '\0';
		for (size_t i = 0; i < k && len + 1 < sizeof o->text; i++) {
			int g = regs[i];
			char flags[64];

			if (!r->ok[g])
				continue;
			arch_x86_64_flags(g, r->v[g], flags, sizeof flags);
			len += (size_t)snprintf(o->text + len, sizeof o->text - len, "%s%s 0x%" PRIx64 "%s%s",
						len ? "  " : "", x86_regs[g].label, r->v[g], flags[0] ? " " : "", flags);
		}
		if (len == 0)
			continue;
		o->changed = changed(r, prev, regs, k);
		n++;
	}
	return n;
}

/* No trap registers: an x86 trap leaves its cause on the handler's stack
 * and in the IDT, which the gdbstub does not describe. */
static void x86_trap(const struct arch_regs *r, const struct arch_mode *m, struct arch_trap *out)
{
	(void)r;
	(void)m;
	memset(out, 0, sizeof *out);
}

/* What the boot's story follows: hlt, and the writes to cr0, cr3, cr4
 * (mov to a control register) and to an MSR (wrmsr: efer) that switch
 * the CPU's mode. */
static void x86_story(const uint8_t *b, size_t n, struct arch_story *out)
{
	size_t i = opcode_at(b, n);

	*out = (struct arch_story){ ARCH_STORY_NONE, "", -1 };
	if (i < n && b[i] == 0xf4) {
		*out = (struct arch_story){ ARCH_STORY_WAIT, "hlt", -1 };
	} else if (i + 2 < n && b[i] == 0x0f && b[i + 1] == 0x22) {
		unsigned cr = (b[i + 2] >> 3) & 7;

		if (cr == 0 || cr == 3 || cr == 4)
			*out = (struct arch_story){ ARCH_STORY_SYSREG, "mov",
						    cr == 0 ? X86_CR0 : cr == 3 ? X86_CR3 : X86_CR4 };
	} else if (i + 1 < n && b[i] == 0x0f && b[i + 1] == 0x30) {
		*out = (struct arch_story){ ARCH_STORY_SYSREG, "wrmsr", X86_EFER };
	}
}

static size_t x86_trap_vectors(const struct arch_regs *r, uint64_t *out, size_t max)
{
	(void)r;
	(void)out;
	(void)max;
	return 0;
}

static void x86_call(const struct arch_regs *r, struct arch_call *out)
{
	(void)r;
	memset(out, 0, sizeof *out);
}

static void x86_trap_call(const struct arch_regs *r, const struct arch_trap *t, struct arch_call *out)
{
	(void)r;
	(void)t;
	memset(out, 0, sizeof *out);
}

static void x86_call_result(const struct arch_regs *at_call, const struct arch_regs *back,
			    struct arch_call_result *out)
{
	(void)at_call;
	(void)back;
	memset(out, 0, sizeof *out);
}

/* Going back by undoing a step needs each instruction's memory access
 * decoded; not for x86 yet: going back runs the boot again instead. */
static int x86_plain(const uint8_t *b, size_t n, const struct arch_regs *r, struct arch_access *a)
{
	(void)b;
	(void)n;
	(void)r;
	memset(a, 0, sizeof *a);
	return 0;
}

const struct arch arch_x86_64 = {
	.name = "x86_64",
	.tdesc_arch = "i386:x86-64",
	.mode_key = "mode",
	.toolchain = "",
	.regs = x86_regs,
	.nregs = X86_NREGS,
	.pc = X86_PC,
	.sp = X86_RSP,
	.pc_regs = x86_pc_regs,
	.npc_regs = 3,
	.derive = x86_derive,
	.pc_text = x86_pc_text,
	.insn_align = 1,
	.insn_max = 15,
	.bp_kind = 1,
	.insn_len = x86_insn_len,
	.flow = x86_flow,
	.mode_of = x86_mode_of,
	.mode_regs = x86_mode_regs,
	.nmode_regs = 3,
	.disasm_name = x86_disasm_name,
	.describe = x86_describe,
	.trap = x86_trap,
	.story = x86_story,
	.trap_vectors = x86_trap_vectors,
	.call = x86_call,
	.trap_call = x86_trap_call,
	.call_result = x86_call_result,
	.plain = x86_plain,
};
