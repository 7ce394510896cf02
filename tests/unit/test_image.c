/* test_image: the image module against images built at run time from
 * tests/unit/fixtures/tiny.* and against Debian's OpenSBI firmware, with the
 * cross binutils (nm, addr2line, objcopy) as the reference. */
#include "check.h"
#include "slurp.h"
#include "err.h"
#include "image.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FW "/usr/share/qemu/opensbi-riscv64-generic-fw_dynamic"

static char dir[64];
static char top[4096];

static const char *tmp(const char *name)
{
	static char buf[4][256];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof buf[i], "%s/%s", dir, name);
	return buf[i];
}

/* The whole output of a shell command, or NULL. */
static char *capture(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	size_t n = 0, cap = 4096;
	char *s = malloc(cap);
	size_t r;

	if (!p || !s) {
		free(s);
		if (p)
			pclose(p);
		return NULL;
	}
	while ((r = fread(s + n, 1, cap - n - 1, p)) > 0) {
		n += r;
		if (n + 1 == cap)
			s = realloc(s, cap *= 2);
	}
	s[n] = '\0';
	if (pclose(p) != 0) {
		free(s);
		return NULL;
	}
	return s;
}

/* The line of tests/unit/fixtures/FILE that holds marker, or 0. */
static int marker_line(const char *file, const char *marker)
{
	char path[4200], line[512];
	FILE *f;
	int n = 0;

	snprintf(path, sizeof path, "%s/tests/unit/fixtures/%s", top, file);
	if (!(f = fopen(path, "r")))
		return 0;
	while (fgets(line, sizeof line, f)) {
		n++;
		if (strstr(line, marker)) {
			fclose(f);
			return n;
		}
	}
	fclose(f);
	return 0;
}

static const char *base(const char *path)
{
	const char *s = path ? strrchr(path, '/') : NULL;

	return s ? s + 1 : path;
}

