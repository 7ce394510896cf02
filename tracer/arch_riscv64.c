/* arch_riscv64: RV64 (see arch.h), as QEMU 7.2's gdbstub describes it.
 *
 * QEMU offers the privilege level as a virtual register "priv" and every
 * CSR by name in its target description (docs/qemu-gdbstub.md), so the
 * mode and the CSRs below are read like any other register. */
#include "arch_riscv64.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "arch_riscv64_sbi.h"
#include "bytes.h"


#define GPR(n, l) { n, l, ARCH_REG_GENERAL, 0 }
#define CSR(n) { n, n, ARCH_REG_SYSTEM, 0 }

/* pc first (it takes x0's place on the screen: zero never changes), the
 * 32 integer registers by ABI name, priv, and the CSRs that tell the
 * boot's story, in the order the batch report lists them. */
static const struct arch_reg rv_regs[RV_NREGS] = {
	[RV_PC] = { "pc", "pc", ARCH_REG_PC, 0 },
	[RV_X0] = { "zero", "zero", ARCH_REG_GENERAL, 1 },
	GPR("ra", "ra"), GPR("sp", "sp"), GPR("gp", "gp"), GPR("tp", "tp"),
	GPR("t0", "t0"), GPR("t1", "t1"), GPR("t2", "t2"), GPR("fp", "s0"), GPR("s1", "s1"),
	GPR("a0", "a0"), GPR("a1", "a1"), GPR("a2", "a2"), GPR("a3", "a3"),
	GPR("a4", "a4"), GPR("a5", "a5"), GPR("a6", "a6"), GPR("a7", "a7"),
	GPR("s2", "s2"), GPR("s3", "s3"), GPR("s4", "s4"), GPR("s5", "s5"),
	GPR("s6", "s6"), GPR("s7", "s7"), GPR("s8", "s8"), GPR("s9", "s9"),
	GPR("s10", "s10"), GPR("s11", "s11"),
	GPR("t3", "t3"), GPR("t4", "t4"), GPR("t5", "t5"), GPR("t6", "t6"),
	[RV_PRIV] = { "priv", "priv", ARCH_REG_MODE, 0 },
	CSR("mstatus"), CSR("mtvec"), CSR("mepc"), CSR("mcause"), CSR("mtval"),
	CSR("medeleg"), CSR("mideleg"), CSR("satp"), CSR("sstatus"), CSR("stvec"),
	CSR("sepc"), CSR("scause"), CSR("stval"),
};

void arch_riscv64_mode(uint64_t priv, struct arch_mode *out)
{
	static const char *const names[] = { "U", "S", "?", "M" };

	*out = (struct arch_mode){ .known = priv <= 3 && priv != 2, .ring = -1, .name = "?" };
	if (out->known) {
		out->level = (int)priv;
		out->name = names[priv];
	}
}

static const size_t rv_mode_regs[] = { RV_PRIV };

static const size_t rv_pc_regs[] = { RV_PC };

static void rv_mode_of(const struct arch_regs *r, struct arch_mode *out)
{
	if (r->ok[RV_PRIV])
		arch_riscv64_mode(r->v[RV_PRIV], out);
	else
		arch_riscv64_mode(UINT64_MAX, out);
}

/* The two low bits say 16 (anything but 11) or 32 bits; longer encodings
 * are reserved and left to libopcodes, which prints them as .insn. */
static unsigned rv_insn_len(const uint8_t *b, size_t n)
{
	return n ? ((b[0] & 3) == 3 ? 4 : 2) : 0;
}

/* Bits [hi:lo] of v, moved down to bit 0. */
static uint32_t bits(uint32_t v, unsigned hi, unsigned lo)
{
	return (v >> lo) & ((1u << (hi - lo + 1)) - 1);
}

static int64_t sext(uint32_t v, unsigned width)
{
	return (int64_t)((uint64_t)v << (64 - width)) >> (64 - width);
}

static int is_link(unsigned r)
{
	return r == 1 || r == 5;	/* ra, t0: the calling convention's links */
}

/* The immediates are scattered over the encoding (the ISA manual's
 * figures for J-, B-, CJ- and CB-type); reassembled here. */
