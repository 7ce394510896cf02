/* test_csr: the words bootscope puts on CSR values -- trap causes, the
 * fields of mstatus, satp's paging mode, and mtvec/stvec -- checked against
 * the bit positions of the privileged spec (v1.12) and the values this
 * boot really shows (tests/integration/batch.sh). */
#include "check.h"
#include "arch_riscv64.h"

#include <string.h>

#define INTR (1ull << 63)

static void test_causes(void)
{
	static const struct {
		uint64_t cause;
		const char *name;
	} known[] = {
		{ 1, "instruction access fault" },
		{ 2, "illegal instruction" },
		{ 3, "breakpoint" },
		{ 5, "load access fault" },
		{ 7, "store access fault" },
		{ 8, "environment call from U-mode" },
		{ 9, "environment call from S-mode" },
		{ 11, "environment call from M-mode" },
		{ 12, "instruction page fault" },
		{ 13, "load page fault" },
		{ 15, "store page fault" },
		{ INTR | 1, "supervisor software interrupt" },
		{ INTR | 3, "machine software interrupt" },
		{ INTR | 5, "supervisor timer interrupt" },
		{ INTR | 7, "machine timer interrupt" },
		{ INTR | 9, "supervisor external interrupt" },
		{ INTR | 11, "machine external interrupt" },
	};

	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		CHECK_EQ_STR(arch_riscv64_csr_cause_name(known[i].cause), known[i].name);
	/* Reset leaves mcause 0, which is also "misaligned fetch". */
	CHECK(strstr(arch_riscv64_csr_cause_name(0), "none") != NULL);
	/* Reserved codes and codes past every table. */
	CHECK_EQ_STR(arch_riscv64_csr_cause_name(14), "unknown exception");
	CHECK_EQ_STR(arch_riscv64_csr_cause_name(16), "unknown exception");
	CHECK_EQ_STR(arch_riscv64_csr_cause_name(24), "unknown exception");
	CHECK_EQ_STR(arch_riscv64_csr_cause_name(1000), "unknown exception");
	CHECK_EQ_STR(arch_riscv64_csr_cause_name(INTR - 1), "unknown exception");
	CHECK_EQ_STR(arch_riscv64_csr_cause_name(INTR), "unknown interrupt");
	CHECK_EQ_STR(arch_riscv64_csr_cause_name(INTR | 2), "unknown interrupt");
	CHECK_EQ_STR(arch_riscv64_csr_cause_name(INTR | 12), "unknown interrupt");
	CHECK_EQ_STR(arch_riscv64_csr_cause_name(INTR | 64), "unknown interrupt");
	CHECK_EQ_STR(arch_riscv64_csr_cause_name(UINT64_MAX), "unknown interrupt");
	/* An interrupt code never reads as the exception of the same number. */
	CHECK(strcmp(arch_riscv64_csr_cause_name(INTR | 2), arch_riscv64_csr_cause_name(2)) != 0);
}

