/* test_disasm_kernel: every instruction of the bundled kernel's .text
 * (build/kernel.elf, found through $TOP) and of QEMU's reset vector,
 * disassembled by disasm.h as bootscope does it -- bytes from image_read(),
 * names from the stage model -- against riscv64-unknown-elf-objdump -d.
 *
 * The comparison is test_disasm.c's: whitespace runs become one space, and
 * objdump's "80200010 <kmain>" is read as bootscope's "0x80200010 <kmain>".
 * The bundled kernel is the one students read first, so here the names
 * must match objdump's too, not only the instructions. */
#include "check.h"
#include "objdump_text.h"
#include "disasm.h"
#include "err.h"
#include "image.h"
#include "board_virt.h"
#include "stage.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int symbolize(void *ctx, uint64_t addr, char *buf, size_t cap)
{
	return stage_symbol_of(ctx, addr, buf, cap);
}

/* A source of instruction bytes: an image, or a plain buffer at base.
 * [lo, hi) is what bootscope may name. */
struct bytes {
	const struct image *img;
	const uint8_t *buf;
	uint64_t base;
	size_t len;
	uint64_t lo, hi;
};

/* objdump names any number it can reach from a symbol: the end marker one
 * past the image (ebss) or a constant far below it (<_start-0x2ccdacac>).
 * bootscope names only addresses of the image.  1 if that is the only
 * difference between the two (normalized) texts. */
static int named_outside(const char *objdump, const char *ours, const struct bytes *src)
{
	const char *lt = strstr(objdump, " <"), *gt = lt ? strchr(lt, '>') : NULL, *num = lt;
	char rest[512];

	if (!gt)
		return 0;
	while (num > objdump && isxdigit((unsigned char)num[-1]))
		num--;
	uint64_t addr = strtoull(num, NULL, 16);
	snprintf(rest, sizeof rest, "%.*s%s", (int)(lt - objdump), objdump, gt + 1);
	return strcmp(rest, ours) == 0 && (addr < src->lo || addr >= src->hi);
}

static size_t fetch(const struct bytes *b, uint64_t addr, uint8_t *out, size_t want)
{
	if (b->img) {
		while (want > 0 && image_read(b->img, addr, out, want) < 0)
			want--;
		return want;
	}
	if (addr < b->base || addr >= b->base + b->len)
		return 0;
	if (want > b->base + b->len - addr)
		want = b->base + b->len - addr;
	memcpy(out, b->buf + (addr - b->base), want);
	return want;
}

/* Compare every line of `cmd` (an objdump listing) with disasm_one on the
 * same bytes, in the same order.  Returns how many were compared. */
static int compare(const char *what, const char *cmd, const struct bytes *src, struct disasm *d,
		   int *name_diffs)
{
	char line[512];
	int compared = 0, bad = 0, badlen = 0, gap = 0;
	unsigned long long prev_addr = 0;
	int prev_len = 0;
	FILE *p = popen(cmd, "r");

	*name_diffs = 0;
	while (p && fgets(line, sizeof line, p)) {
		char want[512], got[256], a[512], b[512], *t;
		unsigned long long addr;
		uint8_t bytes[DISASM_MAX_LEN];
		size_t have;
		int n;

		/* "\t..." stands for a run of zeros that objdump leaves out. */
		if (strspn(line, " \t") + 3 <= strlen(line) && strncmp(line + strspn(line, " \t"), "...", 3) == 0)
			gap = 1;
		/* "    80200000:\t00007117          \tauipc\tsp,0x7" */
		if (sscanf(line, " %llx:", &addr) != 1 || !(t = strchr(line, '\t')) || !(t = strchr(t + 1, '\t')))
			continue;
		t[strcspn(t, "\n")] = '\0';
		/* Each instruction starts where the one before ended: the same
		 * lengths as objdump's. */
		if (compared && !gap && prev_addr + (unsigned)prev_len != addr && badlen++ < 5)
			printf("# %s 0x%llx: bootscope's length %d for 0x%llx, objdump's %llu\n", what, addr,
			       prev_len, prev_addr, addr - prev_addr);
		gap = 0;
		objdump_addresses(t + 1, want, sizeof want);
		have = fetch(src, addr, bytes, sizeof bytes);
		n = disasm_one(d, addr, bytes, have, got, sizeof got);
		compared++;
		prev_addr = addr;
		prev_len = n;
		normalize(got, a, sizeof a, 0);
		normalize(want, b, sizeof b, 0);
		if (n < 0 || strcmp(a, b) != 0) {
			if (bad++ < 10)
				printf("# %s 0x%llx: objdump \"%s\", bootscope \"%s\" %s\n", what, addr, b, a,
				       n < 0 ? err_msg() : "");
			continue;
		}
		normalize(got, a, sizeof a, 1);
		normalize(want, b, sizeof b, 1);
		if (strcmp(a, b) == 0)
			continue;
		if (named_outside(b, a, src))
			printf("# %s 0x%llx: objdump names what is outside the image: \"%s\"\n", what, addr, b);
		else if ((*name_diffs)++ < 10)
			printf("# %s 0x%llx: names differ: objdump \"%s\", bootscope \"%s\"\n", what, addr, b, a);
	}
	CHECK(p != NULL && pclose(p) == 0);
	CHECK_EQ_U64(bad, 0);
	CHECK_EQ_U64(badlen, 0);
	return compared;
}