static void rv_flow(const uint8_t *b, size_t n, uint64_t pc, struct arch_flow *out)
{
	unsigned len = rv_insn_len(b, n);
	uint32_t i;

	*out = (struct arch_flow){ ARCH_FLOW_NONE, 0, 0 };
	if (len == 0 || n < len)
		return;
	i = (uint32_t)bytes_le(b, len);
	if (len == 4) {
		unsigned rd = bits(i, 11, 7), rs1 = bits(i, 19, 15);

		switch (i & 0x7f) {
		case 0x6f:	/* jal */
			out->kind = is_link(rd) ? ARCH_FLOW_CALL : ARCH_FLOW_JUMP;
			out->has_target = 1;
			out->target = pc + (uint64_t)sext(bits(i, 31, 31) << 20 | bits(i, 19, 12) << 12 |
							 bits(i, 20, 20) << 11 | bits(i, 30, 21) << 1, 21);
			return;
		case 0x63:	/* beq, bne, blt, bge, bltu, bgeu */
			if (bits(i, 14, 12) == 2 || bits(i, 14, 12) == 3)
				return;	/* reserved */
			out->kind = ARCH_FLOW_BRANCH;
			out->has_target = 1;
			out->target = pc + (uint64_t)sext(bits(i, 31, 31) << 12 | bits(i, 7, 7) << 11 |
							 bits(i, 30, 25) << 5 | bits(i, 11, 8) << 1, 13);
			return;
		case 0x67:	/* jalr */
			if (bits(i, 14, 12) != 0)
				return;
			out->kind = is_link(rd) ? ARCH_FLOW_CALL
				  : rd == 0 && is_link(rs1) && bits(i, 31, 20) == 0 ? ARCH_FLOW_RETURN
				  : ARCH_FLOW_INDIRECT;
			return;
		}
		return;
	}
	unsigned op = i & 3, f3 = bits(i, 15, 13);

	if (op == 1 && f3 == 5) {	/* c.j */
		out->kind = ARCH_FLOW_JUMP;
		out->has_target = 1;
		out->target = pc + (uint64_t)sext(bits(i, 12, 12) << 11 | bits(i, 8, 8) << 10 |
						 bits(i, 10, 9) << 8 | bits(i, 6, 6) << 7 | bits(i, 7, 7) << 6 |
						 bits(i, 2, 2) << 5 | bits(i, 11, 11) << 4 | bits(i, 5, 3) << 1, 12);
	} else if (op == 1 && (f3 == 6 || f3 == 7)) {	/* c.beqz, c.bnez */
		out->kind = ARCH_FLOW_BRANCH;
		out->has_target = 1;
		out->target = pc + (uint64_t)sext(bits(i, 12, 12) << 8 | bits(i, 6, 5) << 6 |
						 bits(i, 2, 2) << 5 | bits(i, 11, 10) << 3 | bits(i, 4, 3) << 1, 9);
	} else if (op == 2 && f3 == 4 && bits(i, 11, 7) != 0 && bits(i, 6, 2) == 0) {
		unsigned rs1 = bits(i, 11, 7);	/* c.jr, c.jalr */

		out->kind = bits(i, 12, 12) ? ARCH_FLOW_CALL : is_link(rs1) ? ARCH_FLOW_RETURN : ARCH_FLOW_INDIRECT;
	}
}

static const char *rv_disasm_name(const struct arch_mode *m)
{
	(void)m;	/* one encoding in every mode */
	return "riscv:rv64";
}

static int changed(const struct arch_regs *r, const struct arch_regs *prev, int i)
{
	return prev && r->v[i] != prev->v[i];
}