/* Every symbol nm lists must be there, at nm's address. */
static void check_against_nm(const struct image *img, const char *nm_cmd)
{
	char *out = capture(nm_cmd), *line, *save = NULL;
	int seen = 0, bad = 0;

	CHECK(out != NULL);
	for (line = out ? strtok_r(out, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long long addr;
		char type, name[256];
		const struct image_symbol *s;

		if (sscanf(line, "%llx %c %255s", &addr, &type, name) != 3 || type == 'U' || type == 'a' ||
		    type == 'A')
			continue;
		seen++;
		s = image_symbol_named(img, name);
		if (!s || s->addr != addr) {
			printf("# nm says %s is at 0x%llx, image says %s\n", name, addr, s ? "elsewhere" : "nothing");
			bad++;
		}
	}
	CHECK(seen > 0);
	CHECK_EQ_U64(bad, 0);
	free(out);
}

static void check_sym_at(const struct image *img, uint64_t addr, const char *want)
{
	const struct image_symbol *s = image_symbol_at(img, addr);

	if (!want) {
		if (!check_report(s == NULL, __FILE__, __LINE__, "no symbol", s ? s->name : ""))
			printf("# at 0x%llx\n", (unsigned long long)addr);
		return;
	}
	if (!check_report(s && strcmp(s->name, want) == 0, __FILE__, __LINE__, want, s ? s->name : "(none)"))
		printf("# at 0x%llx\n", (unsigned long long)addr);
}

static void test_tiny_layout(const struct image *img)
{
	const struct image_section *s = img->sections;
	const struct image_symbol *ek = image_symbol_named(img, "ekernel");
	size_t i;

	CHECK(img->is_elf);
	CHECK_EQ_U64(img->entry, 0x80200000);
	CHECK_EQ_U64(img->nsections, 4);
	if (img->nsections == 4) {
		CHECK_EQ_STR(s[0].name, ".text");
		CHECK_EQ_U64(s[0].addr, 0x80200000);
		CHECK_EQ_U64(s[0].flags, IMAGE_ALLOC | IMAGE_EXEC);
		CHECK_EQ_STR(s[1].name, ".rodata");
		CHECK_EQ_U64(s[1].addr, 0x80201000);
		CHECK_EQ_U64(s[1].flags, IMAGE_ALLOC);
		CHECK_EQ_STR(s[2].name, ".data");
		CHECK_EQ_U64(s[2].addr, 0x80202000);
		CHECK_EQ_U64(s[2].flags, IMAGE_ALLOC | IMAGE_WRITE);
		CHECK(!s[2].nobits);
		CHECK_EQ_STR(s[3].name, ".bss");
		CHECK(s[3].nobits);
		CHECK(image_section_at(img, 0x80200004) == &s[0]);
		CHECK(image_section_at(img, s[0].addr + s[0].size) == NULL);
		CHECK(image_section_at(img, 0x80201000) == &s[1]);
		CHECK(image_section_at(img, s[3].addr + s[3].size - 1) == &s[3]);
		CHECK(image_section_at(img, 0x80000000) == NULL);
	}
	CHECK_EQ_U64(img->nsegments, 2);
	if (img->nsegments == 2) {
		CHECK_EQ_U64(img->segments[0].paddr, 0x80200000);
		CHECK_EQ_U64(img->segments[0].flags, IMAGE_READ | IMAGE_EXEC);
		CHECK_EQ_U64(img->segments[1].paddr, 0x80202000);
		CHECK_EQ_U64(img->segments[1].flags, IMAGE_READ | IMAGE_WRITE);
		CHECK(img->segments[1].memsz > img->segments[1].filesz);
	}
	CHECK_EQ_U64(img->lo, 0x80200000);
	CHECK(ek != NULL);
	CHECK_EQ_U64(img->hi, ek ? ek->addr : 0);
	for (i = 0; i < img->nsymbols; i++) {
		CHECK(img->symbols[i].name[0] != '$' && strncmp(img->symbols[i].name, ".L", 2) != 0);
		if (i)
			CHECK(img->symbols[i - 1].addr <= img->symbols[i].addr);
	}
}

static void test_tiny_symbols(const struct image *img)
{
	const struct image_symbol *m = image_symbol_named(img, "main");
	const struct image_symbol *sf = image_symbol_named(img, "sized_fn");
	char cmd[256];

	snprintf(cmd, sizeof cmd, "riscv64-unknown-elf-nm %s", tmp("tiny.elf"));
	check_against_nm(img, cmd);
	CHECK(m && m->is_func && m->is_global && m->size > 0);
	CHECK(sf && sf->addr == 0x80200020 && sf->size == 12);
	CHECK(image_symbol_named(img, "nosuch") == NULL);
	CHECK(image_symbol_named(img, "") == NULL);
	CHECK(image_symbol_named(img, "skernel") != NULL);
	check_sym_at(img, 0x80200000, "_start");	/* a function beats skernel */
	check_sym_at(img, 0x8020000c, "_start");	/* inside _start, at label spin */
	check_sym_at(img, 0x80200013, "_start");
	check_sym_at(img, 0x80200024, "sized_fn");
	check_sym_at(img, 0x80200030, "sized_fn");	/* padding past its end */
	check_sym_at(img, 0x80200048, "inner");	/* a label without a size */
	if (m) {
		check_sym_at(img, m->addr, "main");
		check_sym_at(img, m->addr + 0x10, "main");
		check_sym_at(img, m->addr + m->size - 1, "main");
	}
	check_sym_at(img, 0x801fffff, NULL);		/* below the first */
	check_sym_at(img, 0x80201000, NULL);		/* nearest is in .text */
	check_sym_at(img, 0x80201004, NULL);
	check_sym_at(img, 0x80201010, "table");
	check_sym_at(img, 0x80203010, "scratch");	/* an object beats stack_top */
	check_sym_at(img, 0x80203000, "sbss");	/* global sbss beats local stack */
	check_sym_at(img, 0x90000000, NULL);
}

static void test_tiny_lines(const struct image *img)
{
	const struct image_symbol *m = image_symbol_named(img, "main");
	const char *file = NULL;
	char *cmd, *out, *line, *save = NULL;
	int ln = 0, n, bad = 0, compared = 0;
	size_t len, cap = 1 << 16;
	uint64_t a;

	CHECK(image_line_at(img, 0x80200000, &file, &ln) == 0);
	CHECK_EQ_STR(base(file), "tiny.S");
	CHECK_EQ_U64(ln, marker_line("tiny.S", "line:start"));
	CHECK(image_line_at(img, 0x80200024, &file, &ln) == 0);
	CHECK_EQ_U64(ln, marker_line("tiny.S", "line:sized_fn") + 1);
	CHECK(image_line_at(img, 0x80201010, &file, &ln) == -1);
	CHECK(image_line_at(img, 0x10, &file, &ln) == -1);
	if (!m)
		return;
	/* Every halfword of main against addr2line. */
	cmd = malloc(cap);
	len = (size_t)snprintf(cmd, cap, "riscv64-unknown-elf-addr2line -e %s", tmp("tiny.elf"));
	for (a = m->addr; a < m->addr + m->size; a += 2)
		len += (size_t)snprintf(cmd + len, cap - len, " %llx", (unsigned long long)a);
	out = capture(cmd);
	CHECK(out != NULL);
	for (a = m->addr, line = out ? strtok_r(out, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save), a += 2) {
		const char *colon = strrchr(line, ':');
		char want[300];

		if (!colon || (n = atoi(colon + 1)) <= 0)
			continue;
		compared++;
		snprintf(want, sizeof want, "%.*s:%d", (int)(colon - line), base(line), n);
		if (image_line_at(img, a, &file, &ln) != 0 ||
		    strcmp(base(file), "tiny.c") != 0 || ln != n) {
			printf("# 0x%llx: addr2line %s, image %s:%d\n", (unsigned long long)a, want,
			       file ? base(file) : "-", ln);
			bad++;
		}
	}
	CHECK(compared > 10);
	CHECK_EQ_U64(bad, 0);
	free(out);
	free(cmd);
}

static void test_tiny_read(const struct image *img)
{
	size_t blen = 0, i;
	uint8_t *bin = slurp(tmp("tiny.bin"), &blen), buf[16];
	int bad = 0;

	CHECK(bin != NULL);
	for (i = 0; bin && i < img->nsegments; i++) {
		const struct image_segment *s = &img->segments[i];
		uint8_t *got = malloc(s->filesz + 1);

		CHECK(image_read(img, s->paddr, got, s->filesz) == 0);
		bad += s->paddr - img->lo + s->filesz > blen ||
		       memcmp(got, bin + (s->paddr - img->lo), s->filesz) != 0;
		free(got);
	}
	CHECK_EQ_U64(bad, 0);
	memset(buf, 0xaa, sizeof buf);
	CHECK(image_read(img, 0x80203000, buf, sizeof buf) == 0);	/* .bss */
	CHECK(buf[0] == 0 && buf[15] == 0);
	CHECK(image_read(img, img->hi - 1, buf, 1) == 0);
	CHECK(image_read(img, img->hi, buf, 1) == -1);
	CHECK(strstr(err_msg(), "is not part of") != NULL);
	CHECK(image_read(img, img->hi - 2, buf, 4) == -1);
	CHECK(image_read(img, img->lo - 4, buf, 4) == -1);
	CHECK(image_read(img, 0x80201ffc, buf, 8) == -1);	/* between segments */
	CHECK(image_read(img, 0x80200000, buf, 0) == 0);
	if (bin && img->nsegments) {
		/* The raw image of the same bytes. */
		struct image *raw = NULL;
		uint8_t *got = malloc(blen);
		const char *got_names[4];

		CHECK(image_open_raw(&raw, tmp("tiny.bin"), 0x80200000, 0) == 0);
		if (raw) {
			CHECK(!raw->is_elf);
			CHECK_EQ_U64(raw->entry, 0x80200000);
			CHECK_EQ_U64(raw->lo, 0x80200000);
			CHECK_EQ_U64(raw->hi, 0x80200000 + blen);
			CHECK_EQ_U64(raw->nbytes, blen);
			CHECK_EQ_U64(raw->nsegments, 1);
			CHECK_EQ_U64(raw->nsymbols + raw->nsections, 0);
			CHECK(image_read(raw, 0x80200000, got, blen) == 0 && memcmp(got, bin, blen) == 0);
			CHECK(image_read(raw, 0x80200000 + blen, got, 1) == -1);
			CHECK(image_symbol_at(raw, 0x80200000) == NULL);
			CHECK(image_section_at(raw, 0x80200000) == NULL);
			CHECK(image_complete(raw, "", got_names, 4) == 0);
		}
		image_close(raw);
		free(got);
	}
	free(bin);
}

static void test_tiny_complete(const struct image *img)
{
	const char *out[16];
	size_t n;

	n = image_complete(img, "s", out, 16);
	CHECK_EQ_U64(n, 7);
	if (n == 7) {
		CHECK_EQ_STR(out[0], "sbss");
		CHECK_EQ_STR(out[2], "sized_fn");
		CHECK_EQ_STR(out[6], "stack_top");
	}
	out[1] = "untouched";
	CHECK_EQ_U64(image_complete(img, "st", out, 1), 1);
	CHECK_EQ_STR(out[0], "stack");
	CHECK_EQ_STR(out[1], "untouched");
	CHECK_EQ_U64(image_complete(img, "st", out, 16), 2);
	CHECK_EQ_U64(image_complete(img, "main", out, 16), 1);
	CHECK_EQ_U64(image_complete(img, "zzz", out, 16), 0);
	CHECK_EQ_U64(image_complete(img, "", NULL, 0), 0);
	CHECK_EQ_U64(image_complete(img, "", out, 16), 16);
	CHECK_EQ_STR(out[0], "_start");
}

static void test_firmware(void)
{
	struct image *img = NULL;
	const struct image_symbol *s;
	const char *file;
	uint8_t *bin, *got;
	size_t blen = 0;
	int line;

	CHECK(image_open(&img, FW ".elf") == 0);
	if (!img) {
		printf("# %s\n", err_msg());
		return;
	}
	CHECK_EQ_U64(img->entry, 0x80000000);
	CHECK_EQ_U64(img->lo, 0x80000000);
	CHECK_EQ_U64(img->nsegments, 1);
	CHECK(img->nsections > 5);
	CHECK(img->nsections && strcmp(img->sections[0].name, ".text") == 0);
	CHECK(img->nsymbols > 20);
	check_against_nm(img, "riscv64-unknown-elf-nm -D " FW ".elf");
	s = image_symbol_named(img, "sbi_tlb_local_sfence_vma");
	CHECK(s && s->is_func && s->size > 8);
	if (s)
		CHECK(image_symbol_at(img, s->addr + 8) == s);
	CHECK(image_line_at(img, 0x80000000, &file, &line) == -1);
	bin = slurp(FW ".bin", &blen);
	got = malloc(blen + 1);
	CHECK(bin && image_read(img, 0x80000000, got, blen) == 0 && memcmp(got, bin, blen) == 0);
	free(got);
	free(bin);
	image_close(img);
}

static void expect_error(const char *path, const char *want)
{
	struct image *img = (struct image *)&img;
	int rc = image_open(&img, path);

	CHECK(rc == -1 && img == NULL);
	if (!check_report(strstr(err_msg(), want) != NULL, __FILE__, __LINE__, want, err_msg()))
		printf("# opening %s\n", path);
}

static void test_errors(void)
{
	struct image *img = NULL;
	size_t len = 0;
	uint8_t *elf = slurp(tmp("tiny.elf"), &len);
	FILE *f;
	char want[300];

	/* An ELF for a machine bootscope has no board for: tiny.elf as Arm's. */
	if (elf && len > 20 && (f = fopen(tmp("arm.elf"), "w"))) {
		elf[18] = 40, elf[19] = 0;	/* EM_ARM */
		fwrite(elf, 1, len, f);
		fclose(f);
		elf[18] = 243;	/* EM_RISCV again */
	}
	expect_error(tmp("arm.elf"), "arm.elf is an ELF for 32-bit Arm (machine 40), not RISC-V or x86-64");
	expect_error(tmp("rv32.elf"), "32-bit RISC-V ELF, but bootscope traces rv64");
	expect_error(tmp("nosuch"), "nosuch: No such file or directory");
	CHECK_EQ_STR(err_msg(), strcat(strcpy(want, tmp("nosuch")), ": No such file or directory"));
	expect_error(dir, "is a directory");
	if ((f = fopen(tmp("empty"), "w")))
		fclose(f);
	expect_error(tmp("empty"), "is empty");
	expect_error(tmp("tiny.bin"), "is not an ELF file");
	if (elf && (f = fopen(tmp("trunc.elf"), "w"))) {
		fwrite(elf, 1, 100, f);
		fclose(f);
	}
	expect_error(tmp("trunc.elf"), "truncated");
	CHECK(image_open_raw(&img, tmp("tiny.elf"), 0x80200000, 0) == -1 && img == NULL);
	CHECK(strstr(err_msg(), "not a raw image") != NULL);
	CHECK(image_open_raw(&img, tmp("tiny.bin"), UINT64_MAX - 16, 0) == -1 && img == NULL);
	CHECK(image_open_raw(&img, tmp("empty"), 0x80200000, 0) == -1);
	CHECK(image_open_mem(&img, "nothing", "", 0) == -1 && img == NULL);
	CHECK(image_open_mem(&img, "magic", "\x7f" "ELF", 4) == -1 && img == NULL);
	CHECK(strstr(err_msg(), "truncated") != NULL);
	if (elf) {
		/* Every prefix of a good file, then a crude fuzz: both must fail
		 * cleanly or give an image that answers questions. */
		size_t n, i, bad;
		uint8_t *copy = malloc(len);

		for (n = 0, bad = 0; n < len; n++)
			bad += image_open_mem(&img, "prefix", elf, n) != -1 || img != NULL;
		CHECK_EQ_U64(bad, 0);
		srand(1);
		for (i = 0; i < 3000; i++) {
			size_t k, flips = 1 + (size_t)rand() % 8;
			const char *file, *names[4];
			uint8_t b[8];
			int line;

			memcpy(copy, elf, len);
			for (k = 0; k < flips; k++) {
				/* Mostly the headers, where the damage is interesting. */
				size_t at = rand() % 2 ? (size_t)rand() % 128 : (size_t)rand() % len;
				copy[at] = (uint8_t)rand();
			}
			if (image_open_mem(&img, "fuzz", copy, len) == 0) {
				image_symbol_at(img, 0x80200010);
				image_symbol_named(img, "main");
				image_line_at(img, 0x80200096, &file, &line);
				image_read(img, img->lo, b, sizeof b);
				image_complete(img, "", names, 4);
				image_close(img);
			}
		}
		srand(2);
		for (i = 0, bad = 0; i < 200; i++) {
			for (n = 0; n < len; n++)
				copy[n] = (uint8_t)rand();
			bad += image_open_mem(&img, "random", copy, len) != -1;
		}
		CHECK_EQ_U64(bad, 0);
		free(copy);
	}
	free(elf);
}

int main(void)
{
	const char *t = getenv("TOP");
	struct image *img = NULL;
	char cmd[8400];

	snprintf(top, sizeof top, "%s", t && *t ? t : ".");
	snprintf(dir, sizeof dir, "/tmp/bootscope-test-image.XXXXXX");
	CHECK(mkdtemp(dir) != NULL);
	snprintf(cmd, sizeof cmd, "sh %s/tests/unit/fixtures/tiny.sh %s > %s/build.log 2>&1", top, dir, dir);
	if (!CHECK(system(cmd) == 0)) {
		snprintf(cmd, sizeof cmd, "sed 's/^/# /' %s/build.log", dir);
		fflush(stdout);
		if (system(cmd) != 0)
			printf("# (no build log)\n");
		return check_done();
	}
	CHECK(image_open(&img, tmp("tiny.elf")) == 0);
	if (img) {
		test_tiny_layout(img);
		test_tiny_symbols(img);
		test_tiny_lines(img);
		test_tiny_read(img);
		test_tiny_complete(img);
		image_close(img);
	} else {
		printf("# %s\n", err_msg());
	}
	test_firmware();
	test_errors();
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	return check_done();
}
