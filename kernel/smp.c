/* smp.c: the second act: the boot hart wakes the other harts.
 *
 * OpenSBI lets one hart through to the kernel and keeps the others stopped
 * in its HSM (hart state management) until someone asks for them.  Rather
 * than read the device tree, the boot hart asks HSM about each hart id in
 * turn, starts every stopped one at secondary_entry (entry.S) with a stack
 * of its own, and waits until each has said it is up.
 *
 * On one hart nothing here prints, so `make run` shows what it always did.
 */
#include "memlayout.h"
#include "printf.h"
#include "sbi.h"
#include "smp.h"

/* Hart ids asked about: 0..7.  QEMU's virt machine can have more, but only
 * four harts have stacks anyway; a hart above 7 is never found, and stays
 * stopped. */
#define PROBE_HARTS	8
/* The boot hart and the three its stack has slices for (memlayout.h). */
#define MAX_HARTS	(BOOT_STACK_SIZE / HART_STACK_SIZE)
/* How long the boot hart waits for the harts it started, in ticks of the
 * time CSR: QEMU virt's timebase is 10 MHz (its device tree says so), so
 * this is a second, for harts that need microseconds. */
#define WAIT_TICKS	10000000UL

/* secondary_entry (entry.S) sets sp from a1 and calls secondary_main. */
extern char secondary_entry[];
void secondary_main(unsigned long hartid);

/* Held around each line printed while other harts may print: the SBI
 * console takes one character a call, so two harts' lines would mix. */
static int console_lock;
/* Bit id is set by hart id once its line is out. */
static unsigned long harts_up;

static void lock(void)
{
	/* amoswap.w.aq: the acquire keeps this hart's printing after it. */
	while (__atomic_exchange_n(&console_lock, 1, __ATOMIC_ACQUIRE))
		;
}

static void unlock(void)
{
	__atomic_store_n(&console_lock, 0, __ATOMIC_RELEASE);
}

static unsigned long rdtime(void)
{
	unsigned long t;

	asm volatile("rdtime %0" : "=r"(t));
	return t;
}

void secondary_main(unsigned long hartid)
{
	lock();
	printf("hart %lu: up in S mode\n", hartid);
	unlock();
	/* Release: a boot hart that sees the bit sees the line finished. */
	__atomic_fetch_or(&harts_up, 1UL << hartid, __ATOMIC_RELEASE);
}

void smp_start_harts(void)
{
	unsigned long started = 0, no_stack = 0;	/* bit masks of hart ids */
	unsigned long slot = 1;				/* slot 0 is the boot hart's */
	unsigned long id;

	/* Without HSM the others cannot be started, and on one hart there is
	 * nothing to say either: stay quiet. */
	if (!sbi_probe_extension(SBI_EXT_HSM))
		return;
	for (id = 0; id < PROBE_HARTS; id++) {
		struct sbiret r;

		if (id == boot_hart)
			continue;
		r = sbi_hsm_hart_get_status(id);
		if (r.error == SBI_ERR_INVALID_PARAM)
			continue;	/* no such hart */
		if (r.error != SBI_SUCCESS || r.value != SBI_HSM_STATE_STOPPED) {
			lock();
			printf("hart %lu: not stopped (error %ld, state %ld), left alone\n",
			       id, r.error, r.value);
			unlock();
			continue;
		}
		if (slot == MAX_HARTS) {
			no_stack |= 1UL << id;
			continue;
		}
		/* The slot's stack is the slot-th 4 KiB down from the top of the
		 * boot stack; the new hart finds its top in a1. */
		r = sbi_hsm_hart_start(id, (unsigned long)secondary_entry,
				       (unsigned long)boot_stack_top - slot * HART_STACK_SIZE);
		if (r.error != SBI_SUCCESS) {
			lock();
			printf("hart %lu: hart_start failed (error %ld)\n", id, r.error);
			unlock();
			continue;
		}
		started |= 1UL << id;
		slot++;
	}
	if (no_stack) {
		lock();
		printf("not started (stacks for %d harts only):", MAX_HARTS);
		for (id = 0; id < PROBE_HARTS; id++)
			if (no_stack & (1UL << id))
				printf(" %lu", id);
		printf("\n");
		unlock();
	}
	if (started) {
		unsigned long deadline = rdtime() + WAIT_TICKS;

		while ((__atomic_load_n(&harts_up, __ATOMIC_ACQUIRE) & started) != started &&
		       rdtime() < deadline)
			;
		started &= ~__atomic_load_n(&harts_up, __ATOMIC_ACQUIRE);	/* now: the late */
		lock();
		for (id = 0; id < PROBE_HARTS; id++)
			if (started & (1UL << id))
				printf("hart %lu: started, but not up after a second\n", id);
		/* The console stays locked: a hart that comes up even later now
		 * waits for ever instead of breaking into the last lines. */
	}
}
