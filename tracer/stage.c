#include "stage.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define STAGE_SYMBOL_REACH	0x400	/* see stage_symbol_of */

void stage_init(struct stage_model *m)
{
	memset(m, 0, sizeof *m);
	m->word_size = 8;
}

struct stage *stage_add(struct stage_model *m, enum stage_kind kind, const char *name,
			const char *short_name, const char *image_name, const struct image *img)
{
	struct stage *s;

	if (m->n == STAGE_MAX)
		return NULL;
	s = &m->stages[m->n];
	*s = (struct stage){ .kind = kind, .number = m->n + 1, .name = name,
			     .short_name = short_name, .image_name = image_name, .image = img,
			     .mode = { .ring = -1, .name = "?" } };
	m->n++;
	return s;
}

void stage_set_range(struct stage *s, uint64_t entry, int known, uint64_t lo, uint64_t hi)
{
	s->entry = entry;
	s->entry_known = known;
	s->lo = lo;
	s->hi = hi;
}

void stage_add_range(struct stage *s, uint64_t lo, uint64_t hi)
{
	if (s->nalso < STAGE_ALSO)
		s->also[s->nalso++] = (struct stage_range){ lo, hi };
}

void stage_add_label(struct stage_model *m, uint64_t addr, uint64_t len, const char *name)
{
	if (m->nlabels < STAGE_LABELS)
		m->labels[m->nlabels++] = (struct stage_label){ addr, len, name };
}

void stage_add_word(struct stage_model *m, uint64_t addr, uint64_t value, const char *comment)
{
	struct stage_word *w;

	if (m->nwords == STAGE_WORDS)
		return;
	w = &m->words[m->nwords++];
	w->addr = addr;
	w->value = value;
	snprintf(w->comment, sizeof w->comment, "%s", comment);
}

void stage_add_region(struct stage_model *m, const char *label, uint64_t lo, uint64_t hi)
{
	if (m->nregions < STAGE_REGIONS)
		m->regions[m->nregions++] = (struct stage_region){ label, lo, hi };
}

const struct stage *stage_of(const struct stage_model *m, uint64_t addr)
{
	/* Latest first: the kernel's image is the most precise range. */
	for (int i = m->n - 1; i >= 0; i--) {
		const struct stage *s = &m->stages[i];

		if (!s->entry_known)
			continue;
		if (addr >= s->lo && addr < s->hi)
			return s;
		for (int k = 0; k < s->nalso; k++)
			if (addr >= s->also[k].lo && addr < s->also[k].hi)
				return s;
	}
	return NULL;
}

void stage_range_at(const struct stage *s, uint64_t addr, uint64_t *lo, uint64_t *hi)
{
	*lo = s->lo;
	*hi = s->hi;
	for (int k = 0; k < s->nalso; k++)
		if (addr >= s->also[k].lo && addr < s->also[k].hi) {
			*lo = s->also[k].lo;
			*hi = s->also[k].hi;
		}
}

const struct stage *stage_next(const struct stage_model *m, const struct stage *s)
{
	int i = s ? s->number : 0;

	return i < m->n ? &m->stages[i] : NULL;
}

const struct stage *stage_find(const struct stage_model *m, enum stage_kind kind)
{
	for (int i = 0; i < m->n; i++)
		if (m->stages[i].kind == kind)
			return &m->stages[i];
	return NULL;
}

const struct stage_label *stage_label_at(const struct stage_model *m, uint64_t addr)
{
	for (int i = 0; i < m->nlabels; i++) {
		const struct stage_label *l = &m->labels[i];

		if (addr >= l->addr && addr - l->addr < l->len)
			return l;
	}
	return NULL;
}

const struct image_symbol *stage_symbol_at(const struct stage_model *m, uint64_t addr)
{
	const struct stage *s = stage_of(m, addr);
	const struct image_symbol *sym = s && s->image ? image_symbol_at(s->image, addr) : NULL;

	/* A stripped firmware keeps a few dynamic symbols; an address far past
	 * the end of the nearest one belongs to some other, nameless code. */
	if (sym && sym->size && addr - sym->addr >= sym->size && addr - sym->addr > STAGE_SYMBOL_REACH)
		return NULL;
	return sym;
}

int stage_symbol_of(const struct stage_model *m, uint64_t addr, char *buf, size_t cap)
{
	const struct stage *s = stage_of(m, addr);
	const struct stage_label *l = s && !s->image ? stage_label_at(m, addr) : NULL;
	const struct image_symbol *sym = stage_symbol_at(m, addr);

	if (cap)
		buf[0] = '\0';
	if (l) {
		image_symbol_format(buf, cap, l->name, addr - l->addr);
		return 0;
	}
	if (!sym)
		return -1;
	image_symbol_format(buf, cap, sym->name, addr - sym->addr);
	return 0;
}

const char *stage_section_of(const struct stage_model *m, uint64_t addr, uint64_t *lo, uint64_t *hi)
{
	const struct stage *s = stage_of(m, addr);
	const struct image_section *sec = s && s->image ? image_section_at(s->image, addr) : NULL;

	if (s && !s->image && s->kind == STAGE_ROM) {	/* a ROM has no sections */
		if (lo)
			*lo = s->lo;
		if (hi)
			*hi = s->hi;
		return s->image_name;
	}
	if (!sec)
		return NULL;
	if (lo)
		*lo = sec->addr;
	if (hi)
		*hi = sec->addr + sec->size;
	return sec->name;
}

int stage_data_at(const struct stage_model *m, uint64_t addr, char *buf, size_t cap)
{
	for (int i = 0; i < m->nwords; i++)
		if (m->words[i].addr == addr) {
			snprintf(buf, cap, ".dword 0x%" PRIx64 "  # %s", m->words[i].value, m->words[i].comment);
			return (int)m->word_size;
		}
	return 0;
}
