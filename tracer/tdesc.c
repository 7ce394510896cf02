/* tdesc: the register list from a gdbstub's target description (see tdesc.h).
 *
 * The scanner walks the document once, tag by tag.  Comments, <?...?>,
 * <!DOCTYPE ...> and CDATA are skipped; text between tags is ignored except
 * inside <architecture>.  It keeps a stack of open elements only to catch
 * a document that was cut short or mangled: a qXfer read that went wrong
 * should fail here rather than yield half a register list.
 */
#include "tdesc.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"

#define MAX_DEPTH	32
#define MAX_ATTRS	16
#define MAX_REGNUM	1000000		/* far above any real target's */
#define MAX_BITSIZE	65536

struct text {
	const char *s;
	size_t len;
};

struct tag {
	struct text name;
	struct text attr_name[MAX_ATTRS], attr_val[MAX_ATTRS];
	int nattrs;		/* extra attributes are checked, not kept */
	int closing;		/* </name> */
	int empty;		/* <name/> */
};

struct scan {
	const char *s;
	size_t len, pos;
	struct tdesc *d;
	char (*includes)[TDESC_HREF_MAX];
	size_t max_includes, *nincludes;
	struct text open[MAX_DEPTH];
	int depth, elements;
};

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_name_char(char c, int first)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':')
		return 1;
	return !first && ((c >= '0' && c <= '9') || c == '-' || c == '.');
}

static int text_is(struct text t, const char *s)
{
	return t.len == strlen(s) && memcmp(t.s, s, t.len) == 0;
}

static int looking_at(const struct scan *sc, const char *s)
{
	size_t n = strlen(s);

	return sc->len - sc->pos >= n && memcmp(sc->s + sc->pos, s, n) == 0;
}

static void skip_space(struct scan *sc)
{
	while (sc->pos < sc->len && is_space(sc->s[sc->pos]))
		sc->pos++;
}

static int skip_past(struct scan *sc, const char *end, const char *what)
{
	const char *p = memmem(sc->s + sc->pos, sc->len - sc->pos, end, strlen(end));

	if (!p)
		return err_set("%s is not closed with \"%s\"", what, end);
	sc->pos = (size_t)(p - sc->s) + strlen(end);
	return 0;
}

/* <!DOCTYPE ...> may hold a quoted '>' or an internal [subset]. */
static int skip_decl(struct scan *sc)
{
	char quote = 0;
	int brackets = 0;

	for (; sc->pos < sc->len; sc->pos++) {
		char c = sc->s[sc->pos];

		if (quote) {
			if (c == quote)
				quote = 0;
		} else if (c == '"' || c == '\'') {
			quote = c;
		} else if (c == '[') {
			brackets++;
		} else if (c == ']') {
			brackets--;
		} else if (c == '>' && brackets <= 0) {
			sc->pos++;
			return 0;
		}
	}
	return err_set("a <!...> declaration is not closed");
}

static int read_name(struct scan *sc, struct text *t)
{
	t->s = sc->s + sc->pos;
	if (sc->pos >= sc->len || !is_name_char(sc->s[sc->pos], 1))
		return err_set("expected a name at offset %zu", sc->pos);
	while (sc->pos < sc->len && is_name_char(sc->s[sc->pos], 0))
		sc->pos++;
	t->len = (size_t)(sc->s + sc->pos - t->s);
	return 0;
}

static int read_attr(struct scan *sc, struct tag *t)
{
	struct text name, val;
	const char *end;
	char quote;

	if (read_name(sc, &name) < 0)
		return -1;
	skip_space(sc);
	if (sc->pos >= sc->len || sc->s[sc->pos] != '=')
		return err_set("attribute \"%.*s\" has no value",
			       (int)name.len, name.s);
	sc->pos++;
	skip_space(sc);
	quote = sc->pos < sc->len ? sc->s[sc->pos] : 0;
	if (quote != '"' && quote != '\'')
		return err_set("attribute \"%.*s\" is not quoted",
			       (int)name.len, name.s);
	sc->pos++;
	end = memchr(sc->s + sc->pos, quote, sc->len - sc->pos);
	if (!end)
		return err_set("attribute \"%.*s\" is not closed",
			       (int)name.len, name.s);
	val.s = sc->s + sc->pos;
	val.len = (size_t)(end - val.s);
	sc->pos = (size_t)(end - sc->s) + 1;
	if (t->nattrs < MAX_ATTRS) {
		t->attr_name[t->nattrs] = name;
		t->attr_val[t->nattrs++] = val;
	}
	return 0;
}

