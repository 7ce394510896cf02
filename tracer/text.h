/* text: bytes from outside made printable before they reach a terminal.
 *
 * QEMU's stderr, the guest's console, a gdbstub's replies and the names in
 * an ELF are not bootscope's: a hostile or broken one may hold escape
 * sequences (a title change, a screen clear, a cursor move) or newlines
 * that would act on the user's terminal or split a one-line message.
 *
 * The rule, one notation for everything: valid UTF-8 printable text is
 * kept as it is; every byte that is a C0 control (0x00-0x1f, so also ESC,
 * CR, LF and TAB), DEL (0x7f), the first byte of a C1 control (U+0080 to
 * U+009F, encoded 0xc2 0x80-0x9f) or not part of valid UTF-8 (a stray
 * continuation, an overlong form, a surrogate, past U+10FFFF, a sequence
 * cut short) is written as \xHH, two lowercase hex digits: ESC is \x1b, a
 * newline \x0a.  A backslash is kept as it is, so bootscope's own text is
 * never changed; the output never holds a control byte, and making it
 * printable again changes nothing.
 *
 * TEXT_CONSOLE is for a guest's console shown as lines: newline and tab are
 * kept, CR is dropped (the serial console ends lines with \r\n), and the
 * rest as above.
 */
#ifndef BOOTSCOPE_TEXT_H
#define BOOTSCOPE_TEXT_H

#include <stddef.h>
#include <stdio.h>

#define TEXT_CONSOLE 1u

/* The longest printable form of one character, with its NUL. */
#define TEXT_CHAR_MAX 5

/* How many bytes the valid UTF-8 character at src (len > 0) takes, or 0 if
 * its first byte starts none (RFC 3629: no overlong forms, no surrogates,
 * nothing past U+10FFFF). */
size_t text_utf8_len(const char *src, size_t len);

/* The printable form of the character at src (len > 0) into out, NUL-
 * terminated ("" for a dropped CR); returns how many bytes of src it
 * takes, at least 1. */
size_t text_char(const char *src, size_t len, unsigned flags, char out[TEXT_CHAR_MAX]);

/* src[0..len) made printable into dst, cut short at a character's edge if
 * cap is too small; always NUL-terminated when cap > 0.  Returns the
 * length written. */
size_t text_printable(char *dst, size_t cap, const char *src, size_t len, unsigned flags);

/* src[0..len) made printable, written to out. */
void text_write(FILE *out, const char *src, size_t len, unsigned flags);

/* The same for a string (one line: no flags). */
void text_puts(FILE *out, const char *s);

#endif
