/* err: the one place a library-level failure is described.
 *
 * Library code never prints and never exits: it records one sentence that
 * says what went wrong and what to do, and returns -1.  main() prints it.
 * A later err_set() replaces the message; err_prefix() adds context on the
 * way up ("connecting to the gdbstub: ..."). Both make the message
 * printable (text.h): one line, no control byte, whatever it quotes.
 */
#ifndef BOOTSCOPE_ERR_H
#define BOOTSCOPE_ERR_H

/* Record a message (printf-style) and return -1, so callers can write
 * `return err_set("...")`. */
int err_set(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Put "context: " in front of the current message; returns -1. */
int err_prefix(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The current message ("" if none). */
const char *err_msg(void);

/* Forget the current message. */
void err_clear(void);

#endif
