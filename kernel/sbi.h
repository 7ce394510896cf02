/* sbi.h: calls into the SBI firmware (OpenSBI) below us.
 *
 * An SBI call is an `ecall` from S mode: a7 names the extension (EID), a6
 * the function (FID), a0..a5 carry arguments; the firmware answers in
 * a0 (error) and a1 (value).  Constants from the SBI specification v1.0.
 */
#ifndef KERNEL_SBI_H
#define KERNEL_SBI_H

struct sbiret {
	long error;
	long value;
};

/* Extension ids. */
#define SBI_EXT_LEGACY_CONSOLE_PUTCHAR	0x01
#define SBI_EXT_LEGACY_SHUTDOWN		0x08
#define SBI_EXT_BASE			0x10
#define SBI_EXT_SRST			0x53525354	/* "SRST" */
#define SBI_EXT_HSM			0x48534D	/* "HSM" */

/* BASE functions. */
#define SBI_BASE_GET_SPEC_VERSION	0
#define SBI_BASE_PROBE_EXTENSION	3

/* SRST: system reset. */
#define SBI_SRST_SYSTEM_RESET		0
#define SBI_SRST_TYPE_SHUTDOWN		0
#define SBI_SRST_REASON_NONE		0

/* HSM: hart state management, which holds the harts the kernel has not
 * started yet. */
#define SBI_HSM_HART_START		0
#define SBI_HSM_HART_GET_STATUS		2
#define SBI_HSM_STATE_STOPPED		1

/* Error codes. */
#define SBI_SUCCESS			0
#define SBI_ERR_NOT_SUPPORTED		-2
#define SBI_ERR_INVALID_PARAM		-3

struct sbiret sbi_call(long eid, long fid, long arg0, long arg1, long arg2);

/* Print one character on the firmware's console (legacy extension: OpenSBI
 * 1.1 has no DBCN, see docs/sbi.md). */
void sbi_console_putchar(int c);

/* Power off the machine: SRST if the firmware has it, else the legacy
 * shutdown.  Does not return. */
void sbi_shutdown(void) __attribute__((noreturn));

/* Whether the firmware has extension eid (BASE probe_extension): 0 if not. */
long sbi_probe_extension(long eid);

/* Start hart hartid in S mode at the physical address start, with a0 = its
 * hart id and a1 = opaque. */
struct sbiret sbi_hsm_hart_start(unsigned long hartid, unsigned long start, unsigned long opaque);

/* A hart's HSM state in value (SBI_HSM_STATE_*); error
 * SBI_ERR_INVALID_PARAM if there is no such hart. */
struct sbiret sbi_hsm_hart_get_status(unsigned long hartid);

#endif
