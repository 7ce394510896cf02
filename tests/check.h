/* check.h: the unit-test harness, small on purpose.
 *
 * Each test program prints one line per check, "ok - NAME" or
 * "not ok - NAME: why", and exits non-zero if any check failed.  tests/run
 * counts those lines across all tiers (C units, shell integration, tmux TUI)
 * and prints the closing "N passed, N failed".
 *
 *	CHECK(expr)              a condition
 *	CHECK_EQ_U64(got, want)  two integers, printed in hex when they differ
 *	CHECK_EQ_STR(got, want)  two strings
 *	return check_done();     at the end of main
 */
#ifndef BOOTSCOPE_CHECK_H
#define BOOTSCOPE_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int check_failed;

static inline int check_report(int ok, const char *file, int line, const char *what, const char *why)
{
	if (ok)
		printf("ok - %s:%d %s\n", file, line, what);
	else {
		printf("not ok - %s:%d %s: %s\n", file, line, what, why);
		check_failed = 1;
	}
	fflush(stdout);
	return ok;
}

#define CHECK(expr) check_report(!!(expr), __FILE__, __LINE__, #expr, "false")

#define CHECK_EQ_U64(got, want) do { \
	uint64_t g_ = (uint64_t)(got), w_ = (uint64_t)(want); \
	char why_[96]; \
	snprintf(why_, sizeof why_, "got 0x%" PRIx64 ", want 0x%" PRIx64, g_, w_); \
	check_report(g_ == w_, __FILE__, __LINE__, #got " == " #want, why_); \
} while (0)

#define CHECK_EQ_STR(got, want) do { \
	const char *g_ = (got), *w_ = (want); \
	char why_[512]; \
	snprintf(why_, sizeof why_, "got \"%s\", want \"%s\"", g_ ? g_ : "(null)", w_); \
	check_report(g_ && strcmp(g_, w_) == 0, __FILE__, __LINE__, #got " == " #want, why_); \
} while (0)

static inline int check_done(void)
{
	return check_failed;
}

#endif
