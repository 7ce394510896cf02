/* profile: where the instructions of a run went (see profile.h). */
#include "profile.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "err.h"

#define PROFILE_MAGIC "bootscope-count 1"
#define LOOP_SPAN_MAX 0x10000	/* a backward branch further than this is no loop */

/* ---- the plugin's file ---------------------------------------------------- */

static int bad_line(const char *path, unsigned long line, const char *why)
{
	return err_set("%s:%lu: %s: the counting plugin's file is damaged (rebuild with make)", path, line, why);
}

/* Room in *v (cap elements of size) for element n: 0, or -1. */
static int grow(void **v, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 4096;
	void *m = realloc(*v, ncap * size);

	if (!m)
		return -1;
	*v = m;
	*cap = ncap;
	return 0;
}

struct caps {
	size_t insns, hinsns;
};

/* "hart H N" (hart H's total; its "hinsn H ADDR N" lines follow). */
static int parse_hart(struct profile *p, const char *word, const char *a, const char *b, const char *path,
		      unsigned long line, struct caps *cap)
{
	const char *c = strtok(NULL, " \n");
	uint64_t h, x, y;

	if (!a || bytes_parse_u64(a, 10, &h) < 0 || h >= PROFILE_MAX_HARTS)
		return bad_line(path, line, "a hart's number wanted, 0 to 7");
	if (word[0] == 'h' && word[1] == 'a') {
		if (!b || c || bytes_parse_u64(b, 10, &y) < 0 || (p->nharts && h < p->nharts))
			return bad_line(path, line, "\"hart\" wants a new hart's number and a count");
		p->nharts = (size_t)h + 1;
		p->hart_total[h] = y;
		return 0;
	}
	if (!b || !c || strtok(NULL, " \n") || bytes_parse_u64(b, 0, &x) < 0 || bytes_parse_u64(c, 10, &y) < 0)
		return bad_line(path, line, "\"hinsn\" wants a hart, an address and a count");
	if (!p->nharts || h != p->nharts - 1 ||
	    (p->nh && p->hinsns[p->nh - 1].hart == (int)h && x <= p->hinsns[p->nh - 1].addr))
		return bad_line(path, line, "a hart's counts out of order");
	if (grow((void **)&p->hinsns, p->nh, &cap->hinsns, sizeof *p->hinsns) < 0)
		return err_set("%s: out of memory", path);
	p->hinsns[p->nh++] = (struct profile_hinsn){ (int)h, x, y };
	return 0;
}

static int parse_line(struct profile *p, char *text, const char *path, unsigned long line, struct caps *cap,
		      uint64_t *sum)
{
	char *word = strtok(text, " \n"), *a = strtok(NULL, " \n"), *b = strtok(NULL, " \n");
	uint64_t x, y;

	if (!word)
		return 0;
	if (strcmp(word, "total") == 0) {
		if (!a || b || bytes_parse_u64(a, 10, &p->total) < 0)
			return bad_line(path, line, "\"total\" wants one number");
		return 0;
	}
	if (strcmp(word, "mark") == 0)	/* the walk knows the stages' entries itself */
		return 0;
	if (strcmp(word, "hart") == 0 || strcmp(word, "hinsn") == 0)
		return parse_hart(p, word, a, b, path, line, cap);
	if (strcmp(word, "insn") != 0)
		return bad_line(path, line, "unknown line");
	if (!a || !b || strtok(NULL, " \n") || bytes_parse_u64(a, 0, &x) < 0 || bytes_parse_u64(b, 10, &y) < 0)
		return bad_line(path, line, "\"insn\" wants an address and a count");
	if (p->n && x <= p->insns[p->n - 1].addr)
		return bad_line(path, line, "addresses out of order");
	if (grow((void **)&p->insns, p->n, &cap->insns, sizeof *p->insns) < 0)
		return err_set("%s: out of memory", path);
	p->insns[p->n++] = (struct profile_insn){ x, y };
	*sum += y;
	return 0;
}

