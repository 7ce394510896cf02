/* arch_riscv64_sbi: SBI calls named the way the SBI specification (v2.0)
 * names them, for the boot's story (issue 11).
 *
 * A kernel in S mode asks the firmware for things with `ecall`: a7 is the
 * extension id (EID), a6 the function id (FID), a0..a5 the arguments.  The
 * firmware answers with an error in a0 and a value in a1 -- except the
 * legacy extensions (EIDs 0x00-0x08), which are one function each, ignore
 * a6 and answer in a0 alone.  See docs/sbi.md.
 *
 * How arguments read (out->args, "name=value" separated by spaces):
 *   - decimal for small counting numbers: hart ids (hartid,
 *     hart_mask_base; all ones reads "all"), counter indexes, byte counts
 *     (num_bytes), ASIDs and VMIDs;
 *   - hex ("0x...") for everything else: addresses, sizes of address
 *     ranges, masks, flags, and ids drawn from the specification's
 *     registries (extension ids, CPPC reg ids, PMU event ids);
 *   - the values the specification names get their name: reset_type
 *     "shutdown", reset_reason "none", the probed extension
 *     "0x53525354 (SRST)";
 *   - a console character reads 'H', '\n', '\x07': printable ASCII as is,
 *     the usual C escapes, the rest as \xNN, so no control byte ever
 *     reaches the screen.
 * When the arguments do not fit they end at a whole argument with "...".
 *
 * These are pure functions: no I/O, no state. */
#ifndef BOOTSCOPE_ARCH_RISCV64_SBI_H
#define BOOTSCOPE_ARCH_RISCV64_SBI_H

#include <stddef.h>
#include <stdint.h>

#include "arch.h"

/* The call a7=eid, a6=fid, a0..a5=a[0..5] makes.  A known extension gives
 * known=1 even for a function it does not define (name "function 0x..",
 * no args, since which registers carry arguments is unknown); an unknown
 * extension gives known=0, ext_name "0x..." and empty name and args. */
void arch_riscv64_sbi_call(uint64_t eid, uint64_t fid, const uint64_t a[6], struct arch_call *out);

/* What that call returned in a0 and a1.  error is a0 as a signed number and
 * error_name its name in the specification's table, or "SBI_ERR (unknown)"
 * (arch_riscv64_sbi_error_str spells out the number).  has_value says
 * whether the function returns a value in a1 (unknown functions: no).
 *
 * Legacy calls have no error code: error still holds a0 as it came back,
 * error_name reads "legacy (no error code)", and console_getchar's value is
 * a0 (the character, or -1 when there is none), since that is where the
 * legacy extensions answer. */
void arch_riscv64_sbi_result(uint64_t eid, uint64_t fid, uint64_t a0, uint64_t a1,
			     struct arch_call_result *out);

/* "SBI_ERR_DENIED" for -4, and "SBI_ERR -12" for a code the table lacks:
 * a caller that wants the number of an unknown error in words. */
void arch_riscv64_sbi_error_str(int64_t error, char *buf, size_t cap);

#endif
