#include "sbi.h"

struct sbiret sbi_call(long eid, long fid, long arg0, long arg1, long arg2)
{
	register long a0 asm("a0") = arg0;
	register long a1 asm("a1") = arg1;
	register long a2 asm("a2") = arg2;
	register long a6 asm("a6") = fid;
	register long a7 asm("a7") = eid;

	/* The firmware's trap handler takes it from here (mcause 9, an
	 * environment call from S mode) and mrets back to the next pc. */
	asm volatile("ecall"
		     : "+r"(a0), "+r"(a1)
		     : "r"(a2), "r"(a6), "r"(a7)
		     : "memory");
	return (struct sbiret){ .error = a0, .value = a1 };
}

void sbi_console_putchar(int c)
{
	sbi_call(SBI_EXT_LEGACY_CONSOLE_PUTCHAR, 0, c, 0, 0);
}

void sbi_shutdown(void)
{
	struct sbiret probe = sbi_call(SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION,
				       SBI_EXT_SRST, 0, 0);

	if (probe.error == SBI_SUCCESS && probe.value != 0)
		sbi_call(SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET,
			 SBI_SRST_TYPE_SHUTDOWN, SBI_SRST_REASON_NONE, 0);
	/* Older firmware: the legacy call, which never returns either. */
	sbi_call(SBI_EXT_LEGACY_SHUTDOWN, 0, 0, 0, 0);
	for (;;)
		asm volatile("wfi");
}

long sbi_probe_extension(long eid)
{
	struct sbiret r = sbi_call(SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, eid, 0, 0);

	return r.error == SBI_SUCCESS ? r.value : 0;
}

struct sbiret sbi_hsm_hart_start(unsigned long hartid, unsigned long start, unsigned long opaque)
{
	return sbi_call(SBI_EXT_HSM, SBI_HSM_HART_START, hartid, start, opaque);
}

struct sbiret sbi_hsm_hart_get_status(unsigned long hartid)
{
	return sbi_call(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, hartid, 0, 0);
}
