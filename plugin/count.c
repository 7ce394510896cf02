/*
 * count.c: a QEMU TCG plugin that counts executed instructions, exactly,
 * per guest virtual address (bootscope --profile, and the instruction count
 * of each boot event).  It does one job: count; bootscope reads and phrases.
 *
 * The contract with bootscope (the reader of what this writes):
 *
 *   qemu-system-riscv64 ... -plugin file=bootscope-count.so,out=PATH
 *                                  [,live=PATH][,mark=0xADDR]...[,harts=on]
 *
 *   out=PATH    required.  When QEMU exits (guest power-off, or QEMU ended
 *               by SIGTERM, SIGINT or SIGHUP: docs/plugins-and-replay.md),
 *               PATH.tmp is written and renamed to PATH, so a reader sees
 *               the whole file or none.  Text, one record a line:
 *                   bootscope-count 1
 *                   total N
 *                   mark 0xADDR N   one per mark that executed, in the
 *                                   order given; N = instructions executed
 *                                   before its first execution
 *                   insn 0xADDR N   one per executed address, ascending
 *                   hart H N        with harts=on: one per hart that ran
 *                   hinsn H 0xADDR N  with harts=on: hart H's share of
 *                                   an insn line, by hart, ascending
 *               Addresses are lowercase hex with 0x, counts decimal; the
 *               insn counts add up to the total, and so do the harts'.
 *   live=PATH   PATH is created (mode 0600) and mapped shared; its first 8
 *               bytes are a little-endian uint64, the total so far, kept up
 *               to date by the generated code itself.  Read it while QEMU is
 *               stopped (at a gdbstub stop): an instruction at which QEMU
 *               stopped has not been counted yet.
 *   mark=0xADDR up to MAX_MARKS; may repeat.
 *   harts=on    count by hart too (harts 0 to MAX_HARTS - 1; a hart past
 *               them counts in the sums only).  Each instruction then
 *               calls in rather than adding inline: slower, but every hart
 *               adds to counters of its own, and the total atomically, so
 *               with -smp N the counts are exact as well.
 *
 * An unknown or malformed argument makes the plugin refuse to load, so QEMU
 * does not start: better than a profile that silently lacks what was asked.
 *
 * Without harts=on, exact on one hart: with -smp N the inline additions of
 * different harts are not atomic and may lose counts.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "qemu_plugin.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the live counter is a native uint64_t, promised to readers as little-endian"
#endif

#define MAX_MARKS 16
#define MAX_HARTS 8
#define CHUNK 4096 /* slots per chunk */

QEMU_PLUGIN_EXPORT int qemu_plugin_version = 1;

/*
 * A slot is one address's counter.  Generated code holds a pointer to it for
 * as long as the translation lives, so a slot never moves: slots live in
 * fixed chunks.  The array of chunk pointers does not move either (harts
 * look slots up in it while another hart translates): it is sized for
 * every slot there can be, and only its pages in use are ever touched.
 * The hash table (address -> slot number + 1, 0 = empty) may be rebuilt
 * at will, under the lock.
 */
struct chunk {
	uint64_t count[CHUNK];
	uint64_t addr[CHUNK];
	int8_t mark[CHUNK];		 /* harts=on: 1 + the slot's mark, or 0 */
	uint64_t (*hart)[CHUNK];	 /* harts=on: MAX_HARTS rows of counts */
};

#define MAX_CHUNKS ((UINT32_MAX - 1) / CHUNK + 1)

static struct chunk *chunks[MAX_CHUNKS];
static size_t n_chunks, n_slots;
static uint32_t *table;
static size_t table_size; /* a power of two, at least twice n_slots */

struct mark {
	uint64_t addr;
	uint64_t before; /* the total at its first execution */
	int hit;
};

static struct mark marks[MAX_MARKS];
static int n_marks;

static uint64_t own_total;
static uint64_t *total = &own_total; /* or the first word of the live file */
static const char *out_path;
static int by_hart; /* harts=on */
static int hart_past; /* a hart past MAX_HARTS ran (said once) */

/* With -smp N, harts translate in parallel. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static size_t hash(uint64_t addr, size_t size)
{
	return (size_t)((addr * 0x9e3779b97f4a7c15ull) >> 32) & (size - 1);
}

static uint64_t *slot_count(size_t s) { return &chunks[s / CHUNK]->count[s % CHUNK]; }
static uint64_t slot_addr(size_t s) { return chunks[s / CHUNK]->addr[s % CHUNK]; }

static int table_grow(void)
{
	size_t size = table_size ? table_size * 2 : 1 << 14;
	uint32_t *t = calloc(size, sizeof *t);

	if (t == NULL)
		return -1;
	for (size_t s = 0; s < n_slots; s++) {
		size_t h = hash(slot_addr(s), size);
		while (t[h] != 0)
			h = (h + 1) & (size - 1);
		t[h] = (uint32_t)(s + 1);
	}
	free(table);
	table = t;
	table_size = size;
	return 0;
}

/* The slot of addr, into *out: the same one for every translation of
 * addr.  0, or -1 out of memory. */