/* Every hart's shares add up to its total. */
static int hart_sums_wrong(const struct profile *p)
{
	uint64_t sum[PROFILE_MAX_HARTS] = { 0 };

	for (size_t i = 0; i < p->nh; i++)
		sum[p->hinsns[i].hart] += p->hinsns[i].count;
	for (size_t h = 0; h < p->nharts; h++)
		if (sum[h] != p->hart_total[h])
			return 1;
	return 0;
}

int profile_load(struct profile *p, const char *path)
{
	char buf[256];
	unsigned long line = 1;
	struct caps cap = { 0, 0 };
	uint64_t sum = 0;
	int rc = 0;
	FILE *f;

	memset(p, 0, sizeof *p);
	f = fopen(path, "re");
	if (!f)
		return err_set("the counting plugin wrote no profile (%s: %s): did QEMU load build/bootscope-count.so?",
			       path, strerror(errno));
	if (!fgets(buf, sizeof buf, f) || strncmp(buf, PROFILE_MAGIC, strlen(PROFILE_MAGIC)) != 0)
		rc = bad_line(path, line, "not a profile");
	while (rc == 0 && fgets(buf, sizeof buf, f))
		rc = parse_line(p, buf, path, ++line, &cap, &sum);
	if (rc == 0 && ferror(f))
		rc = err_set("%s: %s", path, strerror(errno));
	if (rc == 0 && sum != p->total)
		rc = bad_line(path, line, "the counts do not add up to the total");
	if (rc == 0 && hart_sums_wrong(p))
		rc = bad_line(path, line, "a hart's counts do not add up to its total");
	fclose(f);
	if (rc < 0)
		profile_free(p);
	return rc;
}

void profile_free(struct profile *p)
{
	free(p->insns);
	free(p->hinsns);
	memset(p, 0, sizeof *p);
}

/* The index of the first instruction at or above addr. */
static size_t lower_bound(const struct profile *p, uint64_t addr)
{
	size_t lo = 0, hi = p->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->insns[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

uint64_t profile_count_at(const struct profile *p, uint64_t addr)
{
	size_t i = lower_bound(p, addr);

	return i < p->n && p->insns[i].addr == addr ? p->insns[i].count : 0;
}

/* ---- summing up ------------------------------------------------------------ */

static int stage_index(const struct stage_model *m, uint64_t addr)
{
	const struct stage *s = stage_of(m, addr);

	return s ? (int)(s - m->stages) : -1;
}

/* Rows keyed by (stage, addr), summed; grown as needed. */
struct rows {
	struct profile_row *v;
	size_t n, cap;
};

static struct profile_row *row_for(struct rows *r, int stage, uint64_t addr)
{
	/* Consecutive addresses mostly fall in the same row: look there first. */
	if (r->n && r->v[r->n - 1].stage == stage && r->v[r->n - 1].addr == addr)
		return &r->v[r->n - 1];
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].stage == stage && r->v[i].addr == addr)
			return &r->v[i];
	if (r->n == r->cap) {
		size_t ncap = r->cap ? r->cap * 2 : 64;
		struct profile_row *n = realloc(r->v, ncap * sizeof *n);

		if (!n)
			return NULL;
		r->v = n;
		r->cap = ncap;
	}
	r->v[r->n] = (struct profile_row){ .stage = stage, .addr = addr };
	return &r->v[r->n++];
}

