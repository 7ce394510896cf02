/* power.h: turning the PC off, so `make run-x86` ends by itself. */
#ifndef KERNEL_X86_64_POWER_H
#define KERNEL_X86_64_POWER_H

/* ACPI soft-off (S5); never returns. */
void power_off(void) __attribute__((noreturn));

#endif
