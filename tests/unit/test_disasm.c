/* test_disasm: disasm_one() against riscv64-unknown-elf-objdump -d, over
 * the whole .text of the test image (tests/unit/fixtures/tiny.*) and a
 * stretch of Debian's OpenSBI, plus QEMU's reset vector and the edges:
 * short buffers, small output buffers, bytes that are no instruction. */
#include "check.h"
#include "objdump_text.h"
#include "disasm.h"
#include "err.h"
#include "image.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FW "/usr/share/qemu/opensbi-riscv64-generic-fw_dynamic.elf"

static char dir[64];

static int symbolize(void *ctx, uint64_t addr, char *buf, size_t cap)
{
	const struct image_symbol *s = image_symbol_at(ctx, addr);

	if (!s)
		return -1;
	if (addr == s->addr)
		snprintf(buf, cap, "%s", s->name);
	else
		snprintf(buf, cap, "%s+0x%llx", s->name, (unsigned long long)(addr - s->addr));
	return 0;
}

static int fixed_name(void *ctx, uint64_t addr, char *buf, size_t cap)
{
	(void)ctx;
	(void)addr;
	snprintf(buf, cap, "there");
	return 0;
}

/* Disassemble every instruction objdump lists for elf (with extra objdump
 * options) and compare.  Returns how many were compared. */
static int compare_with_objdump(const char *elf, const char *opts, int with_names, int *name_diffs)
{
	struct image *img = NULL;
	struct disasm *d = NULL;
	char cmd[512], line[512];
	int compared = 0, bad = 0;
	FILE *p;

	*name_diffs = 0;
	if (image_open(&img, elf) < 0 || disasm_open(&d, "riscv:rv64", symbolize, img) < 0) {
		printf("# %s\n", err_msg());
		image_close(img);
		return 0;
	}
	snprintf(cmd, sizeof cmd, "riscv64-unknown-elf-objdump -d %s %s", opts, elf);
	p = popen(cmd, "r");
	while (p && fgets(line, sizeof line, p)) {
		char want[512], got[256], a[512], b[512], *t;
		unsigned long long addr;
		uint8_t bytes[DISASM_MAX_LEN];
		size_t have;
		int n;

		/* "    80200000:\t00003117          \tauipc\tsp,0x3" */
		if (sscanf(line, " %llx:", &addr) != 1 || !(t = strchr(line, '\t')) || !(t = strchr(t + 1, '\t')) ||
		    strstr(t, "out of bounds"))	/* straddles --stop-address */
			continue;
		objdump_addresses(t + 1, want, sizeof want);
		for (have = sizeof bytes; have > 0 && image_read(img, addr, bytes, have) < 0; have--)
			;
		n = disasm_one(d, addr, bytes, have, got, sizeof got);
		compared++;
		normalize(got, a, sizeof a, 0);
		normalize(want, b, sizeof b, 0);
		if (n < 0 || strcmp(a, b) != 0) {
			if (bad++ < 10)
				printf("# 0x%llx: objdump \"%s\", bootscope \"%s\"%s\n", addr, b, a, n < 0 ? err_msg() : "");
			continue;
		}
		normalize(got, a, sizeof a, 1);
		normalize(want, b, sizeof b, 1);
		if (strcmp(a, b) != 0 && (*name_diffs)++ < 10 && with_names)
			printf("# 0x%llx: names differ (gdb rule vs objdump rule): objdump \"%s\", bootscope \"%s\"\n", addr, b, a);
	}
	CHECK(p != NULL && pclose(p) == 0);
	CHECK_EQ_U64(bad, 0);
	disasm_close(d);
	image_close(img);
	return compared;
}