static void test_kernel(const char *top)
{
	char elf[4096], cmd[4200];
	struct image *img = NULL;
	struct disasm *d = NULL;
	struct stage_model m;
	int n, diffs;

	snprintf(elf, sizeof elf, "%s/build/kernel.elf", top);
	if (!CHECK(image_open(&img, elf) == 0)) {
		printf("# %s\n", err_msg());
		return;
	}
	/* The names bootscope shows: the stage model over the kernel image. */
	board_virt_build(&m, NULL, &(struct board_boot){ .kernel = img });
	CHECK(disasm_open(&d, "riscv:rv64", symbolize, &m) == 0);
	if (d) {
		struct bytes src = { .img = img, .lo = img->lo, .hi = img->hi };

		snprintf(cmd, sizeof cmd, "riscv64-unknown-elf-objdump -d -j .text '%s'", elf);
		n = compare("kernel", cmd, &src, d, &diffs);
		printf("# %d instructions of build/kernel.elf compared\n", n);
		CHECK(n > 100);
		CHECK_EQ_U64(diffs, 0);
	}
	disasm_close(d);
	image_close(img);
}

/* QEMU 7.2's reset vector and the data after it (test_stage.c, docs/virt-boot.md),
 * all 0x58 bytes read as code, the way objdump -D reads a binary. */
static void test_reset_vector(void)
{
	static const uint32_t words[] = {
		0x00000297, 0x02828613, 0xf1402573, 0x0202b583, 0x0182b283, 0x00028067,
		0x80000000, 0, 0x87e00000, 0,
		0x4942534f, 0, 2, 0, 0x80200000, 0, 1, 0, 0, 0, 0, 0,
	};
	uint8_t rom[sizeof words];
	char path[] = "/tmp/bootscope-test-disasm-kernel.XXXXXX", cmd[256];
	struct disasm *d = NULL;
	int fd, n, diffs;

	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		for (int k = 0; k < 4; k++)
			rom[4 * i + (size_t)k] = (uint8_t)(words[i] >> 8 * k);
	fd = mkstemp(path);
	if (!CHECK(fd >= 0))
		return;
	CHECK(write(fd, rom, sizeof rom) == (ssize_t)sizeof rom);
	close(fd);
	CHECK(disasm_open(&d, "riscv:rv64", NULL, NULL) == 0);
	if (d) {
		struct bytes src = { .buf = rom, .base = 0x1000, .len = sizeof rom };

		snprintf(cmd, sizeof cmd,
			 "riscv64-unknown-elf-objdump -D -b binary -m riscv:rv64 --adjust-vma=0x1000 '%s'", path);
		n = compare("reset vector", cmd, &src, d, &diffs);
		CHECK(n >= 22);
		CHECK_EQ_U64(diffs, 0);
	}
	unlink(path);
	disasm_close(d);
}

int main(void)
{
	const char *top = getenv("TOP");

	test_kernel(top && *top ? top : ".");
	test_reset_vector();
	return check_done();
}