static void test_mstatus(void)
{
	char buf[128], small[16];

	arch_riscv64_csr_mstatus(0, buf, sizeof buf);
	CHECK_EQ_STR(buf, "MPP=U SPP=U MIE=0 SIE=0 MPIE=0");
	/* MPP (bits 12:11) = S: what an mret to the kernel needs. */
	arch_riscv64_csr_mstatus(1ull << 11, buf, sizeof buf);
	CHECK_EQ_STR(buf, "MPP=S SPP=U MIE=0 SIE=0 MPIE=0");
	arch_riscv64_csr_mstatus(3ull << 11, buf, sizeof buf);
	CHECK_EQ_STR(buf, "MPP=M SPP=U MIE=0 SIE=0 MPIE=0");
	arch_riscv64_csr_mstatus(2ull << 11, buf, sizeof buf);	/* reserved */
	CHECK_EQ_STR(buf, "MPP=? SPP=U MIE=0 SIE=0 MPIE=0");
	/* SPP is bit 8, MIE bit 3, SIE bit 1, MPIE bit 7; each on its own. */
	arch_riscv64_csr_mstatus(1ull << 8, buf, sizeof buf);
	CHECK_EQ_STR(buf, "MPP=U SPP=S MIE=0 SIE=0 MPIE=0");
	arch_riscv64_csr_mstatus(1ull << 3, buf, sizeof buf);
	CHECK_EQ_STR(buf, "MPP=U SPP=U MIE=1 SIE=0 MPIE=0");
	arch_riscv64_csr_mstatus(1ull << 1, buf, sizeof buf);
	CHECK_EQ_STR(buf, "MPP=U SPP=U MIE=0 SIE=1 MPIE=0");
	arch_riscv64_csr_mstatus(1ull << 7, buf, sizeof buf);
	CHECK_EQ_STR(buf, "MPP=U SPP=U MIE=0 SIE=0 MPIE=1");
	/* Neighbouring bits (UBE, SPIE, MPRV, FS, SD) change nothing shown. */
	arch_riscv64_csr_mstatus((1ull << 6) | (1ull << 5) | (1ull << 17) | (3ull << 13) | (1ull << 63), buf, sizeof buf);
	CHECK_EQ_STR(buf, "MPP=U SPP=U MIE=0 SIE=0 MPIE=0");
	/* At the kernel's entry, after OpenSBI's mret: MPP back to U, MPIE
	 * set, FS dirty (the value bootscope reports at stage 3). */
	arch_riscv64_csr_mstatus(0x8000000a00006080ull, buf, sizeof buf);
	CHECK_EQ_STR(buf, "MPP=U SPP=U MIE=0 SIE=0 MPIE=1");
	/* At reset. */
	arch_riscv64_csr_mstatus(0xa00000000ull, buf, sizeof buf);
	CHECK_EQ_STR(buf, "MPP=U SPP=U MIE=0 SIE=0 MPIE=0");
	arch_riscv64_csr_mstatus(UINT64_MAX, buf, sizeof buf);
	CHECK_EQ_STR(buf, "MPP=M SPP=S MIE=1 SIE=1 MPIE=1");

	/* A small buffer is cut, never overrun. */
	memset(small, 'x', sizeof small);
	arch_riscv64_csr_mstatus(1ull << 11, small, 8);
	CHECK_EQ_STR(small, "MPP=S S");
	CHECK(small[8] == 'x' && small[15] == 'x');
	arch_riscv64_csr_mstatus(1ull << 11, small, 1);
	CHECK_EQ_STR(small, "");
}

static void test_satp(void)
{
	CHECK_EQ_STR(arch_riscv64_csr_satp_mode(0), "Bare");
	CHECK_EQ_STR(arch_riscv64_csr_satp_mode(0x123456), "Bare");		/* a PPN, paging off */
	CHECK_EQ_STR(arch_riscv64_csr_satp_mode(8ull << 60), "Sv39");
	CHECK_EQ_STR(arch_riscv64_csr_satp_mode(0x8000000000080400ull), "Sv39");	/* xv6's kernel page table */
	CHECK_EQ_STR(arch_riscv64_csr_satp_mode(9ull << 60), "Sv48");
	CHECK_EQ_STR(arch_riscv64_csr_satp_mode(10ull << 60), "Sv57");
	CHECK_EQ_STR(arch_riscv64_csr_satp_mode(11ull << 60), "reserved");	/* Sv64, not ratified */
	CHECK_EQ_STR(arch_riscv64_csr_satp_mode(1ull << 60), "reserved");
	CHECK_EQ_STR(arch_riscv64_csr_satp_mode(15ull << 60), "reserved");
	CHECK_EQ_STR(arch_riscv64_csr_satp_mode(UINT64_MAX), "reserved");
}

static void test_tvec(void)
{
	char buf[64], small[8];

	arch_riscv64_csr_tvec(0, buf, sizeof buf);
	CHECK_EQ_STR(buf, "direct 0x0");
	/* OpenSBI's mtvec at the kernel's entry. */
	arch_riscv64_csr_tvec(0x80000408, buf, sizeof buf);
	CHECK_EQ_STR(buf, "direct 0x80000408");
	arch_riscv64_csr_tvec(0x80200001, buf, sizeof buf);
	CHECK_EQ_STR(buf, "vectored 0x80200000");
	arch_riscv64_csr_tvec(0xffffffffffffff01ull, buf, sizeof buf);
	CHECK_EQ_STR(buf, "vectored 0xffffffffffffff00");
	/* MODE 2 and 3 are reserved: never "vectored", and the base keeps
	 * its low bits cleared. */
	arch_riscv64_csr_tvec(0x80200002, buf, sizeof buf);
	CHECK(strstr(buf, "vectored") == NULL && strstr(buf, "0x80200000") != NULL);
	memset(small, 'x', sizeof small);
	arch_riscv64_csr_tvec(0x80200001, small, 4);
	CHECK_EQ_STR(small, "vec");
	CHECK(small[4] == 'x');
}

int main(void)
{
	test_causes();
	test_mstatus();
	test_satp();
	test_tvec();
	return check_done();
}