/* From just after '<' to just after '>'. */
static int read_tag(struct scan *sc, struct tag *t)
{
	memset(t, 0, sizeof *t);
	if (sc->pos < sc->len && sc->s[sc->pos] == '/') {
		t->closing = 1;
		sc->pos++;
	}
	if (read_name(sc, &t->name) < 0)
		return -1;
	for (;;) {
		skip_space(sc);
		if (sc->pos >= sc->len)
			return err_set("the XML ends inside <%.*s>",
				       (int)t->name.len, t->name.s);
		if (sc->s[sc->pos] == '>') {
			sc->pos++;
			return 0;
		}
		if (!t->closing && looking_at(sc, "/>")) {
			t->empty = 1;
			sc->pos += 2;
			return 0;
		}
		if (t->closing)
			return err_set("junk in </%.*s>",
				       (int)t->name.len, t->name.s);
		if (read_attr(sc, t) < 0)
			return -1;
	}
}

static const struct text *attr(const struct tag *t, const char *name)
{
	int i;

	for (i = 0; i < t->nattrs; i++)
		if (text_is(t->attr_name[i], name))
			return &t->attr_val[i];
	return NULL;
}

/* Copy a value into a C string, undoing XML's five predefined entities. */
static int decode(char *dst, size_t cap, struct text v, const char *what)
{
	static const char *const ent[] = { "&lt;", "<", "&gt;", ">", "&amp;", "&",
					   "&quot;", "\"", "&apos;", "'" };
	size_t i = 0, n = 0, k;

	while (i < v.len) {
		char c = v.s[i++];

		if (c == '&') {
			for (k = 0; k < 10; k += 2) {
				size_t el = strlen(ent[k]) - 1;

				if (v.len - i >= el && memcmp(v.s + i, ent[k] + 1, el) == 0)
					break;
			}
			if (k == 10)
				return err_set("%s has an unknown &entity;", what);
			i += strlen(ent[k]) - 1;
			c = ent[k + 1][0];
		}
		if (c == '\0' || n + 1 >= cap)
			return err_set("%s is too long or has a NUL", what);
		dst[n++] = c;
	}
	dst[n] = '\0';
	return 0;
}