static struct arch_line *line(struct arch_line *l, int changed_, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static struct arch_line *line(struct arch_line *l, int changed_, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(l->text, sizeof l->text, fmt, ap);
	va_end(ap);
	l->changed = changed_;
	return l + 1;
}

static size_t rv_describe(const struct arch_regs *r, const struct arch_regs *prev,
			  struct arch_line *out, size_t max)
{
	struct arch_line buf[16], *l = buf;
	const uint64_t *v = r->v;
	char what[96], m[48], t[48];

	/* Most telling first, so a short panel keeps what matters. */
	arch_riscv64_csr_mstatus(v[RV_MSTATUS], what, sizeof what);
	l = line(l, changed(r, prev, RV_MSTATUS), "mstatus 0x%" PRIx64 " %s", v[RV_MSTATUS], what);
	l = line(l, changed(r, prev, RV_MCAUSE), "mcause 0x%" PRIx64 " %s", v[RV_MCAUSE],
		 arch_riscv64_csr_cause_name(v[RV_MCAUSE]));
	l = line(l, changed(r, prev, RV_MEPC) || changed(r, prev, RV_MTVEC) || changed(r, prev, RV_SATP),
		 "mepc 0x%" PRIx64 "  mtvec 0x%" PRIx64 "  satp %s", v[RV_MEPC], v[RV_MTVEC],
		 arch_riscv64_csr_satp_mode(v[RV_SATP]));
	l = line(l, changed(r, prev, RV_SEPC) || changed(r, prev, RV_SCAUSE) || changed(r, prev, RV_STVEC),
		 "sepc 0x%" PRIx64 "  scause 0x%" PRIx64 "  stvec 0x%" PRIx64, v[RV_SEPC], v[RV_SCAUSE],
		 v[RV_STVEC]);
	/* The rest, one per line, when there is room. */
	static const int rest[] = { RV_MTVAL, RV_MEDELEG, RV_MIDELEG, RV_SATP, RV_SSTATUS, RV_STVAL };
	for (size_t i = 0; i < sizeof rest / sizeof rest[0]; i++)
		if (r->ok[rest[i]])
			l = line(l, changed(r, prev, rest[i]), "%-8s 0x%016" PRIx64, rv_regs[rest[i]].name,
				 v[rest[i]]);
	/* Where traps go, in words. */
	arch_riscv64_csr_tvec(v[RV_MTVEC], m, sizeof m);
	arch_riscv64_csr_tvec(v[RV_STVEC], t, sizeof t);
	l = line(l, 0, "mtvec %s", m);
	l = line(l, 0, "stvec %s", t);
	if (v[RV_SCAUSE])
		l = line(l, 0, "scause: %s", arch_riscv64_csr_cause_name(v[RV_SCAUSE]));

	size_t n = (size_t)(l - buf) < max ? (size_t)(l - buf) : max;
	memcpy(out, buf, n * sizeof *out);
	return n;
}

/* M mode's trap registers, or S mode's; U mode has none of its own. */
static void rv_trap(const struct arch_regs *r, const struct arch_mode *m, struct arch_trap *out)
{
	int machine = m->known && m->level == 3;
	int cause = machine ? RV_MCAUSE : RV_SCAUSE, epc = machine ? RV_MEPC : RV_SEPC;
	int tval = machine ? RV_MTVAL : RV_STVAL, tvec = machine ? RV_MTVEC : RV_STVEC;

	*out = (struct arch_trap){
		.known = m->known && (m->level == 3 || m->level == 1) && r->ok[cause],
		.cause = r->v[cause], .pc = r->v[epc], .value = r->v[tval],
		.interrupt = (r->v[cause] >> 63) & 1,
		.cause_name = arch_riscv64_csr_cause_name(r->v[cause]),
		.cause_reg = rv_regs[cause].name, .pc_reg = rv_regs[epc].name,
		.value_reg = rv_regs[tval].name, .vector_reg = rv_regs[tvec].name,
	};
	/* The mode trapped from is kept in mstatus.MPP (bits 12:11) for M,
	 * sstatus.SPP (bit 8) for S. */
	if (machine && r->ok[RV_MSTATUS])
		arch_riscv64_mode((r->v[RV_MSTATUS] >> 11) & 3, &out->from);
	else if (!machine && r->ok[RV_SSTATUS])
		arch_riscv64_mode((r->v[RV_SSTATUS] >> 8) & 1, &out->from);
	else
		arch_riscv64_mode(UINT64_MAX, &out->from);
}

/* The CSRs whose writes change how the machine boots, by CSR number. */
static const struct { unsigned csr; int reg; } rv_story_csrs[] = {
	{ 0x305, RV_MTVEC }, { 0x105, RV_STVEC }, { 0x180, RV_SATP },
	{ 0x302, RV_MEDELEG }, { 0x303, RV_MIDELEG },
};

static void rv_story(const uint8_t *b, size_t n, struct arch_story *out)
{
	uint32_t i;

	*out = (struct arch_story){ ARCH_STORY_NONE, "", -1 };
	if (rv_insn_len(b, n) != 4 || n < 4)
		return;
	i = (uint32_t)bytes_le(b, 4);
	switch (i) {
	case 0x00000073: *out = (struct arch_story){ ARCH_STORY_CALL, "ecall", -1 }; return;
	case 0x30200073: *out = (struct arch_story){ ARCH_STORY_RETURN, "mret", -1 }; return;
	case 0x10200073: *out = (struct arch_story){ ARCH_STORY_RETURN, "sret", -1 }; return;
	case 0x10500073: *out = (struct arch_story){ ARCH_STORY_WAIT, "wfi", -1 }; return;
	}
	unsigned f3 = bits(i, 14, 12), src = bits(i, 19, 15);

	/* csrrw/csrrwi always write; csrrs/csrrc and their immediate forms
	 * only with a nonzero source (else they are reads). */
	if ((i & 0x7f) != 0x73 || f3 == 0 || f3 == 4 || ((f3 & 3) != 1 && src == 0))
		return;
	for (size_t k = 0; k < sizeof rv_story_csrs / sizeof rv_story_csrs[0]; k++)
		if (rv_story_csrs[k].csr == bits(i, 31, 20)) {
			*out = (struct arch_story){ ARCH_STORY_SYSREG, "csr write", rv_story_csrs[k].reg };
			return;
		}
}

/* tvec's low two bits: 0 direct (every trap at the base), 1 vectored
 * (interrupt i at base + 4 * i). */
static size_t rv_trap_vectors(const struct arch_regs *r, uint64_t *out, size_t max)
{
	static const int tvecs[] = { RV_MTVEC, RV_STVEC };
	size_t n = 0;

	for (size_t k = 0; k < 2; k++) {
		uint64_t v = r->v[tvecs[k]], base = v & ~(uint64_t)3;

		if (!r->ok[tvecs[k]])
			continue;
		for (unsigned irq = 0; irq < ((v & 3) == 1 ? 16 : 1) && n < max; irq++) {
			uint64_t at = base + 4 * irq;
			size_t j = 0;

			while (j < n && out[j] != at)
				j++;
			if (j == n)
				out[n++] = at;
		}
	}
	return n;
}

/* An ecall from S mode is an SBI call: a7 the extension, a6 the function,
 * a0-a5 the arguments; a0 and a1 hold the answer once back in S mode. */
static void rv_sbi(const struct arch_regs *r, struct arch_call *out)
{
	uint64_t a[6];

	for (int k = 0; k < 6; k++)
		a[k] = r->v[RV_X0 + 10 + k];
	arch_riscv64_sbi_call(r->v[RV_X0 + 17], r->v[RV_X0 + 16], a, out);
	out->iface = "SBI";
}

static void rv_call(const struct arch_regs *r, struct arch_call *out)
{
	memset(out, 0, sizeof *out);
	if (r->ok[RV_PRIV] && r->v[RV_PRIV] == 1)
		rv_sbi(r, out);
}

/* The trap of an SBI call: in M mode, mcause 9 (environment call from S
 * mode); the ecall left a0-a7 as they were. */
static void rv_trap_call(const struct arch_regs *r, const struct arch_trap *t, struct arch_call *out)
{
	memset(out, 0, sizeof *out);
	if (t->known && !t->interrupt && t->cause == 9 && r->ok[RV_PRIV] && r->v[RV_PRIV] == 3)
		rv_sbi(r, out);
}

static void rv_call_result(const struct arch_regs *at_call, const struct arch_regs *back,
			   struct arch_call_result *out)
{
	arch_riscv64_sbi_result(at_call->v[RV_X0 + 17], at_call->v[RV_X0 + 16], back->v[RV_X0 + 10],
				back->v[RV_X0 + 11], out);
}

const struct arch arch_riscv64 = {
	.name = "riscv64",
	.tdesc_arch = "riscv:rv64",
	.mode_key = "priv",
	.toolchain = "riscv64-unknown-elf-",
	.regs = rv_regs,
	.nregs = RV_NREGS,
	.pc = RV_PC,
	.sp = RV_SP,
	.pc_regs = rv_pc_regs,
	.npc_regs = 1,
	.insn_align = 2,
	.insn_max = 22,		/* the reserved 80..176-bit encodings libopcodes knows */
	.bp_kind = 4,
	.insn_len = rv_insn_len,
	.flow = rv_flow,
	.mode_of = rv_mode_of,
	.mode_regs = rv_mode_regs,
	.nmode_regs = 1,
	.disasm_name = rv_disasm_name,
	.describe = rv_describe,
	.trap = rv_trap,
	.story = rv_story,
	.trap_vectors = rv_trap_vectors,
	.call = rv_call,
	.plain = arch_riscv64_plain,
	.trap_call = rv_trap_call,
	.call_result = rv_call_result,
};
