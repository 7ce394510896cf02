/* arch_riscv64: RV64 as QEMU's gdbstub shows it (see arch.h).
 *
 * The decoding helpers below are exported for the virt board (which
 * knows the mode a firmware hands over in) and for the unit tests. */
#ifndef BOOTSCOPE_ARCH_RISCV64_H
#define BOOTSCOPE_ARCH_RISCV64_H

#include <stddef.h>
#include <stdint.h>

#include "arch.h"

extern const struct arch arch_riscv64;

/* Indexes into its register table (struct arch's regs). */
enum {
	RV_PC, RV_X0, RV_SP = RV_X0 + 2, RV_PRIV = RV_X0 + 32,
	RV_MSTATUS, RV_MTVEC, RV_MEPC, RV_MCAUSE, RV_MTVAL, RV_MEDELEG, RV_MIDELEG,
	RV_SATP, RV_SSTATUS, RV_STVEC, RV_SEPC, RV_SCAUSE, RV_STVAL, RV_NREGS
};

/* arch_riscv64_plain.c: the arch's `plain`. */
int arch_riscv64_plain(const uint8_t *b, size_t n, const struct arch_regs *r, struct arch_access *a);

/* The mode for a privilege level as QEMU's priv register and
 * fw_dynamic_info's next_mode encode it: 0 U, 1 S, 3 M; unknown else. */
void arch_riscv64_mode(uint64_t priv, struct arch_mode *out);

/* "illegal instruction", "environment call from S-mode", "supervisor timer
 * interrupt", ... for an mcause/scause value; 0 reads "none (or misaligned
 * fetch)", since the two cannot be told apart. */
const char *arch_riscv64_csr_cause_name(uint64_t cause);

/* "MPP=S SPP=U MIE=0 SIE=0 MPIE=1" for mstatus; sstatus has no MPP. */
void arch_riscv64_csr_mstatus(uint64_t mstatus, char *buf, size_t cap);

/* "Bare", "Sv39", "Sv48", "Sv57" for satp's MODE. */
const char *arch_riscv64_csr_satp_mode(uint64_t satp);

/* "direct"/"vectored"/"reserved" and the base address, for mtvec/stvec. */
void arch_riscv64_csr_tvec(uint64_t tvec, char *buf, size_t cap);

#endif