/* A decimal number, or hex after 0x, as GDB accepts. */
static int number(const struct text *v, long max, const char *what, int *out)
{
	size_t i = 0;
	int base = 10;
	long n = 0;

	if (v && v->len > 2 && v->s[0] == '0' && (v->s[1] == 'x' || v->s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (!v || i == v->len)
		return err_set("a reg has no %s", what);
	for (; i < v->len; i++) {
		char c = v->s[i];
		int dig = c >= '0' && c <= '9' ? c - '0' :
			  base == 16 && c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			  base == 16 && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

		if (dig < 0)
			return err_set("a reg's %s is not a number", what);
		n = n * base + dig;
		if (n > max)
			return err_set("a reg's %s is over %ld", what, max);
	}
	*out = (int)n;
	return 0;
}

static int add_reg(struct scan *sc, const struct tag *t)
{
	struct tdesc *d = sc->d;
	struct tdesc_reg r;
	const struct text *name = attr(t, "name"), *v;

	memset(&r, 0, sizeof r);
	if (!name || name->len == 0)
		return err_set("a reg has no name");
	if (decode(r.name, sizeof r.name, *name, "a reg's name") < 0 ||
	    number(attr(t, "bitsize"), MAX_BITSIZE, "bitsize", &r.bitsize) < 0)
		return -1;
	if (r.bitsize == 0)
		return err_set("reg %s has a bitsize of 0", r.name);
	r.regnum = d->next_regnum;
	if ((v = attr(t, "regnum")) && number(v, MAX_REGNUM, "regnum", &r.regnum) < 0)
		return -1;
	if (r.regnum >= MAX_REGNUM)
		return err_set("register numbers run past %d", MAX_REGNUM);
	v = attr(t, "type");
	if (decode(r.type, sizeof r.type, v ? *v : (struct text){ "int", 3 }, "a reg's type") < 0)
		return -1;
	if ((v = attr(t, "group")) && decode(r.group, sizeof r.group, *v, "a reg's group") < 0)
		return -1;
	if (d->nregs == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 64;
		struct tdesc_reg *regs;

		if (d->nregs >= TDESC_MAX_REGS)
			return err_set("the target description has over %d registers", TDESC_MAX_REGS);
		if (cap > TDESC_MAX_REGS)
			cap = TDESC_MAX_REGS;
		regs = realloc(d->regs, cap * sizeof *regs);
		if (!regs)
			return err_set("out of memory for %zu registers", cap);
		d->regs = regs;
		d->cap = cap;
	}
	d->regs[d->nregs++] = r;
	d->next_regnum = r.regnum + 1;
	return 0;
}

static int add_include(struct scan *sc, const struct tag *t)
{
	const struct text *href = attr(t, "href");

	if (!href || href->len == 0)
		return err_set("an xi:include has no href");
	if (*sc->nincludes >= sc->max_includes)
		return err_set("the XML has more than %zu includes", sc->max_includes);
	if (decode(sc->includes[*sc->nincludes], TDESC_HREF_MAX, *href, "an include's href") < 0)
		return -1;
	(*sc->nincludes)++;
	return 0;
}

/* The text up to the next tag, without surrounding white space. */
static int read_arch(struct scan *sc)
{
	const char *start = sc->s + sc->pos;
	const char *lt = memchr(start, '<', sc->len - sc->pos);
	struct text v = { start, lt ? (size_t)(lt - start) : 0 };

	while (v.len && is_space(v.s[0])) {
		v.s++;
		v.len--;
	}
	while (v.len && is_space(v.s[v.len - 1]))
		v.len--;
	return decode(sc->d->arch, sizeof sc->d->arch, v, "<architecture>");
}

static int element(struct scan *sc, const struct tag *t)
{
	if (t->closing) {
		const struct text *o = sc->depth ? &sc->open[sc->depth - 1] : NULL;

		if (!o || o->len != t->name.len || memcmp(o->s, t->name.s, o->len) != 0)
			return err_set("</%.*s> does not match an open element",
				       (int)t->name.len, t->name.s);
		sc->depth--;
		return 0;
	}
	if (sc->depth == 0 && sc->elements > 0)
		return err_set("the XML has more than one top-level element");
	sc->elements++;
	if (text_is(t->name, "reg") && add_reg(sc, t) < 0)
		return -1;
	if (text_is(t->name, "xi:include") && add_include(sc, t) < 0)
		return -1;
	if (t->empty)
		return 0;
	if (text_is(t->name, "architecture") && read_arch(sc) < 0)
		return -1;
	if (sc->depth == MAX_DEPTH)
		return err_set("the XML nests deeper than %d", MAX_DEPTH);
	sc->open[sc->depth++] = t->name;
	return 0;
}

static int walk(struct scan *sc)
{
	struct tag t;

	while (sc->pos < sc->len) {
		if (sc->s[sc->pos] != '<')
			sc->pos++;
		else if (looking_at(sc, "<!--")) {
			if (skip_past(sc, "-->", "a comment") < 0)
				return -1;
		} else if (looking_at(sc, "<![CDATA[")) {
			if (skip_past(sc, "]]>", "a CDATA section") < 0)
				return -1;
		} else if (looking_at(sc, "<?")) {
			if (skip_past(sc, "?>", "a <?...?> declaration") < 0)
				return -1;
		} else if (looking_at(sc, "<!")) {
			if (skip_decl(sc) < 0)
				return -1;
		} else {
			sc->pos++;
			if (read_tag(sc, &t) < 0 || element(sc, &t) < 0)
				return -1;
		}
	}
	if (sc->depth > 0)
		return err_set("the XML ends inside <%.*s>",
			       (int)sc->open[sc->depth - 1].len, sc->open[sc->depth - 1].s);
	if (sc->elements == 0)
		return err_set("the XML has no elements");
	return 0;
}

void tdesc_init(struct tdesc *d)
{
	memset(d, 0, sizeof *d);
}

void tdesc_free(struct tdesc *d)
{
	free(d->regs);
	tdesc_init(d);
}

int tdesc_parse(struct tdesc *d, const char *xml, size_t len,
		char includes[][TDESC_HREF_MAX], size_t max_includes, size_t *nincludes)
{
	struct scan sc = { .s = xml, .len = len, .d = d, .includes = includes,
			   .max_includes = max_includes, .nincludes = nincludes };
	size_t nregs = d->nregs;
	int next = d->next_regnum;
	char arch[sizeof d->arch];

	memcpy(arch, d->arch, sizeof arch);
	*nincludes = 0;
	if (walk(&sc) == 0)
		return 0;
	d->nregs = nregs;
	d->next_regnum = next;
	memcpy(d->arch, arch, sizeof arch);
	*nincludes = 0;
	return -1;
}

const struct tdesc_reg *tdesc_find(const struct tdesc *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->nregs; i++)
		if (strcmp(d->regs[i].name, name) == 0)
			return &d->regs[i];
	return NULL;
}

const struct tdesc_reg *tdesc_by_num(const struct tdesc *d, int regnum)
{
	size_t i;

	for (i = 0; i < d->nregs; i++)
		if (d->regs[i].regnum == regnum)
			return &d->regs[i];
	return NULL;
}
