/* arch_riscv64_csr: what the bits of the key RISC-V CSRs mean, for people.
 *
 * The privileged spec packs the boot's story into a few registers: mstatus
 * says which mode an mret returns to (MPP) and whether interrupts are on,
 * mcause/scause say why a trap happened, satp says whether paging is on.
 * These helpers turn values into short words; they never draw. */
#include "arch_riscv64.h"

#include <inttypes.h>
#include <stdio.h>

#define CAUSE_INTERRUPT (1ull << 63)

static const char *const exceptions[] = {
	[0] = "instruction address misaligned",
	[1] = "instruction access fault",
	[2] = "illegal instruction",
	[3] = "breakpoint",
	[4] = "load address misaligned",
	[5] = "load access fault",
	[6] = "store address misaligned",
	[7] = "store access fault",
	[8] = "environment call from U-mode",
	[9] = "environment call from S-mode",
	[10] = "environment call from VS-mode",
	[11] = "environment call from M-mode",
	[12] = "instruction page fault",
	[13] = "load page fault",
	[15] = "store page fault",
	[20] = "instruction guest-page fault",
	[21] = "load guest-page fault",
	[22] = "virtual instruction",
	[23] = "store guest-page fault",
};

static const char *const interrupts[] = {
	[1] = "supervisor software interrupt",
	[3] = "machine software interrupt",
	[5] = "supervisor timer interrupt",
	[7] = "machine timer interrupt",
	[9] = "supervisor external interrupt",
	[11] = "machine external interrupt",
};

const char *arch_riscv64_csr_cause_name(uint64_t cause)
{
	uint64_t code = cause & ~CAUSE_INTERRUPT;

	if (cause & CAUSE_INTERRUPT) {
		if (code < sizeof interrupts / sizeof interrupts[0] && interrupts[code])
			return interrupts[code];
		return "unknown interrupt";
	}
	if (cause == 0)
		return "none (or misaligned fetch)";
	if (code < sizeof exceptions / sizeof exceptions[0] && exceptions[code])
		return exceptions[code];
	return "unknown exception";
}

static char mode_letter(unsigned m)
{
	static const char letters[] = "US?M";

	return letters[m & 3];
}

void arch_riscv64_csr_mstatus(uint64_t v, char *buf, size_t cap)
{
	/* Field positions from the privileged spec, v1.12, mstatus. */
	snprintf(buf, cap, "MPP=%c SPP=%c MIE=%u SIE=%u MPIE=%u",
		 mode_letter((unsigned)(v >> 11) & 3), (v >> 8) & 1 ? 'S' : 'U',
		 (unsigned)(v >> 3) & 1, (unsigned)(v >> 1) & 1, (unsigned)(v >> 7) & 1);
}

const char *arch_riscv64_csr_satp_mode(uint64_t satp)
{
	switch (satp >> 60) {
	case 0: return "Bare";
	case 8: return "Sv39";
	case 9: return "Sv48";
	case 10: return "Sv57";
	default: return "reserved";
	}
}

void arch_riscv64_csr_tvec(uint64_t tvec, char *buf, size_t cap)
{
	static const char *const modes[] = { "direct", "vectored", "reserved", "reserved" };

	snprintf(buf, cap, "%s 0x%" PRIx64, modes[tvec & 3], tvec & ~(uint64_t)3);
}