static int slot_for(uint64_t addr, size_t *out)
{
	size_t h, s;

	if (2 * (n_slots + 1) > table_size && table_grow() < 0)
		return -1;
	for (h = hash(addr, table_size); table[h] != 0; h = (h + 1) & (table_size - 1))
		if (slot_addr(table[h] - 1) == addr) {
			*out = table[h] - 1;
			return 0;
		}
	if (n_slots == UINT32_MAX - 1)
		return -1;
	if (n_slots == n_chunks * CHUNK) {
		if ((chunks[n_chunks] = calloc(1, sizeof **chunks)) == NULL)
			return -1;
		if (by_hart && (chunks[n_chunks]->hart = calloc(MAX_HARTS, sizeof *chunks[n_chunks]->hart)) == NULL)
			return -1;
		n_chunks++;
	}
	s = n_slots++;
	chunks[s / CHUNK]->addr[s % CHUNK] = addr;
	table[h] = (uint32_t)(s + 1);
	*out = s;
	return 0;
}

/*
 * A mark's instruction counts itself into the total here rather than
 * inline, so "the total before it" does not depend on the order in which
 * QEMU runs a callback and an inline addition of the same instruction.
 */
static void on_mark(unsigned int vcpu, void *userdata)
{
	struct mark *m = userdata;

	(void)vcpu;
	if (!m->hit) {
		m->before = *total;
		m->hit = 1;
	}
	(*total)++;
}

/*
 * harts=on: every instruction, on the hart that runs it.  The slot's
 * counters are that hart's alone; the total is shared, so added to
 * atomically, and its value before the addition is where a mark is.
 */
static void on_insn_hart(unsigned int vcpu, void *userdata)
{
	size_t s = (size_t)(uintptr_t)userdata;
	struct chunk *c = chunks[s / CHUNK];
	uint64_t before = __atomic_fetch_add(total, 1, __ATOMIC_RELAXED);
	int zero = 0;

	if (vcpu < MAX_HARTS)
		c->hart[vcpu][s % CHUNK]++;
	else {	/* in the sums only */
		__atomic_fetch_add(&c->count[s % CHUNK], 1, __ATOMIC_RELAXED);
		if (!__atomic_exchange_n(&hart_past, 1, __ATOMIC_RELAXED))
			fprintf(stderr, "bootscope-count: hart %u is past the %d counted one by one\n", vcpu, MAX_HARTS);
	}
	if (c->mark[s % CHUNK]) {
		struct mark *m = &marks[c->mark[s % CHUNK] - 1];

		if (__atomic_compare_exchange_n(&m->hit, &zero, 1, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
			m->before = before;
	}
}

static struct mark *pending_mark(uint64_t addr)
{
	for (int i = 0; i < n_marks; i++)
		if (marks[i].addr == addr && !marks[i].hit)
			return &marks[i];
	return NULL;
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb);

	(void)id;
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint64_t addr = qemu_plugin_insn_vaddr(insn);
		size_t slot;
		struct mark *m = pending_mark(addr);

		if (slot_for(addr, &slot) < 0) {
			/* Out of memory: a profile with a hole would lie. */
			fprintf(stderr, "bootscope-count: out of memory for the counter of 0x%" PRIx64 "\n", addr);
			abort();
		}
		if (by_hart) {
			chunks[slot / CHUNK]->mark[slot % CHUNK] = m != NULL ? (int8_t)(m - marks + 1) : 0;
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_insn_hart, QEMU_PLUGIN_CB_NO_REGS,
							       (void *)(uintptr_t)slot);
			continue;
		}
		qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, slot_count(slot), 1);
		if (m != NULL)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_mark, QEMU_PLUGIN_CB_NO_REGS, m);
		else
			qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, total, 1);
	}
	pthread_mutex_unlock(&lock);
}

struct row {
	uint64_t addr, count;
	const uint64_t *hart; /* harts=on: its MAX_HARTS counts */
};

static int row_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/*
 * QEMU calls this at exit while other harts may still be running (one
 * hart powered the machine off, another spins or waits): the counters
 * move as they are read.  So each is read once, into a copy, and the
 * total written is the copy's sum, which the lines then add up to.
 */
