/* lesson: walkthrough/lessons.txt, read once into a small table.
 *
 * The table is a plain array in file order; a book holds a few dozen
 * notes, so a lookup is a linear scan.  Every string is a copy owned by
 * the book.  The reader is strict on purpose: a typo in the file (a key
 * without its Chinese text, a stray line) is an error with a line number,
 * never a note that silently goes missing on the screen.
 */
#include "lesson.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"

enum { LANG_EN, LANG_ZH, LANG_COUNT };

#define LESSON_MAX_SYMBOL 128

struct lesson_entry {
	int is_addr;
	uint64_t addr;
	char symbol[LESSON_MAX_SYMBOL];	/* "" for an address entry */
	char *text[LANG_COUNT];		/* lines joined with '\n' */
	int line;			/* where the key was, for messages */
};

struct lesson_book {
	struct lesson_entry *entries;
	size_t n, cap;
};

/* Is s[0..len) well-formed UTF-8 (no overlongs, surrogates, or code
 * points past U+10FFFF)?  The screen draws the text as it is. */
static int utf8_ok(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned c = s[i], need, min, cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			need = 1, min = 0x80, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			need = 2, min = 0x800, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			need = 3, min = 0x10000, cp = c & 0x07;
		else
			return 0;
		if (len - i <= need)
			return 0;
		for (unsigned k = 1; k <= need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += need + 1;
	}
	return 1;
}

/* Parse the inside of "[...]": an address or a symbol name. */
static int parse_key(struct lesson_entry *e, const char *k, size_t len)
{
	if (len > 2 && k[0] == '0' && (k[1] == 'x' || k[1] == 'X')) {
		uint64_t v = 0;

		if (len - 2 > 16)
			return -1;
		for (size_t i = 2; i < len; i++) {
			int d;

			if (k[i] >= '0' && k[i] <= '9')
				d = k[i] - '0';
			else if (k[i] >= 'a' && k[i] <= 'f')
				d = k[i] - 'a' + 10;
			else if (k[i] >= 'A' && k[i] <= 'F')
				d = k[i] - 'A' + 10;
			else
				return -1;
			v = v << 4 | (uint64_t)d;
		}
		e->is_addr = 1;
		e->addr = v;
		return 0;
	}
	if (len == 0 || len >= LESSON_MAX_SYMBOL || (k[0] >= '0' && k[0] <= '9'))
		return -1;
	for (size_t i = 0; i < len; i++) {
		char c = k[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '$'))
			return -1;
	}
	memcpy(e->symbol, k, len);
	e->symbol[len] = '\0';
	return 0;
}

static const struct lesson_entry *find_key(const struct lesson_book *b, const struct lesson_entry *e)
{
	for (size_t i = 0; i < b->n; i++) {
		const struct lesson_entry *o = &b->entries[i];

		if (o->is_addr == e->is_addr &&
		    (e->is_addr ? o->addr == e->addr : strcmp(o->symbol, e->symbol) == 0))
			return o;
	}
	return NULL;
}

/* Append a line of text to an entry's language, after a '\n' if it
 * already has some. */
static int add_text(struct lesson_entry *e, int lang, const char *t, size_t len)
{
	size_t old = e->text[lang] ? strlen(e->text[lang]) : 0;
	char *p = realloc(e->text[lang], old + (old ? 1 : 0) + len + 1);

	if (!p)
		return -1;
	if (old)
		p[old++] = '\n';
	memcpy(p + old, t, len);
	p[old + len] = '\0';
	e->text[lang] = p;
	return 0;
}

static void entry_free(struct lesson_entry *e)
{
	for (int l = 0; l < LANG_COUNT; l++)
		free(e->text[l]);
}

void lesson_free(struct lesson_book *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++)
		entry_free(&b->entries[i]);
	free(b->entries);
	free(b);
}

static void key_name(const struct lesson_entry *e, char *buf, size_t cap)
{
	if (e->is_addr)
		snprintf(buf, cap, "[0x%llx]", (unsigned long long)e->addr);
	else
		snprintf(buf, cap, "[%s]", e->symbol);
}

/* The entry being read is complete: both languages are there. */
static int close_entry(const struct lesson_book *b, const char *name)
{
	static const char *const tag[LANG_COUNT] = { "en", "zh" };
	const struct lesson_entry *e;
	char key[LESSON_MAX_SYMBOL + 4];

	if (b->n == 0)
		return 0;
	e = &b->entries[b->n - 1];
	for (int l = 0; l < LANG_COUNT; l++) {
		if (!e->text[l]) {
			key_name(e, key, sizeof key);
			return err_set("%s:%d: %s has no %s: line; every note needs an en: and a zh: text",
				       name, e->line, key, tag[l]);
		}
	}
	return 0;
}