static int hotter(const void *a, const void *b)
{
	const struct profile_row *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int by_addr(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;

	return *x < *y ? -1 : *x > *y;
}

/* The instruction at addr, from its stage's image: its flow, or NONE when
 * the bytes are not there (a ROM). */
static void flow_at(const struct stage_model *m, const struct arch *a, uint64_t addr, struct arch_flow *f)
{
	const struct stage *s = stage_of(m, addr);
	uint8_t b[16];
	size_t n = a->insn_max < sizeof b ? a->insn_max : sizeof b;

	*f = (struct arch_flow){ ARCH_FLOW_NONE, 0, 0 };
	if (!s || !s->image)
		return;
	while (n > 0 && image_read(s->image, addr, b, n) < 0)
		n--;
	if (n)
		a->flow(b, n, addr, f);
}

/* Function entries the run shows: every stage's entry, and the encoded
 * target of every call it executed.  Sorted, without repeats. */
static uint64_t *entries_of(const struct profile *p, const struct stage_model *m, const struct arch *a,
			    size_t *count)
{
	size_t n = 0, cap = (size_t)m->n + 64;
	uint64_t *e = malloc(cap * sizeof *e);

	for (int i = 0; e && i < m->n; i++)
		if (m->stages[i].entry_known)
			e[n++] = m->stages[i].entry;
	for (size_t i = 0; e && i < p->n; i++) {
		struct arch_flow f;

		flow_at(m, a, p->insns[i].addr, &f);
		if (f.kind != ARCH_FLOW_CALL || !f.has_target)
			continue;
		if (n == cap) {
			uint64_t *g = realloc(e, (cap *= 2) * sizeof *e);

			if (!g) {
				free(e);
				return NULL;
			}
			e = g;
		}
		e[n++] = f.target;
	}
	if (!e)
		return NULL;
	qsort(e, n, sizeof *e, by_addr);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (k == 0 || e[i] != e[k - 1])
			e[k++] = e[i];
	*count = k;
	return e;
}

/* The function addr belongs to: a sized symbol that holds it, else the
 * nearest entry or symbol below it in its stage.  Its name into row. */
static void function_of(const struct stage_model *m, const uint64_t *e, size_t ne, uint64_t addr,
			uint64_t *start, char *name, size_t cap, int *named)
{
	const struct stage *s = stage_of(m, addr);
	const struct stage_label *l = s && !s->image ? stage_label_at(m, addr) : NULL;
	const struct image_symbol *sym = stage_symbol_at(m, addr);
	size_t lo = 0, hi = ne;

	*named = 1;
	if (l) {
		*start = l->addr;
		snprintf(name, cap, "%s", l->name);
		return;
	}
	while (lo < hi) {	/* the last entry <= addr */
		size_t mid = lo + (hi - lo) / 2;

		if (e[mid] <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	uint64_t entry = lo ? e[lo - 1] : 0;
	int have_entry = lo && s && entry >= s->lo;

	if (sym && ((sym->size && addr < sym->addr + sym->size) || !have_entry || entry <= sym->addr)) {
		*start = sym->addr;
		snprintf(name, cap, "%s", sym->name);
		return;
	}
	*named = 0;
	*start = have_entry ? entry : s ? s->lo : addr;
	/* An entry that a symbol names exactly is that symbol. */
	sym = stage_symbol_at(m, *start);
	if (sym && sym->addr == *start) {
		*named = 1;
		snprintf(name, cap, "%s", sym->name);
	} else {
		snprintf(name, cap, "0x%" PRIx64, *start);
	}
}

static int by_loop(const void *a, const void *b)
{
	const struct profile_loop *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return x->head < y->head ? -1 : x->head > y->head;
}

/* Every backward branch or jump the run took at least once, with what
 * ran between its target and itself.  prefix[i] is the count of the
 * instructions before index i. */
static int find_loops(const struct profile *p, const struct stage_model *m, const struct arch *a,
		      const uint64_t *prefix, struct profile_summary *out)
{
	size_t cap = 0;

	for (size_t i = 0; i < p->n; i++) {
		struct arch_flow f;
		uint64_t at = p->insns[i].addr;

		flow_at(m, a, at, &f);
		if ((f.kind != ARCH_FLOW_BRANCH && f.kind != ARCH_FLOW_JUMP) || !f.has_target || f.target > at ||
		    at - f.target > LOOP_SPAN_MAX || profile_count_at(p, f.target) == 0)
			continue;
		if (out->nloops == cap) {
			size_t ncap = cap ? cap * 2 : 32;
			struct profile_loop *n = realloc(out->loops, ncap * sizeof *n);

			if (!n)
				return err_set("out of memory summing up the profile");
			out->loops = n;
			cap = ncap;
		}
		struct profile_loop *l = &out->loops[out->nloops++];
		size_t h = lower_bound(p, f.target);

		*l = (struct profile_loop){ .head = f.target, .branch = at,
					    .count = prefix[i + 1] - prefix[h], .runs = p->insns[i].count };
	}
	qsort(out->loops, out->nloops, sizeof *out->loops, by_loop);
	return 0;
}

int profile_summarize(const struct profile *p, const struct stage_model *m, const struct arch *a,
		      struct profile_summary *out)
{
	struct rows secs = { 0 }, fns = { 0 };
	uint64_t *entries, *prefix;
	size_t nentries = 0;
	int rc = 0;

	memset(out, 0, sizeof *out);
	out->total = p->total;
	for (int i = 0; i <= m->n; i++) {
		struct profile_row *r = &out->stages[out->nstages++];

		*r = (struct profile_row){ .stage = i < m->n ? i : -1 };
		snprintf(r->name, sizeof r->name, "%s", i < m->n ? m->stages[i].name : "elsewhere");
		r->addr = i < m->n ? m->stages[i].entry : 0;
	}
	entries = entries_of(p, m, a, &nentries);
	prefix = malloc((p->n + 1) * sizeof *prefix);
	if (!entries || !prefix) {
		free(entries);
		free(prefix);
		return err_set("out of memory summing up the profile");
	}
	prefix[0] = 0;
	for (size_t i = 0; i < p->n && rc == 0; i++) {
		const struct profile_insn *in = &p->insns[i];
		int st = stage_index(m, in->addr), named;
		uint64_t lo = 0, start;
		const char *sec = stage_section_of(m, in->addr, &lo, NULL);
		char name[64];
		struct profile_row *r;

		prefix[i + 1] = prefix[i] + in->count;
		out->stages[st >= 0 ? st : m->n].count += in->count;
		r = row_for(&secs, st, sec ? lo : 0);
		if (!r) {
			rc = err_set("out of memory summing up the profile");
			break;
		}
		if (!r->count)
			snprintf(r->name, sizeof r->name, "%s", sec ? sec : "(no section)");
		r->count += in->count;
		function_of(m, entries, nentries, in->addr, &start, name, sizeof name, &named);
		r = row_for(&fns, st, start);
		if (!r) {
			rc = err_set("out of memory summing up the profile");
			break;
		}
		if (!r->count) {
			snprintf(r->name, sizeof r->name, "%s", name);
			r->named = named;
		}
		r->count += in->count;
	}
	out->nharts = p->nharts;
	for (size_t h = 0; h < p->nharts; h++)
		out->harts[h].total = p->hart_total[h];
	for (size_t i = 0; i < p->nh; i++) {
		int st = stage_index(m, p->hinsns[i].addr);

		out->harts[p->hinsns[i].hart].stage[st >= 0 ? st : m->n] += p->hinsns[i].count;
	}
	if (rc == 0)
		rc = find_loops(p, m, a, prefix, out);
	if (out->stages[m->n].count == 0)	/* nothing ran outside the stages */
		out->nstages--;
	qsort(secs.v, secs.n, sizeof *secs.v, hotter);
	qsort(fns.v, fns.n, sizeof *fns.v, hotter);
	out->sections = secs.v;
	out->nsections = secs.n;
	out->functions = fns.v;
	out->nfunctions = fns.n;
	for (size_t i = 0; rc == 0 && i < out->nloops; i++) {
		struct profile_loop *l = &out->loops[i];
		uint64_t start;
		int named;

		function_of(m, entries, nentries, l->head, &start, l->function, sizeof l->function, &named);
	}
	free(entries);
	free(prefix);
	if (rc < 0)
		profile_summary_free(out);
	return rc;
}

void profile_summary_free(struct profile_summary *s)
{
	free(s->sections);
	free(s->functions);
	free(s->loops);
	memset(s, 0, sizeof *s);
}
