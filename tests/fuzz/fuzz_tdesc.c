/* fuzz_tdesc: the target-description scanner, on whatever qXfer returned.
 *
 * The input is one XML document, not NUL-terminated, in a buffer of
 * exactly its size; the includes array is exactly as big as the caller
 * says (16, as target.c has it).  A document that is refused must leave
 * the description as it was; one that is accepted must give registers
 * with names, sizes and numbers in range, which tdesc_find() and
 * tdesc_by_num() then find.  The same document parsed a second time into
 * the same description appends its registers again, or changes nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "tdesc.h"
#include "targets.h"

#define MAX_INCLUDES 16

static int terminated(const char *s, size_t cap)
{
	return memchr(s, '\0', cap) != NULL;
}

static const char *check_regs(const struct tdesc *d)
{
	size_t i;

	if (d->nregs > TDESC_MAX_REGS || d->nregs > d->cap || (d->nregs && !d->regs))
		return "the register array is bigger than its room or TDESC_MAX_REGS";
	if (!terminated(d->arch, sizeof d->arch))
		return "the architecture is not NUL-terminated";
	for (i = 0; i < d->nregs; i++) {
		const struct tdesc_reg *r = &d->regs[i], *f;

		/* type="" is kept as "": nothing reads it, and only GDB minds. */
		if (!terminated(r->name, sizeof r->name) || !r->name[0] ||
		    !terminated(r->group, sizeof r->group) || !terminated(r->type, sizeof r->type))
			return "a register's name is empty, or a string is not NUL-terminated";
		if (r->bitsize < 1 || r->bitsize > 65536 || r->regnum < 0 || r->regnum >= 1000000)
			return "a register's bitsize or number is out of range";
		f = tdesc_find(d, r->name);
		if (!f || f > r || strcmp(f->name, r->name) != 0)
			return "tdesc_find does not find the first register of a name";
		f = tdesc_by_num(d, r->regnum);
		if (!f || f > r || f->regnum != r->regnum)
			return "tdesc_by_num does not find the first register of a number";
	}
	if (tdesc_find(d, "") || tdesc_by_num(d, -1))
		return "tdesc_find or tdesc_by_num found a register that cannot exist";
	return NULL;
}

static const char *parse(struct tdesc *d, const char *xml, size_t len)
{
	char (*inc)[TDESC_HREF_MAX] = malloc(MAX_INCLUDES * sizeof *inc);
	struct tdesc before = *d;
	size_t ninc = 12345, i;
	const char *why = NULL;
	int r;

	if (!inc)
		return NULL;
	r = tdesc_parse(d, xml, len, inc, MAX_INCLUDES, &ninc);
	if (r != 0 && r != -1)
		why = "tdesc_parse returned neither 0 nor -1";
	else if (r < 0 && (d->nregs != before.nregs || d->next_regnum != before.next_regnum ||
			   strcmp(d->arch, before.arch) != 0 || ninc != 0))
		why = "a refused document changed the description";
	else if (ninc > MAX_INCLUDES)
		why = "tdesc_parse stored more includes than it had room for";
	for (i = 0; !why && i < ninc; i++)
		if (!terminated(inc[i], TDESC_HREF_MAX) || !inc[i][0])
			why = "an include's href is empty or not NUL-terminated";
	if (!why && r == 0 && d->nregs < before.nregs)
		why = "an accepted document lost registers";
	free(inc);
	return why ? why : check_regs(d);
}

const char *fuzz_tdesc(const uint8_t *data, size_t size)
{
	char *xml = malloc(size);	/* 0 bytes is fine: glibc and ASan give a pointer */
	struct tdesc d;
	const char *why;
	size_t n;

	if (!xml)
		return NULL;
	memcpy(xml, data, size);
	tdesc_init(&d);
	why = parse(&d, xml, size);
	n = d.nregs;
	if (!why)
		why = parse(&d, xml, size);
	if (!why && d.nregs != n && d.nregs != 2 * n)
		why = "the same document parsed twice did not add its registers twice";
	tdesc_free(&d);
	if (!why && (d.regs || d.nregs || d.arch[0]))
		why = "tdesc_free did not leave the description empty";
	free(xml);
	return why;
}

#ifndef FUZZ_REPLAY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_entry(fuzz_tdesc, data, size);
}
#endif