static int parse_line(struct lesson_book *b, const char *name, int lineno, const char *s, size_t len)
{
	struct lesson_entry e;
	const struct lesson_entry *dup;
	char key[LESSON_MAX_SYMBOL + 4];
	int lang;

	if (s[0] == '[') {
		const char *close = memchr(s, ']', len);

		memset(&e, 0, sizeof e);
		if (!close || (size_t)(close - s) != len - 1)
			return err_set("%s:%d: a key is one [ADDRESS] or [symbol] alone on its line", name, lineno);
		if (parse_key(&e, s + 1, (size_t)(close - s) - 1) < 0)
			return err_set("%s:%d: \"%.*s\" is neither an address (0x1004) nor a symbol name (kmain)",
				       name, lineno, (int)(len > 80 ? 80 : len), s);
		if ((dup = find_key(b, &e))) {
			key_name(&e, key, sizeof key);
			return err_set("%s:%d: %s is already at line %d; a key may appear once",
				       name, lineno, key, dup->line);
		}
		if (close_entry(b, name) < 0)
			return -1;
		if (b->n == b->cap) {
			size_t cap = b->cap ? b->cap * 2 : 32;
			struct lesson_entry *p = realloc(b->entries, cap * sizeof *p);

			if (!p)
				return err_set("%s: out of memory", name);
			b->entries = p;
			b->cap = cap;
		}
		e.line = lineno;
		b->entries[b->n++] = e;
		return 0;
	}
	if (len >= 3 && memcmp(s, "en:", 3) == 0)
		lang = LANG_EN;
	else if (len >= 3 && memcmp(s, "zh:", 3) == 0)
		lang = LANG_ZH;
	else
		return err_set("%s:%d: expected [KEY], \"en: TEXT\" or \"zh: TEXT\", not \"%.*s\"",
			       name, lineno, (int)(len > 40 ? 40 : len), s);
	if (b->n == 0)
		return err_set("%s:%d: text before the first [KEY]", name, lineno);
	s += 3;
	len -= 3;
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	if (len == 0)
		return err_set("%s:%d: an empty %s line", name, lineno, lang == LANG_EN ? "en:" : "zh:");
	if (add_text(&b->entries[b->n - 1], lang, s, len) < 0)
		return err_set("%s: out of memory", name);
	return 0;
}

int lesson_load_mem(struct lesson_book **out, const char *name, const char *text, size_t len)
{
	struct lesson_book *b;
	size_t pos = 0;
	int lineno = 0;

	*out = NULL;
	if (len > LESSON_MAX_FILE)
		return err_set("%s: %zu bytes is more than a lessons file may hold (%d)", name, len,
			       LESSON_MAX_FILE);
	if (memchr(text, '\0', len))
		return err_set("%s: a NUL byte: this is not a text file", name);
	if (!utf8_ok((const unsigned char *)text, len))
		return err_set("%s: not valid UTF-8; save it as UTF-8", name);
	b = calloc(1, sizeof *b);
	if (!b)
		return err_set("%s: out of memory", name);
	while (pos < len) {
		const char *s = text + pos;
		const char *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;

		pos += n + (nl ? 1 : 0);
		lineno++;
		if (n > LESSON_MAX_LINE) {
			err_set("%s:%d: a line longer than %d bytes", name, lineno, LESSON_MAX_LINE);
			goto bad;
		}
		/* Trailing blanks and a CR (a file saved on Windows) are not text. */
		while (n && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		size_t lead = 0;
		while (lead < n && (s[lead] == ' ' || s[lead] == '\t'))
			lead++;
		if (lead == n || s[lead] == '#')
			continue;
		if (parse_line(b, name, lineno, s + lead, n - lead) < 0)
			goto bad;
	}
	if (close_entry(b, name) < 0)
		goto bad;
	*out = b;
	return 0;
bad:
	lesson_free(b);
	return -1;
}

/* Opens a regular file for reading.  O_NONBLOCK because open() itself
 * waits on a FIFO until someone writes to it, and the screen would hang
 * before it is drawn: fstat() must refuse it first.  Cleared again, since
 * a regular file never blocks anyway. */
static FILE *lesson_open(const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	int flags;
	FILE *f;

	if (fd < 0) {
		err_set("cannot open the lessons %s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0) {
		err_set("cannot open the lessons %s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		if (S_ISFIFO(st.st_mode))
			err_set("the lessons %s are a FIFO, not a file: give --lessons walkthrough/lessons.txt", path);
		else
			err_set("the lessons %s are not a regular file: give --lessons walkthrough/lessons.txt", path);
		close(fd);
		return NULL;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags >= 0)
		fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	f = fdopen(fd, "rb");
	if (!f) {
		err_set("cannot open the lessons %s: %s", path, strerror(errno));
		close(fd);
	}
	return f;
}

int lesson_load(struct lesson_book **out, const char *path)
{
	FILE *f;
	char *buf;
	size_t n;
	int rc;

	*out = NULL;
	f = lesson_open(path);
	if (!f)
		return -1;
	buf = malloc(LESSON_MAX_FILE + 1);
	if (!buf) {
		fclose(f);
		return err_set("%s: out of memory", path);
	}
	n = fread(buf, 1, LESSON_MAX_FILE + 1, f);
	if (ferror(f)) {
		rc = err_set("cannot read the lessons %s: %s", path, strerror(errno));
	} else {
		rc = lesson_load_mem(out, path, buf, n);
	}
	free(buf);
	fclose(f);
	return rc;
}

size_t lesson_count(const struct lesson_book *b)
{
	return b ? b->n : 0;
}

const char *lesson_for(const struct lesson_book *b, uint64_t addr, const char *symbol, const char *lang)
{
	int l = lang && strncmp(lang, "zh", 2) == 0 ? LANG_ZH : LANG_EN;
	size_t symlen;

	if (!b)
		return NULL;
	for (size_t i = 0; i < b->n; i++)
		if (b->entries[i].is_addr && b->entries[i].addr == addr)
			return b->entries[i].text[l];
	if (!symbol || !*symbol)
		return NULL;
	symlen = strcspn(symbol, "+");
	for (size_t i = 0; i < b->n; i++) {
		const struct lesson_entry *e = &b->entries[i];

		if (!e->is_addr && strlen(e->symbol) == symlen && strncmp(e->symbol, symbol, symlen) == 0)
			return e->text[l];
	}
	return NULL;
}

const char *lesson_lang_default(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };

	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);

		if (v && *v)
			return strncmp(v, "zh", 2) == 0 ? "zh" : "en";
	}
	return "en";
}