static void test_objdump(void)
{
	char elf[128], cmd[256];
	int diffs, n;

	snprintf(elf, sizeof elf, "%s/tiny.elf", dir);
	n = compare_with_objdump(elf, "", 1, &diffs);
	CHECK(n > 60);
	/* Only where gdb's rule (image_symbol_at) and objdump's differ: a
	 * label inside a sized function (spin in _start). */
	CHECK(diffs <= 1);
	/* objdump takes the privileged spec from .riscv.attributes (OpenSBI's
	 * says 1.11, so mtval2 is plain 0x34b); bootscope names CSRs after the
	 * newest spec.  Without the attributes both use libopcodes' defaults. */
	snprintf(cmd, sizeof cmd, "riscv64-unknown-elf-objcopy -R .riscv.attributes %s %s/fw.elf", FW, dir);
	CHECK(system(cmd) == 0);
	snprintf(elf, sizeof elf, "%s/fw.elf", dir);
	n = compare_with_objdump(elf, "--start-address=0x80000000 --stop-address=0x80006000", 0, &diffs);
	CHECK(n > 6000);
}

/* One instruction from its little-endian encoding. */
static int one(struct disasm *d, uint64_t addr, uint32_t word, char *out, size_t cap)
{
	uint8_t b[4] = { (uint8_t)word, (uint8_t)(word >> 8), (uint8_t)(word >> 16), (uint8_t)(word >> 24) };

	return disasm_one(d, addr, b, 4, out, cap);
}

/* QEMU 7.2's reset vector at 0x1000 (hw/riscv/boot.c), step by step. */
static void test_reset_vector(void)
{
	static const struct {
		uint32_t word;
		const char *text;
	} rv[] = {
		{ 0x00000297, "auipc t0,0x0" },
		{ 0x02828613, "add a2,t0,40 # 0x1028" },	/* binutils 2.40 prints addi as add */
		{ 0xf1402573, "csrr a0,mhartid" },
		{ 0x0202b583, "ld a1,32(t0)" },
		{ 0x0182b283, "ld t0,24(t0)" },
		{ 0x00028067, "jr t0" },
	};
	struct disasm *d = NULL;
	char out[128];
	size_t i;

	CHECK(disasm_open(&d, "riscv:rv64", NULL, NULL) == 0);
	if (!d)
		return;
	for (i = 0; i < sizeof rv / sizeof rv[0]; i++) {
		CHECK_EQ_U64(one(d, 0x1000 + 4 * i, rv[i].word, out, sizeof out), 4);
		CHECK_EQ_STR(out, rv[i].text);
	}
	/* Out of sequence, the addi has no auipc to pair with. */
	CHECK_EQ_U64(one(d, 0x1004, rv[1].word, out, sizeof out), 4);
	CHECK_EQ_STR(out, "add a2,t0,40");
	CHECK_EQ_U64(one(d, 0x1000, rv[0].word, out, sizeof out), 4);
	CHECK_EQ_U64(one(d, 0x2004, rv[1].word, out, sizeof out), 4);
	CHECK_EQ_STR(out, "add a2,t0,40");
	disasm_close(d);

	/* The assembler agrees on the encodings. */
	{
		char cmd[1024];
		FILE *f;
		uint8_t bytes[64];
		size_t n = 0;

		snprintf(cmd, sizeof cmd,
			 "cd %s && printf 'auipc t0,0\\naddi a2,t0,40\\ncsrr a0,mhartid\\nld a1,32(t0)\\nld t0,24(t0)\\njr t0\\n' > rv.s && "
			 "riscv64-unknown-elf-as -march=rv64g rv.s -o rv.o && riscv64-unknown-elf-objcopy -O binary -j .text rv.o rv.bin",
			 dir);
		CHECK(system(cmd) == 0);
		snprintf(cmd, sizeof cmd, "%s/rv.bin", dir);
		if ((f = fopen(cmd, "rb"))) {
			n = fread(bytes, 1, sizeof bytes, f);
			fclose(f);
		}
		CHECK_EQ_U64(n, 24);
		for (i = 0; i < 6 && n == 24; i++)
			CHECK_EQ_U64(bytes[4 * i] | bytes[4 * i + 1] << 8 | bytes[4 * i + 2] << 16 |
				     (uint32_t)bytes[4 * i + 3] << 24, rv[i].word);
	}
}

