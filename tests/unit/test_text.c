/* test_text: outside bytes made printable (text.h): controls, C1 and bad
 * UTF-8 as \xHH, good UTF-8 kept, the console's newline and tab kept, and
 * never a byte past the buffer nor a character cut in half. */
#include "check.h"
#include "text.h"

#include <string.h>

static const char *p(const char *s, size_t len, unsigned flags)
{
	static char buf[256];

	text_printable(buf, sizeof buf, s, len, flags);
	return buf;
}

#define P(lit) p(lit, sizeof lit - 1, 0)
#define C(lit) p(lit, sizeof lit - 1, TEXT_CONSOLE)

int main(void)
{
	/* bootscope's own text passes unchanged */
	CHECK_EQ_STR(P("QEMU exited with status 1: a\\b \"x\" (try again)"),
		     "QEMU exited with status 1: a\\b \"x\" (try again)");
	/* C0, ESC, DEL, and NUL inside the length */
	CHECK_EQ_STR(P("\033]0;pwned\007hi"), "\\x1b]0;pwned\\x07hi");
	CHECK_EQ_STR(P("a\nb\rc\td"), "a\\x0ab\\x0dc\\x09d");
	CHECK_EQ_STR(P("x\177y"), "x\\x7fy");
	CHECK_EQ_STR(P("a\0b"), "a\\x00b");
	/* UTF-8 kept: 2, 3 and 4 bytes; U+00A0 is the first past C1 */
	CHECK_EQ_STR(P("\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xc2\xa0"), "\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xc2\xa0");
	/* C1 controls: CSI (U+009B) acts like ESC [ on some terminals */
	CHECK_EQ_STR(P("\xc2\x9b" "2J\xc2\x80\xc2\x9f"), "\\xc2\\x9b2J\\xc2\\x80\\xc2\\x9f");
	/* not UTF-8: a stray continuation, an overlong '/', a surrogate,
	 * past U+10FFFF, 0xff, a sequence cut short by the length */
	CHECK_EQ_STR(P("\x80"), "\\x80");
	CHECK_EQ_STR(P("\xc0\xaf"), "\\xc0\\xaf");
	CHECK_EQ_STR(P("\xe0\x80\xaf"), "\\xe0\\x80\\xaf");
	CHECK_EQ_STR(P("\xed\xa0\x80"), "\\xed\\xa0\\x80");
	CHECK_EQ_STR(P("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");
	CHECK_EQ_STR(P("\xff"), "\\xff");
	CHECK_EQ_STR(p("\xe2\x82\xac", 2, 0), "\\xe2\\x82");
	/* the console: newline and tab kept, CR dropped, the rest escaped */
	CHECK_EQ_STR(C("hi\tthere\r\nab\bc\033[2J\n"), "hi\tthere\nab\\x08c\\x1b[2J\n");

	/* never past cap, always NUL-terminated, cut at a character's edge */
	char small[8];
	memset(small, 'Z', sizeof small);
	CHECK_EQ_U64(text_printable(small, 6, "ab\033cd", 5, 0), 2);
	CHECK_EQ_STR(small, "ab");
	CHECK(small[6] == 'Z' && small[7] == 'Z');
	CHECK_EQ_U64(text_printable(small, 7, "ab\033cd", 5, 0), 6);
	CHECK_EQ_STR(small, "ab\\x1b");
	CHECK_EQ_U64(text_printable(small, 4, "a\xe2\x82\xac", 4, 0), 1);
	CHECK_EQ_STR(small, "a");
	CHECK_EQ_U64(text_printable(small, 1, "abc", 3, 0), 0);
	CHECK_EQ_STR(small, "");
	CHECK_EQ_U64(text_printable(small, 0, "abc", 3, 0), 0);

	/* printable text is a fixed point, and holds no control byte */
	char all[256], once[1100], twice[1100];
	for (int i = 0; i < 256; i++)
		all[i] = (char)i;
	size_t n = text_printable(once, sizeof once, all, sizeof all, 0);
	CHECK_EQ_U64(strlen(once), n);
	text_printable(twice, sizeof twice, once, n, 0);
	CHECK(strcmp(twice, once) == 0);
	int ctl = 0;
	for (size_t i = 0; i < n; i++)
		ctl |= (unsigned char)once[i] < 0x20 || (unsigned char)once[i] == 0x7f ||
		       (unsigned char)once[i] >= 0x80;
	CHECK(!ctl);

	/* one character: its form and how much of the source it takes */
	char c[TEXT_CHAR_MAX];
	CHECK_EQ_U64(text_char("\xe2\x82\xac!", 4, 0, c), 3);
	CHECK_EQ_STR(c, "\xe2\x82\xac");
	CHECK_EQ_U64(text_char("\r\n", 2, TEXT_CONSOLE, c), 1);
	CHECK_EQ_STR(c, "");

	/* text_write: the same as text_printable, to a stream */
	char mem[64] = "";
	FILE *f = fmemopen(mem, sizeof mem, "w");
	text_write(f, "a\033b\r\n", 5, TEXT_CONSOLE);
	fclose(f);
	CHECK_EQ_STR(mem, "a\\x1bb\n");
	return check_done();
}
