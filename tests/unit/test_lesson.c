/* test_lesson: the lessons file reader, on the real walkthrough/lessons.txt
 * and on small hand-made books, good and broken.  Every text is copied into
 * a buffer of exactly its length, without a NUL, so AddressSanitizer
 * catches any read past it.
 */
#include <stdlib.h>

#include "check.h"
#include "err.h"
#include "lesson.h"

static int load(struct lesson_book **b, const char *text)
{
	size_t len = strlen(text);
	char *copy = malloc(len ? len : 1);
	int rc;

	memcpy(copy, text, len);
	rc = lesson_load_mem(b, "t.txt", copy, len);
	free(copy);
	return rc;
}

/* A broken book: loading fails, *b stays NULL, and the message names the
 * line and says what is wrong. */
static void broken(const char *text, const char *want_in_msg)
{
	struct lesson_book *b = (struct lesson_book *)1;
	char why[600];

	err_clear();
	CHECK(load(&b, text) == -1);
	CHECK(b == NULL);
	snprintf(why, sizeof why, "message \"%s\" has \"%s\"", err_msg(), want_in_msg);
	check_report(strstr(err_msg(), want_in_msg) != NULL, __FILE__, __LINE__, "error message", why);
}

static void test_basic(void)
{
	struct lesson_book *b;

	CHECK(load(&b,
		   "# a comment\n"
		   "\n"
		   "[0x1004]\n"
		   "en: a2 = 0x1028\n"
		   "zh: a2 = 0x1028，指向 fw_dynamic_info\n"
		   "[kmain]\n"
		   "  en: first  \n"
		   "en: second\r\n"
		   "zh: 第一\n"
		   "zh: 第二\n"
		   "[_start]\n"
		   "zh: 入口\n"
		   "en: the entry\n") == 0);
	CHECK_EQ_U64(lesson_count(b), 3);
	CHECK_EQ_STR(lesson_for(b, 0x1004, NULL, "en"), "a2 = 0x1028");
	CHECK_EQ_STR(lesson_for(b, 0x1004, NULL, "zh"), "a2 = 0x1028，指向 fw_dynamic_info");
	/* Lines of one language join with '\n'; blanks and CR are trimmed. */
	CHECK_EQ_STR(lesson_for(b, 0x80200040, "kmain", "en"), "first\nsecond");
	CHECK_EQ_STR(lesson_for(b, 0x80200040, "kmain", "zh"), "第一\n第二");
	/* Inside a symbol: the offset is ignored. */
	CHECK_EQ_STR(lesson_for(b, 0x80200050, "kmain+0x14", "en"), "first\nsecond");
	/* The address wins over the symbol. */
	CHECK_EQ_STR(lesson_for(b, 0x1004, "kmain", "en"), "a2 = 0x1028");
	CHECK_EQ_STR(lesson_for(b, 0x80200000, "_start", "zh"), "入口");
	/* Languages: zh*, else English. */
	CHECK_EQ_STR(lesson_for(b, 0x80200000, "_start", "zh_CN"), "入口");
	CHECK_EQ_STR(lesson_for(b, 0x80200000, "_start", "fr"), "the entry");
	CHECK_EQ_STR(lesson_for(b, 0x80200000, "_start", NULL), "the entry");
	/* No note. */
	CHECK(lesson_for(b, 0x1000, NULL, "en") == NULL);
	CHECK(lesson_for(b, 0x1000, "", "en") == NULL);
	CHECK(lesson_for(b, 0x1000, "kmai", "en") == NULL);
	CHECK(lesson_for(b, 0x1000, "kmainx", "en") == NULL);
	CHECK(lesson_for(b, 0x1000, "+0x4", "en") == NULL);
	CHECK(lesson_for(NULL, 0x1004, "kmain", "en") == NULL);
	lesson_free(b);
	lesson_free(NULL);
}

static void test_edges(void)
{
	struct lesson_book *b;

	/* Nothing but comments: an empty book is fine. */
	CHECK(load(&b, "# nothing yet\n\n") == 0);
	CHECK_EQ_U64(lesson_count(b), 0);
	CHECK(lesson_for(b, 0x1000, "kmain", "en") == NULL);
	lesson_free(b);
	CHECK(load(&b, "") == 0);
	lesson_free(b);

	/* No newline at the end; upper-case hex; the largest address; a key
	 * that is an address and a symbol that looks like one. */
	CHECK(load(&b, "[0XFFFFFFFFFFFFFFFF]\nen: top\nzh: 顶\n[x1000]\nen: sym\nzh: 符号") == 0);
	CHECK_EQ_STR(lesson_for(b, UINT64_MAX, NULL, "en"), "top");
	CHECK_EQ_STR(lesson_for(b, 0x1000, "x1000", "zh"), "符号");
	lesson_free(b);

	/* The same number as an address and as part of a name do not clash. */
	CHECK(load(&b, "[0x10]\nen: a\nzh: 甲\n[$x.y_z]\nen: b\nzh: 乙\n") == 0);
	CHECK_EQ_STR(lesson_for(b, 0, "$x.y_z", "en"), "b");
	lesson_free(b);
}

