/* arch_riscv64_plain: which RISC-V instructions a step can be undone
 * over by writing back registers and memory (arch.h's `plain`).
 *
 * Plain are the integer instructions of RV64I and M, and their compressed
 * forms: they change one general register and the pc, and a store also
 * the bytes it writes.  Everything else is not: CSR accesses, floating
 * point, atomics and LR/SC (the reservation is hidden state), fences,
 * ecall, ebreak, mret, sret, wfi.  An access is only plain where its
 * address is the physical one the caller can check against RAM: in M
 * mode without MPRV, or with satp's translation off.
 */
#include "arch_riscv64.h"

#include <string.h>

static uint64_t x(const struct arch_regs *r, unsigned n)
{
	return n ? r->v[RV_X0 + n] : 0;
}

static int64_t sext(uint64_t v, unsigned bits)
{
	uint64_t m = 1ull << (bits - 1);

	return (int64_t)((v ^ m) - m);
}

static unsigned bits(uint32_t i, unsigned hi, unsigned lo)
{
	return (i >> lo) & ((1u << (hi - lo + 1)) - 1);
}

static int access(struct arch_access *a, uint64_t addr, unsigned len, int store)
{
	a->addr = addr;
	a->len = len;
	a->store = store;
	return 1;
}

static int plain32(uint32_t i, const struct arch_regs *r, struct arch_access *a)
{
	unsigned f3 = bits(i, 14, 12), rs1 = bits(i, 19, 15);

	switch (i & 0x7f) {
	case 0x37: case 0x17: case 0x6f: case 0x63:	/* lui auipc jal branches */
	case 0x13: case 0x1b: case 0x33: case 0x3b:	/* op-imm(-32), op(-32), M */
		return 1;
	case 0x67:					/* jalr */
		return f3 == 0;
	case 0x03:					/* loads */
		if (f3 == 7)
			return 0;
		return access(a, x(r, rs1) + (uint64_t)sext(bits(i, 31, 20), 12), 1u << (f3 & 3), 0);
	case 0x23:					/* stores */
		if (f3 > 3)
			return 0;
		return access(a, x(r, rs1) + (uint64_t)sext(bits(i, 31, 25) << 5 | bits(i, 11, 7), 12), 1u << f3, 1);
	default:
		return 0;
	}
}

static int plain16(uint32_t i, const struct arch_regs *r, struct arch_access *a)
{
	unsigned f3 = bits(i, 15, 13), rs1c = 8 + bits(i, 9, 7);
	uint64_t sp = x(r, 2);

	switch ((i & 3) << 3 | f3) {
	case 000:					/* c.addi4spn */
		return bits(i, 12, 5) != 0;
	case 002: case 006:				/* c.lw, c.sw */
		return access(a, x(r, rs1c) + (bits(i, 12, 10) << 3 | bits(i, 6, 6) << 2 | bits(i, 5, 5) << 6), 4,
			      f3 == 6);
	case 003: case 007:				/* c.ld, c.sd */
		return access(a, x(r, rs1c) + (bits(i, 12, 10) << 3 | bits(i, 6, 5) << 6), 8, f3 == 7);
	case 010: case 011: case 012: case 013:		/* c.addi c.addiw c.li c.lui/addi16sp */
	case 014: case 015: case 016: case 017:		/* alu, c.j, c.beqz, c.bnez */
	case 020:					/* c.slli */
		return 1;
	case 022:					/* c.lwsp */
		return access(a, sp + (bits(i, 12, 12) << 5 | bits(i, 6, 4) << 2 | bits(i, 3, 2) << 6), 4, 0);
	case 023:					/* c.ldsp */
		return access(a, sp + (bits(i, 12, 12) << 5 | bits(i, 6, 5) << 3 | bits(i, 4, 2) << 6), 8, 0);
	case 024:					/* c.jr c.mv c.jalr c.add; not c.ebreak */
		return !(bits(i, 12, 12) && bits(i, 11, 7) == 0 && bits(i, 6, 2) == 0);
	case 026:					/* c.swsp */
		return access(a, sp + (bits(i, 12, 9) << 2 | bits(i, 8, 7) << 6), 4, 1);
	case 027:					/* c.sdsp */
		return access(a, sp + (bits(i, 12, 10) << 3 | bits(i, 9, 7) << 6), 8, 1);
	default:
		return 0;
	}
}

int arch_riscv64_plain(const uint8_t *b, size_t n, const struct arch_regs *r, struct arch_access *a)
{
	memset(a, 0, sizeof *a);
	if (n < 2 || !r->ok[RV_PRIV] || !r->ok[RV_MSTATUS] || !r->ok[RV_SATP])
		return 0;
	/* The address the instruction uses is the physical one. */
	int machine = r->v[RV_PRIV] == 3 && !((r->v[RV_MSTATUS] >> 17) & 1);	/* MPRV */
	if (!machine && (r->v[RV_SATP] >> 60) != 0)
		return 0;
	if ((b[0] & 3) != 3)
		return plain16((uint32_t)b[0] | (uint32_t)b[1] << 8, r, a);
	if (n < 4 || (b[0] & 0x1f) == 0x1f)
		return 0;
	return plain32((uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24, r, a);
}
