/* clock: the one monotonic clock every time-out is measured on. */
#ifndef BOOTSCOPE_CLOCK_H
#define BOOTSCOPE_CLOCK_H

/* Milliseconds since some fixed point; never jumps with the wall clock. */
long long clock_ms(void);

#endif