static void test_broken(void)
{
	broken("en: no key\nzh: 无\n", "t.txt:1: text before the first [KEY]");
	broken("[0x1000]\nen: only English\n", "t.txt:1: [0x1000] has no zh: line");
	broken("[kmain]\nzh: 只有中文\n[_start]\nen: x\nzh: y\n", "t.txt:1: [kmain] has no en: line");
	broken("[0x1000]\nen: a\nzh: b\n[0x01000]\nen: c\nzh: d\n", "t.txt:4: [0x1000] is already at line 1");
	broken("[kmain]\nen: a\nzh: b\n[kmain]\nen: c\nzh: d\n", "t.txt:4: [kmain] is already");
	broken("[0x1000] the reset vector\nen: a\nzh: b\n", "t.txt:1: a key is one");
	broken("[0x1000\nen: a\nzh: b\n", "t.txt:1: a key is one");
	broken("[]\nen: a\nzh: b\n", "t.txt:1: \"[]\" is neither");
	broken("[0x]\nen: a\nzh: b\n", "is neither");
	broken("[0x1g]\nen: a\nzh: b\n", "is neither");
	broken("[0x12345678123456781]\nen: a\nzh: b\n", "is neither");
	broken("[1kmain]\nen: a\nzh: b\n", "is neither");
	broken("[k main]\nen: a\nzh: b\n", "is neither");
	broken("[0x1000]\nen: a\nfr: b\n", "t.txt:3: expected [KEY]");
	broken("[0x1000]\nen:\nzh: b\n", "t.txt:2: an empty en: line");
	broken("[0x1000]\nen: a\nzh:   \n", "t.txt:3: an empty zh: line");
	broken("[0x1000]\nen: a\nzh: \xe4\xb8\n", "not valid UTF-8");
	broken("[0x1000]\nen: a\nzh: \xed\xa0\x80\n", "not valid UTF-8");	/* a surrogate */
	broken("[0x1000]\nen: a\nzh: \xc0\xaf\n", "not valid UTF-8");	/* overlong '/' */

	/* A NUL, which strlen() would hide: pass the length by hand. */
	struct lesson_book *b;
	static const char nul[] = "[0x1000]\nen: a\0b\nzh: c\n";
	char *copy = malloc(sizeof nul - 1);

	memcpy(copy, nul, sizeof nul - 1);
	CHECK(lesson_load_mem(&b, "t.txt", copy, sizeof nul - 1) == -1);
	CHECK(strstr(err_msg(), "NUL") != NULL);
	free(copy);

	/* A line too long. */
	size_t n = LESSON_MAX_LINE + 40;
	char *longtext = malloc(n + 1);
	memcpy(longtext, "[0x1000]\nen: ", 13);
	memset(longtext + 13, 'a', n - 13);
	longtext[n] = '\0';
	broken(longtext, "t.txt:2: a line longer than");
	free(longtext);

	CHECK(lesson_load(&b, "/nonexistent/lessons.txt") == -1);
	CHECK(b == NULL);
	CHECK(strstr(err_msg(), "/nonexistent/lessons.txt") != NULL);
}

static void test_lang_default(void)
{
	unsetenv("LC_ALL");
	unsetenv("LC_MESSAGES");
	unsetenv("LANG");
	CHECK_EQ_STR(lesson_lang_default(), "en");
	setenv("LANG", "zh_CN.UTF-8", 1);
	CHECK_EQ_STR(lesson_lang_default(), "zh");
	setenv("LC_MESSAGES", "en_US.UTF-8", 1);
	CHECK_EQ_STR(lesson_lang_default(), "en");
	setenv("LC_ALL", "zh_TW.UTF-8", 1);
	CHECK_EQ_STR(lesson_lang_default(), "zh");
	setenv("LC_ALL", "", 1);	/* set but empty: the next one decides */
	CHECK_EQ_STR(lesson_lang_default(), "en");
	unsetenv("LC_MESSAGES");
	CHECK_EQ_STR(lesson_lang_default(), "zh");
	setenv("LANG", "C", 1);
	CHECK_EQ_STR(lesson_lang_default(), "en");
}

/* The book the TUI and the chapters use: it loads, and has the notes the
 * walkthrough relies on in both languages. */
static void test_real_book(void)
{
	const char *top = getenv("TOP");
	char path[1024];
	struct lesson_book *b;

	snprintf(path, sizeof path, "%s/walkthrough/lessons.txt", top ? top : ".");
	if (!check_report(lesson_load(&b, path) == 0, __FILE__, __LINE__, "walkthrough/lessons.txt loads",
			  err_msg()))
		return;
	CHECK(lesson_count(b) >= 10);
	static const uint64_t addrs[] = { 0x1000, 0x1004, 0x1008, 0x100c, 0x1010, 0x1014 };
	for (size_t i = 0; i < sizeof addrs / sizeof addrs[0]; i++) {
		CHECK(lesson_for(b, addrs[i], NULL, "en") != NULL);
		CHECK(lesson_for(b, addrs[i], NULL, "zh") != NULL);
	}
	CHECK(lesson_for(b, 0x80000000, NULL, "en") != NULL);
	CHECK(lesson_for(b, 0, "_start", "zh") != NULL);
	CHECK(lesson_for(b, 0, "kmain", "en") != NULL);
	lesson_free(b);
}

int main(void)
{
	test_basic();
	test_edges();
	test_broken();
	test_lang_default();
	test_real_book();
	return check_done();
}
