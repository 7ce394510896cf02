/* csr: what the bits of the key RISC-V CSRs mean, for people.
 *
 * The privileged spec packs the boot's story into a few registers: mstatus
 * says which mode an mret returns to (MPP) and whether interrupts are on,
 * mcause/scause say why a trap happened, satp says whether paging is on.
 * These helpers turn values into short words; they never draw.
 */
#ifndef BOOTSCOPE_CSR_H
#define BOOTSCOPE_CSR_H

#include <stddef.h>
#include <stdint.h>

/* "illegal instruction", "environment call from S-mode", "supervisor timer
 * interrupt", ... for an mcause/scause value; 0 reads "none (or misaligned
 * fetch)", since the two cannot be told apart. */
const char *csr_cause_name(uint64_t cause);

/* "MPP=S SPP=U MIE=0 SIE=0 MPIE=1" for mstatus; sstatus has no MPP. */
void csr_mstatus_describe(uint64_t mstatus, char *buf, size_t cap);

/* "Bare", "Sv39", "Sv48", "Sv57" for satp's MODE. */
const char *csr_satp_mode(uint64_t satp);

/* "direct"/"vectored"/"reserved" and the base address, for mtvec/stvec. */
void csr_tvec_describe(uint64_t tvec, char *buf, size_t cap);

#endif