static int write_out(FILE *f)
{
	size_t width = by_hart ? MAX_HARTS : 0, slots = n_slots;	/* under the lock */
	struct row *rows = malloc((slots ? slots : 1) * sizeof *rows);
	uint64_t *copy = calloc((slots ? slots : 1) * (width ? width : 1), sizeof *copy);
	uint64_t sum = 0;
	size_t n = 0;

	if (rows == NULL || copy == NULL) {
		free(rows);
		free(copy);
		return -1;
	}
	for (size_t s = 0; s < slots; s++) {
		uint64_t *h = copy + s * width, c = __atomic_load_n(slot_count(s), __ATOMIC_RELAXED);

		for (size_t k = 0; k < width; k++)
			c += h[k] = __atomic_load_n(&chunks[s / CHUNK]->hart[k][s % CHUNK], __ATOMIC_RELAXED);
		if (c != 0) /* translated, never executed: not a row */
			rows[n++] = (struct row){slot_addr(s), c, h};
		sum += c;
	}
	qsort(rows, n, sizeof *rows, row_cmp);
	fprintf(f, "bootscope-count 1\ntotal %" PRIu64 "\n", sum);
	for (int i = 0; i < n_marks; i++)
		if (marks[i].hit)
			fprintf(f, "mark 0x%" PRIx64 " %" PRIu64 "\n", marks[i].addr, marks[i].before);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "insn 0x%" PRIx64 " %" PRIu64 "\n", rows[i].addr, rows[i].count);
	for (size_t k = 0; k < width; k++) {
		uint64_t hsum = 0;

		for (size_t i = 0; i < n; i++)
			hsum += rows[i].hart[k];
		if (hsum == 0)
			continue;
		fprintf(f, "hart %zu %" PRIu64 "\n", k, hsum);
		for (size_t i = 0; i < n; i++)
			if (rows[i].hart[k] != 0)
				fprintf(f, "hinsn %zu 0x%" PRIx64 " %" PRIu64 "\n", k, rows[i].addr, rows[i].hart[k]);
	}
	free(rows);
	free(copy);
	return 0;
}

static void on_exit_qemu(qemu_plugin_id_t id, void *userdata)
{
	char tmp[4096];
	FILE *f;
	int bad;

	(void)id;
	(void)userdata;
	if (snprintf(tmp, sizeof tmp, "%s.tmp", out_path) >= (int)sizeof tmp) {
		fprintf(stderr, "bootscope-count: out path too long\n");
		return;
	}
	if ((f = fopen(tmp, "w")) == NULL) {
		fprintf(stderr, "bootscope-count: %s: %s\n", tmp, strerror(errno));
		return;
	}
	pthread_mutex_lock(&lock);	/* no hart adds slots meanwhile */
	bad = write_out(f) < 0;
	pthread_mutex_unlock(&lock);
	bad |= ferror(f);
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, out_path) < 0) {
		fprintf(stderr, "bootscope-count: could not write %s\n", out_path);
		unlink(tmp);
	}
}

static int map_live(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	void *p;

	if (fd < 0) {
		fprintf(stderr, "bootscope-count: live=%s: %s\n", path, strerror(errno));
		return -1;
	}
	if (ftruncate(fd, sizeof(uint64_t)) < 0) {
		fprintf(stderr, "bootscope-count: live=%s: %s\n", path, strerror(errno));
		close(fd);
		return -1;
	}
	p = mmap(NULL, sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd); /* the mapping keeps the file */
	if (p == MAP_FAILED) {
		fprintf(stderr, "bootscope-count: live=%s: mmap: %s\n", path, strerror(errno));
		return -1;
	}
	total = p;
	return 0;
}

static int add_mark(const char *text)
{
	char *end;
	uint64_t addr;

	errno = 0;
	addr = strtoull(text, &end, 0);
	if (errno != 0 || end == text || *end != '\0' || text[0] == '-') {
		fprintf(stderr, "bootscope-count: mark=%s: not an address\n", text);
		return -1;
	}
	for (int i = 0; i < n_marks; i++)
		if (marks[i].addr == addr)
			return 0;
	if (n_marks == MAX_MARKS) {
		fprintf(stderr, "bootscope-count: more than %d marks\n", MAX_MARKS);
		return -1;
	}
	marks[n_marks++].addr = addr;
	return 0;
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv);

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
	const char *live = NULL;

	(void)info;
	for (int i = 0; i < argc; i++) {
		if (strncmp(argv[i], "out=", 4) == 0 && argv[i][4] != '\0') {
			out_path = argv[i] + 4;
		} else if (strncmp(argv[i], "live=", 5) == 0 && argv[i][5] != '\0') {
			live = argv[i] + 5;
		} else if (strcmp(argv[i], "harts=on") == 0) {
			by_hart = 1;
		} else if (strncmp(argv[i], "mark=", 5) == 0) {
			if (add_mark(argv[i] + 5) < 0)
				return -1;
		} else {
			fprintf(stderr, "bootscope-count: unknown argument %s\n", argv[i]);
			return -1;
		}
	}
	if (out_path == NULL) {
		fprintf(stderr, "bootscope-count: out=PATH is required\n");
		return -1;
	}
	if (live != NULL && map_live(live) < 0)
		return -1;
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
	qemu_plugin_register_atexit_cb(id, on_exit_qemu, NULL);
	return 0;
}
