/* smp.h: the other harts, started by the boot hart (smp.c). */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

/* The hart OpenSBI let through to kmain (its a0), set by kmain. */
extern unsigned long boot_hart;

/* Start every other hart OpenSBI holds stopped, up to three (their stacks
 * come from the boot stack), and wait for each to say it is up.  Prints
 * nothing when the boot hart is the only one. */
void smp_start_harts(void);

#endif
