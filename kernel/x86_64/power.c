/* power.c: ACPI soft-off.
 *
 * ACPI puts the machine to sleep through the PM1a control register:
 * SLP_TYP (bits 10-12) names the sleep state, SLP_EN (bit 13) starts it.
 * A full kernel learns the register's port from the FADT table and S5's
 * SLP_TYP from the \_S5 object of the DSDT.  We take the values SeaBIOS and
 * QEMU use on both PC machines, pc (PIIX4) and q35 (ICH9): the power
 * management block at port 0x600, so PM1a control at 0x604, and S5 as
 * SLP_TYP 0.  QEMU then shuts down as if the power button had been held:
 * it exits with status 0 and its gdbstub tells gdb W00.
 */
#include "power.h"
#include "x86.h"

#define PM1A_CNT	0x604
#define SLP_TYP_S5	(0 << 10)
#define SLP_EN		(1 << 13)

void power_off(void)
{
	outw(PM1A_CNT, SLP_TYP_S5 | SLP_EN);
	for (;;)			/* not on QEMU: nothing more we can do */
		asm volatile("cli; hlt");
}