static void test_edges(void)
{
	struct disasm *d = NULL, *named = NULL;
	char out[128], small[16];
	uint8_t jal[4] = { 0xef, 0x00, 0x00, 0x01 };	/* jal ra,pc+16 */
	uint8_t ret[2] = { 0x82, 0x80 };		/* c.ret */
	uint8_t longer[DISASM_MAX_LEN] = { 0x7f, 0x00 };	/* an 80-bit encoding */
	uint8_t junk[4];
	uint32_t w;
	int i, bad;

	CHECK(disasm_open(&d, "riscv:rv64", NULL, NULL) == 0 && disasm_open(&named, "riscv:rv64", fixed_name, NULL) == 0);
	if (!d || !named)
		return;
	CHECK_EQ_U64(disasm_one(d, 0x80200000, jal, 4, out, sizeof out), 4);
	CHECK_EQ_STR(out, "jal 0x80200010");
	CHECK_EQ_U64(disasm_one(named, 0x80200000, jal, 4, out, sizeof out), 4);
	CHECK_EQ_STR(out, "jal 0x80200010 <there>");
	CHECK_EQ_U64(disasm_one(d, 0x80200000, ret, 2, out, sizeof out), 2);
	CHECK_EQ_STR(out, "ret");

	/* Too few bytes. */
	CHECK_EQ_U64(disasm_one(d, 0x80200000, jal, 2, out, sizeof out), -1);
	CHECK_EQ_STR(out, "");
	CHECK(strstr(err_msg(), "0x80200000 is longer than the 2 byte(s)") != NULL);
	CHECK_EQ_U64(disasm_one(d, 0x80200000, jal, 1, out, sizeof out), -1);
	CHECK_EQ_U64(disasm_one(d, 0x80200000, jal, 0, out, sizeof out), -1);
	CHECK_EQ_U64(disasm_one(d, 0x80200000, longer, 8, out, sizeof out), -1);
	CHECK_EQ_U64(disasm_one(d, 0x80200000, longer, sizeof longer, out, sizeof out), 10);
	CHECK(out[0] != '\0');

	/* A small buffer is cut short, never overrun. */
	memset(small, 'x', sizeof small);
	CHECK_EQ_U64(disasm_one(named, 0x80200000, jal, 4, small, 8), 4);
	CHECK_EQ_STR(small, "jal 0x8");
	CHECK(small[8] == 'x' && small[15] == 'x');
	CHECK_EQ_U64(disasm_one(d, 0x80200000, jal, 4, small, 1), 4);
	CHECK_EQ_STR(small, "");
	CHECK_EQ_U64(disasm_one(d, 0x80200000, jal, 4, small, 0), -1);

	/* No instruction: libopcodes' own rendering, the right length. */
	CHECK_EQ_U64(disasm_one(d, 0, (const uint8_t *)"\xff\xff\xff\xff", 4, out, sizeof out), 2);
	CHECK_EQ_STR(out, ".2byte 0xffff");
	CHECK_EQ_U64(disasm_one(d, 0, (const uint8_t *)"\x00\x00\x00\x00", 4, out, sizeof out), 2);
	CHECK_EQ_STR(out, "unimp");
	/* Every kind of 32-bit word decodes to something of a sane length. */
	srand(3);
	for (i = 0, bad = 0; i < 200000; i++) {
		int n;

		w = (uint32_t)rand() << 16 ^ (uint32_t)rand();
		memcpy(junk, &w, 4);
		n = disasm_one(d, 0x80000000 + 4 * (uint64_t)i, junk, 4, out, sizeof out);
		bad += !(n == 2 || n == 4 || (n == -1 && (w & 0x1f) == 0x1f)) || (n > 0 && !out[0]);
	}
	CHECK_EQ_U64(bad, 0);
	disasm_close(d);
	disasm_close(named);
	disasm_close(NULL);
}

int main(void)
{
	const char *t = getenv("TOP");
	char cmd[4400];

	snprintf(dir, sizeof dir, "/tmp/bootscope-test-disasm.XXXXXX");
	CHECK(mkdtemp(dir) != NULL);
	snprintf(cmd, sizeof cmd, "sh %s/tests/unit/fixtures/tiny.sh %s > %s/build.log 2>&1", t && *t ? t : ".", dir,
		 dir);
	if (CHECK(system(cmd) == 0))
		test_objdump();
	test_reset_vector();
	test_edges();
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	return check_done();
}
