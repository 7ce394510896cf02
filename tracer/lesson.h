/* lesson: the short notes that explain a step of the boot, in two languages.
 *
 * The notes live once, in walkthrough/lessons.txt, and the walkthrough's
 * chapters quote them word for word; the screen shows the one for the
 * current pc.  The file is plain UTF-8 text, one line at a time:
 *
 *	# a comment (only at the start of a line); blank lines are ignored
 *	[0x1004]          an entry for an address: the pc is exactly there
 *	en: a2 = t0 + 40 = 0x1028 ...
 *	zh: a2 = t0 + 40 = 0x1028 ……
 *	[kmain]           an entry for a symbol: the pc is anywhere in kmain
 *	en: first line
 *	en: second line   (more lines of a language are joined with '\n')
 *	zh: ...
 *
 * A key is 0x and 1 to 16 hex digits, or a symbol name (letters, digits,
 * '_', '.', '$', not starting with a digit).  Every entry has at least
 * one en: and one zh: line; a key appears once.
 */
#ifndef BOOTSCOPE_LESSON_H
#define BOOTSCOPE_LESSON_H

#include <stddef.h>
#include <stdint.h>

struct lesson_book;

/* The largest lessons file, and the longest line, that are accepted. */
#define LESSON_MAX_FILE (1024 * 1024)
#define LESSON_MAX_LINE 4096

/* Read and check a lessons file.  Returns 0, or -1 with err_set() naming
 * the file and line ("walkthrough/lessons.txt:12: ...") and *out = NULL.
 * Anything but a regular file (a FIFO, a device, a directory) is refused
 * without waiting on it. */
int lesson_load(struct lesson_book **out, const char *path);

/* The same for text already in memory (len bytes, need not end in a NUL);
 * name stands for the file in messages.  For tests and fuzzing. */
int lesson_load_mem(struct lesson_book **out, const char *name, const char *text, size_t len);

/* Free it; NULL is fine. */
void lesson_free(struct lesson_book *book);

/* How many entries the book holds. */
size_t lesson_count(const struct lesson_book *book);

/* The note for the pc: the entry keyed by exactly addr if there is one,
 * else the entry for symbol (NULL or "" for none; a "+0x10" after the name
 * is ignored, so "kmain+0x10" finds [kmain]).  lang is "en" or "zh"
 * (anything starting with "zh" counts as "zh", anything else as "en").
 * Returns the text, valid until lesson_free(), or NULL if there is none. */
const char *lesson_for(const struct lesson_book *book, uint64_t addr, const char *symbol,
		       const char *lang);

/* The language the user's locale asks for: the first of LC_ALL,
 * LC_MESSAGES and LANG that is set and not empty decides; "zh" if it
 * starts with "zh" (zh_CN.UTF-8, zh_TW, ...), else "en". */
const char *lesson_lang_default(void);

#endif
